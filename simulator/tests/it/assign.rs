//! Assign a user (docs/okta-wire.md#3-assigning-a-user, §13).

use scimulate_simulator::{
    ActionResult, AdminAction, ClientSettings, Dialect, FailureKind, RelinkOrder,
};
use serde_json::json;
use wiremock::ResponseTemplate;

use crate::harness::{
    LOGIN, OKTA_ID, PASSWORD, Run, SCIM_ID, app, assert_body, assert_okta_headers, bearer,
    json_response, lines, org, scim_error, user_resource,
};
use crate::script::Script;

fn assign() -> AdminAction {
    AdminAction::Assign { user: LOGIN.into() }
}

/// The existence check's exact request line (§3.1 [DOC O-SCIM20]).
const LOOKUP: &str =
    "GET /scim/v2/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100";

#[tokio::test]
async fn a_new_user_is_looked_up_then_created() {
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        let mut run = Run::new(dialect).await;
        Script::new()
            .lookup(vec![])
            .created_user(user_resource(true))
            .mount(&run)
            .await;
        let outcome = run.run(assign()).await;
        assert_eq!(outcome.result, ActionResult::Succeeded, "{dialect:?}");
        let requests = run.requests().await;
        assert_eq!(lines(&requests), [LOOKUP, "POST /scim/v2/Users"]);
        assert_okta_headers(&requests[0], &bearer());
        assert_okta_headers(&requests[1], &bearer());
        assert!(requests[0].body.is_empty());
        // §3.2 [DOC O-SCIM20], key order as shown there; externalId is the
        // seeded Okta id, password the seeded placeholder.
        assert_body(
            &requests[1],
            &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "test.user@okta.local",
                "name": {"givenName": "Test", "familyName": "User"},
                "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work"}],
                "displayName": "Test User",
                "locale": "en-US",
                "externalId": OKTA_ID,
                "groups": [],
                "password": PASSWORD,
                "active": true
            }),
        );
        assert_eq!(run.stored_id().as_deref(), Some(SCIM_ID));
        let user = run.engine.org().user(LOGIN).unwrap();
        assert_eq!(user.id.as_str(), OKTA_ID);
        assert!(user.app_user.assigned);
        assert_eq!(user.app_user.active, Some(true));
    }
}

#[tokio::test]
async fn an_existing_user_is_linked_with_get_then_merged_put() {
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        let mut run = Run::new(dialect).await;
        Script::new()
            .lookup(vec![user_resource(true)])
            .fetched_user(SCIM_ID, user_resource(true))
            .replaced_user(SCIM_ID, user_resource(true))
            .mount(&run)
            .await;
        let outcome = run.run(assign()).await;
        assert!(outcome.succeeded(), "{dialect:?}: {outcome:?}");
        let requests = run.requests().await;
        assert_eq!(
            lines(&requests),
            [
                LOOKUP,
                "GET /scim/v2/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173",
                "PUT /scim/v2/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173"
            ]
        );
        for request in &requests {
            assert_okta_headers(request, &bearer());
        }
        // §3.3 [OBS R-FZ]: the fetched resource with Okta's mapped values
        // merged in; id, meta, name.formatted and active pass through, keys
        // Okta adds come after, no password.
        assert_body(
            &requests[2],
            &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "id": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
                "userName": "test.user@okta.local",
                "name": {"givenName": "Test", "familyName": "User", "formatted": "Test User"},
                "emails": [{"value": "test.user@okta.local", "primary": true, "type": "work"}],
                "active": true,
                "meta": {"resourceType": "User", "created": "2026-01-01T00:00:00Z"},
                "displayName": "Test User",
                "locale": "en-US",
                "externalId": OKTA_ID,
                "groups": []
            }),
        );
        assert_eq!(run.stored_id().as_deref(), Some(SCIM_ID));
    }
}

#[tokio::test]
async fn an_inactive_match_is_reactivated_by_patch_first_in_oin() {
    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .lookup(vec![user_resource(false)])
        .patched_user(SCIM_ID)
        .fetched_user(SCIM_ID, user_resource(true))
        .replaced_user(SCIM_ID, user_resource(true))
        .mount(&run)
        .await;
    assert!(run.run(assign()).await.succeeded());
    let requests = run.requests().await;
    // §3.3 / §13 default order: PATCH active true → GET → PUT.
    assert_eq!(
        lines(&requests),
        [
            LOOKUP,
            "PATCH /scim/v2/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173",
            "GET /scim/v2/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173",
            "PUT /scim/v2/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173"
        ]
    );
    // §5.1 / §5.4 [DOC O-SCIM20].
    assert_body(
        &requests[1],
        &json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"active": true}}]
        }),
    );
}

#[tokio::test]
async fn the_put_first_setting_moves_the_patch_last() {
    let mut app = app(Dialect::Oin);
    app.behaviour.relink_order = RelinkOrder::PutFirst;
    let mut run = Run::with(org(app), ClientSettings::default()).await;
    Script::new()
        .lookup(vec![user_resource(false)])
        .fetched_user(SCIM_ID, user_resource(false))
        .replaced_user(SCIM_ID, user_resource(false))
        .user("PATCH", SCIM_ID, json_response(200, user_resource(true)))
        .mount(&run)
        .await;
    assert!(run.run(assign()).await.succeeded());
    let methods: Vec<_> = run
        .requests()
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["GET", "GET", "PUT", "PATCH"]);
}

#[tokio::test]
async fn an_inactive_match_is_put_back_active_in_aiw() {
    let mut run = Run::new(Dialect::Aiw).await;
    Script::new()
        .lookup(vec![user_resource(false)])
        .fetched_user(SCIM_ID, user_resource(false))
        .replaced_user(SCIM_ID, user_resource(true))
        .mount(&run)
        .await;
    assert!(run.run(assign()).await.succeeded());
    let requests = run.requests().await;
    assert_eq!(requests.len(), 3);
    let put: serde_json::Value = requests[2].body_json().unwrap();
    assert_eq!(put["active"], json!(true));
    assert_eq!(put["externalId"], json!(OKTA_ID));
}

