//! The JS module (`pkg/`): a thin wasm-bindgen facade over [`crate::pki`].
//!
//! Every export takes plain JS values and returns plain JS objects whose field names are the
//! serde names of the core types (camelCase, vendor-document names where they exist). Nothing
//! throws on bad input: problems come back as data.
//!
//! `createCsr`, `issueCertificate`, `issueCrl` and `signVicalSignerCsr` are synchronous and sign
//! in wasm with the Rust crates (RSA with the `rsa` crate). The app signs RSA through WebCrypto
//! instead ([`crate::webcrypto::sign_tbs`]).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::pki;

mod fetch;
mod mattr;
mod openai;
mod pingfederate;
mod segura;
// The summary fast path: parseCertificateSummaries, CertificateStore, summarizeCertificatesJson.
mod summary;
mod support;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** One attribute of a distinguished name. */
export interface NameAttribute { attribute: string; value: string; stringType: string; }
/** One certificate extension with its raw value. */
export interface ExtensionInfo {
  oid: string; name: string | null; critical: boolean;
  /** Raw extnValue as hex, for extensions certwright does not know or could not decode. */
  valueHex: string | null;
}
/** Everything certwright reads from a certificate. */
export interface CertificateInfo {
  index: number;
  source: string;
  pem: string;
  subjectDN: string;
  issuerDN: string;
  subject: NameAttribute[];
  issuer: NameAttribute[];
  /** Lowercase hex, leading zero octets stripped; "-" prefix if negative. */
  serialNumber: string;
  /** ISO 8601 UTC, e.g. "2025-01-01T00:00:00Z". */
  validFrom: string;
  expires: string;
  validFromUnix: number;
  expiresUnix: number;
  keyAlgorithm: string;
  keySize: number;
  curve: string | null;
  signatureAlgorithm: string;
  subjectAlternativeNames: string[];
  version: number;
  /** Lowercase hex of the SHA-1 of the DER. */
  sha1Fingerprint: string;
  /** Lowercase hex of the SHA-256 of the DER. */
  sha256Fingerprint: string;
  isCa: boolean;
  pathLen: number | null;
  selfSigned: boolean;
  role: "root" | "intermediate" | "leaf";
  keyUsage: string[];
  extendedKeyUsage: string[];
  subjectKeyIdentifier: string | null;
  authorityKeyIdentifier: string | null;
  crlDistributionPoints: string[];
  authorityInfoAccess: string[];
  policies: string[];
  extensions: ExtensionInfo[];
  /** What is non-conformant; the certificate still loaded. */
  warnings: string[];
}
/** A revoked entry of a CRL. */
export interface RevokedEntry { serialNumber: string; revocationDate: string; reason: string | null; }
/** Everything certwright reads from a CRL. */
export interface CrlInfo {
  index: number; source: string; pem: string; issuerDN: string; issuer: NameAttribute[]; version: number;
  thisUpdate: string; nextUpdate: string | null; crlNumber: string | null; signatureAlgorithm: string;
  revoked: RevokedEntry[]; sha1Fingerprint: string; sha256Fingerprint: string; warnings: string[];
}
/** Everything certwright reads from a PKCS#10 request. */
export interface CsrInfo {
  index: number; source: string; pem: string; subjectDN: string; subject: NameAttribute[];
  keyAlgorithm: string; keySize: number; curve: string | null; signatureAlgorithm: string;
  subjectAlternativeNames: string[]; keyUsage: string[]; extendedKeyUsage: string[]; otherExtensions: string[];
  signatureValid: boolean; signatureError: string | null; warnings: string[];
}
/** A block that could not be loaded: where and why. */
export interface Problem { source: string; block: number; line: number; message: string; }
/** The result of parseCertificates. */
export interface ParseResult { certificates: CertificateInfo[]; crls: CrlInfo[]; csrs: CsrInfo[]; problems: Problem[]; }
/** The result of orderChain. */
export interface ChainOrder { order: number[]; chainLen: number; notes: string[]; }
"#;

fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    // Serializing plain structs of strings, numbers and vectors cannot fail.
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

#[wasm_bindgen]
extern "C" {
    /// The global `TextEncoder` (browsers, workers, Node).
    #[wasm_bindgen(js_name = TextEncoder)]
    type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Utf8Encoder;
    #[wasm_bindgen(method, js_class = "TextEncoder")]
    fn encode(this: &Utf8Encoder, input: &JsValue) -> js_sys::Uint8Array;
    /// `encodeInto(string, bytes)`: UTF-8 straight into `bytes`, which may be a view of wasm memory.
    #[wasm_bindgen(method, js_class = "TextEncoder", js_name = encodeInto)]
    fn encode_into(this: &Utf8Encoder, input: &JsValue, dest: &js_sys::Uint8Array) -> EncodeIntoResult;
    /// What `encodeInto` returns.
    type EncodeIntoResult;
    /// UTF-16 code units of the string consumed.
    #[wasm_bindgen(method, getter)]
    fn read(this: &EncodeIntoResult) -> f64;
    /// Bytes written.
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeIntoResult) -> f64;
}

fn input_bytes(input: &JsValue) -> Result<Vec<u8>, String> {
    if let Some(text) = input.dyn_ref::<js_sys::JsString>() {
        Ok(string_bytes(text))
    } else if input.is_instance_of::<js_sys::Uint8Array>() || input.is_instance_of::<js_sys::ArrayBuffer>() {
        Ok(js_sys::Uint8Array::new(input).to_vec())
    } else {
        Err("input must be a string, a Uint8Array or an ArrayBuffer".into())
    }
}

