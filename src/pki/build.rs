//! Building PKCS#10 requests, certificates (self-signed, CA, issued from a CSR or a key) and
//! CRLs. Every input is validated first; problems come back per field (`FieldError`), so a form
//! can show them next to the control before anything is built.

use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::Digest;
use x509_parser::prelude::FromDer;

use super::der_out as d;
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

    fn to_name_parts(&self) -> Vec<(&'static str, &str)> {
        [
            ("2.5.4.6", self.country.as_str()),
            ("2.5.4.8", &self.state),
            ("2.5.4.7", &self.locality),
            ("2.5.4.10", &self.organization),
            ("2.5.4.11", &self.organizational_unit),
            ("2.5.4.3", &self.common_name),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }

    /// DER of the Name (C as PrintableString, the rest as UTF8String), most general RDN first.
    pub fn to_der(&self) -> Vec<u8> {
        let rdns: Vec<Vec<u8>> = self
            .to_name_parts()
            .into_iter()
            .map(|(oid, value)| {
                let v = if oid == "2.5.4.6" { d::printable(value) } else { d::utf8(value) };
                d::set_of(vec![d::seq(&[d::oid(oid), v])])
            })
            .collect();
        d::seq(&rdns)
    }
}

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
                    !scheme.is_empty()
                        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                        && !rest.is_empty()
                }) && value.is_ascii()
                    && !value.contains(char::is_whitespace);
                if ok { Ok(San::Uri(value.to_string())) } else { Err(format!("`{value}` is not an absolute ASCII URI")) }
            }
        }
    }

    fn to_der(&self) -> Vec<u8> {
        match self {
            San::Dns(s) => d::implicit(2, s.as_bytes()),
            San::Email(s) => d::implicit(1, s.as_bytes()),
            San::Uri(s) => d::implicit(6, s.as_bytes()),
            San::Ip(std::net::IpAddr::V4(a)) => d::implicit(7, &a.octets()),
            San::Ip(std::net::IpAddr::V6(a)) => d::implicit(7, &a.octets()),
        }
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
            return Err(format!(
                "`{name}`: label `{label}` may hold only letters, digits and inner hyphens (use punycode for IDNs)"
            ));
        }
    }
    Ok(())
}

const KEY_USAGES: [&str; 9] = [
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

fn key_usage_der(names: &[String], field: &str, errors: &mut Vec<FieldError>) -> Option<Vec<u8>> {
    let mut flags: u16 = 0;
    for (i, n) in names.iter().enumerate() {
        match KEY_USAGES.iter().position(|k| k.eq_ignore_ascii_case(n)) {
            Some(bit) => flags |= 1 << bit,
            None => errors.push(err(format!("{field}[{i}]"), format!("unknown key usage `{n}` (one of {})", KEY_USAGES.join(", ")))),
        }
    }
    if flags == 0 {
        return None;
    }
    // Named BIT STRING: bit 0 is the most significant bit; trailing zero bits are dropped.
    let highest = 15 - flags.leading_zeros() as usize; // index of the last set bit
    let nbytes = highest / 8 + 1;
    let mut bytes = vec![0u8; nbytes];
    for bit in 0..=highest {
        if flags & (1 << bit) != 0 {
            bytes[bit / 8] |= 0x80 >> (bit % 8);
        }
    }
    let unused = (nbytes * 8 - (highest + 1)) as u8;
    let mut content = vec![unused];
    content.extend(bytes);
    Some(d::tlv(0x03, &content))
}

fn eku_der(names: &[String], field: &str, errors: &mut Vec<FieldError>) -> Option<Vec<u8>> {
    let oids: Vec<Vec<u8>> = names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let oid = match n.as_str() {
                "serverAuth" => "1.3.6.1.5.5.7.3.1",
                "clientAuth" => "1.3.6.1.5.5.7.3.2",
                "codeSigning" => "1.3.6.1.5.5.7.3.3",
                "emailProtection" => "1.3.6.1.5.5.7.3.4",
                "timeStamping" => "1.3.6.1.5.5.7.3.8",
                "OCSPSigning" => "1.3.6.1.5.5.7.3.9",
                other if other.split('.').count() > 2 && other.split('.').all(|a| a.parse::<u64>().is_ok()) => other,
                other => {
                    errors.push(err(format!("{field}[{i}]"), format!("unknown extended key usage `{other}` (serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning or a dotted OID)")));
                    return None;
                }
            };
            Some(d::oid(oid))
        })
        .collect();
    (!oids.is_empty()).then(|| d::seq(&oids))
}

