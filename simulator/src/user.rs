//! An Okta user: its profile, lifecycle state and assignment to the app, and
//! why the org refuses to add or change a user (or a group).

use serde::{Deserialize, Serialize};

use crate::okta_id::OktaUserId;

/// An Okta user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OktaUser {
    /// `00u…`, sent as `externalId` (docs/okta-wire.md#32-create).
    pub id: OktaUserId,
    /// The Okta profile the app's To-App mappings read.
    pub profile: UserProfile,
    /// The user's Okta lifecycle state.
    pub status: UserStatus,
    /// The user's assignment to the app, as Okta stores it.
    pub app_user: AppUser,
}

/// The Okta profile attributes the mappings read (Okta's base profile names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UserProfile {
    /// Okta username, e.g. `alice@acme.com`.
    pub login: String,
    /// Primary e-mail.
    pub email: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Display name (1Password hosted provisioning needs it mapped, §3.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Locale, e.g. `en-US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// One attribute of [`UserProfile`], by its Okta name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ProfileAttribute {
    /// `login`.
    Login,
    /// `email`.
    Email,
    /// `firstName`.
    FirstName,
    /// `lastName`.
    LastName,
    /// `displayName`.
    DisplayName,
    /// `locale`.
    Locale,
}

/// An Okta user's lifecycle state (Okta's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    /// Can sign in; app assignments are provisioned.
    #[default]
    Active,
    /// Suspended: nothing is sent, assignments stay (§5.2).
    Suspended,
    /// Deactivated: app assignments were removed (§5.2).
    Deprovisioned,
}

/// What Okta stores about the user's account in the app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppUser {
    /// Whether the user is assigned to the app: directly or through an
    /// assigned group, and not deactivated in Okta (§5.2). Okta keeps it in
    /// step with its sources ([`AppUser::assigned_directly`],
    /// [`OktaOrg::assigning_groups`]).
    pub assigned: bool,
    /// Whether the app is assigned to the user directly (*Assign to People*,
    /// or a confirmed import match, §6), as opposed to only through a group.
    /// Deactivating the Okta user removes it for good (§5.4).
    #[serde(default)]
    pub assigned_directly: bool,
    /// The app user's SCIM `id`, stored after a create (201), a link (§3.2,
    /// §3.3) or a confirmed import match (§6). Kept after unassignment: a
    /// re-assignment reuses it (§5.4).
    pub scim_id: Option<String>,
    /// The `active` value Okta last pushed, when it pushed one (`true` after
    /// an import match: only active app users are imported, §6).
    pub active: Option<bool>,
    /// The last admin-visible error on the assignment (Assignments tab badge,
    /// §3.2 OBS R-MTV114); cleared by the next success.
    pub error: Option<String>,
}

/// Why a user cannot be added or changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    /// Okta logins are unique (case-insensitively).
    #[error("an Okta user with login {login:?} already exists")]
    DuplicateLogin { login: String },
    /// Okta's base profile requires it.
    #[error(
        "profile attribute {attribute:?} is required in Okta's base profile and cannot be cleared"
    )]
    Required { attribute: ProfileAttribute },
    /// Okta group names are unique (case-insensitively).
    #[error("an Okta group named {name:?} already exists")]
    DuplicateGroup { name: String },
    /// A group member must be a user of the org.
    #[error(
        "group {group:?} lists {login:?}, which is no Okta user of the org (add it to [[users]])"
    )]
    UnknownMember { group: String, login: String },
}

impl UserProfile {
    /// A profile with the four attributes Okta's base profile requires.
    pub fn new(
        login: impl Into<String>,
        email: impl Into<String>,
        first_name: impl Into<String>,
        last_name: impl Into<String>,
    ) -> Self {
        Self {
            login: login.into(),
            email: email.into(),
            first_name: first_name.into(),
            last_name: last_name.into(),
            display_name: None,
            locale: None,
        }
    }

    /// The value of `attribute`, `None` when unset or cleared.
    pub fn get(&self, attribute: ProfileAttribute) -> Option<&str> {
        match attribute {
            ProfileAttribute::Login => Some(&self.login),
            ProfileAttribute::Email => Some(&self.email),
            ProfileAttribute::FirstName => Some(&self.first_name),
            ProfileAttribute::LastName => Some(&self.last_name),
            ProfileAttribute::DisplayName => self.display_name.as_deref(),
            ProfileAttribute::Locale => self.locale.as_deref(),
        }
    }

    /// Sets `attribute`; an empty value clears it (only optional attributes
    /// can be cleared).
    pub fn set(&mut self, attribute: ProfileAttribute, value: &str) -> Result<(), OrgError> {
        let required = |slot: &mut String| {
            if value.is_empty() {
                Err(OrgError::Required { attribute })
            } else {
                value.clone_into(slot);
                Ok(())
            }
        };
        let optional = (!value.is_empty()).then(|| value.to_owned());
        match attribute {
            ProfileAttribute::Login => required(&mut self.login),
            ProfileAttribute::Email => required(&mut self.email),
            ProfileAttribute::FirstName => required(&mut self.first_name),
            ProfileAttribute::LastName => required(&mut self.last_name),
            ProfileAttribute::DisplayName => {
                self.display_name = optional;
                Ok(())
            }
            ProfileAttribute::Locale => {
                self.locale = optional;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> UserProfile {
        UserProfile::new("alice@acme.com", "alice@acme.com", "Alice", "Archer")
    }

    #[test]
    fn only_optional_attributes_can_be_cleared() {
        let mut profile = alice();
        profile.set(ProfileAttribute::Locale, "fr-CA").unwrap();
        assert_eq!(profile.get(ProfileAttribute::Locale), Some("fr-CA"));
        profile.set(ProfileAttribute::Locale, "").unwrap();
        assert_eq!(profile.get(ProfileAttribute::Locale), None);
        assert_eq!(
            profile.set(ProfileAttribute::FirstName, ""),
            Err(OrgError::Required {
                attribute: ProfileAttribute::FirstName
            })
        );
    }
}
