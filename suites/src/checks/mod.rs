//! The check catalogue: uniform entries, split by area, each with its id,
//! level, sources, needs, hint and the function that judges it.

mod auth;
mod connection;
mod onepassword;
mod users;

use crate::check::{CheckDef, Needs};
use crate::observation::Observation;
use crate::verdict::{CheckResult, Verdict};

/// One check: its definition, the scenario whose run it judges, and the
/// judgement.
pub struct Check {
    pub def: CheckDef,
    pub scenario: &'static str,
    pub judge: fn(&Observation) -> Verdict,
}

/// Every check, area by area.
pub fn catalogue() -> Vec<&'static Check> {
    connection::CHECKS
        .iter()
        .chain(auth::CHECKS)
        .chain(users::CHECKS)
        .chain(onepassword::CHECKS)
        .collect()
}

/// Judges every check of `observation.scenario`. Checks that need the
/// account are skipped, with the reason, when it is not observable.
pub fn judge(observation: &Observation) -> Vec<CheckResult> {
    catalogue()
        .into_iter()
        .filter(|check| check.scenario == observation.scenario)
        .map(|check| {
            let verdict = if check.def.needs == Needs::Backend && observation.effects.is_none() {
                Verdict::Skipped {
                    reason: "needs the fake 1Password account's effect log: run against the \
                             embedded bridge, or give --backend-url when your bridge uses it"
                        .into(),
                }
            } else {
                (check.judge)(observation)
            };
            CheckResult::new(&check.def, &observation.scenario, verdict)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = BTreeSet::new();
        for check in catalogue() {
            let id = check.def.id;
            assert!(seen.insert(id), "duplicate check id {id}");
            assert!(
                id.split('.').count() >= 3
                    && id.chars().all(|c| c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || c == '.'
                        || c == '-'),
                "badly formed id {id}"
            );
            assert!(!check.def.sources.is_empty(), "{id} cites no source");
            assert!(!check.def.hint.is_empty(), "{id} has no hint");
        }
    }
}
