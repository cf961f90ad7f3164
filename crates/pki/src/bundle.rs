//! Loading whatever the user drops or pastes: PEM bundles (any label the inspector knows),
//! DER certificates, PKCS#7 / CMS bundles, CRLs and CSRs.
//!
//! **Load and warn, never silently drop**: every block that is not usable becomes a
//! [`Problem`] with its position and reason, and everything else still loads.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::pem::{self, Position};
use super::{asn1, cert, crl, csr, CertificateInfo, CrlInfo, CsrInfo};

/// A block of the input that could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Where: input name and block position, e.g. `bundle.pem, block 2 (line 14)`.
    pub source: String,
    /// 1-based block number within its input (0 when the whole input is concerned).
    pub block: usize,
    /// 1-based line of the block's BEGIN line (0 for binary input).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Everything loaded from one or more inputs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bundle {
    /// Certificates, in input order.
    pub certificates: Vec<CertificateInfo>,
    /// CRLs, in input order.
    pub crls: Vec<CrlInfo>,
    /// Certificate signing requests, in input order.
    pub csrs: Vec<CsrInfo>,
    /// Blocks that could not be loaded.
    pub problems: Vec<Problem>,
}

/// Parses a whole input at once. `name` labels where things came from (a file name, `paste`).
pub fn parse_bundle(input: &[u8], name: &str) -> Bundle {
    let mut bundle = Bundle::default();
    let mut parser = Parser::new(input, name);
    while !parser.step(usize::MAX, &mut bundle) {}
    bundle
}

enum Input<'a> {
    Pem { text: Cow<'a, str>, checkpoint: (usize, usize, usize) },
    Der(Cow<'a, [u8]>),
    Done,
}

/// Incremental parser: [`Parser::step`] handles a bounded number of blocks, so a UI can parse a
/// 30,000-certificate bundle in slices, show progress and stop when asked.
pub struct Parser<'a> {
    name: String,
    input: Input<'a>,
    total: usize,
    /// A problem with the input as a whole, reported by the first step.
    whole_input_problem: Option<String>,
}

impl<'a> Parser<'a> {
    /// Prepares to parse `input` (borrowed, not copied): PEM text, DER, or bare base64 of DER.
    pub fn new(input: &'a [u8], name: &str) -> Self {
        let mut whole_input_problem = None;
        let parsed = if pem::looks_like_pem(input) {
            // Valid UTF-8 (the usual case) is checked much faster than it is repaired, and
            // `simdutf8` checks it with SIMD where the build has it (the JS module's wasm).
            let text = simdutf8::basic::from_utf8(input).map_or_else(|_| String::from_utf8_lossy(input), Cow::Borrowed);
            Input::Pem { text, checkpoint: (0, 0, 0) }
        } else if input.first() == Some(&asn1::tag::SEQUENCE) {
            Input::Der(Cow::Borrowed(input))
        } else {
            let text = String::from_utf8_lossy(input);
            let trimmed = text.trim();
            if trimmed.is_empty() {
                Input::Done
            } else {
                let compact: String = trimmed.chars().filter(|c| !c.is_ascii_whitespace()).collect();
                match pem::decode_base64(&compact) {
                    Ok(der) if der.first() == Some(&asn1::tag::SEQUENCE) => Input::Der(Cow::Owned(der)),
                    _ => {
                        whole_input_problem = Some(
                            "not PEM (no `-----BEGIN` line), not DER (does not start with an ASN.1 SEQUENCE) and not base64 of DER"
                                .to_string(),
                        );
                        Input::Done
                    }
                }
            }
        };
        Parser { name: name.to_string(), total: input.len(), input: parsed, whole_input_problem }
    }

    /// Fraction of the input handled so far, 0.0 to 1.0.
    pub fn progress(&self) -> f64 {
        match &self.input {
            Input::Pem { text, checkpoint } if !text.is_empty() => checkpoint.0 as f64 / text.len() as f64,
            Input::Done => 1.0,
            _ => 0.0,
        }
    }

    /// Size of the input in bytes.
    pub fn total_bytes(&self) -> usize {
        self.total
    }

    /// Parses up to `max_blocks` more blocks into `out`. Returns `true` when the input is done.
    pub fn step(&mut self, max_blocks: usize, out: &mut Bundle) -> bool {
        let mut sink = FullCertificates(std::mem::take(&mut out.certificates));
        let done = self.step_into(max_blocks, out, &mut sink);
        out.certificates = sink.0;
        done
    }

    /// Like [`Parser::step`], but every certificate goes to `sink` (CRLs, CSRs and problems
    /// still go to `out`): the summary fast path ([`super::summary`]) uses it.
    pub(crate) fn step_into(&mut self, max_blocks: usize, out: &mut Bundle, sink: &mut dyn CertSink) -> bool {
        if let Some(message) = self.whole_input_problem.take() {
            out.problems.push(Problem { source: self.name.clone(), block: 0, line: 0, message });
        }
        match std::mem::replace(&mut self.input, Input::Done) {
            Input::Done => true,
            Input::Der(der) => {
                load_der(&der, None, &self.name, Position { block: 1, line: 0 }, out, sink);
                true
            }
            Input::Pem { text, checkpoint } => {
                let mut blocks = pem::Blocks::resume(&text, checkpoint);
                let mut n = 0;
                while n < max_blocks {
                    let Some(block) = blocks.next() else {
                        return true;
                    };
                    n += 1;
                    match block.der {
                        Ok(der) => load_der(&der, Some(&block.label), &self.name, block.position, out, sink),
                        Err(message) => out.problems.push(problem(&self.name, block.position, message)),
                    }
                }
                let checkpoint = blocks.checkpoint();
                if checkpoint.0 >= text.len() {
                    return true;
                }
                self.input = Input::Pem { text, checkpoint };
                false
            }
        }
    }
}

