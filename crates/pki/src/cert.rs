//! Certificate inspection: every field a certificate administrator looks at, from DER.
//!
//! Decoding uses x509-parser, which loads what `openssl x509` loads. What strict decoders such as
//! x509-cert refuse (DER violations found by a walk over the encoding, dates before 1970,
//! UniversalString names, long or negative serials, trailing bytes, undecodable or duplicate
//! extensions) becomes a warning on the certificate, never a rejection; `tests/vectors.rs`
//! checks that every certificate x509-cert refuses carries one.

use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{DistributionPointName, ExtendedKeyUsage, ParsedExtension, X509Extension};
use x509_parser::prelude::{FromDer, SubjectPublicKeyInfo};
use x509_parser::time::ASN1Time;

use super::names::{decode_name, general_name, NameAttribute};
use super::{hex, oids};

/// Where a certificate sits in a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Self-signed CA (or self-signed v1 certificate).
    Root,
    /// CA certificate issued by another CA.
    Intermediate,
    /// End-entity certificate.
    Leaf,
}

impl Role {
    /// Lowercase name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Root => "root",
            Role::Intermediate => "intermediate",
            Role::Leaf => "leaf",
        }
    }
}

/// One extension as found in the certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionInfo {
    /// Dotted OID.
    pub oid: std::borrow::Cow<'static, str>,
    /// Name when known (`subjectAltName`), else `None`.
    pub name: Option<&'static str>,
    /// The critical flag.
    pub critical: bool,
    /// The extension value (the content of extnValue) as lowercase hex, for extensions the
    /// inspector does not know or could not decode (known ones are shown decoded).
    pub value_hex: Option<String>,
}

/// Everything the inspector shows about a certificate. Field names follow the vendor documents
/// (`subjectDN`, `sha256Fingerprint`, …) where they have one. It deserializes from what it
/// serializes to (the app's parse worker sends it to the page as JSON), except `subject_range`
/// and `issuer_range`, which are not serialized: set them with [`CertificateInfo::set_name_ranges`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateInfo {
    /// 0-based position among the certificates of the parse.
    pub index: usize,
    /// Where it came from: file name (if any) and block position.
    pub source: String,
    /// Subject in RFC 4514 form (`CN=leaf,O=Org,C=US`).
    #[serde(rename = "subjectDN")]
    pub subject_dn: String,
    /// Issuer in RFC 4514 form.
    #[serde(rename = "issuerDN")]
    pub issuer_dn: String,
    /// Subject attributes in encoding order.
    pub subject: Vec<NameAttribute>,
    /// Issuer attributes in encoding order.
    pub issuer: Vec<NameAttribute>,
    /// Serial number, lowercase hex without leading zero octets (`-` prefix if negative).
    pub serial_number: String,
    /// notBefore, ISO 8601 UTC (`2025-01-01T00:00:00Z`).
    pub valid_from: String,
    /// notAfter, ISO 8601 UTC.
    pub expires: String,
    /// notBefore as Unix seconds.
    pub valid_from_unix: i64,
    /// notAfter as Unix seconds.
    pub expires_unix: i64,
    /// `RSA`, `EC`, `Ed25519`, … or the dotted OID.
    pub key_algorithm: String,
    /// Key size in bits (RSA modulus, curve size); 0 when unknown.
    pub key_size: u32,
    /// Named curve for EC keys (`P-256`).
    pub curve: Option<String>,
    /// Signature algorithm as openssl names it (`sha256WithRSAEncryption`) or the dotted OID.
    pub signature_algorithm: String,
    /// Subject alternative names as openssl prints them (`DNS:example.com`, `IP Address:192.0.2.1`).
    pub subject_alternative_names: Vec<String>,
    /// X.509 version: 1, 2 or 3 (the encoded value plus one, so widened: an encoded 0xFFFFFFFF
    /// is version 4294967296, with a warning).
    pub version: u64,
    /// SHA-1 of the DER, lowercase hex.
    pub sha1_fingerprint: String,
    /// SHA-256 of the DER, lowercase hex.
    pub sha256_fingerprint: String,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// basicConstraints pathLenConstraint.
    pub path_len: Option<u32>,
    /// Issued by itself: subject equals issuer and the key identifiers (if both present) agree.
    pub self_signed: bool,
    /// Root, intermediate or leaf.
    pub role: Role,
    /// Key usage bits set (`digitalSignature`, `keyCertSign`, …).
    pub key_usage: Vec<String>,
    /// Extended key usage purposes (`serverAuth`, or dotted OIDs).
    pub extended_key_usage: Vec<String>,
    /// Subject key identifier, lowercase hex.
    pub subject_key_identifier: Option<String>,
    /// Authority key identifier (keyIdentifier), lowercase hex.
    pub authority_key_identifier: Option<String>,
    /// CRL distribution point names.
    pub crl_distribution_points: Vec<String>,
    /// Authority information access entries (`OCSP - URI:…`, `CA Issuers - URI:…`).
    pub authority_info_access: Vec<String>,
    /// Certificate policies (`2.23.140.1.2.1 (CA/B Forum domain validated)`).
    pub policies: Vec<String>,
    /// All extensions, with their raw value.
    pub extensions: Vec<ExtensionInfo>,
    /// What is non-conformant about this certificate (it still loaded).
    pub warnings: Vec<String>,
    /// Where the encoded subject name sits in `der` (for chain building).
    #[serde(skip)]
    pub subject_range: std::ops::Range<usize>,
    /// Where the encoded issuer name sits in `der`.
    #[serde(skip)]
    pub issuer_range: std::ops::Range<usize>,
    /// The DER of the certificate alone (without trailing bytes). Serialized as `pem`: the
    /// certificate re-armoured as PEM (`CERTIFICATE` label, 64 columns), made only when asked for.
    #[serde(rename = "pem", serialize_with = "serialize_as_pem", deserialize_with = "deserialize_pem")]
    pub der: Vec<u8>,
}

