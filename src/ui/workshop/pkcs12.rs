//! The workshop's PKCS#12 section: export a key with a certificate made here (and its issuers
//! made here) as a `.p12`, modern or legacy profile; import a `.p12` into the workshop (its key
//! joins the keys, its certificates the certificates made here, so an imported CA can issue).
//! Everything runs in the page; the password is cleared after use.
//!
//! The export's choices ([`P12Form`], [`P12Fields`]) and the export itself ([`P12Form::export`]:
//! the chain from the certificates made here, download) are shared with the vendor pages (the
//! OpenAI page downloads its client certificates through them).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{browser, KeySelect, Workshop};
use crate::pki;

#[component]
pub(super) fn Pkcs12Section(ws: Workshop) -> impl IntoView {
    let key = RwSignal::new(None::<usize>);
    let cert = RwSignal::new(None::<usize>);
    let form = P12Form::new();
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
        match form.export(ws, &k, &leaf.der, "certificate.p12") {
            Ok(done) => ws.status.set(done),
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
                <P12Fields form=form testid="p12"/>
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

/// The choices of a PKCS#12 export: profile, friendly name, password.
#[derive(Clone, Copy)]
pub(crate) struct P12Form {
    profile: RwSignal<String>,
    friendly_name: RwSignal<String>,
    password: RwSignal<String>,
}

impl P12Form {
    pub(crate) fn new() -> P12Form {
        P12Form {
            profile: RwSignal::new("modern".to_string()),
            friendly_name: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
        }
    }

    /// The friendly name field (a page pre-fills it).
    pub(crate) fn friendly_name(&self) -> RwSignal<String> {
        self.friendly_name
    }

    /// Exports `key` with the certificate `leaf` and its issuers made here as `filename`, and
    /// clears the password. `Ok` is the status line.
    pub(crate) fn export(&self, ws: Workshop, key: &pki::PrivateKey, leaf: &[u8], filename: &str) -> Result<String, String> {
        let pool: Vec<Vec<u8>> = ws.made.with_untracked(|m| m.iter().map(|c| c.der.clone()).collect());
        let chain = pki::issuer_chain(leaf, &pool);
        let (name, cipher) = match self.profile.get_untracked().as_str() {
            "legacy-3des" => ("legacy", Some("3des")),
            "legacy" => ("legacy", Some("rc2-40")),
            _ => ("modern", None),
        };
        let profile = pki::Pkcs12Profile::parse(name, cipher).map_err(|e| e.to_string())?;
        let options = pki::Pkcs12Options {
            profile,
            friendly_name: Some(self.friendly_name.get_untracked()).filter(|n| !n.is_empty()),
            ..Default::default()
        };
        let secret = zeroize::Zeroizing::new(self.password.get_untracked());
        let p12 = pki::export_pkcs12(key, leaf, &chain, &secret, &options, &mut rand_core::OsRng).map_err(|e| e.to_string())?;
        browser::download_bytes(filename, "application/x-pkcs12", &p12)?;
        self.password.set(String::new());
        Ok(format!("PKCS#12 exported ({name}; {} bytes; key, certificate and {} issuer(s)).", p12.len(), chain.len()))
    }
}

/// The profile, friendly-name and password fields of a [`P12Form`]; `testid` prefixes their
/// test ids (`{testid}-profile`, `-name`, `-password`).
#[component]
pub(crate) fn P12Fields(form: P12Form, testid: &'static str) -> impl IntoView {
    view! {
        <label>"Profile"
            <select data-testid=format!("{testid}-profile") on:change=move |ev| form.profile.set(event_target_value(&ev))>
                <option value="modern" selected=true>"Modern: AES-256 + SHA-256 MAC (openssl 3 default)"</option>
                <option value="legacy">"Legacy: 3DES key, RC2-40 certificates, SHA-1 MAC (Windows Server 2016, Java 8)"</option>
                <option value="legacy-3des">"Legacy with 3DES certificates"</option>
            </select>
        </label>
        <label>"Friendly name" <input type="text" data-testid=format!("{testid}-name") bind:value=form.friendly_name/></label>
        <label>"Password" <input type="password" autocomplete="new-password" data-testid=format!("{testid}-password") bind:value=form.password/></label>
    }
}
