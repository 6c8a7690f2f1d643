//! Liveness: whether the target still answers, told by its exchanges as
//! they end. A run, a load or a cleanup shares one [`Liveness`] (it rides
//! in [`crate::ClientSettings`], so every client built from those settings
//! reports to it): when `limit` exchanges in a row end without a complete
//! answer — timed out, or broken off mid-answer (a reset, a body cut short,
//! a connection refused) — the target is *dead* and whoever plays against
//! it stops ([`Liveness::dead`]). Each exchange counts, retries included:
//! a timed-out request Okta sends again is two exchanges.
//!
//! This is about the run, never about a check: a step that failed after
//! Okta's own retries is judged as Okta would act on it; the cut-off only
//! keeps a run from spending `--timeout` on every remaining request.
//!
//! It also knows which exchanges are under way and since when, so a
//! terminal can show what a slow target is being waited for
//! ([`Liveness::waiting`]).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::exchange::Exchange;

/// Exchanges in a row without a complete answer after which a target is
/// dead, unless told otherwise (`--max-dead-exchanges`).
pub const DEFAULT_MAX_DEAD_EXCHANGES: u32 = 3;

/// A run's view of whether its target still answers. Cheap to clone:
/// clones share it. The default watches nothing and is never dead.
#[derive(Clone, Default)]
pub struct Liveness(Option<Arc<Inner>>);

struct Inner {
    limit: u32,
    state: Mutex<State>,
    dead: watch::Sender<bool>,
}

#[derive(Default)]
struct State {
    /// Exchanges in a row without a complete answer.
    in_a_row: u32,
    /// The last of them (at most `limit`), oldest first.
    last: VecDeque<Exchange>,
    /// Whether any exchange got an answer (a status line), complete or not.
    answered: bool,
    /// Exchanges under way: what each is and since when.
    under_way: BTreeMap<u64, (String, Instant)>,
    next: u64,
}

/// An exchange under way; dropped when it ends (or its future is dropped).
pub(crate) struct UnderWay {
    inner: Option<Arc<Inner>>,
    id: u64,
}

impl Drop for UnderWay {
    fn drop(&mut self) {
        if let Some(inner) = &self.inner {
            lock(&inner.state).under_way.remove(&self.id);
        }
    }
}

impl Liveness {
    /// Dead after `limit` exchanges in a row without a complete answer
    /// (at least 1).
    pub fn new(limit: u32) -> Self {
        let (dead, _) = watch::channel(false);
        Liveness(Some(Arc::new(Inner {
            limit: limit.max(1),
            state: Mutex::new(State::default()),
            dead,
        })))
    }

    /// The limit, when watching.
    pub fn limit(&self) -> Option<u32> {
        self.0.as_ref().map(|inner| inner.limit)
    }

    /// Whether `limit` exchanges in a row ended without a complete answer.
    pub fn is_dead(&self) -> bool {
        self.0.as_ref().is_some_and(|inner| *inner.dead.borrow())
    }

    /// Resolves once the target is dead; never, when not watching.
    pub async fn dead(&self) {
        match &self.0 {
            Some(inner) => {
                let mut dead = inner.dead.subscribe();
                // The sender lives as long as `self`: `wait_for` cannot fail.
                let _ = dead.wait_for(|dead| *dead).await;
            }
            None => std::future::pending().await,
        }
    }

    /// Whether any exchange got an answer at all (a status line, even if
    /// its body never completed): a target that never did is unreachable,
    /// not dead.
    pub fn ever_answered(&self) -> bool {
        self.0
            .as_ref()
            .is_some_and(|inner| lock(&inner.state).answered)
    }

    /// The exchanges that ended without a complete answer, the last
    /// `limit` of them in a row, oldest first (empty once one was answered
    /// again).
    pub fn evidence(&self) -> Vec<Exchange> {
        self.0.as_ref().map_or_else(Vec::new, |inner| {
            lock(&inner.state).last.iter().cloned().collect()
        })
    }

    /// One line saying why the target is taken for dead, with the last
    /// exchanges as evidence: `the target stopped answering: 3 exchanges in
    /// a row ended without a complete answer (GET /Users (…): timed out
    /// after 5000 ms without a complete answer; …)`.
    pub fn reason(&self) -> String {
        let evidence = self.evidence();
        let lines: Vec<String> = evidence.iter().map(describe).collect();
        format!(
            "the target stopped answering: {} exchange(s) in a row ended without a complete \
             answer ({})",
            evidence.len(),
            lines.join("; ")
        )
    }

    /// The exchange under way the longest: what it is and how long it has
    /// waited (for a progress line).
    pub fn waiting(&self) -> Option<(String, Duration)> {
        let inner = self.0.as_ref()?;
        let state = lock(&inner.state);
        state
            .under_way
            .values()
            .min_by_key(|(_, since)| *since)
            .map(|(what, since)| (what.clone(), since.elapsed()))
    }

