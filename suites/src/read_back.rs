//! scimulate's own read-backs after a scenario (action `verify`, never
//! Okta's traffic): every user and group the exchanges created or
//! addressed, read by id as Okta's CRUD test does
//! (docs/okta-wire.md#122-crud-test); then each user the state model
//! ([`crate::model`]) holds, looked up as Okta looks (`userName eq`,
//! docs/okta-wire.md#31-existence-check) in its own case, in another case
//! and by a prefix of its name; and each group read as a careful client
//! reads it, without its members (`excludedAttributes=members`, RFC 7644
//! §3.9). Each rides out 429s like every probe.

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
