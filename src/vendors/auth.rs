//! Authentication as values: each vendor's scheme is an [`Auth`] the request path applies to
//! every attempt of every request.
//!
//! - [`Auth::EdgeGrid`]: Akamai's `EG1-HMAC-SHA256` signature, fresh timestamp and nonce for each
//!   attempt (the signer itself is [`crate::vendors::akamai::edgegrid`]);
//! - [`Auth::Bearer`]: a static token (OpenAI's admin key);
//! - [`Auth::Basic`]: HTTP Basic plus fixed headers (PingFederate: `X-XSRF-Header: PingFederate`,
//!   [`Basic::pingfederate`]);
//! - [`Auth::OAuth`]: OAuth 2.0 client credentials ([`ClientCredentials`]): the token is fetched
//!   through the same transport, cached until [`ClientCredentials::refresh_margin_s`] before its
//!   `expires_in`, and fetched again once after a 401. MATTR posts JSON with an `audience`
//!   ([`ClientCredentials::mattr`]); Segura posts a form ([`ClientCredentials::form`]) or sends
//!   the client id and secret as HTTP Basic ([`ClientCredentials::basic`]).
//!
//! The clock is passed in (`now`, Unix seconds), never read here, and nothing requires `Send`, so
//! a browser `fetch` transport works. Every `Debug` hides secrets and tokens.

use std::cell::RefCell;
use std::fmt;

use base64::Engine;
use serde::Deserialize;

use super::akamai::edgegrid::{self, Credentials, NonceError};
use super::error::{ApiError, Error, ErrorFormat};
use super::redact::Secret;
use super::retry::RateLimitScheme;
use super::transport::{HttpRequest, Transport};

/// Makes EdgeGrid nonces (a random UUID v4 by default; tests inject fixed ones).
pub type NonceSource = Box<dyn Fn() -> Result<String, NonceError>>;

/// Akamai EdgeGrid credentials and a nonce source.
pub struct EdgeGrid {
    /// The `.edgerc` section.
    pub creds: Credentials,
    nonce: NonceSource,
}

impl EdgeGrid {
    /// Signs with `creds` and random nonces ([`edgegrid::new_nonce`]).
    pub fn new(creds: Credentials) -> EdgeGrid {
        EdgeGrid { creds, nonce: Box::new(edgegrid::new_nonce) }
    }

    /// Replaces the nonce source.
    pub fn with_nonce_source(mut self, nonce: impl Fn() -> Result<String, NonceError> + 'static) -> EdgeGrid {
        self.nonce = Box::new(nonce);
        self
    }

    /// Replaces the nonce source in place.
    pub fn set_nonce_source(&mut self, nonce: NonceSource) {
        self.nonce = nonce;
    }

    fn sign(&self, req: &mut HttpRequest, now: i64) -> Result<(), Error> {
        let nonce = (self.nonce)().map_err(|e| Error::Auth(e.to_string()))?;
        let timestamp = edgegrid::timestamp(now);
        let path_and_query = path_and_query(&req.url);
        let headers: Vec<(&str, &str)> = req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let request = edgegrid::Request { method: &req.method, path_and_query: &path_and_query, headers: &headers, body: &req.body };
        let authorization = edgegrid::authorization_header(&self.creds, &request, &timestamp, &nonce);
        set_header(req, "Authorization", authorization);
        Ok(())
    }
}

impl fmt::Debug for EdgeGrid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EdgeGrid").field("creds", &self.creds).finish_non_exhaustive()
    }
}

/// HTTP Basic credentials plus headers sent with every request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Basic {
    /// The user name.
    pub username: String,
    /// The password (redacted in `Debug`).
    pub password: Secret,
    /// Fixed headers, e.g. `X-XSRF-Header: PingFederate`.
    pub headers: Vec<(String, String)>,
}

impl Basic {
    /// Basic credentials, no extra headers.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Basic {
        Basic { username: username.into(), password: password.into(), headers: Vec::new() }
    }

    /// PingFederate's administrative API: Basic plus `X-XSRF-Header: PingFederate`.
    pub fn pingfederate(username: impl Into<String>, password: impl Into<Secret>) -> Basic {
        let mut basic = Basic::new(username, password);
        basic.headers.push(("X-XSRF-Header".into(), "PingFederate".into()));
        basic
    }
}

