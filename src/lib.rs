//! certwright: a certificate and key workbench that runs in the browser.
//!
//! - [`pki`]: the pure-Rust PKI core (parsing, fingerprints, chain tools, keys, CSRs, certificates,
//!   CRLs, profiles). No browser dependency.
//! - [`vendors`]: vendor connectors (Akamai first). No browser dependency.
//! - `ui` (wasm32 only): the Leptos single-page app.
//! - `js` (wasm32 + feature `js-api`): the wasm-bindgen JS module.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use certwright_pki as pki;
pub mod vendors;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
pub mod webcrypto;

// Parsing big inputs in a Web Worker (the `parse-worker` binary and the Inspect page's side).
#[cfg(target_arch = "wasm32")]
pub mod parse_worker;

// The app's pure helpers, also compiled natively so their unit tests run with `cargo test --lib`.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "ui/certtable/window.rs"]
mod ui_certtable_window;
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "ui/defaults.rs"]
#[allow(dead_code)]
mod ui_defaults;
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "ui/ids.rs"]
mod ui_ids;

#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
pub mod js;
