//! Akamai EdgeGrid `EG1-HMAC-SHA256` request signing, as Akamai's Go signer does it
//! (`docs/vendors/akamai.md`). The results are checked against Akamai's Python reference,
//! edgegrid-python (see `tests/edgegrid.rs` and `tests/edgegrid_reference.py`).
//!
//! This module is plain Rust with no browser or network code. It turns credentials and a
//! request into the value of the `Authorization` header. Sending the request is someone else's
//! job, and the request must go out exactly as it was signed: the same method, the same
//! `path_and_query` bytes (no re-encoding) and, for `POST`, the same body.
//!
//! The algorithm, for one request:
//! 1. `timestamp`: UTC `yyyyMMdd'T'HH:mm:ss+0000` ([`timestamp`]).
//! 2. `nonce`: a fresh random UUID v4 ([`new_nonce`]).
//! 3. `authPrefix` = `EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;`.
//! 4. `relativeUrl` = the path, plus `?query` if the query is not empty. `accountSwitchKey` must
//!    already be in the query ([`add_account_switch_key`]).
//! 5. `canonicalHeaders`: `name:value` for each header named in `headers_to_sign` that the
//!    request carries, joined with tabs (see [`Credentials::headers_to_sign`]).
//! 6. `contentHash` = `base64(SHA-256(body[..min(len, max_body)]))`, only for `POST` with a
//!    non-empty body. Empty for every other method: `PUT` bodies are not hashed.
//! 7. `dataToSign` = `METHOD \t https \t host \t relativeUrl \t canonicalHeaders \t contentHash
//!    \t authPrefix` ([`data_to_sign`]). Every tab stays even when its field is empty.
//! 8. `signingKey` = `base64(HMAC-SHA256(client_secret, timestamp))` ([`signing_key`]).
//! 9. `signature` = `base64(HMAC-SHA256(signingKey as text, dataToSign))`.
//! 10. `Authorization: authPrefix + "signature=" + signature` ([`authorization_header`]).
//!
//! ```
//! use certwright::vendors::akamai::edgegrid::{self, Credentials, Request};
//!
//! let edgerc = "\
//! [default]
//! host = akab-example.luna.akamaiapis.net
//! client_token = akab-client-token
//! client_secret = c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0cw==
//! access_token = akab-access-token
//! ";
//! let creds = Credentials::from_edgerc(edgerc, "default")?;
//! let path = edgegrid::add_account_switch_key("/mtls-edge-truststore/v2/ca-sets", "1-ABC:1-DEF");
//! assert_eq!(path, "/mtls-edge-truststore/v2/ca-sets?accountSwitchKey=1-ABC%3A1-DEF");
//! let request = Request { method: "GET", path_and_query: &path, headers: &[], body: b"" };
//! let timestamp = edgegrid::timestamp(1_754_387_136); // normally the current Unix time
//! assert_eq!(timestamp, "20250805T09:45:36+0000");
//! let nonce = edgegrid::new_nonce()?;
//! let authorization = edgegrid::authorization_header(&creds, &request, &timestamp, &nonce);
//! assert!(authorization.starts_with("EG1-HMAC-SHA256 client_token=akab-client-token;"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac as _};
use sha2::{Digest as _, Sha256};
use zeroize::{Zeroize as _, Zeroizing};

use crate::vendors::request::percent_encode;

type HmacSha256 = Hmac<Sha256>;

/// The authentication scheme that starts every EdgeGrid `Authorization` header.
pub const AUTH_SCHEME: &str = "EG1-HMAC-SHA256";

/// How much of a `POST` body is hashed when the credentials do not say otherwise: 131072 bytes.
pub const DEFAULT_MAX_BODY: usize = 131_072;

/// The query parameter that makes a request act on another account (multi-account customers).
pub const ACCOUNT_SWITCH_KEY_PARAM: &str = "accountSwitchKey";

const REDACTED: &str = "[redacted]";

