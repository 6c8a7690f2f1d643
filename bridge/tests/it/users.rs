//! `/Users` with Okta's exact requests (docs/okta-wire.md#3-assigning-a-user) and
//! 1Password's semantics (README, "The reference bridge").

use scimulate_backend::{AccountSeed, EffectKind, MemberState};
use serde_json::json;

use crate::support::{Harness, USER_URN, acme, empty, encode, okta_user, patch_op, set_active};

#[tokio::test]
async fn okta_create_of_a_new_person_invites_once() {
    // §3.2 verbatim: okta.local is neither public nor restricted here.
    let h = Harness::start(AccountSeed::empty("Okta Test")).await;
    let lookup = h.lookup("test.user@okta.local").await;
    assert_eq!(lookup.status, 200, "{}", lookup.text);
    assert_eq!(
        lookup.body,
        json!({"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
               "totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]})
    );
    let body = json!({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
     "userName":"test.user@okta.local",
     "name":{"givenName":"Test","familyName":"User"},
     "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
     "displayName":"Test User",
     "locale":"en-US",
     "externalId":"00ujl29u0le5T6Aj10h7",
     "groups":[],
     "password":"1mz050nq",
     "active":true});
    let answer = h.post("/Users", &body).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    assert!(answer.content_type().starts_with("application/scim+json"));
    let id = answer.id();
    let location = format!("{}/scim/v2/Users/{id}", h.root());
    assert_eq!(answer.header("location"), Some(location.as_str()));
    assert_eq!(answer.body["meta"]["location"], json!(location));
    assert_eq!(answer.body["userName"], json!("test.user@okta.local"));
    assert_eq!(answer.body["externalId"], json!("00ujl29u0le5T6Aj10h7"));
    assert_eq!(answer.body["active"], json!(true));
    assert_eq!(answer.body["name"]["givenName"], json!("Test"));
    assert!(answer.body.get("password").is_none());
    assert_eq!(h.kinds(), ["invite_sent"]);
    let member = h.member("test.user@okta.local");
    assert_eq!(member.id, id);
    assert_eq!(member.state, MemberState::Invited);
    assert!(member.provisioned);
    // Okta's next lookup finds the user.
    assert_eq!(h.lookup("test.user@okta.local").await.ids(), [id]);
}

#[tokio::test]
async fn lookup_accepts_percent_and_form_encoding() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com").id;
    let percent = h
        .get("/Users?filter=userName%20eq%20%22bob%40acme.com%22&startIndex=1&count=100")
        .await;
    assert_eq!(percent.ids(), [bob.as_str()]);
    let form = h
        .get("/Users?filter=userName+eq+%22bob%40acme.com%22&startIndex=1&count=100")
        .await;
    assert_eq!(form.ids(), [bob]);
    assert_eq!(h.effect_count(), 0);
}

#[tokio::test]
async fn post_for_an_unprovisioned_member_links_instead_of_inviting() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com");
    let groups_before = h.backend.snapshot().groups;
    let answer = h
        .post(
            "/Users",
            &okta_user("Bob@ACME.com", "Bob", "Builder", Some("00ubob")),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    assert_eq!(answer.id(), bob.id);
    assert_eq!(h.kinds(), ["member_linked"]);
    let linked = h.member("bob@acme.com");
    assert!(linked.provisioned);
    assert_eq!(linked.external_id.as_deref(), Some("00ubob"));
    assert_eq!(linked.state, MemberState::Active);
    assert_eq!(h.backend.snapshot().groups, groups_before);
    assert_eq!(answer.body["groups"][0]["display"], json!("Engineering"));
}

#[tokio::test]
async fn okta_link_flow_lookup_get_put_links_the_member() {
    // §3.3: filter finds the user → GET → PUT with Okta's values merged in.
    let h = Harness::start(acme()).await;
    let lookup = h.lookup("bob@acme.com").await;
    let id = lookup.ids().remove(0);
    let mut user = h.get(&format!("/Users/{id}")).await.body;
    user["externalId"] = json!("00ubob");
    user["name"]["givenName"] = json!("Bob");
    user["name"]["familyName"] = json!("Builder");
    user["active"] = json!(true);
    let answer = h.put(&format!("/Users/{id}"), &user).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["externalId"], json!("00ubob"));
    assert_eq!(h.kinds(), ["member_linked"]);
}

