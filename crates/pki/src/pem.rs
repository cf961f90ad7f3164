//! Tolerant PEM splitting.
//!
//! Accepts what real bundles contain: any base64 line width (64, 76, one long line), CRLF or LF,
//! RFC 1421 headers (`Name: value` lines before a blank line), and arbitrary text before, between
//! and after the blocks (for example `openssl x509 -text` output). Also one-line PEM (BEGIN
//! marker, base64 and END marker on one line, as keys get pasted) and PEM inside JSON strings
//! (literal `\n` escapes, as keys arrive from environment variables). Every block keeps its label
//! and its position so problems can say where they are.
//!
//! Labels follow RFC 7468's common practice and what the inspector knows: capital letters,
//! digits, spaces and `#` (`CERTIFICATE`, `X509 CRL`, `PKCS #7 SIGNED DATA`, `EC PRIVATE KEY`),
//! never dashes, so a label cannot swallow the base64 that follows it on the same line.
//!
//! **No secret in a message**: an error never quotes the text of a block or of a damaged marker
//! line, and for a private-key block (any label with `PRIVATE`) not even the label.

use base64::Engine as _;

/// Where a block or a problem sits in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    /// 1-based number of the block in the input (PEM blocks, or 1 for a DER input).
    pub block: usize,
    /// 1-based line of the `-----BEGIN` line (0 for binary input).
    pub line: usize,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "block {} (line {})", self.block, self.line)
        } else {
            write!(f, "block {}", self.block)
        }
    }
}

/// One `-----BEGIN X-----` … `-----END X-----` block, decoded or not. Its `Debug` output shows
/// the size of the decoded bytes, never the bytes (the block may be a private key).
#[derive(Clone, PartialEq, Eq)]
pub struct PemBlock {
    /// The label between `BEGIN ` and the closing dashes, e.g. `CERTIFICATE` (empty when the
    /// BEGIN line is malformed). Only capital letters, digits, spaces and `#`.
    pub label: String,
    /// Where the block starts.
    pub position: Position,
    /// The decoded DER bytes, or why the block could not be decoded. The reason never quotes the
    /// block's text, and for a private-key block not even its label.
    pub der: Result<Vec<u8>, String>,
}

impl std::fmt::Debug for PemBlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let der = self.der.as_ref().map(|d| format!("{} bytes", d.len()));
        f.debug_struct("PemBlock").field("label", &self.label).field("position", &self.position).field("der", &der).finish()
    }
}

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";
/// Longer labels are refused (the longest in use, `SSH2 ENCRYPTED PRIVATE KEY`, has 26 characters).
const MAX_LABEL: usize = 64;

const MALFORMED_BEGIN: &str = "malformed BEGIN line (expected `-----BEGIN LABEL-----`, the label in capital letters, \
digits, spaces or `#`)";

/// Does this input look like PEM text (contains a BEGIN marker)?
pub fn looks_like_pem(input: &[u8]) -> bool {
    memchr::memmem::find(input, BEGIN.as_bytes()).is_some()
}

/// Is this the label of a private-key block (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`,
/// `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `OPENSSH PRIVATE KEY`, …)? Messages about such a block
/// never quote its label or its text.
pub fn is_private_key_label(label: &str) -> bool {
    label.contains("PRIVATE")
}

/// Splits PEM text into blocks. Text outside blocks is ignored; a BEGIN without its END is
/// returned as a block whose `der` is an error.
pub fn split(text: &str) -> Vec<PemBlock> {
    Blocks::new(text).collect()
}

/// An iterator over the PEM blocks of a text, decoding each only when it is reached, so a
/// caller can work through a huge bundle in slices and report progress.
///
/// The scan is linear in the length of the text: every byte is looked at a bounded number of
/// times, whatever the input (16,000 BEGIN lines without an END included).
pub struct Blocks<'a> {
    text: &'a str,
    /// Byte offset of the next unread byte.
    offset: usize,
    /// Number of line feeds before `offset`.
    line: usize,
    /// Blocks returned so far.
    count: usize,
}

/// How the body of a block ended.
enum Ending<'a> {
    /// An END line with this label.
    Label(&'a str),
    /// An END marker without a valid label and closing dashes.
    Malformed,
    /// The text ended, or another BEGIN marker came first.
    Missing,
}