/// The UTF-8 of a JS string, encoded by the engine's `TextEncoder` (native code) straight into
/// wasm memory: no JS-side copy. `as_string()` copies a string's ASCII prefix into wasm one
/// character at a time in JS, which took about a fifth of `parseCertificateSummaries` on a 46 MB
/// bundle. An ASCII string (every PEM bundle, almost) takes one `encodeInto` into a buffer of
/// its length; anything else is encoded whole with `encode` and copied. Lone surrogates become
/// U+FFFD either way.
fn string_bytes(text: &js_sys::JsString) -> Vec<u8> {
    let encoder = Utf8Encoder::new();
    let units = text.length() as usize;
    let mut bytes = vec![0u8; units];
    // A view of `bytes` in wasm memory; `encodeInto` allocates nothing in wasm, so it stays valid.
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let view = js_sys::Uint8Array::new_with_byte_offset_and_length(&memory.buffer(), bytes.as_mut_ptr() as u32, units as u32);
    let result = encoder.encode_into(text, &view);
    // ASCII only: every code unit read, one byte each. Otherwise the buffer was too small.
    if result.read() as usize == units && result.written() as usize == units {
        bytes
    } else {
        encoder.encode(text).to_vec()
    }
}

fn parse(input: &JsValue, name: Option<String>) -> pki::Bundle {
    let name = name.unwrap_or_else(|| "input".into());
    match input_bytes(input) {
        Ok(bytes) => pki::parse_bundle(&bytes, &name),
        Err(message) => pki::Bundle { problems: vec![pki::Problem { source: name, block: 0, line: 0, message }], ..Default::default() },
    }
}

/// Parses PEM (any number of blocks, with text around them), DER, PKCS#7 or base64 input.
/// Never throws: unusable blocks are returned in `problems` with their position.
#[wasm_bindgen(js_name = parseCertificates, unchecked_return_type = "ParseResult")]
pub fn parse_certificates(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue,
    #[wasm_bindgen(js_name = "sourceName")] source_name: Option<String>,
) -> JsValue {
    to_js(&parse(&input, source_name))
}

/// Parses like `parseCertificates` and returns only how many certificates loaded; used to
/// measure the core without the cost of building JS objects.
#[wasm_bindgen(js_name = countCertificates)]
pub fn count_certificates(#[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue) -> u32 {
    parse(&input, None).certificates.len() as u32
}

/// Orders the certificates of `input` as a chain (leaf first) and explains the ones that do not fit.
/// `order` indexes `parseCertificates(input).certificates`.
#[wasm_bindgen(js_name = orderChain, unchecked_return_type = "ChainOrder")]
pub fn order_chain(#[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue) -> JsValue {
    to_js(&pki::order_chain(&parse(&input, None).certificates))
}

/// PEM of the certificates of `input` with duplicates (same SHA-256) removed, in input order.
#[wasm_bindgen(js_name = dedupePem)]
pub fn dedupe_pem(#[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue) -> String {
    let certs = parse(&input, None).certificates;
    pki::export_pem(pki::dedupe(&certs).into_iter().map(|i| &certs[i]))
}

/// The module's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

// ---- Keys, CSRs, certificates and CRLs --------------------------------------------------

#[wasm_bindgen(typescript_custom_section)]
const TS_BUILD_TYPES: &'static str = r#"
/** Key algorithms for generateKeyPair. */
export type KeyAlgorithmName = "RSA-2048" | "RSA-3072" | "RSA-4096" | "P-256" | "P-384";
/** Subject fields; empty strings are left out. country is ISO 3166-1 alpha-2. */
export interface SubjectFields { commonName?: string; organization?: string; organizationalUnit?: string; locality?: string; state?: string; country?: string; }
/** A problem with one input field, e.g. { field: "subject.country", message: "..." }. */
export interface FieldError { field: string; message: string; }
/** createCsr parameters. */
export interface CsrParams {
  subject: SubjectFields;
  /** "DNS:example.com", "IP:192.0.2.1", "email:a@example.com", "URI:https://…" (prefix optional). */
  sans?: string[];
  keyUsage?: string[];
  extendedKeyUsage?: string[];
  hash?: "SHA-256" | "SHA-384" | "SHA-512";
}
/** Certificate parameters. Times are Unix seconds. */
export interface CertParams {
  subject?: SubjectFields; sans?: string[]; issuerAlternativeNames?: string[];
  keyUsage?: string[]; extendedKeyUsage?: string[]; isCa?: boolean; pathLen?: number | null;
  notBefore: number; notAfter: number; serialHex?: string; hash?: "SHA-256" | "SHA-384" | "SHA-512";
}
/** Vendor profiles. */
export type ProfileName = "custom" | "openaiMtlsCa" | "openaiClient" | "mattrDtsRoot" | "akamaiCaSetCa";
/** issueCertificate request: the subject is subjectKey or csrPem; without an issuer
 *  (issuerCertificatePem and issuerKey) the certificate is self-signed by subjectKey. */
export interface IssueRequest {
  params: CertParams;
  profile?: ProfileName;
  subjectKey?: KeyPair;
  csrPem?: string;
  issuerCertificatePem?: string;
  issuerKey?: KeyPair;
}
/** issueCrl request. */
export interface CrlRequest {
  issuerCertificatePem: string; issuerKey: KeyPair;
  revoked: { serialHex: string; revokedAt: number; reason?: string | null }[];
  thisUpdate: number; nextUpdate: number; crlNumber: number; hash?: "SHA-256" | "SHA-384" | "SHA-512";
}
/** The result of building: PEM, or every field problem. */
export interface BuildResult { pem: string | null; errors: FieldError[]; }
/** exportPrivateKey options: encrypted PKCS#8 unless unencrypted is explicitly true. */
export interface ExportOptions { password?: string; kdf?: "scrypt" | "pbkdf2"; unencrypted?: boolean; }
"#;

thread_local! {
    /// Live keys by id, so a `KeyPair` can be named inside a request object without JS giving up
    /// its handle. An entry goes when its `KeyPair` is freed.
    static KEYS: std::cell::RefCell<std::collections::HashMap<u32, std::rc::Rc<pki::PrivateKey>>> = Default::default();
    static NEXT_KEY_ID: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

/// A private key held in wasm memory. JS sees only its algorithm and public key; the private
/// key leaves only through `exportPrivateKey`.
#[wasm_bindgen]
pub struct KeyPair {
    id: u32,
    key: std::rc::Rc<pki::PrivateKey>,
    source: &'static str,
}

impl KeyPair {
    fn new(key: pki::PrivateKey, source: &'static str) -> Self {
        let id = NEXT_KEY_ID.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1).max(1));
            id
        });
        let key = std::rc::Rc::new(key);
        KEYS.with(|k| k.borrow_mut().insert(id, key.clone()));
        KeyPair { id, key, source }
    }
}

