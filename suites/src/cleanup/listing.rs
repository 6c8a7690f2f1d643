//! Searching the target for what carries the run id, when the run does not
//! know all it created: a page at a time, nothing held but the current
//! page and the ids that match. Where the target advertises filtering
//! (`ServiceProviderConfig` `filter.supported`), the listing is narrowed
//! on the server (`userName co "r5713e4"`, `displayName co "r5713e4"`);
//! a target that refuses the filter is listed whole, and so is one whose
//! filtered listing is empty while `pr` (present) finds nothing either (a
//! target that answers every filter it does not know with an empty list
//! must not hide the run's leftovers). Every resource is judged by
//! [`super::carries`] either way, so a filter that matches too much
//! deletes nothing else.

use std::collections::HashSet;

use scimulate_simulator::{OktaClient, Probe};
use serde_json::Value;
use tokio::time::Instant;

use super::carries::carries;
use super::send::send;

/// Resources asked for a page.
pub const PAGE: u64 = 100;
/// The most resources listed for one resource type (far beyond any
/// target's: a bound against a target that pages for ever).
pub const MAX_LISTED: u64 = 10_000_000;

/// What a search found.
#[derive(Debug, Default)]
pub(super) struct Listed {
    /// The ids of resources that carry the run id, each once.
    pub ids: Vec<String>,
    /// Resources listed (matching or not).
    pub listed: u64,
    /// Why the listing stopped before its end, if it did: more of the
    /// run's may be left than were found.
    pub unfinished: Option<String>,
    /// Whether the server-side filter narrowed it.
    pub narrowed: bool,
}

/// The JSON body of a 200 answer to `probe` (sent as [`send`] does), or
/// `None` for anything else: the two yes-or-no questions cleanup asks.
async fn json_200(
    client: &OktaClient,
    step: &str,
    probe: impl Fn() -> Probe,
    deadline: Instant,
) -> Option<Value> {
    let exchange = send(client, step, probe, deadline).await?;
    let response = exchange.response.filter(|r| r.status == 200)?;
    response.body.json().cloned()
}

/// Whether the target advertises filtering (`GET /ServiceProviderConfig`,
/// RFC 7643 §5 `filter.supported`). Anything else — no answer, no such
/// document — is a no.
pub(super) async fn filters(client: &OktaClient, deadline: Instant) -> bool {
    json_200(
        client,
        "service provider config",
        || Probe::get("ServiceProviderConfig", None),
        deadline,
    )
    .await
    .as_ref()
    .and_then(|config| config.get("filter"))
    .and_then(|filter| filter.get("supported"))
    .and_then(Value::as_bool)
    .unwrap_or(false)
}

/// Lists `/{resource}` for what carries `run_id`, narrowed by a filter
/// when `narrow` (falling back to the whole listing when the filter is
/// refused).
pub(super) async fn list_carrying(
    client: &OktaClient,
    resource: &str,
    run_id: &str,
    narrow: bool,
    deadline: Instant,
) -> Listed {
    if narrow {
        let attribute = if resource == "Users" {
            "userName"
        } else {
            "displayName"
        };
        let filter = format!("{attribute} co \"{run_id}\"");
        match list(client, resource, run_id, Some(&filter), deadline).await {
            Ok(mut listed)
                if listed.listed > 0
                    || listed.unfinished.is_some()
                    || filtering_works(client, resource, attribute, deadline).await =>
            {
                listed.narrowed = true;
                return listed;
            }
            Ok(_) => {
                tracing::debug!(
                    resource,
                    "filter found nothing, unconfirmed: listing everything"
                );
            }
            Err(refused) => {
                tracing::debug!(resource, refused, "filter refused: listing everything");
            }
        }
    }
    list(client, resource, run_id, None, deadline)
        .await
        .unwrap_or_else(|refused| Listed {
            unfinished: Some(refused),
            ..Listed::default()
        })
}

