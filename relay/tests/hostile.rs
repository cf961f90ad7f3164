//! The relay against hostile clients and a hostile upstream, on loopback only. Every test is
//! bounded in time (socket timeouts and deadlines, so a hang fails instead of blocking) and ends
//! by checking that the relay still runs and still relays a normal request.
//!
//! The tests run one at a time (a lock), because one of them lowers the process's file
//! descriptor limit.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use certwright_relay::{start, Config, Running};

const TIMEOUT: Duration = Duration::from_secs(20);

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// A one-response-per-connection upstream that counts the requests it gets.
struct Upstream {
    port: u16,
    count: Arc<AtomicUsize>,
}

impl Upstream {
    fn start(response: &[u8]) -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let count = Arc::new(AtomicUsize::new(0));
        let counted = count.clone();
        let response = response.to_vec();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(TIMEOUT));
                read_head(&mut stream);
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = stream.write_all(&response);
                let _ = stream.shutdown(Shutdown::Both);
            }
        });
        Upstream { port, count }
    }

    fn ok() -> Upstream {
        Upstream::start(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]")
    }

    fn requests(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

/// Reads up to the end of a request head (bodies here are empty).
fn read_head(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
    raw
}

type Log = Arc<Mutex<Vec<String>>>;

/// A relay routing `upstream.test` to `upstream`, with short timeouts, capturing its log.
fn relay(upstream: &Upstream, tune: impl FnOnce(&mut Config)) -> (Running, Log) {
    let args = [
        "--listen".to_string(),
        "127.0.0.1:0".to_string(),
        "--route".to_string(),
        format!("upstream.test=http://127.0.0.1:{}", upstream.port),
    ];
    let mut config = Config::from_args(args.into_iter()).unwrap();
    config.header_timeout = Duration::from_secs(1);
    config.idle_timeout = Duration::from_secs(1);
    config.request_timeout = Duration::from_secs(2);
    tune(&mut config);
    let log: Log = Arc::default();
    let sink = log.clone();
    config.log = Some(Arc::new(move |line: &str| sink.lock().unwrap().push(line.to_string())));
    (start(config).unwrap(), log)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    stream
}

/// Everything the relay sends until it closes the connection (or the timeout fails the test).
fn read_all(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return raw,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            // A reset after the relay closed with unread input: what came is the answer.
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return raw,
            Err(e) => panic!("no answer within {TIMEOUT:?}: {e} (got {raw:?})"),
        }
    }
}

fn status_of(raw: &[u8]) -> Option<u16> {
    let text = String::from_utf8_lossy(raw);
    text.split(' ').nth(1)?.parse().ok()
}

/// The relay still runs, and a normal relayed request gets the upstream's answer.
fn assert_alive(relay: &Running, upstream: &Upstream) {
    assert!(relay.is_running(), "the relay's server thread ended");
    let before = upstream.requests();
    let mut stream = connect(relay.addr());
    let request =
        format!("GET /relay/upstream.test/health HTTP/1.1\r\nHost: {}\r\nX-Certwright-Relay: 1\r\nConnection: close\r\n\r\n", relay.addr());
    stream.write_all(request.as_bytes()).unwrap();
    let raw = read_all(&mut stream);
    assert_eq!(status_of(&raw), Some(200), "{}", String::from_utf8_lossy(&raw));
    assert!(raw.ends_with(b"\r\n\r\n[]"), "{}", String::from_utf8_lossy(&raw));
    assert_eq!(upstream.requests(), before + 1);
}

