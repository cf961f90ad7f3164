//! End-to-end tests of the relay, on loopback only: a raw TCP "upstream" records the exact bytes
//! it receives and answers with canned bytes, and the relay routes `upstream.test` to it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use certwright_relay::{start, Config, HostPattern, Running};

const TIMEOUT: Duration = Duration::from_secs(20);

/// A one-response-per-connection HTTP server that records every raw request.
struct Upstream {
    port: u16,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Upstream {
    fn start(response: &[u8]) -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        let response = response.to_vec();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                stream.set_read_timeout(Some(TIMEOUT)).unwrap();
                let raw = read_request(&mut stream);
                recorded.lock().unwrap().push(raw);
                let _ = stream.write_all(&response);
                let _ = stream.flush();
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        });
        Upstream { port, requests }
    }

    fn requests(&self) -> Vec<Vec<u8>> {
        self.requests.lock().unwrap().clone()
    }
}

/// Reads one request: the head, then `Content-Length` bytes of body.
fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if raw.first().is_some_and(|b: &u8| !b.is_ascii_uppercase()) {
            return raw; // not HTTP (a TLS handshake): answer what came
        }
        if let Some(end) = find(&raw, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let length =
                head.lines().find_map(|l| l.strip_prefix("content-length:")).map(|v| v.trim().parse::<usize>().unwrap()).unwrap_or(0);
            if raw.len() >= end + 4 + length {
                return raw;
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return raw,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A parsed HTTP message: first line, headers in order, body.
#[derive(Debug)]
struct Message {
    first_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Message {
    fn parse(raw: &[u8]) -> Message {
        let end = find(raw, b"\r\n\r\n").expect("a complete head");
        let head = std::str::from_utf8(&raw[..end]).unwrap();
        let mut lines = head.split("\r\n");
        let first_line = lines.next().unwrap().to_string();
        let headers = lines
            .map(|l| {
                let (name, value) = l.split_once(':').unwrap();
                (name.to_string(), value.trim().to_string())
            })
            .collect();
        Message { first_line, headers, body: raw[end + 4..].to_vec() }
    }

    fn status(&self) -> u16 {
        self.first_line.split(' ').nth(1).unwrap().parse().unwrap()
    }

    /// All values of a header (names compare case-insensitively).
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }

    fn header(&self, name: &str) -> Option<&str> {
        let all = self.all(name);
        assert!(all.len() <= 1, "{name} appears {} times", all.len());
        all.first().copied()
    }

    fn has(&self, name: &str) -> bool {
        !self.all(name).is_empty()
    }

    fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }
}

/// Sends raw bytes to the relay and reads one response (by its Content-Length, so a server that
/// keeps the connection open does not block the test). `head`: the request was HEAD.
fn exchange(addr: SocketAddr, request: &[u8], head: bool) -> Message {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(request).unwrap();
    let mut reader = BufReader::new(stream);
    let mut raw = Vec::new();
    loop {
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).unwrap();
        assert!(!line.is_empty(), "connection closed before the response head ended: {raw:?}");
        raw.extend_from_slice(&line);
        if line == b"\r\n" {
            break;
        }
    }
    let mut message = Message::parse(&raw);
    assert_eq!(message.header("Transfer-Encoding"), None, "the relay should send Content-Length");
    let length: usize = message.header("Content-Length").map_or(0, |v| v.parse().unwrap());
    if !head {
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        message.body = body;
    }
    message
}

/// A GET as the app sends it: with `X-Certwright-Relay: 1`.
fn get(addr: SocketAddr, target: &str, extra_headers: &str) -> Message {
    let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nX-Certwright-Relay: 1\r\n{extra_headers}Connection: close\r\n\r\n");
    exchange(addr, request.as_bytes(), false)
}

type Log = Arc<Mutex<Vec<String>>>;

/// Starts a relay with `args` plus `--listen 127.0.0.1:0`, capturing its log.
fn relay(args: &[String]) -> (Running, Log) {
    let mut all = vec!["--listen".to_string(), "127.0.0.1:0".to_string()];
    all.extend_from_slice(args);
    let mut config = Config::from_args(all.into_iter()).unwrap();
    let log: Log = Arc::default();
    let sink = log.clone();
    config.log = Some(Arc::new(move |line: &str| sink.lock().unwrap().push(line.to_string())));
    (start(config).unwrap(), log)
}

