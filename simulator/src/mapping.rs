//! The app's *To App* attribute mappings: which SCIM attributes Okta fills
//! from the Okta profile, the create body they make (docs/okta-wire.md#32-create),
//! and how they overwrite a fetched resource before a PUT (§3.3, §4).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::user::{OktaUser, ProfileAttribute};

/// The SCIM core User schema URN.
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

/// One SCIM attribute Okta can send for a user, by its SCIM path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AppAttribute {
    /// `userName` ← the unique-identifier attribute (login by default).
    #[serde(rename = "userName")]
    UserName,
    /// `name.givenName` ← `firstName`.
    #[serde(rename = "name.givenName")]
    GivenName,
    /// `name.familyName` ← `lastName`.
    #[serde(rename = "name.familyName")]
    FamilyName,
    /// `emails` ← `[{primary:true, value: email, type}]`.
    #[serde(rename = "emails")]
    Emails,
    /// `displayName` ← `displayName`.
    #[serde(rename = "displayName")]
    DisplayName,
    /// `locale` ← `locale`.
    #[serde(rename = "locale")]
    Locale,
    /// `externalId` ← the Okta user id.
    #[serde(rename = "externalId")]
    ExternalId,
    /// `groups` ← `[]`.
    #[serde(rename = "groups")]
    Groups,
    /// `password` ← a random placeholder, on create only.
    #[serde(rename = "password")]
    Password,
    /// `active` ← `true`, on create only.
    #[serde(rename = "active")]
    Active,
}

impl AppAttribute {
    /// Every attribute, in the key order of Okta's create body (§3.2).
    pub const ALL: [Self; 10] = [
        Self::UserName,
        Self::GivenName,
        Self::FamilyName,
        Self::Emails,
        Self::DisplayName,
        Self::Locale,
        Self::ExternalId,
        Self::Groups,
        Self::Password,
        Self::Active,
    ];
}

/// The mapped set: scenario data, so a scenario can trim it (§3.2: "make the
/// mapping set scenario data").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "snake_case")]
pub struct ToAppMappings {
    /// The mapped attributes (order does not matter: bodies follow §3.2).
    pub attributes: Vec<AppAttribute>,
    /// The Okta attribute used as the app's unique identifier, sent as
    /// `userName` and in the existence-check filter (§3.1).
    pub user_name_source: ProfileAttribute,
    /// `emails[].type`; `None` sends no `type` (the trimmed app recorded in
    /// §3.2 OBS R-ROSTR).
    pub email_type: Option<String>,
}

impl Default for ToAppMappings {
    /// The 1Password OIN app: every attribute of Okta's create example
    /// (§3.2). Whether 1Password maps `emails` by default is
    /// **UNCONFIRMED**; `displayName` is required by hosted provisioning.
    fn default() -> Self {
        Self {
            attributes: AppAttribute::ALL.to_vec(),
            user_name_source: ProfileAttribute::Login,
            email_type: Some("work".to_owned()),
        }
    }
}

impl ToAppMappings {
    /// The same mappings without `attribute`.
    #[must_use]
    pub fn without(mut self, attribute: AppAttribute) -> Self {
        self.attributes.retain(|a| *a != attribute);
        self
    }

    /// Whether `attribute` is mapped.
    pub fn maps(&self, attribute: AppAttribute) -> bool {
        self.attributes.contains(&attribute)
    }

    /// The value Okta sends as `userName` and filters on (§3.1).
    pub fn user_name(&self, user: &OktaUser) -> String {
        user.profile
            .get(self.user_name_source)
            .unwrap_or(&user.profile.login)
            .to_owned()
    }