    /// Notes an exchange going out; `what` is only made when watching.
    pub(crate) fn begin(&self, what: impl FnOnce() -> String) -> UnderWay {
        let Some(inner) = &self.0 else {
            return UnderWay { inner: None, id: 0 };
        };
        let mut state = lock(&inner.state);
        let id = state.next;
        state.next += 1;
        state.under_way.insert(id, (what(), Instant::now()));
        UnderWay {
            inner: Some(inner.clone()),
            id,
        }
    }

    /// Notes how an exchange ended: `complete` when its answer was read in
    /// full (an answer over the size cap counts: the target did answer),
    /// `responded` when a status line came at all.
    pub(crate) fn end(&self, complete: bool, responded: bool, exchange: impl FnOnce() -> Exchange) {
        let Some(inner) = &self.0 else {
            return;
        };
        let mut state = lock(&inner.state);
        state.answered |= responded;
        let dead = !complete;
        if !dead {
            state.in_a_row = 0;
            state.last.clear();
            return;
        }
        state.in_a_row = state.in_a_row.saturating_add(1);
        if state.last.len() == inner.limit as usize {
            state.last.pop_front();
        }
        state.last.push_back(exchange());
        if state.in_a_row >= inner.limit {
            drop(state);
            inner.dead.send_replace(true);
        }
    }
}

impl std::fmt::Debug for Liveness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            None => f.write_str("Liveness(off)"),
            Some(inner) => f
                .debug_struct("Liveness")
                .field("limit", &inner.limit)
                .field("dead", &*inner.dead.borrow())
                .finish(),
        }
    }
}

/// The same watch, or both off: settings compare equal when they report to
/// the same place.
impl PartialEq for Liveness {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// `GET /Users?… (assign ada@x: existence check): timed out after …`.
pub fn describe(exchange: &Exchange) -> String {
    format!(
        "{} {} ({}: {}): {}",
        exchange.request.method,
        exchange.request.path,
        exchange.action,
        exchange.step,
        exchange.error.as_deref().unwrap_or("no answer")
    )
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(path: &str) -> Exchange {
        let mut exchange = Exchange::unrecorded(1, "assign ada", "existence check");
        exchange.request.method = "GET".into();
        exchange.request.path = path.into();
        exchange.error = Some("timed out after 300 ms without a complete answer".into());
        exchange
    }

    #[test]
    fn dead_after_the_limit_in_a_row_and_an_answer_resets_the_count() {
        let liveness = Liveness::new(3);
        liveness.end(false, false, || exchange("/a"));
        liveness.end(false, false, || exchange("/b"));
        liveness.end(true, true, || exchange("/ok"));
        assert!(liveness.evidence().is_empty());
        liveness.end(
            false, // a connection reset mid-body
            true,
            || exchange("/c"),
        );
        liveness.end(false, false, || exchange("/d"));
        assert!(!liveness.is_dead());
        liveness.end(false, false, || exchange("/e"));
        assert!(liveness.is_dead());
        let reason = liveness.reason();
        assert!(
            reason.starts_with("the target stopped answering: 3 exchange(s) in a row"),
            "{reason}"
        );
        assert!(
            reason.contains("GET /c (assign ada: existence check): timed out after 300 ms"),
            "{reason}"
        );
        assert!(!reason.contains("/a "), "only the last ones: {reason}");
    }

    #[test]
    fn off_is_never_dead_and_compares_equal() {
        let off = Liveness::default();
        for _ in 0..10 {
            off.end(false, false, || exchange("/x"));
        }
        assert!(!off.is_dead());
        assert_eq!(off, Liveness::default());
        let on = Liveness::new(2);
        assert_eq!(on, on.clone());
        assert_ne!(on, Liveness::new(2));
    }

    #[tokio::test]
    async fn dead_resolves_once_the_limit_is_reached() {
        let liveness = Liveness::new(1);
        let waiter = {
            let liveness = liveness.clone();
            tokio::spawn(async move { liveness.dead().await })
        };
        liveness.end(false, false, || exchange("/x"));
        tokio::time::timeout(Duration::from_secs(10), waiter)
            .await
            .expect("resolves")
            .expect("no panic");
    }

    #[test]
    fn exchanges_under_way_are_known_until_they_end() {
        let liveness = Liveness::new(3);
        let first = liveness.begin(|| "GET /Users".into());
        let second = liveness.begin(|| "POST /Users".into());
        assert_eq!(
            liveness.waiting().map(|(what, _)| what).as_deref(),
            Some("GET /Users")
        );
        drop(first);
        assert_eq!(
            liveness.waiting().map(|(what, _)| what).as_deref(),
            Some("POST /Users")
        );
        drop(second);
        assert!(liveness.waiting().is_none());
    }
}
