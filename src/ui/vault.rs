//! The local workspace: private keys saved in IndexedDB, only ever encrypted under a passphrase
//! (PBKDF2-SHA-256, 600,000 iterations, AES-256-GCM, all through WebCrypto so the main thread
//! never blocks). Nothing is written in the clear, and nothing goes to localStorage.
//!
//! Record format `v: 2` binds the record's id and the SHA-256 of its public key (SPKI) to the
//! ciphertext as AES-GCM associated data, so a ciphertext moved to another record, or a record
//! whose id or public-key hash was edited, does not decrypt. Records of format 1 (no `v`, saved
//! before associated data was used) still decrypt; they are re-saved as format 2 when loaded.
//! Either way the decrypted key's public key must hash to the record's `spkiSha256`, or the load
//! is refused. Buffers that held the plaintext key on the JS side (WebCrypto's results, the
//! copies handed to it) are overwritten with zeros once copied into wasm, where the key lives in
//! memory that is zeroed on drop.
//!
//! The same encryption keeps a vendor credential the user explicitly chose to save
//! ([`save_secret`]: the OpenAI admin key), in its own store (`secrets`).

use base64::Engine as _;
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use zeroize::Zeroizing;

use super::idb;
use crate::pki::{self, PrivateKey};
use crate::webcrypto::wipe;

const STORE: &str = idb::VAULT;
const SECRETS: &str = idb::SECRETS;
const ITERATIONS: u32 = 600_000;
/// The record format written today (AES-GCM with the id and SPKI hash as associated data).
pub const FORMAT: u32 = 2;

fn format_1() -> u32 {
    1
}

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
    /// Record format: 1 (no associated data; records without `v`) or 2.
    #[serde(default = "format_1")]
    pub v: u32,
}

impl SavedKey {
    /// The AES-GCM associated data of a format-2 record: its id and SPKI hash, length-prefixed
    /// so no two (id, hash) pairs give the same bytes.
    fn associated_data(id: &str, spki_sha256: &str) -> Vec<u8> {
        let mut aad = b"certwright vault v2".to_vec();
        for part in [id, spki_sha256] {
            aad.extend_from_slice(&(part.len() as u32).to_be_bytes());
            aad.extend_from_slice(part.as_bytes());
        }
        aad
    }
}

/// SHA-256 of the key's public key (SPKI), lowercase hex: what a record stores.
pub fn spki_sha256(key: &PrivateKey) -> Result<String, String> {
    use sha2::Digest;
    let spki = key.public_key_der().map_err(|e| e.to_string())?;
    Ok(pki::hex(&sha2::Sha256::digest(&spki)))
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
    let imported = subtle
        .import_key_with_object("raw", &raw, &obj(&[("name", "PBKDF2".into())]), false, &Array::of1(&"deriveKey".into()))
        .map_err(|_| "WebCrypto refused the passphrase");
    // WebCrypto copied the bytes synchronously; the JS copy of the passphrase goes now.
    wipe(&raw);
    let base = JsFuture::from(imported?).await.map_err(|_| "WebCrypto refused the passphrase")?;
    let params = obj(&[
        ("name", "PBKDF2".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", iterations.into()),
        ("hash", "SHA-256".into()),
    ]);
    let aes = obj(&[("name", "AES-GCM".into()), ("length", 256.into())]);
    let key = JsFuture::from(
        subtle
            .derive_key_with_object_and_object(
                &params,
                base.unchecked_ref(),
                &aes,
                false,
                &Array::of2(&"encrypt".into(), &"decrypt".into()),
            )
            .map_err(|_| "key derivation failed")?,
    )
    .await
    .map_err(|_| "key derivation failed")?;
    Ok(key.unchecked_into())
}

/// Passphrase-encrypted bytes: PBKDF2-SHA-256 salt, AES-GCM IV and ciphertext, base64.
struct Sealed {
    salt: String,
    iv: String,
    ciphertext: String,
    iterations: u32,
}

/// Encrypts `plain` under `passphrase` (PBKDF2-SHA-256 [`ITERATIONS`], AES-256-GCM with `aad`
/// as associated data). The JS copy of the plaintext is wiped as soon as WebCrypto took it.
async fn encrypt(plain: &[u8], passphrase: &str, aad: &[u8]) -> Result<Sealed, String> {
    if passphrase.chars().count() < 8 {
        return Err("the passphrase needs at least 8 characters".into());
    }
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 12];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut salt);
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut iv);
    let key = derive(passphrase, &salt, ITERATIONS).await?;
    let alg =
        obj(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(&iv[..]).into()), ("additionalData", Uint8Array::from(aad).into())]);
    // A JS copy of the plaintext for WebCrypto (which copies it again synchronously), wiped at once.
    let plain = Uint8Array::from(plain);
    let encrypting = subtle()?.encrypt_with_object_and_buffer_source(&alg, &key, &plain).map_err(|_| "encryption failed");
    wipe(&plain);
    let ct = JsFuture::from(encrypting?).await.map_err(|_| "encryption failed")?;
    Ok(Sealed { salt: b64(&salt), iv: b64(&iv), ciphertext: b64(&Uint8Array::new(&ct).to_vec()), iterations: ITERATIONS })
}

