//! What the PKI core makes of every committed test vector in `tests/data/`
//! (see `tests/data/README.md` for how each file was made and what is special about it).
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, spawns openssl

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine as _;
use certwright::pki::{dedupe, order_chain, parse_bundle, Bundle, CertificateInfo, Role};
use der::{Decode as _, Encode as _};

const ROOT_DN: &str = "CN=Certwright Test Root CA,O=Certwright Test,C=US";
const INTERMEDIATE_DN: &str = "CN=Certwright Test Intermediate CA,O=Certwright Test,C=US";
const LEAF_DN: &str = "CN=example.com,O=Certwright Test,C=US";
const CSR_DN: &str = "CN=csr.example.com,O=Example,C=US";

// SHA-256 fingerprints from tests/data/README.md, where make_vectors.py cross-checked them
// against `openssl x509 -noout -fingerprint -sha256`. `readme_fingerprints_match` below also
// checks every row of the README's table, so these constants cannot drift from it unnoticed.
const ROOT_SHA256: &str = "12c893a0298c2aa2b58c499c6c80eab29e5c36de25bbca29bb5c71325c6c7efe";
const INTERMEDIATE_SHA256: &str = "56195de38aa941dd77043504db56964154b44d5c52e9eb6b0c2e7e6bdd35b636";
const LEAF_SHA256: &str = "be77257cbf8e6fd53fe7093270ef87486d69c3e0c1d46404a9045990354d27d0";

const ISO_START: &str = "2025-01-01T00:00:00Z";
const ISO_END: &str = "2035-01-01T00:00:00Z";

fn data_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(data_path(rel)).unwrap_or_else(|e| panic!("reading tests/data/{rel}: {e}"))
}

fn load(rel: &str) -> Bundle {
    parse_bundle(&read(rel), rel)
}

/// Loads a file that must hold exactly one certificate and nothing else.
fn one_cert(rel: &str) -> CertificateInfo {
    let b = load(rel);
    assert_eq!(b.certificates.len(), 1, "{rel}: {b:#?}");
    assert!(b.problems.is_empty() && b.crls.is_empty() && b.csrs.is_empty(), "{rel}: {b:#?}");
    b.certificates.into_iter().next().unwrap()
}

fn fingerprints(b: &Bundle) -> Vec<&str> {
    b.certificates.iter().map(|c| c.sha256_fingerprint.as_str()).collect()
}

fn has_warning(c: &CertificateInfo, needle: &str) -> bool {
    c.warnings.iter().any(|w| w.contains(needle))
}

/// 1-based numbers of the lines of `rel` that start a PEM block.
fn begin_lines(rel: &str) -> Vec<usize> {
    String::from_utf8(read(rel)).unwrap().lines().enumerate().filter(|(_, l)| l.starts_with("-----BEGIN ")).map(|(i, _)| i + 1).collect()
}

/// Decodes a single-block PEM string independently of certwright's own PEM code.
fn decode_pem(pem: &str, label: &str) -> Vec<u8> {
    let lines: Vec<&str> = pem.lines().collect();
    assert_eq!(lines.first().copied(), Some(format!("-----BEGIN {label}-----").as_str()), "{pem}");
    assert_eq!(lines.last().copied(), Some(format!("-----END {label}-----").as_str()), "{pem}");
    let body = &lines[1..lines.len() - 1];
    assert!(body.iter().all(|l| l.len() <= 64), "PEM lines must be at most 64 columns:\n{pem}");
    assert!(body[..body.len() - 1].iter().all(|l| l.len() == 64), "PEM lines must be 64 columns:\n{pem}");
    base64::engine::general_purpose::STANDARD.decode(body.concat()).expect("the pem field is valid base64")
}

