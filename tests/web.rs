//! wasm-bindgen tests in headless Chromium: the PKI core compiled to wasm, the JS module's
//! exports, and the Leptos app mounted in a real DOM.
//! Run: `cargo test --target wasm32-unknown-unknown --features js-api --test web`
//! (CHROMEDRIVER=/usr/bin/chromedriver; scripts/test.sh does it).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const BUNDLE: &str = include_str!("data/chain/bundle-shuffled.pem");
const MALFORMED: &str = include_str!("data/pem/malformed-middle.pem");
const P7B: &[u8] = include_bytes!("data/pkcs7/chain.p7b");
// From tests/data/README.md (openssl x509 -fingerprint -sha256).
const ROOT_SHA256: &str = "12c893a0298c2aa2b58c499c6c80eab29e5c36de25bbca29bb5c71325c6c7efe";

#[wasm_bindgen_test]
fn core_parses_in_wasm_like_natively() {
    let b = certwright::pki::parse_bundle(BUNDLE.as_bytes(), "bundle");
    assert_eq!(b.certificates.len(), 4);
    assert!(b.certificates.iter().any(|c| c.sha256_fingerprint == ROOT_SHA256));
    let order = certwright::pki::order_chain(&b.certificates);
    assert_eq!(order.chain_len, 3);
    let p7 = certwright::pki::parse_bundle(P7B, "chain.p7b");
    assert_eq!(p7.certificates.len(), 3);
    assert!(p7.problems.is_empty());
}

#[wasm_bindgen_test]
fn js_api_returns_plain_objects_and_problems_as_data() {
    let result = certwright::js::parse_certificates(MALFORMED.into(), Some("mm.pem".into()));
    let certs = js_sys::Reflect::get(&result, &"certificates".into()).unwrap();
    let certs: js_sys::Array = certs.dyn_into().unwrap();
    assert_eq!(certs.length(), 2);
    let first = certs.get(0);
    let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap();
    assert_eq!(get(&first, "sha256Fingerprint").as_string().as_deref(), Some(ROOT_SHA256));
    assert_eq!(get(&first, "subjectDN").as_string().as_deref(), Some("CN=Certwright Test Root CA,O=Certwright Test,C=US"));
    assert_eq!(get(&first, "role").as_string().as_deref(), Some("root"));
    assert!(get(&first, "curve").is_null(), "absent values are null, not undefined");
    let problems: js_sys::Array = get(&result, "problems").dyn_into().unwrap();
    assert_eq!(problems.length(), 1);
    assert_eq!(get(&problems.get(0), "source").as_string().as_deref(), Some("mm.pem, block 2 (line 22)"));
    // Bytes work too, and a wrong type is a problem, not an exception.
    let bytes = js_sys::Uint8Array::from(P7B);
    assert_eq!(certwright::js::count_certificates(bytes.into()), 3);
    let bad = certwright::js::parse_certificates(42.into(), None);
    let problems: js_sys::Array = get(&bad, "problems").dyn_into().unwrap();
    assert_eq!(problems.length(), 1);
}

