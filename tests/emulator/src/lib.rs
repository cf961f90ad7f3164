//! A stateful emulator of the vendor APIs certwright talks to, for tests and demos. Loopback only.
//!
//! One server (hyper 1 on tokio, the relay's stack) answers for every emulated vendor and picks
//! the vendor by the request's `Host` (as the relay's `--route` keeps it), or by the path prefix
//! when no vendor claims the host. With [`Config::only_vendor`] (`--vendor NAME`) it serves that
//! one vendor whatever the `Host`: for clients that call the emulator directly at
//! `http://127.0.0.1:PORT` and cannot set `Host` (Node's and browsers' `fetch`), and for vendors
//! whose path prefixes overlap (OpenAI's `/v1/` and MATTR's `/v1/ecosystems/`). Each vendor is a module implementing [`vendor::Vendor`]: it
//! checks its own authentication and answers with its own error shapes and rate-limit headers.
//! Today there are three: Akamai mTLS Edge Truststore v2 ([`akamai`]), OpenAI's organization
//! certificates ([`openai`]: `Authorization: Bearer` admin key, hosts `api.openai.com` and
//! `*.openai.test`, path prefix `/v1/`, OpenAI's error object; the API is
//! [`certwright::vendors::openai::service::Service`]) and MATTR VII DTS certificates ([`mattr`]:
//! its token endpoint, Bearer tokens, `{code, message, details}` errors,
//! [`certwright::vendors::mattr::service::Service`] behind them). Akamai's API behaviour — CA sets, versions, validation, duplicate-version 422s, activations
//! that run `IN_PROGRESS` → `COMPLETE` with `Retry-After`, the documented limits — is
//! [`certwright::vendors::akamai::service::Service`], the same model the app's offline workspace
//! runs. This crate adds what only a server has:
//!
//! - **Authentication.** Akamai: every API request must carry an `EG1-HMAC-SHA256` header signed
//!   with the configured credentials for the request's `Host`, method, path, query and body.
//!   Timestamps more than [`Config::max_skew_s`] away from the emulator's clock are refused, and
//!   so is a nonce seen before (401 `unauthorized`, with a detail saying which check failed).
//! - **Fault injection** ([`faults`], shared by every vendor) through a control API under
//!   `/__emulator/` (unsigned, loopback, on any `Host`):
//!   - `POST /__emulator/faults` `{"status":429,"count":1,"retryAfterMs":1000,"latencyMs":0}`
//!     makes the next `count` API requests wait `latencyMs` and then fail with that status, in
//!     the vendor's shape (Akamai: 429 with `X-RateLimit-*` headers and its
//!     `account-rate-limit-exceeded` body; 500 `internal-error`); with only `latencyMs` they are
//!     delayed and answered normally;
//!   - `POST /__emulator/clock` `{"advanceMs":N}` moves the emulator's clock forward;
//!   - `POST /__emulator/config` `{"activationMs":N,"retryAfterS":N,"rateLimit":N,"latencyMs":N}`
//!     tunes activation timing, the per-minute rate limit (600 by default; every API response
//!     carries the vendor's rate-limit headers, Akamai's `X-RateLimit-Limit` / `-Remaining`, and
//!     past the limit a real 429 answers) and a delay for every API request;
//!   - `POST /__emulator/reset` forgets every set, nonce, fault and recorded request;
//!   - `GET /__emulator/requests` lists the API requests received (method, path, status) so
//!     tests can count retries;
//!   - `POST /__emulator/{vendor}/…`: a vendor's own controls (Segura: `advance`, see
//!     [`segura`]; MATTR: `revoke`, see [`mattr`]).
//!
//! The server logs nothing. Bodies and `Authorization` headers are never recorded. Request heads
//! are limited to 64 KiB and 30 s, bodies to 16 MiB.

pub mod akamai;
pub mod faults;
pub mod mattr;
pub mod openai;
pub mod pingfederate;
pub mod segura;
pub mod vendor;

use std::convert::Infallible;
use std::future::{poll_fn, Future};
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use certwright::vendors::akamai::edgegrid::Credentials;
use certwright::vendors::transport::HttpResponse;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{json, Value};
use tokio::sync::watch;

pub use akamai::{parse_timestamp, AKAMAI_PREFIX};
use faults::{Fault, Faults, Injected};
use vendor::{ApiRequest, Vendor};

/// Largest request body the emulator reads.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// How the emulator runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on; port 0 picks a free one.
    pub listen: SocketAddr,
    /// The Akamai API clients that may call, as `.edgerc` credentials; `host` is the `Host`
    /// header requests must carry.
    pub credentials: Vec<Credentials>,
    /// Largest accepted distance between a request's timestamp and the emulator's clock.
    pub max_skew_s: i64,
    /// How long activations, deactivations and deletions take.
    pub activation_ms: i64,
    /// `Retry-After` (seconds) while they run.
    pub retry_after_s: u64,
    /// API requests allowed per minute (then a real 429 until the minute ends).
    pub rate_limit: u32,
    /// Delay added to every API request.
    pub latency_ms: u64,
    /// The OpenAI admin keys accepted as `Authorization: Bearer` (default
    /// [`openai::EMULATOR_ADMIN_KEY`]).
    pub openai_admin_keys: Vec<String>,
    /// Serve only this vendor ([`VENDOR_NAMES`]), whatever the `Host` and path prefix.
    pub only_vendor: Option<String>,
}

