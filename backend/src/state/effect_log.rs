//! The effect log, bounded: it keeps the latest [`EFFECTS_KEPT`] to
//! [`EFFECTS_KEPT`] × 2 effects, so a fake account served all day
//! (`scimulate serve`, `account`) does not grow with its history; seqs go
//! on counting (backend/API.md).

use chrono::{DateTime, Utc};

use crate::model::{Effect, EffectKind};

/// How many of the latest effects the log always keeps. When twice as many
/// are held, the oldest half is forgotten: far more than any scenario or
/// run reads between two looks at the log (a run reads each scenario's
/// effects as it ends), and a bound on a long-served account's memory.
pub const EFFECTS_KEPT: usize = 100_000;

/// The effect log: the latest effects, and how many older ones were
/// forgotten (their seqs are not reused).
#[derive(Default)]
pub struct EffectLog {
    pub(super) kept: Vec<Effect>,
    forgotten: u64,
}

impl EffectLog {
    /// Appends one effect with the next seq; forgets the oldest
    /// [`EFFECTS_KEPT`] when twice as many are held.
    pub(super) fn push(&mut self, at: DateTime<Utc>, kind: EffectKind) {
        let seq = self.forgotten + self.kept.len() as u64 + 1;
        self.kept.push(Effect { seq, at, kind });
        if self.kept.len() >= 2 * EFFECTS_KEPT {
            self.kept.drain(..EFFECTS_KEPT);
            self.forgotten += EFFECTS_KEPT as u64;
        }
    }

    /// The kept effects with `seq > after`, in order.
    pub(super) fn after(&self, after: u64) -> &[Effect] {
        // The kept effect with seq n sits at index n - 1 - forgotten.
        let start = usize::try_from(after.saturating_sub(self.forgotten))
            .map_or(self.kept.len(), |a| a.min(self.kept.len()));
        &self.kept[start..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Refusal;

    #[test]
    fn a_long_log_forgets_its_oldest_half_and_seqs_go_on() {
        let mut log = EffectLog::default();
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let kind = || EffectKind::Refused {
            action: "invite".into(),
            target: None,
            reason: Refusal::InvalidRequest,
            detail: String::new(),
        };
        for _ in 0..2 * EFFECTS_KEPT - 1 {
            log.push(at, kind());
        }
        assert_eq!(
            log.kept.len(),
            2 * EFFECTS_KEPT - 1,
            "nothing forgotten yet"
        );
        log.push(at, kind());
        assert_eq!(log.kept.len(), EFFECTS_KEPT, "the oldest half is forgotten");
        assert_eq!(log.kept[0].seq, EFFECTS_KEPT as u64 + 1);
        log.push(at, kind());
        let last = 2 * EFFECTS_KEPT as u64 + 1;
        assert_eq!(log.kept.last().map(|e| e.seq), Some(last));
        // Reading after a seq still kept, and after one forgotten.
        assert_eq!(log.after(last - 1).len(), 1);
        assert_eq!(log.after(last).len(), 0);
        assert_eq!(log.after(3).len(), EFFECTS_KEPT + 1, "all that is kept");
    }
}
