//! An async client for the mTLS Edge Truststore API v2 (`docs/vendors/akamai.md`), over any
//! [`Transport`], on the shared vendor layer ([`crate::vendors::request`]).
//!
//! - Every request goes to `https://{host}/mtls-edge-truststore/v2/...` and is signed with
//!   EdgeGrid ([`Auth::EdgeGrid`]) with a fresh timestamp and nonce, including a retry.
//!   `accountSwitchKey` is added to the query before signing.
//! - The clock is injected (`Fn() -> i64`, Unix seconds), and so can the nonce source, so tests
//!   are deterministic and the crate never reads the system clock (which does not exist on
//!   `wasm32-unknown-unknown`).
//! - Errors are the shared [`Error`]: [`Error::Api`] carries Akamai's problem-details body
//!   ([`Error::problem`]) and the rate-limit headers; a 422 `duplicate-ca-set-version` keeps its
//!   type, title, detail and `contextInfo.versionLink` ([`duplicate_version_link`]); a body that
//!   does not decode gives [`Error::Decode`] naming the JSON path.
//! - What Akamai's own client checks before sending is checked here too ([`Error::Invalid`]):
//!   a set name of 3–64 characters of `[%.a-zA-Z0-9_-]` without `...`
//!   ([`check_ca_set_name`]), and every description at most 255 characters.
//! - A 429 is retried exactly once, after sleeping (through [`Transport::sleep_ms`]) until
//!   `X-RateLimit-Next`; a second 429 is [`Error::RateLimited`].
//! - [`Client::poll_activation`] polls an activation until `COMPLETE` or `FAILED`, honouring
//!   `Retry-After`.
//!
//! Credentials never appear in errors or `Debug` output.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::edgegrid::{self, Credentials, NonceError};
use super::models::{
    Activation, ActivationStatus, Associations, AssociationsResponse, CaSet, CaSetVersion, CreateCaSet, DeleteStatus,
    ListActivationsResponse, ListActivitiesResponse, ListCaSetsResponse, ListCertificatesResponse, ListVersionsResponse, Network,
    NetworkBody, ValidateCertificatesResponse,
};
use super::validate::VersionBody;
use crate::vendors::auth::{Auth, EdgeGrid};
use crate::vendors::error::ErrorFormat;
use crate::vendors::request::{percent_encode, with_query, Connection, Vendor};
use crate::vendors::retry::RateLimitScheme;
use crate::vendors::transport::{HttpRequest, HttpResponse, Transport};

pub use crate::vendors::error::{decode, Error};
pub use crate::vendors::retry::{
    parse_http_date, parse_rfc3339_ms, retry_after_ms, RateLimit, DEFAULT_RATE_LIMIT_WAIT_MS, MAX_RATE_LIMIT_WAIT_MS,
};

/// The API's base path.
pub const BASE_PATH: &str = "/mtls-edge-truststore/v2";

/// Akamai's wire conventions: problem+json errors, `X-RateLimit-*` headers.
pub const VENDOR: Vendor = Vendor { name: "Akamai", errors: ErrorFormat::Problem, rate_limits: RateLimitScheme::AKAMAI };

/// Longest description Akamai accepts (sets, versions, certificates): 255 characters.
pub const MAX_DESCRIPTION_CHARS: usize = 255;

/// Checks a CA set name as Akamai's client does before sending: 3–64 characters of
/// `[%.a-zA-Z0-9_-]`, no `...`.
///
/// # Errors
/// [`Error::Invalid`] naming `caSetName` and the rule.
pub fn check_ca_set_name(name: &str) -> Result<(), Error> {
    let len = name.chars().count();
    if !(3..=64).contains(&len) {
        return Err(Error::invalid("caSetName", format!("the length must be between 3 and 64 characters (it is {len})")));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || "%._-".contains(*c))) {
        return Err(Error::invalid(
            "caSetName",
            format!("{c:?} is not allowed: use letters a-z, A-Z, digits, underscore (_), hyphen (-), percent (%) and period (.)"),
        ));
    }
    if name.contains("...") {
        return Err(Error::invalid("caSetName", "cannot contain three consecutive periods (...)"));
    }
    Ok(())
}

