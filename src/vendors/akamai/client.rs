//! An async client for the mTLS Edge Truststore API v2 (`shared/reference/vendor-apis.md` §1.3),
//! over any [`Transport`].
//!
//! - Every request goes to `https://{host}/mtls-edge-truststore/v2/...` and is signed with
//!   EdgeGrid ([`edgegrid::authorization_header`]) with a fresh timestamp and nonce, including a
//!   retry. `accountSwitchKey` is added to the query before signing.
//! - The clock is injected (`Fn() -> i64`, Unix seconds), and so can the nonce source, so tests
//!   are deterministic and the crate never reads the system clock (which does not exist on
//!   `wasm32-unknown-unknown`).
//! - Errors: [`Error::Api`] carries the decoded problem-details body and the rate-limit headers;
//!   a 422 `duplicate-ca-set-version` becomes [`Error::DuplicateVersion`] with the link to the
//!   existing version; a body that does not decode gives [`Error::Decode`] naming the JSON path.
//! - A 429 is retried exactly once, after sleeping (through [`Transport::sleep_ms`]) until
//!   `X-RateLimit-Next`; a second 429 is reported.
//! - [`Client::poll_activation`] polls an activation until `COMPLETE` or `FAILED`, honouring
//!   `Retry-After`.
//!
//! Credentials never appear in errors or `Debug` output.

use std::cell::RefCell;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::edgegrid::{self, Credentials, NonceError, Request};
use super::models::{
    Associations, AssociationsResponse, ListCertificatesResponse, Activation, ActivationStatus, CaSet, CaSetVersion, CreateCaSet, DeleteStatus,
    ListActivationsResponse, ListActivitiesResponse, ListCaSetsResponse, ListVersionsResponse,
    Network, NetworkBody, Problem, ValidateCertificatesResponse,
};
use super::validate::VersionBody;
use crate::vendors::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// The API's base path.
pub const BASE_PATH: &str = "/mtls-edge-truststore/v2";

/// Longest wait before the single 429 retry, whatever `X-RateLimit-Next` says: 5 minutes.
pub const MAX_RATE_LIMIT_WAIT_MS: u64 = 300_000;

/// Wait before the 429 retry when the response says nothing usable about when: 1 second.
pub const DEFAULT_RATE_LIMIT_WAIT_MS: u64 = 1_000;

/// The rate-limit headers of a response (`X-RateLimit-Limit`, `-Remaining`, `-Next`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: requests allowed in the current window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Next`: when requests are allowed again (as sent, ISO 8601).
    pub next: Option<String>,
}

impl RateLimit {
    /// The rate-limit headers of `resp`, or `None` if it has none of them.
    pub fn from_response(resp: &HttpResponse) -> Option<RateLimit> {
        let number = |name| resp.header(name).and_then(|v| v.parse::<u64>().ok());
        let rate_limit = RateLimit {
            limit: number("X-RateLimit-Limit"),
            remaining: number("X-RateLimit-Remaining"),
            next: resp.header("X-RateLimit-Next").map(str::to_owned),
        };
        (rate_limit != RateLimit::default()).then_some(rate_limit)
    }
}

/// What went wrong with an API call.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No response arrived.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A non-2xx response (for 429, after the one retry).
    #[error("{}", api_message(*status, problem.as_deref()))]
    Api {
        /// The HTTP status.
        status: u16,
        /// The problem-details body, if the body was one.
        problem: Option<Box<Problem>>,
        /// The rate-limit headers, if the response had any.
        rate_limit: Option<RateLimit>,
    },
    /// A 2xx response whose body is not what the API documents.
    #[error("unexpected response body at {path}: {message}")]
    Decode {
        /// Where in the JSON, e.g. `caSets[0].caSetId` (`.` for the whole body).
        path: String,
        /// What was wrong there.
        message: String,
    },
    /// 422 `duplicate-ca-set-version`: a version with the same certificates exists.
    #[error("a version with the same certificates already exists: {existing_version_link}")]
    DuplicateVersion {
        /// `contextInfo.versionLink`: the existing version.
        existing_version_link: String,
    },
    /// The call was refused before sending: its query breaks a documented rule.
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// The nonce source failed.
    #[error("could not make a request nonce: {0}")]
    Nonce(String),
    /// [`Client::poll_activation`] gave up before the activation finished.
    #[error("activation still {last_status:?} after {attempts} polls")]
    PollExhausted {
        /// Polls made.
        attempts: u32,
        /// The status seen last.
        last_status: ActivationStatus,
    },
}