/// Validity of a certificate at a given time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum ValidityState {
    /// notAfter is in the past.
    Expired {
        /// Whole days since expiry.
        days: i64,
    },
    /// notBefore is in the future.
    NotYetValid {
        /// Whole days until it becomes valid.
        days: i64,
    },
    /// Currently valid.
    Valid {
        /// Whole days left.
        days: i64,
    },
}

/// The position of `part` (a sub-slice of `whole`) within `whole`.
fn range_in(whole: &[u8], part: &[u8]) -> std::ops::Range<usize> {
    let start = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize).min(whole.len());
    start..(start + part.len()).min(whole.len())
}

fn serialize_as_pem<S: serde::Serializer>(der: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&super::pem::encode("CERTIFICATE", der))
}

fn deserialize_pem<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let pem = String::deserialize(d)?;
    match super::pem::split(&pem).into_iter().next().map(|b| b.der) {
        Some(Ok(der)) => Ok(der),
        _ => Err(serde::de::Error::custom("pem is not one PEM block")),
    }
}

/// [`ExtensionInfo`] as serialized; the extension's name is looked up again from its OID.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExtensionWire {
    oid: String,
    critical: bool,
    value_hex: Option<String>,
}

impl<'de> Deserialize<'de> for ExtensionInfo {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = ExtensionWire::deserialize(d)?;
        Ok(ExtensionInfo { name: oids::extension(&w.oid), oid: w.oid.into(), critical: w.critical, value_hex: w.value_hex })
    }
}

impl CertificateInfo {
    /// Where the encoded subject and issuer names sit in the DER, as `[subject start, end,
    /// issuer start, end]` (not serialized; see [`CertificateInfo::set_name_ranges`]).
    pub fn name_ranges(&self) -> [usize; 4] {
        [self.subject_range.start, self.subject_range.end, self.issuer_range.start, self.issuer_range.end]
    }

