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
}
