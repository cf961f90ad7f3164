//! Certificates the vendor tests need made in the "browser": a self-signed CA to sign a
//! vendor's CSR with.
#![allow(dead_code)]

use certwright::pki::{issue_certificate, CertParams, CertSubject, KeyAlgorithm, PrivateKey, SubjectFields};

/// A fresh `alg` key and its self-signed CA certificate (DER) `CN=Browser CA,O=Example,C=US`,
/// valid from a day before `now` for ten years, `keyCertSign` and `cRLSign`.
pub fn browser_ca(alg: KeyAlgorithm, now: i64, serial: [u8; 20]) -> (PrivateKey, Vec<u8>) {
    let key = PrivateKey::generate(alg, &mut rand_core::OsRng).unwrap();
    let cert = issue_certificate(
        &CertParams {
            subject: SubjectFields {
                common_name: "Browser CA".into(),
                organization: "Example".into(),
                country: "US".into(),
                ..Default::default()
            },
            is_ca: true,
            key_usage: vec!["keyCertSign".into(), "cRLSign".into()],
            not_before: now - 86_400,
            not_after: now + 86_400 * 3650,
            ..Default::default()
        },
        CertSubject::Key(&key),
        None,
        serial,
    )
    .unwrap();
    (key, cert)
}
