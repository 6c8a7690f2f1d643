//! `/Groups`: Okta's push, rename and membership requests
//! (docs/okta-wire.md#8-group-push), Entra's remove, AIW's PUT; never a second
//! group with the same name, never a built-in group.

use scimulate_backend::BuiltinGroup;
use serde_json::json;

use crate::support::{Answer, GROUP_URN, Harness, acme, empty, encode, okta_group, patch_op};

#[tokio::test]
async fn okta_push_of_a_new_group() {
    let h = Harness::start(acme()).await;
    let lookup = h.groups_where("displayName eq \"Test SCIMv2\"").await;
    assert_eq!(lookup.body["totalResults"], json!(0));
    let answer = h.post("/Groups", &okta_group("Test SCIMv2")).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let id = answer.id();
    let location = format!("{}/scim/v2/Groups/{id}", h.root());
    assert_eq!(answer.header("location"), Some(location.as_str()));
    assert_eq!(answer.body["displayName"], json!("Test SCIMv2"));
    assert_eq!(answer.body["members"], json!([]));
    assert_eq!(answer.body["meta"]["resourceType"], json!("Group"));
    assert_eq!(h.kinds(), ["group_created"]);
    assert_eq!(h.groups_named("Test SCIMv2"), 1);
    // §8.1 step 3: the name reconcile right after the create changes nothing.
    let rename = patch_op(json!([{"op":"replace","value":{"id":id,"displayName":"Test SCIMv2"}}]));
    let answer = h.patch(&format!("/Groups/{id}"), &rename).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(h.effect_count(), 1);
    let found = h.groups_where("displayName eq \"test scimv2\"").await;
    assert_eq!(found.ids(), [id]);
}

#[tokio::test]
async fn a_taken_name_is_409_and_nothing_is_created() {
    let h = Harness::start(acme()).await;
    h.push_group("Okta Pushed").await;
    let groups = h.backend.snapshot().groups.len();
    for name in [
        "Okta Pushed",
        "OKTA PUSHED",
        "Engineering",
        "engineering",
        "Owners",
        "team members",
        "Provision Managers",
    ] {
        let answer = h.post("/Groups", &okta_group(name)).await;
        answer.assert_error(409, Some("uniqueness"));
        assert_eq!(h.groups_named(name), 1, "{name}");
    }
    assert_eq!(h.backend.snapshot().groups.len(), groups);
    assert_eq!(h.kinds(), ["group_created"]);
}

#[tokio::test]
async fn okta_rename_keeps_id_and_members() {
    let h = Harness::start(empty()).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let id = h.push_group("Sales").await;
    let add = patch_op(json!([{"op":"add","path":"members",
        "value":[{"value":carol,"display":"carol@acme.com"}]}]));
    assert_eq!(h.patch(&format!("/Groups/{id}"), &add).await.status, 200);
    let rename = patch_op(json!([{"op":"replace","value":{"id":id,"displayName":"Sales EMEA"}}]));
    let answer = h.patch(&format!("/Groups/{id}"), &rename).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.id(), id);
    assert_eq!(answer.body["displayName"], json!("Sales EMEA"));
    assert_eq!(answer.body["members"][0]["value"], json!(carol));
    assert_eq!(
        h.kinds(),
        [
            "invite_sent",
            "group_created",
            "member_added",
            "group_renamed"
        ]
    );
    assert_eq!(h.groups_named("Sales"), 0);
    assert_eq!(h.backend.group(&id).map(|g| g.members), Some(vec![carol]));
}

#[tokio::test]
async fn rename_to_a_taken_name_is_409() {
    let h = Harness::start(acme()).await;
    let id = h.push_group("Sales").await;
    for name in ["Engineering", "administrators"] {
        let rename = patch_op(json!([{"op":"replace","value":{"id":id,"displayName":name}}]));
        h.patch(&format!("/Groups/{id}"), &rename)
            .await
            .assert_error(409, Some("uniqueness"));
    }
    assert_eq!(h.backend.group(&id).map(|g| g.name), Some("Sales".into()));
    assert_eq!(h.kinds(), ["group_created"]);
}

