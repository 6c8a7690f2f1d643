//! The one error every part of the bridge returns: an RFC 7644 §3.12 SCIM
//! error (HTTP status, optional `scimType`, human-readable `detail`).
//!
//! This file knows nothing about HTTP frameworks; `response.rs` turns a
//! `ScimError` into the `urn:ietf:params:scim:api:messages:2.0:Error` body.

use std::fmt;

use scim_v2::models::errors::ScimType;

/// An RFC 7644 §3.12 error response, before it is serialised.
///
/// `detail` says what was wrong and what is expected instead, e.g.
/// `unknown attribute "titel" (User has id, externalId, userName, …)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScimError {
    /// The HTTP status code (RFC 7644 §3.12: sent as a JSON string).
    pub status: u16,
    /// The §3.12 Table 9 keyword, for 400 (and 409) responses.
    pub scim_type: Option<ScimType>,
    /// What a person needs to fix the request.
    pub detail: String,
}

impl ScimError {
    /// Any status, any keyword.
    pub fn new(status: u16, scim_type: Option<ScimType>, detail: impl Into<String>) -> Self {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    /// 400 with a §3.12 `scimType` (invalidFilter, invalidPath, noTarget,
    /// invalidValue, mutability…).
    pub fn bad_request(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self::new(400, Some(scim_type), detail)
    }

    /// 404: "Specified resource (e.g., User) or endpoint does not exist"
    /// (RFC 7644 §3.12).
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(404, None, detail)
    }

    /// 409 `uniqueness`: RFC 7644 §3.3 "the service provider MUST return HTTP
    /// status code 409 (Conflict) with a "scimType" error code of
    /// "uniqueness"" when a create conflicts with an existing resource.
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(409, Some(ScimType::Uniqueness), detail)
    }

    /// 500: the bridge itself is at fault (never the client's input).
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(500, None, detail)
    }

    /// The same error with `prefix: ` in front of its detail, to say where
    /// (e.g. `Operations[2]`).
    pub fn at(mut self, prefix: impl fmt::Display) -> Self {
        self.detail = format!("{prefix}: {}", self.detail);
        self
    }
}

impl fmt::Display for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.scim_type {
            Some(scim_type) => write!(f, "{} {scim_type}: {}", self.status, self.detail),
            None => write!(f, "{}: {}", self.status, self.detail),
        }
    }
}

impl std::error::Error for ScimError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_status_keyword_and_detail() {
        let error = ScimError::bad_request(ScimType::InvalidPath, "unknown attribute \"x\"");
        assert_eq!(
            error.to_string(),
            "400 invalidPath: unknown attribute \"x\""
        );
        assert_eq!(ScimError::not_found("no user").to_string(), "404: no user");
    }

    #[test]
    fn conflict_is_409_uniqueness() {
        let error = ScimError::conflict("taken");
        assert_eq!(error.status, 409);
        assert_eq!(error.scim_type, Some(ScimType::Uniqueness));
    }

    #[test]
    fn at_prefixes_the_detail() {
        let error = ScimError::bad_request(ScimType::NoTarget, "no match").at("Operations[3]");
        assert_eq!(error.detail, "Operations[3]: no match");
    }
}
