//! No secret in any message: private keys pasted in every shape (multi-line, one line, JSON with
//! literal `\n`, truncated, damaged markers, wrong labels, DER, bare base64), of every kind
//! (PKCS#8 RSA and EC, encrypted PKCS#8, PKCS#1 RSA, SEC1 EC), go through every path that can
//! see them: Inspect (`parse_bundle`, also in slices, and the whole serialized result, which is
//! what the UI and `parseBundle` show), `pem::split`, and key import (`PrivateKey::import`, which
//! `importPrivateKey` and the Keys tab call). No message may contain a 16-character run of the
//! key's base64, nor a 16-byte run of its DER in hex, nor its password.
//!
//! The keys that should load (one-line and JSON-escaped PEM) must also import as the same key.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use base64::Engine as _;
use certwright::pki::{self, parse_bundle, Bundle, Kdf, Parser, PrivateKey};

const PASSWORD: &str = "correct horse battery";

fn read(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// A private key of one kind, as PEM, with what identifies it.
struct Key {
    kind: &'static str,
    label: &'static str,
    pem: String,
    /// The base64 of the DER, without line breaks.
    b64: String,
    der: Vec<u8>,
    /// SPKI of the key (to check that a variant that loads is the same key).
    spki: Vec<u8>,
}

fn key(kind: &'static str, pem: String, spki: Vec<u8>) -> Key {
    let block = pki::pem::split(&pem).remove(0);
    let der = block.der.expect("a valid PEM key");
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let label = match block.label.as_str() {
        "PRIVATE KEY" => "PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY" => "ENCRYPTED PRIVATE KEY",
        "RSA PRIVATE KEY" => "RSA PRIVATE KEY",
        "EC PRIVATE KEY" => "EC PRIVATE KEY",
        other => panic!("unexpected label {other}"),
    };
    Key { kind, label, pem, b64, der, spki }
}

fn keys() -> Vec<Key> {
    use p256::pkcs8::DecodePrivateKey as _;
    use rsa::pkcs1::EncodeRsaPrivateKey as _;
    let rsa_pem = read("keys/csr-rsa.key.pem");
    let ec_pem = read("keys/csr-ec.key.pem");
    let rsa_key = PrivateKey::import(rsa_pem.as_bytes(), None).unwrap();
    let ec_key = PrivateKey::import(ec_pem.as_bytes(), None).unwrap();
    let rsa_spki = rsa_key.public_key_der().unwrap();
    let ec_spki = ec_key.public_key_der().unwrap();
    let pkcs1 = rsa::RsaPrivateKey::from_pkcs8_pem(&rsa_pem).unwrap().to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
    let sec1 = p256::SecretKey::from_pkcs8_pem(&ec_pem).unwrap().to_sec1_pem(p256::pkcs8::LineEnding::LF).unwrap();
    let kdf = Kdf::Pbkdf2Sha256 { iterations: 1000 };
    let encrypted = ec_key.to_encrypted_pkcs8_pem(PASSWORD, kdf, &mut rand_core::OsRng).unwrap();
    let encrypted_rsa = rsa_key.to_encrypted_pkcs8_pem(PASSWORD, kdf, &mut rand_core::OsRng).unwrap();
    vec![
        key("PKCS#8 RSA", rsa_pem, rsa_spki.clone()),
        key("PKCS#8 EC", ec_pem, ec_spki.clone()),
        key("encrypted PKCS#8 EC", encrypted, ec_spki.clone()),
        key("encrypted PKCS#8 RSA", encrypted_rsa, rsa_spki.clone()),
        key("PKCS#1 RSA", pkcs1.to_string(), rsa_spki),
        key("SEC1 EC", sec1.to_string(), ec_spki),
    ]
}

/// Does `message` contain any 16-character run of `b64`, any 16-byte run of `der` in hex (either
/// case), or the password? Returns the first run found.
fn leaked_run(message: &str, key: &Key) -> Option<String> {
    let b64 = key.b64.as_bytes();
    for w in b64.windows(16) {
        let w = std::str::from_utf8(w).unwrap();
        if message.contains(w) {
            return Some(w.to_string());
        }
    }
    let lower = message.to_ascii_lowercase().replace([':', ' '], "");
    for w in key.der.windows(16) {
        let hex: String = w.iter().map(|b| format!("{b:02x}")).collect();
        if lower.contains(&hex) {
            return Some(hex);
        }
    }
    message.contains(PASSWORD).then(|| PASSWORD.to_string())
}

#[track_caller]
fn assert_clean(message: &str, key: &Key, what: &str) {
    if let Some(run) = leaked_run(message, key) {
        panic!("{} / {what}: the message shows key material {run:?}:\n{message}", key.kind);
    }
    // Messages about a private-key block never quote its label either (only fixed texts do,
    // such as "no PRIVATE KEY block").
    let quoted_label = format!("`{}`", key.label);
    assert!(!message.contains(&quoted_label), "{} / {what}: the message quotes the label:\n{message}", key.kind);
}

/// The variants of one key, with whether each should import as that key.
fn variants(key: &Key) -> Vec<(String, Vec<u8>, bool)> {
    let pem = key.pem.trim_end();
    let label = key.label;
    let b64 = &key.b64;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let json = pem.replace('\n', "\\n");
    let half = |s: &str| s[..s.len() / 2].to_string();
    let lines: Vec<&str> = pem.lines().collect();
    let mut garbled = key.pem.clone();
    garbled.replace_range(begin.len() + 20..begin.len() + 21, "*");
    let mut v: Vec<(&str, String, bool)> = vec![
        ("multi-line", key.pem.clone(), true),
        ("CRLF", key.pem.replace('\n', "\r\n"), true),
        ("one line, spaces", format!("{begin} {b64} {end}"), true),
        ("one line, no spaces", format!("{begin}{b64}{end}"), true),
        ("one line, 64-column chunks", lines.join(" "), true),
        ("JSON \\n", format!("{{\"private_key\": \"{json}\\n\"}}"), true),
        ("JSON \\r\\n", format!("\"{}\"", pem.replace('\n', "\\r\\n")), true),
        ("JSON, doubly escaped", pem.replace('\n', "\\\\n"), true),
        ("JSON, escaped slashes", json.replace('/', "\\/"), true),
        ("JSON, \\u002B", json.replace('+', "\\u002B"), true),
        ("env var with quotes", format!("PRIVATE_KEY='{json}'"), true),
        ("truncated", half(pem), false),
        ("truncated one line", half(&format!("{begin} {b64} {end}")), false),
        ("truncated JSON", half(&json), false),
        ("truncated body with END", format!("{}\n{end}\n", lines[..lines.len() / 2].join("\n")), false),
        ("end cut off the END line", pem[..pem.len() - 3].to_string(), false),
        ("body cut mid-line", format!("{}\n{end}\n", &pem[..pem.len() / 2]), false),
        ("BEGIN without closing dashes", pem.replacen(&format!("{begin}\n"), &format!("-----BEGIN {label} "), 1), false),
        ("one line, BEGIN without closing dashes", format!("-----BEGIN {label} {b64} {end}"), false),
        ("one line, BEGIN with four dashes", format!("-----BEGIN {label}----{b64}{end}"), false),
        ("lower-case label", pem.to_lowercase(), false),
        ("END damaged", pem.replace(&end, &end[..end.len() - 1]), false),
        ("one line, END damaged", format!("{begin} {b64} -----END {label} {b64}"), false),
        ("END label differs", pem.replace(&end, "-----END CERTIFICATE-----"), false),
        ("BEGIN label differs", pem.replace(&begin, "-----BEGIN CERTIFICATE-----"), false),
        ("labelled CERTIFICATE", pem.replace(label, "CERTIFICATE"), false),
        ("labelled X509 CRL", pem.replace(label, "X509 CRL"), false),
        ("labelled NEW CERTIFICATE REQUEST", pem.replace(label, "NEW CERTIFICATE REQUEST"), false),
        ("labelled PKCS7", pem.replace(label, "PKCS7"), false),
        ("labelled OPENSSH PRIVATE KEY", pem.replace(label, "OPENSSH PRIVATE KEY"), false),
        ("label with the key in it", format!("-----BEGIN {label} {}-----\n{b64}\n{end}\n", b64.to_uppercase()), false),
        ("garbled character", garbled, false),
        ("JSON, unknown escape", json.replacen("\\n", "\\q", 2), false),
        ("bare base64", b64.clone(), false),
        ("bare base64, wrapped", lines[1..lines.len() - 1].join("\n"), false),
        ("two keys, the first damaged", format!("{}\n{}", half(pem), key.pem), false),
        (
            "Proc-Type header",
            pem.replacen(&format!("{begin}\n"), &format!("{begin}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\n"), 1),
            false,
        ),
    ];
    // A damaged first key followed by a good one is the good one (import takes the first
    // private-key block, which is the damaged one: it must fail, without echo).
    v.retain(|(name, _, _)| !name.is_empty());
    let mut out: Vec<(String, Vec<u8>, bool)> = v.into_iter().map(|(n, t, ok)| (n.to_string(), t.into_bytes(), ok)).collect();
    out.push(("DER".into(), key.der.clone(), true));
    out.push(("truncated DER".into(), key.der[..key.der.len() / 2].to_vec(), false));
    out
}

/// Every message Inspect produces for `input`, and the whole result as JSON (what the UI and the
/// JS module's `parseBundle` show).
fn inspect_messages(input: &[u8]) -> Vec<String> {
    let bundle = parse_bundle(input, "paste");
    let mut out: Vec<String> = bundle.problems.iter().flat_map(|p| [p.source.clone(), p.message.clone()]).collect();
    out.push(serde_json::to_string(&bundle).unwrap());
    out.push(format!("{bundle:?}"));
    // The same in slices of one block, as the app parses.
    let mut sliced = Bundle::default();
    let mut parser = Parser::new(input, "paste");
    while !parser.step(1, &mut sliced) {}
    assert_eq!(sliced, bundle);
    out
}

/// Every message key import gives for `input`, with no password, the right one and a wrong one.
/// With `should_load`, also checks that `input` imports as `key` (given its password).
fn import_messages(input: &[u8], key: &Key, should_load: bool, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for password in [None, Some(PASSWORD), Some("wrong password")] {
        match PrivateKey::import(input, password) {
            Ok(k) => {
                assert_eq!(k.public_key_der().unwrap(), key.spki, "{} / {name}: a different key", key.kind);
                out.push(format!("{k:?}"));
            }
            Err(e) => {
                let needs_password = key.kind.starts_with("encrypted") && password != Some(PASSWORD);
                assert!(!should_load || needs_password, "{} / {name} with {password:?}: does not import: {e}", key.kind);
                out.push(e.to_string());
                out.push(format!("{e:?}"));
            }
        }
    }
    out
}

#[test]
fn no_message_shows_private_key_material() {
    let mut checked = 0;
    for key in keys() {
        for (name, input, should_load) in variants(&key) {
            let mut messages = inspect_messages(&input);
            // Loading is checked by the next test; here only the messages count.
            let _ = should_load;
            messages.extend(import_messages(&input, &key, false, &name));
            if let Ok(text) = std::str::from_utf8(&input) {
                for block in pki::pem::split(text) {
                    let debug = format!("{block:?}");
                    assert!(!debug.contains("[48,"), "Debug shows the bytes: {debug}");
                    messages.push(debug);
                    if let Err(e) = block.der {
                        messages.push(e);
                    }
                }
            }
            for m in &messages {
                assert_clean(m, &key, &name);
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked}");
}

/// One-line, JSON-escaped and DER keys import as the same key, of every kind.
#[test]
fn keys_import_from_one_line_and_json() {
    for key in keys() {
        for (name, input, should_load) in variants(&key) {
            if should_load {
                import_messages(&input, &key, true, &name);
            }
        }
    }
}

/// What Inspect says about each: one problem that names a private-key block, nothing loaded.
#[test]
fn inspect_skips_private_keys_in_any_shape_with_one_fixed_problem() {
    for key in keys() {
        for (name, input, should_load) in variants(&key) {
            if !should_load || name == "DER" {
                continue;
            }
            let b = parse_bundle(&input, "paste");
            assert!(b.certificates.is_empty() && b.crls.is_empty() && b.csrs.is_empty(), "{} / {name}", key.kind);
            assert_eq!(b.problems.len(), 1, "{} / {name}: {:?}", key.kind, b.problems);
            assert_eq!(
                b.problems[0].message, "a private key block was skipped: the inspector loads certificates, CRLs and CSRs only",
                "{} / {name}",
                key.kind
            );
        }
    }
}

/// The label that used to swallow the key: `-----BEGIN PRIVATE KEY----- MIIE… -----END PRIVATE
/// KEY-----` on one line made the label run to the last dashes, and the "no END line" message
/// quoted it whole. Now the one-line key loads, and a damaged one is described without echo.
#[test]
fn one_line_key_is_not_a_label() {
    let key = &keys()[0];
    let one_line = format!("-----BEGIN PRIVATE KEY----- {} -----END PRIVATE KEY-----", key.b64);
    let blocks = pki::pem::split(&one_line);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].label, "PRIVATE KEY");
    assert_eq!(blocks[0].der.as_deref(), Ok(&key.der[..]));
    let cut = &one_line[..one_line.len() - 30];
    let blocks = pki::pem::split(cut);
    assert_eq!(blocks[0].der, Err("no END line after the BEGIN line of a private-key block".to_string()));
    let err = PrivateKey::import(cut.as_bytes(), None).unwrap_err().to_string();
    assert_eq!(err, "not a private key: no END line after the BEGIN line of a private-key block");
}