/// Checks a description: when given, 1 to [`MAX_DESCRIPTION_CHARS`] characters.
///
/// # Errors
/// [`Error::Invalid`] naming `field`.
pub fn check_description(field: &str, description: Option<&str>) -> Result<(), Error> {
    match description.map(|d| d.chars().count()) {
        Some(0) => Err(Error::invalid(field, "cannot be empty (leave it out instead)")),
        Some(n) if n > MAX_DESCRIPTION_CHARS => {
            Err(Error::invalid(field, format!("the length must be at most {MAX_DESCRIPTION_CHARS} characters (it is {n})")))
        }
        _ => Ok(()),
    }
}

/// Checks every description of a version body (the version's and each certificate's).
///
/// # Errors
/// [`Error::Invalid`] naming `description` or `certificates[N].description`.
pub fn check_version_body(body: &VersionBody) -> Result<(), Error> {
    check_description("description", body.description.as_deref())?;
    for (i, c) in body.certificates.iter().enumerate() {
        check_description(&format!("certificates[{i}].description"), c.description.as_deref())?;
    }
    Ok(())
}

/// `contextInfo.versionLink` of a 422 `duplicate-ca-set-version`: the existing version with the
/// same certificates. The rest of the problem (type, title, detail) is in [`Error::problem`].
pub fn duplicate_version_link(err: &Error) -> Option<&str> {
    let p = err.problem().filter(|p| err.status() == Some(422) && p.type_name() == "duplicate-ca-set-version")?;
    p.context_info.as_ref()?.get("versionLink")?.as_str()
}

/// Query of [`Client::list_ca_sets`]. `None` fields are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListCaSetsQuery {
    /// `caSetNamePrefix`.
    pub ca_set_name_prefix: Option<String>,
    /// `activatedOn`: `INACTIVE`, `STAGING`, `PRODUCTION`, `STAGING+PRODUCTION`, ...
    pub activated_on: Option<String>,
    /// `caSetStatus`: comma list of `NOT_DELETED`, `DELETING`, `DELETED`.
    pub ca_set_status: Option<String>,
}

/// Query of [`Client::list_certificates`]. `None` fields are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListCertificatesQuery {
    /// `certificateStatus`: `EXPIRING`, `EXPIRED`, `ACTIVE` or a comma list of them.
    pub certificate_status: Option<String>,
    /// `expiryThresholdInDays` (default 30; only with `EXPIRING` / `EXPIRED`).
    pub expiry_threshold_in_days: Option<u32>,
    /// `expiryThresholdTimestamp` (RFC 3339); never together with the days.
    pub expiry_threshold_timestamp: Option<String>,
}

/// Query of [`Client::list_versions`]. `None` fields are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListVersionsQuery {
    /// `includeCertificates`.
    pub include_certificates: Option<bool>,
    /// `activeVersionsOnly`.
    pub active_versions_only: Option<bool>,
    /// `caSetVersionStatus`: `NOT_DELETED` or `DELETED`.
    pub ca_set_version_status: Option<String>,
}

/// Bounds of [`Client::poll_activation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PollOptions {
    /// Most `GET`s made before giving up (at least 1 is made).
    pub max_attempts: u32,
    /// Wait between polls when the response has no usable `Retry-After`.
    pub default_delay_ms: u64,
    /// Longest wait between polls, whatever `Retry-After` says.
    pub max_delay_ms: u64,
}

impl Default for PollOptions {
    /// 120 polls, 5 s without `Retry-After` (as Akamai's Terraform provider), at most 10 min.
    fn default() -> PollOptions {
        PollOptions { max_attempts: 120, default_delay_ms: 5_000, max_delay_ms: 600_000 }
    }
}

/// The mTLS Edge Truststore client.
pub struct Client<T: Transport> {
    conn: Connection<T>,
    host: String,
    account_switch_key: Option<String>,
}

