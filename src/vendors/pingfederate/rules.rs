//! What is checked before a request is sent, and where PingFederate's `validationErrors` go.
//!
//! Every check returns all findings as [`FieldError`]s named by the body's JSON property
//! (`commonName`, `keySize`, ...), so a form can mark every field at once; the client refuses
//! with the first as [`Error::Invalid`].
//!
//! - `NewKeyPairSettings` ([`check_new_key_pair`]): `id` of `[a-z0-9._-]`; `commonName`,
//!   `organization`, `country`, `keyAlgorithm` and `validDays` (≥ 1) required; `keyAlgorithm`,
//!   `keySize` and `signatureAlgorithm` must be offered by the catalogue.
//! - `KeyPairRotationSettings` ([`check_rotation_settings`]): `creationBufferDays` and
//!   `activationBufferDays` ≥ 0; `signatureAlgorithm` required when the original key pair used
//!   SHA-1; what is set must be offered by the catalogue.
//! - [`api_field_errors`]: an `ApiResult`'s `validationErrors` by `fieldPath` (form-level ones
//!   under `""`).

use super::models::{KeyAlgorithm, KeyAlgorithms, KeyPairRotationSettings, NewKeyPairSettings};
pub use crate::pki::FieldError;
use crate::vendors::error::Error;

fn err(field: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// Turns findings into the client's error: the first, with a count of the others.
///
/// # Errors
/// [`Error::Invalid`] when there is a finding.
pub fn first_invalid(findings: Vec<FieldError>) -> Result<(), Error> {
    match findings.as_slice() {
        [] => Ok(()),
        [one] => Err(Error::invalid(&one.field, one.message.clone())),
        [first, rest @ ..] => Err(Error::invalid(&first.field, format!("{} (and {} more problem(s))", first.message, rest.len()))),
    }
}

/// Checks a key pair id: not empty, only `[a-z0-9._-]`.
pub fn check_id(field: &str, id: &str) -> Vec<FieldError> {
    if id.is_empty() {
        return vec![err(field, "must not be empty")];
    }
    match id.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(*c))) {
        Some(c) => vec![err(field, format!("may only hold a-z, 0-9, `.`, `_` and `-` (found `{}`)", c.escape_default()))],
        None => Vec::new(),
    }
}

/// The catalogue entry named `name` (exact, as PingFederate lists it).
pub fn find_algorithm<'a>(catalogue: &'a KeyAlgorithms, name: &str) -> Option<&'a KeyAlgorithm> {
    catalogue.items.iter().find(|a| a.name.as_deref() == Some(name))
}

fn names(catalogue: &KeyAlgorithms) -> String {
    catalogue.items.iter().filter_map(|a| a.name.as_deref()).collect::<Vec<_>>().join(", ")
}

/// `keyAlgorithm` / `keySize` / `signatureAlgorithm` against the catalogue.
fn check_offered(
    catalogue: &KeyAlgorithms,
    key_algorithm: &str,
    key_size: Option<i64>,
    signature_algorithm: Option<&str>,
    out: &mut Vec<FieldError>,
) {
    let Some(alg) = find_algorithm(catalogue, key_algorithm) else {
        out.push(err("keyAlgorithm", format!("`{key_algorithm}` is not offered (offered: {})", names(catalogue))));
        return;
    };
    if let Some(size) = key_size {
        if !alg.key_sizes.contains(&size) {
            out.push(err("keySize", format!("{size} is not offered for {key_algorithm} (offered: {:?})", alg.key_sizes)));
        }
    }
    if let Some(sig) = signature_algorithm {
        if !alg.signature_algorithms.iter().any(|s| s == sig) {
            out.push(err(
                "signatureAlgorithm",
                format!("`{sig}` is not offered for {key_algorithm} (offered: {})", alg.signature_algorithms.join(", ")),
            ));
        }
    }
}

