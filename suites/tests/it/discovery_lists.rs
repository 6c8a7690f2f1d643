//! Discovery lists judged like every ListResponse (RFC 7644 §3.4.2): the
//! reference bridge behind a layer that drops `totalResults` from its
//! `/Schemas` and `/ResourceTypes` answers — what some servers send, and
//! what makes other SCIM clients abort — fails `scim.discovery.schemas` and
//! `scim.discovery.resource-types`, saying what is missing, and nothing
//! else of a read-only run.

use axum::body::{Body, to_bytes};
use axum::http::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use scimulate_suites::{RunOptions, TargetSpec, Verdict, run};
use serde_json::Value;

use crate::wrapped;

/// The answer, its `totalResults` dropped when the path is a discovery list.
async fn without_total(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    if !(path.ends_with("/Schemas") || path.ends_with("/ResourceTypes")) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let mut list: Value = serde_json::from_slice(&bytes).unwrap_or_default();
    if let Some(list) = list.as_object_mut() {
        list.remove("totalResults");
    }
    parts.headers.remove("content-length");
    (parts, list.to_string()).into_response()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_lists_without_total_results_fail_their_checks() {
    let target =
        wrapped::start(|router| router.layer(axum::middleware::from_fn(without_total))).await;
    let mut options = RunOptions::new(TargetSpec::External {
        target: target.target(),
        backend_url: None,
    });
    options.deterministic = true;
    options.read_only = true;
    let record = run(options).await.expect("the run can be made");
    let mut failed = Vec::new();
    for result in &record.results {
        match &result.verdict {
            Verdict::Failed { evidence } => {
                assert!(
                    evidence.expected.contains("totalResults (REQUIRED)"),
                    "{}: {}",
                    result.id,
                    evidence.expected
                );
                failed.push(result.id);
            }
            Verdict::Passed | Verdict::Skipped { .. } => {}
            other => panic!("{}: {other:?}", result.id),
        }
    }
    failed.sort_unstable();
    assert_eq!(
        failed,
        ["scim.discovery.resource-types", "scim.discovery.schemas"]
    );
}
