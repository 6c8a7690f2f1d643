//! The group routes of backend/API.md, over HTTP.

use scimulate_backend::{BuiltinGroup, EffectKind, GroupCreate, GroupUpdate, Refusal};

use crate::{kinds, refusal, refused, start};

fn named(name: &str) -> GroupCreate {
    GroupCreate {
        name: name.into(),
        external_id: None,
    }
}

#[tokio::test]
async fn create_rename_and_delete_a_group() {
    let (backend, client) = start("empty.toml").await;
    let ops = client.create_group(&named("Ops")).await.unwrap();
    assert!(ops.managed);
    let update = GroupUpdate {
        name: Some("Operations".into()),
        external_id: Some("00g1".into()),
    };
    let renamed = client.update_group(&ops.id, &update).await.unwrap();
    assert_eq!(
        (renamed.id.as_str(), renamed.name.as_str()),
        (ops.id.as_str(), "Operations")
    );
    assert_eq!(client.group(&ops.id).await.unwrap(), Some(renamed));
    client.delete_group(&ops.id).await.unwrap();
    assert_eq!(client.group(&ops.id).await.unwrap(), None);
    assert_eq!(
        kinds(&backend.effects()),
        ["group_created", "group_renamed", "group_deleted"]
    );
    assert_eq!(
        refusal(client.delete_group(&ops.id).await),
        Refusal::UnknownGroup
    );
}

#[tokio::test]
async fn duplicate_names_are_allowed_and_found_in_any_case() {
    let (_backend, client) = start("acme.toml").await;
    let second = client.create_group(&named("engineering")).await.unwrap();
    let page = client.groups_by_name("ENGINEERING").await.unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.items[1].id, second.id);
    assert!(!page.items[0].managed, "the seeded one is unmanaged");
}

#[tokio::test]
async fn listing_puts_built_in_groups_first() {
    let (_backend, client) = start("acme.toml").await;
    let all = client.list_groups(0, None).await.unwrap();
    let names: Vec<_> = all.items.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        names,
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
    let page = client.list_groups(5, Some(1)).await.unwrap();
    assert_eq!(
        (page.total, page.items[0].name.as_str()),
        (7, "Engineering")
    );
}

#[tokio::test]
async fn members_join_and_leave() {
    let (backend, client) = start("acme.toml").await;
    let design = backend.groups_by_name("Design").remove(0);
    let bob = backend.member_by_email("bob@acme.com").unwrap();
    let joined = client.add_member(&design.id, &bob.id).await.unwrap();
    assert_eq!(joined.members, vec![bob.id.clone()]);
    let again = client.add_member(&design.id, &bob.id).await.unwrap();
    assert_eq!(again, joined);
    let left = client.remove_member(&design.id, &bob.id).await.unwrap();
    assert!(left.members.is_empty());
    let again = client.remove_member(&design.id, &bob.id).await.unwrap();
    assert_eq!(again, left);
    assert_eq!(
        backend.effects()[0].kind,
        EffectKind::MemberAdded {
            group_id: design.id.clone(),
            member_id: bob.id.clone()
        }
    );
    assert_eq!(
        kinds(&backend.effects()),
        ["member_added", "member_removed"]
    );
    assert_eq!(
        refusal(client.add_member(&design.id, "NOSUCHMEMBER").await),
        Refusal::UnknownMember
    );
    assert_eq!(
        refused(&backend.effects()[2]),
        ("add_member", Refusal::UnknownMember)
    );
}

#[tokio::test]
async fn built_in_groups_are_off_limits() {
    let (backend, client) = start("acme.toml").await;
    let bob = backend.member_by_email("bob@acme.com").unwrap();
    let before = backend.snapshot();
    assert_eq!(
        refusal(client.create_group(&named("OWNERS")).await),
        Refusal::BuiltinGroup
    );
    for builtin in BuiltinGroup::ALL {
        let group = backend.groups_by_name(builtin.name()).remove(0);
        let rename = GroupUpdate {
            name: Some("X".into()),
            external_id: None,
        };
        assert_eq!(
            refusal(client.update_group(&group.id, &rename).await),
            Refusal::BuiltinGroup
        );
        assert_eq!(
            refusal(client.delete_group(&group.id).await),
            Refusal::BuiltinGroup
        );
        assert_eq!(
            refusal(client.add_member(&group.id, &bob.id).await),
            Refusal::BuiltinGroup
        );
        assert_eq!(
            refusal(client.remove_member(&group.id, &bob.id).await),
            Refusal::BuiltinGroup
        );
    }
    assert_eq!(backend.snapshot(), before);
    assert_eq!(backend.effects().len(), 21);
}

#[tokio::test]
async fn guests_cannot_join_groups() {
    let (backend, client) = start("acme.toml").await;
    let design = backend.groups_by_name("Design").remove(0);
    let gina = backend.member_by_email("gina@acme.com").unwrap();
    assert_eq!(
        refusal(client.add_member(&design.id, &gina.id).await),
        Refusal::Guest
    );
}

#[tokio::test]
async fn team_members_follow_invites_and_deletes_only() {
    let (backend, client) = start("acme.toml").await;
    let team = || backend.groups_by_name("Team Members").remove(0).members;
    assert_eq!(team().len(), 4, "everyone but the guest");
    let carol = client
        .invite(&crate::invitation("carol@acme.com"))
        .await
        .unwrap();
    assert_eq!(team().last(), Some(&carol.id));
    client.suspend(&carol.id).await.unwrap();
    assert!(team().contains(&carol.id), "suspension is not leaving");
    client.delete_member(&carol.id).await.unwrap();
    assert!(!team().contains(&carol.id));
}
