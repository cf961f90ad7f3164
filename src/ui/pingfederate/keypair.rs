//! One key pair (`/pingfederate/keys/{id}`): its details, PingFederate's fingerprints against the
//! ones computed here from the downloaded certificate (a mismatch is an error), the certificate
//! download, export (PEM or PKCS#12, only on the button, under a password typed here), signing
//! PingFederate's CSR with a CA held in this browser, and delete.

use leptos::prelude::*;

use super::{router, row_of, Pf};
use crate::pki::{self, CertParams, CertSubject, HashAlgorithm, Issuer, SubjectFields};
use crate::ui::browser;
use crate::ui::certtable::{CertRow, CertTable};
use crate::ui::kit::{BusyBar, Failure};
use crate::ui::workshop::{use_workshop, Workshop};
use crate::vendors::pingfederate::models::KeyPairView as View;
use crate::vendors::pingfederate::workflow;
use crate::vendors::redact::Secret;

/// What the panel loaded.
#[derive(Clone)]
struct Loaded {
    view: View,
    pem: Option<String>,
    info: Option<pki::CertificateInfo>,
    row: CertRow,
}

fn random20() -> [u8; 20] {
    let mut r = [0u8; 20];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut r);
    r
}

#[component]
pub(super) fn KeyPairView(pf: Pf, id: String) -> impl IntoView {
    // A key pair just opened: the last one's status lines and failures go.
    for b in [pf.busies.export, pf.busies.csr, pf.busies.delete] {
        super::fresh(b);
    }
    let busy = super::fresh(pf.busies.key);
    let loaded = RwSignal::new(None::<Loaded>);
    let id = StoredValue::new(id);
    let load = move || {
        let Ok(client) = pf.client() else { return };
        let id = id.get_value();
        busy.run(format!("Loading key pair {id}"), async move {
            let view = client.get(&id).await.map_err(|e| Failure::from_error(&e))?;
            let pem = client.certificate(&id).await;
            let row = row_of(&view, pem.as_deref().map_err(|e| e.to_string()).as_deref());
            let info = pem.as_ref().ok().and_then(|p| pki::parse_bundle(p.as_bytes(), &id).certificates.into_iter().next());
            let verdict = if row.has_error() { "Fingerprint mismatch: see the findings." } else { "Fingerprints checked." };
            loaded.set(Some(Loaded { view, pem: pem.ok(), info, row }));
            Ok(format!("Key pair {id} loaded. {verdict}"))
        });
    };
    load();
    let title = move || format!("Key pair {}", id.get_value());
    view! {
        <div class="keypair" aria-labelledby="pf-key-heading">
            <p><router::Link href="/pingfederate".to_string()>"All signing key pairs"</router::Link></p>
            <h3 id="pf-key-heading">{title}</h3>
            <BusyBar busy=busy testid="pf-key"/>
            {move || loaded.get().map(|l| view! { <Details pf=pf id=id.get_value() loaded=l reload=Callback::new(move |_| load())/> })}
        </div>
    }
}

