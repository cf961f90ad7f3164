//! The Segura client against the emulator over real loopback HTTP: the A2A token endpoint (form
//! and Basic), Bearer tokens checked by the server, one new token after a 401, and the issue's
//! flows: create a MULT request with SANs, modify it, list with filters across pages, follow its
//! status to signed, and be refused locally (WILD without a wildcard, DSA with SHA384, an
//! over-long justification) with nothing sent.

mod support;

use support::{now_s, Loopback};

use certwright::vendors::segura::client::{Client, Error, TokenStyle};
use certwright::vendors::segura::models::{CertificateRequest, ListFilters, SignRequest};
use certwright::vendors::segura::rules::api_field_errors;
use certwright::vendors::transport::{HttpRequest, Transport};
use certwright_emulator::segura::{SEGURA_CLIENT_ID, SEGURA_CLIENT_SECRET};
use certwright_emulator::{start, Config, Running};
use futures_executor::block_on;
use serde_json::Value;

const BASE: &str = "https://vault.segura.test";

fn emulator() -> Running {
    start(Config::new(0, Vec::new())).unwrap()
}

fn client(running: &Running, style: TokenStyle, secret: &str) -> Client<Loopback> {
    Client::new(Loopback::to(running), BASE, SEGURA_CLIENT_ID, secret, style, now_s).unwrap()
}

/// Raw request to the emulator (control API or an unauthenticated call).
fn raw(running: &Running, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, Value) {
    let t = Loopback::to(running);
    let resp = block_on(t.send(HttpRequest {
        method: method.into(),
        url: format!("https://vault.segura.test{path}"),
        headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
        body: body.as_bytes().to_vec(),
    }))
    .unwrap();
    (resp.status, serde_json::from_slice(&resp.body).unwrap_or(Value::Null))
}

fn mult() -> CertificateRequest {
    CertificateRequest {
        certificate_type: 2,
        domain_type: "MULT".into(),
        organization: 42,
        common_name: "api.example.com".into(),
        san: vec!["api.example.com".into(), "www.example.com".into()],
        tags: vec!["web".into()],
        encryption: "RSA".into(),
        encryption_key_size: 2048,
        certificate_algorithm: "SHA256".into(),
        validity: 365,
        justification: Some("Needed for new API service".into()),
        description: Some("Certificate for public API endpoints".into()),
        ..Default::default()
    }
}

#[test]
fn the_api_demands_a_bearer_token_and_the_token_endpoint_checks_the_client() {
    let running = emulator();
    let (st, b) = raw(&running, "GET", "/api/certificate/request/list", &[], "");
    assert_eq!(st, 401);
    assert_eq!(b["error"], true);
    let (st, _) = raw(&running, "GET", "/api/certificate/request/list", &[("Authorization", "Bearer forged")], "");
    assert_eq!(st, 401);
    let bad = client(&running, TokenStyle::Form, "wrong-secret");
    let e = block_on(bad.create_request(&mult())).unwrap_err();
    assert_eq!(e.status(), Some(401), "{e}");
    assert!(!e.to_string().contains("wrong-secret"));
}

#[test]
fn create_modify_list_and_sign_through_the_emulator() {
    let running = emulator();
    for style in [TokenStyle::Form, TokenStyle::Basic] {
        raw(&running, "POST", "/__emulator/reset", &[], "{}");
        let c = client(&running, style, SEGURA_CLIENT_SECRET);
        // Create a MULT request with SANs.
        let created = block_on(c.create_request(&mult())).unwrap();
        let code = created.code_request.unwrap();
        assert_eq!(created.type_domain.as_deref(), Some("MULT"));
        // Modify it.
        let mut m = mult();
        m.san.push("static.example.com".into());
        m.description = Some("three names".into());
        block_on(c.modify_request(code, &m)).unwrap();
        let got = block_on(c.get_request(code)).unwrap();
        assert_eq!(got.san.as_ref().unwrap().len(), 3);
        assert_eq!(got.status_request.unwrap().display(), "Modified (2)");
        // More requests, then list with filters across pages.
        for i in 0..60 {
            let mut r = mult();
            r.common_name = format!("h{i}.example.com");
            r.san = vec![r.common_name.clone(), "www.example.com".into()];
            if i % 3 == 0 {
                r.tags = vec!["batch".into()];
            }
            block_on(c.create_request(&r)).unwrap();
        }
        let filters = ListFilters { type_domain: Some("MULT".into()), tags: vec!["web".into()], ..Default::default() };
        let all = block_on(c.list_all_requests(&filters)).unwrap();
        assert_eq!(all.items.len(), 41, "1 modified + 40 tagged web");
        assert_eq!(all.pages, 1);
        let every = block_on(c.list_all_requests(&ListFilters::default())).unwrap();
        assert_eq!(every.items.len(), 61);
        assert_eq!(every.pages, 2, "50 + 11");
        let page = block_on(c.list_requests(&filters, 40, 10)).unwrap();
        assert_eq!(page.items.len(), 1);
        assert!(page.next.is_none());
        // Follow its status to signed.
        let s = block_on(c.request_status(code)).unwrap();
        assert_eq!(s.status_request.number, Some(2));
        let sign = SignRequest { self_signed: 0, ca: Some(5), reason: 3, justification: Some("approved".into()), itsm_code: None };
        let signed = block_on(c.sign_request(code, &sign, false)).unwrap();
        assert_eq!(signed.ca.unwrap().display(), "GlobalSign (5)");
        let s = block_on(c.request_status(code)).unwrap();
        assert_eq!(s.status_request.display(), "Signed (7)");
        assert!(s.certificate_code.is_some());
        // A signed request cannot be modified: Segura's 400 on its field.
        let e = block_on(c.modify_request(code, &m)).unwrap_err();
        assert_eq!(e.status(), Some(400));
        assert_eq!(api_field_errors(&e)[0].field, "code_request");
        // Unknown request: 404 in the wrapper.
        assert_eq!(block_on(c.request_status(99_999)).unwrap_err().status(), Some(404));
    }
}

