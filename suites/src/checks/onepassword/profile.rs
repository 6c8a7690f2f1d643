//! A member's names and e-mail (docs/1password.md#23-attribute-updates): a profile push
//! changes exactly what Okta changed, a new userName starts 1Password's
//! e-mail change, and a display name alone is split into given and family
//! name.

use std::collections::BTreeMap;

use serde_json::Value;

use scimulate_backend::{Effect, EffectKind};

use crate::checks::failure::{step_of, wrong_answer};
use crate::checks::onepassword::log::{effects, named, provisioned_member, with_effects};
use crate::checks::reading::text;
use crate::observation::{Observation, body, status};
use crate::scenarios::core::{
    DISPLAY_NAME_ONLY, NEW_DISPLAY_NAME, READ_AFTER_DISPLAY_NAME, RULES, SPLIT_FAMILY, SPLIT_GIVEN,
    VERIFY,
};
use crate::scenarios::names::UPDATE_PROFILE;
use crate::verdict::{Evidence, Verdict};

/// The member's fields a User body maps to.
const NAME_FIELDS: [(&str, &str); 3] = [
    ("given_name", "/name/givenName"),
    ("family_name", "/name/familyName"),
    ("display_name", "/displayName"),
];

/// Okta's profile push, what it makes the user, and the user before it:
/// a PUT and the resource fetched just before; or a PATCH (an OIN app set
/// to PATCH, docs/okta-wire.md#4-profile-updates) applied to the user as
/// last answered before it.
fn push(o: &Observation) -> Option<(&scimulate_simulator::Exchange, Value, Value)> {
    let push = o.find(UPDATE_PROFILE, "profile push")?;
    let sent = push.request.body.as_ref()?;
    if push.request.method != "PATCH" {
        let fetched = o
            .find(UPDATE_PROFILE, "fetch before profile push")
            .and_then(body)?;
        return Some((push, sent.clone(), fetched.clone()));
    }
    let id = push.request.path.rsplit('/').next()?;
    let before = o
        .exchanges
        .iter()
        .take_while(|e| e.number < push.number)
        .filter_map(body)
        .filter(|b| b.get("id").and_then(Value::as_str) == Some(id))
        .last()?
        .clone();
    let mut after = before.clone();
    let operations = sent.get("Operations").and_then(Value::as_array)?;
    for value in operations
        .iter()
        .filter(|op| op.get("op").and_then(Value::as_str) == Some("replace"))
        .filter_map(|op| op.get("value").and_then(Value::as_object))
    {
        for (key, new) in value {
            match (after.get_mut(key), new) {
                (Some(Value::Object(old)), Value::Object(parts)) => {
                    old.extend(parts.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                _ => {
                    if let Some(map) = after.as_object_mut() {
                        map.insert(key.clone(), new.clone());
                    }
                }
            }
        }
    }
    Some((push, after, before))
}

/// No push was sent: the evidence is Okta's outcome of the update and the
/// last exchange before it (what Okta concluded from).
fn no_push(o: &Observation) -> Verdict {
    let outcome = o
        .outcome(UPDATE_PROFILE)
        .map_or("no profile update ran".to_string(), |x| {
            format!("Okta's outcome: {:?}", x.result)
        });
    let mut evidence = Evidence::new(
        format!("{UPDATE_PROFILE} {}", o.subject_email),
        "Okta fetches the user and PUTs the changed profile",
        format!("no profile push (GET, then PUT of what it read) in the transcript; {outcome}"),
    );
    if let Some(last) = o.exchanges.last() {
        evidence = evidence.exchange(last.number);
    }
    Verdict::failed(evidence)
}

pub(super) fn update_changes_exactly_mapped(o: &Observation) -> Verdict {
    let Some((put, sent, fetched)) = push(o) else {
        return no_push(o);
    };
    let Some(member) = provisioned_member(o, &o.subject_email) else {
        return no_push(o);
    };
    let expected: BTreeMap<&str, &str> = NAME_FIELDS
        .iter()
        .filter_map(|(field, pointer)| {
            let to = text(&sent, pointer)?;
            (text(&fetched, pointer) != Some(to)).then_some((*field, to))
        })
        .collect();
    let after_create: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| !matches!(e.kind, EffectKind::InviteSent { .. }))
        .collect();
    let exact = match after_create.as_slice() {
        [] => expected.is_empty(),
        [only] => match &only.kind {
            EffectKind::ProfileUpdated { member_id, changes } => {
                *member_id == member
                    && changes.len() == expected.len()
                    && changes.iter().all(|(field, change)| {
                        expected.get(field.as_str()) == Some(&change.to.as_str())
                    })
            }
            _ => false,
        },
        _ => false,
    };
    if exact {
        return Verdict::Passed;
    }
    let mut evidence = with_effects(
        step_of(put),
        format!("one profile_updated for member {member} changing exactly {expected:?}"),
        &after_create,
    );
    evidence = evidence.exchange(put.number);
    Verdict::failed(evidence)
}

pub(super) fn email_change_requested(o: &Observation) -> Verdict {
    let Some((put, sent, fetched)) = push(o) else {
        return no_push(o);
    };
    let Some(member) = provisioned_member(o, &o.subject_email) else {
        return no_push(o);
    };
    let new = text(&sent, "/userName").unwrap_or_default();
    let old = text(&fetched, "/userName").unwrap_or(&o.subject_email);
    let relevant: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| match &e.kind {
            EffectKind::EmailChangeRequested { .. } => true,
            EffectKind::InviteSent { email, .. } | EffectKind::MemberLinked { email, .. } => {
                email.eq_ignore_ascii_case(new)
            }
            EffectKind::Refused { .. } => true,
            _ => false,
        })
        .collect();
    let exact = matches!(relevant.as_slice(), [only] if matches!(
        &only.kind,
        EffectKind::EmailChangeRequested { member_id, from, to }
            if *member_id == member && from.eq_ignore_ascii_case(old) && to.eq_ignore_ascii_case(new)
    ));
    if exact {
        return Verdict::Passed;
    }
    Verdict::failed(
        with_effects(
            step_of(put),
            format!(
                "one email_change_requested for member {member} from {old} to {new}, no invitation"
            ),
            &relevant,
        )
        .exchange(put.number),
    )
}