#[test]
fn a_content_length_of_10_18_is_refused_without_reading_it() {
    let _serial = serial();
    let upstream = Upstream::ok();
    let (relay, _log) = relay(&upstream, |_| {});
    let started = Instant::now();
    let mut stream = connect(relay.addr());
    let request = format!(
        "POST /relay/upstream.test/x HTTP/1.1\r\nHost: {}\r\nX-Certwright-Relay: 1\r\nContent-Length: 1000000000000000000\r\n\r\n{{\"a\":1}}",
        relay.addr()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let raw = read_all(&mut stream);
    assert_eq!(status_of(&raw), Some(413), "{}", String::from_utf8_lossy(&raw));
    assert!(String::from_utf8_lossy(&raw).contains("/certwright/relay/request-too-large"));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(upstream.requests(), 0);
    assert_alive(&relay, &upstream);
}

#[test]
fn a_post_declaring_10_12_bytes_is_refused_and_the_rest_never_read() {
    let _serial = serial();
    let upstream = Upstream::ok();
    let (relay, _log) = relay(&upstream, |_| {});
    let mut stream = connect(relay.addr());
    let request = format!(
        "POST /relay/upstream.test/x HTTP/1.1\r\nHost: {}\r\nX-Certwright-Relay: 1\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000000000\r\n\r\n",
        relay.addr()
    );
    stream.write_all(request.as_bytes()).unwrap();
    // A little of the body, then the client stops sending (and waits).
    stream.write_all(&[0x5a; 1024]).unwrap();
    let raw = read_all(&mut stream);
    assert_eq!(status_of(&raw), Some(413), "{}", String::from_utf8_lossy(&raw));
    drop(stream);

    // The same without a declared length: a chunked body is cut off at 16 MiB while streaming.
    let mut stream = connect(relay.addr());
    let request = format!(
        "POST /relay/upstream.test/x HTTP/1.1\r\nHost: {}\r\nX-Certwright-Relay: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        relay.addr()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let feeder = thread::spawn(move || {
        let chunk = [0x41u8; 1024 * 1024];
        for _ in 0..32 {
            let ok = writer
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .and_then(|()| writer.write_all(&chunk))
                .and_then(|()| writer.write_all(b"\r\n"));
            if ok.is_err() {
                return; // the relay stopped reading and closed: expected
            }
        }
        let _ = writer.write_all(b"0\r\n\r\n");
    });
    let raw = read_all(&mut stream);
    // The relay stops reading at 16 MiB and answers 413; the client, still sending, may see the
    // reset that closing over unread bytes causes before it reads the answer.
    assert!(raw.is_empty() || status_of(&raw) == Some(413), "{}", String::from_utf8_lossy(&raw));
    drop(stream);
    feeder.join().unwrap();
    assert_eq!(upstream.requests(), 0);
    assert_alive(&relay, &upstream);
}

#[test]
fn an_8_mib_header_line_is_refused() {
    let _serial = serial();
    let upstream = Upstream::ok();
    let (relay, _log) = relay(&upstream, |_| {});
    let mut stream = connect(relay.addr());
    let mut writer = stream.try_clone().unwrap();
    let addr = relay.addr();
    let feeder = thread::spawn(move || {
        let head = format!("GET /relay/upstream.test/x HTTP/1.1\r\nHost: {addr}\r\nX-Certwright-Relay: 1\r\nX-Big: ");
        let mut sent = writer.write_all(head.as_bytes()).is_ok();
        let block = [b'a'; 64 * 1024];
        for _ in 0..128 {
            if !sent {
                break;
            }
            sent = writer.write_all(&block).is_ok();
        }
        if sent {
            let _ = writer.write_all(b"\r\n\r\n");
        }
    });
    let raw = read_all(&mut stream);
    // hyper answers 431 once the head passes 64 KiB and closes; a reset may beat the answer.
    assert!(raw.is_empty() || status_of(&raw) == Some(431), "{}", String::from_utf8_lossy(&raw[..raw.len().min(200)]));
    drop(stream);
    feeder.join().unwrap();
    assert_eq!(upstream.requests(), 0);
    assert_alive(&relay, &upstream);
}

/// Lowers the soft limit on open files; restores it when dropped.
struct FileLimit(libc::rlimit);

