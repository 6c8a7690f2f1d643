//! Long list answers cut to what a person can review. An import of 250
//! people pages through three ListResponses (docs/okta-wire.md#6-importing-users); stored
//! whole, its baseline was 7,370 lines, of which 7,000 repeat one user
//! resource with another number in it. Nobody reads that, so a regression
//! in it would be accepted unseen.
//!
//! In a `Resources` array, a run of resources shaped like the one shown
//! before them (the same keys and values once the digits in strings are set
//! aside: `<user-17>`, `member-00017@acme.com`) becomes one summary: how
//! many, their ids as ranges, and a digest of their exact text. What a
//! regression changes still changes the baseline: a resource of another
//! shape is shown whole where it stands, a lost or repeated user shows in
//! the count and the id ranges, and any other byte in the run changes the
//! digest. The page envelopes (`totalResults`, `startIndex`,
//! `itemsPerPage`), the requests and the first resource of every page stay
//! as they were. The checks judge every resource; only the snapshot is
//! shorter.

use serde_json::{Value, json};

/// Runs shorter than this stay whole: a list of a few people (every other
/// built-in scenario) reads better in full.
const MIN_RUN: usize = 3;

/// Summarizes the repeated resources of every answer in a normalized run.
pub(super) fn summarize(document: &mut Value) {
    let Some(exchanges) = document.get_mut("exchanges").and_then(Value::as_array_mut) else {
        return;
    };
    for exchange in exchanges {
        if let Some(Value::Array(resources)) = exchange.pointer_mut("/response/body/Resources") {
            *resources = summarize_list(std::mem::take(resources));
        }
    }
}

fn summarize_list(resources: Vec<Value>) -> Vec<Value> {
    let mut out = Vec::new();
    let mut shown: Option<Value> = None;
    let mut run: Vec<Value> = Vec::new();
    for resource in resources {
        let shape = shape(&resource);
        if shown.as_ref() == Some(&shape) {
            run.push(resource);
            continue;
        }
        flush(&mut out, &mut run);
        shown = Some(shape);
        out.push(resource);
    }
    flush(&mut out, &mut run);
    out
}

/// Moves `run` into `out`: whole when short, else as one summary.
fn flush(out: &mut Vec<Value>, run: &mut Vec<Value>) {
    if run.len() < MIN_RUN {
        out.append(run);
        return;
    }
    let ids: Vec<&str> = run
        .iter()
        .map(|resource| {
            resource
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("(no id)")
        })
        .collect();
    let text: String = run.iter().map(Value::to_string).collect();
    out.push(json!({
        "<repeated>": run.len(),
        "like": "the resource above, with other numbers",
        "ids": ranges(&ids),
        "fnv1a64": format!("{:016x}", fnv1a64(text.as_bytes())),
    }));
    run.clear();
}

/// The value with every run of digits in its strings replaced by `#`.
fn shape(value: &Value) -> Value {
    match value {
        Value::String(text) => {
            let mut out = String::with_capacity(text.len());
            for c in text.chars() {
                if !c.is_ascii_digit() {
                    out.push(c);
                } else if !out.ends_with('#') {
                    out.push('#');
                }
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), shape(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `<user-2> … <user-99>`; aliases that do not follow on from the one
/// before start a new range (`<user-2> … <user-40>, <user-40> … <user-99>`
/// says `<user-40>` came twice).
fn ranges(ids: &[&str]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut start = 0;
    for i in 1..=ids.len() {
        let follows = i < ids.len() && next_alias(ids[i - 1]).as_deref() == Some(ids[i]);
        if !follows {
            out.push(if i - 1 == start {
                ids[start].to_string()
            } else {
                format!("{} … {}", ids[start], ids[i - 1])
            });
            start = i;
        }
    }
    out.join(", ")
}

/// `<user-7>` → `<user-8>`.
fn next_alias(alias: &str) -> Option<String> {
    let inner = alias.strip_prefix('<')?.strip_suffix('>')?;
    let (kind, number) = inner.rsplit_once('-')?;
    let number: u64 = number.parse().ok()?;
    Some(format!("<{kind}-{}>", number + 1))
}

/// FNV-1a, 64 bits: a stable digest across platforms and Rust versions
/// (std's hashers promise neither), enough to see that a run changed.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(n: u32) -> Value {
        json!({"id": format!("<user-{n}>"), "userName": format!("member-{n:05}@acme.com"), "active": true})
    }

    fn page(resources: Vec<Value>) -> Value {
        json!({"exchanges": [{"response": {"body": {"totalResults": 9, "Resources": resources}}}]})
    }

    fn summarized(resources: Vec<Value>) -> Vec<Value> {
        let mut document = page(resources);
        summarize(&mut document);
        document["exchanges"][0]["response"]["body"]["Resources"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn a_run_of_like_resources_becomes_one_counted_summary() {
        let list = summarized((1..=5).map(user).collect());
        assert_eq!(list.len(), 2);
        assert_eq!(list[0], user(1));
        assert_eq!(list[1]["<repeated>"], json!(4));
        assert_eq!(list[1]["ids"], json!("<user-2> … <user-5>"));
    }

    #[test]
    fn short_lists_stay_whole() {
        let users: Vec<Value> = (1..=3).map(user).collect();
        assert_eq!(summarized(users.clone()), users);
    }

    #[test]
    fn a_resource_of_another_shape_is_shown_where_it_stands() {
        let mut users: Vec<Value> = (1..=9).map(user).collect();
        users[4]["active"] = json!(false);
        let list = summarized(users.clone());
        assert_eq!(list[0], users[0]);
        assert_eq!(list[1]["ids"], json!("<user-2> … <user-4>"));
        assert_eq!(list[2], users[4]);
        // The next like the first is shown again, as the template of its run.
        assert_eq!(list[3], users[5]);
        assert_eq!(list[4]["ids"], json!("<user-7> … <user-9>"));
        assert_eq!(list.len(), 5);
    }

    #[test]
    fn a_repeated_or_changed_resource_changes_the_summary() {
        let users: Vec<Value> = (1..=6).map(user).collect();
        let before = summarized(users.clone());
        let mut repeated = users.clone();
        repeated[4] = user(4);
        assert_eq!(
            summarized(repeated)[1]["ids"],
            json!("<user-2> … <user-4>, <user-4>, <user-6>")
        );
        let mut renamed = users;
        renamed[3]["userName"] = json!("member-00099@acme.com");
        let after = summarized(renamed);
        assert_eq!(after[1]["ids"], before[1]["ids"]);
        assert_ne!(after[1]["fnv1a64"], before[1]["fnv1a64"]);
    }
}
