//! The group requests the push actions share (docs/okta-wire.md#8-group-push):
//! lookup, create, name PATCH, member PATCH, AIW fetch and PUT, delete. Each
//! returns the push's failure with Okta's message. The dialect flows built
//! from them are in `group_updates.rs`.

use serde_json::{Value, json};

use super::user_calls::PATCH_OP_SCHEMA;
use crate::admin_message::{EMPTY_GROUP, GroupStep, group_push_message, invalid_json};
use crate::answer::{Answer, Cause, list_page, read, resource_id};
use crate::app::App;
use crate::call_sequence::CallSequence;
use crate::group::OktaGroup;
use crate::org::OktaOrg;
use crate::outcome::{Failure, FailureKind};
use crate::request::{ScimRequest, escape_filter_value};
use crate::user::{OktaUser, UserStatus};

/// The SCIM core Group schema URN.
pub(crate) const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

/// A member as Okta pushes it: `{"value": <SCIM user id>, "display":
/// <userName>}`, no `type`, no `$ref` (§8.4 DOC-old O-PROTO2019, OBS
/// R-SDK419).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    pub(crate) id: String,
    pub(crate) display: String,
}

impl Member {
    /// The member of `user`, when Okta pushes it: assigned, provisioned (has
    /// a SCIM id) and not deactivated (§8 DOC O-SCIM20, H-PUSHPRE: "inactive
    /// Okta users are never pushed"). Suspended users keep their
    /// memberships (§5.2 DOC O-PLAN C9295) and stay members
    /// (**UNCONFIRMED** for a push made while suspended).
    pub(crate) fn of(user: &OktaUser, app: &App) -> Option<Self> {
        let app_user = &user.app_user;
        let pushed = app_user.assigned
            && app_user.active != Some(false)
            && user.status != UserStatus::Deprovisioned;
        Some(Self {
            id: app_user.scim_id.clone().filter(|_| pushed)?,
            display: app.mappings.user_name(user),
        })
    }

    pub(crate) fn json(&self) -> Value {
        json!({"value": self.id, "display": self.display})
    }
}

/// The group a push task is about.
#[derive(Debug, Clone)]
pub(crate) struct PushTask<'a> {
    pub(crate) app: &'a App,
    /// The Okta group's name: the app group's target `displayName`.
    pub(crate) name: String,
    /// Every member Okta pushes, in the group's order.
    pub(crate) members: Vec<Member>,
}

impl<'a> PushTask<'a> {
    pub(crate) fn new(org: &OktaOrg, app: &'a App, group: &OktaGroup) -> Self {
        let members = group
            .members
            .iter()
            .filter_map(|login| org.user(login))
            .filter_map(|user| Member::of(user, app))
            .collect();
        Self {
            app,
            name: group.name.clone(),
            members,
        }
    }

    /// The push's failure at `step`, with Okta's whole message.
    pub(crate) fn fail(&self, step: GroupStep, cause: Cause) -> Failure {
        let message = group_push_message(&self.name, step, &cause.text);
        cause.into_failure(message)
    }

    pub(crate) fn members_json(&self) -> Vec<Value> {
        self.members.iter().map(Member::json).collect()
    }
}

/// `GET /Groups?filter=displayName eq "…"&startIndex=1&count=100` (§8.1 step
/// 1). The id of the listed group whose `displayName` is exactly the name;
/// `None` for none or a SCIM 404. Other groups (a server ignoring the
/// filter) are not hits: "the lookup misses" and Okta POSTs (§8.2).
pub(crate) async fn lookup(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
) -> Result<Option<String>, Failure> {
    let request = ScimRequest::lookup("Groups", "displayName", &task.name);
    let reply = seq.send("group lookup", request).await;
    let fail = |cause| task.fail(GroupStep::Verify, cause);
    if reply.error.is_none() && reply.response.as_ref().is_some_and(|r| r.status == 404) {
        return Ok(None);
    }
    let body = match read(&reply) {
        Answer::Success { body: Some(body) } => body,
        Answer::Success { body: None } => {
            let cause = Cause::in_body(&reply, FailureKind::InvalidJson, invalid_json(""));
            return Err(fail(cause));
        }
        Answer::Failure(cause) => return Err(fail(cause)),
    };
    let page = list_page(&body)
        .map_err(|text| fail(Cause::in_body(&reply, FailureKind::InvalidJson, text)))?;
    let name = Some(task.name.as_str());
    let Some(hit) = page
        .resources
        .iter()
        .find(|g| g.get("displayName").and_then(Value::as_str) == name)
    else {
        return Ok(None);
    };
    match resource_id(hit) {
        Some(id) => Ok(Some(id.to_owned())),
        None => Err(fail(Cause::in_body(
            &reply,
            FailureKind::InvalidJson,
            "Invalid list response: the matching group has no id",
        ))),
    }
}

