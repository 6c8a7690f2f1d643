//! Dropping a [`Backend`] inside a tokio task never hangs, whatever the
//! task has spent. wiremock's `MockServer`, which served the account
//! before, blocked in its `Drop` on a tokio lock; in a task whose
//! cooperative budget was used up that lock never granted and the task
//! spun for ever (one run in a few hundred, when several scenarios were
//! played at once). Dropping the backend now only signals its server. The test spends the budget on
//! purpose, then drops, and waits on a plain thread with a bound: a hang
//! fails it instead of hanging it.

use std::future::Future;
use std::pin::pin;
use std::sync::mpsc;
use std::task::Poll;
use std::time::Duration;

use scimulate_backend::{AccountSeed, Backend, BackendOptions};

#[test]
fn a_backend_dropped_by_a_task_with_no_budget_left_lets_go() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let (done, finished) = mpsc::channel();
    runtime.spawn(async move {
        let backend = Backend::start(AccountSeed::empty("Acme"), BackendOptions::default()).await;
        let mut backend = Some(backend);
        std::future::poll_fn(|cx| {
            // Spend this task's budget within this one poll…
            for _ in 0..10_000 {
                if pin!(tokio::task::consume_budget()).poll(cx).is_pending() {
                    break;
                }
            }
            // …then drop, as the run drops a scenario's account.
            drop(backend.take());
            Poll::Ready(())
        })
        .await;
        let _ = done.send(());
    });
    if finished.recv_timeout(Duration::from_secs(20)).is_err() {
        // The task spins on a worker: do not wait for it on the way out.
        std::mem::forget(runtime);
        panic!("dropping the backend did not return within 20 s");
    }
}
