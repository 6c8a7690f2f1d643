//! Many bridges' worth of concurrent writes lose nothing.

use scimulate_backend::{AccountSeed, Backend, BackendOptions, GroupCreate};

use crate::invitation;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_lose_no_effect() {
    const TASKS: usize = 64;
    let backend = Backend::start(AccountSeed::default(), BackendOptions::deterministic()).await;
    let client = backend.client().unwrap();
    let group = client
        .create_group(&GroupCreate {
            name: "Everyone".into(),
            external_id: None,
        })
        .await
        .unwrap();
    let tasks: Vec<_> = (0..TASKS)
        .map(|n| {
            let client = client.clone();
            let group = group.id.clone();
            tokio::spawn(async move {
                let email = format!("user{n}@acme.com");
                let member = client.invite(&invitation(&email)).await.unwrap();
                client.add_member(&group, &member.id).await.unwrap();
                client.suspend(&member.id).await.unwrap();
                // A refusal and a no-op too: one more effect, then none.
                let _ = client.invite(&invitation(&email)).await.unwrap_err();
                client.suspend(&member.id).await.unwrap();
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let effects = backend.effects();
    let expected = 1 + TASKS * 4;
    assert_eq!(effects.len(), expected);
    let seqs: Vec<u64> = effects.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=expected as u64).collect::<Vec<_>>());
    assert!(
        effects.windows(2).all(|w| w[0].at < w[1].at),
        "timestamps follow seqs"
    );
    let snapshot = backend.snapshot();
    assert_eq!(snapshot.members.len(), TASKS);
    let everyone = backend.group(&group.id).unwrap();
    assert_eq!(everyone.members.len(), TASKS);
    assert_eq!(everyone.version, 1 + TASKS as u64);
}
