//! Vendor connectors: plain Rust, no browser dependency. Each vendor gets a module with its
//! models, its local validation, its request signing and its client; clients send through the
//! [`transport::Transport`] trait, so the browser (`fetch`) and tests (a fake) plug in the same
//! way.

pub mod akamai;
pub mod transport;
