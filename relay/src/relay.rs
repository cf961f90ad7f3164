//! Request dispatch, the same-origin rules and the forwarding itself.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use ureq::config::AutoHeaderValue;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::{Agent, SendBody};

use crate::config::Compiled;
use crate::hosts::{Authority, Route};
use crate::{server, statics, MAX_REQUEST_BODY, MAX_RESPONSE_BODY, UPSTREAM_TIMEOUT};

/// Problem `type` URIs all start with this.
const PROBLEM_PREFIX: &str = "/certwright/relay/";

/// The header the certwright app sends on every relayed call (`X-Certwright-Relay: 1`). A
/// cross-origin page cannot send it without a CORS preflight, which the relay never grants, so a
/// request carrying it comes from the relay's own origin even where the browser sends no
/// `Sec-Fetch-Site` (plain-HTTP origins other than localhost).
pub const RELAY_HEADER: &str = "x-certwright-relay";

/// The response body type.
pub(crate) type Body = Full<Bytes>;

/// Agents for one set of trusted roots.
struct Agents {
    /// For routed authorities: never through a proxy (routes point at local servers).
    direct: Agent,
    /// For `https://{authority}`: honours `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY`.
    internet: Agent,
}

impl Agents {
    fn new(roots: RootCerts) -> Agents {
        Agents { direct: agent(None, roots.clone()), internet: agent(ureq::Proxy::try_from_env(), roots) }
    }
}

/// Shared state of the connections.
pub(crate) struct State {
    config: Compiled,
    /// With the bundled webpki roots only.
    default: Agents,
    /// One per `--upstream-ca`, in order: webpki roots plus that file's certificates.
    private: Vec<Agents>,
    /// Relayed calls in progress (body read, upstream call, response held): at most
    /// [`MAX_CONCURRENT_RELAYS`], which bounds the memory bodies can take.
    in_flight: tokio::sync::Semaphore,
}

/// Most relayed calls handled at once; more wait (within their request timeout). With 16 MiB
/// request and 64 MiB response bodies this bounds what relayed bodies can hold to 2.5 GiB, and
/// in practice the app makes a handful of calls at a time.
pub const MAX_CONCURRENT_RELAYS: usize = 32;

fn agent(proxy: Option<ureq::Proxy>, roots: RootCerts) -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .save_redirect_history(false)
        .timeout_global(Some(UPSTREAM_TIMEOUT))
        .allow_non_standard_methods(true)
        .user_agent(AutoHeaderValue::None)
        .accept(AutoHeaderValue::None)
        .accept_encoding(AutoHeaderValue::None)
        .tls_config(TlsConfig::builder().root_certs(roots).build())
        .proxy(proxy)
        .build()
        .new_agent()
}

impl State {
    pub(crate) fn new(config: Compiled) -> State {
        let private = config
            .upstream_cas
            .iter()
            .map(|ca| {
                let mut roots: Vec<Certificate<'static>> =
                    webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().map(|c| Certificate::from_der(c.as_ref())).collect();
                roots.extend(ca.certificates.iter().cloned());
                Agents::new(RootCerts::from(roots))
            })
            .collect();
        State { config, default: Agents::new(RootCerts::WebPki), private, in_flight: tokio::sync::Semaphore::new(MAX_CONCURRENT_RELAYS) }
    }

    fn log(&self, line: &str) {
        if let Some(log) = &self.config.log {
            log(line);
        }
    }
}

impl server::Handler for State {
    async fn handle(self: Arc<Self>, request: Request<Incoming>) -> Response<Body> {
        let target = request.uri().path_and_query().map_or_else(|| request.uri().to_string(), |pq| pq.as_str().to_string());
        let path = target.split(['?', '#']).next().unwrap_or("");
        if path == "/relay" || path == "/relay/" {
            secured(self.listing(&request))
        } else if let Some(rest) = target.strip_prefix("/relay/") {
            secured(self.relay(request, rest).await)
        } else {
            match &self.config.dist {
                Some(dist) => {
                    let accept_encoding = request.headers().get(hyper::header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok());
                    statics::serve(dist, request.method(), &target, accept_encoding)
                }
                None => plain(404, "Not found. This relay serves no app (start it with --dist DIR).\n"),
            }
        }
    }

    fn on_timeout(&self) -> Response<Body> {
        let mut response = problem(
            408,
            "request-timeout",
            "The request took too long.",
            "The relay gives up on a request (its body and the upstream call) after its request timeout.",
        );
        response.headers_mut().insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
        secured(response)
    }

