//! Group membership read back (docs/okta-wire.md#7-importing-groups: `GET /Groups/{id}`):
//! every group Okta wrote to shows exactly the members its accepted writes
//! leave.

use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::intended::{Intended, Replay, list, member_values, read_back};
use crate::observation::{Observation, body, seen, status};
use crate::scenarios::names::{
    GROUP_MEMBERSHIP, GROUP_RELINK_AFTER_LEAVE, GROUP_RENAME, LINK_EXISTING_GROUP,
    PUSH_GROUP_AGAIN, PUSH_GROUP_AGAIN_NO_LOOKUP, PUSH_GROUP_NEW, PUSH_PAUSED,
    PUSH_PAUSED_MEMBER_REMOVED,
};
use crate::verdict::{Evidence, Verdict};

pub(in crate::checks::groups) const READ_BACK_MATCHES: Check = Check {
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

/// What differs between the members expected and those read: `None` when
/// they are the same set (and, with `once`, none is listed twice).
pub(super) fn differs(expected: &[String], read: &[String], once: bool) -> Option<String> {
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
pub(in crate::checks::groups) fn compare_read_back(
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

#[cfg(test)]
mod tests {

    use super::*;
    use crate::checks::groups::hand_built::Built;
    use crate::checks::groups::members::sample::membership;

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
}
