//! One cleanup request, sent until the target answers it: a `429 Too Many
//! Requests` (or a `503`) is waited out as the target asks — `Retry-After`
//! seconds, else `X-Rate-Limit-Reset` (the epoch second the limit resets,
//! as Okta's own API and many SCIM servers send it), else 1 s doubled each
//! time — each wait at most [`MAX_WAIT`], at most [`MAX_ATTEMPTS`]
//! requests, never past the cleanup's deadline. Nothing is kept: the
//! exchange is moved out of the client's transcript and handed back.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use scimulate_simulator::{Exchange, OktaClient, Probe};
use tokio::time::Instant;

/// The label of cleanup's exchanges and its scenario record.
pub const NAME: &str = "cleanup";

/// Requests sent at most for one cleanup step, the first included.
pub const MAX_ATTEMPTS: u32 = 10;
/// The longest one wait for a rate limit.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// Sends what `probe` makes until it is answered with something other
/// than 429/503 or the attempts run out; `None` when the deadline passed
/// first (the request, or a wait, would end past it).
pub(super) async fn send(
    client: &OktaClient,
    step: &str,
    probe: impl Fn() -> Probe,
    deadline: Instant,
) -> Option<Exchange> {
    let mut previous: Option<Duration> = None;
    for attempt in 1..=MAX_ATTEMPTS {
        if Instant::now() >= deadline {
            return None;
        }
        let sent = tokio::time::timeout_at(deadline, client.probe(NAME, step, probe())).await;
        // Moved out: a cleanup of 60,000 users keeps counters, not
        // exchanges.
        drop(client.take_exchanges());
        let exchange = sent.ok()?;
        let status = exchange.response.as_ref().map(|r| r.status);
        if !matches!(status, Some(429 | 503)) || attempt == MAX_ATTEMPTS {
            return Some(exchange);
        }
        let wait = wait_for(&exchange, previous, now_epoch()).min(MAX_WAIT);
        previous = Some(wait);
        if Instant::now() + wait >= deadline {
            return Some(exchange);
        }
        tokio::time::sleep(wait).await;
    }
    None
}

/// How long the target asks to wait before the next attempt.
fn wait_for(exchange: &Exchange, previous: Option<Duration>, now_epoch: u64) -> Duration {
    let header = |name: &str| {
        exchange.response.as_ref().and_then(|r| {
            r.headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .and_then(|h| h.value.trim().parse::<u64>().ok())
        })
    };
    if let Some(seconds) = header("retry-after") {
        return Duration::from_secs(seconds);
    }
    if let Some(reset) = header("x-rate-limit-reset") {
        return Duration::from_secs(reset.saturating_sub(now_epoch));
    }
    previous.map_or(Duration::from_secs(1), |p| p.saturating_mul(2))
}

fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use scimulate_simulator::{Header, RecordedBody, RecordedResponse};

    use super::*;

    fn limited(headers: &[(&str, &str)]) -> Exchange {
        let mut exchange = Exchange {
            number: 1,
            action: NAME.into(),
            step: "delete".into(),
            attempt: 1,
            started_at: Default::default(),
            duration_ms: 0,
            duration_us: 0,
            request: scimulate_simulator::RecordedRequest {
                method: "DELETE".into(),
                path: "/Users/1".into(),
                headers: vec![],
                body: None,
            },
            response: None,
            error: None,
        };
        exchange.response = Some(RecordedResponse {
            status: 429,
            headers: headers.iter().map(|(n, v)| Header::new(*n, *v)).collect(),
            body: RecordedBody::Empty,
        });
        exchange
    }

    #[test]
    fn waits_as_the_target_asks_else_doubling() {
        let secs = Duration::from_secs;
        assert_eq!(
            wait_for(&limited(&[("Retry-After", "7")]), None, 0),
            secs(7)
        );
        assert_eq!(
            wait_for(&limited(&[("X-Rate-Limit-Reset", "1005")]), None, 1000),
            secs(5)
        );
        assert_eq!(
            wait_for(&limited(&[("X-Rate-Limit-Reset", "10")]), None, 1000),
            secs(0),
            "a reset in the past: at once"
        );
        assert_eq!(wait_for(&limited(&[]), None, 0), secs(1));
        assert_eq!(wait_for(&limited(&[]), Some(secs(4)), 0), secs(8));
        assert_eq!(
            wait_for(&limited(&[("Retry-After", "soon")]), Some(secs(1)), 0),
            secs(2)
        );
    }
}
