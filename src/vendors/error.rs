//! One error type for every vendor call, and the vendors' own error bodies.
//!
//! [`Error`] has a case for each way a call can fail:
//! - [`Error::Transport`]: no response arrived;
//! - [`Error::Api`]: the vendor answered with a non-2xx status. [`ApiError`] keeps the status, the
//!   vendor's own error body parsed ([`ErrorBody`]: Akamai's problem+json, OpenAI's
//!   `{error:{…}}`, PingFederate's `ApiResult`, MATTR's `{code,message,details}`, Segura's
//!   `{status,message,error}`, an OAuth token error), the request id header and the rate-limit
//!   headers;
//! - [`Error::RateLimited`]: a 429 that was still a 429 after the one automatic retry
//!   (same [`ApiError`] fields);
//! - [`Error::Decode`]: a 2xx body that is not what the API documents, with the JSON path;
//! - [`Error::Invalid`]: refused before sending, because the request breaks a documented limit;
//! - [`Error::Auth`]: the request could not be authenticated (no nonce, no token in a token
//!   response); never carries a credential;
//! - [`Error::PollExhausted`]: a poll loop gave up.
//!
//! Nothing here holds a secret: bodies are parsed into typed fields, and an unparsed body is kept
//! only as redacted, shortened text ([`crate::vendors::redact`]).

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::retry::RateLimit;
use super::transport::{HttpResponse, TransportError};

/// Which error body a vendor sends (how [`ErrorBody::parse`] reads a non-2xx body).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorFormat {
    /// RFC 9457 problem details (`application/problem+json`): Akamai.
    Problem,
    /// `{"error": {"message", "type", "param", "code"}}`: OpenAI.
    OpenAi,
    /// `ApiResult` `{resultId, message, validationErrors[]}`: PingFederate.
    PingFederate,
    /// `{code, message, details[{value, msg, param, location}]}`: MATTR VII.
    Mattr,
    /// `{status, message, error}` (or the `{code, response:{…}}` wrapper): Segura.
    Segura,
    /// RFC 6749 §5.2 `{error, error_description}`: an OAuth token endpoint.
    OAuth,
}

/// A problem-details object (RFC 9457), as Akamai sends it: an error response body, or one item
/// of a `validation` list or of `errors`.
///
/// Every field is optional when decoding, so a partial body still yields what it has.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Problem {
    /// Non-navigable URI naming the error case, e.g.
    /// `/mtls-edge-truststore/error-types/duplicate-ca-set-version` (empty when absent).
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Human-readable summary.
    pub title: Option<String>,
    /// What exactly went wrong.
    pub detail: Option<String>,
    /// The HTTP status code.
    pub status: Option<u16>,
    /// URI of this occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// JSON pointer into the request, e.g. `/certificates/0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Free-form context (`versionLink`, `fingerprint`, `checkDate`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_info: Option<serde_json::Value>,
    /// Nested problems (one per failing certificate, for instance).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Problem>,
    /// On 429: the account's rate limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<serde_json::Value>,
    /// On 429: when requests are allowed again (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_next: Option<String>,
}

impl Problem {
    /// The last segment of `type`, e.g. `duplicate-ca-set-version`.
    pub fn type_name(&self) -> &str {
        self.kind.rsplit('/').next().unwrap_or(&self.kind)
    }

    /// `pointer` of this problem and of every nested problem, depth first.
    pub fn pointers(&self) -> Vec<&str> {
        let mut out = Vec::new();
        if let Some(p) = &self.pointer {
            out.push(p.as_str());
        }
        for e in &self.errors {
            out.extend(e.pointers());
        }
        out
    }
}

/// OpenAI's error object (the `error` member of the body).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpenAiError {
    /// What went wrong.
    pub message: String,
    /// e.g. `invalid_request_error`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The request parameter at fault, if any.
    pub param: Option<String>,
    /// A machine-readable code, if any.
    pub code: Option<String>,
}

/// One `validationErrors` item of a PingFederate `ApiResult`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PingValidationError {
    /// e.g. `key_pair_id_already_exists`.
    pub error_id: Option<String>,
    /// What is wrong.
    pub message: Option<String>,
    /// The property at fault, e.g. `commonName`.
    pub field_path: Option<String>,
    /// More detail for developers.
    pub developer_message: Option<String>,
}

