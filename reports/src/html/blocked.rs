//! The certificate's blocked results: each waits on a failure, shows no
//! hint, and links to that failure's anchor when it is listed.

use scimulate_record::{RunRecord, Verdict};

/// A result that waits on a failure: no hint, a link to that failure.
pub(super) struct BlockedView<'a> {
    /// `<scenario>::<check-id>`.
    pub(super) check: String,
    pub(super) level: &'static str,
    /// `<scenario>::<check-id>` of the failure it waits on.
    pub(super) by: String,
    /// The failure's anchor, when it is listed.
    pub(super) by_anchor: Option<String>,
    pub(super) reason: &'a str,
}

/// The blocked results in judged order; each takes the anchor of the
/// failure it waits on (`anchors` is indexed like `record.results`).
pub(super) fn views<'a>(
    record: &'a RunRecord,
    anchors: &mut [Option<String>],
) -> Vec<BlockedView<'a>> {
    let mut list = Vec::new();
    for (index, result) in record.results.iter().enumerate() {
        let Verdict::Blocked { by, reason } = &result.verdict else {
            continue;
        };
        let by_anchor = record
            .results
            .iter()
            .position(|r| r.id == by.id && r.scenario == by.scenario)
            .and_then(|i| anchors[i].clone());
        anchors[index] = by_anchor.clone();
        list.push(BlockedView {
            check: format!("{}::{}", result.scenario, result.id),
            level: result.level.as_str(),
            by: by.to_string(),
            by_anchor,
            reason,
        });
    }
    list
}
