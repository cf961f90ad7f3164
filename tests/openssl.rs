//! Cross-check against the `openssl` CLI: for every certificate of the system trust store,
//! of the certifi (Mozilla) bundle and of `tests/data`, certwright and `openssl x509` must agree on
//! the SHA-1 and SHA-256 fingerprints, the serial number, notBefore/notAfter, the key size, the
//! signature algorithm and the version.
//!
//! Needs the `openssl` CLI, `/etc/ssl/certs/ca-certificates.crt` and the certifi bundle (found with
//! `python3 -c "import certifi; print(certifi.where())"`, or named by `CERTIFI_BUNDLE`). If any is
//! missing the test FAILS; set `CERTWRIGHT_SKIP_OPENSSL=1` to skip it on purpose.
//! Nothing here touches the network.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, spawns openssl

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use certwright::pki::{parse_bundle, CertificateInfo};

const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// Files openssl refuses to load (see tests/data/README.md); everything else in tests/data that
/// holds certificates is checked.
const OPENSSL_REFUSES: [&str; 2] = ["pem/rfc1421-headers.pem", "odd/non-minimal-serial.pem"];

/// Writes to the real stderr, bypassing libtest's output capture, so the line shows in a plain
/// `cargo test` run.
fn notice(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Runs openssl with `args`, feeding `stdin`; returns stdout, or why it failed.
fn openssl(args: &[&str], stdin: &[u8]) -> Result<String, String> {
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `openssl {}`: {e}", args.join(" ")))?;
    // Inputs are a few kB, well under a pipe buffer, and openssl reads all of it before writing.
    child.stdin.take().unwrap().write_all(stdin).map_err(|e| format!("writing to openssl: {e}"))?;
    let out = child.wait_with_output().map_err(|e| format!("waiting for openssl: {e}"))?;
    if !out.status.success() {
        return Err(format!("`openssl {}` failed ({}): {}", args.join(" "), out.status, String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// PEM blocks of `text` (BEGIN line through END line), with their labels. Deliberately simple and
/// independent of certwright's PEM reader.
fn pem_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        let l = line.trim();
        if let Some(label) = l.strip_prefix("-----BEGIN ").and_then(|r| r.strip_suffix("-----")) {
            current = Some((label.to_string(), format!("{l}\n")));
        } else if let Some((label, mut block)) = current.take() {
            block.push_str(l);
            block.push('\n');
            if l.starts_with("-----END ") {
                blocks.push((label, block));
            } else {
                current = Some((label, block));
            }
        }
    }
    blocks
}

fn is_cert_label(label: &str) -> bool {
    matches!(label, "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE")
}

/// One certificate to compare: what to feed `openssl x509`, and what certwright made of it.
struct Job {
    what: String,
    input: Vec<u8>,
    der_input: bool,
    cert: CertificateInfo,
}

/// Lowercase hex without leading zeros, keeping a `-` sign.
fn normalize_serial(s: &str) -> String {
    let s = s.trim().to_ascii_lowercase();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", s.as_str()),
    };
    let digits = digits.trim_start_matches('0');
    format!("{sign}{}", if digits.is_empty() { "0" } else { digits })
}

/// `Jan  1 00:00:00 2025 GMT` (openssl's default `-dates` format) to `2025-01-01T00:00:00Z`.
fn openssl_default_date_to_iso(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [mon, day, time, year, "GMT"] = parts.as_slice() else {
        return None;
    };
    let month = MONTHS.iter().position(|m| m == mon)? + 1;
    let day: u32 = day.parse().ok()?;
    Some(format!("{year}-{month:02}-{day:02}T{time}Z"))
}

/// `2025-01-01 00:00:00Z` (`-dateopt iso_8601`) to `2025-01-01T00:00:00Z`.
fn openssl_iso_date_to_iso(s: &str) -> Option<String> {
    let (date, time) = s.trim().split_once(' ')?;
    Some(format!("{date}T{time}"))
}

fn field<'a>(out: &'a str, prefix: &str) -> Option<&'a str> {
    out.lines().find_map(|l| l.strip_prefix(prefix)).map(str::trim)
}

