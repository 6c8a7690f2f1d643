//! What the raw HTTP looks like: statuses, error bodies, unknown routes,
//! malformed bodies and query strings.

use reqwest::{Method, StatusCode};
use scimulate_backend::{BackendOptions, ErrorBody, Refusal};
use serde_json::{Value, json};

use crate::{refused, start};

/// Sends a raw request; answers the status and the JSON body (or Null).
async fn raw(base: &str, method: Method, path: &str, body: Option<&str>) -> (StatusCode, Value) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let mut request = http.request(method, format!("{base}{path}"));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let bytes = response.bytes().await.unwrap();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, value)
}

fn error(value: Value) -> ErrorBody {
    serde_json::from_value(value).unwrap()
}

#[tokio::test]
async fn unknown_routes_answer_404_invalid_request() {
    let (backend, _client) = start("empty.toml").await;
    let (status, body) = raw(&backend.url(), Method::GET, "/v1/users", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        json!({"error": "invalid_request", "detail": "no route for GET /v1/users; see backend/API.md"})
    );
    let (status, body) = raw(&backend.url(), Method::PUT, "/v1/members/X", Some("{}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        error(body).detail,
        "no route for PUT /v1/members/X; see backend/API.md"
    );
    let (status, _) = raw(&backend.url(), Method::GET, "/v1/members/", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(backend.effects().is_empty());
}

#[tokio::test]
async fn statuses_follow_the_api() {
    let (backend, _client) = start("acme.toml").await;
    let url = backend.url();
    let invite = r#"{"email":"carol@acme.com","given_name":"Carol","family_name":"Chen"}"#;
    let (status, carol) = raw(&url, Method::POST, "/v1/invitations", Some(invite)).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = carol["id"].as_str().unwrap().to_string();
    let change = r#"{"email":"caro@acme.com"}"#;
    let path = format!("/v1/members/{id}/email-change");
    assert_eq!(
        raw(&url, Method::POST, &path, Some(change)).await.0,
        StatusCode::ACCEPTED
    );
    // Asking again is a no-op, answered 200 like every no-op.
    assert_eq!(
        raw(&url, Method::POST, &path, Some(change)).await.0,
        StatusCode::OK
    );
    let (status, group) = raw(&url, Method::POST, "/v1/groups", Some(r#"{"name":"Ops"}"#)).await;
    assert_eq!(status, StatusCode::CREATED);
    let group_path = format!("/v1/groups/{}", group["id"].as_str().unwrap());
    assert_eq!(
        raw(&url, Method::DELETE, &group_path, None).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    let member_path = format!("/v1/members/{id}");
    assert_eq!(
        raw(&url, Method::DELETE, &member_path, None).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = raw(&url, Method::GET, &member_path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error(body).error, Refusal::UnknownMember);
    let (status, body) = raw(
        &url,
        Method::POST,
        "/v1/invitations",
        Some(invite.replace("carol", "bob").as_str()),
    )
    .await;
    assert_eq!(
        (status, error(body).error),
        (StatusCode::CONFLICT, Refusal::EmailTaken)
    );
    assert_eq!(
        raw(&url, Method::GET, "/v1/health", None).await.1,
        json!({"ok": true})
    );
}

#[tokio::test]
async fn malformed_bodies_are_refused_with_the_bad_field() {
    let (backend, _client) = start("acme.toml").await;
    let url = backend.url();
    let (status, body) = raw(
        &url,
        Method::POST,
        "/v1/invitations",
        Some(r#"{"email":5,"given_name":"C","family_name":"C"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body = error(body);
    assert_eq!(body.error, Refusal::InvalidRequest);
    assert!(
        body.detail
            .starts_with("malformed InviteRequest body: email: invalid type: integer `5`"),
        "{}",
        body.detail
    );
    let (status, body) = raw(
        &url,
        Method::POST,
        "/v1/invitations",
        Some(r#"{"email":"c@acme.com"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error(body).detail.contains("missing field `given_name`"));
    let (status, body) = raw(
        &url,
        Method::POST,
        "/v1/groups",
        Some("{\"name\":\"x\"} trailing"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error(body)
            .detail
            .starts_with("malformed GroupCreate body: trailing characters")
    );
    let (status, _) = raw(&url, Method::PATCH, "/v1/account", Some("[")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let effects = backend.effects();
    let actions: Vec<_> = effects.iter().map(refused).collect();
    assert_eq!(
        actions,
        [
            ("invite", Refusal::InvalidRequest),
            ("invite", Refusal::InvalidRequest),
            ("create_group", Refusal::InvalidRequest),
            ("update_settings", Refusal::InvalidRequest),
        ]
    );
}

#[tokio::test]
async fn an_empty_body_reads_as_an_empty_object() {
    let (backend, _client) = start("acme.toml").await;
    let bob = backend.member_by_email("bob@acme.com").unwrap();
    let path = format!("/v1/members/{}/link", bob.id);
    let (status, body) = raw(&backend.url(), Method::POST, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["provisioned"], json!(true));
}

#[tokio::test]
async fn bad_query_parameters_are_refused_without_logging() {
    let (backend, _client) = start("acme.toml").await;
    let url = backend.url();
    for (path, detail) in [
        (
            "/v1/members?mail=bob@acme.com",
            "unknown query parameter \"mail\" (expected email, external_id, kind, offset, limit)",
        ),
        (
            "/v1/groups?builtin=true",
            "builtin=\"true\": only builtin=false (the account's own groups) is served",
        ),
        (
            "/v1/members?kind=owner",
            "kind=\"owner\": expected member or guest",
        ),
        (
            "/v1/members?kind=member&email=a@acme.com",
            "kind goes with offset and limit only",
        ),
        (
            "/v1/members?limit=-1",
            "query parameter \"limit\" must be a non-negative integer, not \"-1\"",
        ),
        (
            "/v1/members?offset=1&offset=2",
            "query parameter \"offset\" given twice",
        ),
        (
            "/v1/members?email=a@acme.com&external_id=x",
            "give email or external_id, not both",
        ),
        (
            "/v1/groups?displayName=x",
            "unknown query parameter \"displayName\" (expected name, builtin, offset, limit)",
        ),
        (
            "/v1/effects?after=x",
            "query parameter \"after\" must be a non-negative integer, not \"x\"",
        ),
    ] {
        let (status, body) = raw(&url, Method::GET, path, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(error(body).detail, detail, "{path}");
    }
    assert!(backend.effects().is_empty());
}

#[tokio::test]
async fn query_values_are_decoded() {
    let (backend, client) = start("empty.toml").await;
    client
        .invite(&crate::invitation("c+tag@acme.com"))
        .await
        .unwrap();
    let (_, page) = raw(
        &backend.url(),
        Method::GET,
        "/v1/members?email=C%2BTAG%40acme.com",
        None,
    )
    .await;
    assert_eq!(page["total"], json!(1));
    let page = client.members_by_email("c+tag@ACME.com").await.unwrap();
    assert_eq!(page.total, 1);
}

#[tokio::test]
async fn deterministic_ids_have_1password_shapes() {
    let backend = scimulate_backend::Backend::start(
        scimulate_backend::AccountSeed::default(),
        BackendOptions::deterministic(),
    )
    .await;
    let client = backend.client().unwrap();
    let carol = client
        .invite(&crate::invitation("carol@acme.com"))
        .await
        .unwrap();
    assert!(scimulate_backend::is_member_id(&carol.id), "{}", carol.id);
    let group = &backend.snapshot().groups[0];
    assert!(scimulate_backend::is_group_id(&group.id), "{}", group.id);
    assert_eq!(carol.created_at.to_rfc3339(), "2026-01-01T00:00:01+00:00");
}