#[wasm_bindgen_test]
fn simd_fingerprints_equal_the_sha_crates_in_wasm() {
    use sha2::Digest;
    // The four-lane SIMD128 path (crates/pki/src/digest.rs) only runs in wasm: every length
    // around the block and padding boundaries, 1-3 KB, and batches of 1 to 9 mixed lengths.
    let bytes =
        |len: usize, seed: usize| -> Vec<u8> { (0..len).map(|i| (i.wrapping_mul(31) ^ seed.wrapping_mul(131) ^ (i >> 7)) as u8).collect() };
    let mut lengths: Vec<usize> = (0..=300).collect();
    lengths.extend([511, 512, 513, 1000, 1024, 1300, 1855, 1856, 2048, 2049, 3000, 3072]);
    let messages: Vec<Vec<u8>> = lengths.iter().map(|&n| bytes(n, n)).collect();
    let expected = |m: &[u8]| -> certwright::pki::Fingerprint { (sha1::Sha1::digest(m).into(), sha2::Sha256::digest(m).into()) };
    let all: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    let got = certwright::pki::fingerprints(&all);
    for (m, g) in all.iter().zip(&got) {
        assert_eq!(*g, expected(m), "length {}", m.len());
    }
    let pool = [0usize, 55, 56, 64, 119, 120, 1300, 2900, 3, 640, 1855, 1];
    for size in 1..=9 {
        for start in 0..pool.len() {
            let batch: Vec<Vec<u8>> = (0..size).map(|k| bytes(pool[(start + 3 * k) % pool.len()], k)).collect();
            let refs: Vec<&[u8]> = batch.iter().map(Vec::as_slice).collect();
            let want: Vec<_> = refs.iter().map(|m| expected(m)).collect();
            assert_eq!(certwright::pki::fingerprints(&refs), want, "batch of {size} from {start}");
        }
    }
    // And a committed certificate against openssl's fingerprint (tests/data/README.md).
    let summaries = certwright::pki::summarize_bundle(BUNDLE.as_bytes(), "bundle");
    assert!(summaries.certificates_json.contains(ROOT_SHA256));
}