impl Drop for KeyPair {
    fn drop(&mut self) {
        KEYS.with(|k| k.borrow_mut().remove(&self.id));
    }
}

/// The key behind a `KeyPair` object found inside a request.
fn key_from_js(v: &JsValue) -> Option<std::rc::Rc<pki::PrivateKey>> {
    let id = js_sys::Reflect::get(v, &"keyId".into()).ok()?.as_f64()? as u32;
    KEYS.with(|k| k.borrow().get(&id).cloned())
}

#[wasm_bindgen]
impl KeyPair {
    /// Opaque handle used when the key is named inside a request object.
    #[wasm_bindgen(getter, js_name = keyId)]
    pub fn key_id(&self) -> u32 {
        self.id
    }

    /// `RSA-2048`, `P-256`, …
    #[wasm_bindgen(getter)]
    pub fn algorithm(&self) -> String {
        self.key.describe()
    }

    /// How it was made: `webcrypto`, `wasm` (the Rust fallback) or `imported`.
    #[wasm_bindgen(getter)]
    pub fn source(&self) -> String {
        self.source.to_string()
    }

    /// The public key as SPKI PEM.
    #[wasm_bindgen(js_name = publicKeyPem)]
    pub fn public_key_pem(&self) -> Result<String, JsError> {
        self.key.public_key_pem().map_err(|e| JsError::new(&e.to_string()))
    }
}

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// Generates a key pair: WebCrypto (`globalThis.crypto.subtle`) first, the Rust
/// implementation where WebCrypto is missing or refuses.
#[wasm_bindgen(js_name = generateKeyPair)]
pub async fn generate_key_pair(#[wasm_bindgen(unchecked_param_type = "KeyAlgorithmName")] algorithm: String) -> Result<KeyPair, JsError> {
    let alg = pki::KeyAlgorithm::parse(&algorithm).map_err(js_err)?;
    let (key, source) = crate::webcrypto::generate_with_fallback(alg).await.map_err(js_err)?;
    Ok(KeyPair::new(key, source))
}

/// Imports PKCS#8 (plain or encrypted), PKCS#1 or SEC1, PEM or DER. Throws with a clear
/// message (never containing key material) on a wrong password or unsupported key.
#[wasm_bindgen(js_name = importPrivateKey)]
pub fn import_private_key(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: JsValue,
    password: Option<String>,
) -> Result<KeyPair, JsError> {
    let bytes = zeroize::Zeroizing::new(input_bytes(&input).map_err(|e| JsError::new(&e))?);
    let key = pki::PrivateKey::import(&bytes, password.as_deref()).map_err(js_err)?;
    Ok(KeyPair::new(key, "imported"))
}

/// Exports a private key as PEM: encrypted PKCS#8 (PBES2, scrypt by default or PBKDF2-SHA256,
/// AES-256-CBC) with `password`; unencrypted PKCS#8 only with `{ unencrypted: true }`.
#[wasm_bindgen(js_name = exportPrivateKey)]
pub fn export_private_key(
    key: &KeyPair,
    #[wasm_bindgen(unchecked_param_type = "ExportOptions")] options: JsValue,
) -> Result<String, JsError> {
    let get = |k: &str| js_sys::Reflect::get(&options, &k.into()).ok().filter(|v| !v.is_undefined() && !v.is_null());
    if get("unencrypted").and_then(|v| v.as_bool()) == Some(true) {
        return key.key.to_pkcs8_pem().map(|p| p.to_string()).map_err(js_err);
    }
    let password = get("password")
        .and_then(|v| v.as_string())
        .filter(|p| !p.is_empty())
        .ok_or_else(|| JsError::new("a password is needed to export a private key (or pass { unencrypted: true } explicitly)"))?;
    let kdf = match get("kdf").and_then(|v| v.as_string()).as_deref() {
        None | Some("scrypt") => pki::Kdf::default(),
        Some("pbkdf2") => pki::Kdf::Pbkdf2Sha256 { iterations: 600_000 },
        Some(other) => return Err(JsError::new(&format!("unknown kdf `{other}` (scrypt or pbkdf2)"))),
    };
    key.key.to_encrypted_pkcs8_pem(&password, kdf, &mut rand_core::OsRng).map_err(js_err)
}

#[wasm_bindgen(typescript_custom_section)]
const TS_PKCS12_TYPES: &'static str = r#"
/** exportPkcs12 options. modern: PBES2 AES-256-CBC + PBKDF2-SHA-256, SHA-256 MAC (openssl 3's default);
 *  legacy: 3DES key, RC2-40 (default) or 3DES certificates, SHA-1 MAC (Windows Server 2016, Java 8). */
export interface Pkcs12ExportOptions {
  certificatePem: string;
  /** The issuers (PEM, one or more blocks), written after the certificate. */
  chainPem?: string;
  password: string;
  friendlyName?: string;
  profile?: "modern" | "legacy";
  legacyCertCipher?: "rc2-40" | "3des";
  /** Key-derivation and MAC iterations (default 2048, as openssl). */
  iterations?: number;
}
/** What importPkcs12 found. certificates: the key's certificate first, then its chain. */
export interface Pkcs12Import {
  key: KeyPair | null;
  certificates: CertificateInfo[];
  friendlyName: string | null;
  /** e.g. "HMAC-SHA-256, 2048 iterations"; null when the file has no MAC. */
  mac: string | null;
  /** How each part was encrypted. */
  encryption: string[];
  warnings: string[];
}
"#;

