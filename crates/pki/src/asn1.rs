//! A minimal BER/DER TLV walker, for the few places where a full parser would be too strict:
//! telling what a DER blob is, and pulling certificates and CRLs out of PKCS#7 `SignedData`
//! (which some tools write with BER indefinite lengths).

/// One decoded TLV element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The identifier octet (single-byte tags only).
    pub tag: u8,
    /// The content octets (for indefinite lengths, without the end-of-contents marker).
    pub content: &'a [u8],
    /// The whole element: identifier, length and content.
    pub raw: &'a [u8],
}

/// Tag numbers used here.
pub mod tag {
    pub const OID: u8 = 0x06;
    pub const SEQUENCE: u8 = 0x30;
    pub const SET: u8 = 0x31;
    pub const CONTEXT_0: u8 = 0xa0;
    pub const CONTEXT_1: u8 = 0xa1;
}

const MAX_DEPTH: usize = 64;

/// Reads one element from the front of `input`; returns it and the rest.
pub fn read(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), String> {
    read_depth(input, 0)
}

fn read_depth(input: &[u8], depth: usize) -> Result<(Tlv<'_>, &[u8]), String> {
    if depth > MAX_DEPTH {
        return Err("ASN.1 nesting is too deep".into());
    }
    let (&tag, rest) = input.split_first().ok_or("unexpected end of data (expected a tag)")?;
    if tag & 0x1f == 0x1f {
        return Err(format!("multi-byte tag 0x{tag:02x} is not supported here"));
    }
    let (&first, rest) = rest.split_first().ok_or("unexpected end of data (expected a length)")?;
    let header_len;
    let content;
    let after;
    if first == 0x80 {
        // BER indefinite length: only for constructed elements; walk children to the 00 00 marker.
        if tag & 0x20 == 0 {
            return Err("indefinite length on a primitive element".into());
        }
        let mut cursor = rest;
        loop {
            if cursor.len() >= 2 && cursor[0] == 0 && cursor[1] == 0 {
                break;
            }
            let (_, r) = read_depth(cursor, depth + 1)?;
            cursor = r;
        }
        let len = rest.len() - cursor.len();
        header_len = 2;
        content = &rest[..len];
        after = &cursor[2..];
        let raw = &input[..header_len + len + 2];
        return Ok((Tlv { tag, content, raw }, after));
    } else if first & 0x80 == 0 {
        header_len = 2;
        let len = first as usize;
        if rest.len() < len {
            return Err(format!("element claims {len} bytes but only {} remain", rest.len()));
        }
        content = &rest[..len];
        after = &rest[len..];
    } else {
        let n = (first & 0x7f) as usize;
        if n > 4 || rest.len() < n {
            return Err("invalid or oversized length field".into());
        }
        let len = rest[..n].iter().fold(0usize, |acc, &b| (acc << 8) | b as usize);
        header_len = 2 + n;
        let rest = &rest[n..];
        if rest.len() < len {
            return Err(format!("element claims {len} bytes but only {} remain", rest.len()));
        }
        content = &rest[..len];
        after = &rest[len..];
    }
    Ok((Tlv { tag, content, raw: &input[..header_len + content.len()] }, after))
}

/// Reads all elements of a constructed element's content.
pub fn children(content: &[u8]) -> Result<Vec<Tlv<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (tlv, r) = read(rest)?;
        out.push(tlv);
        rest = r;
    }
    Ok(out)
}

/// Walks a DER encoding and returns the first way it breaks the distinguished encoding rules:
/// indefinite or non-minimal lengths, non-minimal INTEGERs, BOOLEANs other than 00/FF, and
/// SET OF elements out of DER order. Constructed elements are descended into; the contents of
/// OCTET and BIT STRINGs are not (extensions are checked when they are decoded).
pub fn der_violation(der: &[u8]) -> Option<String> {
    /// Walks the elements of `input` (at byte `base` of the whole). `set_at` is the offset of
    /// the SET whose content `input` is: its elements must be in DER order, which is reported
    /// only when nothing inside them is wrong (as if checked after the walk).
    fn walk(input: &[u8], base: usize, depth: usize, set_at: Option<usize>) -> Option<String> {
        let mut offset = 0;
        let mut prev: Option<&[u8]> = None;
        let mut disordered = false;
        while offset < input.len() {
            let at = base + offset;
            let rest = &input[offset..];
            let (tlv, header_len) = match minimal_header(rest) {
                // The usual case, read inline: its length is minimal by construction.
                Some((tag, header_len, len)) => {
                    let raw = &rest[..header_len + len];
                    (Tlv { tag, content: &raw[header_len..], raw }, header_len)
                }
                None => {
                    let tlv = match read(rest) {
                        Ok((tlv, _)) => tlv,
                        Err(e) => return Some(format!("{e} at byte {at}")),
                    };
                    match rest.get(1) {
                        Some(0x80) => return Some(format!("indefinite length of {} at byte {at}", tag_name(tlv.tag))),
                        Some(&l) if (l == 0x81 && tlv.content.len() < 0x80) || (l > 0x81 && rest.get(2) == Some(&0)) => {
                            return Some(format!("non-minimal length of {} at byte {at}", tag_name(tlv.tag)));
                        }
                        _ => {}
                    }
                    (tlv, tlv.raw.len() - tlv.content.len())
                }
            };
            match tlv.tag {
                0x01 if tlv.content.len() != 1 || !matches!(tlv.content[0], 0x00 | 0xff) => {
                    return Some(format!("BOOLEAN not encoded as 00 or FF at byte {at}"));
                }
                0x02 if tlv.content.is_empty()
                    || (tlv.content.len() > 1
                        && ((tlv.content[0] == 0 && tlv.content[1] & 0x80 == 0)
                            || (tlv.content[0] == 0xff && tlv.content[1] & 0x80 != 0))) =>
                {
                    return Some(format!("INTEGER not minimally encoded at byte {at}"));
                }
                _ => {}
            }
            if tlv.tag & 0x20 != 0 && depth < MAX_DEPTH {
                let set = (tlv.tag == tag::SET).then_some(at);
                if let Some(v) = walk(tlv.content, at + header_len, depth + 1, set) {
                    return Some(v);
                }
            }
            // DER orders SET OF elements by their encodings.
            if set_at.is_some() {
                disordered |= prev.is_some_and(|p| p > tlv.raw);
                prev = Some(tlv.raw);
            }
            offset += tlv.raw.len();
        }
        match set_at {
            Some(at) if disordered => Some(format!("SET OF elements out of DER order at byte {at}")),
            _ => None,
        }
    }
    walk(der, 0, 0, None)
}

