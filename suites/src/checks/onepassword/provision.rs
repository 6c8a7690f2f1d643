//! Provisioning a person (docs/1password.md#21-create-user--invitation): a new e-mail is
//! invited exactly once, an existing member is linked by e-mail (any case)
//! and keeps their groups, a different e-mail is a different person, and a
//! refused domain invites nobody.

use std::collections::BTreeSet;

use scimulate_backend::{AccountSnapshot, Effect, EffectKind, Refusal};

use crate::checks::onepassword::log::{describe, effects, named, with_effects};
use crate::observation::Observation;
use crate::verdict::{Evidence, Verdict};

fn step(o: &Observation) -> String {
    format!("assign {}", o.subject_email)
}

pub(super) fn invites_once(o: &Observation) -> Verdict {
    let email = &o.subject_email;
    let relevant: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| match &e.kind {
            EffectKind::InviteSent { email: sent, .. } => sent.eq_ignore_ascii_case(email),
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
    Verdict::failed(with_effects(
        step(o),
        format!(
            "exactly one invite_sent for {} and no refused effect",
            email.to_ascii_lowercase()
        ),
        &relevant,
    ))
}

/// Every address the account holds (e-mails and pending e-mails), lower-case.
fn addresses(account: &AccountSnapshot) -> Vec<(String, &str)> {
    account
        .members
        .iter()
        .flat_map(|m| {
            std::iter::once(m.email.as_str())
                .chain(m.pending_email.as_deref())
                .map(|a| (a.to_ascii_lowercase(), m.id.as_str()))
        })
        .collect()
}

pub(super) fn never_invites_existing(o: &Observation) -> Verdict {
    let mut known: BTreeSet<String> = o
        .before
        .as_ref()
        .map(|b| addresses(b).into_iter().map(|(a, _)| a).collect())
        .unwrap_or_default();
    let mut wrong: Vec<&Effect> = Vec::new();
    for effect in effects(o) {
        match &effect.kind {
            EffectKind::Refused {
                action,
                reason: Refusal::EmailTaken | Refusal::Guest,
                ..
            } if action == "invite" => wrong.push(effect),
            EffectKind::InviteSent { email, .. } if !known.insert(email.to_ascii_lowercase()) => {
                wrong.push(effect)
            }
            EffectKind::EmailChangeRequested { to, .. } => {
                known.insert(to.to_ascii_lowercase());
            }
            _ => {}
        }
    }
    if !wrong.is_empty() {
        return Verdict::failed(with_effects(
            step(o),
            "no invitation asked for an e-mail the account already holds (the member is \
             linked, or the create refused with 409)",
            &wrong,
        ));
    }
    if let Some(after) = &o.after {
        let mut seen: Vec<(String, &str)> = Vec::new();
        for (address, id) in addresses(after) {
            if let Some((_, other)) = seen.iter().find(|(a, other)| *a == address && *other != id) {
                return Verdict::failed(Evidence::new(
                    step(o),
                    "one member per e-mail address",
                    format!("members {other} and {id} both hold {address}"),
                ));
            }
            seen.push((address, id));
        }
    }
    Verdict::Passed
}

pub(super) fn links_existing(o: &Observation) -> Verdict {
    let email = &o.subject_email;
    let Some(member) = o.before.as_ref().and_then(|b| {
        b.members
            .iter()
            .find(|m| m.email.eq_ignore_ascii_case(email))
    }) else {
        return Verdict::failed(Evidence::new(
            step(o),
            format!("the account holds a member with {email} before the run"),
            "it holds none (or its snapshot was not observable)",
        ));
    };
    let relevant: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EffectKind::MemberLinked { .. }
                    | EffectKind::InviteSent { .. }
                    | EffectKind::Refused { .. }
                    | EffectKind::MemberDeleted { .. }
                    | EffectKind::Suspended { .. }
            )
        })
        .collect();
    let linked = |e: &&Effect| matches!(&e.kind, EffectKind::MemberLinked { member_id, .. } if *member_id == member.id);
    if relevant.len() == 1 && relevant.iter().all(linked) {
        return Verdict::Passed;
    }
    Verdict::failed(with_effects(
        step(o),
        format!(
            "one member_linked for member {} ({}), and no invitation, refusal, suspension or deletion",
            member.id, member.email
        ),
        &relevant,
    ))
}

