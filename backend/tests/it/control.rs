//! The test-control call `PUT`/`DELETE /_scimulate/account`: a scenario's
//! seed replaces the whole account over HTTP, with a fresh effect log, and
//! a bridge cannot reach it by accident.

use scimulate_backend::{
    AccountSeed, Backend, BackendOptions, CONTROL_PATH, MemberKind, MemberState, Refusal,
};

use crate::{fixture, invitation, kinds, refusal, start};

/// A fresh backend of `seed` and one started empty, then seeded over HTTP,
/// end up identical (deterministic ids restart with the seed).
#[tokio::test]
async fn a_seed_put_over_http_makes_the_account_a_fresh_one_of_that_seed() {
    let seed = fixture("acme.toml");
    let fresh = Backend::start(seed.clone(), BackendOptions::deterministic()).await;
    let (backend, client) = start("empty.toml").await;
    client.invite(&invitation("carol@acme.com")).await.unwrap();
    let answered = client.replace_account(&seed).await.unwrap();
    let mut expected = fresh.snapshot();
    // Only the timestamps differ: the clock is kept, not restarted.
    let normalize = |snapshot: &mut scimulate_backend::AccountSnapshot| {
        for m in std::sync::Arc::make_mut(&mut snapshot.members) {
            m.created_at = chrono::DateTime::UNIX_EPOCH;
            m.updated_at = chrono::DateTime::UNIX_EPOCH;
        }
        for g in &mut snapshot.groups {
            g.created_at = chrono::DateTime::UNIX_EPOCH;
            g.updated_at = chrono::DateTime::UNIX_EPOCH;
        }
    };
    let mut seen = backend.snapshot();
    normalize(&mut seen);
    normalize(&mut expected);
    assert_eq!(seen, expected);
    let mut answered = answered;
    normalize(&mut answered);
    assert_eq!(answered, expected);
    // Guest, owner, invited and suspended members; the unmanaged group.
    let state = |email: &str| backend.member_by_email(email).map(|m| (m.state, m.kind));
    assert_eq!(
        state("gina@acme.com"),
        Some((MemberState::Active, MemberKind::Guest))
    );
    assert_eq!(
        state("ivan@acme.com"),
        Some((MemberState::Invited, MemberKind::Member))
    );
    assert_eq!(
        state("sam@acme.com"),
        Some((MemberState::Suspended, MemberKind::Member))
    );
    assert!(!backend.groups_by_name("Engineering")[0].managed);
    assert!(backend.effects().is_empty(), "a fresh effect log");
    assert!(client.invite(&invitation("carol@acme.com")).await.is_ok());
    assert_eq!(backend.effects()[0].seq, 1);
    assert_eq!(kinds(&backend.effects()), ["invite_sent"]);
}

#[tokio::test]
async fn settings_are_seeded_too_and_control_works_with_provisioning_off() {
    let (backend, client) = start("acme.toml").await;
    let off = fixture("provisioning-off.toml");
    client.replace_account(&off).await.unwrap();
    assert!(!backend.settings().provisioning);
    assert_eq!(
        refusal(client.invite(&invitation("carol@acme.com")).await),
        Refusal::ProvisioningDisabled
    );
    let seed = AccountSeed::empty("Newco").with_allowed_domains(["newco.com"]);
    client.replace_account(&seed).await.unwrap();
    assert_eq!(backend.settings(), *seed.settings());
    assert!(
        backend.effects().is_empty(),
        "the refusal went with the old log"
    );
}

#[tokio::test]
async fn delete_puts_back_the_seed_the_account_started_with() {
    let (backend, client) = start("acme.toml").await;
    let before = backend.snapshot();
    client
        .replace_account(&AccountSeed::empty("Other"))
        .await
        .unwrap();
    client.invite(&invitation("carol@other.com")).await.unwrap();
    let restored = client.restore_account().await.unwrap();
    assert_eq!(restored.settings, before.settings);
    let emails = |s: &scimulate_backend::AccountSnapshot| {
        s.members
            .iter()
            .map(|m| m.email.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(emails(&restored), emails(&before));
    assert_eq!(
        restored.members[0].id, before.members[0].id,
        "seeded ids restart"
    );
    assert!(backend.effects().is_empty());
}

/// Without the header, or with another method, nothing changes; a bad seed
/// is refused with its JSON path and changes nothing either.
#[tokio::test]
async fn calls_without_the_header_or_with_a_bad_seed_change_nothing() {
    let (backend, client) = start("acme.toml").await;
    let before = backend.snapshot();
    let http = reqwest::Client::new();
    let url = format!("{}{CONTROL_PATH}", backend.url());
    let empty = String::from_utf8(AccountSeed::empty("X").to_json()).unwrap();
    let answer = http.put(&url).body(empty.clone()).send().await.unwrap();
    assert_eq!(answer.status(), 403);
    let body = answer.text().await.unwrap();
    assert!(
        body.contains("x-scimulate-control: replace-account"),
        "{body}"
    );
    let answer = http
        .put(&url)
        .header("x-scimulate-control", "yes")
        .body(empty)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);
    let answer = http
        .post(&url)
        .header("x-scimulate-control", "replace-account")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 405);
    let answer = http
        .put(&url)
        .header("x-scimulate-control", "replace-account")
        .body(r#"{"name":"X","members":[{"email":"nope","given_name":"N","family_name":"N"}]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let body = answer.text().await.unwrap();
    assert!(
        body.contains("members[0]: \\\"nope\\\" is not an e-mail address"),
        "{body}"
    );
    assert_eq!(backend.snapshot(), before);
    // The bridge's own API is not under the control prefix.
    assert_eq!(
        http.put(format!("{}/v1/_scimulate/account", backend.url()))
            .header("x-scimulate-control", "replace-account")
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let _ = client;
}
