//! The Inspect page: load certificates (paste, file picker, drag-and-drop), see them in the app's
//! one certificate table ([`CertTable`], windowed from a few hundred rows, its rows built only when
//! shown), open any one in the detail view, and use the bundle tools.
//!
//! Inputs over [`WORKER_THRESHOLD`] bytes are parsed in a Web Worker ([`crate::parse_worker`]):
//! the page only decodes and appends the parts it posts, with progress and a Cancel button that
//! terminates the worker. Smaller inputs (and any input if the worker cannot start) are parsed
//! here in main-thread slices of at most [`SLICE_MS`].

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser;
use super::certtable::{CertRow, CertRows, CertTable, Severity};
use super::detail::{CertificateDetail, CrlList, CsrList};
use crate::pki::{self, Bundle, CertificateInfo, Parser, Problem};

/// Longest main-thread slice while parsing, in milliseconds.
const SLICE_MS: f64 = 12.0;
/// Inputs (all files of one drop or pick together, or the pasted text) over this many bytes are
/// parsed in the worker. 1 MiB is about 500 certificates, 25 ms of parsing here.
const WORKER_THRESHOLD: f64 = 1_048_576.0;
/// The parsing worker's loader, written by Trunk beside the app (`parse-worker` in index.html).
const PARSE_WORKER_URL: &str = "/parse-worker_loader.js";

thread_local! {
    /// The worker parse in flight, if any (dropping it terminates the worker).
    static JOB: std::cell::RefCell<Option<crate::parse_worker::Job>> = const { std::cell::RefCell::new(None) };
}

/// Ends the worker parse in flight, if any; whether there was one.
fn stop_job() -> bool {
    JOB.with(|j| j.borrow_mut().take()).is_some()
}

/// Progress of a load in flight.
#[derive(Clone, Debug, PartialEq)]
struct Progress {
    file: String,
    fraction: f64,
    loaded: usize,
}

/// All state of the page, shared with child components as one `Copy` value.
#[derive(Clone, Copy)]
pub struct InspectState {
    certs: RwSignal<Vec<CertificateInfo>>,
    crls: RwSignal<Vec<pki::CrlInfo>>,
    csrs: RwSignal<Vec<pki::CsrInfo>>,
    problems: RwSignal<Vec<Problem>>,
    notes: RwSignal<Vec<String>>,
    selected: RwSignal<Option<usize>>,
    progress: RwSignal<Option<Progress>>,
    cancel: RwSignal<bool>,
    status: RwSignal<String>,
}

impl InspectState {
    fn new() -> Self {
        InspectState {
            certs: RwSignal::new(Vec::new()),
            crls: RwSignal::new(Vec::new()),
            csrs: RwSignal::new(Vec::new()),
            problems: RwSignal::new(Vec::new()),
            notes: RwSignal::new(Vec::new()),
            selected: RwSignal::new(None),
            progress: RwSignal::new(None),
            cancel: RwSignal::new(false),
            status: RwSignal::new(String::new()),
        }
    }

    /// Moves a slice's results into the signals, renumbering to continue after what is loaded.
    fn append(&self, part: Bundle) {
        append_renumbered(self.certs, part.certificates, |c, i| c.index = i);
        append_renumbered(self.crls, part.crls, |c, i| c.index = i);
        append_renumbered(self.csrs, part.csrs, |c, i| c.index = i);
        append_renumbered(self.problems, part.problems, |_, _| {});
    }

