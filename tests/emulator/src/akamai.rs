//! Akamai mTLS Edge Truststore v2: EdgeGrid verification, Akamai's error shapes and rate-limit
//! headers, and the API itself ([`certwright::vendors::akamai::service::Service`], the same model
//! the app's offline workspace runs).

use std::collections::HashMap;

use certwright::vendors::akamai::edgegrid::{self, Credentials, Request};
use certwright::vendors::akamai::service::{iso_ms, Service};
use certwright::vendors::transport::HttpResponse;
use serde_json::{json, Value};

use crate::vendor::{ApiRequest, Vendor};

/// Where the Akamai API lives.
pub const AKAMAI_PREFIX: &str = "/mtls-edge-truststore/";

/// The emulated Akamai API.
pub struct Akamai {
    service: Service,
    credentials: Vec<Credentials>,
    max_skew_s: i64,
    /// Nonce → the request timestamp it came with (pruned once outside the skew window).
    nonces: HashMap<String, i64>,
}

impl Akamai {
    /// Accepting `credentials` (each for its `host`), timestamps within `max_skew_s`.
    pub fn new(credentials: Vec<Credentials>, max_skew_s: i64, activation_ms: i64, retry_after_s: u64) -> Akamai {
        let mut service = Service::default();
        service.activation_ms = activation_ms;
        service.retry_after_s = retry_after_s;
        Akamai { service, credentials, max_skew_s, nonces: HashMap::new() }
    }

    /// Checks the EdgeGrid signature; the error says which check failed (never the secret).
    fn verify(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> Result<(), String> {
        let auth = request.header("Authorization").ok_or("the Authorization header is missing")?;
        let fields = auth.strip_prefix("EG1-HMAC-SHA256 ").ok_or("the Authorization header is not EG1-HMAC-SHA256")?;
        let field = |name: &str| fields.split(';').find_map(|kv| kv.trim().strip_prefix(name).and_then(|v| v.strip_prefix('=')));
        let (Some(client_token), Some(access_token), Some(timestamp), Some(nonce), Some(signature)) =
            (field("client_token"), field("access_token"), field("timestamp"), field("nonce"), field("signature"))
        else {
            return Err("the Authorization header lacks client_token, access_token, timestamp, nonce or signature".into());
        };
        let creds = self.credentials.iter().find(|c| c.client_token == client_token).ok_or("the client_token is unknown")?;
        if creds.access_token != access_token {
            return Err("the access_token does not belong to this client_token".into());
        }
        let host = request.header("Host").unwrap_or("");
        if !host.eq_ignore_ascii_case(&creds.host) {
            return Err(format!("the Host header {host:?} is not this API client's host"));
        }
        let ts = parse_timestamp(timestamp).ok_or_else(|| format!("the timestamp {timestamp:?} is not yyyyMMddTHH:mm:ss+0000"))?;
        if (ts - now_ms / 1000).abs() > self.max_skew_s {
            return Err(format!(
                "the timestamp {timestamp} is more than {} s from the server's clock ({})",
                self.max_skew_s,
                iso_ms(now_ms)
            ));
        }
        let signed = Request { method: request.method, path_and_query: request.target, headers: &[], body: request.body };
        let expected = edgegrid::authorization_header(creds, &signed, timestamp, nonce);
        let expected_signature = expected.rsplit("signature=").next().unwrap_or("");
        if !constant_time_eq(expected_signature.as_bytes(), signature.as_bytes()) {
            return Err("the signature does not match the request".into());
        }
        let window = self.max_skew_s;
        self.nonces.retain(|_, t| (*t - now_ms / 1000).abs() <= window);
        if self.nonces.insert(nonce.to_owned(), ts).is_some() {
            return Err(format!("the nonce {nonce} was already used"));
        }
        Ok(())
    }
}

impl Vendor for Akamai {
    fn name(&self) -> &'static str {
        "akamai"
    }

    fn serves_host(&self, host: &str) -> bool {
        host.ends_with(".akamaiapis.net") || self.credentials.iter().any(|c| c.host.eq_ignore_ascii_case(host))
    }

