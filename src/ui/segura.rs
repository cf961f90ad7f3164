//! The Segura page: certificate requests on a Segura (senhasegura) vault, through the relay.
//!
//! - URLs: `/segura` and `/segura/requests?…` (the list; its filters, offset, limit and "load
//!   all" are the query string, [`ListView`]), `/segura/requests/new`, `/segura/requests/{id}`
//!   (the request, its status, sign) and `/segura/requests/{id}/edit` (modify). The view follows
//!   the URL, so back, forward and a reload (after connecting again) land on the same view.
//! - Connect: the vault URL and an A2A application's client id and secret; the client fetches an
//!   OAuth 2.0 client-credentials token and sends it as Bearer. The secret lives in the client
//!   only, in this tab's memory.
//! - Every form is checked here before anything is sent ([`RequestForm::check`],
//!   [`SignForm::check`]); each problem shows under its field, and Segura's own refusals are put
//!   on the field they name ([`rules::api_field_errors`]).
//! - Key custody: Segura generates the key of each request on its side; the page says so and
//!   warns on 1024-bit keys and on DSA ([`RequestForm::warnings`]).

use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;

use super::browser;
use super::kit::{Busy, BusyBar, ConnectForm, CredentialField, Credentials, Failure, FieldNote};
use super::net::Relay;
use super::router::{self, use_router, Link};
use crate::pki::FieldError;
use crate::vendors::error::Error;
use crate::vendors::segura::client::{Client, TokenStyle};
use crate::vendors::segura::form::{follow_done, ListView, RequestForm, SignForm};
use crate::vendors::segura::models::{status, Labeled, RequestRecord, RequestStatus};
use crate::vendors::segura::rules;

const BASE: &str = "/segura";
const REQUESTS: &str = "/segura/requests";
/// How often "Follow status" asks, and for how long at most.
const FOLLOW_EVERY_MS: u32 = 1000;
const FOLLOW_MAX_POLLS: u32 = 600;

/// What the URL shows.
#[derive(Clone, Debug, PartialEq)]
enum View {
    List(Box<ListView>, Vec<FieldError>),
    New,
    Request(u64),
    Edit(u64),
    Unknown(String),
}

fn view_of(segs: &[String], query: &[(String, String)]) -> View {
    let code = |s: &str| s.parse::<u64>().ok().filter(|c| *c > 0);
    match segs.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["requests"] => {
            let (v, problems) = ListView::from_query(query);
            View::List(Box::new(v), problems)
        }
        ["requests", "new"] => View::New,
        ["requests", id] => code(id).map_or_else(|| View::Unknown(format!("`{id}` is not a request code")), View::Request),
        ["requests", id, "edit"] => code(id).map_or_else(|| View::Unknown(format!("`{id}` is not a request code")), View::Edit),
        _ => View::Unknown(format!("Nothing lives at {BASE}/{}.", segs.join("/"))),
    }
}

/// The page's state (all `Copy` handles).
#[derive(Clone, Copy)]
struct State {
    client: StoredValue<Option<Rc<Client<Relay>>>, LocalStorage>,
    connected: RwSignal<Option<String>>,
    style: RwSignal<TokenStyle>,
    governance: RwSignal<bool>,
    busy: Busy,
    /// The list as last loaded, and whether a next page may exist.
    list: RwSignal<Vec<RequestRecord>>,
    list_more: RwSignal<bool>,
    list_note: RwSignal<String>,
    record: RwSignal<Option<RequestRecord>>,
    status: RwSignal<Option<RequestStatus>>,
    form: RwSignal<RequestForm>,
    form_errors: RwSignal<Vec<FieldError>>,
    sign: RwSignal<SignForm>,
    sign_errors: RwSignal<Vec<FieldError>>,
    /// A line to put before the status of the request view loaded next ("Request 123 created.").
    flash: RwSignal<Option<String>>,
    /// Bumped by every operation: a "follow" loop stops when it is no longer the latest.
    generation: StoredValue<u64>,
    router: router::Router,
}

/// The message for `field` in `errors` (`san` also gathers `san[i]`).
fn message_for(errors: &[FieldError], field: &str) -> Option<String> {
    let lines: Vec<String> = errors
        .iter()
        .filter(|e| e.field == field || (e.field.starts_with(field) && e.field[field.len()..].starts_with('[')))
        .map(|e| if e.field == field { e.message.clone() } else { format!("{}: {}", e.field, e.message) })
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}

