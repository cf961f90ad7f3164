//! The MATTR rule pack for an unmanaged DTS root (`vendors::mattr::rules::check_root_ca`):
//! roots made with the project's MATTR profile pass by construction (P-256 and P-384); roots
//! made by `openssl`, each missing one property, fail with the finding on the right field.
//! Also the creation-form checks and the VICAL signer workflow (its result verified by openssl).
#![cfg(not(target_arch = "wasm32"))] // spawns openssl

use std::path::{Path, PathBuf};
use std::process::Command;

use certwright::pki::{self, CertParams, CertSubject, CsrParams, FieldError, KeyAlgorithm, PrivateKey, Profile, SubjectFields};
use certwright::vendors::mattr::models::CreateManagedRootCa;
use certwright::vendors::mattr::rules::{add_years, check_create_root, check_root_ca};
use certwright::vendors::mattr::workflow::{sign_vical_signer_csr, VicalSignerParams};

const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const DAY: i64 = 86_400;

fn random20() -> [u8; 20] {
    let mut r = [0u8; 20];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut r);
    r
}

fn profile_root(alg: KeyAlgorithm) -> (PrivateKey, Vec<u8>) {
    let key = PrivateKey::generate(alg, &mut rand_core::OsRng).unwrap();
    let mut p = Profile::MattrDtsRoot.defaults(NOW);
    p.subject = SubjectFields {
        common_name: "Example DTS CA".into(),
        organization: "Example Ltd".into(),
        country: "NZ".into(),
        ..Default::default()
    };
    p.issuer_alternative_names = vec!["URI:https://example.com".into()];
    let der = Profile::MattrDtsRoot.issue(&p, CertSubject::Key(&key), None, random20(), NOW).unwrap();
    (key, der)
}

