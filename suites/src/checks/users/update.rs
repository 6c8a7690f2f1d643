//! Okta's profile push, `GET` then `PUT /Users/{id}` with the mapped values
//! merged in (docs/okta-wire.md#4-profile-updates), read back afterwards; and the e-mail
//! changes it carries (docs/1password.md#23-attribute-updates).

use serde_json::Value;

use scimulate_simulator::Exchange;

use crate::checks::errors::envelope_problem;
use crate::checks::failure::{never_sent, step_of, wrong_answer, wrong_at};
use crate::checks::reading::{path_id, primary_email, read_back, text};
use crate::observation::{Observation, body, status};
use crate::scenarios::core::ASSIGN;
use crate::scenarios::names::UPDATE_PROFILE;
use crate::verdict::{Evidence, Verdict};

/// Okta's profile push (a PUT; or a PATCH, from an OIN app set to PATCH
/// user updates, docs/okta-wire.md#4-profile-updates), the id it addressed,
/// and the attributes it sent: a PUT's body, or what a PATCH's path-less
/// `replace` operations set.
fn pushed(o: &Observation) -> Result<(&Exchange, &str, Value), Verdict> {
    let missing = || {
        never_sent(
            format!("{UPDATE_PROFILE} {}: profile push", o.subject_email),
            "Okta PUTs the changed profile",
            "no profile push was sent (the user was never provisioned)",
        )
    };
    let exchange = o.find(UPDATE_PROFILE, "profile push").ok_or_else(missing)?;
    let id = path_id(exchange).ok_or_else(missing)?;
    let sent = exchange.request.body.as_ref().ok_or_else(missing)?;
    if exchange.request.method != "PATCH" {
        return Ok((exchange, id, sent.clone()));
    }
    let mut set = serde_json::Map::new();
    let operations = sent.get("Operations").and_then(Value::as_array);
    for value in operations
        .into_iter()
        .flatten()
        .filter(|op| op.get("path").is_none())
        .filter(|op| {
            op.get("op")
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case("replace"))
        })
        .filter_map(|op| op.get("value").and_then(Value::as_object))
    {
        set.extend(value.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    Ok((exchange, id, Value::Object(set)))
}

/// The read-back after the push, answered 200 with a body.
fn read_after<'o>(
    o: &'o Observation,
    push: &Exchange,
    id: &str,
) -> Result<(&'o Exchange, &'o Value), Verdict> {
    let read = read_back(o, id).ok_or_else(|| {
        never_sent(
            step_of(push),
            format!("GET /Users/{id} reads the user back"),
            "no read-back was made",
        )
    })?;
    match body(read).filter(|_| status(read) == Some(200)) {
        Some(got) => Ok((read, got)),
        None => Err(wrong_answer(read, format!("200 with user {id}"))),
    }
}

pub(super) fn reads_back(o: &Observation) -> Verdict {
    let (push, id, sent) = match pushed(o) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    if status(push) != Some(200) {
        return wrong_answer(push, "200 with the updated user");
    }
    let (read, got) = match read_after(o, push, id) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    let mut differences = Vec::new();
    if text(got, "/id") != Some(id) {
        differences.push(format!("id {id:?}"));
    }
    for pointer in [
        "/userName",
        "/name/givenName",
        "/name/familyName",
        "/displayName",
    ] {
        if let Some(want) = text(&sent, pointer)
            && text(got, pointer) != Some(want)
        {
            differences.push(format!("{pointer} {want:?}"));
        }
    }
    // A profile push never changes the account's state (docs/okta-wire.md#54-reactivate).
    if let Some(active) = sent.get("active")
        && got.get("active") != Some(active)
    {
        differences.push(format!("active {active}"));
    }
    if differences.is_empty() {
        Verdict::Passed
    } else {
        Verdict::failed(
            Evidence::new(
                step_of(read),
                format!("the pushed values: {}", differences.join(", ")),
                crate::observation::seen(read),
            )
            .exchange(push.number)
            .exchange(read.number),
        )
    }
}

pub(super) fn email_change_reads_back(o: &Observation) -> Verdict {
    let (push, id, sent) = match pushed(o) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    let Some(new) = text(&sent, "/userName") else {
        return wrong_at(
            push,
            format!("a {} carrying the new userName", push.request.method),
            "no userName was sent",
        );
    };
    if !matches!(status(push), Some(200..=299)) {
        return wrong_answer(push, format!("2xx: the e-mail change to {new} is started"));
    }
    let (read, got) = match read_after(o, push, id) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    let same_user = text(got, "/id") == Some(id);
    let user_name = text(got, "/userName").is_some_and(|u| u.eq_ignore_ascii_case(new));
    let email = primary_email(got).is_some_and(|e| e.eq_ignore_ascii_case(new));
    if same_user && user_name && email {
        return Verdict::Passed;
    }
    Verdict::failed(
        Evidence::new(
            step_of(read),
            format!("user {id} with userName and primary e-mail {new}"),
            crate::observation::seen(read),
        )
        .exchange(push.number)
        .exchange(read.number),
    )
}

