//! What Segura documents, checked before sending. Every finding names the form field (Segura's
//! own key, `san[1]` for one SAN) and says what to change.
//!
//! - `certificate_type` 1–3; `organization`, `common_name`, `validity` required;
//! - `domain_type` `SING` (one name, no wildcard), `MULT` (several names, no wildcard) or
//!   `WILD` (a `*.` common name; every SAN a wildcard or a name under it); the common name is
//!   one of the SANs; `san` defaults to the common name;
//! - `encryption` `RSA` or `DSA`; `encryption_key_size` 4096, 2048 or 1024;
//!   `certificate_algorithm` `SHA256`, `SHA384` or `SHA512`, DSA only with `SHA256`;
//! - `justification` at most 1024 characters, `description` at most 512;
//! - `external_ip` an IP address, `hostname_ip` an IP address or a host name;
//! - sign: `self_signed` 0 or 1, `ca` when not self-signed, `reason` required, `itsm_code`
//!   when governance demands it.
//!
//! [`api_field_errors`] puts Segura's `{status, message, error}` answers on form fields.

use super::models::{CertificateRequest, SignRequest};
use crate::pki::FieldError;
use crate::vendors::error::{Error, ErrorBody};

/// Largest `justification`, characters.
pub const MAX_JUSTIFICATION: usize = 1024;
/// Largest `description`, characters.
pub const MAX_DESCRIPTION: usize = 512;
/// The documented key sizes.
pub const KEY_SIZES: [u32; 3] = [4096, 2048, 1024];
/// The documented signature algorithms.
pub const ALGORITHMS: [&str; 3] = ["SHA256", "SHA384", "SHA512"];
/// The documented domain types.
pub const DOMAIN_TYPES: [&str; 3] = ["SING", "MULT", "WILD"];
/// The documented encryptions.
pub const ENCRYPTIONS: [&str; 2] = ["RSA", "DSA"];

fn err(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// A DNS name as Segura would take it: labels of letters, digits and `-`, a leading `*.` only
/// where `wildcard` allows. Returns what is wrong.
fn check_name(name: &str, wildcard: bool) -> Option<String> {
    let n = name.trim();
    if n.is_empty() {
        return Some("is empty: enter a host name such as api.example.com".into());
    }
    if n != name {
        return Some("has spaces around it: remove them".into());
    }
    if n.len() > 253 {
        return Some(format!("is {} characters; a host name has at most 253", n.len()));
    }
    let body = match n.strip_prefix("*.") {
        Some(rest) if wildcard => rest,
        Some(_) => return Some(format!("`{n}` is a wildcard; use domain_type WILD or a plain host name")),
        None => n,
    };
    if body.contains('*') {
        return Some(format!("`{n}`: a `*` is allowed only as the whole first label (`*.example.com`)"));
    }
    for label in body.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Some(format!("`{n}` is not a host name: each label is 1–63 letters, digits or inner `-`"));
        }
    }
    None
}

/// Whether `name` is covered by the wildcard `*.base` (one label in place of `*`), or is `base`
/// itself or the wildcard.
fn under_wildcard(name: &str, base: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let base = base.to_ascii_lowercase();
    if name == base || name == format!("*.{base}") {
        return true;
    }
    name.strip_suffix(&format!(".{base}")).is_some_and(|head| !head.is_empty() && !head.contains('.') && head != "*")
}

