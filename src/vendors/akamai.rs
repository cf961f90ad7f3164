//! Akamai mTLS Edge Truststore (CA sets and versions); contract notes in `docs/vendors/akamai.md`.
//!
//! - [`edgegrid`]: EdgeGrid signing and `.edgerc` parsing (used by
//!   [`crate::vendors::auth::Auth::EdgeGrid`]);
//! - [`models`]: the wire models, exact to Akamai's SDK fixtures;
//! - [`validate`]: the local check of a version, in Akamai's shape;
//! - [`client`]: the typed client on the shared request path;
//! - [`service`]: the service model the emulator and the offline workspace run;
//! - [`workflow`]: the CA-sets page's workflows and decisions (upload gate, delete order, edit or
//!   clone-and-edit, activation following, failure text), so the page only wires signals.

pub mod client;
pub mod edgegrid;
pub mod models;
pub mod service;
pub mod validate;
pub mod workflow;
