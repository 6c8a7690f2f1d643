//! The account's effect log, read for evidence: what a check quotes and the
//! members an effect names.

use scimulate_backend::{Effect, EffectKind};

use crate::observation::Observation;
use crate::verdict::Evidence;

/// The effect log (empty when not observable; such checks are skipped).
pub(super) fn effects(o: &Observation) -> &[Effect] {
    o.effects.as_deref().unwrap_or_default()
}

/// `effect #3: {"kind":"suspended",…}; …`, for evidence.
pub(super) fn describe(effects: &[&Effect]) -> String {
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

/// Evidence quoting `effects`, their sequence numbers attached.
pub(super) fn with_effects(
    step: impl Into<String>,
    expected: impl Into<String>,
    effects: &[&Effect],
) -> Evidence {
    let mut evidence = Evidence::new(step, expected, describe(effects));
    for e in effects {
        evidence = evidence.effect(e.seq);
    }
    evidence
}

/// The member ids, group ids and e-mails an effect names.
pub(super) fn named(kind: &EffectKind) -> Vec<&str> {
    match kind {
        EffectKind::InviteSent { member_id, email }
        | EffectKind::MemberLinked { member_id, email }
        | EffectKind::MemberDeleted { member_id, email } => vec![member_id, email],
        EffectKind::InviteAccepted { member_id }
        | EffectKind::Suspended { member_id }
        | EffectKind::Reactivated { member_id }
        | EffectKind::ProfileUpdated { member_id, .. } => vec![member_id],
        EffectKind::EmailChangeRequested {
            member_id,
            from,
            to,
        } => vec![member_id, from, to],
        EffectKind::GroupCreated { group_id, name }
        | EffectKind::GroupDeleted { group_id, name } => {
            vec![group_id, name]
        }
        EffectKind::GroupRenamed { group_id, from, to } => vec![group_id, from, to],
        EffectKind::MemberAdded {
            group_id,
            member_id,
        }
        | EffectKind::MemberRemoved {
            group_id,
            member_id,
        } => vec![group_id, member_id],
        EffectKind::Refused { target, .. } => target.iter().map(String::as_str).collect(),
    }
}

/// The member provisioned (invited or linked) for `email`, by the log.
pub(super) fn provisioned_member(o: &Observation, email: &str) -> Option<String> {
    effects(o).iter().find_map(|e| match &e.kind {
        EffectKind::InviteSent {
            member_id,
            email: sent,
        }
        | EffectKind::MemberLinked {
            member_id,
            email: sent,
        } if sent.eq_ignore_ascii_case(email) => Some(member_id.clone()),
        _ => None,
    })
}
