//! App assignments through a group (docs/okta-wire.md#52-what-triggers-a-deactivation "Unassigning the
//! app (directly, or removing the user from an assigned group)", §5.4
//! "Group-based assignments come back by themselves"; §13 rows "Assign
//! user, …", "Unassign user / remove from assigned group").

use scimulate_simulator::{
    ActionOutcome, ActionResult, AdminAction, App, ClientSettings, Dialect, EngineError,
    FailureKind, OktaOrg, UserProfile, UserStatus,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, Request, ResponseTemplate};

use crate::harness::{
    GROUP, GROUP_PATH, LOGIN, NEW_LOGIN, OTHER_ID, OTHER_LOGIN, PREFIX, Run, SCIM_ID, TOKEN, app,
    app_user, assert_body, assert_okta_headers, bearer, group_resource, json_response, line, lines,
    list, org, scim_error,
};
use crate::script::Script;

/// [`NEW_LOGIN`]'s SCIM id once provisioned.
const NEW_ID: &str = "7c1f0e52-3b7a-4c55-9d1e-0a4b6f2c8e90";
/// A second assigned group.
const OPS: &str = "Ops";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Each user of the org and the SCIM id the app gives it.
const USERS: [(&str, &str); 3] = [
    (LOGIN, SCIM_ID),
    (OTHER_LOGIN, OTHER_ID),
    (NEW_LOGIN, NEW_ID),
];

fn group() -> String {
    GROUP.to_owned()
}

fn assign_group() -> AdminAction {
    AdminAction::AssignGroup { group: group() }
}

fn unassign_group() -> AdminAction {
    AdminAction::UnassignGroup { group: group() }
}

fn add(user: &str) -> AdminAction {
    AdminAction::AddToGroup {
        group: group(),
        user: user.into(),
    }
}

fn remove(user: &str) -> AdminAction {
    AdminAction::RemoveFromGroup {
        group: group(),
        user: user.into(),
    }
}

/// The example org plus [`OTHER_LOGIN`] and [`NEW_LOGIN`], and `groups`
/// (name, members), none assigned yet.
fn group_org(app: App, groups: &[(&str, &[&str])]) -> OktaOrg {
    let mut org = org(app);
    for login in [OTHER_LOGIN, NEW_LOGIN] {
        org.add_user(UserProfile::new(login, login, "Other", "User"))
            .expect("new login");
    }
    for (name, members) in groups {
        org.add_group(*name, members.iter().copied())
            .expect("members are users");
    }
    org
}

/// A run on [`GROUP`] = `[LOGIN, OTHER_LOGIN]`.
async fn two_member_run(app: App) -> Run {
    let org = group_org(app, &[(GROUP, &[LOGIN, OTHER_LOGIN])]);
    Run::with(org, ClientSettings::default()).await
}

/// The existence check's exact request line for `login` (§3.1).
fn lookup_line(login: &str) -> String {
    let encoded = login.replace('@', "%40");
    format!("GET /scim/v2/Users?filter=userName%20eq%20%22{encoded}%22&startIndex=1&count=100")
}

fn user_path(id: &str) -> String {
    format!("{PREFIX}/Users/{id}")
}

/// Answers every user request: the existence check finds the logins in
/// `existing` (active app users) and no other; `POST /Users` creates by
/// `userName` (201); each user's `GET` shows it active, `PUT` 200, `PATCH`
/// 204.
async fn user_answers(run: &Run, existing: &[&str]) {
    for (login, id) in USERS {
        let found = if existing.contains(&login) {
            vec![app_user(id, login, true)]
        } else {
            vec![]
        };
        Mock::given(method("GET"))
            .and(path(format!("{PREFIX}/Users")))
            .and(query_param("filter", format!("userName eq \"{login}\"")))
            .respond_with(json_response(200, list(found)))
            .mount(&run.server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("{PREFIX}/Users")))
            .and(body_partial_json(json!({ "userName": login })))
            .respond_with(json_response(201, app_user(id, login, true)))
            .mount(&run.server)
            .await;
        Script::new()
            .fetched_user(id, app_user(id, login, true))
            .replaced_user(id, app_user(id, login, true))
            .patched_user(id)
            .mount(run)
            .await;
    }
}

