//! What a scenario's starting state becomes on a target scimulate cannot
//! see: the scenario file's `[scim_setup]` table says, for each member and
//! group of its account the scenario rests on, how it is made through the
//! target's own SCIM API (fixtures/README.md, "Starting state through
//! SCIM"):
//!
//! ```toml
//! [scim_setup]
//! "bob@acme.com" = "user"       # POST /Users (active: false for a suspended member)
//! "Engineering" = "group"       # POST /Groups, members: those of its members made above
//! "gina@acme.com" = "skip"      # a guest: SCIM cannot express it, the scenario is skipped
//! ```
//!
//! Members and groups left out are not made (the scenario does not rest on
//! them). Generated members (`generated_members`) are plain active members:
//! always made as users. An account with provisioning off is a state SCIM
//! cannot express, whatever the table says.

use std::collections::BTreeMap;

use scimulate_backend::{AccountSeed, MemberKind, MemberState, SeedMember};
use serde::Deserialize;

/// How one member or group of the account is made through SCIM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SetupAs {
    /// `POST /Users`; `active: false` for a suspended member. An invited
    /// member or the last owner made this way is a plain user: the file
    /// says the scenario does not rest on the invitation or the ownership.
    User,
    /// `POST /Groups` with those of its members made as users.
    Group,
    /// The scenario rests on a state SCIM cannot express (a guest, an
    /// invitation not yet accepted, the last owner): it is skipped with
    /// that reason on a target whose account scimulate cannot see.
    Skip,
    /// The key is one of the account's allowed domains beyond its first,
    /// and the scenario rests on it being allowed: plain SCIM has no
    /// domain rules (played under `--profile scim`), but a 1Password
    /// account's setting cannot be made through SCIM (skipped under the
    /// 1Password profile).
    AllowedDomain,
}

/// A user made before Okta's part (its e-mail untagged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupUser {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    /// `false` for a suspended member.
    pub active: bool,
}

/// A group made before Okta's part (its name untagged), with the e-mails of
/// its members (each one a [`SetupUser`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupGroup {
    pub name: String,
    pub members: Vec<String>,
}

/// What a scenario needs made through SCIM before Okta's part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScimSetup {
    pub users: Vec<SetupUser>,
    pub groups: Vec<SetupGroup>,
    /// Allowed domains of the account the scenario rests on
    /// ([`SetupAs::AllowedDomain`]).
    pub allowed_domains: Vec<String>,
}

impl ScimSetup {
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.groups.is_empty()
    }
}

/// A scenario's starting state, as a target scimulate cannot see gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartingState {
    /// Made through SCIM (nothing, for an empty account).
    Made(ScimSetup),
    /// A state SCIM cannot express: the scenario is skipped with this reason.
    Unexpressible(String),
    /// The account holds something and the file has no `[scim_setup]`
    /// saying how to make it: skipped with this reason.
    Undeclared(String),
}

impl StartingState {
    /// Why the scenario cannot be played on a target whose account
    /// scimulate cannot see, if it cannot.
    pub fn unplayable(&self) -> Option<&str> {
        match self {
            StartingState::Made(_) => None,
            StartingState::Unexpressible(reason) | StartingState::Undeclared(reason) => {
                Some(reason)
            }
        }
    }
}

