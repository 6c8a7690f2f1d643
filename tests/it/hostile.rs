//! scimulate against hostile targets (`hostile/server.rs`): whatever a
//! half-finished bridge does — never answer, trickle, send a gigabyte, send
//! garbage, redirect elsewhere, reset, storm, rate-limit forever, fail TLS —
//! the run ends within its bounds (each child is killed after
//! `cli::output`'s 60 s), with a failed check (exit 1) or a plain cause
//! (exit 2), never a panic, never the token, and with every result it
//! already had.
//!
//! Every run gets small limits: `--timeout 2s` per exchange, `--deadline`
//! for the whole run, `--max-body-mib 1`.

mod server;

use std::process::Output;

use server::{Hostile, Mode};

use crate::cli::{SECRET, output, scimulate, transcript};

/// Runs `scimulate run` against `base_url` with small limits and `extra`.
async fn run_against(base_url: &str, extra: &[&str]) -> Output {
    let mut args: Vec<String> = [
        "run",
        "--base-url",
        base_url,
        "--token",
        SECRET,
        "--max-body-mib",
        "1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if !extra.contains(&"--timeout") {
        args.extend(["--timeout".to_string(), "2s".to_string()]);
    }
    if !extra.contains(&"--deadline") {
        args.extend(["--deadline".to_string(), "40s".to_string()]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let out = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        output(scimulate(&args))
    })
    .await
    .expect("the child's runner does not panic");
    let text = transcript(&out);
    assert!(!text.contains("panicked"), "scimulate panicked:\n{text}");
    assert!(!text.contains(SECRET), "the token leaked:\n{text}");
    out
}

