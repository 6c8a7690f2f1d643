//! Where the account's timestamps come from.
//!
//! Every `created_at`, `updated_at` and effect `at` is read from a [`Clock`]
//! so that a scenario run with a [`SteppingClock`] gives byte-identical
//! snapshots (STYLE.md §6: inject a clock).

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The machine's wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock for deterministic runs: the n-th call to [`Clock::now`] (counting
/// from 0) returns `start + n * step`, whichever thread makes it.
#[derive(Debug)]
pub struct SteppingClock {
    start: DateTime<Utc>,
    step: TimeDelta,
    calls: AtomicU64,
}

impl SteppingClock {
    /// A clock whose first reading is `start`, each later one `step` after the
    /// one before.
    pub fn new(start: DateTime<Utc>, step: TimeDelta) -> Self {
        SteppingClock {
            start,
            step,
            calls: AtomicU64::new(0),
        }
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> DateTime<Utc> {
        let n = self.calls.fetch_add(1, Ordering::Relaxed);
        // Past chrono's range (2^31 steps, or a date after year 262143) the
        // clock stays at the latest representable time instead of panicking.
        i32::try_from(n)
            .ok()
            .and_then(|n| self.step.checked_mul(n))
            .and_then(|offset| self.start.checked_add_signed(offset))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn start() -> DateTime<Utc> {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn stepping_clock_steps_from_start() {
        let clock = SteppingClock::new(start(), TimeDelta::seconds(1));
        assert_eq!(clock.now(), start());
        assert_eq!(clock.now(), start() + TimeDelta::seconds(1));
        assert_eq!(clock.now(), start() + TimeDelta::seconds(2));
    }

    #[test]
    fn stepping_clock_hands_out_each_reading_once_across_threads() {
        let clock = Arc::new(SteppingClock::new(start(), TimeDelta::seconds(1)));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let clock = Arc::clone(&clock);
                std::thread::spawn(move || (0..100).map(|_| clock.now()).collect::<Vec<_>>())
            })
            .collect();
        let mut seen: Vec<_> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        seen.sort();
        let expected: Vec<_> = (0..800).map(|n| start() + TimeDelta::seconds(n)).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn stepping_clock_saturates_instead_of_overflowing() {
        let clock = SteppingClock::new(DateTime::<Utc>::MAX_UTC, TimeDelta::days(1));
        assert_eq!(clock.now(), DateTime::<Utc>::MAX_UTC);
        assert_eq!(clock.now(), DateTime::<Utc>::MAX_UTC);
    }

    #[test]
    fn system_clock_moves_forward() {
        let a = SystemClock.now();
        let b = SystemClock.now();
        assert!(b >= a);
    }
}
