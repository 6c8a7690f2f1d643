//! *Push Groups → Create Group* (docs/okta-wire.md#81-pushing-a-new-group, §8.2; §13 rows
//! "Push group, new" and "Push group, lookup finds same name").

use scimulate_simulator::{
    ActionResult, AdminAction, Dialect, EngineError, FailureKind, OnLookupHit, PushLink, PushState,
};
use serde_json::json;
use wiremock::ResponseTemplate;

use crate::group_org::group_run;
use crate::harness::{
    GROUP, GROUP_ID, GROUP_LOOKUP, GROUP_PATH, LOGIN, OTHER_ID, OTHER_LOGIN, SCIM_ID, app,
    assert_body, assert_okta_headers, bearer, group_resource, json_response, lines, scim_error,
};
use crate::script::Script;

fn push() -> AdminAction {
    AdminAction::PushGroup {
        group: GROUP.into(),
    }
}

/// The two pushed members, `{value, display}` (§8.4: display = userName).
fn members() -> serde_json::Value {
    json!([
        {"value": SCIM_ID, "display": LOGIN},
        {"value": OTHER_ID, "display": OTHER_LOGIN}
    ])
}

fn active(id: &str) -> Option<PushLink> {
    Some(PushLink {
        app_group_id: Some(id.into()),
        state: PushState::Active,
    })
}

#[tokio::test]
async fn oin_push_is_lookup_post_name_patch_then_add_members() {
    let mut run = group_run(app(Dialect::Oin)).await;
    // §2.3, §8.4: a group PATCH may answer `"members": null`, or 204.
    let mut null_members = group_resource(vec![]);
    null_members["members"] = serde_json::Value::Null;
    Script::new()
        .groups_empty()
        .created_group(group_resource(vec![]))
        .group("PATCH", json_response(200, null_members))
        .mount(&run)
        .await;
    let outcome = run.succeeds(push()).await;
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests),
        [
            GROUP_LOOKUP,
            "POST /scim/v2/Groups",
            &format!("PATCH {GROUP_PATH}"),
            &format!("PATCH {GROUP_PATH}"),
        ]
    );
    for request in &requests {
        assert_okta_headers(request, &bearer());
    }
    assert!(requests[0].body.is_empty());
    // §8.1 step 2 [DOC O-SCIM20].
    assert_body(
        &requests[1],
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Test SCIMv2",
            "members": []
        }),
    );
    // §8.1 step 3 [OBS R-MTV113], §8.5 [DOC O-SCIM20].
    assert_body(
        &requests[2],
        &json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"id": GROUP_ID, "displayName": "Test SCIMv2"}}]
        }),
    );
    // §8.4 [DOC O-SCIM20]: one add op; the never-provisioned and the
    // deactivated member are not pushed (§8 H-PUSHPRE).
    assert_body(
        &requests[3],
        &json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": members()}]
        }),
    );
    assert_eq!(run.push_link(), active(GROUP_ID));
    assert_eq!(outcome.exchanges.len(), 4);
    assert_eq!(outcome.action, "push group Test SCIMv2");
}

#[tokio::test]
async fn aiw_push_is_lookup_post_with_members_then_get_and_put() {
    let mut run = group_run(app(Dialect::Aiw)).await;
    let created = group_resource(vec![
        json!({"value": SCIM_ID, "display": LOGIN, "$ref": "https://x/Users/1"}),
        json!({"value": OTHER_ID, "display": OTHER_LOGIN}),
    ]);
    Script::new()
        .groups_empty()
        .created_group(created.clone())
        .group("GET", json_response(200, created.clone()))
        .group("PUT", json_response(200, created))
        .mount(&run)
        .await;
    run.succeeds(push()).await;
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests),
        [
            GROUP_LOOKUP,
            "POST /scim/v2/Groups",
            &format!("GET {GROUP_PATH}"),
            &format!("PUT {GROUP_PATH}"),
        ]
    );
    for request in &requests {
        assert_okta_headers(request, &bearer());
    }
    // §8.1 step 2 [DOC-old O-PROTO2019; OBS R-ROSTR]: the AIW POST carries
    // the members.
    assert_body(
        &requests[1],
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Test SCIMv2",
            "members": members()
        }),
    );
    // §8.5 shape `{schemas, displayName, members}`; members as `{value,
    // display}` without the server's `$ref`.
    assert_body(
        &requests[3],
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": GROUP_ID,
            "displayName": "Test SCIMv2",
            "members": members()
        }),
    );
    assert_eq!(run.push_link(), active(GROUP_ID));
}

