//! `certwright-relay`: serves the certwright single-page app and, on the same origin, relays the
//! browser's calls to vendor APIs that send no CORS headers (Akamai, Segura, MATTR).
//!
//! # Design
//!
//! The browser does all the work: it builds every request, including the `Authorization` header
//! (an Akamai EdgeGrid signature covers the host, path, query and body). The relay is a dumb pipe
//! that must not disturb any of that, so it
//!
//! - maps `/relay/{authority}/{rest}?{query}` to `https://{authority}/{rest}?{query}`, copying
//!   `rest` and `query` from the raw request target: nothing is decoded or re-encoded (`%3A`, `+`,
//!   `;` and parameter order survive);
//! - forwards the method, the body bytes and the request headers unchanged, except hop-by-hop
//!   headers (`Connection` and the headers it names, `Keep-Alive`, `Proxy-*`, `TE`, `Trailer`,
//!   `Transfer-Encoding`, `Upgrade`), `Expect`, `Host` (set to the authority), and the browser's
//!   own `Cookie`, `Origin`, `Referer`, `Sec-*` and `X-Certwright-Relay` headers;
//!   `Content-Length` is recomputed for the same bytes. No `User-Agent`, `Accept` or
//!   `Accept-Encoding` is added;
//! - returns the upstream status and body bytes unchanged (nothing is decompressed; redirects are
//!   returned, not followed), but only the response headers on an allowlist: `Content-Type`,
//!   `Content-Encoding`, the vendors' rate-limit headers (`X-RateLimit-*`, `RateLimit`,
//!   `RateLimit-*`, OpenAI's `x-ratelimit-*-requests` / `-tokens`), `Retry-After`, request ids
//!   (`X-Request-Id`, `Request-Id`, `X-Trace-Id`, `X-Correlation-Id`, any `*-Request-Id`),
//!   `Link`, `Location`, `ETag`, `Last-Modified` and `Date`; `Content-Length` is recomputed.
//!   Everything else (`Set-Cookie`, `Clear-Site-Data`, an upstream CSP, `WWW-Authenticate`,
//!   `Refresh`, CORS headers...) is dropped. Every `/relay/` response then carries
//!   `Content-Security-Policy: sandbox; default-src 'none'`, `X-Content-Type-Options: nosniff`
//!   and `Cache-Control: no-store`, so nothing an upstream sends can run, render or be stored on
//!   the app's origin;
//! - stores nothing, and logs one line per relayed request, `relay METHOD authority/path -> status
//!   Nms`: never the query string (it can hold account keys), a header, or a body, and with
//!   control characters escaped ([`escape_for_log`]: ESC as `\x1b`, a lone CR as `\r`).
//!
//! `--route AUTHORITY=URL` sends requests for AUTHORITY to another origin (a local emulator, a
//! test server) while keeping `Host: AUTHORITY`, so signatures still verify there.
//!
//! `--upstream-ca HOST=FILE.pem` trusts the CA certificates in FILE, in addition to the bundled
//! Mozilla (webpki) roots, for TLS connections to HOST (`host`, `host:port` or `*.domain`; without
//! a port, any port): for example a PingFederate admin API behind a private CA. Other hosts keep
//! the bundled roots only.
//!
//! # Security rules
//!
//! A relay on `127.0.0.1` is reachable from every web page the user opens, so it only does what
//! the certwright page needs:
//!
//! - **Allowlist.** It forwards only to authorities matching `--allow` patterns (`host`,
//!   `host:port`, `*.suffix` for any deeper subdomain of suffix, never suffix itself) or named by
//!   a `--route`. Anything else gets `403 /certwright/relay/host-not-allowed` and no upstream
//!   connection is made. A pattern without a port means port 443.
//! - **Same origin only.** A `/relay/` request must prove it comes from the relay's own page:
//!   `Sec-Fetch-Site: same-origin`, or the header [`RELAY_HEADER`] (`X-Certwright-Relay: 1`),
//!   which the app sends on every call and which a foreign page cannot send without a CORS
//!   preflight the relay never grants. It is refused (`403 /certwright/relay/cross-origin`) without
//!   either, with any other `Sec-Fetch-Site` (`cross-site`, `same-site`, `none`), or with an
//!   `Origin` or `Referer` whose host and port differ from the request's `Host`. Against DNS
//!   rebinding (a hostile name that resolves to 127.0.0.1 makes the attacker's page "same
//!   origin"), `Host` itself must be `localhost`, `*.localhost`, an IP address, or a
//!   `--server-name`.
//! - **Limits.** The server is hyper's HTTP/1.1 on tokio. A request head may be at most
//!   [`MAX_HEAD_BYTES`] (64 KiB; `431` past it). Request bodies are read while streaming and never
//!   past 16 MiB: a larger declared `Content-Length` is refused (`413`) before a byte is read,
//!   and a chunked body is cut off at the limit; nothing is allocated for a declared length.
//!   At most [`MAX_CONCURRENT_RELAYS`] (32) relayed calls are handled at once (more wait), which
//!   bounds the memory their bodies take. Upstream bodies are limited to 64 MiB, and an upstream
//!   call to 60 s; failures to reach
//!   upstream are `502 /certwright/relay/upstream-unreachable` naming only the authority and the
//!   kind of error.
//! - **Timeouts and connections** ([`Config`] fields, with these production defaults): a request
//!   head must arrive within 30 s of the relay waiting for it (also the idle timeout between
//!   keep-alive requests); a connection on which nothing moves for 60 s while no request is
//!   handled is closed (a client that stops reading); one request may take 120 s in all (`408
//!   /certwright/relay/request-timeout` after that, for a body sent too slowly). At most 512
//!   connections are served at once; further ones wait in the kernel's accept queue, costing no
//!   thread or memory. An accept error (such as running out of file descriptors) is logged and
//!   the relay keeps accepting.
//! - **Static files** come only from inside `--dist` (no `..`, encoded dots or slashes,
//!   backslashes, or symlinks out of it); paths without an extension fall back to `index.html`.
//!
//! Every error is an RFC 9457 `application/problem+json` document.
//!
//! # Use as a library
//!
//! ```no_run
//! let config = certwright_relay::Config::from_args(
//!     ["--listen", "127.0.0.1:0", "--allow", "*.luna.akamaiapis.net"].iter().map(|s| s.to_string()),
//! )
//! .unwrap();
//! let running = certwright_relay::start(config).unwrap();
//! println!("{}", running.banner());
//! running.stop();
//! ```