/// PingFederate's `ApiResult`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PingApiResult {
    /// e.g. `validation_error`.
    pub result_id: Option<String>,
    /// What went wrong.
    pub message: Option<String>,
    /// More detail for developers.
    pub developer_message: Option<String>,
    /// One item per invalid field.
    pub validation_errors: Vec<PingValidationError>,
}

/// One `details` item of a MATTR error (express-validator style).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MattrDetail {
    /// The value that was refused (any JSON).
    pub value: Option<serde_json::Value>,
    /// What is wrong with it.
    pub msg: Option<String>,
    /// The parameter, e.g. `notAfter`.
    pub param: Option<String>,
    /// `body`, `query` or `path`.
    pub location: Option<String>,
}

/// MATTR VII's error body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MattrError {
    /// e.g. `BadRequest`.
    pub code: Option<String>,
    /// What went wrong.
    pub message: Option<String>,
    /// One item per refused value.
    pub details: Vec<MattrDetail>,
}

/// Segura's error body: `{status, message, error}`, or the same fields inside a `response`
/// wrapper (`{code, response:{status, message, error, error_code, detail}}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SeguraError {
    /// The status the body reports (may differ from the HTTP status).
    pub status: Option<i64>,
    /// What went wrong.
    pub message: Option<String>,
    /// `true` for an error.
    pub error: Option<bool>,
    /// The wrapper's numeric error code, if any.
    pub error_code: Option<i64>,
    /// The wrapper's detail, if any.
    pub detail: Option<String>,
}

/// An OAuth 2.0 token endpoint error (RFC 6749 §5.2).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuthError {
    /// e.g. `invalid_client`.
    pub error: String,
    /// Human-readable detail.
    pub error_description: Option<String>,
}

/// The vendor's own error body, parsed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ErrorBody {
    /// Problem details (Akamai).
    Problem(Box<Problem>),
    /// OpenAI.
    OpenAi(OpenAiError),
    /// PingFederate.
    PingFederate(PingApiResult),
    /// MATTR VII.
    Mattr(MattrError),
    /// Segura.
    Segura(SeguraError),
    /// An OAuth token endpoint.
    OAuth(OAuthError),
    /// A body in none of the expected shapes: its text, redacted and cut to 300 characters.
    Text(String),
    /// No body.
    Empty,
}

impl ErrorBody {
    /// Reads `body` as `format` says; a body in another shape becomes [`ErrorBody::Text`].
    pub fn parse(format: ErrorFormat, body: &[u8]) -> ErrorBody {
        if body.iter().all(u8::is_ascii_whitespace) {
            return ErrorBody::Empty;
        }
        let value: Option<serde_json::Value> = serde_json::from_slice(body).ok().filter(serde_json::Value::is_object);
        let parsed = value.and_then(|v| {
            let has = |k: &str| v.get(k).is_some();
            match format {
                ErrorFormat::Problem if has("type") || has("title") || has("detail") => {
                    serde_json::from_value(v).ok().map(|p| ErrorBody::Problem(Box::new(p)))
                }
                ErrorFormat::OpenAi => {
                    v.get("error").filter(|e| e.is_object()).and_then(|e| serde_json::from_value(e.clone()).ok()).map(ErrorBody::OpenAi)
                }
                ErrorFormat::PingFederate if has("resultId") || has("validationErrors") || has("message") => {
                    serde_json::from_value(v).ok().map(ErrorBody::PingFederate)
                }
                ErrorFormat::Mattr if has("code") || has("message") => serde_json::from_value(v).ok().map(ErrorBody::Mattr),
                ErrorFormat::Segura => {
                    let inner = v.get("response").filter(|r| r.is_object()).cloned().unwrap_or(v);
                    // Segura mixes English and Portuguese keys: `mensagem`, `erro` and
                    // `cod_erro` stand in for `message`, `error` and `error_code` when those
                    // are absent.
                    let mut inner = inner;
                    if let Some(obj) = inner.as_object_mut() {
                        type Fits = fn(&serde_json::Value) -> bool;
                        let fits: [(&str, &str, Fits); 3] = [
                            ("message", "mensagem", serde_json::Value::is_string),
                            ("error", "erro", serde_json::Value::is_boolean),
                            ("error_code", "cod_erro", serde_json::Value::is_i64),
                        ];
                        for (en, pt, fits) in fits {
                            let missing = obj.get(en).is_none_or(serde_json::Value::is_null);
                            if let Some(x) = obj.get(pt).filter(|x| missing && fits(x)).cloned() {
                                obj.insert(en.into(), x);
                            }
                        }
                    }
                    (inner.get("message").is_some() || inner.get("error").is_some())
                        .then(|| serde_json::from_value(inner).ok())
                        .flatten()
                        .map(ErrorBody::Segura)
                }
                ErrorFormat::OAuth if v.get("error").is_some_and(serde_json::Value::is_string) => {
                    serde_json::from_value(v).ok().map(ErrorBody::OAuth)
                }
                _ => None,
            }
        });
        parsed.unwrap_or_else(|| {
            let text = super::redact::body_text(body);
            let mut short: String = text.chars().take(300).collect();
            if short.len() < text.len() {
                short.push('…');
            }
            ErrorBody::Text(short)
        })
    }

