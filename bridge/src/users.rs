//! `/Users`: SCIM users as 1Password members.
//!
//! The rules (docs/1password.md#2-provisioning-semantics, issue 3):
//! - create → provisioning invitation; an e-mail that an existing, not yet
//!   provisioned member has (any case) → that member is **linked**, never
//!   invited twice; already provisioned → 409 uniqueness (Okta's SPEC test
//!   step 8 expects 409 for a second identical POST);
//! - `active: false` → suspended, `active: true` → reactivated;
//! - DELETE → 204, and the member is suspended, still listed `active: false`
//!   (observed on hosted provisioning, §2.5);
//! - a new `displayName` with no name asserted → given/family name split
//!   from it (§2.3); a new `userName` → e-mail change, pending confirmation;
//! - guests are invisible to SCIM and never touched.

use axum::extract::{Path, Query, State};
use scim_v2::models::errors::ScimType;
use scimulate_backend::{Group, InviteRequest, LinkRequest, Member, MemberKind, ProfileUpdate};
use serde_json::Value;

use crate::faults::Fault;
use crate::listing::{self, ListQuery, RawListQuery};
use crate::patch_request::parse_patch;
use crate::response::{Scim, ScimJson};
use crate::schema::ResourceKind;
use crate::scim_error::ScimError;
use crate::state::{AppState, ScimBase};
use crate::user_resource::{self, DesiredUser, scim_email, split_display_name};
use crate::{filter, projection};

/// `?attributes=` / `?excludedAttributes=` on single-resource answers.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Projection {
    pub attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    pub excluded_attributes: Option<String>,
}

/// `GET /Users`.
pub async fn list(
    State(state): State<AppState>,
    base: ScimBase,
    Query(raw): Query<RawListQuery>,
) -> Result<Scim, ScimError> {
    let mut query = ListQuery::parse(ResourceKind::User, raw, state.faults())?;
    let candidates = match query.filter.as_ref().and_then(filter::simple_eq) {
        Some((attr, value)) if attr == "userName" && state.has(Fault::EqMatchesPrefix) => {
            // The fault: `eq` read as "starts with", the filter not applied again.
            query.compiled = None;
            let prefix = value.to_lowercase();
            state
                .all_members()
                .await?
                .into_iter()
                .filter(|m| m.email.to_lowercase().starts_with(&prefix))
                .collect()
        }
        Some((attr, value)) if attr == "userName" || attr == "emails.value" => {
            state.members_by_email(&value).await?
        }
        Some((attr, value)) if attr == "externalId" => {
            let page = state
                .account()
                .check(state.client().members_by_external_id(&value).await)?;
            page.items
        }
        Some((attr, value)) if attr == "id" => {
            state.visible_member(&value).await?.into_iter().collect()
        }
        None if query.compiled.is_none() => {
            // No filter: only the page is fetched and converted.
            let (total, page) = state.member_page(query.offset(), query.count).await?;
            let groups = state.visible_groups().await?;
            let resources = page
                .iter()
                .map(|member| to_scim(member, &groups, &base.0))
                .collect();
            return listing::answer_page(&query, resources, total, state.faults());
        }
        _ => state.all_members().await?,
    };
    let groups = state.visible_groups().await?;
    let hide_inactive = query.filter.is_some() && state.has(Fault::FilterHidesInactive);
    let resources = candidates
        .iter()
        .filter(|m| m.kind != MemberKind::Guest)
        .filter(|m| !hide_inactive || m.state.is_active())
        .map(|member| to_scim(member, &groups, &base.0));
    listing::answer(&query, resources, state.faults())
}

/// `GET /Users/{id}`.
pub async fn get(
    State(state): State<AppState>,
    base: ScimBase,
    Path(id): Path<String>,
    Query(projection): Query<Projection>,
) -> Result<Scim, ScimError> {
    let member = state.require_member(&id).await?;
    let groups = state.visible_groups().await?;
    let mut resource = to_scim(&member, &groups, &base.0);
    if state.has(Fault::DropExternalId)
        && let Some(user) = resource.as_object_mut()
    {
        user.remove("externalId");
    }
    if state.has(Fault::MetaInconsistent) {
        if let Some(meta) = resource["meta"].as_object_mut() {
            meta.remove("created");
        }
        resource["meta"]["location"] = serde_json::json!(format!("{}/Users", base.0));
        resource["meta"]["lastModified"] = serde_json::json!("1970-01-01T00:00:00Z");
    }
    Ok(Scim::ok(projection::project(
        ResourceKind::User,
        &resource,
        projection.attributes.as_deref(),
        projection.excluded_attributes.as_deref(),
    )?))
}