/// Decrypts what [`encrypt`] sealed; `Err(None)` when the passphrase (or the associated data)
/// is wrong, `Err(Some(message))` for anything else.
async fn decrypt(sealed: &Sealed, passphrase: &str, aad: Option<&[u8]>) -> Result<Zeroizing<Vec<u8>>, Option<String>> {
    let key = derive(passphrase, &unb64(&sealed.salt)?, sealed.iterations).await?;
    let alg = obj(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(&unb64(&sealed.iv)?[..]).into())]);
    if let Some(aad) = aad {
        let _ = Reflect::set(&alg, &"additionalData".into(), &Uint8Array::from(aad).into());
    }
    let ct = unb64(&sealed.ciphertext)?;
    let pt =
        JsFuture::from(subtle()?.decrypt_with_object_and_u8_array(&alg, &key, &ct).map_err(|_| Some("decryption failed".to_string()))?)
            .await
            .map_err(|_| None)?;
    let plain = Zeroizing::new(Uint8Array::new(&pt).to_vec());
    wipe(&pt);
    Ok(plain)
}

/// Encrypts `key` (as PKCS#8) under `passphrase` as a format-2 record.
pub async fn seal(id: String, label: String, key: &PrivateKey, passphrase: &str) -> Result<SavedKey, String> {
    let spki_sha256 = spki_sha256(key)?;
    let pkcs8 = key.to_pkcs8_der().map_err(|e| e.to_string())?;
    let aad = SavedKey::associated_data(&id, &spki_sha256);
    let sealed = encrypt(&pkcs8, passphrase, &aad).await?;
    Ok(SavedKey {
        id,
        label,
        spki_sha256,
        saved_at: js_sys::Date::now(),
        salt: sealed.salt,
        iv: sealed.iv,
        ciphertext: sealed.ciphertext,
        iterations: sealed.iterations,
        v: FORMAT,
    })
}

/// Decrypts a saved key and checks it against the record's public-key hash. A wrong
/// passphrase, a record whose id or hash was changed, and a ciphertext moved from another
/// record are all refused.
pub async fn open(saved: &SavedKey, passphrase: &str) -> Result<PrivateKey, String> {
    let aad = match saved.v {
        1 => None,
        2 => Some(SavedKey::associated_data(&saved.id, &saved.spki_sha256)),
        other => return Err(format!("the saved record has format {other}, which this version of certwright does not know")),
    };
    let sealed =
        Sealed { salt: saved.salt.clone(), iv: saved.iv.clone(), ciphertext: saved.ciphertext.clone(), iterations: saved.iterations };
    let der = decrypt(&sealed, passphrase, aad.as_deref()).await.map_err(|e| {
        e.unwrap_or_else(|| match saved.v {
            1 => "wrong workspace passphrase".to_string(),
            _ => "wrong workspace passphrase, or the saved record was altered (its id or public key does not match its ciphertext)"
                .to_string(),
        })
    })?;
    let key = PrivateKey::import(&der, None).map_err(|e| format!("the decrypted key does not load: {e}"))?;
    if spki_sha256(&key)? != saved.spki_sha256.to_ascii_lowercase() {
        return Err("the saved record was altered: the decrypted key is not the key whose public-key SHA-256 the record lists".into());
    }
    Ok(key)
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

/// A saved credential (a vendor's API key), encrypted exactly as keys are (PBKDF2-SHA-256,
/// AES-256-GCM), with its id and `context` (e.g. the base URL it is for) bound as associated
/// data. Saved only when the user chose to; kept in the `secrets` store.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SavedSecret {
    /// Record id (`openai-admin-key`).
    pub id: String,
    /// What it is for, in the clear (the base URL); bound to the ciphertext.
    pub context: String,
    /// When it was saved (ms since the epoch).
    pub saved_at: f64,
    salt: String,
    iv: String,
    ciphertext: String,
    iterations: u32,
}

fn secret_aad(id: &str, context: &str) -> Vec<u8> {
    let mut aad = b"certwright secret v1".to_vec();
    for part in [id, context] {
        aad.extend_from_slice(&(part.len() as u32).to_be_bytes());
        aad.extend_from_slice(part.as_bytes());
    }
    aad
}

/// Encrypts `secret` under `passphrase` and saves it as record `id` (replacing any).
pub async fn save_secret(id: &str, context: &str, secret: &str, passphrase: &str) -> Result<(), String> {
    let sealed = encrypt(secret.as_bytes(), passphrase, &secret_aad(id, context)).await?;
    let record = SavedSecret {
        id: id.to_owned(),
        context: context.to_owned(),
        saved_at: js_sys::Date::now(),
        salt: sealed.salt,
        iv: sealed.iv,
        ciphertext: sealed.ciphertext,
        iterations: sealed.iterations,
    };
    let value = serde_wasm_bindgen::to_value(&record).map_err(|e| e.to_string())?;
    idb::put(SECRETS, id, &value).await
}

/// The saved record `id`, if there is one (still encrypted).
pub async fn saved_secret(id: &str) -> Result<Option<SavedSecret>, String> {
    let v = idb::get(SECRETS, id).await?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    serde_wasm_bindgen::from_value(v).map(Some).map_err(|_| "the saved record is damaged".to_string())
}

/// Decrypts a saved secret.
pub async fn open_secret(saved: &SavedSecret, passphrase: &str) -> Result<Zeroizing<String>, String> {
    let sealed =
        Sealed { salt: saved.salt.clone(), iv: saved.iv.clone(), ciphertext: saved.ciphertext.clone(), iterations: saved.iterations };
    let plain = decrypt(&sealed, passphrase, Some(&secret_aad(&saved.id, &saved.context)))
        .await
        .map_err(|e| e.unwrap_or_else(|| "wrong vault passphrase, or the saved record was altered".to_string()))?;
    String::from_utf8(plain.to_vec()).map(Zeroizing::new).map_err(|_| "the saved record is damaged".to_string())
}

/// Deletes a saved secret.
pub async fn delete_secret(id: &str) -> Result<(), String> {
    idb::delete(SECRETS, id).await
}
