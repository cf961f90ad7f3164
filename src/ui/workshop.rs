//! The key workshop: generate and import keys, export them (encrypted by default), build CSRs,
//! issue certificates (self-signed, CA, from a CSR; vendor profiles checked live) and CRLs.
//! Keys live in memory only; nothing here touches the network.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sha2::Digest;
use zeroize::Zeroizing;

use super::ids::KeyIds;
use super::{browser, vault};

pub(crate) mod pkcs12;
use crate::pki::{
    self, CertParams, CertSubject, CsrParams, FieldError, HashAlgorithm, Issuer, KeyAlgorithm, PrivateKey, Profile, SubjectFields,
};

/// A key held by the page.
#[derive(Clone)]
pub struct UiKey {
    pub(crate) id: usize,
    pub(crate) label: String,
    pub(crate) source: &'static str,
    pub(crate) key: Arc<PrivateKey>,
    /// SHA-256 of the SPKI, for telling keys apart.
    pub(crate) spki_sha256: String,
}

/// A certificate made here, kept so it can issue (if a CA) or be revoked.
#[derive(Clone)]
pub struct Made {
    pub(crate) label: String,
    pub(crate) der: Vec<u8>,
    pub(crate) key_id: Option<usize>,
    pub(crate) is_ca: bool,
    pub(crate) serial: String,
}

/// The keys and certificates this tab holds, shared by the workshop's sections and by every page
/// that makes or uses a browser-held key (vendor pages create CAs and sign CSRs with these).
/// The shell provides it as context ([`Workshop::new`]); [`use_workshop`] finds it.
#[derive(Clone, Copy)]
pub struct Workshop {
    pub(crate) keys: RwSignal<Vec<UiKey>>,
    /// Where key ids come from: they only increase, so a removed key's id is never reused.
    ids: StoredValue<KeyIds>,
    pub(crate) made: RwSignal<Vec<Made>>,
    pub(crate) status: RwSignal<String>,
}

/// The tab's [`Workshop`].
///
/// # Panics
/// Outside the app shell.
pub fn use_workshop() -> Workshop {
    use_context::<Workshop>().expect("the app shell provides the workshop")
}

impl Workshop {
    /// An empty workshop.
    pub fn new() -> Workshop {
        Workshop {
            keys: RwSignal::new(Vec::new()),
            ids: StoredValue::new(KeyIds::new()),
            made: RwSignal::new(Vec::new()),
            status: RwSignal::new(String::new()),
        }
    }

    /// Keeps a certificate made on any page (so it can issue, if a CA, or be revoked), and
    /// returns its index in [`Workshop::made`].
    pub fn add_made(&self, label: String, der: Vec<u8>, key_id: Option<usize>, is_ca: bool, serial: String) -> usize {
        let mut index = 0;
        self.made.update(|m| {
            m.push(Made { label, der, key_id, is_ca, serial });
            index = m.len() - 1;
        });
        index
    }

    /// Adds a key and returns its id.
    pub fn add_key(&self, key: PrivateKey, source: &'static str) -> usize {
        let spki = key.public_key_der().unwrap_or_default();
        let spki_sha256 = pki::hex(&sha2::Sha256::digest(&spki));
        let id = self.ids.try_update_value(|ids| ids.allocate()).unwrap_or_default();
        self.keys.update(|v| {
            let label = format!("Key {id} ({})", key.describe());
            self.status.set(format!("{label} is ready ({source})."));
            v.push(UiKey { id, label, source, key: Arc::new(key), spki_sha256 });
        });
        id
    }

    /// The key with this id.
    pub fn key(&self, id: usize) -> Option<Arc<PrivateKey>> {
        self.keys.with_untracked(|v| v.iter().find(|k| k.id == id).map(|k| k.key.clone()))
    }
}

/// Generates a key as every page does: WebCrypto first (native, off the main thread); where it
/// is missing or refuses, the Rust implementation in a Web Worker (so even RSA-4096 never blocks
/// the page). Returns the key and what made it (`"webcrypto"` / `"wasm worker"`).
pub(crate) async fn generate_key(alg: KeyAlgorithm) -> Result<(PrivateKey, &'static str), String> {
    match crate::webcrypto::generate(alg).await {
        Ok(key) => Ok((key, "webcrypto")),
        Err(_) => crate::webcrypto::generate_in_worker(alg, "/keygen-worker_loader.js").await.map(|k| (k, "wasm worker")),
    }
}

/// A certificate made in this browser from a new key by [`mint`], both kept in the workshop.
pub(crate) struct Minted {
    /// The new key's id in the workshop.
    pub(crate) key_id: usize,
    pub(crate) der: Vec<u8>,
    /// What made the key, as the generator says (`"webcrypto"`, `"wasm worker"`, `"wasm"`).
    pub(crate) key_by: &'static str,
    /// What signed the certificate.
    pub(crate) signed_by: crate::webcrypto::SignedBy,
}

/// Why [`mint`] made nothing (nothing was kept).
pub(crate) enum MintError {
    /// The key could not be generated: the generator's message.
    Key(String),
    /// The profile refused the parameters, signing failed, or the signed certificate breaks the
    /// profile ([`Profile::check_built`]).
    Fields(Vec<FieldError>),
}

