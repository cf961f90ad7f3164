//! The harness every emulator test shares: a blocking [`Transport`] that speaks plain HTTP/1.1
//! to a running emulator over loopback, the clock the clients are given, and the control API.
//!
//! Each file in `tests/` is its own crate and uses only part of this, hence the `dead_code` allow.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use certwright::vendors::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use certwright_emulator::Running;
use futures_executor::block_on;

/// The current Unix time in seconds (the clock handed to the clients).
pub fn now_s() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Plain HTTP/1.1 over a TcpStream to the emulator, keeping the URL's host as `Host` (as the
/// relay does). Sleeps for real (at most two seconds a time).
pub struct Loopback {
    pub addr: SocketAddr,
}

impl Loopback {
    /// A transport to `running`.
    pub fn to(running: &Running) -> Self {
        Loopback { addr: running.addr() }
    }
}

impl Transport for Loopback {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let rest = req.url.strip_prefix("https://").ok_or_else(|| TransportError::new("not https"))?;
        let (host, target) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let mut stream = TcpStream::connect(self.addr).map_err(|e| TransportError::new(e.to_string()))?;
        let mut head =
            format!("{} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n", req.method, req.body.len());
        for (n, v) in &req.headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&req.body)).map_err(|e| TransportError::new(e.to_string()))?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).map_err(|e| TransportError::new(e.to_string()))?;
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| TransportError::new("no header end"))?;
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
        let headers: Vec<(String, String)> =
            lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned())).collect();
        let mut body = raw[split + 4..].to_vec();
        if headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked")) {
            body = dechunk(&body);
        }
        Ok(HttpResponse { status, headers, body })
    }

    async fn sleep_ms(&self, ms: u64) {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(2_000)));
    }
}

/// Decodes a chunked HTTP/1.1 body (the test side trusts the emulator's framing).
fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 4 + size..];
    }
    out
}

/// A call to the emulator's control API (`/__emulator/{path}`), its JSON answer.
pub fn control(running: &Running, method: &str, path: &str, body: &str) -> serde_json::Value {
    let req = HttpRequest {
        method: method.into(),
        url: format!("https://127.0.0.1/__emulator/{path}"),
        headers: vec![],
        body: body.as_bytes().to_vec(),
    };
    let resp = block_on(Loopback::to(running).send(req)).unwrap();
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    serde_json::from_slice(&resp.body).unwrap()
}
