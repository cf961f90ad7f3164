//! The MATTR client against the emulator over real loopback HTTP: the token endpoint (audience
//! checked), Bearer tokens, one token refresh after a 401, MATTR's error shapes on form fields,
//! the caps, public endpoints, CRLs signed by managed roots, and the VICAL signer flow with a
//! root whose key never leaves the test.

mod support;

use support::{control, now_s, Loopback};

use certwright::pki::{self, CertSubject, KeyAlgorithm, PrivateKey, Profile, SubjectFields};
use certwright::vendors::mattr::client::{Client, Error, CA_PATH};
use certwright::vendors::mattr::models::CreateManagedRootCa;
use certwright::vendors::mattr::rules::{api_field_errors, check_fingerprint};
use certwright::vendors::mattr::workflow::{sign_vical_signer_csr, VicalSignerParams};
use certwright::vendors::request::json_request;
use certwright::vendors::transport::{HttpRequest, Transport};
use certwright_emulator::mattr::{MATTR_CLIENT_ID, MATTR_CLIENT_SECRET, MATTR_TENANT, MATTR_TEST_TENANT};
use certwright_emulator::{start, Config, Running};
use futures_executor::block_on;

const TOKEN_URL: &str = "https://auth.au01.mattr.global/oauth/token";

fn emulator() -> Running {
    start(Config::new(0, vec![])).unwrap()
}

fn client(running: &Running, secret: &str) -> Client<Loopback> {
    Client::new(Loopback::to(running), MATTR_TENANT, TOKEN_URL, MATTR_CLIENT_ID, secret, now_s).unwrap()
}

fn seen(running: &Running) -> Vec<(String, String, u64)> {
    control(running, "GET", "requests", "")["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["method"].as_str().unwrap().to_owned(), r["path"].as_str().unwrap().to_owned(), r["status"].as_u64().unwrap()))
        .collect()
}

#[test]
fn managed_roots_tokens_errors_and_public_endpoints() {
    let running = emulator();
    // A wrong secret: the token endpoint refuses, the message is clear and holds no secret.
    let bad = client(&running, "wrong-secret-value");
    let e = block_on(bad.list_root_cas(None, None)).unwrap_err();
    assert!(!e.to_string().contains("wrong-secret-value") && !format!("{e:?}").contains("wrong-secret-value"), "{e:?}");
    assert_eq!(seen(&running), [("POST".to_owned(), "/oauth/token".to_owned(), 401)]);
    // A wrong audience is refused too.
    let other =
        Client::new(Loopback::to(&running), "https://other.vii.au01.mattr.global", TOKEN_URL, MATTR_CLIENT_ID, MATTR_CLIENT_SECRET, now_s)
            .unwrap();
    assert!(block_on(other.list_root_cas(None, None)).is_err());
    // No token at all: MATTR's 401 body.
    let raw = Loopback::to(&running);
    let resp = block_on(raw.send(json_request::<()>("GET", format!("{MATTR_TENANT}{CA_PATH}"), None).unwrap())).unwrap();
    assert_eq!(resp.status, 401);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&resp.body).unwrap()["code"], "Unauthorized");

    let c = client(&running, MATTR_CLIENT_SECRET);
    let fields = CreateManagedRootCa { organisation_name: "Example Inc.".into(), ..Default::default() };
    let root = block_on(c.create_managed_root_ca(&fields, None)).unwrap();
    assert!(root.is_managed && root.active);
    let listed = block_on(c.list_all_root_cas()).unwrap().items;
    check_fingerprint(&listed[0].certificate_pem, &listed[0].certificate_fingerprint).unwrap();
    assert!(!block_on(c.set_root_ca_active(&root.id, false)).unwrap().active);
    assert!(block_on(c.set_root_ca_active(&root.id, true)).unwrap().active);
    // Server-side validation (sent past the client's checks) lands on the field MATTR names.
    let e = block_on(
        c.connection().send(
            json_request(
                "POST",
                format!("{MATTR_TENANT}{CA_PATH}"),
                Some(&serde_json::json!({"organisationName": "X", "country": "ZZ", "notAfter": "2099-01-01T00:00:00Z"})),
            )
            .unwrap(),
        ),
    )
    .unwrap_err();
    assert_eq!(e.status(), Some(400));
    let f = api_field_errors(&e);
    assert_eq!(f.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["country", "notAfter"], "{f:?}");
    // The cap: two more, then the client refuses the fourth (it lists first), the server too.
    for name in ["Second", "Third"] {
        block_on(c.create_managed_root_ca(&CreateManagedRootCa { organisation_name: name.into(), ..Default::default() }, None)).unwrap();
    }
    let e = block_on(c.create_managed_root_ca(&fields, None)).unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "tenant"), "{e:?}");
    let e = block_on(c.create_managed_root_ca(&fields, Some(0))).unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert!(api_field_errors(&e)[0].message.contains("at most 3"), "{e:?}");
    // Public endpoints need no token; the CRL is signed by the root and parses.
    let public = Client::new(Loopback::to(&running), MATTR_TENANT, TOKEN_URL, MATTR_CLIENT_ID, "never-used", now_s).unwrap();
    assert_eq!(block_on(public.list_public_root_cas()).unwrap().root_certificates.len(), 3);
    let crl = block_on(public.get_root_ca_crl(&root.id)).unwrap();
    assert_eq!(crl.info.issuer_dn, pki::parse_bundle(root.certificate_pem.as_bytes(), "r").certificates[0].subject_dn);
    assert!(
        seen(&running).iter().filter(|(_, p, _)| p == "/oauth/token").count() == 3,
        "the public client fetched no token: {:?}",
        seen(&running)
    );
    // A 401 (the emulator forgot its tokens): one new token, then the request succeeds.
    control(&running, "POST", "reset", "");
    assert_eq!(block_on(c.list_root_cas(Some(10), None)).unwrap().data.len(), 0);
    let s = seen(&running);
    assert_eq!(
        s.iter().map(|(m, p, st)| format!("{m} {p} {st}")).collect::<Vec<_>>(),
        [format!("GET {CA_PATH} 401"), "POST /oauth/token 200".to_owned(), format!("GET {CA_PATH} 200"),]
    );
}

