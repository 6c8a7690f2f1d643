//! The conformance suite as a test binary: one libtest-mimic trial per
//! scenario and check, named `<scenario>::<check-id>` (nextest splits on
//! `::`), so `cargo test -- okta.groups` filters, `--list` lists (and starts
//! nothing), `--exact NAME` runs one, and a check that cannot be judged
//! shows as ignored with its reason. Each scenario is played once, on first
//! need, and shared by its trials.
//!
//! Against the embedded reference bridge by default. The environment
//! points it elsewhere:
//!
//! | variable | meaning |
//! |---|---|
//! | `SCIM_BASE_URL`, `SCIM_TOKEN` | the bridge under test |
//! | `SCIMULATE_BACKEND_URL` | the fake account's API, when the bridge uses it: each scenario seeds it first (one at a time), so none is ignored |
//! | `SCIMULATE_EMAIL_DOMAIN` | domain of the test users' e-mails (default: the account's first allowed domain, else example.com) |
//! | `SCIMULATE_PROFILE=scim` | judge RFC and Okta rules only, not 1Password's (for any SCIM server) |
//! | `SCIMULATE_ALLOW_REMOTE_WRITES=1` | the target is not on loopback, and may be written to |
//! | `SCIMULATE_BASELINES=DIR` | compare each scenario with its baseline in DIR (an absolute path is safest; `cargo insta review` reviews changes) |
//! | `SCIMULATE_WAIVERS=FILE` | accepted failures |
//! | `SCIMULATE_KEEP_TEST_DATA=1` | leave the users and groups the trials create on an external target (default: deleted after the last trial) |
//!
//! A bridge's own `tests/okta.rs`, with `harness = false` in its
//! `Cargo.toml`:
//!
//! ```no_run
//! scimulate_suites::harness::main();
//! ```

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use libtest_mimic::{Arguments, Completion, Conclusion, Failed, Trial};
use scimulate_simulator::Dialect;

use crate::capabilities::Capabilities;
use crate::checks::{self, Check};
use crate::observation::Observation;
use crate::run::scenario_label;
use crate::run_options::{RunOptions, TargetSpec};
use crate::scenario::Scenario;
use crate::scenarios::core;
use crate::session::{ScenarioRun, Session};
use crate::snapshot::normalize;
use crate::verdict::Verdict;
use crate::waivers::Waivers;

mod config;
pub use config::HarnessConfig;
use config::{parse_target, usage_error};

/// Runs the suite from the environment, with libtest's command line, and
/// exits with its code.
pub fn main() -> ! {
    let args = Arguments::from_args();
    run(&args, HarnessConfig::from_env()).exit()
}

/// Runs the suite against a bridge the caller started (e.g. in-process, in
/// a bridge's own `tests/okta.rs`), with libtest's command line, and exits.
/// `backend_url` is the fake account's API when the bridge uses it.
pub fn main_against(base_url: &str, token: &str, backend_url: Option<&str>) -> ! {
    let mut config = HarnessConfig::from_env();
    config.options.target = TargetSpec::External {
        target: parse_target(base_url, token, "the base URL", "the token"),
        backend_url: backend_url.map(str::to_string),
    };
    run(&Arguments::from_args(), config).exit()
}

/// Runs the suite with `config`.
pub fn run(args: &Arguments, config: HarnessConfig) -> Conclusion {
    let scenarios = match config.options.library.scenarios() {
        Ok(scenarios) => scenarios,
        Err(e) => usage_error(&e.to_string()),
    };
    let dialects = config.options.dialects.clone();
    let keep_test_data = config.options.keep_test_data;
    let baselines = config.baselines.clone();
    let waivers = config.options.waivers.clone();
    let shared = Arc::new(Shared {
        config: Mutex::new(Some(config.options)),
        ready: OnceLock::new(),
        plays: Mutex::new(HashMap::new()),
    });
    let mut trials = Vec::new();
    let add = |trials: &mut Vec<Trial>, label: String, played: Play, scenario: &'static str| {
        for check in checks::catalogue()
            .into_iter()
            .filter(|c| c.scenarios.contains(&scenario))
        {
            let shared = shared.clone();
            let played = played.clone();
            let label_for_trial = label.clone();
            let waivers = waivers.clone();
            trials.push(Trial::ignorable_test(
                format!("{label}::{}", check.def.id),
                move || {
                    shared.redacted(judge_trial(
                        &shared,
                        &played,
                        check,
                        &label_for_trial,
                        &waivers,
                    ))
                },
            ));
        }
    };
    add(&mut trials, core::NAME.to_string(), Play::Core, core::NAME);
    for (n, scenario) in scenarios.iter().enumerate() {
        for dialect in dialects.iter().filter(|d| scenario.dialects.contains(d)) {
            let label = scenario_label(&scenario.name, *dialect);
            let play = Play::Scenario(Arc::new((scenario.clone(), *dialect, n)));
            if let Some(name) = checks::judged_scenarios()
                .into_iter()
                .find(|s| *s == scenario.name)
            {
                add(&mut trials, label.clone(), play.clone(), name);
            }
            if let Some(dir) = &baselines {
                let shared = shared.clone();
                let dir = dir.clone();
                let label_for_trial = label.clone();
                trials.push(Trial::ignorable_test(
                    format!("{label}::baseline"),
                    move || {
                        shared.redacted(compare_baseline(&shared, &play, &label_for_trial, &dir))
                    },
                ));
            }
        }
    }
    let conclusion = libtest_mimic::run(args, trials);
    // What the trials created on an external target is removed, as
    // `scimulate run` does (the embedded bridge's account goes with it).
    if !keep_test_data && let Some(Ok(ready)) = shared.ready.get() {
        let (note, _) = ready.runtime.block_on(crate::run::cleanup_after(
            &ready.session,
            crate::cleanup::Known::default(),
        ));
        if !note.is_empty() {
            eprintln!("{note}");
        }
    }
    conclusion
}

