//! A model of PingFederate's signing key pair endpoints (`docs/vendors/pingfederate.md`), with
//! its rules and `ApiResult` error shapes.
//!
//! [`Service::handle`] takes one request (method, origin-form target, body, the time) and returns
//! the response PingFederate would send. Authentication and the `X-XSRF-Header` are the caller's
//! business (the vendor emulator checks them); this is plain state, shared by tests, the emulator
//! and an offline workspace.
//!
//! Key pairs are real: `generate` makes a key with the project's key generator and a self-signed
//! certificate with its builders; `GET /{id}/csr` is a real PKCS#10 request signed by that key;
//! `POST /{id}/csr` accepts a certificate (or PKCS#7 chain) only when it holds the key pair's
//! public key. Fingerprints are uppercase hex without separators.
//!
//! Export and import work in both formats: PEM (the key as encrypted PKCS#8) and PKCS#12 (the
//! project's [`crate::pki::export_pkcs12`] / [`crate::pki::import_pkcs12`], modern profile).
//! Limits of the model (said, not hidden): `cryptoProvider` is ignored, and the catalogue offers
//! only what the project's builders sign (SHA-2); a SHA-1 key pair can only be put in with
//! [`Service::insert_key_pair`] (the emulator seeds one for the rotation rule).

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine;
use rand_core::{OsRng, RngCore};
use serde::de::DeserializeOwned;
use serde_json::json;

use super::client::BASE_PATH;
use super::models::{
    CertificateValidity, CsrResponse, KeyAlgorithm, KeyAlgorithms, KeyPairExportSettings, KeyPairFile, KeyPairFileFormat,
    KeyPairRotationSettings, KeyPairView, KeyPairViews, NewKeyPairSettings,
};
use super::rules::{self, FieldError};
use crate::pki::{
    self, issue_certificate, CertParams, CertSubject, CsrParams, HashAlgorithm, Kdf, PrivateKey, SubjectFields, ValidityState,
};
use crate::vendors::transport::HttpResponse;

struct Entry {
    key: PrivateKey,
    subject: SubjectFields,
    sans: Vec<String>,
    certificate: Vec<u8>,
    rotation: Option<KeyPairRotationSettings>,
}

/// The state of one PingFederate server's signing key pairs.
pub struct Service {
    /// What `GET /keyPairs/keyAlgorithms` answers (and what generate accepts).
    pub catalogue: KeyAlgorithms,
    pairs: BTreeMap<String, Entry>,
    next_id: u64,
}

impl fmt::Debug for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Service").field("key_pairs", &self.pairs.keys().collect::<Vec<_>>()).finish_non_exhaustive()
    }
}

impl Default for Service {
    fn default() -> Service {
        Service::new()
    }
}

/// The catalogue the model offers: RSA 2048/3072/4096 and EC 256/384, with the SHA-2
/// signature algorithms the project's builders make.
pub fn default_catalogue() -> KeyAlgorithms {
    KeyAlgorithms {
        items: vec![
            KeyAlgorithm {
                name: Some("RSA".into()),
                key_sizes: vec![2048, 3072, 4096],
                default_key_size: Some(2048),
                signature_algorithms: vec!["SHA256withRSA".into(), "SHA384withRSA".into(), "SHA512withRSA".into()],
                default_signature_algorithm: Some("SHA256withRSA".into()),
            },
            KeyAlgorithm {
                name: Some("EC".into()),
                key_sizes: vec![256, 384],
                default_key_size: Some(256),
                signature_algorithms: vec!["SHA256withECDSA".into(), "SHA384withECDSA".into(), "SHA512withECDSA".into()],
                default_signature_algorithm: Some("SHA256withECDSA".into()),
            },
        ],
    }
}

/// PingFederate's name for an openssl signature algorithm name (`sha256WithRSAEncryption` →
/// `SHA256withRSA`, `ecdsa-with-SHA384` → `SHA384withECDSA`).
pub fn pf_signature_algorithm(openssl: &str) -> String {
    let l = openssl.to_ascii_lowercase();
    let hash = ["sha512", "sha384", "sha256", "sha1"].into_iter().find(|h| l.contains(h));
    match hash {
        Some(h) if l.contains("rsa") => format!("{}withRSA", h.to_ascii_uppercase()),
        Some(h) if l.contains("ecdsa") => format!("{}withECDSA", h.to_ascii_uppercase()),
        _ => openssl.to_owned(),
    }
}

