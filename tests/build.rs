//! Keys, CSRs, certificates and CRLs built by certwright, checked by `openssl` (`req -verify`,
//! `verify` with the issuing chain, `crl -verify`, `pkey` decrypting exported keys) and
//! re-parsed by certwright's own inspector.
#![cfg(not(target_arch = "wasm32"))] // native only: spawns openssl

use std::path::{Path, PathBuf};
use std::process::Command;

use certwright::pki::{
    self, issue_certificate, issue_crl, CertParams, CertSubject, CsrParams, HashAlgorithm, Issuer, Kdf, KeyAlgorithm, PrivateKey,
    Revocation, SubjectFields,
};

const DAY: i64 = 86_400;
const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn data(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)).expect("test vector")
}

fn tmp() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certwright-build-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn write(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

fn openssl(args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl").args(args).output().expect("openssl must be installed (scripts/setup.sh test installs it)");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn pem(label: &str, der: &[u8]) -> String {
    pki::pem::encode(label, der)
}

fn subject(cn: &str) -> SubjectFields {
    SubjectFields { common_name: cn.into(), organization: "Certwright Build Test".into(), country: "DE".into(), ..Default::default() }
}

fn random20() -> [u8; 20] {
    let mut r = [0u8; 20];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut r);
    r
}

#[test]
fn csr_is_accepted_by_openssl_and_reparsed() {
    let dir = tmp();
    let rsa = PrivateKey::import(&data("keys/csr-rsa.key.pem"), None).unwrap();
    let ec = PrivateKey::generate(KeyAlgorithm::P384, &mut rand_core::OsRng).unwrap();
    for (name, key, hash) in [("rsa", &rsa, HashAlgorithm::Sha384), ("ec", &ec, HashAlgorithm::Sha256)] {
        let params = CsrParams {
            subject: SubjectFields {
                organizational_unit: "Ops".into(),
                locality: "Köln".into(),
                state: "NRW".into(),
                ..subject("api.example.com")
            },
            sans: vec![
                "api.example.com".into(),
                "*.api.example.com".into(),
                "IP:192.0.2.10".into(),
                "email:ops@example.com".into(),
                "URI:https://example.com/".into(),
            ],
            key_usage: vec!["digitalSignature".into(), "keyEncipherment".into()],
            extended_key_usage: vec!["serverAuth".into(), "clientAuth".into()],
            hash,
        };
        let der = params.build(key).unwrap();
        let path = write(&dir, &format!("{name}.csr"), pem("CERTIFICATE REQUEST", &der).as_bytes());
        let (ok, out) = openssl(&["req", "-in", path.to_str().unwrap(), "-noout", "-verify"]);
        assert!(ok && out.contains("verify OK") && !out.contains("failure"), "{name}: {out}");
        let (_, text) = openssl(&["req", "-in", path.to_str().unwrap(), "-noout", "-text"]);
        assert!(text.contains("DNS:*.api.example.com") && text.contains("IP Address:192.0.2.10"), "{text}");
        let info = &pki::parse_bundle(&der, "csr").csrs[0];
        assert!(info.signature_valid, "{:?}", info.signature_error);
        assert_eq!(info.subject_dn, "CN=api.example.com,OU=Ops,O=Certwright Build Test,L=Köln,ST=NRW,C=DE");
        assert_eq!(info.key_usage, ["digitalSignature", "keyEncipherment"]);
        assert_eq!(info.extended_key_usage, ["serverAuth", "clientAuth"]);
        assert_eq!(info.subject_alternative_names.len(), 5);
    }
    // Invalid input: every problem reported per field, nothing built.
    let bad = CsrParams {
        subject: SubjectFields { country: "Germany".into(), ..subject("x") },
        sans: vec!["*.com".into()],
        ..Default::default()
    };
    let errors = bad.build(&ec).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["subject.country", "sans[0]"]);
}

