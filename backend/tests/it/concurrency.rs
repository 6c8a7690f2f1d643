//! Many bridges' worth of concurrent writers lose nothing: 64 writers, half
//! over HTTP ([`BackendClient`]) and half through the in-process handle
//! ([`Backend::with_account`]), write at once; the effect log then holds
//! exactly the expected effects of each kind, seqs 1..=n with no gap or
//! repeat, each object's effects in the order its writer made them, and
//! the final account matches the log (backend/API.md, "Rules every write
//! follows": one effect per change, "under one lock").
//!
//! The account answers HTTP on one thread of its own, so the HTTP writers alone
//! would take the lock one at a time; the in-process writers, each write
//! on a thread of tokio's blocking pool, contend with it and with each
//! other.
//! Every call and every join is bounded by [`CALL_TIMEOUT`]: a deadlock
//! fails the test instead of hanging it. The assertions do not depend on
//! the interleaving.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use scimulate_backend::{
    Account, AccountSeed, Applied, Backend, BackendClient, BackendError, BackendOptions,
    BuiltinGroup, Effect, EffectKind, ErrorBody, Group, GroupCreate, GroupUpdate, Member,
    MemberState, ProfileUpdate, Refusal,
};

use crate::{invitation, kinds, refused};

/// Concurrent writers.
const WRITERS: usize = 64;
/// Rounds of [`script`] each writer runs.
const ROUNDS: usize = 4;
/// Longest any one call or join may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Each writer, `ROUNDS` times: invites a person, adds them to the shared
/// group, creates a team group and adds them, suspends them twice (the
/// second a no-op), reactivates them, renames them, is refused a second
/// invitation of the same address in another case, and renames the team.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_write_of_64_writers_is_logged_once_in_order() {
    let backend =
        Arc::new(Backend::start(AccountSeed::default(), BackendOptions::deterministic()).await);
    let everyone = door(&backend, 0)
        .create_group("Everyone")
        .await
        .unwrap_or_else(|r| panic!("create Everyone: {r:?}"));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let door = door(&backend, w);
            let everyone = everyone.id.clone();
            tokio::spawn(async move {
                for r in 0..ROUNDS {
                    script(&door, &everyone, w, r).await;
                }
            })
        })
        .collect();
    for (w, writer) in writers.into_iter().enumerate() {
        bounded(&format!("writer {w}"), writer)
            .await
            .unwrap_or_else(|e| panic!("writer {w}: {e}"));
    }

    let effects = backend.effects();
    let people = WRITERS * ROUNDS;
    assert_gap_free(&effects);
    let expected = HashMap::from([
        ("group_created", 1 + people),
        ("invite_sent", people),
        ("member_added", 2 * people),
        ("suspended", people),
        ("reactivated", people),
        ("profile_updated", people),
        ("refused", people),
        ("group_renamed", people),
    ]);
    assert_eq!(count_kinds(&effects), expected);

    // Each object's effects in its writer's order: a write is logged when
    // it happens, not merely somewhere.
    let snapshot = backend.snapshot();
    assert_eq!(snapshot.members.len(), people);
    for member in snapshot.members.iter() {
        assert_eq!(
            kinds(&effects_of(&effects, &member.id)),
            [
                "invite_sent",
                "member_added",
                "member_added",
                "suspended",
                "reactivated",
                "profile_updated"
            ],
            "{}",
            member.email
        );
        let invited = seq_of(&effects, "invite_sent", &member.id);
        let refusal = effects
            .iter()
            .find(|e| {
                matches!(&e.kind, EffectKind::Refused { target: Some(t), .. }
                    if t.eq_ignore_ascii_case(&member.email))
            })
            .unwrap_or_else(|| panic!("no refusal for {}", member.email));
        assert_eq!(refused(refusal), ("invite", Refusal::EmailTaken));
        assert!(refusal.seq > invited, "{}", member.email);
        // invited → invite_suspended → invited; renamed; bumped by each.
        let (w, r) = writer_and_round(&member.email);
        assert_eq!(member.state, MemberState::Invited, "{}", member.email);
        assert_eq!(member.given_name, format!("W{w}R{r}"));
        assert_eq!(member.version, 4, "{}", member.email);
    }

    let groups: HashMap<&str, &Group> = snapshot
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g))
        .collect();
    let shared = groups["Everyone"];
    assert_eq!(shared.members.len(), people);
    assert_eq!(shared.version, 1 + people as u64);
    assert_eq!(
        groups[BuiltinGroup::TeamMembers.name()].members.len(),
        people
    );
    for member in snapshot.members.iter() {
        let (w, r) = writer_and_round(&member.email);
        let team = groups[format!("Team {w}.{r}").as_str()];
        assert_eq!(team.members, std::slice::from_ref(&member.id));
        assert_eq!(
            kinds(&effects_of(&effects, &team.id)),
            ["group_created", "member_added", "group_renamed"]
        );
    }
    assert_eq!(snapshot.groups.len(), BuiltinGroup::ALL.len() + 1 + people);
}

