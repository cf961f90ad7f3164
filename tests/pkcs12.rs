//! PKCS#12 export and import (crates/pki/src/pkcs12.rs), checked against the `openssl` CLI both ways:
//! openssl reads what certwright writes (modern and legacy profiles; the key and the chain it
//! finds are the ones exported), and certwright reads what `openssl pkcs12 -export` writes with
//! its usual options. Plus wrong passwords, damaged files and hostile parameters.
//!
//! The openssl parts need the `openssl` CLI (3.x, with the legacy provider for RC2); without it
//! they FAIL, unless `CERTWRIGHT_SKIP_OPENSSL=1` skips them on purpose (the pure-Rust checks
//! still run).
#![cfg(not(target_arch = "wasm32"))] // native only: spawns openssl

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use certwright::pki::{
    self, export_pkcs12, import_pkcs12, issue_certificate, CertParams, CertSubject, Issuer, KeyAlgorithm, LegacyCertCipher, Pkcs12Error,
    Pkcs12Options, Pkcs12Profile, PrivateKey, SubjectFields,
};
use der::{Decode, Encode};

const DAY: i64 = 86_400;
const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const PASSWORD: &str = "p12 s3cret Ünïcödé";

fn data(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)).expect("test vector")
}

fn tmp() -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!("certwright-p12-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

/// Whether to run the openssl parts: yes, unless `CERTWRIGHT_SKIP_OPENSSL=1`; a missing openssl fails.
fn with_openssl() -> bool {
    if std::env::var("CERTWRIGHT_SKIP_OPENSSL").as_deref() == Ok("1") {
        let _ = writeln!(std::io::stderr(), "NOTICE: CERTWRIGHT_SKIP_OPENSSL=1: the openssl checks of tests/pkcs12.rs were SKIPPED");
        return false;
    }
    let out = Command::new("openssl").arg("version").output().unwrap_or_else(|e| {
        panic!("the openssl CLI is required for this test ({e}); install it, or set CERTWRIGHT_SKIP_OPENSSL=1 to skip")
    });
    assert!(out.status.success());
    true
}

fn openssl(args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl").args(args).output().expect("openssl");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn pem(label: &str, der: &[u8]) -> String {
    pki::pem::encode(label, der)
}

fn pem_certs(text: &str) -> Vec<Vec<u8>> {
    pki::pem::split(text).into_iter().filter(|b| b.label == "CERTIFICATE").map(|b| b.der.unwrap()).collect()
}

fn random20() -> [u8; 20] {
    let mut r = [0u8; 20];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut r);
    r
}

struct Pki {
    leaf_key: PrivateKey,
    leaf: Vec<u8>,
    /// Issuer of the leaf, then the root.
    chain: Vec<Vec<u8>>,
}

fn subject(cn: &str) -> SubjectFields {
    SubjectFields { common_name: cn.into(), organization: "Certwright PKCS12 Test".into(), ..Default::default() }
}

/// Root (RSA-2048) → intermediate (P-256) → leaf with `leaf_key`, from the project's builders.
fn pki_for(leaf_key: PrivateKey) -> Pki {
    let root_key = PrivateKey::import(&data("keys/root.key.pem"), None).unwrap();
    let int_key = PrivateKey::import(&data("keys/intermediate.key.pem"), None).unwrap();
    let ca = |cn: &str| CertParams {
        subject: subject(cn),
        is_ca: true,
        key_usage: vec!["keyCertSign".into(), "cRLSign".into()],
        not_before: NOW - DAY,
        not_after: NOW + 3650 * DAY,
        ..Default::default()
    };
    let root = issue_certificate(&ca("P12 Test Root"), CertSubject::Key(&root_key), None, random20()).unwrap();
    let int = issue_certificate(
        &ca("P12 Test Intermediate"),
        CertSubject::Key(&int_key),
        Some(Issuer { certificate: &root, key: &root_key }),
        random20(),
    )
    .unwrap();
    let leaf = issue_certificate(
        &CertParams {
            subject: subject("client.example.com"),
            key_usage: vec!["digitalSignature".into()],
            extended_key_usage: vec!["clientAuth".into()],
            not_before: NOW - DAY,
            not_after: NOW + 90 * DAY,
            ..Default::default()
        },
        CertSubject::Key(&leaf_key),
        Some(Issuer { certificate: &int, key: &int_key }),
        random20(),
    )
    .unwrap();
    Pki { leaf_key, leaf, chain: vec![int, root] }
}