/// A client error as the page shows it, its fields from Segura's message.
fn failure_of(e: &Error) -> (Failure, Vec<FieldError>) {
    let mut f = Failure::from_error(e);
    let fields: Vec<FieldError> = rules::api_field_errors(e).into_iter().filter(|x| !x.field.is_empty()).collect();
    for x in &fields {
        if f.field(&x.field).is_none() {
            f.fields.push((x.field.clone(), x.message.clone()));
        }
    }
    (f, fields)
}

/// Local findings as the failure panel shows them: nothing was sent.
fn refused(findings: &[FieldError]) -> Failure {
    Failure {
        message: format!(
            "Not sent: {} problem{} to fix first, shown on the form{}.",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" },
            if findings.len() == 1 { "" } else { "'s fields" }
        ),
        fields: findings.iter().map(|e| (e.field.clone(), e.message.clone())).collect(),
        ..Failure::default()
    }
}

fn labeled(l: &Option<Labeled>) -> String {
    l.as_ref().map(Labeled::display).unwrap_or_else(|| "—".into())
}

fn request_path(code: u64) -> String {
    format!("{REQUESTS}/{code}")
}

impl State {
    fn client(&self) -> Option<Rc<Client<Relay>>> {
        self.client.get_value()
    }

    /// Runs `work` as the page's one operation (see [`Busy::run`]); a running follow stops.
    fn run<Fut>(self, doing: impl Into<String>, work: Fut) -> u64
    where
        Fut: std::future::Future<Output = Result<String, Failure>> + 'static,
    {
        self.generation.update_value(|g| *g += 1);
        self.busy.run(doing, work);
        self.generation.get_value()
    }

    /// Whether the operation started as `generation` is still the page's current one.
    fn current(&self, generation: u64) -> bool {
        self.busy.running.get_untracked() && self.generation.get_value() == generation
    }

    fn flash_then(&self, text: String) -> String {
        match self.flash.try_update(Option::take).flatten() {
            Some(f) => format!("{f} {text}"),
            None => text,
        }
    }

    fn load_list(self, view: ListView) {
        let Some(client) = self.client() else { return };
        // A create/save message is for the request's own view; leaving for the list drops it
        // (even when the list is opened before that view finished loading).
        self.flash.set(None);
        let doing = if view.all { "Loading every request" } else { "Listing requests" };
        self.run(doing, async move {
            if view.all {
                let all = client.list_all_requests(&view.filters).await.map_err(|e| failure_of(&e).0)?;
                let n = all.items.len();
                let cut = all.stopped.as_ref().map(|s| format!(" Stopped early: {s:?}.")).unwrap_or_default();
                self.list.set(all.items);
                self.list_more.set(false);
                self.list_note.set(format!("All {n} matching request{} ({} page{}).{cut}", plural(n), all.pages, plural(all.pages)));
                Ok(format!("Loaded all {n} request{}.", plural(n)))
            } else {
                let page = client.list_requests(&view.filters, view.offset, view.limit).await.map_err(|e| failure_of(&e).0)?;
                let n = page.items.len();
                self.list_more.set(page.next.is_some());
                self.list_note.set(if n == 0 {
                    format!("No requests from offset {}.", view.offset)
                } else {
                    format!("Requests {}–{} (offset {}, limit {}).", view.offset + 1, view.offset + n as u64, view.offset, view.limit)
                });
                self.list.set(page.items);
                Ok(format!("Listed {n} request{}.", plural(n)))
            }
        });
    }

    fn load_request(self, code: u64, edit: bool) {
        let Some(client) = self.client() else { return };
        if self.record.with_untracked(|r| r.as_ref().and_then(|r| r.code_request) != Some(code)) {
            self.record.set(None);
            self.status.set(None);
        }
        self.run(format!("Loading request {code}"), async move {
            let record = client.get_request(code).await.map_err(|e| failure_of(&e).0)?;
            let st = client.request_status(code).await.map_err(|e| failure_of(&e).0)?;
            if edit {
                self.form.set(RequestForm::from_record(&record));
                self.form_errors.set(Vec::new());
            }
            let shown = st.status_request.display();
            self.record.set(Some(record));
            self.status.set(Some(st));
            Ok(self.flash_then(format!("Request {code}: {shown}.")))
        });
    }

    fn refresh_status(self, code: u64) {
        let Some(client) = self.client() else { return };
        self.run("Reading the status", async move {
            let st = client.request_status(code).await.map_err(|e| failure_of(&e).0)?;
            let shown = st.status_request.display();
            self.status.set(Some(st));
            Ok(format!("Request {code}: {shown}."))
        });
    }

