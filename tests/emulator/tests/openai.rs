//! The OpenAI client against the emulator over real loopback HTTP: the Bearer admin-key check,
//! OpenAI's error object with `x-request-id`, the certificate flows (upload, activate per project
//! and organization, the delete guard, batches of ten, more than 100 certificates across pages),
//! 429 handling, and every raw answer validated against OpenAI's OpenAPI document.

#[path = "../../support/openapi.rs"]
mod openapi;

mod support;

use support::{now_s, Loopback};

use std::path::Path;

use certwright::pki::{self, issue_certificate, CertParams, CertSubject, PrivateKey, SubjectFields};
use certwright::vendors::openai::client::{openai_error, Client, Error, Order, Scope};
use certwright::vendors::paging::Bounds;
use certwright::vendors::redact::Secret;
use certwright::vendors::transport::{HttpRequest, HttpResponse, Transport};
use certwright_emulator::openai::EMULATOR_ADMIN_KEY;
use certwright_emulator::{start, Config, Running};
use futures_executor::block_on;
use serde_json::{json, Value};

const DAY: i64 = 86_400;

fn emulator() -> Running {
    start(Config::new(0, Vec::new())).unwrap()
}

fn client(running: &Running, key: &str) -> Client<Loopback> {
    Client::new(Loopback::to(running), Secret::new(key), now_s)
}

/// A raw call, its answer checked against the document (strictly).
fn raw(running: &Running, method: &str, target: &str, headers: &[(&str, &str)], body: Option<Value>) -> (u16, Value, HttpResponse) {
    let t = Loopback::to(running);
    let req = HttpRequest {
        method: method.into(),
        url: format!("https://api.openai.com{target}"),
        headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
        body: body.map(|b| serde_json::to_vec(&b).unwrap()).unwrap_or_default(),
    };
    let resp = block_on(t.send(req)).unwrap();
    let value: Value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
    if target.starts_with("/v1/") {
        let doc = openapi::document();
        let path = target.split('?').next().unwrap().strip_prefix("/v1").unwrap();
        let schema = match openapi::operation(&doc, method, path) {
            Some(_) => openapi::response_schema(&doc, method, path, resp.status),
            None => openapi::resolve(&doc, "#/components/schemas/ErrorResponse"),
        };
        assert_eq!(openapi::check(&doc, schema, &value, true), Vec::<String>::new(), "{method} {target} -> {} {value}", resp.status);
        assert!(resp.header("x-request-id").is_some(), "{method} {target}");
    }
    (resp.status, value, resp)
}

fn control(running: &Running, path: &str, body: Value) -> Value {
    raw(running, "POST", &format!("/__emulator/{path}"), &[], Some(body)).1
}

fn requests(running: &Running) -> Vec<Value> {
    raw(running, "GET", "/__emulator/requests", &[], None).1["requests"].as_array().unwrap().clone()
}

fn ca_key() -> PrivateKey {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/keys/intermediate.key.pem");
    PrivateKey::import(&std::fs::read(p).unwrap(), None).unwrap()
}

/// A CA OpenAI accepts (the builders always set SKI and AKI keyid); `n` makes it distinct.
fn ca_pem(key: &PrivateKey, n: u8) -> String {
    let params = CertParams {
        subject: SubjectFields { common_name: format!("Emulator CA {n}"), ..Default::default() },
        is_ca: true,
        key_usage: vec!["keyCertSign".into(), "cRLSign".into()],
        not_before: now_s() - DAY,
        not_after: now_s() + 365 * DAY,
        ..Default::default()
    };
    let mut serial = [n; 20];
    serial[0] = 0x11;
    pki::pem::encode("CERTIFICATE", &issue_certificate(&params, CertSubject::Key(key), None, serial).unwrap())
}

