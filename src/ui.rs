//! The Leptos single-page app (wasm32 only). Components only wire signals; the work is done by
//! [`crate::pki`] and [`crate::vendors`].
//!
//! The shell holds the page list ([`PAGES`]), the router ([`router`]) and one `<main>`. A page is
//! mounted the first time its URL is visited and then stays mounted (hidden while another page
//! shows), so switching pages loses no work. Adding a page is one line in [`PAGES`].

mod browser;
mod casets;
mod certtable;
mod defaults;
mod detail;
mod idb;
mod ids;
mod inspect;
mod kit;
mod mattr;
mod net;
mod openai;
mod pingfederate;
mod router;
mod segura;
mod vault;
mod workshop;

use leptos::prelude::*;

use router::{use_router, Link, Router};

/// One page of the app: where it lives, its name in the navigation, and how to build it.
struct PageInfo {
    /// The URL prefix it owns (`/akamai/ca-sets` owns `/akamai/ca-sets/{id}/versions/{n}`).
    path: &'static str,
    /// Its link text in the navigation.
    label: &'static str,
    view: fn() -> AnyView,
}

/// Every page, in navigation order. The first is the home page (`/` shows it).
const PAGES: &[PageInfo] = &[
    PageInfo { path: "/inspect", label: "Inspect", view: || view! { <inspect::InspectPage/> }.into_any() },
    PageInfo { path: "/keys", label: "Keys & certificates", view: || view! { <workshop::WorkshopPage/> }.into_any() },
    PageInfo { path: "/akamai/ca-sets", label: "CA sets", view: || view! { <casets::CaSetsPage/> }.into_any() },
    PageInfo { path: "/openai", label: "OpenAI", view: || view! { <openai::OpenAiPage/> }.into_any() },
    PageInfo { path: "/mattr", label: "MATTR", view: || view! { <mattr::MattrPage/> }.into_any() },
    PageInfo { path: "/pingfederate", label: "PingFederate", view: || view! { <pingfederate::PingFederatePage/> }.into_any() },
    PageInfo { path: "/segura", label: "Segura", view: || view! { <segura::SeguraPage/> }.into_any() },
];

/// The index in [`PAGES`] of the page that owns `path` (`None`: no page does).
fn page_of(path: &str) -> Option<usize> {
    PAGES.iter().position(|p| router::segments_after(path, p.path).is_some())
}

/// Moves work between pages: a CSR found by Inspect goes to the certificate form.
#[derive(Clone, Copy)]
pub(crate) struct Handoff {
    router: Router,
    /// The PEM of the CSR to certify (the certificate form edits this signal directly).
    pub(crate) csr_pem: RwSignal<String>,
}

impl Handoff {
    /// Opens the certificate form with this CSR.
    pub(crate) fn sign_csr(&self, pem: String) {
        self.csr_pem.set(pem);
        self.router.navigate("/keys");
    }
}

/// The application shell: header, navigation, and the pages visited so far.
#[component]
pub fn App() -> impl IntoView {
    let router = Router::install();
    provide_context(router);
    provide_context(Handoff { router, csr_pem: RwSignal::new(String::new()) });
    provide_context(workshop::Workshop::new());
    // `/` is the home page; an unknown path says so (and links home) instead of showing nothing.
    if router::segments_after(&router.path_untracked(), "").is_some_and(|s| s.is_empty()) {
        router.replace(PAGES[0].path);
    }
    let current = Memo::new(move |_| page_of(&router.path()));
    // The first page is built in the first render pass (not after an effect), so it is there as
    // soon as the app is mounted.
    let visited = RwSignal::new(current.get_untracked().into_iter().collect::<Vec<usize>>());
    Effect::new(move |_| {
        if let Some(i) = current.get() {
            if !visited.with_untracked(|v| v.contains(&i)) {
                visited.update(|v| v.push(i));
            }
            let title = format!("{} · certwright", PAGES[i].label);
            if let Some(d) = web_sys::window().and_then(|w| w.document()) {
                d.set_title(&title);
            }
        }
    });
    view! {
        <header class="top">
            <h1>"certwright"</h1>
            <p class="tagline">"Certificate and key workbench. Everything runs in this browser tab; private keys never leave it."</p>
            <nav aria-label="Pages">
                <ul>
                    {PAGES.iter().map(|p| view! {
                        <li><Link href=p.path.to_string() current_prefix=p.path>{p.label}</Link></li>
                    }).collect_view()}
                </ul>
            </nav>
        </header>
        <main>
            {PAGES.iter().enumerate().map(|(i, p)| view! {
                <Show when=move || visited.with(|v| v.contains(&i))>
                    <div class="page" class:hidden=move || current.get() != Some(i)>{(p.view)()}</div>
                </Show>
            }).collect_view()}
            {move || current.get().is_none().then(|| view! { <NotFound/> })}
        </main>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let router = use_router();
    view! {
        <section aria-labelledby="notfound-heading">
            <h2 id="notfound-heading">"No such page"</h2>
            <p>{move || format!("Nothing in certwright lives at {}.", router.path())}</p>
            <p><Link href=PAGES[0].path.to_string()>"Go to Inspect"</Link></p>
        </section>
    }
}
