//! An async client for Segura's certificate request API (`docs/vendors/segura.md`), over any
//! [`Transport`], on the shared vendor layer ([`crate::vendors::request`]).
//!
//! - Authentication: an A2A OAuth 2.0 client-credentials token from
//!   `POST <vault>/iso/oauth2/token`, the id and secret in the form body
//!   ([`TokenStyle::Form`], [`ClientCredentials::form`]) or as HTTP Basic (3.25,
//!   [`TokenStyle::Basic`], [`ClientCredentials::basic`]); then `Authorization: Bearer`. The
//!   shared layer caches the token until 60 s before `expires_in` and fetches a new one once
//!   after a 401. The secret stays in memory and never appears in errors or `Debug` output.
//! - Every documented constraint is checked before sending ([`Error::Invalid`] naming the form
//!   field, see [`rules`]); nothing is sent when one fails.
//! - Errors are the shared [`Error`]; Segura's `{status, message, error}` (or the wrapper) is in
//!   [`Error::api`]`().body` and [`rules::api_field_errors`] puts it on form fields. A 2xx
//!   answer whose body says `error: true` is an [`Error::Api`] too.
//! - Key custody: Segura makes the private key ([`rules::custody_warnings`]); no key or CSR
//!   from the browser is ever part of a request.

use std::fmt;

use super::models::{
    decode_value, dedupe_aliases, AliasPairs, CertificateRequest, ListFilters, RequestCreated, RequestList, RequestOne, RequestRecord,
    RequestStatus, SignRequest, SignResult, Wrapped, CREATED_ALIASES, SIGN_ALIASES, STATUS_ALIASES,
};
use super::rules;
use crate::vendors::auth::{Auth, ClientCredentials};
use crate::vendors::error::{ApiError, ErrorBody, ErrorFormat, SeguraError};
use crate::vendors::paging::{all_pages, AllPages, Bounds, Cursor, Page};
use crate::vendors::redact::Secret;
use crate::vendors::request::{check_base_url, json_request, with_query, Connection, Vendor};
use crate::vendors::retry::RateLimitScheme;
use crate::vendors::transport::Transport;

pub use crate::vendors::error::{decode, Error};

/// The token endpoint's path.
pub const TOKEN_PATH: &str = "/iso/oauth2/token";
/// Create or modify a request.
pub const REQUESTS_PATH: &str = "/api/v1/certificates/requests";
/// Sign a request: `{SIGN_PATH}/{id}`.
pub const SIGN_PATH: &str = "/api/v1/certificates/requests/sign";
/// List requests; one request is `{LIST_PATH}/{id}`.
pub const LIST_PATH: &str = "/api/certificate/request/list";
/// A request's status: `{STATUS_PATH}/{id}`.
pub const STATUS_PATH: &str = "/api/certificate/request/status";
/// Default page size of [`Client::list_all_requests`].
pub const DEFAULT_LIMIT: u32 = 50;
/// Largest page size the client asks for (Segura documents none; a bound against mistakes).
pub const MAX_LIMIT: u32 = 1000;
/// Most pages [`Client::list_all_requests`] fetches.
pub const MAX_PAGES: usize = 200;

/// Segura's wire conventions: `{status, message, error}` errors (or the wrapper), no rate-limit
/// headers documented (`Retry-After` is honoured).
pub const VENDOR: Vendor = Vendor { name: "Segura", errors: ErrorFormat::Segura, rate_limits: RateLimitScheme::IETF };

/// How the client id and secret go to the token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenStyle {
    /// `client_id` / `client_secret` in the form body (newer docs).
    Form,
    /// HTTP Basic (RFC 6749 §2.3.1; the 3.25 help centre).
    Basic,
}

/// Checks an offset / limit pair: `limit` 1–[`MAX_LIMIT`].
///
/// # Errors
/// [`Error::Invalid`] on `limit`.
pub fn check_limit(limit: u32) -> Result<(), Error> {
    if (1..=MAX_LIMIT).contains(&limit) {
        Ok(())
    } else {
        Err(Error::invalid("limit", format!("must be between 1 and {MAX_LIMIT} (it is {limit})")))
    }
}

