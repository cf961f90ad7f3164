//! The OpenAI page: the organization's mTLS certificates (OpenAI's Admin API, through the
//! relay), on the shared kit.
//!
//! - **Connect**: base URL (default [`BASE_URL`]) and the admin key, held only by the
//!   [`Client`] in this tab's memory. The page says that an admin key carries organization-owner
//!   power. Saving the key (encrypted, in the key vault: [`super::vault::save_secret`]) happens
//!   only after the user ticks the opt-in and gives a passphrase; never in localStorage.
//! - **URLs**: `/openai` (the list), `/openai/certificates/{id}` (one certificate: facts,
//!   rename, activate / deactivate, delete), `/openai/projects/{projectId}` (a project's listing
//!   and activations at project scope). The view follows the URL, so back, forward and reload
//!   land on the same object.
//! - **Load all**: every page of the listing, then each certificate's content
//!   (`include[]=content`), fingerprints (SHA-256, SHA-1) and expiry computed here
//!   ([`Client::load_all_with_facts`]); the known projects' listings give where each one is
//!   active ([`ActivationState`]), shown in the table's "Active at" column.
//! - **Batches**: activating or deactivating a selection goes out in calls of at most 10
//!   ([`Client::activate`]); each call's result is listed.
//! - **Delete** is refused locally while a certificate is active anywhere known, saying where
//!   ([`ActivationState::check_delete`]).
//! - **Upload**: the CA rule pack ([`rules::check_ca`]) runs as the PEM is typed, beside the
//!   form; a failing rule blocks the upload and its message is shown on the certificate field.
//! - **Create a CA / issue a client certificate** ([`mint`]): in the browser, kept in the shared
//!   workshop, checked with the rule packs; the client certificate downloads as PKCS#12.
//! - **Errors**: OpenAI's error object with its `x-request-id` in the kit's failure panel; a 429
//!   is retried once by the client, then shown with the rate-limit state.

mod mint;

use std::rc::Rc;

use leptos::prelude::*;

use super::browser;
use super::certtable::{CertRow, CertTable, Severity};
use super::kit::{Busy, BusyBar, ConnectForm, CredentialField, Credentials, Failure, FieldNote, PemInput};
use super::net::Relay;
use super::router::{self, use_router, Link};
use super::vault;
use crate::vendors::openai::client::{BatchResult, Client, Scope, BASE_URL};
use crate::vendors::openai::models::{Certificate, CertificateDetails, CertificateObject};
use crate::vendors::openai::rules::{self, Finding};
use crate::vendors::openai::workflow::{ActivationState, CertificateFacts};
use crate::vendors::paging::Bounds;
use crate::vendors::redact::Secret;
use crate::vendors::request::check_base_url;

/// The page's URL prefix.
const ROOT: &str = "/openai";
/// The vault record of a saved admin key.
const VAULT_ID: &str = "openai-admin-key";

type OpenAi = Client<Relay>;

/// What the URL shows.
#[derive(Clone, Debug, PartialEq, Eq)]
enum View {
    List,
    Certificate(String),
    Project(String),
    Unknown,
}

fn view_of(segments: &[String]) -> View {
    match segments {
        [] => View::List,
        [c, id] if c == "certificates" => View::Certificate(id.clone()),
        [p, id] if p == "projects" => View::Project(id.clone()),
        _ => View::Unknown,
    }
}

/// The page's shared state (every field is a signal or a stored value, so it is `Copy`).
#[derive(Clone, Copy)]
struct Page {
    client: StoredValue<Option<Rc<OpenAi>>, LocalStorage>,
    connected: RwSignal<Option<String>>,
    busy: Busy,
    /// The organization's certificates, with what was computed here.
    facts: RwSignal<Vec<CertificateFacts>>,
    /// Whether the whole list was loaded (the rule pack then counts it).
    loaded: RwSignal<bool>,
    /// Where certificates are active, as far as known.
    state: RwSignal<ActivationState>,
    /// The project ids the user tracks (comma / space separated).
    projects: RwSignal<String>,
    selected: RwSignal<Vec<String>>,
    /// The results of the last batched activation, one line per call.
    batches: RwSignal<Vec<(bool, String)>>,
    /// The upload form (the CA made here fills it).
    upload_pem: RwSignal<String>,
    upload_name: RwSignal<String>,
    router: router::Router,
}