/// Which scenario a trial needs.
#[derive(Clone)]
enum Play {
    Core,
    Scenario(Arc<(Scenario, Dialect, usize)>),
}

/// The session and every scenario's run, made on first need.
struct Shared {
    config: Mutex<Option<RunOptions>>,
    ready: OnceLock<Result<Ready, String>>,
    plays: Mutex<HashMap<String, PlayCell>>,
}

struct Ready {
    runtime: tokio::runtime::Runtime,
    session: Session,
    core: Result<Arc<Observation>, String>,
    capabilities: Capabilities,
}

/// A scenario's run, made by the first trial that needs it.
type PlayCell = Arc<OnceLock<Result<Played, String>>>;

/// A scenario's run as the trials see it.
enum Played {
    Observation {
        observation: Arc<Observation>,
        base_url: String,
    },
    Skipped(String),
}

impl Shared {
    /// A trial's message with the token redacted (in every form the
    /// target may have echoed it): verdicts quote answers as received.
    fn redacted(&self, outcome: Result<Completion, Failed>) -> Result<Completion, Failed> {
        let Some(Ok(ready)) = self.ready.get() else {
            return outcome;
        };
        redact_outcome(&ready.session.redactor(), outcome)
    }

    fn ready(&self) -> Result<&Ready, Failed> {
        self.ready
            .get_or_init(|| {
                let options = self
                    .config
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take()
                    .ok_or_else(|| "the session was already set up once".to_string())?;
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .map_err(|e| format!("could not start the async runtime: {e}"))?;
                let session = runtime
                    .block_on(Session::start(options))
                    .map_err(|e| format!("the run could not be made: {e}"))?;
                let core = runtime
                    .block_on(session.core())
                    .map(Arc::new)
                    .map_err(|e| format!("the run could not be made: {e}"));
                let mut capabilities = core
                    .as_ref()
                    .map(|c| crate::capabilities::from_core(c))
                    .unwrap_or_default();
                capabilities.profile = session.profile();
                Ok(Ready {
                    runtime,
                    session,
                    core,
                    capabilities,
                })
            })
            .as_ref()
            .map_err(|e| Failed::from(e.as_str()))
    }

    fn played(
        &self,
        play: &Play,
    ) -> Result<(Arc<Observation>, String), Result<Completion, Failed>> {
        let ready = self.ready().map_err(Err)?;
        let (key, scenario) = match play {
            Play::Core => {
                let core = ready
                    .core
                    .as_ref()
                    .map_err(|e| Err(Failed::from(e.as_str())))?;
                return Ok((core.clone(), String::new()));
            }
            Play::Scenario(s) => (scenario_label(&s.0.name, s.1), s),
        };
        let cell = self
            .plays
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key)
            .or_default()
            .clone();
        let played = cell.get_or_init(|| {
            let (scenario, dialect, n) = scenario.as_ref();
            match ready
                .runtime
                .block_on(ready.session.play(scenario, *dialect, *n))
            {
                Ok(ScenarioRun::Played(played)) => {
                    let played = *played;
                    Ok(Played::Observation {
                        observation: Arc::new(played.observation),
                        base_url: played.base_url,
                    })
                }
                Ok(ScenarioRun::Skipped(reason)) => Ok(Played::Skipped(reason)),
                Err(e) => Err(format!(
                    "scenario {} could not be played: {e}",
                    scenario.name
                )),
            }
        });
        match played {
            Ok(Played::Observation {
                observation,
                base_url,
            }) => Ok((observation.clone(), base_url.clone())),
            Ok(Played::Skipped(reason)) => Err(Ok(Completion::ignored_with(reason))),
            Err(e) => Err(Err(Failed::from(e.as_str()))),
        }
    }
}

