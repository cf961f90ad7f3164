//! MATTR's rules, checked locally so a form can show each problem on its field before anything
//! is sent (`docs/vendors/mattr.md`, *Limits*):
//!
//! - [`check_create_root`]: a managed root's creation fields (`commonName` a non-empty
//!   PrintableString, `country` ISO 3166-1 alpha-2, `notBefore` not in the past and before
//!   `notAfter`, `notAfter` at most 20 years after creation) and the 3-roots-per-tenant cap;
//! - [`check_root_ca`]: the rule pack for an unmanaged root (browser-made, pasted or dropped):
//!   X.509 v3 with an issuer, an Issuer Alternative Name with an email or URI, a serial of 1 to
//!   20 decimal digits, a subject with non-empty C (alpha-2), CN and O, no duplicate extensions,
//!   an SKI, key usage keyCertSign and cRLSign, `notAfter` after `notBefore`, not expired and at
//!   most 20 years;
//! - [`check_fingerprint`]: MATTR's `certificateFingerprint` against the SHA-256 computed here;
//! - [`api_field_errors`]: MATTR's error `details` (and local [`Error::Invalid`]) as form-field
//!   errors, by the field each detail names (`param`).
//!
//! Every finding is a [`FieldError`]: the field and what to change.

use sha2::{Digest, Sha256};
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;

use super::models::CreateManagedRootCa;
use crate::pki::{self, FieldError, SubjectFields};
use crate::vendors::error::{Error, ErrorBody};
use crate::vendors::retry::parse_rfc3339_ms;

/// Most DTS root CA certificates per tenant.
pub const MAX_ROOTS: usize = 3;
/// Most VICAL signers per tenant.
pub const MAX_VICAL_SIGNERS: usize = 5;
/// Longest validity, in years (from creation, or from `notBefore` for an uploaded root).
pub const MAX_YEARS: i32 = 20;

fn finding(field: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// `unix` plus `years` calendar years (29 February becomes 1 March when the target year has
/// none); `None` out of range.
pub fn add_years(unix: i64, years: i32) -> Option<i64> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).ok()?;
    let year = t.year().checked_add(years)?;
    let moved = t.replace_year(year).ok().or_else(|| {
        // 29 February in a year without one.
        (t.replace_day(28).ok()?.replace_year(year).ok()?).checked_add(time::Duration::DAY)
    })?;
    Some(moved.unix_timestamp())
}

