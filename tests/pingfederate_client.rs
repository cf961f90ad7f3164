//! The PingFederate signing key pair client (`certwright::vendors::pingfederate::client`) against
//! a `FakeTransport` that records every request and either replays a queued response or lets the
//! offline service model (`pingfederate::service::Service`) answer. No network, no runtime beyond
//! `futures_executor::block_on`.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/pki.rs"]
mod pki_support;

use std::cell::RefCell;
use std::collections::VecDeque;

use base64::Engine;
use certwright::pki::{self, issue_certificate, CertParams, CertSubject, Kdf, KeyAlgorithm as PkiAlg, PrivateKey, SubjectFields};
use certwright::vendors::pingfederate::client::{Client, Error, PingAuth, BASE_PATH};
use certwright::vendors::pingfederate::models::{KeyPairFile, KeyPairFileFormat, KeyPairRotationSettings, KeyPairView, NewKeyPairSettings};
use certwright::vendors::pingfederate::rules::api_field_errors;
use certwright::vendors::pingfederate::service::Service;
use certwright::vendors::pingfederate::workflow;
use certwright::vendors::redact::Secret;
use certwright::vendors::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use futures_executor::block_on;

const NOW: i64 = 1_764_460_800; // 2025-11-30T00:00:00Z
const BASE: &str = "https://pf.example.com:9999";
const PASSWORD: &str = "s3cr3t-admin-pw";

#[derive(Default)]
struct FakeTransport {
    queued: RefCell<VecDeque<HttpResponse>>,
    service: RefCell<Service>,
    requests: RefCell<Vec<HttpRequest>>,
}

impl FakeTransport {
    fn reply(&self, status: u16, body: &str) {
        self.queued.borrow_mut().push_back(HttpResponse {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        });
    }
    fn requests(&self) -> Vec<HttpRequest> {
        self.requests.borrow().clone()
    }
}

impl Transport for FakeTransport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.requests.borrow_mut().push(req.clone());
        if let Some(r) = self.queued.borrow_mut().pop_front() {
            return Ok(r);
        }
        let target = req.url.strip_prefix(BASE).expect("only the PingFederate host");
        Ok(self.service.borrow_mut().handle(&req.method, target, &req.body, NOW))
    }
    async fn sleep_ms(&self, _ms: u64) {}
}

fn client(t: &FakeTransport) -> Client<&FakeTransport> {
    Client::new(t, BASE, PingAuth::Basic { username: "administrator".into(), password: Secret::new(PASSWORD) }, || NOW).unwrap()
}

fn settings(id: &str) -> NewKeyPairSettings {
    NewKeyPairSettings {
        id: Some(id.into()),
        common_name: "signing.example.com".into(),
        organization: "Example".into(),
        country: "US".into(),
        valid_days: 365,
        key_algorithm: "EC".into(),
        key_size: Some(256),
        subject_alternative_names: Some(vec!["signing.example.com".into()]),
        ..Default::default()
    }
}

