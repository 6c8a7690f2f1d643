//! Push Groups → Create Group (docs/okta-wire.md#81-pushing-a-new-group): the create, the name
//! PATCH Okta sends right after it, Okta's verdict on its own group tasks,
//! and, in the account, exactly one group per pushed name (docs/1password.md
//! outcome 15).

use scimulate_backend::{Effect, EffectKind};
use serde_json::Value;

use super::account::{describe, effects, snapshots, with_effects};
use super::intended::{GroupPath, at, display_name};
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::sent::{nothing_sent, okta_exchanges};
use crate::observation::{Observation, body, resource_id, seen, status};
use crate::scenarios::names::{
    GROUP_MEMBERSHIP, GROUP_RELINK_AFTER_LEAVE, GROUP_RENAME, GROUP_UNLINK_DELETE,
    LINK_EXISTING_GROUP, PUSH_GROUP, PUSH_GROUP_AGAIN, PUSH_GROUP_AGAIN_NO_LOOKUP, PUSH_GROUP_NEW,
    PUSH_PAUSED, PUSH_PAUSED_MEMBER_REMOVED,
};
use crate::verdict::{Evidence, Verdict};

pub(super) const CREATE_201: Check = Check {
    def: CheckDef {
        id: "okta.groups.push.create-returns-201",
        level: Level::Must,
        title: "Okta's POST /Groups for a new group answers 201 Created with the group: a \
                non-empty id and the displayName sent",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.3 (201 Created, the created resource in the body)",
            "docs/okta-wire.md#81-pushing-a-new-group step 2 (expected 201 with id, displayName, members)",
        ],
        needs: Needs::Scim,
        hint: "answer a group create with 201 and the created group, including its id and \
               the displayName as sent",
    },
    scenarios: &[PUSH_GROUP_NEW, GROUP_MEMBERSHIP, PUSH_PAUSED],
    requires: Some(Capability::Groups),
    judge: create_201,
};

pub(super) const NAME_UPDATE: Check = Check {
    def: CheckDef {
        id: "okta.groups.push.name-update-accepted",
        level: Level::Must,
        title: "the name update Okta sends right after creating a group (OIN: a path-less PATCH \
                replace {id, displayName}; AIW: a PUT) answers 200 or 204 for the same group",
        sources: &[
            "docs/okta-wire.md#81-pushing-a-new-group step 3 (a 400 here marked the whole push Error, OBS R-MTV113)",
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.3 (replace without path: the value is a set of attributes)",
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.1 (PUT)",
        ],
        needs: Needs::Scim,
        hint: "accept a PATCH replace without a path whose value is {id, displayName}; take the \
               id from the URL and answer 200 with the group (or 204)",
    },
    scenarios: &[PUSH_GROUP_NEW, GROUP_MEMBERSHIP],
    requires: Some(Capability::Groups),
    judge: name_update,
};

pub(super) const TASKS_SUCCEED: Check = Check {
    def: CheckDef {
        id: "okta.groups.push.tasks-succeed",
        level: Level::Must,
        title: "every group task Okta runs (push, link, membership change, rename, Push Now, \
                unlink) ends without error: no push is left in Error",
        sources: &[
            "docs/okta-wire.md#81-pushing-a-new-group (call sequence; a failed step marks the push Error)",
            "docs/okta-wire.md#84-membership-changes (expected 200, members may be null, or 204)",
            "docs/okta-wire.md#10-errors-retries-timeouts (failed tasks need the admin)",
        ],
        needs: Needs::Scim,
        hint: "answer each request of Okta's group call sequences with 2xx and a JSON body Okta \
               can read; the failure names the request that broke it",
    },
    scenarios: &[
        PUSH_GROUP_NEW,
        GROUP_MEMBERSHIP,
        GROUP_RENAME,
        GROUP_UNLINK_DELETE,
        PUSH_PAUSED,
        PUSH_PAUSED_MEMBER_REMOVED,
        PUSH_GROUP_AGAIN,
        LINK_EXISTING_GROUP,
        GROUP_RELINK_AFTER_LEAVE,
    ],
    requires: Some(Capability::Groups),
    judge: tasks_succeed,
};

pub(super) const CREATES_ONE_GROUP: Check = Check {
    def: CheckDef {
        id: "1password.groups.push.creates-one-group",
        level: Level::Must,
        title: "each pushed group name ends as exactly one group in the account, created once",
        sources: &[
            "docs/1password.md#outcome-15 (one backend group; repeating the push: still one)",
            "docs/okta-wire.md#82-a-group-name-the-app-already-has (duplicate-group prevention is the bridge's job)",
        ],
        needs: Needs::Backend,
        hint: "create a 1Password group only for a name no group has; a POST for a name that \
               exists answers 409 uniqueness (or adopts that group)",
    },
    scenarios: &[
        PUSH_GROUP_NEW,
        GROUP_MEMBERSHIP,
        PUSH_PAUSED,
        PUSH_GROUP_AGAIN,
        PUSH_GROUP_AGAIN_NO_LOOKUP,
    ],
    requires: Some(Capability::Groups),
    judge: creates_one_group,
};