/// Whether `s` is a valid PrintableString (X.680: `A-Z a-z 0-9 ' ( ) + , - . / : = ?` and space).
pub fn is_printable_string(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c))
}

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 code (the project's list, used by
/// the certificate builder's subject check).
pub fn is_country_code(code: &str) -> bool {
    let s = SubjectFields { common_name: "x".into(), country: code.into(), ..Default::default() };
    code.len() == 2 && !s.validate().iter().any(|e| e.field == "subject.country")
}

fn rfc3339_s(field: &str, value: &str, out: &mut Vec<FieldError>) -> Option<i64> {
    match parse_rfc3339_ms(value) {
        Some(ms) => Some(ms.div_euclid(1000)),
        None => {
            out.push(finding(field, format!("`{value}` is not an RFC 3339 date-time (e.g. 2026-01-01T00:00:00Z)")));
            None
        }
    }
}

/// The creation fields of a managed root, checked as MATTR checks them, at `now` (Unix seconds),
/// with `listed` roots already in the tenant (`None`: not counted). Empty when they are fine.
pub fn check_create_root(fields: &CreateManagedRootCa, now: i64, listed: Option<usize>) -> Vec<FieldError> {
    let mut out = Vec::new();
    if let Some(n) = listed.filter(|n| *n >= MAX_ROOTS) {
        out.push(finding(
            "tenant",
            format!("MATTR allows at most {MAX_ROOTS} DTS root CA certificates per tenant and {n} are listed: delete one first"),
        ));
    }
    if fields.organisation_name.trim().is_empty() {
        out.push(finding("organisationName", "required: the organisation the root CA belongs to"));
    }
    if let Some(cn) = &fields.common_name {
        if cn.is_empty() {
            out.push(finding("commonName", "cannot be empty: leave it out to get MATTR's default"));
        } else if !is_printable_string(cn) {
            let bad: String = cn.chars().filter(|c| !is_printable_string(&c.to_string())).take(5).collect();
            out.push(finding(
                "commonName",
                format!("must be a PrintableString: remove {bad:?} (allowed: A-Z a-z 0-9 space ' ( ) + , - . / : = ?)"),
            ));
        } else if cn.chars().count() > 64 {
            out.push(finding("commonName", "at most 64 characters (RFC 5280 upper bound)"));
        }
    }
    if let Some(c) = &fields.country {
        if !is_country_code(c) {
            out.push(finding("country", format!("`{c}` is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. AU, NZ, US)")));
        }
    }
    let nb = fields.not_before.as_deref().and_then(|v| rfc3339_s("notBefore", v, &mut out));
    let na = fields.not_after.as_deref().and_then(|v| rfc3339_s("notAfter", v, &mut out));
    if let Some(nb) = nb {
        if nb < now {
            out.push(finding(
                "notBefore",
                format!("must not be in the past (it is {}, now is {})", pki::iso8601_unix(nb), pki::iso8601_unix(now)),
            ));
        }
        if na.is_some_and(|na| nb >= na) {
            out.push(finding("notBefore", "must be before notAfter"));
        }
    }
    if let (Some(na), Some(max)) = (na, add_years(now, MAX_YEARS)) {
        if na > max {
            out.push(finding(
                "notAfter",
                format!("at most {MAX_YEARS} years after creation: choose {} or earlier", pki::iso8601_unix(max)),
            ));
        }
    }
    out
}

/// The count cap for VICAL signers: `listed` signers already in the tenant.
pub fn check_vical_signer_count(listed: usize) -> Option<FieldError> {
    (listed >= MAX_VICAL_SIGNERS)
        .then(|| finding("tenant", format!("MATTR allows at most {MAX_VICAL_SIGNERS} VICAL signers per tenant and {listed} are listed")))
}

/// The rule pack for an unmanaged root (PEM or DER), at `now`, with `listed` roots already in
/// the tenant (`None`: not counted). Empty when MATTR's external-root requirements are met.
pub fn check_root_ca(input: &[u8], now: i64, listed: Option<usize>) -> Vec<FieldError> {
    let mut out = Vec::new();
    if let Some(n) = listed.filter(|n| *n >= MAX_ROOTS) {
        out.push(finding(
            "tenant",
            format!("MATTR allows at most {MAX_ROOTS} DTS root CA certificates per tenant and {n} are listed: delete one first"),
        ));
    }
    let bundle = pki::parse_bundle(input, "root");
    let info = match (bundle.certificates.len(), bundle.problems.first()) {
        (1, _) => &bundle.certificates[0],
        (0, Some(p)) => {
            out.push(finding("certificate", format!("not a certificate: {}", p.message)));
            return out;
        }
        (0, None) => {
            out.push(finding("certificate", "no certificate found: paste one PEM block (-----BEGIN CERTIFICATE-----) or drop a DER file"));
            return out;
        }
        (n, _) => {
            out.push(finding("certificate", format!("{n} certificates found: upload the root alone")));
            return out;
        }
    };
    let Ok((_, cert)) = x509_parser::certificate::X509Certificate::from_der(&info.der) else {
        out.push(finding("certificate", "the certificate does not decode"));
        return out;
    };
    let tbs = &cert.tbs_certificate;
    if info.version != 3 {
        out.push(finding(
            "version",
            format!("MATTR requires an X.509 v3 certificate (this one is v{}): reissue it with extensions", info.version),
        ));
    }
    if tbs.issuer.iter().next().is_none() {
        out.push(finding("issuer", "MATTR requires an issuer name: set the issuer (the root's own subject)"));
    }
    // Issuer Alternative Name with an email or URI.
    let ian = issuer_alternative_names(tbs);
    if !ian.iter().any(|n| matches!(n, GeneralName::RFC822Name(s) | GeneralName::URI(s) if !s.is_empty())) {
        let what = if ian.is_empty() { "it has none" } else { "it has neither" };
        out.push(finding("issuerAlternativeNames", format!("MATTR requires an Issuer Alternative Name with an email address or a URI ({what}): add e.g. URI:https://example.com or email:pki@example.com")));
    }
    // Serial: 1 to 20 decimal digits.
    let raw = tbs.raw_serial();
    if raw.is_empty() {
        out.push(finding("serial", "MATTR requires a serial number"));
    } else if raw[0] & 0x80 != 0 {
        out.push(finding("serial", "the serial number is negative: use a positive serial of at most 20 decimal digits"));
    } else {
        let digits = serial_decimal_digits(raw);
        if digits.is_none_or(|d| d > 20) {
            let d = digits.map_or_else(|| "more than 38".to_string(), |d| d.to_string());
            out.push(finding("serial", format!("MATTR requires a serial number of 1 to 20 decimal digits (this one has {d}): use a serial below 10^20, e.g. 8 random bytes with the top bit clear")));
        }
    }
    // Subject C, CN, O.
    let attr = |name: &str| info.subject.iter().find(|a| a.attribute == name).map(|a| a.value.trim().to_string());
    for (field, short, what) in
        [("subject.country", "C", "country"), ("subject.commonName", "CN", "common name"), ("subject.organization", "O", "organization")]
    {
        match attr(short) {
            None => out.push(finding(field, format!("MATTR requires the subject to have a {what} ({short}): add {short}="))),
            Some(v) if v.is_empty() => out.push(finding(field, format!("MATTR requires a non-empty {what} ({short})"))),
            Some(v) if short == "C" && !is_country_code(&v) => out
                .push(finding(field, format!("`{v}` is not an ISO 3166-1 alpha-2 country code: use two capital letters, e.g. AU, NZ, US"))),
            _ => {}
        }
    }
    // Extensions: none duplicated; an SKI; key usage keyCertSign + cRLSign.
    let mut seen: Vec<&str> = Vec::new();
    for e in &info.extensions {
        if seen.contains(&e.oid.as_ref()) {
            let name = e.name.map_or_else(|| e.oid.to_string(), |n| format!("{n} ({})", e.oid));
            if !out.iter().any(|f| f.field == "extensions" && f.message.contains(&name)) {
                out.push(finding("extensions", format!("MATTR refuses duplicate extensions: {name} appears more than once, keep one")));
            }
        } else {
            seen.push(e.oid.as_ref());
        }
    }
    if info.subject_key_identifier.is_none() {
        out.push(finding("subjectKeyIdentifier", "MATTR requires a Subject Key Identifier extension: add one (SHA-1 of the public key)"));
    }
    let missing: Vec<&str> = ["keyCertSign", "cRLSign"].into_iter().filter(|u| !info.key_usage.iter().any(|k| k == u)).collect();
    if !missing.is_empty() {
        out.push(finding("keyUsage", format!("a MATTR root needs key usage keyCertSign and cRLSign: add {}", missing.join(" and "))));
    }
    // Validity.
    let (nb, na) = (info.valid_from_unix, info.expires_unix);
    if na <= nb {
        out.push(finding("notAfter", format!("must be after notBefore ({})", info.valid_from)));
    } else {
        if na < now {
            out.push(finding("notAfter", format!("the root expired on {}: issue a new one", info.expires)));
        }
        if add_years(nb, MAX_YEARS).is_some_and(|max| na > max) {
            out.push(finding(
                "notAfter",
                format!(
                    "MATTR allows at most {MAX_YEARS} years of validity: choose notAfter on or before {}",
                    add_years(nb, MAX_YEARS).map(pki::iso8601_unix).unwrap_or_default()
                ),
            ));
        }
    }
    out
}

/// Decimal digits of a non-negative big-endian serial; `None` above 2^128.
fn serial_decimal_digits(raw: &[u8]) -> Option<usize> {
    let bytes: Vec<u8> = raw.iter().copied().skip_while(|b| *b == 0).collect();
    if bytes.len() > 16 {
        return None;
    }
    let v = bytes.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
    Some(v.to_string().len())
}

/// SHA-256 of a certificate (PEM or DER) as MATTR writes it: 64 lowercase hex digits.
///
/// # Errors
/// [`Error::Invalid`] on `certificatePem` when no single certificate is found.
pub fn sha256_fingerprint(input: &[u8]) -> Result<String, Error> {
    let bundle = pki::parse_bundle(input, "certificate");
    match bundle.certificates.as_slice() {
        [one] => Ok(Sha256::digest(&one.der).iter().map(|b| format!("{b:02x}")).collect()),
        _ => Err(Error::invalid("certificatePem", format!("expected one certificate, found {}", bundle.certificates.len()))),
    }
}

/// Compares `reported` (MATTR's `certificateFingerprint`) with the SHA-256 of `certificate_pem`.
/// Colons and letter case are ignored (MATTR writes 64 lowercase hex digits).
///
/// # Errors
/// [`Error::Invalid`] on `certificateFingerprint` naming both values when they differ.
pub fn check_fingerprint(certificate_pem: &str, reported: &str) -> Result<(), Error> {
    let computed = sha256_fingerprint(certificate_pem.as_bytes())?;
    let normal: String = reported.chars().filter(|c| *c != ':').collect::<String>().to_ascii_lowercase();
    if normal == computed {
        Ok(())
    } else {
        Err(Error::invalid(
            "certificateFingerprint",
            format!("MATTR reports the fingerprint {reported}, but the certificate's SHA-256 is {computed}: the certificate or its record was altered"),
        ))
    }
}

/// An error as form-field errors: MATTR's `details` by their `param` (a detail without one goes
/// on `""`, the form as a whole, as does the error's own message when there are no details), a
/// local [`Error::Invalid`] on its field, anything else on `""`.
pub fn api_field_errors(err: &Error) -> Vec<FieldError> {
    match err {
        Error::Invalid { field, message } => vec![finding(field, message.clone())],
        _ => {
            let body = err.api().map(|a| &a.body);
            let mut out: Vec<FieldError> = body
                .map(ErrorBody::field_errors)
                .unwrap_or_default()
                .into_iter()
                .map(|(param, msg)| finding(param.as_deref().unwrap_or(""), msg))
                .collect();
            if out.is_empty() {
                out.push(finding("", err.to_string()));
            }
            out
        }
    }
}

/// The names in a certificate's Issuer Alternative Name extensions, in order.
pub(crate) fn issuer_alternative_names<'a>(tbs: &'a x509_parser::certificate::TbsCertificate<'_>) -> Vec<&'a GeneralName<'a>> {
    tbs.extensions()
        .iter()
        .filter_map(|e| match e.parsed_extension() {
            ParsedExtension::IssuerAlternativeName(ian) => Some(ian.general_names.iter()),
            _ => None,
        })
        .flatten()
        .collect()
}
