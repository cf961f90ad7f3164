//! A root held in this browser: generated here with the MATTR profile (P-256 or P-384; made by
//! the workshop's "new key → certificate" sequence, [`workshop::mint`], so the key goes into the
//! shared workshop and never leaves the tab), or pasted / dropped; MATTR's rule
//! pack for unmanaged roots runs on it live, each finding naming the field; then the upload.
//! Also the VICAL signers: request one for an uploaded root (MATTR answers a CSR), list them.

use leptos::prelude::*;

use super::{failure, now, refused, root_href, signer_href, Ctx, FormErrors};
use crate::pki::{self, CertParams, KeyAlgorithm, KeyFacts, Profile, SubjectFields};
use crate::ui::kit::{BusyBar, FieldNote, PemInput};
use crate::ui::router::Link;
use crate::ui::workshop::{self, use_workshop, MintError, MintSpec, Minted};
use crate::vendors::mattr::{rules, workflow};

const YEAR: i64 = 365 * 86_400 + 86_400 / 4;

/// The browser-held root and the VICAL signers.
#[component]
pub(super) fn Held(ctx: Ctx) -> impl IntoView {
    view! {
        <Generate ctx=ctx/>
        <Upload ctx=ctx/>
        <Signers ctx=ctx/>
    }
}

/// The generation form's parameters for the MATTR profile.
fn params(cn: &str, org: &str, country: &str, ian: &str, years: &str, now: i64) -> CertParams {
    let mut p = Profile::MattrDtsRoot.defaults(now);
    p.subject = SubjectFields {
        common_name: cn.trim().into(),
        organization: org.trim().into(),
        country: country.trim().into(),
        ..Default::default()
    };
    p.issuer_alternative_names = ian.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    let years = years.trim().parse::<i64>().unwrap_or(0);
    p.not_after = now + years * YEAR;
    p
}

#[component]
fn Generate(ctx: Ctx) -> impl IntoView {
    let ws = use_workshop();
    let busy = ctx.held_busy;
    let algorithm = RwSignal::new("P-256".to_string());
    let cn = RwSignal::new("DTS Root CA".to_string());
    let org = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let ian = RwSignal::new(String::new());
    let years = RwSignal::new("10".to_string());
    let errors = FormErrors::new();
    // Live profile check (before a key is made): each problem on its field.
    Effect::new(move |_| {
        let p = params(&cn.get(), &org.get(), &country.get(), &ian.get(), &years.get(), now());
        let bits = if algorithm.get() == "P-384" { 384 } else { 256 };
        let findings = Profile::MattrDtsRoot.check(&p, &KeyFacts { algorithm: "EC".into(), bits }, false, now());
        // Untouched fields are not marked yet; what was typed is.
        let typed = |f: &str| match f {
            "subject.organization" => !org.get_untracked().is_empty(),
            "subject.country" => !country.get_untracked().is_empty(),
            "issuerAlternativeNames" => !ian.get_untracked().is_empty(),
            _ => true,
        };
        let shown: Vec<(String, String)> = findings.into_iter().filter(|f| typed(&f.field)).map(|f| (f.field, f.message)).collect();
        errors.set(&shown);
    });
    let generate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let start = now();
        let p = params(
            &cn.get_untracked(),
            &org.get_untracked(),
            &country.get_untracked(),
            &ian.get_untracked(),
            &years.get_untracked(),
            start,
        );
        let Ok(alg) = KeyAlgorithm::parse(&algorithm.get_untracked()) else { return };
        let bits = if alg == KeyAlgorithm::P384 { 384 } else { 256 };
        let findings = Profile::MattrDtsRoot.check(&p, &KeyFacts { algorithm: "EC".into(), bits }, false, start);
        if !findings.is_empty() {
            let f = refused(&findings);
            errors.set(&f.fields);
            return busy.fail(f);
        }
        busy.run(format!("Generating a {} root CA in this browser", algorithm.get_untracked()), async move {
            let spec = MintSpec { profile: Profile::MattrDtsRoot, params: &p, issuer: None, is_ca: true, what: "MATTR DTS root", now: start };
            let source = |by| if by == "webcrypto" { "generated for MATTR (WebCrypto)" } else { "generated for MATTR (wasm)" };
            let Minted { key_id, der, .. } =
                workshop::mint(ws, spec, crate::webcrypto::generate_with_fallback(alg), source).await.map_err(|e| match e {
                    MintError::Key(e) => crate::ui::kit::Failure::just(format!("The key could not be generated: {e}")),
                    MintError::Fields(e) => refused(&e),
                })?;
            ctx.held_pem.set(pki::pem::encode("CERTIFICATE", &der));
            Ok(format!(
                "Root CA generated with Key {key_id}, which stays in this tab (Keys & certificates). Check the rule pack below, then upload it."
            ))
        });
    };
    let input = move |label, field, value, placeholder| errors.text_input("mattr-gen", label, field, value, placeholder);
    view! {
        <section aria-labelledby="mattr-held-heading">
            <h3 id="mattr-held-heading">"A root CA held in this browser"</h3>
            <p class="hint">"Generated here with the MATTR DTS root profile; its private key stays in this tab (it shows under Keys & certificates). Only the certificate is uploaded."</p>
            <form class="generate-root" aria-label="Generate a root CA in this browser" on:submit=generate>
                <label>"Key"
                    <select on:change=move |ev| algorithm.set(event_target_value(&ev))>
                        <option value="P-256" selected=move || algorithm.get() == "P-256">"ECDSA P-256"</option>
                        <option value="P-384" selected=move || algorithm.get() == "P-384">"ECDSA P-384"</option>
                    </select>
                </label>
                {input("Root common name (CN)", "subject.commonName", cn, "Example DTS CA")}
                {input("Root organisation (O)", "subject.organization", org, "Example Inc.")}
                {input("Root country (C)", "subject.country", country, "NZ")}
                {input("Issuer alternative name (URI: or email:)", "issuerAlternativeNames", ian, "URI:https://example.com")}
                <label>"Validity (years, at most 20)"
                    <input type="number" min="1" max="20" class="short" aria-describedby="mattr-gen-notAfter"
                        prop:value=move || years.get() on:input=move |ev| years.set(event_target_value(&ev))/>
                </label>
                <FieldNote id="mattr-gen-notAfter" message=errors.note("notAfter")/>
                <button type="submit">"Generate root CA"</button>
            </form>
        </section>
    }
}

