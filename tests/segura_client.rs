//! The Segura client (`certwright::vendors::segura::client`) against a fake transport that
//! records every request and replays queued answers: the A2A token (form and Basic), Bearer on
//! the API, every documented constraint refused before sending with its field, paging, the
//! wrapper, `"N - label"` statuses, English and Portuguese error keys, secrets kept out of
//! `Debug` and errors.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/fake.rs"]
mod fake;

use certwright::vendors::error::ErrorBody;
use certwright::vendors::segura::client::{Client, Error, TokenStyle};
use certwright::vendors::segura::models::{CertificateRequest, Labeled, ListFilters, SignRequest};
use certwright::vendors::segura::rules::{api_field_errors, check_request, custody_warnings};
use certwright::vendors::transport::HttpRequest;
use fake::FakeTransport as Fake;
use futures_executor::block_on;
use serde_json::{json, Value};

const NOW: i64 = 1_754_387_136;
const BASE: &str = "https://vault.example.com";
const SECRET: &str = "a2a-secret-do-not-leak";

/// Segura's answers on the shared fake transport.
trait Replies {
    fn reply(&self, status: u16, body: Value) -> &Self;
    fn token(&self) -> &Self;
}

impl Replies for Fake {
    fn reply(&self, status: u16, body: Value) -> &Self {
        self.queue_json(status, &body)
    }
    fn token(&self) -> &Self {
        self.reply(200, json!({"token_type": "Bearer", "expires_in": 3600, "access_token": "tok-1"}))
    }
}

fn client(fake: &Fake, style: TokenStyle) -> Client<&Fake> {
    Client::new(fake, BASE, "a2a-client", SECRET, style, || NOW).unwrap()
}

fn request() -> CertificateRequest {
    CertificateRequest {
        certificate_type: 2,
        domain_type: "SING".into(),
        organization: 42,
        common_name: "api.example.com".into(),
        encryption: "RSA".into(),
        encryption_key_size: 2048,
        certificate_algorithm: "SHA256".into(),
        validity: 365,
        justification: Some("Needed for new API service".into()),
        description: Some("Certificate for public API endpoints".into()),
        ..Default::default()
    }
}

fn created() -> Value {
    json!({
        "status": 200, "message": "Request created successfully", "error": false,
        "code_request": 123, "type_certificate": 2, "type_domain": "SING", "organization": 42,
        "common_name": "api.example.com", "encryption": "RSA", "encryption_key_size": 2048,
        "certificate_algorithm": "SHA256", "validity": 365,
        "justification": "Needed for new API service",
        "description": "Certificate for public API endpoints"
    })
}

fn body(req: &HttpRequest) -> Value {
    serde_json::from_slice(&req.body).unwrap()
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

#[test]
fn create_gets_a_form_token_then_sends_bearer_with_the_seed_body() {
    let fake = Fake::default();
    fake.token().reply(200, created());
    let c = client(&fake, TokenStyle::Form);
    let out = block_on(c.create_request(&request())).unwrap();
    assert_eq!(out.code_request, Some(123));
    assert_eq!(out.type_certificate, Some(2));
    let sent = fake.requests.borrow();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].url, format!("{BASE}/iso/oauth2/token"));
    let form = String::from_utf8(sent[0].body.clone()).unwrap();
    assert!(form.contains("grant_type=client_credentials"), "{form}");
    assert!(form.contains("client_id=a2a-client"), "{form}");
    assert_eq!(sent[1].url, format!("{BASE}/api/v1/certificates/requests"));
    assert_eq!(header(&sent[1], "Authorization"), Some("Bearer tok-1"));
    let b = body(&sent[1]);
    assert_eq!(b["certificate_type"], 2);
    assert_eq!(b["domain_type"], "SING");
    // san defaults to the common name.
    assert_eq!(b["san"], json!(["api.example.com"]));
    assert!(b.get("code_request").is_none());
}

#[test]
fn basic_style_sends_the_secret_as_http_basic_and_the_token_is_reused() {
    let fake = Fake::default();
    fake.token().reply(200, created()).reply(200, created());
    let c = client(&fake, TokenStyle::Basic);
    block_on(c.create_request(&request())).unwrap();
    block_on(c.create_request(&request())).unwrap();
    let sent = fake.requests.borrow();
    assert_eq!(sent.len(), 3, "one token for both calls");
    let auth = header(&sent[0], "Authorization").unwrap();
    assert!(auth.starts_with("Basic "), "{auth}");
    assert!(!String::from_utf8_lossy(&sent[0].body).contains(SECRET));
}

