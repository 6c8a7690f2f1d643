//! Rule 6: a deviation another check already owns. Some results meet a
//! deviation an earlier check is about: a `userName eq` in another case
//! that finds nobody is the case-sensitive lookup
//! `okta.users.existence-check.any-case` fails on. When that check failed
//! in the run, such a result waits on its first failure instead of failing
//! once more in every scenario that looks a user up in another case.

use crate::read_back::LOOK_UP_OTHER_CASE;
use crate::record::ScenarioRecord;
use crate::verdict::{CheckResult, Verdict};

/// The check that owns the case-sensitive lookup.
const ANY_CASE: &str = "okta.users.existence-check.any-case";
/// Okta's lookup before it creates a user (simulator `user_calls.rs`).
const EXISTENCE_CHECK: &str = "existence check";

/// A check that, failed on an exchange of `step`, shows the deviation
/// `owner` is about.
struct Owned {
    check: &'static str,
    step: &'static str,
    owner: &'static str,
    /// Only when `owner` failed in the same scenario on that same exchange
    /// too: the exchange alone does not tell the cause (a lookup in the
    /// user's own case that finds nobody is another deviation).
    witnessed: bool,
}

const OWNED: &[Owned] = &[
    // scimulate's own read-back in another case.
    Owned {
        check: "scim.users.filter.eq-matches-exactly",
        step: LOOK_UP_OTHER_CASE,
        owner: ANY_CASE,
        witnessed: false,
    },
    // The same check in a later scenario whose Okta lookup is in another
    // case (`existing-member-linked-any-case`).
    Owned {
        check: ANY_CASE,
        step: EXISTENCE_CHECK,
        owner: ANY_CASE,
        witnessed: false,
    },
    // The existing person not linked because that lookup missed it.
    Owned {
        check: "okta.users.assign.links-existing-user",
        step: EXISTENCE_CHECK,
        owner: ANY_CASE,
        witnessed: true,
    },
];

/// Returns `(result, blocked by, reason)` for the caller to apply: a MUST
/// result only ever waits on a MUST failure, and always on the owner's
/// first failure (itself failed, never blocked).
pub(super) fn already_owned(
    results: &[CheckResult],
    scenarios: &[ScenarioRecord],
) -> Vec<(usize, usize, String)> {
    let failed_on = |index: usize| match &results[index].verdict {
        Verdict::Failed { evidence } => Some(&evidence.exchanges),
        _ => None,
    };
    let mut blocked = Vec::new();
    for owned in OWNED {
        let Some(root) =
            (0..results.len()).find(|&i| results[i].id == owned.owner && failed_on(i).is_some())
        else {
            continue;
        };
        for (i, result) in results.iter().enumerate() {
            let Some(exchanges) = failed_on(i) else {
                continue;
            };
            if i == root || result.id != owned.check || results[root].level > result.level {
                continue;
            }
            let Some(scenario) = scenarios.iter().find(|s| s.name == result.scenario) else {
                continue;
            };
            let on_step = exchanges.iter().copied().find(|&n| {
                scenario
                    .transcript
                    .iter()
                    .any(|e| e.number == n && e.step == owned.step)
            });
            let Some(number) = on_step else {
                continue;
            };
            let witnessed = (0..results.len()).any(|w| {
                results[w].id == owned.owner
                    && results[w].scenario == result.scenario
                    && failed_on(w).is_some_and(|e| e.contains(&number))
            });
            if owned.witnessed && !witnessed {
                continue;
            }
            blocked.push((
                i,
                root,
                format!(
                    "#{number} ({}) shows the deviation {} already fails on in {}",
                    owned.step, owned.owner, results[root].scenario
                ),
            ));
        }
    }
    blocked
}
