//! What a run is pointed at: the embedded reference bridge over its fake
//! account, or any SCIM base URL (optionally with the fake account's API,
//! when the bridge under test was configured with it).

use std::sync::Arc;

use scimulate_backend::{
    AccountSeed, Backend, BackendClient, BackendError, BackendOptions, Clock, Effect,
};
use scimulate_bridge::{BridgeConfig, BridgeError, FaultSet, RunningBridge};

/// Why a target could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("could not bind a loopback port for the reference bridge")]
    Bind(#[source] std::io::Error),
    #[error("could not start the reference bridge")]
    Bridge(#[source] BridgeError),
    #[error("could not reach the fake account's API")]
    Backend(#[source] BackendError),
}

/// How a target was reached, for reports (a record type: `scimulate-record`).
pub use scimulate_record::TargetKind;

/// The embedded reference bridge with its fake account, both on ephemeral
/// 127.0.0.1 ports. Both stop when this is dropped.
pub struct Embedded {
    pub backend: Backend,
    pub bridge: RunningBridge,
    token: String,
}

/// How to start the embedded pair.
pub struct EmbeddedOptions {
    pub faults: FaultSet,
    /// Same inputs, same bytes: stepping clocks and seeded ids.
    pub deterministic: bool,
    /// The bridge's bearer token; a random one when `None`.
    pub token: Option<String>,
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
            if options.deterministic {
                "scimulate-embedded-token".to_string()
            } else {
                format!("scimulate-{}", uuid::Uuid::new_v4().simple())
            }
        });
        let listener = match options.bridge_listener {
            Some(listener) => listener,
            None => tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(TargetError::Bind)?,
        };
        let config = BridgeConfig {
            backend_url: backend.url(),
            token: token.clone(),
            faults: options.faults,
            clock,
        };
        let bridge = scimulate_bridge::spawn(listener, config).map_err(TargetError::Bridge)?;
        Ok(Embedded {
            backend,
            bridge,
            token,
        })
    }

    /// `http://127.0.0.1:PORT/scim/v2`.
    pub fn base_url(&self) -> String {
        self.bridge.base_url()
    }

    /// The bridge's bearer token.
    pub fn token(&self) -> &str {
        &self.token
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
