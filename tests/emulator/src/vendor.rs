//! What every emulated vendor provides. The server picks one vendor per request (by `Host`, else
//! by path prefix) and runs the shared steps (fault injection, the rate-limit window, the request
//! record) around it; everything vendor-specific (authentication, error shapes, rate-limit
//! headers, the API itself) is the vendor's.

use certwright::vendors::transport::HttpResponse;
use serde_json::Value;

/// One API request as a vendor sees it.
pub struct ApiRequest<'a> {
    /// The method (`GET`).
    pub method: &'a str,
    /// The raw request target: path and query, as sent.
    pub target: &'a str,
    /// The request headers, in order (names as sent; compare case-insensitively).
    pub headers: &'a [(String, String)],
    /// The body bytes.
    pub body: &'a [u8],
}

impl ApiRequest<'_> {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// An emulated vendor API.
pub trait Vendor: Send {
    /// A short name (`akamai`).
    fn name(&self) -> &'static str;
    /// Whether requests for `host` (lowercased, without a port) are this vendor's.
    fn serves_host(&self, host: &str) -> bool;
    /// The path prefix of the vendor's API, used when no vendor claims the `Host`.
    fn path_prefix(&self) -> &'static str;
    /// Whether the vendor answers `target` on a host it claims (default: under its prefix;
    /// MATTR also answers its token endpoint, `/oauth/token`, on its auth host).
    fn serves_path(&self, target: &str) -> bool {
        target.starts_with(self.path_prefix())
    }
    /// Checks the request's credentials; the error is the vendor's own refusal (401 ...).
    fn authorize(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> Result<(), HttpResponse>;
    /// Answers an authorized request.
    fn handle(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> HttpResponse;
    /// The vendor's 429, saying the limit and when the window ends (`next_ms`, Unix ms).
    fn rate_limited(&self, limit: u32, next_ms: i64, detail: &str) -> HttpResponse;
    /// Headers that report the rate limit on every answered request.
    fn rate_limit_headers(&self, limit: u32, remaining: u32) -> Vec<(String, String)>;
    /// The vendor's error for an injected failure with this status (not 429).
    fn failure(&self, status: u16, detail: &str) -> HttpResponse;
    /// Applies its settings from a `POST /__emulator/config` body (unknown keys are ignored).
    fn configure(&mut self, settings: &Value);
    /// Its current settings, as `/__emulator/config` reports them.
    fn settings(&self) -> serde_json::Map<String, Value>;
    /// Forgets all state (sets, nonces, ...), keeping the settings.
    fn reset(&mut self);
    /// Answers a vendor-specific control request, `POST /__emulator/{name}/{path}` (`None`: it
    /// has no such endpoint). Segura: `advance`; MATTR: `revoke`.
    fn control(&mut self, _method: &str, _path: &str, _body: &Value) -> Option<HttpResponse> {
        None
    }
}