/// Writes `key` with its certificate and chain as PKCS#12 (`.p12`) bytes.
#[wasm_bindgen(js_name = exportPkcs12)]
pub fn export_pkcs12(
    key: &KeyPair,
    #[wasm_bindgen(unchecked_param_type = "Pkcs12ExportOptions")] options: JsValue,
) -> Result<js_sys::Uint8Array, JsError> {
    let get = |k: &str| js_sys::Reflect::get(&options, &k.into()).ok().filter(|v| !v.is_undefined() && !v.is_null());
    let text = |k: &str| get(k).and_then(|v| v.as_string());
    let certs = |k: &str| -> Result<Vec<Vec<u8>>, JsError> {
        let Some(pem) = text(k) else { return Ok(Vec::new()) };
        pki::pem::split(&pem)
            .into_iter()
            .filter(|b| b.label == "CERTIFICATE")
            .map(|b| b.der.map_err(|e| JsError::new(&format!("{k}: {e}"))))
            .collect()
    };
    let leaf = certs("certificatePem")?.into_iter().next().ok_or_else(|| JsError::new("certificatePem: no CERTIFICATE block"))?;
    let chain = certs("chainPem")?;
    let password = zeroize::Zeroizing::new(text("password").unwrap_or_default());
    let profile = pki::Pkcs12Profile::parse(&text("profile").unwrap_or_else(|| "modern".into()), text("legacyCertCipher").as_deref())
        .map_err(js_err)?;
    let iterations = match get("iterations").and_then(|v| v.as_f64()) {
        None => pki::Pkcs12Options::default().iterations,
        Some(n) if n >= 1.0 && n <= u32::MAX as f64 && n.fract() == 0.0 => n as u32,
        Some(n) => return Err(JsError::new(&format!("iterations: {n} is not a positive whole number"))),
    };
    let options = pki::Pkcs12Options { profile, friendly_name: text("friendlyName"), iterations };
    let der = pki::export_pkcs12(&key.key, &leaf, &chain, &password, &options, &mut rand_core::OsRng).map_err(js_err)?;
    Ok(js_sys::Uint8Array::from(der.as_slice()))
}

/// Reads PKCS#12 bytes: the key (as a `KeyPair`), the certificates (leaf first) and the
/// friendly name. Throws a clear error ("wrong password or corrupted MAC", or what is malformed
/// and where); never one containing the password or key material.
#[wasm_bindgen(js_name = importPkcs12, unchecked_return_type = "Pkcs12Import")]
pub fn import_pkcs12(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] input: JsValue,
    password: Option<String>,
) -> Result<JsValue, JsError> {
    if input.is_string() {
        return Err(JsError::new("PKCS#12 is binary: pass a Uint8Array or an ArrayBuffer"));
    }
    let bytes = input_bytes(&input).map_err(|e| JsError::new(&e))?;
    let password = zeroize::Zeroizing::new(password.unwrap_or_default());
    let found = pki::import_pkcs12(&bytes, &password).map_err(js_err)?;
    let certificates: Vec<pki::CertificateInfo> = found
        .certificates
        .iter()
        .enumerate()
        .flat_map(|(i, der)| pki::parse_bundle(der, &format!("pkcs12 certificate {}", i + 1)).certificates)
        .collect();
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Rest<'a> {
        certificates: &'a [pki::CertificateInfo],
        friendly_name: &'a Option<String>,
        mac: &'a Option<String>,
        encryption: &'a [String],
        warnings: &'a [String],
    }
    let out = to_js(&Rest {
        certificates: &certificates,
        friendly_name: &found.friendly_name,
        mac: &found.mac,
        encryption: &found.encryption,
        warnings: &found.warnings,
    });
    let key = found.key.map_or(JsValue::NULL, |k| JsValue::from(KeyPair::new(k, "imported")));
    js_sys::Reflect::set(&out, &"key".into(), &key).map_err(|_| JsError::new("cannot build the result object"))?;
    Ok(out)
}

#[derive(Serialize)]
struct BuildResult {
    pem: Option<String>,
    errors: Vec<pki::FieldError>,
}

fn build_result(label: &str, r: Result<Vec<u8>, Vec<pki::FieldError>>) -> JsValue {
    to_js(&match r {
        Ok(der) => BuildResult { pem: Some(pki::pem::encode(label, &der)), errors: Vec::new() },
        Err(errors) => BuildResult { pem: None, errors },
    })
}

fn from_js<T: serde::de::DeserializeOwned>(v: JsValue, field: &str) -> Result<T, Vec<pki::FieldError>> {
    serde_wasm_bindgen::from_value(v).map_err(|e| vec![pki::FieldError { field: field.into(), message: e.to_string() }])
}

fn pem_der(pem: &str, field: &str) -> Result<Vec<u8>, Vec<pki::FieldError>> {
    let fe = |m: String| vec![pki::FieldError { field: field.into(), message: m }];
    if !pki::pem::looks_like_pem(pem.as_bytes()) {
        return Err(fe("expected PEM text".into()));
    }
    pki::pem::split(pem).into_iter().next().ok_or_else(|| fe("no PEM block".into()))?.der.map_err(fe)
}

/// Builds and signs a PKCS#10 request. Returns `{ pem, errors }`: the PEM, or every field problem.
#[wasm_bindgen(js_name = createCsr, unchecked_return_type = "BuildResult")]
pub fn create_csr(key: &KeyPair, #[wasm_bindgen(unchecked_param_type = "CsrParams")] params: JsValue) -> JsValue {
    build_result("CERTIFICATE REQUEST", from_js::<pki::CsrParams>(params, "params").and_then(|p| p.build(&key.key)))
}

fn random20() -> [u8; 20] {
    let mut r = [0u8; 20];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut r);
    r
}

/// Issues a certificate: self-signed (no issuer) or signed by a CA whose key is loaded, for a
/// key or a CSR, optionally checked against a vendor profile first.
#[wasm_bindgen(js_name = issueCertificate, unchecked_return_type = "BuildResult")]
pub fn issue_certificate(#[wasm_bindgen(unchecked_param_type = "IssueRequest")] request: JsValue) -> JsValue {
    build_result("CERTIFICATE", issue(request))
}

