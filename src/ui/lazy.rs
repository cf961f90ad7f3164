//! Loading the second module (every page but Inspect) on first use.
//!
//! `index.html` loads only the shell. The first time a URL of another page is visited,
//! [`Loader::load`] adds `certwright-pages.js` (wasm-bindgen's `no-modules` glue, which Trunk
//! builds for the `certwright-pages` binary) and `pages-start.js` (from `public/`: it hands the
//! glue's init function to `window`), and starts the module with its wasm. That module's `main`
//! mounts [`super::pages::Pages`] into the shell's element [`HOST_ID`]; from then on both modules
//! follow the URL (see [`super::router::NAVIGATE_EVENT`]).
//!
//! The modules share no memory: what one page hands to another across them (a CSR from Inspect
//! to the certificate form) waits in a property of `window` ([`put_csr`], [`take_csr`]), in
//! memory only. A CSR is public data; private keys never cross.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The id of the element, inside the shell's `<main>`, that the pages module mounts into.
pub(crate) const HOST_ID: &str = "more-pages";
/// The pages module's glue and wasm, as Trunk writes them to `dist/`.
const GLUE: &str = "/certwright-pages.js";
const WASM: &str = "/certwright-pages_bg.wasm";
/// Run after the glue: it puts the glue's init function (a global `let`) on `window` as
/// [`INIT_GLOBAL`].
const EXPOSE: &str = "/pages-start.js";
const INIT_GLOBAL: &str = "certwrightPagesInit";
/// Where a CSR waits between the modules.
const CSR_SLOT: &str = "__certwrightCsrHandoff";

/// Where the pages module is.
#[derive(Clone, PartialEq)]
pub(crate) enum State {
    NotLoaded,
    Loading,
    Loaded,
    /// It did not load (the message says why); [`Loader::load`] tries again.
    Failed(String),
}

/// Loads the pages module once (again after a failure).
#[derive(Clone, Copy)]
pub(crate) struct Loader {
    state: RwSignal<State>,
}

impl Loader {
    pub(crate) fn new() -> Loader {
        Loader { state: RwSignal::new(State::NotLoaded) }
    }

    /// Starts loading the module unless it is loading or loaded.
    pub(crate) fn load(&self) {
        if matches!(self.state.get_untracked(), State::Loading | State::Loaded) {
            return;
        }
        self.state.set(State::Loading);
        let state = self.state;
        spawn_local(async move {
            state.set(match load_module().await {
                Ok(()) => State::Loaded,
                Err(e) => State::Failed(e),
            });
        });
    }
}

/// "Loading…" while the module loads; what went wrong, with "Try again", if it did not.
#[component]
pub(crate) fn LoadState(loader: Loader) -> impl IntoView {
    move || match loader.state.get() {
        State::Loading => view! { <p class="loading" role="status">"Loading the page…"</p> }.into_any(),
        State::Failed(why) => view! {
            <section class="failure" role="alert" aria-labelledby="lazy-failed-heading">
                <h2 id="lazy-failed-heading">"This page could not be loaded"</h2>
                <p>{why}</p>
                <button type="button" on:click=move |_| loader.load()>"Try again"</button>
            </section>
        }
        .into_any(),
        State::NotLoaded | State::Loaded => ().into_any(),
    }
}

/// Adds the glue scripts (once) and starts the module with its wasm.
async fn load_module() -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    if !has_init(&window) {
        for src in [GLUE, EXPOSE] {
            add_script(&window, src).await?;
        }
        if !has_init(&window) {
            return Err(format!("{GLUE} loaded but did not define its module"));
        }
    }
    let init: js_sys::Function = js_sys::Reflect::get(&window, &INIT_GLOBAL.into()).map_err(describe)?.dyn_into().map_err(describe)?;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"module_or_path".into(), &WASM.into()).map_err(describe)?;
    let started: js_sys::Promise = init.call1(&JsValue::NULL, &options).map_err(describe)?.dyn_into().map_err(describe)?;
    JsFuture::from(started).await.map_err(|e| format!("{WASM} did not start: {}", describe(e)))?;
    Ok(())
}

/// Adds `<script src>` to the head and waits until it has run.
async fn add_script(window: &web_sys::Window, src: &str) -> Result<(), String> {
    let document = window.document().ok_or("no document")?;
    let script: web_sys::HtmlScriptElement =
        document.create_element("script").map_err(describe)?.dyn_into().map_err(|_| "not a script element")?;
    script.set_src(src);
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
    });
    document.head().ok_or("no <head>")?.append_child(&script).map_err(describe)?;
    JsFuture::from(loaded).await.map_err(|_| format!("{src} did not load (network error or missing file)"))?;
    Ok(())
}

fn has_init(window: &web_sys::Window) -> bool {
    js_sys::Reflect::get(window, &INIT_GLOBAL.into()).is_ok_and(|f| f.is_function())
}

fn describe(e: impl Into<JsValue>) -> String {
    let e = e.into();
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

/// Leaves a CSR for the certificate form (in the pages module).
pub(crate) fn put_csr(pem: String) {
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &CSR_SLOT.into(), &pem.into());
    }
}

/// Takes the CSR that Inspect left, if any (it is then gone).
pub(crate) fn take_csr() -> Option<String> {
    let w = web_sys::window()?;
    let pem = js_sys::Reflect::get(&w, &CSR_SLOT.into()).ok()?.as_string()?;
    let _ = js_sys::Reflect::delete_property(&w, &CSR_SLOT.into());
    Some(pem)
}
