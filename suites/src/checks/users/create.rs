//! Okta's `POST /Users` (docs/okta-wire.md#32-create), its read-back, and a
//! second POST of the same user (RFC 7644 §3.3: 409 uniqueness).

use serde_json::Value;

use scimulate_simulator::Exchange;

use crate::checks::errors::scim_type;
use crate::checks::failure::{never_sent, step_of, wrong_answer, wrong_at};
use crate::checks::reading::{lists_email, primary_email, read_back, text};
use crate::observation::{Observation, body, resource_id, status};
use crate::scenarios::core::{ASSIGN, DUPLICATE_CREATE, ERRORS, READ_AFTER_CREATE, VERIFY};
use crate::verdict::{Evidence, Verdict};

/// Okta's create: the first POST an assignment sent.
fn created(o: &Observation) -> Option<&Exchange> {
    o.find(ASSIGN, "create")
}

/// The verdict when Okta never POSTed the user.
fn not_created(o: &Observation) -> Verdict {
    let seen = match o.outcome(ASSIGN) {
        Some(outcome) => format!(
            "no POST /Users was sent; Okta's outcome: {:?}",
            outcome.result
        ),
        None => "no assignment ran".to_string(),
    };
    never_sent(
        format!("assign {}: create", o.subject_email),
        "Okta's existence check finds nobody and POSTs the user",
        seen,
    )
}

pub(super) fn returns_201(o: &Observation) -> Verdict {
    let Some(exchange) = created(o) else {
        return not_created(o);
    };
    if status(exchange) == Some(201) {
        Verdict::Passed
    } else {
        wrong_answer(exchange, "201 Created")
    }
}

pub(super) fn returns_id(o: &Observation) -> Verdict {
    let Some(exchange) = created(o) else {
        return not_created(o);
    };
    match resource_id(exchange) {
        Some(_) if matches!(status(exchange), Some(200..=299)) => Verdict::Passed,
        _ => wrong_answer(exchange, "a 2xx body with a non-empty string id"),
    }
}

pub(super) fn echoes_username(o: &Observation) -> Verdict {
    let Some(exchange) = created(o) else {
        return not_created(o);
    };
    let sent = exchange
        .request
        .body
        .as_ref()
        .and_then(|b| text(b, "/userName"));
    let got = body(exchange).and_then(|b| text(b, "/userName"));
    match (sent, got) {
        (Some(sent), Some(got)) if sent == got => Verdict::Passed,
        (sent, _) => wrong_answer(
            exchange,
            format!("userName {:?} in the answer", sent.unwrap_or("")),
        ),
    }
}

pub(super) fn location_header(o: &Observation) -> Verdict {
    let Some(exchange) = created(o) else {
        return not_created(o);
    };
    let location = exchange.response.as_ref().and_then(|r| {
        r.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("location"))
            .map(|h| h.value.clone())
    });
    match (location, resource_id(exchange)) {
        (Some(location), Some(id)) if location.trim_end_matches('/').ends_with(id) => {
            Verdict::Passed
        }
        (location, _) => wrong_at(
            exchange,
            "a Location header ending in the new user's id",
            match location {
                Some(l) => format!("Location: {l} ({})", exchange.headline()),
                None => format!("no Location header ({})", exchange.headline()),
            },
        ),
    }
}

/// What Okta sent and what came back differ in: names, e-mail, active.
fn profile_differences(sent: &Value, got: &Value) -> Vec<String> {
    let mut differences = Vec::new();
    for pointer in ["/name/givenName", "/name/familyName"] {
        if let Some(want) = text(sent, pointer)
            && text(got, pointer) != Some(want)
        {
            differences.push(format!("{pointer} {want:?}"));
        }
    }
    if let Some(want) = primary_email(sent) {
        let echoed = lists_email(got, want);
        if !echoed {
            differences.push(format!("emails containing {want:?}"));
        }
    }
    if sent.get("active") == Some(&Value::Bool(true))
        && got.get("active") != Some(&Value::Bool(true))
    {
        differences.push("active: true".into());
    }
    differences
}

pub(super) fn echoes_profile(o: &Observation) -> Verdict {
    let Some(exchange) = created(o) else {
        return not_created(o);
    };
    let (Some(sent), Some(got)) = (exchange.request.body.as_ref(), body(exchange)) else {
        return wrong_answer(exchange, "a 2xx body with the created user");
    };
    if !matches!(status(exchange), Some(200..=299)) {
        return wrong_answer(exchange, "a 2xx body with the created user");
    }
    let differences = profile_differences(sent, got);
    if differences.is_empty() {
        Verdict::Passed
    } else {
        wrong_answer(
            exchange,
            format!("the created user with {}", differences.join(", ")),
        )
    }
}

