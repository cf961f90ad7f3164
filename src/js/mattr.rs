//! `MattrClient`: MATTR VII's DTS root CAs and VICAL signers from JS, over
//! [`crate::vendors::mattr::client::Client`] and `globalThis.fetch` ([`super::fetch`]).
//!
//! `new MattrClient({ tenantUrl, authUrl, clientId, clientSecret })`: an OAuth client-credentials
//! token from `authUrl` (`https://auth.<region>.mattr.global`; `/oauth/token` is added to a URL
//! without a path), requested as JSON with the tenant URL as `audience`, cached until shortly
//! before it expires and fetched once more after a 401. The client secret is kept inside the
//! wasm object as a [`Secret`](crate::vendors::redact::Secret): no getter returns it, `Debug`
//! redacts it, and no error message holds it. The public list and CRLs go without a token. Every
//! method returns a `Promise`; failures reject with a `VendorError` ([`super::support`]) carrying
//! `status`, `code`, `details` (MATTR's `[{ value, msg, param, location }]`) and `fieldErrors`.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::fetch::{now_unix, FetchTransport};
use super::support::{all_pages_js, id_arg, js, options, promise, required, text_required, vendor_error, Error};
use crate::pki::CrlInfo;
use crate::vendors::mattr::client::Client;
use crate::vendors::mattr::models::CreateManagedRootCa;

#[wasm_bindgen(typescript_custom_section)]
const TS_MATTR_CLIENT: &'static str = r#"
/** new MattrClient(options). authUrl: the region's auth host, e.g. https://auth.au01.mattr.global. */
export interface MattrClientOptions { tenantUrl: string; authUrl: string; clientId: string; clientSecret: string; }
/** A list query: limit 1-1000, cursor from the previous page's nextCursor. */
export interface MattrListQuery { limit?: number; cursor?: string; }
/** What a DTS certificate says. */
export interface MattrCertificateData { commonName?: string; country?: string; organisationName?: string; notBefore?: string; notAfter?: string; }
/** A DTS root CA certificate as MATTR returns it. */
export interface MattrRootCa { id: string; active: boolean; certificatePem: string; certificateFingerprint: string; certificateData: MattrCertificateData; isManaged: boolean; }
/** A VICAL signer (csrPem until its certificate is uploaded). */
export interface MattrVicalSigner { id: string; caId?: string; active: boolean; csrPem?: string; certificatePem?: string; certificateFingerprint?: string; certificateData?: MattrCertificateData; }
/** A list page as MATTR sends it. */
export interface MattrPage<T> { data: T[]; nextCursor?: string; }
/** The public root list. */
export interface MattrPublicRootCas { rootCertificates: { certificate: string; notBefore?: string; notAfter?: string; fingerprint: string; commonName?: string }[]; }
/** A root's CRL: the text MATTR sent and its parse (issuer, dates, revoked serials). */
export interface MattrRootCaCrl { text: string; crl: CrlInfo; }
"#;

/// The MATTR VII DTS client, for JS.
#[wasm_bindgen]
#[derive(Debug)]
pub struct MattrClient {
    inner: Rc<Client<FetchTransport>>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    limit: Option<u32>,
    cursor: Option<String>,
}

#[derive(Serialize)]
struct Crl<'a> {
    text: &'a str,
    crl: &'a CrlInfo,
}