#[test]
fn refused_locally_with_nothing_sent() {
    let running = emulator();
    let c = client(&running, TokenStyle::Form, SEGURA_CLIENT_SECRET);
    let mut wild = mult();
    wild.domain_type = "WILD".into();
    wild.san.clear();
    let mut dsa = mult();
    dsa.encryption = "DSA".into();
    dsa.certificate_algorithm = "SHA384".into();
    let mut long = mult();
    long.justification = Some("x".repeat(1025));
    for (r, field) in [(wild, "common_name"), (dsa, "certificate_algorithm"), (long, "justification")] {
        match block_on(c.create_request(&r)) {
            Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{other:?}"),
        }
    }
    let (_, seen) = raw(&running, "GET", "/__emulator/requests", &[], "");
    assert_eq!(seen["requests"].as_array().map_or(0, Vec::len), 0, "{seen}");
}

#[test]
fn governance_demands_an_itsm_code_and_short_lived_tokens_are_renewed() {
    let running = emulator();
    raw(&running, "POST", "/__emulator/config", &[], r#"{"seguraGovernance":true,"seguraTokenTtlS":1}"#);
    let c = client(&running, TokenStyle::Form, SEGURA_CLIENT_SECRET);
    let code = block_on(c.create_request(&mult())).unwrap().code_request.unwrap();
    // The server demands the ITSM code even when the caller did not say so.
    let sign = SignRequest { self_signed: 1, reason: 1, ..Default::default() };
    let e = block_on(c.sign_request(code, &sign, false)).unwrap_err();
    assert_eq!(e.status(), Some(403));
    assert_eq!(api_field_errors(&e)[0].field, "itsm_code");
    // Tokens live 1 s; the client's cached one is refused and a new one is fetched once.
    raw(&running, "POST", "/__emulator/clock", &[], r#"{"advanceMs":5000}"#);
    let sign = SignRequest { itsm_code: Some("CHG-1".into()), ..sign };
    block_on(c.sign_request(code, &sign, true)).unwrap();
}

/// With `seguraIssueAsync`, a signed request waits in `6 - Issuing` until
/// `POST /__emulator/segura/advance` completes it, so a client can follow its status to signed.
#[test]
fn an_issuing_request_advances_to_signed_on_the_control_endpoint() {
    let running = emulator();
    let (st, cfg) = raw(&running, "POST", "/__emulator/config", &[], r#"{"seguraIssueAsync":true}"#);
    assert_eq!((st, &cfg["seguraIssueAsync"]), (200, &Value::Bool(true)));
    let c = client(&running, TokenStyle::Form, SEGURA_CLIENT_SECRET);
    let code = block_on(c.create_request(&mult())).unwrap().code_request.unwrap();
    // Only an issuing request can advance: a pending one needs a sign call first.
    let (st, b) = raw(&running, "POST", "/__emulator/segura/advance", &[], &format!(r#"{{"code_request":{code}}}"#));
    assert_eq!(st, 409, "{b}");
    assert!(b["error"].as_str().unwrap().contains("1 - Pending"), "{b}");
    let sign = SignRequest { self_signed: 1, reason: 1, ..Default::default() };
    block_on(c.sign_request(code, &sign, false)).unwrap();
    let s = block_on(c.request_status(code)).unwrap();
    assert_eq!(s.status_request.display(), "Issuing (6)");
    assert_eq!(s.certificate_code, None);
    // Issuing: neither signed again nor modified.
    assert_eq!(block_on(c.sign_request(code, &sign, false)).unwrap_err().status(), Some(400));
    let (st, b) = raw(&running, "POST", "/__emulator/segura/advance", &[], &format!(r#"{{"code_request":{code}}}"#));
    assert_eq!((st, b["status_request"].as_str()), (200, Some("7 - Signed")), "{b}");
    let s = block_on(c.request_status(code)).unwrap();
    assert_eq!(s.status_request.display(), "Signed (7)");
    assert!(s.certificate_code.is_some());
    // Done: it does not advance further; unknown requests and bodies are refused.
    assert_eq!(raw(&running, "POST", "/__emulator/segura/advance", &[], &format!(r#"{{"code_request":{code}}}"#)).0, 409);
    assert_eq!(raw(&running, "POST", "/__emulator/segura/advance", &[], r#"{"code_request":99999}"#).0, 404);
    assert_eq!(raw(&running, "POST", "/__emulator/segura/advance", &[], "{}").0, 400);
    assert_eq!(raw(&running, "POST", "/__emulator/segura/nothing", &[], "{}").0, 404);
    // A reset keeps the setting.
    raw(&running, "POST", "/__emulator/reset", &[], "{}");
    let code = block_on(c.create_request(&mult())).unwrap().code_request.unwrap();
    block_on(c.sign_request(code, &sign, false)).unwrap();
    assert_eq!(block_on(c.request_status(code)).unwrap().status_request.number, Some(6));
}
