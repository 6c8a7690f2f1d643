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
//! | `SCIMULATE_BACKEND_URL` | the fake account's API, when the bridge uses it |
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
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use libtest_mimic::{Arguments, Completion, Conclusion, Failed, Trial};
use scimulate_simulator::{Dialect, Target, Token};

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

/// What the harness runs against, and with what.
pub struct HarnessConfig {
    pub options: RunOptions,
    /// Where each scenario's baseline lives, if baselines are compared.
    pub baselines: Option<PathBuf>,
}

impl HarnessConfig {
    /// The embedded reference bridge, no baselines.
    pub fn embedded() -> Self {
        HarnessConfig {
            options: RunOptions::new(TargetSpec::Embedded {
                account: Default::default(),
                faults: Default::default(),
            }),
            baselines: None,
        }
    }

    /// Reads the variables above; bad values end the process with exit
    /// code 2 and a plain explanation.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut config = match var("SCIM_BASE_URL") {
            Some(base_url) => {
                let token = var("SCIM_TOKEN").unwrap_or_else(|| {
                    usage_error("SCIM_BASE_URL is set but SCIM_TOKEN is not: give the bridge's bearer token")
                });
                HarnessConfig {
                    options: RunOptions::new(TargetSpec::External {
                        target: parse_target(&base_url, &token, "SCIM_BASE_URL", "SCIM_TOKEN"),
                        backend_url: var("SCIMULATE_BACKEND_URL"),
                    }),
                    baselines: None,
                }
            }
            None => HarnessConfig::embedded(),
        };
        config.options.allow_remote_writes =
            var("SCIMULATE_ALLOW_REMOTE_WRITES").as_deref() == Some("1");
        config.options.email_domain = var("SCIMULATE_EMAIL_DOMAIN");
        config.options.profile = match var("SCIMULATE_PROFILE").as_deref() {
            None | Some("1password") => crate::check::Profile::OnePassword,
            Some("scim") => crate::check::Profile::Scim,
            Some(other) => usage_error(&format!(
                "SCIMULATE_PROFILE={other:?}: expected 1password (the default) or scim"
            )),
        };
        config.baselines = var("SCIMULATE_BASELINES").map(PathBuf::from);
        config.options.keep_test_data = var("SCIMULATE_KEEP_TEST_DATA").as_deref() == Some("1");
        if let Some(path) = var("SCIMULATE_WAIVERS") {
            config.options.waivers = Waivers::from_path(Path::new(&path))
                .unwrap_or_else(|e| usage_error(&format!("SCIMULATE_WAIVERS: {e}")));
        }
        config
    }
}

/// The target from what a person gave: the token trimmed and held to the
/// policy of [`Token::parse`], the URL parsed; bad values end the process
/// with exit code 2 naming where they came from.
fn parse_target(base_url: &str, token: &str, url_from: &str, token_from: &str) -> Target {
    let token = Token::parse(token).unwrap_or_else(|e| usage_error(&format!("{token_from}: {e}")));
    Target::new(base_url, token).unwrap_or_else(|e| {
        let cause = std::error::Error::source(&e).map_or(String::new(), |c| format!(": {c}"));
        usage_error(&format!("{url_from}: {e}{cause}"))
    })
}

fn usage_error(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2)
}

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
                move || judge_trial(&shared, &played, check, &label_for_trial, &waivers),
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
                    move || compare_baseline(&shared, &play, &label_for_trial, &dir),
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
                    .map(|c| Capabilities::from_core(c))
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
    let verdict = checks::judge_one(check, &observation, capabilities);
    let mut results = vec![crate::verdict::CheckResult::new(&check.def, label, verdict)];
    waivers.apply(&mut results, chrono::Utc::now().date_naive());
    match &results[0].verdict {
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
                check.def.id, check.def.level, evidence.expected, evidence.seen, check.def.hint
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
    let value = normalize(&observation, &base_url);
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