/// The §5.1 deprovisioning PATCH body [DOC O-SCIM20], byte for byte.
fn deactivate_patch() -> Value {
    json!({
        "schemas": [PATCH_OP],
        "Operations": [{"op": "replace", "value": {"active": false}}]
    })
}

/// Method, path and query, headers checked, and the body's bytes.
fn wire(requests: &[Request]) -> Vec<(String, String)> {
    requests
        .iter()
        .map(|request| {
            assert_okta_headers(request, &bearer());
            let body = String::from_utf8(request.body.clone()).expect("utf-8 body");
            (line(request), body)
        })
        .collect()
}

fn app_user_of(run: &Run, login: &str) -> scimulate_simulator::AppUser {
    run.engine
        .org()
        .user(login)
        .expect("a user of the org")
        .app_user
        .clone()
}

fn assert_not_sent(outcome: &ActionOutcome, needle: &str) {
    match &outcome.result {
        ActionResult::NotSent { reason } => {
            assert!(reason.contains(needle), "{needle:?} not in {reason:?}");
        }
        other => panic!("expected nothing sent, got {other:?}"),
    }
    assert!(outcome.exchanges.is_empty(), "{outcome:?}");
}

#[tokio::test]
async fn assigning_a_group_provisions_each_member_with_the_assign_sequence() {
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        // The app has OTHER_LOGIN already: linked (§3.3); LOGIN is created.
        let mut run = two_member_run(app(dialect)).await;
        user_answers(&run, &[OTHER_LOGIN]).await;
        let outcome = run.run(assign_group()).await;
        assert_eq!(outcome.result, ActionResult::Succeeded, "{dialect:?}");
        assert_eq!(outcome.action, "assign group Test SCIMv2");
        // One admin action, every member's exchanges, in member order.
        assert_eq!(outcome.exchanges, [1, 2, 3, 4, 5]);
        let by_group = run.requests().await;
        assert_eq!(
            lines(&by_group),
            [
                lookup_line(LOGIN),
                "POST /scim/v2/Users".to_owned(),
                lookup_line(OTHER_LOGIN),
                format!("GET {}", user_path(OTHER_ID)),
                format!("PUT {}", user_path(OTHER_ID)),
            ],
            "{dialect:?}"
        );
        for (login, id) in [(LOGIN, SCIM_ID), (OTHER_LOGIN, OTHER_ID)] {
            let stored = app_user_of(&run, login);
            assert!(stored.assigned && !stored.assigned_directly, "{login}");
            assert_eq!(stored.scim_id.as_deref(), Some(id));
            assert_eq!(stored.active, Some(true));
        }
        assert!(!app_user_of(&run, NEW_LOGIN).assigned);
        assert!(run.engine.org().group(GROUP).expect("group").assigned);

        // The same org assigned user by user sends the same bytes (seeded
        // ids and password placeholders included).
        let mut direct = two_member_run(app(dialect)).await;
        user_answers(&direct, &[OTHER_LOGIN]).await;
        for login in [LOGIN, OTHER_LOGIN] {
            direct
                .succeeds(AdminAction::Assign { user: login.into() })
                .await;
        }
        assert_eq!(
            wire(&by_group),
            wire(&direct.requests().await),
            "{dialect:?}"
        );
    }
}

