//! Writes to members: the `/v1/invitations` and `/v1/members/{id}/…` rows of
//! backend/API.md, one function per row.

use std::collections::BTreeMap;

use super::log::{Action, Applied};
use super::{Account, guest, touch_member, unknown_member};
use crate::domains;
use crate::model::{
    BuiltinGroup, Change, EffectKind, ErrorBody, InviteRequest, LinkRequest, Member, MemberKind,
    MemberState, ProfileUpdate, Refusal,
};
use crate::seed::default_display_name;

impl Account {
    /// `POST /v1/invitations`: provisions a new person, `invited` and
    /// `provisioned`, in Team Members; logs `invite_sent`.
    ///
    /// Checks, in order: the address's shape (`invalid_email`), its owner
    /// (`guest` when a guest holds it, else `email_taken`), then its domain
    /// (`public_domain`, `domain_not_allowed`).
    pub fn invite(&mut self, request: &InviteRequest) -> Result<Applied<Member>, ErrorBody> {
        self.write(Action::Invite, Some(&request.email), |account| {
            domains::check_format(&request.email)?;
            if let Some(holder) = account.member_by_email(&request.email) {
                return Err(taken(holder, &request.email));
            }
            domains::check_domain(&request.email, &account.settings.allowed_domains)?;
            let now = account.clock.now();
            let member = Member {
                id: account.new_member_id(),
                email: request.email.clone(),
                pending_email: None,
                given_name: request.given_name.clone(),
                family_name: request.family_name.clone(),
                display_name: request.display_name.clone().unwrap_or_else(|| {
                    default_display_name(&request.given_name, &request.family_name)
                }),
                state: MemberState::Invited,
                kind: MemberKind::Member,
                provisioned: true,
                external_id: request.external_id.clone(),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            account.insert_member(member.clone(), now);
            account.log(
                now,
                EffectKind::InviteSent {
                    member_id: member.id.clone(),
                    email: member.email.clone(),
                },
            );
            Ok(Applied::changed(member))
        })
    }

    /// `POST /v1/members/{id}/link`: takes an existing member under
    /// management. Logs `member_linked` only when the member was not
    /// provisioned yet; on a provisioned one only the external id changes.
    pub fn link(&mut self, id: &str, request: &LinkRequest) -> Result<Applied<Member>, ErrorBody> {
        self.write(Action::Link, Some(id), |account| {
            let member = account.manageable_member(id)?;
            let new_external_id = changed_external_id(member, request.external_id.as_ref());
            let was_provisioned = member.provisioned;
            if was_provisioned && new_external_id.is_none() {
                return Ok(Applied::unchanged(member.clone()));
            }
            let now = account.clock.now();
            if let Some(external_id) = new_external_id {
                account.set_external_id(id, external_id);
            }
            let member = account.member_mut(id)?;
            member.provisioned = true;
            touch_member(member, now);
            let member = member.clone();
            if !was_provisioned {
                account.log(
                    now,
                    EffectKind::MemberLinked {
                        member_id: member.id.clone(),
                        email: member.email.clone(),
                    },
                );
            }
            Ok(Applied::changed(member))
        })
    }

    /// `PATCH /v1/members/{id}`: changes names and external id. Logs
    /// `profile_updated` with the changed name fields; an external id
    /// change alone logs nothing.
    pub fn update_profile(
        &mut self,
        id: &str,
        update: &ProfileUpdate,
    ) -> Result<Applied<Member>, ErrorBody> {
        self.write(Action::UpdateProfile, Some(id), |account| {
            let member = account.manageable_member(id)?;
            let mut changes = BTreeMap::new();
            for (field, old, new) in [
                ("given_name", &member.given_name, &update.given_name),
                ("family_name", &member.family_name, &update.family_name),
                ("display_name", &member.display_name, &update.display_name),
            ] {
                if let Some(new) = new.as_ref().filter(|new| *new != old) {
                    let change = Change {
                        from: old.clone(),
                        to: new.clone(),
                    };
                    changes.insert(field.to_string(), change);
                }
            }
            let new_external_id = changed_external_id(member, update.external_id.as_ref());
            if changes.is_empty() && new_external_id.is_none() {
                return Ok(Applied::unchanged(member.clone()));
            }
            let now = account.clock.now();
            if let Some(external_id) = new_external_id {
                account.set_external_id(id, external_id);
            }
            let member = account.member_mut(id)?;
            for (field, change) in &changes {
                let slot = match field.as_str() {
                    "given_name" => &mut member.given_name,
                    "family_name" => &mut member.family_name,
                    _ => &mut member.display_name,
                };
                slot.clone_from(&change.to);
            }
            touch_member(member, now);
            let member = member.clone();
            if !changes.is_empty() {
                let member_id = member.id.clone();
                account.log(now, EffectKind::ProfileUpdated { member_id, changes });
            }
            Ok(Applied::changed(member))
        })
    }

    /// `POST /v1/members/{id}/email-change`: sets `pending_email` and logs
    /// `email_change_requested`. The current address or the pending one
    /// again (any case) is a no-op. A new address passes the same checks as
    /// an invitation's, including `email_taken` when another member holds it.
    pub fn request_email_change(
        &mut self,
        id: &str,
        email: &str,
    ) -> Result<Applied<Member>, ErrorBody> {
        self.write(Action::RequestEmailChange, Some(id), |account| {
            let member = account.manageable_member(id)?;
            let pending = member.pending_email.as_deref();
            if domains::same_email(&member.email, email)
                || pending.is_some_and(|p| domains::same_email(p, email))
            {
                return Ok(Applied::unchanged(member.clone()));
            }
            domains::check_format(email)?;
            if let Some(holder) = account.member_by_email(email) {
                return Err(taken(holder, email));
            }
            domains::check_domain(email, &account.settings.allowed_domains)?;
            let now = account.clock.now();
            let member_id = member.id.clone();
            if let Some(old) = member.pending_email.as_deref() {
                account.by_email.remove(&domains::email_key(old));
            }
            account
                .by_email
                .insert(domains::email_key(email), member_id.clone());
            let member = account.member_mut(id)?;
            member.pending_email = Some(email.to_string());
            touch_member(member, now);
            let member = member.clone();
            let (from, to) = (member.email.clone(), email.to_string());
            account.log(
                now,
                EffectKind::EmailChangeRequested {
                    member_id,
                    from,
                    to,
                },
            );
            Ok(Applied::changed(member))
        })
    }

    /// `POST /v1/members/{id}/confirm-email` (test control): the person
    /// confirmed the new address; `email` becomes `pending_email`. Logs no
    /// effect (backend/API.md); without a pending change it is a no-op.
    pub fn confirm_email(&mut self, id: &str) -> Result<Applied<Member>, ErrorBody> {
        self.write(Action::ConfirmEmail, Some(id), |account| {
            let member = account.member(id).ok_or_else(|| unknown_member(id))?;
            if member.pending_email.is_none() {
                return Ok(Applied::unchanged(member.clone()));
            }
            let now = account.clock.now();
            let old_key = domains::email_key(&member.email);
            account.by_email.remove(&old_key);
            let member = account.member_mut(id)?;
            if let Some(pending) = member.pending_email.take() {
                member.email = pending;
            }
            touch_member(member, now);
            Ok(Applied::changed(member.clone()))
        })
    }

    /// `POST /v1/members/{id}/suspend`: `active` → `suspended`, `invited` →
    /// `invite_suspended`; logs `suspended`. Refuses the last active owner:
    /// "at least one owner must remain" (support.1password.com/groups).
    pub fn suspend(&mut self, id: &str) -> Result<Applied<Member>, ErrorBody> {
        self.write(Action::Suspend, Some(id), |account| {
            let member = account.manageable_member(id)?;
            let state = match member.state {
                MemberState::Active => MemberState::Suspended,
                MemberState::Invited => MemberState::InviteSuspended,
                MemberState::Suspended | MemberState::InviteSuspended => {
                    return Ok(Applied::unchanged(member.clone()));
                }
            };
            account.ensure_not_last_owner(id)?;
            account.set_state(id, state, |member_id| EffectKind::Suspended { member_id })
        })
    }

    /// `POST /v1/members/{id}/reactivate`: `suspended` → `active`,
    /// `invite_suspended` → `invited`; logs `reactivated`.
    pub fn reactivate(&mut self, id: &str) -> Result<Applied<Member>, ErrorBody> {
        self.write(Action::Reactivate, Some(id), |account| {
            let member = account.manageable_member(id)?;
            let state = match member.state {
                MemberState::Suspended => MemberState::Active,
                MemberState::InviteSuspended => MemberState::Invited,
                MemberState::Active | MemberState::Invited => {
                    return Ok(Applied::unchanged(member.clone()));
                }
            };
            account.set_state(id, state, |member_id| EffectKind::Reactivated { member_id })
        })
    }

    /// `POST /v1/members/{id}/accept` (test control): the person accepted
    /// the invitation, `invited` → `active`; logs `invite_accepted`. A member
    /// who already set up is a no-op; a suspended invitation cannot be
    /// accepted (`invalid_request`).
    pub fn accept_invite(&mut self, id: &str) -> Result<Applied<Member>, ErrorBody> {
        self.write(Action::AcceptInvite, Some(id), |account| {
            let member = account.member(id).ok_or_else(|| unknown_member(id))?;
            match member.state {
                MemberState::Invited => {}
                MemberState::Active | MemberState::Suspended => {
                    return Ok(Applied::unchanged(member.clone()));
                }
                MemberState::InviteSuspended => {
                    return Err(ErrorBody::new(
                        Refusal::InvalidRequest,
                        format!(
                            "{} ({id}) has a suspended invitation (invite_suspended); reactivate them before they can accept",
                            member.email
                        ),
                    ));
                }
            }
            account.set_state(id, MemberState::Active, |member_id| {
                EffectKind::InviteAccepted { member_id }
            })
        })
    }

    /// `DELETE /v1/members/{id}`: erases the member and their memberships
    /// (Team Members included); logs `member_deleted`. 1Password's bridge
    /// never deletes; this exists so a faulty bridge can, and be caught.
    /// The last active owner is refused (`last_owner`).
    pub fn delete_member(&mut self, id: &str) -> Result<Applied<Member>, ErrorBody> {
        self.write(Action::DeleteMember, Some(id), |account| {
            let position = *account
                .member_pos
                .get(id)
                .ok_or_else(|| unknown_member(id))?;
            account.ensure_not_last_owner(id)?;
            let now = account.clock.now();
            for group in 0..account.groups.len() {
                account.leave(group, id, now);
            }
            let member = account.members_mut().remove(position);
            account.member_pos.remove(id);
            account.index_kinds();
            for later in &account.members[position..] {
                if let Some(p) = account.member_pos.get_mut(&later.id) {
                    *p -= 1;
                }
            }
            account.by_email.remove(&domains::email_key(&member.email));
            if let Some(pending) = &member.pending_email {
                account.by_email.remove(&domains::email_key(pending));
            }
            if let Some(external_id) = &member.external_id {
                account.unindex_external_id(external_id, id);
            }
            account.log(
                now,
                EffectKind::MemberDeleted {
                    member_id: member.id.clone(),
                    email: member.email.clone(),
                },
            );
            Ok(Applied::changed(member))
        })
    }

    /// The member, unless unknown or a guest: "all users except guests can
    /// be managed by automated provisioning" (support.1password.com/scim-best-practices).
    fn manageable_member(&self, id: &str) -> Result<&Member, ErrorBody> {
        let member = self.member(id).ok_or_else(|| unknown_member(id))?;
        if member.kind == MemberKind::Guest {
            return Err(guest(member));
        }
        Ok(member)
    }

    fn member_mut(&mut self, id: &str) -> Result<&mut Member, ErrorBody> {
        self.member_pos
            .get(id)
            .copied()
            .and_then(|p| self.members_mut().get_mut(p))
            .ok_or_else(|| unknown_member(id))
    }

    /// Moves the member to `state`, bumps it and logs `effect(member_id)`.
    fn set_state(
        &mut self,
        id: &str,
        state: MemberState,
        effect: impl FnOnce(String) -> EffectKind,
    ) -> Result<Applied<Member>, ErrorBody> {
        let now = self.clock.now();
        let member = self.member_mut(id)?;
        member.state = state;
        touch_member(member, now);
        let member = member.clone();
        self.log(now, effect(member.id.clone()));
        Ok(Applied::changed(member))
    }

    /// `last_owner` when `id` is the only active member of Owners.
    fn ensure_not_last_owner(&self, id: &str) -> Result<(), ErrorBody> {
        let Some(owners) = self.builtin_position(BuiltinGroup::Owners) else {
            return Ok(());
        };
        let owners = &self.groups[owners];
        let is_active = |m: &str| {
            self.member(m)
                .is_some_and(|m| m.state == MemberState::Active)
        };
        if !owners.member_set.contains(id) || !is_active(id) {
            return Ok(());
        }
        if owners.group.members.iter().any(|m| m != id && is_active(m)) {
            return Ok(());
        }
        Err(ErrorBody::new(
            Refusal::LastOwner,
            format!(
                "{id} is the account's last active owner; at least one owner must remain (support.1password.com/groups)"
            ),
        ))
    }

    fn set_external_id(&mut self, id: &str, external_id: String) {
        let old = self
            .member_pos
            .get(id)
            .copied()
            .and_then(|p| self.members_mut().get_mut(p))
            .and_then(|m| m.external_id.replace(external_id.clone()));
        if let Some(old) = old {
            self.unindex_external_id(&old, id);
        }
        self.by_external_id
            .entry(external_id)
            .or_default()
            .push(id.to_string());
    }

    fn unindex_external_id(&mut self, external_id: &str, id: &str) {
        if let Some(ids) = self.by_external_id.get_mut(external_id) {
            ids.retain(|m| m != id);
            if ids.is_empty() {
                self.by_external_id.remove(external_id);
            }
        }
    }
}

/// The new external id, if `requested` differs from the member's.
fn changed_external_id(member: &Member, requested: Option<&String>) -> Option<String> {
    requested
        .filter(|x| member.external_id.as_ref() != Some(*x))
        .cloned()
}

/// `guest` or `email_taken` for an address `holder` already has.
fn taken(holder: &Member, email: &str) -> ErrorBody {
    if holder.kind == MemberKind::Guest {
        return guest(holder);
    }
    let how = if domains::same_email(&holder.email, email) {
        "the e-mail"
    } else {
        "a pending e-mail change to"
    };
    ErrorBody::new(
        Refusal::EmailTaken,
        format!("{email} is taken: member {} has {how} {email:?}", holder.id),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GroupCreate;
    use crate::seed::{AccountSeed, SeedMember};
    use crate::state::tests::{
        account_from, acme, group_id, id_of, invitation, kinds, last_refusal,
    };

    fn refusal<T: std::fmt::Debug>(result: Result<Applied<T>, ErrorBody>) -> Refusal {
        result.unwrap_err().error
    }

    #[test]
    fn invite_provisions_an_invited_member_in_team_members() {
        let mut account = acme();
        let applied = account.invite(&invitation("carol@acme.io")).unwrap();
        assert!(applied.changed);
        let carol = applied.value;
        assert_eq!(carol.state, MemberState::Invited);
        assert!(carol.provisioned);
        assert_eq!(carol.kind, MemberKind::Member);
        assert_eq!(carol.display_name, "Carol Chen");
        assert_eq!(carol.version, 1);
        assert_eq!(account.member(&carol.id), Some(&carol));
        let team = &account.groups_by_name("Team Members")[0];
        assert_eq!(team.members.last(), Some(&carol.id));
        assert_eq!(team.version, 2);
        assert_eq!(kinds(&account), ["invite_sent"]);
        assert_eq!(
            account.effects()[0].kind,
            EffectKind::InviteSent {
                member_id: carol.id.clone(),
                email: "carol@acme.io".into()
            }
        );
    }

    #[test]
    fn invite_keeps_a_given_display_name_and_external_id() {
        let mut account = acme();
        let mut request = invitation("carol@acme.com");
        request.display_name = Some("CC".into());
        request.external_id = Some("00u9".into());
        let carol = account.invite(&request).unwrap().value;
        assert_eq!(carol.display_name, "CC");
        assert_eq!(account.members_by_external_id("00u9")[0].id, carol.id);
    }

    #[test]
    fn invite_refuses_a_taken_email_in_any_case() {
        let mut account = acme();
        let bob = id_of(&account, "bob@acme.com");
        let before = account.snapshot();
        let error = account.invite(&invitation("BOB@acme.com")).unwrap_err();
        assert_eq!(error.error, Refusal::EmailTaken);
        assert!(error.detail.contains(&bob), "{}", error.detail);
        assert_eq!(account.snapshot(), before);
        assert_eq!(
            last_refusal(&account),
            (
                "invite".into(),
                Some("BOB@acme.com".into()),
                Refusal::EmailTaken
            )
        );
        assert_eq!(account.effects().len(), 1);
    }

    #[test]
    fn invite_refuses_an_address_pending_for_someone_else() {
        let mut account = acme();
        let bob = id_of(&account, "bob@acme.com");
        account
            .request_email_change(&bob, "robert@acme.com")
            .unwrap();
        let error = account.invite(&invitation("Robert@acme.com")).unwrap_err();
        assert_eq!(error.error, Refusal::EmailTaken);
        assert!(error.detail.contains("pending"), "{}", error.detail);
    }

    #[test]
    fn invite_over_a_guest_is_refused_as_guest() {
        let mut account = acme();
        assert_eq!(
            refusal(account.invite(&invitation("Gina@acme.com"))),
            Refusal::Guest
        );
    }

    #[test]
    fn invite_checks_shape_then_public_then_allowed_domains() {
        let mut account = acme();
        assert_eq!(
            refusal(account.invite(&invitation("carol"))),
            Refusal::InvalidEmail
        );
        assert_eq!(
            refusal(account.invite(&invitation("carol@gmail.com"))),
            Refusal::PublicDomain
        );
        assert_eq!(
            refusal(account.invite(&invitation("carol@example.com"))),
            Refusal::DomainNotAllowed
        );
        assert_eq!(kinds(&account), ["refused", "refused", "refused"]);
        assert_eq!(account.list_members(0, None).total, 5);
        let mut open = account_from(&AccountSeed::empty("Open"));
        assert!(open.invite(&invitation("carol@example.com")).is_ok());
        assert_eq!(
            refusal(open.invite(&invitation("dan@outlook.com"))),
            Refusal::PublicDomain
        );
    }

    #[test]
    fn link_takes_a_member_under_management_once() {
        let mut account = acme();
        let bob = id_of(&account, "bob@acme.com");
        let request = LinkRequest {
            external_id: Some("00u2".into()),
        };
        let linked = account.link(&bob, &request).unwrap();
        assert!(linked.changed);
        assert!(linked.value.provisioned);
        assert_eq!(linked.value.external_id.as_deref(), Some("00u2"));
        assert_eq!(linked.value.version, 2);
        assert_eq!(kinds(&account), ["member_linked"]);
        // Linking a linked member is a no-op.
        let again = account.link(&bob, &request).unwrap();
        assert!(!again.changed);
        assert_eq!(again.value.version, 2);
        // A new external id is stored, but logs nothing.
        let other = LinkRequest {
            external_id: Some("00u3".into()),
        };
        let relinked = account.link(&bob, &other).unwrap();
        assert!(relinked.changed);
        assert_eq!(relinked.value.version, 3);
        assert_eq!(account.effects().len(), 1);
        assert!(account.members_by_external_id("00u2").is_empty());
        assert_eq!(account.members_by_external_id("00u3")[0].id, bob);
    }

    #[test]
    fn link_refuses_guests_and_unknown_ids() {
        let mut account = acme();
        let gina = id_of(&account, "gina@acme.com");
        assert_eq!(
            refusal(account.link(&gina, &LinkRequest::default())),
            Refusal::Guest
        );
        assert_eq!(
            last_refusal(&account),
            ("link".into(), Some(gina), Refusal::Guest)
        );
        assert_eq!(
            refusal(account.link("NOPE", &LinkRequest::default())),
            Refusal::UnknownMember
        );
    }

    #[test]
    fn profile_updates_log_the_changed_names_only() {
        let mut account = acme();
        let bob = id_of(&account, "bob@acme.com");
        let update = ProfileUpdate {
            given_name: Some("Bob".into()),
            family_name: Some("Builder-Smith".into()),
            display_name: Some("Bob Builder-Smith".into()),
            external_id: None,
        };
        let applied = account.update_profile(&bob, &update).unwrap();
        assert_eq!(applied.value.family_name, "Builder-Smith");
        assert_eq!(applied.value.display_name, "Bob Builder-Smith");
        let EffectKind::ProfileUpdated { changes, .. } = &account.effects()[0].kind else {
            panic!("{:?}", account.effects());
        };
        let fields: Vec<_> = changes.keys().map(String::as_str).collect();
        assert_eq!(fields, ["display_name", "family_name"]);
        assert_eq!(
            changes["family_name"],
            Change {
                from: "Builder".into(),
                to: "Builder-Smith".into()
            }
        );
        // Equal values: a no-op.
        assert!(!account.update_profile(&bob, &update).unwrap().changed);
        // External id alone: stored, bumped, not logged.
        let only_id = ProfileUpdate {
            external_id: Some("00u5".into()),
            ..Default::default()
        };
        let applied = account.update_profile(&bob, &only_id).unwrap();
        assert!(applied.changed);
        assert_eq!(applied.value.version, 3);
        assert_eq!(account.effects().len(), 1);
    }

    #[test]
    fn profile_updates_refuse_guests() {
        let mut account = acme();
        let gina = id_of(&account, "gina@acme.com");
        let update = ProfileUpdate {
            given_name: Some("G".into()),
            ..Default::default()
        };
        assert_eq!(
            refusal(account.update_profile(&gina, &update)),
            Refusal::Guest
        );
    }

    #[test]
    fn email_change_waits_for_confirmation() {
        let mut account = acme();
        let bob = id_of(&account, "bob@acme.com");
        let requested = account
            .request_email_change(&bob, "robert@acme.io")
            .unwrap();
        assert!(requested.changed);
        assert_eq!(requested.value.email, "bob@acme.com");
        assert_eq!(
            requested.value.pending_email.as_deref(),
            Some("robert@acme.io")
        );
        assert_eq!(
            account.effects()[0].kind,
            EffectKind::EmailChangeRequested {
                member_id: bob.clone(),
                from: "bob@acme.com".into(),
                to: "robert@acme.io".into()
            }
        );
        // The same request again, or the current address: no-ops.
        assert!(
            !account
                .request_email_change(&bob, "ROBERT@acme.io")
                .unwrap()
                .changed
        );
        assert!(
            !account
                .request_email_change(&bob, "Bob@Acme.com")
                .unwrap()
                .changed
        );
        // A second new address replaces the pending one.
        account.request_email_change(&bob, "rob@acme.io").unwrap();
        assert!(account.member_by_email("robert@acme.io").is_none());
        let confirmed = account.confirm_email(&bob).unwrap().value;
        assert_eq!(confirmed.email, "rob@acme.io");
        assert_eq!(confirmed.pending_email, None);
        assert_eq!(
            kinds(&account),
            ["email_change_requested", "email_change_requested"]
        );
        // The old address is free again; confirming twice is a no-op.
        assert!(account.member_by_email("bob@acme.com").is_none());
        assert!(!account.confirm_email(&bob).unwrap().changed);
        assert!(account.invite(&invitation("bob@acme.com")).is_ok());
    }

    #[test]
    fn email_change_checks_the_new_address() {
        let mut account = acme();
        let bob = id_of(&account, "bob@acme.com");
        let cases = [
            ("alice@ACME.com", Refusal::EmailTaken),
            ("gina@acme.com", Refusal::Guest),
            ("bob@gmail.com", Refusal::PublicDomain),
            ("bob@newco.com", Refusal::DomainNotAllowed),
            ("bob at acme", Refusal::InvalidEmail),
        ];
        for (email, expected) in cases {
            assert_eq!(
                refusal(account.request_email_change(&bob, email)),
                expected,
                "{email}"
            );
        }
        assert_eq!(account.member(&bob).unwrap().pending_email, None);
        assert_eq!(account.member(&bob).unwrap().version, 1);
        assert_eq!(account.effects().len(), cases.len());
        let gina = id_of(&account, "gina@acme.com");
        assert_eq!(
            refusal(account.request_email_change(&gina, "g2@acme.com")),
            Refusal::Guest
        );
    }

    #[test]
    fn suspend_and_reactivate_a_set_up_member() {
        let mut account = acme();
        let bob = id_of(&account, "bob@acme.com");
        let engineering = account.groups_by_name("Engineering")[0].clone();
        assert_eq!(
            account.suspend(&bob).unwrap().value.state,
            MemberState::Suspended
        );
        assert!(!account.suspend(&bob).unwrap().changed);
        assert_eq!(
            account.reactivate(&bob).unwrap().value.state,
            MemberState::Active
        );
        assert!(!account.reactivate(&bob).unwrap().changed);
        assert_eq!(kinds(&account), ["suspended", "reactivated"]);
        assert_eq!(account.member(&bob).unwrap().version, 3);
        // Suspension keeps memberships.
        assert_eq!(account.groups_by_name("Engineering")[0], &engineering);
    }

    #[test]
    fn suspend_and_reactivate_a_never_set_up_member() {
        let mut account = acme();
        let ivan = id_of(&account, "ivan@acme.com");
        assert_eq!(
            account.suspend(&ivan).unwrap().value.state,
            MemberState::InviteSuspended
        );
        assert!(!account.suspend(&ivan).unwrap().changed);
        assert_eq!(
            account.reactivate(&ivan).unwrap().value.state,
            MemberState::Invited
        );
        assert_eq!(kinds(&account), ["suspended", "reactivated"]);
    }

    #[test]
    fn guests_cannot_be_suspended_or_reactivated() {
        let mut account = acme();
        let gina = id_of(&account, "gina@acme.com");
        assert_eq!(refusal(account.suspend(&gina)), Refusal::Guest);
        assert_eq!(refusal(account.reactivate(&gina)), Refusal::Guest);
        assert_eq!(account.member(&gina).unwrap().state, MemberState::Active);
    }

    #[test]
    fn the_last_active_owner_cannot_be_suspended_or_deleted() {
        let mut account = acme();
        let alice = id_of(&account, "alice@acme.com");
        assert_eq!(refusal(account.suspend(&alice)), Refusal::LastOwner);
        assert_eq!(refusal(account.delete_member(&alice)), Refusal::LastOwner);
        assert_eq!(
            last_refusal(&account),
            (
                "delete_member".into(),
                Some(alice.clone()),
                Refusal::LastOwner
            )
        );
        assert_eq!(account.member(&alice).unwrap().state, MemberState::Active);
    }

    #[test]
    fn one_of_two_owners_can_be_suspended() {
        let mut seed = AccountSeed::empty("Two");
        for email in ["a@x.com", "b@x.com"] {
            let mut owner = SeedMember::new(email, "O", "W");
            owner.groups.push("owners".into());
            seed.add_member(owner).unwrap();
        }
        let mut invited = SeedMember::new("c@x.com", "I", "O");
        invited.state = MemberState::Invited;
        invited.groups.push("Owners".into());
        seed.add_member(invited).unwrap();
        let mut account = account_from(&seed);
        let a = id_of(&account, "a@x.com");
        let b = id_of(&account, "b@x.com");
        let c = id_of(&account, "c@x.com");
        assert!(account.suspend(&a).is_ok());
        assert_eq!(refusal(account.suspend(&b)), Refusal::LastOwner);
        // An owner who never set up does not count, and may be suspended.
        assert!(account.suspend(&c).is_ok());
        assert!(account.reactivate(&a).is_ok());
        assert!(account.suspend(&b).is_ok());
    }

    #[test]
    fn accepting_an_invitation_activates_once() {
        let mut account = acme();
        let ivan = id_of(&account, "ivan@acme.com");
        assert_eq!(
            account.accept_invite(&ivan).unwrap().value.state,
            MemberState::Active
        );
        assert!(!account.accept_invite(&ivan).unwrap().changed);
        assert_eq!(
            account.effects()[0].kind,
            EffectKind::InviteAccepted {
                member_id: ivan.clone()
            }
        );
        assert_eq!(account.effects().len(), 1);
        account.suspend(&ivan).unwrap();
        assert!(!account.accept_invite(&ivan).unwrap().changed);
    }

    #[test]
    fn a_suspended_invitation_cannot_be_accepted() {
        let mut account = acme();
        let ivan = id_of(&account, "ivan@acme.com");
        account.suspend(&ivan).unwrap();
        assert_eq!(
            refusal(account.accept_invite(&ivan)),
            Refusal::InvalidRequest
        );
        assert_eq!(
            account.member(&ivan).unwrap().state,
            MemberState::InviteSuspended
        );
        assert_eq!(
            refusal(account.accept_invite("NOPE")),
            Refusal::UnknownMember
        );
    }

    #[test]
    fn delete_erases_the_member_and_their_memberships() {
        let mut account = acme();
        let bob = id_of(&account, "bob@acme.com");
        let ivan = id_of(&account, "ivan@acme.com");
        let engineering = group_id(&account, "Engineering");
        account
            .link(
                &bob,
                &LinkRequest {
                    external_id: Some("00u2".into()),
                },
            )
            .unwrap();
        account.request_email_change(&bob, "rob@acme.com").unwrap();
        let deleted = account.delete_member(&bob).unwrap().value;
        assert_eq!(deleted.id, bob);
        assert!(account.member(&bob).is_none());
        assert!(account.member_by_email("bob@acme.com").is_none());
        assert!(account.member_by_email("rob@acme.com").is_none());
        assert!(account.members_by_external_id("00u2").is_empty());
        assert!(account.group(&engineering).unwrap().members.is_empty());
        assert!(
            !account.groups_by_name("Team Members")[0]
                .members
                .contains(&bob)
        );
        assert_eq!(account.list_members(0, None).total, 4);
        // Later members are still found by id, and in their kind's pages.
        assert_eq!(account.member(&ivan).unwrap().email, "ivan@acme.com");
        let of_kind = account.list_members_of_kind(MemberKind::Member, 0, None);
        let all = account.list_members(0, None);
        let expected: Vec<&str> = all
            .items
            .iter()
            .filter(|m| m.kind == MemberKind::Member)
            .map(|m| m.id.as_str())
            .collect();
        let listed: Vec<&str> = of_kind.items.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(listed, expected);
        assert!(!listed.contains(&bob.as_str()));
        assert_eq!(
            kinds(&account),
            ["member_linked", "email_change_requested", "member_deleted"]
        );
        assert_eq!(refusal(account.delete_member(&bob)), Refusal::UnknownMember);
        // The address may be invited again.
        assert!(account.invite(&invitation("bob@acme.com")).is_ok());
    }

    #[test]
    fn group_writes_never_touch_team_members() {
        let mut account = acme();
        let before = account.groups_by_name("Team Members")[0].clone();
        let bob = id_of(&account, "bob@acme.com");
        let ops = account
            .create_group(&GroupCreate {
                name: "Ops".into(),
                external_id: None,
            })
            .unwrap()
            .value;
        account.add_member(&ops.id, &bob).unwrap();
        account.suspend(&bob).unwrap();
        assert_eq!(account.groups_by_name("Team Members")[0], &before);
    }
}
