//! OpenAI Admin API, organization and project certificates: the Bearer admin-key check, OpenAI's
//! error object and rate-limit headers, and the API itself
//! ([`certwright::vendors::openai::service::Service`], the same model an offline workspace can
//! run): ids `cert_...`, the 50-certificate cap, active state per organization and per project,
//! delete refused while active, 1–10 ids per activation call, listings with `limit` / `after` /
//! `order`, every answer in the shapes of OpenAI's OpenAPI document.

use certwright::pki;
use certwright::vendors::openai::service::Service;
use certwright::vendors::transport::HttpResponse;
use serde_json::{json, Value};

use crate::vendor::{ApiRequest, Vendor};

/// Where the OpenAI API lives.
pub const OPENAI_PREFIX: &str = "/v1/";

/// The admin key the emulator accepts unless told otherwise (fake; for tests and `dev.sh`).
pub const EMULATOR_ADMIN_KEY: &str = "sk-admin-emulator-0000000000000000";

/// The emulated OpenAI API.
pub struct OpenAi {
    service: Service,
    admin_keys: Vec<String>,
    requests: u64,
    /// The emulator's clock at the last request (its offset included), for 429 waits.
    last_now_ms: i64,
}

impl OpenAi {
    /// Accepting `Authorization: Bearer K` for each of `admin_keys`.
    pub fn new(admin_keys: Vec<String>) -> OpenAi {
        OpenAi { service: Service::default(), admin_keys, requests: 0, last_now_ms: 0 }
    }

    fn request_id(&mut self) -> String {
        self.requests += 1;
        format!("req_emulator{:020}", self.requests)
    }

    /// OpenAI's error answer.
    fn error(&mut self, status: u16, kind: &str, code: Option<&str>, message: &str, mut headers: Vec<(String, String)>) -> HttpResponse {
        let body = json!({ "error": { "message": message, "type": kind, "param": null, "code": code } });
        headers.insert(0, ("Content-Type".into(), "application/json".into()));
        headers.push(("x-request-id".into(), self.request_id()));
        HttpResponse { status, headers, body: serde_json::to_vec(&body).unwrap_or_default() }
    }
}

/// Most certificates one `openaiSeed` adds.
pub const MAX_SEED: u64 = 500;

fn system_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

impl OpenAi {
    /// Uploads `n` distinct CA certificates (one P-256 key, one serial and name each) through
    /// the service's own upload, so they pass its rules; the cap is raised to fit them.
    pub fn seed(&mut self, n: usize, now_ms: i64) {
        if n == 0 {
            return;
        }
        let Ok(key) = pki::PrivateKey::generate(pki::KeyAlgorithm::P256, &mut rand_core::OsRng) else { return };
        let needed = self.service.certificate_count() + n;
        self.service.limits.certificates = self.service.limits.certificates.max(needed);
        let start = self.service.certificate_count();
        for i in start + 1..=start + n {
            let now = now_ms.div_euclid(1000);
            let params = pki::CertParams {
                subject: pki::SubjectFields { common_name: format!("Seeded CA {i:03}"), ..Default::default() },
                is_ca: true,
                key_usage: vec!["keyCertSign".into(), "cRLSign".into()],
                not_before: now - 86_400,
                not_after: now + 365 * 86_400,
                ..Default::default()
            };
            let mut serial = [0u8; 20];
            serial[0] = 0x21;
            serial[12..20].copy_from_slice(&(i as u64).to_be_bytes());
            let Ok(der) = pki::issue_certificate(&params, pki::CertSubject::Key(&key), None, serial) else { return };
            let body = json!({ "certificate": pki::pem::encode("CERTIFICATE", &der), "name": format!("seed-{i:03}") });
            // One millisecond apart, so listings keep the seeding order.
            let at = now_ms + i as i64;
            self.service.handle("POST", "/v1/organization/certificates", &serde_json::to_vec(&body).unwrap_or_default(), at);
        }
    }
}

