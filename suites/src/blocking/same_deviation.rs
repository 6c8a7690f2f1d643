//! Rule 6: a deviation another check already owns. Some read-backs meet a
//! deviation an earlier check is about: a `userName eq` in another case
//! that finds nobody is the case-sensitive lookup
//! `okta.users.existence-check.any-case` fails on. When that check failed
//! in the run, such a result waits on its first failure instead of failing
//! once more in every scenario that reads a user back.

use crate::read_back::LOOK_UP_OTHER_CASE;
use crate::record::ScenarioRecord;
use crate::verdict::{CheckResult, Verdict};

/// (check, the step of the exchange it failed on, the check that owns
/// that deviation).
const OWNED: &[(&str, &str, &str)] = &[(
    "scim.users.filter.eq-matches-exactly",
    LOOK_UP_OTHER_CASE,
    "okta.users.existence-check.any-case",
)];

/// Returns `(result, blocked by, reason)` for the caller to apply: a MUST
/// result only ever waits on a MUST failure.
pub(super) fn already_owned(
    results: &[CheckResult],
    scenarios: &[ScenarioRecord],
) -> Vec<(usize, usize, String)> {
    let mut blocked = Vec::new();
    for (check, step, owner) in OWNED {
        let Some(root) = results
            .iter()
            .position(|r| r.id == *owner && matches!(r.verdict, Verdict::Failed { .. }))
        else {
            continue;
        };
        for (i, result) in results.iter().enumerate() {
            let Verdict::Failed { evidence } = &result.verdict else {
                continue;
            };
            if result.id != *check || results[root].level > result.level {
                continue;
            }
            let Some(scenario) = scenarios.iter().find(|s| s.name == result.scenario) else {
                continue;
            };
            let on_step = evidence.exchanges.iter().find(|n| {
                scenario
                    .transcript
                    .iter()
                    .any(|e| e.number == **n && e.step == *step)
            });
            if let Some(number) = on_step {
                blocked.push((
                    i,
                    root,
                    format!(
                        "#{number} ({step}) shows the deviation {owner} already fails on in {}",
                        results[root].scenario
                    ),
                ));
            }
        }
    }
    blocked
}
