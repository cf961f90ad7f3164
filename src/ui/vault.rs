//! The local workspace: private keys saved in IndexedDB, only ever encrypted under a passphrase
//! (PBKDF2-SHA-256, 600,000 iterations, AES-256-GCM, all through WebCrypto so the main thread
//! never blocks). Nothing is written in the clear, and nothing goes to localStorage.

use base64::Engine as _;
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use zeroize::Zeroizing;

use super::idb;

const STORE: &str = "keys";
const ITERATIONS: u32 = 600_000;

/// A saved key: metadata in the clear, the PKCS#8 only as AES-GCM ciphertext.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SavedKey {
    /// Record id.
    pub id: String,
    /// Display label.
    pub label: String,
    /// SHA-256 of the public key (SPKI), hex.
    pub spki_sha256: String,
    /// When it was saved (ms since the epoch).
    pub saved_at: f64,
    salt: String,
    iv: String,
    ciphertext: String,
    iterations: u32,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(s: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD.decode(s).map_err(|_| "the saved record is damaged".to_string())
}

fn subtle() -> Result<web_sys::SubtleCrypto, String> {
    Ok(web_sys::window().ok_or("no window")?.crypto().map_err(|_| "WebCrypto is not available")?.subtle())
}

fn obj(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o
}

async fn derive(passphrase: &str, salt: &[u8], iterations: u32) -> Result<web_sys::CryptoKey, String> {
    let subtle = subtle()?;
    let raw = Uint8Array::from(passphrase.as_bytes());
    let base = JsFuture::from(
        subtle
            .import_key_with_object("raw", &raw, &obj(&[("name", "PBKDF2".into())]), false, &Array::of1(&"deriveKey".into()))
            .map_err(|_| "WebCrypto refused the passphrase")?,
    )
    .await
    .map_err(|_| "WebCrypto refused the passphrase")?;
    let params = obj(&[
        ("name", "PBKDF2".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", iterations.into()),
        ("hash", "SHA-256".into()),
    ]);
    let aes = obj(&[("name", "AES-GCM".into()), ("length", 256.into())]);
    let key = JsFuture::from(
        subtle
            .derive_key_with_object_and_object(&params, base.unchecked_ref(), &aes, false, &Array::of2(&"encrypt".into(), &"decrypt".into()))
            .map_err(|_| "key derivation failed")?,
    )
    .await
    .map_err(|_| "key derivation failed")?;
    Ok(key.unchecked_into())
}

/// Encrypts a PKCS#8 key under `passphrase`.
pub async fn seal(id: String, label: String, spki_sha256: String, pkcs8: &[u8], passphrase: &str) -> Result<SavedKey, String> {
    if passphrase.chars().count() < 8 {
        return Err("the workspace passphrase needs at least 8 characters".into());
    }
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 12];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut salt);
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut iv);
    let key = derive(passphrase, &salt, ITERATIONS).await?;
    let alg = obj(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(&iv[..]).into())]);
    let ct = JsFuture::from(subtle()?.encrypt_with_object_and_u8_array(&alg, &key, pkcs8).map_err(|_| "encryption failed")?)
        .await
        .map_err(|_| "encryption failed")?;
    Ok(SavedKey {
        id,
        label,
        spki_sha256,
        saved_at: js_sys::Date::now(),
        salt: b64(&salt),
        iv: b64(&iv),
        ciphertext: b64(&Uint8Array::new(&ct).to_vec()),
        iterations: ITERATIONS,
    })
}

/// Decrypts a saved key; a wrong passphrase is reported as such.
pub async fn open(saved: &SavedKey, passphrase: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    let key = derive(passphrase, &unb64(&saved.salt)?, saved.iterations).await?;
    let alg = obj(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(&unb64(&saved.iv)?[..]).into())]);
    let ct = unb64(&saved.ciphertext)?;
    let pt = JsFuture::from(subtle()?.decrypt_with_object_and_u8_array(&alg, &key, &ct).map_err(|_| "decryption failed")?)
        .await
        .map_err(|_| "wrong workspace passphrase".to_string())?;
    Ok(Zeroizing::new(Uint8Array::new(&pt).to_vec()))
}

/// Saves (or replaces) a record.
pub async fn save(key: &SavedKey) -> Result<(), String> {
    let value = serde_wasm_bindgen::to_value(key).map_err(|e| e.to_string())?;
    idb::put(STORE, &key.id, &value).await
}

/// Every saved record, oldest first.
pub async fn list() -> Result<Vec<SavedKey>, String> {
    let all = idb::get_all(STORE).await?;
    let mut v: Vec<SavedKey> = serde_wasm_bindgen::from_value(all).map_err(|e| format!("a saved record is damaged: {e}"))?;
    v.sort_by(|a, b| a.saved_at.total_cmp(&b.saved_at));
    Ok(v)
}

/// Deletes a record.
pub async fn delete(id: &str) -> Result<(), String> {
    idb::delete(STORE, id).await
}