impl<'a> Blocks<'a> {
    /// Starts at the beginning of `text`.
    pub fn new(text: &'a str) -> Self {
        Blocks { text, offset: 0, line: 0, count: 0 }
    }

    /// Bytes consumed so far (for progress).
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Where to resume later: `(offset, line, blocks returned)`.
    pub fn checkpoint(&self) -> (usize, usize, usize) {
        (self.offset, self.line, self.count)
    }

    /// Continues over `text` from a [`Blocks::checkpoint`].
    pub fn resume(text: &'a str, (offset, line, count): (usize, usize, usize)) -> Self {
        Blocks { text, offset: offset.min(text.len()), line, count }
    }

    /// Moves to `to` (a char boundary at or after the current offset), counting line feeds.
    fn advance_to(&mut self, to: usize) {
        self.line += memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.offset..to]).count();
        self.offset = to;
    }
}

impl Iterator for Blocks<'_> {
    type Item = PemBlock;

    fn next(&mut self) -> Option<PemBlock> {
        let text = self.text;
        let Some(found) = memchr::memmem::find(&text.as_bytes()[self.offset..], BEGIN.as_bytes()).map(|i| self.offset + i) else {
            self.advance_to(text.len());
            return None;
        };
        self.advance_to(found);
        self.count += 1;
        let position = Position { block: self.count, line: self.line + 1 };
        let after_marker = found + BEGIN.len();
        let Some((label, used)) = read_label(&text[after_marker..]) else {
            // A damaged BEGIN line: report it instead of silently skipping its block, without
            // repeating it (a one-line private key would be in it).
            self.advance_to(after_marker);
            return Some(PemBlock { label: String::new(), position, der: Err(MALFORMED_BEGIN.into()) });
        };
        // The body runs to the next END marker, or to a BEGIN marker that starts another block
        // first. Markers may sit anywhere on a line, so one-line PEM works too.
        let body_start = after_marker + used;
        if let Some((der, resume_at, newlines)) = plain_body(text, body_start, label) {
            // `found..body_start` is the BEGIN line itself: no line feed in it.
            self.line += newlines;
            self.offset = resume_at;
            return Some(PemBlock { label: label.to_string(), position, der: Ok(der) });
        }
        let mut cursor = body_start;
        let (body_end, ending, resume_at) = loop {
            let Some(i) = text[cursor..].find(DASHES) else {
                break (text.len(), Ending::Missing, text.len());
            };
            let at = cursor + i;
            let rest = &text[at..];
            if let Some(end) = rest.strip_prefix(END) {
                break match read_label(end) {
                    Some((end_label, used)) => (at, Ending::Label(end_label), at + END.len() + used),
                    None => (at, Ending::Malformed, at + END.len()),
                };
            }
            if rest.starts_with(BEGIN) {
                break (at, Ending::Missing, at);
            }
            cursor = at + 1;
        };
        self.advance_to(resume_at);
        let der = match ending {
            Ending::Missing if is_private_key_label(label) => Err("no END line after the BEGIN line of a private-key block".into()),
            Ending::Missing => Err(format!("no `-----END {label}-----` line after the BEGIN line")),
            Ending::Malformed if is_private_key_label(label) => {
                Err("malformed END line of a private-key block (expected `-----END` + the BEGIN label + `-----`)".into())
            }
            Ending::Malformed => Err(format!("malformed END line (expected `-----END {label}-----`)")),
            Ending::Label(end) if end != label => {
                if is_private_key_label(label) || is_private_key_label(end) {
                    Err("the BEGIN and END labels of a private-key block do not match".into())
                } else {
                    Err(format!("BEGIN label `{label}` does not match END label `{end}`"))
                }
            }
            Ending::Label(_) => decode_base64(&body_base64(&text[body_start..body_end])),
        };
        Some(PemBlock { label: label.to_string(), position, der })
    }
}

