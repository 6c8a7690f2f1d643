//! The reference bridge measured against SCIM servers nobody on this project
//! wrote (`../shared/targets`): the same conformance probes — discovery,
//! Okta's user and group lifecycles, filters, paging, errors — go to
//! `scimulate`'s reference bridge, to scim2-server and to SCIMMY. Each probe
//! expects only what RFC 7643/7644 or Okta's client require, and accepts
//! everything they allow (a PATCH may answer 200 with the resource or 204).
//! The bridge must pass every probe, and so every probe a peer passes: it
//! behaves at least as well as they do on the same requests.
//!
//! The peers are third-party processes installed by
//! `.ci/install-peer-targets`, so their comparison is opt-in:
//! `SCIMULATE_PEER_TARGETS=1 cargo test --test it peer -- --nocapture`
//! prints the verdict table on stderr.

#![cfg(unix)]

mod answer;
mod calls;
mod discovery;
mod facts;
mod judge;
mod lists;
mod probes;
mod replay;
mod report;
mod run;
mod server;
mod verdicts;

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::Method;
use scimulate_backend::AccountSeed;
use scimulate_suites::{Embedded, EmbeddedOptions};

use probes::PROBES;
use report::{render_failures, render_table};
use run::{Outcome, Target, Verdict, run_probes};
use server::PeerServer;

/// Set by CI once `.ci/install-peer-targets` succeeded.
const OPT_IN: &str = "SCIMULATE_PEER_TARGETS";
const SCIM2_SERVER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/targets/start-scim2-server.sh"
);
const SCIMMY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/targets/start-scimmy.sh"
);
/// The whole comparison, peers' start-up included.
const WHOLE_RUN: Duration = Duration::from_secs(50);

/// Every scenario on both peers, start-up included.
const REPLAY_RUN: Duration = Duration::from_secs(300);

/// Whether the peers are installed (`SCIMULATE_PEER_TARGETS=1`); says why
/// `test` is skipped when not, and installs reqwest's crypto provider when
/// so.
fn opted_in(test: &str) -> bool {
    if std::env::var(OPT_IN).as_deref() != Ok("1") {
        eprintln!("skipped peer::{test}: run .ci/install-peer-targets, then set {OPT_IN}=1");
        return false;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    true
}

#[tokio::test]
async fn every_scenario_replays_on_the_peers() {
    if !opted_in("every_scenario_replays_on_the_peers") {
        return;
    }
    let replay = async {
        let mut report = Vec::new();
        for (name, script) in [("scim2-server", SCIM2_SERVER), ("SCIMMY", SCIMMY)] {
            match replay::replay_on(name, script).await {
                Ok(lines) => report.extend(lines),
                Err(problems) => panic!("replaying the scenarios on {name}:\n{problems}"),
            }
        }
        report
    };
    match tokio::time::timeout(REPLAY_RUN, replay).await {
        Ok(report) => eprintln!("{}", report.join("\n")),
        Err(_) => panic!("replaying the scenarios did not finish within {REPLAY_RUN:?}"),
    }
}

/// The check catalogue on each peer: exactly its documented deviations fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalogue_fails_peers_only_for_their_deviations() {
    if !opted_in("the_catalogue_fails_peers_only_for_their_deviations") {
        return;
    }
    let judged = async {
        let mut problems = Vec::new();
        for ((name, script), (expected_name, expected)) in
            [("scim2-server", SCIM2_SERVER), ("SCIMMY", SCIMMY)]
                .into_iter()
                .zip(verdicts::EXPECTED)
        {
            assert_eq!(name, *expected_name, "EXPECTED is in the same order");
            let server = PeerServer::start(name, script).unwrap_or_else(|e| panic!("{e}"));
            let record = verdicts::judge(&server).await;
            eprintln!("{}", verdicts::summary_line(name, &record));
            let (others, rest) = verdicts::other_skips(&record);
            if others.len() * 100 > rest * 6
                || others
                    .iter()
                    .any(|reason| !reason.contains("a state SCIM cannot express"))
            {
                problems.push(format!(
                    "{name}: {} of {rest} results skipped for something but the profile's \
                     1Password rules (at most 6%, each a state SCIM cannot express): {others:#?}",
                    others.len()
                ));
            }
            let failed = verdicts::red(&record);
            let expected: BTreeSet<&str> = expected.iter().map(|(id, _)| *id).collect();
            let unexpected: Vec<&&str> = failed.difference(&expected).collect();
            let missing: Vec<&&str> = expected.difference(&failed).collect();
            if !unexpected.is_empty() {
                problems.push(format!(
                    "{name}: failed, but no known deviation explains it: {unexpected:?}"
                ));
            }
            if !missing.is_empty() {
                problems.push(format!(
                    "{name}: a known deviation no longer fails: {missing:?}"
                ));
            }
        }
        problems
    };
    match tokio::time::timeout(REPLAY_RUN, judged).await {
        Ok(problems) => assert!(problems.is_empty(), "{}", problems.join("\n")),
        Err(_) => panic!("judging the peers did not finish within {REPLAY_RUN:?}"),
    }
}

