//! The one certificate table of the app, used by Inspect and by every vendor page: a row per
//! certificate with the facts computed here (subject, issuer, expiry and state, key, SHA-256), an
//! optional vendor column (status, active scopes, ids; Inspect's is the role) and the findings
//! (rule packs, fingerprint checks, Inspect's parse warnings) on the row they concern.
//!
//! - Rows are built from [`CertificateInfo`] by [`CertRow::of`]. A table takes them as a list
//!   (`rows`) or, for tens of thousands of certificates, as [`CertRows::lazy`]: a count and a
//!   function that builds row `i` only when it is rendered.
//! - Windowed from [`window::WINDOW_FROM`] rows: only the rows in view are in the DOM (see
//!   [`window`]); below that every row is rendered and wraps, and on a narrow screen each cell
//!   shows its column name (`data-label`, see `style/main.css`).
//! - With `select`, rows get checkboxes that keep the selected rows' keys (in the order they were
//!   picked). A row's name links to its `href`; with `open` instead, the name is a button
//!   "Show details of certificate {n}" (and a click on the row does the same) handing the row's
//!   key to the page, which marks the row it shows with `current`.
//! - Everything from a certificate or a vendor is rendered as text.

use leptos::prelude::*;

pub mod window;

use window::{Window, VIEWPORT_HEIGHT};