/// `POST /Users`.
pub async fn create(
    State(state): State<AppState>,
    base: ScimBase,
    ScimJson(body): ScimJson,
) -> Result<Scim, ScimError> {
    let desired = DesiredUser::from_scim(&body)?;
    let existing = if state.has(Fault::InviteExistingMember) {
        Vec::new()
    } else {
        state.members_by_email(&desired.email).await?
    };
    let member = match existing.into_iter().next() {
        Some(member) if member.kind == MemberKind::Guest && !state.has(Fault::LinkGuests) => {
            return Err(ScimError::conflict(format!(
                "{} belongs to a guest of this 1Password account; guests are not managed by \
                 provisioning (invite them as a member in 1Password first, or use another e-mail)",
                desired.email
            )));
        }
        Some(member) if member.provisioned && member.kind != MemberKind::Guest => {
            return Err(ScimError::conflict(format!(
                "a user with userName {} already exists: {}; look it up with \
                 filter=userName eq \"{}\" and update it instead",
                desired.email,
                user_resource::location(&base.0, &member.id),
                desired.email
            )));
        }
        // An existing member Okta has not provisioned yet: link, don't invite.
        Some(member) => reconcile(&state, member, &desired, true).await?,
        None => invite(&state, &desired).await?,
    };
    let groups = state.visible_groups().await?;
    let resource = to_scim(&member, &groups, &base.0);
    let location = user_resource::location(&base.0, &member.id);
    Ok(state.created(resource, &location))
}

async fn invite(state: &AppState, desired: &DesiredUser) -> Result<Member, ScimError> {
    let (given_name, family_name, display_name) = desired.names();
    let request = InviteRequest {
        email: desired.email.clone(),
        given_name,
        family_name,
        display_name: Some(display_name),
        external_id: desired.external_id.clone(),
    };
    let member = state
        .account()
        .check(state.client().invite(&request).await)?;
    if desired.active != Some(false) {
        Ok(member)
    } else {
        deactivate(state, member).await
    }
}

/// `PUT /Users/{id}`: the body is the whole user (RFC 7644 §3.5.1). Name
/// parts left out keep their values (§3.5.1 lets the provider choose); a
/// displayName left out is cleared to the account's default, the names
/// joined (Okta's PUT leaves out what its admin cleared,
/// docs/okta-wire.md#4-profile-updates).
pub async fn replace(
    State(state): State<AppState>,
    base: ScimBase,
    Path(id): Path<String>,
    ScimJson(body): ScimJson,
) -> Result<Scim, ScimError> {
    let member = state.require_member(&id).await?;
    check_body_id(&body, &member.id)?;
    let desired = DesiredUser::from_scim(&body)?;
    let names_asserted = desired.given_name.is_some() || desired.family_name.is_some();
    let member = reconcile(&state, member, &desired, names_asserted).await?;
    respond(&state, member, &base).await
}

/// `PATCH /Users/{id}`: applied to the current resource, then reconciled
/// like a PUT of the result (RFC 7644 §3.5.2).
pub async fn patch(
    State(state): State<AppState>,
    base: ScimBase,
    Path(id): Path<String>,
    ScimJson(body): ScimJson,
) -> Result<Scim, ScimError> {
    let member = state.require_member(&id).await?;
    let operations = parse_patch(&body, state.faults())?;
    let groups = state.visible_groups().await?;
    let current = to_scim(&member, &groups, &base.0);
    let patched = crate::patch::apply(ResourceKind::User, &current, &operations)?;
    let desired = DesiredUser::from_scim(&patched)?;
    let names_asserted = patched.get("name") != current.get("name");
    let member = reconcile(&state, member, &desired, names_asserted).await?;
    if state.has(Fault::DeleteInsteadOfSuspend) && desired.active == Some(false) {
        return Ok(Scim::no_content());
    }
    respond(&state, member, &base).await
}

