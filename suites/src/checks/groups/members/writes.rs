//! Okta's membership writes answered (docs/okta-wire.md#84-membership-changes, §8.5):
//! removals by `members[value eq "…"]` and full pushes (Push Now,
//! activating a paused push) take effect.

use super::read_back::compare_read_back;
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::intended::{Replay, Write, at, list, member_values, read_back};
use crate::observation::{Observation, body, seen, status};
use crate::scenarios::names::{
    GROUP_MEMBERSHIP, PUSH_GROUP_AGAIN, PUSH_PAUSED, PUSH_PAUSED_MEMBER_REMOVED,
};
use crate::verdict::{Evidence, Verdict};

pub(in crate::checks::groups) const REMOVE_BY_VALUE_FILTER: Check = Check {
    def: CheckDef {
        id: "okta.groups.members.remove-by-value-filter",
        level: Level::Must,
        title: "removing a member from a pushed group (OIN: PATCH remove path members[value eq \
                \"id\"]; AIW: PUT without them) answers 200 or 204 and the member is gone",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.2 (remove with a value filter removes the matching values)",
            "docs/okta-wire.md#84-membership-changes (one remove op per removed member, filter path, no value)",
            "docs/okta-wire.md#123-oin-test-plan (Okta OIN test plan C9333)",
        ],
        needs: Needs::Scim,
        hint: "support path members[value eq \"<user id>\"] in a remove op and take that user \
               out of the group",
    },
    scenarios: &[GROUP_MEMBERSHIP],
    requires: Some(Capability::Groups),
    judge: remove_by_value_filter,
};

pub(in crate::checks::groups) const PUSH_NOW_REPLACES: Check = Check {
    def: CheckDef {
        id: "okta.groups.push-now.replaces-members",
        level: Level::Must,
        title: "Okta's full push (Push Now, activating a paused push: PATCH replace members / \
                PUT) answers 2xx and leaves exactly the members it sent",
        sources: &[
            "docs/okta-wire.md#84-membership-changes (full push overwrites membership; expected 200 or 204)",
            "docs/okta-wire.md#123-oin-test-plan (Okta OIN test plan C9316, C9320)",
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.3 (replace of a multi-valued attribute replaces all values)",
        ],
        needs: Needs::Scim,
        hint: "implement replace on members as a full overwrite: remove the members not in the \
               value, add the new ones",
    },
    scenarios: &[PUSH_GROUP_AGAIN, PUSH_PAUSED, PUSH_PAUSED_MEMBER_REMOVED],
    requires: Some(Capability::Groups),
    judge: push_now_replaces,
};

/// Okta's writes made by actions whose label starts with one of `actions`.
fn writes_of<'a>(o: &Observation, replay: &'a Replay, actions: &[&str]) -> Vec<&'a Write> {
    replay
        .writes
        .iter()
        .filter(|w| {
            o.exchanges
                .iter()
                .find(|e| e.number == w.exchange)
                .is_some_and(|e| actions.iter().any(|a| e.action.starts_with(a)))
        })
        .collect()
}

pub(super) fn exchange(o: &Observation, number: u64) -> Option<&scimulate_simulator::Exchange> {
    o.exchanges.iter().find(|e| e.number == number)
}

/// The verdict when a write was not answered 200 or 204.
fn refused(o: &Observation, write: &Write, expected: &str) -> Option<Verdict> {
    let exchange = exchange(o, write.exchange)?;
    if matches!(status(exchange), Some(200 | 204)) {
        return None;
    }
    Some(Verdict::failed(
        Evidence::new(at(exchange), expected, seen(exchange)).exchange(exchange.number),
    ))
}