pub(super) fn email_change_disallowed_keeps_old(o: &Observation) -> Verdict {
    let Some((put, sent, fetched)) = push(o) else {
        return no_push(o);
    };
    let Some(member) = provisioned_member(o, &o.subject_email) else {
        return no_push(o);
    };
    let new = text(&sent, "/userName").unwrap_or_default();
    let old = text(&fetched, "/userName").unwrap_or(&o.subject_email);
    let wrong: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| match &e.kind {
            EffectKind::EmailChangeRequested { .. } | EffectKind::MemberDeleted { .. } => true,
            EffectKind::InviteSent { email, .. } | EffectKind::MemberLinked { email, .. } => {
                email.eq_ignore_ascii_case(new)
            }
            _ => false,
        })
        .collect();
    let kept = o.after.as_ref().is_none_or(|after| {
        after.members.iter().any(|m| {
            m.id == member && m.email.eq_ignore_ascii_case(old) && m.pending_email.is_none()
        })
    });
    if wrong.is_empty() && kept {
        return Verdict::Passed;
    }
    let mut evidence = with_effects(
        step_of(put),
        format!("member {member} still {old}, no change pending, nobody invited at {new}"),
        &wrong,
    );
    if !kept {
        evidence.seen = format!(
            "the member's e-mail changed or is pending; {}",
            evidence.seen
        );
    }
    Verdict::failed(evidence.exchange(put.number))
}

