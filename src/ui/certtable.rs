//! The one certificate table of the vendor pages: a row per certificate with the facts computed
//! here (subject, issuer, expiry and state, key, SHA-256), an optional vendor column (status,
//! active scopes, ids) and the findings (rule packs, fingerprint checks) on the row they concern.
//! Rows are built from [`CertificateInfo`] by [`CertRow::of`]; on a narrow screen each cell shows
//! its column name (`data-label`, see `style/main.css`). With `select`, rows get checkboxes that
//! keep the selected rows' keys (in the order they were picked).

use leptos::prelude::*;

use crate::pki::CertificateInfo;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Blocks the action.
    Error,
    /// Worth a look.
    Warning,
    /// For information.
    Notice,
}

impl Severity {
    /// Lowercase name, also the CSS class.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

/// One row.
#[derive(Clone, Debug, PartialEq)]
pub struct CertRow {
    /// Stable key (an id, or the index as text).
    pub key: String,
    /// Name shown first (the vendor's name for it, or the subject).
    pub name: String,
    pub subject: String,
    pub issuer: String,
    /// `2027-01-01 (in 31 days)`.
    pub expires: String,
    pub key_algorithm: String,
    pub sha256: String,
    /// The vendor column's text (status, scopes).
    pub vendor: String,
    pub findings: Vec<(Severity, String)>,
    /// Where the row's name links to (the object's URL), if anywhere.
    pub href: Option<String>,
}

impl CertRow {
    /// A row for `cert`, named `name` (the subject when empty), as of `now` (Unix seconds).
    pub fn of(key: impl Into<String>, name: &str, cert: &CertificateInfo, now: i64) -> CertRow {
        let days = (cert.expires_unix - now).div_euclid(86_400);
        let state = if cert.expires_unix < now {
            "expired".to_owned()
        } else if cert.valid_from_unix > now {
            "not yet valid".to_owned()
        } else {
            format!("in {days} days")
        };
        let key_algorithm = match &cert.curve {
            Some(curve) => format!("{} {curve}", cert.key_algorithm),
            None if cert.key_size > 0 => format!("{} {}", cert.key_algorithm, cert.key_size),
            None => cert.key_algorithm.clone(),
        };
        CertRow {
            key: key.into(),
            name: if name.trim().is_empty() { cert.subject_dn.clone() } else { name.to_owned() },
            subject: cert.subject_dn.clone(),
            issuer: cert.issuer_dn.clone(),
            expires: format!("{} ({state})", cert.expires.get(..10).unwrap_or(&cert.expires)),
            key_algorithm,
            sha256: cert.sha256_fingerprint.clone(),
            vendor: String::new(),
            findings: Vec::new(),
            href: None,
        }
    }

    /// Whether a finding blocks.
    pub fn has_error(&self) -> bool {
        self.findings.iter().any(|(s, _)| *s == Severity::Error)
    }
}

/// The table. `vendor_column` names the vendor column (`None`: no such column).
#[component]
pub fn CertTable(
    /// The table's accessible name.
    #[prop(into)]
    label: String,
    #[prop(into)] rows: Signal<Vec<CertRow>>,
    #[prop(optional, into)] vendor_column: Option<&'static str>,
    /// The keys of the selected rows: with it, each row gets a "Select {name}" checkbox.
    #[prop(optional)]
    select: Option<RwSignal<Vec<String>>>,
) -> impl IntoView {
    // Scrollable on a narrow screen: focusable and named, so a keyboard can scroll it.
    let region = format!("{label} (scrollable)");
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=region>
            <table aria-label=label class="cert-table">
                <thead><tr>
                    {select.map(|_| view! { <th scope="col">"Select"</th> })}
                    <th scope="col">"Name"</th><th scope="col">"Issuer"</th><th scope="col">"Expires"</th><th scope="col">"Key"</th>
                    <th scope="col">"SHA-256"</th>
                    {vendor_column.map(|c| view! { <th scope="col">{c}</th> })}
                    <th scope="col">"Findings"</th>
                </tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|r| (r.key.clone(), r.name.clone(), r.vendor.clone(), r.findings.len()) let:r>
                        {row(r, vendor_column, select)}
                    </For>
                </tbody>
            </table>
        </div>
    }
}

fn row(r: CertRow, vendor_column: Option<&'static str>, select: Option<RwSignal<Vec<String>>>) -> impl IntoView {
    let has_error = r.has_error();
    let check = select.map(|selected| {
        let key = r.key.clone();
        let for_change = key.clone();
        view! {
            <td data-label="Select"><input type="checkbox" aria-label=format!("Select {}", r.name)
                prop:checked=move || selected.with(|s| s.contains(&key))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    selected.update(|s| {
                        s.retain(|k| k != &for_change);
                        if on { s.push(for_change.clone()); }
                    });
                }/></td>
        }
    });
    let sub = (r.name != r.subject).then(|| view! { <div class="sub">{r.subject.clone()}</div> });
    let name = match r.href {
        Some(href) => view! { <super::router::Link href=href>{r.name}</super::router::Link> }.into_any(),
        None => r.name.into_any(),
    };
    view! {
        <tr class:row-error=has_error data-key=r.key>
            {check}
            <td data-label="Name">{name}{sub}</td>
            <td data-label="Issuer">{r.issuer}</td>
            <td data-label="Expires">{r.expires}</td>
            <td data-label="Key">{r.key_algorithm}</td>
            <td data-label="SHA-256" class="mono">{r.sha256}</td>
            {vendor_column.map(|c| view! { <td data-label=c>{r.vendor}</td> })}
            <td data-label="Findings" class="findings"><ul>
                {r.findings.into_iter().map(|(s, t)| view! { <li class=s.label()>{format!("{}: {t}", s.label())}</li> }).collect_view()}
            </ul></td>
        </tr>
    }
}