/// What [`mint`] makes: a certificate of `profile` from `params`, self-signed by its new key or
/// issued by `issuer` (the CA's certificate DER and key), labelled `"{name} ({what})"` in the
/// workshop.
pub(crate) struct MintSpec<'a> {
    pub(crate) profile: Profile,
    pub(crate) params: &'a CertParams,
    pub(crate) issuer: Option<(&'a [u8], &'a PrivateKey)>,
    pub(crate) is_ca: bool,
    pub(crate) what: &'a str,
    pub(crate) now: i64,
}

/// The vendor pages' "new key → certificate" sequence, written once: generate a key with
/// `keygen` ([`generate_key`], or another generator), prepare the certificate (a random 20-byte
/// serial), sign it ([`crate::webcrypto::sign_tbs`]: with the new key, or the issuer's), check
/// the result against the profile, then keep the key (its source named by `key_source` from
/// what made it) and the certificate in the workshop, so both show on Keys & certificates.
pub(crate) async fn mint(
    ws: Workshop,
    spec: MintSpec<'_>,
    keygen: impl std::future::Future<Output = Result<(PrivateKey, &'static str), String>>,
    key_source: impl Fn(&'static str) -> &'static str,
) -> Result<Minted, MintError> {
    let (key, key_by) = keygen.await.map_err(MintError::Key)?;
    let mut random = [0u8; 20];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut random);
    let issuer = spec.issuer.map(|(certificate, key)| Issuer { certificate, key });
    let signer = spec.issuer.map_or(&key, |(_, k)| k);
    let tbs = spec.profile.prepare(spec.params, CertSubject::Key(&key), issuer, random, spec.now).map_err(MintError::Fields)?;
    let (der, signed_by) = crate::webcrypto::sign_tbs(&tbs, signer).await.map_err(MintError::Fields)?;
    let problems = spec.profile.check_built(&der);
    if !problems.is_empty() {
        return Err(MintError::Fields(problems));
    }
    let key_id = ws.add_key(key, key_source(key_by));
    let info = pki::parse_bundle(&der, "made").certificates.into_iter().next();
    let (label, serial) =
        info.map(|i| (format!("{} ({})", super::inspect::display_name(&i), spec.what), i.serial_number)).unwrap_or_default();
    ws.add_made(label, der.clone(), Some(key_id), spec.is_ca, serial);
    Ok(Minted { key_id, der, key_by, signed_by })
}

/// Shows a build result: the PEM in `output`, or the field problems in `errors`.
fn show(
    result: Result<Vec<u8>, Vec<FieldError>>,
    label: &str,
    output: RwSignal<Option<String>>,
    errors: RwSignal<Vec<FieldError>>,
    status: RwSignal<String>,
    done: &str,
) -> Option<Vec<u8>> {
    match result {
        Ok(der) => {
            errors.set(Vec::new());
            output.set(Some(pki::pem::encode(label, &der)));
            status.set(done.to_string());
            Some(der)
        }
        Err(e) => {
            output.set(None);
            errors.set(e);
            None
        }
    }
}

/// Signs a prepared CSR, certificate or CRL with `key` ([`crate::webcrypto::sign_tbs`]: RSA
/// through WebCrypto, ECDSA and the fallback in wasm) and returns the DER; the status line gets
/// `done` and which implementation signed ("Signed with WebCrypto." / "Signed in wasm.").
async fn sign_and_show(
    tbs: pki::ToBeSigned,
    key: Arc<PrivateKey>,
    output: RwSignal<Option<String>>,
    errors: RwSignal<Vec<FieldError>>,
    status: RwSignal<String>,
    done: &str,
) -> Option<Vec<u8>> {
    let result = crate::webcrypto::sign_tbs(&tbs, &key).await;
    let by = result.as_ref().map(|(_, by)| *by).ok();
    let done = match by {
        Some(crate::webcrypto::SignedBy::WebCrypto) => format!("{done} Signed with WebCrypto."),
        _ => format!("{done} Signed in wasm."),
    };
    show(result.map(|(der, _)| der), tbs.pem_label(), output, errors, status, &done)
}

/// Shows field problems found before signing.
fn show_errors(e: Vec<FieldError>, output: RwSignal<Option<String>>, errors: RwSignal<Vec<FieldError>>) {
    output.set(None);
    errors.set(e);
}

/// Unix seconds of a `YYYY-MM-DD` date at 00:00 UTC; `None` when empty or invalid.
fn date_unix(date: &str) -> Option<i64> {
    let ms = js_sys::Date::parse(&format!("{}T00:00:00Z", date.trim()));
    (!date.trim().is_empty() && ms.is_finite()).then(|| (ms / 1000.0) as i64)
}

fn now() -> i64 {
    browser::now_unix()
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()
}

/// Field errors, announced to screen readers.
#[component]
fn FieldErrors(#[prop(into)] errors: Signal<Vec<FieldError>>, label: &'static str) -> impl IntoView {
    view! {
        <Show when=move || errors.with(|e| !e.is_empty())>
            <ul class="field-errors" role="alert" aria-label=label>
                {move || errors.get().into_iter().map(|e| view! { <li><strong>{e.field}</strong>": "{e.message}</li> }).collect_view()}
            </ul>
        </Show>
    }
}

/// PEM output with copy and download buttons.
#[component]
fn PemOutput(#[prop(into)] pem: Signal<Option<String>>, label: &'static str, filename: &'static str) -> impl IntoView {
    view! {
        <Show when=move || pem.with(Option::is_some)>
            <div class="pem-output">
                <label>{label}
                    <textarea readonly rows="8" prop:value=move || pem.get().unwrap_or_default()></textarea>
                </label>
                <div class="actions">
                    <button type="button" on:click=move |_| {
                        let text = pem.get_untracked().unwrap_or_default();
                        spawn_local(async move { browser::copy_text(&text).await; });
                    }>{format!("Copy {label}")}</button>
                    <button type="button" on:click=move |_| {
                        let _ = browser::download(filename, "application/x-pem-file", &pem.get_untracked().unwrap_or_default());
                    }>{format!("Download {label}")}</button>
                </div>
            </div>
        </Show>
    }
}

/// Indices into [`Workshop::made`] of the CAs that can issue (made here, with their key).
fn issuing_cas(ws: Workshop) -> Memo<Vec<usize>> {
    Memo::new(move |_| ws.made.with(|m| m.iter().enumerate().filter(|(_, c)| c.is_ca && c.key_id.is_some()).map(|(i, _)| i).collect()))
}

/// Moves `selected` to the newest of `options` when one is added (the CA just made), and to the
/// only one when nothing is chosen ([`super::defaults::newest`]).
pub(crate) fn follow_newest(options: Memo<Vec<usize>>, selected: RwSignal<Option<usize>>) {
    Effect::new(move |prev: Option<usize>| {
        let list = options.get();
        let before = prev.unwrap_or(list.len());
        let current = selected.get_untracked();
        let next = super::defaults::newest(current, before, &list);
        if next != current {
            selected.set(next);
        }
        list.len()
    });
}

/// A `<select>` of the page's keys bound to `selected` (key id). With nothing chosen it picks
/// the only key there is ([`super::defaults::key`]).
#[component]
fn KeySelect(ws: Workshop, selected: RwSignal<Option<usize>>, label: &'static str) -> impl IntoView {
    Effect::new(move |_| {
        let ids: Vec<usize> = ws.keys.with(|v| v.iter().map(|k| k.id).collect());
        let current = selected.get_untracked();
        let next = super::defaults::key(current, &ids);
        if next != current {
            selected.set(next);
        }
    });
    view! {
        <label>{label}
            <select on:change=move |ev| selected.set(event_target_value(&ev).parse().ok())>
                <option value="" selected=move || selected.get().is_none()>"— choose a key —"</option>
                {move || ws.keys.get().into_iter().map(|k| {
                    let id = k.id;
                    view! { <option value=id.to_string() selected=move || selected.get() == Some(id)>{k.label}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// Subject fields bound to one signal.
#[component]
fn SubjectForm(subject: RwSignal<SubjectFields>, prefix: &'static str) -> impl IntoView {
    let input = move |label: &'static str, get: fn(&SubjectFields) -> &String, set: fn(&mut SubjectFields, String)| {
        view! {
            <label>{format!("{prefix} {label}")}
                <input type="text" prop:value=move || subject.with(|s| get(s).clone())
                    on:input=move |ev| subject.update(|s| set(s, event_target_value(&ev)))/>
            </label>
        }
    };
    view! {
        <fieldset class="grid">
            <legend>"Subject"</legend>
            {input("common name (CN)", |s| &s.common_name, |s, v| s.common_name = v)}
            {input("organization (O)", |s| &s.organization, |s, v| s.organization = v)}
            {input("organizational unit (OU)", |s| &s.organizational_unit, |s, v| s.organizational_unit = v)}
            {input("locality (L)", |s| &s.locality, |s, v| s.locality = v)}
            {input("state (ST)", |s| &s.state, |s, v| s.state = v)}
            {input("country (C)", |s| &s.country, |s, v| s.country = v.trim().to_ascii_uppercase())}
        </fieldset>
    }
}

const KEY_USAGES: [&str; 7] =
    ["digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign"];
const EKUS: [&str; 5] = ["serverAuth", "clientAuth", "codeSigning", "emailProtection", "OCSPSigning"];

/// Checkboxes for a list of names bound to a `Vec<String>` signal.
#[component]
fn Checks(legend: &'static str, names: &'static [&'static str], selected: RwSignal<Vec<String>>) -> impl IntoView {
    view! {
        <fieldset class="checks">
            <legend>{legend}</legend>
            {names.iter().map(|&n| view! {
                <label class="inline">
                    <input type="checkbox" prop:checked=move || selected.with(|v| v.iter().any(|x| x == n))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|v| {
                                v.retain(|x| x != n);
                                if on { v.push(n.to_string()); }
                            });
                        }/>
                    {n}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

fn hash_select(hash: RwSignal<HashAlgorithm>, label: &'static str) -> impl IntoView {
    view! {
        <label>{label}
            <select on:change=move |ev| hash.set(match event_target_value(&ev).as_str() {
                "SHA-384" => HashAlgorithm::Sha384,
                "SHA-512" => HashAlgorithm::Sha512,
                _ => HashAlgorithm::Sha256,
            })>
                <option value="SHA-256">"SHA-256"</option>
                <option value="SHA-384">"SHA-384"</option>
                <option value="SHA-512">"SHA-512"</option>
            </select>
        </label>
    }
}

/// The workshop page.
#[component]
pub fn WorkshopPage() -> impl IntoView {
    let ws = use_workshop();
    view! {
        <p class="status" role="status" aria-live="polite" data-testid="workshop-status">{move || ws.status.get()}</p>
        <KeysSection ws=ws/>
        <CsrSection ws=ws/>
        <CertSection ws=ws/>
        <CrlSection ws=ws/>
        <pkcs12::Pkcs12Section ws=ws/>
    }
}

#[component]
fn KeysSection(ws: Workshop) -> impl IntoView {
    let algorithm = RwSignal::new("P-256".to_string());
    let generating = RwSignal::new(None::<(String, f64)>);
    let elapsed = RwSignal::new(0.0f64);
    let cancelled = RwSignal::new(false);
    let generate = move |_| {
        let Ok(alg) = KeyAlgorithm::parse(&algorithm.get_untracked()) else { return };
        let started = browser::now_ms();
        cancelled.set(false);
        generating.set(Some((algorithm.get_untracked(), started)));
        // Elapsed-time ticker while WebCrypto works off the main thread.
        spawn_local(async move {
            while generating.get_untracked().is_some() {
                elapsed.set((browser::now_ms() - started) / 1000.0);
                gloo_timers::future::TimeoutFuture::new(100).await;
            }
        });
        spawn_local(async move {
            let result = generate_key(alg).await;
            generating.set(None);
            if cancelled.get_untracked() {
                ws.status.set("Key generation cancelled; the key was discarded.".into());
                return;
            }
            match result {
                Ok((key, source)) => {
                    ws.add_key(key, source);
                }
                Err(e) => ws.status.set(format!("Key generation failed: {e}")),
            }
        });
    };
    let import_text = RwSignal::new(String::new());
    let import_password = RwSignal::new(String::new());
    let import = move |_| {
        let text = import_text.get_untracked();
        let password = import_password.get_untracked();
        match PrivateKey::import(text.as_bytes(), (!password.is_empty()).then_some(password.as_str())) {
            Ok(key) => {
                ws.add_key(key, "imported");
                import_text.set(String::new());
                import_password.set(String::new());
            }
            Err(e) => ws.status.set(format!("Import failed: {e}")),
        }
    };
    let export_key = RwSignal::new(None::<usize>);
    let export_password = RwSignal::new(String::new());
    let plain_confirmed = RwSignal::new(false);
    let export_encrypted = move |_| {
        let Some(key) = export_key.get_untracked().and_then(|id| ws.key(id)) else {
            ws.status.set("Choose the key to export.".into());
            return;
        };
        let password = export_password.get_untracked();
        match key.to_encrypted_pkcs8_pem(&password, pki::Kdf::default(), &mut rand_core::OsRng) {
            Ok(pem) => {
                let _ = browser::download("private-key.encrypted.pem", "application/x-pem-file", &pem);
                ws.status.set("Encrypted key exported (PKCS#8, scrypt + AES-256-CBC).".into());
                export_password.set(String::new());
            }
            Err(e) => ws.status.set(format!("Export failed: {e}")),
        }
    };
    let export_plain = move |_| {
        let Some(key) = export_key.get_untracked().and_then(|id| ws.key(id)) else { return };
        if let Ok(pem) = key.to_pkcs8_pem() {
            let _ = browser::download("private-key.pem", "application/x-pem-file", &pem);
            ws.status.set("Unencrypted key exported.".into());
        }
        plain_confirmed.set(false);
    };
    // The workspace: keys saved encrypted in IndexedDB.
    let saved = RwSignal::new(Vec::<vault::SavedKey>::new());
    let passphrase = RwSignal::new(String::new());
    let save_key = RwSignal::new(None::<usize>);
    let refresh = move || {
        spawn_local(async move {
            match vault::list().await {
                Ok(v) => saved.set(v),
                Err(e) => ws.status.set(format!("The workspace cannot be read: {e}")),
            }
        })
    };
    refresh();
    let save = move |_| {
        let Some(k) = save_key.get_untracked().and_then(|id| ws.keys.with_untracked(|v| v.iter().find(|k| k.id == id).cloned())) else {
            ws.status.set("Choose the key to save.".into());
            return;
        };
        let pass = Zeroizing::new(passphrase.get_untracked());
        // The passphrase field is cleared as soon as it is read (also when saving fails).
        passphrase.set(String::new());
        spawn_local(async move {
            let result = async {
                let id = format!("{}-{}", k.spki_sha256.get(..16).unwrap_or_default(), js_sys::Date::now() as u64);
                let record = vault::seal(id, k.label.clone(), &k.key, &pass).await?;
                vault::save(&record).await
            }
            .await;
            match result {
                Ok(()) => {
                    ws.status.set(format!("{} saved to this browser's workspace, encrypted.", k.label));
                    refresh();
                }
                Err(e) => ws.status.set(format!("Saving failed: {e}")),
            }
        });
    };
    let load = move |record: vault::SavedKey| {
        let pass = Zeroizing::new(passphrase.get_untracked());
        passphrase.set(String::new());
        spawn_local(async move {
            match vault::open(&record, &pass).await {
                Ok(key) => {
                    // A record of the old format is re-saved in today's (same id, label and
                    // passphrase), so its id and public key are bound to its ciphertext from now on.
                    let upgraded = if record.v < vault::FORMAT {
                        match vault::seal(record.id.clone(), record.label.clone(), &key, &pass).await {
                            Ok(mut r) => {
                                r.saved_at = record.saved_at;
                                vault::save(&r).await.is_ok()
                            }
                            Err(_) => false,
                        }
                    } else {
                        false
                    };
                    ws.add_key(key, "workspace");
                    if upgraded {
                        refresh();
                    }
                }
                Err(e) => ws.status.set(format!("Loading {} failed: {e}", record.label)),
            }
        });
    };
    let remove_saved = move |id: String| {
        spawn_local(async move {
            match vault::delete(&id).await {
                Ok(()) => {
                    ws.status.set("Deleted from the workspace.".into());
                    refresh();
                }
                Err(e) => ws.status.set(format!("Deleting failed: {e}")),
            }
        });
    };
    view! {
        <section aria-labelledby="keys-heading">
            <h2 id="keys-heading">"Keys"</h2>
            <div class="actions">
                <label>"Key algorithm"
                    <select on:change=move |ev| algorithm.set(event_target_value(&ev))>
                        {["P-256", "P-384", "RSA-2048", "RSA-3072", "RSA-4096"].map(|a| view! { <option value=a selected=move || algorithm.get() == a>{a}</option> }).collect_view()}
                    </select>
                </label>
                <button type="button" on:click=generate disabled=move || generating.with(Option::is_some)>"Generate key"</button>
                {move || generating.get().map(|(alg, _)| view! {
                    <span role="status" class="progress">
                        <progress aria-label="Generating key"></progress>
                        {move || format!("Generating {alg}… {:.1} s", elapsed.get())}
                        <button type="button" on:click=move |_| {
                            cancelled.set(true);
                            crate::webcrypto::cancel_worker();
                        }>"Cancel generation"</button>
                    </span>
                })}
            </div>
            <details>
                <summary>"Import a private key"</summary>
                <label>"Private key (PEM: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1)"
                    <textarea rows="5" spellcheck="false" autocomplete="off" prop:value=move || import_text.get() on:input=move |ev| import_text.set(event_target_value(&ev))></textarea>
                </label>
                <label>"Key password (for encrypted keys)"
                    <input type="password" autocomplete="off" prop:value=move || import_password.get() on:input=move |ev| import_password.set(event_target_value(&ev))/>
                </label>
                <button type="button" on:click=import>"Import key"</button>
            </details>
            <table aria-label="Keys in memory">
                <thead><tr><th scope="col">"Key"</th><th scope="col">"Made by"</th><th scope="col">"Public key SHA-256"</th><th scope="col">"Actions"</th></tr></thead>
                <tbody>
                    {move || ws.keys.get().into_iter().map(|k| {
                        let id = k.id;
                        let public = k.key.public_key_pem().unwrap_or_default();
                        view! {
                            <tr data-testid="key-row">
                                <td>{k.label.clone()}</td>
                                <td>{k.source}</td>
                                <td class="mono">{k.spki_sha256[..16].to_string()}"…"</td>
                                <td>
                                    <button type="button" aria-label=format!("Copy public key of {}", k.label) on:click=move |_| {
                                        let p = public.clone();
                                        spawn_local(async move { browser::copy_text(&p).await; });
                                    }>"Copy public key"</button>
                                    <button type="button" aria-label=format!("Remove {}", k.label) on:click=move |_| ws.keys.update(|v| v.retain(|x| x.id != id))>"Remove"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <fieldset class="grid">
                <legend>"Export a private key"</legend>
                <KeySelect ws=ws selected=export_key label="Key to export"/>
                <label>"Export password"
                    <input type="password" autocomplete="new-password" prop:value=move || export_password.get() on:input=move |ev| export_password.set(event_target_value(&ev))/>
                </label>
                <button type="button" on:click=export_encrypted disabled=move || export_password.with(String::is_empty)>"Download encrypted key"</button>
                <label class="inline">
                    <input type="checkbox" prop:checked=move || plain_confirmed.get() on:change=move |ev| plain_confirmed.set(event_target_checked(&ev))/>
                    "I understand an unencrypted key file is readable by anyone who gets it"
                </label>
                <button type="button" on:click=export_plain disabled=move || !plain_confirmed.get()>"Download unencrypted key"</button>
            </fieldset>
            <fieldset class="grid">
                <legend>"Workspace (saved in this browser, encrypted)"</legend>
                <label>"Workspace passphrase"
                    <input type="password" autocomplete="off" prop:value=move || passphrase.get() on:input=move |ev| passphrase.set(event_target_value(&ev))/>
                </label>
                <KeySelect ws=ws selected=save_key label="Key to save"/>
                <button type="button" on:click=save disabled=move || passphrase.with(|p| p.chars().count() < 8)>"Save to workspace"</button>
            </fieldset>
            <table aria-label="Saved keys">
                <thead><tr><th scope="col">"Saved key"</th><th scope="col">"Public key SHA-256"</th><th scope="col">"Actions"</th></tr></thead>
                <tbody>
                    {move || saved.get().into_iter().map(|r| {
                        let (for_load, id) = (r.clone(), r.id.clone());
                        view! {
                            <tr data-testid="saved-row">
                                <td>{r.label.clone()}</td>
                                <td class="mono">{r.spki_sha256.get(..16).unwrap_or_default().to_string()}"…"</td>
                                <td>
                                    <button type="button" aria-label=format!("Load {}", r.label) on:click=move |_| load(for_load.clone())>"Load"</button>
                                    <button type="button" aria-label=format!("Delete {} from the workspace", r.label) on:click=move |_| remove_saved(id.clone())>"Delete"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn CsrSection(ws: Workshop) -> impl IntoView {
    let key = RwSignal::new(None::<usize>);
    let subject = RwSignal::new(SubjectFields::default());
    let sans = RwSignal::new(String::new());
    let key_usage = RwSignal::new(vec!["digitalSignature".to_string()]);
    let eku = RwSignal::new(Vec::<String>::new());
    let hash = RwSignal::new(HashAlgorithm::Sha256);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let output = RwSignal::new(None::<String>);
    let params = move || CsrParams {
        subject: subject.get(),
        sans: lines(&sans.get()),
        key_usage: key_usage.get(),
        extended_key_usage: eku.get(),
        hash: hash.get(),
    };
    let create = move |_| {
        let Some(k) = key.get_untracked().and_then(|id| ws.key(id)) else {
            errors.set(vec![FieldError { field: "key".into(), message: "choose or generate a key first".into() }]);
            return;
        };
        match params().prepare(&k) {
            Ok(tbs) => spawn_local(async move {
                sign_and_show(tbs, k, output, errors, ws.status, "CSR created.").await;
            }),
            Err(e) => show_errors(e, output, errors),
        }
    };
    view! {
        <section aria-labelledby="csr-heading">
            <h2 id="csr-heading">"Certificate signing request"</h2>
            <KeySelect ws=ws selected=key label="Key for the CSR"/>
            <SubjectForm subject=subject prefix="CSR"/>
            <label>"CSR subject alternative names (one per line: DNS:, IP:, email:, URI:)"
                <textarea rows="3" prop:value=move || sans.get() on:input=move |ev| sans.set(event_target_value(&ev))></textarea>
            </label>
            <Checks legend="Requested key usage" names=&KEY_USAGES selected=key_usage/>
            <Checks legend="Requested extended key usage" names=&EKUS selected=eku/>
            {hash_select(hash, "CSR signature hash")}
            <button type="button" on:click=create>"Create CSR"</button>
            <FieldErrors errors=errors label="CSR problems"/>
            <PemOutput pem=output label="CSR" filename="request.csr"/>
        </section>
    }
}

#[component]
fn CertSection(ws: Workshop) -> impl IntoView {
    let profile = RwSignal::new(Profile::Custom);
    let defaults = Profile::Custom.defaults(now());
    let subject_key = RwSignal::new(None::<usize>);
    // Shared with Inspect, whose "Sign this CSR" fills it.
    let csr_pem = use_context::<super::Handoff>().map_or_else(|| RwSignal::new(String::new()), |h| h.csr_pem);
    let issuer = RwSignal::new(None::<usize>); // index into `made`; None = self-signed
                                               // The CA just made becomes the issuer.
    follow_newest(issuing_cas(ws), issuer);
    let subject = RwSignal::new(SubjectFields::default());
    let sans = RwSignal::new(String::new());
    let ian = RwSignal::new(String::new());
    let key_usage = RwSignal::new(defaults.key_usage.clone());
    let eku = RwSignal::new(defaults.extended_key_usage.clone());
    let is_ca = RwSignal::new(false);
    let path_len = RwSignal::new(String::new());
    let days = RwSignal::new("365".to_string());
    let valid_from = RwSignal::new(String::new());
    let valid_until = RwSignal::new(String::new());
    let hash = RwSignal::new(HashAlgorithm::Sha256);
    let output = RwSignal::new(None::<String>);
    let build_errors = RwSignal::new(Vec::<FieldError>::new());

    let apply_profile = move |p: Profile| {
        profile.set(p);
        let d = p.defaults(now());
        key_usage.set(d.key_usage);
        eku.set(d.extended_key_usage);
        is_ca.set(d.is_ca);
        days.set(((d.not_after - d.not_before) / 86_400).to_string());
    };
    let params = move || {
        // Validity by dates (UTC midnight) or by days from the start.
        let start = date_unix(&valid_from.get()).unwrap_or_else(now);
        let days = days.get().trim().parse::<i64>().unwrap_or(0);
        let end = date_unix(&valid_until.get()).unwrap_or(start + days * 86_400);
        CertParams {
            subject: subject.get(),
            sans: lines(&sans.get()),
            issuer_alternative_names: lines(&ian.get()),
            key_usage: key_usage.get(),
            extended_key_usage: eku.get(),
            is_ca: is_ca.get(),
            path_len: path_len.get().trim().parse().ok(),
            not_before: start,
            not_after: end,
            serial_hex: String::new(),
            hash: hash.get(),
        }
    };
    // Live profile check: shown before anything is built.
    let profile_errors = Memo::new(move |_| {
        let p = profile.get();
        let csr = csr_pem.with(|c| pki::pem::split(c).into_iter().next().and_then(|b| b.der.ok()));
        let key = subject_key.get().and_then(|id| ws.key(id));
        let facts = match (&csr, &key) {
            (Some(der), _) => Some(CertSubject::Csr(der).key_facts()),
            (None, Some(k)) => Some(k.facts()),
            (None, None) => None,
        };
        match facts {
            Some(f) => p.check(&params(), &f, issuer.get().is_some(), now()),
            None => Vec::new(),
        }
    });
    let issue = move |_| {
        let p = params();
        let mut random = [0u8; 20];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut random);
        let csr = csr_pem.get_untracked();
        let csr_der = if csr.trim().is_empty() { None } else { pki::pem::split(&csr).into_iter().next().and_then(|b| b.der.ok()) };
        let key = subject_key.get_untracked().and_then(|id| ws.key(id));
        let subject_ref = match (&csr_der, &key) {
            (Some(d), _) => CertSubject::Csr(d),
            (None, Some(k)) => CertSubject::Key(k),
            _ => {
                build_errors.set(vec![FieldError { field: "subject".into(), message: "choose a subject key or paste a CSR".into() }]);
                return;
            }
        };
        let ca = issuer.get_untracked().and_then(|i| ws.made.with_untracked(|m| m.get(i).cloned()));
        let ca_key = ca.as_ref().and_then(|c| c.key_id).and_then(|id| ws.key(id));
        let issuer_ref = match (&ca, &ca_key) {
            (Some(c), Some(k)) => Some(Issuer { certificate: &c.der, key: k }),
            _ => None,
        };
        // The signer: the CA's key, or the subject key when self-signed.
        let signer = match (&issuer_ref, &subject_ref) {
            (Some(_), _) => ca_key.clone(),
            (None, CertSubject::Key(_)) => key.clone(),
            (None, CertSubject::Csr(_)) => None,
        };
        let profile = profile.get_untracked();
        let tbs = match profile.prepare(&p, subject_ref, issuer_ref, random, now()) {
            Ok(tbs) => tbs,
            Err(e) => return show_errors(e, output, build_errors),
        };
        let Some(signer) = signer else {
            let e = vec![FieldError { field: "issuer".into(), message: "a certificate for a CSR needs an issuing CA".into() }];
            return show_errors(e, output, build_errors);
        };
        let key_id = if csr_der.is_none() { subject_key.get_untracked() } else { None };
        spawn_local(async move {
            let Some(der) = sign_and_show(tbs, signer, output, build_errors, ws.status, "Certificate issued.").await else { return };
            // Checks that need the finished certificate (as `Profile::issue` does).
            let problems = profile.check_built(&der);
            if !problems.is_empty() {
                ws.status.set(String::new());
                return show_errors(problems, output, build_errors);
            }
            let info = pki::parse_bundle(&der, "issued").certificates.into_iter().next();
            let (label, serial) =
                info.map(|i| (format!("{} ({})", super::inspect::display_name(&i), i.role.as_str()), i.serial_number)).unwrap_or_default();
            ws.add_made(label, der, key_id, p.is_ca, serial);
        });
    };
    view! {
        <section aria-labelledby="cert-heading">
            <h2 id="cert-heading">"Certificate"</h2>
            <label>"Profile"
                <select on:change=move |ev| {
                    let p = Profile::ALL.into_iter().find(|p| p.label() == event_target_value(&ev)).unwrap_or(Profile::Custom);
                    apply_profile(p);
                }>
                    {Profile::ALL.map(|p| view! { <option value=p.label() selected=move || profile.get() == p>{p.label()}</option> }).collect_view()}
                </select>
            </label>
            <KeySelect ws=ws selected=subject_key label="Subject key"/>
            <label>"…or the CSR to certify (PEM)"
                <textarea rows="3" spellcheck="false" prop:value=move || csr_pem.get() on:input=move |ev| csr_pem.set(event_target_value(&ev))></textarea>
            </label>
            <label>"Issuing CA"
                <select on:change=move |ev| issuer.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || issuer.get().is_none()>"Self-signed"</option>
                    {move || ws.made.get().into_iter().enumerate().filter(|(_, m)| m.is_ca && m.key_id.is_some()).map(|(i, m)| view! {
                        <option value=i.to_string() selected=move || issuer.get() == Some(i)>{m.label}</option>
                    }).collect_view()}
                </select>
            </label>
            <SubjectForm subject=subject prefix="Certificate"/>
            <label>"Subject alternative names (one per line)"
                <textarea rows="2" prop:value=move || sans.get() on:input=move |ev| sans.set(event_target_value(&ev))></textarea>
            </label>
            <label>"Issuer alternative names (one per line: email: or URI:)"
                <textarea rows="2" prop:value=move || ian.get() on:input=move |ev| ian.set(event_target_value(&ev))></textarea>
            </label>
            <Checks legend="Key usage" names=&KEY_USAGES selected=key_usage/>
            <Checks legend="Extended key usage" names=&EKUS selected=eku/>
            <div class="actions">
                <label class="inline"><input type="checkbox" prop:checked=move || is_ca.get() on:change=move |ev| is_ca.set(event_target_checked(&ev))/>"Certificate authority (CA)"</label>
                <label>"Path length" <input type="number" min="0" class="short" prop:value=move || path_len.get() on:input=move |ev| path_len.set(event_target_value(&ev))/></label>
                <label>"Validity (days)" <input type="number" min="1" class="short" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/></label>
                <label>"Valid from (UTC date; empty: now)" <input type="date" prop:value=move || valid_from.get() on:input=move |ev| valid_from.set(event_target_value(&ev))/></label>
                <label>"Valid until (UTC date; empty: by days)" <input type="date" prop:value=move || valid_until.get() on:input=move |ev| valid_until.set(event_target_value(&ev))/></label>
                {hash_select(hash, "Signature hash")}
            </div>
            <FieldErrors errors=Signal::derive(move || profile_errors.get()) label="Profile problems"/>
            <button type="button" on:click=issue>"Issue certificate"</button>
            <FieldErrors errors=build_errors label="Certificate problems"/>
            <PemOutput pem=output label="certificate" filename="certificate.pem"/>
        </section>
    }
}

#[component]
fn CrlSection(ws: Workshop) -> impl IntoView {
    let ca = RwSignal::new(None::<usize>);
    follow_newest(issuing_cas(ws), ca);
    let revoked = RwSignal::new(String::new());
    let days = RwSignal::new("7".to_string());
    let number = RwSignal::new("1".to_string());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let output = RwSignal::new(None::<String>);
    let issue = move |_| {
        let Some(c) = ca.get_untracked().and_then(|i| ws.made.with_untracked(|m| m.get(i).cloned())) else {
            errors.set(vec![FieldError { field: "issuer".into(), message: "issue a CA certificate above first, then choose it".into() }]);
            return;
        };
        let Some(key) = c.key_id.and_then(|id| ws.key(id)) else { return };
        let t = now();
        let entries: Vec<pki::Revocation> = lines(&revoked.get_untracked())
            .into_iter()
            .map(|l| {
                let mut parts = l.splitn(2, [',', ' ']);
                let serial_hex = parts.next().unwrap_or_default().trim().to_string();
                let reason = parts.next().map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
                pki::Revocation { serial_hex, revoked_at: t, reason }
            })
            .collect();
        let days = days.get_untracked().trim().parse::<i64>().unwrap_or(0);
        let number = number.get_untracked().trim().parse::<u64>().unwrap_or(1);
        match pki::prepare_crl(Issuer { certificate: &c.der, key: &key }, &entries, t, t + days * 86_400, number, HashAlgorithm::Sha256) {
            Ok(tbs) => spawn_local(async move {
                sign_and_show(tbs, key, output, errors, ws.status, "CRL issued.").await;
            }),
            Err(e) => show_errors(e, output, errors),
        }
    };
    view! {
        <section aria-labelledby="crl-heading">
            <h2 id="crl-heading">"Certificate revocation list"</h2>
            <label>"CRL issuer"
                <select on:change=move |ev| ca.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || ca.get().is_none()>"— choose a CA made here —"</option>
                    {move || ws.made.get().into_iter().enumerate().filter(|(_, m)| m.is_ca && m.key_id.is_some()).map(|(i, m)| view! {
                        <option value=i.to_string() selected=move || ca.get() == Some(i)>{m.label}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Revoked serials (one per line: serial in hex, optionally a reason such as keyCompromise)"
                <textarea rows="3" prop:value=move || revoked.get() on:input=move |ev| revoked.set(event_target_value(&ev))></textarea>
            </label>
            <p class="hint">{move || {
                let serials: Vec<String> = ws.made.get().into_iter().map(|m| format!("{} {}", m.serial, m.label)).collect();
                if serials.is_empty() { String::new() } else { format!("Certificates made here: {}", serials.join("; ")) }
            }}</p>
            <div class="actions">
                <label>"Next update in (days)" <input type="number" min="1" class="short" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/></label>
                <label>"CRL number" <input type="number" min="0" class="short" prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev))/></label>
                <button type="button" on:click=issue>"Issue CRL"</button>
            </div>
            <FieldErrors errors=errors label="CRL problems"/>
            <PemOutput pem=output label="CRL" filename="revocations.crl"/>
        </section>
    }
}