#[tokio::test]
async fn members_already_assigned_or_not_active_are_not_provisioned() {
    let org = group_org(
        app(Dialect::Oin),
        &[(GROUP, &[LOGIN, OTHER_LOGIN, NEW_LOGIN])],
    );
    let mut run = Run::with(org, ClientSettings::default()).await;
    user_answers(&run, &[]).await;
    run.succeeds(AdminAction::Assign { user: LOGIN.into() })
        .await;
    let suspended = run
        .run(AdminAction::Suspend {
            user: NEW_LOGIN.into(),
        })
        .await;
    assert!(suspended.exchanges.is_empty());
    run.server.reset().await;
    user_answers(&run, &[]).await;
    let outcome = run.run(assign_group()).await;
    assert_eq!(outcome.result, ActionResult::Succeeded);
    // Only OTHER_LOGIN gains its first assignment and is active (§5.2).
    assert_eq!(
        lines(&run.requests().await),
        [lookup_line(OTHER_LOGIN), "POST /scim/v2/Users".to_owned()]
    );
    let login = app_user_of(&run, LOGIN);
    assert!(login.assigned && login.assigned_directly);
    let new = app_user_of(&run, NEW_LOGIN);
    assert!(new.assigned, "suspended users keep assignments (§5.2)");
    assert_eq!(new.scim_id, None);

    // Assigned again: nothing to do.
    let again = run.run(assign_group()).await;
    assert_not_sent(&again, "already assigned to the app");
}

#[tokio::test]
async fn a_member_added_later_is_provisioned_before_its_membership_is_pushed() {
    let mut app = app(Dialect::Oin);
    app.provisioning.push_groups = true;
    let mut run = two_member_run(app).await;
    user_answers(&run, &[]).await;
    Script::new()
        .groups_empty()
        .created_group(group_resource(vec![]))
        .group("PATCH", ResponseTemplate::new(204))
        .mount(&run)
        .await;
    run.succeeds(assign_group()).await;
    run.succeeds(AdminAction::PushGroup { group: group() })
        .await;
    let before = run.requests().await.len();

    let outcome = run.run(add(NEW_LOGIN)).await;
    assert_eq!(outcome.result, ActionResult::Succeeded);
    assert_eq!(outcome.exchanges.len(), 4);
    let requests = run.requests().await;
    let requests = &requests[before..];
    // §8 prerequisites: only provisioned users are pushed, so the assign
    // sequence comes first, then the §8.4 name and member PATCHes.
    assert_eq!(
        lines(requests),
        [
            lookup_line(NEW_LOGIN),
            "POST /scim/v2/Users".to_owned(),
            format!("PATCH {GROUP_PATH}"),
            format!("PATCH {GROUP_PATH}"),
        ]
    );
    for request in requests {
        assert_okta_headers(request, &bearer());
    }
    assert_body(
        &requests[3],
        &json!({
            "schemas": [PATCH_OP],
            "Operations": [{"op": "add", "path": "members", "value": [
                {"value": NEW_ID, "display": NEW_LOGIN}
            ]}]
        }),
    );
    let new = app_user_of(&run, NEW_LOGIN);
    assert!(new.assigned && !new.assigned_directly);
    assert_eq!(new.scim_id.as_deref(), Some(NEW_ID));

    // Removing it: the member removal, then the §5.1 deprovisioning.
    let before = run.requests().await.len();
    let outcome = run.run(remove(NEW_LOGIN)).await;
    assert_eq!(outcome.result, ActionResult::Succeeded);
    let requests = run.requests().await;
    let requests = &requests[before..];
    assert_eq!(
        lines(requests),
        [
            format!("PATCH {GROUP_PATH}"),
            format!("PATCH {GROUP_PATH}"),
            format!("PATCH {}", user_path(NEW_ID)),
        ]
    );
    assert_body(
        &requests[1],
        &json!({
            "schemas": [PATCH_OP],
            "Operations": [{"op": "remove", "path": format!("members[value eq \"{NEW_ID}\"]")}]
        }),
    );
    assert_body(&requests[2], &deactivate_patch());
    let new = app_user_of(&run, NEW_LOGIN);
    assert!(!new.assigned);
    assert_eq!(new.active, Some(false));
}