pub(super) fn display_name_splits(o: &Observation) -> Verdict {
    let Some(patch) = o.find(RULES, DISPLAY_NAME_ONLY) else {
        return Verdict::failed(Evidence::new(
            format!("{RULES}: {DISPLAY_NAME_ONLY}"),
            "the display-name PATCH is sent",
            "it was not (the user was never created)",
        ));
    };
    if !matches!(status(patch), Some(200..=299)) {
        return wrong_answer(patch, "200 or 204: PATCH replace displayName accepted");
    }
    let Some(read) = o.find(VERIFY, READ_AFTER_DISPLAY_NAME) else {
        return Verdict::failed(Evidence::new(
            step_of(patch),
            "the user is read back",
            "no read-back was made",
        ));
    };
    let got = body(read).filter(|_| status(read) == Some(200));
    let split = got.is_some_and(|u| {
        text(u, "/displayName") == Some(NEW_DISPLAY_NAME)
            && text(u, "/name/givenName") == Some(SPLIT_GIVEN)
            && text(u, "/name/familyName") == Some(SPLIT_FAMILY)
    });
    if split {
        return Verdict::Passed;
    }
    Verdict::failed(
        Evidence::new(
            step_of(read),
            format!(
                "displayName {NEW_DISPLAY_NAME:?}, name.givenName {SPLIT_GIVEN:?}, \
                 name.familyName {SPLIT_FAMILY:?}"
            ),
            crate::observation::seen(read),
        )
        .exchange(patch.number)
        .exchange(read.number),
    )
}

