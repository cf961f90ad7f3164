//! The JS module (`pkg/`): a thin wasm-bindgen facade over [`crate::pki`].
//!
//! Every export takes plain JS values and returns plain JS objects whose field names are the
//! serde names of the core types (camelCase, vendor-document names where they exist). Nothing
//! throws on bad input: problems come back as data.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::pki;

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

fn input_bytes(input: &JsValue) -> Result<Vec<u8>, String> {
    if let Some(s) = input.as_string() {
        Ok(s.into_bytes())
    } else if input.is_instance_of::<js_sys::Uint8Array>() {
        Ok(js_sys::Uint8Array::new(input).to_vec())
    } else if input.is_instance_of::<js_sys::ArrayBuffer>() {
        Ok(js_sys::Uint8Array::new(input).to_vec())
    } else {
        Err("input must be a string, a Uint8Array or an ArrayBuffer".into())
    }
}

fn parse(input: &JsValue, name: Option<String>) -> pki::Bundle {
    let name = name.unwrap_or_else(|| "input".into());
    match input_bytes(input) {
        Ok(bytes) => pki::parse_bundle(&bytes, &name),
        Err(message) => pki::Bundle {
            problems: vec![pki::Problem { source: name, block: 0, line: 0, message }],
            ..Default::default()
        },
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
