//! Group pushes after the create: link, membership, rename, Push Now,
//! unlink, pause (docs/okta-wire.md#7-importing-groups, §8.3–§8.6; §13 rows "Push group,
//! Link Group" to "Unlink, leave in app / deactivate push").

use scimulate_simulator::{
    ActionResult, AdminAction, App, AppGroup, Dialect, EngineError, NameUpdate, PushLink, PushState,
};
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use crate::group_org::group_run;
use crate::harness::{
    GONE_LOGIN, GROUP, GROUP_ID, GROUP_PATH, LOGIN, NEW_LOGIN, OTHER_ID, OTHER_LOGIN, Run, SCIM_ID,
    app, assert_body, assert_okta_headers, bearer, group_resource, json_response, lines,
    scim_error,
};
use crate::script::Script;

const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The group pushed (§8.1), the server reset afterwards.
async fn pushed(app: App) -> Run {
    let mut run = group_run(app).await;
    let route = format!("/Groups/{GROUP_ID}");
    Script::new()
        .groups_empty()
        .created_group(group_resource(vec![]))
        .at("PATCH", &route, ResponseTemplate::new(204))
        .at("GET", &route, json_response(200, group_resource(vec![])))
        .at("PUT", &route, json_response(200, group_resource(vec![])))
        .mount(&run)
        .await;
    run.succeeds(AdminAction::PushGroup {
        group: GROUP.into(),
    })
    .await;
    run.server.reset().await;
    run
}

/// Answers every request on the app group: GET with `fetched`, PATCH 204,
/// PUT 200, DELETE 204.
async fn group_answers(run: &Run, fetched: Value) {
    let route = format!("/Groups/{GROUP_ID}");
    Script::new()
        .at("GET", &route, json_response(200, fetched))
        .at("PATCH", &route, ResponseTemplate::new(204))
        .at("PUT", &route, json_response(200, group_resource(vec![])))
        .at("DELETE", &route, ResponseTemplate::new(204))
        .mount(run)
        .await;
}

fn name_patch(name: &str) -> Value {
    // §8.1 step 3, §8.5 [DOC O-SCIM20].
    json!({
        "schemas": [PATCH_OP],
        "Operations": [{"op": "replace", "value": {"id": GROUP_ID, "displayName": name}}]
    })
}

fn both() -> Value {
    json!([
        {"value": SCIM_ID, "display": LOGIN},
        {"value": OTHER_ID, "display": OTHER_LOGIN}
    ])
}

fn group() -> String {
    GROUP.to_owned()
}

fn link(state: PushState) -> Option<PushLink> {
    Some(PushLink {
        app_group_id: Some(GROUP_ID.into()),
        state,
    })
}

/// Imports one app group, "Legacy Engineering", with one app-only member.
async fn imported(run: &mut Run) {
    let legacy = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": GROUP_ID,
        "displayName": "Legacy Engineering",
        "members": [{"value": "app-only-1", "display": "contractor@acme.com"}]
    });
    Script::new().groups_listed(vec![legacy]).mount(run).await;
    run.succeeds(AdminAction::ImportGroups).await;
    // §7 [DOC O-SCIM20]: same paging as users, no excludedAttributes.
    assert_eq!(
        lines(&run.requests().await),
        ["GET /scim/v2/Groups?startIndex=1&count=100"]
    );
    assert_eq!(
        run.engine.org().app_groups(),
        [AppGroup {
            id: GROUP_ID.into(),
            display_name: "Legacy Engineering".into(),
            members: vec!["app-only-1".into()],
        }]
    );
    run.server.reset().await;
}

fn link_action() -> AdminAction {
    AdminAction::LinkGroup {
        group: group(),
        app_group: "Legacy Engineering".into(),
    }
}

#[tokio::test]
async fn link_group_renames_then_adds_in_oin() {
    let mut run = group_run(app(Dialect::Oin)).await;
    imported(&mut run).await;
    group_answers(&run, group_resource(vec![])).await;
    run.succeeds(link_action()).await;
    let requests = run.requests().await;
    // §8.3 [UNCONFIRMED order]: no lookup, no POST.
    assert_eq!(
        lines(&requests),
        [format!("PATCH {GROUP_PATH}"), format!("PATCH {GROUP_PATH}")]
    );
    for request in &requests {
        assert_okta_headers(request, &bearer());
    }
    assert_body(&requests[0], &name_patch(GROUP));
    assert_body(
        &requests[1],
        &json!({
            "schemas": [PATCH_OP],
            "Operations": [{"op": "add", "path": "members", "value": both()}]
        }),
    );
    assert_eq!(run.push_link(), link(PushState::Active));
}