/// A trial's failure message and skip reason with the token redacted.
fn redact_outcome(
    redactor: &crate::Redactor,
    outcome: Result<Completion, Failed>,
) -> Result<Completion, Failed> {
    match outcome {
        Ok(Completion::Ignored {
            reason: Some(reason),
        }) => Ok(Completion::ignored_with(redactor.redact(&reason))),
        Err(failed) => Err(match failed.message() {
            Some(message) => Failed::from(redactor.redact(message)),
            None => failed,
        }),
        other => other,
    }
}

fn judge_trial(
    shared: &Shared,
    play: &Play,
    check: &Check,
    label: &str,
    waivers: &Waivers,
) -> Result<Completion, Failed> {
    let (observation, _) = match shared.played(play) {
        Ok(played) => played,
        Err(done) => return done,
    };
    let capabilities = &shared.ready()?.capabilities;
    // The scenario's other checks are judged too (it is cheap), so a
    // result blocked by another's failure says so.
    let mut results: Vec<_> = checks::catalogue()
        .into_iter()
        .filter(|c| c.scenarios.contains(&observation.scenario.as_str()))
        .map(|c| {
            let verdict = checks::judge_one(c, &observation, capabilities);
            crate::verdict::CheckResult::new(&c.def, label, verdict)
        })
        .collect();
    crate::blocking::resolve_scenario(&mut results, label, &observation);
    results.retain(|r| r.id == check.def.id);
    if results.is_empty() {
        let verdict = checks::judge_one(check, &observation, capabilities);
        results.push(crate::verdict::CheckResult::new(&check.def, label, verdict));
    }
    waivers.apply(&mut results, chrono::Utc::now().date_naive());
    match &results[0].verdict {
        Verdict::Blocked { by, reason } => Ok(Completion::ignored_with(format!(
            "blocked by {}: {reason}",
            by.id
        ))),
        Verdict::Passed => Ok(Completion::Completed),
        Verdict::Skipped { reason } => Ok(Completion::ignored_with(reason)),
        Verdict::Waived { reason, .. } => Ok(Completion::ignored_with(format!("waived: {reason}"))),
        Verdict::Failed { evidence } => {
            let mut step = evidence.step.clone();
            if !evidence.exchanges.is_empty() {
                let numbers: Vec<String> =
                    evidence.exchanges.iter().map(|n| format!("#{n}")).collect();
                step.push_str(&format!(" (exchange {})", numbers.join(", ")));
            }
            Err(Failed::from(format!(
                "{} [{}]\n  step      {step}\n  expected  {}\n  seen      {}\n  hint      {}",
                check.def.id,
                check.def.level,
                evidence.expected,
                evidence.seen,
                evidence.hint.as_deref().unwrap_or(check.def.hint)
            )))
        }
    }
}

/// Compares the scenario's normalized run with its baseline in `dir`
/// (insta: `cargo insta review` accepts a change; CI never writes).
fn compare_baseline(
    shared: &Shared,
    play: &Play,
    label: &str,
    dir: &Path,
) -> Result<Completion, Failed> {
    let (observation, base_url) = match shared.played(play) {
        Ok(played) => played,
        Err(done) => return done,
    };
    let mut value = normalize(&observation, &base_url);
    // A baseline is output: the token redacted in every form (the
    // observation keeps answers as received, for the checks).
    if let Ok(ready) = shared.ready() {
        ready.session.redactor().redact_value(&mut value);
    }
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_info(&label);
    let name = label.replace('@', "__");
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_json_snapshot!(name, value));
    }));
    match outcome {
        Ok(()) => Ok(Completion::Completed),
        Err(_) => Err(Failed::from(format!(
            "{label} differs from its baseline (the diff is above); review with `cargo insta review`"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trial_messages_never_show_the_token() {
        let redactor = crate::Redactor::for_secret("tok-harness-5e6f7a");
        let failed = redact_outcome(
            &redactor,
            Err(Failed::from(
                "seen 400 with {\"detail\":\"tok-harness-5e6f7a\"}",
            )),
        );
        let message = failed.err().and_then(|f| f.message().map(str::to_owned));
        assert_eq!(
            message.as_deref(),
            Some("seen 400 with {\"detail\":\"[REDACTED]\"}")
        );
        let skipped = redact_outcome(
            &redactor,
            Ok(Completion::ignored_with("x-tok-harness-5e6f7a refused")),
        );
        assert!(matches!(
            skipped,
            Ok(Completion::Ignored { reason: Some(r) }) if r == "x-[REDACTED] refused"
        ));
    }
}
