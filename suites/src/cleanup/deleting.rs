//! Deleting what cleanup found: [`CONCURRENCY`] requests at a time, each
//! through [`super::send`] (429s waited out), until the deadline or until
//! the target is dead. What it keeps is counters, the ids it could not
//! remove, and the first [`FAILURES_KEPT`] failed exchanges as evidence —
//! never the exchanges of what went well.

use std::sync::Mutex;

use scimulate_simulator::{Exchange, OktaClient, Probe};
use tokio::time::Instant;

use super::send::send;

/// DELETEs under way at once: Okta's bulk assignment guess (`load`'s
/// default), gentle on a target that is also serving people.
pub const CONCURRENCY: usize = 4;
/// Failed exchanges kept for the record.
pub const FAILURES_KEPT: usize = 20;
/// Problems spelled out one by one; the rest are counted.
pub const PROBLEMS_SPELLED: usize = 10;

/// What deleting came to.
#[derive(Debug, Default)]
pub(super) struct Deleted {
    /// Answered 2xx, or 404 (already gone).
    pub removed: u64,
    /// `Users/{id}` not removed: refused, failed, or not tried (deadline,
    /// dead target).
    pub left: Vec<String>,
    /// Why, a sentence each (at most [`PROBLEMS_SPELLED`] + one count).
    pub problems: Vec<String>,
    /// Problems beyond those spelled out.
    pub more_problems: u64,
    /// The first failed exchanges.
    pub failures: Vec<Exchange>,
}

impl Deleted {
    fn problem(&mut self, text: String) {
        if self.problems.len() < PROBLEMS_SPELLED {
            self.problems.push(text);
        } else {
            self.more_problems += 1;
        }
    }

    /// Adds another batch's tally.
    pub(super) fn merge(&mut self, other: Deleted) {
        self.removed += other.removed;
        self.left.extend(other.left);
        for problem in other.problems {
            self.problem(problem);
        }
        self.more_problems += other.more_problems;
        for failure in other.failures {
            if self.failures.len() < FAILURES_KEPT {
                self.failures.push(failure);
            }
        }
    }
}

/// DELETEs `/{resource}/{id}` for each of `ids`, one worker per client.
pub(super) async fn delete_all(
    clients: &[OktaClient],
    resource: &str,
    ids: Vec<String>,
    deadline: Instant,
) -> Deleted {
    let queue = Mutex::new(ids.into_iter());
    let tally = Mutex::new(Deleted::default());
    let next = || {
        queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .next()
    };
    let with_tally = |f: &mut dyn FnMut(&mut Deleted)| {
        f(&mut tally
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    };
    let workers = clients.iter().map(|client| async {
        while let Some(id) = next() {
            let path = format!("{resource}/{id}");
            // An id that is no URL path segment would address another
            // route (`..` is the collection itself): never sent.
            if id.is_empty() || id == "." || id == ".." || id.contains(['\t', '\r', '\n', '/']) {
                with_tally(&mut |t| {
                    t.problem(format!("{resource} id {id:?} cannot be addressed; not deleted"));
                    t.left.push(path.clone());
                });
                continue;
            }
            let liveness = &client.settings().liveness;
            let sent = if Instant::now() >= deadline || liveness.is_dead() {
                None
            } else {
                tokio::select! {
                    biased;
                    sent = send(client, "delete", || Probe::delete(resource, &id), deadline) => sent,
                    () = liveness.dead() => None,
                }
            };
            with_tally(&mut |t| match &sent {
                // Not tried: the deadline passed or the target is dead;
                // the caller says which.
                None => t.left.push(path.clone()),
                Some(exchange) => match exchange.response.as_ref().map(|r| r.status) {
                    Some(200..=299 | 404) => t.removed += 1,
                    status => {
                        t.problem(match status {
                            Some(status) => format!("DELETE /{resource}/{id:?} answered {status}"),
                            None => format!(
                                "DELETE /{resource}/{id:?} failed: {}",
                                exchange.error.as_deref().unwrap_or_default()
                            ),
                        });
                        t.left.push(path.clone());
                        if t.failures.len() < FAILURES_KEPT {
                            t.failures.push(exchange.clone());
                        }
                    }
                },
            });
        }
    });
    futures_util::future::join_all(workers).await;
    tally
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
