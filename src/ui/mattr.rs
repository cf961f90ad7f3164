//! The MATTR VII page: DTS root CAs (managed by MATTR, or held in this browser and uploaded),
//! VICAL signers signed here with a browser-held root's key, and the public endpoints (the
//! public root list and a root's CRL, no token).
//!
//! - Connect: tenant URL, auth URL (empty: derived from the tenant's region), client id and
//!   secret, handed once to a [`Client`] over the relay and kept in memory only (**Forget** drops
//!   it). The OAuth token is the client's: cached, fetched once more after a 401.
//! - URLs: `/mattr` (overview), `/mattr/roots/{id}`, `/mattr/roots/{id}/crl`,
//!   `/mattr/signers/{id}`; the view follows the URL, so back, forward and reload land on it.
//! - Every check MATTR makes is made before sending (`vendors::mattr::rules`) and shown on the
//!   form field it concerns ([`FormErrors`] + the kit's `FieldNote`); MATTR's own `details[]`
//!   land on the same fields ([`Failure::from_error`]).
//!
//! The decisions (the auth URL, blank fields, which key signs, which root to pre-select) are in
//! `vendors::mattr::workflow`, with native tests; this module only wires signals.

mod held;
mod objects;
mod public;
mod roots;

use std::rc::Rc;

use leptos::prelude::*;

use super::browser;
use super::kit::{Busy, ConnectForm, CredentialField, Credentials, Failure, FieldNote};
use super::net::Relay;
use super::router::{self, use_router, Router};
use crate::pki::FieldError;
use crate::vendors::mattr::client::{Client, Error};
use crate::vendors::mattr::models::{DtsCaCertificate, VicalSigner};
use crate::vendors::mattr::workflow;

/// The page's MATTR client.
type MattrClient = Client<Relay>;

/// The page's state, shared by its sections as one `Copy` value.
#[derive(Clone, Copy)]
struct Ctx {
    /// The client with the credentials (memory only), once connected.
    client: StoredValue<Option<Rc<MattrClient>>, LocalStorage>,
    /// The tenant connected to.
    connected: RwSignal<Option<String>>,
    /// The tenant URL for the public endpoints (set on connect, editable without one).
    tenant: RwSignal<String>,
    /// The roots as last listed (`None`: not listed yet).
    roots: RwSignal<Option<Vec<DtsCaCertificate>>>,
    /// The VICAL signers as last listed (`None`: not listed yet).
    signers: RwSignal<Option<Vec<VicalSigner>>>,
    /// The browser-held root to upload (PEM: generated here, pasted or dropped).
    held_pem: RwSignal<String>,
    /// The root uploaded last (pre-selected for a VICAL signer).
    just_uploaded: RwSignal<Option<String>>,
    router: Router,
    /// The managed-roots section's operations.
    roots_busy: Busy,
    /// The browser-held root and signer operations.
    held_busy: Busy,
    /// The public endpoints' operations.
    public_busy: Busy,
    /// The object views' operations.
    object_busy: Busy,
}

impl Ctx {
    fn client(&self) -> Result<Rc<MattrClient>, Failure> {
        self.client.get_value().ok_or_else(|| Failure::just("Connect to a MATTR tenant first (the Connect form above)."))
    }

    /// Roots listed so far (for the 3-root cap), `None` when not listed.
    fn listed_roots(&self) -> Option<usize> {
        self.roots.with_untracked(|r| r.as_ref().map(Vec::len))
    }

    fn listed_signers(&self) -> Option<usize> {
        self.signers.with_untracked(|s| s.as_ref().map(Vec::len))
    }

    /// Puts `root` into the list (replacing the record with its id).
    fn upsert_root(&self, root: DtsCaCertificate) {
        self.roots.update(|list| {
            let list = list.get_or_insert_with(Vec::new);
            match list.iter_mut().find(|r| r.id == root.id) {
                Some(r) => *r = root,
                None => list.push(root),
            }
        });
    }

    fn upsert_signer(&self, signer: VicalSigner) {
        self.signers.update(|list| {
            let list = list.get_or_insert_with(Vec::new);
            match list.iter_mut().find(|s| s.id == signer.id) {
                Some(s) => *s = signer,
                None => list.push(signer),
            }
        });
    }

    fn root(&self, id: &str) -> Option<DtsCaCertificate> {
        self.roots.with(|r| r.as_ref().and_then(|r| r.iter().find(|r| r.id == id).cloned()))
    }
}

/// A client error as the page shows it, with a hint where the message alone does not say what
/// to do (a 401 after the one token refresh).
fn failure(e: &Error) -> Failure {
    let mut f = Failure::from_error(e);
    if let Some(h) = workflow::hint(e) {
        f.details.insert(0, h.to_owned());
    }
    f
}

/// A failure for findings made before sending: nothing was sent.
fn refused(findings: &[FieldError]) -> Failure {
    Failure {
        message: "Not sent: fix the fields marked below.".into(),
        fields: findings.iter().map(|f| (f.field.clone(), f.message.clone())).collect(),
        ..Failure::default()
    }
}