    /// The vendor's one-line message (problem title or detail, OpenAI / MATTR / Segura /
    /// PingFederate `message`, OAuth `error_description`), if there is one.
    pub fn message(&self) -> Option<&str> {
        match self {
            ErrorBody::Problem(p) => p.title.as_deref().or(p.detail.as_deref()),
            ErrorBody::OpenAi(e) => Some(e.message.as_str()),
            ErrorBody::PingFederate(e) => e.message.as_deref(),
            ErrorBody::Mattr(e) => e.message.as_deref(),
            ErrorBody::Segura(e) => e.message.as_deref().or(e.detail.as_deref()),
            ErrorBody::OAuth(e) => e.error_description.as_deref().or(Some(e.error.as_str())),
            ErrorBody::Text(t) => Some(t.as_str()),
            ErrorBody::Empty => None,
        }
    }

    /// Field-level details, as `(field or pointer, message)`: problem `errors` (by `pointer`),
    /// PingFederate `validationErrors` (by `fieldPath`), MATTR `details` (by `param`), OpenAI
    /// `param`.
    pub fn field_errors(&self) -> Vec<(Option<String>, String)> {
        match self {
            ErrorBody::Problem(p) => p
                .errors
                .iter()
                .map(|e| {
                    let text = e.detail.clone().or_else(|| e.title.clone()).unwrap_or_else(|| e.type_name().to_owned());
                    (e.pointer.clone(), text)
                })
                .collect(),
            ErrorBody::PingFederate(r) => {
                r.validation_errors.iter().map(|e| (e.field_path.clone(), e.message.clone().unwrap_or_default())).collect()
            }
            ErrorBody::Mattr(m) => m.details.iter().map(|d| (d.param.clone(), d.msg.clone().unwrap_or_default())).collect(),
            ErrorBody::OpenAi(e) if e.param.is_some() => vec![(e.param.clone(), e.message.clone())],
            _ => Vec::new(),
        }
    }
}

/// A non-2xx answer from a vendor.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// Who answered, for messages (`Akamai`; "the vendor" when not known).
    pub vendor: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The vendor's error body, parsed.
    pub body: ErrorBody,
    /// The request id the vendor sent (`x-request-id` and similar), for support.
    pub request_id: Option<String>,
    /// The rate-limit headers, if the response had any.
    pub rate_limit: Option<RateLimit>,
}

/// Response headers that carry a request id, first match wins.
pub const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "request-id", "x-trace-id", "x-correlation-id", "x-amzn-requestid"];

impl ApiError {
    /// The error of a non-2xx `resp`, its body read as `format`, its rate-limit headers as
    /// `scheme` names them.
    pub fn from_response(resp: &HttpResponse, format: ErrorFormat, scheme: &super::retry::RateLimitScheme) -> ApiError {
        ApiError {
            vendor: "the vendor",
            status: resp.status,
            body: ErrorBody::parse(format, &resp.body),
            request_id: REQUEST_ID_HEADERS.iter().find_map(|h| resp.header(h)).map(str::to_owned),
            rate_limit: RateLimit::from_response(resp, scheme),
        }
    }

