//! The bearer token never reaches a baseline: what a vendor's
//! `SCIMULATE_BASELINES` snapshots store (the normalized transcript) is
//! built from exchanges whose `Authorization` was recorded redacted (and
//! is redacted again where the harness writes it),
//! and the run record's every rendering starts from its redacted view.

use scimulate_simulator::Token;
use scimulate_suites::snapshot::normalize;
use scimulate_suites::{
    Embedded, EmbeddedOptions, ExternalTarget, Library, PlayOptions, RunOptions, TargetSpec,
    play_external, run,
};

const SECRET: &str = "tok-SECRET-baseline-4e1f0d";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baselines_and_records_never_hold_the_token() {
    let embedded = Embedded::start(
        Default::default(),
        EmbeddedOptions {
            token: Some(Token::new(SECRET)),
            deterministic: true,
            ..EmbeddedOptions::default()
        },
    )
    .await
    .expect("the reference bridge starts");
    let library = Library::builtin();
    let target = ExternalTarget {
        target: embedded.target(),
        observer: None,
    };
    for name in ["new-user-invited", "push-group-new", "group-membership"] {
        let scenario = library.scenario(name).expect("a built-in scenario");
        for dialect in &scenario.dialects {
            let played = play_external(
                &scenario,
                *dialect,
                &target,
                "r0s0",
                &PlayOptions::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
            let baseline = normalize(&played.observation, &played.base_url).to_string();
            assert!(
                !baseline.contains(SECRET),
                "{name}: the baseline holds the token"
            );
            assert!(
                baseline.contains("[REDACTED]"),
                "{name}: no redacted header shown"
            );
        }
    }
    let mut options = RunOptions::new(TargetSpec::External {
        target: embedded.target().clone(),
        backend_url: None,
    });
    options.deterministic = true;
    let record = run(options).await.expect("the run can be made").redacted();
    let text = serde_json::to_string(&record).expect("a record serializes");
    assert!(!text.contains(SECRET), "the run record holds the token");
}

/// A token that is also a word of SCIM (`uniqueness`, the `scimType` of a
/// 409): checks judge answers as received, so a correct bridge passes every
/// check; the word is redacted only where the run is shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_that_is_a_scim_word_never_corrupts_what_is_judged() {
    const WORD: &str = "uniqueness";
    let embedded = Embedded::start(
        Default::default(),
        EmbeddedOptions {
            token: Some(Token::new(WORD)),
            deterministic: true,
            ..EmbeddedOptions::default()
        },
    )
    .await
    .expect("the reference bridge starts");
    let mut options = RunOptions::new(TargetSpec::External {
        target: embedded.target().clone(),
        backend_url: None,
    });
    options.deterministic = true;
    options.email_domain = Some("acme.com".into());
    let record = run(options).await.expect("the run can be made");
    let failed: Vec<&str> = record
        .results
        .iter()
        .filter(|r| r.fails_run() || matches!(r.verdict, scimulate_suites::Verdict::Failed { .. }))
        .map(|r| r.id)
        .collect();
    assert!(failed.is_empty(), "false failures: {failed:?}");
    let judged_409 = record
        .scenarios
        .iter()
        .flat_map(|s| &s.transcript)
        .filter_map(|e| e.response.as_ref())
        .filter_map(|r| r.body.json())
        .any(|body| body["scimType"] == WORD);
    assert!(
        judged_409,
        "the record keeps scimType as the bridge sent it"
    );
    // What the run saw, as every output shows it (the catalogue's own
    // texts, which name `uniqueness`, are redacted in the rendered output:
    // `tests/it/echo.rs`).
    let record = record.redacted();
    let shown =
        serde_json::to_string(&(&record.scenarios, &record.notes)).expect("a record serializes");
    assert!(!shown.contains(WORD), "the token is shown");
    for result in &record.results {
        let verdict = serde_json::to_string(&result.verdict).expect("a verdict serializes");
        assert!(!verdict.contains(WORD), "the token is shown: {verdict}");
    }
}