impl<T: Transport> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("conn", &self.conn) // the auth value redacts tokens and secret
            .field("account_switch_key", &self.account_switch_key)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Client<T> {
    /// A client signing with `creds`, reading Unix seconds from `clock` (in the browser,
    /// `Date.now() / 1000`), with random nonces ([`edgegrid::new_nonce`]).
    pub fn new(transport: T, creds: Credentials, clock: impl Fn() -> i64 + 'static) -> Client<T> {
        let host = edgegrid::bare_host(&creds.host).to_owned();
        Client { conn: Connection::new(transport, Auth::EdgeGrid(EdgeGrid::new(creds)), VENDOR, clock), host, account_switch_key: None }
    }

    /// Runs every request in another account (`accountSwitchKey`); an empty key means none.
    pub fn with_account_switch_key(mut self, key: impl Into<String>) -> Client<T> {
        let key = key.into();
        self.account_switch_key = (!key.is_empty()).then_some(key);
        self
    }

    /// Replaces the nonce source (tests; the default is a random UUID v4 per request).
    pub fn with_nonce_source(mut self, nonce: impl Fn() -> Result<String, NonceError> + 'static) -> Client<T> {
        if let Auth::EdgeGrid(eg) = self.conn.auth_mut() {
            eg.set_nonce_source(Box::new(nonce));
        }
        self
    }

    /// The rate-limit headers of the last response received, if it had any (for showing the
    /// remaining quota).
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.conn.last_rate_limit()
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        self.conn.transport()
    }

    // ---- CA sets -------------------------------------------------------------------------

    /// `POST /ca-sets` (201).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn create_ca_set(&self, body: &CreateCaSet) -> Result<CaSet, Error> {
        check_ca_set_name(&body.ca_set_name)?;
        check_description("description", body.description.as_deref())?;
        self.call("POST", "/ca-sets", &[], Some(json(body)?)).await
    }

    /// `GET /ca-sets` (not paginated).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list_ca_sets(&self, query: &ListCaSetsQuery) -> Result<Vec<CaSet>, Error> {
        let mut q = Vec::new();
        push_opt(&mut q, "caSetNamePrefix", query.ca_set_name_prefix.as_deref());
        push_opt(&mut q, "activatedOn", query.activated_on.as_deref());
        push_opt(&mut q, "caSetStatus", query.ca_set_status.as_deref());
        let list: ListCaSetsResponse = self.call("GET", "/ca-sets", &q, None).await?;
        Ok(list.ca_sets)
    }

    /// `GET /ca-sets/{caSetId}`.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn get_ca_set(&self, ca_set_id: &str) -> Result<CaSet, Error> {
        self.call("GET", &ca_set_path(ca_set_id, ""), &[], None).await
    }

    /// `DELETE /ca-sets/{caSetId}` (202: asynchronous; follow with [`Client::delete_status`]).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn delete_ca_set(&self, ca_set_id: &str) -> Result<(), Error> {
        self.execute("DELETE", &ca_set_path(ca_set_id, ""), &[], None).await?;
        Ok(())
    }

    /// `GET /ca-sets/{caSetId}/status/delete` (200, 202 or 207).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn delete_status(&self, ca_set_id: &str) -> Result<DeleteStatus, Error> {
        self.call("GET", &ca_set_path(ca_set_id, "/status/delete"), &[], None).await
    }

    /// `GET /ca-sets/{caSetId}/associations`: the properties and enrollments using the set
    /// (a set in use cannot be deleted). `association_type` is `enrollments` or `properties`;
    /// `None` asks for both.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn associations(&self, ca_set_id: &str, association_type: Option<&str>) -> Result<Associations, Error> {
        let mut q = Vec::new();
        push_opt(&mut q, "associationType", association_type);
        let resp: AssociationsResponse = self.call("GET", &ca_set_path(ca_set_id, "/associations"), &q, None).await?;
        Ok(resp.associations)
    }

    /// `POST /ca-sets/{caSetId}/clone`, from `clone_from_version` (default: the latest).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn clone_ca_set(&self, ca_set_id: &str, clone_from_version: Option<u32>, body: &CreateCaSet) -> Result<CaSet, Error> {
        check_ca_set_name(&body.ca_set_name)?;
        check_description("description", body.description.as_deref())?;
        let q: Vec<(&str, String)> = clone_from_version.map(|v| ("cloneFromVersion", v.to_string())).into_iter().collect();
        self.call("POST", &ca_set_path(ca_set_id, "/clone"), &q, Some(json(body)?)).await
    }

    /// `GET /ca-sets/{caSetId}/activations`.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list_ca_set_activations(&self, ca_set_id: &str) -> Result<Vec<Activation>, Error> {
        let list: ListActivationsResponse = self.call("GET", &ca_set_path(ca_set_id, "/activations"), &[], None).await?;
        Ok(list.activations)
    }

    /// `GET /ca-sets/{caSetId}/activities`, optionally between `start` and `end` (RFC 3339).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list_activities(&self, ca_set_id: &str, start: Option<&str>, end: Option<&str>) -> Result<ListActivitiesResponse, Error> {
        let mut q = Vec::new();
        push_opt(&mut q, "start", start);
        push_opt(&mut q, "end", end);
        self.call("GET", &ca_set_path(ca_set_id, "/activities"), &q, None).await
    }

    // ---- versions ------------------------------------------------------------------------

    /// `POST /ca-sets/{caSetId}/versions` (201). A 422 for a version with the same
    /// certificates is an [`Error::Api`] whose link [`duplicate_version_link`] reads.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn create_version(&self, ca_set_id: &str, body: &VersionBody) -> Result<CaSetVersion, Error> {
        check_version_body(body)?;
        self.call("POST", &ca_set_path(ca_set_id, "/versions"), &[], Some(json(body)?)).await
    }

    /// `GET /ca-sets/{caSetId}/versions` (not paginated).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list_versions(&self, ca_set_id: &str, query: &ListVersionsQuery) -> Result<Vec<CaSetVersion>, Error> {
        let mut q = Vec::new();
        let flag = |b: Option<bool>| b.map(|b| if b { "true" } else { "false" });
        push_opt(&mut q, "includeCertificates", flag(query.include_certificates));
        push_opt(&mut q, "activeVersionsOnly", flag(query.active_versions_only));
        push_opt(&mut q, "caSetVersionStatus", query.ca_set_version_status.as_deref());
        let list: ListVersionsResponse = self.call("GET", &ca_set_path(ca_set_id, "/versions"), &q, None).await?;
        Ok(list.versions)
    }

    /// `GET /ca-sets/{caSetId}/versions/{version}`.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn get_version(&self, ca_set_id: &str, version: u32) -> Result<CaSetVersion, Error> {
        self.call("GET", &version_path(ca_set_id, version, ""), &[], None).await
    }

    /// `PUT /ca-sets/{caSetId}/versions/{version}`: replaces the certificate list of a version
    /// that has never been active.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn update_version(&self, ca_set_id: &str, version: u32, body: &VersionBody) -> Result<CaSetVersion, Error> {
        check_version_body(body)?;
        self.call("PUT", &version_path(ca_set_id, version, ""), &[], Some(json(body)?)).await
    }

    /// `DELETE /ca-sets/{caSetId}/versions/{version}` (204; in Akamai's Go SDK, not in the
    /// reference navigation).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn delete_version(&self, ca_set_id: &str, version: u32) -> Result<(), Error> {
        self.execute("DELETE", &version_path(ca_set_id, version, ""), &[], None).await?;
        Ok(())
    }

    /// `GET /ca-sets/{caSetId}/versions/{version}/certificates`, filtered.
    ///
    /// # Errors
    /// [`Error::Invalid`] if both expiry thresholds are given (the API refuses that), else
    /// see [`Error`].
    pub async fn list_certificates(
        &self,
        ca_set_id: &str,
        version: u32,
        query: &ListCertificatesQuery,
    ) -> Result<ListCertificatesResponse, Error> {
        if query.expiry_threshold_in_days.is_some() && query.expiry_threshold_timestamp.is_some() {
            return Err(Error::invalid("expiryThresholdTimestamp", "give expiryThresholdInDays or expiryThresholdTimestamp, not both"));
        }
        let mut q = Vec::new();
        push_opt(&mut q, "certificateStatus", query.certificate_status.as_deref());
        let days = query.expiry_threshold_in_days.map(|d| d.to_string());
        push_opt(&mut q, "expiryThresholdInDays", days.as_deref());
        push_opt(&mut q, "expiryThresholdTimestamp", query.expiry_threshold_timestamp.as_deref());
        self.call("GET", &version_path(ca_set_id, version, "/certificates"), &q, None).await
    }

    /// `POST /ca-sets/{caSetId}/versions/{version}/clone` (201, a new higher version).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn clone_version(&self, ca_set_id: &str, version: u32) -> Result<CaSetVersion, Error> {
        self.call("POST", &version_path(ca_set_id, version, "/clone"), &[], None).await
    }

    /// `POST .../versions/{version}/activate` (202).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn activate(&self, ca_set_id: &str, version: u32, network: Network) -> Result<Activation, Error> {
        self.network_action(ca_set_id, version, network, "/activate").await
    }

    /// `POST .../versions/{version}/deactivate` (202).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn deactivate(&self, ca_set_id: &str, version: u32, network: Network) -> Result<Activation, Error> {
        self.network_action(ca_set_id, version, network, "/deactivate").await
    }

    /// `POST .../versions/{version}{action}` with `{network}`: activate and deactivate.
    async fn network_action(&self, ca_set_id: &str, version: u32, network: Network, action: &str) -> Result<Activation, Error> {
        let body = json(&NetworkBody { network })?;
        self.call("POST", &version_path(ca_set_id, version, action), &[], Some(body)).await
    }

    /// `GET .../versions/{version}/activations/{activationId}` (200 or 202).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn get_activation(&self, ca_set_id: &str, version: u32, activation_id: u64) -> Result<Activation, Error> {
        self.call("GET", &activation_path(ca_set_id, version, activation_id), &[], None).await
    }

    /// `GET .../versions/{version}/activations`.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list_version_activations(&self, ca_set_id: &str, version: u32) -> Result<Vec<Activation>, Error> {
        let list: ListActivationsResponse = self.call("GET", &version_path(ca_set_id, version, "/activations"), &[], None).await?;
        Ok(list.activations)
    }

    /// Polls an activation until it is `COMPLETE` or `FAILED` and returns it (check
    /// `activation_status`: a `FAILED` activation is `Ok`). Between polls it sleeps for the
    /// response's `Retry-After` (seconds, or an HTTP date measured against the clock), else
    /// `options.default_delay_ms`, never more than `options.max_delay_ms`.
    ///
    /// # Errors
    /// [`Error::PollExhausted`] after `options.max_attempts` unfinished polls, or any error of a
    /// poll.
    pub async fn poll_activation(
        &self,
        ca_set_id: &str,
        version: u32,
        activation_id: u64,
        options: PollOptions,
    ) -> Result<Activation, Error> {
        self.poll_activation_with(ca_set_id, version, activation_id, options, |_| true).await
    }

    /// [`Client::poll_activation`], calling `on_poll` with every activation state it reads (for
    /// a live progress bar). When `on_poll` returns `false` polling stops and the last state
    /// read is returned as it is (the activation itself goes on).
    ///
    /// # Errors
    /// As [`Client::poll_activation`].
    pub async fn poll_activation_with(
        &self,
        ca_set_id: &str,
        version: u32,
        activation_id: u64,
        options: PollOptions,
        on_poll: impl FnMut(&Activation) -> bool,
    ) -> Result<Activation, Error> {
        let path = activation_path(ca_set_id, version, activation_id);
        self.poll(&path, options, |a: &Activation| a.activation_status, on_poll).await
    }

    /// Polls `GET /ca-sets/{caSetId}/status/delete` until the deletion is `COMPLETE` or
    /// `FAILED`, like [`Client::poll_activation_with`] (honouring `Retry-After`).
    ///
    /// # Errors
    /// As [`Client::poll_activation`].
    pub async fn poll_delete(
        &self,
        ca_set_id: &str,
        options: PollOptions,
        on_poll: impl FnMut(&DeleteStatus) -> bool,
    ) -> Result<DeleteStatus, Error> {
        let path = ca_set_path(ca_set_id, "/status/delete");
        self.poll(&path, options, |d: &DeleteStatus| d.status, on_poll).await
    }

    /// GETs `path` until `status_of` the body is final (or `on_poll` says stop), sleeping
    /// `Retry-After` between polls.
    async fn poll<R: DeserializeOwned>(
        &self,
        path: &str,
        options: PollOptions,
        status_of: impl Fn(&R) -> ActivationStatus,
        mut on_poll: impl FnMut(&R) -> bool,
    ) -> Result<R, Error> {
        let mut attempts = 0u32;
        loop {
            let resp = self.execute("GET", path, &[], None).await?;
            attempts += 1;
            let body: R = decode(&resp.body)?;
            let go_on = on_poll(&body);
            let status = status_of(&body);
            if status.is_final() || !go_on {
                return Ok(body);
            }
            if attempts >= options.max_attempts.max(1) {
                return Err(Error::PollExhausted { attempts, last_status: status_name(status) });
            }
            let wait = resp
                .header("Retry-After")
                .and_then(|v| retry_after_ms(v, self.conn.now()))
                .unwrap_or(options.default_delay_ms)
                .min(options.max_delay_ms);
            self.conn.transport().sleep_ms(wait).await;
        }
    }

    // ---- certificates --------------------------------------------------------------------

    /// `POST /certificates/validate`: Akamai's dry-run validation. The whole call fails with 400
    /// `certificate-validation-failure` ([`Error::Api`]) if any certificate is invalid.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn validate_certificates(&self, body: &VersionBody) -> Result<ValidateCertificatesResponse, Error> {
        check_version_body(body)?;
        self.call("POST", "/certificates/validate", &[], Some(json(body)?)).await
    }

    // ---- plumbing ------------------------------------------------------------------------

    async fn call<R: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<R, Error> {
        let resp = self.execute(method, path, query, body).await?;
        decode(&resp.body)
    }

    /// Sends one API call through the shared request path (signed afresh for each attempt, one
    /// 429 retry); returns the 2xx response.
    async fn execute(&self, method: &str, path: &str, query: &[(&str, String)], body: Option<Vec<u8>>) -> Result<HttpResponse, Error> {
        let mut path_and_query = with_query(&format!("{BASE_PATH}{path}"), query);
        if let Some(key) = &self.account_switch_key {
            path_and_query = edgegrid::add_account_switch_key(&path_and_query, key);
        }
        let body = body.unwrap_or_default();
        let mut headers: Vec<(String, String)> = vec![("Accept".into(), "application/json".into())];
        if !body.is_empty() {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        let req = HttpRequest { method: method.to_owned(), url: format!("https://{}{path_and_query}", self.host), headers, body };
        self.conn.send(req).await
    }
}

fn json<B: Serialize>(body: &B) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(body).map_err(|e| Error::invalid("body", format!("could not encode the request body: {e}")))
}

fn push_opt<'a>(q: &mut Vec<(&'a str, String)>, name: &'a str, value: Option<&str>) {
    if let Some(v) = value {
        q.push((name, v.to_owned()));
    }
}

fn ca_set_path(ca_set_id: &str, rest: &str) -> String {
    format!("/ca-sets/{}{rest}", percent_encode(ca_set_id))
}

fn version_path(ca_set_id: &str, version: u32, rest: &str) -> String {
    ca_set_path(ca_set_id, &format!("/versions/{version}{rest}"))
}

fn activation_path(ca_set_id: &str, version: u32, activation_id: u64) -> String {
    version_path(ca_set_id, version, &format!("/activations/{activation_id}"))
}

/// `IN_PROGRESS`, `COMPLETE`, ... as Akamai spells it.
fn status_name(status: ActivationStatus) -> String {
    serde_json::to_value(status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| format!("{status:?}"))
}
