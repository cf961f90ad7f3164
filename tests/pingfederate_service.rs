//! The offline PingFederate model (`certwright::vendors::pingfederate::service`): every JSON
//! answer is checked against the schemas of PingFederate's OpenAPI document
//! (`tests/data/vendors/pingfederate/signing-keypairs.openapi.json`, strict: no undocumented
//! properties), statuses are the document's, and the certificates and CSRs it makes are checked
//! with openssl.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/openapi.rs"]
mod openapi;
#[path = "support/pki.rs"]
mod pki_support;

use std::path::PathBuf;
use std::process::Command;

use certwright::pki::{self, CertParams, KeyAlgorithm, PrivateKey};
use certwright::vendors::pingfederate::service::Service;
use certwright::vendors::pingfederate::workflow;
use certwright::vendors::transport::HttpResponse;
use serde_json::{json, Value};

const NOW: i64 = 1_764_460_800;

fn document() -> Value {
    openapi::load("pingfederate/signing-keypairs.openapi.json")
}

/// The operation of `method` on a concrete path (literal segments beat `{id}`).
fn operation<'a>(doc: &'a Value, method: &str, path: &str) -> &'a Value {
    openapi::operation(doc, method, path).unwrap_or_else(|| panic!("{method} {path} is not in the document")).1
}

/// Sends a request to the model and checks the status is documented for the operation and the
/// JSON body fits the documented schema. Returns the response.
fn call(svc: &mut Service, doc: &Value, method: &str, path: &str, body: Option<Value>) -> HttpResponse {
    let op = operation(doc, method, path);
    if let Some(b) = &body {
        let schema = &op["requestBody"]["content"]["application/json"]["schema"];
        let errors = openapi::check(doc, schema, b, true);
        assert!(errors.is_empty(), "{method} {path} request: {errors:?}");
    }
    let bytes = body.map(|b| serde_json::to_vec(&b).unwrap()).unwrap_or_default();
    let resp = svc.handle(method, &format!("/pf-admin-api/v1{path}"), &bytes, NOW);
    let documented = &op["responses"][resp.status.to_string()];
    assert!(!documented.is_null(), "{method} {path}: status {} is not documented", resp.status);
    if let Some(schema) = documented.pointer("/content/application~1json/schema") {
        let is_json = resp.header("Content-Type") == Some("application/json");
        if is_json {
            let v: Value = serde_json::from_slice(&resp.body).unwrap();
            let errors = openapi::check(doc, schema, &v, true);
            assert!(errors.is_empty(), "{method} {path} {}: {errors:?}\n{v:#}", resp.status);
        } else {
            // The document types text answers (PEM certificate, CSR, exports) as `string`.
            assert_eq!(openapi::deref(doc, schema)["type"], "string", "{method} {path}");
        }
    }
    resp
}

