//! What the Segura page decides, as plain Rust (the page only wires signals):
//!
//! - [`RequestForm`]: the create / modify form as the user typed it (text in every field), read
//!   into a [`CertificateRequest`] with every problem on its field — a number that is not a
//!   number, then every rule of [`rules::check_request`] — so nothing is sent while one remains;
//!   and filled from a [`RequestRecord`] to modify it;
//! - [`SignForm`]: the sign form, read into a [`SignRequest`] ([`rules::check_sign`]);
//! - [`ListView`]: a list's filters, offset, limit and "load all", to and from the query string,
//!   so a filtered list has a URL (`/segura/requests?status_request=7&limit=20`);
//! - [`follow_done`]: when following a request's status stops (it is signed).

use super::client::{check_limit, DEFAULT_LIMIT};
use super::models::{status, CertificateRequest, ListFilters, RequestRecord, RequestStatus, SignRequest};
use super::rules;
use crate::pki::FieldError;
use crate::vendors::query::query_value;

fn err(field: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// `text` as a number for `field`: `Ok(None)` when empty.
fn number<T: std::str::FromStr>(out: &mut Vec<FieldError>, field: &str, text: &str) -> Option<T> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            out.push(err(field, format!("`{t}` is not a whole number")));
            None
        }
    }
}

/// A list typed as text: one item per line or comma, trimmed, empty ones dropped.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(['\n', ',']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn optional(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_owned())
}

/// The create / modify form, every field as typed. Lists (`san`, `tags`, `environments`,
/// `systems`) are one item per line or comma.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestForm {
    /// `certificate_type`, as typed.
    pub certificate_type: String,
    /// `domain_type`, as typed.
    pub domain_type: String,
    /// `organization`, as typed.
    pub organization: String,
    /// `common_name`, as typed.
    pub common_name: String,
    /// `san`, as typed.
    pub san: String,
    /// `tags`, as typed.
    pub tags: String,
    /// `encryption`, as typed.
    pub encryption: String,
    /// `encryption_key_size`, as typed.
    pub encryption_key_size: String,
    /// `certificate_algorithm`, as typed.
    pub certificate_algorithm: String,
    /// `validity`, as typed.
    pub validity: String,
    /// `environments`, as typed.
    pub environments: String,
    /// `systems`, as typed.
    pub systems: String,
    /// `project`, as typed.
    pub project: String,
    /// `external_ip`, as typed.
    pub external_ip: String,
    /// `hostname_ip`, as typed.
    pub hostname_ip: String,
    /// `justification`, as typed.
    pub justification: String,
    /// `responsible`, as typed.
    pub responsible: String,
    /// `description`, as typed.
    pub description: String,
}

impl Default for RequestForm {
    /// DV, one name, RSA 2048 with SHA256 for a year: the choices that pass every rule and
    /// warn about nothing.
    fn default() -> RequestForm {
        RequestForm {
            certificate_type: "1".into(),
            domain_type: "SING".into(),
            organization: String::new(),
            common_name: String::new(),
            san: String::new(),
            tags: String::new(),
            encryption: "RSA".into(),
            encryption_key_size: "2048".into(),
            certificate_algorithm: "SHA256".into(),
            validity: "365".into(),
            environments: String::new(),
            systems: String::new(),
            project: String::new(),
            external_ip: String::new(),
            hostname_ip: String::new(),
            justification: String::new(),
            responsible: String::new(),
            description: String::new(),
        }
    }
}

impl RequestForm {
    /// The form filled from a request as Segura lists it, to modify it. Passwords are never
    /// part of a record, so they stay empty (and are not sent unless typed again).
    pub fn from_record(r: &RequestRecord) -> RequestForm {
        let d = RequestForm::default();
        let num = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        let list = |v: &Option<Vec<String>>| v.as_ref().map(|l| l.join("\n")).unwrap_or_default();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        RequestForm {
            certificate_type: r.type_certificate.map_or(d.certificate_type, |n| n.to_string()),
            domain_type: r.type_domain.clone().unwrap_or(d.domain_type),
            organization: num(r.organization),
            common_name: text(&r.common_name),
            san: list(&r.san),
            tags: list(&r.tags),
            encryption: r.encryption.clone().unwrap_or(d.encryption),
            encryption_key_size: r.encryption_key_size.map_or(d.encryption_key_size, |n| n.to_string()),
            certificate_algorithm: r.algorithm_certified.clone().unwrap_or(d.certificate_algorithm),
            validity: r.validity.map_or(d.validity, |n| n.to_string()),
            environments: list(&r.environments),
            systems: list(&r.systems),
            project: text(&r.design),
            external_ip: text(&r.ip_external),
            hostname_ip: text(&r.ip_hostname),
            justification: text(&r.justification),
            responsible: num(r.responsible),
            description: text(&r.description),
        }
    }

