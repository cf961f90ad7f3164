//! Building PKCS#10 requests, certificates (self-signed, CA, issued from a CSR or a key) and
//! CRLs. Every input is validated first; problems come back per field (`FieldError`), so a form
//! can show them next to the control before anything is built.
//!
//! The structures are `x509-cert`'s (`TbsCertificate`, `CertReqInfo`, `TbsCertList`, the
//! `ext::pkix` extensions, `Name`, `Time`, `SerialNumber`) and are encoded by the `der` crate;
//! certwright writes no DER by hand. Names and keys copied from a CSR or an issuing certificate
//! are decoded strictly and re-encoded: the same bytes for DER input (a multi-valued RDN whose
//! SET OF is out of order comes out sorted); input that is not DER is a field error.
//!
//! # Signing in two phases
//!
//! Building and signing are separate steps, so the signature can come from somewhere else
//! (WebCrypto `sign` in the browser) as well as from [`PrivateKey::sign`]:
//!
//! 1. **Prepare.** [`CsrParams::prepare`], [`prepare_certificate`], [`prepare_crl`] (and
//!    [`Profile::prepare`](super::Profile::prepare)) validate the input and return a
//!    [`ToBeSigned`]: the DER of the `CertificationRequestInfo` / `TBSCertificate` /
//!    `TBSCertList` ([`ToBeSigned::tbs_der`]) and the [`SignatureAlgorithm`] the signature must
//!    use ([`ToBeSigned::signature_algorithm`]), which is already written into the TBS part.
//!    The signer is the key passed to `prepare` (the CA's key, or the subject key when
//!    self-signed); only its public key and algorithm are used here.
//! 2. **Sign** the exact bytes of `tbs_der()` with that key: RSASSA-PKCS1-v1_5 or ECDSA with
//!    the algorithm's hash ([`SignatureAlgorithm::hash`]).
//! 3. **Finish.** [`ToBeSigned::finish`] takes the signature, verifies it against the signer's
//!    public key (a signature from the wrong key, over other bytes or with another hash is a
//!    `signature` field error, nothing is assembled) and returns the DER of the
//!    `CertificationRequest` / `Certificate` / `CertificateList`; [`ToBeSigned::finish_pem`]
//!    returns PEM with the right label ([`ToBeSigned::pem_label`]). The signature is the value
//!    X.509 carries: RSA's modulus-sized octets (what WebCrypto's `RSASSA-PKCS1-v1_5` returns),
//!    or for ECDSA the DER `Ecdsa-Sig-Value`; WebCrypto's ECDSA form (`r ‖ s`, IEEE P1363) is
//!    accepted too and converted.
//!
//! The Rust path is `prepare(…)?.sign(key)` ([`ToBeSigned::sign`]), which is what
//! [`CsrParams::build`], [`issue_certificate`] and [`issue_crl`] do.
//!
//! ```
//! # use certwright_pki::{CsrParams, PrivateKey, KeyAlgorithm, SubjectFields};
//! let key = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
//! let params = CsrParams { subject: SubjectFields { common_name: "example.com".into(), ..Default::default() }, ..Default::default() };
//! let tbs = params.prepare(&key).unwrap();
//! // Any signer over tbs.tbs_der() with tbs.signature_algorithm(); here the key itself.
//! let signature = key.sign(tbs.signature_algorithm().hash(), tbs.tbs_der()).unwrap();
//! let der = tbs.finish(&signature).unwrap();
//! assert_eq!(tbs.pem_label(), "CERTIFICATE REQUEST");
//! # assert!(!der.is_empty());
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::Digest;
use x509_cert::attr::{Attribute, AttributeTypeAndValue};
use x509_cert::der::asn1::{
    Any, BitString, GeneralizedTime, Ia5String, ObjectIdentifier, OctetString, PrintableStringRef, SetOfVec, Uint, UtcTime, Utf8StringRef,
};
use x509_cert::der::flagset::FlagSet;
use x509_cert::der::{DateTime, Decode, Encode};
use x509_cert::ext::pkix::crl::CrlNumber;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CrlReason, ExtendedKeyUsage, IssuerAltName, KeyUsage, KeyUsages, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::request::{CertReq, CertReqInfo, ExtensionReq};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};
use x509_cert::{crl, Certificate, TbsCertificate};
use x509_parser::prelude::FromDer;

use super::keys::{HashAlgorithm, PrivateKey};

/// A problem with one input field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field, e.g. `subject.country`, `sans[1]`, `notAfter`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// Subject fields; empty strings are left out of the name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SubjectFields {
    /// CN.
    pub common_name: String,
    /// O.
    pub organization: String,
    /// OU.
    pub organizational_unit: String,
    /// L.
    pub locality: String,
    /// ST.
    pub state: String,
    /// C: ISO 3166-1 alpha-2.
    pub country: String,
}

/// ISO 3166-1 alpha-2 codes (officially assigned).
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

impl SubjectFields {
    /// Validates each field for its ASN.1 type and RFC 5280 upper bound.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (field, value, max) in [
            ("subject.commonName", &self.common_name, 64),
            ("subject.organization", &self.organization, 64),
            ("subject.organizationalUnit", &self.organizational_unit, 64),
            ("subject.locality", &self.locality, 128),
            ("subject.state", &self.state, 128),
        ] {
            if value.chars().count() > max {
                errors.push(err(field, format!("at most {max} characters (RFC 5280 upper bound)")));
            }
            if value.chars().any(|c| c.is_control()) {
                errors.push(err(field, "control characters are not allowed"));
            }
            if value != value.trim() {
                errors.push(err(field, "leading or trailing spaces are not allowed"));
            }
        }
        if !(self.country.is_empty() || self.country.len() == 2 && COUNTRIES.split(' ').any(|c| c == self.country)) {
            errors.push(err("subject.country", format!("`{}` is not an ISO 3166-1 alpha-2 country code (e.g. US, DE)", self.country)));
        }
        if self.to_name_parts().is_empty() {
            errors.push(err("subject", "the subject needs at least one field (usually the common name)"));
        }
        errors
    }

    fn to_name_parts(&self) -> Vec<(ObjectIdentifier, &'static str, &str)> {
        [
            (COUNTRY, "subject.country", self.country.as_str()),
            (STATE, "subject.state", &self.state),
            (LOCALITY, "subject.locality", &self.locality),
            (ORGANIZATION, "subject.organization", &self.organization),
            (ORGANIZATIONAL_UNIT, "subject.organizationalUnit", &self.organizational_unit),
            (COMMON_NAME, "subject.commonName", &self.common_name),
        ]
        .into_iter()
        .filter(|(_, _, v)| !v.is_empty())
        .collect()
    }

    /// The Name (C as PrintableString, the rest as UTF8String), most general RDN first, one
    /// attribute per RDN.
    pub fn to_name(&self) -> Result<Name, FieldError> {
        let mut rdns = Vec::new();
        for (oid, field, value) in self.to_name_parts() {
            let value = if oid == COUNTRY {
                PrintableStringRef::new(value).and_then(|s| Any::encode_from(&s))
            } else {
                Utf8StringRef::new(value).and_then(|s| Any::encode_from(&s))
            }
            .map_err(|e| err(field, format!("cannot be encoded: {e}")))?;
            let atv = AttributeTypeAndValue { oid, value };
            let rdn = SetOfVec::try_from(vec![atv]).map_err(|e| err(field, format!("cannot be encoded: {e}")))?;
            rdns.push(RelativeDistinguishedName(rdn));
        }
        Ok(RdnSequence(rdns))
    }
}

