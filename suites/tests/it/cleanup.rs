//! Cleanup at scale (#15): a target crowded with more than 20,000 users,
//! the run's own beyond page 200 — every one of them is found and removed,
//! through a listing that streams page by page (narrowed by a filter where
//! the target has one, whole where it refuses it), DELETEs a few at a time
//! riding out 429s; and what a run knows it created is removed without
//! listing at all.

#[path = "crowded/target.rs"]
mod target;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use scimulate_simulator::{ClientSettings, SystemClock, Target, Token};
use scimulate_suites::{Known, cleanup, cleanup_known};

use target::{Crowd, start};

const RUN: &str = "r5713e4";
const TOKEN: &str = "crowded-token";

fn crowd(filters: bool) -> Crowd {
    Crowd {
        people: 20_600,
        of_run: 60,
        run_id: RUN.into(),
        filters,
        limit_every: 7,
        bearer: TOKEN.into(),
    }
}

fn target(base_url: &str) -> Target {
    Target::new(base_url, Token::new(TOKEN)).expect("a loopback target")
}

fn settings() -> ClientSettings {
    ClientSettings {
        timeout: Duration::from_secs(10),
        liveness: scimulate_simulator::Liveness::new(3),
        ..ClientSettings::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_15_a_crowded_target_without_filters_is_listed_whole_and_cleaned() {
    let (base_url, seen) = start(crowd(false)).await;
    let cleaned = cleanup(
        &target(&base_url),
        RUN,
        settings(),
        Arc::new(SystemClock),
        Duration::from_secs(300),
    )
    .await
    .expect("cleanup starts");
    assert_eq!(
        (cleaned.found, cleaned.removed),
        (60, 60),
        "{}",
        cleaned.summary(RUN)
    );
    assert!(cleaned.is_complete(), "{}", cleaned.summary(RUN));
    assert!(cleaned.command.is_none());
    let deleted = seen.deleted.lock().unwrap().clone();
    assert_eq!(deleted.len(), 60);
    assert!(deleted.iter().all(|n| *n >= 20_540), "only the run's users");
    // 206 pages of 100 (the filter refused once), and the 429s ridden out.
    assert!(seen.pages.load(Ordering::Relaxed) >= 206);
    assert!(seen.rate_limited.load(Ordering::Relaxed) > 0);
    // Nothing of what went well is kept.
    assert!(cleaned.record.transcript.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_15_a_target_that_filters_is_searched_narrowly() {
    let (base_url, seen) = start(crowd(true)).await;
    let cleaned = cleanup(
        &target(&base_url),
        RUN,
        settings(),
        Arc::new(SystemClock),
        Duration::from_secs(300),
    )
    .await
    .expect("cleanup starts");
    assert_eq!(
        (cleaned.found, cleaned.removed),
        (60, 60),
        "{}",
        cleaned.summary(RUN)
    );
    assert_eq!(seen.deleted.lock().unwrap().len(), 60);
    // One page of the 60 the filter keeps, not 206.
    assert!(seen.pages.load(Ordering::Relaxed) <= 2, "{:?}", seen.pages);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_15_what_a_run_knows_it_created_is_removed_without_listing() {
    let (base_url, seen) = start(crowd(false)).await;
    let known = Known {
        users: (20_540..20_600).map(|n| format!("u{n:07}")).collect(),
        groups: Vec::new(),
        complete: true,
    };
    let cleaned = cleanup_known(
        &target(&base_url),
        RUN,
        known,
        settings(),
        Arc::new(SystemClock),
        Duration::from_secs(300),
    )
    .await
    .expect("cleanup starts");
    assert_eq!(
        (cleaned.found, cleaned.removed),
        (60, 60),
        "{}",
        cleaned.summary(RUN)
    );
    assert_eq!(seen.pages.load(Ordering::Relaxed), 0, "nothing was listed");
    assert_eq!(seen.deleted.lock().unwrap().len(), 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_15_what_is_left_is_said_with_the_command_that_removes_it() {
    // A bound that has passed before the first request: nothing is sent,
    // and everything known is left, said exactly.
    let (base_url, seen) = start(crowd(false)).await;
    let known = Known {
        users: vec!["u0020599".into(), "u0020598".into()],
        groups: Vec::new(),
        complete: false,
    };
    let cleaned = cleanup_known(
        &target(&base_url),
        RUN,
        known,
        settings(),
        Arc::new(SystemClock),
        Duration::ZERO,
    )
    .await
    .expect("cleanup starts");
    assert_eq!(seen.deletes.load(Ordering::Relaxed), 0);
    assert_eq!(cleaned.left, ["Users/u0020599", "Users/u0020598"]);
    let summary = cleaned.summary(RUN);
    assert!(
        summary.contains("2 resource(s) found, 0 removed; 2 left (Users/u0020599, Users/u0020598)"),
        "{summary}"
    );
    assert!(
        summary.contains("the listing of /Groups stopped"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!(
            "`scimulate cleanup --run-id {RUN} --base-url {base_url} --token-file FILE`"
        )),
        "{summary}"
    );
    assert!(!cleaned.is_complete());
}
