//! Push Groups (docs/okta-wire.md#8-group-push; §13 rows "Push group, new", "Push
//! group, lookup finds same name", "Push group, Link Group", "Push Now /
//! activate push", "Unlink, delete in app", "Unlink, leave in app /
//! deactivate push").

use super::group_calls::{PushTask, create, delete, lookup, patch_members, update_name};
use super::group_updates::{push_all, update_members};
use crate::admin_message::{GroupStep, group_exists};
use crate::answer::Cause;
use crate::app::{App, Dialect, OnLookupHit};
use crate::call_sequence::CallSequence;
use crate::engine_error::EngineError;
use crate::group::{OktaGroup, PushLink, PushState};
use crate::org::OktaOrg;
use crate::outcome::{ActionResult, Failure, FailureKind};

/// *Push Groups → Create Group* (§8.1, §8.2).
///
/// | case | requests |
/// |---|---|
/// | OIN, new | `GET /Groups?filter=displayName eq "g"…` (0) → `POST /Groups {schemas, displayName, members:[]}` → `PATCH replace {id, displayName}` → `PATCH add members` (if any) |
/// | AIW, new | `GET …filter…` → `POST` (with members) → `GET /Groups/{id}` → `PUT /Groups/{id}` |
/// | lookup hit, [`OnLookupHit::Fail`] | `GET …filter…` → admin error, no `POST` |
/// | lookup hit, [`OnLookupHit::Link`] | `GET …filter…` → as [`link_group`] |
///
/// A 409 on the POST fails the push mapping (§8.2 OBS R-SENTRY); a 400 on
/// the name PATCH marks the push *Error* and no member is pushed (§8.1 step
/// 3 OBS R-MTV113). Okta stores the app group's `id` and the push state.
pub(crate) async fn push_group(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
) -> Result<ActionResult, EngineError> {
    let (group, app) = group_and_app(org, name)?;
    if !app.provisioning.push_groups {
        return Ok(not_sent(
            "Push Groups is off (docs/okta-wire.md#8-group-push)",
        ));
    }
    if let Some(id) = group.push.as_ref().and_then(PushLink::linked_id) {
        return Ok(not_sent(&format!(
            "{} is already pushed to app group {id}; Push Now pushes its members again",
            group.name
        )));
    }
    let task = PushTask::new(org, &app, &group);
    let (id, result) = create_push(seq, &task).await;
    store(org, name, id, result)
}

/// Lookup, then create (or fail, or link); the app group's id when one
/// exists, and how the push ended.
async fn create_push(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
) -> (Option<String>, Result<(), Failure>) {
    if task.app.push.group_lookup_before_create {
        match lookup(seq, task).await {
            Err(failure) => return (None, Err(failure)),
            Ok(Some(found)) => {
                return match task.app.push.on_lookup_hit {
                    OnLookupHit::Fail => (None, Err(name_taken(seq, task, &found))),
                    OnLookupHit::Link => {
                        let result = update_members(seq, task, &found, &[], &task.members).await;
                        (Some(found), result)
                    }
                };
            }
            Ok(None) => {}
        }
    }
    let id = match create(seq, task).await {
        Ok(id) => id,
        Err(failure) => return (None, Err(failure)),
    };
    let result = match task.app.dialect {
        Dialect::Oin => reconcile_and_add(seq, task, &id).await,
        Dialect::Aiw => update_members(seq, task, &id, &[], &task.members).await,
    };
    (Some(id), result)
}

/// OIN after a create: the name PATCH "immediately after each create"
/// whatever the rename setting (§8.1 step 3), then the members the POST did
/// not carry (§8.1 step 4).
async fn reconcile_and_add(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    id: &str,
) -> Result<(), Failure> {
    update_name(seq, task, id).await?;
    let add = if task.app.members_in_post() {
        &[][..]
    } else {
        &task.members[..]
    };
    patch_members(seq, task, id, &[], add).await
}