const COUNTRY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");
const STATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.8");
const LOCALITY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.7");
const ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
const ORGANIZATIONAL_UNIT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.11");
const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");

/// A subject alternative name, parsed from `DNS:…`, `IP:…`, `email:…`, `URI:…` (or guessed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum San {
    /// dNSName.
    Dns(String),
    /// iPAddress.
    Ip(std::net::IpAddr),
    /// rfc822Name.
    Email(String),
    /// uniformResourceIdentifier.
    Uri(String),
}

impl San {
    /// Parses and validates one SAN. Without a prefix: an IP address, an email (has `@`), a URI
    /// (has `://`), else a DNS name.
    pub fn parse(input: &str) -> Result<San, String> {
        let s = input.trim();
        let (kind, value) = match s.split_once(':') {
            Some((k, v)) if matches!(k.to_ascii_lowercase().as_str(), "dns" | "ip" | "ip address" | "email" | "uri") => {
                (k.to_ascii_lowercase(), v.trim())
            }
            _ if s.parse::<std::net::IpAddr>().is_ok() => ("ip".into(), s),
            _ if s.contains("://") => ("uri".into(), s),
            _ if s.contains('@') => ("email".into(), s),
            _ => ("dns".into(), s),
        };
        match kind.as_str() {
            "dns" => check_dns(value, true).map(|()| San::Dns(value.to_ascii_lowercase())),
            "ip" | "ip address" => value.parse().map(San::Ip).map_err(|_| format!("`{value}` is not an IPv4 or IPv6 address")),
            "email" => {
                let (local, domain) = value.rsplit_once('@').ok_or_else(|| format!("`{value}` is not an email address"))?;
                if local.is_empty() || !local.is_ascii() || local.contains(char::is_whitespace) {
                    return Err(format!("`{value}`: the part before @ must be non-empty ASCII without spaces"));
                }
                check_dns(domain, false).map(|()| San::Email(value.to_string()))
            }
            _ => {
                let ok = value.split_once("://").is_some_and(|(scheme, rest)| {
                    !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) && !rest.is_empty()
                }) && value.is_ascii()
                    && !value.contains(char::is_whitespace);
                if ok {
                    Ok(San::Uri(value.to_string()))
                } else {
                    Err(format!("`{value}` is not an absolute ASCII URI"))
                }
            }
        }
    }

    /// The GeneralName (the value was validated as ASCII by [`San::parse`]).
    fn to_general_name(&self) -> Result<GeneralName, x509_cert::der::Error> {
        Ok(match self {
            San::Dns(s) => GeneralName::DnsName(Ia5String::new(s)?),
            San::Email(s) => GeneralName::Rfc822Name(Ia5String::new(s)?),
            San::Uri(s) => GeneralName::UniformResourceIdentifier(Ia5String::new(s)?),
            San::Ip(std::net::IpAddr::V4(a)) => GeneralName::IpAddress(OctetString::new(a.octets())?),
            San::Ip(std::net::IpAddr::V6(a)) => GeneralName::IpAddress(OctetString::new(a.octets())?),
        })
    }
}

/// DNS name rules (RFC 1035 LDH labels, RFC 6125 wildcards: `*` only as the whole left-most
/// label, and not directly above a single-label name).
fn check_dns(name: &str, wildcard_allowed: bool) -> Result<(), String> {
    if name.is_empty() || name.len() > 253 {
        return Err(format!("`{name}`: a DNS name has 1 to 253 characters"));
    }
    let labels: Vec<&str> = name.trim_end_matches('.').split('.').collect();
    for (i, label) in labels.iter().enumerate() {
        if *label == "*" {
            if i != 0 || !wildcard_allowed {
                return Err(format!("`{name}`: `*` may only be the whole left-most label"));
            }
            if labels.len() < 3 {
                return Err(format!("`{name}`: a wildcard needs at least two labels after it (not `*.com`)"));
            }
            continue;
        }
        if label.contains('*') {
            return Err(format!("`{name}`: partial wildcards like `{label}` are not allowed"));
        }
        if label.is_empty() || label.len() > 63 {
            return Err(format!("`{name}`: every label has 1 to 63 characters"));
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') || label.starts_with('-') || label.ends_with('-') {
            return Err(format!("`{name}`: label `{label}` may hold only letters, digits and inner hyphens (use punycode for IDNs)"));
        }
    }
    Ok(())
}

/// The key usage bit names, bit 0 first (RFC 5280 4.2.1.3).
pub(super) const KEY_USAGES: [&str; 9] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

/// KeyUsage from bit names (bit `i` of the flags is `KEY_USAGES[i]`, as in `KeyUsages`).
fn key_usage(names: &[String], field: &str, errors: &mut Vec<FieldError>) -> Option<KeyUsage> {
    let mut flags: u16 = 0;
    for (i, n) in names.iter().enumerate() {
        match KEY_USAGES.iter().position(|k| k.eq_ignore_ascii_case(n)) {
            Some(bit) => flags |= 1 << bit,
            None => errors.push(err(format!("{field}[{i}]"), format!("unknown key usage `{n}` (one of {})", KEY_USAGES.join(", ")))),
        }
    }
    (flags != 0).then(|| KeyUsage(FlagSet::<KeyUsages>::new_truncated(flags)))
}

/// Extended key usages by name.
const EKUS: [(&str, &str); 6] = [
    ("serverAuth", "1.3.6.1.5.5.7.3.1"),
    ("clientAuth", "1.3.6.1.5.5.7.3.2"),
    ("codeSigning", "1.3.6.1.5.5.7.3.3"),
    ("emailProtection", "1.3.6.1.5.5.7.3.4"),
    ("timeStamping", "1.3.6.1.5.5.7.3.8"),
    ("OCSPSigning", "1.3.6.1.5.5.7.3.9"),
];

/// ExtendedKeyUsage from names and dotted OIDs; every bad entry is a field error.
fn extended_key_usage(names: &[String], field: &str, errors: &mut Vec<FieldError>) -> Option<ExtendedKeyUsage> {
    let oids: Vec<ObjectIdentifier> = names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| extended_key_usage_oid(n).map_err(|m| errors.push(err(format!("{field}[{i}]"), m))).ok())
        .collect();
    (!oids.is_empty()).then_some(ExtendedKeyUsage(oids))
}