#[tokio::test]
async fn link_group_without_rename_only_adds() {
    let mut app = app(Dialect::Oin);
    app.push.rename_app_groups = false;
    let mut run = group_run(app).await;
    imported(&mut run).await;
    group_answers(&run, group_resource(vec![])).await;
    run.succeeds(link_action()).await;
    let requests = run.requests().await;
    assert_eq!(lines(&requests), [format!("PATCH {GROUP_PATH}")]);
    let body: Value = requests[0].body_json().unwrap();
    assert_eq!(body["Operations"][0]["op"], "add");
}

#[tokio::test]
async fn link_group_in_aiw_keeps_the_app_members() {
    let mut run = group_run(app(Dialect::Aiw)).await;
    imported(&mut run).await;
    let legacy = json!({
        "id": GROUP_ID,
        "displayName": "Legacy Engineering",
        "members": [{"value": "app-only-1", "display": "contractor@acme.com"}]
    });
    group_answers(&run, legacy).await;
    run.succeeds(link_action()).await;
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests),
        [format!("GET {GROUP_PATH}"), format!("PUT {GROUP_PATH}")]
    );
    for request in &requests {
        assert_okta_headers(request, &bearer());
    }
    assert!(requests[0].body.is_empty());
    // §8.3 C9330: existing app members stay, Okta's are added; renamed.
    assert_body(
        &requests[1],
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": GROUP_ID,
            "displayName": "Test SCIMv2",
            "members": [
                {"value": "app-only-1", "display": "contractor@acme.com"},
                {"value": SCIM_ID, "display": LOGIN},
                {"value": OTHER_ID, "display": OTHER_LOGIN}
            ]
        }),
    );
}

#[tokio::test]
async fn link_to_a_group_never_imported_is_a_scenario_error() {
    let mut run = group_run(app(Dialect::Oin)).await;
    let err = run.engine.run(&link_action()).await.unwrap_err();
    assert_eq!(
        err,
        EngineError::UnknownAppGroup {
            display_name: "Legacy Engineering".into()
        }
    );
    assert!(run.requests().await.is_empty());
}

#[tokio::test]
async fn oin_membership_changes_patch_the_name_then_the_members() {
    let mut run = pushed(app(Dialect::Oin)).await;
    group_answers(&run, group_resource(vec![])).await;
    let user = || LOGIN.to_owned();
    run.succeeds(AdminAction::RemoveFromGroup {
        group: group(),
        user: user(),
    })
    .await;
    run.succeeds(AdminAction::AddToGroup {
        group: group(),
        user: user(),
    })
    .await;
    let requests = run.requests().await;
    assert_eq!(lines(&requests), vec![format!("PATCH {GROUP_PATH}"); 4]);
    for request in &requests {
        assert_okta_headers(request, &bearer());
    }
    // §13 "Member added / removed": name PATCH first (§8.4 [UNCONFIRMED
    // order]), then one remove op with a filter path and no value…
    assert_body(&requests[0], &name_patch(GROUP));
    assert_body(
        &requests[1],
        &json!({
            "schemas": [PATCH_OP],
            "Operations": [{"op": "remove", "path": format!("members[value eq \"{SCIM_ID}\"]")}]
        }),
    );
    // …or one add op with `{value, display}` (§8.4 [DOC O-SCIM20]).
    assert_body(&requests[2], &name_patch(GROUP));
    assert_body(
        &requests[3],
        &json!({
            "schemas": [PATCH_OP],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": SCIM_ID, "display": LOGIN}]}]
        }),
    );
    let members = &run.engine.org().group(GROUP).unwrap().members;
    assert_eq!(members.last().map(String::as_str), Some(LOGIN));
}

#[tokio::test]
async fn the_name_patch_can_follow_the_members() {
    let mut app = app(Dialect::Oin);
    app.push.name_update = NameUpdate::AfterMembers;
    let mut run = pushed(app).await;
    group_answers(&run, group_resource(vec![])).await;
    run.succeeds(AdminAction::RemoveFromGroup {
        group: group(),
        user: OTHER_LOGIN.into(),
    })
    .await;
    let requests = run.requests().await;
    let body: Value = requests[0].body_json().unwrap();
    assert_eq!(body["Operations"][0]["op"], "remove");
    assert_body(&requests[1], &name_patch(GROUP));
}

