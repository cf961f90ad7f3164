//! The offline Segura service model (`certwright::vendors::segura::service`): create, modify,
//! list with filters and paging, get, status through to signed, sign rules, and Segura's error
//! shapes (flat for create and sign, the wrapper with English and Portuguese keys for the rest).
#![cfg(not(target_arch = "wasm32"))]

use certwright::vendors::segura::service::Service;
use serde_json::{json, Value};

fn call(s: &mut Service, method: &str, target: &str, body: Value) -> (u16, Value) {
    let bytes = if body.is_null() { Vec::new() } else { serde_json::to_vec(&body).unwrap() };
    let r = s.handle(method, target, &bytes);
    (r.status, serde_json::from_slice(&r.body).unwrap())
}

fn seed() -> Value {
    json!({
        "certificate_type": 2, "domain_type": "SING", "organization": 42,
        "common_name": "api.example.com", "encryption": "RSA", "encryption_key_size": 2048,
        "certificate_algorithm": "SHA256", "validity": 365,
        "justification": "Needed for new API service",
        "description": "Certificate for public API endpoints"
    })
}

#[test]
fn create_answers_like_the_seed_and_fills_san() {
    let mut s = Service::default();
    let (st, b) = call(&mut s, "POST", "/api/v1/certificates/requests", seed());
    assert_eq!(st, 200, "{b}");
    assert_eq!(b["message"], "Request created successfully");
    assert_eq!(b["error"], false);
    assert_eq!(b["code_request"], 123);
    assert_eq!(b["type_certificate"], 2);
    assert_eq!(b["type_domain"], "SING");
    assert_eq!(b["san"], json!(["api.example.com"]));
    let (_, st) = call(&mut s, "GET", "/api/certificate/request/status/123", Value::Null);
    assert_eq!(st["data"]["status_request"], "1 - Pending");
}

#[test]
fn rule_breaks_are_flat_400s_naming_the_field() {
    let mut s = Service::default();
    for (change, field) in [
        (json!({"domain_type": "WILD"}), "common_name"),
        (json!({"encryption": "DSA", "certificate_algorithm": "SHA384"}), "certificate_algorithm"),
        (json!({"justification": "x".repeat(1025)}), "justification"),
        (json!({"certificate_type": 4}), "certificate_type"),
        (json!({"organization": 7}), "organization"),
    ] {
        let mut body = seed();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (st, b) = call(&mut s, "POST", "/api/v1/certificates/requests", body);
        assert_eq!(st, 400, "{b}");
        assert_eq!(b["error"], true);
        assert_eq!(b["status"], 400);
        assert!(b["message"].as_str().unwrap().contains(field), "{b}");
    }
    assert!(s.requests().is_empty());
    let (st, _) = call(&mut s, "POST", "/api/v1/certificates/requests", json!({"x": 1}));
    assert_eq!(st, 400);
}

#[test]
fn modify_then_sign_then_no_more_changes() {
    let mut s = Service::default();
    call(&mut s, "POST", "/api/v1/certificates/requests", seed());
    let mut m = seed();
    m["code_request"] = json!(123);
    m["domain_type"] = json!("MULT");
    m["san"] = json!(["api.example.com", "www.example.com"]);
    let (st, b) = call(&mut s, "POST", "/api/v1/certificates/requests", m.clone());
    assert_eq!(st, 200, "{b}");
    let (_, g) = call(&mut s, "GET", "/api/certificate/request/list/123", Value::Null);
    assert_eq!(g["data"]["request"]["type_domain"], "MULT");
    assert_eq!(g["data"]["request"]["status_request"], "2 - Modified");

    // Unknown request: 404.
    let mut unknown = m.clone();
    unknown["code_request"] = json!(999);
    assert_eq!(call(&mut s, "POST", "/api/v1/certificates/requests", unknown).0, 404);

    // Sign refused without a CA, with an unknown reason.
    let (st, b) = call(&mut s, "POST", "/api/v1/certificates/requests/sign/123", json!({"self_signed": 0, "reason": 3}));
    assert_eq!(st, 400);
    assert!(b["message"].as_str().unwrap().contains("ca"));
    let (st, _) = call(&mut s, "POST", "/api/v1/certificates/requests/sign/123", json!({"self_signed": 1, "reason": 99}));
    assert_eq!(st, 400);

    let (st, b) = call(
        &mut s,
        "POST",
        "/api/v1/certificates/requests/sign/123",
        json!({"self_signed": 0, "ca": 5, "reason": 3, "justification": "go"}),
    );
    assert_eq!(st, 200, "{b}");
    assert_eq!(b["ca"], "5 - GlobalSign");
    assert_eq!(b["reason"], "3 - Scheduled Renewal");
    let (_, st) = call(&mut s, "GET", "/api/certificate/request/status/123", Value::Null);
    assert_eq!(st["data"]["status_request"], "7 - Signed");
    assert_eq!(st["data"]["certificate_code"], 9001);

    // Signed: neither modified nor signed again.
    assert_eq!(call(&mut s, "POST", "/api/v1/certificates/requests", m).0, 400);
    assert_eq!(call(&mut s, "POST", "/api/v1/certificates/requests/123/sign", json!({"self_signed": 1, "reason": 1})).0, 400);
}