/// `Public-Key: (2048 bit)` in `-text` output.
fn text_key_bits(text: &str) -> Option<u32> {
    let i = text.find("Public-Key: (")? + "Public-Key: (".len();
    let rest = &text[i..];
    rest[..rest.find(" bit)")?].parse().ok()
}

fn fingerprint_hex(out: &str, prefix_ci: &str) -> Option<String> {
    out.lines().find_map(|l| {
        let (name, value) = l.split_once('=')?;
        name.eq_ignore_ascii_case(prefix_ci).then(|| value.trim().replace(':', "").to_ascii_lowercase())
    })
}

/// Compares one certificate with openssl; returns the disagreements.
fn check(job: &Job, iso_dates: bool) -> Vec<String> {
    let mut errors = Vec::new();
    let c = &job.cert;
    let inform: &[&str] = if job.der_input { &["-inform", "DER"] } else { &[] };
    let mut args: Vec<&str> = vec!["x509", "-noout", "-serial", "-dates", "-fingerprint", "-sha256", "-text"];
    if iso_dates {
        args.extend(["-dateopt", "iso_8601"]);
    }
    args.extend(inform);
    let out = match openssl(&args, &job.input) {
        Ok(o) => o,
        Err(e) => return vec![format!("{}: {e}", job.what)],
    };
    let differ = |errors: &mut Vec<String>, what: &str, ours: &str, theirs: Option<String>| {
        if theirs.as_deref() != Some(ours) {
            errors.push(format!("{}: {what}: certwright {ours:?}, openssl {theirs:?}", job.what));
        }
    };
    differ(&mut errors, "SHA-256 fingerprint", &c.sha256_fingerprint, fingerprint_hex(&out, "sha256 Fingerprint"));
    differ(&mut errors, "serial", &normalize_serial(&c.serial_number), field(&out, "serial=").map(normalize_serial));
    let date = |s: &str| if iso_dates { openssl_iso_date_to_iso(s) } else { openssl_default_date_to_iso(s) };
    differ(&mut errors, "notBefore", &c.valid_from, field(&out, "notBefore=").and_then(date));
    differ(&mut errors, "notAfter", &c.expires, field(&out, "notAfter=").and_then(date));
    match text_key_bits(&out) {
        Some(bits) => differ(&mut errors, "key size", &c.key_size.to_string(), Some(bits.to_string())),
        None if matches!(c.key_algorithm.as_str(), "RSA" | "EC" | "DSA") => differ(&mut errors, "key size", &c.key_size.to_string(), None),
        None => {}
    }
    differ(&mut errors, "signature algorithm", &c.signature_algorithm, field(&out, "    Signature Algorithm: ").map(str::to_string));
    differ(
        &mut errors,
        "version",
        &c.version.to_string(),
        field(&out, "        Version: ").and_then(|v| v.split(' ').next()).map(str::to_string),
    );

    let mut args = vec!["x509", "-noout", "-fingerprint", "-sha1"];
    args.extend(inform);
    match openssl(&args, &job.input) {
        Ok(out) => differ(&mut errors, "SHA-1 fingerprint", &c.sha1_fingerprint, fingerprint_hex(&out, "sha1 Fingerprint")),
        Err(e) => errors.push(format!("{}: {e}", job.what)),
    }
    errors
}

/// Jobs for a PEM bundle: every certificate block, paired with certwright's certificate.
fn bundle_jobs(path: &Path, tag: &str, errors: &mut Vec<String>) -> Vec<Job> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let text = String::from_utf8_lossy(&bytes);
    let blocks: Vec<(String, String)> = pem_blocks(&text).into_iter().filter(|(l, _)| is_cert_label(l)).collect();
    let bundle = parse_bundle(&bytes, &path.display().to_string());
    if !bundle.problems.is_empty() {
        errors.push(format!("{tag}: certwright reports problems: {:?}", bundle.problems));
    }
    if bundle.certificates.len() != blocks.len() {
        errors.push(format!("{tag}: {} certificate blocks but certwright loaded {} certificates", blocks.len(), bundle.certificates.len()));
        return Vec::new();
    }
    blocks
        .into_iter()
        .zip(bundle.certificates)
        .enumerate()
        .map(|(i, ((_, block), cert))| Job {
            what: format!("{tag} certificate {} ({})", i + 1, cert.subject_dn),
            input: block.into_bytes(),
            der_input: false,
            cert,
        })
        .collect()
}