#[tokio::test]
async fn okta_membership_add_twice_then_remove() {
    let h = Harness::start(empty()).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let dan = h.provision("dan@acme.com", "Dan", "Dole").await;
    let id = h.push_group("Sales").await;
    let start = h.effect_count();
    let add = patch_op(json!([{"op":"add","path":"members","value":[
        {"value":carol,"display":"carol@acme.com"},
        {"value":dan,"display":"dan@acme.com"}]}]));
    let answer = h.patch(&format!("/Groups/{id}"), &add).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let again = h.patch(&format!("/Groups/{id}"), &add).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(h.kinds_after(start), ["member_added", "member_added"]);
    // §8.4: one remove per departed member, filter path, no value.
    let remove = patch_op(json!([
        {"op":"remove","path":format!("members[value eq \"{carol}\"]")}]));
    let answer = h.patch(&format!("/Groups/{id}"), &remove).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["members"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        h.kinds_after(start),
        ["member_added", "member_added", "member_removed"]
    );
    assert_eq!(
        h.backend.group(&id).map(|g| g.members),
        Some(vec![dan.clone()])
    );
    // Each user's own view follows: dan is in Sales, carol is not.
    let dan_view = h.get(&format!("/Users/{dan}")).await;
    assert_eq!(dan_view.body["groups"][0]["value"], json!(id));
    assert_eq!(dan_view.body["groups"][0]["display"], json!("Sales"));
    let carol_view = h.get(&format!("/Users/{carol}")).await;
    assert_eq!(carol_view.body["groups"], json!([]));
}

#[tokio::test]
async fn replace_members_sets_the_full_list_even_empty() {
    let h = Harness::start(empty()).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let dan = h.provision("dan@acme.com", "Dan", "Dole").await;
    let id = h.push_group("Sales").await;
    let start = h.effect_count();
    let replace = |members: serde_json::Value| {
        patch_op(json!([{"op":"replace","path":"members","value":members}]))
    };
    let answer = h
        .patch(&format!("/Groups/{id}"), &replace(json!([{"value":carol}])))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let answer = h
        .patch(&format!("/Groups/{id}"), &replace(json!([{"value":dan}])))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        h.backend.group(&id).map(|g| g.members),
        Some(vec![dan.clone()])
    );
    let answer = h.patch(&format!("/Groups/{id}"), &replace(json!([]))).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["members"], json!([]));
    assert_eq!(
        h.kinds_after(start),
        [
            "member_added",
            "member_removed",
            "member_added",
            "member_removed"
        ]
    );
}

#[tokio::test]
async fn entra_remove_with_a_value_array() {
    let h = Harness::start(empty()).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let dan = h.provision("dan@acme.com", "Dan", "Dole").await;
    let id = h.push_group("Sales").await;
    let add = patch_op(
        json!([{"op":"Add","path":"members","value":[{"$ref":null,"value":carol},{"$ref":null,"value":dan}]}]),
    );
    assert_eq!(h.patch(&format!("/Groups/{id}"), &add).await.status, 200);
    let remove = patch_op(json!([{"op":"Remove","path":"members","value":[{"value":carol}]}]));
    let answer = h.patch(&format!("/Groups/{id}"), &remove).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(h.backend.group(&id).map(|g| g.members), Some(vec![dan]));
    assert_eq!(
        h.kinds_after(3),
        ["member_added", "member_added", "member_removed"]
    );
}

