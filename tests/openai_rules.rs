//! OpenAI's rule pack (`vendors::openai::rules`) and the workflow rules
//! (`vendors::openai::workflow`): certificates built with the project's builders (the public
//! `certwright::pki` API) and, for what the builders never make (no key identifiers, an AKI with
//! issuer and serial only), with openssl.
#![cfg(not(target_arch = "wasm32"))] // spawns openssl

use std::path::{Path, PathBuf};
use std::process::Command;

use certwright::pki::{self, issue_certificate, CertParams, CertSubject, Issuer, KeyAlgorithm, PrivateKey, SubjectFields};
use certwright::vendors::openai::models::Certificate;
use certwright::vendors::openai::rules::{check_ca, check_client, has_errors, signed_by, Finding, Severity, UploadedCa, MAX_CERTIFICATES};
use certwright::vendors::openai::workflow::{batches, ActivationState, CertificateFacts};
use serde_json::json;

const DAY: i64 = 86_400;
const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn random20() -> [u8; 20] {
    let mut r = [0u8; 20];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut r);
    r
}

fn key() -> PrivateKey {
    PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap()
}

fn subject(cn: &str) -> SubjectFields {
    SubjectFields { common_name: cn.into(), organization: "Certwright OpenAI Test".into(), ..Default::default() }
}

fn ca_params(cn: &str) -> CertParams {
    CertParams {
        subject: subject(cn),
        is_ca: true,
        key_usage: vec!["keyCertSign".into(), "cRLSign".into()],
        not_before: NOW - DAY,
        not_after: NOW + 5 * 365 * DAY,
        ..Default::default()
    }
}

fn client_params(cn: &str) -> CertParams {
    CertParams {
        subject: subject(cn),
        key_usage: vec!["digitalSignature".into(), "keyEncipherment".into()],
        extended_key_usage: vec!["clientAuth".into()],
        not_before: NOW - DAY,
        not_after: NOW + 365 * DAY,
        ..Default::default()
    }
}

fn self_signed(params: &CertParams, k: &PrivateKey) -> Vec<u8> {
    issue_certificate(params, CertSubject::Key(k), None, random20()).unwrap()
}

fn issued(params: &CertParams, k: &PrivateKey, ca: &[u8], ca_key: &PrivateKey) -> Vec<u8> {
    issue_certificate(params, CertSubject::Key(k), Some(Issuer { certificate: ca, key: ca_key }), random20()).unwrap()
}

fn pem(der: &[u8]) -> String {
    pki::pem::encode("CERTIFICATE", der)
}

fn uploaded(der: &[u8], id: &str, active: Option<bool>) -> UploadedCa {
    UploadedCa { id: Some(id.into()), pem: pem(der), active }
}

fn fields(f: &[Finding]) -> Vec<&str> {
    f.iter().map(|f| f.field.as_str()).collect()
}

fn errors(f: &[Finding]) -> Vec<&str> {
    f.iter().filter(|f| f.severity == Severity::Error).map(|f| f.field.as_str()).collect()
}

