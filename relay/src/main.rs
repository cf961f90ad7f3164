//! `certwright-relay`: see the library documentation (`src/lib.rs`) and `--help`.

use std::io::Write;
use std::process::ExitCode;

use certwright_relay::{start, Config, ALLOW_ENV, USAGE};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let allow_env = std::env::var(ALLOW_ENV).ok();
    let config = match Config::from_args_and_env(args.into_iter(), allow_env.as_deref()) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("certwright-relay: {message}");
            eprintln!("Run certwright-relay --help for usage.");
            return ExitCode::from(2);
        }
    };
    let listen = config.listen;
    let running = match start(config) {
        Ok(running) => running,
        Err(e) => {
            eprintln!("certwright-relay: cannot serve on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", running.banner());
    let _ = stdout.flush();
    drop(stdout);
    running.wait();
    ExitCode::SUCCESS
}
