//! The group calls the push actions share (okta-scim-wire.md §8): lookup,
//! create, name PATCH, member PATCH, full push, AIW fetch + PUT, delete;
//! and the two dialect flows built from them, a membership update (§8.4)
//! and a full push (Push Now). Each returns the push's failure with Okta's
//! message.

use serde_json::{Map, Value, json};

use super::user_calls::PATCH_OP_SCHEMA;
use crate::admin_message::{EMPTY_GROUP, GroupStep, group_push_message, invalid_json};
use crate::answer::{Answer, Cause, list_page, read, resource_id};
use crate::app::{App, Dialect, NameUpdate};
use crate::call_sequence::CallSequence;
use crate::group::OktaGroup;
use crate::org::{OktaOrg, OktaUser, UserStatus};
use crate::outcome::{Failure, FailureKind};
use crate::request::{ScimRequest, escape_filter_value};

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

    fn json(&self) -> Value {
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

    fn members_json(&self) -> Vec<Value> {
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

/// A membership update the dialect's way (§8.4; §13 "Member added /
/// removed"). OIN: the name PATCH (only with *Rename app groups*, before or
/// after per [`NameUpdate`]) and the member PATCH. AIW: `GET /Groups/{id}` →
/// `PUT` of `{schemas, displayName, members}` where `members` are the
/// fetched ones with the change applied (**UNCONFIRMED**: read-modify-write
/// keeps app-only members, as linking must, §8.3 C9330).
pub(crate) async fn update_members(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    id: &str,
    remove: &[String],
    add: &[Member],
) -> Result<(), Failure> {
    let rename = task.app.push.rename_app_groups;
    match task.app.dialect {
        Dialect::Oin => {
            let before = task.app.push.name_update == NameUpdate::BeforeMembers;
            if rename && before {
                update_name(seq, task, id).await?;
            }
            patch_members(seq, task, id, remove, add).await?;
            if rename && !before {
                update_name(seq, task, id).await?;
            }
            Ok(())
        }
        Dialect::Aiw => {
            let fetched = fetch(seq, task, id).await?;
            let name = display_name(task, &fetched);
            let members = merge_members(&fetched, remove, add);
            let step = GroupStep::Membership;
            put(seq, task, id, &name, members, step).await
        }
    }
}

/// The full push of *Push Now* and push activation: every member, replacing
/// the app group's (§8.4 DOC O-SCIM20, O-PLAN C9316, C9320). OIN:
/// `{"op":"replace","path":"members","value":[…]}`. AIW: `GET` → `PUT` with
/// Okta's members only (**UNCONFIRMED**).
pub(crate) async fn push_all(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    id: &str,
) -> Result<(), Failure> {
    match task.app.dialect {
        Dialect::Oin => {
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
        Dialect::Aiw => {
            let fetched = fetch(seq, task, id).await?;
            let name = display_name(task, &fetched);
            put(
                seq,
                task,
                id,
                &name,
                task.members_json(),
                GroupStep::Membership,
            )
            .await
        }
    }
}

/// AIW rename: `PUT /Groups/{id}` `{schemas, displayName, members:[…full…]}`
/// with Okta's members, no `GET` first (§8.5 DOC O-SCIM20).
pub(crate) async fn put_renamed(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    id: &str,
) -> Result<(), Failure> {
    put(
        seq,
        task,
        id,
        &task.name,
        task.members_json(),
        GroupStep::Update,
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

/// AIW: `PUT /Groups/{id}` `{schemas, displayName, members}` (§8.5 shape).
async fn put(
    seq: &mut CallSequence<'_>,
    task: &PushTask<'_>,
    id: &str,
    display_name: &str,
    members: Vec<Value>,
    step: GroupStep,
) -> Result<(), Failure> {
    let body = json!({"schemas": [GROUP_SCHEMA], "displayName": display_name, "members": members});
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

/// The AIW PUT's `displayName`: Okta's name with *Rename app groups* on, else
/// the app group's own.
fn display_name(task: &PushTask<'_>, fetched: &Value) -> String {
    let own = fetched.get("displayName").and_then(Value::as_str);
    match own {
        Some(own) if !task.app.push.rename_app_groups => own.to_owned(),
        _ => task.name.clone(),
    }
}

/// The fetched members (as `{value, display}`) minus `remove`, plus the
/// `add` members not already there.
fn merge_members(fetched: &Value, remove: &[String], add: &[Member]) -> Vec<Value> {
    let mut ids: Vec<String> = Vec::new();
    let mut members: Vec<Value> = Vec::new();
    let listed = fetched.get("members").and_then(Value::as_array);
    for member in listed.into_iter().flatten() {
        let Some(id) = member.get("value").and_then(Value::as_str) else {
            continue;
        };
        if remove.iter().any(|r| r == id) || ids.iter().any(|seen| seen == id) {
            continue;
        }
        let mut kept = Map::new();
        kept.insert("value".into(), json!(id));
        if let Some(display) = member.get("display").and_then(Value::as_str) {
            kept.insert("display".into(), json!(display));
        }
        ids.push(id.to_owned());
        members.push(Value::Object(kept));
    }
    for member in add {
        if !ids.contains(&member.id) {
            ids.push(member.id.clone());
            members.push(member.json());
        }
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str) -> Member {
        Member {
            id: id.into(),
            display: format!("{id}@acme.com"),
        }
    }

    #[test]
    fn merge_applies_the_change_to_the_fetched_members() {
        let fetched = json!({"members": [
            {"value": "a", "display": "a@acme.com", "$ref": "x", "type": "User"},
            {"value": "b"},
            {"display": "no value"},
            {"value": "a"}
        ]});
        let merged = merge_members(&fetched, &["b".to_owned()], &[member("a"), member("c")]);
        assert_eq!(
            Value::Array(merged).to_string(),
            json!([
                {"value": "a", "display": "a@acme.com"},
                {"value": "c", "display": "c@acme.com"}
            ])
            .to_string()
        );
        assert!(merge_members(&json!({"members": null}), &[], &[]).is_empty());
    }

    #[test]
    fn aiw_put_keeps_the_app_name_when_rename_is_off() {
        let renaming = App::default();
        let mut keeping = App::default();
        keeping.push.rename_app_groups = false;
        let task = |app| PushTask {
            app,
            name: "Okta name".into(),
            members: vec![],
        };
        let fetched = json!({"displayName": "App name"});
        assert_eq!(display_name(&task(&renaming), &fetched), "Okta name");
        assert_eq!(display_name(&task(&keeping), &fetched), "App name");
        assert_eq!(display_name(&task(&keeping), &json!({})), "Okta name");
    }
}