fn routed_relay(upstream_port: u16) -> (Running, Log) {
    relay(&["--allow".into(), "*.luna.akamaiapis.net".into(), "--route".into(), format!("upstream.test=http://127.0.0.1:{upstream_port}")])
}

fn problem_type(message: &Message) -> String {
    assert_eq!(message.header("Content-Type"), Some("application/problem+json"));
    let body = message.body_text();
    let start = body.find("\"type\":\"").expect("a type") + 8;
    body[start..start + body[start..].find('"').unwrap()].to_string()
}

const PATH: &str = "/mtls-edge-truststore/v2/ca-sets/12%3A3/versions";
const QUERY: &str = "b=2&a=1+x%2Fy";
const AUTHORIZATION: &str = "EG1-HMAC-SHA256 client_token=akab-client-token-xxx;access_token=akab-access-token-xxx;\
timestamp=20240102T03:04:05+0000;nonce=6b1a8c1e-0000-4000-8000-000000000001;signature=Zm9v+YmFy/YmF6PQ==";
/// A body that is not UTF-8 and contains CR LF, NUL and a fake header end.
const BODY: &[u8] = b"{\"certificates\":[\"\xff\xfe\x00\x01\r\n\r\nX: y\"]}\x80";

#[test]
fn request_is_forwarded_byte_for_byte() {
    let upstream = Upstream::start(
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{\"id\":\"12\"}\n",
    );
    let (relay, log) = routed_relay(upstream.port);
    let addr = relay.addr();

    let mut request = format!(
        "POST /relay/upstream.test{PATH}?{QUERY} HTTP/1.1\r\n\
         Host: {addr}\r\n\
         Authorization: {AUTHORIZATION}\r\n\
         Content-Type: application/json; charset=utf-8\r\n\
         Accept: application/problem+json, application/json\r\n\
         X-Custom-Header: Kept As Is\r\n\
         Cookie: session=do-not-forward\r\n\
         Origin: http://{addr}\r\n\
         Referer: http://{addr}/sets/12\r\n\
         Sec-Fetch-Site: same-origin\r\n\
         X-Certwright-Relay: 1\r\n\
         Sec-Fetch-Mode: cors\r\n\
         Sec-Fetch-Dest: empty\r\n\
         Sec-Ch-Ua: \"Chromium\"\r\n\
         Connection: close\r\n\
         Content-Length: {}\r\n\r\n",
        BODY.len()
    )
    .into_bytes();
    request.extend_from_slice(BODY);
    let response = exchange(addr, &request, false);
    assert_eq!(response.status(), 201, "{:?}", String::from_utf8_lossy(&response.body));
    assert_eq!(response.body, b"{\"id\":\"12\"}\n");

    let received = upstream.requests();
    assert_eq!(received.len(), 1);
    let got = Message::parse(&received[0]);
    assert_eq!(got.first_line, format!("POST {PATH}?{QUERY} HTTP/1.1"));
    assert_eq!(got.body, BODY, "body bytes changed");
    assert_eq!(got.header("Host"), Some("upstream.test"));
    assert_eq!(got.header("Authorization"), Some(AUTHORIZATION));
    assert_eq!(got.header("Content-Type"), Some("application/json; charset=utf-8"));
    assert_eq!(got.header("Accept"), Some("application/problem+json, application/json"));
    assert_eq!(got.header("X-Custom-Header"), Some("Kept As Is"));
    assert_eq!(got.header("Content-Length"), Some(BODY.len().to_string().as_str()));
    for absent in [
        "Cookie",
        "Origin",
        "Referer",
        "Sec-Fetch-Site",
        "Sec-Fetch-Mode",
        "Sec-Fetch-Dest",
        "Sec-Ch-Ua",
        "X-Certwright-Relay",
        "Connection",
        "Transfer-Encoding",
        "User-Agent",
        "Accept-Encoding",
    ] {
        assert!(!got.has(absent), "{absent} should not reach upstream: {got:?}");
    }

    // The log names method, host and path, and nothing secret.
    let lines = log.lock().unwrap().clone();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0];
    assert!(line.starts_with(&format!("relay POST upstream.test{PATH} -> 201 ")), "{line}");
    assert!(line.ends_with("ms"), "{line}");
    for secret in ["akab-client-token", "akab-access-token", "signature", "EG1", "certificates", "b=2", "?", "do-not-forward"] {
        assert!(!line.contains(secret), "log line {line:?} leaks {secret:?}");
    }
}

