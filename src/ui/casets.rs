//! The CA-sets page: Akamai mTLS Edge Truststore CA sets and versions, kept either in this
//! browser (the offline workspace, IndexedDB) or on Akamai through the relay.
//!
//! - Sets list → set page (versions with staging / production badges, compare, new version) →
//!   version page (certificate table with the validation report on its rows, activate with live
//!   progress, clone, edit; clone-and-edit for a version that was ever active).
//! - Every upload is checked locally first ([`validate::validate_version`]); a version Akamai
//!   would refuse is not sent, and the problems are shown on the rows they point at.
//! - A 422 duplicate version offers a button that opens the existing version; a 429 shows the
//!   rate-limit headers after the client's one retry.
//! - EdgeGrid credentials stay in this tab's memory: never stored, never logged, and the secret
//!   never leaves the page (only the signature does).

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser;
use super::net::{self, Net};
use crate::vendors::akamai::client::{duplicate_version_link, Client, Error, ListVersionsQuery, PollOptions};
use crate::vendors::akamai::edgegrid::Credentials;
use crate::vendors::akamai::models::{
    Activation, ActivationStatus, ActivationType, Activity, CaSet, CaSetVersion, CreateCaSet, Network, Problem, Validation,
    VersionNetworkStatus,
};
use crate::vendors::akamai::validate::{self, CertificateEntry, VersionBody};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Local,
    Akamai,
}

/// What went wrong, ready to show.
#[derive(Clone, Debug, PartialEq)]
struct Failure {
    message: String,
    details: Vec<String>,
    /// A version to offer to open (the existing one of a 422 duplicate).
    open: Option<(String, u32)>,
    rate_limit: Option<String>,
}

impl Failure {
    /// A failure that is only a message.
    fn just(message: impl Into<String>) -> Failure {
        Failure { message: message.into(), details: vec![], open: None, rate_limit: None }
    }
}

/// The editor's purpose.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Editing {
    New,
    Version(u32),
}

