//! The wire models of OpenAI's certificate endpoints, exact to the OpenAPI document
//! (`tests/data/vendors/openai/certificates.openapi.json`): names, types, nullability and the
//! `object` values. Where the document and prose disagree, the document wins (`name` is
//! nullable, upload answers 200 with a `certificate` object, `certificate_ids` has 1 to 10 items).
//!
//! One [`Certificate`] type serves the document's `Certificate`, `OrganizationCertificate` and
//! `OrganizationProjectCertificate` schemas: they differ only in the `object` value and in
//! whether `active` is present (list and activation answers carry it, get / upload / modify do
//! not), which [`Certificate::object`] and [`Certificate::active`] tell.

use serde::{Deserialize, Serialize};

/// The `object` value of a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CertificateObject {
    /// Upload, get and modify answers.
    #[serde(rename = "certificate")]
    Certificate,
    /// Organization listings and activation answers.
    #[serde(rename = "organization.certificate")]
    OrganizationCertificate,
    /// Project listings and activation answers.
    #[serde(rename = "organization.project.certificate")]
    OrganizationProjectCertificate,
}

/// `certificate_details`: validity in Unix seconds and, with `include[]=content`, the PEM.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateDetails {
    /// When the certificate becomes valid (notBefore), Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_at: Option<i64>,
    /// When the certificate expires (notAfter), Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// The certificate in PEM, only when asked for with `include[]=content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

/// A certificate (`Certificate`, `OrganizationCertificate`, `OrganizationProjectCertificate`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// The object type.
    pub object: CertificateObject,
    /// `cert_...`.
    pub id: String,
    /// The name; `null` when none was given.
    pub name: Option<String>,
    /// When it was uploaded, Unix seconds.
    pub created_at: i64,
    /// Validity and, when asked for, content.
    pub certificate_details: CertificateDetails,
    /// Whether it is active at the listed scope (organization or project); absent on get,
    /// upload and modify answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// The `object` value of a list: always `list`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListObject {
    /// `list`.
    #[default]
    #[serde(rename = "list")]
    List,
}

/// `ListCertificatesResponse` / `ListProjectCertificatesResponse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateList {
    /// Always `list`.
    pub object: ListObject,
    /// The certificates of this page.
    pub data: Vec<Certificate>,
    /// The first id of the page (`null` on an empty page).
    pub first_id: Option<String>,
    /// The last id of the page: the `after` cursor of the next page.
    pub last_id: Option<String>,
    /// Whether another page follows.
    pub has_more: bool,
}

/// The `object` value of a delete answer: `certificate.deleted`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeletedObject {
    /// `certificate.deleted`.
    #[default]
    #[serde(rename = "certificate.deleted")]
    CertificateDeleted,
}

/// `DeleteCertificateResponse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateDeleted {
    /// Always `certificate.deleted`.
    pub object: DeletedObject,
    /// The id that was deleted.
    pub id: String,
}

/// The `object` value of an activation or deactivation answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActivationObject {
    /// `organization.certificate.activation`.
    #[serde(rename = "organization.certificate.activation")]
    OrganizationActivation,
    /// `organization.certificate.deactivation`.
    #[serde(rename = "organization.certificate.deactivation")]
    OrganizationDeactivation,
    /// `organization.project.certificate.activation`.
    #[serde(rename = "organization.project.certificate.activation")]
    ProjectActivation,
    /// `organization.project.certificate.deactivation`.
    #[serde(rename = "organization.project.certificate.deactivation")]
    ProjectDeactivation,
}

impl ActivationObject {
    /// The answer's object for activating (`true`) or deactivating at organization or project
    /// scope.
    pub fn of(activate: bool, project: bool) -> ActivationObject {
        match (activate, project) {
            (true, false) => ActivationObject::OrganizationActivation,
            (false, false) => ActivationObject::OrganizationDeactivation,
            (true, true) => ActivationObject::ProjectActivation,
            (false, true) => ActivationObject::ProjectDeactivation,
        }
    }
}

/// `OrganizationCertificateActivationResponse` and its three siblings: the certificates of the
/// call with their new `active` state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationResponse {
    /// Which of the four answers this is.
    pub object: ActivationObject,
    /// The certificates of the call.
    pub data: Vec<Certificate>,
}

/// `UploadCertificateRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadCertificate {
    /// The certificate, PEM.
    pub certificate: String,
    /// An optional name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `ModifyCertificateRequest`: only the name can change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifyCertificate {
    /// The new name.
    pub name: String,
}

/// `ToggleCertificatesRequest`: 1 to 10 ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToggleCertificates {
    /// The certificates to activate or deactivate.
    pub certificate_ids: Vec<String>,
}
