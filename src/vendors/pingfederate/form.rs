//! What the PingFederate page's forms offer and send, decided here (plain Rust, native tests) so
//! the page only wires signals.
//!
//! - [`offered`]: the sizes and signature algorithms the catalogue offers for one key algorithm,
//!   with its defaults pre-selected. The forms offer nothing else.
//! - [`NewKeyPairForm::settings`]: the generate form's text fields as `NewKeyPairSettings`, checked
//!   by [`rules::check_new_key_pair`] (every finding named by its JSON property, the field names
//!   the page marks).
//! - [`RotationForm::settings`]: the rotation form as `KeyPairRotationSettings`;
//!   `creationBufferDays` and `activationBufferDays` required, `signatureAlgorithm` required when
//!   the original key pair used SHA-1 ([`signature_required`]), empty choices meaning "as the
//!   original".

use super::models::{KeyAlgorithms, KeyPairRotationSettings, KeyPairView, NewKeyPairSettings};
use super::rules::{self, FieldError};

/// What the catalogue offers for one key algorithm.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Offered {
    /// Key sizes, in the catalogue's order.
    pub sizes: Vec<i64>,
    /// The size to pre-select (the catalogue's default, else the first).
    pub default_size: Option<i64>,
    /// Signature algorithms, in the catalogue's order.
    pub signatures: Vec<String>,
    /// The signature algorithm to pre-select (the catalogue's default, else the first).
    pub default_signature: Option<String>,
}

/// What the catalogue offers for `key_algorithm` (nothing for an algorithm it does not list).
pub fn offered(catalogue: &KeyAlgorithms, key_algorithm: &str) -> Offered {
    let Some(a) = rules::find_algorithm(catalogue, key_algorithm) else {
        return Offered::default();
    };
    Offered {
        sizes: a.key_sizes.clone(),
        default_size: a.default_key_size.filter(|s| a.key_sizes.contains(s)).or_else(|| a.key_sizes.first().copied()),
        signatures: a.signature_algorithms.clone(),
        default_signature: a
            .default_signature_algorithm
            .clone()
            .filter(|s| a.signature_algorithms.contains(s))
            .or_else(|| a.signature_algorithms.first().cloned()),
    }
}

/// The catalogue's algorithm names, in its order (the first is pre-selected).
pub fn algorithm_names(catalogue: &KeyAlgorithms) -> Vec<String> {
    catalogue.items.iter().filter_map(|a| a.name.clone()).collect()
}

fn err(field: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// A whole number from a form field; `Ok(None)` when empty.
fn number(field: &str, text: &str, out: &mut Vec<FieldError>) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            out.push(err(field, format!("must be a whole number (it is `{t}`)")));
            None
        }
    }
}

/// The generate form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewKeyPairForm {
    /// `id`, as typed.
    pub id: String,
    /// `commonName`, as typed.
    pub common_name: String,
    /// One name per line.
    pub subject_alternative_names: String,
    /// `organization`, as typed.
    pub organization: String,
    /// `organizationUnit`, as typed.
    pub organization_unit: String,
    /// `city`, as typed.
    pub city: String,
    /// `state`, as typed.
    pub state: String,
    /// `country`, as typed.
    pub country: String,
    /// `validDays`, as typed.
    pub valid_days: String,
    /// `keyAlgorithm`, as typed.
    pub key_algorithm: String,
    /// `keySize`, as typed.
    pub key_size: String,
    /// `signatureAlgorithm`, as typed.
    pub signature_algorithm: String,
}

