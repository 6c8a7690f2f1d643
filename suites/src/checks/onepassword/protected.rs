//! What provisioning must leave alone (docs/1password.md#13-authentication-and-the-connection-test, §3):
//! guests, built-in groups, and the whole account while provisioning is
//! off.

use scimulate_backend::{BuiltinGroup, Effect, EffectKind};

use crate::checks::errors::envelope_problem;
use crate::checks::failure::{wrong_answer, wrong_at};
use crate::checks::onepassword::log::{effects, named, with_effects};
use crate::checks::reading::resources;
use crate::observation::{Observation, body, status};
use crate::scenarios::core::ASSIGN;
use crate::verdict::{Evidence, Verdict};

fn no_snapshots() -> Verdict {
    Verdict::Skipped {
        reason: "the account's snapshots were not observable".into(),
    }
}

pub(super) fn guest_untouched(o: &Observation) -> Verdict {
    let (Some(before), Some(after)) = (&o.before, &o.after) else {
        return no_snapshots();
    };
    let step = format!("assign {}", o.subject_email);
    for guest in before
        .members
        .iter()
        .filter(|m| m.kind == scimulate_backend::MemberKind::Guest)
    {
        let aimed: Vec<&Effect> = effects(o)
            .iter()
            .filter(|e| {
                named(&e.kind)
                    .iter()
                    .any(|n| *n == guest.id || n.eq_ignore_ascii_case(&guest.email))
            })
            .collect();
        if !aimed.is_empty() {
            return Verdict::failed(with_effects(
                step,
                format!(
                    "nothing aimed at guest {} ({}), not even a refused attempt",
                    guest.email, guest.id
                ),
                &aimed,
            ));
        }
        let now = after.members.iter().find(|m| m.id == guest.id);
        if now != Some(guest) {
            return Verdict::failed(Evidence::new(
                step,
                format!("guest {} exactly as before", guest.email),
                match now {
                    Some(now) => format!("now {now:?}"),
                    None => "gone from the account".into(),
                },
            ));
        }
    }
    Verdict::Passed
}

pub(super) fn guest_refused(o: &Observation) -> Verdict {
    if let Some(lookup) = o.find(ASSIGN, "existence check") {
        let listed = body(lookup)
            .and_then(resources)
            .is_some_and(|found| !found.is_empty());
        if listed {
            return wrong_answer(lookup, "no resource: guests are not listed over SCIM");
        }
    }
    let Some(create) = o.find(ASSIGN, "create") else {
        return Verdict::failed(Evidence::new(
            format!("assign {}: create", o.subject_email),
            "Okta POSTs the guest's e-mail and the bridge refuses it",
            "no POST /Users was sent",
        ));
    };
    if !matches!(status(create), Some(400..=499)) {
        return wrong_answer(
            create,
            "4xx with a SCIM error: the e-mail belongs to a guest",
        );
    }
    match envelope_problem(create) {
        None => Verdict::Passed,
        Some(problem) => wrong_at(create, "a SCIM error body with a detail", problem),
    }
}

pub(super) fn builtin_groups_untouched(o: &Observation) -> Verdict {
    let (Some(before), Some(after)) = (&o.before, &o.after) else {
        return no_snapshots();
    };
    let step = format!("{} (built-in groups)", o.scenario);
    let builtin: Vec<_> = before
        .groups
        .iter()
        .filter(|g| g.builtin.is_some())
        .collect();
    let aimed: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| {
            let names = named(&e.kind);
            let group_effect = !matches!(
                e.kind,
                EffectKind::InviteSent { .. }
                    | EffectKind::MemberLinked { .. }
                    | EffectKind::MemberDeleted { .. }
                    | EffectKind::InviteAccepted { .. }
                    | EffectKind::Suspended { .. }
                    | EffectKind::Reactivated { .. }
                    | EffectKind::ProfileUpdated { .. }
                    | EffectKind::EmailChangeRequested { .. }
            );
            group_effect
                && builtin.iter().any(|g| {
                    names
                        .iter()
                        .any(|n| *n == g.id || n.eq_ignore_ascii_case(&g.name))
                })
        })
        .collect();
    if !aimed.is_empty() {
        return Verdict::failed(with_effects(
            step,
            "no change, and no attempt, on a built-in group",
            &aimed,
        ));
    }
    for group in builtin {
        let now = after.groups.iter().find(|g| g.id == group.id);
        let kept = now.is_some_and(|now| {
            now.name == group.name
                && if group.builtin == Some(BuiltinGroup::TeamMembers) {
                    // Invited members join Team Members; nobody leaves it.
                    group.members.iter().all(|m| now.members.contains(m))
                } else {
                    now.members == group.members
                }
        });
        if !kept {
            return Verdict::failed(Evidence::new(
                step,
                format!("{} as before", group.name),
                match now {
                    Some(now) => format!(
                        "{} with members {:?} (before: {:?})",
                        now.name, now.members, group.members
                    ),
                    None => "gone from the account".into(),
                },
            ));
        }
    }
    Verdict::Passed
}

