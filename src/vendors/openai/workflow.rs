//! Local rules around OpenAI's certificate calls, as plain types (tested natively, used by the
//! client, the JS module and the UI):
//! - [`batches`]: a selection of ids split into calls of at most [`MAX_IDS_PER_CALL`] (OpenAI's
//!   limit for activate / deactivate), duplicates dropped, order kept;
//! - [`ActivationState`] and [`ActivationState::check_delete`]: delete is refused locally while
//!   a certificate is active at the organization or in any known project, and the refusal says
//!   where ([`DeleteRefused`]);
//! - [`CertificateFacts::of`]: SHA-256 / SHA-1 fingerprints and validity computed locally from
//!   `certificate_details.content` (OpenAI returns no fingerprint), with the project's parser.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::models::{Certificate, CertificateList};
use crate::pki;

/// Most ids one activate / deactivate call takes (`ToggleCertificatesRequest.maxItems`).
pub const MAX_IDS_PER_CALL: usize = 10;

/// Splits `ids` into batches of at most [`MAX_IDS_PER_CALL`], dropping repeated ids (the first
/// stays) and empty ones, in selection order. Eleven ids give two batches (10 + 1).
pub fn batches<S: AsRef<str>>(ids: &[S]) -> Vec<Vec<String>> {
    let mut seen = BTreeSet::new();
    let unique: Vec<String> =
        ids.iter().map(|s| s.as_ref().trim()).filter(|s| !s.is_empty() && seen.insert(s.to_string())).map(str::to_owned).collect();
    unique.chunks(MAX_IDS_PER_CALL).map(<[String]>::to_vec).collect()
}

/// Where certificates are active, as far as this client knows: the organization listing's
/// `active` flags and those of every project listing loaded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivationState {
    /// Ids active at the organization.
    pub organization: BTreeSet<String>,
    /// Per known project id, the ids active there.
    pub projects: BTreeMap<String, BTreeSet<String>>,
}

/// Why a delete was refused before sending: where the certificate is still active.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{}", self.message())]
pub struct DeleteRefused {
    /// The certificate.
    pub id: String,
    /// Active at the organization.
    pub organization: bool,
    /// Projects it is active in.
    pub projects: Vec<String>,
}

impl DeleteRefused {
    /// "cert_x is still active at the organization and in project proj_a: deactivate it there
    /// first (OpenAI deletes only certificates inactive everywhere)."
    pub fn message(&self) -> String {
        let mut places = Vec::new();
        if self.organization {
            places.push("at the organization".to_string());
        }
        match self.projects.len() {
            0 => {}
            1 => places.push(format!("in project {}", self.projects[0])),
            _ => places.push(format!("in projects {}", self.projects.join(", "))),
        }
        format!(
            "{} is still active {}: deactivate it there first (OpenAI deletes a certificate only when it is inactive for the organization and every project)",
            self.id,
            places.join(" and ")
        )
    }
}

impl ActivationState {
    /// Records the `active` flags of an organization listing (all pages).
    pub fn record_organization<'a>(&mut self, certs: impl IntoIterator<Item = &'a Certificate>) {
        for c in certs {
            set(&mut self.organization, &c.id, c.active == Some(true));
        }
    }

    /// Records the `active` flags of project `project_id`'s listing (all pages).
    pub fn record_project<'a>(&mut self, project_id: &str, certs: impl IntoIterator<Item = &'a Certificate>) {
        let set_ = self.projects.entry(project_id.to_owned()).or_default();
        for c in certs {
            set(set_, &c.id, c.active == Some(true));
        }
    }

    /// Records a page as [`ActivationState::record_organization`] /
    /// [`ActivationState::record_project`] do.
    pub fn record_page(&mut self, project_id: Option<&str>, page: &CertificateList) {
        match project_id {
            None => self.record_organization(&page.data),
            Some(p) => self.record_project(p, &page.data),
        }
    }

    /// Records the answer of an activation call at organization scope (`None`) or in a project:
    /// every returned certificate with its `active` flag.
    pub fn record_activation(&mut self, project_id: Option<&str>, certs: &[Certificate]) {
        match project_id {
            None => self.record_organization(certs),
            Some(p) => self.record_project(p, certs),
        }
    }

    /// Forgets a deleted certificate.
    pub fn forget(&mut self, id: &str) {
        self.organization.remove(id);
        for s in self.projects.values_mut() {
            s.remove(id);
        }
    }

    /// Whether `id` is active at the organization (`None`) or in project `Some(p)`. A
    /// certificate active at the organization counts as active in every project (inherited).
    pub fn is_active(&self, id: &str, project_id: Option<&str>) -> bool {
        self.organization.contains(id) || project_id.is_some_and(|p| self.projects.get(p).is_some_and(|s| s.contains(id)))
    }

    /// `Ok` if deleting `id` is allowed as far as known: it is inactive at the organization and
    /// in every known project.
    ///
    /// # Errors
    /// [`DeleteRefused`] naming where it is active.
    pub fn check_delete(&self, id: &str) -> Result<(), DeleteRefused> {
        let organization = self.organization.contains(id);
        let projects: Vec<String> = self.projects.iter().filter(|(_, s)| s.contains(id)).map(|(p, _)| p.clone()).collect();
        if organization || !projects.is_empty() {
            Err(DeleteRefused { id: id.to_owned(), organization, projects })
        } else {
            Ok(())
        }
    }
}

