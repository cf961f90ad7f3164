//! The JS module's [`Transport`]: `globalThis.fetch`, so the vendor clients work in browsers,
//! workers and Node 20+ alike (not `window.fetch`, which workers and Node lack).
//!
//! Each request goes out with its method, headers and body as the client built them, with
//! `redirect: "error"` (a redirect fails the call instead of re-sending `Authorization`
//! elsewhere) and `credentials: "omit"` (no cookies). Any status is a response; only a call that
//! produced none (network, CORS, a redirect, an abort) is a [`TransportError`], whose message
//! names the method and the URL without its query, never a header or the body.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::vendors::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// Sends through `globalThis.fetch`; waits with `setTimeout`.
#[derive(Clone, Copy, Debug, Default)]
pub struct FetchTransport;

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property of a plain object cannot fail.
    let _ = js_sys::Reflect::set(target, &key.into(), value);
}

/// The `message` (and `cause.message`, as Node puts the network reason there) of a rejection.
fn reason(err: &JsValue) -> String {
    let text = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).ok().and_then(|m| m.as_string()).filter(|m| !m.is_empty());
    let message = text(err, "message").unwrap_or_else(|| "no reason given".into());
    match js_sys::Reflect::get(err, &"cause".into()).ok().filter(|c| c.is_object()).and_then(|c| text(&c, "message")) {
        Some(cause) => format!("{message} ({cause})"),
        None => message,
    }
}

impl Transport for FetchTransport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let shown = req.url.split(['?', '#']).next().unwrap_or("").to_owned();
        let fail = |what: String| TransportError::new(format!("{} {shown}: {what}", req.method));
        let global = js_sys::global();
        let fetch = js_sys::Reflect::get(&global, &"fetch".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(|| fail("globalThis.fetch is missing (Node 20 or later, or a browser, is needed)".into()))?;
        let headers = js_sys::Object::new();
        for (name, value) in &req.headers {
            set(&headers, name, &value.into());
        }
        let init = js_sys::Object::new();
        set(&init, "method", &req.method.as_str().into());
        set(&init, "headers", &headers);
        set(&init, "redirect", &"error".into());
        set(&init, "credentials", &"omit".into());
        if !req.body.is_empty() {
            set(&init, "body", &js_sys::Uint8Array::from(req.body.as_slice()));
        }
        let promise: js_sys::Promise = fetch
            .call2(&global, &req.url.as_str().into(), &init)
            .map_err(|e| fail(format!("fetch refused the request: {}", reason(&e))))?
            .unchecked_into();
        let resp = JsFuture::from(promise)
            .await
            .map_err(|e| fail(format!("no response (network, CORS or a redirect, which is never followed): {}", reason(&e))))?;
        let resp: web_sys::Response = resp.unchecked_into();
        let mut out_headers = Vec::new();
        if let Ok(Some(iter)) = js_sys::try_iter(&resp.headers()) {
            for entry in iter.flatten() {
                let pair = js_sys::Array::from(&entry);
                if let (Some(n), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                    out_headers.push((n, v));
                }
            }
        }
        let read_fail = |e: JsValue| fail(format!("the response body could not be read: {}", reason(&e)));
        let buffer = JsFuture::from(resp.array_buffer().map_err(read_fail)?).await.map_err(read_fail)?;
        Ok(HttpResponse { status: resp.status(), headers: out_headers, body: js_sys::Uint8Array::new(&buffer).to_vec() })
    }

    async fn sleep_ms(&self, ms: u64) {
        gloo_timers::future::TimeoutFuture::new(u32::try_from(ms).unwrap_or(u32::MAX)).await;
    }
}

/// The clock the clients read: `Date.now()` in Unix seconds.
pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
