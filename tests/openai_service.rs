//! OpenAI's service model (`vendors::openai::service`): its rules, and a contract test that
//! validates every response it produces against the response schemas of OpenAI's OpenAPI
//! document (strictly: no undocumented property), plus the document's own examples and the
//! client's request bodies. Then the client runs against the model in process.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/openapi.rs"]
mod openapi;

use std::cell::RefCell;

use certwright::pki::{self, issue_certificate, CertParams, CertSubject, KeyAlgorithm, PrivateKey, SubjectFields};
use certwright::vendors::openai::client::{Client, ListQuery, Order, Scope};
use certwright::vendors::openai::service::Service;
use certwright::vendors::paging::Bounds;
use certwright::vendors::redact::Secret;
use certwright::vendors::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use futures_executor::block_on;
use serde_json::{json, Value};

const DAY: i64 = 86_400;
const NOW: i64 = 1_767_225_600;

/// The service with every response checked against the document.
struct Checked {
    service: Service,
    doc: Value,
    now_s: i64,
    checked: usize,
}

impl Checked {
    fn new() -> Checked {
        Checked { service: Service::default(), doc: openapi::document(), now_s: NOW, checked: 0 }
    }

    fn call(&mut self, method: &str, target: &str, body: Option<Value>) -> (u16, Value) {
        let bytes = body.map(|b| serde_json::to_vec(&b).unwrap()).unwrap_or_default();
        let resp = self.service.handle(method, target, &bytes, self.now_s * 1000);
        self.validate(method, target, &resp);
        (resp.status, serde_json::from_slice(&resp.body).unwrap())
    }

    fn validate(&mut self, method: &str, target: &str, resp: &HttpResponse) {
        assert_eq!(resp.header("Content-Type"), Some("application/json"));
        assert!(resp.header("x-request-id").is_some_and(|r| r.starts_with("req_")));
        let path = target.split('?').next().unwrap().strip_prefix("/v1").unwrap();
        let value: Value = serde_json::from_slice(&resp.body).unwrap();
        if openapi::operation(&self.doc, method, path).is_none() {
            // Not an endpoint of the document: the answer is still OpenAI's error shape.
            assert!(resp.status == 404);
            let schema = openapi::resolve(&self.doc, "#/components/schemas/ErrorResponse");
            assert_eq!(openapi::check(&self.doc, schema, &value, true), Vec::<String>::new());
            return;
        }
        let schema = openapi::response_schema(&self.doc, method, path, resp.status);
        let problems = openapi::check(&self.doc, schema, &value, true);
        assert!(problems.is_empty(), "{method} {target} -> {}: {problems:?}\n{value}", resp.status);
        self.checked += 1;
    }
}

fn key() -> PrivateKey {
    PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap()
}

fn ca_pem(cn: &str, not_after: i64) -> String {
    let mut r = [0u8; 20];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut r);
    let params = CertParams {
        subject: SubjectFields { common_name: cn.into(), ..Default::default() },
        is_ca: true,
        key_usage: vec!["keyCertSign".into(), "cRLSign".into()],
        not_before: NOW - DAY,
        not_after,
        ..Default::default()
    };
    pki::pem::encode("CERTIFICATE", &issue_certificate(&params, CertSubject::Key(&key()), None, r).unwrap())
}

fn error_of(v: &Value) -> (&str, Option<&str>, Option<&str>) {
    let e = &v["error"];
    (e["message"].as_str().unwrap(), e["param"].as_str(), e["code"].as_str())
}