fn hash_of(signature_algorithm: &str) -> HashAlgorithm {
    let s = signature_algorithm.to_ascii_uppercase();
    if s.contains("SHA512") {
        HashAlgorithm::Sha512
    } else if s.contains("SHA384") {
        HashAlgorithm::Sha384
    } else {
        HashAlgorithm::Sha256
    }
}

fn json_response(status: u16, body: &serde_json::Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: serde_json::to_vec(body).unwrap_or_default(),
    }
}

fn text_response(content_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse { status: 200, headers: vec![("Content-Type".into(), content_type.into())], body }
}

fn ok<T: serde::Serialize>(status: u16, value: &T) -> HttpResponse {
    json_response(status, &serde_json::to_value(value).unwrap_or_default())
}

/// A 404 `ApiResult`.
pub fn not_found() -> HttpResponse {
    json_response(404, &json!({"resultId": "resource_not_found", "message": "Resource not found."}))
}

/// A 400 `ApiResult` (malformed body).
pub fn bad_request(message: &str) -> HttpResponse {
    json_response(400, &json!({"resultId": "invalid_request", "message": message}))
}

/// A 422 `ApiResult` with one `validationErrors` item per finding.
pub fn validation_errors(error_id: &str, findings: &[FieldError]) -> HttpResponse {
    let items: Vec<_> = findings.iter().map(|f| json!({"errorId": error_id, "message": f.message, "fieldPath": f.field})).collect();
    json_response(
        422,
        &json!({
            "resultId": "validation_error",
            "message": "Validation error(s) occurred. Please review the error(s) and address accordingly.",
            "validationErrors": items,
        }),
    )
}

fn field(f: &str, m: impl Into<String>) -> Vec<FieldError> {
    vec![FieldError { field: f.into(), message: m.into() }]
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, HttpResponse> {
    serde_json::from_slice(body).map_err(|e| bad_request(&format!("The request body could not be read: {e}")))
}

fn random20() -> [u8; 20] {
    let mut r = [0u8; 20];
    OsRng.fill_bytes(&mut r);
    r
}

/// `fileData`: raw PEM, or base64 of the file.
fn file_bytes(file_data: &str) -> Vec<u8> {
    if pki::pem::looks_like_pem(file_data.as_bytes()) {
        return file_data.as_bytes().to_vec();
    }
    let compact: String = file_data.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact).unwrap_or_else(|_| file_data.as_bytes().to_vec())
}

impl Service {
    /// No key pairs, the [`default_catalogue`].
    pub fn new() -> Service {
        Service { catalogue: default_catalogue(), pairs: BTreeMap::new(), next_id: 1 }
    }

    /// The ids of the key pairs, sorted.
    pub fn ids(&self) -> Vec<String> {
        self.pairs.keys().cloned().collect()
    }

    /// The certificate (DER) of key pair `id`.
    pub fn certificate_der(&self, id: &str) -> Option<&[u8]> {
        self.pairs.get(id).map(|e| e.certificate.as_slice())
    }

    /// The `KeyPairView` of key pair `id` at `now`.
    pub fn view(&self, id: &str, now: i64) -> Option<KeyPairView> {
        let e = self.pairs.get(id)?;
        let bundle = pki::parse_bundle(&e.certificate, id);
        let c = bundle.certificates.first()?;
        let status = match c.validity_at(now) {
            ValidityState::Expired { .. } => CertificateValidity::Expired,
            ValidityState::NotYetValid { .. } => CertificateValidity::NotYetValid,
            _ => CertificateValidity::Valid,
        };
        Some(KeyPairView {
            id: Some(id.to_owned()),
            serial_number: Some(c.serial_number.to_ascii_uppercase()),
            subject_dn: Some(c.subject_dn.clone()),
            subject_alternative_names: Some(
                c.subject_alternative_names.iter().map(|s| s.split_once(':').map_or(s.as_str(), |(_, v)| v).to_owned()).collect(),
            ),
            issuer_dn: Some(c.issuer_dn.clone()),
            valid_from: Some(c.valid_from.clone()),
            expires: Some(c.expires.clone()),
            key_algorithm: Some(c.key_algorithm.clone()),
            key_size: Some(i64::from(c.key_size)),
            signature_algorithm: Some(pf_signature_algorithm(&c.signature_algorithm)),
            version: i64::try_from(c.version).ok(),
            sha1_fingerprint: Some(c.sha1_fingerprint.to_ascii_uppercase()),
            sha256_fingerprint: Some(c.sha256_fingerprint.to_ascii_uppercase()),
            status: Some(status),
            crypto_provider: None,
            rotation_settings: e.rotation.clone(),
        })
    }

