//! Authorities (`host` / `host:port`), allowlist patterns and route targets.
//!
//! Everything here is compared case-insensitively: hosts are lowercased when parsed. A port of 443
//! is the same as no port, because every relayed request goes to `https://` unless it is routed.

use std::fmt;

/// The port a relayed authority without a port means (`https://`).
const DEFAULT_PORT: u16 = 443;

/// A `host` or `host:port` as named in a relay URL or on the command line; the host is lowercased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authority {
    /// Lowercased DNS name, IPv4 address, or bracketed IPv6 address (`[::1]`).
    pub host: String,
    /// The explicit port, if one was given.
    pub port: Option<u16>,
}

impl Authority {
    /// Parses `host` or `host:port`. Returns `None` for anything else: empty hosts or labels,
    /// characters outside letters, digits, `-`, `_` and `.`, user info (`@`), percent-escapes,
    /// paths, and ports that are not 1..=65535.
    pub fn parse(text: &str) -> Option<Authority> {
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let end = rest.find(']')?;
            let inner = &rest[..end];
            if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
                return None;
            }
            let after = &rest[end + 1..];
            let port = match after {
                "" => None,
                _ => Some(parse_port(after.strip_prefix(':')?)?),
            };
            (format!("[{}]", inner.to_ascii_lowercase()), port)
        } else {
            let (host, port) = match text.rsplit_once(':') {
                Some((host, port)) => (host, Some(parse_port(port)?)),
                None => (text, None),
            };
            if !valid_name(host) {
                return None;
            }
            (host.to_ascii_lowercase(), port)
        };
        Some(Authority { host, port })
    }

    /// The port this authority names for `https://`: its own, or 443.
    fn effective_port(&self) -> u16 {
        self.port.unwrap_or(DEFAULT_PORT)
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{}", self.host, port),
            None => f.write_str(&self.host),
        }
    }
}

fn parse_port(text: &str) -> Option<u16> {
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|&p| p != 0)
}

/// A DNS name or IPv4 address: dot-separated non-empty labels of `[A-Za-z0-9_-]`.
fn valid_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty() && label.len() <= 63 && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// One allowlist entry: `host`, `host:port`, `*.suffix` or `*.suffix:port`.
///
/// - `host` matches exactly that host on port 443 (written with or without `:443`).
/// - `host:port` matches exactly that host and port.
/// - `*.suffix` matches any host that ends in `.suffix` with at least one more label
///   (`a.suffix`, `a.b.suffix`), but never `suffix` itself and never `suffix.evil.com`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPattern {
    wildcard: bool,
    /// The exact host, or for a wildcard the suffix without the leading `*.`.
    host: String,
    port: Option<u16>,
}

impl HostPattern {
    /// Parses a pattern; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<HostPattern, String> {
        let trimmed = text.trim();
        let (wildcard, rest) = match trimmed.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let bad = || format!("invalid host pattern {trimmed:?}: expected host, host:port, *.domain or *.domain:port");
        if rest.contains('*') {
            return Err(bad());
        }
        let authority = Authority::parse(rest).ok_or_else(bad)?;
        if wildcard && authority.host.starts_with('[') {
            return Err(bad());
        }
        Ok(HostPattern { wildcard, host: authority.host, port: authority.port })
    }

    /// Whether `authority` is covered by this pattern.
    pub fn matches(&self, authority: &Authority) -> bool {
        if self.port.unwrap_or(DEFAULT_PORT) != authority.effective_port() {
            return false;
        }
        if self.wildcard {
            authority.host.len() > self.host.len() + 1
                && authority.host.ends_with(&self.host)
                && authority.host.as_bytes()[authority.host.len() - self.host.len() - 1] == b'.'
        } else {
            authority.host == self.host
        }
    }

    /// Convenience for [`HostPattern::matches`] on an unparsed authority; `false` if it does not
    /// parse.
    pub fn matches_str(&self, authority: &str) -> bool {
        Authority::parse(authority).is_some_and(|a| self.matches(&a))
    }
}

impl fmt::Display for HostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.wildcard {
            f.write_str("*.")?;
        }
        f.write_str(&self.host)?;
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        Ok(())
    }
}

/// `--route AUTHORITY=URL`: requests naming `AUTHORITY` go to `URL`'s origin instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The authority the browser names (matched like an exact [`HostPattern`]).
    pub authority: HostPattern,
    /// `http://host[:port]` or `https://host[:port]`, without a trailing slash.
    pub origin: String,
}