#[tokio::test]
async fn create_users_off_ends_in_matching_user_not_found() {
    let mut app = app(Dialect::Oin);
    app.provisioning.create_users = false;
    let mut run = Run::with(org(app), ClientSettings::default()).await;
    Script::new().lookup(vec![]).mount(&run).await;
    let outcome = run.run(assign()).await;
    assert_eq!(lines(&run.requests().await), [LOOKUP]);
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.kind, FailureKind::MatchingUserNotFound);
    // §3.4 [DOC H-TROUBLE].
    assert_eq!(
        failure.message,
        "Automatic provisioning of user test.user@okta.local to app 1Password Business failed: \
         Matching user not found"
    );
    assert_eq!(run.stored_id(), None);
}

#[tokio::test]
async fn a_conflict_stops_the_job_with_the_remote_detail() {
    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .lookup(vec![])
        .users(
            "POST",
            json_response(409, scim_error(409, "User already exists in the database.")),
        )
        .mount(&run)
        .await;
    let outcome = run.run(assign()).await;
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.kind, FailureKind::Conflict);
    assert_eq!(failure.exchange, Some(2));
    // §3.2, §10: `<Okta message>: <remote message>`.
    assert_eq!(
        failure.message,
        "Automatic provisioning of user test.user@okta.local to app 1Password Business failed: \
         Error while creating user Test User: Conflict. Errors reported by remote server: User \
         already exists in the database."
    );
    let user = run.engine.org().user(LOGIN).unwrap();
    assert_eq!(
        user.app_user.error.as_deref(),
        Some(failure.message.as_str())
    );
    assert!(user.app_user.assigned);
    assert_eq!(user.app_user.scim_id, None);
}

#[tokio::test]
async fn a_create_without_a_user_is_an_empty_user() {
    for response in [
        ResponseTemplate::new(201),
        json_response(201, json!({"userName": LOGIN})),
    ] {
        let mut run = Run::new(Dialect::Oin).await;
        Script::new()
            .lookup(vec![])
            .users("POST", response)
            .mount(&run)
            .await;
        let outcome = run.run(assign()).await;
        let failure = outcome.failure().expect("failed");
        assert_eq!(failure.kind, FailureKind::EmptyUser);
        // §3.2 [DOC O-SCIM20], verbatim.
        assert_eq!(
            failure.message,
            "Automatic provisioning of user test.user@okta.local to app 1Password Business \
             failed: Error while creating user Test User: Create new user returned empty user."
        );
    }
}

#[tokio::test]
async fn unauthorized_lookup_reads_like_the_knowledge_base() {
    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .users("GET", json_response(401, scim_error(401, "Unauthorized")))
        .mount(&run)
        .await;
    let outcome = run.run(assign()).await;
    // §10 [DOC KB-VERIFY], verbatim but for the user and app.
    assert_eq!(
        outcome.failure().map(|f| f.message.as_str()),
        Some(
            "Automatic provisioning of user test.user@okta.local to app 1Password Business \
             failed: Error while verifying if user test.user@okta.local exists: Unauthorized. \
             Errors reported by remote server: Unauthorized"
        )
    );
    assert_eq!(run.requests().await.len(), 1);
}

#[tokio::test]
async fn a_lower_case_list_and_a_scim_404_are_understood() {
    // §2.3: lower-case `resources` and paging keys are tolerated.
    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .users(
            "GET",
            json_response(
                200,
                json!({"totalresults": 1, "resources": [user_resource(true)]}),
            ),
        )
        .fetched_user(SCIM_ID, user_resource(true))
        .replaced_user(SCIM_ID, user_resource(true))
        .mount(&run)
        .await;
    assert!(run.run(assign()).await.succeeded());

    // §3.1: a SCIM 404 on the lookup means "not found", so Okta creates.
    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .users("GET", json_response(404, scim_error(404, "none")))
        .created_user(user_resource(true))
        .mount(&run)
        .await;
    assert!(run.run(assign()).await.succeeded());
    assert_eq!(lines(&run.requests().await)[1], "POST /scim/v2/Users");
}

#[tokio::test]
async fn quotes_in_a_user_name_are_escaped_in_the_filter() {
    // §3.1 [UNCONFIRMED]: `"` is sent as `\"`.
    let mut org = org(app(Dialect::Oin));
    org.add_user(scimulate_simulator::UserProfile::new(
        "o\"brien@acme.com",
        "obrien@acme.com",
        "O",
        "Brien",
    ))
    .unwrap();
    let mut run = Run::with(org, ClientSettings::default()).await;
    Script::new()
        .users_empty()
        .created_user(user_resource(true))
        .mount(&run)
        .await;
    run.run(AdminAction::Assign {
        user: "o\"brien@acme.com".into(),
    })
    .await;
    assert_eq!(
        lines(&run.requests().await)[0],
        "GET /scim/v2/Users?filter=userName%20eq%20%22o%5C%22brien%40acme.com%22&startIndex=1&count=100"
    );
}

#[tokio::test]
async fn an_assigned_and_provisioned_user_is_not_sent_again() {
    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .lookup(vec![])
        .created_user(user_resource(true))
        .mount(&run)
        .await;
    assert!(run.run(assign()).await.succeeded());
    let again = run.run(assign()).await;
    assert!(matches!(again.result, ActionResult::NotSent { .. }));
    assert!(again.exchanges.is_empty());
    assert_eq!(run.requests().await.len(), 2);
}
