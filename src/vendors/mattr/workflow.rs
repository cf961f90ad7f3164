//! The browser-held-root workflow: a VICAL signer's CSR (MATTR keeps the signer's key) is signed
//! with the unmanaged root's key, here, through the project's certificate builder; only the
//! signed certificate goes back to MATTR.
//!
//! Also the page's decisions, kept here so they have native tests: the auth URL a tenant URL
//! implies ([`auth_url_for_tenant`]), the creation form's values as MATTR's body
//! ([`create_fields`]), which browser-held key belongs to a root ([`key_for_root`]), which roots
//! can take VICAL signers and which to pre-select ([`signer_roots`]), and what to tell the user
//! about a failure the message alone does not explain ([`hint`]).

use x509_parser::extensions::GeneralName;
use x509_parser::prelude::FromDer;

use super::models::{CreateManagedRootCa, DtsCaCertificate};
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

/// The OAuth token URL a tenant URL implies: `https://<tenant>.vii.<region>.mattr.global` gets
/// `https://auth.<region>.mattr.global/oauth/token`; a `*.mattr.test` tenant (the emulator's)
/// gets `https://auth.mattr.test/oauth/token`. `None` when the URL names no region.
pub fn auth_url_for_tenant(tenant_url: &str) -> Option<String> {
    let rest = tenant_url.trim().strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    let host = host.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(host.as_str(), |(h, _)| h);
    if host.ends_with(".mattr.test") {
        return Some("https://auth.mattr.test/oauth/token".into());
    }
    let labels: Vec<&str> = host.split('.').collect();
    match labels.as_slice() {
        [tenant, "vii", region, "mattr", "global"] if !tenant.is_empty() && !region.is_empty() => {
            Some(super::client::token_url_for_region(region))
        }
        _ => None,
    }
}

/// The creation form's text fields as MATTR's body: the organisation name trimmed, every
/// optional field left out when blank (so MATTR applies its default), the others trimmed.
pub fn create_fields(organisation_name: &str, common_name: &str, country: &str, not_before: &str, not_after: &str) -> CreateManagedRootCa {
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    CreateManagedRootCa {
        organisation_name: organisation_name.trim().to_owned(),
        common_name: opt(common_name),
        country: opt(country),
        not_before: opt(not_before),
        not_after: opt(not_after),
    }
}

/// Which of `keys` (`(id, SPKI DER)`) holds the private key of `root` (PEM or DER): the one whose
/// public key is the certificate's. `None` when none does or the root does not parse.
pub fn key_for_root(root: &[u8], keys: &[(usize, Vec<u8>)]) -> Option<usize> {
    let bundle = pki::parse_bundle(root, "root");
    let der = &bundle.certificates.first()?.der;
    let (_, cert) = x509_parser::certificate::X509Certificate::from_der(der).ok()?;
    let spki = cert.tbs_certificate.subject_pki.raw;
    keys.iter().find(|(_, k)| k.as_slice() == spki).map(|(id, _)| *id)
}

/// The roots a VICAL signer can be requested for (the unmanaged ones: MATTR signs nothing for
/// them), and the one to pre-select: `preferred` (the root just uploaded) when it is among them,
/// else the only one, else none.
pub fn signer_roots<'a>(roots: &'a [DtsCaCertificate], preferred: Option<&str>) -> (Vec<&'a DtsCaCertificate>, Option<String>) {
    let eligible: Vec<&DtsCaCertificate> = roots.iter().filter(|r| !r.is_managed).collect();
    let pick = match preferred.filter(|p| eligible.iter().any(|r| r.id == *p)) {
        Some(p) => Some(p.to_owned()),
        None if eligible.len() == 1 => Some(eligible[0].id.clone()),
        None => None,
    };
    (eligible, pick)
}

/// What to tell the user beyond the error's own message, where that message does not say what
/// to do: a 401 (the client already fetched a fresh token once and was refused again), a 403
/// (the token was refused for this tenant), a 404 on a CRL (unmanaged roots publish none here).
pub fn hint(err: &super::client::Error) -> Option<&'static str> {
    match err.status() {
        Some(401) => Some(
            "MATTR refused the request with a freshly fetched token too: the client may not use this tenant, or its access was revoked. \
             Check the client id and secret and the tenant URL, then connect again.",
        ),
        Some(403) => Some("MATTR refused the client for this tenant: the token's audience must be the tenant URL exactly."),
        _ => None,
    }
}
