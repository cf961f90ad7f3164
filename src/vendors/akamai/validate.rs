//! Local validation of a CA-set version, the way Akamai validates one, reported in Akamai's
//! shape (`errors`, `warnings`, `notices`; each item with `type`, `title`, `detail`, `pointer`).
//! It runs before every upload so users see the server's likely verdict first, and offline.
//!
//! Rules (`docs/vendors/akamai.md`, Limits): malformed, expired, not yet valid, not a CA (leaf), SHA-1
//! signatures unless `allowInsecureSha1`, MD5/MD2 never, RSA < 2048 or EC < 256 bits, duplicate
//! certificates (warning), more than 300 certificates. Type names Akamai was observed to use are
//! kept (`malformed-certificate`, `expired-certificate`, `duplicate-certificate`,
//! `certificate-limit-reached`); the others are inferred and marked so in [`FindingType`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::pki::{self, CertificateInfo};

/// Akamai's limit on certificates per version.
pub const MAX_CERTIFICATES: usize = 300;
const TYPE_PREFIX: &str = "/mtls-edge-truststore/error-types/";

/// One certificate of a version request body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateEntry {
    /// The certificate in PEM.
    pub certificate_pem: String,
    /// Optional description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The body of "create a version" / "update a version" / `POST /certificates/validate`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionBody {
    /// Accept SHA-1 signatures.
    #[serde(default)]
    pub allow_insecure_sha1: bool,
    /// Optional description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The certificates (at least one).
    pub certificates: Vec<CertificateEntry>,
}

/// The kinds of finding; `observed` ones are Akamai's own type names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingType {
    /// Observed: not parseable as one X.509 certificate.
    Malformed,
    /// Observed: notAfter is before the check time.
    Expired,
    /// Inferred: notBefore is after the check time.
    NotYetValid,
    /// Inferred: an end-entity certificate (basicConstraints cA is not set).
    NotCa,
    /// Inferred: SHA-1 without `allowInsecureSha1`, or MD5 / MD2 at all.
    InsecureSignature,
    /// Inferred: RSA < 2048 or EC < 256 bits.
    WeakKey,
    /// Inferred: a key algorithm other than RSA or EC.
    UnsupportedKey,
    /// Observed: the same certificate twice in the version (a warning).
    Duplicate,
    /// Observed: more than 300 certificates.
    LimitReached,
    /// Inferred: a CA whose key usage lacks keyCertSign (a warning).
    MissingKeyCertSign,
    /// Inferred: a SHA-1 certificate accepted because `allowInsecureSha1` is set (a notice).
    Sha1Allowed,
    /// Inferred: a certificate that expires within 30 days of the check (a notice).
    ExpiringSoon,
    /// Inferred: the version has no certificates.
    Empty,
}

impl FindingType {
    /// The last segment of the `type` URI.
    pub fn name(self) -> &'static str {
        match self {
            FindingType::Malformed => "malformed-certificate",
            FindingType::Expired => "expired-certificate",
            FindingType::NotYetValid => "certificate-not-yet-valid",
            FindingType::NotCa => "not-a-ca-certificate",
            FindingType::InsecureSignature => "insecure-signature-algorithm",
            FindingType::WeakKey => "weak-key",
            FindingType::UnsupportedKey => "unsupported-key-algorithm",
            FindingType::Duplicate => "duplicate-certificate",
            FindingType::LimitReached => "certificate-limit-reached",
            FindingType::MissingKeyCertSign => "missing-key-cert-sign",
            FindingType::Sha1Allowed => "insecure-signature-allowed",
            FindingType::ExpiringSoon => "certificate-expiring-soon",
            FindingType::Empty => "certificates-required",
        }
    }
}

/// One finding, in Akamai's problem shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// `/mtls-edge-truststore/error-types/<name>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// One line.
    pub title: String,
    /// What exactly, naming the certificate.
    pub detail: String,
    /// JSON pointer into the request, e.g. `/certificates/3` (empty for the whole version).
    pub pointer: String,
}

/// Akamai's `validation` object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Validation {
    /// Must be fixed before the version is accepted.
    pub errors: Vec<Finding>,
    /// Should be fixed (e.g. duplicates).
    pub warnings: Vec<Finding>,
    /// For information.
    pub notices: Vec<Finding>,
}

impl Validation {
    fn push(list: &mut Vec<Finding>, t: FindingType, title: &str, detail: String, index: Option<usize>) {
        list.push(Finding {
            kind: format!("{TYPE_PREFIX}{}", t.name()),
            title: title.to_string(),
            detail,
            pointer: index.map(|i| format!("/certificates/{i}")).unwrap_or_default(),
        });
    }

    /// Whether Akamai would accept the version (no errors).
    pub fn is_acceptable(&self) -> bool {
        self.errors.is_empty()
    }
}

