//! Renaming a pushed group (docs/okta-wire.md#85-renaming-a-pushed-group; OIN: PATCH replace {id,
//! displayName}, AIW: PUT): the same group gets the new name and keeps its
//! id and members (docs/1password.md#outcome-18).

use scimulate_backend::{Effect, EffectKind};
use serde_json::Value;

use super::account::{account_group, describe, effects, member_id, snapshots, with_effects};
use super::intended::{GroupPath, Replay, at, list, member_values, read_back};
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::sent::{nothing_sent, okta_exchanges};
use crate::observation::{Observation, body, seen, status};
use crate::scenarios::names::GROUP_RENAME;
use crate::verdict::{Evidence, Verdict};

pub(super) const KEEPS_ID: Check = Check {
    def: CheckDef {
        id: "okta.groups.rename.keeps-id",
        level: Level::Must,
        title: "renaming a pushed group answers 200 or 204 for the same id, and that id reads \
                back with the new name",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.3 (replace changes the resource addressed), §3.1 (id is stable)",
            "docs/okta-wire.md#85-renaming-a-pushed-group (OIN: PATCH replace {id, displayName}; AIW: PUT)",
            "docs/1password.md#outcome-18 (renamed, same id)",
        ],
        needs: Needs::Scim,
        hint: "rename the group addressed by the URL in place; never create a group for the new \
               name",
    },
    scenarios: &[GROUP_RENAME],
    requires: Some(Capability::Groups),
    judge: keeps_id,
};

pub(super) const KEEPS_MEMBERS: Check = Check {
    def: CheckDef {
        id: "okta.groups.rename.keeps-members",
        level: Level::Must,
        title: "a renamed group keeps the members it had: in the rename's answer and when read \
                back",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.3 (attributes not replaced are kept)",
            "docs/okta-wire.md#85-renaming-a-pushed-group",
            "docs/1password.md#outcome-18 (memberships intact)",
        ],
        needs: Needs::Scim,
        hint: "a rename changes displayName only; keep the group and its members",
    },
    scenarios: &[GROUP_RENAME],
    requires: Some(Capability::Groups),
    judge: keeps_members,
};

pub(super) const IN_PLACE: Check = Check {
    def: CheckDef {
        id: "1password.groups.rename.in-place",
        level: Level::Must,
        title: "in the account, the rename is one group_renamed of the pushed group: no new \
                group, the same members",
        sources: &[
            "docs/1password.md#3-groups (observed PATCH replace displayName renames)",
            "docs/1password.md#outcome-18",
        ],
        needs: Needs::Backend,
        hint: "rename the 1Password group itself (PATCH /v1/groups/{id} name); do not create \
               a group with the new name",
    },
    scenarios: &[GROUP_RENAME],
    requires: Some(Capability::Groups),
    judge: in_place,
};

const RENAME: &str = "rename group";

/// Okta's rename request and the group id it addresses.
fn rename(o: &Observation) -> Option<(&scimulate_simulator::Exchange, String)> {
    okta_exchanges(o)
        .filter(|e| e.action.starts_with(RENAME))
        .find_map(|e| match GroupPath::of(e) {
            Some(GroupPath::One(id)) if matches!(e.request.method.as_str(), "PATCH" | "PUT") => {
                Some((e, id))
            }
            _ => None,
        })
}

/// The new name the rename carries.
fn new_name(exchange: &scimulate_simulator::Exchange) -> Option<String> {
    let request = exchange.request.body.as_ref()?;
    let direct = request.get("displayName").and_then(Value::as_str);
    let patched = request
        .get("Operations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|op| {
            let value = op.get("value")?;
            match op.get("path").and_then(Value::as_str) {
                Some(path) if path.eq_ignore_ascii_case("displayName") => value.as_str(),
                None => value.get("displayName")?.as_str(),
                Some(_) => None,
            }
        });
    direct.or(patched).map(str::to_string)
}

fn missing(o: &Observation) -> Verdict {
    nothing_sent(o, RENAME, "update group name", "Okta sends the rename")
}

fn keeps_id(o: &Observation) -> Verdict {
    let Some((exchange, id)) = rename(o) else {
        return missing(o);
    };
    let name = new_name(exchange).unwrap_or_default();
    let answer = body(exchange);
    let same = answer.is_none_or(|b| {
        b.get("id").and_then(Value::as_str) == Some(id.as_str())
            && b.get("displayName").and_then(Value::as_str) == Some(name.as_str())
    });
    if !matches!(status(exchange), Some(200 | 204)) || !same {
        return Verdict::failed(
            Evidence::new(
                at(exchange),
                format!("200 with group {id} named {name:?}, or 204"),
                seen(exchange),
            )
            .exchange(exchange.number),
        );
    }
    let step = format!("verify: read back group {id}");
    let Some(read) = read_back(o, &id) else {
        return Verdict::failed(Evidence::new(step, "the group is read back", "it was not"));
    };
    let read_name = body(read)
        .and_then(|b| b.get("displayName"))
        .and_then(Value::as_str);
    if status(read) == Some(200) && read_name == Some(name.as_str()) {
        return Verdict::Passed;
    }
    Verdict::failed(
        Evidence::new(step, format!("200 with displayName {name:?}"), seen(read))
            .exchange(exchange.number)
            .exchange(read.number),
    )
}