#[tokio::test]
async fn post_for_a_provisioned_user_is_409_and_changes_nothing() {
    let h = Harness::start(empty()).await;
    h.provision("carol@acme.com", "Carol", "Chen").await;
    let before = h.effect_count();
    let again = h
        .post(
            "/Users",
            &okta_user("CAROL@acme.com", "Carol", "Chen", None),
        )
        .await;
    again.assert_error(409, Some("uniqueness"));
    assert_eq!(h.effect_count(), before);
    assert_eq!(h.backend.snapshot().members.len(), 1);
}

#[tokio::test]
async fn post_for_a_guest_is_409_and_leaves_the_guest_alone() {
    let h = Harness::start(acme()).await;
    let gina = h.member("gina@acme.com");
    let answer = h
        .post("/Users", &okta_user("gina@acme.com", "Gina", "Gast", None))
        .await;
    answer.assert_error(409, Some("uniqueness"));
    assert!(answer.detail().contains("guest"), "{}", answer.detail());
    assert_eq!(h.effect_count(), 0);
    assert_eq!(h.member("gina@acme.com"), gina);
    // Guests are invisible to SCIM.
    assert_eq!(
        h.lookup("gina@acme.com").await.body["totalResults"],
        json!(0)
    );
    h.get(&format!("/Users/{}", gina.id))
        .await
        .assert_error(404, None);
}

#[tokio::test]
async fn public_and_not_allowed_domains_are_400_invalid_value() {
    let h = Harness::start(acme()).await;
    let members = h.backend.snapshot().members.len();
    for (email, reason) in [
        ("carol@gmail.com", "public_domain"),
        ("carol@example.org", "domain_not_allowed"),
    ] {
        let before = h.effect_count();
        let answer = h
            .post("/Users", &okta_user(email, "Carol", "Chen", None))
            .await;
        answer.assert_error(400, Some("invalidValue"));
        assert!(
            answer.detail().contains("1Password refused"),
            "{}",
            answer.detail()
        );
        let effects = h.backend.effects_after(before as u64);
        assert_eq!(effects.len(), 1, "{effects:?}");
        match &effects[0].kind {
            EffectKind::Refused {
                action,
                reason: why,
                ..
            } => {
                assert_eq!(action, "invite");
                assert_eq!(why.as_str(), reason);
            }
            other => panic!("expected refused, got {other:?}"),
        }
        assert!(h.backend.member_by_email(email).is_none());
    }
    assert_eq!(h.backend.snapshot().members.len(), members);
}

#[tokio::test]
async fn put_and_patch_link_an_unprovisioned_member_first() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com");
    let mut user = h.get(&format!("/Users/{}", bob.id)).await.body;
    user["name"]["givenName"] = json!("Robert");
    let answer = h.put(&format!("/Users/{}", bob.id), &user).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["name"]["givenName"], json!("Robert"));
    assert_eq!(h.kinds(), ["member_linked", "profile_updated"]);

    let ivan = h.member("ivan@acme.com");
    let answer = h
        .patch(&format!("/Users/{}", ivan.id), &set_active(false))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["active"], json!(false));
    assert_eq!(h.kinds_after(2), ["member_linked", "suspended"]);
    let ivan = h.member("ivan@acme.com");
    assert!(ivan.provisioned);
    // Invited and never set up: 1Password's TRANSFER_SUSPENDED.
    assert_eq!(ivan.state, MemberState::InviteSuspended);
}

#[tokio::test]
async fn okta_profile_update_get_then_put() {
    // §4: GET, overwrite what Okta maps, PUT the whole thing back.
    let h = Harness::start(empty()).await;
    let id = h.provision("test.user@acme.com", "Test", "User").await;
    let mut user = h.get(&format!("/Users/{id}")).await.body;
    user["name"] = json!({"givenName":"Another","middleName":"Excited","familyName":"User",
                          "formatted": user["name"]["formatted"].clone()});
    user["emails"][0]["display"] = json!("test.user@acme.com");
    let answer = h.put(&format!("/Users/{id}"), &user).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["name"]["givenName"], json!("Another"));
    assert_eq!(answer.body["name"]["familyName"], json!("User"));
    assert_eq!(answer.body["id"], json!(id));
    assert_eq!(h.kinds(), ["invite_sent", "profile_updated"]);
    // The same PUT again changes nothing.
    let again = h.put(&format!("/Users/{id}"), &user).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(h.effect_count(), 2);
}

#[tokio::test]
async fn display_name_alone_splits_given_and_family_name() {
    let h = Harness::start(empty()).await;
    let id = h.provision("jane@acme.com", "Jane", "Doe").await;
    let body = patch_op(json!([{"op":"replace","path":"displayName","value":"Jane Q Public"}]));
    let answer = h.patch(&format!("/Users/{id}"), &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.body["name"],
        json!({"formatted":"Jane Q Public","givenName":"Jane","familyName":"Q Public"})
    );
    assert_eq!(answer.body["displayName"], json!("Jane Q Public"));
    assert_eq!(h.kinds(), ["invite_sent", "profile_updated"]);
    let jane = h.member("jane@acme.com");
    assert_eq!(
        (jane.given_name.as_str(), jane.family_name.as_str()),
        ("Jane", "Q Public")
    );
}