fn invalid_field(e: &Error) -> &str {
    match e {
        Error::Invalid { field, .. } => field,
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

#[test]
fn every_call_carries_basic_auth_and_the_xsrf_header_and_the_documented_paths() {
    let t = FakeTransport::default();
    let c = client(&t);
    let catalogue = block_on(c.key_algorithms()).unwrap();
    let view = block_on(c.generate(&settings("sig-1"), &catalogue)).unwrap();
    assert_eq!(view.id.as_deref(), Some("sig-1"));
    block_on(c.list()).unwrap();
    block_on(c.get("sig-1")).unwrap();
    block_on(c.certificate("sig-1")).unwrap();
    block_on(c.delete("sig-1")).unwrap();
    let expected_basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("administrator:{PASSWORD}")));
    let reqs = t.requests();
    let seen: Vec<(String, String)> = reqs.iter().map(|r| (r.method.clone(), r.url.clone())).collect();
    let b = format!("{BASE}{BASE_PATH}");
    assert_eq!(
        seen,
        [
            ("GET".into(), format!("{b}/keyPairs/keyAlgorithms")),
            ("POST".into(), format!("{b}/keyPairs/signing/generate")),
            ("GET".into(), format!("{b}/keyPairs/signing")),
            ("GET".into(), format!("{b}/keyPairs/signing/sig-1")),
            ("GET".into(), format!("{b}/keyPairs/signing/sig-1/certificate")),
            ("DELETE".into(), format!("{b}/keyPairs/signing/sig-1")),
        ]
    );
    for r in &reqs {
        assert_eq!(r.header("X-XSRF-Header"), Some("PingFederate"), "{} {}", r.method, r.url);
        assert_eq!(r.header("Authorization"), Some(expected_basic.as_str()));
    }
    assert_eq!(reqs[1].header("Content-Type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&reqs[1].body).unwrap();
    assert_eq!(body["commonName"], "signing.example.com");
    assert_eq!(body["validDays"], 365);
    assert!(body.get("city").is_none(), "unset optional properties are left out: {body}");
    // The password is in no Debug output.
    assert!(!format!("{c:?}").contains(PASSWORD));
}

#[test]
fn bearer_auth_also_sends_the_xsrf_header() {
    let t = FakeTransport::default();
    let c = Client::new(&t, BASE, PingAuth::Bearer(Secret::new("tok-123")), || NOW).unwrap();
    block_on(c.key_algorithms()).unwrap();
    let r = &t.requests()[0];
    assert_eq!(r.header("Authorization"), Some("Bearer tok-123"));
    assert_eq!(r.header("X-XSRF-Header"), Some("PingFederate"));
    assert!(!format!("{c:?}").contains("tok-123"));
}

#[test]
fn generate_is_checked_against_the_rules_and_the_catalogue_before_sending() {
    let t = FakeTransport::default();
    let c = client(&t);
    let catalogue = block_on(c.key_algorithms()).unwrap();
    let cases: Vec<(NewKeyPairSettings, &str)> = vec![
        (NewKeyPairSettings { id: Some("Bad ID".into()), ..settings("x") }, "id"),
        (NewKeyPairSettings { common_name: " ".into(), ..settings("x") }, "commonName"),
        (NewKeyPairSettings { organization: String::new(), ..settings("x") }, "organization"),
        (NewKeyPairSettings { country: String::new(), ..settings("x") }, "country"),
        (NewKeyPairSettings { valid_days: 0, ..settings("x") }, "validDays"),
        (NewKeyPairSettings { key_algorithm: "DSA".into(), ..settings("x") }, "keyAlgorithm"),
        (NewKeyPairSettings { key_size: Some(521), ..settings("x") }, "keySize"),
        (NewKeyPairSettings { signature_algorithm: Some("SHA256withRSA".into()), ..settings("x") }, "signatureAlgorithm"),
    ];
    for (s, field) in cases {
        let e = block_on(c.generate(&s, &catalogue)).unwrap_err();
        assert_eq!(invalid_field(&e), field, "{e}");
    }
    assert_eq!(t.requests().len(), 1, "nothing but the catalogue was sent");
    // The id pattern allows exactly [a-z0-9._-].
    block_on(c.generate(&settings("a.b_c-9"), &catalogue)).unwrap();
}

#[test]
fn a_422_api_result_lands_on_its_fields_by_field_path() {
    let t = FakeTransport::default();
    let c = client(&t);
    let catalogue = block_on(c.key_algorithms()).unwrap();
    t.reply(
        422,
        r#"{"resultId":"validation_error","message":"Validation error(s) occurred.","validationErrors":[
            {"errorId":"key_pair_id_already_exists","message":"A key pair with ID 'sig-1' already exists.","fieldPath":"id"},
            {"errorId":"invalid_country","message":"Country is invalid.","fieldPath":"country"}]}"#,
    );
    let e = block_on(c.generate(&settings("sig-1"), &catalogue)).unwrap_err();
    assert_eq!(e.status(), Some(422));
    let fields = api_field_errors(&e);
    assert_eq!(fields[0], ("id".to_string(), "A key pair with ID 'sig-1' already exists.".to_string()));
    assert_eq!(fields[1].0, "country");
    // The service model answers a duplicate id the same way.
    block_on(c.generate(&settings("sig-1"), &catalogue)).unwrap();
    let e = block_on(c.generate(&settings("sig-1"), &catalogue)).unwrap_err();
    assert_eq!(api_field_errors(&e)[0].0, "id");
    // A 404 without validationErrors gives its message as a form-level error.
    let e = block_on(c.get("nope")).unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert_eq!(api_field_errors(&e), [(String::new(), "Resource not found.".to_string())]);
}