/// The vendors' names, as [`Config::only_vendor`] takes them.
pub const VENDOR_NAMES: [&str; 5] = ["akamai", "openai", "mattr", "pingfederate", "segura"];

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
            latency_ms: 0,
            openai_admin_keys: vec![openai::EMULATOR_ADMIN_KEY.to_owned()],
            only_vendor: None,
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

struct State {
    vendors: Vec<Box<dyn Vendor>>,
    /// The one vendor served, with [`Config::only_vendor`].
    only: Option<usize>,
    faults: Faults,
    clock_offset_ms: i64,
    seen: Vec<Seen>,
}

/// A running emulator; dropping it stops the server.
pub struct Running {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
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
        let _ = self.stop.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts the emulator on a background thread (a one-worker tokio runtime).
///
/// # Errors
/// If the address cannot be bound, or [`Config::only_vendor`] names no vendor.
pub fn start(config: Config) -> std::io::Result<Running> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("certwright-emulator")
        .enable_io()
        .enable_time()
        .build()?;
    let listener = {
        let _guard = runtime.enter();
        let std_listener = std::net::TcpListener::bind(config.listen)?;
        std_listener.set_nonblocking(true)?;
        tokio::net::TcpListener::from_std(std_listener)?
    };
    let addr = listener.local_addr()?;
    let akamai = akamai::Akamai::new(config.credentials, config.max_skew_s, config.activation_ms, config.retry_after_s);
    let vendors: Vec<Box<dyn Vendor>> = vec![
        Box::new(akamai),
        Box::new(openai::OpenAi::new(config.openai_admin_keys)),
        Box::new(mattr::Mattr::new()),
        Box::new(pingfederate::PingFederate::default()),
        Box::new(segura::Segura::new()),
    ];
    let only = match &config.only_vendor {
        None => None,
        Some(name) => Some(vendors.iter().position(|v| v.name() == name).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("no vendor {name:?} (one of {})", VENDOR_NAMES.join(", ")))
        })?),
    };
    let state = Arc::new(Mutex::new(State {
        vendors,
        only,
        faults: Faults::new(config.rate_limit, config.latency_ms),
        clock_offset_ms: 0,
        seen: Vec::new(),
    }));
    let (stop, mut stopped) = watch::channel(false);
    let thread = std::thread::Builder::new().name("certwright-emulator-main".into()).spawn(move || {
        runtime.block_on(async move {
            loop {
                let accepted = {
                    let mut accept = pin!(listener.accept());
                    let mut stop = pin!(stopped.wait_for(|s| *s));
                    poll_fn(|cx| match stop.as_mut().poll(cx) {
                        Poll::Ready(_) => Poll::Ready(None),
                        Poll::Pending => accept.as_mut().poll(cx).map(Some),
                    })
                    .await
                };
                let stream = match accepted {
                    None => return,
                    Some(Ok((stream, _))) => stream,
                    // Out of file descriptors, a reset before accept: wait and go on.
                    Some(Err(_)) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let state = state.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let state = state.clone();
                        async move { Ok::<_, Infallible>(answer(&state, request).await) }
                    });
                    let mut builder = http1::Builder::new();
                    builder.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(30)).max_buf_size(64 * 1024);
                    let _ = builder.serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        runtime.shutdown_timeout(Duration::from_secs(1));
    })?;
    Ok(Running { addr, stop, thread: Some(thread) })
}

fn system_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Reads one request, answers it under the state lock, then waits any injected latency.
async fn answer(state: &Mutex<State>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(body) => body.to_bytes(),
        Err(e) => return to_hyper(plain(400, &format!("could not read the request body: {e}"))),
    };
    let target = parts.uri.path_and_query().map_or_else(|| parts.uri.to_string(), |pq| pq.as_str().to_owned());
    let headers: Vec<(String, String)> =
        parts.headers.iter().map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect();
    let request = ApiRequest { method: parts.method.as_str(), target: &target, headers: &headers, body: &body };
    let (response, delay_ms) = {
        let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
        st.handle(&request, system_ms())
    };
    if delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
    }
    to_hyper(response)
}

fn to_hyper(resp: HttpResponse) -> Response<Full<Bytes>> {
    let mut out = Response::new(Full::new(Bytes::from(resp.body)));
    *out.status_mut() = StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in resp.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
            out.headers_mut().append(name, value);
        }
    }
    out
}

