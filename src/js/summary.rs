//! The JS module's fast path for big bundles: `parseCertificateSummaries` and
//! `summarizeCertificatesJson` ([`crate::pki::summarize_bundle`]).
//!
//! `parseCertificates` builds every field of every certificate as a JS object, which costs more
//! than parsing does. Here the table fields of all certificates cross into JS as one JSON
//! string (one `JSON.parse` in V8, no object-per-field conversion), and the full
//! `CertificateInfo` of a certificate is made only when asked for, by
//! `CertificateStore.detail(index)`. `parseCertificateTable` goes one step further: the fields
//! cross as columns (one string for every text field, typed arrays for the rest) into a
//! `CertificateTable` (`src/js/table.js`) that builds a summary object only when one is read.

use wasm_bindgen::prelude::*;

use crate::pki;

#[wasm_bindgen(typescript_custom_section)]
const TS_SUMMARY_TYPES: &'static str = r#"
/** The table fields of a certificate (parseCertificateSummaries). Names as in CertificateInfo. */
export interface CertificateSummary {
  index: number;
  source: string;
  subjectDN: string;
  issuerDN: string;
  /** Lowercase hex, leading zero octets stripped; "-" prefix if negative. */
  serialNumber: string;
  /** Unix seconds (new Date(validFromUnix * 1000)). */
  validFromUnix: number;
  expiresUnix: number;
  keyAlgorithm: string;
  keySize: number;
  curve: string | null;
  sha1Fingerprint: string;
  sha256Fingerprint: string;
  isCa: boolean;
  selfSigned: boolean;
  role: "root" | "intermediate" | "leaf";
  /** The same warnings as CertificateInfo.warnings. */
  warnings: string[];
}
/**
 * The certificates of parseCertificateTable as columns: each field read by index without an
 * object per certificate; get(i) builds the CertificateSummary. Index out of range: RangeError.
 */
export interface CertificateTable extends Iterable<CertificateSummary> {
  readonly length: number;
  get(index: number): CertificateSummary;
  toArray(): CertificateSummary[];
  index(index: number): number;
  source(index: number): string;
  subjectDN(index: number): string;
  issuerDN(index: number): string;
  serialNumber(index: number): string;
  validFromUnix(index: number): number;
  expiresUnix(index: number): number;
  keyAlgorithm(index: number): string;
  keySize(index: number): number;
  curve(index: number): string | null;
  sha1Fingerprint(index: number): string;
  sha256Fingerprint(index: number): string;
  isCa(index: number): boolean;
  selfSigned(index: number): boolean;
  role(index: number): "root" | "intermediate" | "leaf";
  warnings(index: number): string[];
}
/** The result of parseCertificateTable. Call store.free() when done with the details. */
export interface TableResult {
  certificates: CertificateTable;
  crls: CrlInfo[];
  csrs: CsrInfo[];
  problems: Problem[];
  store: CertificateStore;
}
/** The result of parseCertificateSummaries. Call store.free() when done with the details. */
export interface SummaryResult {
  certificates: CertificateSummary[];
  crls: CrlInfo[];
  csrs: CsrInfo[];
  problems: Problem[];
  store: CertificateStore;
}
"#;

/// The certificates of a `parseCertificateSummaries` call, kept in wasm memory (their DER, about
/// the size of the input) so any one can be inspected in full later. `free()` releases them.
#[wasm_bindgen]
pub struct CertificateStore {
    summaries: pki::Summaries,
}

#[wasm_bindgen]
impl CertificateStore {
    /// Number of certificates.
    #[wasm_bindgen(getter)]
    pub fn count(&self) -> u32 {
        self.summaries.len() as u32
    }

    /// The full `CertificateInfo` of certificate `index`, equal to
    /// `parseCertificates(input).certificates[index]`. Throws a `RangeError` for an index out of range.
    #[wasm_bindgen(unchecked_return_type = "CertificateInfo")]
    pub fn detail(&self, index: u32) -> Result<JsValue, JsValue> {
        match self.summaries.detail(index as usize) {
            Some(info) => Ok(super::to_js(&info)),
            None => Err(js_sys::RangeError::new(&format!(
                "certificate index {index} is out of range (there are {} certificates)",
                self.summaries.len()
            ))
            .into()),
        }
    }
}

