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
        }
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

    /// A failed MUST check fails the run.
    pub fn fails_run(&self) -> bool {
        self.level == Level::Must && matches!(self.verdict, Verdict::Failed { .. })
    }
}
