//! `SeguraClient`: Segura's (senhasegura) certificate requests from JS, over
//! [`crate::vendors::segura::client::Client`] and `globalThis.fetch` ([`super::fetch`]), and the
//! `checkSeguraRequest` validator.
//!
//! `new SeguraClient({ baseUrl, clientId, clientSecret, tokenStyle? })`: an A2A OAuth
//! client-credentials token from `{baseUrl}/iso/oauth2/token` (id and secret in the form body, or
//! as HTTP Basic with `tokenStyle: "basic"`), then Bearer; cached until shortly before it expires
//! and fetched once more after a 401. The client secret is kept inside the wasm object as a
//! [`Secret`](crate::vendors::redact::Secret): no getter returns it, `Debug` redacts it, and no
//! error message holds it. Every documented constraint is checked before sending. Every method
//! returns a `Promise`; failures reject with a `VendorError` ([`super::support`]) carrying
//! `status`, `code` (Segura's error code), and Segura's `{ status, message, error }` as `body`
//! (Portuguese keys read too).

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::fetch::{now_unix, FetchTransport};
use super::support::{all_pages_js, field_error, js, lenient, options, promise_fields, text, text_required, vendor_error, Error};
use super::to_js;
use crate::pki::FieldError;
use crate::vendors::paging::Cursor;
use crate::vendors::segura::client::{Client, TokenStyle, DEFAULT_LIMIT};
use crate::vendors::segura::models::{CertificateRequest, ListFilters, SignRequest};
use crate::vendors::segura::rules;

#[wasm_bindgen(typescript_custom_section)]
const TS_SEGURA_CLIENT: &'static str = r#"
/** new SeguraClient(options). tokenStyle: how the id and secret go to the token endpoint (default "form"). */
export interface SeguraClientOptions { baseUrl: string; clientId: string; clientSecret: string; tokenStyle?: "form" | "basic"; }
/** A create-or-modify request, Segura's own names. san defaults to [common_name]. */
export interface SeguraRequestFields {
  certificate_type: 1 | 2 | 3; domain_type: "SING" | "MULT" | "WILD"; organization: number; common_name: string;
  san?: string[]; tags?: string[]; encryption: "RSA" | "DSA"; encryption_key_size: 4096 | 2048 | 1024;
  certificate_algorithm: "SHA256" | "SHA384" | "SHA512"; validity: number; key_password?: string; senha_revogacao?: string;
  environments?: string[]; systems?: string[]; project?: string; external_ip?: string; hostname_ip?: string;
  responsible?: number; justification?: string; description?: string; [more: string]: unknown;
}
/** A value Segura sends as "7 - Signed": its number and label. */
export interface SeguraLabeled { number: number | null; label: string; }
/** A request as Segura lists it. */
export interface SeguraRequest { code_request: number | null; status_request: SeguraLabeled | null; common_name: string | null; san: string[] | null; [more: string]: unknown; }
/** List filters, Segura's names (lists go as CSV). */
export interface SeguraListFilters {
  code_request?: number; status_request?: number; type_certificate?: number; type_domain?: string; organization?: number;
  common_name?: string; san?: string[]; tags?: string[]; encryption?: string; encryption_key_size?: number;
  algorithm_certified?: string; validity?: number; environments?: string[]; systems?: string[]; design?: string;
  ip_external?: string; ip_hostname?: string; responsible?: number;
}
/** One page of listRequests; nextOffset is null on the last page. */
export interface SeguraRequestPage { requests: SeguraRequest[]; offset: number; limit: number; nextOffset: number | null; }
/** A request's status ("7 - Signed" as { number: 7, label: "Signed" }). */
export interface SeguraRequestStatus { request_code: number; status_request: SeguraLabeled; certificate_code: number | null; }
/** Sign (issue) a request: self_signed 1, or 0 with the ca code; reason required; itsm_code when governance demands it. */
export interface SeguraSignFields { self_signed: 0 | 1; ca?: number; reason: number; justification?: string; itsm_code?: string; }
"#;

/// The Segura certificate request client, for JS.
#[wasm_bindgen]
#[derive(Debug)]
pub struct SeguraClient {
    inner: Rc<Client<FetchTransport>>,
}

#[derive(Deserialize)]
#[serde(default)]
struct PageArgs {
    offset: u64,
    limit: u32,
}