#[test]
fn get_without_body_and_query_arrives_without_body_headers() {
    let upstream = Upstream::start(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]");
    let (relay, _log) = routed_relay(upstream.port);
    let response = get(relay.addr(), "/relay/upstream.test", "Accept-Encoding: gzip, br\r\n");
    assert_eq!(response.status(), 200);
    assert_eq!(response.body, b"[]");
    let got = Message::parse(&upstream.requests()[0]);
    assert_eq!(got.first_line, "GET / HTTP/1.1");
    assert!(!got.has("Content-Length") && !got.has("Transfer-Encoding"), "{got:?}");
    // Compression is the browser's business: asked for as it asked, and not undone.
    assert_eq!(got.header("Accept-Encoding"), Some("gzip, br"));
}

#[test]
fn unusual_but_legal_characters_pass_through() {
    let upstream = Upstream::start(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let (relay, _log) = routed_relay(upstream.port);
    // What a browser may leave unescaped (WHATWG URL path and query states), and escapes kept.
    let target = "/a|b^c'd[e]{f}\"!$&()*,;=:@~%20%2F%3a//x.y/?q=a|b^c'd[e]{f}`/?:@!$'()*,;~%2B+&&=&z";
    let response = get(relay.addr(), &format!("/relay/upstream.test{target}"), "");
    assert_eq!(response.status(), 200);
    let got = Message::parse(&upstream.requests()[0]);
    assert_eq!(got.first_line, format!("GET {target} HTTP/1.1"));
}

#[test]
fn head_keeps_the_upstream_content_length() {
    let upstream = Upstream::start(b"HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n");
    let (relay, _log) = routed_relay(upstream.port);
    let addr = relay.addr();
    let request = format!("HEAD /relay/upstream.test/x HTTP/1.1\r\nHost: {addr}\r\nX-Certwright-Relay: 1\r\nConnection: close\r\n\r\n");
    let response = exchange(addr, request.as_bytes(), true);
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("Content-Length"), Some("1234"));
    assert_eq!(response.header("ETag"), Some("\"v1\""));
    assert_eq!(Message::parse(&upstream.requests()[0]).first_line, "HEAD /x HTTP/1.1");
}

