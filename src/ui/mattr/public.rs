//! MATTR's public endpoints, which need no token: the tenant's public root list (fingerprints
//! checked here too) and a root's CRL (opened by its id at `/mattr/roots/{id}/crl`).

use leptos::prelude::*;

use super::roots::fingerprint_finding;
use super::{failure, now, root_href, Ctx};
use crate::pki;
use crate::ui::certtable::{CertRow, CertTable};
use crate::ui::kit::{BusyBar, Failure};
use crate::ui::net::Relay;
use crate::vendors::mattr::client::Client;
use crate::vendors::mattr::models::PublicRootCertificate;

fn rows(list: &[PublicRootCertificate], now: i64) -> Vec<CertRow> {
    list.iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let info = pki::parse_bundle(r.certificate.as_bytes(), "public root").certificates.into_iter().next()?;
            let mut row = CertRow::of(i.to_string(), r.common_name.as_deref().unwrap_or_default(), &info, now);
            row.findings.push(fingerprint_finding(&r.certificate, &r.fingerprint));
            Some(row)
        })
        .collect()
}

#[component]
pub(super) fn Public(ctx: Ctx) -> impl IntoView {
    let busy = ctx.public_busy;
    let list = RwSignal::new(None::<Vec<PublicRootCertificate>>);
    let table = Signal::derive(move || list.with(|l| l.as_deref().map(|l| rows(l, now())).unwrap_or_default()));
    let root_id = RwSignal::new(String::new());
    let load = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = match Client::public_only(Relay, &ctx.tenant.get_untracked(), now) {
            Ok(c) => c,
            Err(e) => return busy.fail(failure(&e)),
        };
        busy.run("Loading the public root list (no token)", async move {
            let got = c.list_public_root_cas().await.map_err(|e| failure(&e))?;
            let n = got.root_certificates.len();
            list.set(Some(got.root_certificates));
            Ok(format!("The public list holds {n} root CA certificate(s)."))
        });
    };
    let open_crl = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = root_id.get_untracked().trim().to_owned();
        if id.is_empty() {
            return busy.fail(Failure::just("Enter the root CA's id (a UUID) to open its CRL."));
        }
        ctx.router.navigate(&format!("{}/crl", root_href(&id)));
    };
    view! {
        <section aria-labelledby="mattr-public-heading">
            <h3 id="mattr-public-heading">"Public endpoints (no token)"</h3>
            <form class="actions" aria-label="Public root list" on:submit=load>
                <label>"Tenant URL (public)"
                    <input type="url" autocomplete="off" spellcheck="false" placeholder="https://tenant.vii.au01.mattr.global"
                        prop:value=move || ctx.tenant.get() on:input=move |ev| ctx.tenant.set(event_target_value(&ev))/>
                </label>
                <button type="submit">"Load the public list"</button>
            </form>
            <form class="actions" aria-label="A root CA's CRL" on:submit=open_crl>
                <label>"Root CA id"
                    <input type="text" autocomplete="off" spellcheck="false" prop:value=move || root_id.get()
                        on:input=move |ev| root_id.set(event_target_value(&ev))/>
                </label>
                <button type="submit">"Show its CRL"</button>
            </form>
            <BusyBar busy=busy testid="mattr-public"/>
            {move || list.with(Option::is_some).then(|| view! { <CertTable label="MATTR public root CAs" rows=table/> })}
        </section>
    }
}
