//! The CA-sets page: Akamai mTLS Edge Truststore CA sets and versions, kept either in this
//! browser (the offline workspace, IndexedDB) or on Akamai through the relay.
//!
//! - Sets list → set page (versions with staging / production badges, compare, new version) →
//!   version page (certificate table with the validation report on its rows, activate with live
//!   progress, clone, edit; clone-and-edit for a version that was ever active).
//! - URLs: `/akamai/ca-sets`, `/akamai/ca-sets/{id}`, `/akamai/ca-sets/{id}/versions/{n}`, with
//!   `?source=akamai` for Akamai (no query: the offline workspace). The URL drives the view
//!   ([`Route`]); back, forward and reload land on the same object (for Akamai, once connected).
//! - The decisions (the local check before every upload, what a delete checks first and in what
//!   order, edit or clone-and-edit, how an activation is followed, what a 422 duplicate offers)
//!   are [`workflow`]'s; this module holds signals and markup, on the shared kit
//!   ([`BusyBar`], [`ConnectForm`], [`CertTable`]).
//! - EdgeGrid credentials stay in this tab's memory: never stored, never logged, and the secret
//!   never leaves the page (only the signature does).

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser;
use super::certtable::{CertRow, CertTable, Severity};
use super::kit::{Busy, BusyBar, ConnectForm, CredentialField, Failure};
use super::net::{self, Net};
use super::router::Link;
use crate::vendors::akamai::client::{Client, Error};
use crate::vendors::akamai::edgegrid::Credentials;
use crate::vendors::akamai::models::{Activation, ActivationType, Activity, CaSet, CaSetVersion, CreateCaSet, Network, Validation};
use crate::vendors::akamai::validate::{self, VersionBody};
use crate::vendors::akamai::workflow::{self, Action, EditMode, Level, Placed};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Source {
    Local,
    Akamai,
}

/// The page's URL prefix.
const PREFIX: &str = "/akamai/ca-sets";

/// What the URL names: `/akamai/ca-sets[/{id}[/versions/{n}]][?source=akamai]`. The offline
/// workspace is the default source; `?source=akamai` is Akamai through the relay.
#[derive(Clone, PartialEq, Eq, Debug)]
struct Route {
    source: Source,
    set: Option<String>,
    version: Option<u32>,
}

impl Route {
    /// The route of the current URL (`None`: another page's URL, or not one of this page's).
    fn current(router: &super::router::Router) -> Option<Route> {
        let segments = router.segments_after(PREFIX)?;
        let source = if router.query("source").as_deref() == Some("akamai") { Source::Akamai } else { Source::Local };
        let (set, version) = match segments.as_slice() {
            [] => (None, None),
            [id] => (Some(id.clone()), None),
            [id, v, n] if v == "versions" => (Some(id.clone()), Some(n.parse().ok()?)),
            _ => return None,
        };
        Some(Route { source, set, version })
    }

    /// The URL of this route.
    fn url(&self) -> String {
        let mut url = PREFIX.to_owned();
        if let Some(id) = &self.set {
            url.push('/');
            url.push_str(&super::router::segment(id));
            if let Some(n) = self.version {
                url.push_str(&format!("/versions/{n}"));
            }
        }
        if self.source == Source::Akamai {
            url.push_str("?source=akamai");
        }
        url
    }
}

/// The editor's purpose.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Editing {
    New,
    Version(u32),
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Notice => Severity::Notice,
    }
}

#[derive(Clone, Copy)]
struct State {
    router: super::router::Router,
    client: StoredValue<Option<Rc<Client<Net>>>, LocalStorage>,
    source: RwSignal<Source>,
    /// What the page is connected to (`None`: no client yet).
    connected: RwSignal<Option<String>>,
    /// What the connect form shows as connected: `connected` and the rate limit.
    shown_connected: RwSignal<Option<String>>,
    sets: RwSignal<Vec<CaSet>>,
    set: RwSignal<Option<CaSet>>,
    versions: RwSignal<Vec<CaSetVersion>>,
    version: RwSignal<Option<u32>>,
    ever_active: RwSignal<bool>,
    activation: RwSignal<Option<Activation>>,
    busy: Busy,
    /// The existing version a 422 duplicate named, offered as a button under the failure.
    open_existing: RwSignal<Option<(String, u32)>>,
    editing: RwSignal<Editing>,
    draft: RwSignal<String>,
    /// The last response's rate-limit headers, as text.
    rate: RwSignal<Option<String>>,
    /// Bumped to stop the running activation watcher; `watching` is whether one runs.
    watch_generation: RwSignal<u32>,
    watching: RwSignal<bool>,
}