#[test]
fn chain_and_crl_verify_with_openssl() {
    let dir = tmp();
    let root_key = PrivateKey::import(&data("keys/root.key.pem"), None).unwrap();
    let int_key = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
    let leaf_key = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
    let validity = |days: i64| (NOW - DAY, NOW + days * DAY);

    let (nb, na) = validity(3650);
    let root = issue_certificate(
        &CertParams {
            subject: subject("Build Test Root"),
            is_ca: true,
            key_usage: vec!["keyCertSign".into(), "cRLSign".into()],
            not_before: nb,
            not_after: na,
            ..Default::default()
        },
        CertSubject::Key(&root_key),
        None,
        random20(),
    )
    .unwrap();
    let (nb, na) = validity(1825);
    let int = issue_certificate(
        &CertParams {
            subject: subject("Build Test Intermediate"),
            is_ca: true,
            path_len: Some(0),
            key_usage: vec!["keyCertSign".into(), "cRLSign".into()],
            not_before: nb,
            not_after: na,
            hash: HashAlgorithm::Sha384,
            ..Default::default()
        },
        CertSubject::Key(&int_key),
        Some(Issuer { certificate: &root, key: &root_key }),
        random20(),
    )
    .unwrap();
    // The leaf comes from a CSR; its SANs are taken from the request.
    let csr = CsrParams {
        subject: subject("leaf.example.com"),
        sans: vec!["leaf.example.com".into(), "IP:2001:db8::1".into()],
        ..Default::default()
    }
    .build(&leaf_key)
    .unwrap();
    let (nb, na) = validity(90);
    let leaf = issue_certificate(
        &CertParams {
            key_usage: vec!["digitalSignature".into()],
            extended_key_usage: vec!["serverAuth".into()],
            not_before: nb,
            not_after: na,
            ..Default::default()
        },
        CertSubject::Csr(&csr),
        Some(Issuer { certificate: &int, key: &int_key }),
        random20(),
    )
    .unwrap();
    let root_p = write(&dir, "root.pem", pem("CERTIFICATE", &root).as_bytes());
    let int_p = write(&dir, "int.pem", pem("CERTIFICATE", &int).as_bytes());
    let leaf_p = write(&dir, "leaf.pem", pem("CERTIFICATE", &leaf).as_bytes());
    let (ok, out) = openssl(&[
        "verify",
        "-x509_strict",
        "-attime",
        &NOW.to_string(),
        "-CAfile",
        root_p.to_str().unwrap(),
        "-untrusted",
        int_p.to_str().unwrap(),
        leaf_p.to_str().unwrap(),
    ]);
    assert!(ok && out.contains(": OK"), "{out}");

    // Re-parsed by the inspector: roles, key identifiers, SANs from the CSR, 20-octet serials.
    let bundle = pki::parse_bundle(
        format!("{}{}{}", pem("CERTIFICATE", &leaf), pem("CERTIFICATE", &int), pem("CERTIFICATE", &root)).as_bytes(),
        "built",
    );
    let [l, i, r] = &bundle.certificates[..] else { panic!("three certificates: {:?}", bundle.problems) };
    assert_eq!([l.role, i.role, r.role], [pki::Role::Leaf, pki::Role::Intermediate, pki::Role::Root]);
    assert!(l.warnings.is_empty() && i.warnings.is_empty() && r.warnings.is_empty(), "{:?} {:?} {:?}", l.warnings, i.warnings, r.warnings);
    assert_eq!(l.subject_alternative_names, ["DNS:leaf.example.com", "IP Address:2001:db8::1"]);
    assert_eq!(l.authority_key_identifier, i.subject_key_identifier);
    assert_eq!(i.authority_key_identifier, r.subject_key_identifier);
    assert_eq!(r.authority_key_identifier, r.subject_key_identifier);
    assert_eq!(i.path_len, Some(0));
    assert_eq!(i.signature_algorithm, "sha384WithRSAEncryption");
    assert_eq!(l.signature_algorithm, "ecdsa-with-SHA256");
    for c in [l, i, r] {
        assert_eq!(c.serial_number.len(), 40, "20-octet serial {}", c.serial_number);
        assert!(u8::from_str_radix(&c.serial_number[..2], 16).unwrap() < 0x80);
    }
    assert_eq!(pki::order_chain(&bundle.certificates).chain_len, 3);

    // A wrong issuing key is refused before anything is signed.
    let errors = issue_certificate(
        &CertParams { subject: subject("x"), not_before: NOW, not_after: NOW + DAY, ..Default::default() },
        CertSubject::Key(&leaf_key),
        Some(Issuer { certificate: &int, key: &root_key }),
        random20(),
    )
    .unwrap_err();
    assert!(errors.iter().any(|e| e.field == "issuer.key"), "{errors:?}");
    // A leaf cannot issue.
    let errors = issue_certificate(
        &CertParams { subject: subject("x"), not_before: NOW, not_after: NOW + DAY, ..Default::default() },
        CertSubject::Key(&int_key),
        Some(Issuer { certificate: &leaf, key: &leaf_key }),
        random20(),
    )
    .unwrap_err();
    assert!(errors.iter().any(|e| e.message.contains("not a CA")), "{errors:?}");

    // CRL from the intermediate.
    let crl = issue_crl(
        Issuer { certificate: &int, key: &int_key },
        &[
            Revocation { serial_hex: "1001".into(), revoked_at: NOW - 3600, reason: Some("keyCompromise".into()) },
            Revocation { serial_hex: l.serial_number.clone(), revoked_at: NOW - 60, reason: None },
        ],
        NOW,
        NOW + 7 * DAY,
        42,
        HashAlgorithm::Sha256,
    )
    .unwrap();
    let crl_p = write(&dir, "int.crl", pem("X509 CRL", &crl).as_bytes());
    let (ok, out) = openssl(&["crl", "-in", crl_p.to_str().unwrap(), "-noout", "-verify", "-CAfile", int_p.to_str().unwrap()]);
    assert!(ok && out.contains("verify OK"), "{out}");
    // openssl sees the leaf as revoked with this CRL.
    let chain_p = write(&dir, "chain.pem", format!("{}{}", pem("CERTIFICATE", &root), pem("CERTIFICATE", &int)).as_bytes());
    let (ok, out) = openssl(&[
        "verify",
        "-crl_check",
        "-attime",
        &NOW.to_string(),
        "-CAfile",
        chain_p.to_str().unwrap(),
        "-CRLfile",
        crl_p.to_str().unwrap(),
        leaf_p.to_str().unwrap(),
    ]);
    assert!(!ok && out.contains("certificate revoked"), "{out}");
    let info = &pki::parse_bundle(&crl, "crl").crls[0];
    assert_eq!(info.crl_number.as_deref(), Some("2a"));
    assert_eq!(info.revoked[0].reason.as_deref(), Some("keyCompromise"));
    assert_eq!(info.revoked[1].serial_number, l.serial_number);
}

