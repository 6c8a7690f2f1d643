//! The `scimulate` binary as users meet it: exit codes, what it prints, and
//! that the bearer token never shows. Every child process is bounded in time
//! and ended by its pid.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_scimulate");
const DEADLINE: Duration = Duration::from_secs(60);

/// A recognizable token: if it appears in any output, a test fails.
pub(crate) const SECRET: &str = "tok-SECRET-7f3a9c1e-do-not-print";

/// The binary with a clean environment for the variables it reads.
pub(crate) fn scimulate(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("SCIM_BASE_URL")
        .env_remove("SCIM_TOKEN")
        .env_remove("SCIMULATE_BACKEND_URL")
        .env_remove("SCIMULATE_SERVE_TOKEN")
        .env_remove("SCIMULATE_JOBS")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs to completion within [`DEADLINE`], killing the child if it hangs.
pub(crate) fn output(mut command: Command) -> Output {
    let child = command.spawn().expect("the scimulate binary starts");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(result) => result.expect("the child's output is readable"),
        Err(_) => {
            kill(pid);
            // Not `{command:?}`: it would print the environment, token included.
            panic!(
                "scimulate {:?} did not finish within {DEADLINE:?}",
                command.get_args().collect::<Vec<_>>()
            );
        }
    }
}

fn kill(pid: u32) {
    let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
}

/// `exit: N`, then stdout and stderr, for a snapshot.
pub(crate) fn transcript(output: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn run_against_the_embedded_bridge_passes() {
    let out = output(scimulate(&["run"]));
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    insta::with_settings!({filters => vec![
        (r"run r[0-9a-f]{6}", "run [RUN_ID]"),
    ]}, {
        insta::assert_snapshot!("run__embedded", transcript(&out));
    });
}

#[test]
fn run_with_a_fault_fails_with_evidence() {
    let out = output(scimulate(&["run", "--fault", "delete-instead-of-suspend"]));
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    insta::with_settings!({filters => vec![
        (r"run r[0-9a-f]{6}", "run [RUN_ID]"),
        (r"ada\.lovelace\.r[0-9a-f]{6}@", "ada.lovelace.[RUN_ID]@"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
        (r"\b[A-Z2-7]{26}\b", "[MEMBER_ID]"),
    ]}, {
        insta::assert_snapshot!("run__fault_delete_instead_of_suspend", transcript(&out));
    });
}

#[test]
fn jobs_are_bounded_and_change_no_verdict() {
    for bad in ["0", "17", "many"] {
        let out = output(scimulate(&["run", "--jobs", bad]));
        assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
        assert!(String::from_utf8_lossy(&out.stderr).contains("--jobs"));
    }
    let totals = |jobs: &str| {
        let out = output(scimulate(&["run", "--quiet", "--jobs", jobs]));
        assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .filter(|l| !l.contains(" run r"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(totals("1"), totals("16"));
}

#[test]
fn unknown_fault_is_a_usage_error() {
    let out = output(scimulate(&["run", "--fault", "asign"]));
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("run__unknown_fault", transcript(&out));
}

#[test]
fn unreachable_target_exits_2_and_says_why() {
    // Port 9 (discard) on loopback: nothing listens there on a test machine.
    let out = output(scimulate(&[
        "run",
        "--base-url",
        "http://127.0.0.1:9/scim/v2",
        "--token",
        SECRET,
    ]));
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    let text = transcript(&out);
    assert!(
        text.contains("did not answer at http://127.0.0.1:9/scim/v2"),
        "{text}"
    );
    assert!(!text.contains(SECRET), "the token leaked: {text}");
}

#[test]
fn remote_target_needs_consent() {
    let out = output(scimulate(&[
        "run",
        "--base-url",
        "https://scim.example.com/scim/v2",
        "--token",
        SECRET,
    ]));
    assert_eq!(out.status.code(), Some(2));
    let text = transcript(&out);
    assert!(!text.contains(SECRET), "the token leaked: {text}");
    insta::assert_snapshot!("run__remote_needs_consent", text);
}

#[test]
fn base_url_without_token_is_refused() {
    let out = output(scimulate(&[
        "run",
        "--base-url",
        "http://127.0.0.1:9/scim/v2",
    ]));
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("run__no_token", transcript(&out));
}

#[test]
fn missing_token_file_is_refused() {
    let out = output(scimulate(&[
        "run",
        "--base-url",
        "http://127.0.0.1:9/scim/v2",
        "--token-file",
        "/nonexistent/scimulate-token",
    ]));
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("run__missing_token_file", transcript(&out));
}

#[test]
fn unreadable_account_seed_names_the_file() {
    let out = output(scimulate(&["run", "--account", "/nonexistent/acme.toml"]));
    assert_eq!(out.status.code(), Some(2));
    let text = transcript(&out);
    assert!(text.contains("/nonexistent/acme.toml"), "{text}");
}

#[test]
fn faults_lists_the_catalogue() {
    let out = output(scimulate(&["faults"]));
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("faults", transcript(&out));
}

#[test]
fn checks_lists_the_catalogue() {
    let out = output(scimulate(&["checks"]));
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("checks", transcript(&out));
}

/// A `scimulate serve` child, killed by its pid when dropped.
struct Served {
    child: Child,
    base_url: String,
    token: String,
    backend_url: String,
    /// Everything it writes to stderr, read as it comes: an undrained pipe
    /// fills up (trace logs do, fast) and blocks the server.
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Served {
    /// Ends the server and returns everything it wrote to stderr.
    fn stop(mut self) -> String {
        kill(self.child.id());
        let _ = self.child.wait();
        self.stderr
            .take()
            .and_then(|reader| reader.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        kill(self.child.id());
        let _ = self.child.wait();
    }
}

/// Starts `scimulate serve` and reads its first three lines. Reading blocks
/// until the server printed them, which it does once it is listening: no
/// sleep, no polling. A watchdog kills it if the lines never come.
fn serve(extra: &[&str]) -> Served {
    let mut args = vec!["serve"];
    args.extend_from_slice(extra);
    let mut command = scimulate(&args);
    command
        .env("SCIMULATE_SERVE_TOKEN", SECRET)
        .env("RUST_LOG", "trace");
    let mut child = command.spawn().expect("scimulate serve starts");
    let pid = child.id();
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().map(|mut pipe| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
            text
        })
    });
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines().take(3) {
            match line {
                Ok(line) => lines.push(line),
                Err(_) => break,
            }
        }
        let _ = tx.send(lines);
    });
    let lines = match rx.recv_timeout(DEADLINE) {
        Ok(lines) => lines,
        Err(_) => {
            kill(pid);
            panic!("scimulate serve printed nothing within {DEADLINE:?}");
        }
    };
    let value = |key: &str| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(key))
            .map(str::to_string)
            .unwrap_or_else(|| {
                kill(pid);
                panic!("serve did not print {key}: {lines:?}")
            })
    };
    Served {
        base_url: value("BASE_URL="),
        token: value("TOKEN="),
        backend_url: value("BACKEND_URL="),
        child,
        stderr,
    }
}

