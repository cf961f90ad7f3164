//! The JSON bodies of PingFederate's signing key pair endpoints, named and typed exactly as
//! PingFederate's OpenAPI document (12.1, `tests/data/vendors/pingfederate/`) has them.
//! Optional properties are `Option` and left out when `None`.

use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::vendors::error::{PingApiResult as ApiResult, PingValidationError as ValidationError};
use crate::vendors::redact::Secret;

/// `KeyPairView`: a key pair's details.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyPairView {
    /// The persistent, unique ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The serial number assigned by the CA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// The subject's distinguished name.
    #[serde(rename = "subjectDN", skip_serializing_if = "Option::is_none")]
    pub subject_dn: Option<String>,
    /// The subject alternative names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_alternative_names: Option<Vec<String>>,
    /// The issuer's distinguished name.
    #[serde(rename = "issuerDN", skip_serializing_if = "Option::is_none")]
    pub issuer_dn: Option<String>,
    /// Start of validity, ISO 8601 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// End of validity, ISO 8601 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The public key algorithm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_algorithm: Option<String>,
    /// The public key size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_size: Option<i64>,
    /// The signature algorithm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_algorithm: Option<String>,
    /// The X.509 version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// SHA-1 fingerprint in hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha1_fingerprint: Option<String>,
    /// SHA-256 fingerprint in hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256_fingerprint: Option<String>,
    /// `VALID`, `EXPIRED`, `NOT_YET_VALID`, `REVOKED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<CertificateValidity>,
    /// `LOCAL` or `HSM` (hybrid HSM mode only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crypto_provider: Option<CryptoProvider>,
    /// Rotation settings (self-signed signing key pairs only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_settings: Option<KeyPairRotationSettings>,
}

/// `KeyPairViews`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPairViews {
    /// The key pairs.
    #[serde(default)]
    pub items: Vec<KeyPairView>,
}

/// `CertificateValidity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CertificateValidity {
    /// Valid now.
    Valid,
    /// Expired.
    Expired,
    /// Not yet valid.
    NotYetValid,
    /// Revoked.
    Revoked,
}

/// `CryptoProvider`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CryptoProvider {
    /// Local key store.
    Local,
    /// Hardware security module.
    Hsm,
}

/// `NewKeyPairSettings`: what `POST /keyPairs/signing/generate` takes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewKeyPairSettings {
    /// `[a-z0-9._-]`; system-assigned when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Required.
    pub common_name: String,
    /// The subject alternative names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_alternative_names: Option<Vec<String>>,
    /// Required.
    pub organization: String,
    /// Organization unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_unit: Option<String>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Required.
    pub country: String,
    /// Required: days the key pair is valid for.
    pub valid_days: i64,
    /// Required: a name from the catalogue (`RSA`, `EC`).
    pub key_algorithm: String,
    /// Bits; the algorithm's default when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_size: Option<i64>,
    /// The algorithm's default when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_algorithm: Option<String>,
    /// Hybrid HSM mode only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crypto_provider: Option<CryptoProvider>,
}

/// `KeyAlgorithm`: one entry of the catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyAlgorithm {
    /// `RSA`, `EC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Offered key sizes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_sizes: Vec<i64>,
    /// The default size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_key_size: Option<i64>,
    /// Offered signature algorithms (`SHA256withRSA`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signature_algorithms: Vec<String>,
    /// The default signature algorithm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_signature_algorithm: Option<String>,
}

/// `KeyAlgorithms`: the catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyAlgorithms {
    /// The algorithms.
    #[serde(default)]
    pub items: Vec<KeyAlgorithm>,
}

/// `KeyPairRotationSettings`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyPairRotationSettings {
    /// Set by PingFederate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Required: days before expiry when the new key pair is made.
    pub creation_buffer_days: i64,
    /// Required: days before expiry when the new key pair is activated.
    pub activation_buffer_days: i64,
    /// The original's when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_days: Option<i64>,
    /// The original's when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_algorithm: Option<String>,
    /// The original's when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_size: Option<i64>,
    /// Required when the original used SHA-1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_algorithm: Option<String>,
}

/// `KeyPairFile.format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyPairFileFormat {
    /// A PKCS#12 file (base64 in `fileData`).
    #[serde(rename = "PKCS12")]
    Pkcs12,
    /// A PEM file with an encrypted private key.
    #[serde(rename = "PEM")]
    Pem,
}

/// `KeyPairFile`: what `POST /keyPairs/signing/import` takes. It holds an (encrypted) private key
/// and its password, so its `Debug` shows neither.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyPairFile {
    /// `[a-z0-9._-]`; system-assigned when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Required: base64 of the PKCS#12 or PEM file.
    pub file_data: String,
    /// Auto-detected when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<KeyPairFileFormat>,
    /// Required: the file's password.
    #[serde(with = "secret_string")]
    pub password: Secret,
    /// Bulk operations only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encrypted_password: Option<String>,
    /// Hybrid HSM mode only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crypto_provider: Option<CryptoProvider>,
}

impl fmt::Debug for KeyPairFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPairFile")
            .field("id", &self.id)
            .field("file_data", &format_args!("<{} base64 chars, redacted>", self.file_data.len()))
            .field("format", &self.format)
            .field("password", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// `KeyPairExportSettings`: the password an export is protected with.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeyPairExportSettings {
    /// Required.
    #[serde(with = "secret_string")]
    pub password: Secret,
}

/// `CSRResponse`: the signed answer to a CSR (certificate or PKCS#7 chain), base64 or PEM.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsrResponse {
    /// Required.
    pub file_data: String,
}

mod secret_string {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::vendors::redact::Secret;

    pub fn serialize<S: Serializer>(s: &Secret, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(s.expose())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Secret, D::Error> {
        String::deserialize(de).map(Secret::new)
    }
}
