//! The Leptos single-page app (wasm32 only). Components only wire signals; the work is done by
//! [`crate::pki`].

mod browser;
mod detail;
mod inspect;

use leptos::prelude::*;

/// The application shell: header and the Inspect page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <header class="top">
            <h1>"certwright"</h1>
            <p class="tagline">"Certificate and key workbench. Everything runs in this browser tab; nothing is uploaded."</p>
        </header>
        <main>
            <inspect::InspectPage/>
        </main>
    }
}
