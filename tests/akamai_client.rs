//! The Akamai mTLS Edge Truststore client (`certwright::vendors::akamai::client`) against a
//! `FakeTransport` that records every request and replays queued responses: JSON fixtures from
//! `tests/data/vendors/akamai/` (see the README there). No network, no async runtime beyond
//! `futures_executor::block_on`.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::Cell;
use std::path::Path;
use std::rc::Rc;

#[path = "support/fake.rs"]
mod fake;

use certwright::vendors::akamai::client::{
    self, duplicate_version_link, parse_http_date, parse_rfc3339_ms, retry_after_ms, Client, Error, ListCaSetsQuery, ListVersionsQuery,
    PollOptions, RateLimit,
};
use certwright::vendors::akamai::edgegrid::{self, Credentials, Request};
use certwright::vendors::akamai::models::{ActivationStatus, CaSetStatus, CreateCaSet, Network, VersionNetworkStatus};
use certwright::vendors::akamai::validate::{CertificateEntry, VersionBody};
use certwright::vendors::error::ErrorBody;
use certwright::vendors::transport::{HttpRequest, TransportError};
use fake::FakeTransport;
use futures_executor::block_on;

/// 2025-08-05T09:45:36Z, EdgeGrid timestamp `20250805T09:45:36+0000`.
const NOW: i64 = 1_754_387_136;
const HOST: &str = "akab-example.luna.akamaiapis.net";
const CLIENT_SECRET: &str = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0cw==";
const BASE: &str = "https://akab-example.luna.akamaiapis.net/mtls-edge-truststore/v2";

/// Akamai's answers on the shared fake transport.
trait Replies {
    fn reply(&self, status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> &Self;
    fn fixture(&self, status: u16, headers: &[(&str, &str)], name: &str) -> &Self;
}

impl Replies for FakeTransport {
    fn reply(&self, status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> &Self {
        self.queue(status, headers, body)
    }
    fn fixture(&self, status: u16, headers: &[(&str, &str)], name: &str) -> &Self {
        self.queue(status, headers, fixture(name))
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vendors/akamai").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn creds() -> Credentials {
    Credentials::new(HOST, "akab-client-token", CLIENT_SECRET, "akab-access-token")
}

/// A client with the fixed clock `NOW` and nonces `00000000-0000-4000-8000-00000000000N`.
fn client() -> Client<FakeTransport> {
    let counter = Rc::new(Cell::new(0u32));
    Client::new(FakeTransport::default(), creds(), || NOW).with_nonce_source(move || {
        counter.set(counter.get() + 1);
        Ok(format!("00000000-0000-4000-8000-{:012}", counter.get()))
    })
}

fn field<'a>(authorization: &'a str, name: &str) -> &'a str {
    authorization
        .split(';')
        .find_map(|part| part.trim().split_once('=').filter(|(n, _)| n.ends_with(name)).map(|(_, v)| v))
        .unwrap_or_else(|| panic!("no {name} in {authorization}"))
}

/// Asserts the request's Authorization header is the EdgeGrid signature of exactly this request
/// (method, path and query as sent, body) for the timestamp and nonce it carries.
fn assert_signed(req: &HttpRequest) {
    let authorization = req.header("Authorization").expect("Authorization header");
    assert!(authorization.starts_with("EG1-HMAC-SHA256 client_token=akab-client-token;access_token=akab-access-token;"), "{authorization}");
    let timestamp = field(authorization, "timestamp");
    let nonce = field(authorization, "nonce");
    let path_and_query = req.url.strip_prefix(&format!("https://{HOST}")).expect("request goes to the credentials' host");
    let expected = edgegrid::authorization_header(
        &creds(),
        &Request { method: &req.method, path_and_query, headers: &[], body: &req.body },
        timestamp,
        nonce,
    );
    assert_eq!(authorization, expected);
}

fn version_body() -> VersionBody {
    let pem = |name: &str| std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/chain").join(name)).unwrap();
    VersionBody {
        allow_insecure_sha1: false,
        description: Some("first version".into()),
        certificates: vec![
            CertificateEntry { certificate_pem: pem("root.pem"), description: None },
            CertificateEntry { certificate_pem: pem("intermediate.pem"), description: Some("issuing".into()) },
        ],
    }
}

#[test]
fn create_ca_set_posts_signed_json() {
    let client = client();
    client.transport().fixture(201, &[("Content-Type", "application/json")], "ca_set_created.json");
    let body = CreateCaSet { ca_set_name: "certwright-test".into(), description: Some("Test CA set".into()) };

    let ca_set = block_on(client.create_ca_set(&body)).unwrap();
    assert_eq!(ca_set.ca_set_id, "12345");
    assert_eq!(ca_set.ca_set_name, "certwright-test");
    assert_eq!(ca_set.ca_set_status, CaSetStatus::NotDeleted);
    assert_eq!(ca_set.latest_version, None);

    let requests = client.transport().requests();
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.url, format!("{BASE}/ca-sets"));
    assert_eq!(req.header("Content-Type"), Some("application/json"));
    assert_eq!(req.header("Accept"), Some("application/json"));
    let sent: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(sent, serde_json::json!({"caSetName": "certwright-test", "description": "Test CA set"}));
    let authorization = req.header("Authorization").unwrap();
    assert!(authorization.starts_with("EG1-HMAC-SHA256 client_token="));
    assert_eq!(field(authorization, "timestamp"), "20250805T09:45:36+0000");
    assert_eq!(field(authorization, "nonce"), "00000000-0000-4000-8000-000000000001");
    assert_signed(req);
}

