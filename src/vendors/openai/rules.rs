//! The rule pack OpenAI's documentation sets for mTLS certificates, run locally before an upload
//! (and before a client certificate is used): each [`Finding`] names the field and says what to
//! change.
//!
//! For a CA ([`check_ca`]): one certificate; the CA bit; SKI; AKI in keyIdentifier form; key
//! usage keyCertSign and cRLSign; DER under 16 KB; not expiring within one day; at most 50
//! certificates per organization, counting those already listed.
//!
//! For a client certificate ([`check_client`]): signed directly by one of the uploaded CAs (the
//! signature is verified with the CA's key), and that CA active at the chosen scope; SKI; AKI in
//! keyIdentifier form; key usage digitalSignature and keyEncipherment; EKU clientAuth; no
//! longer chain (a single certificate, whose issuer is an uploaded CA, not an intermediate).

use serde::{Deserialize, Serialize};
use x509_parser::prelude::FromDer;

use super::workflow::normalize_pem;
use crate::pki::{self, CertificateInfo};

/// OpenAI's size limit for a CA certificate: under 16 KB of DER.
pub const MAX_CA_BYTES: usize = 16 * 1024;
/// OpenAI's limit of certificates per organization.
pub const MAX_CERTIFICATES: usize = 50;
/// A CA must not expire within this many seconds (one day).
pub const MIN_CA_REMAINING_S: i64 = 86_400;

const AKI_OID: &str = "2.5.29.35";

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// OpenAI refuses it (or mTLS will fail): change it before uploading.
    Error,
    /// Allowed, but probably not what was meant.
    Warning,
}

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The field: `certificate`, `basicConstraints`, `subjectKeyIdentifier`,
    /// `authorityKeyIdentifier`, `keyUsage`, `extendedKeyUsage`, `notAfter`, `notBefore`,
    /// `issuer`, `organization`, `uploadedCas[N]`.
    pub field: String,
    /// What is wrong and what to change.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
}

impl Finding {
    fn error(field: &str, message: impl Into<String>) -> Finding {
        Finding { field: field.into(), message: message.into(), severity: Severity::Error }
    }

    fn warning(field: &str, message: impl Into<String>) -> Finding {
        Finding { field: field.into(), message: message.into(), severity: Severity::Warning }
    }
}

/// Whether any finding is an error (the upload should not go out).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// A CA already uploaded to the organization, as the client-certificate check needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UploadedCa {
    /// Its OpenAI id (`cert_...`), for messages.
    pub id: Option<String>,
    /// Its PEM (from `include[]=content`).
    pub pem: String,
    /// Whether it is active at the scope the client certificate will be used in; `None` when
    /// not known (the check is then skipped).
    pub active: Option<bool>,
}

/// Checks a CA certificate (PEM or DER) before uploading it to an organization that already
/// lists `listed_count` certificates, at `now` (Unix seconds).
pub fn check_ca(input: &[u8], listed_count: usize, now: i64) -> Vec<Finding> {
    let mut f = Vec::new();
    if listed_count >= MAX_CERTIFICATES {
        f.push(Finding::error(
            "organization",
            format!("the organization already has {listed_count} certificates and OpenAI allows at most {MAX_CERTIFICATES}: delete one that is no longer used (deactivate it first) before uploading"),
        ));
    }
    let certs = match parse(input, &mut f) {
        Some(c) => c,
        None => return f,
    };
    if certs.len() > 1 {
        f.push(Finding::error(
            "certificate",
            format!(
                "holds {} certificates: upload exactly one CA certificate (the one that signs the client certificates directly)",
                certs.len()
            ),
        ));
    }
    let c = &certs[0];
    if !c.is_ca {
        f.push(Finding::error(
            "basicConstraints",
            "the CA bit is not set: reissue the certificate with basicConstraints CA:TRUE (critical)",
        ));
    }
    key_identifiers(c, &mut f);
    if c.self_signed
        && c.subject_key_identifier.is_some()
        && c.authority_key_identifier.is_some()
        && c.subject_key_identifier != c.authority_key_identifier
    {
        f.push(Finding::warning(
            "authorityKeyIdentifier",
            "the keyIdentifier of this self-signed CA differs from its subjectKeyIdentifier: reissue with authorityKeyIdentifier=keyid so both match",
        ));
    }
    need_usage(c, &["keyCertSign", "cRLSign"], "a CA", &mut f);
    if c.der.len() >= MAX_CA_BYTES {
        f.push(Finding::error(
            "certificate",
            format!("is {} bytes of DER; OpenAI requires a CA under 16 KB ({MAX_CA_BYTES} bytes): drop unneeded extensions or use a smaller key", c.der.len()),
        ));
    }
    if c.expires_unix < now {
        f.push(Finding::error("notAfter", format!("the CA expired on {}: issue a new CA with a later notAfter", c.expires)));
    } else if c.expires_unix < now + MIN_CA_REMAINING_S {
        f.push(Finding::error(
            "notAfter",
            format!("the CA expires on {}, within one day; OpenAI refuses such a CA: issue one with a later notAfter", c.expires),
        ));
    }
    not_yet_valid(c, now, &mut f);
    f
}