/// All 64 writers aim at one target at once: one invitation of the same
/// address (one wins, 63 refused), one add of the same member to the same
/// group and one suspension of them (one change each, 63 no-ops).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_racing_for_one_target_change_it_once() {
    let backend =
        Arc::new(Backend::start(AccountSeed::default(), BackendOptions::deterministic()).await);
    let group = door(&backend, 0)
        .create_group("Race")
        .await
        .unwrap_or_else(|r| panic!("create Race: {r:?}"));

    let invites = race(&backend, |door| async move {
        door.invite("carol@acme.com").await.map(|m| m.id)
    })
    .await;
    let winners: Vec<&String> = invites.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1, "{invites:?}");
    assert!(
        invites
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|r| *r == Refusal::EmailTaken)
    );
    let carol = winners[0].clone();

    let (group_id, member_id) = (group.id.clone(), carol.clone());
    let adds = race(&backend, move |door| {
        let (group_id, member_id) = (group_id.clone(), member_id.clone());
        async move {
            door.add_member(&group_id, &member_id)
                .await
                .map(|g| g.members)
        }
    })
    .await;
    for added in &adds {
        assert_eq!(added.as_ref().ok(), Some(&vec![carol.clone()]));
    }
    let member_id = carol.clone();
    let suspensions = race(&backend, move |door| {
        let member_id = member_id.clone();
        async move { door.suspend(&member_id).await.map(|m| m.state) }
    })
    .await;
    for state in &suspensions {
        assert_eq!(state.as_ref().ok(), Some(&MemberState::InviteSuspended));
    }

    let effects = backend.effects();
    assert_gap_free(&effects);
    assert_eq!(
        count_kinds(&effects),
        HashMap::from([
            ("group_created", 1),
            ("invite_sent", 1),
            ("refused", WRITERS - 1),
            ("member_added", 1),
            ("suspended", 1),
        ])
    );
    let member = backend.member(&carol).unwrap_or_else(|| panic!("no carol"));
    assert_eq!(
        (member.state, member.version),
        (MemberState::InviteSuspended, 2)
    );
    let group = backend
        .group(&group.id)
        .unwrap_or_else(|| panic!("no Race"));
    assert_eq!((group.members.len(), group.version), (1, 2));
}

/// One round of a writer's script.
async fn script(door: &Door, everyone: &str, w: usize, r: usize) {
    let email = format!("w{w}r{r}@acme.com");
    let expect = |what: &str| format!("writer {w} round {r}: {what}");
    let member = door
        .invite(&email)
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", expect("invite")));
    door.add_member(everyone, &member.id)
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", expect("add to Everyone")));
    let team = door
        .create_group(&format!("team {w}.{r}"))
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", expect("create team")));
    door.add_member(&team.id, &member.id)
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", expect("add to team")));
    for _ in 0..2 {
        let suspended = door
            .suspend(&member.id)
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", expect("suspend")));
        assert_eq!(suspended.state, MemberState::InviteSuspended);
    }
    door.reactivate(&member.id)
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", expect("reactivate")));
    door.rename_member(&member.id, &format!("W{w}R{r}"))
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", expect("rename member")));
    let again = door.invite(&email.to_uppercase()).await;
    assert_eq!(
        again.err(),
        Some(Refusal::EmailTaken),
        "{}",
        expect("invite again")
    );
    door.rename_group(&team.id, &format!("Team {w}.{r}"))
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", expect("rename team")));
}