fn api_message(status: u16, problem: Option<&Problem>) -> String {
    match problem {
        Some(p) => {
            let title = p.title.as_deref().or(p.detail.as_deref()).unwrap_or("");
            format!(
                "akamai api returned http {status}: {} ({title})",
                p.type_name()
            )
        }
        None => format!("akamai api returned http {status}"),
    }
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
        PollOptions {
            max_attempts: 120,
            default_delay_ms: 5_000,
            max_delay_ms: 600_000,
        }
    }
}

type Clock = Box<dyn Fn() -> i64>;
type NonceSource = Box<dyn Fn() -> Result<String, NonceError>>;

/// The mTLS Edge Truststore client.
pub struct Client<T: Transport> {
    transport: T,
    creds: Credentials,
    account_switch_key: Option<String>,
    clock: Clock,
    nonce: NonceSource,
    last_rate_limit: RefCell<Option<RateLimit>>,
}

impl<T: Transport> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("creds", &self.creds) // redacts tokens and secret
            .field("account_switch_key", &self.account_switch_key)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Client<T> {
    /// A client signing with `creds`, reading Unix seconds from `clock` (in the browser,
    /// `Date.now() / 1000`), with random nonces ([`edgegrid::new_nonce`]).
    pub fn new(transport: T, creds: Credentials, clock: impl Fn() -> i64 + 'static) -> Client<T> {
        Client {
            transport,
            creds,
            account_switch_key: None,
            clock: Box::new(clock),
            nonce: Box::new(edgegrid::new_nonce),
            last_rate_limit: RefCell::new(None),
        }
    }

    /// Runs every request in another account (`accountSwitchKey`); an empty key means none.
    pub fn with_account_switch_key(mut self, key: impl Into<String>) -> Client<T> {
        let key = key.into();
        self.account_switch_key = (!key.is_empty()).then_some(key);
        self
    }

    /// Replaces the nonce source (tests; the default is a random UUID v4 per request).
    pub fn with_nonce_source(
        mut self,
        nonce: impl Fn() -> Result<String, NonceError> + 'static,
    ) -> Client<T> {
        self.nonce = Box::new(nonce);
        self
    }

    /// The rate-limit headers of the last response received, if it had any (for showing the
    /// remaining quota).
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.last_rate_limit.borrow().clone()
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    // ---- CA sets -------------------------------------------------------------------------

    /// `POST /ca-sets` (201).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn create_ca_set(&self, body: &CreateCaSet) -> Result<CaSet, Error> {
        self.call("POST", "/ca-sets", &[], Some(json(body)?)).await
    }

    /// `GET /ca-sets` (not paginated).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list_ca_sets(&self, query: &ListCaSetsQuery) -> Result<Vec<CaSet>, Error> {
        let mut q = Vec::new();
        push_opt(
            &mut q,
            "caSetNamePrefix",
            query.ca_set_name_prefix.as_deref(),
        );
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
        self.call("GET", &ca_set_path(ca_set_id, ""), &[], None)
            .await
    }

    /// `DELETE /ca-sets/{caSetId}` (202: asynchronous; follow with [`Client::delete_status`]).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn delete_ca_set(&self, ca_set_id: &str) -> Result<(), Error> {
        self.execute("DELETE", &ca_set_path(ca_set_id, ""), &[], None)
            .await?;
        Ok(())
    }

    /// `GET /ca-sets/{caSetId}/status/delete` (200, 202 or 207).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn delete_status(&self, ca_set_id: &str) -> Result<DeleteStatus, Error> {
        self.call("GET", &ca_set_path(ca_set_id, "/status/delete"), &[], None)
            .await
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
    pub async fn clone_ca_set(
        &self,
        ca_set_id: &str,
        clone_from_version: Option<u32>,
        body: &CreateCaSet,
    ) -> Result<CaSet, Error> {
        let q: Vec<(&str, String)> = clone_from_version
            .map(|v| ("cloneFromVersion", v.to_string()))
            .into_iter()
            .collect();
        self.call(
            "POST",
            &ca_set_path(ca_set_id, "/clone"),
            &q,
            Some(json(body)?),
        )
        .await
    }

    /// `GET /ca-sets/{caSetId}/activations`.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list_ca_set_activations(&self, ca_set_id: &str) -> Result<Vec<Activation>, Error> {
        let list: ListActivationsResponse = self
            .call("GET", &ca_set_path(ca_set_id, "/activations"), &[], None)
            .await?;
        Ok(list.activations)
    }

    /// `GET /ca-sets/{caSetId}/activities`, optionally between `start` and `end` (RFC 3339).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list_activities(
        &self,
        ca_set_id: &str,
        start: Option<&str>,
        end: Option<&str>,
    ) -> Result<ListActivitiesResponse, Error> {
        let mut q = Vec::new();
        push_opt(&mut q, "start", start);
        push_opt(&mut q, "end", end);
        self.call("GET", &ca_set_path(ca_set_id, "/activities"), &q, None)
            .await
    }

    // ---- versions ------------------------------------------------------------------------

    /// `POST /ca-sets/{caSetId}/versions` (201). A 422 for a version with the same
    /// certificates gives [`Error::DuplicateVersion`].
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn create_version(
        &self,
        ca_set_id: &str,
        body: &VersionBody,
    ) -> Result<CaSetVersion, Error> {
        self.call(
            "POST",
            &ca_set_path(ca_set_id, "/versions"),
            &[],
            Some(json(body)?),
        )
        .await
    }

    /// `GET /ca-sets/{caSetId}/versions` (not paginated).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list_versions(
        &self,
        ca_set_id: &str,
        query: &ListVersionsQuery,
    ) -> Result<Vec<CaSetVersion>, Error> {
        let mut q = Vec::new();
        let flag = |b: Option<bool>| b.map(|b| if b { "true" } else { "false" });
        push_opt(
            &mut q,
            "includeCertificates",
            flag(query.include_certificates),
        );
        push_opt(
            &mut q,
            "activeVersionsOnly",
            flag(query.active_versions_only),
        );
        push_opt(
            &mut q,
            "caSetVersionStatus",
            query.ca_set_version_status.as_deref(),
        );
        let list: ListVersionsResponse = self
            .call("GET", &ca_set_path(ca_set_id, "/versions"), &q, None)
            .await?;
        Ok(list.versions)
    }

    /// `GET /ca-sets/{caSetId}/versions/{version}`.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn get_version(&self, ca_set_id: &str, version: u32) -> Result<CaSetVersion, Error> {
        self.call("GET", &version_path(ca_set_id, version, ""), &[], None)
            .await
    }

    /// `PUT /ca-sets/{caSetId}/versions/{version}`: replaces the certificate list of a version
    /// that has never been active.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn update_version(
        &self,
        ca_set_id: &str,
        version: u32,
        body: &VersionBody,
    ) -> Result<CaSetVersion, Error> {
        self.call(
            "PUT",
            &version_path(ca_set_id, version, ""),
            &[],
            Some(json(body)?),
        )
        .await
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
    /// [`Error::InvalidQuery`] if both expiry thresholds are given (the API refuses that), else
    /// see [`Error`].
    pub async fn list_certificates(
        &self,
        ca_set_id: &str,
        version: u32,
        query: &ListCertificatesQuery,
    ) -> Result<ListCertificatesResponse, Error> {
        if query.expiry_threshold_in_days.is_some() && query.expiry_threshold_timestamp.is_some() {
            return Err(Error::InvalidQuery("give expiryThresholdInDays or expiryThresholdTimestamp, not both".into()));
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
    pub async fn clone_version(
        &self,
        ca_set_id: &str,
        version: u32,
    ) -> Result<CaSetVersion, Error> {
        self.call(
            "POST",
            &version_path(ca_set_id, version, "/clone"),
            &[],
            None,
        )
        .await
    }

    /// `POST .../versions/{version}/activate` (202).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn activate(
        &self,
        ca_set_id: &str,
        version: u32,
        network: Network,
    ) -> Result<Activation, Error> {
        self.network_action(ca_set_id, version, network, "/activate").await
    }

    /// `POST .../versions/{version}/deactivate` (202).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn deactivate(
        &self,
        ca_set_id: &str,
        version: u32,
        network: Network,
    ) -> Result<Activation, Error> {
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
    pub async fn get_activation(
        &self,
        ca_set_id: &str,
        version: u32,
        activation_id: u64,
    ) -> Result<Activation, Error> {
        self.call(
            "GET",
            &activation_path(ca_set_id, version, activation_id),
            &[],
            None,
        )
        .await
    }

    /// `GET .../versions/{version}/activations`.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list_version_activations(
        &self,
        ca_set_id: &str,
        version: u32,
    ) -> Result<Vec<Activation>, Error> {
        let list: ListActivationsResponse = self
            .call(
                "GET",
                &version_path(ca_set_id, version, "/activations"),
                &[],
                None,
            )
            .await?;
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
                return Err(Error::PollExhausted { attempts, last_status: status });
            }
            let wait = resp
                .header("Retry-After")
                .and_then(|v| retry_after_ms(v, (self.clock)()))
                .unwrap_or(options.default_delay_ms)
                .min(options.max_delay_ms);
            self.transport.sleep_ms(wait).await;
        }
    }

    // ---- certificates --------------------------------------------------------------------

    /// `POST /certificates/validate`: Akamai's dry-run validation. The whole call fails with 400
    /// `certificate-validation-failure` ([`Error::Api`]) if any certificate is invalid.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn validate_certificates(
        &self,
        body: &VersionBody,
    ) -> Result<ValidateCertificatesResponse, Error> {
        self.call("POST", "/certificates/validate", &[], Some(json(body)?))
            .await
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

    /// Sends one API call (signed afresh for each attempt), retrying one 429; returns the 2xx
    /// response.
    async fn execute(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<HttpResponse, Error> {
        let mut path_and_query = format!("{BASE_PATH}{path}");
        let encoded: Vec<String> = query
            .iter()
            .map(|(name, value)| format!("{name}={}", super::edgegrid::percent_encode(value)))
            .collect();
        if !encoded.is_empty() {
            path_and_query.push('?');
            path_and_query.push_str(&encoded.join("&"));
        }
        if let Some(key) = &self.account_switch_key {
            path_and_query = edgegrid::add_account_switch_key(&path_and_query, key);
        }
        let body = body.unwrap_or_default();
        let mut retried = false;
        loop {
            let req = self.sign(method, &path_and_query, &body)?;
            let resp = self.transport.send(req).await?;
            *self.last_rate_limit.borrow_mut() = RateLimit::from_response(&resp);
            if (200..300).contains(&resp.status) {
                return Ok(resp);
            }
            if resp.status == 429 && !retried {
                retried = true;
                let wait = rate_limit_wait_ms(&resp, (self.clock)());
                self.transport.sleep_ms(wait).await;
                continue;
            }
            return Err(error_from_response(&resp));
        }
    }

    fn sign(&self, method: &str, path_and_query: &str, body: &[u8]) -> Result<HttpRequest, Error> {
        let timestamp = edgegrid::timestamp((self.clock)());
        let nonce = (self.nonce)().map_err(|e| Error::Nonce(e.to_string()))?;
        let mut headers: Vec<(String, String)> = vec![("Accept".into(), "application/json".into())];
        if !body.is_empty() {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        let refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let request = Request {
            method,
            path_and_query,
            headers: &refs,
            body,
        };
        let authorization =
            edgegrid::authorization_header(&self.creds, &request, &timestamp, &nonce);
        headers.push(("Authorization".into(), authorization));
        Ok(HttpRequest {
            method: method.to_owned(),
            url: format!("https://{}{path_and_query}", super::edgegrid::bare_host(&self.creds.host)),
            headers,
            body: body.to_vec(),
        })
    }
}

fn json<B: Serialize>(body: &B) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(body).map_err(|e| Error::Decode {
        path: ".".into(),
        message: format!("could not encode the request body: {e}"),
    })
}

fn push_opt<'a>(q: &mut Vec<(&'a str, String)>, name: &'a str, value: Option<&str>) {
    if let Some(v) = value {
        q.push((name, v.to_owned()));
    }
}