    /// `POST /Users` body, keys in §3.2 order; unset optional attributes are
    /// left out.
    pub(crate) fn create_body(&self, user: &OktaUser, password: &str) -> Value {
        let mut body = Map::new();
        body.insert("schemas".into(), json!([USER_SCHEMA]));
        for attribute in AppAttribute::ALL.into_iter().filter(|a| self.maps(*a)) {
            match attribute {
                AppAttribute::GivenName | AppAttribute::FamilyName => {
                    let (key, value) = name_part(attribute, user);
                    set_name_part(&mut body, key, value);
                }
                AppAttribute::Password => {
                    body.insert("password".into(), json!(password));
                }
                AppAttribute::Active => {
                    body.insert("active".into(), json!(true));
                }
                _ => {
                    if let Some((key, value)) = self.profile_value(attribute, user) {
                        body.insert(key.into(), value);
                    }
                }
            }
        }
        Value::Object(body)
    }

    /// The PUT body: `resource` (as fetched by `GET /Users/{id}`) with every
    /// mapped attribute overwritten by Okta's value (§4 DOC O-SCIM20, §3.3
    /// OBS R-FZ). Everything else passes through: `id`, `meta`, `active`,
    /// unmapped sub-attributes such as `name.formatted` or `emails[].display`.
    /// `password` is never re-sent (R-FZ's PUT had none); `groups` is
    /// overwritten with `[]` as in both recorded PUTs (**UNCONFIRMED** for a
    /// resource that lists groups; RFC 7643 makes `groups` read-only, so a
    /// server ignores it). New keys are appended in §3.2 order.
    pub(crate) fn merge_into(&self, user: &OktaUser, resource: Value, cleared: Cleared) -> Value {
        let mut body = match resource {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        if !body.contains_key("schemas") {
            body.shift_insert(0, "schemas".into(), json!([USER_SCHEMA]));
        }
        for attribute in AppAttribute::ALL.into_iter().filter(|a| self.maps(*a)) {
            match attribute {
                AppAttribute::Password | AppAttribute::Active => {}
                AppAttribute::GivenName | AppAttribute::FamilyName => {
                    let (key, value) = name_part(attribute, user);
                    set_name_part(&mut body, key, value);
                }
                AppAttribute::Emails => {
                    merge_email(&mut body, self.email(user));
                }
                _ => match self.profile_value(attribute, user) {
                    Some((key, value)) => {
                        body.insert(key.into(), value);
                    }
                    None => clear(&mut body, attribute_key(attribute), cleared),
                },
            }
        }
        Value::Object(body)
    }

    /// The PATCH of a profile update (app setting `user_update = "patch"`,
    /// docs/okta-wire.md#4-profile-updates, **UNCONFIRMED** form): one
    /// `replace` without a `path` whose `value` holds the mapped attributes
    /// that changed, in the create body's shape (the form of Okta's own
    /// deactivation PATCH, §5.1); an attribute cleared in Okta is a
    /// `remove` of its path (or `""` / `null` in the value, per `cleared`).
    /// `None` when no mapped attribute changed.
    pub(crate) fn patch_body(
        &self,
        before: &OktaUser,
        after: &OktaUser,
        cleared: Cleared,
    ) -> Option<Value> {
        const NOT_PUSHED: [&str; 4] = ["schemas", "password", "active", "groups"];
        let old = self.create_body(before, "");
        let new = self.create_body(after, "");
        let (Value::Object(old), Value::Object(new)) = (old, new) else {
            return None;
        };
        let mut value = Map::new();
        for (key, now) in &new {
            if !NOT_PUSHED.contains(&key.as_str()) && old.get(key) != Some(now) {
                value.insert(key.clone(), now.clone());
            }
        }
        let mut removes = Vec::new();
        for key in old.keys().filter(|k| !new.contains_key(*k)) {
            match cleared {
                Cleared::Omit => removes.push(json!({"op": "remove", "path": key})),
                Cleared::Empty => {
                    value.insert(key.clone(), json!(""));
                }
                Cleared::Null => {
                    value.insert(key.clone(), Value::Null);
                }
            }
        }
        let mut operations = Vec::new();
        if !value.is_empty() {
            operations.push(json!({"op": "replace", "value": value}));
        }
        operations.extend(removes);
        (!operations.is_empty()).then(|| {
            json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": operations
            })
        })
    }

    /// Key and value of a top-level attribute taken from the profile; `None`
    /// when the profile has no value for it.
    fn profile_value(
        &self,
        attribute: AppAttribute,
        user: &OktaUser,
    ) -> Option<(&'static str, Value)> {
        let key = attribute_key(attribute);
        let value = match attribute {
            AppAttribute::UserName => json!(self.user_name(user)),
            AppAttribute::Emails => Value::Array(vec![Value::Object(self.email(user))]),
            AppAttribute::DisplayName => json!(user.profile.display_name.as_deref()?),
            AppAttribute::Locale => json!(user.profile.locale.as_deref()?),
            AppAttribute::ExternalId => json!(user.id.as_str()),
            AppAttribute::Groups => json!([]),
            AppAttribute::GivenName
            | AppAttribute::FamilyName
            | AppAttribute::Password
            | AppAttribute::Active => return None,
        };
        Some((key, value))
    }

    /// `{"primary":true,"value":…,"type":"work"}` (§3.2 key order).
    fn email(&self, user: &OktaUser) -> Map<String, Value> {
        let mut email = Map::new();
        email.insert("primary".into(), json!(true));
        email.insert("value".into(), json!(user.profile.email));
        if let Some(kind) = &self.email_type {
            email.insert("type".into(), json!(kind));
        }
        email
    }
}

