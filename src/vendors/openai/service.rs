//! A model of OpenAI's organization certificate service: its state and rules, answering in the
//! OpenAPI document's shapes (`docs/vendors/openai.md`).
//!
//! [`Service::handle`] takes one request (method, origin-form target such as
//! `/v1/organization/certificates?limit=2`, body, the time) and returns the response OpenAI would
//! send. It is plain state with no clock, network or authentication, so the vendor emulator
//! (which adds HTTP, the Bearer check and faults) and an offline workspace can share it. The
//! whole state serializes with serde.
//!
//! Rules: ids `cert_` + 24 hex digits; uploading does not activate; at most 50 certificates;
//! an upload must pass OpenAI's documented CA requirements ([`super::rules::check_ca`]'s errors);
//! activation per organization and per project, 1 to 10 ids per call, atomic (an unknown id
//! changes nothing) and idempotent; delete refused while the certificate is active at the
//! organization or in any project; listings by `created_at` with `limit` 1–100, `after`,
//! `order`; unknown ids and projects 404; every error in OpenAI's
//! `{"error":{"message","type","param","code"}}` with an `x-request-id` header. Statuses and
//! codes the public documents do not give are marked *inferred* in `docs/vendors/openai.md`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::models::{
    ActivationObject, ActivationResponse, Certificate, CertificateDeleted, CertificateDetails, CertificateList, CertificateObject,
    DeletedObject, ListObject,
};
use super::rules::{self, Severity};
use crate::pki;
use crate::vendors::query::{parse_query, percent_decode, query_value};
use crate::vendors::transport::HttpResponse;

/// The API's base path.
pub const BASE_PATH: &str = "/v1";

/// OpenAI's documented limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Certificates per organization (50).
    pub certificates: usize,
    /// Ids per activate / deactivate call (10).
    pub ids_per_call: usize,
    /// Largest `limit` of a listing (100).
    pub page: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { certificates: rules::MAX_CERTIFICATES, ids_per_call: 10, page: 100 }
    }
}

/// The state of one organization.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// The documented limits.
    pub limits: Limits,
    /// The organization's projects (others answer 404).
    pub projects: BTreeSet<String>,
    certs: Vec<CertRecord>,
    next_seq: u64,
    requests: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CertRecord {
    id: String,
    seq: u64,
    name: Option<String>,
    pem: String,
    sha256: String,
    created_at: i64,
    valid_at: i64,
    expires_at: i64,
    org_active: bool,
    projects: BTreeSet<String>,
}

impl CertRecord {
    fn json(&self, object: CertificateObject, active: Option<bool>, content: bool) -> Certificate {
        Certificate {
            object,
            id: self.id.clone(),
            name: self.name.clone(),
            created_at: self.created_at,
            certificate_details: CertificateDetails {
                valid_at: Some(self.valid_at),
                expires_at: Some(self.expires_at),
                content: content.then(|| self.pem.clone()),
            },
            active,
        }
    }

    fn active_in(&self, project: Option<&str>) -> bool {
        match project {
            None => self.org_active,
            Some(p) => self.projects.contains(p),
        }
    }
}

/// An error answer: status and OpenAI's error object.
#[derive(Debug)]
struct Fail {
    status: u16,
    message: String,
    kind: &'static str,
    param: Option<String>,
    code: Option<&'static str>,
}

type Reply = Result<Value, Fail>;

fn fail(status: u16, param: Option<&str>, code: Option<&'static str>, message: impl Into<String>) -> Fail {
    Fail { status, message: message.into(), kind: "invalid_request_error", param: param.map(str::to_owned), code }
}

impl Default for Service {
    /// An empty organization with the projects `proj_abc` and `proj_def` (the document's
    /// example ids).
    fn default() -> Service {
        Service::new(&["proj_abc", "proj_def"])
    }
}

impl Service {
    /// An empty organization with these projects.
    pub fn new(projects: &[&str]) -> Service {
        Service {
            limits: Limits::default(),
            projects: projects.iter().map(|p| (*p).to_owned()).collect(),
            certs: Vec::new(),
            next_seq: 1,
            requests: 0,
        }
    }