/// Every problem with a create / modify request, each on its field. Empty: send it.
pub fn check_request(r: &CertificateRequest) -> Vec<FieldError> {
    let mut out = Vec::new();
    if r.code_request == Some(0) {
        out.push(err("code_request", "must be a request code (1 or more)"));
    }
    if !(1..=3).contains(&r.certificate_type) {
        out.push(err("certificate_type", format!("must be 1 (DV SSL), 2 (OV SSL) or 3 (EV SSL), not {}", r.certificate_type)));
    }
    if r.organization == 0 {
        out.push(err("organization", "required: the code of an organization registered in Segura"));
    }
    if r.validity == 0 {
        out.push(err("validity", "required: the validity in days (1 or more)"));
    }
    let domain = r.domain_type.as_str();
    if !DOMAIN_TYPES.contains(&domain) {
        out.push(err("domain_type", format!("must be SING, MULT or WILD, not `{}`", r.domain_type)));
    }
    let wild = domain == "WILD";
    if r.common_name.is_empty() {
        out.push(err("common_name", "required: the certificate's host name"));
    } else if let Some(m) = check_name(&r.common_name, wild) {
        out.push(err("common_name", m));
    } else if wild && !r.common_name.starts_with("*.") {
        out.push(err("common_name", format!("domain_type WILD needs a wildcard common name such as `*.{}`", r.common_name)));
    }
    let san = r.effective_san();
    let mut names_ok = true;
    for (i, name) in r.san.iter().enumerate() {
        if let Some(m) = check_name(name, wild) {
            out.push(err(format!("san[{i}]"), m));
            names_ok = false;
        } else if r.san[..i].iter().any(|o| o.eq_ignore_ascii_case(name)) {
            out.push(err(format!("san[{i}]"), format!("`{name}` is listed twice")));
            names_ok = false;
        }
    }
    if names_ok && !r.common_name.is_empty() {
        match domain {
            "SING" if san.len() != 1 => {
                out.push(err("san", format!("domain_type SING takes one name, here {}: keep only the common name or use MULT", san.len())))
            }
            "MULT" if san.len() < 2 => out.push(err("san", "domain_type MULT takes several names: add SANs or use SING")),
            "WILD" => {
                if let Some(base) = r.common_name.strip_prefix("*.") {
                    for (i, name) in r.san.iter().enumerate() {
                        if !under_wildcard(name, base) {
                            out.push(err(format!("san[{i}]"), format!("`{name}` is not covered by `{}`", r.common_name)));
                        }
                    }
                }
            }
            _ => {}
        }
        if !r.san.is_empty() && !r.san.iter().any(|s| s.eq_ignore_ascii_case(&r.common_name)) {
            out.push(err("san", format!("must include the common name `{}`", r.common_name)));
        }
    }
    let enc = r.encryption.as_str();
    if !ENCRYPTIONS.contains(&enc) {
        out.push(err("encryption", format!("must be RSA or DSA, not `{}`", r.encryption)));
    }
    if !KEY_SIZES.contains(&r.encryption_key_size) {
        out.push(err("encryption_key_size", format!("must be 4096, 2048 or 1024, not {}", r.encryption_key_size)));
    }
    if !ALGORITHMS.contains(&r.certificate_algorithm.as_str()) {
        out.push(err("certificate_algorithm", format!("must be SHA256, SHA384 or SHA512, not `{}`", r.certificate_algorithm)));
    } else if enc == "DSA" && r.certificate_algorithm != "SHA256" {
        out.push(err(
            "certificate_algorithm",
            format!("DSA is allowed only with SHA256: choose SHA256 or RSA (not {})", r.certificate_algorithm),
        ));
    }
    check_len(&mut out, "justification", r.justification.as_deref(), MAX_JUSTIFICATION);
    check_len(&mut out, "description", r.description.as_deref(), MAX_DESCRIPTION);
    if let Some(ip) = r.external_ip.as_deref().filter(|v| !v.is_empty()) {
        if ip.parse::<std::net::IpAddr>().is_err() {
            out.push(err("external_ip", format!("`{ip}` is not an IP address (e.g. 203.0.113.10 or 2001:db8::1)")));
        }
    }
    if let Some(h) = r.hostname_ip.as_deref().filter(|v| !v.is_empty()) {
        if h.parse::<std::net::IpAddr>().is_err() {
            if let Some(m) = check_name(h, false) {
                out.push(err("hostname_ip", format!("not an IP address, and {m}")));
            }
        }
    }
    if r.responsible == Some(0) {
        out.push(err("responsible", "must be a user code (1 or more) or left empty"));
    }
    for (field, list) in [("tags", &r.tags), ("environments", &r.environments), ("systems", &r.systems)] {
        for (i, v) in list.iter().enumerate() {
            if v.trim().is_empty() {
                out.push(err(format!("{field}[{i}]"), "is empty: fill it in or remove it"));
            }
        }
    }
    out
}

fn check_len(out: &mut Vec<FieldError>, field: &str, value: Option<&str>, max: usize) {
    if let Some(v) = value {
        let n = v.chars().count();
        if n > max {
            out.push(err(field, format!("is {n} characters; at most {max}: shorten it by {}", n - max)));
        }
    }
}

