//! The Leptos single-page app (wasm32 only). Components only wire signals; the work is done by
//! [`crate::pki`].

mod browser;
mod casets;
mod detail;
mod idb;
mod ids;
mod inspect;
mod net;
mod vault;
mod workshop;

use leptos::prelude::*;

/// The application's pages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Page {
    Inspect,
    Workshop,
    CaSets,
}

/// Moves work between pages: a CSR found by Inspect goes to the certificate form.
#[derive(Clone, Copy)]
pub(crate) struct Handoff {
    page: RwSignal<Page>,
    /// The PEM of the CSR to certify (the certificate form edits this signal directly).
    pub(crate) csr_pem: RwSignal<String>,
}

impl Handoff {
    /// Opens the certificate form with this CSR.
    pub(crate) fn sign_csr(&self, pem: String) {
        self.csr_pem.set(pem);
        self.page.set(Page::Workshop);
    }
}

/// The application shell: header, page tabs, and the pages (both stay mounted, so switching
/// loses nothing).
#[component]
pub fn App() -> impl IntoView {
    let page = RwSignal::new(Page::Inspect);
    provide_context(Handoff { page, csr_pem: RwSignal::new(String::new()) });
    let tab = move |p: Page, label: &'static str, id: &'static str| {
        view! {
            <button type="button" role="tab" id=id aria-selected=move || (page.get() == p).to_string()
                class:active=move || page.get() == p on:click=move |_| page.set(p)>{label}</button>
        }
    };
    view! {
        <header class="top">
            <h1>"certwright"</h1>
            <p class="tagline">"Certificate and key workbench. Everything runs in this browser tab; private keys never leave it."</p>
            <nav role="tablist" aria-label="Pages">
                {tab(Page::Inspect, "Inspect", "tab-inspect")}
                {tab(Page::Workshop, "Keys & certificates", "tab-workshop")}
                {tab(Page::CaSets, "CA sets", "tab-casets")}
            </nav>
        </header>
        <main role="tabpanel" aria-labelledby="tab-inspect" class:hidden=move || page.get() != Page::Inspect>
            <inspect::InspectPage/>
        </main>
        <main role="tabpanel" aria-labelledby="tab-workshop" class:hidden=move || page.get() != Page::Workshop>
            <workshop::WorkshopPage/>
        </main>
        <main role="tabpanel" aria-labelledby="tab-casets" class:hidden=move || page.get() != Page::CaSets>
            <casets::CaSetsPage/>
        </main>
    }
}
