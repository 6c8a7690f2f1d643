//! What a load run measured (`scimulate load`): figures per kind of
//! request, never the exchanges themselves.

use std::time::Duration;

use crate::redact::Redactor;
use crate::run_record::TargetInfo;

/// The figures of one kind of request.
#[derive(Debug, Clone)]
pub struct KindFigures {
    /// `POST create`, `GET existence check`, `PATCH update group members`…
    pub kind: String,
    pub count: u64,
    /// Answers other than 2xx (429s apart) and exchanges without an answer.
    pub errors: u64,
    /// 429 answers.
    pub rate_limited: u64,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// What a load run measured.
#[derive(Debug, Clone)]
pub struct LoadReport {
    pub run_id: String,
    pub target: TargetInfo,
    pub users: usize,
    pub concurrency: usize,
    pub groups: usize,
    /// Wall time of the assignment and pushes (set-up and cleanup apart).
    pub elapsed: Duration,
    /// Every request sent, retries included.
    pub requests: u64,
    /// Admin actions that ended in an Okta error.
    pub failed_actions: u64,
    /// Users assigned without an Okta error (fewer than asked when some
    /// failed or the deadline passed).
    pub assigned: usize,
    /// Figures by kind, busiest first.
    pub kinds: Vec<KindFigures>,
    /// Why the load stopped early, if it did.
    pub incomplete: Option<String>,
    /// What cleanup did, or why it did not.
    pub notes: Vec<String>,
    /// Built from the token the load was given (see
    /// [`LoadReport::redacted`]).
    pub redactor: Redactor,
}

impl LoadReport {
    /// Requests per second over [`LoadReport::elapsed`].
    pub fn throughput(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}
