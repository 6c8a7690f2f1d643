//! Settings, snapshot, effect log and health, and provisioning turned off.

use scimulate_backend::{
    AccountSeed, Backend, BackendOptions, GroupCreate, LinkRequest, Refusal, SettingsUpdate,
};

use crate::{invitation, kinds, refusal, refused, start};

#[tokio::test]
async fn settings_read_and_change_without_effects() {
    let (backend, client) = start("acme.toml").await;
    let settings = client.settings().await.unwrap();
    assert_eq!(settings.name, "Acme Corp");
    assert_eq!(settings.allowed_domains, ["acme.com", "acme.io"]);
    let update = SettingsUpdate {
        provisioning: None,
        allowed_domains: Some(vec!["newco.com".into()]),
    };
    let changed = client.update_settings(&update).await.unwrap();
    assert_eq!(changed.allowed_domains, ["newco.com"]);
    assert!(changed.provisioning);
    assert_eq!(backend.settings(), changed);
    assert!(client.invite(&invitation("x@newco.com")).await.is_ok());
    assert_eq!(kinds(&backend.effects()), ["invite_sent"]);
}

#[tokio::test]
async fn snapshot_and_effects_over_http_match_the_handle() {
    let (backend, client) = start("acme.toml").await;
    client.invite(&invitation("carol@acme.com")).await.unwrap();
    client
        .create_group(&GroupCreate {
            name: "Ops".into(),
            external_id: None,
        })
        .await
        .unwrap();
    let _ = client.invite(&invitation("carol@acme.com")).await;
    assert_eq!(client.snapshot().await.unwrap(), backend.snapshot());
    assert_eq!(client.effects_after(0).await.unwrap(), backend.effects());
    let later = client.effects_after(1).await.unwrap();
    assert_eq!(later.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(later, backend.effects_after(1));
    assert!(client.effects_after(3).await.unwrap().is_empty());
}

#[tokio::test]
async fn health_answers() {
    let (_backend, client) = start("empty.toml").await;
    client.health().await.unwrap();
}

#[tokio::test]
async fn provisioning_off_refuses_reads_and_writes() {
    let (backend, client) = start("provisioning-off.toml").await;
    let bob = backend.member_by_email("bob@acme.com").unwrap();
    let off = Refusal::ProvisioningDisabled;
    assert_eq!(refusal(client.members_by_email("bob@acme.com").await), off);
    assert_eq!(refusal(client.members_by_external_id("x").await), off);
    assert_eq!(refusal(client.list_members(0, None).await), off);
    assert_eq!(refusal(client.member(&bob.id).await), off);
    assert_eq!(refusal(client.list_groups(0, None).await), off);
    assert_eq!(refusal(client.groups_by_name("Owners").await), off);
    assert_eq!(refusal(client.group("x").await), off);
    assert!(backend.effects().is_empty(), "reads never log");
    assert_eq!(
        refusal(client.invite(&invitation("carol@acme.com")).await),
        off
    );
    assert_eq!(
        refusal(client.link(&bob.id, &LinkRequest::default()).await),
        off
    );
    assert_eq!(refusal(client.suspend(&bob.id).await), off);
    let create = GroupCreate {
        name: "Ops".into(),
        external_id: None,
    };
    assert_eq!(refusal(client.create_group(&create).await), off);
    let effects = backend.effects();
    assert_eq!(effects.len(), 4);
    assert_eq!(refused(&effects[0]), ("invite", off));
    assert_eq!(refused(&effects[3]), ("create_group", off));
    // The account, snapshot, effects and health routes still work.
    assert!(!client.settings().await.unwrap().provisioning);
    assert_eq!(client.snapshot().await.unwrap().members.len(), 1);
    assert_eq!(client.effects_after(0).await.unwrap().len(), 4);
    client.health().await.unwrap();
    // Turning it back on lets the bridge in.
    let on = SettingsUpdate {
        provisioning: Some(true),
        allowed_domains: None,
    };
    client.update_settings(&on).await.unwrap();
    assert_eq!(client.list_members(0, None).await.unwrap().total, 1);
}

#[tokio::test]
async fn the_handle_toggles_provisioning_and_domains() {
    let (backend, client) = start("empty.toml").await;
    backend.set_provisioning(false);
    assert_eq!(
        refusal(client.list_members(0, None).await),
        Refusal::ProvisioningDisabled
    );
    backend.set_provisioning(true);
    backend.set_allowed_domains(vec!["newco.com".into()]);
    assert_eq!(
        refusal(client.invite(&invitation("c@acme.com")).await),
        Refusal::DomainNotAllowed
    );
    assert!(client.invite(&invitation("c@newco.com")).await.is_ok());
}

#[tokio::test]
async fn same_seed_and_options_give_identical_runs() {
    async fn run() -> (String, String) {
        let (backend, client) = start("acme.toml").await;
        let carol = client.invite(&invitation("carol@acme.com")).await.unwrap();
        client.suspend(&carol.id).await.unwrap();
        let _ = client.invite(&invitation("carol@acme.com")).await;
        let ops = client
            .create_group(&GroupCreate {
                name: "Ops".into(),
                external_id: None,
            })
            .await;
        client
            .add_member(&ops.unwrap().id, &carol.id)
            .await
            .unwrap();
        (
            serde_json::to_string(&backend.effects()).unwrap(),
            serde_json::to_string(&backend.snapshot()).unwrap(),
        )
    }
    assert_eq!(run().await, run().await);
}

#[tokio::test]
async fn a_given_listener_is_used() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let options = BackendOptions {
        listener: Some(listener),
        ..BackendOptions::deterministic()
    };
    let backend = Backend::start(AccountSeed::default(), options).await;
    assert_eq!(backend.address(), address);
    assert_eq!(backend.url(), format!("http://{address}"));
    backend.client().unwrap().health().await.unwrap();
}

#[tokio::test]
async fn default_options_give_random_ids_and_real_time() {
    let a = Backend::start(AccountSeed::default(), BackendOptions::default()).await;
    let b = Backend::start(AccountSeed::default(), BackendOptions::default()).await;
    assert_ne!(a.snapshot().groups[0].id, b.snapshot().groups[0].id);
    let year = a.snapshot().groups[0].created_at.format("%Y").to_string();
    assert!(year.as_str() >= "2025", "{year}");
}
