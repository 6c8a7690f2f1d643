//! One cause, one failure (issue 13.3): a target that refuses one kind of
//! request fails one check per distinct refused request and blocks the
//! rest; a refused test domain is one failure naming `--email-domain`.

use std::collections::BTreeSet;

use scimulate_bridge::{Fault, FaultSet};
use scimulate_suites::{RunOptions, RunRecord, Selection, TargetSpec, Verdict, run};

async fn run_with(faults: FaultSet, email_domain: Option<&str>, only: &[&str]) -> RunRecord {
    let mut options = RunOptions::new(TargetSpec::Embedded {
        account: Default::default(),
        faults,
    });
    options.deterministic = true;
    options.email_domain = email_domain.map(str::to_string);
    let only: Vec<String> = only.iter().map(|s| s.to_string()).collect();
    options.selection = Selection::new(&only, &[]).expect("a valid selection");
    run(options).await.expect("the run can be made")
}

/// Every blocked result waits on a failed one, carries no hint, and
/// is not counted as failed.
fn assert_blocked_wait_on_failures(record: &RunRecord) {
    for result in &record.results {
        if let Verdict::Blocked { by, reason } = &result.verdict {
            let owner = record
                .results
                .iter()
                .find(|r| r.id == by.id && r.scenario == by.scenario)
                .unwrap_or_else(|| panic!("{}: blocked by {by}, which is no result", result.id));
            assert!(
                matches!(owner.verdict, Verdict::Failed { .. }),
                "{}::{} is blocked by {by}, which did not fail",
                result.scenario,
                result.id
            );
            assert!(result.hint().is_none(), "a blocked result has no hint");
            assert!(!result.fails_run());
            assert!(
                reason.contains('#'),
                "the reason names the exchange: {reason}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_request_kind_is_one_failure_per_distinct_request() {
    let record = run_with([Fault::PatchRequiresPath].into_iter().collect(), None, &[]).await;
    assert_blocked_wait_on_failures(&record);
    // The bridge refuses PATCH without a path: Okta's user (de)activation
    // and its group name update are the two distinct requests refused.
    let mut refused = BTreeSet::new();
    let mut failed = 0;
    for result in &record.results {
        let Verdict::Failed { evidence } = &result.verdict else {
            continue;
        };
        failed += 1;
        let scenario = record
            .scenarios
            .iter()
            .find(|s| s.name == result.scenario)
            .expect("the failure's scenario is recorded");
        let exchange = evidence
            .exchanges
            .iter()
            .filter_map(|n| scenario.transcript.iter().find(|e| e.number == *n))
            .find(|e| e.response.as_ref().is_some_and(|r| r.status == 400))
            .unwrap_or_else(|| panic!("{} quotes no refused exchange", result.id));
        let path = exchange.request.path.split('/').nth(1).unwrap_or_default();
        refused.insert(format!("{} /{path}", exchange.request.method));
    }
    assert_eq!(
        refused,
        BTreeSet::from(["PATCH /Groups".to_string(), "PATCH /Users".to_string()])
    );
    assert_eq!(failed, refused.len(), "one failure per refused request");
    let summary = record.summary();
    assert!(summary.blocked >= 20, "the rest are blocked: {summary:?}");
    assert_eq!(summary.failed, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_test_domain_is_one_failure_naming_the_flag() {
    let record = run_with(FaultSet::none(), Some("other.example"), &["core::*"]).await;
    assert_blocked_wait_on_failures(&record);
    let failures: Vec<_> = record
        .results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Failed { .. }))
        .collect();
    assert_eq!(
        failures.len(),
        1,
        "{:?}",
        failures.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    let hint = failures[0].hint().unwrap_or_default();
    assert!(hint.contains("--email-domain"), "{hint}");
    assert!(record.summary().blocked >= 10, "{:?}", record.summary());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_that_never_came_is_the_failure_of_the_rule_that_demands_it() {
    // The bridge keeps the old address instead of refusing a change to a
    // domain the account does not allow: the 1Password rule fails, and the
    // check about how a refusal reaches Okta waits on it.
    let record = run_with(
        [Fault::IgnoreEmailChange].into_iter().collect(),
        None,
        &["email-change-not-allowed::*"],
    )
    .await;
    assert_blocked_wait_on_failures(&record);
    let verdict = |id: &str| {
        record
            .results
            .iter()
            .find(|r| r.scenario == "email-change-not-allowed" && r.id == id)
            .map(|r| r.verdict.clone())
            .unwrap_or_else(|| panic!("no {id}"))
    };
    assert!(matches!(
        verdict("1password.users.email-change.disallowed-refused"),
        Verdict::Failed { .. }
    ));
    match verdict("okta.users.refusal.reason-reaches-okta") {
        Verdict::Blocked { by, reason } => {
            assert_eq!(by.id, "1password.users.email-change.disallowed-refused");
            assert!(reason.contains("nothing was refused"), "{reason}");
        }
        other => panic!("not blocked: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_sensitive_lookup_fails_once_not_in_every_read_back() {
    // userName eq compared case-sensitively: Okta's existence check in
    // another case fails in core; the read-backs that look each user up in
    // another case meet the same deviation and wait on that failure.
    let record = run_with(
        [Fault::CaseSensitiveUserName].into_iter().collect(),
        None,
        &[
            "core::*",
            "new-user-invited::*",
            "profile-update::*",
            "existing-member-linked-any-case::*",
        ],
    )
    .await;
    assert_blocked_wait_on_failures(&record);
    // Okta's own lookup in another case misses the person made first: the
    // check in that scenario, and the link it could not make, wait on
    // core's failure too.
    for id in [
        "okta.users.existence-check.any-case",
        "okta.users.assign.links-existing-user",
    ] {
        let result = record
            .results
            .iter()
            .find(|r| r.scenario == "existing-member-linked-any-case" && r.id == id)
            .unwrap_or_else(|| panic!("no {id}"));
        match &result.verdict {
            Verdict::Blocked { by, .. } => {
                assert_eq!(
                    (by.id.as_str(), by.scenario.as_str()),
                    ("okta.users.existence-check.any-case", "core")
                );
            }
            other => panic!("{id}: {other:?}"),
        }
    }
    assert!(
        record
            .results
            .iter()
            .any(|r| r.id == "okta.users.existence-check.any-case"
                && matches!(r.verdict, Verdict::Failed { .. })),
        "the owner fails"
    );
    let exactly: Vec<_> = record
        .results
        .iter()
        .filter(|r| r.id == "scim.users.filter.eq-matches-exactly" && r.scenario != "core")
        .collect();
    assert!(!exactly.is_empty());
    for result in exactly {
        match &result.verdict {
            Verdict::Blocked { by, reason } => {
                assert_eq!(by.id, "okta.users.existence-check.any-case");
                assert!(reason.contains("look up user in other case"), "{reason}");
            }
            other => panic!("{}: {other:?}", result.scenario),
        }
    }
}
