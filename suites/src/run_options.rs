//! What a [`crate::Session`] is made from: the target and how to run
//! against it. Kept apart from `run.rs`, which drives a session, so that
//! the session's inputs do not live with its caller.

use std::time::Duration;

use scimulate_backend::AccountSeed;
use scimulate_bridge::FaultSet;
use scimulate_simulator::{
    ClientSettings, DEFAULT_MAX_DEAD_EXCHANGES, Dialect, Liveness, Proxies, Target, UserUpdate,
};

use crate::check::Profile;
use crate::scenario::Library;
use crate::selection::Selection;
use crate::waivers::Waivers;

/// What to run against.
pub enum TargetSpec {
    /// Start the reference bridge over a fake account seeded with `account`.
    Embedded {
        account: AccountSeed,
        faults: FaultSet,
    },
    /// A bridge someone else runs, at a base URL parsed once with its
    /// token ([`Target::new`], [`scimulate_simulator::Token::parse`]).
    External {
        target: Target,
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
    /// A target off this machine may be written to.
    pub allow_remote_writes: bool,
    /// The proxy variables the HTTP client obeys (default: the process's
    /// environment, read by [`RunOptions::new`]): a target reached through
    /// a proxy off this machine is off this machine ([`crate::consent`]).
    pub proxies: Proxies,
    /// The client's bounds. Its `liveness` (default: dead after
    /// [`DEFAULT_MAX_DEAD_EXCHANGES`] exchanges in a row without a complete
    /// answer) ends the run when the target stops answering: no further
    /// scenario is played, the rest is skipped with the reason, and the
    /// record is incomplete.
    pub client: ClientSettings,
    /// The scenarios to play besides `core` (default: the built-in ones).
    pub library: Library,
    /// The Okta dialects to play each scenario in (default: OIN, the
    /// dialect of 1Password's catalogue app).
    pub dialects: Vec<Dialect>,
    /// How OIN apps send profile updates (`--user-update`): `None` keeps
    /// each scenario's app setting (PUT unless its org says otherwise,
    /// docs/okta-wire.md#0-two-client-dialects).
    pub user_update: Option<UserUpdate>,
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
            proxies: Proxies::from_env(),
            client: ClientSettings {
                liveness: Liveness::new(DEFAULT_MAX_DEAD_EXCHANGES),
                ..ClientSettings::default()
            },
            library: Library::builtin(),
            dialects: vec![Dialect::Oin],
            user_update: None,
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