pub(super) fn display_name_updates_member(o: &Observation) -> Verdict {
    let step = format!("{RULES}: {DISPLAY_NAME_ONLY}");
    let Some(member) = provisioned_member(o, &o.subject_email) else {
        return Verdict::failed(Evidence::new(
            step,
            "the member's names updated",
            "no member was provisioned for this user",
        ));
    };
    let updates: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| {
            matches!(e.kind, EffectKind::ProfileUpdated { .. })
                && named(&e.kind).contains(&member.as_str())
        })
        .collect();
    let split = updates.iter().any(|e| match &e.kind {
        EffectKind::ProfileUpdated { changes, .. } => {
            let to = |field: &str| changes.get(field).map(|c| c.to.as_str());
            to("display_name") == Some(NEW_DISPLAY_NAME)
                && to("family_name") == Some(SPLIT_FAMILY)
                && to("given_name").is_none_or(|g| g == SPLIT_GIVEN)
        }
        _ => false,
    });
    if split {
        Verdict::Passed
    } else {
        Verdict::failed(with_effects(
            step,
            format!(
                "a profile_updated for member {member}: display_name {NEW_DISPLAY_NAME:?}, \
                 family_name {SPLIT_FAMILY:?}, given_name {SPLIT_GIVEN:?}"
            ),
            &updates,
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use scimulate_backend::{Change, MemberKind, MemberState};
    use serde_json::json;

    use super::*;
    use crate::checks::users::sample::{Sample, account, member};
    use crate::scenarios::core::NAME;
    use crate::scenarios::names::{EMAIL_CHANGE, EMAIL_CHANGE_NOT_ALLOWED, PROFILE_UPDATE};

    fn changes(pairs: &[(&str, &str, &str)]) -> BTreeMap<String, Change> {
        pairs
            .iter()
            .map(|(f, from, to)| {
                (
                    f.to_string(),
                    Change {
                        from: from.to_string(),
                        to: to.to_string(),
                    },
                )
            })
            .collect()
    }

    fn pushed(scenario: &str, sent_user_name: &str, sent_given: &str) -> Sample {
        let fetched = json!({"id": "C", "userName": "carol@acme.com", "name": {"givenName": "Carol", "familyName": "Clark"}, "displayName": "Carol Clark"});
        let mut sent = fetched.clone();
        sent["userName"] = json!(sent_user_name);
        sent["name"]["givenName"] = json!(sent_given);
        Sample::new(scenario, "carol@acme.com")
            .json(
                (
                    "update profile of carol@acme.com",
                    "fetch before profile push",
                ),
                ("GET", "/Users/C"),
                None,
                200,
                fetched,
            )
            .json(
                ("update profile of carol@acme.com", "profile push"),
                ("PUT", "/Users/C"),
                Some(sent.clone()),
                200,
                sent,
            )
            .effect(EffectKind::InviteSent {
                member_id: "C".into(),
                email: "carol@acme.com".into(),
            })
    }

    #[test]
    fn a_profile_push_changes_exactly_the_pushed_names() {
        let good = pushed(PROFILE_UPDATE, "carol@acme.com", "Caroline")
            .effect(EffectKind::ProfileUpdated {
                member_id: "C".into(),
                changes: changes(&[("given_name", "Carol", "Caroline")]),
            })
            .build();
        assert_eq!(update_changes_exactly_mapped(&good), Verdict::Passed);
        let too_much = pushed(PROFILE_UPDATE, "carol@acme.com", "Caroline")
            .effect(EffectKind::ProfileUpdated {
                member_id: "C".into(),
                changes: changes(&[("given_name", "Carol", "Caroline")]),
            })
            .effect(EffectKind::Suspended {
                member_id: "C".into(),
            })
            .build();
        let Verdict::Failed { evidence } = update_changes_exactly_mapped(&too_much) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.effects, vec![2, 3]);
        assert_eq!(evidence.exchanges, vec![2]);
    }

    #[test]
    fn a_new_user_name_starts_an_email_change() {
        let good = pushed(EMAIL_CHANGE, "carol@acme.io", "Carol")
            .effect(EffectKind::EmailChangeRequested {
                member_id: "C".into(),
                from: "carol@acme.com".into(),
                to: "carol@acme.io".into(),
            })
            .build();
        assert_eq!(email_change_requested(&good), Verdict::Passed);
        let ignored = pushed(EMAIL_CHANGE, "carol@acme.io", "Carol").build();
        assert!(matches!(
            email_change_requested(&ignored),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn a_disallowed_email_keeps_the_old_one() {
        let carol = |pending: Option<&str>| {
            let mut m = member(
                "C",
                "carol@acme.com",
                MemberState::Invited,
                MemberKind::Member,
            );
            m.pending_email = pending.map(str::to_string);
            account(vec![m], vec![])
        };
        let good = pushed(EMAIL_CHANGE_NOT_ALLOWED, "carol@contoso.com", "Carol")
            .accounts(account(vec![], vec![]), carol(None))
            .build();
        assert_eq!(email_change_disallowed_keeps_old(&good), Verdict::Passed);
        let changed = pushed(EMAIL_CHANGE_NOT_ALLOWED, "carol@contoso.com", "Carol")
            .effect(EffectKind::EmailChangeRequested {
                member_id: "C".into(),
                from: "carol@acme.com".into(),
                to: "carol@contoso.com".into(),
            })
            .accounts(account(vec![], vec![]), carol(Some("carol@contoso.com")))
            .build();
        assert!(matches!(
            email_change_disallowed_keeps_old(&changed),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn a_display_name_alone_is_split() {
        let user = |family: &str| json!({"id": "A", "displayName": NEW_DISPLAY_NAME, "name": {"givenName": SPLIT_GIVEN, "familyName": family}});
        let run = |family: &str, changes_made: BTreeMap<String, Change>| {
            Sample::new(NAME, "ada@acme.com")
                .json(
                    (RULES, DISPLAY_NAME_ONLY),
                    ("PATCH", "/Users/A"),
                    None,
                    200,
                    user(family),
                )
                .json(
                    (VERIFY, READ_AFTER_DISPLAY_NAME),
                    ("GET", "/Users/A"),
                    None,
                    200,
                    user(family),
                )
                .effect(EffectKind::InviteSent {
                    member_id: "A".into(),
                    email: "ada@acme.com".into(),
                })
                .effect(EffectKind::ProfileUpdated {
                    member_id: "A".into(),
                    changes: changes_made,
                })
                .build()
        };
        let good = run(
            SPLIT_FAMILY,
            changes(&[
                ("display_name", "Ada Lovelace", NEW_DISPLAY_NAME),
                ("family_name", "Lovelace", SPLIT_FAMILY),
            ]),
        );
        assert_eq!(display_name_splits(&good), Verdict::Passed);
        assert_eq!(display_name_updates_member(&good), Verdict::Passed);
        let unsplit = run(
            "Lovelace",
            changes(&[("display_name", "Ada Lovelace", NEW_DISPLAY_NAME)]),
        );
        assert!(matches!(
            display_name_splits(&unsplit),
            Verdict::Failed { .. }
        ));
        assert!(matches!(
            display_name_updates_member(&unsplit),
            Verdict::Failed { .. }
        ));
    }
}
