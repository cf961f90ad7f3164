//! The views of one object, driven by the URL: a root (`/mattr/roots/{id}`: state, fingerprint
//! check, activate / deactivate / delete), its CRL (`/mattr/roots/{id}/crl`, public: no token)
//! and a VICAL signer (`/mattr/signers/{id}`: its CSR signed here with the root's browser-held
//! key, the certificate uploaded).

use leptos::prelude::*;

use super::roots::{fingerprint_finding, state_text};
use super::{failure, now, refused, root_href, Ctx, FormErrors};
use crate::pki::{self, CrlInfo};
use crate::ui::certtable::Severity;
use crate::ui::detail::CrlCard;
use crate::ui::kit::{BusyBar, Failure, FieldNote};
use crate::ui::net::Relay;
use crate::ui::router::Link;
use crate::ui::workshop::use_workshop;
use crate::vendors::mattr::client::Client;
use crate::vendors::mattr::workflow::{self, sign_vical_signer_csr, VicalSignerParams};

/// The object the URL names, if any.
#[component]
pub(super) fn ObjectView(ctx: Ctx, segments: Memo<Vec<String>>) -> impl IntoView {
    move || {
        let segs = segments.get();
        let parts: Vec<&str> = segs.iter().map(String::as_str).collect();
        let view = match parts.as_slice() {
            [] => return None,
            ["roots", id] => view! { <RootView ctx=ctx id=id.to_string()/> }.into_any(),
            ["roots", id, "crl"] => view! { <CrlView ctx=ctx id=id.to_string()/> }.into_any(),
            ["signers", id] => view! { <SignerView ctx=ctx id=id.to_string()/> }.into_any(),
            _ => view! { <p>{format!("Nothing on the MATTR page lives at /mattr/{}.", segs.join("/"))}</p> }.into_any(),
        };
        Some(view! {
            <div class="object">
                <p><Link href="/mattr".to_string()>"Back to all roots and signers"</Link></p>
                {view}
                <BusyBar busy=ctx.object_busy testid="mattr-object"/>
            </div>
        })
    }
}

/// One labelled row of a definition list.
fn row(label: &'static str, value: impl IntoView + 'static) -> impl IntoView {
    view! { <dt>{label}</dt><dd>{value}</dd> }
}