fn check_id(field: &str, id: u64) -> Result<(), Error> {
    if id == 0 {
        Err(Error::invalid(field, "must be a request code (1 or more)"))
    } else {
        Ok(())
    }
}

/// A 2xx body that says `error: true` is Segura refusing: the same error as a non-2xx.
fn refused(status: Option<i64>, message: Option<String>, error_code: Option<i64>) -> Error {
    let status = status.and_then(|s| u16::try_from(s).ok()).filter(|s| *s >= 400).unwrap_or(400);
    Error::Api(Box::new(ApiError {
        vendor: VENDOR.name,
        status,
        body: ErrorBody::Segura(SeguraError { status: Some(i64::from(status)), message, error: Some(true), error_code, detail: None }),
        request_id: None,
        rate_limit: None,
    }))
}

/// The wrapper's `data` as `T`, unless `response.error` says Segura refused.
fn unwrap<T: serde::de::DeserializeOwned>(w: Wrapped<serde_json::Value>, pairs: AliasPairs) -> Result<T, Error> {
    if w.response.error == Some(true) {
        return Err(refused(w.response.status.or(w.code), w.response.message.or(w.response.detail), w.response.error_code));
    }
    let mut data = w.data;
    dedupe_aliases(&mut data, pairs);
    serde_json::from_value(data).map_err(|e| Error::Decode { path: "data".into(), message: e.to_string() })
}

/// The Segura certificate request client.
pub struct Client<T: Transport> {
    conn: Connection<T>,
    base_url: String,
}

impl<T: Transport> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("base_url", &self.base_url).field("conn", &self.conn).finish()
    }
}

impl<T: Transport> Client<T> {
    /// A client for the vault at `base_url` (`https://vault.example.com`), with an A2A
    /// application's `client_id` and `client_secret`; tokens from `{base_url}/iso/oauth2/token`.
    /// `clock` gives Unix seconds.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `baseUrl` when it is not an `https://` URL (plain `http://` is
    /// allowed for loopback test servers), on `clientId` / `clientSecret` when empty.
    pub fn new(
        transport: T,
        base_url: &str,
        client_id: &str,
        client_secret: impl Into<Secret>,
        style: TokenStyle,
        clock: impl Fn() -> i64 + 'static,
    ) -> Result<Client<T>, Error> {
        let base_url = check_base_url("baseUrl", base_url, "https://vault.example.com")?;
        if client_id.trim().is_empty() {
            return Err(Error::invalid("clientId", "required: the A2A application's client id"));
        }
        let secret: Secret = client_secret.into();
        if secret.expose().is_empty() {
            return Err(Error::invalid("clientSecret", "required: the A2A application's client secret"));
        }
        let token_url = format!("{base_url}{TOKEN_PATH}");
        let cc = match style {
            TokenStyle::Form => ClientCredentials::form(token_url, client_id, secret),
            TokenStyle::Basic => ClientCredentials::basic(token_url, client_id, secret),
        };
        Ok(Client { conn: Connection::new(transport, Auth::OAuth(cc), VENDOR, clock), base_url })
    }

