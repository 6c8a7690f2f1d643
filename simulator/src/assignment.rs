//! Where a user's assignment to the app comes from. Okta assigns an app to a
//! user directly or through a group it assigns to the app; the user stays
//! assigned while any source remains. Unassigning the app, or removing the
//! user from an assigned group, deprovisions only when it took the last
//! source; deactivating the Okta user removes its assignments (docs/okta-wire.md
//! §5.2, §13 rows "Unassign user / remove from assigned group", "Deactivate
//! user in Okta"). Group memberships outlive a deactivation, so group
//! assignments come back on reactivation, direct ones do not (§5.4 DOC
//! O-PLAN C9293).
//!
//! [`AppUser::assigned`](crate::AppUser::assigned) is kept in step with the
//! sources after every change; nothing here sends a request.

use crate::group::OktaGroup;
use crate::org::OktaOrg;
use crate::user::UserStatus;

impl OktaOrg {
    /// The groups assigned to the app that list `login`, in the order
    /// added: the user's assignment sources besides a direct assignment.
    pub fn assigning_groups(&self, login: &str) -> Vec<&OktaGroup> {
        self.groups
            .iter()
            .filter(|group| group.assigned && lists(group, login))
            .collect()
    }

    /// Assigns the app to the user directly, or removes that assignment,
    /// and brings [`crate::AppUser::assigned`] in step. `false` for an
    /// unknown login.
    pub(crate) fn set_assigned_directly(&mut self, login: &str, direct: bool) -> bool {
        let Some(user) = self.user_mut(login) else {
            return false;
        };
        user.app_user.assigned_directly = direct;
        self.refresh_assignment(login);
        true
    }

    /// Assigns the group to the app, or unassigns it, and brings each
    /// member's [`crate::AppUser::assigned`] in step. `false` for an unknown
    /// group.
    pub(crate) fn set_group_assigned(&mut self, name: &str, assigned: bool) -> bool {
        let Some(group) = self.group_mut(name) else {
            return false;
        };
        group.assigned = assigned;
        for login in group.members.clone() {
            self.refresh_assignment(&login);
        }
        true
    }

    /// Recomputes the user's `assigned` from its sources: directly or
    /// through an assigned group, and not deactivated (§5.2); the new value.
    pub(crate) fn refresh_assignment(&mut self, login: &str) -> bool {
        let through_group = !self.assigning_groups(login).is_empty();
        let Some(user) = self.user_mut(login) else {
            return false;
        };
        let app_user = &mut user.app_user;
        app_user.assigned = user.status != UserStatus::Deprovisioned
            && (app_user.assigned_directly || through_group);
        app_user.assigned
    }
}

/// Whether the group lists the login (logins compare case-insensitively).
fn lists(group: &OktaGroup, login: &str) -> bool {
    group
        .members
        .iter()
        .any(|member| member.eq_ignore_ascii_case(login))
}

#[cfg(test)]
mod tests {
    use crate::app::App;
    use crate::org::OktaOrg;
    use crate::user::{UserProfile, UserStatus};

    const ADA: &str = "ada@acme.com";

    fn org() -> OktaOrg {
        let mut org = OktaOrg::new(1, App::default());
        org.add_user(UserProfile::new(ADA, ADA, "Ada", "L"))
            .unwrap();
        org.add_group("Eng", [ADA]).unwrap();
        org.add_group("Ops", [ADA]).unwrap();
        org.add_group("Design", Vec::<String>::new()).unwrap();
        org
    }

    fn assigned(org: &OktaOrg) -> bool {
        org.user(ADA).unwrap().app_user.assigned
    }

    #[test]
    fn the_user_is_assigned_while_any_source_remains() {
        let mut org = org();
        assert!(!assigned(&org));
        assert!(org.set_group_assigned("eng", true));
        assert!(assigned(&org));
        assert!(org.set_assigned_directly("ADA@acme.com", true));
        assert!(org.set_group_assigned("Ops", true));
        let names: Vec<&str> = org
            .assigning_groups(ADA)
            .iter()
            .map(|g| g.name.as_str())
            .collect();
        assert_eq!(names, ["Eng", "Ops"]);
        org.set_group_assigned("Eng", false);
        org.set_assigned_directly(ADA, false);
        assert!(assigned(&org), "still through Ops");
        org.set_group_assigned("Ops", false);
        assert!(!assigned(&org));
        assert!(org.assigning_groups(ADA).is_empty());
        assert!(!org.set_group_assigned("Nope", true));
        assert!(!org.set_assigned_directly("nobody@acme.com", true));
    }

    #[test]
    fn a_deactivated_user_has_no_assignment_until_reactivated() {
        let mut org = org();
        org.set_group_assigned("Eng", true);
        org.user_mut(ADA).unwrap().status = UserStatus::Deprovisioned;
        assert!(!org.refresh_assignment(ADA));
        assert!(!assigned(&org));
        // §5.4: the group assignment comes back by itself.
        org.user_mut(ADA).unwrap().status = UserStatus::Active;
        assert!(org.refresh_assignment(ADA));
        // Suspension keeps assignments (§5.2).
        org.user_mut(ADA).unwrap().status = UserStatus::Suspended;
        assert!(org.refresh_assignment(ADA));
    }
}