/// The field errors of one form (local findings or MATTR's details), read by its `FieldNote`s.
#[derive(Clone, Copy)]
struct FormErrors(RwSignal<Vec<(String, String)>>);

impl FormErrors {
    fn new() -> FormErrors {
        FormErrors(RwSignal::new(Vec::new()))
    }

    /// The message for `field` (every message for it, joined).
    fn note(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.0.with(|v| {
                let all: Vec<&str> = v.iter().filter(|(f, _)| f == field).map(|(_, m)| m.as_str()).collect();
                (!all.is_empty()).then(|| all.join(" "))
            })
        })
    }

    fn set(self, fields: &[(String, String)]) {
        self.0.set(fields.to_vec());
    }

    /// A labelled text input for `field`, bound to `value`, with its note under it (id
    /// `{form}-{field}`, dots as dashes) and `aria-invalid` while the note shows.
    fn text_input(
        self,
        form: &'static str,
        label: &'static str,
        field: &'static str,
        value: RwSignal<String>,
        placeholder: &'static str,
    ) -> impl IntoView {
        let note_id = format!("{form}-{}", field.replace('.', "-"));
        view! {
            <label>{label}
                <input type="text" autocomplete="off" spellcheck="false" placeholder=placeholder aria-describedby=note_id.clone()
                    aria-invalid=move || self.note(field).get().is_some().to_string()
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </label>
            <FieldNote id=note_id message=self.note(field)/>
        }
    }

    fn clear(self) {
        self.0.set(Vec::new());
    }
}

fn now() -> i64 {
    browser::now_unix()
}

/// The object's URL on this page.
fn root_href(id: &str) -> String {
    format!("/mattr/roots/{}", router::segment(id))
}

fn signer_href(id: &str) -> String {
    format!("/mattr/signers/{}", router::segment(id))
}

/// The MATTR page.
#[component]
pub fn MattrPage() -> impl IntoView {
    let router = use_router();
    let ctx = Ctx {
        client: StoredValue::new_local(None),
        connected: RwSignal::new(None),
        tenant: RwSignal::new(String::new()),
        roots: RwSignal::new(None),
        signers: RwSignal::new(None),
        held_pem: RwSignal::new(String::new()),
        just_uploaded: RwSignal::new(None),
        router,
        roots_busy: Busy::new(),
        held_busy: Busy::new(),
        public_busy: Busy::new(),
        object_busy: Busy::new(),
    };
    let on_connect = move |c: Credentials| -> Result<(), String> {
        let tenant = c.get("tenantUrl").to_owned();
        if tenant.is_empty() {
            return Err("Enter the tenant URL (https://<tenant>.vii.<region>.mattr.global).".into());
        }
        let auth = match c.get("authUrl") {
            "" => workflow::auth_url_for_tenant(&tenant).ok_or_else(|| {
                "Enter the auth URL: this tenant URL names no region (https://<tenant>.vii.<region>.mattr.global).".to_string()
            })?,
            a => a.to_owned(),
        };
        if c.get("clientSecret").is_empty() {
            return Err("Enter the client secret.".into());
        }
        let client =
            Client::new(Relay, &tenant, &auth, c.get("clientId"), c.get("clientSecret"), browser::now_unix).map_err(|e| e.to_string())?;
        let tenant = client.tenant_url().to_owned();
        ctx.client.set_value(Some(Rc::new(client)));
        ctx.tenant.set(tenant.clone());
        ctx.roots.set(None);
        ctx.signers.set(None);
        ctx.connected.set(Some(tenant));
        roots::load(ctx);
        Ok(())
    };
    let on_forget = move || {
        ctx.client.set_value(None);
        ctx.connected.set(None);
        ctx.roots.set(None);
        ctx.signers.set(None);
        ctx.roots_busy.status.set("The credentials are forgotten.".into());
    };
    let fields = vec![
        CredentialField::new("Tenant URL", "tenantUrl", "url").with_hint("https://<tenant>.vii.<region>.mattr.global"),
        CredentialField::new("Auth URL", "authUrl", "url")
            .with_hint("Empty: https://auth.<region>.mattr.global, from the tenant URL's region."),
        CredentialField::new("Client ID", "clientId", "text"),
        CredentialField::new("Client secret", "clientSecret", "password"),
    ];
    let segments = Memo::new(move |_| router.segments_after("/mattr").unwrap_or_default());
    view! {
        <section class="vendor mattr" aria-labelledby="mattr-heading">
            <h2 id="mattr-heading">"MATTR VII: DTS root CAs and VICAL signers"</h2>
            <ConnectForm title="Connect to MATTR" fields=fields connected=ctx.connected on_connect=on_connect on_forget=on_forget
                note="The client secret stays in this tab's memory, inside the client; it is sent only to the auth URL, through this origin's relay. Nothing is stored."/>
            <objects::ObjectView ctx=ctx segments=segments/>
            <div class:hidden=move || !segments.with(Vec::is_empty)>
                <roots::Roots ctx=ctx/>
                <held::Held ctx=ctx/>
                <public::Public ctx=ctx/>
            </div>
        </section>
    }
}
