//! `PingFederateClient`: PingFederate's signing key pairs from JS, over
//! [`crate::vendors::pingfederate::client::Client`] and `globalThis.fetch` ([`super::fetch`]), and
//! the `checkPingFederateKeyPair` validator.
//!
//! `new PingFederateClient({ baseUrl, username, password })` (HTTP Basic, an admin account) or
//! `{ baseUrl, token }` (Bearer); `/pf-admin-api/v1` is added to a base URL without it, and every
//! call carries `X-XSRF-Header: PingFederate`. The password or token is kept inside the wasm
//! object as a [`Secret`]: no getter returns it, `Debug` redacts it, and no error message holds
//! it. Every method returns a `Promise`; failures reject with a `VendorError`
//! ([`super::support`]) carrying `status`, `code` (`resultId`), `details` (the `ApiResult`'s
//! `validationErrors`), `fieldErrors` (by `fieldPath`) and the `ApiResult` as `body`.
//!
//! `importSigningKeyPair` is the one call that sends a private key (encrypted, with its
//! password): calling it is the caller's explicit action, taken after the user confirmed.

use std::rc::Rc;

use base64::Engine;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::fetch::{now_unix, FetchTransport};
use super::support::{field_error, id_arg, js, lenient, promise, required, text, text_required, vendor_error, Error};
use super::{input_bytes, to_js};
use crate::pki;
use crate::vendors::pingfederate::client::{Client, PingAuth};
use crate::vendors::pingfederate::models::{KeyAlgorithms, KeyPairFile, KeyPairFileFormat, KeyPairRotationSettings, NewKeyPairSettings};
use crate::vendors::pingfederate::rules;
use crate::vendors::redact::Secret;

#[wasm_bindgen(typescript_custom_section)]
const TS_PINGFEDERATE_CLIENT: &'static str = r#"
/** new PingFederateClient(options): Basic with username and password, or a Bearer token. */
export type PingFederateClientOptions = { baseUrl: string; username: string; password: string } | { baseUrl: string; token: string };
/** One entry of the key-algorithm catalogue. */
export interface PingFederateKeyAlgorithm { name?: string; keySizes?: number[]; defaultKeySize?: number; signatureAlgorithms?: string[]; defaultSignatureAlgorithm?: string; }
/** The catalogue (GET /keyPairs/keyAlgorithms). */
export interface PingFederateKeyAlgorithms { items: PingFederateKeyAlgorithm[]; }
/** NewKeyPairSettings: what generateSigningKeyPair takes. */
export interface PingFederateNewKeyPair {
  id?: string; commonName: string; subjectAlternativeNames?: string[]; organization: string; organizationUnit?: string;
  city?: string; state?: string; country: string; validDays: number; keyAlgorithm: string; keySize?: number;
  signatureAlgorithm?: string; cryptoProvider?: "LOCAL" | "HSM";
}
/** KeyPairView: a signing key pair as PingFederate returns it. */
export interface PingFederateKeyPair {
  id?: string; serialNumber?: string; subjectDN?: string; subjectAlternativeNames?: string[]; issuerDN?: string;
  validFrom?: string; expires?: string; keyAlgorithm?: string; keySize?: number; signatureAlgorithm?: string;
  version?: number; sha1Fingerprint?: string; sha256Fingerprint?: string; status?: string; [more: string]: unknown;
}
/** KeyPairRotationSettings. signatureAlgorithm is required when the original used SHA-1. */
export interface PingFederateRotationSettings {
  id?: string; creationBufferDays: number; activationBufferDays: number; validDays?: number;
  keyAlgorithm?: string; keySize?: number; signatureAlgorithm?: string;
}
/** importSigningKeyPair: fileData is the base64 of the file (or its bytes), encrypted with password. */
export interface PingFederateKeyPairFile { fileData: string | Uint8Array; format?: "PKCS12" | "PEM"; password: string; id?: string; }
"#;

