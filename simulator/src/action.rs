//! Admin actions: what an Okta admin (or Okta itself) does that makes Okta
//! talk to the app (docs/okta-wire.md#13-call-sequences).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::user::ProfileAttribute;

/// One admin action. Users are named by their Okta login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AdminAction {
    /// *Test API Credentials* / *Test Connector Configuration* (§1).
    TestConnection,
    /// Assign the user to the app (§3).
    Assign {
        /// Okta login.
        user: String,
    },
    /// Edit the user's Okta profile; pushed when *Update User Attributes* is
    /// on (§4). An empty value clears an optional attribute.
    UpdateProfile {
        /// Okta login (before the change).
        user: String,
        /// New values by Okta attribute name (`firstName = "Alicia"`).
        changes: BTreeMap<ProfileAttribute, String>,
    },
    /// Deactivate the Okta user: Okta removes the assignment, then
    /// deprovisions it like an unassignment (§5.1, §5.2).
    Deactivate {
        /// Okta login.
        user: String,
    },
    /// Remove the user's direct assignment (§5.1, §5.2); deprovisioned only
    /// when no assigned group still assigns the user.
    Unassign {
        /// Okta login.
        user: String,
    },
    /// Assign the group to the app: each member not assigned yet is
    /// provisioned as by [`AdminAction::Assign`], in member order (§3,
    /// §5.2).
    AssignGroup {
        /// Okta group name.
        group: String,
    },
    /// Remove the group's assignment: each member left without an
    /// assignment is deprovisioned as by [`AdminAction::Unassign`] (§5.2).
    UnassignGroup {
        /// Okta group name.
        group: String,
    },
    /// Reactivate the Okta user and restore its assignment (re-assigned by the
    /// admin or by its group): Okta reactivates the stored app user (§5.4).
    Reactivate {
        /// Okta login.
        user: String,
    },
    /// Suspend the Okta user: nothing is sent (§5.2).
    Suspend {
        /// Okta login.
        user: String,
    },
    /// Unsuspend the Okta user: nothing is sent (§5.2, DOC O-PLAN C9300).
    Unsuspend {
        /// Okta login.
        user: String,
    },
    /// *Import Now* of users: list every app user, match active ones to
    /// Okta users; no writes (§6). Results: [`crate::OktaOrg::user_import`].
    ImportUsers,
    /// Group import / *Refresh App Groups*: list every app group with its
    /// members (§7). Results: [`crate::OktaOrg::group_import`] and
    /// [`crate::OktaOrg::app_groups`].
    ImportGroups,
    /// *Push Groups → Create Group* (§8.1, §8.2).
    PushGroup {
        /// Okta group name.
        group: String,
    },
    /// *Push Groups → Link Group* to an imported app group (§8.3).
    LinkGroup {
        /// Okta group name.
        group: String,
        /// The imported app group's `displayName`.
        app_group: String,
    },
    /// Rename the Okta group; the app group follows when pushed and *Rename
    /// app groups* is on (§8.5).
    RenameGroup {
        /// Okta group name (before the change).
        group: String,
        /// The new name.
        name: String,
    },
    /// Add the user to the Okta group: provisioned first when the group is
    /// assigned and this is the user's first assignment (§3, §8 prerequisites),
    /// then pushed when the group is (§8.4).
    AddToGroup {
        /// Okta group name.
        group: String,
        /// Okta login.
        user: String,
    },
    /// Remove the user from the Okta group: pushed when the group is (§8.4),
    /// then deprovisioned when the group was assigned and the user's last
    /// assignment (§5.2).
    RemoveFromGroup {
        /// Okta group name.
        group: String,
        /// Okta login.
        user: String,
    },
    /// Several people join and leave the Okta group at once (an admin's
    /// bulk edit, or changes Okta pushes together): pushed as one batched
    /// membership update, removes and adds in the same PATCH, every joiner
    /// in one `add` (§8.4); provisioned and deprovisioned as the single
    /// changes are.
    ChangeMembers {
        /// Okta group name.
        group: String,
        /// Okta logins joining, in order.
        #[serde(default)]
        add: Vec<String>,
        /// Okta logins leaving, in order.
        #[serde(default)]
        remove: Vec<String>,
    },
    /// *Push Now*: overwrite the app group's members (§8.4).
    PushNow {
        /// Okta group name.
        group: String,
    },
    /// *Unlink pushed group*, deleting the app group or leaving it (§8.6).
    UnlinkGroup {
        /// Okta group name.
        group: String,
        /// *Delete the group in the target app* (`DELETE /Groups/{id}`)
        /// rather than leave it.
        delete_in_app: bool,
    },
    /// *Deactivate group push*: nothing is sent while paused (§8.6).
    PausePush {
        /// Okta group name.
        group: String,
    },
    /// *Activate group push*: the members are pushed in full (§8.6).
    ActivatePush {
        /// Okta group name.
        group: String,
    },
}

impl AdminAction {
    /// The user the action is about, if any.
    pub fn user(&self) -> Option<&str> {
        match self {
            Self::Assign { user }
            | Self::UpdateProfile { user, .. }
            | Self::Deactivate { user }
            | Self::Unassign { user }
            | Self::Reactivate { user }
            | Self::Suspend { user }
            | Self::Unsuspend { user }
            | Self::AddToGroup { user, .. }
            | Self::RemoveFromGroup { user, .. } => Some(user),
            _ => None,
        }
    }

