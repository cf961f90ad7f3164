//! URLs for every page and object, with the History API (no router crate: the app needs path
//! matching and `pushState`, nothing more).
//!
//! - The path is one signal ([`Router::path`]); pages read their segments from it and render the
//!   object it names (`/akamai/ca-sets/{id}/versions/{n}`, `/openai/certificates/{id}`, …).
//! - [`Router::navigate`] pushes a history entry; [`Router::replace`] rewrites the current one
//!   (for views reached by a redirect, such as `/` → `/inspect`).
//! - Back and forward arrive as `popstate` and set the signal, so the page follows.
//! - The app is two wasm modules (the first page, and the pages loaded on first use; see
//!   [`super::lazy`]), each with its own router. A navigation in either one is announced with a
//!   [`NAVIGATE_EVENT`] on `window`, which every router follows like `popstate`.
//! - A reload asks the server for the same path; the relay (and `trunk serve`) answer any path
//!   without a file extension with `index.html`, so the app starts on the same view.
//! - [`Link`] is an `<a href>`: middle-click and "open in new tab" work, a plain click stays in the
//!   app.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The `window` event a router sends after it changes the URL, so the other module's router
/// follows (`pushState` itself sends nothing).
pub const NAVIGATE_EVENT: &str = "certwright:navigate";

/// The app's location. Provided as context by the shell; [`use_router`] finds it.
#[derive(Clone, Copy)]
pub struct Router {
    path: RwSignal<String>,
    /// The query string without `?` (`source=akamai`), empty when there is none.
    query: RwSignal<String>,
}

impl Router {
    /// The router for the page's current location, following back and forward and the other
    /// module's navigations.
    pub fn install() -> Router {
        let router = Router { path: RwSignal::new(location_path()), query: RwSignal::new(location_query()) };
        let on_pop = Closure::<dyn Fn()>::new(move || {
            router.set(&location_path(), &location_query());
        });
        if let Some(w) = web_sys::window() {
            for event in ["popstate", NAVIGATE_EVENT] {
                let _ = w.add_event_listener_with_callback(event, on_pop.as_ref().unchecked_ref());
            }
        }
        // The shell lives as long as the page.
        on_pop.forget();
        router
    }

    /// The current path (tracked), e.g. `/akamai/ca-sets/12/versions/3`.
    pub fn path(&self) -> String {
        self.path.get()
    }

    /// The current path, untracked.
    pub fn path_untracked(&self) -> String {
        self.path.get_untracked()
    }

    /// The current path's segments after `prefix` (tracked); `None` when the path is elsewhere.
    /// `segments_after("/openai")` on `/openai/certificates/cert_1` is `["certificates", "cert_1"]`.
    pub fn segments_after(&self, prefix: &str) -> Option<Vec<String>> {
        self.path.with(|p| segments_after(p, prefix))
    }

    /// The value of query parameter `name` (tracked; `None` when absent).
    /// `/akamai/ca-sets?source=akamai` → `query("source") == Some("akamai")`.
    pub fn query(&self, name: &str) -> Option<String> {
        self.query.with(|q| query_value(q, name))
    }

    /// Every query pair (tracked), form-decoded: `/segura/requests?limit=2` gives
    /// `[("limit", "2")]`.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.with(|q| crate::vendors::query::parse_query(q))
    }

    /// Goes to `path` (which may end in `?query`), adding a history entry (nothing happens if it
    /// is the current location).
    pub fn navigate(&self, path: &str) {
        let (p, q) = split_query(path);
        if self.path.with_untracked(|cur| cur == p) && self.query.with_untracked(|cur| cur == q) {
            return;
        }
        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
        }
        self.set(p, q);
        announce();
    }

    /// Replaces the current history entry with `path` (no new entry).
    pub fn replace(&self, path: &str) {
        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
        }
        let (p, q) = split_query(path);
        self.set(p, q);
        announce();
    }

    fn set(&self, path: &str, query: &str) {
        // The query first: a page reading both sees the new pair when the path changes.
        if self.query.with_untracked(|cur| cur != query) {
            self.query.set(query.to_owned());
        }
        if self.path.with_untracked(|cur| cur != path) {
            self.path.set(path.to_owned());
        }
    }
}

/// Tells the other module's router that the URL changed.
fn announce() {
    if let (Some(w), Ok(ev)) = (web_sys::window(), web_sys::Event::new(NAVIGATE_EVENT)) {
        let _ = w.dispatch_event(&ev);
    }
}

/// The router the shell provides.
///
/// # Panics
/// Outside the app shell (a component test must provide one with [`provide_context`]).
pub fn use_router() -> Router {
    use_context::<Router>().expect("the app shell provides the router")
}

/// The browser's current path (without query or fragment).
fn location_path() -> String {
    web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_else(|| "/".into())
}

/// The browser's current query string, without `?`.
fn location_query() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).map(|s| s.trim_start_matches('?').to_owned()).unwrap_or_default()
}

/// `"/a/b?x=1"` → `("/a/b", "x=1")`.
fn split_query(path: &str) -> (&str, &str) {
    path.split_once('?').unwrap_or((path, ""))
}

/// The value of `name` in a query string (`a=1&source=akamai`), percent-escapes decoded.
fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').filter_map(|kv| kv.split_once('=').or(Some((kv, "")))).find(|(k, _)| *k == name).map(|(_, v)| decode(v))
}

/// `path`'s segments after `prefix` (whole segments only; percent-escapes decoded).
pub fn segments_after(path: &str, prefix: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix(prefix)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    Some(rest.split('/').filter(|s| !s.is_empty()).map(decode).collect())
}

/// One path segment for a URL: everything but unreserved characters is percent-encoded, so an
/// id can hold `/`, `?` or `#` and still round-trip through [`segments_after`].
pub fn segment(raw: &str) -> String {
    crate::vendors::request::percent_encode(raw)
}

fn decode(s: &str) -> String {
    js_sys::decode_uri_component(s).ok().and_then(|v| v.as_string()).unwrap_or_else(|| s.to_owned())
}

/// An in-app link: a real `<a href>` (so it can be opened in a new tab) that navigates without a
/// reload on a plain click.
#[component]
pub fn Link(
    /// Where it goes.
    #[prop(into)]
    href: Signal<String>,
    /// Marked `aria-current="page"` while the path starts with this.
    #[prop(optional, into)]
    current_prefix: Option<String>,
    #[prop(optional, into)] class: String,
    children: Children,
) -> impl IntoView {
    let router = use_router();
    let current =
        move || current_prefix.as_deref().is_some_and(|p| router.path.with(|path| segments_after(path, p).is_some())).then_some("page");
    view! {
        <a href=move || href.get() class=class aria-current=current on:click=move |ev: leptos::ev::MouseEvent| {
            if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()) {
                ev.prevent_default();
                router.navigate(&href.get_untracked());
            }
        }>{children()}</a>
    }
}