impl NewKeyPairForm {
    /// The settings to send, or every finding (by JSON property) when something is wrong.
    ///
    /// # Errors
    /// The findings of parsing and of [`rules::check_new_key_pair`].
    pub fn settings(&self, catalogue: &KeyAlgorithms) -> Result<NewKeyPairSettings, Vec<FieldError>> {
        let mut out = Vec::new();
        let valid_days = number("validDays", &self.valid_days, &mut out);
        let key_size = number("keySize", &self.key_size, &mut out);
        let sans: Vec<String> = self.subject_alternative_names.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        let s = NewKeyPairSettings {
            id: opt(&self.id),
            common_name: self.common_name.trim().to_owned(),
            subject_alternative_names: (!sans.is_empty()).then_some(sans),
            organization: self.organization.trim().to_owned(),
            organization_unit: opt(&self.organization_unit),
            city: opt(&self.city),
            state: opt(&self.state),
            country: self.country.trim().to_owned(),
            valid_days: valid_days.unwrap_or(0),
            key_algorithm: self.key_algorithm.trim().to_owned(),
            key_size,
            signature_algorithm: opt(&self.signature_algorithm),
            crypto_provider: None,
        };
        // A number that did not parse is reported once, not again as "required".
        let unparsed: Vec<String> = out.iter().map(|f| f.field.clone()).collect();
        out.extend(rules::check_new_key_pair(&s, catalogue).into_iter().filter(|f| !unparsed.contains(&f.field)));
        if out.is_empty() {
            Ok(s)
        } else {
            Err(out)
        }
    }
}

/// Whether rotation settings for `original` must name a signature algorithm (it used SHA-1).
pub fn signature_required(original: &KeyPairView) -> bool {
    original.signature_algorithm.as_deref().is_some_and(rules::is_sha1)
}

/// The rotation form, as typed (empty choices: as the original).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RotationForm {
    /// `creationBufferDays`, as typed.
    pub creation_buffer_days: String,
    /// `activationBufferDays`, as typed.
    pub activation_buffer_days: String,
    /// `validDays`, as typed.
    pub valid_days: String,
    /// `keyAlgorithm`, as typed.
    pub key_algorithm: String,
    /// `keySize`, as typed.
    pub key_size: String,
    /// `signatureAlgorithm`, as typed.
    pub signature_algorithm: String,
}

impl RotationForm {
    /// The form showing `s` (what `GET …/rotationSettings` answered).
    pub fn of(s: &KeyPairRotationSettings) -> RotationForm {
        let text = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        RotationForm {
            creation_buffer_days: s.creation_buffer_days.to_string(),
            activation_buffer_days: s.activation_buffer_days.to_string(),
            valid_days: text(s.valid_days),
            key_algorithm: s.key_algorithm.clone().unwrap_or_default(),
            key_size: text(s.key_size),
            signature_algorithm: s.signature_algorithm.clone().unwrap_or_default(),
        }
    }

    /// The algorithm whose offers apply: the chosen one, else the original's.
    pub fn effective_algorithm(&self, original: &KeyPairView) -> String {
        opt(&self.key_algorithm).or_else(|| original.key_algorithm.clone()).unwrap_or_default()
    }

