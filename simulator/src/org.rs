//! The Okta org: its users, their profiles and lifecycle, and each user's
//! assignment to the one SCIM app under test. Groups, their push links and
//! the imported app groups are in `group.rs`; where an assignment comes
//! from (directly, through groups) in `assignment.rs`.

use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::group::{AppGroup, OktaGroup};
use crate::import_results::{GroupImport, UserImport};
use crate::okta_id::{IdGenerator, OktaUserId};

/// An Okta org with one provisioning app (the bridge under test).
#[derive(Debug, Clone)]
pub struct OktaOrg {
    app: App,
    users: Vec<OktaUser>,
    ids: IdGenerator,
    /// Okta groups, in the order added.
    pub(crate) groups: Vec<OktaGroup>,
    /// Group ids come from their own stream, so adding groups never shifts
    /// the user ids and password placeholders a seed gives.
    pub(crate) group_ids: IdGenerator,
    /// The app groups the last group import listed (the *Link Group* picker,
    /// docs/okta-wire.md#7-importing-groups, §8.3).
    pub(crate) app_groups: Vec<AppGroup>,
    /// The last user import's results (§6).
    pub(crate) user_import: Option<UserImport>,
    /// The last group import's results (§7).
    pub(crate) group_import: Option<GroupImport>,
}

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

/// Mixed into the seed for the group id stream ("groups" in ASCII).
const GROUP_ID_STREAM: u64 = 0x6772_6f75_7073;

impl OktaOrg {
    /// An org without users; `seed` fixes every generated id and placeholder.
    pub fn new(seed: u64, app: App) -> Self {
        Self {
            app,
            users: Vec::new(),
            ids: IdGenerator::new(seed),
            groups: Vec::new(),
            group_ids: IdGenerator::new(seed ^ GROUP_ID_STREAM),
            app_groups: Vec::new(),
            user_import: None,
            group_import: None,
        }
    }

    /// Adds an active, unassigned user and returns it.
    pub fn add_user(&mut self, profile: UserProfile) -> Result<&OktaUser, OrgError> {
        if self.user(&profile.login).is_some() {
            return Err(OrgError::DuplicateLogin {
                login: profile.login,
            });
        }
        let id = self.ids.user_id();
        self.users.push(OktaUser {
            id,
            profile,
            status: UserStatus::Active,
            app_user: AppUser::default(),
        });
        Ok(&self.users[self.users.len() - 1])
    }

    /// The user with this login (Okta logins compare case-insensitively).
    pub fn user(&self, login: &str) -> Option<&OktaUser> {
        self.users
            .iter()
            .find(|user| user.profile.login.eq_ignore_ascii_case(login))
    }

    /// The user, for the engine to store what Okta learnt.
    pub(crate) fn user_mut(&mut self, login: &str) -> Option<&mut OktaUser> {
        self.users
            .iter_mut()
            .find(|user| user.profile.login.eq_ignore_ascii_case(login))
    }

    /// All users, in the order added.
    pub fn users(&self) -> &[OktaUser] {
        &self.users
    }

    /// All users, for an import to store its matches (§6).
    pub(crate) fn users_mut(&mut self) -> &mut [OktaUser] {
        &mut self.users
    }

    /// The app under test.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The app under test, to change its settings between actions.
    pub fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }

    /// A fresh password placeholder for a create (§3.2).
    pub(crate) fn password_placeholder(&mut self) -> String {
        self.ids.password()
    }
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
    fn users_get_seeded_okta_ids_and_start_unassigned() {
        let mut org = OktaOrg::new(1, App::default());
        let id = org.add_user(alice()).unwrap().id.clone();
        let again = OktaOrg::new(1, App::default())
            .add_user(alice())
            .unwrap()
            .id
            .clone();
        assert_eq!(id, again);
        let user = org.user("ALICE@acme.com").unwrap();
        assert_eq!(user.status, UserStatus::Active);
        assert_eq!(user.app_user, AppUser::default());
    }

    #[test]
    fn logins_are_unique_case_insensitively() {
        let mut org = OktaOrg::new(1, App::default());
        org.add_user(alice()).unwrap();
        let mut twin = alice();
        twin.login = "Alice@Acme.com".into();
        assert!(matches!(
            org.add_user(twin),
            Err(OrgError::DuplicateLogin { .. })
        ));
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
