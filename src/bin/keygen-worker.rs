//! The key generation worker (wasm32, built by Trunk as a Web Worker): generates a key with the
//! Rust implementation off the main thread, for browsers where WebCrypto is missing or refuses.
//! It receives an algorithm name and answers with the PKCS#8 DER (a Uint8Array) or an error
//! string. The key stays in this browser: it only crosses from the worker to the page.

#[cfg(target_arch = "wasm32")]
fn main() {
    use certwright::pki::{KeyAlgorithm, PrivateKey};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let name = ev.data().as_string().unwrap_or_default();
        let result =
            KeyAlgorithm::parse(&name).and_then(|alg| PrivateKey::generate(alg, &mut rand_core::OsRng)).and_then(|key| key.to_pkcs8_der());
        match result {
            Ok(der) => {
                let bytes = js_sys::Uint8Array::from(&der[..]);
                let _ = reply.post_message(&bytes);
                // post_message sent a copy; this one is wiped (`der` is zeroed on drop).
                bytes.fill(0, 0, bytes.length());
            }
            Err(e) => {
                let _ = reply.post_message(&e.to_string().into());
            }
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages sent before this handler existed would be lost: say when it is listening.
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
