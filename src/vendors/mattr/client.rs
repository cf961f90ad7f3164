//! An async client for MATTR VII's DTS certificate API (`docs/vendors/mattr.md`), over any
//! [`Transport`], on the shared vendor layer ([`crate::vendors::request`]).
//!
//! - Authentication: an OAuth client-credentials token from
//!   `https://auth.<region>.mattr.global/oauth/token`, requested as JSON
//!   `{client_id, client_secret, audience: <tenant URL>, grant_type}`
//!   ([`ClientCredentials::mattr`]); the shared layer caches it until 60 s before `expires_in`
//!   and fetches a new one once after a 401. The secret stays in memory and never appears in
//!   errors or `Debug` output.
//! - The public list and a root's CRL are fetched without a token.
//! - What MATTR checks is checked before sending ([`Error::Invalid`] naming the form field,
//!   see [`super::rules`]): the creation fields, the 3-root and 5-signer caps (counting what is
//!   listed), `limit` 1–1000, ids as UUIDs, and the rule pack on an uploaded root.
//! - Errors are the shared [`Error`]; MATTR's `{code, message, details}` is in
//!   [`Error::api`]`().body` and [`super::rules::api_field_errors`] puts it on form fields.

use std::fmt;

use super::models::{
    CreateManagedRootCa, CreateVicalSigner, DtsCaCertificate, ListPage, PublicRootCas, UpdateRootCa, UploadRootCa,
    UploadVicalSignerCertificate, VicalSigner,
};
use super::rules;
use crate::pki::{self, CrlInfo};
use crate::vendors::auth::{Auth, ClientCredentials};
use crate::vendors::error::ErrorFormat;
use crate::vendors::paging::{all_pages, AllPages, Bounds, Cursor, Page};
use crate::vendors::redact::Secret;
use crate::vendors::request::{check_base_url, json_request, with_query, Connection, Vendor};
use crate::vendors::retry::RateLimitScheme;
use crate::vendors::transport::Transport;

pub use crate::vendors::error::{decode, Error};

/// Path of the root CA collection.
pub const CA_PATH: &str = "/v1/ecosystems/certificates/ca";
/// Path of the public root list.
pub const PUBLIC_CA_PATH: &str = "/v1/ecosystems/public/certificates/ca";
/// Path of the VICAL signer collection.
pub const VICAL_SIGNERS_PATH: &str = "/v1/ecosystems/certificates/vical-signers";

/// MATTR's wire conventions: `{code, message, details}` errors, no rate-limit headers
/// documented (`Retry-After` is honoured).
pub const VENDOR: Vendor = Vendor { name: "MATTR", errors: ErrorFormat::Mattr, rate_limits: RateLimitScheme::IETF };

/// The token endpoint of a region (`au01`, `ca01`, `eu01`, `us01`).
pub fn token_url_for_region(region: &str) -> String {
    format!("https://auth.{region}.mattr.global/oauth/token")
}

/// Checks a list `limit`: 1 to 1000.
///
/// # Errors
/// [`Error::Invalid`] on `limit`.
pub fn check_limit(limit: Option<u32>) -> Result<(), Error> {
    match limit {
        Some(l) if !(1..=1000).contains(&l) => Err(Error::invalid("limit", format!("must be between 1 and 1000 (it is {l})"))),
        _ => Ok(()),
    }
}

/// Checks an id for a path: a UUID (`8-4-4-4-12` hex digits).
///
/// # Errors
/// [`Error::Invalid`] on `field`.
pub fn check_uuid(field: &str, id: &str) -> Result<(), Error> {
    let groups: Vec<&str> = id.split('-').collect();
    let ok =
        groups.len() == 5 && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("`{}` is not a UUID", id.chars().take(60).collect::<String>())))
    }
}

fn first_invalid(findings: Vec<pki::FieldError>) -> Result<(), Error> {
    match findings.as_slice() {
        [] => Ok(()),
        [one] => Err(Error::invalid(&one.field, one.message.clone())),
        [first, rest @ ..] => Err(Error::invalid(&first.field, format!("{} (and {} more problem(s))", first.message, rest.len()))),
    }
}

