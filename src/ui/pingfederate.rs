//! The PingFederate page: signing key pairs on a PingFederate server's administrative API
//! (`/pf-admin-api/v1`), with [`crate::vendors::pingfederate`] doing the work.
//!
//! - **Connect**: the admin base URL and HTTP Basic (an admin account) or a bearer token, held in
//!   memory by the client only; the client adds `X-XSRF-Header: PingFederate` to every call.
//!   Requests go through this origin's relay (which can trust a private CA with `--upstream-ca`)
//!   or directly when PingFederate's CORS settings allow this origin.
//! - **The catalogue** (`/keyPairs/keyAlgorithms`) drives every form
//!   ([`crate::vendors::pingfederate::form`]).
//! - **URLs**: `/pingfederate` lists key pairs and holds the generate and import forms;
//!   `/pingfederate/keys/{id}` is one key pair (fingerprints, certificate, export, CSR signing,
//!   delete; [`keypair`]); `/pingfederate/keys/{id}/rotation` its rotation settings ([`rotation`]).
//! - **Keys made in the browser** ([`import`]): imported only after an explicit consent (the one
//!   flow in certwright where a private key is sent anywhere), or kept in PingFederate while a CA
//!   held in the browser signs its CSR ([`keypair`]).

mod import;
mod keypair;
mod rotation;

use std::rc::Rc;

use leptos::prelude::*;

use super::browser;
use super::certtable::{CertRow, CertTable, Severity};
use super::kit::{Busy, BusyBar, ConnectForm, CredentialField, Credentials, Failure, FieldNote};
use super::net;
use super::router::{self, use_router, Router};
use crate::vendors::pingfederate::client::{Client, PingAuth};
use crate::vendors::pingfederate::form::{self, NewKeyPairForm};
use crate::vendors::pingfederate::models::{KeyAlgorithms, KeyPairView};
use crate::vendors::pingfederate::{rules, workflow};
use crate::vendors::redact::Secret;
use crate::vendors::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// Where the page's requests go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PfNet {
    /// Through this origin's relay (`/relay/{host}/…`).
    Relay,
    /// Straight to PingFederate (its CORS settings must allow this origin).
    Direct,
}

impl Transport for PfNet {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        match self {
            PfNet::Relay => net::Relay.send(req).await,
            PfNet::Direct => net::fetch_direct(&req).await,
        }
    }

    async fn sleep_ms(&self, ms: u64) {
        net::Relay.sleep_ms(ms).await;
    }
}

type PfClient = Client<PfNet>;

/// The page's state, shared by its parts.
#[derive(Clone, Copy)]
pub(crate) struct Pf {
    client: StoredValue<Option<Rc<PfClient>>, LocalStorage>,
    pub(crate) catalogue: RwSignal<KeyAlgorithms>,
    pub(crate) rows: RwSignal<Vec<CertRow>>,
    pub(crate) connected: RwSignal<Option<String>>,
    /// Listing and connecting.
    pub(crate) busy: Busy,
    /// One per form. They live as long as the page (a form that navigates away when its request
    /// completes is gone by then; its [`Busy`] must not be).
    pub(crate) busies: Busies,
    pub(crate) router: Router,
}

/// The page's [`Busy`] lines, one per form.
#[derive(Clone, Copy)]
pub(crate) struct Busies {
    pub(crate) generate: Busy,
    pub(crate) import: Busy,
    pub(crate) key: Busy,
    pub(crate) export: Busy,
    pub(crate) csr: Busy,
    pub(crate) delete: Busy,
    pub(crate) rotation: Busy,
}

impl Busies {
    fn new() -> Busies {
        Busies {
            generate: Busy::new(),
            import: Busy::new(),
            key: Busy::new(),
            export: Busy::new(),
            csr: Busy::new(),
            delete: Busy::new(),
            rotation: Busy::new(),
        }
    }
}

/// `busy` for a form just shown: the last form's status and failure cleared.
pub(crate) fn fresh(busy: Busy) -> Busy {
    if !busy.running.get_untracked() {
        busy.status.set(String::new());
        busy.failure.set(None);
    }
    busy
}