    /// Adds a project.
    pub fn add_project(&mut self, id: &str) {
        self.projects.insert(id.to_owned());
    }

    /// How many certificates the organization has.
    pub fn certificate_count(&self) -> usize {
        self.certs.len()
    }

    /// Handles one request: `target` is the origin-form path and query
    /// (`/v1/organization/certificates?limit=2`), `now_ms` Unix milliseconds. The response
    /// carries `Content-Type: application/json` and an `x-request-id`.
    pub fn handle(&mut self, method: &str, target: &str, body: &[u8], now_ms: i64) -> HttpResponse {
        self.requests += 1;
        let request_id = format!("req_{}", &pki::hex(&Sha256::digest(self.requests.to_be_bytes()))[..32]);
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let query = parse_query(query);
        let method = method.to_ascii_uppercase();
        let segments: Option<Vec<String>> =
            path.strip_prefix(BASE_PATH).map(|rest| rest.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect());
        let reply = match &segments {
            Some(seg) => {
                let seg: Vec<&str> = seg.iter().map(String::as_str).collect();
                self.route(&method, &seg, &query, body, now_ms.div_euclid(1000))
            }
            None => Err(not_found_url(&method, path)),
        }
        .map_err(|e| if e.status == 0 { not_found_url(&method, path) } else { e });
        let (status, value) = match reply {
            Ok(v) => (200, v),
            Err(e) => (e.status, json!({ "error": { "message": e.message, "type": e.kind, "param": e.param, "code": e.code } })),
        };
        HttpResponse {
            status,
            headers: vec![("Content-Type".into(), "application/json".into()), ("x-request-id".into(), request_id)],
            body: serde_json::to_vec(&value).unwrap_or_default(),
        }
    }

    fn route(&mut self, method: &str, seg: &[&str], q: &[(String, String)], body: &[u8], now: i64) -> Reply {
        match (method, seg) {
            ("GET", ["organization", "certificates"]) => self.list(None, q),
            ("POST", ["organization", "certificates"]) => self.upload(body, now),
            ("POST", ["organization", "certificates", verb @ ("activate" | "deactivate")]) => self.toggle(None, *verb == "activate", body),
            ("GET", ["organization", "certificates", id]) => {
                let content = q.iter().any(|(k, v)| (k == "include[]" || k == "include") && v == "content");
                let r = &self.certs[self.index(id)?];
                to_value(&r.json(CertificateObject::Certificate, None, content))
            }
            ("POST", ["organization", "certificates", id]) => self.rename(id, body),
            ("DELETE", ["organization", "certificates", id]) => self.delete(id),
            ("GET", ["organization", "projects", p, "certificates"]) => {
                self.project(p)?;
                self.list(Some(p), q)
            }
            ("POST", ["organization", "projects", p, "certificates", verb @ ("activate" | "deactivate")]) => {
                self.project(p)?;
                self.toggle(Some(p), *verb == "activate", body)
            }
            _ => Err(Fail { status: 0, message: String::new(), kind: "", param: None, code: None }),
        }
    }

    fn index(&self, id: &str) -> Result<usize, Fail> {
        self.certs
            .iter()
            .position(|c| c.id == id)
            .ok_or_else(|| fail(404, Some("certificate_id"), None, format!("No certificate found with id '{id}'.")))
    }

    fn project(&self, p: &str) -> Result<(), Fail> {
        if self.projects.contains(p) {
            Ok(())
        } else {
            Err(fail(404, Some("project_id"), None, format!("No project found with id '{p}'.")))
        }
    }