fn issue(request: JsValue) -> Result<Vec<u8>, Vec<pki::FieldError>> {
    let get = |k: &str| js_sys::Reflect::get(&request, &k.into()).ok().filter(|v| !v.is_undefined() && !v.is_null());
    let subject_key = get("subjectKey").and_then(|v| key_from_js(&v));
    let issuer_key = get("issuerKey").and_then(|v| key_from_js(&v));
    let params: pki::CertParams = from_js(get("params").unwrap_or(JsValue::UNDEFINED), "params")?;
    let profile: pki::Profile = match get("profile") {
        Some(p) => from_js(p, "profile")?,
        None => pki::Profile::Custom,
    };
    let csr = get("csrPem").and_then(|v| v.as_string()).map(|p| pem_der(&p, "csrPem")).transpose()?;
    let issuer_cert = get("issuerCertificatePem").and_then(|v| v.as_string()).map(|p| pem_der(&p, "issuerCertificatePem")).transpose()?;
    let missing = |f: &str, m: &str| vec![pki::FieldError { field: f.into(), message: m.into() }];
    let subject = match (&csr, &subject_key) {
        (Some(der), _) => pki::CertSubject::Csr(der),
        (None, Some(k)) => pki::CertSubject::Key(k.as_ref()),
        (None, None) => return Err(missing("subjectKey", "give a subject key or a CSR")),
    };
    let issuer = match (&issuer_cert, &issuer_key) {
        (Some(cert), Some(k)) => Some(pki::Issuer { certificate: cert, key: k.as_ref() }),
        (None, None) => None,
        _ => return Err(missing("issuerKey", "an issuing CA needs both its certificate and its key")),
    };
    profile.issue(&params, subject, issuer, random20(), (js_sys::Date::now() / 1000.0) as i64)
}

/// Issues a CRL signed by a CA whose key is loaded. Returns `{ pem, errors }`.
#[wasm_bindgen(js_name = issueCrl, unchecked_return_type = "BuildResult")]
pub fn issue_crl(#[wasm_bindgen(unchecked_param_type = "CrlRequest")] request: JsValue, issuer_key: &KeyPair) -> JsValue {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Req {
        issuer_certificate_pem: String,
        revoked: Vec<pki::Revocation>,
        this_update: i64,
        next_update: i64,
        crl_number: u64,
        #[serde(default)]
        hash: pki::HashAlgorithm,
    }
    let r = from_js::<Req>(request, "request").and_then(|r| {
        let cert = pem_der(&r.issuer_certificate_pem, "issuerCertificatePem")?;
        pki::issue_crl(
            pki::Issuer { certificate: &cert, key: &issuer_key.key },
            &r.revoked,
            r.this_update,
            r.next_update,
            r.crl_number,
            r.hash,
        )
    });
    build_result("X509 CRL", r)
}

/// What breaks `profile` for these parameters and key (empty when nothing does).
#[wasm_bindgen(js_name = checkProfile, unchecked_return_type = "FieldError[]")]
pub fn check_profile(
    #[wasm_bindgen(unchecked_param_type = "ProfileName")] profile: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CertParams")] params: JsValue,
    key: &KeyPair,
    has_issuer: bool,
) -> JsValue {
    let r = from_js::<pki::Profile>(profile, "profile")
        .and_then(|p| Ok((p, from_js::<pki::CertParams>(params, "params")?)))
        .map(|(p, params)| p.check(&params, &key.key.facts(), has_issuer, (js_sys::Date::now() / 1000.0) as i64));
    to_js(&r.unwrap_or_else(|e| e))
}

/// Parameters that satisfy `profile`, valid from `now` (Unix seconds).
#[wasm_bindgen(js_name = profileDefaults, unchecked_return_type = "CertParams")]
pub fn profile_defaults(#[wasm_bindgen(unchecked_param_type = "ProfileName")] profile: JsValue, now: f64) -> Result<JsValue, JsError> {
    let p: pki::Profile = serde_wasm_bindgen::from_value(profile).map_err(js_err)?;
    Ok(to_js(&p.defaults(now as i64)))
}

// ---- Akamai CA sets --------------------------------------------------------------------

#[wasm_bindgen(typescript_custom_section)]
const TS_AKAMAI_TYPES: &'static str = r#"
/** A CA-set version body, as Akamai takes it. */
export interface CaSetVersionBody { allowInsecureSha1?: boolean; description?: string | null; certificates: { certificatePem: string; description?: string | null }[]; }
/** One validation finding, in Akamai's problem shape. */
export interface CaSetFinding { type: string; title: string; detail: string; pointer: string; }
/** Akamai's validation object. */
export interface CaSetValidation { errors: CaSetFinding[]; warnings: CaSetFinding[]; notices: CaSetFinding[]; }
/** An existing version (e.g. from GET …/versions?includeCertificates=true); other fields are ignored. */
export interface ExistingVersion { version: number; certificates: { certificatePem: string }[]; }
/** A certificate in a version comparison. */
export interface ComparedCertificate { fingerprint: string; subject: string; expires: string; }
/** What changed from version a to version b, by SHA-256 fingerprint. */
export interface VersionDiff { added: ComparedCertificate[]; removed: ComparedCertificate[]; unchanged: ComparedCertificate[]; }
"#;

use crate::vendors::akamai::validate as casets;

/// Validates a CA-set version body the way Akamai does, at `checkTime` (Unix seconds).
/// Returns `{ errors, warnings, notices }`; a body that is not even the right shape is one error.
#[wasm_bindgen(js_name = validateCaSetVersion, unchecked_return_type = "CaSetValidation")]
pub fn validate_ca_set_version(#[wasm_bindgen(unchecked_param_type = "CaSetVersionBody")] body: JsValue, check_time: f64) -> JsValue {
    match serde_wasm_bindgen::from_value::<casets::VersionBody>(body) {
        Ok(body) => to_js(&casets::validate_version(&body, check_time as i64)),
        Err(e) => to_js(&casets::Validation {
            errors: vec![casets::Finding {
                kind: "/mtls-edge-truststore/error-types/invalid-request".into(),
                title: "The version body is not valid.".into(),
                detail: e.to_string(),
                pointer: String::new(),
            }],
            ..Default::default()
        }),
    }
}

#[derive(serde::Deserialize)]
struct ExistingVersion {
    version: u32,
    #[serde(default)]
    certificates: Vec<casets::CertificateEntry>,
}