    /// Answers one request. `target` is the origin-form path (with or without
    /// `/pf-admin-api/v1`, a query is ignored).
    pub fn handle(&mut self, method: &str, target: &str, body: &[u8], now: i64) -> HttpResponse {
        let path = target.split('?').next().unwrap_or_default();
        let path = path.strip_prefix(BASE_PATH).unwrap_or(path);
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (method, parts.as_slice()) {
            ("GET", ["keyPairs", "keyAlgorithms"]) => ok(200, &self.catalogue),
            ("GET", ["keyPairs", "signing"]) => {
                let items = self.pairs.keys().filter_map(|id| self.view(id, now)).collect();
                ok(200, &KeyPairViews { items })
            }
            ("POST", ["keyPairs", "signing", "generate"]) => self.generate(body, now),
            ("POST", ["keyPairs", "signing", "import"]) => self.import(body, now),
            (_, ["keyPairs", "signing", id, rest @ ..]) => {
                let id = (*id).to_owned();
                if !self.pairs.contains_key(&id) {
                    return not_found();
                }
                self.key_pair(method, &id, rest, body, now)
            }
            _ => not_found(),
        }
    }

    fn key_pair(&mut self, method: &str, id: &str, rest: &[&str], body: &[u8], now: i64) -> HttpResponse {
        match (method, rest) {
            ("GET", []) => self.view(id, now).map_or_else(not_found, |v| ok(200, &v)),
            ("DELETE", []) => {
                self.pairs.remove(id);
                HttpResponse { status: 204, headers: Vec::new(), body: Vec::new() }
            }
            ("GET", ["certificate"]) => {
                let der = &self.pairs[id].certificate;
                text_response("application/x-x509-ca-cert", pki::pem::encode("CERTIFICATE", der).into_bytes())
            }
            ("GET", ["csr"]) => {
                let e = &self.pairs[id];
                let params = CsrParams { subject: e.subject.clone(), sans: e.sans.clone(), ..Default::default() };
                match params.build(&e.key) {
                    Ok(der) => text_response("application/pkcs10", pki::pem::encode("CERTIFICATE REQUEST", &der).into_bytes()),
                    Err(f) => validation_errors("csr_error", &f),
                }
            }
            ("POST", ["csr"]) => self.import_csr_response(id, body, now),
            ("GET", ["rotationSettings"]) => match &self.pairs[id].rotation {
                Some(r) => ok(200, r),
                None => not_found(),
            },
            ("PUT", ["rotationSettings"]) => {
                let settings: KeyPairRotationSettings = match parse(body) {
                    Ok(s) => s,
                    Err(r) => return r,
                };
                let view = self.view(id, now).unwrap_or_default();
                let findings = rules::check_rotation_settings(
                    &settings,
                    view.key_algorithm.as_deref(),
                    view.signature_algorithm.as_deref(),
                    &self.catalogue,
                );
                if !findings.is_empty() {
                    return validation_errors("validation_error", &findings);
                }
                let stored = KeyPairRotationSettings { id: Some(id.to_owned()), ..settings };
                if let Some(e) = self.pairs.get_mut(id) {
                    e.rotation = Some(stored.clone());
                }
                ok(200, &stored)
            }
            ("DELETE", ["rotationSettings"]) => match self.pairs.get_mut(id).and_then(|e| e.rotation.take()) {
                Some(_) => HttpResponse { status: 204, headers: Vec::new(), body: Vec::new() },
                None => not_found(),
            },
            ("POST", ["pem"]) => {
                let settings: KeyPairExportSettings = match parse(body) {
                    Ok(s) => s,
                    Err(r) => return r,
                };
                if settings.password.expose().is_empty() {
                    return validation_errors("validation_error", &field("password", "A password is required."));
                }
                let e = &self.pairs[id];
                let kdf = Kdf::Pbkdf2Sha256 { iterations: 10_000 };
                match e.key.to_encrypted_pkcs8_pem(settings.password.expose(), kdf, &mut OsRng) {
                    Ok(key) => {
                        let mut text = pki::pem::encode("CERTIFICATE", &e.certificate);
                        text.push_str(&key);
                        text_response("application/x-pem-file", text.into_bytes())
                    }
                    Err(err) => validation_errors("export_error", &field("password", err.to_string())),
                }
            }
            ("POST", ["pkcs12"]) => {
                let settings: KeyPairExportSettings = match parse(body) {
                    Ok(s) => s,
                    Err(r) => return r,
                };
                if settings.password.expose().is_empty() {
                    return validation_errors("validation_error", &field("password", "A password is required."));
                }
                let e = &self.pairs[id];
                let options = pki::Pkcs12Options { friendly_name: Some(id.to_owned()), ..Default::default() };
                match pki::export_pkcs12(&e.key, &e.certificate, &[], settings.password.expose(), &options, &mut OsRng) {
                    Ok(p12) => text_response("application/x-pkcs12", p12),
                    Err(err) => validation_errors("export_error", &field("password", err.to_string())),
                }
            }
            _ => not_found(),
        }
    }