    /// Server problems go to the log sink, or to stderr even with `--quiet` (which only silences
    /// the per-request lines).
    fn log(&self, line: &str) {
        match &self.config.log {
            Some(log) => log(line),
            None => eprintln!("{line}"),
        }
    }
}

impl State {
    /// `GET /relay/`: which authorities the relay forwards to (route targets stay private).
    fn listing(&self, request: &Request<Incoming>) -> Response<Body> {
        if let Some(detail) = self.cross_origin(request.headers()) {
            return cross_origin_problem(&detail);
        }
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            let mut response =
                problem(405, "method-not-allowed", "Use GET to list what the relay allows.", "GET /relay/ lists the allowed hosts.");
            response.headers_mut().insert(hyper::header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
        let list = |items: Vec<String>| items.iter().map(|s| json_string(s)).collect::<Vec<_>>().join(",");
        let body = format!(
            "{{\"allow\":[{}],\"routes\":[{}]}}",
            list(self.config.allow.iter().map(ToString::to_string).collect()),
            list(self.config.routes.iter().map(|r| r.authority.to_string()).collect()),
        );
        respond(200, "application/json", body.into_bytes())
    }

    /// `/relay/{authority}/{rest}?{query}`.
    async fn relay(&self, request: Request<Incoming>, rest: &str) -> Response<Body> {
        let started = Instant::now();
        let method = request.method().as_str().to_string();
        let (target, query) = match rest.split_once('?') {
            Some((target, query)) => (target, Some(query)),
            None => (rest, None),
        };
        let (authority, path) = match target.find('/') {
            Some(i) => target.split_at(i),
            None => (target, "/"),
        };
        let response = self.forward(request, authority, path, query).await;
        // Never the query, a header or a body: only what identifies the call, with control
        // characters escaped.
        self.log(&format!(
            "relay {} {}{} -> {} {}ms",
            escape_for_log(&method),
            escape_for_log(authority),
            escape_for_log(path),
            response.status().as_u16(),
            started.elapsed().as_millis()
        ));
        response
    }

    async fn forward(&self, request: Request<Incoming>, authority_text: &str, path: &str, query: Option<&str>) -> Response<Body> {
        if let Some(detail) = self.cross_origin(request.headers()) {
            return cross_origin_problem(&detail);
        }
        let Some(authority) = Authority::parse(authority_text) else {
            return problem(
                400,
                "bad-target",
                "The relay URL does not name a host.",
                "Relay URLs look like /relay/HOST[:PORT]/PATH?QUERY.",
            );
        };
        let route = self.config.routes.iter().find(|r| r.authority.matches(&authority));
        if route.is_none() && !self.config.allow.iter().any(|p| p.matches(&authority)) {
            return problem(
                403,
                "host-not-allowed",
                "The relay does not forward to this host.",
                &format!("{authority} is not on the relay's allowlist; start the relay with --allow {authority} to permit it."),
            );
        }

        let Ok(_slot) = self.in_flight.acquire().await else {
            return unreachable(&authority, route, "the relay is shutting down");
        };
        let (parts, incoming) = request.into_parts();
        // The body, read only once the request is known to be allowed, and never past the limit:
        // a declared length over it is refused before a byte is read.
        let declared = parts.headers.get(hyper::header::CONTENT_LENGTH);
        let has_body = declared.is_some() || parts.headers.contains_key(hyper::header::TRANSFER_ENCODING);
        if let Some(length) = declared {
            let fits = length.to_str().ok().and_then(|v| v.trim().parse::<u64>().ok()).is_some_and(|n| n <= MAX_REQUEST_BODY as u64);
            if !fits {
                return too_large();
            }
        }
        let body = if has_body {
            match Limited::new(incoming, MAX_REQUEST_BODY).collect().await {
                Ok(collected) => Some(collected.to_bytes()),
                Err(e) if e.is::<LengthLimitError>() => return too_large(),
                Err(_) => {
                    return problem(
                        400,
                        "bad-request",
                        "The request body could not be read.",
                        "The connection failed while reading the body.",
                    )
                }
            }
        } else {
            None
        };

        let url = match (route, query) {
            (Some(route), Some(query)) => format!("{}{path}?{query}", route.origin),
            (Some(route), None) => format!("{}{path}", route.origin),
            (None, Some(query)) => format!("https://{authority_text}{path}?{query}"),
            (None, None) => format!("https://{authority_text}{path}"),
        };
        let bad_target = || {
            problem(
                400,
                "bad-target",
                "The relay cannot forward this request.",
                "The method, path, query or a header contains characters that HTTP does not allow.",
            )
        };
        let Ok(uri) = hyper::Uri::try_from(url) else {
            return bad_target();
        };
        // TLS is verified against the host actually connected to: the route's target, or the
        // authority itself.
        let connected = uri.authority().and_then(|a| Authority::parse(a.as_str())).unwrap_or_else(|| authority.clone());
        let mut headers = HeaderMap::new();
        let Ok(host) = HeaderValue::from_str(authority_text) else {
            return bad_target();
        };
        headers.insert(hyper::header::HOST, host);
        let hop_tokens = connection_tokens(&parts.headers);
        for (name, value) in &parts.headers {
            if forward_request_header(name.as_str(), &hop_tokens) {
                headers.append(name.clone(), value.clone());
            }
        }

        let agents = self.config.upstream_cas.iter().position(|ca| ca.matches(&connected)).map_or(&self.default, |i| &self.private[i]);
        let agent = if route.is_some() { agents.direct.clone() } else { agents.internet.clone() };
        let head = parts.method == Method::HEAD;
        let mut upstream = ureq::http::Request::new(());
        *upstream.method_mut() = parts.method;
        *upstream.uri_mut() = uri;
        *upstream.headers_mut() = headers;
        let call = tokio::task::spawn_blocking(move || call_upstream(&agent, upstream, body)).await;
        let (status, upstream_headers, body) = match call {
            Ok(Ok(answer)) => answer,
            Ok(Err(Failure::TooLarge)) => {
                return problem(
                    502,
                    "upstream-too-large",
                    "The upstream response is too large for the relay.",
                    &format!("{authority} answered with more than 64 MiB."),
                )
            }
            Ok(Err(Failure::Unreachable(kind))) => return unreachable(&authority, route, &kind),
            Err(_) => return unreachable(&authority, route, "request failed"),
        };

        let mut response = Response::new(Full::new(Bytes::from(body)));
        *response.status_mut() = status;
        let out = response.headers_mut();
        for (name, value) in &upstream_headers {
            if return_response_header(name.as_str()) {
                out.append(name.clone(), value.clone());
            }
        }
        if head {
            // No body came, but the upstream's Content-Length describes the GET response.
            if let Some(length) = upstream_headers.get(hyper::header::CONTENT_LENGTH) {
                out.insert(hyper::header::CONTENT_LENGTH, length.clone());
            }
        }
        response
    }

    /// Why a `/relay/` request must be refused as cross-origin, if it must.
    fn cross_origin(&self, headers: &HeaderMap) -> Option<String> {
        let text = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or("\u{fffd}"));
        let site = text("sec-fetch-site").map(|s| s.trim().to_ascii_lowercase());
        if let Some(site) = &site {
            if site != "same-origin" && site != "none" {
                return Some(format!("The request came from another site (Sec-Fetch-Site: {}).", escape_for_log(site)));
            }
        }
        let Some(host) = text("host").and_then(|h| Authority::parse(h.trim())) else {
            return Some("The request has no valid Host header.".to_string());
        };
        if !self.host_is_local(&host.host) {
            return Some(format!(
                "The relay was addressed as {}, which is not localhost or an IP address; start it with --server-name {} if that is intended.",
                host.host, host.host
            ));
        }
        for name in ["origin", "referer"] {
            if let Some(value) = text(name) {
                let same = origin_of(value.trim()).is_some_and(|(default_port, origin)| {
                    origin.host == host.host && origin.port.unwrap_or(default_port) == host.port.unwrap_or(default_port)
                });
                if !same {
                    let name = if name == "origin" { "Origin" } else { "Referer" };
                    return Some(format!("The request's {name} is not this relay's origin."));
                }
            }
        }
        // Proof that the caller is the relay's own page: the browser says so, or the page sent
        // the relay header (which a foreign page cannot send without a preflight).
        let marked = text(RELAY_HEADER).is_some_and(|v| v.trim() == "1");
        if site.as_deref() != Some("same-origin") && !marked {
            return Some(format!("The request carries neither Sec-Fetch-Site: same-origin nor {}: 1.", "X-Certwright-Relay"));
        }
        None
    }