#[test]
fn the_checker_catches_what_breaks_the_document() {
    let doc = openapi::document();
    let schema = openapi::resolve(&doc, "#/components/schemas/ListCertificatesResponse");
    let good = json!({"object": "list", "data": [], "first_id": null, "last_id": null, "has_more": false});
    assert!(openapi::check(&doc, schema, &good, true).is_empty());
    let bad = json!({"object": "lists", "data": [{"object": "certificate", "id": "x", "name": 5, "created_at": 1.5, "certificate_details": {}, "active": true}], "first_id": null, "has_more": false, "extra": 1});
    let problems = openapi::check(&doc, schema, &bad, true);
    for needle in ["$.object", "last_id", "$.data[0].object", "$.data[0].name", "$.data[0].created_at", "`extra`"] {
        assert!(problems.iter().any(|p| p.contains(needle)), "{needle} not in {problems:?}");
    }
    let toggle = openapi::resolve(&doc, "#/components/schemas/ToggleCertificatesRequest");
    assert_eq!(openapi::check(&doc, toggle, &json!({"certificate_ids": []}), true).len(), 1);
    assert_eq!(openapi::check(&doc, toggle, &json!({"certificate_ids": vec!["c"; 11]}), true).len(), 1);
    assert_eq!(openapi::operation(&doc, "POST", "/organization/certificates/activate").unwrap().0, "/organization/certificates/activate");
    assert_eq!(
        openapi::operation(&doc, "POST", "/organization/certificates/cert_1").unwrap().0,
        "/organization/certificates/{certificate_id}"
    );
}

#[test]
fn the_documents_examples_fit_its_own_schemas() {
    // The examples are the client tests' fixtures; two kinds carry trailing commas, removed here.
    let doc = openapi::document();
    let mut n = 0;
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let text = op["x-oaiMeta"]["examples"]["response"].as_str().unwrap();
            let fixed = text.replace("},\n  ],\n}", "}\n  ]\n}").replace("},\n  ],", "}\n  ],");
            let value: Value = serde_json::from_str(&fixed).unwrap_or_else(|e| panic!("{template}: {e}"));
            let path = template.replace("{certificate_id}", "cert_abc").replace("{project_id}", "proj_abc");
            let schema = openapi::response_schema(&doc, method, &path, 200);
            assert_eq!(openapi::check(&doc, schema, &value, true), Vec::<String>::new(), "{method} {template}");
            n += 1;
        }
    }
    assert_eq!(n, 10);
}