#[test]
fn fingerprints_are_compared_and_a_mismatch_is_an_error() {
    let t = FakeTransport::default();
    let c = client(&t);
    let catalogue = block_on(c.key_algorithms()).unwrap();
    let view = block_on(c.generate(&settings("fp"), &catalogue)).unwrap();
    let (checked, pem) = block_on(c.get_verified("fp")).unwrap();
    assert_eq!(checked, view);
    let info = &pki::parse_bundle(pem.as_bytes(), "c").certificates[0];
    assert_eq!(view.sha256_fingerprint.as_deref(), Some(info.sha256_fingerprint.to_ascii_uppercase().as_str()));
    // Colon-separated lowercase is the same fingerprint.
    let colons = KeyPairView { sha1_fingerprint: Some(pki::colon_hex(&info.sha1_fingerprint).to_lowercase()), ..view.clone() };
    workflow::check_fingerprints(&colons, pem.as_bytes()).unwrap();
    // A different one is an error naming the property.
    let mut wrong = view.clone();
    wrong.sha256_fingerprint = Some("00".repeat(32));
    let e = workflow::check_fingerprints(&wrong, pem.as_bytes()).unwrap_err();
    assert_eq!(invalid_field(&e), "sha256Fingerprint");
    let mut body = serde_json::to_value(&view).unwrap();
    body["sha1Fingerprint"] = "AB".repeat(20).into();
    t.reply(200, &body.to_string());
    let e = block_on(c.get_verified("fp")).unwrap_err();
    assert_eq!(invalid_field(&e), "sha1Fingerprint");
}

#[test]
fn rotation_settings_put_get_delete_with_the_sha1_rule() {
    let t = FakeTransport::default();
    let c = client(&t);
    let catalogue = block_on(c.key_algorithms()).unwrap();
    let view =
        block_on(c.generate(&NewKeyPairSettings { key_algorithm: "RSA".into(), key_size: Some(2048), ..settings("rot") }, &catalogue))
            .unwrap();
    assert_eq!(view.signature_algorithm.as_deref(), Some("SHA256withRSA"));
    let rs = KeyPairRotationSettings { creation_buffer_days: 30, activation_buffer_days: 10, ..Default::default() };
    let put = block_on(c.put_rotation_settings("rot", &rs, &view, &catalogue)).unwrap();
    assert_eq!(put.creation_buffer_days, 30);
    assert_eq!(block_on(c.rotation_settings("rot")).unwrap().activation_buffer_days, 10);
    assert_eq!(block_on(c.get("rot")).unwrap().rotation_settings.unwrap().creation_buffer_days, 30);
    // The original used SHA-1: signatureAlgorithm is required.
    let sha1 = KeyPairView { signature_algorithm: Some("SHA1withRSA".into()), ..view.clone() };
    let sent = t.requests().len();
    let e = block_on(c.put_rotation_settings("rot", &rs, &sha1, &catalogue)).unwrap_err();
    assert_eq!(invalid_field(&e), "signatureAlgorithm");
    let with_sig = KeyPairRotationSettings { signature_algorithm: Some("SHA384withRSA".into()), ..rs.clone() };
    block_on(c.put_rotation_settings("rot", &with_sig, &sha1, &catalogue)).unwrap();
    // Buffers must not be negative; algorithms must be offered.
    let e =
        block_on(c.put_rotation_settings("rot", &KeyPairRotationSettings { creation_buffer_days: -1, ..rs.clone() }, &view, &catalogue))
            .unwrap_err();
    assert_eq!(invalid_field(&e), "creationBufferDays");
    let e = block_on(c.put_rotation_settings("rot", &KeyPairRotationSettings { key_size: Some(1024), ..rs.clone() }, &view, &catalogue))
        .unwrap_err();
    assert_eq!(invalid_field(&e), "keySize");
    assert_eq!(t.requests().len(), sent + 1, "only the valid PUT was sent");
    let put_body: serde_json::Value = serde_json::from_slice(&t.requests()[sent].body).unwrap();
    assert_eq!(put_body["creationBufferDays"], 30);
    assert_eq!(put_body["activationBufferDays"], 10);
    block_on(c.delete_rotation_settings("rot")).unwrap();
    assert_eq!(block_on(c.rotation_settings("rot")).unwrap_err().status(), Some(404));
}

