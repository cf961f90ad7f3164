//! An async client for PingFederate's administrative API, signing key pairs
//! (`docs/vendors/pingfederate.md`), over any [`Transport`], on the shared vendor layer.
//!
//! - Base URL `https://<pf-host>:9999/pf-admin-api/v1`. Every request carries
//!   `X-XSRF-Header: PingFederate`, whatever the authentication: HTTP Basic with an admin account
//!   ([`PingAuth::Basic`], via [`Basic::pingfederate`]) or a bearer token ([`PingAuth::Bearer`]).
//!   Credentials stay in memory and never appear in errors or `Debug` output.
//! - What PingFederate checks is checked before sending ([`Error::Invalid`] naming the JSON
//!   property, see [`super::rules`]); an answer's `ApiResult.validationErrors` are in
//!   [`Error::api`]`().body` and [`super::rules::api_field_errors`] puts them on form fields.
//! - Statuses per the OpenAPI document: `generate` and `import` answer 201, deletes 204.
//! - **Private keys**: [`Client::import_key_pair`] is the ONLY call in the product that sends a
//!   private key anywhere (encrypted, in a `KeyPairFile`); it refuses unless the caller passes
//!   `confirm_private_key_leaves_browser = true` after the user confirmed it. The exports
//!   ([`Client::export_pem`], [`Client::export_pkcs12`]) bring PingFederate's key *to* the
//!   browser, protected by a password the user typed, and only when called explicitly.

use std::fmt;

use super::models::{
    CsrResponse, KeyAlgorithms, KeyPairExportSettings, KeyPairFile, KeyPairRotationSettings, KeyPairView, KeyPairViews, NewKeyPairSettings,
};
use super::rules::{self, first_invalid};
use super::workflow;
use crate::vendors::auth::{Auth, Basic};
use crate::vendors::error::ErrorFormat;
use crate::vendors::redact::Secret;
use crate::vendors::request::{self, json_request, percent_encode, Connection, Vendor};
use crate::vendors::retry::RateLimitScheme;
use crate::vendors::transport::{HttpRequest, Transport};

pub use crate::vendors::error::{decode, Error};

/// The administrative API's base path.
pub const BASE_PATH: &str = "/pf-admin-api/v1";
/// The header PingFederate requires on every administrative call.
pub const XSRF_HEADER: (&str, &str) = ("X-XSRF-Header", "PingFederate");

/// PingFederate's wire conventions: `ApiResult` errors, no documented rate limits.
pub const VENDOR: Vendor = Vendor { name: "PingFederate", errors: ErrorFormat::PingFederate, rate_limits: RateLimitScheme::IETF };

/// How the client authenticates.
pub enum PingAuth {
    /// A native administrator account.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// An OAuth 2 access token for the admin API.
    Bearer(Secret),
}

impl fmt::Debug for PingAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PingAuth::Basic { username, .. } => {
                f.debug_struct("Basic").field("username", username).field("password", &"<redacted>").finish()
            }
            PingAuth::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

/// A key pair exported by PingFederate (PEM text or PKCS#12 bytes, protected by the export
/// password). Its `Debug` does not show the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct ExportedKeyPair {
    /// The file as received.
    pub bytes: zeroize::Zeroizing<Vec<u8>>,
}

impl fmt::Debug for ExportedKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ExportedKeyPair(<{} bytes, redacted>)", self.bytes.len())
    }
}

/// The PingFederate signing key pair client.
pub struct Client<T: Transport> {
    conn: Connection<T>,
    base_url: String,
}

impl<T: Transport> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("base_url", &self.base_url).field("conn", &self.conn).finish()
    }
}

fn check_base_url(url: &str) -> Result<String, Error> {
    let url = request::check_base_url("baseUrl", url, "https://pf.example.com:9999")?;
    Ok(if url.ends_with(BASE_PATH) { url } else { format!("{url}{BASE_PATH}") })
}

fn check_key_pair_id(id: &str) -> Result<(), Error> {
    first_invalid(rules::check_id("id", id))
}

fn text_body(body: &[u8]) -> Result<String, Error> {
    if body.first() == Some(&b'"') {
        return decode(body);
    }
    String::from_utf8(body.to_vec()).map_err(|_| Error::Decode { path: "$".into(), message: "the answer is not UTF-8 text".into() })
}

impl<T: Transport> Client<T> {
    /// A client for `base_url` (`https://pf.example.com:9999`; `/pf-admin-api/v1` is added when
    /// missing; plain `http://` only for loopback test servers).
    ///
    /// # Errors
    /// [`Error::Invalid`] on `baseUrl`, or on `username` when it is empty.
    pub fn new(transport: T, base_url: &str, auth: PingAuth, clock: impl Fn() -> i64 + 'static) -> Result<Client<T>, Error> {
        let base_url = check_base_url(base_url)?;
        let auth = match auth {
            PingAuth::Basic { username, password } => {
                if username.trim().is_empty() {
                    return Err(Error::invalid("username", "required"));
                }
                Auth::Basic(Basic::pingfederate(username, password))
            }
            PingAuth::Bearer(token) => Auth::Bearer(token),
        };
        Ok(Client { conn: Connection::new(transport, auth, VENDOR, clock), base_url })
    }

