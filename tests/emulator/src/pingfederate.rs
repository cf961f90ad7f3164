//! PingFederate administrative API, signing key pairs: HTTP Basic with an admin account (or a
//! configured bearer token), the `X-XSRF-Header` every call must carry, `ApiResult` errors, and
//! the API itself ([`certwright::vendors::pingfederate::service::Service`], the offline model).
//!
//! Default account: [`DEFAULT_USER`] / [`DEFAULT_PASSWORD`] (PingFederate's documented initial
//! ones, fake here); `POST /__emulator/config` `{"pingfederate": {"username", "password",
//! "bearerToken"}}` changes them. `{"pingfederate": {"seedLegacySha1": true}}` puts in key pair
//! [`LEGACY_SHA1_ID`], whose certificate is signed with SHA-1 (a fixture made by openssl, see
//! `tests/data/vendors/CONTRACTS.md`), for the rotation rule about SHA-1 originals.

use base64::Engine;
use certwright::vendors::pingfederate::service::Service;
use certwright::vendors::transport::HttpResponse;
use serde_json::{json, Value};

use crate::vendor::{ApiRequest, Vendor};

/// Where the PingFederate admin API lives.
pub const PINGFEDERATE_PREFIX: &str = "/pf-admin-api/";
/// The host the emulator answers as PingFederate.
pub const PINGFEDERATE_HOST: &str = "pingfederate.emulator.test";
/// The emulator's admin user.
pub const DEFAULT_USER: &str = "administrator";
/// The emulator's admin password (fake).
pub const DEFAULT_PASSWORD: &str = "2FederateM0re";

/// The id of the SHA-1 key pair `seedLegacySha1` puts in.
pub const LEGACY_SHA1_ID: &str = "legacy-sha1";
const LEGACY_SHA1_KEY: &str = include_str!("../../data/vendors/pingfederate/legacy-sha1.key.pem");
const LEGACY_SHA1_CERT: &str = include_str!("../../data/vendors/pingfederate/legacy-sha1.cert.pem");

/// The emulated PingFederate admin API.
pub struct PingFederate {
    service: Service,
    username: String,
    password: String,
    bearer_token: Option<String>,
}

impl Default for PingFederate {
    fn default() -> PingFederate {
        PingFederate { service: Service::new(), username: DEFAULT_USER.into(), password: DEFAULT_PASSWORD.into(), bearer_token: None }
    }
}

fn api_result(status: u16, result_id: &str, message: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: serde_json::to_vec(&json!({"resultId": result_id, "message": message})).unwrap_or_default(),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl PingFederate {
    fn credentials_ok(&self, authorization: &str) -> bool {
        if let Some(token) = authorization.strip_prefix("Bearer ") {
            return self.bearer_token.as_deref().is_some_and(|t| constant_time_eq(t.as_bytes(), token.as_bytes()));
        }
        let Some(b64) = authorization.strip_prefix("Basic ") else {
            return false;
        };
        let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(b64.trim()) else {
            return false;
        };
        let expected = format!("{}:{}", self.username, self.password);
        constant_time_eq(&raw, expected.as_bytes())
    }
}

impl Vendor for PingFederate {
    fn name(&self) -> &'static str {
        "pingfederate"
    }

    fn serves_host(&self, host: &str) -> bool {
        host == PINGFEDERATE_HOST
    }

    fn path_prefix(&self) -> &'static str {
        PINGFEDERATE_PREFIX
    }

    /// The XSRF header first (PingFederate refuses without it whatever the credentials), then
    /// the credentials. Neither refusal repeats what was sent.
    fn authorize(&mut self, request: &ApiRequest<'_>, _now_ms: i64) -> Result<(), HttpResponse> {
        if request.header("X-XSRF-Header") != Some("PingFederate") {
            return Err(api_result(
                403,
                "xsrf_header_missing",
                "The X-XSRF-Header header (value PingFederate) is required on every administrative API call.",
            ));
        }
        match request.header("Authorization") {
            Some(a) if self.credentials_ok(a) => Ok(()),
            Some(_) => Err(api_result(401, "authentication_failed", "The credentials are not valid.")),
            None => Err(api_result(401, "authentication_required", "Authentication is required.")),
        }
    }

    fn handle(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> HttpResponse {
        self.service.handle(request.method, request.target, request.body, now_ms.div_euclid(1000))
    }

    /// PingFederate documents no rate limit; the emulator's window answers 429 with an
    /// `ApiResult` and `Retry-After`.
    fn rate_limited(&self, _limit: u32, next_ms: i64, detail: &str) -> HttpResponse {
        let mut resp = api_result(429, "rate_limited", detail);
        let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
        let secs = ((next_ms - now_ms).max(0) + 999) / 1000;
        resp.headers.push(("Retry-After".into(), secs.to_string()));
        resp
    }

    fn rate_limit_headers(&self, _limit: u32, _remaining: u32) -> Vec<(String, String)> {
        Vec::new()
    }

    fn failure(&self, status: u16, detail: &str) -> HttpResponse {
        api_result(status, "injected_fault", detail)
    }

    fn configure(&mut self, settings: &Value) {
        let Some(pf) = settings.get("pingfederate") else {
            return;
        };
        if let Some(u) = pf.get("username").and_then(Value::as_str) {
            self.username = u.to_owned();
        }
        if let Some(p) = pf.get("password").and_then(Value::as_str) {
            self.password = p.to_owned();
        }
        if let Some(t) = pf.get("bearerToken") {
            self.bearer_token = t.as_str().map(str::to_owned);
        }
        if pf.get("seedLegacySha1").and_then(Value::as_bool) == Some(true) {
            let key = certwright::pki::PrivateKey::import(LEGACY_SHA1_KEY.as_bytes(), None);
            let cert = certwright::pki::pem::split(LEGACY_SHA1_CERT).into_iter().next().and_then(|b| b.der.ok());
            if let (Ok(key), Some(cert)) = (key, cert) {
                // The fixture matches itself; a failure would only leave the server without it.
                let _ = self.service.insert_key_pair(LEGACY_SHA1_ID, key, cert);
            }
        }
    }

    /// The user name and whether a bearer token is set (never the password or token).
    fn settings(&self) -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        map.insert("pingfederate".into(), json!({"username": self.username, "bearerToken": self.bearer_token.is_some()}));
        map
    }

    fn reset(&mut self) {
        self.service = Service::new();
    }
}
