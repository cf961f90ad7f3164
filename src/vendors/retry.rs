//! Rate limits and the one automatic retry, written once for every vendor.
//!
//! Each vendor names its rate-limit headers differently; a [`RateLimitScheme`] says which ones and
//! how the "when may I call again" header is written:
//! - Akamai: `X-RateLimit-Limit`, `-Remaining`, `-Next` (an RFC 3339 instant) — [`RateLimitScheme::AKAMAI`];
//! - OpenAI: `x-ratelimit-limit-requests`, `-remaining-requests`, `-reset-requests` (a duration
//!   such as `1s`, `6m0s`, `20ms`) — [`RateLimitScheme::OPENAI`];
//! - the IETF draft: `RateLimit-Limit`, `-Remaining`, `-Reset` (delta seconds) —
//!   [`RateLimitScheme::IETF`], for vendors that document none.
//!
//! After a 429, [`wait_ms`] picks how long to wait: the scheme's reset header, else a
//! problem body's `rateLimitNext`, else `Retry-After` (seconds or an HTTP date), else
//! [`DEFAULT_RATE_LIMIT_WAIT_MS`]; never more than [`MAX_RATE_LIMIT_WAIT_MS`]. The request path
//! ([`super::request`]) retries a 429 once after that wait, and reports a second one as
//! [`super::error::Error::RateLimited`].

use super::transport::HttpResponse;

/// Longest wait before the single 429 retry, whatever the headers say: 5 minutes.
pub const MAX_RATE_LIMIT_WAIT_MS: u64 = 300_000;

/// Wait before the 429 retry when the response says nothing usable about when: 1 second.
pub const DEFAULT_RATE_LIMIT_WAIT_MS: u64 = 1_000;

/// How a reset header is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetFormat {
    /// An RFC 3339 instant (`2025-08-05T09:45:40.5Z`).
    Instant,
    /// Seconds from now (`30`).
    DeltaSeconds,
    /// A Go-style duration (`1s`, `6m0s`, `1.5s`, `20ms`).
    Duration,
}

/// The names of a vendor's rate-limit headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitScheme {
    /// Requests allowed in the window.
    pub limit: &'static str,
    /// Requests left in the window.
    pub remaining: &'static str,
    /// When requests are allowed again.
    pub reset: &'static str,
    /// How `reset` is written.
    pub reset_format: ResetFormat,
}

impl RateLimitScheme {
    /// Akamai: `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Next` (instant).
    pub const AKAMAI: RateLimitScheme = RateLimitScheme {
        limit: "X-RateLimit-Limit",
        remaining: "X-RateLimit-Remaining",
        reset: "X-RateLimit-Next",
        reset_format: ResetFormat::Instant,
    };
    /// OpenAI: `x-ratelimit-limit-requests`, `-remaining-requests`, `-reset-requests` (duration).
    pub const OPENAI: RateLimitScheme = RateLimitScheme {
        limit: "x-ratelimit-limit-requests",
        remaining: "x-ratelimit-remaining-requests",
        reset: "x-ratelimit-reset-requests",
        reset_format: ResetFormat::Duration,
    };
    /// The IETF `RateLimit-*` headers (delta seconds).
    pub const IETF: RateLimitScheme = RateLimitScheme {
        limit: "RateLimit-Limit",
        remaining: "RateLimit-Remaining",
        reset: "RateLimit-Reset",
        reset_format: ResetFormat::DeltaSeconds,
    };

    /// Milliseconds until the reset header's time, if `resp` has a readable one.
    pub fn reset_ms(&self, resp: &HttpResponse, now: i64) -> Option<u64> {
        let value = resp.header(self.reset)?;
        match self.reset_format {
            ResetFormat::Instant => parse_rfc3339_ms(value).map(|at| u64::try_from(at - now.saturating_mul(1000)).unwrap_or(0)),
            ResetFormat::DeltaSeconds => value.trim().parse::<u64>().ok().map(|s| s.saturating_mul(1000)),
            ResetFormat::Duration => parse_duration_ms(value),
        }
    }
}