    fn generate(&mut self, body: &[u8], now: i64) -> HttpResponse {
        let s: NewKeyPairSettings = match parse(body) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let mut findings = rules::check_new_key_pair(&s, &self.catalogue);
        if let Some(id) = &s.id {
            if self.pairs.contains_key(id) {
                findings.push(FieldError { field: "id".into(), message: format!("A key pair with ID '{id}' already exists.") });
            }
        }
        if !findings.is_empty() {
            return validation_errors("validation_error", &findings);
        }
        let alg = rules::find_algorithm(&self.catalogue, &s.key_algorithm).cloned().unwrap_or_default();
        let size = s.key_size.or(alg.default_key_size).unwrap_or(0);
        let sig = s.signature_algorithm.clone().or(alg.default_signature_algorithm).unwrap_or_default();
        let pki_alg = match (s.key_algorithm.as_str(), size) {
            ("RSA", 2048) => pki::KeyAlgorithm::Rsa2048,
            ("RSA", 3072) => pki::KeyAlgorithm::Rsa3072,
            ("RSA", 4096) => pki::KeyAlgorithm::Rsa4096,
            ("EC", 256) => pki::KeyAlgorithm::P256,
            ("EC", 384) => pki::KeyAlgorithm::P384,
            _ => {
                return validation_errors("validation_error", &field("keySize", format!("{size} is not supported for {}", s.key_algorithm)))
            }
        };
        let key = match PrivateKey::generate(pki_alg, &mut OsRng) {
            Ok(k) => k,
            Err(e) => return validation_errors("validation_error", &field("keyAlgorithm", e.to_string())),
        };
        let subject = SubjectFields {
            common_name: s.common_name.clone(),
            organization: s.organization.clone(),
            organizational_unit: s.organization_unit.clone().unwrap_or_default(),
            locality: s.city.clone().unwrap_or_default(),
            state: s.state.clone().unwrap_or_default(),
            country: s.country.clone(),
        };
        let sans = s.subject_alternative_names.clone().unwrap_or_default();
        let params = CertParams {
            subject: subject.clone(),
            sans: sans.clone(),
            key_usage: vec!["digitalSignature".into()],
            not_before: now,
            not_after: now + s.valid_days * 86_400,
            hash: hash_of(&sig),
            ..Default::default()
        };
        let certificate = match issue_certificate(&params, CertSubject::Key(&key), None, random20()) {
            Ok(c) => c,
            Err(f) => return validation_errors("validation_error", &f),
        };
        let id = s.id.clone().unwrap_or_else(|| self.fresh_id());
        self.pairs.insert(id.clone(), Entry { key, subject, sans, certificate, rotation: None });
        self.view(&id, now).map_or_else(not_found, |v| ok(201, &v))
    }

    fn fresh_id(&mut self) -> String {
        loop {
            let id = format!("signing{}", self.next_id);
            self.next_id += 1;
            if !self.pairs.contains_key(&id) {
                return id;
            }
        }
    }

