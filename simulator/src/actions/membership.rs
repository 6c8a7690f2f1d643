//! Group membership and name changes in Okta, pushed to a linked app group
//! (docs/okta-wire.md#84-membership-changes, §8.5; §13 rows "Member added / removed",
//! "Rename pushed group"), and provisioned or deprovisioned when the group is
//! assigned to the app (§5.2; §13 row "Unassign user / remove from assigned
//! group").

use super::group_assignment::{combine, gain_assignment, lose_assignment};
use super::group_calls::{Member, PushTask, update_name};
use super::group_updates::{put_renamed, update_members};
use super::push::{active_link, group_and_app, not_sent, store};
use crate::app::Dialect;
use crate::call_sequence::CallSequence;
use crate::engine_error::EngineError;
use crate::org::OktaOrg;
use crate::outcome::ActionResult;

/// Whether a membership change adds or removes the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Add,
    Remove,
}

/// Adds the user to (or removes it from) the Okta group; pushed when the
/// group's push is active and the user is pushed (assigned, provisioned,
/// active, §8).
///
/// | dialect | requests |
/// |---|---|
/// | OIN | `PATCH replace {id, displayName}` (with *Rename app groups*) → `PATCH` with one `add` op, or one `remove` op `members[value eq "id"]` |
/// | AIW | `GET /Groups/{id}` → `PUT /Groups/{id}` with the members changed |
///
/// The name PATCH "each time there's a group membership update" is [DOC
/// O-SCIM20]; its order is **UNCONFIRMED** ([`crate::NameUpdate`]).
///
/// When the group is assigned to the app, joining it may be the user's first
/// assignment: the user is provisioned first, with the assign call sequence
/// (§3), since only provisioned users are pushed as members (§8
/// prerequisites). Leaving it may take the user's last assignment: the user
/// is deprovisioned after the member removal (§5.1, §5.2). One task per
/// user: the action fails with the first failure.
pub(crate) async fn change_membership(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
    login: &str,
    change: Change,
) -> Result<ActionResult, EngineError> {
    let (group, _) = group_and_app(org, name)?;
    let user = org
        .user(login)
        .cloned()
        .ok_or_else(|| EngineError::unknown(login))?;
    let login = &user.profile.login;
    let is_member = group.members.contains(login);
    let stored = org
        .group_mut(name)
        .ok_or_else(|| EngineError::unknown_group(name))?;
    match change {
        Change::Add if is_member => return Ok(not_sent("already a member of the group")),
        Change::Remove if !is_member => return Ok(not_sent("not a member of the group")),
        Change::Add => stored.members.push(login.clone()),
        Change::Remove => stored.members.retain(|member| member != login),
    }
    let was_assigned = user.app_user.assigned;
    let results = match change {
        Change::Add => {
            let provisioned = gain_assignment(org, seq, login, was_assigned).await?;
            let pushed = push_change(org, seq, name, login, change).await?;
            [provisioned, Some(pushed)]
        }
        Change::Remove => {
            // Pushed while the user still counts as assigned (§8).
            let pushed = push_change(org, seq, name, login, change).await?;
            let deprovisioned = lose_assignment(org, seq, login, was_assigned).await?;
            [Some(pushed), deprovisioned]
        }
    };
    Ok(combine(results.into_iter().flatten(), String::new))
}

/// Several people join and leave the group at once (§8.4, §13 "member
/// added or removed"): each joiner is provisioned first where the group's
/// assignment gives the first one, then the changes are pushed together —
///
/// | dialect | requests |
/// |---|---|
/// | OIN | name PATCH (with *Rename app groups*) → one PATCH per [`crate::PushSettings::members_per_patch`] changes: a `remove` op per leaver, then one `add` op with every joiner [DOC O-SCIM20] |
/// | AIW | `GET /Groups/{id}` → `PUT` with the members changed |
///
/// — and then each leaver losing its last assignment is deprovisioned.
pub(crate) async fn change_members(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
    add: &[String],
    remove: &[String],
) -> Result<ActionResult, EngineError> {
    let (group, _) = group_and_app(org, name)?;
    let mut joining = Vec::new();
    let mut leaving = Vec::new();
    for login in add.iter().chain(remove) {
        let user = org.user(login).ok_or_else(|| EngineError::unknown(login))?;
        let entry = (user.profile.login.clone(), user.app_user.assigned);
        let member = group.members.contains(&entry.0);
        match add.contains(login) {
            true if !member && !joining.contains(&entry) => joining.push(entry),
            false if member && !leaving.contains(&entry) => leaving.push(entry),
            _ => {}
        }
    }
    if joining.is_empty() && leaving.is_empty() {
        return Ok(not_sent("no membership changes: nobody joins or leaves"));
    }
    let stored = org
        .group_mut(name)
        .ok_or_else(|| EngineError::unknown_group(name))?;
    stored
        .members
        .retain(|m| !leaving.iter().any(|(l, _)| l == m));
    stored
        .members
        .extend(joining.iter().map(|(login, _)| login.clone()));
    let mut results = Vec::new();
    for (login, was_assigned) in &joining {
        results.extend(gain_assignment(org, seq, login, *was_assigned).await?);
    }
    results.push(push_batch(org, seq, name, &joining, &leaving).await?);
    for (login, was_assigned) in &leaving {
        results.extend(lose_assignment(org, seq, login, *was_assigned).await?);
    }
    Ok(combine(results, String::new))
}

