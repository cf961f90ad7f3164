//! The MATTR VII client (`certwright::vendors::mattr::client`) against a fake transport that
//! records every request and replays queued responses: the token (JSON with `audience`, cached,
//! fetched once more after a 401), paging with `nextCursor`, the public endpoints without a token,
//! the CRL parsed with its revoked serials, checks before sending, MATTR's error details on form
//! fields, and fingerprint mismatches.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::Cell;
use std::rc::Rc;

#[path = "support/fake.rs"]
mod fake;

use certwright::pki::{self, issue_crl, CertSubject, HashAlgorithm, Issuer, KeyAlgorithm, PrivateKey, Profile, Revocation, SubjectFields};
use certwright::vendors::mattr::client::{Client, Error};
use certwright::vendors::mattr::models::{CreateManagedRootCa, DtsCaCertificate};
use certwright::vendors::mattr::rules::{api_field_errors, check_fingerprint, sha256_fingerprint};
use fake::FakeTransport as Fake;
use futures_executor::block_on;

const NOW: i64 = 1_767_225_600;
const TENANT: &str = "https://example.vii.au01.mattr.global";
const TOKEN_URL: &str = "https://auth.au01.mattr.global/oauth/token";
const SECRET: &str = "csecret-Zq81-never-shown";
const ID: &str = "782f1885-c7c2-4459-8426-b6d7c111b0b1";

/// MATTR's answers on the shared fake transport.
trait Replies {
    fn reply(&self, status: u16, body: &str) -> &Self;
    fn token(&self, token: &str) -> &Self;
}

