//! Nothing Okta cleared survives: an attribute Okta's accepted `PUT` left
//! out (or sent `null` or `""`), or its `PATCH` removed, does not read back
//! by id with the value it held before. A default the target assigns
//! instead passes (RFC 7644 §3.5.1 lets it); the old value is what Okta's
//! admin removed.

use serde_json::{Map, Value};

use crate::checks::failure::{never_sent, step_of};
use crate::checks::reading::read_user;
use crate::model::StateModel;
use crate::observation::{Observation, seen};
use crate::verdict::{Evidence, Verdict};

pub(super) fn cleared_gone(o: &Observation) -> Verdict {
    let model = StateModel::of(&o.exchanges);
    let mut judged = false;
    for user in model
        .users
        .iter()
        .filter(|u| !u.uncertain && !u.cleared.is_empty())
    {
        judged = true;
        let (read, got) = match read_user(o, &user.id) {
            Ok(read) => read,
            Err(failed) => return failed,
        };
        let survivors: Vec<(String, Option<String>)> = user
            .cleared
            .iter()
            .filter(|c| got.pointer(&c.pointer()) == Some(&c.was))
            .map(|c| {
                let echoed = sent_at(&user.sent, &c.was);
                let text = match &echoed {
                    Some(at) => format!(
                        "{} still {} (Okta's write still carries it at {at}, echoing what the \
                         target showed)",
                        c.pointer(),
                        c.was
                    ),
                    None => format!("{} still {}", c.pointer(), c.was),
                };
                (text, echoed)
            })
            .collect();
        if !survivors.is_empty() {
            let cleared: Vec<String> = user.cleared.iter().map(|c| c.pointer()).collect();
            let echoed = survivors.iter().all(|(_, echoed)| echoed.is_some());
            let texts: Vec<&str> = survivors.iter().map(|(t, _)| t.as_str()).collect();
            return Verdict::failed(
                Evidence::new(
                    step_of(read),
                    format!(
                        "what Okta cleared gone (or a default of the target's): {}",
                        cleared.join(", ")
                    ),
                    format!("{}; {}", texts.join(", "), seen(read)),
                )
                .exchange(read.number)
                .hint(if echoed {
                    "clear what a PUT leaves out (Okta leaves out what its admin cleared), and \
                     derive no default from a value Okta only echoes back as the target showed \
                     it (such as name.formatted mirroring the old display name)"
                } else {
                    "treat a PUT as the whole user: clear what it leaves out (Okta leaves out \
                     what its admin cleared), and what a PATCH removes"
                }),
            );
        }
    }
    if judged {
        Verdict::Passed
    } else {
        never_sent(
            format!("scenario {}", o.scenario),
            "Okta clears an attribute and the target accepts the write",
            "no accepted write cleared an attribute",
        )
    }
}

/// Where Okta still sends `value` in the user, as a JSON pointer: Okta's
/// PUT echoes what it does not map as the target showed it (a
/// `name.formatted` that mirrored the old display name), so the evidence
/// says where a default drawn from it came from.
fn sent_at(sent: &Map<String, Value>, value: &Value) -> Option<String> {
    fn find(node: &Value, value: &Value, at: String) -> Option<String> {
        match node {
            Value::Object(map) => map
                .iter()
                .find_map(|(k, v)| find(v, value, format!("{at}/{k}"))),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, v)| find(v, value, format!("{at}/{i}"))),
            other => (other == value).then_some(at),
        }
    }
    sent.iter()
        .find_map(|(k, v)| find(v, value, format!("/{k}")))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    fn cleared(read: Value) -> Observation {
        let ada = json!({"userName": "ada@acme.com", "displayName": "Countess",
                         "name": {"givenName": "Ada", "familyName": "Lovelace"}});
        let mut put = ada.clone();
        put.as_object_mut().expect("object").remove("displayName");
        Built::new("profile-attribute-cleared")
            .send(
                "assign ada@acme.com",
                "create",
                "POST",
                "/Users",
                Some(ada),
                201,
                Some(json!({"id": "u1"})),
            )
            .send(
                "update profile of ada@acme.com",
                "replace",
                "PUT",
                "/Users/u1",
                Some(put),
                200,
                Some(json!({"id": "u1"})),
            )
            .read_back_user("u1", read)
            .done()
    }

    #[test]
    fn the_old_value_must_not_come_back() {
        let user = json!({"id": "u1", "userName": "ada@acme.com",
                          "name": {"givenName": "Ada", "familyName": "Lovelace"}});
        assert_eq!(cleared_gone(&cleared(user.clone())), Verdict::Passed);
        let mut defaulted = user.clone();
        defaulted["displayName"] = json!("Ada Lovelace");
        assert_eq!(cleared_gone(&cleared(defaulted)), Verdict::Passed);
        let mut kept = user;
        kept["displayName"] = json!("Countess");
        let Verdict::Failed { evidence, .. } = cleared_gone(&cleared(kept)) else {
            panic!("the old value survived");
        };
        assert!(
            evidence.seen.contains("/displayName still \"Countess\""),
            "{}",
            evidence.seen
        );
    }

    #[test]
    fn a_value_okta_echoes_is_named_in_the_evidence() {
        let mut observation = cleared(json!({"id": "u1", "userName": "ada@acme.com",
                                             "displayName": "Countess"}));
        if let Some(put) = observation.exchanges[1].request.body.as_mut() {
            put["name"]["formatted"] = json!("Countess");
        }
        let Verdict::Failed { evidence, .. } = cleared_gone(&observation) else {
            panic!("the old value came back");
        };
        assert!(
            evidence.seen.contains("at /name/formatted"),
            "{}",
            evidence.seen
        );
        assert!(
            evidence
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("echoes")),
            "{:?}",
            evidence.hint
        );
    }
}
