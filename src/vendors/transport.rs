//! The HTTP seam between vendor clients and the network.
//!
//! Vendor clients build a complete [`HttpRequest`] (URL, headers, body, already signed) and hand
//! it to a [`Transport`]. The trait has no `Send` bound, because browser futures (`fetch`) are
//! `!Send`; a wasm `fetch` transport and a native test fake can both implement it. Native tests
//! use a fake that records requests and replays canned responses, so nothing here touches the
//! network.

use std::fmt;

/// One HTTP request, exactly as it must go out (the signature covers method, path, query and
/// `POST` body, so a transport must not re-encode any of them).
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub method: String,
    /// The absolute URL, `https://host/path?query`.
    pub url: String,
    /// Request headers, in order. Holds `Authorization`, which `Debug` redacts.
    pub headers: Vec<(String, String)>,
    /// The request body (empty for none).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    /// Credential headers and body fields print as `[redacted]` ([`super::redact`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &redacted_headers(&self.headers))
            .field("body", &super::redact::body_text(&self.body))
            .finish()
    }
}

fn redacted_headers(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers.iter().map(|(name, value)| (name.as_str(), super::redact::header_value(name, value))).collect()
}

/// One HTTP response: any status (a transport reports 4xx/5xx as responses, not errors).
/// `Debug` redacts credential headers and body fields (a token response carries a token).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Response headers, in order.
    pub headers: Vec<(String, String)>,
    /// The response body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &redacted_headers(&self.headers))
            .field("body", &super::redact::body_text(&self.body))
            .finish()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n.trim().eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
}

/// The request never produced a response (DNS, TLS, CORS, connection reset, aborted, ...).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("request failed before a response arrived: {message}")]
pub struct TransportError {
    /// What went wrong, in the transport's words. Must not contain request headers.
    pub message: String,
}

impl TransportError {
    /// A transport error with this message.
    pub fn new(message: impl Into<String>) -> TransportError {
        TransportError { message: message.into() }
    }
}

/// Sends HTTP requests and waits. No `Send` bound, so a browser `fetch` transport fits.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends `req` and returns the response, whatever its status.
    ///
    /// # Errors
    /// Only when no response was received.
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError>;

    /// Waits `ms` milliseconds (rate-limit back-off, activation polling). A browser transport
    /// uses a timer; a test fake records the value and returns at once.
    async fn sleep_ms(&self, ms: u64);
}

impl<T: Transport + ?Sized> Transport for &T {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        (**self).send(req).await
    }

    async fn sleep_ms(&self, ms: u64) {
        (**self).sleep_ms(ms).await
    }
}

/// Where the same-origin relay (the `certwright-relay` server) takes a request for `url`:
/// `https://host[:port]/path?query` becomes `/relay/host[:port]/path?query`, path and query byte
/// for byte (the signature covers them). `None` for anything but an absolute `https` URL.
pub fn relay_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let (authority, target) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let target = if target.starts_with('/') { target.to_owned() } else { format!("/{target}") };
    Some(format!("/relay/{authority}{target}"))
}

#[cfg(test)]
mod tests {
    use super::{relay_path, HttpRequest, HttpResponse};

    #[test]
    fn debug_output_holds_no_credentials() {
        let req = HttpRequest {
            method: "POST".into(),
            url: "https://auth.example/oauth/token".into(),
            headers: vec![
                ("Authorization".into(), "Basic aWQ6c2VjcmV0".into()),
                ("X-Api-Key".into(), "k-123".into()),
                ("Cookie".into(), "sid=abc".into()),
            ],
            body: br#"{"client_id":"id","client_secret":"s3cr3t","grant_type":"client_credentials"}"#.to_vec(),
        };
        let text = format!("{req:?}");
        for secret in ["aWQ6c2VjcmV0", "k-123", "sid=abc", "s3cr3t"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("client_credentials"));
        let resp = HttpResponse {
            status: 200,
            headers: vec![("Set-Cookie".into(), "sid=xyz".into())],
            body: br#"{"access_token":"tok-9","expires_in":60}"#.to_vec(),
        };
        let text = format!("{resp:?}");
        assert!(!text.contains("tok-9") && !text.contains("sid=xyz"), "{text}");
    }

    #[test]
    fn relay_paths_keep_the_target_byte_for_byte() {
        assert_eq!(
            relay_path("https://akab-x.luna.akamaiapis.net/mtls-edge-truststore/v2/ca-sets/1%3A2?b=2&a=1+x").as_deref(),
            Some("/relay/akab-x.luna.akamaiapis.net/mtls-edge-truststore/v2/ca-sets/1%3A2?b=2&a=1+x")
        );
        assert_eq!(relay_path("https://host:8443?x=1").as_deref(), Some("/relay/host:8443/?x=1"));
        assert_eq!(relay_path("http://host/x"), None);
        assert_eq!(relay_path("https://user@host/x"), None);
        assert_eq!(relay_path("https:///x"), None);
    }
}
