//! Bearer authentication (RFC 6750) and the account's "Provisioning users &
//! groups" switch, which Okta must see as an authentication error.

use reqwest::Method;
use reqwest::header::AUTHORIZATION;
use serde_json::json;

use crate::support::{Answer, Harness, TOKEN, acme, okta_group, okta_user, send, set_active};

/// Every SCIM endpoint, as (method, path from the SCIM base, body).
fn scim_calls(member: &str, group: &str) -> Vec<(Method, String, Option<serde_json::Value>)> {
    vec![
        (Method::GET, "/ServiceProviderConfig".into(), None),
        (Method::GET, "/ResourceTypes".into(), None),
        (Method::GET, "/ResourceTypes/User".into(), None),
        (Method::GET, "/Schemas".into(), None),
        (
            Method::GET,
            "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User".into(),
            None,
        ),
        (Method::GET, "/Users?startIndex=1&count=2".into(), None),
        (Method::GET, format!("/Users/{member}"), None),
        (
            Method::POST,
            "/Users".into(),
            Some(okta_user("carol@acme.com", "Carol", "Chen", None)),
        ),
        (
            Method::PUT,
            format!("/Users/{member}"),
            Some(okta_user("bob@acme.com", "Bob", "Builder", None)),
        ),
        (
            Method::PATCH,
            format!("/Users/{member}"),
            Some(set_active(false)),
        ),
        (Method::DELETE, format!("/Users/{member}"), None),
        (Method::GET, "/Groups?startIndex=1&count=100".into(), None),
        (Method::GET, format!("/Groups/{group}"), None),
        (Method::POST, "/Groups".into(), Some(okta_group("Sales"))),
        (
            Method::PUT,
            format!("/Groups/{group}"),
            Some(okta_group("Sales")),
        ),
        (
            Method::PATCH,
            format!("/Groups/{group}"),
            Some(crate::support::patch_op(
                json!([{"op":"replace","value":{"displayName":"X"}}]),
            )),
        ),
        (Method::DELETE, format!("/Groups/{group}"), None),
    ]
}

async fn call_with(h: &Harness, method: Method, path: &str, auth: Option<&str>) -> Answer {
    let mut request = h.anonymous(method, &format!("/scim/v2{path}"));
    if let Some(auth) = auth {
        request = request.header(AUTHORIZATION, auth);
    }
    send(request).await
}

#[track_caller]
fn assert_unauthorized(answer: &Answer) {
    answer.assert_error(401, None);
    assert_eq!(
        answer.header("www-authenticate"),
        Some("Bearer realm=\"scimulate\"")
    );
}

#[tokio::test]
async fn missing_wrong_or_non_bearer_tokens_are_401() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com").id;
    let wrong_length = format!("{TOKEN}x");
    let basic_with_token = format!("Basic {TOKEN}");
    let bare = TOKEN.to_string();
    let auths: [Option<&str>; 6] = [
        None,
        Some("Bearer wrong"),
        Some(&wrong_length),
        Some(&basic_with_token),
        Some(&bare),
        Some("Bearer "),
    ];
    for auth in auths {
        for path in ["/Users", "/Groups", "/ServiceProviderConfig", "/Schemas"] {
            assert_unauthorized(&call_with(&h, Method::GET, path, auth).await);
        }
        let answer = call_with(&h, Method::DELETE, &format!("/Users/{bob}"), auth).await;
        assert_unauthorized(&answer);
    }
    // Every prefix asks for it.
    for prefix in ["", "/scim", "/scim/v2"] {
        let answer = send(h.anonymous(Method::GET, &format!("{prefix}/Users"))).await;
        assert_unauthorized(&answer);
    }
    assert_eq!(h.effect_count(), 0);
    assert!(h.member("bob@acme.com").state.is_active());
}

#[tokio::test]
async fn the_scheme_name_is_case_insensitive() {
    let h = Harness::start(acme()).await;
    for auth in [
        format!("Bearer {TOKEN}"),
        format!("bearer {TOKEN}"),
        format!("BEARER {TOKEN}"),
    ] {
        let answer = call_with(&h, Method::GET, "/Users", Some(&auth)).await;
        assert_eq!(answer.status, 200, "{auth}: {}", answer.text);
    }
}

#[tokio::test]
async fn provisioning_off_is_401_with_1password_advice_on_every_scim_call() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com").id;
    let engineering = h.backend.groups_by_name("Engineering")[0].id.clone();
    h.backend.set_provisioning(false);
    for (method, path, body) in scim_calls(&bob, &engineering) {
        let answer = h.call(method.clone(), &path, body.as_ref()).await;
        assert_unauthorized(&answer);
        assert!(
            answer.detail().contains("Provisioning users & groups"),
            "{method} {path}: {}",
            answer.detail()
        );
    }
    // Reads log nothing, and the bridge reads before every write.
    assert_eq!(h.effect_count(), 0);
    // /ping still answers.
    assert_eq!(send(h.anonymous(Method::GET, "/ping")).await.status, 200);
    // Turned back on, everything works again.
    h.backend.set_provisioning(true);
    assert_eq!(h.get("/Users").await.status, 200);
}