#[test]
fn modify_sends_code_request() {
    let fake = Fake::default();
    let mut answer = created();
    answer["message"] = json!("Request modified successfully");
    fake.token().reply(200, answer);
    let c = client(&fake, TokenStyle::Form);
    let mut r = request();
    r.domain_type = "MULT".into();
    r.san = vec!["api.example.com".into(), "www.example.com".into()];
    block_on(c.modify_request(123, &r)).unwrap();
    let b = body(&fake.requests.borrow()[1]);
    assert_eq!(b["code_request"], 123);
    assert_eq!(b["san"], json!(["api.example.com", "www.example.com"]));
}

/// Each constraint, refused before anything is sent, on its field.
#[test]
fn every_constraint_is_refused_before_sending_on_its_field() {
    let long = |n: usize| Some("x".repeat(n));
    type Change = Box<dyn Fn(&mut CertificateRequest)>;
    let cases: Vec<(&str, Change)> = vec![
        ("certificate_type", Box::new(|r| r.certificate_type = 0)),
        ("certificate_type", Box::new(|r| r.certificate_type = 4)),
        ("domain_type", Box::new(|r| r.domain_type = "MULTI".into())),
        ("organization", Box::new(|r| r.organization = 0)),
        ("common_name", Box::new(|r| r.common_name = String::new())),
        ("common_name", Box::new(|r| r.common_name = "bad name".into())),
        // WILD without a wildcard name.
        ("common_name", Box::new(|r| r.domain_type = "WILD".into())),
        // A wildcard in SING.
        ("common_name", Box::new(|r| r.common_name = "*.example.com".into())),
        // SING with two names.
        ("san", Box::new(|r| r.san = vec!["api.example.com".into(), "b.example.com".into()])),
        // MULT with one name.
        ("san", Box::new(|r| r.domain_type = "MULT".into())),
        // SANs that leave out the common name.
        ("san", Box::new(|r| r.san = vec!["other.example.com".into()])),
        (
            "san[1]",
            Box::new(|r| {
                r.domain_type = "MULT".into();
                r.san = vec!["api.example.com".into(), "-bad.example.com".into()];
            }),
        ),
        (
            "san[1]",
            Box::new(|r| {
                r.domain_type = "WILD".into();
                r.common_name = "*.example.com".into();
                r.san = vec!["*.example.com".into(), "a.b.example.com".into()];
            }),
        ),
        ("encryption", Box::new(|r| r.encryption = "ECDSA".into())),
        ("encryption_key_size", Box::new(|r| r.encryption_key_size = 3072)),
        ("certificate_algorithm", Box::new(|r| r.certificate_algorithm = "SHA1".into())),
        // DSA only with SHA256.
        (
            "certificate_algorithm",
            Box::new(|r| {
                r.encryption = "DSA".into();
                r.certificate_algorithm = "SHA384".into();
            }),
        ),
        ("validity", Box::new(|r| r.validity = 0)),
        ("justification", Box::new(move |r| r.justification = long(1025))),
        ("description", Box::new(move |r| r.description = long(513))),
        ("tags[0]", Box::new(|r| r.tags = vec![" ".into()])),
        ("external_ip", Box::new(|r| r.external_ip = Some("300.1.1.1".into()))),
        ("hostname_ip", Box::new(|r| r.hostname_ip = Some("not a host".into()))),
        ("responsible", Box::new(|r| r.responsible = Some(0))),
    ];
    for (field, change) in cases {
        let fake = Fake::default();
        let c = client(&fake, TokenStyle::Form);
        let mut r = request();
        change(&mut r);
        match block_on(c.create_request(&r)) {
            Err(Error::Invalid { field: f, message }) => {
                assert_eq!(f, field, "{message}");
                assert!(!message.is_empty());
            }
            other => panic!("{field}: expected Invalid, got {other:?}"),
        }
        assert!(fake.requests.borrow().is_empty(), "{field}: nothing may be sent");
    }
}

#[test]
fn limits_are_inclusive_and_valid_shapes_pass() {
    let mut r = request();
    r.justification = Some("é".repeat(1024));
    r.description = Some("x".repeat(512));
    r.external_ip = Some("2001:db8::1".into());
    r.hostname_ip = Some("10.0.0.5".into());
    assert!(check_request(&r).is_empty(), "{:?}", check_request(&r));
    r.hostname_ip = Some("web01.internal".into());
    assert!(check_request(&r).is_empty(), "{:?}", check_request(&r));
    // MULT with several names.
    let mut m = request();
    m.domain_type = "MULT".into();
    m.san = vec!["api.example.com".into(), "www.example.com".into(), "example.org".into()];
    assert!(check_request(&m).is_empty(), "{:?}", check_request(&m));
    // WILD with a wildcard and names under it.
    let mut w = request();
    w.domain_type = "WILD".into();
    w.common_name = "*.example.com".into();
    w.san = vec!["*.example.com".into(), "example.com".into(), "a.example.com".into()];
    assert!(check_request(&w).is_empty(), "{:?}", check_request(&w));
    // DSA with SHA256, every key size.
    for size in [4096, 2048, 1024] {
        let mut d = request();
        d.encryption = "DSA".into();
        d.encryption_key_size = size;
        assert!(check_request(&d).is_empty());
    }
}