    /// Restores the name ranges after deserialization; out-of-range values are refused.
    pub fn set_name_ranges(&mut self, r: [usize; 4]) -> Result<(), String> {
        if r[0] > r[1] || r[1] > self.der.len() || r[2] > r[3] || r[3] > self.der.len() {
            return Err("name ranges outside the certificate".into());
        }
        self.subject_range = r[0]..r[1];
        self.issuer_range = r[2]..r[3];
        Ok(())
    }

    /// The certificate as PEM (`CERTIFICATE` label, 64 columns).
    pub fn pem(&self) -> String {
        super::pem::encode("CERTIFICATE", &self.der)
    }

    /// The encoded subject name.
    pub fn subject_raw(&self) -> &[u8] {
        &self.der[self.subject_range.clone()]
    }

    /// The encoded issuer name.
    pub fn issuer_raw(&self) -> &[u8] {
        &self.der[self.issuer_range.clone()]
    }

    /// The validity state at `now` (Unix seconds).
    pub fn validity_at(&self, now: i64) -> ValidityState {
        const DAY: i64 = 86_400;
        if now > self.expires_unix {
            ValidityState::Expired { days: (now - self.expires_unix) / DAY }
        } else if now < self.valid_from_unix {
            ValidityState::NotYetValid { days: (self.valid_from_unix - now + DAY - 1) / DAY }
        } else {
            ValidityState::Valid { days: (self.expires_unix - now) / DAY }
        }
    }
}

impl std::fmt::Display for ValidityState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            ValidityState::Expired { days } => write!(f, "expired {days} days ago"),
            ValidityState::NotYetValid { days } => write!(f, "not yet valid (starts in {days} days)"),
            ValidityState::Valid { days } => write!(f, "expires in {days} days"),
        }
    }
}

/// Decodes the certificate at the start of `der` and returns it with its own bytes. Trailing
/// bytes become a warning in `warnings` (OpenSSL trust data when `trailing_expected`, which is
/// normal there). Shared by [`inspect`] and the summary fast path, so both load and warn alike.
pub(crate) fn decode_certificate<'a>(
    der: &'a [u8],
    trailing_expected: bool,
    warnings: &mut Vec<String>,
) -> Result<(X509Certificate<'a>, &'a [u8]), String> {
    let (rest, cert) = X509Certificate::from_der(der)
        .map_err(|e| format!("not a valid X.509 certificate: {}", super::asn1::describe_parse_error(der, &e)))?;
    let cert_der = if trailing_expected && !rest.is_empty() {
        warnings.push(format!("{} bytes of OpenSSL trust data after the certificate were ignored", rest.len()));
        &der[..der.len() - rest.len()]
    } else {
        super::own_bytes(der, rest, "certificate", warnings)
    };
    Ok((cert, cert_der))
}