#[component]
fn Upload(ctx: Ctx) -> impl IntoView {
    let busy = ctx.held_busy;
    let pem = ctx.held_pem;
    let errors = FormErrors::new();
    let findings = Memo::new(move |_| {
        let text = pem.get();
        let listed = ctx.roots.with(|r| r.as_ref().map(Vec::len));
        if text.trim().is_empty() {
            Vec::new()
        } else {
            rules::check_root_ca(text.as_bytes(), now(), listed)
        }
    });
    let upload = move |_| {
        let text = pem.get_untracked();
        if text.trim().is_empty() {
            return busy.fail(crate::ui::kit::Failure::just("Nothing to upload: generate a root above, or paste or drop one."));
        }
        let found = findings.get_untracked();
        if !found.is_empty() {
            let mut f = refused(&found);
            f.message = "Not sent: the root does not meet MATTR's requirements for an external root (each finding names the field).".into();
            errors.set(&f.fields);
            return busy.fail(f);
        }
        let c = match ctx.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        let listed = ctx.listed_roots();
        errors.clear();
        busy.run("Uploading the root CA", async move {
            match c.upload_root_ca(&text, listed).await {
                Ok(root) => {
                    let id = root.id.clone();
                    ctx.upsert_root(root);
                    ctx.just_uploaded.set(Some(id.clone()));
                    ctx.router.navigate(&root_href(&id));
                    Ok(format!("Uploaded the root CA {id}. It is inactive until you activate it."))
                }
                Err(e) => {
                    let f = failure(&e);
                    errors.set(&f.fields);
                    Err(f)
                }
            }
        });
    };
    view! {
        <section aria-labelledby="mattr-upload-heading">
            <h3 id="mattr-upload-heading">"Upload a root CA"</h3>
            <PemInput label="Root CA certificate (PEM)" value=pem describedby="mattr-upload-certificatePem"/>
            <FieldNote id="mattr-upload-certificatePem" message=errors.note("certificatePem")/>
            {move || {
                let found = findings.get();
                if pem.with(|p| p.trim().is_empty()) {
                    None
                } else if found.is_empty() {
                    Some(view! { <p class="ok" data-testid="mattr-rulepack-ok">"MATTR's rule pack for external roots passes."</p> }.into_any())
                } else {
                    Some(view! {
                        <ul class="rule-findings" aria-label="Rule pack findings">
                            {found.into_iter().map(|f| view! { <li data-field=f.field.clone()><code>{f.field.clone()}</code>": " {f.message}</li> }).collect_view()}
                        </ul>
                    }.into_any())
                }
            }}
            <button type="button" on:click=upload>"Upload root CA"</button>
            <BusyBar busy=busy testid="mattr-held"/>
        </section>
    }
}