#[test]
fn serve_prints_its_addresses_first() {
    let served = serve(&[]);
    assert!(served.base_url.starts_with("http://127.0.0.1:"));
    assert!(served.base_url.ends_with("/scim/v2"));
    assert!(served.backend_url.starts_with("http://127.0.0.1:"));
    assert_eq!(served.token, SECRET, "serve uses the token it was given");
}

#[test]
fn run_against_a_served_bridge_with_its_backend_judges_effects() {
    let served = serve(&[]);
    let mut command = scimulate(&[
        "run",
        "--base-url",
        &served.base_url,
        "--backend-url",
        &served.backend_url,
    ]);
    command
        .env("SCIM_TOKEN", &served.token)
        .env("RUST_LOG", "trace");
    let out = output(command);
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        !text.contains("note: the account"),
        "backend should be observed: {text}"
    );
    assert!(!text.contains(SECRET), "the token leaked at RUST_LOG=trace");
    let logs = served.stop();
    assert!(
        logs.contains("TRACE") || logs.contains("DEBUG"),
        "serve logged nothing at trace: {logs}"
    );
    assert!(
        !logs.contains(SECRET),
        "the bridge's own trace logs leaked the token"
    );
}

#[test]
fn run_against_a_bare_scim_url_skips_effect_checks() {
    let served = serve(&["--fault", "delete-instead-of-suspend"]);
    let mut command = scimulate(&["run", "--base-url", &served.base_url]);
    command.env("SCIM_TOKEN", &served.token);
    let out = output(command);
    let text = transcript(&out);
    // Black-box, the fault still shows: the user no longer reads back.
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("check(s): needs the fake 1Password account's effect log"),
        "{text}"
    );
    assert!(
        text.contains("FAILED okta.users.deactivate.reads-back-inactive"),
        "{text}"
    );
    assert!(!text.contains(SECRET), "the token leaked");
}