fn keys() -> Vec<(&'static str, PrivateKey)> {
    vec![
        ("rsa", PrivateKey::import(&data("keys/csr-rsa.key.pem"), None).unwrap()),
        ("p256", PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap()),
        ("p384", PrivateKey::generate(KeyAlgorithm::P384, &mut rand_core::OsRng).unwrap()),
    ]
}

const PROFILES: [(&str, Pkcs12Profile); 3] = [
    ("modern", Pkcs12Profile::Modern),
    ("legacy-rc2", Pkcs12Profile::Legacy(LegacyCertCipher::Rc2_40)),
    ("legacy-3des", Pkcs12Profile::Legacy(LegacyCertCipher::TripleDes)),
];

#[test]
fn exports_round_trip_and_openssl_reads_both_profiles() {
    let openssl_ok = with_openssl();
    let dir = tmp();
    for (key_name, key) in keys() {
        let p = pki_for(key);
        let spki = p.leaf_key.public_key_der().unwrap();
        for (profile_name, profile) in PROFILES {
            let what = format!("{key_name}/{profile_name}");
            let options = Pkcs12Options { profile, friendly_name: Some("certwright client key".into()), ..Default::default() };
            let t = Instant::now();
            let p12 = export_pkcs12(&p.leaf_key, &p.leaf, &p.chain, PASSWORD, &options, &mut rand_core::OsRng).unwrap();
            let export_time = t.elapsed();

            // Our own import.
            let t = Instant::now();
            let back = import_pkcs12(&p12, PASSWORD).unwrap();
            let import_time = t.elapsed();
            let _ = writeln!(std::io::stderr(), "{what}: {} bytes, export {export_time:?}, import {import_time:?}", p12.len());
            assert_eq!(back.key.as_ref().unwrap().public_key_der().unwrap(), spki, "{what}");
            assert_eq!(back.certificates, [p.leaf.clone(), p.chain[0].clone(), p.chain[1].clone()], "{what}");
            assert_eq!(back.friendly_name.as_deref(), Some("certwright client key"), "{what}");
            assert!(back.warnings.is_empty(), "{what}: {:?}", back.warnings);
            let expected_mac =
                if profile == Pkcs12Profile::Modern { "HMAC-SHA-256, 2048 iterations" } else { "HMAC-SHA-1, 2048 iterations" };
            assert_eq!(back.mac.as_deref(), Some(expected_mac), "{what}");
            let encryption = back.encryption.join("\n");
            match profile {
                Pkcs12Profile::Modern => {
                    assert_eq!(
                        encryption.matches("PBES2 (PBKDF2-HMAC-SHA-256, 2048 iterations, AES-256-CBC)").count(),
                        2,
                        "{what}: {encryption}"
                    )
                }
                Pkcs12Profile::Legacy(c) => {
                    assert!(encryption.contains("(shrouded key): pbeWithSHAAnd3-KeyTripleDES-CBC"), "{what}: {encryption}");
                    let cert = if c == LegacyCertCipher::Rc2_40 { "pbeWithSHAAnd40BitRC2-CBC" } else { "pbeWithSHAAnd3-KeyTripleDES-CBC" };
                    assert!(encryption.contains(&format!("(encryptedData): {cert}")), "{what}: {encryption}");
                }
            }
            // The file holds neither the plain key nor the password.
            let pkcs8 = p.leaf_key.to_pkcs8_der().unwrap();
            assert!(
                !p12.windows(16).any(|w| pkcs8.windows(16).skip(pkcs8.len() / 2).take(1).any(|k| k == w)),
                "{what}: plain key bytes in the file"
            );

            if !openssl_ok {
                continue;
            }
            let f = write(&dir, &format!("{key_name}-{profile_name}.p12"), &p12);
            let f = f.to_str().unwrap();
            let pass = format!("pass:{PASSWORD}");
            let legacy: &[&str] = if profile == Pkcs12Profile::Modern { &[] } else { &["-legacy"] };
            let info = [&["pkcs12", "-in", f, "-info", "-nodes", "-passin", &pass][..], legacy].concat();
            let (ok, out) = openssl(&info);
            assert!(ok, "{what}: openssl pkcs12 -info failed: {out}");
            match profile {
                Pkcs12Profile::Modern => {
                    assert!(out.contains("MAC: sha256, Iteration 2048"), "{what}: {out}");
                    assert!(
                        out.contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"),
                        "{what}: {out}"
                    );
                    assert!(
                        out.contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"),
                        "{what}: {out}"
                    );
                }
                Pkcs12Profile::Legacy(c) => {
                    assert!(out.contains("MAC: sha1, Iteration 2048"), "{what}: {out}");
                    let cert =
                        if c == LegacyCertCipher::Rc2_40 { "pbeWithSHA1And40BitRC2-CBC" } else { "pbeWithSHA1And3-KeyTripleDES-CBC" };
                    assert!(out.contains(&format!("PKCS7 Encrypted data: {cert}, Iteration 2048")), "{what}: {out}");
                    assert!(out.contains("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"), "{what}: {out}");
                }
            }
            assert_eq!(out.matches("friendlyName: certwright client key").count(), 2, "{what}: friendly name on key and leaf: {out}");
            assert_eq!(out.matches("localKeyID:").count(), 2, "{what}: localKeyID on key and leaf: {out}");
            // The key openssl finds is ours.
            let key_pem = dir.join(format!("{key_name}-{profile_name}.key.pem"));
            let args =
                [&["pkcs12", "-in", f, "-nocerts", "-nodes", "-passin", &pass, "-out", key_pem.to_str().unwrap()][..], legacy].concat();
            let (ok, out) = openssl(&args);
            assert!(ok, "{what}: {out}");
            let (ok, out) = openssl(&["pkey", "-in", key_pem.to_str().unwrap(), "-pubout"]);
            assert!(ok, "{what}: {out}");
            assert_eq!(out, p.leaf_key.public_key_pem().unwrap(), "{what}: openssl's key has our public key");
            // And so is the chain, in order.
            let args = [&["pkcs12", "-in", f, "-nokeys", "-passin", &pass][..], legacy].concat();
            let (ok, out) = openssl(&args);
            assert!(ok, "{what}: {out}");
            assert_eq!(pem_certs(&out), [p.leaf.clone(), p.chain[0].clone(), p.chain[1].clone()], "{what}");
            // And openssl refuses a wrong password for it.
            let args = [&["pkcs12", "-in", f, "-info", "-nodes", "-passin", "pass:wrong"][..], legacy].concat();
            let (ok, out) = openssl(&args);
            assert!(!ok && out.contains("Mac verify error"), "{what}: {out}");
        }
    }
}

