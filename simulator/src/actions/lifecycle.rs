//! Deactivate, unassign, reactivate, suspend (docs/okta-wire.md#5-deactivate-unassign-suspend-reactivate; §13
//! rows "Unassign user / remove from assigned group", "Deactivate user in
//! Okta", "Reactivate in Okta", "Suspend / unsuspend").

use super::assign::{create_or_link_found, provision};
use super::user_calls::{ActionUser, existence_check, record, set_active};
use crate::admin_message::Task;
use crate::call_sequence::CallSequence;
use crate::engine_error::EngineError;
use crate::org::OktaOrg;
use crate::outcome::ActionResult;
use crate::user::UserStatus;

/// Unassign (`status` `None`: the direct assignment goes) or deactivate the
/// Okta user (`status` `Some(Deprovisioned)`: Okta removes every assignment
/// first, §5.2).
///
/// | dialect | requests |
/// |---|---|
/// | OIN | `PATCH /Users/{id}` `{"op":"replace","value":{"active":false}}` (§5.1) |
/// | AIW | `GET /Users/{id}` → `PUT /Users/{id}` with `active:false` (§5.1) |
///
/// Nothing is sent when an assigned group still assigns the user (§5.2:
/// only the last source deprovisions), when *Deactivate Users* is off
/// (§5.2) or the user has no app user. Okta never sends `DELETE
/// /Users/{id}` (§5.3).
pub(crate) async fn deprovision(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    login: &str,
    status: Option<UserStatus>,
) -> Result<ActionResult, EngineError> {
    let user = org
        .user_mut(login)
        .ok_or_else(|| EngineError::unknown(login))?;
    let was_assigned = user.app_user.assigned;
    let was_direct = user.app_user.assigned_directly;
    if let Some(status) = status {
        user.status = status;
    }
    org.set_assigned_directly(login, false);
    let groups: Vec<String> = org
        .assigning_groups(login)
        .iter()
        .map(|group| group.name.clone())
        .collect();
    if org.user(login).is_some_and(|user| user.app_user.assigned) {
        let groups = groups.join(", ");
        let reason = if was_direct {
            format!(
                "{login} is still assigned through group {groups}: the app user stays (docs/okta-wire.md#52-what-triggers-a-deactivation)"
            )
        } else {
            format!(
                "{login} is assigned through group {groups}, not directly: remove it from the \
                 group or unassign the group (§5.2)"
            )
        };
        return Ok(ActionResult::NotSent { reason });
    }
    deactivate_app_user(org, seq, login, was_assigned).await
}

/// Deprovisions a user that just lost its last assignment source (§5.1):
/// the dialect's `active:false` call, unless *Deactivate Users* is off or
/// no app user was provisioned (`was_assigned` false: there was none to
/// deprovision).
pub(super) async fn deactivate_app_user(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    login: &str,
    was_assigned: bool,
) -> Result<ActionResult, EngineError> {
    let user = org
        .user(login)
        .cloned()
        .ok_or_else(|| EngineError::unknown(login))?;
    let Some(id) = user.app_user.scim_id.clone().filter(|_| was_assigned) else {
        return Ok(ActionResult::NotSent {
            reason: format!("{login} has no provisioned app user"),
        });
    };
    let app = org.app().clone();
    if !app.provisioning.deactivate_users {
        return Ok(ActionResult::NotSent {
            reason: "Deactivate Users is off: no request is sent (docs/okta-wire.md#52-what-triggers-a-deactivation)".to_owned(),
        });
    }
    let who = ActionUser::new(&user, &app);
    let result = set_active(seq, app.dialect, &who, Task::Deprovisioning, &id, false).await;
    record(org, login, result, |app_user| app_user.active = Some(false))
}

/// Reactivate the Okta user and restore its assignment; Okta looks the
/// user up first, as on every assignment (§3.1), then reactivates the app
/// user it found (§5.4): `GET …filter…` → OIN `PATCH {"active":true}`, AIW
/// `GET` → `PUT` with `active:true`; nobody found → `POST /Users` (§3.2). The end state Okta's tests expect: same `id`,
/// `active:true` (§5.4 DOC O-PLAN C9293, O-CRUD).
///
/// "Group-based assignments come back by themselves" (§5.4): a member of an
/// assigned group is assigned again through it, and one never provisioned is
/// provisioned as by an assign. Direct assignments do not come back: without
/// a group, this action stands for the admin's re-assignment.
pub(crate) async fn reactivate(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    login: &str,
) -> Result<ActionResult, EngineError> {
    let through_group = !org.assigning_groups(login).is_empty();
    let user = org
        .user_mut(login)
        .ok_or_else(|| EngineError::unknown(login))?;
    if user.status == UserStatus::Active
        && user.app_user.assigned
        && user.app_user.active == Some(true)
    {
        return Ok(ActionResult::NotSent {
            reason: format!("{login} is active and so is its app user: nothing to reactivate"),
        });
    }
    user.status = UserStatus::Active;
    if !through_group {
        user.app_user.assigned_directly = true;
    }
    org.refresh_assignment(login);
    let user = org
        .user(login)
        .cloned()
        .ok_or_else(|| EngineError::unknown(login))?;
    let Some(id) = user.app_user.scim_id.clone() else {
        if through_group {
            return provision(org, seq, login).await;
        }
        return Ok(ActionResult::NotSent {
            reason: format!("{login} was never provisioned; assign it instead"),
        });
    };
    let app = org.app().clone();
    let who = ActionUser::new(&user, &app);
    // Re-assigning is assigning: Okta first looks the user up by userName
    // (§3.1: "whenever a user is assigned", DOC O-SCIM20) and acts on what
    // it finds, not on the id it stored.
    let found = match existence_check(seq, &who).await {
        Ok(found) => found,
        Err(failure) => return record(org, login, Err(failure), |_| {}),
    };
    let Some(found) = found else {
        // The app user is gone: the assignment creates it again (§3.2).
        let result = create_or_link_found(org, seq, &app, &who, None).await;
        return match result {
            Ok(new_id) => record(org, login, Ok(()), |app_user| {
                app_user.scim_id = Some(new_id);
                app_user.active = Some(true);
            }),
            Err(failure) => record(org, login, Err(failure), |_| {}),
        };
    };
    if found.id != id {
        tracing::debug!(stored = %id, found = %found.id, "the lookup found another app user");
    }
    let result = set_active(seq, app.dialect, &who, Task::Provisioning, &found.id, true).await;
    record(org, login, result, |app_user| {
        app_user.scim_id = Some(found.id.clone());
        app_user.active = Some(true);
    })
}

/// Suspend or unsuspend the Okta user: "no deprovisioning event … for users
/// that are suspended", and memberships return on unsuspend (§5.2 DOC
/// O-SCIM20, O-PLAN C9295, C9300).
pub(crate) fn set_status(
    org: &mut OktaOrg,
    login: &str,
    status: UserStatus,
) -> Result<ActionResult, EngineError> {
    let user = org
        .user_mut(login)
        .ok_or_else(|| EngineError::unknown(login))?;
    user.status = status;
    Ok(ActionResult::NotSent {
        reason: "Okta sends nothing when a user is suspended or unsuspended (docs/okta-wire.md#52-what-triggers-a-deactivation)".to_owned(),
    })
}
