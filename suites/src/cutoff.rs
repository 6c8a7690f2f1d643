//! The cut-off: a scenario played until it ends, the run's deadline
//! passes, or the target is taken for dead ([`scimulate_simulator::Liveness`]:
//! `--max-dead-exchanges` exchanges in a row without a complete answer).
//! Past a cut-off no further scenario is played; what was not judged is
//! skipped with the reason, and the record says why it is incomplete.

use std::future::Future;
use std::time::Duration;

use scimulate_simulator::Liveness;
use tokio::time::{Instant, timeout_at};

use crate::record::ScenarioRecord;

/// Why a scenario was not played to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// The run's deadline passed.
    Deadline,
    /// The target stopped answering.
    Dead,
}

/// Plays `play` until it ends, `deadline`, or the target is dead (also
/// when it already was, or became so by the play's last exchanges).
pub(crate) async fn within<T>(
    liveness: &Liveness,
    deadline: Instant,
    play: impl Future<Output = T>,
) -> Result<T, Cut> {
    if liveness.is_dead() {
        return Err(Cut::Dead);
    }
    if Instant::now() >= deadline {
        return Err(Cut::Deadline);
    }
    let played = tokio::select! {
        biased;
        played = timeout_at(deadline, play) => played.map_err(|_| Cut::Deadline),
        () = liveness.dead() => Err(Cut::Dead),
    };
    // A play that ended because its requests were no longer sent (the
    // client keeps them back from a dead target) saw no target: cut too.
    match played {
        Ok(_) if liveness.is_dead() => Err(Cut::Dead),
        played => played,
    }
}

impl Cut {
    /// Why the run is incomplete: one line, with the last exchanges as
    /// evidence when the target stopped answering.
    pub(crate) fn incomplete(self, liveness: &Liveness, deadline: Duration, label: &str) -> String {
        match self {
            Cut::Deadline => Self::skipped(self, liveness, deadline, label),
            Cut::Dead => format!("{} (during {label})", liveness.reason()),
        }
    }

    /// The reason each check not judged is skipped with.
    pub(crate) fn skipped(self, liveness: &Liveness, deadline: Duration, label: &str) -> String {
        match self {
            Cut::Deadline => format!(
                "not played: the run's deadline of {} s passed during {label}",
                deadline.as_secs()
            ),
            Cut::Dead => format!(
                "not played: the target stopped answering during {label} ({} exchanges in a \
                 row without a complete answer; raise --max-dead-exchanges or --timeout if it \
                 is only slow)",
                liveness.limit().unwrap_or_default()
            ),
        }
    }
}

/// The exchanges that made the target count as dead, as a scenario record
/// named `<label>: cut off` (the HAR and HTML show them).
pub(crate) fn evidence(liveness: &Liveness, label: &str) -> Option<ScenarioRecord> {
    let transcript = liveness.evidence();
    (!transcript.is_empty()).then(|| ScenarioRecord {
        name: format!("{label}: cut off"),
        outcomes: Vec::new(),
        transcript,
        effects: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_dead_target_cuts_what_is_under_way_and_what_comes_next() {
        let liveness = Liveness::new(1);
        let far = Instant::now() + Duration::from_secs(3600);
        assert_eq!(within(&liveness, far, async { 7 }).await, Ok(7));
        // Nothing sent here fails, so the target is never dead: a pending
        // play runs to the deadline.
        let soon = Instant::now();
        assert_eq!(
            within(&liveness, soon, std::future::pending::<()>()).await,
            Err(Cut::Deadline)
        );
    }

    /// Issue 16 with the default settings: a target whose bodies trickle (a
    /// byte a second: never silent for Okta's 60 s) is taken for dead after
    /// the default limit of exchanges, each ended by the outer bound, and
    /// cleanup tries one more: all of it within five minutes. With
    /// `--timeout 5s`, within 30 s. (The hostile-server CLI tests play it
    /// with short timeouts.)
    #[test]
    fn issue_16_a_trickling_target_ends_a_default_run_within_five_minutes() {
        use scimulate_simulator::{ClientSettings, DEFAULT_MAX_DEAD_EXCHANGES};
        let worst = |settings: &ClientSettings| settings.timeout * (DEFAULT_MAX_DEAD_EXCHANGES + 1);
        let defaults = ClientSettings::default();
        assert_eq!(defaults.read_timeout, Duration::from_secs(60));
        assert!(
            worst(&defaults) < Duration::from_secs(5 * 60),
            "{:?}",
            worst(&defaults)
        );
        let mut short = ClientSettings::default();
        short.bound_silence(Duration::from_secs(5));
        assert!(
            worst(&short) < Duration::from_secs(30),
            "{:?}",
            worst(&short)
        );
        // A merely slow target (complete answers after 2 s) is far within both.
        assert!(short.read_timeout > Duration::from_secs(2));
    }
}