impl FileLimit {
    fn set(soft: u64) -> FileLimit {
        let mut old = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: plain libc calls with valid pointers.
        unsafe {
            assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut old), 0);
            assert!(old.rlim_max >= soft, "this test needs a hard limit of at least {soft} open files (ulimit -Hn is {})", old.rlim_max);
            let new = libc::rlimit { rlim_cur: soft.min(old.rlim_max), rlim_max: old.rlim_max };
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &new), 0);
        }
        FileLimit(old)
    }
}

impl Drop for FileLimit {
    fn drop(&mut self) {
        // SAFETY: restores the limit read in `set`.
        unsafe {
            libc::setrlimit(libc::RLIMIT_NOFILE, &self.0);
        }
    }
}

#[test]
fn eleven_hundred_idle_connections_do_not_lock_the_relay_out() {
    let _serial = serial();
    let upstream = Upstream::ok();
    let (relay, log) = relay(&upstream, |_| {});
    // 1,800 open files for this whole process: its 1,100 client sockets plus the relay's side of
    // at most 512 connections fit; a relay holding all 1,100 does not, and must survive the
    // accept errors that follow.
    let _limit = FileLimit::set(1_800);
    let deadline = Instant::now() + TIMEOUT;
    let mut idle = Vec::new();
    for _ in 0..1_100 {
        assert!(Instant::now() < deadline, "connecting took too long");
        idle.push(connect(relay.addr()));
    }
    // While they sit there, a normal request still gets through: the idle ones are timed out.
    assert_alive(&relay, &upstream);
    // The relay closed the idle connections it accepted (the rest wait in the kernel's queue or
    // were closed too).
    let mut closed = 0;
    for stream in &mut idle {
        stream.set_read_timeout(Some(Duration::from_millis(10))).unwrap();
        let mut buf = [0u8; 1];
        match stream.read(&mut buf) {
            Ok(0) => closed += 1,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => closed += 1,
            _ => {}
        }
    }
    // The normal request waited behind the 1,100 in the accept queue, so at least the first two
    // rounds of 512 were accepted and timed out.
    assert!(closed >= 1_000, "only {closed} idle connections were closed");
    drop(idle);
    assert_alive(&relay, &upstream);
    let lines = log.lock().unwrap().clone();
    assert!(lines.iter().all(|l| !l.contains("upstream.test/x")), "{lines:?}");
}

#[test]
fn fifty_slow_clients_are_cut_off_and_others_served() {
    let _serial = serial();
    let upstream = Upstream::ok();
    let (relay, _log) = relay(&upstream, |_| {});
    let addr = relay.addr();
    let started = Instant::now();
    let clients: Vec<_> = (0..50)
        .map(|i| {
            thread::spawn(move || {
                let mut stream = connect(addr);
                // Half trickle their head, half a body, one byte every 100 ms.
                let (head, body) = if i % 2 == 0 {
                    (String::new(), format!("GET /relay/upstream.test/slow HTTP/1.1\r\nHost: {addr}\r\nX-Certwright-Relay: 1\r\nX-Pad: {}\r\n\r\n", "p".repeat(200)))
                } else {
                    (
                        format!("POST /relay/upstream.test/slow HTTP/1.1\r\nHost: {addr}\r\nX-Certwright-Relay: 1\r\nContent-Length: 200\r\n\r\n"),
                        "b".repeat(200),
                    )
                };
                stream.write_all(head.as_bytes()).unwrap();
                let mut reader = stream.try_clone().unwrap();
                let trickle = thread::spawn(move || {
                    for byte in body.bytes() {
                        if stream.write_all(&[byte]).is_err() {
                            return true;
                        }
                        thread::sleep(Duration::from_millis(100));
                    }
                    false
                });
                let raw = read_all(&mut reader);
                drop(reader);
                let _ = trickle.join();
                raw
            })
        })
        .collect();
    // Meanwhile, a normal client is served.
    assert_alive(&relay, &upstream);
    for (i, client) in clients.into_iter().enumerate() {
        let raw = client.join().unwrap();
        // Cut off: a head trickler by the header timeout (closed without an answer), a body
        // trickler by the request timeout (a 408 problem).
        if i % 2 == 0 {
            assert!(raw.is_empty(), "{}", String::from_utf8_lossy(&raw));
        } else {
            assert_eq!(status_of(&raw), Some(408), "{}", String::from_utf8_lossy(&raw));
            assert!(String::from_utf8_lossy(&raw).contains("/certwright/relay/request-timeout"));
        }
    }
    // 200 bytes at 10 per second would take 20 s; the relay gave up after its 1-2 s timeouts.
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(upstream.requests(), 1);
    assert_alive(&relay, &upstream);
}

