//! Issue 14, the wire gaps: what the simulator sends where Okta would, each
//! traced in docs/okta-wire.md, run against the reference bridge.

use scimulate_simulator::{Exchange, SCIMULATE_USER_AGENT, USER_AGENT, UserUpdate};
use scimulate_suites::{Profile, RunOptions, Selection, TargetSpec, Verdict, run};

fn user_agent(exchange: &Exchange) -> &str {
    exchange
        .request
        .headers
        .iter()
        .find(|h| h.name == "user-agent")
        .map_or("", |h| h.value.as_str())
}

/// The `core` transcript of a read-only run under `profile`.
async fn core(profile: Profile) -> Vec<Exchange> {
    let mut options = RunOptions::new(TargetSpec::Embedded {
        account: Default::default(),
        faults: Default::default(),
    });
    options.deterministic = true;
    options.read_only = true;
    options.profile = profile;
    let record = run(options).await.expect("the run can be made");
    record
        .scenarios
        .into_iter()
        .find(|s| s.name == "core")
        .expect("core was played")
        .transcript
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_the_connection_test_lists_groups_for_1password_s_app() {
    let sent = core(Profile::OnePassword).await;
    let connection: Vec<&Exchange> = sent
        .iter()
        .filter(|e| e.action == "test API credentials")
        .collect();
    let lines: Vec<String> = connection
        .iter()
        .map(|e| format!("{} {}", e.request.method, e.request.path))
        .collect();
    // docs/okta-wire.md#1-connection-test: with Push Groups on (1Password's
    // app, docs/1password.md#3-groups), Okta lists /Groups too.
    assert_eq!(
        lines,
        [
            "GET /Users?startIndex=1&count=2",
            "GET /Groups?startIndex=1&count=100"
        ]
    );
    assert!(connection.iter().all(|e| user_agent(e) == USER_AGENT));
    // A plain SCIM server owes Okta's group features nothing.
    let plain = core(Profile::Scim).await;
    assert!(
        !plain
            .iter()
            .any(|e| e.action == "test API credentials" && e.request.path.starts_with("/Groups")),
        "no /Groups probe under --profile scim"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_discovery_and_probes_carry_scimulate_s_user_agent() {
    let sent = core(Profile::OnePassword).await;
    assert!(!sent.is_empty());
    for e in &sent {
        // Okta never reads discovery (docs/okta-wire.md#1-connection-test)
        // nor sends scimulate's probes: they do not claim to be Okta.
        let okta = e.action == "test API credentials";
        let expected = if okta {
            USER_AGENT
        } else {
            SCIMULATE_USER_AGENT
        };
        assert_eq!(user_agent(e), expected, "{} {}", e.action, e.step);
    }
    assert!(sent.iter().any(
        |e| e.request.path == "/ServiceProviderConfig" && user_agent(e) == SCIMULATE_USER_AGENT
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_profile_updates_as_patch_pass_on_the_reference_bridge() {
    let mut options = RunOptions::new(TargetSpec::Embedded {
        account: Default::default(),
        faults: Default::default(),
    });
    options.deterministic = true;
    options.user_update = Some(UserUpdate::Patch);
    options.selection = Selection::new(
        &["profile-update::*".to_owned(), "email-change::*".to_owned()],
        &[],
    )
    .expect("a valid selection");
    let record = run(options).await.expect("the run can be made");
    let played = record
        .scenarios
        .iter()
        .find(|s| s.name == "profile-update")
        .expect("profile-update was played");
    let pushes: Vec<String> = played
        .transcript
        .iter()
        .filter(|e| e.step == "profile push")
        .map(|e| format!("{} {}", e.request.method, e.action))
        .collect();
    assert_eq!(pushes, ["PATCH update profile of carol@acme.com"]);
    assert!(
        !played
            .transcript
            .iter()
            .any(|e| e.step == "fetch before profile push"),
        "no GET before a PATCH"
    );
    let red: Vec<String> = record
        .results
        .iter()
        .filter(|r| !matches!(r.verdict, Verdict::Passed | Verdict::Skipped { .. }))
        .map(|r| format!("{}::{} {:?}", r.scenario, r.id, r.verdict))
        .collect();
    assert!(red.is_empty(), "{red:#?}");
}
