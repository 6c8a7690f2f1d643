//! What a run is pointed at: the embedded reference bridge over its fake
//! account, or any SCIM base URL (optionally with the fake account's API,
//! when the bridge under test was configured with it).

use std::sync::Arc;

use scimulate_backend::{
    AccountSeed, Backend, BackendClient, BackendError, BackendOptions, Clock, Effect,
};
use scimulate_bridge::{BridgeConfig, BridgeError, FaultSet, RunningBridge};
use scimulate_simulator::{Target, Token};
use serde::Serialize;

/// Why a target could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("could not bind a loopback port for the reference bridge")]
    Bind(#[source] std::io::Error),
    #[error("could not start the reference bridge")]
    Bridge(#[source] BridgeError),
    #[error("could not reach the fake account's API")]
    Backend(#[source] BackendError),
    #[error("the reference bridge's own base URL is unusable")]
    Url(#[source] scimulate_simulator::TargetError),
}

/// How a target was reached, for reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// The reference bridge scimulate started itself.
    Embedded,
    /// A base URL given by the user.
    External,
}

/// The embedded reference bridge with its fake account, both on ephemeral
/// 127.0.0.1 ports. Both stop when this is dropped.
pub struct Embedded {
    pub backend: Backend,
    pub bridge: RunningBridge,
    /// Its base URL and token, parsed once.
    target: Target,
}

/// How to start the embedded pair.
pub struct EmbeddedOptions {
    pub faults: FaultSet,
    /// Same inputs, same bytes: stepping clocks and seeded ids.
    pub deterministic: bool,
    /// The bridge's bearer token; a random one when `None`.
    pub token: Option<Token>,
    /// Fixed ports (`scimulate serve --port`); ephemeral when `None`.
    pub bridge_listener: Option<tokio::net::TcpListener>,
    pub backend_listener: Option<std::net::TcpListener>,
}

impl Default for EmbeddedOptions {
    fn default() -> Self {
        EmbeddedOptions {
            faults: FaultSet::none(),
            deterministic: false,
            token: None,
            bridge_listener: None,
            backend_listener: None,
        }
    }
}

impl Embedded {
    /// Starts the fake account from `seed` and the bridge in front of it.
    pub async fn start(seed: AccountSeed, options: EmbeddedOptions) -> Result<Self, TargetError> {
        let mut backend_options = if options.deterministic {
            BackendOptions::deterministic()
        } else {
            BackendOptions::default()
        };
        backend_options.listener = options.backend_listener;
        let clock: Arc<dyn Clock> = backend_options.clock.clone();
        let backend = Backend::start(seed, backend_options).await;
        let token = options.token.unwrap_or_else(|| {
            Token::new(if options.deterministic {
                "scimulate-embedded-token".to_string()
            } else {
                format!("scimulate-{}", uuid::Uuid::new_v4().simple())
            })
        });
        let listener = match options.bridge_listener {
            Some(listener) => listener,
            None => tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(TargetError::Bind)?,
        };
        let config = BridgeConfig {
            backend_url: backend.url(),
            token: token.expose().to_owned(),
            faults: options.faults,
            clock,
        };
        let bridge = scimulate_bridge::spawn(listener, config).map_err(TargetError::Bridge)?;
        let target = Target::new(&bridge.base_url(), token).map_err(TargetError::Url)?;
        Ok(Embedded {
            backend,
            bridge,
            target,
        })
    }

    /// `http://127.0.0.1:PORT/scim/v2`.
    pub fn base_url(&self) -> String {
        self.bridge.base_url()
    }

    /// The bridge's bearer token.
    pub fn token(&self) -> &Token {
        self.target.token()
    }

    /// Its base URL and token, as a run's client is pointed at them.
    pub fn target(&self) -> &Target {
        &self.target
    }
}

/// Where the account's effects can be read, if anywhere.
pub enum Observer<'a> {
    /// The embedded account, read in process.
    InProcess(&'a Backend),
    /// A fake account serving its API at a URL (`--backend-url`).
    Http(BackendClient),
}

impl Observer<'_> {
    /// Effects with a sequence number above `after`.
    pub async fn effects_after(&self, after: u64) -> Result<Vec<Effect>, TargetError> {
        match self {
            Observer::InProcess(backend) => Ok(backend.effects_after(after)),
            Observer::Http(client) => client
                .effects_after(after)
                .await
                .map_err(TargetError::Backend),
        }
    }

    /// The account as it is now.
    pub async fn snapshot(
        &self,
    ) -> Result<Option<scimulate_backend::AccountSnapshot>, TargetError> {
        match self {
            Observer::InProcess(backend) => Ok(Some(backend.snapshot())),
            Observer::Http(client) => client
                .snapshot()
                .await
                .map(Some)
                .map_err(TargetError::Backend),
        }
    }

    /// The sequence number of the last effect so far (0 when none).
    pub async fn last_seq(&self) -> Result<u64, TargetError> {
        Ok(self.effects_after(0).await?.last().map_or(0, |e| e.seq))
    }
}