fn json_of(r: &HttpResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

fn new_settings(id: &str) -> Value {
    json!({"id": id, "commonName": "signing.example.com", "organization": "Example", "country": "US",
           "validDays": 365, "keyAlgorithm": "EC", "keySize": 256, "signatureAlgorithm": "SHA384withECDSA",
           "subjectAlternativeNames": ["signing.example.com"], "organizationUnit": "IAM", "city": "Denver", "state": "CO"})
}

#[test]
fn the_checker_catches_what_it_should() {
    let doc = document();
    let schema = json!({"$ref": "#/components/schemas/KeyPairRotationSettings"});
    let errors = openapi::check(&doc, &schema, &json!({"creationBufferDays": "30", "extra": 1}), true);
    assert_eq!(errors.len(), 3, "{errors:?}"); // missing activationBufferDays, string type, undocumented
}

#[test]
fn every_answer_fits_the_documents_schemas_and_statuses() {
    let doc = document();
    let mut svc = Service::new();
    let cat = json_of(&call(&mut svc, &doc, "GET", "/keyPairs/keyAlgorithms", None));
    assert_eq!(cat["items"][0]["name"], "RSA");
    let r = call(&mut svc, &doc, "POST", "/keyPairs/signing/generate", Some(new_settings("sig-1")));
    assert_eq!(r.status, 201, "generate answers 201");
    let view = json_of(&r);
    assert_eq!(view["signatureAlgorithm"], "SHA384withECDSA");
    assert_eq!(view["keyAlgorithm"], "EC");
    assert_eq!(view["keySize"], 256);
    assert_eq!(view["status"], "VALID");
    assert_eq!(view["subjectDN"], "CN=signing.example.com,OU=IAM,O=Example,L=Denver,ST=CO,C=US");
    assert_eq!(view["subjectAlternativeNames"], json!(["signing.example.com"]));
    // A 422 with validationErrors on fields.
    let r = call(
        &mut svc,
        &doc,
        "POST",
        "/keyPairs/signing/generate",
        Some(json!({"id": "sig-1", "commonName": "", "organization": "O", "country": "US", "validDays": 0, "keyAlgorithm": "EC"})),
    );
    assert_eq!(r.status, 422);
    let errs = json_of(&r);
    let paths: Vec<&str> = errs["validationErrors"].as_array().unwrap().iter().map(|e| e["fieldPath"].as_str().unwrap()).collect();
    assert_eq!(paths, ["commonName", "validDays", "id"]);
    // A malformed body (deliberately outside the schema) is a 400.
    let r = svc.handle("POST", "/pf-admin-api/v1/keyPairs/signing/generate", br#"{"commonName": 5}"#, NOW);
    assert_eq!(r.status, 400);
    assert!(json_of(&r)["message"].as_str().unwrap().contains("could not be read"));
    let list = json_of(&call(&mut svc, &doc, "GET", "/keyPairs/signing", None));
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(call(&mut svc, &doc, "GET", "/keyPairs/signing/sig-1", None).status, 200);
    assert_eq!(call(&mut svc, &doc, "GET", "/keyPairs/signing/nope", None).status, 404);
    let cert = call(&mut svc, &doc, "GET", "/keyPairs/signing/sig-1/certificate", None);
    assert_eq!(cert.header("Content-Type"), Some("application/x-x509-ca-cert"));
    // Fingerprints agree with the certificate.
    let view_model: certwright::vendors::pingfederate::models::KeyPairView = serde_json::from_value(view).unwrap();
    workflow::check_fingerprints(&view_model, &cert.body).unwrap();
    // Rotation settings.
    assert_eq!(call(&mut svc, &doc, "GET", "/keyPairs/signing/sig-1/rotationSettings", None).status, 404);
    let r = call(
        &mut svc,
        &doc,
        "PUT",
        "/keyPairs/signing/sig-1/rotationSettings",
        Some(json!({"creationBufferDays": 30, "activationBufferDays": 10, "keySize": 1024})),
    );
    assert_eq!((r.status, json_of(&r)["validationErrors"][0]["fieldPath"].as_str()), (422, Some("keySize")));
    let r = call(
        &mut svc,
        &doc,
        "PUT",
        "/keyPairs/signing/sig-1/rotationSettings",
        Some(json!({"creationBufferDays": 30, "activationBufferDays": 10})),
    );
    assert_eq!(r.status, 200);
    assert_eq!(call(&mut svc, &doc, "GET", "/keyPairs/signing/sig-1/rotationSettings", None).status, 200);
    assert_eq!(json_of(&call(&mut svc, &doc, "GET", "/keyPairs/signing/sig-1", None))["rotationSettings"]["creationBufferDays"], 30);
    assert_eq!(call(&mut svc, &doc, "DELETE", "/keyPairs/signing/sig-1/rotationSettings", None).status, 204);
    // Exports.
    assert_eq!(call(&mut svc, &doc, "POST", "/keyPairs/signing/sig-1/pem", Some(json!({"password": ""}))).status, 422);
    let pem = call(&mut svc, &doc, "POST", "/keyPairs/signing/sig-1/pem", Some(json!({"password": "pw-123"})));
    assert_eq!(pem.status, 200);
    assert!(PrivateKey::import(&pem.body, Some("pw-123")).is_ok());
    // PKCS#12 export (the project's writer) reads back with the password, key and certificate.
    assert_eq!(call(&mut svc, &doc, "POST", "/keyPairs/signing/sig-1/pkcs12", Some(json!({"password": ""}))).status, 422);
    let p12 = call(&mut svc, &doc, "POST", "/keyPairs/signing/sig-1/pkcs12", Some(json!({"password": "pw"})));
    assert_eq!(p12.status, 200);
    let contents = pki::import_pkcs12(&p12.body, "pw").unwrap();
    assert_eq!(contents.certificates[0], svc.certificate_der("sig-1").unwrap());
    assert!(pki::certificate_matches_key(&contents.certificates[0], contents.key.as_ref().unwrap()));
    // ...and imports again as another key pair (wrong password: a 422 on `password`).
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&p12.body);
    let r = call(
        &mut svc,
        &doc,
        "POST",
        "/keyPairs/signing/import",
        Some(json!({"id": "sig-p12", "fileData": b64, "format": "PKCS12", "password": "wrong"})),
    );
    assert_eq!((r.status, json_of(&r)["validationErrors"][0]["fieldPath"].as_str()), (422, Some("password")));
    let r = call(
        &mut svc,
        &doc,
        "POST",
        "/keyPairs/signing/import",
        Some(json!({"id": "sig-p12", "fileData": b64, "format": "PKCS12", "password": "pw"})),
    );
    assert_eq!(r.status, 201);
    assert_eq!(
        json_of(&r)["sha256Fingerprint"],
        json_of(&call(&mut svc, &doc, "GET", "/keyPairs/signing/sig-1", None))["sha256Fingerprint"]
    );
    assert_eq!(call(&mut svc, &doc, "DELETE", "/keyPairs/signing/sig-p12", None).status, 204);
    // CSR export and a wrong response.
    let csr = call(&mut svc, &doc, "GET", "/keyPairs/signing/sig-1/csr", None);
    assert_eq!(csr.header("Content-Type"), Some("application/pkcs10"));
    let r = call(
        &mut svc,
        &doc,
        "POST",
        "/keyPairs/signing/sig-1/csr",
        Some(json!({"fileData": String::from_utf8(cert.body.clone()).unwrap()})),
    );
    assert_eq!(r.status, 200, "the key pair's own certificate is accepted");
    let r = call(&mut svc, &doc, "POST", "/keyPairs/signing/sig-1/csr", Some(json!({"fileData": "bm90IGEgY2VydA=="})));
    assert_eq!((r.status, json_of(&r)["validationErrors"][0]["fieldPath"].as_str()), (422, Some("fileData")));
    // Import: PKCS12 is refused by the model (said in the docs), a bad password too.
    let r =
        call(&mut svc, &doc, "POST", "/keyPairs/signing/import", Some(json!({"fileData": "AAAA", "format": "PKCS12", "password": "x"})));
    assert_eq!(r.status, 422);
    let r = call(
        &mut svc,
        &doc,
        "POST",
        "/keyPairs/signing/import",
        Some(json!({"id": "copy", "fileData": String::from_utf8(pem.body.clone()).unwrap(), "format": "PEM", "password": "wrong"})),
    );
    assert_eq!((r.status, json_of(&r)["validationErrors"][0]["fieldPath"].as_str()), (422, Some("password")));
    let r = call(
        &mut svc,
        &doc,
        "POST",
        "/keyPairs/signing/import",
        Some(json!({"id": "copy", "fileData": String::from_utf8(pem.body.clone()).unwrap(), "format": "PEM", "password": "pw-123"})),
    );
    assert_eq!(r.status, 201);
    assert_eq!(json_of(&r)["sha256Fingerprint"], view_model.sha256_fingerprint.clone().unwrap());
    // Delete.
    assert_eq!(call(&mut svc, &doc, "DELETE", "/keyPairs/signing/sig-1", None).status, 204);
    assert_eq!(call(&mut svc, &doc, "DELETE", "/keyPairs/signing/sig-1", None).status, 404);
    assert_eq!(svc.ids(), ["copy"]);
}

fn tmp() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certwright-pf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn openssl(args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl").args(args).output().expect("openssl must be installed (scripts/setup.sh test installs it)");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn generated_certificates_csrs_and_browser_signed_responses_verify_with_openssl() {
    let dir = tmp();
    let mut svc = Service::new();
    let mut s = new_settings("rsa-1");
    s["keyAlgorithm"] = "RSA".into();
    s["keySize"] = 2048.into();
    s["signatureAlgorithm"] = "SHA256withRSA".into();
    assert_eq!(svc.handle("POST", "/keyPairs/signing/generate", &serde_json::to_vec(&s).unwrap(), NOW).status, 201);
    let cert = svc.handle("GET", "/keyPairs/signing/rsa-1/certificate", b"", NOW).body;
    let cert_p = dir.join("self.pem");
    std::fs::write(&cert_p, &cert).unwrap();
    let (ok, out) = openssl(&["verify", "-attime", &(NOW + 60).to_string(), "-CAfile", cert_p.to_str().unwrap(), cert_p.to_str().unwrap()]);
    assert!(ok && out.contains(": OK"), "{out}");
    let (_, text) = openssl(&["x509", "-in", cert_p.to_str().unwrap(), "-noout", "-text"]);
    assert!(text.contains("sha256WithRSAEncryption") && text.contains("Public-Key: (2048 bit)"), "{text}");
    // PingFederate's CSR verifies, and the browser CA's certificate for it chains.
    let csr_pem = svc.handle("GET", "/keyPairs/signing/rsa-1/csr", b"", NOW).body;
    let csr_p = dir.join("pf.csr");
    std::fs::write(&csr_p, &csr_pem).unwrap();
    let (ok, out) = openssl(&["req", "-in", csr_p.to_str().unwrap(), "-noout", "-verify"]);
    assert!(ok && out.contains("verify OK"), "{out}");
    let csr = workflow::parse_csr(&csr_pem).unwrap();
    let (ca_key, ca) = pki_support::browser_ca(KeyAlgorithm::P384, NOW, [9; 20]);
    let leaf = workflow::sign_csr(
        &csr,
        &CertParams { key_usage: vec!["digitalSignature".into()], not_before: NOW, not_after: NOW + 86_400 * 90, ..Default::default() },
        &ca,
        &ca_key,
        [3; 20],
    )
    .unwrap();
    let body = workflow::csr_response(
        &csr,
        format!("{}{}", pki::pem::encode("CERTIFICATE", &leaf), pki::pem::encode("CERTIFICATE", &ca)).as_bytes(),
    )
    .unwrap();
    // The same chain as a PKCS#7 (openssl crl2pkcs7, DER) passes the same check, leaf first.
    let chain_p = dir.join("chain.pem");
    std::fs::write(&chain_p, format!("{}{}", pki::pem::encode("CERTIFICATE", &ca), pki::pem::encode("CERTIFICATE", &leaf))).unwrap();
    let p7_p = dir.join("chain.p7b");
    let (ok, out) =
        openssl(&["crl2pkcs7", "-nocrl", "-certfile", chain_p.to_str().unwrap(), "-outform", "DER", "-out", p7_p.to_str().unwrap()]);
    assert!(ok, "{out}");
    let from_p7 = workflow::csr_response(&csr, &std::fs::read(&p7_p).unwrap()).unwrap();
    assert_eq!(from_p7, body);
    // A PKCS#7 without the CSR's key is refused on fileData.
    let ca_only_p = dir.join("ca.p7b");
    std::fs::write(dir.join("ca-only.pem"), pki::pem::encode("CERTIFICATE", &ca)).unwrap();
    let (ok, out) =
        openssl(&["crl2pkcs7", "-nocrl", "-certfile", dir.join("ca-only.pem").to_str().unwrap(), "-out", ca_only_p.to_str().unwrap()]);
    assert!(ok, "{out}");
    match workflow::csr_response(&csr, &std::fs::read(&ca_only_p).unwrap()) {
        Err(certwright::vendors::error::Error::Invalid { field, message }) => {
            assert_eq!(field, "fileData");
            assert!(message.contains("CSR's public key"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let r = svc.handle("POST", "/keyPairs/signing/rsa-1/csr", &serde_json::to_vec(&body).unwrap(), NOW);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let now_cert = svc.handle("GET", "/keyPairs/signing/rsa-1/certificate", b"", NOW).body;
    let ca_p = dir.join("ca.pem");
    let leaf_p = dir.join("leaf.pem");
    std::fs::write(&ca_p, pki::pem::encode("CERTIFICATE", &ca)).unwrap();
    std::fs::write(&leaf_p, &now_cert).unwrap();
    let (ok, out) = openssl(&[
        "verify",
        "-x509_strict",
        "-attime",
        &(NOW + 60).to_string(),
        "-CAfile",
        ca_p.to_str().unwrap(),
        leaf_p.to_str().unwrap(),
    ]);
    assert!(ok && out.contains(": OK"), "{out}");
    // The leaf carries PingFederate's subject from the CSR.
    let (_, subj) = openssl(&["x509", "-in", leaf_p.to_str().unwrap(), "-noout", "-subject"]);
    assert!(subj.contains("CN = signing.example.com") || subj.contains("CN=signing.example.com"), "{subj}");
    let _ = std::fs::remove_dir_all(dir);
}
