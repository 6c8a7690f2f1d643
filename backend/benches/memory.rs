//! The fake account's memory over many requests (BENCHMARKS.md, "A
//! long-running fake account"): an account of 1,000 members answers
//! `REQUESTS` requests (default 1,000,000) that leave it as it was — an
//! existence check by e-mail, a member read, a group lookup by name and a
//! profile update with the values it already has (a no-op), in turn, from
//! 8 clients at once — and this prints the process's resident memory every
//! tenth of the way. Flat means nothing of a request outlives its answer.
//! A figure, not a test: it asserts nothing about size or time.
//!
//! `cargo bench -p scimulate-backend --bench memory`
//! (`REQUESTS=100000` for a shorter run).

#![expect(clippy::print_stdout, reason = "a bench prints its figures")]

use std::time::Instant;

use scimulate_backend::{
    AccountSeed, Backend, BackendClient, BackendError, BackendOptions, ProfileUpdate, SeedMember,
};

const MEMBERS: usize = 1_000;
const CLIENTS: usize = 8;

/// VmRSS of this process in KiB (Linux), 0 elsewhere.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The `n`-th request of the mix.
async fn request(client: &BackendClient, n: usize, ids: &[String]) -> Result<(), BackendError> {
    let i = n % MEMBERS;
    match n % 4 {
        0 => client
            .members_by_email(&format!("member-{i}@acme.com"))
            .await
            .map(drop),
        1 => client.member(&ids[i]).await.map(drop),
        2 => client.groups_by_name("Team Members").await.map(drop),
        _ => client
            .update_profile(
                &ids[i],
                &ProfileUpdate {
                    given_name: Some("Member".into()),
                    ..ProfileUpdate::default()
                },
            )
            .await
            .map(drop),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let total: usize = std::env::var("REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut seed = AccountSeed::empty("Acme").with_allowed_domains(["acme.com"]);
        for i in 0..MEMBERS {
            seed.add_member(SeedMember::new(
                &format!("member-{i}@acme.com"),
                "Member",
                &i.to_string(),
            ))?;
        }
        let backend = Backend::start(seed, BackendOptions::default()).await;
        let client = backend.client()?;
        let ids: Vec<String> = backend
            .snapshot()
            .members
            .iter()
            .map(|m| m.id.clone())
            .collect();
        let started = Instant::now();
        let step = (total / 10).max(1);
        println!("requests  RSS (MiB)  elapsed");
        println!(
            "{:>8}  {:>9.1}  {:>6.1} s",
            0,
            rss_kib() as f64 / 1024.0,
            0.0
        );
        let mut done = 0;
        while done < total {
            let round = step.min(total - done);
            let mut workers = tokio::task::JoinSet::new();
            for w in 0..CLIENTS {
                let (client, ids) = (client.clone(), ids.clone());
                let first = done + w;
                workers.spawn(async move {
                    let mut n = first;
                    while n < first - w + round {
                        request(&client, n, &ids).await?;
                        n += CLIENTS;
                    }
                    Ok::<(), BackendError>(())
                });
            }
            for result in workers.join_all().await {
                result?;
            }
            done += round;
            println!(
                "{done:>8}  {:>9.1}  {:>6.1} s",
                rss_kib() as f64 / 1024.0,
                started.elapsed().as_secs_f64()
            );
        }
        let effects = backend.effects().len();
        println!("effects logged: {effects} (the requests changed nothing)");
        Ok(())
    })
}