#[tokio::test]
async fn aiw_membership_changes_get_then_put_the_changed_members() {
    let mut run = pushed(app(Dialect::Aiw)).await;
    let fetched = group_resource(both().as_array().cloned().unwrap());
    group_answers(&run, fetched).await;
    run.succeeds(AdminAction::RemoveFromGroup {
        group: group(),
        user: OTHER_LOGIN.into(),
    })
    .await;
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests),
        [format!("GET {GROUP_PATH}"), format!("PUT {GROUP_PATH}")]
    );
    assert_okta_headers(&requests[1], &bearer());
    // §8.4 / §0 [DOC O-SCIM20, OBS R-ROSTR]: GET → PUT with full members.
    assert_body(
        &requests[1],
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": GROUP_ID,
            "displayName": "Test SCIMv2",
            "members": [{"value": SCIM_ID, "display": LOGIN}]
        }),
    );

    // Adding: the fetched members plus the new one.
    run.server.reset().await;
    let fetched = group_resource(vec![json!({"value": SCIM_ID, "display": LOGIN})]);
    group_answers(&run, fetched).await;
    run.succeeds(AdminAction::AddToGroup {
        group: group(),
        user: OTHER_LOGIN.into(),
    })
    .await;
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests),
        [format!("GET {GROUP_PATH}"), format!("PUT {GROUP_PATH}")]
    );
    assert_okta_headers(&requests[0], &bearer());
    assert_body(
        &requests[1],
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": GROUP_ID,
            "displayName": "Test SCIMv2",
            "members": both()
        }),
    );
}

#[tokio::test]
async fn members_okta_does_not_push_send_nothing() {
    let mut run = pushed(app(Dialect::Oin)).await;
    group_answers(&run, group_resource(vec![])).await;
    // Never provisioned, deactivated: only assigned, provisioned, active
    // users are pushed (§8 H-PUSHPRE).
    for user in [NEW_LOGIN, GONE_LOGIN] {
        let outcome = run
            .run(AdminAction::RemoveFromGroup {
                group: group(),
                user: user.into(),
            })
            .await;
        assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    }
    let again = run
        .run(AdminAction::AddToGroup {
            group: group(),
            user: LOGIN.into(),
        })
        .await;
    assert!(matches!(again.result, ActionResult::NotSent { .. }));
    assert!(run.requests().await.is_empty());
}

#[tokio::test]
async fn rename_is_a_name_patch_in_oin_and_a_full_put_in_aiw() {
    let rename = || AdminAction::RenameGroup {
        group: group(),
        name: "Platform".into(),
    };
    let mut run = pushed(app(Dialect::Oin)).await;
    group_answers(&run, group_resource(vec![])).await;
    run.succeeds(rename()).await;
    let requests = run.requests().await;
    assert_eq!(lines(&requests), [format!("PATCH {GROUP_PATH}")]);
    assert_okta_headers(&requests[0], &bearer());
    assert_body(&requests[0], &name_patch("Platform"));
    assert!(run.engine.org().group("Platform").is_some());

    let mut run = pushed(app(Dialect::Aiw)).await;
    group_answers(&run, group_resource(vec![])).await;
    run.succeeds(rename()).await;
    let requests = run.requests().await;
    // §8.5 [DOC O-SCIM20]: PUT `{schemas, displayName, members:[…full…]}`.
    assert_eq!(lines(&requests), [format!("PUT {GROUP_PATH}")]);
    assert_okta_headers(&requests[0], &bearer());
    assert_body(
        &requests[0],
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": GROUP_ID,
            "displayName": "Platform",
            "members": both()
        }),
    );

    // Rename app groups off: the Okta group is renamed, nothing is sent.
    let mut app = app(Dialect::Oin);
    app.push.rename_app_groups = false;
    let mut run = pushed(app).await;
    let outcome = run.run(rename()).await;
    assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    assert!(run.requests().await.is_empty());
    assert!(run.engine.org().group("Platform").is_some());
}

#[tokio::test]
async fn push_now_replaces_the_members() {
    let mut run = pushed(app(Dialect::Oin)).await;
    let route = format!("/Groups/{GROUP_ID}");
    let mut null_members = group_resource(vec![]);
    null_members["members"] = Value::Null;
    Script::new()
        .at("PATCH", &route, json_response(200, null_members))
        .mount(&run)
        .await;
    run.succeeds(AdminAction::PushNow { group: group() }).await;
    let requests = run.requests().await;
    assert_eq!(lines(&requests), [format!("PATCH {GROUP_PATH}")]);
    assert_okta_headers(&requests[0], &bearer());
    // §8.4 [DOC O-SCIM20]: the full push.
    assert_body(
        &requests[0],
        &json!({
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "path": "members", "value": both()}]
        }),
    );
}

