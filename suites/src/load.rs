//! Load: a bulk assignment played the way Okta plays it, at Okta-like
//! concurrency, against any target — what a vendor learns before a
//! customer assigns five thousand people at once.
//!
//! `users` test users are assigned (Okta's existence check, then create or
//! link: docs/okta-wire.md#3-assigning-a-user), `concurrency` of them at a time; each
//! user's calls stay sequential, as Okta's are within a task (§11: across
//! users Okta's parallelism is **UNCONFIRMED**; 4 is the default, 1 to 64
//! a setting). Then `groups` groups are pushed, each with the users of one
//! worker (§8.1: POST, name PATCH, member PATCH). Every exchange is timed
//! by kind (`GET existence check`, `POST create`, …) into an HDR
//! histogram; exchanges are dropped once counted, so memory stays flat
//! however many users there are. Bounded: at most [`MAX_USERS`] users, and
//! the deadline stops every worker between two users.
//!
//! The users carry the run id and are cleaned up at the end on an external
//! target, like a conformance run's.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use hdrhistogram::Histogram;
use scimulate_simulator::{
    AdminAction, App, ClientSettings, Engine, Exchange, OktaClient, OktaOrg, Proxies, SystemClock,
    UserProfile,
};
use tokio::time::Instant;

use crate::cleanup::Known;
use crate::run_error::RunError;
use crate::run_options::{RunOptions, TargetSpec};
use crate::session::Session;

/// The most users one load run assigns.
pub const MAX_USERS: usize = 1_000_000;
/// The most users assigned at once.
pub const MAX_CONCURRENCY: usize = 64;

/// What to play.
pub struct LoadOptions {
    pub target: TargetSpec,
    /// How many users are assigned (1 to [`MAX_USERS`]).
    pub users: usize,
    /// How many are assigned at once (1 to [`MAX_CONCURRENCY`]).
    pub concurrency: usize,
    /// How many groups are pushed after the assignment (at most one per
    /// worker: each carries one worker's users).
    pub groups: usize,
    /// The whole load's bound: workers stop between two users past it.
    pub deadline: Duration,
    /// The client's bounds; its `liveness` stops every worker when the
    /// target stops answering (default: after
    /// [`scimulate_simulator::DEFAULT_MAX_DEAD_EXCHANGES`] exchanges in a
    /// row without a complete answer).
    pub client: ClientSettings,
    pub allow_remote_writes: bool,
    /// The proxy variables the HTTP client obeys (default: the process's
    /// environment): they decide whether the target is on this machine.
    pub proxies: Proxies,
    pub email_domain: Option<String>,
    /// Leave the users and groups on an external target.
    pub keep_test_data: bool,
    /// Carried in every test user's e-mail (default: random); known before
    /// the load starts so an interrupted one can be cleaned up.
    pub run_id: Option<String>,
}

impl LoadOptions {
    pub fn new(target: TargetSpec, users: usize) -> Self {
        LoadOptions {
            target,
            users,
            concurrency: 4,
            groups: 0,
            deadline: Duration::from_secs(10 * 60),
            client: ClientSettings {
                liveness: scimulate_simulator::Liveness::new(
                    scimulate_simulator::DEFAULT_MAX_DEAD_EXCHANGES,
                ),
                ..ClientSettings::default()
            },
            allow_remote_writes: false,
            proxies: Proxies::from_env(),
            email_domain: None,
            keep_test_data: false,
            run_id: None,
        }
    }
}

// What a load run measured is a record type (`scimulate-record`): the
// terminal renders it without this crate.
pub use scimulate_record::load::{KindFigures, LoadReport};

/// Why load options are refused.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("--users {0}: give 1 to {MAX_USERS}")]
    Users(usize),
    #[error("--concurrency {0}: give 1 to {MAX_CONCURRENCY}")]
    Concurrency(usize),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("the Okta org of the load could not be built: {0}")]
    Org(String),
}

/// One worker's tally.
#[derive(Default)]
struct Tally {
    kinds: BTreeMap<String, (Histogram<u64>, u64, u64)>,
    requests: u64,
    failed_actions: u64,
    assigned: usize,
}

impl Tally {
    fn count(&mut self, exchanges: Vec<Exchange>) {
        for exchange in exchanges {
            // A request the client kept back once the target was taken
            // for dead never reached it.
            if exchange.response.is_none()
                && exchange.error.as_deref() == Some(scimulate_simulator::NOT_SENT)
            {
                continue;
            }
            self.requests += 1;
            let kind = format!("{} {}", exchange.request.method, exchange.step);
            let entry = self.kinds.entry(kind).or_insert_with(|| {
                (
                    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds"),
                    0,
                    0,
                )
            });
            entry.0.saturating_record(exchange.duration_us.max(1));
            match exchange.response.as_ref().map(|r| r.status) {
                Some(429) => entry.2 += 1,
                Some(200..=299) => {}
                _ => entry.1 += 1,
            }
        }
    }

    fn merge(&mut self, other: Tally) {
        self.requests += other.requests;
        self.failed_actions += other.failed_actions;
        self.assigned += other.assigned;
        for (kind, (histogram, errors, limited)) in other.kinds {
            match self.kinds.get_mut(&kind) {
                Some(mine) => {
                    let _ = mine.0.add(&histogram);
                    mine.1 += errors;
                    mine.2 += limited;
                }
                None => {
                    self.kinds.insert(kind, (histogram, errors, limited));
                }
            }
        }
    }
}

/// Moves a worker's exchanges out of its client: counted, and what they
/// created kept for cleanup.
fn take_counted(client: &OktaClient, tally: &mut Tally, created: &mut Known, run_id: &str) {
    let exchanges = client.take_exchanges();
    created.record(&exchanges, run_id);
    tally.count(exchanges);
}