/// PEM as OpenAI may return it in `content` — armour and base64 on one line, or base64 broken
/// by spaces (`-----BEGIN CERTIFICATE-----MIID...-----END CERTIFICATE-----`) — rewritten with
/// the armour on lines of its own and the base64 without whitespace. Text that is not such PEM
/// comes back unchanged.
pub fn normalize_pem(text: &str) -> String {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(b) = rest.find(BEGIN) {
        let after = &rest[b + BEGIN.len()..];
        let Some(e) = after.find(END) else { break };
        out.push_str(&rest[..b]);
        out.push_str(BEGIN);
        out.push('\n');
        let body: String = after[..e].chars().filter(|c| !c.is_whitespace()).collect();
        for chunk in body.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            out.push('\n');
        }
        out.push_str(END);
        out.push('\n');
        rest = &after[e + END.len()..];
    }
    out.push_str(rest);
    out
}

fn set(s: &mut BTreeSet<String>, id: &str, active: bool) {
    if active {
        s.insert(id.to_owned());
    } else {
        s.remove(id);
    }
}

/// What is computed locally about an uploaded certificate, from its `content`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateFacts {
    /// `cert_...`.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Active at the listed scope, if the listing said.
    pub active: Option<bool>,
    /// SHA-256 of the DER, lowercase hex (`None` when the content was missing or unreadable).
    pub sha256_fingerprint: Option<String>,
    /// SHA-1 of the DER, lowercase hex.
    pub sha1_fingerprint: Option<String>,
    /// Subject (RFC 4514).
    pub subject_dn: Option<String>,
    /// notBefore from the certificate itself, Unix seconds.
    pub valid_from_unix: Option<i64>,
    /// notAfter from the certificate itself, Unix seconds (else OpenAI's `expires_at`).
    pub expires_unix: Option<i64>,
    /// notAfter, ISO 8601 UTC.
    pub expires: Option<String>,
    /// Whether the certificate is a CA.
    pub is_ca: Option<bool>,
    /// Whole days until expiry at the time given (negative once expired).
    pub days_left: Option<i64>,
    /// What could not be worked out, or where the content and OpenAI's fields disagree.
    pub problems: Vec<String>,
}

impl CertificateFacts {
    /// Fingerprints and validity of `cert` from its `certificate_details.content`, at `now`
    /// (Unix seconds). A missing or unreadable content is reported in `problems`, never a panic;
    /// the dates then come from OpenAI's `valid_at` / `expires_at`.
    pub fn of(cert: &Certificate, now: i64) -> CertificateFacts {
        let d = &cert.certificate_details;
        let mut facts = CertificateFacts {
            id: cert.id.clone(),
            name: cert.name.clone(),
            active: cert.active,
            sha256_fingerprint: None,
            sha1_fingerprint: None,
            subject_dn: None,
            valid_from_unix: d.valid_at,
            expires_unix: d.expires_at,
            expires: d.expires_at.map(pki::iso8601_unix),
            is_ca: None,
            days_left: None,
            problems: Vec::new(),
        };
        match d.content.as_deref() {
            None | Some("") => {
                facts.problems.push("no content: fetch the certificate with include[]=content to compute its fingerprints".into())
            }
            Some(pem) => {
                let bundle = pki::parse_bundle(normalize_pem(pem).as_bytes(), &cert.id);
                match bundle.certificates.as_slice() {
                    [] => facts.problems.push(match bundle.problems.first() {
                        Some(p) => {
                            format!("the content is not a readable certificate: {}", p.message.chars().take(200).collect::<String>())
                        }
                        None => "the content holds no certificate".into(),
                    }),
                    [c, rest @ ..] => {
                        if !rest.is_empty() {
                            facts.problems.push(format!("the content holds {} certificates; the first one is described", rest.len() + 1));
                        }
                        if d.expires_at.is_some_and(|e| e != c.expires_unix) {
                            facts.problems.push(format!(
                                "OpenAI's expires_at ({}) differs from the certificate's notAfter ({})",
                                d.expires_at.unwrap_or_default(),
                                c.expires_unix
                            ));
                        }
                        facts.sha256_fingerprint = Some(c.sha256_fingerprint.clone());
                        facts.sha1_fingerprint = Some(c.sha1_fingerprint.clone());
                        facts.subject_dn = Some(c.subject_dn.clone());
                        facts.valid_from_unix = Some(c.valid_from_unix);
                        facts.expires_unix = Some(c.expires_unix);
                        facts.expires = Some(c.expires.clone());
                        facts.is_ca = Some(c.is_ca);
                    }
                }
            }
        }
        facts.days_left = facts.expires_unix.map(|e| (e - now).div_euclid(86_400));
        facts
    }
}

impl fmt::Display for CertificateFacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} sha256={} expires={}",
            self.id,
            self.sha256_fingerprint.as_deref().unwrap_or("?"),
            self.expires.as_deref().unwrap_or("?")
        )
    }
}
