//! An offline model of Segura's certificate request API: the state (requests and their
//! statuses), the rules ([`super::rules`], plus what only the vault knows: organizations, CAs,
//! reason codes, governance) and Segura's answer shapes. The emulator serves it over HTTP and an
//! offline workspace can call it directly. No authentication here (the emulator does that).
//!
//! - `POST /api/v1/certificates/requests` creates (no `code_request`) or modifies; flat answer
//!   `{status, message, error, code_request, type_certificate, type_domain, …}`;
//! - `POST /api/v1/certificates/requests/sign/{id}` (also `…/requests/{id}/sign`) signs; flat
//!   answer with `ca` and `reason` as `"N - label"`;
//! - `GET /api/certificate/request/list?filters&offset&limit`, `GET …/list/{id}` and
//!   `GET /api/certificate/request/status/{id}`: the wrapper `{code, response:{status, message,
//!   error, error_code, detail, mensagem, erro, cod_erro}, tenant, data}`.
//!
//! Errors: 400 for invalid parameters (the message names the field), 403 when governance demands
//! an ITSM code, 404 for an unknown request, 405 for another method. Create and sign errors are
//! flat `{status, message, error: true}`; list, get and status errors are the wrapper.
//!
//! States: `1 - Pending` after create, `2 - Modified` after modify, `7 - Signed` after sign
//! (a signed request can no longer be modified or signed again). With
//! [`Service::issue_async`], sign leaves the request `6 - Issuing` (the CA still working) until
//! [`Service::advance`] completes it to `7 - Signed`, so a client can follow its status.

use serde_json::{json, Map, Value};

use super::models::{status, CertificateRequest, SignRequest};
use super::rules;
use crate::vendors::query::parse_query;
use crate::vendors::transport::HttpResponse;

/// One stored request.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredRequest {
    /// Its code.
    pub code: u64,
    /// The fields as last sent (`san` filled).
    pub fields: CertificateRequest,
    /// `(number, label)`.
    pub status: (i64, String),
    /// The certificate's code once signed.
    pub certificate_code: Option<u64>,
}

/// The API's state.
#[derive(Clone, Debug)]
pub struct Service {
    /// The tenant name the wrapper reports.
    pub tenant: String,
    /// Organization codes that exist.
    pub organizations: Vec<u64>,
    /// CAs: code and name.
    pub cas: Vec<(u64, String)>,
    /// Reason codes and labels.
    pub reasons: Vec<(u64, String)>,
    /// Whether signing demands an `itsm_code`.
    pub governance: bool,
    /// Whether a signed request waits in `6 - Issuing` until [`Service::advance`].
    pub issue_async: bool,
    requests: Vec<StoredRequest>,
    next_code: u64,
    next_certificate: u64,
}

impl Default for Service {
    fn default() -> Service {
        Service::new("emulator")
    }
}

fn json_response(status: u16, body: &Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: serde_json::to_vec(body).unwrap_or_default(),
    }
}

/// Segura's flat error `{status, message, error: true}`.
pub fn flat_error(status: u16, message: &str) -> HttpResponse {
    json_response(status, &json!({"status": status, "message": message, "error": true}))
}

impl Service {
    /// An empty vault: organizations 1 and 42, CA `5 - GlobalSign`, reasons 1–3, no governance.
    pub fn new(tenant: &str) -> Service {
        Service {
            tenant: tenant.to_owned(),
            organizations: vec![1, 42],
            cas: vec![(5, "GlobalSign".into())],
            reasons: vec![(1, "New Certificate".into()), (2, "Replacement".into()), (3, "Scheduled Renewal".into())],
            governance: false,
            issue_async: false,
            requests: Vec::new(),
            next_code: 123,
            next_certificate: 9001,
        }
    }

    /// The stored requests, oldest first.
    pub fn requests(&self) -> &[StoredRequest] {
        &self.requests
    }

    fn wrapper(&self, status: u16, message: &str, data: Value) -> HttpResponse {
        let error = status >= 400;
        let code = if error { i64::from(status) } else { 0 };
        json_response(
            status,
            &json!({
                "code": status,
                "response": {
                    "status": status,
                    "message": message,
                    "error": error,
                    "error_code": code,
                    "detail": if error { Value::String(message.into()) } else { Value::Null },
                    "mensagem": message,
                    "erro": error,
                    "cod_erro": code,
                },
                "tenant": self.tenant,
                "data": data,
            }),
        )
    }

