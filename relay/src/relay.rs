//! Request dispatch, the same-origin rules and the forwarding itself.

use std::io::{Cursor, Read};
use std::net::IpAddr;
use std::time::Instant;

use tiny_http::{Header, Request, Response, ResponseBox, StatusCode};
use ureq::config::AutoHeaderValue;
use ureq::http::{self, HeaderName, HeaderValue};
use ureq::{Agent, SendBody};

use crate::config::Compiled;
use crate::hosts::{Authority, Route};
use crate::{statics, MAX_REQUEST_BODY, MAX_RESPONSE_BODY, UPSTREAM_TIMEOUT};

/// Problem `type` URIs all start with this.
const PROBLEM_PREFIX: &str = "/certwright/relay/";

/// Shared state of the request threads.
pub(crate) struct State {
    config: Compiled,
    /// For routed authorities: never through a proxy (routes point at local servers).
    direct: Agent,
    /// For `https://{authority}`: honours `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY`.
    internet: Agent,
}

fn agent(proxy: Option<ureq::Proxy>) -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .save_redirect_history(false)
        .timeout_global(Some(UPSTREAM_TIMEOUT))
        .allow_non_standard_methods(true)
        .user_agent(AutoHeaderValue::None)
        .accept(AutoHeaderValue::None)
        .accept_encoding(AutoHeaderValue::None)
        .proxy(proxy)
        .build()
        .new_agent()
}

impl State {
    pub(crate) fn new(config: Compiled) -> State {
        State {
            config,
            direct: agent(None),
            internet: agent(ureq::Proxy::try_from_env()),
        }
    }

    /// Answers one request (on its own thread).
    pub(crate) fn handle(&self, mut request: Request) {
        let url = request.url().to_string();
        let path = url.split(['?', '#']).next().unwrap_or("");
        let response = if path == "/relay" || path == "/relay/" {
            self.listing(&request)
        } else if let Some(rest) = url.strip_prefix("/relay/") {
            self.relay(&mut request, rest)
        } else {
            match &self.config.dist {
                Some(dist) => statics::serve(dist, &request),
                None => plain(
                    404,
                    "Not found. This relay serves no app (start it with --dist DIR).\n",
                ),
            }
        };
        // The client may have gone away; nothing more to do then.
        let _ = request.respond(response);
    }

    /// `GET /relay/`: which authorities the relay forwards to (route targets stay private).
    fn listing(&self, request: &Request) -> ResponseBox {
        if let Some(detail) = self.cross_origin(request) {
            return cross_origin_problem(&detail);
        }
        if !matches!(
            request.method(),
            tiny_http::Method::Get | tiny_http::Method::Head
        ) {
            return problem(
                405,
                "method-not-allowed",
                "Use GET to list what the relay allows.",
                "GET /relay/ lists the allowed hosts.",
            )
            .with_header(header("Allow", "GET, HEAD"));
        }
        let list = |items: Vec<String>| {
            items
                .iter()
                .map(|s| json_string(s))
                .collect::<Vec<_>>()
                .join(",")
        };
        let body = format!(
            "{{\"allow\":[{}],\"routes\":[{}]}}",
            list(self.config.allow.iter().map(ToString::to_string).collect()),
            list(
                self.config
                    .routes
                    .iter()
                    .map(|r| r.authority.to_string())
                    .collect()
            ),
        );
        Response::from_data(body.into_bytes())
            .with_header(header("Content-Type", "application/json"))
            .with_header(header("Cache-Control", "no-store"))
            .with_chunked_threshold(usize::MAX)
            .boxed()
    }

    /// `/relay/{authority}/{rest}?{query}`.
    fn relay(&self, request: &mut Request, rest: &str) -> ResponseBox {
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
        let response = self.forward(request, &method, authority, path, query);
        if let Some(log) = &self.config.log {
            // Never the query, a header or a body: only what identifies the call.
            log(&format!(
                "relay {method} {authority}{path} -> {} {}ms",
                response.status_code().0,
                started.elapsed().as_millis()
            ));
        }
        response
    }

