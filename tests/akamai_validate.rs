//! Akamai CA-set version validation, duplicate-version detection and version comparison on
//! real certificates (committed vectors, plus SHA-1 and 1024-bit CAs that openssl makes here).
#![cfg(not(target_arch = "wasm32"))] // native only: spawns openssl

use std::path::Path;
use std::process::Command;

use certwright::vendors::akamai::validate::{
    compare_versions, duplicate_of, fingerprint_set, validate_version, CertificateEntry, VersionBody,
};

const NOW: i64 = 1_767_225_600; // 2026-01-01
const AFTER_2035: i64 = 2_082_758_400; // 2036-01-01

fn pem(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)).unwrap()
}

fn body(pems: &[String], allow_sha1: bool) -> VersionBody {
    VersionBody {
        allow_insecure_sha1: allow_sha1,
        description: None,
        certificates: pems.iter().map(|p| CertificateEntry { certificate_pem: p.clone(), description: None }).collect(),
    }
}

/// A self-signed CA made by openssl with the given digest and RSA size.
fn openssl_ca(digest: &str, bits: u32) -> String {
    let dir = std::env::temp_dir().join(format!("certwright-akamai-{}-{digest}-{bits}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("k.pem");
    let cert = dir.join("c.pem");
    let out = Command::new("openssl")
        .args(["req", "-x509", &format!("-{digest}"), "-newkey", &format!("rsa:{bits}"), "-nodes", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .args([
            "-days",
            "3650",
            "-subj",
            &format!("/CN={digest} {bits} CA"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ])
        .output()
        .expect("openssl must be installed (scripts/setup.sh test installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::read_to_string(cert).unwrap()
}

/// Now: openssl's certificates start now, and the committed ones end in 2035.
fn wall_clock() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(NOW, |d| d.as_secs() as i64)
}

fn types(list: &[certwright::vendors::akamai::validate::Finding]) -> Vec<(String, String)> {
    list.iter().map(|f| (f.kind.trim_start_matches("/mtls-edge-truststore/error-types/").to_string(), f.pointer.clone())).collect()
}

#[test]
fn a_good_version_passes() {
    let v = validate_version(&body(&[pem("chain/intermediate.pem"), pem("chain/root.pem")], false), NOW);
    assert!(v.is_acceptable(), "{v:?}");
    assert!(v.warnings.is_empty() && v.notices.is_empty(), "{v:?}");
}

#[test]
fn errors_and_warnings_point_at_the_right_certificates() {
    let sha1 = openssl_ca("sha1", 2048);
    let small = openssl_ca("sha256", 1024);
    let v = validate_version(
        &body(
            &[
                pem("chain/root.pem"),
                pem("chain/leaf.pem"),
                sha1.clone(),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".into(),
                pem("chain/root.pem"),
                small,
            ],
            false,
        ),
        wall_clock(),
    );
    assert_eq!(
        types(&v.errors),
        [
            ("not-a-ca-certificate".into(), "/certificates/1".into()),
            ("insecure-signature-algorithm".into(), "/certificates/2".into()),
            ("malformed-certificate".into(), "/certificates/3".into()),
            ("weak-key".into(), "/certificates/5".into()),
        ]
    );
    assert_eq!(types(&v.warnings), [("duplicate-certificate".to_string(), "/certificates/4".to_string())]);
    assert!(v.warnings[0].detail.contains("/certificates/0"));
    assert!(v.errors[3].detail.contains("1024 bits"));
    // allowInsecureSha1 turns the SHA-1 error into a notice.
    let v = validate_version(&body(&[sha1], true), wall_clock());
    assert!(v.is_acceptable(), "{v:?}");
    assert_eq!(types(&v.notices), [("insecure-signature-allowed".to_string(), "/certificates/0".to_string())]);
}

#[test]
fn expiry_is_checked_against_the_given_time() {
    let v = validate_version(&body(&[pem("chain/root.pem")], false), AFTER_2035);
    assert_eq!(types(&v.errors), [("expired-certificate".to_string(), "/certificates/0".to_string())]);
    assert!(
        v.errors[0].detail.contains("Expiry date is 2035-01-01T00:00:00Z. The check was performed on 2036-01-01T00:00:00Z."),
        "{}",
        v.errors[0].detail
    );
    let v = validate_version(&body(&[pem("chain/root.pem")], false), 1_700_000_000); // 2023
    assert_eq!(types(&v.errors), [("certificate-not-yet-valid".to_string(), "/certificates/0".to_string())]);
    let v = validate_version(&body(&[], false), NOW);
    assert_eq!(types(&v.errors), [("certificates-required".to_string(), String::new())]);
}

#[test]
fn duplicate_versions_ignore_order_and_the_sha1_flag() {
    let a = body(&[pem("chain/root.pem"), pem("chain/intermediate.pem")], false);
    let b = body(&[pem("chain/intermediate.pem"), pem("chain/root.pem")], true);
    let c = body(&[pem("chain/root.pem")], false);
    let existing = vec![(1, fingerprint_set(&c)), (2, fingerprint_set(&a))];
    assert_eq!(duplicate_of(&fingerprint_set(&b), &existing), Some(2));
    assert_eq!(duplicate_of(&fingerprint_set(&body(&[pem("chain/intermediate.pem")], false)), &existing), None);
    let diff = compare_versions(&c, &b);
    assert_eq!(diff.added.len(), 1);
    assert_eq!(diff.added[0].subject, "CN=Certwright Test Intermediate CA,O=Certwright Test,C=US");
    assert_eq!(diff.unchanged.len(), 1);
    assert!(diff.removed.is_empty());
    assert_eq!(compare_versions(&b, &c).removed.len(), 1);
}

#[test]
fn pasted_text_splits_into_one_entry_per_block() {
    let root = pem("chain/root.pem");
    let text = format!(
        "notes before\r\n{root}between\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n{}",
        pem("chain/intermediate.pem")
    );
    let entries = certwright::vendors::akamai::validate::entries_from_text(&text);
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].certificate_pem, root.replace("\r\n", "\n"));
    let v = validate_version(&VersionBody { certificates: entries, ..VersionBody::default() }, NOW);
    assert_eq!(types(&v.errors), [("malformed-certificate".to_string(), "/certificates/1".to_string())]);
    // An unterminated block is kept (and reported) rather than dropped.
    let cut = &root[..root.len() / 2];
    assert_eq!(certwright::vendors::akamai::validate::entries_from_text(cut).len(), 1);
    assert!(certwright::vendors::akamai::validate::entries_from_text("no pem here").is_empty());
}