/// EdgeGrid API client credentials: one section of an `.edgerc` file.
///
/// `Debug` shows `host`, `max_body` and `headers_to_sign` but redacts the two tokens and the
/// secret. Nothing in this module puts them in an error message either.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The API host, bare: `akab-….luna.akamaiapis.net`, without `https://` or a trailing `/`.
    /// ([`Credentials::from_edgerc`] strips both; signing ignores them too.)
    pub host: String,
    /// `client_token`: identifies the API client. Sent in the clear in every header.
    pub client_token: String,
    /// `client_secret`: the HMAC key. Never sent anywhere.
    pub client_secret: String,
    /// `access_token`: identifies the grant. Sent in the clear in every header.
    pub access_token: String,
    /// How many leading bytes of a `POST` body are hashed (`max_body`, default
    /// [`DEFAULT_MAX_BODY`]). The rest of a longer body is sent but not covered by the signature.
    pub max_body: usize,
    /// Names of request headers to sign; normally empty, and best left so.
    ///
    /// Names are compared case-insensitively and signed lower-cased, sorted by name (as the spec
    /// and Akamai's Go signer do; edgegrid-python keeps the order of this list instead, which
    /// only matters if you list two or more headers out of alphabetical order). A header named
    /// here but absent from the request is skipped. Values are trimmed and each run of
    /// whitespace becomes one space; their case is kept (edgegrid-python and Node keep it,
    /// the Go signer lower-cases it).
    pub headers_to_sign: Vec<String>,
}

impl Credentials {
    /// Credentials with the default `max_body` ([`DEFAULT_MAX_BODY`]) and no headers to sign.
    pub fn new(
        host: impl Into<String>,
        client_token: impl Into<String>,
        client_secret: impl Into<String>,
        access_token: impl Into<String>,
    ) -> Credentials {
        Credentials {
            host: host.into(),
            client_token: client_token.into(),
            client_secret: client_secret.into(),
            access_token: access_token.into(),
            max_body: DEFAULT_MAX_BODY,
            headers_to_sign: Vec::new(),
        }
    }

    /// Reads the credentials of `[section]` (usually `default`) from the text of an `.edgerc`
    /// file.
    ///
    /// The format is the INI dialect Akamai's tools read:
    /// - `[name]` starts a section (a comment may follow). Section names are case-sensitive.
    /// - `key = value` or `key: value`, with any whitespace around the separator. Keys are
    ///   case-insensitive and `-` counts as `_` (`max-body` is `max_body`). Values run to the end
    ///   of the line; one pair of matching surrounding quotes is removed.
    /// - Lines starting with `#` or `;` are comments, and so is the rest of a line after
    ///   whitespace followed by `#` or `;` (tokens, secrets and hosts never contain whitespace).
    /// - Blank lines, `\r\n` line ends and a leading byte-order mark are fine.
    ///
    /// Required: `host`, `client_token`, `client_secret`, `access_token`. Optional: `max_body`
    /// (a positive number of bytes, default [`DEFAULT_MAX_BODY`]) and `headers_to_sign`
    /// (comma-separated header names). Other keys, such as `account_key`, are ignored. A
    /// `https://` prefix and trailing `/` on `host` are removed.
    ///
    /// # Errors
    /// A missing section, a missing or empty required key, a key given twice in the section, a
    /// bad `max_body` or `host`, or a line that is neither a section header, a `key = value`
    /// pair inside a section, a comment nor blank. Errors name the section, the key or the line
    /// number, never a value read from the file (except the host-name part of an invalid `host`).
    pub fn from_edgerc(text: &str, section: &str) -> Result<Credentials, EdgercError> {
        let wanted = section.trim();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut found = false;
        let mut current: Option<&str> = None;
        let mut values: [Option<String>; KEYS.len()] = Default::default();

        for (index, raw_line) in text.lines().enumerate() {
            let line_number = index + 1;
            let line = raw_line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                let Some((name, after)) = rest.split_once(']') else {
                    return Err(EdgercError::MalformedLine { line: line_number });
                };
                let after = after.trim_start();
                if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
                    return Err(EdgercError::MalformedLine { line: line_number });
                }
                let name = name.trim();
                if name == wanted {
                    if found {
                        return Err(EdgercError::DuplicateSection { section: wanted.to_owned() });
                    }
                    found = true;
                }
                current = Some(name);
                continue;
            }
            let Some(split) = line.find(['=', ':']) else {
                return Err(EdgercError::MalformedLine { line: line_number });
            };
            let key = line[..split].trim();
            if key.is_empty() || current.is_none() {
                return Err(EdgercError::MalformedLine { line: line_number });
            }
            if current != Some(wanted) {
                continue;
            }
            let key = key.to_ascii_lowercase().replace('-', "_");
            let Some(slot) = KEYS.iter().position(|k| *k == key) else {
                continue; // a key we do not use (account_key, …)
            };
            if values[slot].is_some() {
                return Err(EdgercError::DuplicateKey { section: wanted.to_owned(), key: KEYS[slot], line: line_number });
            }
            values[slot] = Some(clean_value(&line[split + 1..]).to_owned());
        }

        if !found {
            return Err(EdgercError::SectionNotFound { section: wanted.to_owned() });
        }
        let [host, client_token, client_secret, access_token, max_body, headers_to_sign] = values;
        let required = |value: Option<String>, key: &'static str| match value {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(EdgercError::MissingKey { section: wanted.to_owned(), key }),
        };
        let host = required(host.map(|h| bare_host(&h).to_owned()), "host")?;
        let client_token = required(client_token, "client_token")?;
        let client_secret = required(client_secret, "client_secret")?;
        let access_token = required(access_token, "access_token")?;
        if let Some(bad) = host.find(|c: char| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '@' | '\\')) {
            return Err(invalid_host(wanted, &host, bad));
        }
        let max_body = match max_body {
            None => DEFAULT_MAX_BODY,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n > 0 => n,
                _ => return Err(EdgercError::InvalidMaxBody { section: wanted.to_owned() }),
            },
        };
        let headers_to_sign = headers_to_sign
            .map(|list| list.split(',').map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default();
        Ok(Credentials { host, client_token, client_secret, access_token, max_body, headers_to_sign })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("host", &self.host)
            .field("client_token", &REDACTED)
            .field("client_secret", &REDACTED)
            .field("access_token", &REDACTED)
            .field("max_body", &self.max_body)
            .field("headers_to_sign", &self.headers_to_sign)
            .finish()
    }
}

