//! Playing a data-driven [`Scenario`] in one dialect against a fresh
//! embedded reference bridge whose account is seeded from the scenario.

use std::sync::Arc;

use scimulate_bridge::FaultSet;
use scimulate_simulator::{
    ClientError, ClientSettings, Clock, Dialect, Engine, EngineError, OktaClient, SystemClock,
    Target, Token, VirtualClock,
};

use crate::observation::Observation;
use crate::scenario::Scenario;
use crate::target::{Embedded, EmbeddedOptions, TargetError};

/// How to play.
#[derive(Debug, Clone, Default)]
pub struct PlayOptions {
    pub faults: FaultSet,
    /// Virtual and stepping clocks, seeded ids: same scenario, same bytes.
    pub deterministic: bool,
    pub client: ClientSettings,
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

/// Plays `scenario` in `dialect` against a new embedded bridge.
pub async fn play_embedded(
    scenario: &Scenario,
    dialect: Dialect,
    options: &PlayOptions,
) -> Result<Played, PlayError> {
    let name = || scenario.name.clone();
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
        scenario: name(),
        source,
    })?;
    let clock: Arc<dyn Clock> = if options.deterministic {
        Arc::new(VirtualClock::at_epoch())
    } else {
        Arc::new(SystemClock)
    };
    let base_url = embedded.base_url();
    let target =
        Target::new(&base_url, Token::new(embedded.token())).map_err(|e| PlayError::Target {
            scenario: name(),
            source: TargetError::Bind(std::io::Error::other(e.to_string())),
        })?;
    let client = OktaClient::new(target, options.client.clone(), clock).map_err(|source| {
        PlayError::Client {
            scenario: name(),
            source,
        }
    })?;
    let before = embedded.backend.snapshot();
    let mut org = scenario.org.clone();
    org.app_mut().dialect = dialect;
    let mut engine = Engine::new(org, client.clone());
    for action in &scenario.actions {
        engine
            .run(action)
            .await
            .map_err(|source| PlayError::Engine {
                scenario: name(),
                origin: scenario.origin.clone(),
                source,
            })?;
    }
    let subject_email = scenario
        .actions
        .iter()
        .find_map(|a| a.user().map(str::to_string))
        .unwrap_or_default();
    let observation = Observation {
        scenario: scenario.name.clone(),
        dialect,
        exchanges: client.transcript().as_slice().to_vec(),
        outcomes: engine.outcomes().to_vec(),
        effects: Some(embedded.backend.effects()),
        subject_email,
        org: Some(engine.org().clone()),
        before: Some(before),
        after: Some(embedded.backend.snapshot()),
    };
    embedded.bridge.shutdown().await;
    Ok(Played {
        observation,
        base_url,
    })
}