/// `Basic base64(user:password)`.
fn basic_header(user: &str, password: &str) -> String {
    let raw = zeroize::Zeroizing::new(format!("{user}:{password}"));
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(raw.as_bytes()))
}

/// How the client credentials go to the token endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenRequestStyle {
    /// JSON `{client_id, client_secret, audience, grant_type}` (MATTR).
    Json {
        /// The API the token is for (MATTR: the tenant URL).
        audience: Option<String>,
    },
    /// Form `grant_type=client_credentials&client_id=…&client_secret=…` (Segura, newer docs).
    Form,
    /// Form `grant_type=client_credentials`, the id and secret as HTTP Basic (RFC 6749 §2.3.1;
    /// Segura 3.25).
    Basic,
}

#[derive(Clone)]
struct CachedToken {
    token: Secret,
    /// Use until this Unix second (already less the margin); `None`: this request only.
    until: Option<i64>,
}

/// OAuth 2.0 client credentials with a cached token.
pub struct ClientCredentials {
    /// The token endpoint, e.g. `https://auth.au01.mattr.global/oauth/token`.
    pub token_url: String,
    /// `client_id`.
    pub client_id: String,
    client_secret: Secret,
    /// How the credentials are sent.
    pub style: TokenRequestStyle,
    /// `scope`, if the vendor wants one.
    pub scope: Option<String>,
    /// Fetch a new token this many seconds before `expires_in` runs out (default 60).
    pub refresh_margin_s: i64,
    /// How the token endpoint's error bodies are read (default [`ErrorFormat::OAuth`]).
    pub error_format: ErrorFormat,
    cache: RefCell<Option<CachedToken>>,
}

impl ClientCredentials {
    /// Client credentials sent `style`-wise to `token_url`.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        style: TokenRequestStyle,
    ) -> ClientCredentials {
        ClientCredentials {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            style,
            scope: None,
            refresh_margin_s: 60,
            error_format: ErrorFormat::OAuth,
            cache: RefCell::new(None),
        }
    }

    /// MATTR VII: JSON body with `audience` (the tenant URL).
    pub fn mattr(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        audience: impl Into<String>,
    ) -> ClientCredentials {
        ClientCredentials::new(token_url, client_id, client_secret, TokenRequestStyle::Json { audience: Some(audience.into()) })
    }

    /// A form body carrying the id and secret.
    pub fn form(token_url: impl Into<String>, client_id: impl Into<String>, client_secret: impl Into<Secret>) -> ClientCredentials {
        ClientCredentials::new(token_url, client_id, client_secret, TokenRequestStyle::Form)
    }

    /// The id and secret as HTTP Basic, `grant_type` in a form body.
    pub fn basic(token_url: impl Into<String>, client_id: impl Into<String>, client_secret: impl Into<Secret>) -> ClientCredentials {
        ClientCredentials::new(token_url, client_id, client_secret, TokenRequestStyle::Basic)
    }

    /// Drops the cached token, so the next request fetches a new one.
    pub fn forget_token(&self) -> bool {
        self.cache.borrow_mut().take().is_some()
    }

    /// The token request (exposed for tests and logs; its `Debug` redacts the secret).
    pub fn token_request(&self) -> HttpRequest {
        let form = |pairs: &[(&str, &str)]| {
            pairs.iter().map(|(k, v)| format!("{k}={}", form_encode(v))).collect::<Vec<_>>().join("&").into_bytes()
        };
        let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
        let body = match &self.style {
            TokenRequestStyle::Json { audience } => {
                headers.push(("Content-Type".into(), "application/json".into()));
                let mut map = serde_json::Map::new();
                map.insert("client_id".into(), self.client_id.clone().into());
                map.insert("client_secret".into(), self.client_secret.expose().into());
                if let Some(a) = audience {
                    map.insert("audience".into(), a.clone().into());
                }
                map.insert("grant_type".into(), "client_credentials".into());
                if let Some(s) = &self.scope {
                    map.insert("scope".into(), s.clone().into());
                }
                serde_json::Value::Object(map).to_string().into_bytes()
            }
            TokenRequestStyle::Form => {
                headers.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
                let mut pairs = vec![
                    ("grant_type", "client_credentials"),
                    ("client_id", self.client_id.as_str()),
                    ("client_secret", self.client_secret.expose()),
                ];
                if let Some(s) = &self.scope {
                    pairs.push(("scope", s));
                }
                form(&pairs)
            }
            TokenRequestStyle::Basic => {
                headers.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
                headers
                    .push(("Authorization".into(), basic_header(&form_encode(&self.client_id), &form_encode(self.client_secret.expose()))));
                let mut pairs = vec![("grant_type", "client_credentials")];
                if let Some(s) = &self.scope {
                    pairs.push(("scope", s));
                }
                form(&pairs)
            }
        };
        HttpRequest { method: "POST".into(), url: self.token_url.clone(), headers, body }
    }

    /// The cached token if still good at `now`, else a new one from the token endpoint.
    async fn token<T: Transport>(&self, transport: &T, now: i64) -> Result<Secret, Error> {
        if let Some(cached) = self.cache.borrow().as_ref() {
            if cached.until.is_some_and(|until| now < until) {
                return Ok(cached.token.clone());
            }
        }
        let resp = transport.send(self.token_request()).await?;
        if !(200..300).contains(&resp.status) {
            return Err(Error::Api(Box::new(ApiError::from_response(&resp, self.error_format, &RateLimitScheme::IETF))));
        }
        #[derive(Deserialize)]
        struct TokenResponse {
            access_token: Option<String>,
            #[serde(default)]
            expires_in: Option<serde_json::Value>,
        }
        // Decode errors name the path only: serde's message could quote the token.
        let parsed: TokenResponse = serde_json::from_slice(&resp.body).map_err(|_| Error::Decode {
            path: super::error::error_path::<TokenResponse>(&resp.body),
            message: "the token endpoint's answer is not an OAuth token response".into(),
        })?;
        let token = Secret::new(
            parsed.access_token.filter(|t| !t.is_empty()).ok_or_else(|| Error::Auth("the token endpoint sent no access_token".into()))?,
        );
        let expires_in = parsed.expires_in.and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())));
        let until = expires_in.map(|e| now + e - self.refresh_margin_s).filter(|&until| until > now);
        *self.cache.borrow_mut() = Some(CachedToken { token: token.clone(), until });
        Ok(token)
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cache.borrow().as_ref().map(|c| c.until);
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("style", &self.style)
            .field("scope", &self.scope)
            .field("cached_token_until", &cached)
            .finish()
    }
}

