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
    let bytes = if body.is_null() {
        Vec::new()
    } else {
        serde_json::to_vec(&body).unwrap()
    };
    let r = s.handle(method, target, &bytes, NOW, &mut rand_core::OsRng);
    (
        r.status,
        if r.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&r.body).unwrap()
        },
    )
}

#[test]
fn managed_roots_are_made_with_the_builder_and_capped_at_three() {
    let mut s = Service::new(TENANT);
    let (st, v) = call(
        &mut s,
        "POST",
        CA_PATH,
        json!({"organisationName": "Example Inc."}),
    );
    assert_eq!(st, 201, "{v}");
    let rec: DtsCaCertificate = serde_json::from_value(v).unwrap();
    assert!(rec.is_managed && rec.active);
    check_fingerprint(&rec.certificate_pem, &rec.certificate_fingerprint).unwrap();
    let info = &pki::parse_bundle(rec.certificate_pem.as_bytes(), "r").certificates[0];
    assert_eq!(
        (info.key_algorithm.as_str(), info.curve.as_deref()),
        ("EC", Some("P-256"))
    );
    assert_eq!(info.subject_dn, "CN=example DTS CA,O=Example Inc.,C=AU");
    assert_eq!(
        check_root_ca(rec.certificate_pem.as_bytes(), NOW, None),
        vec![],
        "a managed root meets the external-root rules too"
    );
    assert_eq!(
        rec.certificate_data.not_after.as_deref(),
        Some("2046-01-01T00:00:00Z"),
        "default: creation + 20 years"
    );
    // Validation errors in MATTR's shape, one detail per field.
    let (st, v) = call(
        &mut s,
        "POST",
        CA_PATH,
        json!({"organisationName": "X", "country": "ZZ", "notBefore": "2020-01-01T00:00:00Z"}),
    );
    assert_eq!(st, 400);
    assert_eq!(v["code"], "BadRequest");
    let params: Vec<&str> = v["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["param"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["country", "notBefore"]);
    assert_eq!(v["details"][0]["value"], "ZZ");
    assert_eq!(v["details"][0]["location"], "body");
    let (st, v) = call(
        &mut s,
        "POST",
        CA_PATH,
        json!({"organisationName": "X", "notAfter": "2046-02-01T00:00:00Z"}),
    );
    assert_eq!(
        (st, v["details"][0]["param"].as_str()),
        (400, Some("notAfter"))
    );
    for _ in 0..2 {
        assert_eq!(
            call(
                &mut s,
                "POST",
                CA_PATH,
                json!({"organisationName": "Example"})
            )
            .0,
            201
        );
    }
    let (st, v) = call(
        &mut s,
        "POST",
        CA_PATH,
        json!({"organisationName": "Fourth"}),
    );
    assert_eq!(st, 400, "{v}");
    assert!(v["details"][0]["msg"]
        .as_str()
        .unwrap()
        .contains("at most 3"));
    // Paging with nextCursor, limit checked.
    let (_, v) = call(&mut s, "GET", &format!("{CA_PATH}?limit=2"), Value::Null);
    let page: ListPage<DtsCaCertificate> = serde_json::from_value(v).unwrap();
    assert_eq!(page.data.len(), 2);
    let (_, v) = call(
        &mut s,
        "GET",
        &format!("{CA_PATH}?limit=2&cursor={}", page.next_cursor.unwrap()),
        Value::Null,
    );
    let last: ListPage<DtsCaCertificate> = serde_json::from_value(v).unwrap();
    assert_eq!((last.data.len(), last.next_cursor), (1, None));
    let (st, v) = call(&mut s, "GET", &format!("{CA_PATH}?limit=0"), Value::Null);
    assert_eq!(
        (
            st,
            v["details"][0]["param"].as_str(),
            v["details"][0]["location"].as_str()
        ),
        (400, Some("limit"), Some("query"))
    );
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
    let (_, v) = call(
        &mut s,
        "POST",
        CA_PATH,
        json!({"organisationName": "Example"}),
    );
    let rec: DtsCaCertificate = serde_json::from_value(v).unwrap();
    assert!(s.revoke(&rec.id, "0abc", NOW - 60));
    let r = s.handle(
        "GET",
        &format!("{CA_PATH}/{}/crl", rec.id),
        b"",
        NOW,
        &mut rand_core::OsRng,
    );
    assert_eq!(r.status, 200);
    let crl = parse_crl_body(&r.body).unwrap();
    assert_eq!(crl.info.revoked[0].serial_number, "0abc");
    assert_eq!(
        crl.info.issuer_dn,
        pki::parse_bundle(rec.certificate_pem.as_bytes(), "r").certificates[0].subject_dn
    );
}

#[test]
fn vical_signer_round_trip_with_an_unmanaged_root_and_the_cap_of_five() {
    let mut s = Service::new(TENANT);
    let key = PrivateKey::generate(KeyAlgorithm::P384, &mut rand_core::OsRng).unwrap();
    let mut p = Profile::MattrDtsRoot.defaults(NOW);
    p.subject = SubjectFields {
        common_name: "Own DTS CA".into(),
        organization: "Own".into(),
        country: "NZ".into(),
        ..Default::default()
    };
    p.issuer_alternative_names = vec!["email:pki@example.com".into()];
    let der = Profile::MattrDtsRoot
        .issue(&p, CertSubject::Key(&key), None, [9; 20], NOW)
        .unwrap();
    let (st, v) = call(
        &mut s,
        "POST",
        CA_PATH,
        json!({"certificatePem": pki::pem::encode("CERTIFICATE", &der)}),
    );
    assert_eq!(st, 201, "{v}");
    let root: DtsCaCertificate = serde_json::from_value(v).unwrap();
    assert!(!root.is_managed);
    // A root without an IAN is refused on certificatePem.
    let mut bad = p.clone();
    bad.issuer_alternative_names.clear();
    let bad_der = pki::issue_certificate(&bad, CertSubject::Key(&key), None, [9; 20]).unwrap();
    let (st, v) = call(
        &mut s,
        "POST",
        CA_PATH,
        json!({"certificatePem": pki::pem::encode("CERTIFICATE", &bad_der)}),
    );
    assert_eq!(
        (st, v["details"][0]["param"].as_str()),
        (400, Some("certificatePem"))
    );
    // Request a signer, sign its CSR with the root key, upload.
    let (st, v) = call(&mut s, "POST", VICAL_SIGNERS_PATH, json!({"caId": root.id}));
    assert_eq!(st, 201, "{v}");
    let signer: VicalSigner = serde_json::from_value(v).unwrap();
    let vsc = sign_vical_signer_csr(
        signer.csr_pem.as_deref().unwrap(),
        &der,
        &key,
        &VicalSignerParams::new(NOW, 365),
        [3; 20],
    )
    .unwrap();
    let (st, v) = call(
        &mut s,
        "PUT",
        &format!("{VICAL_SIGNERS_PATH}/{}", signer.id),
        json!({"certificatePem": vsc}),
    );
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
        assert_eq!(
            call(&mut s, "POST", VICAL_SIGNERS_PATH, json!({"caId": root.id})).0,
            201
        );
    }
    let (st, v) = call(&mut s, "POST", VICAL_SIGNERS_PATH, json!({"caId": root.id}));
    assert_eq!(st, 400);
    assert!(
        v["details"][0]["msg"]
            .as_str()
            .unwrap()
            .contains("at most 5"),
        "{v}"
    );
    let (_, v) = call(&mut s, "GET", VICAL_SIGNERS_PATH, Value::Null);
    assert_eq!(v["data"].as_array().unwrap().len(), 5);
    // No CRL for an unmanaged root here; the public list needs nothing.
    assert_eq!(
        call(
            &mut s,
            "GET",
            &format!("{CA_PATH}/{}/crl", root.id),
            Value::Null
        )
        .0,
        404
    );
    let (_, v) = call(
        &mut s,
        "GET",
        "/v1/ecosystems/public/certificates/ca",
        Value::Null,
    );
    assert_eq!(v["rootCertificates"][0]["commonName"], "Own DTS CA");
}
