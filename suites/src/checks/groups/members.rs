//! Group membership as Okta pushes it (docs/okta-wire.md#84-membership-changes): member adds,
//! removals by `members[value eq "…"]`, full pushes (Push Now, activating a
//! paused push), adds of members already there — judged on the read-backs
//! and, where observable, on the account (docs/1password.md#outcome-17).

use std::collections::BTreeMap;

use scimulate_backend::EffectKind;

use super::account::{account_group, describe, effects, member_id, snapshots, with_effects};
use super::intended::{Intended, Replay, Write, at, list, member_values, read_back};
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::observation::{Observation, body, seen, status};
use crate::scenarios::names::{
    GROUP_MEMBERSHIP, GROUP_RELINK_AFTER_LEAVE, GROUP_RENAME, LINK_EXISTING_GROUP,
    PUSH_GROUP_AGAIN, PUSH_GROUP_AGAIN_NO_LOOKUP, PUSH_GROUP_NEW, PUSH_PAUSED,
    PUSH_PAUSED_MEMBER_REMOVED,
};
use crate::verdict::{Evidence, Verdict};

pub(super) const READ_BACK_MATCHES: Check = Check {
    def: CheckDef {
        id: "okta.groups.members.read-back-matches",
        level: Level::Must,
        title: "every group Okta wrote to reads back with the name and exactly the members its \
                accepted writes leave",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2 (PATCH add, remove, replace), §3.5.1 (PUT replaces)",
            "docs/okta-wire.md#84-membership-changes, §8.5",
            "docs/okta-wire.md#7-importing-groups (GET /Groups/{id} to see the group as it is)",
        ],
        needs: Needs::Scim,
        hint: "apply each member operation as RFC 7644 §3.5.2 says and store the group's \
               displayName; GET /Groups/{id} must then show exactly that",
    },
    scenarios: &[
        PUSH_GROUP_NEW,
        GROUP_MEMBERSHIP,
        GROUP_RENAME,
        PUSH_PAUSED,
        PUSH_PAUSED_MEMBER_REMOVED,
        PUSH_GROUP_AGAIN,
        PUSH_GROUP_AGAIN_NO_LOOKUP,
        LINK_EXISTING_GROUP,
        GROUP_RELINK_AFTER_LEAVE,
    ],
    requires: Some(Capability::Groups),
    judge: read_back_matches,
};

pub(super) const REMOVE_BY_VALUE_FILTER: Check = Check {
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

pub(super) const ADD_EXISTING_IS_NOOP: Check = Check {
    def: CheckDef {
        id: "okta.groups.members.add-existing-is-noop",
        level: Level::Must,
        title: "adding members a group already has (Okta re-linking a group left in the app) \
                answers 2xx and they stay members",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.1 (a value already present: no change, success)",
            "docs/okta-wire.md#83-link-group (Link Group: app members stay, Okta's are added; C9322)",
            "docs/okta-wire.md#81-pushing-a-new-group step 3 (an error marks the push Error, OBS R-MTV113)",
        ],
        needs: Needs::Scim,
        hint: "treat adding a present member as a no-op: answer 200 (or 204), never 409 or \
               400",
    },
    scenarios: &[GROUP_RELINK_AFTER_LEAVE],
    requires: Some(Capability::Groups),
    judge: add_existing_is_noop,
};

pub(super) const LISTED_ONCE: Check = Check {
    def: CheckDef {
        id: "scim.groups.members.listed-once",
        level: Level::Should,
        title: "after members the group already has are added again, each is still listed once",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.1 (\"If the target location already contains the value specified, \
             no changes SHOULD be made to the resource\")",
            "docs/okta-wire.md#83-link-group (Link Group re-adds the app group's members; C9322)",
        ],
        needs: Needs::Scim,
        hint: "when a member is added that the group has, keep one entry for it",
    },
    scenarios: &[GROUP_RELINK_AFTER_LEAVE],
    requires: Some(Capability::Groups),
    judge: listed_once,
};

