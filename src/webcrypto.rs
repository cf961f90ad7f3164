//! Key generation through WebCrypto (wasm32 only), in browsers and in Node 20+ (both expose
//! `globalThis.crypto.subtle`). WebCrypto runs natively and off the main thread: RSA-2048 takes
//! about 0.1 s instead of about 1 s in wasm. The generated key is exported once as PKCS#8 into
//! wasm memory; it never leaves the JS realm, and the JS buffer it was exported into is
//! overwritten with zeros once copied ([`wipe`]).

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::pki::{HashAlgorithm, KeyAlgorithm, PrivateKey};

fn subtle() -> Option<web_sys::SubtleCrypto> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
    subtle.dyn_into().ok()
}

fn set(o: &Object, k: &str, v: impl Into<JsValue>) {
    let _ = Reflect::set(o, &k.into(), &v.into());
}

/// Generates with WebCrypto; `Err` says why WebCrypto could not (then the caller falls back).
pub async fn generate(algorithm: KeyAlgorithm) -> Result<PrivateKey, String> {
    let subtle = subtle().ok_or("WebCrypto (crypto.subtle) is not available")?;
    let params = Object::new();
    match algorithm {
        KeyAlgorithm::Rsa2048 | KeyAlgorithm::Rsa3072 | KeyAlgorithm::Rsa4096 => {
            let bits = match algorithm {
                KeyAlgorithm::Rsa2048 => 2048,
                KeyAlgorithm::Rsa3072 => 3072,
                _ => 4096,
            };
            set(&params, "name", "RSASSA-PKCS1-v1_5");
            set(&params, "modulusLength", bits);
            set(&params, "publicExponent", Uint8Array::from(&[1u8, 0, 1][..]));
            set(&params, "hash", "SHA-256");
        }
        KeyAlgorithm::P256 | KeyAlgorithm::P384 => {
            set(&params, "name", "ECDSA");
            set(&params, "namedCurve", if algorithm == KeyAlgorithm::P256 { "P-256" } else { "P-384" });
        }
    }
    let usages = Array::of2(&"sign".into(), &"verify".into());
    let promise = subtle.generate_key_with_object(&params, true, &usages).map_err(|_| "WebCrypto refused the parameters")?;
    let pair = JsFuture::from(promise).await.map_err(|_| "WebCrypto key generation failed")?;
    let private: web_sys::CryptoKey =
        Reflect::get(&pair, &"privateKey".into()).ok().and_then(|k| k.dyn_into().ok()).ok_or("WebCrypto returned no private key")?;
    let exported = JsFuture::from(subtle.export_key("pkcs8", &private).map_err(|_| "WebCrypto refused to export the key")?)
        .await
        .map_err(|_| "WebCrypto refused to export the key")?;
    let der = zeroize::Zeroizing::new(Uint8Array::new(&exported).to_vec());
    wipe(&exported);
    PrivateKey::from_generated_pkcs8(&der).map_err(|e| e.to_string())
}

/// Overwrites a JS buffer that held key material (an `ArrayBuffer` or a `Uint8Array`) with
/// zeros, once its bytes are copied into wasm memory (where `Zeroizing` clears them on drop).
pub fn wipe(buffer: &JsValue) {
    let bytes: Uint8Array = if buffer.is_instance_of::<Uint8Array>() { buffer.clone().unchecked_into() } else { Uint8Array::new(buffer) };
    bytes.fill(0, 0, bytes.length());
}

thread_local! {
    /// The key generation worker in flight and how to fail its promise (for cancelling).
    static WORKER: std::cell::RefCell<Option<(web_sys::Worker, js_sys::Function)>> = const { std::cell::RefCell::new(None) };
}

/// Generates with the Rust implementation in a Web Worker (`keygen-worker`, built by Trunk
/// beside the app), so even a slow RSA-4096 generation never blocks the page.
pub async fn generate_in_worker(algorithm: KeyAlgorithm, worker_url: &str) -> Result<PrivateKey, String> {
    use wasm_bindgen::closure::Closure;
    cancel_worker();
    let worker = web_sys::Worker::new(worker_url).map_err(|_| "the key generation worker could not start")?;
    let name = match algorithm {
        KeyAlgorithm::Rsa2048 => "RSA-2048",
        KeyAlgorithm::Rsa3072 => "RSA-3072",
        KeyAlgorithm::Rsa4096 => "RSA-4096",
        KeyAlgorithm::P256 => "P-256",
        KeyAlgorithm::P384 => "P-384",
    };
    let w = worker.clone();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        // The worker first says "ready" (then it gets the algorithm), then answers once.
        let sender = w.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if ev.data().as_string().as_deref() == Some("ready") {
                let _ = sender.post_message(&name.into());
            } else {
                let _ = resolve.call1(&JsValue::NULL, &ev.data());
            }
        });
        w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let fail = reject.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = fail.call1(&JsValue::NULL, &"the key generation worker failed".into());
        });
        w.set_onerror(Some(on_error.unchecked_ref()));
        WORKER.with(|slot| *slot.borrow_mut() = Some((w.clone(), reject)));
    });
    let answer = JsFuture::from(promise).await;
    if let Some((w, _)) = WORKER.with(|slot| slot.borrow_mut().take()) {
        w.terminate();
    }
    let answer = answer.map_err(|e| e.as_string().unwrap_or_else(|| "key generation failed".into()))?;
    if let Some(message) = answer.as_string() {
        return Err(message);
    }
    let bytes: Uint8Array = if answer.is_instance_of::<Uint8Array>() { answer.unchecked_into() } else { Uint8Array::new(&answer) };
    let der = zeroize::Zeroizing::new(bytes.to_vec());
    wipe(&bytes);
    PrivateKey::from_generated_pkcs8(&der).map_err(|e| e.to_string())
}