    /// Answers one request. `target` is the path and query as sent.
    pub fn handle(&mut self, method: &str, target: &str, body: &[u8]) -> HttpResponse {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let path = path.trim_end_matches('/');
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segs.as_slice() {
            ["api", "v1", "certificates", "requests"] => match method {
                "POST" => self.create_or_modify(body),
                _ => flat_error(405, "Method not allowed: use POST"),
            },
            ["api", "v1", "certificates", "requests", "sign", id] | ["api", "v1", "certificates", "requests", id, "sign"] => match method {
                "POST" => self.sign(id, body),
                _ => flat_error(405, "Method not allowed: use POST"),
            },
            ["api", "certificate", "request", "list"] if method == "GET" => self.list(query),
            ["api", "certificate", "request", "list", id] if method == "GET" => self.get(id),
            ["api", "certificate", "request", "status", id] if method == "GET" => self.status(id),
            ["api", "certificate", "request", ..] => self.wrapper(405, "Method not allowed: use GET", Value::Null),
            _ => flat_error(404, "Resource not found"),
        }
    }

    fn find(&self, id: &str) -> Option<usize> {
        let code: u64 = id.parse().ok()?;
        self.requests.iter().position(|r| r.code == code)
    }

    fn create_or_modify(&mut self, body: &[u8]) -> HttpResponse {
        let fields: CertificateRequest = match serde_json::from_slice(body) {
            Ok(f) => f,
            Err(e) => return flat_error(400, &format!("Invalid parameters provided: {}", short(&e.to_string()))),
        };
        if let Some(first) = rules::check_request(&fields).first() {
            return flat_error(400, &format!("Invalid parameters provided: {}: {}", first.field, first.message));
        }
        if !self.organizations.contains(&fields.organization) {
            return flat_error(400, &format!("Invalid parameters provided: organization {} is not registered", fields.organization));
        }
        let fields = fields.with_default_san();
        let (code, message) = match fields.code_request {
            None => {
                let code = self.next_code;
                self.next_code += 1;
                self.requests.push(StoredRequest {
                    code,
                    fields: CertificateRequest { code_request: Some(code), ..fields.clone() },
                    status: (status::PENDING.0, status::PENDING.1.into()),
                    certificate_code: None,
                });
                (code, "Request created successfully")
            }
            Some(code) => {
                let Some(i) = self.requests.iter().position(|r| r.code == code) else {
                    return flat_error(404, &format!("Resource not found: request {code}"));
                };
                let stored = &mut self.requests[i];
                if stored.status.0 == status::SIGNED.0 {
                    return flat_error(400, &format!("Invalid parameters provided: code_request {code} is already signed"));
                }
                stored.fields = fields.clone();
                stored.status = (status::MODIFIED.0, status::MODIFIED.1.into());
                (code, "Request modified successfully")
            }
        };
        let f = &fields;
        json_response(
            200,
            &json!({
                "status": 200,
                "message": message,
                "error": false,
                "code_request": code,
                "type_certificate": f.certificate_type,
                "type_domain": f.domain_type,
                "organization": f.organization,
                "common_name": f.common_name,
                "san": f.san,
                "encryption": f.encryption,
                "encryption_key_size": f.encryption_key_size,
                "certificate_algorithm": f.certificate_algorithm,
                "validity": f.validity,
                "justification": f.justification,
                "description": f.description,
            }),
        )
    }

    fn sign(&mut self, id: &str, body: &[u8]) -> HttpResponse {
        let Some(i) = self.find(id) else {
            return flat_error(404, "Resource not found");
        };
        let fields: SignRequest = match serde_json::from_slice(body) {
            Ok(f) => f,
            Err(e) => return flat_error(400, &format!("Invalid parameters provided: {}", short(&e.to_string()))),
        };
        let findings = rules::check_sign(&fields, self.governance);
        if let Some(first) = findings.first() {
            let status = if first.field == "itsm_code" { 403 } else { 400 };
            return flat_error(status, &format!("Invalid parameters provided: {}: {}", first.field, first.message));
        }
        let Some(reason) = self.reasons.iter().find(|(c, _)| *c == fields.reason).cloned() else {
            return flat_error(400, &format!("Invalid parameters provided: reason {} is not a reason code", fields.reason));
        };
        let ca = if fields.self_signed == 1 {
            Value::Null
        } else {
            let code = fields.ca.unwrap_or(0);
            match self.cas.iter().find(|(c, _)| *c == code) {
                Some((c, name)) => Value::String(format!("{c} - {name}")),
                None => return flat_error(400, &format!("Invalid parameters provided: ca {code} is not a CA")),
            }
        };
        if [status::SIGNED.0, status::ISSUING.0].contains(&self.requests[i].status.0) {
            return flat_error(400, &format!("Invalid parameters provided: request {id} is already signed"));
        }
        if self.issue_async {
            self.requests[i].status = (status::ISSUING.0, status::ISSUING.1.into());
        } else {
            self.complete(i);
        }
        let stored = &self.requests[i];
        json_response(
            200,
            &json!({
                "status": 200,
                "message": "Request signed successfully",
                "error": false,
                "code_request": stored.code,
                "self_signed": fields.self_signed,
                "ca": ca,
                "justification": fields.justification,
                "reason": format!("{} - {}", reason.0, reason.1),
                "itsm_code": fields.itsm_code,
            }),
        )
    }