/// Resolves a scenario's `[scim_setup]` table against its account
/// (`generated` members appended last); `Err` says what is wrong with the
/// table, for the file's error.
pub(crate) fn resolve(
    table: Option<&BTreeMap<String, SetupAs>>,
    account: &AccountSeed,
    generated: usize,
) -> Result<StartingState, String> {
    let members = account.members();
    let declared = &members[..members.len() - generated];
    let Some(table) = table else {
        if !account.settings().provisioning {
            return Ok(StartingState::Unexpressible(provisioning_off()));
        }
        if declared.is_empty() && account.groups().is_empty() {
            return Ok(StartingState::Made(generated_users(
                &members[declared.len()..],
            )));
        }
        return Ok(StartingState::Undeclared(
            "its account holds members or groups and the scenario file has no [scim_setup] \
             saying how to make them through SCIM (fixtures/README.md, \"Starting state \
             through SCIM\")"
                .to_string(),
        ));
    };
    let owners: Vec<&SeedMember> = declared.iter().filter(|m| is_owner(m)).collect();
    let mut made = ScimSetup::default();
    let mut unexpressible: Vec<String> = Vec::new();
    let mut group_names: Vec<&str> = Vec::new();
    for (name, how) in table {
        if *how == SetupAs::AllowedDomain {
            let allowed = &account.settings().allowed_domains;
            if !allowed.iter().any(|d| d.eq_ignore_ascii_case(name)) {
                return Err(format!(
                    "[scim_setup]: {name:?} = \"allowed_domain\", but the account allows only {}",
                    allowed.join(", ")
                ));
            }
            made.allowed_domains.push(name.clone());
            continue;
        }
        let member = declared.iter().find(|m| m.email.eq_ignore_ascii_case(name));
        let group = account
            .groups()
            .iter()
            .find(|g| g.name.eq_ignore_ascii_case(name));
        match (how, member, group) {
            (_, None, None) => {
                return Err(format!(
                    "[scim_setup]: {name:?} is no member or group of the account (known: {})",
                    known(declared, account)
                ));
            }
            (SetupAs::User, Some(member), _) => {
                if member.kind == MemberKind::Guest {
                    return Err(format!(
                        "[scim_setup]: {name:?} is a guest, and SCIM cannot express a guest: \
                         give \"skip\" when the scenario rests on her, or leave her out"
                    ));
                }
                made.users.push(SetupUser {
                    email: member.email.clone(),
                    given_name: member.given_name.clone(),
                    family_name: member.family_name.clone(),
                    display_name: member.display_name(),
                    active: !matches!(
                        member.state,
                        MemberState::Suspended | MemberState::InviteSuspended
                    ),
                });
            }
            (SetupAs::Skip, Some(member), _) => {
                let last_owner = owners.len() == 1 && is_owner(member);
                let state = if member.kind == MemberKind::Guest {
                    "a guest"
                } else if last_owner {
                    "the last owner"
                } else if member.state == MemberState::Invited {
                    "an invitation not yet accepted"
                } else {
                    return Err(format!(
                        "[scim_setup]: {name:?} = \"skip\", but SCIM can make this member (a \
                         user, active: false when suspended): give \"user\""
                    ));
                };
                unexpressible.push(format!("{state} ({})", member.email));
            }
            (SetupAs::Group, _, Some(group)) => group_names.push(&group.name),
            (SetupAs::Group, Some(_), None) => {
                return Err(format!(
                    "[scim_setup]: {name:?} is a member, not a group: give \"user\""
                ));
            }
            (SetupAs::AllowedDomain, ..) => {}
            (SetupAs::User | SetupAs::Skip, None, Some(_)) => {
                return Err(format!(
                    "[scim_setup]: {name:?} is a group: give \"group\" (SCIM can make any \
                     group, managed or not)"
                ));
            }
        }
    }
    if !account.settings().provisioning {
        return Ok(StartingState::Unexpressible(provisioning_off()));
    }
    if !unexpressible.is_empty() {
        return Ok(StartingState::Unexpressible(format!(
            "needs {}, a state SCIM cannot express",
            unexpressible.join(" and ")
        )));
    }
    for name in group_names {
        let members = made
            .users
            .iter()
            .filter(|user| {
                declared.iter().any(|m| {
                    m.email == user.email && m.groups.iter().any(|g| g.eq_ignore_ascii_case(name))
                })
            })
            .map(|user| user.email.clone())
            .collect();
        made.groups.push(SetupGroup {
            name: name.to_string(),
            members,
        });
    }
    made.users
        .extend(generated_users(&members[declared.len()..]).users);
    Ok(StartingState::Made(made))
}

fn provisioning_off() -> String {
    "needs an account with provisioning turned off, a state SCIM cannot express".to_string()
}

