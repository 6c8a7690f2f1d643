//! Bad input: every answer is a SCIM error (RFC 7644 §3.12) with the right
//! status and scimType, never a 500, never a panic, never an account change.

use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::support::{
    Answer, Harness, PATCH_URN, TOKEN, USER_URN, acme, empty, okta_user, patch_op, send,
};

/// Sends `body` as is with this content type to `BASE_PATH + path`.
async fn raw(h: &Harness, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> Answer {
    send(
        h.request(method, &format!("/scim/v2{path}"))
            .header(CONTENT_TYPE, content_type)
            .body(body),
    )
    .await
}

#[tokio::test]
async fn malformed_bodies_are_400_invalid_syntax() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com").id;
    let targets = [
        (Method::POST, "/Users".to_string()),
        (Method::PUT, format!("/Users/{bob}")),
        (Method::PATCH, format!("/Users/{bob}")),
        (Method::POST, "/Groups".to_string()),
    ];
    for (method, path) in &targets {
        for body in [
            "{\"schemas\":",
            "not json",
            "",
            "[1,2]",
            "\"text\"",
            "null",
            "42",
        ] {
            let answer = raw(
                &h,
                method.clone(),
                path,
                "application/scim+json",
                body.into(),
            )
            .await;
            answer.assert_error(400, Some("invalidSyntax"));
        }
    }
    assert_eq!(h.effect_count(), 0);
}

#[tokio::test]
async fn wrong_content_type_is_415_and_json_is_accepted() {
    let h = Harness::start(empty()).await;
    let body = okta_user("carol@acme.com", "Carol", "Chen", None).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
    ] {
        raw(
            &h,
            Method::POST,
            "/Users",
            content_type,
            body.clone().into(),
        )
        .await
        .assert_error(415, None);
    }
    assert_eq!(h.effect_count(), 0);
    // Okta's SPEC test POSTs application/json.
    let answer = raw(&h, Method::POST, "/Users", "application/json", body.into()).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
}

#[tokio::test]
async fn user_bodies_that_break_the_schema() {
    let h = Harness::start(empty()).await;
    let good = okta_user("carol@acme.com", "Carol", "Chen", None);
    let cases: Vec<(Value, &str)> = vec![
        (without(&good, "schemas"), "invalidSyntax"),
        (with(&good, "schemas", json!(USER_URN)), "invalidSyntax"),
        (with(&good, "schemas", json!([])), "invalidSyntax"),
        (
            with(
                &good,
                "schemas",
                json!(["urn:ietf:params:scim:schemas:core:2.0:Group"]),
            ),
            "invalidValue",
        ),
        (without(&good, "userName"), "invalidValue"),
        (with(&good, "userName", json!("tuser")), "invalidValue"),
        (with(&good, "userName", json!(42)), "invalidValue"),
        (with(&good, "userName", json!("  ")), "invalidValue"),
        (with(&good, "active", json!("yes")), "invalidValue"),
        (with(&good, "displayName", json!(["a"])), "invalidValue"),
        (with(&good, "externalId", json!(7)), "invalidValue"),
    ];
    for (body, scim_type) in cases {
        let answer = h.post("/Users", &body).await;
        answer.assert_error(400, Some(scim_type));
    }
    assert_eq!(h.effect_count(), 0);
}

#[tokio::test]
async fn group_bodies_that_break_the_schema() {
    let h = Harness::start(empty()).await;
    let cases = [
        (json!({"displayName":"x"}), "invalidSyntax"),
        (
            json!({"schemas":[USER_URN],"displayName":"x"}),
            "invalidSyntax",
        ),
        (
            json!({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]}),
            "invalidValue",
        ),
        (
            json!({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"  "}),
            "invalidValue",
        ),
        (
            json!({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"x","members":"all"}),
            "invalidValue",
        ),
        (
            json!({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"x","members":[{"display":"a"}]}),
            "invalidValue",
        ),
    ];
    for (body, scim_type) in cases {
        h.post("/Groups", &body)
            .await
            .assert_error(400, Some(scim_type));
    }
    assert_eq!(h.effect_count(), 0);
}

#[tokio::test]
async fn a_body_over_16_mib_is_413() {
    let h = Harness::start(empty()).await;
    let mut body = br#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"x":""#.to_vec();
    body.resize(body.len() + 16 * 1024 * 1024 + 10, b'a');
    body.extend_from_slice(b"\"}");
    let answer = raw(&h, Method::POST, "/Users", "application/scim+json", body).await;
    answer.assert_error(413, None);
    assert_eq!(h.effect_count(), 0);
}

