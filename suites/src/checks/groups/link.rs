//! Push Groups → Link Group to an app group Okta imported (docs/okta-wire.md
//! §8.3): no new group, the app group's members stay and Okta's are added
//! (Okta OIN plan C9315, C9322, C9330).

use scimulate_backend::{Effect, EffectKind};
use scimulate_simulator::Exchange;

use super::account::{account_group, describe, effects, member_id, snapshots, with_effects};
use super::intended::{GroupPath, Replay, at, list};
use super::members::compare_read_back;
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::sent::{okta_exchanges, outcome_text};
use crate::observation::{Observation, status};
use crate::scenarios::names::{GROUP_RELINK_AFTER_LEAVE, LINK_EXISTING_GROUP};
use crate::verdict::{Evidence, Verdict};

pub(super) const KEEPS_APP_MEMBERS: Check = Check {
    def: CheckDef {
        id: "okta.groups.link.keeps-app-members",
        level: Level::Must,
        title: "linking an Okta group to an existing app group succeeds without creating a \
                group, and the app group reads back with its own members plus Okta's",
        sources: &[
            "docs/okta-wire.md#83-link-group (existing app members stay, Okta members are added, no new \
             group)",
            "docs/okta-wire.md#123-oin-test-plan (Okta OIN test plan C9315, C9330)",
        ],
        needs: Needs::Scim,
        hint: "accept Okta's name PATCH and member add on the group it picked; add members \
               without dropping the ones the group had",
    },
    scenarios: &[LINK_EXISTING_GROUP, GROUP_RELINK_AFTER_LEAVE],
    requires: Some(Capability::Groups),
    judge: keeps_app_members,
};

pub(super) const NO_NEW_GROUP: Check = Check {
    def: CheckDef {
        id: "1password.groups.link.no-new-group",
        level: Level::Must,
        title: "Link Group creates no group in the account and the linked group keeps the \
                members it had",
        sources: &[
            "docs/okta-wire.md#83-link-group (no new group is created)",
            "docs/1password.md#3-groups (existing groups are managed, not duplicated)",
            "docs/okta-wire.md#123-oin-test-plan (Okta OIN test plan C9330 (old members kept))",
        ],
        needs: Needs::Backend,
        hint: "apply Okta's writes to the 1Password group it linked; create groups only for \
               POST /Groups",
    },
    scenarios: &[LINK_EXISTING_GROUP, GROUP_RELINK_AFTER_LEAVE],
    requires: Some(Capability::Groups),
    judge: no_new_group,
};

const LINK: &str = "link group";

/// The link's first exchange and the app group id it addresses.
fn linked(o: &Observation) -> Result<(&Exchange, String), Verdict> {
    let first = okta_exchanges(o)
        .filter(|e| e.action.starts_with(LINK))
        .find_map(|e| match GroupPath::of(e) {
            Some(GroupPath::One(id)) => Some((e, id)),
            _ => None,
        });
    if let Some(found) = first {
        return Ok(found);
    }
    let seen = match o.outcome(LINK) {
        Some(outcome) => outcome_text(outcome),
        None => "no Link Group ran".to_string(),
    };
    Err(Verdict::failed(Evidence::new(
        LINK,
        "Okta links the group to the app group it imported",
        seen,
    )))
}

fn keeps_app_members(o: &Observation) -> Verdict {
    let (first, id) = match linked(o) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    if let Some(outcome) = o.outcome(LINK).filter(|outcome| !outcome.succeeded()) {
        let mut evidence = Evidence::new(at(first), "the link succeeds", outcome_text(outcome));
        if let Some(n) = outcome.failure().and_then(|f| f.exchange) {
            evidence = evidence.exchange(n);
        }
        return Verdict::failed(evidence);
    }
    if let Some(post) = okta_exchanges(o).find(|e| {
        e.action.starts_with(LINK)
            && e.request.method == "POST"
            && GroupPath::of(e) == Some(GroupPath::Collection)
    }) {
        return Verdict::failed(
            Evidence::new(
                at(post),
                "no POST /Groups on Link Group",
                "a group was POSTed",
            )
            .exchange(post.number),
        );
    }
    let imported = Replay::until(o, first.number)
        .group(&id)
        .map(|g| g.members.clone())
        .unwrap_or_default();
    let replay = Replay::of(o);
    let Some(group) = replay.group(&id) else {
        return Verdict::Passed;
    };
    let mut expected = imported.clone();
    for member in &group.members {
        if !expected.contains(member) {
            expected.push(member.clone());
        }
    }
    match compare_read_back(o, group, &expected, None, false) {
        Ok(()) => Verdict::Passed,
        Err(verdict) => verdict,
    }
}

