//! Duplicate-group prevention (docs/okta-wire.md#82-a-group-name-the-app-already-has): when Okta POSTs a
//! group whose name already exists — its lookup missed, it looks nothing up,
//! or it pushes again — the bridge must not create a second group. Judged
//! black-box where the transcript shows the name exists, and on the account.

use scimulate_backend::{Effect, EffectKind};
use serde_json::Value;

use super::account::{describe, effects, snapshots, with_effects};
use super::intended::{GroupPath, Replay, at, display_name};
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::sent::{nothing_sent, okta_exchanges};
use crate::observation::{Observation, body, resource_id, seen, status};
use crate::scenarios::names::{
    PUSH_GROUP, PUSH_GROUP_AFTER_UNLINK, PUSH_GROUP_AGAIN, PUSH_GROUP_AGAIN_NO_LOOKUP,
    PUSH_GROUP_NAME_EXISTS, PUSH_GROUP_NAME_EXISTS_NO_LOOKUP,
};
use crate::verdict::{Evidence, Verdict};

pub(super) const NOT_DUPLICATED: Check = Check {
    def: CheckDef {
        id: "okta.groups.push.existing-name-not-duplicated",
        level: Level::Must,
        title: "a POST /Groups for a name the target already has creates no second group: it \
                answers 409 or the existing group",
        sources: &[
            "docs/okta-wire.md#82-a-group-name-the-app-already-has (duplicate-group prevention must be judged on the bridge)",
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.3 (409 uniqueness when a create conflicts with an existing resource)",
            "docs/1password.md#outcome-15 (repeating the push: still exactly one group)",
        ],
        needs: Needs::Scim,
        hint: "before creating a group, look its displayName up (any case); if a group has it, \
               answer 409 with scimType uniqueness (or return that group) instead of creating one",
    },
    scenarios: &[PUSH_GROUP_AGAIN_NO_LOOKUP],
    requires: Some(Capability::Groups),
    judge: not_duplicated,
};

pub(super) const CONFLICT_IS_UNIQUENESS: Check = Check {
    def: CheckDef {
        id: "okta.groups.push.conflict-is-uniqueness",
        level: Level::Should,
        title: "a POST /Groups refused because the name exists answers 409 with a SCIM error: \
                scimType uniqueness and a detail the Okta admin can act on",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.3 (409 Conflict, scimType uniqueness)",
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.12 (error response: schemas, status, detail)",
            "docs/okta-wire.md#82-a-group-name-the-app-already-has (Okta shows \"Errors reported by remote server: <detail>\", \
             OBS R-SENTRY)",
        ],
        needs: Needs::Scim,
        hint: "refuse with 409, the SCIM Error body, scimType \"uniqueness\" and a detail that \
               says to link the existing group in Okta (Push Groups → Link Group)",
    },
    scenarios: &[PUSH_GROUP_AGAIN_NO_LOOKUP, PUSH_GROUP_NAME_EXISTS_NO_LOOKUP],
    requires: Some(Capability::Groups),
    judge: conflict_is_uniqueness,
};

pub(super) const NO_DUPLICATE_NAMES: Check = Check {
    def: CheckDef {
        id: "1password.groups.push.no-duplicate-names",
        level: Level::Must,
        title: "no group is created (or renamed) under a name another group of the account \
                already has, in any case — built-in and unmanaged groups included",
        sources: &[
            "docs/1password.md#3-groups (duplicate groups; put existing groups in Managed Groups)",
            "docs/1password.md#outcome-15 and 16",
            "docs/okta-wire.md#82-a-group-name-the-app-already-has",
        ],
        needs: Needs::Backend,
        hint: "check the account for the name (any case) before creating a group; 1Password \
               itself allows duplicate names, so only the bridge can stop them",
    },
    scenarios: &[
        PUSH_GROUP_NAME_EXISTS_NO_LOOKUP,
        PUSH_GROUP_NAME_EXISTS,
        PUSH_GROUP_AFTER_UNLINK,
        PUSH_GROUP_AGAIN,
        PUSH_GROUP_AGAIN_NO_LOOKUP,
    ],
    requires: Some(Capability::Groups),
    judge: no_duplicate_names,
};

