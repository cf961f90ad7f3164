//! Wire models of the mTLS Edge Truststore API v2 (`docs/vendors/akamai.md`).
//!
//! The shapes follow Akamai's own SDK test fixtures (`tests/data/vendors/akamai/sdk/`, from
//! `akamai/AkamaiOPEN-edgegrid-golang` `pkg/mtlstruststore/*_test.go`): every fixture decodes and
//! re-encodes without losing a field or a value (`tests/akamai_sdk_fixtures.rs`). Lists Akamai
//! may send as `null` (associations) are `Option<Vec<_>>`, so a `null` stays a `null`.
//!
//! Field names are Akamai's (camelCase). Read-only and nullable fields are `Option` or defaulted,
//! so a response that leaves them out still decodes. Status enums keep an `Unknown` variant for
//! values Akamai may add later. Request bodies for versions reuse
//! [`VersionBody`](super::validate::VersionBody) from local validation, so what is validated
//! locally is exactly what is sent.

use serde::{Deserialize, Deserializer, Serialize};

/// `caSetId`: the seed types it as an integer, the v2 Go client as a string; both decode to the
/// decimal text.
fn id_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    Ok(match Id::deserialize(d)? {
        Id::Text(s) => s,
        Id::Number(n) => n.to_string(),
    })
}

/// A network a CA-set version is activated on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Network {
    /// `STAGING`.
    Staging,
    /// `PRODUCTION`.
    Production,
}

/// `activationStatus` of an activation or deactivation (also the delete status).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActivationStatus {
    /// Still running: poll again after `Retry-After`.
    InProgress,
    /// Finished successfully.
    Complete,
    /// Finished unsuccessfully; see `failureReason`.
    Failed,
    /// A value this client does not know.
    #[default]
    #[serde(other)]
    Unknown,
}

impl ActivationStatus {
    /// `COMPLETE` or `FAILED`.
    pub fn is_final(self) -> bool {
        matches!(self, ActivationStatus::Complete | ActivationStatus::Failed)
    }
}

/// `activationType`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActivationType {
    /// `ACTIVATE`.
    Activate,
    /// `DEACTIVATE`.
    Deactivate,
    /// A value this client does not know.
    #[default]
    #[serde(other)]
    Unknown,
}

/// `caSetStatus` of a CA set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CaSetStatus {
    /// `NOT_DELETED`.
    NotDeleted,
    /// `DELETING`.
    Deleting,
    /// `DELETED` (read-only until `removalDate`).
    Deleted,
    /// A value this client does not know.
    #[default]
    #[serde(other)]
    Unknown,
}

/// `stagingStatus` / `productionStatus` of a version.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VersionNetworkStatus {
    /// `ACTIVE`.
    Active,
    /// `INACTIVE`.
    Inactive,
    /// `PENDING`: what Akamai reports on both networks in the answer to creating (or cloning) a
    /// version.
    Pending,
    /// A value this client does not know.
    #[default]
    #[serde(other)]
    Unknown,
}

/// A problem-details object (the shared layer's type): an error body, or one item of a
/// `validation` list.
pub use crate::vendors::error::Problem;

/// The `validation` object of a version, an activation or a dry-run validation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Validation {
    /// Must be fixed (expired or malformed certificates, ...).
    pub errors: Vec<Problem>,
    /// Can be fixed (duplicated certificates, ...).
    pub warnings: Vec<Problem>,
    /// Informational.
    pub notices: Vec<Problem>,
}