use crate::pki::CertificateInfo;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CertRow {
    /// Stable key (an id, or the index as text).
    pub key: String,
    /// Name shown first (the vendor's name for it, or the subject).
    pub name: String,
    pub subject: String,
    pub issuer: String,
    /// `2027-01-01 (in 31 days)`.
    pub expires: String,
    /// The expiry cell's class: `ok`, `warn` (not yet valid, or under 30 days left), `bad`
    /// (expired), or empty when unknown.
    pub expiry_class: &'static str,
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
        let (state, expiry_class) = if cert.expires_unix < now {
            ("expired".to_owned(), "bad")
        } else if cert.valid_from_unix > now {
            ("not yet valid".to_owned(), "warn")
        } else {
            (format!("in {days} days"), if days < 30 { "warn" } else { "ok" })
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
            expiry_class,
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

/// Where a table's rows come from: a count and row `i` on demand. Both are read inside the
/// table's reactive closures, so the signals they read are tracked.
#[derive(Clone, Copy)]
pub struct CertRows {
    len: Signal<usize>,
    at: Callback<usize, Option<CertRow>>,
}

impl CertRows {
    /// Rows built only when rendered: `len()` rows, row `i` being `at(i)`. For big lists (Inspect's
    /// 30,000 certificates) where building every row up front would cost more than showing them.
    pub fn lazy(
        len: impl Fn() -> usize + Send + Sync + 'static,
        at: impl Fn(usize) -> Option<CertRow> + Send + Sync + 'static,
    ) -> CertRows {
        CertRows { len: Signal::derive(len), at: Callback::new(at) }
    }

    /// The rows of a list.
    pub fn list(rows: Signal<Vec<CertRow>>) -> CertRows {
        CertRows::lazy(move || rows.with(Vec::len), move |i| rows.with(|v| v.get(i).cloned()))
    }
}

/// What every row of one table shares.
#[derive(Clone, Copy)]
struct RowOptions {
    vendor_column: Option<&'static str>,
    select: Option<RwSignal<Vec<String>>>,
    open: Option<Callback<String>>,
    current: Option<Signal<Option<String>>>,
    windowed: Memo<bool>,
}

/// The table. `vendor_column` names the vendor column (`None`: no such column). Give the rows as
/// `rows` (a list) or `source` ([`CertRows::lazy`]).
#[component]
pub fn CertTable(
    /// The table's accessible name.
    #[prop(into)]
    label: String,
    /// The rows, as a list.
    #[prop(optional, into)]
    rows: Option<Signal<Vec<CertRow>>>,
    /// The rows, built when rendered (instead of `rows`).
    #[prop(optional)]
    source: Option<CertRows>,
    #[prop(optional, into)] vendor_column: Option<&'static str>,
    /// The keys of the selected rows: with it, each row gets a "Select {name}" checkbox.
    #[prop(optional)]
    select: Option<RwSignal<Vec<String>>>,
    /// Opens a row (by key): its name becomes a "Show details of certificate {n}" button.
    #[prop(optional)]
    open: Option<Callback<String>>,
    /// The key of the row whose details are shown (marked `aria-current`).
    #[prop(optional, into)]
    current: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let source = source.or(rows.map(CertRows::list)).unwrap_or_else(|| CertRows::lazy(|| 0, |_| None));
    let scroll_top = RwSignal::new(0.0f64);
    let win = Memo::new(move |_| Window::at(source.len.get(), scroll_top.get()));
    let windowed = Memo::new(move |_| win.get().windowed);
    let options = RowOptions { vendor_column, select, open, current, windowed };
    // Only the rows in the window, each keyed by its position and content: scrolling adds and
    // removes rows at the edges, and a row is rebuilt only when it changed.
    let each = move || {
        let w = win.get();
        (w.first..w.last).filter_map(|i| source.at.run(i).map(|r| (i, r))).collect::<Vec<_>>()
    };
    // Scrollable: focusable and named, so a keyboard can scroll it. Heights are set through
    // `style:` (the CSSOM), which the CSP allows, never a `style` attribute, which it refuses.
    let region = format!("{label} (scrollable)");
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=region
            style:height=move || windowed.get().then(|| format!("{VIEWPORT_HEIGHT}px"))
            on:scroll=move |ev| {
                let el: web_sys::HtmlElement = event_target(&ev);
                scroll_top.set(f64::from(el.scroll_top()));
            }
        >
            <table aria-label=label class="cert-table" class:windowed=move || windowed.get()
                aria-rowcount=move || windowed.get().then(|| (win.get().total + 1).to_string())>
                <thead><tr>
                    {select.map(|_| view! { <th scope="col">"Select"</th> })}
                    <th scope="col">"#"</th>
                    <th scope="col">"Name"</th><th scope="col">"Issuer"</th><th scope="col">"Expires"</th><th scope="col">"Key"</th>
                    <th scope="col">"SHA-256"</th>
                    {vendor_column.map(|c| view! { <th scope="col">{c}</th> })}
                    <th scope="col">"Findings"</th>
                </tr></thead>
                <tbody>
                    {move || windowed.get().then(|| view! {
                        <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", win.get().above_px())></tr>
                    })}
                    <For each=each key=|(i, r)| (*i, r.clone()) let((i, r))>
                        {row(i, r, options)}
                    </For>
                    {move || windowed.get().then(|| view! {
                        <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", win.get().below_px())></tr>
                    })}
                </tbody>
            </table>
        </div>
    }
}

fn row(i: usize, r: CertRow, o: RowOptions) -> impl IntoView {
    let has_error = r.has_error();
    let check = o.select.map(|selected| {
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
    let name = match (r.href, o.open) {
        (Some(href), _) => view! { <super::router::Link href=href>{r.name}</super::router::Link> }.into_any(),
        (None, Some(open)) => {
            let key = r.key.clone();
            view! {
                <button type="button" class="link" aria-label=format!("Show details of certificate {}", i + 1)
                    on:click=move |ev| {
                        // The row's own click handler would open it a second time.
                        ev.stop_propagation();
                        open.run(key.clone());
                    }>{r.name}</button>
            }
            .into_any()
        }
        (None, None) => r.name.into_any(),
    };
    let is_current = {
        let key = r.key.clone();
        move || o.current.is_some_and(|c| c.with(|c| c.as_ref() == Some(&key)))
    };
    let on_row_click = {
        let key = r.key.clone();
        move |_| {
            if let Some(open) = o.open {
                open.run(key.clone());
            }
        }
    };
    let is_current_too = is_current.clone();
    view! {
        <tr data-testid="cert-row" data-key=r.key class:row-error=has_error class:opens=o.open.is_some()
            class:selected=is_current aria-current=move || is_current_too().then_some("true")
            aria-rowindex=move || o.windowed.get().then(|| (i + 2).to_string())
            on:click=on_row_click>
            {check}
            <td data-label="#" class="num">{i + 1}</td>
            <td data-label="Name" class="name">{name}{sub}</td>
            <td data-label="Issuer">{r.issuer}</td>
            <td data-label="Expires" class=r.expiry_class>{r.expires}</td>
            <td data-label="Key">{r.key_algorithm}</td>
            <td data-label="SHA-256" class="mono">{r.sha256}</td>
            {o.vendor_column.map(|c| view! { <td data-label=c>{r.vendor}</td> })}
            <td data-label="Findings" class="findings"><ul>
                {r.findings.into_iter().map(|(s, t)| view! { <li class=s.label()>{format!("{}: {t}", s.label())}</li> }).collect_view()}
            </ul></td>
        </tr>
    }
}