fn problem(name: &str, position: Position, message: String) -> Problem {
    Problem { source: source(name, position), block: position.block, line: position.line, message }
}

/// `name, block B (line L)` (as [`Position`] displays), built without `format!`: it runs once per
/// block, and the formatting machinery was 2 % of the table path.
fn source(name: &str, position: Position) -> String {
    fn push_decimal(out: &mut String, mut n: usize) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        out.extend(digits[i..].iter().map(|&d| d as char));
    }
    let mut out = String::with_capacity(name.len() + 32);
    out.push_str(name);
    out.push_str(", block ");
    push_decimal(&mut out, position.block);
    if position.line > 0 {
        out.push_str(" (line ");
        push_decimal(&mut out, position.line);
        out.push(')');
    }
    out
}

/// Where the certificates of a parse go: full inspection ([`Bundle::certificates`]) or the
/// summary fast path.
pub(crate) trait CertSink {
    /// Loads one certificate found at `src`; `trusted` marks OpenSSL `TRUSTED CERTIFICATE` data.
    fn cert(&mut self, der: &[u8], src: &str, trusted: bool) -> Result<(), String>;
}

/// The default sink: every certificate fully inspected.
struct FullCertificates(Vec<CertificateInfo>);

impl CertSink for FullCertificates {
    fn cert(&mut self, der: &[u8], src: &str, trusted: bool) -> Result<(), String> {
        let info = cert::inspect(der, self.0.len(), src.to_string(), trusted)?;
        self.0.push(info);
        Ok(())
    }
}

/// Loads one decoded block according to its PEM label (or by sniffing, for DER input).
fn load_der(der: &[u8], label: Option<&str>, name: &str, position: Position, out: &mut Bundle, sink: &mut dyn CertSink) {
    let src = source(name, position);
    let result = match label {
        Some("CERTIFICATE" | "X509 CERTIFICATE") => sink.cert(der, &src, false),
        Some("TRUSTED CERTIFICATE") => sink.cert(der, &src, true),
        Some("PKCS7" | "CMS" | "PKCS #7 SIGNED DATA" | "CERTIFICATE CHAIN") => load_pkcs7(der, &src, out, sink),
        Some("X509 CRL" | "CRL") => load_crl(der, &src, out),
        Some("CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST") => load_csr(der, &src, out),
        // Never quote a private-key block's label or text (see `pem`).
        Some(l) if pem::is_private_key_label(l) => {
            Err("a private key block was skipped: the inspector loads certificates, CRLs and CSRs only".into())
        }
        Some(l) if l.ends_with("PUBLIC KEY") => Err("a public key block was skipped: it is not a certificate".into()),
        Some(l) => Err(format!("unsupported PEM label `{l}`")),
        None => sniff(der, &src, out, sink),
    };
    if let Err(message) = result {
        out.problems.push(problem(name, position, message));
    }
}

fn sniff(der: &[u8], src: &str, out: &mut Bundle, sink: &mut dyn CertSink) -> Result<(), String> {
    if asn1::is_content_info(der) {
        return load_pkcs7(der, src, out, sink);
    }
    let cert_err = match sink.cert(der, src, false) {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    if load_crl(der, src, out).is_ok() || load_csr(der, src, out).is_ok() {
        return Ok(());
    }
    Err(format!("not a certificate, CRL, CSR or PKCS#7 bundle ({cert_err})"))
}

fn load_crl(der: &[u8], src: &str, out: &mut Bundle) -> Result<(), String> {
    let info = crl::inspect(der, out.crls.len(), src.to_string())?;
    out.crls.push(info);
    Ok(())
}

fn load_csr(der: &[u8], src: &str, out: &mut Bundle) -> Result<(), String> {
    let info = csr::inspect(der, out.csrs.len(), src.to_string())?;
    out.csrs.push(info);
    Ok(())
}

/// Loads each certificate and CRL of a PKCS#7 bundle; a bad entry is a problem of its own.
fn load_pkcs7(der: &[u8], src: &str, out: &mut Bundle, sink: &mut dyn CertSink) -> Result<(), String> {
    let contents = asn1::pkcs7_contents(der)?;
    if contents.certificates.is_empty() && contents.crls.is_empty() {
        return Err("PKCS#7 bundle holds no certificates or CRLs".into());
    }
    for (i, c) in contents.certificates.iter().enumerate() {
        let item_src = format!("{src}, PKCS#7 certificate {}", i + 1);
        if let Err(message) = sink.cert(c, &item_src, false) {
            out.problems.push(Problem { source: item_src, block: 0, line: 0, message });
        }
    }
    for (i, c) in contents.crls.iter().enumerate() {
        let item_src = format!("{src}, PKCS#7 CRL {}", i + 1);
        if let Err(message) = load_crl(c, &item_src, out) {
            out.problems.push(Problem { source: item_src, block: 0, line: 0, message });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_read_as_positions_display() {
        for (block, line) in [(1, 0), (1, 1), (9, 10), (10, 9), (123, 4567), (usize::MAX, usize::MAX)] {
            let position = Position { block, line };
            assert_eq!(source("a.pem", position), format!("a.pem, {position}"));
        }
    }
}
