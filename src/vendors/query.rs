//! Query strings and form bodies (`application/x-www-form-urlencoded`): decoding for the
//! emulated vendor services and for redaction.
//!
//! - [`percent_decode`]: `%XX` to bytes, nothing else (a path segment, where `+` is a plus);
//! - [`form_decode`]: a form or query field, where `+` is a space and `%2B` a plus;
//! - [`parse_query`] and [`query_value`]: a query string as ordered name/value pairs.
//!
//! Decoding never fails: a `%` not followed by two hex digits stays as it is, and bytes that are not
//! UTF-8 become U+FFFD.

/// `%XX` escapes decoded to bytes; everything else (including `+`) kept. A malformed escape stays.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A form-encoded field: `+` is a space, then `%XX` escapes decoded (so `%2B` stays a plus).
pub fn form_decode(s: &str) -> String {
    percent_decode(&s.replace('+', " "))
}

/// `a=1&b=x+y` as `[("a", "1"), ("b", "x y")]`, in order, both sides form-decoded; empty pairs
/// skipped, a name without `=` has the empty value.
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (form_decode(k), form_decode(v))
        })
        .collect()
}

/// The first value named `name` in a parsed query.
pub fn query_value<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_keeps_plus_and_malformed_escapes() {
        assert_eq!(percent_decode("a%20b+c"), "a b+c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%zz%2f"), "%zz/");
        // `from_str_radix` would take "+1" as hex; a sign is not a hex digit.
        assert_eq!(percent_decode("%+1"), "%+1");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
    }

    #[test]
    fn form_decoding_turns_plus_into_space_but_not_an_escaped_plus() {
        assert_eq!(form_decode("x+y%2Bz"), "x y+z");
    }

    #[test]
    fn queries_parse_in_order() {
        let q = parse_query("a=1&&b=x+y&flag&a=2&c=%3D");
        assert_eq!(q, [("a", "1"), ("b", "x y"), ("flag", ""), ("a", "2"), ("c", "=")].map(|(k, v)| (k.to_owned(), v.to_owned())).to_vec());
        assert_eq!(query_value(&q, "a"), Some("1"));
        assert_eq!(query_value(&q, "flag"), Some(""));
        assert_eq!(query_value(&q, "missing"), None);
    }
}
