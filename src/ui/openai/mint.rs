//! Making OpenAI's certificates in the browser: an mTLS CA (P-256 by default, RSA-3072 offered)
//! with the OpenAI mTLS CA profile, and client certificates issued directly by it with the
//! OpenAI client profile, each checked with OpenAI's rule pack ([`rules::check_ca`],
//! [`rules::check_client`]). Both go through the workshop's one "new key → certificate" sequence
//! ([`workshop::mint`]: key from [`workshop::generate_key`] (WebCrypto, else a worker), prepare,
//! sign with [`crate::webcrypto::sign_tbs`], check against the profile, keep), so everything made
//! here also shows on the Keys & certificates page; no key leaves the tab. A client certificate downloads as
//! PKCS#12 through the workshop's export ([`P12Form`]).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{now, project_ids, scope_of, Findings, Page, ScopeSelect};
use crate::pki::{self, CertParams, KeyAlgorithm, PrivateKey, Profile, SubjectFields};
use crate::ui::workshop::pkcs12::{P12Fields, P12Form};
use crate::ui::workshop::{self, use_workshop, MintError, MintSpec, Minted, Workshop};
use crate::vendors::openai::rules::{self, Finding};

fn field_errors(e: Vec<pki::FieldError>) -> String {
    e.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
}

/// The message of a failed [`workshop::mint`].
fn mint_error(e: MintError) -> String {
    match e {
        MintError::Key(e) => e,
        MintError::Fields(e) => field_errors(e),
    }
}

/// How a minted certificate was signed, for the status line.
fn how(m: &Minted) -> &'static str {
    match m.signed_by {
        crate::webcrypto::SignedBy::WebCrypto => "signed with WebCrypto",
        _ => "signed in wasm",
    }
}

