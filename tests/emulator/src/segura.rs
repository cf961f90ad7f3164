//! Segura (senhasegura) certificate requests: the A2A OAuth 2.0 token endpoint
//! (`POST /iso/oauth2/token`, `grant_type=client_credentials`, the client id and secret in the
//! form body or as HTTP Basic), Bearer tokens on every API request, Segura's
//! `{status, message, error}` errors, and the API itself
//! ([`certwright::vendors::segura::service::Service`]: requests created, modified, listed and
//! signed, `"N - label"` statuses, the wrapper with English and Portuguese keys).
//!
//! Hosts: any `*.segura.test` or `*.senhasegura.test` (and those names themselves); by path,
//! `/api/`. The emulated A2A application is [`SEGURA_CLIENT_ID`] / [`SEGURA_CLIENT_SECRET`]
//! (fake values). Tokens live [`Segura::token_ttl_s`] seconds (3600 by default;
//! `POST /__emulator/config` `{"seguraTokenTtlS":N,"seguraGovernance":true,"seguraIssueAsync":true}`;
//! governance makes signing demand an `itsm_code`; with `seguraIssueAsync` a signed request waits
//! in `6 - Issuing` until `POST /__emulator/segura/advance` `{"code_request":N}` completes it to
//! `7 - Signed`, so a client can follow its status).

use certwright::pki::pem::decode_base64;
use certwright::vendors::query::form_decode;
use certwright::vendors::segura::service::{flat_error, Service};
use certwright::vendors::transport::HttpResponse;
use serde_json::{json, Value};

use crate::vendor::{ApiRequest, Vendor};

/// Where Segura's API lives.
pub const SEGURA_PREFIX: &str = "/api/";
/// The token endpoint's path.
pub const SEGURA_TOKEN_PATH: &str = "/iso/oauth2/token";
/// The emulated A2A application's client id.
pub const SEGURA_CLIENT_ID: &str = "emulator-a2a";
/// The emulated A2A application's client secret (a fake value).
pub const SEGURA_CLIENT_SECRET: &str = "emulator-a2a-secret-not-real";

/// The emulated Segura vault.
pub struct Segura {
    service: Service,
    /// Issued tokens and when they expire (Unix ms).
    tokens: Vec<(String, i64)>,
    /// Token lifetime, seconds.
    pub token_ttl_s: i64,
    issued: u64,
}

impl Default for Segura {
    fn default() -> Segura {
        Segura::new()
    }
}

fn json_response(status: u16, body: &Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: serde_json::to_vec(body).unwrap_or_default(),
    }
}

impl Segura {
    /// An empty vault.
    pub fn new() -> Segura {
        Segura { service: Service::new("emulator"), tokens: Vec::new(), token_ttl_s: 3600, issued: 0 }
    }

    fn token(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> HttpResponse {
        let refuse = |status: u16, error: &str, why: &str| json_response(status, &json!({"error": error, "error_description": why}));
        if request.method != "POST" {
            return refuse(405, "invalid_request", "use POST");
        }
        let body = String::from_utf8_lossy(request.body);
        let form: Vec<(String, String)> = body
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (form_decode(k), form_decode(v))
            })
            .collect();
        let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        if field("grant_type") != "client_credentials" {
            return refuse(400, "unsupported_grant_type", "grant_type must be client_credentials (a form body)");
        }
        let basic = request
            .header("Authorization")
            .and_then(|h| h.strip_prefix("Basic "))
            .and_then(|b| decode_base64(b.trim()).ok())
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.split_once(':').map(|(a, b)| (a.to_owned(), b.to_owned())));
        let (id, secret) = basic.unwrap_or_else(|| (field("client_id"), field("client_secret")));
        if id != SEGURA_CLIENT_ID || secret != SEGURA_CLIENT_SECRET {
            return refuse(401, "invalid_client", "Unknown client or wrong secret");
        }
        self.issued += 1;
        let token = format!("segura-token-{}-{}", self.issued, now_ms);
        self.tokens.retain(|(_, exp)| *exp > now_ms);
        self.tokens.push((token.clone(), now_ms + self.token_ttl_s * 1000));
        json_response(200, &json!({"token_type": "Bearer", "expires_in": self.token_ttl_s, "access_token": token}))
    }
}

