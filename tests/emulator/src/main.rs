//! `certwright-emulator [--listen 127.0.0.1:9461] [--edgerc FILE] [--section NAME]
//! [--activation-ms N] [--retry-after-s N] [--openai-admin-key KEY] [--vendor NAME]`
//!
//! Serves the emulated vendor APIs on loopback until killed. The Akamai credentials come from an
//! `.edgerc` file (default: `tests/data/vendors/akamai/emulator.edgerc`, fake credentials for
//! the host `emulator.akamai.test`); OpenAI accepts the admin key given (repeatable; default
//! `sk-admin-emulator-0000000000000000`, fake) as `Authorization: Bearer`. `--vendor NAME`
//! (`akamai`, `openai`, `mattr`, `pingfederate`, `segura`) serves that one vendor whatever the
//! `Host`, for clients that call `http://127.0.0.1:PORT` directly (the JS module's tests in Node).
//! `--listen 127.0.0.1:0` picks a free port; the first line printed names the address.

use std::process::ExitCode;

use certwright::vendors::akamai::edgegrid::Credentials;
use certwright_emulator::{start, Config};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("certwright-emulator: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut config = Config::new(9461, Vec::new());
    let mut edgerc = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/vendors/akamai/emulator.edgerc").to_owned();
    let mut section = "default".to_owned();
    let mut custom_openai_key = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => config.listen = value()?.parse().map_err(|e| format!("--listen: {e}"))?,
            "--edgerc" => edgerc = value()?,
            "--section" => section = value()?,
            "--activation-ms" => config.activation_ms = value()?.parse().map_err(|e| format!("--activation-ms: {e}"))?,
            "--retry-after-s" => config.retry_after_s = value()?.parse().map_err(|e| format!("--retry-after-s: {e}"))?,
            "--openai-admin-key" => {
                if !custom_openai_key {
                    config.openai_admin_keys.clear();
                    custom_openai_key = true;
                }
                config.openai_admin_keys.push(value()?);
            }
            "--vendor" => {
                let name = value()?;
                if !certwright_emulator::VENDOR_NAMES.contains(&name.as_str()) {
                    return Err(format!("--vendor {name:?}: one of {}", certwright_emulator::VENDOR_NAMES.join(", ")));
                }
                config.only_vendor = Some(name);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if !config.listen.ip().is_loopback() {
        return Err(format!("--listen {}: the emulator listens on loopback only", config.listen));
    }
    let text = std::fs::read_to_string(&edgerc).map_err(|e| format!("{edgerc}: {e}"))?;
    let creds = Credentials::from_edgerc(&text, &section).map_err(|e| format!("{edgerc}: {e}"))?;
    let host = creds.host.clone();
    config.credentials.push(creds);
    let only = config.only_vendor.clone();
    let running = start(config).map_err(|e| format!("cannot listen: {e}"))?;
    if let Some(name) = only {
        println!("certwright-emulator: only {name}, whatever the Host, on http://{}/", running.addr());
        running.wait();
        return Ok(());
    }
    println!(
        "certwright-emulator: Akamai mTLS Edge Truststore for host {host}, OpenAI (api.openai.com, *.openai.test), MATTR (*.mattr.global, *.mattr.test), PingFederate ({}), Segura (*.segura.test, *.senhasegura.test), on http://{}/",
        certwright_emulator::pingfederate::PINGFEDERATE_HOST,
        running.addr()
    );
    running.wait();
    Ok(())
}
