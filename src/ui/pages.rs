//! The second module: every page but Inspect (binary `certwright-pages`, loaded by
//! [`super::lazy`] the first time one of them is visited).
//!
//! [`Pages`] mounts inside the shell's `<main>` and shows the page that owns the URL, with its
//! own router (following the shell's) and the contexts its pages share: the key workshop and the
//! CSR handed over by Inspect.

use leptos::prelude::*;

use super::router::Router;
use super::{casets, mattr, openai, page_of, pingfederate, segura, workshop, Handoff};

/// Builds a page's view.
type PageView = fn() -> AnyView;

/// The pages of this module, each with its URL prefix (as in [`super::NAV`]).
pub(crate) const PAGES: &[(&str, PageView)] = &[
    ("/keys", || view! { <workshop::WorkshopPage/> }.into_any()),
    ("/akamai/ca-sets", || view! { <casets::CaSetsPage/> }.into_any()),
    ("/openai", || view! { <openai::OpenAiPage/> }.into_any()),
    ("/mattr", || view! { <mattr::MattrPage/> }.into_any()),
    ("/pingfederate", || view! { <pingfederate::PingFederatePage/> }.into_any()),
    ("/segura", || view! { <segura::SeguraPage/> }.into_any()),
];

/// Mounts [`Pages`] into the shell's host element (the `certwright-pages` binary's `main`).
pub fn mount() {
    let host = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(super::lazy::HOST_ID));
    match host.and_then(|h| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(h).ok()) {
        Some(host) => leptos::mount::mount_to(host, Pages).forget(),
        None => leptos::logging::error!("certwright: the pages module needs the shell's host element"),
    }
}

/// The pages visited so far; the one that owns the URL shows.
#[component]
pub fn Pages() -> impl IntoView {
    let router = Router::install();
    provide_context(router);
    let handoff = Handoff::new(router);
    provide_context(handoff);
    provide_context(workshop::Workshop::new());
    let current = Memo::new(move |_| page_of(PAGES, &router.path()));
    let visited = RwSignal::new(current.get_untracked().into_iter().collect::<Vec<usize>>());
    Effect::new(move |_| {
        let i = current.get();
        // A CSR that Inspect handed over (it navigates here right after leaving it).
        if let Some(pem) = super::lazy::take_csr() {
            handoff.csr_pem.set(pem);
        }
        if let Some(i) = i {
            if !visited.with_untracked(|v| v.contains(&i)) {
                visited.update(|v| v.push(i));
            }
        }
    });
    PAGES
        .iter()
        .enumerate()
        .map(|(i, (_, page))| {
            view! {
                <Show when=move || visited.with(|v| v.contains(&i))>
                    <div class="page" class:hidden=move || current.get() != Some(i)>{page()}</div>
                </Show>
            }
        })
        .collect_view()
}