/// A root's CRL: the text MATTR sent and the project's parse of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootCaCrl {
    /// The JSON string's content (PEM, or base64 DER).
    pub text: String,
    /// The parsed CRL (issuer, dates, revoked serials).
    pub info: CrlInfo,
}

/// Parses the CRL endpoint's answer: a JSON string holding a PEM CRL (or bare base64 DER).
///
/// # Errors
/// [`Error::Decode`] when the body is not a JSON string or holds no CRL.
pub fn parse_crl_body(body: &[u8]) -> Result<RootCaCrl, Error> {
    let text: String = decode(body)?;
    let der_from_base64 = || pki::pem::decode_base64(&text).ok();
    let mut bundle = pki::parse_bundle(text.as_bytes(), "crl");
    if bundle.crls.is_empty() && !pki::pem::looks_like_pem(text.as_bytes()) {
        if let Some(der) = der_from_base64() {
            bundle = pki::parse_bundle(&der, "crl");
        }
    }
    match (bundle.crls.into_iter().next(), bundle.problems.first()) {
        (Some(info), _) => Ok(RootCaCrl { text, info }),
        (None, p) => Err(Error::Decode {
            path: "$".into(),
            message: format!("no CRL in the answer{}", p.map(|p| format!(": {}", p.message)).unwrap_or_default()),
        }),
    }
}

/// The MATTR VII DTS certificate client.
pub struct Client<T: Transport> {
    conn: Connection<T>,
    tenant_url: String,
}

impl<T: Transport> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("tenant_url", &self.tenant_url).field("conn", &self.conn).finish()
    }
}

impl<T: Transport> Client<T> {
    /// A client for `tenant_url` (`https://<tenant>.vii.<region>.mattr.global`), getting tokens
    /// from `token_url` (see [`token_url_for_region`]; a URL without a path gets
    /// `/oauth/token`), with `audience` = the tenant URL. `clock` gives Unix seconds.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `tenantUrl` / `authUrl` when they are not `https://` URLs (plain
    /// `http://` is allowed for loopback test servers).
    pub fn new(
        transport: T,
        tenant_url: &str,
        token_url: &str,
        client_id: &str,
        client_secret: impl Into<Secret>,
        clock: impl Fn() -> i64 + 'static,
    ) -> Result<Client<T>, Error> {
        let tenant_url = check_base_url("tenantUrl", tenant_url, "https://tenant.vii.au01.mattr.global")?;
        let mut token_url = check_base_url("authUrl", token_url, "https://auth.au01.mattr.global")?;
        if token_url.matches('/').count() <= 2 {
            token_url.push_str("/oauth/token");
        }
        if client_id.trim().is_empty() {
            return Err(Error::invalid("clientId", "required"));
        }
        let cc = ClientCredentials::mattr(token_url, client_id, client_secret, tenant_url.clone());
        Ok(Client { conn: Connection::new(transport, Auth::OAuth(cc), VENDOR, clock), tenant_url })
    }

    /// A client for the public endpoints only ([`Client::list_public_root_cas`],
    /// [`Client::get_root_ca_crl`]): it holds no credentials, so every other call goes without a
    /// token and MATTR answers 401.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `tenantUrl` when it is not an `https://` URL.
    pub fn public_only(transport: T, tenant_url: &str, clock: impl Fn() -> i64 + 'static) -> Result<Client<T>, Error> {
        let tenant_url = check_base_url("tenantUrl", tenant_url, "https://tenant.vii.au01.mattr.global")?;
        Ok(Client { conn: Connection::new(transport, Auth::None, VENDOR, clock), tenant_url })
    }

    /// The tenant URL (no trailing slash).
    pub fn tenant_url(&self) -> &str {
        &self.tenant_url
    }

