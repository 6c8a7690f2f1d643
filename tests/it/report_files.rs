//! Report files are written independently: one that cannot be written is
//! named and the others are still written (exit 2, results shown); one
//! path given to two reports is refused before the run.

use crate::cli::{output, scimulate, transcript};

/// One quick scenario: enough for every report to have content.
const QUICK: &[&str] = &["run", "--only", "okta.users.create.returns-201", "--quiet"];

#[test]
fn a_report_that_cannot_be_written_loses_none_of_the_others() {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (junit, html, har) = (path("r.xml"), path("r.html"), path("r.har"));
    let mut args = QUICK.to_vec();
    args.extend([
        "--report-json",
        "/dev/full",
        "--junit",
        &junit,
        "--html",
        &html,
        "--har",
        &har,
    ]);
    let out = output(scimulate(&args));
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--report-json: could not write /dev/full"),
        "the failed report is named: {text}"
    );
    assert!(
        stderr.contains("written: --junit") && stderr.contains("--har"),
        "the written ones are named: {text}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("passed"),
        "the results were shown: {text}"
    );
    for file in [&junit, &html, &har] {
        let written = std::fs::read_to_string(file).unwrap_or_default();
        assert!(!written.is_empty(), "{file} was not written: {text}");
    }
}

#[test]
fn one_path_for_two_reports_is_refused_before_the_run() {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let json = dir.path().join("r.json");
    let same = dir.path().join(".").join("r.json");
    let mut args = QUICK.to_vec();
    let (json, same) = (json.to_string_lossy(), same.to_string_lossy());
    args.extend(["--report-json", &json, "--junit", &same]);
    let out = output(scimulate(&args));
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("--report-json and --junit both name"),
        "a clear message: {text}"
    );
    assert!(out.stdout.is_empty(), "refused before the run: {text}");
    assert!(
        !dir.path().join("r.json").exists(),
        "nothing written: {text}"
    );
}
