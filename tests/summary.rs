//! The summary fast path (`pki::summarize_bundle`) against the full parse (`pki::parse_bundle`):
//! every summary field equals the full inspection's, on every committed vector (the odd and
//! non-conformant ones included), on the system trust store and on thousands of mutated
//! certificates; the CRLs, CSRs and problems are the same; `detail(i)` is the full inspection.

use certwright::pki::{self, CertificateInfo, CertificateSummary, Summaries};

fn summaries_of(s: &Summaries) -> Vec<serde_json::Value> {
    let value: serde_json::Value = serde_json::from_str(&s.certificates_json).expect("certificates_json is JSON");
    value.as_array().expect("a JSON array").clone()
}

/// The summary the full inspection implies, as the fast path serializes it.
fn expected(c: &CertificateInfo) -> serde_json::Value {
    serde_json::json!({
        "index": c.index,
        "source": c.source,
        "subjectDN": c.subject_dn,
        "issuerDN": c.issuer_dn,
        "serialNumber": c.serial_number,
        "validFromUnix": c.valid_from_unix,
        "expiresUnix": c.expires_unix,
        "keyAlgorithm": c.key_algorithm,
        "keySize": c.key_size,
        "curve": c.curve,
        "sha1Fingerprint": c.sha1_fingerprint,
        "sha256Fingerprint": c.sha256_fingerprint,
        "isCa": c.is_ca,
        "selfSigned": c.self_signed,
        "role": c.role.as_str(),
        "warnings": c.warnings,
    })
}

/// Asserts that the fast path and the full parse agree on `input`; returns the certificate count.
fn assert_same(input: &[u8], name: &str) -> usize {
    let full = pki::parse_bundle(input, name);
    let fast = pki::summarize_bundle(input, name);
    let got = summaries_of(&fast);
    assert_eq!(got.len(), full.certificates.len(), "{name}: certificate count");
    assert_eq!(fast.len(), full.certificates.len());
    for (g, c) in got.iter().zip(&full.certificates) {
        assert_eq!(g, &expected(c), "{name}: certificate {}", c.index);
    }
    assert_eq!(fast.crls, full.crls, "{name}: CRLs");
    assert_eq!(fast.csrs, full.csrs, "{name}: CSRs");
    assert_eq!(fast.problems, full.problems, "{name}: problems");
    // The detail of a certificate is its full inspection (first, last and one in between).
    let n = full.certificates.len();
    for i in [0, n / 2, n.saturating_sub(1)] {
        if i < n {
            assert_eq!(fast.detail(i).as_ref(), Some(&full.certificates[i]), "{name}: detail({i})");
        }
    }
    assert_eq!(fast.detail(n), None);
    // The whole JSON object parses and carries the same lists.
    let whole: serde_json::Value = serde_json::from_str(&fast.to_json()).expect("to_json is JSON");
    assert_eq!(whole["certificates"].as_array().map(Vec::len), Some(n));
    assert_eq!(whole["problems"], serde_json::to_value(&full.problems).unwrap());
    n
}

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("readable directory") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn every_committed_vector_summarizes_like_the_full_parse() {
    let mut paths = Vec::new();
    files(std::path::Path::new("tests/data"), &mut paths);
    paths.sort();
    let mut certs = 0;
    for p in &paths {
        let bytes = std::fs::read(p).expect("readable vector");
        certs += assert_same(&bytes, &p.display().to_string());
    }
    // The vectors include odd certificates with warnings of every kind.
    assert!(certs > 50, "only {certs} certificates in tests/data");
}

#[test]
fn warnings_of_non_conformant_certificates_match() {
    // At least some committed certificates carry warnings, so the comparison above covers them.
    let mut paths = Vec::new();
    files(std::path::Path::new("tests/data/odd"), &mut paths);
    let warned: usize = paths
        .iter()
        .map(|p| pki::summarize_bundle(&std::fs::read(p).unwrap(), "odd"))
        .map(|s| summaries_of(&s).iter().filter(|v| !v["warnings"].as_array().unwrap().is_empty()).count())
        .sum();
    assert!(warned >= 5, "only {warned} odd certificates carry warnings");
}

