//! Every attribute Okta sent comes back: `GET /Users/{id}` of each user the
//! state model holds shows the userName, name parts, e-mail, externalId
//! and `active` (a JSON boolean) that Okta's accepted writes leave.

use serde_json::Value;

use crate::checks::failure::{never_sent, step_of};
use crate::checks::reading::{lists_email, primary_email, read_user, text};
use crate::model::{ModelUser, StateModel};
use crate::observation::{Observation, seen};
use crate::verdict::{Evidence, Verdict};

/// What `got` lacks of what Okta sent, one entry per attribute.
fn differences(user: &ModelUser, got: &Value) -> Vec<String> {
    let sent = Value::Object(user.sent.clone());
    let mut differences = Vec::new();
    // caseExact false (RFC 7643 §4.1.1, §2.4 for e-mail values).
    let same_text = |pointer: &str, want: &str, exact: bool| {
        text(got, pointer).is_some_and(|g| {
            if exact {
                g == want
            } else {
                g.eq_ignore_ascii_case(want)
            }
        })
    };
    for (pointer, exact) in [
        ("/userName", false),
        ("/name/givenName", true),
        ("/name/familyName", true),
        ("/externalId", true),
    ] {
        if let Some(want) = text(&sent, pointer)
            && !same_text(pointer, want, exact)
        {
            differences.push(format!("{pointer} {want:?}"));
        }
    }
    if let Some(want) = primary_email(&sent) {
        let listed = lists_email(got, want);
        if !listed {
            differences.push(format!("/emails value {want:?}"));
        }
    }
    if let Some(active) = user.active()
        && got.get("active") != Some(&Value::Bool(active))
    {
        differences.push(format!("/active {active} (a JSON boolean)"));
    }
    differences
}

pub(super) fn holds_what_okta_sent(o: &Observation) -> Verdict {
    let model = StateModel::of(&o.exchanges);
    let mut judged = false;
    // A PATCH the model could not follow leaves nothing certain to compare.
    for user in model.users.iter().filter(|u| !u.uncertain) {
        if user.user_name().is_none() {
            continue;
        }
        judged = true;
        let (read, got) = match read_user(o, &user.id) {
            Ok(read) => read,
            Err(failed) => return failed,
        };
        let differences = differences(user, got);
        if !differences.is_empty() {
            return Verdict::failed(
                Evidence::new(
                    step_of(read),
                    format!("what Okta sent: {}", differences.join(", ")),
                    seen(read),
                )
                .exchange(read.number)
                .hint(
                    "store every attribute Okta sends (externalId and e-mails too) and return \
                     it on GET /Users/{id}; active as a JSON boolean",
                ),
            );
        }
    }
    if judged {
        Verdict::Passed
    } else {
        never_sent(
            format!("scenario {}", o.scenario),
            "Okta writes a user and the target accepts it",
            "no user write was accepted",
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    fn ada(read: Value) -> Observation {
        Built::new("new-user-invited")
            .send(
                "assign ada@acme.com",
                "create",
                "POST",
                "/Users",
                Some(
                    json!({"userName": "ada@acme.com", "externalId": "00u1", "active": true,
                            "name": {"givenName": "Ada", "familyName": "Lovelace"},
                            "emails": [{"value": "ada@acme.com", "primary": true}]}),
                ),
                201,
                Some(json!({"id": "u1"})),
            )
            .read_back_user("u1", read)
            .done()
    }

    fn whole() -> Value {
        json!({"id": "u1", "userName": "Ada@acme.com", "externalId": "00u1", "active": true,
               "name": {"givenName": "Ada", "familyName": "Lovelace"},
               "emails": [{"value": "ADA@acme.com"}]})
    }

    #[test]
    fn every_sent_attribute_comes_back() {
        assert_eq!(holds_what_okta_sent(&ada(whole())), Verdict::Passed);
        for (pointer, value) in [
            ("externalId", Value::Null),
            ("active", json!("true")),
            ("emails", json!([])),
            ("name", json!({"givenName": "Ada"})),
        ] {
            let mut read = whole();
            read[pointer] = value;
            assert!(
                matches!(holds_what_okta_sent(&ada(read)), Verdict::Failed { .. }),
                "{pointer}"
            );
        }
    }
}
