//! A 1Password member as a SCIM User, and a SCIM User body as the member
//! state Okta asks for.
//!
//! 1Password identifies people by e-mail: `userName` *is* the e-mail
//! (switching Entra's userName source from UPN to mail triggers e-mail
//! changes, docs/1password.md#22-existing-people-are-linked-by-e-mail), and `emails` is
//! derived from it.

use scim_v2::models::errors::ScimType;
use scimulate_backend::{Group, Member};
use serde_json::{Map, Value, json};

use crate::scim_error::ScimError;

/// RFC 7643 §8.7.1: the core User schema.
pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// RFC 7643 §4.3: the enterprise extension (Okta sends it when mapped; the
/// bridge accepts the URN and keeps none of its attributes).
pub const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// The e-mail SCIM shows: a pending change is what the IdP asked for, so it
/// is what the IdP reads back.
pub fn scim_email(member: &Member) -> &str {
    member.pending_email.as_deref().unwrap_or(&member.email)
}

/// The SCIM representation of `member`. `groups` are the (non-built-in)
/// groups the member is in; `base` is the URL prefix of this SCIM service
/// (e.g. `http://127.0.0.1:1234/scim/v2`).
pub fn to_scim(member: &Member, groups: &[&Group], base: &str) -> Value {
    let email = scim_email(member);
    let mut user = json!({
        "schemas": [USER_URN],
        "id": member.id,
    });
    if let Some(external_id) = &member.external_id {
        user["externalId"] = json!(external_id);
    }
    user["userName"] = json!(email);
    user["name"] = json!({
        "formatted": member.display_name,
        "givenName": member.given_name,
        "familyName": member.family_name,
    });
    user["displayName"] = json!(member.display_name);
    user["emails"] = json!([{"value": email, "type": "work", "primary": true}]);
    user["active"] = json!(member.state.is_active());
    user["groups"] = Value::Array(
        groups
            .iter()
            .map(|g| {
                json!({
                    "value": g.id,
                    "$ref": format!("{base}/Groups/{}", g.id),
                    "display": g.name,
                    "type": "direct",
                })
            })
            .collect(),
    );
    user["meta"] = json!({
        "resourceType": "User",
        "created": member.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "lastModified": member.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "location": location(base, &member.id),
        "version": format!("W/\"{}\"", member.version),
    });
    user
}

/// `{base}/Users/{id}`.
pub fn location(base: &str, id: &str) -> String {
    format!("{base}/Users/{id}")
}

/// The member state a POST, PUT or patched resource asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct DesiredUser {
    pub email: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub display_name: Option<String>,
    /// `None`: the body does not say; a create makes the member active, an
    /// update keeps the state (RFC 7644 §3.5.1 lets the provider choose,
    /// and silently reactivating a suspended person is the unsafe choice).
    pub active: Option<bool>,
    pub external_id: Option<String>,
}

impl DesiredUser {
    /// Reads a User body. Attributes the bridge does not keep (`locale`,
    /// `password`, enterprise attributes…) are ignored, as RFC 7644 §3.3
    /// allows; readOnly ones (`id`, `meta`, `groups`) too (§3.5.1).
    pub fn from_scim(body: &Value) -> Result<Self, ScimError> {
        let object = body.as_object().ok_or_else(|| {
            ScimError::bad_request(ScimType::InvalidSyntax, "a User must be a JSON object")
        })?;
        check_schemas(object)?;
        let user_name = get(object, "userName")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ScimError::bad_request(
                    ScimType::InvalidValue,
                    "userName is required and must be a non-empty string (RFC 7643 §4.1)",
                )
            })?;
        if !looks_like_email(user_name) {
            return Err(ScimError::bad_request(
                ScimType::InvalidValue,
                format!(
                    "userName {user_name:?} is not an e-mail address: 1Password identifies people \
                     by e-mail, so map userName to the user's e-mail"
                ),
            ));
        }
        let name = get(object, "name").and_then(Value::as_object);
        let given_name = name.and_then(|n| string_attr(n, "givenName")).transpose()?;
        let family_name = name
            .and_then(|n| string_attr(n, "familyName"))
            .transpose()?;
        let display_name = string_attr(object, "displayName").transpose()?;
        let external_id = string_attr(object, "externalId").transpose()?;
        let active = match get(object, "active") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                return Err(ScimError::bad_request(
                    ScimType::InvalidValue,
                    format!("active must be a boolean, got {other}"),
                ));
            }
        };
        Ok(DesiredUser {
            email: user_name.to_string(),
            given_name,
            family_name,
            display_name,
            active,
            external_id,
        })
    }

    /// Given and family name, filling gaps the way the account needs them:
    /// from the display name (first word / the rest), else from the e-mail's
    /// local part.
    pub fn names(&self) -> (String, String, String) {
        let display = self.display_name.clone().filter(|d| !d.trim().is_empty());
        let (given, family) = match (&self.given_name, &self.family_name) {
            (Some(g), Some(f)) => (g.clone(), f.clone()),
            (given, family) => {
                let (split_given, split_family) = display
                    .as_deref()
                    .map(split_display_name)
                    .unwrap_or_else(|| (local_part(&self.email).to_string(), String::new()));
                (
                    given.clone().unwrap_or(split_given),
                    family.clone().unwrap_or(split_family),
                )
            }
        };
        let display = display.unwrap_or_else(|| join_name(&given, &family));
        (given, family, display)
    }
}

