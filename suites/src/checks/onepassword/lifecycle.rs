//! Deprovisioning is suspension, never deletion (docs/1password.md
//! §2.4-2.5); reactivation brings the same member back.

use scimulate_backend::{Effect, EffectKind};

use crate::checks::onepassword::log::{effects, named, provisioned_member, with_effects};
use crate::observation::Observation;
use crate::verdict::{Evidence, Verdict};

/// The verdict when no member was ever provisioned for the subject.
fn never_provisioned(step: String, expected: &str) -> Verdict {
    Verdict::failed(Evidence::new(
        step,
        expected,
        "no member was provisioned for this user",
    ))
}

pub(super) fn suspends_not_deletes(o: &Observation) -> Verdict {
    let step = format!("deactivate {}", o.subject_email);
    let Some(member) = provisioned_member(o, &o.subject_email) else {
        return never_provisioned(step, "the member provisioned for this user is suspended");
    };
    let about: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EffectKind::Suspended { .. }
                    | EffectKind::MemberDeleted { .. }
                    | EffectKind::Reactivated { .. }
            ) && named(&e.kind).contains(&member.as_str())
        })
        .collect();
    let suspended = about
        .iter()
        .any(|e| matches!(e.kind, EffectKind::Suspended { .. }));
    let deleted = about
        .iter()
        .any(|e| matches!(e.kind, EffectKind::MemberDeleted { .. }));
    if suspended && !deleted {
        return Verdict::Passed;
    }
    Verdict::failed(with_effects(
        step,
        format!("member {member} suspended, not deleted"),
        &about,
    ))
}

pub(super) fn reactivate_restores(o: &Observation) -> Verdict {
    let step = format!("reactivate {}", o.subject_email);
    let Some(member) = provisioned_member(o, &o.subject_email) else {
        return never_provisioned(step, "the member provisioned for this user is reactivated");
    };
    let about: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| match &e.kind {
            EffectKind::InviteSent { email, .. } => email.eq_ignore_ascii_case(&o.subject_email),
            kind => named(kind).contains(&member.as_str()),
        })
        .collect();
    let seq_of = |pick: fn(&EffectKind) -> bool| {
        about
            .iter()
            .filter(|e| pick(&e.kind))
            .map(|e| e.seq)
            .collect::<Vec<_>>()
    };
    let suspended = seq_of(|k| matches!(k, EffectKind::Suspended { .. }));
    let reactivated = seq_of(|k| matches!(k, EffectKind::Reactivated { .. }));
    let invites = seq_of(|k| matches!(k, EffectKind::InviteSent { .. }));
    let deleted = seq_of(|k| matches!(k, EffectKind::MemberDeleted { .. }));
    let back = suspended
        .first()
        .is_some_and(|s| reactivated.iter().any(|r| r > s));
    let active_now = o.after.as_ref().is_none_or(|after| {
        after
            .members
            .iter()
            .any(|m| m.id == member && m.state.is_active())
    });
    if back && active_now && invites.len() == 1 && deleted.is_empty() {
        return Verdict::Passed;
    }
    Verdict::failed(with_effects(
        step,
        format!(
            "member {member} suspended then reactivated (active again), one invitation in all, \
             nothing deleted"
        ),
        &about,
    ))
}

#[cfg(test)]
mod tests {
    use scimulate_backend::{MemberKind, MemberState};

    use super::*;
    use crate::checks::users::sample::{Sample, account, member};
    use crate::scenarios::names::REACTIVATE;

    fn run(reactivated: bool) -> Observation {
        let state = if reactivated {
            MemberState::Invited
        } else {
            MemberState::InviteSuspended
        };
        let mut sample = Sample::new(REACTIVATE, "carol@acme.com")
            .effect(EffectKind::InviteSent {
                member_id: "C".into(),
                email: "carol@acme.com".into(),
            })
            .effect(EffectKind::Suspended {
                member_id: "C".into(),
            });
        if reactivated {
            sample = sample.effect(EffectKind::Reactivated {
                member_id: "C".into(),
            });
        }
        sample
            .accounts(
                account(vec![], vec![]),
                account(
                    vec![member("C", "carol@acme.com", state, MemberKind::Member)],
                    vec![],
                ),
            )
            .build()
    }

    #[test]
    fn reactivation_must_reach_the_member() {
        assert_eq!(reactivate_restores(&run(true)), Verdict::Passed);
        let Verdict::Failed { evidence } = reactivate_restores(&run(false)) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.effects, vec![1, 2]);
    }

    #[test]
    fn deletion_fails_suspension() {
        assert_eq!(suspends_not_deletes(&run(false)), Verdict::Passed);
        let deleted = Sample::new(REACTIVATE, "carol@acme.com")
            .effect(EffectKind::InviteSent {
                member_id: "C".into(),
                email: "carol@acme.com".into(),
            })
            .effect(EffectKind::MemberDeleted {
                member_id: "C".into(),
                email: "carol@acme.com".into(),
            })
            .build();
        assert!(matches!(
            suspends_not_deletes(&deleted),
            Verdict::Failed { .. }
        ));
    }
}
