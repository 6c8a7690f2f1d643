//! `meta` of each resource read back (RFC 7643 §3.1): complete
//! (resourceType, created, lastModified, location) and consistent with the
//! resource and the answer (its type, created ≤ lastModified, location
//! ending in its id, version equal to the ETag).

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use scimulate_simulator::Exchange;

use crate::checks::failure::step_of;
use crate::observation::{Observation, body, seen, status};
use crate::read_back::{READ_GROUP, READ_USER, VERIFY};
use crate::verdict::{Evidence, Verdict};

/// The read-backs answered 200 with a resource: (exchange, resource type,
/// id, resource).
fn resources_read(o: &Observation) -> Vec<(&Exchange, &'static str, &str, &Value)> {
    o.exchanges
        .iter()
        .filter(|e| e.action == VERIFY && status(e) == Some(200))
        .filter_map(|e| {
            let kind = match e.step.as_str() {
                READ_USER => "User",
                READ_GROUP => "Group",
                _ => return None,
            };
            let resource = body(e)?;
            let id = resource.get("id")?.as_str()?;
            Some((e, kind, id, resource))
        })
        .collect()
}

fn failed(exchange: &Exchange, expected: String, hint: &str) -> Verdict {
    Verdict::failed(
        Evidence::new(step_of(exchange), expected, seen(exchange))
            .exchange(exchange.number)
            .hint(hint),
    )
}

/// Nothing read back whole: no meta to judge (the checks that need the
/// resource to exist say so; one cause, one failure).
fn none_read(o: &Observation) -> Verdict {
    Verdict::Skipped {
        reason: format!(
            "scenario {}: no resource Okta wrote read back with 200, so no meta to judge",
            o.scenario
        ),
    }
}

pub(super) fn complete(o: &Observation) -> Verdict {
    let read = resources_read(o);
    if read.is_empty() {
        return none_read(o);
    }
    for (exchange, _, _, resource) in read {
        let meta = resource.get("meta");
        let missing: Vec<&str> = ["resourceType", "created", "lastModified", "location"]
            .into_iter()
            .filter(|name| meta.and_then(|m| m.get(name)).is_none_or(Value::is_null))
            .collect();
        if !missing.is_empty() {
            return failed(
                exchange,
                format!("meta with {}", missing.join(", ")),
                "return meta with resourceType, created, lastModified and location on every \
                 resource",
            );
        }
    }
    Verdict::Passed
}

fn time(meta: &Value, name: &str) -> Result<Option<DateTime<FixedOffset>>, ()> {
    match meta.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => DateTime::parse_from_rfc3339(text).map(Some).map_err(|_| ()),
        Some(_) => Err(()),
    }
}

pub(super) fn consistent(o: &Observation) -> Verdict {
    let read = resources_read(o);
    if read.is_empty() {
        return none_read(o);
    }
    for (exchange, kind, id, resource) in read {
        let Some(meta) = resource.get("meta").filter(|m| m.is_object()) else {
            continue;
        };
        if let Some(given) = meta.get("resourceType")
            && given.as_str() != Some(kind)
        {
            return failed(
                exchange,
                format!("meta.resourceType {kind:?}"),
                "meta.resourceType names the resource's type",
            );
        }
        let (Ok(created), Ok(modified)) = (time(meta, "created"), time(meta, "lastModified"))
        else {
            return failed(
                exchange,
                "meta.created and meta.lastModified as xsd:dateTime (RFC 3339)".into(),
                "write meta times as DateTime strings, such as 2026-01-01T00:00:00Z",
            );
        };
        if let (Some(created), Some(modified)) = (created, modified)
            && modified < created
        {
            return failed(
                exchange,
                "meta.lastModified not before meta.created".into(),
                "lastModified is the latest change: never before created",
            );
        }
        let collection = if kind == "User" { "Users" } else { "Groups" };
        if let Some(location) = meta.get("location")
            && !location.as_str().is_some_and(|l| {
                l.trim_end_matches('/')
                    .ends_with(&format!("/{collection}/{id}"))
            })
        {
            return failed(
                exchange,
                format!("meta.location ending in /{collection}/{id}"),
                "meta.location is the URI of the resource itself",
            );
        }
        let etag = exchange.response.as_ref().and_then(|r| {
            r.headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("etag"))
                .map(|h| h.value.as_str())
        });
        if let (Some(version), Some(etag)) = (meta.get("version").and_then(Value::as_str), etag)
            && version != etag
        {
            return failed(
                exchange,
                format!("meta.version equal to the ETag header {etag:?}"),
                "meta.version must be the same as the ETag header",
            );
        }
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    fn read(meta: Value) -> Observation {
        Built::new("new-user-invited")
            .send(
                VERIFY,
                READ_USER,
                "GET",
                "/Users/u1",
                None,
                200,
                Some(json!({"id": "u1", "meta": meta})),
            )
            .done()
    }

    fn good() -> Value {
        json!({"resourceType": "User", "created": "2026-01-01T00:00:00Z",
               "lastModified": "2026-01-01T00:00:01Z", "location": "http://x/scim/v2/Users/u1"})
    }

    #[test]
    fn meta_complete_and_consistent() {
        assert_eq!(complete(&read(good())), Verdict::Passed);
        assert_eq!(consistent(&read(good())), Verdict::Passed);
        let mut partial = good();
        partial["created"] = Value::Null;
        assert!(matches!(
            complete(&read(partial.clone())),
            Verdict::Failed { .. }
        ));
        assert_eq!(consistent(&read(partial)), Verdict::Passed);
        for (name, value) in [
            ("resourceType", json!("Group")),
            ("lastModified", json!("2025-01-01T00:00:00Z")),
            ("created", json!("yesterday")),
            ("location", json!("http://x/scim/v2/Users")),
        ] {
            let mut wrong = good();
            wrong[name] = value;
            assert!(
                matches!(consistent(&read(wrong)), Verdict::Failed { .. }),
                "{name}"
            );
        }
        assert!(matches!(
            complete(&Built::new("x").done()),
            Verdict::Skipped { .. }
        ));
    }
}
