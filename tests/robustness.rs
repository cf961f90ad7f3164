//! Robustness: whatever the input, `parse_bundle`, `order_chain` and `dedupe` never panic, and
//! **nothing is silently dropped**: any input that is not blank yields at least one certificate,
//! CRL, CSR or problem.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, spawns openssl

use std::path::PathBuf;
use std::sync::OnceLock;

use base64::Engine as _;
use certwright::pki::{dedupe, order_chain, parse_bundle, Bundle, CertificateInfo, Parser};
use proptest::prelude::*;

fn read(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn leaf_der() -> &'static [u8] {
    static LEAF: OnceLock<Vec<u8>> = OnceLock::new();
    LEAF.get_or_init(|| read("chain/leaf.der"))
}

fn leaf_pem() -> &'static str {
    static LEAF: OnceLock<String> = OnceLock::new();
    LEAF.get_or_init(|| String::from_utf8(read("chain/leaf.pem")).unwrap())
}

/// Real certificates of various kinds, for chain-tool properties.
fn real_certs() -> &'static [CertificateInfo] {
    static CERTS: OnceLock<Vec<CertificateInfo>> = OnceLock::new();
    CERTS.get_or_init(|| {
        let mut certs = Vec::new();
        for f in [
            "chain/root.pem",
            "chain/intermediate.pem",
            "chain/leaf.pem",
            "chain/unknown-ext.pem",
            "xss/xss-subject.pem",
            "odd/non-minimal-int.pem",
            "odd/negative-serial.pem",
        ] {
            certs.extend(parse_bundle(&read(f), f).certificates);
        }
        assert_eq!(certs.len(), 7);
        certs
    })
}

fn pem_wrap(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut s = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(chunk).unwrap());
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s
}

fn loaded(b: &Bundle) -> usize {
    b.certificates.len() + b.crls.len() + b.csrs.len()
}

fn is_blank(input: &[u8]) -> bool {
    String::from_utf8_lossy(input).trim().is_empty()
}

/// Runs the whole pipeline on `input` and checks the invariants every result must satisfy.
fn exercise(input: &[u8]) -> Bundle {
    let b = parse_bundle(input, "fuzz");
    if is_blank(input) {
        assert_eq!(b, Bundle::default(), "blank input yields nothing");
    } else {
        assert!(loaded(&b) + b.problems.len() > 0, "non-blank input was silently dropped: {input:?}");
    }
    for (i, c) in b.certificates.iter().enumerate() {
        assert_eq!(c.index, i);
        assert_eq!(c.sha256_fingerprint.len(), 64);
        assert_eq!(c.sha1_fingerprint.len(), 40);
        assert!(!c.der.is_empty());
    }
    for p in &b.problems {
        assert!(!p.message.is_empty());
        assert!(p.source.starts_with("fuzz"));
    }
    check_chain_tools(&b.certificates);
    b
}

fn check_chain_tools(certs: &[CertificateInfo]) {
    let n = certs.len();
    let kept = dedupe(certs);
    assert!(kept.windows(2).all(|w| w[0] < w[1]), "dedupe keeps input order: {kept:?}");
    assert!(kept.iter().all(|&i| i < n));
    let mut fps: Vec<&str> = kept.iter().map(|&i| certs[i].sha256_fingerprint.as_str()).collect();
    fps.sort_unstable();
    let distinct = fps.len();
    fps.dedup();
    assert_eq!(fps.len(), distinct, "dedupe left a duplicate");
    let all: std::collections::HashSet<&str> = certs.iter().map(|c| c.sha256_fingerprint.as_str()).collect();
    assert_eq!(kept.len(), all.len(), "dedupe removed a certificate that had no duplicate");

    let order = order_chain(certs);
    let mut sorted = order.order.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "order is a permutation of the input");
    assert!(order.chain_len <= n);
    assert_eq!(order.chain_len == 0, n == 0);
    // Each link of the chain is a real issuer relation.
    for w in order.order[..order.chain_len].windows(2) {
        let (child, parent) = (&certs[w[0]], &certs[w[1]]);
        assert_eq!(child.issuer_raw(), parent.subject_raw(), "chain link {} -> {}", w[0], w[1]);
    }
    // One note per left-over certificate, plus one if the chain does not end at a self-signed one.
    let open_top = order.chain_len > 0 && !certs[order.order[order.chain_len - 1]].self_signed;
    assert_eq!(order.notes.len(), n - order.chain_len + usize::from(open_top), "{:?}", order.notes);
}

