//! The org's groups: adding, finding and renaming them, and what the last
//! imports listed (docs/okta-wire.md#7-importing-groups, §8).

use super::OktaOrg;
use crate::group::{AppGroup, OktaGroup};
use crate::import_results::{GroupImport, UserImport};
use crate::user::OrgError;

impl OktaOrg {
    /// Adds a group with these members (Okta logins, which must be users of
    /// the org; repeats are ignored) and returns it.
    pub fn add_group(
        &mut self,
        name: impl Into<String>,
        members: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<&OktaGroup, OrgError> {
        let name = name.into();
        if self.group(&name).is_some() {
            return Err(OrgError::DuplicateGroup { name });
        }
        let mut logins: Vec<String> = Vec::new();
        for member in members {
            let member = member.into();
            let Some(user) = self.user(&member) else {
                return Err(OrgError::UnknownMember {
                    group: name,
                    login: member,
                });
            };
            let login = user.profile.login.clone();
            if !logins.contains(&login) {
                logins.push(login);
            }
        }
        let id = self.group_ids.group_id();
        self.groups.push(OktaGroup {
            id,
            name,
            members: logins,
            push: None,
            assigned: false,
        });
        Ok(&self.groups[self.groups.len() - 1])
    }

    /// The group with this name (Okta group names compare
    /// case-insensitively).
    pub fn group(&self, name: &str) -> Option<&OktaGroup> {
        self.groups
            .iter()
            .find(|group| group.name.eq_ignore_ascii_case(name))
    }

    /// All groups, in the order added.
    pub fn groups(&self) -> &[OktaGroup] {
        &self.groups
    }

    /// The group, for the engine to store memberships and push links.
    pub(crate) fn group_mut(&mut self, name: &str) -> Option<&mut OktaGroup> {
        self.groups
            .iter_mut()
            .find(|group| group.name.eq_ignore_ascii_case(name))
    }

    /// Renames a group in Okta; the new name must be free.
    pub(crate) fn rename_group(&mut self, name: &str, new_name: &str) -> Result<(), OrgError> {
        let taken = self
            .groups
            .iter()
            .any(|g| g.name.eq_ignore_ascii_case(new_name) && !g.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(OrgError::DuplicateGroup {
                name: new_name.to_owned(),
            });
        }
        if let Some(group) = self.group_mut(name) {
            new_name.clone_into(&mut group.name);
        }
        Ok(())
    }

    /// Follows a login change into every group's member list.
    pub(crate) fn rename_member(&mut self, old: &str, new: &str) {
        for group in &mut self.groups {
            for member in &mut group.members {
                if member.eq_ignore_ascii_case(old) {
                    new.clone_into(member);
                }
            }
        }
    }

    /// The app groups the last group import listed (§7).
    pub fn app_groups(&self) -> &[AppGroup] {
        &self.app_groups
    }

    /// The imported app group with exactly this `displayName` (§8.3).
    pub fn app_group(&self, display_name: &str) -> Option<&AppGroup> {
        self.app_groups
            .iter()
            .find(|group| group.display_name == display_name)
    }

    /// The last user import's results, once an import ran (§6).
    pub fn user_import(&self) -> Option<&UserImport> {
        self.user_import.as_ref()
    }

    /// The last group import's results, once an import ran (§7).
    pub fn group_import(&self) -> Option<&GroupImport> {
        self.group_import.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::App;
    use crate::user::UserProfile;

    fn org() -> OktaOrg {
        let mut org = OktaOrg::new(1, App::default());
        for login in ["alice@acme.com", "bob@acme.com"] {
            org.add_user(UserProfile::new(login, login, "A", "B"))
                .unwrap();
        }
        org
    }

    #[test]
    fn groups_get_seeded_ids_and_canonical_members() {
        let mut org = org();
        let group = org
            .add_group(
                "Engineering",
                ["ALICE@acme.com", "bob@acme.com", "alice@acme.com"],
            )
            .unwrap()
            .clone();
        assert_eq!(group.members, ["alice@acme.com", "bob@acme.com"]);
        assert_eq!(group.id.as_str().len(), 20);
        assert!(group.id.as_str().starts_with("00g"));
        assert_eq!(group.push, None);
        assert!(!group.assigned);
        let again = self::org()
            .add_group("Engineering", Vec::<String>::new())
            .unwrap()
            .id
            .clone();
        assert_eq!(group.id, again);
        assert_eq!(org.group("engineering").map(|g| &g.id), Some(&group.id));
    }

    #[test]
    fn adding_groups_does_not_shift_user_ids() {
        let mut with_group = OktaOrg::new(1, App::default());
        with_group.add_group("G", Vec::<String>::new()).unwrap();
        let a = with_group
            .add_user(UserProfile::new("a@b.c", "a@b.c", "A", "B"))
            .unwrap()
            .id
            .clone();
        let b = OktaOrg::new(1, App::default())
            .add_user(UserProfile::new("a@b.c", "a@b.c", "A", "B"))
            .unwrap()
            .id
            .clone();
        assert_eq!(a, b);
    }

    #[test]
    fn names_are_unique_and_members_must_exist() {
        let mut org = org();
        org.add_group("Design", ["bob@acme.com"]).unwrap();
        assert_eq!(
            org.add_group("DESIGN", Vec::<String>::new()).unwrap_err(),
            OrgError::DuplicateGroup {
                name: "DESIGN".into()
            }
        );
        let err = org.add_group("Ops", ["zed@acme.com"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "group \"Ops\" lists \"zed@acme.com\", which is no Okta user of the org (add it to [[users]])"
        );
        org.add_group("Ops", Vec::<String>::new()).unwrap();
        assert!(org.rename_group("Ops", "design").is_err());
        org.rename_group("Ops", "OPS").unwrap();
        assert_eq!(org.group("ops").map(|g| g.name.as_str()), Some("OPS"));
    }
}