fn keeps_members(o: &Observation) -> Verdict {
    let Some((exchange, id)) = rename(o) else {
        return missing(o);
    };
    let had = Replay::until(o, exchange.number)
        .group(&id)
        .map(|g| g.members.clone())
        .unwrap_or_default();
    let same =
        |members: &[String]| members.len() == had.len() && had.iter().all(|m| members.contains(m));
    if let Some(answer) = body(exchange).filter(|b| b.get("members").is_some())
        && !same(&member_values(answer))
    {
        return Verdict::failed(
            Evidence::new(
                at(exchange),
                format!("the group with its members {}", list(&had)),
                seen(exchange),
            )
            .exchange(exchange.number),
        );
    }
    let step = format!("verify: read back group {id}");
    let Some(read) = read_back(o, &id) else {
        return Verdict::failed(Evidence::new(step, "the group is read back", "it was not"));
    };
    if status(read) == Some(200) && same(&body(read).map(member_values).unwrap_or_default()) {
        return Verdict::Passed;
    }
    Verdict::failed(
        Evidence::new(step, format!("200 with members {}", list(&had)), seen(read))
            .exchange(read.number),
    )
}

fn in_place(o: &Observation) -> Verdict {
    let (_, after) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    let Some((exchange, id)) = rename(o) else {
        return missing(o);
    };
    let name = new_name(exchange).unwrap_or_default();
    let before_rename = Replay::until(o, exchange.number);
    let Some(old) = before_rename.group(&id) else {
        return missing(o);
    };
    let step = format!("{}: group {id}", exchange.action);
    let about: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| match &e.kind {
            EffectKind::GroupRenamed { to, .. } => to.eq_ignore_ascii_case(&name),
            EffectKind::GroupCreated { name: created, .. } => created.eq_ignore_ascii_case(&name),
            _ => false,
        })
        .collect();
    let held = account_group(after, &id, &old.name);
    let renamed_once = about.len() == 1
        && matches!(&about[0].kind, EffectKind::GroupRenamed { group_id, .. }
            if held.is_some_and(|g| g.id == *group_id));
    let Some(held) = held.filter(|g| g.name == name && renamed_once) else {
        let evidence = Evidence::new(
            step,
            format!(
                "one group_renamed of the pushed group {:?} → {name:?}, no group created",
                old.name
            ),
            format!(
                "{}; the pushed group is now {}",
                describe(&about),
                held.map_or("gone".to_string(), |g| format!("{:?}", g.name))
            ),
        );
        return Verdict::failed(with_effects(evidence, &about));
    };
    let expected: Vec<String> = old
        .members
        .iter()
        .map(|m| member_id(o, after, m).unwrap_or_else(|| m.clone()))
        .collect();
    let same =
        expected.len() == held.members.len() && expected.iter().all(|m| held.members.contains(m));
    if same {
        return Verdict::Passed;
    }
    Verdict::failed(Evidence::new(
        step,
        format!("group {} keeps its members {}", held.id, list(&expected)),
        format!("it holds {}", list(&held.members)),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    /// Design (with u1) renamed to Product Design; the rename answered
    /// `answer`, the read-back `read`.
    fn renamed(answer: Value, read: Value) -> Built {
        Built::new(GROUP_RENAME)
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
                "rename group Design to Product Design",
                "update group name",
                "PATCH",
                "/Groups/g1",
                Some(Built::patch(vec![
                    json!({"op": "replace", "value": {"id": "g1", "displayName": "Product Design"}}),
                ])),
                200,
                Some(answer),
            )
            .send("verify", "read back group", "GET", "/Groups/g1", None, 200, Some(read))
    }

    #[test]
    fn the_same_id_gets_the_name() {
        let good = renamed(
            Built::group("g1", "Product Design", &["u1"]),
            Built::group("g1", "Product Design", &["u1"]),
        )
        .done();
        assert_eq!(keeps_id(&good), Verdict::Passed);
        assert_eq!(keeps_members(&good), Verdict::Passed);
        let created = renamed(
            Built::group("g2", "Product Design", &[]),
            Built::group("g1", "Design", &["u1"]),
        )
        .done();
        assert!(matches!(keeps_id(&created), Verdict::Failed { .. }));
        assert!(matches!(keeps_members(&created), Verdict::Failed { .. }));
        let emptied = renamed(
            Built::group("g1", "Product Design", &[]),
            Built::group("g1", "Product Design", &[]),
        )
        .done();
        assert_eq!(keeps_id(&emptied), Verdict::Passed);
        assert!(matches!(keeps_members(&emptied), Verdict::Failed { .. }));
    }

    #[test]
    fn the_account_renames_in_place() {
        let ok = || {
            renamed(
                Built::group("g1", "Product Design", &["u1"]),
                Built::group("g1", "Product Design", &["u1"]),
            )
        };
        let account = |groups| Built::account(vec![Built::member("u1", "c@acme.com")], groups);
        let good = ok()
            .effects(vec![EffectKind::GroupRenamed {
                group_id: "g1".into(),
                from: "Design".into(),
                to: "Product Design".into(),
            }])
            .after(account(vec![Built::account_group(
                "g1",
                "Product Design",
                &["u1"],
            )]))
            .done();
        assert_eq!(in_place(&good), Verdict::Passed);
        let created = ok()
            .effects(vec![EffectKind::GroupCreated {
                group_id: "g2".into(),
                name: "Product Design".into(),
            }])
            .after(account(vec![
                Built::account_group("g1", "Design", &["u1"]),
                Built::account_group("g2", "Product Design", &[]),
            ]))
            .done();
        let Verdict::Failed { evidence } = in_place(&created) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.effects, [1]);
    }
}
