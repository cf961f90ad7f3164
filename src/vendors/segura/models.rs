//! Segura's wire models (`docs/vendors/segura.md`).
//!
//! Form fields keep the API's own names and plain types (`certificate_type` an integer,
//! `domain_type` a string ...), so a form can hold any value and [`super::rules`] says which
//! field is wrong and what to change before anything is sent.
//!
//! Answers come in two shapes: the flat `{status, message, error, …}` of create and sign, and
//! the wrapper `{code, response:{status, message, error, error_code, detail, mensagem, erro,
//! cod_erro}, tenant, data}` of list, get and status. Both English and Portuguese keys are read.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A create-or-modify request body (`POST /api/v1/certificates/requests`).
///
/// `key_password` and `senha_revogacao` are secrets: `Debug` hides them.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CertificateRequest {
    /// Present to modify an existing request, absent to create one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_request: Option<u64>,
    /// 1 DV SSL, 2 OV SSL, 3 EV SSL.
    pub certificate_type: u8,
    /// `SING`, `MULT` or `WILD`.
    pub domain_type: String,
    /// Organization code registered in Segura.
    pub organization: u64,
    /// The certificate's common name.
    pub common_name: String,
    /// Subject alternative names; Segura fills in `[common_name]` when absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub san: Vec<String>,
    /// Tags (created when new).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// `RSA` or `DSA`.
    pub encryption: String,
    /// 4096, 2048 or 1024.
    pub encryption_key_size: u32,
    /// `SHA256`, `SHA384` or `SHA512` (DSA: `SHA256` only).
    pub certificate_algorithm: String,
    /// Validity in days.
    pub validity: u32,
    /// Password of the key Segura makes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_password: Option<String>,
    /// Revocation password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub senha_revogacao: Option<String>,
    /// Environments (created when new).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<String>,
    /// Systems (created when new).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub systems: Vec<String>,
    /// Project name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// External IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ip: Option<String>,
    /// IP or host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname_ip: Option<String>,
    /// Why (at most 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// Responsible user code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<u64>,
    /// Description (at most 512 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl fmt::Debug for CertificateRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden = |o: &Option<String>| o.as_ref().map(|_| "[redacted]");
        f.debug_struct("CertificateRequest")
            .field("code_request", &self.code_request)
            .field("certificate_type", &self.certificate_type)
            .field("domain_type", &self.domain_type)
            .field("organization", &self.organization)
            .field("common_name", &self.common_name)
            .field("san", &self.san)
            .field("tags", &self.tags)
            .field("encryption", &self.encryption)
            .field("encryption_key_size", &self.encryption_key_size)
            .field("certificate_algorithm", &self.certificate_algorithm)
            .field("validity", &self.validity)
            .field("key_password", &hidden(&self.key_password))
            .field("senha_revogacao", &hidden(&self.senha_revogacao))
            .field("environments", &self.environments)
            .field("systems", &self.systems)
            .field("project", &self.project)
            .field("external_ip", &self.external_ip)
            .field("hostname_ip", &self.hostname_ip)
            .field("justification", &self.justification)
            .field("responsible", &self.responsible)
            .field("description", &self.description)
            .finish()
    }
}

impl CertificateRequest {
    /// The SANs as sent: the given ones, or `[common_name]` when none (Segura's default).
    pub fn effective_san(&self) -> Vec<String> {
        if self.san.is_empty() {
            vec![self.common_name.clone()]
        } else {
            self.san.clone()
        }
    }

    /// The body as sent: `san` filled with the common name when empty.
    pub fn with_default_san(&self) -> CertificateRequest {
        CertificateRequest { san: self.effective_san(), ..self.clone() }
    }
}

/// Keys that name the same field in Segura's answers: `(the field, another spelling)`. serde's
/// `alias` refuses a body that carries both spellings ("duplicate field"), so before decoding,
/// [`dedupe_aliases`] drops the other spelling when the field itself is present.
pub type AliasPairs = &'static [(&'static str, &'static str)];

/// [`RequestCreated`]'s spellings.
pub const CREATED_ALIASES: AliasPairs =
    &[("message", "mensagem"), ("error", "erro"), ("type_certificate", "certificate_type"), ("type_domain", "domain_type")];
/// [`SignResult`]'s spellings.
pub const SIGN_ALIASES: AliasPairs = &[("message", "mensagem"), ("error", "erro")];
/// [`RequestRecord`]'s spellings.
pub const RECORD_ALIASES: AliasPairs = &[
    ("code_request", "request_code"),
    ("code_request", "id"),
    ("type_certificate", "certificate_type"),
    ("type_domain", "domain_type"),
    ("algorithm_certified", "certificate_algorithm"),
    ("design", "project"),
    ("ip_external", "external_ip"),
    ("ip_hostname", "hostname_ip"),
];
/// [`RequestStatus`]'s spellings.
pub const STATUS_ALIASES: AliasPairs = &[("request_code", "code_request")];