#[tokio::test]
async fn members_in_post_and_the_lookup_are_settings() {
    let mut app = app(Dialect::Oin);
    app.push.members_in_post = Some(true);
    app.push.group_lookup_before_create = false;
    let mut run = group_run(app).await;
    Script::new()
        .created_group(group_resource(vec![]))
        .group("PATCH", ResponseTemplate::new(204))
        .mount(&run)
        .await;
    run.succeeds(push()).await;
    let requests = run.requests().await;
    // No lookup; the members went in the POST, so no add PATCH.
    assert_eq!(
        lines(&requests),
        ["POST /scim/v2/Groups", &format!("PATCH {GROUP_PATH}")]
    );
    let posted: serde_json::Value = requests[0].body_json().unwrap();
    assert_eq!(posted["members"], members());
}

#[tokio::test]
async fn a_lookup_hit_fails_the_push_without_a_post() {
    let mut run = group_run(app(Dialect::Oin)).await;
    Script::new()
        .groups_listed(vec![group_resource(vec![])])
        .mount(&run)
        .await;
    let outcome = run.run(push()).await;
    assert_eq!(lines(&run.requests().await), [GROUP_LOOKUP]);
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.kind, FailureKind::GroupExists);
    assert_eq!(failure.exchange, Some(outcome.exchanges[0]));
    // §8.2 [UNCONFIRMED] wording in Okta's `<Okta message>: <cause>` format.
    assert_eq!(
        failure.message,
        "Unable to update Group Push mapping target App group Test SCIMv2: Error while creating \
         user group Test SCIMv2: Cannot push groups or group names that already exist in the \
         target app (app group abf4dd94-a4c0-4f67-89c9-76b03340cb9b); link it with Link Group \
         instead"
    );
    assert_eq!(
        run.push_link(),
        Some(PushLink {
            app_group_id: None,
            state: PushState::Error {
                message: failure.message.clone()
            }
        })
    );
}

#[tokio::test]
async fn a_lookup_hit_links_when_set_to() {
    let mut app = app(Dialect::Oin);
    app.push.on_lookup_hit = OnLookupHit::Link;
    let mut run = group_run(app).await;
    Script::new()
        .groups_listed(vec![group_resource(vec![])])
        .group("PATCH", ResponseTemplate::new(204))
        .mount(&run)
        .await;
    run.succeeds(push()).await;
    let requests = run.requests().await;
    // As Link Group (§8.3): name PATCH → add PATCH, no POST.
    assert_eq!(
        lines(&requests),
        [
            GROUP_LOOKUP,
            &format!("PATCH {GROUP_PATH}"),
            &format!("PATCH {GROUP_PATH}")
        ]
    );
    let add: serde_json::Value = requests[2].body_json().unwrap();
    assert_eq!(add["Operations"][0]["value"], members());
    assert_eq!(run.push_link(), active(GROUP_ID));
}

#[tokio::test]
async fn a_lookup_listing_other_groups_is_a_miss() {
    // §8.2: a server that ignores the filter makes the lookup miss; Okta POSTs.
    let mut run = group_run(app(Dialect::Oin)).await;
    let other = json!({"id": "g-other", "displayName": "test scimv2"});
    Script::new()
        .groups_listed(vec![other])
        .created_group(group_resource(vec![]))
        .group("PATCH", ResponseTemplate::new(204))
        .mount(&run)
        .await;
    run.succeeds(push()).await;
    assert_eq!(lines(&run.requests().await)[1], "POST /scim/v2/Groups");
}

