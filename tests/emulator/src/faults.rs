//! Fault injection and the rate-limit window, shared by every vendor.

use serde_json::Value;

/// An injected fault for the next `count` API requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// Answer with this status (the vendor's error shape), or `None` to answer normally.
    pub status: Option<u16>,
    /// Requests left.
    pub count: u32,
    /// For a 429: when the limit lifts, in ms from now.
    pub retry_after_ms: i64,
    /// Delay before answering.
    pub latency_ms: u64,
}

impl Fault {
    /// Parses a `POST /__emulator/faults` body: `{"status":429,"count":1,"retryAfterMs":1000,
    /// "latencyMs":0}`; `status` (400..=599) or `latencyMs` (or both) is needed.
    pub fn from_json(v: &Value) -> Result<Fault, &'static str> {
        let num = |name: &str| v.get(name).and_then(Value::as_i64);
        let status = match num("status") {
            None => None,
            Some(s) => Some(u16::try_from(s).ok().filter(|s| (400..600).contains(s)).ok_or("faults: status must be 400..599")?),
        };
        let latency_ms = num("latencyMs").unwrap_or(0).clamp(0, 600_000) as u64;
        if status.is_none() && latency_ms == 0 {
            return Err("faults needs {\"status\": 400..599} or {\"latencyMs\": N}");
        }
        Ok(Fault {
            status,
            count: num("count").unwrap_or(1).clamp(1, 1000) as u32,
            retry_after_ms: num("retryAfterMs").unwrap_or(1000),
            latency_ms,
        })
    }
}

/// What the shared steps decided for one API request.
pub enum Injected {
    /// No fault: answer normally.
    None,
    /// Delay, then answer normally.
    Delay(u64),
    /// Delay, then answer with this status.
    Fail { status: u16, retry_after_ms: i64, latency_ms: u64 },
}

/// Faults and the per-minute rate limit.
#[derive(Debug)]
pub struct Faults {
    fault: Option<Fault>,
    /// Requests allowed per minute.
    pub rate_limit: u32,
    /// Delay added to every API request.
    pub latency_ms: u64,
    /// Start of the current one-minute window, and the requests counted in it.
    window: (i64, u32),
}

impl Faults {
    pub fn new(rate_limit: u32, latency_ms: u64) -> Faults {
        Faults { fault: None, rate_limit, latency_ms, window: (0, 0) }
    }

    pub fn set(&mut self, fault: Fault) {
        self.fault = Some(fault);
    }

    pub fn reset(&mut self) {
        self.fault = None;
        self.window = (0, 0);
    }

    /// Takes one request's share of the current fault.
    pub fn take(&mut self) -> Injected {
        let Some(fault) = self.fault.as_mut() else {
            return if self.latency_ms > 0 { Injected::Delay(self.latency_ms) } else { Injected::None };
        };
        fault.count = fault.count.saturating_sub(1);
        let taken = fault.clone();
        if fault.count == 0 {
            self.fault = None;
        }
        let latency_ms = taken.latency_ms + self.latency_ms;
        match taken.status {
            Some(status) => Injected::Fail { status, retry_after_ms: taken.retry_after_ms, latency_ms },
            None => Injected::Delay(latency_ms),
        }
    }

    /// Counts a request in the current one-minute window: `Err(window end)` past the limit,
    /// else `Ok(remaining)`.
    pub fn count(&mut self, now_ms: i64) -> Result<u32, i64> {
        if now_ms - self.window.0 >= 60_000 {
            self.window = (now_ms, 0);
        }
        self.window.1 += 1;
        if self.window.1 > self.rate_limit {
            return Err(self.window.0 + 60_000);
        }
        Ok(self.rate_limit - self.window.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn faults_parse_and_count_down() {
        assert!(Fault::from_json(&json!({})).is_err());
        assert!(Fault::from_json(&json!({"status": 302})).is_err());
        let mut faults = Faults::new(2, 0);
        faults.set(Fault::from_json(&json!({"status": 500, "count": 2, "latencyMs": 5})).unwrap());
        assert!(matches!(faults.take(), Injected::Fail { status: 500, latency_ms: 5, .. }));
        assert!(matches!(faults.take(), Injected::Fail { status: 500, .. }));
        assert!(matches!(faults.take(), Injected::None));
        faults.set(Fault::from_json(&json!({"latencyMs": 40})).unwrap());
        assert!(matches!(faults.take(), Injected::Delay(40)));
        assert!(matches!(faults.take(), Injected::None));
        let t = 1_800_000_000_000;
        assert_eq!(faults.count(t), Ok(1));
        assert_eq!(faults.count(t + 1_000), Ok(0));
        assert_eq!(faults.count(t + 2_000), Err(t + 60_000));
        assert_eq!(faults.count(t + 60_000), Ok(1));
    }
}