/// The lookup found the name and Okta does not link (§8.2 default).
fn name_taken(seq: &CallSequence<'_>, task: &PushTask<'_>, found: &str) -> Failure {
    let cause = Cause {
        kind: FailureKind::GroupExists,
        status: None,
        exchange: seq.exchanges().last().copied(),
        text: group_exists(found),
    };
    task.fail(GroupStep::Create, cause)
}

/// *Push Groups → Link Group* to an imported app group (§8.3).
///
/// | dialect | requests |
/// |---|---|
/// | OIN | `PATCH replace {id, displayName}` (only with *Rename app groups*) → `PATCH add members` (if any); no lookup, no POST |
/// | AIW | `GET /Groups/{id}` → `PUT /Groups/{id}` (app members kept, Okta's added) |
///
/// Existing app members stay (§8.3 DOC O-PLAN C9330). The order is
/// **UNCONFIRMED** (inferred from the documented operations).
pub(crate) async fn link_group(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
    app_group: &str,
) -> Result<ActionResult, EngineError> {
    let (group, app) = group_and_app(org, name)?;
    let target = org
        .app_group(app_group)
        .cloned()
        .ok_or_else(|| EngineError::UnknownAppGroup {
            display_name: app_group.to_owned(),
        })?;
    if !app.provisioning.push_groups {
        return Ok(not_sent(
            "Push Groups is off (docs/okta-wire.md#8-group-push)",
        ));
    }
    if let Some(id) = group.push.as_ref().and_then(PushLink::linked_id) {
        return Ok(not_sent(&format!(
            "{} is already linked to app group {id}; unlink it first",
            group.name
        )));
    }
    let task = PushTask::new(org, &app, &group);
    let result = update_members(seq, &task, &target.id, &[], &task.members).await;
    store(org, name, Some(target.id), result)
}

/// *Push Now*: the full push, replacing the app group's members (§8.4). Also
/// the admin's retry of a push in error.
pub(crate) async fn push_now(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
) -> Result<ActionResult, EngineError> {
    let (group, app) = group_and_app(org, name)?;
    let link = group.push.clone();
    let id = match link.as_ref().map(|l| (&l.state, l.linked_id())) {
        Some((PushState::Active | PushState::Error { .. }, Some(id))) => id.to_owned(),
        Some((PushState::Paused, _)) => {
            return Ok(not_sent(
                "the group push is deactivated: activate it (docs/okta-wire.md#86-unlink-delete-pause)",
            ));
        }
        _ => {
            return Ok(not_sent(&format!(
                "{} is not linked to an app group: push or link it first",
                group.name
            )));
        }
    };
    full_push(org, seq, &app, &group, id).await
}

/// *Activate group push*: memberships are pushed at once, in full (§8.6 DOC
/// O-PLAN C9320).
pub(crate) async fn activate_push(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
) -> Result<ActionResult, EngineError> {
    let (group, app) = group_and_app(org, name)?;
    let paused = group
        .push
        .as_ref()
        .filter(|link| link.state == PushState::Paused)
        .and_then(PushLink::linked_id)
        .map(str::to_owned);
    match paused {
        Some(id) => full_push(org, seq, &app, &group, id).await,
        None => Ok(not_sent("the group push is not deactivated")),
    }
}

async fn full_push(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    app: &App,
    group: &OktaGroup,
    id: String,
) -> Result<ActionResult, EngineError> {
    let task = PushTask::new(org, app, group);
    let result = push_all(seq, &task, &id).await;
    store(org, &group.name, Some(id), result)
}

/// *Deactivate group push*: nothing is sent, now or while paused (§8.6 DOC
/// O-PLAN C9319).
pub(crate) fn pause_push(org: &mut OktaOrg, name: &str) -> Result<ActionResult, EngineError> {
    let group = org
        .group_mut(name)
        .ok_or_else(|| EngineError::unknown_group(name))?;
    match &mut group.push {
        Some(link) if link.linked_id().is_some() => {
            link.state = PushState::Paused;
            Ok(not_sent(
                "Okta sends nothing when a group push is deactivated (docs/okta-wire.md#86-unlink-delete-pause)",
            ))
        }
        _ => Ok(not_sent("the group is not pushed")),
    }
}

