//! Vendor connectors: plain Rust, no browser dependency. Each vendor gets a module with its
//! models, its local validation and its request signing; transports come later.

pub mod akamai;