/// A client error as the page shows it: the kit's failure (request id, rate limit, fields of a
/// check made before sending) with Akamai's message and details from [`workflow::describe_failure`].
fn failure_of(e: &Error) -> Failure {
    let mut f = Failure::from_error(e);
    let (message, details) = workflow::describe_failure(e);
    f.message = message;
    f.details = details;
    if e.problem().is_some() {
        // Nested problems are in the details already, with the certificate they point at.
        f.fields.clear();
    }
    f
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

    fn running(&self) -> bool {
        self.busy.running.get()
    }

    /// Shows a failure that is only a message (a local refusal).
    fn fail(&self, message: impl Into<String>) {
        self.open_existing.set(None);
        self.busy.fail(Failure::just(message));
    }

    /// Runs `work` with the client, through the kit's [`Busy`] (status, Cancel, failure).
    fn run<F, Fut>(self, doing: &'static str, work: F)
    where
        F: FnOnce(Rc<Client<Net>>) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<String, Error>> + 'static,
    {
        let Some(client) = self.client() else {
            self.fail("Connect to Akamai first, or choose this browser's workspace.");
            return;
        };
        self.open_existing.set(None);
        self.busy.run(doing, async move {
            let result = work(client.clone()).await;
            self.rate.set(client.last_rate_limit().filter(|_| self.is_remote()).map(|r| {
                format!(
                    "Rate limit: {} of {} requests left",
                    r.remaining.map_or("?".into(), |n| n.to_string()),
                    r.limit.map_or("?".into(), |n| n.to_string())
                )
            }));
            result.map_err(|e| {
                self.open_existing.set(workflow::existing_version(&e));
                failure_of(&e)
            })
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
        let (set, versions) = workflow::load_set(client, id).await?;
        self.set.set(Some(set));
        self.versions.set(versions);
        Ok(())
    }

    async fn load_version(self, client: &Client<Net>, id: &str, n: u32) -> Result<(), Error> {
        let facts = if self.is_remote() {
            workflow::activation_facts(&client.list_version_activations(id, n).await?)
        } else {
            workflow::ActivationFacts::default()
        };
        if let Some(running) = facts.running {
            self.activation.set(Some(running));
        }
        self.ever_active.set(facts.ever_active);
        self.version.set(Some(n));
        Ok(())
    }

    /// The URL of set `id` (version `n`) in the current source.
    fn url(&self, set: Option<String>, version: Option<u32>) -> String {
        Route { source: self.source.get_untracked(), set, version }.url()
    }

    /// Goes to set `id`'s URL; the route effect opens it.
    fn open_set(self, id: String) {
        self.router.navigate(&self.url(Some(id), None));
    }

    /// Goes to version `n` of set `id`; the route effect opens it.
    fn open_version(self, id: String, n: u32) {
        self.router.navigate(&self.url(Some(id), Some(n)));
    }

    /// Loads what `route` names, if the page does not show it already (called when the URL
    /// changes and when a client becomes ready, e.g. after connecting).
    fn show(self, route: Route) {
        let shown_set = self.set_id();
        let shown_version = self.version.get_untracked();
        match (route.set, route.version) {
            (None, _) => {
                if shown_set.is_some() {
                    self.set.set(None);
                    self.versions.set(Vec::new());
                    self.version.set(None);
                    self.activation.set(None);
                }
            }
            (Some(id), None) => {
                if shown_set.as_deref() == Some(id.as_str()) {
                    self.version.set(None);
                    self.activation.set(None);
                    return;
                }
                self.version.set(None);
                self.activation.set(None);
                self.editing.set(Editing::New);
                self.draft.set(String::new());
                self.run("Opening the CA set", move |c| async move {
                    self.load_set(&c, &id).await?;
                    Ok(format!("CA set {id} opened."))
                });
            }
            (Some(id), Some(n)) => {
                if shown_set.as_deref() == Some(id.as_str()) && shown_version == Some(n) {
                    return;
                }
                self.activation.set(None);
                self.run("Opening the version", move |c| async move {
                    if self.set_id().as_deref() != Some(id.as_str()) {
                        self.load_set(&c, &id).await?;
                    }
                    self.load_version(&c, &id, n).await?;
                    Ok(format!("Version {n} opened."))
                });
            }
        }
    }

    /// Follows activation `activation_id` of version `n` until it ends or the user stops
    /// watching (the activation goes on at Akamai either way).
    fn watch(self, id: String, n: u32, activation_id: u64) {
        let generation = self.watch_generation.get_untracked() + 1;
        self.watch_generation.set(generation);
        self.watching.set(true);
        self.run("Following the activation", move |c| async move {
            let result = c
                .poll_activation_with(&id, n, activation_id, workflow::ACTIVATION_POLL, |a| {
                    self.activation.set(Some(a.clone()));
                    self.watch_generation.get_untracked() == generation
                })
                .await;
            if self.watch_generation.get_untracked() == generation {
                self.watching.set(false);
            }
            let done = result?;
            if done.activation_status.is_final() {
                self.load_set(&c, &id).await?;
                self.load_version(&c, &id, n).await?;
            }
            Ok(workflow::activation_outcome(n, &done))
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
        self.busy.failure.set(None);
        self.open_existing.set(None);
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
                    Err(e) => self.fail(e),
                }
            });
        }
    }
}

/// The rows of a version body (the kit's certificate table, the signature algorithm in the
/// vendor column) with a validation's findings placed on them, and the findings of no row.
fn rows(body: &VersionBody, validation: &Validation) -> (Vec<CertRow>, Vec<(Severity, String)>) {
    let parsed = validate::parse_entries(body);
    let Placed { rows: findings, general } = workflow::place(parsed.len(), validation);
    let now = browser::now_unix();
    let rows = parsed
        .into_iter()
        .zip(findings)
        .enumerate()
        .map(|(i, (parsed, found))| {
            let key = format!("/certificates/{i}");
            let mut row = match parsed {
                Ok(c) => {
                    let mut row = CertRow::of(key, "", &c, now);
                    row.vendor = c.signature_algorithm.clone();
                    row
                }
                Err(_) => CertRow {
                    key,
                    name: "(cannot be parsed)".into(),
                    subject: "(cannot be parsed)".into(),
                    issuer: String::new(),
                    expires: String::new(),
                    key_algorithm: String::new(),
                    sha256: String::new(),
                    vendor: String::new(),
                    findings: Vec::new(),
                    href: None,
                    ..CertRow::default()
                },
            };
            row.findings = found.into_iter().map(|(l, t)| (severity(l), t)).collect();
            row
        })
        .collect();
    (rows, general.into_iter().map(|(l, t)| (severity(l), t)).collect())
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
        router: super::router::use_router(),
        client: StoredValue::new_local(None),
        source: RwSignal::new(Source::Local),
        connected: RwSignal::new(None),
        shown_connected: RwSignal::new(None),
        sets: RwSignal::new(Vec::new()),
        set: RwSignal::new(None),
        versions: RwSignal::new(Vec::new()),
        version: RwSignal::new(None),
        ever_active: RwSignal::new(false),
        activation: RwSignal::new(None),
        busy: Busy::new(),
        open_existing: RwSignal::new(None),
        editing: RwSignal::new(Editing::New),
        draft: RwSignal::new(String::new()),
        rate: RwSignal::new(None),
        watch_generation: RwSignal::new(0),
        watching: RwSignal::new(false),
    };
    // The URL drives the view: the source (`?source=akamai`), then the set and version it names,
    // once a client is ready (at once for the offline workspace, after connecting for Akamai).
    let chosen = StoredValue::new(None::<Source>);
    Effect::new(move |_| {
        let Some(route) = Route::current(&st.router) else { return };
        let ready = st.connected.get().is_some();
        if chosen.get_value() != Some(route.source) {
            chosen.set_value(Some(route.source));
            st.choose(route.source);
            return;
        }
        if ready {
            st.show(route);
        }
    });
    Effect::new(move |_| {
        let shown = st.connected.get().map(|c| match st.rate.get() {
            Some(r) => format!("{c} · {r}"),
            None => c,
        });
        st.shown_connected.set(shown);
    });
    let pick = move |source: Source| st.router.navigate(&Route { source, set: None, version: None }.url());
    view! {
        <section aria-labelledby="casets-heading" class="vendor casets">
            <h2 id="casets-heading">"CA sets (Akamai mTLS Edge Truststore)"</h2>
            <fieldset class="source">
                <legend>"Where the CA sets live"</legend>
                <label><input type="radio" name="caset-source" prop:checked=move || st.source.get() == Source::Local
                    on:change=move |_| pick(Source::Local)/>"This browser (offline workspace)"</label>
                <label><input type="radio" name="caset-source" prop:checked=move || st.source.get() == Source::Akamai
                    on:change=move |_| pick(Source::Akamai)/>"Akamai, through the relay"</label>
            </fieldset>
            {move || match st.source.get() {
                Source::Akamai => view! { <Connect st=st/> }.into_any(),
                Source::Local => view! {
                    {move || st.connected.get().map(|c| view! { <p class="connected">{format!("Connected to {c}.")}</p> })}
                }.into_any(),
            }}
            <BusyBar busy=st.busy testid="casets"/>
            {move || st.open_existing.get().filter(|_| st.busy.failure.with(Option::is_some)).map(|(id, n)| view! {
                <p class="open-existing">
                    <button type="button" on:click=move |_| st.open_version(id.clone(), n)>{format!("Open the existing version {n}")}</button>
                </p>
            })}
            <div class="casets-grid">
                <SetList st=st/>
                {move || st.set.get().map(|_| view! { <SetPanel st=st/> })}
            </div>
        </section>
    }
}