impl Pf {
    /// The client, or a failure saying to connect first.
    pub(crate) fn client(&self) -> Result<Rc<PfClient>, Failure> {
        self.client.get_value().ok_or_else(|| Failure::just("Connect to PingFederate first."))
    }

    /// Reloads the catalogue and the key pairs (each certificate downloaded and its fingerprints
    /// compared with PingFederate's).
    pub(crate) fn refresh(self) {
        let Ok(client) = self.client() else { return };
        self.busy.run("Loading the key algorithms and signing key pairs", async move {
            let catalogue = client.key_algorithms().await.map_err(|e| Failure::from_error(&e))?;
            self.catalogue.set(catalogue);
            let list = client.list().await.map_err(|e| Failure::from_error(&e))?;
            let mut rows = Vec::new();
            for v in &list.items {
                let id = v.id.clone().unwrap_or_default();
                let pem = client.certificate(&id).await.map_err(|e| e.to_string());
                rows.push(row_of(v, pem.as_deref()));
            }
            let mismatches = rows.iter().filter(|r| r.has_error()).count();
            self.rows.set(rows);
            Ok(match mismatches {
                0 => format!("{} signing key pair(s); every fingerprint matches.", list.items.len()),
                n => format!("{} signing key pair(s); {n} with a fingerprint mismatch.", list.items.len()),
            })
        });
    }
}

/// A table row for a key pair: the certificate's facts computed here, PingFederate's status and
/// signature algorithm, and the fingerprint comparison as a finding (a mismatch is an error).
pub(crate) fn row_of(v: &KeyPairView, pem: Result<&str, &String>) -> CertRow {
    let id = v.id.clone().unwrap_or_default();
    let info = pem.ok().and_then(|p| crate::pki::parse_bundle(p.as_bytes(), &id).certificates.into_iter().next());
    let mut row = match &info {
        Some(c) => CertRow::of(id.clone(), &id, c, browser::now_unix()),
        None => CertRow {
            key: id.clone(),
            name: id.clone(),
            subject: v.subject_dn.clone().unwrap_or_default(),
            issuer: v.issuer_dn.clone().unwrap_or_default(),
            expires: v.expires.clone().unwrap_or_default(),
            key_algorithm: format!("{} {}", v.key_algorithm.clone().unwrap_or_default(), v.key_size.unwrap_or_default()),
            sha256: v.sha256_fingerprint.clone().unwrap_or_default(),
            vendor: String::new(),
            findings: Vec::new(),
            href: None,
            ..CertRow::default()
        },
    };
    row.href = Some(format!("/pingfederate/keys/{}", router::segment(&id)));
    let status = v.status.map(|s| format!("{s:?}")).unwrap_or_else(|| "?".into());
    row.vendor = format!("{status} · {}", v.signature_algorithm.clone().unwrap_or_default());
    match pem {
        Err(e) => row.findings.push((Severity::Error, format!("The certificate could not be downloaded: {e}"))),
        Ok(p) => match workflow::check_fingerprints(v, p.as_bytes()) {
            Ok(()) => row.findings.push((Severity::Notice, "SHA-1 and SHA-256 fingerprints match PingFederate's.".into())),
            Err(e) => row.findings.push((Severity::Error, format!("Fingerprint mismatch: {e}"))),
        },
    }
    if v.signature_algorithm.as_deref().is_some_and(rules::is_sha1) {
        row.findings.push((Severity::Warning, "Signed with SHA-1; rotation settings must name a SHA-2 signature algorithm.".into()));
    }
    row
}

/// A failure for findings found before sending: nothing was sent.
pub(crate) fn not_sent(findings: &[crate::pki::FieldError]) -> Failure {
    Failure {
        message: format!("Not sent: {} problem(s) to fix first (marked on the fields).", findings.len()),
        fields: findings.iter().map(|f| (f.field.clone(), f.message.clone())).collect(),
        ..Failure::default()
    }
}