/// The names of the groups `member` is in.
fn groups_of<'a>(account: &'a AccountSnapshot, member: &str) -> BTreeSet<&'a str> {
    account
        .groups
        .iter()
        .filter(|g| g.members.iter().any(|m| m == member))
        .map(|g| g.name.as_str())
        .collect()
}

pub(super) fn memberships_kept(o: &Observation) -> Verdict {
    let (Some(before), Some(after)) = (&o.before, &o.after) else {
        return Verdict::Skipped {
            reason: "the account's snapshots were not observable".into(),
        };
    };
    for member in before.members.iter() {
        let was = groups_of(before, &member.id);
        let is = groups_of(after, &member.id);
        if was != is {
            let about: Vec<&Effect> = effects(o)
                .iter()
                .filter(|e| named(&e.kind).contains(&member.id.as_str()))
                .collect();
            let mut evidence = Evidence::new(
                step(o),
                format!("{} still in exactly {was:?}", member.email),
                format!("in {is:?}; {}", describe(&about)),
            );
            for e in about {
                evidence = evidence.effect(e.seq);
            }
            return Verdict::failed(evidence);
        }
    }
    Verdict::Passed
}

pub(super) fn email_differs_new_member(o: &Observation) -> Verdict {
    let (Some(before), Some(after)) = (&o.before, &o.after) else {
        return Verdict::Skipped {
            reason: "the account's snapshots were not observable".into(),
        };
    };
    let email = &o.subject_email;
    let invites: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| matches!(&e.kind, EffectKind::InviteSent { email: sent, .. } if sent.eq_ignore_ascii_case(email)))
        .collect();
    let touched: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| {
            let names = named(&e.kind);
            before
                .members
                .iter()
                .any(|m| names.contains(&m.id.as_str()))
        })
        .collect();
    if invites.len() != 1 || !touched.is_empty() {
        let all: Vec<&Effect> = invites.iter().chain(&touched).copied().collect();
        return Verdict::failed(with_effects(
            step(o),
            format!("one invite_sent for {email} and no effect on any existing member"),
            &all,
        ));
    }
    for member in before.members.iter() {
        let now = after.members.iter().find(|m| m.id == member.id);
        if now != Some(member) {
            return Verdict::failed(Evidence::new(
                step(o),
                format!("existing member {} exactly as before", member.email),
                match now {
                    Some(now) => format!("now {now:?}"),
                    None => "gone from the account".into(),
                },
            ));
        }
    }
    Verdict::Passed
}

