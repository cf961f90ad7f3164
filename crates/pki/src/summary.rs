//! The summary fast path: what a certificate table needs (subject, issuer, serial, validity,
//! key, SHA-1 / SHA-256, role, warnings), with none of the rest of the full inspection.
//!
//! [`summarize_bundle`] loads an input exactly as [`super::parse_bundle`] does (same
//! certificates in the same order, same CRLs, CSRs and problems, same warnings), but for each
//! certificate it skips what only the detail view shows: the attribute lists of the names,
//! SANs, key usages, CRL distribution points, AIA, policies, the extension list with dotted
//! OIDs and hex values, the signature algorithm, ISO 8601 dates and the PEM. Each summary is
//! written straight into one JSON array (one string crosses into JS instead of an object per
//! field), and the certificates' DER is kept so [`Summaries::detail`] can inspect any one of
//! them in full on demand. The fingerprints are computed 64 certificates at a time
//! ([`super::digest`]: four per SIMD128 vector in wasm, SHA-NI natively) and the summaries
//! then written in input order. `tests/summary.rs` checks that every summary field equals the
//! full inspection's.

use serde::Serialize;
use x509_parser::extensions::ParsedExtension;

use super::bundle::CertSink;
use super::cert::{iso8601, key_summary, serial_hex, Role};
use super::names::{universal_string_attributes, write_rfc4514};
use super::{oids, Bundle, CertificateInfo, CrlInfo, CsrInfo, Parser, Problem};

/// The table fields of one certificate. Field names are those of [`CertificateInfo`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSummary {
    /// 0-based position among the certificates of the parse (as in `parseCertificates`).
    pub index: usize,
    /// Where it came from: file name and block position.
    pub source: String,
    /// Subject in RFC 4514 form.
    #[serde(rename = "subjectDN")]
    pub subject_dn: String,
    /// Issuer in RFC 4514 form.
    #[serde(rename = "issuerDN")]
    pub issuer_dn: String,
    /// Serial number, lowercase hex without leading zero octets (`-` prefix if negative).
    pub serial_number: String,
    /// notBefore as Unix seconds.
    pub valid_from_unix: i64,
    /// notAfter as Unix seconds.
    pub expires_unix: i64,
    /// Public key algorithm (`RSA`, `EC`, `Ed25519`, or the dotted OID).
    pub key_algorithm: String,
    /// Key size in bits; 0 when unknown.
    pub key_size: u32,
    /// Named curve for EC keys.
    pub curve: Option<String>,
    /// SHA-1 of the DER (serialized as lowercase hex).
    #[serde(serialize_with = "as_hex")]
    pub sha1_fingerprint: [u8; 20],
    /// SHA-256 of the DER (serialized as lowercase hex).
    #[serde(serialize_with = "as_hex")]
    pub sha256_fingerprint: [u8; 32],
    /// basicConstraints cA.
    pub is_ca: bool,
    /// Issued by itself (subject equals issuer, key identifiers agree if both present).
    pub self_signed: bool,
    /// Root, intermediate or leaf.
    pub role: Role,
    /// What is non-conformant (the same warnings, in the same order, as the full inspection).
    pub warnings: Vec<String>,
}

fn as_hex<S: serde::Serializer, const N: usize>(bytes: &[u8; N], s: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 64];
    s.serialize_str(hex_into(bytes, &mut buf))
}

/// Lowercase hex of at most 32 bytes, written into `buf`.
fn hex_into<'b>(bytes: &[u8], buf: &'b mut [u8; 64]) -> &'b str {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let n = bytes.len().min(32);
    for (i, &b) in bytes[..n].iter().enumerate() {
        buf[2 * i] = DIGITS[(b >> 4) as usize];
        buf[2 * i + 1] = DIGITS[(b & 15) as usize];
    }
    std::str::from_utf8(&buf[..2 * n]).unwrap_or_default()
}