/// PEM-looking text assembled from the pieces a PEM parser cares about.
fn pemish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("-----BEGIN CERTIFICATE-----".to_string()),
        Just("-----END CERTIFICATE-----".to_string()),
        Just("-----BEGIN X509 CRL-----".to_string()),
        Just("-----END X509 CRL-----".to_string()),
        Just("-----BEGIN PKCS7-----".to_string()),
        Just("-----END PKCS7-----".to_string()),
        Just("-----BEGIN TRUSTED CERTIFICATE-----".to_string()),
        Just("-----BEGIN ".to_string()),
        Just("-----".to_string()),
        Just("Proc-Type: 4,ENCRYPTED".to_string()),
        Just("MIIC".to_string()),
        Just("MAMCAQU=".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just(" ".to_string()),
        Just("=".to_string()),
        "[A-Za-z0-9+/]{0,80}",
        ".{0,20}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// One edit to a byte string.
#[derive(Clone, Debug)]
enum Edit {
    Xor(usize, u8),
    Set(usize, u8),
    Insert(usize, u8),
    Remove(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(i, x)| Edit::Xor(i, x)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, v)| Edit::Set(i, v)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, v)| Edit::Insert(i, v)),
        any::<usize>().prop_map(Edit::Remove),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len();
        match *e {
            Edit::Xor(i, x) if len > 0 => bytes[i % len] ^= x,
            Edit::Set(i, v) if len > 0 => bytes[i % len] = v,
            Edit::Insert(i, v) => bytes.insert(i % (len + 1), v),
            Edit::Remove(i) if len > 0 => {
                bytes.remove(i % len);
            }
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(input in prop::collection::vec(any::<u8>(), 0..2048)) {
        exercise(&input);
    }

    #[test]
    fn arbitrary_bytes_starting_with_a_sequence(tail in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut input = vec![0x30];
        input.extend(tail);
        let b = exercise(&input);
        prop_assert!(loaded(&b) + b.problems.len() > 0);
    }

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        exercise(s.as_bytes());
    }

    #[test]
    fn pem_like_strings(s in pemish()) {
        exercise(s.as_bytes());
    }

    /// The incremental parser, stepped a few blocks at a time, gives what `parse_bundle` gives.
    #[test]
    fn incremental_parser_matches_parse_bundle(s in pemish(), per_step in 1..4usize) {
        let whole = parse_bundle(s.as_bytes(), "fuzz");
        let mut parser = Parser::new(s.as_bytes(), "fuzz");
        let mut stepped = Bundle::default();
        let mut steps = 0;
        while !parser.step(per_step, &mut stepped) {
            steps += 1;
            prop_assert!(steps <= s.len() + 1, "the parser does not finish");
            let p = parser.progress();
            prop_assert!((0.0..=1.0).contains(&p), "progress {}", p);
        }
        prop_assert_eq!(stepped, whole);
    }

    #[test]
    fn mutated_leaf_der(edits in prop::collection::vec(edit(), 1..8)) {
        let der = apply(leaf_der().to_vec(), &edits);
        exercise(&der);
        // The same bytes behind a PEM armour: the block loads or is a problem at block 1.
        let b = exercise(pem_wrap("CERTIFICATE", &der).as_bytes());
        prop_assert_eq!(loaded(&b) + b.problems.len(), 1, "{:?}", b.problems);
        if let Some(p) = b.problems.first() {
            prop_assert_eq!((p.block, p.line), (1, 1));
        }
    }

    #[test]
    fn truncated_leaf_der(len in 1..3000usize) {
        let full = leaf_der();
        let der = &full[..len % full.len()];
        if !der.is_empty() {
            let b = exercise(der);
            prop_assert!(b.certificates.is_empty(), "a truncated certificate loaded");
            prop_assert!(!b.problems.is_empty());
            let b = exercise(pem_wrap("CERTIFICATE", der).as_bytes());
            prop_assert!(b.certificates.is_empty());
            prop_assert_eq!(b.problems.len(), 1);
        }
    }

    #[test]
    fn mutated_leaf_pem_text(edits in prop::collection::vec(edit(), 1..6)) {
        let pem = apply(leaf_pem().as_bytes().to_vec(), &edits);
        exercise(&pem);
    }

    #[test]
    fn mutated_leaf_in_a_bundle(edits in prop::collection::vec(edit(), 1..6)) {
        // root, mutated leaf, intermediate: the intact blocks still load whatever happens to the leaf.
        let leaf = apply(leaf_der().to_vec(), &edits);
        let text = format!(
            "{}{}{}",
            String::from_utf8(read("chain/root.pem")).unwrap(),
            pem_wrap("CERTIFICATE", &leaf),
            String::from_utf8(read("chain/intermediate.pem")).unwrap()
        );
        let b = exercise(text.as_bytes());
        prop_assert!(b.certificates.len() >= 2);
        prop_assert_eq!(b.certificates.len() + b.problems.len(), 3);
        prop_assert_eq!(&b.certificates[0].subject_dn, "CN=Certwright Test Root CA,O=Certwright Test,C=US");
    }

    /// Chain tools on any selection (with repeats) of real certificates, in any order.
    #[test]
    fn chain_tools_on_real_certificates(picks in prop::collection::vec(0..7usize, 0..12)) {
        let certs: Vec<CertificateInfo> = picks
            .iter()
            .enumerate()
            .map(|(i, &p)| CertificateInfo { index: i, ..real_certs()[p].clone() })
            .collect();
        check_chain_tools(&certs);
        // A present leaf with its intermediate and root always gives the full chain.
        if [0, 1, 2].iter().all(|k| picks.contains(k)) {
            let order = order_chain(&certs);
            prop_assert!(order.chain_len >= 3, "{:?}", order);
        }
    }
}