/// The message for `field` in `errors` (also for `field[0]`, `field.sub`).
pub(crate) fn field_message(errors: RwSignal<Vec<(String, String)>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors.with(|e| {
            let msgs: Vec<&str> = e
                .iter()
                .filter(|(f, _)| f == field || f.strip_prefix(field).is_some_and(|rest| rest.starts_with(['[', '.'])))
                .map(|(_, m)| m.as_str())
                .collect();
            (!msgs.is_empty()).then(|| msgs.join(" "))
        })
    })
}

/// A labelled text input bound to `value`, with its [`FieldNote`] for `field` (JSON property).
pub(crate) fn text_field(
    prefix: &'static str,
    label: &'static str,
    field: &'static str,
    kind: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let note_id = format!("{prefix}-{field}-note");
    let message = field_message(errors, field);
    view! {
        <label>{label}
            <input type=kind autocomplete="off" spellcheck="false" aria-describedby=note_id.clone()
                aria-invalid=move || message.with(Option::is_some).then_some("true")
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
        <FieldNote id=note_id message=message/>
    }
}

/// A labelled `<select>` of `options` bound to `value`, with its [`FieldNote`]. `blank` adds a
/// first option with the empty value.
#[allow(clippy::too_many_arguments)]
pub(crate) fn select_field(
    prefix: &'static str,
    label: &'static str,
    field: &'static str,
    options: Signal<Vec<String>>,
    blank: Option<Signal<String>>,
    value: RwSignal<String>,
    errors: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let note_id = format!("{prefix}-{field}-note");
    let message = field_message(errors, field);
    view! {
        <label>{label}
            <select aria-describedby=note_id.clone() aria-invalid=move || message.with(Option::is_some).then_some("true")
                on:change=move |ev| value.set(event_target_value(&ev))>
                {blank.map(|b| view! { <option value="" prop:selected=move || value.with(String::is_empty)>{move || b.get()}</option> })}
                {move || options.get().into_iter().map(|o| {
                    let (v, text) = (o.clone(), o.clone());
                    view! { <option value=o prop:selected=move || value.with(|x| *x == v)>{text}</option> }
                }).collect_view()}
            </select>
        </label>
        <FieldNote id=note_id message=message/>
    }
}

/// Which view the URL names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum View {
    List,
    Key(String),
    Rotation(String),
}