/// Stops a worker generation in flight (its promise fails with "cancelled").
pub fn cancel_worker() {
    if let Some((worker, reject)) = WORKER.with(|slot| slot.borrow_mut().take()) {
        worker.terminate();
        let _ = reject.call1(&JsValue::NULL, &"cancelled".into());
    }
}

/// Generates a key: WebCrypto first, the Rust implementation where WebCrypto is missing or
/// refuses. Returns the key and which path made it (`"webcrypto"` or `"wasm"`).
pub async fn generate_with_fallback(algorithm: KeyAlgorithm) -> Result<(PrivateKey, &'static str), String> {
    match generate(algorithm).await {
        Ok(k) => Ok((k, "webcrypto")),
        Err(_) => PrivateKey::generate(algorithm, &mut rand_core::OsRng).map(|k| (k, "wasm")).map_err(|e| e.to_string()),
    }
}

/// An RSA private key held by WebCrypto for signing: imported non-extractable, usable only for
/// `sign`, as RSASSA-PKCS1-v1_5 with one hash. Signing runs in the browser's native crypto
/// (constant-time, and off the `rsa` crate's RUSTSEC-2023-0071 timing advisory).
pub struct RsaSigner {
    key: web_sys::CryptoKey,
    hash: HashAlgorithm,
}

fn webcrypto_hash(hash: HashAlgorithm) -> &'static str {
    match hash {
        HashAlgorithm::Sha256 => "SHA-256",
        HashAlgorithm::Sha384 => "SHA-384",
        HashAlgorithm::Sha512 => "SHA-512",
    }
}

impl RsaSigner {
    /// Imports an RSA key's PKCS#8 DER. `Err` (never quoting the key) when WebCrypto is missing
    /// or refuses; the caller then signs with the Rust implementation.
    pub async fn import(pkcs8: &[u8], hash: HashAlgorithm) -> Result<Self, String> {
        let subtle = subtle().ok_or("WebCrypto (crypto.subtle) is not available")?;
        let params = Object::new();
        set(&params, "name", "RSASSA-PKCS1-v1_5");
        set(&params, "hash", webcrypto_hash(hash));
        // WebCrypto copies the bytes before importKey returns; the JS copy is wiped at once.
        let der = Uint8Array::from(pkcs8);
        let importing = subtle.import_key_with_object("pkcs8", &der, &params, false, &Array::of1(&"sign".into()));
        wipe(&der);
        let key =
            JsFuture::from(importing.map_err(|_| "WebCrypto refused the RSA key")?).await.map_err(|_| "WebCrypto refused the RSA key")?;
        Ok(Self { key: key.unchecked_into(), hash })
    }

    /// The hash this signer was imported with.
    pub fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    /// Signs `message` (for example a CSR's or certificate's to-be-signed bytes): the PKCS#1
    /// v1.5 signature, as the Rust path would compute it (the scheme is deterministic).
    pub async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let subtle = subtle().ok_or("WebCrypto (crypto.subtle) is not available")?;
        let signing =
            subtle.sign_with_str_and_u8_array("RSASSA-PKCS1-v1_5", &self.key, message).map_err(|_| "WebCrypto refused to sign")?;
        let signature = JsFuture::from(signing).await.map_err(|_| "WebCrypto signing failed")?;
        Ok(Uint8Array::new(&signature).to_vec())
    }
}

/// Imports `key` into WebCrypto for signing with `hash` if it is an RSA key; `None` for other
/// keys or where WebCrypto refuses (then the Rust path signs).
pub async fn rsa_signer(key: &PrivateKey, hash: HashAlgorithm) -> Option<RsaSigner> {
    if !matches!(key, PrivateKey::Rsa(_)) {
        return None;
    }
    let der = key.to_pkcs8_der().ok()?;
    RsaSigner::import(&der, hash).await.ok()
}

/// Which implementation made a signature (shown by the app, so a test can tell).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignedBy {
    /// The browser's WebCrypto `sign` (RSASSA-PKCS1-v1_5).
    WebCrypto,
    /// The Rust implementation compiled to wasm (ECDSA keys, or RSA where WebCrypto refuses).
    Wasm,
}

impl SignedBy {
    /// `"WebCrypto"` or `"wasm"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignedBy::WebCrypto => "WebCrypto",
            SignedBy::Wasm => "wasm",
        }
    }
}

/// Signs and finishes a prepared CSR, certificate or CRL (see
/// [signing in two phases](crate::pki::ToBeSigned)) with `key`, which must be the
/// signer `tbs` was prepared for. RSA keys sign through WebCrypto ([`RsaSigner`]); where
/// WebCrypto is missing or refuses, and for ECDSA keys, the Rust implementation signs
/// ([`ToBeSigned::sign`](crate::pki::ToBeSigned::sign)). Either way [`finish`](crate::pki::ToBeSigned::finish)
/// verifies the signature before anything is assembled. Returns the DER and which path signed.
pub async fn sign_tbs(tbs: &crate::pki::ToBeSigned, key: &PrivateKey) -> Result<(Vec<u8>, SignedBy), Vec<crate::pki::FieldError>> {
    if let Some(signer) = rsa_signer(key, tbs.signature_algorithm().hash()).await {
        if let Ok(signature) = signer.sign(tbs.tbs_der()).await {
            // `finish` checks the signature against the signer's public key: a WebCrypto answer
            // that does not verify is an error here, not a silently different object.
            return tbs.finish(&signature).map(|der| (der, SignedBy::WebCrypto));
        }
    }
    tbs.sign(key).map(|der| (der, SignedBy::Wasm))
}
