//! What a refused request was: its answer, the shape of the write refused
//! for its form (rule 3), and whether it refused scimulate's own test data
//! (rule 4); and a refusal that never came (rule 5).

use scimulate_simulator::Exchange;
use serde_json::Value;

use crate::verdict::{CheckResult, Verdict};

/// How a check about a refusal begins what it saw when nothing was refused:
/// the check demanding the refusal owns that failure (rule 5).
pub const NOTHING_REFUSED: &str = "every action succeeded";

/// Checks whose premise is a refusal: they judge how it reaches Okta.
const ABOUT_A_REFUSAL: &[&str] = &["okta.users.refusal.reason-reaches-okta"];

/// Rule 5: of the results at `indices` (one scenario's), a check about a
/// refusal that failed because every write was accepted waits on a check
/// that failed on that same accepted write: the rule that demands the
/// refusal (a MUST result only on a MUST failure).
/// Returns `(result, blocked by, reason)` for the caller to apply.
pub(super) fn never_came(
    results: &[CheckResult],
    indices: &[usize],
) -> Vec<(usize, usize, String)> {
    let mut blocked = Vec::new();
    for &i in indices {
        let Verdict::Failed { evidence } = &results[i].verdict else {
            continue;
        };
        if !ABOUT_A_REFUSAL.contains(&results[i].id) || !evidence.seen.starts_with(NOTHING_REFUSED)
        {
            continue;
        }
        let accepted = evidence.exchanges.clone();
        let owner = indices.iter().copied().find_map(|j| {
            let Verdict::Failed { evidence } = &results[j].verdict else {
                return None;
            };
            let shared = evidence.exchanges.iter().find(|n| accepted.contains(n))?;
            (j != i && results[j].level <= results[i].level).then_some((j, *shared))
        });
        if let Some((root, number)) = owner {
            let reason = format!(
                "nothing was refused: #{number} was accepted, which {} failed on",
                results[root].id
            );
            blocked.push((i, root, reason));
        }
    }
    blocked
}

/// `400`, or `no answer`.
pub(super) fn answer(exchange: &Exchange) -> String {
    match &exchange.response {
        Some(response) => response.status.to_string(),
        None => "no answer".to_string(),
    }
}

/// A 4xx about the request itself: not 401 (the token), 404 and 409 (what
/// the target holds) or 429 (the rate).
fn refused_for_its_form(status: u16) -> bool {
    (400..500).contains(&status) && ![401, 404, 409, 429].contains(&status)
}

/// What kind of write was refused for its form, for rule 3: method, path
/// with ids as `{id}`, the PATCH operations' shape, and the status; `None`
/// for a read, or a refusal about state, token or rate.
pub(super) fn kind(exchange: &Exchange) -> Option<String> {
    let status = exchange.response.as_ref()?.status;
    let form = refused_for_its_form(status);
    (exchange.request.method != "GET" && form)
        .then(|| format!("{} → {status}", request_shape(exchange)))
}

/// `PATCH /Groups/{id} (replace without path)`.
pub(super) fn request_shape(exchange: &Exchange) -> String {
    let path = exchange.request.path.split('?').next().unwrap_or_default();
    let mut segments: Vec<&str> = path.split('/').collect();
    for n in 1..segments.len() {
        if matches!(segments[n - 1], "Users" | "Groups") && !segments[n].is_empty() {
            segments[n] = "{id}";
        }
    }
    let mut shape = format!("{} {}", exchange.request.method, segments.join("/"));
    if exchange.request.method == "PATCH"
        && let Some(operations) = exchange
            .request
            .body
            .as_ref()
            .and_then(|b| b.get("Operations"))
            .and_then(Value::as_array)
    {
        let ops: Vec<String> = operations.iter().map(operation_shape).collect();
        shape.push_str(&format!(" ({})", ops.join(", ")));
    }
    shape
}

/// `replace without path`, `remove members[value eq …]`, `add members`.
pub(super) fn operation_shape(operation: &Value) -> String {
    let op = operation
        .get("op")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_ascii_lowercase();
    match operation.get("path").and_then(Value::as_str) {
        None => format!("{op} without path"),
        Some(path) => {
            let attribute = path.split(['[', '.']).next().unwrap_or(path);
            if path.contains('[') {
                format!("{op} {attribute}[…]")
            } else {
                format!("{op} {attribute}")
            }
        }
    }
}