impl Page {
    fn new() -> Page {
        Page {
            client: StoredValue::new_local(None),
            connected: RwSignal::new(None),
            busy: Busy::new(),
            facts: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
            state: RwSignal::new(ActivationState::default()),
            projects: RwSignal::new(String::new()),
            selected: RwSignal::new(Vec::new()),
            batches: RwSignal::new(Vec::new()),
            upload_pem: RwSignal::new(String::new()),
            upload_name: RwSignal::new(String::new()),
            router: use_router(),
        }
    }

    fn client(&self) -> Result<Rc<OpenAi>, Failure> {
        self.client.get_value().ok_or_else(|| Failure::just("Connect first: give the base URL and an admin key."))
    }

    fn project_ids(&self) -> Vec<String> {
        project_ids(&self.projects.get_untracked())
    }

    /// Keeps (or replaces) one certificate's facts.
    fn keep(&self, f: CertificateFacts) {
        self.facts.update(|v| match v.iter_mut().find(|x| x.id == f.id) {
            Some(x) => *x = f,
            None => v.insert(0, f),
        });
    }

    /// Records the answers of batched (de)activations and lists each call's outcome.
    fn record_batches(&self, scope: &Scope, verb: &str, results: Vec<BatchResult>) -> Result<String, Failure> {
        let calls = results.len();
        let mut lines = Vec::new();
        let mut first_failure = None;
        let mut done = 0;
        for (i, r) in results.into_iter().enumerate() {
            match r.result {
                Ok(answer) => {
                    self.state.update(|s| s.record_activation(scope.project_id(), &answer.data));
                    done += r.ids.len();
                    lines.push((true, format!("Call {} of {calls}: {} certificate(s) {verb} {}.", i + 1, r.ids.len(), scope_text(scope))));
                }
                Err(e) => {
                    let f = Failure::from_error(&e);
                    lines.push((false, format!("Call {} of {calls}: {} certificate(s) not {verb}: {}", i + 1, r.ids.len(), f.message)));
                    first_failure.get_or_insert(f);
                }
            }
        }
        self.batches.set(lines);
        match first_failure {
            None => Ok(format!("{done} certificate(s) {verb} {} in {calls} call(s).", scope_text(scope))),
            Some(mut f) => {
                f.message = format!("Some calls failed ({done} certificate(s) {verb}): {}", f.message);
                Err(f)
            }
        }
    }

    /// Where `id` is active, as text ("organization, proj_abc" or "inactive").
    fn active_text(&self, id: &str) -> String {
        self.state.with(|s| {
            let mut at = Vec::new();
            if s.organization.contains(id) {
                at.push("organization".to_string());
            }
            at.extend(s.projects.iter().filter(|(_, ids)| ids.contains(id)).map(|(p, _)| format!("project {p}")));
            if at.is_empty() {
                "inactive".into()
            } else {
                at.join(", ")
            }
        })
    }

    /// The CAs uploaded to the organization that this tab also holds (matched by SHA-256), with
    /// whether each is active at `scope`: what the client-certificate rule pack needs.
    fn uploaded_cas(&self, made: &[(Vec<u8>, String)], scope: &Scope) -> Vec<rules::UploadedCa> {
        self.facts.with(|facts| {
            made.iter()
                .filter_map(|(der, sha256)| {
                    let f = facts.iter().find(|f| f.sha256_fingerprint.as_deref() == Some(sha256.as_str()))?;
                    let active = self.state.with(|s| s.is_active(&f.id, scope.project_id()));
                    Some(rules::UploadedCa {
                        id: Some(f.id.clone()),
                        pem: crate::pki::pem::encode("CERTIFICATE", der),
                        active: Some(active),
                    })
                })
                .collect()
        })
    }
}

