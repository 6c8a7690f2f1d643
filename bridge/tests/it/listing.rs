//! List queries: filters (RFC 7644 §3.4.2.2), paging (§3.4.2.4) and
//! `attributes` / `excludedAttributes` (§3.4.2.5).

use std::collections::BTreeSet;

use serde_json::json;

use crate::support::{Harness, LIST_URN, USER_URN, acme, crowd, empty, encode, okta_user};

#[tokio::test]
async fn user_name_filter_matches_in_any_case() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com").id;
    for value in ["bob@acme.com", "BOB@acme.com", "Bob@ACME.COM"] {
        let answer = h.users_where(&format!("userName eq \"{value}\"")).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_eq!(answer.ids(), [bob.as_str()], "{value}");
        assert_eq!(answer.body["totalResults"], json!(1));
    }
    let answer = h.users_where("USERNAME EQ \"bob@acme.com\"").await;
    assert_eq!(answer.ids(), [bob.as_str()]);
    let answer = h.users_where("emails.value eq \"BOB@acme.com\"").await;
    assert_eq!(answer.ids(), [bob.as_str()]);
    let answer = h.users_where("emails eq \"bob@acme.com\"").await;
    assert_eq!(answer.ids(), [bob]);
    let answer = h.users_where("userName eq \"nobody@acme.com\"").await;
    assert_eq!(answer.body["totalResults"], json!(0));
    assert_eq!(answer.body["Resources"], json!([]));
}

#[tokio::test]
async fn external_id_filter_is_case_exact() {
    let h = Harness::start(empty()).await;
    let post = h
        .post(
            "/Users",
            &okta_user("carol@acme.com", "Carol", "Chen", Some("00uAbC")),
        )
        .await;
    let id = post.id();
    assert_eq!(h.users_where("externalId eq \"00uAbC\"").await.ids(), [id]);
    let other = h.users_where("externalId eq \"00uabc\"").await;
    assert_eq!(other.body["totalResults"], json!(0));
}

#[tokio::test]
async fn display_name_id_and_boolean_filters() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com").id;
    let ivan = h.member("ivan@acme.com").id;
    let sam = h.member("sam@acme.com").id;
    assert_eq!(
        h.users_where("displayName eq \"bob builder\"").await.ids(),
        [bob.as_str()]
    );
    assert_eq!(
        h.users_where(&format!("id eq \"{bob}\"")).await.ids(),
        [bob.as_str()]
    );
    assert_eq!(
        h.users_where("id eq \"NOSUCHUSER\"").await.body["totalResults"],
        json!(0)
    );
    assert_eq!(
        h.users_where("userName eq \"bob@acme.com\" or userName eq \"ivan@acme.com\"")
            .await
            .ids(),
        [bob.as_str(), ivan.as_str()]
    );
    assert_eq!(
        h.users_where("userName eq \"bob@acme.com\" and active eq true")
            .await
            .ids(),
        [bob.as_str()]
    );
    assert_eq!(
        h.users_where("userName eq \"bob@acme.com\" and active eq false")
            .await
            .body["totalResults"],
        json!(0)
    );
    assert_eq!(h.users_where("active eq false").await.ids(), [sam]);
    assert_eq!(
        h.users_where("name.familyName sw \"build\"").await.ids(),
        [bob]
    );
    // Groups: displayName (any case) and id.
    let engineering = h.backend.groups_by_name("Engineering")[0].id.clone();
    assert_eq!(
        h.groups_where("displayName eq \"ENGINEERING\"").await.ids(),
        [engineering.as_str()]
    );
    assert_eq!(
        h.groups_where(&format!("id eq \"{engineering}\""))
            .await
            .ids(),
        [engineering]
    );
    assert_eq!(h.effect_count(), 0);
}

#[tokio::test]
async fn bad_filters_are_400_invalid_filter() {
    let h = Harness::start(acme()).await;
    for filter in [
        "userName eq",
        "userName eq 'bob@acme.com'",
        "userName xx \"bob\"",
        "(userName eq \"bob\"",
        "userName eq \"bob\" garbage",
        "title eq \"boss\"",
        "name.middleName eq \"Q\"",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"x\"",
        "members eq \"x\"",
    ] {
        let answer = h.users_where(filter).await;
        answer.assert_error(400, Some("invalidFilter"));
    }
    h.groups_where("userName eq \"bob@acme.com\"")
        .await
        .assert_error(400, Some("invalidFilter"));
    // Refused even when there is nothing to match.
    let empty = Harness::start(empty()).await;
    empty
        .users_where("title eq \"boss\"")
        .await
        .assert_error(400, Some("invalidFilter"));
}

