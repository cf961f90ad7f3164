//! The MATTR service model (`vendors::mattr::service`): managed roots with certificates made by
//! the project's builder (P-256), the 3-root and 5-signer caps, MATTR's error shapes, paging,
//! CRLs signed by managed roots, and the VICAL signer round trip with an unmanaged root.
#![cfg(not(target_arch = "wasm32"))]

use certwright::pki::{self, CertSubject, KeyAlgorithm, PrivateKey, Profile, SubjectFields};
use certwright::vendors::mattr::client::{parse_crl_body, CA_PATH, VICAL_SIGNERS_PATH};
use certwright::vendors::mattr::models::{DtsCaCertificate, ListPage, VicalSigner};
use certwright::vendors::mattr::rules::{check_fingerprint, check_root_ca};
use certwright::vendors::mattr::service::Service;
use certwright::vendors::mattr::workflow::{sign_vical_signer_csr, VicalSignerParams};
use serde_json::{json, Value};

const NOW: i64 = 1_767_225_600;
const TENANT: &str = "https://example.vii.au01.mattr.global";

fn call(s: &mut Service, method: &str, target: &str, body: Value) -> (u16, Value) {
    let bytes = if body.is_null() { Vec::new() } else { serde_json::to_vec(&body).unwrap() };
    let r = s.handle(method, target, &bytes, NOW, &mut rand_core::OsRng);
    (r.status, if r.body.is_empty() { Value::Null } else { serde_json::from_slice(&r.body).unwrap() })
}

#[test]
fn managed_roots_are_made_with_the_builder_and_capped_at_three() {
    let mut s = Service::new(TENANT);
    let (st, v) = call(&mut s, "POST", CA_PATH, json!({"organisationName": "Example Inc."}));
    assert_eq!(st, 201, "{v}");
    let rec: DtsCaCertificate = serde_json::from_value(v).unwrap();
    assert!(rec.is_managed && rec.active);
    check_fingerprint(&rec.certificate_pem, &rec.certificate_fingerprint).unwrap();
    let info = &pki::parse_bundle(rec.certificate_pem.as_bytes(), "r").certificates[0];
    assert_eq!((info.key_algorithm.as_str(), info.curve.as_deref()), ("EC", Some("P-256")));
    assert_eq!(info.subject_dn, "CN=example DTS CA,O=Example Inc.,C=AU");
    assert_eq!(check_root_ca(rec.certificate_pem.as_bytes(), NOW, None), vec![], "a managed root meets the external-root rules too");
    assert_eq!(rec.certificate_data.not_after.as_deref(), Some("2046-01-01T00:00:00Z"), "default: creation + 20 years");
    // Validation errors in MATTR's shape, one detail per field.
    let (st, v) = call(&mut s, "POST", CA_PATH, json!({"organisationName": "X", "country": "ZZ", "notBefore": "2020-01-01T00:00:00Z"}));
    assert_eq!(st, 400);
    assert_eq!(v["code"], "BadRequest");
    let params: Vec<&str> = v["details"].as_array().unwrap().iter().map(|d| d["param"].as_str().unwrap()).collect();
    assert_eq!(params, ["country", "notBefore"]);
    assert_eq!(v["details"][0]["value"], "ZZ");
    assert_eq!(v["details"][0]["location"], "body");
    let (st, v) = call(&mut s, "POST", CA_PATH, json!({"organisationName": "X", "notAfter": "2046-02-01T00:00:00Z"}));
    assert_eq!((st, v["details"][0]["param"].as_str()), (400, Some("notAfter")));
    for _ in 0..2 {
        assert_eq!(call(&mut s, "POST", CA_PATH, json!({"organisationName": "Example"})).0, 201);
    }
    let (st, v) = call(&mut s, "POST", CA_PATH, json!({"organisationName": "Fourth"}));
    assert_eq!(st, 400, "{v}");
    assert!(v["details"][0]["msg"].as_str().unwrap().contains("at most 3"));
    // Paging with nextCursor, limit checked.
    let (_, v) = call(&mut s, "GET", &format!("{CA_PATH}?limit=2"), Value::Null);
    let page: ListPage<DtsCaCertificate> = serde_json::from_value(v).unwrap();
    assert_eq!(page.data.len(), 2);
    let (_, v) = call(&mut s, "GET", &format!("{CA_PATH}?limit=2&cursor={}", page.next_cursor.unwrap()), Value::Null);
    let last: ListPage<DtsCaCertificate> = serde_json::from_value(v).unwrap();
    assert_eq!((last.data.len(), last.next_cursor), (1, None));
    let (st, v) = call(&mut s, "GET", &format!("{CA_PATH}?limit=0"), Value::Null);
    assert_eq!((st, v["details"][0]["param"].as_str(), v["details"][0]["location"].as_str()), (400, Some("limit"), Some("query")));
    // Active flag, delete, 404.
    let path = format!("{CA_PATH}/{}", rec.id);
    let (_, v) = call(&mut s, "PUT", &path, json!({"active": false}));
    assert_eq!(v["active"], false);
    assert_eq!(call(&mut s, "DELETE", &path, Value::Null).0, 204);
    let (st, v) = call(&mut s, "GET", &path, Value::Null);
    assert_eq!((st, v["code"].as_str()), (404, Some("NotFound")));
    assert!(!format!("{s:?}").contains("BEGIN PRIVATE KEY"));
}