/// Decodes one certificate. `der` may carry trailing bytes (reported as a warning);
/// `trailing_expected` marks OpenSSL `TRUSTED CERTIFICATE` aux data, which is normal there.
pub fn inspect(der: &[u8], index: usize, source: String, trailing_expected: bool) -> Result<CertificateInfo, String> {
    let mut warnings = Vec::new();
    let (cert, cert_der) = decode_certificate(der, trailing_expected, &mut warnings)?;
    let tbs = &cert.tbs_certificate;
    let subject = decode_name(&tbs.subject);
    let issuer = decode_name(&tbs.issuer);
    for (which, name) in [("subject", &subject), ("issuer", &issuer)] {
        for a in &name.attributes {
            if a.string_type == "UniversalString" {
                warnings.push(format!("{which} attribute {} is a UniversalString (deprecated; strict parsers refuse it)", a.attribute));
            }
        }
    }

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

    let (valid_from, valid_from_unix) = time_fields(tbs.validity.not_before);
    let (expires, expires_unix) = time_fields(tbs.validity.not_after);
    for (which, t) in [("notBefore", valid_from_unix), ("notAfter", expires_unix)] {
        if t < 0 {
            warnings.push(format!(
                "{which} is before 1970 ({}); some strict parsers refuse such dates",
                if which == "notBefore" { &valid_from } else { &expires }
            ));
        }
    }

    let (key_algorithm, key_size, curve) = key_summary(&tbs.subject_pki);
    let sig_oid = super::oids::dotted(&cert.signature_algorithm.algorithm);
    let signature_algorithm = oids::label(oids::signature_algorithm(&sig_oid), &sig_oid);
    if tbs.signature.algorithm != cert.signature_algorithm.algorithm {
        warnings.push("the signature algorithm inside the signed part differs from the outer one".into());
    }

    let mut info = CertificateInfo {
        index,
        source,
        subject_dn: subject.rfc4514,
        issuer_dn: issuer.rfc4514,
        subject: subject.attributes,
        issuer: issuer.attributes,
        serial_number,
        valid_from,
        expires,
        valid_from_unix,
        expires_unix,
        key_algorithm,
        key_size,
        curve,
        signature_algorithm,
        subject_alternative_names: Vec::new(),
        version: u64::from(tbs.version.0) + 1,
        sha1_fingerprint: hex(&Sha1::digest(cert_der)),
        sha256_fingerprint: hex(&Sha256::digest(cert_der)),
        is_ca: false,
        path_len: None,
        self_signed: false,
        role: Role::Leaf,
        key_usage: Vec::new(),
        extended_key_usage: Vec::new(),
        subject_key_identifier: None,
        authority_key_identifier: None,
        crl_distribution_points: Vec::new(),
        authority_info_access: Vec::new(),
        policies: Vec::new(),
        extensions: Vec::new(),
        warnings,
        subject_range: range_in(cert_der, tbs.subject.as_raw()),
        issuer_range: range_in(cert_der, tbs.issuer.as_raw()),
        der: cert_der.to_vec(),
    };
    if info.version > 3 {
        info.warnings.push(format!("unknown X.509 version {}", info.version));
    }
    if !tbs.extensions().is_empty() && info.version != 3 {
        info.warnings.push(format!("version {} certificate carries extensions (only v3 may)", info.version));
    }
    let mut seen = std::collections::HashSet::new();
    for ext in tbs.extensions() {
        apply_extension(&mut info, ext);
        if !seen.insert(ext.oid.as_bytes()) {
            let oid = super::oids::dotted(&ext.oid);
            info.warnings.push(format!("extension {} appears more than once", oids::label(oids::extension(&oid), &oid)));
        }
    }
    info.self_signed = info.subject_raw() == info.issuer_raw()
        && match (&info.subject_key_identifier, &info.authority_key_identifier) {
            (Some(s), Some(a)) => s == a,
            _ => true,
        };
    info.role = match (info.is_ca, info.self_signed) {
        (true, true) => Role::Root,
        (true, false) => Role::Intermediate,
        (false, true) if info.version == 1 => Role::Root,
        _ => Role::Leaf,
    };
    strict_check(cert_der, &mut info.warnings);
    Ok(info)
}

/// Checks the distinguished encoding; strict decoders (x509-cert among them) refuse a
/// certificate that breaks it, openssl and this inspector load it with this warning.
fn strict_check(cert_der: &[u8], warnings: &mut Vec<String>) {
    if let Some(violation) = super::asn1::der_violation(cert_der) {
        warnings.push(format!("not valid DER: {violation} (strict parsers such as x509-cert refuse it)"));
    }
}