    fn forward(
        &self,
        request: &mut Request,
        method: &str,
        authority_text: &str,
        path: &str,
        query: Option<&str>,
    ) -> ResponseBox {
        if let Some(detail) = self.cross_origin(request) {
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
        let route = self
            .config
            .routes
            .iter()
            .find(|r| r.authority.matches(&authority));
        if route.is_none() && !self.config.allow.iter().any(|p| p.matches(&authority)) {
            return problem(
                403,
                "host-not-allowed",
                "The relay does not forward to this host.",
                &format!(
                    "{authority} is not on the relay's allowlist; start the relay with --allow {authority} to permit it."
                ),
            );
        }

        // The body, read only once the request is known to be allowed.
        let has_body =
            request.body_length().is_some() || find_header(request, "Transfer-Encoding").is_some();
        let body = if has_body {
            if request.body_length().is_some_and(|n| n > MAX_REQUEST_BODY) {
                return too_large();
            }
            let mut body = Vec::with_capacity(request.body_length().unwrap_or(0));
            if request
                .as_reader()
                .take(MAX_REQUEST_BODY as u64 + 1)
                .read_to_end(&mut body)
                .is_err()
            {
                return problem(
                    400,
                    "bad-request",
                    "The request body could not be read.",
                    "The connection failed while reading the body.",
                );
            }
            if body.len() > MAX_REQUEST_BODY {
                return too_large();
            }
            Some(body)
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
        let Ok(uri) = http::Uri::try_from(url) else {
            return bad_target();
        };
        let Ok(method) = http::Method::from_bytes(method.as_bytes()) else {
            return bad_target();
        };
        let mut headers = http::HeaderMap::new();
        let Ok(host) = HeaderValue::from_str(authority_text) else {
            return bad_target();
        };
        headers.insert(http::header::HOST, host);
        let hop_tokens = connection_tokens(
            request
                .headers()
                .iter()
                .map(|h| (h.field.as_str().as_str(), h.value.as_str())),
        );
        for h in request.headers() {
            let name = h.field.as_str().as_str().to_ascii_lowercase();
            if !forward_request_header(&name, &hop_tokens) {
                continue;
            }
            match (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_bytes(h.value.as_bytes()),
            ) {
                (Ok(name), Ok(value)) => {
                    headers.append(name, value);
                }
                _ => return bad_target(),
            }
        }

        let agent = if route.is_some() {
            &self.direct
        } else {
            &self.internet
        };
        let head = method == http::Method::HEAD;
        let result = match body {
            Some(body) => agent.run(upstream_request(method, uri, headers, body)),
            None => agent.run(upstream_request(method, uri, headers, SendBody::none())),
        };
        let response = match result {
            Ok(response) => response,
            Err(e) => return unreachable(&authority, route, &e),
        };
        let (parts, body) = response.into_parts();
        let body = match body
            .into_with_config()
            .limit(MAX_RESPONSE_BODY)
            .read_to_vec()
        {
            Ok(body) => body,
            Err(ureq::Error::BodyExceedsLimit(_)) => {
                return problem(
                    502,
                    "upstream-too-large",
                    "The upstream response is too large for the relay.",
                    &format!("{authority} answered with more than 64 MiB."),
                )
            }
            Err(e) => return unreachable(&authority, route, &e),
        };

        let hop_tokens = connection_tokens(
            parts
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.to_str().unwrap_or(""))),
        );
        let mut out_headers = Vec::with_capacity(parts.headers.len() + 1);
        for (name, value) in &parts.headers {
            if !return_response_header(name.as_str(), &hop_tokens) {
                continue;
            }
            // tiny_http only takes ASCII values; a header it cannot carry is dropped.
            if let Ok(h) = Header::from_bytes(name.as_str().as_bytes(), value.as_bytes()) {
                out_headers.push(h);
            }
        }
        out_headers.push(header("Cache-Control", "no-store"));
        let length = if head {
            // No body came, but the upstream's Content-Length describes the GET response.
            parts
                .headers
                .get(http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<usize>().ok())
        } else {
            Some(body.len())
        };
        Response::new(
            StatusCode(parts.status.as_u16()),
            out_headers,
            Box::new(Cursor::new(body)) as Box<dyn Read + Send>,
            length,
            None,
        )
        .with_chunked_threshold(usize::MAX)
    }