#[wasm_bindgen]
impl MattrClient {
    /// `new MattrClient({ tenantUrl, authUrl, clientId, clientSecret })`. Throws a
    /// `VendorError` (`kind: "invalid"`) on a missing field or a URL that is neither https nor
    /// loopback http.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "MattrClientOptions")] options: JsValue) -> Result<MattrClient, JsValue> {
        let make = || -> Result<MattrClient, Error> {
            let tenant = text_required(&options, "tenantUrl", "the tenant URL, e.g. https://tenant.vii.au01.mattr.global")?;
            let auth = text_required(&options, "authUrl", "the region's auth URL, e.g. https://auth.au01.mattr.global")?;
            let id = text_required(&options, "clientId", "the API client's id")?;
            let secret = text_required(&options, "clientSecret", "the API client's secret")?;
            Ok(MattrClient { inner: Rc::new(Client::new(FetchTransport, &tenant, &auth, &id, secret, now_unix)?) })
        };
        make().map_err(|e| vendor_error(&e))
    }

    /// The tenant URL in use.
    #[wasm_bindgen(getter, js_name = tenantUrl)]
    pub fn tenant_url(&self) -> String {
        self.inner.tenant_url().to_owned()
    }

    /// Creates a managed root (MATTR makes the key) after the checks (`checkMattrCreateRoot`)
    /// and the 3-root cap, counting the roots listed first.
    #[wasm_bindgen(js_name = createManagedRootCa, unchecked_return_type = "Promise<MattrRootCa>")]
    pub fn create_managed_root_ca(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MattrCreateRootFields")] fields: JsValue,
    ) -> js_sys::Promise {
        let (c, f) = (self.inner.clone(), required::<CreateManagedRootCa>(fields, "fields"));
        promise(async move { js(&c.create_managed_root_ca(&f?, None).await?) })
    }

    /// Uploads an unmanaged root (PEM) after the rule pack (`checkMattrRootCa`) and the cap.
    #[wasm_bindgen(js_name = uploadRootCa, unchecked_return_type = "Promise<MattrRootCa>")]
    pub fn upload_root_ca(&self, #[wasm_bindgen(js_name = certificatePem)] certificate_pem: String) -> js_sys::Promise {
        let c = self.inner.clone();
        promise(async move { js(&c.upload_root_ca(&certificate_pem, None).await?) })
    }

    /// One page of roots, as MATTR sends it.
    #[wasm_bindgen(js_name = listRootCas, unchecked_return_type = "Promise<MattrPage<MattrRootCa>>")]
    pub fn list_root_cas(&self, #[wasm_bindgen(unchecked_optional_param_type = "MattrListQuery")] query: JsValue) -> js_sys::Promise {
        let (c, q) = (self.inner.clone(), options::<ListQuery>(query, "query"));
        promise(async move {
            let q = q?;
            js(&c.list_root_cas(q.limit, q.cursor.as_deref()).await?)
        })
    }

    /// Every root, page after page.
    #[wasm_bindgen(js_name = listAllRootCas, unchecked_return_type = "Promise<AllPages<MattrRootCa>>")]
    pub fn list_all_root_cas(&self) -> js_sys::Promise {
        let c = self.inner.clone();
        promise(async move { all_pages_js(&c.list_all_root_cas().await?) })
    }

    /// The public root list (no token).
    #[wasm_bindgen(js_name = listPublicRootCas, unchecked_return_type = "Promise<MattrPublicRootCas>")]
    pub fn list_public_root_cas(&self) -> js_sys::Promise {
        let c = self.inner.clone();
        promise(async move { js(&c.list_public_root_cas().await?) })
    }

    /// One root.
    #[wasm_bindgen(js_name = getRootCa, unchecked_return_type = "Promise<MattrRootCa>")]
    pub fn get_root_ca(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        promise(async move { js(&c.get_root_ca(&id?).await?) })
    }

    /// Activates (`true`) or deactivates (`false`) a root.
    #[wasm_bindgen(js_name = setRootCaActive, unchecked_return_type = "Promise<MattrRootCa>")]
    pub fn set_root_ca_active(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue, active: bool) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        promise(async move { js(&c.set_root_ca_active(&id?, active).await?) })
    }

    /// Deletes a root; resolves with `undefined`.
    #[wasm_bindgen(js_name = deleteRootCa, unchecked_return_type = "Promise<void>")]
    pub fn delete_root_ca(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        promise(async move {
            c.delete_root_ca(&id?).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// A root's CRL (no token): the text and its parse, revoked serials included.
    #[wasm_bindgen(js_name = getRootCaCrl, unchecked_return_type = "Promise<MattrRootCaCrl>")]
    pub fn get_root_ca_crl(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        promise(async move {
            let crl = c.get_root_ca_crl(&id?).await?;
            js(&Crl { text: &crl.text, crl: &crl.info })
        })
    }

    /// Requests a VICAL signer for the unmanaged root `caId` (at most 5 per tenant, counting the
    /// signers listed first); the answer carries the CSR to sign (`signVicalSignerCsr`).
    #[wasm_bindgen(js_name = createVicalSigner, unchecked_return_type = "Promise<MattrVicalSigner>")]
    pub fn create_vical_signer(&self, #[wasm_bindgen(js_name = caId, unchecked_param_type = "string")] ca_id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&ca_id, "caId"));
        promise(async move { js(&c.create_vical_signer(&id?, None).await?) })
    }

    /// One page of VICAL signers, as MATTR sends it.
    #[wasm_bindgen(js_name = listVicalSigners, unchecked_return_type = "Promise<MattrPage<MattrVicalSigner>>")]
    pub fn list_vical_signers(&self, #[wasm_bindgen(unchecked_optional_param_type = "MattrListQuery")] query: JsValue) -> js_sys::Promise {
        let (c, q) = (self.inner.clone(), options::<ListQuery>(query, "query"));
        promise(async move {
            let q = q?;
            js(&c.list_vical_signers(q.limit, q.cursor.as_deref()).await?)
        })
    }

    /// Uploads a VICAL signer's certificate (PEM), signed by its root.
    #[wasm_bindgen(js_name = uploadVicalSignerCertificate, unchecked_return_type = "Promise<MattrVicalSigner>")]
    pub fn upload_vical_signer_certificate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(js_name = certificatePem)] certificate_pem: String,
    ) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        promise(async move { js(&c.upload_vical_signer_certificate(&id?, &certificate_pem).await?) })
    }
}
