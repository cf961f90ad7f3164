//! MATTR VII DTS certificate models, field for field as MATTR's API reference shows them
//! (`docs/vendors/mattr.md`). Optional fields are `Option` so a sparse answer still decodes;
//! unknown fields are ignored.

use serde::{Deserialize, Serialize};

pub use crate::vendors::error::{MattrDetail, MattrError};

/// `certificateData` of a DTS certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CertificateData {
    /// CN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common_name: Option<String>,
    /// C, ISO 3166-1 alpha-2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// O.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation_name: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
}

/// A DTS root CA certificate (`DtsCaCertificate`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DtsCaCertificate {
    /// UUID.
    pub id: String,
    /// Only an active root signs intermediates.
    pub active: bool,
    /// The certificate, PEM.
    pub certificate_pem: String,
    /// SHA-256 of the certificate's DER, 64 lowercase hex digits without separators.
    pub certificate_fingerprint: String,
    /// What the certificate says.
    #[serde(default)]
    pub certificate_data: CertificateData,
    /// `true`: MATTR holds the key; `false`: an uploaded (external) root.
    #[serde(default)]
    pub is_managed: bool,
}

/// A list page: `{data, nextCursor}`; the last page has no `nextCursor`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListPage<T> {
    /// The items.
    pub data: Vec<T>,
    /// The cursor of the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Body of a managed root's creation: only `organisationName` is required.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateManagedRootCa {
    /// O (required).
    pub organisation_name: String,
    /// CN: a non-empty PrintableString (default: custom domain + " DTS CA", or the tenant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_name: Option<String>,
    /// C: ISO 3166-1 alpha-2 (default: from the region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// RFC 3339; not in the past, before `notAfter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// RFC 3339; at most 20 years after creation (default `notBefore` + 20 years).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
}

/// Body of an unmanaged (external) root's upload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadRootCa {
    /// The root, PEM.
    pub certificate_pem: String,
}

/// Body of `PUT /v1/ecosystems/certificates/ca/{id}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateRootCa {
    /// Active or not.
    pub active: bool,
}

/// One entry of the public list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PublicRootCertificate {
    /// PEM.
    pub certificate: String,
    /// RFC 3339.
    pub not_before: Option<String>,
    /// RFC 3339.
    pub not_after: Option<String>,
    /// SHA-256, 64 lowercase hex.
    pub fingerprint: String,
    /// CN.
    pub common_name: Option<String>,
}

/// `GET /v1/ecosystems/public/certificates/ca`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PublicRootCas {
    /// The tenant's roots.
    pub root_certificates: Vec<PublicRootCertificate>,
}

/// Body of `POST /v1/ecosystems/certificates/vical-signers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateVicalSigner {
    /// The (unmanaged) root that will sign it.
    pub ca_id: String,
}

/// A VICAL signer: just requested (`csrPem`, inactive) or with its signed certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VicalSigner {
    /// UUID.
    pub id: String,
    /// The root it is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_id: Option<String>,
    /// Active once its certificate is uploaded.
    pub active: bool,
    /// The CSR MATTR made (its key stays at MATTR), PEM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csr_pem: Option<String>,
    /// The signed certificate, PEM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_pem: Option<String>,
    /// SHA-256 of the certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_fingerprint: Option<String>,
    /// What the certificate says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_data: Option<CertificateData>,
}

/// Body of the signed VICAL signer certificate's upload (`PUT …/vical-signers/{id}`; the
/// method and path are inferred, see `docs/vendors/mattr.md`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadVicalSignerCertificate {
    /// The certificate signed by the root, PEM.
    pub certificate_pem: String,
}
