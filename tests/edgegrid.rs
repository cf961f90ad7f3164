//! EdgeGrid `EG1-HMAC-SHA256` signing (`certwright::vendors::akamai::edgegrid`) against Akamai's
//! reference signer, edgegrid-python.
//!
//! - `GOLDEN` holds Authorization headers that edgegrid-python 2.0.9 computed for `our_cases()`
//!   through `tests/edgegrid_reference.py` (fixed timestamp and nonce), so these tests need no
//!   Python. To regenerate: run `edgegrid_python_agrees_live` with `-- --nocapture`; on a
//!   mismatch it prints edgegrid-python's values.
//! - `official_cases()` are Akamai's shared EdgeGrid test vectors, copied from edgegrid-python
//!   2.0.9's `akamai/edgegrid/test/testcases.json` and `testdata.json` (the one case there that
//!   `requests` refuses to build, a header value with leading spaces, is left out).
//! - `edgegrid_python_agrees_live` recomputes both sets with edgegrid-python when
//!   `python3 -c "import akamai.edgegrid"` works (`PYTHON` names another interpreter), and
//!   compares the Authorization header and dataToSign. Without it the test prints a notice and
//!   passes, unless `CERTWRIGHT_REQUIRE_EDGEGRID_PYTHON=1` is set.
//!
//! Nothing here touches the network.
#![cfg(not(target_arch = "wasm32"))] // native only: the live check spawns Python

use std::io::Write as _;
use std::process::{Command, Stdio};

use base64::Engine as _;
use certwright::vendors::akamai::edgegrid::{
    self, add_account_switch_key, authorization_header, data_to_sign, Credentials, EdgercError, Request, DEFAULT_MAX_BODY,
};

/// Writes to the real stderr, bypassing libtest's output capture.
fn notice(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

// Made-up credentials for our cases (not a real API client).
const HOST: &str = "akab-gpeb7yvrl4d2mnwf-3xyqkt6hcjzo5s2u.luna.akamaiapis.net";
const CLIENT_TOKEN: &str = "akab-fxw3q4khzcyuvn2d-7tmbopr6sjl5aeig";
const CLIENT_SECRET: &str = "Xq2mV9c0t7Lk3Rb8ZpW4nYs1HfGd6JeUoA5iQxTr+/E=";
const ACCESS_TOKEN: &str = "akab-c2hq7a5lsypmzr4e-vwnj3k6ofdxtb8gi";
const TIMESTAMP: &str = "20250805T09:45:36+0000";
const NONCE: &str = "1f0e6a4c-7f1a-4b8e-9f5b-2c3d4e5f6a7b";
const ACCOUNT_SWITCH_KEY: &str = "1-5C0YLB:1-8BYUX";

type Headers = Vec<(&'static str, &'static str)>;

/// One request to sign and the Authorization header edgegrid-python gave for it.
struct Case {
    name: &'static str,
    creds: Credentials,
    method: &'static str,
    path: String,
    headers: Headers,
    body: Vec<u8>,
    timestamp: &'static str,
    nonce: &'static str,
    expected: String,
}

impl Case {
    fn request(&self) -> Request<'_> {
        Request { method: self.method, path_and_query: &self.path, headers: &self.headers, body: &self.body }
    }
    fn authorization(&self) -> String {
        authorization_header(&self.creds, &self.request(), self.timestamp, self.nonce)
    }
    fn data_to_sign(&self) -> String {
        data_to_sign(&self.creds, &self.request(), self.timestamp, self.nonce)
    }
}

fn our_creds() -> Credentials {
    Credentials::new(HOST, CLIENT_TOKEN, CLIENT_SECRET, ACCESS_TOKEN)
}