fn summarize(input: &JsValue, source_name: Option<String>) -> pki::Summaries {
    let name = source_name.unwrap_or_else(|| "input".into());
    match super::input_bytes(input) {
        Ok(bytes) => pki::summarize_bundle(&bytes, &name),
        Err(message) => {
            let mut s = pki::summarize_bundle(&[], &name);
            s.problems.push(pki::Problem { source: name, block: 0, line: 0, message });
            s
        }
    }
}

#[wasm_bindgen(module = "/src/js/table.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeCertificateTable)]
    fn make_certificate_table(
        // The UTF-8 of the text column, passed as a view of wasm memory (decoded in table.js).
        text: &[u8],
        bounds: js_sys::Uint32Array,
        first: js_sys::Uint32Array,
        times: js_sys::Float64Array,
        key_sizes: js_sys::Uint32Array,
        flags: js_sys::Uint8Array,
    ) -> JsValue;
}

/// The fast path with a compact result: loads like `parseCertificateSummaries`, but the
/// certificates come back as a `CertificateTable` (`src/js/table.js`): their fields in columns
/// (one string holding every text field, typed arrays for the rest), read one field at a time
/// (`table.subjectDN(i)`, `table.sha256Fingerprint(i)`, …) or as a `CertificateSummary` object
/// built on access (`table.get(i)`, iteration, `toArray()`), equal to
/// `parseCertificateSummaries(input).certificates[i]`. No object is built per certificate until
/// one is asked for. Never throws.
#[wasm_bindgen(js_name = parseCertificateTable, unchecked_return_type = "TableResult")]
pub fn parse_certificate_table(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue,
    #[wasm_bindgen(js_name = "sourceName")] source_name: Option<String>,
) -> JsValue {
    let name = source_name.unwrap_or_else(|| "input".into());
    let mut columns = pki::SummaryColumns::default();
    let summaries = match super::input_bytes(&input) {
        Ok(bytes) => pki::summarize_bundle_into(&bytes, &name, &mut columns),
        Err(message) => {
            let mut s = pki::summarize_bundle_into(&[], &name, &mut columns);
            s.problems.push(pki::Problem { source: name, block: 0, line: 0, message });
            s
        }
    };
    let table = make_certificate_table(
        columns.text.as_bytes(),
        js_sys::Uint32Array::from(&columns.bounds[..]),
        js_sys::Uint32Array::from(&columns.first[..]),
        js_sys::Float64Array::from(&columns.times[..]),
        js_sys::Uint32Array::from(&columns.key_sizes[..]),
        js_sys::Uint8Array::from(&columns.flags[..]),
    );
    drop(columns);
    let result = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(&result, &JsValue::from_str(key), value);
    };
    set("certificates", &table);
    set("crls", &super::to_js(&summaries.crls));
    set("csrs", &super::to_js(&summaries.csrs));
    set("problems", &super::to_js(&summaries.problems));
    set("store", &CertificateStore { summaries }.into());
    result.into()
}

/// The fast path for big bundles: loads like `parseCertificates` (same certificates in the same
/// order, same CRLs, CSRs, problems and warnings), but returns only the table fields of each
/// certificate (`CertificateSummary`) plus a `store` whose `detail(index)` gives the full
/// `CertificateInfo` on demand. Never throws.
#[wasm_bindgen(js_name = parseCertificateSummaries, unchecked_return_type = "SummaryResult")]
pub fn parse_certificate_summaries(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue,
    #[wasm_bindgen(js_name = "sourceName")] source_name: Option<String>,
) -> JsValue {
    let summaries = summarize(&input, source_name);
    let result = js_sys::Object::new();
    // One string crosses into JS and V8 parses it in one go; it is valid JSON by construction.
    let certificates = js_sys::JSON::parse(&summaries.certificates_json).unwrap_or_else(|_| js_sys::Array::new().into());
    let set = |key: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(&result, &JsValue::from_str(key), value);
    };
    set("certificates", &certificates);
    set("crls", &super::to_js(&summaries.crls));
    set("csrs", &super::to_js(&summaries.csrs));
    set("problems", &super::to_js(&summaries.problems));
    set("store", &CertificateStore { summaries }.into());
    result.into()
}

/// The same result as `parseCertificateSummaries` without the store, as one JSON string:
/// `{"certificates":[…],"crls":[…],"csrs":[…],"problems":[…]}`. For handing a bundle's table to
/// another thread or process without building JS objects first. Never throws.
#[wasm_bindgen(js_name = summarizeCertificatesJson)]
pub fn summarize_certificates_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue,
    #[wasm_bindgen(js_name = "sourceName")] source_name: Option<String>,
) -> String {
    summarize(&input, source_name).to_json()
}
