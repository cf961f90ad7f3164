//! Golden bytes for what certwright builds: CSRs, certificates and CRLs from fixed keys
//! (`tests/data/keys`, `tests/data/build/p384.key.pem`), fixed serials and fixed times. RSA
//! PKCS#1 v1.5 and RFC 6979 ECDSA are deterministic, so whole DER files are compared.
//!
//! The files in `tests/data/build/` were recorded with the hand-written DER writer that
//! certwright used before it built with the `der` / `x509-cert` crates; this test holds the
//! crate-built output to them byte for byte. Set `CERTWRIGHT_BLESS_BUILD=1` to rewrite them
//! (only ever on purpose, with the difference explained in the commit).
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use certwright::pki::{
    self, issue_certificate, issue_crl, CertParams, CertSubject, CsrParams, HashAlgorithm, Issuer, PrivateKey, Revocation, SubjectFields,
};

const DAY: i64 = 86_400;
const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const Y2051: i64 = 2_556_144_000; // 2051-01-01T00:00:00Z: GeneralizedTime

fn data_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

fn key(rel: &str) -> PrivateKey {
    PrivateKey::import(&std::fs::read(data_path(rel)).expect("test key"), None).unwrap()
}

fn pem_der(rel: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(data_path(rel)).unwrap();
    pki::pem::split(&text).remove(0).der.unwrap()
}

