//! The PingFederate module of the emulator over loopback HTTP: the client
//! (`certwright::vendors::pingfederate::client`) against the server, Basic auth and the
//! `X-XSRF-Header` enforced, `ApiResult` errors on fields.
#![cfg(not(target_arch = "wasm32"))]

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
use certwright_emulator::pingfederate::{DEFAULT_PASSWORD, DEFAULT_USER, PINGFEDERATE_HOST};
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