/// Whether `{attribute} pr` finds something: the target evaluates filters
/// beyond `eq`, so an empty `co` result means none.
async fn filtering_works(
    client: &OktaClient,
    resource: &str,
    attribute: &str,
    deadline: Instant,
) -> bool {
    let filter = format!("{attribute} pr");
    json_200(
        client,
        "confirm filter",
        || Probe::filtered_page(resource, &filter, 1, 1),
        deadline,
    )
    .await
    .as_ref()
    .and_then(|page| page.get("Resources"))
    .and_then(Value::as_array)
    .is_some_and(|resources| !resources.is_empty())
}

/// Pages through the list; `Err` when its first page is no list (the
/// filter refused, or the listing itself).
async fn list(
    client: &OktaClient,
    resource: &str,
    run_id: &str,
    filter: Option<&str>,
    deadline: Instant,
) -> Result<Listed, String> {
    let mut listed = Listed::default();
    let mut found: HashSet<String> = HashSet::new();
    // The previous page's ids only: a target that ignores startIndex
    // repeats a page, which is how it is noticed.
    let mut previous: HashSet<String> = HashSet::new();
    let mut start = 1;
    let liveness = client.settings().liveness.clone();
    loop {
        let first = start == 1;
        let stop = |listed: &mut Listed, why: String| {
            listed.unfinished = Some(why);
        };
        if listed.listed >= MAX_LISTED {
            stop(
                &mut listed,
                format!("/{resource} was listed up to {MAX_LISTED} resources and no further"),
            );
            break;
        }
        let probe = || match filter {
            Some(filter) => Probe::filtered_page(resource, filter, start, PAGE),
            None => Probe::page(resource, start, PAGE),
        };
        let sent = tokio::select! {
            biased;
            sent = send(client, "list", probe, deadline) => sent,
            () = liveness.dead() => None,
        };
        let Some(exchange) = sent else {
            let why = if liveness.is_dead() {
                "the target stopped answering"
            } else {
                "the deadline passed"
            };
            stop(
                &mut listed,
                format!("the listing of /{resource} stopped at resource {start}: {why}"),
            );
            break;
        };
        let Some(response) = exchange
            .response
            .as_ref()
            .filter(|_| exchange.error.is_none())
        else {
            let why = format!(
                "could not list /{resource}: {}",
                exchange.error.as_deref().unwrap_or("no answer")
            );
            if first {
                return Err(why);
            }
            stop(&mut listed, why);
            break;
        };
        if response.status == 404 && resource == "Groups" && filter.is_none() {
            // A target without groups has none to clean.
            break;
        }
        let page = response
            .body
            .json_body()
            .filter(|_| response.status == 200)
            .map(|body| body.parse());
        let Some(resources) = page
            .as_ref()
            .and_then(|p| p.get("Resources"))
            .and_then(Value::as_array)
        else {
            let why = format!(
                "could not list /{resource}: answered {} without a Resources list",
                response.status
            );
            if first {
                return Err(why);
            }
            stop(&mut listed, why);
            break;
        };
        let mut new = 0;
        let mut ids = HashSet::with_capacity(resources.len());
        for resource in resources {
            let Some(id) = resource.get("id").and_then(Value::as_str) else {
                continue;
            };
            if !previous.contains(id) {
                new += 1;
            }
            ids.insert(id.to_string());
            if carries(resource, run_id) && found.insert(id.to_string()) {
                listed.ids.push(id.to_string());
            }
        }
        listed.listed += resources.len() as u64;
        let total = page
            .as_ref()
            .and_then(|p| p.get("totalResults"))
            .and_then(Value::as_u64);
        let seen = start - 1 + resources.len() as u64;
        let done = resources.is_empty()
            || new == 0
            || match total {
                Some(total) => seen >= total,
                None => (resources.len() as u64) < PAGE,
            };
        if done {
            break;
        }
        start = seen + 1;
        previous = ids;
    }
    Ok(listed)
}