/// The Akamai connect form (the kit's): the `.edgerc` text or file, its section, an optional
/// account switch key. The values go straight into the client; the `.edgerc` text is cleared.
#[component]
fn Connect(st: State) -> impl IntoView {
    let fields = vec![
        CredentialField::new("EdgeGrid credentials (.edgerc text)", "edgerc", "textarea").with_file("Or load an .edgerc file"),
        CredentialField::new(".edgerc section", "section", "text").with_initial("default"),
        CredentialField::new("Account switch key (optional)", "switch", "text"),
    ];
    let on_connect = move |creds: super::kit::Credentials| {
        let parsed = Credentials::from_edgerc(creds.get("edgerc"), creds.get("section"))
            .map_err(|e| format!("The credentials could not be read: {e}"))?;
        let host = parsed.host.clone();
        st.client.set_value(Some(Rc::new(net::remote_client(parsed, creds.get("switch")))));
        st.connected.set(Some(format!("Akamai API host {host}")));
        st.run("Listing CA sets", move |c| async move {
            st.load_sets(&c).await?;
            Ok("Connected; CA sets listed.".into())
        });
        Ok(())
    };
    // Which hosts this server's relay forwards to, shown before connecting.
    let relay = RwSignal::new(None::<Result<Vec<String>, String>>);
    spawn_local(async move { relay.set(Some(net::relay_hosts().await)) });
    view! {
        <ConnectForm
            title="Connect to Akamai"
            fields=fields
            note="The credentials stay in this tab's memory and are never stored. Requests are signed here and sent through this server's relay, which forwards them only to hosts on its allowlist."
            connected=st.shown_connected
            on_connect=on_connect
            on_forget=move || st.choose(Source::Akamai)
        />
        {move || st.connected.get().is_none().then(|| view! {
            <p class="hint" data-testid="relay-hosts">{move || match relay.get() {
                None => String::new(),
                Some(Ok(hosts)) if hosts.is_empty() => "This server's relay forwards to no host yet: start it with --allow (see the README).".into(),
                Some(Ok(hosts)) => format!("This server's relay forwards to: {}.", hosts.join(", ")),
                Some(Err(e)) => format!("Akamai cannot be reached from here: {e}. Serve the app with ./scripts/dev.sh or the certwright relay."),
            }}</p>
        })}
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
            st.version.set(None);
            st.load_set(&c, &id).await?;
            st.open_set(id);
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
                        let href = st.url(Some(s.ca_set_id.clone()), None);
                        let selected = st.set.with(|cur| cur.as_ref().is_some_and(|c| c.ca_set_id == s.ca_set_id));
                        view! {
                            <tr class:selected=selected>
                                <td><Link href=href>{s.ca_set_name.clone()}</Link></td>
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
                <button type="submit" prop:disabled=move || st.running()>"Create CA set"</button>
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
                        let (staging, production) = workflow::active_on(&v);
                        let href = st.url(Some(set_id()), Some(n));
                        view! {
                            <tr class:selected=move || st.version.get() == Some(n)>
                                <td><Link href=href>{format!("Version {n}")}</Link></td>
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
        let find = |n: String| st.versions.with(|vs| vs.iter().find(|v| v.version.to_string() == n).map(workflow::body_of));
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
            let (copy, draft) = workflow::clone_version(&c, &id, n, then_edit).await?;
            st.load_set(&c, &id).await?;
            st.load_version(&c, &id, copy.version).await?;
            st.open_version(id.clone(), copy.version);
            if let Some(draft) = draft {
                st.draft.set(draft);
                st.editing.set(Editing::Version(copy.version));
            }
            Ok(format!("Version {n} cloned as version {}.", copy.version))
        });
    };
    let edit = move |_| {
        if let Some(v) = st.current_version() {
            st.draft.set(workflow::draft_of(&v));
            st.editing.set(Editing::Version(v.version));
        }
    };
    view! {
        {move || st.current_version().map(|v| {
            let n = v.version;
            let (staging, production) = workflow::active_on(&v);
            let frozen = workflow::edit_mode(&v, st.ever_active.get()) == EditMode::CloneAndEdit;
            let (table, general) = rows(&workflow::body_of(&v), &v.validation.clone().unwrap_or_default());
            let remote = st.source.get() == Source::Akamai;
            view! {
                <div class="version-panel" aria-labelledby="version-heading">
                    <h3 id="version-heading">{format!("Version {n}")} " " {network_badges(staging, production)}</h3>
                    <p>{v.description.clone().unwrap_or_default()}{v.allow_insecure_sha1.unwrap_or(false).then_some(" · SHA-1 signatures allowed")}</p>
                    <div class="actions">
                        {remote.then(|| view! {
                            <button type="button" prop:disabled=move || st.running() || staging on:click=move |_| activate(Network::Staging, ActivationType::Activate)>"Activate on staging"</button>
                            <button type="button" prop:disabled=move || st.running() || production on:click=move |_| activate(Network::Production, ActivationType::Activate)>"Activate on production"</button>
                            {staging.then(|| view! { <button type="button" prop:disabled=move || st.running() on:click=move |_| activate(Network::Staging, ActivationType::Deactivate)>"Deactivate on staging"</button> })}
                            {production.then(|| view! { <button type="button" prop:disabled=move || st.running() on:click=move |_| activate(Network::Production, ActivationType::Deactivate)>"Deactivate on production"</button> })}
                        })}
                        {(!remote).then(|| view! { <span class="hint">"Activation needs the Akamai connection."</span> })}
                        <button type="button" prop:disabled=move || st.running() on:click=move |_| clone(false)>"Clone version"</button>
                        {if frozen {
                            view! { <button type="button" prop:disabled=move || st.running() on:click=move |_| clone(true)>"Clone and edit"</button>
                                <span class="hint">{format!("Version {n} is or was active, so Akamai will not let it change: edit a clone.")}</span> }.into_any()
                        } else {
                            view! { <button type="button" prop:disabled=move || st.running() on:click=edit>"Edit version"</button> }.into_any()
                        }}
                    </div>
                    <ActivationProgress st=st/>
                    <ul class="general">{general.into_iter().map(|(s, t)| view! { <li class=s.label()>{t}</li> }).collect_view()}</ul>
                    <CertTable rows=table label=format!("Certificates of version {n}") vendor_column="Signature"/>
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
            let running = !a.activation_status.is_final();
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
fn Editor(st: State) -> impl IntoView {
    let allow_sha1 = RwSignal::new(false);
    let description = RwSignal::new(String::new());
    let report = RwSignal::new(None::<(Vec<CertRow>, Vec<(Severity, String)>)>);
    let body = move || VersionBody {
        allow_insecure_sha1: allow_sha1.get_untracked(),
        description: Some(description.get_untracked().trim().to_owned()).filter(|d| !d.is_empty()),
        certificates: st.draft.with_untracked(|t| validate::entries_from_text(t)),
    };
    // The local check: what Akamai would most likely say.
    let check = move || {
        let b = body();
        let (gate, v) = workflow::check_before_upload(&b, browser::now_unix());
        report.set(Some(rows(&b, &v)));
        (b, gate)
    };
    let submit = move |_| {
        let (b, gate) = check();
        if let Some(refusal) = gate.message() {
            st.fail(refusal);
            return;
        }
        let id = st.set_id().unwrap_or_default();
        let editing = st.editing.get_untracked();
        st.run("Uploading the version", move |c| async move {
            let target = match editing {
                Editing::New => None,
                Editing::Version(n) => Some(n),
            };
            let v = workflow::upload(&c, &id, target, &b).await?;
            st.draft.set(String::new());
            st.editing.set(Editing::New);
            report.set(None);
            st.load_set(&c, &id).await?;
            st.load_version(&c, &id, v.version).await?;
            st.open_version(id, v.version);
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
                    Err(e) => st.fail(e),
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
                    <button type="button" prop:disabled=move || st.running() on:click=dry_run>"Check with Akamai"</button>
                })}
                <button type="submit" prop:disabled=move || st.running()>{move || match st.editing.get() { Editing::New => "Create version".to_string(), Editing::Version(n) => format!("Save version {n}") }}</button>
                {move || matches!(st.editing.get(), Editing::Version(_)).then(|| view! {
                    <button type="button" on:click=move |_| { st.editing.set(Editing::New); st.draft.set(String::new()); report.set(None); }>"Cancel editing"</button>
                })}
            </div>
            {move || report.get().map(|(rows, general)| view! {
                <ul class="general">{general.into_iter().map(|(s, t)| view! { <li class=s.label()>{t}</li> }).collect_view()}</ul>
                <CertTable rows=rows label="Local check".to_string() vendor_column="Signature"/>
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
    debug_assert!(Action::DeleteSet.needs_confirmation());
    let delete = move |_| {
        let Some((id, name)) = st.set.with_untracked(|s| s.as_ref().map(|s| (s.ca_set_id.clone(), s.ca_set_name.clone()))) else { return };
        confirming.set(false);
        st.run("Deleting the CA set", move |c| async move {
            // Akamai: the associations first (a set in use is not deleted); then the delete,
            // followed until it ends.
            let outcome = workflow::delete_set(&c, &id, st.is_remote(), |d| {
                st.busy.status.set(format!("Deleting CA set {name}: {:?}…", d.status));
                true
            })
            .await?;
            if outcome == workflow::DeleteOutcome::Deleted {
                st.set.set(None);
                st.versions.set(Vec::new());
                st.version.set(None);
                st.router.navigate(&st.url(None, None));
            }
            st.load_sets(&c).await?;
            Ok(outcome.message(&name))
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
                view! { <button type="button" prop:disabled=move || st.running() on:click=move |_| confirming.set(true)>"Delete CA set"</button> }.into_any()
            }}
        </div>
    }
}

/// Copies a version kept offline into the draft, to upload it to Akamai.
#[component]
fn FromWorkspace(st: State) -> impl IntoView {
    // (label, PEM text) of every version in the offline workspace, read when asked for.
    let offline = RwSignal::new(None::<Vec<(String, String)>>);
    let picked = RwSignal::new(None::<usize>);
    let load = move |_| {
        spawn_local(async move {
            let read = async {
                let c = net::local_client().await?;
                workflow::offline_drafts(&c).await.map_err(|e| e.to_string())
            };
            match read.await {
                Ok(list) => {
                    // The only version there is fills an empty draft at once.
                    if let ([(_, pem)], true) = (list.as_slice(), st.draft.with_untracked(|d| d.trim().is_empty())) {
                        st.draft.set(pem.clone());
                        picked.set(Some(0));
                    }
                    offline.set(Some(list));
                }
                Err(e) => st.fail(format!("The offline workspace could not be read: {e}")),
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
                        let i = event_target_value(&ev).parse::<usize>().ok();
                        picked.set(i);
                        if let Some(pem) = i.and_then(|i| texts.get(i)) {
                            st.draft.set(pem.clone());
                        }
                    }>
                        <option value="" selected=move || picked.get().is_none()>"–"</option>
                        {list.into_iter().enumerate().map(|(i, (label, _))| view! {
                            <option value=i.to_string() selected=move || picked.get() == Some(i)>{label}</option>
                        }).collect_view()}
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
            st.open_set(copy.ca_set_id.clone());
            Ok(format!("CA set cloned as {}.", copy.ca_set_name))
        });
    };
    view! {
        <form class="clone-set" on:submit=move |ev| { ev.prevent_default(); clone(()); }>
            <label>"Name of a copy of this set" <input type="text" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
            <button type="submit" prop:disabled=move || st.running()>"Clone CA set"</button>
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
