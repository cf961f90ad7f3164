//! How PEM scanning and "order as chain" scale on adversarial inputs: the time at n, 2n and 4n,
//! and the ratio to the time at n (linear: about 2 and 4; quadratic: 4 and 16).
//!
//! ```sh
//! cargo run --release --example scaling          # or scripts/bench-scaling.sh
//! cargo run --release --example scaling -- 0.25  # every n times 0.25 (for slow builds)
//! cargo run --release --example scaling -- 1 chain  # only the rows whose name contains `chain`
//! ```
//!
//! Uses only the public API, so it also runs against older versions of the crate.

use std::time::{Duration, Instant};

use certwright::pki::{self, order_chain, parse_bundle, CertificateInfo};

/// Fastest of at least 5 runs and 300 ms of wall time: on a shared machine the fastest run is
/// the one least disturbed by other processes. With `SCALING_RUNS=N`, exactly N runs (for
/// counting instructions under callgrind, which collects inside this function only).
#[inline(never)]
fn time(mut f: impl FnMut()) -> Duration {
    let fixed: Option<u32> = std::env::var("SCALING_RUNS").ok().and_then(|v| v.parse().ok());
    let mut best = Duration::MAX;
    let mut runs = 0;
    let start = Instant::now();
    while match fixed {
        Some(n) => runs < n,
        None => runs < 5 || (start.elapsed() < Duration::from_millis(300) && runs < 100),
    } {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
        runs += 1;
    }
    best
}

/// Times `run` on the input `make` builds for n, 2n and 4n (building it is not timed). Only rows
/// whose name contains the second command-line argument run, if there is one.
fn row<T>(name: &str, n: usize, make: impl Fn(usize) -> T, run: impl Fn(&T, usize)) {
    if std::env::args().nth(2).is_some_and(|only| !name.contains(&only)) {
        return;
    }
    // `SCALING_ONLY_N=1`: only n (the instruction count mode of scripts/bench-scaling.sh).
    let sizes = if std::env::var_os("SCALING_ONLY_N").is_some() { vec![n] } else { vec![n, 2 * n, 4 * n] };
    let times: Vec<Duration> = sizes
        .into_iter()
        .map(|k| {
            let input = make(k);
            time(|| run(&input, k))
        })
        .collect();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    if let [t1, t2, t4] = times[..] {
        println!("| {name} | {n} | {:.2} | {:.2} | {:.2} | {:.1} / {:.1} |", ms(t1), ms(t2), ms(t4), ms(t2) / ms(t1), ms(t4) / ms(t1));
    } else {
        println!("| {name} | {n} | {:.2} |", ms(times[0]));
    }
}

/// A certificate for `order_chain` only: names are 4-byte ids, key identifiers optional.
fn synthetic(
    template: &CertificateInfo,
    index: usize,
    subject: u32,
    issuer: u32,
    ids: (Option<u32>, Option<u32>),
    is_ca: bool,
) -> CertificateInfo {
    let (ski, aki) = ids;
    let der = [subject.to_be_bytes(), issuer.to_be_bytes()].concat();
    CertificateInfo {
        index,
        subject_dn: format!("CN=n{subject}"),
        issuer_dn: format!("CN=n{issuer}"),
        subject_key_identifier: ski.map(|k| format!("{k:08x}")),
        authority_key_identifier: aki.map(|k| format!("{k:08x}")),
        is_ca,
        self_signed: subject == issuer && (ski.is_none() || aki.is_none() || ski == aki),
        sha256_fingerprint: format!("{index:064x}"),
        subject_range: 0..4,
        issuer_range: 4..8,
        der,
        extensions: Vec::new(),
        ..template.clone()
    }
}

/// A chain root → … → leaf of `n` certificates (index 0 is the root), with key identifiers.
fn chain(template: &CertificateInfo, n: usize) -> Vec<CertificateInfo> {
    (0..n)
        .map(|i| {
            let id = i as u32 + 1;
            let parent = if i == 0 { id } else { id - 1 };
            synthetic(template, i, id, parent, (Some(id), Some(parent)), i + 1 < n)
        })
        .collect()
}

