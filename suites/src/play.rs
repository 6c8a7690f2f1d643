//! Playing a data-driven [`Scenario`] in one dialect against a fresh
//! embedded reference bridge whose account is seeded from the scenario.

use std::sync::Arc;

use scimulate_bridge::FaultSet;
use scimulate_simulator::{
    ActionOutcome, ActionResult, AdminAction, ClientError, ClientSettings, Clock, Dialect, Engine,
    EngineError, OktaClient, SystemClock, Target, UserUpdate, VirtualClock,
};

use crate::observation::Observation;
use crate::scenario::Scenario;
use crate::scim_setup::StartingState;
use crate::target::{Embedded, EmbeddedOptions, Observer, TargetError};

/// How to play.
#[derive(Debug, Clone, Default)]
pub struct PlayOptions {
    pub faults: FaultSet,
    /// Virtual and stepping clocks, seeded ids: same scenario, same bytes.
    pub deterministic: bool,
    pub client: ClientSettings,
    /// Overrides the app's `user_update` (`--user-update`).
    pub user_update: Option<UserUpdate>,
}

/// A scenario that could not be played (not a failed check).
#[derive(Debug, thiserror::Error)]
pub enum PlayError {
    #[error("scenario {scenario}: could not start the embedded bridge")]
    Target {
        scenario: String,
        #[source]
        source: TargetError,
    },
    #[error("scenario {scenario}: could not build the HTTP client")]
    Client {
        scenario: String,
        #[source]
        source: ClientError,
    },
    #[error("scenario {scenario}: could not seed the fake account at --backend-url")]
    Seed {
        scenario: String,
        #[source]
        source: scimulate_backend::BackendError,
    },
    /// The starting state could not be made through the target's SCIM
    /// API: the scenario is skipped with the reason (the session's doing).
    #[error("scenario {scenario}: {reason}")]
    Setup { scenario: String, reason: String },
    #[error("scenario {scenario} ({origin}): an admin action names something the org lacks")]
    Engine {
        scenario: String,
        origin: String,
        #[source]
        source: EngineError,
    },
}

/// The result of playing: what the checks judge, and the base URL the
/// bridge served on (for normalizing snapshots).
pub struct Played {
    pub observation: Observation,
    pub base_url: String,
}

/// Plays `scenario` in `dialect` against a new embedded bridge whose
/// account is seeded from the scenario.
pub async fn play_embedded(
    scenario: &Scenario,
    dialect: Dialect,
    options: &PlayOptions,
) -> Result<Played, PlayError> {
    let embedded = Embedded::start(
        scenario.account.clone(),
        EmbeddedOptions {
            faults: options.faults.clone(),
            deterministic: options.deterministic,
            ..EmbeddedOptions::default()
        },
    )
    .await
    .map_err(|source| PlayError::Target {
        scenario: scenario.name.clone(),
        source,
    })?;
    let observer = Observer::InProcess(&embedded.backend);
    let target = ExternalTarget {
        target: embedded.target(),
        observer: Some(&observer),
    };
    let played = play(scenario, dialect, &target, None, options).await;
    embedded.bridge.shutdown().await;
    played
}

/// A bridge someone else runs.
pub struct ExternalTarget<'a> {
    /// Its base URL and token, parsed once.
    pub target: &'a Target,
    /// The fake account behind it, when observable.
    pub observer: Option<&'a Observer<'a>>,
}

/// Plays `scenario` in `dialect` against a bridge someone else runs. The
/// account cannot be seeded there, so every login, e-mail and group name
/// carries `tag` (see [`scimulate_simulator::tag_email`]): runs never meet.
pub async fn play_external(
    scenario: &Scenario,
    dialect: Dialect,
    target: &ExternalTarget<'_>,
    tag: &str,
    options: &PlayOptions,
) -> Result<Played, PlayError> {
    play(scenario, dialect, target, Some(tag), options).await
}

