//! The Leptos single-page app (wasm32 only). Components only wire signals; the work is done by
//! [`crate::pki`] and [`crate::vendors`].
//!
//! The app is two wasm modules, so the first page loads little:
//! - the shell ([`App`], binary `certwright-app`, loaded by `index.html`): the navigation
//!   ([`NAV`]), the router ([`router`]), one `<main>`, and the Inspect page;
//! - every other page ([`pages`], binary `certwright-pages`), loaded by [`lazy`] the first time
//!   one of its URLs is visited, and mounted inside the shell's `<main>`.
//!
//! A page is mounted the first time its URL is visited and then stays mounted (hidden while
//! another page shows), so switching pages loses no work. Adding a page is one line in [`NAV`]
//! and one in [`pages::PAGES`].

mod browser;
mod casets;
mod certtable;
mod defaults;
mod detail;
mod idb;
mod ids;
mod inspect;
mod kit;
mod lazy;
mod mattr;
mod net;
mod openai;
pub mod pages;
mod pingfederate;
mod router;
mod segura;
mod vault;
mod workshop;

use leptos::prelude::*;

use router::{use_router, Link, Router};

/// Every page in navigation order: its URL prefix (`/akamai/ca-sets` owns
/// `/akamai/ca-sets/{id}/versions/{n}`) and its link text. The first is the home page (`/` shows
/// it) and is built into the first module; the others are in [`pages::PAGES`], loaded on first
/// use. Adding a page is one line here and one there.
const NAV: &[(&str, &str)] = &[
    ("/inspect", "Inspect"),
    ("/keys", "Keys & certificates"),
    ("/akamai/ca-sets", "CA sets"),
    ("/openai", "OpenAI"),
    ("/mattr", "MATTR"),
    ("/pingfederate", "PingFederate"),
    ("/segura", "Segura"),
];

/// The index in `pages` of the page that owns `path` (`None`: no page does).
fn page_of<T>(pages: &[(&str, T)], path: &str) -> Option<usize> {
    pages.iter().position(|(prefix, _)| router::segments_after(path, prefix).is_some())
}

/// Moves work between pages: a CSR found by Inspect goes to the certificate form (in the other
/// module: the CSR waits in [`lazy::put_csr`] until the Keys page takes it).
#[derive(Clone, Copy)]
pub(crate) struct Handoff {
    router: Router,
    /// The PEM of the CSR to certify (the certificate form edits this signal directly).
    pub(crate) csr_pem: RwSignal<String>,
}

impl Handoff {
    fn new(router: Router) -> Handoff {
        Handoff { router, csr_pem: RwSignal::new(String::new()) }
    }

    /// Opens the certificate form with this CSR.
    pub(crate) fn sign_csr(&self, pem: String) {
        lazy::put_csr(pem);
        self.router.navigate("/keys");
    }
}

/// The application shell (the first module): header, navigation, the Inspect page, and the
/// place where the other pages appear once their module is loaded ([`lazy`]).
#[component]
pub fn App() -> impl IntoView {
    let router = Router::install();
    provide_context(router);
    provide_context(Handoff::new(router));
    // `/` is the home page; an unknown path says so (and links home) instead of showing nothing.
    if router::segments_after(&router.path_untracked(), "").is_some_and(|s| s.is_empty()) {
        router.replace(NAV[0].0);
    }
    let current = Memo::new(move |_| page_of(NAV, &router.path()));
    let on_home = move || current.get() == Some(0);
    // The home page is built in the first render pass (not after an effect), so it is there as
    // soon as the app is mounted; elsewhere it waits for its first visit.
    let home_visited = RwSignal::new(on_home());
    let more = lazy::Loader::new();
    Effect::new(move |_| {
        let Some(i) = current.get() else { return };
        if i == 0 {
            home_visited.set(true);
        } else {
            more.load();
        }
        if let Some(d) = web_sys::window().and_then(|w| w.document()) {
            d.set_title(&format!("{} · certwright", NAV[i].1));
        }
    });
    view! {
        <header class="top">
            <h1>"certwright"</h1>
            <p class="tagline">"Certificate and key workbench. Everything runs in this browser tab; private keys never leave it."</p>
            <nav aria-label="Pages">
                <ul>
                    {NAV.iter().map(|(path, label)| view! {
                        <li><Link href=path.to_string() current_prefix=*path>{*label}</Link></li>
                    }).collect_view()}
                </ul>
            </nav>
        </header>
        <main>
            <Show when=move || home_visited.get()>
                <div class="page" class:hidden=move || !on_home()><inspect::InspectPage/></div>
            </Show>
            // The pages module mounts itself here; this element has no children of the shell's.
            <div id=lazy::HOST_ID></div>
            {move || (current.get().is_some_and(|i| i > 0)).then(|| view! { <lazy::LoadState loader=more/> })}
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
            <p><Link href=NAV[0].0.to_string()>"Go to Inspect"</Link></p>
        </section>
    }
}