const CREATE_STEP: &str = "create group";

fn create_201(o: &Observation) -> Verdict {
    let Some(exchange) = o.find(PUSH_GROUP, CREATE_STEP) else {
        return nothing_sent(o, PUSH_GROUP, CREATE_STEP, "Okta POSTs the new group");
    };
    let sent = exchange.request.body.as_ref().and_then(display_name);
    let got = body(exchange).and_then(display_name);
    let ok = status(exchange) == Some(201) && resource_id(exchange).is_some() && got == sent;
    if ok {
        return Verdict::Passed;
    }
    Verdict::failed(
        Evidence::new(
            at(exchange),
            format!(
                "201 with a non-empty id and displayName {:?}",
                sent.unwrap_or_default()
            ),
            seen(exchange),
        )
        .exchange(exchange.number),
    )
}

fn name_update(o: &Observation) -> Verdict {
    let steps = ["update group name", "put group"];
    let updates: Vec<_> = okta_exchanges(o)
        .filter(|e| e.action.starts_with(PUSH_GROUP) && steps.contains(&e.step.as_str()))
        .collect();
    if updates.is_empty() {
        return nothing_sent(
            o,
            PUSH_GROUP,
            "update group name",
            "Okta updates the new group's name right after creating it",
        );
    }
    for exchange in updates {
        let Some(GroupPath::One(id)) = GroupPath::of(exchange) else {
            continue;
        };
        let name = sent_name(exchange.request.body.as_ref());
        let answer = body(exchange);
        let same_group = answer.is_none_or(|b| {
            b.get("id").and_then(Value::as_str) == Some(id.as_str())
                && (name.is_none() || display_name(b) == name)
        });
        if !matches!(status(exchange), Some(200 | 204)) || !same_group {
            return Verdict::failed(
                Evidence::new(
                    at(exchange),
                    format!(
                        "200 with group {id} named {:?}, or 204",
                        name.unwrap_or_default()
                    ),
                    seen(exchange),
                )
                .exchange(exchange.number),
            );
        }
    }
    Verdict::Passed
}

/// The displayName a PATCH's path-less replace or a PUT carries.
fn sent_name(request: Option<&Value>) -> Option<String> {
    let request = request?;
    if let Some(name) = display_name(request) {
        return Some(name);
    }
    request
        .get("Operations")?
        .as_array()?
        .iter()
        .filter_map(|op| op.get("value"))
        .find_map(display_name)
}

fn tasks_succeed(o: &Observation) -> Verdict {
    let Some((outcome, failure)) = o
        .outcomes
        .iter()
        .find_map(|outcome| outcome.failure().map(|f| (outcome, f)))
    else {
        return Verdict::Passed;
    };
    let exchange = failure
        .exchange
        .and_then(|n| o.exchanges.iter().find(|e| e.number == n));
    let step = match exchange {
        Some(exchange) => at(exchange),
        None => outcome.action.clone(),
    };
    let seen = match exchange {
        Some(exchange) => format!("Okta: {} — {}", failure.message, seen(exchange)),
        None => format!("Okta: {}", failure.message),
    };
    let mut evidence = Evidence::new(step, "the task succeeds", seen);
    if let Some(n) = failure.exchange {
        evidence = evidence.exchange(n);
    }
    Verdict::failed(evidence)
}

