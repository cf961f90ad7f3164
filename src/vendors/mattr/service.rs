//! A model of MATTR's DTS certificate service: root CAs (managed ones get a certificate made
//! here with a P-256 key through the project's builder; unmanaged ones are uploaded after the
//! rule pack), their CRLs (signed by managed roots), and VICAL signers (a P-256 key made here,
//! a CSR answered, the signed certificate uploaded). MATTR's limits (3 roots, 5 signers per
//! tenant), its validation and its `{code, message, details}` error bodies.
//!
//! [`Service::handle`] takes one request (method, origin-form target, body, the time, a random
//! source) and returns the answer MATTR would send; tokens are the emulator's business. The
//! state serializes with serde; the keys it holds are its own (test service keys, never a
//! user's), kept out of `Debug`.

use std::fmt;

use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::client::{CA_PATH, PUBLIC_CA_PATH, VICAL_SIGNERS_PATH};
use super::models::{CertificateData, CreateManagedRootCa, DtsCaCertificate, PublicRootCertificate, VicalSigner};
use super::rules::{self, MAX_ROOTS, MAX_VICAL_SIGNERS, MAX_YEARS};
use crate::pki::{
    self, issue_certificate, issue_crl, CertParams, CertSubject, CsrParams, FieldError, HashAlgorithm, Issuer, KeyAlgorithm, PrivateKey,
    Revocation, SubjectFields,
};
use crate::vendors::transport::HttpResponse;

/// A PKCS#8 key held by the service, redacted in `Debug`.
#[derive(Clone, Serialize, Deserialize)]
struct ServiceKey(Vec<u8>);

impl fmt::Debug for ServiceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServiceKey([redacted])")
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Root {
    record: DtsCaCertificate,
    key: Option<ServiceKey>,
    revoked: Vec<Revocation>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Signer {
    record: VicalSigner,
    public_key_der: Vec<u8>,
}

/// The state of one tenant.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// The tenant URL (the token audience, a managed root's issuer alternative name).
    pub tenant_url: String,
    /// The default country of a managed root (from the region).
    pub default_country: String,
    /// Roots per tenant (3).
    pub max_roots: usize,
    /// VICAL signers per tenant (5).
    pub max_vical_signers: usize,
    /// Clock skew allowed on `notBefore` "not in the past", seconds.
    pub skew_s: i64,
    roots: Vec<Root>,
    signers: Vec<Signer>,
}

fn respond(status: u16, body: &Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: serde_json::to_vec(body).unwrap_or_default(),
    }
}

/// MATTR's error body.
pub fn error_body(code: &str, message: &str, details: &[FieldError], location: &str, body: &Value) -> Value {
    let details: Vec<Value> = details
        .iter()
        .map(|d| json!({"value": body.get(&d.field).cloned().unwrap_or(Value::Null), "msg": d.message, "param": d.field, "location": location}))
        .collect();
    json!({"code": code, "message": message, "details": details})
}

fn bad_request(details: &[FieldError], body: &Value) -> HttpResponse {
    respond(400, &error_body("BadRequest", "Validation Error", details, "body", body))
}

fn not_found(what: &str) -> HttpResponse {
    respond(404, &json!({"code": "NotFound", "message": format!("{what} not found"), "details": []}))
}

fn fd(field: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

fn uuid(rng: &mut (impl CryptoRng + RngCore)) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

fn random20(rng: &mut (impl CryptoRng + RngCore)) -> [u8; 20] {
    let mut r = [0u8; 20];
    rng.fill_bytes(&mut r);
    r
}

fn hex_sha256(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02x}")).collect()
}

fn data_of(info: &pki::CertificateInfo) -> CertificateData {
    let attr = |n: &str| info.subject.iter().find(|a| a.attribute == n).map(|a| a.value.clone());
    CertificateData {
        common_name: attr("CN"),
        country: attr("C"),
        organisation_name: attr("O"),
        not_after: Some(info.expires.clone()),
        not_before: Some(info.valid_from.clone()),
    }
}