#[test]
fn export_needs_a_password_and_never_shows_the_key() {
    let t = FakeTransport::default();
    let c = client(&t);
    let catalogue = block_on(c.key_algorithms()).unwrap();
    block_on(c.generate(&settings("exp"), &catalogue)).unwrap();
    let e = block_on(c.export_pem("exp", &Secret::new(""))).unwrap_err();
    assert_eq!(invalid_field(&e), "password");
    let pem = block_on(c.export_pem("exp", &Secret::new("export-pw"))).unwrap();
    let text = String::from_utf8(pem.bytes.to_vec()).unwrap();
    assert!(text.contains("BEGIN CERTIFICATE") && text.contains("BEGIN ENCRYPTED PRIVATE KEY"), "{text}");
    assert!(!format!("{pem:?}").contains("PRIVATE"));
    let last = t.requests().pop().unwrap();
    assert_eq!(last.url, format!("{BASE}{BASE_PATH}/keyPairs/signing/exp/pem"));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&last.body).unwrap(), serde_json::json!({"password": "export-pw"}));
    // The key decrypts with the export password, and matches the certificate.
    let key = PrivateKey::import(text.as_bytes(), Some("export-pw")).unwrap();
    let cert = &pki::parse_bundle(text.as_bytes(), "x").certificates[0];
    assert_eq!(workflow::certificate_public_key(&cert.der).unwrap(), key.public_key_der().unwrap());
    // PKCS#12 goes to its own path; it opens with the export password and holds the same key.
    let p12 = block_on(c.export_pkcs12("exp", &Secret::new("export-pw"))).unwrap();
    assert!(!format!("{p12:?}").contains("export-pw"));
    assert_eq!(t.requests().pop().unwrap().url, format!("{BASE}{BASE_PATH}/keyPairs/signing/exp/pkcs12"));
    let contents = pki::import_pkcs12(&p12.bytes, "export-pw").unwrap();
    assert_eq!(contents.key.unwrap().public_key_der().unwrap(), key.public_key_der().unwrap());
    assert_eq!(contents.certificates[0], cert.der);
}

fn browser_key_and_certificate() -> (PrivateKey, Vec<u8>) {
    let key = PrivateKey::generate(PkiAlg::P256, &mut rand_core::OsRng).unwrap();
    let cert = issue_certificate(
        &CertParams {
            subject: SubjectFields {
                common_name: "browser key".into(),
                organization: "Example".into(),
                country: "US".into(),
                ..Default::default()
            },
            not_before: NOW - 86_400,
            not_after: NOW + 86_400 * 30,
            ..Default::default()
        },
        CertSubject::Key(&key),
        None,
        [5; 20],
    )
    .unwrap();
    (key, cert)
}

#[test]
fn importing_a_browser_key_needs_explicit_consent_and_sends_it_encrypted_only_to_import() {
    let t = FakeTransport::default();
    let c = client(&t);
    let (key, cert) = browser_key_and_certificate();
    let file = workflow::pem_key_pair_file(
        Some("imported".into()),
        &key,
        std::slice::from_ref(&cert),
        &Secret::new("file-pw"),
        Kdf::Pbkdf2Sha256 { iterations: 2048 },
        &mut rand_core::OsRng,
    )
    .unwrap();
    assert!(!format!("{file:?}").contains("file-pw") && !format!("{file:?}").contains(&file.file_data));
    let e = block_on(c.import_key_pair(&file, false)).unwrap_err();
    assert_eq!(invalid_field(&e), "confirmPrivateKeyLeavesBrowser");
    assert!(t.requests().is_empty(), "nothing sent without consent");
    let view = block_on(c.import_key_pair(&file, true)).unwrap();
    assert_eq!(view.id.as_deref(), Some("imported"));
    let reqs = t.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].url, format!("{BASE}{BASE_PATH}/keyPairs/signing/import"));
    let body: serde_json::Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert_eq!(body["format"], "PEM");
    let sent = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(body["fileData"].as_str().unwrap()).unwrap()).unwrap();
    assert!(sent.contains("ENCRYPTED PRIVATE KEY") && !sent.contains("BEGIN PRIVATE KEY"), "the key is sent encrypted");
    let plain = key.to_pkcs8_pem().unwrap();
    let plain_b64: String = plain.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(!String::from_utf8_lossy(&reqs[0].body).contains(&plain_b64[..40]));
    // The certificate PingFederate now holds is the browser's.
    assert_eq!(block_on(c.get_verified("imported")).unwrap().1, pki::pem::encode("CERTIFICATE", &cert));
    // An empty password or missing file is refused before sending.
    let bad = KeyPairFile { password: Secret::new(""), ..file.clone() };
    assert_eq!(invalid_field(&block_on(c.import_key_pair(&bad, true)).unwrap_err()), "password");
    let bad = KeyPairFile { file_data: String::new(), format: Some(KeyPairFileFormat::Pkcs12), ..file };
    assert_eq!(invalid_field(&block_on(c.import_key_pair(&bad, true)).unwrap_err()), "fileData");
}