/// Summarizes one certificate; `der` may carry trailing bytes (a warning, or OpenSSL trust data
/// when `trailing_expected`). Errors and warnings are exactly those of the full inspection.
pub fn summarize(der: &[u8], index: usize, source: String, trailing_expected: bool) -> Result<CertificateSummary, String> {
    let (mut summary, len) = summarize_unhashed(der, index, source, trailing_expected)?;
    (summary.sha1_fingerprint, summary.sha256_fingerprint) = super::digest::fingerprints(&[&der[..len]])[0];
    Ok(summary)
}

/// [`summarize`] without the fingerprints (left zero), and the length of the certificate's own
/// bytes at the start of `der`: the summary sink hashes certificates in batches.
fn summarize_unhashed(der: &[u8], index: usize, source: String, trailing_expected: bool) -> Result<(CertificateSummary, usize), String> {
    let mut warnings = Vec::new();
    let (cert, cert_der) = super::cert::decode_certificate(der, trailing_expected, &mut warnings)?;
    let tbs = &cert.tbs_certificate;
    for (which, name) in [("subject", &tbs.subject), ("issuer", &tbs.issuer)] {
        for attribute in universal_string_attributes(name) {
            warnings.push(format!("{which} attribute {attribute} is a UniversalString (deprecated; strict parsers refuse it)"));
        }
    }
    let mut subject_dn = String::with_capacity(tbs.subject.as_raw().len());
    write_rfc4514(&tbs.subject, &mut subject_dn);
    let mut issuer_dn = String::with_capacity(tbs.issuer.as_raw().len());
    write_rfc4514(&tbs.issuer, &mut issuer_dn);

    let raw_serial = tbs.raw_serial();
    let serial_number = serial_hex(raw_serial);
    let magnitude_len = raw_serial.iter().skip_while(|&&b| b == 0).count();
    if raw_serial.first().is_some_and(|b| b & 0x80 != 0) {
        warnings.push("serial number is negative (RFC 5280 requires a positive integer)".into());
    } else if magnitude_len == 0 {
        warnings.push("serial number is zero (RFC 5280 requires a positive integer)".into());
    }
    if raw_serial.len() > 20 {
        warnings.push(format!("serial number is {} octets long (RFC 5280 allows at most 20)", raw_serial.len()));
    }

    let not_before = tbs.validity.not_before.to_datetime();
    let not_after = tbs.validity.not_after.to_datetime();
    let (valid_from_unix, expires_unix) = (not_before.unix_timestamp(), not_after.unix_timestamp());
    for (which, t, dt) in [("notBefore", valid_from_unix, not_before), ("notAfter", expires_unix, not_after)] {
        if t < 0 {
            warnings.push(format!("{which} is before 1970 ({}); some strict parsers refuse such dates", iso8601(dt)));
        }
    }

    let (key_algorithm, key_size, curve) = key_summary(&tbs.subject_pki);
    if tbs.signature.algorithm != cert.signature_algorithm.algorithm {
        warnings.push("the signature algorithm inside the signed part differs from the outer one".into());
    }
    let version = u64::from(tbs.version.0) + 1;
    if version > 3 {
        warnings.push(format!("unknown X.509 version {version}"));
    }
    if !tbs.extensions().is_empty() && version != 3 {
        warnings.push(format!("version {version} certificate carries extensions (only v3 may)"));
    }

    // Only what the role and the warnings need: basicConstraints, the key identifiers,
    // undecodable and duplicate extensions (later occurrences win, as in the full inspection).
    let mut is_ca = false;
    let mut ski: Option<&[u8]> = None;
    let mut aki: Option<&[u8]> = None;
    let mut seen: Vec<&[u8]> = Vec::with_capacity(tbs.extensions().len());
    for ext in tbs.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::BasicConstraints(bc) => is_ca = bc.ca,
            ParsedExtension::SubjectKeyIdentifier(k) => ski = Some(k.0),
            ParsedExtension::AuthorityKeyIdentifier(a) => aki = a.key_identifier.as_ref().map(|k| k.0),
            ParsedExtension::ParseError { error } => {
                let oid = oids::dotted(&ext.oid);
                warnings.push(format!(
                    "extension {} could not be decoded ({error}); shown as raw hex",
                    oids::label(oids::extension(&oid), &oid)
                ));
            }
            _ => {}
        }
        let oid_bytes = ext.oid.as_bytes();
        if seen.contains(&oid_bytes) {
            let oid = oids::dotted(&ext.oid);
            warnings.push(format!("extension {} appears more than once", oids::label(oids::extension(&oid), &oid)));
        } else {
            seen.push(oid_bytes);
        }
    }
    let self_signed = tbs.subject.as_raw() == tbs.issuer.as_raw()
        && match (ski, aki) {
            (Some(s), Some(a)) => s == a,
            _ => true,
        };
    let role = match (is_ca, self_signed) {
        (true, true) => Role::Root,
        (true, false) => Role::Intermediate,
        (false, true) if version == 1 => Role::Root,
        _ => Role::Leaf,
    };
    if let Some(violation) = super::asn1::der_violation(cert_der) {
        warnings.push(format!("not valid DER: {violation} (strict parsers such as x509-cert refuse it)"));
    }
    let summary = CertificateSummary {
        index,
        source,
        subject_dn,
        issuer_dn,
        serial_number,
        valid_from_unix,
        expires_unix,
        key_algorithm,
        key_size,
        curve,
        sha1_fingerprint: [0; 20],
        sha256_fingerprint: [0; 32],
        is_ca,
        self_signed,
        role,
        warnings,
    };
    Ok((summary, cert_der.len()))
}

