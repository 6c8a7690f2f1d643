//! Unlink pushed group → *Delete the group in the target app*
//! (docs/okta-wire.md#86-unlink-delete-pause): `DELETE /Groups/{id}`, 204, the group gone, its
//! members kept (Okta OIN plan C9318).

use scimulate_backend::{Effect, EffectKind};

use super::account::{describe, effects, member_id, snapshots, with_effects};
use super::intended::{GroupPath, Replay, at, list, read_back};
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::sent::{nothing_sent, okta_exchanges};
use crate::observation::{Observation, seen, status};
use crate::scenarios::names::GROUP_UNLINK_DELETE;
use crate::verdict::{Evidence, Verdict};

pub(super) const DELETE_204: Check = Check {
    def: CheckDef {
        id: "okta.groups.unlink.delete-returns-204",
        level: Level::Must,
        title: "unlinking a pushed group with \"Delete the group in the target app\" gets 204 No \
                Content for its DELETE /Groups/{id}",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.6 (\"SHALL return … 204 (No Content)\")",
            "docs/okta-wire.md#86-unlink-delete-pause (DELETE /Groups/{id}, expected 204)",
        ],
        needs: Needs::Scim,
        hint: "delete the group and answer 204 with no body",
    },
    scenarios: &[GROUP_UNLINK_DELETE],
    requires: Some(Capability::Groups),
    judge: delete_204,
};

pub(super) const THEN_404: Check = Check {
    def: CheckDef {
        id: "scim.groups.delete.then-404",
        level: Level::Must,
        title: "a deleted group reads back 404 Not Found",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.6 (\"MUST return a 404 (Not Found) error code for all operations \
             associated with the previously deleted resource\")",
            "docs/okta-wire.md#7-importing-groups (Okta GETs a group to see if it still exists)",
        ],
        needs: Needs::Scim,
        hint: "once a group is deleted, answer 404 for its id",
    },
    scenarios: &[GROUP_UNLINK_DELETE],
    requires: Some(Capability::Groups),
    judge: then_404,
};

pub(super) const MEMBERS_STAY: Check = Check {
    def: CheckDef {
        id: "1password.groups.unlink.members-stay",
        level: Level::Must,
        title: "deleting a pushed group deletes the 1Password group and nothing else: its \
                members stay in the account, not suspended, not deleted",
        sources: &[
            "docs/okta-wire.md#86-unlink-delete-pause (users are not deleted; Okta OIN plan C9318)",
            "docs/1password.md#outcome-18 (DELETE Group → group gone)",
            "backend/API.md (DELETE /v1/groups/{id}: members stay in the account)",
        ],
        needs: Needs::Backend,
        hint: "on DELETE /Groups/{id} delete only the group; leave its members' accounts alone",
    },
    scenarios: &[GROUP_UNLINK_DELETE],
    requires: Some(Capability::Groups),
    judge: members_stay,
};

const UNLINK: &str = "unlink group";

fn deletes(o: &Observation) -> impl Iterator<Item = &scimulate_simulator::Exchange> {
    okta_exchanges(o).filter(|e| {
        e.request.method == "DELETE" && matches!(GroupPath::of(e), Some(GroupPath::One(_)))
    })
}

fn missing(o: &Observation) -> Verdict {
    nothing_sent(
        o,
        UNLINK,
        "delete group",
        "Okta deletes the group in the app",
    )
}

fn delete_204(o: &Observation) -> Verdict {
    let mut any = false;
    for exchange in deletes(o) {
        any = true;
        if status(exchange) != Some(204) {
            return Verdict::failed(
                Evidence::new(at(exchange), "204 No Content", seen(exchange))
                    .exchange(exchange.number),
            );
        }
    }
    if any { Verdict::Passed } else { missing(o) }
}

fn then_404(o: &Observation) -> Verdict {
    let replay = Replay::of(o);
    let mut any = false;
    for group in replay.groups.iter().filter(|g| g.deleted) {
        any = true;
        let step = format!("verify: read back group {}", group.id);
        let Some(read) = read_back(o, &group.id) else {
            return Verdict::failed(Evidence::new(step, "the group is read back", "it was not"));
        };
        if status(read) != Some(404) {
            return Verdict::failed(
                Evidence::new(step, "404 Not Found", seen(read))
                    .exchange(group.writes.last().copied().unwrap_or_default())
                    .exchange(read.number),
            );
        }
    }
    if any { Verdict::Passed } else { missing(o) }
}

