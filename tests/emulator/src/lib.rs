//! A stateful emulator of the vendor APIs certwright talks to, for tests and demos. Loopback only.
//!
//! Akamai mTLS Edge Truststore v2 today (the other four vendors come next, each under its own
//! path prefix). The API behaviour itself — CA sets, versions, validation, duplicate-version 422s,
//! activations that run `IN_PROGRESS` → `COMPLETE` with `Retry-After`, the documented limits —
//! is [`certwright::vendors::akamai::service::Service`], the same model the app's offline
//! workspace runs. This crate adds what only a server has:
//!
//! - **EdgeGrid verification.** Every API request must carry an `EG1-HMAC-SHA256` header signed
//!   with the configured credentials for the request's `Host`, method, path, query and body.
//!   Timestamps more than [`Config::max_skew_s`] away from the emulator's clock are refused, and
//!   so is a nonce seen before (401 `unauthorized`, with a detail saying which check failed).
//! - **Fault injection** through a control API under `/__emulator/` (unsigned, loopback):
//!   - `POST /__emulator/faults` `{"status":429,"count":1,"retryAfterMs":1000}` makes the next
//!     `count` API requests fail with that status (429 with `X-RateLimit-*` headers and Akamai's
//!     `account-rate-limit-exceeded` body; 500 with `internal-error`);
//!   - `POST /__emulator/clock` `{"advanceMs":N}` moves the emulator's clock forward;
//!   - `POST /__emulator/config` `{"activationMs":N,"retryAfterS":N,"rateLimit":N}` tunes
//!     activation timing and the per-minute rate limit (600 by default; every API response
//!     carries `X-RateLimit-Limit` / `-Remaining`, and past the limit a real 429 answers);
//!   - `POST /__emulator/reset` forgets every set, nonce, fault and recorded request;
//!   - `GET /__emulator/requests` lists the API requests received (method, path, status, and
//!     whether the signature verified) so tests can count retries.
//!
//! The server logs nothing. Bodies and `Authorization` headers are never recorded.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use certwright::vendors::akamai::edgegrid::{self, Credentials, Request};
use certwright::vendors::akamai::service::{iso_ms, Service};
use certwright::vendors::transport::HttpResponse;
use serde_json::{json, Value};

/// Where the Akamai API lives.
pub const AKAMAI_PREFIX: &str = "/mtls-edge-truststore/";

/// How the emulator runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on; port 0 picks a free one.
    pub listen: SocketAddr,
    /// The API clients that may call, as `.edgerc` credentials; `host` is the `Host` header
    /// requests must carry.
    pub credentials: Vec<Credentials>,
    /// Largest accepted distance between a request's timestamp and the emulator's clock.
    pub max_skew_s: i64,
    /// How long activations, deactivations and deletions take.
    pub activation_ms: i64,
    /// `Retry-After` (seconds) while they run.
    pub retry_after_s: u64,
    /// API requests allowed per minute (then a real 429 until the minute ends).
    pub rate_limit: u32,
}

impl Config {
    /// Loopback on `port`, accepting `credentials`, activations taking 3 s.
    pub fn new(port: u16, credentials: Vec<Credentials>) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], port)),
            credentials,
            max_skew_s: 120,
            activation_ms: 3_000,
            retry_after_s: 1,
            rate_limit: 600,
        }
    }
}

/// A recorded API request (no headers, no body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// The method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The status answered.
    pub status: u16,
}

struct Fault {
    status: u16,
    count: u32,
    retry_after_ms: i64,
}

struct State {
    akamai: Service,
    credentials: Vec<Credentials>,
    max_skew_s: i64,
    clock_offset_ms: i64,
    /// Nonce → the request timestamp it came with (pruned once outside the skew window).
    nonces: HashMap<String, i64>,
    fault: Option<Fault>,
    seen: Vec<Seen>,
    /// Requests allowed per minute.
    rate_limit: u32,
    /// Start of the current one-minute window, and the requests counted in it.
    window: (i64, u32),
}