const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

fn posts(o: &Observation) -> impl Iterator<Item = &scimulate_simulator::Exchange> {
    okta_exchanges(o)
        .filter(|e| e.request.method == "POST" && GroupPath::of(e) == Some(GroupPath::Collection))
}

fn not_duplicated(o: &Observation) -> Verdict {
    let mut judged = 0;
    for exchange in posts(o) {
        let Some(name) = exchange.request.body.as_ref().and_then(display_name) else {
            continue;
        };
        let replay = Replay::until(o, exchange.number);
        let Some(known) = replay.named(&name) else {
            continue;
        };
        judged += 1;
        let created = status(exchange).is_some_and(|s| (200..300).contains(&s));
        let other = resource_id(exchange).is_some_and(|id| id != known.id);
        if created && (other || resource_id(exchange).is_none()) {
            return Verdict::failed(
                Evidence::new(
                    at(exchange),
                    format!(
                        "409 uniqueness, or group {} ({:?}) that already has the name",
                        known.id, known.name
                    ),
                    format!("a new group: {}", seen(exchange)),
                )
                .exchange(exchange.number),
            );
        }
    }
    if judged > 0 {
        return Verdict::Passed;
    }
    Verdict::failed(Evidence::new(
        format!("{PUSH_GROUP}: create group"),
        "Okta POSTs a group name the target already has (pushed earlier in the scenario)",
        "no such POST was sent (did the first push fail?)",
    ))
}

fn conflict_is_uniqueness(o: &Observation) -> Verdict {
    let mut any = false;
    for exchange in posts(o) {
        any = true;
        if status(exchange).is_some_and(|s| (200..300).contains(&s)) {
            continue;
        }
        let answer = body(exchange);
        let text = |key: &str| answer.and_then(|b| b.get(key)).and_then(Value::as_str);
        let urn = answer
            .and_then(|b| b.get("schemas"))
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(ERROR_URN)));
        let fits = status(exchange) == Some(409)
            && urn
            && text("scimType") == Some("uniqueness")
            && text("detail").is_some_and(|d| !d.trim().is_empty());
        if !fits {
            return Verdict::failed(
                Evidence::new(
                    at(exchange),
                    "409 with the SCIM Error body: scimType \"uniqueness\" and a detail",
                    seen(exchange),
                )
                .exchange(exchange.number),
            );
        }
    }
    if any {
        Verdict::Passed
    } else {
        nothing_sent(o, PUSH_GROUP, "create group", "Okta POSTs the group")
    }
}

fn no_duplicate_names(o: &Observation) -> Verdict {
    let (before, _) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    // Live groups: (id, name), as the effects change them.
    let mut live: Vec<(String, String)> = before
        .groups
        .iter()
        .map(|g| (g.id.clone(), g.name.clone()))
        .collect();
    for effect in effects(o) {
        let clash = |id: &str, name: &str, live: &[(String, String)]| {
            live.iter()
                .find(|(other, n)| other != id && n.eq_ignore_ascii_case(name))
                .map(|(other, n)| (other.clone(), n.clone()))
        };
        match &effect.kind {
            EffectKind::GroupCreated { group_id, name } => {
                if let Some(taken) = clash(group_id, name, &live) {
                    return duplicate(o, effect, name, &taken);
                }
                live.push((group_id.clone(), name.clone()));
            }
            EffectKind::GroupRenamed { group_id, to, .. } => {
                if let Some(taken) = clash(group_id, to, &live) {
                    return duplicate(o, effect, to, &taken);
                }
                if let Some(entry) = live.iter_mut().find(|(id, _)| id == group_id) {
                    entry.1.clone_from(to);
                }
            }
            EffectKind::GroupDeleted { group_id, .. } => live.retain(|(id, _)| id != group_id),
            _ => {}
        }
    }
    Verdict::Passed
}