/// "Jane Q Doe" → ("Jane", "Q Doe"): what 1Password's hosted provisioning
/// was seen doing on a displayName change (docs/1password.md#23-attribute-updates).
pub fn split_display_name(display: &str) -> (String, String) {
    let trimmed = display.trim();
    match trimmed.split_once(char::is_whitespace) {
        Some((given, family)) => (given.to_string(), family.trim().to_string()),
        None => (trimmed.to_string(), String::new()),
    }
}

/// "Jane" + "Doe" → "Jane Doe": the display name the account gives a
/// member who has none.
pub fn join_name(given: &str, family: &str) -> String {
    format!("{given} {family}").trim().to_string()
}

fn local_part(email: &str) -> &str {
    email.split('@').next().unwrap_or(email)
}

/// `local@domain.tld`, no spaces: the shape the account will take.
pub fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// `schemas` must name the core User schema (RFC 7643 §3) and nothing the
/// bridge does not know.
fn check_schemas(object: &Map<String, Value>) -> Result<(), ScimError> {
    let Some(schemas) = object.get("schemas") else {
        return Err(ScimError::bad_request(
            ScimType::InvalidSyntax,
            format!("schemas is required and must contain {USER_URN:?} (RFC 7643 §3)"),
        ));
    };
    let Some(list) = schemas.as_array() else {
        return Err(ScimError::bad_request(
            ScimType::InvalidSyntax,
            "schemas must be an array of schema URNs (RFC 7643 §3)",
        ));
    };
    let mut has_core = false;
    for urn in list {
        match urn.as_str() {
            Some(u) if u.eq_ignore_ascii_case(USER_URN) => has_core = true,
            Some(u) if u.eq_ignore_ascii_case(ENTERPRISE_URN) => {}
            other => {
                return Err(ScimError::bad_request(
                    ScimType::InvalidValue,
                    format!(
                        "unknown schema {}: this bridge serves {USER_URN} (and accepts {ENTERPRISE_URN})",
                        other.map_or_else(|| urn.to_string(), |s| format!("{s:?}"))
                    ),
                ));
            }
        }
    }
    if has_core {
        Ok(())
    } else {
        Err(ScimError::bad_request(
            ScimType::InvalidSyntax,
            format!("schemas must contain {USER_URN:?} (RFC 7643 §3)"),
        ))
    }
}

/// Attribute names are case-insensitive (RFC 7643 §2.1).
fn get<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn string_attr(object: &Map<String, Value>, name: &str) -> Option<Result<String, ScimError>> {
    match get(object, name)? {
        Value::Null => None,
        Value::String(s) => Some(Ok(s.clone())),
        other => Some(Err(ScimError::bad_request(
            ScimType::InvalidValue,
            format!("{name} must be a string, got {other}"),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn okta_create_body() -> Value {
        // docs/okta-wire.md#32-create
        json!({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
         "userName":"test.user@okta.local",
         "name":{"givenName":"Test","familyName":"User"},
         "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
         "displayName":"Test User",
         "locale":"en-US",
         "externalId":"00ujl29u0le5T6Aj10h7",
         "groups":[],
         "password":"1mz050nq",
         "active":true})
    }

    #[test]
    fn reads_okta_create_body() {
        let desired = DesiredUser::from_scim(&okta_create_body()).unwrap();
        assert_eq!(desired.email, "test.user@okta.local");
        assert_eq!(desired.given_name.as_deref(), Some("Test"));
        assert_eq!(desired.external_id.as_deref(), Some("00ujl29u0le5T6Aj10h7"));
        assert_eq!(desired.active, Some(true));
        assert_eq!(
            desired.names(),
            ("Test".into(), "User".into(), "Test User".into())
        );
    }

    #[test]
    fn non_email_username_is_invalid_value() {
        let mut body = okta_create_body();
        body["userName"] = json!("tuser");
        let error = DesiredUser::from_scim(&body).unwrap_err();
        assert_eq!(error.scim_type, Some(ScimType::InvalidValue));
        assert!(error.detail.contains("e-mail"));
    }

    #[test]
    fn missing_or_unknown_schemas_are_refused() {
        let mut body = okta_create_body();
        body.as_object_mut().unwrap().remove("schemas");
        assert_eq!(DesiredUser::from_scim(&body).unwrap_err().status, 400);
        body["schemas"] = json!([USER_URN, "urn:example:custom"]);
        let error = DesiredUser::from_scim(&body).unwrap_err();
        assert!(error.detail.contains("urn:example:custom"));
        body["schemas"] = json!([USER_URN, ENTERPRISE_URN]);
        assert!(DesiredUser::from_scim(&body).is_ok());
    }

    #[test]
    fn active_must_be_boolean() {
        let mut body = okta_create_body();
        body["active"] = json!("yes");
        assert_eq!(
            DesiredUser::from_scim(&body).unwrap_err().scim_type,
            Some(ScimType::InvalidValue)
        );
    }

    #[test]
    fn names_fall_back_to_display_then_email() {
        let mut desired = DesiredUser::from_scim(&okta_create_body()).unwrap();
        desired.given_name = None;
        desired.family_name = None;
        desired.display_name = Some("Jane Q Doe".into());
        assert_eq!(
            desired.names(),
            ("Jane".into(), "Q Doe".into(), "Jane Q Doe".into())
        );
        desired.display_name = None;
        assert_eq!(
            desired.names(),
            ("test.user".into(), String::new(), "test.user".into())
        );
    }

    #[test]
    fn email_shape() {
        assert!(looks_like_email("a@b.co"));
        for bad in ["a", "@b.co", "a@b", "a@.b", "a b@c.d", "a@b@c.d", "a@b."] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