impl Replies for Fake {
    fn reply(&self, status: u16, body: &str) -> &Self {
        self.queue_json_text(status, body)
    }
    fn token(&self, token: &str) -> &Self {
        self.reply(200, &format!(r#"{{"access_token":"{token}","expires_in":14400,"token_type":"Bearer"}}"#))
    }
}

fn client(fake: &Fake, clock: Rc<Cell<i64>>) -> Client<&Fake> {
    Client::new(fake, TENANT, "https://auth.au01.mattr.global", "cid", SECRET, move || clock.get()).unwrap()
}

fn root() -> (PrivateKey, Vec<u8>) {
    let key = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
    let mut p = Profile::MattrDtsRoot.defaults(NOW);
    p.subject =
        SubjectFields { common_name: "Example DTS CA".into(), organization: "Example".into(), country: "AU".into(), ..Default::default() };
    p.issuer_alternative_names = vec!["URI:https://example.com".into()];
    let der = Profile::MattrDtsRoot.issue(&p, CertSubject::Key(&key), None, [7; 20], NOW).unwrap();
    (key, der)
}

fn record(id: &str, der: &[u8]) -> String {
    serde_json::json!({
        "id": id, "active": true, "certificatePem": pki::pem::encode("CERTIFICATE", der),
        "certificateFingerprint": sha256_fingerprint(der).unwrap(),
        "certificateData": {"commonName": "Example DTS CA", "country": "AU", "organisationName": "Example", "notAfter": "2036-01-01T00:00:00Z", "notBefore": "2026-01-01T00:00:00Z"},
        "isManaged": true
    })
    .to_string()
}

#[test]
fn token_is_json_with_audience_cached_and_fetched_once_more_after_a_401() {
    let fake = Fake::default();
    let clock = Rc::new(Cell::new(NOW));
    let c = client(&fake, clock.clone());
    let (_, der) = root();
    fake.token("tok-1").reply(200, &record(ID, &der)).reply(200, &record(ID, &der));
    block_on(c.get_root_ca(ID)).unwrap();
    block_on(c.get_root_ca(ID)).unwrap();
    let r = fake.requests();
    assert_eq!(r.len(), 3, "one token for two calls");
    assert_eq!((r[0].method.as_str(), r[0].url.as_str()), ("POST", TOKEN_URL));
    let body: serde_json::Value = serde_json::from_slice(&r[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"client_id": "cid", "client_secret": SECRET, "audience": TENANT, "grant_type": "client_credentials"})
    );
    assert_eq!(r[1].url, format!("{TENANT}/v1/ecosystems/certificates/ca/{ID}"));
    assert_eq!(r[2].header("Authorization"), Some("Bearer tok-1"));
    // Shortly before expires_in (14400 s, 60 s margin) a new token is fetched.
    clock.set(NOW + 14_400 - 30);
    fake.token("tok-2").reply(200, &record(ID, &der));
    block_on(c.get_root_ca(ID)).unwrap();
    assert_eq!(fake.requests()[4].header("Authorization"), Some("Bearer tok-2"));
    // A 401: one new token, one retry; a second 401 is final, with MATTR's message.
    fake.reply(401, r#"{"code":"Unauthorized","message":"Token expired","details":[]}"#).token("tok-3").reply(200, &record(ID, &der));
    block_on(c.get_root_ca(ID)).unwrap();
    let r = fake.requests();
    assert_eq!(r.len(), 8);
    assert_eq!(r[6].url, TOKEN_URL);
    assert_eq!(r[7].header("Authorization"), Some("Bearer tok-3"));
    fake.reply(401, r#"{"code":"Unauthorized","message":"Token expired","details":[]}"#)
        .token("tok-4")
        .reply(401, r#"{"code":"Unauthorized","message":"Token expired","details":[]}"#);
    let e = block_on(c.get_root_ca(ID)).unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert_eq!(fake.requests().len(), 11, "exactly one refresh per 401");
    // The secret shows nowhere.
    for text in [format!("{c:?}"), format!("{e:?}"), e.to_string(), format!("{:?}", fake.requests()[0])] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("tok-"), "{text}");
    }
}

#[test]
fn load_all_follows_next_cursor_and_limit_is_checked() {
    let fake = Fake::default();
    let c = client(&fake, Rc::new(Cell::new(NOW)));
    let (_, der) = root();
    let id2 = "00000000-0000-4000-8000-000000000002";
    fake.token("t")
        .reply(200, &format!(r#"{{"data":[{}],"nextCursor":"Y3Vyc29yMQ=="}}"#, record(ID, &der)))
        .reply(200, &format!(r#"{{"data":[{}]}}"#, record(id2, &der)));
    let all = block_on(c.list_all_root_cas()).unwrap();
    assert_eq!(all.items.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [ID, id2]);
    assert_eq!((all.pages, all.stopped), (2, None));
    let r = fake.requests();
    assert_eq!(r[1].url, format!("{TENANT}/v1/ecosystems/certificates/ca?limit=1000"));
    assert_eq!(r[2].url, format!("{TENANT}/v1/ecosystems/certificates/ca?limit=1000&cursor=Y3Vyc29yMQ%3D%3D"));
    for bad in [0, 1001] {
        let e = block_on(c.list_root_cas(Some(bad), None)).unwrap_err();
        assert!(matches!(&e, Error::Invalid { field, .. } if field == "limit"), "{e:?}");
    }
    fake.reply(200, r#"{"data":[]}"#);
    let page = block_on(c.list_root_cas(Some(1), Some("abc"))).unwrap();
    assert!(page.data.is_empty() && page.next_cursor.is_none());
    assert_eq!(fake.requests().len(), 4, "invalid limits were not sent");
}

#[test]
fn checks_before_sending_and_mattr_details_land_on_fields() {
    let fake = Fake::default();
    let c = client(&fake, Rc::new(Cell::new(NOW)));
    let long =
        CreateManagedRootCa { organisation_name: "Example".into(), not_after: Some("2046-06-01T00:00:00Z".into()), ..Default::default() };
    let e = block_on(c.create_managed_root_ca(&long, Some(0))).unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "notAfter"), "{e:?}");
    let ok = CreateManagedRootCa { organisation_name: "Example".into(), ..Default::default() };
    let e = block_on(c.create_managed_root_ca(&ok, Some(3))).unwrap_err();
    assert_eq!(api_field_errors(&e)[0].field, "tenant");
    assert!(fake.requests().is_empty(), "nothing was sent");
    // Without a count, the client lists the roots first: three listed, so no POST.
    let (_, der) = root();
    let three = format!(r#"{{"data":[{0},{0},{0}]}}"#, record(ID, &der));
    fake.token("t").reply(200, &three);
    let e = block_on(c.create_managed_root_ca(&ok, None)).unwrap_err();
    assert_eq!(api_field_errors(&e)[0].field, "tenant");
    assert!(fake.requests().iter().all(|r| r.method != "POST" || r.url == TOKEN_URL));
    // The server's validation error: each detail on its param.
    fake.reply(400, r#"{"code":"BadRequest","message":"Validation Error","details":[{"value":"Ü","msg":"Invalid value","param":"commonName","location":"body"},{"value":"ZZ","msg":"Invalid country","param":"country","location":"body"}]}"#);
    let e = block_on(c.create_managed_root_ca(&ok, Some(0))).unwrap_err();
    assert_eq!(e.status(), Some(400));
    let f = api_field_errors(&e);
    assert_eq!(
        f.iter().map(|f| (f.field.as_str(), f.message.as_str())).collect::<Vec<_>>(),
        [("commonName", "Invalid value"), ("country", "Invalid country")]
    );
    let post = fake.requests().last().unwrap().clone();
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&post.body).unwrap(), serde_json::json!({"organisationName": "Example"}));
    // Ids are checked as UUIDs; an uploaded root must pass the rule pack.
    let e = block_on(c.get_root_ca("../public")).unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "id"));
    let e = block_on(c.upload_root_ca("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", Some(0))).unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "certificate"), "{e:?}");
    let e = block_on(c.create_vical_signer(ID, Some(5))).unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "tenant"), "{e:?}");
}

