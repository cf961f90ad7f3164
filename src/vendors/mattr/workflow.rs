//! The browser-held-root workflow: a VICAL signer's CSR (MATTR keeps the signer's key) is signed
//! with the unmanaged root's key, here, through the project's certificate builder; only the
//! signed certificate goes back to MATTR.

use x509_parser::extensions::GeneralName;
use x509_parser::prelude::FromDer;

use crate::pki::{self, issue_certificate, CertParams, CertSubject, FieldError, HashAlgorithm, Issuer, PrivateKey};

/// Extended key usage of a VICAL signer (ISO/IEC 18013-5, `id-mdl-kp-mdlVICALSigner`… as MATTR's
/// VICAL guide names it: `1.0.18013.5.1.8`).
pub const VICAL_SIGNER_EKU: &str = "1.0.18013.5.1.8";

/// What the signer certificate says besides the CSR's subject and key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VicalSignerParams {
    /// notBefore, Unix seconds.
    pub not_before: i64,
    /// notAfter, Unix seconds (within the root's validity).
    pub not_after: i64,
    /// Serial as hex; empty for 8 random bytes (at most 19 decimal digits).
    pub serial_hex: String,
    /// Signature hash.
    pub hash: HashAlgorithm,
    /// Extended key usages (default: the VICAL signer EKU).
    pub extended_key_usage: Vec<String>,
}

impl VicalSignerParams {
    /// `days` of validity from `now`, SHA-256, the VICAL signer EKU.
    pub fn new(now: i64, days: i64) -> VicalSignerParams {
        VicalSignerParams {
            not_before: now,
            not_after: now + days * 86_400,
            serial_hex: String::new(),
            hash: HashAlgorithm::Sha256,
            extended_key_usage: vec![VICAL_SIGNER_EKU.into()],
        }
    }
}

fn err(field: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// Signs the VICAL signer CSR `csr_pem` with the root (`root_cert` PEM or DER, its key
/// `root_key`): an end-entity certificate with digitalSignature, the given EKU, the root's issuer
/// alternative names, SKI and AKI. `random20` supplies the serial when none is given. Returns the
/// certificate as PEM.
///
/// # Errors
/// Per field: `csr` (not one CSR, or its signature fails), `issuer` / `issuer.key` (not one
/// certificate, or the key does not match), `notAfter` (beyond the root's), and anything the
/// builder refuses.
pub fn sign_vical_signer_csr(
    csr_pem: &str,
    root_cert: &[u8],
    root_key: &PrivateKey,
    params: &VicalSignerParams,
    random20: [u8; 20],
) -> Result<String, Vec<FieldError>> {
    let csr = pki::parse_bundle(csr_pem.as_bytes(), "csr");
    let csr_der = match csr.csrs.as_slice() {
        [one] => pki::pem::split(&one.pem)
            .into_iter()
            .next()
            .and_then(|b| b.der.ok())
            .ok_or_else(|| vec![err("csr", "the CSR could not be re-read")])?,
        _ => return Err(vec![err("csr", format!("expected one CSR (-----BEGIN CERTIFICATE REQUEST-----), found {}", csr.csrs.len()))]),
    };
    let root = pki::parse_bundle(root_cert, "root");
    let root_info = match root.certificates.as_slice() {
        [one] => one,
        _ => {
            return Err(vec![err("issuer", format!("expected the root certificate alone, found {} certificates", root.certificates.len()))])
        }
    };
    if params.not_after > root_info.expires_unix {
        return Err(vec![err("notAfter", format!("must not be later than the root's notAfter ({})", root_info.expires))]);
    }
    let ian = issuer_alternative_names(&root_info.der);
    let serial_hex =
        if params.serial_hex.trim().is_empty() { pki::Profile::MattrDtsRoot.serial_hex(random20) } else { params.serial_hex.clone() };
    let cert_params = CertParams {
        issuer_alternative_names: ian,
        key_usage: vec!["digitalSignature".into()],
        extended_key_usage: params.extended_key_usage.clone(),
        is_ca: false,
        not_before: params.not_before,
        not_after: params.not_after,
        serial_hex,
        hash: params.hash,
        ..CertParams::default()
    };
    let der =
        issue_certificate(&cert_params, CertSubject::Csr(&csr_der), Some(Issuer { certificate: &root_info.der, key: root_key }), random20)?;
    Ok(pki::pem::encode("CERTIFICATE", &der))
}

/// The issuer alternative names of a certificate as `email:` / `URI:` / `DNS:` strings.
fn issuer_alternative_names(der: &[u8]) -> Vec<String> {
    let Ok((_, cert)) = x509_parser::certificate::X509Certificate::from_der(der) else {
        return Vec::new();
    };
    super::rules::issuer_alternative_names(&cert.tbs_certificate)
        .into_iter()
        .filter_map(|n| match n {
            GeneralName::RFC822Name(s) => Some(format!("email:{s}")),
            GeneralName::URI(s) => Some(format!("URI:{s}")),
            GeneralName::DNSName(s) => Some(format!("DNS:{s}")),
            _ => None,
        })
        .collect()
}