/// The fast path for the common layout: after the BEGIN line, lines of base64 (LF or CRLF),
/// then `-----END <same label>-----`. Returns the decoded bytes, where to resume and the number
/// of line feeds consumed; `None` for anything else (headers, whitespace or escapes in the body,
/// padding before the last line, other endings, undecodable base64), which the general path then
/// handles, with its messages. Both give the same bytes for such a block. Lines are found with
/// `memchr` and copied whole; the base64 decoder checks their bytes and decodes them in place.
fn plain_body(text: &str, body_start: usize, label: &str) -> Option<(Vec<u8>, usize, usize)> {
    let b = text.as_bytes();
    let eol = |i: usize| match (b.get(i), b.get(i + 1)) {
        (Some(b'\n'), _) => Some(i + 1),
        (Some(b'\r'), Some(b'\n')) => Some(i + 2),
        _ => None,
    };
    let mut i = eol(body_start)?;
    let mut newlines = 1;
    let mut body = Vec::with_capacity(2048);
    while !b[i..].starts_with(END.as_bytes()) {
        let lf = i + memchr::memchr(b'\n', &b[i..])?;
        let line = &b[i..lf];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return None;
        }
        body.extend_from_slice(line);
        i = lf + 1;
        newlines += 1;
    }
    let (end_label, used) = read_label(&text[i + END.len()..])?;
    if end_label != label {
        return None;
    }
    // Only base64 bytes were copied: no UTF-8 check needed. An empty body, like undecodable
    // base64, goes to the general path for its message.
    if body.is_empty() {
        return None;
    }
    // Decoded in place (SIMD128 in the JS module's wasm). This decoder is stricter than
    // [`BASE64`] (padding required, trailing bits zero), so whatever it accepts the general path
    // decodes to the same bytes; what it refuses goes there.
    let n = base64_simd::STANDARD.decode_inplace(&mut body).ok()?.len();
    body.truncate(n);
    Some((body, i + END.len() + used, newlines))
}

/// Reads `LABEL-----` at the start of `s`: the label (trimmed) and the bytes used, dashes
/// included. Labels hold only `A-Z`, `0-9`, space and `#`, at most [`MAX_LABEL`] of them.
fn read_label(s: &str) -> Option<(&str, usize)> {
    let n = s.bytes().take(MAX_LABEL + 1).take_while(|b| matches!(b, b'A'..=b'Z' | b'0'..=b'9' | b' ' | b'#')).count();
    if n > MAX_LABEL || !s[n..].starts_with(DASHES) {
        return None;
    }
    Some((s[..n].trim(), n + DASHES.len()))
}

/// The base64 text of a block body: RFC 1421 headers (`Name: value` lines and their indented
/// continuations before the base64, usually ended by a blank line) dropped, whitespace removed.
/// JSON escapes (`\n`, `\r`, `\t`, `\/`, `\u002B`), as in keys kept in environment variables or
/// JSON files, are decoded first.
fn body_base64(raw: &str) -> String {
    let unescaped;
    let raw = if raw.contains('\\') {
        unescaped = unescape_json(raw);
        unescaped.as_str()
    } else {
        raw
    };
    let mut body = String::with_capacity(raw.len());
    let mut in_headers = true;
    let mut saw_header = false;
    for line in raw.split('\n') {
        let l = line.trim();
        if in_headers && body.is_empty() {
            if l.contains(':') {
                saw_header = true;
                continue;
            }
            if l.is_empty() || (saw_header && line.starts_with([' ', '\t'])) {
                continue;
            }
        }
        in_headers = false;
        // Base64 lines rarely hold inner whitespace: copy them whole (this runs for every block).
        if l.bytes().any(|b| b.is_ascii_whitespace()) {
            body.extend(l.chars().filter(|c| !c.is_ascii_whitespace()));
        } else {
            body.push_str(l);
        }
    }
    body
}

/// Decodes the JSON string escapes that can appear in PEM text copied out of JSON (also doubly
/// escaped, `\\n`): `\n` becomes a line feed, `\r` and `\t` a space, `\/` a slash, `\uXXXX` its
/// ASCII character. Other backslashes stay (and make the base64 invalid).
fn unescape_json(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len() && b[j] == b'\\' {
            j += 1;
        }
        let decoded = match b.get(j) {
            Some(b'n') => Some((b'\n', 1)),
            Some(b'r' | b't') => Some((b' ', 1)),
            Some(b'/') => Some((b'/', 1)),
            Some(b'u') => b
                .get(j + 1..j + 5)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .filter(u8::is_ascii)
                .map(|c| (c, 5)),
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                i = j + len;
            }
            None => {
                out.extend_from_slice(&b[i..j]);
                i = j;
            }
        }
    }
    // Only ASCII sequences were replaced by ASCII bytes, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Standard base64, missing padding and trailing bits tolerated.
