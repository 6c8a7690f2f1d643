//! Every built-in scenario, in each of its dialects, against the reference
//! bridge: the normalized transcript and effect log are the baseline.

use scimulate_suites::snapshot::normalize;
use scimulate_suites::{Library, PlayOptions, play_embedded};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_matches_its_baseline() {
    let library = Library::builtin();
    let scenarios = library.scenarios().expect("built-in scenarios load");
    let options = PlayOptions {
        deterministic: true,
        ..PlayOptions::default()
    };
    for scenario in &scenarios {
        for dialect in &scenario.dialects {
            let played = play_embedded(scenario, *dialect, &options)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", scenario.name));
            let dialect_name = format!("{dialect:?}").to_lowercase();
            let name = format!("{}__{dialect_name}", scenario.name);
            let mut settings = insta::Settings::clone_current();
            settings.set_info(&format!("{}: {}", scenario.origin, scenario.description));
            settings.set_omit_expression(true);
            settings.bind(|| {
                insta::assert_json_snapshot!(
                    name,
                    normalize(&played.observation, &played.base_url)
                );
            });
        }
    }
}

#[tokio::test]
async fn the_same_scenario_gives_the_same_bytes() {
    let library = Library::builtin();
    let scenario = library
        .scenario("existing-member-linked")
        .expect("it loads");
    let options = PlayOptions {
        deterministic: true,
        ..PlayOptions::default()
    };
    let dialect = scenario.dialects[0];
    let first = play_embedded(&scenario, dialect, &options)
        .await
        .expect("plays");
    let second = play_embedded(&scenario, dialect, &options)
        .await
        .expect("plays");
    assert_eq!(
        normalize(&first.observation, &first.base_url),
        normalize(&second.observation, &second.base_url)
    );
}
