//! A session: the target set up once (the embedded bridge started, or the
//! external one checked), from which any scenario can be played on demand —
//! in order by `run`, or one per trial by the test harness.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use scimulate_backend::BackendClient;
use scimulate_bridge::FaultSet;
use scimulate_simulator::{Clock, Dialect, OktaClient, SystemClock, Target, VirtualClock};

use crate::check::Profile;
use crate::checks;
use crate::cleanup::{Cleanup, CleanupError, Known, cleanup_known};
use crate::consent::{Route, needs_consent};
use crate::observation::Observation;
use crate::play::{ExternalTarget, PlayError, PlayOptions, Played, play_embedded, play_external};
use crate::record::TargetInfo;
use crate::run_error::RunError;
use crate::run_options::{MAX_JOBS, RunOptions, TargetSpec};
use crate::scenario::{Library, Scenario};
use crate::scenarios::{ScenarioContext, core};
use crate::seeding::Seeding;
use crate::target::{Embedded, EmbeddedOptions, Observer, TargetKind};
use crate::waivers::Waivers;

/// What playing one scenario came to.
pub enum ScenarioRun {
    Played(Box<Played>),
    /// It cannot be staged on this target (why).
    Skipped(String),
}

/// The tag every login, e-mail and group name of scenario `n` played in
/// `dialect` carries on a shared target (`r5713e4s24`): each dialect's run
/// of a scenario has its own (OIN `s{2n}`, AIW `s{2n+1}`), so the second
/// never finds the first one's users and groups (`--dialect all`), and
/// cleanup still knows them all by the run id (`….{run}s{digits}`).
pub fn scenario_tag(run_id: &str, n: usize, dialect: Dialect) -> String {
    let number = n * 2
        + match dialect {
            Dialect::Oin => 0,
            Dialect::Aiw => 1,
        };
    format!("{run_id}s{number}")
}

/// The target, ready.
pub struct Session {
    /// The reference bridge `core` runs against, when embedded.
    embedded: Option<Embedded>,
    /// The fake account's API of an external bridge, when given.
    backend: Option<BackendClient>,
    /// That account, seeded before each scenario, when it takes the
    /// test-control call.
    seeding: Option<Seeding>,
    /// The base URL and token, parsed once; every client borrows it.
    target: Target,
    kind: TargetKind,
    faults: FaultSet,
    run_id: String,
    email_domain: String,
    clock: Arc<dyn Clock>,
    started_at: DateTime<Utc>,
    play_options: PlayOptions,
    library: Library,
    dialects: Vec<Dialect>,
    waivers: Waivers,
    profile: Profile,
    read_only: bool,
    /// Scenarios played at once ([`crate::RunOptions::jobs`]).
    jobs: usize,
}

impl Session {
    /// Sets the target up: starts the embedded bridge, or checks the
    /// external one may be written to and reads its account's domains.
    pub async fn start(options: RunOptions) -> Result<Session, RunError> {
        let clock: Arc<dyn Clock> = if options.deterministic {
            Arc::new(VirtualClock::at_epoch())
        } else {
            Arc::new(SystemClock)
        };
        let started_at = clock.now();
        let run_id = options.run_id.clone().unwrap_or_else(|| {
            if options.deterministic {
                "r000001".to_string()
            } else {
                crate::cleanup::new_run_id()
            }
        });
        let mut seeding = None;
        let (embedded, backend, target, kind, faults, default_domain) = match options.target {
            TargetSpec::Embedded { account, faults } => {
                let domain = account.settings().allowed_domains.first().cloned();
                let embedded = Embedded::start(
                    account,
                    EmbeddedOptions {
                        faults: faults.clone(),
                        deterministic: options.deterministic,
                        ..EmbeddedOptions::default()
                    },
                )
                .await?;
                let target = embedded.target().clone();
                (
                    Some(embedded),
                    None,
                    target,
                    TargetKind::Embedded,
                    faults,
                    domain,
                )
            }
            TargetSpec::External {
                target,
                backend_url,
            } => {
                // A library caller may have wrapped the token with
                // `Token::new`: the policy holds here too, before any request.
                target.token().check_policy()?;
                let route = Route::of(&target, &options.proxies);
                if needs_consent(&route, options.allow_remote_writes, options.read_only) {
                    return Err(RunError::RemoteWrites {
                        url: route.describe(&target),
                    });
                }
                let (backend, domain) = match backend_url {
                    Some(url) => {
                        let client =
                            BackendClient::new(&url).map_err(|source| RunError::BackendUrl {
                                url: url.clone(),
                                source,
                            })?;
                        // Before the settings are read: the account as it
                        // was started decides the test domain. A read-only
                        // run plays no scenario and changes nothing.
                        if !options.read_only {
                            seeding = Seeding::start(&client).await.map_err(|source| {
                                RunError::BackendUrl {
                                    url: url.clone(),
                                    source,
                                }
                            })?;
                        }
                        // The account decides which domains may be provisioned.
                        let settings = client
                            .settings()
                            .await
                            .map_err(|source| RunError::BackendUrl { url, source })?;
                        let domain = settings.allowed_domains.first().cloned();
                        (Some(client), domain)
                    }
                    None => (None, None),
                };
                let faults = FaultSet::none();
                (None, backend, target, TargetKind::External, faults, domain)
            }
        };
        let email_domain = options
            .email_domain
            .or(default_domain)
            .unwrap_or_else(|| "example.com".to_string());
        Ok(Session {
            embedded,
            backend,
            seeding,
            target,
            kind,
            play_options: PlayOptions {
                faults: faults.clone(),
                deterministic: options.deterministic,
                client: options.client,
                user_update: options.user_update,
            },
            faults,
            run_id,
            email_domain,
            clock,
            started_at,
            library: options.library,
            dialects: options.dialects,
            waivers: options.waivers,
            profile: options.profile,
            read_only: options.read_only,
            jobs: options.jobs,
        })
    }

