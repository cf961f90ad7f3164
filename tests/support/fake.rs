//! The fake transport the vendor client tests share: answers queued in order, every request
//! recorded, every retry wait recorded (and not slept). Each test file keeps its vendor's own
//! helpers (a token answer, a fixture) on top, as a small trait. Include with
//! `#[path = "support/fake.rs"] mod fake;`.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::VecDeque;

use certwright::vendors::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// Answers queued by the test, requests and waits recorded. Usable by value or by reference
/// (the crate's `Transport for &T`: `Client<&FakeTransport>` lets the test read the record while
/// the client lives).
#[derive(Default)]
pub struct FakeTransport {
    /// What the next requests get, in order.
    pub responses: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    /// Every request sent, in order.
    pub requests: RefCell<Vec<HttpRequest>>,
    /// Every `sleep_ms` asked for (retry waits), in order.
    pub sleeps: RefCell<Vec<u64>>,
}

impl FakeTransport {
    /// Queues an answer.
    pub fn queue(&self, status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> &Self {
        self.responses.borrow_mut().push_back(Ok(HttpResponse {
            status,
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: body.into(),
        }));
        self
    }

    /// Queues a JSON answer (`Content-Type: application/json`).
    pub fn queue_json(&self, status: u16, body: &serde_json::Value) -> &Self {
        self.queue(status, &[("Content-Type", "application/json")], serde_json::to_vec(body).unwrap())
    }

    /// Queues a JSON answer given as text (`Content-Type: application/json`).
    pub fn queue_json_text(&self, status: u16, body: &str) -> &Self {
        self.queue(status, &[("Content-Type", "application/json")], body.as_bytes().to_vec())
    }

    /// Queues a transport failure (no response).
    pub fn queue_error(&self, e: TransportError) -> &Self {
        self.responses.borrow_mut().push_back(Err(e));
        self
    }

    /// The requests sent so far.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.borrow().clone()
    }

    /// The waits asked for so far.
    pub fn sleeps(&self) -> Vec<u64> {
        self.sleeps.borrow().clone()
    }

    fn answer(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let what = format!("{} {}", req.method, req.url);
        self.requests.borrow_mut().push(req);
        self.responses
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Err(TransportError::new(format!("the test queued no response for {what}"))))
    }
}

impl Transport for FakeTransport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.answer(req)
    }

    async fn sleep_ms(&self, ms: u64) {
        self.sleeps.borrow_mut().push(ms);
    }
}
