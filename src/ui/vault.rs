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

const DB: &str = "certwright";
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

async fn request(req: &web_sys::IdbRequest) -> Result<JsValue, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let r = req.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let fail = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("the browser's IndexedDB refused the request"));
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| e.as_string().unwrap_or_else(|| "IndexedDB failed".into()))
}

async fn database() -> Result<web_sys::IdbDatabase, String> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or("this browser has no IndexedDB (private mode?)")?;
    let open = factory.open_with_u32(DB, 1).map_err(|_| "IndexedDB could not be opened")?;
    let upgrade = Closure::once_into_js(move |e: web_sys::Event| {
        if let Some(db) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<web_sys::IdbDatabase>().ok())
        {
            let _ = db.create_object_store(STORE);
        }
    });
    open.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = request(&open).await?;
    db.dyn_into().map_err(|_| "IndexedDB returned no database".into())
}

async fn store(mode: web_sys::IdbTransactionMode) -> Result<web_sys::IdbObjectStore, String> {
    let db = database().await?;
    let tx = db.transaction_with_str_and_mode(STORE, mode).map_err(|_| "IndexedDB transaction failed")?;
    tx.object_store(STORE).map_err(|_| "IndexedDB store missing".into())
}

/// Saves (or replaces) a record.
pub async fn save(key: &SavedKey) -> Result<(), String> {
    let value = serde_wasm_bindgen::to_value(key).map_err(|e| e.to_string())?;
    let s = store(web_sys::IdbTransactionMode::Readwrite).await?;
    request(&s.put_with_key(&value, &key.id.clone().into()).map_err(|_| "IndexedDB refused the record")?).await.map(|_| ())
}

/// Every saved record, oldest first.
pub async fn list() -> Result<Vec<SavedKey>, String> {
    let s = store(web_sys::IdbTransactionMode::Readonly).await?;
    let all = request(&s.get_all().map_err(|_| "IndexedDB read failed")?).await?;
    let mut v: Vec<SavedKey> = serde_wasm_bindgen::from_value(all).map_err(|e| format!("a saved record is damaged: {e}"))?;
    v.sort_by(|a, b| a.saved_at.total_cmp(&b.saved_at));
    Ok(v)
}

/// Deletes a record.
pub async fn delete(id: &str) -> Result<(), String> {
    let s = store(web_sys::IdbTransactionMode::Readwrite).await?;
    request(&s.delete(&id.into()).map_err(|_| "IndexedDB refused the deletion")?).await.map(|_| ())
}
