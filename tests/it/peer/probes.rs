//! The probes: the request sequence every target answers, discovery, Okta's
//! user and group lifecycles, paging, errors and filters, in order, each with
//! what its answer must show.

use serde_json::json;

use super::answer::Answer;
use super::calls::{
    Blocked, Call, GROUP_NAME, GROUP_RENAMED, GROUP_URN, NEEDS_GROUP, NEEDS_USER, UNKNOWN_ID,
    USER_NAME, USER_NAME_OTHER_CASE, crowd_name, crowd_post, group_lookup, group_path,
    okta_set_active, okta_user, page_call, patch, two_members, user_lookup, user_path,
};
use super::discovery::{judge_resource_types, judge_schemas, judge_service_provider_config};
use super::facts::Facts;
use super::judge::Problems;
use super::lists::Page;

/// One SCIM request and what the RFCs or Okta's client require of its
/// answer. Probes run in order on one target; ids learnt by earlier probes
/// feed later ones.
pub(super) struct Probe {
    pub(super) id: &'static str,
    /// What the expectation rests on.
    pub(super) source: &'static str,
    /// The request, or why it cannot be sent (an earlier probe failed).
    pub(super) request: fn(&Facts) -> Result<Call, Blocked>,
    /// Records every way the answer falls short; learns ids.
    pub(super) judge: fn(&Answer, &mut Facts, &mut Problems),
}

