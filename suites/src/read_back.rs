//! scimulate's own read-backs after a scenario (action `verify`, never
//! Okta's traffic): every user and group the exchanges created or
//! addressed, read by id as Okta's CRUD test does
//! (docs/okta-wire.md#122-crud-test); then each user the state model
//! ([`crate::model`]) holds, looked up as Okta looks (`userName eq`,
//! docs/okta-wire.md#31-existence-check) in its own case, in another case
//! and by a prefix of its name; and each group read as a careful client
//! reads it, without its members (`excludedAttributes=members`, RFC 7644
//! §3.9); and after an import, the imported list again in other pagings.
//! Each rides out 429s like every probe.

use scimulate_simulator::{OktaClient, Probe};

use crate::model::StateModel;

/// The probes' action label: not Okta's traffic.
pub const VERIFY: &str = "verify";

/// Step names the state checks look for.
pub const READ_USER: &str = "read back user";
pub const READ_GROUP: &str = "read back group";
pub const LOOK_UP_USER: &str = "look up user";
pub const LOOK_UP_OTHER_CASE: &str = "look up user in other case";
pub const LOOK_UP_PREFIX: &str = "look up a prefix of a userName";
pub const READ_GROUP_NO_MEMBERS: &str = "read back group without members";
pub const LIST_AT_OTHER_COUNT: &str = "list users at another count";
pub const LIST_FROM_SECOND: &str = "list users from the second";
pub const LIST_GROUPS_AT_OTHER_COUNT: &str = "list groups at another count";
pub const LIST_GROUPS_FROM_SECOND: &str = "list groups from the second";

/// The other pagings of the user list after Okta's import (count 100,
/// docs/okta-wire.md#6-importing-users): `(step, first startIndex, count)`.
/// 37 cuts pages Okta's never does; starting at 2 shifts every page by one.
pub const PAGINGS: [(&str, u64, u64); 2] =
    [(LIST_AT_OTHER_COUNT, 1, 37), (LIST_FROM_SECOND, 2, 150)];

/// The same for the group list after Okta's group import (count 100,
/// docs/okta-wire.md#7-importing-groups): an account has few groups, so one
/// a page makes more than one page from two groups on.
pub const GROUP_PAGINGS: [(&str, u64, u64); 2] = [
    (LIST_GROUPS_AT_OTHER_COUNT, 1, 1),
    (LIST_GROUPS_FROM_SECOND, 2, 100),
];

/// At most this many pages per paging: a target whose totals never end
/// still ends the read-back.
const MAX_PAGES: usize = 60;

/// Sends the read-backs.
pub(crate) async fn read_back(client: &OktaClient) {
    for resource in ["Users", "Groups"] {
        let ids = client.with_transcript(|transcript| ids_addressed(transcript, resource));
        for id in ids {
            let step = if resource == "Users" {
                READ_USER
            } else {
                READ_GROUP
            };
            client
                .probe(VERIFY, step, Probe::get(resource, Some(&id)))
                .await;
            if resource == "Groups" {
                let partial = Probe::get(resource, Some(&id)).excluding("members");
                client.probe(VERIFY, READ_GROUP_NO_MEMBERS, partial).await;
            }
        }
    }
    use crate::scenarios::names::{IMPORT_GROUPS_ACTION, IMPORT_USERS};
    for (import, resource, pagings) in [
        (IMPORT_USERS, "Users", PAGINGS),
        (IMPORT_GROUPS_ACTION, "Groups", GROUP_PAGINGS),
    ] {
        let imported = client
            .with_transcript(|transcript| transcript.iter().any(|e| e.action.starts_with(import)));
        if imported {
            for (step, start, count) in pagings {
                page_through(client, resource, step, start, count).await;
            }
        }
    }
    let model = client.with_transcript(|transcript| StateModel::of(transcript.iter()));
    for user in &model.users {
        let Some(name) = user.user_name() else {
            continue;
        };
        let lookups = [
            (LOOK_UP_USER, name.to_string()),
            (LOOK_UP_OTHER_CASE, other_case(name)),
            (LOOK_UP_PREFIX, prefix(name)),
        ];
        for (step, value) in lookups {
            client
                .probe(VERIFY, step, Probe::lookup("Users", "userName", &value))
                .await;
        }
    }
}

/// Reads the `resource` list from `start`, `count` at a time, as far as
/// the target's totalResults says there is more (advancing by `count`, as
/// Okta does).
async fn page_through(client: &OktaClient, resource: &str, step: &str, start: u64, count: u64) {
    let mut start = start;
    for _ in 0..MAX_PAGES {
        let page = client
            .probe(VERIFY, step, Probe::page(resource, start, count))
            .await;
        let answer = page.response.as_ref().and_then(|r| r.body.json());
        let listed = answer
            .and_then(|a| a.get("Resources"))
            .and_then(|r| r.as_array())
            .map_or(0, Vec::len);
        let total = answer
            .and_then(|a| a.get("totalResults"))
            .and_then(|t| t.as_u64())
            .unwrap_or(0);
        start += count;
        if listed == 0 || start > total {
            break;
        }
    }
}

/// `name` in another case: upper case, or lower case when it has no
/// lower-case letter (as Okta's SPEC test upper-cases, docs/okta-wire.md#121-spec-test).
pub fn other_case(name: &str) -> String {
    let upper = name.to_uppercase();
    if upper == name {
        name.to_lowercase()
    } else {
        upper
    }
}

/// `name` without its last character: a value whose "sibling" (the user)
/// shares its prefix, which `eq` must not match (RFC 7644 §3.4.2.2).
pub fn prefix(name: &str) -> String {
    let mut chars = name.chars();
    chars.next_back();
    chars.as_str().to_string()
}
/// The ids of `resource`s the exchanges created or addressed, in order.
fn ids_addressed(transcript: &scimulate_simulator::Transcript, resource: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut known = std::collections::HashSet::new();
    {
        for exchange in transcript.iter() {
            let path = exchange.request.path.split('?').next().unwrap_or_default();
            let from_path = path
                .strip_prefix(&format!("/{resource}/"))
                .filter(|id| !id.is_empty() && !id.contains('/'))
                .map(str::to_string);
            let created = (exchange.request.method == "POST" && path == format!("/{resource}"))
                .then(|| {
                    exchange
                        .response
                        .as_ref()
                        .filter(|r| (200..300).contains(&r.status))
                        .and_then(|r| r.body.json())
                        .and_then(|b| b.get("id"))
                        .and_then(|id| id.as_str())
                        .map(str::to_string)
                })
                .flatten();
            for id in from_path.into_iter().chain(created) {
                if known.insert(id.clone()) {
                    ids.push(id);
                }
            }
        }
    }
    ids
}