#[test]
fn the_admin_key_is_checked_and_refusals_are_openai_errors() {
    let running = emulator();
    let (st, v, resp) = raw(&running, "GET", "/v1/organization/certificates", &[], None);
    assert_eq!(st, 401);
    assert!(v["error"]["message"].as_str().unwrap().contains("didn't provide an API key"));
    assert!(resp.header("x-request-id").is_some());
    let wrong = "sk-admin-wrong-key-1234";
    let c = client(&running, wrong);
    let err = block_on(c.list_certificates(&Default::default())).unwrap_err();
    let (e, request_id) = openai_error(&err).unwrap();
    assert_eq!((err.status(), e.code.as_deref()), (Some(401), Some("invalid_api_key")));
    assert!(request_id.is_some_and(|r| r.starts_with("req_")));
    assert!(!format!("{err} {err:?}").contains(wrong));
    // The right key works; an unknown path is OpenAI's 404.
    let (st, v, _) =
        raw(&running, "GET", "/v1/organization/certificates", &[("Authorization", &format!("Bearer {EMULATOR_ADMIN_KEY}"))], None);
    assert_eq!((st, v["object"].as_str()), (200, Some("list")));
    let (st, v, _) = raw(&running, "GET", "/v1/organization/nope", &[("Authorization", &format!("Bearer {EMULATOR_ADMIN_KEY}"))], None);
    assert_eq!((st, v["error"]["message"].as_str()), (404, Some("Invalid URL (GET /v1/organization/nope)")));
}

#[test]
fn the_certificate_flow_over_loopback() {
    let running = emulator();
    let c = client(&running, EMULATOR_ADMIN_KEY);
    let key = ca_key();
    let ca = block_on(c.upload_certificate(&ca_pem(&key, 1), Some("prod CA"))).unwrap();
    let got = block_on(c.get_certificate(&ca.id, true)).unwrap();
    assert!(got.certificate_details.content.unwrap().contains("BEGIN CERTIFICATE"));
    // Activate for a project, then for the organization.
    for scope in [Scope::Project("proj_abc".into()), Scope::Organization] {
        for r in block_on(c.activate(&scope, &[ca.id.as_str()])) {
            assert_eq!(r.result.unwrap().data[0].active, Some(true));
        }
    }
    // Delete refused locally, with the reason; and by the server (409) without the guard.
    let mut state = block_on(c.activation_state(&["proj_abc".into(), "proj_def".into()])).unwrap();
    let refused = block_on(c.delete_certificate_checked(&ca.id, &mut state)).unwrap_err().unwrap();
    assert!(refused.organization && refused.projects == ["proj_abc"], "{refused}");
    let err = block_on(c.delete_certificate(&ca.id)).unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert!(err.to_string().contains("[request id req_"), "{err}");
    // Rename, deactivate everywhere, delete.
    assert_eq!(block_on(c.rename_certificate(&ca.id, "old CA")).unwrap().name.as_deref(), Some("old CA"));
    for scope in [Scope::Organization, Scope::Project("proj_abc".into())] {
        block_on(c.deactivate(&scope, &[ca.id.as_str()])).into_iter().for_each(|r| {
            r.result.unwrap();
        });
    }
    let mut state = block_on(c.activation_state(&["proj_abc".into()])).unwrap();
    block_on(c.delete_certificate_checked(&ca.id, &mut state)).unwrap();
    assert_eq!(block_on(c.get_certificate(&ca.id, false)).unwrap_err().status(), Some(404));
    // A CA the rules refuse is refused by the emulator too (400, param `certificate`).
    let err = block_on(c.upload_certificate(&pki::pem::encode("CERTIFICATE", b"\x30\x03\x02\x01\x01"), None)).unwrap_err();
    assert_eq!((err.status(), openai_error(&err).unwrap().0.param.as_deref()), (Some(400), Some("certificate")));
}

#[test]
fn more_than_100_listed_across_pages_and_eleven_activations_in_two_calls() {
    let running = emulator();
    control(&running, "config", json!({"openaiCertificateLimit": 120}));
    let c = client(&running, EMULATOR_ADMIN_KEY);
    let key = ca_key();
    let mut ids = Vec::new();
    for n in 0..105u8 {
        ids.push(block_on(c.upload_certificate(&ca_pem(&key, n), None)).unwrap().id);
    }
    // A reset forgets the certificates but keeps the settings (the raised cap is used below).
    control(&running, "reset", json!({}));
    assert_eq!(block_on(c.list_all_certificates(None, Bounds::default())).unwrap().items.len(), 0);
    for n in 0..105u8 {
        ids[n as usize] = block_on(c.upload_certificate(&ca_pem(&key, n), None)).unwrap().id;
    }
    let before = requests(&running).len();
    let all = block_on(c.list_all_certificates(Some(Order::Asc), Bounds::default())).unwrap();
    assert_eq!((all.items.len(), all.pages, all.stopped), (105, 2, None));
    assert_eq!(all.items.iter().map(|c| c.id.clone()).collect::<Vec<_>>(), ids);
    let listed = requests(&running);
    assert_eq!(listed.len() - before, 2);

    let before = requests(&running).len();
    let results = block_on(c.activate(&Scope::Organization, &ids[..11]));
    assert_eq!(results.iter().map(|r| r.ids.len()).collect::<Vec<_>>(), [10, 1]);
    let calls: Vec<Value> = requests(&running)[before..].to_vec();
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|r| r["path"] == "/v1/organization/certificates/activate" && r["status"] == 200), "{calls:?}");
    // The cap: 120 with the setting, then refused.
    for n in 105..120u8 {
        block_on(c.upload_certificate(&ca_pem(&key, n), None)).unwrap();
    }
    let err = block_on(c.upload_certificate(&ca_pem(&key, 200), None)).unwrap_err();
    assert_eq!(openai_error(&err).unwrap().0.code.as_deref(), Some("certificate_limit_exceeded"));
}