/// Plays `scenario` in `dialect` against a bridge someone else runs whose
/// account was just seeded with the scenario's ([`crate::seeding`]):
/// untagged, as on the embedded bridge.
pub(crate) async fn play_seeded(
    scenario: &Scenario,
    dialect: Dialect,
    target: &ExternalTarget<'_>,
    options: &PlayOptions,
) -> Result<Played, PlayError> {
    play(scenario, dialect, target, None, options).await
}

async fn play(
    scenario: &Scenario,
    dialect: Dialect,
    target: &ExternalTarget<'_>,
    tag: Option<&str>,
    options: &PlayOptions,
) -> Result<Played, PlayError> {
    let name = || scenario.name.clone();
    let clock: Arc<dyn Clock> = if options.deterministic {
        Arc::new(VirtualClock::at_epoch())
    } else {
        Arc::new(SystemClock)
    };
    let client = OktaClient::new(target.target.clone(), options.client.clone(), clock).map_err(
        |source| PlayError::Client {
            scenario: name(),
            source,
        },
    )?;
    let observe_error = |source| PlayError::Target {
        scenario: name(),
        source,
    };
    let (before, mark) = match target.observer {
        Some(observer) => (
            observer.snapshot().await.map_err(observe_error)?,
            observer.last_seq().await.map_err(observe_error)?,
        ),
        None => (None, 0),
    };
    // A target whose account scimulate cannot see gets the scenario's
    // starting state through its own SCIM API first, numbered before
    // Okta's exchanges and kept apart from them.
    let setup = match (&scenario.starting_state, tag, target.observer) {
        (StartingState::Made(plan), Some(tag), None) => Some(
            crate::scim_setup::make(&client, plan, tag)
                .await
                .map_err(|failed| PlayError::Setup {
                    scenario: name(),
                    reason: failed.reason,
                })?,
        ),
        _ => None,
    };
    let mut org = match tag {
        Some(tag) => scenario.org.tagged(tag),
        None => scenario.org.clone(),
    };
    org.app_mut().dialect = dialect;
    if let Some(user_update) = options.user_update {
        org.app_mut().user_update = user_update;
    }
    let actions: Vec<AdminAction> = match tag {
        Some(tag) => scenario.actions.iter().map(|a| a.tagged(tag)).collect(),
        None => scenario.actions.clone(),
    };
    let mut engine = Engine::new(org, client.clone());
    let mut outcomes = Vec::with_capacity(actions.len());
    for action in &actions {
        match engine.run(action).await {
            Ok(outcome) => outcomes.push(outcome),
            // The target decides what Okta's import listed: a group it did
            // not list cannot be picked in *Link Group* (§8.3). That is the
            // target's doing, so it is an outcome, not a broken scenario.
            Err(EngineError::UnknownAppGroup { display_name }) => outcomes.push(ActionOutcome {
                action: action.to_string(),
                result: ActionResult::NotSent {
                    reason: format!(
                        "no app group named {display_name:?} in Okta's last group import: \
                         the admin cannot pick it in Link Group"
                    ),
                },
                exchanges: Vec::new(),
            }),
            Err(source) => {
                return Err(PlayError::Engine {
                    scenario: name(),
                    origin: scenario.origin.clone(),
                    source,
                });
            }
        }
    }
    crate::read_back::read_back(&client).await;
    let (effects, after) = match target.observer {
        Some(observer) => (
            Some(observer.effects_after(mark).await.map_err(observe_error)?),
            observer.snapshot().await.map_err(observe_error)?,
        ),
        None => (None, None),
    };
    let subject_email = actions
        .iter()
        .find_map(|a| a.user().map(str::to_string))
        .unwrap_or_default();
    let observation = Observation {
        scenario: scenario.name.clone(),
        dialect,
        // Moved, not copied: a big import's pages are held once.
        exchanges: client.take_exchanges(),
        outcomes,
        effects,
        subject_email,
        org: Some(engine.org().clone()),
        before,
        after,
        setup,
    };
    Ok(Played {
        observation,
        base_url: target.target.base_url().to_string(),
    })
}