#[test]
fn create_refuses_a_code_and_modify_refuses_code_zero() {
    let fake = Fake::default();
    let c = client(&fake, TokenStyle::Form);
    let mut r = request();
    r.code_request = Some(5);
    assert!(matches!(block_on(c.create_request(&r)), Err(Error::Invalid { field, .. }) if field == "code_request"));
    assert!(matches!(block_on(c.modify_request(0, &request())), Err(Error::Invalid { field, .. }) if field == "code_request"));
    assert!(fake.requests.borrow().is_empty());
}

#[test]
fn custody_warnings_say_segura_makes_the_key_and_warn_on_1024_and_dsa() {
    let w = custody_warnings(&request());
    assert_eq!(w.len(), 1);
    assert!(w[0].message.contains("Segura generates this private key"));
    let mut r = request();
    r.encryption = "DSA".into();
    r.encryption_key_size = 1024;
    let w = custody_warnings(&r);
    assert!(w.iter().any(|f| f.field == "encryption_key_size"));
    assert!(w.iter().any(|f| f.field == "encryption" && f.message.contains("DSA")));
}

#[test]
fn a_400_is_mapped_to_the_field_it_names() {
    let fake = Fake::default();
    fake.token()
        .reply(400, json!({"status": 400, "message": "Invalid parameters provided: organization 7 is not registered", "error": true}));
    let c = client(&fake, TokenStyle::Form);
    let e = block_on(c.create_request(&request())).unwrap_err();
    assert_eq!(e.status(), Some(400));
    let fields = api_field_errors(&e);
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].field, "organization");
    assert!(fields[0].message.contains("not registered"));
}