    fn host_is_local(&self, host: &str) -> bool {
        host == "localhost"
            || host.ends_with(".localhost")
            || host.starts_with('[')
            || host.parse::<IpAddr>().is_ok()
            || self.config.server_names.iter().any(|n| n == host)
    }
}

/// Why an upstream call gave no usable response.
enum Failure {
    TooLarge,
    /// The kind of error, safe to show (no URL, query or header).
    Unreachable(String),
}

/// Runs one upstream call (blocking) and reads its whole body, up to [`MAX_RESPONSE_BODY`].
fn call_upstream(
    agent: &Agent,
    request: ureq::http::Request<()>,
    body: Option<Bytes>,
) -> Result<(StatusCode, HeaderMap, Vec<u8>), Failure> {
    let (parts, ()) = request.into_parts();
    let result = match body {
        Some(body) => agent.run(ureq::http::Request::from_parts(parts, &body[..])),
        None => agent.run(ureq::http::Request::from_parts(parts, SendBody::none())),
    };
    let response = result.map_err(|e| Failure::Unreachable(error_kind(&e)))?;
    let (parts, body) = response.into_parts();
    let body = body.into_with_config().limit(MAX_RESPONSE_BODY).read_to_vec().map_err(|e| match e {
        ureq::Error::BodyExceedsLimit(_) => Failure::TooLarge,
        e => Failure::Unreachable(error_kind(&e)),
    })?;
    Ok((parts.status, parts.headers, body))
}

