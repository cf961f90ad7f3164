//! Display names for the object identifiers a certificate inspector meets, as openssl prints them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use x509_parser::der_parser::oid::Oid;

/// Every OID named in this module, so the common ones need no formatting.
const KNOWN: &[&str] = &[
    "1.2.840.10040.4.1",
    "1.2.840.10040.4.3",
    "1.2.840.10045.2.1",
    "1.2.840.10045.3.1.1",
    "1.2.840.10045.3.1.7",
    "1.2.840.10045.4.1",
    "1.2.840.10045.4.3.1",
    "1.2.840.10045.4.3.2",
    "1.2.840.10045.4.3.3",
    "1.2.840.10045.4.3.4",
    "1.2.840.113533.7.65.0",
    "1.2.840.113549.1.1.1",
    "1.2.840.113549.1.1.10",
    "1.2.840.113549.1.1.11",
    "1.2.840.113549.1.1.12",
    "1.2.840.113549.1.1.13",
    "1.2.840.113549.1.1.14",
    "1.2.840.113549.1.1.2",
    "1.2.840.113549.1.1.4",
    "1.2.840.113549.1.1.5",
    "1.3.101.110",
    "1.3.101.112",
    "1.3.101.113",
    "1.3.132.0.10",
    "1.3.132.0.33",
    "1.3.132.0.34",
    "1.3.132.0.35",
    "1.3.14.3.2.29",
    "1.3.36.3.3.2.8.1.1.11",
    "1.3.36.3.3.2.8.1.1.13",
    "1.3.36.3.3.2.8.1.1.7",
    "1.3.6.1.4.1.11129.2.4.2",
    "1.3.6.1.4.1.11129.2.4.3",
    "1.3.6.1.4.1.311.10.3.12",
    "1.3.6.1.4.1.311.20.2",
    "1.3.6.1.4.1.311.20.2.2",
    "1.3.6.1.4.1.311.21.1",
    "1.3.6.1.4.1.311.21.10",
    "1.3.6.1.4.1.311.21.2",
    "1.3.6.1.4.1.311.21.7",
    "1.3.6.1.5.5.7.1.1",
    "1.3.6.1.5.5.7.1.11",
    "1.3.6.1.5.5.7.1.24",
    "1.3.6.1.5.5.7.1.3",
    "1.3.6.1.5.5.7.3.1",
    "1.3.6.1.5.5.7.3.2",
    "1.3.6.1.5.5.7.3.3",
    "1.3.6.1.5.5.7.3.4",
    "1.3.6.1.5.5.7.3.8",
    "1.3.6.1.5.5.7.3.9",
    "1.3.6.1.5.5.7.48.1",
    "1.3.6.1.5.5.7.48.2",
    "2.16.840.1.101.3.4.3.2",
    "2.16.840.1.113730.1.1",
    "2.16.840.1.113730.1.13",
    "2.23.140.1.1",
    "2.23.140.1.2.1",
    "2.23.140.1.2.2",
    "2.23.140.1.2.3",
    "2.5.29.14",
    "2.5.29.15",
    "2.5.29.17",
    "2.5.29.18",
    "2.5.29.19",
    "2.5.29.20",
    "2.5.29.21",
    "2.5.29.24",
    "2.5.29.27",
    "2.5.29.28",
    "2.5.29.29",
    "2.5.29.30",
    "2.5.29.31",
    "2.5.29.32",
    "2.5.29.32.0",
    "2.5.29.33",
    "2.5.29.35",
    "2.5.29.36",
    "2.5.29.37",
    "2.5.29.37.0",
    "2.5.29.46",
    "2.5.29.54",
];

/// DER content bytes of a dotted OID (the table's OIDs are constants).
fn encode(dotted: &str) -> Vec<u8> {
    x509_cert::der::asn1::ObjectIdentifier::new(dotted).map(|o| o.as_bytes().to_vec()).unwrap_or_default()
}

/// The dotted form of an OID; the well-known ones come from a table instead of being formatted.
pub fn dotted(oid: &Oid<'_>) -> Cow<'static, str> {
    static TABLE: OnceLock<HashMap<Vec<u8>, &'static str>> = OnceLock::new();
    let table = TABLE.get_or_init(|| KNOWN.iter().map(|d| (encode(d), *d)).collect());
    match table.get(oid.as_bytes()) {
        Some(d) => Cow::Borrowed(d),
        None => Cow::Owned(oid.to_id_string()),
    }
}

/// Signature algorithm name for a dotted OID.
pub fn signature_algorithm(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.3.14.3.2.29" => "sha1WithRSA",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.1" => "ecdsa-with-SHA224",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "ED25519",
        "1.3.101.113" => "ED448",
        "1.2.840.10040.4.3" => "dsaWithSHA1",
        "2.16.840.1.101.3.4.3.2" => "dsa_with_SHA256",
        _ => return None,
    })
}

/// Public key algorithm name for a dotted OID.
pub fn key_algorithm(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.1.1.1" => "RSA",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.10045.2.1" => "EC",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.3.101.110" => "X25519",
        "1.2.840.10040.4.1" => "DSA",
        _ => return None,
    })
}