/// Runs `write` once per writer, all at once, and collects what each got.
async fn race<T, F, Fut>(backend: &Arc<Backend>, write: F) -> Vec<Result<T, Refusal>>
where
    T: Send + 'static,
    F: Fn(Door) -> Fut,
    Fut: Future<Output = Result<T, Refusal>> + Send + 'static,
{
    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| tokio::spawn(write(door(backend, w))))
        .collect();
    let mut results = Vec::with_capacity(WRITERS);
    for (w, task) in tasks.into_iter().enumerate() {
        let result = bounded(&format!("writer {w}"), task)
            .await
            .unwrap_or_else(|e| panic!("writer {w}: {e}"));
        results.push(result);
    }
    results
}

/// How a writer reaches the account: even writers over HTTP, odd ones
/// through the in-process handle.
#[derive(Clone)]
enum Door {
    Http(BackendClient),
    Handle(Arc<Backend>),
}

fn door(backend: &Arc<Backend>, writer: usize) -> Door {
    if writer.is_multiple_of(2) {
        Door::Http(backend.client().unwrap_or_else(|e| panic!("client: {e}")))
    } else {
        Door::Handle(Arc::clone(backend))
    }
}

impl Door {
    async fn invite(&self, email: &str) -> Result<Member, Refusal> {
        let request = invitation(email);
        match self {
            Door::Http(client) => answer("invite", client.invite(&request)).await,
            Door::Handle(backend) => handle(backend, move |a| a.invite(&request)).await,
        }
    }

    async fn suspend(&self, id: &str) -> Result<Member, Refusal> {
        match self {
            Door::Http(client) => answer("suspend", client.suspend(id)).await,
            Door::Handle(backend) => {
                let id = id.to_string();
                handle(backend, move |a| a.suspend(&id)).await
            }
        }
    }

    async fn reactivate(&self, id: &str) -> Result<Member, Refusal> {
        match self {
            Door::Http(client) => answer("reactivate", client.reactivate(id)).await,
            Door::Handle(backend) => {
                let id = id.to_string();
                handle(backend, move |a| a.reactivate(&id)).await
            }
        }
    }

    async fn rename_member(&self, id: &str, given_name: &str) -> Result<Member, Refusal> {
        let update = ProfileUpdate {
            given_name: Some(given_name.to_string()),
            ..ProfileUpdate::default()
        };
        match self {
            Door::Http(client) => {
                answer("update_profile", client.update_profile(id, &update)).await
            }
            Door::Handle(backend) => {
                let id = id.to_string();
                handle(backend, move |a| a.update_profile(&id, &update)).await
            }
        }
    }

    async fn create_group(&self, name: &str) -> Result<Group, Refusal> {
        let request = GroupCreate {
            name: name.to_string(),
            external_id: None,
        };
        match self {
            Door::Http(client) => answer("create_group", client.create_group(&request)).await,
            Door::Handle(backend) => handle(backend, move |a| a.create_group(&request)).await,
        }
    }

    async fn rename_group(&self, id: &str, name: &str) -> Result<Group, Refusal> {
        let update = GroupUpdate {
            name: Some(name.to_string()),
            external_id: None,
        };
        match self {
            Door::Http(client) => answer("update_group", client.update_group(id, &update)).await,
            Door::Handle(backend) => {
                let id = id.to_string();
                handle(backend, move |a| a.update_group(&id, &update)).await
            }
        }
    }

    async fn add_member(&self, group: &str, member: &str) -> Result<Group, Refusal> {
        match self {
            Door::Http(client) => answer("add_member", client.add_member(group, member)).await,
            Door::Handle(backend) => {
                let (group, member) = (group.to_string(), member.to_string());
                handle(backend, move |a| a.add_member(&group, &member)).await
            }
        }
    }
}