/// Jobs for every certificate-holding file of tests/data that openssl can load.
fn vector_jobs(errors: &mut Vec<String>) -> Vec<Job> {
    let dir = data_dir();
    let mut files = Vec::new();
    for sub in ["chain", "pem", "pkcs7", "xss", "odd"] {
        for entry in std::fs::read_dir(dir.join(sub)).expect("tests/data subdirectory") {
            files.push(format!("{sub}/{}", entry.unwrap().file_name().to_string_lossy()));
        }
    }
    files.sort();
    let mut jobs = Vec::new();
    for rel in files.iter().filter(|f| !OPENSSL_REFUSES.contains(&f.as_str())) {
        let path = dir.join(rel);
        let bytes = std::fs::read(&path).unwrap();
        let certs = parse_bundle(&bytes, rel).certificates;
        // What openssl sees in the file: (input for `openssl x509`, is DER).
        let inputs: Vec<(Vec<u8>, bool)> = if rel.ends_with(".der") {
            vec![(bytes.clone(), true)]
        } else if rel.starts_with("pkcs7/") {
            // openssl's own PKCS#7 reader extracts the certificates (the `CMS` label is the same
            // DER; `openssl pkcs7` only knows the `PKCS7` label).
            let (input, inform): (Vec<u8>, &[&str]) = if rel.ends_with(".p7b") {
                (bytes.clone(), &["-inform", "DER"])
            } else {
                (String::from_utf8_lossy(&bytes).replace("CMS-----", "PKCS7-----").into_bytes(), &[])
            };
            let mut args = vec!["pkcs7", "-print_certs"];
            args.extend(inform);
            match openssl(&args, &input) {
                Ok(out) => pem_blocks(&out).into_iter().map(|(_, b)| (b.into_bytes(), false)).collect(),
                Err(e) => {
                    errors.push(format!("{rel}: {e}"));
                    continue;
                }
            }
        } else {
            // Keep the blocks openssl itself loads (malformed-middle.pem and bad-base64.pem each
            // hold one block that is not a certificate; certwright reports those as problems).
            pem_blocks(&String::from_utf8_lossy(&bytes))
                .into_iter()
                .filter(|(label, _)| is_cert_label(label))
                .filter(|(_, b)| openssl(&["x509", "-noout"], b.as_bytes()).is_ok())
                .map(|(_, b)| (b.into_bytes(), false))
                .collect()
        };
        if inputs.len() != certs.len() {
            errors.push(format!("{rel}: openssl loads {} certificates, certwright {}", inputs.len(), certs.len()));
            continue;
        }
        for (i, ((input, der_input), cert)) in inputs.into_iter().zip(certs).enumerate() {
            jobs.push(Job { what: format!("tests/data/{rel} certificate {}", i + 1), input, der_input, cert });
        }
    }
    jobs
}

