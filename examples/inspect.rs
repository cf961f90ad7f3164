//! Prints what certwright's core makes of the files named on the command line, as JSON-ish debug.
//! `cargo run --example inspect -- tests/data/chain/leaf.pem`
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let bundle = certwright::pki::parse_bundle(&bytes, &path);
        for c in &bundle.certificates {
            println!(
                "CERT {} | {} | serial {} | {} .. {} | {} {} {:?} | {} | role {:?} self {} | warnings {:?}",
                c.source,
                c.subject_dn,
                c.serial_number,
                c.valid_from,
                c.expires,
                c.key_algorithm,
                c.key_size,
                c.curve,
                c.signature_algorithm,
                c.role,
                c.self_signed,
                c.warnings
            );
        }
        for c in &bundle.crls {
            println!("CRL {} | {} | v{} | {} | {:?} | {:?}", c.source, c.issuer_dn, c.version, c.this_update, c.revoked, c.warnings);
        }
        for c in &bundle.csrs {
            println!(
                "CSR {} | {} | {} {} | sans {:?} | ku {:?} eku {:?} | valid {} {:?}",
                c.source,
                c.subject_dn,
                c.key_algorithm,
                c.key_size,
                c.subject_alternative_names,
                c.key_usage,
                c.extended_key_usage,
                c.signature_valid,
                c.signature_error
            );
        }
        for p in &bundle.problems {
            println!("PROBLEM {} | {}", p.source, p.message);
        }
    }
}