#[test]
fn crl_of_a_managed_root_is_signed_and_lists_revocations() {
    let mut s = Service::new(TENANT);
    let (_, v) = call(&mut s, "POST", CA_PATH, json!({"organisationName": "Example"}));
    let rec: DtsCaCertificate = serde_json::from_value(v).unwrap();
    assert!(s.revoke(&rec.id, "0abc", NOW - 60));
    let r = s.handle("GET", &format!("{CA_PATH}/{}/crl", rec.id), b"", NOW, &mut rand_core::OsRng);
    assert_eq!(r.status, 200);
    let crl = parse_crl_body(&r.body).unwrap();
    assert_eq!(crl.info.revoked[0].serial_number, "0abc");
    assert_eq!(crl.info.issuer_dn, pki::parse_bundle(rec.certificate_pem.as_bytes(), "r").certificates[0].subject_dn);
}

#[test]
fn vical_signer_round_trip_with_an_unmanaged_root_and_the_cap_of_five() {
    let mut s = Service::new(TENANT);
    let key = PrivateKey::generate(KeyAlgorithm::P384, &mut rand_core::OsRng).unwrap();
    let mut p = Profile::MattrDtsRoot.defaults(NOW);
    p.subject = SubjectFields { common_name: "Own DTS CA".into(), organization: "Own".into(), country: "NZ".into(), ..Default::default() };
    p.issuer_alternative_names = vec!["email:pki@example.com".into()];
    let der = Profile::MattrDtsRoot.issue(&p, CertSubject::Key(&key), None, [9; 20], NOW).unwrap();
    let (st, v) = call(&mut s, "POST", CA_PATH, json!({"certificatePem": pki::pem::encode("CERTIFICATE", &der)}));
    assert_eq!(st, 201, "{v}");
    let root: DtsCaCertificate = serde_json::from_value(v).unwrap();
    assert!(!root.is_managed);
    // A root without an IAN is refused on certificatePem.
    let mut bad = p.clone();
    bad.issuer_alternative_names.clear();
    let bad_der = pki::issue_certificate(&bad, CertSubject::Key(&key), None, [9; 20]).unwrap();
    let (st, v) = call(&mut s, "POST", CA_PATH, json!({"certificatePem": pki::pem::encode("CERTIFICATE", &bad_der)}));
    assert_eq!((st, v["details"][0]["param"].as_str()), (400, Some("certificatePem")));
    // Request a signer, sign its CSR with the root key, upload.
    let (st, v) = call(&mut s, "POST", VICAL_SIGNERS_PATH, json!({"caId": root.id}));
    assert_eq!(st, 201, "{v}");
    let signer: VicalSigner = serde_json::from_value(v).unwrap();
    let vsc = sign_vical_signer_csr(signer.csr_pem.as_deref().unwrap(), &der, &key, &VicalSignerParams::new(NOW, 365), [3; 20]).unwrap();
    let (st, v) = call(&mut s, "PUT", &format!("{VICAL_SIGNERS_PATH}/{}", signer.id), json!({"certificatePem": vsc}));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["active"], true);
    // A certificate for another key is refused.
    let (st, _) = call(
        &mut s,
        "PUT",
        &format!("{VICAL_SIGNERS_PATH}/{}", signer.id),
        json!({"certificatePem": pki::pem::encode("CERTIFICATE", &der)}),
    );
    assert_eq!(st, 400);
    for _ in 0..4 {
        assert_eq!(call(&mut s, "POST", VICAL_SIGNERS_PATH, json!({"caId": root.id})).0, 201);
    }
    let (st, v) = call(&mut s, "POST", VICAL_SIGNERS_PATH, json!({"caId": root.id}));
    assert_eq!(st, 400);
    assert!(v["details"][0]["msg"].as_str().unwrap().contains("at most 5"), "{v}");
    let (_, v) = call(&mut s, "GET", VICAL_SIGNERS_PATH, Value::Null);
    assert_eq!(v["data"].as_array().unwrap().len(), 5);
    // No CRL for an unmanaged root here; the public list needs nothing.
    assert_eq!(call(&mut s, "GET", &format!("{CA_PATH}/{}/crl", root.id), Value::Null).0, 404);
    let (_, v) = call(&mut s, "GET", "/v1/ecosystems/public/certificates/ca", Value::Null);
    assert_eq!(v["rootCertificates"][0]["commonName"], "Own DTS CA");
}