#[test]
fn a_ca_made_by_the_builders_passes_and_each_broken_rule_is_named() {
    let k = key();
    let good = self_signed(&ca_params("Good CA"), &k);
    assert_eq!(check_ca(pem(&good).as_bytes(), 0, NOW), vec![]);
    assert_eq!(check_ca(&good, MAX_CERTIFICATES - 1, NOW), vec![], "DER works too; 49 listed leaves room");

    let f = check_ca(&good, MAX_CERTIFICATES, NOW);
    assert_eq!(fields(&f), ["organization"]);
    assert!(f[0].message.contains("50") && f[0].message.contains("delete"), "{}", f[0].message);

    let not_ca = self_signed(&CertParams { is_ca: false, key_usage: vec!["digitalSignature".into()], ..ca_params("Not a CA") }, &k);
    let f = check_ca(&not_ca, 0, NOW);
    assert_eq!(errors(&f), ["basicConstraints", "keyUsage"]);
    assert!(f[0].message.contains("CA:TRUE"));
    assert!(f[1].message.contains("keyCertSign and cRLSign") && f[1].message.contains("only digitalSignature"), "{}", f[1].message);

    let crl_missing = self_signed(&CertParams { key_usage: vec!["keyCertSign".into()], ..ca_params("No cRLSign") }, &k);
    let f = check_ca(&crl_missing, 0, NOW);
    assert_eq!(errors(&f), ["keyUsage"]);
    assert!(f[0].message.contains("requires cRLSign"), "{}", f[0].message);

    let short = self_signed(&CertParams { not_after: NOW + DAY - 60, ..ca_params("Short CA") }, &k);
    let f = check_ca(&short, 0, NOW);
    assert_eq!(errors(&f), ["notAfter"]);
    assert!(f[0].message.contains("within one day"), "{}", f[0].message);
    let one_day_left = self_signed(&CertParams { not_after: NOW + DAY + 60, ..ca_params("Day CA") }, &k);
    assert_eq!(check_ca(&one_day_left, 0, NOW), vec![]);
    let expired = self_signed(&CertParams { not_before: NOW - 30 * DAY, not_after: NOW - DAY, ..ca_params("Old CA") }, &k);
    assert!(check_ca(&expired, 0, NOW)[0].message.contains("expired"));
    let future = self_signed(&CertParams { not_before: NOW + 10 * DAY, ..ca_params("Future CA") }, &k);
    let f = check_ca(&future, 0, NOW);
    assert_eq!((fields(&f), has_errors(&f)), (vec!["notBefore"], false));

    // Over 16 KB: a CA with many names.
    let big = self_signed(
        &CertParams {
            sans: (0..600).map(|i| format!("host-{i:04}.a-rather-long-domain-name.example.com")).collect(),
            ..ca_params("Big CA")
        },
        &k,
    );
    assert!(big.len() >= 16 * 1024, "{}", big.len());
    let f = check_ca(&big, 0, NOW);
    assert_eq!(errors(&f), ["certificate"]);
    assert!(f[0].message.contains("under 16 KB") && f[0].message.contains(&big.len().to_string()));

    // Two certificates in one upload, garbage, a CSR: said, never a panic.
    let two = format!("{}{}", pem(&good), pem(&not_ca));
    assert_eq!(errors(&check_ca(two.as_bytes(), 0, NOW))[0], "certificate");
    let f = check_ca(b"hello", 0, NOW);
    assert_eq!(fields(&f), ["certificate"]);
    let csr = certwright::pki::CsrParams { subject: subject("csr"), ..Default::default() }.build(&k).unwrap();
    assert!(check_ca(&csr, 0, NOW)[0].message.contains("CSR"));
    assert_eq!(fields(&check_ca(b"", 60, NOW)), ["organization", "certificate"]);
}

#[test]
fn a_client_certificate_must_be_signed_directly_by_an_active_uploaded_ca() {
    let (ca_key, other_key, leaf_key) = (key(), key(), key());
    let ca = self_signed(&ca_params("OpenAI mTLS CA"), &ca_key);
    let client = issued(&client_params("service-a"), &leaf_key, &ca, &ca_key);
    let cas = [uploaded(&ca, "cert_ca", Some(true))];
    assert_eq!(check_client(pem(&client).as_bytes(), &cas, NOW), vec![]);
    assert!(signed_by(&client, &ca).is_ok());

    // The CA is not active at the chosen scope.
    let f = check_client(&client, &[uploaded(&ca, "cert_ca", Some(false))], NOW);
    assert_eq!(errors(&f), ["issuer"]);
    assert!(f[0].message.contains("cert_ca") && f[0].message.contains("not active"), "{}", f[0].message);
    assert_eq!(check_client(&client, &[uploaded(&ca, "cert_ca", None)], NOW), vec![], "unknown activity is not judged");

    // No uploaded CA, or a different one.
    assert!(check_client(&client, &[], NOW)[0].message.contains("no uploaded CA"));
    let other = self_signed(&ca_params("Another CA"), &other_key);
    let f = check_client(&client, &[uploaded(&other, "cert_other", Some(true))], NOW);
    assert_eq!(errors(&f), ["issuer"]);
    assert!(f[0].message.contains("not one of the uploaded CAs") && f[0].message.contains("Another CA"), "{}", f[0].message);

    // Same name as the uploaded CA, different key: the signature is what counts.
    let impostor = self_signed(&ca_params("OpenAI mTLS CA"), &other_key);
    let f = check_client(&client, &[uploaded(&impostor, "cert_same_name", Some(true))], NOW);
    assert!(f[0].message.contains("does not verify"), "{}", f[0].message);
    assert!(signed_by(&client, &impostor).is_err());
    // ... and with both uploaded, the real one is found.
    assert_eq!(check_client(&client, &[uploaded(&impostor, "cert_same_name", Some(true)), cas[0].clone()], NOW), vec![]);
}

