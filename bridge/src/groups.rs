//! `/Groups`: SCIM groups as 1Password groups.
//!
//! **Never a second group with the same name.** A POST whose `displayName`
//! an existing group already has (any case, RFC 7643 §4.2 makes displayName
//! caseExact=false) answers **409 uniqueness** and creates nothing. Why 409
//! and not "adopt the existing group": RFC 7644 §3.3 defines 409 for exactly
//! this, and adopting would hand Okta a group (and its members) the admin
//! never chose to manage — 1Password asks admins to put existing groups in
//! Managed Groups, and Okta has *Link Group* for that (docs/okta-wire.md
//! §8.2-8.3). Okta looks the name up before it POSTs, so a correct setup
//! never reaches the 409. Built-in groups (Owners, Administrators, Team
//! Members…) are invisible to SCIM and their names are taken.

use std::collections::HashSet;

use axum::extract::{Path, Query, State};
use scim_v2::models::errors::ScimType;
use scimulate_backend::{Group, GroupCreate, GroupUpdate};
use serde_json::{Value, json};

use crate::faults::Fault;
use crate::listing::{self, ListQuery, RawListQuery};
use crate::patch_request::parse_patch;
use crate::response::{Scim, ScimJson};
use crate::schema::ResourceKind;
use crate::scim_error::ScimError;
use crate::state::{AppState, ScimBase};
use crate::users::Projection;
use crate::{filter, projection};

/// RFC 7643 §8.7.1: the core Group schema.
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

/// `GET /Groups`. Members are included: Okta reads memberships from the
/// listed groups and sends no `excludedAttributes` (docs/okta-wire.md#7-importing-groups).
pub async fn list(
    State(state): State<AppState>,
    base: ScimBase,
    Query(raw): Query<RawListQuery>,
) -> Result<Scim, ScimError> {
    let query = ListQuery::parse(ResourceKind::Group, raw, state.faults())?;
    let candidates = match query.filter.as_ref().and_then(filter::simple_eq) {
        Some((attr, value)) if attr == "displayName" => {
            let page = state
                .account()
                .check(state.client().groups_by_name(&value).await)?;
            let expose = state.has(Fault::ExposeBuiltinGroups);
            page.items
                .into_iter()
                .filter(|g| expose || g.builtin.is_none())
                .collect()
        }
        Some((attr, value)) if attr == "id" => {
            state.visible_group(&value).await?.into_iter().collect()
        }
        _ => state.visible_groups().await?,
    };
    let resources = candidates.iter().map(|group| to_scim(group, &base.0));
    listing::answer(&query, resources, state.faults())
}

/// `GET /Groups/{id}`.
pub async fn get(
    State(state): State<AppState>,
    base: ScimBase,
    Path(id): Path<String>,
    Query(projection): Query<Projection>,
) -> Result<Scim, ScimError> {
    let group = state.require_group(&id).await?;
    let excluded = projection
        .excluded_attributes
        .as_deref()
        .filter(|_| !state.has(Fault::IgnoreExcludedAttributes));
    Ok(Scim::ok(projection::project(
        ResourceKind::Group,
        &to_scim(&group, &base.0),
        projection.attributes.as_deref(),
        excluded,
    )?))
}

/// `POST /Groups`.
pub async fn create(
    State(state): State<AppState>,
    base: ScimBase,
    ScimJson(body): ScimJson,
) -> Result<Scim, ScimError> {
    let desired = DesiredGroup::from_scim(&body)?;
    let members = match &desired.members {
        Some(ids) => check_members(&state, ids).await?,
        None => Vec::new(),
    };
    let names = state.group_names().lock().await;
    if !state.has(Fault::DuplicateGroups) {
        refuse_taken_name(&state, &desired.name, None).await?;
    }
    let request = GroupCreate {
        name: desired.name.clone(),
        external_id: desired.external_id.clone(),
    };
    let mut group = state
        .account()
        .check(state.client().create_group(&request).await)?;
    drop(names);
    for member in members {
        group = state
            .account()
            .check(state.client().add_member(&group.id, &member).await)?;
    }
    let location = location(&base.0, &group.id);
    Ok(state.created(to_scim(&group, &base.0), &location))
}

/// `PUT /Groups/{id}`: name and the full member list (Okta's AIW dialect).
pub async fn replace(
    State(state): State<AppState>,
    base: ScimBase,
    Path(id): Path<String>,
    ScimJson(body): ScimJson,
) -> Result<Scim, ScimError> {
    let group = state.require_group(&id).await?;
    if let Some(given) = body.get("id").and_then(Value::as_str).filter(|g| *g != id) {
        return Err(ScimError::bad_request(
            ScimType::Mutability,
            format!("id {given:?} in the body differs from {id:?} in the URL; id is readOnly"),
        ));
    }
    let mut desired = DesiredGroup::from_scim(&body)?;
    // PUT replaces: no members in the body means none (RFC 7644 §3.5.1).
    desired.members.get_or_insert_with(Vec::new);
    let group = reconcile(&state, group, &desired).await?;
    Ok(Scim::ok(to_scim(&group, &base.0)))
}

