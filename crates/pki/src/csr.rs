//! CSR (PKCS#10) inspection: subject, key, requested extensions, and whether the
//! self-signature verifies.

use serde::Serialize;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::FromDer;

use super::cert::{eku_names, key_summary, key_usage_names};
use super::names::{decode_name, general_name, NameAttribute};
use super::oids;

/// What the inspector shows about a certificate signing request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsrInfo {
    /// 0-based position among the CSRs of the parse.
    pub index: usize,
    /// Where it came from.
    pub source: String,
    /// PEM (`CERTIFICATE REQUEST` label).
    pub pem: String,
    /// Subject, RFC 4514.
    #[serde(rename = "subjectDN")]
    pub subject_dn: String,
    /// Subject attributes.
    pub subject: Vec<NameAttribute>,
    /// Key algorithm (`RSA`, `EC`).
    pub key_algorithm: String,
    /// Key size in bits.
    pub key_size: u32,
    /// Curve name for EC keys.
    pub curve: Option<String>,
    /// Signature algorithm name.
    pub signature_algorithm: String,
    /// Requested subject alternative names.
    pub subject_alternative_names: Vec<String>,
    /// Requested key usage.
    pub key_usage: Vec<String>,
    /// Requested extended key usage.
    pub extended_key_usage: Vec<String>,
    /// Other requested extensions, as `name (critical)` or dotted OID with hex value.
    pub other_extensions: Vec<String>,
    /// Whether the self-signature verifies with the enclosed key.
    pub signature_valid: bool,
    /// Why it does not verify (or why it could not be checked).
    pub signature_error: Option<String>,
    /// Non-conformance found while loading.
    pub warnings: Vec<String>,
}

/// Decodes one CSR and verifies its self-signature.
pub fn inspect(der: &[u8], index: usize, source: String) -> Result<CsrInfo, String> {
    let (rest, csr) =
        X509CertificationRequest::from_der(der).map_err(|e| format!("not a valid CSR: {}", super::asn1::describe_parse_error(der, &e)))?;
    let mut warnings = Vec::new();
    let csr_der = super::own_bytes(der, rest, "CSR", &mut warnings);
    let info = &csr.certification_request_info;
    let subject = decode_name(&info.subject);
    let (key_algorithm, key_size, curve) = key_summary(&info.subject_pki);
    let sig_oid = super::oids::dotted(&csr.signature_algorithm.algorithm);
    let verified = super::verify::verify(&info.subject_pki, &sig_oid, info.raw, &csr.signature_value.data);
    let mut out = CsrInfo {
        index,
        source,
        pem: super::pem::encode("CERTIFICATE REQUEST", csr_der),
        subject_dn: subject.rfc4514,
        subject: subject.attributes,
        key_algorithm,
        key_size,
        curve,
        signature_algorithm: oids::label(oids::signature_algorithm(&sig_oid), &sig_oid),
        subject_alternative_names: Vec::new(),
        key_usage: Vec::new(),
        extended_key_usage: Vec::new(),
        other_extensions: Vec::new(),
        signature_valid: verified.is_ok(),
        signature_error: verified.err(),
        warnings,
    };
    if let Some(exts) = csr.requested_extensions() {
        for ext in exts {
            match ext {
                ParsedExtension::SubjectAlternativeName(san) => {
                    out.subject_alternative_names = san.general_names.iter().map(general_name).collect();
                }
                ParsedExtension::KeyUsage(ku) => out.key_usage = key_usage_names(ku.flags),
                ParsedExtension::ExtendedKeyUsage(eku) => out.extended_key_usage = eku_names(eku),
                ParsedExtension::BasicConstraints(bc) => out.other_extensions.push(format!(
                    "basicConstraints: CA:{}{}",
                    if bc.ca { "TRUE" } else { "FALSE" },
                    bc.path_len_constraint.map(|p| format!(", pathlen:{p}")).unwrap_or_default()
                )),
                ParsedExtension::UnsupportedExtension { oid } => out.other_extensions.push(super::oids::dotted(oid).into_owned()),
                ParsedExtension::ParseError { error } => out.warnings.push(format!("a requested extension could not be decoded: {error}")),
                _ => {}
            }
        }
    }
    Ok(out)
}
