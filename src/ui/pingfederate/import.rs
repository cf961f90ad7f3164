//! Import a key pair made in this browser into PingFederate: **the only flow in certwright where
//! a private key is sent anywhere**. The key (from the workshop, with a certificate of it made
//! there) is packed encrypted under a password typed here, as PKCS#12 ([`pki::export_pkcs12`],
//! modern profile) or as PEM with an encrypted PKCS#8 key ([`workflow::pem_key_pair_file`]), and
//! sent only after the user ticks the consent box; the client refuses without it.

use leptos::prelude::*;

use super::keypair::make_in_browser;
use super::{not_sent, router, text_field, Pf};
use crate::pki;
use crate::ui::kit::{BusyBar, Failure};
use crate::ui::workshop::use_workshop;
use crate::vendors::pingfederate::{rules, workflow};
use crate::vendors::redact::Secret;

#[component]
pub(super) fn ImportForm(pf: Pf) -> impl IntoView {
    let ws = use_workshop();
    let busy = super::fresh(pf.busies.import);
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let key = RwSignal::new(None::<usize>);
    let cert = RwSignal::new(None::<usize>);
    let format = RwSignal::new("PKCS12".to_string());
    let id = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let cn = RwSignal::new("signing.example.com".to_string());
    // Keys that have a certificate made here, newest first; the newest is pre-selected.
    let candidates = Memo::new(move |_| {
        let made = ws.made.get();
        ws.keys
            .get()
            .into_iter()
            .rev()
            .filter(|k| made.iter().any(|m| pki::certificate_matches_key(&m.der, &k.key)))
            .map(|k| (k.id, k.label))
            .collect::<Vec<_>>()
    });
    let chosen_key = Memo::new(move |_| {
        key.get().filter(|k| candidates.with(|c| c.iter().any(|(i, _)| i == k))).or_else(|| candidates.with(|c| c.first().map(|(i, _)| *i)))
    });
    let certs = Memo::new(move |_| {
        let Some(k) = chosen_key.get().and_then(|id| ws.key(id)) else { return Vec::new() };
        ws.made.with(|m| {
            m.iter()
                .enumerate()
                .rev()
                .filter(|(_, c)| pki::certificate_matches_key(&c.der, &k))
                .map(|(i, c)| (i, c.label.clone()))
                .collect::<Vec<_>>()
        })
    });
    let chosen_cert = Memo::new(move |_| {
        cert.get().filter(|c| certs.with(|v| v.iter().any(|(i, _)| i == c))).or_else(|| certs.with(|v| v.first().map(|(i, _)| *i)))
    });
    let make = move |_| {
        let name = cn.get_untracked();
        busy.run("Making a key and a self-signed certificate in this browser", async move {
            make_in_browser(ws, name, false).await?;
            key.set(None);
            cert.set(None);
            Ok("Key and certificate made in this browser (they are in Keys & certificates too).".into())
        });
    };
    let send = move |_| {
        let client = match pf.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        let mut findings = Vec::new();
        let id_text = id.get_untracked().trim().to_owned();
        if !id_text.is_empty() {
            findings.extend(rules::check_id("id", &id_text));
        }
        let pw = Secret::new(password.get_untracked());
        if pw.expose().is_empty() {
            findings.push(pki::FieldError { field: "password".into(), message: "required: the key is sent encrypted with it".into() });
        }
        let k = chosen_key.get_untracked().and_then(|i| ws.key(i));
        let c = chosen_cert.get_untracked().and_then(|i| ws.made.with_untracked(|m| m.get(i).cloned()));
        let (Some(k), Some(c)) = (k, c) else {
            findings.push(pki::FieldError { field: "key".into(), message: "choose a key of this browser that has a certificate".into() });
            let f = not_sent(&findings);
            errors.set(f.fields.clone());
            return busy.fail(f);
        };
        if !consent.get_untracked() {
            findings.push(pki::FieldError {
                field: "confirmPrivateKeyLeavesBrowser".into(),
                message: "tick the box to confirm that this private key is sent to PingFederate".into(),
            });
        }
        if !findings.is_empty() {
            let f = not_sent(&findings);
            errors.set(f.fields.clone());
            return busy.fail(f);
        }
        errors.set(Vec::new());
        let pool: Vec<Vec<u8>> = ws.made.with_untracked(|m| m.iter().map(|x| x.der.clone()).collect());
        let chain = pki::issuer_chain(&c.der, &pool);
        let file_id = (!id_text.is_empty()).then_some(id_text);
        let file = if format.get_untracked() == "PKCS12" {
            pki::export_pkcs12(&k, &c.der, &chain, pw.expose(), &pki::Pkcs12Options::default(), &mut rand_core::OsRng)
                .map_err(|e| crate::vendors::error::Error::invalid("fileData", e.to_string()))
                .and_then(|p12| workflow::pkcs12_key_pair_file(file_id, &p12, &pw))
        } else {
            let mut certs = vec![c.der.clone()];
            certs.extend(chain);
            workflow::pem_key_pair_file(file_id, &k, &certs, &pw, pki::Kdf::default(), &mut rand_core::OsRng)
        };
        password.set(String::new());
        let file = match file {
            Ok(f) => f,
            Err(e) => return busy.fail(Failure::from_error(&e)),
        };
        let confirmed = consent.get_untracked();
        consent.set(false);
        busy.run("Sending the encrypted key pair to PingFederate", async move {
            match client.import_key_pair(&file, confirmed).await {
                Ok(view) => {
                    let id = view.id.unwrap_or_default();
                    pf.refresh();
                    pf.router.navigate(&format!("/pingfederate/keys/{}", router::segment(&id)));
                    Ok(format!("Key pair {id} imported into PingFederate."))
                }
                Err(e) => {
                    let f = Failure::from_error(&e);
                    errors.set(f.fields.clone());
                    Err(f)
                }
            }
        });
    };
    let p = "pf-imp";
    view! {
        <form class="import" aria-labelledby="pf-imp-heading" on:submit=move |ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <h3 id="pf-imp-heading">"Import a key pair made in this browser"</h3>
            <p class="warning"><strong>"This is the only flow in certwright where a private key is sent anywhere."</strong>
                " The key goes to PingFederate, encrypted under the password below, and nowhere else. To keep the key in PingFederate instead, generate it there and sign its CSR with a browser CA (open a key pair)."</p>
            <div class="actions">
                <label>"Common name for a new browser key" <input type="text" prop:value=move || cn.get() on:input=move |ev| cn.set(event_target_value(&ev))/></label>
                <button type="button" on:click=make disabled=move || busy.running.get()>"Make a key and certificate in this browser"</button>
            </div>
            <label>"Browser key"
                <select aria-describedby="pf-imp-key-note" on:change=move |ev| key.set(event_target_value(&ev).parse().ok())>
                    <option value="" prop:selected=move || chosen_key.get().is_none()>"— a key with a certificate made in this browser —"</option>
                    {move || candidates.get().into_iter().map(|(i, label)| view! {
                        <option value=i.to_string() prop:selected=move || chosen_key.get() == Some(i)>{label}</option>
                    }).collect_view()}
                </select>
            </label>
            <crate::ui::kit::FieldNote id="pf-imp-key-note" message=super::field_message(errors, "key")/>
            <label>"Its certificate"
                <select on:change=move |ev| cert.set(event_target_value(&ev).parse().ok())>
                    {move || certs.get().into_iter().map(|(i, label)| view! {
                        <option value=i.to_string() prop:selected=move || chosen_cert.get() == Some(i)>{label}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"File format"
                <select on:change=move |ev| format.set(event_target_value(&ev))>
                    <option value="PKCS12" prop:selected=move || format.get() == "PKCS12">"PKCS#12 (key and certificates under the password)"</option>
                    <option value="PEM" prop:selected=move || format.get() == "PEM">"PEM (encrypted PKCS#8 key and certificates)"</option>
                </select>
            </label>
            {text_field(p, "Key pair ID in PingFederate (optional)", "id", "text", id, errors)}
            {text_field(p, "File password (the key is encrypted with it)", "password", "password", password, errors)}
            <label class="inline consent">
                <input type="checkbox" aria-describedby="pf-imp-confirmPrivateKeyLeavesBrowser-note" prop:checked=move || consent.get() on:change=move |ev| consent.set(event_target_checked(&ev))/>
                "I confirm that this private key is sent to PingFederate (encrypted). No other flow in certwright sends a private key anywhere."
            </label>
            <crate::ui::kit::FieldNote id="pf-imp-confirmPrivateKeyLeavesBrowser-note" message=super::field_message(errors, "confirmPrivateKeyLeavesBrowser")/>
            <button type="button" on:click=send disabled=move || busy.running.get() || !consent.get()>"Send the encrypted key pair to PingFederate"</button>
            <BusyBar busy=busy testid="pf-imp"/>
        </form>
    }
}