pub(super) fn reads_back(o: &Observation) -> Verdict {
    let Some(exchange) = created(o) else {
        return not_created(o);
    };
    let (Some(id), Some(sent)) = (resource_id(exchange), exchange.request.body.as_ref()) else {
        return wrong_answer(exchange, "a 2xx body with the created user's id");
    };
    let read = o
        .find(VERIFY, READ_AFTER_CREATE)
        .or_else(|| read_back(o, id));
    let Some(read) = read else {
        return never_sent(
            step_of(exchange),
            format!("GET /Users/{id} reads the user back"),
            "no read-back was made",
        );
    };
    let Some(got) = body(read).filter(|_| status(read) == Some(200)) else {
        return wrong_answer(read, format!("200 with user {id}"));
    };
    let mut differences = Vec::new();
    if text(got, "/id") != Some(id) {
        differences.push(format!("id {id:?}"));
    }
    if let Some(want) = text(sent, "/userName")
        && !text(got, "/userName").is_some_and(|u| u.eq_ignore_ascii_case(want))
    {
        differences.push(format!("userName {want:?}"));
    }
    for pointer in ["/name/givenName", "/name/familyName"] {
        if let Some(want) = text(sent, pointer)
            && text(got, pointer) != Some(want)
        {
            differences.push(format!("{pointer} {want:?}"));
        }
    }
    if differences.is_empty() {
        Verdict::Passed
    } else {
        wrong_answer(read, format!("200 with {}", differences.join(", ")))
    }
}