#[component]
fn Details(pf: Pf, id: String, loaded: Loaded, reload: Callback<()>) -> impl IntoView {
    let v = loaded.view.clone();
    let rows = RwSignal::new(vec![loaded.row.clone()]);
    let fp_rows = [
        ("SHA-1", v.sha1_fingerprint.clone(), loaded.info.as_ref().map(|c| c.sha1_fingerprint.clone())),
        ("SHA-256", v.sha256_fingerprint.clone(), loaded.info.as_ref().map(|c| c.sha256_fingerprint.clone())),
    ];
    let verdict = match (&loaded.pem, loaded.row.has_error()) {
        (None, _) => "The certificate could not be downloaded, so the fingerprints were not checked.".to_string(),
        (Some(_), true) => loaded.row.findings.iter().map(|(_, t)| t.clone()).next().unwrap_or_default(),
        (Some(_), false) => "Both fingerprints match the certificate downloaded from PingFederate.".to_string(),
    };
    let mismatch = loaded.row.has_error();
    let pem = loaded.pem.clone();
    let cert_id = id.clone();
    let rotation_href = format!("/pingfederate/keys/{}/rotation", router::segment(&id));
    let dl = |k: &'static str, val: String| view! { <dt>{k}</dt><dd>{val}</dd> };
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
    view! {
        <CertTable label=format!("Key pair {id}") rows=rows vendor_column="PingFederate status"/>
        <dl class="facts">
            {dl("Subject", opt(&v.subject_dn))}
            {dl("Issuer", opt(&v.issuer_dn))}
            {dl("Subject alternative names", v.subject_alternative_names.clone().unwrap_or_default().join(", "))}
            {dl("Valid", format!("{} to {}", opt(&v.valid_from), opt(&v.expires)))}
            {dl("Key", format!("{} {}", opt(&v.key_algorithm), v.key_size.map(|s| s.to_string()).unwrap_or_default()))}
            {dl("Signature algorithm", opt(&v.signature_algorithm))}
            {dl("Serial number", opt(&v.serial_number))}
            {dl("Rotation settings", v.rotation_settings.as_ref().map_or("none".into(), |r| format!(
                "create {} days and activate {} days before expiry", r.creation_buffer_days, r.activation_buffer_days)))}
        </dl>
        <table class="fingerprints" aria-label="Fingerprints">
            <thead><tr><th scope="col">"Hash"</th><th scope="col">"PingFederate reports"</th><th scope="col">"Computed here"</th><th scope="col">"Match"</th></tr></thead>
            <tbody>
                {fp_rows.into_iter().map(|(name, theirs, ours)| {
                    let same = match (&theirs, &ours) {
                        (Some(t), Some(o)) => if workflow::normalize_fingerprint(t) == workflow::normalize_fingerprint(o) { "yes" } else { "NO" },
                        _ => "not checked",
                    };
                    view! { <tr><th scope="row">{name}</th><td class="mono">{theirs.unwrap_or_default()}</td><td class="mono">{ours.unwrap_or_default()}</td><td>{same}</td></tr> }
                }).collect_view()}
            </tbody>
        </table>
        <p data-testid="pf-fingerprints" class:failure=mismatch role=if mismatch { "alert" } else { "status" }>{verdict}</p>
        <div class="actions">
            <button type="button" disabled=pem.is_none() on:click=move |_| {
                if let Some(p) = &pem { let _ = browser::download(&format!("{cert_id}.crt.pem"), "application/x-pem-file", p); }
            }>"Download certificate"</button>
            <router::Link href=rotation_href>"Rotation settings"</router::Link>
        </div>
        <Export pf=pf id=id.clone()/>
        <SignCsr pf=pf id=id.clone() reload=reload/>
        <Delete pf=pf id=id/>
    }
}

#[component]
fn Export(pf: Pf, id: String) -> impl IntoView {
    let busy = pf.busies.export;
    let format = RwSignal::new("PEM".to_string());
    let password = RwSignal::new(String::new());
    let id = StoredValue::new(id);
    let export = move |_| {
        let client = match pf.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        let secret = Secret::new(password.get_untracked());
        password.set(String::new());
        let pkcs12 = format.get_untracked() == "PKCS12";
        let id = id.get_value();
        busy.run(format!("Exporting key pair {id}"), async move {
            let file = if pkcs12 { client.export_pkcs12(&id, &secret).await } else { client.export_pem(&id, &secret).await }
                .map_err(|e| Failure::from_error(&e))?;
            let (name, mime) =
                if pkcs12 { (format!("{id}.p12"), "application/x-pkcs12") } else { (format!("{id}.pem"), "application/x-pem-file") };
            browser::download_bytes(&name, mime, &file.bytes).map_err(Failure::just)?;
            Ok(format!("Exported {name} ({} bytes), protected by the password you typed.", file.bytes.len()))
        });
    };
    view! {
        <fieldset class="export">
            <legend>"Export the key pair from PingFederate"</legend>
            <p class="hint">"Brings PingFederate's private key into this browser as a file, protected by this password. Nothing is exported until you press the button."</p>
            <label>"Export format"
                <select on:change=move |ev| format.set(event_target_value(&ev))>
                    <option value="PEM" prop:selected=move || format.get() == "PEM">"PEM (encrypted PKCS#8 key and certificate)"</option>
                    <option value="PKCS12" prop:selected=move || format.get() == "PKCS12">"PKCS#12 (.p12)"</option>
                </select>
            </label>
            <label>"Export password"
                <input type="password" autocomplete="new-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            </label>
            <button type="button" disabled=move || password.with(String::is_empty) || busy.running.get() on:click=export>"Export and download"</button>
            <BusyBar busy=busy testid="pf-export"/>
        </fieldset>
    }
}

/// The CAs held in this browser that can issue (a CA certificate with its key): `(index in
/// made, label)`.
fn browser_cas(ws: Workshop) -> Vec<(usize, String)> {
    ws.made.with(|m| m.iter().enumerate().filter(|(_, c)| c.is_ca && c.key_id.is_some()).map(|(i, c)| (i, c.label.clone())).collect())
}