/// Plays the bulk assignment and measures it.
pub async fn load(options: LoadOptions) -> Result<LoadReport, LoadError> {
    if options.users == 0 || options.users > MAX_USERS {
        return Err(LoadError::Users(options.users));
    }
    if options.concurrency == 0 || options.concurrency > MAX_CONCURRENCY {
        return Err(LoadError::Concurrency(options.concurrency));
    }
    let mut run = RunOptions::new(options.target);
    run.allow_remote_writes = options.allow_remote_writes;
    run.proxies = options.proxies;
    run.email_domain = options.email_domain;
    run.client = options.client.clone();
    run.run_id = options.run_id;
    let session = Session::start(run).await?;
    let workers = options.concurrency.min(options.users);
    let groups = options.groups.min(workers);
    let started = Instant::now();
    let deadline = started + options.deadline;
    let mut tasks = Vec::new();
    for worker in 0..workers {
        let logins: Vec<String> = (worker..options.users)
            .step_by(workers)
            .map(|n| {
                format!(
                    "load-{n:07}.{}@{}",
                    session.run_id(),
                    session.email_domain()
                )
            })
            .collect();
        let mut app = App::default();
        app.provisioning.push_groups = true;
        let mut org = OktaOrg::new(worker as u64 + 1, app);
        for (n, login) in logins.iter().enumerate() {
            let profile = UserProfile::new(login, login, "Load", format!("User{worker}x{n}"));
            org.add_user(profile)
                .map_err(|e| LoadError::Org(e.to_string()))?;
        }
        let group = (worker < groups).then(|| format!("load-group-{worker} {}", session.run_id()));
        if let Some(name) = &group {
            org.add_group(name.clone(), logins.iter().cloned())
                .map_err(|e| LoadError::Org(e.to_string()))?;
        }
        let client = OktaClient::new(
            session.target().clone(),
            options.client.clone(),
            Arc::new(SystemClock),
        )
        .map_err(|e| LoadError::Run(RunError::Client(e)))?;
        let run_id = session.run_id().to_string();
        let liveness = options.client.liveness.clone();
        tasks.push(tokio::spawn(async move {
            let mut engine = Engine::new(org, client.clone());
            let mut tally = Tally::default();
            let mut created = Known::default();
            let mut stopped = false;
            for login in logins {
                // The deadline also cuts an action short (a 429 wait, a slow
                // answer): its exchanges so far are still counted.
                let action = AdminAction::Assign { user: login };
                let run = engine.run(&action);
                let Ok(outcome) = crate::cutoff::within(&liveness, deadline, run).await else {
                    stopped = true;
                    take_counted(&client, &mut tally, &mut created, &run_id);
                    break;
                };
                take_counted(&client, &mut tally, &mut created, &run_id);
                if outcome.is_ok_and(|o| o.succeeded()) {
                    tally.assigned += 1;
                } else {
                    tally.failed_actions += 1;
                }
            }
            if let Some(group) = group.filter(|_| !stopped) {
                let action = AdminAction::PushGroup { group };
                let run = engine.run(&action);
                match crate::cutoff::within(&liveness, deadline, run).await {
                    Ok(outcome) if outcome.as_ref().is_ok_and(|o| o.succeeded()) => {}
                    Ok(_) => tally.failed_actions += 1,
                    Err(_) => stopped = true,
                }
                take_counted(&client, &mut tally, &mut created, &run_id);
            }
            (tally, stopped, created)
        }));
    }
    let mut tally = Tally::default();
    let mut incomplete = None;
    let mut known = Known::default();
    for task in tasks {
        match task.await {
            Ok((worker, stopped, created)) => {
                known.users.extend(created.users);
                known.groups.extend(created.groups);
                if stopped {
                    incomplete = Some(if options.client.liveness.is_dead() {
                        options.client.liveness.reason()
                    } else {
                        format!(
                            "the deadline of {} s passed before every user was assigned and \
                             every group pushed",
                            options.deadline.as_secs()
                        )
                    });
                }
                tally.merge(worker);
            }
            Err(error) => incomplete = Some(format!("a worker failed: {error}")),
        }
    }
    let elapsed = started.elapsed();
    let mut notes = Vec::new();
    if !options.keep_test_data {
        // Every action answered, every user and group accounted for: no
        // need to search the target (whose listing is bounded) for more.
        known.complete = incomplete.is_none()
            && tally.failed_actions == 0
            && known.users.len() == options.users
            && known.groups.len() == groups;
        let (note, _) = crate::run::cleanup_after(&session, known).await;
        notes.extend(Some(note).filter(|n| !n.is_empty()));
    }
    let mut kinds: Vec<KindFigures> = tally
        .kinds
        .into_iter()
        .map(|(kind, (histogram, errors, rate_limited))| {
            let at = |q: f64| Duration::from_micros(histogram.value_at_quantile(q));
            KindFigures {
                kind,
                count: histogram.len(),
                errors,
                rate_limited,
                p50: at(0.50),
                p95: at(0.95),
                p99: at(0.99),
                max: Duration::from_micros(histogram.max()),
            }
        })
        .collect();
    kinds.sort_by(|a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)));
    Ok(LoadReport {
        run_id: session.run_id().to_string(),
        target: session.target_info(),
        users: options.users,
        concurrency: workers,
        groups,
        elapsed,
        requests: tally.requests,
        failed_actions: tally.failed_actions,
        assigned: tally.assigned,
        kinds,
        incomplete,
        notes,
        redactor: session.redactor(),
    })
}