/// A damaged BEGIN line is reported, not silently skipped (regression: such a file used to give
/// an empty bundle with no problem).
#[test]
fn damaged_begin_line_is_a_problem() {
    let leaf = leaf_pem();
    for broken in [
        leaf.replacen("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE----", 1),
        leaf.replacen("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE", 1),
        leaf.replacen("-----BEGIN CERTIFICATE-----", "-----BEGIN Certificate-----", 1),
        leaf.replacen("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE-FILE-----", 1),
    ] {
        let b = parse_bundle(broken.as_bytes(), "broken.pem");
        assert!(b.certificates.is_empty(), "{broken}");
        assert_eq!(b.problems.len(), 1, "{broken}: {:?}", b.problems);
        let p = &b.problems[0];
        assert_eq!((p.block, p.line), (1, 1));
        assert!(p.message.contains("malformed BEGIN line"), "{}", p.message);
    }
    // A damaged BEGIN line between good blocks: both good blocks load, the damaged one is block 2.
    let root = String::from_utf8(read("chain/root.pem")).unwrap();
    let text = format!("{root}{}{root}", leaf.replacen("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE--", 1));
    let b = parse_bundle(text.as_bytes(), "mixed.pem");
    assert_eq!(b.certificates.len(), 2);
    assert_eq!(b.problems.len(), 1, "{:?}", b.problems);
    assert_eq!(b.problems[0].block, 2);
    assert_eq!(b.problems[0].line, root.lines().count() + 1);
    assert!(b.certificates[1].source.contains("block 3"), "{}", b.certificates[1].source);
}

/// Markers may sit anywhere on a line (one-line PEM, PEM in JSON or after a prompt), so text
/// before BEGIN and base64 right after its dashes load.
#[test]
fn markers_inside_lines_load() {
    let leaf = leaf_pem();
    for variant in [
        leaf.replacen("-----BEGIN CERTIFICATE-----", "x-----BEGIN CERTIFICATE-----", 1),
        leaf.replacen("-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----", 1),
        leaf.replace('\n', " "),
        leaf.replace('\n', ""),
        format!("{{\"pem\":\"{}\"}}", leaf.replace('\n', "\\n")),
    ] {
        let b = parse_bundle(variant.as_bytes(), "inline.pem");
        assert_eq!((b.certificates.len(), b.problems.len()), (1, 0), "{variant}: {:?}", b.problems);
        assert_eq!(b.certificates[0].der, leaf_der());
    }
    // Two one-line blocks on one line.
    let one = leaf.replace('\n', "");
    let b = parse_bundle(format!("{one}{one}").as_bytes(), "inline.pem");
    assert_eq!((b.certificates.len(), b.problems.len()), (2, 0), "{:?}", b.problems);
    assert!(b.certificates[1].source.ends_with("block 2 (line 1)"), "{}", b.certificates[1].source);
}

/// Labels hold only capital letters, digits, spaces and `#`: every label the inspector knows
/// still loads, in upper case.
#[test]
fn every_known_label_loads() {
    let leaf = leaf_pem();
    for label in ["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"] {
        let b = parse_bundle(leaf.replace("CERTIFICATE", label).as_bytes(), "l.pem");
        assert_eq!(b.certificates.len(), 1, "{label}: {:?}", b.problems);
    }
    let crl = String::from_utf8(read("crl/intermediate.crl.pem")).unwrap();
    for label in ["X509 CRL", "CRL"] {
        let b = parse_bundle(crl.replace("X509 CRL", label).as_bytes(), "l.pem");
        assert_eq!(b.crls.len(), 1, "{label}: {:?}", b.problems);
    }
    let p7 = pem_wrap("PKCS7", &read("pkcs7/chain.p7b"));
    for label in ["PKCS7", "CMS", "PKCS #7 SIGNED DATA", "CERTIFICATE CHAIN"] {
        let b = parse_bundle(p7.replace("PKCS7", label).as_bytes(), "l.pem");
        assert!(!b.certificates.is_empty() && b.problems.is_empty(), "{label}: {:?}", b.problems);
    }
}