fn project_ids(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in text.split([',', ' ', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        if !out.iter().any(|x| x == p) {
            out.push(p.to_owned());
        }
    }
    out
}

fn scope_text(scope: &Scope) -> String {
    match scope {
        Scope::Organization => "at the organization".into(),
        Scope::Project(p) => format!("in project {p}"),
    }
}

/// `""` is the organization, anything else a project id.
fn scope_of(value: &str) -> Scope {
    if value.is_empty() {
        Scope::Organization
    } else {
        Scope::Project(value.to_owned())
    }
}

fn now() -> i64 {
    browser::now_unix()
}

/// A table row for one certificate's facts.
fn row_of(f: &CertificateFacts, vendor: String, now: i64) -> CertRow {
    let expires = match (&f.expires, f.days_left) {
        (Some(e), Some(d)) if d < 0 => format!("{} (expired)", e.get(..10).unwrap_or(e)),
        (Some(e), Some(d)) => format!("{} (in {d} days)", e.get(..10).unwrap_or(e)),
        _ => "unknown".into(),
    };
    let _ = now;
    CertRow {
        key: f.id.clone(),
        name: f.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| f.id.clone()),
        subject: f.subject_dn.clone().unwrap_or_default(),
        issuer: if f.is_ca == Some(true) { "CA".into() } else { String::new() },
        expires,
        key_algorithm: String::new(),
        sha256: f.sha256_fingerprint.clone().unwrap_or_default(),
        vendor,
        findings: f.problems.iter().map(|p| (Severity::Warning, p.clone())).collect(),
        href: Some(format!("{ROOT}/certificates/{}", router::segment(&f.id))),
        expiry_class: match f.days_left {
            Some(d) if d < 0 => "bad",
            Some(d) if d < 30 => "warn",
            Some(_) => "ok",
            None => "",
        },
    }
}

/// The OpenAI page.
#[component]
pub fn OpenAiPage() -> impl IntoView {
    let page = Page::new();
    let router = use_router();
    let view = Memo::new(move |_| router.segments_after(ROOT).map(|s| view_of(&s)).unwrap_or(View::List));
    view! {
        <section class="vendor openai" aria-labelledby="openai-heading">
            <h2 id="openai-heading">"OpenAI organization certificates"</h2>
            <p class="custody warning" role="note">
                "An OpenAI admin key carries organization-owner power: with it anyone can manage every certificate, project, user and key of the organization. "
                "It stays in this tab's memory and goes only to the base URL below (through this server's relay); nothing is stored unless you choose to save it encrypted."
            </p>
            <Connect page=page/>
            <BusyBar busy=page.busy testid="openai"/>
            <Show when=move || page.connected.with(Option::is_some)>
                {move || match view.get() {
                    View::List => view! { <ListView page=page/> }.into_any(),
                    View::Certificate(id) => view! { <CertificateView page=page id=id/> }.into_any(),
                    View::Project(p) => view! { <ProjectView page=page project=p/> }.into_any(),
                    View::Unknown => view! {
                        <p>"Nothing of the OpenAI page lives at this address. " <Link href=ROOT.to_string()>"All certificates"</Link></p>
                    }.into_any(),
                }}
                <Upload page=page/>
            </Show>
            <mint::MintSection page=page/>
        </section>
    }
}