/// The rate-limit headers of a response.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in the current window.
    pub limit: Option<u64>,
    /// Requests left in the window.
    pub remaining: Option<u64>,
    /// When requests are allowed again, as sent (Akamai: ISO 8601; OpenAI: a duration).
    pub next: Option<String>,
}

impl RateLimit {
    /// The rate-limit headers of `resp` as `scheme` names them, or `None` if it has none.
    pub fn from_response(resp: &HttpResponse, scheme: &RateLimitScheme) -> Option<RateLimit> {
        let number = |name| resp.header(name).and_then(|v| v.parse::<u64>().ok());
        let rate_limit = RateLimit {
            limit: number(scheme.limit),
            remaining: number(scheme.remaining),
            next: resp.header(scheme.reset).map(str::to_owned),
        };
        (rate_limit != RateLimit::default()).then_some(rate_limit)
    }
}

/// How long to wait after a 429 (see the module docs for the order), at `now` (Unix seconds).
pub fn wait_ms(resp: &HttpResponse, scheme: &RateLimitScheme, now: i64) -> u64 {
    let body_next = || {
        serde_json::from_slice::<serde_json::Value>(&resp.body)
            .ok()?
            .get("rateLimitNext")?
            .as_str()
            .and_then(parse_rfc3339_ms)
            .map(|at| u64::try_from(at - now.saturating_mul(1000)).unwrap_or(0))
    };
    scheme
        .reset_ms(resp, now)
        .or_else(body_next)
        .or_else(|| resp.header("Retry-After").and_then(|v| retry_after_ms(v, now)))
        .unwrap_or(DEFAULT_RATE_LIMIT_WAIT_MS)
        .min(MAX_RATE_LIMIT_WAIT_MS)
}

/// `Retry-After` in milliseconds: delay-seconds, or an HTTP date (`Sun, 06 Nov 1994 08:49:37
/// GMT`) minus `now` (zero if past). `None` if it is neither.
pub fn retry_after_ms(value: &str, now: i64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(|s| s.saturating_mul(1000));
    }
    let date = parse_http_date(value)?;
    Some(u64::try_from(date.saturating_sub(now)).unwrap_or(0).saturating_mul(1000))
}

/// A Go-style duration (`6m0s`, `1.5s`, `20ms`, `1h2m`) in milliseconds; `None` if unreadable.
pub fn parse_duration_ms(value: &str) -> Option<u64> {
    let mut rest = value.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let split = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let (number, tail) = rest.split_at(split);
        let number: f64 = number.parse().ok()?;
        let unit_len = tail.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let factor = match unit {
            "ms" => 1.0,
            "s" => 1_000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return None,
        };
        total += number * factor;
        rest = tail;
    }
    // Whole milliseconds, rounded up so a retry never comes early; bounded by the u64 range.
    (total.is_finite() && (0.0..1e18).contains(&total)).then(|| total.ceil() as u64)
}

fn unix_seconds(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<i64> {
    let month = time::Month::try_from(month).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let time = time::Time::from_hms(hour, minute, second).ok()?;
    Some(time::PrimitiveDateTime::new(date, time).assume_utc().unix_timestamp())
}

/// An HTTP date (RFC 1123, `Sun, 06 Nov 1994 08:49:37 GMT`; the weekday is optional and not
/// checked) as Unix seconds.
pub fn parse_http_date(value: &str) -> Option<i64> {
    let value = value.trim();
    let value = match value.split_once(',') {
        Some((_, rest)) => rest,
        None => value,
    };
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [day, month, year, hms, zone] = parts.as_slice() else {
        return None;
    };
    if !matches!(*zone, "GMT" | "UTC" | "+0000" | "Z") {
        return None;
    }
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month)).and_then(|i| u8::try_from(i + 1).ok())?;
    let hms: Vec<&str> = hms.split(':').collect();
    let [h, mi, s] = hms.as_slice() else {
        return None;
    };
    unix_seconds(year.parse().ok()?, month, day.parse().ok()?, h.parse().ok()?, mi.parse().ok()?, s.parse().ok()?)
}