/// The `.edgerc` keys [`Credentials::from_edgerc`] reads, in the order of its `values` array.
const KEYS: [&str; 6] = ["host", "client_token", "client_secret", "access_token", "max_body", "headers_to_sign"];

/// Drops an inline comment (whitespace then `#` or `;`), trims, and removes one pair of matching
/// surrounding quotes.
fn clean_value(raw: &str) -> &str {
    let bytes = raw.as_bytes();
    let end = (1..bytes.len()).find(|&i| matches!(bytes[i], b'#' | b';') && bytes[i - 1].is_ascii_whitespace()).unwrap_or(bytes.len());
    let value = raw[..end].trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner.trim();
        }
    }
    value
}

/// The [`EdgercError::InvalidHost`] for `host`, whose first offending character is at `bad`.
fn invalid_host(section: &str, host: &str, bad: usize) -> EdgercError {
    const MAX_SHOWN: usize = 100;
    let found = match host[bad..].chars().next() {
        Some('/') => "a path (/)",
        Some('?') => "a query (?)",
        Some('#') => "a fragment (#)",
        Some('@') => "user info (@)",
        Some('\\') => "a backslash",
        _ => "whitespace",
    };
    let token = &host[..bad];
    // Before `@` is user info (a password, maybe), not a host.
    let shown = found != "user info (@)"
        && token.len() <= MAX_SHOWN
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'[' | b']'));
    EdgercError::InvalidHost { section: section.to_owned(), host: if shown { token.to_owned() } else { String::new() }, found }
}

fn host_lead(host: &str) -> String {
    if host.is_empty() {
        "it has ".to_owned()
    } else {
        format!("{host:?} is followed by ")
    }
}

/// `host` without surrounding whitespace, a leading `https://` (any case) or trailing `/`s.
pub(crate) fn bare_host(host: &str) -> &str {
    let host = host.trim();
    let host = match host.get(..8) {
        Some(scheme) if scheme.eq_ignore_ascii_case("https://") => &host[8..],
        _ => host,
    };
    host.trim_end_matches('/')
}

