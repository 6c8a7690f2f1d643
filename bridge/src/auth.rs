//! Bearer authentication (RFC 6750 §2.1), as 1Password's bridge requires:
//! `Authorization: Bearer <token>` on every SCIM call and on `/health`.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::faults::Fault;
use crate::scim_error::ScimError;
use crate::state::AppState;

/// Rejects requests without the bridge's token with a SCIM 401.
pub async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if state.has(Fault::AcceptAnyToken) {
        return next.run(request).await;
    }
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    match presented {
        Some(token) if same(token.as_bytes(), state.token().as_bytes()) => next.run(request).await,
        Some(_) => unauthorized("the bearer token is not valid for this bridge"),
        None => unauthorized(
            "missing bearer token: send \"Authorization: Bearer <token>\" (RFC 6750 §2.1)",
        ),
    }
}

fn unauthorized(detail: &str) -> Response {
    ScimError {
        status: 401,
        scim_type: None,
        detail: detail.to_string(),
    }
    .into_response()
}

/// The token of an `Authorization: Bearer …` value; the scheme name is
/// case-insensitive (RFC 7235 §2.1).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Compares in time independent of where the first difference is.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_any_case() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer"), None);
        assert_eq!(bearer_token("abc"), None);
    }

    #[test]
    fn compares_exactly() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
    }
}
