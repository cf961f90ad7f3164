//! What the JS vendor classes (`OpenAiClient`, `MattrClient`, `PingFederateClient`,
//! `SeguraClient`) share: the one mapping of a [`vendors::error::Error`](Error) onto a JS
//! `Error`, reading options objects, and running a client call as a `Promise`.
//!
//! A failed call rejects with an `Error` whose `message` is the Rust error's text (the vendor,
//! the status, the vendor's own message, the request id; or the field refused before sending)
//! and whose properties carry the parts (TypeScript: `VendorError`):
//! - `kind`: `api`, `rateLimited`, `transport`, `decode`, `invalid`, `auth` or `pollExhausted`;
//! - `status`: the HTTP status of a vendor answer;
//! - `code`: OpenAI's `code`, MATTR's `code`, PingFederate's `resultId`, Segura's error code,
//!   an OAuth `error`, Akamai's problem type;
//! - `param`: OpenAI's `param`; `field`: the field refused before sending (or the JSON path of
//!   an unexpected answer);
//! - `requestId`: the `x-request-id` (or similar) header;
//! - `details`: MATTR's `details`, PingFederate's `validationErrors`, a problem's `errors`;
//! - `fieldErrors`: those details as `{ field, message }`;
//! - `body`: the vendor's error body as parsed (an unparsed body only as redacted, shortened
//!   text).
//!
//! None of these ever holds a credential: the shared vendor layer keeps secrets out of its
//! errors, and nothing here adds a request header or body.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use super::to_js;
use crate::pki::FieldError;
use crate::vendors::error::{ErrorBody, MattrError, OpenAiError, PingApiResult};
use crate::vendors::paging::{AllPages, Stop};

pub use crate::vendors::error::Error;

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property of a fresh object cannot fail.
    let _ = js_sys::Reflect::set(target, &key.into(), value);
}

fn opt_str(v: Option<&str>) -> JsValue {
    v.map_or(JsValue::NULL, JsValue::from)
}

/// The JS `Error` a failed call rejects with (see the module docs); `fieldErrors` from the
/// body's field-level details ([`ErrorBody::field_errors`]).
pub fn vendor_error(e: &Error) -> JsValue {
    let field_errors: Vec<FieldError> = e
        .api()
        .map(|a| a.body.field_errors())
        .unwrap_or_default()
        .into_iter()
        .map(|(field, message)| FieldError { field: field.unwrap_or_default(), message })
        .collect();
    vendor_error_fields(e, field_errors)
}