#[test]
fn account_switch_key_and_query_are_signed() {
    let client = client().with_account_switch_key("1-ABC:1-DEF");
    client.transport().fixture(200, &[], "ca_sets_list.json");
    let query = ListCaSetsQuery {
        ca_set_name_prefix: Some("cert wright".into()),
        activated_on: Some("STAGING+PRODUCTION".into()),
        ..Default::default()
    };
    block_on(client.list_ca_sets(&query)).unwrap();

    let req = &client.transport().requests()[0];
    assert_eq!(req.method, "GET");
    assert_eq!(
        req.url,
        format!("{BASE}/ca-sets?caSetNamePrefix=cert%20wright&activatedOn=STAGING%2BPRODUCTION&accountSwitchKey=1-ABC%3A1-DEF")
    );
    assert!(req.body.is_empty());
    assert_eq!(req.header("Content-Type"), None);
    assert_signed(req);
}

#[test]
fn list_ca_sets_decodes_string_and_integer_ids() {
    let client = client();
    client.transport().fixture(200, &[], "ca_sets_list.json");
    let sets = block_on(client.list_ca_sets(&ListCaSetsQuery::default())).unwrap();
    assert_eq!(client.transport().requests()[0].url, format!("{BASE}/ca-sets"));
    assert_eq!(sets.len(), 2);
    assert_eq!(sets[0].ca_set_id, "12345");
    assert_eq!(sets[1].ca_set_id, "67890");
    assert_eq!(sets[1].ca_set_name, "certwright-prod");
    assert_eq!(sets[1].production_version, Some(1));
    assert_eq!(sets[1].latest_version_link.as_deref(), Some("/mtls-edge-truststore/v2/ca-sets/67890/versions/2"));
}

#[test]
fn create_version_201_decodes_certificates_and_validation() {
    let client = client();
    client.transport().fixture(201, &[("Location", "/mtls-edge-truststore/v2/ca-sets/12345/versions/1")], "version_created.json");
    let body = version_body();
    let version = block_on(client.create_version("12345", &body)).unwrap();

    let req = &client.transport().requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.url, format!("{BASE}/ca-sets/12345/versions"));
    let sent: VersionBody = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(sent, body);
    assert_signed(req);

    assert_eq!(version.version, 1);
    assert_eq!(version.ca_set_id.as_deref(), Some("12345"));
    assert_eq!(version.staging_status, Some(VersionNetworkStatus::Inactive));
    assert_eq!(version.certificates.len(), 2);
    assert_eq!(version.certificates[0].fingerprint.as_deref(), Some("12c893a0298c2aa2b58c499c6c80eab29e5c36de25bbca29bb5c71325c6c7efe"));
    assert_eq!(version.certificates[1].serial_number.as_deref(), Some("2001"));
    assert_eq!(version.certificates[0].certificate_pem, body.certificates[0].certificate_pem);
    let validation = version.validation.expect("validation");
    assert!(validation.errors.is_empty() && validation.notices.is_empty());
    assert_eq!(validation.warnings.len(), 1);
    assert_eq!(validation.warnings[0].type_name(), "duplicate-certificate");
    assert_eq!(validation.warnings[0].pointer.as_deref(), Some("/certificates/2"));
}