impl Service {
    /// An empty tenant at `tenant_url`.
    pub fn new(tenant_url: &str) -> Service {
        Service {
            tenant_url: tenant_url.trim_end_matches('/').to_owned(),
            default_country: "AU".into(),
            max_roots: MAX_ROOTS,
            max_vical_signers: MAX_VICAL_SIGNERS,
            skew_s: 300,
            roots: Vec::new(),
            signers: Vec::new(),
        }
    }

    /// Revokes `serial_hex` on a managed root's CRL (for tests and the emulator's fault setup).
    /// Returns whether the root exists.
    pub fn revoke(&mut self, root_id: &str, serial_hex: &str, at: i64) -> bool {
        match self.roots.iter_mut().find(|r| r.record.id == root_id) {
            Some(r) => {
                r.revoked.push(Revocation { serial_hex: serial_hex.into(), revoked_at: at, reason: Some("keyCompromise".into()) });
                true
            }
            None => false,
        }
    }

    /// Answers one request. `target` is origin-form (`/v1/…?limit=2`), `now` Unix seconds.
    pub fn handle(&mut self, method: &str, target: &str, body: &[u8], now: i64, rng: &mut (impl CryptoRng + RngCore)) -> HttpResponse {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let json: Value = if body.is_empty() {
            Value::Null
        } else {
            match serde_json::from_slice(body) {
                Ok(v) => v,
                Err(e) => return bad_request(&[fd("body", format!("not JSON: {e}"))], &Value::Null),
            }
        };
        let id_after = |prefix: &str| path.strip_prefix(prefix).and_then(|r| r.strip_prefix('/')).map(str::to_owned);
        match (method, path) {
            ("POST", CA_PATH) => self.create_root(&json, now, rng),
            ("GET", CA_PATH) => list(&self.roots.iter().map(|r| r.record.clone()).collect::<Vec<_>>(), query),
            ("GET", PUBLIC_CA_PATH) => {
                let roots: Vec<PublicRootCertificate> = self
                    .roots
                    .iter()
                    .map(|r| PublicRootCertificate {
                        certificate: r.record.certificate_pem.clone(),
                        not_before: r.record.certificate_data.not_before.clone(),
                        not_after: r.record.certificate_data.not_after.clone(),
                        fingerprint: r.record.certificate_fingerprint.clone(),
                        common_name: r.record.certificate_data.common_name.clone(),
                    })
                    .collect();
                respond(200, &json!({"rootCertificates": roots}))
            }
            ("POST", VICAL_SIGNERS_PATH) => self.create_signer(&json, rng),
            ("GET", VICAL_SIGNERS_PATH) => list(&self.signers.iter().map(|s| s.record.clone()).collect::<Vec<_>>(), query),
            ("PUT", _) if id_after(VICAL_SIGNERS_PATH).is_some() => {
                self.upload_signer(&id_after(VICAL_SIGNERS_PATH).unwrap_or_default(), &json)
            }
            (_, _) if id_after(CA_PATH).is_some() => {
                let rest = id_after(CA_PATH).unwrap_or_default();
                let (id, crl) = match rest.strip_suffix("/crl") {
                    Some(id) => (id.to_owned(), true),
                    None => (rest, false),
                };
                if super::client::check_uuid("id", &id).is_err() {
                    return respond(
                        400,
                        &json!({"code": "BadRequest", "message": "Validation Error", "details": [{"value": id, "msg": "Invalid value", "param": "dtsCaCertificateId", "location": "path"}]}),
                    );
                }
                let Some(i) = self.roots.iter().position(|r| r.record.id == id) else {
                    return not_found("DTS root CA certificate");
                };
                match (method, crl) {
                    ("GET", true) => self.crl(i, now),
                    ("GET", false) => respond(200, &serde_json::to_value(&self.roots[i].record).unwrap_or_default()),
                    ("PUT", false) => match json.get("active").and_then(Value::as_bool) {
                        Some(a) => {
                            self.roots[i].record.active = a;
                            respond(200, &serde_json::to_value(&self.roots[i].record).unwrap_or_default())
                        }
                        None => bad_request(&[fd("active", "Invalid value: a boolean is required")], &json),
                    },
                    ("DELETE", false) => {
                        self.roots.remove(i);
                        HttpResponse { status: 204, headers: Vec::new(), body: Vec::new() }
                    }
                    _ => respond(405, &json!({"code": "MethodNotAllowed", "message": "method not allowed", "details": []})),
                }
            }
            _ => not_found("route"),
        }
    }

