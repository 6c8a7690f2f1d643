//! The reference bridge with something in front of it: a test wraps its
//! router (an axum middleware that rate-limits, rewrites answers…) to play
//! a server nobody here wrote, then points a run at it as an external
//! target. Both bind 127.0.0.1:0 and serve until the test's runtime ends.

use axum::Router;
use scimulate_backend::{AccountSeed, Backend, BackendOptions};
use scimulate_bridge::{BridgeConfig, FaultSet};
use scimulate_simulator::{Target, Token};

/// The bridge's bearer token.
pub const TOKEN: &str = "wrapped-bridge-token";

/// A running wrapped bridge.
pub struct Wrapped {
    /// `http://127.0.0.1:PORT/scim/v2`.
    pub base_url: String,
    /// The fake account's API, for `--backend-url` runs.
    pub backend_url: String,
    _backend: Backend,
}

impl Wrapped {
    /// The run's target: the wrapped bridge and its token.
    pub fn target(&self) -> Target {
        Target::new(&self.base_url, Token::new(TOKEN)).expect("a loopback base URL")
    }
}

/// Starts the fake account and the bridge in front of it, its router
/// passed through `wrap`.
pub async fn start(wrap: impl FnOnce(Router) -> Router) -> Wrapped {
    let backend = Backend::start(AccountSeed::default(), BackendOptions::deterministic()).await;
    let config = BridgeConfig::new(&backend.url(), TOKEN, FaultSet::none());
    let router = wrap(scimulate_bridge::app(config).expect("the bridge's router"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    Wrapped {
        base_url: format!("http://{addr}/scim/v2"),
        backend_url: backend.url(),
        _backend: backend,
    }
}