/// `DELETE /Users/{id}`: 1Password suspends; the user stays listed with
/// `active: false` (docs/1password.md#25-delete). Okta itself never sends it
/// (docs/okta-wire.md#53-no-delete-of-users).
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Scim, ScimError> {
    let member = state.require_member(&id).await?;
    if member.state.is_active() || state.has(Fault::DeleteInsteadOfSuspend) {
        deactivate(&state, member).await?;
    }
    Ok(Scim::no_content())
}

async fn respond(state: &AppState, member: Member, base: &ScimBase) -> Result<Scim, ScimError> {
    let groups = state.visible_groups().await?;
    Ok(Scim::ok(to_scim(&member, &groups, &base.0)))
}

/// A body's `id`, if any, must be the resource's own (RFC 7643 §3.1: id is
/// readOnly and assigned by the provider).
fn check_body_id(body: &Value, id: &str) -> Result<(), ScimError> {
    match body.get("id").and_then(Value::as_str) {
        Some(given) if given != id => Err(ScimError::bad_request(
            ScimType::Mutability,
            format!("id {given:?} in the body differs from {id:?} in the URL; id is readOnly"),
        )),
        _ => Ok(()),
    }
}

/// Brings `member` to the `desired` state, one account call per change, in
/// the order that fails safest: link, e-mail, names, then active.
async fn reconcile(
    state: &AppState,
    mut member: Member,
    desired: &DesiredUser,
    names_asserted: bool,
) -> Result<Member, ScimError> {
    let account = state.account();
    let client = state.client();
    if !member.provisioned {
        // Okta's link flow: filter finds the user → GET → PUT (docs/okta-wire.md#33-linking-an-existing-user). Taking the member over is the "link" effect.
        let request = LinkRequest {
            external_id: desired.external_id.clone(),
        };
        member = account.check(client.link(&member.id, &request).await)?;
    }
    if !desired.email.eq_ignore_ascii_case(scim_email(&member))
        && !state.has(Fault::IgnoreEmailChange)
    {
        member = account.check(
            client
                .request_email_change(&member.id, &desired.email)
                .await,
        )?;
    }
    let update = profile_update(
        &member,
        desired,
        names_asserted,
        Quirks {
            no_split: state.has(Fault::DisplayNameNotSplit),
            keep_cleared: state.has(Fault::KeepClearedAttributes),
        },
    );
    if update != ProfileUpdate::default() {
        member = account.check(client.update_profile(&member.id, &update).await)?;
    }
    if desired.active == Some(true)
        && !member.state.is_active()
        && !state.has(Fault::IgnoreReactivate)
    {
        member = account.check(client.reactivate(&member.id).await)?;
    } else if desired.active == Some(false) && member.state.is_active() {
        member = deactivate(state, member).await?;
    }
    Ok(member)
}

/// The faults that bend how a profile update is read.
#[derive(Clone, Copy, Default)]
struct Quirks {
    /// `display-name-not-split`.
    no_split: bool,
    /// `keep-cleared-attributes`.
    keep_cleared: bool,
}

/// What changes in the member's names and external id. A displayName the
/// resource leaves out (or sends empty) is cleared: the member's display
/// name becomes the account's default, its names joined, as on a create.
fn profile_update(
    member: &Member,
    desired: &DesiredUser,
    names_asserted: bool,
    quirks: Quirks,
) -> ProfileUpdate {
    let asserted = (
        desired
            .given_name
            .clone()
            .unwrap_or_else(|| member.given_name.clone()),
        desired
            .family_name
            .clone()
            .unwrap_or_else(|| member.family_name.clone()),
    );
    let display = match desired
        .display_name
        .clone()
        .filter(|d| !d.trim().is_empty())
    {
        Some(display) => display,
        None if quirks.keep_cleared => member.display_name.clone(),
        None => user_resource::join_name(&asserted.0, &asserted.1),
    };
    let display_changed = display != member.display_name;
    let (given, family) = if display_changed && !names_asserted && !quirks.no_split {
        split_display_name(&display)
    } else {
        asserted
    };
    let changed = |new: String, old: &str| (new != old).then_some(new);
    ProfileUpdate {
        given_name: changed(given, &member.given_name),
        family_name: changed(family, &member.family_name),
        display_name: changed(display, &member.display_name),
        external_id: match &desired.external_id {
            Some(x) if member.external_id.as_deref() != Some(x) => Some(x.clone()),
            _ => None,
        },
    }
}