    /// Parses the inputs one after another, in main-thread slices of at most [`SLICE_MS`],
    /// updating the progress bar and honouring the cancel button.
    async fn load(self, inputs: Vec<(String, Rc<Vec<u8>>)>) {
        self.cancel.set(false);
        let started = browser::now_ms();
        let before = self.certs.with_untracked(Vec::len);
        for (name, bytes) in inputs {
            self.progress.set(Some(Progress { file: name.clone(), fraction: 0.0, loaded: 0 }));
            // Let the progress bar paint before the first slice.
            gloo_timers::future::TimeoutFuture::new(0).await;
            let mut parser = Parser::new(&bytes, &name);
            loop {
                let started = browser::now_ms();
                let mut part = Bundle::default();
                let mut done = false;
                while !done && browser::now_ms() - started < SLICE_MS {
                    done = parser.step(32, &mut part);
                }
                self.append(part);
                let loaded = self.certs.with_untracked(Vec::len) - before;
                self.progress.set(Some(Progress { file: name.clone(), fraction: parser.progress(), loaded }));
                if done {
                    break;
                }
                gloo_timers::future::TimeoutFuture::new(0).await;
                if self.cancel.get_untracked() {
                    self.progress.set(None);
                    self.status.set(format!("Cancelled: {loaded} certificates from {name} were loaded before stopping."));
                    return;
                }
            }
        }
        self.finish_load(before, started);
    }

    /// Parses `inputs` (`[name, File or string]`) in the parsing worker; `false` when the
    /// worker cannot start (the caller then parses here).
    fn start_in_worker(self, inputs: Vec<(String, wasm_bindgen::JsValue)>) -> bool {
        use crate::parse_worker::{Job, Message};
        if self.progress.get_untracked().is_some() {
            self.status.set("A load is already running; cancel it or wait for it to finish.".into());
            return true;
        }
        self.cancel.set(false);
        let started = browser::now_ms();
        let before = self.certs.with_untracked(Vec::len);
        let first = inputs.first().map(|(n, _)| n.clone()).unwrap_or_default();
        self.progress.set(Some(Progress { file: first, fraction: 0.0, loaded: 0 }));
        let finish = move || {
            // Not from inside the worker's own callback: drop the job once it has returned.
            spawn_local(async {
                stop_job();
            });
        };
        let on_message = move |message: Message| match message {
            Message::Part(part) => {
                let (file, fraction) = (part.file.clone(), part.fraction);
                match part.into_bundle() {
                    Ok(bundle) => self.append(bundle),
                    Err(message) => self.problems.update(|p| p.push(Problem { source: file.clone(), block: 0, line: 0, message })),
                }
                let loaded = self.certs.with_untracked(Vec::len) - before;
                self.progress.set(Some(Progress { file, fraction, loaded }));
            }
            Message::Done => {
                finish();
                self.finish_load(before, started);
            }
            Message::Failed(message) => {
                finish();
                let loaded = self.certs.with_untracked(Vec::len) - before;
                self.progress.set(None);
                self.status.set(format!("Loading stopped: {message}. {} were loaded before.", plural(loaded, "certificate")));
            }
        };
        match Job::start(PARSE_WORKER_URL, inputs, on_message) {
            Ok(job) => {
                JOB.with(|j| *j.borrow_mut() = Some(job));
                true
            }
            Err(_) => {
                self.progress.set(None);
                false
            }
        }
    }

    /// The Cancel button: stops the worker at once (or the main-thread loop at its next slice).
    fn request_cancel(self) {
        self.cancel.set(true);
        if stop_job() {
            let (file, loaded) = self.progress.get_untracked().map(|p| (p.file, p.loaded)).unwrap_or_default();
            self.progress.set(None);
            self.status.set(format!("Cancelled: {loaded} certificates from {file} were loaded before stopping."));
        }
    }

    /// The status line and selection after a load that ran to its end.
    fn finish_load(self, before: usize, started: f64) {
        let loaded = self.certs.with_untracked(Vec::len) - before;
        let problems = self.problems.with_untracked(Vec::len);
        let (crls, csrs) = (self.crls.with_untracked(Vec::len), self.csrs.with_untracked(Vec::len));
        self.progress.set(None);
        let mut parts = vec![plural(loaded, "certificate")];
        if crls > 0 {
            parts.push(plural(crls, "CRL"));
        }
        if csrs > 0 {
            parts.push(plural(csrs, "CSR"));
        }
        self.status.set(format!(
            "Loaded {} in {:.1} s; {} in total.",
            parts.join(", "),
            (browser::now_ms() - started) / 1000.0,
            plural(problems, "problem")
        ));
        if self.selected.get_untracked().is_none() && loaded > 0 {
            self.selected.set(Some(before));
        }
    }

