//! The relay's configuration and its command line.

use std::fmt;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{parse_pem, Certificate, PemItem};

use crate::hosts::{HostPattern, Route};

/// Where the relay's per-request log lines go (one call per line, without a newline).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// The environment variable whose comma-separated patterns are appended to `--allow`.
pub const ALLOW_ENV: &str = "CERTWRIGHT_RELAY_ALLOW";

/// Command-line help.
pub const USAGE: &str = "\
usage: certwright-relay [--listen ADDR] [--dist DIR] [--allow PATTERN]... [--route AUTHORITY=URL]...
                        [--server-name NAME]... [--upstream-ca HOST=FILE]... [--quiet]

Serves the certwright app and relays its vendor API calls on the same origin.

  --listen ADDR          address to listen on (default 127.0.0.1:8080; port 0 picks a free port)
  --dist DIR             serve the built app from DIR (otherwise only /relay/ is served)
  --allow PATTERN        let /relay/ forward to hosts matching PATTERN: host, host:port or
                         *.domain (any subdomain of domain); repeatable. Also read from
                         CERTWRIGHT_RELAY_ALLOW (comma-separated).
  --route AUTHORITY=URL  send requests for AUTHORITY to URL (http:// or https:// origin, e.g. a
                         local emulator) with Host: AUTHORITY; AUTHORITY is then allowed too
  --server-name NAME     also accept relay requests addressed to NAME (the relay otherwise only
                         answers /relay/ for Host: localhost or an IP address, against DNS
                         rebinding); repeatable
  --upstream-ca HOST=FILE
                         also trust the CA certificates in the PEM file FILE (besides the
                         bundled Mozilla roots) when connecting to HOST (host, host:port or
                         *.domain; without a port, any port), e.g. an API behind a private CA;
                         repeatable
  --quiet                do not log relayed requests to stderr (server errors still are)
  -h, --help             show this help
";

/// How to run the relay. Build it with [`Config::from_args`] or by hand (then [`crate::start`]
/// validates it).
#[derive(Clone)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port ([`crate::Running::addr`] tells which).
    pub listen: SocketAddr,
    /// Directory of the built single-page app; `None` serves only `/relay/`.
    pub dist: Option<PathBuf>,
    /// Allowlist patterns (`host`, `host:port`, `*.suffix`, `*.suffix:port`).
    pub allow: Vec<String>,
    /// `(AUTHORITY, URL)` pairs: requests naming AUTHORITY go to the `http://` or `https://`
    /// origin URL instead, with `Host: AUTHORITY`. A routed authority is allowed implicitly.
    pub routes: Vec<(String, String)>,
    /// Host names (besides `localhost` and IP addresses) under which the relay may be addressed.
    pub server_names: Vec<String>,
    /// `(HOST, FILE)` pairs: when connecting over TLS to a host matching HOST (`host`,
    /// `host:port` or `*.domain`; without a port, any port), trust the CA certificates of the PEM
    /// file FILE in addition to the bundled Mozilla (webpki) roots.
    pub upstream_cas: Vec<(String, PathBuf)>,
    /// Do not log relayed requests (when `log` is `None`).
    pub quiet: bool,
    /// Receives one line per relayed request. `None`: stderr, unless `quiet`.
    pub log: Option<LogSink>,
    /// How long a client has to send a complete request head, counted from when the relay starts
    /// waiting for it: on a new connection and between keep-alive requests, so it is also the
    /// idle timeout of a connection waiting for its next request. Default 30 s.
    pub header_timeout: Duration,
    /// A connection on which no byte moves for this long while no request is being handled (a
    /// client that stops reading its response, or sits idle) is closed. Default 60 s.
    pub idle_timeout: Duration,
    /// The most time one request may take, from its head to its response: reading the body and
    /// the upstream call (itself limited to [`crate::UPSTREAM_TIMEOUT`]). Past it the relay answers
    /// `408 /certwright/relay/request-timeout` and closes the connection. Default 120 s.
    pub request_timeout: Duration,
    /// Most connections served at once; further ones wait in the kernel's accept queue (no thread
    /// or memory is spent on them) until one closes. Default 512.
    pub max_connections: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            dist: None,
            allow: Vec::new(),
            routes: Vec::new(),
            server_names: Vec::new(),
            upstream_cas: Vec::new(),
            quiet: false,
            log: None,
            header_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(120),
            max_connections: 512,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("dist", &self.dist)
            .field("allow", &self.allow)
            .field("routes", &self.routes)
            .field("server_names", &self.server_names)
            .field("upstream_cas", &self.upstream_cas)
            .field("quiet", &self.quiet)
            .field("log", &self.log.as_ref().map(|_| "<custom>"))
            .field("header_timeout", &self.header_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

/// The validated form of a [`Config`], shared by the request threads.
pub(crate) struct Compiled {
    pub allow: Vec<HostPattern>,
    pub routes: Vec<Route>,
    pub server_names: Vec<String>,
    /// Canonical path of the dist directory.
    pub dist: Option<PathBuf>,
    pub log: Option<LogSink>,
    pub upstream_cas: Vec<UpstreamCa>,
}

/// An `--upstream-ca`: extra trusted CA certificates for the hosts it matches.
pub(crate) struct UpstreamCa {
    pub pattern: HostPattern,
    /// No port was given: the pattern matches its host on every port.
    pub any_port: bool,
    pub certificates: Vec<Certificate<'static>>,
}

impl UpstreamCa {
    pub fn matches(&self, authority: &crate::hosts::Authority) -> bool {
        if self.any_port {
            let host_only = crate::hosts::Authority { host: authority.host.clone(), port: None };
            self.pattern.matches(&host_only)
        } else {
            self.pattern.matches(authority)
        }
    }
}

/// Reads the CA certificates of an `--upstream-ca` file. Errors name the file and the block,
/// never the file's content (it might hold a private key by mistake).
fn load_ca_file(path: &std::path::Path) -> Result<Vec<Certificate<'static>>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("--upstream-ca {}: {e}", path.display()))?;
    let mut certificates = Vec::new();
    for (index, item) in parse_pem(&bytes).enumerate() {
        match item {
            Ok(PemItem::Certificate(cert)) => certificates.push(cert),
            Ok(_) => {}
            Err(_) => return Err(format!("--upstream-ca {}: PEM block {} is not readable", path.display(), index + 1)),
        }
    }
    if certificates.is_empty() {
        return Err(format!("--upstream-ca {}: no CERTIFICATE block found", path.display()));
    }
    Ok(certificates)
}

