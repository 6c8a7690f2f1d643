//! 1Password's rules, judged on the account's effect log.

use scimulate_backend::{Effect, EffectKind};

use scimulate_bridge::Fault;

use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::observation::Observation;
use crate::scenarios::core::NAME;
use crate::verdict::{Evidence, Verdict};

pub const CHECKS: &[Check] = &[
    Check {
        def: CheckDef {
            id: "1password.users.create.invites-once",
            level: Level::Must,
            title: "assigning a new person sends exactly one provisioning invitation, and nothing is refused",
            sources: &[
                "1password-bridge.md §2.1 (create user → invitation)",
                "1password-bridge.md, outcome 1",
            ],
            needs: Needs::Backend,
            hint: "on POST /Users for an e-mail the account does not know, invite once; \
                   never retry an invitation the account refused",
        },
        scenarios: &[NAME],
        requires: None,
        judge: invites_once,
    },
    Check {
        def: CheckDef {
            id: "1password.users.deactivate.suspends-not-deletes",
            level: Level::Must,
            title: "deactivating a user suspends the member and never deletes them",
            sources: &[
                "1password-bridge.md §2.4 (deactivate → suspend)",
                "1password-bridge.md §2.5 (deprovisioning is suspension)",
            ],
            needs: Needs::Backend,
            hint: "map active=false to suspend; never delete the member",
        },
        scenarios: &[NAME],
        requires: None,
        judge: suspends_not_deletes,
    },
];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[
    (
        Fault::DeleteInsteadOfSuspend,
        &["1password.users.deactivate.suspends-not-deletes"],
    ),
    (
        Fault::IgnoreDeactivate,
        &["1password.users.deactivate.suspends-not-deletes"],
    ),
];

/// Checks here no fault of the reference bridge can turn red, and why.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[(
    "1password.users.create.invites-once",
    "the account refuses a second invitation itself; a bridge that retried one would show a refused effect (unit-tested)",
)];

fn effects(o: &Observation) -> &[Effect] {
    o.effects.as_deref().unwrap_or_default()
}

fn describe(effects: &[&Effect]) -> String {
    if effects.is_empty() {
        return "no effect".into();
    }
    effects
        .iter()
        .map(|e| match serde_json::to_value(&e.kind) {
            Ok(v) => format!("effect #{}: {}", e.seq, v),
            Err(_) => format!("effect #{}", e.seq),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn invites_once(o: &Observation) -> Verdict {
    let step = format!("assign {}", o.subject_email);
    let email = o.subject_email.to_ascii_lowercase();
    let relevant: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| match &e.kind {
            EffectKind::InviteSent { email: sent, .. } => sent.to_ascii_lowercase() == email,
            EffectKind::Refused { .. } => true,
            _ => false,
        })
        .collect();
    let invites = relevant
        .iter()
        .filter(|e| matches!(e.kind, EffectKind::InviteSent { .. }))
        .count();
    if invites == 1 && relevant.len() == 1 {
        return Verdict::Passed;
    }
    let mut evidence = Evidence::new(
        step,
        format!("exactly one invite_sent for {email} and no refused effect"),
        describe(&relevant),
    );
    for e in &relevant {
        evidence = evidence.effect(e.seq);
    }
    Verdict::failed(evidence)
}

fn suspends_not_deletes(o: &Observation) -> Verdict {
    let step = format!("deactivate {}", o.subject_email);
    let email = o.subject_email.to_ascii_lowercase();
    let all = effects(o);
    let member = all.iter().find_map(|e| match &e.kind {
        EffectKind::InviteSent {
            member_id,
            email: sent,
        }
        | EffectKind::MemberLinked {
            member_id,
            email: sent,
        } if sent.to_ascii_lowercase() == email => Some(member_id.clone()),
        _ => None,
    });
    let Some(member) = member else {
        return Verdict::failed(Evidence::new(
            step,
            "the member provisioned for this user is suspended",
            "no member was provisioned for this user, so none could be suspended",
        ));
    };
    let about: Vec<&Effect> = all
        .iter()
        .filter(|e| match &e.kind {
            EffectKind::Suspended { member_id }
            | EffectKind::MemberDeleted { member_id, .. }
            | EffectKind::Reactivated { member_id } => *member_id == member,
            _ => false,
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
    let mut evidence = Evidence::new(
        step,
        format!("member {member} suspended, not deleted"),
        describe(&about),
    );
    for e in &about {
        evidence = evidence.effect(e.seq);
    }
    Verdict::failed(evidence)
}
