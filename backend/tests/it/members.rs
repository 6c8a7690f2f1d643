//! The member routes of backend/API.md, over HTTP.

use scimulate_backend::{EffectKind, LinkRequest, MemberState, ProfileUpdate, Refusal};

use crate::{invitation, kinds, refusal, refused, start};

#[tokio::test]
async fn invite_then_accept_then_suspend_and_reactivate() {
    let (backend, client) = start("empty.toml").await;
    let carol = client.invite(&invitation("carol@acme.com")).await.unwrap();
    assert_eq!(carol.state, MemberState::Invited);
    assert!(carol.provisioned);
    let carol = client.accept_invite(&carol.id).await.unwrap();
    assert_eq!(carol.state, MemberState::Active);
    let carol = client.suspend(&carol.id).await.unwrap();
    assert_eq!(carol.state, MemberState::Suspended);
    let carol = client.reactivate(&carol.id).await.unwrap();
    assert_eq!(carol.state, MemberState::Active);
    assert_eq!(carol.version, 4);
    assert_eq!(
        kinds(&backend.effects()),
        ["invite_sent", "invite_accepted", "suspended", "reactivated"]
    );
    assert_eq!(backend.member_by_email("CAROL@acme.com"), Some(carol));
}

#[tokio::test]
async fn a_never_set_up_member_is_invite_suspended() {
    let (_backend, client) = start("acme.toml").await;
    let ivan = client
        .members_by_email("ivan@acme.com")
        .await
        .unwrap()
        .items[0]
        .clone();
    let ivan = client.suspend(&ivan.id).await.unwrap();
    assert_eq!(ivan.state, MemberState::InviteSuspended);
    let ivan = client.reactivate(&ivan.id).await.unwrap();
    assert_eq!(ivan.state, MemberState::Invited);
}

#[tokio::test]
async fn lookups_by_email_external_id_and_id() {
    let (_backend, client) = start("acme.toml").await;
    let page = client.members_by_email("BOB@ACME.COM").await.unwrap();
    assert_eq!(page.total, 1);
    let bob = page.items[0].clone();
    assert_eq!(bob.email, "bob@acme.com");
    assert_eq!(
        client
            .members_by_email("nobody@acme.com")
            .await
            .unwrap()
            .total,
        0
    );
    let request = LinkRequest {
        external_id: Some("00u-bob".into()),
    };
    client.link(&bob.id, &request).await.unwrap();
    let page = client.members_by_external_id("00u-bob").await.unwrap();
    assert_eq!(page.items[0].id, bob.id);
    assert_eq!(client.member(&bob.id).await.unwrap().unwrap().id, bob.id);
    assert_eq!(client.member("NOSUCHMEMBER").await.unwrap(), None);
}

