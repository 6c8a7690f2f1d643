//! The transcript: numbering, labels, redaction (STYLE §5).

use scimulate_simulator::{AdminAction, Dialect, RecordedBody};
use serde_json::json;
use wiremock::ResponseTemplate;

use crate::group_org::group_run;
use crate::harness::{LOGIN, Run, SCIM_ID, TOKEN, json_response, user_resource};
use crate::script::Script;

/// A whole lifecycle, so every kind of request is in the transcript.
async fn lifecycle(dialect: Dialect) -> Run {
    let mut run = Run::new(dialect).await;
    Script::new()
        .lookup_once(vec![])
        // The reactivation's lookup finds the user (§5.4).
        .lookup(vec![user_resource(false)])
        // Mounted after the lookup, so only the connection test gets it.
        .users_empty()
        .created_user(user_resource(true))
        .fetched_user(SCIM_ID, user_resource(true))
        .replaced_user(SCIM_ID, user_resource(true))
        .patched_user(SCIM_ID)
        .mount(&run)
        .await;
    let user = || LOGIN.to_owned();
    for action in [
        AdminAction::TestConnection,
        AdminAction::Assign { user: user() },
        AdminAction::UpdateProfile {
            user: user(),
            changes: [(
                scimulate_simulator::ProfileAttribute::FirstName,
                "Tess".into(),
            )]
            .into(),
        },
        AdminAction::Deactivate { user: user() },
        AdminAction::Reactivate { user: user() },
    ] {
        let outcome = run.run(action).await;
        assert!(outcome.succeeded(), "{dialect:?} {outcome:?}");
    }
    run
}

#[tokio::test]
async fn the_token_never_reaches_the_transcript_or_outcomes() {
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        let run = lifecycle(dialect).await;
        // The server did receive it…
        assert!(
            run.requests()
                .await
                .iter()
                .all(|r| r.headers["authorization"] == format!("Bearer {TOKEN}"))
        );
        // …but nothing the simulator records or prints shows it.
        let transcript = serde_json::to_string(&run.engine.transcript()).unwrap();
        let outcomes = serde_json::to_string(run.engine.outcomes()).unwrap();
        let debug = format!("{:?}", run.engine);
        for text in [&transcript, &outcomes, &debug] {
            assert!(!text.contains(TOKEN), "token leaked in {dialect:?}");
        }
        assert!(transcript.contains("\"Bearer [REDACTED]\""));
    }
}

#[tokio::test]
async fn exchanges_are_numbered_labelled_and_relative_to_the_base_url() {
    let run = lifecycle(Dialect::Oin).await;
    let transcript = run.engine.transcript();
    let rows: Vec<_> = transcript
        .iter()
        .map(|e| {
            format!(
                "{} | {} | {} | {} {} | {}",
                e.number,
                e.action,
                e.step,
                e.request.method,
                e.request.path,
                e.response.as_ref().map_or(0, |r| r.status)
            )
        })
        .collect();
    let id = SCIM_ID;
    assert_eq!(
        rows,
        [
            "1 | test API credentials | list users | GET /Users?startIndex=1&count=2 | 200".to_owned(),
            "2 | assign test.user@okta.local | existence check | GET /Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100 | 200".to_owned(),
            "3 | assign test.user@okta.local | create | POST /Users | 201".to_owned(),
            format!("4 | update profile of test.user@okta.local | fetch before profile push | GET /Users/{id} | 200"),
            format!("5 | update profile of test.user@okta.local | profile push | PUT /Users/{id} | 200"),
            format!("6 | deactivate test.user@okta.local | deactivate | PATCH /Users/{id} | 204"),
            "7 | reactivate test.user@okta.local | existence check | GET /Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100 | 200".to_owned(),
            format!("8 | reactivate test.user@okta.local | activate | PATCH /Users/{id} | 204"),
        ]
    );
    let patch = transcript.get(6).unwrap();
    let names: Vec<_> = patch
        .request
        .headers
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "user-agent",
            "accept",
            "accept-charset",
            "accept-encoding",
            "content-type",
            "authorization"
        ]
    );
    assert_eq!(
        patch.request.body,
        Some(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"active": false}}]
        }))
    );
    assert_eq!(
        patch.response.as_ref().map(|r| &r.body),
        Some(&RecordedBody::Empty)
    );
    assert_eq!(patch.duration_ms, 0, "virtual clock");
    let outcomes: Vec<_> = run
        .engine
        .outcomes()
        .iter()
        .map(|o| o.exchanges.clone())
        .collect();
    assert_eq!(
        outcomes,
        [vec![1], vec![2, 3], vec![4, 5], vec![6], vec![7, 8]]
    );
}

#[tokio::test]
async fn group_and_import_actions_never_record_the_token() {
    use crate::harness::{GROUP, GROUP_ID, app, group_resource};
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        // group_run imports users first.
        let mut run = group_run(app(dialect)).await;
        let route = format!("/Groups/{GROUP_ID}");
        Script::new()
            .groups_empty()
            .created_group(group_resource(vec![]))
            .at("GET", &route, json_response(200, group_resource(vec![])))
            .at("PUT", &route, json_response(200, group_resource(vec![])))
            .at("PATCH", &route, ResponseTemplate::new(204))
            .at("DELETE", &route, ResponseTemplate::new(204))
            .mount(&run)
            .await;
        let group = || GROUP.to_owned();
        for action in [
            AdminAction::PushGroup { group: group() },
            AdminAction::ImportGroups,
            AdminAction::PushNow { group: group() },
            AdminAction::UnlinkGroup {
                group: group(),
                delete_in_app: true,
            },
        ] {
            run.succeeds(action).await;
        }
        let transcript = run.engine.transcript();
        assert!(transcript.iter().any(|e| e.request.method == "DELETE"));
        let recorded = serde_json::to_string(&transcript).unwrap();
        let outcomes = serde_json::to_string(run.engine.outcomes()).unwrap();
        let org = format!("{:?}", run.engine.org());
        for text in [&recorded, &outcomes, &org] {
            assert!(!text.contains(TOKEN), "token leaked in {dialect:?}");
        }
        assert!(recorded.contains("\"Bearer [REDACTED]\""));
    }
}