fn duplicate(o: &Observation, effect: &Effect, name: &str, taken: &(String, String)) -> Verdict {
    let evidence = Evidence::new(
        format!("scenario {}", o.scenario),
        format!("no second group named {name:?}"),
        format!(
            "{} while group {} is named {:?}",
            describe(&[effect]),
            taken.0,
            taken.1
        ),
    );
    Verdict::failed(with_effects(evidence, &[effect]))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    fn pushed_twice(status: u16, answer: Value) -> Observation {
        Built::new(PUSH_GROUP_AGAIN_NO_LOOKUP)
            .send(
                "push group Design",
                "create group",
                "POST",
                "/Groups",
                Some(json!({"displayName": "Design"})),
                201,
                Some(Built::group("g1", "Design", &[])),
            )
            .send(
                "push group Design",
                "create group",
                "POST",
                "/Groups",
                Some(json!({"displayName": "Design"})),
                status,
                Some(answer),
            )
            .done()
    }

    #[test]
    fn a_second_group_for_the_name_fails() {
        let refused = pushed_twice(409, Built::error(409, Some("uniqueness"), "exists"));
        assert_eq!(not_duplicated(&refused), Verdict::Passed);
        let adopted = pushed_twice(200, Built::group("g1", "Design", &[]));
        assert_eq!(not_duplicated(&adopted), Verdict::Passed);
        let second = pushed_twice(201, Built::group("g2", "Design", &[]));
        let Verdict::Failed { evidence } = not_duplicated(&second) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, [2]);
        assert!(matches!(
            not_duplicated(&Built::new(PUSH_GROUP_AGAIN_NO_LOOKUP).done()),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn a_refusal_is_409_uniqueness_with_a_detail() {
        let good = pushed_twice(409, Built::error(409, Some("uniqueness"), "exists"));
        assert_eq!(conflict_is_uniqueness(&good), Verdict::Passed);
        let adopted = pushed_twice(200, Built::group("g1", "Design", &[]));
        assert_eq!(conflict_is_uniqueness(&adopted), Verdict::Passed);
        let plain = Built::new(PUSH_GROUP_AGAIN_NO_LOOKUP)
            .send_text(
                "push group Design",
                "create group",
                "POST",
                "/Groups",
                409,
                "Conflict",
            )
            .done();
        for bad in [
            pushed_twice(400, Built::error(400, Some("uniqueness"), "exists")),
            pushed_twice(409, Built::error(409, None, "exists")),
            pushed_twice(409, Built::error(409, Some("uniqueness"), " ")),
            pushed_twice(409, json!("Conflict")),
            plain,
        ] {
            assert!(matches!(
                conflict_is_uniqueness(&bad),
                Verdict::Failed { .. }
            ));
        }
    }

    #[test]
    fn created_names_must_be_free() {
        let before = Built::account(Vec::new(), vec![Built::account_group("g0", "Eng", &[])]);
        let created = |id: &str, name: &str| EffectKind::GroupCreated {
            group_id: id.into(),
            name: name.into(),
        };
        let good = Built::new(PUSH_GROUP_NAME_EXISTS)
            .before(before.clone())
            .effects(vec![created("g1", "Design")])
            .done();
        assert_eq!(no_duplicate_names(&good), Verdict::Passed);
        let bad = Built::new(PUSH_GROUP_NAME_EXISTS)
            .before(before.clone())
            .effects(vec![created("g1", "Design"), created("g2", "ENG")])
            .done();
        let Verdict::Failed { evidence } = no_duplicate_names(&bad) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.effects, [2]);
        let renamed_onto = Built::new(PUSH_GROUP_NAME_EXISTS)
            .before(before)
            .effects(vec![
                created("g1", "Design"),
                EffectKind::GroupRenamed {
                    group_id: "g1".into(),
                    from: "Design".into(),
                    to: "eng".into(),
                },
            ])
            .done();
        assert!(matches!(
            no_duplicate_names(&renamed_onto),
            Verdict::Failed { .. }
        ));
    }
}