    fn import(&mut self, body: &[u8], now: i64) -> HttpResponse {
        let file: KeyPairFile = match parse(body) {
            Ok(f) => f,
            Err(r) => return r,
        };
        let mut findings = Vec::new();
        if let Some(id) = &file.id {
            findings.extend(rules::check_id("id", id));
            if self.pairs.contains_key(id) {
                findings.extend(field("id", format!("A key pair with ID '{id}' already exists.")));
            }
        }
        if file.password.expose().is_empty() {
            findings.extend(field("password", "A password is required."));
        }
        if !findings.is_empty() {
            return validation_errors("validation_error", &findings);
        }
        let bytes = file_bytes(&file.file_data);
        let is_pkcs12 = match file.format {
            Some(f) => f == KeyPairFileFormat::Pkcs12,
            None => !pki::pem::looks_like_pem(&bytes),
        };
        if is_pkcs12 {
            let contents = match pki::import_pkcs12(&bytes, file.password.expose()) {
                Ok(c) => c,
                Err(pki::Pkcs12Error::WrongPassword | pki::Pkcs12Error::DecryptFailed { .. }) => {
                    return validation_errors("validation_error", &field("password", "The file could not be decrypted with this password."))
                }
                Err(e) => return validation_errors("validation_error", &field("fileData", format!("Not a usable PKCS#12 file: {e}"))),
            };
            let (Some(key), Some(cert)) = (contents.key, contents.certificates.first()) else {
                return validation_errors("validation_error", &field("fileData", "The PKCS#12 file holds no key with its certificate."));
            };
            if !pki::certificate_matches_key(cert, &key) {
                return validation_errors("validation_error", &field("fileData", "No certificate in the file matches the private key."));
            }
            let cert = cert.clone();
            return self.insert_imported(file.id.clone(), key, cert, now);
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let key_block =
            pki::pem::split(&text).into_iter().find(|b| b.label.contains("PRIVATE KEY")).and_then(|b| b.der.ok().map(|der| (b.label, der)));
        let Some((label, der)) = key_block else {
            return validation_errors("validation_error", &field("fileData", "No private key was found in the file."));
        };
        let key = match PrivateKey::import(pki::pem::encode(&label, &der).as_bytes(), Some(file.password.expose())) {
            Ok(k) => k,
            Err(_) => {
                return validation_errors("validation_error", &field("password", "The file could not be decrypted with this password."))
            }
        };
        let public = key.public_key_der().unwrap_or_default();
        let bundle = pki::parse_bundle(text.as_bytes(), "import");
        let Some(cert) = bundle.certificates.iter().find(|c| super::workflow::certificate_public_key(&c.der).is_ok_and(|p| p == public))
        else {
            return validation_errors("validation_error", &field("fileData", "No certificate in the file matches the private key."));
        };
        let der = cert.der.clone();
        self.insert_imported(file.id.clone(), key, der, now)
    }

    fn insert_imported(&mut self, id: Option<String>, key: PrivateKey, certificate: Vec<u8>, now: i64) -> HttpResponse {
        let id = id.unwrap_or_else(|| self.fresh_id());
        match self.insert_key_pair(&id, key, certificate) {
            Ok(()) => self.view(&id, now).map_or_else(not_found, |v| ok(201, &v)),
            Err(m) => validation_errors("validation_error", &field("fileData", m)),
        }
    }

    /// Puts a key pair in as it is (what an import does after reading the file), replacing one
    /// with the same id. For seeding a server with a key pair the builders cannot make (a SHA-1
    /// certificate).
    ///
    /// # Errors
    /// When `certificate` does not parse or does not hold `key`'s public key (a sentence).
    pub fn insert_key_pair(&mut self, id: &str, key: PrivateKey, certificate: Vec<u8>) -> Result<(), String> {
        if !pki::certificate_matches_key(&certificate, &key) {
            return Err("The certificate does not match the private key.".into());
        }
        let bundle = pki::parse_bundle(&certificate, id);
        let Some(cert) = bundle.certificates.first() else {
            return Err("The certificate could not be read.".into());
        };
        let subject = subject_of(cert);
        let sans = cert.subject_alternative_names.clone();
        self.pairs.insert(id.to_owned(), Entry { key, subject, sans, certificate, rotation: None });
        Ok(())
    }

    fn import_csr_response(&mut self, id: &str, body: &[u8], now: i64) -> HttpResponse {
        let resp: CsrResponse = match parse(body) {
            Ok(r) => r,
            Err(r) => return r,
        };
        let bytes = file_bytes(&resp.file_data);
        let bundle = pki::parse_bundle(&bytes, "csr response");
        let public = self.pairs[id].key.public_key_der().unwrap_or_default();
        let found = bundle.certificates.iter().find(|c| super::workflow::certificate_public_key(&c.der).is_ok_and(|p| p == public));
        match found {
            Some(c) => {
                let der = c.der.clone();
                if let Some(e) = self.pairs.get_mut(id) {
                    e.certificate = der;
                }
                self.view(id, now).map_or_else(not_found, |v| ok(200, &v))
            }
            None if bundle.certificates.is_empty() => {
                validation_errors("validation_error", &field("fileData", "The CSR response holds no certificate."))
            }
            None => {
                validation_errors("validation_error", &field("fileData", "The CSR response does not match this key pair's public key."))
            }
        }
    }
}

fn subject_of(c: &pki::CertificateInfo) -> SubjectFields {
    let get = |t: &str| c.subject.iter().find(|a| a.attribute == t).map(|a| a.value.clone()).unwrap_or_default();
    SubjectFields {
        common_name: get("CN"),
        organization: get("O"),
        organizational_unit: get("OU"),
        locality: get("L"),
        state: get("ST"),
        country: get("C"),
    }
}