/// One row of a certificate table: what the certificate is, and what validation says of it.
#[derive(Clone, PartialEq)]
struct Row {
    index: usize,
    subject: String,
    issuer: String,
    expires: String,
    signature: String,
    fingerprint: String,
    findings: Vec<(Severity, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Severity {
    Error,
    Warning,
    Notice,
}

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

#[derive(Clone, Copy)]
struct State {
    client: StoredValue<Option<Rc<Client<Net>>>, LocalStorage>,
    source: RwSignal<Source>,
    connected: RwSignal<Option<String>>,
    sets: RwSignal<Vec<CaSet>>,
    set: RwSignal<Option<CaSet>>,
    versions: RwSignal<Vec<CaSetVersion>>,
    version: RwSignal<Option<u32>>,
    ever_active: RwSignal<bool>,
    activation: RwSignal<Option<Activation>>,
    failure: RwSignal<Option<Failure>>,
    status: RwSignal<String>,
    busy: RwSignal<bool>,
    editing: RwSignal<Editing>,
    draft: RwSignal<String>,
    /// The last response's rate-limit headers, as text.
    rate: RwSignal<Option<String>>,
    /// Bumped to stop the running activation watcher; `watching` is whether one runs.
    watch_generation: RwSignal<u32>,
    watching: RwSignal<bool>,
}

impl State {
    fn client(&self) -> Option<Rc<Client<Net>>> {
        self.client.get_value()
    }

    /// The id of the open CA set (untracked).
    fn set_id(&self) -> Option<String> {
        self.set.with_untracked(|s| s.as_ref().map(|s| s.ca_set_id.clone()))
    }

    fn is_remote(&self) -> bool {
        self.source.get_untracked() == Source::Akamai
    }

    /// Runs `work` with the client, showing progress and errors.
    fn run<F, Fut>(self, doing: &'static str, work: F)
    where
        F: FnOnce(Rc<Client<Net>>) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<String, Error>> + 'static,
    {
        let Some(client) = self.client() else {
            self.failure.set(Some(Failure::just("Connect to Akamai first, or choose this browser's workspace.")));
            return;
        };
        self.busy.set(true);
        self.failure.set(None);
        self.status.set(format!("{doing}…"));
        spawn_local(async move {
            let result = work(client.clone()).await;
            self.busy.set(false);
            self.rate.set(client.last_rate_limit().filter(|_| self.is_remote()).map(|r| {
                format!(
                    "Rate limit: {} of {} requests left.",
                    r.remaining.map_or("?".into(), |n| n.to_string()),
                    r.limit.map_or("?".into(), |n| n.to_string())
                )
            }));
            match result {
                Ok(done) => self.status.set(done),
                Err(e) => {
                    self.status.set(format!("{doing} failed."));
                    self.failure.set(Some(failure_of(&e, client.last_rate_limit())));
                }
            }
        });
    }

    async fn load_sets(self, client: &Client<Net>) -> Result<(), Error> {
        let sets = client.list_ca_sets(&Default::default()).await?;
        self.sets.set(sets);
        Ok(())
    }

    /// Reloads set `id`, its versions, and the sets list (whose badges it may have changed).
    async fn load_set(self, client: &Client<Net>, id: &str) -> Result<(), Error> {
        self.load_sets(client).await?;
        let set = client.get_ca_set(id).await?;
        let versions = client.list_versions(id, &ListVersionsQuery { include_certificates: Some(true), ..Default::default() }).await?;
        self.set.set(Some(set));
        self.versions.set(versions);
        Ok(())
    }

    async fn load_version(self, client: &Client<Net>, id: &str, n: u32) -> Result<(), Error> {
        let ever = if self.is_remote() {
            let activations = client.list_version_activations(id, n).await?;
            if let Some(running) = activations.iter().find(|a| a.activation_status == ActivationStatus::InProgress) {
                self.activation.set(Some(running.clone()));
            }
            activations.iter().any(|a| a.activation_type == ActivationType::Activate && a.activation_status == ActivationStatus::Complete)
        } else {
            false
        };
        self.ever_active.set(ever);
        self.version.set(Some(n));
        Ok(())
    }

    fn open_set(self, id: String) {
        self.version.set(None);
        self.activation.set(None);
        self.editing.set(Editing::New);
        self.draft.set(String::new());
        self.run("Opening the CA set", move |c| async move {
            self.load_set(&c, &id).await?;
            Ok(format!("CA set {id} opened."))
        });
    }

    fn open_version(self, id: String, n: u32) {
        self.activation.set(None);
        self.run("Opening the version", move |c| async move {
            if self.set_id().as_deref() != Some(id.as_str()) {
                self.load_set(&c, &id).await?;
            }
            self.load_version(&c, &id, n).await?;
            Ok(format!("Version {n} opened."))
        });
    }

    /// Follows activation `activation_id` of version `n` until it ends or the user stops
    /// watching (the activation goes on at Akamai either way).
    fn watch(self, id: String, n: u32, activation_id: u64) {
        let generation = self.watch_generation.get_untracked() + 1;
        self.watch_generation.set(generation);
        self.watching.set(true);
        self.run("Following the activation", move |c| async move {
            let options = PollOptions { max_attempts: 10_000, default_delay_ms: 5_000, max_delay_ms: 300_000 };
            let result = c
                .poll_activation_with(&id, n, activation_id, options, |a| {
                    self.activation.set(Some(a.clone()));
                    self.watch_generation.get_untracked() == generation
                })
                .await;
            if self.watch_generation.get_untracked() == generation {
                self.watching.set(false);
            }
            let done = result?;
            if !done.activation_status.is_final() {
                return Ok(format!(
                    "Stopped following the activation of version {n}; it goes on at Akamai. Open the version again to see its state."
                ));
            }
            self.load_set(&c, &id).await?;
            self.load_version(&c, &id, n).await?;
            let network = done.network.map_or("?".into(), |x| format!("{x:?}"));
            Ok(match done.activation_status {
                ActivationStatus::Complete => format!("Version {n}: {:?} on {network} complete.", done.activation_type),
                _ => format!("Version {n}: {:?} on {network} failed: {}", done.activation_type, done.failure_reason.unwrap_or_default()),
            })
        });
    }

    fn current_version(&self) -> Option<CaSetVersion> {
        let n = self.version.get()?;
        self.versions.with(|v| v.iter().find(|x| x.version == n).cloned())
    }

    /// Switches source: the offline workspace loads at once; Akamai waits for credentials.
    /// The draft in the editor is kept; everything tied to the old source is dropped (a
    /// running activation watcher stops at its next poll).
    fn choose(self, source: Source) {
        self.source.set(source);
        self.client.set_value(None);
        self.connected.set(None);
        self.sets.set(Vec::new());
        self.set.set(None);
        self.version.set(None);
        self.failure.set(None);
        self.rate.set(None);
        self.activation.set(None);
        self.editing.set(Editing::New);
        self.watch_generation.update(|g| *g += 1);
        self.watching.set(false);
        if source == Source::Local {
            spawn_local(async move {
                match net::local_client().await {
                    Ok(c) => {
                        self.client.set_value(Some(Rc::new(c)));
                        self.connected.set(Some("this browser's offline workspace".into()));
                        self.run("Loading the workspace", move |c| async move {
                            self.load_sets(&c).await?;
                            Ok("Offline workspace loaded.".into())
                        });
                    }
                    Err(e) => self.failure.set(Some(Failure::just(e))),
                }
            });
        }
    }
}

/// Turns a client error into what the page shows: title, detail, each nested problem with the
/// certificate it points at, the 422 link, the rate-limit headers.
fn failure_of(e: &Error, last_rate_limit: Option<crate::vendors::akamai::client::RateLimit>) -> Failure {
    let mut f = Failure::just(e.to_string());
    let describe = |p: &Problem| {
        let at = p
            .pointer
            .as_deref()
            .and_then(row_of)
            .map(|i| format!("certificate {} ({}): ", i + 1, p.pointer.as_deref().unwrap_or("")))
            .unwrap_or_default();
        format!("{at}{}{}", p.title.as_deref().unwrap_or(p.type_name()), p.detail.as_deref().map(|d| format!(" {d}")).unwrap_or_default())
    };
    if let Some(link) = duplicate_version_link(e) {
        f = Failure::just(format!("a version with the same certificates already exists: {link}"));
        if let Some(p) = e.problem() {
            f.details.extend(p.title.iter().chain(p.detail.iter().filter(|d| Some(*d) != p.title.as_ref())).cloned());
        }
        f.open = parse_version_link(link);
        f.details.push("Akamai refuses a version whose certificates (in any order) equal an existing version's.".into());
    } else if let Some(api) = e.api() {
        if let Some(p) = api.problem() {
            if let Some(d) = &p.detail {
                f.details.push(d.clone());
            }
            f.details.extend(p.errors.iter().map(describe));
        }
        let rl = api.rate_limit.clone().or(last_rate_limit);
        f.rate_limit = rl.map(|r| {
            format!(
                "Rate limit: {} of {} requests left{}. The request was retried once.",
                r.remaining.map_or("?".into(), |n| n.to_string()),
                r.limit.map_or("?".into(), |n| n.to_string()),
                r.next.map(|n| format!("; next allowed at {n}")).unwrap_or_default()
            )
        });
    }
    f
}

/// `/…/ca-sets/{id}/versions/{n}` → `(id, n)`.
fn parse_version_link(link: &str) -> Option<(String, u32)> {
    let mut parts = link.trim_end_matches('/').rsplit('/');
    let n = parts.next()?.parse().ok()?;
    (parts.next()? == "versions").then_some(())?;
    Some((parts.next()?.to_owned(), n))
}

/// `/certificates/3` → 3.
fn row_of(pointer: &str) -> Option<usize> {
    pointer.strip_prefix("/certificates/")?.split('/').next()?.parse().ok()
}

/// The rows of a version body with the findings of a validation placed on them.
fn rows(body: &VersionBody, validation: &Validation) -> (Vec<Row>, Vec<(Severity, String)>) {
    let mut rows: Vec<Row> = validate::parse_entries(body)
        .into_iter()
        .enumerate()
        .map(|(index, parsed)| match parsed {
            Ok(c) => Row {
                index,
                subject: c.subject_dn,
                issuer: c.issuer_dn,
                expires: c.expires,
                signature: c.signature_algorithm,
                fingerprint: c.sha256_fingerprint,
                findings: vec![],
            },
            Err(_) => Row {
                index,
                subject: "(cannot be parsed)".into(),
                issuer: String::new(),
                expires: String::new(),
                signature: String::new(),
                fingerprint: String::new(),
                findings: vec![],
            },
        })
        .collect();
    let mut general = Vec::new();
    for (severity, list) in
        [(Severity::Error, &validation.errors), (Severity::Warning, &validation.warnings), (Severity::Notice, &validation.notices)]
    {
        for p in list {
            let text = format!(
                "{}{}",
                p.title.as_deref().unwrap_or(p.type_name()),
                p.detail.as_deref().map(|d| format!(" {d}")).unwrap_or_default()
            );
            match p.pointer.as_deref().and_then(row_of).and_then(|i| rows.get_mut(i)) {
                Some(row) => row.findings.push((severity, text)),
                None => general.push((severity, text)),
            }
        }
    }
    (rows, general)
}

fn body_of(v: &CaSetVersion) -> VersionBody {
    VersionBody {
        allow_insecure_sha1: v.allow_insecure_sha1.unwrap_or(false),
        description: v.description.clone(),
        certificates: v
            .certificates
            .iter()
            .map(|c| CertificateEntry { certificate_pem: c.certificate_pem.clone(), description: c.description.clone() })
            .collect(),
    }
}

/// A version's certificates as editable PEM text, one block after another.
fn draft_of(v: &CaSetVersion) -> String {
    v.certificates.iter().map(|c| c.certificate_pem.trim_end().to_owned() + "\n").collect()
}

fn network_badges(staging: bool, production: bool) -> impl IntoView {
    view! {
        <span class="badges">
            {staging.then(|| view! { <span class="badge staging">"STAGING"</span> })}
            {production.then(|| view! { <span class="badge production">"PRODUCTION"</span> })}
            {(!staging && !production).then(|| view! { <span class="badge inactive">"inactive"</span> })}
        </span>
    }
}

/// The CA-sets page.
#[component]
pub fn CaSetsPage() -> impl IntoView {
    let st = State {
        client: StoredValue::new_local(None),
        source: RwSignal::new(Source::Local),
        connected: RwSignal::new(None),
        sets: RwSignal::new(Vec::new()),
        set: RwSignal::new(None),
        versions: RwSignal::new(Vec::new()),
        version: RwSignal::new(None),
        ever_active: RwSignal::new(false),
        activation: RwSignal::new(None),
        failure: RwSignal::new(None),
        status: RwSignal::new(String::new()),
        busy: RwSignal::new(false),
        editing: RwSignal::new(Editing::New),
        draft: RwSignal::new(String::new()),
        rate: RwSignal::new(None),
        watch_generation: RwSignal::new(0),
        watching: RwSignal::new(false),
    };
    st.choose(Source::Local);
    view! {
        <section aria-labelledby="casets-heading" class="casets">
            <h2 id="casets-heading">"CA sets (Akamai mTLS Edge Truststore)"</h2>
            <fieldset class="source">
                <legend>"Where the CA sets live"</legend>
                <label><input type="radio" name="caset-source" prop:checked=move || st.source.get() == Source::Local
                    on:change=move |_| st.choose(Source::Local)/>"This browser (offline workspace)"</label>
                <label><input type="radio" name="caset-source" prop:checked=move || st.source.get() == Source::Akamai
                    on:change=move |_| st.choose(Source::Akamai)/>"Akamai, through the relay"</label>
            </fieldset>
            {move || (st.source.get() == Source::Akamai && st.connected.get().is_none()).then(|| view! { <Connect st=st/> })}
            {move || st.connected.get().map(|c| view! {
                <p class="connected">"Connected to " {c} {move || st.rate.get().map(|r| format!(" · {r}"))}
                    {move || (st.source.get() == Source::Akamai).then(|| view! {
                        " " <button type="button" on:click=move |_| st.choose(Source::Akamai)>"Forget the credentials"</button>
                    })}
                </p>
            })}
            <p role="status" class="status" data-testid="casets-status">{move || st.status.get()}</p>
            <FailurePanel st=st/>
            <div class="casets-grid">
                <SetList st=st/>
                {move || st.set.get().map(|_| view! { <SetPanel st=st/> })}
            </div>
        </section>
    }
}

#[component]
fn Connect(st: State) -> impl IntoView {
    let edgerc = RwSignal::new(String::new());
    let section = RwSignal::new("default".to_string());
    let switch_key = RwSignal::new(String::new());
    let connect = move |_| {
        let creds = edgerc.with_untracked(|t| Credentials::from_edgerc(t, &section.get_untracked()));
        match creds {
            Ok(creds) => {
                let host = creds.host.clone();
                st.client.set_value(Some(Rc::new(net::remote_client(creds, &switch_key.get_untracked()))));
                // The secret now lives in the client only; clear the form.
                edgerc.set(String::new());
                st.connected.set(Some(format!("Akamai API host {host}")));
                st.run("Listing CA sets", move |c| async move {
                    st.load_sets(&c).await?;
                    Ok("Connected; CA sets listed.".into())
                });
            }
            Err(e) => st.failure.set(Some(Failure::just(format!("The credentials could not be read: {e}")))),
        }
    };
    // Which hosts this server's relay forwards to, shown before connecting.
    let relay = RwSignal::new(None::<Result<Vec<String>, String>>);
    spawn_local(async move { relay.set(Some(net::relay_hosts().await)) });
    let load_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = browser::files_of(input.files()).into_iter().next() {
            spawn_local(async move {
                match browser::read_file(&file).await {
                    Ok(bytes) => edgerc.set(String::from_utf8_lossy(&bytes).into_owned()),
                    Err(e) => st.failure.set(Some(Failure::just(e))),
                }
            });
        }
    };
    view! {
        <form class="connect" on:submit=move |ev| { ev.prevent_default(); connect(()); }>
            <label>"EdgeGrid credentials (.edgerc text)"
                <textarea rows="5" autocomplete="off" spellcheck="false" prop:value=move || edgerc.get()
                    on:input=move |ev| edgerc.set(event_target_value(&ev))></textarea>
            </label>
            <label>"Or load an .edgerc file" <input type="file" on:change=load_file/></label>
            <label>".edgerc section" <input type="text" prop:value=move || section.get() on:input=move |ev| section.set(event_target_value(&ev))/></label>
            <label>"Account switch key (optional)" <input type="text" prop:value=move || switch_key.get() on:input=move |ev| switch_key.set(event_target_value(&ev))/></label>
            <button type="submit">"Connect"</button>
            <p class="hint">"The credentials stay in this tab's memory and are never stored. Requests are signed here and sent through this server's relay, which forwards them only to hosts on its allowlist."</p>
            <p class="hint" data-testid="relay-hosts">{move || match relay.get() {
                None => String::new(),
                Some(Ok(hosts)) if hosts.is_empty() => "This server's relay forwards to no host yet: start it with --allow (see the README).".into(),
                Some(Ok(hosts)) => format!("This server's relay forwards to: {}.", hosts.join(", ")),
                Some(Err(e)) => format!("Akamai cannot be reached from here: {e}. Serve the app with ./scripts/dev.sh or the certwright relay."),
            }}</p>
        </form>
    }
}

#[component]
fn FailurePanel(st: State) -> impl IntoView {
    move || {
        st.failure.get().map(|f| {
            let open = f.open.clone();
            view! {
                <div role="alert" class="failure" data-testid="casets-failure">
                    <p class="message">{f.message}</p>
                    <ul>{f.details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                    {f.rate_limit.map(|r| view! { <p class="rate-limit">{r}</p> })}
                    {open.map(|(id, n)| view! {
                        <button type="button" on:click=move |_| st.open_version(id.clone(), n)>{format!("Open the existing version {n}")}</button>
                    })}
                </div>
            }
        })
    }
}

#[component]
fn SetList(st: State) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let create = move |_| {
        let body = CreateCaSet {
            ca_set_name: name.get_untracked().trim().to_owned(),
            description: Some(description.get_untracked().trim().to_owned()).filter(|d| !d.is_empty()),
        };
        st.run("Creating the CA set", move |c| async move {
            let set = c.create_ca_set(&body).await?;
            name.set(String::new());
            description.set(String::new());
            let id = set.ca_set_id.clone();
            st.load_set(&c, &id).await?;
            st.version.set(None);
            Ok(format!("CA set {} created.", set.ca_set_name))
        });
    };
    view! {
        <div class="set-list">
            <h3>"CA sets"</h3>
            <table aria-label="CA sets">
                <thead><tr><th>"Name"</th><th>"Latest"</th><th>"Active on"</th></tr></thead>
                <tbody>
                    {move || st.sets.get().into_iter().map(|s| {
                        let id = s.ca_set_id.clone();
                        let selected = st.set.with(|cur| cur.as_ref().is_some_and(|c| c.ca_set_id == s.ca_set_id));
                        view! {
                            <tr class:selected=selected>
                                <td><button type="button" class="link" on:click=move |_| st.open_set(id.clone())>{s.ca_set_name.clone()}</button></td>
                                <td>{s.latest_version.map_or("–".into(), |v| format!("v{v}"))}</td>
                                <td>{network_badges(s.staging_version.is_some(), s.production_version.is_some())}
                                    {s.staging_version.map(|v| format!(" staging v{v}"))}{s.production_version.map(|v| format!(" production v{v}"))}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || st.sets.with(Vec::is_empty).then(|| view! { <p class="empty">"No CA sets yet."</p> })}
            <form class="new-set" on:submit=move |ev| { ev.prevent_default(); create(()); }>
                <label>"New CA set name" <input type="text" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label>"New CA set description (optional)" <input type="text" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/></label>
                <button type="submit" prop:disabled=move || st.busy.get()>"Create CA set"</button>
            </form>
        </div>
    }
}

#[component]
fn SetPanel(st: State) -> impl IntoView {
    let set_id = move || st.set_id().unwrap_or_default();
    view! {
        <div class="set-panel">
            {move || st.set.get().map(|s| view! {
                <h3>{format!("CA set {}", s.ca_set_name)}</h3>
                <p class="set-facts">{format!("id {}", s.ca_set_id)}{s.description.map(|d| format!(" · {d}"))}
                    {" · "}{network_badges(s.staging_version.is_some(), s.production_version.is_some())}</p>
            })}
            <div class="actions"><DeleteSet st=st/><CloneSet st=st/></div>
            <table aria-label="Versions">
                <thead><tr><th>"Version"</th><th>"Certificates"</th><th>"Active on"</th><th>"Created"</th></tr></thead>
                <tbody>
                    {move || st.versions.get().into_iter().map(|v| {
                        let n = v.version;
                        let staging = v.staging_status == Some(VersionNetworkStatus::Active);
                        let production = v.production_status == Some(VersionNetworkStatus::Active);
                        view! {
                            <tr class:selected=move || st.version.get() == Some(n)>
                                <td><button type="button" class="link" on:click=move |_| st.open_version(set_id(), n)>{format!("Version {n}")}</button></td>
                                <td>{v.certificates.len()}</td>
                                <td>{network_badges(staging, production)}</td>
                                <td>{v.created_date.unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <Compare st=st/>
            <ActivityLog st=st/>
            {move || st.version.get().map(|_| view! { <VersionPanel st=st/> })}
            <Editor st=st/>
        </div>
    }
}

#[component]
fn Compare(st: State) -> impl IntoView {
    let a = RwSignal::new(String::new());
    let b = RwSignal::new(String::new());
    let diff = Memo::new(move |_| {
        let find = |n: String| st.versions.with(|vs| vs.iter().find(|v| v.version.to_string() == n).map(body_of));
        Some(validate::compare_versions(&find(a.get())?, &find(b.get())?))
    });
    let options = move || {
        st.versions
            .get()
            .into_iter()
            .map(|v| view! { <option value=v.version.to_string()>{format!("Version {}", v.version)}</option> })
            .collect_view()
    };
    view! {
        <details class="compare">
            <summary>"Compare two versions"</summary>
            <label>"Compare from" <select on:change=move |ev| a.set(event_target_value(&ev)) prop:value=move || a.get()><option value="">"–"</option>{options}</select></label>
            <label>"Compare to" <select on:change=move |ev| b.set(event_target_value(&ev)) prop:value=move || b.get()><option value="">"–"</option>{options}</select></label>
            {move || diff.get().map(|d| view! {
                <table aria-label="Version comparison">
                    <thead><tr><th>"Change"</th><th>"Subject"</th><th>"Expires"</th><th>"SHA-256"</th></tr></thead>
                    <tbody>
                        {[("added", d.added), ("removed", d.removed), ("unchanged", d.unchanged)].into_iter().flat_map(|(what, list)| {
                            list.into_iter().map(move |c| view! {
                                <tr class=what><td>{what}</td><td>{c.subject}</td><td>{c.expires}</td><td class="mono">{c.fingerprint}</td></tr>
                            })
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </details>
    }
}

#[component]
fn VersionPanel(st: State) -> impl IntoView {
    let set_id = move || st.set_id().unwrap_or_default();
    let activate = move |network: Network, kind: ActivationType| {
        let Some(n) = st.version.get_untracked() else { return };
        let id = set_id();
        st.run(if kind == ActivationType::Activate { "Activating" } else { "Deactivating" }, move |c| async move {
            let started =
                if kind == ActivationType::Activate { c.activate(&id, n, network).await? } else { c.deactivate(&id, n, network).await? };
            st.activation.set(Some(started.clone()));
            st.watch(id, n, started.activation_id);
            Ok(format!("Version {n}: {:?} on {network:?} started.", started.activation_type))
        });
    };
    let clone = move |then_edit: bool| {
        let Some(n) = st.version.get_untracked() else { return };
        let id = set_id();
        st.run("Cloning the version", move |c| async move {
            let copy = c.clone_version(&id, n).await?;
            st.load_set(&c, &id).await?;
            st.load_version(&c, &id, copy.version).await?;
            if then_edit {
                st.draft.set(draft_of(&copy));
                st.editing.set(Editing::Version(copy.version));
            }
            Ok(format!("Version {n} cloned as version {}.", copy.version))
        });
    };
    let edit = move |_| {
        if let Some(v) = st.current_version() {
            st.draft.set(draft_of(&v));
            st.editing.set(Editing::Version(v.version));
        }
    };
    view! {
        {move || st.current_version().map(|v| {
            let n = v.version;
            let staging = v.staging_status == Some(VersionNetworkStatus::Active);
            let production = v.production_status == Some(VersionNetworkStatus::Active);
            let frozen = staging || production || st.ever_active.get();
            let (table, general) = rows(&body_of(&v), &v.validation.clone().unwrap_or_default());
            let remote = st.source.get() == Source::Akamai;
            view! {
                <div class="version-panel" aria-labelledby="version-heading">
                    <h3 id="version-heading">{format!("Version {n}")} " " {network_badges(staging, production)}</h3>
                    <p>{v.description.clone().unwrap_or_default()}{v.allow_insecure_sha1.unwrap_or(false).then_some(" · SHA-1 signatures allowed")}</p>
                    <div class="actions">
                        {remote.then(|| view! {
                            <button type="button" prop:disabled=move || st.busy.get() || staging on:click=move |_| activate(Network::Staging, ActivationType::Activate)>"Activate on staging"</button>
                            <button type="button" prop:disabled=move || st.busy.get() || production on:click=move |_| activate(Network::Production, ActivationType::Activate)>"Activate on production"</button>
                            {staging.then(|| view! { <button type="button" prop:disabled=move || st.busy.get() on:click=move |_| activate(Network::Staging, ActivationType::Deactivate)>"Deactivate on staging"</button> })}
                            {production.then(|| view! { <button type="button" prop:disabled=move || st.busy.get() on:click=move |_| activate(Network::Production, ActivationType::Deactivate)>"Deactivate on production"</button> })}
                        })}
                        {(!remote).then(|| view! { <span class="hint">"Activation needs the Akamai connection."</span> })}
                        <button type="button" prop:disabled=move || st.busy.get() on:click=move |_| clone(false)>"Clone version"</button>
                        {if frozen {
                            view! { <button type="button" prop:disabled=move || st.busy.get() on:click=move |_| clone(true)>"Clone and edit"</button>
                                <span class="hint">{format!("Version {n} is or was active, so Akamai will not let it change: edit a clone.")}</span> }.into_any()
                        } else {
                            view! { <button type="button" prop:disabled=move || st.busy.get() on:click=edit>"Edit version"</button> }.into_any()
                        }}
                    </div>
                    <ActivationProgress st=st/>
                    <ul class="general">{general.into_iter().map(|(s, t)| view! { <li class=s.label()>{t}</li> }).collect_view()}</ul>
                    <CertTable rows=table label=format!("Certificates of version {n}")/>
                </div>
            }
        })}
    }
}

#[component]
fn ActivationProgress(st: State) -> impl IntoView {
    move || {
        st.activation.get().map(|a| {
            let pct = a.percent_complete.unwrap_or(0);
            let label = format!(
                "{:?} of version {} on {}: {:?}, {pct}%",
                a.activation_type,
                a.version.unwrap_or_default(),
                a.network.map_or("?".into(), |n| format!("{n:?}").to_uppercase()),
                a.activation_status
            );
            let running = a.activation_status == ActivationStatus::InProgress;
            let (id, n, activation_id) = (a.ca_set_id.clone().unwrap_or_default(), a.version.unwrap_or_default(), a.activation_id);
            view! {
                <div class="activation">
                    <progress aria-label="Activation progress" max="100" value=pct></progress>
                    <span class="activation-status">{label}</span>
                    {move || (running && st.watching.get()).then(|| view! {
                        <button type="button" on:click=move |_| { st.watch_generation.update(|g| *g += 1); st.watching.set(false); }>"Stop following"</button>
                    })}
                    {move || (running && !st.watching.get()).then(|| {
                        let id = id.clone();
                        view! { <button type="button" on:click=move |_| st.watch(id.clone(), n, activation_id)>"Follow progress"</button> }
                    })}
                </div>
            }
        })
    }
}

#[component]
fn CertTable(rows: Vec<Row>, label: String) -> impl IntoView {
    view! {
        <table aria-label=label class="cert-table">
            <thead><tr><th>"#"</th><th>"Subject"</th><th>"Issuer"</th><th>"Expires"</th><th>"Signature"</th><th>"SHA-256"</th><th>"Validation"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let has_error = r.findings.iter().any(|(s, _)| *s == Severity::Error);
                    view! {
                        <tr class:row-error=has_error data-pointer=format!("/certificates/{}", r.index)>
                            <td data-label="#">{r.index + 1}</td><td data-label="Subject">{r.subject}</td><td data-label="Issuer">{r.issuer}</td>
                            <td data-label="Expires">{r.expires}</td><td data-label="Signature">{r.signature}</td>
                            <td data-label="SHA-256" class="mono">{r.fingerprint}</td>
                            <td data-label="Validation" class="findings"><ul>{r.findings.into_iter().map(|(s, t)| view! { <li class=s.label()>{format!("{}: {t}", s.label())}</li> }).collect_view()}</ul></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Editor(st: State) -> impl IntoView {
    let allow_sha1 = RwSignal::new(false);
    let description = RwSignal::new(String::new());
    let report = RwSignal::new(None::<(Vec<Row>, Vec<(Severity, String)>)>);
    let body = move || VersionBody {
        allow_insecure_sha1: allow_sha1.get_untracked(),
        description: Some(description.get_untracked().trim().to_owned()).filter(|d| !d.is_empty()),
        certificates: st.draft.with_untracked(|t| validate::entries_from_text(t)),
    };
    // The local check: what Akamai would most likely say.
    let check = move || {
        let b = body();
        let v = crate::vendors::akamai::service::validation_of(&validate::validate_version(&b, browser::now_unix()));
        let ok = v.errors.is_empty() && !b.certificates.is_empty();
        report.set(Some(rows(&b, &v)));
        (b, ok, v.errors.len())
    };
    let submit = move |_| {
        let (b, ok, errors) = check();
        if b.certificates.is_empty() {
            st.failure.set(Some(Failure::just("Paste or load at least one certificate.")));
            return;
        }
        if !ok {
            st.status.set("Local check: not uploaded.".into());
            st.failure.set(Some(Failure::just(format!(
                "Not uploaded: the local check found {errors} error{} that Akamai would refuse. They are marked on the rows below.",
                if errors == 1 { "" } else { "s" }
            ))));
            return;
        }
        let id = st.set_id().unwrap_or_default();
        let editing = st.editing.get_untracked();
        st.run("Uploading the version", move |c| async move {
            let v = match editing {
                Editing::New => c.create_version(&id, &b).await?,
                Editing::Version(n) => c.update_version(&id, n, &b).await?,
            };
            st.draft.set(String::new());
            st.editing.set(Editing::New);
            report.set(None);
            st.load_set(&c, &id).await?;
            st.load_version(&c, &id, v.version).await?;
            Ok(match editing {
                Editing::New => format!("Version {} created with {} certificates.", v.version, v.certificates.len()),
                Editing::Version(n) => format!("Version {n} saved."),
            })
        });
    };
    // Akamai's own verdict without creating anything (`POST /certificates/validate`).
    let dry_run = move |_| {
        let b = body();
        st.run("Asking Akamai to check the certificates", move |c| async move {
            match c.validate_certificates(&b).await {
                Ok(r) => {
                    report.set(Some(rows(&b, &r.validation.unwrap_or_default())));
                    Ok("Akamai's check passed: no errors.".into())
                }
                Err(e) if e.status() == Some(400) && e.problem().is_some_and(|p| !p.errors.is_empty()) => {
                    let p = e.problem().expect("checked above");
                    let n = p.errors.len();
                    report.set(Some(rows(&b, &Validation { errors: p.errors.clone(), ..Validation::default() })));
                    Ok(format!("Akamai's check found {n} error{}; they are marked on the rows below.", if n == 1 { "" } else { "s" }))
                }
                Err(e) => Err(e),
            }
        });
    };
    // Files (PEM, DER, PKCS#7) append their certificates to the draft, as PEM.
    let append = move |files: Vec<web_sys::File>| {
        spawn_local(async move {
            for file in files {
                match browser::read_file(&file).await {
                    Ok(bytes) => {
                        let text = if crate::pki::pem::looks_like_pem(&bytes) {
                            String::from_utf8_lossy(&bytes).into_owned()
                        } else {
                            crate::pki::parse_bundle(&bytes, &file.name()).certificates.iter().map(|c| c.pem()).collect()
                        };
                        st.draft.update(|d| {
                            if !d.is_empty() && !d.ends_with('\n') {
                                d.push('\n');
                            }
                            d.push_str(&text);
                        });
                    }
                    Err(e) => st.failure.set(Some(Failure::just(e))),
                }
            }
        });
    };
    let add_files = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        append(browser::files_of(input.files()));
        input.set_value("");
    };
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        append(browser::files_of(ev.data_transfer().and_then(|d| d.files())));
    };
    view! {
        <form class="editor" on:submit=move |ev| { ev.prevent_default(); submit(()); }>
            <h3>{move || match st.editing.get() { Editing::New => "New version".to_string(), Editing::Version(n) => format!("Edit version {n}") }}</h3>
            <div class="dropzone" class:dragging=move || dragging.get() role="region" aria-label="Drop certificate files here"
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false) on:drop=on_drop>
                <label>"Version certificates (PEM)"
                    <textarea rows="8" spellcheck="false" prop:value=move || st.draft.get() on:input=move |ev| st.draft.set(event_target_value(&ev))></textarea>
                </label>
            </div>
            <label>"Add certificate files" <input type="file" multiple on:change=add_files/></label>
            {move || (st.source.get() == Source::Akamai).then(|| view! { <FromWorkspace st=st/> })}
            <label class="inline"><input type="checkbox" prop:checked=move || allow_sha1.get() on:change=move |ev| allow_sha1.set(event_target_checked(&ev))/>
                "Allow SHA-1 signatures (allowInsecureSha1)"</label>
            <label>"Version description (optional)" <input type="text" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/></label>
            <div class="actions">
                <button type="button" on:click=move |_| { check(); }>"Check locally"</button>
                {move || (st.source.get() == Source::Akamai).then(|| view! {
                    <button type="button" prop:disabled=move || st.busy.get() on:click=dry_run>"Check with Akamai"</button>
                })}
                <button type="submit" prop:disabled=move || st.busy.get()>{move || match st.editing.get() { Editing::New => "Create version".to_string(), Editing::Version(n) => format!("Save version {n}") }}</button>
                {move || matches!(st.editing.get(), Editing::Version(_)).then(|| view! {
                    <button type="button" on:click=move |_| { st.editing.set(Editing::New); st.draft.set(String::new()); report.set(None); }>"Cancel editing"</button>
                })}
            </div>
            {move || report.get().map(|(rows, general)| view! {
                <ul class="general">{general.into_iter().map(|(s, t)| view! { <li class=s.label()>{t}</li> }).collect_view()}</ul>
                <CertTable rows=rows label="Local check".to_string()/>
            })}
        </form>
    }
}

#[component]
fn DeleteSet(st: State) -> impl IntoView {
    let confirming = RwSignal::new(false);
    // Reset when another set opens.
    Effect::new(move |_| {
        st.set.track();
        confirming.set(false);
    });
    let delete = move |_| {
        let Some((id, name)) = st.set.with_untracked(|s| s.as_ref().map(|s| (s.ca_set_id.clone(), s.ca_set_name.clone()))) else { return };
        confirming.set(false);
        st.run("Deleting the CA set", move |c| async move {
            if st.is_remote() {
                let used = c.associations(&id, None).await?;
                let (p, e) = (used.properties().len(), used.enrollments().len());
                if p + e > 0 {
                    return Ok(format!(
                        "Not deleted: CA set {name} is used by {p} propert{} and {e} enrollment{}; detach it first.",
                        if p == 1 { "y" } else { "ies" },
                        if e == 1 { "" } else { "s" }
                    ));
                }
            }
            c.delete_ca_set(&id).await?;
            let options = PollOptions { max_attempts: 1_000, default_delay_ms: 5_000, max_delay_ms: 300_000 };
            let done = c
                .poll_delete(&id, options, |d| {
                    st.status.set(format!("Deleting CA set {name}: {:?}…", d.status));
                    true
                })
                .await?;
            st.set.set(None);
            st.versions.set(Vec::new());
            st.version.set(None);
            st.load_sets(&c).await?;
            Ok(match done.status {
                ActivationStatus::Complete => format!("CA set {name} deleted."),
                _ => format!("Deleting CA set {name} failed: {}", done.failure_reason.unwrap_or_default()),
            })
        });
    };
    view! {
        <div class="actions delete-set">
            {move || if confirming.get() {
                view! {
                    <button type="button" class="danger" on:click=delete>"Confirm: delete this CA set"</button>
                    <button type="button" on:click=move |_| confirming.set(false)>"Keep it"</button>
                }.into_any()
            } else {
                view! { <button type="button" prop:disabled=move || st.busy.get() on:click=move |_| confirming.set(true)>"Delete CA set"</button> }.into_any()
            }}
        </div>
    }
}

/// Copies a version kept offline into the draft, to upload it to Akamai.
#[component]
fn FromWorkspace(st: State) -> impl IntoView {
    // (label, PEM text) of every version in the offline workspace, read when asked for.
    let offline = RwSignal::new(None::<Vec<(String, String)>>);
    let load = move |_| {
        spawn_local(async move {
            let read = async {
                let c = net::local_client().await?;
                let mut out = Vec::new();
                for set in c.list_ca_sets(&Default::default()).await.map_err(|e| e.to_string())? {
                    let query = ListVersionsQuery { include_certificates: Some(true), ..Default::default() };
                    for v in c.list_versions(&set.ca_set_id, &query).await.map_err(|e| e.to_string())? {
                        out.push((
                            format!("{} version {} ({} certificates)", set.ca_set_name, v.version, v.certificates.len()),
                            draft_of(&v),
                        ));
                    }
                }
                Ok::<_, String>(out)
            };
            match read.await {
                Ok(list) => offline.set(Some(list)),
                Err(e) => st.failure.set(Some(Failure::just(format!("The offline workspace could not be read: {e}")))),
            }
        });
    };
    move || match offline.get() {
        None => view! { <div><button type="button" on:click=load>"Use a version from the offline workspace"</button></div> }.into_any(),
        Some(list) if list.is_empty() => view! { <p class="hint">"The offline workspace has no versions yet."</p> }.into_any(),
        Some(list) => {
            let texts: Vec<String> = list.iter().map(|(_, pem)| pem.clone()).collect();
            view! {
                <label>"Fill the draft from an offline version"
                    <select on:change=move |ev| {
                        if let Some(pem) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| texts.get(i)) {
                            st.draft.set(pem.clone());
                        }
                    }>
                        <option value="">"–"</option>
                        {list.into_iter().enumerate().map(|(i, (label, _))| view! { <option value=i.to_string()>{label}</option> }).collect_view()}
                    </select>
                </label>
            }
            .into_any()
        }
    }
}

/// Clones the open CA set (its latest version) under a new name.
#[component]
fn CloneSet(st: State) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let clone = move |_| {
        let Some(id) = st.set_id() else { return };
        let body = CreateCaSet { ca_set_name: name.get_untracked().trim().to_owned(), description: None };
        st.run("Cloning the CA set", move |c| async move {
            let copy = c.clone_ca_set(&id, None, &body).await?;
            name.set(String::new());
            st.version.set(None);
            st.load_set(&c, &copy.ca_set_id).await?;
            Ok(format!("CA set cloned as {}.", copy.ca_set_name))
        });
    };
    view! {
        <form class="clone-set" on:submit=move |ev| { ev.prevent_default(); clone(()); }>
            <label>"Name of a copy of this set" <input type="text" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
            <button type="submit" prop:disabled=move || st.busy.get()>"Clone CA set"</button>
        </form>
    }
}

/// The open set's activity log (`GET /ca-sets/{id}/activities`), read when opened.
#[component]
fn ActivityLog(st: State) -> impl IntoView {
    let log = RwSignal::new(Vec::<Activity>::new());
    let read = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        let Some(id) = st.set_id().filter(|_| open) else { return };
        st.run("Reading the activity log", move |c| async move {
            let list = c.list_activities(&id, None, None).await?;
            let n = list.activities.len();
            log.set(list.activities);
            Ok(format!("{n} activit{} in the log.", if n == 1 { "y" } else { "ies" }))
        });
    };
    view! {
        <details class="activity" on:toggle=read>
            <summary>"Activity log"</summary>
            <table aria-label="Activity log">
                <thead><tr><th>"When"</th><th>"What"</th><th>"Version"</th><th>"Network"</th><th>"Who"</th></tr></thead>
                <tbody>
                    {move || log.get().into_iter().map(|a| view! {
                        <tr>
                            <td>{a.activity_date.unwrap_or_default()}</td><td>{a.kind}</td>
                            <td>{a.version.map(|v| v.to_string()).unwrap_or_default()}</td>
                            <td>{a.network.map(|n| format!("{n:?}").to_uppercase()).unwrap_or_default()}</td>
                            <td>{a.activity_by.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}