    /// The vault URL (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The connection (transport, auth, clock).
    pub fn connection(&self) -> &Connection<T> {
        &self.conn
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Creates a request (`code_request` must be absent). `san` is sent filled with the common
    /// name when empty.
    ///
    /// # Errors
    /// [`Error::Invalid`] on the first field that fails [`rules::check_request`] (nothing is
    /// sent), or Segura's error.
    pub async fn create_request(&self, fields: &CertificateRequest) -> Result<RequestCreated, Error> {
        if fields.code_request.is_some() {
            return Err(Error::invalid("code_request", "must be empty to create a request (use modify to change one)"));
        }
        self.post_request(fields).await
    }

    /// Modifies request `code` with `fields` (their `code_request` is replaced by `code`).
    ///
    /// # Errors
    /// As [`Client::create_request`]; [`Error::Invalid`] on `code_request` when `code` is 0.
    pub async fn modify_request(&self, code: u64, fields: &CertificateRequest) -> Result<RequestCreated, Error> {
        check_id("code_request", code)?;
        let fields = CertificateRequest { code_request: Some(code), ..fields.clone() };
        self.post_request(&fields).await
    }

    async fn post_request(&self, fields: &CertificateRequest) -> Result<RequestCreated, Error> {
        rules::first_invalid(rules::check_request(fields))?;
        let body = fields.with_default_san();
        let created: RequestCreated =
            decode_value(self.conn.send_json(json_request("POST", self.url(REQUESTS_PATH), Some(&body))?).await?, CREATED_ALIASES)?;
        if created.error == Some(true) {
            return Err(refused(created.status, created.message, None));
        }
        Ok(created)
    }

    /// One page of requests matching `filters`, from `offset`, at most `limit`.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `limit`, or Segura's error.
    pub async fn list_requests(&self, filters: &ListFilters, offset: u64, limit: u32) -> Result<Page<RequestRecord>, Error> {
        check_limit(limit)?;
        let mut query = filters.query();
        query.push(("offset", offset.to_string()));
        query.push(("limit", limit.to_string()));
        let url = with_query(&self.url(LIST_PATH), &query);
        let w: Wrapped<serde_json::Value> = self.conn.send_json(json_request::<()>("GET", url, None)?).await?;
        let items = unwrap::<RequestList>(w, &[])?.requests;
        Ok(Page::offset(items, offset, u64::from(limit)))
    }

    /// Every request matching `filters` ("load all"), [`DEFAULT_LIMIT`] at a time, at most
    /// [`MAX_PAGES`] pages; `stopped` says when the walk was cut short.
    ///
    /// # Errors
    /// Segura's error on any page.
    pub async fn list_all_requests(&self, filters: &ListFilters) -> Result<AllPages<RequestRecord>, Error> {
        all_pages(Bounds { max_pages: MAX_PAGES }, |cursor: Option<Cursor>| async move {
            let offset = match cursor {
                Some(Cursor::Offset(o)) => o,
                _ => 0,
            };
            self.list_requests(filters, offset, DEFAULT_LIMIT).await
        })
        .await
    }

    /// One request.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `code_request` when `id` is 0, or Segura's error (404 when none).
    pub async fn get_request(&self, id: u64) -> Result<RequestRecord, Error> {
        check_id("code_request", id)?;
        let w: Wrapped<serde_json::Value> =
            self.conn.send_json(json_request::<()>("GET", self.url(&format!("{LIST_PATH}/{id}")), None)?).await?;
        Ok(unwrap::<RequestOne>(w, &[])?.request)
    }

    /// A request's status (`"7 - Signed"`, shown with [`super::models::Labeled::display`]).
    ///
    /// # Errors
    /// As [`Client::get_request`].
    pub async fn request_status(&self, id: u64) -> Result<RequestStatus, Error> {
        check_id("code_request", id)?;
        let w: Wrapped<serde_json::Value> =
            self.conn.send_json(json_request::<()>("GET", self.url(&format!("{STATUS_PATH}/{id}")), None)?).await?;
        unwrap(w, STATUS_ALIASES)
    }

    /// Signs (issues) request `id`. `governance`: the access group demands an ITSM code.
    ///
    /// # Errors
    /// [`Error::Invalid`] on the first field that fails [`rules::check_sign`], or Segura's
    /// error.
    pub async fn sign_request(&self, id: u64, fields: &SignRequest, governance: bool) -> Result<SignResult, Error> {
        check_id("code_request", id)?;
        rules::first_invalid(rules::check_sign(fields, governance))?;
        let signed: SignResult = decode_value(
            self.conn.send_json(json_request("POST", self.url(&format!("{SIGN_PATH}/{id}")), Some(fields))?).await?,
            SIGN_ALIASES,
        )?;
        if signed.error == Some(true) {
            return Err(refused(signed.status, signed.message, None));
        }
        Ok(signed)
    }
}