#[tokio::test]
async fn aiw_push_now_puts_okta_members_only() {
    let mut run = pushed(app(Dialect::Aiw)).await;
    let fetched = group_resource(vec![json!({"value": "app-only-1"})]);
    group_answers(&run, fetched).await;
    run.succeeds(AdminAction::PushNow { group: group() }).await;
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests),
        [format!("GET {GROUP_PATH}"), format!("PUT {GROUP_PATH}")]
    );
    for request in &requests {
        assert_okta_headers(request, &bearer());
    }
    // §8.4 full push = overwrite [UNCONFIRMED for AIW]: the app-only member
    // is dropped.
    assert_body(
        &requests[1],
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": GROUP_ID,
            "displayName": "Test SCIMv2",
            "members": both()
        }),
    );
}

#[tokio::test]
async fn a_rejected_full_push_reads_like_the_recorded_error() {
    let mut run = pushed(app(Dialect::Oin)).await;
    let detail = "patch-REPLACE-operation not supported for group.members";
    Script::new()
        .group("PATCH", json_response(501, scim_error(501, detail)))
        .mount(&run)
        .await;
    let outcome = run.run(AdminAction::PushNow { group: group() }).await;
    // §8.4 [OBS R-KC144], no colon after the group name.
    assert_eq!(
        outcome.failure().map(|f| f.message.as_str()),
        Some(
            "Unable to update Group Push mapping target App group Test SCIMv2: Error while \
             updating user group membership for group Test SCIMv2 Not Implemented. Errors \
             reported by remote server: patch-REPLACE-operation not supported for group.members"
        )
    );
    assert!(matches!(
        run.push_link().map(|l| l.state),
        Some(PushState::Error { .. })
    ));
}

#[tokio::test]
async fn unlink_deletes_or_leaves_the_app_group() {
    let unlink = |delete_in_app| AdminAction::UnlinkGroup {
        group: group(),
        delete_in_app,
    };
    let unlinked = Some(PushLink {
        app_group_id: None,
        state: PushState::Unlinked,
    });
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        let mut run = pushed(app(dialect)).await;
        group_answers(&run, group_resource(vec![])).await;
        run.succeeds(unlink(true)).await;
        let requests = run.requests().await;
        // §8.6 [DOC O-SCIM20]: DELETE, 204, no body, no Content-Type.
        assert_eq!(lines(&requests), [format!("DELETE {GROUP_PATH}")]);
        assert_okta_headers(&requests[0], &bearer());
        assert!(requests[0].body.is_empty());
        assert_eq!(run.push_link(), unlinked, "{dialect:?}");
    }

    let mut run = pushed(app(Dialect::Aiw)).await;
    let outcome = run.run(unlink(false)).await;
    assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    assert!(run.requests().await.is_empty());
    assert_eq!(run.push_link(), unlinked);
    // Unlinked: membership changes are not pushed.
    let outcome = run
        .run(AdminAction::RemoveFromGroup {
            group: group(),
            user: LOGIN.into(),
        })
        .await;
    assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    assert!(run.requests().await.is_empty());
}

#[tokio::test]
async fn a_failed_delete_keeps_the_link_in_error() {
    let mut run = pushed(app(Dialect::Oin)).await;
    Script::new()
        .group(
            "DELETE",
            json_response(404, scim_error(404, "Group not found")),
        )
        .mount(&run)
        .await;
    let outcome = run
        .run(AdminAction::UnlinkGroup {
            group: group(),
            delete_in_app: true,
        })
        .await;
    assert!(outcome.failure().is_some_and(|f| {
        f.message
            .contains("Error while deleting user group Test SCIMv2: Not Found")
    }));
    let link = run.push_link().unwrap();
    assert_eq!(link.app_group_id.as_deref(), Some(GROUP_ID));
}