    /// Asks for the status every second until the request is signed (or Cancel).
    fn follow(self, code: u64) {
        let Some(client) = self.client() else { return };
        let mine = self.generation.get_value() + 1;
        self.run(format!("Following request {code} until it is signed"), async move {
            for poll in 0..FOLLOW_MAX_POLLS {
                if poll > 0 {
                    gloo_timers::future::TimeoutFuture::new(FOLLOW_EVERY_MS).await;
                    if !self.current(mine) {
                        return Err(Failure::just("Stopped following."));
                    }
                }
                let st = client.request_status(code).await.map_err(|e| failure_of(&e).0)?;
                let done = follow_done(&st);
                let shown = st.status_request.display();
                self.status.set(Some(st));
                if done {
                    if let Ok(r) = client.get_request(code).await {
                        self.record.set(Some(r));
                    }
                    return Ok(format!("Request {code} is {shown}."));
                }
                self.busy.status.set(format!("Following request {code}: {shown}; asking again every second…"));
            }
            Err(Failure::just(format!("Request {code} was not signed after {FOLLOW_MAX_POLLS} checks; follow again later.")))
        });
    }

    fn submit_request(self, code: Option<u64>, key_password: Option<String>, senha: Option<String>) {
        let router = self.router;
        let checked = self.form.with_untracked(|f| f.check(code, key_password, senha));
        let req = match checked {
            Ok(r) => r,
            Err(findings) => {
                self.busy.fail(refused(&findings));
                self.form_errors.set(findings);
                return;
            }
        };
        self.form_errors.set(Vec::new());
        let Some(client) = self.client() else {
            self.busy.fail(Failure::just("Connect to Segura first."));
            return;
        };
        let doing = if code.is_some() { "Saving the request" } else { "Creating the request" };
        self.run(doing, async move {
            let result = match code {
                Some(c) => client.modify_request(c, &req).await,
                None => client.create_request(&req).await,
            };
            match result {
                Ok(done) => {
                    let code = done.code_request.or(code).unwrap_or(0);
                    let said = done.message.unwrap_or_else(|| "Done".into());
                    self.flash.set(Some(format!("{said} (request {code}).")));
                    router.navigate(&request_path(code));
                    Ok(format!("{said} (request {code})."))
                }
                Err(e) => {
                    let (f, fields) = failure_of(&e);
                    self.form_errors.set(fields);
                    Err(f)
                }
            }
        });
    }