/// What one certificate needs for its full inspection later.
struct Kept {
    /// Range of its bytes (as loaded, trailing data included) in [`Summaries::der`].
    range: std::ops::Range<usize>,
    trusted: bool,
    source: String,
}

/// The result of [`summarize_bundle`]: the certificates' summaries as one JSON array, the rest
/// of the input as the full parse has it, and each certificate's DER for [`Summaries::detail`].
#[derive(Default)]
pub struct Summaries {
    /// `[CertificateSummary, …]` as JSON, in input order.
    pub certificates_json: String,
    /// CRLs, in input order (fully inspected: they are rare and have no summary).
    pub crls: Vec<CrlInfo>,
    /// CSRs, in input order.
    pub csrs: Vec<CsrInfo>,
    /// Blocks that could not be loaded.
    pub problems: Vec<Problem>,
    der: Vec<u8>,
    kept: Vec<Kept>,
}

impl Summaries {
    /// Number of certificates loaded.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// No certificate loaded.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// The full inspection of certificate `index`: equal to `parse_bundle(..).certificates[index]`.
    pub fn detail(&self, index: usize) -> Option<CertificateInfo> {
        let kept = self.kept.get(index)?;
        super::cert::inspect(&self.der[kept.range.clone()], index, kept.source.clone(), kept.trusted).ok()
    }

    /// The whole result as one JSON object: `{"certificates":[…],"crls":[…],"csrs":[…],"problems":[…]}`.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"certificates\":{},\"crls\":{},\"csrs\":{},\"problems\":{}}}",
            self.certificates_json,
            list_json(&self.crls),
            list_json(&self.csrs),
            list_json(&self.problems)
        )
    }
}

/// JSON of a list of plain data (serialization cannot fail).
fn list_json<T: Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// Where [`summarize_bundle_into`] puts each certificate's summary.
pub trait SummaryWriter {
    /// Takes the summary of the next certificate (in input order).
    fn write(&mut self, summary: &CertificateSummary);
}

/// Writes each summary into one JSON array (what [`summarize_bundle`] uses).
struct JsonWriter(Vec<u8>);

impl SummaryWriter for JsonWriter {
    fn write(&mut self, summary: &CertificateSummary) {
        self.0.push(if self.0.is_empty() { b'[' } else { b',' });
        // Strings, numbers and booleans only: writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.0, summary);
    }
}