/// The four report files of a run, in `dir`.
fn report_args(dir: &std::path::Path) -> Vec<String> {
    [
        ("--report-json", "report.json"),
        ("--junit", "junit.xml"),
        ("--html", "certificate.html"),
        ("--har", "exchanges.har"),
    ]
    .iter()
    .flat_map(|(flag, file)| [flag.to_string(), dir.join(file).display().to_string()])
    .collect()
}

#[test]
fn every_report_is_written_and_none_holds_the_token() {
    let served = serve(&["--fault", "delete-instead-of-suspend"]);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut args = vec![
        "run".to_string(),
        "--base-url".into(),
        served.base_url.clone(),
        "--backend-url".into(),
        served.backend_url.clone(),
        "--verbose".into(),
    ];
    args.extend(report_args(dir.path()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut command = scimulate(&args);
    command.env("SCIM_TOKEN", SECRET).env("RUST_LOG", "trace");
    let out = output(command);
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(!text.contains(SECRET), "the token leaked in the output");
    for file in [
        "report.json",
        "junit.xml",
        "certificate.html",
        "exchanges.har",
    ] {
        let report = std::fs::read_to_string(dir.path().join(file))
            .unwrap_or_else(|e| panic!("{file} was not written: {e}"));
        assert!(
            report.contains("okta.users.deactivate.reads-back-inactive")
                || report.contains("Bearer [REDACTED]"),
            "{file} holds neither the failure nor the redacted exchanges"
        );
        assert!(!report.contains(SECRET), "the token leaked into {file}");
    }
    let har = std::fs::read_to_string(dir.path().join("exchanges.har")).unwrap_or_default();
    assert!(
        har.contains("Bearer [REDACTED]"),
        "the HAR shows no redacted header"
    );
    let logs = served.stop();
    assert!(!logs.contains(SECRET), "the bridge's logs leaked the token");
}

#[test]
fn report_folder_that_does_not_exist_is_refused_before_the_run() {
    let out = output(scimulate(&[
        "run",
        "--junit",
        "/nonexistent/scimulate/junit.xml",
    ]));
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("run__junit_folder_missing", transcript(&out));
}

#[test]
fn a_selection_that_matches_nothing_is_refused() {
    let out = output(scimulate(&["run", "--only", "okta.user"]));
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("run__only_matches_nothing", transcript(&out));
}

#[test]
fn only_and_skip_narrow_the_run() {
    let out = output(scimulate(&[
        "run",
        "--fault",
        "delete-instead-of-suspend",
        "--only",
        "okta.users.deactivate",
        "--skip",
        "*@aiw::*",
        "--quiet",
    ]));
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    insta::with_settings!({filters => vec![
        (r"run r[0-9a-f]{6}", "run [RUN_ID]"),
    ]}, {
        insta::assert_snapshot!("run__only_quiet", transcript(&out));
    });
}

#[test]
fn checks_as_json_lists_every_check() {
    let out = output(scimulate(&["checks", "--json"]));
    assert_eq!(out.status.code(), Some(0));
    let list: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("checks --json prints JSON");
    let list = list.as_array().expect("a list of checks");
    let text = String::from_utf8_lossy(&output(scimulate(&["checks"])).stdout).to_string();
    let listed = text.lines().filter(|l| !l.starts_with(' ')).count();
    assert_eq!(list.len(), listed, "JSON and text list the same checks");
    for check in list {
        for key in [
            "id",
            "level",
            "title",
            "sources",
            "needs",
            "hint",
            "scenarios",
        ] {
            assert!(check.get(key).is_some(), "{check} has no {key}");
        }
    }
}

/// Writes the JSON report of `scimulate run ARGS` to `path`.
fn json_report(path: &std::path::Path, args: &[&str]) {
    let mut all = vec!["run", "--report-json"];
    let shown = path.display().to_string();
    all.push(&shown);
    all.extend_from_slice(args);
    let out = output(scimulate(&all));
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        transcript(&out)
    );
}

#[test]
fn diff_gates_on_regressions_between_real_reports() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clean = dir.path().join("clean.json");
    let faulty = dir.path().join("faulty.json");
    let only = [
        "--only",
        "okta.users.deactivate",
        "--only",
        "1password.users",
    ];
    json_report(&clean, &only);
    let mut with_fault = only.to_vec();
    with_fault.extend(["--fault", "delete-instead-of-suspend"]);
    json_report(&faulty, &with_fault);
    let (clean, faulty) = (clean.display().to_string(), faulty.display().to_string());

    let worse = output(scimulate(&["diff", &clean, &faulty]));
    let text = transcript(&worse);
    assert_eq!(worse.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "REGRESSED core::okta.users.deactivate.reads-back-inactive  [MUST]  passed -> failed"
        ),
        "{text}"
    );
    assert!(text.contains("verdict: regressed"), "{text}");
    assert!(
        text.contains("note: the reports are of different targets"),
        "{text}"
    );

    let better = output(scimulate(&["diff", &faulty, &clean]));
    let text = transcript(&better);
    assert_eq!(better.status.code(), Some(0), "{text}");
    assert!(
        text.contains("FIXED     core::okta.users.deactivate.reads-back-inactive"),
        "{text}"
    );
    assert!(text.contains("0 regressed"), "{text}");

    let same = output(scimulate(&["diff", &clean, &clean]));
    assert_eq!(same.status.code(), Some(0), "{}", transcript(&same));
}

