//! An async client for OpenAI's organization and project certificate endpoints
//! (`docs/vendors/openai.md`), over any [`Transport`], on the shared vendor layer
//! ([`crate::vendors::request`]).
//!
//! - Every request goes to `{base}/organization/...` (base [`BASE_URL`], in the app the relay
//!   path) with `Authorization: Bearer <admin key>` ([`Auth::Bearer`]). The key is a
//!   [`Secret`]: never in `Debug`, errors or logs.
//! - What the OpenAPI document bounds is checked before sending ([`Error::Invalid`]): `limit`
//!   1–100, 1–10 `certificate_ids` per call (a larger selection goes out in batches:
//!   [`Client::activate`], [`Client::deactivate`]), non-empty ids and certificate.
//! - Errors are the shared [`Error`]: OpenAI's `{error:{message,type,param,code}}` is
//!   [`ErrorBody::OpenAi`](crate::vendors::error::ErrorBody::OpenAi) with the `x-request-id`
//!   in `ApiError::request_id` ([`openai_error`] reads both); a 429 is retried once after
//!   `x-ratelimit-reset-requests` or `Retry-After`, then [`Error::RateLimited`].
//! - [`Client::list_all_certificates`] walks `after` / `has_more` with the shared
//!   [`all_pages`]; [`Client::load_all_with_facts`] then fetches each certificate's content
//!   and computes fingerprints and expiry locally ([`CertificateFacts`]).
//! - [`Client::delete_certificate_checked`] refuses locally to delete a certificate that
//!   [`ActivationState`] knows to be active ([`Client::activation_state`] loads it).

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::models::{
    ActivationResponse, Certificate, CertificateDeleted, CertificateList, ModifyCertificate, ToggleCertificates, UploadCertificate,
};
use super::workflow::{batches, ActivationState, CertificateFacts, DeleteRefused, MAX_IDS_PER_CALL};
use crate::vendors::auth::Auth;
use crate::vendors::error::{ErrorBody, ErrorFormat, OpenAiError};
use crate::vendors::paging::{all_pages, AllPages, Bounds, Cursor, Page};
use crate::vendors::redact::Secret;
use crate::vendors::request::{json_request, percent_encode, with_query, Connection, Vendor};
use crate::vendors::retry::RateLimitScheme;
use crate::vendors::transport::Transport;

pub use crate::vendors::error::Error;
pub use crate::vendors::retry::RateLimit;

/// OpenAI's API base.
pub const BASE_URL: &str = "https://api.openai.com/v1";

/// OpenAI's wire conventions: `{error:{…}}` bodies, `x-ratelimit-*` headers.
pub const VENDOR: Vendor = Vendor { name: "OpenAI", errors: ErrorFormat::OpenAi, rate_limits: RateLimitScheme::OPENAI };

/// Largest `limit` of a listing.
pub const MAX_LIMIT: u32 = 100;

/// The page size "load all" asks for.
pub const LOAD_ALL_LIMIT: u32 = 100;

/// Sort order of a listing, by `created_at`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Oldest first.
    Asc,
    /// Newest first (OpenAI's default).
    #[default]
    Desc,
}

impl Order {
    /// `asc` or `desc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Order::Asc => "asc",
            Order::Desc => "desc",
        }
    }
}

/// Query of a listing. `None` fields are left out (OpenAI's defaults: 20, newest first).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// 1 to 100.
    pub limit: Option<u32>,
    /// The id after which the page starts.
    pub after: Option<String>,
    /// `asc` or `desc`.
    pub order: Option<Order>,
}

/// Where an activation applies.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Scope {
    /// The organization (inherited by every project).
    Organization,
    /// One project, by id.
    Project(String),
}

impl Scope {
    /// `Some(project id)` for a project scope.
    pub fn project_id(&self) -> Option<&str> {
        match self {
            Scope::Organization => None,
            Scope::Project(p) => Some(p),
        }
    }
}

/// The outcome of one activate / deactivate call of a batched selection.
#[derive(Debug)]
pub struct BatchResult {
    /// The ids sent in this call (at most 10).
    pub ids: Vec<String>,
    /// OpenAI's answer, or why the call failed.
    pub result: Result<ActivationResponse, Error>,
}

