//! Adds of members a group already has (docs/okta-wire.md#84-membership-changes): a no-op
//! answered 2xx, each member still listed once.

use super::read_back::compare_read_back;
use super::writes::exchange;
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::intended::{Replay, Write, at, list, member_values, read_back};
use crate::observation::{Observation, body, seen, status};
use crate::scenarios::names::GROUP_RELINK_AFTER_LEAVE;
use crate::verdict::{Evidence, Verdict};

pub(in crate::checks::groups) const ADD_EXISTING_IS_NOOP: Check = Check {
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

pub(in crate::checks::groups) const LISTED_ONCE: Check = Check {
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

#[cfg(test)]
mod tests {

    use super::*;
    use crate::checks::groups::hand_built::Built;

    /// A group with u1 and u2 listed by the import, linked, u1 and u2 added
    /// again (answered `status`), read back `read`.
    fn relinked(status: u16, read: &[&str]) -> Observation {
        Built::new(GROUP_RELINK_AFTER_LEAVE)
            .groups_imported(Built::list(
                vec![Built::group("g1", "Eng", &["u1", "u2"])],
                1,
                1,
            ))
            .send(
                "link group Eng to app group Eng",
                "update group members",
                "PATCH",
                "/Groups/g1",
                Some(Built::add_members(&["u1", "u2"])),
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
}
