//! What Okta does with hostile or failing answers (docs/okta-wire.md#23-responses-okta-accepts,
//! §10): back-off on 429, bounded time and size, no redirects, no JSON.

use std::io::Write;
use std::time::Duration;

use flate2::Compression;
use flate2::write::GzEncoder;
use scimulate_simulator::{
    ActionResult, AdminAction, ClientSettings, Dialect, FailureKind, RecordedBody, RetryPolicy,
};
use wiremock::ResponseTemplate;

use crate::harness::{
    LOGIN, Run, SCIM_ID, app, json_response, lines, list, org, short_timeout, user_resource,
};
use crate::script::Script;

fn assign() -> AdminAction {
    AdminAction::Assign { user: LOGIN.into() }
}

fn secs(list: &[u64]) -> Vec<Duration> {
    list.iter().copied().map(Duration::from_secs).collect()
}

fn too_many(retry_after: Option<&str>) -> ResponseTemplate {
    let response = ResponseTemplate::new(429);
    match retry_after {
        Some(value) => response.insert_header("Retry-After", value),
        None => response,
    }
}

#[tokio::test]
async fn repeated_429s_wait_retry_after_then_double() {
    // §10 [DOC O-CONCEPT]: the first wait is Retry-After; each later one
    // doubles the previous: 1, 2, 4, 8, 16 s on the virtual clock.
    let mut run = Run::new(Dialect::Oin).await;
    Script::new().lookup(vec![]).mount(&run).await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(too_many(Some("1")))
        .up_to_n_times(5)
        .with_priority(1)
        .mount(&run.server)
        .await;
    Script::new()
        .created_user(user_resource(true))
        .mount(&run)
        .await;
    let outcome = run.run(assign()).await;
    assert_eq!(outcome.result, ActionResult::Succeeded);
    assert_eq!(run.clock.waits(), secs(&[1, 2, 4, 8, 16]));
    assert_eq!(outcome.exchanges, [1, 2, 3, 4, 5, 6, 7]);
    let transcript = run.engine.transcript();
    let attempts: Vec<_> = transcript
        .iter()
        .map(|e| (e.step.as_str(), e.attempt))
        .collect();
    assert_eq!(
        attempts,
        [
            ("existence check", 1),
            ("create", 1),
            ("create", 2),
            ("create", 3),
            ("create", 4),
            ("create", 5),
            ("create", 6)
        ]
    );
    // Timestamps follow the virtual clock: the 6th POST went 31 s in.
    let last = transcript.get(7).unwrap();
    let first = transcript.get(1).unwrap();
    assert_eq!((last.started_at - first.started_at).num_seconds(), 31);
    assert_eq!(run.stored_id().as_deref(), Some(SCIM_ID));
}

#[tokio::test]
async fn ten_429s_fail_the_task_for_good() {
    // §10: at most 10 attempts, then a permanent failure. No Retry-After:
    // 5 minutes, doubling — Okta's full patience, so no total-wait bound.
    let settings = ClientSettings {
        retry: RetryPolicy {
            max_total_wait: Duration::MAX,
            ..RetryPolicy::default()
        },
        ..ClientSettings::default()
    };
    let mut run = Run::with(org(app(Dialect::Oin)), settings).await;
    Script::new().users("GET", too_many(None)).mount(&run).await;
    let outcome = run.run(assign()).await;
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.kind, FailureKind::RateLimited);
    assert_eq!(failure.status, Some(429));
    assert_eq!(failure.exchange, Some(10));
    assert_eq!(run.requests().await.len(), 10);
    assert_eq!(
        run.clock.waits(),
        secs(&[300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 76800])
    );
    assert!(
        failure.message.contains("exists: Too Many Requests"),
        "{}",
        failure.message
    );
}

#[tokio::test]
async fn a_5xx_is_not_retried_unless_asked() {
    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .users("GET", ResponseTemplate::new(503))
        .mount(&run)
        .await;
    let outcome = run.run(assign()).await;
    assert_eq!(
        outcome.failure().map(|f| f.kind),
        Some(FailureKind::HttpStatus)
    );
    assert_eq!(run.requests().await.len(), 1);
    assert!(run.clock.waits().is_empty());

    let settings = ClientSettings {
        retry: RetryPolicy {
            max_attempts: 3,
            retry_on_5xx: true,
            ..RetryPolicy::default()
        },
        ..ClientSettings::default()
    };
    let mut run = Run::with(org(app(Dialect::Oin)), settings).await;
    Script::new()
        .users("GET", ResponseTemplate::new(503))
        .mount(&run)
        .await;
    run.run(assign()).await;
    assert_eq!(run.requests().await.len(), 3);
    assert_eq!(run.clock.waits(), secs(&[300, 600]));
}

#[tokio::test]
async fn a_hanging_server_times_out_and_is_recorded() {
    let mut run = Run::with(org(app(Dialect::Oin)), short_timeout()).await;
    Script::new()
        .users(
            "GET",
            json_response(200, list(vec![])).set_delay(Duration::from_secs(30)),
        )
        .mount(&run)
        .await;
    let outcome = run.run(assign()).await;
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.kind, FailureKind::Transport);
    assert!(
        failure.message.ends_with("exists: Read timed out"),
        "{}",
        failure.message
    );
    let exchange = run.engine.transcript().get(1).cloned().unwrap();
    assert_eq!(exchange.response, None);
    assert_eq!(
        exchange.error.as_deref(),
        Some("timed out after 200 ms without a complete answer")
    );
}