#[test]
fn imports_what_openssl_writes() {
    if !with_openssl() {
        return;
    }
    let dir = tmp();
    let (_, out) = openssl(&["version"]);
    let _ = writeln!(std::io::stderr(), "openssl: {}", out.trim());
    for (key_name, key) in keys().into_iter().take(2) {
        let p = pki_for(key);
        let key_p = write(&dir, &format!("{key_name}.key.pem"), p.leaf_key.to_pkcs8_pem().unwrap().as_bytes());
        let leaf_p = write(&dir, &format!("{key_name}.leaf.pem"), pem("CERTIFICATE", &p.leaf).as_bytes());
        // Root first in the -certfile: the import still puts the chain in issuing order.
        let chain_p = write(
            &dir,
            &format!("{key_name}.chain.pem"),
            format!("{}{}", pem("CERTIFICATE", &p.chain[1]), pem("CERTIFICATE", &p.chain[0])).as_bytes(),
        );
        let variants: [(&str, &[&str], &str); 10] = [
            ("default", &[], "HMAC-SHA-256, 2048 iterations"),
            ("legacy", &["-legacy"], "HMAC-SHA-1, 2048 iterations"),
            ("descert", &["-descert"], "HMAC-SHA-256, 2048 iterations"),
            ("legacy-descert", &["-legacy", "-descert"], "HMAC-SHA-1, 2048 iterations"),
            ("aes-pbe", &["-keypbe", "AES-256-CBC", "-certpbe", "AES-256-CBC"], "HMAC-SHA-256, 2048 iterations"),
            ("aes128-3des", &["-keypbe", "AES-128-CBC", "-certpbe", "DES-EDE3-CBC"], "HMAC-SHA-256, 2048 iterations"),
            ("pkcs12-pbe-names", &["-legacy", "-keypbe", "PBE-SHA1-2DES", "-certpbe", "PBE-SHA1-RC2-128"], "HMAC-SHA-1, 2048 iterations"),
            ("plain-certs-sha512", &["-certpbe", "NONE", "-macalg", "sha512", "-iter", "5000"], "HMAC-SHA-512, 5000 iterations"),
            ("noiter", &["-noiter", "-nomaciter"], "HMAC-SHA-256, 1 iterations"),
            ("nomac", &["-nomac"], ""),
        ];
        for (name, extra, mac) in variants {
            let what = format!("{key_name}/{name}");
            let out_p = dir.join(format!("{key_name}-{name}.p12"));
            let passout = format!("pass:{PASSWORD}");
            let args = [
                &[
                    "pkcs12",
                    "-export",
                    "-inkey",
                    key_p.to_str().unwrap(),
                    "-in",
                    leaf_p.to_str().unwrap(),
                    "-certfile",
                    chain_p.to_str().unwrap(),
                    "-name",
                    "openssl – alias",
                    "-passout",
                    &passout,
                    "-out",
                    out_p.to_str().unwrap(),
                ][..],
                extra,
            ]
            .concat();
            let (ok, out) = openssl(&args);
            assert!(ok, "{what}: openssl pkcs12 -export: {out}");
            let bytes = std::fs::read(&out_p).unwrap();
            let got = import_pkcs12(&bytes, PASSWORD).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(got.key.as_ref().unwrap().public_key_der().unwrap(), p.leaf_key.public_key_der().unwrap(), "{what}");
            assert_eq!(got.certificates, [p.leaf.clone(), p.chain[0].clone(), p.chain[1].clone()], "{what}: leaf, then issuers in order");
            assert_eq!(got.friendly_name.as_deref(), Some("openssl – alias"), "{what}");
            if mac.is_empty() {
                assert_eq!(got.mac, None, "{what}");
                assert!(got.warnings.iter().any(|w| w.contains("no MAC")), "{what}: {:?}", got.warnings);
                // Without a MAC a wrong password is caught at decryption.
                let e = import_pkcs12(&bytes, "wrong").unwrap_err();
                assert!(matches!(e, Pkcs12Error::DecryptFailed { .. }), "{what}: {e}");
            } else {
                assert_eq!(got.mac.as_deref(), Some(mac), "{what}");
                let e = import_pkcs12(&bytes, "wrong").unwrap_err();
                assert_eq!(e, Pkcs12Error::WrongPassword, "{what}");
                assert_eq!(e.to_string(), "wrong password or corrupted MAC");
            }
        }
        // Without a friendly name, certificate only (no key), and with an empty password.
        let out_p = dir.join(format!("{key_name}-plain.p12"));
        let (ok, out) = openssl(&[
            "pkcs12",
            "-export",
            "-nokeys",
            "-in",
            leaf_p.to_str().unwrap(),
            "-passout",
            "pass:",
            "-out",
            out_p.to_str().unwrap(),
        ]);
        assert!(ok, "{out}");
        let got = import_pkcs12(&std::fs::read(&out_p).unwrap(), "").unwrap();
        assert!(got.key.is_none() && got.friendly_name.is_none());
        assert_eq!(got.certificates, std::slice::from_ref(&p.leaf));
    }
}