/// Drops the other spelling of each field that is present (see [`AliasPairs`]); also drops a
/// second other spelling of the same field (`request_code` and `id` without `code_request`).
pub fn dedupe_aliases(v: &mut serde_json::Value, pairs: AliasPairs) {
    let Some(obj) = v.as_object_mut() else {
        return;
    };
    for (field, other) in pairs {
        if obj.contains_key(*field) {
            obj.remove(*other);
        }
    }
    for (i, (field, other)) in pairs.iter().enumerate() {
        if !obj.contains_key(*field) && obj.contains_key(*other) {
            for (f2, o2) in &pairs[i + 1..] {
                if f2 == field {
                    obj.remove(*o2);
                }
            }
        }
    }
}

/// Decodes `v` as `T` after [`dedupe_aliases`].
///
/// # Errors
/// The decode error, with `path`.
pub fn decode_value<T: serde::de::DeserializeOwned>(
    mut v: serde_json::Value,
    pairs: AliasPairs,
) -> Result<T, crate::vendors::error::Error> {
    dedupe_aliases(&mut v, pairs);
    serde_json::from_value(v).map_err(|e| crate::vendors::error::Error::Decode { path: "$".into(), message: e.to_string() })
}

/// The create / modify answer (flat). Segura names some fields differently here
/// (`type_certificate`, `type_domain`); both spellings are read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestCreated {
    /// The status the body reports.
    #[serde(deserialize_with = "loose_i64")]
    pub status: Option<i64>,
    /// `"Request created successfully"` (or `mensagem`).
    #[serde(alias = "mensagem")]
    pub message: Option<String>,
    /// `false` on success (or `erro`).
    #[serde(alias = "erro")]
    pub error: Option<bool>,
    /// The request's code.
    pub code_request: Option<u64>,
    /// Certificate type.
    #[serde(alias = "certificate_type")]
    pub type_certificate: Option<u8>,
    /// Domain type.
    #[serde(alias = "domain_type")]
    pub type_domain: Option<String>,
    /// Organization code.
    pub organization: Option<u64>,
    /// Common name.
    pub common_name: Option<String>,
    /// SANs, when echoed.
    pub san: Option<Vec<String>>,
    /// Encryption.
    pub encryption: Option<String>,
    /// Key size.
    pub encryption_key_size: Option<u32>,
    /// Signature algorithm.
    pub certificate_algorithm: Option<String>,
    /// Validity in days.
    pub validity: Option<u32>,
    /// Justification.
    pub justification: Option<String>,
    /// Description.
    pub description: Option<String>,
}

/// A sign (issue) request body (`POST /api/v1/certificates/requests/sign/{id}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignRequest {
    /// 1: self-signed, 0: signed by `ca`.
    pub self_signed: u8,
    /// The CA's code; required when `self_signed` is 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<u64>,
    /// Why (at most 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// A reason code registered in Segura (required).
    pub reason: u64,
    /// A governance (ITSM) code, required when the access group demands one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub itsm_code: Option<String>,
}

/// The sign answer: `ca` and `reason` come back as `"N - label"` strings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignResult {
    /// The status the body reports.
    #[serde(deserialize_with = "loose_i64")]
    pub status: Option<i64>,
    /// Message (or `mensagem`).
    #[serde(alias = "mensagem")]
    pub message: Option<String>,
    /// `false` on success (or `erro`).
    #[serde(alias = "erro")]
    pub error: Option<bool>,
    /// The request's code.
    pub code_request: Option<u64>,
    /// 1 or 0.
    pub self_signed: Option<u8>,
    /// `"5 - GlobalSign"`.
    pub ca: Option<Labeled>,
    /// Justification.
    pub justification: Option<String>,
    /// `"3 - Scheduled Renewal"`.
    pub reason: Option<Labeled>,
    /// Governance code.
    pub itsm_code: Option<String>,
}

/// A value Segura sends as `"N - label"` (`"7 - Signed"`), shown as the label with its number.
/// A bare number or a string without a number is kept as it came.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Labeled {
    /// The number before ` - `, if any.
    pub number: Option<i64>,
    /// The text after ` - ` (the whole string when there is no number).
    pub label: String,
}

impl Labeled {
    /// Parses `"7 - Signed"` (also `"7-Signed"`, `"7"`).
    pub fn parse(text: &str) -> Labeled {
        let text = text.trim();
        let (head, tail) = match text.split_once('-') {
            Some((h, t)) => (h.trim(), t.trim()),
            None => (text, ""),
        };
        match head.parse::<i64>() {
            Ok(n) => Labeled { number: Some(n), label: tail.to_owned() },
            Err(_) => Labeled { number: None, label: text.to_owned() },
        }
    }

