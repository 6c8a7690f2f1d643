//! The user calls several actions share: the existence check (§3.1), the
//! fetch-merge-PUT profile push (§3.3, §4) and the (de)activation in each
//! dialect (§5.1, §5.4). Each returns the task's failure with Okta's message.

use serde_json::{Value, json};

use crate::admin_message::{Step, Subject, Task, invalid_json};
use crate::answer::{Answer, Cause, first_resource, read, resource_id};
use crate::app::{App, Dialect};
use crate::call_sequence::CallSequence;
use crate::engine_error::EngineError;
use crate::org::OktaOrg;
use crate::outcome::{ActionResult, Failure, FailureKind};
use crate::request::ScimRequest;
use crate::user::{AppUser, OktaUser};

/// The PatchOp message URN (RFC 7644 §3.5.2).
pub(crate) const PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The user the action is about, and how Okta's messages name it.
#[derive(Debug, Clone)]
pub(crate) struct ActionUser<'u> {
    pub(crate) user: &'u OktaUser,
    pub(crate) subject: Subject,
}

impl<'u> ActionUser<'u> {
    pub(crate) fn new(user: &'u OktaUser, app: &App) -> Self {
        let profile = &user.profile;
        let display_name = profile
            .display_name
            .clone()
            .unwrap_or_else(|| format!("{} {}", profile.first_name, profile.last_name));
        Self {
            user,
            subject: Subject {
                user_name: app.mappings.user_name(user),
                display_name,
                app: app.name.clone(),
            },
        }
    }

    /// The task's failure at `step`, with Okta's whole message.
    pub(crate) fn fail(&self, task: Task, step: Step, cause: Cause) -> Failure {
        let message = self.subject.message(task, step, &cause.text);
        cause.into_failure(message)
    }
}

/// A user found by the existence check.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) id: String,
    /// Its `active`, when the list showed one.
    pub(crate) active: Option<bool>,
}

/// `GET /Users?filter=userName eq "…"&startIndex=1&count=100` (§3.1). A 200
/// ListResponse with no resource, or a SCIM 404, means not found.
pub(crate) async fn existence_check(
    seq: &mut CallSequence<'_>,
    who: &ActionUser<'_>,
) -> Result<Option<Found>, Failure> {
    let request = ScimRequest::lookup("Users", "userName", &who.subject.user_name);
    let reply = seq.send("existence check", request).await;
    let fail = |cause| who.fail(Task::Provisioning, Step::Verify, cause);
    if reply.error.is_none() && reply.response.as_ref().is_some_and(|r| r.status == 404) {
        return Ok(None);
    }
    let body = match read(&reply) {
        Answer::Success { body: Some(body) } => body,
        Answer::Success { body: None } => {
            return Err(fail(Cause::in_body(
                &reply,
                FailureKind::InvalidJson,
                invalid_json(""),
            )));
        }
        Answer::Failure(cause) => return Err(fail(cause)),
    };
    let resource = match first_resource(&body) {
        Ok(resource) => resource,
        Err(text) => return Err(fail(Cause::in_body(&reply, FailureKind::InvalidJson, text))),
    };
    let Some(resource) = resource else {
        return Ok(None);
    };
    match resource_id(resource) {
        Some(id) => Ok(Some(Found {
            id: id.to_owned(),
            active: resource.get("active").and_then(Value::as_bool),
        })),
        None => Err(fail(Cause::in_body(
            &reply,
            FailureKind::InvalidJson,
            "Invalid list response: the matching resource has no id",
        ))),
    }
}

/// `GET /Users/{id}` → `PUT /Users/{id}` with Okta's mapped values merged
/// into the fetched resource (§3.3 OBS R-FZ, §4 DOC O-SCIM20). `active`
/// forces the `active` value (AIW relink, §0).
pub(crate) async fn push_profile(
    seq: &mut CallSequence<'_>,
    app: &App,
    who: &ActionUser<'_>,
    task: Task,
    id: &str,
    active: Option<bool>,
) -> Result<(), Failure> {
    let fetched = fetch(seq, who, task, id, "fetch before profile push").await?;
    let mut body = app
        .mappings
        .merge_into(who.user, fetched, app.behaviour.cleared);
    if let (Some(active), Some(map)) = (active, body.as_object_mut()) {
        map.insert("active".into(), json!(active));
    }
    let reply = seq
        .send("profile push", ScimRequest::put("Users", id, body))
        .await;
    match read(&reply) {
        Answer::Success { .. } => Ok(()),
        Answer::Failure(cause) => Err(who.fail(task, Step::Update, cause)),
    }
}