/// A CA set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaSet {
    /// The account that owns the set.
    #[serde(default)]
    pub account_id: Option<String>,
    /// Identifies the set (a decimal string; integers are accepted too).
    #[serde(deserialize_with = "id_string")]
    pub ca_set_id: String,
    /// Hypermedia link to the set.
    #[serde(default)]
    pub ca_set_link: Option<String>,
    /// The set's name (immutable).
    pub ca_set_name: String,
    /// `NOT_DELETED`, `DELETING` or `DELETED`.
    #[serde(default)]
    pub ca_set_status: CaSetStatus,
    /// Optional description.
    #[serde(default)]
    pub description: Option<String>,
    /// The newest version number.
    #[serde(default)]
    pub latest_version: Option<u32>,
    /// Link to the newest version.
    #[serde(default)]
    pub latest_version_link: Option<String>,
    /// The version active on staging.
    #[serde(default)]
    pub staging_version: Option<u32>,
    /// Link to the version active on staging.
    #[serde(default)]
    pub staging_version_link: Option<String>,
    /// The version active on production.
    #[serde(default)]
    pub production_version: Option<u32>,
    /// Link to the version active on production.
    #[serde(default)]
    pub production_version_link: Option<String>,
    /// Link to the set's versions.
    #[serde(default)]
    pub versions_link: Option<String>,
    /// When the set was created.
    #[serde(default)]
    pub created_date: Option<String>,
    /// Who created the set.
    #[serde(default)]
    pub created_by: Option<String>,
    /// When the set was deleted.
    #[serde(default)]
    pub deleted_date: Option<String>,
    /// Who deleted the set.
    #[serde(default)]
    pub deleted_by: Option<String>,
    /// When a deleted set disappears for good.
    #[serde(default)]
    pub removal_date: Option<String>,
}

/// Body of "create a CA set" and "clone a CA set".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateCaSet {
    /// 3–64 characters of `[%.a-zA-Z0-9_-]`, unique in the account.
    pub ca_set_name: String,
    /// Optional description (1–255 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `GET /ca-sets` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListCaSetsResponse {
    /// The sets (not paginated).
    pub ca_sets: Vec<CaSet>,
}

/// One certificate of a version, as returned.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Certificate {
    /// The certificate in PEM.
    pub certificate_pem: String,
    /// Optional description.
    #[serde(default)]
    pub description: Option<String>,
    /// Who added it.
    #[serde(default)]
    pub created_by: Option<String>,
    /// When it was added.
    #[serde(default)]
    pub created_date: Option<String>,
    /// notBefore (ISO 8601).
    #[serde(default)]
    pub start_date: Option<String>,
    /// notAfter (ISO 8601).
    #[serde(default)]
    pub end_date: Option<String>,
    /// SHA-256 of the DER, 64 lower-case hex digits.
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// Issuer DN.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Subject DN (empty for an empty subject).
    #[serde(default)]
    pub subject: Option<String>,
    /// Serial number.
    #[serde(default)]
    pub serial_number: Option<String>,
    /// e.g. `SHA256WITHRSA`.
    #[serde(default)]
    pub signature_algorithm: Option<String>,
}

/// A CA-set version.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaSetVersion {
    /// The set this version belongs to.
    #[serde(default, deserialize_with = "opt_id_string")]
    pub ca_set_id: Option<String>,
    /// The set's name.
    #[serde(default)]
    pub ca_set_name: Option<String>,
    /// The version number (1, 2, ...).
    pub version: u32,
    /// Hypermedia link to the version.
    #[serde(default)]
    pub version_link: Option<String>,
    /// Optional description.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether SHA-1 signatures are accepted.
    #[serde(default)]
    pub allow_insecure_sha1: Option<bool>,
    /// `ACTIVE`, `INACTIVE` or `PENDING` on staging.
    #[serde(default)]
    pub staging_status: Option<VersionNetworkStatus>,
    /// `ACTIVE`, `INACTIVE` or `PENDING` on production.
    #[serde(default)]
    pub production_status: Option<VersionNetworkStatus>,
    /// When the version was created.
    #[serde(default)]
    pub created_date: Option<String>,
    /// Who created it.
    #[serde(default)]
    pub created_by: Option<String>,
    /// When it was last modified.
    #[serde(default)]
    pub modified_date: Option<String>,
    /// Who last modified it.
    #[serde(default)]
    pub modified_by: Option<String>,
    /// The certificates (empty when listed without `includeCertificates`).
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    /// Validation results.
    #[serde(default)]
    pub validation: Option<Validation>,
    /// When a deleted version disappears for good.
    #[serde(default)]
    pub removal_date: Option<String>,
    /// `NOT_DELETED` or `DELETED`.
    #[serde(default)]
    pub ca_set_version_status: Option<String>,
}