#[component]
fn RootView(ctx: Ctx, id: String) -> impl IntoView {
    let busy = ctx.object_busy;
    let ws = use_workshop();
    let id = StoredValue::new(id);
    let record = Memo::new(move |_| ctx.root(&id.get_value()));
    if let Ok(c) = ctx.client() {
        busy.run("Loading the root CA", async move {
            let r = c.get_root_ca(&id.get_value()).await.map_err(|e| failure(&e))?;
            ctx.upsert_root(r);
            Ok("Loaded the root CA.".into())
        });
    } else if record.get_untracked().is_none() {
        busy.fail(Failure::just("Connect to load this root CA (its CRL is public: see the link below)."));
    }
    let set_active = move |active: bool| {
        let c = match ctx.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        busy.run(if active { "Activating the root CA" } else { "Deactivating the root CA" }, async move {
            let r = c.set_root_ca_active(&id.get_value(), active).await.map_err(|e| failure(&e))?;
            let done = if r.active { "The root CA is active." } else { "The root CA is inactive." };
            ctx.upsert_root(r);
            Ok(done.into())
        });
    };
    let confirm = RwSignal::new(false);
    let delete = move |_| {
        let c = match ctx.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        ctx.roots_busy.run("Deleting the root CA", async move {
            let id = id.get_value();
            c.delete_root_ca(&id).await.map_err(|e| failure(&e))?;
            ctx.roots.update(|r| {
                if let Some(r) = r {
                    r.retain(|x| x.id != id);
                }
            });
            ctx.router.navigate("/mattr");
            Ok(format!("Deleted the root CA {id}."))
        });
    };
    let browser_key = Memo::new(move |_| {
        let pem = record.get()?.certificate_pem;
        let keys: Vec<(usize, Vec<u8>)> = ws.keys.with(|k| k.iter().map(|k| (k.id, k.key.public_key_der().unwrap_or_default())).collect());
        workflow::key_for_root(pem.as_bytes(), &keys)
    });
    move || {
        let Some(r) = record.get() else {
            return view! {
                <section aria-labelledby="mattr-object-heading">
                    <h3 id="mattr-object-heading">{format!("Root CA {}", id.get_value())}</h3>
                    <p><Link href=format!("{}/crl", root_href(&id.get_value()))>"Its CRL (public)"</Link></p>
                </section>
            }
            .into_any();
        };
        let info = pki::parse_bundle(r.certificate_pem.as_bytes(), "root").certificates.into_iter().next();
        let (sev, fp) = fingerprint_finding(&r.certificate_pem, &r.certificate_fingerprint);
        let active = r.active;
        let name = r.certificate_data.common_name.clone().unwrap_or_else(|| r.id.clone());
        view! {
            <section aria-labelledby="mattr-object-heading">
                <h3 id="mattr-object-heading">{format!("Root CA {name}")}</h3>
                <dl class="root-facts">
                    {row("Id", view! { <code>{r.id.clone()}</code> })}
                    {row("State", view! { <span data-testid="mattr-root-state">{state_text(&r)}</span> })}
                    {info.as_ref().map(|i| view! {
                        {row("Subject", i.subject_dn.clone())}
                        {row("Issuer", i.issuer_dn.clone())}
                        {row("Serial", view! { <code>{i.serial_number.clone()}</code> })}
                        {row("Valid", format!("{} to {}", i.valid_from, i.expires))}
                        {row("SHA-256 (computed here)", view! { <code>{i.sha256_fingerprint.clone()}</code> })}
                    })}
                    {row("MATTR's fingerprint", view! { <code>{r.certificate_fingerprint.clone()}</code> })}
                    {row("Fingerprint check", view! {
                        <span class=if sev == Severity::Error { "bad" } else { "ok" } role=if sev == Severity::Error { Some("alert") } else { None }
                            data-testid="mattr-fingerprint-check">{fp}</span>
                    })}
                    {move || browser_key.get().map(|k| row("Key", format!("Key {k}, held in this browser (Keys & certificates)")))}
                </dl>
                <div class="actions">
                    {if active {
                        view! { <button type="button" on:click=move |_| set_active(false)>"Deactivate"</button> }.into_any()
                    } else {
                        view! { <button type="button" on:click=move |_| set_active(true)>"Activate"</button> }.into_any()
                    }}
                    <Link href=format!("{}/crl", root_href(&r.id))>"Its CRL (public)"</Link>
                    {move || if confirm.get() {
                        view! {
                            <span>"Delete this root CA at MATTR? " </span>
                            <button type="button" class="danger" on:click=delete>"Delete it"</button>
                            <button type="button" on:click=move |_| confirm.set(false)>"Keep it"</button>
                        }.into_any()
                    } else {
                        view! { <button type="button" class="danger" on:click=move |_| confirm.set(true)>"Delete…"</button> }.into_any()
                    }}
                </div>
                <details><summary>"PEM"</summary><pre class="pem">{r.certificate_pem.clone()}</pre></details>
            </section>
        }
        .into_any()
    }
}