/// How requests are authenticated.
#[derive(Debug)]
#[non_exhaustive]
pub enum Auth {
    /// No credentials (public endpoints).
    None,
    /// Akamai EdgeGrid.
    EdgeGrid(EdgeGrid),
    /// `Authorization: Bearer <token>` (OpenAI admin key).
    Bearer(Secret),
    /// HTTP Basic plus fixed headers (PingFederate).
    Basic(Basic),
    /// OAuth 2.0 client credentials (MATTR, Segura).
    OAuth(ClientCredentials),
}

impl Auth {
    /// Adds credentials to `req` at `now` (Unix seconds): signs it, or sets `Authorization`,
    /// fetching an OAuth token through `transport` first if none is cached.
    ///
    /// # Errors
    /// [`Error::Auth`] (no nonce, no token), or the token endpoint's errors.
    pub async fn apply<T: Transport>(&self, transport: &T, req: &mut HttpRequest, now: i64) -> Result<(), Error> {
        match self {
            Auth::None => {}
            Auth::EdgeGrid(eg) => eg.sign(req, now)?,
            Auth::Bearer(token) => set_header(req, "Authorization", format!("Bearer {}", token.expose())),
            Auth::Basic(basic) => {
                for (name, value) in &basic.headers {
                    set_header(req, name, value.clone());
                }
                set_header(req, "Authorization", basic_header(&basic.username, basic.password.expose()));
            }
            Auth::OAuth(cc) => {
                let token = cc.token(transport, now).await?;
                set_header(req, "Authorization", format!("Bearer {}", token.expose()));
            }
        }
        Ok(())
    }

    /// Called after a 401: whether one more attempt may succeed (an OAuth token was cached and
    /// is now dropped, so the next attempt fetches a fresh one).
    pub fn on_unauthorized(&self) -> bool {
        match self {
            Auth::OAuth(cc) => cc.forget_token(),
            _ => false,
        }
    }
}