pub(super) const PUSH_NOW_REPLACES: Check = Check {
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

pub(super) const MATCH_OKTA: Check = Check {
    def: CheckDef {
        id: "1password.groups.members.match-okta",
        level: Level::Must,
        title: "in the account, every group Okta wrote to holds exactly the members Okta's \
                accepted writes leave",
        sources: &[
            "docs/1password.md#3-groups (a pushed group is mastered by Okta)",
            "docs/1password.md#outcome-17 (add member → in the group; remove → out)",
        ],
        needs: Needs::Backend,
        hint: "carry every SCIM member change through to the 1Password group: add and remove \
               members in the account, not only in the answer",
    },
    scenarios: &[
        PUSH_GROUP_NEW,
        GROUP_MEMBERSHIP,
        GROUP_RENAME,
        PUSH_PAUSED,
        PUSH_PAUSED_MEMBER_REMOVED,
        PUSH_GROUP_AGAIN,
        LINK_EXISTING_GROUP,
        GROUP_RELINK_AFTER_LEAVE,
    ],
    requires: Some(Capability::Groups),
    judge: match_okta,
};

pub(super) const CHANGES_EXACTLY: Check = Check {
    def: CheckDef {
        id: "1password.groups.members.changes-exactly",
        level: Level::Should,
        title: "the account logs one member_added per member Okta adds and one member_removed \
                per member Okta removes: re-adding a present member or re-sending the same list \
                changes nothing, and nothing is refused",
        sources: &[
            "docs/1password.md#outcome-17",
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.1 (adding a present value changes nothing)",
            "backend/API.md (no-ops log nothing)",
        ],
        needs: Needs::Backend,
        hint: "compute the difference between the group's members and the wanted ones and \
               write only that; never empty and refill a group",
    },
    scenarios: &[
        GROUP_MEMBERSHIP,
        PUSH_PAUSED_MEMBER_REMOVED,
        PUSH_GROUP_AGAIN,
        GROUP_RELINK_AFTER_LEAVE,
        LINK_EXISTING_GROUP,
    ],
    requires: Some(Capability::Groups),
    judge: changes_exactly,
};

/// What differs between the members expected and those read: `None` when
/// they are the same set (and, with `once`, none is listed twice).
fn differs(expected: &[String], read: &[String], once: bool) -> Option<String> {
    let read_set: std::collections::HashSet<&String> = read.iter().collect();
    let expected_set: std::collections::HashSet<&String> = expected.iter().collect();
    let missing: Vec<String> = expected
        .iter()
        .filter(|m| !read_set.contains(m))
        .cloned()
        .collect();
    let extra: Vec<String> = read
        .iter()
        .filter(|m| !expected_set.contains(m))
        .cloned()
        .collect();
    // Sets: a hostile read-back of hundreds of thousands of members is
    // judged in linear time.
    let mut once_seen = std::collections::HashSet::new();
    let twice: Vec<String> = if once {
        read.iter()
            .filter(|m| !once_seen.insert(m.as_str()))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", list(&missing)));
    }
    if !extra.is_empty() {
        parts.push(format!("not expected {}", list(&extra)));
    }
    if !twice.is_empty() {
        parts.push(format!("listed twice {}", list(&twice)));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Compares a group's read-back with `expected` members (and its name,
/// when given). A member listed twice is judged only by
/// `scim.groups.members.listed-once` (`once`): the other checks ask who is
/// a member, so one SHOULD deviation does not fail three checks.
pub(super) fn compare_read_back(
    o: &Observation,
    group: &Intended,
    expected: &[String],
    name: Option<&str>,
    once: bool,
) -> Result<(), Verdict> {
    let step = format!("verify: read back group {}", group.id);
    let Some(exchange) = read_back(o, &group.id) else {
        return Err(Verdict::failed(Evidence::new(
            step,
            "the group is read back",
            "no read-back was made",
        )));
    };
    let fail = |expected: String, seen: String| {
        Err(Verdict::failed(
            Evidence::new(&step, expected, seen).exchange(exchange.number),
        ))
    };
    let wanted = format!(
        "200 with {}members {}",
        name.map(|n| format!("displayName {n:?} and "))
            .unwrap_or_default(),
        list(expected)
    );
    let Some(answer) = body(exchange).filter(|_| status(exchange) == Some(200)) else {
        return fail(wanted, seen(exchange));
    };
    if let Some(name) = name
        && answer.get("displayName").and_then(|n| n.as_str()) != Some(name)
    {
        return fail(wanted, seen(exchange));
    }
    match differs(expected, &member_values(answer), once) {
        None => Ok(()),
        Some(difference) => fail(wanted, format!("{difference}: {}", seen(exchange))),
    }
}

fn read_back_matches(o: &Observation) -> Verdict {
    let replay = Replay::of(o);
    let mut any = false;
    for group in replay.written() {
        any = true;
        if let Err(verdict) = compare_read_back(o, group, &group.members, Some(&group.name), false)
        {
            return verdict;
        }
    }
    if any {
        Verdict::Passed
    } else {
        Verdict::failed(Evidence::new(
            format!("scenario {}", o.scenario),
            "Okta writes a group and the target accepts it",
            "no group write was accepted",
        ))
    }
}

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

fn exchange(o: &Observation, number: u64) -> Option<&scimulate_simulator::Exchange> {
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

fn add_existing_is_noop(o: &Observation) -> Verdict {
    readds_read_back(o)
}

/// The writes that added members the group already had; a failure when
/// the scenario sent none (an earlier step failed).
fn readds<'r>(o: &Observation, replay: &'r Replay) -> Result<Vec<&'r Write>, Verdict> {
    let readds: Vec<&Write> = replay
        .writes
        .iter()
        .filter(|w| !w.readded.is_empty())
        .collect();
    if readds.is_empty() {
        return Err(Verdict::failed(Evidence::new(
            format!("scenario {}", o.scenario),
            "Okta adds members a group already has",
            "no such write was sent (did an earlier step fail?)",
        )));
    }
    Ok(readds)
}

/// Only duplicates: a refused re-add or a wrong member set is
/// `add-existing-is-noop`'s and `read-back-matches`' to judge, so one
/// deviation fails one check.
fn listed_once(o: &Observation) -> Verdict {
    let replay = Replay::of(o);
    let readds = match readds(o, &replay) {
        Ok(readds) => readds,
        Err(verdict) => return verdict,
    };
    for write in readds {
        let accepted = exchange(o, write.exchange)
            .and_then(status)
            .is_some_and(|s| (200..300).contains(&s));
        let Some(group) = write
            .group
            .as_deref()
            .and_then(|id| replay.group(id))
            .filter(|g| accepted && !g.deleted)
        else {
            continue;
        };
        let Some(read) = read_back(o, &group.id).filter(|r| status(r) == Some(200)) else {
            continue;
        };
        let members = body(read).map(member_values).unwrap_or_default();
        let mut seen_once = std::collections::HashSet::new();
        let twice: Vec<String> = members
            .iter()
            .filter(|m| !seen_once.insert(m.as_str()))
            .cloned()
            .collect();
        if !twice.is_empty() {
            return Verdict::failed(
                Evidence::new(
                    format!("verify: read back group {}", group.id),
                    "each member listed once",
                    format!("listed twice {}: {}", list(&twice), seen(read)),
                )
                .exchange(read.number),
            );
        }
    }
    Verdict::Passed
}

/// Every write that added members the group had must be answered 2xx, and
/// the group read back with its members.
fn readds_read_back(o: &Observation) -> Verdict {
    let replay = Replay::of(o);
    let readds = match readds(o, &replay) {
        Ok(readds) => readds,
        Err(verdict) => return verdict,
    };
    for write in readds {
        let expected = format!("2xx: {} are already members", list(&write.readded));
        let accepted = exchange(o, write.exchange)
            .and_then(status)
            .is_some_and(|s| (200..300).contains(&s));
        if !accepted && let Some(exchange) = exchange(o, write.exchange) {
            return Verdict::failed(
                Evidence::new(at(exchange), expected, seen(exchange)).exchange(exchange.number),
            );
        }
        let Some(group) = write.group.as_deref().and_then(|id| replay.group(id)) else {
            continue;
        };
        if group.deleted {
            continue;
        }
        if let Err(verdict) = compare_read_back(o, group, &group.members, None, false) {
            return verdict;
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

fn match_okta(o: &Observation) -> Verdict {
    let (_, after) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    let replay = Replay::of(o);
    let mut any = false;
    for group in replay.written() {
        any = true;
        let step = format!(
            "scenario {}: group {} ({:?})",
            o.scenario, group.id, group.name
        );
        let Some(held) = account_group(after, &group.id, &group.name) else {
            return Verdict::failed(Evidence::new(
                step,
                format!("one group {:?} in the account", group.name),
                "the account has no such group (or several of that name)",
            ));
        };
        let mut expected = Vec::new();
        for scim_id in &group.members {
            match member_id(o, after, scim_id) {
                Some(id) => expected.push(id),
                None => {
                    return Verdict::failed(Evidence::new(
                        step,
                        format!("SCIM user {scim_id} is a member of the account"),
                        "no member of the account has that id or its e-mail",
                    ));
                }
            }
        }
        if let Some(difference) = differs(&expected, &held.members, true) {
            return Verdict::failed(Evidence::new(
                step,
                format!("account group {} holds {}", held.id, list(&expected)),
                format!("{difference}: it holds {}", list(&held.members)),
            ));
        }
    }
    if any {
        Verdict::Passed
    } else {
        Verdict::failed(Evidence::new(
            format!("scenario {}", o.scenario),
            "Okta writes a group and the target accepts it",
            "no group write was accepted",
        ))
    }
}

fn changes_exactly(o: &Observation) -> Verdict {
    let (_, after) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    let replay = Replay::of(o);
    for group in replay.written() {
        let Some(held) = account_group(after, &group.id, &group.name) else {
            continue;
        };
        // (member, added?) → how many times Okta's accepted writes change it.
        let mut wanted: BTreeMap<(String, bool), usize> = BTreeMap::new();
        for write in replay
            .writes
            .iter()
            .filter(|w| w.accepted && w.group.as_deref() == Some(group.id.as_str()))
        {
            let changes = write
                .added
                .iter()
                .map(|m| (m, true))
                .chain(write.removed.iter().map(|m| (m, false)));
            for (scim_id, added) in changes {
                let member = member_id(o, after, scim_id).unwrap_or_else(|| scim_id.clone());
                *wanted.entry((member, added)).or_default() += 1;
            }
        }
        let mut logged: BTreeMap<(String, bool), Vec<&scimulate_backend::Effect>> = BTreeMap::new();
        let mut refusals = Vec::new();
        for effect in effects(o) {
            match &effect.kind {
                EffectKind::MemberAdded {
                    group_id,
                    member_id,
                } if *group_id == held.id => {
                    logged
                        .entry((member_id.clone(), true))
                        .or_default()
                        .push(effect);
                }
                EffectKind::MemberRemoved {
                    group_id,
                    member_id,
                } if *group_id == held.id => {
                    logged
                        .entry((member_id.clone(), false))
                        .or_default()
                        .push(effect);
                }
                EffectKind::Refused {
                    target: Some(target),
                    ..
                } if *target == held.id => refusals.push(effect),
                _ => {}
            }
        }
        let step = format!(
            "scenario {}: group {} ({:?})",
            o.scenario, group.id, group.name
        );
        if !refusals.is_empty() {
            let evidence = Evidence::new(step, "no refused write", describe(&refusals));
            return Verdict::failed(with_effects(evidence, &refusals));
        }
        let keys: Vec<&(String, bool)> = wanted.keys().chain(logged.keys()).collect();
        for key in keys {
            let count = wanted.get(key).copied().unwrap_or_default();
            let seen: Vec<&scimulate_backend::Effect> =
                logged.get(key).cloned().unwrap_or_default();
            if count != seen.len() {
                let kind = if key.1 {
                    "member_added"
                } else {
                    "member_removed"
                };
                let evidence = Evidence::new(
                    step,
                    format!("{count} {kind} for member {} (as Okta changed it)", key.0),
                    describe(&seen),
                );
                return Verdict::failed(with_effects(evidence, &seen));
            }
        }
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use scimulate_simulator::Dialect;
    use serde_json::{Value, json};

    use super::*;
    use crate::checks::groups::hand_built::Built;

    fn add(values: &[&str]) -> Value {
        let value: Vec<Value> = values.iter().map(|v| json!({"value": v})).collect();
        Built::patch(vec![
            json!({"op": "add", "path": "members", "value": value}),
        ])
    }

    /// Push Eng with u1 and u2, remove u2 (answered `status`), read back
    /// `read` members.
    fn membership(status: u16, read: &[&str]) -> Built {
        Built::new(GROUP_MEMBERSHIP)
            .send(
                "push group Eng",
                "create group",
                "POST",
                "/Groups",
                Some(json!({"displayName": "Eng", "members": []})),
                201,
                Some(Built::group("g1", "Eng", &[])),
            )
            .send(
                "push group Eng",
                "update group members",
                "PATCH",
                "/Groups/g1",
                Some(add(&["u1", "u2"])),
                200,
                None,
            )
            .send(
                "remove u2 from group Eng",
                "update group members",
                "PATCH",
                "/Groups/g1",
                Some(Built::patch(vec![
                    json!({"op": "remove", "path": "members[value eq \"u2\"]"}),
                ])),
                status,
                None,
            )
            .read_back_eng(read)
    }

    #[test]
    fn read_back_must_match_the_accepted_writes() {
        assert_eq!(
            read_back_matches(&membership(204, &["u1"]).done()),
            Verdict::Passed
        );
        assert_eq!(
            read_back_matches(&membership(400, &["u1", "u2"]).done()),
            Verdict::Passed
        );
        for read in [&["u1", "u2"][..], &["u2"], &[]] {
            assert!(matches!(
                read_back_matches(&membership(204, read).done()),
                Verdict::Failed { .. }
            ));
        }
        // Who is a member is right; listing u1 twice is judged by
        // scim.groups.members.listed-once alone.
        assert_eq!(
            read_back_matches(&membership(204, &["u1", "u1"]).done()),
            Verdict::Passed
        );
        assert!(matches!(
            read_back_matches(&Built::new(GROUP_MEMBERSHIP).done()),
            Verdict::Failed { .. }
        ));
    }

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

    /// A group with u1 and u2 listed by the import, linked, u1 and u2 added
    /// again (answered `status`), read back `read`.
    fn relinked(status: u16, read: &[&str]) -> Observation {
        Built::new(GROUP_RELINK_AFTER_LEAVE)
            .send(
                "import groups",
                "import page 1",
                "GET",
                "/Groups?startIndex=1&count=100",
                None,
                200,
                Some(Built::list(
                    vec![Built::group("g1", "Eng", &["u1", "u2"])],
                    1,
                    1,
                )),
            )
            .send(
                "link group Eng to app group Eng",
                "update group members",
                "PATCH",
                "/Groups/g1",
                Some(add(&["u1", "u2"])),
                status,
                None,
            )
            .read_back_eng(read)
            .done()
    }

    #[test]
    fn adding_present_members_is_a_no_op() {
        assert_eq!(
            add_existing_is_noop(&relinked(200, &["u1", "u2"])),
            Verdict::Passed
        );
        assert!(matches!(
            add_existing_is_noop(&relinked(409, &["u1", "u2"])),
            Verdict::Failed { .. }
        ));
        // Listed twice: a SHOULD of its own, not this check's concern.
        assert_eq!(
            add_existing_is_noop(&relinked(200, &["u1", "u2", "u2"])),
            Verdict::Passed
        );
        assert!(matches!(
            add_existing_is_noop(&Built::new(GROUP_RELINK_AFTER_LEAVE).done()),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn present_members_stay_listed_once() {
        assert_eq!(listed_once(&relinked(200, &["u1", "u2"])), Verdict::Passed);
        let Verdict::Failed { evidence } = listed_once(&relinked(200, &["u1", "u2", "u2"])) else {
            panic!("a member listed twice fails");
        };
        assert!(evidence.seen.contains("listed twice"), "{}", evidence.seen);
        // A refused re-add is add-existing-is-noop's failure, not this one's.
        assert_eq!(listed_once(&relinked(409, &["u1", "u2"])), Verdict::Passed);
        assert!(matches!(
            listed_once(&Built::new(GROUP_RELINK_AFTER_LEAVE).done()),
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

    fn account(members: &[&str]) -> scimulate_backend::AccountSnapshot {
        Built::account(
            vec![
                Built::member("u1", "a@acme.com"),
                Built::member("u2", "b@acme.com"),
            ],
            vec![Built::account_group("g1", "Eng", members)],
        )
    }

    #[test]
    fn the_account_must_follow() {
        let good = membership(200, &["u1"]).after(account(&["u1"])).done();
        assert_eq!(match_okta(&good), Verdict::Passed);
        let bad = membership(200, &["u1"])
            .after(account(&["u1", "u2"]))
            .done();
        assert!(matches!(match_okta(&bad), Verdict::Failed { .. }));
    }

    fn added(member: &str) -> EffectKind {
        EffectKind::MemberAdded {
            group_id: "g1".into(),
            member_id: member.into(),
        }
    }

    #[test]
    fn one_effect_per_change() {
        let removed = EffectKind::MemberRemoved {
            group_id: "g1".into(),
            member_id: "u2".into(),
        };
        let good = membership(200, &["u1"])
            .after(account(&["u1"]))
            .effects(vec![added("u1"), added("u2"), removed.clone()])
            .done();
        assert_eq!(changes_exactly(&good), Verdict::Passed);
        let ignored = membership(200, &["u1"])
            .after(account(&["u1", "u2"]))
            .effects(vec![added("u1"), added("u2")])
            .done();
        assert!(matches!(changes_exactly(&ignored), Verdict::Failed { .. }));
        let churned = membership(200, &["u1"])
            .after(account(&["u1"]))
            .effects(vec![
                added("u1"),
                added("u2"),
                removed,
                EffectKind::MemberRemoved {
                    group_id: "g1".into(),
                    member_id: "u1".into(),
                },
                added("u1"),
            ])
            .done();
        let Verdict::Failed { evidence } = changes_exactly(&churned) else {
            panic!("expected a failure");
        };
        assert!(!evidence.effects.is_empty());
    }
}
