//! Detail views: every field of a certificate; CRLs and CSRs as lists.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser;
use crate::pki::{self, CertificateInfo, CrlInfo, CsrInfo, NameAttribute};

/// One labelled row of a definition list.
fn field(label: &'static str, value: impl IntoView + 'static) -> impl IntoView {
    view! {
        <dt>{label}</dt>
        <dd>{value}</dd>
    }
}

fn list(items: Vec<String>) -> impl IntoView {
    if items.is_empty() {
        return view! { <span class="none">"none"</span> }.into_any();
    }
    view! { <ul class="plain">{items.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul> }.into_any()
}

fn name_table(attrs: Vec<NameAttribute>) -> impl IntoView {
    view! {
        <ul class="plain name">
            {attrs.into_iter().map(|a| view! {
                <li><span class="attr">{a.attribute}</span>" = "<span class="value">{a.value}</span>
                    <span class="type">{format!(" ({})", a.string_type)}</span></li>
            }).collect_view()}
        </ul>
    }
}

/// A fingerprint with a copy button and a colon-separated toggle.
#[component]
fn Fingerprint(label: &'static str, hex: String) -> impl IntoView {
    let colons = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let shown = {
        let hex = hex.clone();
        move || if colons.get() { pki::colon_hex(&hex) } else { hex.clone() }
    };
    let shown_for_copy = shown.clone();
    view! {
        <dt>{label}</dt>
        <dd class="fingerprint">
            <code data-testid=format!("fp-{}", label.to_lowercase().replace('-', ""))>{shown}</code>
            <button type="button" aria-label=format!("Copy {label} fingerprint") on:click=move |_| {
                let text = shown_for_copy();
                spawn_local(async move { copied.set(browser::copy_text(&text).await) });
            }>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
            <label class="inline">
                <input type="checkbox" prop:checked=move || colons.get()
                    on:change=move |ev| colons.set(event_target_checked(&ev))/>
                {format!("{label} with colons")}
            </label>
        </dd>
    }
}

/// Every field of one certificate.
#[component]
pub fn CertificateDetail(cert: CertificateInfo) -> impl IntoView {
    let c = cert;
    let validity = c.validity_at(browser::now_unix()).to_string();
    let title = super::inspect::display_name(&c);
    let pem = c.pem();
    let unknown: Vec<_> = c.extensions.iter().filter(|e| e.name.is_none()).cloned().collect();
    let all_exts: Vec<String> = c
        .extensions
        .iter()
        .map(|e| {
            format!(
                "{}{}",
                e.name.map_or_else(|| e.oid.to_string(), |n| format!("{n} ({})", e.oid)),
                if e.critical { " — critical" } else { "" }
            )
        })
        .collect();
    view! {
        <section class="detail" aria-labelledby="detail-heading" data-testid="detail">
            <h2 id="detail-heading" tabindex="-1">{format!("Certificate {}: ", c.index + 1)}{title}</h2>
            {(!c.warnings.is_empty()).then(|| view! {
                <div class="warnings" role="note" aria-label="Warnings">
                    <strong>"Loaded with warnings:"</strong>
                    {list(c.warnings.clone())}
                </div>
            })}
            <dl>
                {field("Subject", view! { <code data-testid="subject-dn">{c.subject_dn.clone()}</code> })}
                {field("Subject attributes", name_table(c.subject.clone()))}
                {field("Issuer", view! { <code>{c.issuer_dn.clone()}</code> })}
                {field("Issuer attributes", name_table(c.issuer.clone()))}
                {field("Serial number", view! { <code>{c.serial_number.clone()}</code> })}
                {field("Valid from", c.valid_from.clone())}
                {field("Expires", c.expires.clone())}
                {field("Status", validity)}
                {field("Version", c.version)}
                {field("Signature algorithm", c.signature_algorithm.clone())}
                {field("Public key", format!("{} {} bits{}", c.key_algorithm, c.key_size, c.curve.as_ref().map(|cv| format!(" ({cv})")).unwrap_or_default()))}
                {field("Role", c.role.as_str())}
                {field("Self-signed", if c.self_signed { "yes" } else { "no" })}
                {field("Basic constraints", if c.is_ca { format!("CA{}", c.path_len.map(|p| format!(", path length {p}")).unwrap_or_default()) } else { "not a CA".to_string() })}
                {field("Subject alternative names", list(c.subject_alternative_names.clone()))}
                {field("Key usage", list(c.key_usage.clone()))}
                {field("Extended key usage", list(c.extended_key_usage.clone()))}
                {field("Subject key identifier", c.subject_key_identifier.clone().unwrap_or_else(|| "none".into()))}
                {field("Authority key identifier", c.authority_key_identifier.clone().unwrap_or_else(|| "none".into()))}
                {field("CRL distribution points", list(c.crl_distribution_points.clone()))}
                {field("Authority information access", list(c.authority_info_access.clone()))}
                {field("Policies", list(c.policies.clone()))}
                {field("Extensions", list(all_exts))}
                {field("Unknown extensions", list(unknown.into_iter().map(|e| format!("{}{}: {}", e.oid, if e.critical { " (critical)" } else { "" }, e.value_hex.unwrap_or_default())).collect()))}
                <Fingerprint label="SHA-1" hex=c.sha1_fingerprint.clone()/>
                <Fingerprint label="SHA-256" hex=c.sha256_fingerprint.clone()/>
                {field("Source", c.source.clone())}
            </dl>
            <details>
                <summary>"PEM"</summary>
                <pre class="pem">{pem}</pre>
            </details>
        </section>
    }
}

/// Loaded CRLs with their revoked entries.
#[component]
pub fn CrlList(crls: RwSignal<Vec<CrlInfo>>) -> impl IntoView {
    view! {
        <Show when=move || crls.with(|v| !v.is_empty())>
            <section class="crls" aria-labelledby="crls-heading">
                <h2 id="crls-heading">"CRLs"</h2>
                {move || crls.get().into_iter().map(|c| {
                    let title = format!("CRL {}", c.index + 1);
                    view! { <CrlCard crl=c title=title/> }
                }).collect_view()}
            </section>
        </Show>
    }
}

/// One CRL: issuer, dates, number, fingerprint and its revoked entries (serial, date, reason).
/// `title` names it ("CRL 2", "CRL of root …"); the revoked table is "Revoked certificates of
/// {title}". Inspect's list and the vendor pages (MATTR's root CRLs) show CRLs with this.
#[component]
pub fn CrlCard(crl: CrlInfo, #[prop(into)] title: String) -> impl IntoView {
    let c = crl;
    view! {
        <article class="card" aria-label=title.clone()>
            <h3>{format!("{title}: ")}{c.issuer_dn.clone()}</h3>
            <dl>
                {field("Version", c.version)}
                {field("This update", c.this_update.clone())}
                {field("Next update", c.next_update.clone().unwrap_or_else(|| "none".into()))}
                {field("CRL number", c.crl_number.clone().unwrap_or_else(|| "none".into()))}
                {field("Signature algorithm", c.signature_algorithm.clone())}
                {field("SHA-256", view! { <code>{c.sha256_fingerprint.clone()}</code> })}
                {field("Source", c.source.clone())}
            </dl>
            <table aria-label=format!("Revoked certificates of {title}")>
                <thead><tr><th scope="col">"Serial"</th><th scope="col">"Revoked"</th><th scope="col">"Reason"</th></tr></thead>
                <tbody>
                    {c.revoked.iter().map(|r| view! {
                        <tr><td class="mono">{r.serial_number.clone()}</td><td>{r.revocation_date.clone()}</td>
                            <td>{r.reason.clone().unwrap_or_else(|| "—".into())}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </article>
    }
}

/// Loaded CSRs, with whether their self-signature verifies.
#[component]
pub fn CsrList(csrs: RwSignal<Vec<CsrInfo>>) -> impl IntoView {
    view! {
        <Show when=move || csrs.with(|v| !v.is_empty())>
            <section class="csrs" aria-labelledby="csrs-heading">
                <h2 id="csrs-heading">"Certificate signing requests"</h2>
                {move || csrs.get().into_iter().map(|c| view! {
                    <article class="card" aria-label=format!("CSR {}", c.index + 1)>
                        <h3>{format!("CSR {}: ", c.index + 1)}{c.subject_dn.clone()}</h3>
                        <dl>
                            {field("Public key", format!("{} {} bits", c.key_algorithm, c.key_size))}
                            {field("Signature algorithm", c.signature_algorithm.clone())}
                            {field("Signature", if c.signature_valid { "verifies".to_string() } else { format!("does NOT verify: {}", c.signature_error.clone().unwrap_or_default()) })}
                            {field("Requested SANs", list(c.subject_alternative_names.clone()))}
                            {field("Requested key usage", list(c.key_usage.clone()))}
                            {field("Requested extended key usage", list(c.extended_key_usage.clone()))}
                            {field("Other requested extensions", list(c.other_extensions.clone()))}
                            {field("Source", c.source.clone())}
                        </dl>
                        {use_context::<super::Handoff>().map(|h| {
                            let pem = c.pem.clone();
                            view! {
                                <button type="button" aria-label=format!("Sign CSR {} in Keys & certificates", c.index + 1)
                                    on:click=move |_| h.sign_csr(pem.clone())>"Sign this CSR…"</button>
                            }
                        })}
                    </article>
                }).collect_view()}
            </section>
        </Show>
    }
}
