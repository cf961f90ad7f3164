//! The workshop's PKCS#12 section: export a key with a certificate made here (and its issuers
//! made here) as a `.p12`, modern or legacy profile; import a `.p12` into the workshop (its key
//! joins the keys, its certificates the certificates made here, so an imported CA can issue).
//! Everything runs in the page; the password is cleared after use.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{browser, KeySelect, Workshop};
use crate::pki;

#[component]
pub(super) fn Pkcs12Section(ws: Workshop) -> impl IntoView {
    let key = RwSignal::new(None::<usize>);
    let cert = RwSignal::new(None::<usize>);
    let profile = RwSignal::new("modern".to_string());
    let friendly_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // Certificates made here that carry the chosen key's public key (index into `made`).
    let matching = Memo::new(move |_| {
        let Some(k) = key.get().and_then(|id| ws.key(id)) else {
            return Vec::new();
        };
        ws.made.with(|m| {
            m.iter()
                .enumerate()
                .filter(|(_, c)| pki::certificate_matches_key(&c.der, &k))
                .map(|(i, c)| (i, c.label.clone()))
                .collect::<Vec<_>>()
        })
    });
    // The certificate just issued for the key (or its only one) is pre-selected.
    super::follow_newest(Memo::new(move |_| matching.with(|m| m.iter().map(|(i, _)| *i).collect())), cert);
    let export = move |_| {
        let Some(k) = key.get_untracked().and_then(|id| ws.key(id)) else {
            ws.status.set("PKCS#12: choose the key.".into());
            return;
        };
        let made = ws.made.get_untracked();
        let Some(leaf) = cert.get_untracked().and_then(|i| made.get(i)).filter(|c| pki::certificate_matches_key(&c.der, &k)) else {
            ws.status.set("PKCS#12: choose a certificate of that key (issue one in the Certificate section).".into());
            return;
        };
        let pool: Vec<Vec<u8>> = made.iter().map(|c| c.der.clone()).collect();
        let chain = pki::issuer_chain(&leaf.der, &pool);
        let (name, cipher) = match profile.get_untracked().as_str() {
            "legacy-3des" => ("legacy", Some("3des")),
            "legacy" => ("legacy", Some("rc2-40")),
            _ => ("modern", None),
        };
        let options = match pki::Pkcs12Profile::parse(name, cipher) {
            Ok(p) => pki::Pkcs12Options {
                profile: p,
                friendly_name: Some(friendly_name.get_untracked()).filter(|n| !n.is_empty()),
                ..Default::default()
            },
            Err(e) => return ws.status.set(format!("PKCS#12 export failed: {e}")),
        };
        let secret = zeroize::Zeroizing::new(password.get_untracked());
        match pki::export_pkcs12(&k, &leaf.der, &chain, &secret, &options, &mut rand_core::OsRng) {
            Ok(p12) => {
                let _ = browser::download_bytes("certificate.p12", "application/x-pkcs12", &p12);
                password.set(String::new());
                ws.status.set(format!("PKCS#12 exported ({name}; {} bytes; key, certificate and {} issuer(s)).", p12.len(), chain.len()));
            }
            Err(e) => ws.status.set(format!("PKCS#12 export failed: {e}")),
        }
    };

    let import_password = RwSignal::new(String::new());
    let import_file = RwSignal::new_local(None::<web_sys::File>);
    let import = move |_| {
        let Some(file) = import_file.get_untracked() else {
            ws.status.set("PKCS#12: choose a .p12 / .pfx file.".into());
            return;
        };
        let secret = zeroize::Zeroizing::new(import_password.get_untracked());
        spawn_local(async move {
            let bytes = match browser::read_file(&file).await {
                Ok(b) => b,
                Err(e) => return ws.status.set(format!("PKCS#12 import failed: {e}")),
            };
            match pki::import_pkcs12(&bytes, &secret) {
                Ok(found) => {
                    import_password.set(String::new());
                    let had_key = found.key.is_some();
                    if let Some(k) = found.key {
                        ws.add_key(k, "imported");
                    }
                    let key_id = had_key.then(|| ws.keys.with_untracked(|v| v.last().map(|k| k.id))).flatten();
                    let n = found.certificates.len();
                    for (i, der) in found.certificates.into_iter().enumerate() {
                        let info = pki::parse_bundle(&der, "pkcs12").certificates.into_iter().next();
                        let (label, serial, is_ca) = info
                            .map(|c| {
                                (format!("{} (from PKCS#12)", super::super::inspect::display_name(&c)), c.serial_number.clone(), c.is_ca)
                            })
                            .unwrap_or_default();
                        ws.add_made(label, der, if i == 0 { key_id } else { None }, is_ca, serial);
                    }
                    let name = found.friendly_name.map(|n| format!(", friendly name “{n}”")).unwrap_or_default();
                    let mac = found.mac.unwrap_or_else(|| "no MAC".into());
                    ws.status.set(format!("PKCS#12 imported: {} key, {n} certificate(s){name}; {mac}.", if had_key { "a" } else { "no" }));
                }
                Err(e) => ws.status.set(format!("PKCS#12 import failed: {e}")),
            }
        });
    };

    view! {
        <section aria-labelledby="pkcs12-heading">
            <h2 id="pkcs12-heading">"PKCS#12 (.p12 / .pfx)"</h2>
            <fieldset>
                <legend>"Export as PKCS#12"</legend>
                <KeySelect ws=ws selected=key label="Key"/>
                <label>"Certificate"
                    <select data-testid="p12-cert" on:change=move |ev| cert.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || cert.get().is_none()>"— a certificate of this key —"</option>
                        {move || matching.get().into_iter().map(|(i, label)| view! { <option value=i.to_string() selected=move || cert.get() == Some(i)>{label}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Profile"
                    <select data-testid="p12-profile" on:change=move |ev| profile.set(event_target_value(&ev))>
                        <option value="modern" selected=true>"Modern: AES-256 + SHA-256 MAC (openssl 3 default)"</option>
                        <option value="legacy">"Legacy: 3DES key, RC2-40 certificates, SHA-1 MAC (Windows Server 2016, Java 8)"</option>
                        <option value="legacy-3des">"Legacy with 3DES certificates"</option>
                    </select>
                </label>
                <label>"Friendly name" <input type="text" data-testid="p12-name" bind:value=friendly_name/></label>
                <label>"Password" <input type="password" autocomplete="new-password" data-testid="p12-password" bind:value=password/></label>
                <p class="hint">"The issuers of the certificate made here are included as its chain."</p>
                <button type="button" data-testid="p12-export" on:click=export>"Export as PKCS#12"</button>
            </fieldset>
            <fieldset>
                <legend>"Import PKCS#12"</legend>
                <label>"File"
                    <input type="file" accept=".p12,.pfx,application/x-pkcs12" data-testid="p12-file"
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            import_file.set(browser::files_of(input.files()).into_iter().next());
                        }/>
                </label>
                <label>"Password" <input type="password" autocomplete="off" data-testid="p12-import-password" bind:value=import_password/></label>
                <button type="button" data-testid="p12-import" on:click=import>"Import PKCS#12"</button>
            </fieldset>
        </section>
    }
}
