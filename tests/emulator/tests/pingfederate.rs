//! The PingFederate module of the emulator over loopback HTTP: the client
//! (`certwright::vendors::pingfederate::client`) against the server, Basic auth and the
//! `X-XSRF-Header` enforced, `ApiResult` errors on fields. Every answer of the full flow is
//! checked against PingFederate's OpenAPI document (`tests/data/vendors/pingfederate/`): the
//! status is documented for the operation and a JSON body fits its schema, strictly.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../../support/openapi.rs"]
mod openapi;
mod support;

use support::{now_s, Loopback};

use certwright::pki::{issue_certificate, CertParams, CertSubject, PrivateKey, SubjectFields};
use certwright::vendors::akamai::edgegrid::Credentials;
use certwright::vendors::pingfederate::client::{Client, PingAuth};
use certwright::vendors::pingfederate::models::NewKeyPairSettings;
use certwright::vendors::pingfederate::rules::api_field_errors;
use certwright::vendors::pingfederate::workflow;
use certwright::vendors::redact::Secret;
use certwright::vendors::transport::{HttpRequest, HttpResponse, Transport};
use certwright_emulator::pingfederate::{DEFAULT_PASSWORD, DEFAULT_USER, LEGACY_SHA1_ID, PINGFEDERATE_HOST};
use certwright_emulator::{start, Config, Running};
use futures_executor::block_on;

fn emulator() -> Running {
    let edgerc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/vendors/akamai/emulator.edgerc")).unwrap();
    let creds = Credentials::from_edgerc(&edgerc, "default").unwrap();
    start(Config::new(0, vec![creds])).unwrap()
}

fn client(running: &Running, password: &str) -> Client<Loopback> {
    Client::new(
        Loopback::to(running),
        &format!("https://{PINGFEDERATE_HOST}"),
        PingAuth::Basic { username: DEFAULT_USER.into(), password: Secret::new(password) },
        now_s,
    )
    .unwrap()
}

fn raw(running: &Running, headers: &[(&str, &str)]) -> HttpResponse {
    let t = Loopback::to(running);
    block_on(t.send(HttpRequest {
        method: "GET".into(),
        url: format!("https://{PINGFEDERATE_HOST}/pf-admin-api/v1/keyPairs/keyAlgorithms"),
        headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
        body: Vec::new(),
    }))
    .unwrap()
}

#[test]
fn the_xsrf_header_and_basic_auth_are_required() {
    let running = emulator();
    let basic = format!(
        "Basic {}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, format!("{DEFAULT_USER}:{DEFAULT_PASSWORD}"))
    );
    let r = raw(&running, &[("Authorization", &basic)]);
    assert_eq!(r.status, 403, "no X-XSRF-Header");
    assert!(String::from_utf8_lossy(&r.body).contains("X-XSRF-Header"));
    assert_eq!(raw(&running, &[("X-XSRF-Header", "PingFederate")]).status, 401);
    assert_eq!(raw(&running, &[("X-XSRF-Header", "PingFederate"), ("Authorization", &basic)]).status, 200);
    let e = block_on(client(&running, "wrong").key_algorithms()).unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert!(!format!("{e:?}").contains("wrong"));
}

