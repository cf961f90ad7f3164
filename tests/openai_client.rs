//! The OpenAI certificates client (`certwright::vendors::openai::client`) against a fake
//! transport that records every request and replays queued responses: the response examples of
//! OpenAI's own OpenAPI document (`tests/data/vendors/openai/certificates.openapi.json`,
//! `x-oaiMeta.examples.response`), plus pages, errors and 429s made in the same shapes. No
//! network.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/openapi.rs"]
mod openapi;

#[path = "support/fake.rs"]
mod fake;

use std::path::Path;

use certwright::vendors::error::ErrorBody;
use certwright::vendors::openai::client::{openai_error, Client, Error, ListQuery, Order, Scope};
use certwright::vendors::openai::models::{ActivationObject, CertificateObject};
use certwright::vendors::openai::workflow::ActivationState;
use certwright::vendors::paging::{Bounds, Stop};
use certwright::vendors::redact::Secret;
use certwright::vendors::transport::HttpRequest;
use fake::FakeTransport as Fake;
use futures_executor::block_on;
use serde_json::{json, Value};

const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const KEY: &str = "sk-admin-TESTKEY-0123456789";
const BASE: &str = "https://api.openai.com/v1";

/// OpenAI's answers on the shared fake transport.
trait Replies {
    fn reply(&self, status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> &Self;
    fn json(&self, v: &Value) -> &Self;
}

impl Replies for Fake {
    fn reply(&self, status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> &Self {
        self.queue(status, headers, body)
    }
    fn json(&self, v: &Value) -> &Self {
        self.queue(200, &[("x-request-id", "req_ok")], serde_json::to_vec(v).unwrap())
    }
}

fn client() -> Client<Fake> {
    Client::new(Fake::default(), Secret::new(KEY), || NOW)
}

fn data(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The document's example response of `operation_id`. Some examples have trailing commas
/// (`},\n  ],`), which JSON forbids; they are removed, nothing else is changed.
fn example(operation_id: &str) -> Vec<u8> {
    let doc: Value = serde_json::from_slice(&data("vendors/openai/certificates.openapi.json")).unwrap();
    for methods in doc["paths"].as_object().unwrap().values() {
        for op in methods.as_object().unwrap().values() {
            if op["operationId"] == operation_id {
                let text = op["x-oaiMeta"]["examples"]["response"].as_str().unwrap();
                let fixed = strip_trailing_commas(text);
                serde_json::from_str::<Value>(&fixed).unwrap_or_else(|e| panic!("{operation_id}: {e}"));
                return fixed.into_bytes();
            }
        }
    }
    panic!("no operation {operation_id}")
}

fn strip_trailing_commas(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == ',' && chars[i + 1..].iter().find(|c| !c.is_whitespace()).is_some_and(|n| *n == ']' || *n == '}') {
            continue;
        }
        out.push(c);
    }
    out
}

fn cert_json(id: &str, active: bool) -> Value {
    json!({"object": "organization.certificate", "id": id, "name": null, "active": active, "created_at": 1_700_000_000,
           "certificate_details": {"valid_at": 1_700_000_000, "expires_at": 1_900_000_000}})
}

fn page(ids: &[&str], has_more: bool) -> Value {
    json!({"object": "list", "data": ids.iter().map(|i| cert_json(i, false)).collect::<Vec<_>>(),
           "first_id": ids.first(), "last_id": ids.last(), "has_more": has_more})
}

fn body(req: &HttpRequest) -> Value {
    serde_json::from_slice(&req.body).unwrap()
}

#[test]
fn every_document_example_decodes_into_the_models() {
    let c = client();
    let t = c.transport();
    for op in [
        "listOrganizationCertificates",
        "uploadCertificate",
        "getCertificate",
        "modifyCertificate",
        "deleteCertificate",
        "activateOrganizationCertificates",
        "deactivateOrganizationCertificates",
        "listProjectCertificates",
        "activateProjectCertificates",
        "deactivateProjectCertificates",
    ] {
        t.reply(200, &[], example(op));
    }
    let list = block_on(c.list_certificates(&ListQuery::default())).unwrap();
    assert_eq!((list.data.len(), list.has_more, list.last_id.as_deref()), (1, false, Some("cert_abc")));
    assert_eq!(list.data[0].object, CertificateObject::OrganizationCertificate);
    assert_eq!(list.data[0].active, Some(true));
    let up =
        block_on(c.upload_certificate("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", Some("My Example Certificate")))
            .unwrap();
    assert_eq!((up.object, up.active), (CertificateObject::Certificate, None));
    let got = block_on(c.get_certificate("cert_abc", true)).unwrap();
    assert!(got.certificate_details.content.as_deref().unwrap().starts_with("-----BEGIN CERTIFICATE-----MIIDeT"));
    let renamed = block_on(c.rename_certificate("cert_abc", "Renamed Certificate")).unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Renamed Certificate"));
    assert_eq!(block_on(c.delete_certificate("cert_abc")).unwrap().id, "cert_abc");
    let ids = vec!["cert_abc".to_string(), "cert_def".to_string()];
    let a = block_on(c.activate_batch(&Scope::Organization, &ids)).unwrap();
    assert_eq!((a.object, a.data.len()), (ActivationObject::OrganizationActivation, 2));
    let d = block_on(c.deactivate_batch(&Scope::Organization, &ids)).unwrap();
    assert_eq!((d.object, d.data[1].active), (ActivationObject::OrganizationDeactivation, Some(false)));
    let p = block_on(c.list_project_certificates("proj_abc", &ListQuery::default())).unwrap();
    assert_eq!(p.data[0].object, CertificateObject::OrganizationProjectCertificate);
    let pa = block_on(c.activate_batch(&Scope::Project("proj_abc".into()), &ids)).unwrap();
    assert_eq!(pa.object, ActivationObject::ProjectActivation);
    let pd = block_on(c.deactivate_batch(&Scope::Project("proj_abc".into()), &ids)).unwrap();
    assert_eq!(pd.object, ActivationObject::ProjectDeactivation);

    // What went out, as the document's cURL examples show it.
    let sent: Vec<(String, String)> = t.requests().iter().map(|r| (r.method.clone(), r.url.clone())).collect();
    let expect = [
        ("GET", "/organization/certificates"),
        ("POST", "/organization/certificates"),
        ("GET", "/organization/certificates/cert_abc?include[]=content"),
        ("POST", "/organization/certificates/cert_abc"),
        ("DELETE", "/organization/certificates/cert_abc"),
        ("POST", "/organization/certificates/activate"),
        ("POST", "/organization/certificates/deactivate"),
        ("GET", "/organization/projects/proj_abc/certificates"),
        ("POST", "/organization/projects/proj_abc/certificates/activate"),
        ("POST", "/organization/projects/proj_abc/certificates/deactivate"),
    ];
    assert_eq!(sent, expect.map(|(m, p)| (m.to_string(), format!("{BASE}{p}"))));
    let reqs = t.requests();
    assert!(reqs.iter().all(|r| r.header("Authorization") == Some(&format!("Bearer {KEY}"))));
    assert_eq!(
        body(&reqs[1]),
        json!({"certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "name": "My Example Certificate"})
    );
    assert_eq!(body(&reqs[3]), json!({"name": "Renamed Certificate"}));
    assert_eq!(body(&reqs[5]), json!({"certificate_ids": ["cert_abc", "cert_def"]}));
    assert!(reqs[4].body.is_empty() && reqs[0].body.is_empty());
}

#[test]
fn listing_query_and_limit_bounds() {
    let c = client();
    c.transport().json(&page(&["cert_3"], true));
    let q = ListQuery { limit: Some(1), after: Some("cert_2".into()), order: Some(Order::Asc) };
    let l = block_on(c.list_certificates(&q)).unwrap();
    assert!(l.has_more);
    assert_eq!(c.transport().requests()[0].url, format!("{BASE}/organization/certificates?limit=1&after=cert_2&order=asc"));
    // limit outside 1..=100 is refused before anything is sent.
    for bad in [0, 101] {
        let err = block_on(c.list_certificates(&ListQuery { limit: Some(bad), ..Default::default() })).unwrap_err();
        assert!(matches!(&err, Error::Invalid { field, .. } if field == "limit"), "{err:?}");
        assert!(err.to_string().contains(&bad.to_string()));
    }
    assert_eq!(c.transport().requests().len(), 1);
    // ids are path-encoded; empty ids refused.
    c.transport().json(&page(&[], false));
    block_on(c.list_project_certificates("proj a/b", &ListQuery::default())).unwrap();
    assert_eq!(c.transport().requests()[1].url, format!("{BASE}/organization/projects/proj%20a%2Fb/certificates"));
    assert!(matches!(block_on(c.get_certificate(" ", false)), Err(Error::Invalid { .. })));
    assert!(matches!(block_on(c.upload_certificate("  ", None)), Err(Error::Invalid { .. })));
    assert_eq!(c.transport().requests().len(), 2);
    // A base URL for the relay.
    let c = Client::new(Fake::default(), Secret::new(KEY), || NOW).with_base_url("/relay/api.openai.com/v1/");
    c.transport().json(&page(&[], false));
    block_on(c.list_certificates(&ListQuery::default())).unwrap();
    assert_eq!(c.transport().requests()[0].url, "/relay/api.openai.com/v1/organization/certificates");
}

#[test]
fn load_all_follows_after_and_has_more() {
    let c = client();
    let ids: Vec<String> = (0..230).map(|i| format!("cert_{i:03}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    c.transport().json(&page(&refs[..100], true)).json(&page(&refs[100..200], true)).json(&page(&refs[200..], false));
    let all = block_on(c.list_all_certificates(None, Bounds::default())).unwrap();
    assert_eq!((all.items.len(), all.pages, all.stopped.clone()), (230, 3, None));
    assert_eq!(all.items[229].id, "cert_229");
    let urls: Vec<String> = c.transport().requests().iter().map(|r| r.url.clone()).collect();
    assert_eq!(
        urls,
        [
            format!("{BASE}/organization/certificates?limit=100"),
            format!("{BASE}/organization/certificates?limit=100&after=cert_099"),
            format!("{BASE}/organization/certificates?limit=100&after=cert_199"),
        ]
    );
    // A server that repeats its cursor is stopped and reported, not followed forever.
    let c = client();
    c.transport().json(&page(&["cert_a"], true)).json(&page(&["cert_a"], true));
    let all = block_on(c.list_all_certificates(Some(Order::Asc), Bounds::default())).unwrap();
    assert!(matches!(all.stopped, Some(Stop::RepeatedCursor(_))), "{:?}", all.stopped);
}

#[test]
fn eleven_activations_go_out_as_two_calls_and_each_result_is_reported() {
    let c = client();
    let mut ids: Vec<String> = (1..=11).map(|i| format!("cert_{i:02}")).collect();
    ids.insert(3, "cert_01".into()); // a repeated id is sent once
    let answer = |ids: &[&str]| {
        json!({"object": "organization.project.certificate.activation",
        "data": ids.iter().map(|i| { let mut v = cert_json(i, true); v["object"] = json!("organization.project.certificate"); v }).collect::<Vec<_>>()})
    };
    let first: Vec<String> = (1..=10).map(|i| format!("cert_{i:02}")).collect();
    let first_refs: Vec<&str> = first.iter().map(String::as_str).collect();
    c.transport().json(&answer(&first_refs));
    c.transport().reply(
        404,
        &[("x-request-id", "req_404")],
        r#"{"error":{"message":"No certificate found with id 'cert_11'.","type":"invalid_request_error","param":"certificate_id","code":null}}"#,
    );
    let scope = Scope::Project("proj_abc".into());
    let results = block_on(c.activate(&scope, &ids));
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].ids, first);
    assert_eq!(results[1].ids, ["cert_11"]);
    assert_eq!(results[0].result.as_ref().unwrap().data.len(), 10);
    let err = results[1].result.as_ref().unwrap_err();
    let (e, request_id) = openai_error(err).unwrap();
    assert_eq!((e.param.as_deref(), request_id), (Some("certificate_id"), Some("req_404")));
    let reqs = c.transport().requests();
    assert!(reqs.iter().all(|r| r.url == format!("{BASE}/organization/projects/proj_abc/certificates/activate")));
    assert_eq!(body(&reqs[0])["certificate_ids"].as_array().unwrap().len(), 10);
    assert_eq!(body(&reqs[1]), json!({"certificate_ids": ["cert_11"]}));
    // The state learns from the answers.
    let mut state = ActivationState::default();
    state.record_activation(scope.project_id(), &results[0].result.as_ref().unwrap().data);
    assert!(state.is_active("cert_05", Some("proj_abc")) && !state.is_active("cert_05", None));
    // One call never takes more than ten, nor zero.
    let eleven: Vec<String> = (0..11).map(|i| format!("cert_{i}")).collect();
    assert!(
        matches!(block_on(c.deactivate_batch(&Scope::Organization, &eleven)), Err(Error::Invalid { field, .. }) if field == "certificate_ids")
    );
    assert!(matches!(block_on(c.deactivate_batch(&Scope::Organization, &[])), Err(Error::Invalid { .. })));
    assert!(block_on(c.deactivate::<&str>(&Scope::Organization, &[])).is_empty());
    assert_eq!(c.transport().requests().len(), 2);
}

#[test]
fn openai_errors_keep_the_error_object_and_request_id() {
    for (status, body) in [
        (400, r#"{"error":{"message":"Invalid 'limit'","type":"invalid_request_error","param":"limit","code":"invalid_value"}}"#),
        (
            401,
            r#"{"error":{"message":"Incorrect API key provided: sk-admin-***789.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#,
        ),
        (
            404,
            r#"{"error":{"message":"No certificate found with id 'cert_x'.","type":"invalid_request_error","param":"certificate_id","code":null}}"#,
        ),
        (
            409,
            r#"{"error":{"message":"Certificate 'cert_x' is active for the organization.","type":"invalid_request_error","param":"certificate_id","code":"certificate_active"}}"#,
        ),
    ] {
        let c = client();
        c.transport().reply(status, &[("x-request-id", "req_abc123")], body);
        let err = block_on(c.delete_certificate("cert_x")).unwrap_err();
        assert_eq!(err.status(), Some(status));
        let (e, id) = openai_error(&err).unwrap();
        assert_eq!(id, Some("req_abc123"));
        assert_eq!(e.kind.as_deref(), Some("invalid_request_error"));
        let text = err.to_string();
        assert!(text.starts_with(&format!("OpenAI answered http {status}: ")) && text.ends_with("[request id req_abc123]"), "{text}");
        assert!(!format!("{err:?} {text} {c:?}").contains(KEY));
        assert_eq!(c.transport().requests().len(), 1, "no retry of a {status}");
    }
    // A body that is not OpenAI's shape is kept as redacted text.
    let c = client();
    c.transport().reply(502, &[], "<html>Bad gateway</html>");
    let err = block_on(c.get_certificate("cert_x", false)).unwrap_err();
    assert!(matches!(&err.api().unwrap().body, ErrorBody::Text(t) if t.contains("Bad gateway")));
    // A 2xx body that is not the documented shape names the JSON path.
    let c = client();
    c.transport().json(&json!({"object": "list", "data": [{"object": "organization.certificate", "id": 5}], "first_id": null, "last_id": null, "has_more": false}));
    let err = block_on(c.list_certificates(&ListQuery::default())).unwrap_err();
    assert!(matches!(&err, Error::Decode { path, .. } if path.starts_with("data[0]")), "{err:?}");
}

#[test]
fn a_429_is_retried_once_then_reported() {
    let limited = r#"{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#;
    let c = client();
    c.transport().reply(429, &[("Retry-After", "2"), ("x-request-id", "req_1")], limited).json(&page(&["cert_1"], false));
    let l = block_on(c.list_certificates(&ListQuery::default())).unwrap();
    assert_eq!(l.data.len(), 1);
    assert_eq!(*c.transport().sleeps.borrow(), [2_000]);
    let c = client();
    c.transport().reply(429, &[("x-ratelimit-reset-requests", "1s")], limited).reply(
        429,
        &[("x-ratelimit-reset-requests", "6m0s"), ("x-ratelimit-remaining-requests", "0"), ("x-request-id", "req_2")],
        limited,
    );
    let err = block_on(c.list_certificates(&ListQuery::default())).unwrap_err();
    assert!(matches!(err, Error::RateLimited(_)));
    assert_eq!(openai_error(&err).unwrap().1, Some("req_2"));
    assert_eq!(openai_error(&err).unwrap().0.code.as_deref(), Some("rate_limit_exceeded"));
    assert_eq!(err.rate_limit().and_then(|r| r.remaining), Some(0));
    assert_eq!(*c.transport().sleeps.borrow(), [1_000]);
    assert_eq!(c.transport().requests().len(), 2);
}

#[test]
fn delete_is_refused_locally_while_active() {
    let c = client();
    let mut state = ActivationState::default();
    state.record_organization(&[
        serde_json::from_value(cert_json("cert_a", true)).unwrap(),
        serde_json::from_value(cert_json("cert_b", false)).unwrap(),
    ]);
    let mut in_project: certwright::vendors::openai::models::Certificate = serde_json::from_value(cert_json("cert_b", true)).unwrap();
    in_project.object = CertificateObject::OrganizationProjectCertificate;
    state.record_project("proj_abc", &[in_project.clone()]);
    state.record_project("proj_def", &[in_project]);
    let refused = block_on(c.delete_certificate_checked("cert_a", &mut state)).unwrap_err().unwrap();
    assert!(refused.organization && refused.projects.is_empty());
    assert!(refused.to_string().contains("cert_a is still active at the organization"), "{refused}");
    let refused = block_on(c.delete_certificate_checked("cert_b", &mut state)).unwrap_err().unwrap();
    assert_eq!(refused.projects, ["proj_abc", "proj_def"]);
    assert!(refused.to_string().contains("in projects proj_abc, proj_def"), "{refused}");
    assert!(c.transport().requests().is_empty(), "nothing was sent");
    // Inactive everywhere: sent, and forgotten afterwards.
    c.transport().json(&json!({"object": "certificate.deleted", "id": "cert_c"}));
    assert_eq!(block_on(c.delete_certificate_checked("cert_c", &mut state)).unwrap().id, "cert_c");
    assert_eq!(c.transport().requests()[0].method, "DELETE");
}

#[test]
fn load_all_computes_fingerprints_and_expiry_from_content() {
    let pem_a = String::from_utf8(data("vendors/akamai/ca-a.pem")).unwrap();
    let pem_b = String::from_utf8(data("vendors/akamai/ca-b.pem")).unwrap();
    // OpenAI's example shows the PEM on one line, without line breaks.
    let one_line: String = pem_b.lines().collect::<Vec<_>>().join("");
    let c = client();
    c.transport()
        .json(&json!({"object": "list", "data": [cert_json("cert_a", true), cert_json("cert_b", false), cert_json("cert_c", false)],
        "first_id": "cert_a", "last_id": "cert_c", "has_more": false}));
    for (id, content) in [("cert_a", Some(pem_a.as_str())), ("cert_b", Some(one_line.as_str()))] {
        c.transport().json(&json!({"object": "certificate", "id": id, "name": "n", "created_at": 1,
            "certificate_details": {"valid_at": 1, "expires_at": 2, "content": content}}));
    }
    c.transport().reply(404, &[("x-request-id", "req_gone")], r#"{"error":{"message":"No certificate found with id 'cert_c'.","type":"invalid_request_error","param":"certificate_id","code":null}}"#);
    let loaded = block_on(c.load_all_with_facts(Bounds::default())).unwrap();
    assert_eq!(loaded.certificates.len(), 3);
    let [a, b, gone] = &loaded.certificates[..] else { unreachable!() };
    for (facts, pem) in [(a, &pem_a), (b, &pem_b)] {
        let (sha256, sha1, end) = openssl_facts(pem);
        assert_eq!(facts.sha256_fingerprint.as_deref(), Some(sha256.as_str()), "{facts:?}");
        assert_eq!(facts.sha1_fingerprint.as_deref(), Some(sha1.as_str()));
        assert_eq!(facts.expires_unix, Some(end));
        assert_eq!(facts.days_left, Some((end - NOW).div_euclid(86_400)));
    }
    assert_eq!(a.active, Some(true));
    assert!(a.problems.iter().any(|p| p.contains("differs from the certificate's notAfter")), "{:?}", a.problems);
    assert_eq!(gone.sha256_fingerprint, None);
    assert!(gone.problems[0].contains("could not fetch the content") && gone.problems[0].contains("req_gone"), "{:?}", gone.problems);
    let urls: Vec<String> = c.transport().requests().iter().skip(1).map(|r| r.url.clone()).collect();
    assert_eq!(urls[0], format!("{BASE}/organization/certificates/cert_a?include[]=content"));
}

/// SHA-256 and SHA-1 (lowercase hex) and notAfter (Unix seconds), as openssl computes them.
fn openssl_facts(pem: &str) -> (String, String, i64) {
    let dir = std::env::temp_dir().join(format!("certwright-openai-client-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("c.pem");
    std::fs::write(&path, pem).unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl").args(args).output().expect("openssl must be installed");
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let p = path.to_str().unwrap();
    let fp = |alg: &str| {
        let line = run(&["x509", "-in", p, "-noout", "-fingerprint", alg]);
        line.trim().split_once('=').unwrap().1.replace(':', "").to_ascii_lowercase()
    };
    let end = run(&["x509", "-in", p, "-noout", "-enddate", "-dateopt", "iso_8601"]);
    let end = end.trim().trim_start_matches("notAfter=");
    let secs = std::process::Command::new("date").args(["-u", "-d", end, "+%s"]).output().expect("date");
    let end: i64 = String::from_utf8(secs.stdout).unwrap().trim().parse().unwrap();
    (fp("-sha256"), fp("-sha1"), end)
}

#[test]
fn the_hand_made_fixtures_fit_the_document() {
    let doc = openapi::document();
    let list = openapi::resolve(&doc, "#/components/schemas/ListCertificatesResponse");
    for p in [page(&["cert_1", "cert_2"], true), page(&[], false)] {
        assert_eq!(openapi::check(&doc, list, &p, true), Vec::<String>::new(), "{p}");
    }
    let deleted = openapi::resolve(&doc, "#/components/schemas/DeleteCertificateResponse");
    assert!(openapi::check(&doc, deleted, &json!({"object": "certificate.deleted", "id": "cert_c"}), true).is_empty());
    let error = openapi::resolve(&doc, "#/components/schemas/ErrorResponse");
    let e = json!({"error": {"message": "No certificate found with id 'cert_11'.", "type": "invalid_request_error", "param": "certificate_id", "code": null}});
    assert!(openapi::check(&doc, error, &e, true).is_empty());
}
