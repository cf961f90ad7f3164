//! OpenAI Admin API, organization and project certificates (mTLS); contract notes in
//! `docs/vendors/openai.md`, the OpenAPI subset in `tests/data/vendors/openai/`.
//!
//! - [`models`]: the wire models, exact to the OpenAPI document;
//! - [`client`]: the typed client on the shared request path (Bearer admin key), with paging,
//!   batched activation and "load all with fingerprints";
//! - [`workflow`]: local rules around the calls (the delete guard, activation batches,
//!   fingerprints and expiry computed from `content`);
//! - [`rules`]: the rule pack run before an upload (CA and client certificate);
//! - [`service`]: the service model the emulator (and an offline workspace) runs.

pub mod client;
pub mod models;
pub mod rules;
pub mod service;
pub mod workflow;