#[test]
fn control_characters_in_the_request_line_never_reach_the_log_raw() {
    let _serial = serial();
    let upstream = Upstream::ok();
    let (relay, log) = relay(&upstream, |_| {});
    let targets: [&[u8]; 4] = [
        b"/relay/upstream.test/a\x1b[2Jb",
        b"/relay/upstream.test/a\rforged: line",
        b"/relay/upstream.test/a\xc2\x9b31mb",
        b"/relay/upstream.test/a\x7fb\x08c",
    ];
    for target in targets {
        let mut stream = connect(relay.addr());
        let mut request = b"GET ".to_vec();
        request.extend_from_slice(target);
        request.extend_from_slice(
            format!(" HTTP/1.1\r\nHost: {}\r\nX-Certwright-Relay: 1\r\nConnection: close\r\n\r\n", relay.addr()).as_bytes(),
        );
        stream.write_all(&request).unwrap();
        let raw = read_all(&mut stream);
        // Refused as a malformed request line (hyper), or relayed and logged escaped.
        assert!(matches!(status_of(&raw), Some(400 | 200)), "{}", String::from_utf8_lossy(&raw));
    }
    for line in log.lock().unwrap().iter() {
        assert!(!line.chars().any(|c| c.is_control() || ('\u{80}'..='\u{9f}').contains(&c)), "raw control character in log line {line:?}");
    }
    assert_alive(&relay, &upstream);
    let lines = log.lock().unwrap().clone();
    assert!(lines.last().unwrap().starts_with("relay GET upstream.test/health -> 200 "), "{lines:?}");
}

#[test]
fn a_hostile_upstream_cannot_reach_the_apps_origin() {
    let _serial = serial();
    // Where the redirect points: it must never be contacted.
    let elsewhere = Upstream::ok();
    let html = b"<!doctype html><script>navigator.serviceWorker.register('/sw.js')</script>";
    let mut canned = format!(
        "HTTP/1.1 307 Temporary Redirect\r\n\
         Location: http://127.0.0.1:{}/steal\r\n\
         Clear-Site-Data: \"storage\", \"cookies\"\r\n\
         Set-Cookie: session=evil; Path=/\r\n\
         Content-Security-Policy: script-src *\r\n\
         X-Content-Type-Options: sniff-away\r\n\
         Cache-Control: public, max-age=31536000\r\n\
         Refresh: 0; url=https://evil.example/\r\n\
         Access-Control-Allow-Origin: *\r\n\
         Service-Worker-Allowed: /\r\n\
         X-Request-Id: req-42\r\n\
         X-RateLimit-Remaining: 9\r\n\
         Content-Type: text/html\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        elsewhere.port,
        html.len()
    )
    .into_bytes();
    canned.extend_from_slice(html);
    let hostile = Upstream::start(&canned);
    let (relay, _log) = relay(&hostile, |_| {});
    let mut stream = connect(relay.addr());
    let request = format!(
        "POST /relay/upstream.test/x HTTP/1.1\r\nHost: {}\r\nX-Certwright-Relay: 1\r\nAuthorization: Bearer secret\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}",
        relay.addr()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let raw = read_all(&mut stream);
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let body = &raw[split + 4..];
    let headers: Vec<(&str, &str)> = head.lines().skip(1).filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim(), v.trim())).collect();
    let all = |name: &str| -> Vec<&str> { headers.iter().filter(|(n, _)| *n == name).map(|(_, v)| *v).collect() };
    assert_eq!(status_of(&raw), Some(307), "{head}");
    assert_eq!(body, html, "the body comes back byte for byte");
    assert_eq!(all("location"), [format!("http://127.0.0.1:{}/steal", elsewhere.port).as_str()]);
    assert_eq!(all("content-type"), ["text/html"]);
    assert_eq!(all("x-request-id"), ["req-42"]);
    assert_eq!(all("x-ratelimit-remaining"), ["9"]);
    assert_eq!(all("content-security-policy"), ["sandbox; default-src 'none'"]);
    assert_eq!(all("x-content-type-options"), ["nosniff"]);
    assert_eq!(all("cache-control"), ["no-store"]);
    for dropped in ["clear-site-data", "set-cookie", "refresh", "access-control-allow-origin", "service-worker-allowed"] {
        assert!(all(dropped).is_empty(), "{dropped} came through: {head}");
    }
    // The redirect was returned, not followed.
    assert_eq!(hostile.requests(), 1);
    assert_eq!(elsewhere.requests(), 0);
    drop(stream);

    let upstream = Upstream::ok();
    let (relay, _log) = self::relay(&upstream, |_| {});
    assert_alive(&relay, &upstream);
}

