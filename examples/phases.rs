use sha2::Digest;
use x509_parser::nom::Parser;
use x509_parser::prelude::*;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let ders: Vec<Vec<u8>> = certwright::pki::pem::split(&text).into_iter().filter_map(|b| b.der.ok()).collect();
    let n = ders.len() as f64;
    let t = |name: &str, f: &dyn Fn(&[u8]) -> usize| {
        let mut best = f64::MAX;
        for _ in 0..3 {
            let s = std::time::Instant::now();
            let mut acc = 0;
            for d in &ders {
                acc += f(d);
            }
            std::hint::black_box(acc);
            best = best.min(s.elapsed().as_secs_f64() * 1e6 / n);
        }
        println!("{name:40} {best:6.2} us/cert");
    };
    t("hashes sha1+sha256", &|d| (sha1::Sha1::digest(d)[0] as usize) + sha2::Sha256::digest(d)[0] as usize);
    t("x509-parser deep", &|d| X509Certificate::from_der(d).map(|(_, c)| c.tbs_certificate.extensions().len()).unwrap_or(0));
    t("x509-parser shallow", &|d| {
        X509CertificateParser::new()
            .with_deep_parse_extensions(false)
            .parse(d)
            .map(|(_, c)| c.tbs_certificate.extensions().len())
            .unwrap_or(0)
    });
    t("der walk", &|d| certwright::pki::der_violation_for_bench(d));
    t("full bundle per cert (from DER)", &|d| certwright::pki::parse_bundle(d, "x").certificates.len());
}
