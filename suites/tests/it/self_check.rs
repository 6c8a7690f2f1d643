//! The suites judged against the reference bridge: clean, every check
//! passes; with each `--fault`, the run fails and every check the fault is
//! paired with is among the failures (STYLE §6: a fixture that fails on
//! purpose + the model of what should happen).

use std::collections::BTreeSet;

use scimulate_bridge::{Fault, FaultSet};
use scimulate_suites::checks::fault_map;
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
    for fault in Fault::all() {
        let expected: BTreeSet<&str> = map
            .iter()
            .filter(|(f, _)| *f == fault)
            .map(|(_, id)| *id)
            .collect();
        let record = run_with([fault].into_iter().collect()).await;
        let failed = failed(&record);
        if record.passed() {
            problems.push(format!("--fault {fault}: the run passed"));
        }
        let missed: Vec<&&str> = expected.iter().filter(|id| !failed.contains(*id)).collect();
        if !missed.is_empty() {
            problems.push(format!(
                "--fault {fault}: these paired checks did not fail: {missed:?} (failed: {failed:?})"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