/// OpenAI's error object and the `x-request-id` of a failed call, when OpenAI answered.
pub fn openai_error(err: &Error) -> Option<(&OpenAiError, Option<&str>)> {
    let api = err.api()?;
    match &api.body {
        ErrorBody::OpenAi(e) => Some((e, api.request_id.as_deref())),
        _ => None,
    }
}

/// Checks a listing's `limit` (1 to 100) before sending.
///
/// # Errors
/// [`Error::Invalid`] naming `limit`.
pub fn check_limit(limit: Option<u32>) -> Result<(), Error> {
    match limit {
        Some(n) if !(1..=MAX_LIMIT).contains(&n) => Err(Error::invalid("limit", format!("must be between 1 and {MAX_LIMIT} (it is {n})"))),
        _ => Ok(()),
    }
}

/// Checks the ids of one activate / deactivate call: 1 to 10, none empty.
///
/// # Errors
/// [`Error::Invalid`] naming `certificate_ids`.
pub fn check_ids(ids: &[String]) -> Result<(), Error> {
    if ids.is_empty() || ids.len() > MAX_IDS_PER_CALL {
        return Err(Error::invalid(
            "certificate_ids",
            format!(
                "one call takes 1 to {MAX_IDS_PER_CALL} ids (got {}); use activate / deactivate, which split a selection into batches",
                ids.len()
            ),
        ));
    }
    if let Some(i) = ids.iter().position(|id| id.trim().is_empty()) {
        return Err(Error::invalid(format!("certificate_ids[{i}]"), "is empty: give a certificate id (cert_...)"));
    }
    Ok(())
}

fn check_id(field: &str, id: &str) -> Result<(), Error> {
    if id.trim().is_empty() {
        Err(Error::invalid(field, "is empty: give an id"))
    } else {
        Ok(())
    }
}

/// The OpenAI certificates client.
pub struct Client<T: Transport> {
    conn: Connection<T>,
    base_url: String,
}