impl Route {
    /// Parses `AUTHORITY=URL`, where URL is an `http://` or `https://` origin (a trailing `/` is
    /// accepted; a longer path, a query, user info or any other scheme is not).
    pub fn parse(spec: &str) -> Result<Route, String> {
        let (name, target) = spec.split_once('=').ok_or_else(|| format!("invalid route {spec:?}: expected AUTHORITY=http://HOST:PORT"))?;
        let name = name.trim();
        if name.starts_with("*.") {
            return Err(format!("invalid route {spec:?}: the authority must be a single host, not a pattern"));
        }
        let authority = HostPattern::parse(name).map_err(|e| format!("invalid route {spec:?}: {e}"))?;
        let target = target.trim();
        let (scheme, rest) = if let Some(rest) = target.strip_prefix("http://") {
            ("http", rest)
        } else if let Some(rest) = target.strip_prefix("https://") {
            ("https", rest)
        } else {
            return Err(format!("invalid route {spec:?}: the target must start with http:// or https://"));
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let target_authority = Authority::parse(rest).ok_or_else(|| {
            format!("invalid route {spec:?}: the target must be an origin like http://127.0.0.1:8443 (no path, query or user info)")
        })?;
        Ok(Route { authority, origin: format!("{scheme}://{target_authority}") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> HostPattern {
        HostPattern::parse(text).unwrap()
    }

    #[test]
    fn wildcard_matches_deeper_subdomains_only() {
        let p = pattern("*.luna.akamaiapis.net");
        assert!(p.matches_str("akab-x.luna.akamaiapis.net"));
        assert!(p.matches_str("AKAB-X.Luna.AkamaiApis.NET"));
        assert!(p.matches_str("a.b.luna.akamaiapis.net"));
        assert!(p.matches_str("akab-x.luna.akamaiapis.net:443"));
        assert!(!p.matches_str("luna.akamaiapis.net"));
        assert!(!p.matches_str("luna.akamaiapis.net.evil.com"));
        assert!(!p.matches_str("akab-x.luna.akamaiapis.net.evil.com"));
        assert!(!p.matches_str("evil.com"));
        assert!(!p.matches_str("xluna.akamaiapis.net"));
        assert!(!p.matches_str("akab-x.luna.akamaiapis.net:8443"));
        assert!(!p.matches_str("user@akab-x.luna.akamaiapis.net"));
        assert!(!p.matches_str("akab-x.luna.akamaiapis.net."));
        assert!(!p.matches_str("akab-x%2eluna.akamaiapis.net"));
    }

    #[test]
    fn exact_and_port_patterns() {
        let p = pattern("api.example.com");
        assert!(p.matches_str("api.example.com"));
        assert!(p.matches_str("API.example.com:443"));
        assert!(!p.matches_str("api.example.com:8443"));
        assert!(!p.matches_str("x.api.example.com"));
        assert!(!p.matches_str("api.example.com.evil.com"));

        let p = pattern("127.0.0.1:9000");
        assert!(p.matches_str("127.0.0.1:9000"));
        assert!(!p.matches_str("127.0.0.1"));
        assert!(!p.matches_str("127.0.0.1:9001"));

        let p = pattern("*.example.com:8443");
        assert!(p.matches_str("a.example.com:8443"));
        assert!(!p.matches_str("a.example.com"));

        assert_eq!(pattern(" *.Luna.AkamaiAPIs.net ").to_string(), "*.luna.akamaiapis.net");
        assert_eq!(pattern("[::1]:8080").to_string(), "[::1]:8080");
    }

    #[test]
    fn bad_patterns_are_refused() {
        for bad in [
            "",
            "*",
            "*.",
            "**.a.com",
            "*a.com",
            "a.*.com",
            "a..com",
            ".a.com",
            "a.com.",
            "a.com:",
            "a.com:0",
            "a.com:65536",
            "a.com:x",
            "a b.com",
            "user@a.com",
            "a.com/x",
            "http://a.com",
            "*.[::1]",
        ] {
            assert!(HostPattern::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn authorities() {
        assert_eq!(Authority::parse("Host.Test:8080"), Some(Authority { host: "host.test".into(), port: Some(8080) }));
        assert_eq!(Authority::parse("[::1]"), Some(Authority { host: "[::1]".into(), port: None }));
        for bad in ["", ":80", "a.com:", "[::1", "[]", "a@b", "a%2eb", "a/b", "a?b", "[::1]x"] {
            assert_eq!(Authority::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn routes() {
        let r = Route::parse("upstream.test=http://127.0.0.1:9999/").unwrap();
        assert_eq!(r.origin, "http://127.0.0.1:9999");
        assert!(r.authority.matches_str("upstream.test"));
        assert!(Route::parse("upstream.test").is_err());
        assert!(Route::parse("upstream.test=ftp://127.0.0.1:1").is_err());
        assert!(Route::parse("upstream.test=http://127.0.0.1:1/path").is_err());
        assert!(Route::parse("upstream.test=http://user@127.0.0.1:1").is_err());
        assert!(Route::parse("*.test=http://127.0.0.1:1").is_err());
        assert!(Route::parse("=http://127.0.0.1:1").is_err());
    }
}