/// A certificate or CRL version of 0xFFFFFFFF: `version + 1` used to overflow (a panic in debug
/// and fuzz builds, 0 in release). Now the version is widened and the item carries a warning.
#[test]
fn version_overflow_is_a_warning() {
    // Certificate: `[0] { INTEGER 2 }` becomes `[0] { INTEGER 0xFFFFFFFF }`.
    let (outer, _) = tlv(leaf_der());
    let (tbs, rest) = tlv(outer);
    assert_eq!(&tbs[..5], [0xa0, 0x03, 0x02, 0x01, 0x02]);
    let tbs = [&[0xa0, 0x07, 0x02, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff][..], &tbs[5..]].concat();
    let cert = der_seq(&[der_seq(&tbs), rest.to_vec()].concat());
    let b = exercise(&cert);
    assert_eq!(b.certificates.len(), 1, "{:?}", b.problems);
    let c = &b.certificates[0];
    assert_eq!(c.version, 0x1_0000_0000);
    assert!(c.warnings.iter().any(|w| w == "unknown X.509 version 4294967296"), "{:?}", c.warnings);
    exercise(pem_wrap("CERTIFICATE", &cert).as_bytes());

    // CRL: `INTEGER 1` (v2) becomes `INTEGER 0xFFFFFFFF`.
    let crl_der = read("crl/intermediate.crl.der");
    let (outer, _) = tlv(&crl_der);
    let (tbs, rest) = tlv(outer);
    assert_eq!(&tbs[..3], [0x02, 0x01, 0x01]);
    let tbs = [&[0x02, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff][..], &tbs[3..]].concat();
    let crl = der_seq(&[der_seq(&tbs), rest.to_vec()].concat());
    let b = exercise(&crl);
    assert_eq!(b.crls.len(), 1, "{:?}", b.problems);
    assert_eq!(b.crls[0].version, 0x1_0000_0000);
    assert!(b.crls[0].warnings.iter().any(|w| w.contains("unknown CRL version 4294967296")), "{:?}", b.crls[0].warnings);
    exercise(pem_wrap("X509 CRL", &crl).as_bytes());
}

/// The content of the DER element at the start of `der`, and what follows the element.
fn tlv(der: &[u8]) -> (&[u8], &[u8]) {
    let (len, header) = match der[1] {
        l if l < 0x80 => (l as usize, 2),
        l => {
            let n = (l & 0x7f) as usize;
            (der[2..2 + n].iter().fold(0, |a, &b| (a << 8) | b as usize), 2 + n)
        }
    };
    (&der[header..header + len], &der[header + len..])
}

/// A DER SEQUENCE around `content`.
fn der_seq(content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![0x30];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|&b| b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A damaged END line makes the block's body invalid: a problem, not a silent drop.
#[test]
fn damaged_end_line_is_a_problem() {
    let broken = leaf_pem().replacen("-----END CERTIFICATE-----", "-----END CERTIFICATE----", 1);
    let b = parse_bundle(broken.as_bytes(), "broken.pem");
    assert!(b.certificates.is_empty());
    assert_eq!(b.problems.len(), 1, "{:?}", b.problems);
}

#[test]
fn blank_inputs_yield_nothing() {
    for input in ["", " ", "\n\r\n\t ", "\u{00a0}\u{2003}"] {
        assert_eq!(parse_bundle(input.as_bytes(), "blank"), Bundle::default(), "{input:?}");
    }
}

#[test]
fn deeply_nested_ber_does_not_overflow_the_stack() {
    // PKCS#7-shaped input with thousands of nested indefinite-length SEQUENCEs.
    let mut input = vec![0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x80];
    for _ in 0..10_000 {
        input.extend([0x30, 0x80]);
    }
    exercise(&input);
    exercise(pem_wrap("PKCS7", &input).as_bytes());
    let mut definite = Vec::new();
    for _ in 0..5_000 {
        definite = [&[0x30, 0x84][..], &(definite.len() as u32).to_be_bytes(), &definite].concat();
    }
    exercise(&definite);
}