/// The connect form, the vault opt-in, and unlocking a saved key.
#[component]
fn Connect(page: Page) -> impl IntoView {
    let save = RwSignal::new(false);
    let vault_passphrase = RwSignal::new(String::new());
    let saved = RwSignal::new(None::<vault::SavedSecret>);
    let unlock_passphrase = RwSignal::new(String::new());
    let vault_note = RwSignal::new(String::new());
    leptos::task::spawn_local(async move {
        if let Ok(s) = vault::saved_secret(VAULT_ID).await {
            saved.set(s);
        }
    });
    let connect_with = move |base: &str, key: &str| -> Result<String, String> {
        let base = check_base_url("baseUrl", base, BASE_URL).map_err(|e| e.to_string())?;
        if key.trim().is_empty() {
            return Err("Give the admin key (sk-admin-…).".into());
        }
        let client = Client::new(Relay, Secret::new(key.trim()), browser::now_unix).with_base_url(base.clone());
        page.client.set_value(Some(Rc::new(client)));
        page.connected.set(Some(base.clone()));
        Ok(base)
    };
    let on_connect = move |creds: Credentials| -> Result<(), String> {
        let want_save = save.get_untracked();
        let passphrase = zeroize::Zeroizing::new(vault_passphrase.get_untracked());
        if want_save && passphrase.chars().count() < 8 {
            return Err("To save the admin key, give a vault passphrase of at least 8 characters (or untick saving).".into());
        }
        let base = connect_with(creds.get("base_url"), creds.get("admin_key"))?;
        vault_passphrase.set(String::new());
        if want_save {
            let key = zeroize::Zeroizing::new(creds.get("admin_key").to_owned());
            let base = base.clone();
            leptos::task::spawn_local(async move {
                match vault::save_secret(VAULT_ID, &base, &key, &passphrase).await {
                    Ok(()) => {
                        vault_note.set(format!(
                            "The admin key for {base} is saved in this browser's key vault, encrypted under your passphrase."
                        ));
                        saved.set(vault::saved_secret(VAULT_ID).await.ok().flatten());
                    }
                    Err(e) => vault_note.set(format!("Saving the admin key failed: {e}")),
                }
            });
        }
        save.set(false);
        page.busy.status.set(format!("Connected to {base}. Load the certificates to list them."));
        Ok(())
    };
    let on_forget = move || {
        page.client.set_value(None);
        page.connected.set(None);
        page.facts.set(Vec::new());
        page.loaded.set(false);
        page.state.set(ActivationState::default());
        page.selected.set(Vec::new());
        page.batches.set(Vec::new());
        page.busy.status.set("The admin key was forgotten by this tab.".into());
    };
    let unlock = move |_| {
        let Some(record) = saved.get_untracked() else { return };
        let pass = zeroize::Zeroizing::new(unlock_passphrase.get_untracked());
        unlock_passphrase.set(String::new());
        leptos::task::spawn_local(async move {
            match vault::open_secret(&record, &pass).await {
                Ok(key) => match connect_with(&record.context, &key) {
                    Ok(base) => vault_note.set(format!("Connected to {base} with the saved admin key.")),
                    Err(e) => vault_note.set(e),
                },
                Err(e) => vault_note.set(format!("Unlocking failed: {e}")),
            }
        });
    };
    let remove = move |_| {
        leptos::task::spawn_local(async move {
            match vault::delete_secret(VAULT_ID).await {
                Ok(()) => {
                    saved.set(None);
                    vault_note.set("The saved admin key was deleted from this browser.".into());
                }
                Err(e) => vault_note.set(format!("Deleting failed: {e}")),
            }
        });
    };
    let fields = vec![
        CredentialField::new("Base URL", "base_url", "url").with_initial(BASE_URL),
        CredentialField::new("Admin key", "admin_key", "password").with_hint("An organization admin key (sk-admin-…), not a project key."),
    ];
    view! {
        <ConnectForm title="Connect to OpenAI" fields=fields connected=page.connected
            note="The admin key is handed to the client in this tab's memory and the field is emptied; Forget drops it."
            on_connect=on_connect on_forget=on_forget/>
        <Show when=move || page.connected.with(Option::is_none)>
            <fieldset class="vault-opt-in">
                <legend>"Keep the admin key after this tab closes?"</legend>
                <label class="inline">
                    <input type="checkbox" prop:checked=move || save.get() on:change=move |ev| save.set(event_target_checked(&ev))/>
                    "Save the admin key in this browser's key vault, encrypted under a passphrase (off unless you tick it)"
                </label>
                <Show when=move || save.get()>
                    <label>"Vault passphrase (at least 8 characters)"
                        <input type="password" autocomplete="new-password" prop:value=move || vault_passphrase.get()
                            on:input=move |ev| vault_passphrase.set(event_target_value(&ev))/>
                    </label>
                </Show>
                {move || saved.get().map(|s| view! {
                    <div class="saved-secret">
                        <p>{format!("An admin key for {} is saved in this browser, encrypted.", s.context)}</p>
                        <label>"Vault passphrase to unlock it"
                            <input type="password" autocomplete="off" prop:value=move || unlock_passphrase.get()
                                on:input=move |ev| unlock_passphrase.set(event_target_value(&ev))/>
                        </label>
                        <button type="button" on:click=unlock>"Unlock and connect"</button>
                        <button type="button" on:click=remove>"Delete the saved admin key"</button>
                    </div>
                })}
            </fieldset>
        </Show>
        <p class="hint" role="status" data-testid="openai-vault">{move || vault_note.get()}</p>
    }
}