/// The joiners and leavers of [`change_members`] pushed as one membership
/// update; those Okta does not push (not assigned, provisioned and active)
/// are left out of it.
async fn push_batch(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
    joining: &[(String, bool)],
    leaving: &[(String, bool)],
) -> Result<ActionResult, EngineError> {
    let (group, app) = group_and_app(org, name)?;
    let id = match active_link(&group) {
        Ok(id) => id,
        Err(reason) => return Ok(not_sent(&reason)),
    };
    let pushed = |people: &[(String, bool)]| -> Vec<Member> {
        people
            .iter()
            .filter_map(|(login, _)| org.user(login))
            .filter_map(|user| Member::of(user, &app))
            .collect()
    };
    let add = pushed(joining);
    let remove: Vec<String> = pushed(leaving).into_iter().map(|m| m.id).collect();
    if add.is_empty() && remove.is_empty() {
        return Ok(not_sent(
            "nobody joining or leaving is pushed: only assigned, provisioned, active users are (docs/okta-wire.md#8-group-push)",
        ));
    }
    let task = PushTask::new(org, &app, &group);
    let result = update_members(seq, &task, &id, &remove, &add).await;
    store(org, name, Some(id), result)
}

/// The membership change, pushed to the linked app group (§8.4).
async fn push_change(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
    login: &str,
    change: Change,
) -> Result<ActionResult, EngineError> {
    let (group, app) = group_and_app(org, name)?;
    let user = org
        .user(login)
        .cloned()
        .ok_or_else(|| EngineError::unknown(login))?;
    let id = match active_link(&group) {
        Ok(id) => id,
        Err(reason) => return Ok(not_sent(&reason)),
    };
    let Some(member) = Member::of(&user, &app) else {
        return Ok(not_sent(&format!(
            "{login} is not pushed: only assigned, provisioned, active users are (docs/okta-wire.md#8-group-push)"
        )));
    };
    let task = PushTask::new(org, &app, &group);
    let result = match change {
        Change::Add => update_members(seq, &task, &id, &[], &[member]).await,
        Change::Remove => update_members(seq, &task, &id, &[member.id], &[]).await,
    };
    store(org, name, Some(id), result)
}

/// Renames the Okta group; with *Rename app groups* on and the push active,
/// the app group follows (§8.5).
///
/// | dialect | requests |
/// |---|---|
/// | OIN | `PATCH /Groups/{id}` `replace {id, displayName}` |
/// | AIW | `PUT /Groups/{id}` `{schemas, displayName, members:[…full…]}` |
pub(crate) async fn rename_group(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
    new_name: &str,
) -> Result<ActionResult, EngineError> {
    let (group, app) = group_and_app(org, name)?;
    org.rename_group(name, new_name)?;
    let id = match active_link(&group) {
        Ok(id) => id,
        Err(reason) => return Ok(not_sent(&reason)),
    };
    if !app.push.rename_app_groups {
        return Ok(not_sent(
            "Rename app groups to match group name in Okta is off: the app group keeps its \
             name (§8.5)",
        ));
    }
    let (renamed, _) = group_and_app(org, new_name)?;
    let task = PushTask::new(org, &app, &renamed);
    let result = match app.dialect {
        Dialect::Oin => update_name(seq, &task, &id).await,
        Dialect::Aiw => put_renamed(seq, &task, &id).await,
    };
    store(org, new_name, Some(id), result)
}
