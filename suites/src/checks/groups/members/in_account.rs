//! Group membership in the account (docs/1password.md#outcome-17): the
//! account's groups hold what Okta pushed, changed once per accepted change.

use std::collections::BTreeMap;

use scimulate_backend::EffectKind;

use super::read_back::differs;
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::account::{
    account_group, describe, effects, member_id, snapshots, with_effects,
};
use crate::checks::groups::intended::{Replay, list};
use crate::observation::Observation;
use crate::scenarios::names::{
    GROUP_MEMBERSHIP, GROUP_RELINK_AFTER_LEAVE, GROUP_RENAME, LINK_EXISTING_GROUP,
    PUSH_GROUP_AGAIN, PUSH_GROUP_NEW, PUSH_PAUSED, PUSH_PAUSED_MEMBER_REMOVED,
};
use crate::verdict::{Evidence, Verdict};

pub(in crate::checks::groups) const MATCH_OKTA: Check = Check {
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

pub(in crate::checks::groups) const CHANGES_EXACTLY: Check = Check {
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

    use super::*;
    use crate::checks::groups::hand_built::Built;
    use crate::checks::groups::members::sample::membership;

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