#[test]
fn sign_pingfederates_csr_with_a_browser_ca_and_import_the_response() {
    let t = FakeTransport::default();
    let c = client(&t);
    let catalogue = block_on(c.key_algorithms()).unwrap();
    block_on(c.generate(&settings("csr-1"), &catalogue)).unwrap();
    let csr = block_on(c.csr("csr-1")).unwrap();
    let (ca_key, ca) = pki_support::browser_ca(PkiAlg::P256, NOW, [1; 20]);
    let params =
        CertParams { key_usage: vec!["digitalSignature".into()], not_before: NOW, not_after: NOW + 86_400 * 365, ..Default::default() };
    let leaf = workflow::sign_csr(&csr, &params, &ca, &ca_key, [2; 20]).unwrap();
    // A response for another key is refused before sending.
    let (_, other) = browser_key_and_certificate();
    let sent = t.requests().len();
    let e = block_on(c.import_csr_response("csr-1", &csr, pki::pem::encode("CERTIFICATE", &other).as_bytes())).unwrap_err();
    assert_eq!(invalid_field(&e), "fileData");
    assert_eq!(t.requests().len(), sent);
    // The chain (CA first on purpose) is sent leaf first, and PingFederate now reports the CA as issuer.
    let chain = format!("{}{}", pki::pem::encode("CERTIFICATE", &ca), pki::pem::encode("CERTIFICATE", &leaf));
    let view = block_on(c.import_csr_response("csr-1", &csr, chain.as_bytes())).unwrap();
    assert_eq!(view.issuer_dn.as_deref(), Some("CN=Browser CA,O=Example,C=US"));
    let body: serde_json::Value = serde_json::from_slice(&t.requests().last().unwrap().body).unwrap();
    assert!(body["fileData"].as_str().unwrap().starts_with(&pki::pem::encode("CERTIFICATE", &leaf)));
    let (_, pem) = block_on(c.get_verified("csr-1")).unwrap();
    assert_eq!(pem, pki::pem::encode("CERTIFICATE", &leaf));
}

#[test]
fn bad_ids_and_base_urls_are_refused_before_sending() {
    let t = FakeTransport::default();
    let c = client(&t);
    for id in ["", "UPPER", "a/b", "a b", "../x"] {
        assert_eq!(invalid_field(&block_on(c.get(id)).unwrap_err()), "id", "{id:?}");
    }
    assert!(t.requests().is_empty());
    let e = Client::new(&t, "http://pf.example.com", PingAuth::Bearer(Secret::new("x")), || NOW).unwrap_err();
    assert_eq!(invalid_field(&e), "baseUrl");
    let e = Client::new(&t, BASE, PingAuth::Basic { username: " ".into(), password: Secret::new("x") }, || NOW).unwrap_err();
    assert_eq!(invalid_field(&e), "username");
    assert_eq!(client(&t).base_url(), format!("{BASE}{BASE_PATH}"));
}

#[test]
fn a_pkcs12_file_is_sent_as_base64_with_its_format_and_only_with_consent() {
    let t = FakeTransport::default();
    let c = client(&t);
    let p12 = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/README.md")).unwrap();
    let e = workflow::pkcs12_key_pair_file(None, &p12, &Secret::new("pw")).unwrap_err();
    assert_eq!(invalid_field(&e), "fileData");
    let der = [0x30u8, 0x82, 0x01, 0x00].iter().copied().chain([0u8; 32]).collect::<Vec<u8>>();
    let e = workflow::pkcs12_key_pair_file(None, &der, &Secret::new("")).unwrap_err();
    assert_eq!(invalid_field(&e), "password");
    let file = workflow::pkcs12_key_pair_file(Some("p12".into()), &der, &Secret::new("pw")).unwrap();
    assert_eq!(invalid_field(&block_on(c.import_key_pair(&file, false)).unwrap_err()), "confirmPrivateKeyLeavesBrowser");
    t.reply(201, r#"{"id":"p12","keyAlgorithm":"RSA"}"#);
    assert_eq!(block_on(c.import_key_pair(&file, true)).unwrap().id.as_deref(), Some("p12"));
    let body: serde_json::Value = serde_json::from_slice(&t.requests()[0].body).unwrap();
    assert_eq!(body["format"], "PKCS12");
    assert_eq!(body["password"], "pw");
    assert_eq!(base64::engine::general_purpose::STANDARD.decode(body["fileData"].as_str().unwrap()).unwrap(), der);
}