fn is_owner(member: &SeedMember) -> bool {
    member
        .groups
        .iter()
        .any(|g| g.eq_ignore_ascii_case("Owners"))
}

fn generated_users(members: &[SeedMember]) -> ScimSetup {
    ScimSetup {
        users: members
            .iter()
            .map(|m| SetupUser {
                email: m.email.clone(),
                given_name: m.given_name.clone(),
                family_name: m.family_name.clone(),
                display_name: m.display_name(),
                active: true,
            })
            .collect(),
        groups: Vec::new(),
        allowed_domains: Vec::new(),
    }
}

fn known(members: &[SeedMember], account: &AccountSeed) -> String {
    members
        .iter()
        .map(|m| m.email.as_str())
        .chain(account.groups().iter().map(|g| g.name.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acme() -> AccountSeed {
        AccountSeed::from_toml_str(
            include_str!("../../../fixtures/accounts/acme.toml"),
            "acme.toml",
        )
        .unwrap()
    }

    fn table(entries: &[(&str, SetupAs)]) -> BTreeMap<String, SetupAs> {
        entries.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn users_and_groups_are_made_with_their_members() {
        let state = resolve(
            Some(&table(&[
                ("bob@acme.com", SetupAs::User),
                ("sam@acme.com", SetupAs::User),
                ("Engineering", SetupAs::Group),
                ("Design", SetupAs::Group),
            ])),
            &acme(),
            0,
        )
        .unwrap();
        let StartingState::Made(made) = state else {
            panic!("{state:?}");
        };
        let active: Vec<(&str, bool)> = made
            .users
            .iter()
            .map(|u| (u.email.as_str(), u.active))
            .collect();
        assert_eq!(active, [("bob@acme.com", true), ("sam@acme.com", false)]);
        assert_eq!(made.groups[0].name, "Design");
        assert!(made.groups[0].members.is_empty());
        assert_eq!(made.groups[1].name, "Engineering");
        assert_eq!(made.groups[1].members, ["bob@acme.com"]);
    }

    #[test]
    fn states_scim_cannot_express_name_themselves() {
        for (name, state) in [
            ("gina@acme.com", "a guest (gina@acme.com)"),
            (
                "ivan@acme.com",
                "an invitation not yet accepted (ivan@acme.com)",
            ),
            ("alice@acme.com", "the last owner (alice@acme.com)"),
        ] {
            let resolved = resolve(Some(&table(&[(name, SetupAs::Skip)])), &acme(), 0).unwrap();
            assert_eq!(
                resolved,
                StartingState::Unexpressible(format!("needs {state}, a state SCIM cannot express"))
            );
        }
        let off = acme().with_provisioning(false);
        assert_eq!(
            resolve(Some(&BTreeMap::new()), &off, 0).unwrap(),
            StartingState::Unexpressible(provisioning_off())
        );
    }

    #[test]
    fn a_table_that_does_not_fit_the_account_is_refused() {
        for (entries, says) in [
            (
                vec![("nobody@acme.com", SetupAs::User)],
                "no member or group",
            ),
            (
                vec![("gina@acme.com", SetupAs::User)],
                "cannot express a guest",
            ),
            (
                vec![("bob@acme.com", SetupAs::Skip)],
                "SCIM can make this member",
            ),
            (vec![("bob@acme.com", SetupAs::Group)], "is a member"),
            (vec![("Design", SetupAs::User)], "is a group"),
        ] {
            let error = resolve(Some(&table(&entries)), &acme(), 0).unwrap_err();
            assert!(error.contains(says), "{error}");
        }
    }

    #[test]
    fn an_account_with_members_needs_a_table() {
        assert!(matches!(
            resolve(None, &acme(), 0).unwrap(),
            StartingState::Undeclared(_)
        ));
        let mut generated = AccountSeed::default();
        generated
            .add_member(SeedMember::new("member-00001@acme.com", "Member", "1"))
            .unwrap();
        let StartingState::Made(made) = resolve(None, &generated, 1).unwrap() else {
            panic!("generated members are plain users");
        };
        assert_eq!(made.users.len(), 1);
    }
}
