//! The run record: everything a run produced, from which every report is
//! rendered (reports are pure functions of it).

use chrono::{DateTime, Utc};
use scimulate_backend::Effect;
use scimulate_simulator::{ActionOutcome, Exchange};
use serde::Serialize;

use crate::target::TargetKind;
use crate::verdict::{CheckResult, Verdict};

/// Bumped whenever a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// What was tested.
#[derive(Clone, Debug, Serialize)]
pub struct TargetInfo {
    pub base_url: String,
    pub kind: TargetKind,
    /// The embedded bridge's `--fault`s, if any.
    pub faults: Vec<String>,
    /// Whether the account's effects could be judged.
    pub backend_observed: bool,
}

/// Counts of verdicts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub waived: usize,
}

/// One run, whole.
#[derive(Clone, Debug, Serialize)]
pub struct RunRecord {
    pub schema_version: u32,
    pub tool: &'static str,
    pub version: &'static str,
    pub run_id: String,
    pub target: TargetInfo,
    pub started_at: DateTime<Utc>,
    pub duration_ms: u64,
    pub results: Vec<CheckResult>,
    /// Okta's outcome of every admin action.
    pub outcomes: Vec<ActionOutcome>,
    /// Every exchange (token redacted at capture).
    pub transcript: Vec<Exchange>,
    /// The account's effects during the run (empty when not observed).
    pub effects: Vec<Effect>,
}

impl RunRecord {
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for result in &self.results {
            match result.verdict {
                Verdict::Passed => summary.passed += 1,
                Verdict::Failed { .. } => summary.failed += 1,
                Verdict::Skipped { .. } => summary.skipped += 1,
                Verdict::Waived { .. } => summary.waived += 1,
            }
        }
        summary
    }

    /// Every MUST check passed (or was skipped or waived).
    pub fn passed(&self) -> bool {
        !self.results.iter().any(CheckResult::fails_run)
    }
}