    fn create_root(&mut self, body: &Value, now: i64, rng: &mut (impl CryptoRng + RngCore)) -> HttpResponse {
        if self.roots.len() >= self.max_roots {
            return bad_request(&[fd("", format!("a tenant can have at most {} DTS root CA certificates", self.max_roots))], body);
        }
        if let Some(pem) = body.get("certificatePem") {
            let Some(pem) = pem.as_str() else {
                return bad_request(&[fd("certificatePem", "Invalid value")], body);
            };
            let problems = rules::check_root_ca(pem.as_bytes(), now, None);
            if !problems.is_empty() {
                let details: Vec<FieldError> =
                    problems.into_iter().map(|p| fd("certificatePem", format!("{}: {}", p.field, p.message))).collect();
                return bad_request(&details, body);
            }
            let bundle = pki::parse_bundle(pem.as_bytes(), "root");
            let info = &bundle.certificates[0];
            let record = DtsCaCertificate {
                id: uuid(rng),
                active: false,
                certificate_pem: info.pem(),
                certificate_fingerprint: hex_sha256(&info.der),
                certificate_data: data_of(info),
                is_managed: false,
            };
            self.roots.push(Root { record: record.clone(), key: None, revoked: Vec::new() });
            return respond(201, &serde_json::to_value(record).unwrap_or_default());
        }
        let fields: CreateManagedRootCa = match serde_json::from_value(body.clone()) {
            Ok(f) => f,
            Err(e) => return bad_request(&[fd("organisationName", format!("Invalid value: {e}"))], body),
        };
        let mut problems = rules::check_create_root(&fields, now - self.skew_s, None);
        problems.retain(|p| !(p.field == "notAfter" && p.message.contains("years")));
        let not_before =
            fields.not_before.as_deref().and_then(crate::vendors::retry::parse_rfc3339_ms).map_or(now, |ms| ms.div_euclid(1000));
        let max = rules::add_years(now, MAX_YEARS).unwrap_or(i64::MAX);
        let not_after = fields
            .not_after
            .as_deref()
            .and_then(crate::vendors::retry::parse_rfc3339_ms)
            .map_or_else(|| rules::add_years(not_before, MAX_YEARS).unwrap_or(max).min(max), |ms| ms.div_euclid(1000));
        if not_after > max {
            problems.push(fd("notAfter", format!("Maximum value is {MAX_YEARS} years from creation")));
        }
        if !problems.is_empty() {
            return bad_request(&problems, body);
        }
        let host = self.tenant_url.split("://").nth(1).unwrap_or(&self.tenant_url).to_owned();
        let subject = SubjectFields {
            common_name: fields.common_name.clone().unwrap_or_else(|| format!("{} DTS CA", host.split('.').next().unwrap_or("tenant"))),
            organization: fields.organisation_name.clone(),
            country: fields.country.clone().unwrap_or_else(|| self.default_country.clone()),
            ..Default::default()
        };
        let key = match PrivateKey::generate(KeyAlgorithm::P256, rng) {
            Ok(k) => k,
            Err(e) => return respond(500, &json!({"code": "InternalError", "message": e.to_string(), "details": []})),
        };
        let params = CertParams {
            subject,
            issuer_alternative_names: vec![format!("URI:{}", self.tenant_url)],
            key_usage: vec!["keyCertSign".into(), "cRLSign".into()],
            is_ca: true,
            path_len: Some(0),
            not_before,
            not_after,
            serial_hex: pki::Profile::MattrDtsRoot.serial_hex(random20(rng)),
            hash: HashAlgorithm::Sha256,
            ..CertParams::default()
        };
        let der = match issue_certificate(&params, CertSubject::Key(&key), None, random20(rng)) {
            Ok(d) => d,
            Err(problems) => return bad_request(&problems, body),
        };
        let bundle = pki::parse_bundle(&der, "root");
        let info = &bundle.certificates[0];
        let record = DtsCaCertificate {
            id: uuid(rng),
            active: true,
            certificate_pem: info.pem(),
            certificate_fingerprint: hex_sha256(&der),
            certificate_data: data_of(info),
            is_managed: true,
        };
        let key = key.to_pkcs8_der().map(|k| ServiceKey(k.to_vec())).ok();
        self.roots.push(Root { record: record.clone(), key, revoked: Vec::new() });
        respond(201, &serde_json::to_value(record).unwrap_or_default())
    }