/// Suspends (or, with the fault, deletes or ignores).
async fn deactivate(state: &AppState, member: Member) -> Result<Member, ScimError> {
    let client = state.client();
    if state.has(Fault::DeleteInsteadOfSuspend) {
        state
            .account()
            .check(client.delete_member(&member.id).await)?;
        return Ok(member);
    }
    if state.has(Fault::IgnoreDeactivate) {
        return Ok(member);
    }
    state.account().check(client.suspend(&member.id).await)
}

fn to_scim(member: &Member, groups: &[Group], base: &str) -> Value {
    let member_groups: Vec<&Group> = groups
        .iter()
        .filter(|g| g.members.iter().any(|m| m == &member.id))
        .collect();
    user_resource::to_scim(member, &member_groups, base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use scimulate_backend::MemberState;

    fn member() -> Member {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        Member {
            id: "M".into(),
            email: "jane@acme.com".into(),
            pending_email: None,
            given_name: "Jane".into(),
            family_name: "Doe".into(),
            display_name: "Jane Doe".into(),
            state: MemberState::Active,
            kind: MemberKind::Member,
            provisioned: true,
            external_id: None,
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    fn desired(display: Option<&str>, given: Option<&str>) -> DesiredUser {
        DesiredUser {
            email: "jane@acme.com".into(),
            given_name: given.map(str::to_string),
            family_name: None,
            display_name: display.map(str::to_string),
            active: Some(true),
            external_id: None,
        }
    }

    #[test]
    fn display_name_change_alone_splits_names() {
        let update = profile_update(
            &member(),
            &desired(Some("Jane Q Public"), None),
            false,
            Quirks::default(),
        );
        assert_eq!(update.given_name, None);
        assert_eq!(update.family_name.as_deref(), Some("Q Public"));
        assert_eq!(update.display_name.as_deref(), Some("Jane Q Public"));
    }

    #[test]
    fn asserted_names_win_over_the_split() {
        let update = profile_update(
            &member(),
            &desired(Some("J Doe"), Some("Janet")),
            true,
            Quirks::default(),
        );
        assert_eq!(update.given_name.as_deref(), Some("Janet"));
        assert_eq!(update.family_name, None);
        assert_eq!(update.display_name.as_deref(), Some("J Doe"));
    }

    #[test]
    fn fault_keeps_names_on_display_change() {
        let update = profile_update(
            &member(),
            &desired(Some("Jane Q Public"), None),
            false,
            Quirks {
                no_split: true,
                ..Quirks::default()
            },
        );
        assert_eq!(update.family_name, None);
    }

    #[test]
    fn a_display_name_left_out_is_cleared_to_the_names() {
        let mut called = member();
        called.display_name = "JD".into();
        let update = profile_update(
            &called,
            &desired(None, Some("Jane")),
            true,
            Quirks::default(),
        );
        assert_eq!(update.display_name.as_deref(), Some("Jane Doe"));
        assert_eq!((update.given_name, update.family_name), (None, None));
        let kept = profile_update(
            &called,
            &desired(None, Some("Jane")),
            true,
            Quirks {
                keep_cleared: true,
                ..Quirks::default()
            },
        );
        assert_eq!(kept, ProfileUpdate::default(), "the fault keeps \"JD\"");
    }

    #[test]
    fn same_values_change_nothing() {
        let update = profile_update(
            &member(),
            &desired(Some("Jane Doe"), Some("Jane")),
            true,
            Quirks::default(),
        );
        assert_eq!(update, ProfileUpdate::default());
    }

    #[test]
    fn body_id_must_match() {
        assert!(check_body_id(&serde_json::json!({"id": "M"}), "M").is_ok());
        assert!(check_body_id(&serde_json::json!({}), "M").is_ok());
        let error = check_body_id(&serde_json::json!({"id": "X"}), "M").unwrap_err();
        assert_eq!(error.scim_type, Some(ScimType::Mutability));
    }
}