/// The number of an existing version with exactly the same certificates (order and
/// `allowInsecureSha1` do not matter), or `undefined`: Akamai refuses such a version with a 422.
#[wasm_bindgen(js_name = findDuplicateVersion)]
pub fn find_duplicate_version(
    #[wasm_bindgen(unchecked_param_type = "CaSetVersionBody")] body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ExistingVersion[]")] existing: JsValue,
) -> Result<Option<u32>, JsError> {
    let body: casets::VersionBody = serde_wasm_bindgen::from_value(body).map_err(js_err)?;
    let existing: Vec<ExistingVersion> = serde_wasm_bindgen::from_value(existing).map_err(js_err)?;
    let sets: Vec<(u32, std::collections::BTreeSet<String>)> = existing
        .into_iter()
        .map(|v| (v.version, casets::fingerprint_set(&casets::VersionBody { certificates: v.certificates, ..Default::default() })))
        .collect();
    Ok(casets::duplicate_of(&casets::fingerprint_set(&body), &sets))
}

/// Compares two versions: certificates added in `b`, removed from `a`, and unchanged.
#[wasm_bindgen(js_name = compareVersions, unchecked_return_type = "VersionDiff")]
pub fn compare_versions(
    #[wasm_bindgen(unchecked_param_type = "CaSetVersionBody")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CaSetVersionBody")] b: JsValue,
) -> Result<JsValue, JsError> {
    let a: casets::VersionBody = serde_wasm_bindgen::from_value(a).map_err(js_err)?;
    let b: casets::VersionBody = serde_wasm_bindgen::from_value(b).map_err(js_err)?;
    Ok(to_js(&casets::compare_versions(&a, &b)))
}

// ---- Akamai EdgeGrid ---------------------------------------------------------------------

#[wasm_bindgen(typescript_custom_section)]
const TS_EDGEGRID_TYPES: &'static str = r#"
/** A request to sign with EdgeGrid. Credentials come from .edgerc text (and a section, default
 *  "default") or directly. timestamp: Unix seconds (default now); nonce: default a random UUID. */
export interface EdgeGridRequest {
  edgerc?: string; section?: string;
  credentials?: { host: string; clientToken: string; clientSecret: string; accessToken: string; maxBody?: number };
  method: string; pathAndQuery: string; accountSwitchKey?: string;
  headers?: Record<string, string>; body?: string | Uint8Array;
  timestamp?: number; nonce?: string;
}
/** The signed request: send pathAndQuery (accountSwitchKey included) with this Authorization header. */
export interface EdgeGridSigned { authorization: string; pathAndQuery: string; host: string; timestamp: string; nonce: string; }
"#;

