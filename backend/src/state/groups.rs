//! Writes to groups: the `/v1/groups…` rows of backend/API.md, one function
//! per row.

use super::log::{Action, Applied};
use super::{Account, guest, touch_group, unknown_group, unknown_member};
use crate::model::{EffectKind, ErrorBody, Group, GroupCreate, GroupUpdate, MemberKind, Refusal};
use crate::seed::builtin_named;

impl Account {
    /// `POST /v1/groups`: creates a managed group, even when the name exists
    /// ("1Password allows duplicate names"); logs `group_created`. A
    /// built-in group's name (any case) is refused.
    pub fn create_group(&mut self, request: &GroupCreate) -> Result<Applied<Group>, ErrorBody> {
        self.write(Action::CreateGroup, Some(&request.name), |account| {
            check_name(&request.name)?;
            let now = account.clock.now();
            let group =
                account.insert_group(&request.name, true, None, request.external_id.clone(), now);
            account.log(
                now,
                EffectKind::GroupCreated {
                    group_id: group.id.clone(),
                    name: group.name.clone(),
                },
            );
            Ok(Applied::changed(group))
        })
    }

    /// `PATCH /v1/groups/{id}`: renames and marks the group managed; logs
    /// `group_renamed` when the name changed (an external id or managed
    /// change alone logs nothing).
    pub fn update_group(
        &mut self,
        id: &str,
        update: &GroupUpdate,
    ) -> Result<Applied<Group>, ErrorBody> {
        self.write(Action::UpdateGroup, Some(id), |account| {
            let position = account.writable_group(id)?;
            if let Some(name) = &update.name {
                check_name(name)?;
            }
            let group = &account.groups[position].group;
            let new_name = update.name.clone().filter(|n| *n != group.name);
            let new_external_id = update
                .external_id
                .clone()
                .filter(|x| group.external_id.as_ref() != Some(x));
            if new_name.is_none() && new_external_id.is_none() && group.managed {
                return Ok(Applied::unchanged(group.clone()));
            }
            let now = account.clock.now();
            let group = &mut account.groups[position].group;
            let old_name = group.name.clone();
            if let Some(name) = &new_name {
                group.name.clone_from(name);
            }
            if new_external_id.is_some() {
                group.external_id = new_external_id;
            }
            group.managed = true;
            touch_group(group, now);
            let group = group.clone();
            if let Some(to) = new_name {
                let group_id = group.id.clone();
                account.log(
                    now,
                    EffectKind::GroupRenamed {
                        group_id,
                        from: old_name,
                        to,
                    },
                );
            }
            Ok(Applied::changed(group))
        })
    }

    /// `DELETE /v1/groups/{id}`: deletes the group; its members stay in the
    /// account. Logs `group_deleted`.
    pub fn delete_group(&mut self, id: &str) -> Result<Applied<Group>, ErrorBody> {
        self.write(Action::DeleteGroup, Some(id), |account| {
            let position = account.writable_group(id)?;
            let now = account.clock.now();
            let entry = account.groups.remove(position);
            account.group_pos.remove(id);
            for later in &account.groups[position..] {
                if let Some(p) = account.group_pos.get_mut(&later.group.id) {
                    *p -= 1;
                }
            }
            let group = entry.group;
            account.log(
                now,
                EffectKind::GroupDeleted {
                    group_id: group.id.clone(),
                    name: group.name.clone(),
                },
            );
            Ok(Applied::changed(group))
        })
    }

    /// `PUT /v1/groups/{id}/members/{member_id}`: adds the member; logs
    /// `member_added`. Already in: no-op. Unknown member: `unknown_member`;
    /// a guest: `guest`.
    pub fn add_member(&mut self, id: &str, member_id: &str) -> Result<Applied<Group>, ErrorBody> {
        self.write(Action::AddMember, Some(id), |account| {
            let position = account.writable_group(id)?;
            let member = account
                .member(member_id)
                .ok_or_else(|| unknown_member(member_id))?;
            if member.kind == MemberKind::Guest {
                return Err(guest(member));
            }
            if account.groups[position].member_set.contains(member_id) {
                return Ok(Applied::unchanged(account.groups[position].group.clone()));
            }
            let now = account.clock.now();
            account.join(position, member_id, now);
            account.log(
                now,
                EffectKind::MemberAdded {
                    group_id: id.to_string(),
                    member_id: member_id.to_string(),
                },
            );
            Ok(Applied::changed(account.groups[position].group.clone()))
        })
    }