/// Rule 4: the create of a user scimulate named (its userName carries the
/// run id: `ada.lovelace.r5713e4@…`, `….r5713e4s24@…`), refused with a
/// 4xx whose body speaks of its domain, e-mail or userName.
pub(super) fn test_data_refused(exchange: &Exchange) -> bool {
    let request = &exchange.request;
    let path = request.path.split('?').next().unwrap_or_default();
    if request.method != "POST" || !path.ends_with("/Users") {
        return false;
    }
    let Some(user_name) = request
        .body
        .as_ref()
        .and_then(|b| b.get("userName"))
        .and_then(Value::as_str)
    else {
        return false;
    };
    let Some(response) = &exchange.response else {
        return false;
    };
    // A 409 (the userName taken) or a 404 speaks of what the target holds,
    // not of the test data: no flag fixes that.
    if !refused_for_its_form(response.status) {
        return false;
    }
    let Some((local, domain)) = user_name.rsplit_once('@') else {
        return false;
    };
    if !carries_run_id(local) {
        return false;
    }
    let text = match &response.body {
        scimulate_simulator::RecordedBody::Json(value) => value.to_string(),
        scimulate_simulator::RecordedBody::Text { text, .. } => text.clone(),
        scimulate_simulator::RecordedBody::Empty => String::new(),
    }
    .to_ascii_lowercase();
    [domain, "domain", "username", "email", "e-mail"]
        .iter()
        .any(|word| text.contains(&word.to_ascii_lowercase()))
}

/// `ada.lovelace.r5713e4` or `ada.r5713e4s24`: the last dot-separated part
/// is `r`, six lower-case hex digits, optionally `s` and digits.
pub(super) fn carries_run_id(local: &str) -> bool {
    let Some(last) = local.rsplit('.').next() else {
        return false;
    };
    let Some(rest) = last.strip_prefix('r') else {
        return false;
    };
    let (id, scenario) = rest.split_at(rest.len().min(6));
    id.len() == 6
        && id
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        && (scenario.is_empty()
            || scenario
                .strip_prefix('s')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_are_recognized_in_names_scimulate_gives() {
        assert!(carries_run_id("ada.lovelace.r5713e4"));
        assert!(carries_run_id("dana.r5713e4s24"));
        assert!(!carries_run_id("ada.lovelace"));
        assert!(!carries_run_id("ada.r5713e4x"));
        assert!(!carries_run_id("ada.r5713E4"));
        assert!(!carries_run_id("ada.r5713e4s"));
    }

    #[test]
    fn patch_shapes_name_their_operations() {
        let replace = serde_json::json!({"op": "Replace", "value": {"active": false}});
        assert_eq!(operation_shape(&replace), "replace without path");
        let remove = serde_json::json!({"op": "remove", "path": "members[value eq \"1\"]"});
        assert_eq!(operation_shape(&remove), "remove members[…]");
        let add = serde_json::json!({"op": "add", "path": "members"});
        assert_eq!(operation_shape(&add), "add members");
    }

    /// A create of scimulate's test user answered `status` with `detail`.
    fn create_answered(status: u16, detail: &str) -> Exchange {
        use scimulate_simulator::{RecordedBody, RecordedRequest, RecordedResponse};
        let user = serde_json::json!({"userName": "ivan.r98664fs12@acme.com"});
        Exchange {
            number: 3,
            action: "assign ivan.r98664fs12@acme.com".into(),
            step: "create".into(),
            attempt: 1,
            started_at: chrono::DateTime::UNIX_EPOCH,
            duration_ms: 0,
            duration_us: 0,
            request: RecordedRequest {
                method: "POST".into(),
                path: "/Users".into(),
                headers: vec![],
                body: Some(user),
            },
            response: Some(RecordedResponse {
                status,
                headers: vec![],
                body: RecordedBody::Json(serde_json::json!({"detail": detail}).into()),
            }),
            error: None,
        }
    }

    #[test]
    fn a_test_user_taken_is_not_test_data_refused() {
        // Refused for its form: the flag that changes the domain fixes it.
        assert!(test_data_refused(&create_answered(
            400,
            "acme.com is not one of the account's allowed domains"
        )));
        // Taken (a lookup that missed it, say): about what the target
        // holds, which no --email-domain fixes.
        assert!(!test_data_refused(&create_answered(
            409,
            "userName 'ivan.r98664fs12@acme.com' already in use"
        )));
    }
}