fn no_new_group(o: &Observation) -> Verdict {
    let (_, after) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    let (first, id) = match linked(o) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    let posted = okta_exchanges(o)
        .filter(|e| {
            e.request.method == "POST"
                && GroupPath::of(e) == Some(GroupPath::Collection)
                && status(e).is_some_and(|s| (200..300).contains(&s))
        })
        .count();
    let created: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| matches!(e.kind, EffectKind::GroupCreated { .. }))
        .collect();
    let step = format!("{}: group {id}", first.action);
    if created.len() != posted {
        let evidence = Evidence::new(
            &step,
            format!("{posted} group_created (one per accepted POST /Groups), none for the link"),
            describe(&created),
        );
        return Verdict::failed(with_effects(evidence, &created));
    }
    let before_link = Replay::until(o, first.number);
    let Some(imported) = before_link.group(&id) else {
        return Verdict::Passed;
    };
    let Some(held) = account_group(after, &id, &imported.name) else {
        return Verdict::failed(Evidence::new(
            step,
            format!(
                "the linked group {:?} is still in the account",
                imported.name
            ),
            "it is not",
        ));
    };
    let lost: Vec<String> = imported
        .members
        .iter()
        .map(|m| member_id(o, after, m).unwrap_or_else(|| m.clone()))
        .filter(|m| !held.members.contains(m))
        .collect();
    if lost.is_empty() {
        return Verdict::Passed;
    }
    let removed: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| {
            matches!(&e.kind, EffectKind::MemberRemoved { group_id, member_id }
            if *group_id == held.id && lost.contains(member_id))
        })
        .collect();
    let evidence = Evidence::new(
        step,
        format!("group {} keeps {}", held.id, list(&imported.members)),
        format!("it lost {}: {}", list(&lost), describe(&removed)),
    );
    Verdict::failed(with_effects(evidence, &removed))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    /// Eng (with u0) imported, linked: u1 added (answered `status`), read
    /// back `read`.
    fn linking(status: u16, read: &[&str]) -> Built {
        Built::new(LINK_EXISTING_GROUP)
            .groups_imported(Built::list(vec![Built::group("g1", "Eng", &["u0"])], 1, 1))
            .send(
                "link group Eng to app group Eng",
                "update group members",
                "PATCH",
                "/Groups/g1",
                Some(Built::patch(vec![
                    json!({"op": "add", "path": "members", "value": [{"value": "u1"}]}),
                ])),
                status,
                None,
            )
            .read_back_eng(read)
    }

    #[test]
    fn app_members_stay_and_okta_members_join() {
        let good = linking(204, &["u0", "u1"])
            .outcome(
                "link group Eng to app group Eng",
                scimulate_simulator::ActionResult::Succeeded,
            )
            .done();
        assert_eq!(keeps_app_members(&good), Verdict::Passed);
        let dropped = linking(204, &["u1"]).done();
        assert!(matches!(
            keeps_app_members(&dropped),
            Verdict::Failed { .. }
        ));
        assert!(matches!(
            keeps_app_members(&Built::new(LINK_EXISTING_GROUP).done()),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn linking_creates_nothing() {
        let account = |members: &[&str]| {
            Built::account(
                vec![
                    Built::member("u0", "b@acme.com"),
                    Built::member("u1", "a@acme.com"),
                ],
                vec![Built::account_group("g1", "Eng", members)],
            )
        };
        let good = linking(204, &["u0", "u1"])
            .after(account(&["u0", "u1"]))
            .done();
        assert_eq!(no_new_group(&good), Verdict::Passed);
        let created = linking(204, &["u0", "u1"])
            .after(account(&["u0", "u1"]))
            .effects(vec![EffectKind::GroupCreated {
                group_id: "g2".into(),
                name: "Eng".into(),
            }])
            .done();
        assert!(matches!(no_new_group(&created), Verdict::Failed { .. }));
        let emptied = linking(204, &["u1"])
            .after(account(&["u1"]))
            .effects(vec![EffectKind::MemberRemoved {
                group_id: "g1".into(),
                member_id: "u0".into(),
            }])
            .done();
        let Verdict::Failed { evidence } = no_new_group(&emptied) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.effects, [1]);
    }
}
