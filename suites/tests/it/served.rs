//! The self-check again, with the reference bridge as a bridge someone
//! else runs: reached by its URL, its fake account by `--backend-url` and
//! seeded over HTTP before each scenario (what `scimulate serve` + `run
//! --backend-url` does). Every check is judged, none skipped; with each
//! `--fault`, its paired checks fail as on the embedded bridge. Each
//! fault gets an in-process pair of its own (no child process).

use std::collections::BTreeSet;

use libtest_mimic::Arguments;
use scimulate_backend::AccountSeed;
use scimulate_bridge::{Fault, FaultSet};
use scimulate_suites::checks::{fault_fails_the_run, fault_map};
use scimulate_suites::harness::{HarnessConfig, run as harness_run};
use scimulate_suites::{
    Embedded, EmbeddedOptions, RunOptions, RunRecord, TargetSpec, Verdict, run,
};

/// The reference bridge (with `faults`) over an account that is not the
/// scenarios' (as `scimulate serve` starts it), judged from outside.
async fn served_run(faults: FaultSet) -> RunRecord {
    let served = Embedded::start(
        AccountSeed::default().with_allowed_domains(["acme.com", "example.com"]),
        EmbeddedOptions {
            faults,
            ..EmbeddedOptions::default()
        },
    )
    .await
    .expect("the pair starts");
    let options = RunOptions::new(TargetSpec::External {
        target: served.target().clone(),
        backend_url: Some(served.backend.url()),
    });
    let record = run(options).await.expect("the run can be made");
    served.bridge.shutdown().await;
    record
}

fn with(record: &RunRecord, wanted: fn(&Verdict) -> bool) -> BTreeSet<String> {
    record
        .results
        .iter()
        .filter(|r| wanted(&r.verdict))
        .map(|r| format!("{}::{}", r.scenario, r.id))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_served_reference_bridge_is_judged_on_every_check_and_passes() {
    let record = served_run(FaultSet::none()).await;
    let failed = with(&record, |v| matches!(v, Verdict::Failed { .. }));
    assert!(failed.is_empty(), "{failed:?}");
    let skipped = with(&record, |v| matches!(v, Verdict::Skipped { .. }));
    assert!(skipped.is_empty(), "every check is judged: {skipped:?}");
    assert!(record.target.backend_observed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_of_a_served_bridge_turns_its_checks_red() {
    let map = fault_map();
    let mut problems = Vec::new();
    // Four faults at a time: a run mostly waits on loopback round trips.
    let mut records = Vec::new();
    let faults: Vec<Fault> = Fault::all().collect();
    for chunk in faults.chunks(4) {
        let runs = chunk
            .iter()
            .map(|&fault| async move { (fault, served_run([fault].into_iter().collect()).await) });
        records.extend(futures_util::future::join_all(runs).await);
    }
    for (fault, record) in records {
        // Red: failed, or blocked by the failure that owns its cause, as in
        // the embedded self-check.
        let failed: BTreeSet<&str> = record
            .results
            .iter()
            .filter(|r| matches!(r.verdict, Verdict::Failed { .. } | Verdict::Blocked { .. }))
            .map(|r| r.id)
            .collect();
        if record.passed() && fault_fails_the_run(fault) {
            problems.push(format!("--fault {fault}: the run passed"));
        }
        let missed: Vec<&str> = map
            .iter()
            .filter(|(f, id)| *f == fault && !failed.contains(id))
            .map(|(_, id)| *id)
            .collect();
        if !missed.is_empty() {
            problems.push(format!(
                "--fault {fault}: these paired checks did not turn red: {missed:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The test harness (a bridge's own `cargo test`) on a served bridge: every
/// trial judged, none ignored, though trials run on several threads.
#[test]
fn the_harness_ignores_no_trial_on_a_served_bridge() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let served = runtime
        .block_on(Embedded::start(
            AccountSeed::default(),
            EmbeddedOptions::default(),
        ))
        .expect("the pair starts");
    let mut config = HarnessConfig::embedded();
    config.options.target = TargetSpec::External {
        target: served.target().clone(),
        backend_url: Some(served.backend.url()),
    };
    let args = Arguments {
        test_threads: Some(4),
        quiet: true,
        ..Arguments::default()
    };
    let conclusion = harness_run(&args, config);
    assert_eq!(
        (conclusion.num_failed, conclusion.num_ignored),
        (0, 0),
        "{conclusion:?}"
    );
    assert!(conclusion.num_passed > 200, "{conclusion:?}");
    runtime.block_on(served.bridge.shutdown());
}

/// `--read-only` plays no scenario and changes nothing, in the account
/// either: it is not seeded, nor put back as it started.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_run_leaves_the_served_account_alone() {
    let served = Embedded::start(AccountSeed::default(), EmbeddedOptions::default())
        .await
        .expect("the pair starts");
    let client = served.backend.client().expect("a client");
    let other = AccountSeed::empty("Other").with_allowed_domains(["other.com"]);
    client.replace_account(&other).await.expect("seeded");
    let before = served.backend.snapshot();
    let mut options = RunOptions::new(TargetSpec::External {
        target: served.target().clone(),
        backend_url: Some(served.backend.url()),
    });
    options.read_only = true;
    let record = run(options).await.expect("the run can be made");
    assert!(record.passed());
    assert_eq!(served.backend.snapshot(), before);
    served.bridge.shutdown().await;
}
