//! `userName eq` lookups of the users the state model holds
//! ([`crate::read_back`]): the user found exactly, in its own case and in
//! another, nobody found by a prefix of its name, and a deactivated user
//! still found with `active: false`.

use serde_json::Value;

use scimulate_simulator::Exchange;

use crate::checks::failure::never_sent;
use crate::checks::reading::{resources, username_filter};
use crate::model::{ModelUser, StateModel};
use crate::observation::{Observation, body, seen, status};
use crate::read_back::{
    LOOK_UP_OTHER_CASE, LOOK_UP_PREFIX, LOOK_UP_USER, VERIFY, other_case, prefix,
};
use crate::verdict::{Evidence, Verdict};

/// The read-back lookup at `step` for `value`.
fn lookup<'o>(o: &'o Observation, step: &str, value: &str) -> Option<&'o Exchange> {
    o.exchanges.iter().rev().find(|e| {
        e.action == VERIFY
            && e.step == step
            && username_filter(&e.request.path).as_deref() == Some(value)
    })
}

/// What a lookup found: its resources, `Some(empty)` for a SCIM 404
/// (Okta tolerates it for nobody found, docs/okta-wire.md#31-existence-check),
/// `None` for any other answer.
fn found(exchange: &Exchange) -> Option<Vec<&Value>> {
    match status(exchange) {
        Some(200) => {
            let answer = body(exchange)?;
            match resources(answer) {
                Some(listed) => Some(listed.iter().collect()),
                // RFC 7644 §3.4.2: Resources is required only when
                // totalResults is not 0.
                None => (answer.get("totalResults") == Some(&Value::from(0))).then(Vec::new),
            }
        }
        Some(404) => Some(Vec::new()),
        _ => None,
    }
}

fn fail(exchange: &Exchange, expected: String, hint: &str) -> Verdict {
    Verdict::failed(
        Evidence::new(
            format!("{}: {}", exchange.action, exchange.step),
            expected,
            seen(exchange),
        )
        .exchange(exchange.number)
        .hint(hint),
    )
}

fn ids(resources: &[&Value]) -> Vec<String> {
    resources
        .iter()
        .map(|r| {
            r.get("id")
                .and_then(Value::as_str)
                .unwrap_or("(no id)")
                .to_string()
        })
        .collect()
}

/// Judges the three lookups of one user that should be active.
fn one_user(o: &Observation, user: &ModelUser, name: &str) -> Result<(), Verdict> {
    let lookups = [
        (LOOK_UP_USER, name.to_string(), true),
        (LOOK_UP_OTHER_CASE, other_case(name), true),
        (LOOK_UP_PREFIX, prefix(name), false),
    ];
    for (step, value, finds) in lookups {
        let Some(exchange) = lookup(o, step, &value) else {
            return Err(never_sent(
                format!("{VERIFY}: {step}"),
                format!("a userName eq {value:?} lookup"),
                "none was sent",
            ));
        };
        let expected = if finds {
            format!("exactly one resource, id {:?}", user.id)
        } else {
            format!("no resource: no userName is {value:?}")
        };
        let Some(resources) = found(exchange) else {
            return Err(fail(
                exchange,
                format!("200 with a ListResponse holding {expected}"),
                "answer a userName eq filter with 200 and a ListResponse",
            ));
        };
        let hint = match (finds, step) {
            (false, _) => {
                "`eq` matches the whole value: a userName that merely starts with it is no match"
            }
            (true, LOOK_UP_OTHER_CASE) => {
                "compare userName without case (caseExact false): Okta's lookup keeps Okta's case"
            }
            (true, _) => "a userName eq lookup finds exactly the user with that userName",
        };
        let right = if finds {
            ids(&resources) == [user.id.clone()]
        } else {
            resources.is_empty()
        };
        if !right {
            return Err(fail(exchange, expected, hint));
        }
    }
    Ok(())
}

pub(super) fn eq_matches_exactly(o: &Observation) -> Verdict {
    let model = StateModel::of(&o.exchanges);
    let mut judged = false;
    // A deactivated user is judged by okta.users.deactivate.still-found:
    // one cause, one failure.
    for user in model.users.iter().filter(|u| u.active() != Some(false)) {
        let Some(name) = user.user_name() else {
            continue;
        };
        judged = true;
        if let Err(verdict) = one_user(o, user, name) {
            return verdict;
        }
    }
    if judged {
        Verdict::Passed
    } else {
        never_sent(
            format!("scenario {}", o.scenario),
            "Okta writes an active user and the target accepts it",
            "no user write was accepted",
        )
    }
}

