//! MATTR VII DTS certificates: the OAuth token endpoint (JSON `{client_id, client_secret,
//! audience, grant_type}`, the audience must be the tenant URL), Bearer tokens on every
//! non-public request, MATTR's `{code, message, details}` errors, and the API itself
//! ([`certwright::vendors::mattr::service::Service`]: managed roots with certificates made by the
//! project's builder, uploaded roots after the rule pack, CRLs signed by managed roots, VICAL
//! signers, the 3-root and 5-signer caps).
//!
//! Hosts: any `*.mattr.global` or `*.mattr.test`; the token endpoint is `POST /oauth/token` on
//! any of them (MATTR's is `auth.<region>.mattr.global`). The emulated tenant answers as
//! [`MATTR_TENANT`] and as [`MATTR_TEST_TENANT`] (what `scripts/dev.sh` and the browser tests
//! route), or as the URL set with `POST /__emulator/config` `{"mattrAudience":"http://127.0.0.1:PORT"}`
//! (for a client that calls the emulator directly, whose tenant URL is the emulator's own, e.g.
//! with `--vendor mattr`); a token's audience must be one of them, and a token is accepted only on
//! its audience's host (a token for one tenant is refused by another: 401). Its client is
//! [`MATTR_CLIENT_ID`] / [`MATTR_CLIENT_SECRET`] (fake values).
//!
//! Control (`/__emulator/…`):
//! - `POST /__emulator/config` `{"mattrTokenTtlS":N}`: tokens live N seconds (14400 by default);
//!   `{"mattrRejectTokens":N}`: the next N requests that carry a token are refused with 401 "The
//!   token is not valid" (a token revoked at MATTR; the token endpoint is not counted);
//!   `{"mattrAudience":URL}`: see above;
//! - `POST /__emulator/mattr/revoke` `{"rootId":"…","serialHex":"0a1b"}`: puts a serial on a
//!   managed root's CRL (404 when there is no such root).

use certwright::vendors::mattr::service::Service;
use certwright::vendors::transport::HttpResponse;
use serde_json::{json, Value};

use crate::vendor::{ApiRequest, Vendor};

/// Where MATTR's API lives.
pub const MATTR_PREFIX: &str = "/v1/ecosystems/";
/// The token endpoint's path.
pub const MATTR_TOKEN_PATH: &str = "/oauth/token";
/// The emulated tenant (the token's required `audience`).
pub const MATTR_TENANT: &str = "https://emulator.vii.au01.mattr.global";
/// The same tenant under the test domain (`scripts/dev.sh`, the browser tests).
pub const MATTR_TEST_TENANT: &str = "https://tenant.mattr.test";
/// The emulated tenant's client id.
pub const MATTR_CLIENT_ID: &str = "emulator-client";
/// The emulated tenant's client secret (a fake value).
pub const MATTR_CLIENT_SECRET: &str = "emulator-secret-not-real";

/// The emulated MATTR API.
pub struct Mattr {
    service: Service,
    /// Issued tokens: the token, when it expires (Unix ms), its audience's host.
    tokens: Vec<(String, i64, String)>,
    /// Token lifetime, seconds.
    pub token_ttl_s: i64,
    /// Requests with a token still to refuse with 401 (`mattrRejectTokens`).
    pub reject_tokens: u32,
    /// A further `audience` a token request may name (default [`MATTR_TENANT`]).
    pub audience: String,
    issued: u64,
}

/// The host of an `https://` URL, lowercased.
fn host_of(url: &str) -> String {
    url.split("://").nth(1).unwrap_or(url).split(['/', ':']).next().unwrap_or("").to_ascii_lowercase()
}

impl Default for Mattr {
    fn default() -> Mattr {
        Mattr::new()
    }
}

impl Mattr {
    /// The emulated tenant, empty.
    pub fn new() -> Mattr {
        Mattr {
            service: Service::new(MATTR_TENANT),
            tokens: Vec::new(),
            token_ttl_s: 14_400,
            reject_tokens: 0,
            audience: MATTR_TENANT.to_owned(),
            issued: 0,
        }
    }

    fn is_public(target: &str) -> bool {
        let path = target.split('?').next().unwrap_or(target);
        path.starts_with("/v1/ecosystems/public/") || path.ends_with("/crl")
    }

    fn token(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> HttpResponse {
        let refuse = |status: u16, error: &str, why: &str| json_response(status, &json!({"error": error, "error_description": why}));
        if request.method != "POST" {
            return refuse(405, "invalid_request", "use POST");
        }
        let Ok(body) = serde_json::from_slice::<Value>(request.body) else {
            return refuse(400, "invalid_request", "the body must be JSON {client_id, client_secret, audience, grant_type}");
        };
        let field = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
        if field("grant_type") != "client_credentials" {
            return refuse(400, "unsupported_grant_type", "grant_type must be client_credentials");
        }
        if field("client_id") != MATTR_CLIENT_ID || field("client_secret") != MATTR_CLIENT_SECRET {
            return refuse(401, "access_denied", "Unauthorized");
        }
        let audience = field("audience").trim_end_matches('/');
        if audience != MATTR_TENANT && audience != MATTR_TEST_TENANT && audience != self.audience {
            return refuse(403, "access_denied", "Service not enabled within domain: the audience is not this tenant's URL");
        }
        self.issued += 1;
        let token = format!("emulator-token-{}-{}", self.issued, now_ms);
        self.tokens.retain(|(_, exp, _)| *exp > now_ms);
        self.tokens.push((token.clone(), now_ms + self.token_ttl_s * 1000, host_of(audience)));
        json_response(200, &json!({"access_token": token, "expires_in": self.token_ttl_s, "token_type": "Bearer"}))
    }
}

fn json_response(status: u16, body: &Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: serde_json::to_vec(body).unwrap_or_default(),
    }
}