#[tokio::test]
async fn aiw_put_replaces_name_and_members() {
    let h = Harness::start(empty()).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let dan = h.provision("dan@acme.com", "Dan", "Dole").await;
    let id = h.push_group("Sales").await;
    let mut group = h.get(&format!("/Groups/{id}")).await.body;
    group["displayName"] = json!("Sales EMEA");
    group["members"] =
        json!([{"value":carol,"display":"carol@acme.com"},{"value":dan,"display":"dan@acme.com"}]);
    let answer = h.put(&format!("/Groups/{id}"), &group).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.id(), id);
    assert_eq!(answer.body["displayName"], json!("Sales EMEA"));
    assert_eq!(
        h.kinds_after(3),
        ["group_renamed", "member_added", "member_added"]
    );
    // A PUT without members empties the group (RFC 7644 §3.5.1).
    let answer = h
        .put(
            &format!("/Groups/{id}"),
            &json!({"schemas":[GROUP_URN],"displayName":"Sales EMEA"}),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["members"], json!([]));
    assert_eq!(h.kinds_after(6), ["member_removed", "member_removed"]);
    // A different id in the body is refused.
    let answer = h
        .put(
            &format!("/Groups/{id}"),
            &json!({"schemas":[GROUP_URN],"id":"other","displayName":"Sales EMEA"}),
        )
        .await;
    answer.assert_error(400, Some("mutability"));
}

#[tokio::test]
async fn unknown_or_guest_member_ids_are_400_invalid_value() {
    let h = Harness::start(acme()).await;
    let id = h.push_group("Sales").await;
    let gina = h.member("gina@acme.com").id;
    for member in ["NOSUCHMEMBER00000000000000", gina.as_str()] {
        let add = patch_op(json!([{"op":"add","path":"members","value":[{"value":member}]}]));
        h.patch(&format!("/Groups/{id}"), &add)
            .await
            .assert_error(400, Some("invalidValue"));
        let mut post = okta_group("Other");
        post["members"] = json!([{"value": member}]);
        h.post("/Groups", &post)
            .await
            .assert_error(400, Some("invalidValue"));
    }
    assert_eq!(h.kinds(), ["group_created"]);
    assert_eq!(h.groups_named("Other"), 0);
}

#[tokio::test]
async fn post_with_members_adds_them() {
    let h = Harness::start(empty()).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let mut body = okta_group("Sales");
    body["members"] = json!([{"value":carol,"display":"carol@acme.com"}]);
    let answer = h.post("/Groups", &body).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    assert_eq!(answer.body["members"][0]["value"], json!(carol));
    assert_eq!(answer.body["members"][0]["type"], json!("User"));
    assert_eq!(h.kinds(), ["invite_sent", "group_created", "member_added"]);
}

#[tokio::test]
async fn delete_removes_the_group_but_not_its_members() {
    let h = Harness::start(empty()).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let mut body = okta_group("Sales");
    body["members"] = json!([{"value":carol}]);
    let id = h.post("/Groups", &body).await.id();
    let answer = h.delete(&format!("/Groups/{id}")).await;
    assert_eq!(answer.status, 204, "{}", answer.text);
    assert_eq!(h.kinds_after(3), ["group_deleted"]);
    assert!(h.backend.group(&id).is_none());
    h.get(&format!("/Groups/{id}"))
        .await
        .assert_error(404, None);
    assert_eq!(h.get("/Groups").await.body["totalResults"], json!(0));
    assert!(h.backend.member(&carol).is_some());
    h.delete(&format!("/Groups/{id}"))
        .await
        .assert_error(404, None);
}

