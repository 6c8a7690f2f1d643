//! Okta's answer to `429 Too Many Requests` (docs/okta-wire.md#10-errors-retries-timeouts, from
//! Okta's "Handle SCIM server rate limiting (HTTP 429)" [DOC O-CONCEPT]).
//!
//! - The **first** wait is the integer `Retry-After` seconds when present;
//!   a missing, HTTP-date, non-integer or `null` value gives 5 minutes.
//! - "For each subsequent retry attempt, Okta doubles the previous wait
//!   time": later waits double the previous one, whatever `Retry-After` the
//!   later answers carry. Five 429s with `Retry-After: 1` wait 1, 2, 4, 8, 16 s.
//! - "A maximum of 10 attempts. If the 10th attempt also fails due to rate
//!   limiting, the task fails permanently": read here as 10 requests in all
//!   (the first and 9 retries) — **UNCONFIRMED** whether the first counts;
//!   [`RetryPolicy::max_attempts`] is the setting.
//! - Okta's waits add up to about 42 hours (300 s doubled nine times); a
//!   test run cannot wait that long, so [`RetryPolicy::max_total_wait`]
//!   (default 15 minutes per step) ends the retries early: the task fails
//!   as rate-limited, exactly as after the last attempt. A deliberate bound,
//!   not Okta's behaviour.
//! - 5xx and timeouts: no documented automatic retry (§10 DOC H-TROUBLE);
//!   [`RetryPolicy::retry_on_5xx`] retries 5xx answers with the same back-off,
//!   for the third-party claims.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How often and how long the simulated Okta retries one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetryPolicy {
    /// Requests sent at most for one step, the first included (default 10).
    pub max_attempts: u32,
    /// The first wait when `Retry-After` is missing or not an integer
    /// (default 300 s).
    pub default_wait: Duration,
    /// Retry 5xx answers too (default off: Okta lists a failed task, §10).
    pub retry_on_5xx: bool,
    /// The most one step may spend waiting, all retries together (default
    /// 15 minutes): a wait that would pass it is not taken, and the step
    /// fails as rate-limited.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 10,
            default_wait: Duration::from_secs(300),
            retry_on_5xx: false,
            max_total_wait: Duration::from_secs(15 * 60),
        }
    }
}

/// The waits of one request's retries.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    default_wait: Duration,
    previous: Option<Duration>,
}

impl Backoff {
    pub(crate) fn new(policy: &RetryPolicy) -> Self {
        Self {
            default_wait: policy.default_wait,
            previous: None,
        }
    }

    /// The wait before the next attempt of a request of scimulate's own:
    /// what the target asked for (`server`) when it said, else Okta's
    /// back-off (the default wait, then doubling).
    pub(crate) fn next_wait_honouring(&mut self, server: Option<Duration>) -> Duration {
        match server {
            Some(wait) => {
                self.previous = Some(wait);
                wait
            }
            None => self.next_wait(None),
        }
    }

    /// The wait before the next attempt, given the last answer's `Retry-After`.
    pub(crate) fn next_wait(&mut self, retry_after: Option<&str>) -> Duration {
        let wait = match self.previous {
            None => parse_retry_after(retry_after).unwrap_or(self.default_wait),
            Some(previous) => previous.saturating_mul(2),
        };
        self.previous = Some(wait);
        wait
    }
}

/// How long a target asked to be left alone, for the requests scimulate
/// sends for its own purposes (read-backs, probes, discovery, setup,
/// cleanup), which need the answer more than Okta's exact timing: an
/// integer or HTTP-date `Retry-After` (RFC 9110 §10.2.3), else an
/// `X-Rate-Limit-Reset` (epoch seconds, as Okta's own API sends it, or
/// seconds from now when smaller than any epoch of this century). `None`
/// when neither says.
pub(crate) fn server_wait(
    headers: &[crate::exchange::Header],
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.trim())
    };
    let until = |at: chrono::DateTime<chrono::Utc>| {
        // A time already past still waits a second: never a busy loop.
        (at - now).to_std().unwrap_or_default().max(MIN_SERVER_WAIT)
    };
    if let Some(value) = header("retry-after") {
        if let Some(wait) = parse_retry_after(Some(value)) {
            return Some(wait);
        }
        if let Ok(at) = chrono::DateTime::parse_from_rfc2822(value) {
            return Some(until(at.to_utc()));
        }
    }
    let reset = header("x-rate-limit-reset")?.parse::<u64>().ok()?;
    const EPOCH_2000: u64 = 946_684_800;
    if reset < EPOCH_2000 {
        return Some(Duration::from_secs(reset).max(MIN_SERVER_WAIT));
    }
    let at = chrono::DateTime::from_timestamp(i64::try_from(reset).ok()?, 0)?;
    Some(until(at))
}