    /// The base URL, ending in `/pf-admin-api/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The connection (transport, auth, clock).
    pub fn connection(&self) -> &Connection<T> {
        &self.conn
    }

    fn request<B: serde::Serialize + ?Sized>(&self, method: &str, path: &str, body: Option<&B>) -> Result<HttpRequest, Error> {
        let mut req = json_request(method, format!("{}{path}", self.base_url), body)?;
        req.headers.push((XSRF_HEADER.0.into(), XSRF_HEADER.1.into()));
        Ok(req)
    }

    fn key_pair_path(id: &str, tail: &str) -> Result<String, Error> {
        check_key_pair_id(id)?;
        Ok(format!("/keyPairs/signing/{}{tail}", percent_encode(id)))
    }

    /// `GET /keyPairs/keyAlgorithms`: what every form may offer.
    ///
    /// # Errors
    /// The shared [`Error`]s.
    pub async fn key_algorithms(&self) -> Result<KeyAlgorithms, Error> {
        self.conn.send_json(self.request::<()>("GET", "/keyPairs/keyAlgorithms", None)?).await
    }

    /// `POST /keyPairs/signing/generate` (201), after checking `settings` against the rules and
    /// `catalogue` (from [`Client::key_algorithms`]).
    ///
    /// # Errors
    /// [`Error::Invalid`] before sending; a 422's `ApiResult` as [`Error::Api`].
    pub async fn generate(&self, settings: &NewKeyPairSettings, catalogue: &KeyAlgorithms) -> Result<KeyPairView, Error> {
        first_invalid(rules::check_new_key_pair(settings, catalogue))?;
        self.conn.send_json(self.request("POST", "/keyPairs/signing/generate", Some(settings))?).await
    }

    /// `GET /keyPairs/signing` (not paginated).
    ///
    /// # Errors
    /// The shared [`Error`]s.
    pub async fn list(&self) -> Result<KeyPairViews, Error> {
        self.conn.send_json(self.request::<()>("GET", "/keyPairs/signing", None)?).await
    }

    /// `GET /keyPairs/signing/{id}`.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `id`; a 404 as [`Error::Api`].
    pub async fn get(&self, id: &str) -> Result<KeyPairView, Error> {
        self.conn.send_json(self.request::<()>("GET", &Self::key_pair_path(id, "")?, None)?).await
    }