pub(super) fn domain_refused_no_invite(o: &Observation) -> Verdict {
    let provisioned: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EffectKind::InviteSent { .. } | EffectKind::MemberLinked { .. }
            )
        })
        .collect();
    if !provisioned.is_empty() {
        return Verdict::failed(with_effects(
            step(o),
            "no invitation and no link: the domain is refused",
            &provisioned,
        ));
    }
    if let (Some(before), Some(after)) = (&o.before, &o.after)
        && after.members.len() != before.members.len()
    {
        return Verdict::failed(Evidence::new(
            step(o),
            format!("still {} member(s)", before.members.len()),
            format!("{} member(s)", after.members.len()),
        ));
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use scimulate_backend::{MemberKind, MemberState};

    use super::*;
    use crate::checks::users::sample::{Sample, account, group, member};
    use crate::scenarios::core::NAME;
    use crate::scenarios::names::{DOMAIN_NOT_ALLOWED, EMAIL_DIFFERS, EXISTING_MEMBER_LINKED};

    fn bob() -> scimulate_backend::Member {
        member("B", "bob@acme.com", MemberState::Active, MemberKind::Member)
    }

    fn acme() -> AccountSnapshot {
        account(vec![bob()], vec![group("g", "Engineering", None, &["B"])])
    }

    fn linked(scenario: &str, kind: EffectKind, after: AccountSnapshot) -> Observation {
        Sample::new(scenario, "bob@acme.com")
            .effect(kind)
            .accounts(acme(), after)
            .build()
    }

    #[test]
    fn a_second_invitation_fails() {
        let o = Sample::new(NAME, "ada@acme.com")
            .effect(EffectKind::InviteSent {
                member_id: "A".into(),
                email: "ada@acme.com".into(),
            })
            .build();
        assert_eq!(invites_once(&o), Verdict::Passed);
        assert_eq!(never_invites_existing(&o), Verdict::Passed);
        let twice = Sample::new(NAME, "ada@acme.com")
            .effect(EffectKind::InviteSent {
                member_id: "A".into(),
                email: "ada@acme.com".into(),
            })
            .effect(EffectKind::Refused {
                action: "invite".into(),
                target: Some("ada@acme.com".into()),
                reason: Refusal::EmailTaken,
                detail: "taken".into(),
            })
            .build();
        assert!(matches!(invites_once(&twice), Verdict::Failed { .. }));
        let Verdict::Failed { evidence } = never_invites_existing(&twice) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.effects, vec![2]);
    }

    #[test]
    fn the_existing_member_must_be_linked() {
        let good = linked(
            EXISTING_MEMBER_LINKED,
            EffectKind::MemberLinked {
                member_id: "B".into(),
                email: "bob@acme.com".into(),
            },
            acme(),
        );
        assert_eq!(links_existing(&good), Verdict::Passed);
        assert_eq!(memberships_kept(&good), Verdict::Passed);
        let invited = linked(
            EXISTING_MEMBER_LINKED,
            EffectKind::InviteSent {
                member_id: "N".into(),
                email: "bob@acme.com".into(),
            },
            acme(),
        );
        assert!(matches!(links_existing(&invited), Verdict::Failed { .. }));
        assert!(matches!(
            never_invites_existing(&invited),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn a_lost_membership_fails() {
        let after = account(vec![bob()], vec![group("g", "Engineering", None, &[])]);
        let o = linked(
            EXISTING_MEMBER_LINKED,
            EffectKind::MemberRemoved {
                group_id: "g".into(),
                member_id: "B".into(),
            },
            after,
        );
        let Verdict::Failed { evidence } = memberships_kept(&o) else {
            panic!("expected a failure");
        };
        assert!(
            evidence.expected.contains("Engineering"),
            "{}",
            evidence.expected
        );
        assert_eq!(evidence.effects, vec![1]);
    }

    #[test]
    fn a_differing_email_is_a_new_person() {
        let mut with_new = acme();
        std::sync::Arc::make_mut(&mut with_new.members).push(member(
            "N",
            "bob@acme.io",
            MemberState::Invited,
            MemberKind::Member,
        ));
        let good = Sample::new(EMAIL_DIFFERS, "bob@acme.io")
            .effect(EffectKind::InviteSent {
                member_id: "N".into(),
                email: "bob@acme.io".into(),
            })
            .accounts(acme(), with_new)
            .build();
        assert_eq!(email_differs_new_member(&good), Verdict::Passed);
        let mut renamed = bob();
        renamed.pending_email = Some("bob@acme.io".into());
        let taken_over = Sample::new(EMAIL_DIFFERS, "bob@acme.io")
            .effect(EffectKind::EmailChangeRequested {
                member_id: "B".into(),
                from: "bob@acme.com".into(),
                to: "bob@acme.io".into(),
            })
            .accounts(acme(), account(vec![renamed], vec![]))
            .build();
        assert!(matches!(
            email_differs_new_member(&taken_over),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn a_refused_domain_invites_nobody() {
        let refused = Sample::new(DOMAIN_NOT_ALLOWED, "dana@contoso.com")
            .effect(EffectKind::Refused {
                action: "invite".into(),
                target: Some("dana@contoso.com".into()),
                reason: Refusal::DomainNotAllowed,
                detail: "not allowed".into(),
            })
            .accounts(acme(), acme())
            .build();
        assert_eq!(domain_refused_no_invite(&refused), Verdict::Passed);
        let mut grown = acme();
        std::sync::Arc::make_mut(&mut grown.members).push(member(
            "D",
            "dana@contoso.com",
            MemberState::Invited,
            MemberKind::Member,
        ));
        let invited = Sample::new(DOMAIN_NOT_ALLOWED, "dana@contoso.com")
            .effect(EffectKind::InviteSent {
                member_id: "D".into(),
                email: "dana@contoso.com".into(),
            })
            .accounts(acme(), grown)
            .build();
        assert!(matches!(
            domain_refused_no_invite(&invited),
            Verdict::Failed { .. }
        ));
    }
}
