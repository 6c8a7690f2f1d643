//! Tagging a scenario for a run against a shared target: every Okta login
//! and e-mail `local@domain` becomes `local.<tag>@domain` and every group
//! name gains ` <tag>`, so runs never collide with each other or with real
//! people, and whatever a run created is easy to find and clean up
//! (DESIGN: "test users … carry a run id"). Domains are kept: scenarios
//! about domains (public, not allowed, a second company domain) stay true.

use crate::action::AdminAction;
use crate::org::OktaOrg;
use crate::user::ProfileAttribute;

/// `ada@acme.com` → `ada.r1@acme.com`; a value without `@` gets `.r1`.
pub fn tag_email(email: &str, tag: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => format!("{local}.{tag}@{domain}"),
        None => format!("{email}.{tag}"),
    }
}

/// `Engineering` → `Engineering r1`.
pub fn tag_group(name: &str, tag: &str) -> String {
    format!("{name} {tag}")
}

impl OktaOrg {
    /// The same org with every login, e-mail and group name tagged. Meant
    /// for an org no action has run against yet.
    pub fn tagged(&self, tag: &str) -> OktaOrg {
        let mut org = self.clone();
        for user in org.users_mut() {
            user.profile.login = tag_email(&user.profile.login, tag);
            user.profile.email = tag_email(&user.profile.email, tag);
        }
        for group in &mut org.groups {
            group.name = tag_group(&group.name, tag);
            for member in &mut group.members {
                *member = tag_email(member, tag);
            }
        }
        org
    }
}

impl AdminAction {
    /// The same action naming the tagged users and groups of
    /// [`OktaOrg::tagged`]. App groups (named by the target) and new names
    /// get the tag too, so a rename stays inside the run's own groups.
    pub fn tagged(&self, tag: &str) -> AdminAction {
        let user = |u: &String| tag_email(u, tag);
        let group = |g: &String| tag_group(g, tag);
        match self {
            Self::TestConnection | Self::ImportUsers | Self::ImportGroups => self.clone(),
            Self::Assign { user: u } => Self::Assign { user: user(u) },
            // A new login or e-mail is a name the run gives too: tagged, so
            // two runs (or dialects) changing to the same address never meet.
            Self::UpdateProfile { user: u, changes } => Self::UpdateProfile {
                user: user(u),
                changes: changes
                    .iter()
                    .map(|(key, value)| {
                        let address =
                            matches!(key, ProfileAttribute::Login | ProfileAttribute::Email)
                                && !value.is_empty();
                        (*key, if address { user(value) } else { value.clone() })
                    })
                    .collect(),
            },
            Self::Deactivate { user: u } => Self::Deactivate { user: user(u) },
            Self::Unassign { user: u } => Self::Unassign { user: user(u) },
            Self::Reactivate { user: u } => Self::Reactivate { user: user(u) },
            Self::Suspend { user: u } => Self::Suspend { user: user(u) },
            Self::Unsuspend { user: u } => Self::Unsuspend { user: user(u) },
            Self::AssignGroup { group: g } => Self::AssignGroup { group: group(g) },
            Self::UnassignGroup { group: g } => Self::UnassignGroup { group: group(g) },
            Self::PushGroup { group: g } => Self::PushGroup { group: group(g) },
            Self::LinkGroup {
                group: g,
                app_group,
            } => Self::LinkGroup {
                group: group(g),
                app_group: tag_group(app_group, tag),
            },
            Self::RenameGroup { group: g, name } => Self::RenameGroup {
                group: group(g),
                name: tag_group(name, tag),
            },
            Self::AddToGroup { group: g, user: u } => Self::AddToGroup {
                group: group(g),
                user: user(u),
            },
            Self::RemoveFromGroup { group: g, user: u } => Self::RemoveFromGroup {
                group: group(g),
                user: user(u),
            },
            Self::ChangeMembers {
                group: g,
                add,
                remove,
            } => Self::ChangeMembers {
                group: group(g),
                add: add.iter().map(user).collect(),
                remove: remove.iter().map(user).collect(),
            },
            Self::PushNow { group: g } => Self::PushNow { group: group(g) },
            Self::UnlinkGroup {
                group: g,
                delete_in_app,
            } => Self::UnlinkGroup {
                group: group(g),
                delete_in_app: *delete_in_app,
            },
            Self::PausePush { group: g } => Self::PausePush { group: group(g) },
            Self::ActivatePush { group: g } => Self::ActivatePush { group: group(g) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::App;
    use crate::user::UserProfile;

    #[test]
    fn emails_keep_their_domain() {
        assert_eq!(tag_email("ada@acme.com", "r1"), "ada.r1@acme.com");
        assert_eq!(tag_email("Bob@ACME.com", "r1"), "Bob.r1@ACME.com");
        assert_eq!(tag_email("plain", "r1"), "plain.r1");
    }

    #[test]
    fn org_and_actions_agree() {
        let mut org = OktaOrg::new(1, App::default());
        org.add_user(UserProfile::new("ada@acme.com", "ada@acme.com", "Ada", "L"))
            .unwrap();
        org.add_group("Eng", ["ada@acme.com"]).unwrap();
        let tagged = org.tagged("r9");
        let action = AdminAction::AddToGroup {
            group: "Eng".into(),
            user: "ada@acme.com".into(),
        }
        .tagged("r9");
        let AdminAction::AddToGroup { group, user } = action else {
            panic!("variant kept");
        };
        assert!(tagged.user(&user).is_some());
        let eng = tagged.group(&group).unwrap();
        assert_eq!(eng.members, vec![user]);
        assert_eq!(tagged.users()[0].id, org.users()[0].id, "ids unchanged");
    }

    #[test]
    fn a_new_login_or_email_is_tagged_too() {
        let changes = [
            (ProfileAttribute::Login, "carol@acme.io"),
            (ProfileAttribute::Email, "carol@acme.io"),
            (ProfileAttribute::FirstName, "Caroline"),
            (ProfileAttribute::Locale, ""),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect();
        let AdminAction::UpdateProfile { changes, .. } = (AdminAction::UpdateProfile {
            user: "carol@acme.com".into(),
            changes,
        })
        .tagged("r9") else {
            panic!("variant kept");
        };
        assert_eq!(changes[&ProfileAttribute::Login], "carol.r9@acme.io");
        assert_eq!(changes[&ProfileAttribute::Email], "carol.r9@acme.io");
        assert_eq!(changes[&ProfileAttribute::FirstName], "Caroline");
        assert_eq!(changes[&ProfileAttribute::Locale], "");
    }

    #[test]
    fn group_assignments_name_the_tagged_group() {
        let eng = || "Eng".to_owned();
        assert_eq!(
            AdminAction::AssignGroup { group: eng() }.tagged("r9"),
            AdminAction::AssignGroup {
                group: "Eng r9".into()
            }
        );
        assert_eq!(
            AdminAction::UnassignGroup { group: eng() }.tagged("r9"),
            AdminAction::UnassignGroup {
                group: "Eng r9".into()
            }
        );
        let mut org = OktaOrg::new(1, App::default());
        org.add_user(UserProfile::new("ada@acme.com", "ada@acme.com", "Ada", "L"))
            .unwrap();
        org.add_group("Eng", ["ada@acme.com"]).unwrap();
        org.set_group_assigned("Eng", true);
        let tagged = org.tagged("r9");
        assert!(tagged.group("Eng r9").unwrap().assigned);
        assert_eq!(tagged.assigning_groups("ada.r9@acme.com").len(), 1);
    }
}