/// An HTTP call, bounded; a refusal is an answer, anything else a failure.
async fn answer<T>(
    what: &str,
    call: impl Future<Output = Result<T, BackendError>>,
) -> Result<T, Refusal> {
    match bounded(what, call).await {
        Ok(value) => Ok(value),
        Err(BackendError::Refused { refusal, .. }) => Err(refusal),
        Err(other) => panic!("{what}: {other}"),
    }
}

/// A write through the in-process handle, on a blocking thread so that
/// writers truly run in parallel (it takes the account's `std` mutex).
async fn handle<T: Send + 'static>(
    backend: &Arc<Backend>,
    write: impl FnOnce(&mut Account) -> Result<Applied<T>, ErrorBody> + Send + 'static,
) -> Result<T, Refusal> {
    let backend = Arc::clone(backend);
    let task = tokio::task::spawn_blocking(move || backend.with_account(write));
    bounded("in-process write", task)
        .await
        .unwrap_or_else(|e| panic!("in-process write: {e}"))
        .map(|applied| applied.value)
        .map_err(|error| error.error)
}

/// Awaits `future`, failing the test if it takes over [`CALL_TIMEOUT`].
async fn bounded<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(CALL_TIMEOUT, future)
        .await
        .unwrap_or_else(|_| panic!("{what} took over {CALL_TIMEOUT:?}"))
}

/// Seqs are 1, 2, 3… in log order, and time moves forward with them.
fn assert_gap_free(effects: &[Effect]) {
    let seqs: Vec<u64> = effects.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=effects.len() as u64).collect::<Vec<_>>());
    assert!(
        effects.windows(2).all(|w| w[0].at < w[1].at),
        "timestamps follow seqs"
    );
}

fn count_kinds(effects: &[Effect]) -> HashMap<&'static str, usize> {
    let mut counts = HashMap::new();
    for kind in kinds(effects) {
        let kind: &'static str = match kind.as_str() {
            "group_created" => "group_created",
            "invite_sent" => "invite_sent",
            "member_added" => "member_added",
            "suspended" => "suspended",
            "reactivated" => "reactivated",
            "profile_updated" => "profile_updated",
            "refused" => "refused",
            "group_renamed" => "group_renamed",
            other => panic!("unexpected effect kind {other}"),
        };
        *counts.entry(kind).or_default() += 1;
    }
    counts
}

/// The effects naming this member or group id, in log order.
fn effects_of(effects: &[Effect], id: &str) -> Vec<Effect> {
    effects
        .iter()
        .filter(|e| match &e.kind {
            EffectKind::InviteSent { member_id, .. }
            | EffectKind::Suspended { member_id }
            | EffectKind::Reactivated { member_id }
            | EffectKind::ProfileUpdated { member_id, .. } => member_id == id,
            EffectKind::GroupCreated { group_id, .. }
            | EffectKind::GroupRenamed { group_id, .. } => group_id == id,
            EffectKind::MemberAdded {
                group_id,
                member_id,
            } => group_id == id || member_id == id,
            _ => false,
        })
        .cloned()
        .collect()
}

/// The seq of the one `kind` effect of this object.
fn seq_of(effects: &[Effect], kind: &str, id: &str) -> u64 {
    let own = effects_of(effects, id);
    let position = kinds(&own)
        .iter()
        .position(|k| k == kind)
        .unwrap_or_else(|| panic!("no {kind} for {id}"));
    own[position].seq
}

/// (writer, round) of an address `w{w}r{r}@acme.com`.
fn writer_and_round(email: &str) -> (usize, usize) {
    let local = email.split('@').next().unwrap_or_default();
    let (w, r) = local
        .trim_start_matches('w')
        .split_once('r')
        .unwrap_or_else(|| panic!("not a writer's address: {email}"));
    let number = |s: &str| s.parse().unwrap_or_else(|e| panic!("{email}: {e}"));
    (number(w), number(r))
}