/// Checks a client certificate (PEM or DER) against the CAs uploaded to the organization, at
/// `now`. `uploaded_cas[i].active` tells whether that CA is active at the chosen scope.
pub fn check_client(input: &[u8], uploaded_cas: &[UploadedCa], now: i64) -> Vec<Finding> {
    let mut f = Vec::new();
    let certs = match parse(input, &mut f) {
        Some(c) => c,
        None => return f,
    };
    let c = &certs[0];
    let cas: Vec<(usize, &UploadedCa, CertificateInfo)> = uploaded_cas
        .iter()
        .enumerate()
        .filter_map(|(i, ca)| {
            let b = pki::parse_bundle(normalize_pem(&ca.pem).as_bytes(), "uploaded CA");
            match b.certificates.into_iter().next() {
                Some(info) => Some((i, ca, info)),
                None => {
                    f.push(Finding::warning(
                        &format!("uploadedCas[{i}]"),
                        format!(
                            "{} is not a readable certificate and was not considered: fetch it again with include[]=content",
                            ca_name(ca, None)
                        ),
                    ));
                    None
                }
            }
        })
        .collect();
    // The issuer: an uploaded CA whose key verifies the signature.
    let issuer = cas.iter().find(|(_, _, info)| signed_by(&c.der, &info.der).is_ok());
    match issuer {
        Some((_, ca, info)) => {
            if ca.active == Some(false) {
                f.push(Finding::error(
                    "issuer",
                    format!("the issuing CA {} is not active at the chosen scope: activate it for the organization or for the project before using this certificate", ca_name(ca, Some(info))),
                ));
            }
            if let (Some(aki), Some(ski)) = (&c.authority_key_identifier, &info.subject_key_identifier) {
                if aki != ski {
                    f.push(Finding::warning(
                        "authorityKeyIdentifier",
                        format!("the keyIdentifier ({aki}) differs from the issuing CA's subjectKeyIdentifier ({ski}): reissue so it carries the CA's key identifier"),
                    ));
                }
            }
        }
        None => {
            // A longer chain: signed by an intermediate included with it.
            let intermediate = certs[1..].iter().find(|i| signed_by(&c.der, &i.der).is_ok());
            let by_name: Vec<&(usize, &UploadedCa, CertificateInfo)> =
                cas.iter().filter(|(_, _, info)| info.subject_raw() == c.issuer_raw()).collect();
            let message = if cas.is_empty() {
                format!("no uploaded CA to check against (the certificate's issuer is {}): upload its CA first, or give the uploaded CAs' content", c.issuer_dn)
            } else if let Some(int) = intermediate {
                format!("signed by the intermediate {}, not directly by an uploaded CA: OpenAI accepts only a chain of one; issue the client certificate from the uploaded CA itself", int.subject_dn)
            } else if let Some((_, ca, info)) = by_name.first() {
                format!("names {} as issuer but its signature does not verify with that CA's key: issue it again from that CA (with the CA's own key)", ca_name(ca, Some(info)))
            } else {
                let names: Vec<String> = cas.iter().map(|(_, ca, info)| ca_name(ca, Some(info))).collect();
                format!(
                    "issued by {}, which is not one of the uploaded CAs ({}): issue it directly from one of them",
                    c.issuer_dn,
                    names.join("; ")
                )
            };
            f.push(Finding::error("issuer", message));
        }
    }
    if certs.len() > 1 {
        f.push(Finding::error(
            "certificate",
            format!("holds {} certificates: OpenAI accepts only single-length chains; use the client certificate alone, signed directly by an uploaded CA", certs.len()),
        ));
    }
    if c.is_ca {
        f.push(Finding::warning("basicConstraints", "a client certificate should not be a CA: reissue it with CA:FALSE"));
    }
    key_identifiers(c, &mut f);
    need_usage(c, &["digitalSignature", "keyEncipherment"], "a client certificate", &mut f);
    if !c.extended_key_usage.iter().any(|e| e == "clientAuth") {
        f.push(Finding::error(
            "extendedKeyUsage",
            "clientAuth (TLS Web Client Authentication) is missing: reissue with extendedKeyUsage clientAuth",
        ));
    }
    if c.expires_unix < now {
        f.push(Finding::error("notAfter", format!("the certificate expired on {}: issue a new one", c.expires)));
    }
    not_yet_valid(c, now, &mut f);
    f
}