#[test]
fn upstream_responses_come_back_unchanged() {
    // 422 with a problem document and a cookie.
    let problem = b"{\"type\":\"about:blank\",\"title\":\"Unprocessable\",\"detail\":\"bad \\u00e9\"}";
    let mut canned = format!(
        "HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: application/problem+json\r\nX-Trace-Id: 0af7651916cd43dd\r\n\
         Set-Cookie: tracking=1; Path=/\r\nWWW-Authenticate: EG1-HMAC-SHA256\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        problem.len()
    )
    .into_bytes();
    canned.extend_from_slice(problem);
    let upstream = Upstream::start(&canned);
    let (relay, _log) = routed_relay(upstream.port);
    let response = get(relay.addr(), &format!("/relay/upstream.test{PATH}?{QUERY}"), "");
    assert_eq!(response.status(), 422);
    assert_eq!(response.body, problem);
    assert_eq!(response.header("Content-Type"), Some("application/problem+json"));
    assert_eq!(response.header("X-Trace-Id"), Some("0af7651916cd43dd"));
    assert_eq!(response.header("Cache-Control"), Some("no-store"));
    // Off the response-header allowlist.
    assert!(!response.has("Set-Cookie"), "{response:?}");
    assert!(!response.has("WWW-Authenticate"), "{response:?}");

    // 429 with rate-limit headers and a chunked, non-UTF-8 body.
    let canned = b"HTTP/1.1 429 Too Many Requests\r\nX-RateLimit-Limit: 100\r\nX-RateLimit-Remaining: 0\r\n\
        X-RateLimit-Next: 2024-01-02T03:04:05Z\r\nRetry-After: 7\r\nContent-Type: application/octet-stream\r\n\
        Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\n\xff\x00\x80\r\n2\r\nok\r\n0\r\n\r\n";
    let upstream = Upstream::start(canned);
    let (relay, _log) = routed_relay(upstream.port);
    let response = get(relay.addr(), "/relay/upstream.test/x", "");
    assert_eq!(response.status(), 429);
    assert_eq!(response.body, b"\xff\x00\x80ok");
    assert_eq!(response.header("X-RateLimit-Limit"), Some("100"));
    assert_eq!(response.header("X-RateLimit-Remaining"), Some("0"));
    assert_eq!(response.header("X-RateLimit-Next"), Some("2024-01-02T03:04:05Z"));
    assert_eq!(response.header("Retry-After"), Some("7"));
    assert_eq!(response.header("Content-Length"), Some("5"));

    // Redirects are returned, not followed.
    let upstream =
        Upstream::start(b"HTTP/1.1 302 Found\r\nLocation: https://elsewhere.test/login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let (relay, _log) = routed_relay(upstream.port);
    let response = get(relay.addr(), "/relay/upstream.test/x", "");
    assert_eq!(response.status(), 302);
    assert_eq!(response.header("Location"), Some("https://elsewhere.test/login"));
    assert_eq!(upstream.requests().len(), 1);
}

#[test]
fn hosts_off_the_allowlist_are_refused() {
    let upstream = Upstream::start(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    let (relay, log) = routed_relay(upstream.port);
    let response = get(relay.addr(), "/relay/evil.com/steal?key=secret", "");
    assert_eq!(response.status(), 403);
    assert_eq!(response.header("Content-Type"), Some("application/problem+json"));
    assert_eq!(
        response.body_text(),
        "{\"type\":\"/certwright/relay/host-not-allowed\",\"title\":\"The relay does not forward to this host.\",\
         \"status\":403,\"detail\":\"evil.com is not on the relay's allowlist; start the relay with --allow evil.com to permit it.\"}"
    );
    for target in [
        "/relay/luna.akamaiapis.net.evil.com/x",
        "/relay/luna.akamaiapis.net/x",
        "/relay/upstream.test:8443/x",
        "/relay/upstream.test.evil.com/x",
    ] {
        let response = get(relay.addr(), target, "");
        assert_eq!(response.status(), 403, "{target}");
        assert_eq!(problem_type(&response), "/certwright/relay/host-not-allowed", "{target}");
    }
    for target in ["/relay//x", "/relay/user@upstream.test/x", "/relay/upstream%2etest/x"] {
        let response = get(relay.addr(), target, "");
        assert_eq!(response.status(), 400, "{target}");
        assert_eq!(problem_type(&response), "/certwright/relay/bad-target", "{target}");
    }
    assert!(upstream.requests().is_empty(), "upstream was contacted");
    let lines = log.lock().unwrap().clone();
    assert!(lines[0].starts_with("relay GET evil.com/steal -> 403 "), "{lines:?}");
    assert!(lines.iter().all(|l| !l.contains("secret")), "{lines:?}");
}

#[test]
fn allowlist_patterns() {
    let p = HostPattern::parse("*.luna.akamaiapis.net").unwrap();
    assert!(p.matches_str("akab-x.luna.akamaiapis.net"));
    assert!(p.matches_str("akab-x.luna.akamaiapis.net:443"));
    assert!(!p.matches_str("luna.akamaiapis.net"));
    assert!(!p.matches_str("luna.akamaiapis.net.evil.com"));
    assert!(!p.matches_str("evil.com"));
    let p = HostPattern::parse("api.mattr.global").unwrap();
    assert!(p.matches_str("API.MATTR.GLOBAL"));
    assert!(!p.matches_str("x.api.mattr.global"));
}

#[test]
fn cross_site_requests_are_refused() {
    let upstream = Upstream::start(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let (relay, _log) = routed_relay(upstream.port);
    let addr = relay.addr();
    let other_port = addr.port().wrapping_add(1);
    let cases = [
        format!("Host: {addr}\r\nSec-Fetch-Site: cross-site\r\n"),
        format!("Host: {addr}\r\nSec-Fetch-Site: same-site\r\n"),
        format!("Host: {addr}\r\nOrigin: https://evil.example\r\n"),
        format!("Host: {addr}\r\nOrigin: http://127.0.0.1:{other_port}\r\n"),
        format!("Host: {addr}\r\nOrigin: null\r\n"),
        format!("Host: {addr}\r\nReferer: https://evil.example/page\r\n"),
        // DNS rebinding: a hostile name resolving to 127.0.0.1 is "same origin" with itself.
        format!("Host: rebind.evil.example:{}\r\nOrigin: http://rebind.evil.example:{}\r\n", addr.port(), addr.port()),
        String::new(),
        // Nothing that proves the caller is the relay's own page (an <img>, a form, curl).
        format!("Host: {addr}\r\n"),
        format!("Host: {addr}\r\nSec-Fetch-Site: none\r\n"),
        format!("Host: {addr}\r\nOrigin: http://{addr}\r\nReferer: http://{addr}/sets\r\n"),
        format!("Host: {addr}\r\nX-Certwright-Relay: 0\r\n"),
        // The relay header does not excuse a foreign site.
        format!("Host: {addr}\r\nX-Certwright-Relay: 1\r\nSec-Fetch-Site: cross-site\r\n"),
        format!("Host: {addr}\r\nX-Certwright-Relay: 1\r\nOrigin: https://evil.example\r\n"),
    ];
    for headers in &cases {
        for target in ["/relay/upstream.test/x", "/relay/"] {
            let request = format!("POST {target} HTTP/1.1\r\n{headers}Content-Length: 2\r\nConnection: close\r\n\r\n{{}}");
            let response = exchange(addr, request.as_bytes(), false);
            assert_eq!(response.status(), 403, "{headers:?} {target}");
            assert_eq!(problem_type(&response), "/certwright/relay/cross-origin", "{headers:?}");
        }
    }
    assert!(upstream.requests().is_empty(), "upstream was contacted");

    // The same-origin forms pass: the browser's Sec-Fetch-Site, or the app's header where the
    // browser sends none (plain-HTTP origins).
    let request = format!("GET /relay/upstream.test/x HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nSec-Fetch-Site: same-origin\r\nConnection: close\r\n\r\n");
    assert_eq!(exchange(addr, request.as_bytes(), false).status(), 200);
    let request = format!("GET /relay/upstream.test/y HTTP/1.1\r\nHost: localhost:{}\r\nOrigin: http://localhost:{}\r\nX-Certwright-Relay: 1\r\nConnection: close\r\n\r\n", addr.port(), addr.port());
    assert_eq!(exchange(addr, request.as_bytes(), false).status(), 200);
    assert_eq!(upstream.requests().len(), 2);
}

#[test]
fn unreachable_upstream_is_a_502_naming_the_host() {
    let closed_port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (relay, log) = relay(&["--route".into(), format!("down.test=http://127.0.0.1:{closed_port}")]);
    let response = get(relay.addr(), "/relay/down.test/v1/things?token=secret", "Authorization: Bearer hidden\r\n");
    assert_eq!(response.status(), 502);
    assert_eq!(problem_type(&response), "/certwright/relay/upstream-unreachable");
    let body = response.body_text();
    assert!(body.contains("down.test"), "{body}");
    for secret in ["secret", "hidden", "Bearer", "127.0.0.1"] {
        assert!(!body.contains(secret), "{body} leaks {secret}");
    }
    let lines = log.lock().unwrap().clone();
    assert!(lines[0].starts_with("relay GET down.test/v1/things -> 502 "), "{lines:?}");
}

#[test]
fn allowed_hosts_are_reached_over_https() {
    // The recorder speaks plain HTTP, so the TLS handshake the relay starts must fail: proof that
    // an allowed (not routed) authority is contacted as https://{authority}.
    let upstream = Upstream::start(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let authority = format!("127.0.0.1:{}", upstream.port);
    let (relay, _log) = relay(&["--allow".into(), authority.clone()]);
    let response = get(relay.addr(), &format!("/relay/{authority}/x?y=1"), "");
    assert_eq!(response.status(), 502);
    assert_eq!(problem_type(&response), "/certwright/relay/upstream-unreachable");
    let body = response.body_text();
    assert!(body.contains(&format!("Could not reach {authority}: TLS")), "{body}");
    let received = upstream.requests();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].first(), Some(&0x16), "expected a TLS handshake record");
}

#[test]
fn request_bodies_over_16_mib_are_refused() {
    let upstream = Upstream::start(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let (relay, _log) = routed_relay(upstream.port);
    let addr = relay.addr();
    let request = format!(
        "PUT /relay/upstream.test/x HTTP/1.1\r\nHost: {addr}\r\nX-Certwright-Relay: 1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        16 * 1024 * 1024 + 1
    );
    let response = exchange(addr, request.as_bytes(), false);
    assert_eq!(response.status(), 413);
    assert_eq!(problem_type(&response), "/certwright/relay/request-too-large");
    assert!(upstream.requests().is_empty());
}

static DIRS: AtomicUsize = AtomicUsize::new(0);

/// A fresh directory `.../site/dist` with a secret file beside `dist`.
fn site() -> PathBuf {
    let root = std::env::temp_dir().join(format!("certwright-relay-test-{}-{}", std::process::id(), DIRS.fetch_add(1, Ordering::SeqCst)));
    let dist = root.join("dist");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(root.join("Cargo.toml"), "secret outside dist").unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>certwright</title>").unwrap();
    std::fs::write(dist.join("certwright-1a2b_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dist.join("certwright-1a2b.js"), "export default 1;").unwrap();
    // A precompressed twin (the relay sends it as is; its bytes need not be real gzip here).
    std::fs::write(dist.join("certwright-1a2b.js.gz"), "GZ-TWIN").unwrap();
    std::fs::write(dist.join("assets/style.css"), "body{}").unwrap();
    dist
}

#[test]
fn static_files_and_spa_fallback() {
    let dist = site();
    let (relay, log) = relay(&["--dist".into(), dist.display().to_string()]);
    let addr = relay.addr();

    let index = get(addr, "/", "");
    assert_eq!(index.status(), 200);
    assert_eq!(index.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert_eq!(index.header("Cache-Control"), Some("no-cache"));
    assert_eq!(index.body_text(), "<!doctype html><title>certwright</title>");

    let wasm = get(addr, "/certwright-1a2b_bg.wasm", "");
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.header("Content-Type"), Some("application/wasm"));
    assert_eq!(wasm.body, b"\0asm\x01\0\0\0");

    let js = get(addr, "/certwright-1a2b.js?v=1", "");
    assert_eq!(js.header("Content-Type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(js.header("Content-Encoding"), None);
    assert_eq!(js.header("Vary"), Some("accept-encoding"));
    assert_eq!(js.body_text(), "export default 1;");
    // A client that takes gzip gets the precompressed twin, typed as the original.
    let gz = get(addr, "/certwright-1a2b.js", "Accept-Encoding: br, gzip\r\n");
    assert_eq!(gz.status(), 200);
    assert_eq!(gz.header("Content-Encoding"), Some("gzip"));
    assert_eq!(gz.header("Content-Type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(gz.header("Vary"), Some("accept-encoding"));
    assert_eq!(gz.body_text(), "GZ-TWIN");
    for refused in ["gzip;q=0", "identity", "br"] {
        let plain = get(addr, "/certwright-1a2b.js", &format!("Accept-Encoding: {refused}\r\n"));
        assert_eq!(plain.body_text(), "export default 1;", "{refused}");
        assert_eq!(plain.header("Content-Encoding"), None, "{refused}");
    }
    // Without a twin, gzip-accepting clients get the file as it is.
    let wasm_gz = get(addr, "/certwright-1a2b_bg.wasm", "Accept-Encoding: gzip\r\n");
    assert_eq!(wasm_gz.header("Content-Encoding"), None);
    assert_eq!(wasm_gz.body, b"\0asm\x01\0\0\0");
    let css = get(addr, "/assets/style.css", "");
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));

    for route in ["/sets/12", "/keys", "/index.html"] {
        let page = get(addr, route, "");
        assert_eq!(page.status(), 200, "{route}");
        assert_eq!(page.body, index.body, "{route}");
    }

    for missing in [
        "/missing.js",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2e%2e/x",
        "/assets/..%2f..%2fCargo.toml",
        "/..\\Cargo.toml",
        "/assets/../../Cargo.toml",
    ] {
        let response = get(addr, missing, "");
        assert_eq!(response.status(), 404, "{missing}");
        assert!(!response.body_text().contains("secret"), "{missing}");
    }

    let request = format!("HEAD /certwright-1a2b_bg.wasm HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let head = exchange(addr, request.as_bytes(), true);
    assert_eq!(head.status(), 200);
    assert_eq!(head.header("Content-Length"), Some("8"));

    let request = format!("POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assert_eq!(exchange(addr, request.as_bytes(), false).status(), 405);

    assert!(log.lock().unwrap().is_empty(), "static files are not logged");
    let _ = std::fs::remove_dir_all(dist.parent().unwrap());
}

#[test]
fn without_dist_only_the_relay_is_served() {
    let (relay, _log) = relay(&[]);
    assert_eq!(get(relay.addr(), "/", "").status(), 404);
    assert_eq!(get(relay.addr(), "/index.html", "").status(), 404);
}

#[test]
fn relay_root_lists_allowed_hosts() {
    let upstream = Upstream::start(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    let (relay, _log) = routed_relay(upstream.port);
    for target in ["/relay/", "/relay"] {
        let response = get(relay.addr(), target, "");
        assert_eq!(response.status(), 200);
        assert_eq!(response.header("Content-Type"), Some("application/json"));
        assert_eq!(response.body_text(), "{\"allow\":[\"*.luna.akamaiapis.net\"],\"routes\":[\"upstream.test\"]}");
        assert!(!response.body_text().contains(&upstream.port.to_string()));
    }
    assert_eq!(
        relay.banner(),
        format!("certwright: serving http://{}/ (relay allows: *.luna.akamaiapis.net, upstream.test (routed))", relay.addr())
    );
    relay.stop();
}

#[test]
fn stop_releases_the_port() {
    let (relay, _log) = relay(&[]);
    let addr = relay.addr();
    relay.stop();
    // Give the accept thread a moment to close the socket.
    for _ in 0..50 {
        if TcpListener::bind(addr).is_ok() {
            return;
        }
        thread::sleep(Duration::from_millis(100));
    }
    panic!("{addr} still bound after stop");
}

#[test]
fn binary_prints_one_line_and_rejects_bad_arguments() {
    let exe = env!("CARGO_BIN_EXE_certwright-relay");
    let mut child = Command::new(exe)
        .args(["--listen", "127.0.0.1:0", "--quiet"])
        .env("CERTWRIGHT_RELAY_ALLOW", "*.luna.akamaiapis.net, api.example.com")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let line = line.trim_end();
    assert!(line.starts_with("certwright: serving http://127.0.0.1:"), "{line}");
    assert!(line.ends_with("/ (relay allows: *.luna.akamaiapis.net, api.example.com)"), "{line}");

    let output = Command::new(exe).args(["--listen", "127.0.0.1:0", "--allow", "*"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid host pattern"), "{stderr}");

    let output = Command::new(exe).arg("--bogus").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--bogus"));

    let output = Command::new(exe).arg("--help").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("usage: certwright-relay"));

    let output = Command::new(exe).args(["--listen", "127.0.0.1:0"]).env("CERTWRIGHT_RELAY_ALLOW", "bad pattern").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}