fn ca_set_path(ca_set_id: &str, rest: &str) -> String {
    format!("/ca-sets/{}{rest}", super::edgegrid::percent_encode(ca_set_id))
}

fn version_path(ca_set_id: &str, version: u32, rest: &str) -> String {
    ca_set_path(ca_set_id, &format!("/versions/{version}{rest}"))
}

fn activation_path(ca_set_id: &str, version: u32, activation_id: u64) -> String {
    version_path(ca_set_id, version, &format!("/activations/{activation_id}"))
}

/// Turns a non-2xx response into an [`Error`].
fn error_from_response(resp: &HttpResponse) -> Error {
    let problem = serde_json::from_slice::<serde_json::Value>(&resp.body)
        .ok()
        .filter(serde_json::Value::is_object)
        .and_then(|v| serde_json::from_value::<Problem>(v).ok());
    if let Some(p) = &problem {
        if resp.status == 422 && p.type_name() == "duplicate-ca-set-version" {
            let link = p
                .context_info
                .as_ref()
                .and_then(|c| c.get("versionLink"))
                .and_then(serde_json::Value::as_str);
            if let Some(link) = link {
                return Error::DuplicateVersion {
                    existing_version_link: link.to_owned(),
                };
            }
        }
    }
    Error::Api {
        status: resp.status,
        problem: problem.map(Box::new),
        rate_limit: RateLimit::from_response(resp),
    }
}