#[tokio::test]
async fn a_member_added_to_an_assigned_group_is_provisioned_even_unpushed() {
    let mut run = two_member_run(app(Dialect::Aiw)).await;
    user_answers(&run, &[]).await;
    run.succeeds(assign_group()).await;
    run.server.reset().await;
    user_answers(&run, &[]).await;
    let outcome = run.run(add(NEW_LOGIN)).await;
    // Provisioned; the membership push is not sent (the group is not
    // pushed), which does not fail the action.
    assert_eq!(outcome.result, ActionResult::Succeeded);
    assert_eq!(
        lines(&run.requests().await),
        [lookup_line(NEW_LOGIN), "POST /scim/v2/Users".to_owned()]
    );
    // Not assigned: joining sends nothing, as before group assignments.
    let mut plain = two_member_run(app(Dialect::Oin)).await;
    let outcome = plain.run(add(NEW_LOGIN)).await;
    assert_not_sent(&outcome, "is not pushed");
    assert!(!app_user_of(&plain, NEW_LOGIN).assigned);
}

#[tokio::test]
async fn removing_a_member_from_an_assigned_group_deprovisions_it() {
    // OIN: the path-less replace PATCH (§5.1 [DOC O-SCIM20]).
    let mut run = two_member_run(app(Dialect::Oin)).await;
    user_answers(&run, &[]).await;
    run.succeeds(assign_group()).await;
    run.server.reset().await;
    user_answers(&run, &[]).await;
    let outcome = run.run(remove(OTHER_LOGIN)).await;
    assert_eq!(outcome.result, ActionResult::Succeeded);
    assert_eq!(
        outcome.action,
        "remove other.user@okta.local from group Test SCIMv2"
    );
    let requests = run.requests().await;
    assert_eq!(lines(&requests), [format!("PATCH {}", user_path(OTHER_ID))]);
    assert_okta_headers(&requests[0], &bearer());
    assert_body(&requests[0], &deactivate_patch());
    let other = app_user_of(&run, OTHER_LOGIN);
    assert!(!other.assigned);
    assert_eq!(other.active, Some(false));
    assert_eq!(other.scim_id.as_deref(), Some(OTHER_ID));
    assert!(app_user_of(&run, LOGIN).assigned);

    // AIW: GET, then PUT of the fetched resource with active:false (§5.1).
    let mut run = two_member_run(app(Dialect::Aiw)).await;
    user_answers(&run, &[]).await;
    run.succeeds(assign_group()).await;
    run.server.reset().await;
    user_answers(&run, &[]).await;
    run.succeeds(remove(OTHER_LOGIN)).await;
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests),
        [
            format!("GET {}", user_path(OTHER_ID)),
            format!("PUT {}", user_path(OTHER_ID)),
        ]
    );
    assert!(requests[0].body.is_empty());
    assert_okta_headers(&requests[1], &bearer());
    let mut expected = app_user(OTHER_ID, OTHER_LOGIN, true);
    expected["active"] = json!(false);
    assert_body(&requests[1], &expected);
}

#[tokio::test]
async fn a_user_assigned_directly_and_through_a_group_keeps_it_when_one_goes() {
    let mut run = two_member_run(app(Dialect::Oin)).await;
    user_answers(&run, &[]).await;
    run.succeeds(assign_group()).await;
    // Both users also get a direct assignment: nothing to send.
    for login in [LOGIN, OTHER_LOGIN] {
        let outcome = run.run(AdminAction::Assign { user: login.into() }).await;
        assert_not_sent(&outcome, "already assigned and provisioned");
        assert!(app_user_of(&run, login).assigned_directly);
    }
    run.server.reset().await;

    // LOGIN leaves the group: still assigned directly.
    let outcome = run.run(remove(LOGIN)).await;
    assert_not_sent(&outcome, "is not pushed");
    // OTHER_LOGIN loses its direct assignment: still assigned through the
    // group.
    let outcome = run
        .run(AdminAction::Unassign {
            user: OTHER_LOGIN.into(),
        })
        .await;
    assert_not_sent(&outcome, "still assigned through group Test SCIMv2");
    assert!(run.requests().await.is_empty(), "nothing sent (§5.2)");
    let login = app_user_of(&run, LOGIN);
    assert!(login.assigned && login.assigned_directly);
    let other = app_user_of(&run, OTHER_LOGIN);
    assert!(other.assigned && !other.assigned_directly);
    assert_eq!(other.active, Some(true));

    // A group-only assignment is not the user's to remove.
    let outcome = run
        .run(AdminAction::Unassign {
            user: OTHER_LOGIN.into(),
        })
        .await;
    assert_not_sent(&outcome, "not directly");
    assert!(app_user_of(&run, OTHER_LOGIN).assigned);
    assert!(run.requests().await.is_empty());
}