/// `PATCH /Groups/{id}`: Okta's rename (`replace` `{id, displayName}`) and
/// membership operations (docs/okta-wire.md#81-pushing-a-new-group, §8.4).
pub async fn patch(
    State(state): State<AppState>,
    base: ScimBase,
    Path(id): Path<String>,
    ScimJson(body): ScimJson,
) -> Result<Scim, ScimError> {
    let group = state.require_group(&id).await?;
    let body = misread(body, &state);
    let operations = parse_patch(&body, state.faults())?;
    let current = to_scim(&group, &base.0);
    let patched = crate::patch::apply(ResourceKind::Group, &current, &operations)?;
    let mut desired = DesiredGroup::from_scim(&patched)?;
    desired.members.get_or_insert_with(Vec::new);
    let group = reconcile(&state, group, &desired).await?;
    Ok(Scim::ok(to_scim(&group, &base.0)))
}

/// The PATCH body as a bridge with `--fault first-operation-only` or
/// `first-member-only` reads it: only `Operations[0]`, or only the first
/// value of each operation's list. A correct bridge reads it all.
fn misread(mut body: Value, state: &AppState) -> Value {
    let Some(operations) = body.get_mut("Operations").and_then(Value::as_array_mut) else {
        return body;
    };
    if state.has(Fault::FirstOperationOnly) {
        operations.truncate(1);
    }
    if state.has(Fault::FirstMemberOnly) {
        for operation in operations.iter_mut() {
            if let Some(values) = operation.get_mut("value").and_then(Value::as_array_mut) {
                values.truncate(1);
            }
        }
    }
    body
}

/// `DELETE /Groups/{id}` (Okta: unlink pushed group, delete in app, §8.6).
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Scim, ScimError> {
    let group = state.require_group(&id).await?;
    state
        .account()
        .check(state.client().delete_group(&group.id).await)?;
    Ok(Scim::no_content())
}

/// Brings the group to the desired name and members. Everything the bridge
/// can check (the name is free, the members exist) is checked before the
/// first write, so a refused request changes nothing (RFC 7644 §3.5.2: "If
/// one of the operations fails, the entire request fails").
async fn reconcile(
    state: &AppState,
    mut group: Group,
    desired: &DesiredGroup,
) -> Result<Group, ScimError> {
    let client = state.client();
    let account = state.account();
    let (to_add, to_remove) = match &desired.members {
        Some(wanted) => membership_changes(state, &group, wanted).await?,
        None => (Vec::new(), Vec::new()),
    };
    let names = state.group_names().lock().await;
    if desired.name != group.name {
        refuse_taken_name(state, &desired.name, Some(&group.id)).await?;
        if state.has(Fault::RenameCreatesGroup) {
            let request = GroupCreate {
                name: desired.name.clone(),
                external_id: None,
            };
            return account.check(client.create_group(&request).await);
        }
        let update = GroupUpdate {
            name: Some(desired.name.clone()),
            external_id: None,
        };
        group = account.check(client.update_group(&group.id, &update).await)?;
    }
    drop(names);
    if let Some(external_id) = desired
        .external_id
        .as_ref()
        .filter(|x| group.external_id.as_ref() != Some(*x))
    {
        let update = GroupUpdate {
            name: None,
            external_id: Some(external_id.clone()),
        };
        group = account.check(client.update_group(&group.id, &update).await)?;
    }
    let id = group.id.clone();
    for member in &to_remove {
        group = account.check(client.remove_member(&id, member).await)?;
    }
    for member in &to_add {
        group = account.check(client.add_member(&id, member).await)?;
    }
    Ok(group)
}

/// The members to add (checked to exist) and to remove to go from the
/// group's members to `wanted`.
async fn membership_changes(
    state: &AppState,
    group: &Group,
    wanted: &[String],
) -> Result<(Vec<String>, Vec<String>), ScimError> {
    let current: HashSet<&String> = group.members.iter().collect();
    let wanted_set: HashSet<&String> = wanted.iter().collect();
    let to_add: Vec<String> = wanted
        .iter()
        .filter(|m| !current.contains(m))
        .cloned()
        .collect();
    let to_remove: Vec<String> = if state.has(Fault::IgnoreMemberRemoval) {
        Vec::new()
    } else {
        group
            .members
            .iter()
            .filter(|m| !wanted_set.contains(m))
            .cloned()
            .collect()
    };
    Ok((check_members(state, &to_add).await?, to_remove))
}