#[tokio::test]
async fn okta_import_pages_through_every_user_exactly_once() {
    let h = Harness::start(crowd(250)).await;
    let mut seen = Vec::new();
    for (start, expected) in [(1, 100), (101, 100), (201, 50)] {
        let answer = h.get(&format!("/Users?startIndex={start}&count=100")).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_eq!(answer.body["schemas"], json!([LIST_URN]));
        assert_eq!(answer.body["totalResults"], json!(250));
        assert_eq!(answer.body["startIndex"], json!(start));
        assert_eq!(answer.body["itemsPerPage"], json!(expected));
        assert_eq!(answer.resources().len(), expected);
        seen.extend(answer.column("userName"));
    }
    let expected: Vec<String> = (1..=250).map(|i| format!("user{i:03}@acme.com")).collect();
    assert_eq!(seen, expected);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 250);
    // Past the end: an empty page, still counted.
    let past = h.get("/Users?startIndex=251&count=100").await;
    assert_eq!(past.body["totalResults"], json!(250));
    assert_eq!(past.body["itemsPerPage"], json!(0));
    assert_eq!(past.body["Resources"], json!([]));
}

#[tokio::test]
async fn paging_edge_values_follow_rfc_7644() {
    let h = Harness::start(crowd(5)).await;
    // "A value less than 1 SHALL be interpreted as 1."
    for start in ["0", "-3"] {
        let answer = h.get(&format!("/Users?startIndex={start}&count=2")).await;
        assert_eq!(answer.body["startIndex"], json!(1));
        assert_eq!(
            answer.column("userName"),
            ["user001@acme.com", "user002@acme.com"]
        );
    }
    // count=0: no resources, but the total.
    let answer = h.get("/Users?count=0").await;
    assert_eq!(answer.body["totalResults"], json!(5));
    assert_eq!(answer.body["itemsPerPage"], json!(0));
    assert_eq!(answer.body["Resources"], json!([]));
    let negative = h.get("/Users?count=-1").await;
    assert_eq!(negative.body["itemsPerPage"], json!(0));
    // Okta's connection test.
    let answer = h.get("/Users?startIndex=1&count=2").await;
    assert_eq!(answer.body["itemsPerPage"], json!(2));
    assert_eq!(answer.body["totalResults"], json!(5));
    // No parameters: everything from 1.
    let answer = h.get("/Users").await;
    assert_eq!(answer.body["startIndex"], json!(1));
    assert_eq!(answer.body["itemsPerPage"], json!(5));
    // Not integers: 400 invalidValue.
    for query in ["startIndex=one", "count=1.5", "count=ten"] {
        h.get(&format!("/Users?{query}"))
            .await
            .assert_error(400, Some("invalidValue"));
    }
}

#[tokio::test]
async fn count_above_the_maximum_is_capped() {
    let h = Harness::start(crowd(1005)).await;
    let spc = h.get("/ServiceProviderConfig").await;
    let max = spc.body["filter"]["maxResults"]
        .as_u64()
        .unwrap_or_default();
    assert_eq!(max, 1000);
    let answer = h.get("/Users?count=5000").await;
    assert_eq!(answer.body["totalResults"], json!(1005));
    assert_eq!(answer.body["itemsPerPage"], json!(max));
    assert_eq!(answer.resources().len() as u64, max);
}

#[tokio::test]
async fn attributes_keep_only_what_is_asked_plus_id_and_schemas() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com").id;
    let answer = h
        .get(&format!(
            "/Users?filter={}&attributes=userName",
            encode("userName eq \"bob@acme.com\"")
        ))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.resources(),
        &vec![json!({"schemas":[USER_URN],"id":bob,"userName":"bob@acme.com"})]
    );
    let answer = h.get("/Users?excludedAttributes=emails").await;
    assert_eq!(answer.resources().len(), 4);
    for user in answer.resources() {
        assert!(user.get("emails").is_none(), "{user}");
        assert!(user.get("userName").is_some());
    }
    let answer = h
        .get(&format!(
            "/Users?attributes={}",
            encode("name.givenName,emails.value")
        ))
        .await;
    assert_eq!(answer.resources()[0]["name"], json!({"givenName":"Alice"}));
    assert_eq!(
        answer.resources()[0]["emails"],
        json!([{"value":"alice@acme.com"}])
    );
    for query in [
        "attributes=title",
        "excludedAttributes=name.middleName",
        "attributes=userName&excludedAttributes=emails",
    ] {
        h.get(&format!("/Users?{query}"))
            .await
            .assert_error(400, Some("invalidValue"));
    }
}
