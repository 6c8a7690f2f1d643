//! The certificate's skipped results, grouped by reason.

use scimulate_record::{RunRecord, Verdict};

/// Skipped checks that share a reason.
pub(super) struct SkipGroup<'a> {
    pub(super) reason: &'a str,
    /// `<scenario>::<check-id>`.
    pub(super) checks: Vec<String>,
}

/// Skipped checks grouped by reason, reasons in first-seen order.
pub(super) fn groups(record: &RunRecord) -> Vec<SkipGroup<'_>> {
    let mut skips: Vec<SkipGroup> = Vec::new();
    for result in &record.results {
        let Verdict::Skipped { reason } = &result.verdict else {
            continue;
        };
        let check = format!("{}::{}", result.scenario, result.id);
        match skips.iter_mut().find(|g| g.reason == reason) {
            Some(group) => group.checks.push(check),
            None => skips.push(SkipGroup {
                reason,
                checks: vec![check],
            }),
        }
    }
    skips
}
