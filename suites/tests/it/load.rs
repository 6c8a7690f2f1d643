//! `scimulate load` against the reference bridge: every user assigned once
//! with Okta's two calls, the groups pushed, every exchange counted by
//! kind, nothing failed; bad options refused.

use scimulate_suites::{LoadError, LoadOptions, TargetSpec, load};

fn embedded() -> TargetSpec {
    TargetSpec::Embedded {
        account: Default::default(),
        faults: Default::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_assignment_is_counted_by_kind() {
    let mut options = LoadOptions::new(embedded(), 120);
    options.concurrency = 4;
    options.groups = 2;
    let report = load(options).await.expect("the load can be made");
    assert_eq!(report.assigned, 120);
    assert_eq!(report.failed_actions, 0, "{report:?}");
    assert!(report.incomplete.is_none());
    let count = |kind: &str| {
        report
            .kinds
            .iter()
            .find(|k| k.kind == kind)
            .map_or(0, |k| k.count)
    };
    assert_eq!(count("GET existence check"), 120);
    assert_eq!(count("POST create"), 120);
    assert_eq!(count("POST create group"), 2);
    let counted: u64 = report.kinds.iter().map(|k| k.count).sum();
    assert_eq!(counted, report.requests, "every request is in one kind");
    for kind in &report.kinds {
        assert_eq!((kind.errors, kind.rate_limited), (0, 0), "{kind:?}");
        assert!(kind.p50 <= kind.p95 && kind.p95 <= kind.p99 && kind.p99 <= kind.max);
    }
    assert!(report.throughput() > 0.0);
}

#[tokio::test]
async fn bounds_are_enforced() {
    assert!(matches!(
        load(LoadOptions::new(embedded(), 0)).await,
        Err(LoadError::Users(0))
    ));
    let mut options = LoadOptions::new(embedded(), 10);
    options.concurrency = 65;
    assert!(matches!(
        load(options).await,
        Err(LoadError::Concurrency(65))
    ));
}