/// The client against the service model in-process: a token endpoint that checks the audience
/// and the secret, and the API behind a Bearer check (what the emulator adds over HTTP).
struct InProcess {
    service: std::cell::RefCell<Service>,
    tokens: std::cell::RefCell<Vec<String>>,
    requests: std::cell::RefCell<Vec<String>>,
}

impl certwright::vendors::transport::Transport for InProcess {
    async fn send(
        &self,
        req: certwright::vendors::transport::HttpRequest,
    ) -> Result<certwright::vendors::transport::HttpResponse, certwright::vendors::transport::TransportError> {
        use certwright::vendors::transport::HttpResponse;
        self.requests.borrow_mut().push(format!("{} {} {}", req.method, req.url, String::from_utf8_lossy(&req.body)));
        let json = |status: u16, v: Value| HttpResponse {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: serde_json::to_vec(&v).unwrap(),
        };
        if req.url == "https://auth.au01.mattr.global/oauth/token" {
            let b: Value = serde_json::from_slice(&req.body).unwrap_or_default();
            if b["audience"] != TENANT || b["client_secret"] != "s3cret" || b["grant_type"] != "client_credentials" {
                return Ok(json(401, json!({"error": "access_denied", "error_description": "Unauthorized"})));
            }
            let t = format!("tok{}", self.tokens.borrow().len());
            self.tokens.borrow_mut().push(t.clone());
            return Ok(json(200, json!({"access_token": t, "expires_in": 14400, "token_type": "Bearer"})));
        }
        let target = req.url.strip_prefix(TENANT).unwrap().to_owned();
        let public = target.starts_with("/v1/ecosystems/public/") || target.ends_with("/crl");
        let bearer = req.header("Authorization").and_then(|h| h.strip_prefix("Bearer ")).map(str::to_owned);
        if !public && !bearer.is_some_and(|t| self.tokens.borrow().contains(&t)) {
            return Ok(json(401, json!({"code": "Unauthorized", "message": "Unauthorized", "details": []})));
        }
        Ok(self.service.borrow_mut().handle(&req.method, &target, &req.body, NOW, &mut rand_core::OsRng))
    }
    async fn sleep_ms(&self, _ms: u64) {}
}