/// A key-algorithm menu: P-256 (default) or RSA-3072.
#[component]
fn AlgorithmSelect(value: RwSignal<String>, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <label>{label}
            <select on:change=move |ev| value.set(event_target_value(&ev))>
                {["P-256", "RSA-3072"].map(|a| view! { <option value=a selected=move || value.get() == a>{a}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// What the client-certificate section holds after issuing.
#[derive(Clone)]
struct Issued {
    der: Vec<u8>,
    key: Arc<PrivateKey>,
    name: String,
}

#[component]
pub(super) fn MintSection(page: Page) -> impl IntoView {
    let ws = use_workshop();
    view! {
        <CaSection page=page ws=ws/>
        <ClientSection page=page ws=ws/>
    }
}

#[component]
fn CaSection(page: Page, ws: Workshop) -> impl IntoView {
    let algorithm = RwSignal::new("P-256".to_string());
    let common_name = RwSignal::new("certwright OpenAI mTLS CA".to_string());
    let days = RwSignal::new("1825".to_string());
    let status = RwSignal::new(String::new());
    let running = RwSignal::new(false);
    let findings = RwSignal::new(Vec::<Finding>::new());
    let create = move |_| {
        let Ok(alg) = KeyAlgorithm::parse(&algorithm.get_untracked()) else { return };
        let t = now();
        let d = days.get_untracked().trim().parse::<i64>().unwrap_or(0);
        let params = CertParams {
            subject: SubjectFields { common_name: common_name.get_untracked().trim().to_owned(), ..Default::default() },
            not_before: t,
            not_after: t + d * 86_400,
            ..Profile::OpenaiMtlsCa.defaults(t)
        };
        running.set(true);
        status.set(format!("Generating a {} key and signing the CA…", algorithm.get_untracked()));
        spawn_local(async move {
            let spec =
                MintSpec { profile: Profile::OpenaiMtlsCa, params: &params, issuer: None, is_ca: true, what: "OpenAI mTLS CA", now: t };
            let result = workshop::mint(ws, spec, workshop::generate_key(alg), |by| by).await;
            running.set(false);
            match result {
                Ok(made) => {
                    let (source, how) = (made.key_by, how(&made));
                    let pem = pki::pem::encode("CERTIFICATE", &made.der);
                    let found = rules::check_ca(pem.as_bytes(), page.facts.with_untracked(Vec::len), now());
                    let verdict = if rules::has_errors(&found) {
                        "the rule pack found errors (see beside the upload form)"
                    } else {
                        "the rule pack passes"
                    };
                    findings.set(found);
                    page.upload_pem.set(pem);
                    page.upload_name.set(params.subject.common_name.clone());
                    status.set(format!(
                        "CA created in this browser ({}, key by {source}, {how}); its key stays in this tab (Keys & certificates). {}. It is in the upload form.",
                        algorithm.get_untracked(),
                        verdict[..1].to_uppercase() + &verdict[1..]
                    ));
                }
                Err(e) => status.set(format!("Creating the CA failed: {}", mint_error(e))),
            }
        });
    };
    view! {
        <section aria-labelledby="openai-ca-heading">
            <h3 id="openai-ca-heading">"Create an mTLS CA in this browser"</h3>
            <p class="hint">"OpenAI mTLS CA profile: CA, keyCertSign and cRLSign, subject and authority key identifiers, well under 16 KB. The key is made and kept here."</p>
            <div class="actions">
                <AlgorithmSelect value=algorithm label="CA key algorithm"/>
                <label>"CA common name" <input type="text" prop:value=move || common_name.get() on:input=move |ev| common_name.set(event_target_value(&ev))/></label>
                <label>"CA validity (days)" <input type="number" min="2" class="short" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/></label>
                <button type="button" on:click=create disabled=move || running.get()>"Create CA"</button>
            </div>
            <p role="status" data-testid="openai-ca-status">{move || status.get()}</p>
            <Show when=move || !status.with(String::is_empty) && !running.get()>
                <Findings findings=Signal::derive(move || findings.get()) label="Rule pack: the CA made here" testid="openai-made-ca-rules"/>
            </Show>
        </section>
    }
}

#[component]
fn ClientSection(page: Page, ws: Workshop) -> impl IntoView {
    // The CAs made here that can issue (index into `made`); the newest is pre-selected.
    let cas = Memo::new(move |_| {
        ws.made.with(|m| {
            m.iter().enumerate().filter(|(_, c)| c.is_ca && c.key_id.is_some()).map(|(i, c)| (i, c.label.clone())).collect::<Vec<_>>()
        })
    });
    let chosen = RwSignal::new(None::<usize>);
    let issuer = Memo::new(move |_| chosen.get().or_else(|| cas.with(|c| c.last().map(|(i, _)| *i))));
    let algorithm = RwSignal::new("P-256".to_string());
    let common_name = RwSignal::new("certwright OpenAI client".to_string());
    let scope = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let running = RwSignal::new(false);
    let issued = RwSignal::new_local(None::<Issued>);
    let form = P12Form::new();
    // The client rule pack, against the uploaded CAs this tab holds, at the chosen scope.
    let findings = Memo::new(move |_| {
        let Some(der) = issued.with(|i| i.as_ref().map(|i| i.der.clone())) else { return Vec::new() };
        let made: Vec<(Vec<u8>, String)> = ws.made.with(|m| {
            m.iter().filter(|c| c.is_ca).map(|c| (c.der.clone(), pki::hex(&<sha2::Sha256 as sha2::Digest>::digest(&c.der)))).collect()
        });
        let _ = page.facts.with(Vec::len);
        let uploaded = page.uploaded_cas(&made, &scope_of(&scope.get()));
        rules::check_client(&der, &uploaded, now())
    });
    let issue = move |_| {
        let Some(ca) = issuer.get_untracked().and_then(|i| ws.made.with_untracked(|m| m.get(i).cloned())) else {
            status.set("Create a CA above first (or choose one made on the Keys & certificates page).".into());
            return;
        };
        let Some(ca_key) = ca.key_id.and_then(|id| ws.key(id)) else {
            status.set("The chosen CA's key is no longer in this tab.".into());
            return;
        };
        let Ok(alg) = KeyAlgorithm::parse(&algorithm.get_untracked()) else { return };
        let t = now();
        let name = common_name.get_untracked().trim().to_owned();
        let params =
            CertParams { subject: SubjectFields { common_name: name.clone(), ..Default::default() }, ..Profile::OpenaiClient.defaults(t) };
        running.set(true);
        status.set(format!("Generating a {} key and issuing from {}…", algorithm.get_untracked(), ca.label));
        spawn_local(async move {
            let spec = MintSpec {
                profile: Profile::OpenaiClient,
                params: &params,
                issuer: Some((&ca.der, &ca_key)),
                is_ca: false,
                what: "OpenAI client",
                now: t,
            };
            let result = workshop::mint(ws, spec, workshop::generate_key(alg), |by| by).await;
            running.set(false);
            match result {
                Ok(made) => {
                    let (source, how) = (made.key_by, how(&made));
                    let der = made.der;
                    let Some(key) = ws.key(made.key_id) else { return };
                    form.friendly_name().set(name.clone());
                    issued.set(Some(Issued { der, key, name }));
                    status.set(format!("Client certificate issued by {} ({how}; its key by {source}, kept in this tab).", ca.label));
                }
                Err(e) => status.set(format!("Issuing failed: {}", mint_error(e))),
            }
        });
    };
    let download = move |_| {
        let Some(i) = issued.get_untracked() else { return };
        let file =
            format!("{}.p12", i.name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect::<String>());
        match form.export(ws, &i.key, &i.der, &file) {
            Ok(done) => status.set(format!("{done} Saved as {file}.")),
            Err(e) => status.set(format!("PKCS#12 export failed: {e}")),
        }
    };
    view! {
        <section aria-labelledby="openai-client-heading">
            <h3 id="openai-client-heading">"Issue a client certificate"</h3>
            <p class="hint">"OpenAI client profile: signed directly by the uploaded CA, digitalSignature and keyEncipherment, EKU clientAuth."</p>
            <div class="actions">
                <label>"Issuing CA"
                    <select on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                        {move || cas.get().into_iter().map(|(i, label)| view! { <option value=i.to_string() selected=move || issuer.get() == Some(i)>{label}</option> }).collect_view()}
                    </select>
                </label>
                <AlgorithmSelect value=algorithm label="Client key algorithm"/>
                <label>"Client common name" <input type="text" prop:value=move || common_name.get() on:input=move |ev| common_name.set(event_target_value(&ev))/></label>
                <ScopeSelect page=page value=scope label="Used at scope"/>
                <button type="button" on:click=issue disabled=move || running.get()>"Issue client certificate"</button>
            </div>
            <p role="status" data-testid="openai-client-status">{move || status.get()}</p>
            <Show when=move || issued.with(Option::is_some)>
                <Findings findings=Signal::derive(move || findings.get()) label="Rule pack: OpenAI client certificate" testid="openai-client-rules"/>
                <fieldset class="grid">
                    <legend>"Download as PKCS#12"</legend>
                    <P12Fields form=form testid="openai-p12"/>
                    <button type="button" on:click=download disabled=move || rules::has_errors(&findings.get())>"Download PKCS#12"</button>
                    <p class="hint">{move || if project_ids(&page.projects.get()).is_empty() { "" } else { "The rule pack checks the issuing CA is active at the scope chosen above." }}</p>
                </fieldset>
            </Show>
        </section>
    }
}