/// Makes a P-256 key and a self-signed certificate (a CA or a signing certificate) in this
/// browser, keeps both in the workshop, and returns the certificate's index in `made`.
pub(super) async fn make_in_browser(ws: Workshop, common_name: String, is_ca: bool) -> Result<usize, Failure> {
    let (key, source) = crate::webcrypto::generate_with_fallback(pki::KeyAlgorithm::P256).await.map_err(Failure::just)?;
    let now = browser::now_unix();
    let params = CertParams {
        subject: SubjectFields { common_name, ..Default::default() },
        is_ca,
        key_usage: if is_ca { vec!["keyCertSign".into(), "cRLSign".into()] } else { vec!["digitalSignature".into()] },
        not_before: now - 60,
        not_after: now + 365 * 86_400,
        hash: HashAlgorithm::Sha256,
        ..Default::default()
    };
    let findings = |f: Vec<pki::FieldError>| super::not_sent(&f);
    let tbs = pki::prepare_certificate(&params, CertSubject::Key(&key), None, random20()).map_err(findings)?;
    let (der, _) = crate::webcrypto::sign_tbs(&tbs, &key).await.map_err(findings)?;
    let info = pki::parse_bundle(&der, "made").certificates.into_iter().next();
    let (label, serial) = info
        .map(|i| (format!("{} ({})", crate::ui::inspect::display_name(&i), if is_ca { "CA" } else { "self-signed" }), i.serial_number))
        .unwrap_or_default();
    let key_id = ws.add_key(key, source);
    Ok(ws.add_made(label, der, Some(key_id), is_ca, serial))
}

