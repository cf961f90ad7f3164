//! Keys made or held in the browser, and what is checked about PingFederate's answers.
//!
//! - **Sign PingFederate's CSR** (the key stays in PingFederate): [`sign_csr`] issues a
//!   certificate for the CSR from `GET /{id}/csr` with a CA held in the browser (the project's
//!   builders, [`issue_certificate`] with [`CertSubject::Csr`]); [`csr_response`] checks that
//!   the certificate or PKCS#7 chain to send back holds the CSR's public key and makes the
//!   `CSRResponse` body.
//! - **Fingerprints**: [`check_fingerprints`] compares `sha1Fingerprint` / `sha256Fingerprint`
//!   with the ones computed from the downloaded certificate (hex; case and `:` separators are
//!   ignored). A mismatch is an [`Error::Invalid`] naming the property.
//! - **Import a browser key** ([`pem_key_pair_file`]): the one flow in the product where a
//!   private key is sent anywhere. The key is encrypted (PKCS#8 PBES2 / AES) with the user's
//!   password before it goes into a `KeyPairFile`.

use x509_parser::prelude::FromDer;

use super::models::{CsrResponse, KeyPairFile, KeyPairFileFormat, KeyPairView};
use crate::pki::{self, issue_certificate, CertParams, CertSubject, Issuer, Kdf, PrivateKey};
use crate::vendors::error::Error;
use crate::vendors::redact::Secret;

/// A CSR's DER from PingFederate's answer: PEM text (`CERTIFICATE REQUEST` or `NEW CERTIFICATE
/// REQUEST`), possibly as a JSON string, or bare base64.
///
/// # Errors
/// [`Error::Decode`] when there is no CSR whose self-signature verifies.
pub fn parse_csr(body: &[u8]) -> Result<Vec<u8>, Error> {
    let text = if body.first() == Some(&b'"') {
        serde_json::from_slice::<String>(body).map_err(|e| Error::Decode { path: "$".into(), message: e.to_string() })?.into_bytes()
    } else {
        body.to_vec()
    };
    let mut bundle = pki::parse_bundle(&text, "csr");
    if bundle.csrs.is_empty() && !pki::pem::looks_like_pem(&text) {
        if let Ok(der) = pki::pem::decode_base64(&String::from_utf8_lossy(&text)) {
            bundle = pki::parse_bundle(&der, "csr");
        }
    }
    let Some(csr) = bundle.csrs.first() else {
        let why = bundle.problems.first().map(|p| format!(": {}", p.message)).unwrap_or_default();
        return Err(Error::Decode { path: "$".into(), message: format!("no CSR in the answer{why}") });
    };
    if !csr.signature_valid {
        return Err(Error::Decode {
            path: "$".into(),
            message: format!("the CSR's self-signature does not verify: {}", csr.signature_error.as_deref().unwrap_or("unknown reason")),
        });
    }
    let blocks = pki::pem::split(&csr.pem);
    blocks
        .first()
        .and_then(|b| b.der.clone().ok())
        .ok_or_else(|| Error::Decode { path: "$".into(), message: "the CSR did not re-encode".into() })
}

/// The DER `SubjectPublicKeyInfo` of a CSR.
///
/// # Errors
/// [`Error::Invalid`] on `csr` when it does not parse.
pub fn csr_public_key(csr_der: &[u8]) -> Result<Vec<u8>, Error> {
    x509_parser::certification_request::X509CertificationRequest::from_der(csr_der)
        .map(|(_, r)| r.certification_request_info.subject_pki.raw.to_vec())
        .map_err(|e| Error::invalid("csr", format!("not a PKCS#10 request: {e}")))
}

/// The DER `SubjectPublicKeyInfo` of a certificate.
///
/// # Errors
/// [`Error::Invalid`] on `fileData` when it does not parse.
pub fn certificate_public_key(cert_der: &[u8]) -> Result<Vec<u8>, Error> {
    x509_parser::certificate::X509Certificate::from_der(cert_der)
        .map(|(_, c)| c.tbs_certificate.subject_pki.raw.to_vec())
        .map_err(|e| Error::invalid("fileData", format!("not an X.509 certificate: {e}")))
}

/// Signs PingFederate's CSR with a CA held in the browser. `params` gives validity, usages and
/// hash (subject and SANs come from the CSR).
///
/// # Errors
/// [`Error::Invalid`] with the builders' first finding (field as the builders name it).
pub fn sign_csr(
    csr_der: &[u8],
    params: &CertParams,
    ca_certificate_der: &[u8],
    ca_key: &PrivateKey,
    random20: [u8; 20],
) -> Result<Vec<u8>, Error> {
    issue_certificate(params, CertSubject::Csr(csr_der), Some(Issuer { certificate: ca_certificate_der, key: ca_key }), random20).map_err(
        |findings| match findings.into_iter().next() {
            Some(f) => Error::invalid(f.field, f.message),
            None => Error::invalid("csr", "the certificate could not be issued"),
        },
    )
}