/// The page.
#[component]
pub fn PingFederatePage() -> impl IntoView {
    let router = use_router();
    let pf = Pf {
        client: StoredValue::new_local(None),
        catalogue: RwSignal::new(KeyAlgorithms::default()),
        rows: RwSignal::new(Vec::new()),
        connected: RwSignal::new(None),
        busy: Busy::new(),
        busies: Busies::new(),
        router,
    };
    let direct = RwSignal::new(false);
    let fields = vec![
        CredentialField::new("Admin API base URL", "baseUrl", "url")
            .with_hint("e.g. https://pf.example.com:9999 (/pf-admin-api/v1 is added when missing)"),
        CredentialField::new("Username", "username", "text"),
        CredentialField::new("Password", "password", "password"),
        CredentialField::new("Bearer token (instead of username and password)", "token", "password"),
    ];
    let on_connect = move |c: Credentials| -> Result<(), String> {
        let auth = if c.get("token").is_empty() {
            PingAuth::Basic { username: c.get("username").to_owned(), password: Secret::new(c.get("password")) }
        } else {
            PingAuth::Bearer(Secret::new(c.get("token")))
        };
        let how = if direct.get_untracked() { PfNet::Direct } else { PfNet::Relay };
        let client = Client::new(how, c.get("baseUrl"), auth, browser::now_unix).map_err(|e| e.to_string())?;
        let to = format!("{} ({})", client.base_url(), if how == PfNet::Direct { "directly" } else { "through the relay" });
        pf.client.set_value(Some(Rc::new(client)));
        pf.connected.set(Some(to));
        pf.refresh();
        Ok(())
    };
    let on_forget = move || {
        pf.client.set_value(None);
        pf.connected.set(None);
        pf.rows.set(Vec::new());
        pf.catalogue.set(KeyAlgorithms::default());
    };
    let view_of = Memo::new(move |_| {
        router.segments_after("/pingfederate").map(|s| match s.as_slice() {
            [k, id] if k == "keys" => View::Key(id.clone()),
            [k, id, r] if k == "keys" && r == "rotation" => View::Rotation(id.clone()),
            _ => View::List,
        })
    });
    // The view shown: the last one the URL named while this page was showing.
    let shown = RwSignal::new(View::List);
    Effect::new(move |_| {
        if let Some(v) = view_of.get() {
            if shown.with_untracked(|s| *s != v) {
                shown.set(v);
            }
        }
    });
    view! {
        <section class="vendor pingfederate" aria-labelledby="pf-heading">
            <h2 id="pf-heading">"PingFederate signing key pairs"</h2>
            <ConnectForm title="Connect to PingFederate" fields=fields
                note="Credentials stay in this tab's memory (never stored) and go only to PingFederate, on every call with X-XSRF-Header: PingFederate. Requests go through this origin's relay (start it with --upstream-ca HOST=ca.pem to trust a private CA for the admin endpoint), or directly when PingFederate's CORS settings allow this origin."
                connected=pf.connected on_connect=on_connect on_forget=on_forget/>
            <Show when=move || pf.connected.with(Option::is_none)>
                <label class="inline">
                    <input type="checkbox" prop:checked=move || direct.get() on:change=move |ev| direct.set(event_target_checked(&ev))/>
                    "Call PingFederate directly, not through the relay (its CORS settings must allow this origin)"
                </label>
            </Show>
            <BusyBar busy=pf.busy testid="pf"/>
            <Show when=move || pf.connected.with(Option::is_some)>
                {move || match shown.get() {
                    View::List => view! { <ListView pf=pf/> }.into_any(),
                    View::Key(id) => view! { <keypair::KeyPairView pf=pf id=id/> }.into_any(),
                    View::Rotation(id) => view! { <rotation::RotationView pf=pf id=id/> }.into_any(),
                }}
            </Show>
        </section>
    }
}

#[component]
fn ListView(pf: Pf) -> impl IntoView {
    view! {
        <div class="actions">
            <button type="button" on:click=move |_| pf.refresh()>"Reload key pairs"</button>
        </div>
        <Catalogue pf=pf/>
        <CertTable label="PingFederate signing key pairs" rows=pf.rows vendor_column="PingFederate status"/>
        <GenerateForm pf=pf/>
        <import::ImportForm pf=pf/>
    }
}

/// What the catalogue offers, as text.
#[component]
fn Catalogue(pf: Pf) -> impl IntoView {
    view! {
        <details class="catalogue">
            <summary>"Key algorithms PingFederate offers"</summary>
            <ul aria-label="Key algorithm catalogue">
                {move || pf.catalogue.get().items.into_iter().map(|a| view! {
                    <li>{format!(
                        "{}: sizes {} (default {}); signatures {} (default {})",
                        a.name.unwrap_or_default(),
                        a.key_sizes.iter().map(i64::to_string).collect::<Vec<_>>().join(", "),
                        a.default_key_size.map_or("none".into(), |s| s.to_string()),
                        a.signature_algorithms.join(", "),
                        a.default_signature_algorithm.unwrap_or_else(|| "none".into()),
                    )}</li>
                }).collect_view()}
            </ul>
        </details>
    }
}