#[component]
fn CrlView(ctx: Ctx, id: String) -> impl IntoView {
    let busy = ctx.public_busy;
    let crl = RwSignal::new(None::<CrlInfo>);
    let id = StoredValue::new(id);
    let load = move || {
        let tenant = ctx.tenant.get_untracked();
        if tenant.trim().is_empty() {
            return busy.fail(Failure::just("Enter the tenant URL to load the CRL (no credentials are needed)."));
        }
        let c = match Client::public_only(Relay, &tenant, now) {
            Ok(c) => c,
            Err(e) => return busy.fail(failure(&e)),
        };
        busy.run("Loading the CRL (no token)", async move {
            let got = c.get_root_ca_crl(&id.get_value()).await.map_err(|e| failure(&e))?;
            let n = got.info.revoked.len();
            crl.set(Some(got.info));
            Ok(format!("Loaded the CRL: {n} revoked certificate(s)."))
        });
    };
    if !ctx.tenant.get_untracked().trim().is_empty() {
        load();
    }
    view! {
        <section aria-labelledby="mattr-object-heading">
            <h3 id="mattr-object-heading">{format!("CRL of root CA {}", id.get_value())}</h3>
            <p><Link href=root_href(&id.get_value())>"The root CA"</Link></p>
            <form class="actions" aria-label="Load the CRL" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); load(); }>
                <label>"Tenant URL"
                    <input type="url" autocomplete="off" spellcheck="false" prop:value=move || ctx.tenant.get()
                        on:input=move |ev| ctx.tenant.set(event_target_value(&ev))/>
                </label>
                <button type="submit">"Load the CRL"</button>
            </form>
            <BusyBar busy=busy testid="mattr-crl"/>
            {move || crl.get().map(|c| view! { <CrlCard crl=c title="CRL of this root"/> })}
        </section>
    }
}