    fn crl(&self, i: usize, now: i64) -> HttpResponse {
        let root = &self.roots[i];
        let Some(key) = root.key.as_ref().and_then(|k| PrivateKey::from_generated_pkcs8(&k.0).ok()) else {
            return respond(
                404,
                &json!({"code": "NotFound", "message": "no CRL is published for an unmanaged DTS root CA certificate", "details": []}),
            );
        };
        let der = pki::parse_bundle(root.record.certificate_pem.as_bytes(), "root")
            .certificates
            .into_iter()
            .next()
            .map(|c| c.der)
            .unwrap_or_default();
        match issue_crl(Issuer { certificate: &der, key: &key }, &root.revoked, now, now + 7 * 86_400, 1, HashAlgorithm::Sha256) {
            Ok(crl) => respond(200, &Value::String(pki::pem::encode("X509 CRL", &crl))),
            Err(e) => respond(
                500,
                &json!({"code": "InternalError", "message": e.first().map(|e| e.message.clone()).unwrap_or_default(), "details": []}),
            ),
        }
    }

    fn create_signer(&mut self, body: &Value, rng: &mut (impl CryptoRng + RngCore)) -> HttpResponse {
        let Some(ca_id) = body.get("caId").and_then(Value::as_str) else {
            return bad_request(&[fd("caId", "Invalid value")], body);
        };
        if self.signers.len() >= self.max_vical_signers {
            return bad_request(&[fd("", format!("a tenant can have at most {} VICAL signers", self.max_vical_signers))], body);
        }
        let Some(root) = self.roots.iter().find(|r| r.record.id == ca_id) else {
            return bad_request(&[fd("caId", "DTS root CA certificate not found")], body);
        };
        if root.record.is_managed {
            return bad_request(&[fd("caId", "VICAL signers are for unmanaged DTS root CA certificates only")], body);
        }
        let key = match PrivateKey::generate(KeyAlgorithm::P256, rng) {
            Ok(k) => k,
            Err(e) => return respond(500, &json!({"code": "InternalError", "message": e.to_string(), "details": []})),
        };
        let csr = CsrParams {
            subject: SubjectFields {
                common_name: "VICAL Signer".into(),
                organization: root.record.certificate_data.organisation_name.clone().unwrap_or_default(),
                country: root.record.certificate_data.country.clone().unwrap_or_default(),
                ..Default::default()
            },
            key_usage: vec!["digitalSignature".into()],
            ..CsrParams::default()
        };
        let der = match csr.build(&key) {
            Ok(d) => d,
            Err(p) => return bad_request(&p, body),
        };
        let record = VicalSigner {
            id: uuid(rng),
            ca_id: Some(ca_id.to_owned()),
            active: false,
            csr_pem: Some(pki::pem::encode("CERTIFICATE REQUEST", &der)),
            ..VicalSigner::default()
        };
        let public_key_der = key.public_key_der().unwrap_or_default();
        self.signers.push(Signer { record: record.clone(), public_key_der });
        respond(201, &serde_json::to_value(record).unwrap_or_default())
    }