    fn start(self, inputs: Vec<(String, Rc<Vec<u8>>)>) {
        if self.progress.get_untracked().is_some() {
            self.status.set("A load is already running; cancel it or wait for it to finish.".into());
            return;
        }
        spawn_local(self.load(inputs));
    }

    fn load_files(self, files: Vec<web_sys::File>) {
        if files.is_empty() {
            return;
        }
        // Big inputs go to the worker as they are (a File is handed over, not copied).
        let total: f64 = files.iter().map(|f| f.size()).sum();
        if total > WORKER_THRESHOLD && self.start_in_worker(files.iter().map(|f| (f.name(), f.clone().into())).collect()) {
            return;
        }
        spawn_local(async move {
            let mut inputs = Vec::new();
            for f in files {
                match browser::read_file(&f).await {
                    Ok(bytes) => inputs.push((f.name(), Rc::new(bytes))),
                    Err(message) => self.problems.update(|p| {
                        p.push(Problem { source: f.name(), block: 0, line: 0, message });
                    }),
                }
            }
            self.start(inputs);
        });
    }

    fn clear(&self) {
        self.certs.set(Vec::new());
        self.crls.set(Vec::new());
        self.csrs.set(Vec::new());
        self.problems.set(Vec::new());
        self.notes.set(Vec::new());
        self.selected.set(None);
        self.status.set("Cleared.".into());
    }

    fn remove_duplicates(&self) {
        let removed = self.certs.try_update(|v| {
            let keep = pki::dedupe(v);
            let removed = v.len() - keep.len();
            let kept: Vec<CertificateInfo> = keep.into_iter().map(|i| v[i].clone()).collect();
            *v = renumber(kept);
            removed
        });
        self.selected.set(None);
        self.status.set(format!("Removed {} duplicate certificate(s).", removed.unwrap_or(0)));
    }

    fn order_chain(&self) {
        let notes = self.certs.try_update(|v| {
            let order = pki::order_chain(v);
            let ordered: Vec<CertificateInfo> = order.order.iter().map(|&i| v[i].clone()).collect();
            *v = renumber(ordered);
            let mut notes = vec![format!("The chain has {} certificate(s), leaf first.", order.chain_len)];
            notes.extend(order.notes);
            notes
        });
        self.selected.set(None);
        self.notes.set(notes.unwrap_or_default());
        self.status.set("Ordered as a chain.".into());
    }

    fn pem(&self) -> String {
        self.certs.with_untracked(|v| pki::export_pem(v.iter()))
    }
}

/// Appends `items` to a list signal (without notifying when there are none), numbering each
/// after the ones already there.
fn append_renumbered<T: Send + Sync + 'static>(list: RwSignal<Vec<T>>, items: Vec<T>, set_index: impl Fn(&mut T, usize)) {
    if items.is_empty() {
        return;
    }
    list.update(|v| {
        for mut item in items {
            set_index(&mut item, v.len());
            v.push(item);
        }
    });
}

fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn renumber(mut v: Vec<CertificateInfo>) -> Vec<CertificateInfo> {
    for (i, c) in v.iter_mut().enumerate() {
        c.index = i;
    }
    v
}