#[test]
fn lifecycle_answers_fit_the_document() {
    let mut s = Checked::new();
    let pem = ca_pem("Lifecycle CA", NOW + 365 * DAY);
    let (st, up) = s.call("POST", "/v1/organization/certificates", Some(json!({"certificate": pem, "name": "Prod CA"})));
    assert_eq!(st, 200, "{up}");
    let id = up["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("cert_") && id.len() == 29, "{id}");
    assert_eq!((up["object"].as_str(), up.get("active")), (Some("certificate"), None));
    assert!(up["certificate_details"].get("content").is_none());
    let (_, unnamed) = s.call("POST", "/v1/organization/certificates", Some(json!({"certificate": ca_pem("Unnamed", NOW + 30 * DAY)})));
    assert_eq!(unnamed["name"], Value::Null);

    let (_, got) = s.call("GET", &format!("/v1/organization/certificates/{id}?include[]=content"), None);
    assert_eq!(got["certificate_details"]["content"].as_str().unwrap().trim(), pem.trim());
    let (_, got) = s.call("GET", &format!("/v1/organization/certificates/{id}?include%5B%5D=content"), None);
    assert!(got["certificate_details"]["content"].is_string());
    let (_, renamed) = s.call("POST", &format!("/v1/organization/certificates/{id}"), Some(json!({"name": "Renamed"})));
    assert_eq!(renamed["name"], "Renamed");

    let (_, act) = s.call("POST", "/v1/organization/certificates/activate", Some(json!({"certificate_ids": [id]})));
    assert_eq!((act["object"].as_str(), &act["data"][0]["active"]), (Some("organization.certificate.activation"), &json!(true)));
    let (_, act) = s.call("POST", "/v1/organization/projects/proj_abc/certificates/activate", Some(json!({"certificate_ids": [id, id]})));
    assert_eq!(act["data"].as_array().unwrap().len(), 1, "a repeated id is one certificate");
    assert_eq!(act["data"][0]["object"], "organization.project.certificate");
    let (_, list) = s.call("GET", "/v1/organization/projects/proj_abc/certificates", None);
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    let (_, list2) = s.call("GET", "/v1/organization/projects/proj_def/certificates", None);
    assert!(list2["data"].as_array().unwrap().iter().all(|c| c["active"] == false));

    // Delete refused while active, saying where.
    let (st, e) = s.call("DELETE", &format!("/v1/organization/certificates/{id}"), None);
    assert_eq!(st, 409);
    let (msg, param, code) = error_of(&e);
    assert!(msg.contains("active for the organization, project 'proj_abc'"), "{msg}");
    assert_eq!((param, code), (Some("certificate_id"), Some("certificate_active")));
    s.call("POST", "/v1/organization/certificates/deactivate", Some(json!({"certificate_ids": [id]})));
    let (st, e) = s.call("DELETE", &format!("/v1/organization/certificates/{id}"), None);
    assert_eq!(st, 409, "still active in the project");
    assert!(!error_of(&e).0.contains("is active for the organization") && error_of(&e).0.contains("active for project 'proj_abc'"), "{e}");
    let (_, d) = s.call("POST", "/v1/organization/projects/proj_abc/certificates/deactivate", Some(json!({"certificate_ids": [id]})));
    assert_eq!(d["object"], "organization.project.certificate.deactivation");
    let (st, del) = s.call("DELETE", &format!("/v1/organization/certificates/{id}"), None);
    assert_eq!((st, del), (200, json!({"object": "certificate.deleted", "id": id})));
    let (st, e) = s.call("GET", &format!("/v1/organization/certificates/{id}"), None);
    assert_eq!((st, error_of(&e).1), (404, Some("certificate_id")));
    assert!(s.checked >= 15);
}

#[test]
fn limits_validation_and_paging() {
    let mut s = Checked::new();
    let mut ids = Vec::new();
    for i in 0..50 {
        s.now_s = NOW + i; // distinct created_at
        let (st, c) = s.call(
            "POST",
            "/v1/organization/certificates",
            Some(json!({"certificate": ca_pem(&format!("CA {i}"), NOW + 400 * DAY), "name": format!("ca-{i}")})),
        );
        assert_eq!(st, 200, "{c}");
        ids.push(c["id"].as_str().unwrap().to_owned());
    }
    let (st, e) = s.call("POST", "/v1/organization/certificates", Some(json!({"certificate": ca_pem("CA 51", NOW + 400 * DAY)})));
    assert_eq!((st, error_of(&e).2), (400, Some("certificate_limit_exceeded")));
    assert!(error_of(&e).0.contains("50"));

    // Paging: newest first by default, `after` continues, `has_more` ends.
    let (_, p1) = s.call("GET", "/v1/organization/certificates?limit=20", None);
    assert_eq!(
        (p1["data"].as_array().unwrap().len(), &p1["has_more"], p1["first_id"].as_str()),
        (20, &json!(true), Some(ids[49].as_str()))
    );
    let last = p1["last_id"].as_str().unwrap();
    let (_, p3) = s.call("GET", &format!("/v1/organization/certificates?limit=100&after={last}"), None);
    assert_eq!((p3["data"].as_array().unwrap().len(), &p3["has_more"]), (30, &json!(false)));
    let (_, asc) = s.call("GET", "/v1/organization/certificates?order=asc&limit=1", None);
    assert_eq!(asc["first_id"].as_str(), Some(ids[0].as_str()));
    let (_, dflt) = s.call("GET", "/v1/organization/certificates", None);
    assert_eq!(dflt["data"].as_array().unwrap().len(), 20);
    for (q, param) in
        [("limit=0", "limit"), ("limit=101", "limit"), ("limit=x", "limit"), ("order=up", "order"), ("after=cert_nope", "after")]
    {
        let (st, e) = s.call("GET", &format!("/v1/organization/certificates?{q}"), None);
        assert_eq!((st, error_of(&e).1), (400, Some(param)), "{q}");
    }

    // Activation: 1 to 10 ids, atomic.
    let (st, e) = s.call("POST", "/v1/organization/certificates/activate", Some(json!({"certificate_ids": ids[..11]})));
    assert_eq!((st, error_of(&e).1), (400, Some("certificate_ids")));
    let (st, _) = s.call("POST", "/v1/organization/certificates/activate", Some(json!({"certificate_ids": []})));
    assert_eq!(st, 400);
    let (st, _) = s.call("POST", "/v1/organization/certificates/activate", Some(json!({"certificate_ids": [ids[0], "cert_missing"]})));
    assert_eq!(st, 404);
    let (_, list) = s.call("GET", "/v1/organization/certificates?limit=100", None);
    assert!(list["data"].as_array().unwrap().iter().all(|c| c["active"] == false), "nothing changed");
    let (st, e) = s.call("POST", "/v1/organization/projects/proj_zzz/certificates/activate", Some(json!({"certificate_ids": [ids[0]]})));
    assert_eq!((st, error_of(&e).1), (404, Some("project_id")));
    let (st, _) = s.call("GET", "/v1/organization/projects/proj_zzz/certificates", None);
    assert_eq!(st, 404);
}

#[test]
fn bad_requests_get_openai_errors() {
    let mut s = Checked::new();
    let (st, e) = s.call("POST", "/v1/organization/certificates", None);
    assert_eq!((st, error_of(&e).1), (400, None));
    assert!(error_of(&e).0.contains("JSON"));
    let (st, e) = s.call("POST", "/v1/organization/certificates", Some(json!({"name": "x"})));
    assert_eq!((st, error_of(&e).1, error_of(&e).2), (400, Some("certificate"), Some("missing_required_parameter")));
    let (st, e) = s.call("POST", "/v1/organization/certificates", Some(json!({"certificate": 5})));
    assert_eq!((st, error_of(&e).2), (400, Some("invalid_type")));
    // OpenAI's documented CA requirements: a CA expiring within a day is refused.
    let (st, e) = s.call("POST", "/v1/organization/certificates", Some(json!({"certificate": ca_pem("Short", NOW + 3600)})));
    assert_eq!((st, error_of(&e).2), (400, Some("invalid_certificate")));
    assert!(error_of(&e).0.contains("notAfter"), "{e}");
    let (st, e) = s.call("POST", "/v1/organization/certificates", Some(json!({"certificate": "not a pem"})));
    assert_eq!((st, error_of(&e).1), (400, Some("certificate")));
    let pem = ca_pem("Twice", NOW + 30 * DAY);
    s.call("POST", "/v1/organization/certificates", Some(json!({"certificate": pem})));
    let (st, e) = s.call("POST", "/v1/organization/certificates", Some(json!({"certificate": pem})));
    assert_eq!((st, error_of(&e).2), (409, Some("certificate_already_exists")));
    let (st, e) = s.call("GET", "/v1/organization/nothing", None);
    assert_eq!((st, error_of(&e).0), (404, "Invalid URL (GET /v1/organization/nothing)"));
    let (st, _) = s.call("PUT", "/v1/organization/certificates", None);
    assert_eq!(st, 404);
    let (st, e) = s.call("POST", "/v1/organization/certificates/cert_missing", Some(json!({"name": "n"})));
    assert_eq!((st, error_of(&e).1), (404, Some("certificate_id")));
    let (_, list) = s.call("GET", "/v1/organization/certificates", None);
    let id = list["data"][0]["id"].as_str().unwrap().to_owned();
    let (st, e) = s.call("POST", &format!("/v1/organization/certificates/{id}"), Some(json!({"name": 3})));
    assert_eq!((st, error_of(&e).1), (400, Some("name")));
}

#[test]
fn the_state_round_trips_through_json() {
    let mut s = Checked::new();
    let (_, c) =
        s.call("POST", "/v1/organization/certificates", Some(json!({"certificate": ca_pem("Saved", NOW + 30 * DAY), "name": "saved"})));
    s.call("POST", "/v1/organization/projects/proj_def/certificates/activate", Some(json!({"certificate_ids": [c["id"]]})));
    let saved = serde_json::to_string(&s.service).unwrap();
    let mut restored: Service = serde_json::from_str(&saved).unwrap();
    let resp = restored.handle("GET", "/v1/organization/projects/proj_def/certificates", b"", NOW * 1000);
    let v: Value = serde_json::from_slice(&resp.body).unwrap();
    assert_eq!((v["data"][0]["id"].clone(), v["data"][0]["active"].clone()), (c["id"].clone(), json!(true)));
    // A new upload after restoring gets a new id.
    let resp = restored.handle(
        "POST",
        "/v1/organization/certificates",
        &serde_json::to_vec(&json!({"certificate": ca_pem("Next", NOW + 30 * DAY)})).unwrap(),
        NOW * 1000,
    );
    let v: Value = serde_json::from_slice(&resp.body).unwrap();
    assert_ne!(v["id"], c["id"]);
}

/// A transport that answers from the service model in process, checking every request body
/// against the document's request schema on the way.
struct InProcess {
    service: RefCell<Service>,
    doc: Value,
    sent: RefCell<Vec<(String, String)>>,
}

impl Transport for InProcess {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let target = req.url.strip_prefix("https://api.openai.com").unwrap().to_owned();
        assert_eq!(req.header("Authorization"), Some("Bearer sk-admin-in-process"));
        let path = target.split('?').next().unwrap().strip_prefix("/v1").unwrap().to_owned();
        if !req.body.is_empty() {
            let body: Value = serde_json::from_slice(&req.body).unwrap();
            let schema = openapi::request_schema(&self.doc, &req.method, &path);
            assert_eq!(openapi::check(&self.doc, schema, &body, true), Vec::<String>::new(), "{} {path}", req.method);
        }
        self.sent.borrow_mut().push((req.method.clone(), target.clone()));
        Ok(self.service.borrow_mut().handle(&req.method, &target, &req.body, NOW * 1000))
    }

    async fn sleep_ms(&self, _ms: u64) {}
}