fn opt_id_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct Wrap(#[serde(deserialize_with = "id_string")] String);
    Ok(Option::<Wrap>::deserialize(d)?.map(|Wrap(s)| s))
}

/// `GET /ca-sets/{id}/versions` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListVersionsResponse {
    /// The versions (not paginated).
    pub versions: Vec<CaSetVersion>,
}

/// An activation or deactivation of a version on one network.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activation {
    /// Identifies the activation.
    pub activation_id: u64,
    /// Hypermedia link to the activation.
    #[serde(default)]
    pub activation_link: Option<String>,
    /// The set.
    #[serde(default, deserialize_with = "opt_id_string")]
    pub ca_set_id: Option<String>,
    /// The set's name.
    #[serde(default)]
    pub ca_set_name: Option<String>,
    /// Link to the set.
    #[serde(default)]
    pub ca_set_link: Option<String>,
    /// The version.
    #[serde(default)]
    pub version: Option<u32>,
    /// Link to the version.
    #[serde(default)]
    pub version_link: Option<String>,
    /// `STAGING` or `PRODUCTION`.
    #[serde(default)]
    pub network: Option<Network>,
    /// `ACTIVATE` or `DEACTIVATE`.
    #[serde(default)]
    pub activation_type: ActivationType,
    /// `IN_PROGRESS`, `COMPLETE` or `FAILED`.
    #[serde(default)]
    pub activation_status: ActivationStatus,
    /// Progress, 0–100.
    #[serde(default)]
    pub percent_complete: Option<u32>,
    /// Why it failed.
    #[serde(default)]
    pub failure_reason: Option<String>,
    /// Who started it.
    #[serde(default)]
    pub created_by: Option<String>,
    /// When it started.
    #[serde(default)]
    pub created_date: Option<String>,
    /// Who last changed it.
    #[serde(default)]
    pub modified_by: Option<String>,
    /// When it last changed.
    #[serde(default)]
    pub modified_date: Option<String>,
    /// Re-validation results.
    #[serde(default)]
    pub validation: Option<Validation>,
}

/// Body of activate / deactivate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkBody {
    /// The network.
    pub network: Network,
}

/// `GET .../activations` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListActivationsResponse {
    /// The activations and deactivations.
    pub activations: Vec<Activation>,
}

/// Per-network progress of a CA-set deletion.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Deletion {
    /// The network.
    pub network: Option<Network>,
    /// Progress, 0–100.
    pub percent_complete: Option<u32>,
    /// `IN_PROGRESS`, `COMPLETE` or `FAILED`.
    pub status: ActivationStatus,
    /// Why it failed.
    pub failure_reason: Option<String>,
}

/// `GET /ca-sets/{id}/status/delete` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeleteStatus {
    /// `IN_PROGRESS`, `COMPLETE` or `FAILED`.
    pub status: ActivationStatus,
    /// Link to this status.
    pub status_link: Option<String>,
    /// Link to the set.
    pub ca_set_link: Option<String>,
    /// `delete`.
    pub resource_method: Option<String>,
    /// The set.
    #[serde(deserialize_with = "opt_id_string")]
    pub ca_set_id: Option<String>,
    /// The set's name.
    pub ca_set_name: Option<String>,
    /// When the deletion started.
    pub start_time: Option<String>,
    /// When it is expected to end.
    pub estimated_end_time: Option<String>,
    /// When it ended.
    pub end_time: Option<String>,
    /// Why it failed.
    pub failure_reason: Option<String>,
    /// Per-network progress.
    pub deletions: Vec<Deletion>,
    /// When the set disappears for good.
    pub removal_date: Option<String>,
}

/// One entry of a CA set's activity log.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Activity {
    /// `CREATE_CA_SET`, `CREATE_CA_SET_VERSION`, `ACTIVATE_CA_SET_VERSION`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// The network, for activations.
    pub network: Option<Network>,
    /// The version, when one is concerned.
    pub version: Option<u32>,
    /// When it happened.
    pub activity_date: Option<String>,
    /// Who did it.
    pub activity_by: Option<String>,
}

