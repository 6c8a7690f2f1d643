//! The same run against the reference bridge gives the same record every
//! time: verdicts, evidence, transcripts and effects, byte for byte once
//! the two things the operating system picks are masked (the ephemeral
//! port and the HTTP server's own `Date` header). Injected clocks and
//! seeded ids make everything else repeatable; no sleep, no wall clock.

use scimulate_bridge::{Fault, FaultSet};
use scimulate_simulator::Dialect;
use scimulate_suites::{RunOptions, RunRecord, TargetSpec, run};
use serde_json::Value;

async fn deterministic_run(faults: FaultSet, jobs: usize) -> RunRecord {
    let mut options = RunOptions::new(TargetSpec::Embedded {
        account: Default::default(),
        faults,
    });
    options.deterministic = true;
    options.jobs = jobs;
    options.dialects = vec![Dialect::Oin, Dialect::Aiw];
    run(options).await.expect("the run can be made")
}

/// The record as JSON with ports (each scenario has a bridge of its own)
/// and HTTP dates masked.
fn masked(record: &RunRecord) -> Value {
    let text = mask_ports(
        &serde_json::to_string(&record.clone().redacted()).expect("a record serializes"),
    );
    let mut value: Value = serde_json::from_str(&text).expect("JSON");
    mask_dates(&mut value);
    value
}

/// `127.0.0.1:PORT` → `127.0.0.1:[PORT]`.
fn mask_ports(text: &str) -> String {
    const HOST: &str = "127.0.0.1:";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(HOST) {
        out.push_str(&rest[..at + HOST.len()]);
        rest = &rest[at + HOST.len()..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str("[PORT]");
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

fn mask_dates(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("name").and_then(Value::as_str) == Some("date") && map.contains_key("value")
            {
                map.insert("value".into(), "[HTTP-DATE]".into());
            }
            map.values_mut().for_each(mask_dates);
        }
        Value::Array(items) => items.iter_mut().for_each(mask_dates),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_run_gives_the_same_record_every_time() {
    for faults in [
        FaultSet::none(),
        [Fault::DuplicateGroups].into_iter().collect::<FaultSet>(),
    ] {
        // One scenario at a time, then several at once: the record keeps
        // the catalogue's order whichever finishes first.
        let first = masked(&deterministic_run(faults.clone(), 1).await);
        for jobs in [4, 4] {
            let again = masked(&deterministic_run(faults.clone(), jobs).await);
            if again != first {
                let (a, b) = (first.to_string(), again.to_string());
                let at = a
                    .bytes()
                    .zip(b.bytes())
                    .position(|(x, y)| x != y)
                    .unwrap_or(a.len().min(b.len()));
                let from = at.saturating_sub(200);
                panic!(
                    "a run with {jobs} jobs differs from one with 1 at byte {at}:\n{}\n---\n{}",
                    &a[from..(at + 200).min(a.len())],
                    &b[from..(at + 200).min(b.len())]
                );
            }
        }
    }
}