pub(super) static PROBES: &[Probe] = &[
    // --- discovery (RFC 7644 §4) ---
    Probe {
        id: "discovery.service-provider-config",
        source: "RFC 7644 §4; RFC 7643 §5",
        request: |_| Ok(Call::get("/ServiceProviderConfig")),
        judge: judge_service_provider_config,
    },
    Probe {
        id: "discovery.resource-types",
        source: "RFC 7644 §4; RFC 7643 §6",
        request: |_| Ok(Call::get("/ResourceTypes")),
        judge: judge_resource_types,
    },
    Probe {
        id: "discovery.schemas",
        source: "RFC 7644 §4; RFC 7643 §7, §4.1.1",
        request: |_| Ok(Call::get("/Schemas")),
        judge: judge_schemas,
    },
    // --- a user's lifecycle as Okta (OIN) sends it ---
    Probe {
        id: "okta.connection-test",
        source: "docs/okta-wire.md#1-connection-test; RFC 7644 §3.4.2, §3.4.2.4",
        request: |_| Ok(Call::get("/Users?startIndex=1&count=2")),
        judge: |a, _, p| {
            p.list(a, Some(Page::new(1, 2)));
        },
    },
    Probe {
        id: "okta.create.lookup-misses",
        source: "docs/okta-wire.md#31-existence-check; RFC 7644 §3.4.2 (no match: 200, totalResults 0)",
        request: |_| Ok(Call::get(&user_lookup(USER_NAME))),
        judge: |a, _, p| {
            p.total(a, Page::new(1, 100), 0);
        },
    },
    Probe {
        id: "okta.create.post-user",
        source: "docs/okta-wire.md#32-create; RFC 7644 §3.3, §3.1; RFC 7643 §3.1, §4.1.1",
        request: |_| {
            Ok(Call::post(
                "/Users",
                okta_user(USER_NAME, "Test", "User", 0),
            ))
        },
        judge: |a, f, p| {
            f.user = p.created_user(a, USER_NAME, "Test", "User");
            if let Some(id) = &f.user {
                // Judged here and on the group create, not on every POST.
                p.location(a, id);
            }
        },
    },
    Probe {
        id: "okta.create.duplicate-is-409",
        source: "RFC 7644 §3.3 (409 uniqueness); Okta SPEC test §12.1 step 8",
        request: |_| {
            Ok(Call::post(
                "/Users",
                okta_user(USER_NAME, "Test", "User", 0),
            ))
        },
        judge: |a, _, p| p.error(a, 409, Some("uniqueness"), false),
    },
    Probe {
        id: "okta.create.lookup-finds-user",
        source: "docs/okta-wire.md#33-linking-an-existing-user; RFC 7644 §3.4.2.2",
        request: |f| {
            f.user.as_ref().ok_or(NEEDS_USER)?;
            Ok(Call::get(&user_lookup(USER_NAME)))
        },
        judge: |a, f, p| p.finds(a, f.user.as_deref()),
    },
    Probe {
        id: "okta.create.lookup-plus-encoded",
        source: "docs/okta-wire.md#31-existence-check (Okta's 2019 form: space as `+`; servers must accept both)",
        request: |f| {
            f.user.as_ref().ok_or(NEEDS_USER)?;
            Ok(Call::get(&user_lookup(USER_NAME).replace("%20", "+")))
        },
        judge: |a, f, p| p.finds(a, f.user.as_deref()),
    },
    Probe {
        id: "filter.user-name-any-case",
        source: "RFC 7643 §4.1.1 (userName case insensitive); RFC 7644 §3.4.2.2 (caseExact decides)",
        request: |f| {
            f.user.as_ref().ok_or(NEEDS_USER)?;
            Ok(Call::get(&user_lookup(USER_NAME_OTHER_CASE)))
        },
        judge: |a, f, p| p.finds(a, f.user.as_deref()),
    },
    Probe {
        id: "user.get-by-id",
        source: "RFC 7644 §3.4.1; Okta SPEC test §12.1 step 7",
        request: |f| Ok(Call::get(&user_path(f)?)),
        judge: |a, f, p| {
            let Some(body) = p.resource(a, &[200], f.user.as_deref()) else {
                return;
            };
            p.user_fields(body, USER_NAME, "Test", "User");
            p.active(body, true);
            f.fetched = Some(body.clone());
        },
    },
    Probe {
        id: "okta.update.put",
        source: "docs/okta-wire.md#4-profile-updates (GET, then PUT the whole user); RFC 7644 §3.5.1",
        request: |f| {
            let mut user = f
                .fetched
                .clone()
                .ok_or("needs the user read by user.get-by-id")?;
            user["name"]["givenName"] = json!("Another");
            Ok(Call::put(&user_path(f)?, user))
        },
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.user.as_deref()) {
                p.user_fields(body, USER_NAME, "Another", "User");
            }
        },
    },
    Probe {
        id: "okta.update.persisted",
        source: "RFC 7644 §3.5.1; Okta CRUD test §12.2 step 5",
        request: |f| Ok(Call::get(&user_path(f)?)),
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.user.as_deref()) {
                p.user_fields(body, USER_NAME, "Another", "User");
            }
        },
    },
    Probe {
        id: "okta.deactivate.patch",
        source: "docs/okta-wire.md#51-deactivate; RFC 7644 §3.5.2 (200 with the resource, or 204)",
        request: |f| Ok(Call::patch(&user_path(f)?, okta_set_active(false))),
        judge: |a, f, p| {
            if let Some(body) = p.patched(a, f.user.as_deref()) {
                p.active(body, false);
            }
        },
    },
    Probe {
        id: "okta.deactivate.shows-inactive",
        source: "docs/okta-wire.md#51-deactivate; Okta CRUD test §12.2 step 6",
        request: |f| Ok(Call::get(&user_path(f)?)),
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.user.as_deref()) {
                p.active(body, false);
            }
        },
    },
    Probe {
        id: "okta.reactivate.patch",
        source: "docs/okta-wire.md#54-reactivate; RFC 7644 §3.5.2 (200 with the resource, or 204)",
        request: |f| Ok(Call::patch(&user_path(f)?, okta_set_active(true))),
        judge: |a, f, p| {
            if let Some(body) = p.patched(a, f.user.as_deref()) {
                p.active(body, true);
            }
        },
    },
    Probe {
        id: "okta.reactivate.shows-active",
        source: "docs/okta-wire.md#54-reactivate (same id, active); Okta CRUD test §12.2 step 7",
        request: |f| Ok(Call::get(&user_path(f)?)),
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.user.as_deref()) {
                p.active(body, true);
            }
        },
    },
    // --- errors ---
    Probe {
        id: "error.unknown-user-is-404",
        source: "RFC 7644 §3.4.1, §3.12; Okta SPEC test §12.1 step 4 (detail)",
        request: |_| Ok(Call::get(&format!("/Users/{UNKNOWN_ID}"))),
        judge: |a, _, p| p.error(a, 404, None, true),
    },
    Probe {
        id: "auth.wrong-token-is-401",
        source: "RFC 7644 §3.12 (401); Okta SPEC test §12.1 step 11",
        request: |_| {
            let mut call = Call::get(&user_lookup(USER_NAME));
            call.wrong_token = true;
            Ok(call)
        },
        judge: |a, _, p| p.error(a, 401, None, true),
    },
    // --- paging over five users ---
    Probe {
        id: "paging.create-user-2",
        source: "docs/okta-wire.md#32-create; RFC 7644 §3.3",
        request: |_| Ok(crowd_post(2)),
        judge: |a, f, p| f.crowd.extend(p.created_crowd_user(a, 2)),
    },
    Probe {
        id: "paging.create-user-3",
        source: "docs/okta-wire.md#32-create; RFC 7644 §3.3",
        request: |_| Ok(crowd_post(3)),
        judge: |a, f, p| f.crowd.extend(p.created_crowd_user(a, 3)),
    },
    Probe {
        id: "paging.create-user-4",
        source: "docs/okta-wire.md#32-create; RFC 7644 §3.3",
        request: |_| Ok(crowd_post(4)),
        judge: |a, f, p| f.crowd.extend(p.created_crowd_user(a, 4)),
    },
    Probe {
        id: "paging.create-user-5",
        source: "docs/okta-wire.md#32-create; RFC 7644 §3.3",
        request: |_| Ok(crowd_post(5)),
        judge: |a, f, p| f.crowd.extend(p.created_crowd_user(a, 5)),
    },
    Probe {
        id: "paging.page-1",
        source: "RFC 7644 §3.4.2, §3.4.2.4; docs/okta-wire.md#6-importing-users (integers, stable order)",
        request: |f| page_call(f, 1),
        judge: |a, f, p| p.page(a, f, 1),
    },
    Probe {
        id: "paging.page-3",
        source: "RFC 7644 §3.4.2, §3.4.2.4; docs/okta-wire.md#6-importing-users (integers, stable order)",
        request: |f| page_call(f, 3),
        judge: |a, f, p| p.page(a, f, 3),
    },
    Probe {
        id: "paging.page-5",
        source: "RFC 7644 §3.4.2, §3.4.2.4; docs/okta-wire.md#6-importing-users (every user exactly once)",
        request: |f| page_call(f, 5),
        judge: |a, f, p| {
            p.page(a, f, 5);
            p.every_user_once(f);
        },
    },
    // --- a pushed group's lifecycle as Okta (OIN) sends it ---
    Probe {
        id: "okta.push-group.lookup-misses",
        source: "docs/okta-wire.md#81-pushing-a-new-group step 1; RFC 7644 §3.4.2 (no match: 200, totalResults 0)",
        request: |_| Ok(Call::get(&group_lookup(GROUP_NAME))),
        judge: |a, _, p| {
            p.total(a, Page::new(1, 100), 0);
        },
    },
    Probe {
        id: "okta.push-group.create",
        source: "docs/okta-wire.md#81-pushing-a-new-group step 2; RFC 7644 §3.3, §3.1",
        request: |_| {
            let group = json!({"schemas": [GROUP_URN], "displayName": GROUP_NAME, "members": []});
            Ok(Call::post("/Groups", group))
        },
        judge: |a, f, p| {
            let Some(body) = p.resource(a, &[201], None) else {
                return;
            };
            p.display_name(body, GROUP_NAME);
            f.group = p.id(body).map(str::to_owned);
            if let Some(id) = &f.group {
                p.location(a, id);
            }
        },
    },
    Probe {
        id: "okta.push-group.lookup-finds-group",
        source: "docs/okta-wire.md#81-pushing-a-new-group step 1; RFC 7644 §3.4.2.2",
        request: |f| {
            f.group.as_ref().ok_or(NEEDS_GROUP)?;
            Ok(Call::get(&group_lookup(GROUP_NAME)))
        },
        judge: |a, f, p| p.finds(a, f.group.as_deref()),
    },
    Probe {
        id: "okta.push-group.rename",
        source: "docs/okta-wire.md#81-pushing-a-new-group step 3, §8.5 (path-less replace); RFC 7644 §3.5.2.3",
        request: |f| {
            let id = f.group.as_ref().ok_or(NEEDS_GROUP)?;
            let body = patch(
                json!([{"op": "replace", "value": {"id": id, "displayName": GROUP_RENAMED}}]),
            );
            Ok(Call::patch(&group_path(f)?, body))
        },
        judge: |a, f, p| {
            if let Some(body) = p.patched(a, f.group.as_deref()) {
                p.display_name(body, GROUP_RENAMED);
            }
        },
    },
    Probe {
        id: "okta.push-group.add-members",
        source: "docs/okta-wire.md#84-membership-changes; RFC 7644 §3.5.2.1",
        request: |f| {
            let (user, other) = two_members(f)?;
            let body = patch(json!([{"op": "add", "path": "members", "value": [
                {"value": user, "display": USER_NAME},
                {"value": other, "display": crowd_name(2)},
            ]}]));
            Ok(Call::patch(&group_path(f)?, body))
        },
        judge: |a, f, p| {
            if let Some(body) = p.patched(a, f.group.as_deref()) {
                p.members_if_listed(body, &f.members_added());
            }
        },
    },
    Probe {
        id: "group.shows-members",
        source: "RFC 7644 §3.4.1; RFC 7643 §4.2",
        request: |f| {
            two_members(f)?;
            Ok(Call::get(&group_path(f)?))
        },
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.group.as_deref()) {
                p.display_name(body, GROUP_RENAMED);
                p.members(body, &f.members_added());
            }
        },
    },
    Probe {
        id: "okta.push-group.remove-member",
        source: "docs/okta-wire.md#84-membership-changes (members[value eq \"…\"]); RFC 7644 §3.5.2.2",
        request: |f| {
            let (_, other) = two_members(f)?;
            let path = format!("members[value eq \"{other}\"]");
            let body = patch(json!([{"op": "remove", "path": path}]));
            Ok(Call::patch(&group_path(f)?, body))
        },
        judge: |a, f, p| {
            if let Some(body) = p.patched(a, f.group.as_deref()) {
                p.members_if_listed(body, &f.members_kept());
            }
        },
    },
    Probe {
        id: "group.shows-member-removed",
        source: "RFC 7644 §3.5.2.2",
        request: |f| {
            two_members(f)?;
            Ok(Call::get(&group_path(f)?))
        },
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.group.as_deref()) {
                p.members(body, &f.members_kept());
            }
        },
    },
    Probe {
        id: "group.delete",
        source: "RFC 7644 §3.6 (204); docs/okta-wire.md#13-call-sequences (unlink, delete in app)",
        request: |f| Ok(Call::delete(&group_path(f)?)),
        judge: |a, _, p| {
            p.status(a, &[204]);
        },
    },
    Probe {
        id: "group.deleted-is-404",
        source: "RFC 7644 §3.6 (MUST return 404), §3.12",
        request: |f| Ok(Call::get(&group_path(f)?)),
        judge: |a, _, p| p.error(a, 404, None, false),
    },
    // --- invalid filters ---
    Probe {
        id: "filter.unknown-operator-is-400",
        source: "RFC 7644 §3.4.2.2 (unrecognized operation: 400 invalidFilter, e.g. 'regex')",
        request: |_| Ok(Call::get("/Users?filter=userName%20regex%20%22x%22")),
        judge: |a, _, p| p.error(a, 400, Some("invalidFilter"), false),
    },
    Probe {
        id: "filter.missing-value-is-400",
        source: "RFC 7644 §3.4.2.2 (Figure 1 ABNF: attrPath SP compareOp SP compValue), §3.12 Table 9",
        request: |_| Ok(Call::get("/Users?filter=userName%20eq")),
        judge: |a, _, p| p.error(a, 400, Some("invalidFilter"), false),
    },
];