#[tokio::test]
async fn unassigning_the_group_deprovisions_only_members_without_another_source() {
    let org = group_org(
        app(Dialect::Oin),
        &[
            (GROUP, &[LOGIN, OTHER_LOGIN, NEW_LOGIN]),
            (OPS, &[NEW_LOGIN]),
        ],
    );
    let mut run = Run::with(org, ClientSettings::default()).await;
    user_answers(&run, &[]).await;
    run.succeeds(assign_group()).await;
    let ops = run
        .run(AdminAction::AssignGroup { group: OPS.into() })
        .await;
    assert_not_sent(&ops, "no member of Ops gains its first assignment");
    run.run(AdminAction::Assign { user: LOGIN.into() }).await;
    run.server.reset().await;
    user_answers(&run, &[]).await;

    let outcome = run.run(unassign_group()).await;
    assert_eq!(outcome.result, ActionResult::Succeeded);
    assert_eq!(outcome.action, "unassign group Test SCIMv2");
    let requests = run.requests().await;
    // LOGIN keeps its direct assignment, NEW_LOGIN its Ops one.
    assert_eq!(lines(&requests), [format!("PATCH {}", user_path(OTHER_ID))]);
    assert_okta_headers(&requests[0], &bearer());
    assert_body(&requests[0], &deactivate_patch());
    assert!(app_user_of(&run, LOGIN).assigned);
    assert!(!app_user_of(&run, OTHER_LOGIN).assigned);
    assert!(app_user_of(&run, NEW_LOGIN).assigned);
    assert_eq!(
        run.engine
            .org()
            .assigning_groups(NEW_LOGIN)
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>(),
        [OPS]
    );
    assert!(!run.engine.org().group(GROUP).expect("group").assigned);
    let again = run.run(unassign_group()).await;
    assert_not_sent(&again, "is not assigned to the app");
}

#[tokio::test]
async fn with_deactivate_users_off_nothing_is_sent() {
    let mut app = app(Dialect::Oin);
    app.provisioning.deactivate_users = false;
    let mut run = two_member_run(app).await;
    user_answers(&run, &[]).await;
    run.succeeds(assign_group()).await;
    run.server.reset().await;

    let outcome = run.run(remove(OTHER_LOGIN)).await;
    assert_not_sent(&outcome, "Deactivate Users is off");
    let outcome = run.run(unassign_group()).await;
    assert_not_sent(&outcome, "Deactivate Users is off");
    assert!(run.requests().await.is_empty(), "§5.2");
    for login in [LOGIN, OTHER_LOGIN] {
        let stored = app_user_of(&run, login);
        assert!(!stored.assigned, "{login}: the assignment is gone");
        assert_eq!(stored.active, Some(true), "{login}: never deactivated");
    }
}