const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes standard base64, tolerating missing padding.
pub fn decode_base64(body: &str) -> Result<Vec<u8>, String> {
    if body.is_empty() {
        return Err("the block has no base64 content".into());
    }
    BASE64.decode(body).map_err(|e| {
        // Name the offending character when there is one; it is the usual mistake.
        match body.char_indices().find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=')) {
            Some((i, c)) => format!("invalid base64 character {c:?} at offset {i} of the block body"),
            None => format!("invalid base64: {e}"),
        }
    })
}

/// Encodes DER as PEM with 64-column lines and LF line endings.
pub fn encode(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_text_headers_and_widths() {
        let der: Vec<u8> = (0u8..=200).collect();
        let pem = encode("CERTIFICATE", &der);
        let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
        let one_line = format!("intro text\n-----BEGIN X509 CERTIFICATE-----\r\n{b64}\r\n-----END X509 CERTIFICATE-----\r\ntrailer");
        let with_headers = format!(
            "-----BEGIN CERTIFICATE-----\nComment: hi\n  continued\n\n{}\n  {}\n-----END CERTIFICATE-----\n",
            &b64[..76],
            &b64[76..]
        );
        let all = format!("{pem}between\n{one_line}\n{with_headers}");
        let blocks = split(&all);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[1].label, "X509 CERTIFICATE");
        assert_eq!(blocks[1].position, Position { block: 2, line: 10 });
        for b in &blocks {
            assert_eq!(b.der.as_deref(), Ok(&der[..]), "{:?}", b.position);
        }
    }

    #[test]
    fn reports_unterminated_and_bad_base64() {
        let blocks = split("-----BEGIN CERTIFICATE-----\nAAA*\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAAAA\n");
        assert_eq!(blocks.len(), 2);
        assert!(blocks[0].der.as_ref().unwrap_err().contains("invalid base64 character '*'"));
        assert!(blocks[1].der.as_ref().unwrap_err().contains("no `-----END CERTIFICATE-----`"));
    }

    #[test]
    fn the_plain_fast_path_decodes_like_the_general_path() {
        // A header line keeps a block off the fast path (the general path skips it), so each body
        // is decoded both ways; results, errors, positions and what follows must be identical.
        let b64 = base64::engine::general_purpose::STANDARD.encode((0u8..=200).collect::<Vec<u8>>());
        let wrap =
            |w: usize, eol: &str| b64.as_bytes().chunks(w).map(|c| format!("{}{eol}", std::str::from_utf8(c).unwrap())).collect::<String>();
        let bodies = [
            wrap(64, "\n"),
            wrap(64, "\r\n"),
            wrap(76, "\n"),
            format!("{b64}\n"),
            "QUJD\nRA==\n".into(),
            "QUJD\nRA==\nRUY=\n".into(),
            "QUJDRA\n".into(),
            "QUJDR\n".into(),
            "QU*D\n".into(),
            "QUJD \nRA==\n".into(),
            "QUJD\n\nRA==\n".into(),
            "\n".into(),
            "QUJD\\nRA==\n".into(),
            "QUJD\rRA==\n".into(),
            "QUJD\r\r\nRA==\n".into(),
            "QU=D\nRA==\n".into(),
            "QUJD\nRA==".into(),
            "QUJD\n-----END X-----\n".into(),
            "QUJD\u{e9}\nRA==\n".into(),
        ];
        for body in &bodies {
            for (end, tail) in [
                ("CERTIFICATE", "after\n"),
                ("X509 CRL", ""),
                ("CERTIFICATE", "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"),
            ] {
                let plain = format!("x\n-----BEGIN CERTIFICATE-----\n{body}-----END {end}-----\n{tail}");
                let general = format!("x\n-----BEGIN CERTIFICATE-----\nNote: general path\n{body}-----END {end}-----\n{tail}");
                let (p, g) = (split(&plain), split(&general));
                assert_eq!(p.len(), g.len(), "{plain:?}");
                for (a, b) in p.iter().zip(&g) {
                    assert_eq!(a.der, b.der, "{plain:?}");
                    assert_eq!(a.label, b.label);
                }
                // Positions: the header line shifts later blocks by one line.
                if p.len() == 2 {
                    assert_eq!(p[1].position.line + 1, g[1].position.line, "{plain:?}");
                }
            }
        }
        assert_eq!(
            split(&format!("-----BEGIN CERTIFICATE-----\n{}-----END CERTIFICATE-----\n", wrap(64, "\n")))[0].der.as_ref().map(Vec::len),
            Ok(201)
        );
    }
}
