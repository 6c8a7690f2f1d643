//! The suites judged against the reference bridge: clean, every check
//! passes; with each `--fault`, the run fails and every check the fault is
//! paired with is among the failures (a fault that breaks only SHOULD rules,
//! `checks::SHOULD_ONLY_FAULTS`, fails its checks and the run still passes) (STYLE §6: a fixture that fails on
//! purpose + the model of what should happen).

use std::collections::BTreeSet;

use scimulate_bridge::{Fault, FaultSet};
use scimulate_suites::checks::{fault_fails_the_run, fault_map};
use scimulate_suites::{RunOptions, RunRecord, TargetSpec, Verdict, run};

async fn run_with(faults: FaultSet) -> RunRecord {
    let mut options = RunOptions::new(TargetSpec::Embedded {
        account: Default::default(),
        faults,
    });
    options.deterministic = true;
    run(options).await.expect("the run can be made")
}

/// The checks the fault turned red: failed, or blocked (only a failed
/// result is ever blocked, by the failure that owns its cause).
fn failed(record: &RunRecord) -> BTreeSet<&'static str> {
    record
        .results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Failed { .. } | Verdict::Blocked { .. }))
        .map(|r| r.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_bridge_passes_every_check() {
    let record = run_with(FaultSet::none()).await;
    let failures: Vec<String> = record
        .results
        .iter()
        .filter_map(|r| match &r.verdict {
            Verdict::Failed { evidence } => Some(format!(
                "{}::{}: expected {}, seen {}",
                r.scenario, r.id, evidence.expected, evidence.seen
            )),
            _ => None,
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let skipped: Vec<&str> = record
        .results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Skipped { .. }))
        .map(|r| r.id)
        .collect();
    assert!(
        skipped.is_empty(),
        "nothing is skipped on the embedded bridge: {skipped:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_turns_its_checks_red() {
    let map = fault_map();
    let mut problems = Vec::new();
    let mut quoted = BTreeSet::new();
    // Checks a fault only ever blocks (their failure is another's cause):
    // their messages are proven by their unit tests.
    let mut blocked_only = BTreeSet::new();
    for fault in Fault::all() {
        let expected: BTreeSet<&str> = map
            .iter()
            .filter(|(f, _)| *f == fault)
            .map(|(_, id)| *id)
            .collect();
        let record = run_with([fault].into_iter().collect()).await;
        let failed = failed(&record);
        if record.passed() && fault_fails_the_run(fault) {
            problems.push(format!("--fault {fault}: the run passed"));
        }
        if !record.passed() && !fault_fails_the_run(fault) {
            problems.push(format!(
                "--fault {fault} breaks only SHOULD rules, yet the run failed: {failed:?}"
            ));
        }
        quotes_its_evidence(&record, &mut problems, &mut quoted);
        blocked_only.extend(
            record
                .results
                .iter()
                .filter(|r| matches!(r.verdict, Verdict::Blocked { .. }))
                .map(|r| r.id),
        );
        let missed: Vec<&&str> = expected.iter().filter(|id| !failed.contains(*id)).collect();
        if !missed.is_empty() {
            problems.push(format!(
                "--fault {fault}: these paired checks did not fail: {missed:?} (failed: {failed:?})"
            ));
        }
    }
    // Every check a fault turns red showed, at least once, a failure of
    // its own that quotes what it judged (issue 13.4).
    for (_, id) in &map {
        if !quoted.contains(id) && !blocked_only.contains(id) {
            problems.push(format!(
                "{id}: no fault gave it a failure of its own to check"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Checks whose evidence can be the account's state, quoted in `seen` (a
/// member list, an effect that never came), rather than an exchange.
const JUDGES_STATE: &[&str] = &[
    "1password.users.deactivate.suspends-not-deletes",
    "1password.users.create.invites-once",
    "1password.groups.members.match-okta",
    "1password.groups.members.changes-exactly",
];

/// Each failure's message names the evidence it judged: it cites at least
/// one exchange or effect (which every report then quotes), each of them
/// in its scenario's record, and it has a hint. The check ids whose
/// failures were looked at go into `quoted`.
fn quotes_its_evidence(
    record: &RunRecord,
    problems: &mut Vec<String>,
    quoted: &mut BTreeSet<&'static str>,
) {
    for result in &record.results {
        let Verdict::Failed { evidence } = &result.verdict else {
            continue;
        };
        let name = format!("{}::{}", result.scenario, result.id);
        let Some(scenario) = record.scenarios.iter().find(|s| s.name == result.scenario) else {
            problems.push(format!("{name}: its scenario is not recorded"));
            continue;
        };
        for n in &evidence.exchanges {
            if !scenario.transcript.iter().any(|e| e.number == *n) {
                problems.push(format!(
                    "{name}: cites exchange #{n}, not in the transcript"
                ));
            }
        }
        for n in &evidence.effects {
            if !scenario.effects.iter().any(|e| e.seq == *n) {
                problems.push(format!("{name}: cites effect #{n}, not in the effect log"));
            }
        }
        // Every report quotes the exchanges and effects a failure cites;
        // a failure that cites none judged nothing of its own (a step
        // never sent) and should have been blocked by the one that did.
        if evidence.exchanges.is_empty()
            && evidence.effects.is_empty()
            && !JUDGES_STATE.contains(&result.id)
        {
            problems.push(format!(
                "{name}: quotes no exchange or effect: {:?}",
                evidence.seen
            ));
        }
        if result.hint().is_none_or(str::is_empty) {
            problems.push(format!("{name}: no hint"));
        }
        quoted.insert(result.id);
    }
}

/// Every renamed id leads to a check, and no old id is still one (the
/// alias table is in `scimulate-record`, the catalogue here).
#[test]
fn every_rename_leads_to_a_check_and_no_old_id_is_reused() {
    let ids: Vec<&str> = scimulate_suites::checks::catalogue()
        .iter()
        .map(|c| c.def.id)
        .collect();
    for (old, new, _) in scimulate_suites::aliases::RENAMED {
        assert!(ids.contains(new), "{old} → {new}: {new} is no check");
        assert!(!ids.contains(old), "{old} is renamed but still a check");
    }
}
