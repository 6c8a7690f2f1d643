//! `/ping` and `/health`, shaped like 1Password's bridge
//! (docs/1password.md#12-endpoints, §1.8).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error_layer::NotScimError;
use crate::state::AppState;

/// `GET /ping`: unauthenticated liveness.
pub async fn ping() -> &'static str {
    "pong"
}

/// `GET /health`: one report per component, `state: healthy` when well.
/// The ConfirmationWatcher and StartProvisionWatcher need the account with
/// provisioning on; with provisioning off they show "disconnected", as a
/// real bridge did (1Password/scim-examples #247). 200 when all are healthy,
/// else 503.
pub async fn health(State(state): State<AppState>) -> Response {
    let now = state.clock().now();
    let expires = now + chrono::Duration::minutes(10);
    let account = match state.client().settings().await {
        Ok(settings) if settings.provisioning => "healthy",
        Ok(_) => "disconnected",
        Err(_) => "unreachable",
    };
    let time = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let expires = expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let report = |source: &str, state: &str| json!({"source": source, "time": time, "expires": expires, "state": state});
    let reports = vec![
        report("ConfirmationWatcher", account),
        report("RedisCache", "healthy"),
        report("SCIMServer", "healthy"),
        report("StartProvisionWatcher", account),
    ];
    let status = if account == "healthy" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "build": "scimulate-reference-bridge",
        "version": env!("CARGO_PKG_VERSION"),
        "retrievedAt": time,
        "reports": reports,
    });
    let mut response = (status, axum::Json(body)).into_response();
    // A 503 here is a health report, not a SCIM error to re-wrap.
    response.extensions_mut().insert(NotScimError);
    response
}