/// [`vendor_error`] with the vendor's own mapping onto form fields (Segura's, whose body names
/// no field).
pub fn vendor_error_fields(e: &Error, field_errors: Vec<FieldError>) -> JsValue {
    let mut message = e.to_string();
    let listed: Vec<String> = field_errors
        .iter()
        .filter(|f| !f.field.is_empty() && !message.contains(&f.message))
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    if !listed.is_empty() {
        message.push_str(&format!(" ({})", listed.join("; ")));
    }
    let err: JsValue = js_sys::Error::new(&message).into();
    let kind = match e {
        Error::Transport(_) => "transport",
        Error::Api(_) => "api",
        Error::RateLimited(_) => "rateLimited",
        Error::Decode { .. } => "decode",
        Error::Invalid { .. } => "invalid",
        Error::Auth(_) => "auth",
        Error::PollExhausted { .. } => "pollExhausted",
    };
    set(&err, "kind", &kind.into());
    set(&err, "fieldErrors", &to_js(&field_errors));
    match e {
        Error::Invalid { field, .. } => set(&err, "field", &field.as_str().into()),
        Error::Decode { path, .. } => set(&err, "field", &path.as_str().into()),
        _ => {}
    }
    let Some(api) = e.api() else { return err };
    set(&err, "status", &api.status.into());
    set(&err, "requestId", &opt_str(api.request_id.as_deref()));
    let (code, param, details, body) = match &api.body {
        ErrorBody::OpenAi(o @ OpenAiError { code, param, .. }) => {
            // The body as OpenAI sends it: `{error: {message, type, param, code}}`.
            (opt_str(code.as_deref()), opt_str(param.as_deref()), JsValue::UNDEFINED, to_js(&serde_json::json!({ "error": o })))
        }
        ErrorBody::Mattr(m @ MattrError { code, details, .. }) => (opt_str(code.as_deref()), JsValue::NULL, to_js(details), to_js(m)),
        ErrorBody::PingFederate(r @ PingApiResult { result_id, validation_errors, .. }) => {
            (opt_str(result_id.as_deref()), JsValue::NULL, to_js(validation_errors), to_js(r))
        }
        ErrorBody::Segura(s) => {
            (s.error_code.map_or(JsValue::NULL, |c| JsValue::from(c as f64)), JsValue::NULL, JsValue::UNDEFINED, to_js(s))
        }
        ErrorBody::OAuth(o) => (JsValue::from(o.error.as_str()), JsValue::NULL, JsValue::UNDEFINED, to_js(o)),
        ErrorBody::Problem(p) => (JsValue::from(p.type_name()), JsValue::NULL, to_js(&p.errors), to_js(p)),
        ErrorBody::Text(t) => (JsValue::NULL, JsValue::NULL, JsValue::UNDEFINED, JsValue::from(t.as_str())),
        _ => (JsValue::NULL, JsValue::NULL, JsValue::UNDEFINED, JsValue::NULL),
    };
    set(&err, "code", &code);
    set(&err, "param", &param);
    if !details.is_undefined() {
        set(&err, "details", &details);
    }
    set(&err, "body", &body);
    err
}

/// `value` as `T`; `undefined` or `null` as `T::default()`. A value of the wrong shape is an
/// [`Error::Invalid`] on `field` (on `field.x` for a missing member `x`).
///
/// # Errors
/// As said.
pub fn options<T: DeserializeOwned + Default>(value: JsValue, field: &str) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    required(value, field)
}

/// `value` as `T` (see [`options`]); `undefined` is refused too.
///
/// # Errors
/// [`Error::Invalid`] on `field`.
pub fn required<T: DeserializeOwned>(value: JsValue, field: &str) -> Result<T, Error> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        let text = e.to_string();
        let text = text.strip_prefix("Error: ").unwrap_or(&text).to_owned();
        match text.strip_prefix("missing field `").and_then(|r| r.split_once('`')) {
            Some((member, _)) => Error::invalid(format!("{field}.{member}"), "required"),
            None => Error::invalid(field, text),
        }
    })
}

/// [`options`] / [`required`] for the validators: the problem as one [`FieldError`].
pub fn field_error(e: Error) -> Vec<FieldError> {
    match e {
        Error::Invalid { field, message } => vec![FieldError { field, message }],
        other => vec![FieldError { field: String::new(), message: other.to_string() }],
    }
}

/// `value` laid over `T::default()`: members left out take their default (an empty string, 0),
/// so the vendor's rules, not the decoder, report every missing required field on its own.
///
/// # Errors
/// [`Error::Invalid`] on `field` when `value` is not an object, or a member has the wrong type.
pub fn lenient<T: DeserializeOwned + Serialize + Default>(value: JsValue, field: &str) -> Result<T, Error> {
    if !value.is_object() {
        return Err(Error::invalid(field, "must be an object"));
    }
    let given: serde_json::Value = required(value, field)?;
    let mut merged = serde_json::to_value(T::default()).map_err(|e| Error::invalid(field, e.to_string()))?;
    if let (Some(m), Some(g)) = (merged.as_object_mut(), given.as_object()) {
        for (k, v) in g {
            if !v.is_null() {
                m.insert(k.clone(), v.clone());
            }
        }
    }
    serde_json::from_value(merged).map_err(|e| Error::invalid(field, e.to_string()))
}