/// A running emulator; dropping it stops the server.
pub struct Running {
    addr: SocketAddr,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl Running {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Blocks until the server stops (the binary's main loop).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts the emulator on a background thread.
///
/// # Errors
/// If the address cannot be bound.
pub fn start(config: Config) -> std::io::Result<Running> {
    let server = Arc::new(tiny_http::Server::http(config.listen).map_err(std::io::Error::other)?);
    let addr = server.server_addr().to_ip().ok_or_else(|| std::io::Error::other("not an IP listener"))?;
    let mut akamai = Service::default();
    akamai.activation_ms = config.activation_ms;
    akamai.retry_after_s = config.retry_after_s;
    let state = Arc::new(Mutex::new(State {
        akamai,
        credentials: config.credentials,
        max_skew_s: config.max_skew_s,
        clock_offset_ms: 0,
        nonces: HashMap::new(),
        fault: None,
        seen: Vec::new(),
        rate_limit: config.rate_limit,
        window: (0, 0),
    }));
    let srv = Arc::clone(&server);
    let thread = std::thread::spawn(move || {
        for mut req in srv.incoming_requests() {
            let mut body = Vec::new();
            let read = req.as_reader().read_to_end(&mut body);
            let resp = match read {
                Ok(_) => {
                    let headers: Vec<(String, String)> = req.headers().iter().map(|h| (h.field.to_string(), h.value.to_string())).collect();
                    let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
                    st.handle(req.method().as_str(), req.url(), &headers, &body, system_ms())
                }
                Err(e) => plain(400, &format!("could not read the request body: {e}")),
            };
            let mut out = tiny_http::Response::from_data(resp.body).with_status_code(resp.status);
            for (name, value) in resp.headers {
                if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                    out.add_header(h);
                }
            }
            let _ = req.respond(out);
        }
    });
    Ok(Running { addr, server, thread: Some(thread) })
}

fn system_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl State {
    fn handle(&mut self, method: &str, target: &str, headers: &[(String, String)], body: &[u8], wall_ms: i64) -> HttpResponse {
        let now = wall_ms + self.clock_offset_ms;
        if let Some(control) = target.strip_prefix("/__emulator/") {
            return self.control(method, control, body);
        }
        let path = target.split('?').next().unwrap_or(target).to_owned();
        let resp = if !target.starts_with(AKAMAI_PREFIX) {
            plain(404, "the emulator serves /mtls-edge-truststore/ and /__emulator/ only")
        } else if let Err(why) = self.verify(method, target, headers, body, now) {
            problem(401, "unauthorized", "The request is not authorized.", &why, vec![])
        } else if let Some(resp) = self.injected_fault(now) {
            resp
        } else {
            self.rate_limited(now, |st| st.akamai.handle(method, target, body, now))
        };
        self.seen.push(Seen { method: method.to_owned(), path, status: resp.status });
        resp
    }

    /// Checks the EdgeGrid signature; the error says which check failed (never the secret).
    fn verify(&mut self, method: &str, target: &str, headers: &[(String, String)], body: &[u8], now_ms: i64) -> Result<(), String> {
        let header = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        let auth = header("Authorization").ok_or("the Authorization header is missing")?;
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
        let host = header("Host").unwrap_or("");
        if !host.eq_ignore_ascii_case(&creds.host) {
            return Err(format!("the Host header {host:?} is not this API client's host"));
        }
        let ts = parse_timestamp(timestamp).ok_or_else(|| format!("the timestamp {timestamp:?} is not yyyyMMddTHH:mm:ss+0000"))?;
        if (ts - now_ms / 1000).abs() > self.max_skew_s {
            return Err(format!("the timestamp {timestamp} is more than {} s from the server's clock ({})", self.max_skew_s, iso_ms(now_ms)));
        }
        let request = Request { method, path_and_query: target, headers: &[], body };
        let expected = edgegrid::authorization_header(creds, &request, timestamp, nonce);
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

    /// Counts the request in the current one-minute window: past the limit, a real 429; else
    /// the response gets `X-RateLimit-Limit` and `-Remaining`, as Akamai's do.
    fn rate_limited(&mut self, now: i64, answer: impl FnOnce(&mut State) -> HttpResponse) -> HttpResponse {
        if now - self.window.0 >= 60_000 {
            self.window = (now, 0);
        }
        self.window.1 += 1;
        if self.window.1 > self.rate_limit {
            return rate_limit_response(self.rate_limit, iso_ms(self.window.0 + 60_000), "The account's rate limit is exceeded.");
        }
        let mut resp = answer(self);
        resp.headers.push(("X-RateLimit-Limit".into(), self.rate_limit.to_string()));
        resp.headers.push(("X-RateLimit-Remaining".into(), (self.rate_limit - self.window.1).to_string()));
        resp
    }

    fn injected_fault(&mut self, now: i64) -> Option<HttpResponse> {
        let fault = self.fault.as_mut()?;
        fault.count = fault.count.saturating_sub(1);
        let (status, wait) = (fault.status, fault.retry_after_ms);
        if fault.count == 0 {
            self.fault = None;
        }
        Some(match status {
            429 => rate_limit_response(self.rate_limit, iso_ms(now + wait), "The emulator was told to refuse this request."),
            500 => problem(500, "internal-error", "Internal server error.", "The emulator was told to fail this request.", vec![]),
            s => problem(s, "injected-fault", "Injected fault.", "The emulator was told to fail this request.", vec![]),
        })
    }

    fn control(&mut self, method: &str, path: &str, body: &[u8]) -> HttpResponse {
        let v: Value = serde_json::from_slice(body).unwrap_or_default();
        let num = |name: &str| v.get(name).and_then(Value::as_i64);
        match (method, path) {
            ("POST", "faults") => {
                let status = num("status").and_then(|s| u16::try_from(s).ok()).filter(|s| (400..600).contains(s));
                let Some(status) = status else { return plain(400, "faults needs {\"status\": 400..599}") };
                let count = num("count").unwrap_or(1).clamp(1, 1000) as u32;
                self.fault = Some(Fault { status, count, retry_after_ms: num("retryAfterMs").unwrap_or(1000) });
                control_ok(json!({ "status": status, "count": count }))
            }
            ("POST", "clock") => {
                self.clock_offset_ms += num("advanceMs").unwrap_or(0).max(0);
                control_ok(json!({ "offsetMs": self.clock_offset_ms }))
            }
            ("POST", "config") => {
                if let Some(ms) = num("activationMs") {
                    self.akamai.activation_ms = ms.max(0);
                }
                if let Some(s) = num("retryAfterS") {
                    self.akamai.retry_after_s = s.max(0) as u64;
                }
                if let Some(n) = num("rateLimit") {
                    self.rate_limit = u32::try_from(n.max(1)).unwrap_or(u32::MAX);
                }
                control_ok(json!({ "activationMs": self.akamai.activation_ms, "retryAfterS": self.akamai.retry_after_s, "rateLimit": self.rate_limit }))
            }
            ("POST", "reset") => {
                let mut fresh = Service::default();
                fresh.activation_ms = self.akamai.activation_ms;
                fresh.retry_after_s = self.akamai.retry_after_s;
                self.akamai = fresh;
                self.nonces.clear();
                self.fault = None;
                self.seen.clear();
                self.clock_offset_ms = 0;
                self.window = (0, 0);
                control_ok(json!({ "reset": true }))
            }
            ("GET", "requests") => {
                let seen: Vec<Value> = self.seen.iter().map(|s| json!({ "method": s.method, "path": s.path, "status": s.status })).collect();
                control_ok(json!({ "requests": seen }))
            }
            _ => plain(404, "unknown control endpoint"),
        }
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

/// Akamai's 429: `X-RateLimit-*` headers and a problem body with `rateLimit` and `rateLimitNext`.
fn rate_limit_response(limit: u32, next: String, detail: &str) -> HttpResponse {
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

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

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

fn control_ok(v: Value) -> HttpResponse {
    HttpResponse { status: 200, headers: vec![("Content-Type".into(), "application/json".into())], body: serde_json::to_vec(&v).unwrap_or_default() }
}

fn plain(status: u16, text: &str) -> HttpResponse {
    HttpResponse { status, headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())], body: text.as_bytes().to_vec() }
}