#[test]
fn the_client_drives_the_service_model() {
    use certwright::vendors::mattr::client::Client;
    use certwright::vendors::mattr::models::CreateManagedRootCa;
    use certwright::vendors::mattr::rules::api_field_errors;
    use futures_executor::block_on;
    let t = InProcess { service: Service::new(TENANT).into(), tokens: Vec::new().into(), requests: Vec::new().into() };
    let c = Client::new(&t, TENANT, "https://auth.au01.mattr.global", "cid", "s3cret", || NOW).unwrap();
    // Managed root: only an organisation name; listed with a matching fingerprint; deactivate, activate.
    let fields = CreateManagedRootCa { organisation_name: "Example".into(), ..Default::default() };
    let created = block_on(c.create_managed_root_ca(&fields, None)).unwrap();
    let all = block_on(c.list_all_root_cas()).unwrap();
    assert_eq!(all.items.len(), 1);
    check_fingerprint(&all.items[0].certificate_pem, &all.items[0].certificate_fingerprint).unwrap();
    assert!(!block_on(c.set_root_ca_active(&created.id, false)).unwrap().active);
    assert!(block_on(c.set_root_ca_active(&created.id, true)).unwrap().active);
    // A second and third root; a fourth is refused by the client, which counts what is listed.
    for name in ["Second", "Third"] {
        let f = CreateManagedRootCa { organisation_name: name.into(), ..Default::default() };
        block_on(c.create_managed_root_ca(&f, None)).unwrap();
    }
    let sent = t.requests.borrow().len();
    let e = block_on(c.create_managed_root_ca(&fields, None)).unwrap_err();
    assert_eq!((e.status(), api_field_errors(&e)[0].field.as_str()), (None, "tenant"), "{e:?}");
    assert!(t.requests.borrow()[sent..].iter().all(|r| r.starts_with("GET ")), "nothing posted");
    // With a wrong count the service refuses it, in MATTR's shape.
    let e = block_on(c.create_managed_root_ca(&fields, Some(0))).unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert!(api_field_errors(&e)[0].message.contains("at most 3"), "{e:?}");
    // Server-side validation lands on the field MATTR names.
    t.service.borrow_mut().max_roots = 10;
    let e = block_on(c.create_managed_root_ca(&CreateManagedRootCa { organisation_name: String::new(), ..Default::default() }, Some(0)))
        .unwrap_err();
    assert_eq!(api_field_errors(&e)[0].field, "organisationName", "refused locally first");
    let e = block_on(c.delete_root_ca("00000000-0000-4000-8000-000000000000")).unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert!(e.to_string().contains("not found"), "{e}");
    for id in [block_on(c.list_all_root_cas()).unwrap().items[1].id.clone(), block_on(c.list_all_root_cas()).unwrap().items[2].id.clone()] {
        block_on(c.delete_root_ca(&id)).unwrap();
    }
    t.service.borrow_mut().max_roots = 3;
    // Public endpoints.
    assert_eq!(block_on(c.list_public_root_cas()).unwrap().root_certificates.len(), 1);
    let crl = block_on(c.get_root_ca_crl(&created.id)).unwrap();
    assert!(crl.info.revoked.is_empty());
    block_on(c.delete_root_ca(&created.id)).unwrap();
    // Browser-held root: upload, VICAL signer, sign, upload.
    let key = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
    let mut p = Profile::MattrDtsRoot.defaults(NOW);
    p.subject = SubjectFields { common_name: "Own DTS CA".into(), organization: "Own".into(), country: "NZ".into(), ..Default::default() };
    p.issuer_alternative_names = vec!["URI:https://own.example".into()];
    let der = Profile::MattrDtsRoot.issue(&p, CertSubject::Key(&key), None, [5; 20], NOW).unwrap();
    let pem = pki::pem::encode("CERTIFICATE", &der);
    let up = block_on(c.upload_root_ca(&pem, None)).unwrap();
    let signer = block_on(c.create_vical_signer(&up.id, None)).unwrap();
    let vsc = sign_vical_signer_csr(signer.csr_pem.as_deref().unwrap(), &der, &key, &VicalSignerParams::new(NOW, 90), [6; 20]).unwrap();
    assert!(block_on(c.upload_vical_signer_certificate(&signer.id, &vsc)).unwrap().active);
    // The root key appears in no request (URL or body), the secret only in the token request.
    let key_pem = key.to_pkcs8_pem().unwrap();
    let key_body: String = key_pem.lines().filter(|l| !l.starts_with("-----")).collect();
    for r in t.requests.borrow().iter() {
        assert!(!r.contains(&key_body[..40]) && !r.contains("PRIVATE KEY"), "{r}");
        assert!(r.starts_with("POST https://auth.") || !r.contains("s3cret"), "{r}");
    }
    assert_eq!(t.tokens.borrow().len(), 1, "one token for the whole session");
}
