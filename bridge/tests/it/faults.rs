//! Every `--fault` of the catalogue misbehaves as its doc says, over HTTP,
//! and no fault goes untested.

use reqwest::Method;
use scimulate_backend::{EffectKind, MemberState, Refusal};
use scimulate_bridge::{FAULTS, Fault};
use serde_json::json;

use crate::support::{
    Harness, acme, crowd, empty, okta_group, okta_user, patch_op, send, set_active,
};

/// The faults a test below proves; `every_fault_has_a_test` holds the list
/// to the catalogue.
const TESTED: &[&str] = &[
    "invite-existing-member",
    "case-sensitive-username",
    "delete-instead-of-suspend",
    "ignore-deactivate",
    "ignore-reactivate",
    "duplicate-groups",
    "zero-based-paging",
    "ignore-count",
    "wrong-total-results",
    "string-total-results",
    "ignore-filter",
    "ignore-member-removal",
    "rename-creates-group",
    "patch-requires-path",
    "no-location-header",
    "create-returns-200",
    "accept-any-token",
    "plain-text-errors",
    "provisioning-off-500",
    "display-name-not-split",
    "ignore-email-change",
    "expose-builtin-groups",
    "link-guests",
    "first-operation-only",
    "first-member-only",
    "eq-matches-prefix",
    "filter-hides-inactive",
    "ignore-excluded-attributes",
    "drop-external-id",
    "meta-inconsistent",
    "page-aligned-start-index",
    "keep-cleared-attributes",
    "groups-ignore-start-index",
];

#[test]
fn every_fault_has_a_test() {
    let catalogue: Vec<&str> = FAULTS.iter().map(|info| info.name).collect();
    let untested: Vec<&&str> = catalogue.iter().filter(|n| !TESTED.contains(n)).collect();
    assert!(untested.is_empty(), "faults without a test: {untested:?}");
    let unknown: Vec<&&str> = TESTED.iter().filter(|n| !catalogue.contains(n)).collect();
    assert!(
        unknown.is_empty(),
        "tested names not in the catalogue: {unknown:?}"
    );
}

/// The reason of the one `refused` effect after `seq`.
#[track_caller]
fn refused_after(h: &Harness, seq: usize) -> (String, Refusal) {
    let effects = h.backend.effects_after(seq as u64);
    match effects.as_slice() {
        [effect] => match &effect.kind {
            EffectKind::Refused { action, reason, .. } => (action.clone(), *reason),
            other => panic!("expected refused, got {other:?}"),
        },
        other => panic!("expected one effect, got {other:?}"),
    }
}

#[tokio::test]
async fn invite_existing_member() {
    let h = Harness::with_faults(acme(), &[Fault::InviteExistingMember]).await;
    let answer = h
        .post("/Users", &okta_user("bob@acme.com", "Bob", "Builder", None))
        .await;
    // It invites instead of linking; the account refuses the taken e-mail.
    answer.assert_error(409, Some("uniqueness"));
    assert_eq!(
        refused_after(&h, 0),
        ("invite".to_string(), Refusal::EmailTaken)
    );
    assert!(!h.member("bob@acme.com").provisioned);
}

#[tokio::test]
async fn case_sensitive_username() {
    let h = Harness::with_faults(acme(), &[Fault::CaseSensitiveUserName]).await;
    let answer = h.users_where("userName eq \"BOB@acme.com\"").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["totalResults"], json!(0));
    assert_eq!(
        h.users_where("userName eq \"bob@acme.com\"").await.body["totalResults"],
        json!(1)
    );
    // The create-time lookup misses too, so it invites.
    let answer = h
        .post("/Users", &okta_user("Bob@ACME.com", "Bob", "Builder", None))
        .await;
    answer.assert_error(409, Some("uniqueness"));
    assert_eq!(
        refused_after(&h, 0),
        ("invite".to_string(), Refusal::EmailTaken)
    );
}

#[tokio::test]
async fn delete_instead_of_suspend() {
    let h = Harness::with_faults(empty(), &[Fault::DeleteInsteadOfSuspend]).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let answer = h
        .patch(&format!("/Users/{carol}"), &set_active(false))
        .await;
    assert_eq!(answer.status, 204, "{}", answer.text);
    assert_eq!(h.kinds(), ["invite_sent", "member_deleted"]);
    assert!(h.backend.member(&carol).is_none());
    let dan = h.provision("dan@acme.com", "Dan", "Dole").await;
    assert_eq!(h.delete(&format!("/Users/{dan}")).await.status, 204);
    assert_eq!(h.kinds_after(3), ["member_deleted"]);
    assert_eq!(h.get("/Users").await.body["totalResults"], json!(0));
}

