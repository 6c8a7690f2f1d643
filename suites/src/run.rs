//! One run: set up the target, play the scenarios, judge them, and keep
//! everything in a [`RunRecord`].

use std::time::Duration;

use futures_util::StreamExt;
use scimulate_backend::AccountSeed;
use scimulate_bridge::FaultSet;
use scimulate_simulator::{ClientError, ClientSettings, Dialect};
use tokio::time::{Instant, timeout_at};
use url::Url;

use crate::capabilities::Capabilities;
use crate::check::Profile;
use crate::checks;
use crate::cleanup::Known;
use crate::play::PlayError;
use crate::record::{RunRecord, SCHEMA_VERSION, ScenarioRecord};
use crate::scenario::{FixtureError, Library};
use crate::scenarios::ScenarioError;
use crate::selection::Selection;
use crate::session::{ScenarioRun, Session};
use crate::target::TargetError;
use crate::verdict::CheckResult;
use crate::waivers::Waivers;

/// What to run against.
pub enum TargetSpec {
    /// Start the reference bridge over a fake account seeded with `account`.
    Embedded {
        account: AccountSeed,
        faults: FaultSet,
    },
    /// A bridge someone else runs.
    External {
        base_url: String,
        token: String,
        /// The fake account's API, when the bridge was configured with it.
        backend_url: Option<String>,
    },
}

/// How to run.
pub struct RunOptions {
    pub target: TargetSpec,
    /// Domain of test users' e-mails (default: the embedded account's first
    /// allowed domain, else `example.com`).
    pub email_domain: Option<String>,
    /// Carried in every test user's e-mail (default: random).
    pub run_id: Option<String>,
    /// Same inputs, same record: virtual and stepping clocks, seeded ids,
    /// a fixed run id and token.
    pub deterministic: bool,
    /// A non-loopback target may be written to.
    pub allow_remote_writes: bool,
    pub client: ClientSettings,
    /// The scenarios to play besides `core` (default: the built-in ones).
    pub library: Library,
    /// The Okta dialects to play each scenario in (default: OIN, the
    /// dialect of 1Password's catalogue app).
    pub dialects: Vec<Dialect>,
    /// Accepted failures.
    pub waivers: Waivers,
    /// Which rules are judged (default: 1Password's too).
    pub profile: Profile,
    /// Which checks are judged (`--only`, `--skip`; default: all). A
    /// scenario none of whose checks are selected is not played.
    pub selection: Selection,
    /// Told of each scenario as it starts, for a progress bar.
    pub progress: Option<Box<dyn Progress>>,
    /// Send only requests that read (`--read-only`): the read-only checks
    /// of `core` are judged, every other check is skipped; a target off
    /// loopback needs no consent then.
    pub read_only: bool,
    /// Leave the users and groups the run created on an external target
    /// (default: they are deleted at the end, see [`crate::cleanup`]).
    pub keep_test_data: bool,
    /// The whole run's bound in real time (default 30 minutes): past it, no
    /// further scenario is played, the results so far are kept and the
    /// record says it is incomplete. Each exchange has its own bound in
    /// `client.timeout`, each step's 429 waits in `client.retry`.
    pub deadline: Duration,
    /// How many scenarios are played at once on the embedded bridge
    /// (default: the machine's cores, at most [`MAX_JOBS`]). Each has a
    /// bridge and an account of its own there, so order cannot matter;
    /// results keep the catalogue's order whatever finishes first. On a
    /// bridge someone else runs scenarios are played one after another:
    /// they share its account (and its effect log, when observed).
    pub jobs: usize,
}

/// The most scenarios played at once (`--jobs`).
pub const MAX_JOBS: usize = 16;

/// [`RunOptions::jobs`]' default: one a core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_JOBS))
}

/// [`RunOptions::deadline`]'s default: a conformance run takes seconds; a
/// target that needs half an hour is rate-limiting or hanging.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30 * 60);