/// Signs a request with Akamai EdgeGrid (`EG1-HMAC-SHA256`), byte for byte as Akamai's
/// reference signer does. Throws on missing credentials; messages never contain secrets.
#[wasm_bindgen(js_name = signEdgeGrid, unchecked_return_type = "EdgeGridSigned")]
pub fn sign_edge_grid(#[wasm_bindgen(unchecked_param_type = "EdgeGridRequest")] request: JsValue) -> Result<JsValue, JsError> {
    use crate::vendors::akamai::edgegrid;
    let get = |k: &str| js_sys::Reflect::get(&request, &k.into()).ok().filter(|v| !v.is_undefined() && !v.is_null());
    let text = |k: &str| get(k).and_then(|v| v.as_string());
    let creds = if let Some(edgerc) = text("edgerc") {
        edgegrid::Credentials::from_edgerc(&edgerc, &text("section").unwrap_or_else(|| "default".into())).map_err(js_err)?
    } else {
        let c = get("credentials").ok_or_else(|| JsError::new("give `edgerc` text or `credentials`"))?;
        let field = |k: &str| {
            js_sys::Reflect::get(&c, &k.into())
                .ok()
                .and_then(|v| v.as_string())
                .filter(|s| !s.is_empty())
                .ok_or_else(|| JsError::new(&format!("credentials.{k} is missing")))
        };
        let mut creds = edgegrid::Credentials::new(field("host")?, field("clientToken")?, field("clientSecret")?, field("accessToken")?);
        if let Some(max) = js_sys::Reflect::get(&c, &"maxBody".into()).ok().and_then(|v| v.as_f64()) {
            creds.max_body = max as usize;
        }
        creds
    };
    let method = text("method").ok_or_else(|| JsError::new("`method` is missing"))?;
    let mut path = text("pathAndQuery").ok_or_else(|| JsError::new("`pathAndQuery` is missing"))?;
    if let Some(key) = text("accountSwitchKey") {
        path = edgegrid::add_account_switch_key(&path, &key);
    }
    let body = match get("body") {
        Some(b) => input_bytes(&b).map_err(|e| JsError::new(&e))?,
        None => Vec::new(),
    };
    let header_pairs: Vec<(String, String)> = match get("headers") {
        Some(h) => js_sys::Object::entries(&h.into())
            .iter()
            .filter_map(|e| {
                let pair: js_sys::Array = e.into();
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect(),
        None => Vec::new(),
    };
    let headers: Vec<(&str, &str)> = header_pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let unix = get("timestamp").and_then(|v| v.as_f64()).unwrap_or_else(|| js_sys::Date::now() / 1000.0) as i64;
    let timestamp = edgegrid::timestamp(unix);
    let nonce = match text("nonce") {
        Some(n) => n,
        None => edgegrid::new_nonce().map_err(js_err)?,
    };
    let req = edgegrid::Request { method: &method, path_and_query: &path, headers: &headers, body: &body };
    let authorization = edgegrid::authorization_header(&creds, &req, &timestamp, &nonce);
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Signed {
        authorization: String,
        path_and_query: String,
        host: String,
        timestamp: String,
        nonce: String,
    }
    Ok(to_js(&Signed { authorization, path_and_query: path, host: creds.host.clone(), timestamp, nonce }))
}

// ---- OpenAI organization mTLS certificates -----------------------------------------------

#[wasm_bindgen(typescript_custom_section)]
const TS_OPENAI_TYPES: &'static str = r#"
/** One rule-pack finding: the field, what to change, and whether OpenAI refuses it ("error"). */
export interface OpenAiFinding { field: string; message: string; severity: "error" | "warning"; }
/** A CA uploaded to the organization: its PEM (from include[]=content), its id, and whether it is
 *  active at the scope the client certificate is for (omit when not known). */
export interface OpenAiUploadedCa { pem: string; id?: string; active?: boolean; }
/** Options of checkOpenAiCertificate. now: Unix seconds (default the current time). */
export interface OpenAiCheckOptions {
  kind: "ca" | "client";
  /** For a client certificate: the uploaded CAs (PEM strings or objects). */
  uploadedCas?: (string | OpenAiUploadedCa)[];
  /** For a client certificate: ids of the CAs active at the chosen scope; a CA with an id not
   *  listed counts as inactive. Overrides `active` of the objects above. */
  activeCaIds?: string[];
  /** For a CA: how many certificates the organization already lists (at most 50 in all). */
  listedCount?: number;
  now?: number;
}
/** Where certificates are active: ids at the organization, and per project id. */
export interface OpenAiActivationState { organization: string[]; projects: Record<string, string[]>; }
/** Why a delete is refused locally. */
export interface OpenAiDeleteRefused { id: string; organization: boolean; projects: string[]; message: string; }
/** Fingerprints and validity computed locally from a certificate's content. */
export interface OpenAiCertificateFacts {
  id: string; name: string | null; active: boolean | null;
  sha256Fingerprint: string | null; sha1Fingerprint: string | null; subjectDn: string | null;
  validFromUnix: number | null; expiresUnix: number | null; expires: string | null;
  isCa: boolean | null; daysLeft: number | null; problems: string[];
}
"#;

use crate::vendors::openai::{rules as openai_rules, workflow as openai_workflow};

fn js_now(now: Option<f64>) -> i64 {
    now.filter(|n| n.is_finite()).unwrap_or_else(|| js_sys::Date::now() / 1000.0) as i64
}

fn finding_error(field: &str, message: String) -> Vec<openai_rules::Finding> {
    vec![openai_rules::Finding { field: field.into(), message, severity: openai_rules::Severity::Error }]
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum CaInput {
    Pem(String),
    Ca(openai_rules::UploadedCa),
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenAiCheckOptions {
    kind: String,
    #[serde(default)]
    uploaded_cas: Vec<CaInput>,
    active_ca_ids: Option<Vec<String>>,
    #[serde(default)]
    listed_count: usize,
    now: Option<f64>,
}

fn uploaded_cas(list: Vec<CaInput>, active_ids: Option<&[String]>) -> Vec<openai_rules::UploadedCa> {
    list.into_iter()
        .map(|c| {
            let mut ca = match c {
                CaInput::Pem(pem) => openai_rules::UploadedCa { pem, ..Default::default() },
                CaInput::Ca(ca) => ca,
            };
            if let (Some(ids), Some(id)) = (active_ids, ca.id.as_deref()) {
                ca.active = Some(ids.iter().any(|a| a == id));
            }
            ca
        })
        .collect()
}

/// Runs OpenAI's rule pack on a CA (`kind: "ca"`) or a client certificate (`kind: "client"`).
/// Returns `{ findings }`; never throws (bad input is a finding on `certificate` or `options`).
#[wasm_bindgen(js_name = checkOpenAiCertificate, unchecked_return_type = "{ findings: OpenAiFinding[] }")]
pub fn check_openai_certificate(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] pem: JsValue,
    #[wasm_bindgen(unchecked_param_type = "OpenAiCheckOptions")] options: JsValue,
) -> JsValue {
    #[derive(Serialize)]
    struct Out {
        findings: Vec<openai_rules::Finding>,
    }
    let findings = match (input_bytes(&pem), serde_wasm_bindgen::from_value::<OpenAiCheckOptions>(options)) {
        (Err(e), _) => finding_error("certificate", e),
        (_, Err(e)) => finding_error("options", e.to_string()),
        (Ok(bytes), Ok(o)) => match o.kind.as_str() {
            "ca" => openai_rules::check_ca(&bytes, o.listed_count, js_now(o.now)),
            "client" => {
                let cas = uploaded_cas(o.uploaded_cas, o.active_ca_ids.as_deref());
                openai_rules::check_client(&bytes, &cas, js_now(o.now))
            }
            other => finding_error("options.kind", format!("{other:?} is neither \"ca\" nor \"client\"")),
        },
    };
    to_js(&Out { findings })
}

/// OpenAI's CA rules (CA bit, SKI, AKI keyIdentifier, keyCertSign + cRLSign, under 16 KB, not
/// expiring within a day, at most 50 with `listedCount` already listed). Returns the findings.
#[wasm_bindgen(js_name = checkOpenAiCa, unchecked_return_type = "OpenAiFinding[]")]
pub fn check_openai_ca(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] pem: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "{ listedCount?: number; now?: number }")] options: Option<js_sys::Object>,
) -> JsValue {
    let get = |k: &str| options.as_ref().and_then(|o| js_sys::Reflect::get(o, &k.into()).ok()).and_then(|v| v.as_f64());
    let findings = match input_bytes(&pem) {
        Ok(bytes) => openai_rules::check_ca(&bytes, get("listedCount").unwrap_or(0.0).max(0.0) as usize, js_now(get("now"))),
        Err(e) => finding_error("certificate", e),
    };
    to_js(&findings)
}

/// OpenAI's client-certificate rules against the uploaded CAs (`caPems`: PEM strings or
/// `{ pem, id, active }`). Returns the findings.
#[wasm_bindgen(js_name = checkOpenAiClientCertificate, unchecked_return_type = "OpenAiFinding[]")]
pub fn check_openai_client_certificate(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] pem: JsValue,
    #[wasm_bindgen(js_name = caPems, unchecked_param_type = "(string | OpenAiUploadedCa)[]")] ca_pems: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "{ now?: number }")] options: Option<js_sys::Object>,
) -> JsValue {
    let now = js_now(options.as_ref().and_then(|o| js_sys::Reflect::get(o, &"now".into()).ok()).and_then(|v| v.as_f64()));
    let findings = match (input_bytes(&pem), serde_wasm_bindgen::from_value::<Vec<CaInput>>(ca_pems)) {
        (Err(e), _) => finding_error("certificate", e),
        (_, Err(e)) => finding_error("caPems", e.to_string()),
        (Ok(bytes), Ok(cas)) => openai_rules::check_client(&bytes, &uploaded_cas(cas, None), now),
    };
    to_js(&findings)
}

