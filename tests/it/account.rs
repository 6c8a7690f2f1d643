//! The fake account served for others: `scimulate serve` then a bare
//! `scimulate run` passes, and `scimulate account` serves the account
//! alone for a bridge of one's own, every check judged through it (issue
//! 12, items 4 and 5). Every child is ended by its pid.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command};
use std::sync::mpsc;
use std::time::Duration;

use crate::cli::{SECRET, output, scimulate, transcript};

/// A serving child (`serve`, `account`) and the `KEY=value` lines of its
/// banner; killed by its pid when dropped.
struct Serving {
    child: Child,
    banner: HashMap<String, String>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-9")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

impl Serving {
    /// Starts `scimulate ARGS` and reads its first `lines` lines, which it
    /// prints once listening (no sleep); a bound ends a silent child.
    fn start(args: &[&str], lines: usize) -> Serving {
        let mut command = scimulate(args);
        command.env("SCIMULATE_SERVE_TOKEN", SECRET);
        let mut child = command.spawn().expect("scimulate starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        // stderr is not read: the banner is on stdout, and nothing logs.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let read: Vec<String> = BufReader::new(stdout)
                .lines()
                .take(lines)
                .map_while(Result::ok)
                .collect();
            let _ = tx.send(read);
        });
        // Killed on every way out, a failed read included.
        let mut serving = Serving {
            child,
            banner: HashMap::new(),
        };
        let read = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the banner within 60 s");
        serving.banner = read
            .iter()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        serving
    }

    fn get(&self, key: &str) -> &str {
        self.banner
            .get(key)
            .unwrap_or_else(|| panic!("no {key}= in {:?}", self.banner.keys()))
    }
}

#[test]
fn serve_then_a_bare_run_passes_and_the_banner_says_what_a_run_needs() {
    let served = Serving::start(&["serve"], 5);
    assert_eq!(
        served.get("ALLOWED_DOMAINS"),
        "acme.com,example.com,acme.io"
    );
    let run_line = served.get("RUN");
    assert!(
        run_line.starts_with(&format!(
            "scimulate run --base-url {} --token {SECRET} --backend-url {}",
            served.get("BASE_URL"),
            served.get("BACKEND_URL")
        )),
        "{run_line}"
    );
    // Nothing but the base URL and the token: the test users' default
    // domain (example.com) is one the served account takes.
    let mut command = scimulate(&["run", "--base-url", served.get("BASE_URL"), "--quiet"]);
    command.env("SCIM_TOKEN", SECRET);
    let out = output(command);
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(" 0 failed"), "{text}");
    // The same under --profile scim, which plays the scenarios whose
    // account must allow a second domain (acme.io): the served account does.
    let mut command = scimulate(&[
        "run",
        "--base-url",
        served.get("BASE_URL"),
        "--profile",
        "scim",
        "--quiet",
    ]);
    command.env("SCIM_TOKEN", SECRET);
    let out = output(command);
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(" 0 failed"), "{text}");
    // The RUN line as printed: every check judged.
    let args: Vec<&str> = run_line.split(' ').skip(1).collect();
    let mut command = scimulate(&args);
    command.arg("--quiet");
    let out = output(command);
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(" 0 failed, 0 skipped"), "{text}");
}

/// A bridge developer's loop: the account alone, their bridge (here the
/// reference one, in this process) configured with its URL, then a run
/// with `--backend-url`: every check judged, twice in a row.
#[test]
fn account_serves_the_fake_account_for_a_bridge_of_ones_own() {
    let account = Serving::start(&["account"], 3);
    let backend_url = account.get("BACKEND_URL").to_string();
    assert!(
        backend_url.starts_with("http://127.0.0.1:"),
        "{backend_url}"
    );
    assert_eq!(
        account.get("ALLOWED_DOMAINS"),
        "acme.com,example.com,acme.io"
    );
    assert!(
        account
            .get("RUN")
            .contains(&format!("--backend-url {backend_url}")),
        "{:?}",
        account.banner
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let bridge = runtime
        .block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let config = scimulate::bridge::BridgeConfig::new(
                &backend_url,
                SECRET,
                scimulate::bridge::FaultSet::none(),
            );
            scimulate::bridge::spawn(listener, config).map_err(std::io::Error::other)
        })
        .expect("the bridge starts");
    for _ in 0..2 {
        let mut command = scimulate(&[
            "run",
            "--base-url",
            &bridge.base_url(),
            "--backend-url",
            &backend_url,
            "--quiet",
        ]);
        command.env("SCIM_TOKEN", SECRET);
        let out = output(command);
        let text = transcript(&out);
        assert_eq!(out.status.code(), Some(0), "{text}");
        assert!(text.contains(" 0 failed, 0 skipped"), "{text}");
        assert!(!text.contains(SECRET), "the token leaked");
    }
    runtime.block_on(bridge.shutdown());
}