impl State {
    /// The answer, and how long to wait before sending it.
    fn handle(&mut self, request: &ApiRequest<'_>, wall_ms: i64) -> (HttpResponse, u64) {
        let now = wall_ms + self.clock_offset_ms;
        if let Some(control) = request.target.strip_prefix("/__emulator/") {
            return (self.control(request.method, control, request.body), 0);
        }
        let path = request.target.split('?').next().unwrap_or(request.target).to_owned();
        let host = request.header("Host").unwrap_or("");
        let host = host
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(host, |(h, _)| h)
            .to_ascii_lowercase();
        let index = self.only.or_else(|| {
            self.vendors
                .iter()
                .position(|v| v.serves_host(&host))
                .or_else(|| self.vendors.iter().position(|v| request.target.starts_with(v.path_prefix())))
        });
        let (resp, delay) = match index {
            Some(i) if self.vendors[i].serves_path(request.target) => self.api(i, request, now),
            Some(i) => (
                plain(
                    404,
                    &format!(
                        "the emulated {} API serves {} only (and /__emulator/)",
                        self.vendors[i].name(),
                        self.vendors[i].path_prefix()
                    ),
                ),
                0,
            ),
            None => {
                let prefixes: Vec<&str> = self.vendors.iter().map(|v| v.path_prefix()).collect();
                (plain(404, &format!("the emulator serves {} and /__emulator/ only", prefixes.join(", "))), 0)
            }
        };
        self.seen.push(Seen { method: request.method.to_owned(), path, status: resp.status });
        (resp, delay)
    }

    /// One API request for vendor `i`: its authentication, then the shared fault and rate-limit
    /// steps, then its answer.
    fn api(&mut self, i: usize, request: &ApiRequest<'_>, now: i64) -> (HttpResponse, u64) {
        let vendor = &mut self.vendors[i];
        if let Err(refused) = vendor.authorize(request, now) {
            return (refused, 0);
        }
        let limit = self.faults.rate_limit;
        match self.faults.take() {
            Injected::Fail { status: 429, retry_after_ms, latency_ms } => {
                (vendor.rate_limited(limit, now + retry_after_ms, "The emulator was told to refuse this request."), latency_ms)
            }
            Injected::Fail { status, latency_ms, .. } => {
                (vendor.failure(status, "The emulator was told to fail this request."), latency_ms)
            }
            injected => {
                let delay = if let Injected::Delay(ms) = injected { ms } else { 0 };
                let resp = match self.faults.count(now) {
                    Err(window_end) => vendor.rate_limited(limit, window_end, "The account's rate limit is exceeded."),
                    Ok(remaining) => {
                        let mut resp = vendor.handle(request, now);
                        resp.headers.extend(vendor.rate_limit_headers(limit, remaining));
                        resp
                    }
                };
                (resp, delay)
            }
        }
    }

    fn control(&mut self, method: &str, path: &str, body: &[u8]) -> HttpResponse {
        let v: Value = serde_json::from_slice(body).unwrap_or_default();
        let num = |name: &str| v.get(name).and_then(Value::as_i64);
        match (method, path) {
            ("POST", "faults") => match Fault::from_json(&v) {
                Ok(fault) => {
                    let reply = json!({ "status": fault.status, "count": fault.count, "latencyMs": fault.latency_ms });
                    self.faults.set(fault);
                    control_ok(reply)
                }
                Err(why) => plain(400, why),
            },
            ("POST", "clock") => {
                self.clock_offset_ms += num("advanceMs").unwrap_or(0).max(0);
                control_ok(json!({ "offsetMs": self.clock_offset_ms }))
            }
            ("POST", "config") => {
                for vendor in &mut self.vendors {
                    vendor.configure(&v);
                }
                if let Some(n) = num("rateLimit") {
                    self.faults.rate_limit = u32::try_from(n.max(1)).unwrap_or(u32::MAX);
                }
                if let Some(ms) = num("latencyMs") {
                    self.faults.latency_ms = ms.clamp(0, 600_000) as u64;
                }
                let mut settings = serde_json::Map::new();
                for vendor in &self.vendors {
                    settings.extend(vendor.settings());
                }
                settings.insert("rateLimit".into(), json!(self.faults.rate_limit));
                settings.insert("latencyMs".into(), json!(self.faults.latency_ms));
                control_ok(Value::Object(settings))
            }
            ("POST", "reset") => {
                for vendor in &mut self.vendors {
                    vendor.reset();
                }
                self.faults.reset();
                self.seen.clear();
                self.clock_offset_ms = 0;
                control_ok(json!({ "reset": true }))
            }
            ("GET", "requests") => {
                let seen: Vec<Value> =
                    self.seen.iter().map(|s| json!({ "method": s.method, "path": s.path, "status": s.status })).collect();
                control_ok(json!({ "requests": seen }))
            }
            _ => {
                // `/__emulator/{vendor}/…`: the vendor's own control endpoints.
                let answer = path.split_once('/').and_then(|(name, rest)| {
                    self.vendors.iter_mut().find(|vendor| vendor.name() == name).and_then(|vendor| vendor.control(method, rest, &v))
                });
                answer.unwrap_or_else(|| plain(404, "unknown control endpoint"))
            }
        }
    }
}

fn control_ok(v: Value) -> HttpResponse {
    HttpResponse {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: serde_json::to_vec(&v).unwrap_or_default(),
    }
}

fn plain(status: u16, text: &str) -> HttpResponse {
    HttpResponse { status, headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())], body: text.as_bytes().to_vec() }
}