    /// Why a `/relay/` request must be refused as cross-origin, if it must.
    fn cross_origin(&self, request: &Request) -> Option<String> {
        if let Some(site) = find_header(request, "Sec-Fetch-Site") {
            let site = site.trim().to_ascii_lowercase();
            if site == "cross-site" || site == "same-site" {
                return Some(format!(
                    "The request came from another site (Sec-Fetch-Site: {site})."
                ));
            }
        }
        let Some(host) = find_header(request, "Host").and_then(|h| Authority::parse(h.trim()))
        else {
            return Some("The request has no valid Host header.".to_string());
        };
        if !self.host_is_local(&host.host) {
            return Some(format!(
                "The relay was addressed as {}, which is not localhost or an IP address; start it with --server-name {} if that is intended.",
                host.host, host.host
            ));
        }
        for name in ["Origin", "Referer"] {
            if let Some(value) = find_header(request, name) {
                let same = origin_of(value.trim()).is_some_and(|(default_port, origin)| {
                    origin.host == host.host
                        && origin.port.unwrap_or(default_port) == host.port.unwrap_or(default_port)
                });
                if !same {
                    return Some(format!("The request's {name} is not this relay's origin."));
                }
            }
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

fn upstream_request<B>(
    method: http::Method,
    uri: http::Uri,
    headers: http::HeaderMap,
    body: B,
) -> http::Request<B> {
    let mut request = http::Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    *request.headers_mut() = headers;
    request
}

/// Lowercased header names listed in `Connection` headers (hop-by-hop by declaration).
fn connection_tokens<'a>(headers: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    headers
        .filter(|(name, _)| name.eq_ignore_ascii_case("connection"))
        .flat_map(|(_, value)| value.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

fn is_hop_by_hop(name: &str, connection_tokens: &[String]) -> bool {
    matches!(
        name,
        "connection" | "keep-alive" | "te" | "trailer" | "transfer-encoding" | "upgrade"
    ) || name.starts_with("proxy-")
        || connection_tokens.iter().any(|t| t == name)
}

/// Whether a (lowercased) request header goes upstream.
fn forward_request_header(name: &str, connection_tokens: &[String]) -> bool {
    !(is_hop_by_hop(name, connection_tokens)
        || matches!(
            name,
            "host" | "content-length" | "expect" | "cookie" | "origin" | "referer"
        )
        || name.starts_with("sec-"))
}

/// Whether a (lowercased) upstream response header goes back to the browser.
fn return_response_header(name: &str, connection_tokens: &[String]) -> bool {
    !(is_hop_by_hop(name, connection_tokens)
        || matches!(name, "content-length" | "set-cookie" | "set-cookie2"))
}

fn find_header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// A 502 naming the authority and the kind of failure, never the URL, query or headers.
fn unreachable(authority: &Authority, route: Option<&Route>, error: &ureq::Error) -> ResponseBox {
    let kind = match error {
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
    };
    let via = if route.is_some() {
        " (through its --route)"
    } else {
        ""
    };
    problem(
        502,
        "upstream-unreachable",
        "The relay could not reach the upstream host.",
        &format!("Could not reach {authority}{via}: {kind}."),
    )
}

fn too_large() -> ResponseBox {
    problem(
        413,
        "request-too-large",
        "The request body is too large for the relay.",
        "The relay forwards request bodies of at most 16 MiB.",
    )
}

fn cross_origin_problem(detail: &str) -> ResponseBox {
    problem(
        403,
        "cross-origin",
        "The relay only serves pages from its own origin.",
        detail,
    )
}

/// An `application/problem+json` response (RFC 9457) of type `/certwright/relay/{kind}`.
pub(crate) fn problem(status: u16, kind: &str, title: &str, detail: &str) -> ResponseBox {
    let body = format!(
        "{{\"type\":{},\"title\":{},\"status\":{status},\"detail\":{}}}",
        json_string(&format!("{PROBLEM_PREFIX}{kind}")),
        json_string(title),
        json_string(detail)
    );
    Response::from_data(body.into_bytes())
        .with_status_code(status)
        .with_header(header("Content-Type", "application/problem+json"))
        .with_header(header("Cache-Control", "no-store"))
        .with_chunked_threshold(usize::MAX)
        .boxed()
}

/// A short `text/plain` response.
pub(crate) fn plain(status: u16, text: &str) -> ResponseBox {
    Response::from_data(text.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
        .with_chunked_threshold(usize::MAX)
        .boxed()
}

/// A header from constant ASCII parts.
pub(crate) fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
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
        for name in [
            "authorization",
            "content-type",
            "accept",
            "accept-encoding",
            "user-agent",
            "x-custom",
            "if-none-match",
        ] {
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
        ] {
            assert!(!forward_request_header(name, &none), "{name}");
        }
        let tokens = connection_tokens([("Connection", "keep-alive, X-Hop")].into_iter());
        assert!(!forward_request_header("x-hop", &tokens));
        assert!(return_response_header("x-ratelimit-limit", &none));
        assert!(return_response_header("www-authenticate", &none));
        assert!(!return_response_header("set-cookie", &none));
        assert!(!return_response_header("transfer-encoding", &none));
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080"),
            Some((
                80,
                Authority {
                    host: "127.0.0.1".into(),
                    port: Some(8080)
                }
            ))
        );
        assert_eq!(
            origin_of("https://Relay.Example/x?y"),
            Some((
                443,
                Authority {
                    host: "relay.example".into(),
                    port: None
                }
            ))
        );
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("file:///x"), None);
    }

    #[test]
    fn json_strings() {
        assert_eq!(json_string("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\u0001é\"");
    }
}