/// `Ok` if `issuer_der`'s public key verifies the signature on `cert_der` (both DER
/// certificates); else why not.
///
/// # Errors
/// A message saying what failed (parse, unsupported algorithm, signature).
pub fn signed_by(cert_der: &[u8], issuer_der: &[u8]) -> Result<(), String> {
    let (_, cert) =
        x509_parser::certificate::X509Certificate::from_der(cert_der).map_err(|e| format!("the certificate does not parse: {e}"))?;
    let (_, issuer) =
        x509_parser::certificate::X509Certificate::from_der(issuer_der).map_err(|e| format!("the issuer does not parse: {e}"))?;
    let oid = cert.signature_algorithm.algorithm.to_id_string();
    pki::verify::verify(issuer.public_key(), &oid, cert.tbs_certificate.as_ref(), &cert.signature_value.data)
}

fn parse(input: &[u8], f: &mut Vec<Finding>) -> Option<Vec<CertificateInfo>> {
    let b = match std::str::from_utf8(input) {
        Ok(text) => pki::parse_bundle(normalize_pem(text).as_bytes(), "certificate"),
        Err(_) => pki::parse_bundle(input, "certificate"),
    };
    if b.certificates.is_empty() {
        let why = if !b.csrs.is_empty() {
            "is a certificate request (CSR), not a certificate: issue the certificate first".to_string()
        } else if let Some(p) = b.problems.first() {
            format!("is not a readable certificate: {}", p.message)
        } else {
            "holds no certificate: paste one PEM CERTIFICATE block".to_string()
        };
        f.push(Finding::error("certificate", why));
        return None;
    }
    Some(b.certificates)
}

fn key_identifiers(c: &CertificateInfo, f: &mut Vec<Finding>) {
    if c.subject_key_identifier.is_none() {
        f.push(Finding::error(
            "subjectKeyIdentifier",
            "missing: reissue with the subjectKeyIdentifier extension (openssl: subjectKeyIdentifier=hash)",
        ));
    }
    if c.authority_key_identifier.is_none() {
        let present = c.extensions.iter().any(|e| e.oid == AKI_OID);
        f.push(Finding::error(
            "authorityKeyIdentifier",
            if present {
                "has no keyIdentifier (only issuer and serial): reissue with authorityKeyIdentifier=keyid"
            } else {
                "missing: reissue with authorityKeyIdentifier in keyIdentifier form (openssl: authorityKeyIdentifier=keyid)"
            },
        ));
    }
}

fn need_usage(c: &CertificateInfo, names: &[&str], what: &str, f: &mut Vec<Finding>) {
    let missing: Vec<&str> = names.iter().copied().filter(|n| !c.key_usage.iter().any(|u| u == n)).collect();
    if !missing.is_empty() {
        let has = if c.key_usage.is_empty() { "no key usage extension".to_string() } else { format!("only {}", c.key_usage.join(", ")) };
        f.push(Finding::error(
            "keyUsage",
            format!(
                "OpenAI requires {} for {what} (this one has {has}): reissue with keyUsage {}",
                missing.join(" and "),
                names.join(", ")
            ),
        ));
    }
}

fn not_yet_valid(c: &CertificateInfo, now: i64, f: &mut Vec<Finding>) {
    if c.valid_from_unix > now {
        f.push(Finding::warning("notBefore", format!("not valid before {}: it will not work until then", c.valid_from)));
    }
}

fn ca_name(ca: &UploadedCa, info: Option<&CertificateInfo>) -> String {
    match (ca.id.as_deref(), info) {
        (Some(id), Some(i)) => format!("{id} ({})", i.subject_dn),
        (Some(id), None) => id.to_owned(),
        (None, Some(i)) => i.subject_dn.clone(),
        (None, None) => "an uploaded CA".into(),
    }
}