#[tokio::test]
async fn ignore_deactivate() {
    let h = Harness::with_faults(empty(), &[Fault::IgnoreDeactivate]).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let answer = h
        .patch(&format!("/Users/{carol}"), &set_active(false))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["active"], json!(true));
    assert_eq!(h.kinds(), ["invite_sent"]);
    assert_eq!(h.member("carol@acme.com").state, MemberState::Invited);
}

#[tokio::test]
async fn ignore_reactivate() {
    let h = Harness::with_faults(acme(), &[Fault::IgnoreReactivate]).await;
    let sam = h.member("sam@acme.com").id;
    let answer = h.patch(&format!("/Users/{sam}"), &set_active(true)).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["active"], json!(false));
    assert_eq!(h.kinds(), ["member_linked"]);
    assert_eq!(h.member("sam@acme.com").state, MemberState::Suspended);
}

#[tokio::test]
async fn duplicate_groups() {
    let h = Harness::with_faults(acme(), &[Fault::DuplicateGroups]).await;
    let answer = h.post("/Groups", &okta_group("Engineering")).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    h.push_group("Sales").await;
    h.push_group("sales").await;
    assert_eq!(h.groups_named("Engineering"), 2);
    assert_eq!(h.groups_named("Sales"), 2);
    assert_eq!(
        h.kinds(),
        ["group_created", "group_created", "group_created"]
    );
}

#[tokio::test]
async fn zero_based_paging() {
    let h = Harness::with_faults(crowd(3), &[Fault::ZeroBasedPaging]).await;
    let answer = h.get("/Users?startIndex=1&count=100").await;
    assert_eq!(
        answer.column("userName"),
        ["user002@acme.com", "user003@acme.com"]
    );
    assert_eq!(answer.body["totalResults"], json!(3));
}

#[tokio::test]
async fn ignore_count() {
    let h = Harness::with_faults(crowd(5), &[Fault::IgnoreCount]).await;
    let answer = h.get("/Users?startIndex=1&count=2").await;
    assert_eq!(answer.resources().len(), 5);
    assert_eq!(answer.body["itemsPerPage"], json!(5));
}

#[tokio::test]
async fn wrong_total_results() {
    let h = Harness::with_faults(crowd(5), &[Fault::WrongTotalResults]).await;
    let answer = h.get("/Users?startIndex=1&count=2").await;
    assert_eq!(answer.resources().len(), 2);
    assert_eq!(answer.body["totalResults"], json!(2));
}

#[tokio::test]
async fn string_total_results() {
    let h = Harness::with_faults(crowd(5), &[Fault::StringTotalResults]).await;
    let answer = h.get("/Users?startIndex=1&count=2").await;
    assert_eq!(answer.body["totalResults"], json!("5"));
    assert_eq!(answer.body["startIndex"], json!("1"));
    assert_eq!(answer.body["itemsPerPage"], json!("2"));
}

#[tokio::test]
async fn ignore_filter() {
    let h = Harness::with_faults(acme(), &[Fault::IgnoreFilter]).await;
    let answer = h.lookup("bob@acme.com").await;
    assert_eq!(answer.body["totalResults"], json!(4));
    assert_eq!(answer.column("userName")[0], "alice@acme.com");
    let groups = h.groups_where("displayName eq \"Design\"").await;
    assert_eq!(groups.column("displayName"), ["Engineering", "Design"]);
}

#[tokio::test]
async fn ignore_member_removal() {
    let h = Harness::with_faults(empty(), &[Fault::IgnoreMemberRemoval]).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let mut body = okta_group("Sales");
    body["members"] = json!([{"value":carol}]);
    let group = h.post("/Groups", &body).await.id();
    let remove = patch_op(json!([{"op":"remove","path":format!("members[value eq \"{carol}\"]")}]));
    let answer = h.patch(&format!("/Groups/{group}"), &remove).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["members"][0]["value"], json!(carol));
    assert_eq!(
        h.backend.group(&group).map(|g| g.members),
        Some(vec![carol])
    );
    assert_eq!(h.kinds(), ["invite_sent", "group_created", "member_added"]);
}

#[tokio::test]
async fn rename_creates_group() {
    let h = Harness::with_faults(empty(), &[Fault::RenameCreatesGroup]).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let mut body = okta_group("Sales");
    body["members"] = json!([{"value":carol}]);
    let group = h.post("/Groups", &body).await.id();
    let rename =
        patch_op(json!([{"op":"replace","value":{"id":group,"displayName":"Sales EMEA"}}]));
    let answer = h.patch(&format!("/Groups/{group}"), &rename).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_ne!(answer.id(), group);
    assert_eq!(answer.body["members"], json!([]));
    assert_eq!(h.groups_named("Sales"), 1);
    assert_eq!(h.groups_named("Sales EMEA"), 1);
    assert_eq!(h.kinds_after(3), ["group_created"]);
}