#[test]
fn a_429_is_retried_once_and_a_second_is_reported() {
    let running = emulator();
    let c = client(&running, EMULATOR_ADMIN_KEY);
    control(&running, "faults", json!({"status": 429, "count": 1, "retryAfterMs": 300}));
    let list = block_on(c.list_certificates(&Default::default())).unwrap();
    assert!(list.data.is_empty());
    let statuses: Vec<u64> = requests(&running).iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [429, 200]);
    control(&running, "faults", json!({"status": 429, "count": 2, "retryAfterMs": 200}));
    let err = block_on(c.list_certificates(&Default::default())).unwrap_err();
    assert!(matches!(err, Error::RateLimited(_)));
    let (e, id) = openai_error(&err).unwrap();
    assert_eq!((e.code.as_deref(), id.is_some()), (Some("rate_limit_exceeded"), true));
    assert_eq!(err.rate_limit().and_then(|r| r.remaining), Some(0));
    // The raw 429 fits the document's TooManyRequests answer.
    control(&running, "faults", json!({"status": 429, "count": 1, "retryAfterMs": 1000}));
    let (st, _, resp) =
        raw(&running, "GET", "/v1/organization/certificates", &[("Authorization", &format!("Bearer {EMULATOR_ADMIN_KEY}"))], None);
    assert_eq!((st, resp.header("Retry-After")), (429, Some("1")));
    control(&running, "faults", json!({"status": 500, "count": 1}));
    let err = block_on(c.list_certificates(&Default::default())).unwrap_err();
    assert_eq!(openai_error(&err).unwrap().0.kind.as_deref(), Some("server_error"));
}

#[test]
fn seeding_adds_distinct_cas_that_list_across_pages() {
    let running = emulator();
    let settings = control(&running, "config", json!({"openaiSeed": 105}));
    assert_eq!(settings["openaiCertificateLimit"], 105, "the cap is raised to fit the seed");
    let c = client(&running, EMULATOR_ADMIN_KEY);
    let all = block_on(c.list_all_certificates(Some(Order::Asc), Bounds::default())).unwrap();
    assert_eq!((all.items.len(), all.pages), (105, 2));
    let names: Vec<String> = all.items.iter().map(|c| c.name.clone().unwrap()).collect();
    assert_eq!((names[0].as_str(), names[104].as_str()), ("seed-001", "seed-105"));
    // Each is a distinct CA the rule pack accepts, with its own content.
    let first = block_on(c.get_certificate(&all.items[0].id, true)).unwrap().certificate_details.content.unwrap();
    let last = block_on(c.get_certificate(&all.items[104].id, true)).unwrap().certificate_details.content.unwrap();
    assert_ne!(first, last);
    assert!(certwright::vendors::openai::rules::check_ca(first.as_bytes(), 0, now_s()).is_empty());
    // Seeding again adds more (numbering goes on), and a reset forgets them.
    control(&running, "config", json!({"openaiSeed": 2}));
    let all = block_on(c.list_all_certificates(Some(Order::Asc), Bounds::default())).unwrap();
    assert_eq!((all.items.len(), all.items[106].name.as_deref()), (107, Some("seed-107")));
    control(&running, "reset", json!({}));
    assert!(block_on(c.list_certificates(&Default::default())).unwrap().data.is_empty());
}