/// The shortest wait [`server_wait`] gives.
const MIN_SERVER_WAIT: Duration = Duration::from_secs(1);

/// Integer seconds only, as Okta reads it (§10: "only supports integer
/// values (seconds)").
fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    let value = value?.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn first_wait_honours_retry_after_then_doubles() {
        let mut backoff = Backoff::new(&RetryPolicy::default());
        let waits: Vec<_> = (0..5).map(|_| backoff.next_wait(Some("1"))).collect();
        assert_eq!(waits, [secs(1), secs(2), secs(4), secs(8), secs(16)]);
    }

    #[test]
    fn later_retry_after_values_do_not_reset_the_doubling() {
        let mut backoff = Backoff::new(&RetryPolicy::default());
        assert_eq!(backoff.next_wait(Some("10")), secs(10));
        assert_eq!(backoff.next_wait(Some("1")), secs(20));
    }

    #[test]
    fn missing_or_non_integer_retry_after_waits_five_minutes() {
        for value in [
            None,
            Some("Wed, 11 Mar 2026 23:29:00 GMT"),
            Some("1.5"),
            Some("null"),
            Some("-3"),
            Some(""),
        ] {
            let mut backoff = Backoff::new(&RetryPolicy::default());
            assert_eq!(backoff.next_wait(value), secs(300), "{value:?}");
            assert_eq!(backoff.next_wait(value), secs(600), "{value:?}");
        }
    }

    #[test]
    fn own_requests_honour_every_way_a_target_says_when() {
        use crate::exchange::Header;
        let now = chrono::DateTime::<chrono::Utc>::from_timestamp(1_767_225_600, 0).unwrap();
        let wait = |name: &str, value: &str| server_wait(&[Header::new(name, value)], now);
        assert_eq!(wait("Retry-After", "7"), Some(secs(7)));
        assert_eq!(
            wait("retry-after", "Thu, 01 Jan 2026 00:00:30 GMT"),
            Some(secs(30))
        );
        // A date already past still waits a second.
        assert_eq!(
            wait("retry-after", "Wed, 31 Dec 2025 00:00:00 GMT"),
            Some(secs(1))
        );
        assert_eq!(wait("x-rate-limit-reset", "1767225645"), Some(secs(45)));
        assert_eq!(wait("X-Rate-Limit-Reset", "20"), Some(secs(20)));
        assert_eq!(wait("x-rate-limit-reset", "0"), Some(secs(1)));
        for (name, value) in [
            ("retry-after", "soon"),
            ("x-rate-limit-reset", "-1"),
            ("x", "5"),
        ] {
            assert_eq!(wait(name, value), None, "{name}: {value}");
        }
        let mut backoff = Backoff::new(&RetryPolicy::default());
        assert_eq!(backoff.next_wait_honouring(Some(secs(2))), secs(2));
        assert_eq!(backoff.next_wait_honouring(None), secs(4));
        assert_eq!(backoff.next_wait_honouring(Some(secs(1))), secs(1));
        let mut silent = Backoff::new(&RetryPolicy::default());
        assert_eq!(silent.next_wait_honouring(None), secs(300));
    }

    #[test]
    fn doubling_saturates_instead_of_overflowing() {
        let mut backoff = Backoff::new(&RetryPolicy::default());
        backoff.next_wait(Some("18446744073709551615"));
        assert_eq!(backoff.next_wait(None), Duration::MAX);
    }
}
