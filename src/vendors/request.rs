//! The one request path every vendor client uses: build, authenticate, send through
//! [`Transport`], decode, typed error.
//!
//! A vendor client owns a [`Connection`]: the transport, the [`Auth`] value, the vendor's wire
//! conventions ([`Vendor`]: which error body it sends, which rate-limit headers) and the injected
//! clock. It builds an unauthenticated [`HttpRequest`] ([`json_request`], [`with_query`]) and calls
//! [`Connection::send`] or [`Connection::send_json`], which for each attempt:
//! 1. authenticates a fresh copy of the request at the clock's time ([`Auth::apply`]: a new
//!    EdgeGrid signature, a cached or new OAuth token, ...);
//! 2. sends it and records the response's rate-limit headers ([`Connection::last_rate_limit`]);
//! 3. on 2xx returns the response (or decodes its JSON, naming the JSON path on failure);
//! 4. on 429 waits ([`super::retry::wait_ms`], through [`Transport::sleep_ms`]) and tries once
//!    more, then reports [`Error::RateLimited`];
//! 5. on 401, if the auth value can get new credentials (an OAuth token), tries once more;
//! 6. otherwise reports [`Error::Api`] with the vendor's error body parsed.

use std::cell::RefCell;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::auth::Auth;
use super::error::{decode, ApiError, Error, ErrorFormat};
use super::retry::{wait_ms, RateLimit, RateLimitScheme};
use super::transport::{HttpRequest, HttpResponse, Transport};

/// A vendor's wire conventions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vendor {
    /// For messages, e.g. `Akamai`.
    pub name: &'static str,
    /// Its error body.
    pub errors: ErrorFormat,
    /// Its rate-limit headers.
    pub rate_limits: RateLimitScheme,
}

/// The clock: Unix seconds (in the browser `Date.now() / 1000`; in tests a fixed value).
pub type Clock = Box<dyn Fn() -> i64>;

/// Transport, authentication, vendor conventions and clock: what every request needs.
pub struct Connection<T: Transport> {
    transport: T,
    auth: Auth,
    vendor: Vendor,
    clock: Clock,
    last_rate_limit: RefCell<Option<RateLimit>>,
}

impl<T: Transport> fmt::Debug for Connection<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection").field("vendor", &self.vendor.name).field("auth", &self.auth).finish_non_exhaustive()
    }
}

impl<T: Transport> Connection<T> {
    /// A connection for `vendor` over `transport`, authenticating with `auth`, reading the time
    /// from `clock`.
    pub fn new(transport: T, auth: Auth, vendor: Vendor, clock: impl Fn() -> i64 + 'static) -> Connection<T> {
        Connection { transport, auth, vendor, clock: Box::new(clock), last_rate_limit: RefCell::new(None) }
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The authentication value.
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// The authentication value, to change (e.g. the EdgeGrid nonce source in tests).
    pub fn auth_mut(&mut self) -> &mut Auth {
        &mut self.auth
    }

    /// The vendor's conventions.
    pub fn vendor(&self) -> &Vendor {
        &self.vendor
    }

    /// The clock's time, Unix seconds.
    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    /// The rate-limit headers of the last response received, if it had any.
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.last_rate_limit.borrow().clone()
    }

    /// Sends `req` (authenticated afresh for each attempt) and returns the 2xx response.
    ///
    /// # Errors
    /// See the module docs.
    pub async fn send(&self, req: HttpRequest) -> Result<HttpResponse, Error> {
        let (mut rate_retried, mut auth_retried) = (false, false);
        loop {
            let mut attempt = req.clone();
            self.auth.apply(&self.transport, &mut attempt, self.now()).await?;
            let resp = self.transport.send(attempt).await?;
            *self.last_rate_limit.borrow_mut() = RateLimit::from_response(&resp, &self.vendor.rate_limits);
            if (200..300).contains(&resp.status) {
                return Ok(resp);
            }
            if resp.status == 429 && !rate_retried {
                rate_retried = true;
                self.transport.sleep_ms(wait_ms(&resp, &self.vendor.rate_limits, self.now())).await;
                continue;
            }
            if resp.status == 401 && !auth_retried && self.auth.on_unauthorized() {
                auth_retried = true;
                continue;
            }
            let mut error = Box::new(ApiError::from_response(&resp, self.vendor.errors, &self.vendor.rate_limits));
            error.vendor = self.vendor.name;
            return Err(if resp.status == 429 { Error::RateLimited(error) } else { Error::Api(error) });
        }
    }

    /// [`Connection::send`], then decodes the JSON body as `R`.
    ///
    /// # Errors
    /// As [`Connection::send`], and [`Error::Decode`] with the JSON path.
    pub async fn send_json<R: DeserializeOwned>(&self, req: HttpRequest) -> Result<R, Error> {
        let resp = self.send(req).await?;
        decode(&resp.body)
    }
}