#[test]
fn generate_verify_sign_the_csr_and_delete_over_loopback() {
    let running = emulator();
    let c = client(&running, DEFAULT_PASSWORD);
    let catalogue = block_on(c.key_algorithms()).unwrap();
    let settings = NewKeyPairSettings {
        id: Some("loop-1".into()),
        common_name: "loop.example.com".into(),
        organization: "Example".into(),
        country: "US".into(),
        valid_days: 30,
        key_algorithm: "EC".into(),
        ..Default::default()
    };
    let view = block_on(c.generate(&settings, &catalogue)).unwrap();
    assert_eq!(view.key_size, Some(256), "the catalogue's default size");
    block_on(c.get_verified("loop-1")).unwrap();
    // A duplicate id: a 422 ApiResult landing on `id`.
    let e = block_on(c.generate(&settings, &catalogue)).unwrap_err();
    assert_eq!(e.status(), Some(422));
    assert_eq!(api_field_errors(&e)[0].0, "id");
    // Sign PingFederate's CSR with a browser CA and import the answer.
    let csr = block_on(c.csr("loop-1")).unwrap();
    let ca_key =
        PrivateKey::import(&std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/keys/root.key.pem")).unwrap(), None).unwrap();
    let now = now_s();
    let ca = issue_certificate(
        &CertParams {
            subject: SubjectFields { common_name: "Loop CA".into(), country: "US".into(), ..Default::default() },
            is_ca: true,
            key_usage: vec!["keyCertSign".into()],
            not_before: now - 60,
            not_after: now + 86_400,
            ..Default::default()
        },
        CertSubject::Key(&ca_key),
        None,
        [4; 20],
    )
    .unwrap();
    let leaf =
        workflow::sign_csr(&csr, &CertParams { not_before: now - 60, not_after: now + 3_600, ..Default::default() }, &ca, &ca_key, [6; 20])
            .unwrap();
    let view = block_on(c.import_csr_response("loop-1", &csr, &leaf)).unwrap();
    assert_eq!(view.issuer_dn.as_deref(), Some("CN=Loop CA,C=US"));
    block_on(c.get_verified("loop-1")).unwrap();
    block_on(c.delete("loop-1")).unwrap();
    assert_eq!(block_on(c.get("loop-1")).unwrap_err().status(), Some(404));
}

/// The loopback transport, checking every answer against the OpenAPI document.
struct Checked {
    inner: Loopback,
    doc: serde_json::Value,
    seen: std::cell::RefCell<Vec<String>>,
}

impl Transport for Checked {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, certwright::vendors::transport::TransportError> {
        let method = req.method.clone();
        let path = req.url.split("/pf-admin-api/v1").nth(1).unwrap_or_default().to_owned();
        if !req.body.is_empty() {
            let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
            let errors = openapi::check(&self.doc, openapi::request_schema(&self.doc, &method, &path), &body, true);
            assert!(errors.is_empty(), "{method} {path} request: {errors:?}");
        }
        let resp = self.inner.send(req).await?;
        let (template, op) = openapi::operation(&self.doc, &method, &path).unwrap_or_else(|| panic!("{method} {path} is not documented"));
        let documented =
            op["responses"].get(resp.status.to_string()).unwrap_or_else(|| panic!("{method} {template}: {} undocumented", resp.status));
        let documented = openapi::deref(&self.doc, documented);
        if resp.header("Content-Type") == Some("application/json") {
            let schema = &documented["content"]["application/json"]["schema"];
            assert!(schema.is_object(), "{method} {template} {}: JSON where the document has none", resp.status);
            let v: serde_json::Value = serde_json::from_slice(&resp.body).unwrap();
            let errors = openapi::check(&self.doc, schema, &v, true);
            assert!(errors.is_empty(), "{method} {template} {}: {errors:?}\n{v:#}", resp.status);
        }
        self.seen.borrow_mut().push(format!("{method} {template} {}", resp.status));
        Ok(resp)
    }

    async fn sleep_ms(&self, ms: u64) {
        self.inner.sleep_ms(ms).await;
    }
}

#[test]
fn every_answer_of_the_emulator_fits_the_openapi_document() {
    use certwright::pki::{import_pkcs12, KeyAlgorithm};
    use certwright::vendors::pingfederate::models::KeyPairRotationSettings;
    let running = emulator();
    support::control(&running, "POST", "config", r#"{"pingfederate": {"seedLegacySha1": true}}"#);
    let checked = Checked {
        inner: Loopback::to(&running),
        doc: openapi::load("pingfederate/signing-keypairs.openapi.json"),
        seen: Default::default(),
    };
    let c = Client::new(
        checked,
        &format!("https://{PINGFEDERATE_HOST}"),
        PingAuth::Basic { username: DEFAULT_USER.into(), password: Secret::new(DEFAULT_PASSWORD) },
        now_s,
    )
    .unwrap();
    let catalogue = block_on(c.key_algorithms()).unwrap();
    let settings = NewKeyPairSettings {
        id: Some("doc-1".into()),
        common_name: "doc.example.com".into(),
        subject_alternative_names: Some(vec!["doc.example.com".into()]),
        organization: "Example".into(),
        country: "US".into(),
        valid_days: 30,
        key_algorithm: "RSA".into(),
        key_size: Some(2048),
        signature_algorithm: Some("SHA384withRSA".into()),
        ..Default::default()
    };
    let view = block_on(c.generate(&settings, &catalogue)).unwrap();
    assert_eq!(view.signature_algorithm.as_deref(), Some("SHA384withRSA"));
    assert_eq!(block_on(c.generate(&settings, &catalogue)).unwrap_err().status(), Some(422));
    assert_eq!(block_on(c.list()).unwrap().items.len(), 2, "doc-1 and the seeded SHA-1 pair");
    block_on(c.get_verified("doc-1")).unwrap();
    assert_eq!(block_on(c.get("nope")).unwrap_err().status(), Some(404));
    // Rotation: the SHA-1 original needs a signature algorithm (refused locally and by the server).
    let legacy = block_on(c.get(LEGACY_SHA1_ID)).unwrap();
    assert_eq!(legacy.signature_algorithm.as_deref(), Some("SHA1withRSA"));
    let mut rot = KeyPairRotationSettings { creation_buffer_days: 30, activation_buffer_days: 10, ..Default::default() };
    let e = block_on(c.put_rotation_settings(LEGACY_SHA1_ID, &rot, &legacy, &catalogue)).unwrap_err();
    assert!(matches!(&e, certwright::vendors::error::Error::Invalid { field, .. } if field == "signatureAlgorithm"), "{e:?}");
    assert_eq!(block_on(c.rotation_settings(LEGACY_SHA1_ID)).unwrap_err().status(), Some(404));
    rot.signature_algorithm = Some("SHA256withRSA".into());
    block_on(c.put_rotation_settings(LEGACY_SHA1_ID, &rot, &legacy, &catalogue)).unwrap();
    assert_eq!(block_on(c.rotation_settings(LEGACY_SHA1_ID)).unwrap().creation_buffer_days, 30);
    block_on(c.delete_rotation_settings(LEGACY_SHA1_ID)).unwrap();
    // Exports, then the PKCS#12 imported back under another id.
    let pem = block_on(c.export_pem("doc-1", &Secret::new("pw-1"))).unwrap();
    assert!(PrivateKey::import(&pem.bytes, Some("pw-1")).is_ok());
    let p12 = block_on(c.export_pkcs12("doc-1", &Secret::new("pw-2"))).unwrap();
    assert!(import_pkcs12(&p12.bytes, "pw-2").unwrap().key.is_some());
    let file = workflow::pkcs12_key_pair_file(Some("doc-2".into()), &p12.bytes, &Secret::new("pw-2")).unwrap();
    let imported = block_on(c.import_key_pair(&file, true)).unwrap();
    assert_eq!(imported.sha256_fingerprint, view.sha256_fingerprint);
    // A browser key as encrypted PEM.
    let key = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
    let now = now_s();
    let cert = issue_certificate(
        &CertParams {
            subject: SubjectFields { common_name: "browser".into(), country: "US".into(), ..Default::default() },
            not_before: now - 60,
            not_after: now + 86_400,
            ..Default::default()
        },
        CertSubject::Key(&key),
        None,
        [9; 20],
    )
    .unwrap();
    let kdf = certwright::pki::Kdf::Pbkdf2Sha256 { iterations: 1_000 };
    let file = workflow::pem_key_pair_file(Some("doc-3".into()), &key, &[cert], &Secret::new("pw-3"), kdf, &mut rand_core::OsRng).unwrap();
    block_on(c.import_key_pair(&file, true)).unwrap();
    // CSR out, signed response in.
    let csr = block_on(c.csr("doc-1")).unwrap();
    let leaf = workflow::sign_csr(
        &csr,
        &CertParams { not_before: now - 60, not_after: now + 3_600, ..Default::default() },
        &ca_cert(&key, now),
        &key,
        [7; 20],
    )
    .unwrap();
    block_on(c.import_csr_response("doc-1", &csr, &leaf)).unwrap();
    for id in ["doc-1", "doc-2", "doc-3", LEGACY_SHA1_ID] {
        block_on(c.delete(id)).unwrap();
    }
    let seen = c.connection().transport().seen.borrow().clone();
    for op in [
        "POST /keyPairs/signing/generate 201",
        "POST /keyPairs/signing/generate 422",
        "GET /keyPairs/signing/{id} 404",
        "PUT /keyPairs/signing/{id}/rotationSettings 200",
        "DELETE /keyPairs/signing/{id}/rotationSettings 204",
        "POST /keyPairs/signing/{id}/pkcs12 200",
        "POST /keyPairs/signing/import 201",
        "POST /keyPairs/signing/{id}/csr 200",
        "DELETE /keyPairs/signing/{id} 204",
    ] {
        assert!(seen.iter().any(|s| s == op), "{op} not exercised: {seen:?}");
    }
}

fn ca_cert(key: &PrivateKey, now: i64) -> Vec<u8> {
    issue_certificate(
        &CertParams {
            subject: SubjectFields { common_name: "Doc CA".into(), country: "US".into(), ..Default::default() },
            is_ca: true,
            key_usage: vec!["keyCertSign".into()],
            not_before: now - 60,
            not_after: now + 86_400,
            ..Default::default()
        },
        CertSubject::Key(key),
        None,
        [8; 20],
    )
    .unwrap()
}