    /// The problem-details body, if the body was one.
    pub fn problem(&self) -> Option<&Problem> {
        match &self.body {
            ErrorBody::Problem(p) => Some(p),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered http {}", self.vendor, self.status)?;
        match &self.body {
            ErrorBody::Problem(p) => {
                let title = p.title.as_deref().or(p.detail.as_deref()).unwrap_or("");
                write!(f, ": {} ({title})", p.type_name())?;
            }
            other => {
                if let Some(m) = other.message() {
                    write!(f, ": {m}")?;
                }
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

/// What went wrong with a vendor call.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No response arrived.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A non-2xx response other than a final 429.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// 429 Too Many Requests, still, after the one automatic retry.
    #[error("rate limited: {0}")]
    RateLimited(Box<ApiError>),
    /// A 2xx response whose body is not what the API documents.
    #[error("unexpected response body at {path}: {message}")]
    Decode {
        /// Where in the JSON, e.g. `caSets[0].caSetId` (`.` for the whole body).
        path: String,
        /// What was wrong there.
        message: String,
    },
    /// The request was refused before sending: it breaks a documented limit.
    #[error("{field}: {message}")]
    Invalid {
        /// The field or parameter, e.g. `caSetName` or `certificates[2].description`.
        field: String,
        /// The rule it breaks.
        message: String,
    },
    /// The request could not be authenticated (never names a credential).
    #[error("could not authenticate the request: {0}")]
    Auth(String),
    /// A poll loop gave up before the operation finished.
    #[error("still {last_status} after {attempts} polls")]
    PollExhausted {
        /// Polls made.
        attempts: u32,
        /// The status seen last, as the vendor spells it.
        last_status: String,
    },
}

impl Error {
    /// The [`ApiError`] of an [`Error::Api`] or [`Error::RateLimited`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) | Error::RateLimited(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, for a vendor answer.
    pub fn status(&self) -> Option<u16> {
        self.api().map(|e| e.status)
    }

    /// The problem-details body, for a vendor answer that had one.
    pub fn problem(&self) -> Option<&Problem> {
        self.api().and_then(ApiError::problem)
    }

    /// The rate-limit headers of a vendor answer.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        self.api().and_then(|e| e.rate_limit.as_ref())
    }

    /// An [`Error::Invalid`].
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Invalid { field: field.into(), message: message.into() }
    }
}

/// Decodes a JSON body; on failure, names the JSON path of the problem
/// (e.g. `versions[0].version`, or `.` for the whole body).
///
/// # Errors
/// [`Error::Decode`].
pub fn decode<R: DeserializeOwned>(body: &[u8]) -> Result<R, Error> {
    let first = match serde_json::from_slice::<R>(body) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let message = {
        let text = first.to_string();
        match text.rsplit_once(" at line ") {
            Some((message, _)) if first.line() > 0 => message.to_owned(),
            _ => text,
        }
    };
    Err(Error::Decode { path: error_path::<R>(body), message })
}

/// The JSON path where decoding `body` as `R` fails (`.` if unknown or the whole body).
///
/// The body is re-serialised pretty (one member or element per line) and decoded again; the
/// error's line maps back to the path printed on it.
pub fn error_path<R: DeserializeOwned>(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|value| {
            let pretty = serde_json::to_string_pretty(&value).ok()?;
            let err = serde_json::from_str::<R>(&pretty).err()?;
            let mut lines = vec![String::new()];
            line_paths(&value, "", &mut lines);
            lines.get(err.line().checked_sub(1)?).cloned()
        })
        .filter(|path| !path.is_empty())
        .unwrap_or_else(|| ".".to_owned())
}

/// Paths of the lines `serde_json::to_string_pretty(value)` prints after the current one:
/// each member or element on its own line, then the closing bracket (which belongs to the
/// container).
fn line_paths(value: &serde_json::Value, path: &str, lines: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                let child_path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                lines.push(child_path.clone());
                line_paths(child, &child_path, lines);
            }
            lines.push(path.to_owned());
        }
        Value::Array(items) if !items.is_empty() => {
            for (index, child) in items.iter().enumerate() {
                let child_path = format!("{path}[{index}]");
                lines.push(child_path.clone());
                line_paths(child, &child_path, lines);
            }
            lines.push(path.to_owned());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_vendor_body_is_parsed_in_its_own_shape() {
        let akamai = br#"{"type":"/x/error-types/duplicate-ca-set-version","title":"T","detail":"D","status":422,"contextInfo":{"versionLink":"/v/1"}}"#;
        let ErrorBody::Problem(p) = ErrorBody::parse(ErrorFormat::Problem, akamai) else { panic!() };
        assert_eq!((p.type_name(), p.title.as_deref(), p.detail.as_deref()), ("duplicate-ca-set-version", Some("T"), Some("D")));

        let openai = br#"{"error":{"message":"Invalid certificate","type":"invalid_request_error","param":"certificate","code":null}}"#;
        let body = ErrorBody::parse(ErrorFormat::OpenAi, openai);
        assert_eq!(body.message(), Some("Invalid certificate"));
        assert_eq!(body.field_errors(), vec![(Some("certificate".into()), "Invalid certificate".into())]);

        let ping = br#"{"resultId":"validation_error","message":"Validation error(s) occurred.","validationErrors":[{"errorId":"invalid_value","message":"bad","fieldPath":"keySize"}]}"#;
        let ErrorBody::PingFederate(r) = ErrorBody::parse(ErrorFormat::PingFederate, ping) else { panic!() };
        assert_eq!(r.validation_errors[0].field_path.as_deref(), Some("keySize"));

        let mattr = br#"{"code":"BadRequest","message":"Validation Error","details":[{"value":"x","msg":"Invalid value","param":"notAfter","location":"body"}]}"#;
        let body = ErrorBody::parse(ErrorFormat::Mattr, mattr);
        assert_eq!(body.field_errors(), vec![(Some("notAfter".into()), "Invalid value".into())]);

        let segura = br#"{"status":400,"message":"Invalid parameters","error":true}"#;
        assert_eq!(ErrorBody::parse(ErrorFormat::Segura, segura).message(), Some("Invalid parameters"));
        let wrapped = br#"{"code":400,"response":{"status":400,"message":"1002: bad","error":true,"error_code":1002}}"#;
        let ErrorBody::Segura(s) = ErrorBody::parse(ErrorFormat::Segura, wrapped) else { panic!() };
        assert_eq!(s.error_code, Some(1002));

        let oauth = br#"{"error":"invalid_client","error_description":"Client authentication failed"}"#;
        assert_eq!(ErrorBody::parse(ErrorFormat::OAuth, oauth).message(), Some("Client authentication failed"));

        assert_eq!(ErrorBody::parse(ErrorFormat::Problem, b"  "), ErrorBody::Empty);
        assert!(
            matches!(ErrorBody::parse(ErrorFormat::OpenAi, b"<html>bad gateway</html>"), ErrorBody::Text(t) if t.contains("bad gateway"))
        );
    }

    #[test]
    fn unparsed_bodies_are_redacted_and_short() {
        let body = format!(r#"{{"client_secret":"s3cr3t","junk":"{}"}}"#, "x".repeat(1000));
        let ErrorBody::Text(t) = ErrorBody::parse(ErrorFormat::OpenAi, body.as_bytes()) else { panic!() };
        assert!(!t.contains("s3cr3t"), "{t}");
        assert!(t.chars().count() <= 301);
    }

    #[test]
    fn request_id_and_display() {
        let resp = HttpResponse {
            status: 404,
            headers: vec![("X-Request-Id".into(), "req_123".into())],
            body: br#"{"error":{"message":"No such certificate","type":"invalid_request_error"}}"#.to_vec(),
        };
        let e = ApiError::from_response(&resp, ErrorFormat::OpenAi, &super::super::retry::RateLimitScheme::OPENAI);
        assert_eq!(e.request_id.as_deref(), Some("req_123"));
        assert_eq!(e.to_string(), "the vendor answered http 404: No such certificate [request id req_123]");
    }

    #[test]
    fn decode_names_the_json_path() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Item {
            n: u32,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct List {
            items: Vec<Item>,
        }
        let err = decode::<List>(br#"{"items":[{"n":1},{"n":"two"}]}"#).unwrap_err();
        assert!(matches!(&err, Error::Decode { path, .. } if path == "items[1].n"), "{err:?}");
        assert!(matches!(decode::<List>(b"not json").unwrap_err(), Error::Decode { path, .. } if path == "."));
    }
}