fn remove_by_value_filter(o: &Observation) -> Verdict {
    let replay = Replay::of(o);
    let removals: Vec<&Write> = writes_of(o, &replay, &["remove "])
        .into_iter()
        .filter(|w| !w.removed.is_empty())
        .collect();
    if removals.is_empty() {
        return Verdict::failed(Evidence::new(
            format!("scenario {}", o.scenario),
            "Okta removes a member from a pushed group",
            "no member removal was sent",
        ));
    }
    for write in removals {
        if let Some(verdict) = refused(o, write, "200 or 204") {
            return verdict;
        }
        let Some(group) = write.group.as_deref().and_then(|id| replay.group(id)) else {
            continue;
        };
        let step = format!("verify: read back group {}", group.id);
        let Some(read) = read_back(o, &group.id) else {
            return Verdict::failed(Evidence::new(
                step,
                "the group is read back",
                "no read-back was made",
            ));
        };
        let members = body(read).map(member_values).unwrap_or_default();
        let stayed: Vec<String> = write
            .removed
            .iter()
            .filter(|m| members.contains(m))
            .cloned()
            .collect();
        if status(read) != Some(200) || !stayed.is_empty() {
            return Verdict::failed(
                Evidence::new(
                    step,
                    format!(
                        "200 without {} (removed at exchange #{})",
                        list(&write.removed),
                        write.exchange
                    ),
                    seen(read),
                )
                .exchange(write.exchange)
                .exchange(read.number),
            );
        }
    }
    Verdict::Passed
}

fn push_now_replaces(o: &Observation) -> Verdict {
    let replay = Replay::of(o);
    let full: Vec<&Write> = writes_of(o, &replay, &["push now", "activate push"])
        .into_iter()
        .filter(|w| w.full)
        .collect();
    if full.is_empty() {
        return Verdict::failed(Evidence::new(
            format!("scenario {}", o.scenario),
            "Okta pushes a group's members in full (Push Now or activating the push)",
            "no full push was sent",
        ));
    }
    for write in full {
        if let Some(verdict) = refused(o, write, "200 or 204") {
            return verdict;
        }
        let Some(id) = write.group.as_deref() else {
            continue;
        };
        let after = Replay::until(o, write.exchange + 1);
        let (Some(sent), Some(last)) = (after.group(id), replay.group(id)) else {
            continue;
        };
        // Judged when the full push is the group's last write.
        if last.deleted || last.writes.last() != Some(&write.exchange) {
            continue;
        }
        if let Err(verdict) = compare_read_back(o, sent, &sent.members, None, false) {
            return verdict;
        }
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use scimulate_simulator::Dialect;
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;
    use crate::checks::groups::members::sample::membership;

    #[test]
    fn removal_must_take_the_member_out() {
        assert_eq!(
            remove_by_value_filter(&membership(200, &["u1"]).done()),
            Verdict::Passed
        );
        let Verdict::Failed { evidence } =
            remove_by_value_filter(&membership(200, &["u1", "u2"]).done())
        else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, [3, 4]);
        assert!(matches!(
            remove_by_value_filter(&membership(400, &["u1", "u2"]).done()),
            Verdict::Failed { .. }
        ));
    }

    fn full_push(read: &[&str]) -> Observation {
        Built::new(PUSH_PAUSED_MEMBER_REMOVED)
            .dialect(Dialect::Aiw)
            .send(
                "push group Eng",
                "create group",
                "POST",
                "/Groups",
                Some(json!({"displayName": "Eng", "members": [{"value": "u1"}, {"value": "u2"}]})),
                201,
                Some(Built::group("g1", "Eng", &["u1", "u2"])),
            )
            .send(
                "activate push of group Eng",
                "put group",
                "PUT",
                "/Groups/g1",
                Some(json!({"displayName": "Eng", "members": [{"value": "u1"}]})),
                200,
                Some(Built::group("g1", "Eng", read)),
            )
            .read_back_eng(read)
            .done()
    }

    #[test]
    fn a_full_push_replaces() {
        assert_eq!(push_now_replaces(&full_push(&["u1"])), Verdict::Passed);
        assert!(matches!(
            push_now_replaces(&full_push(&["u1", "u2"])),
            Verdict::Failed { .. }
        ));
    }
}