#[component]
fn Signers(ctx: Ctx) -> impl IntoView {
    let busy = ctx.held_busy;
    let selected = RwSignal::new(None::<String>);
    let eligible = Memo::new(move |_| {
        let preferred = ctx.just_uploaded.get();
        ctx.roots.with(|r| {
            let roots = r.as_deref().unwrap_or_default();
            let (list, pick) = workflow::signer_roots(roots, preferred.as_deref());
            (list.into_iter().map(|r| (r.id.clone(), r.certificate_data.common_name.clone().unwrap_or_default())).collect::<Vec<_>>(), pick)
        })
    });
    // Pre-select the obvious root (the one just uploaded, or the only one).
    Effect::new(move |_| {
        let (list, pick) = eligible.get();
        if selected.with_untracked(|s| s.as_ref().is_none_or(|s| !list.iter().any(|(id, _)| id == s))) {
            selected.set(pick);
        }
    });
    let load = move || {
        let c = match ctx.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        busy.run("Listing the VICAL signers", async move {
            let all = c.list_all_vical_signers().await.map_err(|e| failure(&e))?;
            let n = all.items.len();
            ctx.signers.set(Some(all.items));
            Ok(format!("Listed {n} VICAL signer(s)."))
        });
    };
    let request = move |_| {
        let Some(ca) = selected.get_untracked() else {
            return busy.fail(crate::ui::kit::Failure::just("Choose the uploaded root the signer is for (list the roots first)."));
        };
        let c = match ctx.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        let listed = ctx.listed_signers();
        if let Some(f) = listed.and_then(rules::check_vical_signer_count) {
            return busy.fail(refused(&[f]));
        }
        busy.run("Requesting a VICAL signer", async move {
            let signer = c.create_vical_signer(&ca, listed).await.map_err(|e| failure(&e))?;
            let id = signer.id.clone();
            ctx.upsert_signer(signer);
            ctx.router.navigate(&signer_href(&id));
            Ok(format!("VICAL signer {id} requested: MATTR made its key and sent a CSR to sign with the root's key."))
        });
    };
    view! {
        <section aria-labelledby="mattr-signers-heading">
            <h3 id="mattr-signers-heading">"VICAL signers"</h3>
            <p class="hint">"For an uploaded root: MATTR makes the signer's key and sends a CSR; it is signed here with the root's key and the certificate goes back. At most 5 per tenant."</p>
            <div class="actions">
                <label>"Root CA for the signer"
                    <select on:change=move |ev| selected.set(Some(event_target_value(&ev)).filter(|v| !v.is_empty()))>
                        <option value="" selected=move || selected.with(Option::is_none)>"Choose an uploaded root"</option>
                        {move || eligible.get().0.into_iter().map(|(id, cn)| {
                            let is = id.clone();
                            view! { <option value=id.clone() selected=move || selected.with(|s| s.as_deref() == Some(is.as_str()))>{format!("{cn} ({id})")}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" on:click=request>"Request a VICAL signer"</button>
                <button type="button" disabled=move || ctx.connected.with(Option::is_none) on:click=move |_| load()>"Load all signers"</button>
            </div>
            {move || ctx.signers.get().map(|list| view! {
                <div class="table-scroll">
                    <table class="signers" aria-label="VICAL signers">
                        <thead><tr><th scope="col">"Signer"</th><th scope="col">"Root CA"</th><th scope="col">"State"</th><th scope="col">"SHA-256"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|s| {
                                let root = s.ca_id.clone().unwrap_or_default();
                                view! {
                                    <tr>
                                        <td><Link href=signer_href(&s.id)>{s.id.clone()}</Link></td>
                                        <td>{(!root.is_empty()).then(|| view! { <Link href=root_href(&root)>{root.clone()}</Link> })}</td>
                                        <td>{if s.active { "active" } else if s.certificate_pem.is_some() { "certificate uploaded" } else { "awaiting its certificate" }}</td>
                                        <td class="mono">{s.certificate_fingerprint.clone().unwrap_or_default()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}
