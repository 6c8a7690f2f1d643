//! Nothing Okta cleared survives: an attribute Okta's accepted `PUT` left
//! out (or sent `null` or `""`), or its `PATCH` removed, does not read back
//! by id with the value it held before. A default the target assigns
//! instead passes (RFC 7644 §3.5.1 lets it); the old value is what Okta's
//! admin removed.

use crate::checks::failure::{never_sent, step_of, wrong_answer};
use crate::checks::reading::read_back;
use crate::model::StateModel;
use crate::observation::{Observation, body, seen, status};
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
        let Some(read) = read_back(o, &user.id) else {
            return never_sent(
                format!("verify: read back user {}", user.id),
                "the user is read back",
                "no read-back was made",
            );
        };
        let Some(got) = body(read).filter(|_| status(read) == Some(200)) else {
            return wrong_answer(read, "200 with the user");
        };
        let survivors: Vec<String> = user
            .cleared
            .iter()
            .filter(|c| got.pointer(&c.pointer()) == Some(&c.was))
            .map(|c| format!("{} still {}", c.pointer(), c.was))
            .collect();
        if !survivors.is_empty() {
            let cleared: Vec<String> = user.cleared.iter().map(|c| c.pointer()).collect();
            return Verdict::failed(
                Evidence::new(
                    step_of(read),
                    format!(
                        "what Okta cleared gone (or a default of the target's): {}",
                        cleared.join(", ")
                    ),
                    format!("{}; {}", survivors.join(", "), seen(read)),
                )
                .exchange(read.number)
                .hint(
                    "treat a PUT as the whole user: clear what it leaves out (Okta leaves out \
                     what its admin cleared), and what a PATCH removes",
                ),
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

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

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
            .send(
                "verify",
                "read back user",
                "GET",
                "/Users/u1",
                None,
                200,
                Some(read),
            )
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
}