#[test]
fn root_certificate() {
    let c = one_cert("chain/root.pem");
    assert_eq!(c.index, 0);
    assert_eq!(c.subject_dn, ROOT_DN);
    assert_eq!(c.issuer_dn, ROOT_DN);
    let attrs: Vec<(&str, &str)> = c.subject.iter().map(|a| (&*a.attribute, a.value.as_str())).collect();
    assert_eq!(attrs, [("C", "US"), ("O", "Certwright Test"), ("CN", "Certwright Test Root CA")]);
    assert_eq!(c.serial_number, "1001");
    assert_eq!((c.valid_from.as_str(), c.expires.as_str()), (ISO_START, ISO_END));
    assert_eq!((c.valid_from_unix, c.expires_unix), (1_735_689_600, 2_051_222_400));
    assert_eq!((c.key_algorithm.as_str(), c.key_size, c.curve.as_deref()), ("RSA", 2048, None));
    assert_eq!(c.signature_algorithm, "sha256WithRSAEncryption");
    assert_eq!(c.version, 3);
    assert!(c.is_ca);
    assert_eq!(c.path_len, None);
    assert!(c.self_signed);
    assert_eq!(c.role, Role::Root);
    assert_eq!(c.key_usage, ["keyCertSign", "cRLSign"]);
    assert!(c.extended_key_usage.is_empty());
    assert!(c.subject_alternative_names.is_empty());
    let ski = c.subject_key_identifier.as_deref().expect("root has an SKI");
    assert_eq!(ski.len(), 40);
    assert_eq!(c.authority_key_identifier.as_deref(), Some(ski), "the root's AKI is its own SKI");
    let bc = c.extensions.iter().find(|e| e.oid == "2.5.29.19").expect("basicConstraints");
    assert_eq!((bc.name, bc.critical, bc.value_hex.as_deref()), (Some("basicConstraints"), true, None));
    assert_eq!(c.sha256_fingerprint, ROOT_SHA256);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn intermediate_certificate() {
    let c = one_cert("chain/intermediate.pem");
    assert_eq!(c.subject_dn, INTERMEDIATE_DN);
    assert_eq!(c.issuer_dn, ROOT_DN);
    assert_eq!(c.serial_number, "2001");
    assert_eq!((c.valid_from.as_str(), c.expires.as_str()), (ISO_START, ISO_END));
    assert_eq!((c.key_algorithm.as_str(), c.key_size, c.curve.as_deref()), ("EC", 256, Some("P-256")));
    assert_eq!(c.signature_algorithm, "sha256WithRSAEncryption");
    assert_eq!(c.version, 3);
    assert!(c.is_ca);
    assert_eq!(c.path_len, Some(0));
    assert!(!c.self_signed);
    assert_eq!(c.role, Role::Intermediate);
    assert_eq!(c.key_usage, ["digitalSignature", "keyCertSign", "cRLSign"]);
    let root = one_cert("chain/root.pem");
    assert!(c.subject_key_identifier.is_some());
    assert_eq!(c.authority_key_identifier, root.subject_key_identifier, "AKI of intermediate == SKI of root");
    assert_ne!(c.subject_key_identifier, root.subject_key_identifier);
    assert_eq!(c.sha256_fingerprint, INTERMEDIATE_SHA256);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn leaf_certificate() {
    let c = one_cert("chain/leaf.pem");
    assert_eq!(c.subject_dn, LEAF_DN);
    assert_eq!(c.issuer_dn, INTERMEDIATE_DN);
    assert_eq!(c.serial_number, "3001");
    assert_eq!((c.valid_from.as_str(), c.expires.as_str()), (ISO_START, ISO_END));
    assert_eq!((c.key_algorithm.as_str(), c.key_size, c.curve.as_deref()), ("EC", 256, Some("P-256")));
    assert_eq!(c.signature_algorithm, "ecdsa-with-SHA256");
    assert_eq!(c.version, 3);
    assert!(!c.is_ca);
    assert!(!c.self_signed);
    assert_eq!(c.role, Role::Leaf);
    assert_eq!(
        c.subject_alternative_names,
        ["DNS:example.com", "DNS:*.example.com", "IP Address:192.0.2.1", "email:admin@example.com", "URI:https://example.com/",]
    );
    assert_eq!(c.key_usage, ["digitalSignature", "keyAgreement"]);
    let ku = c.extensions.iter().find(|e| e.oid == "2.5.29.15").expect("keyUsage");
    assert!(ku.critical, "keyUsage is critical");
    assert_eq!(c.extended_key_usage, ["serverAuth", "clientAuth"]);
    assert_eq!(c.crl_distribution_points, ["URI:http://crl.example.com/int.crl"]);
    assert_eq!(c.authority_info_access, ["OCSP - URI:http://ocsp.example.com", "CA Issuers - URI:http://ca.example.com/int.cer"]);
    assert_eq!(c.policies, ["2.23.140.1.2.1 (CA/B Forum domain validated)"]);
    let intermediate = one_cert("chain/intermediate.pem");
    assert!(c.subject_key_identifier.is_some());
    assert!(c.authority_key_identifier.is_some());
    assert_eq!(c.authority_key_identifier, intermediate.subject_key_identifier, "AKI of leaf == SKI of intermediate");
    assert_eq!(c.sha256_fingerprint, LEAF_SHA256);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let oids: Vec<&str> = c.extensions.iter().map(|e| &*e.oid).collect();
    assert_eq!(
        oids,
        ["2.5.29.19", "2.5.29.14", "2.5.29.35", "2.5.29.17", "2.5.29.15", "2.5.29.37", "2.5.29.31", "1.3.6.1.5.5.7.1.1", "2.5.29.32"]
    );

    // The DER file is the same certificate.
    let der = one_cert("chain/leaf.der");
    assert_eq!(der.der, read("chain/leaf.der"));
    assert_eq!(der.der, c.der);
    assert_eq!(der.sha1_fingerprint, c.sha1_fingerprint);
    assert_eq!(der.sha256_fingerprint, LEAF_SHA256);
    assert_eq!(der.subject_alternative_names, c.subject_alternative_names);
}

#[test]
fn unknown_extension_is_shown_with_its_oid_and_hex_value() {
    let c = one_cert("chain/unknown-ext.pem");
    assert_eq!(c.subject_dn, "CN=unknown-ext.example.com,O=Certwright Test,C=US");
    assert_eq!(c.serial_number, "3002");
    assert_eq!(c.role, Role::Leaf);
    let ext = c.extensions.iter().find(|e| e.oid == "1.3.6.1.4.1.55555.1").expect("the private extension is listed");
    assert_eq!(ext.name, None);
    assert!(!ext.critical);
    assert_eq!(ext.value_hex.as_deref(), Some("0403010203"));
    assert!(c.warnings.is_empty(), "an unknown non-critical extension is not a warning: {:?}", c.warnings);
}

#[test]
fn readme_fingerprints_match() {
    let readme = String::from_utf8(read("README.md")).unwrap();
    // Rows of the fingerprint table: | `file` | what | `hex` or `-` |
    let mut table: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() != 5 || !cells[1].starts_with('`') {
            continue;
        }
        let fp = cells[3].trim_matches('`');
        if fp == "-" || (fp.len() == 64 && fp.bytes().all(|b| b.is_ascii_hexdigit())) {
            table.entry(cells[1].trim_matches('`').to_string()).or_default().push(fp.to_string());
        }
    }
    assert!(table.len() >= 25, "could not find the README's fingerprint table: {table:?}");
    assert_eq!(table["chain/root.pem"], [ROOT_SHA256]);
    let mut rows = 0;
    for (file, expected) in &table {
        let b = load(file);
        let certs: Vec<&str> = expected.iter().map(String::as_str).filter(|f| *f != "-").collect();
        assert_eq!(fingerprints(&b), certs, "{file}");
        let bad_blocks = expected.len() - certs.len();
        assert_eq!(b.problems.len(), bad_blocks, "{file}: {:?}", b.problems);
        rows += expected.len();
    }
    assert!(rows >= 40, "only {rows} fingerprint rows");
}

#[test]
fn odd_certificates_load_with_specific_warnings() {
    // (file, serial, a substring of the expected warning)
    let cases = [
        ("odd/pre1970.pem", "5001", "notBefore is before 1970"),
        ("odd/universalstring.pem", "5002", "UniversalString"),
        ("odd/long-serial.pem", "4c0102030405060708090a0b0c0d0e0f101112131415161718", "25 octets long"),
        ("odd/bad-san.pem", "5004", "extension subjectAltName could not be decoded"),
        ("odd/non-minimal-int.pem", "01", "non-minimal length of an INTEGER"),
        ("odd/non-minimal-serial.pem", "01", "INTEGER not minimally encoded at byte 13"),
        ("odd/trailing-bytes.der", "5006", "4 unexpected bytes after the end of the certificate"),
        ("odd/negative-serial.pem", "-01", "serial number is negative"),
    ];
    for (file, serial, warning) in cases {
        let c = one_cert(file);
        assert_eq!(c.serial_number, serial, "{file}");
        assert!(has_warning(&c, warning), "{file}: expected a warning containing {warning:?}, got {:?}", c.warnings);
        assert!(c.self_signed, "{file}: odd certificates are self-issued");
        assert_eq!(c.subject_dn, c.issuer_dn, "{file}");
        assert_eq!((c.key_algorithm.as_str(), c.key_size), ("RSA", 2048), "{file}");
    }

    let c = one_cert("odd/pre1970.pem");
    assert_eq!((c.valid_from.as_str(), c.expires.as_str()), ("1965-01-01T00:00:00Z", "2049-12-31T23:59:59Z"));
    assert_eq!(c.valid_from_unix, -157_766_400);

    let c = one_cert("odd/universalstring.pem");
    assert_eq!(c.subject_dn, "CN=Universal Test,C=US");
    let cn = c.subject.iter().find(|a| a.attribute == "CN").unwrap();
    assert_eq!((cn.value.as_str(), cn.string_type), ("Universal Test", "UniversalString"));
    assert!(has_warning(&c, "subject attribute CN") && has_warning(&c, "issuer attribute CN"), "{:?}", c.warnings);

    let c = one_cert("odd/bad-san.pem");
    assert!(c.subject_alternative_names.is_empty());
    let san = c.extensions.iter().find(|e| e.oid == "2.5.29.17").expect("the broken SAN is still listed");
    assert_eq!(san.value_hex.as_deref(), Some("300582094141"), "shown as raw hex");

    let c = one_cert("odd/non-minimal-int.pem");
    assert!(has_warning(&c, "not valid DER"), "{:?}", c.warnings);
    assert!(c.is_ca);
    assert_eq!(c.path_len, Some(1), "pathLenConstraint 02 02 00 01 is still read as 1");
    assert_eq!(c.role, Role::Root);

    let file = read("odd/trailing-bytes.der");
    let c = one_cert("odd/trailing-bytes.der");
    assert_eq!(c.der, file[..file.len() - 4], "the certificate is the file without its 4 trailing bytes");
    assert_eq!(&file[file.len() - 4..], [0, 0, 0, 0]);
}

#[test]
fn pem_variants_all_give_the_root() {
    for file in ["pem/crlf.pem", "pem/width76.pem", "pem/rfc1421-headers.pem", "pem/x509-label.pem", "pem/trusted.pem", "pem/one-line.pem"]
    {
        let c = one_cert(file);
        assert_eq!(c.sha256_fingerprint, ROOT_SHA256, "{file}");
        assert_eq!(c.subject_dn, ROOT_DN, "{file}");
        if file == "pem/trusted.pem" {
            assert!(has_warning(&c, "bytes of OpenSSL trust data after the certificate were ignored"), "{:?}", c.warnings);
        } else {
            assert!(c.warnings.is_empty(), "{file}: {:?}", c.warnings);
        }
    }
    // Text before, between and after the blocks is ignored.
    let b = load("pem/with-text.pem");
    assert!(b.problems.is_empty(), "{:?}", b.problems);
    assert_eq!(fingerprints(&b), [ROOT_SHA256, INTERMEDIATE_SHA256]);
    let lines = begin_lines("pem/with-text.pem");
    assert_eq!(lines.len(), 2);
    assert_eq!(b.certificates[0].source, format!("pem/with-text.pem, block 1 (line {})", lines[0]));
    assert_eq!(b.certificates[1].source, format!("pem/with-text.pem, block 2 (line {})", lines[1]));
    assert_eq!(b.certificates[1].index, 1);
}

#[test]
fn malformed_middle_block_is_a_problem_and_the_rest_loads() {
    let b = load("pem/malformed-middle.pem");
    assert_eq!(fingerprints(&b), [ROOT_SHA256, LEAF_SHA256]);
    assert_eq!(b.problems.len(), 1, "{:?}", b.problems);
    let p = &b.problems[0];
    let lines = begin_lines("pem/malformed-middle.pem");
    assert_eq!(lines.len(), 3);
    assert_eq!(p.block, 2);
    assert_eq!(p.line, lines[1], "the problem points at the second BEGIN line");
    assert_eq!(p.line, 22);
    assert_eq!(p.source, "pem/malformed-middle.pem, block 2 (line 22)");
    assert!(p.message.contains("not a valid X.509 certificate"), "{}", p.message);
    assert_eq!(b.certificates[1].source, format!("pem/malformed-middle.pem, block 3 (line {})", lines[2]));
}

#[test]
fn bad_base64_block_is_a_problem_and_the_rest_loads() {
    let b = load("pem/bad-base64.pem");
    assert_eq!(fingerprints(&b), [ROOT_SHA256]);
    assert_eq!(b.problems.len(), 1, "{:?}", b.problems);
    let p = &b.problems[0];
    let lines = begin_lines("pem/bad-base64.pem");
    assert_eq!(lines.len(), 2);
    assert_eq!((p.block, p.line), (2, lines[1]));
    assert!(p.message.contains("invalid base64 character '!'"), "{}", p.message);
}

#[test]
fn pkcs7_bundles_yield_the_three_certificates() {
    for file in ["pkcs7/chain.p7b", "pkcs7/chain.p7c.pem", "pkcs7/chain-cms.pem"] {
        let b = load(file);
        assert!(b.problems.is_empty() && b.crls.is_empty() && b.csrs.is_empty(), "{file}: {b:#?}");
        assert_eq!(fingerprints(&b), [LEAF_SHA256, INTERMEDIATE_SHA256, ROOT_SHA256], "{file}");
        let dns: Vec<&str> = b.certificates.iter().map(|c| c.subject_dn.as_str()).collect();
        assert_eq!(dns, [LEAF_DN, INTERMEDIATE_DN, ROOT_DN], "{file}");
        let roles: Vec<Role> = b.certificates.iter().map(|c| c.role).collect();
        assert_eq!(roles, [Role::Leaf, Role::Intermediate, Role::Root], "{file}");
        for (i, c) in b.certificates.iter().enumerate() {
            assert_eq!(c.index, i);
            assert!(c.source.ends_with(&format!("PKCS#7 certificate {}", i + 1)), "{}", c.source);
        }
        let order = order_chain(&b.certificates);
        assert_eq!((order.order.as_slice(), order.chain_len), (&[0, 1, 2][..], 3), "{file}");
        assert!(order.notes.is_empty(), "{file}: {:?}", order.notes);
    }
    // DER and both armourings carry the same bytes.
    let der = read("pkcs7/chain.p7b");
    let b = load("pkcs7/chain.p7c.pem");
    assert_eq!(b.certificates[0].der, load("chain/leaf.der").certificates[0].der);
    let text = String::from_utf8(read("pkcs7/chain-cms.pem")).unwrap();
    assert!(text.starts_with("-----BEGIN CMS-----"));
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    assert_eq!(base64::engine::general_purpose::STANDARD.decode(body).unwrap(), der);
}

#[test]
fn crls() {
    for file in ["crl/intermediate.crl.pem", "crl/intermediate.crl.der"] {
        let b = load(file);
        assert!(b.certificates.is_empty() && b.csrs.is_empty() && b.problems.is_empty(), "{file}: {b:#?}");
        assert_eq!(b.crls.len(), 1, "{file}");
        let crl = &b.crls[0];
        assert_eq!(crl.issuer_dn, INTERMEDIATE_DN);
        assert_eq!(crl.version, 2);
        assert_eq!(crl.this_update, "2025-06-01T00:00:00Z");
        assert_eq!(crl.next_update.as_deref(), Some("2035-01-01T00:00:00Z"));
        assert_eq!(crl.crl_number.as_deref(), Some("2a"), "CRLNumber 42");
        assert_eq!(crl.signature_algorithm, "ecdsa-with-SHA256");
        let revoked: Vec<(&str, &str, Option<&str>)> =
            crl.revoked.iter().map(|r| (r.serial_number.as_str(), r.revocation_date.as_str(), r.reason.as_deref())).collect();
        assert_eq!(
            revoked,
            [
                ("3101", "2025-03-01T12:00:01Z", Some("keyCompromise")),
                ("3102", "2025-03-01T12:00:02Z", Some("cessationOfOperation")),
                ("3103", "2025-03-01T12:00:03Z", None),
            ],
            "{file}"
        );
        assert!(crl.warnings.is_empty(), "{:?}", crl.warnings);
        assert_eq!(decode_pem(&crl.pem, "X509 CRL"), read("crl/intermediate.crl.der"));
    }
    assert_eq!(load("crl/intermediate.crl.pem").crls[0].sha256_fingerprint, load("crl/intermediate.crl.der").crls[0].sha256_fingerprint);

    let b = load("crl/v1.crl.pem");
    assert_eq!((b.crls.len(), b.problems.len()), (1, 0), "{b:#?}");
    let crl = &b.crls[0];
    assert_eq!(crl.issuer_dn, ROOT_DN);
    assert_eq!(crl.version, 1);
    assert_eq!(crl.this_update, "2025-06-01T00:00:00Z");
    assert_eq!(crl.next_update.as_deref(), Some("2034-12-31T23:59:59Z"));
    assert_eq!(crl.crl_number, None);
    assert_eq!(crl.signature_algorithm, "sha256WithRSAEncryption");
    let revoked: Vec<(&str, &str, Option<&str>)> =
        crl.revoked.iter().map(|r| (r.serial_number.as_str(), r.revocation_date.as_str(), r.reason.as_deref())).collect();
    assert_eq!(revoked, [("1101", "2025-03-01T12:00:00Z", None), ("1102", "2025-04-01T12:00:00Z", None)]);
}

#[test]
fn csrs() {
    for (file, alg, size, curve, sig, valid) in [
        ("csr/rsa.csr.pem", "RSA", 2048, None, "sha256WithRSAEncryption", true),
        ("csr/ec.csr.pem", "EC", 256, Some("P-256"), "ecdsa-with-SHA256", true),
        ("csr/bad-signature.csr.pem", "RSA", 2048, None, "sha256WithRSAEncryption", false),
    ] {
        let b = load(file);
        assert!(b.certificates.is_empty() && b.crls.is_empty() && b.problems.is_empty(), "{file}: {b:#?}");
        assert_eq!(b.csrs.len(), 1, "{file}");
        let csr = &b.csrs[0];
        assert_eq!(csr.subject_dn, CSR_DN, "{file}");
        assert_eq!((csr.key_algorithm.as_str(), csr.key_size, csr.curve.as_deref()), (alg, size, curve), "{file}");
        assert_eq!(csr.signature_algorithm, sig, "{file}");
        assert_eq!(csr.subject_alternative_names, ["DNS:csr.example.com", "IP Address:198.51.100.7"], "{file}");
        assert_eq!(csr.key_usage, ["digitalSignature", "keyEncipherment"], "{file}");
        assert_eq!(csr.extended_key_usage, ["serverAuth"], "{file}");
        assert_eq!(csr.signature_valid, valid, "{file}: {:?}", csr.signature_error);
        if valid {
            assert_eq!(csr.signature_error, None, "{file}");
        } else {
            assert_eq!(csr.signature_error.as_deref(), Some("signature does not verify"), "{file}");
        }
        assert!(csr.warnings.is_empty(), "{file}: {:?}", csr.warnings);
    }
}

#[test]
fn xss_subject_is_decoded_literally() {
    let c = one_cert("xss/xss-subject.pem");
    let cn = c.subject.iter().find(|a| a.attribute == "CN").expect("CN");
    assert_eq!(cn.value, "<img src=x onerror=alert(1)>");
    assert_eq!(cn.string_type, "UTF8String");
    let o = c.subject.iter().find(|a| a.attribute == "O").expect("O");
    assert_eq!(o.value, "<script>alert(2)</script>");
    // RFC 4514 escapes `<` and `>` in the string form.
    assert_eq!(c.subject_dn, r"CN=\<img src=x onerror=alert(1)\>,O=\<script\>alert(2)\</script\>");
    assert_eq!(c.serial_number, "4001");
    assert!(c.self_signed);
    assert_eq!((c.key_algorithm.as_str(), c.curve.as_deref()), ("EC", Some("P-256")));
}

#[test]
fn chain_tools_on_the_shuffled_bundle() {
    let b = load("chain/bundle-shuffled.pem");
    assert!(b.problems.is_empty());
    assert_eq!(fingerprints(&b), [LEAF_SHA256, ROOT_SHA256, INTERMEDIATE_SHA256, LEAF_SHA256]);

    assert_eq!(dedupe(&b.certificates), [0, 1, 2], "the second copy of the leaf is removed");

    let order = order_chain(&b.certificates);
    assert_eq!(order.chain_len, 3);
    let chain: Vec<&str> = order.order[..3].iter().map(|&i| b.certificates[i].sha256_fingerprint.as_str()).collect();
    assert_eq!(chain, [LEAF_SHA256, INTERMEDIATE_SHA256, ROOT_SHA256], "leaf, intermediate, root");
    assert_eq!(order.order, [0, 2, 1, 3], "the first copy of the leaf heads the chain; the later copy is left over");
    assert_eq!(order.notes.len(), 1, "{:?}", order.notes);
    assert_eq!(order.notes[0], format!("certificate 4 ({LEAF_DN}) is a duplicate of a certificate in the chain"));

    // After dedupe nothing is left over.
    let kept: Vec<CertificateInfo> = dedupe(&b.certificates).into_iter().map(|i| b.certificates[i].clone()).collect();
    let order = order_chain(&kept);
    assert_eq!((order.order.as_slice(), order.chain_len), (&[0, 2, 1][..], 3));
    assert!(order.notes.is_empty(), "{:?}", order.notes);
}

#[test]
fn chain_without_intermediate_ends_at_the_leaf() {
    let mut input = read("chain/leaf.pem");
    input.extend(read("chain/root.pem"));
    let b = parse_bundle(&input, "leaf+root");
    assert_eq!(fingerprints(&b), [LEAF_SHA256, ROOT_SHA256]);
    let order = order_chain(&b.certificates);
    assert_eq!(order.order, [0, 1]);
    assert_eq!(order.chain_len, 1);
    assert_eq!(order.notes.len(), 2, "{:?}", order.notes);
    assert_eq!(order.notes[0], format!("the chain ends at certificate 1 ({LEAF_DN}): its issuer {INTERMEDIATE_DN} is not in the bundle"));
    assert_eq!(order.notes[1], format!("certificate 2 ({ROOT_DN}) did not issue any certificate of the chain and is not issued by one"));
}

#[test]
fn chain_tools_on_empty_and_single_inputs() {
    let order = order_chain(&[]);
    assert_eq!((order.order.len(), order.chain_len, order.notes.len()), (0, 0, 0));
    assert!(dedupe(&[]).is_empty());
    let root = one_cert("chain/root.pem");
    let order = order_chain(std::slice::from_ref(&root));
    assert_eq!((order.order.as_slice(), order.chain_len), (&[0][..], 1));
    assert!(order.notes.is_empty(), "a lone root is a complete chain: {:?}", order.notes);
}

/// Every certificate that is well-formed DER: x509-cert's strict decoder re-encodes it byte for
/// byte, and the `pem` field decodes back to exactly that DER.
#[test]
fn der_round_trip() {
    let well_formed = [
        "chain/root.pem",
        "chain/intermediate.pem",
        "chain/leaf.pem",
        "chain/leaf.der",
        "chain/bundle-shuffled.pem",
        "chain/unknown-ext.pem",
        "pkcs7/chain.p7b",
        "pkcs7/chain.p7c.pem",
        "pkcs7/chain-cms.pem",
        "pem/crlf.pem",
        "pem/width76.pem",
        "pem/rfc1421-headers.pem",
        "pem/x509-label.pem",
        "pem/trusted.pem",
        "pem/with-text.pem",
        "pem/one-line.pem",
        "pem/malformed-middle.pem",
        "pem/bad-base64.pem",
        "xss/xss-subject.pem",
        // Odd, but still DER that x509-cert accepts.
        "odd/bad-san.pem",
        "odd/negative-serial.pem",
        "odd/trailing-bytes.der",
    ];
    let mut n = 0;
    for file in well_formed {
        for c in load(file).certificates {
            let parsed = x509_cert::Certificate::from_der(&c.der).unwrap_or_else(|e| panic!("{}: x509-cert refuses it: {e}", c.source));
            assert_eq!(parsed.to_der().unwrap(), c.der, "{}: DER round trip", c.source);
            assert_eq!(decode_pem(&c.pem(), "CERTIFICATE"), c.der, "{}: pem field", c.source);
            n += 1;
        }
    }
    assert_eq!(n, 33);
    // Single-certificate DER files: `der` is exactly the file.
    assert_eq!(one_cert("chain/leaf.der").der, read("chain/leaf.der"));
    let root = one_cert("chain/root.pem");
    assert_eq!(root.pem(), String::from_utf8(read("chain/root.pem")).unwrap(), "root.pem is already canonical PEM");

    // What x509-cert refuses is exactly what carries a "strict parsers refuse" kind of warning;
    // the `pem` field still holds the certificate's own bytes.
    for file in
        ["odd/pre1970.pem", "odd/universalstring.pem", "odd/long-serial.pem", "odd/non-minimal-int.pem", "odd/non-minimal-serial.pem"]
    {
        let c = one_cert(file);
        assert!(x509_cert::Certificate::from_der(&c.der).is_err(), "{file}: x509-cert accepts it");
        assert!(!c.warnings.is_empty(), "{file}");
        assert_eq!(decode_pem(&c.pem(), "CERTIFICATE"), c.der, "{file}: pem field");
        let file_der = decode_pem(&String::from_utf8(read(file)).unwrap(), "CERTIFICATE");
        assert_eq!(c.der, file_der, "{file}: der is the input");
    }
}

/// Load and warn: every certificate that x509-cert's strict decoder refuses, among all vectors
/// and the system trust store, loads here with at least one warning.
#[test]
fn whatever_a_strict_decoder_refuses_carries_a_warning() {
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut stack = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                if !p.ends_with("keys") {
                    stack.push(p);
                }
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("pem" | "der" | "p7b")) {
                inputs.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    if let Ok(system) = std::fs::read("/etc/ssl/certs/ca-certificates.crt") {
        inputs.push(("system bundle".into(), system));
    }
    let (mut refused, mut checked) = (0, 0);
    for (name, bytes) in &inputs {
        for c in certwright::pki::parse_bundle(bytes, name).certificates {
            checked += 1;
            if x509_cert::Certificate::from_der(&c.der).is_err() {
                refused += 1;
                assert!(!c.warnings.is_empty(), "{}: x509-cert refuses it but it carries no warning", c.source);
            }
        }
    }
    assert!(refused >= 5 && checked > 100, "refused {refused} of {checked}");
}