#[test]
fn wrong_password_damage_and_bad_requests_are_clear_errors() {
    let p = pki_for(PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap());
    for (name, profile) in PROFILES {
        let options = Pkcs12Options { profile, iterations: 64, ..Default::default() };
        let p12 = export_pkcs12(&p.leaf_key, &p.leaf, &p.chain, PASSWORD, &options, &mut rand_core::OsRng).unwrap();
        let e = import_pkcs12(&p12, "not the password").unwrap_err();
        assert_eq!(e, Pkcs12Error::WrongPassword, "{name}");
        // Every truncation is an error that says where, never a panic.
        for len in (0..p12.len()).step_by(3) {
            let e = import_pkcs12(&p12[..len], PASSWORD).unwrap_err();
            let msg = e.to_string();
            assert!(matches!(e, Pkcs12Error::Malformed { .. }), "{name} cut at {len}: {msg}");
            assert!(msg.starts_with("malformed PKCS#12 at PFX:"), "{name} cut at {len}: {msg}");
            assert!(!msg.contains(PASSWORD));
        }
        // Every flipped byte is caught (by the MAC, or by the parser), never a panic, never accepted silently.
        for i in 0..p12.len() {
            let mut bad = p12.clone();
            bad[i] ^= 0x41;
            match import_pkcs12(&bad, PASSWORD) {
                Ok(got) => panic!("{name}: flipped byte {i} accepted ({} certs)", got.certificates.len()),
                Err(e) => assert!(!e.to_string().contains(PASSWORD), "{e}"),
            }
        }
    }
    // Not PKCS#12 at all.
    let e = import_pkcs12(pem("CERTIFICATE", &p.leaf).as_bytes(), PASSWORD).unwrap_err();
    assert!(e.to_string().contains("PEM text"), "{e}");
    let e = import_pkcs12(&p.leaf, PASSWORD).unwrap_err();
    assert!(matches!(e, Pkcs12Error::Malformed { .. }), "{e}");

    // The chain to export with a leaf is found in a pool of certificates, in issuing order.
    let pool = [p.chain[1].clone(), p.leaf.clone(), p.chain[0].clone()];
    assert_eq!(pki::issuer_chain(&p.leaf, &pool), p.chain);
    assert_eq!(pki::issuer_chain(&p.chain[0], &pool), [p.chain[1].clone()]);
    assert!(pki::issuer_chain(&p.chain[1], &pool).is_empty(), "a root has no issuer");
    assert!(pki::certificate_matches_key(&p.leaf, &p.leaf_key));
    // Export requests that cannot work.
    let other = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
    let e = export_pkcs12(&other, &p.leaf, &[], PASSWORD, &Pkcs12Options::default(), &mut rand_core::OsRng).unwrap_err();
    assert!(e.to_string().contains("does not belong to the key"), "{e}");
    let e = export_pkcs12(&p.leaf_key, &p.leaf, &[], "", &Pkcs12Options::default(), &mut rand_core::OsRng).unwrap_err();
    assert!(e.to_string().contains("password is needed"), "{e}");
    let e =
        export_pkcs12(&p.leaf_key, &p.leaf, &[b"junk".to_vec()], PASSWORD, &Pkcs12Options::default(), &mut rand_core::OsRng).unwrap_err();
    assert!(e.to_string().contains("chain certificate 1"), "{e}");
    let e = export_pkcs12(&p.leaf_key, &p.leaf, &[], "😀", &Pkcs12Options::default(), &mut rand_core::OsRng).unwrap_err();
    assert!(e.to_string().contains("Basic Multilingual Plane") && !e.to_string().contains('😀'), "{e}");
    let too_many = Pkcs12Options { iterations: 10_000_001, ..Default::default() };
    assert!(export_pkcs12(&p.leaf_key, &p.leaf, &[], PASSWORD, &too_many, &mut rand_core::OsRng).is_err());
    // Debug output of what was imported shows no key material.
    let p12 =
        export_pkcs12(&p.leaf_key, &p.leaf, &[], PASSWORD, &Pkcs12Options { iterations: 16, ..Default::default() }, &mut rand_core::OsRng)
            .unwrap();
    let dbg = format!("{:?}", import_pkcs12(&p12, PASSWORD).unwrap());
    assert!(dbg.contains("PrivateKey(P-256)") && !dbg.contains(PASSWORD), "{dbg}");
}

