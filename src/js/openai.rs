//! `OpenAiClient`: OpenAI's organization and project mTLS certificate endpoints from JS, over
//! [`crate::vendors::openai::client::Client`] and `globalThis.fetch` ([`super::fetch`]).
//!
//! `new OpenAiClient({ baseUrl, adminKey })`: `baseUrl` defaults to `https://api.openai.com/v1`
//! (in the app, the relay path; plain `http://` only to a loopback host). The admin key is kept
//! inside the wasm object as a [`Secret`]: no getter returns it, `Debug` redacts it, and no
//! error message holds it. Every method returns a `Promise`; failures reject with a
//! `VendorError` ([`super::support`]) carrying `status`, `code`, `param`, `requestId` and
//! OpenAI's error `body`.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::fetch::{now_unix, FetchTransport};
use super::support::{all_pages_js, id_arg, js, options, promise, required, text, text_required, vendor_error, Error};
use crate::vendors::openai::client::{Client, ListQuery, Order, Scope, BASE_URL};
use crate::vendors::paging::Bounds;
use crate::vendors::redact::Secret;
use crate::vendors::request::check_base_url;

#[wasm_bindgen(typescript_custom_section)]
const TS_OPENAI_CLIENT: &'static str = r#"
/** new OpenAiClient(options). baseUrl defaults to https://api.openai.com/v1. */
export interface OpenAiClientOptions { baseUrl?: string; adminKey: string; }
/** A listing's query: limit 1-100, after a certificate id, order by created_at. */
export interface OpenAiListQuery { limit?: number; after?: string; order?: "asc" | "desc"; }
/** A certificate as OpenAI returns it. */
export interface OpenAiCertificate {
  object: "certificate" | "organization.certificate" | "organization.project.certificate";
  id: string; name: string | null; created_at: number; active?: boolean | null;
  certificate_details: { valid_at?: number | null; expires_at?: number | null; content?: string | null };
}
/** A listing page as OpenAI sends it. */
export interface OpenAiCertificateList { object: "list"; data: OpenAiCertificate[]; first_id: string | null; last_id: string | null; has_more: boolean; }
/** The answer to one activate / deactivate call. */
export interface OpenAiActivation { object: string; data: OpenAiCertificate[]; }
/** One batch of activateCertificates / deactivateCertificates: the ids of that call and its answer, or its error. */
export interface OpenAiBatchReport { ids: string[]; ok: boolean; result: OpenAiActivation | null; error: VendorError | null; }
"#;

/// The OpenAI certificates client, for JS.
#[wasm_bindgen]
#[derive(Debug)]
pub struct OpenAiClient {
    inner: Rc<Client<FetchTransport>>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct GetOptions {
    include_content: bool,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ScopeOptions {
    project_id: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct AllOptions {
    order: Option<Order>,
}

#[derive(Deserialize)]
struct Upload {
    certificate: String,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Serialize)]
struct Report {
    ids: Vec<String>,
    ok: bool,
}

#[wasm_bindgen]
impl OpenAiClient {
    /// `new OpenAiClient({ baseUrl, adminKey })`. Throws a `VendorError` (`kind: "invalid"`)
    /// on a missing admin key or a base URL that is neither https nor loopback http.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "OpenAiClientOptions")] options: JsValue) -> Result<OpenAiClient, JsValue> {
        let make = || -> Result<OpenAiClient, Error> {
            let base = text(&options, "baseUrl").filter(|u| !u.trim().is_empty()).unwrap_or_else(|| BASE_URL.to_owned());
            let base = check_base_url("baseUrl", &base, BASE_URL)?;
            let key = text_required(&options, "adminKey", "an OpenAI admin key (sk-admin-...)")?;
            let client = Client::new(FetchTransport, Secret::new(key), now_unix).with_base_url(base);
            Ok(OpenAiClient { inner: Rc::new(client) })
        };
        make().map_err(|e| vendor_error(&e))
    }

    /// The base URL in use.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_owned()
    }

    /// `GET /organization/certificates`: one page, as OpenAI sends it.
    #[wasm_bindgen(js_name = listCertificates, unchecked_return_type = "Promise<OpenAiCertificateList>")]
    pub fn list_certificates(&self, #[wasm_bindgen(unchecked_optional_param_type = "OpenAiListQuery")] query: JsValue) -> js_sys::Promise {
        let (c, q) = (self.inner.clone(), options::<ListQuery>(query, "query"));
        promise(async move { js(&c.list_certificates(&q?).await?) })
    }

    /// Every organization certificate, page after page (100 a page).
    #[wasm_bindgen(js_name = listAllCertificates, unchecked_return_type = "Promise<AllPages<OpenAiCertificate>>")]
    pub fn list_all_certificates(
        &self,
        #[wasm_bindgen(js_name = options, unchecked_optional_param_type = "{ order?: \"asc\" | \"desc\" }")] options_: JsValue,
    ) -> js_sys::Promise {
        let (c, o) = (self.inner.clone(), options::<AllOptions>(options_, "options"));
        promise(async move { all_pages_js(&c.list_all_certificates(o?.order, Bounds::default()).await?) })
    }