/// A string member of an options object (`None` when absent or not a string).
pub fn text(options: &JsValue, key: &str) -> Option<String> {
    if !options.is_object() {
        return None;
    }
    js_sys::Reflect::get(options, &key.into()).ok().and_then(|v| v.as_string())
}

/// A non-empty string member, else [`Error::Invalid`] on `key` saying what it is (`what`).
///
/// # Errors
/// As said; the message never repeats the value.
pub fn text_required(options: &JsValue, key: &str, what: &str) -> Result<String, Error> {
    text(options, key).filter(|s| !s.trim().is_empty()).ok_or_else(|| Error::invalid(key, format!("required: {what}")))
}

/// An id argument: a non-empty string.
///
/// # Errors
/// [`Error::Invalid`] on `field`.
pub fn id_arg(value: &JsValue, field: &str) -> Result<String, Error> {
    value.as_string().filter(|s| !s.trim().is_empty()).ok_or_else(|| Error::invalid(field, "required: a non-empty string"))
}

/// Runs a client call as a `Promise`: resolves with its value, rejects with [`vendor_error`].
pub fn promise<F>(call: F) -> js_sys::Promise
where
    F: std::future::Future<Output = Result<JsValue, Error>> + 'static,
{
    wasm_bindgen_futures::future_to_promise(async move { call.await.map_err(|e| vendor_error(&e)) })
}

/// [`promise`], rejecting with [`vendor_error_fields`] and `fields(error)`.
pub fn promise_fields<F>(call: F, fields: fn(&Error) -> Vec<FieldError>) -> js_sys::Promise
where
    F: std::future::Future<Output = Result<JsValue, Error>> + 'static,
{
    wasm_bindgen_futures::future_to_promise(async move { call.await.map_err(|e| vendor_error_fields(&e, fields(&e))) })
}

/// `value` as a JS value (plain objects, camelCase as serde names them).
pub fn js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    Ok(to_js(value))
}

/// What "load all" resolves with: `{ items, pages, stopped }`.
pub fn all_pages_js<T: Serialize>(all: &AllPages<T>) -> Result<JsValue, Error> {
    #[derive(Serialize)]
    struct Out<'a, T> {
        items: &'a [T],
        pages: usize,
        stopped: Option<String>,
    }
    let stopped = all.stopped.as_ref().map(|s| match s {
        Stop::PageCap(n) => format!("stopped after {n} pages (the page cap); more remain"),
        Stop::RepeatedCursor(_) => "stopped: the vendor sent a page cursor already used".to_owned(),
    });
    js(&Out { items: &all.items, pages: all.pages, stopped })
}

/// The typings shared by the vendor classes.
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TS_VENDOR_TYPES: &'static str = r#"
/** How a vendor call failed: every JS vendor client rejects with this. `message` is readable and
 *  never holds a credential. */
export interface VendorError extends Error {
  kind: "api" | "rateLimited" | "transport" | "decode" | "invalid" | "auth" | "pollExhausted";
  /** The HTTP status of the vendor's answer (api, rateLimited). */
  status?: number;
  /** OpenAI / MATTR `code`, PingFederate `resultId`, Segura error code, OAuth `error`. */
  code?: string | number | null;
  /** OpenAI's `param`. */
  param?: string | null;
  /** The request id header of the answer. */
  requestId?: string | null;
  /** MATTR `details`, PingFederate `validationErrors`. */
  details?: unknown[];
  /** The vendor's error body, parsed (an unparsed body as redacted text). */
  body?: unknown;
  /** The field refused before sending (invalid), or the JSON path of an unexpected answer (decode). */
  field?: string;
  /** The vendor's field-level details as { field, message }. */
  fieldErrors: FieldError[];
}
/** What the "load all" methods resolve with. stopped: why the walk ended early, or null. */
export interface AllPages<T> { items: T[]; pages: number; stopped: string | null; }
"#;
