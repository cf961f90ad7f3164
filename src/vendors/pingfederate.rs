//! PingFederate's administrative API, signing key pairs (`docs/vendors/pingfederate.md`), on the
//! shared vendor layer.
//!
//! - [`models`]: the OpenAPI document's schemas (`KeyPairView`, `NewKeyPairSettings`,
//!   `KeyAlgorithm`, `KeyPairRotationSettings`, `KeyPairFile`, `CSRResponse`, `ApiResult`).
//! - [`rules`]: what is checked before sending (the `id` pattern, required fields, the
//!   key-algorithm catalogue, the SHA-1 rotation rule) and `validationErrors` on form fields.
//! - [`client`]: the async client (Basic or Bearer, `X-XSRF-Header: PingFederate` on every call).
//! - [`workflow`]: signing PingFederate's CSR with a CA held in the browser, checking that the
//!   response's public key is the CSR's, and comparing fingerprints.
//! - [`service`]: an offline model of the service (real certificates from the project's
//!   builders), shared by tests and the vendor emulator.

pub mod client;
pub mod form;
pub mod models;
pub mod rules;
pub mod service;
pub mod workflow;
