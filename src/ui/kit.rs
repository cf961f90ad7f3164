//! The shared UI kit every vendor page uses, so the pages differ only in their vendor's fields:
//!
//! - [`Failure`] + [`FailurePanel`]: any [`vendors::error::Error`](crate::vendors::error::Error)
//!   as the vendor's message, its details (each mapped to a form field or a row where the vendor
//!   names one), the request id and the rate-limit state;
//! - [`Busy`] + [`BusyBar`]: one operation at a time, its status line, and **Cancel** (the result
//!   of a cancelled operation is dropped; the request may still complete at the vendor);
//! - [`ConnectForm`]: credential fields held in memory only, with **Forget**;
//! - [`FieldNote`]: the error message shown under one form field (`aria-describedby`);
//! - [`PemInput`]: a certificate drop zone: paste, pick a file or drop one.
//!
//! Certificate tables are [`super::certtable::CertTable`]. Everything rendered here is text.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser;
use crate::vendors::error::Error;

/// What went wrong, ready to show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Failure {
    /// One line: what failed.
    pub message: String,
    /// Further lines (the vendor's details that name no field).
    pub details: Vec<String>,
    /// `(field, message)`: details the vendor tied to a request field (`param`, `fieldPath`, …).
    pub fields: Vec<(String, String)>,
    /// The vendor's request id header, when it sent one.
    pub request_id: Option<String>,
    /// The rate-limit state after the call, as text.
    pub rate_limit: Option<String>,
}

impl Failure {
    /// A failure that is only a message.
    pub fn just(message: impl Into<String>) -> Failure {
        Failure { message: message.into(), ..Failure::default() }
    }

    /// A client error as the page shows it: the vendor's message, details mapped to fields, the
    /// request id and the rate limit. Never holds a credential ([`Error`] carries none).
    pub fn from_error(e: &Error) -> Failure {
        let mut f = Failure::just(e.to_string());
        match e {
            Error::Invalid { field, message } => f.fields.push((field.clone(), message.clone())),
            _ => {
                if let Some(api) = e.api() {
                    for (field, message) in api.body.field_errors() {
                        match field {
                            Some(field) if !field.is_empty() => f.fields.push((field, message)),
                            _ => f.details.push(message),
                        }
                    }
                    f.request_id = api.request_id.clone();
                    f.rate_limit = api.rate_limit.as_ref().map(|r| {
                        format!(
                            "Rate limit: {} of {} requests left{}.",
                            r.remaining.map_or("?".into(), |n| n.to_string()),
                            r.limit.map_or("?".into(), |n| n.to_string()),
                            r.next.as_ref().map(|n| format!("; next allowed at {n}")).unwrap_or_default()
                        )
                    });
                }
            }
        }
        f
    }

    /// The message for `field`, if the failure names it.
    pub fn field(&self, field: &str) -> Option<String> {
        self.fields.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone())
    }
}

/// Shows a [`Failure`]: message, details, field messages (also shown on the fields themselves by
/// [`FieldNote`]), request id and rate limit. `role="alert"`, so screen readers announce it.
#[component]
pub fn FailurePanel(failure: RwSignal<Option<Failure>>, #[prop(into)] testid: String) -> impl IntoView {
    move || {
        failure.get().map(|f| {
            view! {
                <div role="alert" class="failure" data-testid=testid.clone()>
                    <p class="message">{f.message}</p>
                    <ul>
                        {f.details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                        {f.fields.into_iter().map(|(field, m)| view! { <li><code>{field}</code>": " {m}</li> }).collect_view()}
                    </ul>
                    {f.request_id.map(|id| view! { <p class="request-id">"Request id: " <code>{id}</code></p> })}
                    {f.rate_limit.map(|r| view! { <p class="rate-limit">{r}</p> })}
                </div>
            }
        })
    }
}

/// The message under one form field, from a map of field errors (local rule findings or the
/// vendor's). Give the field `aria-describedby` = `id`.
#[component]
pub fn FieldNote(#[prop(into)] id: String, #[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <span id=id class="field-note" role="note" class:hidden=move || message.with(Option::is_none)>{move || message.get()}</span>
    }
}

/// One operation at a time, with a status line and cancel.
#[derive(Clone, Copy)]
pub struct Busy {
    /// Whether an operation runs.
    pub running: RwSignal<bool>,
    /// The status line ("Listing certificates…", "Listed 12 certificates.").
    pub status: RwSignal<String>,
    /// What failed last.
    pub failure: RwSignal<Option<Failure>>,
    generation: RwSignal<u64>,
}

impl Busy {
    /// An idle state.
    pub fn new() -> Busy {
        Busy {
            running: RwSignal::new(false),
            status: RwSignal::new(String::new()),
            failure: RwSignal::new(None),
            generation: RwSignal::new(0),
        }
    }