/// Tag, header length and content length of an element at the start of `rest` whose header is
/// one tag byte and a minimal definite length of at most two bytes, and whose content is all
/// there; `None` for anything else (which [`read`] then handles, with its messages).
#[inline(always)]
fn minimal_header(rest: &[u8]) -> Option<(u8, usize, usize)> {
    let (&tag, &first) = (rest.first()?, rest.get(1)?);
    let (header_len, len) = match first {
        _ if tag & 0x1f == 0x1f => return None,
        0..=0x7f => (2, first as usize),
        0x81 if *rest.get(2)? >= 0x80 => (3, rest[2] as usize),
        0x82 if *rest.get(2)? != 0 => (4, (rest[2] as usize) << 8 | *rest.get(3)? as usize),
        _ => return None,
    };
    (rest.len() - header_len >= len).then_some((tag, header_len, len))
}

/// Explains an x509-parser error in words: what was expected and what was found.
/// `der` is the input that failed: a broken outer length is reported from it directly.
pub fn describe_parse_error(der: &[u8], e: &x509_parser::nom::Err<x509_parser::error::X509Error>) -> String {
    if let Err(outer) = read(der) {
        return outer;
    }
    use x509_parser::der_parser::error::BerError;
    use x509_parser::error::X509Error;
    use x509_parser::nom::Err;
    const TRUNCATED: &str = "the data ends early (truncated or cut off)";
    let e = match e {
        Err::Incomplete(_) => return TRUNCATED.into(),
        Err::Error(e) | Err::Failure(e) => e,
    };
    match e {
        X509Error::Der(BerError::UnexpectedTag { expected: Some(t), actual }) => {
            format!("expected {} but found {}", universal_tag_name(t.0), universal_tag_name(actual.0))
        }
        X509Error::Der(BerError::Incomplete(_)) => TRUNCATED.into(),
        X509Error::Der(BerError::InvalidLength) => "an element's length runs past the end of the data".into(),
        X509Error::Der(other) => format!("malformed ASN.1: {other}"),
        X509Error::NomError(_) => "malformed structure".into(),
        other => other.to_string(),
    }
}

fn universal_tag_name(n: u32) -> String {
    match n {
        1 => "a BOOLEAN".into(),
        2 => "an INTEGER".into(),
        3 => "a BIT STRING".into(),
        4 => "an OCTET STRING".into(),
        5 => "a NULL".into(),
        6 => "an OBJECT IDENTIFIER".into(),
        16 => "a SEQUENCE".into(),
        17 => "a SET".into(),
        23 => "a UTCTime".into(),
        24 => "a GeneralizedTime".into(),
        n => format!("tag {n}"),
    }
}

fn tag_name(tag: u8) -> String {
    match tag {
        0x01 => "a BOOLEAN".into(),
        0x02 => "an INTEGER".into(),
        0x03 => "a BIT STRING".into(),
        0x04 => "an OCTET STRING".into(),
        0x06 => "an OBJECT IDENTIFIER".into(),
        0x0c | 0x13 | 0x14 | 0x16 | 0x1c | 0x1e => "a string".into(),
        0x17 | 0x18 => "a time".into(),
        0x30 => "a SEQUENCE".into(),
        0x31 => "a SET".into(),
        t if t & 0xc0 == 0x80 => format!("a [{}] element", t & 0x1f),
        t => format!("an element with tag 0x{t:02x}"),
    }
}