/// The Inspect page.
#[component]
pub fn InspectPage() -> impl IntoView {
    let state = InspectState::new();
    let pasted = RwSignal::new(String::new());
    let dragging = RwSignal::new(false);

    let load_paste = move |_| {
        let text = pasted.get_untracked();
        if text.trim().is_empty() {
            state.status.set("Nothing to load: paste PEM, base64 or text containing certificates first.".into());
            return;
        }
        if text.len() as f64 > WORKER_THRESHOLD && state.start_in_worker(vec![("pasted text".to_string(), text.as_str().into())]) {
            return;
        }
        state.start(vec![("pasted text".to_string(), Rc::new(text.into_bytes()))]);
    };
    let on_files = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let files = browser::files_of(input.files());
        input.set_value("");
        state.load_files(files);
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let files = browser::files_of(ev.data_transfer().and_then(|d| d.files()));
        state.load_files(files);
    };
    let export = move |_| {
        let pem = state.pem();
        if pem.is_empty() {
            state.status.set("Nothing to export.".into());
        } else if let Err(e) = browser::download("certificates.pem", "application/x-pem-file", &pem) {
            state.status.set(format!("Export failed: {e}"));
        }
    };
    let copy_pem = move |_| {
        let pem = state.pem();
        spawn_local(async move {
            let ok = browser::copy_text(&pem).await;
            state.status.set(if ok { "PEM copied to the clipboard.".into() } else { "Copying was refused by the browser.".into() });
        });
    };
    let has_certs = move || state.certs.with(|v| !v.is_empty());
    let missing = follow_url(state);

    view! {
        <section class="load" aria-labelledby="load-heading">
            <h2 id="load-heading">"Inspect certificates"</h2>
            <div
                class="dropzone"
                class:dragging=move || dragging.get()
                role="region"
                aria-label="Drop files here"
                data-testid="dropzone"
                on:dragover=move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <label for="paste">"Paste PEM bundles, base64 DER, PKCS#7, CRLs or CSRs"</label>
                <textarea
                    id="paste"
                    rows="6"
                    spellcheck="false"
                    placeholder="-----BEGIN CERTIFICATE-----"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                ></textarea>
                <div class="actions">
                    <button type="button" on:click=load_paste>"Load pasted text"</button>
                    <label class="file">
                        "Choose files"
                        <input type="file" multiple accept=".pem,.crt,.cer,.der,.p7b,.p7c,.crl,.csr,.req,.txt" on:change=on_files/>
                    </label>
                    <span class="hint">"…or drop files anywhere in this box."</span>
                </div>
            </div>
            {move || state.progress.get().map(|p| view! {
                <div class="progress" role="status" aria-live="polite">
                    <label for="load-progress">{format!("Loading {} — {} certificates so far", p.file, p.loaded)}</label>
                    <progress id="load-progress" max="1" prop:value=p.fraction></progress>
                    <button type="button" on:click=move |_| state.request_cancel()>"Cancel loading"</button>
                </div>
            })}
            <p class="status" role="status" aria-live="polite" data-testid="status">{move || state.status.get()}</p>
        </section>

        <ProblemList problems=state.problems/>

        <section class="certs" aria-labelledby="certs-heading">
            <div class="toolbar">
                <h2 id="certs-heading">
                    "Certificates "
                    <span class="count" data-testid="cert-count">{move || state.certs.with(Vec::len)}</span>
                </h2>
                <div class="actions" role="group" aria-label="Bundle tools">
                    <button type="button" disabled=move || !has_certs() on:click=move |_| state.remove_duplicates()>"Remove duplicates"</button>
                    <button type="button" disabled=move || !has_certs() on:click=move |_| state.order_chain()>"Order as chain"</button>
                    <button type="button" disabled=move || !has_certs() on:click=export>"Export PEM"</button>
                    <button type="button" disabled=move || !has_certs() on:click=copy_pem>"Copy PEM"</button>
                    <button type="button" on:click=move |_| state.clear()>"Clear"</button>
                </div>
            </div>
            <ul class="notes" aria-label="Chain notes">
                {move || state.notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
            <LoadedCertificates state=state/>
        </section>

        {move || missing.get().map(|n| view! {
            <p class="empty" role="status" data-testid="url-missing">{format!(
                "Certificate {n} is not loaded: nothing loaded stays after a reload. Load the bundle again to see it."
            )}</p>
        })}
        {move || state.selected.get().and_then(|i| state.certs.with(|v| v.get(i).cloned())).map(|c| view! {
            <CertificateDetail cert=c/>
        })}
        <CrlList crls=state.crls/>
        <CsrList csrs=state.csrs/>
    }
}