pub(super) fn email_change_disallowed_refused(o: &Observation) -> Verdict {
    let (push, id, sent) = match pushed(o) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    let new = text(&sent, "/userName").unwrap_or("the new address");
    let refused = matches!(status(push), Some(400..=499));
    if !refused {
        return wrong_answer(
            push,
            format!("4xx with a SCIM error: {new} is on a domain the account does not allow"),
        );
    }
    if let Some(problem) = envelope_problem(push) {
        return wrong_at(push, "a SCIM error body with a detail", problem);
    }
    let old = o
        .find(ASSIGN, "create")
        .and_then(|c| c.request.body.as_ref())
        .and_then(|b| text(b, "/userName"))
        .unwrap_or(&o.subject_email);
    let (read, got) = match read_after(o, push, id) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    if text(got, "/userName").is_some_and(|u| u.eq_ignore_ascii_case(old)) {
        Verdict::Passed
    } else {
        Verdict::failed(
            Evidence::new(
                step_of(read),
                format!("the old userName {old} kept"),
                crate::observation::seen(read),
            )
            .exchange(push.number)
            .exchange(read.number),
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::checks::users::sample::Sample;
    use crate::scenarios::core::VERIFY;
    use crate::scenarios::names::{EMAIL_CHANGE, EMAIL_CHANGE_NOT_ALLOWED, PROFILE_UPDATE};

    fn user(user_name: &str, given: &str) -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "U1",
            "userName": user_name,
            "name": {"givenName": given, "familyName": "Clark"},
            "displayName": format!("{given} Clark"),
            "emails": [{"value": user_name, "primary": true}],
            "active": true
        })
    }

    fn run(scenario: &str, sent: Value, status: u16, answer: Value, read: Value) -> Observation {
        Sample::new(scenario, "carol@acme.com")
            .json(
                ("assign carol@acme.com", "create"),
                ("POST", "/Users"),
                Some(user("carol@acme.com", "Carol")),
                201,
                user("carol@acme.com", "Carol"),
            )
            .json(
                ("update profile of carol@acme.com", "profile push"),
                ("PUT", "/Users/U1"),
                Some(sent),
                status,
                answer,
            )
            .json(
                (VERIFY, "read back user"),
                ("GET", "/Users/U1"),
                None,
                200,
                read,
            )
            .build()
    }

    #[test]
    fn a_pushed_name_must_read_back() {
        let new = user("carol@acme.com", "Caroline");
        let good = run(PROFILE_UPDATE, new.clone(), 200, new.clone(), new.clone());
        assert_eq!(reads_back(&good), Verdict::Passed);
        let kept = user("carol@acme.com", "Carol");
        let Verdict::Failed { evidence } =
            reads_back(&run(PROFILE_UPDATE, new.clone(), 200, new, kept))
        else {
            panic!("expected a failure");
        };
        assert!(
            evidence.expected.contains("Caroline"),
            "{}",
            evidence.expected
        );
        assert_eq!(evidence.exchanges, vec![2, 3]);
    }

    #[test]
    fn an_email_change_must_read_back() {
        let new = user("carol@acme.io", "Carol");
        assert_eq!(
            email_change_reads_back(&run(
                EMAIL_CHANGE,
                new.clone(),
                200,
                new.clone(),
                new.clone()
            )),
            Verdict::Passed
        );
        let old = user("carol@acme.com", "Carol");
        assert!(matches!(
            email_change_reads_back(&run(EMAIL_CHANGE, new, 200, old.clone(), old)),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn a_disallowed_email_must_be_refused_and_kept() {
        let new = user("carol@contoso.com", "Carol");
        let old = user("carol@acme.com", "Carol");
        let error = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "400", "scimType": "invalidValue", "detail": "contoso.com is not allowed"});
        let good = run(
            EMAIL_CHANGE_NOT_ALLOWED,
            new.clone(),
            400,
            error,
            old.clone(),
        );
        assert_eq!(email_change_disallowed_refused(&good), Verdict::Passed);
        let silent = run(EMAIL_CHANGE_NOT_ALLOWED, new, 200, old.clone(), old);
        assert!(matches!(
            email_change_disallowed_refused(&silent),
            Verdict::Failed { .. }
        ));
    }
}
