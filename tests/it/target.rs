//! The target as the command line takes it (issues #13, #15): a token or a
//! base URL that cannot be used safely is refused with its real cause,
//! exit 2, before the first request, and nothing secret is printed.

use std::net::TcpListener;
use std::process::Output;

use scimulate_backend::AccountSeed;
use scimulate_simulator::Token;
use scimulate_suites::{Embedded, EmbeddedOptions};

use crate::cli::{SECRET, output, scimulate, transcript};

/// A loopback port that records whether anyone connected: the run must be
/// refused before its first request.
struct Listener(TcpListener);

impl Listener {
    fn new() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        Listener(listener)
    }

    fn base_url(&self) -> String {
        let port = self.0.local_addr().expect("its address").port();
        format!("http://127.0.0.1:{port}/scim/v2")
    }

    fn was_contacted(&self) -> bool {
        self.0.accept().is_ok()
    }
}

fn refused(out: &Output, expected: &str) -> String {
    let text = transcript(out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    assert!(!text.contains("panicked"), "{text}");
    text
}

#[test]
fn issue_13_a_token_too_short_to_redact_is_refused_before_the_first_request() {
    let target = Listener::new();
    let base_url = target.base_url();
    for extra in [&["--token", "T"][..], &["--token", " abc \n"][..]] {
        let mut args = vec!["run", "--base-url", &base_url];
        args.extend_from_slice(extra);
        let out = output(scimulate(&args));
        refused(&out, "character(s) long (expected at least 8)");
    }
    let mut command = scimulate(&["load", "--base-url", &base_url]);
    command.env("SCIM_TOKEN", "short");
    refused(&output(command), "the token is 5 character(s) long");
    assert!(!target.was_contacted(), "a request was sent");
}

#[test]
fn issue_15_a_proxy_off_this_machine_makes_a_loopback_target_need_consent() {
    let target = Listener::new();
    let base_url = target.base_url();
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): nothing answers there, and
    // nothing is sent: consent is refused first.
    for (name, proxy) in [
        ("HTTP_PROXY", "http://192.0.2.1:3128"),
        ("http_proxy", "http://user:proxy-pw@192.0.2.1:3128"),
        ("ALL_PROXY", "socks5://192.0.2.1:1080"),
    ] {
        let mut command = scimulate(&["run", "--base-url", &base_url, "--token", SECRET]);
        command
            .env(name, proxy)
            .env_remove("NO_PROXY")
            .env_remove("no_proxy");
        let text = refused(&output(command), "needs --allow-remote-writes");
        assert!(text.contains("through the proxy"), "{name}: {text}");
        assert!(
            !text.contains(SECRET) && !text.contains("proxy-pw"),
            "{text}"
        );
    }
    assert!(!target.was_contacted(), "a request was sent");
}

#[test]
fn issue_15_a_malformed_url_is_not_taken_for_a_remote_one() {
    let out = output(scimulate(&[
        "run",
        "--base-url",
        "ht!tp://x",
        "--token",
        SECRET,
    ]));
    let text = refused(&out, "base URL \"ht!tp://x\" is not a URL");
    assert!(!text.contains("allow-remote-writes"), "{text}");
}

#[test]
fn issue_15_a_newline_in_the_token_is_blamed_on_the_token() {
    let target = Listener::new();
    let token = format!("{SECRET}\nX-Evil: 1");
    let out = output(scimulate(&[
        "run",
        "--base-url",
        &target.base_url(),
        "--token",
        &token,
    ]));
    let text = refused(&out, "the token contains a line break");
    assert!(!text.contains("base URL"), "{text}");
    assert!(!text.contains(SECRET), "the token leaked: {text}");
    assert!(!target.was_contacted(), "a request was sent");
}

#[test]
fn issue_15_credentials_in_the_base_url_are_never_printed() {
    for command in [
        vec![
            "run",
            "--base-url",
            "https://alice:hunter2-pw@scim.example.com/scim/v2",
        ],
        vec![
            "run",
            "--read-only",
            "--base-url",
            "http://alice:hunter2-pw@127.0.0.1:9/scim/v2",
        ],
        vec![
            "cleanup",
            "--run-id",
            "r5713e4",
            "--base-url",
            "https://alice:hunter2-pw@scim.example.com/scim/v2",
        ],
    ] {
        let mut args = command.clone();
        args.extend(["--token", SECRET]);
        let text = refused(&output(scimulate(&args)), "carries a user name or password");
        assert!(text.contains("***@"), "{text}");
        assert!(
            !text.contains("hunter2") && !text.contains("alice"),
            "{command:?}: {text}"
        );
    }
}

/// A quick read-only run against `base_url`, the token given by `extra`
/// arguments or `env_token` (`SCIM_TOKEN`).
async fn read_only_run(base_url: String, extra: Vec<String>, env_token: Option<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut args = vec!["run", "--read-only", "--quiet", "--base-url", &base_url];
        args.extend(extra.iter().map(String::as_str));
        let mut command = scimulate(&args);
        if let Some(token) = env_token {
            command.env("SCIM_TOKEN", token);
        }
        output(command)
    })
    .await
    .expect("the child's runner does not panic")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_15_token_trailing_space_is_trimmed_everywhere() {
    let bridge = Embedded::start(
        AccountSeed::default(),
        EmbeddedOptions {
            token: Some(Token::new(SECRET)),
            ..EmbeddedOptions::default()
        },
    )
    .await
    .expect("the reference bridge starts");
    let padded = format!(" {SECRET} \n");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("token");
    std::fs::write(&file, &padded).expect("the token file is written");
    for (source, extra, env) in [
        ("--token", vec!["--token".to_string(), padded.clone()], None),
        ("SCIM_TOKEN", vec![], Some(padded.clone())),
        (
            "--token-file",
            vec!["--token-file".to_string(), file.display().to_string()],
            None,
        ),
    ] {
        let out = read_only_run(bridge.base_url(), extra, env).await;
        let text = transcript(&out);
        assert_eq!(out.status.code(), Some(0), "{source}: {text}");
        assert!(!text.contains(SECRET), "{source}: the token leaked: {text}");
    }
    bridge.bridge.shutdown().await;
}
