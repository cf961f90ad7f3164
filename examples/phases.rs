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
    t("summary per cert (from DER)", &|d| certwright::pki::summarize(d, 0, String::new(), false).map_or(0, |s| s.key_size as usize));
    t("summary bundle per cert (from DER)", &|d| certwright::pki::summarize_bundle(d, "x").len());
    let s = std::time::Instant::now();
    let blocks = certwright::pki::pem::split(&text).len();
    println!("{:40} {:6.2} us/cert", "PEM split + base64", s.elapsed().as_secs_f64() * 1e6 / blocks as f64);
    let s = std::time::Instant::now();
    let all = certwright::pki::summarize_bundle(text.as_bytes(), "x").len();
    println!("{:40} {:6.2} us/cert", "summarize_bundle (PEM text)", s.elapsed().as_secs_f64() * 1e6 / all as f64);
    let s = std::time::Instant::now();
    let all = certwright::pki::parse_bundle(text.as_bytes(), "x").certificates.len();
    println!("{:40} {:6.2} us/cert", "parse_bundle (PEM text)", s.elapsed().as_secs_f64() * 1e6 / all as f64);
}
