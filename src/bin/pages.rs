//! Every page of the app but Inspect (wasm32): built by Trunk next to the app, loaded by the app
//! the first time one of these pages is opened (see `certwright::ui::lazy`), and mounted inside
//! the app's `<main>`.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    certwright::ui::pages::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("certwright-pages is part of the browser app: build it with `trunk build` (see README.md).");
}