    /// The settings to send for key pair `original`, or every finding.
    ///
    /// # Errors
    /// Missing buffer days, numbers that do not parse, and [`rules::check_rotation_settings`].
    pub fn settings(&self, original: &KeyPairView, catalogue: &KeyAlgorithms) -> Result<KeyPairRotationSettings, Vec<FieldError>> {
        let mut out = Vec::new();
        let creation = number("creationBufferDays", &self.creation_buffer_days, &mut out);
        let activation = number("activationBufferDays", &self.activation_buffer_days, &mut out);
        for (field, text) in [("creationBufferDays", &self.creation_buffer_days), ("activationBufferDays", &self.activation_buffer_days)] {
            if text.trim().is_empty() {
                out.push(err(field, "required"));
            }
        }
        let s = KeyPairRotationSettings {
            id: None,
            creation_buffer_days: creation.unwrap_or(0),
            activation_buffer_days: activation.unwrap_or(0),
            valid_days: number("validDays", &self.valid_days, &mut out),
            key_algorithm: opt(&self.key_algorithm),
            key_size: number("keySize", &self.key_size, &mut out),
            signature_algorithm: opt(&self.signature_algorithm),
        };
        let reported: Vec<String> = out.iter().map(|f| f.field.clone()).collect();
        out.extend(
            rules::check_rotation_settings(&s, original.key_algorithm.as_deref(), original.signature_algorithm.as_deref(), catalogue)
                .into_iter()
                .filter(|f| !reported.contains(&f.field)),
        );
        if out.is_empty() {
            Ok(s)
        } else {
            Err(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::pingfederate::models::KeyAlgorithm;

    fn catalogue() -> KeyAlgorithms {
        KeyAlgorithms {
            items: vec![
                KeyAlgorithm {
                    name: Some("RSA".into()),
                    key_sizes: vec![2048, 4096],
                    default_key_size: Some(4096),
                    signature_algorithms: vec!["SHA256withRSA".into(), "SHA512withRSA".into()],
                    default_signature_algorithm: None,
                },
                KeyAlgorithm { name: Some("EC".into()), key_sizes: vec![384], ..Default::default() },
            ],
        }
    }

    #[test]
    fn the_catalogue_decides_what_is_offered_and_preselected() {
        let c = catalogue();
        assert_eq!(algorithm_names(&c), ["RSA", "EC"]);
        let rsa = offered(&c, "RSA");
        assert_eq!((rsa.sizes, rsa.default_size), (vec![2048, 4096], Some(4096)));
        assert_eq!(rsa.default_signature.as_deref(), Some("SHA256withRSA"), "no default: the first");
        let ec = offered(&c, "EC");
        assert_eq!((ec.default_size, ec.signatures.len(), ec.default_signature), (Some(384), 0, None));
        assert_eq!(offered(&c, "DSA"), Offered::default());
    }

    fn form() -> NewKeyPairForm {
        NewKeyPairForm {
            common_name: "sig.example.com".into(),
            subject_alternative_names: "sig.example.com\n\n alt.example.com \n".into(),
            organization: "Example".into(),
            country: "US".into(),
            valid_days: "365".into(),
            key_algorithm: "RSA".into(),
            key_size: "2048".into(),
            signature_algorithm: "SHA512withRSA".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_generate_form_becomes_settings_or_field_findings() {
        let s = form().settings(&catalogue()).unwrap();
        assert_eq!(s.subject_alternative_names, Some(vec!["sig.example.com".to_string(), "alt.example.com".to_string()]));
        assert_eq!((s.id, s.key_size, s.valid_days, s.organization_unit), (None, Some(2048), 365, None));
        let bad = NewKeyPairForm { id: "Bad Id".into(), valid_days: "a year".into(), key_size: "3072".into(), ..form() };
        let fields: Vec<String> = bad.settings(&catalogue()).unwrap_err().into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["validDays", "id", "keySize"], "a non-number is reported once, as such");
        let empty = NewKeyPairForm::default().settings(&catalogue()).unwrap_err();
        let fields: Vec<&str> = empty.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["commonName", "organization", "country", "keyAlgorithm", "validDays"]);
    }

    #[test]
    fn rotation_needs_both_buffers_and_a_signature_algorithm_after_sha1() {
        let c = catalogue();
        let sha1 = KeyPairView { key_algorithm: Some("RSA".into()), signature_algorithm: Some("SHA1withRSA".into()), ..Default::default() };
        let sha2 = KeyPairView { signature_algorithm: Some("SHA256withRSA".into()), ..sha1.clone() };
        assert!(signature_required(&sha1) && !signature_required(&sha2));
        let f = RotationForm { creation_buffer_days: "30".into(), ..Default::default() };
        let fields = |r: Result<KeyPairRotationSettings, Vec<FieldError>>| r.unwrap_err().into_iter().map(|f| f.field).collect::<Vec<_>>();
        assert_eq!(fields(f.settings(&sha2, &c)), ["activationBufferDays"]);
        let f = RotationForm { activation_buffer_days: "10".into(), ..f };
        assert_eq!(f.settings(&sha2, &c).unwrap().signature_algorithm, None, "as the original");
        assert_eq!(fields(f.settings(&sha1, &c)), ["signatureAlgorithm"]);
        let f = RotationForm { signature_algorithm: "SHA256withRSA".into(), key_size: "1024".into(), ..f };
        assert_eq!(fields(f.settings(&sha1, &c)), ["keySize"], "the original's algorithm's offers apply");
        let f = RotationForm { key_size: String::new(), ..f };
        let s = f.settings(&sha1, &c).unwrap();
        assert_eq!((s.creation_buffer_days, s.activation_buffer_days), (30, 10));
        assert_eq!(RotationForm::of(&s), f);
        assert_eq!(f.effective_algorithm(&sha1), "RSA");
    }
}