/// Every problem with a sign request, each on its field. `governance`: the access group
/// demands an ITSM code.
pub fn check_sign(s: &SignRequest, governance: bool) -> Vec<FieldError> {
    let mut out = Vec::new();
    match s.self_signed {
        0 if s.ca.is_none_or(|c| c == 0) => out.push(err("ca", "required when self_signed is 0: the code of the CA that signs")),
        0 | 1 => {}
        n => out.push(err("self_signed", format!("must be 1 (self-signed) or 0 (signed by a CA), not {n}"))),
    }
    if s.reason == 0 {
        out.push(err("reason", "required: a reason code registered in Segura"));
    }
    check_len(&mut out, "justification", s.justification.as_deref(), MAX_JUSTIFICATION);
    if governance && s.itsm_code.as_deref().is_none_or(|c| c.trim().is_empty()) {
        out.push(err("itsm_code", "required: this access group demands a governance (ITSM) code"));
    }
    out
}

/// What the user is told about key custody before sending: Segura makes the key (no CSR is
/// taken, so no browser key is involved), and warnings for 1024-bit keys and DSA.
pub fn custody_warnings(r: &CertificateRequest) -> Vec<FieldError> {
    let mut out = vec![err(
        "encryption",
        "Segura generates this private key on its side; the documented API takes no CSR, so no key made in this browser is used or sent",
    )];
    if r.encryption_key_size == 1024 {
        out.push(err("encryption_key_size", "1024-bit keys are weak and refused by public CAs: prefer 2048 or 4096"));
    }
    if r.encryption == "DSA" {
        out.push(err("encryption", "DSA is obsolete and poorly supported by browsers and CAs: prefer RSA"));
    }
    out
}

/// The first finding as [`Error::Invalid`], with a count of the others.
pub fn first_invalid(findings: Vec<FieldError>) -> Result<(), Error> {
    match findings.as_slice() {
        [] => Ok(()),
        [one] => Err(Error::invalid(&one.field, one.message.clone())),
        [first, rest @ ..] => Err(Error::invalid(&first.field, format!("{} (and {} more problem(s))", first.message, rest.len()))),
    }
}

/// Fields Segura's messages may name, longest first (so `encryption_key_size` wins over
/// `encryption`).
const FIELDS: [&str; 27] = [
    "encryption_key_size",
    "certificate_algorithm",
    "algorithm_certified",
    "certificate_type",
    "type_certificate",
    "senha_revogacao",
    "justification",
    "environments",
    "code_request",
    "organization",
    "key_password",
    "external_ip",
    "hostname_ip",
    "common_name",
    "domain_type",
    "type_domain",
    "self_signed",
    "description",
    "responsible",
    "encryption",
    "itsm_code",
    "validity",
    "systems",
    "project",
    "reason",
    "tags",
    "san",
];

/// The form field a list or wire key stands for (`type_certificate` -> `certificate_type`).
fn form_name(key: &str) -> &str {
    match key {
        "type_certificate" => "certificate_type",
        "type_domain" => "domain_type",
        "algorithm_certified" => "certificate_algorithm",
        k => k,
    }
}

/// Segura's error answer on form fields: the field its message names (`"Invalid parameter:
/// encryption_key_size"`), else one entry on `""` (the whole form) with the message. English
/// and Portuguese keys are both read (see [`ErrorBody::parse`]). Other errors: one entry on `""`.
pub fn api_field_errors(e: &Error) -> Vec<FieldError> {
    if let Error::Invalid { field, message } = e {
        return vec![err(field.clone(), message.clone())];
    }
    let Some(api) = e.api() else {
        return vec![err("", e.to_string())];
    };
    let message = match &api.body {
        ErrorBody::Segura(s) => {
            let mut m = s.message.clone().unwrap_or_default();
            if let Some(d) = s.detail.as_deref().filter(|d| !d.is_empty()) {
                if m.is_empty() {
                    m = d.to_owned();
                } else {
                    m = format!("{m}: {d}");
                }
            }
            if m.is_empty() {
                format!("Segura refused the request (HTTP {})", api.status)
            } else {
                m
            }
        }
        other => other.message().map(str::to_owned).unwrap_or_else(|| format!("Segura refused the request (HTTP {})", api.status)),
    };
    let lower = message.to_ascii_lowercase();
    let named: Vec<&str> = FIELDS
        .iter()
        .copied()
        .filter(|f| {
            lower.match_indices(f).any(|(i, _)| {
                let before = lower[..i].chars().next_back();
                let after = lower[i + f.len()..].chars().next();
                let edge = |c: Option<char>| !c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
                edge(before) && edge(after)
            })
        })
        .collect();
    if named.is_empty() {
        return vec![err("", message)];
    }
    let mut out: Vec<FieldError> = Vec::new();
    for f in named {
        let f = form_name(f);
        if !out.iter().any(|e| e.field == f) {
            out.push(err(f, message.clone()));
        }
    }
    out
}