/// The PingFederate signing key pair client, for JS.
#[wasm_bindgen]
#[derive(Debug)]
pub struct PingFederateClient {
    inner: Rc<Client<FetchTransport>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ImportArgs {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    format: Option<KeyPairFileFormat>,
}

/// `fileData` of an import: base64 text as given, or bytes encoded here.
fn file_data(args: &JsValue) -> Result<String, Error> {
    let v = js_sys::Reflect::get(args, &"fileData".into()).unwrap_or(JsValue::UNDEFINED);
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    if v.is_undefined() || v.is_null() {
        return Err(Error::invalid("fileData", "required: the key pair file (base64, or its bytes)"));
    }
    let bytes = zeroize::Zeroizing::new(input_bytes(&v).map_err(|m| Error::invalid("fileData", m))?);
    Ok(base64::engine::general_purpose::STANDARD.encode(&*bytes))
}

#[wasm_bindgen]
impl PingFederateClient {
    /// `new PingFederateClient({ baseUrl, username, password })` or `({ baseUrl, token })`.
    /// Throws a `VendorError` (`kind: "invalid"`) on a missing field or a base URL that is neither
    /// https nor loopback http.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "PingFederateClientOptions")] options: JsValue,
    ) -> Result<PingFederateClient, JsValue> {
        let make = || -> Result<PingFederateClient, Error> {
            let base = text_required(&options, "baseUrl", "PingFederate's admin URL, e.g. https://pf.example.com:9999")?;
            let auth = match text(&options, "token").filter(|t| !t.is_empty()) {
                Some(token) => PingAuth::Bearer(Secret::new(token)),
                None => PingAuth::Basic {
                    username: text_required(&options, "username", "an admin account's name (or give `token`)")?,
                    password: Secret::new(text_required(&options, "password", "the admin account's password (or give `token`)")?),
                },
            };
            Ok(PingFederateClient { inner: Rc::new(Client::new(FetchTransport, &base, auth, now_unix)?) })
        };
        make().map_err(|e| vendor_error(&e))
    }