impl Vendor for OpenAi {
    fn name(&self) -> &'static str {
        "openai"
    }

    fn serves_host(&self, host: &str) -> bool {
        host == "api.openai.com" || host.ends_with(".openai.test")
    }

    fn path_prefix(&self) -> &'static str {
        OPENAI_PREFIX
    }

    /// `Authorization: Bearer <admin key>`; a missing or wrong key gets OpenAI's 401 (the key is
    /// never echoed).
    fn authorize(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> Result<(), HttpResponse> {
        self.last_now_ms = now_ms;
        let Some(auth) = request.header("Authorization") else {
            return Err(self.error(401, "invalid_request_error", None, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", vec![]));
        };
        let key = auth.strip_prefix("Bearer ").unwrap_or("").trim();
        if self.admin_keys.iter().any(|k| k == key) {
            Ok(())
        } else {
            Err(self.error(
                401,
                "invalid_request_error",
                Some("invalid_api_key"),
                "Incorrect API key provided. The certificate endpoints need an admin key.",
                vec![],
            ))
        }
    }

    fn handle(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> HttpResponse {
        self.service.handle(request.method, request.target, request.body, now_ms)
    }

    /// OpenAI's 429: `x-ratelimit-*-requests` headers, `Retry-After`, and its error object.
    fn rate_limited(&self, limit: u32, next_ms: i64, detail: &str) -> HttpResponse {
        let wait_ms = (next_ms - self.last_now_ms).max(1);
        let body = json!({ "error": {
            "message": format!("Rate limit reached for requests: limit {limit} per minute. {detail} Please try again in {wait_ms}ms."),
            "type": "requests", "param": null, "code": "rate_limit_exceeded" } });
        HttpResponse {
            status: 429,
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("x-ratelimit-limit-requests".into(), limit.to_string()),
                ("x-ratelimit-remaining-requests".into(), "0".into()),
                ("x-ratelimit-reset-requests".into(), format!("{wait_ms}ms")),
                ("Retry-After".into(), ((wait_ms + 999) / 1000).to_string()),
                ("x-request-id".into(), format!("req_emulator_rl{next_ms}")),
            ],
            body: serde_json::to_vec(&body).unwrap_or_default(),
        }
    }

    fn rate_limit_headers(&self, limit: u32, remaining: u32) -> Vec<(String, String)> {
        vec![("x-ratelimit-limit-requests".into(), limit.to_string()), ("x-ratelimit-remaining-requests".into(), remaining.to_string())]
    }

    fn failure(&self, status: u16, detail: &str) -> HttpResponse {
        let (kind, message) = match status {
            500..=599 => ("server_error", "The server had an error while processing your request. Sorry about that!"),
            _ => ("invalid_request_error", detail),
        };
        let body = json!({ "error": { "message": message, "type": kind, "param": null, "code": null } });
        HttpResponse {
            status,
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("x-request-id".into(), format!("req_emulator_fault{status}")),
            ],
            body: serde_json::to_vec(&body).unwrap_or_default(),
        }
    }

    /// `openaiProjects: ["proj_x", ...]` adds projects; `openaiCertificateLimit: N` changes the
    /// 50-certificate cap (to reach it quickly in tests); `openaiSeed: N` uploads N distinct CA
    /// certificates named `seed-001`, `seed-002`, … (raising the cap if N would pass it), so a
    /// test can list more than 100 without building them itself.
    fn configure(&mut self, settings: &Value) {
        if let Some(projects) = settings.get("openaiProjects").and_then(Value::as_array) {
            for p in projects.iter().filter_map(Value::as_str) {
                self.service.add_project(p);
            }
        }
        if let Some(n) = settings.get("openaiCertificateLimit").and_then(Value::as_u64) {
            self.service.limits.certificates = usize::try_from(n).unwrap_or(usize::MAX);
        }
        if let Some(n) = settings.get("openaiSeed").and_then(Value::as_u64) {
            self.seed(usize::try_from(n.min(MAX_SEED)).unwrap_or(0), self.last_now_ms.max(system_ms()));
        }
    }

    fn settings(&self) -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        map.insert("openaiProjects".into(), json!(self.service.projects));
        map.insert("openaiCertificateLimit".into(), json!(self.service.limits.certificates));
        map
    }

    fn reset(&mut self) {
        let mut fresh = Service::default();
        fresh.projects = self.service.projects.clone();
        fresh.limits = self.service.limits;
        self.service = fresh;
    }
}