async fn wait_for(mut check: impl FnMut() -> bool) -> bool {
    for _ in 0..200 {
        if check() {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    false
}

#[wasm_bindgen_test]
async fn app_loads_pasted_text_into_the_table() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    // The app shows the page its URL names: open it at Inspect's.
    web_sys::window().unwrap().history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/inspect")).unwrap();
    let _mounted = leptos::mount::mount_to(host.clone().unchecked_into(), certwright::ui::App);

    let textarea: web_sys::HtmlTextAreaElement = document.get_element_by_id("paste").unwrap().unchecked_into();
    textarea.set_value(BUNDLE);
    textarea.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    let buttons = host.query_selector_all("button").unwrap();
    let load = (0..buttons.length())
        .filter_map(|i| buttons.get(i))
        .find(|b| b.text_content().as_deref() == Some("Load pasted text"))
        .expect("a Load pasted text button");
    load.unchecked_into::<web_sys::HtmlElement>().click();

    let count = || host.query_selector("[data-testid=cert-count]").unwrap().and_then(|e| e.text_content());
    assert!(wait_for(|| count().as_deref() == Some("4")).await, "count is {:?}", count());
    let rows = host.query_selector_all("[data-testid=cert-row]").unwrap();
    assert_eq!(rows.length(), 4);
    let detail = host.query_selector("[data-testid=subject-dn]").unwrap().and_then(|e| e.text_content());
    assert_eq!(detail.as_deref(), Some("CN=example.com,O=Certwright Test,C=US"));
}

#[wasm_bindgen_test]
async fn keys_generate_through_webcrypto_and_the_fallback_in_the_browser() {
    use certwright::pki::{CsrParams, KeyAlgorithm, PrivateKey, SubjectFields};
    let key = certwright::webcrypto::generate(KeyAlgorithm::P256).await.expect("WebCrypto P-256");
    assert_eq!(key.describe(), "P-256");
    // The Rust fallback draws randomness from the browser (getrandom's `js` feature).
    let fallback = PrivateKey::generate(KeyAlgorithm::P384, &mut rand_core::OsRng).unwrap();
    assert_eq!(fallback.describe(), "P-384");
    // Encrypted PKCS#8 (scrypt) round-trips in wasm.
    let pem = key.to_encrypted_pkcs8_pem("a passphrase", certwright::pki::Kdf::Scrypt { log_n: 10 }, &mut rand_core::OsRng).unwrap();
    let again = PrivateKey::import(pem.as_bytes(), Some("a passphrase")).unwrap();
    assert_eq!(again.public_key_der().unwrap(), key.public_key_der().unwrap());
    // A CSR signed in wasm verifies with the inspector.
    let params = CsrParams { subject: SubjectFields { common_name: "wasm.example".into(), ..Default::default() }, ..Default::default() };
    let der = params.build(&key).unwrap();
    assert!(certwright::pki::parse_bundle(&der, "csr").csrs[0].signature_valid);
}

#[wasm_bindgen_test]
async fn rsa_signatures_from_webcrypto_equal_the_rust_path_and_verify_with_the_rsa_crate() {
    use certwright::pki::{HashAlgorithm, PrivateKey};
    use rsa::pkcs8::DecodePublicKey;
    use sha2::Digest;
    let key = PrivateKey::import(include_bytes!("data/keys/csr-rsa.key.pem"), None).unwrap();
    let public = rsa::RsaPublicKey::from_public_key_der(&key.public_key_der().unwrap()).unwrap();
    let message = b"to-be-signed bytes of a CSR or certificate";
    for hash in [HashAlgorithm::Sha256, HashAlgorithm::Sha384, HashAlgorithm::Sha512] {
        let signer = certwright::webcrypto::rsa_signer(&key, hash).await.expect("WebCrypto imports the RSA key");
        assert_eq!(signer.hash(), hash);
        let signature = signer.sign(message).await.unwrap();
        // PKCS#1 v1.5 is deterministic: WebCrypto and the rsa crate give the same bytes.
        assert_eq!(signature, key.sign(hash, message).unwrap(), "{hash:?}");
        let (scheme, digest) = match hash {
            HashAlgorithm::Sha256 => (rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), sha2::Sha256::digest(message).to_vec()),
            HashAlgorithm::Sha384 => (rsa::Pkcs1v15Sign::new::<sha2::Sha384>(), sha2::Sha384::digest(message).to_vec()),
            HashAlgorithm::Sha512 => (rsa::Pkcs1v15Sign::new::<sha2::Sha512>(), sha2::Sha512::digest(message).to_vec()),
        };
        public.verify(scheme, &digest, &signature).expect("the WebCrypto signature verifies with the rsa crate");
        let mut tampered = signature.clone();
        tampered[10] ^= 1;
        assert!(public.verify(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &sha2::Sha256::digest(message), &tampered).is_err());
    }
    // EC keys are not RSA: no WebCrypto RSA signer, the caller keeps the Rust path.
    let ec = PrivateKey::generate(certwright::pki::KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
    assert!(certwright::webcrypto::rsa_signer(&ec, HashAlgorithm::Sha256).await.is_none());
    // A key WebCrypto cannot read is refused with a message that does not quote it.
    let err = certwright::webcrypto::RsaSigner::import(b"not a key at all", HashAlgorithm::Sha256).await.err().unwrap();
    assert_eq!(err, "WebCrypto refused the RSA key");
}

#[wasm_bindgen_test]
async fn csrs_certificates_and_crls_signed_through_webcrypto_equal_the_rust_path_and_verify() {
    use certwright::pki::{self, CertParams, CertSubject, CsrParams, HashAlgorithm, Issuer, PrivateKey, Revocation, SubjectFields};
    use certwright::webcrypto::{sign_tbs, SignedBy};
    let key = PrivateKey::import(include_bytes!("data/keys/csr-rsa.key.pem"), None).unwrap();
    let subject = |cn: &str| SubjectFields { common_name: cn.into(), ..Default::default() };
    for hash in [HashAlgorithm::Sha256, HashAlgorithm::Sha384, HashAlgorithm::Sha512] {
        // A CSR: WebCrypto signs, and the bytes are the Rust path's (PKCS#1 v1.5 is deterministic).
        let params = CsrParams { subject: subject("webcrypto.example"), hash, ..Default::default() };
        let tbs = params.prepare(&key).unwrap();
        let (der, by) = sign_tbs(&tbs, &key).await.unwrap();
        assert_eq!(by, SignedBy::WebCrypto, "{hash:?}");
        assert_eq!(der, params.build(&key).unwrap(), "{hash:?}");
        assert!(pki::parse_bundle(&der, "csr").csrs[0].signature_valid);

        // A self-signed CA certificate, then a CRL it signs.
        let ca = CertParams {
            subject: subject("WebCrypto CA"),
            key_usage: vec!["keyCertSign".into(), "cRLSign".into()],
            is_ca: true,
            not_before: 1_767_225_600,
            not_after: 1_767_225_600 + 86_400 * 365,
            hash,
            ..Default::default()
        };
        let tbs = pki::prepare_certificate(&ca, CertSubject::Key(&key), None, [7; 20]).unwrap();
        let (cert, by) = sign_tbs(&tbs, &key).await.unwrap();
        assert_eq!(by, SignedBy::WebCrypto);
        assert_eq!(cert, pki::issue_certificate(&ca, CertSubject::Key(&key), None, [7; 20]).unwrap());
        let info = &pki::parse_bundle(&cert, "ca").certificates[0];
        assert!(info.warnings.iter().all(|w| !w.contains("signature")), "{:?}", info.warnings);

        let issuer = Issuer { certificate: &cert, key: &key };
        let revoked = [Revocation { serial_hex: "01a2".into(), revoked_at: 1_767_225_600, reason: Some("keyCompromise".into()) }];
        let tbs = pki::prepare_crl(issuer, &revoked, 1_767_225_600, 1_767_225_600 + 86_400, 1, hash).unwrap();
        let (crl, by) = sign_tbs(&tbs, &key).await.unwrap();
        assert_eq!(by, SignedBy::WebCrypto);
        assert_eq!(crl, pki::issue_crl(issuer, &revoked, 1_767_225_600, 1_767_225_600 + 86_400, 1, hash).unwrap());
        assert_eq!(pki::parse_bundle(&crl, "crl").crls.len(), 1);
    }

    // ECDSA keys stay on the Rust path.
    let ec = PrivateKey::import(include_bytes!("data/keys/csr-ec.key.pem"), None).unwrap();
    let tbs = CsrParams { subject: subject("ec.example"), ..Default::default() }.prepare(&ec).unwrap();
    let (der, by) = sign_tbs(&tbs, &ec).await.unwrap();
    assert_eq!(by, SignedBy::Wasm);
    assert!(pki::parse_bundle(&der, "csr").csrs[0].signature_valid);

    // The wrong key for what was prepared: nothing is assembled, whichever path signed.
    let other = PrivateKey::import(include_bytes!("data/keys/root.key.pem"), None).unwrap();
    let tbs = CsrParams { subject: subject("x.example"), ..Default::default() }.prepare(&key).unwrap();
    let errors = sign_tbs(&tbs, &other).await.unwrap_err();
    assert_eq!(errors[0].field, "signature", "{errors:?}");

    // RSA-2048 CSR signing time: WebCrypto (import + sign, as the app does) against the rsa crate.
    let tbs = CsrParams { subject: subject("timing.example"), ..Default::default() }.prepare(&key).unwrap();
    let now = || js_sys::Date::now();
    let runs = 50;
    let start = now();
    for _ in 0..runs {
        assert_eq!(sign_tbs(&tbs, &key).await.unwrap().1, SignedBy::WebCrypto);
    }
    let webcrypto_ms = (now() - start) / runs as f64;
    let start = now();
    for _ in 0..runs {
        tbs.sign(&key).unwrap();
    }
    let wasm_ms = (now() - start) / runs as f64;
    // Of which WebCrypto's sign alone (the key imported once).
    let signer = certwright::webcrypto::rsa_signer(&key, HashAlgorithm::Sha256).await.unwrap();
    let start = now();
    for _ in 0..runs {
        signer.sign(tbs.tbs_der()).await.unwrap();
    }
    let sign_only_ms = (now() - start) / runs as f64;
    console_log!(
        "RSA CSR signing ({}): sign_tbs through WebCrypto {webcrypto_ms:.2} ms (WebCrypto sign alone {sign_only_ms:.2} ms), wasm {wasm_ms:.2} ms per CSR",
        key.describe()
    );
}