    /// Runs `work`: shows `doing…`, then its `Ok` text or its failure. A cancelled run's result is
    /// dropped (the page is no longer waiting for it).
    pub fn run<Fut>(self, doing: impl Into<String>, work: Fut)
    where
        Fut: Future<Output = Result<String, Failure>> + 'static,
    {
        let doing = doing.into();
        let generation = self.generation.get_untracked() + 1;
        self.generation.set(generation);
        self.running.set(true);
        self.failure.set(None);
        self.status.set(format!("{doing}…"));
        spawn_local(async move {
            let result = work.await;
            if self.generation.get_untracked() != generation {
                return;
            }
            self.running.set(false);
            match result {
                Ok(done) => self.status.set(done),
                Err(f) => {
                    self.status.set(format!("{doing} failed."));
                    self.failure.set(Some(f));
                }
            }
        });
    }

    /// Stops waiting for the running operation.
    pub fn cancel(self) {
        if self.running.get_untracked() {
            self.generation.update(|g| *g += 1);
            self.running.set(false);
            self.status.set("Cancelled. A request already sent may still complete at the vendor; reload the list to see.".into());
        }
    }

    /// Shows `f` as the failure (a local check that refused to send).
    pub fn fail(self, f: Failure) {
        self.status.set(String::new());
        self.failure.set(Some(f));
    }
}

impl Default for Busy {
    fn default() -> Busy {
        Busy::new()
    }
}

/// The status line of a [`Busy`] with its Cancel button, and its failure panel.
#[component]
pub fn BusyBar(busy: Busy, #[prop(into)] testid: String) -> impl IntoView {
    let failure_id = format!("{testid}-failure");
    view! {
        <div class="busy-bar">
            <p role="status" class="status" data-testid=format!("{testid}-status") aria-busy=move || busy.running.get().to_string()>
                {move || busy.status.get()}
            </p>
            {move || busy.running.get().then(|| view! { <button type="button" on:click=move |_| busy.cancel()>"Cancel"</button> })}
        </div>
        <FailurePanel failure=busy.failure testid=failure_id/>
    }
}

/// One field of a [`ConnectForm`].
#[derive(Clone)]
pub struct CredentialField {
    /// The visible label.
    pub label: &'static str,
    /// Its key in the values handed to `on_connect`.
    pub key: &'static str,
    /// `"text"`, `"password"`, `"url"`, or `"textarea"`: a multi-line secret (an `.edgerc`
    /// section, a PEM key), cleared after connecting like a password.
    pub kind: &'static str,
    /// The initial value (never a secret).
    pub initial: String,
    /// A hint under the field.
    pub hint: Option<&'static str>,
    /// The label of a file picker that loads a file's text into the field (`None`: no picker).
    pub file: Option<&'static str>,
}

impl CredentialField {
    /// A field with no initial value and no hint.
    pub fn new(label: &'static str, key: &'static str, kind: &'static str) -> CredentialField {
        CredentialField { label, key, kind, initial: String::new(), hint: None, file: None }
    }

    /// The same field with a file picker labelled `label` that loads a file's text into it.
    pub fn with_file(mut self, label: &'static str) -> CredentialField {
        self.file = Some(label);
        self
    }

    /// Whether the field holds a secret (cleared once handed over).
    pub fn is_secret(&self) -> bool {
        matches!(self.kind, "password" | "textarea")
    }

    /// The same field with an initial value.
    pub fn with_initial(mut self, initial: impl Into<String>) -> CredentialField {
        self.initial = initial.into();
        self
    }

    /// The same field with a hint.
    pub fn with_hint(mut self, hint: &'static str) -> CredentialField {
        self.hint = Some(hint);
        self
    }
}

/// Credential values handed to a connect callback, by [`CredentialField::key`]. `Debug` shows keys only.
pub struct Credentials(Vec<(&'static str, String)>);

impl Credentials {
    /// The value of `key` (trimmed), empty if absent.
    pub fn get(&self, key: &str) -> &str {
        self.0.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v.trim())
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.iter().map(|(k, _)| k)).finish()
    }
}