/// `totalResults` of `/Users` and `/Groups` on a peer.
async fn counts(target: &Target) -> (u64, u64) {
    let client = reqwest::Client::new();
    let mut totals = [0, 0];
    for (n, resource) in ["Users", "Groups"].iter().enumerate() {
        let list: serde_json::Value = client
            .get(format!(
                "{}/{resource}?startIndex=1&count=1",
                target.base_url
            ))
            .bearer_auth(&target.token)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .expect("the peer answers")
            .json()
            .await
            .expect("a list");
        totals[n] = list["totalResults"].as_u64().expect("totalResults");
    }
    (totals[0], totals[1])
}

/// A run leaves scim2-server as it found it: what it created is deleted at
/// its end, and `scimulate cleanup` removes what a run asked to keep.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_leaves_the_peer_as_it_found_it() {
    if !opted_in("a_run_leaves_the_peer_as_it_found_it") {
        return;
    }
    let server = PeerServer::start("scim2-server", SCIM2_SERVER).unwrap_or_else(|e| panic!("{e}"));
    let target = server.target();
    let before = counts(&target).await;
    let run = |extra: &'static [&'static str]| {
        let (url, token) = (target.base_url.clone(), target.token.clone());
        tokio::task::spawn_blocking(move || {
            let mut args = vec![
                "run",
                "--base-url",
                &url,
                "--token",
                &token,
                "--profile",
                "scim",
            ];
            args.extend_from_slice(extra);
            crate::cli::output(crate::cli::scimulate(&args))
        })
    };
    let out = run(&[]).await.expect("the run's runner");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        crate::cli::transcript(&out)
    );
    assert_eq!(
        counts(&target).await,
        before,
        "the run cleaned up after itself"
    );

    let out = run(&["--keep-test-data"]).await.expect("the run's runner");
    let text = crate::cli::transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let kept = counts(&target).await;
    assert!(kept.0 > before.0 && kept.1 > before.1, "{kept:?} kept");
    let run_id = text
        .split_whitespace()
        .skip_while(|w| *w != "run")
        .nth(1)
        .expect("the run id in the header")
        .to_string();
    let (url, token) = (target.base_url.clone(), target.token.clone());
    let out = tokio::task::spawn_blocking(move || {
        crate::cli::output(crate::cli::scimulate(&[
            "cleanup",
            "--run-id",
            &run_id,
            "--base-url",
            &url,
            "--token",
            &token,
        ]))
    })
    .await
    .expect("the cleanup's runner");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        crate::cli::transcript(&out)
    );
    assert_eq!(
        counts(&target).await,
        before,
        "cleanup removed what was kept"
    );
}

#[tokio::test]
async fn reference_bridge_answers_every_probe() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let embedded = start_reference().await;
    let outcomes = run_probes(&reference_target(&embedded)).await;
    let failed = render_failures(&outcomes);
    assert!(
        failed.is_empty(),
        "the reference bridge answered probes wrongly:\n{failed}"
    );
}

#[tokio::test]
async fn reference_bridge_behaves_at_least_as_well_as_peers() {
    if !opted_in("reference_bridge_behaves_at_least_as_well_as_peers") {
        return;
    }
    // Dropping the comparison on timeout drops its `PeerServer`s: no peer
    // outlives the test.
    if tokio::time::timeout(WHOLE_RUN, compare_with_peers())
        .await
        .is_err()
    {
        panic!("the peer comparison did not finish within {WHOLE_RUN:?}");
    }
}

#[test]
fn probes_have_unique_ids_and_sources() {
    let mut seen = BTreeSet::new();
    for probe in PROBES {
        assert!(seen.insert(probe.id), "probe id {} twice", probe.id);
        assert!(!probe.source.is_empty(), "probe {} has no source", probe.id);
    }
}

