//! One run: set up the target, play the scenarios, judge them, and keep
//! everything in a [`RunRecord`].

use std::time::Duration;

use futures_util::StreamExt;
use scimulate_simulator::Dialect;
use tokio::time::{Instant, timeout_at};

use crate::capabilities::Capabilities;
use crate::checks;
use crate::cleanup::Known;
use crate::record::{RunRecord, SCHEMA_VERSION, ScenarioRecord};
use crate::run_error::RunError;
use crate::run_options::{Progress, RunOptions};
use crate::selection::Selection;
use crate::session::{ScenarioRun, Session};
use crate::verdict::CheckResult;

/// Cleanup's own bound, also after the run's deadline passed.
pub const CLEANUP_BOUND: Duration = Duration::from_secs(5 * 60);

/// Plays every scenario against the target and judges it.
pub async fn run(mut options: RunOptions) -> Result<RunRecord, RunError> {
    let selection = std::mem::take(&mut options.selection);
    let progress = options.progress.take();
    let deadline_after = options.deadline;
    let keep_test_data = options.keep_test_data;
    let deadline = Instant::now() + deadline_after;
    let session = timeout_at(deadline, Session::start(options))
        .await
        .map_err(|_| RunError::Deadline {
            deadline: deadline_after,
            what: "the target was set up",
        })??;
    // Cleanup runs whatever happened to the run (a failed scenario, a
    // deadline, an observer that broke): what was created is removed.
    let judged = play_and_judge(&session, &selection, progress, deadline, deadline_after).await;
    // A target that never answered holds nothing of this run.
    let unreachable = matches!(judged, Err(RunError::Unreachable { .. }));
    let cleaned = if keep_test_data || unreachable {
        None
    } else {
        Some(cleanup_after(&session, Known::default()).await)
    };
    let Judged {
        capabilities,
        mut results,
        mut scenarios,
        incomplete,
    } = judged?;
    results.retain(|r| selection.includes(&r.scenario, r.id));
    if results.is_empty() && !selection.is_everything() {
        return Err(RunError::EmptySelection);
    }
    let mut notes = session
        .waivers()
        .apply(&mut results, session.started_at().date_naive());
    if let Some(described) = selection.describe() {
        notes.push(format!(
            "only a selection of checks was judged ({described}): this run certifies those alone"
        ));
    }
    let selection = selection.describe();
    if let Some((note, record)) = cleaned {
        notes.extend(Some(note).filter(|n| !n.is_empty()));
        scenarios.extend(record);
    }
    Ok(RunRecord {
        schema_version: SCHEMA_VERSION,
        tool: "scimulate",
        version: env!("CARGO_PKG_VERSION"),
        run_id: session.run_id().to_string(),
        target: session.target_info(),
        started_at: session.started_at(),
        duration_ms: session.elapsed_ms(),
        capabilities,
        results,
        notes,
        incomplete,
        selection,
        scenarios,
    })
}

/// What playing and judging produced.
struct Judged {
    capabilities: Capabilities,
    results: Vec<CheckResult>,
    scenarios: Vec<ScenarioRecord>,
    incomplete: Option<String>,
}

/// Plays `core` and every selected scenario, judging each, until the
/// deadline.
async fn play_and_judge(
    session: &Session,
    selection: &Selection,
    progress: Option<Box<dyn Progress>>,
    deadline: Instant,
    deadline_after: Duration,
) -> Result<Judged, RunError> {
    // Which scenario runs are played, known before the first one starts so
    // that progress can count them.
    let library = session.library().scenarios()?;
    let plan: Vec<(usize, &crate::scenario::Scenario, Dialect, String)> = library
        .iter()
        .enumerate()
        .flat_map(|(n, scenario)| {
            session
                .dialects_of(scenario)
                .into_iter()
                .map(move |dialect| {
                    (
                        n,
                        scenario,
                        dialect,
                        scenario_label(&scenario.name, dialect),
                    )
                })
        })
        .filter(|(_, scenario, _, label)| selection.plays(&scenario.name, label))
        .collect();
    if let Some(progress) = &progress {
        progress.planned(plan.len() + 1);
        progress.playing(crate::scenarios::core::NAME);
    }
    // `core` is always played: it tells what the target advertises.
    let core = timeout_at(deadline, session.core())
        .await
        .map_err(|_| RunError::Deadline {
            deadline: deadline_after,
            what: "the core scenario was played",
        })??;
    let mut capabilities = Capabilities::from_core(&core);
    capabilities.profile = session.profile();
    let mut results = checks::judge(&core, &capabilities);
    if session.read_only() {
        checks::only_read_only(&mut results);
    }
    let mut scenarios = vec![ScenarioRecord::from(&core)];
    let mut incomplete: Option<String> = None;
    // Played `jobs` at a time, judged one by one in the plan's order.
    let plays = plan.iter().map(|(n, scenario, dialect, label)| {
        let progress = &progress;
        async move {
            if Instant::now() >= deadline {
                return None;
            }
            if let Some(progress) = progress {
                progress.playing(label);
            }
            timeout_at(deadline, session.play(scenario, *dialect, *n))
                .await
                .ok()
        }
    });
    let mut plays = futures_util::stream::iter(plays).buffered(session.jobs());
    for (_, scenario, _, label) in &plan {
        let relabel = |mut r: CheckResult| {
            r.scenario = label.clone();
            r
        };
        let played = match &incomplete {
            Some(_) => None,
            None => plays.next().await.flatten(),
        };
        let Some(played) = played else {
            let reason = incomplete.get_or_insert_with(|| {
                format!(
                    "not played: the run's deadline of {} s passed during {label}",
                    deadline_after.as_secs()
                )
            });
            results.extend(
                checks::skip_all(&scenario.name, reason)
                    .into_iter()
                    .map(relabel),
            );
            continue;
        };
        match played? {
            ScenarioRun::Skipped(reason) => {
                results.extend(
                    checks::skip_all(&scenario.name, &reason)
                        .into_iter()
                        .map(relabel),
                );
            }
            ScenarioRun::Played(played) => {
                let observation = played.observation;
                results.extend(
                    checks::judge(&observation, &capabilities)
                        .into_iter()
                        .map(relabel),
                );
                let mut record = ScenarioRecord::from(observation);
                record.name = label.clone();
                scenarios.push(record);
            }
        }
    }
    Ok(Judged {
        capabilities,
        results,
        scenarios,
        incomplete,
    })
}

/// Removes what the run created on an external target (`known` without
/// searching for it), bounded; the note says what happened, with cleanup's
/// exchanges when it ran.
pub(crate) async fn cleanup_after(
    session: &Session,
    known: Known,
) -> (String, Option<ScenarioRecord>) {
    match tokio::time::timeout(CLEANUP_BOUND, session.cleanup_known(known)).await {
        Ok(None) => (String::new(), None),
        Ok(Some(Ok(cleaned))) => (cleaned.summary(session.run_id()), Some(cleaned.record)),
        Ok(Some(Err(error))) => (format!("cleanup could not start: {error}"), None),
        Err(_) => (
            format!(
                "cleanup of run {run} did not finish within {} s: finish it with \
                 `scimulate cleanup --run-id {run}`",
                CLEANUP_BOUND.as_secs(),
                run = session.run_id()
            ),
            None,
        ),
    }
}

/// `push-group-new` in OIN (the 1Password dialect), `push-group-new@aiw`
/// otherwise: the scenario part of a result's (and a trial's) name.
pub fn scenario_label(name: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Oin => name.to_string(),
        Dialect::Aiw => format!("{name}@aiw"),
    }
}
