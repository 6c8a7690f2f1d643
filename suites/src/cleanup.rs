//! Cleanup: removing what a run created on a target someone else runs.
//! Every user and group a run creates carries its run id (`r5713e4`: in
//! the core user's e-mail, in every scenario's tag, `tag_email`,
//! `tag_group`), so cleanup finds them by listing the target and keeps
//! those that carry it, then DELETEs each one — groups first, so no member
//! is held by a group of the run. A 1Password bridge suspends on DELETE
//! (docs/1password.md#25-delete): that is the deactivation the run owes.
//!
//! It runs at the end of every run against an external target (unless
//! asked to keep the test data), after a deadline too, after Ctrl-C from
//! the CLI, and on its own as `scimulate cleanup --run-id ID` for a run
//! that was killed.
//!
//! Listing is bounded: at most [`MAX_PAGES`] pages of 100 per resource.
//! A run that knows the ids it created (`scimulate load`) hands them over
//! ([`cleanup_known`]): they are deleted without being searched for.

use std::sync::Arc;

use scimulate_simulator::{ClientSettings, Clock, OktaClient, Probe, Target};
use serde_json::Value;

use crate::record::ScenarioRecord;

/// The label of cleanup's exchanges and its scenario record.
pub const NAME: &str = "cleanup";

/// Pages of 100 listed per resource, at most (20,000 resources).
pub const MAX_PAGES: u64 = 200;

/// What cleanup did.
#[derive(Debug, Clone)]
pub struct Cleanup {
    /// `Users/{id}` and `Groups/{id}` that carry the run id, as found.
    pub found: Vec<String>,
    /// Of those, the ones DELETE removed (2xx, or 404: already gone).
    pub removed: Vec<String>,
    /// What went wrong, each a sentence (a listing or a DELETE refused).
    pub problems: Vec<String>,
    /// Every exchange cleanup made, as a scenario named `cleanup`.
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
    /// One line for a person: what was found and removed, and what not.
    pub fn summary(&self, run_id: &str) -> String {
        let mut line = format!(
            "cleanup of run {run_id}: {} resource(s) found, {} removed",
            self.found.len(),
            self.removed.len()
        );
        if !self.problems.is_empty() {
            line.push_str(&format!(
                "; {} (finish it with `scimulate cleanup --run-id {run_id}`)",
                self.problems.join("; ")
            ));
        }
        line
    }
}

/// Finds every user and group carrying `run_id` on the target and deletes
/// them.
pub async fn cleanup(
    target: &Target,
    run_id: &str,
    settings: ClientSettings,
    clock: Arc<dyn Clock>,
) -> Result<Cleanup, CleanupError> {
    cleanup_known(target, run_id, Known::default(), settings, clock).await
}

/// What a run knows it created: the `id` the target answered for each user
/// and group (`scimulate load` records them).
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub users: Vec<String>,
    pub groups: Vec<String>,
    /// Whether that is all of it: every action finished with the target's
    /// answer. When not (an action failed or was cut short, and may have
    /// created something whose `id` never came back), the target is listed
    /// for the rest too.
    pub complete: bool,
}

/// Like [`cleanup`], deleting `known` without listing it first, so no
/// listing bound applies to it (a load of 100,000 users is removed
/// whole; [`MAX_PAGES`] bounds only what is searched for). The target is
/// listed for anything else carrying the run id unless `known` is
/// complete.
pub async fn cleanup_known(
    target: &Target,
    run_id: &str,
    known: Known,
    settings: ClientSettings,
    clock: Arc<dyn Clock>,
) -> Result<Cleanup, CleanupError> {
    if !is_run_id(run_id) {
        return Err(CleanupError::RunId(run_id.to_string()));
    }
    let client = OktaClient::new(target.clone(), settings, clock).map_err(CleanupError::Client)?;
    let mut found = Vec::new();
    let mut problems = Vec::new();
    // Groups first: no member is held by a group of the run when deleted.
    for (resource, known_ids) in [("Groups", known.groups), ("Users", known.users)] {
        let listed = if known.complete {
            Vec::new()
        } else {
            match list_carrying(&client, resource, run_id).await {
                Ok(ids) => ids,
                Err(problem) => {
                    problems.push(problem);
                    Vec::new()
                }
            }
        };
        let known_set: std::collections::HashSet<&String> = known_ids.iter().collect();
        let listed: Vec<String> = listed
            .into_iter()
            .filter(|id| !known_set.contains(id))
            .collect();
        found.extend(known_ids.into_iter().chain(listed).map(|id| (resource, id)));
    }
    let mut removed = Vec::new();
    for (resource, id) in &found {
        // An id that is no URL path segment would address another route
        // (`..` is the collection itself): never sent.
        if id.is_empty() || id == "." || id == ".." || id.contains(['\t', '\r', '\n', '/']) {
            problems.push(format!(
                "{resource} id {id:?} cannot be addressed; not deleted"
            ));
            continue;
        }
        let exchange = client
            .probe(NAME, "delete", Probe::delete(resource, id))
            .await;
        match exchange.response.as_ref().map(|r| r.status) {
            Some(200..=299 | 404) => removed.push(format!("{resource}/{id}")),
            Some(status) => problems.push(format!("DELETE /{resource}/{id:?} answered {status}")),
            None => problems.push(format!(
                "DELETE /{resource}/{id:?} failed: {}",
                exchange.error.unwrap_or_default()
            )),
        }
    }
    Ok(Cleanup {
        found: found
            .iter()
            .map(|(resource, id)| format!("{resource}/{id}"))
            .collect(),
        removed,
        problems,
        record: ScenarioRecord {
            name: NAME.to_string(),
            outcomes: Vec::new(),
            transcript: client.take_exchanges(),
            effects: Vec::new(),
        },
    })
}