/// A schema-1 report of the release before the ids were renamed (written
/// by that release with `run --only 'core::*' --fault no-location-header
/// --report-json`; its scenarios' transcripts left out), diffed with one of
/// this release: the renamed check is the same check, so the gate holds
/// (issue 13.5).
#[test]
fn diff_pairs_a_renamed_check_across_releases() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let old = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/it/fixtures/report-v1-no-location-header.json"
    );
    let new = dir.path().join("new.json");
    json_report(
        &new,
        &["--only", "core::*", "--fault", "no-location-header"],
    );
    let new = new.display().to_string();
    let out = output(scimulate(&["diff", old, &new]));
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains(
            "note: okta.users.create.location-header is now scim.users.create.location-header"
        ),
        "{text}"
    );
    assert!(text.contains("0 regressed"), "{text}");
    assert!(text.contains(" 0 added, 0 removed"), "{text}");
    let back = output(scimulate(&["diff", &new, old]));
    assert_eq!(back.status.code(), Some(0), "{}", transcript(&back));
}

#[test]
fn diff_of_something_that_is_no_report_exits_2() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, r#"{"schema_version": 1, "results": "no"}"#).expect("written");
    let junk = junk.display().to_string();
    let out = output(scimulate(&["diff", &junk, &junk]));
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("expected a report written by --report-json"),
        "{text}"
    );
    let out = output(scimulate(&["diff", "/nonexistent/old.json", &junk]));
    assert_eq!(out.status.code(), Some(2));
    assert!(transcript(&out).contains("/nonexistent/old.json"));
}

/// The `scimulate run …` command of the CI recipe, continuation lines
/// joined, as arguments (without `scimulate`).
fn recipe_run_args(recipe: &str) -> Vec<String> {
    let mut command = String::new();
    let mut inside = false;
    for line in recipe.lines().map(str::trim) {
        if line.starts_with("scimulate run") {
            inside = true;
        }
        if inside {
            command.push_str(line.trim_end_matches('\\'));
            command.push(' ');
            if !line.ends_with('\\') {
                break;
            }
        }
    }
    command
        .split_whitespace()
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_ci_recipe_s_command_runs_as_written() {
    let recipe = include_str!("../../examples/ci/github-actions.yml");
    let args = recipe_run_args(recipe);
    assert!(
        args.first().is_some_and(|a| a == "run") && args.len() > 4,
        "the recipe has no `scimulate run` command: {args:?}"
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("scimulate-out")).expect("the output folder");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut command = scimulate(&args);
    command.current_dir(dir.path());
    let out = output(command);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    for file in [
        "junit.xml",
        "report.json",
        "certificate.html",
        "exchanges.har",
    ] {
        assert!(
            recipe.contains(&format!("scimulate-out/{file}"))
                && dir.path().join("scimulate-out").join(file).is_file(),
            "the recipe's {file} was not written"
        );
    }
    assert!(recipe.contains("scimulate diff main-report/report.json scimulate-out/report.json"));
}

/// Users listed by the bridge whose userName carries `run_id`, with their
/// `active`.
fn users_of_run(served: &Served, run_id: &str) -> Vec<(String, bool)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let _ = rustls::crypto::ring::default_provider().install_default();
    runtime.block_on(async {
        let list: serde_json::Value = reqwest::Client::new()
            .get(format!("{}/Users?startIndex=1&count=1000", served.base_url))
            .bearer_auth(&served.token)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .expect("the bridge answers")
            .json()
            .await
            .expect("a list");
        list["Resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| {
                let name = u["userName"].as_str()?;
                name.contains(run_id)
                    .then(|| (name.to_string(), u["active"].as_bool().unwrap_or(true)))
            })
            .collect()
    })
}

