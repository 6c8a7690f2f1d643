//! Push a profile change (docs/okta-wire.md#4-profile-updates).

use std::collections::BTreeMap;

use scimulate_simulator::{
    ActionResult, AdminAction, AppAttribute, Cleared, ClientSettings, Dialect, ProfileAttribute,
    UserUpdate,
};
use serde_json::json;

use crate::harness::{
    LOGIN, Run, SCIM_ID, app, assert_body, assert_okta_headers, bearer, lines, org, user_resource,
};
use crate::script::Script;

/// Provisions the example user (lookup → create) so it has a SCIM id.
async fn provisioned(run: &mut Run) {
    Script::new()
        .lookup(vec![])
        .created_user(user_resource(true))
        .mount(run)
        .await;
    let outcome = run.run(AdminAction::Assign { user: LOGIN.into() }).await;
    assert!(outcome.succeeded(), "{outcome:?}");
}

fn change(attribute: ProfileAttribute, value: &str) -> AdminAction {
    AdminAction::UpdateProfile {
        user: LOGIN.into(),
        changes: BTreeMap::from([(attribute, value.to_owned())]),
    }
}

#[tokio::test]
async fn a_profile_change_is_get_then_put_of_the_merged_resource() {
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        // The mappings of Okta's §4 example: no displayName, locale or
        // externalId in its PUT.
        let mut app = app(dialect);
        app.mappings = app
            .mappings
            .without(AppAttribute::DisplayName)
            .without(AppAttribute::Locale)
            .without(AppAttribute::ExternalId);
        let mut run = Run::with(org(app), ClientSettings::default()).await;
        provisioned(&mut run).await;
        // The server's copy, as §4's example shows it before the change.
        let fetched = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
            "userName": "test.user@okta.local",
            "name": {"givenName": "Test", "middleName": "Excited", "familyName": "User"},
            "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work", "display": "test.user@okta.local"}],
            "active": true, "groups": [], "meta": {"resourceType": "User"}
        });
        Script::new()
            .fetched_user(SCIM_ID, fetched)
            .replaced_user(SCIM_ID, user_resource(true))
            .mount(&run)
            .await;
        let outcome = run
            .run(change(ProfileAttribute::FirstName, "Another"))
            .await;
        assert_eq!(outcome.result, ActionResult::Succeeded, "{dialect:?}");
        assert_eq!(outcome.exchanges, [3, 4]);
        let requests = run.requests().await;
        assert_eq!(
            lines(&requests[2..]),
            [
                "GET /scim/v2/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173",
                "PUT /scim/v2/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173"
            ]
        );
        assert_okta_headers(&requests[2], &bearer());
        assert_okta_headers(&requests[3], &bearer());
        // §4 [DOC O-SCIM20], byte for byte.
        assert_body(
            &requests[3],
            &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "id": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
                "userName": "test.user@okta.local",
                "name": {"givenName": "Another", "middleName": "Excited", "familyName": "User"},
                "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work", "display": "test.user@okta.local"}],
                "active": true, "groups": [], "meta": {"resourceType": "User"}
            }),
        );
    }
}

#[tokio::test]
async fn a_cleared_attribute_follows_the_setting() {
    for (cleared, expected) in [
        (Cleared::Omit, None),
        (Cleared::Empty, Some(json!(""))),
        (Cleared::Null, Some(json!(null))),
    ] {
        let mut app = app(Dialect::Oin);
        app.behaviour.cleared = cleared;
        let mut run = Run::with(org(app), ClientSettings::default()).await;
        provisioned(&mut run).await;
        let mut fetched = user_resource(true);
        fetched["locale"] = json!("en-US");
        Script::new()
            .fetched_user(SCIM_ID, fetched)
            .replaced_user(SCIM_ID, user_resource(true))
            .mount(&run)
            .await;
        assert!(
            run.run(change(ProfileAttribute::Locale, ""))
                .await
                .succeeded()
        );
        let put: serde_json::Value = run.requests().await[3].body_json().unwrap();
        assert_eq!(put.get("locale").cloned(), expected, "{cleared:?}");
    }
}

#[tokio::test]
async fn nothing_is_sent_when_update_user_attributes_is_off() {
    let mut app = app(Dialect::Oin);
    app.provisioning.update_user_attributes = false;
    let mut run = Run::with(org(app), ClientSettings::default()).await;
    provisioned(&mut run).await;
    let outcome = run.run(change(ProfileAttribute::LastName, "Other")).await;
    assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    assert_eq!(run.requests().await.len(), 2);
    let user = run.engine.org().user(LOGIN).unwrap();
    assert_eq!(user.profile.last_name, "Other");
}

#[tokio::test]
async fn an_unprovisioned_user_changes_in_okta_only() {
    let mut run = Run::new(Dialect::Oin).await;
    Script::new().users_empty().mount(&run).await;
    let outcome = run.run(change(ProfileAttribute::FirstName, "X")).await;
    assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    assert!(run.requests().await.is_empty());
}

#[tokio::test]
async fn issue_14_an_oin_app_set_to_patch_sends_what_changed_in_one_patch() {
    let mut oin = app(Dialect::Oin);
    oin.user_update = UserUpdate::Patch;
    let mut run = Run::with(org(oin), ClientSettings::default()).await;
    provisioned(&mut run).await;
    Script::new().patched_user(SCIM_ID).mount(&run).await;
    let outcome = run
        .run(change(ProfileAttribute::DisplayName, "Tess User"))
        .await;
    assert_eq!(outcome.result, ActionResult::Succeeded, "{outcome:?}");
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests[2..]),
        ["PATCH /scim/v2/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173"]
    );
    assert_okta_headers(&requests[2], &bearer());
    assert_body(
        &requests[2],
        &json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"displayName": "Tess User"}}]
        }),
    );

    // AIW apps always PUT, whatever the setting (DOC O-SCIM20).
    let mut aiw = app(Dialect::Aiw);
    aiw.user_update = UserUpdate::Patch;
    let mut run = Run::with(org(aiw), ClientSettings::default()).await;
    provisioned(&mut run).await;
    Script::new()
        .fetched_user(SCIM_ID, user_resource(true))
        .replaced_user(SCIM_ID, user_resource(true))
        .mount(&run)
        .await;
    let outcome = run
        .run(change(ProfileAttribute::DisplayName, "Tess User"))
        .await;
    assert!(outcome.succeeded(), "{outcome:?}");
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests[2..]),
        [
            "GET /scim/v2/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173",
            "PUT /scim/v2/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173"
        ]
    );
}