#[test]
fn portuguese_error_keys_are_read() {
    let fake = Fake::default();
    fake.token().reply(
        400,
        json!({"code": 400, "response": {"status": 400, "mensagem": "Parâmetro inválido: encryption_key_size", "erro": true, "cod_erro": 3001}, "data": null}),
    );
    let c = client(&fake, TokenStyle::Form);
    let e = block_on(c.create_request(&request())).unwrap_err();
    match &e.api().unwrap().body {
        ErrorBody::Segura(s) => {
            assert_eq!(s.message.as_deref(), Some("Parâmetro inválido: encryption_key_size"));
            assert_eq!(s.error, Some(true));
            assert_eq!(s.error_code, Some(3001));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(api_field_errors(&e)[0].field, "encryption_key_size");
}

#[test]
fn a_2xx_that_says_error_true_is_an_error() {
    let fake = Fake::default();
    fake.token().reply(
        200,
        json!({"code": 200, "response": {"status": 404, "message": "Resource not found", "error": true, "error_code": 404}, "data": null}),
    );
    let c = client(&fake, TokenStyle::Form);
    let e = block_on(c.get_request(77)).unwrap_err();
    assert_eq!(e.status(), Some(404));
}

#[test]
fn an_expired_token_is_refetched_once_after_a_401() {
    let fake = Fake::default();
    fake.token()
        .reply(401, json!({"status": 401, "message": "Unauthorized access", "error": true}))
        .reply(200, json!({"access_token": "tok-2", "expires_in": 3600, "token_type": "Bearer"}))
        .reply(200, created());
    let c = client(&fake, TokenStyle::Form);
    block_on(c.create_request(&request())).unwrap();
    let sent = fake.requests.borrow();
    assert_eq!(sent.len(), 4);
    assert_eq!(header(&sent[3], "Authorization"), Some("Bearer tok-2"));
}

#[test]
fn list_sends_filters_offset_limit_and_load_all_walks_pages() {
    let fake = Fake::default();
    let rec =
        |code: u64| json!({"code_request": code, "status_request": "1 - Pending", "common_name": "api.example.com", "type_domain": "MULT"});
    let page = |items: Vec<Value>| json!({"code": 200, "response": {"status": 200, "message": "1001: OK", "error": false, "mensagem": "1001: OK", "erro": false}, "tenant": "t", "data": {"requests": items}});
    fake.token().reply(200, page(vec![rec(1), rec(2)]));
    let c = client(&fake, TokenStyle::Form);
    let filters = ListFilters { type_domain: Some("MULT".into()), tags: vec!["web".into(), "prod".into()], ..Default::default() };
    let p = block_on(c.list_requests(&filters, 10, 2)).unwrap();
    assert_eq!(p.items.len(), 2);
    assert_eq!(p.items[0].status_request, Some(Labeled { number: Some(1), label: "Pending".into() }));
    assert!(p.next.is_some(), "a full page has a successor");
    let url = fake.requests.borrow()[1].url.clone();
    assert!(url.starts_with(&format!("{BASE}/api/certificate/request/list?")), "{url}");
    assert!(url.contains("type_domain=MULT"), "{url}");
    assert!(url.contains("tags=web%2Cprod"), "{url}");
    assert!(url.contains("offset=10") && url.contains("limit=2"), "{url}");

    // load all: 50 + 3 → two pages.
    let fake = Fake::default();
    fake.token().reply(200, page((1..=50).map(rec).collect())).reply(200, page((51..=53).map(rec).collect()));
    let c = client(&fake, TokenStyle::Form);
    let all = block_on(c.list_all_requests(&ListFilters::default())).unwrap();
    assert_eq!(all.items.len(), 53);
    assert_eq!(all.pages, 2);
    assert!(all.stopped.is_none());
    assert!(fake.requests.borrow()[2].url.contains("offset=50"));

    let fake = Fake::default();
    let c = client(&fake, TokenStyle::Form);
    assert!(matches!(block_on(c.list_requests(&filters, 0, 0)), Err(Error::Invalid { field, .. }) if field == "limit"));
}

#[test]
fn status_is_a_label_with_its_number_and_sign_is_checked() {
    let fake = Fake::default();
    fake.token().reply(
        200,
        json!({"code": 200, "response": {"status": 200, "message": "1001: OK", "error": false}, "data": {"request_code": 123, "status_request": "7 - Signed", "certificate_code": 9001}}),
    );
    let c = client(&fake, TokenStyle::Form);
    let s = block_on(c.request_status(123)).unwrap();
    assert_eq!(s.status_request.number, Some(7));
    assert_eq!(s.status_request.display(), "Signed (7)");
    assert_eq!(s.certificate_code, Some(9001));
    assert!(fake.requests.borrow()[1].url.ends_with("/api/certificate/request/status/123"));

    let sign = |f: fn(&mut SignRequest), governance: bool| {
        let fake = Fake::default();
        let c = client(&fake, TokenStyle::Form);
        let mut s = SignRequest { self_signed: 0, ca: Some(5), reason: 3, ..Default::default() };
        f(&mut s);
        let r = block_on(c.sign_request(123, &s, governance));
        assert!(fake.requests.borrow().is_empty());
        match r {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(sign(|s| s.ca = None, false), "ca");
    assert_eq!(sign(|s| s.self_signed = 2, false), "self_signed");
    assert_eq!(sign(|s| s.reason = 0, false), "reason");
    assert_eq!(sign(|s| s.justification = Some("j".repeat(1025)), false), "justification");
    assert_eq!(sign(|_| {}, true), "itsm_code");

    let fake = Fake::default();
    fake.token().reply(
        200,
        json!({"status": 200, "message": "ok", "error": false, "code_request": 123, "self_signed": 0, "ca": "5 - GlobalSign", "reason": "3 - Scheduled Renewal", "itsm_code": "CHG-1"}),
    );
    let c = client(&fake, TokenStyle::Form);
    let s = SignRequest { self_signed: 0, ca: Some(5), reason: 3, itsm_code: Some("CHG-1".into()), ..Default::default() };
    let out = block_on(c.sign_request(123, &s, true)).unwrap();
    assert_eq!(out.ca.unwrap().display(), "GlobalSign (5)");
    assert_eq!(out.reason.unwrap().number, Some(3));
    assert!(fake.requests.borrow()[1].url.ends_with("/api/v1/certificates/requests/sign/123"));
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let fake = Fake::default();
    fake.reply(401, json!({"error": "invalid_client", "error_description": "bad client"}));
    let c = client(&fake, TokenStyle::Form);
    let e = block_on(c.create_request(&request())).unwrap_err();
    assert!(!format!("{e:?} {e}").contains(SECRET));
    assert!(!format!("{c:?}").contains(SECRET));
    let mut r = request();
    r.key_password = Some("key-pass-secret".into());
    r.senha_revogacao = Some("revoke-secret".into());
    let d = format!("{r:?}");
    assert!(!d.contains("key-pass-secret") && !d.contains("revoke-secret"), "{d}");
}

#[test]
fn bad_construction_is_a_field_error() {
    let fake = Fake::default();
    let e = Client::new(&fake, "ftp://vault", "id", SECRET, TokenStyle::Form, || NOW).unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "baseUrl"));
    let e = Client::new(&fake, BASE, " ", SECRET, TokenStyle::Form, || NOW).unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "clientId"));
    let e = Client::new(&fake, BASE, "id", "", TokenStyle::Form, || NOW).unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "clientSecret"));
}