/// Loads every certificate with its facts, and the known projects' listings.
fn load_all(page: Page) {
    let client = match page.client() {
        Ok(c) => c,
        Err(f) => return page.busy.fail(f),
    };
    let projects = page.project_ids();
    page.busy.run("Loading every certificate", async move {
        let loaded = client.load_all_with_facts(Bounds::default()).await.map_err(|e| Failure::from_error(&e))?;
        let mut state = ActivationState {
            organization: loaded.certificates.iter().filter(|f| f.active == Some(true)).map(|f| f.id.clone()).collect(),
            ..ActivationState::default()
        };
        for p in &projects {
            let list = client.list_all_project_certificates(p, None, Bounds::default()).await.map_err(|e| Failure::from_error(&e))?;
            state.record_project(p, &list.items);
        }
        let n = loaded.certificates.len();
        let pages = loaded.pages;
        page.facts.set(loaded.certificates);
        page.state.set(state);
        page.loaded.set(true);
        page.selected.set(Vec::new());
        let stopped = loaded.stopped.map(|s| format!(" The listing stopped early: {s}.")).unwrap_or_default();
        Ok(format!("Listed {n} certificates on {pages} page(s); fingerprints and expiry computed here from their content.{stopped}"))
    });
}

/// Activates or deactivates `ids` at `scope`, in calls of at most 10.
fn toggle(page: Page, ids: Vec<String>, scope: Scope, activate: bool) {
    if ids.is_empty() {
        return page.busy.fail(Failure::just("Select the certificates first."));
    }
    let client = match page.client() {
        Ok(c) => c,
        Err(f) => return page.busy.fail(f),
    };
    let (doing, verb) = if activate { ("Activating", "activated") } else { ("Deactivating", "deactivated") };
    page.batches.set(Vec::new());
    page.busy.run(format!("{doing} {} certificate(s) {}", ids.len(), scope_text(&scope)), async move {
        let results = if activate { client.activate(&scope, &ids).await } else { client.deactivate(&scope, &ids).await };
        page.record_batches(&scope, verb, results)
    });
}

/// Deletes `ids` one by one, each refused locally while active somewhere known.
fn delete(page: Page, ids: Vec<String>, then: Option<&'static str>) {
    if ids.is_empty() {
        return page.busy.fail(Failure::just("Select the certificates first."));
    }
    let refusals: Vec<String> =
        ids.iter().filter_map(|id| page.state.with_untracked(|s| s.check_delete(id).err())).map(|r| r.message()).collect();
    if !refusals.is_empty() {
        let mut f = Failure::just(format!("Not deleted (nothing was sent): {}", refusals[0]));
        f.details = refusals[1..].to_vec();
        return page.busy.fail(f);
    }
    let client = match page.client() {
        Ok(c) => c,
        Err(f) => return page.busy.fail(f),
    };
    let router = page.router;
    page.busy.run(format!("Deleting {} certificate(s)", ids.len()), async move {
        let mut deleted = 0;
        for id in &ids {
            let mut state = page.state.get_untracked();
            match client.delete_certificate_checked(id, &mut state).await {
                Ok(_) => {
                    deleted += 1;
                    page.state.set(state);
                    page.facts.update(|v| v.retain(|f| &f.id != id));
                    page.selected.update(|s| s.retain(|x| x != id));
                }
                Err(Ok(refused)) => return Err(Failure::just(format!("Not deleted (nothing was sent): {refused}"))),
                Err(Err(e)) => {
                    let mut f = Failure::from_error(&e);
                    f.message = format!("Deleting {id} failed: {}", f.message);
                    return Err(f);
                }
            }
        }
        if let Some(to) = then {
            router.navigate(to);
        }
        Ok(format!("Deleted {deleted} certificate(s)."))
    });
}

