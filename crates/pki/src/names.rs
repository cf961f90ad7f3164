//! Rendering of distinguished names, general names and OIDs as text.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use x509_parser::der_parser::oid::Oid;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{AttributeTypeAndValue, X509Name};

/// One attribute of a distinguished name, e.g. `CN` = `example.com`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NameAttribute {
    /// Short name (`CN`, `O`, …) or the dotted OID when it has none.
    pub attribute: Cow<'static, str>,
    /// The decoded value, unescaped.
    pub value: String,
    /// The ASN.1 string type it was encoded with (`UTF8String`, `PrintableString`, …).
    pub string_type: &'static str,
}

/// The string types [`decode_string`] names.
const STRING_TYPES: [&str; 9] = [
    "UTF8String",
    "PrintableString",
    "IA5String",
    "NumericString",
    "VisibleString",
    "TeletexString",
    "BMPString",
    "UniversalString",
    "other",
];

/// [`NameAttribute`] as serialized; the string type maps back to its static name.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NameAttributeWire {
    attribute: String,
    value: String,
    string_type: String,
}

impl<'de> Deserialize<'de> for NameAttribute {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = NameAttributeWire::deserialize(d)?;
        let string_type = STRING_TYPES.iter().find(|t| **t == w.string_type).copied().unwrap_or("other");
        Ok(NameAttribute { attribute: Cow::Owned(w.attribute), value: w.value, string_type })
    }
}

/// A decoded name: its attributes in encoding order and its RFC 4514 string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DecodedName {
    /// The attributes, in the order they are encoded (most general first).
    pub attributes: Vec<NameAttribute>,
    /// RFC 4514 form: most specific RDN first, `CN=leaf,O=Org,C=US`.
    pub rfc4514: String,
}

/// Decodes a name into its attributes and its RFC 4514 string.
pub fn decode_name(name: &X509Name<'_>) -> DecodedName {
    let mut attributes = Vec::new();
    // RDN boundaries in `attributes`, to write the RFC 4514 string most specific RDN first.
    let mut rdn_ends = Vec::new();
    for rdn in name.iter_rdn() {
        attributes.extend(rdn.iter().map(decode_attribute));
        rdn_ends.push(attributes.len());
    }
    let mut rfc4514 = String::with_capacity(name.as_raw().len());
    let mut end = attributes.len();
    for (i, &start) in rdn_ends.iter().rev().skip(1).chain(std::iter::once(&0)).enumerate() {
        if i > 0 {
            rfc4514.push(',');
        }
        for (j, a) in attributes[start..end].iter().enumerate() {
            if j > 0 {
                rfc4514.push('+');
            }
            rfc4514.push_str(&a.attribute);
            rfc4514.push('=');
            escape_rfc4514_into(&a.value, &mut rfc4514);
        }
        end = start;
    }
    DecodedName { attributes, rfc4514 }
}

/// Writes only the RFC 4514 string of a name (the same text as [`decode_name`]'s `rfc4514`),
/// without building the attribute list: the summary fast path needs nothing else.
pub fn write_rfc4514(name: &X509Name<'_>, out: &mut String) {
    let rdns: Vec<_> = name.iter_rdn().collect();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            out.push_str(&attribute_short_name(atv.attr_type()));
            out.push('=');
            let value = atv.attr_value();
            let tag = value.tag().0;
            // UTF8String, and the single-byte types holding only ASCII, need no conversion.
            match tag {
                12 => escape_rfc4514_into(&String::from_utf8_lossy(value.data), out),
                18 | 19 | 20 | 22 | 26 if value.data.is_ascii() => {
                    escape_rfc4514_into(std::str::from_utf8(value.data).unwrap_or_default(), out)
                }
                _ => escape_rfc4514_into(&decode_string(tag, value.data).0, out),
            }
        }
    }
}

/// Short names (`CN`, or the dotted OID) of the attributes encoded as UniversalString, in
/// encoding order.
pub fn universal_string_attributes<'n>(name: &'n X509Name<'_>) -> impl Iterator<Item = Cow<'static, str>> + 'n {
    name.iter_attributes().filter(|atv| atv.attr_value().tag().0 == 28).map(|atv| attribute_short_name(atv.attr_type()))
}

fn decode_attribute(atv: &AttributeTypeAndValue<'_>) -> NameAttribute {
    let attribute = attribute_short_name(atv.attr_type());
    let value = atv.attr_value();
    let (text, string_type) = decode_string(value.tag().0, value.data);
    NameAttribute { attribute, value: text, string_type }
}