#[test]
fn browser_held_root_and_vical_signer() {
    let running = emulator();
    let c = client(&running, MATTR_CLIENT_SECRET);
    let now = now_s();
    let key = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
    let mut p = Profile::MattrDtsRoot.defaults(now);
    p.subject = SubjectFields { common_name: "Own DTS CA".into(), organization: "Own".into(), country: "NZ".into(), ..Default::default() };
    p.issuer_alternative_names = vec!["URI:https://own.example".into()];
    let der = Profile::MattrDtsRoot.issue(&p, CertSubject::Key(&key), None, [5; 20], now).unwrap();
    let root = block_on(c.upload_root_ca(&pki::pem::encode("CERTIFICATE", &der), None)).unwrap();
    assert!(!root.is_managed);
    let activated = block_on(c.set_root_ca_active(&root.id, true)).unwrap();
    assert!(activated.active);
    let signer = block_on(c.create_vical_signer(&root.id, None)).unwrap();
    let csr = signer.csr_pem.clone().unwrap();
    let vsc = sign_vical_signer_csr(&csr, &der, &key, &VicalSignerParams::new(now, 90), [6; 20]).unwrap();
    let up = block_on(c.upload_vical_signer_certificate(&signer.id, &vsc)).unwrap();
    assert!(up.active);
    let listed = block_on(c.list_all_vical_signers()).unwrap().items;
    assert_eq!(listed.len(), 1);
    let chain = format!("{}{}", listed[0].certificate_pem.clone().unwrap(), pki::pem::encode("CERTIFICATE", &der));
    let b = pki::parse_bundle(chain.as_bytes(), "chain");
    assert_eq!(pki::order_chain(&b.certificates).chain_len, 2, "the signer chains to the root");
    // Four more signers, then the cap (counted by the client from the list).
    for _ in 0..4 {
        block_on(c.create_vical_signer(&root.id, None)).unwrap();
    }
    let e = block_on(c.create_vical_signer(&root.id, None)).unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "tenant"), "{e:?}");
}

