//! Normalizing a run for snapshots: what stays is what a regression would
//! change (requests, statuses, bodies, effects); what differs from run to
//! run is redacted — server ids become first-seen aliases (`<user-1>`),
//! timestamps `<time>`, versions `<version>`, the base URL `<base>`.
//! Aliases make snapshots of *foreign* targets stable too, whatever their
//! id format (nextest's `redact.rs` does the same for paths). Long list
//! answers are summarized where they repeat themselves (`repeats.rs`).

mod repeats;

use std::collections::HashMap;

use scimulate_simulator::{Exchange, RecordedBody};
use serde_json::{Map, Value, json};

use crate::observation::Observation;

/// Response headers worth a snapshot; the rest (Date, Content-Length,
/// Server…) vary or say nothing about SCIM.
const KEPT_RESPONSE_HEADERS: &[&str] = &[
    "content-type",
    "location",
    "www-authenticate",
    "retry-after",
];

/// Keys whose values are times.
const TIME_KEYS: &[&str] = &[
    "created",
    "lastModified",
    "at",
    "retrievedAt",
    "time",
    "expires",
];

/// The normalized form of `observation`, for `insta::assert_json_snapshot!`.
/// `base_url` is the target's SCIM base URL as the run used it.
pub fn normalize(observation: &Observation, base_url: &str) -> Value {
    let exchanges: Vec<Value> = observation.exchanges.iter().map(exchange).collect();
    let outcomes = serde_json::to_value(&observation.outcomes).unwrap_or(Value::Null);
    let effects = observation
        .effects
        .as_ref()
        .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
        .unwrap_or(Value::Null);
    let mut document = json!({
        "scenario": observation.scenario,
        "dialect": observation.dialect,
        "exchanges": exchanges,
        "outcomes": outcomes,
        "effects": effects,
    });
    redact_keys(&mut document);
    let aliases = aliases(observation);
    let mut text = document.to_string();
    text = text.replace(base_url.trim_end_matches('/'), "<base>");
    let mut ids: Vec<(&String, &String)> = aliases.iter().collect();
    // Longest first, so no id is replaced inside a longer one.
    ids.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(b.0)));
    for (id, alias) in ids {
        text = text.replace(id.as_str(), alias);
    }
    let text = redact_hosts(&text);
    let mut normalized = serde_json::from_str(&text).unwrap_or(document);
    repeats::summarize(&mut normalized);
    normalized
}

fn exchange(e: &Exchange) -> Value {
    let mut value = json!({
        "number": e.number,
        "action": e.action,
        "step": e.step,
    });
    if e.attempt > 1 {
        value["attempt"] = json!(e.attempt);
    }
    value["request"] = json!({
        "method": e.request.method,
        "path": e.request.path,
        "headers": e.request.headers.iter().map(|h| format!("{}: {}", h.name, h.value)).collect::<Vec<_>>(),
    });
    if let Some(body) = &e.request.body {
        value["request"]["body"] = body.clone();
    }
    if let Some(response) = &e.response {
        let headers: Vec<String> = response
            .headers
            .iter()
            .filter(|h| KEPT_RESPONSE_HEADERS.contains(&h.name.to_ascii_lowercase().as_str()))
            .map(|h| format!("{}: {}", h.name.to_ascii_lowercase(), h.value))
            .collect();
        value["response"] = json!({"status": response.status, "headers": headers});
        match &response.body {
            RecordedBody::Empty => {}
            RecordedBody::Json(body) => value["response"]["body"] = body.parse(),
            RecordedBody::Text { text, .. } => value["response"]["text"] = json!(text),
        }
    }
    if let Some(error) = &e.error {
        value["error"] = json!(error);
    }
    value
}

/// Times and versions, wherever they appear.
fn redact_keys(value: &mut Value) {
    match value {
        Value::Object(map) => redact_object(map),
        Value::Array(items) => items.iter_mut().for_each(redact_keys),
        _ => {}
    }
}

fn redact_object(map: &mut Map<String, Value>) {
    for (key, value) in map.iter_mut() {
        if TIME_KEYS.contains(&key.as_str()) && value.is_string() {
            *value = json!("<time>");
        } else if key == "version" && value.is_string() {
            *value = json!("<version>");
        } else {
            redact_keys(value);
        }
    }
}

/// Server ids in order of first appearance, each with an alias named after
/// what it identifies.
fn aliases(observation: &Observation) -> HashMap<String, String> {
    let mut aliases = HashMap::new();
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    let mut add = |id: &str, kind: &'static str| {
        if id.len() < 4 || aliases.contains_key(id) {
            return;
        }
        let n = counts.entry(kind).or_insert(0);
        *n += 1;
        aliases.insert(id.to_string(), format!("<{kind}-{n}>"));
    };
    for e in &observation.exchanges {
        let Some(body) = e.response.as_ref().and_then(|r| r.body.json()) else {
            continue;
        };
        let resources: Vec<&Value> = match body.get("Resources").and_then(Value::as_array) {
            Some(list) => list.iter().collect(),
            None => vec![body],
        };
        for resource in resources {
            let Some(id) = resource.get("id").and_then(Value::as_str) else {
                continue;
            };
            add(id, kind_of(resource, &e.request.path));
            for (attribute, kind) in [("members", "user"), ("groups", "group")] {
                for item in resource
                    .get(attribute)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(value) = item.get("value").and_then(Value::as_str) {
                        add(value, kind);
                    }
                }
            }
        }
    }
    for effect in observation.effects.iter().flatten() {
        let Ok(value) = serde_json::to_value(&effect.kind) else {
            continue;
        };
        if let Some(id) = value.get("member_id").and_then(Value::as_str) {
            add(id, "user");
        }
        if let Some(id) = value.get("group_id").and_then(Value::as_str) {
            add(id, "group");
        }
    }
    // Seeded objects that no answer showed, e.g. an existing group named in
    // an error's detail.
    for snapshot in [&observation.before, &observation.after]
        .into_iter()
        .flatten()
    {
        for member in snapshot.members.iter() {
            add(&member.id, "user");
        }
        for group in &snapshot.groups {
            add(&group.id, "group");
        }
    }
    aliases
}

fn kind_of(resource: &Value, path: &str) -> &'static str {
    let resource_type = resource
        .pointer("/meta/resourceType")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if resource_type.eq_ignore_ascii_case("group") || path.starts_with("/Groups") {
        "group"
    } else {
        "user"
    }
}

/// `http://127.0.0.1:4312` → `http://<host>`: ports differ per run.
fn redact_hosts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("http://127.0.0.1:") {
        out.push_str(&rest[..start]);
        out.push_str("http://<host>");
        let after = &rest[start + "http://127.0.0.1:".len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_their_ports() {
        assert_eq!(
            redact_hosts("a http://127.0.0.1:4312/x b http://127.0.0.1:1/"),
            "a http://<host>/x b http://<host>/"
        );
    }

    #[test]
    fn times_and_versions_are_redacted() {
        let mut value =
            json!({"meta": {"created": "2026-01-01T00:00:00Z", "version": "W/\"3\""}, "at": 5});
        redact_keys(&mut value);
        assert_eq!(value["meta"]["created"], json!("<time>"));
        assert_eq!(value["meta"]["version"], json!("<version>"));
        assert_eq!(value["at"], json!(5), "only strings are times");
    }
}
