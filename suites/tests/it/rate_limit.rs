//! A target that rate-limits: the reference bridge behind a layer that
//! answers every third request with `429 Too Many Requests` and
//! `Retry-After: 1`, as a legal SCIM server may (RFC 6585 §4). Okta waits
//! and sends the request again (docs/okta-wire.md#10-errors-retries-timeouts),
//! and so must every request scimulate sends for its own purposes
//! (read-backs, probes, discovery, cleanup): the run passes, every check
//! judges the attempt Okta acted on, and cleanup removes everything.
//!
//! The run is deterministic: its virtual clock takes the waits at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use scimulate_suites::{RunOptions, TargetSpec, Verdict, run};

use crate::wrapped;

/// The reference bridge, every third request answered 429.
struct Limited {
    target: wrapped::Wrapped,
    limited: Arc<AtomicUsize>,
}

async fn start() -> Limited {
    let seen = Arc::new(AtomicUsize::new(0));
    let limited = Arc::new(AtomicUsize::new(0));
    let (counter, answered) = (seen.clone(), limited.clone());
    let target = wrapped::start(move |router| {
        router.layer(axum::middleware::from_fn(
            move |request: Request<Body>, next: Next| {
                let (counter, answered) = (counter.clone(), answered.clone());
                async move {
                    if (counter.fetch_add(1, Ordering::SeqCst) + 1) % 3 == 0 {
                        answered.fetch_add(1, Ordering::SeqCst);
                        return too_many_requests();
                    }
                    next.run(request).await
                }
            },
        ))
    })
    .await;
    Limited { target, limited }
}

fn too_many_requests() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [("retry-after", "1"), ("content-type", "application/scim+json")],
        r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"429","detail":"slow down"}"#,
    )
        .into_response()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_rate_limits_every_third_request_passes_and_is_cleaned_up() {
    passes_rate_limited(false).await;
}

/// The same with the account observed (`--backend-url`): the effect checks
/// are judged too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_observed_target_that_rate_limits_passes_every_effect_check() {
    passes_rate_limited(true).await;
}

async fn passes_rate_limited(observed: bool) {
    let target = start().await;
    let mut options = RunOptions::new(TargetSpec::External {
        target: target.target.target(),
        backend_url: observed.then(|| target.target.backend_url.clone()),
    });
    options.deterministic = true;
    // The account behind the bridge allows acme.com (not observed here).
    options.email_domain = Some("acme.com".into());
    let record = run(options).await.expect("the run can be made");
    let failed: Vec<String> = record
        .results
        .iter()
        .filter_map(|r| match &r.verdict {
            Verdict::Failed { evidence } => Some(format!(
                "{}::{}: {} / {}",
                r.scenario, r.id, evidence.expected, evidence.seen
            )),
            _ => None,
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(record.passed(), "{:?}", record.incomplete);
    let passed = record
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::Passed)
        .count();
    assert!(passed > 80, "only {passed} checks were judged");
    assert!(
        target.limited.load(Ordering::SeqCst) > 20,
        "the target rate-limited the run"
    );
    let retried = record
        .scenarios
        .iter()
        .flat_map(|s| &s.transcript)
        .filter(|e| e.attempt > 1)
        .count();
    assert!(retried > 20, "the retries are in the transcript");
    let cleanup = record
        .notes
        .iter()
        .find(|n| n.starts_with("cleanup of run"))
        .expect("cleanup ran");
    assert!(!cleanup.contains("finish it"), "{cleanup}");
    let (found, removed) = counts(cleanup);
    assert!(found > 0 && found == removed, "{cleanup}");
}

/// `cleanup of run r…: N resource(s) found, M removed` → (N, M).
fn counts(note: &str) -> (usize, usize) {
    let numbers: Vec<usize> = note
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers.as_slice() {
        [.., found, removed] => (*found, *removed),
        _ => (0, 0),
    }
}