fn apply_extension(info: &mut CertificateInfo, ext: &X509Extension<'_>) {
    let oid = super::oids::dotted(&ext.oid);
    let name = oids::extension(&oid);
    let mut undecodable = false;
    match ext.parsed_extension() {
        ParsedExtension::SubjectAlternativeName(san) => {
            info.subject_alternative_names = san.general_names.iter().map(general_name).collect();
        }
        ParsedExtension::BasicConstraints(bc) => {
            info.is_ca = bc.ca;
            info.path_len = bc.path_len_constraint;
        }
        ParsedExtension::KeyUsage(ku) => info.key_usage = key_usage_names(ku.flags),
        ParsedExtension::ExtendedKeyUsage(eku) => info.extended_key_usage = eku_names(eku),
        ParsedExtension::SubjectKeyIdentifier(k) => info.subject_key_identifier = Some(hex(k.0)),
        ParsedExtension::AuthorityKeyIdentifier(aki) => {
            info.authority_key_identifier = aki.key_identifier.as_ref().map(|k| hex(k.0));
        }
        ParsedExtension::CRLDistributionPoints(points) => {
            for p in points.iter() {
                match &p.distribution_point {
                    Some(DistributionPointName::FullName(names)) => {
                        info.crl_distribution_points.extend(names.iter().map(general_name));
                    }
                    Some(DistributionPointName::NameRelativeToCRLIssuer(_)) => {
                        info.crl_distribution_points.push("(name relative to CRL issuer)".into());
                    }
                    None => {}
                }
            }
        }
        ParsedExtension::AuthorityInfoAccess(aia) => {
            for ad in aia.iter() {
                let m = super::oids::dotted(&ad.access_method);
                let method = match &*m {
                    "1.3.6.1.5.5.7.48.1" => "OCSP".to_string(),
                    "1.3.6.1.5.5.7.48.2" => "CA Issuers".to_string(),
                    _ => m.into_owned(),
                };
                info.authority_info_access.push(format!("{method} - {}", general_name(&ad.access_location)));
            }
        }
        ParsedExtension::CertificatePolicies(policies) => {
            for p in policies.iter() {
                let d = super::oids::dotted(&p.policy_id);
                info.policies.push(match oids::policy(&d) {
                    Some(n) => format!("{d} ({n})"),
                    None => d.into_owned(),
                });
            }
        }
        ParsedExtension::ParseError { error } => {
            undecodable = true;
            info.warnings.push(format!("extension {} could not be decoded ({error}); shown as raw hex", oids::label(name, &oid)));
        }
        _ => {}
    }
    let value_hex = (name.is_none() || undecodable).then(|| hex(ext.value));
    info.extensions.push(ExtensionInfo { oid, name, critical: ext.critical, value_hex });
}

/// Names of the extended key usage purposes (`serverAuth`, …; dotted OIDs for unnamed ones).
pub fn eku_names(eku: &ExtendedKeyUsage<'_>) -> Vec<String> {
    let mut v: Vec<String> = [
        (eku.any, "anyExtendedKeyUsage"),
        (eku.server_auth, "serverAuth"),
        (eku.client_auth, "clientAuth"),
        (eku.code_signing, "codeSigning"),
        (eku.email_protection, "emailProtection"),
        (eku.time_stamping, "timeStamping"),
        (eku.ocsp_signing, "OCSPSigning"),
    ]
    .into_iter()
    .filter(|(set, _)| *set)
    .map(|(_, n)| n.to_string())
    .collect();
    for o in &eku.other {
        let d = super::oids::dotted(o);
        v.push(oids::label(oids::key_purpose(&d), &d));
    }
    v
}

/// Names of the key usage bits set in `flags` (bit 0 = digitalSignature).
pub fn key_usage_names(flags: u16) -> Vec<String> {
    super::build::KEY_USAGES.iter().enumerate().filter(|(i, _)| flags & (1 << i) != 0).map(|(_, n)| n.to_string()).collect()
}

/// Serial number as lowercase hex of its magnitude (leading zero octets stripped), `-` if negative.
pub fn serial_hex(raw: &[u8]) -> String {
    if raw.first().is_some_and(|b| b & 0x80 != 0) {
        // Two's complement: magnitude = !raw + 1.
        let mut mag: Vec<u8> = raw.iter().map(|b| !b).collect();
        for b in mag.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
        return format!("-{}", serial_hex(&mag));
    }
    let stripped: &[u8] = match raw.iter().position(|&b| b != 0) {
        Some(i) => &raw[i..],
        None => &[0],
    };
    hex(stripped)
}

