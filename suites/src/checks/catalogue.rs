//! The catalogue gathered from the areas: every check, every fault paired
//! with the checks it turns red, and how one scenario's run is judged.

use scimulate_bridge::Fault;

use super::{auth, connection, discovery, errors, groups, import, onepassword, state, users};
use crate::capabilities::Capabilities;
use crate::check::Needs;
use crate::checks::entry::Check;
use crate::observation::Observation;
use crate::verdict::{CheckResult, Verdict};

/// Every check, area by area.
pub fn catalogue() -> Vec<&'static Check> {
    connection::CHECKS
        .iter()
        .chain(auth::CHECKS)
        .chain(discovery::CHECKS)
        .chain(users::CHECKS)
        .chain(import::CHECKS)
        .chain(groups::CHECKS)
        .chain(errors::CHECKS)
        .chain(onepassword::CHECKS)
        .chain(state::CHECKS)
        .collect()
}

/// Every fault of the reference bridge with the checks it must turn red,
/// gathered from the areas.
pub fn fault_map() -> Vec<(Fault, &'static str)> {
    [
        connection::FAULTS,
        auth::FAULTS,
        discovery::FAULTS,
        users::FAULTS,
        import::FAULTS,
        groups::FAULTS,
        errors::FAULTS,
        onepassword::FAULTS,
        state::FAULTS,
    ]
    .into_iter()
    .flatten()
    .flat_map(|(fault, ids)| ids.iter().map(move |id| (*fault, *id)))
    .collect()
}

/// Faults only SHOULD checks catch, each with why the rule it breaks is a
/// recommendation: a run against such a bridge fails those checks and
/// still exits 0, as it would on a server that keeps the rule loosely.
pub const SHOULD_ONLY_FAULTS: &[(Fault, &str)] = &[(
    Fault::KeepClearedAttributes,
    "RFC 7644 §3.5.1 lets a server take an attribute a PUT leaves out as \"not asserted\" and \
     keep it; Okta's admin cleared it, so keeping it is drift Okta never sees, reported as a SHOULD",
)];

/// Whether the reference bridge with `fault` fails the run (a MUST check
/// turns red): every fault but the [`SHOULD_ONLY_FAULTS`].
pub fn fault_fails_the_run(fault: Fault) -> bool {
    !SHOULD_ONLY_FAULTS.iter().any(|(f, _)| *f == fault)
}

/// Checks no fault can turn red, with the reason.
pub fn not_fault_testable() -> Vec<(&'static str, &'static str)> {
    [
        connection::NOT_FAULT_TESTABLE,
        auth::NOT_FAULT_TESTABLE,
        discovery::NOT_FAULT_TESTABLE,
        users::NOT_FAULT_TESTABLE,
        import::NOT_FAULT_TESTABLE,
        groups::NOT_FAULT_TESTABLE,
        errors::NOT_FAULT_TESTABLE,
        onepassword::NOT_FAULT_TESTABLE,
        state::NOT_FAULT_TESTABLE,
    ]
    .into_iter()
    .flatten()
    .copied()
    .collect()
}

/// Why a check is not judged in a read-only run.
pub const NEEDS_WRITES: &str = "needs writes (a test user is created): run without --read-only, \
     with --allow-remote-writes for a target off loopback";

/// The checks a read-only run (`--read-only`) judges: what `core`'s GET
/// requests show (discovery, Okta's connection test, authentication, the
/// error answers of reads). Everything else needs a user created.
pub const READ_ONLY: &[&str] = &[
    "okta.connection.test-passes",
    "scim.connection.content-type",
    "okta.auth.missing-token-401",
    "okta.auth.wrong-token-401",
    "scim.auth.www-authenticate",
    "scim.discovery.service-provider-config",
    "scim.discovery.resource-types",
    "scim.discovery.schemas",
    "scim.discovery.bearer-scheme",
    "okta.errors.unknown-id-404",
    "scim.errors.invalid-filter-400",
    "scim.errors.envelope",
    "scim.errors.status-string",
    "scim.errors.no-server-errors",
];

/// In a read-only run: every result but the [`READ_ONLY`] ones is skipped.
pub fn only_read_only(results: &mut [CheckResult]) {
    for result in results {
        if !READ_ONLY.contains(&result.id) {
            result.verdict = Verdict::Skipped {
                reason: NEEDS_WRITES.to_string(),
            };
        }
    }
}