/// *Unlink pushed group* (§8.6): "Delete the group in the target app" →
/// `DELETE /Groups/{id}` (204); "Leave the group in the target app" →
/// nothing. Users are not deleted (DOC O-PLAN C9318).
pub(crate) async fn unlink_group(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
    delete_in_app: bool,
) -> Result<ActionResult, EngineError> {
    let (group, app) = group_and_app(org, name)?;
    let Some(link) = group
        .push
        .clone()
        .filter(|l| l.state != PushState::Unlinked)
    else {
        return Ok(not_sent("the group is not pushed"));
    };
    let id = match link.app_group_id {
        Some(id) if delete_in_app => id,
        _ => {
            set_link(org, name, None, PushState::Unlinked)?;
            return Ok(not_sent(
                "unlinked, the group left in the app: no request (docs/okta-wire.md#86-unlink-delete-pause)",
            ));
        }
    };
    let task = PushTask::new(org, &app, &group);
    match delete(seq, &task, &id).await {
        Ok(()) => {
            set_link(org, name, None, PushState::Unlinked)?;
            org.app_groups.retain(|g| g.id != id);
            Ok(ActionResult::Succeeded)
        }
        Err(failure) => {
            let message = failure.message.clone();
            set_link(org, name, Some(id), PushState::Error { message })?;
            Ok(ActionResult::Failed(failure))
        }
    }
}

/// A copy of the group and the app, or the scenario error.
pub(super) fn group_and_app(org: &OktaOrg, name: &str) -> Result<(OktaGroup, App), EngineError> {
    let group = org
        .group(name)
        .cloned()
        .ok_or_else(|| EngineError::unknown_group(name))?;
    Ok((group, org.app().clone()))
}

/// The app group id of an active push, or why Okta sends nothing.
pub(super) fn active_link(group: &OktaGroup) -> Result<String, String> {
    let Some(link) = &group.push else {
        return Err(format!("{} is not pushed", group.name));
    };
    match (&link.state, link.linked_id()) {
        (PushState::Active, Some(id)) => Ok(id.to_owned()),
        (PushState::Paused, _) => {
            Err("the group push is deactivated: nothing is sent while paused (docs/okta-wire.md#86-unlink-delete-pause)".to_owned())
        }
        (PushState::Error { .. }, _) => Err(
            "the group push is in error: Okta pushes no membership until the admin retries \
             (Push Now) (§8.1 step 3)"
                .to_owned(),
        ),
        _ => Err(format!("{} is not linked to an app group", group.name)),
    }
}

/// Stores how a push ended: active on success, *Error* with Okta's message
/// on failure; `app_group_id` is the group's id when one exists.
pub(super) fn store(
    org: &mut OktaOrg,
    name: &str,
    app_group_id: Option<String>,
    result: Result<(), Failure>,
) -> Result<ActionResult, EngineError> {
    let state = match &result {
        Ok(()) => PushState::Active,
        Err(failure) => PushState::Error {
            message: failure.message.clone(),
        },
    };
    set_link(org, name, app_group_id, state)?;
    Ok(match result {
        Ok(()) => ActionResult::Succeeded,
        Err(failure) => ActionResult::Failed(failure),
    })
}

fn set_link(
    org: &mut OktaOrg,
    name: &str,
    app_group_id: Option<String>,
    state: PushState,
) -> Result<(), EngineError> {
    let group = org
        .group_mut(name)
        .ok_or_else(|| EngineError::unknown_group(name))?;
    group.push = Some(PushLink {
        app_group_id,
        state,
    });
    Ok(())
}

pub(super) fn not_sent(reason: &str) -> ActionResult {
    ActionResult::NotSent {
        reason: reason.to_owned(),
    }
}