    /// The request to send (`key_password` and `senha_revogacao` given apart: they are secrets
    /// and never sit in a form value that renders), or every problem, each on its field (one
    /// per field: a number that does not parse is not also "required"). `code`: the request to
    /// modify.
    ///
    /// # Errors
    /// The problems; nothing may be sent while there is one.
    pub fn check(
        &self,
        code: Option<u64>,
        key_password: Option<String>,
        senha_revogacao: Option<String>,
    ) -> Result<CertificateRequest, Vec<FieldError>> {
        let mut out = Vec::new();
        let certificate_type = number::<u8>(&mut out, "certificate_type", &self.certificate_type).unwrap_or(0);
        let organization = number::<u64>(&mut out, "organization", &self.organization).unwrap_or(0);
        let encryption_key_size = number::<u32>(&mut out, "encryption_key_size", &self.encryption_key_size).unwrap_or(0);
        let validity = number::<u32>(&mut out, "validity", &self.validity).unwrap_or(0);
        let responsible = number::<u64>(&mut out, "responsible", &self.responsible);
        let request = CertificateRequest {
            code_request: code,
            certificate_type,
            domain_type: self.domain_type.trim().to_owned(),
            organization,
            common_name: self.common_name.trim().to_owned(),
            san: split_list(&self.san),
            tags: split_list(&self.tags),
            encryption: self.encryption.trim().to_owned(),
            encryption_key_size,
            certificate_algorithm: self.certificate_algorithm.trim().to_owned(),
            validity,
            key_password: key_password.filter(|p| !p.is_empty()),
            senha_revogacao: senha_revogacao.filter(|p| !p.is_empty()),
            environments: split_list(&self.environments),
            systems: split_list(&self.systems),
            project: optional(&self.project).map(|p| p.trim().to_owned()),
            external_ip: optional(&self.external_ip).map(|p| p.trim().to_owned()),
            hostname_ip: optional(&self.hostname_ip).map(|p| p.trim().to_owned()),
            justification: optional(&self.justification),
            responsible,
            description: optional(&self.description),
        };
        let findings = rules::check_request(&request);
        settle(request, out, findings)
    }

    /// What the page says about key custody and weak choices, live (see
    /// [`rules::custody_warnings`]).
    pub fn warnings(&self) -> Vec<FieldError> {
        let probe = CertificateRequest {
            encryption: self.encryption.trim().to_owned(),
            encryption_key_size: self.encryption_key_size.trim().parse().unwrap_or(0),
            ..CertificateRequest::default()
        };
        rules::custody_warnings(&probe)
    }
}

/// The sign form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignForm {
    /// Self-signed (else signed by `ca`).
    pub self_signed: bool,
    /// `ca`, as typed.
    pub ca: String,
    /// `reason`, as typed.
    pub reason: String,
    /// `justification`, as typed.
    pub justification: String,
    /// `itsm_code`, as typed.
    pub itsm_code: String,
}

impl SignForm {
    /// The sign request, or every problem on its field. `governance`: the access group demands
    /// an ITSM code.
    ///
    /// # Errors
    /// The problems; nothing may be sent while there is one.
    pub fn check(&self, governance: bool) -> Result<SignRequest, Vec<FieldError>> {
        let mut out = Vec::new();
        let ca = if self.self_signed { None } else { number::<u64>(&mut out, "ca", &self.ca) };
        let reason = number::<u64>(&mut out, "reason", &self.reason).unwrap_or(0);
        let request = SignRequest {
            self_signed: u8::from(self.self_signed),
            ca,
            justification: optional(&self.justification),
            reason,
            itsm_code: optional(&self.itsm_code).map(|c| c.trim().to_owned()),
        };
        let findings = rules::check_sign(&request, governance);
        settle(request, out, findings)
    }
}

