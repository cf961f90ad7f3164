//! Vendor connectors: plain Rust, no browser dependency.
//!
//! The shared vendor layer, used by every connector:
//! - [`transport`]: the HTTP seam ([`transport::Transport`], no `Send` bound, so the browser's
//!   `fetch` and a native test fake plug in the same way);
//! - [`auth`]: authentication as values (EdgeGrid, Bearer, Basic plus fixed headers, OAuth 2.0
//!   client credentials with a cached token);
//! - [`request`]: the one request path (build, authenticate, send, decode, typed error; one 429
//!   retry; one new token after a 401);
//! - [`error`]: one error type and the vendors' own error bodies;
//! - [`retry`]: rate-limit headers and the wait before the retry;
//! - [`paging`]: pages and the bounded "all pages" walk;
//! - [`query`]: query strings and form bodies decoded (the emulated services, redaction);
//! - [`redact`]: secrets out of `Debug`, errors and logs.
//!
//! Each vendor then has its own module with its models, local rules and client:
//! [`akamai`] (mTLS Edge Truststore), [`openai`] (organization mTLS certificates), [`mattr`]
//! (MATTR VII DTS root CAs and VICAL signers), [`pingfederate`] (signing key pairs) and [`segura`]
//! (certificate requests).

pub mod akamai;
pub mod auth;
pub mod error;
pub mod mattr;
pub mod openai;
pub mod paging;
pub mod pingfederate;
pub mod query;
pub mod redact;
pub mod request;
pub mod retry;
pub mod segura;
pub mod transport;