#[tokio::test]
async fn new_user_name_starts_an_email_change() {
    let h = Harness::start(empty()).await;
    let id = h.provision("jane@acme.com", "Jane", "Doe").await;
    let body = patch_op(json!([{"op":"replace","path":"userName","value":"jane.doe@acme.com"}]));
    let answer = h.patch(&format!("/Users/{id}"), &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["userName"], json!("jane.doe@acme.com"));
    assert_eq!(h.kinds(), ["invite_sent", "email_change_requested"]);
    let jane = h.member("jane@acme.com");
    assert_eq!(jane.pending_email.as_deref(), Some("jane.doe@acme.com"));
    let read = h.get(&format!("/Users/{id}")).await;
    assert_eq!(read.body["userName"], json!("jane.doe@acme.com"));
    assert_eq!(read.body["emails"][0]["value"], json!("jane.doe@acme.com"));
    // Okta's next lookup by the new name finds the same user.
    assert_eq!(h.lookup("jane.doe@acme.com").await.ids(), [id]);
}

#[tokio::test]
async fn email_change_to_a_not_allowed_domain_is_refused() {
    let h = Harness::start(empty()).await;
    let id = h.provision("jane@acme.com", "Jane", "Doe").await;
    let body = patch_op(json!([{"op":"replace","path":"userName","value":"jane@newco.com"}]));
    let answer = h.patch(&format!("/Users/{id}"), &body).await;
    answer.assert_error(400, Some("invalidValue"));
    assert_eq!(h.kinds(), ["invite_sent", "refused"]);
    let jane = h.member("jane@acme.com");
    assert_eq!(jane.email, "jane@acme.com");
    assert_eq!(jane.pending_email, None);
    let read = h.get(&format!("/Users/{id}")).await;
    assert_eq!(read.body["userName"], json!("jane@acme.com"));
}

#[tokio::test]
async fn okta_deactivate_then_reactivate() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com").id;
    // Link first, as Okta would (POST finds him).
    h.post(
        "/Users",
        &okta_user("bob@acme.com", "Bob", "Builder", Some("00ubob")),
    )
    .await;
    let off = h.patch(&format!("/Users/{bob}"), &set_active(false)).await;
    assert_eq!(off.status, 200, "{}", off.text);
    assert_eq!(off.body["active"], json!(false));
    assert_eq!(h.member("bob@acme.com").state, MemberState::Suspended);
    // Deactivating twice is a no-op.
    let again = h.patch(&format!("/Users/{bob}"), &set_active(false)).await;
    assert_eq!(again.status, 200, "{}", again.text);
    let on = h.patch(&format!("/Users/{bob}"), &set_active(true)).await;
    assert_eq!(on.status, 200, "{}", on.text);
    assert_eq!(on.body["active"], json!(true));
    assert_eq!(on.id(), bob);
    assert_eq!(h.member("bob@acme.com").state, MemberState::Active);
    assert_eq!(h.kinds(), ["member_linked", "suspended", "reactivated"]);
}

#[tokio::test]
async fn deactivating_a_new_invitee_suspends_the_invitation() {
    let h = Harness::start(empty()).await;
    let id = h.provision("carol@acme.com", "Carol", "Chen").await;
    let off = h.patch(&format!("/Users/{id}"), &set_active(false)).await;
    assert_eq!(off.status, 200, "{}", off.text);
    assert_eq!(
        h.member("carol@acme.com").state,
        MemberState::InviteSuspended
    );
    let on = h.patch(&format!("/Users/{id}"), &set_active(true)).await;
    assert_eq!(on.status, 200, "{}", on.text);
    assert_eq!(h.member("carol@acme.com").state, MemberState::Invited);
    assert_eq!(h.kinds(), ["invite_sent", "suspended", "reactivated"]);
}

#[tokio::test]
async fn post_with_active_false_invites_then_suspends() {
    let h = Harness::start(empty()).await;
    let mut body = okta_user("carol@acme.com", "Carol", "Chen", None);
    body["active"] = json!(false);
    let answer = h.post("/Users", &body).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    assert_eq!(answer.body["active"], json!(false));
    assert_eq!(h.kinds(), ["invite_sent", "suspended"]);
}