/// Problems found while loading, each with its position.
#[component]
fn ProblemList(problems: RwSignal<Vec<Problem>>) -> impl IntoView {
    view! {
        <Show when=move || problems.with(|p| !p.is_empty())>
            <section class="problems" aria-labelledby="problems-heading">
                <h2 id="problems-heading">"Problems"</h2>
                <ul aria-label="Problems">
                    {move || problems.get().into_iter().map(|p| view! {
                        <li><strong>{p.source}</strong>": "{p.message}</li>
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

/// Inspect's certificates in the shared [`CertTable`]: the role as its vendor column, the parse
/// warnings as findings, and a row's button (or a click on the row) selects it for the detail
/// view. Rows are built only when shown, so 30,000 certificates cost no more than 30.
#[component]
fn LoadedCertificates(state: InspectState) -> impl IntoView {
    let now = browser::now_unix();
    let source = CertRows::lazy(move || state.certs.with(Vec::len), move |i| state.certs.with(|v| v.get(i).map(|c| row_of(c, now))));
    let open = Callback::new(move |key: String| {
        if let Ok(i) = key.parse::<usize>() {
            state.selected.set(Some(i));
        }
    });
    let current = Signal::derive(move || state.selected.get().map(|i| i.to_string()));
    view! { <CertTable label="Loaded certificates" source=source vendor_column="Role" open=open current=current/> }
}

/// The table row of a loaded certificate (keyed by its index).
fn row_of(c: &CertificateInfo, now: i64) -> CertRow {
    let mut row = CertRow::of(c.index.to_string(), &display_name(c), c, now);
    row.vendor = c.role.as_str().to_owned();
    row.findings = c.warnings.iter().map(|w| (Severity::Warning, w.clone())).collect();
    row
}

/// The CN if there is one, else the whole subject DN.
pub fn display_name(c: &CertificateInfo) -> String {
    c.subject.iter().rev().find(|a| a.attribute == "CN").map(|a| a.value.clone()).unwrap_or_else(|| {
        if c.subject_dn.is_empty() {
            "(empty subject)".into()
        } else {
            c.subject_dn.clone()
        }
    })
}

/// `/inspect/certificates/{n}` (1-based) is the detail of certificate n: the URL selects it once
/// it is loaded, and selecting one (a click, or the first after a load) goes to its URL, so back
/// and forward move between details. `/inspect` alone shows no detail. Returns the number the
/// URL names while no such certificate is loaded (after a reload nothing is).
fn follow_url(state: InspectState) -> Memo<Option<usize>> {
    const PREFIX: &str = "/inspect";
    let router = super::router::use_router();
    let wanted = Memo::new(move |_| {
        router.segments_after(PREFIX).map(|s| match s.as_slice() {
            [c, n] if c == "certificates" => n.parse::<usize>().ok().filter(|n| *n > 0),
            _ => None,
        })
    });
    Effect::new(move |_| match wanted.get() {
        Some(Some(n)) if n <= state.certs.with(Vec::len) && state.selected.get_untracked() != Some(n - 1) => {
            state.selected.set(Some(n - 1))
        }
        Some(None) if state.selected.get_untracked().is_some() => state.selected.set(None),
        _ => {}
    });
    Effect::new(move |_| {
        if let Some(i) = state.selected.get() {
            if wanted.get_untracked().is_some_and(|w| w != Some(i + 1)) {
                router.navigate(&format!("{PREFIX}/certificates/{}", i + 1));
            }
        }
    });
    Memo::new(move |_| match wanted.get() {
        Some(Some(n)) if n > state.certs.with(Vec::len) && state.progress.with(Option::is_none) => Some(n),
        _ => None,
    })
}