    /// `DELETE /v1/groups/{id}/members/{member_id}`: removes the member;
    /// logs `member_removed`. Not a member (unknown ids included): no-op.
    pub fn remove_member(
        &mut self,
        id: &str,
        member_id: &str,
    ) -> Result<Applied<Group>, ErrorBody> {
        self.write(Action::RemoveMember, Some(id), |account| {
            let position = account.writable_group(id)?;
            if !account.groups[position].member_set.contains(member_id) {
                return Ok(Applied::unchanged(account.groups[position].group.clone()));
            }
            let now = account.clock.now();
            account.leave(position, member_id, now);
            account.log(
                now,
                EffectKind::MemberRemoved {
                    group_id: id.to_string(),
                    member_id: member_id.to_string(),
                },
            );
            Ok(Applied::changed(account.groups[position].group.clone()))
        })
    }

    /// The position of a group provisioning may change: known, and not
    /// built in ("built-in groups cannot be deleted", support.1password.com/groups).
    fn writable_group(&self, id: &str) -> Result<usize, ErrorBody> {
        let position = *self.group_pos.get(id).ok_or_else(|| unknown_group(id))?;
        let group = &self.groups[position].group;
        if let Some(builtin) = group.builtin {
            return Err(ErrorBody::new(
                Refusal::BuiltinGroup,
                format!(
                    "{id} is the built-in group {:?}; provisioning cannot rename, delete or change its members (support.1password.com/groups)",
                    builtin.name()
                ),
            ));
        }
        Ok(position)
    }
}