impl Default for PageArgs {
    fn default() -> PageArgs {
        PageArgs { offset: 0, limit: DEFAULT_LIMIT }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct SignOptions {
    governance: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PageOut<T> {
    requests: Vec<T>,
    offset: u64,
    limit: u32,
    next_offset: Option<u64>,
}

/// Segura's answers on form fields ([`rules::api_field_errors`]).
fn api_fields(e: &Error) -> Vec<FieldError> {
    rules::api_field_errors(e)
}

/// A request code: a positive whole number, or a string of digits.
fn code_arg(v: &JsValue, field: &str) -> Result<u64, Error> {
    let n = match v.as_string() {
        Some(s) => s.trim().parse::<u64>().ok(),
        None => v.as_f64().filter(|n| n.fract() == 0.0 && *n >= 1.0 && *n < 9.0e15).map(|n| n as u64),
    };
    n.filter(|n| *n > 0).ok_or_else(|| Error::invalid(field, "must be a request code (a whole number, 1 or more)"))
}

#[wasm_bindgen]
impl SeguraClient {
    /// `new SeguraClient({ baseUrl, clientId, clientSecret, tokenStyle? })`. Throws a
    /// `VendorError` (`kind: "invalid"`) on a missing field or a base URL that is neither https
    /// nor loopback http.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "SeguraClientOptions")] options: JsValue) -> Result<SeguraClient, JsValue> {
        let make = || -> Result<SeguraClient, Error> {
            let base = text_required(&options, "baseUrl", "the vault's URL, e.g. https://vault.example.com")?;
            let id = text_required(&options, "clientId", "the A2A application's client id")?;
            let secret = text_required(&options, "clientSecret", "the A2A application's client secret")?;
            let style = match text(&options, "tokenStyle").as_deref() {
                None | Some("form") => TokenStyle::Form,
                Some("basic") => TokenStyle::Basic,
                Some(other) => return Err(Error::invalid("tokenStyle", format!("`{other}` is neither \"form\" nor \"basic\""))),
            };
            Ok(SeguraClient { inner: Rc::new(Client::new(FetchTransport, &base, &id, secret, style, now_unix)?) })
        };
        make().map_err(|e| vendor_error(&e))
    }

    /// The vault URL in use.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_owned()
    }

    /// Creates a certificate request after every documented check (`checkSeguraRequest`).
    #[wasm_bindgen(js_name = createRequest, unchecked_return_type = "Promise<Record<string, unknown>>")]
    pub fn create_request(&self, #[wasm_bindgen(unchecked_param_type = "SeguraRequestFields")] fields: JsValue) -> js_sys::Promise {
        let (c, f) = (self.inner.clone(), lenient::<CertificateRequest>(fields, "fields"));
        promise_fields(async move { js(&c.create_request(&f?).await?) }, api_fields)
    }

    /// Modifies request `code` with `fields`, after the same checks.
    #[wasm_bindgen(js_name = modifyRequest, unchecked_return_type = "Promise<Record<string, unknown>>")]
    pub fn modify_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] code: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SeguraRequestFields")] fields: JsValue,
    ) -> js_sys::Promise {
        let (c, code, f) = (self.inner.clone(), code_arg(&code, "code_request"), lenient::<CertificateRequest>(fields, "fields"));
        promise_fields(async move { js(&c.modify_request(code?, &f?).await?) }, api_fields)
    }

    /// One page of requests matching `filters`, from `offset` (0), at most `limit` (50).
    #[wasm_bindgen(js_name = listRequests, unchecked_return_type = "Promise<SeguraRequestPage>")]
    pub fn list_requests(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SeguraListFilters")] filters: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ offset?: number; limit?: number }")] page: JsValue,
    ) -> js_sys::Promise {
        let (c, f, p) = (self.inner.clone(), options::<ListFilters>(filters, "filters"), options::<PageArgs>(page, "page"));
        promise_fields(
            async move {
                let (f, p) = (f?, p?);
                let page = c.list_requests(&f, p.offset, p.limit).await?;
                let next_offset = match page.next {
                    Some(Cursor::Offset(o)) => Some(o),
                    _ => None,
                };
                js(&PageOut { requests: page.items, offset: p.offset, limit: p.limit, next_offset })
            },
            api_fields,
        )
    }

    /// Every request matching `filters`, page after page.
    #[wasm_bindgen(js_name = listAllRequests, unchecked_return_type = "Promise<AllPages<SeguraRequest>>")]
    pub fn list_all_requests(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SeguraListFilters")] filters: JsValue,
    ) -> js_sys::Promise {
        let (c, f) = (self.inner.clone(), options::<ListFilters>(filters, "filters"));
        promise_fields(async move { all_pages_js(&c.list_all_requests(&f?).await?) }, api_fields)
    }

    /// One request.
    #[wasm_bindgen(js_name = getRequest, unchecked_return_type = "Promise<SeguraRequest>")]
    pub fn get_request(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), code_arg(&id, "code_request"));
        promise_fields(async move { js(&c.get_request(id?).await?) }, api_fields)
    }

    /// A request's status, `"7 - Signed"` as `{ number: 7, label: "Signed" }`.
    #[wasm_bindgen(js_name = requestStatus, unchecked_return_type = "Promise<SeguraRequestStatus>")]
    pub fn request_status(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), code_arg(&id, "code_request"));
        promise_fields(async move { js(&c.request_status(id?).await?) }, api_fields)
    }

    /// Signs (issues) request `id`. `{ governance: true }` when the access group demands an ITSM
    /// code (then `itsm_code` is required).
    #[wasm_bindgen(js_name = signRequest, unchecked_return_type = "Promise<Record<string, unknown>>")]
    pub fn sign_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SeguraSignFields")] fields: JsValue,
        #[wasm_bindgen(js_name = options, unchecked_optional_param_type = "{ governance?: boolean }")] options_: JsValue,
    ) -> js_sys::Promise {
        let c = self.inner.clone();
        let (id, f, o) =
            (code_arg(&id, "code_request"), lenient::<SignRequest>(fields, "fields"), options::<SignOptions>(options_, "options"));
        promise_fields(async move { js(&c.sign_request(id?, &f?, o?.governance).await?) }, api_fields)
    }
}

/// Segura's documented checks on a create-or-modify request (certificate type, domain type
/// against the common name and SANs, encryption, key size and algorithm, lengths): every
/// `{ field, message }` by Segura's own key; empty when it can be sent. Never throws.
#[wasm_bindgen(js_name = checkSeguraRequest, unchecked_return_type = "FieldError[]")]
pub fn check_segura_request(#[wasm_bindgen(unchecked_param_type = "SeguraRequestFields")] fields: JsValue) -> JsValue {
    let r = lenient::<CertificateRequest>(fields, "fields").map(|f| rules::check_request(&f));
    to_js(&r.unwrap_or_else(field_error))
}
