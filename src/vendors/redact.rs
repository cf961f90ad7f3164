//! Keeping secrets out of `Debug`, errors and logs.
//!
//! - [`Secret`] holds a credential (client secret, password, token, API key): its `Debug` and
//!   `Display` print `[redacted]`, and it is zeroed when dropped.
//! - [`header_value`] hides the value of a credential header (`Authorization`,
//!   `Proxy-Authorization`, `X-Api-Key`, `Cookie`, `Set-Cookie`, and any header whose name says
//!   token, secret, password or key).
//! - [`body_text`] prints a request or response body with the value of every credential field
//!   hidden: JSON members and form fields named like `client_secret`, `password`, `access_token`,
//!   `refresh_token`, `id_token`, `private_key`, `api_key`, `fileData`, `key_password`, and any
//!   string that holds a PEM `PRIVATE KEY` block.

use std::fmt;

/// What a redacted value prints as.
pub const REDACTED: &str = "[redacted]";

/// A credential. Never printed; zeroed on drop.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(zeroize::Zeroizing<String>);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(zeroize::Zeroizing::new(value.into()))
    }

    /// The secret itself, to put on the wire. Do not format it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Whether a header with this name carries a credential.
pub fn is_secret_header(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    matches!(n.as_str(), "authorization" | "proxy-authorization" | "cookie" | "set-cookie" | "x-api-key")
        || ["token", "secret", "password", "api-key", "apikey", "session"].iter().any(|w| n.contains(w))
}

/// `value`, or [`REDACTED`] if header `name` carries a credential.
pub fn header_value<'a>(name: &str, value: &'a str) -> &'a str {
    if is_secret_header(name) {
        REDACTED
    } else {
        value
    }
}

/// Whether a JSON member or form field with this name carries a credential.
pub fn is_secret_field(name: &str) -> bool {
    let n: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    n.contains("secret")
        || n.contains("password")
        || n.contains("passphrase")
        || n.ends_with("token")
        || n.contains("privatekey")
        || n.contains("apikey")
        || n == "filedata"
        || n == "assertion"
        || n == "senharevogacao"
}

fn holds_private_key(s: &str) -> bool {
    s.contains("PRIVATE KEY")
}

/// `body` as text for `Debug` and logs, with every credential value replaced by [`REDACTED`]
/// (JSON, `application/x-www-form-urlencoded`, or text holding a private key). Bodies that are
/// not UTF-8 print as their length.
pub fn body_text(body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) {
        redact_json(&mut value);
        return value.to_string();
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return format!("<{} bytes>", body.len());
    };
    if holds_private_key(text) {
        return REDACTED.to_owned();
    }
    let looks_like_form = !text.contains(char::is_whitespace) && text.contains('=');
    if looks_like_form {
        return text
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if is_secret_field(&crate::vendors::query::form_decode(name)) => {
                    format!("{name}={REDACTED}")
                }
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&");
    }
    text.to_owned()
}

fn redact_json(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if is_secret_field(key) && !child.is_null() {
                    *child = Value::String(REDACTED.into());
                } else {
                    redact_json(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        Value::String(s) if holds_private_key(s) => *s = REDACTED.into(),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn json_credentials_are_hidden_at_any_depth() {
        let body = br#"{"client_id":"id-1","client_secret":"s3cr3t","audience":"https://t","nested":{"password":"pw","list":[{"access_token":"tok-abc"}]},"pem":"-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----","keyPassword":"kp","fileData":"MIIK"}"#;
        let text = body_text(body);
        for secret in ["s3cr3t", "\"pw\"", "tok-abc", "AAA", "kp", "MIIK"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("id-1") && text.contains("https://t"), "{text}");
    }

    #[test]
    fn form_credentials_are_hidden() {
        let text = body_text(b"grant_type=client_credentials&client_id=abc&client_secret=s%26cret&scope=x");
        assert_eq!(text, "grant_type=client_credentials&client_id=abc&client_secret=[redacted]&scope=x");
        assert_eq!(body_text(b"-----BEGIN EC PRIVATE KEY-----\nxyz"), REDACTED);
        assert_eq!(body_text(&[0xff, 0xfe]), "<2 bytes>");
    }

    #[test]
    fn credential_headers() {
        for name in ["Authorization", "x-api-key", "Cookie", "Set-Cookie", "X-Auth-Token", "proxy-authorization"] {
            assert_eq!(header_value(name, "v"), REDACTED, "{name}");
        }
        for name in ["Accept", "Content-Type", "X-XSRF-Header", "X-Request-Id"] {
            assert_eq!(header_value(name, "v"), "v", "{name}");
        }
    }
}