fn members_stay(o: &Observation) -> Verdict {
    let (_, after) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    let replay = Replay::of(o);
    let mut any = false;
    for group in replay.groups.iter().filter(|g| g.deleted) {
        any = true;
        let Some(&deleted_at) = group.writes.last() else {
            continue;
        };
        let step = format!("{UNLINK} {}: delete group {}", group.name, group.id);
        let gone: Vec<&Effect> = effects(o)
            .iter()
            .filter(|e| {
                matches!(&e.kind, EffectKind::GroupDeleted { group_id, name }
                if *group_id == group.id || name.eq_ignore_ascii_case(&group.name))
            })
            .collect();
        if gone.is_empty() {
            return Verdict::failed(
                Evidence::new(
                    step,
                    format!("group_deleted for {:?}", group.name),
                    "no group_deleted effect: the group is still in the account",
                )
                .exchange(deleted_at),
            );
        }
        let members = Replay::until(o, deleted_at)
            .group(&group.id)
            .map(|g| g.members.clone())
            .unwrap_or_default();
        let mut ids = Vec::new();
        for scim_id in &members {
            match member_id(o, after, scim_id) {
                Some(id) => ids.push(id),
                None => {
                    return Verdict::failed(
                        Evidence::new(
                            step,
                            format!("member {scim_id} still in the account"),
                            "the account has no such member any more",
                        )
                        .exchange(deleted_at),
                    );
                }
            }
        }
        let harmed: Vec<&Effect> = effects(o)
            .iter()
            .filter(|e| match &e.kind {
                EffectKind::Suspended { member_id }
                | EffectKind::MemberDeleted { member_id, .. } => ids.contains(member_id),
                _ => false,
            })
            .collect();
        if !harmed.is_empty() {
            let evidence = Evidence::new(
                step,
                format!("its members {} left as they were", list(&ids)),
                describe(&harmed),
            );
            return Verdict::failed(with_effects(evidence, &harmed).exchange(deleted_at));
        }
    }
    if any { Verdict::Passed } else { missing(o) }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    /// Design (with u1) pushed, deleted (answered `status`), read back
    /// `read_status`.
    fn unlinked(status: u16, read_status: u16) -> Built {
        Built::new(GROUP_UNLINK_DELETE)
            .send(
                "push group Design",
                "create group",
                "POST",
                "/Groups",
                Some(json!({"displayName": "Design", "members": [{"value": "u1"}]})),
                201,
                Some(Built::group("g1", "Design", &["u1"])),
            )
            .send(
                "unlink group Design (delete in app)",
                "delete group",
                "DELETE",
                "/Groups/g1",
                None,
                status,
                None,
            )
            .send(
                "verify",
                "read back group",
                "GET",
                "/Groups/g1",
                None,
                read_status,
                Some(Built::error(read_status, None, "no Group")),
            )
    }

    #[test]
    fn delete_answers_204() {
        assert_eq!(delete_204(&unlinked(204, 404).done()), Verdict::Passed);
        assert!(matches!(
            delete_204(&unlinked(200, 404).done()),
            Verdict::Failed { .. }
        ));
        assert!(matches!(
            delete_204(&Built::new(GROUP_UNLINK_DELETE).done()),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn a_deleted_group_reads_back_404() {
        assert_eq!(then_404(&unlinked(204, 404).done()), Verdict::Passed);
        let Verdict::Failed { evidence } = then_404(&unlinked(204, 200).done()) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, [2, 3]);
        assert!(matches!(
            then_404(&Built::new(GROUP_UNLINK_DELETE).done()),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn members_stay_in_the_account() {
        let deleted = EffectKind::GroupDeleted {
            group_id: "g1".into(),
            name: "Design".into(),
        };
        let account = |members| Built::account(members, Vec::new());
        let good = unlinked(204, 404)
            .effects(vec![deleted.clone()])
            .after(account(vec![Built::member("u1", "c@acme.com")]))
            .done();
        assert_eq!(members_stay(&good), Verdict::Passed);
        let suspended = unlinked(204, 404)
            .effects(vec![
                deleted.clone(),
                EffectKind::Suspended {
                    member_id: "u1".into(),
                },
            ])
            .after(account(vec![Built::member("u1", "c@acme.com")]))
            .done();
        let Verdict::Failed { evidence } = members_stay(&suspended) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.effects, [2]);
        let erased = unlinked(204, 404)
            .effects(vec![deleted])
            .after(account(Vec::new()))
            .done();
        assert!(matches!(members_stay(&erased), Verdict::Failed { .. }));
        let kept = unlinked(204, 404)
            .after(account(vec![Built::member("u1", "c@acme.com")]))
            .done();
        assert!(matches!(members_stay(&kept), Verdict::Failed { .. }));
    }
}
