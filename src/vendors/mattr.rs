//! MATTR VII Digital Trust Service: DTS root CA certificates, their CRLs and VICAL signers;
//! contract notes in `docs/vendors/mattr.md`.
//!
//! - [`models`]: the wire models, exact to MATTR's API reference;
//! - [`rules`]: the checks made before sending (create form, tenant caps), the rule pack for an
//!   unmanaged (browser-made, pasted or dropped) root, fingerprints, and MATTR's error details
//!   mapped onto form fields;
//! - [`client`]: the typed client on the shared request path (OAuth client credentials);
//! - [`workflow`]: signing a VICAL signer's CSR with the root's key;
//! - [`service`]: the service model the emulator and an offline workspace run.

pub mod client;
pub mod models;
pub mod rules;
pub mod service;
pub mod workflow;