/// A group name must not be empty nor a built-in group's (any case).
fn check_name(name: &str) -> Result<(), ErrorBody> {
    if name.trim().is_empty() {
        return Err(ErrorBody::new(
            Refusal::InvalidRequest,
            "a group name must not be empty",
        ));
    }
    if let Some(builtin) = builtin_named(name) {
        return Err(ErrorBody::new(
            Refusal::BuiltinGroup,
            format!(
                "{name:?} is the name of the built-in group {:?}; provisioning cannot create it",
                builtin.name()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BuiltinGroup;
    use crate::state::tests::{acme, group_id, id_of, kinds, last_refusal};

    fn create(account: &mut Account, name: &str) -> Result<Applied<Group>, ErrorBody> {
        account.create_group(&GroupCreate {
            name: name.into(),
            external_id: None,
        })
    }

    fn builtin_id(account: &Account, builtin: BuiltinGroup) -> String {
        group_id(account, builtin.name())
    }

    #[test]
    fn created_groups_are_managed_and_may_share_a_name() {
        let mut account = acme();
        let first = create(&mut account, "Engineering").unwrap().value;
        assert!(first.managed);
        assert_eq!(first.builtin, None);
        let second = account
            .create_group(&GroupCreate {
                name: "engineering".into(),
                external_id: Some("00g1".into()),
            })
            .unwrap()
            .value;
        assert_ne!(first.id, second.id);
        assert_eq!(second.external_id.as_deref(), Some("00g1"));
        assert_eq!(account.groups_by_name("ENGINEERING").len(), 3);
        assert_eq!(kinds(&account), ["group_created", "group_created"]);
        assert_eq!(
            account.effects()[0].kind,
            EffectKind::GroupCreated {
                group_id: first.id,
                name: "Engineering".into()
            }
        );
    }

    #[test]
    fn built_in_names_and_empty_names_cannot_be_created() {
        let mut account = acme();
        let error = create(&mut account, "team members").unwrap_err();
        assert_eq!(error.error, Refusal::BuiltinGroup);
        assert_eq!(
            last_refusal(&account),
            (
                "create_group".into(),
                Some("team members".into()),
                Refusal::BuiltinGroup
            )
        );
        assert_eq!(
            create(&mut account, "  ").unwrap_err().error,
            Refusal::InvalidRequest
        );
        assert_eq!(account.list_groups(0, None).total, 7);
    }

    #[test]
    fn renaming_logs_only_name_changes_and_marks_managed() {
        let mut account = acme();
        let engineering = group_id(&account, "Engineering");
        let same = GroupUpdate {
            name: Some("Engineering".into()),
            external_id: None,
        };
        // Unmanaged → managed: a change, but not a rename.
        let applied = account.update_group(&engineering, &same).unwrap();
        assert!(applied.changed && applied.value.managed);
        assert_eq!(applied.value.version, 2);
        assert!(account.effects().is_empty());
        assert!(!account.update_group(&engineering, &same).unwrap().changed);
        let rename = GroupUpdate {
            name: Some("Platform".into()),
            external_id: None,
        };
        let renamed = account.update_group(&engineering, &rename).unwrap().value;
        assert_eq!(renamed.name, "Platform");
        assert_eq!(renamed.id, engineering);
        assert_eq!(renamed.members, vec![id_of(&account, "bob@acme.com")]);
        assert_eq!(
            account.effects()[0].kind,
            EffectKind::GroupRenamed {
                group_id: engineering.clone(),
                from: "Engineering".into(),
                to: "Platform".into()
            }
        );
        let external = GroupUpdate {
            name: None,
            external_id: Some("00g7".into()),
        };
        assert!(
            account
                .update_group(&engineering, &external)
                .unwrap()
                .changed
        );
        assert_eq!(account.effects().len(), 1);
    }

    #[test]
    fn renames_to_or_of_built_in_groups_are_refused() {
        let mut account = acme();
        let engineering = group_id(&account, "Engineering");
        let to_owners = GroupUpdate {
            name: Some("OWNERS".into()),
            external_id: None,
        };
        assert_eq!(
            account
                .update_group(&engineering, &to_owners)
                .unwrap_err()
                .error,
            Refusal::BuiltinGroup
        );
        let owners = builtin_id(&account, BuiltinGroup::Owners);
        let rename = GroupUpdate {
            name: Some("Bosses".into()),
            external_id: None,
        };
        assert_eq!(
            account.update_group(&owners, &rename).unwrap_err().error,
            Refusal::BuiltinGroup
        );
        assert_eq!(
            account.update_group("nope", &rename).unwrap_err().error,
            Refusal::UnknownGroup
        );
        let empty = GroupUpdate {
            name: Some(String::new()),
            external_id: None,
        };
        assert_eq!(
            account
                .update_group(&engineering, &empty)
                .unwrap_err()
                .error,
            Refusal::InvalidRequest
        );
        assert_eq!(kinds(&account), ["refused"; 4]);
    }

    #[test]
    fn deleting_a_group_keeps_its_members() {
        let mut account = acme();
        let engineering = group_id(&account, "Engineering");
        let design = group_id(&account, "Design");
        let bob = id_of(&account, "bob@acme.com");
        let deleted = account.delete_group(&engineering).unwrap().value;
        assert_eq!(deleted.name, "Engineering");
        assert!(account.group(&engineering).is_none());
        assert!(account.member(&bob).is_some());
        assert_eq!(account.group(&design).unwrap().name, "Design");
        assert_eq!(
            account.effects()[0].kind,
            EffectKind::GroupDeleted {
                group_id: engineering.clone(),
                name: "Engineering".into()
            }
        );
        assert_eq!(
            account.delete_group(&engineering).unwrap_err().error,
            Refusal::UnknownGroup
        );
    }

    #[test]
    fn built_in_groups_cannot_be_deleted_or_change_members() {
        let mut account = acme();
        let bob = id_of(&account, "bob@acme.com");
        for builtin in BuiltinGroup::ALL {
            let id = builtin_id(&account, builtin);
            let before = account.group(&id).unwrap().clone();
            assert_eq!(
                account.delete_group(&id).unwrap_err().error,
                Refusal::BuiltinGroup
            );
            assert_eq!(
                account.add_member(&id, &bob).unwrap_err().error,
                Refusal::BuiltinGroup
            );
            assert_eq!(
                account.remove_member(&id, &bob).unwrap_err().error,
                Refusal::BuiltinGroup
            );
            assert_eq!(account.group(&id).unwrap(), &before);
        }
        assert_eq!(account.effects().len(), 15);
    }

    #[test]
    fn adding_and_removing_members() {
        let mut account = acme();
        let design = group_id(&account, "Design");
        let bob = id_of(&account, "bob@acme.com");
        let sam = id_of(&account, "sam@acme.com");
        let added = account.add_member(&design, &bob).unwrap();
        assert!(added.changed);
        assert_eq!(added.value.members, vec![bob.clone()]);
        assert_eq!(added.value.version, 2);
        assert!(!account.add_member(&design, &bob).unwrap().changed);
        // Suspended members can be added: suspension is not removal.
        account.add_member(&design, &sam).unwrap();
        assert_eq!(
            account.group(&design).unwrap().members,
            vec![bob.clone(), sam.clone()]
        );
        let removed = account.remove_member(&design, &bob).unwrap();
        assert_eq!(removed.value.members, vec![sam.clone()]);
        assert!(!account.remove_member(&design, &bob).unwrap().changed);
        assert!(!account.remove_member(&design, "NOBODY").unwrap().changed);
        assert_eq!(
            kinds(&account),
            ["member_added", "member_added", "member_removed"]
        );
        assert_eq!(
            account.effects()[2].kind,
            EffectKind::MemberRemoved {
                group_id: design,
                member_id: bob
            }
        );
    }

    #[test]
    fn adding_unknown_members_or_guests_is_refused() {
        let mut account = acme();
        let design = group_id(&account, "Design");
        let gina = id_of(&account, "gina@acme.com");
        let error = account.add_member(&design, "NOBODY").unwrap_err();
        assert_eq!(error.error, Refusal::UnknownMember);
        assert_eq!(
            last_refusal(&account),
            (
                "add_member".into(),
                Some(design.clone()),
                Refusal::UnknownMember
            )
        );
        assert_eq!(
            account.add_member(&design, &gina).unwrap_err().error,
            Refusal::Guest
        );
        assert_eq!(
            account.add_member("nope", &gina).unwrap_err().error,
            Refusal::UnknownGroup
        );
        assert!(account.group(&design).unwrap().members.is_empty());
    }
}