fn certifi_bundle() -> PathBuf {
    if let Some(p) = std::env::var_os("CERTIFI_BUNDLE").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let out = Command::new("python3")
        .args(["-c", "import certifi; print(certifi.where())"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 to locate the certifi bundle ({e}); set CERTIFI_BUNDLE=/path/to/cacert.pem, or CERTWRIGHT_SKIP_OPENSSL=1 to skip this test"));
    assert!(
        out.status.success(),
        "python3 cannot import certifi ({}); `pip install certifi`, set CERTIFI_BUNDLE=/path/to/cacert.pem, or CERTWRIGHT_SKIP_OPENSSL=1 to skip this test",
        String::from_utf8_lossy(&out.stderr).trim()
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

#[test]
fn openssl_agrees_on_every_certificate() {
    if std::env::var("CERTWRIGHT_SKIP_OPENSSL").as_deref() == Ok("1") {
        notice("NOTICE: CERTWRIGHT_SKIP_OPENSSL=1: the openssl cross-check (tests/openssl.rs) was SKIPPED");
        return;
    }
    let version = openssl(&["version"], b"").unwrap_or_else(|e| {
        panic!("the openssl CLI is required for this test ({e}); install it, or set CERTWRIGHT_SKIP_OPENSSL=1 to skip")
    });
    // `-dateopt iso_8601` exists since OpenSSL 3.0; older versions get their default format converted.
    let help = Command::new("openssl").args(["x509", "-help"]).output().expect("openssl x509 -help");
    let iso_dates =
        String::from_utf8_lossy(&help.stderr).contains("-dateopt") || String::from_utf8_lossy(&help.stdout).contains("-dateopt");

    let system = Path::new(SYSTEM_BUNDLE);
    assert!(
        system.is_file(),
        "{SYSTEM_BUNDLE} is missing (Debian package `ca-certificates`); install it, or set CERTWRIGHT_SKIP_OPENSSL=1 to skip this test"
    );
    let certifi = certifi_bundle();
    assert!(
        certifi.is_file(),
        "the certifi bundle {} does not exist; set CERTIFI_BUNDLE, or CERTWRIGHT_SKIP_OPENSSL=1 to skip this test",
        certifi.display()
    );

    let mut errors = Vec::new();
    let system_jobs = bundle_jobs(system, "system", &mut errors);
    let certifi_jobs = bundle_jobs(&certifi, "certifi", &mut errors);
    let vector_jobs = vector_jobs(&mut errors);
    let counts = (system_jobs.len(), certifi_jobs.len(), vector_jobs.len());
    assert!(counts.0 >= 50, "only {} certificates in {SYSTEM_BUNDLE}", counts.0);
    assert!(counts.1 >= 50, "only {} certificates in {}", counts.1, certifi.display());
    assert!(counts.2 >= 30, "only {} certificates from tests/data", counts.2);

    let jobs: Vec<Job> = system_jobs.into_iter().chain(certifi_jobs).chain(vector_jobs).collect();
    let next = AtomicUsize::new(0);
    let found = Mutex::new(errors);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let errs = check(job, iso_dates);
                if !errs.is_empty() {
                    found.lock().unwrap().extend(errs);
                }
            });
        }
    });
    let errors = found.into_inner().unwrap();
    assert!(
        errors.is_empty(),
        "{} disagreements with {}:\n{}",
        errors.len(),
        version.trim(),
        errors.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
    notice(&format!("openssl agreement: {} system + {} certifi + {} vectors ({})", counts.0, counts.1, counts.2, version.trim()));
}

#[test]
fn date_and_serial_helpers() {
    assert_eq!(openssl_default_date_to_iso("Jan  1 00:00:00 2025 GMT").as_deref(), Some("2025-01-01T00:00:00Z"));
    assert_eq!(openssl_default_date_to_iso("Dec 31 23:59:59 2049 GMT").as_deref(), Some("2049-12-31T23:59:59Z"));
    assert_eq!(openssl_iso_date_to_iso("1965-01-01 00:00:00Z").as_deref(), Some("1965-01-01T00:00:00Z"));
    assert_eq!(normalize_serial("00AB"), "ab");
    assert_eq!(normalize_serial("-01"), "-1");
    assert_eq!(normalize_serial("00"), "0");
    assert_eq!(text_key_bits("        Public-Key: (2048 bit)\n"), Some(2048));
    assert_eq!(
        pem_blocks("x\n-----BEGIN A-----\r\nQUJD\r\n-----END A-----\ny"),
        [("A".to_string(), "-----BEGIN A-----\nQUJD\n-----END A-----\n".to_string())]
    );
}