impl<T: Transport> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("conn", &self.conn) // the Bearer value prints redacted
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl<T: Transport> Client<T> {
    /// A client calling [`BASE_URL`] with the admin key `admin_key` (kept as a [`Secret`], in
    /// memory only), reading Unix seconds from `clock`.
    pub fn new(transport: T, admin_key: Secret, clock: impl Fn() -> i64 + 'static) -> Client<T> {
        Client { conn: Connection::new(transport, Auth::Bearer(admin_key), VENDOR, clock), base_url: BASE_URL.to_owned() }
    }

    /// Calls `base_url` instead (the relay path, an emulator); a trailing `/` is dropped.
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Client<T> {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        self.conn.transport()
    }

    /// The rate-limit headers of the last response, if it had any.
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.conn.last_rate_limit()
    }

    /// `GET /organization/certificates`: one page.
    ///
    /// # Errors
    /// See [`Error`]; [`Error::Invalid`] for a `limit` outside 1–100.
    pub async fn list_certificates(&self, query: &ListQuery) -> Result<CertificateList, Error> {
        self.list("/organization/certificates", query).await
    }

    /// `GET /organization/projects/{project_id}/certificates`: one page.
    ///
    /// # Errors
    /// As [`Client::list_certificates`].
    pub async fn list_project_certificates(&self, project_id: &str, query: &ListQuery) -> Result<CertificateList, Error> {
        check_id("project_id", project_id)?;
        self.list(&project_path(project_id, ""), query).await
    }

    /// Every organization certificate, page after page (`limit=100`, `after=last_id` while
    /// `has_more`), bounded by `bounds`; a page cap or a repeated cursor is reported in
    /// [`AllPages::stopped`].
    ///
    /// # Errors
    /// The first failing page's.
    pub async fn list_all_certificates(&self, order: Option<Order>, bounds: Bounds) -> Result<AllPages<Certificate>, Error> {
        self.list_all("/organization/certificates".to_owned(), order, bounds).await
    }

    /// Every certificate of a project's listing, as [`Client::list_all_certificates`].
    ///
    /// # Errors
    /// The first failing page's.
    pub async fn list_all_project_certificates(
        &self,
        project_id: &str,
        order: Option<Order>,
        bounds: Bounds,
    ) -> Result<AllPages<Certificate>, Error> {
        check_id("project_id", project_id)?;
        self.list_all(project_path(project_id, ""), order, bounds).await
    }

    /// `POST /organization/certificates` `{certificate, name}` (200; uploading does not
    /// activate). Run the rule pack ([`super::rules`]) first.
    ///
    /// # Errors
    /// See [`Error`]; [`Error::Invalid`] for an empty certificate.
    pub async fn upload_certificate(&self, certificate: &str, name: Option<&str>) -> Result<Certificate, Error> {
        if certificate.trim().is_empty() {
            return Err(Error::invalid("certificate", "is empty: paste the certificate in PEM"));
        }
        let body = UploadCertificate { certificate: certificate.to_owned(), name: name.map(str::to_owned) };
        self.call("POST", "/organization/certificates", Some(&body)).await
    }

    /// `GET /organization/certificates/{id}`, with `include[]=content` (the PEM) when asked.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn get_certificate(&self, certificate_id: &str, include_content: bool) -> Result<Certificate, Error> {
        check_id("certificate_id", certificate_id)?;
        let mut url = self.url(&cert_path(certificate_id, ""));
        if include_content {
            url.push_str("?include[]=content");
        }
        let req = json_request::<()>("GET", url, None)?;
        self.conn.send_json(req).await
    }

    /// `POST /organization/certificates/{id}` `{name}`: only the name can change.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn rename_certificate(&self, certificate_id: &str, name: &str) -> Result<Certificate, Error> {
        check_id("certificate_id", certificate_id)?;
        let body = ModifyCertificate { name: name.to_owned() };
        self.call("POST", &cert_path(certificate_id, ""), Some(&body)).await
    }

    /// `DELETE /organization/certificates/{id}`, sent as is (OpenAI refuses a certificate
    /// active anywhere). [`Client::delete_certificate_checked`] refuses locally first.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn delete_certificate(&self, certificate_id: &str) -> Result<CertificateDeleted, Error> {
        check_id("certificate_id", certificate_id)?;
        self.call("DELETE", &cert_path(certificate_id, ""), None::<&()>).await
    }

    /// Deletes `certificate_id` unless `state` knows it to be active (then nothing is sent and
    /// the refusal names the organization and / or the projects). On success the id is
    /// forgotten in `state`.
    ///
    /// # Errors
    /// `Err(Ok(refusal))` when refused locally, `Err(Err(error))` when the call failed.
    pub async fn delete_certificate_checked(
        &self,
        certificate_id: &str,
        state: &mut ActivationState,
    ) -> Result<CertificateDeleted, Result<DeleteRefused, Error>> {
        state.check_delete(certificate_id).map_err(Ok)?;
        let deleted = self.delete_certificate(certificate_id).await.map_err(Err)?;
        state.forget(certificate_id);
        Ok(deleted)
    }

    /// One activate call: 1 to 10 ids at `scope` (`POST …/certificates/activate`).
    ///
    /// # Errors
    /// See [`Error`]; [`Error::Invalid`] for 0 or more than 10 ids.
    pub async fn activate_batch(&self, scope: &Scope, ids: &[String]) -> Result<ActivationResponse, Error> {
        self.toggle(scope, ids, "activate").await
    }

    /// One deactivate call: 1 to 10 ids at `scope`.
    ///
    /// # Errors
    /// As [`Client::activate_batch`].
    pub async fn deactivate_batch(&self, scope: &Scope, ids: &[String]) -> Result<ActivationResponse, Error> {
        self.toggle(scope, ids, "deactivate").await
    }

    /// Activates a selection of any size at `scope`: split into calls of at most 10 ids
    /// ([`batches`]), every call made even if an earlier one failed, each call's outcome
    /// reported in order. An empty selection makes no call.
    pub async fn activate<S: AsRef<str>>(&self, scope: &Scope, ids: &[S]) -> Vec<BatchResult> {
        self.toggle_all(scope, ids, "activate").await
    }

    /// Deactivates a selection of any size at `scope`, as [`Client::activate`].
    pub async fn deactivate<S: AsRef<str>>(&self, scope: &Scope, ids: &[S]) -> Vec<BatchResult> {
        self.toggle_all(scope, ids, "deactivate").await
    }

    /// Where certificates are active: the organization listing and the listing of each of
    /// `project_ids`, every page.
    ///
    /// # Errors
    /// The first failing listing's.
    pub async fn activation_state(&self, project_ids: &[String]) -> Result<ActivationState, Error> {
        let mut state = ActivationState::default();
        let org = self.list_all_certificates(None, Bounds::default()).await?;
        state.record_organization(&org.items);
        for p in project_ids {
            let list = self.list_all_project_certificates(p, None, Bounds::default()).await?;
            state.record_project(p, &list.items);
        }
        Ok(state)
    }

    /// "Load all": every organization certificate, then each one's content
    /// (`include[]=content`), with fingerprints and validity computed locally at the clock's
    /// time. A certificate whose content could not be fetched keeps the listing's fields and
    /// says why in its `problems`.
    ///
    /// # Errors
    /// The listing's; a failed content fetch is reported per certificate.
    pub async fn load_all_with_facts(&self, bounds: Bounds) -> Result<LoadedCertificates, Error> {
        let listed = self.list_all_certificates(None, bounds).await?;
        let now = self.conn.now();
        let mut facts = Vec::with_capacity(listed.items.len());
        for c in &listed.items {
            let f = match self.get_certificate(&c.id, true).await {
                Ok(full) => {
                    let mut with_active = full;
                    with_active.active = c.active;
                    CertificateFacts::of(&with_active, now)
                }
                Err(e) => {
                    let mut f = CertificateFacts::of(c, now);
                    f.problems = vec![format!("could not fetch the content: {e}")];
                    f
                }
            };
            facts.push(f);
        }
        Ok(LoadedCertificates { certificates: facts, pages: listed.pages, stopped: listed.stopped.map(|s| format!("{s:?}")) })
    }

    // ---- plumbing ----------------------------------------------------------------------

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    async fn call<B: Serialize, R: DeserializeOwned>(&self, method: &str, path: &str, body: Option<&B>) -> Result<R, Error> {
        let req = json_request(method, self.url(path), body)?;
        self.conn.send_json(req).await
    }

    async fn list(&self, path: &str, query: &ListQuery) -> Result<CertificateList, Error> {
        check_limit(query.limit)?;
        let mut q: Vec<(&str, String)> = Vec::new();
        if let Some(l) = query.limit {
            q.push(("limit", l.to_string()));
        }
        if let Some(a) = query.after.as_deref().filter(|a| !a.is_empty()) {
            q.push(("after", a.to_owned()));
        }
        if let Some(o) = query.order {
            q.push(("order", o.as_str().to_owned()));
        }
        let req = json_request::<()>("GET", with_query(&self.url(path), &q), None)?;
        self.conn.send_json(req).await
    }

    async fn list_all(&self, path: String, order: Option<Order>, bounds: Bounds) -> Result<AllPages<Certificate>, Error> {
        all_pages(bounds, |cursor| {
            let path = path.clone();
            async move {
                let after = match cursor {
                    Some(Cursor::After(a)) => Some(a),
                    _ => None,
                };
                let page = self.list(&path, &ListQuery { limit: Some(LOAD_ALL_LIMIT), after, order }).await?;
                Ok(Page::after(page.data, page.has_more, page.last_id, |c| c.id.clone()))
            }
        })
        .await
    }

    async fn toggle(&self, scope: &Scope, ids: &[String], verb: &str) -> Result<ActivationResponse, Error> {
        check_ids(ids)?;
        let path = match scope {
            Scope::Organization => format!("/organization/certificates/{verb}"),
            Scope::Project(p) => {
                check_id("project_id", p)?;
                project_path(p, &format!("/{verb}"))
            }
        };
        let body = ToggleCertificates { certificate_ids: ids.to_vec() };
        self.call("POST", &path, Some(&body)).await
    }

    async fn toggle_all<S: AsRef<str>>(&self, scope: &Scope, ids: &[S], verb: &str) -> Vec<BatchResult> {
        let mut out = Vec::new();
        for batch in batches(ids) {
            let result = self.toggle(scope, &batch, verb).await;
            out.push(BatchResult { ids: batch, result });
        }
        out
    }
}

/// What [`Client::load_all_with_facts`] found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadedCertificates {
    /// One entry per listed certificate, in listing order.
    pub certificates: Vec<CertificateFacts>,
    /// Pages listed.
    pub pages: usize,
    /// Why the listing stopped early, if it did (page cap, repeated cursor).
    pub stopped: Option<String>,
}

fn cert_path(id: &str, rest: &str) -> String {
    format!("/organization/certificates/{}{rest}", percent_encode(id))
}

fn project_path(project_id: &str, rest: &str) -> String {
    format!("/organization/projects/{}/certificates{rest}", percent_encode(project_id))
}