fn describe(c: &CertificateInfo) -> String {
    format!("subject {} and fingerprint {}", if c.subject_dn.is_empty() { "(empty)" } else { &c.subject_dn }, c.sha256_fingerprint)
}

/// Splits pasted text into version entries, one per PEM block (`-----BEGIN` to `-----END`),
/// keeping each block's text as written: a damaged block stays an entry, so validation reports
/// it as malformed at its own `/certificates/N` instead of it silently disappearing. Text
/// outside blocks is ignored; an unterminated block runs to the end of the text.
pub fn entries_from_text(text: &str) -> Vec<CertificateEntry> {
    let mut entries = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("-----BEGIN ") {
            if let Some(open) = current.take() {
                entries.push(open);
            }
            current = Some(String::new());
        }
        if let Some(block) = current.as_mut() {
            block.push_str(trimmed);
            block.push('\n');
            if trimmed.starts_with("-----END ") {
                entries.extend(current.take());
            }
        }
    }
    entries.extend(current);
    entries.into_iter().map(|certificate_pem| CertificateEntry { certificate_pem, description: None }).collect()
}

/// The certificates of a body, parsed: one per entry, or why an entry is not exactly one.
pub fn parse_entries(body: &VersionBody) -> Vec<Result<CertificateInfo, String>> {
    body.certificates
        .iter()
        .map(|e| {
            let mut b = pki::parse_bundle(e.certificate_pem.as_bytes(), "certificatePem");
            match (b.certificates.len(), b.problems.first()) {
                (1, None) if b.crls.is_empty() && b.csrs.is_empty() => Ok(b.certificates.remove(0)),
                (0, Some(p)) => Err(p.message.clone()),
                (0, None) => Err("no certificate in certificatePem".into()),
                (n, _) => Err(format!(
                    "certificatePem must hold exactly one certificate (found {n}, and {} other blocks)",
                    b.problems.len() + b.crls.len() + b.csrs.len()
                )),
            }
        })
        .collect()
}

/// Validates a version body at `now` (Unix seconds).
pub fn validate_version(body: &VersionBody, now: i64) -> Validation {
    let mut v = Validation::default();
    if body.certificates.is_empty() {
        Validation::push(
            &mut v.errors,
            FindingType::Empty,
            "A version needs at least one certificate.",
            "The certificates list is empty.".into(),
            None,
        );
    }
    if body.certificates.len() > MAX_CERTIFICATES {
        Validation::push(
            &mut v.errors,
            FindingType::LimitReached,
            "The version has too many certificates.",
            format!("A version holds at most {MAX_CERTIFICATES} certificates; this one has {}.", body.certificates.len()),
            None,
        );
    }
    let mut first_seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, parsed) in parse_entries(body).into_iter().enumerate() {
        let c = match parsed {
            Ok(c) => c,
            Err(reason) => {
                Validation::push(
                    &mut v.errors,
                    FindingType::Malformed,
                    "The certificate is malformed. It cannot be parsed.",
                    reason,
                    Some(i),
                );
                continue;
            }
        };
        let who = describe(&c);
        if let Some(&first) = first_seen.get(&c.sha256_fingerprint) {
            Validation::push(
                &mut v.warnings,
                FindingType::Duplicate,
                "Duplicate certificate has been submitted in the certificates.",
                format!("The certificate with {who} is the same as /certificates/{first}."),
                Some(i),
            );
            continue;
        }
        first_seen.insert(c.sha256_fingerprint.clone(), i);
        if c.expires_unix < now {
            Validation::push(
                &mut v.errors,
                FindingType::Expired,
                "The certificate has expired.",
                format!(
                    "The certificate with {who} has expired. Expiry date is {}. The check was performed on {}.",
                    c.expires,
                    pki::iso8601_unix(now)
                ),
                Some(i),
            );
        } else if c.expires_unix < now + 30 * 86_400 {
            Validation::push(
                &mut v.notices,
                FindingType::ExpiringSoon,
                "The certificate expires soon.",
                format!("The certificate with {who} expires on {}.", c.expires),
                Some(i),
            );
        }
        if c.valid_from_unix > now {
            Validation::push(
                &mut v.errors,
                FindingType::NotYetValid,
                "The certificate is not yet valid.",
                format!(
                    "The certificate with {who} becomes valid on {}. The check was performed on {}.",
                    c.valid_from,
                    pki::iso8601_unix(now)
                ),
                Some(i),
            );
        }
        if !c.is_ca {
            Validation::push(
                &mut v.errors,
                FindingType::NotCa,
                "The certificate is not a CA certificate.",
                format!("The certificate with {who} is an end-entity certificate (basicConstraints cA is not set); a CA set takes root and intermediate CA certificates only."),
                Some(i),
            );
        } else if !c.key_usage.is_empty() && !c.key_usage.iter().any(|k| k == "keyCertSign") {
            Validation::push(
                &mut v.warnings,
                FindingType::MissingKeyCertSign,
                "The CA certificate's key usage lacks keyCertSign.",
                format!(
                    "The certificate with {who} has key usage {} without keyCertSign, so it cannot verify client certificates.",
                    c.key_usage.join(", ")
                ),
                Some(i),
            );
        }
        let sig = c.signature_algorithm.to_ascii_lowercase();
        if sig.starts_with("md5") || sig.starts_with("md2") {
            Validation::push(
                &mut v.errors,
                FindingType::InsecureSignature,
                "The certificate's signature algorithm is insecure.",
                format!("The certificate with {who} is signed with {}; MD5 and MD2 are never accepted.", c.signature_algorithm),
                Some(i),
            );
        } else if sig.contains("sha1") {
            if body.allow_insecure_sha1 {
                Validation::push(
                    &mut v.notices,
                    FindingType::Sha1Allowed,
                    "A SHA-1 signature is accepted because allowInsecureSha1 is set.",
                    format!("The certificate with {who} is signed with {}.", c.signature_algorithm),
                    Some(i),
                );
            } else {
                Validation::push(
                    &mut v.errors,
                    FindingType::InsecureSignature,
                    "The certificate's signature algorithm is insecure.",
                    format!(
                        "The certificate with {who} is signed with {}; SHA-256 or better is needed unless allowInsecureSha1 is set.",
                        c.signature_algorithm
                    ),
                    Some(i),
                );
            }
        }
        match c.key_algorithm.as_str() {
            "RSA" if c.key_size < 2048 => Validation::push(
                &mut v.errors,
                FindingType::WeakKey,
                "The certificate's key is too small.",
                format!("The certificate with {who} has an RSA key of {} bits; at least 2048 are needed.", c.key_size),
                Some(i),
            ),
            "EC" if c.key_size < 256 => Validation::push(
                &mut v.errors,
                FindingType::WeakKey,
                "The certificate's key is too small.",
                format!("The certificate with {who} has an EC key of {} bits; at least 256 are needed.", c.key_size),
                Some(i),
            ),
            "RSA" | "EC" => {}
            other => Validation::push(
                &mut v.errors,
                FindingType::UnsupportedKey,
                "The certificate's key algorithm is not supported.",
                format!("The certificate with {who} has a {other} key; RSA and EC keys are supported."),
                Some(i),
            ),
        }
    }
    v
}