#[component]
fn SignCsr(pf: Pf, id: String, reload: Callback<()>) -> impl IntoView {
    let ws = use_workshop();
    let busy = pf.busies.csr;
    let id = StoredValue::new(id);
    let csr = RwSignal::new(None::<Vec<u8>>);
    let ca = RwSignal::new(None::<usize>);
    let ca_name = RwSignal::new("certwright browser CA".to_string());
    let days = RwSignal::new("365".to_string());
    let response = RwSignal::new(String::new());
    // The CA to sign with: the one chosen, else the newest made in this browser.
    let chosen = Memo::new(move |_| ca.get().or_else(|| browser_cas(ws).last().map(|(i, _)| *i)));
    let csr_text = Memo::new(move |_| {
        csr.with(|c| {
            c.as_ref().map(|der| {
                let subject = pki::parse_bundle(der, "csr").csrs.first().map(|r| r.subject_dn.clone()).unwrap_or_default();
                (subject, pki::pem::encode("CERTIFICATE REQUEST", der))
            })
        })
    });
    // Checked before anything is sent: the response must hold the CSR's public key.
    let check = Memo::new(move |_| {
        let text = response.get();
        let der = csr.get()?;
        if text.trim().is_empty() {
            return None;
        }
        Some(workflow::csr_response(&der, text.as_bytes()).map(|_| ()).map_err(|e| e.to_string()))
    });
    let fetch = move |_| {
        let client = match pf.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        let id = id.get_value();
        busy.run(format!("Fetching the CSR of {id}"), async move {
            let der = client.csr(&id).await.map_err(|e| Failure::from_error(&e))?;
            csr.set(Some(der));
            response.set(String::new());
            Ok("PingFederate's CSR fetched; its self-signature verifies.".into())
        });
    };
    let make_ca = move |_| {
        let name = ca_name.get_untracked();
        busy.run("Making a CA in this browser", async move {
            let index = make_in_browser(ws, name, true).await?;
            ca.set(Some(index));
            Ok("CA made in this browser (key and certificate are in Keys & certificates).".into())
        });
    };
    let sign = move |_| {
        let Some(der) = csr.get_untracked() else { return busy.fail(Failure::just("Fetch PingFederate's CSR first.")) };
        let Some(made) = chosen.get_untracked().and_then(|i| ws.made.with_untracked(|m| m.get(i).cloned())) else {
            return busy.fail(Failure::just("Choose or make a CA held in this browser."));
        };
        let Some(ca_key) = made.key_id.and_then(|k| ws.key(k)) else {
            return busy.fail(Failure::just("That CA's key is no longer in this browser."));
        };
        let Ok(days) = days.get_untracked().trim().parse::<i64>() else {
            return busy
                .fail(Failure { fields: vec![("validDays".into(), "a whole number of days".into())], ..Failure::just("Not signed.") });
        };
        let now = browser::now_unix();
        let params = CertParams {
            key_usage: vec!["digitalSignature".into()],
            not_before: now - 60,
            not_after: now + days * 86_400,
            hash: HashAlgorithm::Sha256,
            ..Default::default()
        };
        let tbs = match pki::prepare_certificate(
            &params,
            CertSubject::Csr(&der),
            Some(Issuer { certificate: &made.der, key: &ca_key }),
            random20(),
        ) {
            Ok(t) => t,
            Err(f) => return busy.fail(super::not_sent(&f)),
        };
        busy.run("Signing PingFederate's CSR with the browser CA", async move {
            let (leaf, by) = crate::webcrypto::sign_tbs(&tbs, &ca_key).await.map_err(|f| super::not_sent(&f))?;
            response.set(format!("{}{}", pki::pem::encode("CERTIFICATE", &leaf), pki::pem::encode("CERTIFICATE", &made.der)));
            Ok(format!("Certificate issued by {} ({}); check it below, then import it.", made.label, by.as_str()))
        });
    };
    let import = move |_| {
        let client = match pf.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        let Some(der) = csr.get_untracked() else { return busy.fail(Failure::just("Fetch PingFederate's CSR first.")) };
        let text = response.get_untracked();
        let id = id.get_value();
        busy.run(format!("Importing the CSR response into {id}"), async move {
            client.import_csr_response(&id, &der, text.as_bytes()).await.map_err(|e| Failure::from_error(&e))?;
            reload.run(());
            pf.refresh();
            Ok(format!("The CA's response was imported into {id}; PingFederate kept its key."))
        });
    };
    view! {
        <fieldset class="sign-csr">
            <legend>"Sign PingFederate's CSR with a CA held in this browser"</legend>
            <p class="hint">"The private key stays in PingFederate: only its CSR comes here, and only the certificate (with the CA's) goes back."</p>
            <button type="button" on:click=fetch disabled=move || busy.running.get()>"Fetch PingFederate's CSR"</button>
            {move || csr_text.get().map(|(subject, pem)| view! {
                <p>"CSR subject: " <span class="mono">{subject}</span></p>
                <label>"PingFederate's CSR" <textarea readonly rows="4" prop:value=pem></textarea></label>
            })}
            <label>"Browser CA"
                <select on:change=move |ev| ca.set(event_target_value(&ev).parse().ok())>
                    <option value="" prop:selected=move || chosen.get().is_none()>"— make one below —"</option>
                    {move || browser_cas(ws).into_iter().map(|(i, label)| view! {
                        <option value=i.to_string() prop:selected=move || chosen.get() == Some(i)>{label}</option>
                    }).collect_view()}
                </select>
            </label>
            <div class="actions">
                <label>"New CA name" <input type="text" prop:value=move || ca_name.get() on:input=move |ev| ca_name.set(event_target_value(&ev))/></label>
                <button type="button" on:click=make_ca disabled=move || busy.running.get()>"Make a CA in this browser"</button>
            </div>
            <label>"Certificate validity (days)" <input type="number" min="1" class="short" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/></label>
            <button type="button" on:click=sign disabled=move || busy.running.get() || csr.with(Option::is_none)>"Sign the CSR with the browser CA"</button>
            <crate::ui::kit::PemInput label="CA response (certificate or PKCS#7 chain)" value=response describedby="pf-csr-response-note"/>
            <p id="pf-csr-response-note" data-testid="pf-csr-check" class:failure=move || matches!(check.get(), Some(Err(_)))>{move || match check.get() {
                None => String::new(),
                Some(Ok(())) => "The response holds the public key of PingFederate's CSR.".to_string(),
                Some(Err(e)) => format!("Not importable: {e}"),
            }}</p>
            <button type="button" on:click=import disabled=move || busy.running.get() || !matches!(check.get(), Some(Ok(())))>"Import the response into PingFederate"</button>
            <BusyBar busy=busy testid="pf-csr"/>
        </fieldset>
    }
}

#[component]
fn Delete(pf: Pf, id: String) -> impl IntoView {
    let busy = pf.busies.delete;
    let confirming = RwSignal::new(false);
    let id = StoredValue::new(id);
    let delete = move |_| {
        confirming.set(false);
        let client = match pf.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        let id = id.get_value();
        busy.run(format!("Deleting key pair {id}"), async move {
            client.delete(&id).await.map_err(|e| Failure::from_error(&e))?;
            pf.refresh();
            pf.router.navigate("/pingfederate");
            Ok(format!("Key pair {id} deleted."))
        });
    };
    view! {
        <div class="actions delete">
            <Show when=move || confirming.get() fallback=move || view! {
                <button type="button" class="danger" on:click=move |_| confirming.set(true)>"Delete key pair…"</button>
            }>
                <span role="alert">{move || format!("Delete {} from PingFederate? This cannot be undone.", id.get_value())}</span>
                <button type="button" class="danger" on:click=delete>"Yes, delete it"</button>
                <button type="button" on:click=move |_| confirming.set(false)>"Keep it"</button>
            </Show>
            <BusyBar busy=busy testid="pf-delete"/>
        </div>
    }
}