#[test]
fn public_list_and_crl_need_no_token_and_the_crl_shows_revoked_serials() {
    let fake = Fake::default();
    let c = client(&fake, Rc::new(Cell::new(NOW)));
    let (key, der) = root();
    let crl = issue_crl(
        Issuer { certificate: &der, key: &key },
        &[Revocation { serial_hex: "1234abcd".into(), revoked_at: NOW - 10, reason: Some("keyCompromise".into()) }],
        NOW,
        NOW + 86_400,
        3,
        HashAlgorithm::Sha256,
    )
    .unwrap();
    let body = serde_json::to_string(&pki::pem::encode("X509 CRL", &crl)).unwrap();
    fake.reply(200, &body);
    let got = block_on(c.get_root_ca_crl(ID)).unwrap();
    assert_eq!(got.info.revoked.iter().map(|r| r.serial_number.as_str()).collect::<Vec<_>>(), ["1234abcd"]);
    assert_eq!(got.info.revoked[0].reason.as_deref(), Some("keyCompromise"));
    assert_eq!(got.info.issuer_dn, "CN=Example DTS CA,O=Example,C=AU");
    fake.reply(200, r#"{"rootCertificates":[{"certificate":"x","notBefore":"2023-10-22T00:00:00Z","notAfter":"2024-10-22T00:00:00Z","fingerprint":"f6","commonName":"example.com"}]}"#);
    let public = block_on(c.list_public_root_cas()).unwrap();
    assert_eq!(public.root_certificates[0].common_name.as_deref(), Some("example.com"));
    let r = fake.requests();
    assert_eq!(r.len(), 2, "no token request");
    assert!(r.iter().all(|r| r.header("Authorization").is_none()));
    assert_eq!(r[0].url, format!("{TENANT}/v1/ecosystems/certificates/ca/{ID}/crl"));
    assert_eq!(r[1].url, format!("{TENANT}/v1/ecosystems/public/certificates/ca"));
    // Not a CRL: a decode error, not a panic.
    fake.reply(200, r#""not a crl""#);
    assert!(matches!(block_on(c.get_root_ca_crl(ID)), Err(Error::Decode { .. })));
}

#[test]
fn fingerprints_are_compared_with_the_local_sha256() {
    let (_, der) = root();
    let rec: DtsCaCertificate = serde_json::from_str(&record(ID, &der)).unwrap();
    assert_eq!(rec.certificate_fingerprint.len(), 64);
    check_fingerprint(&rec.certificate_pem, &rec.certificate_fingerprint).unwrap();
    let colons: String = rec
        .certificate_fingerprint
        .to_uppercase()
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(":");
    check_fingerprint(&rec.certificate_pem, &colons).unwrap();
    let seed = "f6cad6e579d70b3973efa60624af731a580d1a11a7579e70f2f10f059dc86172";
    let e = check_fingerprint(&rec.certificate_pem, seed).unwrap_err();
    let f = api_field_errors(&e);
    assert_eq!(f[0].field, "certificateFingerprint");
    assert!(f[0].message.contains(seed) && f[0].message.contains(&rec.certificate_fingerprint), "{}", f[0].message);
}

#[test]
fn vical_signers_request_list_and_upload() {
    let fake = Fake::default();
    let c = client(&fake, Rc::new(Cell::new(NOW)));
    let sid = "11111111-2222-4333-8444-555555555555";
    fake.token("t")
        .reply(200, &format!(r#"{{"data":[{{"id":"{sid}","active":false,"caId":"{ID}"}}]}}"#))
        .reply(201, &format!(r#"{{"id":"{sid}","csrPem":"-----BEGIN CERTIFICATE REQUEST-----\n...","caId":"{ID}","active":false}}"#));
    let s = block_on(c.create_vical_signer(ID, None)).unwrap();
    assert_eq!((s.id.as_str(), s.active, s.csr_pem.is_some()), (sid, false, true));
    let r = fake.requests();
    assert_eq!(r[1].url, format!("{TENANT}/v1/ecosystems/certificates/vical-signers?limit=1000"));
    assert_eq!(r[2].method, "POST");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&r[2].body).unwrap(), serde_json::json!({"caId": ID}));
    let (_, der) = root();
    let pem = pki::pem::encode("CERTIFICATE", &der);
    fake.reply(200, &format!(r#"{{"id":"{sid}","active":true}}"#));
    assert!(block_on(c.upload_vical_signer_certificate(sid, &pem)).unwrap().active);
    let last = fake.requests().last().unwrap().clone();
    assert_eq!((last.method.as_str(), last.url.clone()), ("PUT", format!("{TENANT}/v1/ecosystems/certificates/vical-signers/{sid}")));
}

#[test]
fn a_public_only_client_holds_no_credentials_and_sends_no_token() {
    let fake = Fake::default();
    let c = Client::public_only(&fake, TENANT, || NOW).unwrap();
    fake.reply(200, r#"{"rootCertificates":[]}"#);
    assert!(block_on(c.list_public_root_cas()).unwrap().root_certificates.is_empty());
    // A private call goes without a token (MATTR answers 401); no token request is made.
    fake.reply(401, r#"{"code":"Unauthorized","message":"The Authorization header with a Bearer token is missing","details":[]}"#);
    let e = block_on(c.list_root_cas(None, None)).unwrap_err();
    assert_eq!(e.status(), Some(401));
    let r = fake.requests();
    assert_eq!(r.len(), 2);
    assert!(r.iter().all(|r| r.header("Authorization").is_none() && !r.url.contains("oauth")));
    assert!(
        matches!(Client::public_only(&fake, "http://tenant.example", || NOW), Err(Error::Invalid { field, .. }) if field == "tenantUrl")
    );
}