/// A list as a URL says it: filters, where the page starts, its size, or every page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListView {
    /// The filters, in Segura's names.
    pub filters: ListFilters,
    /// Where the page starts.
    pub offset: u64,
    /// The page size.
    pub limit: u32,
    /// "Load all": every page, [`DEFAULT_LIMIT`] at a time.
    pub all: bool,
}

impl ListView {
    /// The list a query string names (`status_request=7&common_name=shop&offset=20&limit=10`,
    /// `all=1`), with a problem for each value that is not what its filter takes (that filter
    /// is then left out).
    pub fn from_query(q: &[(String, String)]) -> (ListView, Vec<FieldError>) {
        let mut out = Vec::new();
        let text = |k: &str| query_value(q, k).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let list = |k: &str| query_value(q, k).map(split_list).unwrap_or_default();
        let mut filters = ListFilters {
            type_domain: text("type_domain").map(|v| v.to_ascii_uppercase()),
            common_name: text("common_name"),
            san: list("san"),
            tags: list("tags"),
            encryption: text("encryption").map(|v| v.to_ascii_uppercase()),
            algorithm_certified: text("algorithm_certified").map(|v| v.to_ascii_uppercase()),
            environments: list("environments"),
            systems: list("systems"),
            design: text("design"),
            ip_external: text("ip_external"),
            ip_hostname: text("ip_hostname"),
            ..ListFilters::default()
        };
        let get = |k: &str| text(k).unwrap_or_default();
        filters.code_request = number(&mut out, "code_request", &get("code_request"));
        filters.status_request = number(&mut out, "status_request", &get("status_request"));
        filters.type_certificate = number(&mut out, "type_certificate", &get("type_certificate"));
        filters.organization = number(&mut out, "organization", &get("organization"));
        filters.encryption_key_size = number(&mut out, "encryption_key_size", &get("encryption_key_size"));
        filters.validity = number(&mut out, "validity", &get("validity"));
        filters.responsible = number(&mut out, "responsible", &get("responsible"));
        let offset = number(&mut out, "offset", &get("offset")).unwrap_or(0);
        let mut limit = number::<u32>(&mut out, "limit", &get("limit")).unwrap_or(DEFAULT_LIMIT);
        if let Err(e) = check_limit(limit) {
            out.push(err("limit", e.to_string()));
            limit = DEFAULT_LIMIT;
        }
        let all = matches!(query_value(q, "all"), Some("1" | "true"));
        (ListView { filters, offset, limit, all }, out)
    }

    /// The query string (without `?`; empty for the default list), in Segura's filter names.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = self.filters.query();
        if self.all {
            pairs.push(("all", "1".into()));
        } else {
            if self.offset > 0 {
                pairs.push(("offset", self.offset.to_string()));
            }
            if self.limit != DEFAULT_LIMIT {
                pairs.push(("limit", self.limit.to_string()));
            }
        }
        pairs.iter().map(|(k, v)| format!("{k}={}", crate::vendors::request::percent_encode(v))).collect::<Vec<_>>().join("&")
    }

    /// The path of this list under `base` (`/segura/requests`), with its query string.
    pub fn path(&self, base: &str) -> String {
        let q = self.to_query();
        if q.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{q}")
        }
    }

    /// The same list one page on (`None` for "load all").
    pub fn next(&self) -> Option<ListView> {
        (!self.all).then(|| ListView { offset: self.offset + u64::from(self.limit), ..self.clone() })
    }

    /// The same list one page back (`None` on the first page or for "load all").
    pub fn previous(&self) -> Option<ListView> {
        (!self.all && self.offset > 0).then(|| ListView { offset: self.offset.saturating_sub(u64::from(self.limit)), ..self.clone() })
    }
}

/// Whether following a request's status can stop: it is signed (`7 - Signed`, the one state the
/// docs quote as final).
pub fn follow_done(s: &RequestStatus) -> bool {
    s.status_request.number == Some(status::SIGNED.0)
}

/// `value` if there is no problem: the form's own (`out`, from reading its fields) first, then
/// each rule finding on a field that has none yet.
fn settle<T>(value: T, mut out: Vec<FieldError>, findings: Vec<FieldError>) -> Result<T, Vec<FieldError>> {
    for finding in findings {
        if !out.iter().any(|e| e.field == finding.field) {
            out.push(finding);
        }
    }
    if out.is_empty() {
        Ok(value)
    } else {
        Err(out)
    }
}