impl Config {
    /// Parses the command line (the arguments after the program name), without reading the
    /// environment. `--help` is not handled here (see [`USAGE`]); it is an error like any other
    /// unknown argument would be.
    pub fn from_args(args: impl Iterator<Item = String>) -> Result<Config, String> {
        Config::from_args_and_env(args, None)
    }

    /// [`Config::from_args`], then appends the comma-separated patterns of `allow_env` (the value
    /// of [`ALLOW_ENV`], if set) to `allow`.
    pub fn from_args_and_env(args: impl Iterator<Item = String>, allow_env: Option<&str>) -> Result<Config, String> {
        let mut config = Config::default();
        let mut args = args.peekable();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| -> Result<String, String> {
                match inline.clone() {
                    Some(v) => Ok(v),
                    None => args.next().ok_or_else(|| format!("{name} needs a value")),
                }
            };
            match flag.as_str() {
                "--listen" => {
                    let text = value("--listen")?;
                    config.listen = text
                        .to_socket_addrs()
                        .ok()
                        .and_then(|mut addrs| addrs.next())
                        .ok_or_else(|| format!("--listen {text:?}: expected an address like 127.0.0.1:8080"))?;
                }
                "--dist" => config.dist = Some(PathBuf::from(value("--dist")?)),
                "--allow" => config.allow.push(value("--allow")?),
                "--route" => {
                    let spec = value("--route")?;
                    let (name, url) =
                        spec.split_once('=').ok_or_else(|| format!("--route {spec:?}: expected AUTHORITY=http://HOST:PORT"))?;
                    config.routes.push((name.to_string(), url.to_string()));
                }
                "--server-name" => config.server_names.push(value("--server-name")?),
                "--upstream-ca" => {
                    let spec = value("--upstream-ca")?;
                    let (host, file) = spec.split_once('=').ok_or_else(|| format!("--upstream-ca {spec:?}: expected HOST=FILE.pem"))?;
                    config.upstream_cas.push((host.to_string(), PathBuf::from(file)));
                }
                "--quiet" if inline.is_some() => return Err("--quiet takes no value".to_string()),
                "--quiet" => config.quiet = true,
                other => return Err(format!("unknown argument {other:?} (see --help)")),
            }
        }
        if let Some(env) = allow_env {
            config.allow.extend(env.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string));
        }
        config.compile()?;
        Ok(config)
    }

    /// Validates the configuration.
    pub(crate) fn compile(&self) -> Result<Compiled, String> {
        let allow = self.allow.iter().map(|p| HostPattern::parse(p).map_err(|e| format!("--allow: {e}"))).collect::<Result<Vec<_>, _>>()?;
        let routes = self
            .routes
            .iter()
            .map(|(name, url)| Route::parse(&format!("{name}={url}")).map_err(|e| format!("--route: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let server_names = self
            .server_names
            .iter()
            .map(|name| {
                let name = name.trim().to_ascii_lowercase();
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) {
                    Err(format!("--server-name {name:?}: expected a host name"))
                } else {
                    Ok(name)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let dist = match &self.dist {
            None => None,
            Some(dir) => {
                let canonical = dir.canonicalize().map_err(|e| format!("--dist {}: {e}", dir.display()))?;
                if !canonical.is_dir() {
                    return Err(format!("--dist {}: not a directory", dir.display()));
                }
                Some(canonical)
            }
        };
        let upstream_cas = self
            .upstream_cas
            .iter()
            .map(|(host, file)| {
                let pattern = HostPattern::parse(host).map_err(|e| format!("--upstream-ca: {e}"))?;
                let any_port = !host.trim().trim_start_matches("*.").contains(':') || host.trim().ends_with(']');
                Ok(UpstreamCa { pattern, any_port, certificates: load_ca_file(file)? })
            })
            .collect::<Result<Vec<_>, String>>()?;
        if self.max_connections == 0 {
            return Err("max_connections must be at least 1".to_string());
        }
        let log = match (&self.log, self.quiet) {
            (Some(log), _) => Some(log.clone()),
            (None, true) => None,
            (None, false) => Some(Arc::new(|line: &str| eprintln!("{line}")) as LogSink),
        };
        Ok(Compiled { allow, routes, server_names, dist, log, upstream_cas })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        Config::from_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults() {
        let c = parse(&[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(c.allow.is_empty() && c.routes.is_empty() && c.dist.is_none() && !c.quiet);
    }

    #[test]
    fn full_command_line() {
        let c = Config::from_args_and_env(
            [
                "--listen",
                "127.0.0.1:0",
                "--allow",
                "*.luna.akamaiapis.net",
                "--allow=api.example.com:8443",
                "--route",
                "upstream.test=http://127.0.0.1:9",
                "--server-name",
                "relay.internal",
                "--quiet",
            ]
            .iter()
            .map(|s| s.to_string()),
            Some(" a.test, ,*.b.test "),
        )
        .unwrap();
        assert_eq!(c.listen.port(), 0);
        assert_eq!(c.allow, ["*.luna.akamaiapis.net", "api.example.com:8443", "a.test", "*.b.test"]);
        assert_eq!(c.routes, [("upstream.test".to_string(), "http://127.0.0.1:9".to_string())]);
        assert_eq!(c.server_names, ["relay.internal"]);
        assert!(c.quiet);
    }

    #[test]
    fn errors() {
        let cases: &[(&[&str], &str)] = &[
            (&["--listen"], "--listen needs a value"),
            (&["--listen", "nowhere"], "--listen \"nowhere\""),
            (&["--allow"], "--allow needs a value"),
            (&["--allow", "*"], "invalid host pattern"),
            (&["--allow", "evil.com/x"], "invalid host pattern"),
            (&["--route", "upstream.test"], "expected AUTHORITY=http://HOST:PORT"),
            (&["--route", "upstream.test=ftp://127.0.0.1:1"], "http:// or https://"),
            (&["--route", "upstream.test=127.0.0.1:1"], "http:// or https://"),
            (&["--dist", "/definitely/not/here"], "--dist /definitely/not/here"),
            (&["--server-name", "a/b"], "--server-name"),
            (&["--upstream-ca", "pingfed.corp"], "expected HOST=FILE.pem"),
            (&["--upstream-ca", "pingfed.corp=/definitely/not/here.pem"], "--upstream-ca /definitely/not/here.pem"),
            (&["--upstream-ca", "bad host=/x.pem"], "invalid host pattern"),
            (&["--frobnicate"], "unknown argument \"--frobnicate\""),
            (&["--quiet=yes"], "--quiet takes no value"),
            (&["stray"], "unknown argument \"stray\""),
        ];
        for (args, expected) in cases {
            let err = parse(args).expect_err(&format!("{args:?} should fail"));
            assert!(err.contains(expected), "{args:?}: {err:?} does not contain {expected:?}");
        }
        // A file without certificates (here, a key) is refused without quoting it.
        let dir = std::env::temp_dir().join(format!("certwright-relay-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key = dir.join("key.pem");
        std::fs::write(
            &key,
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ5mVV5gm3ZyVeQ8cEeFFhWHZfCkU0jE8zdM0HmBUUzy\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let err = parse(&["--upstream-ca", &format!("pingfed.corp={}", key.display())]).unwrap_err();
        assert!(err.contains("no CERTIFICATE block"), "{err}");
        assert!(!err.contains("MC4CAQ"), "{err}");
        let garbled = dir.join("garbled.pem");
        std::fs::write(&garbled, "-----BEGIN CERTIFICATE-----\nMC4CAQAwBQYDK2VwBCIEIJ5mVV5gm3Zy!!!\n-----END CERTIFICATE-----\n").unwrap();
        let err = parse(&["--upstream-ca", &format!("pingfed.corp={}", garbled.display())]).unwrap_err();
        assert!(err.contains("PEM block 1 is not readable"), "{err}");
        assert!(!err.contains("MC4CAQ"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);

        let err = Config::from_args_and_env(std::iter::empty(), Some("ok.test,bad pattern")).unwrap_err();
        assert!(err.contains("bad pattern"), "{err}");
    }
}