#[test]
fn tokens_are_bound_to_their_tenant_revoked_tokens_and_revoked_serials() {
    let running = emulator();
    // The test-domain tenant works as the emulated tenant too, with its own tokens.
    let test_tenant =
        Client::new(Loopback::to(&running), MATTR_TEST_TENANT, "https://auth.mattr.test", MATTR_CLIENT_ID, MATTR_CLIENT_SECRET, now_s)
            .unwrap();
    let root = block_on(
        test_tenant.create_managed_root_ca(&CreateManagedRootCa { organisation_name: "Test".into(), ..Default::default() }, Some(0)),
    )
    .unwrap();
    // A token issued for tenant.mattr.test is refused on the other tenant's host.
    let raw = Loopback::to(&running);
    let resp = block_on(raw.send(HttpRequest {
        method: "POST".into(),
        url: "https://auth.mattr.test/oauth/token".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: serde_json::to_vec(&serde_json::json!({"client_id": MATTR_CLIENT_ID, "client_secret": MATTR_CLIENT_SECRET, "audience": MATTR_TEST_TENANT, "grant_type": "client_credentials"})).unwrap(),
    }))
    .unwrap();
    let token = serde_json::from_slice::<serde_json::Value>(&resp.body).unwrap()["access_token"].as_str().unwrap().to_owned();
    let get = |tenant: &str| {
        block_on(raw.send(HttpRequest {
            method: "GET".into(),
            url: format!("{tenant}{CA_PATH}"),
            headers: vec![("Authorization".into(), format!("Bearer {token}"))],
            body: vec![],
        }))
        .unwrap()
    };
    assert_eq!(get(MATTR_TEST_TENANT).status, 200);
    let other = get(MATTR_TENANT);
    assert_eq!(other.status, 401);
    assert!(String::from_utf8_lossy(&other.body).contains("another tenant"));

    // mattrRejectTokens: the next two token-bearing requests are refused; the client fetches one
    // new token after the first 401 and then reports the second.
    control(&running, "POST", "config", r#"{"mattrRejectTokens":2}"#);
    let before = seen(&running).len();
    let e = block_on(test_tenant.list_root_cas(None, None)).unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert!(certwright::vendors::mattr::workflow::hint(&e).is_some());
    let s: Vec<String> = seen(&running)[before..].iter().map(|(m, p, st)| format!("{m} {p} {st}")).collect();
    assert_eq!(s, [format!("GET {CA_PATH} 401"), "POST /oauth/token 200".to_owned(), format!("GET {CA_PATH} 401")]);
    assert_eq!(block_on(test_tenant.list_root_cas(None, None)).unwrap().data.len(), 1, "the refusals are used up");

    // A revoked serial shows on the root's CRL (public, no token).
    control(&running, "POST", "mattr/revoke", &format!(r#"{{"rootId":"{}","serialHex":"0badc0de"}}"#, root.id));
    let public = Client::public_only(Loopback::to(&running), MATTR_TEST_TENANT, now_s).unwrap();
    let crl = block_on(public.get_root_ca_crl(&root.id)).unwrap();
    assert_eq!(crl.info.revoked.iter().map(|r| r.serial_number.as_str()).collect::<Vec<_>>(), ["0badc0de"]);
    let refuse = |body: &str| {
        block_on(raw.send(HttpRequest {
            method: "POST".into(),
            url: "https://127.0.0.1/__emulator/mattr/revoke".into(),
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }))
        .unwrap()
        .status
    };
    assert_eq!(refuse(r#"{"rootId":"00000000-0000-4000-8000-000000000000","serialHex":"01"}"#), 404);
    assert_eq!(refuse(&format!(r#"{{"rootId":"{}","serialHex":"not hex"}}"#, root.id)), 400);
}

#[test]
fn only_one_vendor_whatever_the_host_and_a_configured_audience() {
    // Without --vendor, a loopback Host falls back to path prefixes, where OpenAI's `/v1/` claims
    // MATTR's `/v1/ecosystems/` and nothing claims `/oauth/token`.
    let all = emulator();
    let raw = Loopback::to(&all);
    let public = || json_request::<()>("GET", "https://127.0.0.1/v1/ecosystems/public/certificates/ca", None).unwrap();
    assert_eq!(block_on(raw.send(public())).unwrap().status, 401, "OpenAI's admin-key check answers");

    let mut config = Config::new(0, vec![]);
    config.only_vendor = Some("mattr".into());
    let running = start(config).unwrap();
    let raw = Loopback::to(&running);
    assert_eq!(block_on(raw.send(public())).unwrap().status, 200);
    // The tenant URL is the emulator's own: the audience must be configured to match.
    let c =
        Client::new(Loopback::to(&running), "https://127.0.0.1", "https://127.0.0.1", MATTR_CLIENT_ID, MATTR_CLIENT_SECRET, now_s).unwrap();
    assert_eq!(block_on(c.list_root_cas(None, None)).unwrap_err().status(), Some(403));
    assert_eq!(control(&running, "POST", "config", r#"{"mattrAudience":"https://127.0.0.1/"}"#)["mattrAudience"], "https://127.0.0.1");
    assert!(block_on(c.list_root_cas(None, None)).unwrap().data.is_empty());

    let mut config = Config::new(0, vec![]);
    config.only_vendor = Some("nobody".into());
    let e = start(config).err().unwrap();
    assert!(e.to_string().contains("no vendor \"nobody\""), "{e}");
}
