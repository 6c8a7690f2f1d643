//! Deactivate, unassign, reactivate, suspend (docs/okta-wire.md#5-deactivate-unassign-suspend-reactivate).

use scimulate_simulator::{ActionResult, AdminAction, ClientSettings, Dialect, UserStatus};
use serde_json::json;

use crate::harness::{
    LOGIN, Run, SCIM_ID, app, assert_body, assert_okta_headers, bearer, json_response, lines, org,
    user_resource,
};
use crate::script::Script;

const USER_PATH: &str = "/scim/v2/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173";

async fn provisioned(run: &mut Run) {
    Script::new()
        .lookup_once(vec![])
        .created_user(user_resource(true))
        .mount(run)
        .await;
    let outcome = run.run(AdminAction::Assign { user: LOGIN.into() }).await;
    assert!(outcome.succeeded(), "{outcome:?}");
}

fn user() -> String {
    LOGIN.to_owned()
}

#[tokio::test]
async fn oin_deactivates_with_a_path_less_replace_patch() {
    for action in [
        AdminAction::Deactivate { user: user() },
        AdminAction::Unassign { user: user() },
    ] {
        let mut run = Run::new(Dialect::Oin).await;
        provisioned(&mut run).await;
        // §2.3: 204 with no body is as good as 200 with the user.
        Script::new().patched_user(SCIM_ID).mount(&run).await;
        let outcome = run.run(action.clone()).await;
        assert_eq!(outcome.result, ActionResult::Succeeded, "{action}");
        let requests = run.requests().await;
        assert_eq!(lines(&requests[2..]), [format!("PATCH {USER_PATH}")]);
        assert_okta_headers(&requests[2], &bearer());
        // §5.1 [DOC O-SCIM20], byte for byte.
        assert_body(
            &requests[2],
            &json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "value": {"active": false}}]
            }),
        );
        let stored = run.engine.org().user(LOGIN).unwrap();
        assert!(!stored.app_user.assigned);
        assert_eq!(stored.app_user.active, Some(false));
        assert_eq!(stored.app_user.scim_id.as_deref(), Some(SCIM_ID));
        let status = match action {
            AdminAction::Deactivate { .. } => UserStatus::Deprovisioned,
            _ => UserStatus::Active,
        };
        assert_eq!(stored.status, status);
    }
}

#[tokio::test]
async fn aiw_deactivates_with_get_then_put_active_false() {
    let mut run = Run::new(Dialect::Aiw).await;
    provisioned(&mut run).await;
    Script::new()
        .fetched_user(SCIM_ID, user_resource(true))
        .replaced_user(SCIM_ID, user_resource(false))
        .mount(&run)
        .await;
    let outcome = run.run(AdminAction::Unassign { user: user() }).await;
    assert!(outcome.succeeded());
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests[2..]),
        [format!("GET {USER_PATH}"), format!("PUT {USER_PATH}")]
    );
    assert_okta_headers(&requests[3], &bearer());
    // §5.1 [OBS R-FZ]: the server's resource with only `active` flipped.
    let mut expected = user_resource(true);
    expected["active"] = json!(false);
    assert_body(&requests[3], &expected);
}