/// An RFC 3339 date-time (`2025-08-05T09:45:40.5Z`, `...+02:00`) as Unix milliseconds.
pub fn parse_rfc3339_ms(value: &str) -> Option<i64> {
    let v = value.trim().as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = v.get(range)?;
        if digits.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(digits).ok()?.parse().ok()
        } else {
            None
        }
    };
    if v.len() < 20 || v[4] != b'-' || v[7] != b'-' || !matches!(v[10], b'T' | b't' | b' ') || v[13] != b':' || v[16] != b':' {
        return None;
    }
    let year = i32::try_from(num(0..4)?).ok()?;
    let field = |r| num(r).and_then(|n| u8::try_from(n).ok());
    let seconds = unix_seconds(year, field(5..7)?, field(8..10)?, field(11..13)?, field(14..16)?, field(17..19)?)?;
    let mut i = 19;
    let mut millis = 0i64;
    if v.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while v.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 3 {
                millis = millis * 10 + i64::from(v[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..3 {
            millis *= 10;
        }
    }
    let offset = match v.get(i..)? {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let d = |b: u8| i64::from(b - b'0');
            let minutes = (d(*h1) * 10 + d(*h2)) * 60 + d(*m1) * 10 + d(*m2);
            if *sign == b'+' {
                minutes * 60
            } else {
                -minutes * 60
            }
        }
        _ => return None,
    };
    Some((seconds - offset) * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_754_387_136; // 2025-08-05T09:45:36Z

    fn resp(headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status: 429,
            headers: headers.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn each_scheme_reads_its_own_reset_header() {
        let akamai = resp(&[("X-RateLimit-Next", "2025-08-05T09:45:40.500Z")], "");
        assert_eq!(wait_ms(&akamai, &RateLimitScheme::AKAMAI, NOW), 4_500);
        let openai = resp(&[("x-ratelimit-reset-requests", "1m2.5s"), ("x-ratelimit-remaining-requests", "0")], "");
        assert_eq!(wait_ms(&openai, &RateLimitScheme::OPENAI, NOW), 62_500);
        assert_eq!(RateLimit::from_response(&openai, &RateLimitScheme::OPENAI).unwrap().remaining, Some(0));
        let ietf = resp(&[("RateLimit-Reset", "12")], "");
        assert_eq!(wait_ms(&ietf, &RateLimitScheme::IETF, NOW), 12_000);
        // Another vendor's header means nothing to this scheme: Retry-After, then the default.
        assert_eq!(wait_ms(&akamai, &RateLimitScheme::OPENAI, NOW), DEFAULT_RATE_LIMIT_WAIT_MS);
    }

    #[test]
    fn fallbacks_and_bounds() {
        let body = resp(&[], r#"{"rateLimitNext":"2025-08-05T09:45:38Z"}"#);
        assert_eq!(wait_ms(&body, &RateLimitScheme::AKAMAI, NOW), 2_000);
        let retry = resp(&[("Retry-After", "7")], "");
        assert_eq!(wait_ms(&retry, &RateLimitScheme::AKAMAI, NOW), 7_000);
        let date = resp(&[("Retry-After", "Tue, 05 Aug 2025 09:46:36 GMT")], "");
        assert_eq!(wait_ms(&date, &RateLimitScheme::IETF, NOW), 60_000);
        let past = resp(&[("X-RateLimit-Next", "2025-08-05T09:00:00Z")], "");
        assert_eq!(wait_ms(&past, &RateLimitScheme::AKAMAI, NOW), 0);
        let far = resp(&[("Retry-After", "86400")], "");
        assert_eq!(wait_ms(&far, &RateLimitScheme::AKAMAI, NOW), MAX_RATE_LIMIT_WAIT_MS);
        assert_eq!(wait_ms(&resp(&[], ""), &RateLimitScheme::AKAMAI, NOW), DEFAULT_RATE_LIMIT_WAIT_MS);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("6m0s"), Some(360_000));
        assert_eq!(parse_duration_ms("20ms"), Some(20));
        assert_eq!(parse_duration_ms("1.5s"), Some(1_500));
        assert_eq!(parse_duration_ms("1h"), Some(3_600_000));
        assert_eq!(parse_duration_ms("soon"), None);
        assert_eq!(parse_duration_ms("5"), None);
        assert_eq!(parse_duration_ms(""), None);
    }
}
