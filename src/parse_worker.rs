//! Parsing big inputs off the main thread (wasm32 only): the `parse-worker` binary (built by
//! Trunk as a Web Worker beside the app) runs [`run`]; the Inspect page drives it with [`Job`].
//!
//! Protocol: the worker says `"ready"` once it listens; the page then posts an array of
//! `[name, input]` pairs (`input` a `File`/`Blob` or a string). The worker parses them one after
//! another with [`Parser`], in parts of at most [`PART_CERTIFICATES`] certificates or
//! [`PART_MS`] of work, and posts each part as one JSON string ([`Message`]): the page only
//! decodes and appends a part (a few milliseconds), so a 30,000-certificate bundle never blocks
//! it. Cancelling terminates the worker; what arrived before stays loaded.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::pki::{Bundle, CertificateInfo, CrlInfo, CsrInfo, Parser, Problem};

/// Most certificates in one part (the page decodes a part in one task).
pub const PART_CERTIFICATES: usize = 64;
/// Most worker time spent on one part before it is posted, in milliseconds.
pub const PART_MS: f64 = 16.0;

/// Part of a parse, with the certificates' name ranges (which their JSON form leaves out).
#[derive(Debug, Serialize, Deserialize)]
pub struct Part {
    /// The input being parsed.
    pub file: String,
    /// Fraction of that input handled so far.
    pub fraction: f64,
    /// Certificates, each with [`CertificateInfo::name_ranges`].
    pub certificates: Vec<(CertificateInfo, [usize; 4])>,
    /// CRLs.
    pub crls: Vec<CrlInfo>,
    /// CSRs.
    pub csrs: Vec<CsrInfo>,
    /// Problems.
    pub problems: Vec<Problem>,
}

impl Part {
    fn new(file: &str, fraction: f64, bundle: Bundle) -> Self {
        Part {
            file: file.to_string(),
            fraction,
            certificates: bundle
                .certificates
                .into_iter()
                .map(|c| {
                    let r = c.name_ranges();
                    (c, r)
                })
                .collect(),
            crls: bundle.crls,
            csrs: bundle.csrs,
            problems: bundle.problems,
        }
    }

    /// The part as a [`Bundle`] (indexes restart at 0: the page renumbers).
    pub fn into_bundle(self) -> Result<Bundle, String> {
        let mut certificates = Vec::with_capacity(self.certificates.len());
        for (mut c, ranges) in self.certificates {
            c.set_name_ranges(ranges)?;
            certificates.push(c);
        }
        Ok(Bundle { certificates, crls: self.crls, csrs: self.csrs, problems: self.problems })
    }
}

/// What the worker posts (as a JSON string) after `"ready"`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Message {
    /// Results so far.
    Part(Part),
    /// Every input is parsed.
    Done,
    /// An input could not be read (the message says which).
    Failed(String),
}

/// The worker's main: listens for inputs and parses them, posting parts.
pub fn run() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let reply = reply.clone();
        let inputs = js_sys::Array::from(&ev.data());
        wasm_bindgen_futures::spawn_local(async move {
            let post = |m: &Message| {
                let _ = reply.post_message(&JsValue::from_str(&serde_json::to_string(m).unwrap_or_default()));
            };
            for pair in inputs.iter() {
                let pair = js_sys::Array::from(&pair);
                let name = pair.get(0).as_string().unwrap_or_else(|| "input".into());
                let input = pair.get(1);
                let bytes = if let Some(text) = input.as_string() {
                    text.into_bytes()
                } else if let Some(blob) = input.dyn_ref::<web_sys::Blob>() {
                    match wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await {
                        Ok(buf) => js_sys::Uint8Array::new(&buf).to_vec(),
                        Err(_) => {
                            post(&Message::Failed(format!("could not read {name}")));
                            continue;
                        }
                    }
                } else {
                    post(&Message::Failed(format!("{name}: not a file or text")));
                    continue;
                };
                parse_in_parts(&bytes, &name, |part| post(&Message::Part(part)));
            }
            post(&Message::Done);
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages sent before this handler existed would be lost: say when it is listening.
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

/// Parses `bytes` and hands over parts of at most [`PART_CERTIFICATES`] certificates or
/// [`PART_MS`] of work (always at least one part, so the page learns about every input).
fn parse_in_parts(bytes: &[u8], name: &str, mut emit: impl FnMut(Part)) {
    let mut parser = Parser::new(bytes, name);
    loop {
        let started = js_sys::Date::now();
        let mut bundle = Bundle::default();
        let mut done = false;
        while !done && bundle.certificates.len() < PART_CERTIFICATES && js_sys::Date::now() - started < PART_MS {
            done = parser.step(8, &mut bundle);
        }
        emit(Part::new(name, if done { 1.0 } else { parser.progress() }, bundle));
        if done {
            return;
        }
    }
}

/// A parse running in the worker, seen from the page. Dropping it terminates the worker.
pub struct Job {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Job {
    /// Starts the worker at `url` on `inputs` (`[name, File or string]`); `on_message` gets every
    /// message (a part, done, or a failure, also when the worker itself fails). Errors when the
    /// browser refuses to start the worker (the caller then parses on the main thread).
    pub fn start(url: &str, inputs: Vec<(String, JsValue)>, on_message: impl FnMut(Message) + 'static) -> Result<Job, String> {
        let worker = web_sys::Worker::new(url).map_err(|_| "the parsing worker could not start".to_string())?;
        let on_message = std::rc::Rc::new(std::cell::RefCell::new(on_message));
        let sender = worker.clone();
        let payload = js_sys::Array::new();
        for (name, input) in inputs {
            payload.push(&js_sys::Array::of2(&JsValue::from_str(&name), &input));
        }
        let handler = on_message.clone();
        let on_msg = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(text) = ev.data().as_string() else { return };
            if text == "ready" {
                let _ = sender.post_message(&payload);
                return;
            }
            let message = serde_json::from_str::<Message>(&text)
                .unwrap_or_else(|e| Message::Failed(format!("the parsing worker sent a malformed message ({e})")));
            (handler.borrow_mut())(message);
        });
        let on_err = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            (on_message.borrow_mut())(Message::Failed("the parsing worker failed".into()));
        });
        worker.set_onmessage(Some(on_msg.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_err.as_ref().unchecked_ref()));
        Ok(Job { worker, _on_message: on_msg, _on_error: on_err })
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