#[tokio::test]
async fn hostile_filters_are_refused_or_answered() {
    let h = Harness::start(acme()).await;
    let deep = format!("{}userName eq \"x\"{}", "(".repeat(200), ")".repeat(200));
    h.users_where(&deep)
        .await
        .assert_error(400, Some("invalidFilter"));
    let deep_not = format!(
        "{}userName eq \"x\"{}",
        "not (".repeat(200),
        ")".repeat(200)
    );
    h.users_where(&deep_not)
        .await
        .assert_error(400, Some("invalidFilter"));
    // As many terms as a URI can hold (http caps it at 64 KiB).
    let many = vec!["id eq \"x\""; 2_000].join(" or ");
    h.users_where(&many)
        .await
        .assert_error(400, Some("invalidFilter"));
    // A long but valid filter is just a filter.
    let long = format!("userName eq \"{}@acme.com\"", "a".repeat(50_000));
    let answer = h.users_where(&long).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["totalResults"], json!(0));
    // Not UTF-8 (decoded lossily, then not a filter), a raw control
    // character in a string (SCIM strings are JSON strings).
    for query in ["filter=%FF%FE", "filter=userName%20eq%20%22%00%22"] {
        h.get(&format!("/Users?{query}"))
            .await
            .assert_error(400, Some("invalidFilter"));
    }
    // A repeated parameter: axum's query rejection, re-wrapped as SCIM.
    h.get("/Users?filter=userName%20eq%20%22a%22&filter=userName%20eq%20%22b%22")
        .await
        .assert_error(400, Some("invalidValue"));
    assert_eq!(h.effect_count(), 0);
}

#[tokio::test]
async fn a_10000_term_filter_is_refused() {
    let h = Harness::start(empty()).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let group = h.push_group("Sales").await;
    // In a PATCH path, where there is room for it.
    let terms = vec![format!("value eq \"{carol}\""); 10_000].join(" or ");
    let remove = patch_op(json!([{"op":"remove","path":format!("members[{terms}]")}]));
    h.patch(&format!("/Groups/{group}"), &remove)
        .await
        .assert_error(400, Some("invalidPath"));
    // In a query string it is longer than any URI the HTTP stack takes: the
    // server refuses it before the bridge sees it, and keeps serving.
    let terms = vec!["id%20eq%20%22x%22"; 10_000].join("%20or%20");
    let line = format!(
        "GET /scim/v2/Users?filter={terms} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n",
        h.root().trim_start_matches("http://")
    );
    let status = raw_http(&h, line.as_bytes()).await;
    assert!(status.starts_with("HTTP/1.1 4"), "{status}");
    assert_eq!(h.get("/Users").await.status, 200);
    assert_eq!(h.kinds(), ["invite_sent", "group_created"]);
}

