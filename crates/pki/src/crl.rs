//! CRL inspection: issuer, update times, revoked serials with dates and reasons.

use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use super::cert::{serial_hex, time_fields};
use super::names::{decode_name, NameAttribute};
use super::{hex, oids};

/// One revoked certificate entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevokedEntry {
    /// Serial number, lowercase hex.
    pub serial_number: String,
    /// Revocation date, ISO 8601 UTC.
    pub revocation_date: String,
    /// Reason name (`keyCompromise`) when the entry has a reason code.
    pub reason: Option<String>,
}

/// What the inspector shows about a CRL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrlInfo {
    /// 0-based position among the CRLs of the parse.
    pub index: usize,
    /// Where it came from.
    pub source: String,
    /// PEM (`X509 CRL` label).
    pub pem: String,
    /// Issuer, RFC 4514.
    #[serde(rename = "issuerDN")]
    pub issuer_dn: String,
    /// Issuer attributes.
    pub issuer: Vec<NameAttribute>,
    /// 1 or 2 (the encoded value plus one, widened; another value comes with a warning).
    pub version: u64,
    /// thisUpdate, ISO 8601 UTC.
    pub this_update: String,
    /// nextUpdate, ISO 8601 UTC.
    pub next_update: Option<String>,
    /// CRL number (hex), if present.
    pub crl_number: Option<String>,
    /// Signature algorithm name.
    pub signature_algorithm: String,
    /// Revoked entries in order.
    pub revoked: Vec<RevokedEntry>,
    /// SHA-1 of the DER.
    pub sha1_fingerprint: String,
    /// SHA-256 of the DER.
    pub sha256_fingerprint: String,
    /// Non-conformance found while loading.
    pub warnings: Vec<String>,
}

/// Decodes one CRL.
pub fn inspect(der: &[u8], index: usize, source: String) -> Result<CrlInfo, String> {
    let (rest, crl) =
        CertificateRevocationList::from_der(der).map_err(|e| format!("not a valid CRL: {}", super::asn1::describe_parse_error(der, &e)))?;
    let mut warnings = Vec::new();
    let crl_der = super::own_bytes(der, rest, "CRL", &mut warnings);
    let tbs = &crl.tbs_cert_list;
    let issuer = decode_name(&tbs.issuer);
    let sig_oid = super::oids::dotted(&crl.signature_algorithm.algorithm);
    // The encoded value plus one, widened so that 0xFFFFFFFF cannot overflow.
    let version = tbs.version.map_or(1, |v| u64::from(v.0) + 1);
    if version > 2 {
        warnings.push(format!("unknown CRL version {version} (only v1 and v2 exist)"));
    }
    let revoked = crl
        .iter_revoked_certificates()
        .map(|r| RevokedEntry {
            serial_number: serial_hex(r.raw_serial()),
            revocation_date: time_fields(r.revocation_date).0,
            reason: r.reason_code().map(|(_, code)| oids::crl_reason(code.0).to_string()),
        })
        .collect();
    Ok(CrlInfo {
        index,
        source,
        pem: super::pem::encode("X509 CRL", crl_der),
        issuer_dn: issuer.rfc4514,
        issuer: issuer.attributes,
        version,
        this_update: time_fields(tbs.this_update).0,
        next_update: tbs.next_update.map(|t| time_fields(t).0),
        crl_number: crl.crl_number().map(|n| hex(&n.to_bytes_be())),
        signature_algorithm: oids::label(oids::signature_algorithm(&sig_oid), &sig_oid),
        revoked,
        sha1_fingerprint: hex(&Sha1::digest(crl_der)),
        sha256_fingerprint: hex(&Sha256::digest(crl_der)),
        warnings,
    })
}
