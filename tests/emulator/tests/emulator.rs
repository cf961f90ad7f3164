//! The Akamai client against the emulator over real loopback HTTP: signatures verified by the
//! server, the documented flows, and the error paths (stale timestamps, reused nonces, 422, 429).

mod support;

use support::{control, now_s, Loopback};

use std::cell::Cell;
use std::path::Path;
use std::rc::Rc;

use certwright::vendors::akamai::client::{duplicate_version_link, Client, Error, ListVersionsQuery, PollOptions};
use certwright::vendors::akamai::edgegrid::Credentials;
use certwright::vendors::akamai::models::{ActivationStatus, CreateCaSet, Network, VersionNetworkStatus};
use certwright::vendors::akamai::validate::{CertificateEntry, VersionBody};
use certwright::vendors::transport::{HttpRequest, Transport};
use certwright_emulator::{parse_timestamp, start, Config, Running};
use futures_executor::block_on;

fn data(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../data").join(rel)).unwrap()
}

fn creds() -> Credentials {
    Credentials::from_edgerc(&data("vendors/akamai/emulator.edgerc"), "default").unwrap()
}

fn emulator(activation_ms: i64) -> Running {
    let mut config = Config::new(0, vec![creds()]);
    config.activation_ms = activation_ms;
    start(config).unwrap()
}

fn client(running: &Running) -> Client<Loopback> {
    Client::new(Loopback::to(running), creds(), now_s)
}

fn body(files: &[&str]) -> VersionBody {
    VersionBody {
        allow_insecure_sha1: false,
        description: None,
        certificates: files.iter().map(|f| CertificateEntry { certificate_pem: data(f), description: None }).collect(),
    }
}

fn new_set(c: &Client<Loopback>, name: &str) -> String {
    block_on(c.create_ca_set(&CreateCaSet { ca_set_name: name.into(), description: Some("emulator test".into()) })).unwrap().ca_set_id
}

#[test]
fn sets_versions_and_the_duplicate_422() {
    let emu = emulator(3_000);
    let c = client(&emu);
    let id = new_set(&c, "edge-ca-set");
    let sets = block_on(c.list_ca_sets(&Default::default())).unwrap();
    assert_eq!(sets.iter().map(|s| s.ca_set_name.as_str()).collect::<Vec<_>>(), ["edge-ca-set"]);

    let v1 = block_on(c.create_version(&id, &body(&["vendors/akamai/ca-a.pem", "chain/root.pem"]))).unwrap();
    assert_eq!(v1.version, 1);
    assert_eq!(v1.certificates.len(), 2);
    assert_eq!(v1.certificates[0].signature_algorithm.as_deref(), Some("SHA256WITHECDSA"));
    let fp = v1.certificates[1].fingerprint.clone().unwrap();
    assert_eq!(fp.len(), 64);

    // Same certificates in another order, with allowInsecureSha1: still a duplicate of v1.
    let mut again = body(&["chain/root.pem", "vendors/akamai/ca-a.pem"]);
    again.allow_insecure_sha1 = true;
    let err = block_on(c.create_version(&id, &again)).unwrap_err();
    assert_eq!(duplicate_version_link(&err), Some(format!("/mtls-edge-truststore/v2/ca-sets/{id}/versions/1").as_str()), "{err:?}");
    let v2 = block_on(c.create_version(&id, &body(&["vendors/akamai/ca-b.pem"]))).unwrap();
    assert_eq!(v2.version, 2);
    let listed = block_on(c.list_versions(&id, &ListVersionsQuery { include_certificates: Some(true), ..Default::default() })).unwrap();
    assert_eq!(listed.iter().map(|v| v.certificates.len()).collect::<Vec<_>>(), [2, 1]);

    // The set name is checked before sending, as Akamai's own client does.
    let err = block_on(c.create_ca_set(&CreateCaSet { ca_set_name: "a b".into(), description: None })).unwrap_err();
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "caSetName"), "{err:?}");
    let err = block_on(c.create_ca_set(&CreateCaSet { ca_set_name: "edge-ca-set".into(), description: None })).unwrap_err();
    assert!(err.to_string().contains("ca-set-name-is-not-unique"), "{err}");
}