/// `POST /Groups {schemas, displayName, members}` (§8.1 step 2): `members`
/// empty unless [`App::members_in_post`]. The answer must carry the `id`.
pub(crate) async fn create(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
) -> Result<String, Failure> {
    let members = if task.app.members_in_post() {
        task.members_json()
    } else {
        Vec::new()
    };
    let body = json!({"schemas": [GROUP_SCHEMA], "displayName": task.name, "members": members});
    let reply = seq
        .send("create group", ScimRequest::post("Groups", body))
        .await;
    let fail = |cause| task.fail(GroupStep::Create, cause);
    match read(&reply) {
        Answer::Success { body } => match body.as_ref().and_then(resource_id) {
            Some(id) => Ok(id.to_owned()),
            None => Err(fail(Cause::in_body(
                &reply,
                FailureKind::EmptyGroup,
                EMPTY_GROUP,
            ))),
        },
        Answer::Failure(cause) => Err(fail(cause)),
    }
}

/// OIN name PATCH: `{"op":"replace","value":{"id":…,"displayName":…}}`, no
/// `path` (§8.1 step 3, §8.5 DOC O-SCIM20).
pub(crate) async fn update_name(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    id: &str,
) -> Result<(), Failure> {
    let body = patch_op(vec![json!({
        "op": "replace",
        "value": {"id": id, "displayName": task.name}
    })]);
    let request = ScimRequest::patch("Groups", id, body);
    send(seq, task, "update group name", request, GroupStep::Update).await
}

/// OIN member PATCH: one `remove` op per removed member (filter path, no
/// `value`), then one `add` op with every added member (§8.4 DOC O-SCIM20).
/// Nothing is sent when both are empty.
pub(crate) async fn patch_members(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    id: &str,
    remove: &[String],
    add: &[Member],
) -> Result<(), Failure> {
    let mut operations: Vec<Value> = remove
        .iter()
        .map(|member| {
            let path = format!("members[value eq \"{}\"]", escape_filter_value(member));
            json!({"op": "remove", "path": path})
        })
        .collect();
    if !add.is_empty() {
        let value: Vec<Value> = add.iter().map(Member::json).collect();
        operations.push(json!({"op": "add", "path": "members", "value": value}));
    }
    if operations.is_empty() {
        return Ok(());
    }
    let request = ScimRequest::patch("Groups", id, patch_op(operations));
    send(
        seq,
        task,
        "update group members",
        request,
        GroupStep::Membership,
    )
    .await
}

/// OIN full push: `{"op":"replace","path":"members","value":[…]}` with
/// every member (§8.4 DOC O-SCIM20).
pub(crate) async fn replace_members(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    id: &str,
) -> Result<(), Failure> {
    let body = patch_op(vec![json!({
        "op": "replace",
        "path": "members",
        "value": task.members_json()
    })]);
    let request = ScimRequest::patch("Groups", id, body);
    send(
        seq,
        task,
        "push group members",
        request,
        GroupStep::Membership,
    )
    .await
}

/// AIW: `GET /Groups/{id}`; the group, which must be a JSON object (§7: also
/// how Okta sees "if the Group object still exists").
pub(crate) async fn fetch(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    id: &str,
) -> Result<Value, Failure> {
    let reply = seq
        .send("fetch group", ScimRequest::get("Groups", id))
        .await;
    let fail = |cause| task.fail(GroupStep::Fetch, cause);
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
            "Invalid group resource: the body is not a JSON object",
        ))),
        Answer::Failure(cause) => Err(fail(cause)),
    }
}

/// `DELETE /Groups/{id}`, expecting 204 (any 2xx accepted) (§8.6).
pub(crate) async fn delete(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    id: &str,
) -> Result<(), Failure> {
    let request = ScimRequest::delete("Groups", id);
    send(seq, task, "delete group", request, GroupStep::Delete).await
}

/// AIW: `PUT /Groups/{id}` `{schemas, id, displayName, members}` (§8.5; the
/// `id` as in the recorded PUT, docs/okta-wire.md#84-membership-changes
/// R-SCIMGW95).
pub(crate) async fn put(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    id: &str,
    display_name: &str,
    members: Vec<Value>,
    step: GroupStep,
) -> Result<(), Failure> {
    let body = json!({
        "schemas": [GROUP_SCHEMA],
        "id": id,
        "displayName": display_name,
        "members": members
    });
    let request = ScimRequest::put("Groups", id, body);
    send(seq, task, "put group", request, step).await
}

/// Sends `request`; any 2xx is success, with or without a body, `members`
/// `null` included (§2.3, §8.4 DOC O-SCIM20).
async fn send(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    step_label: &str,
    request: ScimRequest,
    step: GroupStep,
) -> Result<(), Failure> {
    let reply = seq.send(step_label, request).await;
    match read(&reply) {
        Answer::Success { .. } => Ok(()),
        Answer::Failure(cause) => Err(task.fail(step, cause)),
    }
}

fn patch_op(operations: Vec<Value>) -> Value {
    json!({"schemas": [PATCH_OP_SCHEMA], "Operations": operations})
}