/// A deterministic 200,000-byte JSON-ish body, longer than `max_body` (131,072).
fn large_body() -> Vec<u8> {
    let mut body = Vec::with_capacity(200_100);
    body.extend_from_slice(br#"{"allowInsecureSha1":false,"certificates":["#);
    let mut i = 0;
    while body.len() < 200_000 {
        body.extend_from_slice(format!(r#"{{"certificatePem":"line {i:06}"}},"#).as_bytes());
        i += 1;
    }
    body.truncate(200_000);
    body
}

/// Golden Authorization headers: computed by edgegrid-python 2.0.9 via
/// tests/edgegrid_reference.py for `our_cases()`, in the same order.
const GOLDEN: [(&str, &str); 8] = [
    ("GET with a query", "signature=VM1L04h7n57fo1bjlBZjvVHELkFT/PHysSp1tCxMEt8="),
    ("GET with accountSwitchKey", "signature=EbIVCNkMYhZ3UJRUcSFmmdg9Y2F4J2L6dkYIwJuBMZM="),
    ("POST with a JSON body", "signature=VRi7t6GjKRI5+CO3zBPRdNpMlR+VAioW2BYSUU6v/Oo="),
    ("POST with a body larger than max_body", "signature=lBTQpITNX1VZxU2Pz3Gk4q5XgBVNwaLCMlWTP/Ca1RA="),
    ("PUT with a body (not hashed)", "signature=fTWjixlUCNPkWPz7kIJSa0OfMaWCADP39fpty7B4EOU="),
    ("DELETE", "signature=h9OdvhS8mx61TuS8bPf855Ccl+oD/pXveJ4wuPhQvAY="),
    ("GET with headers_to_sign", "signature=gzzijgegYJwqhyyp08siJ+ofyfwClPI7pU/wqPY2FHI="),
    ("POST with an empty body", "signature=dn9/eyrsK4qiOzdKOp0lz21jq1jgaNX43JtyEEr02UE="),
];

fn our_prefix() -> String {
    format!(
        "EG1-HMAC-SHA256 client_token={CLIENT_TOKEN};access_token={ACCESS_TOKEN};\
         timestamp={TIMESTAMP};nonce={NONCE};"
    )
}

fn our_cases() -> Vec<Case> {
    let signed_headers = Credentials { headers_to_sign: vec!["X-Test1".into(), "x-test2".into()], ..our_creds() };
    type Raw = (Credentials, &'static str, String, Headers, Vec<u8>);
    let raw: Vec<Raw> = vec![
        (
            our_creds(),
            "GET",
            "/mtls-edge-truststore/v2/ca-sets?caSetNamePrefix=prod&activatedOn=STAGING%2BPRODUCTION"
                .into(),
            vec![("Accept", "application/json")],
            vec![],
        ),
        (
            our_creds(),
            "GET",
            add_account_switch_key(
                "/mtls-edge-truststore/v2/ca-sets/12345/versions?includeCertificates=true",
                ACCOUNT_SWITCH_KEY,
            ),
            vec![],
            vec![],
        ),
        (
            our_creds(),
            "POST",
            "/mtls-edge-truststore/v2/ca-sets".into(),
            vec![("Content-Type", "application/json")],
            br#"{"caSetName":"example-ca-set","description":"Example CA set"}"#.to_vec(),
        ),
        (
            our_creds(),
            "POST",
            "/mtls-edge-truststore/v2/ca-sets/12345/versions".into(),
            vec![("Content-Type", "application/json")],
            large_body(),
        ),
        (
            our_creds(),
            "PUT",
            "/mtls-edge-truststore/v2/ca-sets/12345/versions/2".into(),
            vec![("Content-Type", "application/json")],
            br#"{"allowInsecureSha1":false,"certificates":[{"certificatePem":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}]}"#.to_vec(),
        ),
        (
            our_creds(),
            "DELETE",
            add_account_switch_key("/mtls-edge-truststore/v2/ca-sets/12345", ACCOUNT_SWITCH_KEY),
            vec![],
            vec![],
        ),
        (
            signed_headers,
            "GET",
            "/mtls-edge-truststore/v2/ca-sets/12345/activations".into(),
            vec![
                ("X-Test2", "second\t value   with  gaps  "),
                ("X-Extra", "not signed"),
                ("x-test1", "First    Value"),
            ],
            vec![],
        ),
        (our_creds(), "POST", "/mtls-edge-truststore/v2/certificates/validate".into(), vec![], vec![]),
    ];
    assert_eq!(raw.len(), GOLDEN.len());
    raw.into_iter()
        .zip(GOLDEN)
        .map(|((creds, method, path, headers, body), (name, signature))| Case {
            name,
            creds,
            method,
            path,
            headers,
            body,
            timestamp: TIMESTAMP,
            nonce: NONCE,
            expected: format!("{}{signature}", our_prefix()),
        })
        .collect()
}

// Akamai's shared test data (edgegrid-python 2.0.9, akamai/edgegrid/test/testdata.json).
const OFFICIAL_HOST: &str = "akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net";
const OFFICIAL_CLIENT_TOKEN: &str = "akab-client-token-xxx-xxxxxxxxxxxxxxxx";
const OFFICIAL_CLIENT_SECRET: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=";
const OFFICIAL_ACCESS_TOKEN: &str = "akab-access-token-xxx-xxxxxxxxxxxxxxxx";
const OFFICIAL_TIMESTAMP: &str = "20140321T19:34:21+0000";
const OFFICIAL_NONCE: &str = "nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

fn official_cases() -> Vec<Case> {
    let creds = Credentials {
        max_body: 2048,
        headers_to_sign: vec!["X-Test1".into(), "X-Test2".into(), "X-Test3".into()],
        ..Credentials::new(OFFICIAL_HOST, OFFICIAL_CLIENT_TOKEN, OFFICIAL_CLIENT_SECRET, OFFICIAL_ACCESS_TOKEN)
    };
    let prefix = format!(
        "EG1-HMAC-SHA256 client_token={OFFICIAL_CLIENT_TOKEN};access_token={OFFICIAL_ACCESS_TOKEN};\
         timestamp={OFFICIAL_TIMESTAMP};nonce={OFFICIAL_NONCE};"
    );
    let xs = |n: usize| b"d".repeat(n);
    type Raw = (&'static str, &'static str, &'static str, Headers, Vec<u8>, &'static str);
    #[rustfmt::skip]
    let raw: Vec<Raw> = vec![
        ("simple GET", "GET", "/", vec![], vec![],
            "signature=tL+y4hxyHxgWVD30X3pWnGKHcPzmrIF+LThiAOhMxYU="),
        ("GET with querystring", "GET", "/testapi/v1/t1?p1=1&p2=2", vec![], vec![],
            "signature=hKDH1UlnQySSHjvIcZpDMbQHihTQ0XyVAKZaApabdeA="),
        ("POST inside limit", "POST", "/testapi/v1/t3", vec![], b"datadatadatadatadatadatadatadata".to_vec(),
            "signature=hXm4iCxtpN22m4cbZb4lVLW5rhX8Ca82vCFqXzSTPe4="),
        ("POST too large", "POST", "/testapi/v1/t3", vec![], xs(2049),
            "signature=6Q6PiTipLae6n4GsSIDTCJ54bEbHUBp+4MUXrbQCBoY="),
        ("POST length equals max_body", "POST", "/testapi/v1/t3", vec![], xs(2048),
            "signature=6Q6PiTipLae6n4GsSIDTCJ54bEbHUBp+4MUXrbQCBoY="),
        ("POST empty body", "POST", "/testapi/v1/t6", vec![], vec![],
            "signature=1gEDxeQGD5GovIkJJGcBaKnZ+VaPtrc4qBUHixjsPCQ="),
        ("Simple header signing with GET", "GET", "/testapi/v1/t4", vec![("X-Test1", "test-simple-header")], vec![],
            "signature=8F9AybcRw+PLxnvT+H0JRkjROrrUgsxJTnRXMzqvcwY="),
        ("Header containing spaces", "GET", "/testapi/v1/t4", vec![("X-Test1", "\"     test-header-with-spaces     \"")], vec![],
            "signature=ucq2AbjCNtobHfCTuS38fdkl5UDdWHZhQX46fYR8CqI="),
        ("Headers out of order", "GET", "/testapi/v1/t4", vec![("X-Test2", "t2"), ("X-Test1", "t1"), ("X-Test3", "t3")], vec![],
            "signature=Wus73Nx8jOYM+kkBFF2q8D1EATRIMr0WLWwpLBgkBqY="),
        ("Extra header", "GET", "/testapi/v1/t5", vec![("X-Test2", "t2"), ("X-Test1", "t1"), ("X-Test3", "t3"), ("X-Extra", "this won't be included")], vec![],
            "signature=Knd/jc0A5Ghhizjayr0AUUvl2MZjBpS3FDSzvtq4Ixc="),
        ("PUT test", "PUT", "/testapi/v1/t6", vec![], b"PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP".to_vec(),
            "signature=GNBWEYSEWOLtu+7dD52da2C39aX/Jchpon3K/AmBqBU="),
        ("PATCH test", "PATCH", "/testapi/v1/t6", vec![], b"PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP".to_vec(),
            "signature=JIl05ImY1AOnMtmw+9LKgaFA8mnzsEKabbnHmI8LsQ4="),
        ("GET with query params", "GET", "/testapi/v1/configs/111?from=12345&limit=200000", vec![], vec![],
            "signature=XM+hsuSs6nuy/5eDRty1IjtVCAdr8xPFRAZ/b8RXDm8="),
        ("GET with query params and separator in path", "GET", "/testapi/v1/configs/111;222;333?from=12345&limit=200000", vec![], vec![],
            "signature=pmQF7Is2+O4r/mMojPR4yeF58BrempNNoBX5/DT0Fxs="),
    ];
    raw.into_iter()
        .map(|(name, method, path, headers, body, signature)| Case {
            name,
            creds: creds.clone(),
            method,
            path: path.into(),
            headers,
            body,
            timestamp: OFFICIAL_TIMESTAMP,
            nonce: OFFICIAL_NONCE,
            expected: format!("{prefix}{signature}"),
        })
        .collect()
}

fn check_all(cases: &[Case]) {
    let mut failures = Vec::new();
    for case in cases {
        let got = case.authorization();
        if got != case.expected {
            failures.push(format!("{}:\n  got      {got}\n  expected {}", case.name, case.expected));
        }
    }
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn golden_vectors_from_edgegrid_python() {
    check_all(&our_cases());
}

#[test]
fn akamai_official_vectors() {
    check_all(&official_cases());
}

#[test]
fn akamai_official_signing_key_and_content_hash() {
    // testdata.json: sign_key_test and content_hash_test (POST body "test_body").
    assert_eq!(edgegrid::signing_key(OFFICIAL_CLIENT_SECRET, OFFICIAL_TIMESTAMP), "znsRMDBRqTXGJ7Ojip3/h2FGPu3LuoMYWgv9PKEnE/o=");
    let creds = Credentials::new(OFFICIAL_HOST, OFFICIAL_CLIENT_TOKEN, OFFICIAL_CLIENT_SECRET, OFFICIAL_ACCESS_TOKEN);
    let req = Request { method: "POST", path_and_query: "/", headers: &[], body: b"test_body" };
    let data = data_to_sign(&creds, &req, OFFICIAL_TIMESTAMP, OFFICIAL_NONCE);
    assert_eq!(data.split('\t').nth(5), Some("REPGqEEubBHzJMhwqDZtbt515/ntEvAMNriNR53zcdY="));
}

#[test]
fn data_to_sign_layout() {
    let cases = our_cases();
    let post = &cases[2];
    let fields: Vec<String> = post.data_to_sign().split('\t').map(str::to_owned).collect();
    let body_hash = base64::engine::general_purpose::STANDARD.encode(sha256(&post.body));
    assert_eq!(fields, ["POST", "https", HOST, "/mtls-edge-truststore/v2/ca-sets", "", &body_hash, &our_prefix(),]);
    // GET: empty headers and hash fields, tabs kept.
    assert_eq!(
        cases[1].data_to_sign(),
        format!(
            "GET\thttps\t{HOST}\t/mtls-edge-truststore/v2/ca-sets/12345/versions?includeCertificates=true\
             &accountSwitchKey=1-5C0YLB%3A1-8BYUX\t\t\t{}",
            our_prefix()
        )
    );
    // headers_to_sign: lower-cased names, sorted, whitespace collapsed, case of values kept.
    let signed: Vec<String> = cases[6].data_to_sign().split('\t').map(str::to_owned).collect();
    assert_eq!(signed.len(), 8);
    assert_eq!(signed[4], "x-test1:First Value");
    assert_eq!(signed[5], "x-test2:second value with gaps");
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).to_vec()
}

#[test]
fn only_the_first_max_body_bytes_of_a_post_are_signed() {
    let creds = our_creds();
    let body = large_body();
    let sign = |body: &[u8]| {
        let req = Request { method: "POST", path_and_query: "/x", headers: &[], body };
        authorization_header(&creds, &req, TIMESTAMP, NONCE)
    };
    let base = sign(&body);
    let mut after = body.clone();
    after[DEFAULT_MAX_BODY] ^= 1;
    assert_eq!(sign(&after), base, "a byte past max_body is not covered");
    assert_eq!(sign(&body[..DEFAULT_MAX_BODY]), base);
    let mut within = body.clone();
    within[DEFAULT_MAX_BODY - 1] ^= 1;
    assert_ne!(sign(&within), base, "the last byte within max_body is covered");
}

#[test]
fn put_and_get_bodies_are_not_hashed_and_method_case_does_not_matter() {
    let creds = our_creds();
    let sign = |method: &str, body: &[u8]| {
        let req = Request { method, path_and_query: "/x", headers: &[], body };
        authorization_header(&creds, &req, TIMESTAMP, NONCE)
    };
    assert_eq!(sign("PUT", b"one"), sign("PUT", b"two"));
    assert_eq!(sign("GET", b"one"), sign("GET", b""));
    assert_eq!(sign("post", b"one"), sign("POST", b"one"));
    assert_ne!(sign("POST", b"one"), sign("POST", b"two"));
}

#[test]
fn headers_to_sign_order_and_case_do_not_matter() {
    let headers = [("X-B", "b"), ("x-a", "a")];
    let req = Request { method: "GET", path_and_query: "/x", headers: &headers, body: b"" };
    let with = |names: &[&str]| Credentials { headers_to_sign: names.iter().map(|s| s.to_string()).collect(), ..our_creds() };
    let sorted = data_to_sign(&with(&["x-a", "x-b"]), &req, TIMESTAMP, NONCE);
    assert_eq!(data_to_sign(&with(&["X-B", "X-A"]), &req, TIMESTAMP, NONCE), sorted);
    assert!(sorted.contains("\tx-a:a\tx-b:b\t"));
    // Named but absent: skipped.
    let absent = data_to_sign(&with(&["X-Missing"]), &req, TIMESTAMP, NONCE);
    assert!(absent.contains("\t/x\t\t\t"));
}

#[test]
fn host_with_scheme_or_trailing_slash_signs_like_the_bare_host() {
    let req = Request { method: "GET", path_and_query: "/x", headers: &[], body: b"" };
    let bare = authorization_header(&our_creds(), &req, TIMESTAMP, NONCE);
    for host in [format!("https://{HOST}/"), format!("{HOST}/")] {
        let creds = Credentials { host, ..our_creds() };
        assert_eq!(authorization_header(&creds, &req, TIMESTAMP, NONCE), bare);
    }
}

#[test]
fn account_switch_key() {
    assert_eq!(
        add_account_switch_key("/mtls-edge-truststore/v2/ca-sets", ACCOUNT_SWITCH_KEY),
        "/mtls-edge-truststore/v2/ca-sets?accountSwitchKey=1-5C0YLB%3A1-8BYUX"
    );
    assert_eq!(add_account_switch_key("/p?a=1", "K"), "/p?a=1&accountSwitchKey=K");
    assert_eq!(add_account_switch_key("/p?", "K"), "/p?accountSwitchKey=K");
    assert_eq!(add_account_switch_key("/p?a=1&", "K"), "/p?a=1&accountSwitchKey=K");
    assert_eq!(add_account_switch_key("/p?accountSwitchKey=OLD&a=1", "NEW"), "/p?a=1&accountSwitchKey=NEW");
    assert_eq!(add_account_switch_key("/p#frag", "K"), "/p?accountSwitchKey=K#frag");
    assert_eq!(add_account_switch_key("/p?a=1", ""), "/p?a=1");
    assert_eq!(add_account_switch_key("/p", "a b/c+d&e=f%g~h.i_j-k\u{e9}"), "/p?accountSwitchKey=a%20b%2Fc%2Bd%26e%3Df%25g~h.i_j-k%C3%A9");
}

#[test]
fn timestamp_formatting() {
    assert_eq!(edgegrid::timestamp(0), "19700101T00:00:00+0000");
    assert_eq!(edgegrid::timestamp(1_754_387_136), "20250805T09:45:36+0000");
    assert_eq!(edgegrid::timestamp(1_395_430_461), "20140321T19:34:21+0000");
    assert_eq!(edgegrid::timestamp(951_782_400), "20000229T00:00:00+0000"); // leap day
    assert_eq!(edgegrid::timestamp(-1), "19691231T23:59:59+0000");
    assert_eq!(edgegrid::timestamp(253_402_300_799), "99991231T23:59:59+0000");
    assert_eq!(edgegrid::timestamp(i64::MAX), "99991231T23:59:59+0000"); // clamped
    assert_eq!(edgegrid::timestamp(i64::MIN), "00000101T00:00:00+0000"); // clamped
}

#[test]
fn nonce_is_a_fresh_uuid_v4() {
    let a = edgegrid::new_nonce().expect("nonce");
    let b = edgegrid::new_nonce().expect("nonce");
    assert_ne!(a, b);
    let groups: Vec<&str> = a.split('-').collect();
    assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
    assert!(a.chars().all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
    assert!(groups[2].starts_with('4'));
    assert!(groups[3].starts_with(['8', '9', 'a', 'b']));
}

const EDGERC: &str = "\u{feff}; Akamai API credentials\r
# comment line\r
[other]\r
host = other.luna.akamaiapis.net\r
client_secret = OTHER-SECRET\r
\r
[default]   # the one we use\r
host   =   https://akab-gpeb7yvrl4d2mnwf-3xyqkt6hcjzo5s2u.luna.akamaiapis.net/\r
client_token=akab-fxw3q4khzcyuvn2d-7tmbopr6sjl5aeig\r
Client-Secret = Xq2mV9c0t7Lk3Rb8ZpW4nYs1HfGd6JeUoA5iQxTr+/E=   ; inline comment\r
access_token: akab-c2hq7a5lsypmzr4e-vwnj3k6ofdxtb8gi\r
max-body = 65536\r
headers_to_sign = X-Test1, x-test2 ,\r
account_key = 1-5C0YLB:1-8BYUX\r
\r
[tail]\r
host = tail.example\r
";

#[test]
fn edgerc_good_file() {
    let creds = Credentials::from_edgerc(EDGERC, "default").expect("parses");
    assert_eq!(creds.host, HOST);
    assert_eq!(creds.client_token, CLIENT_TOKEN);
    assert_eq!(creds.client_secret, CLIENT_SECRET);
    assert_eq!(creds.access_token, ACCESS_TOKEN);
    assert_eq!(creds.max_body, 65_536);
    assert_eq!(creds.headers_to_sign, ["X-Test1", "x-test2"]);

    // The same credentials sign like the golden vectors (GET: max_body does not matter).
    let cases = our_cases();
    let get = &cases[1];
    let from_file = Credentials { headers_to_sign: vec![], ..creds };
    assert_eq!(authorization_header(&from_file, &get.request(), TIMESTAMP, NONCE), get.expected);

    // Defaults, LF line ends, no trailing newline.
    let minimal = "[default]\nhost=h.example\nclient_token=ct\nclient_secret=cs\naccess_token=at";
    let creds = Credentials::from_edgerc(minimal, "default").expect("parses");
    assert_eq!(creds, Credentials::new("h.example", "ct", "cs", "at"));
    assert_eq!(creds.max_body, DEFAULT_MAX_BODY);
    assert!(creds.headers_to_sign.is_empty());
}

fn assert_no_secret(err: &EdgercError) {
    for text in [err.to_string(), format!("{err:?}")] {
        for secret in [CLIENT_SECRET, CLIENT_TOKEN, ACCESS_TOKEN, "OTHER-SECRET", "Xq2mV9c0"] {
            assert!(!text.contains(secret), "{text:?} leaks {secret:?}");
        }
    }
}

/// A `host` line that swallowed the next lines (lost or CR-only line breaks) holds the client
/// secret: the error shows at most the host token, never what follows it.
#[test]
fn invalid_host_error_shows_only_the_host_token() {
    let secret = "S3cr3tVal+ue/Zq9Lk2Mw8Np4Rt6Vx0Yb1Cd5Ef7Gh=";
    let base = format!("[default]\nclient_token = {CLIENT_TOKEN}\naccess_token = {ACCESS_TOKEN}\nclient_secret = {secret}\n");
    let cases = [
        // Line breaks lost after `host`: the secret follows on the same line.
        (format!("host = {HOST} client_secret = {secret} access_token = {ACCESS_TOKEN}"), true, "whitespace"),
        (format!("host = {HOST}\tclient_secret = {secret}"), true, "whitespace"),
        // Old Mac line endings: `lines()` keeps the CRs inside the line.
        (format!("host = {HOST}\rclient_secret = {secret}\raccess_token = {ACCESS_TOKEN}"), true, "whitespace"),
        (format!("host = {HOST}/?client_secret={secret}"), true, "a path (/)"),
        (format!("host = {HOST}?client_secret={secret}"), true, "a query (?)"),
        (format!("host = {HOST}#{secret}"), true, "a fragment (#)"),
        // User info may be a password: nothing before `@` is shown.
        (format!("host = admin:{}@{HOST}", secret.replace(['+', '/', '='], "")), false, "user info (@)"),
        // A token that does not look like a host name is not shown either.
        (format!("host = {secret} {HOST}"), false, "a path (/)"),
        (format!("host = {}x {HOST}", secret.replace('/', "")), false, "whitespace"),
        (format!("host = {}{} x", HOST, "a".repeat(200)), false, "whitespace"),
    ];
    for (line, shows_host, found) in cases {
        let text = format!("{base}{line}\n");
        let err = Credentials::from_edgerc(&text, "default").unwrap_err();
        let EdgercError::InvalidHost { found: f, host, .. } = &err else {
            panic!("{line:?}: {err:?}");
        };
        assert_eq!(*f, found, "{line:?}");
        assert_eq!(!host.is_empty(), shows_host, "{line:?}: {err}");
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(text.contains(found), "{text}");
            assert_eq!(text.contains(HOST), shows_host, "{text}");
            for run in secret.as_bytes().windows(6) {
                let run = std::str::from_utf8(run).unwrap();
                assert!(!text.contains(run), "{text:?} shows {run:?} of the secret");
            }
            assert!(!text.contains(ACCESS_TOKEN) && !text.contains("client_secret"), "{text}");
        }
    }
}

#[test]
fn edgerc_errors_name_section_and_key_but_never_secrets() {
    let err = Credentials::from_edgerc(EDGERC, "missing").unwrap_err();
    assert_eq!(err, EdgercError::SectionNotFound { section: "missing".into() });
    assert!(err.to_string().contains("[missing]"));
    assert_no_secret(&err);

    let err = Credentials::from_edgerc(EDGERC, "other").unwrap_err();
    assert_eq!(err, EdgercError::MissingKey { section: "other".into(), key: "client_token" });
    assert!(err.to_string().contains("client_token") && err.to_string().contains("[other]"));
    assert_no_secret(&err);

    for (key, line) in [
        ("host", "host = "),
        ("client_token", "client_token = \"\""),
        ("client_secret", "# client_secret = commented out"),
        ("access_token", "access_token ="),
    ] {
        let text: String = EDGERC
            .lines()
            .map(|l| {
                let name = l.split(['=', ':']).next().unwrap_or("").trim().to_ascii_lowercase().replace('-', "_");
                if name == key {
                    line.to_owned()
                } else {
                    l.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let err = Credentials::from_edgerc(&text, "default").unwrap_err();
        assert_eq!(err, EdgercError::MissingKey { section: "default".into(), key }, "{key}");
        assert!(err.to_string().contains(&format!("`{key}`")), "{err}");
        assert_no_secret(&err);
    }

    let twice = format!("{EDGERC}[default]\nhost = x\n");
    let err = Credentials::from_edgerc(&twice, "default").unwrap_err();
    assert_eq!(err, EdgercError::DuplicateSection { section: "default".into() });

    let dup = EDGERC.replace("account_key", "client_secret");
    let err = Credentials::from_edgerc(&dup, "default").unwrap_err();
    assert_eq!(err, EdgercError::DuplicateKey { section: "default".into(), key: "client_secret", line: 14 });
    assert_no_secret(&err);

    for bad in ["0", "-1", "lots", "1.5"] {
        let text = EDGERC.replace("max-body = 65536", &format!("max_body = {bad}"));
        let err = Credentials::from_edgerc(&text, "default").unwrap_err();
        assert_eq!(err, EdgercError::InvalidMaxBody { section: "default".into() }, "{bad}");
    }

    let text = EDGERC.replace("luna.akamaiapis.net/\r", "luna.akamaiapis.net/api\r");
    let err = Credentials::from_edgerc(&text, "default").unwrap_err();
    assert!(matches!(err, EdgercError::InvalidHost { .. }), "{err:?}");

    // A stray secret on a line of its own: the error gives the line number, not the text.
    let text = EDGERC.replace("account_key = 1-5C0YLB:1-8BYUX", "Xq2mV9c0t7Lk3Rb8ZpW4nYs1HfGd6JeUoA5iQxTr+/E");
    let err = Credentials::from_edgerc(&text, "default").unwrap_err();
    assert_eq!(err, EdgercError::MalformedLine { line: 14 });
    assert_no_secret(&err);
    let err = Credentials::from_edgerc("host = outside.example\n[default]\n", "default").unwrap_err();
    assert_eq!(err, EdgercError::MalformedLine { line: 1 });
    let err = Credentials::from_edgerc("[default\n", "default").unwrap_err();
    assert_eq!(err, EdgercError::MalformedLine { line: 1 });
}

#[test]
fn debug_redacts_tokens_and_secret() {
    let creds = Credentials::from_edgerc(EDGERC, "default").expect("parses");
    for text in [format!("{creds:?}"), format!("{creds:#?}")] {
        for secret in [CLIENT_SECRET, CLIENT_TOKEN, ACCESS_TOKEN] {
            assert!(!text.contains(secret), "{text} leaks {secret}");
        }
        assert!(text.contains(HOST) && text.contains("65536") && text.contains("redacted"), "{text}");
    }
}

// ---- live comparison with edgegrid-python ----

fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn case_json(case: &Case) -> String {
    let list = |items: Vec<String>| format!("[{}]", items.join(","));
    let c = &case.creds;
    format!(
        r#"{{"name":{},"host":{},"client_token":{},"client_secret":{},"access_token":{},"max_body":{},"headers_to_sign":{},"method":{},"path_and_query":{},"headers":{},"body_b64":{},"timestamp":{},"nonce":{}}}"#,
        json_string(case.name),
        json_string(&c.host),
        json_string(&c.client_token),
        json_string(&c.client_secret),
        json_string(&c.access_token),
        c.max_body,
        list(c.headers_to_sign.iter().map(|h| json_string(h)).collect()),
        json_string(case.method),
        json_string(&case.path),
        list(case.headers.iter().map(|(n, v)| format!("[{},{}]", json_string(n), json_string(v))).collect()),
        json_string(&base64::engine::general_purpose::STANDARD.encode(&case.body)),
        json_string(case.timestamp),
        json_string(case.nonce),
    )
}

#[test]
fn edgegrid_python_agrees_live() {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let required = std::env::var("CERTWRIGHT_REQUIRE_EDGEGRID_PYTHON").is_ok_and(|v| v == "1");
    let available = Command::new(&python)
        .args(["-c", "import akamai.edgegrid, requests"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        assert!(!required, "CERTWRIGHT_REQUIRE_EDGEGRID_PYTHON=1 but `{python} -c \"import akamai.edgegrid\"` fails");
        notice(&format!(
            "NOTICE edgegrid: `{python} -c \"import akamai.edgegrid\"` fails, so the live \
             comparison with edgegrid-python is skipped (the golden values still cover it; \
             `python3 -m pip install edgegrid-python` to run it)"
        ));
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/edgegrid_reference.py");
    let version = Command::new(&python).args([script, "--version"]).output().expect("run script");
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();

    let cases: Vec<Case> = our_cases().into_iter().chain(official_cases()).collect();
    let input = format!("[{}]", cases.iter().map(case_json).collect::<Vec<_>>().join(",\n"));
    let mut child = Command::new(&python)
        .args([script, "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn edgegrid_reference.py");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write cases");
    let out = child.wait_with_output().expect("edgegrid_reference.py");
    assert!(out.status.success(), "edgegrid_reference.py failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), cases.len(), "one line per case:\n{stdout}");

    let mut failures = Vec::new();
    let mut golden = Vec::new();
    for (case, line) in cases.iter().zip(&lines) {
        let (python_auth, data_b64) = line.split_once('\t').expect("header<TAB>base64(dataToSign)");
        let python_data = base64::engine::general_purpose::STANDARD.decode(data_b64).expect("base64");
        let python_data = String::from_utf8(python_data).expect("UTF-8 dataToSign");
        let signature = python_auth.rsplit(';').next().unwrap_or("");
        golden.push(format!("    ({:?}, {:?}),", case.name, signature));
        let ours = case.authorization();
        if python_auth != ours {
            failures.push(format!("{}: Authorization\n  python {python_auth}\n  rust   {ours}", case.name));
        }
        let our_data = case.data_to_sign();
        if python_data != our_data {
            failures.push(format!("{}: dataToSign\n  python {python_data:?}\n  rust   {our_data:?}", case.name));
        }
        if python_auth != case.expected {
            failures.push(format!("{}: golden value differs from python {python_auth}", case.name));
        }
    }
    if !failures.is_empty() {
        notice(&format!("edgegrid-python {version} signatures (GOLDEN format):\n{}", golden.join("\n")));
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    notice(&format!("edgegrid: {} cases agree with edgegrid-python {version}", cases.len()));
}