/// Rewrites parts of a PFX with the same crates the module uses.
mod craft {
    use super::*;
    use cms::content_info::ContentInfo;
    use cms::encrypted_data::EncryptedData;
    use der::asn1::{Any, OctetString};
    use pkcs12::pbe_params::Pkcs12PbeParams;
    use pkcs12::pfx::Pfx;
    use pkcs12::safe_bag::SafeBag;

    pub fn mac_iterations(p12: &[u8], iterations: i32) -> Vec<u8> {
        let mut pfx = Pfx::from_der(p12).unwrap();
        pfx.mac_data.as_mut().unwrap().iterations = iterations;
        pfx.to_der().unwrap()
    }

    /// Drops the MAC and sets the certificates' PKCS#12 PBE iteration count.
    pub fn cert_pbe_iterations(p12: &[u8], iterations: i32) -> Vec<u8> {
        let mut pfx = Pfx::from_der(p12).unwrap();
        pfx.mac_data = None;
        let auth = pfx.auth_safe.content.decode_as::<OctetString>().unwrap();
        let mut safes = Vec::<ContentInfo>::from_der(auth.as_bytes()).unwrap();
        let mut ed = safes[0].content.decode_as::<EncryptedData>().unwrap();
        let alg = &mut ed.enc_content_info.content_enc_alg;
        let mut params = alg.parameters.as_ref().unwrap().decode_as::<Pkcs12PbeParams>().unwrap();
        params.iterations = iterations;
        alg.parameters = Some(Any::encode_from(&params).unwrap());
        safes[0].content = Any::encode_from(&ed).unwrap();
        pfx.auth_safe.content = Any::encode_from(&OctetString::new(safes.to_der().unwrap()).unwrap()).unwrap();
        pfx.to_der().unwrap()
    }