    fn list(&self, project: Option<&str>, q: &[(String, String)]) -> Reply {
        let limit = match query_value(q, "limit") {
            None => 20,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=self.limits.page).contains(&n) => n,
                _ => {
                    return Err(fail(
                        400,
                        Some("limit"),
                        Some("invalid_value"),
                        format!("Invalid 'limit': expected an integer between 1 and {}, got '{v}'.", self.limits.page),
                    ))
                }
            },
        };
        let desc = match query_value(q, "order") {
            None | Some("desc") => true,
            Some("asc") => false,
            Some(v) => {
                return Err(fail(
                    400,
                    Some("order"),
                    Some("invalid_value"),
                    format!("Invalid 'order': expected 'asc' or 'desc', got '{v}'."),
                ))
            }
        };
        let mut sorted: Vec<&CertRecord> = self.certs.iter().collect();
        sorted.sort_by_key(|c| (c.created_at, c.seq));
        if desc {
            sorted.reverse();
        }
        let start = match query_value(q, "after").filter(|a| !a.is_empty()) {
            None => 0,
            Some(a) => match sorted.iter().position(|c| c.id == a) {
                Some(i) => i + 1,
                None => {
                    return Err(fail(400, Some("after"), Some("invalid_value"), format!("Invalid 'after': no certificate with id '{a}'.")))
                }
            },
        };
        let rest = &sorted[start.min(sorted.len())..];
        let page = &rest[..limit.min(rest.len())];
        let object =
            if project.is_some() { CertificateObject::OrganizationProjectCertificate } else { CertificateObject::OrganizationCertificate };
        let data: Vec<Certificate> = page.iter().map(|c| c.json(object, Some(c.active_in(project)), false)).collect();
        to_value(&CertificateList {
            object: ListObject::List,
            first_id: data.first().map(|c| c.id.clone()),
            last_id: data.last().map(|c| c.id.clone()),
            has_more: rest.len() > page.len(),
            data,
        })
    }

    fn upload(&mut self, body: &[u8], now: i64) -> Reply {
        let v = parse_json(body)?;
        let certificate = match v.get("certificate") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                return Err(fail(
                    400,
                    Some("certificate"),
                    Some("missing_required_parameter"),
                    "Missing required parameter: 'certificate'.",
                ))
            }
            Some(_) => {
                return Err(fail(400, Some("certificate"), Some("invalid_type"), "Invalid type for 'certificate': expected a string."))
            }
        };
        let name = match v.get("name") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(fail(400, Some("name"), Some("invalid_type"), "Invalid type for 'name': expected a string.")),
        };
        if self.certs.len() >= self.limits.certificates {
            return Err(fail(
                400,
                Some("certificate"),
                Some("certificate_limit_exceeded"),
                format!(
                    "Organizations can upload up to {} certificates. Delete an unused certificate before uploading another.",
                    self.limits.certificates
                ),
            ));
        }
        if let Some(f) = rules::check_ca(certificate.as_bytes(), 0, now).into_iter().find(|f| f.severity == Severity::Error) {
            return Err(fail(
                400,
                Some("certificate"),
                Some("invalid_certificate"),
                format!("Invalid certificate ({}): {}", f.field, f.message),
            ));
        }
        let bundle = pki::parse_bundle(certificate.as_bytes(), "certificate");
        let Some(info) = bundle.certificates.first() else {
            return Err(fail(400, Some("certificate"), Some("invalid_certificate"), "Invalid certificate: no PEM certificate found."));
        };
        if let Some(existing) = self.certs.iter().find(|c| c.sha256 == info.sha256_fingerprint) {
            return Err(fail(
                409,
                Some("certificate"),
                Some("certificate_already_exists"),
                format!("This certificate has already been uploaded as '{}'.", existing.id),
            ));
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let record = CertRecord {
            id: format!("cert_{}", &pki::hex(&Sha256::digest(format!("certwright-openai-{seq}").as_bytes()))[..24]),
            seq,
            name,
            pem: info.pem(),
            sha256: info.sha256_fingerprint.clone(),
            created_at: now,
            valid_at: info.valid_from_unix,
            expires_at: info.expires_unix,
            org_active: false,
            projects: BTreeSet::new(),
        };
        let out = record.json(CertificateObject::Certificate, None, false);
        self.certs.push(record);
        to_value(&out)
    }

    fn rename(&mut self, id: &str, body: &[u8]) -> Reply {
        let i = self.index(id)?;
        let v = parse_json(body)?;
        let name = match v.get("name") {
            Some(Value::String(s)) => s.clone(),
            None | Some(Value::Null) => {
                return Err(fail(400, Some("name"), Some("missing_required_parameter"), "Missing required parameter: 'name'."))
            }
            Some(_) => return Err(fail(400, Some("name"), Some("invalid_type"), "Invalid type for 'name': expected a string.")),
        };
        self.certs[i].name = Some(name);
        to_value(&self.certs[i].json(CertificateObject::Certificate, None, false))
    }

    fn delete(&mut self, id: &str) -> Reply {
        let i = self.index(id)?;
        let c = &self.certs[i];
        if c.org_active || !c.projects.is_empty() {
            let mut places = Vec::new();
            if c.org_active {
                places.push("the organization".to_string());
            }
            places.extend(c.projects.iter().map(|p| format!("project '{p}'")));
            return Err(fail(409, Some("certificate_id"), Some("certificate_active"), format!("Certificate '{id}' is active for {}. A certificate must be inactive for the organization and all projects before it can be deleted.", places.join(", "))));
        }
        self.certs.remove(i);
        to_value(&CertificateDeleted { object: DeletedObject::CertificateDeleted, id: id.to_owned() })
    }

    fn toggle(&mut self, project: Option<&str>, activate: bool, body: &[u8]) -> Reply {
        let v = parse_json(body)?;
        let ids: Vec<String> = match v.get("certificate_ids") {
            Some(Value::Array(a)) if a.iter().all(Value::is_string) => a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect(),
            None | Some(Value::Null) => {
                return Err(fail(
                    400,
                    Some("certificate_ids"),
                    Some("missing_required_parameter"),
                    "Missing required parameter: 'certificate_ids'.",
                ))
            }
            Some(_) => {
                return Err(fail(
                    400,
                    Some("certificate_ids"),
                    Some("invalid_type"),
                    "Invalid type for 'certificate_ids': expected an array of strings.",
                ))
            }
        };
        if ids.is_empty() || ids.len() > self.limits.ids_per_call {
            return Err(fail(
                400,
                Some("certificate_ids"),
                Some("invalid_value"),
                format!("Invalid 'certificate_ids': expected between 1 and {} ids, got {}.", self.limits.ids_per_call, ids.len()),
            ));
        }
        // Atomic: every id must exist before anything changes.
        let mut indices = Vec::new();
        for id in &ids {
            let i = self.index(id)?;
            if !indices.contains(&i) {
                indices.push(i);
            }
        }
        for &i in &indices {
            let c = &mut self.certs[i];
            match project {
                None => c.org_active = activate,
                Some(p) if activate => {
                    c.projects.insert(p.to_owned());
                }
                Some(p) => {
                    c.projects.remove(p);
                }
            }
        }
        let object =
            if project.is_some() { CertificateObject::OrganizationProjectCertificate } else { CertificateObject::OrganizationCertificate };
        to_value(&ActivationResponse {
            object: ActivationObject::of(activate, project.is_some()),
            data: indices.iter().map(|&i| self.certs[i].json(object, Some(self.certs[i].active_in(project)), false)).collect(),
        })
    }
}

fn to_value<T: Serialize>(v: &T) -> Reply {
    serde_json::to_value(v).map_err(|e| Fail {
        status: 500,
        message: format!("The server had an error while processing your request: {e}"),
        kind: "server_error",
        param: None,
        code: None,
    })
}

fn not_found_url(method: &str, path: &str) -> Fail {
    fail(404, None, None, format!("Invalid URL ({method} {path})"))
}

fn parse_json(body: &[u8]) -> Result<Value, Fail> {
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(fail(
            400,
            None,
            None,
            "We could not parse the JSON body of your request. The OpenAI API expects a JSON object as the request body.",
        )),
    }
}