/// The scope menu: the organization and the known projects.
#[component]
fn ScopeSelect(page: Page, value: RwSignal<String>, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <label>{label}
            <select on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="" selected=move || value.with(String::is_empty)>"Organization"</option>
                {move || project_ids(&page.projects.get()).into_iter().map(|p| {
                    let v = p.clone();
                    view! { <option value=p.clone() selected=move || value.with(|x| x == &v)>{format!("Project {p}")}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// The list of every organization certificate.
#[component]
fn ListView(page: Page) -> impl IntoView {
    let scope = RwSignal::new(String::new());
    let rows = Signal::derive(move || {
        let t = now();
        page.facts.with(|v| v.iter().map(|f| row_of(f, page.active_text(&f.id), t)).collect::<Vec<_>>())
    });
    view! {
        <section aria-labelledby="openai-list-heading">
            <h3 id="openai-list-heading">"Certificates"</h3>
            <div class="actions">
                <label>"Projects to track (ids, comma separated)"
                    <input type="text" spellcheck="false" prop:value=move || page.projects.get() on:input=move |ev| page.projects.set(event_target_value(&ev))/>
                </label>
                <button type="button" on:click=move |_| load_all(page) disabled=move || page.busy.running.get()>"Load all certificates"</button>
            </div>
            <p class="hint">"OpenAI has no call that lists projects: name the ones whose activations you want to see. "
                {move || project_ids(&page.projects.get()).into_iter().map(|p| {
                    let href = format!("{ROOT}/projects/{}", router::segment(&p));
                    view! { <Link href=href>{format!("Project {p}")}</Link>" " }
                }).collect_view()}
            </p>
            <CertTable label="OpenAI certificates" rows=rows vendor_column="Active at" select=page.selected/>
            <p data-testid="openai-selection">{move || format!("{} selected.", page.selected.with(Vec::len))}</p>
            <div class="actions">
                <ScopeSelect page=page value=scope label="Scope for the selection"/>
                <button type="button" on:click=move |_| toggle(page, page.selected.get_untracked(), scope_of(&scope.get_untracked()), true)>"Activate selected"</button>
                <button type="button" on:click=move |_| toggle(page, page.selected.get_untracked(), scope_of(&scope.get_untracked()), false)>"Deactivate selected"</button>
                <button type="button" class="danger" on:click=move |_| delete(page, page.selected.get_untracked(), None)>"Delete selected"</button>
            </div>
            <Batches page=page/>
        </section>
    }
}

/// Each call of the last batched (de)activation.
#[component]
fn Batches(page: Page) -> impl IntoView {
    view! {
        <Show when=move || page.batches.with(|b| !b.is_empty())>
            <ol aria-label="Activation calls" class="batches">
                {move || page.batches.get().into_iter().map(|(ok, line)| view! { <li class=if ok { "ok" } else { "error" }>{line}</li> }).collect_view()}
            </ol>
        </Show>
    }
}

/// One certificate: its facts, rename, activation, delete.
#[component]
fn CertificateView(page: Page, id: String) -> impl IntoView {
    let facts = {
        let id = id.clone();
        Memo::new(move |_| page.facts.with(|v| v.iter().find(|f| f.id == id).cloned()))
    };
    // Reached by URL before the list was loaded: fetch this one with its content.
    if facts.get_untracked().is_none() {
        if let Ok(client) = page.client() {
            let id = id.clone();
            page.busy.run(format!("Fetching {id}"), async move {
                let c = client.get_certificate(&id, true).await.map_err(|e| Failure::from_error(&e))?;
                page.keep(CertificateFacts::of(&c, now()));
                Ok(format!("Fetched {id}; fingerprints computed here from its content."))
            });
        }
    }
    let new_name = RwSignal::new(String::new());
    let scope = RwSignal::new(String::new());
    let rename_id = id.clone();
    let rename = move |_| {
        let Ok(client) = page.client() else { return };
        let id = rename_id.clone();
        let name = new_name.get_untracked();
        page.busy.run(format!("Renaming {id}"), async move {
            let c = client.rename_certificate(&id, &name).await.map_err(|e| Failure::from_error(&e))?;
            page.facts.update(|v| v.iter_mut().filter(|f| f.id == c.id).for_each(|f| f.name = c.name.clone()));
            new_name.set(String::new());
            Ok(format!("Renamed {id} to {}.", c.name.unwrap_or_default()))
        });
    };
    let (act_id, deact_id, del_id) = (id.clone(), id.clone(), id.clone());
    let heading_id = id.clone();
    let active_id = id.clone();
    view! {
        <section aria-labelledby="openai-cert-heading">
            <p><Link href=ROOT.to_string()>"All certificates"</Link></p>
            <h3 id="openai-cert-heading">{format!("Certificate {heading_id}")}</h3>
            {move || facts.get().map(|f| view! {
                <dl class="facts">
                    <dt>"Id"</dt><dd class="mono">{f.id.clone()}</dd>
                    <dt>"Name"</dt><dd>{f.name.clone().unwrap_or_else(|| "(none)".into())}</dd>
                    <dt>"Subject"</dt><dd>{f.subject_dn.clone().unwrap_or_default()}</dd>
                    <dt>"SHA-256"</dt><dd class="mono" data-testid="openai-sha256">{f.sha256_fingerprint.clone().unwrap_or_else(|| "unknown".into())}</dd>
                    <dt>"SHA-1"</dt><dd class="mono" data-testid="openai-sha1">{f.sha1_fingerprint.clone().unwrap_or_else(|| "unknown".into())}</dd>
                    <dt>"Expires"</dt><dd>{format!("{} ({} days left)", f.expires.clone().unwrap_or_default(), f.days_left.unwrap_or_default())}</dd>
                    <dt>"CA"</dt><dd>{match f.is_ca { Some(true) => "yes", Some(false) => "no", None => "unknown" }}</dd>
                    <dt>"Active at"</dt><dd data-testid="openai-active">{page.active_text(&f.id)}</dd>
                    {(!f.problems.is_empty()).then(|| view! { <dt>"Problems"</dt><dd><ul>{f.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul></dd> })}
                </dl>
            })}
            <p class="hint">{move || format!("Activation as known here: {}.", page.active_text(&active_id))}</p>
            <div class="actions">
                <label>"New name" <input type="text" prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev))/></label>
                <button type="button" on:click=rename>"Rename"</button>
            </div>
            <div class="actions">
                <ScopeSelect page=page value=scope label="Scope"/>
                <button type="button" on:click=move |_| toggle(page, vec![act_id.clone()], scope_of(&scope.get_untracked()), true)>"Activate"</button>
                <button type="button" on:click=move |_| toggle(page, vec![deact_id.clone()], scope_of(&scope.get_untracked()), false)>"Deactivate"</button>
                <button type="button" class="danger" on:click=move |_| delete(page, vec![del_id.clone()], Some(ROOT))>"Delete"</button>
            </div>
            <Batches page=page/>
        </section>
    }
}

/// A project's certificates and activations at project scope.
#[component]
fn ProjectView(page: Page, project: String) -> impl IntoView {
    let listed = RwSignal::new(Vec::<Certificate>::new());
    let selected = RwSignal::new(Vec::<String>::new());
    let load = {
        let project = project.clone();
        move || {
            let Ok(client) = page.client() else { return };
            let project = project.clone();
            if !project_ids(&page.projects.get_untracked()).contains(&project) {
                page.projects.update(|p| {
                    if !p.trim().is_empty() {
                        p.push_str(", ");
                    }
                    p.push_str(&project);
                });
            }
            page.busy.run(format!("Listing the certificates of project {project}"), async move {
                let list =
                    client.list_all_project_certificates(&project, None, Bounds::default()).await.map_err(|e| Failure::from_error(&e))?;
                page.state.update(|s| s.record_project(&project, &list.items));
                let n = list.items.len();
                let active = list.items.iter().filter(|c| c.active == Some(true)).count();
                listed.set(list.items);
                Ok(format!("Project {project}: {n} certificate(s) listed, {active} active in the project."))
            });
        }
    };
    load();
    let rows = Signal::derive(move || {
        let t = now();
        listed.with(|v| {
            v.iter()
                .map(|c| {
                    let f = page.facts.with(|fs| fs.iter().find(|f| f.id == c.id).cloned()).unwrap_or_else(|| CertificateFacts::of(c, t));
                    let at = if c.active == Some(true) { "active in the project" } else { "inactive in the project" };
                    row_of(&f, at.to_string(), t)
                })
                .collect::<Vec<_>>()
        })
    });
    let (p1, p2) = (project.clone(), project.clone());
    let reload = load.clone();
    view! {
        <section aria-labelledby="openai-project-heading">
            <p><Link href=ROOT.to_string()>"All certificates"</Link></p>
            <h3 id="openai-project-heading">{format!("Project {project}")}</h3>
            <button type="button" on:click=move |_| reload()>"Reload the project's list"</button>
            <CertTable label="Project certificates" rows=rows vendor_column="In this project" select=selected/>
            <div class="actions">
                <button type="button" on:click=move |_| toggle(page, selected.get_untracked(), Scope::Project(p1.clone()), true)>"Activate selected in the project"</button>
                <button type="button" on:click=move |_| toggle(page, selected.get_untracked(), Scope::Project(p2.clone()), false)>"Deactivate selected in the project"</button>
            </div>
            <Batches page=page/>
        </section>
    }
}

/// Findings as a list, each naming its field.
#[component]
fn Findings(#[prop(into)] findings: Signal<Vec<Finding>>, #[prop(into)] label: String, #[prop(into)] testid: String) -> impl IntoView {
    let heading = label.clone();
    view! {
        <aside class="rule-pack" aria-label=label data-testid=testid>
            <h4>{heading}</h4>
            {move || {
                let f = findings.get();
                if f.is_empty() {
                    view! { <p class="ok">"Every rule passes."</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {f.into_iter().map(|x| {
                                let sev = match x.severity { rules::Severity::Error => "error", rules::Severity::Warning => "warning" };
                                view! { <li class=sev><strong>{x.field}</strong>{format!(" ({sev}): {}", x.message)}</li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </aside>
    }
}

/// Upload: the PEM, a name, and the CA rule pack beside them.
#[component]
fn Upload(page: Page) -> impl IntoView {
    let findings = Memo::new(move |_| {
        let pem = page.upload_pem.get();
        if pem.trim().is_empty() {
            return Vec::new();
        }
        rules::check_ca(pem.as_bytes(), page.facts.with(Vec::len), now())
    });
    let certificate_note = Memo::new(move |_| {
        let local: Vec<String> = findings
            .with(|f| f.iter().filter(|x| x.severity == rules::Severity::Error).map(|x| format!("{}: {}", x.field, x.message)).collect());
        if !local.is_empty() {
            return Some(local.join(" "));
        }
        page.busy.failure.with(|f| f.as_ref().and_then(|f| f.field("certificate")))
    });
    let name_note = Memo::new(move |_| page.busy.failure.with(|f| f.as_ref().and_then(|f| f.field("name"))));
    let upload = move |_| {
        let pem = page.upload_pem.get_untracked();
        let found = findings.get_untracked();
        if pem.trim().is_empty() {
            let mut f = Failure::just("Paste the CA certificate (PEM) first.");
            f.fields.push(("certificate".into(), "is empty".into()));
            return page.busy.fail(f);
        }
        if rules::has_errors(&found) {
            let errors: Vec<&Finding> = found.iter().filter(|x| x.severity == rules::Severity::Error).collect();
            let mut f = Failure::just(format!(
                "Upload blocked: the rule pack found {} error(s) in the certificate; nothing was sent. Fix them and upload again.",
                errors.len()
            ));
            f.fields = errors.iter().map(|x| (x.field.clone(), x.message.clone())).collect();
            return page.busy.fail(f);
        }
        let Ok(client) = page.client() else { return };
        let name = Some(page.upload_name.get_untracked()).filter(|n| !n.trim().is_empty());
        let router = page.router;
        page.busy.run("Uploading the certificate", async move {
            let c = client.upload_certificate(&pem, name.as_deref()).await.map_err(|e| Failure::from_error(&e))?;
            let id = c.id.clone();
            let with_content = Certificate {
                object: CertificateObject::OrganizationCertificate,
                certificate_details: CertificateDetails { content: Some(pem.clone()), ..c.certificate_details.clone() },
                active: Some(false),
                ..c
            };
            page.keep(CertificateFacts::of(&with_content, now()));
            router.navigate(&format!("{ROOT}/certificates/{}", self::router::segment(&id)));
            Ok(format!("Uploaded as {id}. It is not active yet: activate it for a project or the organization."))
        });
    };
    view! {
        <section aria-labelledby="openai-upload-heading" class="upload">
            <h3 id="openai-upload-heading">"Upload a CA certificate"</h3>
            <div class="side-by-side">
                <form class="upload-form" aria-label="Upload a CA certificate" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); upload(()); }>
                    <PemInput label="CA certificate (PEM)" value=page.upload_pem describedby="openai-upload-certificate-note"/>
                    <FieldNote id="openai-upload-certificate-note" message=Signal::derive(move || certificate_note.get())/>
                    <label>"Certificate name"
                        <input type="text" aria-describedby="openai-upload-name-note" prop:value=move || page.upload_name.get()
                            on:input=move |ev| page.upload_name.set(event_target_value(&ev))/>
                    </label>
                    <FieldNote id="openai-upload-name-note" message=Signal::derive(move || name_note.get())/>
                    <button type="submit">"Upload certificate"</button>
                    <p class="hint">{move || if page.loaded.get() {
                        format!("The organization lists {} certificate(s); OpenAI allows {}.", page.facts.with(Vec::len), rules::MAX_CERTIFICATES)
                    } else {
                        "Load the list so the rule pack can count the organization's certificates.".to_string()
                    }}</p>
                </form>
                <Findings findings=Signal::derive(move || findings.get()) label="Rule pack: OpenAI mTLS CA" testid="openai-ca-rules"/>
            </div>
        </section>
    }
}
