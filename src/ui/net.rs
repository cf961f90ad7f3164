//! Where the vendor pages' requests go. [`Relay`] sends any vendor's requests through the
//! same-origin relay. For the CA-set page, [`Net::Remote`] sends them with `fetch` through the
//! same-origin relay (`/relay/{host}/…`, see `relay/`), [`Net::Local`] answers them in the page
//! from the offline workspace (the same [`Service`] model the emulator serves), saved to
//! IndexedDB after every change (store `akamai`, record `akamai`: the service as JSON text). Either way the UI drives one [`Client`], so local and remote
//! sets behave alike.
//!
//! Every relayed call carries `X-Certwright-Relay: 1` (the relay's cross-site guard) and is sent
//! with `redirect: "error"`, so a redirect fails the call instead of re-sending its
//! `Authorization` header elsewhere; no cookies, no cache.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::idb;
use crate::vendors::akamai::client::Client;
use crate::vendors::akamai::edgegrid::Credentials;
use crate::vendors::akamai::service::Service;
use crate::vendors::transport::{relay_path, HttpRequest, HttpResponse, Transport, TransportError};

const STORE: &str = idb::AKAMAI;
/// The header every call to the relay carries (see `relay/`).
pub const RELAY_HEADER: &str = "X-Certwright-Relay";
const RECORD: &str = "akamai";
/// The host the offline workspace's client "signs" for (nothing is sent anywhere).
pub const LOCAL_HOST: &str = "workspace.certwright.invalid";

/// The transport of the CA-set page.
pub enum Net {
    /// The offline workspace.
    Local(Rc<RefCell<Service>>),
    /// Akamai (or the emulator) through the relay.
    Remote,
}

/// Any vendor through this origin's relay (`/relay/{host}/…`): the transport of every vendor
/// page that talks to a remote API.
#[derive(Clone, Copy, Debug, Default)]
pub struct Relay;

impl Transport for Relay {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        fetch(&req).await
    }

    async fn sleep_ms(&self, ms: u64) {
        gloo_timers::future::TimeoutFuture::new(u32::try_from(ms).unwrap_or(u32::MAX)).await;
    }
}

impl Transport for Net {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        match self {
            Net::Local(service) => {
                let target = req.url.splitn(4, '/').nth(3).map(|t| format!("/{t}")).unwrap_or_else(|| "/".into());
                let resp = service.borrow_mut().handle(&req.method, &target, &req.body, js_sys::Date::now() as i64);
                if req.method != "GET" && (200..300).contains(&resp.status) {
                    // Serialised before awaiting, so no borrow is held while IndexedDB works.
                    let json = serde_json::to_string(&*service.borrow()).map_err(|e| TransportError::new(e.to_string()))?;
                    idb::put(STORE, RECORD, &json.into())
                        .await
                        .map_err(|e| TransportError::new(format!("the change was made but could not be saved in this browser: {e}")))?;
                }
                Ok(resp)
            }
            Net::Remote => fetch(&req).await,
        }
    }

    async fn sleep_ms(&self, ms: u64) {
        Relay.sleep_ms(ms).await;
    }
}

/// A client over the offline workspace, loaded from IndexedDB (empty on first use).
pub async fn local_client() -> Result<Client<Net>, String> {
    let stored = idb::get(STORE, RECORD).await?;
    let mut service: Service = match stored.as_string() {
        Some(json) => serde_json::from_str(&json).map_err(|e| format!("the saved CA-set workspace is damaged: {e}"))?,
        None => Service::new("offline", "you"),
    };
    // Nothing is activated offline, and a local delete has nothing to wait for.
    service.activation_ms = 0;
    let creds = Credentials::new(LOCAL_HOST, "local", "local", "local");
    Ok(Client::new(Net::Local(Rc::new(RefCell::new(service))), creds, super::browser::now_unix))
}

/// A client for Akamai with the user's credentials (kept in memory only).
pub fn remote_client(creds: Credentials, account_switch_key: &str) -> Client<Net> {
    let client = Client::new(Net::Remote, creds, super::browser::now_unix);
    if account_switch_key.trim().is_empty() {
        client
    } else {
        client.with_account_switch_key(account_switch_key.trim())
    }
}

/// Sends `req` through the relay. Errors name the host, never a header.
async fn fetch(req: &HttpRequest) -> Result<HttpResponse, TransportError> {
    let path = relay_path(&req.url).ok_or_else(|| TransportError::new("only https:// API hosts can be reached"))?;
    fetch_path(&path, req).await
}

/// Sends `req` straight to its URL, not through the relay: for an API whose CORS settings allow
/// this origin (PingFederate can). No relay header, no cookies, redirects are errors.
pub async fn fetch_direct(req: &HttpRequest) -> Result<HttpResponse, TransportError> {
    fetch_path(&req.url, req).await
}

/// Sends `req`'s method, headers and body to `path` (on this origin: the relay; or an absolute
/// URL: directly).
async fn fetch_path(path: &str, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
    let relayed = path.starts_with('/');
    let via = if relayed { "through the relay at /relay/" } else { "directly; the API's CORS settings must allow this origin" };
    let fail = |what: &str| TransportError::new(format!("{what} ({via})"));
    let headers = web_sys::Headers::new().map_err(|_| fail("could not build the request"))?;
    for (name, value) in &req.headers {
        headers.append(name, value).map_err(|_| fail(&format!("the header {name} is not valid")))?;
    }
    // Marks the call as the app's own: the relay refuses `/relay/` requests that carry neither
    // this header nor `Sec-Fetch-Site: same-origin` (a cross-site form or image cannot set it).
    if relayed {
        headers.set(RELAY_HEADER, "1").map_err(|_| fail("could not build the request"))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(&req.method);
    init.set_headers(&headers);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_cache(web_sys::RequestCache::NoStore);
    // A redirect is an error, never followed: following a 307 would re-send the request, with
    // its `Authorization` header, to wherever `Location` points (another allowlisted host).
    init.set_redirect(web_sys::RequestRedirect::Error);
    if !req.body.is_empty() {
        init.set_body(&js_sys::Uint8Array::from(req.body.as_slice()));
    }
    let window = web_sys::window().ok_or_else(|| fail("no window"))?;
    let resp = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| fail("the network request failed, or was answered with a redirect, which is never followed"))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| fail("fetch returned no response"))?;
    let mut out_headers = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(&resp.headers()) {
        for entry in iter.flatten() {
            let pair = js_sys::Array::from(&entry);
            if let (Some(n), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out_headers.push((n, v));
            }
        }
    }
    let buffer = JsFuture::from(resp.array_buffer().map_err(|_| fail("the response body could not be read"))?)
        .await
        .map_err(|_| fail("the response body could not be read"))?;
    Ok(HttpResponse { status: resp.status(), headers: out_headers, body: js_sys::Uint8Array::new(&buffer).to_vec() })
}

/// What the relay forwards to (`GET /relay/`): its allow patterns and routed hosts.
pub async fn relay_hosts() -> Result<Vec<String>, String> {
    let req = HttpRequest { method: "GET".into(), url: String::new(), headers: vec![], body: vec![] };
    let resp = fetch_path("/relay/", &req).await.map_err(|e| e.message)?;
    if resp.status != 200 {
        return Err(format!("no relay answers at /relay/ (HTTP {})", resp.status));
    }
    #[derive(serde::Deserialize)]
    struct Listing {
        allow: Vec<String>,
        routes: Vec<String>,
    }
    let listing: Listing = serde_json::from_slice(&resp.body).map_err(|_| "no relay answers at /relay/".to_string())?;
    Ok(listing.allow.into_iter().chain(listing.routes).collect())
}