#[tokio::test]
async fn an_oversized_body_is_cut_at_the_cap() {
    let settings = ClientSettings {
        max_body_bytes: 64 * 1024,
        ..ClientSettings::default()
    };
    let mut run = Run::with(org(app(Dialect::Oin)), settings).await;
    let huge = format!(
        "{{\"Resources\":[],\"pad\":\"{}\"}}",
        "x".repeat(1024 * 1024)
    );
    Script::new()
        .users(
            "GET",
            ResponseTemplate::new(200).set_body_raw(huge, "application/scim+json"),
        )
        .mount(&run)
        .await;
    let outcome = run.run(assign()).await;
    assert_eq!(
        outcome.failure().map(|f| f.kind),
        Some(FailureKind::Transport)
    );
    let exchange = run.engine.transcript().get(1).cloned().unwrap();
    assert_eq!(
        exchange.error.as_deref(),
        Some("response body larger than 65536 bytes; reading stopped there")
    );
    let response = exchange.response.expect("status and headers were read");
    assert_eq!(response.status, 200);
    let RecordedBody::Text { text, truncated } = response.body else {
        panic!("a cut body is text");
    };
    assert!(truncated);
    assert!(text.len() < 70 * 1024);
    assert!(text.ends_with("[truncated: 65536 of more than 65536 bytes shown]"));
}

#[tokio::test]
async fn a_text_body_fails_as_invalid_json() {
    // §2.3 [OBS R-ROSTR]: a proxy's plain-text page.
    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .users(
            "GET",
            ResponseTemplate::new(502).set_body_raw("error code: 502", "text/plain"),
        )
        .mount(&run)
        .await;
    let outcome = run.run(assign()).await;
    let failure = outcome.failure().expect("failed");
    assert!(
        failure
            .message
            .contains("exists: Invalid JSON: Unrecognized token 'error': was expecting"),
        "{}",
        failure.message
    );

    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .users(
            "GET",
            ResponseTemplate::new(200).set_body_raw("OK", "text/plain"),
        )
        .mount(&run)
        .await;
    let outcome = run.run(assign()).await;
    assert_eq!(
        outcome.failure().map(|f| f.kind),
        Some(FailureKind::InvalidJson)
    );
}

#[tokio::test]
async fn a_redirect_is_recorded_not_followed() {
    let mut run = Run::new(Dialect::Oin).await;
    let elsewhere = format!("{}/elsewhere/Users", run.server.uri());
    Script::new()
        .users(
            "GET",
            ResponseTemplate::new(302).insert_header("Location", elsewhere.as_str()),
        )
        .mount(&run)
        .await;
    let outcome = run.run(assign()).await;
    assert_eq!(outcome.failure().and_then(|f| f.status), Some(302));
    assert_eq!(run.requests().await.len(), 1);
    let exchange = run.engine.transcript().get(1).cloned().unwrap();
    let response = exchange.response.unwrap();
    assert_eq!(response.status, 302);
    assert!(
        response
            .headers
            .iter()
            .any(|h| h.name == "location" && h.value == elsewhere)
    );
}

#[tokio::test]
async fn gzip_answers_are_decoded() {
    let mut run = Run::new(Dialect::Oin).await;
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder
        .write_all(list(vec![user_resource(true)]).to_string().as_bytes())
        .unwrap();
    let gzipped = encoder.finish().unwrap();
    Script::new()
        .users(
            "GET",
            ResponseTemplate::new(200)
                .insert_header("Content-Encoding", "gzip")
                .set_body_raw(gzipped, "application/scim+json"),
        )
        .fetched_user(SCIM_ID, user_resource(true))
        .replaced_user(SCIM_ID, user_resource(true))
        .mount(&run)
        .await;
    let outcome = run.run(assign()).await;
    assert!(outcome.succeeded(), "{outcome:?}");
    let exchange = run.engine.transcript().get(1).cloned().unwrap();
    assert!(matches!(
        exchange.response.unwrap().body,
        RecordedBody::Json(_)
    ));
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_failure() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut run = Run::new(Dialect::Oin).await;
    let target = scimulate_simulator::Target::new(
        &format!("http://127.0.0.1:{port}/scim/v2"),
        scimulate_simulator::Token::new("t"),
    )
    .unwrap();
    let client = scimulate_simulator::OktaClient::new(
        target,
        ClientSettings::default(),
        std::sync::Arc::new(run.clock.clone()),
    )
    .unwrap();
    run.engine = scimulate_simulator::Engine::new(org(app(Dialect::Oin)), client);
    let outcome = run.run(AdminAction::TestConnection).await;
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.kind, FailureKind::Transport);
    let error = run.engine.transcript().get(1).and_then(|e| e.error.clone());
    assert!(error.is_some_and(|e| e.starts_with("could not connect")));
    assert!(lines(&run.requests().await).is_empty());
}

#[tokio::test]
async fn a_huge_retry_after_is_not_waited_for() {
    // A hostile `Retry-After` must not stall a run: the wait would pass
    // max_total_wait (15 minutes by default), so Okta gives up at once and
    // the task fails as rate-limited, with nothing waited.
    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .users("GET", too_many(Some("999999999")))
        .mount(&run)
        .await;
    let outcome = run.run(assign()).await;
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.kind, FailureKind::RateLimited);
    assert_eq!(run.requests().await.len(), 1);
    assert!(run.clock.waits().is_empty(), "{:?}", run.clock.waits());
}

#[tokio::test]
async fn the_total_wait_is_bounded_by_default() {
    // No Retry-After: 300 s, then 600 s (900 s in all); the next, 1200 s,
    // would pass the default 15 minutes.
    let mut run = Run::new(Dialect::Oin).await;
    Script::new().users("GET", too_many(None)).mount(&run).await;
    let outcome = run.run(assign()).await;
    assert_eq!(
        outcome.failure().map(|f| f.kind),
        Some(FailureKind::RateLimited)
    );
    assert_eq!(run.clock.waits(), secs(&[300, 600]));
    assert_eq!(run.requests().await.len(), 3);
}
