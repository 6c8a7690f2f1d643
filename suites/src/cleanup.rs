//! Cleanup: removing what a run created on a target someone else runs.
//! Every user and group a run creates carries its run id (`r5713e4`: in
//! the core user's e-mail, in every scenario's tag, `tag_email`,
//! `tag_group`). A 1Password bridge suspends on DELETE
//! (docs/1password.md#25-delete): that is the deactivation the run owes.
//!
//! It always finishes what it started, within its deadline:
//! 1. the ids the run's own writes got back ([`Known`]: a POST answered
//!    201 whose resource carries the run id) are DELETEd first, without
//!    listing — groups first, so no member is held by a group of the run;
//! 2. only when the run cannot know it all (a create failed, timed out or
//!    was cut short, or `scimulate cleanup` of a killed run) is the target
//!    listed ([`listing`]): a page at a time, narrowed by a server-side
//!    filter where the target advertises filtering, with no page cap that
//!    throws away what was found;
//! 3. DELETEs go [`deleting::CONCURRENCY`] at a time, 429s waited out as
//!    the target asks ([`send`]), and only counters and failures are kept;
//! 4. what is left is said exactly (ids, and whether the search finished),
//!    with the command that removes it.
//!
//! It runs at the end of every run and load against an external target
//! (unless asked to keep the test data), after a deadline too, after a
//! target stopped answering (one more exchange is tried), after Ctrl-C
//! from the CLI, and on its own as `scimulate cleanup --run-id ID`.

pub(crate) mod carries;
mod deleting;
mod known;
mod listing;
mod send;

use std::sync::Arc;
use std::time::Duration;

use scimulate_simulator::{ClientSettings, Clock, OktaClient, Target};
use tokio::time::Instant;

use crate::record::ScenarioRecord;

pub use deleting::{CONCURRENCY, FAILURES_KEPT};
pub use known::Known;
pub use listing::{MAX_LISTED, PAGE};
pub use send::{MAX_ATTEMPTS, MAX_WAIT, NAME};

/// Cleanup's own bound at the end of a run or a load, also after the
/// run's deadline passed.
pub const CLEANUP_BOUND: Duration = Duration::from_secs(5 * 60);

/// `left` ids spelled out in a summary; the rest are counted.
const LEFT_SPELLED: usize = 10;

/// What cleanup did.
#[derive(Debug, Clone)]
pub struct Cleanup {
    /// Users and groups found carrying the run id (known, then listed).
    pub found: u64,
    /// Of those, how many DELETE removed (2xx, or 404: already gone).
    pub removed: u64,
    /// `Users/{id}` and `Groups/{id}` found and not removed: refused,
    /// failed, or not tried before the deadline or a dead target.
    pub left: Vec<String>,
    /// Why the search stopped before its end, if it did: more of the
    /// run's may be left than `left` says.
    pub unsearched: Vec<String>,
    /// What went wrong, each a sentence (a listing or a DELETE refused).
    pub problems: Vec<String>,
    /// The command that finishes the cleanup, when something may be left.
    pub command: Option<String>,
    /// The failed exchanges (the first [`FAILURES_KEPT`] DELETEs, and what
    /// stopped a search), as a scenario named `cleanup`. What went well is
    /// counted, not kept.
    pub record: ScenarioRecord,
}

/// Why cleanup could not start.
#[derive(Debug, thiserror::Error)]
pub enum CleanupError {
    #[error(
        "{0:?} is not a run id (expected r and six hex digits, as printed at the top of a run, \
         e.g. r5713e4): cleanup deletes what carries it, so it must be exact"
    )]
    RunId(String),
    #[error("could not build the HTTP client")]
    Client(#[source] scimulate_simulator::ClientError),
}