/// Why [`Credentials::from_edgerc`] refused an `.edgerc` file. Never contains a token or secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EdgercError {
    /// No `[section]` line with this name.
    #[error(".edgerc has no [{section}] section")]
    SectionNotFound {
        /// The section asked for.
        section: String,
    },
    /// The section appears twice, so which one to use is ambiguous.
    #[error(".edgerc has more than one [{section}] section")]
    DuplicateSection {
        /// The section asked for.
        section: String,
    },
    /// A required key is missing from the section, or its value is empty.
    #[error(".edgerc section [{section}] has no value for `{key}`")]
    MissingKey {
        /// The section read.
        section: String,
        /// `host`, `client_token`, `client_secret` or `access_token`.
        key: &'static str,
    },
    /// A key the signer uses is set twice in the section.
    #[error(".edgerc section [{section}] sets `{key}` more than once (again on line {line})")]
    DuplicateKey {
        /// The section read.
        section: String,
        /// The key, spelled as in [`Credentials`].
        key: &'static str,
        /// The 1-based line of the second occurrence.
        line: usize,
    },
    /// `max_body` is not a positive whole number.
    #[error(".edgerc section [{section}]: `max_body` must be a positive whole number of bytes")]
    InvalidMaxBody {
        /// The section read.
        section: String,
    },
    /// `host` is not a bare host name (it has a path, query, user info or whitespace).
    ///
    /// The message shows at most the host token: what comes before the offending character, and
    /// only when it looks like a host name (at most 100 letters, digits, `.`, `-`, `_`, `:`, `[`
    /// or `]`). What follows is never shown: when an `.edgerc` lost its line breaks, the rest of
    /// the `host` line holds the client secret.
    #[error(
        ".edgerc section [{section}]: `host` must be a bare host name like \
         akab-….luna.akamaiapis.net, but {}{found}",
        host_lead(.host)
    )]
    InvalidHost {
        /// The section read.
        section: String,
        /// The host token (see above), or empty when it is not shown.
        host: String,
        /// What follows the host token: `whitespace`, `a path (/)`, `a query (?)`,
        /// `a fragment (#)`, `user info (@)` or `a backslash`.
        found: &'static str,
    },
    /// A line that is not a section header, a `key = value` pair inside a section, a comment or
    /// blank. Its text is not repeated, as it may hold a secret.
    #[error(".edgerc line {line}: expected `[section]`, `key = value` inside a section, or a comment")]
    MalformedLine {
        /// The 1-based line number.
        line: usize,
    },
}

/// One HTTP request to sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request<'a> {
    /// The HTTP method. Compared and signed in upper case (`post` signs as `POST`).
    pub method: &'a str,
    /// The origin-form request target exactly as it will be sent: the already percent-encoded
    /// path plus `?query`, e.g. `/mtls-edge-truststore/v2/ca-sets?accountSwitchKey=X`. A
    /// `#fragment` is ignored (it is never sent), an empty query (`/path?`) signs as `/path`, and
    /// an empty path as `/`.
    pub path_and_query: &'a str,
    /// The request headers. Only those named in [`Credentials::headers_to_sign`] matter; if a
    /// name appears more than once, the first value is signed.
    pub headers: &'a [(&'a str, &'a str)],
    /// The request body. Only a `POST` body is hashed, and only its first `max_body` bytes.
    pub body: &'a [u8],
}

/// Adds `accountSwitchKey=<key>` to a path-and-query, percent-encoding the key (everything but
/// `A-Z a-z 0-9 - . _ ~`, so `1-ABC:1-DEF` becomes `1-ABC%3A1-DEF`), after `?` if there is no
/// query yet and after `&` otherwise.
///
/// Any `accountSwitchKey` already in the query is replaced and empty `&&` segments are dropped;
/// the other parameters keep their order and bytes. A `#fragment` stays at the end. An empty
/// `key` returns the input unchanged. Call this before signing: the query is signed.
pub fn add_account_switch_key(path_and_query: &str, key: &str) -> String {
    if key.is_empty() {
        return path_and_query.to_owned();
    }
    let (target, fragment) = match path_and_query.find('#') {
        Some(i) => path_and_query.split_at(i),
        None => (path_and_query, ""),
    };
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, query),
        None => (target, ""),
    };
    let mut out = String::with_capacity(path_and_query.len() + key.len() * 3 + 20);
    out.push_str(path);
    out.push('?');
    for param in query.split('&') {
        let name = param.split('=').next().unwrap_or(param);
        if !param.is_empty() && name != ACCOUNT_SWITCH_KEY_PARAM {
            out.push_str(param);
            out.push('&');
        }
    }
    out.push_str(ACCOUNT_SWITCH_KEY_PARAM);
    out.push('=');
    out.push_str(&percent_encode(key));
    out.push_str(fragment);
    out
}