/// The strings of each certificate in [`SummaryColumns::text`], in this order, followed by its
/// warnings.
pub const COLUMN_STRINGS: [&str; 8] =
    ["source", "subjectDN", "issuerDN", "serialNumber", "keyAlgorithm", "curve", "sha1Fingerprint", "sha256Fingerprint"];

/// [`SummaryColumns::flags`] bits.
pub mod column_flags {
    /// basicConstraints cA.
    pub const IS_CA: u8 = 1;
    /// Issued by itself.
    pub const SELF_SIGNED: u8 = 2;
    /// `curve` is set (otherwise its string is empty and the field is `null`).
    pub const HAS_CURVE: u8 = 4;
    /// The role is `(flags >> ROLE_SHIFT) & 3`: 0 root, 1 intermediate, 2 leaf.
    pub const ROLE_SHIFT: u8 = 3;
}

/// Every summary as columns, for the JS module's table (`parseCertificateTable`): one text holding
/// all the strings, typed arrays for the rest. Nothing is built per field until a field is read.
///
/// Certificate `i`'s strings are numbers `first[i]..first[i + 1]`: the [`COLUMN_STRINGS`] in
/// order, then its warnings. String `k` is `text[bounds[k]..bounds[k + 1]]`, with `bounds` in
/// UTF-16 code units (JavaScript string indices), not bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryColumns {
    /// All strings, concatenated.
    pub text: String,
    /// UTF-16 offsets into `text`: `bounds[0] == 0`, string `k` ends at `bounds[k + 1]`.
    pub bounds: Vec<u32>,
    /// Index of each certificate's first string; one more entry than there are certificates.
    pub first: Vec<u32>,
    /// notBefore and notAfter (Unix seconds) of each certificate, two per certificate.
    pub times: Vec<f64>,
    /// Key size in bits (0 when unknown).
    pub key_sizes: Vec<u32>,
    /// [`column_flags`] and the role.
    pub flags: Vec<u8>,
}

impl Default for SummaryColumns {
    fn default() -> Self {
        SummaryColumns { text: String::new(), bounds: vec![0], first: vec![0], times: Vec::new(), key_sizes: Vec::new(), flags: Vec::new() }
    }
}

impl SummaryColumns {
    /// Number of certificates.
    pub fn len(&self) -> usize {
        self.flags.len()
    }

    /// No certificate.
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }

    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
        let units = if s.is_ascii() { s.len() } else { s.encode_utf16().count() };
        let end = self.bounds.last().copied().unwrap_or(0) + units as u32;
        self.bounds.push(end);
    }

    /// String `k` of certificate `i` (see [`COLUMN_STRINGS`]); for tests and native callers.
    pub fn string(&self, i: usize, k: usize) -> Option<String> {
        let j = *self.first.get(i)? as usize + k;
        if j >= *self.first.get(i + 1)? as usize {
            return None;
        }
        let (a, b) = (self.bounds[j] as usize, self.bounds[j + 1] as usize);
        let units: Vec<u16> = self.text.encode_utf16().skip(a).take(b - a).collect();
        Some(String::from_utf16_lossy(&units))
    }
}

impl SummaryWriter for SummaryColumns {
    fn write(&mut self, s: &CertificateSummary) {
        self.push_str(&s.source);
        self.push_str(&s.subject_dn);
        self.push_str(&s.issuer_dn);
        self.push_str(&s.serial_number);
        self.push_str(&s.key_algorithm);
        self.push_str(s.curve.as_deref().unwrap_or(""));
        let mut buf = [0u8; 64];
        self.push_str(hex_into(&s.sha1_fingerprint, &mut buf));
        self.push_str(hex_into(&s.sha256_fingerprint, &mut buf));
        for w in &s.warnings {
            self.push_str(w);
        }
        self.first.push((self.bounds.len() - 1) as u32);
        self.times.push(s.valid_from_unix as f64);
        self.times.push(s.expires_unix as f64);
        self.key_sizes.push(s.key_size);
        let role = match s.role {
            Role::Root => 0,
            Role::Intermediate => 1,
            Role::Leaf => 2,
        };
        let mut flags = role << column_flags::ROLE_SHIFT;
        for (set, bit) in
            [(s.is_ca, column_flags::IS_CA), (s.self_signed, column_flags::SELF_SIGNED), (s.curve.is_some(), column_flags::HAS_CURVE)]
        {
            if set {
                flags |= bit;
            }
        }
        self.flags.push(flags);
    }
}