fn creates_one_group(o: &Observation) -> Verdict {
    let (_, after) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    let mut names: Vec<String> = Vec::new();
    for exchange in okta_exchanges(o) {
        let posted = exchange.request.method == "POST"
            && GroupPath::of(exchange) == Some(GroupPath::Collection);
        if let Some(name) = exchange
            .request
            .body
            .as_ref()
            .and_then(display_name)
            .filter(|_| posted)
            && !names.iter().any(|n| n.eq_ignore_ascii_case(&name))
        {
            names.push(name);
        }
    }
    if names.is_empty() {
        return nothing_sent(o, PUSH_GROUP, CREATE_STEP, "Okta POSTs the group");
    }
    for name in &names {
        let created: Vec<&Effect> = effects(o)
            .iter()
            .filter(|e| matches!(&e.kind, EffectKind::GroupCreated { name: n, .. } if n.eq_ignore_ascii_case(name)))
            .collect();
        let held: Vec<&str> = after
            .groups
            .iter()
            .filter(|g| g.name.eq_ignore_ascii_case(name))
            .map(|g| g.id.as_str())
            .collect();
        if created.len() != 1 || held.len() != 1 {
            let evidence = Evidence::new(
                format!("{PUSH_GROUP} {name}"),
                format!("one group_created for {name:?} and one group of that name afterwards"),
                format!(
                    "{}; the account holds {} group(s) named {name:?}: {}",
                    describe(&created),
                    held.len(),
                    held.join(", ")
                ),
            );
            return Verdict::failed(with_effects(evidence, &created));
        }
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use scimulate_backend::EffectKind;
    use scimulate_simulator::{ActionResult, Failure, FailureKind};
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    fn pushed(status: u16, answer: Option<Value>) -> Observation {
        Built::new(PUSH_GROUP_NEW)
            .send(
                "push group Eng",
                CREATE_STEP,
                "POST",
                "/Groups",
                Some(json!({"displayName": "Eng", "members": []})),
                status,
                answer,
            )
            .send(
                "push group Eng",
                "update group name",
                "PATCH",
                "/Groups/g1",
                Some(Built::patch(vec![
                    json!({"op": "replace", "value": {"id": "g1", "displayName": "Eng"}}),
                ])),
                200,
                Some(Built::group("g1", "Eng", &[])),
            )
            .done()
    }

    #[test]
    fn create_needs_201_with_the_group() {
        let good = pushed(201, Some(Built::group("g1", "Eng", &[])));
        assert_eq!(create_201(&good), Verdict::Passed);
        assert!(matches!(
            create_201(&pushed(200, Some(Built::group("g1", "Eng", &[])))),
            Verdict::Failed { .. }
        ));
        assert!(matches!(
            create_201(&pushed(201, Some(json!({"displayName": "Eng"})))),
            Verdict::Failed { .. }
        ));
        assert!(matches!(
            create_201(&Built::new(PUSH_GROUP_NEW).done()),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn name_update_must_be_accepted_for_the_same_group() {
        let good = pushed(201, Some(Built::group("g1", "Eng", &[])));
        assert_eq!(name_update(&good), Verdict::Passed);
        let mut refused = good.clone();
        refused.exchanges[1].response.as_mut().unwrap().status = 400;
        assert!(matches!(name_update(&refused), Verdict::Failed { .. }));
        let mut other = good;
        other.exchanges[1].response.as_mut().unwrap().body =
            scimulate_simulator::RecordedBody::Json(Built::group("g2", "Eng", &[]).into());
        assert!(matches!(name_update(&other), Verdict::Failed { .. }));
    }

    #[test]
    fn a_failed_task_fails() {
        let good = Built::new(PUSH_GROUP_NEW)
            .outcome("push group Eng", ActionResult::Succeeded)
            .done();
        assert_eq!(tasks_succeed(&good), Verdict::Passed);
        let bad = Built::new(PUSH_GROUP_NEW)
            .send(
                "push group Eng",
                "update group name",
                "PATCH",
                "/Groups/g1",
                None,
                400,
                None,
            )
            .outcome(
                "push group Eng",
                ActionResult::Failed(Failure {
                    kind: FailureKind::HttpStatus,
                    message: "Error while updating user group".into(),
                    status: Some(400),
                    exchange: Some(1),
                }),
            )
            .done();
        let Verdict::Failed { evidence } = tasks_succeed(&bad) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, [1]);
    }

    #[test]
    fn one_group_per_pushed_name() {
        let created = |id: &str| EffectKind::GroupCreated {
            group_id: id.into(),
            name: "Eng".into(),
        };
        let good = Built::new(PUSH_GROUP_AGAIN_NO_LOOKUP)
            .send(
                "push group Eng",
                CREATE_STEP,
                "POST",
                "/Groups",
                Some(json!({"displayName": "Eng"})),
                201,
                Some(Built::group("g1", "Eng", &[])),
            )
            .effects(vec![created("g1")])
            .after(Built::account(
                Vec::new(),
                vec![Built::account_group("g1", "Eng", &[])],
            ))
            .done();
        assert_eq!(creates_one_group(&good), Verdict::Passed);
        let bad = Built::new(PUSH_GROUP_AGAIN_NO_LOOKUP)
            .send(
                "push group Eng",
                CREATE_STEP,
                "POST",
                "/Groups",
                Some(json!({"displayName": "Eng"})),
                201,
                Some(Built::group("g1", "Eng", &[])),
            )
            .effects(vec![created("g1"), created("g2")])
            .after(Built::account(
                Vec::new(),
                vec![
                    Built::account_group("g1", "Eng", &[]),
                    Built::account_group("g2", "eng", &[]),
                ],
            ))
            .done();
        let Verdict::Failed { evidence } = creates_one_group(&bad) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.effects, [1, 2]);
    }
}
