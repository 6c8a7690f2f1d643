//! A crowded SCIM target for `bench/figures`: `PEOPLE` users made lazily
//! from their index (nothing stored but what was deleted), the last
//! `OF_RUN` of them carrying `RUN_ID`. Prints `BASE_URL=` and `TOKEN=`,
//! serves on 127.0.0.1 until killed or for 15 minutes at most.
//!
//! ```sh
//! cargo run --release -p scimulate-suites --example crowded_target -- 60000 60000 r5713e4 [filters]
//! ```

#[path = "../tests/it/crowded/target.rs"]
mod target;

use std::io::Write;
use std::time::Duration;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |at: usize, default: u64| {
        args.get(at)
            .and_then(|a| a.parse::<u64>().ok())
            .unwrap_or(default)
    };
    let people = number(0, 60_000);
    let crowd = target::Crowd {
        people,
        of_run: number(1, people).min(people),
        run_id: args.get(2).cloned().unwrap_or_else(|| "r5713e4".into()),
        filters: args.get(3).is_some_and(|a| a == "filters"),
        limit_every: 0,
        bearer: "crowded-token".into(),
    };
    let (base_url, _seen) = target::start(crowd).await;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "BASE_URL={base_url}");
    let _ = writeln!(out, "TOKEN=crowded-token");
    let _ = out.flush();
    drop(out);
    tokio::time::sleep(Duration::from_secs(15 * 60)).await;
}