#[tokio::test]
async fn a_conflict_on_create_fails_the_push_mapping() {
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        let mut run = group_run(app(dialect)).await;
        Script::new()
            .groups_empty()
            .at(
                "POST",
                "/Groups",
                json_response(409, scim_error(409, "Group with this name already exists")),
            )
            .mount(&run)
            .await;
        let outcome = run.run(push()).await;
        assert_eq!(
            lines(&run.requests().await),
            [GROUP_LOOKUP, "POST /scim/v2/Groups"]
        );
        let failure = outcome.failure().expect("failed");
        assert_eq!(failure.kind, FailureKind::Conflict);
        assert_eq!(failure.status, Some(409));
        // §8.2 [OBS R-SENTRY], verbatim but for the group and detail.
        assert_eq!(
            failure.message,
            "Unable to update Group Push mapping target App group Test SCIMv2: Error while \
             creating user group Test SCIMv2: Conflict. Errors reported by remote server: Group \
             with this name already exists"
        );
        let link = run.push_link().expect("stored");
        assert_eq!(link.app_group_id, None);
        assert!(matches!(link.state, PushState::Error { .. }), "{dialect:?}");
    }
}

#[tokio::test]
async fn a_400_on_the_name_patch_stops_the_membership_push() {
    // §8.1 step 3 [OBS R-MTV113]: the push goes Error, no member PATCH.
    let mut run = group_run(app(Dialect::Oin)).await;
    Script::new()
        .groups_empty()
        .created_group(group_resource(vec![]))
        .group(
            "PATCH",
            json_response(400, scim_error(400, "path is required")),
        )
        .mount(&run)
        .await;
    let outcome = run.run(push()).await;
    assert_eq!(run.requests().await.len(), 3);
    let failure = outcome.failure().expect("failed");
    assert_eq!(
        failure.message,
        "Unable to update Group Push mapping target App group Test SCIMv2: Error while updating \
         user group Test SCIMv2: Bad Request. Errors reported by remote server: path is required"
    );
    let link = run.push_link().expect("stored");
    assert_eq!(link.app_group_id.as_deref(), Some(GROUP_ID));
    assert!(matches!(link.state, PushState::Error { .. }));
    // In error, membership changes are not pushed until Push Now.
    let add = run
        .run(AdminAction::AddToGroup {
            group: GROUP.into(),
            user: crate::harness::NEW_LOGIN.into(),
        })
        .await;
    assert!(matches!(add.result, ActionResult::NotSent { .. }));
    assert_eq!(run.requests().await.len(), 3);
}

#[tokio::test]
async fn a_create_without_an_id_is_an_empty_group() {
    let mut run = group_run(app(Dialect::Oin)).await;
    Script::new()
        .at(
            "GET",
            "/Groups",
            json_response(404, scim_error(404, "none")),
        )
        .at("POST", "/Groups", ResponseTemplate::new(201))
        .mount(&run)
        .await;
    let outcome = run.run(push()).await;
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.kind, FailureKind::EmptyGroup);
    assert!(
        failure.message.ends_with(
            "Error while creating user group Test SCIMv2: Create new group returned empty group."
        ),
        "{}",
        failure.message
    );
}

#[tokio::test]
async fn push_groups_off_or_pushed_already_sends_nothing() {
    let mut run = group_run(app(Dialect::Oin)).await;
    run.engine.org_mut().app_mut().provisioning.push_groups = false;
    let outcome = run.run(push()).await;
    assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    assert!(run.requests().await.is_empty());
    let err = run
        .engine
        .run(&AdminAction::PushGroup {
            group: "Nope".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        err,
        EngineError::UnknownGroup {
            name: "Nope".into()
        }
    );
}