impl Vendor for Segura {
    fn name(&self) -> &'static str {
        "segura"
    }

    fn serves_host(&self, host: &str) -> bool {
        ["segura.test", "senhasegura.test"].iter().any(|d| host == *d || host.ends_with(&format!(".{d}")))
    }

    fn path_prefix(&self) -> &'static str {
        SEGURA_PREFIX
    }

    fn serves_path(&self, target: &str) -> bool {
        target.starts_with(SEGURA_PREFIX) || target.split('?').next() == Some(SEGURA_TOKEN_PATH)
    }

    fn authorize(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> Result<(), HttpResponse> {
        if request.target.split('?').next() == Some(SEGURA_TOKEN_PATH) {
            return Ok(());
        }
        let token = request.header("Authorization").and_then(|h| h.strip_prefix("Bearer ")).map(str::trim);
        match token {
            None => Err(flat_error(401, "Unauthorized access: no Bearer token")),
            Some(t) => match self.tokens.iter().find(|(k, _)| k == t) {
                Some((_, exp)) if *exp > now_ms => Ok(()),
                Some(_) => Err(flat_error(401, "Unauthorized access: the token has expired")),
                None => Err(flat_error(401, "Unauthorized access: the token is not valid")),
            },
        }
    }

    fn handle(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> HttpResponse {
        if request.target.split('?').next() == Some(SEGURA_TOKEN_PATH) {
            return self.token(request, now_ms);
        }
        self.service.handle(request.method, request.target, request.body)
    }

    /// Segura documents no rate-limit headers: a 429 with `Retry-After` and its flat error.
    fn rate_limited(&self, _limit: u32, next_ms: i64, detail: &str) -> HttpResponse {
        let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
        let mut resp = flat_error(429, detail);
        resp.headers.push(("Retry-After".into(), ((next_ms - now_ms).max(0) / 1000 + 1).to_string()));
        resp
    }

    fn rate_limit_headers(&self, _limit: u32, _remaining: u32) -> Vec<(String, String)> {
        Vec::new()
    }

    fn failure(&self, status: u16, detail: &str) -> HttpResponse {
        if status >= 500 {
            flat_error(status, &format!("Internal server error: {detail}"))
        } else {
            flat_error(status, detail)
        }
    }

    fn configure(&mut self, settings: &Value) {
        if let Some(s) = settings.get("seguraTokenTtlS").and_then(Value::as_i64) {
            self.token_ttl_s = s.max(1);
        }
        if let Some(g) = settings.get("seguraGovernance").and_then(Value::as_bool) {
            self.service.governance = g;
        }
        if let Some(a) = settings.get("seguraIssueAsync").and_then(Value::as_bool) {
            self.service.issue_async = a;
        }
    }

    fn settings(&self) -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        map.insert("seguraTokenTtlS".into(), json!(self.token_ttl_s));
        map.insert("seguraGovernance".into(), json!(self.service.governance));
        map.insert("seguraIssueAsync".into(), json!(self.service.issue_async));
        map
    }

    fn reset(&mut self) {
        let (governance, issue_async) = (self.service.governance, self.service.issue_async);
        self.service = Service::new("emulator");
        self.service.governance = governance;
        self.service.issue_async = issue_async;
        self.tokens.clear();
    }

    /// `POST /__emulator/segura/advance` `{"code_request":N}`: the CA finishes issuing request
    /// N (`6 - Issuing` -> `7 - Signed`). 404 for an unknown request, 409 when it is not issuing.
    fn control(&mut self, method: &str, path: &str, body: &Value) -> Option<HttpResponse> {
        if (method, path) != ("POST", "advance") {
            return None;
        }
        let Some(code) = body.get("code_request").and_then(Value::as_u64) else {
            return Some(json_response(400, &json!({"error": "send {\"code_request\": N}"})));
        };
        Some(match self.service.advance(code) {
            Ok(status) => json_response(200, &json!({"code_request": code, "status_request": status})),
            Err(why) => {
                let status = if self.service.requests().iter().any(|r| r.code == code) { 409 } else { 404 };
                json_response(status, &json!({"error": why}))
            }
        })
    }
}
