//! The app's IndexedDB database, `certwright`: one object store per kind of record (`keys`: the
//! encrypted key vault; `casets`: the offline CA-set workspace; `secrets`: vendor credentials saved encrypted, only
//! on the user's explicit choice). Opening it creates any store
//! that is missing.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const DB: &str = "certwright";
const VERSION: u32 = 3;
const STORES: [&str; 3] = ["keys", "casets", "secrets"];

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
    let factory = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()).ok_or("this browser has no IndexedDB (private mode?)")?;
    let open = factory.open_with_u32(DB, VERSION).map_err(|_| "IndexedDB could not be opened")?;
    let upgrade = Closure::once_into_js(move |e: web_sys::Event| {
        if let Some(db) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<web_sys::IdbDatabase>().ok())
        {
            let existing = db.object_store_names();
            for name in STORES {
                if !existing.contains(name) {
                    let _ = db.create_object_store(name);
                }
            }
        }
    });
    open.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = request(&open).await?;
    db.dyn_into().map_err(|_| "IndexedDB returned no database".into())
}

async fn store(name: &str, mode: web_sys::IdbTransactionMode) -> Result<web_sys::IdbObjectStore, String> {
    let db = database().await?;
    let tx = db.transaction_with_str_and_mode(name, mode).map_err(|_| "IndexedDB transaction failed")?;
    tx.object_store(name).map_err(|_| "IndexedDB store missing".into())
}

/// Saves (or replaces) the record `key` of store `name`.
pub async fn put(name: &str, key: &str, value: &JsValue) -> Result<(), String> {
    let s = store(name, web_sys::IdbTransactionMode::Readwrite).await?;
    request(&s.put_with_key(value, &key.into()).map_err(|_| "IndexedDB refused the record")?).await.map(|_| ())
}

/// The record `key` of store `name` (`undefined` if there is none).
pub async fn get(name: &str, key: &str) -> Result<JsValue, String> {
    let s = store(name, web_sys::IdbTransactionMode::Readonly).await?;
    request(&s.get(&key.into()).map_err(|_| "IndexedDB read failed")?).await
}

/// Every record of store `name`, as an array.
pub async fn get_all(name: &str) -> Result<JsValue, String> {
    let s = store(name, web_sys::IdbTransactionMode::Readonly).await?;
    request(&s.get_all().map_err(|_| "IndexedDB read failed")?).await
}

/// Deletes the record `key` of store `name`.
pub async fn delete(name: &str, key: &str) -> Result<(), String> {
    let s = store(name, web_sys::IdbTransactionMode::Readwrite).await?;
    request(&s.delete(&key.into()).map_err(|_| "IndexedDB refused the deletion")?).await.map(|_| ())
}