    /// The base URL in use (ending in `/pf-admin-api/v1`).
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_owned()
    }

    /// `GET /keyPairs/keyAlgorithms`: the catalogue every form offers from.
    #[wasm_bindgen(js_name = keyAlgorithms, unchecked_return_type = "Promise<PingFederateKeyAlgorithms>")]
    pub fn key_algorithms(&self) -> js_sys::Promise {
        let c = self.inner.clone();
        promise(async move { js(&c.key_algorithms().await?) })
    }

    /// `GET /keyPairs/signing`.
    #[wasm_bindgen(js_name = listSigningKeyPairs, unchecked_return_type = "Promise<{ items: PingFederateKeyPair[] }>")]
    pub fn list_signing_key_pairs(&self) -> js_sys::Promise {
        let c = self.inner.clone();
        promise(async move { js(&c.list().await?) })
    }

    /// `GET /keyPairs/signing/{id}`.
    #[wasm_bindgen(js_name = getSigningKeyPair, unchecked_return_type = "Promise<PingFederateKeyPair>")]
    pub fn get_signing_key_pair(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        promise(async move { js(&c.get(&id?).await?) })
    }

    /// `DELETE /keyPairs/signing/{id}`; resolves with `undefined`.
    #[wasm_bindgen(js_name = deleteSigningKeyPair, unchecked_return_type = "Promise<void>")]
    pub fn delete_signing_key_pair(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        promise(async move {
            c.delete(&id?).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `POST /keyPairs/signing/generate`, after checking `settings` against the rules and the
    /// catalogue (fetched first).
    #[wasm_bindgen(js_name = generateSigningKeyPair, unchecked_return_type = "Promise<PingFederateKeyPair>")]
    pub fn generate_signing_key_pair(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PingFederateNewKeyPair")] settings: JsValue,
    ) -> js_sys::Promise {
        let (c, s) = (self.inner.clone(), lenient::<NewKeyPairSettings>(settings, "settings"));
        promise(async move {
            let s = s?;
            let catalogue = c.key_algorithms().await?;
            js(&c.generate(&s, &catalogue).await?)
        })
    }

    /// `POST /keyPairs/signing/import`: a key pair file (PKCS#12, or PEM with an encrypted key)
    /// and its password. The one call that sends a private key anywhere; make it only after the
    /// user confirmed that this key goes to PingFederate.
    #[wasm_bindgen(js_name = importSigningKeyPair, unchecked_return_type = "Promise<PingFederateKeyPair>")]
    pub fn import_signing_key_pair(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PingFederateKeyPairFile")] file: JsValue,
    ) -> js_sys::Promise {
        let c = self.inner.clone();
        let make = || -> Result<KeyPairFile, Error> {
            if !file.is_object() {
                return Err(Error::invalid("file", "give { fileData, format, password, id }"));
            }
            let file_data = file_data(&file)?;
            let password = text(&file, "password").unwrap_or_default();
            let args: ImportArgs = required(file.clone(), "file")?;
            Ok(KeyPairFile {
                id: args.id,
                file_data,
                format: args.format,
                password: Secret::new(password),
                encrypted_password: None,
                crypto_provider: None,
            })
        };
        let f = make();
        promise(async move { js(&c.import_key_pair(&f?, true).await?) })
    }

    /// `GET /keyPairs/signing/{id}/csr`: PingFederate's CSR for the key it keeps, as PEM (its
    /// self-signature checked).
    #[wasm_bindgen(js_name = getSigningKeyPairCsr, unchecked_return_type = "Promise<string>")]
    pub fn get_signing_key_pair_csr(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        promise(async move { Ok(pki::pem::encode("CERTIFICATE REQUEST", &c.csr(&id?).await?).into()) })
    }

    /// `POST /keyPairs/signing/{id}/csr`: imports the CA's answer to the key pair's CSR (the
    /// certificate, several, or a PKCS#7 chain; PEM or DER). The CSR is fetched first, and the
    /// answer is sent only when one of its certificates holds the CSR's public key.
    #[wasm_bindgen(js_name = importCsrResponse, unchecked_return_type = "Promise<PingFederateKeyPair>")]
    pub fn import_csr_response(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(js_name = fileData, unchecked_param_type = "string | Uint8Array")] file_data: JsValue,
    ) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        let bytes = input_bytes(&file_data).map_err(|m| Error::invalid("fileData", m));
        promise(async move {
            let (id, bytes) = (id?, bytes?);
            let csr = c.csr(&id).await?;
            js(&c.import_csr_response(&id, &csr, &bytes).await?)
        })
    }

    /// `GET /keyPairs/signing/{id}/certificate`: the certificate, PEM.
    #[wasm_bindgen(js_name = getSigningKeyPairCertificate, unchecked_return_type = "Promise<string>")]
    pub fn get_signing_key_pair_certificate(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        promise(async move { Ok(c.certificate(&id?).await?.into()) })
    }

    /// `GET /keyPairs/signing/{id}/rotationSettings`.
    #[wasm_bindgen(js_name = getRotationSettings, unchecked_return_type = "Promise<PingFederateRotationSettings>")]
    pub fn get_rotation_settings(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        promise(async move { js(&c.rotation_settings(&id?).await?) })
    }

    /// `PUT /keyPairs/signing/{id}/rotationSettings`, after checking `settings` against the key
    /// pair (fetched first, for the SHA-1 rule) and the catalogue.
    #[wasm_bindgen(js_name = putRotationSettings, unchecked_return_type = "Promise<PingFederateRotationSettings>")]
    pub fn put_rotation_settings(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PingFederateRotationSettings")] settings: JsValue,
    ) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        let s = required::<KeyPairRotationSettings>(settings, "settings");
        promise(async move {
            let (id, s) = (id?, s?);
            let original = c.get(&id).await?;
            let catalogue = c.key_algorithms().await?;
            js(&c.put_rotation_settings(&id, &s, &original, &catalogue).await?)
        })
    }

    /// `DELETE /keyPairs/signing/{id}/rotationSettings`; resolves with `undefined`.
    #[wasm_bindgen(js_name = deleteRotationSettings, unchecked_return_type = "Promise<void>")]
    pub fn delete_rotation_settings(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> js_sys::Promise {
        let (c, id) = (self.inner.clone(), id_arg(&id, "id"));
        promise(async move {
            c.delete_rotation_settings(&id?).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// PingFederate's checks on `NewKeyPairSettings` against the catalogue (`algorithms`, what
/// `keyAlgorithms()` returns): the id pattern, the required fields, and an algorithm, key size
/// and signature algorithm the catalogue offers. Every `{ field, message }` (by JSON property);
/// empty when it can be sent. Never throws.
#[wasm_bindgen(js_name = checkPingFederateKeyPair, unchecked_return_type = "FieldError[]")]
pub fn check_pingfederate_key_pair(
    #[wasm_bindgen(unchecked_param_type = "PingFederateNewKeyPair")] settings: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PingFederateKeyAlgorithms")] algorithms: JsValue,
) -> JsValue {
    let r = lenient::<NewKeyPairSettings>(settings, "settings")
        .and_then(|s| Ok((s, required::<KeyAlgorithms>(algorithms, "algorithms")?)))
        .map(|(s, a)| rules::check_new_key_pair(&s, &a));
    to_js(&r.unwrap_or_else(field_error))
}