#[test]
fn exported_keys_decrypt_with_openssl_and_openssl_keys_import() {
    let dir = tmp();
    let key = PrivateKey::import(&data("keys/csr-rsa.key.pem"), None).unwrap();
    let spki_pem = key.public_key_pem().unwrap();
    for (name, kdf) in [("scrypt", Kdf::Scrypt { log_n: 14 }), ("pbkdf2", Kdf::Pbkdf2Sha256 { iterations: 10_000 })] {
        let enc = key.to_encrypted_pkcs8_pem("s3cret pass", kdf, &mut rand_core::OsRng).unwrap();
        let p = write(&dir, &format!("{name}.key"), enc.as_bytes());
        let (ok, out) = openssl(&["pkey", "-in", p.to_str().unwrap(), "-passin", "pass:s3cret pass", "-pubout"]);
        assert!(ok, "{name}: {out}");
        assert_eq!(out, spki_pem, "{name}: openssl derives the same public key");
        let (ok, _) = openssl(&["pkey", "-in", p.to_str().unwrap(), "-passin", "pass:wrong", "-pubout"]);
        assert!(!ok, "{name}: a wrong password fails in openssl too");
    }
    // Keys written by openssl: encrypted PKCS#8, PKCS#1 and SEC1 import to the same public key.
    let src = write(&dir, "src.pem", &data("keys/csr-ec.key.pem"));
    let ec = PrivateKey::import(&data("keys/csr-ec.key.pem"), None).unwrap();
    let enc = dir.join("ossl-enc.pem");
    let (ok, out) = openssl(&[
        "pkcs8",
        "-topk8",
        "-v2",
        "aes-256-cbc",
        "-in",
        src.to_str().unwrap(),
        "-out",
        enc.to_str().unwrap(),
        "-passout",
        "pass:pw",
    ]);
    assert!(ok, "{out}");
    let imported = PrivateKey::import(&std::fs::read(&enc).unwrap(), Some("pw")).unwrap();
    assert_eq!(imported.public_key_der().unwrap(), ec.public_key_der().unwrap());
    let sec1 = dir.join("sec1.pem");
    let (ok, out) = openssl(&["ec", "-in", src.to_str().unwrap(), "-out", sec1.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(std::fs::read_to_string(&sec1).unwrap().contains("BEGIN EC PRIVATE KEY"));
    assert_eq!(PrivateKey::import(&std::fs::read(&sec1).unwrap(), None).unwrap().public_key_der().unwrap(), ec.public_key_der().unwrap());
    let rsa_src = write(&dir, "rsa.pem", &data("keys/csr-rsa.key.pem"));
    let pkcs1 = dir.join("pkcs1.der");
    let (ok, out) = openssl(&["rsa", "-in", rsa_src.to_str().unwrap(), "-traditional", "-outform", "DER", "-out", pkcs1.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert_eq!(PrivateKey::import(&std::fs::read(&pkcs1).unwrap(), None).unwrap().public_key_der().unwrap(), key.public_key_der().unwrap());
    // Unsupported algorithms are named, not a panic.
    let ed = dir.join("ed.pem");
    let (ok, _) = openssl(&["genpkey", "-algorithm", "ED25519", "-out", ed.to_str().unwrap()]);
    assert!(ok);
    let e = PrivateKey::import(&std::fs::read(&ed).unwrap(), None).unwrap_err();
    assert!(e.to_string().contains("Ed25519"), "{e}");
}

/// Custom EKU OIDs are range-checked: each bad one is a field error naming the entry (the
/// hand-written writer encoded `3.1.2` as 2.41.2, `1.40.1` as 2.0.1, and overflowed on huge
/// arcs). A valid one round-trips through openssl.
#[test]
fn custom_eku_oids_are_checked_and_valid_ones_reach_openssl() {
    let key = PrivateKey::import(&data("keys/csr-ec.key.pem"), None).unwrap();
    let bad = ["3.1.2", "1.40.1", "1.2.99999999999999999999999", "1..2", "", "1.2.abc", "serverauth"];
    let params = CsrParams {
        subject: subject("eku.example"),
        extended_key_usage: bad.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    for errors in [params.validate(), params.build(&key).unwrap_err()] {
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, (0..bad.len()).map(|i| format!("extendedKeyUsage[{i}]")).collect::<Vec<_>>(), "{errors:?}");
        for (e, says) in errors.iter().zip([
            "first arc must be 0, 1 or 2",
            "second arc must be 0 to 39",
            "too large",
            "arc 2 is empty",
            "empty",
            "not a decimal number",
            "unknown extended key usage",
        ]) {
            assert!(e.message.contains(says), "{e:?}");
        }
    }
    // Certificates: the same check, before anything is built, also as a profile problem.
    let cert = CertParams {
        subject: subject("eku.example"),
        extended_key_usage: vec!["3.1.2".into()],
        not_before: NOW,
        not_after: NOW + DAY,
        ..Default::default()
    };
    let errors = issue_certificate(&cert, CertSubject::Key(&key), None, random20()).unwrap_err();
    assert_eq!(errors[0].field, "extendedKeyUsage[0]", "{errors:?}");
    let problems = pki::Profile::Custom.check(&cert, &key.facts(), false, NOW);
    assert!(problems.iter().any(|p| p.field == "extendedKeyUsage[0]" && p.message.contains("first arc")), "{problems:?}");

    let dir = tmp();
    let ok = CsrParams {
        subject: subject("eku.example"),
        extended_key_usage: vec!["clientAuth".into(), "1.3.6.1.4.1.99999.268435455.0".into(), "2.39.7".into()],
        ..Default::default()
    };
    let csr = write(&dir, "eku.csr", pem("CERTIFICATE REQUEST", &ok.build(&key).unwrap()).as_bytes());
    let (ok_, text) = openssl(&["req", "-in", csr.to_str().unwrap(), "-noout", "-text", "-verify"]);
    assert!(ok_ && text.contains("TLS Web Client Authentication, 1.3.6.1.4.1.99999.268435455.0, 2.39.7"), "{text}");
    let cert = issue_certificate(
        &CertParams { extended_key_usage: ok.extended_key_usage.clone(), ..cert },
        CertSubject::Key(&key),
        None,
        random20(),
    )
    .unwrap();
    let path = write(&dir, "eku.pem", pem("CERTIFICATE", &cert).as_bytes());
    let (_, text) = openssl(&["x509", "-in", path.to_str().unwrap(), "-noout", "-ext", "extendedKeyUsage"]);
    assert!(text.contains("1.3.6.1.4.1.99999.268435455.0, 2.39.7"), "{text}");
}

/// Two-phase signing: prepare gives the bytes to sign and the algorithm, a signature made
/// elsewhere is checked and assembled; the result is what the one-step path builds.
#[test]
fn signatures_made_elsewhere_are_checked_and_assembled() {
    use certwright::pki::{prepare_certificate, prepare_crl, SignatureAlgorithm};
    let dir = tmp();
    let rsa = PrivateKey::import(&data("keys/root.key.pem"), None).unwrap();
    let ec = PrivateKey::import(&data("keys/csr-ec.key.pem"), None).unwrap();
    let root_params = CertParams {
        subject: subject("Two-phase Root"),
        is_ca: true,
        key_usage: vec!["keyCertSign".into(), "cRLSign".into()],
        not_before: NOW - DAY,
        not_after: NOW + 365 * DAY,
        hash: HashAlgorithm::Sha384,
        ..Default::default()
    };
    let tbs = prepare_certificate(&root_params, CertSubject::Key(&rsa), None, [7; 20]).unwrap();
    assert_eq!(tbs.signature_algorithm(), SignatureAlgorithm::RsaPkcs1v15(HashAlgorithm::Sha384));
    assert_eq!(tbs.signature_algorithm().oid(), "1.2.840.113549.1.1.12");
    assert_eq!(tbs.pem_label(), "CERTIFICATE");
    assert_eq!(tbs.signer_public_key_der(), rsa.public_key_der().unwrap());
    // An RSA PKCS#1 v1.5 signature (what WebCrypto's RSASSA-PKCS1-v1_5 returns) over tbs_der.
    let signature = rsa.sign(HashAlgorithm::Sha384, tbs.tbs_der()).unwrap();
    let root = tbs.finish(&signature).unwrap();
    assert_eq!(root, issue_certificate(&root_params, CertSubject::Key(&rsa), None, [7; 20]).unwrap(), "same bytes as the one-step path");
    assert_eq!(tbs.finish_pem(&signature).unwrap(), pem("CERTIFICATE", &root));
    let root_p = write(&dir, "root.pem", pem("CERTIFICATE", &root).as_bytes());
    let (ok, out) =
        openssl(&["verify", "-x509_strict", "-attime", &NOW.to_string(), "-CAfile", root_p.to_str().unwrap(), root_p.to_str().unwrap()]);
    assert!(ok, "{out}");
    // Wrong signatures are a `signature` field error, nothing is assembled: another key, another
    // hash, other bytes, garbage, nothing.
    let other = PrivateKey::import(&data("keys/csr-rsa.key.pem"), None).unwrap();
    for bad in [
        other.sign(HashAlgorithm::Sha384, tbs.tbs_der()).unwrap(),
        rsa.sign(HashAlgorithm::Sha256, tbs.tbs_der()).unwrap(),
        rsa.sign(HashAlgorithm::Sha384, b"other bytes").unwrap(),
        vec![0x42; 256],
        Vec::new(),
    ] {
        let errors = tbs.finish(&bad).unwrap_err();
        assert_eq!(errors[0].field, "signature", "{errors:?}");
        assert!(errors[0].message.contains("not made by the signing key"), "{errors:?}");
    }

    // ECDSA: the DER signature, and WebCrypto's r ‖ s form, give a CSR openssl verifies.
    let csr = CsrParams { subject: subject("two-phase.example"), sans: vec!["two-phase.example".into()], ..Default::default() };
    let tbs = csr.prepare(&ec).unwrap();
    assert_eq!(tbs.signature_algorithm(), SignatureAlgorithm::EcdsaP256(HashAlgorithm::Sha256));
    let der_sig = ec.sign(HashAlgorithm::Sha256, tbs.tbs_der()).unwrap();
    let p1363 = p256::ecdsa::Signature::from_der(&der_sig).unwrap().to_bytes().to_vec();
    assert_eq!(p1363.len(), 64);
    let from_der = tbs.finish(&der_sig).unwrap();
    assert_eq!(tbs.finish(&p1363).unwrap(), from_der, "r ‖ s is converted to DER");
    let path = write(&dir, "two-phase.csr", tbs.finish_pem(&p1363).unwrap().as_bytes());
    let (ok, out) = openssl(&["req", "-in", path.to_str().unwrap(), "-noout", "-verify"]);
    assert!(ok && out.contains("verify OK"), "{out}");
    let mut wrong = p1363.clone();
    wrong[10] ^= 1;
    assert_eq!(tbs.finish(&wrong).unwrap_err()[0].field, "signature");

    // CRLs too.
    let tbs = prepare_crl(Issuer { certificate: &root, key: &rsa }, &[], NOW, NOW + DAY, 1, HashAlgorithm::Sha256).unwrap();
    assert_eq!(tbs.pem_label(), "X509 CRL");
    let crl = tbs.finish(&rsa.sign(HashAlgorithm::Sha256, tbs.tbs_der()).unwrap()).unwrap();
    let crl_p = write(&dir, "root.crl", pem("X509 CRL", &crl).as_bytes());
    let (ok, out) = openssl(&["crl", "-in", crl_p.to_str().unwrap(), "-noout", "-verify", "-CAfile", root_p.to_str().unwrap()]);
    assert!(ok && out.contains("verify OK"), "{out}");
}

/// Where the crate-built output differs from the hand-written writer's, on purpose.
#[test]
fn inputs_the_old_writer_encoded_differently_are_field_errors() {
    let key = PrivateKey::import(&data("keys/csr-ec.key.pem"), None).unwrap();
    let base = CertParams { subject: subject("x"), not_before: NOW, not_after: NOW + DAY, ..Default::default() };
    let fails = |p: CertParams| issue_certificate(&p, CertSubject::Key(&key), None, random20()).unwrap_err();
    // pathLen is 0..=255 (x509-cert's BasicConstraints); 256 used to be written.
    let e = fails(CertParams { is_ca: true, path_len: Some(256), ..base.clone() });
    assert_eq!((e[0].field.as_str(), e[0].message.contains("0 to 255")), ("pathLen", true), "{e:?}");
    // Times before 1970 cannot be encoded with der's DateTime (UTCTime 1950-1969 used to be).
    let e = fails(CertParams { not_before: -DAY, ..base.clone() });
    assert_eq!((e[0].field.as_str(), e[0].message.contains("1970 to 9999")), ("notBefore", true), "{e:?}");
    // A revoked serial of 20 octets with the top bit set would need 21 octets encoded.
    let ca = issue_certificate(&CertParams { is_ca: true, ..base }, CertSubject::Key(&key), None, random20()).unwrap();
    let revoked = [Revocation { serial_hex: "80".repeat(20), revoked_at: NOW, reason: None }];
    let e = issue_crl(Issuer { certificate: &ca, key: &key }, &revoked, NOW, NOW + DAY, 1, HashAlgorithm::Sha256).unwrap_err();
    assert_eq!((e[0].field.as_str(), e[0].message.contains("top bit")), ("revoked[0].serial", true), "{e:?}");
}
