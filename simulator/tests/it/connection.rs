//! *Test API Credentials* (docs/okta-wire.md#1-connection-test).

use scimulate_simulator::{
    ActionResult, AdminAction, AuthScheme, ClientSettings, Dialect, FailureKind, Target, Token,
};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, ResponseTemplate};

use crate::harness::{
    PREFIX, Run, TOKEN, app, assert_okta_headers, bearer, json_response, lines, list, org,
    scim_error,
};
use crate::script::Script;

#[tokio::test]
async fn sends_the_constant_users_probe_in_both_dialects() {
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        let mut run = Run::new(dialect).await;
        Script::new().users_empty().mount(&run).await;
        let outcome = run.run(AdminAction::TestConnection).await;
        assert_eq!(outcome.result, ActionResult::Succeeded, "{dialect:?}");
        let requests = run.requests().await;
        // §1: `startIndex` first, count 2, no /Groups without a group feature.
        assert_eq!(
            lines(&requests),
            ["GET /scim/v2/Users?startIndex=1&count=2"],
            "{dialect:?}"
        );
        assert_okta_headers(&requests[0], &bearer());
        assert!(requests[0].body.is_empty());
    }
}

#[tokio::test]
async fn a_group_feature_adds_the_groups_probe() {
    let mut app = app(Dialect::Oin);
    app.provisioning.push_groups = true;
    let mut run = Run::with(org(app), ClientSettings::default()).await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, list(vec![])))
        .mount(&run.server)
        .await;
    let outcome = run.run(AdminAction::TestConnection).await;
    assert!(outcome.succeeded());
    assert_eq!(
        lines(&run.requests().await),
        [
            "GET /scim/v2/Users?startIndex=1&count=2",
            "GET /scim/v2/Groups?startIndex=1&count=100"
        ]
    );
    assert_eq!(outcome.exchanges, [1, 2]);
}

#[tokio::test]
async fn unauthorized_shows_error_authenticating() {
    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .users("GET", json_response(401, scim_error(401, "bad token")))
        .mount(&run)
        .await;
    let outcome = run.run(AdminAction::TestConnection).await;
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.kind, FailureKind::Unauthorized);
    assert_eq!(failure.status, Some(401));
    assert_eq!(failure.exchange, Some(1));
    // §1 [DOC KB-AUTH], verbatim.
    assert_eq!(
        failure.message,
        "Error authenticating: Unauthorized. The connector configuration could not be tested. \
         Make sure that the URL, Authentication Parameters are correct and that there is an \
         implementation available at the URL provided."
    );
}

#[tokio::test]
async fn a_500_also_shows_error_authenticating() {
    // §1: a 1Password bridge with provisioning off answered 500 (SEED-1P).
    let mut run = Run::new(Dialect::Oin).await;
    Script::new()
        .users("GET", ResponseTemplate::new(500))
        .mount(&run)
        .await;
    let outcome = run.run(AdminAction::TestConnection).await;
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.kind, FailureKind::HttpStatus);
    assert!(
        failure
            .message
            .starts_with("Error authenticating: Internal Server Error. The connector")
    );
}

#[tokio::test]
async fn header_mode_sends_the_token_verbatim() {
    // §2.2: OIN Wizard "Header" mode.
    let mut run = Run::new(Dialect::Oin).await;
    let target = Target::new(&format!("{}{PREFIX}", run.server.uri()), Token::new(TOKEN))
        .unwrap()
        .with_auth(AuthScheme::Header);
    let client = scimulate_simulator::OktaClient::new(
        target,
        ClientSettings::default(),
        std::sync::Arc::new(run.clock.clone()),
    )
    .unwrap();
    run.engine = scimulate_simulator::Engine::new(org(app(Dialect::Oin)), client);
    Script::new()
        .users("GET", json_response(200, json!({"Resources": []})))
        .mount(&run)
        .await;
    assert!(run.run(AdminAction::TestConnection).await.succeeded());
    assert_okta_headers(&run.requests().await[0], TOKEN);
    let transcript = run.engine.transcript();
    let recorded = &transcript.as_slice()[0].request.headers;
    assert_eq!(
        recorded.last().map(|h| h.value.as_str()),
        Some("[REDACTED]")
    );
}
