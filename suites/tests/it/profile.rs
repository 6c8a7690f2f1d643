//! `--profile scim`: 1Password's rules are not judged — neither the
//! `1password.*` checks nor the scenarios whose premise is one — so a plain
//! SCIM server is not failed for what the RFCs allow.

use scimulate_suites::{Profile, RunOptions, Selection, TargetSpec, Verdict, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scim_profile_skips_1password_rules_and_their_scenarios() {
    let mut options = RunOptions::new(TargetSpec::Embedded {
        account: Default::default(),
        faults: Default::default(),
    });
    options.deterministic = true;
    options.profile = Profile::Scim;
    options.selection = Selection::new(
        &[
            "public-domain-user::*".into(),
            "push-group-new::*".into(),
            "core::*".into(),
        ],
        &[],
    )
    .expect("valid patterns");
    let record = run(options).await.expect("the run can be made");
    let mut judged_public = 0;
    for result in &record.results {
        match (&result.verdict, result.scenario.as_str()) {
            (Verdict::Skipped { reason }, "public-domain-user") => {
                judged_public += 1;
                assert!(
                    reason.contains("public mail domains such as gmail.com are refused")
                        && reason.contains("scim profile"),
                    "{reason}"
                );
            }
            (verdict, "public-domain-user") => {
                panic!("{} was judged: {verdict:?}", result.id)
            }
            (Verdict::Skipped { reason }, _) => assert!(
                result.id.starts_with("1password."),
                "{}::{} skipped: {reason}",
                result.scenario,
                result.id
            ),
            (verdict, _) => assert!(
                !result.id.starts_with("1password."),
                "{} judged under the scim profile: {verdict:?}",
                result.id
            ),
        }
    }
    assert!(
        judged_public > 0,
        "the scenario's checks are listed, skipped"
    );
    assert!(
        record
            .scenarios
            .iter()
            .all(|s| s.name != "public-domain-user"),
        "a skipped scenario is not played"
    );
    assert!(record.passed());
    // Nothing only a 1Password bridge must accept is sent: not the PATCH of
    // a displayName without name parts (issue 13.5).
    let core = record
        .scenarios
        .iter()
        .find(|s| s.name == "core")
        .expect("core is played");
    let rules: Vec<String> = core
        .transcript
        .iter()
        .filter(|e| e.action.starts_with("probe 1Password rules"))
        .map(|e| e.headline())
        .collect();
    assert!(rules.is_empty(), "1Password probes sent: {rules:?}");
    assert!(
        core.transcript
            .iter()
            .filter_map(|e| e.request.body.as_ref())
            .all(|b| !b.to_string().contains("\"path\":\"displayName\"")),
        "no displayName-only PATCH"
    );
}

/// `--read-only`: only GETs are sent, the read-only checks of core are
/// judged (and pass on the reference bridge), everything else is skipped
/// with the reason, and nothing is left to clean up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_run_sends_only_gets() {
    let mut options = RunOptions::new(TargetSpec::Embedded {
        account: Default::default(),
        faults: Default::default(),
    });
    options.deterministic = true;
    options.read_only = true;
    let record = run(options).await.expect("the run can be made");
    let methods: std::collections::BTreeSet<&str> = record
        .scenarios
        .iter()
        .flat_map(|s| &s.transcript)
        .map(|e| e.request.method.as_str())
        .collect();
    assert_eq!(methods.into_iter().collect::<Vec<_>>(), ["GET"]);
    assert_eq!(record.scenarios.len(), 1, "only core is played");
    for result in &record.results {
        let read_only =
            scimulate_suites::checks::READ_ONLY.contains(&result.id) && result.scenario == "core";
        match &result.verdict {
            Verdict::Passed => assert!(read_only, "{} was judged", result.id),
            Verdict::Skipped { reason } => {
                assert!(!read_only, "{} was skipped", result.id);
                assert!(reason.contains("--read-only"), "{reason}");
            }
            other => panic!("{}::{}: {other:?}", result.scenario, result.id),
        }
    }
    assert!(record.passed());
}