/// The scheme's default port and the authority of an `Origin` or `Referer` value (`http` and
/// `https` only; `null` and anything else is `None`).
fn origin_of(value: &str) -> Option<(u16, Authority)> {
    let (default_port, rest) = if let Some(rest) = value.strip_prefix("http://") {
        (80, rest)
    } else if let Some(rest) = value.strip_prefix("https://") {
        (443, rest)
    } else {
        return None;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((default_port, Authority::parse(&rest[..end])?))
}

/// Lowercased header names listed in `Connection` headers (hop-by-hop by declaration).
fn connection_tokens(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(hyper::header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

fn is_hop_by_hop(name: &str, connection_tokens: &[String]) -> bool {
    matches!(name, "connection" | "keep-alive" | "te" | "trailer" | "transfer-encoding" | "upgrade")
        || name.starts_with("proxy-")
        || connection_tokens.iter().any(|t| t == name)
}

/// Whether a (lowercased) request header goes upstream.
fn forward_request_header(name: &str, connection_tokens: &[String]) -> bool {
    !(is_hop_by_hop(name, connection_tokens)
        || matches!(name, "host" | "content-length" | "expect" | "cookie" | "origin" | "referer" | RELAY_HEADER)
        || name.starts_with("sec-"))
}

/// Whether a (lowercased) upstream response header goes back to the browser: an allowlist of
/// what the app reads (content type and encoding, rate limits, `Retry-After`, request ids,
/// `Link`, `Location`, validators and `Date`). Everything else (`Set-Cookie`,
/// `Clear-Site-Data`, an upstream CSP, `WWW-Authenticate`, ...) is dropped. `Content-Length`
/// is recomputed.
fn return_response_header(name: &str) -> bool {
    matches!(
        name,
        "content-type"
            | "content-encoding"
            | "retry-after"
            | "link"
            | "location"
            | "etag"
            | "last-modified"
            | "date"
            | "ratelimit"
            | "ratelimit-policy"
            | "request-id"
            | "x-request-id"
            | "x-trace-id"
            | "x-correlation-id"
    ) || name.starts_with("x-ratelimit-")
        || name.starts_with("ratelimit-")
        || name.ends_with("-request-id")
}

/// The headers every `/relay/` response carries: nothing relayed may run, render or be sniffed
/// on the app's origin, or be cached.
fn secured(mut response: Response<Body>) -> Response<Body> {
    let headers = response.headers_mut();
    headers.insert(hyper::header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    headers.insert(hyper::header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(hyper::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `text` with control characters (C0, DEL, C1), bidirectional overrides and backslashes
/// escaped (`\x1b`, `\r`, `\n`, `\t`, `\u{202e}`, `\\`), so a request cannot forge or hide log
/// lines or drive a terminal.
pub fn escape_for_log(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}') => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// The kind of an upstream failure, never the URL, query or headers.
fn error_kind(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        // rustls reports handshake failures as InvalidData I/O errors; their text is safe to show.
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            format!("TLS or protocol error ({e})")
        }
        ureq::Error::Io(e) => e.kind().to_string(),
        ureq::Error::Tls(message) => format!("TLS error ({message})"),
        ureq::Error::Rustls(e) => format!("TLS error ({e})"),
        ureq::Error::Protocol(_) => "invalid HTTP response".to_string(),
        ureq::Error::LargeResponseHeader(..) => "response headers too large".to_string(),
        _ => "request failed".to_string(),
    }
}

/// A 502 naming the authority and the kind of failure, never the URL, query or headers.
fn unreachable(authority: &Authority, route: Option<&Route>, kind: &str) -> Response<Body> {
    let via = if route.is_some() { " (through its --route)" } else { "" };
    problem(
        502,
        "upstream-unreachable",
        "The relay could not reach the upstream host.",
        &format!("Could not reach {authority}{via}: {kind}."),
    )
}

fn too_large() -> Response<Body> {
    let mut response = problem(
        413,
        "request-too-large",
        "The request body is too large for the relay.",
        "The relay forwards request bodies of at most 16 MiB.",
    );
    // The rest of the body is not read: the connection cannot carry another request.
    response.headers_mut().insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
    response
}

fn cross_origin_problem(detail: &str) -> Response<Body> {
    problem(403, "cross-origin", "The relay only serves pages from its own origin.", detail)
}

/// A response with a body, a content type and `Cache-Control: no-store`.
pub(crate) fn respond(status: u16, content_type: &'static str, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(hyper::header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(hyper::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An `application/problem+json` response (RFC 9457) of type `/certwright/relay/{kind}`.
pub(crate) fn problem(status: u16, kind: &str, title: &str, detail: &str) -> Response<Body> {
    let body = format!(
        "{{\"type\":{},\"title\":{},\"status\":{status},\"detail\":{}}}",
        json_string(&format!("{PROBLEM_PREFIX}{kind}")),
        json_string(title),
        json_string(detail)
    );
    respond(status, "application/problem+json", body.into_bytes())
}

/// A short `text/plain` response.
pub(crate) fn plain(status: u16, text: &str) -> Response<Body> {
    respond(status, "text/plain; charset=utf-8", text.as_bytes().to_vec())
}

/// A header from a constant name.
pub(crate) fn set_header(response: &mut Response<Body>, name: &'static str, value: &'static str) {
    response.headers_mut().insert(HeaderName::from_static(name), HeaderValue::from_static(value));
}

/// A JSON string literal.
pub(crate) fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_filters() {
        let none: Vec<String> = Vec::new();
        for name in ["authorization", "content-type", "accept", "accept-encoding", "user-agent", "x-custom", "if-none-match"] {
            assert!(forward_request_header(name, &none), "{name}");
        }
        for name in [
            "connection",
            "keep-alive",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "cookie",
            "origin",
            "referer",
            "sec-fetch-site",
            "sec-fetch-mode",
            "sec-ch-ua",
            "content-length",
            "expect",
            "x-certwright-relay",
        ] {
            assert!(!forward_request_header(name, &none), "{name}");
        }
        let mut headers = HeaderMap::new();
        headers.insert(hyper::header::CONNECTION, HeaderValue::from_static("keep-alive, X-Hop"));
        let tokens = connection_tokens(&headers);
        assert!(!forward_request_header("x-hop", &tokens));
    }

    #[test]
    fn response_header_allowlist() {
        for kept in [
            "content-type",
            "content-encoding",
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-next",
            "x-ratelimit-limit-requests",
            "x-ratelimit-reset-tokens",
            "ratelimit",
            "ratelimit-policy",
            "ratelimit-remaining",
            "retry-after",
            "x-request-id",
            "x-trace-id",
            "akamai-request-id",
            "x-akamai-request-id",
            "link",
            "location",
            "etag",
            "date",
        ] {
            assert!(return_response_header(kept), "{kept}");
        }
        for dropped in [
            "set-cookie",
            "set-cookie2",
            "clear-site-data",
            "content-security-policy",
            "content-security-policy-report-only",
            "www-authenticate",
            "refresh",
            "content-disposition",
            "access-control-allow-origin",
            "strict-transport-security",
            "transfer-encoding",
            "connection",
            "content-length",
            "x-frame-options",
            "service-worker-allowed",
        ] {
            assert!(!return_response_header(dropped), "{dropped}");
        }
    }

    #[test]
    fn log_escaping() {
        assert_eq!(escape_for_log("/a/b%1B"), "/a/b%1B");
        assert_eq!(escape_for_log("a\u{1b}[31mb\rc\nd\te\\f\u{7f}\u{9b}g\u{202e}h"), "a\\x1b[31mb\\rc\\nd\\te\\\\f\\x7f\\x9bg\\u{202e}h");
        assert_eq!(escape_for_log("été"), "été");
    }

    #[test]
    fn origins() {
        assert_eq!(origin_of("http://127.0.0.1:8080"), Some((80, Authority { host: "127.0.0.1".into(), port: Some(8080) })));
        assert_eq!(origin_of("https://Relay.Example/x?y"), Some((443, Authority { host: "relay.example".into(), port: None })));
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("file:///x"), None);
    }

    #[test]
    fn json_strings() {
        assert_eq!(json_string("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\u0001é\"");
    }
}
