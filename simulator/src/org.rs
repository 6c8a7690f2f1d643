//! The Okta org: its users and groups, and the one SCIM app under test.
//! A user, its profile and lifecycle are in `user.rs`; groups, their push
//! links and the imported app groups in `group.rs` (the org's group methods
//! in `org/groups.rs`); where an assignment comes from (directly, through
//! groups) in `assignment.rs`.

mod groups;

use crate::app::App;
use crate::group::{AppGroup, OktaGroup};
use crate::import_results::{GroupImport, UserImport};
use crate::okta_id::IdGenerator;
use crate::user::{AppUser, OktaUser, OrgError, UserProfile, UserStatus};

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
}