fn reindex(mut certs: Vec<CertificateInfo>) -> Vec<CertificateInfo> {
    for (i, c) in certs.iter_mut().enumerate() {
        c.index = i;
    }
    certs
}

/// A fixed pseudo-random permutation (xorshift), so runs are comparable.
fn shuffle<T>(v: &mut [T]) {
    let mut s = 0x2545_f491_4f6c_dd1du64;
    for i in (1..v.len()).rev() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        v.swap(i, (s % (i as u64 + 1)) as usize);
    }
}

fn main() {
    let scale: f64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1.0);
    let n = |base: usize| ((base as f64 * scale) as usize).max(1);
    let leaf_der = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/chain/leaf.der")).unwrap();
    let template = parse_bundle(&leaf_der, "leaf.der").certificates.remove(0);

    println!("| input | n | ms at n | ms at 2n | ms at 4n | × at 2n / 4n |");
    println!("|---|---:|---:|---:|---:|---:|");

    // PEM: n lines of `-----BEGIN CERTIFICATE-----` and nothing else (28 bytes each).
    row(
        "PEM: bare BEGIN lines (parse_bundle)",
        n(16_000),
        |k| "-----BEGIN CERTIFICATE-----\n".repeat(k),
        |text, k| assert_eq!(parse_bundle(text.as_bytes(), "x").problems.len(), k),
    );
    // PEM: BEGIN, three lines of base64-looking junk, no END, repeated.
    row(
        "PEM: BEGIN + junk, no END",
        n(8_000),
        |k| {
            let block = "-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n\
                         4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u\nnot base64 at all -----\n";
            block.repeat(k)
        },
        |text, k| assert_eq!(parse_bundle(text.as_bytes(), "x").problems.len(), k),
    );
    // PEM: all on one line, BEGIN markers back to back.
    row(
        "PEM: one line of BEGIN markers",
        n(16_000),
        |k| "-----BEGIN X509 CRL-----".repeat(k),
        |text, k| assert_eq!(pki::pem::split(text).len(), k),
    );
    // PEM: one block whose body is runs of dashes (every `-----` is a marker candidate).
    row(
        "PEM: one block, body of dash runs",
        n(64_000),
        |k| format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", "------E".repeat(k)),
        |text, _| assert_eq!(pki::pem::split(text).len(), 1),
    );

    // Chains.
    let chain_len = |certs: &Vec<CertificateInfo>, len: usize| assert_eq!(order_chain(certs).chain_len, len);
    row("chain: in order, leaf last (root first)", n(2_000), |k| chain(&template, k), chain_len);
    row(
        "chain: shuffled",
        n(2_000),
        |k| {
            let mut certs = chain(&template, k);
            shuffle(&mut certs);
            reindex(certs)
        },
        chain_len,
    );
    // Many certificates with the same subject: k CAs named "CA" (no key identifiers, so each
    // could have issued each leaf), issued by one root, and k leaves issued by "CA".
    row(
        "chain: k CAs with one subject + k leaves",
        n(1_000),
        |k| {
            let mut certs = vec![synthetic(&template, 0, 1, 1, (None, None), true)];
            for i in 0..k {
                certs.push(synthetic(&template, 0, 2, 1, (None, None), true));
                certs.push(synthetic(&template, 0, 1000 + i as u32, 2, (None, None), false));
            }
            reindex(certs)
        },
        |certs, _| chain_len(certs, 3),
    );
    // A comb: a chain of k (root first) and k leaves all issued by its bottom certificate, so
    // every leaf is a candidate with a chain of length k.
    row(
        "chain: comb (k-chain + k leaves)",
        n(500),
        |k| {
            let mut certs = chain(&template, k);
            let bottom = k as u32;
            for i in 0..k {
                certs.push(synthetic(&template, 0, 10_000_000 + i as u32, bottom, (None, Some(bottom)), false));
            }
            reindex(certs)
        },
        |certs, k| chain_len(certs, k + 1),
    );
}