/// Formats Unix time (seconds) as an EdgeGrid timestamp, `yyyyMMdd'T'HH:mm:ss+0000` in UTC, e.g.
/// `20250805T09:45:36+0000` for 1754387136.
///
/// Times outside the years 0000 to 9999 are clamped to that range. The caller supplies the
/// clock (in the browser, `Date.now() / 1000`); Akamai rejects stale timestamps, so use the
/// current time when signing.
pub fn timestamp(unix_seconds: i64) -> String {
    const MIN: i64 = -62_167_219_200; // 0000-01-01T00:00:00Z
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    match time::OffsetDateTime::from_unix_timestamp(unix_seconds.clamp(MIN, MAX)) {
        Ok(t) => {
            format!("{:04}{:02}{:02}T{:02}:{:02}:{:02}+0000", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute(), t.second())
        }
        // Unreachable: every clamped value is within the `time` crate's range.
        Err(_) => String::from("19700101T00:00:00+0000"),
    }
}

/// The system random number generator failed while making a nonce.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("could not make an EdgeGrid nonce: the system random number generator failed ({0})")]
pub struct NonceError(String);

impl NonceError {
    /// A nonce error saying `message` (for nonce sources other than [`new_nonce`]).
    pub fn new(message: impl Into<String>) -> NonceError {
        NonceError(message.into())
    }
}

/// A fresh random nonce: a UUID v4 in lower-case hex, e.g. `3f1c9a2e-5b7d-4e0f-9a61-2c8d4b7e1f03`.
/// Uses the operating system's generator (`crypto.getRandomValues` in the browser).
///
/// # Errors
/// If the random number generator fails.
pub fn new_nonce() -> Result<String, NonceError> {
    let mut bytes = [0u8; 16];
    rand_core::RngCore::try_fill_bytes(&mut rand_core::OsRng, &mut bytes).map_err(|e| NonceError(e.to_string()))?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
}

/// The signing key for one timestamp: `base64(HMAC-SHA256(key = client_secret, msg = timestamp))`
/// (step 8). Exposed for tests; it is as sensitive as the secret for as long as the timestamp is
/// accepted.
pub fn signing_key(client_secret: &str, timestamp: &str) -> String {
    let mut mac = hmac_sha256(client_secret.as_bytes(), timestamp.as_bytes());
    let key = BASE64.encode(mac);
    mac.zeroize();
    key
}

/// The tab-separated string that gets signed (step 7):
/// `METHOD \t https \t host \t relativeUrl \t canonicalHeaders \t contentHash \t authPrefix`.
/// Exposed for tests and debugging; it holds no secret.
pub fn data_to_sign(creds: &Credentials, req: &Request<'_>, timestamp: &str, nonce: &str) -> String {
    data_to_sign_with_prefix(creds, req, &auth_prefix(creds, timestamp, nonce))
}

/// The full `Authorization` header value for `req`:
/// `EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;signature=…`.
///
/// `timestamp` comes from [`timestamp`] and `nonce` from [`new_nonce`]; both must be fresh for
/// every request sent.
pub fn authorization_header(creds: &Credentials, req: &Request<'_>, timestamp: &str, nonce: &str) -> String {
    let prefix = auth_prefix(creds, timestamp, nonce);
    let data = data_to_sign_with_prefix(creds, req, &prefix);
    let key = Zeroizing::new(signing_key(&creds.client_secret, timestamp));
    let mut mac = hmac_sha256(key.as_bytes(), data.as_bytes());
    let signature = BASE64.encode(mac);
    mac.zeroize();
    format!("{prefix}signature={signature}")
}