#[tokio::test]
async fn patch_requires_path() {
    let h = Harness::with_faults(empty(), &[Fault::PatchRequiresPath]).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    h.patch(&format!("/Users/{carol}"), &set_active(false))
        .await
        .assert_error(400, Some("invalidPath"));
    let with_path = patch_op(json!([{"op":"replace","path":"active","value":false}]));
    assert_eq!(
        h.patch(&format!("/Users/{carol}"), &with_path).await.status,
        200
    );
    assert_eq!(h.kinds(), ["invite_sent", "suspended"]);
}

#[tokio::test]
async fn no_location_header() {
    let h = Harness::with_faults(empty(), &[Fault::NoLocationHeader]).await;
    let user = h
        .post(
            "/Users",
            &okta_user("carol@acme.com", "Carol", "Chen", None),
        )
        .await;
    assert_eq!(user.status, 201);
    assert_eq!(user.header("location"), None);
    let group = h.post("/Groups", &okta_group("Sales")).await;
    assert_eq!(group.status, 201);
    assert_eq!(group.header("location"), None);
}

#[tokio::test]
async fn create_returns_200() {
    let h = Harness::with_faults(empty(), &[Fault::CreateReturns200]).await;
    let user = h
        .post(
            "/Users",
            &okta_user("carol@acme.com", "Carol", "Chen", None),
        )
        .await;
    assert_eq!(user.status, 200, "{}", user.text);
    assert_eq!(h.post("/Groups", &okta_group("Sales")).await.status, 200);
    assert_eq!(h.kinds(), ["invite_sent", "group_created"]);
}

#[tokio::test]
async fn accept_any_token() {
    let h = Harness::with_faults(acme(), &[Fault::AcceptAnyToken]).await;
    let anonymous = send(h.anonymous(Method::GET, "/scim/v2/Users")).await;
    assert_eq!(anonymous.status, 200, "{}", anonymous.text);
    let wrong = send(
        h.anonymous(Method::GET, "/scim/v2/Users")
            .bearer_auth("wrong"),
    )
    .await;
    assert_eq!(wrong.status, 200);
    let bob = h.member("bob@acme.com").id;
    let delete = send(h.anonymous(Method::DELETE, &format!("/scim/v2/Users/{bob}"))).await;
    assert_eq!(delete.status, 204);
    assert_eq!(h.kinds(), ["suspended"]);
}

#[tokio::test]
async fn plain_text_errors() {
    let h = Harness::with_faults(acme(), &[Fault::PlainTextErrors]).await;
    let missing = h.get("/Users/nobody").await;
    assert_eq!(missing.status, 404);
    assert!(
        missing.content_type().starts_with("text/plain"),
        "{:?}",
        missing.headers
    );
    assert!(missing.text.starts_with("Error: "), "{}", missing.text);
    let unauthorized = send(h.anonymous(Method::GET, "/scim/v2/Users")).await;
    assert_eq!(unauthorized.status, 401);
    assert!(unauthorized.content_type().starts_with("text/plain"));
    assert!(unauthorized.header("www-authenticate").is_some());
    let bad = h.users_where("userName eq").await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body, serde_json::Value::Null);
}

#[tokio::test]
async fn provisioning_off_500() {
    let h = Harness::with_faults(acme(), &[Fault::ProvisioningOff500]).await;
    h.backend.set_provisioning(false);
    let answer = h.get("/Users?startIndex=1&count=2").await;
    answer.assert_error(500, None);
    assert!(!answer.detail().contains("Provisioning users & groups"));
}

#[tokio::test]
async fn display_name_not_split() {
    let h = Harness::with_faults(empty(), &[Fault::DisplayNameNotSplit]).await;
    let jane = h.provision("jane@acme.com", "Jane", "Doe").await;
    let body = patch_op(json!([{"op":"replace","path":"displayName","value":"Jane Q Public"}]));
    let answer = h.patch(&format!("/Users/{jane}"), &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["displayName"], json!("Jane Q Public"));
    assert_eq!(answer.body["name"]["familyName"], json!("Doe"));
    assert_eq!(h.member("jane@acme.com").family_name, "Doe");
}