/// The ids of the `resource`s whose names carry `run_id`, paging through
/// the list; `Err` says why the list could not be read. A target without
/// groups (404 on `/Groups`) has none to clean.
async fn list_carrying(
    client: &OktaClient,
    resource: &str,
    run_id: &str,
) -> Result<Vec<String>, String> {
    let mut ids = Vec::new();
    let mut listed = std::collections::HashSet::new();
    let mut start = 1;
    for _ in 0..MAX_PAGES {
        let exchange = client
            .probe(NAME, "list", Probe::page(resource, start, 100))
            .await;
        let Some(response) = &exchange.response else {
            return Err(format!(
                "could not list /{resource}: {}",
                exchange.error.unwrap_or_default()
            ));
        };
        if response.status == 404 && resource == "Groups" {
            return Ok(ids);
        }
        let page = response.body.json().filter(|_| response.status == 200);
        let Some(resources) = page
            .and_then(|p| p.get("Resources"))
            .and_then(Value::as_array)
        else {
            return Err(format!(
                "could not list /{resource}: answered {} without a Resources list",
                response.status
            ));
        };
        let mut new = 0;
        for resource in resources {
            let Some(id) = resource.get("id").and_then(Value::as_str) else {
                continue;
            };
            if listed.insert(id.to_string()) {
                new += 1;
                if carries(resource, run_id) {
                    ids.push(id.to_string());
                }
            }
        }
        // A target that ignores startIndex repeats its first page: stop.
        if new == 0 {
            return Ok(ids);
        }
        let total = page
            .and_then(|p| p.get("totalResults"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let seen = start - 1 + resources.len() as u64;
        if resources.is_empty() || seen >= total {
            return Ok(ids);
        }
        start = seen + 1;
    }
    Err(format!(
        "/{resource} has more than {} resources; only the first pages were searched",
        MAX_PAGES * 100
    ))
}

/// Whether a resource has a name the run gave it: a user whose userName
/// or an e-mail has the local part `….{run}` or `….{run}s{n}`
/// (`tag_email`), a group whose displayName ends in ` {run}` or
/// ` {run}s{n}` (`tag_group`). Nothing else matches, however the run id
/// appears in it: a real `user000001` is not run `r000001`'s.
pub(crate) fn carries(resource: &Value, run_id: &str) -> bool {
    let tagged_with = |text: &str, separator: char| {
        let text = text.to_ascii_lowercase();
        let Some((_, tag)) = text.rsplit_once(separator) else {
            return false;
        };
        match tag.strip_prefix(run_id) {
            Some("") => true,
            Some(rest) => rest
                .strip_prefix('s')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())),
            None => false,
        }
    };
    let user_tagged = |value: Option<&Value>| {
        value
            .and_then(Value::as_str)
            .and_then(|address| address.rsplit_once('@'))
            .is_some_and(|(local, _)| tagged_with(local, '.'))
    };
    match resource.get("userName") {
        Some(_) => {
            user_tagged(resource.get("userName"))
                || resource
                    .get("emails")
                    .and_then(Value::as_array)
                    .is_some_and(|emails| emails.iter().any(|e| user_tagged(e.get("value"))))
        }
        None => resource
            .get("displayName")
            .and_then(Value::as_str)
            .is_some_and(|name| tagged_with(name, ' ')),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

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

    #[test]
    fn resources_carry_the_run_id_in_their_names() {
        let run = "r5713e4";
        assert!(carries(
            &json!({"userName": "ada.lovelace.r5713e4@example.com"}),
            run
        ));
        assert!(carries(
            &json!({"userName": "Carol.R5713E4S2@Example.com"}),
            run
        ));
        assert!(carries(
            &json!({"userName": "x", "emails": [{"value": "carol.r5713e4s2@example.com"}]}),
            run
        ));
        assert!(carries(&json!({"displayName": "Design r5713e4s24"}), run));
        // A user's displayName is a person's name, not a test tag.
        assert!(!carries(
            &json!({"userName": "bob@acme.com", "displayName": "r5713e4"}),
            run
        ));
        assert!(!carries(
            &json!({"userName": "ada.lovelace.r000001@example.com"}),
            run
        ));
        assert!(!carries(&json!({"id": "r5713e4"}), run));
        assert!(carries(
            &json!({"userName": "load-0000042.r5713e4@example.com"}),
            run
        ));
        assert!(carries(
            &json!({"displayName": "load-group-3 r5713e4"}),
            run
        ));
        // The run id inside a real name is no tag.
        for real in [
            json!({"userName": "user000001@acme.com"}),
            json!({"userName": "r000001@acme.com"}),
            json!({"userName": "ann.r000001x@acme.com"}),
            json!({"userName": "ann.r000001s@acme.com"}),
            json!({"displayName": "Team r0000012"}),
            json!({"displayName": "r000001"}),
        ] {
            assert!(!carries(&real, "r000001"), "{real}");
        }
    }
}