pub(super) fn provisioning_off_changes_nothing(o: &Observation) -> Verdict {
    let step = format!("{} (provisioning off)", o.scenario);
    let changes: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| !matches!(e.kind, EffectKind::Refused { .. }))
        .collect();
    if !changes.is_empty() {
        return Verdict::failed(with_effects(step, "no effect but refusals", &changes));
    }
    if let (Some(before), Some(after)) = (&o.before, &o.after)
        && (before.members != after.members || before.groups != after.groups)
    {
        return Verdict::failed(Evidence::new(
            step,
            "the account's members and groups exactly as before",
            format!(
                "{} member(s) and {} group(s) before, {} and {} after, or changed in place",
                before.members.len(),
                before.groups.len(),
                after.members.len(),
                after.groups.len()
            ),
        ));
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use scimulate_backend::{MemberKind, MemberState, Refusal};
    use scimulate_simulator::FailureKind;
    use serde_json::json;

    use super::*;
    use crate::checks::users::sample::{Sample, account, group, member};
    use crate::scenarios::names::{GUEST_UNTOUCHED, NEW_USER_INVITED, PROVISIONING_OFF};

    fn gina() -> scimulate_backend::Member {
        member("G", "gina@acme.com", MemberState::Active, MemberKind::Guest)
    }

    fn acme() -> scimulate_backend::AccountSnapshot {
        account(
            vec![
                member(
                    "A",
                    "alice@acme.com",
                    MemberState::Active,
                    MemberKind::Member,
                ),
                gina(),
            ],
            vec![
                group("o", "Owners", Some(BuiltinGroup::Owners), &["A"]),
                group("t", "Team Members", Some(BuiltinGroup::TeamMembers), &["A"]),
            ],
        )
    }

    #[test]
    fn a_guest_must_not_even_be_attempted() {
        let good = Sample::new(GUEST_UNTOUCHED, "gina@acme.com")
            .accounts(acme(), acme())
            .build();
        assert_eq!(guest_untouched(&good), Verdict::Passed);
        let attempted = Sample::new(GUEST_UNTOUCHED, "gina@acme.com")
            .effect(EffectKind::Refused {
                action: "link".into(),
                target: Some("G".into()),
                reason: Refusal::Guest,
                detail: "guest".into(),
            })
            .accounts(acme(), acme())
            .build();
        let Verdict::Failed { evidence } = guest_untouched(&attempted) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.effects, vec![1]);
    }

    #[test]
    fn a_guest_create_must_be_refused() {
        let empty = json!({"Resources": []});
        let error = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "scimType": "uniqueness", "detail": "a guest"});
        let run = |status: u16, answer: serde_json::Value| {
            Sample::new(GUEST_UNTOUCHED, "gina@acme.com")
                .json(
                    ("assign gina@acme.com", "existence check"),
                    ("GET", "/Users?filter=x"),
                    None,
                    200,
                    empty.clone(),
                )
                .json(
                    ("assign gina@acme.com", "create"),
                    ("POST", "/Users"),
                    None,
                    status,
                    answer,
                )
                .failed(
                    "assign gina@acme.com",
                    FailureKind::Conflict,
                    status,
                    "Conflict",
                )
                .build()
        };
        assert_eq!(guest_refused(&run(409, error)), Verdict::Passed);
        assert!(matches!(
            guest_refused(&run(201, json!({"id": "G"}))),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn built_in_groups_must_not_change() {
        let mut grown = acme();
        std::sync::Arc::make_mut(&mut grown.members).push(member(
            "C",
            "carol@acme.com",
            MemberState::Invited,
            MemberKind::Member,
        ));
        grown.groups[1].members.push("C".into());
        let good = Sample::new(NEW_USER_INVITED, "carol@acme.com")
            .effect(EffectKind::InviteSent {
                member_id: "C".into(),
                email: "carol@acme.com".into(),
            })
            .accounts(acme(), grown.clone())
            .build();
        assert_eq!(builtin_groups_untouched(&good), Verdict::Passed);
        let mut owner = grown;
        owner.groups[0].members.push("C".into());
        let bad = Sample::new(NEW_USER_INVITED, "carol@acme.com")
            .effect(EffectKind::MemberAdded {
                group_id: "o".into(),
                member_id: "C".into(),
            })
            .accounts(acme(), owner)
            .build();
        assert!(matches!(
            builtin_groups_untouched(&bad),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn provisioning_off_changes_nothing_at_all() {
        let refused = EffectKind::Refused {
            action: "invite".into(),
            target: Some("c@acme.com".into()),
            reason: Refusal::ProvisioningDisabled,
            detail: "off".into(),
        };
        let good = Sample::new(PROVISIONING_OFF, "carol@acme.com")
            .effect(refused)
            .accounts(acme(), acme())
            .build();
        assert_eq!(provisioning_off_changes_nothing(&good), Verdict::Passed);
        let invited = Sample::new(PROVISIONING_OFF, "carol@acme.com")
            .effect(EffectKind::InviteSent {
                member_id: "C".into(),
                email: "carol@acme.com".into(),
            })
            .accounts(acme(), acme())
            .build();
        assert!(matches!(
            provisioning_off_changes_nothing(&invited),
            Verdict::Failed { .. }
        ));
    }
}