/// `PATCH /Users/{id}` with a profile update's PatchOp (§4, OIN with
/// `user_update = patch`); 200 with the user or 204 (§2.3).
pub(crate) async fn patch_profile(
    seq: &mut CallSequence<'_>,
    who: &ActionUser<'_>,
    id: &str,
    body: Value,
) -> Result<(), Failure> {
    let reply = seq
        .send("profile push", ScimRequest::patch("Users", id, body))
        .await;
    match read(&reply) {
        Answer::Success { .. } => Ok(()),
        Answer::Failure(cause) => Err(who.fail(Task::ProfileUpdate, Step::Update, cause)),
    }
}

/// Sets the app user's `active` the dialect's way: OIN `PATCH` path-less
/// `replace` `{"active":…}` (§5.1, §5.4 DOC O-SCIM20); AIW `GET` → `PUT`
/// of the fetched resource with `active` flipped and nothing else changed
/// (§5.1 OBS R-FZ: the deprovision PUT carried the server's own values).
pub(crate) async fn set_active(
    seq: &mut CallSequence<'_>,
    dialect: Dialect,
    who: &ActionUser<'_>,
    task: Task,
    id: &str,
    active: bool,
) -> Result<(), Failure> {
    let step = if active {
        Step::Activate
    } else {
        Step::Deactivate
    };
    let name = if active { "activate" } else { "deactivate" };
    let reply = match dialect {
        Dialect::Oin => {
            let body = json!({
                "schemas": [PATCH_OP_SCHEMA],
                "Operations": [{"op": "replace", "value": {"active": active}}]
            });
            seq.send(name, ScimRequest::patch("Users", id, body)).await
        }
        Dialect::Aiw => {
            let fetch_step = format!("fetch before {name}");
            let mut body = fetch(seq, who, task, id, &fetch_step).await?;
            if let Some(map) = body.as_object_mut() {
                map.insert("active".into(), json!(active));
            }
            seq.send(name, ScimRequest::put("Users", id, body)).await
        }
    };
    match read(&reply) {
        Answer::Success { .. } => Ok(()),
        Answer::Failure(cause) => Err(who.fail(task, step, cause)),
    }
}

/// `GET /Users/{id}`: the resource, which must be a JSON object.
async fn fetch(
    seq: &mut CallSequence<'_>,
    who: &ActionUser<'_>,
    task: Task,
    id: &str,
    step: &str,
) -> Result<Value, Failure> {
    let reply = seq.send(step, ScimRequest::get("Users", id)).await;
    let fail = |cause| who.fail(task, Step::Fetch, cause);
    match read(&reply) {
        Answer::Success {
            body: Some(body @ Value::Object(_)),
        } => Ok(body),
        Answer::Success { body: None } => Err(fail(Cause::in_body(
            &reply,
            FailureKind::InvalidJson,
            invalid_json(""),
        ))),
        Answer::Success { body: Some(_) } => Err(fail(Cause::in_body(
            &reply,
            FailureKind::InvalidJson,
            "Invalid user resource: the body is not a JSON object",
        ))),
        Answer::Failure(cause) => Err(fail(cause)),
    }
}

/// Stores how the task ended on the user's assignment: a success clears the
/// assignment's error and applies `on_success`; a failure keeps Okta's
/// message as the assignment's error (§3.2 OBS R-MTV114: an error badge).
pub(crate) fn record(
    org: &mut OktaOrg,
    login: &str,
    result: Result<(), Failure>,
    on_success: impl FnOnce(&mut AppUser),
) -> Result<ActionResult, EngineError> {
    let stored = org
        .user_mut(login)
        .ok_or_else(|| EngineError::unknown(login))?;
    Ok(match result {
        Ok(()) => {
            stored.app_user.error = None;
            on_success(&mut stored.app_user);
            ActionResult::Succeeded
        }
        Err(failure) => {
            stored.app_user.error = Some(failure.message.clone());
            ActionResult::Failed(failure)
        }
    })
}
