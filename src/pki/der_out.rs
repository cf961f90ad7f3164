//! A small DER writer for what certwright builds (CSRs, certificates, CRLs): every element is
//! a `Vec<u8>` holding its complete encoding.

/// One element: tag, definite minimal length, content.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// SEQUENCE of already-encoded elements.
pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// SET OF already-encoded elements, sorted as DER requires.
pub fn set_of(mut parts: Vec<Vec<u8>>) -> Vec<u8> {
    parts.sort();
    tlv(0x31, &parts.concat())
}

/// OBJECT IDENTIFIER from its dotted form (arcs must fit in u64; callers pass constants).
pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').filter_map(|a| a.parse().ok()).collect();
    let mut content = Vec::new();
    let mut push = |mut v: u64| {
        let mut tmp = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push((v & 0x7f) as u8 | 0x80);
            v >>= 7;
        }
        content.extend(tmp.iter().rev());
    };
    if arcs.len() >= 2 {
        push(arcs[0] * 40 + arcs[1]);
        arcs[2..].iter().for_each(|&a| push(a));
    }
    tlv(0x06, &content)
}

/// INTEGER from unsigned big-endian magnitude bytes (made minimal and positive).
pub fn uint(magnitude: &[u8]) -> Vec<u8> {
    let stripped: &[u8] = match magnitude.iter().position(|&b| b != 0) {
        Some(i) => &magnitude[i..],
        None => &[0],
    };
    let mut content = Vec::with_capacity(stripped.len() + 1);
    if stripped[0] & 0x80 != 0 {
        content.push(0);
    }
    content.extend_from_slice(stripped);
    tlv(0x02, &content)
}

/// INTEGER from a small number.
pub fn small_uint(n: u64) -> Vec<u8> {
    uint(&n.to_be_bytes())
}

/// BOOLEAN TRUE (FALSE is the DEFAULT wherever certwright writes booleans, so it is omitted).
pub fn true_() -> Vec<u8> {
    vec![0x01, 0x01, 0xff]
}

/// OCTET STRING.
pub fn octets(content: &[u8]) -> Vec<u8> {
    tlv(0x04, content)
}

/// BIT STRING with no unused bits.
pub fn bits(content: &[u8]) -> Vec<u8> {
    let mut c = Vec::with_capacity(content.len() + 1);
    c.push(0);
    c.extend_from_slice(content);
    tlv(0x03, &c)
}

/// UTF8String.
pub fn utf8(s: &str) -> Vec<u8> {
    tlv(0x0c, s.as_bytes())
}

/// PrintableString (the caller has validated the characters).
pub fn printable(s: &str) -> Vec<u8> {
    tlv(0x13, s.as_bytes())
}

/// Context-specific tag `n`, constructed (EXPLICIT or a constructed IMPLICIT type).
pub fn explicit(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, content)
}

/// Context-specific tag `n`, primitive (IMPLICIT over a primitive type).
pub fn implicit(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0x80 | n, content)
}

/// A time as RFC 5280 wants it: UTCTime for 1950–2049, GeneralizedTime otherwise.
pub fn time(unix: i64) -> Result<Vec<u8>, String> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).map_err(|_| format!("time {unix} is out of range"))?;
    let (y, mo, d, h, mi, s) = (t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute(), t.second());
    Ok(if (1950..2050).contains(&y) {
        tlv(0x17, format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100).as_bytes())
    } else if (0..=9999).contains(&y) {
        tlv(0x18, format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z").as_bytes())
    } else {
        return Err(format!("year {y} cannot be encoded"));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_minimally() {
        assert_eq!(oid("1.2.840.113549.1.1.11"), [6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11]);
        assert_eq!(uint(&[0, 0, 0x80]), [2, 2, 0, 0x80]);
        assert_eq!(small_uint(0), [2, 1, 0]);
        assert_eq!(tlv(4, &[0; 200])[..3], [4, 0x81, 200]);
        assert_eq!(time(0).unwrap(), tlv(0x17, b"700101000000Z"));
        assert_eq!(time(2_524_608_000).unwrap(), tlv(0x18, b"20500101000000Z"));
        assert_eq!(set_of(vec![vec![2, 1, 7], vec![2, 1, 5]]), [0x31, 6, 2, 1, 5, 2, 1, 7]);
    }
}