/// How long to wait after a 429: until `X-RateLimit-Next` (or the body's `rateLimitNext`), else
/// `Retry-After`, else [`DEFAULT_RATE_LIMIT_WAIT_MS`]; at most [`MAX_RATE_LIMIT_WAIT_MS`].
fn rate_limit_wait_ms(resp: &HttpResponse, now: i64) -> u64 {
    let body_next = || {
        serde_json::from_slice::<Problem>(&resp.body)
            .ok()
            .and_then(|p| p.rate_limit_next)
    };
    let next = resp
        .header("X-RateLimit-Next")
        .map(str::to_owned)
        .or_else(body_next)
        .and_then(|n| parse_rfc3339_ms(&n));
    let wait = match next {
        Some(next_ms) => Some(u64::try_from(next_ms - now.saturating_mul(1000)).unwrap_or(0)),
        None => resp
            .header("Retry-After")
            .and_then(|v| retry_after_ms(v, now)),
    };
    wait.unwrap_or(DEFAULT_RATE_LIMIT_WAIT_MS)
        .min(MAX_RATE_LIMIT_WAIT_MS)
}

/// `Retry-After` in milliseconds: delay-seconds, or an HTTP date (`Sun, 06 Nov 1994 08:49:37
/// GMT`) minus `now` (zero if past). `None` if it is neither.
pub fn retry_after_ms(value: &str, now: i64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(|s| s.saturating_mul(1000));
    }
    let date = parse_http_date(value)?;
    Some(
        u64::try_from(date.saturating_sub(now))
            .unwrap_or(0)
            .saturating_mul(1000),
    )
}

