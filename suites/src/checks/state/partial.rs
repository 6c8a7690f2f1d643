//! Partial reads (RFC 7644 §3.9): a group read with
//! `excludedAttributes=members` comes back without its members.

use serde_json::Value;

use crate::checks::failure::{never_sent, wrong_answer};
use crate::observation::{Observation, body, status};
use crate::read_back::{READ_GROUP, READ_GROUP_NO_MEMBERS, VERIFY};
use crate::verdict::{Evidence, Verdict};

pub(super) fn excluded_members(o: &Observation) -> Verdict {
    let mut judged = false;
    for exchange in o
        .exchanges
        .iter()
        .filter(|e| e.action == VERIFY && e.step == READ_GROUP_NO_MEMBERS)
    {
        let path = exchange.request.path.split('?').next().unwrap_or_default();
        // A group that no longer reads back whole (deleted, never made) is
        // no one's to read in part.
        let whole = o.exchanges.iter().rev().find(|e| {
            e.action == VERIFY
                && e.step == READ_GROUP
                && e.request.path.split('?').next() == Some(path)
        });
        if whole.and_then(status) != Some(200) {
            continue;
        }
        judged = true;
        let Some(group) = body(exchange).filter(|_| status(exchange) == Some(200)) else {
            return wrong_answer(exchange, "200 with the group, without members");
        };
        let members = group.get("members");
        let left_out = match members {
            None | Some(Value::Null) => true,
            Some(Value::Array(listed)) => listed.is_empty(),
            Some(_) => false,
        };
        if !left_out {
            let count = members.and_then(Value::as_array).map_or(0, Vec::len);
            return Verdict::failed(
                Evidence::new(
                    format!("{}: {}", exchange.action, exchange.step),
                    "the group without a members attribute",
                    format!(
                        "{count} member(s) listed despite excludedAttributes=members ({})",
                        exchange.headline()
                    ),
                )
                .exchange(exchange.number)
                .hint("remove the attributes excludedAttributes names from the answer"),
            );
        }
    }
    if judged {
        Verdict::Passed
    } else {
        never_sent(
            format!("scenario {}", o.scenario),
            "a group Okta wrote reads back",
            "no group read back with 200",
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    fn read(whole: u16, partial: Value) -> Observation {
        Built::new("group-membership")
            .send(
                VERIFY,
                READ_GROUP,
                "GET",
                "/Groups/g1",
                None,
                whole,
                Some(json!({})),
            )
            .send(
                VERIFY,
                READ_GROUP_NO_MEMBERS,
                "GET",
                "/Groups/g1?excludedAttributes=members",
                None,
                200,
                Some(partial),
            )
            .done()
    }

    #[test]
    fn members_are_left_out() {
        assert_eq!(
            excluded_members(&read(200, json!({"id": "g1", "displayName": "Eng"}))),
            Verdict::Passed
        );
        assert_eq!(
            excluded_members(&read(200, json!({"id": "g1", "members": []}))),
            Verdict::Passed
        );
        assert!(matches!(
            excluded_members(&read(
                200,
                json!({"id": "g1", "members": [{"value": "u1"}]})
            )),
            Verdict::Failed { .. }
        ));
        // A group that is gone is not judged; nothing judged fails.
        assert!(matches!(
            excluded_members(&read(
                404,
                json!({"id": "g1", "members": [{"value": "u1"}]})
            )),
            Verdict::Failed { .. }
        ));
    }
}
