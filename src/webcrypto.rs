//! Key generation through WebCrypto (wasm32 only), in browsers and in Node 20+ (both expose
//! `globalThis.crypto.subtle`). WebCrypto runs natively and off the main thread: RSA-2048 takes
//! about 0.1 s instead of about 1 s in wasm. The generated key is exported once as PKCS#8 into
//! wasm memory; it never leaves the JS realm.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::pki::{KeyAlgorithm, PrivateKey};

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
    let private: web_sys::CryptoKey = Reflect::get(&pair, &"privateKey".into())
        .ok()
        .and_then(|k| k.dyn_into().ok())
        .ok_or("WebCrypto returned no private key")?;
    let exported = JsFuture::from(subtle.export_key("pkcs8", &private).map_err(|_| "WebCrypto refused to export the key")?)
        .await
        .map_err(|_| "WebCrypto refused to export the key")?;
    let der = zeroize::Zeroizing::new(Uint8Array::new(&exported).to_vec());
    PrivateKey::from_generated_pkcs8(&der).map_err(|e| e.to_string())
}

/// Generates a key: WebCrypto first, the Rust implementation where WebCrypto is missing or
/// refuses. Returns the key and which path made it (`"webcrypto"` or `"wasm"`).
pub async fn generate_with_fallback(algorithm: KeyAlgorithm) -> Result<(PrivateKey, &'static str), String> {
    match generate(algorithm).await {
        Ok(k) => Ok((k, "webcrypto")),
        Err(_) => PrivateKey::generate(algorithm, &mut rand_core::OsRng).map(|k| (k, "wasm")).map_err(|e| e.to_string()),
    }
}
