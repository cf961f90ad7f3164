//! Segura (senhasegura) certificate lifecycle requests: create or modify a request, list, get,
//! follow its status, sign it; contract notes in `docs/vendors/segura.md`.
//!
//! - [`models`]: the wire models (requests, the flat and the wrapped answers, `"N - label"`
//!   statuses, English and Portuguese keys);
//! - [`rules`]: every documented constraint, checked before sending, each finding on its form
//!   field; key-custody warnings; Segura's error bodies mapped onto form fields;
//! - [`client`]: the typed client on the shared request path (OAuth 2.0 client credentials,
//!   then Bearer);
//! - [`service`]: the service model the emulator and an offline workspace run;
//! - [`form`]: what the page decides (its forms read into requests with every problem on its
//!   field, a list's filters to and from its URL, when following a status stops).
//!
//! Key custody: Segura generates the private key on its side (the documented API takes no CSR
//! or public key), so no key made in the browser is ever sent; [`rules::custody_warnings`] says
//! so and warns on 1024-bit keys and on DSA.

pub mod client;
pub mod form;
pub mod models;
pub mod rules;
pub mod service;