#[test]
fn duplicate_version_422_gives_the_existing_version_link() {
    let client = client();
    client.transport().fixture(422, &[("Content-Type", "application/problem+json")], "duplicate_version_422.json");
    let err = block_on(client.create_version("1", &version_body())).unwrap_err();
    assert_eq!(duplicate_version_link(&err), Some("/tcm-api/ca-sets/1/versions/1"));
    // The problem itself is kept: type, title, detail and the whole contextInfo.
    assert_eq!(err.status(), Some(422));
    let p = err.problem().expect("problem body");
    assert_eq!(p.kind, "/mtls-edge-truststore/error-types/duplicate-ca-set-version");
    assert_eq!(p.title.as_deref(), Some("A version with same certificates exists in the CA set."));
    assert_eq!(p.detail.as_deref(), Some("A version with same certificates exists in the CA set."));
    assert_eq!(p.context_info.as_ref().unwrap()["caSetName"], "tést");
    assert!(err.to_string().contains("duplicate-ca-set-version"), "{err}");
}

#[test]
fn problem_400_gives_api_error_with_problem_details() {
    let client = client();
    client.transport().fixture(400, &[("Content-Type", "application/problem+json")], "validation_failure_400.json");
    let err = block_on(client.validate_certificates(&version_body())).unwrap_err();
    assert_eq!(client.transport().requests()[0].url, format!("{BASE}/certificates/validate"));
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.status, 400);
    assert_eq!(api.rate_limit, None);
    let problem = api.problem().expect("problem body");
    assert_eq!(problem.type_name(), "certificate-validation-failure");
    assert_eq!(problem.title.as_deref(), Some("Certificates have failed validation."));
    assert_eq!(problem.detail.as_deref(), Some("One or more certificates have failed validation."));
    assert_eq!(problem.errors.len(), 2);
    assert_eq!(problem.errors[0].type_name(), "expired-certificate");
    assert_eq!(problem.pointers(), ["/certificates/0", "/certificates/2"]);
    let context = problem.errors[0].context_info.as_ref().unwrap();
    assert_eq!(context["subject"], "CN=cert100");
    assert!(err.to_string().contains("400") && err.to_string().contains("certificate-validation-failure"));
}

#[test]
fn non_json_error_body_still_gives_api_error() {
    let client = client();
    client.transport().reply(503, &[], b"<html>Service Unavailable</html>".to_vec());
    let err = block_on(client.get_ca_set("12345")).unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!((api.status, api.problem(), &api.rate_limit), (503, None, &None));
    assert_eq!(api.body, ErrorBody::Text("<html>Service Unavailable</html>".into()));
}

#[test]
fn rate_limit_429_then_200_retries_once_after_x_ratelimit_next() {
    let client = client();
    client
        .transport()
        .fixture(
            429,
            &[("X-RateLimit-Limit", "100"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Next", "2025-08-05T09:45:40.500Z")],
            "rate_limited_429.json",
        )
        .fixture(200, &[("X-RateLimit-Limit", "100"), ("X-RateLimit-Remaining", "99")], "ca_set_created.json");
    let ca_set = block_on(client.get_ca_set("12345")).unwrap();
    assert_eq!(ca_set.ca_set_id, "12345");

    // Slept 4.5 s: from NOW (09:45:36) until X-RateLimit-Next (09:45:40.500).
    assert_eq!(client.transport().sleeps(), [4_500]);
    assert_eq!(client.last_rate_limit(), Some(RateLimit { limit: Some(100), remaining: Some(99), next: None }));
    let requests = client.transport().requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].url, requests[1].url);
    assert_eq!(requests[1].url, format!("{BASE}/ca-sets/12345"));
    // The retry is signed afresh: a new nonce, a valid signature.
    let nonce = |r: &HttpRequest| field(r.header("Authorization").unwrap(), "nonce").to_owned();
    assert_ne!(nonce(&requests[0]), nonce(&requests[1]));
    requests.iter().for_each(assert_signed);
}