/// Splits a selection of certificate ids into activate / deactivate calls of at most 10
/// (repeated and empty ids dropped, order kept).
#[wasm_bindgen(js_name = openAiBatches, unchecked_return_type = "string[][]")]
pub fn openai_batches(#[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue) -> Result<JsValue, JsError> {
    let ids: Vec<String> = serde_wasm_bindgen::from_value(ids).map_err(js_err)?;
    Ok(to_js(&openai_workflow::batches(&ids)))
}

/// `null` if deleting `id` is allowed as far as `state` knows; else where it is still active,
/// with a message for the user.
#[wasm_bindgen(js_name = openAiDeleteGuard, unchecked_return_type = "OpenAiDeleteRefused | null")]
pub fn openai_delete_guard(
    id: String,
    #[wasm_bindgen(unchecked_param_type = "OpenAiActivationState")] state: JsValue,
) -> Result<JsValue, JsError> {
    let state: openai_workflow::ActivationState = serde_wasm_bindgen::from_value(state).map_err(js_err)?;
    #[derive(Serialize)]
    struct Refused {
        #[serde(flatten)]
        inner: openai_workflow::DeleteRefused,
        message: String,
    }
    Ok(match state.check_delete(&id) {
        Ok(()) => JsValue::NULL,
        Err(r) => to_js(&Refused { message: r.message(), inner: r }),
    })
}

/// SHA-256 / SHA-1 fingerprints and validity of a certificate object as OpenAI returns it (with
/// `certificate_details.content` from `include[]=content`), at `now` (Unix seconds).
#[wasm_bindgen(js_name = openAiCertificateFacts, unchecked_return_type = "OpenAiCertificateFacts")]
pub fn openai_certificate_facts(
    #[wasm_bindgen(unchecked_param_type = "object")] certificate: JsValue,
    now: Option<f64>,
) -> Result<JsValue, JsError> {
    let c: crate::vendors::openai::models::Certificate = serde_wasm_bindgen::from_value(certificate).map_err(js_err)?;
    Ok(to_js(&openai_workflow::CertificateFacts::of(&c, js_now(now))))
}
// ---- MATTR DTS root CAs ----------------------------------------------------------------

#[wasm_bindgen(typescript_custom_section)]
const TS_MATTR_TYPES: &'static str = r#"
/** Options of the MATTR checks: the time (Unix seconds, default now) and the roots already listed in the tenant. */
export interface MattrCheckOptions { now?: number; listedCount?: number; }
/** The fields of a managed DTS root CA, as MATTR takes them. */
export interface MattrCreateRootFields { organisationName: string; commonName?: string; country?: string; notBefore?: string; notAfter?: string; }
/** What a VICAL signer certificate says besides the CSR's subject and key (Unix seconds). */
export interface VicalSignerOptions { notBefore?: number; notAfter?: number; days?: number; }
"#;

fn mattr_options(options: &JsValue) -> (i64, Option<usize>) {
    let get = |k: &str| js_sys::Reflect::get(options, &k.into()).ok().and_then(|v| v.as_f64());
    let now = get("now").unwrap_or_else(|| js_sys::Date::now() / 1000.0) as i64;
    (now, get("listedCount").map(|n| n.max(0.0) as usize))
}

/// MATTR's external-root rule pack on a root (PEM or DER): every `{ field, message }` finding,
/// empty when the root can be uploaded.
#[wasm_bindgen(js_name = checkMattrRootCa, unchecked_return_type = "FieldError[]")]
pub fn check_mattr_root_ca(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MattrCheckOptions | undefined")] options: JsValue,
) -> JsValue {
    let (now, listed) = mattr_options(&options);
    match input_bytes(&input) {
        Ok(bytes) => to_js(&crate::vendors::mattr::rules::check_root_ca(&bytes, now, listed)),
        Err(m) => to_js(&[pki::FieldError { field: "certificate".into(), message: m }]),
    }
}

/// MATTR's checks on a managed root's creation fields: every `{ field, message }` finding.
#[wasm_bindgen(js_name = checkMattrCreateRoot, unchecked_return_type = "FieldError[]")]
pub fn check_mattr_create_root(
    #[wasm_bindgen(unchecked_param_type = "MattrCreateRootFields")] fields: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MattrCheckOptions | undefined")] options: JsValue,
) -> JsValue {
    let (now, listed) = mattr_options(&options);
    let r = from_js::<crate::vendors::mattr::models::CreateManagedRootCa>(fields, "organisationName")
        .map(|f| crate::vendors::mattr::rules::check_create_root(&f, now, listed));
    to_js(&r.unwrap_or_else(|e| e))
}

/// Signs a VICAL signer's CSR with the root (PEM) and its loaded key. Returns `{ pem, errors }`.
#[wasm_bindgen(js_name = signVicalSignerCsr, unchecked_return_type = "BuildResult")]
pub fn sign_vical_signer_csr(
    csr_pem: String,
    root_certificate_pem: String,
    root_key: &KeyPair,
    #[wasm_bindgen(unchecked_param_type = "VicalSignerOptions | undefined")] options: JsValue,
) -> JsValue {
    let get = |k: &str| js_sys::Reflect::get(&options, &k.into()).ok().and_then(|v| v.as_f64());
    let now = get("notBefore").unwrap_or_else(|| js_sys::Date::now() / 1000.0) as i64;
    let mut params = crate::vendors::mattr::workflow::VicalSignerParams::new(now, get("days").unwrap_or(365.0) as i64);
    if let Some(na) = get("notAfter") {
        params.not_after = na as i64;
    }
    let r = crate::vendors::mattr::workflow::sign_vical_signer_csr(
        &csr_pem,
        root_certificate_pem.as_bytes(),
        &root_key.key,
        &params,
        random20(),
    );
    to_js(&match r {
        Ok(pem) => BuildResult { pem: Some(pem), errors: Vec::new() },
        Err(errors) => BuildResult { pem: None, errors },
    })
}