fn sans_der(sans: &[String], field: &str, errors: &mut Vec<FieldError>) -> Option<Vec<u8>> {
    let names: Vec<Vec<u8>> = sans
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.trim().is_empty())
        .filter_map(|(i, s)| San::parse(s).map_err(|m| errors.push(err(format!("{field}[{i}]"), m))).ok())
        .map(|s| s.to_der())
        .collect();
    (!names.is_empty()).then(|| d::seq(&names))
}

fn extension(oid: &str, critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![d::oid(oid)];
    if critical {
        parts.push(d::true_());
    }
    parts.push(d::octets(&value));
    d::seq(&parts)
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

    fn extensions(&self, errors: &mut Vec<FieldError>) -> Vec<Vec<u8>> {
        let mut exts = Vec::new();
        if let Some(v) = sans_der(&self.sans, "sans", errors) {
            exts.push(extension("2.5.29.17", self.subject.common_name.is_empty(), v));
        }
        if let Some(v) = key_usage_der(&self.key_usage, "keyUsage", errors) {
            exts.push(extension("2.5.29.15", true, v));
        }
        if let Some(v) = eku_der(&self.extended_key_usage, "extendedKeyUsage", errors) {
            exts.push(extension("2.5.29.37", false, v));
        }
        exts
    }

    /// Builds and signs the request (DER). Returns every field problem instead when invalid.
    pub fn build(&self, key: &PrivateKey) -> Result<Vec<u8>, Vec<FieldError>> {
        let mut errors = self.subject.validate();
        let exts = self.extensions(&mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let spki = key.public_key_der().map_err(|e| vec![err("key", e.to_string())])?;
        let attributes = if exts.is_empty() {
            d::explicit(0, &[])
        } else {
            // extensionRequest (PKCS#9) holding the Extensions.
            let ext_req = d::seq(&[d::oid("1.2.840.113549.1.9.14"), d::set_of(vec![d::seq(&exts)])]);
            d::explicit(0, &ext_req)
        };
        let info = d::seq(&[d::small_uint(0), self.subject.to_der(), spki, attributes]);
        sign_and_wrap(info, key, self.hash)
    }
}

fn sign_and_wrap(tbs: Vec<u8>, key: &PrivateKey, hash: HashAlgorithm) -> Result<Vec<u8>, Vec<FieldError>> {
    let signature = key.sign(hash, &tbs).map_err(|e| vec![err("key", e.to_string())])?;
    Ok(d::seq(&[tbs, key.signature_algorithm_der(hash), d::bits(&signature)]))
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
pub struct Issuer<'a> {
    /// The CA certificate.
    pub certificate: &'a [u8],
    /// The CA's private key (must match the certificate).
    pub key: &'a PrivateKey,
}

/// Issues a certificate. With `issuer: None` it is self-signed by the subject key (which then
/// must be [`CertSubject::Key`]). `random20` supplies the serial when none is given.
pub fn issue_certificate(params: &CertParams, subject: CertSubject<'_>, issuer: Option<Issuer<'_>>, random20: [u8; 20]) -> Result<Vec<u8>, Vec<FieldError>> {
    let mut errors = Vec::new();
    // Subject name and key.
    let (subject_name, spki, csr_sans) = match subject {
        CertSubject::Key(key) => {
            errors.extend(params.subject.validate());
            (params.subject.to_der(), key.public_key_der().map_err(|e| vec![err("key", e.to_string())])?, Vec::new())
        }
        CertSubject::Csr(der) => {
            let (_, csr) = x509_parser::certification_request::X509CertificationRequest::from_der(der)
                .map_err(|e| vec![err("csr", format!("not a valid CSR: {}", super::asn1::describe_parse_error(der, &e)))])?;
            let info = &csr.certification_request_info;
            let sig_oid = super::oids::dotted(&csr.signature_algorithm.algorithm);
            super::verify::verify(&info.subject_pki, &sig_oid, info.raw, &csr.signature_value.data)
                .map_err(|e| vec![err("csr", format!("the CSR's self-signature does not verify ({e}); it was altered or made with another key"))])?;
            let sans = super::csr::inspect(der, 0, String::new()).map(|c| c.subject_alternative_names).unwrap_or_default();
            (info.subject.as_raw().to_vec(), info.subject_pki.raw.to_vec(), sans)
        }
    };
    if params.not_after <= params.not_before {
        errors.push(err("notAfter", "must be later than notBefore"));
    }
    if params.path_len.is_some() && !params.is_ca {
        errors.push(err("pathLen", "a path length constraint needs a CA certificate"));
    }
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
    let (issuer_name, aki, signing_key) = match &issuer {
        Some(is) => {
            let (_, ca) = x509_parser::certificate::X509Certificate::from_der(is.certificate)
                .map_err(|e| vec![err("issuer", format!("not a valid certificate: {}", super::asn1::describe_parse_error(is.certificate, &e)))])?;
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
            (tbs.subject.as_raw().to_vec(), ca_key_identifier(tbs), is.key)
        }
        None => match subject {
            CertSubject::Key(key) => (subject_name.clone(), ski.clone(), key),
            CertSubject::Csr(_) => return Err(vec![err("issuer", "a certificate for a CSR needs an issuing CA")]),
        },
    };
    // Extensions.
    let mut exts = Vec::new();
    let sans: &[String] = if params.sans.iter().all(|s| s.trim().is_empty()) { &csr_sans } else { &params.sans };
    if let Some(v) = sans_der(sans, "sans", &mut errors) {
        exts.push(extension("2.5.29.17", subject_name == d::seq(&[]), v));
    }
    if let Some(v) = sans_der(&params.issuer_alternative_names, "issuerAlternativeNames", &mut errors) {
        exts.push(extension("2.5.29.18", false, v));
    }
    let mut bc = Vec::new();
    if params.is_ca {
        bc.push(d::true_());
        if let Some(p) = params.path_len {
            bc.push(d::small_uint(p.into()));
        }
    }
    exts.push(extension("2.5.29.19", params.is_ca, d::seq(&bc)));
    if let Some(v) = key_usage_der(&params.key_usage, "keyUsage", &mut errors) {
        exts.push(extension("2.5.29.15", true, v));
    }
    if let Some(v) = eku_der(&params.extended_key_usage, "extendedKeyUsage", &mut errors) {
        exts.push(extension("2.5.29.37", false, v));
    }
    exts.push(extension("2.5.29.14", false, d::octets(&ski)));
    exts.push(extension("2.5.29.35", false, d::seq(&[d::implicit(0, &aki)])));
    let not_before = d::time(params.not_before).map_err(|m| vec![err("notBefore", m)])?;
    let not_after = d::time(params.not_after).map_err(|m| vec![err("notAfter", m)])?;
    if !errors.is_empty() {
        return Err(errors);
    }
    let sig_alg = signing_key.signature_algorithm_der(params.hash);
    let tbs = d::seq(&[
        d::explicit(0, &d::small_uint(2)),
        d::uint(&serial),
        sig_alg,
        issuer_name,
        d::seq(&[not_before, not_after]),
        subject_name,
        spki,
        d::explicit(3, &d::seq(&exts)),
    ]);
    sign_and_wrap(tbs, signing_key, params.hash)
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

const REASONS: [(&str, u8); 10] = [
    ("unspecified", 0),
    ("keyCompromise", 1),
    ("cACompromise", 2),
    ("affiliationChanged", 3),
    ("superseded", 4),
    ("cessationOfOperation", 5),
    ("certificateHold", 6),
    ("removeFromCRL", 8),
    ("privilegeWithdrawn", 9),
    ("aACompromise", 10),
];

/// Issues a v2 CRL signed by `issuer`, with the authority key identifier and `crl_number`.
pub fn issue_crl(issuer: Issuer<'_>, revoked: &[Revocation], this_update: i64, next_update: i64, crl_number: u64, hash: HashAlgorithm) -> Result<Vec<u8>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let (_, ca) = x509_parser::certificate::X509Certificate::from_der(issuer.certificate)
        .map_err(|e| vec![err("issuer", format!("not a valid certificate: {}", super::asn1::describe_parse_error(issuer.certificate, &e)))])?;
    let tbs = &ca.tbs_certificate;
    if issuer.key.public_key_der().ok().as_deref() != Some(tbs.subject_pki.raw) {
        errors.push(err("issuer.key", "this private key does not belong to the issuing certificate"));
    }
    if next_update <= this_update {
        errors.push(err("nextUpdate", "must be later than thisUpdate"));
    }
    let mut entries = Vec::new();
    for (i, r) in revoked.iter().enumerate() {
        let serial = match parse_hex(r.serial_hex.trim()) {
            Some(s) if !s.is_empty() && s.len() <= 20 => s,
            _ => {
                errors.push(err(format!("revoked[{i}].serial"), "hex of at most 20 octets"));
                continue;
            }
        };
        let mut entry = vec![d::uint(&serial), d::time(r.revoked_at).map_err(|m| vec![err(format!("revoked[{i}].revokedAt"), m)])?];
        if let Some(reason) = &r.reason {
            match REASONS.iter().find(|(n, _)| n.eq_ignore_ascii_case(reason)) {
                Some((_, code)) => entry.push(d::seq(&[extension("2.5.29.21", false, d::tlv(0x0a, &[*code]))])),
                None => errors.push(err(format!("revoked[{i}].reason"), format!("unknown reason `{reason}`"))),
            }
        }
        entries.push(d::seq(&entry));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let aki = ca_key_identifier(tbs);
    let mut parts = vec![
        d::small_uint(1),
        issuer.key.signature_algorithm_der(hash),
        tbs.subject.as_raw().to_vec(),
        d::time(this_update).map_err(|m| vec![err("thisUpdate", m)])?,
        d::time(next_update).map_err(|m| vec![err("nextUpdate", m)])?,
    ];
    if !entries.is_empty() {
        parts.push(d::seq(&entries));
    }
    parts.push(d::explicit(
        0,
        &d::seq(&[
            extension("2.5.29.35", false, d::seq(&[d::implicit(0, &aki)])),
            extension("2.5.29.20", false, d::small_uint(crl_number)),
        ]),
    ));
    sign_and_wrap(d::seq(&parts), issuer.key, hash)
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
        // digitalSignature only: one byte 0x80, 7 unused bits.
        assert_eq!(key_usage_der(&["digitalSignature".into()], "ku", &mut e).unwrap(), [0x03, 0x02, 0x07, 0x80]);
        // keyCertSign + cRLSign: bits 5 and 6 -> 0x06, 1 unused bit.
        assert_eq!(key_usage_der(&["keyCertSign".into(), "cRLSign".into()], "ku", &mut e).unwrap(), [0x03, 0x02, 0x01, 0x06]);
        // decipherOnly is bit 8: two bytes.
        assert_eq!(key_usage_der(&["decipherOnly".into()], "ku", &mut e).unwrap(), [0x03, 0x03, 0x07, 0x00, 0x80]);
        assert!(e.is_empty());
        key_usage_der(&["sign".into()], "ku", &mut e);
        assert_eq!(e[0].field, "ku[0]");
    }
}