    /// `"Signed (7)"`, or the label alone.
    pub fn display(&self) -> String {
        match (self.number, self.label.is_empty()) {
            (Some(n), false) => format!("{} ({n})", self.label),
            (Some(n), true) => n.to_string(),
            (None, _) => self.label.clone(),
        }
    }

    /// The wire form, `"7 - Signed"`.
    pub fn wire(&self) -> String {
        match self.number {
            Some(n) if !self.label.is_empty() => format!("{n} - {}", self.label),
            Some(n) => n.to_string(),
            None => self.label.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for Labeled {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Labeled, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Labeled::parse(&s)),
            serde_json::Value::Number(n) => Ok(Labeled { number: n.as_i64(), label: String::new() }),
            other => Err(serde::de::Error::custom(format!("expected \"N - label\" or a number, got {other}"))),
        }
    }
}

fn loose_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// The `response` part of the wrapper, English and Portuguese keys merged.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ResponseStatus {
    /// Status (`200`).
    pub status: Option<i64>,
    /// `"1001: OK"` (from `message`, else `mensagem`).
    pub message: Option<String>,
    /// `true` on error (from `error`, else `erro`).
    pub error: Option<bool>,
    /// Error code (from `error_code`, else `cod_erro`).
    pub error_code: Option<i64>,
    /// Detail.
    pub detail: Option<String>,
}

impl<'de> Deserialize<'de> for ResponseStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ResponseStatus, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let pick = |en: &str, pt: &str| v.get(en).filter(|x| !x.is_null()).or_else(|| v.get(pt).filter(|x| !x.is_null())).cloned();
        let int = |x: Option<serde_json::Value>| match x {
            Some(serde_json::Value::Number(n)) => n.as_i64(),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        let text = |x: Option<serde_json::Value>| match x {
            Some(serde_json::Value::String(s)) => Some(s),
            Some(serde_json::Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        let flag = |x: Option<serde_json::Value>| match x {
            Some(serde_json::Value::Bool(b)) => Some(b),
            Some(serde_json::Value::Number(n)) => n.as_i64().map(|n| n != 0),
            Some(serde_json::Value::String(s)) => match s.trim() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        };
        Ok(ResponseStatus {
            status: int(pick("status", "status")),
            message: text(pick("message", "mensagem")),
            error: flag(pick("error", "erro")),
            error_code: int(pick("error_code", "cod_erro")),
            detail: text(pick("detail", "detalhe")),
        })
    }
}

/// The wrapper of list, get and status answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Wrapped<T: Default> {
    /// HTTP-like code (`200`).
    #[serde(default, deserialize_with = "loose_i64")]
    pub code: Option<i64>,
    /// Status, message, error flags.
    #[serde(default)]
    pub response: ResponseStatus,
    /// The tenant, when sent.
    #[serde(default)]
    pub tenant: Option<String>,
    /// The payload (`null` on errors).
    #[serde(default)]
    pub data: T,
}

/// A request as list and get return it. Segura's list uses its own key names
/// (`type_certificate`, `algorithm_certified`, `design`, `ip_external` ...); the create names are
/// read too.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestRecord {
    /// The request's code.
    #[serde(alias = "request_code", alias = "id")]
    pub code_request: Option<u64>,
    /// `"1 - Pending"`-style status.
    pub status_request: Option<Labeled>,
    /// Certificate type.
    #[serde(alias = "certificate_type")]
    pub type_certificate: Option<u8>,
    /// Domain type.
    #[serde(alias = "domain_type")]
    pub type_domain: Option<String>,
    /// Organization code.
    pub organization: Option<u64>,
    /// Common name.
    pub common_name: Option<String>,
    /// SANs.
    pub san: Option<Vec<String>>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Encryption.
    pub encryption: Option<String>,
    /// Key size.
    pub encryption_key_size: Option<u32>,
    /// Signature algorithm.
    #[serde(alias = "certificate_algorithm")]
    pub algorithm_certified: Option<String>,
    /// Validity in days.
    pub validity: Option<u32>,
    /// Environments.
    pub environments: Option<Vec<String>>,
    /// Systems.
    pub systems: Option<Vec<String>>,
    /// Project.
    #[serde(alias = "project")]
    pub design: Option<String>,
    /// External IP.
    #[serde(alias = "external_ip")]
    pub ip_external: Option<String>,
    /// Host name or IP.
    #[serde(alias = "hostname_ip")]
    pub ip_hostname: Option<String>,
    /// Responsible user.
    pub responsible: Option<u64>,
    /// Justification.
    pub justification: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// The issued certificate's code, once signed.
    pub certificate_code: Option<u64>,
}

/// List data: the requests, under `requests` (or `solicitacoes`), or the array itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RequestList {
    /// The requests on this page.
    pub requests: Vec<RequestRecord>,
}