#[tokio::test]
async fn reactivation_looks_the_user_up_then_patches_active_true_in_oin_and_puts_it_in_aiw() {
    // Issue 14: re-assigning is assigning, so Okta runs its existence check
    // first (docs/okta-wire.md#31-existence-check, §5.4, §13).
    let lookup = format!(
        "GET /scim/v2/Users?filter=userName%20eq%20%22{}%22&startIndex=1&count=100",
        LOGIN.replace('@', "%40")
    );
    let mut run = Run::new(Dialect::Oin).await;
    provisioned(&mut run).await;
    Script::new()
        .lookup(vec![user_resource(false)])
        .user("PATCH", SCIM_ID, json_response(200, user_resource(true)))
        .mount(&run)
        .await;
    assert!(
        run.run(AdminAction::Deactivate { user: user() })
            .await
            .succeeded()
    );
    assert!(
        run.run(AdminAction::Reactivate { user: user() })
            .await
            .succeeded()
    );
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests[3..]),
        [lookup.clone(), format!("PATCH {USER_PATH}")]
    );
    assert_okta_headers(&requests[3], &bearer());
    // §5.4 [DOC O-SCIM20].
    assert_body(
        &requests[4],
        &json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"active": true}}]
        }),
    );
    let stored = run.engine.org().user(LOGIN).unwrap();
    assert_eq!(
        (
            stored.status,
            stored.app_user.assigned,
            stored.app_user.active
        ),
        (UserStatus::Active, true, Some(true))
    );

    let mut run = Run::new(Dialect::Aiw).await;
    provisioned(&mut run).await;
    Script::new()
        .lookup(vec![user_resource(false)])
        .fetched_user(SCIM_ID, user_resource(false))
        .replaced_user(SCIM_ID, user_resource(true))
        .mount(&run)
        .await;
    assert!(
        run.run(AdminAction::Unassign { user: user() })
            .await
            .succeeded()
    );
    assert!(
        run.run(AdminAction::Reactivate { user: user() })
            .await
            .succeeded()
    );
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests[4..]),
        [
            lookup,
            format!("GET {USER_PATH}"),
            format!("PUT {USER_PATH}")
        ]
    );
    let mut expected = user_resource(false);
    expected["active"] = json!(true);
    assert_body(&requests[6], &expected);
}

#[tokio::test]
async fn a_reactivated_user_the_server_lost_is_created_again() {
    let mut run = Run::new(Dialect::Oin).await;
    provisioned(&mut run).await;
    Script::new()
        .lookup(vec![])
        .patched_user(SCIM_ID)
        .mount(&run)
        .await;
    assert!(
        run.run(AdminAction::Deactivate { user: user() })
            .await
            .succeeded()
    );
    let outcome = run.run(AdminAction::Reactivate { user: user() }).await;
    assert!(outcome.succeeded(), "{outcome:?}");
    let requests = run.requests().await;
    let sent: Vec<String> = lines(&requests[3..])
        .into_iter()
        .map(|l| l.split('?').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(sent, ["GET /scim/v2/Users", "POST /scim/v2/Users"]);
}

#[tokio::test]
async fn deactivate_users_off_sends_nothing() {
    let mut app = app(Dialect::Oin);
    app.provisioning.deactivate_users = false;
    let mut run = Run::with(org(app), ClientSettings::default()).await;
    provisioned(&mut run).await;
    let outcome = run.run(AdminAction::Unassign { user: user() }).await;
    assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    assert_eq!(run.requests().await.len(), 2);
}

#[tokio::test]
async fn suspend_and_unsuspend_send_nothing() {
    let mut run = Run::new(Dialect::Oin).await;
    provisioned(&mut run).await;
    for action in [
        AdminAction::Suspend { user: user() },
        AdminAction::Unsuspend { user: user() },
    ] {
        let outcome = run.run(action).await;
        assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    }
    assert_eq!(run.requests().await.len(), 2);
    let stored = run.engine.org().user(LOGIN).unwrap();
    assert_eq!(stored.status, UserStatus::Active);
    assert_eq!(stored.app_user.active, Some(true));
}

#[tokio::test]
async fn an_active_user_is_not_reactivated_again() {
    let mut run = Run::new(Dialect::Oin).await;
    provisioned(&mut run).await;
    let outcome = run.run(AdminAction::Reactivate { user: user() }).await;
    assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    assert_eq!(run.requests().await.len(), 2);
}

#[tokio::test]
async fn a_user_never_provisioned_is_not_deactivated() {
    let mut run = Run::new(Dialect::Oin).await;
    let outcome = run.run(AdminAction::Deactivate { user: user() }).await;
    assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    assert!(run.requests().await.is_empty());
}