#[test]
fn invalid_certificates_are_refused_with_pointers() {
    let emu = emulator(3_000);
    let c = client(&emu);
    let id = new_set(&c, "bad-certs");
    let err = block_on(
        c.create_version(&id, &body(&["chain/root.pem", "vendors/akamai/expired-ca.pem", "vendors/akamai/sha1-ca.pem", "chain/leaf.pem"])),
    )
    .unwrap_err();
    let (Some(400), Some(p)) = (err.status(), err.problem()) else { panic!("{err:?}") };
    assert_eq!(p.type_name(), "certificate-validation-failure-create");
    let found: Vec<(&str, &str)> = p.errors.iter().map(|e| (e.type_name(), e.pointer.as_deref().unwrap_or(""))).collect();
    assert_eq!(
        found,
        [
            ("expired-certificate", "/certificates/1"),
            ("insecure-signature-algorithm", "/certificates/2"),
            ("not-a-ca-certificate", "/certificates/3")
        ]
    );
    // The dry run says the same with its own type.
    let err = block_on(c.validate_certificates(&body(&["vendors/akamai/expired-ca.pem"]))).unwrap_err();
    assert!(err.to_string().contains("certificate-validation-failure"), "{err}");
    let ok = block_on(c.validate_certificates(&body(&["chain/root.pem", "chain/root.pem"]))).unwrap();
    let warnings = ok.validation.unwrap().warnings;
    assert_eq!(warnings[0].pointer.as_deref(), Some("/certificates/1"));
}

#[test]
fn activation_runs_to_complete_and_freezes_the_version() {
    let emu = emulator(600);
    let c = client(&emu);
    let id = new_set(&c, "activate-me");
    block_on(c.create_version(&id, &body(&["chain/root.pem"]))).unwrap();
    let started = block_on(c.activate(&id, 1, Network::Staging)).unwrap();
    assert_eq!(started.activation_status, ActivationStatus::InProgress);
    // Only one activation per set at a time.
    let err = block_on(c.activate(&id, 1, Network::Production)).unwrap_err();
    assert!(err.to_string().contains("another-activation-request-in-progress-in-the-ca-set"), "{err}");
    let opts = PollOptions { max_attempts: 20, default_delay_ms: 200, max_delay_ms: 1_000 };
    let done = block_on(c.poll_activation(&id, 1, started.activation_id, opts)).unwrap();
    assert_eq!(done.activation_status, ActivationStatus::Complete);
    assert_eq!(done.percent_complete, Some(100));
    let set = block_on(c.get_ca_set(&id)).unwrap();
    assert_eq!(set.staging_version, Some(1));
    let v1 = block_on(c.get_version(&id, 1)).unwrap();
    assert_eq!(v1.staging_status, Some(VersionNetworkStatus::Active));

    // An active version cannot change; its clone can.
    let err = block_on(c.update_version(&id, 1, &body(&["vendors/akamai/ca-b.pem"]))).unwrap_err();
    assert!(err.to_string().contains("ca-set-version-is-active"), "{err}");
    let clone = block_on(c.clone_version(&id, 1)).unwrap();
    assert_eq!(clone.version, 2);
    let edited = block_on(c.update_version(&id, 2, &body(&["chain/root.pem", "vendors/akamai/ca-b.pem"]))).unwrap();
    assert_eq!(edited.certificates.len(), 2);

    // Deactivate; the version stays frozen because it was active once.
    let off = block_on(c.deactivate(&id, 1, Network::Staging)).unwrap();
    block_on(c.poll_activation(&id, 1, off.activation_id, opts)).unwrap();
    assert_eq!(block_on(c.get_ca_set(&id)).unwrap().staging_version, None);
    let err = block_on(c.update_version(&id, 1, &body(&["vendors/akamai/ca-a.pem"]))).unwrap_err();
    assert!(err.to_string().contains("ca-set-version-was-previously-active"), "{err}");
    let activities = block_on(c.list_activities(&id, None, None)).unwrap();
    let kinds: Vec<&str> = activities.activities.iter().map(|a| a.kind.as_str()).collect();
    assert!(kinds.contains(&"ACTIVATE_CA_SET_VERSION") && kinds.contains(&"DEACTIVATE_CA_SET_VERSION"), "{kinds:?}");
}

#[test]
fn delete_runs_asynchronously() {
    let emu = emulator(300);
    let c = client(&emu);
    let id = new_set(&c, "delete-me");
    block_on(c.delete_ca_set(&id)).unwrap();
    let status = block_on(c.delete_status(&id)).unwrap();
    assert_eq!(status.status, ActivationStatus::InProgress);
    let mut seen = Vec::new();
    let opts = PollOptions { max_attempts: 20, default_delay_ms: 100, max_delay_ms: 100 };
    let done = block_on(c.poll_delete(&id, opts, |s| {
        seen.push(s.status);
        true
    }))
    .unwrap();
    assert_eq!(done.status, ActivationStatus::Complete);
    assert_eq!(seen.last(), Some(&ActivationStatus::Complete));
    assert_eq!(done.deletions.len(), 2);
    assert!(block_on(c.list_ca_sets(&Default::default())).unwrap().is_empty());
}