    /// A MAC-less PFX whose only content is SafeContents bags nested `depth` deep.
    pub fn nested(depth: usize) -> Vec<u8> {
        let mut inner: Vec<SafeBag> = Vec::new();
        for _ in 0..depth {
            let bag = SafeBag { bag_id: pkcs12::PKCS_12_SAFE_CONTENTS_BAG_OID, bag_value: inner.to_der().unwrap(), bag_attributes: None };
            inner = vec![bag];
        }
        let data = ContentInfo {
            content_type: "1.2.840.113549.1.7.1".parse().unwrap(),
            content: Any::encode_from(&OctetString::new(inner.to_der().unwrap()).unwrap()).unwrap(),
        };
        let auth = vec![data].to_der().unwrap();
        Pfx {
            version: pkcs12::pfx::Version::V3,
            auth_safe: ContentInfo {
                content_type: "1.2.840.113549.1.7.1".parse().unwrap(),
                content: Any::encode_from(&OctetString::new(auth).unwrap()).unwrap(),
            },
            mac_data: None,
        }
        .to_der()
        .unwrap()
    }
}

#[test]
fn absurd_iteration_counts_and_nesting_are_refused_fast() {
    let p = pki_for(PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap());
    let options = Pkcs12Options { profile: Pkcs12Profile::Legacy(LegacyCertCipher::Rc2_40), iterations: 32, ..Default::default() };
    let p12 = export_pkcs12(&p.leaf_key, &p.leaf, &p.chain, PASSWORD, &options, &mut rand_core::OsRng).unwrap();
    // Sanity: the crafting itself keeps the file valid.
    assert!(import_pkcs12(&craft::mac_iterations(&p12, 32), PASSWORD).is_ok());
    assert!(import_pkcs12(&craft::cert_pbe_iterations(&p12, 32), PASSWORD).is_ok());

    for (what, file) in [
        ("MAC", craft::mac_iterations(&p12, i32::MAX)),
        ("MAC", craft::mac_iterations(&p12, 10_000_001)),
        ("certificate PBE", craft::cert_pbe_iterations(&p12, i32::MAX)),
    ] {
        let t = Instant::now();
        let e = import_pkcs12(&file, PASSWORD).unwrap_err();
        assert!(t.elapsed() < Duration::from_millis(500), "{what}: took {:?}", t.elapsed());
        assert!(matches!(e, Pkcs12Error::Refused(_)) && e.to_string().contains("above the limit of 10000000"), "{what}: {e}");
    }
    for bad in [0, -5] {
        let e = import_pkcs12(&craft::mac_iterations(&p12, bad), PASSWORD).unwrap_err();
        assert!(e.to_string().contains(&format!("iteration count {bad}")), "{e}");
    }
    // Nesting: 4 levels are read, 50 refused.
    assert!(import_pkcs12(&craft::nested(4), "").unwrap().certificates.is_empty());
    let e = import_pkcs12(&craft::nested(50), "").unwrap_err();
    assert!(matches!(e, Pkcs12Error::Refused(_)) && e.to_string().contains("nested deeper"), "{e}");
}