fn fields(f: &[FieldError]) -> Vec<&str> {
    f.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn profile_roots_pass_by_construction() {
    for alg in [KeyAlgorithm::P256, KeyAlgorithm::P384] {
        for _ in 0..5 {
            let (_, der) = profile_root(alg);
            assert_eq!(check_root_ca(&der, NOW, Some(0)), vec![], "{alg:?}");
            let pem = pki::pem::encode("CERTIFICATE", &der);
            assert_eq!(check_root_ca(pem.as_bytes(), NOW + 365 * DAY, None), vec![], "{alg:?} as PEM");
        }
    }
}

fn tmp() -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!("certwright-mattr-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").current_dir(dir).args(args).output().expect("openssl must be installed");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// An openssl-made root: `subj`, `serial`, `days` (from now), the extension section lines.
fn openssl_root(subj: &str, serial: &str, days: &str, exts: &[&str]) -> Vec<u8> {
    let dir = tmp();
    openssl(&dir, &["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "k.pem"]);
    std::fs::write(dir.join("e.cnf"), format!("[e]\n{}\n", exts.join("\n"))).unwrap();
    openssl(&dir, &["req", "-new", "-key", "k.pem", "-subj", subj, "-out", "r.csr"]);
    let mut args = vec!["x509", "-req", "-in", "r.csr", "-signkey", "k.pem", "-set_serial", serial, "-days", days, "-out", "c.pem"];
    if !exts.is_empty() {
        args.extend(["-extfile", "e.cnf", "-extensions", "e"]);
    }
    openssl(&dir, &args);
    std::fs::read(dir.join("c.pem")).unwrap()
}

const SUBJ: &str = "/C=AU/O=Example Ltd/CN=Example DTS CA";
const IAN: &str = "issuerAltName=URI:https://example.com";
const KU: &str = "keyUsage=critical,keyCertSign,cRLSign";
const BC: &str = "basicConstraints=critical,CA:TRUE";
const SKI: &str = "subjectKeyIdentifier=hash";

fn now_s() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[test]
fn openssl_roots_missing_each_property_fail_on_the_right_field() {
    let now = now_s();
    let good = openssl_root(SUBJ, "123456789", "3650", &[IAN, KU, BC, SKI]);
    assert_eq!(check_root_ca(&good, now, None), vec![], "a complete openssl root passes");

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("no IAN", openssl_root(SUBJ, "1", "3650", &[KU, BC, SKI]), "issuerAlternativeNames"),
        ("IAN with DNS only", openssl_root(SUBJ, "1", "3650", &["issuerAltName=DNS:example.com", KU, BC, SKI]), "issuerAlternativeNames"),
        ("21-digit serial", openssl_root(SUBJ, "123456789012345678901", "3650", &[IAN, KU, BC, SKI]), "serial"),
        ("no O", openssl_root("/C=AU/CN=Example DTS CA", "1", "3650", &[IAN, KU, BC, SKI]), "subject.organization"),
        ("no CN", openssl_root("/C=AU/O=Example Ltd", "1", "3650", &[IAN, KU, BC, SKI]), "subject.commonName"),
        ("no C", openssl_root("/O=Example Ltd/CN=Example DTS CA", "1", "3650", &[IAN, KU, BC, SKI]), "subject.country"),
        ("C not assigned", openssl_root("/C=ZZ/O=Example Ltd/CN=Example DTS CA", "1", "3650", &[IAN, KU, BC, SKI]), "subject.country"),
        ("no SKI", openssl_root(SUBJ, "1", "3650", &[IAN, KU, BC, "subjectKeyIdentifier=none"]), "subjectKeyIdentifier"),
        ("no cRLSign", openssl_root(SUBJ, "1", "3650", &[IAN, "keyUsage=critical,keyCertSign", BC, SKI]), "keyUsage"),
        ("21 years", openssl_root(SUBJ, "1", "7700", &[IAN, KU, BC, SKI]), "notAfter"),
        ("v1", openssl_root(SUBJ, "1", "3650", &[]), "version"),
    ];
    for (name, pem, field) in cases {
        let f = check_root_ca(&pem, now, None);
        assert!(fields(&f).contains(&field), "{name}: expected a finding on {field}, got {f:?}");
        assert!(f.iter().all(|e| !e.message.is_empty()), "{name}: {f:?}");
        if name != "v1" {
            assert_eq!(f.len(), 1, "{name}: only the missing property is reported: {f:?}");
        }
    }
    // Expired: the complete root, checked after its notAfter.
    let f = check_root_ca(&good, now + 3651 * DAY, None);
    assert_eq!(fields(&f), ["notAfter"]);
    assert!(f[0].message.contains("expired"), "{f:?}");
    // The tenant cap and garbage input.
    assert_eq!(fields(&check_root_ca(&good, now, Some(3))), ["tenant"]);
    assert_eq!(fields(&check_root_ca(b"hello", now, None)), ["certificate"]);
}

#[test]
fn a_duplicate_extension_is_found() {
    use der::{Decode, Encode};
    let (_, der) = profile_root(KeyAlgorithm::P256);
    let mut cert = x509_cert::Certificate::from_der(&der).unwrap();
    let exts = cert.tbs_certificate.extensions.as_mut().unwrap();
    let ian = exts.iter().find(|e| e.extn_id.to_string() == "2.5.29.18").unwrap().clone();
    exts.push(ian);
    let dup = cert.to_der().unwrap();
    let f = check_root_ca(&dup, NOW, None);
    assert_eq!(fields(&f), ["extensions"], "{f:?}");
    assert!(f[0].message.contains("2.5.29.18"), "{f:?}");
}

#[test]
fn creation_fields_are_checked_per_field() {
    let ok = CreateManagedRootCa { organisation_name: "Example".into(), ..Default::default() };
    assert_eq!(check_create_root(&ok, NOW, Some(2)), vec![]);
    assert_eq!(fields(&check_create_root(&ok, NOW, Some(3))), ["tenant"]);
    let bad = CreateManagedRootCa {
        organisation_name: " ".into(),
        common_name: Some("Ünïcode CA".into()),
        country: Some("au".into()),
        not_before: Some("2025-12-31T00:00:00Z".into()),
        not_after: Some("2046-01-02T00:00:00Z".into()),
    };
    assert_eq!(fields(&check_create_root(&bad, NOW, None)), ["organisationName", "commonName", "country", "notBefore", "notAfter"]);
    let empty_cn = CreateManagedRootCa { common_name: Some(String::new()), ..ok.clone() };
    assert_eq!(fields(&check_create_root(&empty_cn, NOW, None)), ["commonName"]);
    let order = CreateManagedRootCa {
        not_before: Some("2027-01-01T00:00:00Z".into()),
        not_after: Some("2026-06-01T00:00:00Z".into()),
        ..ok.clone()
    };
    assert_eq!(fields(&check_create_root(&order, NOW, None)), ["notBefore"]);
    let twenty = CreateManagedRootCa { not_after: Some("2046-01-01T00:00:00Z".into()), ..ok.clone() };
    assert_eq!(check_create_root(&twenty, NOW, None), vec![], "exactly 20 years is allowed");
    let garbage = CreateManagedRootCa { not_after: Some("tomorrow".into()), ..ok };
    assert_eq!(fields(&check_create_root(&garbage, NOW, None)), ["notAfter"]);
    assert_eq!(add_years(951_782_400, 1), Some(983_404_800), "2000-02-29 + 1 year = 2001-03-01");
}

#[test]
fn a_vical_signer_csr_signed_with_the_root_key_verifies_with_openssl() {
    let (root_key, root_der) = profile_root(KeyAlgorithm::P256);
    let signer_key = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
    let csr = CsrParams {
        subject: SubjectFields { common_name: "VICAL Signer".into(), country: "NZ".into(), ..Default::default() },
        ..Default::default()
    };
    let csr_pem = pki::pem::encode("CERTIFICATE REQUEST", &csr.build(&signer_key).unwrap());
    let now = now_s();
    let pem = sign_vical_signer_csr(&csr_pem, &root_der, &root_key, &VicalSignerParams::new(now, 365), random20()).unwrap();
    let dir = tmp();
    std::fs::write(dir.join("root.pem"), pki::pem::encode("CERTIFICATE", &root_der)).unwrap();
    std::fs::write(dir.join("vsc.pem"), &pem).unwrap();
    let out = Command::new("openssl")
        .current_dir(&dir)
        .args(["verify", "-x509_strict", "-purpose", "any", "-CAfile", "root.pem", "vsc.pem"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && text.contains("vsc.pem: OK"), "{text}");
    let info = &pki::parse_bundle(pem.as_bytes(), "vsc").certificates[0];
    assert_eq!(info.subject_dn, "CN=VICAL Signer,C=NZ");
    assert_eq!(info.key_usage, ["digitalSignature"]);
    assert_eq!(info.extended_key_usage, ["1.0.18013.5.1.8"]);
    // A wrong key for the root, or a validity past the root's, is refused per field.
    let other = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
    let e = sign_vical_signer_csr(&csr_pem, &root_der, &other, &VicalSignerParams::new(now, 365), random20()).unwrap_err();
    assert!(fields(&e).contains(&"issuer.key"), "{e:?}");
    let e = sign_vical_signer_csr(&csr_pem, &root_der, &root_key, &VicalSignerParams::new(now, 40 * 365), random20()).unwrap_err();
    assert_eq!(fields(&e), ["notAfter"]);
    let e = sign_vical_signer_csr("nope", &root_der, &root_key, &VicalSignerParams::new(now, 365), random20()).unwrap_err();
    assert_eq!(fields(&e), ["csr"]);
    let _ = CertParams::default();
}

mod page_decisions {
    use super::*;
    use certwright::vendors::mattr::client::Error;
    use certwright::vendors::mattr::models::DtsCaCertificate;
    use certwright::vendors::mattr::workflow::{auth_url_for_tenant, create_fields, hint, key_for_root, signer_roots};

    #[test]
    fn the_auth_url_follows_the_tenant_region() {
        assert_eq!(
            auth_url_for_tenant("https://acme.vii.au01.mattr.global").as_deref(),
            Some("https://auth.au01.mattr.global/oauth/token")
        );
        assert_eq!(
            auth_url_for_tenant(" https://Acme.VII.us01.mattr.global/ ").as_deref(),
            Some("https://auth.us01.mattr.global/oauth/token")
        );
        assert_eq!(auth_url_for_tenant("https://tenant.mattr.test:8443").as_deref(), Some("https://auth.mattr.test/oauth/token"));
        for none in [
            "https://acme.example.com",
            "http://acme.vii.au01.mattr.global",
            "https://vii.au01.mattr.global",
            "https://a.b.vii.au01.mattr.global",
            "",
        ] {
            assert_eq!(auth_url_for_tenant(none), None, "{none}");
        }
    }

    #[test]
    fn blank_optional_fields_are_left_out() {
        let f = create_fields(" Example Inc. ", "", "  ", "2030-01-01T00:00:00Z", "");
        assert_eq!(
            f,
            CreateManagedRootCa {
                organisation_name: "Example Inc.".into(),
                not_before: Some("2030-01-01T00:00:00Z".into()),
                ..Default::default()
            }
        );
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"organisationName":"Example Inc.","notBefore":"2030-01-01T00:00:00Z"}"#);
        let all = create_fields("O", " CN ", "NZ", "", "2040-01-01T00:00:00Z");
        assert_eq!(
            (all.common_name.as_deref(), all.country.as_deref(), all.not_after.as_deref()),
            (Some("CN"), Some("NZ"), Some("2040-01-01T00:00:00Z"))
        );
    }

    #[test]
    fn the_root_key_is_found_by_its_public_key() {
        let (key, der) = profile_root(KeyAlgorithm::P256);
        let other = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
        let keys = vec![(3, other.public_key_der().unwrap()), (7, key.public_key_der().unwrap())];
        assert_eq!(key_for_root(&der, &keys), Some(7));
        assert_eq!(key_for_root(pki::pem::encode("CERTIFICATE", &der).as_bytes(), &keys), Some(7));
        assert_eq!(key_for_root(&der, &keys[..1]), None);
        assert_eq!(key_for_root(b"not a certificate", &keys), None);
    }

    fn rec(id: &str, managed: bool) -> DtsCaCertificate {
        DtsCaCertificate {
            id: id.into(),
            active: true,
            certificate_pem: String::new(),
            certificate_fingerprint: String::new(),
            certificate_data: Default::default(),
            is_managed: managed,
        }
    }

    #[test]
    fn signers_are_for_unmanaged_roots_and_the_one_just_uploaded_is_preselected() {
        let roots = vec![rec("m", true), rec("u1", false), rec("u2", false)];
        let (eligible, pick) = signer_roots(&roots, Some("u2"));
        assert_eq!(eligible.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["u1", "u2"]);
        assert_eq!(pick.as_deref(), Some("u2"));
        assert_eq!(signer_roots(&roots, Some("m")).1, None, "a managed root is never pre-selected");
        assert_eq!(signer_roots(&roots[..2], None).1.as_deref(), Some("u1"), "the only one");
        assert_eq!(signer_roots(&roots[..1], None), (vec![], None));
    }

    #[test]
    fn a_401_after_the_refresh_gets_a_hint() {
        let api = |status: u16| {
            Error::Api(Box::new(certwright::vendors::error::ApiError {
                vendor: "MATTR",
                status,
                body: certwright::vendors::error::ErrorBody::Empty,
                request_id: None,
                rate_limit: None,
            }))
        };
        assert!(hint(&api(401)).unwrap().contains("freshly fetched token"));
        assert!(hint(&api(403)).unwrap().contains("audience"));
        assert_eq!(hint(&api(400)), None);
        assert_eq!(hint(&Error::invalid("x", "y")), None);
    }
}