/// Compares with (or, when blessing, writes) `tests/data/build/<name>.der`.
fn golden(name: &str, der: &[u8], mismatches: &mut Vec<String>) {
    let path = data_path(&format!("build/{name}.der"));
    if std::env::var_os("CERTWRIGHT_BLESS_BUILD").is_some() {
        std::fs::write(&path, der).unwrap();
        return;
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if want != der {
        let at = want.iter().zip(der).position(|(a, b)| a != b).unwrap_or(want.len().min(der.len()));
        mismatches.push(format!("{name}: {} bytes recorded, {} built, first difference at offset {at}", want.len(), der.len()));
    }
}

fn subject(cn: &str) -> SubjectFields {
    SubjectFields { common_name: cn.into(), organization: "Certwright Golden".into(), country: "DE".into(), ..Default::default() }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn built_objects_match_the_recorded_bytes() {
    let mut bad = Vec::new();
    let rsa = key("keys/csr-rsa.key.pem");
    let ec = key("keys/csr-ec.key.pem");
    let p384 = key("build/p384.key.pem");
    let root_key = key("keys/root.key.pem");
    let int_key = key("keys/intermediate.key.pem");
    let leaf_key = key("keys/leaf.key.pem");

    // CSRs: every subject field (UTF-8 outside ASCII), every SAN kind, key usages, EKUs by name
    // and as a dotted OID.
    let full = CsrParams {
        subject: SubjectFields {
            organizational_unit: "Ops".into(),
            locality: "Köln".into(),
            state: "NRW".into(),
            ..subject("api.example.com")
        },
        sans: strings(&[
            "api.example.com",
            "*.api.example.com",
            "IP:192.0.2.10",
            "IP:2001:db8::1",
            "email:ops@example.com",
            "URI:https://example.com/x",
        ]),
        key_usage: strings(&["digitalSignature", "keyEncipherment"]),
        extended_key_usage: strings(&["serverAuth", "clientAuth", "1.3.6.1.4.1.311.10.3.4", "1.3.6.1.4.1.99999.268435455"]),
        hash: HashAlgorithm::Sha384,
    };
    golden("csr-rsa-full", &full.build(&rsa).unwrap(), &mut bad);
    golden("csr-ec-full", &CsrParams { hash: HashAlgorithm::Sha256, ..full.clone() }.build(&ec).unwrap(), &mut bad);
    // No extensions: an empty attribute set.
    golden(
        "csr-ec-minimal",
        &CsrParams { subject: SubjectFields { common_name: "min".into(), ..Default::default() }, ..Default::default() }.build(&ec).unwrap(),
        &mut bad,
    );
    // No common name: the SAN extension is critical. All nine key usages (two-byte bit string).
    let no_cn = CsrParams {
        subject: SubjectFields { organization: "No CN".into(), country: "US".into(), ..Default::default() },
        sans: strings(&["DNS:only.example"]),
        key_usage: strings(&[
            "digitalSignature",
            "nonRepudiation",
            "keyEncipherment",
            "dataEncipherment",
            "keyAgreement",
            "keyCertSign",
            "cRLSign",
            "encipherOnly",
            "decipherOnly",
        ]),
        extended_key_usage: strings(&["codeSigning", "emailProtection", "timeStamping", "OCSPSigning"]),
        hash: HashAlgorithm::Sha512,
    };
    golden("csr-p384-no-cn", &no_cn.build(&p384).unwrap(), &mut bad);
    golden("csr-ec-decipher-only", &CsrParams { key_usage: strings(&["decipherOnly"]), ..no_cn.clone() }.build(&ec).unwrap(), &mut bad);

    // A self-signed RSA root: fixed serial, notAfter after 2049 (GeneralizedTime), an issuer
    // alternative name.
    let root = issue_certificate(
        &CertParams {
            subject: subject("Golden Root"),
            issuer_alternative_names: strings(&["URI:https://ca.example.com", "email:ca@example.com"]),
            is_ca: true,
            key_usage: strings(&["keyCertSign", "cRLSign"]),
            not_before: NOW - DAY,
            not_after: Y2051,
            serial_hex: "01".into(),
            ..Default::default()
        },
        CertSubject::Key(&root_key),
        None,
        [0; 20],
    )
    .unwrap();
    golden("root", &root, &mut bad);
    // An intermediate with pathLen 0 and a random serial (fixed here), SHA-384.
    let int = issue_certificate(
        &CertParams {
            subject: subject("Golden Intermediate"),
            is_ca: true,
            path_len: Some(0),
            key_usage: strings(&["keyCertSign", "cRLSign", "digitalSignature"]),
            not_before: NOW,
            not_after: NOW + 1825 * DAY,
            hash: HashAlgorithm::Sha384,
            ..Default::default()
        },
        CertSubject::Key(&int_key),
        Some(Issuer { certificate: &root, key: &root_key }),
        [0xa5; 20],
    )
    .unwrap();
    golden("intermediate", &int, &mut bad);
    // A CA without a path length, from an EC key, signed by the intermediate.
    golden(
        "ca-no-pathlen",
        &issue_certificate(
            &CertParams {
                subject: subject("Golden Sub CA"),
                is_ca: true,
                not_before: NOW,
                not_after: NOW + 365 * DAY,
                serial_hex: "7f".into(),
                ..Default::default()
            },
            CertSubject::Key(&p384),
            Some(Issuer { certificate: &int, key: &int_key }),
            [0; 20],
        )
        .unwrap(),
        &mut bad,
    );
    // A leaf from a certwright CSR, its SANs taken from the request; a serial with leading
    // zero octets and notBefore at the Unix epoch.
    let leaf_csr =
        CsrParams { subject: subject("leaf.example.com"), sans: strings(&["leaf.example.com", "IP:2001:db8::1"]), ..Default::default() }
            .build(&leaf_key)
            .unwrap();
    golden("leaf-csr", &leaf_csr, &mut bad);
    let leaf = issue_certificate(
        &CertParams {
            key_usage: strings(&["digitalSignature"]),
            extended_key_usage: strings(&["serverAuth", "1.2.3.4.5"]),
            not_before: 0,
            not_after: NOW + 90 * DAY,
            serial_hex: "00:00:12:34".into(),
            ..Default::default()
        },
        CertSubject::Csr(&leaf_csr),
        Some(Issuer { certificate: &int, key: &int_key }),
        [0; 20],
    )
    .unwrap();
    golden("leaf-from-csr", &leaf, &mut bad);
    // Leaves from the CSRs openssl's Python binding made (their subject and key are copied),
    // one keeping the request's SANs, one replacing them.
    for (name, csr) in [("leaf-from-rsa-csr", "csr/rsa.csr.pem"), ("leaf-from-ec-csr", "csr/ec.csr.pem")] {
        let sans = if name.contains("ec") { strings(&["DNS:replaced.example", "email:a@b.example"]) } else { Vec::new() };
        let der = issue_certificate(
            &CertParams {
                sans,
                extended_key_usage: strings(&["clientAuth"]),
                not_before: NOW,
                not_after: Y2051,
                serial_hex: "4000".into(),
                hash: HashAlgorithm::Sha512,
                ..Default::default()
            },
            CertSubject::Csr(&pem_der(csr)),
            Some(Issuer { certificate: &root, key: &root_key }),
            [0; 20],
        )
        .unwrap();
        golden(name, &der, &mut bad);
    }
    // A self-signed EC leaf with a 20-octet serial.
    golden(
        "self-signed-ec",
        &issue_certificate(
            &CertParams {
                subject: SubjectFields { common_name: "self.example".into(), ..Default::default() },
                sans: strings(&["self.example"]),
                key_usage: strings(&["digitalSignature", "keyAgreement"]),
                not_before: NOW,
                not_after: NOW + DAY,
                serial_hex: "7fffffffffffffffffffffffffffffffffffffff".into(),
                ..Default::default()
            },
            CertSubject::Key(&ec),
            None,
            [0; 20],
        )
        .unwrap(),
        &mut bad,
    );

    // CRLs: with reasons and without, serials with the high bit set and zero, a revocation
    // date after 2049, CRL numbers 0, 42 and u64::MAX, an empty CRL.
    let revoked = [
        Revocation { serial_hex: "1001".into(), revoked_at: NOW - 3600, reason: Some("keyCompromise".into()) },
        Revocation { serial_hex: "80".into(), revoked_at: NOW - 60, reason: None },
        Revocation { serial_hex: "00".into(), revoked_at: Y2051, reason: Some("aACompromise".into()) },
        Revocation { serial_hex: "0a:0b:0c".into(), revoked_at: NOW, reason: Some("removeFromCRL".into()) },
    ];
    golden(
        "crl-int",
        &issue_crl(Issuer { certificate: &int, key: &int_key }, &revoked, NOW, NOW + 7 * DAY, 42, HashAlgorithm::Sha256).unwrap(),
        &mut bad,
    );
    golden(
        "crl-int-empty",
        &issue_crl(Issuer { certificate: &int, key: &int_key }, &[], NOW, Y2051, u64::MAX, HashAlgorithm::Sha384).unwrap(),
        &mut bad,
    );
    golden(
        "crl-root",
        &issue_crl(Issuer { certificate: &root, key: &root_key }, &revoked[..1], NOW, NOW + DAY, 0, HashAlgorithm::Sha512).unwrap(),
        &mut bad,
    );

    assert!(bad.is_empty(), "built bytes differ from tests/data/build:\n{}", bad.join("\n"));
}
