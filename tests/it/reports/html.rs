//! The HTML certificate of a real run: what it says, that it loads nothing,
//! and what a person sees when Chromium renders it. The browser test runs
//! when `SCIMULATE_BROWSER_TESTS=1` (`.ci/run` sets it once
//! `.ci/install-chromium` succeeded).

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use std::os::unix::process::CommandExt;

use scimulate_reports::html;

use super::support;

/// A MUST check `--fault delete-instead-of-suspend` turns red.
const FAILING_CHECK: &str = "1password.users.deactivate.suspends-not-deletes";
/// The reason of `support`'s waiver.
const WAIVER_REASON: &str = "known since 4.1 (TICKET-123)";

#[test]
fn the_certificate_names_the_verdict_failures_waivers_and_tool() {
    let record = support::faulty_record();
    let html = html::render(record);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Not certified: "), "the verdict");
    assert!(html.contains(FAILING_CHECK));
    assert!(html.contains(WAIVER_REASON));
    assert!(html.contains(&format!("{} {}", record.tool, record.version)));
    assert!(html.contains(&record.run_id));
    assert!(html.contains("delete-instead-of-suspend"), "the fault");
    assert_eq!(
        html,
        html::render(record),
        "the same run renders the same page"
    );
}

/// The only URLs on the page are the target's and those in what it answered
/// (`meta.location`…); the page itself links to and loads nothing.
#[test]
fn the_certificate_loads_nothing_and_shows_no_foreign_url() {
    let record = support::faulty_record();
    let html = html::render(record);
    let data = serde_json::to_string(record).expect("a record serializes");
    for needle in [
        "<script", "<link", "<img", "<iframe", "src=", "url(", "@import",
    ] {
        assert!(!html.contains(needle), "{needle} in the page");
    }
    for scheme in ["http://", "https://"] {
        for (at, _) in html.match_indices(scheme) {
            let url = &html[at..];
            let end = url
                .find(|c: char| c.is_whitespace() || "\"'<>&".contains(c))
                .unwrap_or(url.len());
            let url = &url[..end];
            assert!(
                url.starts_with(&record.target.base_url) || data.contains(url),
                "a URL from neither the target nor the run: {url}"
            );
        }
    }
}

/// What a person sees: Chromium renders the page headless (no network), its
/// DOM holds the verdict and the failures and no script; a screenshot is
/// taken.
#[test]
fn chromium_renders_the_certificate() {
    if std::env::var("SCIMULATE_BROWSER_TESTS").as_deref() != Ok("1") {
        eprintln!(
            "note: SCIMULATE_BROWSER_TESTS is not 1 (run .ci/install-chromium); browser test skipped"
        );
        return;
    }
    let scratch = Scratch::new("html");
    let page = scratch.0.join("certificate.html");
    fs::write(&page, html::render(support::faulty_record())).expect("the page is written");
    let url = format!("file://{}", page.display());

    let dom = chromium(
        &scratch,
        "dump-dom",
        &["--dump-dom".to_string(), url.clone()],
    );
    assert!(dom.contains("Not certified: "), "the verdict in the DOM");
    assert!(dom.contains(FAILING_CHECK), "a failing check in the DOM");
    assert!(dom.contains(WAIVER_REASON), "the waiver in the DOM");
    assert!(
        !dom.to_ascii_lowercase().contains("<script"),
        "no script element"
    );

    let png = scratch.0.join("certificate.png");
    chromium(
        &scratch,
        "screenshot",
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2000".to_string(),
            "--hide-scrollbars".to_string(),
            url,
        ],
    );
    let bytes = fs::read(&png).expect("Chromium wrote the screenshot");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(
        bytes.len() > 10 * 1024,
        "a page, not a blank: {} bytes",
        bytes.len()
    );
}

/// Chromium's run may not take longer than this.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);

/// Flags that keep headless Chromium off the network and out of the user's
/// profile; `--no-sandbox` because CI runs as root.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Runs Chromium with `args` and a fresh profile in `scratch`; returns its
/// stdout. Fails the test when it exits non-zero or outlives
/// [`BROWSER_TIMEOUT`] (then its process group is killed).
fn chromium(scratch: &Scratch, label: &str, args: &[String]) -> String {
    let binary = if Path::new("/usr/bin/chromium").exists() {
        "/usr/bin/chromium"
    } else {
        "chromium"
    };
    let stdout = scratch.0.join(format!("{label}.stdout"));
    let stderr = scratch.0.join(format!("{label}.stderr"));
    let file = |path: &Path| File::create(path).expect("a scratch file is created");
    let mut child = Command::new(binary)
        .args(CHROMIUM_FLAGS)
        .arg(format!(
            "--user-data-dir={}",
            scratch.0.join(format!("{label}.profile")).display()
        ))
        .args(args)
        .stdin(Stdio::null())
        .stdout(file(&stdout))
        .stderr(file(&stderr))
        // Its own process group, so a timeout also ends the renderer and
        // helper processes Chromium starts.
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("{binary} starts: {e}"));
    let deadline = Instant::now() + BROWSER_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            outcome => {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                let why = match outcome {
                    Err(e) => format!("could not be waited for ({e})"),
                    _ => format!("did not finish within {BROWSER_TIMEOUT:?}"),
                };
                panic!(
                    "{binary} {label} {why}; stderr:\n{}",
                    fs::read_to_string(&stderr).unwrap_or_default()
                );
            }
        }
    };
    assert!(
        status.success(),
        "{binary} {label}: {status}; stderr:\n{}",
        fs::read_to_string(&stderr).unwrap_or_default()
    );
    fs::read_to_string(&stdout).expect("Chromium's stdout is read")
}

/// A fresh directory under the system's temp dir, removed (with what is in
/// it) when dropped, even when the test fails.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "scimulate-{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        // A directory left by an earlier process with the same pid.
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a scratch directory is created");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
