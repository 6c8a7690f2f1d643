//! One run: set up the target, play the scenarios, judge them, and keep
//! everything in a [`RunRecord`].

use std::time::Duration;

use futures_util::StreamExt;
use scimulate_simulator::Dialect;
use tokio::time::{Instant, timeout_at};

use crate::capabilities::Capabilities;
use crate::check::Profile;
use crate::checks;
use crate::cleanup::Known;
use crate::cutoff::{Cut, within};
use crate::record::{RunRecord, SCHEMA_VERSION, ScenarioRecord};
use crate::run_error::RunError;
use crate::run_options::{Progress, RunOptions};
use crate::selection::Selection;
use crate::session::{ScenarioRun, Session};
use crate::verdict::CheckResult;

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
    // deadline, a dead target, an observer that broke): what was created
    // is removed, what the run's writes got back first.
    let mut judged = play_and_judge(&session, &selection, progress, deadline, deadline_after).await;
    // A target that never answered holds nothing of this run.
    let unreachable = matches!(judged, Err(RunError::Unreachable { .. }));
    let known = judged
        .as_mut()
        .map(|j| std::mem::take(&mut j.known))
        .unwrap_or_default();
    let cleaned = if keep_test_data || unreachable {
        None
    } else {
        Some(cleanup_after(&session, known).await)
    };
    let Judged {
        capabilities,
        mut results,
        mut scenarios,
        incomplete,
        known: _,
    } = judged?;
    results.retain(|r| selection.includes(&r.scenario, r.id));
    if results.is_empty() && !selection.is_everything() {
        return Err(RunError::EmptySelection);
    }
    crate::blocking::resolve(&mut results, &scenarios);
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
        redactor: session.redactor(),
    })
}

/// What playing and judging produced.
struct Judged {
    capabilities: Capabilities,
    results: Vec<CheckResult>,
    scenarios: Vec<ScenarioRecord>,
    incomplete: Option<String>,
    /// What the run's writes created, for cleanup.
    known: Known,
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
    let liveness = session.liveness();
    let core = match within(liveness, deadline, session.core()).await {
        Ok(core) => core?,
        Err(Cut::Deadline) => {
            return Err(RunError::Deadline {
                deadline: deadline_after,
                what: "the core scenario was played",
            });
        }
        Err(Cut::Dead) => return dead_during_core(session, &plan, deadline_after),
    };
    let mut known = Known::accounting();
    known.record(&core.exchanges, session.run_id());
    let mut capabilities = crate::capabilities::from_core(&core);
    capabilities.profile = session.profile();
    let mut results = checks::judge(&core, &capabilities);
    if session.read_only() {
        checks::only_read_only(&mut results);
    }
    let mut scenarios = vec![ScenarioRecord::from(&core)];
    let mut incomplete: Option<String> = None;
    // What every check not judged is skipped with, once the run was cut.
    let mut skipped: Option<String> = None;
    // Played `jobs` at a time, judged one by one in the plan's order.
    let plays = plan.iter().map(|(n, scenario, dialect, label)| {
        let progress = &progress;
        async move {
            within(liveness, deadline, async {
                if let Some(progress) = progress {
                    progress.playing(label);
                }
                session.play(scenario, *dialect, *n).await
            })
            .await
        }
    });
    let mut plays = futures_util::stream::iter(plays).buffered(session.jobs());
    for (_, scenario, _, label) in &plan {
        let relabel = |mut r: CheckResult| {
            r.scenario = label.clone();
            r
        };
        let played = match &skipped {
            Some(_) => None,
            None => plays.next().await,
        };
        let played = match played {
            Some(Ok(played)) => Some(played),
            Some(Err(cut)) => {
                incomplete = Some(cut.incomplete(liveness, deadline_after, label));
                skipped = Some(cut.skipped(liveness, deadline_after, label));
                known.complete = false;
                if cut == Cut::Dead {
                    scenarios.extend(crate::cutoff::evidence(liveness, label));
                }
                None
            }
            None => None,
        };
        let Some(played) = played else {
            let reason = skipped.as_deref().unwrap_or_default();
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
                        .map(|r| match &scenario.one_password_rule {
                            // Already skipped for a 1Password rule, its own.
                            Some(_) if session.profile() == Profile::Scim => r,
                            _ => profile_first(r, session.profile()),
                        })
                        .map(relabel),
                );
            }
            ScenarioRun::Played(played) => {
                let observation = played.observation;
                // What setup made through SCIM is the run's too.
                if let Some(setup) = &observation.setup {
                    known.record(&setup.exchanges, session.run_id());
                }
                known.record(&observation.exchanges, session.run_id());
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
        known,
    })
}

/// The target stopped answering while `core` was played: nothing can be
/// judged (what it advertises is unknown), every check is skipped with
/// the reason, and the exchanges that gave up on it are the evidence. A
/// target that never answered at all is unreachable (exit 2 at once).
#[expect(
    clippy::result_large_err,
    reason = "the run's one error type, as play_and_judge returns it"
)]
fn dead_during_core(
    session: &Session,
    plan: &[(usize, &crate::scenario::Scenario, Dialect, String)],
    deadline_after: Duration,
) -> Result<Judged, RunError> {
    let liveness = session.liveness();
    let label = crate::scenarios::core::NAME;
    if !liveness.ever_answered() {
        let evidence = liveness.evidence();
        return Err(RunError::Unreachable {
            url: session.target().base_url().to_string(),
            reason: evidence
                .first()
                .and_then(|e| e.error.clone())
                .unwrap_or_else(|| "no answer".into()),
        });
    }
    let skipped = Cut::Dead.skipped(liveness, deadline_after, label);
    let mut results = checks::skip_all(label, &skipped);
    for (_, scenario, _, name) in plan {
        results.extend(
            checks::skip_all(&scenario.name, &skipped)
                .into_iter()
                .map(|mut r| {
                    r.scenario = name.clone();
                    r
                }),
        );
    }
    Ok(Judged {
        capabilities: Capabilities {
            profile: session.profile(),
            ..Capabilities::default()
        },
        results,
        scenarios: crate::cutoff::evidence(liveness, label)
            .into_iter()
            .collect(),
        incomplete: Some(Cut::Dead.incomplete(liveness, deadline_after, label)),
        known: Known::default(),
    })
}

/// A check the profile does not judge (a `1password.*` rule under `--profile
/// scim`) says so, whatever else kept its scenario from being played: the
/// reason a person can act on is the one that names the other cause.
fn profile_first(mut result: CheckResult, profile: Profile) -> CheckResult {
    let excluded = checks::catalogue()
        .into_iter()
        .find(|c| c.def.id == result.id)
        .and_then(|c| profile.excludes(&c.def));
    if let Some(reason) = excluded {
        result.verdict = crate::verdict::Verdict::Skipped { reason };
    }
    result
}

/// Removes what the run created on an external target (`known` without
/// searching for it), bounded; the note says what happened, with cleanup's
/// exchanges when it ran.
pub(crate) async fn cleanup_after(
    session: &Session,
    known: Known,
) -> (String, Option<ScenarioRecord>) {
    // Bounded inside (CLEANUP_BOUND): what is left is said exactly.
    match session.cleanup_known(known).await {
        None => (String::new(), None),
        Some(Ok(cleaned)) => {
            let record = Some(cleaned.record.clone()).filter(|r| !r.transcript.is_empty());
            (cleaned.summary(session.run_id()), record)
        }
        Some(Err(error)) => (format!("cleanup could not start: {error}"), None),
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