#[test]
fn the_system_trust_store_summarizes_like_the_full_parse() {
    let Ok(bytes) = std::fs::read("/etc/ssl/certs/ca-certificates.crt") else {
        assert!(std::env::var_os("CERTWRIGHT_SKIP_OPENSSL").is_some(), "no system trust store (Debian ca-certificates)");
        return;
    };
    assert!(assert_same(&bytes, "ca-certificates.crt") > 100);
}

#[test]
fn mutated_certificates_summarize_like_the_full_parse() {
    // Every byte of a real leaf flipped two ways: the fast path loads (or refuses) exactly what
    // the full parse loads, with the same warnings and the same error text.
    let leaf = std::fs::read("tests/data/chain/leaf.der").expect("leaf vector");
    let mut loaded = 0;
    for i in 0..leaf.len() {
        for mask in [0x01u8, 0x80] {
            let mut m = leaf.clone();
            m[i] ^= mask;
            loaded += assert_same(&m, "mutated");
        }
    }
    assert!(loaded > 0);
}

#[test]
fn summaries_are_compact_and_typed() {
    let bytes = std::fs::read("tests/data/chain/leaf.pem").expect("leaf vector");
    let s = pki::summarize_bundle(&bytes, "leaf.pem");
    let v = &summaries_of(&s)[0];
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 16, "{keys:?}");
    assert_eq!(v["sha256Fingerprint"].as_str().unwrap().len(), 64);
    assert_eq!(v["sha1Fingerprint"].as_str().unwrap().len(), 40);
    assert!(v["validFromUnix"].is_i64());
    // The typed summary serializes to the same JSON.
    let typed: CertificateSummary = pki::summarize(&pem_der(&bytes), 0, "leaf.pem, block 1 (line 1)".into(), false).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), *v);
}

fn pem_der(pem: &[u8]) -> Vec<u8> {
    pki::pem::split(std::str::from_utf8(pem).unwrap()).remove(0).der.unwrap()
}

#[test]
fn full_results_round_trip_through_json_for_the_parse_worker() {
    // The app's parse worker posts certificates, CRLs, CSRs and problems to the page as JSON
    // (with each certificate's name ranges beside it); what the page decodes equals the original.
    let mut paths = Vec::new();
    files(std::path::Path::new("tests/data"), &mut paths);
    let mut certs = 0;
    for p in &paths {
        let bundle = pki::parse_bundle(&std::fs::read(p).unwrap(), &p.display().to_string());
        let wire: Vec<(&CertificateInfo, [usize; 4])> = bundle.certificates.iter().map(|c| (c, c.name_ranges())).collect();
        let json = serde_json::to_string(&wire).unwrap();
        let back: Vec<(CertificateInfo, [usize; 4])> = serde_json::from_str(&json).unwrap();
        for ((mut c, ranges), original) in back.into_iter().zip(&bundle.certificates) {
            c.set_name_ranges(ranges).unwrap();
            assert_eq!(&c, original, "{}", p.display());
            assert_eq!(c.subject_raw(), original.subject_raw());
            certs += 1;
        }
        let crls: Vec<pki::CrlInfo> = serde_json::from_str(&serde_json::to_string(&bundle.crls).unwrap()).unwrap();
        assert_eq!(crls, bundle.crls);
        let csrs: Vec<pki::CsrInfo> = serde_json::from_str(&serde_json::to_string(&bundle.csrs).unwrap()).unwrap();
        assert_eq!(csrs, bundle.csrs);
        let problems: Vec<pki::Problem> = serde_json::from_str(&serde_json::to_string(&bundle.problems).unwrap()).unwrap();
        assert_eq!(problems, bundle.problems);
    }
    assert!(certs > 50);
    // Ranges outside the certificate are refused, not trusted.
    let mut c = pki::parse_bundle(&std::fs::read("tests/data/chain/leaf.pem").unwrap(), "x").certificates.remove(0);
    assert!(c.set_name_ranges([0, 1 << 20, 0, 1]).is_err());
    assert!(c.set_name_ranges([5, 4, 0, 1]).is_err());
}

