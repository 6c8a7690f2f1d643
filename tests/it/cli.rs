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
const SECRET: &str = "tok-SECRET-7f3a9c1e-do-not-print";

/// The binary with a clean environment for the variables it reads.
fn scimulate(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("SCIM_BASE_URL")
        .env_remove("SCIM_TOKEN")
        .env_remove("SCIMULATE_BACKEND_URL")
        .env_remove("SCIMULATE_SERVE_TOKEN")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs to completion within [`DEADLINE`], killing the child if it hangs.
fn output(mut command: Command) -> Output {
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
fn transcript(output: &Output) -> String {
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
    assert!(text.contains("2 skipped"), "{text}");
    assert!(
        text.contains("FAILED okta.users.deactivate.reads-back-inactive"),
        "{text}"
    );
    assert!(!text.contains(SECRET), "the token leaked");
}