fn mattr_error(status: u16, code: &str, message: &str) -> HttpResponse {
    json_response(status, &json!({"code": code, "message": message, "details": []}))
}

impl Vendor for Mattr {
    fn name(&self) -> &'static str {
        "mattr"
    }

    fn serves_host(&self, host: &str) -> bool {
        host.ends_with(".mattr.global") || host.ends_with(".mattr.test")
    }

    fn path_prefix(&self) -> &'static str {
        MATTR_PREFIX
    }

    fn serves_path(&self, target: &str) -> bool {
        target.starts_with(MATTR_PREFIX) || target.split('?').next() == Some(MATTR_TOKEN_PATH)
    }

    fn authorize(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> Result<(), HttpResponse> {
        if request.target.split('?').next() == Some(MATTR_TOKEN_PATH) || Mattr::is_public(request.target) {
            return Ok(());
        }
        let token = request.header("Authorization").and_then(|h| h.strip_prefix("Bearer ")).map(str::trim);
        let host = request.header("Host").map(|h| h.split(':').next().unwrap_or(h).to_ascii_lowercase());
        match token {
            None => Err(mattr_error(401, "Unauthorized", "The Authorization header with a Bearer token is missing")),
            Some(_) if self.reject_tokens > 0 => {
                self.reject_tokens -= 1;
                Err(mattr_error(401, "Unauthorized", "The token is not valid"))
            }
            Some(t) => match self.tokens.iter().find(|(k, _, _)| k == t) {
                Some((_, _, aud)) if host.as_ref().is_some_and(|h| h != aud) => {
                    Err(mattr_error(401, "Unauthorized", "The token was issued for another tenant (its audience is not this host)"))
                }
                Some((_, exp, _)) if *exp > now_ms => Ok(()),
                Some(_) => Err(mattr_error(401, "Unauthorized", "The token has expired")),
                None => Err(mattr_error(401, "Unauthorized", "The token is not valid")),
            },
        }
    }

    fn handle(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> HttpResponse {
        if request.target.split('?').next() == Some(MATTR_TOKEN_PATH) {
            return self.token(request, now_ms);
        }
        self.service.handle(request.method, request.target, request.body, now_ms.div_euclid(1000), &mut rand_core::OsRng)
    }

    /// MATTR documents no rate-limit headers: a 429 with `Retry-After` and its error body.
    fn rate_limited(&self, _limit: u32, next_ms: i64, detail: &str) -> HttpResponse {
        let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
        let mut resp = mattr_error(429, "TooManyRequests", detail);
        resp.headers.push(("Retry-After".into(), ((next_ms - now_ms).max(0) / 1000 + 1).to_string()));
        resp
    }

    fn rate_limit_headers(&self, _limit: u32, _remaining: u32) -> Vec<(String, String)> {
        Vec::new()
    }

    fn failure(&self, status: u16, detail: &str) -> HttpResponse {
        let code = if status >= 500 { "InternalServerError" } else { "InjectedFault" };
        mattr_error(status, code, detail)
    }

    fn configure(&mut self, settings: &Value) {
        if let Some(s) = settings.get("mattrTokenTtlS").and_then(Value::as_i64) {
            self.token_ttl_s = s.max(1);
        }
        if let Some(n) = settings.get("mattrRejectTokens").and_then(Value::as_u64) {
            self.reject_tokens = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(a) = settings.get("mattrAudience").and_then(Value::as_str) {
            self.audience = a.trim_end_matches('/').to_owned();
        }
    }

    fn settings(&self) -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        map.insert("mattrTokenTtlS".into(), json!(self.token_ttl_s));
        map.insert("mattrRejectTokens".into(), json!(self.reject_tokens));
        map.insert("mattrAudience".into(), json!(self.audience));
        map
    }

    fn reset(&mut self) {
        self.service = Service::new(MATTR_TENANT);
        self.tokens.clear();
        self.reject_tokens = 0;
    }

    fn control(&mut self, method: &str, path: &str, body: &Value) -> Option<HttpResponse> {
        if (method, path) != ("POST", "revoke") {
            return None;
        }
        let field = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
        let serial = field("serialHex");
        if serial.is_empty() || serial.len() > 40 || !serial.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(json_response(400, &json!({"error": "serialHex must be 1 to 40 hex digits"})));
        }
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        Some(if self.service.revoke(field("rootId"), serial, now) {
            json_response(200, &json!({"revoked": serial}))
        } else {
            json_response(404, &json!({"error": "no such root"}))
        })
    }
}