fn attribute_key(attribute: AppAttribute) -> &'static str {
    match attribute {
        AppAttribute::UserName => "userName",
        AppAttribute::GivenName => "givenName",
        AppAttribute::FamilyName => "familyName",
        AppAttribute::Emails => "emails",
        AppAttribute::DisplayName => "displayName",
        AppAttribute::Locale => "locale",
        AppAttribute::ExternalId => "externalId",
        AppAttribute::Groups => "groups",
        AppAttribute::Password => "password",
        AppAttribute::Active => "active",
    }
}

fn name_part(attribute: AppAttribute, user: &OktaUser) -> (&'static str, &str) {
    if attribute == AppAttribute::GivenName {
        ("givenName", &user.profile.first_name)
    } else {
        ("familyName", &user.profile.last_name)
    }
}

/// Sets `name.<key>`, creating `name` (or replacing it, if not an object).
fn set_name_part(body: &mut Map<String, Value>, key: &str, value: &str) {
    if let Some(Value::Object(name)) = body.get_mut("name") {
        name.insert(key.into(), json!(value));
    } else {
        let mut name = Map::new();
        name.insert(key.into(), json!(value));
        body.insert("name".into(), Value::Object(name));
    }
}

/// Overwrites Okta's keys in the primary e-mail (or the first), keeping its
/// other sub-attributes (`display`, §4); sets the array when there is none.
fn merge_email(body: &mut Map<String, Value>, okta: Map<String, Value>) {
    if let Some(Value::Array(emails)) = body.get_mut("emails") {
        let index = emails
            .iter()
            .position(|e| e.get("primary") == Some(&Value::Bool(true)))
            .unwrap_or(0);
        if let Some(Value::Object(existing)) = emails.get_mut(index) {
            existing.extend(okta);
            return;
        }
        if let Some(slot) = emails.get_mut(index) {
            *slot = Value::Object(okta);
            return;
        }
    }
    body.insert("emails".into(), Value::Array(vec![Value::Object(okta)]));
}

fn clear(body: &mut Map<String, Value>, key: &str, cleared: Cleared) {
    match cleared {
        Cleared::Omit => {
            body.shift_remove(key);
        }
        Cleared::Empty => {
            body.insert(key.into(), json!(""));
        }
        Cleared::Null => {
            body.insert(key.into(), Value::Null);
        }
    }
}