/// `https://host[:port]/path?query` → `/path?query` (`/` for none).
fn path_and_query(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find(['/', '?']) {
        Some(i) if rest[i..].starts_with('/') => rest[i..].to_owned(),
        Some(i) => format!("/{}", &rest[i..]),
        None => "/".to_owned(),
    }
}

fn set_header(req: &mut HttpRequest, name: &str, value: String) {
    req.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    req.headers.push((name.to_owned(), value));
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;

    use super::*;
    use crate::vendors::transport::{HttpResponse, TransportError};

    #[derive(Default)]
    struct Fake {
        replies: RefCell<VecDeque<HttpResponse>>,
        sent: RefCell<Vec<HttpRequest>>,
    }

    impl Fake {
        fn reply(self, status: u16, body: &str) -> Fake {
            self.replies.borrow_mut().push_back(HttpResponse { status, headers: vec![], body: body.as_bytes().to_vec() });
            self
        }
    }

    impl Transport for Fake {
        async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.sent.borrow_mut().push(req);
            self.replies.borrow_mut().pop_front().ok_or_else(|| TransportError::new("no reply"))
        }
        async fn sleep_ms(&self, _ms: u64) {}
    }

    fn get() -> HttpRequest {
        HttpRequest { method: "GET".into(), url: "https://api.example.com/v1/x?a=1".into(), headers: vec![], body: vec![] }
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        futures_executor::block_on(f)
    }

    #[test]
    fn edgegrid_signs_with_the_injected_clock_and_nonce() {
        let creds = Credentials::new("akab-host.luna.akamaiapis.net", "akab-client", "c2VjcmV0LXNlY3JldA==", "akab-access");
        let n = Cell::new(0);
        let auth = Auth::EdgeGrid(EdgeGrid::new(creds.clone()).with_nonce_source(move || {
            n.set(n.get() + 1);
            Ok(format!("nonce-{}", n.get()))
        }));
        let mut req = get();
        run(auth.apply(&Fake::default(), &mut req, 1_754_387_136)).unwrap();
        let header = req.header("Authorization").unwrap().to_owned();
        assert!(header.starts_with("EG1-HMAC-SHA256 client_token=akab-client;access_token=akab-access;timestamp=20250805T09:45:36+0000;nonce=nonce-1;signature="), "{header}");
        let expected = edgegrid::authorization_header(
            &creds,
            &edgegrid::Request { method: "GET", path_and_query: "/v1/x?a=1", headers: &[], body: &[] },
            "20250805T09:45:36+0000",
            "nonce-1",
        );
        assert_eq!(header, expected);
        assert!(!format!("{auth:?}").contains("c2VjcmV0"));
        let failing = Auth::EdgeGrid(EdgeGrid::new(creds).with_nonce_source(|| Err(NonceError::new("no randomness"))));
        assert!(matches!(run(failing.apply(&Fake::default(), &mut get(), 0)), Err(Error::Auth(_))));
    }

    #[test]
    fn bearer_and_basic() {
        let mut req = get();
        let bearer = Auth::Bearer(Secret::new("sk-admin-123"));
        run(bearer.apply(&Fake::default(), &mut req, 0)).unwrap();
        assert_eq!(req.header("Authorization"), Some("Bearer sk-admin-123"));
        assert!(!format!("{bearer:?} {req:?}").contains("sk-admin-123"));

        let mut req = get();
        let basic = Auth::Basic(Basic::pingfederate("Administrator", "2Federate"));
        run(basic.apply(&Fake::default(), &mut req, 0)).unwrap();
        assert_eq!(req.header("Authorization"), Some("Basic QWRtaW5pc3RyYXRvcjoyRmVkZXJhdGU="));
        assert_eq!(req.header("X-XSRF-Header"), Some("PingFederate"));
        assert!(!format!("{basic:?} {req:?}").contains("2Federate"));
        assert!(!format!("{req:?}").contains("QWRtaW5"));
    }

    #[test]
    fn mattr_token_is_json_with_audience_and_cached_until_before_expiry() {
        let cc =
            ClientCredentials::mattr("https://auth.au01.mattr.global/oauth/token", "cid", "csecret-xyz", "https://t.vii.au01.mattr.global");
        let tr = cc.token_request();
        let body: serde_json::Value = serde_json::from_slice(&tr.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"client_id":"cid","client_secret":"csecret-xyz","audience":"https://t.vii.au01.mattr.global","grant_type":"client_credentials"})
        );
        assert_eq!(tr.header("Content-Type"), Some("application/json"));
        assert!(!format!("{tr:?}").contains("csecret-xyz"), "{tr:?}");

        let auth = Auth::OAuth(cc);
        let fake = Fake::default()
            .reply(200, r#"{"access_token":"tok-1","expires_in":3600,"token_type":"Bearer"}"#)
            .reply(200, r#"{"access_token":"tok-2","expires_in":3600,"token_type":"Bearer"}"#);
        let mut req = get();
        run(auth.apply(&fake, &mut req, 1000)).unwrap();
        assert_eq!(req.header("Authorization"), Some("Bearer tok-1"));
        // Cached: no second token request until 60 s before expiry.
        let mut req = get();
        run(auth.apply(&fake, &mut req, 1000 + 3539)).unwrap();
        assert_eq!(req.header("Authorization"), Some("Bearer tok-1"));
        assert_eq!(fake.sent.borrow().len(), 1);
        let mut req = get();
        run(auth.apply(&fake, &mut req, 1000 + 3540)).unwrap();
        assert_eq!(req.header("Authorization"), Some("Bearer tok-2"));
        assert_eq!(fake.sent.borrow().len(), 2);
        assert!(!format!("{auth:?}").contains("tok-2") && !format!("{auth:?}").contains("csecret"));
        // A 401 drops the token once.
        assert!(auth.on_unauthorized());
        assert!(!auth.on_unauthorized());
    }

    #[test]
    fn segura_form_and_basic_token_requests() {
        let form = ClientCredentials::form("https://vault.example.com/iso/oauth2/token", "id 1", "s&cret");
        let tr = form.token_request();
        assert_eq!(String::from_utf8(tr.body.clone()).unwrap(), "grant_type=client_credentials&client_id=id+1&client_secret=s%26cret");
        assert_eq!(tr.header("Content-Type"), Some("application/x-www-form-urlencoded"));
        assert!(!format!("{tr:?}").contains("s%26cret"), "{tr:?}");

        let basic = ClientCredentials::basic("https://vault.example.com/iso/oauth2/token", "id1", "sec");
        let tr = basic.token_request();
        assert_eq!(tr.body, b"grant_type=client_credentials");
        assert_eq!(tr.header("Authorization"), Some("Basic aWQxOnNlYw=="));
        assert!(!format!("{tr:?}").contains("aWQxOnNlYw"));
    }

    #[test]
    fn token_endpoint_errors_are_typed_and_secret_free() {
        let auth = Auth::OAuth(ClientCredentials::form("https://a/token", "id", "sec"));
        let fake = Fake::default().reply(401, r#"{"error":"invalid_client","error_description":"bad client"}"#);
        let err = run(auth.apply(&fake, &mut get(), 0)).unwrap_err();
        assert_eq!(err.status(), Some(401));
        assert_eq!(err.api().unwrap().body.message(), Some("bad client"));

        let fake = Fake::default().reply(200, r#"{"access_token":12345678}"#);
        let err = run(auth.apply(&fake, &mut get(), 0)).unwrap_err();
        assert!(matches!(&err, Error::Decode { path, .. } if path == "access_token"), "{err:?}");
        assert!(!format!("{err:?} {err}").contains("12345678"));

        let fake = Fake::default().reply(200, r#"{"token_type":"Bearer"}"#);
        assert!(matches!(run(auth.apply(&fake, &mut get(), 0)), Err(Error::Auth(_))));
        // No expires_in: used for this request only, never cached.
        let fake = Fake::default().reply(200, r#"{"access_token":"t1"}"#).reply(200, r#"{"access_token":"t2"}"#);
        let mut req = get();
        run(auth.apply(&fake, &mut req, 0)).unwrap();
        run(auth.apply(&fake, &mut req, 0)).unwrap();
        assert_eq!(req.header("Authorization"), Some("Bearer t2"));
    }

    #[test]
    fn paths_for_signing() {
        assert_eq!(path_and_query("https://h/a/b?c=1"), "/a/b?c=1");
        assert_eq!(path_and_query("https://h:8443?c=1"), "/?c=1");
        assert_eq!(path_and_query("https://h"), "/");
    }
}