/// A request with `Accept: application/json` and, if `body` is given, its JSON with
/// `Content-Type: application/json`.
///
/// # Errors
/// [`Error::Invalid`] if `body` does not serialize.
pub fn json_request<B: Serialize + ?Sized>(method: &str, url: impl Into<String>, body: Option<&B>) -> Result<HttpRequest, Error> {
    let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
    let body = match body {
        Some(b) => {
            headers.push(("Content-Type".into(), "application/json".into()));
            serde_json::to_vec(b).map_err(|e| Error::invalid("body", format!("could not encode the request body: {e}")))?
        }
        None => Vec::new(),
    };
    Ok(HttpRequest { method: method.to_owned(), url: url.into(), headers, body })
}

/// `url` with `query` appended, each value percent-encoded (RFC 3986 unreserved characters
/// kept).
pub fn with_query(url: &str, query: &[(&str, String)]) -> String {
    if query.is_empty() {
        return url.to_owned();
    }
    let encoded: Vec<String> = query.iter().map(|(name, value)| format!("{name}={}", percent_encode(value))).collect();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{}", encoded.join("&"))
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A vendor's base URL checked and normalised (trimmed, no trailing slash): `https://` with a host,
/// or plain `http://` to a loopback host (`127.0.0.1`, `localhost`, `[::1]`, for test servers);
/// no query, fragment or spaces. A path is kept.
///
/// # Errors
/// [`Error::Invalid`] on `field`, showing (the first 80 characters of) `url` and `example`.
pub fn check_base_url(field: &str, url: &str, example: &str) -> Result<String, Error> {
    let u = url.trim().trim_end_matches('/');
    let loopback = |rest: &str| {
        let end = if rest.starts_with('[') { rest.find(']').map_or(0, |i| i + 1) } else { rest.find(['/', ':']).unwrap_or(rest.len()) };
        matches!(&rest[..end], "127.0.0.1" | "localhost" | "[::1]") && matches!(rest[end..].chars().next(), None | Some('/' | ':'))
    };
    let rest = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://").filter(|r| loopback(r)));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with(['/', ':']) && !u.contains(['?', '#', ' ']) => Ok(u.to_owned()),
        _ => Err(Error::invalid(field, format!("`{}` is not an https:// URL (e.g. {example})", url.chars().take(80).collect::<String>()))),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;
    use crate::vendors::auth::ClientCredentials;
    use crate::vendors::redact::Secret;
    use crate::vendors::transport::TransportError;

    #[test]
    fn base_urls_are_https_or_loopback_http() {
        let ok = |u: &str| check_base_url("baseUrl", u, "https://vault.example.com");
        assert_eq!(ok(" https://vault.example.com/ ").unwrap(), "https://vault.example.com");
        assert_eq!(ok("https://pf.example.com:9999/pf-admin-api/v1").unwrap(), "https://pf.example.com:9999/pf-admin-api/v1");
        for loopback in ["http://127.0.0.1:8080", "http://localhost", "http://localhost:1/x", "http://[::1]:9"] {
            assert_eq!(ok(loopback).unwrap(), loopback);
        }
        // A host that only starts like a loopback name is not one.
        for bad in [
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example:80",
            "http://example.com",
            "https://",
            "https:///x",
            "ftp://x",
            "https://a?b=1",
            "https://a#f",
            "https://a b",
        ] {
            match ok(bad).unwrap_err() {
                Error::Invalid { field, message } => {
                    assert_eq!(field, "baseUrl");
                    assert!(message.contains("e.g. https://vault.example.com"), "{message}");
                }
                e => panic!("{bad}: {e:?}"),
            }
        }
    }

    #[derive(Default)]
    struct Fake {
        replies: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
        sent: RefCell<Vec<HttpRequest>>,
        sleeps: RefCell<Vec<u64>>,
    }

    impl Fake {
        fn reply(self, status: u16, headers: &[(&str, &str)], body: &str) -> Fake {
            self.replies.borrow_mut().push_back(Ok(HttpResponse {
                status,
                headers: headers.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect(),
                body: body.as_bytes().to_vec(),
            }));
            self
        }
    }

    impl Transport for Fake {
        async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.sent.borrow_mut().push(req);
            self.replies.borrow_mut().pop_front().unwrap_or_else(|| Err(TransportError::new("no reply")))
        }
        async fn sleep_ms(&self, ms: u64) {
            self.sleeps.borrow_mut().push(ms);
        }
    }

    const OPENAI: Vendor = Vendor { name: "OpenAI", errors: ErrorFormat::OpenAi, rate_limits: RateLimitScheme::OPENAI };

    fn run<F: std::future::Future>(f: F) -> F::Output {
        futures_executor::block_on(f)
    }

    fn get() -> HttpRequest {
        json_request::<()>("GET", "https://api.example.com/v1/organization/certificates", None).unwrap()
    }

    #[test]
    fn one_retry_after_429_then_rate_limited() {
        let fake = Fake::default().reply(429, &[("x-ratelimit-reset-requests", "2s")], "{}").reply(
            429,
            &[("x-ratelimit-reset-requests", "3s"), ("x-ratelimit-remaining-requests", "0"), ("x-request-id", "req_9")],
            r#"{"error":{"message":"Rate limit reached","type":"requests"}}"#,
        );
        let conn = Connection::new(fake, Auth::Bearer(Secret::new("sk-admin")), OPENAI, || 0);
        let err = run(conn.send(get())).unwrap_err();
        let Error::RateLimited(e) = &err else { panic!("{err:?}") };
        assert_eq!((e.status, e.request_id.as_deref()), (429, Some("req_9")));
        assert_eq!(e.rate_limit.as_ref().and_then(|r| r.remaining), Some(0));
        assert_eq!(*conn.transport().sleeps.borrow(), [2_000]);
        assert_eq!(conn.transport().sent.borrow().len(), 2);
        assert!(!format!("{err:?} {err}").contains("sk-admin"));
        assert!(conn.transport().sent.borrow().iter().all(|r| r.header("Authorization") == Some("Bearer sk-admin")));
    }

    #[test]
    fn success_decodes_and_records_rate_limits() {
        let fake = Fake::default().reply(200, &[("x-ratelimit-remaining-requests", "99")], r#"{"object":"list","data":[]}"#);
        let conn = Connection::new(fake, Auth::None, OPENAI, || 0);
        let v: serde_json::Value = run(conn.send_json(get())).unwrap();
        assert_eq!(v["object"], "list");
        assert_eq!(conn.last_rate_limit().and_then(|r| r.remaining), Some(99));
        let fake = Fake::default().reply(200, &[], r#"{"data":5}"#);
        let conn = Connection::new(fake, Auth::None, OPENAI, || 0);
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct L {
            data: Vec<u8>,
        }
        assert!(matches!(run(conn.send_json::<L>(get())), Err(Error::Decode { path, .. }) if path == "data"));
    }

    #[test]
    fn oauth_token_is_fetched_again_once_after_a_401() {
        let mattr = Vendor { name: "MATTR", errors: ErrorFormat::Mattr, rate_limits: RateLimitScheme::IETF };
        let fake = Fake::default()
            .reply(200, &[], r#"{"access_token":"old","expires_in":3600}"#)
            .reply(401, &[], r#"{"code":"Unauthorized","message":"token revoked"}"#)
            .reply(200, &[], r#"{"access_token":"new","expires_in":3600}"#)
            .reply(200, &[], "{}")
            .reply(401, &[], r#"{"code":"Unauthorized","message":"still no"}"#)
            .reply(200, &[], r#"{"access_token":"newer","expires_in":3600}"#)
            .reply(401, &[], r#"{"code":"Unauthorized","message":"no"}"#);
        let cc =
            ClientCredentials::mattr("https://auth.au01.mattr.global/oauth/token", "id", "secret-1", "https://t.vii.au01.mattr.global");
        let conn = Connection::new(fake, Auth::OAuth(cc), mattr, || 100);
        run(conn.send(get())).unwrap();
        let sent: Vec<Option<String>> =
            conn.transport().sent.borrow().iter().map(|r| r.header("Authorization").map(str::to_owned)).collect();
        assert_eq!(sent, [None, Some("Bearer old".into()), None, Some("Bearer new".into())]);
        // A second 401 after the fresh token is reported, with MATTR's body.
        let err = run(conn.send(get())).unwrap_err();
        assert_eq!(err.status(), Some(401));
        assert_eq!(err.api().unwrap().body.message(), Some("no"));
        assert_eq!(conn.transport().sent.borrow().len(), 7);
    }

    #[test]
    fn a_401_is_final_when_the_auth_value_cannot_renew() {
        let fake = Fake::default().reply(401, &[], r#"{"error":{"message":"Incorrect API key","type":"invalid_request_error"}}"#);
        let conn = Connection::new(fake, Auth::Bearer(Secret::new("sk-wrong")), OPENAI, || 0);
        let err = run(conn.send(get())).unwrap_err();
        assert_eq!(err.status(), Some(401));
        assert_eq!(conn.transport().sent.borrow().len(), 1, "no retry");
        assert_eq!(err.to_string(), "OpenAI answered http 401: Incorrect API key");
        assert!(!format!("{conn:?} {err:?}").contains("sk-wrong"));
    }

    #[test]
    fn transport_failures_and_queries() {
        let conn = Connection::new(Fake::default(), Auth::None, OPENAI, || 0);
        assert!(matches!(run(conn.send(get())), Err(Error::Transport(_))));
        assert_eq!(
            with_query("https://h/x", &[("after", "cert_1".into()), ("order", "a b&c".into())]),
            "https://h/x?after=cert_1&order=a%20b%26c"
        );
        assert_eq!(with_query("https://h/x?a=1", &[("b", "2".into())]), "https://h/x?a=1&b=2");
        assert_eq!(with_query("https://h/x", &[]), "https://h/x");
    }
}