#[component]
fn GenerateForm(pf: Pf) -> impl IntoView {
    let busy = fresh(pf.busies.generate);
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let id = RwSignal::new(String::new());
    let cn = RwSignal::new(String::new());
    let sans = RwSignal::new(String::new());
    let org = RwSignal::new(String::new());
    let ou = RwSignal::new(String::new());
    let city = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let days = RwSignal::new("365".to_string());
    let alg = RwSignal::new(String::new());
    let size = RwSignal::new(String::new());
    let sig = RwSignal::new(String::new());
    // The catalogue pre-selects: its first algorithm, then that algorithm's defaults.
    Effect::new(move |_| {
        let names = pf.catalogue.with(form::algorithm_names);
        if !names.contains(&alg.get_untracked()) {
            alg.set(names.first().cloned().unwrap_or_default());
        }
    });
    Effect::new(move |_| {
        let offered = pf.catalogue.with(|c| form::offered(c, &alg.get()));
        size.set(offered.default_size.map(|s| s.to_string()).unwrap_or_default());
        sig.set(offered.default_signature.unwrap_or_default());
    });
    let offered = Memo::new(move |_| pf.catalogue.with(|c| form::offered(c, &alg.get())));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = NewKeyPairForm {
            id: id.get_untracked(),
            common_name: cn.get_untracked(),
            subject_alternative_names: sans.get_untracked(),
            organization: org.get_untracked(),
            organization_unit: ou.get_untracked(),
            city: city.get_untracked(),
            state: state.get_untracked(),
            country: country.get_untracked(),
            valid_days: days.get_untracked(),
            key_algorithm: alg.get_untracked(),
            key_size: size.get_untracked(),
            signature_algorithm: sig.get_untracked(),
        };
        let catalogue = pf.catalogue.get_untracked();
        let settings = match f.settings(&catalogue) {
            Ok(s) => s,
            Err(findings) => {
                let failure = not_sent(&findings);
                errors.set(failure.fields.clone());
                return busy.fail(failure);
            }
        };
        errors.set(Vec::new());
        let client = match pf.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        busy.run("Generating the key pair in PingFederate", async move {
            match client.generate(&settings, &catalogue).await {
                Ok(view) => {
                    let id = view.id.clone().unwrap_or_default();
                    pf.refresh();
                    pf.router.navigate(&format!("/pingfederate/keys/{}", router::segment(&id)));
                    Ok(format!("Key pair {id} generated."))
                }
                Err(e) => {
                    let failure = Failure::from_error(&e);
                    errors.set(failure.fields.clone());
                    Err(failure)
                }
            }
        });
    };
    let p = "pf-gen";
    view! {
        <form class="generate" aria-labelledby="pf-gen-heading" on:submit=submit novalidate>
            <h3 id="pf-gen-heading">"Generate a signing key pair in PingFederate"</h3>
            <p class="hint">"PingFederate makes the key and keeps it; only the settings below are sent."</p>
            <fieldset class="grid">
                <legend>"Key pair"</legend>
                {text_field(p, "ID (optional; a-z, 0-9, . _ -)", "id", "text", id, errors)}
                {text_field(p, "Common name (CN)", "commonName", "text", cn, errors)}
                <label>"Subject alternative names (one per line)"
                    <textarea rows="2" aria-describedby="pf-gen-subjectAlternativeNames-note" prop:value=move || sans.get()
                        on:input=move |ev| sans.set(event_target_value(&ev))></textarea>
                </label>
                <FieldNote id="pf-gen-subjectAlternativeNames-note" message=field_message(errors, "subjectAlternativeNames")/>
                {text_field(p, "Organization (O)", "organization", "text", org, errors)}
                {text_field(p, "Organization unit (OU)", "organizationUnit", "text", ou, errors)}
                {text_field(p, "City (L)", "city", "text", city, errors)}
                {text_field(p, "State (ST)", "state", "text", state, errors)}
                {text_field(p, "Country (C, two letters)", "country", "text", country, errors)}
                {text_field(p, "Valid for (days)", "validDays", "number", days, errors)}
                {select_field(p, "Key algorithm", "keyAlgorithm", Signal::derive(move || pf.catalogue.with(form::algorithm_names)), None, alg, errors)}
                {select_field(p, "Key size", "keySize",
                    Signal::derive(move || offered.with(|o| o.sizes.iter().map(i64::to_string).collect())), None, size, errors)}
                {select_field(p, "Signature algorithm", "signatureAlgorithm",
                    Signal::derive(move || offered.with(|o| o.signatures.clone())), None, sig, errors)}
            </fieldset>
            <button type="submit" disabled=move || busy.running.get()>"Generate key pair"</button>
            <BusyBar busy=busy testid="pf-gen"/>
        </form>
    }
}