/// Writes `request` on a fresh connection and answers the status line.
async fn raw_http(h: &Harness, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = h.root().trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    // The server may answer and close before it has read everything.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn bad_patches_name_the_problem() {
    let h = Harness::start(empty()).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let group = h.push_group("Sales").await;
    let user = format!("/Users/{carol}");
    let cases: Vec<(String, Value, &str)> = vec![
        (
            user.clone(),
            patch_op(json!([{"op":"move","path":"active","value":false}])),
            "invalidSyntax",
        ),
        (
            user.clone(),
            patch_op(json!([{"path":"active","value":false}])),
            "invalidSyntax",
        ),
        (
            user.clone(),
            json!({"schemas":["urn:x"],"Operations":[]}),
            "invalidSyntax",
        ),
        (
            user.clone(),
            json!({"schemas":[PATCH_URN]}),
            "invalidSyntax",
        ),
        (
            user.clone(),
            json!({"schemas":[PATCH_URN],"Operations":{"op":"replace"}}),
            "invalidSyntax",
        ),
        (user.clone(), patch_op(json!([])), "invalidValue"),
        (
            user.clone(),
            patch_op(json!([{"op":"replace","path":"emails[type eq","value":"x"}])),
            "invalidPath",
        ),
        (
            user.clone(),
            patch_op(json!([{"op":"replace","path":"title","value":"Boss"}])),
            "invalidPath",
        ),
        (
            user.clone(),
            patch_op(json!([{"op":"replace","value":{"title":"Boss"}}])),
            "invalidPath",
        ),
        (
            user.clone(),
            patch_op(json!([{"op":"replace","path":"name.middleName","value":"Q"}])),
            "invalidPath",
        ),
        (
            user.clone(),
            patch_op(json!([{"op":"replace","path":"id","value":"other"}])),
            "mutability",
        ),
        (
            user.clone(),
            patch_op(json!([{"op":"replace","value":{"id":"other"}}])),
            "mutability",
        ),
        (
            user.clone(),
            patch_op(json!([{"op":"add","path":"groups","value":[{"value":group}]}])),
            "mutability",
        ),
        (
            user.clone(),
            patch_op(json!([{"op":"replace","path":"active","value":"yes"}])),
            "invalidValue",
        ),
        (
            user.clone(),
            patch_op(json!([{"op":"remove","path":"userName"}])),
            "invalidValue",
        ),
        (
            format!("/Groups/{group}"),
            patch_op(json!([{"op":"remove","path":"members[value eq"}])),
            "invalidPath",
        ),
        (
            format!("/Groups/{group}"),
            patch_op(json!([{"op":"remove","path":"members[nosuch eq \"x\"]"}])),
            "invalidFilter",
        ),
        (
            format!("/Groups/{group}"),
            patch_op(json!([{"op":"replace","path":"displayName","value":""}])),
            "invalidValue",
        ),
    ];
    for (path, body, scim_type) in cases {
        let answer = h.patch(&path, &body).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.text);
        answer.assert_error(400, Some(scim_type));
    }
    let many: Vec<Value> = (0..1001)
        .map(|_| json!({"op":"replace","path":"displayName","value":"Carol Chen"}))
        .collect();
    h.patch(&user, &patch_op(Value::Array(many)))
        .await
        .assert_error(400, Some("invalidValue"));
    assert_eq!(h.kinds(), ["invite_sent", "group_created"]);
}

#[tokio::test]
async fn put_with_another_id_in_the_body_is_mutability() {
    let h = Harness::start(empty()).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let mut body = okta_user("carol@acme.com", "Carol", "Chen", None);
    body["id"] = json!("SOMEONEELSE");
    h.put(&format!("/Users/{carol}"), &body)
        .await
        .assert_error(400, Some("mutability"));
    assert_eq!(h.kinds(), ["invite_sent"]);
}

#[tokio::test]
async fn odd_ids_and_routes_are_scim_404s() {
    let h = Harness::start(acme()).await;
    for path in [
        "/Users/..%2F..",
        "/Users/..%2F..%2Fv1%2Fsnapshot",
        "/Users/%2E%2E",
        "/Users/a%20b",
        "/Users/%00",
        "/Groups/..%2F..%2Fmembers",
        "/Groups/%2e%2e%2fv1%2faccount",
    ] {
        h.get(path).await.assert_error(404, None);
        h.delete(path).await.assert_error(404, None);
    }
    let long = "A".repeat(4000);
    h.get(&format!("/Users/{long}"))
        .await
        .assert_error(404, None);
    for path in [
        "/Nope",
        "/Users/a/b",
        "/scim/v3/Users",
        "/v1/members",
        "/Users/",
    ] {
        let answer = send(h.request(Method::GET, path)).await;
        answer.assert_error(404, None);
    }
    assert_eq!(h.effect_count(), 0);
}

#[tokio::test]
async fn wrong_methods_are_scim_405s() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com").id;
    for (method, path) in [
        (Method::DELETE, "/Users".to_string()),
        (Method::PUT, "/Users".to_string()),
        (Method::PATCH, "/Groups".to_string()),
        (Method::POST, format!("/Users/{bob}")),
        (Method::POST, "/ServiceProviderConfig".to_string()),
        (Method::DELETE, "/Schemas".to_string()),
    ] {
        let answer = h.call(method, &path, None).await;
        answer.assert_error(405, None);
    }
    let answer = send(h.anonymous(Method::POST, "/ping")).await;
    assert_eq!(answer.status, 405, "{}", answer.text);
    assert_eq!(h.effect_count(), 0);
}

fn with(body: &Value, key: &str, value: Value) -> Value {
    let mut body = body.clone();
    body[key] = value;
    body
}

fn without(body: &Value, key: &str) -> Value {
    let mut body = body.clone();
    if let Some(object) = body.as_object_mut() {
        object.remove(key);
    }
    body
}