/// One extended key usage, by name or as a dotted OID.
fn extended_key_usage_oid(entry: &str) -> Result<ObjectIdentifier, String> {
    match EKUS.iter().find(|(name, _)| *name == entry) {
        Some((_, dotted)) => Ok(ObjectIdentifier::new_unwrap(dotted)),
        None if entry.is_empty() || entry.starts_with(|c: char| c.is_ascii_digit()) || entry.contains('.') => parse_oid(entry),
        None => Err(format!(
            "unknown extended key usage `{entry}` (serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning or a dotted OID)"
        )),
    }
}

/// What is wrong with one extended key usage entry, if anything (for live form checks).
pub(super) fn extended_key_usage_problem(entry: &str) -> Option<String> {
    extended_key_usage_oid(entry).err()
}

/// Parses a dotted OID such as `1.3.6.1.4.1.99999.1`, saying exactly what is wrong with a bad
/// one: every arc a decimal number without leading zeros, at least three arcs, the first 0, 1
/// or 2, the second at most 39 (X.660; const-oid 0.9 also cannot hold a second arc above 39
/// under 2), each arc at most 2^28 - 1 and the whole at most 39 octets encoded.
pub fn parse_oid(dotted: &str) -> Result<ObjectIdentifier, String> {
    if dotted.is_empty() {
        return Err("empty: give a name such as serverAuth or a dotted OID such as 1.3.6.1.4.1.99999.1".into());
    }
    let mut arcs = Vec::new();
    for (i, arc) in dotted.split('.').enumerate() {
        let n = i + 1;
        if arc.is_empty() {
            return Err(format!("`{dotted}`: arc {n} is empty (a dotted OID has no leading, trailing or double dots)"));
        }
        if !arc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{dotted}`: arc {n} (`{arc}`) is not a decimal number"));
        }
        if arc.len() > 1 && arc.starts_with('0') {
            return Err(format!("`{dotted}`: arc {n} (`{arc}`) has a leading zero"));
        }
        match arc.parse::<u32>() {
            Ok(value) if value <= MAX_ARC => arcs.push(value),
            _ => return Err(format!("`{dotted}`: arc {n} ({arc}) is too large (at most {MAX_ARC})")),
        }
    }
    if arcs.len() < 3 {
        return Err(format!("`{dotted}`: a custom OID needs at least three arcs"));
    }
    match (arcs[0], arcs[1]) {
        (first, _) if first > 2 => return Err(format!("`{dotted}`: the first arc must be 0, 1 or 2, not {first}")),
        (first @ (0 | 1), second) if second > 39 => {
            return Err(format!("`{dotted}`: under {first} the second arc must be 0 to 39, not {second}"))
        }
        (2, second) if second > 39 => {
            return Err(format!("`{dotted}`: OIDs under 2 with a second arc above 39 (here {second}) are not supported"))
        }
        _ => {}
    }
    ObjectIdentifier::new(dotted).map_err(|e| match e {
        x509_cert::der::oid::Error::Length => format!("`{dotted}`: too long (at most 39 octets encoded)"),
        other => format!("`{dotted}`: {other}"),
    })
}

/// The largest arc: four base-128 octets. const-oid 0.9 (what x509-cert 0.2 uses) encodes
/// larger ones, but cannot read some of them back and panics displaying those.
const MAX_ARC: u32 = (1 << 28) - 1;

/// GeneralNames from SAN strings (empty entries are skipped); `None` when there are none.
fn general_names(sans: &[String], field: &str, errors: &mut Vec<FieldError>) -> Option<Vec<GeneralName>> {
    let names: Vec<GeneralName> = sans
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.trim().is_empty())
        .filter_map(|(i, s)| {
            let field = format!("{field}[{i}]");
            let san = San::parse(s).map_err(|m| errors.push(err(&field, m))).ok()?;
            san.to_general_name().map_err(|e| errors.push(err(&field, format!("cannot be encoded: {e}")))).ok()
        })
        .collect();
    (!names.is_empty()).then_some(names)
}

/// An Extension holding the DER of `value`.
fn extension(oid: ObjectIdentifier, critical: bool, value: &impl Encode) -> Result<Extension, FieldError> {
    let encoded =
        value.to_der().and_then(OctetString::new).map_err(|e| err("extensions", format!("extension {oid} cannot be encoded: {e}")))?;
    Ok(Extension { extn_id: oid, critical, extn_value: encoded })
}

const ID_CE_SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const ID_CE_ISSUER_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.18");
const ID_CE_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const ID_CE_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const ID_CE_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const ID_CE_SUBJECT_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const ID_CE_AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const ID_CE_CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
const ID_CE_CRL_REASONS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");

/// A time as RFC 5280 wants it: UTCTime through 2049, GeneralizedTime from 2050.
fn time(unix: i64, field: &str) -> Result<Time, FieldError> {
    let out_of_range = || err(field, format!("{} is outside what a certificate can hold here (1970 to 9999)", super::iso8601_unix(unix)));
    let secs = u64::try_from(unix).map_err(|_| out_of_range())?;
    let at = DateTime::from_unix_duration(Duration::from_secs(secs)).map_err(|_| out_of_range())?;
    if at.year() < 2050 {
        UtcTime::from_date_time(at).map(Time::UtcTime).map_err(|_| out_of_range())
    } else {
        Ok(Time::GeneralTime(GeneralizedTime::from_date_time(at)))
    }
}

/// Decodes a Name copied from a CSR or a CA certificate.
fn copied_name(raw: &[u8], field: &str, what: &str) -> Result<Name, FieldError> {
    Name::from_der(raw)
        .map_err(|e| err(field, format!("{what} is not strict DER ({e}), so it cannot be copied into what certwright builds")))
}

/// Decodes a SubjectPublicKeyInfo (a key's, or one copied from a CSR).
fn copied_spki(raw: &[u8], field: &str) -> Result<SubjectPublicKeyInfoOwned, FieldError> {
    SubjectPublicKeyInfoOwned::from_der(raw).map_err(|e| err(field, format!("the public key is not strict DER ({e})")))
}

/// What a PKCS#10 request asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CsrParams {
    /// Subject name fields.
    pub subject: SubjectFields,
    /// Subject alternative names (`DNS:…`, `IP:…`, `email:…`, `URI:…`).
    pub sans: Vec<String>,
    /// Requested key usage bits by name.
    pub key_usage: Vec<String>,
    /// Requested extended key usages by name or dotted OID.
    pub extended_key_usage: Vec<String>,
    /// Signature hash.
    pub hash: HashAlgorithm,
}

impl CsrParams {
    /// Everything wrong with the parameters, per field (empty when they are fine).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = self.subject.validate();
        self.extensions(&mut errors);
        errors
    }

    fn extensions(&self, errors: &mut Vec<FieldError>) -> Vec<Extension> {
        let mut exts = Vec::new();
        let mut push = |e: Result<Extension, FieldError>, errors: &mut Vec<FieldError>| match e {
            Ok(e) => exts.push(e),
            Err(e) => errors.push(e),
        };
        if let Some(v) = general_names(&self.sans, "sans", errors) {
            push(extension(ID_CE_SUBJECT_ALT_NAME, self.subject.common_name.is_empty(), &SubjectAltName(v)), errors);
        }
        if let Some(v) = key_usage(&self.key_usage, "keyUsage", errors) {
            push(extension(ID_CE_KEY_USAGE, true, &v), errors);
        }
        if let Some(v) = extended_key_usage(&self.extended_key_usage, "extendedKeyUsage", errors) {
            push(extension(ID_CE_EXT_KEY_USAGE, false, &v), errors);
        }
        exts
    }

    /// Validates and builds the `CertificationRequestInfo`, to be signed by `key` (phase one of
    /// [two](self#signing-in-two-phases)). Returns every field problem instead when invalid.
    pub fn prepare(&self, key: &PrivateKey) -> Result<ToBeSigned, Vec<FieldError>> {
        let mut errors = self.subject.validate();
        let exts = self.extensions(&mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let subject = self.subject.to_name().map_err(|e| vec![e])?;
        let spki_der = key.public_key_der().map_err(|e| vec![err("key", e.to_string())])?;
        let mut attributes = SetOfVec::new();
        if !exts.is_empty() {
            // extensionRequest (PKCS#9) holding the Extensions.
            let attribute =
                Attribute::try_from(ExtensionReq(exts)).map_err(|e| vec![err("extensions", format!("cannot be encoded: {e}"))])?;
            attributes.insert(attribute).map_err(|e| vec![err("extensions", format!("cannot be encoded: {e}"))])?;
        }
        let info = CertReqInfo {
            version: x509_cert::request::Version::V1,
            subject,
            public_key: copied_spki(&spki_der, "key").map_err(|e| vec![e])?,
            attributes,
        };
        ToBeSigned::new(Tbs::Request(info), SignatureAlgorithm::new(key, self.hash), spki_der)
    }

    /// Builds and signs the request (DER). Returns every field problem instead when invalid.
    pub fn build(&self, key: &PrivateKey) -> Result<Vec<u8>, Vec<FieldError>> {
        self.prepare(key)?.sign(key)
    }
}

/// The signature algorithm of something to be signed: the signer's key type and the hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 (`sha256WithRSAEncryption` …; WebCrypto `RSASSA-PKCS1-v1_5`).
    RsaPkcs1v15(HashAlgorithm),
    /// ECDSA on P-256 (`ecdsa-with-SHA256` …; WebCrypto `ECDSA` with `namedCurve` `P-256`).
    EcdsaP256(HashAlgorithm),
    /// ECDSA on P-384.
    EcdsaP384(HashAlgorithm),
}

impl SignatureAlgorithm {
    /// The algorithm for signatures by `key` with `hash`.
    pub fn new(key: &PrivateKey, hash: HashAlgorithm) -> Self {
        match key {
            PrivateKey::Rsa(_) => SignatureAlgorithm::RsaPkcs1v15(hash),
            PrivateKey::P256(_) => SignatureAlgorithm::EcdsaP256(hash),
            PrivateKey::P384(_) => SignatureAlgorithm::EcdsaP384(hash),
        }
    }

    /// The hash the signature is computed with.
    pub fn hash(self) -> HashAlgorithm {
        match self {
            SignatureAlgorithm::RsaPkcs1v15(h) | SignatureAlgorithm::EcdsaP256(h) | SignatureAlgorithm::EcdsaP384(h) => h,
        }
    }

    /// The signature algorithm OID, dotted.
    pub fn oid(self) -> &'static str {
        match self {
            SignatureAlgorithm::RsaPkcs1v15(HashAlgorithm::Sha256) => "1.2.840.113549.1.1.11",
            SignatureAlgorithm::RsaPkcs1v15(HashAlgorithm::Sha384) => "1.2.840.113549.1.1.12",
            SignatureAlgorithm::RsaPkcs1v15(HashAlgorithm::Sha512) => "1.2.840.113549.1.1.13",
            SignatureAlgorithm::EcdsaP256(h) | SignatureAlgorithm::EcdsaP384(h) => match h {
                HashAlgorithm::Sha256 => "1.2.840.10045.4.3.2",
                HashAlgorithm::Sha384 => "1.2.840.10045.4.3.3",
                HashAlgorithm::Sha512 => "1.2.840.10045.4.3.4",
            },
        }
    }

    /// The AlgorithmIdentifier: NULL parameters for RSA (RFC 4055), none for ECDSA (RFC 5758).
    pub fn identifier(self) -> AlgorithmIdentifierOwned {
        let parameters = matches!(self, SignatureAlgorithm::RsaPkcs1v15(_)).then(Any::null);
        AlgorithmIdentifierOwned { oid: ObjectIdentifier::new_unwrap(self.oid()), parameters }
    }
}

/// The to-be-signed part of what is being built.
#[derive(Clone, Debug)]
enum Tbs {
    Request(CertReqInfo),
    Certificate(Box<TbsCertificate>),
    Crl(crl::TbsCertList),
}

/// A CSR, certificate or CRL that is built and waits for its signature (see
/// [signing in two phases](self#signing-in-two-phases)).
#[derive(Clone, Debug)]
pub struct ToBeSigned {
    tbs: Tbs,
    tbs_der: Vec<u8>,
    algorithm: SignatureAlgorithm,
    /// The signer's SubjectPublicKeyInfo (DER), to check the signature before assembling.
    signer_spki: Vec<u8>,
}

impl ToBeSigned {
    fn new(tbs: Tbs, algorithm: SignatureAlgorithm, signer_spki: Vec<u8>) -> Result<Self, Vec<FieldError>> {
        let encoded = match &tbs {
            Tbs::Request(t) => t.to_der(),
            Tbs::Certificate(t) => t.to_der(),
            Tbs::Crl(t) => t.to_der(),
        };
        let tbs_der = encoded.map_err(|e| vec![err("encoding", format!("cannot be encoded: {e}"))])?;
        Ok(ToBeSigned { tbs, tbs_der, algorithm, signer_spki })
    }

    /// The DER to sign: the `CertificationRequestInfo`, `TBSCertificate` or `TBSCertList`.
    pub fn tbs_der(&self) -> &[u8] {
        &self.tbs_der
    }

    /// The algorithm the signature must use (already named inside [`tbs_der`](Self::tbs_der)).
    pub fn signature_algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// The SubjectPublicKeyInfo (DER) of the key that must sign.
    pub fn signer_public_key_der(&self) -> &[u8] {
        &self.signer_spki
    }

    /// The PEM label of the finished object: `CERTIFICATE REQUEST`, `CERTIFICATE` or `X509 CRL`.
    pub fn pem_label(&self) -> &'static str {
        match self.tbs {
            Tbs::Request(_) => "CERTIFICATE REQUEST",
            Tbs::Certificate(_) => "CERTIFICATE",
            Tbs::Crl(_) => "X509 CRL",
        }
    }

    /// Phase two: checks `signature` over [`tbs_der`](Self::tbs_der) against the signer's
    /// public key and assembles the DER. `signature` is what X.509 carries (RSA: the
    /// modulus-sized octets; ECDSA: DER `Ecdsa-Sig-Value`, or `r ‖ s` as WebCrypto returns it).
    pub fn finish(&self, signature: &[u8]) -> Result<Vec<u8>, Vec<FieldError>> {
        let signature = self.checked_signature(signature).map_err(|m| vec![err("signature", m)])?;
        let signature = BitString::from_bytes(&signature).map_err(|e| vec![err("signature", format!("cannot be encoded: {e}"))])?;
        let signature_algorithm = self.algorithm.identifier();
        let encoded = match &self.tbs {
            Tbs::Request(info) => CertReq { info: info.clone(), algorithm: signature_algorithm, signature }.to_der(),
            Tbs::Certificate(tbs) => Certificate { tbs_certificate: (**tbs).clone(), signature_algorithm, signature }.to_der(),
            Tbs::Crl(tbs) => crl::CertificateList { tbs_cert_list: tbs.clone(), signature_algorithm, signature }.to_der(),
        };
        encoded.map_err(|e| vec![err("encoding", format!("cannot be encoded: {e}"))])
    }

    /// [`finish`](Self::finish), as PEM.
    pub fn finish_pem(&self, signature: &[u8]) -> Result<String, Vec<FieldError>> {
        Ok(super::pem::encode(self.pem_label(), &self.finish(signature)?))
    }

    /// Signs with `key` in Rust and finishes: the path when no external signer is used.
    pub fn sign(&self, key: &PrivateKey) -> Result<Vec<u8>, Vec<FieldError>> {
        let signature = key.sign(self.algorithm.hash(), &self.tbs_der).map_err(|e| vec![err("key", e.to_string())])?;
        self.finish(&signature)
    }

    /// The signature in X.509's form, once it verifies with the signer's key.
    fn checked_signature(&self, signature: &[u8]) -> Result<Vec<u8>, String> {
        let (_, spki) = x509_parser::x509::SubjectPublicKeyInfo::from_der(&self.signer_spki)
            .map_err(|_| "the signer's public key cannot be read".to_string())?;
        let verify = |sig: &[u8]| super::verify::verify(&spki, self.algorithm.oid(), &self.tbs_der, sig);
        let first = match verify(signature) {
            Ok(()) => return Ok(signature.to_vec()),
            Err(e) => e,
        };
        // WebCrypto's ECDSA signatures are r ‖ s (IEEE P1363), X.509's are DER.
        let der = match self.algorithm {
            SignatureAlgorithm::EcdsaP256(_) => p256::ecdsa::Signature::from_slice(signature).ok().map(|s| s.to_der().as_bytes().to_vec()),
            SignatureAlgorithm::EcdsaP384(_) => p384::ecdsa::Signature::from_slice(signature).ok().map(|s| s.to_der().as_bytes().to_vec()),
            SignatureAlgorithm::RsaPkcs1v15(_) => None,
        };
        match der {
            Some(der) if verify(&der).is_ok() => Ok(der),
            _ => Err(format!("{first}: it was not made by the signing key over these bytes with {}", hash_name(self.algorithm.hash()))),
        }
    }
}

fn hash_name(hash: HashAlgorithm) -> &'static str {
    match hash {
        HashAlgorithm::Sha256 => "SHA-256",
        HashAlgorithm::Sha384 => "SHA-384",
        HashAlgorithm::Sha512 => "SHA-512",
    }
}

/// SHA-1 of the subjectPublicKey bits of a SubjectPublicKeyInfo (RFC 5280 §4.2.1.2, method 1).
pub fn key_identifier(spki_der: &[u8]) -> Option<Vec<u8>> {
    let (spki, _) = super::asn1::read(spki_der).ok()?;
    let parts = super::asn1::children(spki.content).ok()?;
    let bits = parts.get(1).filter(|t| t.tag == 0x03)?;
    Some(Sha1::digest(bits.content.get(1..)?).to_vec())
}

/// The key identifier a CA's issued objects name in their AKI: its SKI, or one computed from its key.
fn ca_key_identifier(tbs: &x509_parser::certificate::TbsCertificate<'_>) -> Vec<u8> {
    tbs.iter_extensions()
        .find_map(|e| match e.parsed_extension() {
            x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0.to_vec()),
            _ => None,
        })
        .or_else(|| key_identifier(tbs.subject_pki.raw))
        .unwrap_or_default()
}

/// What a certificate should say.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CertParams {
    /// Subject (ignored when the certificate is issued from a CSR).
    pub subject: SubjectFields,
    /// Subject alternative names; from a CSR, empty means "take the CSR's".
    pub sans: Vec<String>,
    /// Issuer alternative names (MATTR DTS roots need one).
    pub issuer_alternative_names: Vec<String>,
    /// Key usage bits by name.
    pub key_usage: Vec<String>,
    /// Extended key usages.
    pub extended_key_usage: Vec<String>,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// basicConstraints pathLenConstraint (CAs only).
    pub path_len: Option<u32>,
    /// notBefore, Unix seconds.
    pub not_before: i64,
    /// notAfter, Unix seconds.
    pub not_after: i64,
    /// Serial number as hex; empty for a random positive serial of 20 octets.
    pub serial_hex: String,
    /// Signature hash.
    pub hash: HashAlgorithm,
}

impl Default for CertParams {
    fn default() -> Self {
        CertParams {
            subject: SubjectFields::default(),
            sans: Vec::new(),
            issuer_alternative_names: Vec::new(),
            key_usage: Vec::new(),
            extended_key_usage: Vec::new(),
            is_ca: false,
            path_len: None,
            not_before: 0,
            not_after: 0,
            serial_hex: String::new(),
            hash: HashAlgorithm::Sha256,
        }
    }
}

/// Whose name and key go into the certificate.
#[derive(Clone, Copy)]
pub enum CertSubject<'a> {
    /// A key in the browser; the subject name comes from [`CertParams::subject`].
    Key(&'a PrivateKey),
    /// A PKCS#10 request (DER); its self-signature must verify.
    Csr(&'a [u8]),
}

impl CertSubject<'_> {
    /// Algorithm and size of the key being certified (from the key, or from the CSR).
    pub fn key_facts(&self) -> super::KeyFacts {
        match self {
            CertSubject::Key(k) => k.facts(),
            CertSubject::Csr(der) => super::parse_bundle(der, "csr")
                .csrs
                .first()
                .map(|c| super::KeyFacts { algorithm: c.key_algorithm.clone(), bits: c.key_size })
                .unwrap_or(super::KeyFacts { algorithm: String::new(), bits: 0 }),
        }
    }
}

/// The CA that signs: its certificate (DER) and its private key.
#[derive(Clone, Copy)]
pub struct Issuer<'a> {
    /// The CA certificate.
    pub certificate: &'a [u8],
    /// The CA's private key (must match the certificate).
    pub key: &'a PrivateKey,
}

/// The key that signs a certificate: the issuer's, or the subject's own when self-signed.
pub(super) fn certificate_signer<'a>(subject: CertSubject<'a>, issuer: Option<Issuer<'a>>) -> Option<&'a PrivateKey> {
    match (issuer, subject) {
        (Some(is), _) => Some(is.key),
        (None, CertSubject::Key(key)) => Some(key),
        (None, CertSubject::Csr(_)) => None,
    }
}

/// Issues a certificate. With `issuer: None` it is self-signed by the subject key (which then
/// must be [`CertSubject::Key`]). `random20` supplies the serial when none is given.
pub fn issue_certificate(
    params: &CertParams,
    subject: CertSubject<'_>,
    issuer: Option<Issuer<'_>>,
    random20: [u8; 20],
) -> Result<Vec<u8>, Vec<FieldError>> {
    let tbs = prepare_certificate(params, subject, issuer, random20)?;
    let key = certificate_signer(subject, issuer).ok_or_else(|| vec![err("issuer", "a certificate for a CSR needs an issuing CA")])?;
    tbs.sign(key)
}

/// Validates and builds the `TBSCertificate` of [`issue_certificate`] (phase one of
/// [two](self#signing-in-two-phases)); the signer is `issuer.key`, or the subject key when
/// self-signed.
pub fn prepare_certificate(
    params: &CertParams,
    subject: CertSubject<'_>,
    issuer: Option<Issuer<'_>>,
    random20: [u8; 20],
) -> Result<ToBeSigned, Vec<FieldError>> {
    let mut errors = Vec::new();
    // Subject name and key.
    let (subject_name, spki, csr_sans) = match subject {
        CertSubject::Key(key) => {
            errors.extend(params.subject.validate());
            let name = if errors.is_empty() { params.subject.to_name().map_err(|e| vec![e])? } else { RdnSequence(Vec::new()) };
            (name, key.public_key_der().map_err(|e| vec![err("key", e.to_string())])?, Vec::new())
        }
        CertSubject::Csr(der) => {
            let (_, csr) = x509_parser::certification_request::X509CertificationRequest::from_der(der)
                .map_err(|e| vec![err("csr", format!("not a valid CSR: {}", super::asn1::describe_parse_error(der, &e)))])?;
            let info = &csr.certification_request_info;
            let sig_oid = super::oids::dotted(&csr.signature_algorithm.algorithm);
            super::verify::verify(&info.subject_pki, &sig_oid, info.raw, &csr.signature_value.data).map_err(|e| {
                vec![err("csr", format!("the CSR's self-signature does not verify ({e}); it was altered or made with another key"))]
            })?;
            let sans = super::csr::inspect(der, 0, String::new()).map(|c| c.subject_alternative_names).unwrap_or_default();
            (copied_name(info.subject.as_raw(), "csr", "the CSR's subject").map_err(|e| vec![e])?, info.subject_pki.raw.to_vec(), sans)
        }
    };
    if params.not_after <= params.not_before {
        errors.push(err("notAfter", "must be later than notBefore"));
    }
    let path_len = match params.path_len {
        Some(_) if !params.is_ca => {
            errors.push(err("pathLen", "a path length constraint needs a CA certificate"));
            None
        }
        Some(p) => u8::try_from(p).map(Some).unwrap_or_else(|_| {
            errors.push(err("pathLen", format!("{p} is too large: a path length constraint is 0 to 255")));
            None
        }),
        None => None,
    };
    let serial = if params.serial_hex.trim().is_empty() {
        let mut s = random20;
        s[0] &= 0x7f; // positive
        s[0] |= 0x01; // and exactly 20 octets, never a leading zero
        s.to_vec()
    } else {
        match parse_hex(params.serial_hex.trim()) {
            Some(s) if !s.is_empty() && s.len() <= 20 && s.iter().any(|&b| b != 0) && s[0] & 0x80 == 0 => s,
            _ => {
                errors.push(err("serial", "hex of a positive integer of at most 20 octets"));
                Vec::new()
            }
        }
    };
    let ski = key_identifier(&spki).ok_or_else(|| vec![err("key", "unusable public key")])?;
    // The issuer: name, key identifier and signing key.
    let (issuer_name, aki, signing_key) = match issuer {
        Some(is) => {
            let (_, ca) = x509_parser::certificate::X509Certificate::from_der(is.certificate).map_err(|e| {
                vec![err("issuer", format!("not a valid certificate: {}", super::asn1::describe_parse_error(is.certificate, &e)))]
            })?;
            let tbs = &ca.tbs_certificate;
            let ca_key = is.key.public_key_der().map_err(|e| vec![err("issuer.key", e.to_string())])?;
            if ca_key != tbs.subject_pki.raw {
                errors.push(err("issuer.key", "this private key does not belong to the issuing certificate"));
            }
            if !tbs.is_ca() {
                errors.push(err("issuer", "the issuing certificate is not a CA (basicConstraints cA is not set)"));
            }
            if let Ok(Some(ku)) = tbs.key_usage() {
                if !ku.value.key_cert_sign() {
                    errors.push(err("issuer", "the issuing certificate's key usage lacks keyCertSign"));
                }
            }
            (
                copied_name(tbs.subject.as_raw(), "issuer", "the issuing certificate's subject").map_err(|e| vec![e])?,
                ca_key_identifier(tbs),
                is.key,
            )
        }
        None => match subject {
            CertSubject::Key(key) => (subject_name.clone(), ski.clone(), key),
            CertSubject::Csr(_) => return Err(vec![err("issuer", "a certificate for a CSR needs an issuing CA")]),
        },
    };
    // Extensions.
    let mut exts = Vec::new();
    let mut push = |e: Result<Extension, FieldError>, errors: &mut Vec<FieldError>| match e {
        Ok(e) => exts.push(e),
        Err(e) => errors.push(e),
    };
    let sans: &[String] = if params.sans.iter().all(|s| s.trim().is_empty()) { &csr_sans } else { &params.sans };
    if let Some(v) = general_names(sans, "sans", &mut errors) {
        push(extension(ID_CE_SUBJECT_ALT_NAME, subject_name.0.is_empty(), &SubjectAltName(v)), &mut errors);
    }
    if let Some(v) = general_names(&params.issuer_alternative_names, "issuerAlternativeNames", &mut errors) {
        push(extension(ID_CE_ISSUER_ALT_NAME, false, &IssuerAltName(v)), &mut errors);
    }
    let bc = BasicConstraints { ca: params.is_ca, path_len_constraint: path_len.filter(|_| params.is_ca) };
    push(extension(ID_CE_BASIC_CONSTRAINTS, params.is_ca, &bc), &mut errors);
    if let Some(v) = key_usage(&params.key_usage, "keyUsage", &mut errors) {
        push(extension(ID_CE_KEY_USAGE, true, &v), &mut errors);
    }
    if let Some(v) = extended_key_usage(&params.extended_key_usage, "extendedKeyUsage", &mut errors) {
        push(extension(ID_CE_EXT_KEY_USAGE, false, &v), &mut errors);
    }
    let octets = |bytes: Vec<u8>, field: &str| OctetString::new(bytes).map_err(|e| vec![err(field, format!("cannot be encoded: {e}"))]);
    push(extension(ID_CE_SUBJECT_KEY_IDENTIFIER, false, &SubjectKeyIdentifier(octets(ski, "key")?)), &mut errors);
    let aki = AuthorityKeyIdentifier {
        key_identifier: Some(octets(aki, "issuer")?),
        authority_cert_issuer: None,
        authority_cert_serial_number: None,
    };
    push(extension(ID_CE_AUTHORITY_KEY_IDENTIFIER, false, &aki), &mut errors);
    let not_before = time(params.not_before, "notBefore").map_err(|e| errors.push(e)).ok();
    let not_after = time(params.not_after, "notAfter").map_err(|e| errors.push(e)).ok();
    let subject_public_key_info = copied_spki(&spki, "key").map_err(|e| errors.push(e)).ok();
    let serial_number = SerialNumber::new(&serial).map_err(|e| errors.push(err("serial", format!("cannot be encoded: {e}")))).ok();
    let (Some(not_before), Some(not_after), Some(subject_public_key_info), Some(serial_number), true) =
        (not_before, not_after, subject_public_key_info, serial_number, errors.is_empty())
    else {
        return Err(errors);
    };
    let algorithm = SignatureAlgorithm::new(signing_key, params.hash);
    let signer_spki = signing_key.public_key_der().map_err(|e| vec![err("key", e.to_string())])?;
    let tbs = TbsCertificate {
        version: x509_cert::Version::V3,
        serial_number,
        signature: algorithm.identifier(),
        issuer: issuer_name,
        validity: Validity { not_before, not_after },
        subject: subject_name,
        subject_public_key_info,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(exts),
    };
    ToBeSigned::new(Tbs::Certificate(Box::new(tbs)), algorithm, signer_spki)
}

/// One entry of a CRL to issue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Revocation {
    /// Serial number of the revoked certificate, hex.
    pub serial_hex: String,
    /// When it was revoked, Unix seconds.
    pub revoked_at: i64,
    /// RFC 5280 reason name (`keyCompromise`, …), if any.
    #[serde(default)]
    pub reason: Option<String>,
}

const REASONS: [(&str, CrlReason); 10] = [
    ("unspecified", CrlReason::Unspecified),
    ("keyCompromise", CrlReason::KeyCompromise),
    ("cACompromise", CrlReason::CaCompromise),
    ("affiliationChanged", CrlReason::AffiliationChanged),
    ("superseded", CrlReason::Superseded),
    ("cessationOfOperation", CrlReason::CessationOfOperation),
    ("certificateHold", CrlReason::CertificateHold),
    ("removeFromCRL", CrlReason::RemoveFromCRL),
    ("privilegeWithdrawn", CrlReason::PrivilegeWithdrawn),
    ("aACompromise", CrlReason::AaCompromise),
];

/// Issues a v2 CRL signed by `issuer`, with the authority key identifier and `crl_number`.
pub fn issue_crl(
    issuer: Issuer<'_>,
    revoked: &[Revocation],
    this_update: i64,
    next_update: i64,
    crl_number: u64,
    hash: HashAlgorithm,
) -> Result<Vec<u8>, Vec<FieldError>> {
    prepare_crl(issuer, revoked, this_update, next_update, crl_number, hash)?.sign(issuer.key)
}

/// Validates and builds the `TBSCertList` of [`issue_crl`] (phase one of
/// [two](self#signing-in-two-phases)); the signer is `issuer.key`.
pub fn prepare_crl(
    issuer: Issuer<'_>,
    revoked: &[Revocation],
    this_update: i64,
    next_update: i64,
    crl_number: u64,
    hash: HashAlgorithm,
) -> Result<ToBeSigned, Vec<FieldError>> {
    let mut errors = Vec::new();
    let (_, ca) = x509_parser::certificate::X509Certificate::from_der(issuer.certificate).map_err(|e| {
        vec![err("issuer", format!("not a valid certificate: {}", super::asn1::describe_parse_error(issuer.certificate, &e)))]
    })?;
    let tbs = &ca.tbs_certificate;
    let signer_spki = issuer.key.public_key_der().map_err(|e| vec![err("issuer.key", e.to_string())])?;
    if signer_spki != tbs.subject_pki.raw {
        errors.push(err("issuer.key", "this private key does not belong to the issuing certificate"));
    }
    if next_update <= this_update {
        errors.push(err("nextUpdate", "must be later than thisUpdate"));
    }
    let mut entries = Vec::new();
    for (i, r) in revoked.iter().enumerate() {
        let field = format!("revoked[{i}].serial");
        let serial_number = match parse_hex(r.serial_hex.trim()) {
            Some(s) if !s.is_empty() && s.len() <= 20 => match SerialNumber::new(&s) {
                Ok(serial) => serial,
                Err(_) => {
                    errors.push(err(field, "at most 20 octets encoded: a 20-octet serial must not have its top bit set"));
                    continue;
                }
            },
            _ => {
                errors.push(err(field, "hex of at most 20 octets"));
                continue;
            }
        };
        let revocation_date = match time(r.revoked_at, &format!("revoked[{i}].revokedAt")) {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let mut crl_entry_extensions = None;
        if let Some(reason) = &r.reason {
            match REASONS.iter().find(|(n, _)| n.eq_ignore_ascii_case(reason)) {
                Some((_, code)) => match extension(ID_CE_CRL_REASONS, false, code) {
                    Ok(e) => crl_entry_extensions = Some(vec![e]),
                    Err(e) => errors.push(e),
                },
                None => errors.push(err(format!("revoked[{i}].reason"), format!("unknown reason `{reason}`"))),
            }
        }
        entries.push(crl::RevokedCert { serial_number, revocation_date, crl_entry_extensions });
    }
    let this_update = time(this_update, "thisUpdate").map_err(|e| errors.push(e)).ok();
    let next_update = time(next_update, "nextUpdate").map_err(|e| errors.push(e)).ok();
    let issuer_name = copied_name(tbs.subject.as_raw(), "issuer", "the issuing certificate's subject").map_err(|e| errors.push(e)).ok();
    let (Some(this_update), Some(next_update), Some(issuer_name), true) = (this_update, next_update, issuer_name, errors.is_empty()) else {
        return Err(errors);
    };
    let aki = OctetString::new(ca_key_identifier(tbs)).map_err(|e| vec![err("issuer", format!("cannot be encoded: {e}"))])?;
    let aki = AuthorityKeyIdentifier { key_identifier: Some(aki), authority_cert_issuer: None, authority_cert_serial_number: None };
    let number = Uint::new(&crl_number.to_be_bytes()).map_err(|e| vec![err("crlNumber", format!("cannot be encoded: {e}"))])?;
    let crl_extensions = vec![
        extension(ID_CE_AUTHORITY_KEY_IDENTIFIER, false, &aki).map_err(|e| vec![e])?,
        extension(ID_CE_CRL_NUMBER, false, &CrlNumber(number)).map_err(|e| vec![e])?,
    ];
    let algorithm = SignatureAlgorithm::new(issuer.key, hash);
    let tbs = crl::TbsCertList {
        version: x509_cert::Version::V2,
        signature: algorithm.identifier(),
        issuer: issuer_name,
        this_update,
        next_update: Some(next_update),
        revoked_certificates: (!entries.is_empty()).then_some(entries),
        crl_extensions: Some(crl_extensions),
    };
    ToBeSigned::new(Tbs::Crl(tbs), algorithm, signer_spki)
}

fn parse_hex(s: &str) -> Option<Vec<u8>> {
    let s: String = s.chars().filter(|c| *c != ':' && !c.is_whitespace()).collect();
    let s = if s.len() % 2 == 1 { format!("0{s}") } else { s };
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sans_are_validated() {
        assert_eq!(San::parse("DNS:*.example.com"), Ok(San::Dns("*.example.com".into())));
        assert!(San::parse("*.com").unwrap_err().contains("two labels"));
        assert!(San::parse("a.*.example.com").unwrap_err().contains("left-most"));
        assert!(San::parse("f*o.example.com").unwrap_err().contains("partial wildcards"));
        assert!(San::parse("-bad.example").is_err());
        assert_eq!(San::parse("192.0.2.1"), Ok(San::Ip("192.0.2.1".parse().unwrap())));
        assert!(San::parse("IP:300.1.1.1").is_err());
        assert_eq!(San::parse("admin@example.com"), Ok(San::Email("admin@example.com".into())));
        assert_eq!(San::parse("URI:https://example.com/x"), Ok(San::Uri("https://example.com/x".into())));
    }

    #[test]
    fn subject_fields_are_validated() {
        let s = SubjectFields { common_name: "x".into(), country: "XX".into(), ..Default::default() };
        assert_eq!(s.validate(), vec![err("subject.country", "`XX` is not an ISO 3166-1 alpha-2 country code (e.g. US, DE)")]);
        let s = SubjectFields { common_name: "a".repeat(65), ..Default::default() };
        assert_eq!(s.validate()[0].field, "subject.commonName");
        assert_eq!(SubjectFields::default().validate()[0].field, "subject");
    }

    #[test]
    fn key_usage_bits_encode_as_named_bit_strings() {
        let mut e = Vec::new();
        let der = |names: &[&str], e: &mut Vec<FieldError>| {
            let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
            key_usage(&names, "ku", e).unwrap().to_der().unwrap()
        };
        // digitalSignature only: one byte 0x80, 7 unused bits.
        assert_eq!(der(&["digitalSignature"], &mut e), [0x03, 0x02, 0x07, 0x80]);
        // keyCertSign + cRLSign: bits 5 and 6 -> 0x06, 1 unused bit.
        assert_eq!(der(&["keyCertSign", "cRLSign"], &mut e), [0x03, 0x02, 0x01, 0x06]);
        // decipherOnly is bit 8: two bytes.
        assert_eq!(der(&["decipherOnly"], &mut e), [0x03, 0x03, 0x07, 0x00, 0x80]);
        assert!(e.is_empty());
        key_usage(&["sign".into()], "ku", &mut e);
        assert_eq!(e[0].field, "ku[0]");
    }

    /// Every bad custom EKU OID is a field error that names the entry and says what is wrong.
    /// (The hand-written writer encoded `3.1.2` as 2.41.2 and `1.40.1` as 2.0.1, and overflowed
    /// on arcs beyond 64 bits.)
    #[test]
    fn custom_eku_oids_are_range_checked() {
        for (input, says) in [
            ("3.1.2", "first arc must be 0, 1 or 2, not 3"),
            ("1.40.1", "under 1 the second arc must be 0 to 39, not 40"),
            ("0.40.1", "under 0 the second arc must be 0 to 39, not 40"),
            ("1.2.99999999999999999999999", "arc 3 (99999999999999999999999) is too large (at most 268435455)"),
            ("1.2.18446744073709551616", "is too large"),
            ("1.2.4294967296", "is too large"),
            ("2.18446744073709551615.1", "arc 2 (18446744073709551615) is too large"),
            ("1.2.4294967295", "is too large"),
            ("1.2.268435456", "arc 3 (268435456) is too large (at most 268435455)"),
            ("1..2", "arc 2 is empty"),
            ("1.2.", "arc 3 is empty"),
            (".1.2", "arc 1 is empty"),
            ("", "empty: give a name"),
            ("1.2.x", "arc 3 (`x`) is not a decimal number"),
            ("1.2.-3", "arc 3 (`-3`) is not a decimal number"),
            ("1.2. 3", "arc 3 (` 3`) is not a decimal number"),
            ("1.02.3", "arc 2 (`02`) has a leading zero"),
            ("1.2", "at least three arcs"),
            ("2.999.1", "second arc above 39 (here 999) are not supported"),
            (
                "1.2.268435455.268435455.268435455.268435455.268435455.268435455.268435455.268435455.268435455.268435455",
                "too long (at most 39 octets",
            ),
        ] {
            let mut errors = Vec::new();
            let eku = extended_key_usage(&["serverAuth".into(), input.into()], "extendedKeyUsage", &mut errors);
            assert_eq!(errors.len(), 1, "{input:?}: {errors:?}");
            assert_eq!(errors[0].field, "extendedKeyUsage[1]", "{input:?}");
            assert!(errors[0].message.contains(says), "{input:?}: {}", errors[0].message);
            assert_eq!(eku.map(|e| e.0.len()), Some(1), "{input:?}: the valid entry is kept");
        }
        let mut errors = Vec::new();
        extended_key_usage(&["serverauth".into()], "eku", &mut errors);
        assert!(errors[0].message.contains("unknown extended key usage `serverauth`"), "{errors:?}");
        // Valid OIDs encode as themselves, including the largest arc.
        for ok in ["1.3.6.1.4.1.311.10.3.4", "2.39.7", "0.0.0", "1.3.6.1.4.1.99999.268435455"] {
            let mut errors = Vec::new();
            let eku = extended_key_usage(&[ok.into()], "eku", &mut errors);
            assert!(errors.is_empty(), "{ok}: {errors:?}");
            let eku = eku.unwrap();
            assert_eq!(eku.0[0].to_string(), ok);
        }
    }

    #[test]
    fn times_switch_to_generalized_time_in_2050() {
        assert_eq!(time(0, "t").unwrap().to_der().unwrap(), b"\x17\x0d700101000000Z");
        assert_eq!(time(2_524_607_999, "t").unwrap().to_der().unwrap(), b"\x17\x0d491231235959Z");
        assert_eq!(time(2_524_608_000, "t").unwrap().to_der().unwrap(), b"\x18\x0f20500101000000Z");
        assert!(time(-1, "notBefore").unwrap_err().message.contains("1970 to 9999"));
        assert_eq!(time(253_402_300_800, "notAfter").unwrap_err().field, "notAfter");
        // year 10000
    }
}