    /// The connection (transport, auth, clock).
    pub fn connection(&self) -> &Connection<T> {
        &self.conn
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.tenant_url)
    }

    /// A connection without a token for the public endpoints.
    fn public(&self) -> Connection<&T> {
        let now = self.conn.now();
        Connection::new(self.conn.transport(), Auth::None, VENDOR, move || now)
    }

    /// Creates a managed root (MATTR makes the key). `listed`: roots already in the tenant
    /// (`None`: all are listed first to count them).
    ///
    /// # Errors
    /// [`Error::Invalid`] on the first field that fails a check (see
    /// [`rules::check_create_root`]), or the API's error.
    pub async fn create_managed_root_ca(&self, fields: &CreateManagedRootCa, listed: Option<usize>) -> Result<DtsCaCertificate, Error> {
        first_invalid(rules::check_create_root(fields, self.conn.now(), None))?;
        self.check_root_count(listed).await?;
        self.conn.send_json(json_request("POST", self.url(CA_PATH), Some(fields))?).await
    }

    /// Uploads an unmanaged root after the rule pack ([`rules::check_root_ca`]) passes.
    ///
    /// # Errors
    /// [`Error::Invalid`] on the first finding's field, or the API's error.
    pub async fn upload_root_ca(&self, certificate_pem: &str, listed: Option<usize>) -> Result<DtsCaCertificate, Error> {
        first_invalid(rules::check_root_ca(certificate_pem.as_bytes(), self.conn.now(), None))?;
        self.check_root_count(listed).await?;
        let body = UploadRootCa { certificate_pem: certificate_pem.to_owned() };
        self.conn.send_json(json_request("POST", self.url(CA_PATH), Some(&body))?).await
    }

    async fn check_root_count(&self, listed: Option<usize>) -> Result<(), Error> {
        let n = match listed {
            Some(n) => n,
            None => self.list_all_root_cas().await?.items.len(),
        };
        if n >= rules::MAX_ROOTS {
            return Err(Error::invalid(
                "tenant",
                format!(
                    "MATTR allows at most {} DTS root CA certificates per tenant and {n} are listed: delete one first",
                    rules::MAX_ROOTS
                ),
            ));
        }
        Ok(())
    }

    /// One page of roots (`limit` 1–1000, default 100 at MATTR).
    ///
    /// # Errors
    /// [`Error::Invalid`] on `limit`, or the API's error.
    pub async fn list_root_cas(&self, limit: Option<u32>, cursor: Option<&str>) -> Result<ListPage<DtsCaCertificate>, Error> {
        self.list(CA_PATH, limit, cursor).await
    }

    /// Every root, page after page (at most 100 pages, stopping on a repeated cursor; either
    /// stop is reported in [`AllPages::stopped`]).
    ///
    /// # Errors
    /// The first page's error.
    pub async fn list_all_root_cas(&self) -> Result<AllPages<DtsCaCertificate>, Error> {
        self.list_all(CA_PATH).await
    }

    async fn list<R: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<ListPage<R>, Error> {
        check_limit(limit)?;
        let mut q = Vec::new();
        if let Some(l) = limit {
            q.push(("limit", l.to_string()));
        }
        if let Some(c) = cursor.filter(|c| !c.is_empty()) {
            q.push(("cursor", c.to_owned()));
        }
        self.conn.send_json(json_request::<()>("GET", with_query(&self.url(path), &q), None)?).await
    }

    async fn list_all<R: serde::de::DeserializeOwned>(&self, path: &str) -> Result<AllPages<R>, Error> {
        all_pages(Bounds::default(), |cursor: Option<Cursor>| async move {
            let c = match cursor {
                Some(Cursor::Opaque(c)) => Some(c),
                _ => None,
            };
            let page: ListPage<R> = self.list(path, Some(1000), c.as_deref()).await?;
            Ok(Page::opaque(page.data, page.next_cursor))
        })
        .await
    }

    /// The public list (no token).
    ///
    /// # Errors
    /// The API's error.
    pub async fn list_public_root_cas(&self) -> Result<PublicRootCas, Error> {
        self.public().send_json(json_request::<()>("GET", self.url(PUBLIC_CA_PATH), None)?).await
    }

    /// One root.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `id` when it is not a UUID, or the API's error.
    pub async fn get_root_ca(&self, id: &str) -> Result<DtsCaCertificate, Error> {
        check_uuid("id", id)?;
        self.conn.send_json(json_request::<()>("GET", self.url(&format!("{CA_PATH}/{id}")), None)?).await
    }

    /// Activates or deactivates a root.
    ///
    /// # Errors
    /// As [`Client::get_root_ca`].
    pub async fn set_root_ca_active(&self, id: &str, active: bool) -> Result<DtsCaCertificate, Error> {
        check_uuid("id", id)?;
        self.conn.send_json(json_request("PUT", self.url(&format!("{CA_PATH}/{id}")), Some(&UpdateRootCa { active }))?).await
    }

    /// Deletes a root.
    ///
    /// # Errors
    /// As [`Client::get_root_ca`].
    pub async fn delete_root_ca(&self, id: &str) -> Result<(), Error> {
        check_uuid("id", id)?;
        self.conn.send(json_request::<()>("DELETE", self.url(&format!("{CA_PATH}/{id}")), None)?).await.map(|_| ())
    }

    /// A root's CRL (no token), parsed.
    ///
    /// # Errors
    /// As [`Client::get_root_ca`], and [`Error::Decode`] when the answer holds no CRL.
    pub async fn get_root_ca_crl(&self, id: &str) -> Result<RootCaCrl, Error> {
        check_uuid("id", id)?;
        let resp = self.public().send(json_request::<()>("GET", self.url(&format!("{CA_PATH}/{id}/crl")), None)?).await?;
        parse_crl_body(&resp.body)
    }

    /// Requests a VICAL signer for the unmanaged root `ca_id`; the answer carries the CSR to
    /// sign. `listed`: signers already in the tenant (`None`: listed first to count them).
    ///
    /// # Errors
    /// [`Error::Invalid`] on `caId` or `tenant` (5 signers), or the API's error.
    pub async fn create_vical_signer(&self, ca_id: &str, listed: Option<usize>) -> Result<VicalSigner, Error> {
        check_uuid("caId", ca_id)?;
        let n = match listed {
            Some(n) => n,
            None => self.list_all_vical_signers().await?.items.len(),
        };
        if let Some(f) = rules::check_vical_signer_count(n) {
            return Err(Error::invalid(&f.field, f.message));
        }
        let body = CreateVicalSigner { ca_id: ca_id.to_owned() };
        self.conn.send_json(json_request("POST", self.url(VICAL_SIGNERS_PATH), Some(&body))?).await
    }

    /// One page of VICAL signers.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `limit`, or the API's error.
    pub async fn list_vical_signers(&self, limit: Option<u32>, cursor: Option<&str>) -> Result<ListPage<VicalSigner>, Error> {
        self.list(VICAL_SIGNERS_PATH, limit, cursor).await
    }

    /// Every VICAL signer.
    ///
    /// # Errors
    /// The first page's error.
    pub async fn list_all_vical_signers(&self) -> Result<AllPages<VicalSigner>, Error> {
        self.list_all(VICAL_SIGNERS_PATH).await
    }

    /// Uploads a VICAL signer's certificate, signed by its root.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `id`, or on `certificatePem` when it is not one certificate; the
    /// API's error.
    pub async fn upload_vical_signer_certificate(&self, id: &str, certificate_pem: &str) -> Result<VicalSigner, Error> {
        check_uuid("id", id)?;
        rules::sha256_fingerprint(certificate_pem.as_bytes())?;
        let body = UploadVicalSignerCertificate { certificate_pem: certificate_pem.to_owned() };
        self.conn.send_json(json_request("PUT", self.url(&format!("{VICAL_SIGNERS_PATH}/{id}")), Some(&body))?).await
    }
}