/// `EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;` (step 3).
fn auth_prefix(creds: &Credentials, timestamp: &str, nonce: &str) -> String {
    format!("{AUTH_SCHEME} client_token={};access_token={};timestamp={timestamp};nonce={nonce};", creds.client_token, creds.access_token)
}

fn data_to_sign_with_prefix(creds: &Credentials, req: &Request<'_>, prefix: &str) -> String {
    let method = req.method.trim().to_ascii_uppercase();
    let content_hash = content_hash(&method, req.body, creds.max_body);
    [
        method.as_str(),
        "https",
        bare_host(&creds.host),
        &relative_url(req.path_and_query),
        &canonical_headers(&creds.headers_to_sign, req.headers),
        &content_hash,
        prefix,
    ]
    .join("\t")
}

/// Step 4: the path, plus `?query` if the query is not empty; no fragment; `/` if the path is
/// empty.
fn relative_url(path_and_query: &str) -> String {
    let target = path_and_query.split('#').next().unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = if path.is_empty() { "/" } else { path };
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// Step 5: `name:value` (name lower-cased, value trimmed with whitespace runs collapsed) for
/// each header to sign that the request has, sorted by name and joined with tabs.
fn canonical_headers(headers_to_sign: &[String], headers: &[(&str, &str)]) -> String {
    let mut names: Vec<String> =
        headers_to_sign.iter().map(|name| name.trim().to_ascii_lowercase()).filter(|name| !name.is_empty()).collect();
    names.sort();
    names.dedup();
    names
        .iter()
        .filter_map(|name| {
            let (_, value) = headers.iter().find(|(n, _)| n.trim().eq_ignore_ascii_case(name))?;
            Some(format!("{name}:{}", value.split_whitespace().collect::<Vec<_>>().join(" ")))
        })
        .collect::<Vec<_>>()
        .join("\t")
}

/// Step 6: `base64(SHA-256(body[..min(len, max_body)]))` for `POST` when that slice is not
/// empty; otherwise empty.
fn content_hash(method: &str, body: &[u8], max_body: usize) -> String {
    let hashed = &body[..body.len().min(max_body)];
    if method == "POST" && !hashed.is_empty() {
        BASE64.encode(Sha256::digest(hashed))
    } else {
        String::new()
    }
}

/// HMAC-SHA256 with a key of any length. The key is brought to the 64-byte block size first, as
/// RFC 2104 §2 says (hashed if longer, zero-padded), so the infallible block-size constructor
/// applies and no `InvalidLength` error needs handling.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = hmac::digest::Key::<HmacSha256>::default();
    if key.len() > block.len() {
        let mut digest = Sha256::digest(key);
        block[..digest.len()].copy_from_slice(&digest);
        digest.zeroize();
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut mac = <HmacSha256 as KeyInit>::new(&block);
    block.zeroize();
    mac.update(message);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_the_hmac_crate_for_short_block_and_long_keys() {
        for len in [0, 1, 32, 63, 64, 65, 200] {
            let key: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let mut reference = <HmacSha256 as KeyInit>::new_from_slice(&key).expect("any key length");
            reference.update(b"message");
            let expected: [u8; 32] = reference.finalize().into_bytes().into();
            assert_eq!(hmac_sha256(&key, b"message"), expected, "key length {len}");
        }
    }

    #[test]
    fn rfc4231_test_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn relative_url_edge_cases() {
        assert_eq!(relative_url(""), "/");
        assert_eq!(relative_url("?a=1"), "/?a=1");
        assert_eq!(relative_url("/p?"), "/p");
        assert_eq!(relative_url("/p?a=1#frag"), "/p?a=1");
        assert_eq!(relative_url("/a;b?c=d"), "/a;b?c=d");
    }

    #[test]
    fn clean_value_strips_inline_comments_and_quotes() {
        assert_eq!(clean_value(" abc+/def= "), "abc+/def=");
        assert_eq!(clean_value(" abc # note"), "abc");
        assert_eq!(clean_value(" abc ; note"), "abc");
        assert_eq!(clean_value(" a#b;c "), "a#b;c");
        assert_eq!(clean_value(" \"quoted\" "), "quoted");
        assert_eq!(clean_value(" 'quoted' "), "quoted");
        assert_eq!(clean_value(" \"half "), "\"half");
    }
}
