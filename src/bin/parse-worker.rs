//! The parsing worker (wasm32, built by Trunk as a Web Worker): the Inspect page hands it big
//! inputs (files or pasted text) and it posts the parsed certificates, CRLs, CSRs and problems
//! back in parts, so the page stays responsive. See `certwright::parse_worker`.

#[cfg(target_arch = "wasm32")]
fn main() {
    certwright::parse_worker::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