#[test]
fn governance_demands_an_itsm_code() {
    let mut s = Service::default();
    s.governance = true;
    call(&mut s, "POST", "/api/v1/certificates/requests", seed());
    let (st, b) = call(&mut s, "POST", "/api/v1/certificates/requests/sign/123", json!({"self_signed": 1, "reason": 1}));
    assert_eq!(st, 403);
    assert!(b["message"].as_str().unwrap().contains("itsm_code"));
    let (st, _) =
        call(&mut s, "POST", "/api/v1/certificates/requests/sign/123", json!({"self_signed": 1, "reason": 1, "itsm_code": "CHG-9"}));
    assert_eq!(st, 200);
}

#[test]
fn list_filters_and_pages_in_the_wrapper() {
    let mut s = Service::default();
    for i in 0..7 {
        let mut b = seed();
        b["common_name"] = json!(format!("h{i}.example.com"));
        if i % 2 == 0 {
            b["domain_type"] = json!("MULT");
            b["san"] = json!([format!("h{i}.example.com"), "www.example.com"]);
            b["tags"] = json!(["web"]);
        }
        assert_eq!(call(&mut s, "POST", "/api/v1/certificates/requests", b).0, 200);
    }
    let (st, b) = call(&mut s, "GET", "/api/certificate/request/list?type_domain=MULT&offset=0&limit=3", Value::Null);
    assert_eq!(st, 200);
    assert_eq!(b["response"]["message"], "1001: OK");
    assert_eq!(b["response"]["mensagem"], "1001: OK");
    assert_eq!(b["response"]["erro"], false);
    assert_eq!(b["data"]["requests"].as_array().unwrap().len(), 3);
    let (_, b) = call(&mut s, "GET", "/api/certificate/request/list?type_domain=MULT&offset=3&limit=3", Value::Null);
    assert_eq!(b["data"]["requests"].as_array().unwrap().len(), 1);
    let (_, b) = call(&mut s, "GET", "/api/certificate/request/list?tags=web&san=www.example.com&status_request=1", Value::Null);
    assert_eq!(b["data"]["requests"].as_array().unwrap().len(), 4);
    let (_, b) = call(&mut s, "GET", "/api/certificate/request/list?common_name=h3", Value::Null);
    assert_eq!(b["data"]["requests"][0]["common_name"], "h3.example.com");
    let (st, b) = call(&mut s, "GET", "/api/certificate/request/list?limit=0", Value::Null);
    assert_eq!(st, 400);
    assert_eq!(b["response"]["erro"], true);
    let (st, b) = call(&mut s, "GET", "/api/certificate/request/list?offset=x", Value::Null);
    assert_eq!(st, 400, "{b}");
}

#[test]
fn unknown_requests_and_paths_are_404s_in_segura_shapes() {
    let mut s = Service::default();
    let (st, b) = call(&mut s, "GET", "/api/certificate/request/status/5", Value::Null);
    assert_eq!(st, 404);
    assert_eq!(b["response"]["error"], true);
    assert_eq!(b["response"]["cod_erro"], 404);
    assert_eq!(b["data"], Value::Null);
    let (st, b) = call(&mut s, "GET", "/api/certificate/request/list/abc", Value::Null);
    assert_eq!(st, 404, "{b}");
    let (st, b) = call(&mut s, "POST", "/api/v1/certificates/requests/sign/5", json!({}));
    assert_eq!(st, 404);
    assert_eq!(b["error"], true);
    assert_eq!(call(&mut s, "GET", "/nope", Value::Null).0, 404);
    assert_eq!(call(&mut s, "DELETE", "/api/v1/certificates/requests", Value::Null).0, 405);
}
