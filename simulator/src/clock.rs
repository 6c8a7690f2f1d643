//! The injected clock: timestamps for exchanges and the waits of Okta's
//! back-off, so a test never sleeps and a scenario gives a byte-identical
//! transcript (STYLE §6).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// A boxed future, so [`Clock`] stays usable as `Arc<dyn Clock>`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Time as the simulator sees it.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
    /// Waits `duration` (Okta's 429 back-off, docs/okta-wire.md#10-errors-retries-timeouts).
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()>;
}

/// The wall clock and real sleeps, for runs against a real target.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that only moves when asked to sleep: the sleep returns at once and
/// advances the time by its duration. Every wait is remembered for tests.
#[derive(Debug, Clone)]
pub struct VirtualClock {
    state: Arc<Mutex<VirtualState>>,
}

#[derive(Debug)]
struct VirtualState {
    now: DateTime<Utc>,
    waits: Vec<Duration>,
}

impl VirtualClock {
    /// A clock standing at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            state: Arc::new(Mutex::new(VirtualState {
                now: start,
                waits: Vec::new(),
            })),
        }
    }

    /// A clock at 2026-01-01T00:00:00Z, the fixed start of deterministic runs.
    pub fn at_epoch() -> Self {
        Self::new(DateTime::<Utc>::from_timestamp(1_767_225_600, 0).unwrap_or_default())
    }

    /// Every duration slept so far, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.lock().waits.clone()
    }

    /// Moves the clock forward without recording a wait.
    pub fn advance(&self, duration: Duration) {
        let mut state = self.lock();
        state.now = add(state.now, duration);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VirtualState> {
        // A panic elsewhere cannot leave the state half-written: recover it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> DateTime<Utc> {
        self.lock().now
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        let mut state = self.lock();
        state.now = add(state.now, duration);
        state.waits.push(duration);
        Box::pin(std::future::ready(()))
    }
}

fn add(now: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(duration)
        .ok()
        .and_then(|delta| now.checked_add_signed(delta))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn virtual_sleep_advances_without_waiting() {
        let clock = VirtualClock::at_epoch();
        let start = clock.now();
        clock.sleep(Duration::from_secs(300)).await;
        clock.sleep(Duration::from_secs(600)).await;
        assert_eq!(clock.now() - start, TimeDelta::seconds(900));
        assert_eq!(
            clock.waits(),
            [Duration::from_secs(300), Duration::from_secs(600)]
        );
        assert_eq!(start.to_rfc3339(), "2026-01-01T00:00:00+00:00");
    }
}