/// A CA and a leaf for 127.0.0.1 made with the openssl command line, in a fresh directory.
fn private_pki() -> PathBuf {
    static DIRS: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("certwright-relay-pki-{}-{}", std::process::id(), DIRS.fetch_add(1, Ordering::SeqCst)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("leaf.ext"),
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(&dir).output().expect("openssl on PATH");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=certwright test private CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    run(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
    ]);
    dir
}

/// An HTTPS upstream on loopback (rustls) answering every request with `200 "tls ok"`.
fn tls_upstream(pki: &Path) -> u16 {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(pki.join("leaf.pem")).unwrap().collect::<Result<_, _>>().unwrap();
    let key = PrivateKeyDer::from_pem_file(pki.join("leaf.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut tcp) = stream else { continue };
            let config = config.clone();
            thread::spawn(move || {
                let _ = tcp.set_read_timeout(Some(TIMEOUT));
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, &mut tcp);
                let mut raw = Vec::new();
                let mut buf = [0u8; 4096];
                while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf) {
                        Ok(0) | Err(_) => return, // a failed handshake ends here
                        Ok(n) => raw.extend_from_slice(&buf[..n]),
                    }
                }
                let _ =
                    tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\nConnection: close\r\n\r\ntls ok");
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    port
}

#[test]
fn upstream_ca_trusts_a_private_ca_for_its_host_only() {
    let _serial = serial();
    let pki = private_pki();
    let port = tls_upstream(&pki);
    let authority = format!("127.0.0.1:{port}");
    let fetch = |relay: &Running| {
        let mut stream = connect(relay.addr());
        let request = format!(
            "GET /relay/{authority}/pf-admin-api/v1/version HTTP/1.1\r\nHost: {}\r\nX-Certwright-Relay: 1\r\nConnection: close\r\n\r\n",
            relay.addr()
        );
        stream.write_all(request.as_bytes()).unwrap();
        String::from_utf8_lossy(&read_all(&mut stream)).into_owned()
    };
    let ca = pki.join("ca.pem").display().to_string();

    // Without the option, the private CA is unknown: 502.
    let plain = Config::from_args(["--listen", "127.0.0.1:0", "--allow", &authority].iter().map(|s| s.to_string())).unwrap();
    let relay = start(plain).unwrap();
    let answer = fetch(&relay);
    assert_eq!(status_of(answer.as_bytes()), Some(502), "{answer}");
    assert!(answer.contains("upstream-unreachable") && answer.contains("TLS"), "{answer}");
    relay.stop();

    // For another host only: still 502.
    let other = Config::from_args(
        ["--listen", "127.0.0.1:0", "--allow", &authority, "--upstream-ca", &format!("pingfed.example={ca}")].iter().map(|s| s.to_string()),
    )
    .unwrap();
    let relay = start(other).unwrap();
    assert_eq!(status_of(fetch(&relay).as_bytes()), Some(502));
    relay.stop();

    // With it (host without a port: any port), the call goes through.
    let trusted = Config::from_args(
        ["--listen", "127.0.0.1:0", "--allow", &authority, "--upstream-ca", &format!("127.0.0.1={ca}")].iter().map(|s| s.to_string()),
    )
    .unwrap();
    let relay = start(trusted).unwrap();
    let answer = fetch(&relay);
    assert_eq!(status_of(answer.as_bytes()), Some(200), "{answer}");
    assert!(answer.ends_with("\r\n\r\ntls ok"), "{answer}");
    assert!(relay.is_running());
    let _ = std::fs::remove_dir_all(&pki);
}

#[test]
fn accept_errors_do_not_stop_the_relay() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let _serial = serial();
    let upstream = Upstream::ok();
    // The relay binary with room for only a few open files: idle connections exhaust them, and
    // accepting the next one fails (EMFILE) until they close.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n 24 && exec '{}' --listen 127.0.0.1:0 --route upstream.test=http://127.0.0.1:{}",
            env!("CARGO_BIN_EXE_certwright-relay"),
            upstream.port
        ))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut banner = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut banner).unwrap();
    let stderr = child.stderr.take().unwrap();
    let child = Kill(child);
    let lines: Log = Arc::default();
    let sink = lines.clone();
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { return };
            sink.lock().unwrap().push(line);
        }
    });
    let url = banner.split_whitespace().find(|w| w.starts_with("http://")).expect("a URL in the banner");
    let addr: SocketAddr = url.trim_start_matches("http://").trim_end_matches('/').parse().unwrap();

    let idle: Vec<TcpStream> = (0..40).map(|_| connect(addr)).collect();
    let deadline = Instant::now() + TIMEOUT;
    while !lines.lock().unwrap().iter().any(|l| l.contains("accepting a connection failed")) {
        assert!(Instant::now() < deadline, "no accept error was logged");
        thread::sleep(Duration::from_millis(50));
    }
    // Once the idle connections go, the relay accepts again and relays.
    drop(idle);
    let mut stream = connect(addr);
    let request = format!("GET /relay/upstream.test/health HTTP/1.1\r\nHost: {addr}\r\nX-Certwright-Relay: 1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let raw = read_all(&mut stream);
    assert_eq!(status_of(&raw), Some(200), "{}", String::from_utf8_lossy(&raw));
    assert_eq!(upstream.requests(), 1);
    let logged = lines.lock().unwrap().clone();
    assert!(logged.iter().any(|l| l.starts_with("relay GET upstream.test/health -> 200 ")), "{logged:?}");
    drop(child);
}

#[test]
fn a_client_that_stops_reading_is_disconnected() {
    let _serial = serial();
    // 32 MiB: more than the loopback socket buffers hold, so the relay's writes stall.
    let size = 32 * 1024 * 1024;
    let mut canned =
        format!("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n")
            .into_bytes();
    canned.resize(canned.len() + size, b'z');
    let big = Upstream::start(&canned);
    let (relay, _log) = relay(&big, |_| {});
    let mut stream = connect(relay.addr());
    let request = format!("GET /relay/upstream.test/big HTTP/1.1\r\nHost: {}\r\nX-Certwright-Relay: 1\r\n\r\n", relay.addr());
    stream.write_all(request.as_bytes()).unwrap();
    // Not reading for three idle timeouts: the relay gives up on the connection.
    thread::sleep(Duration::from_secs(3));
    let raw = read_all(&mut stream);
    assert!(raw.len() < size, "the whole response arrived ({} bytes)", raw.len());
    drop(stream);
    let upstream = Upstream::ok();
    let (relay, _log) = self::relay(&upstream, |_| {});
    assert_alive(&relay, &upstream);
}