#[component]
fn SignerView(ctx: Ctx, id: String) -> impl IntoView {
    let busy = ctx.object_busy;
    let ws = use_workshop();
    let id = StoredValue::new(id);
    let signer = Memo::new(move |_| ctx.signers.with(|s| s.as_ref().and_then(|s| s.iter().find(|s| s.id == id.get_value()).cloned())));
    let root = Memo::new(move |_| signer.get().and_then(|s| s.ca_id).and_then(|ca| ctx.root(&ca)));
    if let Ok(c) = ctx.client() {
        if signer.get_untracked().is_none() || ctx.roots.with_untracked(Option::is_none) {
            busy.run("Loading the signer and its root", async move {
                if ctx.roots.with_untracked(Option::is_none) {
                    let roots = c.list_all_root_cas().await.map_err(|e| failure(&e))?;
                    ctx.roots.set(Some(roots.items));
                }
                let all = c.list_all_vical_signers().await.map_err(|e| failure(&e))?;
                ctx.signers.set(Some(all.items));
                Ok("Loaded the signer.".into())
            });
        }
    } else if signer.get_untracked().is_none() {
        busy.fail(Failure::just("Connect to load this VICAL signer."));
    }
    let key = RwSignal::new(None::<usize>);
    // Pre-select the browser key that belongs to the signer's root.
    Effect::new(move |_| {
        let Some(r) = root.get() else { return };
        let keys: Vec<(usize, Vec<u8>)> = ws.keys.with(|k| k.iter().map(|k| (k.id, k.key.public_key_der().unwrap_or_default())).collect());
        if key.get_untracked().is_none() {
            key.set(workflow::key_for_root(r.certificate_pem.as_bytes(), &keys));
        }
    });
    let days = RwSignal::new("365".to_string());
    let signed = RwSignal::new(None::<String>);
    let errors = FormErrors::new();
    let sign = move |_| {
        errors.clear();
        let (Some(s), Some(r)) = (signer.get_untracked(), root.get_untracked()) else {
            return busy.fail(Failure::just("The signer or its root CA is not loaded: connect and list them."));
        };
        let Some(csr) = s.csr_pem.clone() else {
            return busy.fail(Failure::just("MATTR sent no CSR for this signer."));
        };
        let Some(k) = key.get_untracked().and_then(|k| ws.key(k)) else {
            let f = refused(&[pki::FieldError {
                field: "key".into(),
                message: "choose the root CA's key (it must be held in this browser)".into(),
            }]);
            errors.set(&f.fields);
            return busy.fail(f);
        };
        let Ok(d) = days.get_untracked().trim().parse::<i64>() else {
            let f = refused(&[pki::FieldError { field: "notAfter".into(), message: "enter the validity in days".into() }]);
            errors.set(&f.fields);
            return busy.fail(f);
        };
        let mut random = [0u8; 20];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut random);
        match sign_vical_signer_csr(&csr, r.certificate_pem.as_bytes(), &k, &VicalSignerParams::new(now(), d), random) {
            Ok(pem) => {
                if let Some(info) = pki::parse_bundle(pem.as_bytes(), "signer").certificates.into_iter().next() {
                    ws.add_made(
                        format!("{} (MATTR VICAL signer)", crate::ui::inspect::display_name(&info)),
                        info.der.clone(),
                        None,
                        false,
                        info.serial_number.clone(),
                    );
                }
                signed.set(Some(pem));
                busy.status.set("Signed the CSR with the root CA's key, in this browser. Upload the certificate next.".into());
                busy.failure.set(None);
            }
            Err(findings) => {
                let f = refused(&findings);
                errors.set(&f.fields);
                busy.fail(f);
            }
        }
    };
    let upload = move |_| {
        let Some(pem) = signed.get_untracked() else {
            return busy.fail(Failure::just("Sign the CSR first."));
        };
        let c = match ctx.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        busy.run("Uploading the signer's certificate", async move {
            match c.upload_vical_signer_certificate(&id.get_value(), &pem).await {
                Ok(s) => {
                    ctx.upsert_signer(s);
                    errors.clear();
                    Ok("Uploaded the VICAL signer's certificate.".into())
                }
                Err(e) => {
                    let f = failure(&e);
                    errors.set(&f.fields);
                    Err(f)
                }
            }
        });
    };
    let chain = Memo::new(move |_| {
        let cert = signer.get()?.certificate_pem?;
        let root = root.get()?.certificate_pem;
        Some(format!("{}\n{}", cert.trim_end(), root.trim_end()))
    });
    view! {
        <section aria-labelledby="mattr-object-heading">
            <h3 id="mattr-object-heading">{format!("VICAL signer {}", id.get_value())}</h3>
            {move || signer.get().map(|s| view! {
                <dl>
                    {row("Root CA", s.ca_id.clone().map(|ca| view! { <Link href=root_href(&ca)>{ca.clone()}</Link> }))}
                    {row("State", view! { <span data-testid="mattr-signer-state">{if s.active { "active" } else { "awaiting its certificate" }}</span> })}
                    {row("SHA-256", s.certificate_fingerprint.clone().unwrap_or_else(|| "none yet".into()))}
                </dl>
                <label>"CSR from MATTR (PEM)"
                    <textarea rows="6" readonly spellcheck="false" prop:value=s.csr_pem.clone().unwrap_or_default()></textarea>
                </label>
            })}
            <form class="sign-signer" aria-label="Sign the signer's CSR" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
                <label>"Root CA's key (held in this browser)"
                    <select aria-describedby="mattr-sign-key" on:change=move |ev| key.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || key.get().is_none()>"Choose a key"</option>
                        {move || ws.keys.get().into_iter().map(|k| {
                            let kid = k.id;
                            view! { <option value=kid.to_string() selected=move || key.get() == Some(kid)>{k.label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <FieldNote id="mattr-sign-key" message=errors.note("key")/>
                <label>"Validity (days, within the root's)"
                    <input type="number" min="1" class="short" aria-describedby="mattr-sign-notAfter" prop:value=move || days.get()
                        on:input=move |ev| days.set(event_target_value(&ev))/>
                </label>
                <FieldNote id="mattr-sign-notAfter" message=errors.note("notAfter")/>
                <FieldNote id="mattr-sign-csr" message=errors.note("csr")/>
                <FieldNote id="mattr-sign-issuer" message=errors.note("issuer")/>
                <button type="button" on:click=sign>"Sign the CSR in this browser"</button>
            </form>
            {move || signed.get().map(|pem| view! {
                <label>"Signed certificate (PEM)"
                    <textarea rows="6" readonly spellcheck="false" aria-describedby="mattr-sign-certificatePem" prop:value=pem></textarea>
                </label>
                <FieldNote id="mattr-sign-certificatePem" message=errors.note("certificatePem")/>
                <button type="button" on:click=upload>"Upload the signed certificate"</button>
            })}
            {move || chain.get().map(|pem| view! {
                <label>"The signer and its root CA (PEM), to check the chain in Inspect"
                    <textarea rows="6" readonly spellcheck="false" prop:value=pem></textarea>
                </label>
            })}
        </section>
    }
}
