//! Discovery (RFC 7644 §4), `/ping` and `/health`, under every prefix.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{GROUP_URN, Harness, LIST_URN, USER_URN, acme, empty, send};

const PREFIXES: [&str; 3] = ["", "/scim", "/scim/v2"];

#[tokio::test]
async fn service_provider_config_under_every_prefix() {
    let h = Harness::start(empty()).await;
    for prefix in PREFIXES {
        let answer = send(h.request(Method::GET, &format!("{prefix}/ServiceProviderConfig"))).await;
        assert_eq!(answer.status, 200, "{prefix}: {}", answer.text);
        assert!(answer.content_type().starts_with("application/scim+json"));
        let spc = &answer.body;
        assert_eq!(
            spc["schemas"],
            json!(["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"])
        );
        assert_eq!(spc["patch"]["supported"], json!(true));
        assert_eq!(spc["bulk"]["supported"], json!(false));
        assert_eq!(spc["filter"]["supported"], json!(true));
        assert_eq!(spc["filter"]["maxResults"], json!(1000));
        assert_eq!(spc["sort"]["supported"], json!(false));
        assert_eq!(spc["etag"]["supported"], json!(false));
        assert_eq!(spc["changePassword"]["supported"], json!(false));
        let schemes = spc["authenticationSchemes"].as_array().expect("schemes");
        assert_eq!(schemes.len(), 1);
        assert_eq!(schemes[0]["type"], json!("oauthbearertoken"));
        assert_eq!(
            spc["meta"]["location"],
            json!(format!("{}{prefix}/ServiceProviderConfig", h.root()))
        );
    }
}

#[tokio::test]
async fn resource_types_list_and_by_name() {
    let h = Harness::start(empty()).await;
    for prefix in PREFIXES {
        let answer = send(h.request(Method::GET, &format!("{prefix}/ResourceTypes"))).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_eq!(answer.body["schemas"], json!([LIST_URN]));
        assert_eq!(answer.body["totalResults"], json!(2));
        assert_eq!(answer.column("name"), ["User", "Group"]);
        assert_eq!(answer.column("endpoint"), ["/Users", "/Groups"]);
        assert_eq!(answer.column("schema"), [USER_URN, GROUP_URN]);
        for name in ["User", "Group"] {
            let one = send(h.request(Method::GET, &format!("{prefix}/ResourceTypes/{name}"))).await;
            assert_eq!(one.status, 200, "{}", one.text);
            assert_eq!(one.body["id"], json!(name));
            assert_eq!(
                one.body["meta"]["location"],
                json!(format!("{}{prefix}/ResourceTypes/{name}", h.root()))
            );
        }
    }
    h.get("/ResourceTypes/Device").await.assert_error(404, None);
}

#[tokio::test]
async fn schemas_list_and_by_urn_follow_rfc_7643_section_7() {
    let h = Harness::start(empty()).await;
    let answer = h.get("/Schemas").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["totalResults"], json!(2));
    assert_eq!(answer.ids(), [USER_URN, GROUP_URN]);
    for schema in answer.resources() {
        let attributes = schema["attributes"].as_array().expect("attributes");
        assert!(!attributes.is_empty());
        for attribute in attributes {
            check_attribute(attribute);
        }
    }
    for urn in [USER_URN, GROUP_URN] {
        let one = h.get(&format!("/Schemas/{urn}")).await;
        assert_eq!(one.status, 200, "{}", one.text);
        assert_eq!(one.body["id"], json!(urn));
        assert_eq!(
            one.body["meta"]["location"],
            json!(format!("{}/scim/v2/Schemas/{urn}", h.root()))
        );
    }
    let user = h.get(&format!("/Schemas/{USER_URN}")).await;
    let user_name = &user.body["attributes"][0];
    assert_eq!(user_name["name"], json!("userName"));
    assert_eq!(user_name["caseExact"], json!(false));
    assert_eq!(user_name["uniqueness"], json!("server"));
    assert_eq!(user_name["required"], json!(true));
    h.get("/Schemas/urn:example:nothing")
        .await
        .assert_error(404, None);
}

/// RFC 7643 §7: name, type, multiValued, required, mutability, returned and
/// uniqueness on every attribute; caseExact on string and reference ones;
/// the same on sub-attributes.
#[track_caller]
fn check_attribute(attribute: &Value) {
    for key in [
        "name",
        "type",
        "multiValued",
        "required",
        "mutability",
        "returned",
        "uniqueness",
    ] {
        assert!(attribute.get(key).is_some(), "{key} missing in {attribute}");
    }
    let kind = attribute["type"].as_str().unwrap_or_default();
    if matches!(kind, "string" | "reference") {
        assert!(
            attribute["caseExact"].is_boolean(),
            "caseExact in {attribute}"
        );
    }
    if kind == "complex" {
        let subs = attribute["subAttributes"]
            .as_array()
            .expect("subAttributes");
        subs.iter().for_each(check_attribute);
    }
}

#[tokio::test]
async fn discovery_refuses_a_filter_with_403() {
    let h = Harness::start(empty()).await;
    for path in ["/ServiceProviderConfig", "/ResourceTypes", "/Schemas"] {
        h.get(&format!("{path}?filter=name%20eq%20%22User%22"))
            .await
            .assert_error(403, None);
    }
}

#[tokio::test]
async fn ping_needs_no_token() {
    let h = Harness::start(empty()).await;
    let answer = send(h.anonymous(Method::GET, "/ping")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text, "pong");
}

#[tokio::test]
async fn health_needs_the_token_and_reports_four_components() {
    let h = Harness::start(acme()).await;
    send(h.anonymous(Method::GET, "/health"))
        .await
        .assert_error(401, None);
    let answer = send(h.request(Method::GET, "/health")).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert!(answer.content_type().starts_with("application/json"));
    let reports = answer.body["reports"].as_array().expect("reports");
    let sources: Vec<&str> = reports
        .iter()
        .filter_map(|r| r["source"].as_str())
        .collect();
    assert_eq!(
        sources,
        [
            "ConfirmationWatcher",
            "RedisCache",
            "SCIMServer",
            "StartProvisionWatcher"
        ]
    );
    assert!(reports.iter().all(|r| r["state"] == json!("healthy")));
    assert_eq!(h.effect_count(), 0);
}

#[tokio::test]
async fn health_is_503_when_provisioning_is_off() {
    let h = Harness::start(acme()).await;
    h.backend.set_provisioning(false);
    let answer = send(h.request(Method::GET, "/health")).await;
    assert_eq!(answer.status, 503, "{}", answer.text);
    assert!(answer.content_type().starts_with("application/json"));
    let reports = answer.body["reports"].as_array().expect("reports");
    let states: Vec<&str> = reports.iter().filter_map(|r| r["state"].as_str()).collect();
    assert_eq!(
        states,
        ["disconnected", "healthy", "healthy", "disconnected"]
    );
}
