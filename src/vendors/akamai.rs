//! Akamai mTLS Edge Truststore (CA sets and versions), `shared/reference/vendor-apis.md` §1.

pub mod client;
pub mod edgegrid;
pub mod models;
pub mod validate;
pub mod service;