async fn compare_with_peers() {
    // Both peers start at once (each takes a second or two).
    let scim2 = tokio::task::spawn_blocking(|| PeerServer::start("scim2-server", SCIM2_SERVER));
    let scimmy = tokio::task::spawn_blocking(|| PeerServer::start("SCIMMY", SCIMMY));
    let scim2 = scim2
        .await
        .unwrap_or_else(|e| panic!("starting scim2-server panicked: {e}"))
        .unwrap_or_else(|e| panic!("{e}"));
    // SCIMMY is compared when it runs; scim2-server is the peer the issue
    // names, so it must.
    let scimmy = match scimmy.await {
        Ok(Ok(server)) => Some(server),
        Ok(Err(e)) => {
            eprintln!("note: SCIMMY not compared: {e}");
            None
        }
        Err(e) => {
            eprintln!("note: SCIMMY not compared: starting it panicked: {e}");
            None
        }
    };
    let embedded = start_reference().await;

    let reference = reference_target(&embedded);
    let scim2_target = scim2.target();
    let scimmy_target = scimmy.as_ref().map(PeerServer::target);
    let (reference_outcomes, scim2_outcomes, scimmy_outcomes) =
        tokio::join!(run_probes(&reference), run_probes(&scim2_target), async {
            match &scimmy_target {
                Some(target) => Some(run_probes(target).await),
                None => None,
            }
        });

    let mut runs = vec![
        (reference.name, &reference_outcomes),
        (scim2_target.name, &scim2_outcomes),
    ];
    if let (Some(target), Some(outcomes)) = (&scimmy_target, &scimmy_outcomes) {
        runs.push((target.name, outcomes));
    }
    eprintln!("{}", render_table(&runs));

    let failed = render_failures(&reference_outcomes);
    assert!(
        failed.is_empty(),
        "the reference bridge answered probes wrongly:\n{failed}"
    );
    for (name, outcomes) in &runs[1..] {
        let better = passed_only_by(outcomes, &reference_outcomes);
        assert!(
            better.is_empty(),
            "{name} passes probes the reference bridge fails: {better:?}"
        );
        // Fairness: an answer the RFC allows is never counted against a
        // peer (scim2-server answers every PATCH with 204, RFC 7644 §3.5.2).
        for outcome in outcomes.iter() {
            if outcome.method == Method::PATCH && outcome.status == Some(204) {
                assert!(
                    outcome.verdict.passed(),
                    "{name}: {} answered 204, which RFC 7644 §3.5.2 allows, yet failed: {:?}",
                    outcome.probe,
                    outcome.verdict
                );
            }
        }
    }
    // The probes are not blind: SCIMMY's documented deviations
    // (../shared/targets/README.md) show up as its failures.
    if let Some(outcomes) = &scimmy_outcomes {
        for (probe, mentions) in [
            ("okta.create.post-user", "Location header"),
            ("filter.user-name-any-case", "totalResults"),
        ] {
            let shown = outcomes.iter().any(|o| {
                o.probe == probe
                    && matches!(&o.verdict, Verdict::Failed { problems, .. }
                        if problems.iter().any(|p| p.contains(mentions)))
            });
            assert!(
                shown,
                "SCIMMY's documented deviation no longer shows in {probe} (a problem mentioning {mentions:?})"
            );
        }
    }
}

/// Probes `peer` passed that `reference` did not.
fn passed_only_by(peer: &[Outcome], reference: &[Outcome]) -> Vec<&'static str> {
    peer.iter()
        .filter(|o| o.verdict.passed())
        .filter(|o| {
            !reference
                .iter()
                .any(|r| r.probe == o.probe && r.verdict.passed())
        })
        .map(|o| o.probe)
        .collect()
}

/// The reference bridge over an empty, deterministic fake account that
/// allows acme.com.
async fn start_reference() -> Embedded {
    let options = EmbeddedOptions {
        deterministic: true,
        ..Default::default()
    };
    Embedded::start(AccountSeed::default(), options)
        .await
        .unwrap_or_else(|e| panic!("the reference bridge did not start: {e}"))
}

fn reference_target(embedded: &Embedded) -> Target {
    Target {
        name: "reference",
        base_url: embedded.base_url(),
        token: embedded.token().expose().to_string(),
    }
}