mod config;
pub mod hosts;
mod relay;
mod server;
mod statics;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use tokio::sync::watch;

pub use config::{Config, LogSink, ALLOW_ENV, USAGE};
pub use hosts::{Authority, HostPattern, Route};
pub use relay::{escape_for_log, MAX_CONCURRENT_RELAYS, RELAY_HEADER};
pub use server::MAX_HEAD_BYTES;

/// Largest request body the relay forwards (16 MiB).
pub const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;
/// Largest upstream response body the relay returns (64 MiB).
pub const MAX_RESPONSE_BODY: u64 = 64 * 1024 * 1024;
/// Timeout for one upstream call, from connecting to the end of the response body.
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(60);

/// A running relay. Dropping it (or [`Running::stop`]) stops it.
pub struct Running {
    addr: SocketAddr,
    banner: String,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Running {
    /// The address the relay listens on (with the real port when started on port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The one-line start message:
    /// `certwright: serving http://ADDR/ (relay allows: PATTERNS)`.
    pub fn banner(&self) -> &str {
        &self.banner
    }

    /// Blocks for as long as the relay runs (until another thread stops it, or forever).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Whether the server thread is still running (it only ends when stopped).
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Stops accepting connections, closes the listening socket and ends the connections
    /// (upstream calls in flight get a second to finish).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Validates `config`, binds its listen address and serves requests on a background thread
/// running a small tokio runtime (two worker threads; upstream calls run on its blocking pool).
pub fn start(config: Config) -> io::Result<Running> {
    let compiled = config.compile().map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?;
    let limits = server::Limits {
        header_timeout: config.header_timeout,
        idle_timeout: config.idle_timeout,
        request_timeout: config.request_timeout,
        max_connections: config.max_connections,
    };
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("certwright-relay").enable_io().enable_time().build()?;
    let listener = {
        let _guard = runtime.enter();
        let socket = if config.listen.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
        socket.set_reuseaddr(true)?;
        socket.bind(config.listen)?;
        // Room in the kernel's queue for connections waiting for a free slot.
        socket.listen(1024)?
    };
    let addr = listener.local_addr()?;
    let mut allows: Vec<String> = compiled.allow.iter().map(ToString::to_string).collect();
    allows.extend(compiled.routes.iter().map(|r| format!("{} (routed)", r.authority)));
    let allows = if allows.is_empty() { "nothing".to_string() } else { allows.join(", ") };
    let banner = format!("certwright: serving http://{addr}/ (relay allows: {allows})");

    let state = Arc::new(relay::State::new(compiled));
    let (stop, stopped) = watch::channel(false);
    let thread = thread::Builder::new().name("certwright-relay-main".into()).spawn(move || {
        runtime.block_on(server::serve(listener, state, limits, stopped));
        runtime.shutdown_timeout(Duration::from_secs(1));
    })?;
    Ok(Running { addr, banner, stop, thread: Some(thread) })
}