/// How many certificates the summary sink holds before hashing them together (see
/// [`super::digest`]); enough that the four SIMD lanes of the wasm build rarely idle.
const HASH_BATCH: usize = 64;

/// A summarized certificate waiting for its fingerprints.
struct Pending {
    summary: CertificateSummary,
    /// Its bytes as loaded in [`SummarySink::der`], and how many of them are the certificate.
    range: std::ops::Range<usize>,
    cert_len: usize,
    trusted: bool,
}

/// The summary sink: summarizes each certificate, keeps its DER, and hands the summaries to the
/// writer in input order, [`HASH_BATCH`] at a time once they are hashed.
struct SummarySink<'w, W: SummaryWriter> {
    writer: &'w mut W,
    der: Vec<u8>,
    kept: Vec<Kept>,
    pending: Vec<Pending>,
}

impl<W: SummaryWriter> SummarySink<'_, W> {
    /// Hashes the pending certificates and writes their summaries.
    fn flush(&mut self) {
        let ders: Vec<&[u8]> = self.pending.iter().map(|p| &self.der[p.range.start..p.range.start + p.cert_len]).collect();
        let fingerprints = super::digest::fingerprints(&ders);
        for (mut p, (sha1, sha256)) in self.pending.drain(..).zip(fingerprints) {
            (p.summary.sha1_fingerprint, p.summary.sha256_fingerprint) = (sha1, sha256);
            self.writer.write(&p.summary);
            self.kept.push(Kept { range: p.range, trusted: p.trusted, source: p.summary.source });
        }
    }
}

impl<W: SummaryWriter> CertSink for SummarySink<'_, W> {
    fn cert(&mut self, der: &[u8], src: &str, trusted: bool) -> Result<(), String> {
        let index = self.kept.len() + self.pending.len();
        let (summary, cert_len) = summarize_unhashed(der, index, src.to_string(), trusted)?;
        let start = self.der.len();
        self.der.extend_from_slice(der);
        self.pending.push(Pending { summary, range: start..self.der.len(), cert_len, trusted });
        if self.pending.len() >= HASH_BATCH {
            self.flush();
        }
        Ok(())
    }
}

/// Loads `input` like [`super::parse_bundle`], summarizing each certificate instead of
/// inspecting it in full.
pub fn summarize_bundle(input: &[u8], name: &str) -> Summaries {
    let mut json = JsonWriter(Vec::with_capacity(input.len() / 4));
    let mut summaries = summarize_bundle_into(input, name, &mut json);
    let mut json = json.0;
    if json.is_empty() {
        json.push(b'[');
    }
    json.push(b']');
    // serde_json writes valid UTF-8.
    summaries.certificates_json = String::from_utf8(json).unwrap_or_else(|_| "[]".into());
    summaries
}

/// Loads `input` like [`summarize_bundle`], handing each certificate's summary to `writer`
/// (e.g. [`SummaryColumns`]) instead of writing JSON; `certificates_json` of the result is empty.
pub fn summarize_bundle_into<W: SummaryWriter>(input: &[u8], name: &str, writer: &mut W) -> Summaries {
    let mut sink =
        SummarySink { writer, der: Vec::with_capacity(input.len() * 3 / 4), kept: Vec::new(), pending: Vec::with_capacity(HASH_BATCH) };
    let mut rest = Bundle::default();
    let mut parser = Parser::new(input, name);
    while !parser.step_into(usize::MAX, &mut rest, &mut sink) {}
    sink.flush();
    Summaries {
        certificates_json: String::new(),
        crls: rest.crls,
        csrs: rest.csrs,
        problems: rest.problems,
        der: sink.der,
        kept: sink.kept,
    }
}
