//! `scimulate load` against the reference bridge: every user assigned once
//! with Okta's two calls, the groups pushed, every exchange counted by
//! kind, nothing failed; bad options refused. Against a bridge someone
//! else runs, what the load created is deleted by the ids the target
//! answered, without searching its (bounded) listing.

use std::sync::Arc;

use scimulate_backend::{AccountSeed, MemberState};
use scimulate_simulator::{ClientSettings, SystemClock};
use scimulate_suites::target::{Embedded, EmbeddedOptions};
use scimulate_suites::{Known, LoadError, LoadOptions, TargetSpec, cleanup_known, load};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_ids_are_deleted_without_a_search() {
    let bridge = Embedded::start(AccountSeed::default(), EmbeddedOptions::default())
        .await
        .expect("the bridge starts");
    let clean = |complete| {
        let known = Known {
            users: vec!["no-such-user".into()],
            groups: vec!["no-such-group".into()],
            complete,
        };
        cleanup_known(
            bridge.target(),
            "r000aaa",
            known,
            ClientSettings::default(),
            Arc::new(SystemClock),
        )
    };
    let sent = |cleaned: &scimulate_suites::Cleanup| -> Vec<String> {
        cleaned
            .record
            .transcript
            .iter()
            .map(|e| format!("{} {}", e.request.method, e.request.path))
            .collect()
    };
    // All of it known: two DELETEs, groups first, nothing listed (an id
    // already gone, 404, counts as removed).
    let cleaned = clean(true).await.expect("cleanup starts");
    assert_eq!(
        sent(&cleaned),
        ["DELETE /Groups/no-such-group", "DELETE /Users/no-such-user"]
    );
    assert_eq!(cleaned.removed.len(), 2, "{:?}", cleaned.problems);
    // Not all of it known: the target is searched for the rest as well.
    let cleaned = clean(false).await.expect("cleanup starts");
    let sent = sent(&cleaned);
    assert!(
        sent.contains(&"GET /Groups?startIndex=1&count=100".to_string()),
        "{sent:?}"
    );
    assert!(
        sent.contains(&"GET /Users?startIndex=1&count=100".to_string()),
        "{sent:?}"
    );
    assert!(
        sent.ends_with(&["DELETE /Users/no-such-user".to_string()]),
        "{sent:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_on_a_bridge_someone_else_runs_removes_what_it_created() {
    let bridge = Embedded::start(AccountSeed::default(), EmbeddedOptions::default())
        .await
        .expect("the bridge starts");
    let mut options = LoadOptions::new(
        TargetSpec::External {
            target: bridge.target().clone(),
            backend_url: None,
        },
        12,
    );
    options.concurrency = 3;
    options.groups = 2;
    options.email_domain = Some("acme.com".into());
    let report = load(options).await.expect("the load can be made");
    assert_eq!(
        (report.assigned, report.failed_actions),
        (12, 0),
        "{report:?}"
    );
    let note = report.notes.join("\n");
    assert!(note.contains("14 resource(s) found, 14 removed"), "{note}");
    // A 1Password bridge suspends on DELETE: every load user (invited, as
    // new people are) is suspended.
    let account = bridge.backend.snapshot();
    let loaded: Vec<_> = account
        .members
        .iter()
        .filter(|m| m.email.starts_with("load-"))
        .collect();
    assert_eq!(loaded.len(), 12);
    assert!(
        loaded
            .iter()
            .all(|m| m.state == MemberState::InviteSuspended),
        "{loaded:?}"
    );
}