    fn path_prefix(&self) -> &'static str {
        AKAMAI_PREFIX
    }

    fn authorize(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> Result<(), HttpResponse> {
        self.verify(request, now_ms).map_err(|why| problem(401, "unauthorized", "The request is not authorized.", &why, vec![]))
    }

    fn handle(&mut self, request: &ApiRequest<'_>, now_ms: i64) -> HttpResponse {
        if !request.target.starts_with(AKAMAI_PREFIX) {
            return problem(404, "not-found", "Not found.", "The emulated Akamai API serves /mtls-edge-truststore/ only.", vec![]);
        }
        self.service.handle(request.method, request.target, request.body, now_ms)
    }

    /// Akamai's 429: `X-RateLimit-*` headers and a problem body with `rateLimit` and
    /// `rateLimitNext`.
    fn rate_limited(&self, limit: u32, next_ms: i64, detail: &str) -> HttpResponse {
        let next = iso_ms(next_ms);
        let headers = vec![
            ("X-RateLimit-Limit".into(), limit.to_string()),
            ("X-RateLimit-Remaining".into(), "0".into()),
            ("X-RateLimit-Next".into(), next.clone()),
        ];
        let mut resp = problem(429, "account-rate-limit-exceeded", "Too many requests.", detail, headers);
        let mut body: Value = serde_json::from_slice(&resp.body).unwrap_or_default();
        body["rateLimit"] = json!(limit);
        body["rateLimitNext"] = json!(next);
        resp.body = serde_json::to_vec(&body).unwrap_or_default();
        resp
    }

    fn rate_limit_headers(&self, limit: u32, remaining: u32) -> Vec<(String, String)> {
        vec![("X-RateLimit-Limit".into(), limit.to_string()), ("X-RateLimit-Remaining".into(), remaining.to_string())]
    }

    fn failure(&self, status: u16, detail: &str) -> HttpResponse {
        match status {
            500 => problem(500, "internal-error", "Internal server error.", detail, vec![]),
            s => problem(s, "injected-fault", "Injected fault.", detail, vec![]),
        }
    }

    fn configure(&mut self, settings: &Value) {
        let num = |name: &str| settings.get(name).and_then(Value::as_i64);
        if let Some(ms) = num("activationMs") {
            self.service.activation_ms = ms.max(0);
        }
        if let Some(s) = num("retryAfterS") {
            self.service.retry_after_s = s.max(0) as u64;
        }
    }

    fn settings(&self) -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        map.insert("activationMs".into(), json!(self.service.activation_ms));
        map.insert("retryAfterS".into(), json!(self.service.retry_after_s));
        map
    }

    fn reset(&mut self) {
        let mut fresh = Service::default();
        fresh.activation_ms = self.service.activation_ms;
        fresh.retry_after_s = self.service.retry_after_s;
        self.service = fresh;
        self.nonces.clear();
    }
}

/// `20261122T16:47:59+0000` → Unix seconds.
pub fn parse_timestamp(ts: &str) -> Option<i64> {
    let b = ts.as_bytes();
    if b.len() != 22 || b[8] != b'T' || b[11] != b':' || b[14] != b':' || &ts[17..] != "+0000" {
        return None;
    }
    let n = |r: std::ops::Range<usize>| ts.get(r)?.parse::<u16>().ok();
    let month = time::Month::try_from(u8::try_from(n(4..6)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(i32::from(n(0..4)?), month, u8::try_from(n(6..8)?).ok()?).ok()?;
    let t = time::Time::from_hms(u8::try_from(n(9..11)?).ok()?, u8::try_from(n(12..14)?).ok()?, u8::try_from(n(15..17)?).ok()?).ok()?;
    Some(date.with_time(t).assume_utc().unix_timestamp())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Akamai's problem document.
fn problem(status: u16, kind: &str, title: &str, detail: &str, headers: Vec<(String, String)>) -> HttpResponse {
    let body = json!({
        "type": format!("/mtls-edge-truststore/error-types/{kind}"),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": format!("/mtls-edge-truststore/error-types/{kind}?traceId=emulator"),
    });
    let mut all = vec![("Content-Type".to_owned(), "application/problem+json".to_owned())];
    all.extend(headers);
    HttpResponse { status, headers: all, body: serde_json::to_vec(&body).unwrap_or_default() }
}