pub(super) fn deactivated_still_found(o: &Observation) -> Verdict {
    let model = StateModel::of(&o.exchanges);
    let mut judged = false;
    for user in model.users.iter().filter(|u| u.active() == Some(false)) {
        let Some(name) = user.user_name() else {
            continue;
        };
        judged = true;
        let Some(exchange) = lookup(o, LOOK_UP_USER, name) else {
            return never_sent(
                format!("{VERIFY}: {LOOK_UP_USER}"),
                format!("a userName eq {name:?} lookup"),
                "none was sent",
            );
        };
        let expected = format!("exactly one resource, id {:?}, with active false", user.id);
        let Some(resources) = found(exchange) else {
            return fail(
                exchange,
                format!("200 with a ListResponse holding {expected}"),
                "answer a userName eq filter with 200 and a ListResponse",
            );
        };
        if ids(&resources) != [user.id.clone()] {
            return fail(
                exchange,
                expected,
                "keep deactivated users in filtered lists: Okta looks them up before assigning \
                 again, and creates a second account when it finds nobody",
            );
        }
        let active = resources.first().and_then(|r| r.get("active"));
        if active != Some(&Value::Bool(false)) {
            return fail(
                exchange,
                expected,
                "return a deactivated user with active as the JSON boolean false",
            );
        }
    }
    if judged {
        Verdict::Passed
    } else {
        never_sent(
            format!("scenario {}", o.scenario),
            "Okta deactivates a user and the target accepts it",
            "no deactivation was accepted",
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    const ADA: &str = "ada@acme.com";

    fn list(users: &[(&str, bool)]) -> Value {
        let resources: Vec<Value> = users
            .iter()
            .map(|(id, active)| json!({"id": id, "userName": ADA, "active": active}))
            .collect();
        json!({"totalResults": resources.len(), "Resources": resources})
    }

    fn path(value: &str) -> String {
        format!(
            "/Users?filter=userName%20eq%20%22{}%22&startIndex=1&count=100",
            value.replace('@', "%40")
        )
    }

    /// Ada created (and deactivated when `active` is false), then looked up
    /// three ways, each answered with `found` (same case, other case,
    /// prefix).
    fn ada(active: bool, found: [Value; 3]) -> Observation {
        let mut built = Built::new("new-user-invited").send(
            "assign ada@acme.com",
            "create",
            "POST",
            "/Users",
            Some(json!({"userName": ADA, "active": true})),
            201,
            Some(json!({"id": "u1"})),
        );
        if !active {
            built = built.send(
                "deactivate ada@acme.com",
                "deactivate",
                "PATCH",
                "/Users/u1",
                Some(json!({"Operations": [{"op": "replace", "value": {"active": false}}]})),
                204,
                None,
            );
        }
        let steps = [
            (LOOK_UP_USER, ADA.to_string()),
            (LOOK_UP_OTHER_CASE, other_case(ADA)),
            (LOOK_UP_PREFIX, prefix(ADA)),
        ];
        for ((step, value), answer) in steps.into_iter().zip(found) {
            built = built.send(VERIFY, step, "GET", &path(&value), None, 200, Some(answer));
        }
        built.done()
    }

    fn failed(verdict: &Verdict) -> bool {
        matches!(verdict, Verdict::Failed { .. })
    }

    #[test]
    fn exactly_the_user_in_either_case_and_nobody_by_a_prefix() {
        let right = || [list(&[("u1", true)]), list(&[("u1", true)]), list(&[])];
        assert_eq!(eq_matches_exactly(&ada(true, right())), Verdict::Passed);
        // Resources may be left out of an empty page (RFC 7644 §3.4.2).
        let [same, other, _] = right();
        let bare = json!({"totalResults": 0});
        assert_eq!(
            eq_matches_exactly(&ada(true, [same, other, bare])),
            Verdict::Passed
        );
        let prefix_matched = [
            list(&[("u1", true)]),
            list(&[("u1", true)]),
            list(&[("u1", true)]),
        ];
        assert!(failed(&eq_matches_exactly(&ada(true, prefix_matched))));
        let case_sensitive = [list(&[("u1", true)]), list(&[]), list(&[])];
        assert!(failed(&eq_matches_exactly(&ada(true, case_sensitive))));
        let two = [
            list(&[("u1", true), ("u2", true)]),
            list(&[("u1", true)]),
            list(&[]),
        ];
        assert!(failed(&eq_matches_exactly(&ada(true, two))));
        // Nobody written: nothing to judge is a failure, not a pass.
        assert!(failed(&eq_matches_exactly(&Built::new("x").done())));
    }

    #[test]
    fn a_deactivated_user_is_still_found_inactive() {
        let found = |active| [list(&[("u1", active)]), list(&[]), list(&[])];
        assert_eq!(
            deactivated_still_found(&ada(false, found(false))),
            Verdict::Passed
        );
        assert!(failed(&deactivated_still_found(&ada(false, found(true)))));
        let hidden = [list(&[]), list(&[]), list(&[])];
        assert!(failed(&deactivated_still_found(&ada(false, hidden))));
        let as_text = [
            json!({"Resources": [{"id": "u1", "active": "false"}]}),
            list(&[]),
            list(&[]),
        ];
        assert!(failed(&deactivated_still_found(&ada(false, as_text))));
        // Still active: judged by eq-matches-exactly, not here.
        assert!(failed(&deactivated_still_found(&ada(true, found(true)))));
    }
}