/// `GET /ca-sets/{id}/activities` response: the log and the set's own facts (fields other
/// than `activities` are optional).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListActivitiesResponse {
    /// The log, as returned (newest first at Akamai).
    pub activities: Vec<Activity>,
    /// The set.
    #[serde(deserialize_with = "opt_id_string")]
    pub ca_set_id: Option<String>,
    /// Link to the set.
    pub ca_set_link: Option<String>,
    /// The set's name.
    pub ca_set_name: Option<String>,
    /// `NOT_DELETED`, `DELETING` or `DELETED`.
    pub ca_set_status: Option<CaSetStatus>,
    /// Who created the set.
    pub created_by: Option<String>,
    /// When the set was created.
    pub created_date: Option<String>,
    /// Who deleted the set.
    pub deleted_by: Option<String>,
    /// When the set was deleted.
    pub deleted_date: Option<String>,
}

/// `POST /certificates/validate` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ValidateCertificatesResponse {
    /// Echo of the request flag.
    pub allow_insecure_sha1: Option<bool>,
    /// The certificates, parsed by Akamai (no ids).
    pub certificates: Vec<Certificate>,
    /// Validation results.
    pub validation: Option<Validation>,
}

/// A property hostname the CA set is attached to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AssociatedHostname {
    /// The hostname.
    pub host_name: Option<String>,
    /// `STAGING` or `PRODUCTION`.
    pub network: Option<Network>,
    /// `ATTACHING`, `DETACHING` or `ATTACHED`.
    pub status: Option<String>,
}

/// A property that uses the CA set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AssociatedProperty {
    /// Property id.
    pub property_id: Option<String>,
    /// Property name.
    pub property_name: Option<String>,
    /// Link to the property.
    pub property_link: Option<String>,
    /// The property's asset id (absent for a property the caller cannot navigate to).
    pub asset_id: Option<i64>,
    /// The property's group id (absent likewise).
    pub group_id: Option<i64>,
    /// Its hostnames using the set.
    pub hostnames: Vec<AssociatedHostname>,
}

/// A CPS enrollment that uses the CA set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AssociatedEnrollment {
    /// Enrollment id.
    pub enrollment_id: Option<u64>,
    /// Link to the enrollment.
    pub enrollment_link: Option<String>,
    /// The certificate slots on staging that use the set.
    pub staging_slots: Option<Vec<i64>>,
    /// The certificate slots on production that use the set.
    pub production_slots: Option<Vec<i64>>,
    /// The enrollment's common name.
    pub cn: Option<String>,
}

/// `associations` of `GET /ca-sets/{id}/associations`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Associations {
    /// Properties using the set (`null` when not asked for, or none).
    pub properties: Option<Vec<AssociatedProperty>>,
    /// Enrollments using the set (`null` when not asked for, or none).
    pub enrollments: Option<Vec<AssociatedEnrollment>>,
}

impl Associations {
    /// The properties, `null` read as none.
    pub fn properties(&self) -> &[AssociatedProperty] {
        self.properties.as_deref().unwrap_or_default()
    }

    /// The enrollments, `null` read as none.
    pub fn enrollments(&self) -> &[AssociatedEnrollment] {
        self.enrollments.as_deref().unwrap_or_default()
    }

    /// Whether nothing uses the set.
    pub fn is_empty(&self) -> bool {
        self.properties().is_empty() && self.enrollments().is_empty()
    }
}

/// `GET /ca-sets/{id}/associations` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AssociationsResponse {
    /// What uses the set.
    pub associations: Associations,
}

/// `GET /ca-sets/{id}/versions/{v}/certificates` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListCertificatesResponse {
    /// The set.
    #[serde(deserialize_with = "opt_id_string")]
    pub ca_set_id: Option<String>,
    /// The set's name.
    pub ca_set_name: Option<String>,
    /// The version.
    pub version: Option<u32>,
    /// The certificates that match the filter.
    pub certificates: Vec<Certificate>,
}
