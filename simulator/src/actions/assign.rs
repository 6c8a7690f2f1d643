//! Assign a user to the app (docs/okta-wire.md#3-assigning-a-user; §13 rows "Assign user,
//! new", "exists in app", "exists but `active:false`", "Create Users off").

use super::user_calls::{ActionUser, Found, existence_check, push_profile, record, set_active};
use crate::admin_message::{EMPTY_USER, MATCHING_USER_NOT_FOUND, Step, Task};
use crate::answer::{Answer, Cause, read, resource_id};
use crate::app::{App, Dialect, RelinkOrder};
use crate::call_sequence::CallSequence;
use crate::engine_error::EngineError;
use crate::org::OktaOrg;
use crate::outcome::{ActionResult, Failure, FailureKind};
use crate::request::ScimRequest;
use crate::user::{OktaUser, UserStatus};

/// | case | requests |
/// |---|---|
/// | new | `GET …filter…` (0 results) → `POST /Users` (201) |
/// | exists | `GET …filter…` (1 result) → `GET /Users/{id}` → `PUT /Users/{id}` |
/// | exists, `active:false` | `GET …filter…` → `PATCH {active:true}` → `GET` → `PUT` (OIN, order per [`RelinkOrder`]); AIW: `GET` → `PUT` with `active:true` |
/// | Create Users off, none found | `GET …filter…` → "Matching user not found" |
///
/// Okta stores the app user's `id` from the 201 or the match and the direct
/// assignment; a failure stays on the assignment as its error. A user
/// already provisioned (e.g. through a group) only gains the direct source.
pub(crate) async fn assign(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    login: &str,
) -> Result<ActionResult, EngineError> {
    let user = org.user(login).ok_or_else(|| EngineError::unknown(login))?;
    if let Some(not_active) = not_provisionable(user, login) {
        return Ok(not_active);
    }
    let provisioned = user.app_user.assigned && user.app_user.active == Some(true);
    // The assignment exists in Okta whatever provisioning makes of it.
    org.set_assigned_directly(login, true);
    if provisioned {
        return Ok(ActionResult::NotSent {
            reason: format!("{login} is already assigned and provisioned"),
        });
    }
    provision(org, seq, login).await
}

/// Provisions an assigned user with the assign call sequence above; used
/// when an assigned group brings the user its first assignment (§5.2, §5.4
/// "Group-based assignments come back by themselves").
pub(super) async fn provision(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    login: &str,
) -> Result<ActionResult, EngineError> {
    let user = org
        .user(login)
        .cloned()
        .ok_or_else(|| EngineError::unknown(login))?;
    if let Some(not_active) = not_provisionable(&user, login) {
        return Ok(not_active);
    }
    let app = org.app().clone();
    let who = ActionUser::new(&user, &app);
    let result = create_or_link(org, seq, &app, &who).await;
    match result {
        Ok(id) => record(org, login, Ok(()), |app_user| {
            app_user.scim_id = Some(id);
            app_user.active = Some(true);
        }),
        Err(failure) => record(org, login, Err(failure), |_| {}),
    }
}

/// Why Okta provisions nothing for a user that is not active.
fn not_provisionable(user: &OktaUser, login: &str) -> Option<ActionResult> {
    (user.status != UserStatus::Active).then(|| ActionResult::NotSent {
        reason: format!(
            "only active Okta users are provisioned; {login} is {:?} (docs/okta-wire.md#52-what-triggers-a-deactivation)",
            user.status
        ),
    })
}

/// Existence check, then create or link; the app user's SCIM `id`.
async fn create_or_link(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    app: &App,
    who: &ActionUser<'_>,
) -> Result<String, Failure> {
    let found = existence_check(seq, who).await?;
    create_or_link_found(org, seq, app, who, found).await
}

/// Create or link after the existence check found `found` (§3.2-§3.4).
pub(super) async fn create_or_link_found(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    app: &App,
    who: &ActionUser<'_>,
    found: Option<Found>,
) -> Result<String, Failure> {
    match found {
        Some(found) => link(seq, app, who, &found).await.map(|()| found.id),
        None if app.provisioning.create_users => create(org, seq, app, who).await,
        // §3.4: Okta still looks the user up, then gives up.
        None => Err(Failure {
            kind: FailureKind::MatchingUserNotFound,
            message: who
                .subject
                .task_message(Task::Provisioning, MATCHING_USER_NOT_FOUND),
            status: None,
            exchange: seq.exchanges().last().copied(),
        }),
    }
}

/// `POST /Users` with the mapped body (§3.2); a 2xx without `id` (or
/// without a body) is "Create new user returned empty user."
async fn create(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    app: &App,
    who: &ActionUser<'_>,
) -> Result<String, Failure> {
    let password = org.password_placeholder();
    let body = app.mappings.create_body(who.user, &password);
    let reply = seq.send("create", ScimRequest::post("Users", body)).await;
    let fail = |cause| who.fail(Task::Provisioning, Step::Create, cause);
    match read(&reply) {
        Answer::Success { body } => match body.as_ref().and_then(resource_id) {
            Some(id) => Ok(id.to_owned()),
            None => Err(fail(Cause::in_body(
                &reply,
                FailureKind::EmptyUser,
                EMPTY_USER,
            ))),
        },
        Answer::Failure(cause) => Err(fail(cause)),
    }
}

/// Link to the matched app user and push the profile (§3.3); reactivate it
/// first (or after, per [`RelinkOrder`]) when it is `active:false`.
async fn link(
    seq: &mut CallSequence<'_>,
    app: &App,
    who: &ActionUser<'_>,
    found: &Found,
) -> Result<(), Failure> {
    let inactive = found.active == Some(false);
    match (app.dialect, inactive, app.behaviour.relink_order) {
        (Dialect::Oin, true, RelinkOrder::PatchFirst) => {
            set_active(seq, Dialect::Oin, who, Task::Provisioning, &found.id, true).await?;
            push_profile(seq, app, who, Task::Provisioning, &found.id, None).await
        }
        (Dialect::Oin, true, RelinkOrder::PutFirst) => {
            push_profile(seq, app, who, Task::Provisioning, &found.id, None).await?;
            set_active(seq, Dialect::Oin, who, Task::Provisioning, &found.id, true).await
        }
        (Dialect::Aiw, true, _) => {
            push_profile(seq, app, who, Task::Provisioning, &found.id, Some(true)).await
        }
        (_, false, _) => push_profile(seq, app, who, Task::Provisioning, &found.id, None).await,
    }
}
