//! Verdicts: what a check concluded, with the evidence a person needs to act
//! on a failure.

use serde::Serialize;

use crate::check::{CheckDef, Level, Needs};

/// Where a failure was seen and how it differs from what was expected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The admin action and step, e.g. `assign ada@acme.com: create`.
    pub step: String,
    pub expected: String,
    pub seen: String,
    /// Transcript numbers of the exchanges that show it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exchanges: Vec<u64>,
    /// Effect-log sequence numbers that show it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<u64>,
    /// What to change, for the failure mode this evidence shows (a 409
    /// without `scimType` is fixed otherwise than a second user created);
    /// `None` when the check's own hint fits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Evidence {
    pub fn new(
        step: impl Into<String>,
        expected: impl Into<String>,
        seen: impl Into<String>,
    ) -> Self {
        Evidence {
            step: step.into(),
            expected: expected.into(),
            seen: seen.into(),
            exchanges: Vec::new(),
            effects: Vec::new(),
            hint: None,
        }
    }

    /// The hint for the failure mode seen, instead of the check's own.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn exchange(mut self, number: u64) -> Self {
        self.exchanges.push(number);
        self
    }

    pub fn effect(mut self, seq: u64) -> Self {
        self.effects.push(seq);
        self
    }
}

/// The conclusion of one check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Passed,
    /// The evidence is boxed: verdicts are returned through `Result`s
    /// everywhere in the checks, and a small `Err` keeps them cheap.
    Failed {
        evidence: Box<Evidence>,
    },
    /// Could not be judged here (e.g. no observable backend).
    Skipped {
        reason: String,
    },
    /// Failed, but the failure is accepted in a waivers file.
    Waived {
        reason: String,
        evidence: Box<Evidence>,
    },
    /// Not judged: what it judges depends on a step another check already
    /// failed for (one cause, one failure). Neither passed nor failed; it
    /// carries no hint, since there is nothing of its own to fix.
    Blocked {
        /// The failed check it waits on.
        by: BlockedBy,
        /// Why it could not be judged, with the exchange that was refused.
        reason: String,
    },
}

/// The failed result a blocked one waits on: `<scenario>::<id>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockedBy {
    pub id: String,
    pub scenario: String,
}

impl std::fmt::Display for BlockedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}::{}", self.scenario, self.id)
    }
}

impl Verdict {
    pub fn failed(evidence: Evidence) -> Self {
        Verdict::Failed {
            evidence: Box::new(evidence),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed { .. } => "failed",
            Verdict::Skipped { .. } => "skipped",
            Verdict::Waived { .. } => "waived",
            Verdict::Blocked { .. } => "blocked",
        }
    }
}

/// A check's verdict in a run.
#[derive(Clone, Debug, Serialize)]
pub struct CheckResult {
    pub id: &'static str,
    pub level: Level,
    pub title: &'static str,
    pub sources: &'static [&'static str],
    pub needs: Needs,
    pub hint: &'static str,
    /// The scenario whose run it judged.
    pub scenario: String,
    #[serde(flatten)]
    pub verdict: Verdict,
}

impl CheckResult {
    pub fn new(def: &CheckDef, scenario: &str, verdict: Verdict) -> Self {
        CheckResult {
            id: def.id,
            level: def.level,
            title: def.title,
            sources: def.sources,
            needs: def.needs,
            hint: def.hint,
            scenario: scenario.to_string(),
            verdict,
        }
    }

    /// A failed MUST check fails the run (a blocked one does not: the
    /// check it waits on is the failure).
    pub fn fails_run(&self) -> bool {
        self.level == Level::Must && matches!(self.verdict, Verdict::Failed { .. })
    }

    /// What to change: the hint for the failure mode seen, else the
    /// check's own; `None` for a blocked result (nothing of its own to
    /// fix).
    pub fn hint(&self) -> Option<&str> {
        match &self.verdict {
            Verdict::Failed { evidence } | Verdict::Waived { evidence, .. } => {
                Some(evidence.hint.as_deref().unwrap_or(self.hint))
            }
            Verdict::Blocked { .. } => None,
            Verdict::Passed | Verdict::Skipped { .. } => Some(self.hint),
        }
    }
}