    /// The Okta group the action is about, if any.
    pub fn group(&self) -> Option<&str> {
        match self {
            Self::AssignGroup { group }
            | Self::UnassignGroup { group }
            | Self::PushGroup { group }
            | Self::LinkGroup { group, .. }
            | Self::RenameGroup { group, .. }
            | Self::AddToGroup { group, .. }
            | Self::RemoveFromGroup { group, .. }
            | Self::ChangeMembers { group, .. }
            | Self::PushNow { group }
            | Self::UnlinkGroup { group, .. }
            | Self::PausePush { group }
            | Self::ActivatePush { group } => Some(group),
            _ => None,
        }
    }
}

/// The label exchanges and outcomes carry: `assign alice@acme.com`,
/// `push group Engineering`.
impl fmt::Display for AdminAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = match self {
            Self::TestConnection => return f.write_str("test API credentials"),
            Self::ImportUsers => return f.write_str("import users"),
            Self::ImportGroups => return f.write_str("import groups"),
            Self::LinkGroup { group, app_group } => {
                return write!(f, "link group {group} to app group {app_group}");
            }
            Self::RenameGroup { group, name } => {
                return write!(f, "rename group {group} to {name}");
            }
            Self::AddToGroup { group, user } => return write!(f, "add {user} to group {group}"),
            Self::RemoveFromGroup { group, user } => {
                return write!(f, "remove {user} from group {group}");
            }
            Self::ChangeMembers { group, .. } => {
                return write!(f, "change members of group {group}");
            }
            Self::UnlinkGroup {
                group,
                delete_in_app,
            } => {
                let how = if *delete_in_app { "delete" } else { "leave" };
                return write!(f, "unlink group {group} ({how} in app)");
            }
            Self::Assign { .. } => "assign",
            Self::UpdateProfile { .. } => "update profile of",
            Self::Deactivate { .. } => "deactivate",
            Self::Unassign { .. } => "unassign",
            Self::AssignGroup { .. } => "assign group",
            Self::UnassignGroup { .. } => "unassign group",
            Self::Reactivate { .. } => "reactivate",
            Self::Suspend { .. } => "suspend",
            Self::Unsuspend { .. } => "unsuspend",
            Self::PushGroup { .. } => "push group",
            Self::PushNow { .. } => "push now group",
            Self::PausePush { .. } => "pause push of group",
            Self::ActivatePush { .. } => "activate push of group",
        };
        let subject = self.user().or(self.group()).unwrap_or_default();
        write!(f, "{verb} {subject}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_verb_and_user() {
        let assign = AdminAction::Assign {
            user: "alice@acme.com".into(),
        };
        assert_eq!(assign.to_string(), "assign alice@acme.com");
        assert_eq!(
            AdminAction::TestConnection.to_string(),
            "test API credentials"
        );
    }

    #[test]
    fn group_labels_name_the_group() {
        let group = || "Engineering".to_owned();
        let labels: Vec<String> = [
            AdminAction::ImportUsers,
            AdminAction::ImportGroups,
            AdminAction::AssignGroup { group: group() },
            AdminAction::UnassignGroup { group: group() },
            AdminAction::PushGroup { group: group() },
            AdminAction::LinkGroup {
                group: group(),
                app_group: "eng".into(),
            },
            AdminAction::RenameGroup {
                group: group(),
                name: "Platform".into(),
            },
            AdminAction::AddToGroup {
                group: group(),
                user: "alice@acme.com".into(),
            },
            AdminAction::RemoveFromGroup {
                group: group(),
                user: "alice@acme.com".into(),
            },
            AdminAction::PushNow { group: group() },
            AdminAction::UnlinkGroup {
                group: group(),
                delete_in_app: true,
            },
            AdminAction::PausePush { group: group() },
            AdminAction::ActivatePush { group: group() },
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            labels,
            [
                "import users",
                "import groups",
                "assign group Engineering",
                "unassign group Engineering",
                "push group Engineering",
                "link group Engineering to app group eng",
                "rename group Engineering to Platform",
                "add alice@acme.com to group Engineering",
                "remove alice@acme.com from group Engineering",
                "push now group Engineering",
                "unlink group Engineering (delete in app)",
                "pause push of group Engineering",
                "activate push of group Engineering",
            ]
        );
    }

    #[test]
    fn actions_read_from_toml_scenario_data() {
        #[derive(Deserialize)]
        struct Steps {
            step: Vec<AdminAction>,
        }
        let steps: Steps = toml::from_str(
            r#"
            [[step]]
            action = "update_profile"
            user = "alice@acme.com"
            changes = { firstName = "Alicia", locale = "" }

            [[step]]
            action = "test_connection"

            [[step]]
            action = "unlink_group"
            group = "Engineering"
            delete_in_app = true

            [[step]]
            action = "import_users"

            [[step]]
            action = "assign_group"
            group = "Engineering"

            [[step]]
            action = "unassign_group"
            group = "Engineering"
            "#,
        )
        .unwrap();
        let AdminAction::UpdateProfile { changes, .. } = &steps.step[0] else {
            panic!("expected update_profile");
        };
        assert_eq!(changes[&ProfileAttribute::FirstName], "Alicia");
        assert_eq!(changes[&ProfileAttribute::Locale], "");
        assert_eq!(steps.step[1], AdminAction::TestConnection);
        assert_eq!(
            steps.step[2],
            AdminAction::UnlinkGroup {
                group: "Engineering".into(),
                delete_in_app: true
            }
        );
        assert_eq!(steps.step[3], AdminAction::ImportUsers);
        assert_eq!(
            steps.step[4..],
            [
                AdminAction::AssignGroup {
                    group: "Engineering".into()
                },
                AdminAction::UnassignGroup {
                    group: "Engineering".into()
                }
            ]
        );
    }
}