#[tokio::test]
async fn ignore_email_change() {
    let h = Harness::with_faults(empty(), &[Fault::IgnoreEmailChange]).await;
    let jane = h.provision("jane@acme.com", "Jane", "Doe").await;
    let body = patch_op(json!([{"op":"replace","path":"userName","value":"jane.doe@acme.com"}]));
    let answer = h.patch(&format!("/Users/{jane}"), &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["userName"], json!("jane@acme.com"));
    assert_eq!(h.kinds(), ["invite_sent"]);
    assert_eq!(h.member("jane@acme.com").pending_email, None);
}

#[tokio::test]
async fn expose_builtin_groups() {
    let h = Harness::with_faults(acme(), &[Fault::ExposeBuiltinGroups]).await;
    let listed = h.get("/Groups").await;
    assert_eq!(
        listed.column("displayName"),
        [
            "Owners",
            "Administrators",
            "Team Members",
            "Security",
            "Provision Managers",
            "Engineering",
            "Design"
        ]
    );
    let owners = h.backend.groups_by_name("Owners")[0].id.clone();
    assert_eq!(h.get(&format!("/Groups/{owners}")).await.status, 200);
    // Writable over SCIM: the write reaches the account, which refuses it.
    let bob = h.member("bob@acme.com").id;
    let add = patch_op(json!([{"op":"add","path":"members","value":[{"value":bob}]}]));
    h.patch(&format!("/Groups/{owners}"), &add)
        .await
        .assert_error(400, Some("mutability"));
    assert_eq!(
        refused_after(&h, 0),
        ("add_member".to_string(), Refusal::BuiltinGroup)
    );
}

#[tokio::test]
async fn link_guests() {
    let h = Harness::with_faults(acme(), &[Fault::LinkGuests]).await;
    let answer = h
        .post("/Users", &okta_user("gina@acme.com", "Gina", "Gast", None))
        .await;
    answer.assert_error(400, Some("mutability"));
    assert_eq!(refused_after(&h, 0), ("link".to_string(), Refusal::Guest));
}

#[tokio::test]
async fn first_operation_only() {
    let h = Harness::with_faults(empty(), &[Fault::FirstOperationOnly]).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let dave = h.provision("dave@acme.com", "Dave", "Dunn").await;
    let mut body = okta_group("Sales");
    body["members"] = json!([{"value":carol}]);
    let group = h.post("/Groups", &body).await.id();
    // Okta's batch: the remove and the add in one PATCH (§8.4).
    let batch = patch_op(json!([
        {"op":"remove","path":format!("members[value eq \"{carol}\"]")},
        {"op":"add","path":"members","value":[{"value":dave,"display":"dave@acme.com"}]}
    ]));
    let answer = h.patch(&format!("/Groups/{group}"), &batch).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(h.backend.group(&group).map(|g| g.members), Some(vec![]));
}

#[tokio::test]
async fn first_member_only() {
    let h = Harness::with_faults(empty(), &[Fault::FirstMemberOnly]).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let dave = h.provision("dave@acme.com", "Dave", "Dunn").await;
    let group = h.post("/Groups", &okta_group("Sales")).await.id();
    let add = patch_op(json!([{"op":"add","path":"members","value":[
        {"value":carol,"display":"carol@acme.com"},
        {"value":dave,"display":"dave@acme.com"}
    ]}]));
    let answer = h.patch(&format!("/Groups/{group}"), &add).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        h.backend.group(&group).map(|g| g.members),
        Some(vec![carol])
    );
}

#[tokio::test]
async fn eq_matches_prefix() {
    let h = Harness::with_faults(empty(), &[Fault::EqMatchesPrefix]).await;
    h.provision("carol@acme.com", "Carol", "Chen").await;
    let answer = h.lookup("carol@acme.co").await;
    assert_eq!(answer.body["totalResults"], json!(1));
    assert_eq!(answer.column("userName"), ["carol@acme.com"]);
    let clean = Harness::start(empty()).await;
    clean.provision("carol@acme.com", "Carol", "Chen").await;
    assert_eq!(
        clean.lookup("carol@acme.co").await.body["totalResults"],
        json!(0)
    );
}

#[tokio::test]
async fn filter_hides_inactive() {
    let h = Harness::with_faults(empty(), &[Fault::FilterHidesInactive]).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    assert_eq!(
        h.lookup("carol@acme.com").await.body["totalResults"],
        json!(1)
    );
    let answer = h
        .patch(&format!("/Users/{carol}"), &set_active(false))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        h.lookup("carol@acme.com").await.body["totalResults"],
        json!(0)
    );
    let read = h.get(&format!("/Users/{carol}")).await;
    assert_eq!(read.body["active"], json!(false));
}

