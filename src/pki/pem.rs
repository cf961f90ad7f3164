//! Tolerant PEM splitting.
//!
//! Accepts what real bundles contain: any base64 line width (64, 76, one long line), CRLF or LF,
//! RFC 1421 headers (`Name: value` lines before a blank line), and arbitrary text before, between
//! and after the blocks (for example `openssl x509 -text` output). Every block keeps its label and
//! its position so problems can say where they are.

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

/// One `-----BEGIN X-----` … `-----END X-----` block, decoded or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PemBlock {
    /// The label between `BEGIN ` and the closing dashes, e.g. `CERTIFICATE`.
    pub label: String,
    /// Where the block starts.
    pub position: Position,
    /// The decoded DER bytes, or why the base64 body could not be decoded.
    pub der: Result<Vec<u8>, String>,
}

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";

/// Does this input look like PEM text (contains a BEGIN marker)?
pub fn looks_like_pem(input: &[u8]) -> bool {
    memfind(input, BEGIN.as_bytes()).is_some()
}

/// Splits PEM text into blocks. Text outside blocks is ignored; a BEGIN without its END is
/// returned as a block whose `der` is an error.
pub fn split(text: &str) -> Vec<PemBlock> {
    Blocks::new(text).collect()
}

/// An iterator over the PEM blocks of a text, decoding each only when it is reached, so a
/// caller can work through a huge bundle in slices and report progress.
pub struct Blocks<'a> {
    text: &'a str,
    /// Byte offset of the next unread line.
    offset: usize,
    /// 0-based number of the next unread line.
    line: usize,
    /// Blocks returned so far.
    count: usize,
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
        Blocks { text, offset, line, count }
    }

    fn next_line(&mut self) -> Option<&'a str> {
        if self.offset >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.offset..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.offset += advance;
        self.line += 1;
        Some(line)
    }

    fn peek_line(&self) -> Option<&'a str> {
        if self.offset >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.offset..];
        Some(rest.find('\n').map_or(rest, |i| &rest[..i]))
    }
}

impl Iterator for Blocks<'_> {
    type Item = PemBlock;

    fn next(&mut self) -> Option<PemBlock> {
        // Jump to the line holding the next BEGIN marker; lines without one are skipped anyway.
        let rest = &self.text[self.offset..];
        let Some(found) = rest.find(BEGIN) else {
            self.line += rest.bytes().filter(|&b| b == b'\n').count();
            self.offset = self.text.len();
            return None;
        };
        let line_start = rest[..found].rfind('\n').map_or(0, |i| i + 1);
        self.line += rest[..line_start].bytes().filter(|&b| b == b'\n').count();
        self.offset += line_start;
        let label = loop {
            let raw = self.next_line()?;
            if let Some(label) = marker_label(raw.trim(), BEGIN) {
                break label;
            }
            if raw.contains(BEGIN) {
                // A damaged BEGIN line: report it instead of silently skipping its block.
                self.count += 1;
                let position = Position { block: self.count, line: self.line };
                let shown: String = raw.trim().chars().take(60).collect();
                let der = Err(format!("malformed BEGIN line `{shown}` (expected `-----BEGIN LABEL-----` on a line of its own)"));
                return Some(PemBlock { label: String::new(), position, der });
            }
        };
        self.count += 1;
        let position = Position { block: self.count, line: self.line };
        let capacity = self.text[self.offset..].find(END).unwrap_or(0);
        let mut body = String::with_capacity(capacity);
        let mut in_headers = true;
        let mut saw_header = false;
        let mut ended = false;
        let mut end_label_mismatch = None;
        while let Some(raw) = self.peek_line() {
            let l = raw.trim();
            if let Some(end_label) = marker_label(l, END) {
                self.next_line();
                if end_label != label {
                    end_label_mismatch = Some(end_label.to_string());
                }
                ended = true;
                break;
            }
            if l.starts_with(BEGIN) {
                // A new block starts before this one ended: leave the line for the next call.
                break;
            }
            self.next_line();
            // RFC 1421 headers: `Name: value` lines (and their indented continuations) before
            // the base64 body, usually ended by a blank line.
            if in_headers && body.is_empty() {
                if l.contains(':') {
                    saw_header = true;
                    continue;
                }
                if l.is_empty() || (saw_header && raw.starts_with([' ', '\t'])) {
                    continue;
                }
            }
            in_headers = false;
            if l.bytes().any(|b| b.is_ascii_whitespace()) {
                body.extend(l.chars().filter(|c| !c.is_ascii_whitespace()));
            } else {
                body.push_str(l);
            }
        }
        let der = if !ended {
            Err(format!("no `-----END {label}-----` line after the BEGIN line"))
        } else if let Some(other) = end_label_mismatch {
            Err(format!("BEGIN label `{label}` does not match END label `{other}`"))
        } else {
            decode_base64(&body)
        };
        Some(PemBlock { label: label.to_string(), position, der })
    }
}

/// Decodes standard base64, tolerating missing padding.
pub fn decode_base64(body: &str) -> Result<Vec<u8>, String> {
    const ENGINE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    if body.is_empty() {
        return Err("the block has no base64 content".into());
    }
    ENGINE.decode(body).map_err(|e| {
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

fn marker_label<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(marker)?;
    let label = rest.strip_suffix("-----")?;
    Some(label.trim())
}

fn memfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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
}
