//! Akamai mTLS Edge Truststore (CA sets and versions), `shared/reference/vendor-apis.md` §1.

pub mod edgegrid;
pub mod validate;