    fn upload_signer(&mut self, id: &str, body: &Value) -> HttpResponse {
        let Some(i) = self.signers.iter().position(|s| s.record.id == id) else {
            return not_found("VICAL signer");
        };
        let Some(pem) = body.get("certificatePem").and_then(Value::as_str) else {
            return bad_request(&[fd("certificatePem", "Invalid value")], body);
        };
        let bundle = pki::parse_bundle(pem.as_bytes(), "signer");
        let Some(cert) = bundle.certificates.first() else {
            return bad_request(&[fd("certificatePem", "not a certificate")], body);
        };
        let signer = &self.signers[i];
        let root_pem = signer
            .record
            .ca_id
            .as_ref()
            .and_then(|ca| self.roots.iter().find(|r| &r.record.id == ca))
            .map(|r| r.record.certificate_pem.clone());
        let Some(root_pem) = root_pem else {
            return bad_request(&[fd("certificatePem", "the signer's root no longer exists")], body);
        };
        // The certificate must carry the CSR's key and chain to the root.
        let spki_ok = {
            let mut both = pem.to_owned();
            both.push('\n');
            both.push_str(&root_pem);
            let b = pki::parse_bundle(both.as_bytes(), "chain");
            let ordered = pki::order_chain(&b.certificates);
            let chains = b.certificates.len() == 2 && ordered.chain_len == 2 && ordered.order.first() == Some(&0);
            chains && spki_of(&cert.der).as_deref() == Some(signer.public_key_der.as_slice())
        };
        if !spki_ok {
            return bad_request(
                &[fd("certificatePem", "the certificate must carry the CSR's public key and be issued by the signer's DTS root CA")],
                body,
            );
        }
        let rec = &mut self.signers[i].record;
        rec.active = true;
        rec.certificate_pem = Some(cert.pem());
        rec.certificate_fingerprint = Some(hex_sha256(&cert.der));
        rec.certificate_data = Some(data_of(cert));
        respond(200, &serde_json::to_value(rec.clone()).unwrap_or_default())
    }
}

fn spki_of(der: &[u8]) -> Option<Vec<u8>> {
    use x509_parser::prelude::FromDer;
    let (_, c) = x509_parser::certificate::X509Certificate::from_der(der).ok()?;
    Some(c.tbs_certificate.subject_pki.raw.to_vec())
}

/// A list page: `limit` (1–1000, default 100) from the opaque `cursor` (here: the offset,
/// base64url).
fn list<T: Serialize>(items: &[T], query: &str) -> HttpResponse {
    let mut limit = 100usize;
    let mut start = 0usize;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "limit" => match v.parse::<usize>() {
                Ok(l) if (1..=1000).contains(&l) => limit = l,
                _ => {
                    return respond(
                        400,
                        &json!({"code": "BadRequest", "message": "Validation Error", "details": [{"value": v, "msg": "Invalid value", "param": "limit", "location": "query"}]}),
                    )
                }
            },
            "cursor" => match v.strip_prefix("off").and_then(|n| n.parse().ok()) {
                Some(n) => start = n,
                None => {
                    return respond(
                        400,
                        &json!({"code": "BadRequest", "message": "Validation Error", "details": [{"value": v, "msg": "Invalid value", "param": "cursor", "location": "query"}]}),
                    )
                }
            },
            _ => {}
        }
    }
    let end = (start + limit).min(items.len());
    let page: Vec<&T> = items.get(start.min(items.len())..end).unwrap_or_default().iter().collect();
    let mut out = json!({"data": page});
    if end < items.len() {
        out["nextCursor"] = Value::String(format!("off{end}"));
    }
    respond(200, &out)
}
