//! How every answer leaves the bridge: SCIM media type, SCIM error envelope,
//! and a body extractor that turns any malformed request into a SCIM 400.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use scim_v2::models::errors::ScimType;
use serde_json::{Value, json};

use crate::scim_error::ScimError;

/// RFC 7644 §8.1: SCIM's media type.
pub const SCIM_JSON: &str = "application/scim+json";
/// RFC 7644 §3.12: the Error message schema.
pub const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// RFC 7644 §3.4.2: the ListResponse message schema.
pub const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// Largest request body the bridge reads (a full group PUT with tens of
/// thousands of members fits).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// A SCIM JSON answer with a status and optional extra headers.
pub struct Scim {
    pub status: StatusCode,
    pub body: Option<Value>,
    pub headers: HeaderMap,
}

impl Scim {
    pub fn ok(body: Value) -> Self {
        Scim {
            status: StatusCode::OK,
            body: Some(body),
            headers: HeaderMap::new(),
        }
    }

    pub fn created(body: Value, location: Option<&str>) -> Self {
        let mut headers = HeaderMap::new();
        if let Some(value) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
            headers.insert(header::LOCATION, value);
        }
        Scim {
            status: StatusCode::CREATED,
            body: Some(body),
            headers,
        }
    }

    pub fn no_content() -> Self {
        Scim {
            status: StatusCode::NO_CONTENT,
            body: None,
            headers: HeaderMap::new(),
        }
    }
}

impl IntoResponse for Scim {
    fn into_response(self) -> Response {
        let mut response = match self.body {
            Some(body) => (self.status, scim_body(&body)).into_response(),
            None => self.status.into_response(),
        };
        response.headers_mut().extend(self.headers);
        response
    }
}

/// Serializes `body` with the SCIM content type.
fn scim_body(body: &Value) -> impl IntoResponse + use<> {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON))],
        body.to_string(),
    )
}

/// The RFC 7644 §3.12 error envelope: `status` is a JSON string.
pub fn error_body(error: &ScimError) -> Value {
    let mut body = json!({
        "schemas": [ERROR_URN],
        "status": error.status.to_string(),
    });
    if let Some(scim_type) = &error.scim_type {
        body["scimType"] = json!(scim_type.as_str());
    }
    body["detail"] = json!(error.detail);
    body
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, scim_body(&error_body(&self))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            // RFC 6750 §3: a 401 names the scheme the client must use.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"scimulate\""),
            );
        }
        response
    }
}

/// A JSON request body, read with SCIM's rules: `application/scim+json` or
/// `application/json` (RFC 7644 §8.1; Okta's SPEC test POSTs the latter), or
/// no content type at all. Anything malformed becomes a SCIM 400, never
/// axum's plain-text rejection.
pub struct ScimJson(pub Value);

impl<S: Send + Sync> FromRequest<S> for ScimJson {
    type Rejection = ScimError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(content_type) = req.headers().get(header::CONTENT_TYPE) {
            let essence = content_type
                .to_str()
                .unwrap_or("")
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if essence != SCIM_JSON && essence != "application/json" {
                return Err(ScimError {
                    status: 415,
                    scim_type: None,
                    detail: format!(
                        "unsupported Content-Type {essence:?}: send {SCIM_JSON} (or application/json)"
                    ),
                });
            }
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ScimError {
                    status: 413,
                    scim_type: None,
                    detail: format!("request body is larger than {MAX_BODY_BYTES} bytes"),
                }
            } else {
                ScimError::bad_request(
                    ScimType::InvalidSyntax,
                    format!("could not read the request body: {rejection}"),
                )
            }
        })?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            ScimError::bad_request(
                ScimType::InvalidSyntax,
                format!("request body is not valid JSON: {e}"),
            )
        })?;
        if !value.is_object() {
            return Err(ScimError::bad_request(
                ScimType::InvalidSyntax,
                "request body must be a JSON object",
            ));
        }
        Ok(ScimJson(value))
    }
}

/// Fallback for unknown routes: a SCIM 404.
pub async fn not_found(uri: axum::http::Uri) -> ScimError {
    ScimError::not_found(format!(
        "no SCIM endpoint at {}: this bridge serves /Users, /Groups, /ServiceProviderConfig, \
         /ResourceTypes and /Schemas under /, /scim and /scim/v2",
        uri.path()
    ))
}

/// A known route with a method it does not take (RFC 7644 §3.2 leaves 405
/// to HTTP; the body is still a SCIM error).
pub async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ScimError {
    ScimError {
        status: 405,
        scim_type: None,
        detail: format!("{method} is not supported on {}", uri.path()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_envelope_has_string_status_and_scim_type() {
        let error = ScimError::bad_request(ScimType::InvalidFilter, "bad");
        let body = error_body(&error);
        assert_eq!(body["status"], json!("400"));
        assert_eq!(body["scimType"], json!("invalidFilter"));
        assert_eq!(body["schemas"], json!([ERROR_URN]));
        assert_eq!(body["detail"], json!("bad"));
    }

    #[test]
    fn error_envelope_without_scim_type_omits_it() {
        let body = error_body(&ScimError::not_found("no user"));
        assert!(body.get("scimType").is_none());
        assert_eq!(body["status"], json!("404"));
    }
}