#[tokio::test]
async fn a_failed_member_fails_the_action_and_the_others_still_run() {
    let mut run = two_member_run(app(Dialect::Oin)).await;
    // LOGIN's create is refused (§3.2: 409 stops that user's job).
    Mock::given(method("POST"))
        .and(path(format!("{PREFIX}/Users")))
        .and(body_partial_json(json!({ "userName": LOGIN })))
        .respond_with(json_response(409, scim_error(409, "userName taken")))
        .mount(&run.server)
        .await;
    user_answers(&run, &[]).await;
    let outcome = run.run(assign_group()).await;
    let failure = outcome.failure().expect("the first member failed");
    assert_eq!(failure.kind, FailureKind::Conflict);
    assert_eq!(failure.exchange, Some(2));
    assert!(failure.message.contains("userName taken"), "{failure:?}");
    // One task per user: OTHER_LOGIN is still provisioned.
    assert_eq!(outcome.exchanges, [1, 2, 3, 4]);
    assert_eq!(
        lines(&run.requests().await),
        [
            lookup_line(LOGIN),
            "POST /scim/v2/Users".to_owned(),
            lookup_line(OTHER_LOGIN),
            "POST /scim/v2/Users".to_owned(),
        ]
    );
    let login = app_user_of(&run, LOGIN);
    assert!(
        login.assigned,
        "the assignment exists whatever provisioning made of it"
    );
    assert_eq!(login.scim_id, None);
    assert_eq!(login.error.as_deref(), Some(failure.message.as_str()));
    assert_eq!(
        app_user_of(&run, OTHER_LOGIN).scim_id.as_deref(),
        Some(OTHER_ID)
    );
}

#[tokio::test]
async fn group_assignments_come_back_on_reactivation_direct_ones_do_not() {
    let mut run = two_member_run(app(Dialect::Oin)).await;
    user_answers(&run, &[]).await;
    run.succeeds(assign_group()).await;
    run.run(AdminAction::Assign { user: LOGIN.into() }).await;
    run.server.reset().await;
    // The lookup before the reactivation finds the app user (§5.4).
    user_answers(&run, &[LOGIN]).await;
    // Deactivation removes every assignment (§5.2), whatever the sources.
    run.succeeds(AdminAction::Deactivate { user: LOGIN.into() })
        .await;
    let stored = run.engine.org().user(LOGIN).expect("user").clone();
    assert_eq!(stored.status, UserStatus::Deprovisioned);
    assert!(!stored.app_user.assigned && !stored.app_user.assigned_directly);
    run.succeeds(AdminAction::Reactivate { user: LOGIN.into() })
        .await;
    let requests = run.requests().await;
    assert_eq!(
        lines(&requests),
        [
            format!("PATCH {}", user_path(SCIM_ID)),
            lookup_line(LOGIN),
            format!("PATCH {}", user_path(SCIM_ID)),
        ]
    );
    assert_body(
        &requests[2],
        &json!({
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "value": {"active": true}}]
        }),
    );
    // §5.4: back through the group; the direct assignment stays gone.
    let login = app_user_of(&run, LOGIN);
    assert!(login.assigned && !login.assigned_directly);
    assert_eq!(login.active, Some(true));
}

#[tokio::test]
async fn an_unknown_group_is_a_scenario_error_and_sends_nothing() {
    let mut run = two_member_run(app(Dialect::Oin)).await;
    for action in [
        AdminAction::AssignGroup {
            group: "Nope".into(),
        },
        AdminAction::UnassignGroup {
            group: "Nope".into(),
        },
    ] {
        let err = run.engine.run(&action).await.unwrap_err();
        assert_eq!(
            err,
            EngineError::UnknownGroup {
                name: "Nope".into()
            }
        );
    }
    assert!(run.engine.transcript().is_empty());
}

#[tokio::test]
async fn the_token_never_appears_in_the_transcript() {
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        let mut run = two_member_run(app(dialect)).await;
        user_answers(&run, &[OTHER_LOGIN]).await;
        for action in [
            assign_group(),
            add(NEW_LOGIN),
            remove(NEW_LOGIN),
            unassign_group(),
        ] {
            run.succeeds(action).await;
        }
        let requests = run.requests().await;
        assert!(requests.len() > 8, "{dialect:?}");
        assert!(
            requests
                .iter()
                .all(|r| r.headers["authorization"] == format!("Bearer {TOKEN}"))
        );
        let transcript = serde_json::to_string(&run.engine.transcript()).expect("json");
        let outcomes = serde_json::to_string(run.engine.outcomes()).expect("json");
        let debug = format!("{:?}", run.engine);
        for text in [&transcript, &outcomes, &debug] {
            assert!(!text.contains(TOKEN), "token leaked in {dialect:?}");
        }
        assert!(transcript.contains("\"Bearer [REDACTED]\""));
    }
}