#[test]
fn ctrl_c_cleans_up_what_the_run_created() {
    let served = serve(&[]);
    let mut command = scimulate(&["run", "--base-url", &served.base_url]);
    command
        .env("SCIM_TOKEN", &served.token)
        .env("RUST_LOG", "scimulate_simulator=debug");
    let mut child = command.spawn().expect("scimulate run starts");
    let pid = child.id();
    let stderr = child.stderr.take().expect("stderr is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let drained = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut BufReader::new(stdout), &mut text);
        text
    });
    // Interrupt once the run is well into its scenarios: after the 60th
    // exchange it logged (event-driven: no sleep).
    let (tx, rx) = mpsc::channel();
    let logged = std::thread::spawn(move || {
        let mut exchanges = 0;
        let mut log = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("exchange") {
                exchanges += 1;
                if exchanges == 60 {
                    let _ = tx.send(());
                }
            }
            log.push_str(&line);
            log.push('\n');
        }
        log
    });
    if rx.recv_timeout(DEADLINE).is_err() {
        kill(pid);
        panic!("the run logged no 60 exchanges within {DEADLINE:?}");
    }
    let _ = Command::new("kill")
        .arg("-INT")
        .arg(pid.to_string())
        .status();
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait());
    });
    let status = match done_rx.recv_timeout(DEADLINE) {
        Ok(status) => status.expect("the child's status"),
        Err(_) => {
            kill(pid);
            panic!("scimulate did not end within {DEADLINE:?} of Ctrl-C");
        }
    };
    let out = drained.join().unwrap_or_default();
    let log = logged.join().unwrap_or_default();
    assert_eq!(
        status.code(),
        Some(2),
        "an interrupted run could not be made"
    );
    assert!(!log.contains(SECRET), "the token leaked");
    // `interrupted; cleanup of run r5713e4: 7 resource(s) found, 7 removed`
    let summary = log
        .lines()
        .find(|l| l.contains("interrupted; cleanup of run "))
        .unwrap_or_else(|| panic!("no cleanup summary:\n{log}\n{out}"));
    let run_id = summary
        .split("cleanup of run ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .expect("the run id")
        .to_string();
    let found: usize = summary
        .split(": ")
        .nth(2)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count in {summary}"));
    assert!(found > 0, "{summary}");
    assert!(summary.ends_with(&format!("{found} removed")), "{summary}");
    let users = users_of_run(&served, &run_id);
    assert!(!users.is_empty(), "the run had created users");
    assert!(
        users.iter().all(|(_, active)| !active),
        "every user the run created was deleted (suspended): {users:?}"
    );
}

#[test]
fn cleanup_refuses_loose_run_ids_and_remote_targets_without_consent() {
    let out = output(scimulate(&[
        "cleanup",
        "--run-id",
        "r*",
        "--base-url",
        "http://127.0.0.1:9/scim/v2",
        "--token",
        SECRET,
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        transcript(&out).contains("is not a run id"),
        "{}",
        transcript(&out)
    );
    let out = output(scimulate(&[
        "cleanup",
        "--run-id",
        "r5713e4",
        "--base-url",
        "https://scim.example.com/scim/v2",
        "--token",
        SECRET,
    ]));
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("needs --allow-remote-writes"), "{text}");
    assert!(!text.contains(SECRET), "the token leaked");
}

#[test]
fn load_prints_figures_by_request_kind() {
    let out = output(scimulate(&["load", "--users", "40", "--groups", "1"]));
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for expected in [
        "40 users assigned (40 asked), 4 at a time, 1 group(s) pushed",
        "GET existence check",
        "POST create",
        "requests/s; 0 errors, 0 429s, 0 failed admin actions",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    let out = output(scimulate(&["load", "--concurrency", "0"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(transcript(&out).contains("--concurrency 0: give 1 to 64"));
}

#[test]
fn a_scenario_selection_that_leaves_nothing_is_refused() {
    let out = output(scimulate(&["run", "--only", "push-grup-new::*"]));
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("no check is left to judge"), "{text}");
}