    fn submit_sign(self, code: u64) {
        let governance = self.governance.get_untracked();
        let req = match self.sign.with_untracked(|s| s.check(governance)) {
            Ok(r) => r,
            Err(findings) => {
                self.busy.fail(refused(&findings));
                self.sign_errors.set(findings);
                return;
            }
        };
        self.sign_errors.set(Vec::new());
        let Some(client) = self.client() else { return };
        self.run(format!("Signing request {code}"), async move {
            let signed = match client.sign_request(code, &req, governance).await {
                Ok(s) => s,
                Err(e) => {
                    let (f, fields) = failure_of(&e);
                    self.sign_errors.set(fields);
                    return Err(f);
                }
            };
            let by = match (&signed.ca, signed.self_signed) {
                (Some(ca), _) => format!("by {}", ca.display()),
                (None, Some(1)) => "self-signed".into(),
                _ => "sent".into(),
            };
            let reason = signed.reason.as_ref().map(|r| format!(", reason {}", r.display())).unwrap_or_default();
            let st = client.request_status(code).await.map_err(|e| failure_of(&e).0)?;
            let shown = st.status_request.display();
            self.status.set(Some(st));
            Ok(format!("{} ({by}{reason}). Status: {shown}.", signed.message.unwrap_or_else(|| "Signed".into())))
        });
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The Segura page.
#[component]
pub fn SeguraPage() -> impl IntoView {
    let router = use_router();
    let st = State {
        client: StoredValue::new_local(None),
        connected: RwSignal::new(None),
        style: RwSignal::new(TokenStyle::Form),
        governance: RwSignal::new(false),
        busy: Busy::new(),
        list: RwSignal::new(Vec::new()),
        list_more: RwSignal::new(false),
        list_note: RwSignal::new(String::new()),
        record: RwSignal::new(None),
        status: RwSignal::new(None),
        form: RwSignal::new(RequestForm::default()),
        form_errors: RwSignal::new(Vec::new()),
        sign: RwSignal::new(SignForm::default()),
        sign_errors: RwSignal::new(Vec::new()),
        flash: RwSignal::new(None),
        generation: StoredValue::new(0),
        router,
    };
    let view = Memo::new(move |_| router.segments_after(BASE).map(|segs| view_of(&segs, &router.query_pairs())));
    // Load what the URL names, once connected.
    Effect::new(move |_| {
        let connected = st.connected.with(Option::is_some);
        let Some(v) = view.get() else { return };
        if !connected {
            return;
        }
        match v {
            View::List(list, problems) => {
                if problems.is_empty() {
                    st.load_list(*list);
                } else {
                    st.busy.fail(Failure {
                        message: "This list's URL has values no filter takes; they were left out.".into(),
                        fields: problems.into_iter().map(|p| (p.field, p.message)).collect(),
                        ..Failure::default()
                    });
                    st.load_list(*list);
                }
            }
            View::Request(code) => {
                st.sign_errors.set(Vec::new());
                st.load_request(code, false);
            }
            View::Edit(code) => st.load_request(code, true),
            View::New => {
                st.form.set(RequestForm::default());
                st.form_errors.set(Vec::new());
            }
            View::Unknown(_) => {}
        }
    });
    let on_connect = move |c: Credentials| -> Result<(), String> {
        let base = c.get("baseUrl").trim_end_matches('/').to_owned();
        let client = Client::new(Relay, &base, c.get("clientId"), c.get("clientSecret"), st.style.get_untracked(), browser::now_unix)
            .map_err(|e| e.to_string())?;
        st.client.set_value(Some(Rc::new(client)));
        st.connected.set(Some(base));
        Ok(())
    };
    let on_forget = move || {
        st.client.set_value(None);
        st.connected.set(None);
        st.list.set(Vec::new());
        st.record.set(None);
        st.status.set(None);
        st.busy.status.set("The client and its credentials are forgotten.".into());
    };
    let fields = vec![
        CredentialField::new("Vault URL", "baseUrl", "url")
            .with_hint("e.g. https://vault.example.com (reached through this server's relay)"),
        CredentialField::new("Client id", "clientId", "text"),
        CredentialField::new("Client secret", "clientSecret", "password"),
    ];
    view! {
        <section class="vendor segura" aria-labelledby="segura-heading">
            <h2 id="segura-heading">"Segura certificate requests"</h2>
            <p class="hint">
                "Create, modify, list and sign certificate requests on a Segura (senhasegura) vault. "
                <strong>"Segura generates each request's private key on its side"</strong>
                ": its documented API takes no CSR, so no key made in this browser is used or sent."
            </p>
            <Show when=move || st.connected.with(Option::is_none)>
                <label class="inline">"Token request"
                    <select on:change=move |ev| st.style.set(if event_target_value(&ev) == "basic" { TokenStyle::Basic } else { TokenStyle::Form })>
                        <option value="form" selected=move || st.style.get() == TokenStyle::Form>"Form body (client_id, client_secret)"</option>
                        <option value="basic" selected=move || st.style.get() == TokenStyle::Basic>"HTTP Basic (Segura 3.25)"</option>
                    </select>
                </label>
            </Show>
            <ConnectForm title="Connect to Segura" fields=fields
                note="OAuth 2.0 client credentials (an A2A application with the Certificates resource), then Bearer. The secret stays in this tab's memory only; Forget drops it."
                connected=st.connected on_connect=on_connect on_forget=on_forget/>
            <label class="inline">
                <input type="checkbox" prop:checked=move || st.governance.get() on:change=move |ev| st.governance.set(event_target_checked(&ev))/>
                "This access group demands a governance (ITSM) code to sign"
            </label>
            <nav aria-label="Segura" class="segura-nav">
                <Link href=REQUESTS.to_string()>"All requests"</Link> " · "
                <Link href=format!("{REQUESTS}/new")>"New request"</Link>
            </nav>
            <BusyBar busy=st.busy testid="segura"/>
            {move || match view.get() {
                None => ().into_any(),
                Some(_) if st.connected.with(Option::is_none) => view! {
                    <p class="hint" data-testid="segura-connect-first">"Connect to a vault to see this view."</p>
                }.into_any(),
                Some(View::List(list, _)) => list_view(st, *list).into_any(),
                Some(View::New) => form_view(st, None).into_any(),
                Some(View::Edit(code)) => form_view(st, Some(code)).into_any(),
                Some(View::Request(code)) => request_view(st, code).into_any(),
                Some(View::Unknown(why)) => view! { <p role="alert">{why}</p> }.into_any(),
            }}
        </section>
    }
}

// ---------------------------------------------------------------- list

fn list_view(st: State, current: ListView) -> impl IntoView {
    let router = use_router();
    let f = current.filters.clone();
    let opt = |v: Option<String>| RwSignal::new(v.unwrap_or_default());
    let status_f = opt(f.status_request.map(|n| n.to_string()));
    let domain_f = opt(f.type_domain.clone());
    let cn_f = opt(f.common_name.clone());
    let tags_f = RwSignal::new(f.tags.join(","));
    let type_f = opt(f.type_certificate.map(|n| n.to_string()));
    let enc_f = opt(f.encryption.clone());
    let size_f = opt(f.encryption_key_size.map(|n| n.to_string()));
    let alg_f = opt(f.algorithm_certified.clone());
    let org_f = opt(f.organization.map(|n| n.to_string()));
    let limit_f = RwSignal::new(current.limit.to_string());
    let apply = {
        let current = current.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut q: Vec<(String, String)> = vec![
                ("status_request".into(), status_f.get_untracked()),
                ("type_domain".into(), domain_f.get_untracked()),
                ("common_name".into(), cn_f.get_untracked()),
                ("tags".into(), tags_f.get_untracked()),
                ("type_certificate".into(), type_f.get_untracked()),
                ("encryption".into(), enc_f.get_untracked()),
                ("encryption_key_size".into(), size_f.get_untracked()),
                ("algorithm_certified".into(), alg_f.get_untracked()),
                ("organization".into(), org_f.get_untracked()),
                ("limit".into(), limit_f.get_untracked()),
            ];
            // Filters the form does not show are kept.
            for (k, v) in current.filters.query() {
                if !q.iter().any(|(n, _)| n == k) {
                    q.push((k.into(), v));
                }
            }
            let (next, problems) = ListView::from_query(&q);
            if !problems.is_empty() {
                st.busy.fail(refused(&problems));
                return;
            }
            router.navigate(&ListView { offset: 0, all: false, ..next }.path(REQUESTS));
        }
    };
    let text = |label: &'static str, sig: RwSignal<String>, kind: &'static str| {
        view! { <label>{label}<input type=kind prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/></label> }
    };
    let choice = |label: &'static str, sig: RwSignal<String>, options: &'static [(&'static str, &'static str)]| {
        view! {
            <label>{label}
                <select on:change=move |ev| sig.set(event_target_value(&ev))>
                    {options.iter().map(|(v, l)| view! { <option value=*v selected=move || sig.get() == *v>{*l}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    let prev = current.previous().map(|v| v.path(REQUESTS));
    let next = current.next().map(|v| v.path(REQUESTS));
    let all_path = ListView { all: true, ..current.clone() }.path(REQUESTS);
    let paged_path = ListView { all: false, offset: 0, ..current.clone() }.path(REQUESTS);
    let is_all = current.all;
    view! {
        <div class="segura-list">
            <h3>"Requests"</h3>
            <form class="filters" aria-label="Filter requests" on:submit=apply>
                {text("Status number", status_f, "text")}
                {choice("Domain type", domain_f, &[("", "any"), ("SING", "SING"), ("MULT", "MULT"), ("WILD", "WILD")])}
                {text("Common name contains", cn_f, "text")}
                {text("Tags (comma-separated)", tags_f, "text")}
                {choice("Certificate type", type_f, &[("", "any"), ("1", "1 DV SSL"), ("2", "2 OV SSL"), ("3", "3 EV SSL")])}
                {choice("Encryption", enc_f, &[("", "any"), ("RSA", "RSA"), ("DSA", "DSA")])}
                {choice("Key size", size_f, &[("", "any"), ("4096", "4096"), ("2048", "2048"), ("1024", "1024")])}
                {choice("Signature algorithm", alg_f, &[("", "any"), ("SHA256", "SHA256"), ("SHA384", "SHA384"), ("SHA512", "SHA512")])}
                {text("Organization", org_f, "text")}
                {text("Page size", limit_f, "text")}
                <button type="submit">"Apply filters"</button>
            </form>
            <p class="paging">
                {prev.map(|p| view! { <Link href=p>"Previous page"</Link> " " })}
                {move || (st.list_more.get()).then(|| next.clone().map(|p| view! { <Link href=p>"Next page"</Link> " " }))}
                {if is_all {
                    view! { <Link href=paged_path>"Show pages"</Link> }.into_any()
                } else {
                    view! { <button type="button" on:click=move |_| router.navigate(&all_path)>"Load all"</button> }.into_any()
                }}
            </p>
            <p class="hint" data-testid="segura-list-note">{move || st.list_note.get()}</p>
            <table class="segura-requests">
                <caption>"Segura certificate requests"</caption>
                <thead><tr>
                    <th scope="col">"Code"</th><th scope="col">"Common name"</th><th scope="col">"Domain"</th>
                    <th scope="col">"SANs"</th><th scope="col">"Key"</th><th scope="col">"Status"</th><th scope="col">"Certificate"</th>
                </tr></thead>
                <tbody>
                    <For each=move || st.list.get() key=|r| (r.code_request, r.status_request.as_ref().map(Labeled::wire)) let:r>
                        {
                            let code = r.code_request.unwrap_or(0);
                            view! {
                                <tr>
                                    <td data-label="Code"><Link href=request_path(code)>{format!("Request {code}")}</Link></td>
                                    <td data-label="Common name">{r.common_name.clone().unwrap_or_default()}</td>
                                    <td data-label="Domain">{r.type_domain.clone().unwrap_or_default()}</td>
                                    <td data-label="SANs">{r.san.clone().unwrap_or_default().join(", ")}</td>
                                    <td data-label="Key">{format!("{} {} / {}", r.encryption.clone().unwrap_or_default(),
                                        r.encryption_key_size.map(|n| n.to_string()).unwrap_or_default(), r.algorithm_certified.clone().unwrap_or_default())}</td>
                                    <td data-label="Status">{labeled(&r.status_request)}</td>
                                    <td data-label="Certificate">{r.certificate_code.map(|c| c.to_string()).unwrap_or_default()}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}

// ---------------------------------------------------------------- one request

fn request_view(st: State, code: u64) -> impl IntoView {
    let field = move |name: &'static str| Signal::derive(move || st.sign_errors.with(|e| message_for(e, name)));
    let itsm_label = move || {
        if st.governance.get() {
            "ITSM code (required by governance)"
        } else {
            "ITSM code (when governance demands one)"
        }
    };
    let status_text = move || st.status.with(|s| s.as_ref().map(|s| s.status_request.display()).unwrap_or_else(|| "…".into()));
    let signed = move || st.status.with(|s| s.as_ref().is_some_and(|s| s.status_request.number == Some(status::SIGNED.0)));
    let sign_text = move |get: fn(&SignForm) -> String, set: fn(&mut SignForm, String)| {
        (move || st.sign.with(get), move |ev| st.sign.update(|f| set(f, event_target_value(&ev))))
    };
    let (ca_v, ca_in) = sign_text(|f| f.ca.clone(), |f, v| f.ca = v);
    let (reason_v, reason_in) = sign_text(|f| f.reason.clone(), |f, v| f.reason = v);
    let (just_v, just_in) = sign_text(|f| f.justification.clone(), |f, v| f.justification = v);
    let (itsm_v, itsm_in) = sign_text(|f| f.itsm_code.clone(), |f, v| f.itsm_code = v);
    view! {
        <div class="segura-request">
            <h3>{format!("Request {code}")}</h3>
            <p class="status-line">"Status: " <strong data-testid="segura-request-status">{status_text}</strong>
                {move || st.status.with(|s| s.as_ref().and_then(|s| s.certificate_code)).map(|c| view! { " · certificate " <span data-testid="segura-certificate-code">{c.to_string()}</span> })}
            </p>
            <p class="actions">
                <Link href=format!("{REQUESTS}/{code}/edit")>"Modify this request"</Link> " "
                <button type="button" on:click=move |_| st.refresh_status(code)>"Refresh status"</button> " "
                <button type="button" disabled=signed on:click=move |_| st.follow(code)>"Follow status until signed"</button>
            </p>
            {move || st.record.get().filter(|r| r.code_request == Some(code)).map(|r| record_view(&r))}
            <form class="sign" aria-label="Sign this request" on:submit=move |ev| { ev.prevent_default(); st.submit_sign(code); }>
                <h4>"Sign"</h4>
                <label class="inline">
                    <input type="checkbox" prop:checked=move || st.sign.with(|s| s.self_signed)
                        on:change=move |ev| st.sign.update(|s| s.self_signed = event_target_checked(&ev))/>
                    "Self-signed (no CA)"
                </label>
                <label>"CA code" <input type="text" inputmode="numeric" aria-describedby="segura-sign-ca-note" disabled=move || st.sign.with(|s| s.self_signed)
                    prop:value=ca_v on:input=ca_in/></label>
                <FieldNote id="segura-sign-ca-note" message=field("ca")/>
                <label>"Reason code" <input type="text" inputmode="numeric" aria-describedby="segura-sign-reason-note" prop:value=reason_v on:input=reason_in/></label>
                <FieldNote id="segura-sign-reason-note" message=field("reason")/>
                <label>"Sign justification" <textarea rows="2" aria-describedby="segura-sign-justification-note" prop:value=just_v on:input=just_in></textarea></label>
                <FieldNote id="segura-sign-justification-note" message=field("justification")/>
                <label>{itsm_label} <input type="text" aria-describedby="segura-sign-itsm-note" prop:value=itsm_v on:input=itsm_in/></label>
                <FieldNote id="segura-sign-itsm-note" message=field("itsm_code")/>
                <FieldNote id="segura-sign-self-note" message=field("self_signed")/>
                <button type="submit" disabled=move || st.busy.running.get() || signed()>"Sign request"</button>
            </form>
        </div>
    }
}

fn record_view(r: &RequestRecord) -> impl IntoView {
    let list = |v: &Option<Vec<String>>| v.as_ref().map(|l| l.join(", ")).unwrap_or_default();
    let num = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    let cert_type = match r.type_certificate {
        Some(1) => "1 DV SSL".to_string(),
        Some(2) => "2 OV SSL".into(),
        Some(3) => "3 EV SSL".into(),
        Some(n) => n.to_string(),
        None => String::new(),
    };
    let rows: Vec<(&str, String)> = vec![
        ("Certificate type", cert_type),
        ("Domain type", r.type_domain.clone().unwrap_or_default()),
        ("Organization", num(r.organization)),
        ("Common name", r.common_name.clone().unwrap_or_default()),
        ("SANs", list(&r.san)),
        (
            "Key (made by Segura)",
            format!("{} {}", r.encryption.clone().unwrap_or_default(), r.encryption_key_size.map(|n| n.to_string()).unwrap_or_default()),
        ),
        ("Signature algorithm", r.algorithm_certified.clone().unwrap_or_default()),
        ("Validity (days)", r.validity.map(|n| n.to_string()).unwrap_or_default()),
        ("Tags", list(&r.tags)),
        ("Environments", list(&r.environments)),
        ("Systems", list(&r.systems)),
        ("Project", r.design.clone().unwrap_or_default()),
        ("External IP", r.ip_external.clone().unwrap_or_default()),
        ("Host name or IP", r.ip_hostname.clone().unwrap_or_default()),
        ("Responsible", num(r.responsible)),
        ("Justification", r.justification.clone().unwrap_or_default()),
        ("Description", r.description.clone().unwrap_or_default()),
        ("Status as listed", labeled(&r.status_request)),
    ];
    view! {
        <dl class="segura-record" data-testid="segura-record">
            {rows.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
    }
}

// ---------------------------------------------------------------- create / modify

type Getter = fn(&RequestForm) -> String;
type Setter = fn(&mut RequestForm, String);

fn note_id(field: &str) -> String {
    format!("segura-{field}-note")
}

fn form_view(st: State, code: Option<u64>) -> impl IntoView {
    let key_password = NodeRef::<html::Input>::new();
    let senha = NodeRef::<html::Input>::new();
    let msg = move |name: &'static str| Signal::derive(move || st.form_errors.with(|e| message_for(e, name)));
    let invalid = move |name: &'static str| move || st.form_errors.with(|e| message_for(e, name).is_some()).to_string();
    let text = move |label: &'static str, name: &'static str, get: Getter, set: Setter, hint: Option<&'static str>| {
        view! {
            <label>{label}
                <input type="text" name=name aria-describedby=note_id(name) aria-invalid=invalid(name)
                    prop:value=move || st.form.with(get) on:input=move |ev| st.form.update(|f| set(f, event_target_value(&ev)))/>
            </label>
            {hint.map(|h| view! { <span class="hint">{h}</span> })}
            <FieldNote id=note_id(name) message=msg(name)/>
        }
    };
    let area = move |label: &'static str, name: &'static str, get: Getter, set: Setter, max: Option<usize>, hint: &'static str| {
        let count = move || max.map(|m| format!("{} / {m} characters. ", st.form.with(|f| get(f).chars().count()))).unwrap_or_default();
        view! {
            <label>{label}
                <textarea rows="3" name=name aria-describedby=note_id(name) aria-invalid=invalid(name)
                    prop:value=move || st.form.with(get) on:input=move |ev| st.form.update(|f| set(f, event_target_value(&ev)))></textarea>
            </label>
            <span class="hint">{count}{hint}</span>
            <FieldNote id=note_id(name) message=msg(name)/>
        }
    };
    let select = move |label: &'static str,
                       name: &'static str,
                       get: Getter,
                       set: Setter,
                       options: &'static [(&'static str, &'static str)]| {
        view! {
            <label>{label}
                <select name=name aria-describedby=note_id(name) aria-invalid=invalid(name)
                    on:change=move |ev| st.form.update(|f| set(f, event_target_value(&ev)))>
                    {options.iter().map(|(v, l)| view! { <option value=*v selected=move || st.form.with(get) == *v>{*l}</option> }).collect_view()}
                </select>
            </label>
            <FieldNote id=note_id(name) message=msg(name)/>
        }
    };
    let warnings = move || st.form.with(RequestForm::warnings).into_iter().skip(1).map(|w| w.message).collect::<Vec<_>>();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let take = |r: NodeRef<html::Input>| {
            r.get_untracked().map(|i| {
                let v = i.value();
                i.set_value("");
                v
            })
        };
        st.submit_request(code, take(key_password), take(senha));
    };
    let title = match code {
        Some(c) => format!("Modify request {c}"),
        None => "New certificate request".into(),
    };
    let heading = title.clone();
    view! {
        <form class="segura-form" aria-label=title on:submit=submit>
            <h3>{heading}</h3>
            <p class="custody" role="note" data-testid="segura-custody">
                "Segura generates this request's private key on its side: the documented API takes no CSR, so no key made in this browser is used or sent. The key stays in the vault."
            </p>
            {select("Certificate type", "certificate_type", |f| f.certificate_type.clone(), |f, v| f.certificate_type = v,
                &[("1", "1 DV SSL"), ("2", "2 OV SSL"), ("3", "3 EV SSL")])}
            {select("Domain type", "domain_type", |f| f.domain_type.clone(), |f, v| f.domain_type = v,
                &[("SING", "SING: one name"), ("MULT", "MULT: several names"), ("WILD", "WILD: a wildcard")])}
            {text("Organization code", "organization", |f| f.organization.clone(), |f, v| f.organization = v, Some("An organization registered in Segura."))}
            {text("Common name", "common_name", |f| f.common_name.clone(), |f, v| f.common_name = v, None)}
            {area("SANs (one per line)", "san", |f| f.san.clone(), |f, v| f.san = v, None,
                "Empty: the common name alone. SING takes one name, MULT several, WILD a wildcard common name and names under it.")}
            {select("Encryption", "encryption", |f| f.encryption.clone(), |f, v| f.encryption = v, &[("RSA", "RSA"), ("DSA", "DSA")])}
            {select("Key size", "encryption_key_size", |f| f.encryption_key_size.clone(), |f, v| f.encryption_key_size = v,
                &[("4096", "4096"), ("2048", "2048"), ("1024", "1024")])}
            {select("Signature algorithm", "certificate_algorithm", |f| f.certificate_algorithm.clone(), |f, v| f.certificate_algorithm = v,
                &[("SHA256", "SHA256"), ("SHA384", "SHA384"), ("SHA512", "SHA512")])}
            <ul class="warnings" data-testid="segura-warnings" class:hidden=move || warnings().is_empty()>
                {move || warnings().into_iter().map(|w| view! { <li class="warning">{w}</li> }).collect_view()}
            </ul>
            {text("Validity (days)", "validity", |f| f.validity.clone(), |f, v| f.validity = v, None)}
            <label>"Key password" <input type="password" name="key_password" autocomplete="new-password" node_ref=key_password/></label>
            <span class="hint">"Optional: protects the key Segura makes. Sent once, never kept here."</span>
            <FieldNote id=note_id("key_password") message=msg("key_password")/>
            <label>"Revocation password" <input type="password" name="senha_revogacao" autocomplete="new-password" node_ref=senha/></label>
            <FieldNote id=note_id("senha_revogacao") message=msg("senha_revogacao")/>
            {text("Tags (comma-separated)", "tags", |f| f.tags.clone(), |f, v| f.tags = v, None)}
            {text("Environments (comma-separated)", "environments", |f| f.environments.clone(), |f, v| f.environments = v, None)}
            {text("Systems (comma-separated)", "systems", |f| f.systems.clone(), |f, v| f.systems = v, None)}
            {text("Project", "project", |f| f.project.clone(), |f, v| f.project = v, None)}
            {text("External IP", "external_ip", |f| f.external_ip.clone(), |f, v| f.external_ip = v, None)}
            {text("Host name or IP", "hostname_ip", |f| f.hostname_ip.clone(), |f, v| f.hostname_ip = v, None)}
            {text("Responsible (user code)", "responsible", |f| f.responsible.clone(), |f, v| f.responsible = v, None)}
            {area("Justification", "justification", |f| f.justification.clone(), |f, v| f.justification = v, Some(rules::MAX_JUSTIFICATION), "")}
            {area("Description", "description", |f| f.description.clone(), |f, v| f.description = v, Some(rules::MAX_DESCRIPTION), "")}
            <FieldNote id=note_id("code_request") message=msg("code_request")/>
            <button type="submit" disabled=move || st.busy.running.get()>{if code.is_some() { "Save changes" } else { "Create request" }}</button>
        </form>
    }
}
