//! Probes (scimulate's own requests) ride out what a legal or passing
//! condition puts in the way: 429s with any of the ways a server says when
//! (`Retry-After` seconds or date, `X-Rate-Limit-Reset`), a 503 with
//! `Retry-After`, and a connection dropped once; each retry is recorded as
//! the next attempt of the same step. A raw loopback server answers from a
//! script, one connection per request; the clock is virtual, so no test
//! sleeps.

use std::sync::Arc;
use std::time::Duration;

use scimulate_simulator::{ClientSettings, OktaClient, Probe, Target, Token, VirtualClock};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server does with one request.
#[derive(Clone, Copy)]
enum Step {
    /// Answers `status` with the extra header line `header` (may be empty).
    Answer(u16, &'static str),
    /// Closes the connection without answering.
    Drop,
}

/// Serves `script`, one step per connection, then closes; returns the base URL.
async fn serve(script: Vec<Step>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move {
        for step in script {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut buffer = vec![0; 8192];
            let _ = stream.read(&mut buffer).await;
            if let Step::Answer(status, header) = step {
                let body = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}"#;
                let extra = if header.is_empty() {
                    String::new()
                } else {
                    format!("{header}\r\n")
                };
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/scim+json\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            }
            let _ = stream.shutdown().await;
        }
    });
    format!("http://{addr}/scim/v2")
}

async fn probe(script: Vec<Step>) -> (Vec<(u32, Option<u16>)>, Vec<Duration>) {
    let base = serve(script).await;
    let clock = VirtualClock::at_epoch();
    let client = OktaClient::new(
        Target::new(&base, Token::new("probe-token")).expect("a base URL"),
        ClientSettings::default(),
        Arc::new(clock.clone()),
    )
    .expect("a client");
    let last = client
        .probe("verify", "read back", Probe::page("Users", 1, 1))
        .await;
    let attempts = client.with_transcript(|t| {
        t.iter()
            .map(|e| (e.attempt, e.response.as_ref().map(|r| r.status)))
            .collect::<Vec<_>>()
    });
    assert_eq!(
        attempts.last().map(|(a, _)| *a),
        Some(last.attempt),
        "the probe returns its last attempt"
    );
    (attempts, clock.waits())
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[tokio::test]
async fn a_probe_waits_as_the_target_asks_then_gets_its_answer() {
    let (attempts, waits) = probe(vec![
        Step::Answer(429, "retry-after: 3"),
        Step::Answer(429, "retry-after: Thu, 01 Jan 2026 00:00:10 GMT"),
        // The virtual clock starts at 1767225600 and has moved 3 + 7 s.
        Step::Answer(429, "x-rate-limit-reset: 1767225620"),
        Step::Answer(503, "retry-after: 2"),
        Step::Answer(200, ""),
    ])
    .await;
    assert_eq!(
        attempts,
        [
            (1, Some(429)),
            (2, Some(429)),
            (3, Some(429)),
            (4, Some(503)),
            (5, Some(200))
        ]
    );
    assert_eq!(waits, [secs(3), secs(7), secs(10), secs(2)]);
}

#[tokio::test]
async fn a_429_that_says_nothing_waits_as_okta_does() {
    let (attempts, waits) = probe(vec![Step::Answer(429, ""), Step::Answer(200, "")]).await;
    assert_eq!(attempts, [(1, Some(429)), (2, Some(200))]);
    assert_eq!(waits, [secs(300)]);
}

#[tokio::test]
async fn a_dropped_connection_is_retried_twice_at_most() {
    let (attempts, waits) = probe(vec![Step::Drop, Step::Answer(200, "")]).await;
    assert_eq!(attempts, [(1, None), (2, Some(200))]);
    assert_eq!(waits, [secs(1)]);
    let (attempts, waits) = probe(vec![Step::Drop, Step::Drop, Step::Drop, Step::Drop]).await;
    assert_eq!(attempts, [(1, None), (2, None), (3, None)]);
    assert_eq!(waits, [secs(1), secs(2)]);
}

#[tokio::test]
async fn a_wait_past_max_wait_is_not_taken() {
    let (attempts, waits) = probe(vec![
        Step::Answer(429, "retry-after: 100000"),
        Step::Answer(200, ""),
    ])
    .await;
    assert_eq!(attempts, [(1, Some(429))]);
    assert!(waits.is_empty());
}
