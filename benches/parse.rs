//! Native benchmark: parse + SHA-1 + SHA-256 + summary per certificate on a bundle of at least
//! 30,000 certificates (the system trust store repeated; the committed vectors if it is absent).
//! `cargo bench --bench parse` prints criterion's figures and plain `µs per certificate` lines for
//! the full parse (`native:`) and the summary fast path (`native summary:`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const TARGET: usize = 30_000;

/// A PEM bundle of at least 30,000 certificates, and its certificate count.
pub fn big_bundle() -> (Vec<u8>, usize) {
    let base = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt").unwrap_or_else(|_| {
        ["root", "intermediate", "leaf"]
            .iter()
            .map(|n| std::fs::read_to_string(format!("tests/data/chain/{n}.pem")).expect("test vector"))
            .collect()
    });
    let per = base.matches("-----BEGIN CERTIFICATE-----").count().max(1);
    let copies = TARGET.div_ceil(per);
    (base.repeat(copies).into_bytes(), per * copies)
}

fn bench(c: &mut Criterion) {
    let (bundle, count) = big_bundle();
    // One plain measurement first, printed in the unit the README uses.
    let start = std::time::Instant::now();
    let loaded = certwright::pki::parse_bundle(&bundle, "bench").certificates.len();
    let elapsed = start.elapsed();
    assert_eq!(loaded, count, "every certificate of the bundle must load");
    println!(
        "native: {count} certificates in {:.0} ms = {:.2} µs per certificate (parse + SHA-1 + SHA-256 + summary)",
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_secs_f64() * 1e6 / count as f64
    );
    // The summary fast path (`parseCertificateSummaries` in the JS module): same bundle, the
    // table fields only, written as one JSON string.
    let start = std::time::Instant::now();
    let summaries = certwright::pki::summarize_bundle(&bundle, "bench");
    let elapsed = start.elapsed();
    assert_eq!(summaries.len(), count, "every certificate of the bundle must summarize");
    println!(
        "native summary: {count} certificates in {:.0} ms = {:.2} µs per certificate (summarize_bundle: parse + SHA-1 + SHA-256 + summary JSON)",
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_secs_f64() * 1e6 / count as f64
    );
    let mut group = c.benchmark_group("parse_bundle");
    group.sample_size(10);
    group.throughput(Throughput::Elements(count as u64));
    group.bench_function(format!("{count} certificates"), |b| {
        b.iter(|| certwright::pki::parse_bundle(std::hint::black_box(&bundle), "bench"))
    });
    group.bench_function(format!("summaries of {count} certificates"), |b| {
        b.iter(|| certwright::pki::summarize_bundle(std::hint::black_box(&bundle), "bench"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