#[test]
fn the_client_against_the_service_model() {
    let t = InProcess { service: RefCell::new(Service::default()), doc: openapi::document(), sent: RefCell::new(Vec::new()) };
    let c = Client::new(t, Secret::new("sk-admin-in-process"), || NOW);
    let mut ids = Vec::new();
    for i in 0..12 {
        let up = block_on(c.upload_certificate(&ca_pem(&format!("Client test CA {i}"), NOW + 90 * DAY), Some(&format!("ca {i}")))).unwrap();
        ids.push(up.id);
    }
    let all = block_on(c.list_all_certificates(Some(Order::Asc), Bounds::default())).unwrap();
    assert_eq!(all.items.iter().map(|c| c.id.clone()).collect::<Vec<_>>(), ids);
    let page = block_on(c.list_certificates(&ListQuery { limit: Some(5), after: Some(ids[1].clone()), order: Some(Order::Asc) })).unwrap();
    assert_eq!((page.first_id.as_deref(), page.has_more), (Some(ids[2].as_str()), true));

    // Eleven selected activations go out as two calls.
    let before = c.transport().sent.borrow().len();
    let results = block_on(c.activate(&Scope::Organization, &ids[..11]));
    assert_eq!(results.iter().map(|r| r.ids.len()).collect::<Vec<_>>(), [10, 1]);
    assert!(results.iter().all(|r| r.result.is_ok()));
    assert_eq!(c.transport().sent.borrow().len() - before, 2);
    block_on(c.activate(&Scope::Project("proj_abc".into()), &ids[11..])).into_iter().for_each(|r| {
        r.result.unwrap();
    });

    // The delete guard, from the live listings.
    let mut state = block_on(c.activation_state(&["proj_abc".into(), "proj_def".into()])).unwrap();
    let refused = block_on(c.delete_certificate_checked(&ids[11], &mut state)).unwrap_err().unwrap();
    assert_eq!((refused.organization, refused.projects.clone()), (false, vec!["proj_abc".to_string()]));
    // Without the local guard, the service refuses too (409, OpenAI's error object).
    let err = block_on(c.delete_certificate(&ids[0])).unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert!(err.to_string().contains("[request id req_"), "{err}");
    for r in block_on(c.deactivate(&Scope::Organization, &ids[..1])) {
        r.result.unwrap();
    }
    let mut state = block_on(c.activation_state(&["proj_abc".into()])).unwrap();
    assert!(state.check_delete(&ids[0]).is_ok());
    block_on(c.delete_certificate_checked(&ids[0], &mut state)).unwrap();

    // Load all, with fingerprints from the content.
    let loaded = block_on(c.load_all_with_facts(Bounds::default())).unwrap();
    assert_eq!(loaded.certificates.len(), 11);
    assert!(
        loaded
            .certificates
            .iter()
            .all(|f| f.sha256_fingerprint.as_ref().is_some_and(|h| h.len() == 64) && f.problems.is_empty() && f.days_left == Some(90)),
        "{:?}",
        loaded.certificates[0]
    );
}
