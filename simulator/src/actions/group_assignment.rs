//! Assign a group to the app, or remove its assignment (docs/okta-wire.md
//! §5.2 "Unassigning the app (directly, or removing the user from an
//! assigned group)"; §13 rows "Assign user, …" and "Unassign user / remove
//! from assigned group"), and the per-user steps membership changes share.
//!
//! Okta runs one provisioning task per user: one *Provision User* action
//! for 7 users gave "a filter plus create-or-link per user" (§11 OBS
//! R-ROSTR), and Okta "makes one request per resource operation" (no bulk,
//! §11). So each member gets exactly the call sequence of a direct assign or
//! unassign, one member after the other in member order (concurrency across
//! users is **UNCONFIRMED**, §11: sequential by default), and a failed member
//! does not stop the others. The admin action fails with the first failure.

use super::assign::provision;
use super::lifecycle::deactivate_app_user;
use crate::call_sequence::CallSequence;
use crate::engine_error::EngineError;
use crate::org::OktaOrg;
use crate::outcome::ActionResult;

/// *Assign to Groups*: marks the group assigned; every member that was not
/// assigned yet is provisioned.
///
/// | per member gaining its first assignment | requests |
/// |---|---|
/// | as [`crate::AdminAction::Assign`] | `GET …filter…` → `POST /Users`, or link (`GET` → `PUT`, §3.3), or "Matching user not found" (§3.4) |
///
/// Members already assigned (directly or through another group) get nothing;
/// deactivated or suspended members are not provisioned (§5.2).
pub(crate) async fn assign_group(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
) -> Result<ActionResult, EngineError> {
    let group = org
        .group(name)
        .cloned()
        .ok_or_else(|| EngineError::unknown_group(name))?;
    if group.assigned {
        return Ok(not_sent(format!(
            "{} is already assigned to the app",
            group.name
        )));
    }
    let before = assigned_before(org, &group.members);
    org.set_group_assigned(name, true);
    let mut results = Vec::new();
    for (login, was_assigned) in before {
        results.extend(gain_assignment(org, seq, &login, was_assigned).await?);
    }
    Ok(combine(results, || {
        format!(
            "no member of {} gains its first assignment: nothing to provision",
            group.name
        )
    }))
}

/// Removes the group's assignment; every member left without an assignment
/// is deprovisioned.
///
/// | per member losing its last assignment | requests |
/// |---|---|
/// | as [`crate::AdminAction::Unassign`] | OIN `PATCH /Users/{id}` `replace {active:false}`; AIW `GET` → `PUT active:false` (§5.1); nothing with *Deactivate Users* off |
pub(crate) async fn unassign_group(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    name: &str,
) -> Result<ActionResult, EngineError> {
    let group = org
        .group(name)
        .cloned()
        .ok_or_else(|| EngineError::unknown_group(name))?;
    if !group.assigned {
        return Ok(not_sent(format!(
            "{} is not assigned to the app",
            group.name
        )));
    }
    let before = assigned_before(org, &group.members);
    org.set_group_assigned(name, false);
    let mut results = Vec::new();
    for (login, was_assigned) in before {
        results.extend(lose_assignment(org, seq, &login, was_assigned).await?);
    }
    Ok(combine(results, || {
        format!(
            "no member of {} loses its last assignment: nothing is sent (docs/okta-wire.md#52-what-triggers-a-deactivation)",
            group.name
        )
    }))
}

/// Provisions the user when its assignment sources just changed and it
/// became assigned (`was_assigned` false); `None` when nothing is to do.
pub(super) async fn gain_assignment(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    login: &str,
    was_assigned: bool,
) -> Result<Option<ActionResult>, EngineError> {
    if was_assigned || !org.refresh_assignment(login) {
        return Ok(None);
    }
    provision(org, seq, login).await.map(Some)
}

/// Deprovisions the user when its assignment sources just changed and it
/// is no longer assigned (`was_assigned` true); `None` when nothing is to
/// do.
pub(super) async fn lose_assignment(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    login: &str,
    was_assigned: bool,
) -> Result<Option<ActionResult>, EngineError> {
    if org.refresh_assignment(login) || !was_assigned {
        return Ok(None);
    }
    deactivate_app_user(org, seq, login, was_assigned)
        .await
        .map(Some)
}

/// One verdict for the tasks of one admin action: the first failure, else
/// success when any task sent its requests, else why nothing was sent (each
/// distinct reason once, in order; `nothing` when there was no task).
pub(super) fn combine(
    results: impl IntoIterator<Item = ActionResult>,
    nothing: impl FnOnce() -> String,
) -> ActionResult {
    let mut succeeded = false;
    let mut reasons: Vec<String> = Vec::new();
    for result in results {
        match result {
            ActionResult::Failed(failure) => return ActionResult::Failed(failure),
            ActionResult::Succeeded => succeeded = true,
            ActionResult::NotSent { reason } => {
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
        }
    }
    if succeeded {
        ActionResult::Succeeded
    } else if reasons.is_empty() {
        not_sent(nothing())
    } else {
        not_sent(reasons.join("; "))
    }
}

/// Each member's login and whether it was assigned before the change.
fn assigned_before(org: &OktaOrg, members: &[String]) -> Vec<(String, bool)> {
    members
        .iter()
        .map(|login| {
            let assigned = org.user(login).is_some_and(|u| u.app_user.assigned);
            (login.clone(), assigned)
        })
        .collect()
}

fn not_sent(reason: String) -> ActionResult {
    ActionResult::NotSent { reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Failure, FailureKind};

    fn failed(message: &str) -> ActionResult {
        ActionResult::Failed(Failure {
            kind: FailureKind::Conflict,
            message: message.into(),
            status: Some(409),
            exchange: Some(1),
        })
    }

    fn reason(text: &str) -> ActionResult {
        not_sent(text.to_owned())
    }

    #[test]
    fn the_first_failure_wins_then_any_success() {
        let nothing = || "none".to_owned();
        let results = [
            ActionResult::Succeeded,
            failed("first"),
            reason("off"),
            failed("second"),
        ];
        assert_eq!(combine(results, nothing), failed("first"));
        let results = [reason("off"), ActionResult::Succeeded];
        assert_eq!(combine(results, nothing), ActionResult::Succeeded);
        let results = [reason("off"), reason("suspended"), reason("off")];
        assert_eq!(combine(results, nothing), reason("off; suspended"));
        assert_eq!(combine([], nothing), reason("none"));
    }
}