/// A connect form. The values go to `on_connect` (which builds a client holding them in memory)
/// and the secret fields are cleared at once; nothing is stored. While `connected` is `Some`, the
/// form gives way to "Connected to …" and a **Forget** button that calls `on_forget`.
#[component]
pub fn ConnectForm(
    /// The form's accessible name, e.g. "Connect to OpenAI".
    #[prop(into)]
    title: String,
    fields: Vec<CredentialField>,
    /// What connecting means for custody, shown under the form.
    #[prop(into)]
    note: String,
    /// What the page is connected to (`None`: show the form).
    connected: RwSignal<Option<String>>,
    /// Builds the client. `Err` is shown under the form.
    on_connect: impl Fn(Credentials) -> Result<(), String> + 'static,
    /// Drops the client and its credentials.
    on_forget: impl Fn() + 'static,
) -> impl IntoView {
    let values: Vec<(CredentialField, RwSignal<String>)> =
        fields.into_iter().map(|f| (f.clone(), RwSignal::new(f.initial.clone()))).collect();
    let error = RwSignal::new(None::<String>);
    let stored = StoredValue::new_local(values);
    let on_connect = StoredValue::new_local(on_connect);
    let on_forget = StoredValue::new_local(on_forget);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let creds = Credentials(stored.with_value(|v| v.iter().map(|(f, s)| (f.key, s.get_untracked())).collect()));
        match on_connect.with_value(|f| f(creds)) {
            Ok(()) => {
                error.set(None);
                stored.with_value(|v| v.iter().filter(|(f, _)| f.is_secret()).for_each(|(_, s)| s.set(String::new())));
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let title = StoredValue::new(title);
    let note = StoredValue::new(note);
    move || {
        match connected.get() {
        Some(to) => view! {
            <p class="connected">{format!("Connected to {to}.")} " "
                <button type="button" on:click=move |_| on_forget.with_value(|f| f())>"Forget the credentials"</button>
            </p>
        }
        .into_any(),
        None => view! {
            <form class="connect" aria-label=title.get_value() on:submit=submit>
                {stored.with_value(|v| v.iter().map(|(f, s)| {
                    let s = *s;
                    let input = if f.kind == "textarea" {
                        view! {
                            <textarea rows="5" autocomplete="off" spellcheck="false" prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev))></textarea>
                        }.into_any()
                    } else {
                        view! {
                            <input type=f.kind autocomplete="off" spellcheck="false" prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev))/>
                        }.into_any()
                    };
                    let file = f.file.map(|label| view! {
                        <label>{label}
                            <input type="file" on:change=move |ev| {
                                let input: web_sys::HtmlInputElement = event_target(&ev);
                                if let Some(file) = browser::files_of(input.files()).into_iter().next() {
                                    spawn_local(async move {
                                        match browser::read_file(&file).await {
                                            Ok(bytes) => s.set(String::from_utf8_lossy(&bytes).into_owned()),
                                            Err(e) => error.set(Some(e)),
                                        }
                                    });
                                }
                            }/>
                        </label>
                    });
                    view! {
                        <label>{f.label} {input}</label>
                        {file}
                        {f.hint.map(|h| view! { <span class="hint">{h}</span> })}
                    }
                }).collect_view())}
                <button type="submit">"Connect"</button>
                <p class="hint">{note.get_value()}</p>
                {move || error.get().map(|e| view! { <p role="alert" class="failure">{e}</p> })}
            </form>
        }
        .into_any(),
    }
    }
}

/// A certificate drop zone: a text box for PEM, a file picker and drop. Files are read as text
/// when they are text, and as base64 PEM (`CERTIFICATE`) when they are DER.
#[component]
pub fn PemInput(
    /// The visible label of the text box.
    #[prop(into)]
    label: String,
    /// The text (edited in place).
    value: RwSignal<String>,
    /// `aria-describedby` for the text box (its [`FieldNote`]).
    #[prop(optional, into)]
    describedby: Option<String>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let load = move |files: Vec<web_sys::File>| {
        if let Some(file) = files.into_iter().next() {
            spawn_local(async move {
                match browser::read_file(&file).await {
                    Ok(bytes) => {
                        failure.set(None);
                        value.set(pem_text(&bytes));
                    }
                    Err(e) => failure.set(Some(e)),
                }
            });
        }
    };
    view! {
        <div class="pem-input" class:dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                load(browser::files_of(ev.data_transfer().and_then(|d| d.files())));
            }>
            <label>{label.clone()}
                <textarea rows="6" spellcheck="false" autocomplete="off" aria-describedby=describedby prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            </label>
            <label class="file">{format!("{label}: load a file")}
                <input type="file" accept=".pem,.crt,.cer,.der,.txt" on:change=move |ev| {
                    let input: web_sys::HtmlInputElement = event_target(&ev);
                    load(browser::files_of(input.files()));
                }/>
            </label>
            <span class="hint">"…or drop a file here."</span>
            {move || failure.get().map(|e| view! { <p role="alert" class="failure">{e}</p> })}
        </div>
    }
}

/// A file's bytes as PEM text: text stays as it is, DER becomes one `CERTIFICATE` block.
fn pem_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if bytes.first().is_none_or(|b| *b != 0x30) => text.to_owned(),
        _ => crate::pki::pem::encode("CERTIFICATE", bytes),
    }
}