fn unix_seconds(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<i64> {
    let month = time::Month::try_from(month).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let time = time::Time::from_hms(hour, minute, second).ok()?;
    Some(
        time::PrimitiveDateTime::new(date, time)
            .assume_utc()
            .unix_timestamp(),
    )
}

/// An HTTP date (RFC 1123, `Sun, 06 Nov 1994 08:49:37 GMT`; the weekday is optional and not
/// checked) as Unix seconds.
pub fn parse_http_date(value: &str) -> Option<i64> {
    let value = value.trim();
    let value = match value.split_once(',') {
        Some((_, rest)) => rest,
        None => value,
    };
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [day, month, year, hms, zone] = parts.as_slice() else {
        return None;
    };
    if !matches!(*zone, "GMT" | "UTC" | "+0000" | "Z") {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(month))
        .and_then(|i| u8::try_from(i + 1).ok())?;
    let hms: Vec<&str> = hms.split(':').collect();
    let [h, mi, s] = hms.as_slice() else {
        return None;
    };
    unix_seconds(
        year.parse().ok()?,
        month,
        day.parse().ok()?,
        h.parse().ok()?,
        mi.parse().ok()?,
        s.parse().ok()?,
    )
}

/// An RFC 3339 date-time (`2025-08-05T09:45:40.5Z`, `...+02:00`) as Unix milliseconds.
pub fn parse_rfc3339_ms(value: &str) -> Option<i64> {
    let v = value.trim().as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = v.get(range)?;
        if digits.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(digits).ok()?.parse().ok()
        } else {
            None
        }
    };
    if v.len() < 20
        || v[4] != b'-'
        || v[7] != b'-'
        || !matches!(v[10], b'T' | b't' | b' ')
        || v[13] != b':'
        || v[16] != b':'
    {
        return None;
    }
    let year = i32::try_from(num(0..4)?).ok()?;
    let field = |r| num(r).and_then(|n| u8::try_from(n).ok());
    let seconds = unix_seconds(
        year,
        field(5..7)?,
        field(8..10)?,
        field(11..13)?,
        field(14..16)?,
        field(17..19)?,
    )?;
    let mut i = 19;
    let mut millis = 0i64;
    if v.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while v.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 3 {
                millis = millis * 10 + i64::from(v[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..3 {
            millis *= 10;
        }
    }
    let offset = match v.get(i..)? {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let d = |b: u8| i64::from(b - b'0');
            let minutes = (d(*h1) * 10 + d(*h2)) * 60 + d(*m1) * 10 + d(*m2);
            if *sign == b'+' {
                minutes * 60
            } else {
                -minutes * 60
            }
        }
        _ => return None,
    };
    Some((seconds - offset) * 1000 + millis)
}

