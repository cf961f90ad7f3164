//! The PKI core: pure Rust, no browser dependency, tested natively.
//!
//! Inputs go in as bytes, results come out as plain data ([`Bundle`]); nothing here reads the
//! clock, the network or the DOM.

// `deny`, not `forbid`: `digest` allows it for wasm SIMD loads and its target-feature call.
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod asn1;
mod build;
mod bundle;
mod cert;
mod chain;
mod crl;
mod csr;
mod digest;
mod keys;
mod names;
mod oids;
pub mod pem;
mod pkcs12;
mod profiles;
mod summary;
pub mod verify;

pub use build::{
    issue_certificate, issue_crl, key_identifier, parse_oid, prepare_certificate, prepare_crl, CertParams, CertSubject, CsrParams,
    FieldError, Issuer, Revocation, San, SignatureAlgorithm, SubjectFields, ToBeSigned,
};
pub use bundle::{parse_bundle, Bundle, Parser, Problem};
pub use cert::{iso8601_unix, CertificateInfo, ExtensionInfo, Role, ValidityState};
pub use chain::{dedupe, order_chain, ChainOrder};
pub use crl::{CrlInfo, RevokedEntry};
pub use csr::CsrInfo;
pub use digest::{fingerprints, Fingerprint};
pub use keys::{HashAlgorithm, Kdf, KeyAlgorithm, KeyError, PrivateKey};
pub use names::NameAttribute;
pub use pkcs12::{
    certificate_matches_key, export_pkcs12, import_pkcs12, issuer_chain, LegacyCertCipher, Pkcs12Contents, Pkcs12Error, Pkcs12Options,
    Pkcs12Profile,
};
pub use profiles::{KeyFacts, Profile};
pub use summary::{
    column_flags, summarize, summarize_bundle, summarize_bundle_into, CertificateSummary, Summaries, SummaryColumns, SummaryWriter,
    COLUMN_STRINGS,
};

/// Splits a parsed object's own bytes from what followed it, with the warning that says so.
fn own_bytes<'a>(der: &'a [u8], rest: &[u8], what: &str, warnings: &mut Vec<String>) -> &'a [u8] {
    if !rest.is_empty() {
        warnings.push(format!("{} unexpected bytes after the end of the {what} were ignored", rest.len()));
    }
    &der[..der.len() - rest.len()]
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Colon-separated uppercase form of a hex fingerprint (`AB:CD:…`), as openssl prints it.
pub fn colon_hex(hex: &str) -> String {
    let upper = hex.to_ascii_uppercase();
    let mut out = String::with_capacity(upper.len() * 3 / 2);
    for (i, pair) in upper.as_bytes().chunks(2).enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push_str(std::str::from_utf8(pair).unwrap_or_default());
    }
    out
}

/// Concatenated PEM of the given certificates, in order.
pub fn export_pem<'a>(certs: impl IntoIterator<Item = &'a CertificateInfo>) -> String {
    certs.into_iter().map(CertificateInfo::pem).collect()
}

#[doc(hidden)]
/// For the phase benchmark only.
pub fn der_violation_for_bench(der: &[u8]) -> usize {
    asn1::der_violation(der).map_or(0, |s| s.len())
}