/// The summaries as `SummaryColumns` hold them, rebuilt as the JSON objects the JS table's
/// `get(i)` makes (strings cut at UTF-16 offsets, as JavaScript does).
fn from_columns(c: &pki::SummaryColumns) -> Vec<serde_json::Value> {
    use pki::column_flags::{HAS_CURVE, IS_CA, ROLE_SHIFT, SELF_SIGNED};
    let units: Vec<u16> = c.text.encode_utf16().collect();
    let string =
        |k: usize| String::from_utf16(&units[c.bounds[k] as usize..c.bounds[k + 1] as usize]).expect("offsets on character boundaries");
    assert_eq!(c.first.len(), c.len() + 1);
    assert_eq!(c.bounds[0], 0);
    assert_eq!(*c.bounds.last().unwrap() as usize, units.len());
    (0..c.len())
        .map(|i| {
            let first = c.first[i] as usize;
            let s = |k: usize| string(first + k);
            let flags = c.flags[i];
            serde_json::json!({
                "index": i,
                "source": s(0),
                "subjectDN": s(1),
                "issuerDN": s(2),
                "serialNumber": s(3),
                "validFromUnix": c.times[2 * i] as i64,
                "expiresUnix": c.times[2 * i + 1] as i64,
                "keyAlgorithm": s(4),
                "keySize": c.key_sizes[i],
                "curve": if flags & HAS_CURVE != 0 { Some(s(5)) } else { None },
                "sha1Fingerprint": s(6),
                "sha256Fingerprint": s(7),
                "isCa": flags & IS_CA != 0,
                "selfSigned": flags & SELF_SIGNED != 0,
                "role": (["root", "intermediate", "leaf"][usize::from((flags >> ROLE_SHIFT) & 3)]),
                "warnings": (first + pki::COLUMN_STRINGS.len()..c.first[i + 1] as usize).map(&string).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// Asserts that the columns equal the JSON summaries on `input`; returns how many strings held
/// a character outside ASCII.
fn assert_columns_same(input: &[u8], name: &str) -> usize {
    let json = pki::summarize_bundle(input, name);
    let mut columns = pki::SummaryColumns::default();
    let rest = pki::summarize_bundle_into(input, name, &mut columns);
    assert_eq!(from_columns(&columns), summaries_of(&json), "{name}");
    assert_eq!(rest.certificates_json, "");
    assert_eq!(rest.len(), columns.len());
    assert_eq!((rest.crls, rest.csrs, rest.problems), (json.crls, json.csrs, json.problems), "{name}");
    (0..columns.bounds.len() - 1)
        .filter(|&k| {
            columns
                .text
                .encode_utf16()
                .skip(columns.bounds[k] as usize)
                .take((columns.bounds[k + 1] - columns.bounds[k]) as usize)
                .any(|u| u > 0x7f)
        })
        .count()
}

#[test]
fn columns_hold_the_same_summaries_as_the_json() {
    let mut paths = Vec::new();
    files(std::path::Path::new("tests/data"), &mut paths);
    paths.sort();
    for p in &paths {
        assert_columns_same(&std::fs::read(p).unwrap(), &p.display().to_string());
    }
    // Names outside ASCII (UTF-16 offsets differ from byte offsets), with the system trust store.
    if let Ok(bytes) = std::fs::read("/etc/ssl/certs/ca-certificates.crt") {
        assert!(assert_columns_same(&bytes, "ca-certificates.crt") > 0, "no non-ASCII name in the trust store");
    }
    let empty = pki::SummaryColumns::default();
    assert_eq!((empty.len(), empty.bounds.as_slice(), empty.first.as_slice()), (0, &[0u32][..], &[0u32][..]));
    assert_columns_same(b"not a certificate", "junk");
}
