//! The run record: everything a run produced, from which every report is
//! rendered (reports are pure functions of its redacted view,
//! [`RunRecord::redacted`]).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::capabilities::Capabilities;
use crate::effect::Effect;
use crate::exchange::Exchange;
use crate::outcome::ActionOutcome;
use crate::redact::Redactor;
use crate::redacted::Redacted;
use crate::verdict::{CheckResult, Verdict};

/// Bumped whenever a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// How a target was reached, for reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// The reference bridge scimulate started itself.
    Embedded,
    /// A base URL given by the user.
    External,
}

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
/// Not `Serialize` itself: only its redacted view is
/// ([`RunRecord::redacted`]), so no output can be made of it unredacted.
#[derive(Clone, Debug)]
pub struct RunRecord {
    pub schema_version: u32,
    pub tool: &'static str,
    pub version: &'static str,
    pub run_id: String,
    pub target: TargetInfo,
    pub started_at: DateTime<Utc>,
    pub duration_ms: u64,
    /// What the target advertised it does not support.
    pub capabilities: Capabilities,
    /// One per check and scenario.
    pub results: Vec<CheckResult>,
    /// Things a person should know: expired waivers, unused ones.
    pub notes: Vec<String>,
    /// Why the run stopped before every planned scenario was played (its
    /// deadline passed, or it was interrupted); the results it had are
    /// kept, the rest are skipped with this reason. `None` for a whole run.
    pub incomplete: Option<String>,
    /// How `--only`/`--skip` narrowed the run (`--only okta.groups`);
    /// `None` when every check was judged. A narrowed run certifies the
    /// checks it judged, not the bridge.
    pub selection: Option<String>,
    /// What each scenario did.
    pub scenarios: Vec<ScenarioRecord>,
    /// Built from the token the run was given: renderers take
    /// [`RunRecord::redacted`], never the record as it is.
    pub redactor: Redactor,
}

/// One scenario's run: Okta's outcomes, every exchange (numbered from 1 in
/// each scenario; evidence points at these numbers) and the account's
/// effects.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioRecord {
    /// The scenario's label (`push-group-new`, `push-group-new@aiw`).
    pub name: String,
    pub outcomes: Vec<ActionOutcome>,
    pub transcript: Vec<Exchange>,
    /// Empty when the account was not observable.
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

    /// Every MUST check passed (or was skipped or waived), in a whole run:
    /// an incomplete one certifies nothing.
    pub fn passed(&self) -> bool {
        self.incomplete.is_none() && !self.results.iter().any(CheckResult::fails_run)
    }
}

/// The JSON form of a run record (as `scimulate-reports`' tests and tools
/// read it): only of the redacted view.
impl Serialize for Redacted<RunRecord> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let RunRecord {
            schema_version,
            tool,
            version,
            run_id,
            target,
            started_at,
            duration_ms,
            capabilities,
            results,
            notes,
            incomplete,
            selection,
            scenarios,
            redactor: _,
        } = &**self;
        #[derive(Serialize)]
        struct View<'a> {
            schema_version: &'a u32,
            tool: &'a str,
            version: &'a str,
            run_id: &'a str,
            target: &'a TargetInfo,
            started_at: &'a DateTime<Utc>,
            duration_ms: &'a u64,
            capabilities: &'a Capabilities,
            results: &'a [CheckResult],
            notes: &'a [String],
            incomplete: &'a Option<String>,
            selection: &'a Option<String>,
            scenarios: &'a [ScenarioRecord],
        }
        View {
            schema_version,
            tool,
            version,
            run_id,
            target,
            started_at,
            duration_ms,
            capabilities,
            results,
            notes,
            incomplete,
            selection,
            scenarios,
        }
        .serialize(serializer)
    }
}