/// Checks a CSR response (a certificate, several, or a PKCS#7 chain; PEM or DER) against the
/// CSR: some certificate in it must carry the CSR's public key. Returns the `CSRResponse` to
/// send: the certificates as PEM, the one for the CSR first.
///
/// # Errors
/// [`Error::Invalid`] on `fileData` when nothing parses as a certificate or no certificate holds
/// the CSR's public key.
pub fn csr_response(csr_der: &[u8], response: &[u8]) -> Result<CsrResponse, Error> {
    let want = csr_public_key(csr_der)?;
    let bundle = pki::parse_bundle(response, "csr response");
    if bundle.certificates.is_empty() {
        let why = bundle.problems.first().map(|p| format!(": {}", p.message)).unwrap_or_default();
        return Err(Error::invalid("fileData", format!("no certificate in the CSR response{why}")));
    }
    let mut leaf = None;
    for (i, c) in bundle.certificates.iter().enumerate() {
        if certificate_public_key(&c.der)? == want {
            leaf = Some(i);
            break;
        }
    }
    let Some(leaf) = leaf else {
        return Err(Error::invalid(
            "fileData",
            format!(
                "no certificate in the response holds the CSR's public key ({} certificate(s), first subject `{}`)",
                bundle.certificates.len(),
                bundle.certificates[0].subject_dn
            ),
        ));
    };
    let mut order: Vec<usize> = vec![leaf];
    order.extend((0..bundle.certificates.len()).filter(|&i| i != leaf));
    let file_data: String = order.iter().map(|&i| pki::pem::encode("CERTIFICATE", &bundle.certificates[i].der)).collect();
    Ok(CsrResponse { file_data })
}

/// A fingerprint normalized for comparison: hex digits only, lowercase.
pub fn normalize_fingerprint(fp: &str) -> String {
    fp.chars().filter(|c| c.is_ascii_hexdigit()).map(|c| c.to_ascii_lowercase()).collect()
}

/// Compares PingFederate's fingerprints with ones computed from `certificate` (PEM or DER, the
/// first certificate). A missing fingerprint is not an error; a different one is.
///
/// # Errors
/// [`Error::Invalid`] on `sha1Fingerprint` / `sha256Fingerprint` with both values, or on
/// `certificate` when it does not parse.
pub fn check_fingerprints(view: &KeyPairView, certificate: &[u8]) -> Result<(), Error> {
    let bundle = pki::parse_bundle(certificate, "certificate");
    let Some(cert) = bundle.certificates.first() else {
        return Err(Error::invalid("certificate", "no certificate to compute fingerprints from"));
    };
    for (field, reported, computed) in [
        ("sha1Fingerprint", &view.sha1_fingerprint, &cert.sha1_fingerprint),
        ("sha256Fingerprint", &view.sha256_fingerprint, &cert.sha256_fingerprint),
    ] {
        if let Some(reported) = reported {
            if normalize_fingerprint(reported) != normalize_fingerprint(computed) {
                return Err(Error::invalid(
                    field,
                    format!("PingFederate reports {reported}, but the certificate hashes to {}", computed.to_ascii_uppercase()),
                ));
            }
        }
    }
    Ok(())
}

/// A `KeyPairFile` in PEM format: the certificate chain (leaf first) and the private key
/// encrypted with `password` (PKCS#8, PBES2 with `kdf`). `fileData` is base64 of the PEM text.
/// This is the only place a browser key is packed to leave the browser.
///
/// # Errors
/// [`Error::Invalid`] on `password` (empty), `certificates` (none, or the first does not hold
/// `key`'s public key) or `key` (encryption failed; the message never holds key material).
pub fn pem_key_pair_file(
    id: Option<String>,
    key: &PrivateKey,
    certificates_der: &[Vec<u8>],
    password: &Secret,
    kdf: Kdf,
    rng: &mut (impl rand_core::CryptoRng + rand_core::RngCore),
) -> Result<KeyPairFile, Error> {
    if password.expose().is_empty() {
        return Err(Error::invalid("password", "required: the key is sent encrypted with it"));
    }
    let Some(leaf) = certificates_der.first() else {
        return Err(Error::invalid("certificates", "the key's certificate is required"));
    };
    let public = key.public_key_der().map_err(|e| Error::invalid("key", e.to_string()))?;
    if certificate_public_key(leaf)? != public {
        return Err(Error::invalid("certificates", "the first certificate does not hold the key's public key"));
    }
    let encrypted = key.to_encrypted_pkcs8_pem(password.expose(), kdf, rng).map_err(|e| Error::invalid("key", e.to_string()))?;
    let mut text = String::new();
    for der in certificates_der {
        text.push_str(&pki::pem::encode("CERTIFICATE", der));
    }
    text.push_str(&encrypted);
    use base64::Engine;
    Ok(KeyPairFile {
        id,
        file_data: base64::engine::general_purpose::STANDARD.encode(text.as_bytes()),
        format: Some(KeyPairFileFormat::Pem),
        password: password.clone(),
        encrypted_password: None,
        crypto_provider: None,
    })
}

/// A `KeyPairFile` in PKCS#12 format (written by [`crate::pki::export_pkcs12`] from a browser
/// key, or a file the user already has): `fileData` is its base64. The file must look like DER (a
/// `SEQUENCE`) and the password must not be empty, since the key inside leaves the browser.
///
/// # Errors
/// [`Error::Invalid`] on `fileData` or `password`.
pub fn pkcs12_key_pair_file(id: Option<String>, pkcs12_der: &[u8], password: &Secret) -> Result<KeyPairFile, Error> {
    if pkcs12_der.first() != Some(&0x30) || pkcs12_der.len() < 16 {
        return Err(Error::invalid("fileData", "not a PKCS#12 file (expected DER starting with a SEQUENCE)"));
    }
    if password.expose().is_empty() {
        return Err(Error::invalid("password", "required: the key is sent encrypted with it"));
    }
    use base64::Engine;
    Ok(KeyPairFile {
        id,
        file_data: base64::engine::general_purpose::STANDARD.encode(pkcs12_der),
        format: Some(KeyPairFileFormat::Pkcs12),
        password: password.clone(),
        encrypted_password: None,
        crypto_provider: None,
    })
}
