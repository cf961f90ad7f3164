//! The tenant's root CAs: the list (every page, fingerprints checked against the SHA-256
//! computed here) and the creation of a managed root (MATTR makes and keeps the key).

use leptos::prelude::*;

use super::{failure, now, refused, root_href, Ctx, FormErrors};
use crate::pki;
use crate::ui::certtable::{CertRow, CertTable, Severity};
use crate::ui::kit::{BusyBar, FieldNote};
use crate::vendors::mattr::client::Error;
use crate::vendors::mattr::models::DtsCaCertificate;
use crate::vendors::mattr::{rules, workflow};

/// Lists every root (all pages) into the page state.
pub(super) fn load(ctx: Ctx) {
    let c = match ctx.client() {
        Ok(c) => c,
        Err(f) => return ctx.roots_busy.fail(f),
    };
    ctx.roots_busy.run("Listing the root CAs", async move {
        let all = c.list_all_root_cas().await.map_err(|e| failure(&e))?;
        let n = all.items.len();
        let stopped =
            all.stopped.map(|_| format!(" Listing stopped after {} pages: the list may be incomplete.", all.pages)).unwrap_or_default();
        ctx.roots.set(Some(all.items));
        Ok(format!("Listed {n} root CA certificate(s).{stopped}"))
    });
}

/// The fingerprint finding: MATTR's `certificateFingerprint` against the local SHA-256.
pub(super) fn fingerprint_finding(pem: &str, reported: &str) -> (Severity, String) {
    match rules::check_fingerprint(pem, reported) {
        Ok(()) => (Severity::Notice, "MATTR's fingerprint matches the SHA-256 computed here".into()),
        Err(Error::Invalid { message, .. }) => (Severity::Error, message),
        Err(e) => (Severity::Error, e.to_string()),
    }
}

/// The state column: active or not, managed or uploaded.
pub(super) fn state_text(r: &DtsCaCertificate) -> String {
    format!(
        "{} · {}",
        if r.active { "active" } else { "inactive" },
        if r.is_managed { "managed by MATTR" } else { "uploaded (its key is not at MATTR)" }
    )
}

fn rows(roots: &[DtsCaCertificate], now: i64) -> Vec<CertRow> {
    roots
        .iter()
        .map(|r| {
            let info = pki::parse_bundle(r.certificate_pem.as_bytes(), "root").certificates.into_iter().next();
            let name = r.certificate_data.common_name.clone().unwrap_or_default();
            let mut row = match info {
                Some(info) => CertRow::of(r.id.clone(), &name, &info, now),
                None => CertRow {
                    key: r.id.clone(),
                    name: if name.is_empty() { r.id.clone() } else { name },
                    subject: String::new(),
                    issuer: String::new(),
                    expires: String::new(),
                    key_algorithm: String::new(),
                    sha256: String::new(),
                    vendor: String::new(),
                    findings: vec![(Severity::Error, "MATTR sent a certificatePem that holds no certificate".into())],
                    href: None,
                    ..CertRow::default()
                },
            };
            row.vendor = state_text(r);
            row.findings.push(fingerprint_finding(&r.certificate_pem, &r.certificate_fingerprint));
            row.href = Some(root_href(&r.id));
            row
        })
        .collect()
}

/// The roots list and the managed-root form.
#[component]
pub(super) fn Roots(ctx: Ctx) -> impl IntoView {
    let busy = ctx.roots_busy;
    let table = Signal::derive(move || ctx.roots.with(|r| r.as_deref().map(|r| rows(r, now())).unwrap_or_default()));
    let org = RwSignal::new(String::new());
    let cn = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let not_before = RwSignal::new(String::new());
    let not_after = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = workflow::create_fields(
            &org.get_untracked(),
            &cn.get_untracked(),
            &country.get_untracked(),
            &not_before.get_untracked(),
            &not_after.get_untracked(),
        );
        let listed = ctx.listed_roots();
        let findings = rules::check_create_root(&fields, now(), listed);
        if !findings.is_empty() {
            let f = refused(&findings);
            errors.set(&f.fields);
            return busy.fail(f);
        }
        let c = match ctx.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        errors.clear();
        busy.run("Creating a managed root CA", async move {
            match c.create_managed_root_ca(&fields, listed).await {
                Ok(root) => {
                    let id = root.id.clone();
                    ctx.upsert_root(root);
                    for s in [org, cn, country, not_before, not_after] {
                        s.set(String::new());
                    }
                    Ok(format!("Created the managed root CA {id}."))
                }
                Err(e) => {
                    let f = failure(&e);
                    errors.set(&f.fields);
                    Err(f)
                }
            }
        });
    };
    let input = move |label, field, value, placeholder| errors.text_input("mattr-create", label, field, value, placeholder);
    view! {
        <section aria-labelledby="mattr-roots-heading">
            <h3 id="mattr-roots-heading">"Root CAs"</h3>
            <p class="hint">"MATTR allows at most 3 DTS root CA certificates per tenant. Open a root to activate, deactivate or delete it."</p>
            <div class="actions">
                <button type="button" disabled=move || ctx.connected.with(Option::is_none) on:click=move |_| load(ctx)>"Load all roots"</button>
            </div>
            <BusyBar busy=busy testid="mattr-roots"/>
            {move || ctx.roots.with(Option::is_none).then(|| view! { <p class="hint">"Not listed yet: connect, then load them."</p> })}
            <CertTable label="MATTR root CAs" rows=table vendor_column="State"/>
            <form class="create-root" aria-label="Create a managed root CA" on:submit=create>
                <h4>"Create a managed root CA"</h4>
                <p class="hint">"Only the organisation name is required; MATTR fills in the rest."</p>
                {input("Organisation name", "organisationName", org, "Example Inc.")}
                {input("Common name (optional)", "commonName", cn, "Example DTS CA")}
                {input("Country (optional, ISO 3166-1 alpha-2)", "country", country, "AU")}
                {input("Not before (optional, RFC 3339)", "notBefore", not_before, "2030-01-01T00:00:00Z")}
                {input("Not after (optional, RFC 3339, at most 20 years away)", "notAfter", not_after, "2040-01-01T00:00:00Z")}
                <button type="submit" aria-describedby="mattr-create-tenant">"Create root CA"</button>
                <FieldNote id="mattr-create-tenant" message=errors.note("tenant")/>
            </form>
        </section>
    }
}