/// Every scenario some check judges, in catalogue order.
pub fn judged_scenarios() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for check in catalogue() {
        for scenario in check.scenarios {
            if !names.contains(scenario) {
                names.push(scenario);
            }
        }
    }
    names
}

/// Judges every check of `observation.scenario`. Checks that need the
/// account are skipped, with the reason, when it is not observable; checks
/// that need a capability the target does not advertise likewise.
pub fn judge(observation: &Observation, capabilities: &Capabilities) -> Vec<CheckResult> {
    catalogue()
        .into_iter()
        .filter(|check| check.scenarios.contains(&observation.scenario.as_str()))
        .map(|check| {
            let verdict = judge_one(check, observation, capabilities);
            CheckResult::new(&check.def, &observation.scenario, verdict)
        })
        .collect()
}

/// One check's verdict on one scenario's run.
pub fn judge_one(check: &Check, observation: &Observation, capabilities: &Capabilities) -> Verdict {
    if let Some(reason) = capabilities.profile.excludes(&check.def) {
        Verdict::Skipped { reason }
    } else if let Some(missing) = check.requires.filter(|c| !capabilities.has(*c)) {
        Verdict::Skipped {
            reason: format!("the target does not advertise {}", missing.describe()),
        }
    } else if check.def.needs == Needs::Backend && observation.effects.is_none() {
        Verdict::Skipped {
            reason: "needs the fake 1Password account's effect log: run against the \
                     embedded bridge, or give --backend-url when your bridge uses it"
                .into(),
        }
    } else {
        crate::attempts::judge_final(check.judge, observation)
    }
}

/// Every check of `scenario`, skipped for `reason` (e.g. it needs a seeded
/// account the target cannot have).
pub fn skip_all(scenario: &str, reason: &str) -> Vec<CheckResult> {
    catalogue()
        .into_iter()
        .filter(|check| check.scenarios.contains(&scenario))
        .map(|check| {
            CheckResult::new(
                &check.def,
                scenario,
                Verdict::Skipped {
                    reason: reason.to_string(),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_check_is_exercised_by_a_fault_or_says_why_not() {
        let caught: BTreeSet<&str> = fault_map().iter().map(|(_, id)| *id).collect();
        let excused: BTreeSet<&str> = not_fault_testable().iter().map(|(id, _)| *id).collect();
        let ids: BTreeSet<&str> = catalogue().iter().map(|c| c.def.id).collect();
        for id in &ids {
            assert!(
                caught.contains(id) || excused.contains(id),
                "{id}: no fault turns it red and no reason says why not"
            );
            assert!(
                !(caught.contains(id) && excused.contains(id)),
                "{id}: both caught and excused"
            );
        }
        for id in caught.iter().chain(&excused) {
            assert!(ids.contains(id), "{id} is paired but is no check");
        }
    }

    #[test]
    fn every_fault_turns_a_must_check_red_or_says_why_not() {
        for fault in Fault::all() {
            let paired: Vec<&str> = fault_map()
                .iter()
                .filter(|(f, _)| *f == fault)
                .map(|(_, id)| *id)
                .collect();
            assert!(!paired.is_empty(), "fault {fault} is paired with no check");
            let musts = paired
                .iter()
                .filter(|id| {
                    catalogue()
                        .iter()
                        .any(|c| c.def.id == **id && c.def.level == crate::check::Level::Must)
                })
                .count();
            if fault_fails_the_run(fault) {
                assert!(musts > 0, "fault {fault} is paired with no MUST check");
            } else {
                assert_eq!(
                    musts, 0,
                    "fault {fault} is SHOULD-only but pairs a MUST check"
                );
            }
        }
    }

    #[test]
    fn read_only_checks_exist_and_judge_core() {
        for id in READ_ONLY {
            let check = catalogue()
                .into_iter()
                .find(|c| c.def.id == *id)
                .unwrap_or_else(|| panic!("{id} is no check"));
            assert!(
                check.scenarios.contains(&crate::scenarios::core::NAME),
                "{id} does not judge core"
            );
        }
    }

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
            assert!(!check.scenarios.is_empty(), "{id} judges no scenario");
        }
    }
}