    /// `POST /organization/certificates` `{ certificate, name }` (uploading does not activate).
    #[wasm_bindgen(js_name = uploadCertificate, unchecked_return_type = "Promise<OpenAiCertificate>")]
    pub fn upload_certificate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ certificate: string; name?: string | null }")] upload: JsValue,
    ) -> js_sys::Promise {
        let (c, u) = (self.inner.clone(), required::<Upload>(upload, "upload"));
        promise(async move {
            let u = u?;
            js(&c.upload_certificate(&u.certificate, u.name.as_deref()).await?)
        })
    }

    /// `GET /organization/certificates/{id}`, with the PEM when `includeContent` is true.
    #[wasm_bindgen(js_name = getCertificate, unchecked_return_type = "Promise<OpenAiCertificate>")]
    pub fn get_certificate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(js_name = options, unchecked_optional_param_type = "{ includeContent?: boolean }")] options_: JsValue,
    ) -> js_sys::Promise {
        let (c, id, o) = (self.inner.clone(), id_arg(&id, "certificate_id"), options::<GetOptions>(options_, "options"));
        promise(async move { js(&c.get_certificate(&id?, o?.include_content).await?) })
    }

    /// `POST /organization/certificates/{id}` `{ name }`.
    #[wasm_bindgen(js_name = renameCertificate, unchecked_return_type = "Promise<OpenAiCertificate>")]
    pub fn rename_certificate(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue, name: String) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "certificate_id"));
        promise(async move { js(&c.rename_certificate(&id?, &name).await?) })
    }

    /// `DELETE /organization/certificates/{id}` (OpenAI refuses one still active).
    #[wasm_bindgen(js_name = deleteCertificate, unchecked_return_type = "Promise<{ object: \"certificate.deleted\"; id: string }>")]
    pub fn delete_certificate(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "certificate_id"));
        promise(async move { js(&c.delete_certificate(&id?).await?) })
    }

    /// Activates `ids` at the organization, or at `projectId`: calls of at most 10 ids, every
    /// call made, each reported. Resolves with one report per call (an empty selection makes
    /// none); rejects only when the arguments are wrong.
    #[wasm_bindgen(js_name = activateCertificates, unchecked_return_type = "Promise<OpenAiBatchReport[]>")]
    pub fn activate_certificates(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
        #[wasm_bindgen(js_name = options, unchecked_optional_param_type = "{ projectId?: string }")] options_: JsValue,
    ) -> js_sys::Promise {
        self.toggle(ids, options_, true)
    }

    /// Deactivates `ids`, as `activateCertificates`.
    #[wasm_bindgen(js_name = deactivateCertificates, unchecked_return_type = "Promise<OpenAiBatchReport[]>")]
    pub fn deactivate_certificates(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
        #[wasm_bindgen(js_name = options, unchecked_optional_param_type = "{ projectId?: string }")] options_: JsValue,
    ) -> js_sys::Promise {
        self.toggle(ids, options_, false)
    }

    /// `GET /organization/projects/{projectId}/certificates`: one page, as OpenAI sends it.
    #[wasm_bindgen(js_name = listProjectCertificates, unchecked_return_type = "Promise<OpenAiCertificateList>")]
    pub fn list_project_certificates(
        &self,
        #[wasm_bindgen(js_name = projectId, unchecked_param_type = "string")] project_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "OpenAiListQuery")] query: JsValue,
    ) -> js_sys::Promise {
        let (c, p, q) = (self.inner.clone(), id_arg(&project_id, "project_id"), options::<ListQuery>(query, "query"));
        promise(async move { js(&c.list_project_certificates(&p?, &q?).await?) })
    }
}

impl OpenAiClient {
    fn toggle(&self, ids: JsValue, options_: JsValue, activate: bool) -> js_sys::Promise {
        let c = self.inner.clone();
        let ids = required::<Vec<String>>(ids, "ids");
        let o = options::<ScopeOptions>(options_, "options");
        promise(async move {
            let (ids, o) = (ids?, o?);
            let scope = match o.project_id {
                Some(p) if p.trim().is_empty() => return Err(Error::invalid("projectId", "is empty: give a project id or leave it out")),
                Some(p) => Scope::Project(p),
                None => Scope::Organization,
            };
            let results = if activate { c.activate(&scope, &ids).await } else { c.deactivate(&scope, &ids).await };
            let out = js_sys::Array::new();
            for b in results {
                let report = super::to_js(&Report { ids: b.ids, ok: b.result.is_ok() });
                let (result, error) = match &b.result {
                    Ok(r) => (super::to_js(r), JsValue::NULL),
                    Err(e) => (JsValue::NULL, vendor_error(e)),
                };
                let _ = js_sys::Reflect::set(&report, &"result".into(), &result);
                let _ = js_sys::Reflect::set(&report, &"error".into(), &error);
                out.push(&report);
            }
            Ok(out.into())
        })
    }
}