/// DER encoding of the PKCS#7 `signedData` content-type OID 1.2.840.113549.1.7.2.
pub const OID_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/// Certificates and CRLs carried by a PKCS#7 / CMS `SignedData` (a `.p7b` / `.p7c` bundle).
#[derive(Debug, Default)]
pub struct Pkcs7Contents<'a> {
    /// DER of each `certificates` entry, in order.
    pub certificates: Vec<&'a [u8]>,
    /// DER of each `crls` entry, in order.
    pub crls: Vec<&'a [u8]>,
}

/// Is this DER a PKCS#7 ContentInfo (a SEQUENCE starting with an OID)?
pub fn is_content_info(der: &[u8]) -> bool {
    matches!(read(der), Ok((outer, _)) if outer.tag == tag::SEQUENCE
        && matches!(read(outer.content), Ok((first, _)) if first.tag == tag::OID))
}

/// Extracts the certificates and CRLs of a PKCS#7 `ContentInfo` holding `SignedData`.
pub fn pkcs7_contents(der: &[u8]) -> Result<Pkcs7Contents<'_>, String> {
    let (outer, _) = read(der)?;
    if outer.tag != tag::SEQUENCE {
        return Err("PKCS#7: ContentInfo is not a SEQUENCE".into());
    }
    let parts = children(outer.content)?;
    let content_type = parts.first().filter(|t| t.tag == tag::OID).ok_or("PKCS#7: missing contentType")?;
    if content_type.content != OID_SIGNED_DATA {
        return Err("PKCS#7: content type is not signedData (only certificate bundles are supported)".into());
    }
    let explicit = parts.get(1).filter(|t| t.tag == tag::CONTEXT_0).ok_or("PKCS#7: missing [0] content")?;
    let (signed_data, _) = read(explicit.content)?;
    if signed_data.tag != tag::SEQUENCE {
        return Err("PKCS#7: SignedData is not a SEQUENCE".into());
    }
    let mut out = Pkcs7Contents::default();
    for field in children(signed_data.content)? {
        let list = match field.tag {
            tag::CONTEXT_0 => &mut out.certificates,
            tag::CONTEXT_1 => &mut out.crls,
            _ => continue,
        };
        for item in children(field.content)? {
            list.push(item.raw);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_definite_and_indefinite_lengths() {
        let def = [0x30, 0x03, 0x02, 0x01, 0x05, 0xff];
        let (tlv, rest) = read(&def).unwrap();
        assert_eq!((tlv.tag, tlv.content, rest), (0x30, &def[2..5], &def[5..]));
        let indef = [0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00, 0xee];
        let (tlv, rest) = read(&indef).unwrap();
        assert_eq!((tlv.content, tlv.raw.len(), rest), (&indef[2..5], 7, &indef[7..]));
        assert!(read(&[0x30, 0x05, 0x01]).unwrap_err().contains("claims 5 bytes"));
        assert!(read(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_err());
    }

    #[test]
    fn finds_der_violations() {
        assert_eq!(der_violation(&[0x30, 0x03, 0x02, 0x01, 0x05]), None);
        assert_eq!(der_violation(&[0x30, 0x04, 0x02, 0x02, 0x00, 0x05]).unwrap(), "INTEGER not minimally encoded at byte 2");
        assert_eq!(der_violation(&[0x30, 0x81, 0x03, 0x02, 0x01, 0x05]).unwrap(), "non-minimal length of a SEQUENCE at byte 0");
        assert_eq!(der_violation(&[0x30, 0x82, 0x00, 0x03, 0x02, 0x01, 0x05]).unwrap(), "non-minimal length of a SEQUENCE at byte 0");
        let mut long = vec![0x04, 0x82, 0x01, 0x00];
        long.resize(4 + 256, 0);
        assert_eq!(der_violation(&long), None);
        assert!(der_violation(&long[..long.len() - 1]).unwrap().ends_with("at byte 0"), "content cut short");
        assert_eq!(der_violation(&[0x30, 0x03, 0x01, 0x01, 0x01]).unwrap(), "BOOLEAN not encoded as 00 or FF at byte 2");
        assert_eq!(der_violation(&[0x31, 0x06, 0x02, 0x01, 0x07, 0x02, 0x01, 0x05]).unwrap(), "SET OF elements out of DER order at byte 0");
        // A fault inside a later element of a disordered SET is reported first; a nested SET's
        // order is its own (at its offset), and an ordered SET is fine.
        let inner = [0x31, 0x0a, 0x02, 0x01, 0x07, 0x02, 0x01, 0x05, 0x02, 0x02, 0x00, 0x05];
        assert_eq!(der_violation(&inner).unwrap(), "INTEGER not minimally encoded at byte 8");
        let nested = [0x30, 0x0a, 0x31, 0x03, 0x02, 0x01, 0x05, 0x31, 0x03, 0x02, 0x01, 0x07];
        assert_eq!(der_violation(&nested), None);
        let nested_bad = [0x31, 0x0d, 0x31, 0x03, 0x02, 0x01, 0x05, 0x31, 0x06, 0x02, 0x01, 0x09, 0x02, 0x01, 0x08];
        assert_eq!(der_violation(&nested_bad).unwrap(), "SET OF elements out of DER order at byte 7");
        assert!(der_violation(&[0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00]).unwrap().starts_with("indefinite length"));
    }
}
