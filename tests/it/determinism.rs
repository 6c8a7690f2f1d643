//! What README promises of two command-line runs: with `--run-id` fixed,
//! the same run id and the same verdicts; what the target and the clock
//! assign (server ids, times, durations, effects' `at`) may differ, and
//! `scimulate diff`, which compares verdicts, sees no change.

use crate::cli::{output, scimulate, transcript};

#[test]
fn two_runs_with_one_run_id_have_the_same_verdicts() {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let reports: Vec<String> = ["a.json", "b.json"]
        .iter()
        .map(|name| dir.path().join(name).to_string_lossy().into_owned())
        .collect();
    for report in &reports {
        let out = output(scimulate(&[
            "run",
            "--run-id",
            "r0d1e2f",
            "--only",
            "okta.users",
            "--quiet",
            "--report-json",
            report,
        ]));
        assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    }
    let read = |path: &String| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).expect("the report was written"))
            .expect("a JSON report")
    };
    let (a, b) = (read(&reports[0]), read(&reports[1]));
    assert_eq!(a["run_id"], "r0d1e2f");
    assert_eq!(a["run_id"], b["run_id"]);
    assert_eq!(
        a["results"].as_array().map(Vec::len),
        b["results"].as_array().map(Vec::len)
    );
    let out = output(scimulate(&["diff", &reports[0], &reports[1]]));
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("0 regressed, 0 fixed, 0 changed, 0 added, 0 removed"),
        "{text}"
    );
}

#[test]
fn a_run_id_that_is_not_one_is_refused() {
    let out = output(scimulate(&["run", "--run-id", "abc"]));
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("--run-id abc: give `r` and six hex digits"),
        "{text}"
    );
}