/// Cleanup's own bound, also after the run's deadline passed.
pub const CLEANUP_BOUND: Duration = Duration::from_secs(5 * 60);

/// What a run tells while it goes: the number of scenario runs to play
/// (`core` included), then each one's label as it starts. Called from the
/// run's task; keep it cheap.
pub trait Progress: Send + Sync {
    fn planned(&self, runs: usize);
    fn playing(&self, label: &str);
}

impl RunOptions {
    pub fn new(target: TargetSpec) -> Self {
        RunOptions {
            target,
            email_domain: None,
            run_id: None,
            deterministic: false,
            allow_remote_writes: false,
            client: ClientSettings::default(),
            library: Library::builtin(),
            dialects: vec![Dialect::Oin],
            waivers: Waivers::default(),
            profile: Profile::default(),
            selection: Selection::default(),
            progress: None,
            deadline: DEFAULT_DEADLINE,
            keep_test_data: false,
            read_only: false,
            jobs: default_jobs(),
        }
    }
}

/// Why a run could not be made (exit 2), as opposed to a failed check.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error("invalid base URL {url:?}: {reason} (expected e.g. https://scim.example.com/scim/v2)")]
    BaseUrl { url: String, reason: String },
    #[error(
        "{url} is not on this machine: a run creates and deactivates test users, so writing to it \
         needs --allow-remote-writes (point it at a staging bridge, not production), or give \
         --read-only to judge only what GET requests show"
    )]
    RemoteWrites { url: String },
    #[error(
        "the fake account's API at {url:?} could not be used (is --backend-url the BACKEND_URL \
         the bridge was given?)"
    )]
    BackendUrl {
        url: String,
        #[source]
        source: scimulate_backend::BackendError,
    },
    #[error("could not build the HTTP client")]
    Client(#[source] ClientError),
    #[error(
        "the target did not answer at {url}: {reason} (is the bridge running, and is the URL right?)"
    )]
    Unreachable { url: String, reason: String },
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Fixture(#[from] FixtureError),
    #[error(transparent)]
    Play(#[from] PlayError),
    #[error(
        "no check is left to judge: --only and --skip together select none of the checks the \
         played scenarios have (see `scimulate checks`; scenario names are the file names in \
         fixtures/scenarios)"
    )]
    EmptySelection,
    #[error(
        "the run's deadline of {} s passed while {what} (raise --deadline, or find what makes \
         the target slow: see --verbose and RUST_LOG=scimulate=debug)",
        .deadline.as_secs()
    )]
    Deadline {
        deadline: Duration,
        what: &'static str,
    },
}

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

/// Whether a run against `base_url` must stop before it writes: the target
/// is off this machine, nobody consented (`--allow-remote-writes`), and the
/// run is not read-only.
pub fn needs_consent(base_url: &str, allow_remote_writes: bool, read_only: bool) -> bool {
    !allow_remote_writes && !read_only && !is_loopback(base_url)
}

/// Whether the URL's host is this machine (127.0.0.0/8, ::1, localhost).
pub fn is_loopback(url: &str) -> bool {
    let Ok(url) = Url::parse(url) else {
        return false;
    };
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_off_this_machine_need_consent_unless_read_only() {
        let remote = "https://scim.example.com/scim/v2";
        assert!(needs_consent(remote, false, false));
        assert!(!needs_consent(remote, true, false));
        assert!(!needs_consent(remote, false, true));
        assert!(!needs_consent(
            "http://127.0.0.1:8080/scim/v2",
            false,
            false
        ));
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback("http://127.0.0.1:8080/scim/v2"));
        assert!(is_loopback("http://127.3.4.5/"));
        assert!(is_loopback("http://localhost:1/"));
        assert!(is_loopback("http://[::1]:1/"));
        assert!(!is_loopback("https://scim.example.com/scim/v2"));
        assert!(!is_loopback("http://10.0.0.1/"));
        assert!(!is_loopback("not a url"));
    }
}
