//! The run record: everything a run produced, from which every report is
//! rendered (reports are pure functions of it).

use chrono::{DateTime, Utc};
use scimulate_backend::Effect;
use scimulate_simulator::{ActionOutcome, Exchange};
use serde::Serialize;

use crate::capabilities::Capabilities;
use crate::observation::Observation;
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

impl From<&Observation> for ScenarioRecord {
    fn from(observation: &Observation) -> Self {
        ScenarioRecord {
            name: observation.scenario.clone(),
            outcomes: observation.outcomes.clone(),
            transcript: with_setup(
                observation.setup.as_ref().map(|s| s.exchanges.clone()),
                observation.exchanges.clone(),
            ),
            effects: observation.effects.clone().unwrap_or_default(),
        }
    }
}

impl From<Observation> for ScenarioRecord {
    /// Moves the exchanges and effects: a big import's pages are held once.
    fn from(observation: Observation) -> Self {
        ScenarioRecord {
            name: observation.scenario,
            outcomes: observation.outcomes,
            transcript: with_setup(
                observation.setup.map(|s| s.exchanges),
                observation.exchanges,
            ),
            effects: observation.effects.unwrap_or_default(),
        }
    }
}

/// The transcript of a scenario whose starting state was made through SCIM:
/// setup's exchanges (numbered first, action `setup`), then Okta's.
fn with_setup(setup: Option<Vec<Exchange>>, okta: Vec<Exchange>) -> Vec<Exchange> {
    match setup {
        Some(mut exchanges) if !exchanges.is_empty() => {
            exchanges.extend(okta);
            exchanges
        }
        _ => okta,
    }
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
