//! The reference SCIM bridge: a complete SCIM 2.0 service provider
//! (RFC 7643/7644) that turns SCIM into calls on a 1Password account with
//! 1Password's semantics — invite on create, link an existing member by
//! e-mail, suspend on deactivate, never a second group with the same name.
//! It is scimulate's default target, and with [`Fault`]s it misbehaves on
//! purpose so the suites can prove they catch each fault.
//!
//! Endpoints, served at `/`, `/scim` and `/scim/v2` alike (1Password aliases
//! the `/scim` prefix; hosted provisioning uses `/scim/v2`):
//!
//! | route | auth | what |
//! |---|---|---|
//! | `GET /ping` | no | liveness: `pong` |
//! | `GET /health` | bearer | component health, as 1Password's bridge reports it |
//! | `GET /ServiceProviderConfig` | bearer | RFC 7643 §5 |
//! | `GET /ResourceTypes`, `/ResourceTypes/{name}` | bearer | RFC 7643 §6 |
//! | `GET /Schemas`, `/Schemas/{urn}` | bearer | RFC 7643 §7 |
//! | `GET/POST /Users`, `GET/PUT/PATCH/DELETE /Users/{id}` | bearer | members |
//! | `GET/POST /Groups`, `GET/PUT/PATCH/DELETE /Groups/{id}` | bearer | groups |
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use scimulate_bridge::{BridgeConfig, FaultSet};
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let config = BridgeConfig::new("http://127.0.0.1:9000", "s3cret", FaultSet::none());
//! let bridge = scimulate_bridge::spawn(listener, config)?;
//! println!("SCIM base URL: {}", bridge.base_url());
//! # Ok(()) }
//! ```

mod account;
mod auth;
mod discovery;
mod error_layer;
pub mod faults;
mod filter;
mod groups;
mod health;
mod listing;
mod patch;
mod patch_request;
mod projection;
mod response;
mod schema;
mod scim_error;
mod state;
mod user_resource;
mod users;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use scimulate_backend::{BackendClient, BackendError, Clock, SystemClock};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use faults::{CATALOGUE as FAULTS, Fault, FaultInfo, FaultSet, UnknownFault};
pub use scim_error::ScimError;

use state::AppState;

/// How to run a bridge.
#[derive(Clone)]
pub struct BridgeConfig {
    /// The fake 1Password account's API (`BACKEND_URL`).
    pub backend_url: String,
    /// The bearer token SCIM clients must present.
    pub token: String,
    pub faults: FaultSet,
    /// For `/health` timestamps.
    pub clock: Arc<dyn Clock>,
}

impl BridgeConfig {
    pub fn new(backend_url: &str, token: &str, faults: FaultSet) -> Self {
        BridgeConfig {
            backend_url: backend_url.to_string(),
            token: token.to_string(),
            faults,
            clock: Arc::new(SystemClock),
        }
    }
}

impl std::fmt::Debug for BridgeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BridgeConfig")
            .field("backend_url", &self.backend_url)
            .field("token", &"[REDACTED]")
            .field("faults", &self.faults)
            .finish()
    }
}

/// Why a bridge could not be started.
#[derive(Debug, thiserror::Error)]
pub enum BridgeError {
    #[error("invalid backend URL {url:?}")]
    Backend {
        url: String,
        #[source]
        source: BackendError,
    },
    #[error("could not read the listener's address")]
    Listener(#[source] std::io::Error),
}

fn scim_routes() -> Router<AppState> {
    Router::new()
        .route("/Users", get(users::list).post(users::create))
        .route(
            "/Users/{id}",
            get(users::get)
                .put(users::replace)
                .patch(users::patch)
                .delete(users::delete),
        )
        .route("/Groups", get(groups::list).post(groups::create))
        .route(
            "/Groups/{id}",
            get(groups::get)
                .put(groups::replace)
                .patch(groups::patch)
                .delete(groups::delete),
        )
        .route(
            "/ServiceProviderConfig",
            get(discovery::service_provider_config),
        )
        .route("/ResourceTypes", get(discovery::resource_types))
        .route(
            "/ResourceTypes/{name}",
            get(discovery::resource_type_by_name),
        )
        .route("/Schemas", get(discovery::schemas))
        .route("/Schemas/{urn}", get(discovery::schema_by_urn))
        .route("/health", get(health::health))
}

/// The bridge as an axum `Router`, for tests (`oneshot`) or your own server.
pub fn app(config: BridgeConfig) -> Result<Router, BridgeError> {
    let client =
        BackendClient::new(&config.backend_url).map_err(|source| BridgeError::Backend {
            url: config.backend_url.clone(),
            source,
        })?;
    let state = AppState::new(client, config.token, config.faults, config.clock);
    let authenticated = Router::new()
        .merge(scim_routes())
        .nest("/scim", scim_routes())
        .nest("/scim/v2", scim_routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ));
    Ok(authenticated
        .route("/ping", get(health::ping))
        .fallback(response::not_found)
        .method_not_allowed_fallback(response::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error_layer::scim_errors,
        ))
        .layer(DefaultBodyLimit::max(response::MAX_BODY_BYTES))
        // Method, path and status at debug (`RUST_LOG=tower_http=debug`);
        // never headers, so the token cannot reach a log.
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state))
}

/// A bridge serving on a listener until shut down or dropped.
pub struct RunningBridge {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningBridge {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The SCIM base URL, `http://ADDR/scim/v2`.
    pub fn base_url(&self) -> String {
        format!("http://{}/scim/v2", self.addr)
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningBridge {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Serves the bridge on `listener` in a background task.
pub fn spawn(
    listener: tokio::net::TcpListener,
    config: BridgeConfig,
) -> Result<RunningBridge, BridgeError> {
    let addr = listener.local_addr().map_err(BridgeError::Listener)?;
    let router = app(config)?;
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
    });
    Ok(RunningBridge {
        addr,
        shutdown: Some(tx),
        task: Some(task),
    })
}