#[tokio::test]
async fn ignore_excluded_attributes() {
    let h = Harness::with_faults(empty(), &[Fault::IgnoreExcludedAttributes]).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let mut body = okta_group("Sales");
    body["members"] = json!([{"value":carol}]);
    let group = h.post("/Groups", &body).await.id();
    let path = format!("/Groups/{group}?excludedAttributes=members");
    assert_eq!(h.get(&path).await.body["members"][0]["value"], json!(carol));
    let clean = Harness::start(empty()).await;
    let carol = clean.provision("carol@acme.com", "Carol", "Chen").await;
    body["members"] = json!([{"value":carol}]);
    let group = clean.post("/Groups", &body).await.id();
    let path = format!("/Groups/{group}?excludedAttributes=members");
    assert!(clean.get(&path).await.body.get("members").is_none());
}

#[tokio::test]
async fn drop_external_id() {
    let h = Harness::with_faults(empty(), &[Fault::DropExternalId]).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let read = h.get(&format!("/Users/{carol}")).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert!(read.body.get("externalId").is_none(), "{}", read.text);
    let clean = Harness::start(empty()).await;
    let carol = clean.provision("carol@acme.com", "Carol", "Chen").await;
    assert!(clean.get(&format!("/Users/{carol}")).await.body["externalId"].is_string());
}

#[tokio::test]
async fn meta_inconsistent() {
    let h = Harness::with_faults(empty(), &[Fault::MetaInconsistent]).await;
    let carol = h.provision("carol@acme.com", "Carol", "Chen").await;
    let meta = h.get(&format!("/Users/{carol}")).await.body["meta"].clone();
    assert!(meta.get("created").is_none(), "{meta}");
    assert_eq!(meta["lastModified"], json!("1970-01-01T00:00:00Z"));
    assert!(
        meta["location"]
            .as_str()
            .is_some_and(|l| l.ends_with("/Users")),
        "{meta}"
    );
}

#[tokio::test]
async fn page_aligned_start_index() {
    let h = Harness::with_faults(crowd(5), &[Fault::PageAlignedStartIndex]).await;
    let okta_pages = h.get("/Users?startIndex=1&count=2").await;
    assert_eq!(okta_pages.resources().len(), 2);
    let shifted = h.get("/Users?startIndex=2&count=2").await;
    assert_eq!(shifted.ids(), okta_pages.ids(), "startIndex 2 starts at 1");
    let clean = Harness::start(crowd(5)).await;
    let from_second = clean.get("/Users?startIndex=2&count=2").await.ids();
    assert_eq!(
        from_second[0],
        clean.get("/Users?startIndex=1&count=2").await.ids()[1]
    );
}

#[tokio::test]
async fn keep_cleared_attributes() {
    // Okta's PUT leaves out what its admin cleared (docs/okta-wire.md#4-profile-updates).
    async fn cleared_display(h: &Harness) -> serde_json::Value {
        let id = h.provision("jane@acme.com", "Jane", "Doe").await;
        let path = format!("/Users/{id}");
        let mut user = h.get(&path).await.body;
        user["displayName"] = json!("JD");
        assert_eq!(h.put(&path, &user).await.body["displayName"], json!("JD"));
        user.as_object_mut().expect("a user").remove("displayName");
        let answer = h.put(&path, &user).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        h.get(&path).await.body["displayName"].clone()
    }
    let h = Harness::with_faults(empty(), &[Fault::KeepClearedAttributes]).await;
    assert_eq!(cleared_display(&h).await, json!("JD"));
    let clean = Harness::start(empty()).await;
    assert_eq!(cleared_display(&clean).await, json!("Jane Doe"));
}

#[tokio::test]
async fn groups_ignore_start_index() {
    let h = Harness::with_faults(acme(), &[Fault::GroupsIgnoreStartIndex]).await;
    let first = h.get("/Groups?startIndex=1&count=1").await.body["Resources"].clone();
    let second = h.get("/Groups?startIndex=2&count=1").await.body["Resources"].clone();
    assert_eq!(first, second, "page 2 repeats page 1");
    let users = h.get("/Users?startIndex=2&count=1").await.body["Resources"].clone();
    assert_ne!(
        users,
        h.get("/Users?startIndex=1&count=1").await.body["Resources"]
    );
    let clean = Harness::start(acme()).await;
    let first = clean.get("/Groups?startIndex=1&count=1").await.body["Resources"].clone();
    let second = clean.get("/Groups?startIndex=2&count=1").await.body["Resources"].clone();
    assert_ne!(first, second);
    assert_eq!(
        second.as_array().map(Vec::len),
        Some(1),
        "acme has two groups or more"
    );
}
