//! The certwright app binary: mounts the Leptos UI (wasm32). Natively it only explains itself.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(certwright::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("certwright is a browser app: build it with `trunk build` (see README.md).");
}