/// 409 uniqueness when another group (built-in ones included) has `name`.
async fn refuse_taken_name(
    state: &AppState,
    name: &str,
    except: Option<&str>,
) -> Result<(), ScimError> {
    let page = state
        .account()
        .check(state.client().groups_by_name(name).await)?;
    let Some(taken) = page.items.iter().find(|g| Some(g.id.as_str()) != except) else {
        return Ok(());
    };
    Err(match taken.builtin {
        Some(_) => ScimError::conflict(format!(
            "{:?} is a built-in 1Password group; built-in groups are not managed by \
             provisioning, so push the group under another name",
            taken.name
        )),
        None => ScimError::conflict(format!(
            "a group named {:?} already exists in the 1Password account (id {}); link it in \
             Okta (Push Groups → Link Group) instead of creating a second one",
            taken.name, taken.id
        )),
    })
}

/// Member ids must name users SCIM can see (RFC 7644 §3.5.2: invalid values
/// are 400 invalidValue).
async fn check_members(state: &AppState, ids: &[String]) -> Result<Vec<String>, ScimError> {
    let mut checked = Vec::with_capacity(ids.len());
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            continue;
        }
        if state.visible_member(id).await?.is_none() {
            return Err(ScimError::bad_request(
                ScimType::InvalidValue,
                format!(
                    "members: no User with id {id:?}; provision the user before adding them to a group"
                ),
            ));
        }
        checked.push(id.clone());
    }
    Ok(checked)
}

/// `{base}/Groups/{id}`.
pub fn location(base: &str, id: &str) -> String {
    format!("{base}/Groups/{id}")
}

/// The SCIM representation of a group.
pub fn to_scim(group: &Group, base: &str) -> Value {
    let mut resource = json!({
        "schemas": [GROUP_URN],
        "id": group.id,
    });
    if let Some(external_id) = &group.external_id {
        resource["externalId"] = json!(external_id);
    }
    resource["displayName"] = json!(group.name);
    resource["members"] = Value::Array(
        group
            .members
            .iter()
            .map(|m| json!({"value": m, "$ref": format!("{base}/Users/{m}"), "type": "User"}))
            .collect(),
    );
    resource["meta"] = json!({
        "resourceType": "Group",
        "created": group.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "lastModified": group.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "location": location(base, &group.id),
        "version": format!("W/\"{}\"", group.version),
    });
    resource
}

/// What a POST, PUT or patched Group body asks for.
#[derive(Debug, PartialEq)]
struct DesiredGroup {
    name: String,
    external_id: Option<String>,
    /// `None`: the body says nothing about members.
    members: Option<Vec<String>>,
}

impl DesiredGroup {
    fn from_scim(body: &Value) -> Result<Self, ScimError> {
        let has_schema = body
            .get("schemas")
            .and_then(Value::as_array)
            .is_some_and(|s| {
                s.iter().any(|u| {
                    u.as_str()
                        .is_some_and(|u| u.eq_ignore_ascii_case(GROUP_URN))
                })
            });
        if !has_schema {
            return Err(ScimError::bad_request(
                ScimType::InvalidSyntax,
                format!("schemas must contain {GROUP_URN:?} (RFC 7643 §3)"),
            ));
        }
        let name = body
            .get("displayName")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                ScimError::bad_request(
                    ScimType::InvalidValue,
                    "displayName is required and must be a non-empty string (RFC 7643 §4.2)",
                )
            })?;
        let external_id = match body.get("externalId") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(ScimError::bad_request(
                    ScimType::InvalidValue,
                    format!("externalId must be a string, got {other}"),
                ));
            }
        };
        let members = match body.get("members") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                let mut ids = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let id = item.get("value").and_then(Value::as_str).ok_or_else(|| {
                        ScimError::bad_request(
                            ScimType::InvalidValue,
                            format!("members[{i}] needs a string \"value\" (the user's id)"),
                        )
                    })?;
                    ids.push(id.to_string());
                }
                Some(ids)
            }
            Some(other) => {
                return Err(ScimError::bad_request(
                    ScimType::InvalidValue,
                    format!("members must be an array, got {other}"),
                ));
            }
        };
        Ok(DesiredGroup {
            name: name.to_string(),
            external_id,
            members,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_okta_push_body() {
        // docs/okta-wire.md#81-pushing-a-new-group step 2
        let body = json!({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName":"Test SCIMv2","members":[]});
        let desired = DesiredGroup::from_scim(&body).unwrap();
        assert_eq!(desired.name, "Test SCIMv2");
        assert_eq!(desired.members, Some(vec![]));
    }

    #[test]
    fn missing_display_name_is_invalid_value() {
        let body = json!({"schemas":[GROUP_URN]});
        let error = DesiredGroup::from_scim(&body).unwrap_err();
        assert_eq!(error.scim_type, Some(ScimType::InvalidValue));
    }

    #[test]
    fn member_without_value_is_invalid_value() {
        let body = json!({"schemas":[GROUP_URN],"displayName":"x","members":[{"display":"a"}]});
        let error = DesiredGroup::from_scim(&body).unwrap_err();
        assert!(error.detail.contains("members[0]"));
    }
}