    /// `DELETE /keyPairs/signing/{id}` (204).
    ///
    /// # Errors
    /// [`Error::Invalid`] on `id`; 404 / 422 (in use) as [`Error::Api`].
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.conn.send(self.request::<()>("DELETE", &Self::key_pair_path(id, "")?, None)?).await?;
        Ok(())
    }

    /// `GET /keyPairs/signing/{id}/certificate`: the PEM certificate.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `id`; [`Error::Decode`] when the answer is not text.
    pub async fn certificate(&self, id: &str) -> Result<String, Error> {
        let resp = self.conn.send(self.request::<()>("GET", &Self::key_pair_path(id, "/certificate")?, None)?).await?;
        text_body(&resp.body)
    }

    /// [`Client::get`] and [`Client::certificate`], then the fingerprints PingFederate reports
    /// are compared with the certificate's ([`workflow::check_fingerprints`]).
    ///
    /// # Errors
    /// [`Error::Invalid`] on `sha1Fingerprint` / `sha256Fingerprint` on a mismatch.
    pub async fn get_verified(&self, id: &str) -> Result<(KeyPairView, String), Error> {
        let view = self.get(id).await?;
        let pem = self.certificate(id).await?;
        workflow::check_fingerprints(&view, pem.as_bytes())?;
        Ok((view, pem))
    }

    /// `GET /keyPairs/signing/{id}/rotationSettings`.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `id`; a 404 as [`Error::Api`].
    pub async fn rotation_settings(&self, id: &str) -> Result<KeyPairRotationSettings, Error> {
        self.conn.send_json(self.request::<()>("GET", &Self::key_pair_path(id, "/rotationSettings")?, None)?).await
    }

    /// `PUT /keyPairs/signing/{id}/rotationSettings`, after checking `settings` against the key
    /// pair it rotates (`original`, for the SHA-1 rule) and `catalogue`.
    ///
    /// # Errors
    /// [`Error::Invalid`] before sending; 400 / 404 / 422 as [`Error::Api`].
    pub async fn put_rotation_settings(
        &self,
        id: &str,
        settings: &KeyPairRotationSettings,
        original: &KeyPairView,
        catalogue: &KeyAlgorithms,
    ) -> Result<KeyPairRotationSettings, Error> {
        let path = Self::key_pair_path(id, "/rotationSettings")?;
        first_invalid(rules::check_rotation_settings(
            settings,
            original.key_algorithm.as_deref(),
            original.signature_algorithm.as_deref(),
            catalogue,
        ))?;
        self.conn.send_json(self.request("PUT", &path, Some(settings))?).await
    }

    /// `DELETE /keyPairs/signing/{id}/rotationSettings` (204).
    ///
    /// # Errors
    /// [`Error::Invalid`] on `id`; a 404 as [`Error::Api`].
    pub async fn delete_rotation_settings(&self, id: &str) -> Result<(), Error> {
        self.conn.send(self.request::<()>("DELETE", &Self::key_pair_path(id, "/rotationSettings")?, None)?).await?;
        Ok(())
    }

    async fn export(&self, id: &str, tail: &str, password: &Secret) -> Result<ExportedKeyPair, Error> {
        let path = Self::key_pair_path(id, tail)?;
        if password.expose().is_empty() {
            return Err(Error::invalid("password", "required: the exported key is protected with it"));
        }
        let body = KeyPairExportSettings { password: password.clone() };
        let resp = self.conn.send(self.request("POST", &path, Some(&body))?).await?;
        Ok(ExportedKeyPair { bytes: zeroize::Zeroizing::new(resp.body) })
    }

    /// `POST /keyPairs/signing/{id}/pem` `{password}`: the key pair as PEM, the key encrypted
    /// (PBES2/AES) with `password`. Only on an explicit user action.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `id` or an empty `password`; 403 / 404 / 422 as [`Error::Api`].
    pub async fn export_pem(&self, id: &str, password: &Secret) -> Result<ExportedKeyPair, Error> {
        self.export(id, "/pem", password).await
    }

    /// `POST /keyPairs/signing/{id}/pkcs12` `{password}`: the key pair as PKCS#12. Only on an
    /// explicit user action.
    ///
    /// # Errors
    /// As [`Client::export_pem`].
    pub async fn export_pkcs12(&self, id: &str, password: &Secret) -> Result<ExportedKeyPair, Error> {
        self.export(id, "/pkcs12", password).await
    }

    /// `POST /keyPairs/signing/import` (201): **the only flow in the product where a private key
    /// is sent anywhere**. `file` holds the browser's key encrypted with its password (PKCS#12, or
    /// PEM from [`workflow::pem_key_pair_file`]). Refused unless
    /// `confirm_private_key_leaves_browser` is `true`, which the caller sets only after the user
    /// confirmed that this key goes to PingFederate.
    ///
    /// # Errors
    /// [`Error::Invalid`] on `confirmPrivateKeyLeavesBrowser`, `id`, `fileData` or `password`
    /// before sending; 400 / 403 / 422 as [`Error::Api`].
    pub async fn import_key_pair(&self, file: &KeyPairFile, confirm_private_key_leaves_browser: bool) -> Result<KeyPairView, Error> {
        if !confirm_private_key_leaves_browser {
            return Err(Error::invalid(
                "confirmPrivateKeyLeavesBrowser",
                "the user must confirm that this private key is sent to PingFederate",
            ));
        }
        if let Some(id) = &file.id {
            first_invalid(rules::check_id("id", id))?;
        }
        if file.file_data.trim().is_empty() {
            return Err(Error::invalid("fileData", "required"));
        }
        if file.password.expose().is_empty() {
            return Err(Error::invalid("password", "required: the key must be sent encrypted"));
        }
        self.conn.send_json(self.request("POST", "/keyPairs/signing/import", Some(file))?).await
    }

    /// `GET /keyPairs/signing/{id}/csr`: PingFederate's CSR for the key it keeps, as DER (its
    /// self-signature checked).
    ///
    /// # Errors
    /// [`Error::Invalid`] on `id`; [`Error::Decode`] when no valid CSR came back.
    pub async fn csr(&self, id: &str) -> Result<Vec<u8>, Error> {
        let resp = self.conn.send(self.request::<()>("GET", &Self::key_pair_path(id, "/csr")?, None)?).await?;
        workflow::parse_csr(&resp.body)
    }

    /// `POST /keyPairs/signing/{id}/csr`: imports the CA's answer to the key pair's CSR
    /// (`csr_der`, from [`Client::csr`]). `response` is the certificate, several, or a PKCS#7
    /// chain (PEM or DER); it is sent only when one of its certificates holds the CSR's public
    /// key ([`workflow::csr_response`]).
    ///
    /// # Errors
    /// [`Error::Invalid`] on `fileData` before sending; 400 / 404 / 422 as [`Error::Api`].
    pub async fn import_csr_response(&self, id: &str, csr_der: &[u8], response: &[u8]) -> Result<KeyPairView, Error> {
        let path = Self::key_pair_path(id, "/csr")?;
        let body: CsrResponse = workflow::csr_response(csr_der, response)?;
        self.conn.send_json(self.request("POST", &path, Some(&body))?).await
    }
}