#[test]
fn a_longer_chain_is_refused_and_says_so() {
    let (root_key, int_key, leaf_key) = (key(), key(), key());
    let root = self_signed(&ca_params("Root"), &root_key);
    let int = issued(&CertParams { path_len: Some(0), ..ca_params("Intermediate") }, &int_key, &root, &root_key);
    let leaf = issued(&client_params("leaf"), &leaf_key, &int, &int_key);
    let cas = [uploaded(&root, "cert_root", Some(true))];
    let with_chain = format!("{}{}", pem(&leaf), pem(&int));
    let f = check_client(with_chain.as_bytes(), &cas, NOW);
    assert_eq!(errors(&f), ["issuer", "certificate"]);
    assert!(f[0].message.contains("intermediate") && f[0].message.contains("chain of one"), "{}", f[0].message);
    assert!(f[1].message.contains("single-length"), "{}", f[1].message);
    let f = check_client(&leaf, &cas, NOW);
    assert_eq!(errors(&f), ["issuer"]);
}

#[test]
fn client_usages_and_dates() {
    let (ca_key, leaf_key) = (key(), key());
    let ca = self_signed(&ca_params("CA"), &ca_key);
    let cas = [uploaded(&ca, "cert_ca", Some(true))];
    let bare = issued(
        &CertParams { key_usage: vec!["digitalSignature".into()], extended_key_usage: vec!["serverAuth".into()], ..client_params("bare") },
        &leaf_key,
        &ca,
        &ca_key,
    );
    let f = check_client(&bare, &cas, NOW);
    assert_eq!(errors(&f), ["keyUsage", "extendedKeyUsage"]);
    assert!(f[0].message.contains("requires keyEncipherment"), "{}", f[0].message);
    assert!(f[1].message.contains("clientAuth"));
    let as_ca = issued(
        &CertParams {
            is_ca: true,
            key_usage: vec!["digitalSignature".into(), "keyEncipherment".into(), "keyCertSign".into()],
            ..client_params("ca-ish")
        },
        &leaf_key,
        &ca,
        &ca_key,
    );
    let f = check_client(&as_ca, &cas, NOW);
    assert_eq!((fields(&f), has_errors(&f)), (vec!["basicConstraints"], false));
    let expired = issued(&CertParams { not_before: NOW - 10 * DAY, not_after: NOW - DAY, ..client_params("old") }, &leaf_key, &ca, &ca_key);
    assert_eq!(errors(&check_client(&expired, &cas, NOW)), ["notAfter"]);
    // RSA CA: RSA signatures verify too.
    let rsa =
        PrivateKey::import(&std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/keys/csr-rsa.key.pem")).unwrap(), None)
            .unwrap();
    let rsa_ca = self_signed(&ca_params("RSA CA"), &rsa);
    let rsa_client = issued(&client_params("rsa-client"), &leaf_key, &rsa_ca, &rsa);
    assert_eq!(check_client(&rsa_client, &[uploaded(&rsa_ca, "cert_rsa", Some(true))], NOW), vec![]);
    // An unreadable uploaded CA is said, and skipped.
    let f = check_client(
        &rsa_client,
        &[UploadedCa { pem: "garbage".into(), ..Default::default() }, uploaded(&rsa_ca, "cert_rsa", Some(true))],
        NOW,
    );
    assert_eq!((fields(&f), has_errors(&f)), (vec!["uploadedCas[0]"], false));
}

fn tmp() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certwright-openai-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl must be installed (scripts/setup.sh test installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn key_identifiers_in_the_right_form_openssl_made() {
    let dir = tmp();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let ca = |name: &str, extra: &[&str]| {
        let mut args = vec!["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30"];
        let (k, c, subj) = (format!("{name}.key"), format!("{name}.pem"), format!("/CN={name}"));
        args.extend([
            "-keyout",
            &k,
            "-out",
            &c,
            "-subj",
            &subj,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        for e in extra {
            args.extend(["-addext", e]);
        }
        openssl(&dir, &args);
        std::fs::read(dir.join(&c)).unwrap()
    };
    let ok = ca("with-ids", &[]);
    assert_eq!(check_ca(&ok, 0, now), vec![], "openssl's default CA passes");
    let none = ca("no-ids", &["subjectKeyIdentifier=none", "authorityKeyIdentifier=none"]);
    let f = check_ca(&none, 0, now);
    assert_eq!(errors(&f), ["subjectKeyIdentifier", "authorityKeyIdentifier"]);
    assert!(f[0].message.contains("subjectKeyIdentifier=hash") && f[1].message.contains("authorityKeyIdentifier=keyid"), "{f:?}");
    let issuer_only = ca("issuer-only", &["authorityKeyIdentifier=issuer:always"]);
    let f = check_ca(&issuer_only, 0, now);
    assert_eq!(errors(&f), ["authorityKeyIdentifier"]);
    assert!(f[0].message.contains("no keyIdentifier (only issuer and serial)"), "{}", f[0].message);

    // A client certificate openssl issues from that CA without key identifiers or usages.
    std::fs::write(dir.join("client.ext"), "basicConstraints=CA:FALSE\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none\n").unwrap();
    openssl(
        &dir,
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "client.key",
            "-out",
            "client.csr",
            "-subj",
            "/CN=client",
        ],
    );
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "with-ids.pem",
            "-CAkey",
            "with-ids.key",
            "-CAcreateserial",
            "-days",
            "10",
            "-extfile",
            "client.ext",
            "-out",
            "client.pem",
        ],
    );
    let client = std::fs::read(dir.join("client.pem")).unwrap();
    let f =
        check_client(&client, &[UploadedCa { id: Some("cert_x".into()), pem: String::from_utf8(ok).unwrap(), active: Some(true) }], now);
    assert_eq!(errors(&f), ["subjectKeyIdentifier", "authorityKeyIdentifier", "keyUsage", "extendedKeyUsage"]);
    assert!(f.iter().all(|f| !f.message.is_empty()));
}

#[test]
fn activation_batches() {
    let ids: Vec<String> = (0..23).map(|i| format!("cert_{i}")).collect();
    let sizes: Vec<usize> = batches(&ids).iter().map(Vec::len).collect();
    assert_eq!(sizes, [10, 10, 3]);
    let eleven: Vec<String> = (0..11).map(|i| format!("cert_{i}")).collect();
    assert_eq!(batches(&eleven).len(), 2);
    assert_eq!(batches(&["a", "b", "a", " ", ""]), [vec!["a".to_string(), "b".to_string()]]);
    assert!(batches::<&str>(&[]).is_empty());
    assert_eq!(batches(&(0..10).map(|i| i.to_string()).collect::<Vec<_>>()).len(), 1);
}

fn listed(id: &str, active: bool, object: &str) -> Certificate {
    serde_json::from_value(json!({"object": object, "id": id, "name": null, "created_at": 1, "active": active, "certificate_details": {}}))
        .unwrap()
}

#[test]
fn delete_guard_says_where_a_certificate_is_active() {
    let mut s = ActivationState::default();
    s.record_organization(&[listed("cert_a", true, "organization.certificate"), listed("cert_b", false, "organization.certificate")]);
    s.record_project(
        "proj_1",
        &[listed("cert_a", true, "organization.project.certificate"), listed("cert_b", true, "organization.project.certificate")],
    );
    s.record_project("proj_2", &[listed("cert_b", false, "organization.project.certificate")]);
    let e = s.check_delete("cert_a").unwrap_err();
    assert_eq!(e.to_string(), "cert_a is still active at the organization and in project proj_1: deactivate it there first (OpenAI deletes a certificate only when it is inactive for the organization and every project)");
    assert_eq!(s.check_delete("cert_b").unwrap_err().projects, ["proj_1"]);
    assert!(s.check_delete("cert_c").is_ok());
    // Inherited: active at the organization means active in every project.
    assert!(s.is_active("cert_a", Some("proj_2")));
    // Deactivation answers update the state; then delete is allowed.
    s.record_activation(None, &[listed("cert_a", false, "organization.certificate")]);
    s.record_activation(Some("proj_1"), &[listed("cert_a", false, "organization.project.certificate")]);
    assert!(s.check_delete("cert_a").is_ok());
    s.forget("cert_b");
    assert!(s.check_delete("cert_b").is_ok());
}

#[test]
fn facts_from_content_and_without_it() {
    let k = key();
    let der = self_signed(&ca_params("Facts CA"), &k);
    let info = &pki::parse_bundle(&der, "x").certificates[0];
    let with = |content: Option<String>| -> Certificate {
        serde_json::from_value(json!({"object": "certificate", "id": "cert_f", "name": "F", "created_at": 1,
            "certificate_details": {"valid_at": info.valid_from_unix, "expires_at": info.expires_unix, "content": content}}))
        .unwrap()
    };
    let f = CertificateFacts::of(&with(Some(pem(&der))), NOW);
    assert_eq!(f.sha256_fingerprint.as_deref(), Some(info.sha256_fingerprint.as_str()));
    assert_eq!(f.sha1_fingerprint.as_deref(), Some(info.sha1_fingerprint.as_str()));
    assert_eq!((f.days_left, f.is_ca, f.problems.len()), (Some(5 * 365), Some(true), 0));
    let f = CertificateFacts::of(&with(None), NOW);
    assert_eq!((f.sha256_fingerprint, f.expires_unix), (None, Some(info.expires_unix)));
    assert!(f.problems[0].contains("include[]=content"));
    let f = CertificateFacts::of(&with(Some("-----BEGIN CERTIFICATE-----MIIDeT...-----END CERTIFICATE-----".into())), NOW);
    assert!(f.sha256_fingerprint.is_none() && f.problems[0].contains("not a readable certificate"), "{:?}", f.problems);
}