/// Decodes a JSON body; on failure, names the JSON path of the problem
/// (e.g. `versions[0].version`, or `.` for the whole body).
///
/// # Errors
/// [`Error::Decode`].
pub fn decode<R: DeserializeOwned>(body: &[u8]) -> Result<R, Error> {
    let first = match serde_json::from_slice::<R>(body) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let message = {
        let text = first.to_string();
        match text.rsplit_once(" at line ") {
            Some((message, _)) if first.line() > 0 => message.to_owned(),
            _ => text,
        }
    };
    // The path: re-serialise the body pretty (one member or element per line), decode that
    // again, and map the error's line back to the path printed on it.
    let path = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|value| {
            let pretty = serde_json::to_string_pretty(&value).ok()?;
            let err = serde_json::from_str::<R>(&pretty).err()?;
            let mut lines = vec![String::new()];
            line_paths(&value, "", &mut lines);
            lines.get(err.line().checked_sub(1)?).cloned()
        })
        .filter(|path| !path.is_empty())
        .unwrap_or_else(|| ".".to_owned());
    Err(Error::Decode { path, message })
}

/// Paths of the lines `serde_json::to_string_pretty(value)` prints after the current one:
/// each member or element on its own line, then the closing bracket (which belongs to the
/// container).
fn line_paths(value: &serde_json::Value, path: &str, lines: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                lines.push(child_path.clone());
                line_paths(child, &child_path, lines);
            }
            lines.push(path.to_owned());
        }
        Value::Array(items) if !items.is_empty() => {
            for (index, child) in items.iter().enumerate() {
                let child_path = format!("{path}[{index}]");
                lines.push(child_path.clone());
                line_paths(child, &child_path, lines);
            }
            lines.push(path.to_owned());
        }
        _ => {}
    }
}