/// The set of SHA-256 fingerprints of a body's parseable certificates (what Akamai compares to
/// detect a duplicate version; order and `allowInsecureSha1` do not matter).
pub fn fingerprint_set(body: &VersionBody) -> BTreeSet<String> {
    parse_entries(body).into_iter().filter_map(Result::ok).map(|c| c.sha256_fingerprint).collect()
}

/// The first existing version (number) holding exactly the same certificates, if any.
pub fn duplicate_of(new: &BTreeSet<String>, existing: &[(u32, BTreeSet<String>)]) -> Option<u32> {
    existing.iter().find(|(_, set)| set == new).map(|(n, _)| *n)
}

/// A certificate in a comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComparedCertificate {
    /// SHA-256, lowercase hex.
    pub fingerprint: String,
    /// Subject DN.
    pub subject: String,
    /// notAfter, ISO 8601.
    pub expires: String,
}

/// What changed between two versions, by fingerprint.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VersionDiff {
    /// In `b` only.
    pub added: Vec<ComparedCertificate>,
    /// In `a` only.
    pub removed: Vec<ComparedCertificate>,
    /// In both.
    pub unchanged: Vec<ComparedCertificate>,
}

/// Compares version `a` with version `b`.
pub fn compare_versions(a: &VersionBody, b: &VersionBody) -> VersionDiff {
    let certs = |body: &VersionBody| -> BTreeMap<String, ComparedCertificate> {
        parse_entries(body)
            .into_iter()
            .filter_map(Result::ok)
            .map(|c| {
                (
                    c.sha256_fingerprint.clone(),
                    ComparedCertificate { fingerprint: c.sha256_fingerprint, subject: c.subject_dn, expires: c.expires },
                )
            })
            .collect()
    };
    let (a, b) = (certs(a), certs(b));
    let mut diff = VersionDiff::default();
    for (fp, c) in &b {
        if a.contains_key(fp) {
            diff.unchanged.push(c.clone())
        } else {
            diff.added.push(c.clone())
        }
    }
    diff.removed = a.iter().filter(|(fp, _)| !b.contains_key(*fp)).map(|(_, c)| c.clone()).collect();
    diff
}
