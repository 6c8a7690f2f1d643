//! The bearer token never reaches a baseline: what a vendor's
//! `SCIMULATE_BASELINES` snapshots store (the normalized transcript) is
//! built from exchanges whose `Authorization` was redacted when recorded,
//! and the run record's every rendering starts from the same exchanges.

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
    let record = run(options).await.expect("the run can be made");
    let text = serde_json::to_string(&record).expect("a record serializes");
    assert!(!text.contains(SECRET), "the run record holds the token");
}