#[test]
fn a_429_is_retried_once_then_reported() {
    let emu = emulator(3_000);
    let c = client(&emu);
    control(&emu, "POST", "faults", r#"{"status":429,"count":1,"retryAfterMs":300}"#);
    let started = std::time::Instant::now();
    assert!(block_on(c.list_ca_sets(&Default::default())).unwrap().is_empty());
    assert!(started.elapsed().as_millis() >= 150, "waited until X-RateLimit-Next");
    control(&emu, "POST", "faults", r#"{"status":429,"count":2,"retryAfterMs":100}"#);
    let err = block_on(c.list_ca_sets(&Default::default())).unwrap_err();
    let Error::RateLimited(e) = &err else { panic!("{err:?}") };
    let Some(rl) = &e.rate_limit else { panic!("{err:?}") };
    assert_eq!(rl.remaining, Some(0));
    let seen = control(&emu, "GET", "requests", "");
    let statuses: Vec<u64> = seen["requests"].as_array().unwrap().iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [429, 200, 429, 429]);
    control(&emu, "POST", "faults", r#"{"status":500}"#);
    let err = block_on(c.list_ca_sets(&Default::default())).unwrap_err();
    assert!(err.to_string().contains("500") && err.to_string().contains("internal-error"), "{err}");
}

#[test]
fn signatures_timestamps_and_nonces_are_checked() {
    let emu = emulator(3_000);
    // A wrong secret.
    let mut wrong = creds();
    wrong.client_secret = "bm90LXRoZS1zZWNyZXQ=".into();
    let err = block_on(Client::new(Loopback::to(&emu), wrong, now_s).list_ca_sets(&Default::default())).unwrap_err();
    assert!(err.to_string().contains("401"), "{err}");
    // A clock ten minutes slow.
    let slow = Client::new(Loopback::to(&emu), creds(), || now_s() - 600);
    let err = block_on(slow.list_ca_sets(&Default::default())).unwrap_err();
    let Some(p) = err.problem() else { panic!("{err:?}") };
    assert!(p.detail.as_deref().unwrap().contains("more than 120 s"), "{p:?}");
    // The same nonce twice.
    let fixed = Rc::new(Cell::new(0));
    let counter = Rc::clone(&fixed);
    let replay = client(&emu).with_nonce_source(move || {
        counter.set(counter.get() + 1);
        Ok("6f0c2d4e-0000-4000-8000-000000000001".into())
    });
    block_on(replay.list_ca_sets(&Default::default())).unwrap();
    let err = block_on(replay.list_ca_sets(&Default::default())).unwrap_err();
    let Some(p) = err.problem() else { panic!("{err:?}") };
    assert!(p.detail.as_deref().unwrap().contains("already used"), "{p:?}");
    assert_eq!(fixed.get(), 2);
    assert_eq!(parse_timestamp("20261122T16:47:59+0000"), Some(1_795_366_079));
}

#[test]
fn associations_certificate_filters_and_version_delete() {
    use certwright::vendors::akamai::client::ListCertificatesQuery;
    let emu = emulator(3_000);
    let c = client(&emu);
    let id = new_set(&c, "filters");
    block_on(c.create_version(&id, &body(&["vendors/akamai/ca-a.pem", "vendors/akamai/sha1-ca.pem"]).with_sha1())).unwrap();
    let assoc = block_on(c.associations(&id, None)).unwrap();
    assert!(assoc.is_empty());
    // ca-a ends 2035-01-01, the SHA-1 CA ten years after it was made: a threshold in between
    // finds only ca-a.
    let query = |days| ListCertificatesQuery {
        certificate_status: Some("EXPIRING".into()),
        expiry_threshold_in_days: Some(days),
        ..Default::default()
    };
    let listed = block_on(c.list_certificates(&id, 1, &query(30))).unwrap();
    assert!(listed.certificates.is_empty());
    let days_to_2035 = u32::try_from((2_051_222_400 - now_s()) / 86_400 + 2).unwrap();
    let listed = block_on(c.list_certificates(&id, 1, &query(days_to_2035))).unwrap();
    assert_eq!(
        listed.certificates.iter().map(|c| c.subject.clone().unwrap()).collect::<Vec<_>>(),
        ["O=certwright tests,CN=certwright CA A"]
    );
    let active =
        block_on(c.list_certificates(&id, 1, &ListCertificatesQuery { certificate_status: Some("ACTIVE".into()), ..Default::default() }))
            .unwrap();
    assert_eq!(active.certificates.len(), 2);
    let both = ListCertificatesQuery { expiry_threshold_timestamp: Some("2030-01-01T00:00:00Z".into()), ..query(5) };
    assert!(matches!(block_on(c.list_certificates(&id, 1, &both)), Err(Error::Invalid { .. })));
    // Deleting a version that was never active.
    block_on(c.delete_version(&id, 1)).unwrap();
    let err = block_on(c.get_version(&id, 1)).unwrap_err();
    assert!(err.to_string().contains("ca-set-version-not-found"), "{err}");
}

trait WithSha1 {
    fn with_sha1(self) -> Self;
}

impl WithSha1 for VersionBody {
    fn with_sha1(mut self) -> Self {
        self.allow_insecure_sha1 = true;
        self
    }
}

#[test]
fn responses_carry_rate_limit_headers_and_the_limit_is_enforced() {
    let emu = emulator(3_000);
    let c = client(&emu);
    control(&emu, "POST", "config", r#"{"rateLimit":3}"#);
    block_on(c.list_ca_sets(&Default::default())).unwrap();
    let rl = c.last_rate_limit().unwrap();
    assert_eq!((rl.limit, rl.remaining), (Some(3), Some(2)));
    block_on(c.list_ca_sets(&Default::default())).unwrap();
    block_on(c.list_ca_sets(&Default::default())).unwrap();
    assert_eq!(c.last_rate_limit().unwrap().remaining, Some(0));
    // The fourth call in the minute gets a real 429 whose X-RateLimit-Next is the window's end;
    // the one retry waits for it (capped at 2 s by this test's transport) and is refused again.
    let err = block_on(c.list_ca_sets(&Default::default())).unwrap_err();
    let Error::RateLimited(e) = &err else { panic!("{err:?}") };
    let Some(rl) = &e.rate_limit else { panic!("{err:?}") };
    assert!(rl.next.is_some());
}

#[test]
fn latency_faults_delay_answers() {
    let emu = emulator(3_000);
    let c = client(&emu);
    let set = control(&emu, "POST", "faults", r#"{"latencyMs":400,"count":1}"#);
    assert_eq!(set["latencyMs"], 400);
    let started = std::time::Instant::now();
    assert!(block_on(c.list_ca_sets(&Default::default())).unwrap().is_empty());
    assert!(started.elapsed().as_millis() >= 400, "{:?}", started.elapsed());
    // A latency with a status: delayed, then the vendor's error.
    control(&emu, "POST", "faults", r#"{"status":500,"latencyMs":300}"#);
    let started = std::time::Instant::now();
    let err = block_on(c.list_ca_sets(&Default::default())).unwrap_err();
    assert!(started.elapsed().as_millis() >= 300);
    assert!(err.to_string().contains("internal-error"), "{err}");
    // For every request, through config.
    let config = control(&emu, "POST", "config", r#"{"latencyMs":250}"#);
    assert_eq!((config["latencyMs"].as_u64(), config["activationMs"].as_i64()), (Some(250), Some(3_000)));
    let started = std::time::Instant::now();
    block_on(c.list_ca_sets(&Default::default())).unwrap();
    assert!(started.elapsed().as_millis() >= 250);
    // Neither status nor latency: refused.
    let t = Loopback::to(&emu);
    let req =
        HttpRequest { method: "POST".into(), url: "https://127.0.0.1/__emulator/faults".into(), headers: vec![], body: b"{}".to_vec() };
    assert_eq!(block_on(t.send(req)).unwrap().status, 400);
}

#[test]
fn requests_go_to_the_vendor_their_host_names() {
    let emu = emulator(3_000);
    let t = Loopback::to(&emu);
    let send = |host: &str, target: &str| {
        let req = HttpRequest { method: "GET".into(), url: format!("https://{host}{target}"), headers: vec![], body: vec![] };
        block_on(t.send(req)).unwrap()
    };
    // Akamai's hosts: its API (unsigned: Akamai's 401 problem), and nothing else.
    for host in ["emulator.akamai.test", "akab-x.luna.akamaiapis.net", "EMULATOR.akamai.test:443"] {
        let resp = send(host, "/mtls-edge-truststore/v2/ca-sets");
        assert_eq!(resp.status, 401, "{host}");
        assert!(String::from_utf8_lossy(&resp.body).contains("/mtls-edge-truststore/error-types/unauthorized"), "{host}");
        let resp = send(host, "/v1/other-api");
        assert_eq!(resp.status, 404, "{host}");
        assert!(String::from_utf8_lossy(&resp.body).contains("akamai"), "{host}");
    }
    // A host no vendor claims: the path prefix decides (and the signature check names the Host).
    let resp = send("unknown.test", "/mtls-edge-truststore/v2/ca-sets");
    assert_eq!(resp.status, 401);
    assert_eq!(send("unknown.test", "/nothing").status, 404);
    // The control API answers on any host.
    let req = HttpRequest { method: "GET".into(), url: "https://unknown.test/__emulator/requests".into(), headers: vec![], body: vec![] };
    let seen: serde_json::Value = serde_json::from_slice(&block_on(t.send(req)).unwrap().body).unwrap();
    assert_eq!(seen["requests"].as_array().unwrap().len(), 8);
}
