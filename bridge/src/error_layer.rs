//! The layer every answer passes on its way out: whoever produced an error
//! (a handler, axum's own rejections), it leaves as a SCIM error envelope.

use axum::{
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use scim_v2::models::errors::ScimType;
use serde_json::Value;

use crate::faults::Fault;
use crate::response::SCIM_JSON;
use crate::scim_error::ScimError;
use crate::state::AppState;

/// A response extension marking an answer that is not a SCIM error even
/// though its status is one (`/health`'s 503 carries the component
/// reports): [`scim_errors`] passes it through untouched.
#[derive(Clone, Copy, Debug)]
pub struct NotScimError;

/// Every error leaves as a SCIM error envelope, whoever produced it (axum's
/// own path and query rejections answer plain text); with the
/// `plain-text-errors` fault, every error leaves as plain text instead.
pub async fn scim_errors(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<NotScimError>().is_some()
    {
        return response;
    }
    let is_scim = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(SCIM_JSON));
    let plain = state.has(Fault::PlainTextErrors);
    if is_scim && !plain {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if plain {
        let detail = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v.get("detail").and_then(Value::as_str).map(str::to_string))
            .unwrap_or(text);
        let mut response = (
            parts.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            )],
            format!("Error: {detail}"),
        )
            .into_response();
        if let Some(v) = parts.headers.get(header::WWW_AUTHENTICATE) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, v.clone());
        }
        return response;
    }
    let detail = if text.trim().is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text
    };
    let scim_type = (status == StatusCode::BAD_REQUEST).then_some(ScimType::InvalidValue);
    ScimError {
        status: status.as_u16(),
        scim_type,
        detail,
    }
    .into_response()
}