#[test]
fn rate_limit_429_twice_reports_the_rate_limit() {
    let client = client();
    let headers = [("X-RateLimit-Limit", "100"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Next", "2025-08-05T09:45:38Z")];
    client.transport().fixture(429, &headers, "rate_limited_429.json").fixture(429, &headers, "rate_limited_429.json");
    let err = block_on(client.list_versions("12345", &ListVersionsQuery::default())).unwrap_err();
    let Error::RateLimited(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.status, 429);
    assert_eq!(api.rate_limit, Some(RateLimit { limit: Some(100), remaining: Some(0), next: Some("2025-08-05T09:45:38Z".into()) }));
    let problem = api.problem().unwrap();
    assert_eq!(problem.type_name(), "account-rate-limit-exceeded");
    assert_eq!(problem.rate_limit_next.as_deref(), Some("2025-08-05T09:45:40.500Z"));
    assert_eq!(client.transport().requests().len(), 2, "exactly one retry");
    assert_eq!(client.transport().sleeps(), [2_000]);
}

#[test]
fn rate_limit_without_header_uses_the_body_then_retry_after() {
    // No X-RateLimit-Next header: the body's rateLimitNext is used.
    let client = client();
    client.transport().fixture(429, &[], "rate_limited_429.json").fixture(200, &[], "ca_set_created.json");
    block_on(client.get_ca_set("12345")).unwrap();
    assert_eq!(client.transport().sleeps(), [4_500]);

    // Neither: Retry-After.
    let client = self::client();
    client.transport().reply(429, &[("Retry-After", "7")], Vec::new()).fixture(200, &[], "ca_set_created.json");
    block_on(client.get_ca_set("12345")).unwrap();
    assert_eq!(client.transport().sleeps(), [7_000]);
}

#[test]
fn activation_polling_honours_retry_after_until_complete() {
    let client = client();
    client
        .transport()
        .fixture(202, &[], "activation_in_progress.json")
        .fixture(202, &[("Retry-After", "300")], "activation_in_progress.json")
        .fixture(202, &[("Retry-After", "Tue, 05 Aug 2025 09:47:36 GMT")], "activation_progress_50.json")
        .fixture(200, &[], "activation_complete.json");

    let started = block_on(client.activate("12345", 1, Network::Staging)).unwrap();
    assert_eq!(started.activation_status, ActivationStatus::InProgress);
    let first = &client.transport().requests()[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.url, format!("{BASE}/ca-sets/12345/versions/1/activate"));
    assert_eq!(first.body, br#"{"network":"STAGING"}"#);
    assert_signed(first);

    let done = block_on(client.poll_activation("12345", 1, started.activation_id, PollOptions::default())).unwrap();
    assert_eq!(done.activation_status, ActivationStatus::Complete);
    assert_eq!(done.percent_complete, Some(100));
    assert_eq!(done.network, Some(Network::Staging));

    // 300 s from the seconds form, 120 s from the date form (09:47:36 - NOW).
    assert_eq!(client.transport().sleeps(), [300_000, 120_000]);
    let requests = client.transport().requests();
    assert_eq!(requests.len(), 4);
    for req in &requests[1..] {
        assert_eq!(req.method, "GET");
        assert_eq!(req.url, format!("{BASE}/ca-sets/12345/versions/1/activations/7001"));
        assert_signed(req);
    }
}

#[test]
fn activation_polling_stops_after_max_attempts() {
    let client = client();
    client.transport().fixture(202, &[], "activation_in_progress.json").fixture(202, &[], "activation_in_progress.json");
    let options = PollOptions { max_attempts: 2, default_delay_ms: 5_000, max_delay_ms: 60_000 };
    let err = block_on(client.poll_activation("12345", 1, 7001, options)).unwrap_err();
    assert_eq!(err, Error::PollExhausted { attempts: 2, last_status: "IN_PROGRESS".into() });
    assert_eq!(client.transport().sleeps(), [5_000]);
}

#[test]
fn decode_error_names_the_json_path() {
    let client = client();
    client.transport().fixture(200, &[], "versions_bad_version.json");
    let err = block_on(client.list_versions("12345", &ListVersionsQuery::default())).unwrap_err();
    let Error::Decode { path, message } = &err else { panic!("{err:?}") };
    assert_eq!(path, "versions[1].version");
    assert!(message.contains("invalid type: string \"two\""), "{message}");
    assert!(!message.contains(" at line "), "{message}");

    // A missing required field is reported at the object that lacks it.
    let client = self::client();
    client.transport().reply(200, &[], br#"{"caSets":[{"caSetId":"1","caSetName":"a"},{"caSetId":"2"}]}"#.to_vec());
    let err = block_on(client.list_ca_sets(&ListCaSetsQuery::default())).unwrap_err();
    assert_eq!(err, Error::Decode { path: "caSets[1]".into(), message: "missing field `caSetName`".into() });

    // Not JSON at all: the whole body.
    let client = self::client();
    client.transport().reply(200, &[], b"<html>".to_vec());
    let err = block_on(client.get_ca_set("1")).unwrap_err();
    assert!(matches!(&err, Error::Decode { path, .. } if path == "."), "{err:?}");
}

#[test]
fn list_versions_query_and_other_endpoints() {
    let client = client();
    let t = client.transport();
    t.reply(200, &[], br#"{"versions":[]}"#.to_vec())
        .fixture(201, &[], "version_created.json")
        .fixture(200, &[], "version_created.json")
        .reply(202, &[], Vec::new())
        .reply(
            200,
            &[],
            br#"{"status":"IN_PROGRESS","caSetId":12345,"deletions":[{"network":"STAGING","percentComplete":50,"status":"IN_PROGRESS"}]}"#
                .to_vec(),
        )
        .fixture(201, &[], "ca_set_created.json")
        .reply(200, &[], br#"{"activations":[]}"#.to_vec())
        .reply(200, &[], br#"{"activations":[]}"#.to_vec())
        .reply(200, &[], br#"{"activities":[{"type":"CREATE_CA_SET","activityDate":"2025-08-05T09:45:36Z","activityBy":"jdoe"}]}"#.to_vec())
        .fixture(202, &[], "activation_in_progress.json")
        .fixture(200, &[], "activation_complete.json");

    let query = ListVersionsQuery { include_certificates: Some(true), active_versions_only: Some(false), ..Default::default() };
    assert!(block_on(client.list_versions("12345", &query)).unwrap().is_empty());
    block_on(client.clone_version("12345", 1)).unwrap();
    block_on(client.update_version("12345", 2, &version_body())).unwrap();
    block_on(client.delete_ca_set("12345")).unwrap();
    let status = block_on(client.delete_status("12345")).unwrap();
    assert_eq!(status.status, ActivationStatus::InProgress);
    assert_eq!(status.ca_set_id.as_deref(), Some("12345"));
    assert_eq!(status.deletions[0].percent_complete, Some(50));
    let clone = CreateCaSet { ca_set_name: "copy".into(), description: None };
    block_on(client.clone_ca_set("12345", Some(1), &clone)).unwrap();
    block_on(client.list_ca_set_activations("12345")).unwrap();
    block_on(client.list_version_activations("12345", 1)).unwrap();
    let activities = block_on(client.list_activities("12345", Some("2025-08-01T00:00:00.000Z"), None)).unwrap();
    assert_eq!(activities.activities[0].kind, "CREATE_CA_SET");
    block_on(client.deactivate("12345", 1, Network::Production)).unwrap();
    block_on(client.get_activation("12345", 1, 7001)).unwrap();

    let seen: Vec<(String, String)> = t
        .requests()
        .iter()
        .map(|r| {
            assert_signed(r);
            (r.method.clone(), r.url.strip_prefix(BASE).unwrap().to_owned())
        })
        .collect();
    let expected = [
        ("GET", "/ca-sets/12345/versions?includeCertificates=true&activeVersionsOnly=false"),
        ("POST", "/ca-sets/12345/versions/1/clone"),
        ("PUT", "/ca-sets/12345/versions/2"),
        ("DELETE", "/ca-sets/12345"),
        ("GET", "/ca-sets/12345/status/delete"),
        ("POST", "/ca-sets/12345/clone?cloneFromVersion=1"),
        ("GET", "/ca-sets/12345/activations"),
        ("GET", "/ca-sets/12345/versions/1/activations"),
        ("GET", "/ca-sets/12345/activities?start=2025-08-01T00%3A00%3A00.000Z"),
        ("POST", "/ca-sets/12345/versions/1/deactivate"),
        ("GET", "/ca-sets/12345/versions/1/activations/7001"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(m, u)| (m.to_string(), u.to_string())).collect();
    assert_eq!(seen, expected);
    let requests = t.requests();
    assert!(requests[1].body.is_empty(), "clone version has no body");
    assert_eq!(requests[9].body, br#"{"network":"PRODUCTION"}"#);
    assert_eq!(requests[5].body, br#"{"caSetName":"copy"}"#);
}

#[test]
fn transport_errors_pass_through() {
    let client = client();
    client.transport().queue_error(TransportError::new("connection reset"));
    let err = block_on(client.get_ca_set("1")).unwrap_err();
    assert_eq!(err, Error::Transport(TransportError::new("connection reset")));
}

#[test]
fn no_credentials_in_debug_or_errors() {
    let client = client().with_account_switch_key("1-ABC");
    client.transport().fixture(429, &[("X-RateLimit-Next", "2025-08-05T09:45:37Z")], "rate_limited_429.json");
    client.transport().fixture(429, &[], "rate_limited_429.json");
    let err = block_on(client.get_ca_set("1")).unwrap_err();
    let req = &client.transport().requests()[0];
    let texts = [format!("{client:?}"), format!("{req:?}"), format!("{err:?}"), err.to_string()];
    for text in texts {
        for secret in [CLIENT_SECRET, "akab-client-token", "akab-access-token", "signature="] {
            assert!(!text.contains(secret), "{secret} leaked into {text}");
        }
    }
}

#[test]
fn date_parsing() {
    assert_eq!(parse_rfc3339_ms("2025-08-05T09:45:36Z"), Some(NOW * 1000));
    assert_eq!(parse_rfc3339_ms("2025-08-05T09:45:36.5Z"), Some(NOW * 1000 + 500));
    assert_eq!(parse_rfc3339_ms("2025-08-05T09:45:36.123456Z"), Some(NOW * 1000 + 123));
    assert_eq!(parse_rfc3339_ms("2025-08-05T11:45:36+02:00"), Some(NOW * 1000));
    assert_eq!(parse_rfc3339_ms("2025-08-05T09:45:36"), None);
    assert_eq!(parse_rfc3339_ms("2025-13-05T09:45:36Z"), None);
    assert_eq!(parse_http_date("Tue, 05 Aug 2025 09:45:36 GMT"), Some(NOW));
    assert_eq!(parse_http_date("05 Aug 2025 09:45:36 GMT"), Some(NOW));
    assert_eq!(parse_http_date("Tue, 05 Aug 2025 09:45:36 PST"), None);
    assert_eq!(retry_after_ms("120", NOW), Some(120_000));
    assert_eq!(retry_after_ms("Tue, 05 Aug 2025 09:45:46 GMT", NOW), Some(10_000));
    assert_eq!(retry_after_ms("Tue, 05 Aug 2025 09:45:00 GMT", NOW), Some(0), "a past date means now");
    assert_eq!(retry_after_ms("soon", NOW), None);
}

/// What Akamai's own client refuses before sending is refused here too, with the field named,
/// and nothing goes out.
#[test]
fn set_names_and_descriptions_are_checked_before_sending() {
    let client = client();
    let long = "x".repeat(256);
    let bad_sets = [
        ("ab", "caSetName", "between 3 and 64"),
        (&"n".repeat(65) as &str, "caSetName", "between 3 and 64"),
        ("has space", "caSetName", "not allowed"),
        ("###A", "caSetName", "not allowed"),
        ("AAA...A", "caSetName", "three consecutive periods"),
    ];
    for (name, field_name, rule) in bad_sets {
        let body = CreateCaSet { ca_set_name: name.into(), description: None };
        for err in [block_on(client.create_ca_set(&body)).unwrap_err(), block_on(client.clone_ca_set("1", None, &body)).unwrap_err()] {
            let Error::Invalid { field, message } = &err else { panic!("{name}: {err:?}") };
            assert_eq!(field, field_name);
            assert!(message.contains(rule), "{name}: {message}");
        }
    }
    // The allowed alphabet, at both length bounds.
    for name in ["a%.", &format!("A_-9{}", "z".repeat(60))] {
        assert!(client::check_ca_set_name(name).is_ok(), "{name}");
    }
    let err = block_on(client.create_ca_set(&CreateCaSet { ca_set_name: "fine".into(), description: Some(long.clone()) })).unwrap_err();
    assert!(matches!(&err, Error::Invalid { field, message } if field == "description" && message.contains("255")), "{err:?}");

    let mut body = version_body();
    body.description = Some(long.clone());
    let err = block_on(client.create_version("1", &body)).unwrap_err();
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "description"), "{err:?}");
    let mut body = version_body();
    body.certificates[1].description = Some(long.clone());
    for err in [
        block_on(client.create_version("1", &body)).unwrap_err(),
        block_on(client.update_version("1", 1, &body)).unwrap_err(),
        block_on(client.validate_certificates(&body)).unwrap_err(),
    ] {
        assert!(matches!(&err, Error::Invalid { field, .. } if field == "certificates[1].description"), "{err:?}");
    }
    // 255 characters (not bytes) is fine.
    assert!(client::check_description("description", Some(&"é".repeat(255))).is_ok());
    assert!(client.transport().requests().is_empty(), "nothing was sent");
}