pub(super) fn recreate_conflict(o: &Observation) -> Verdict {
    let Some(first) = created(o) else {
        return not_created(o);
    };
    let Some(again) = o.find(ERRORS, DUPLICATE_CREATE) else {
        return never_sent(
            format!("{ERRORS}: {DUPLICATE_CREATE}"),
            "the create is sent again",
            "it was not (the first create gave no user)",
        );
    };
    let linked = matches!(status(again), Some(200..=299))
        && resource_id(again).is_some()
        && resource_id(again) == resource_id(first);
    let conflict = status(again) == Some(409) && scim_type(again) == Some("uniqueness");
    if linked || conflict {
        return Verdict::Passed;
    }
    let evidence = Evidence::new(
        step_of(again),
        format!(
            "409 with scimType \"uniqueness\" (or 2xx with the same id, {})",
            resource_id(first).unwrap_or("the first create's")
        ),
        crate::observation::seen(again),
    )
    .exchange(first.number)
    .exchange(again.number);
    // A hint per failure mode: the check's own (look the userName up
    // before creating) fits a second user created, not a 409 that only
    // lacks its keyword.
    let evidence = match status(again) {
        Some(409) => evidence.hint(format!(
            "the conflict was found: add \"scimType\": \"uniqueness\" to the 409's body \
             (it had {})",
            scim_type(again).map_or("none".to_string(), |t| format!("{t:?}"))
        )),
        Some(200..=299) => evidence,
        _ => evidence.hint(
            "answer a create whose userName is taken with 409 and scimType \"uniqueness\", \
             not another error",
        ),
    };
    Verdict::failed(evidence)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::checks::users::sample::Sample;
    use crate::scenarios::core::NAME;

    const EMAIL: &str = "ada@acme.com";

    fn sent() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": EMAIL,
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "emails": [{"primary": true, "value": EMAIL, "type": "work"}],
            "active": true
        })
    }

    fn user(id: &str) -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": id,
            "userName": EMAIL,
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "emails": [{"value": EMAIL, "type": "work", "primary": true}],
            "active": true
        })
    }

    fn run(answer: Value, read: Value) -> Observation {
        Sample::new(NAME, EMAIL)
            .json(
                ("assign ada@acme.com", "create"),
                ("POST", "/Users"),
                Some(sent()),
                201,
                answer,
            )
            .header("location", "http://x/Users/U1")
            .json(
                (VERIFY, READ_AFTER_CREATE),
                ("GET", "/Users/U1"),
                None,
                200,
                read,
            )
            .build()
    }

    fn good() -> Observation {
        run(user("U1"), user("U1"))
    }

    /// The create answered 429, then `final_status` on Okta's retry.
    fn rate_limited_then(final_status: u16) -> Observation {
        let mut o = Sample::new(NAME, EMAIL)
            .json(
                ("assign ada@acme.com", "create"),
                ("POST", "/Users"),
                Some(sent()),
                429,
                json!({"status": "429", "detail": "slow down"}),
            )
            .header("retry-after", "1")
            .json(
                ("assign ada@acme.com", "create"),
                ("POST", "/Users"),
                Some(sent()),
                final_status,
                user("U1"),
            )
            .build();
        o.exchanges[1].attempt = 2;
        o
    }

    #[test]
    fn the_create_is_judged_on_the_attempt_okta_acted_on() {
        let o = rate_limited_then(201);
        // The 429 alone would fail it; Okta acted on the retry's 201.
        assert!(matches!(returns_201(&o), Verdict::Failed { .. }));
        assert_eq!(
            crate::attempts::judge_final(returns_201, &o),
            Verdict::Passed
        );
        let o = rate_limited_then(400);
        let Verdict::Failed { evidence } = crate::attempts::judge_final(returns_201, &o) else {
            panic!("a 400 on the retry fails");
        };
        assert!(evidence.seen.starts_with("400 with"), "{}", evidence.seen);
        assert!(
            evidence
                .seen
                .contains("earlier attempt(s) retried: 429 with"),
            "{}",
            evidence.seen
        );
        assert_eq!(evidence.exchanges, [1, 2]);
    }

    #[test]
    fn a_full_create_passes() {
        let o = good();
        for judge in [
            returns_201,
            returns_id,
            echoes_username,
            location_header,
            echoes_profile,
            reads_back,
        ] {
            assert_eq!(judge(&o), Verdict::Passed);
        }
    }

    #[test]
    fn an_empty_id_fails_returns_id() {
        let mut answer = user("U1");
        answer["id"] = json!("");
        assert!(matches!(
            returns_id(&run(answer, user("U1"))),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn another_username_fails_echoes_username() {
        let mut answer = user("U1");
        answer["userName"] = json!("ADA@acme.com");
        assert!(matches!(
            echoes_username(&run(answer, user("U1"))),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn missing_names_or_inactive_fail_echoes_profile() {
        let mut answer = user("U1");
        answer["name"] = json!({"formatted": "Ada Lovelace"});
        answer["active"] = json!(false);
        let Verdict::Failed { evidence } = echoes_profile(&run(answer, user("U1"))) else {
            panic!("expected a failure");
        };
        assert!(
            evidence.expected.contains("givenName"),
            "{}",
            evidence.expected
        );
        assert!(
            evidence.expected.contains("active: true"),
            "{}",
            evidence.expected
        );
        assert_eq!(evidence.exchanges, vec![1]);
    }

    #[test]
    fn a_read_back_of_another_user_fails_reads_back() {
        let mut read = user("U2");
        read["name"]["familyName"] = json!("Byron");
        let Verdict::Failed { evidence } = reads_back(&run(user("U1"), read)) else {
            panic!("expected a failure");
        };
        assert!(
            evidence.expected.contains("id \"U1\""),
            "{}",
            evidence.expected
        );
        assert_eq!(evidence.exchanges, vec![2]);
    }

    #[test]
    fn a_second_create_must_conflict_or_link() {
        let again = |status: u16, answer: Value| {
            Sample::new(NAME, EMAIL)
                .json(
                    ("assign ada@acme.com", "create"),
                    ("POST", "/Users"),
                    Some(sent()),
                    201,
                    user("U1"),
                )
                .json(
                    (ERRORS, DUPLICATE_CREATE),
                    ("POST", "/Users"),
                    Some(sent()),
                    status,
                    answer,
                )
                .build()
        };
        let conflict = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "scimType": "uniqueness", "detail": "taken"});
        assert_eq!(recreate_conflict(&again(409, conflict)), Verdict::Passed);
        assert_eq!(recreate_conflict(&again(200, user("U1"))), Verdict::Passed);
        assert!(matches!(
            recreate_conflict(&again(201, user("U2"))),
            Verdict::Failed { .. }
        ));
        let bare = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "detail": "taken"});
        // A hint per failure mode (issue 13.4): a 409 without its keyword
        // is not told to look userName up case-insensitively.
        let Verdict::Failed { evidence } = recreate_conflict(&again(409, bare)) else {
            panic!("a 409 without scimType fails");
        };
        let hint = evidence.hint.unwrap_or_default();
        assert!(
            hint.contains("add \"scimType\": \"uniqueness\"") && !hint.contains("any case"),
            "{hint}"
        );
        assert!(
            evidence.seen.contains("#2 POST /Users"),
            "{}",
            evidence.seen
        );
        let Verdict::Failed { evidence } = recreate_conflict(&again(201, user("U2"))) else {
            panic!("a second user fails");
        };
        assert_eq!(
            evidence.hint, None,
            "the check's own hint: look up before creating"
        );
    }
}
