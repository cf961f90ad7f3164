//! The app's one IndexedDB database, `certwright`, and its schema.
//!
//! - One object store per vendor workspace plus the key vault. The schema is the ordered list
//!   [`MIGRATIONS`]; the database's version is the number of migrations applied, so opening it
//!   runs, in order, each migration it has not seen yet (inside IndexedDB's upgrade
//!   transaction: all of them or none).
//! - History: version 1 created `keys` (the key vault), version 2 `casets` (the Akamai offline
//!   workspace; one record, `akamai`, holding the workspace as JSON text), version 3 renamed
//!   `casets` to `akamai`, moving its records unchanged; version 4 created `secrets` (vendor
//!   credentials saved encrypted on the user's explicit choice). Data saved by any earlier version
//!   survives (tested by `tests/e2e/tests/idb-upgrade.spec.js`, which writes a version-2
//!   database with raw IndexedDB calls and opens it with this code).
//! - A vendor adds its store with ONE line at the end of [`MIGRATIONS`]
//!   (`Migration::Create("openai")`) and uses its name with [`put`], [`get`], [`get_all`] and
//!   [`delete`]. Never edit or reorder a migration that shipped.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const DB: &str = "certwright";

/// One step of the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Migration {
    /// Creates an object store (out-of-line keys).
    Create(&'static str),
    /// Renames a store: creates `to`, copies every record of `from` under the same key, deletes
    /// `from`.
    Rename {
        /// The old name.
        from: &'static str,
        /// The new name.
        to: &'static str,
    },
}

/// The key vault's store (encrypted private keys, see `vault.rs`).
pub const VAULT: &str = "keys";
/// The Akamai offline workspace's store.
pub const AKAMAI: &str = "akamai";
/// Vendor credentials saved encrypted, only on the user's explicit choice (the OpenAI admin key).
pub const SECRETS: &str = "secrets";

/// The schema, in order. Version N of the database is the first N of these. Append only.
pub const MIGRATIONS: &[Migration] =
    &[Migration::Create(VAULT), Migration::Create("casets"), Migration::Rename { from: "casets", to: AKAMAI }, Migration::Create(SECRETS)];

/// The schema version this code opens the database at.
pub fn version() -> u32 {
    MIGRATIONS.len() as u32
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

/// Runs `f` when `req` succeeds (inside the upgrade transaction, which stays open meanwhile).
fn on_success(req: &web_sys::IdbRequest, f: impl FnOnce(JsValue) + 'static) {
    let r = req.clone();
    let cb = Closure::once_into_js(move |_: web_sys::Event| f(r.result().unwrap_or(JsValue::UNDEFINED)));
    req.set_onsuccess(Some(cb.unchecked_ref()));
}

/// Applies migration `m` in the upgrade transaction `tx`.
fn apply(db: &web_sys::IdbDatabase, tx: &web_sys::IdbTransaction, m: Migration) {
    match m {
        Migration::Create(name) => {
            if !db.object_store_names().contains(name) {
                let _ = db.create_object_store(name);
            }
        }
        Migration::Rename { from, to } => {
            if !db.object_store_names().contains(from) {
                return;
            }
            let Ok(target) = db.create_object_store(to) else { return };
            let Ok(source) = tx.object_store(from) else { return };
            // Keys, then values, then copy and drop the old store; every step runs in the
            // same transaction, so a failure aborts the whole upgrade.
            let Ok(keys_req) = source.get_all_keys() else { return };
            let db = db.clone();
            on_success(&keys_req, move |keys| {
                let Ok(values_req) = source.get_all() else { return };
                on_success(&values_req, move |values| {
                    let (keys, values) = (js_sys::Array::from(&keys), js_sys::Array::from(&values));
                    for i in 0..keys.length() {
                        let _ = target.put_with_key(&values.get(i), &keys.get(i));
                    }
                    let _ = db.delete_object_store(from);
                });
            });
        }
    }
}

async fn database() -> Result<web_sys::IdbDatabase, String> {
    let factory = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()).ok_or("this browser has no IndexedDB (private mode?)")?;
    let open = factory.open_with_u32(DB, version()).map_err(|_| "IndexedDB could not be opened")?;
    let upgrade = Closure::once_into_js(move |e: web_sys::Event| {
        // `IDBVersionChangeEvent.oldVersion`: 0 for a new database.
        let old = js_sys::Reflect::get(&e, &"oldVersion".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as usize;
        let Some(req) = e.target().and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok()) else { return };
        let (Some(db), Some(tx)) = (req.result().ok().and_then(|r| r.dyn_into::<web_sys::IdbDatabase>().ok()), req.transaction()) else {
            return;
        };
        for m in MIGRATIONS.iter().skip(old) {
            apply(&db, &tx, *m);
        }
    });
    open.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = request(&open).await.map_err(|_| {
        format!(
            "the browser's IndexedDB could not open the {DB} database at schema version {} (was it written by a newer release?)",
            version()
        )
    })?;
    db.dyn_into().map_err(|_| "IndexedDB returned no database".into())
}

async fn store(name: &str, mode: web_sys::IdbTransactionMode) -> Result<web_sys::IdbObjectStore, String> {
    let db = database().await?;
    let tx = db.transaction_with_str_and_mode(name, mode).map_err(|_| format!("IndexedDB has no store {name}"))?;
    tx.object_store(name).map_err(|_| format!("IndexedDB has no store {name}"))
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
