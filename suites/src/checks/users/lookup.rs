//! Okta's existence check, `GET /Users?filter=userName eq "…"`
//! (docs/okta-wire.md#31-existence-check): it must find the person in any case, find
//! only that person (Okta links the first result, §3.3), and so let the
//! assignment succeed.

use serde_json::Value;

use crate::checks::failure::{never_sent, step_of, wrong_answer, wrong_at};
use crate::checks::reading::{resources, text, username_filter};
use crate::observation::{Observation, body, status};
use crate::scenarios::core::{ASSIGN, LOOKUP_OTHER_CASE, VERIFY};
use crate::verdict::{Evidence, Verdict};

/// The userNames a list answer holds.
fn user_names(resources: &[Value]) -> Vec<&str> {
    resources
        .iter()
        .map(|r| text(r, "/userName").unwrap_or("(no userName)"))
        .collect()
}

pub(super) fn any_case(o: &Observation) -> Verdict {
    // `core` probes the created user in upper case; a data-driven scenario
    // has Okta's own existence check in the case Okta holds. `core`'s own
    // existence check looks for a user nobody created yet: finding nobody
    // there is right, so it judges nothing.
    let lookup = o.find(VERIFY, LOOKUP_OTHER_CASE).or_else(|| {
        (o.scenario != crate::scenarios::core::NAME)
            .then(|| o.find(ASSIGN, "existence check"))
            .flatten()
    });
    let Some(lookup) = lookup else {
        return never_sent(
            format!("assign {}: existence check", o.subject_email),
            "a userName lookup is sent",
            "none was (the user was never created)",
        );
    };
    let Some(value) = username_filter(&lookup.request.path) else {
        return wrong_at(lookup, "a userName eq filter", lookup.request.path.clone());
    };
    let Some(found) = body(lookup)
        .filter(|_| status(lookup) == Some(200))
        .and_then(resources)
    else {
        return wrong_answer(lookup, "200 with a ListResponse");
    };
    let first = found.first().and_then(|r| text(r, "/userName"));
    if first.is_some_and(|u| u.eq_ignore_ascii_case(&value)) {
        Verdict::Passed
    } else {
        wrong_at(
            lookup,
            format!("the user whose userName is {value:?} in any case"),
            format!(
                "{} resource(s): {:?} ({})",
                found.len(),
                user_names(found),
                lookup.headline()
            ),
        )
    }
}

pub(super) fn only_matches(o: &Observation) -> Verdict {
    let mut looked = false;
    for exchange in &o.exchanges {
        let Some(value) = username_filter(&exchange.request.path) else {
            continue;
        };
        let Some(found) = body(exchange)
            .filter(|_| status(exchange) == Some(200))
            .and_then(resources)
        else {
            continue;
        };
        looked = true;
        let strangers: Vec<&str> = user_names(found)
            .into_iter()
            .filter(|u| !u.eq_ignore_ascii_case(&value))
            .collect();
        if !strangers.is_empty() {
            return wrong_at(
                exchange,
                format!("only users whose userName is {value:?}"),
                format!(
                    "{} resource(s), among them {strangers:?} ({})",
                    found.len(),
                    exchange.headline()
                ),
            );
        }
    }
    if looked {
        Verdict::Passed
    } else {
        never_sent(
            format!("assign {}: existence check", o.subject_email),
            "a userName lookup answered with a ListResponse",
            "no lookup was answered 200",
        )
    }
}

pub(super) fn assign_succeeds(o: &Observation) -> Verdict {
    let assigns: Vec<_> = o
        .outcomes
        .iter()
        .filter(|outcome| {
            outcome.action.starts_with("assign ") && !outcome.action.starts_with("assign group")
        })
        .collect();
    if assigns.is_empty() {
        return never_sent(
            format!("assign {}", o.subject_email),
            "the assignment runs",
            "no assignment ran",
        );
    }
    for outcome in assigns {
        if outcome.succeeded() {
            continue;
        }
        let seen = match outcome.failure() {
            Some(failure) => format!("Okta shows: {}", failure.message),
            None => format!("Okta's outcome: {:?}", outcome.result),
        };
        let exchange = outcome.failure().and_then(|f| f.exchange);
        let step = exchange
            .and_then(|n| o.exchanges.iter().find(|e| e.number == n))
            .map(step_of)
            .unwrap_or_else(|| outcome.action.clone());
        let mut evidence = Evidence::new(step, "the assignment succeeds", seen);
        if let Some(n) = exchange {
            evidence = evidence.exchange(n);
        }
        return Verdict::failed(evidence);
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use scimulate_simulator::FailureKind;
    use serde_json::{Value, json};

    use super::*;
    use crate::checks::users::sample::Sample;
    use crate::scenarios::names::{EXISTING_MEMBER_ANY_CASE, EXISTING_MEMBER_LINKED};

    const LOOKUP: &str =
        "/Users?filter=userName%20eq%20%22Ivan%40ACME.com%22&startIndex=1&count=100";

    fn list(names: &[&str]) -> Value {
        let resources: Vec<Value> = names
            .iter()
            .enumerate()
            .map(|(n, u)| json!({"id": format!("U{n}"), "userName": u}))
            .collect();
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": resources.len(),
            "Resources": resources
        })
    }

    fn lookup(scenario: &str, names: &[&str]) -> Observation {
        Sample::new(scenario, "Ivan@ACME.com")
            .json(
                ("assign Ivan@ACME.com", "existence check"),
                ("GET", LOOKUP),
                None,
                200,
                list(names),
            )
            .build()
    }

    #[test]
    fn any_case_finds_or_fails() {
        assert_eq!(
            any_case(&lookup(EXISTING_MEMBER_ANY_CASE, &["ivan@acme.com"])),
            Verdict::Passed
        );
        assert!(matches!(
            any_case(&lookup(EXISTING_MEMBER_ANY_CASE, &[])),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn only_matches_refuses_strangers() {
        assert_eq!(
            only_matches(&lookup(EXISTING_MEMBER_LINKED, &["ivan@acme.com"])),
            Verdict::Passed
        );
        let Verdict::Failed { evidence } = only_matches(&lookup(
            EXISTING_MEMBER_LINKED,
            &["alice@acme.com", "ivan@acme.com"],
        )) else {
            panic!("expected a failure");
        };
        assert!(
            evidence.seen.contains("alice@acme.com"),
            "{}",
            evidence.seen
        );
    }

    #[test]
    fn a_failed_assignment_quotes_okta() {
        let o = Sample::new(EXISTING_MEMBER_LINKED, "bob@acme.com")
            .json(
                ("assign bob@acme.com", "profile push"),
                ("PUT", "/Users/U1"),
                None,
                409,
                json!({"detail": "taken"}),
            )
            .failed(
                "assign bob@acme.com",
                FailureKind::Conflict,
                409,
                "Automatic provisioning … Conflict",
            )
            .build();
        let Verdict::Failed { evidence } = assign_succeeds(&o) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, vec![1]);
        assert!(evidence.seen.contains("Conflict"));
        let ok = Sample::new(EXISTING_MEMBER_LINKED, "bob@acme.com")
            .succeeded("assign bob@acme.com")
            .build();
        assert_eq!(assign_succeeds(&ok), Verdict::Passed);
    }
}
