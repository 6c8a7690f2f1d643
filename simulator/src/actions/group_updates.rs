//! The dialect flows of a linked group push, built from the requests in
//! `group_calls.rs`: a membership update (docs/okta-wire.md#84-membership-changes), the full
//! push of *Push Now* and activation, and the AIW rename PUT (§8.5).

use serde_json::{Map, Value, json};

use super::group_calls::{
    Member, PushTask, fetch, patch_members, put, replace_members, update_name,
};
use crate::admin_message::GroupStep;
use crate::app::{Dialect, NameUpdate};
use crate::call_sequence::CallSequence;
use crate::outcome::Failure;

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
            // At most `members_per_patch` changes a PATCH, leavers first
            // (§8.4 DOC O-SCIM20: the removes, then one add).
            let size = usize::try_from(task.app.push.members_per_patch.max(1)).unwrap_or(1);
            let (mut remove, mut add) = (remove, add);
            while !remove.is_empty() || !add.is_empty() {
                let removes = remove.len().min(size);
                let adds = add.len().min(size - removes);
                patch_members(seq, task, id, &remove[..removes], &add[..adds]).await?;
                (remove, add) = (&remove[removes..], &add[adds..]);
            }
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
        Dialect::Oin => replace_members(seq, task, id).await,
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

/// The AIW PUT's `displayName`: Okta's name with *Rename app groups* on, else
/// the app group's own.
fn display_name(task: &PushTask<'_>, fetched: &Value) -> String {
    let own = fetched.get("displayName").and_then(Value::as_str);
    match own {
        Some(own) if !task.app.push.rename_app_groups => own.to_owned(),
        _ => task.name.clone(),
    }
}

/// The fetched members (as `{value, display}`, `display` null when the
/// server gave none) minus `remove`, plus the `add` members not already
/// there.
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
        // A member the server gave no `display` goes back with `"display":
        // null`, never without the key (docs/okta-wire.md#84-membership-changes,
        // recorded R-SCIMGW95).
        let display = member.get("display").and_then(Value::as_str);
        kept.insert("display".into(), display.map_or(Value::Null, |d| json!(d)));
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
    use crate::app::App;

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
        // Issue 14: a member without `display` keeps the key, null.
        let merged = merge_members(&fetched, &[], &[]);
        assert_eq!(
            Value::Array(merged).to_string(),
            json!([
                {"value": "a", "display": "a@acme.com"},
                {"value": "b", "display": null}
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