/// How a cleared attribute appears in the PUT (§4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cleared {
    /// The key is removed from the merged resource.
    #[default]
    Omit,
    /// The key is sent as `""`.
    Empty,
    /// The key is sent as `null`.
    Null,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::App;
    use crate::org::OktaOrg;
    use crate::user::UserProfile;

    fn test_user() -> OktaUser {
        let mut org = OktaOrg::new(3, App::default());
        let mut profile = UserProfile::new(
            "test.user@okta.local",
            "test.user@okta.local",
            "Test",
            "User",
        );
        profile.display_name = Some("Test User".into());
        profile.locale = Some("en-US".into());
        org.add_user(profile).unwrap().clone()
    }

    #[test]
    fn create_body_follows_the_reference_key_order() {
        // §3.2 [DOC O-SCIM20].
        let user = test_user();
        let body = ToAppMappings::default().create_body(&user, "1mz050nq");
        let expected = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "test.user@okta.local",
            "name": {"givenName": "Test", "familyName": "User"},
            "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work"}],
            "displayName": "Test User",
            "locale": "en-US",
            "externalId": user.id.as_str(),
            "groups": [],
            "password": "1mz050nq",
            "active": true
        });
        assert_eq!(body.to_string(), expected.to_string());
    }

    #[test]
    fn trimmed_mappings_match_the_recorded_aiw_body() {
        // §3.2 [OBS R-ROSTR]: no displayName, no locale, no email type.
        let mut mappings = ToAppMappings::default()
            .without(AppAttribute::DisplayName)
            .without(AppAttribute::Locale);
        mappings.email_type = None;
        let body = mappings.create_body(&test_user(), "x");
        let keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "schemas",
                "userName",
                "name",
                "emails",
                "externalId",
                "groups",
                "password",
                "active"
            ]
        );
        assert_eq!(
            body["emails"],
            json!([{"primary": true, "value": "test.user@okta.local"}])
        );
    }

    #[test]
    fn merge_overwrites_mapped_values_and_keeps_the_rest() {
        let user = test_user();
        let fetched = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "5fc0",
            "userName": "old@okta.local",
            "name": {"givenName": "Old", "formatted": "Old User", "familyName": "User"},
            "emails": [{"value": "old@okta.local", "primary": true, "display": "Old"}],
            "active": false,
            "meta": {"resourceType": "User"}
        });
        let merged = ToAppMappings::default().merge_into(&user, fetched, Cleared::Omit);
        let expected = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "5fc0",
            "userName": "test.user@okta.local",
            "name": {"givenName": "Test", "formatted": "Old User", "familyName": "User"},
            "emails": [{"value": "test.user@okta.local", "primary": true, "display": "Old", "type": "work"}],
            "active": false,
            "meta": {"resourceType": "User"},
            "displayName": "Test User",
            "locale": "en-US",
            "externalId": user.id.as_str(),
            "groups": []
        });
        assert_eq!(merged.to_string(), expected.to_string());
    }

    #[test]
    fn a_patch_update_replaces_only_what_changed() {
        let mappings = ToAppMappings::default();
        let before = test_user();
        let mut after = test_user();
        after.profile.first_name = "Tess".into();
        after.profile.locale = None;
        let body = mappings
            .patch_body(&before, &after, Cleared::Omit)
            .expect("a change");
        assert_eq!(
            body,
            json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [
                    {"op": "replace", "value": {"name": {"givenName": "Tess", "familyName": "User"}}},
                    {"op": "remove", "path": "locale"}
                ]
            })
        );
        assert_eq!(mappings.patch_body(&before, &before, Cleared::Omit), None);
    }

    #[test]
    fn cleared_attributes_follow_the_setting() {
        let mut user = test_user();
        user.profile.locale = None;
        let fetched = json!({"id": "1", "locale": "fr-CA", "title": "x"});
        let mappings = ToAppMappings::default();
        let omit = mappings.merge_into(&user, fetched.clone(), Cleared::Omit);
        assert!(omit.get("locale").is_none());
        let empty = mappings.merge_into(&user, fetched.clone(), Cleared::Empty);
        assert_eq!(empty["locale"], json!(""));
        let null = mappings.merge_into(&user, fetched, Cleared::Null);
        assert_eq!(null["locale"], Value::Null);
        assert_eq!(null["title"], json!("x"));
        assert_eq!(
            null.as_object().unwrap().keys().next().map(String::as_str),
            Some("schemas")
        );
    }
}