#[tokio::test]
async fn a_paused_push_sends_nothing_and_activation_pushes_all() {
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        let mut run = pushed(app(dialect)).await;
        group_answers(&run, group_resource(vec![])).await;
        let paused = run.run(AdminAction::PausePush { group: group() }).await;
        assert!(matches!(paused.result, ActionResult::NotSent { .. }));
        assert_eq!(run.push_link(), link(PushState::Paused));
        for action in [
            AdminAction::RemoveFromGroup {
                group: group(),
                user: OTHER_LOGIN.into(),
            },
            AdminAction::RenameGroup {
                group: group(),
                name: "Renamed".into(),
            },
            AdminAction::PushNow {
                group: "Renamed".into(),
            },
        ] {
            let outcome = run.run(action).await;
            assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
        }
        assert!(run.requests().await.is_empty(), "{dialect:?}");
        run.succeeds(AdminAction::ActivatePush {
            group: "Renamed".into(),
        })
        .await;
        let requests = run.requests().await;
        let expected = json!([{"value": SCIM_ID, "display": LOGIN}]);
        match dialect {
            Dialect::Oin => {
                // §8.6 C9320 → §8.4 full push with what changed while paused.
                assert_eq!(lines(&requests), [format!("PATCH {GROUP_PATH}")]);
                assert_body(
                    &requests[0],
                    &json!({
                        "schemas": [PATCH_OP],
                        "Operations": [{"op": "replace", "path": "members", "value": expected}]
                    }),
                );
            }
            Dialect::Aiw => {
                assert_eq!(
                    lines(&requests),
                    [format!("GET {GROUP_PATH}"), format!("PUT {GROUP_PATH}")]
                );
                assert_body(
                    &requests[1],
                    &json!({
                        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                        "id": GROUP_ID,
                        "displayName": "Renamed",
                        "members": expected
                    }),
                );
            }
        }
        assert_eq!(run.push_link_of("Renamed"), link(PushState::Active));
    }
}

#[tokio::test]
async fn issue_14_changes_made_together_go_in_one_patch_removes_then_one_add() {
    let mut run = pushed(app(Dialect::Oin)).await;
    group_answers(&run, group_resource(vec![])).await;
    run.succeeds(AdminAction::RemoveFromGroup {
        group: group(),
        user: OTHER_LOGIN.into(),
    })
    .await;
    run.succeeds(AdminAction::ChangeMembers {
        group: group(),
        add: vec![OTHER_LOGIN.into()],
        remove: vec![LOGIN.into()],
    })
    .await;
    run.succeeds(AdminAction::ChangeMembers {
        group: group(),
        add: vec![LOGIN.into()],
        remove: vec![OTHER_LOGIN.into()],
    })
    .await;
    run.succeeds(AdminAction::RemoveFromGroup {
        group: group(),
        user: LOGIN.into(),
    })
    .await;
    run.succeeds(AdminAction::ChangeMembers {
        group: group(),
        add: vec![LOGIN.into(), OTHER_LOGIN.into()],
        remove: vec![],
    })
    .await;
    let requests = run.requests().await;
    assert_eq!(lines(&requests), vec![format!("PATCH {GROUP_PATH}"); 10]);
    // §8.4 [DOC O-SCIM20]: the remove and the add in one request…
    assert_body(&requests[2], &name_patch(GROUP));
    assert_body(
        &requests[3],
        &json!({
            "schemas": [PATCH_OP],
            "Operations": [
                {"op": "remove", "path": format!("members[value eq \"{SCIM_ID}\"]")},
                {"op": "add", "path": "members", "value": [{"value": OTHER_ID, "display": OTHER_LOGIN}]}
            ]
        }),
    );
    // …and every joiner in one add operation.
    assert_body(
        &requests[9],
        &json!({
            "schemas": [PATCH_OP],
            "Operations": [{"op": "add", "path": "members", "value": [
                {"value": SCIM_ID, "display": LOGIN},
                {"value": OTHER_ID, "display": OTHER_LOGIN}
            ]}]
        }),
    );
    let members = &run.engine.org().group(GROUP).unwrap().members;
    assert!(members.ends_with(&[LOGIN.to_owned(), OTHER_LOGIN.to_owned()]));
}

#[tokio::test]
async fn issue_14_more_changes_than_the_batch_size_take_more_patches() {
    let mut app = app(Dialect::Oin);
    app.push.members_per_patch = 1;
    let mut run = pushed(app).await;
    group_answers(&run, group_resource(vec![])).await;
    run.succeeds(AdminAction::RemoveFromGroup {
        group: group(),
        user: OTHER_LOGIN.into(),
    })
    .await;
    run.succeeds(AdminAction::ChangeMembers {
        group: group(),
        add: vec![OTHER_LOGIN.into()],
        remove: vec![LOGIN.into()],
    })
    .await;
    let requests = run.requests().await;
    let ops: Vec<Value> = requests[3..]
        .iter()
        .map(|r| r.body_json::<Value>().unwrap()["Operations"].clone())
        .collect();
    assert_eq!(ops.len(), 2, "name PATCH, then one change a PATCH");
    assert_eq!(ops[0][0]["op"], "remove");
    assert_eq!(ops[1][0]["op"], "add");
    assert_eq!(
        ops.iter()
            .map(|o| o.as_array().unwrap().len())
            .sum::<usize>(),
        2
    );
}