#[tokio::test]
async fn delete_suspends_and_the_user_stays_listed_inactive() {
    let h = Harness::start(empty()).await;
    let id = h.provision("carol@acme.com", "Carol", "Chen").await;
    let answer = h.delete(&format!("/Users/{id}")).await;
    assert_eq!(answer.status, 204, "{}", answer.text);
    assert!(answer.text.is_empty());
    assert_eq!(h.kinds(), ["invite_sent", "suspended"]);
    assert_eq!(
        h.member("carol@acme.com").state,
        MemberState::InviteSuspended
    );
    let listed = h.get("/Users").await;
    assert_eq!(listed.ids(), [id.as_str()]);
    assert_eq!(listed.resources()[0]["active"], json!(false));
    let read = h.get(&format!("/Users/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["active"], json!(false));
    // A second DELETE changes nothing.
    assert_eq!(h.delete(&format!("/Users/{id}")).await.status, 204);
    assert_eq!(h.effect_count(), 2);
}

#[tokio::test]
async fn unknown_user_id_is_404() {
    let h = Harness::start(acme()).await;
    for method_path in ["/Users/NOSUCHUSER0000000000000000", "/Users/nobody"] {
        h.get(method_path).await.assert_error(404, None);
        h.delete(method_path).await.assert_error(404, None);
        h.patch(method_path, &set_active(false))
            .await
            .assert_error(404, None);
        h.put(method_path, &okta_user("x@acme.com", "X", "Y", None))
            .await
            .assert_error(404, None);
    }
    assert_eq!(h.effect_count(), 0);
}

#[tokio::test]
async fn the_last_owner_cannot_be_suspended() {
    let h = Harness::start(acme()).await;
    let alice = h.member("alice@acme.com").id;
    let answer = h.delete(&format!("/Users/{alice}")).await;
    answer.assert_error(400, Some("mutability"));
    assert_eq!(h.kinds(), ["refused"]);
    let answer = h
        .patch(&format!("/Users/{alice}"), &set_active(false))
        .await;
    answer.assert_error(400, Some("mutability"));
    assert_eq!(h.member("alice@acme.com").state, MemberState::Active);
    // The PATCH links her first (she was not provisioned); only the suspend
    // is refused.
    assert_eq!(h.kinds_after(1), ["member_linked", "refused"]);
}

#[tokio::test]
async fn get_shows_the_user_as_okta_reads_it() {
    let h = Harness::start(acme()).await;
    let bob = h.member("bob@acme.com");
    let answer = h.get(&format!("/Users/{}", bob.id)).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let engineering = h.backend.groups_by_name("Engineering")[0].id.clone();
    let base = format!("{}/scim/v2", h.root());
    assert_eq!(
        answer.body,
        json!({
            "schemas": [USER_URN],
            "id": bob.id,
            "userName": "bob@acme.com",
            "name": {"formatted": "Bob Builder", "givenName": "Bob", "familyName": "Builder"},
            "displayName": "Bob Builder",
            "emails": [{"value": "bob@acme.com", "type": "work", "primary": true}],
            "active": true,
            "groups": [{"value": engineering, "$ref": format!("{base}/Groups/{engineering}"),
                        "display": "Engineering", "type": "direct"}],
            "meta": {
                "resourceType": "User",
                "created": bob.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "lastModified": bob.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "location": format!("{base}/Users/{}", bob.id),
                "version": "W/\"1\"",
            }
        })
    );
    let projected = h
        .get(&format!(
            "/Users/{}?attributes={}",
            bob.id,
            encode("userName,active")
        ))
        .await;
    assert_eq!(
        projected.body,
        json!({"schemas":[USER_URN],"id":bob.id,"userName":"bob@acme.com","active":true})
    );
}

#[tokio::test]
async fn put_without_active_keeps_a_suspended_user_suspended() {
    // RFC 7644 §3.5.1 lets the provider choose for an attribute a PUT leaves
    // out; silently reactivating a suspended person is the unsafe choice.
    let h = Harness::start(empty()).await;
    let id = h.provision("dora@acme.com", "Dora", "Dahl").await;
    assert_eq!(
        h.patch(&format!("/Users/{id}"), &set_active(false))
            .await
            .status,
        200
    );
    let mut body = okta_user("dora@acme.com", "Dora", "Dahl-Berg", None);
    body.as_object_mut().map(|o| o.remove("active"));
    let answer = h.put(&format!("/Users/{id}"), &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["active"], json!(false));
    assert!(
        !h.kinds().contains(&"reactivated".to_string()),
        "{:?}",
        h.kinds()
    );
}