/// Checks `NewKeyPairSettings` before `generate` (see the module docs).
pub fn check_new_key_pair(s: &NewKeyPairSettings, catalogue: &KeyAlgorithms) -> Vec<FieldError> {
    let mut out = Vec::new();
    if let Some(id) = &s.id {
        out.extend(check_id("id", id));
    }
    for (field, value) in
        [("commonName", &s.common_name), ("organization", &s.organization), ("country", &s.country), ("keyAlgorithm", &s.key_algorithm)]
    {
        if value.trim().is_empty() {
            out.push(err(field, "required"));
        }
    }
    let two_letters = s.country.len() == 2 && s.country.chars().all(|c| c.is_ascii_uppercase());
    if !s.country.is_empty() && !two_letters {
        out.push(err("country", format!("must be a two-letter ISO 3166 code such as `US` (it is `{}`)", s.country)));
    }
    if s.valid_days < 1 {
        out.push(err("validDays", format!("required, at least 1 (it is {})", s.valid_days)));
    }
    if !s.key_algorithm.trim().is_empty() {
        check_offered(catalogue, &s.key_algorithm, s.key_size, s.signature_algorithm.as_deref(), &mut out);
    }
    for (i, san) in s.subject_alternative_names.iter().flatten().enumerate() {
        if san.trim().is_empty() {
            out.push(err(&format!("subjectAlternativeNames[{i}]"), "must not be empty"));
        }
    }
    out
}

/// Whether a signature algorithm name is a SHA-1 one (`SHA1withRSA`, `sha1WithRSAEncryption`,
/// `ecdsa-with-SHA1`).
pub fn is_sha1(signature_algorithm: &str) -> bool {
    signature_algorithm.to_ascii_lowercase().replace('-', "").contains("sha1")
}

/// Checks rotation settings before `PUT`. `original_signature_algorithm` is the key pair's
/// (`KeyPairView.signatureAlgorithm`); `original_key_algorithm` the catalogue name the checks
/// fall back to when `keyAlgorithm` is unset.
pub fn check_rotation_settings(
    s: &KeyPairRotationSettings,
    original_key_algorithm: Option<&str>,
    original_signature_algorithm: Option<&str>,
    catalogue: &KeyAlgorithms,
) -> Vec<FieldError> {
    let mut out = Vec::new();
    if s.creation_buffer_days < 0 {
        out.push(err("creationBufferDays", format!("must be 0 or more (it is {})", s.creation_buffer_days)));
    }
    if s.activation_buffer_days < 0 {
        out.push(err("activationBufferDays", format!("must be 0 or more (it is {})", s.activation_buffer_days)));
    }
    if let Some(days) = s.valid_days {
        if days < 1 {
            out.push(err("validDays", format!("must be at least 1 (it is {days})")));
        }
    }
    if s.signature_algorithm.is_none() && original_signature_algorithm.is_some_and(is_sha1) {
        out.push(err(
            "signatureAlgorithm",
            format!("required: the original key pair uses {}, a SHA-1 algorithm", original_signature_algorithm.unwrap_or_default()),
        ));
    }
    if let Some(alg) = s.key_algorithm.as_deref().or(original_key_algorithm) {
        if find_algorithm(catalogue, alg).is_some() || s.key_algorithm.is_some() {
            check_offered(catalogue, alg, s.key_size, s.signature_algorithm.as_deref(), &mut out);
        }
    }
    out
}

/// An error's findings by form field: [`Error::Invalid`]'s field, or an `ApiResult`'s
/// `validationErrors` by `fieldPath` (`""` for errors without one, and for the `message` of an
/// `ApiResult` without validation errors).
pub fn api_field_errors(error: &Error) -> Vec<(String, String)> {
    match error {
        Error::Invalid { field, message } => vec![(field.clone(), message.clone())],
        _ => match error.api() {
            Some(api) => {
                let mut out: Vec<(String, String)> =
                    api.body.field_errors().into_iter().map(|(path, msg)| (path.unwrap_or_default(), msg)).collect();
                if out.is_empty() {
                    if let Some(m) = api.body.message() {
                        out.push((String::new(), m.to_owned()));
                    }
                }
                out
            }
            None => vec![(String::new(), error.to_string())],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_documented_pattern() {
        assert!(check_id("id", "a.b_c-9").is_empty());
        for bad in ["", "A", "a b", "a/b", "é"] {
            assert_eq!(check_id("id", bad).len(), 1, "{bad:?}");
        }
    }

    #[test]
    fn sha1_names_are_recognised() {
        for s in ["SHA1withRSA", "sha1WithRSAEncryption", "ecdsa-with-SHA1", "SHA1withECDSA"] {
            assert!(is_sha1(s), "{s}");
        }
        for s in ["SHA256withRSA", "SHA384withECDSA", "sha512WithRSAEncryption"] {
            assert!(!is_sha1(s), "{s}");
        }
    }

    #[test]
    fn every_finding_is_reported_per_field() {
        let s = NewKeyPairSettings { id: Some("X".into()), country: "usa".into(), ..Default::default() };
        let fields: Vec<String> = check_new_key_pair(&s, &KeyAlgorithms::default()).into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["id", "commonName", "organization", "keyAlgorithm", "country", "validDays"]);
    }
}