/// Asserts the run ended with `code` and its output says `expected`.
fn assert_ended(out: &Output, code: i32, expected: &str) {
    let text = transcript(out);
    assert_eq!(out.status.code(), Some(code), "{text}");
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_never_answers_is_unreachable() {
    let hostile = Hostile::start(Mode::Silent).await;
    let out = run_against(&hostile.base_url(), &[]).await;
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    let err = stderr(&out);
    assert!(
        err.contains("did not answer") && err.contains("timed out after 2000 ms"),
        "{err}"
    );
    assert_eq!(
        hostile.requests(),
        1,
        "one silent request is enough to know"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_answers_a_byte_a_second_times_out() {
    let hostile = Hostile::start(Mode::Trickle).await;
    let out = run_against(&hostile.base_url(), &[]).await;
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out).contains("timed out after 2000 ms"),
        "{}",
        transcript(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gigabyte_body_is_cut_at_the_size_cap() {
    let hostile = Hostile::start(Mode::Huge).await;
    let out = run_against(&hostile.base_url(), &["--only", "core::*"]).await;
    assert_ended(&out, 1, "response body larger than 1048576 bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_json_fails_checks() {
    let hostile = Hostile::start(Mode::InvalidJson).await;
    let out = run_against(&hostile.base_url(), &[]).await;
    assert_ended(&out, 1, "FAILED okta.connection.test-passes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_of_the_wrong_shape_fails_checks() {
    let hostile = Hostile::start(Mode::WrongShape).await;
    let out = run_against(&hostile.base_url(), &[]).await;
    assert_ended(&out, 1, "FAILED okta.connection.test-passes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_content_type_fails_its_check() {
    let hostile = Hostile::start(Mode::WrongContentType).await;
    let out = run_against(&hostile.base_url(), &[]).await;
    assert_ended(&out, 1, "FAILED scim.connection.content-type");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_another_origin_is_not_followed() {
    // Another host (127.0.0.2) and port: whatever reaches it is counted.
    let elsewhere = Hostile::start_on("127.0.0.2:0", Mode::ErrorStorm).await;
    let hostile = Hostile::start(Mode::Redirect { to: elsewhere.addr }).await;
    let out = run_against(&hostile.base_url(), &[]).await;
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    assert!(hostile.requests() > 1);
    assert_eq!(
        elsewhere.requests(),
        0,
        "a redirect was followed (with or without the token)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_reset_mid_body_is_a_recorded_error() {
    let hostile = Hostile::start(Mode::ResetMidBody).await;
    let out = run_against(&hostile.base_url(), &[]).await;
    let text = transcript(&out);
    assert!(matches!(out.status.code(), Some(1 | 2)), "{text}");
    assert!(
        text.contains("request failed") || text.contains("could not connect"),
        "the reset is named: {text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_storm_fails_checks_without_retries() {
    let hostile = Hostile::start(Mode::ErrorStorm).await;
    let out = run_against(&hostile.base_url(), &["--only", "core::*"]).await;
    assert_ended(&out, 1, "FAILED scim.errors.no-server-errors");
    // Okta does not retry a 5xx (docs/okta-wire.md#10-errors-retries-timeouts): one request per
    // step of core, a few dozen at most.
    assert!(hostile.requests() < 40, "{} requests", hostile.requests());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_forever_with_a_huge_retry_after_gives_up_at_once() {
    let hostile = Hostile::start(Mode::RateLimitForever).await;
    let out = run_against(&hostile.base_url(), &["--only", "core::*"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    assert!(hostile.requests() < 40, "{} requests", hostile.requests());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_handshake_failure_is_a_plain_cause() {
    let hostile = Hostile::start(Mode::NotTls).await;
    let url = format!("https://{}/scim/v2", hostile.addr);
    let out = run_against(&url, &[]).await;
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    let err = stderr(&out);
    assert!(
        err.contains("did not answer at https://127.0.0.1:"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_past_its_deadline_keeps_what_it_had() {
    // Core is answered (with 500s), then the target goes silent: the
    // scenarios after core wait out their timeouts until the deadline.
    let hostile = Hostile::start(Mode::StormThenSilence { answered: 40 }).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let report = dir.path().join("report.json");
    let report_arg = report.display().to_string();
    // The silence would end the run as a dead target after three
    // exchanges (see below): this is about the deadline.
    let out = run_against(
        &hostile.base_url(),
        &[
            "--deadline",
            "6s",
            "--max-dead-exchanges",
            "1000",
            "--report-json",
            &report_arg,
        ],
    )
    .await;
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(stderr(&out).contains("the run is incomplete"), "{text}");
    assert!(stdout(&out).contains("verdict: incomplete"), "{text}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("the report was written"))
            .expect("JSON");
    assert!(
        report["incomplete"]
            .as_str()
            .is_some_and(|r| r.contains("deadline"))
    );
    assert_eq!(report["verdict"], "failed");
    let results = report["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .any(|r| r["scenario"] == "core" && r["status"] == "failed"),
        "core's verdicts are kept"
    );
    assert!(
        results.iter().any(|r| r["status"] == "skipped"
            && r["message"]
                .as_str()
                .is_some_and(|m| m.contains("deadline"))),
        "what was not played says why"
    );
}

/// `scimulate ARGS…` on a blocking thread.
async fn blocking(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        output(scimulate(&args))
    })
    .await
    .expect("the child's runner does not panic")
}

/// Issue 16: a target that answers with headers and then a body that never
/// completes ends the run after `--max-dead-exchanges` (3) exchanges, not
/// at the deadline: the cause named in one line with the exchanges as
/// evidence, every check skipped with the reason, the reports written and
/// incomplete, exit 2. Cleanup tries one more exchange and stops. With
/// `--timeout T` that is 4 × T at most: 4 min with the default 60 s,
/// 20 s with `--timeout 5s`.
async fn a_dead_target_ends_the_run(mode: Mode, cause: &str) {
    let hostile = Hostile::start(mode).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let report = dir.path().join("report.json");
    let junit = dir.path().join("junit.xml");
    let (report_arg, junit_arg) = (report.display().to_string(), junit.display().to_string());
    let out = run_against(
        &hostile.base_url(),
        &[
            "--timeout",
            "300ms",
            "--report-json",
            &report_arg,
            "--junit",
            &junit_arg,
        ],
    )
    .await;
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    // Three exchanges of core, then one of cleanup: nothing more.
    assert_eq!(hostile.requests(), 4, "{text}");
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains("the run is incomplete"))
        .unwrap_or_else(|| panic!("no reason given:\n{text}"));
    assert!(
        line.contains(
            "the target stopped answering: 3 exchange(s) in a row ended without a complete answer"
        ) && line.contains("GET /ServiceProviderConfig")
            && line.contains(cause),
        "{line}"
    );
    assert!(
        !err.contains("waiting"),
        "no progress off a terminal: {err}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("the report was written"))
            .expect("JSON");
    assert!(
        report["incomplete"]
            .as_str()
            .is_some_and(|r| r.contains("the target stopped answering")),
        "{report}"
    );
    let results = report["results"].as_array().expect("results");
    assert!(!results.is_empty());
    assert!(
        results.iter().all(|r| r["status"] == "skipped"
            && r["message"]
                .as_str()
                .is_some_and(|m| m.contains("not played: the target stopped answering"))),
        "every check says why it was not judged: {:?}",
        results.iter().find(|r| !r["message"]
            .as_str()
            .is_some_and(|m| m.contains("not played: the target stopped answering")))
    );
    let evidence: Vec<&serde_json::Value> = report["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .filter(|s| s["name"] == "core: cut off")
        .collect();
    assert_eq!(
        evidence
            .first()
            .and_then(|s| s["transcript"].as_array())
            .map(Vec::len),
        Some(3),
        "the exchanges that gave up on the target are kept"
    );
    assert!(std::fs::read_to_string(&junit).is_ok_and(|j| j.contains("testsuite")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_a_body_that_trickles_ends_the_run_after_three_exchanges() {
    a_dead_target_ends_the_run(Mode::TrickleBody, "timed out after 300 ms").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_a_body_cut_short_on_an_open_connection_ends_the_run() {
    a_dead_target_ends_the_run(Mode::ShortBody, "timed out after 300 ms").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_a_merely_slow_target_is_judged_to_the_end() {
    // Every answer complete, 100 ms late, within a 2 s timeout: nothing is
    // cut, every scenario is played and judged (its 500s fail checks).
    let hostile = Hostile::start(Mode::Slow { delay_ms: 100 }).await;
    let out = run_against(&hostile.base_url(), &[]).await;
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(!text.contains("incomplete"), "{text}");
    assert!(!text.contains("stopped answering"), "{text}");
    assert!(hostile.requests() > 40, "{} requests", hostile.requests());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_load_and_cleanup_stop_at_a_dead_target() {
    let hostile = Hostile::start(Mode::TrickleBody).await;
    let base_url = hostile.base_url();
    let args = [
        "load",
        "--users",
        "50",
        "--base-url",
        &base_url,
        "--token",
        SECRET,
        "--timeout",
        "300ms",
    ];
    let out = blocking(args.iter().map(|s| s.to_string()).collect()).await;
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        stderr(&out).contains("the load is incomplete: the target stopped answering"),
        "{text}"
    );
    // Each of the four workers' first exchange, at most one more from a
    // worker whose timeout came before the third, then cleanup's one more.
    assert!(
        hostile.requests() <= 4 * 2 + 1,
        "{} requests: {text}",
        hostile.requests()
    );
    assert!(!text.contains(SECRET));

    let before = hostile.requests();
    let base_url = hostile.base_url();
    let args = [
        "cleanup",
        "--run-id",
        "r5713e4",
        "--base-url",
        &base_url,
        "--token",
        SECRET,
        "--timeout",
        "300ms",
    ];
    let out = blocking(args.iter().map(|s| s.to_string()).collect()).await;
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("the target stopped answering"), "{text}");
    assert!(
        text.contains("finish it with `scimulate cleanup --run-id r5713e4"),
        "{text}"
    );
    assert_eq!(hostile.requests() - before, 3, "{text}");
}