/// Named curve and its size in bits.
pub fn curve(oid: &str) -> Option<(&'static str, u32)> {
    Some(match oid {
        "1.2.840.10045.3.1.7" => ("P-256", 256),
        "1.3.132.0.34" => ("P-384", 384),
        "1.3.132.0.35" => ("P-521", 521),
        "1.3.132.0.10" => ("secp256k1", 256),
        "1.2.840.10045.3.1.1" => ("P-192", 192),
        "1.3.132.0.33" => ("P-224", 224),
        "1.3.36.3.3.2.8.1.1.7" => ("brainpoolP256r1", 256),
        "1.3.36.3.3.2.8.1.1.11" => ("brainpoolP384r1", 384),
        "1.3.36.3.3.2.8.1.1.13" => ("brainpoolP512r1", 512),
        _ => return None,
    })
}

/// Extension name for a dotted OID.
pub fn extension(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.29.14" => "subjectKeyIdentifier",
        "2.5.29.15" => "keyUsage",
        "2.5.29.17" => "subjectAltName",
        "2.5.29.18" => "issuerAltName",
        "2.5.29.19" => "basicConstraints",
        "2.5.29.20" => "cRLNumber",
        "2.5.29.21" => "cRLReason",
        "2.5.29.24" => "invalidityDate",
        "2.5.29.27" => "deltaCRLIndicator",
        "2.5.29.28" => "issuingDistributionPoint",
        "2.5.29.29" => "certificateIssuer",
        "2.5.29.30" => "nameConstraints",
        "2.5.29.31" => "cRLDistributionPoints",
        "2.5.29.32" => "certificatePolicies",
        "2.5.29.33" => "policyMappings",
        "2.5.29.35" => "authorityKeyIdentifier",
        "2.5.29.36" => "policyConstraints",
        "2.5.29.37" => "extendedKeyUsage",
        "2.5.29.46" => "freshestCRL",
        "2.5.29.54" => "inhibitAnyPolicy",
        "1.3.6.1.5.5.7.1.1" => "authorityInfoAccess",
        "1.3.6.1.5.5.7.1.11" => "subjectInfoAccess",
        "1.3.6.1.5.5.7.1.24" => "tlsFeature",
        "1.3.6.1.5.5.7.1.3" => "qcStatements",
        "1.3.6.1.4.1.11129.2.4.2" => "ctPrecertificateSCTs",
        "1.3.6.1.4.1.11129.2.4.3" => "ctPrecertificatePoison",
        "2.16.840.1.113730.1.1" => "nsCertType",
        "2.16.840.1.113730.1.13" => "nsComment",
        "1.3.6.1.4.1.311.20.2" => "msCertificateTemplateName",
        "1.3.6.1.4.1.311.21.1" => "msCaVersion",
        "1.3.6.1.4.1.311.21.2" => "msPreviousCaCertHash",
        "1.3.6.1.4.1.311.21.7" => "msCertificateTemplate",
        "1.3.6.1.4.1.311.21.10" => "msApplicationPolicies",
        "1.2.840.113533.7.65.0" => "entrustVersionInfo",
        _ => return None,
    })
}

/// Extended key usage purpose name for a dotted OID.
pub fn key_purpose(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.3.6.1.5.5.7.3.1" => "serverAuth",
        "1.3.6.1.5.5.7.3.2" => "clientAuth",
        "1.3.6.1.5.5.7.3.3" => "codeSigning",
        "1.3.6.1.5.5.7.3.4" => "emailProtection",
        "1.3.6.1.5.5.7.3.8" => "timeStamping",
        "1.3.6.1.5.5.7.3.9" => "OCSPSigning",
        "2.5.29.37.0" => "anyExtendedKeyUsage",
        "1.3.6.1.4.1.311.10.3.12" => "msDocumentSigning",
        "1.3.6.1.4.1.311.20.2.2" => "msSmartcardLogin",
        _ => return None,
    })
}

/// Certificate policy name for a dotted OID.
pub fn policy(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.29.32.0" => "anyPolicy",
        "2.23.140.1.1" => "CA/B Forum extended validation",
        "2.23.140.1.2.1" => "CA/B Forum domain validated",
        "2.23.140.1.2.2" => "CA/B Forum organization validated",
        "2.23.140.1.2.3" => "CA/B Forum individual validated",
        _ => return None,
    })
}

/// Name of a CRL reason code (RFC 5280 §5.3.1).
pub fn crl_reason(code: u8) -> &'static str {
    match code {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => "unknown",
    }
}

/// `name (oid)` when the name is known, else the OID alone.
pub fn label(name: Option<&str>, oid: &str) -> String {
    match name {
        Some(n) => n.to_string(),
        None => oid.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_encoding_matches_the_parser() {
        for d in KNOWN {
            let oid = Oid::new(Cow::Owned(encode(d)));
            assert_eq!(oid.to_id_string(), *d);
            assert_eq!(dotted(&oid), *d);
        }
    }
}