/// Bodies that carry both spellings of a field (English and Portuguese, the create and the list
/// names) decode; serde's `alias` alone would refuse them as duplicate fields.
#[test]
fn answers_with_both_spellings_of_a_field_decode() {
    let fake = Fake::default();
    let mut answer = created();
    answer["mensagem"] = json!("Solicitação criada com sucesso");
    answer["erro"] = json!(false);
    answer["certificate_type"] = json!(2);
    fake.token()
        .reply(200, answer)
        .reply(
            200,
            json!({"code": 200, "response": {"status": 200, "message": "1001: OK", "mensagem": "1001: OK", "error": false, "erro": false},
               "data": {"requests": [{"code_request": 5, "id": 99, "request_code": 5, "type_domain": "SING", "domain_type": "SING",
                                      "design": "p", "project": "p", "status_request": "1 - Pending"}]}}),
        )
        .reply(
            200,
            json!({"code": 200, "response": {"status": 200, "message": "1001: OK"},
               "data": {"request_code": 5, "code_request": 5, "status_request": "7 - Signed"}}),
        );
    let c = client(&fake, TokenStyle::Form);
    let out = block_on(c.create_request(&request())).unwrap();
    assert_eq!(out.message.as_deref(), Some("Request created successfully"));
    let page = block_on(c.list_requests(&ListFilters::default(), 0, 10)).unwrap();
    assert_eq!(page.items[0].code_request, Some(5));
    assert_eq!(page.items[0].design.as_deref(), Some("p"));
    let s = block_on(c.request_status(5)).unwrap();
    assert_eq!(s.request_code, 5);
}

/// Portuguese keys alone, in every answer shape: a flat error body (`mensagem`, `erro`), a 2xx
/// flat answer that says `erro: true` (create and sign), and a 2xx wrapper whose `response`
/// has only `mensagem` / `erro` / `cod_erro`.
#[test]
fn portuguese_keys_alone_are_read_in_flat_and_wrapped_answers() {
    let fake = Fake::default();
    fake.token()
        .reply(400, json!({"status": 400, "mensagem": "Parâmetro inválido: common_name", "erro": true}))
        .reply(200, json!({"status": 400, "mensagem": "Organização não encontrada: organization", "erro": true}))
        .reply(200, json!({"code": 200, "response": {"status": 404, "mensagem": "Solicitação não encontrada", "erro": true, "cod_erro": 1404}, "data": null}))
        .reply(200, json!({"status": 403, "mensagem": "Código ITSM obrigatório: itsm_code", "erro": true}))
        .reply(200, json!({"code": 200, "response": {"status": 200, "mensagem": "1001: OK", "erro": false}, "data": {"request_code": 5, "status_request": "1 - Pendente"}}));
    let c = client(&fake, TokenStyle::Form);
    let e = block_on(c.create_request(&request())).unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert_eq!(e.api().unwrap().body.message(), Some("Parâmetro inválido: common_name"));
    assert_eq!(api_field_errors(&e)[0].field, "common_name");
    let e = block_on(c.create_request(&request())).unwrap_err();
    assert_eq!(e.status(), Some(400), "a 2xx with erro: true is an error");
    assert_eq!(api_field_errors(&e)[0].field, "organization");
    let e = block_on(c.get_request(5)).unwrap_err();
    assert_eq!(e.status(), Some(404));
    match &e.api().unwrap().body {
        ErrorBody::Segura(s) => {
            assert_eq!(s.message.as_deref(), Some("Solicitação não encontrada"));
            assert_eq!(s.error_code, Some(1404));
        }
        other => panic!("{other:?}"),
    }
    let sign = SignRequest { self_signed: 1, reason: 1, ..Default::default() };
    let e = block_on(c.sign_request(5, &sign, false)).unwrap_err();
    assert_eq!(e.status(), Some(403));
    assert_eq!(api_field_errors(&e)[0].field, "itsm_code");
    let s = block_on(c.request_status(5)).unwrap();
    assert_eq!(s.status_request.display(), "Pendente (1)");
}