#[tokio::test]
async fn listing_pages_through_members_in_creation_order() {
    let (_backend, client) = start("acme.toml").await;
    let all = client.list_members(0, None).await.unwrap();
    assert_eq!(all.total, 5);
    let emails: Vec<_> = all.items.iter().map(|m| m.email.as_str()).collect();
    assert_eq!(
        emails,
        [
            "alice@acme.com",
            "bob@acme.com",
            "gina@acme.com",
            "ivan@acme.com",
            "sam@acme.com"
        ]
    );
    let page = client.list_members(2, Some(2)).await.unwrap();
    assert_eq!(page.total, 5);
    assert_eq!(page.items, all.items[2..4]);
    assert!(
        client
            .list_members(10, Some(2))
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn existing_members_are_linked_once_not_reinvited() {
    let (backend, client) = start("acme.toml").await;
    assert_eq!(
        refusal(client.invite(&invitation("Bob@acme.com")).await),
        Refusal::EmailTaken
    );
    let bob = backend.member_by_email("bob@acme.com").unwrap();
    let linked = client.link(&bob.id, &LinkRequest::default()).await.unwrap();
    assert!(linked.provisioned);
    let again = client.link(&bob.id, &LinkRequest::default()).await.unwrap();
    assert_eq!(again, linked);
    let effects = backend.effects();
    assert_eq!(kinds(&effects), ["refused", "member_linked"]);
    assert_eq!(refused(&effects[0]), ("invite", Refusal::EmailTaken));
}

#[tokio::test]
async fn invitations_check_the_domain() {
    let (backend, client) = start("acme.toml").await;
    assert_eq!(
        refusal(client.invite(&invitation("x@gmail.com")).await),
        Refusal::PublicDomain
    );
    assert_eq!(
        refusal(client.invite(&invitation("x@example.com")).await),
        Refusal::DomainNotAllowed
    );
    assert_eq!(
        refusal(client.invite(&invitation("x@acme")).await),
        Refusal::InvalidEmail
    );
    assert!(client.invite(&invitation("x@ACME.IO")).await.is_ok());
    assert_eq!(
        kinds(&backend.effects()),
        ["refused", "refused", "refused", "invite_sent"]
    );
}

#[tokio::test]
async fn guests_are_left_alone() {
    let (backend, client) = start("acme.toml").await;
    let gina = backend.member_by_email("gina@acme.com").unwrap();
    assert_eq!(
        refusal(client.invite(&invitation("gina@acme.com")).await),
        Refusal::Guest
    );
    assert_eq!(
        refusal(client.link(&gina.id, &LinkRequest::default()).await),
        Refusal::Guest
    );
    let update = ProfileUpdate {
        given_name: Some("G".into()),
        ..Default::default()
    };
    assert_eq!(
        refusal(client.update_profile(&gina.id, &update).await),
        Refusal::Guest
    );
    assert_eq!(refusal(client.suspend(&gina.id).await), Refusal::Guest);
    assert_eq!(refusal(client.reactivate(&gina.id).await), Refusal::Guest);
    assert_eq!(
        refusal(client.request_email_change(&gina.id, "g@acme.com").await),
        Refusal::Guest
    );
    assert_eq!(backend.member(&gina.id), Some(gina));
    assert_eq!(backend.effects().len(), 6);
}

#[tokio::test]
async fn profile_updates_log_changed_names() {
    let (backend, client) = start("acme.toml").await;
    let bob = backend.member_by_email("bob@acme.com").unwrap();
    let update = ProfileUpdate {
        display_name: Some("Robert Builder".into()),
        given_name: Some("Bob".into()),
        ..Default::default()
    };
    let updated = client.update_profile(&bob.id, &update).await.unwrap();
    assert_eq!(updated.display_name, "Robert Builder");
    let same = client.update_profile(&bob.id, &update).await.unwrap();
    assert_eq!(same.version, updated.version);
    let effects = backend.effects();
    let [effect] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let EffectKind::ProfileUpdated { changes, .. } = &effect.kind else {
        panic!("{effect:?}")
    };
    assert_eq!(changes.keys().collect::<Vec<_>>(), ["display_name"]);
}

#[tokio::test]
async fn email_change_then_confirmation() {
    let (backend, client) = start("acme.toml").await;
    let bob = backend.member_by_email("bob@acme.com").unwrap();
    let pending = client
        .request_email_change(&bob.id, "robert@acme.io")
        .await
        .unwrap();
    assert_eq!(pending.pending_email.as_deref(), Some("robert@acme.io"));
    assert_eq!(
        client
            .members_by_email("Robert@acme.io")
            .await
            .unwrap()
            .items[0]
            .id,
        bob.id
    );
    let same = client
        .request_email_change(&bob.id, "robert@ACME.io")
        .await
        .unwrap();
    assert_eq!(same, pending);
    assert_eq!(
        refusal(client.request_email_change(&bob.id, "bob@newco.com").await),
        Refusal::DomainNotAllowed
    );
    let confirmed = client.confirm_email(&bob.id).await.unwrap();
    assert_eq!(confirmed.email, "robert@acme.io");
    assert_eq!(confirmed.pending_email, None);
    assert_eq!(
        kinds(&backend.effects()),
        ["email_change_requested", "refused"]
    );
}

#[tokio::test]
async fn the_last_owner_stays() {
    let (backend, client) = start("acme.toml").await;
    let alice = backend.member_by_email("alice@acme.com").unwrap();
    assert_eq!(refusal(client.suspend(&alice.id).await), Refusal::LastOwner);
    assert_eq!(
        refusal(client.delete_member(&alice.id).await),
        Refusal::LastOwner
    );
    assert_eq!(backend.member(&alice.id), Some(alice));
}

#[tokio::test]
async fn deleting_erases_the_member() {
    let (backend, client) = start("acme.toml").await;
    let bob = backend.member_by_email("bob@acme.com").unwrap();
    client.delete_member(&bob.id).await.unwrap();
    assert_eq!(client.member(&bob.id).await.unwrap(), None);
    let engineering = backend.groups_by_name("Engineering").remove(0);
    assert!(engineering.members.is_empty());
    assert_eq!(
        backend.effects()[0].kind,
        EffectKind::MemberDeleted {
            member_id: bob.id.clone(),
            email: bob.email
        }
    );
    assert_eq!(
        refusal(client.delete_member(&bob.id).await),
        Refusal::UnknownMember
    );
    assert_eq!(
        refusal(client.suspend("NOSUCHMEMBER").await),
        Refusal::UnknownMember
    );
}