/// Whether `text` has the shape of a run id (`r` + six lower-case hex
/// digits): cleanup refuses anything looser, which could match people.
pub fn is_run_id(text: &str) -> bool {
    text.len() == 7
        && text.starts_with('r')
        && text[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

/// A new random run id (`r` + six hex digits).
pub fn new_run_id() -> String {
    format!("r{}", &uuid::Uuid::new_v4().simple().to_string()[..6])
}

impl Cleanup {
    /// One line for a person: what was found and removed, and what is
    /// left with the command that removes it.
    pub fn summary(&self, run_id: &str) -> String {
        let mut line = format!(
            "cleanup of run {run_id}: {} resource(s) found, {} removed",
            self.found, self.removed
        );
        if !self.left.is_empty() {
            let shown: Vec<&str> = self
                .left
                .iter()
                .take(LEFT_SPELLED)
                .map(String::as_str)
                .collect();
            let more = self.left.len().saturating_sub(LEFT_SPELLED);
            line.push_str(&format!(
                "; {} left ({}{})",
                self.left.len(),
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        for problem in self.problems.iter().chain(&self.unsearched) {
            line.push_str("; ");
            line.push_str(problem);
        }
        if let Some(command) = &self.command {
            line.push_str(&format!(" (finish it with `{command}`)"));
        }
        line
    }

    /// Whether everything found was removed and the search finished.
    pub fn is_complete(&self) -> bool {
        self.left.is_empty() && self.unsearched.is_empty() && self.problems.is_empty()
    }
}

/// Finds every user and group carrying `run_id` on the target and deletes
/// them, within `bound`.
pub async fn cleanup(
    target: &Target,
    run_id: &str,
    settings: ClientSettings,
    clock: Arc<dyn Clock>,
    bound: Duration,
) -> Result<Cleanup, CleanupError> {
    cleanup_known(target, run_id, Known::default(), settings, clock, bound).await
}

/// Like [`cleanup`], deleting `known` first without listing it, so no
/// listing bears on it (a load of 100,000 users is removed whole). The
/// target is listed for anything else carrying the run id unless `known`
/// is complete. Everything ends by `bound` (a DELETE under way is cut
/// there): what is left is said in [`Cleanup::left`] and
/// [`Cleanup::unsearched`].
pub async fn cleanup_known(
    target: &Target,
    run_id: &str,
    known: Known,
    settings: ClientSettings,
    clock: Arc<dyn Clock>,
    bound: Duration,
) -> Result<Cleanup, CleanupError> {
    if !is_run_id(run_id) {
        return Err(CleanupError::RunId(run_id.to_string()));
    }
    let deadline = Instant::now() + bound;
    // One client a worker: each moves its own exchanges out as they come.
    let client = || OktaClient::new(target.clone(), settings.clone(), clock.clone());
    let lister = &client().map_err(CleanupError::Client)?;
    let deleters = &(0..CONCURRENCY)
        .map(|_| client())
        .collect::<Result<Vec<_>, _>>()
        .map_err(CleanupError::Client)?;
    let liveness = settings.liveness.clone();
    let mut found = 0u64;
    let mut deleted = deleting::Deleted::default();
    let mut unsearched = Vec::new();
    let mut narrow = None;
    // Groups first: no member is held by a group of the run when deleted.
    for (resource, known_ids) in [("Groups", known.groups), ("Users", known.users)] {
        found += known_ids.len() as u64;
        let known_set: std::collections::HashSet<String> = known_ids.iter().cloned().collect();
        deleted.merge(deleting::delete_all(deleters, resource, known_ids, deadline).await);
        if known.complete {
            continue;
        }
        let narrow = match narrow {
            Some(narrow) => narrow,
            None => *narrow.insert(listing::filters(lister, deadline).await),
        };
        let listed = listing::list_carrying(lister, resource, run_id, narrow, deadline).await;
        unsearched.extend(listed.unfinished);
        let new: Vec<String> = listed
            .ids
            .into_iter()
            .filter(|id| !known_set.contains(id))
            .collect();
        found += new.len() as u64;
        deleted.merge(deleting::delete_all(deleters, resource, new, deadline).await);
    }
    let mut problems = deleted.problems;
    if deleted.more_problems > 0 {
        problems.push(format!("{} more like these", deleted.more_problems));
    }
    if liveness.is_dead() {
        problems.push(liveness.reason());
    } else if Instant::now() >= deadline {
        problems.push(format!("cleanup's bound of {} s passed", bound.as_secs()));
    }
    let mut failures = deleted.failures;
    failures.extend(
        liveness
            .is_dead()
            .then(|| liveness.evidence())
            .into_iter()
            .flatten(),
    );
    let mut cleaned = Cleanup {
        found,
        removed: deleted.removed,
        left: deleted.left,
        unsearched,
        problems,
        command: None,
        record: ScenarioRecord {
            name: NAME.to_string(),
            outcomes: Vec::new(),
            transcript: failures,
            effects: Vec::new(),
        },
    };
    if !cleaned.is_complete() {
        cleaned.command = Some(finishing_command(run_id, target));
    }
    Ok(cleaned)
}

/// `scimulate cleanup` for what is left: it lists the target whole
/// (narrowed where it can), with no page cap, within its own deadline.
fn finishing_command(run_id: &str, target: &Target) -> String {
    let route = crate::consent::Route::of(target, &scimulate_simulator::Proxies::from_env());
    let consent = if route.is_local() {
        ""
    } else {
        "--allow-remote-writes "
    };
    format!(
        "scimulate cleanup --run-id {run_id} --base-url {} {consent}--token-file FILE",
        target.base_url()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_run_ids_are_accepted() {
        assert!(is_run_id("r5713e4"));
        for bad in [
            "", "r", "5713e4", "r5713e", "r5713e4a", "R5713E4", "r5713g4", "a*",
        ] {
            assert!(!is_run_id(bad), "{bad}");
        }
    }
}