/// ISO 8601 UTC string and Unix seconds of an ASN.1 time.
pub fn time_fields(t: ASN1Time) -> (String, i64) {
    let dt = t.to_datetime();
    (iso8601(dt), dt.unix_timestamp())
}

/// `2035-01-01T00:00:00Z`.
pub fn iso8601(dt: time::OffsetDateTime) -> String {
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", dt.year(), u8::from(dt.month()), dt.day(), dt.hour(), dt.minute(), dt.second())
}

/// Unix seconds as `2035-01-01T00:00:00Z` (the number itself if out of `time`'s range).
pub fn iso8601_unix(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix).map_or_else(|_| unix.to_string(), iso8601)
}

/// Key algorithm name, size in bits and curve name of a SubjectPublicKeyInfo.
pub fn key_summary(spki: &SubjectPublicKeyInfo<'_>) -> (String, u32, Option<String>) {
    let oid = super::oids::dotted(&spki.algorithm.algorithm);
    let name = oids::label(oids::key_algorithm(&oid), &oid);
    let key = spki.subject_public_key.data.as_ref();
    match &*oid {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => (name, rsa_modulus_bits(key).unwrap_or(0), None),
        "1.2.840.10045.2.1" => {
            let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok()).map(|o| super::oids::dotted(&o));
            match curve.as_deref().and_then(oids::curve) {
                Some((c, bits)) => (name, bits, Some(c.to_string())),
                None => {
                    // Unnamed or unknown curve: size from the point length.
                    let bits = match key.first() {
                        Some(4) => (key.len().saturating_sub(1) * 4) as u32,
                        Some(2 | 3) => (key.len().saturating_sub(1) * 8) as u32,
                        _ => 0,
                    };
                    (name, bits, curve.map(|c| c.into_owned()))
                }
            }
        }
        "1.3.101.112" => (name, 256, None),
        "1.3.101.113" => (name, 456, None),
        "1.3.101.110" => (name, 253, None),
        "1.2.840.10040.4.1" => {
            // DSA: the size is that of p, the first INTEGER of the Dss-Parms.
            let bits = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| super::asn1::children(p.data).ok())
                .and_then(|c| c.first().map(|p| integer_bits(p.content)))
                .unwrap_or(0);
            (name, bits, None)
        }
        _ => (name, 0, None),
    }
}

/// Size in bits of the modulus of a DER RSAPublicKey.
pub fn rsa_modulus_bits(rsa_public_key: &[u8]) -> Option<u32> {
    let (seq, _) = super::asn1::read(rsa_public_key).ok()?;
    let (modulus, _) = super::asn1::read(seq.content).ok()?;
    Some(integer_bits(modulus.content))
}

fn integer_bits(int: &[u8]) -> u32 {
    let stripped = match int.iter().position(|&b| b != 0) {
        Some(i) => &int[i..],
        None => return 0,
    };
    let bits = (stripped.len() as u64 - 1) * 8 + u64::from(8 - stripped[0].leading_zeros());
    u32::try_from(bits).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials() {
        assert_eq!(serial_hex(&[0x00, 0x8f, 0x01]), "8f01");
        assert_eq!(serial_hex(&[0x01]), "01");
        assert_eq!(serial_hex(&[0x00]), "00");
        assert_eq!(serial_hex(&[0xff]), "-01");
        assert_eq!(serial_hex(&[0xff, 0x00]), "-0100");
    }

    #[test]
    fn key_usage_bits() {
        assert_eq!(key_usage_names(0b110_0001), ["digitalSignature", "keyCertSign", "cRLSign"]);
    }

    #[test]
    fn integer_bit_counts() {
        assert_eq!(integer_bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(integer_bits(&[0x01, 0xff]), 9);
        assert_eq!(integer_bits(&[0x00]), 0);
    }
}