    fn observer(&self) -> Option<Observer<'_>> {
        match (&self.embedded, &self.backend) {
            (Some(embedded), _) => Some(Observer::InProcess(&embedded.backend)),
            (None, Some(client)) => Some(Observer::Http(client.clone())),
            (None, None) => None,
        }
    }

    /// Plays `core`. A target that does not answer its first request at
    /// all is unreachable: the run cannot be made.
    pub async fn core(&self) -> Result<Observation, RunError> {
        let client = OktaClient::new(
            self.target.clone(),
            self.play_options.client.clone(),
            self.clock.clone(),
        )
        .map_err(RunError::Client)?;
        let observer = self.observer();
        let ctx = ScenarioContext {
            client,
            observer: observer.as_ref(),
            run_id: &self.run_id,
            email_domain: &self.email_domain,
            seed: 1,
            read_only: self.read_only,
            one_password_rules: self.profile == Profile::OnePassword,
        };
        let observation = core::run(&ctx).await?;
        // The first request's last attempt: a transient failure retried
        // into an answer is no unreachable target.
        let retries = crate::attempts::Retries::of(&observation.exchanges);
        if let Some(first) = crate::attempts::final_attempts(&observation, &retries)
            .exchanges
            .first()
            && first.response.is_none()
        {
            return Err(RunError::Unreachable {
                url: self.target.base_url().to_string(),
                reason: first.error.clone().unwrap_or_else(|| "no answer".into()),
            });
        }
        Ok(observation)
    }

    /// Plays one data-driven scenario in `dialect`; `n` (the scenario's
    /// place in the library) and the dialect make its tag unique on a
    /// shared target ([`scenario_tag`]).
    pub async fn play(
        &self,
        scenario: &Scenario,
        dialect: Dialect,
        n: usize,
    ) -> Result<ScenarioRun, RunError> {
        if self.read_only {
            return Ok(ScenarioRun::Skipped(checks::NEEDS_WRITES.to_string()));
        }
        if self.profile == Profile::Scim
            && let Some(rule) = &scenario.one_password_rule
        {
            return Ok(ScenarioRun::Skipped(format!(
                "the scenario rests on a 1Password rule ({rule}), not judged with the scim profile"
            )));
        }
        if self.embedded.is_some() {
            return Ok(ScenarioRun::Played(Box::new(
                play_embedded(scenario, dialect, &self.play_options).await?,
            )));
        }
        let observer = self.observer();
        let external = ExternalTarget {
            target: &self.target,
            observer: observer.as_ref(),
        };
        if let Some(seeding) = &self.seeding {
            let played = seeding
                .play(scenario, dialect, &external, &self.play_options)
                .await?;
            return Ok(ScenarioRun::Played(Box::new(played)));
        }
        if external.observer.is_some() {
            if let Some(reason) = scenario.needs_seeded_account() {
                return Ok(ScenarioRun::Skipped(format!(
                    "only on the embedded bridge or an account seeded over --backend-url: {reason}"
                )));
            }
        } else if let Some(reason) = scenario.starting_state.unplayable() {
            return Ok(ScenarioRun::Skipped(reason.to_string()));
        } else if let crate::scim_setup::StartingState::Made(plan) = &scenario.starting_state
            && self.profile == Profile::OnePassword
            && let Some(domain) = plan.allowed_domains.first()
        {
            // A 1Password account's allowed domains cannot be set through
            // SCIM; plain SCIM has no domain rules (`--profile scim`).
            return Ok(ScenarioRun::Skipped(format!(
                "needs an account that allows {domain}, a state SCIM cannot express (judged \
                 with --profile scim, which has no domain rules)"
            )));
        }
        let tag = scenario_tag(&self.run_id, n, dialect);
        match play_external(scenario, dialect, &external, &tag, &self.play_options).await {
            Ok(played) => Ok(ScenarioRun::Played(Box::new(played))),
            Err(PlayError::Setup { reason, .. }) => Ok(ScenarioRun::Skipped(reason)),
            Err(error) => Err(error.into()),
        }
    }

    /// Removes what this run created, when the target is someone else's
    /// (the embedded bridge's account is thrown away with it).
    pub async fn cleanup(&self) -> Option<Result<Cleanup, CleanupError>> {
        self.cleanup_known(Known::default()).await
    }

    /// [`Session::cleanup`], deleting `known` without searching for it
    /// ([`crate::cleanup_known`]).
    pub async fn cleanup_known(&self, known: Known) -> Option<Result<Cleanup, CleanupError>> {
        if self.embedded.is_some() || self.read_only {
            return None;
        }
        // The last scenario's account (provisioning off, perhaps) goes
        // first, so the bridge answers the cleanup.
        if let Some(seeding) = &self.seeding
            && let Err(error) = seeding.restore().await
        {
            tracing::warn!("could not put the fake account back as it started: {error}");
        }
        Some(
            cleanup_known(
                &self.target,
                &self.run_id,
                known,
                self.cleanup_settings(),
                self.clock.clone(),
                crate::cleanup::CLEANUP_BOUND,
            )
            .await,
        )
    }

    /// The client settings of cleanup: the run's, except that after the
    /// target was taken for dead one more exchange is tried (it may have
    /// come back; if not, cleanup ends at once rather than spending the
    /// run's limit again).
    fn cleanup_settings(&self) -> scimulate_simulator::ClientSettings {
        let mut settings = self.play_options.client.clone();
        if settings.liveness.is_dead() {
            settings.liveness = scimulate_simulator::Liveness::new(1);
        }
        settings
    }

    /// Whether the target is taken for dead: the run's limit of exchanges
    /// in a row without a complete answer was reached.
    pub fn liveness(&self) -> &scimulate_simulator::Liveness {
        &self.play_options.client.liveness
    }

    /// The dialects `scenario` is played in this session.
    pub fn dialects_of(&self, scenario: &Scenario) -> Vec<Dialect> {
        self.dialects
            .iter()
            .copied()
            .filter(|d| scenario.dialects.contains(d))
            .collect()
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    /// The target's SCIM base URL and token, as every client is pointed
    /// at them.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// What every output of this session goes through: finds the token in
    /// every form the target may echo it (records keep answers as
    /// received; see `scimulate_record::redact`).
    pub fn redactor(&self) -> crate::Redactor {
        self.target.token().redactor()
    }

    /// The test users' e-mail domain.
    pub fn email_domain(&self) -> &str {
        &self.email_domain
    }

    /// How many scenarios are played at once: `--jobs` on the embedded
    /// bridge, where each has a bridge and an account of its own; one on a
    /// bridge someone else runs, where they share its account.
    pub fn jobs(&self) -> usize {
        if self.embedded.is_some() {
            self.jobs.clamp(1, MAX_JOBS)
        } else {
            1
        }
    }

    /// Whether only reading requests are sent (`--read-only`).
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    pub fn profile(&self) -> Profile {
        self.profile
    }

    pub fn waivers(&self) -> &Waivers {
        &self.waivers
    }

    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    pub fn started_at(&self) -> DateTime<Utc> {
        self.started_at
    }

    pub fn elapsed_ms(&self) -> u64 {
        u64::try_from((self.clock.now() - self.started_at).num_milliseconds()).unwrap_or(0)
    }

    /// What was tested, for the record.
    pub fn target_info(&self) -> TargetInfo {
        TargetInfo {
            base_url: self.target.base_url().to_string(),
            kind: self.kind,
            faults: self.faults.iter().map(|f| f.name().to_string()).collect(),
            backend_observed: self.embedded.is_some() || self.backend.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_dialect_of_each_scenario_has_its_own_tag() {
        let mut seen = std::collections::HashSet::new();
        for n in 0..40 {
            for dialect in [Dialect::Oin, Dialect::Aiw] {
                let tag = scenario_tag("r5713e4", n, dialect);
                assert!(seen.insert(tag.clone()), "{tag} given twice");
                let user = serde_json::json!({
                    "userName": scimulate_simulator::tag_email("ada@acme.com", &tag)
                });
                assert!(crate::cleanup::carries::carries(&user, "r5713e4"), "{tag}");
            }
        }
    }
}