impl<'de> Deserialize<'de> for RequestList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RequestList, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let items = match &v {
            serde_json::Value::Array(_) => v.clone(),
            serde_json::Value::Object(o) => o
                .get("requests")
                .or_else(|| o.get("solicitacoes"))
                .or_else(|| o.get("certificates"))
                .cloned()
                .unwrap_or(serde_json::Value::Array(Vec::new())),
            serde_json::Value::Null => serde_json::Value::Array(Vec::new()),
            other => return Err(serde::de::Error::custom(format!("expected a list of requests, got {other}"))),
        };
        let mut items = items;
        if let Some(list) = items.as_array_mut() {
            for item in list {
                dedupe_aliases(item, RECORD_ALIASES);
            }
        }
        let requests = serde_json::from_value(items).map_err(serde::de::Error::custom)?;
        Ok(RequestList { requests })
    }
}

/// Get data: the request under `request` (or `solicitacao`), or the object itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RequestOne {
    /// The request.
    pub request: RequestRecord,
}

impl<'de> Deserialize<'de> for RequestOne {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RequestOne, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let mut inner = v.get("request").or_else(|| v.get("solicitacao")).cloned().unwrap_or(v);
        dedupe_aliases(&mut inner, RECORD_ALIASES);
        let request = serde_json::from_value(inner).map_err(serde::de::Error::custom)?;
        Ok(RequestOne { request })
    }
}

/// Status data: `{request_code, status_request: "7 - Signed", certificate_code}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestStatus {
    /// The request's code.
    #[serde(alias = "code_request")]
    pub request_code: u64,
    /// The status with its number.
    pub status_request: Labeled,
    /// The issued certificate's code, once signed.
    #[serde(default)]
    pub certificate_code: Option<u64>,
}

/// Request states (the numbers are Segura's; only `7 - Signed` is quoted in the docs, the
/// others are the emulator's names and shown as Segura sends them).
pub mod status {
    /// Waiting for approval.
    pub const PENDING: (i64, &str) = (1, "Pending");
    /// Modified, waiting again.
    pub const MODIFIED: (i64, &str) = (2, "Modified");
    /// Signed, the CA still issuing (the emulator's name; when the vault is told to issue
    /// asynchronously).
    pub const ISSUING: (i64, &str) = (6, "Issuing");
    /// Signed: a certificate exists.
    pub const SIGNED: (i64, &str) = (7, "Signed");
}

/// List filters (`GET /api/certificate/request/list`), Segura's own names; lists go as CSV.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListFilters {
    /// Request code.
    pub code_request: Option<u64>,
    /// Status number.
    pub status_request: Option<i64>,
    /// Certificate type.
    pub type_certificate: Option<u8>,
    /// Domain type.
    pub type_domain: Option<String>,
    /// Organization code.
    pub organization: Option<u64>,
    /// Common name.
    pub common_name: Option<String>,
    /// SANs (sent as CSV).
    pub san: Vec<String>,
    /// Tags (CSV).
    pub tags: Vec<String>,
    /// Encryption.
    pub encryption: Option<String>,
    /// Key size.
    pub encryption_key_size: Option<u32>,
    /// Signature algorithm.
    pub algorithm_certified: Option<String>,
    /// Validity in days.
    pub validity: Option<u32>,
    /// Environments (CSV).
    pub environments: Vec<String>,
    /// Systems (CSV).
    pub systems: Vec<String>,
    /// Project.
    pub design: Option<String>,
    /// External IP.
    pub ip_external: Option<String>,
    /// Host name or IP.
    pub ip_hostname: Option<String>,
    /// Responsible user.
    pub responsible: Option<u64>,
}

impl ListFilters {
    /// The query pairs, in Segura's names (empty filters left out).
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        let mut one = |k: &'static str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                q.push((k, v));
            }
        };
        let csv = |v: &[String]| Some(v.join(","));
        one("code_request", self.code_request.map(|v| v.to_string()));
        one("status_request", self.status_request.map(|v| v.to_string()));
        one("type_certificate", self.type_certificate.map(|v| v.to_string()));
        one("type_domain", self.type_domain.clone());
        one("organization", self.organization.map(|v| v.to_string()));
        one("common_name", self.common_name.clone());
        one("san", csv(&self.san));
        one("tags", csv(&self.tags));
        one("encryption", self.encryption.clone());
        one("encryption_key_size", self.encryption_key_size.map(|v| v.to_string()));
        one("algorithm_certified", self.algorithm_certified.clone());
        one("validity", self.validity.map(|v| v.to_string()));
        one("environments", csv(&self.environments));
        one("systems", csv(&self.systems));
        one("design", self.design.clone());
        one("ip_external", self.ip_external.clone());
        one("ip_hostname", self.ip_hostname.clone());
        one("responsible", self.responsible.map(|v| v.to_string()));
        q
    }
}