/// Decodes an ASN.1 string of the given universal tag number; unknown types become `#hex`.
pub fn decode_string(tag: u32, data: &[u8]) -> (String, &'static str) {
    match tag {
        12 => (String::from_utf8_lossy(data).into_owned(), "UTF8String"),
        19 => (latin1(data), "PrintableString"),
        22 => (latin1(data), "IA5String"),
        18 => (latin1(data), "NumericString"),
        26 => (latin1(data), "VisibleString"),
        20 => (latin1(data), "TeletexString"),
        30 => {
            let units: Vec<u16> = data.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
            (String::from_utf16_lossy(&units), "BMPString")
        }
        28 => {
            let s = data
                .chunks(4)
                .map(|c| {
                    let mut b = [0u8; 4];
                    b[..c.len()].copy_from_slice(c);
                    char::from_u32(u32::from_be_bytes(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
                })
                .collect();
            (s, "UniversalString")
        }
        _ => (format!("#{}", super::hex(data)), "other"),
    }
}

fn latin1(data: &[u8]) -> String {
    data.iter().map(|&b| b as char).collect()
}

fn attribute_short_name(oid: &Oid<'_>) -> Cow<'static, str> {
    let b = oid.as_bytes();
    let name = match b {
        [0x55, 0x04, n] => match n {
            3 => "CN",
            4 => "SN",
            5 => "serialNumber",
            6 => "C",
            7 => "L",
            8 => "ST",
            9 => "street",
            10 => "O",
            11 => "OU",
            12 => "title",
            15 => "businessCategory",
            17 => "postalCode",
            42 => "GN",
            43 => "initials",
            44 => "generationQualifier",
            46 => "dnQualifier",
            65 => "pseudonym",
            97 => "organizationIdentifier",
            _ => "",
        },
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "emailAddress",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01] => "UID",
        _ => "",
    };
    if name.is_empty() {
        super::oids::dotted(oid)
    } else {
        Cow::Borrowed(name)
    }
}

/// Escapes a value for an RFC 4514 string.
#[cfg(test)]
fn escape_rfc4514(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    escape_rfc4514_into(value, &mut out);
    out
}

/// The bytes RFC 4514 escapes anywhere in a value (NUL as `\00`).
const ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    let specials = b",+\"\\<>;\0";
    let mut i = 0;
    while i < specials.len() {
        t[specials[i] as usize] = true;
        i += 1;
    }
    t
};

fn escape_rfc4514_into(value: &str, out: &mut String) {
    // Most values need no escaping: copy them whole.
    let bytes = value.as_bytes();
    if !bytes.iter().any(|&c| ESCAPED[c as usize]) && !matches!(bytes.first(), Some(b'#' | b' ')) && bytes.last() != Some(&b' ') {
        out.push_str(value);
        return;
    }
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let special =
            matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';') || (i == 0 && (c == '#' || c == ' ')) || (i == last && c == ' ');
        if special {
            out.push('\\');
            out.push(c);
        } else if c == '\0' {
            out.push_str("\\00");
        } else {
            out.push(c);
        }
    }
}

/// Renders a general name as openssl does: `DNS:example.com`, `IP Address:192.0.2.1`, ….
pub fn general_name(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(s) => format!("DNS:{s}"),
        GeneralName::RFC822Name(s) => format!("email:{s}"),
        GeneralName::URI(s) => format!("URI:{s}"),
        GeneralName::IPAddress(b) => format!("IP Address:{}", ip_address(b)),
        GeneralName::DirectoryName(n) => format!("DirName:{}", decode_name(n).rfc4514),
        GeneralName::RegisteredID(oid) => format!("Registered ID:{}", super::oids::dotted(oid)),
        GeneralName::OtherName(oid, value) => format!("othername:{}:#{}", super::oids::dotted(oid), super::hex(value)),
        GeneralName::X400Address(_) => "X400Name:<unsupported>".into(),
        GeneralName::EDIPartyName(_) => "EdiPartyName:<unsupported>".into(),
        GeneralName::Invalid(tag, data) => format!("invalid [{}]:#{}", tag.0, super::hex(data)),
    }
}

/// Formats an IPv4 or IPv6 address (or an address/mask pair from name constraints).
pub fn ip_address(b: &[u8]) -> String {
    match b.len() {
        4 => std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string(),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            std::net::Ipv6Addr::from(a).to_string()
        }
        8 => format!("{}/{}", ip_address(&b[..4]), ip_address(&b[4..])),
        32 => format!("{}/{}", ip_address(&b[..16]), ip_address(&b[16..])),
        _ => format!("#{}", super::hex(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_decodes_strings() {
        assert_eq!(escape_rfc4514("#a,b "), "\\#a\\,b\\ ");
        assert_eq!(escape_rfc4514("<img>"), "\\<img\\>");
        assert_eq!(decode_string(30, &[0, b'h', 0, b'i']).0, "hi");
        assert_eq!(decode_string(28, &[0, 0, 0, b'U']).0, "U");
        assert_eq!(decode_string(4, &[1, 2]).0, "#0102");
        assert_eq!(ip_address(&[192, 0, 2, 1]), "192.0.2.1");
        assert_eq!(ip_address(&[0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), "2001:db8::1");
    }
}