#[tokio::test]
async fn built_in_groups_are_invisible_and_untouchable() {
    let h = Harness::start(acme()).await;
    let listed = h.get("/Groups").await;
    assert_eq!(listed.column("displayName"), ["Engineering", "Design"]);
    let alice = h.member("alice@acme.com").id;
    for builtin in BuiltinGroup::ALL {
        let group = &h.backend.groups_by_name(builtin.name())[0];
        let path = format!("/Groups/{}", group.id);
        h.get(&path).await.assert_error(404, None);
        h.delete(&path).await.assert_error(404, None);
        let add = patch_op(json!([{"op":"add","path":"members","value":[{"value":alice}]}]));
        h.patch(&path, &add).await.assert_error(404, None);
        let found = h
            .groups_where(&format!("displayName eq \"{}\"", builtin.name()))
            .await;
        assert_eq!(found.body["totalResults"], json!(0), "{}", builtin.name());
        let by_id = h.groups_where(&format!("id eq \"{}\"", group.id)).await;
        assert_eq!(by_id.body["totalResults"], json!(0));
    }
    assert_eq!(h.effect_count(), 0);
}

#[tokio::test]
async fn listing_includes_members_unless_excluded() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com").id;
    let listed = h.get("/Groups?startIndex=1&count=100").await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let engineering = &listed.resources()[0];
    assert_eq!(engineering["displayName"], json!("Engineering"));
    assert_eq!(
        engineering["members"],
        json!([{"value": bob, "$ref": format!("{}/scim/v2/Users/{bob}", h.root()), "type": "User"}])
    );
    let slim = h.get("/Groups?excludedAttributes=members").await;
    assert_eq!(slim.body["totalResults"], json!(2));
    for group in slim.resources() {
        assert!(group.get("members").is_none(), "{group}");
        assert!(group.get("displayName").is_some());
    }
    let one = h
        .get(&format!(
            "/Groups/{}?excludedAttributes={}",
            engineering["id"].as_str().unwrap_or_default(),
            encode("members")
        ))
        .await;
    assert_eq!(one.status, 200);
    assert!(one.body.get("members").is_none());
}

#[tokio::test]
async fn concurrent_pushes_of_one_name_create_one_group() {
    // An IdP retry overlapping the first push must not make a second group.
    let h = Harness::start(empty()).await;
    let body = okta_group("Sales");
    let answers = push_eight_at_once(&h, &body).await;
    let mut statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
    assert_eq!(h.groups_named("Sales"), 1);
    assert_eq!(h.kinds(), ["group_created"]);
}

/// Eight overlapping `POST /Groups` of `body`.
async fn push_eight_at_once(h: &Harness, body: &serde_json::Value) -> Vec<Answer> {
    let (a, b, c, d) = tokio::join!(
        h.post("/Groups", body),
        h.post("/Groups", body),
        h.post("/Groups", body),
        h.post("/Groups", body)
    );
    let (e, f, g, i) = tokio::join!(
        h.post("/Groups", body),
        h.post("/Groups", body),
        h.post("/Groups", body),
        h.post("/Groups", body)
    );
    vec![a, b, c, d, e, f, g, i]
}

#[tokio::test]
async fn a_failed_patch_changes_nothing() {
    // RFC 7644 §3.5.2: "If one of the operations fails, the entire request
    // fails" — the rename must not happen when a member is refused.
    let h = Harness::start(empty()).await;
    let id = h.push_group("Sales").await;
    let body = patch_op(json!([
        {"op":"replace","value":{"id":id,"displayName":"Sales EMEA"}},
        {"op":"add","path":"members","value":[{"value":"NOSUCHMEMBER00000000000000"}]}]));
    h.patch(&format!("/Groups/{id}"), &body)
        .await
        .assert_error(400, Some("invalidValue"));
    assert_eq!(h.backend.group(&id).map(|g| g.name), Some("Sales".into()));
    let put = json!({"schemas":[GROUP_URN],"displayName":"Sales EMEA","externalId":"00g1",
                     "members":[{"value":"NOSUCHMEMBER00000000000000"}]});
    h.put(&format!("/Groups/{id}"), &put)
        .await
        .assert_error(400, Some("invalidValue"));
    let group = h.backend.group(&id).expect("group");
    assert_eq!((group.name.as_str(), group.external_id), ("Sales", None));
    assert_eq!(h.kinds(), ["group_created"]);
}