    /// Gives request `i` its certificate: `7 - Signed`.
    fn complete(&mut self, i: usize) {
        let cert = self.next_certificate;
        self.next_certificate += 1;
        let stored = &mut self.requests[i];
        stored.status = (status::SIGNED.0, status::SIGNED.1.into());
        stored.certificate_code = Some(cert);
    }

    /// Moves request `code` one state on: `6 - Issuing` becomes `7 - Signed` with a certificate
    /// code (what the CA finishing looks like). Returns the new status as `"N - label"`.
    ///
    /// # Errors
    /// Why not: no such request, or it is not issuing (pending and modified requests need a sign
    /// call; signed ones are done).
    pub fn advance(&mut self, code: u64) -> Result<String, String> {
        let i = self.requests.iter().position(|r| r.code == code).ok_or_else(|| format!("no request {code}"))?;
        let (n, label) = self.requests[i].status.clone();
        if n != status::ISSUING.0 {
            return Err(format!("request {code} is `{n} - {label}`, not issuing: only a signed request that is issuing can advance"));
        }
        self.complete(i);
        Ok(format!("{} - {}", status::SIGNED.0, status::SIGNED.1))
    }

    fn record(r: &StoredRequest) -> Value {
        let f = &r.fields;
        json!({
            "code_request": r.code,
            "status_request": format!("{} - {}", r.status.0, r.status.1),
            "type_certificate": f.certificate_type,
            "type_domain": f.domain_type,
            "organization": f.organization,
            "common_name": f.common_name,
            "san": f.san,
            "tags": f.tags,
            "encryption": f.encryption,
            "encryption_key_size": f.encryption_key_size,
            "algorithm_certified": f.certificate_algorithm,
            "validity": f.validity,
            "environments": f.environments,
            "systems": f.systems,
            "design": f.project,
            "ip_external": f.external_ip,
            "ip_hostname": f.hostname_ip,
            "responsible": f.responsible,
            "justification": f.justification,
            "description": f.description,
            "certificate_code": r.certificate_code,
        })
    }

    fn list(&self, query: &str) -> HttpResponse {
        let params: Map<String, Value> = parse_query(query).into_iter().map(|(k, v)| (k, Value::String(v))).collect();
        let num = |k: &str| -> Result<Option<u64>, HttpResponse> {
            match params.get(k).and_then(Value::as_str) {
                None | Some("") => Ok(None),
                Some(v) => v
                    .parse()
                    .map(Some)
                    .map_err(|_| self.wrapper(400, &format!("Invalid parameters provided: {k} must be a number"), Value::Null)),
            }
        };
        let (offset, limit) = match (num("offset"), num("limit")) {
            (Ok(o), Ok(l)) => (o.unwrap_or(0), l.unwrap_or(50)),
            (Err(e), _) | (_, Err(e)) => return e,
        };
        if limit == 0 || limit > 1000 {
            return self.wrapper(400, "Invalid parameters provided: limit must be between 1 and 1000", Value::Null);
        }
        let matches = |r: &StoredRequest| -> bool {
            let rec = Service::record(r);
            params.iter().all(|(k, v)| {
                let want = v.as_str().unwrap_or("");
                if want.is_empty() || k == "offset" || k == "limit" {
                    return true;
                }
                let have = match rec.get(k.as_str()) {
                    Some(h) => h,
                    None => return true,
                };
                match (k.as_str(), have) {
                    ("status_request", Value::String(s)) => s.split(" - ").next() == Some(want) || s == want,
                    ("common_name", Value::String(s)) => s.to_ascii_lowercase().contains(&want.to_ascii_lowercase()),
                    (_, Value::Array(items)) => {
                        want.split(',').all(|w| items.iter().any(|i| i.as_str().is_some_and(|i| i.eq_ignore_ascii_case(w))))
                    }
                    (_, Value::String(s)) => s.eq_ignore_ascii_case(want),
                    (_, Value::Number(n)) => n.to_string() == want,
                    _ => false,
                }
            })
        };
        let page: Vec<Value> = self
            .requests
            .iter()
            .filter(|r| matches(r))
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(Service::record)
            .collect();
        self.wrapper(200, "1001: OK", json!({ "requests": page }))
    }

    fn get(&self, id: &str) -> HttpResponse {
        match self.find(id) {
            Some(i) => self.wrapper(200, "1001: OK", json!({ "request": Service::record(&self.requests[i]) })),
            None => self.wrapper(404, "Resource not found", Value::Null),
        }
    }

    fn status(&self, id: &str) -> HttpResponse {
        match self.find(id) {
            Some(i) => {
                let r = &self.requests[i];
                self.wrapper(
                    200,
                    "1001: OK",
                    json!({
                        "request_code": r.code,
                        "status_request": format!("{} - {}", r.status.0, r.status.1),
                        "certificate_code": r.certificate_code,
                    }),
                )
            }
            None => self.wrapper(404, "Resource not found", Value::Null),
        }
    }
}

fn short(s: &str) -> String {
    s.chars().take(200).collect()
}
