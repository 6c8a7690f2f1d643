//! 1Password's built-in groups (Owners, Administrators, Team Members,
//! Security, Provision Managers) are not managed by provisioning
//! (docs/1password.md#3-groups, outcome 19; support.1password.com/groups): SCIM
//! never shows them, so Okta can neither import nor link them, and nothing
//! the run does touches them.

use scimulate_backend::{BuiltinGroup, Effect, EffectKind, Group};
use serde_json::Value;

use super::account::{describe, effects, snapshots, with_effects};
use super::intended::{GroupPath, at};
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::observation::{Observation, body};
use crate::scenarios::names::{
    GROUP_MEMBERSHIP, GROUP_RELINK_AFTER_LEAVE, GROUP_RENAME, GROUP_UNLINK_DELETE, IMPORT_GROUPS,
    LINK_BUILTIN_GROUP, LINK_EXISTING_GROUP, PUSH_GROUP_AFTER_UNLINK, PUSH_GROUP_AGAIN,
    PUSH_GROUP_AGAIN_NO_LOOKUP, PUSH_GROUP_NAME_EXISTS, PUSH_GROUP_NAME_EXISTS_NO_LOOKUP,
    PUSH_GROUP_NEW, PUSH_PAUSED, PUSH_PAUSED_MEMBER_REMOVED,
};
use crate::verdict::{Evidence, Verdict};

pub(super) const NOT_LISTED: Check = Check {
    def: CheckDef {
        id: "1password.groups.builtin-not-listed",
        level: Level::Must,
        title: "no SCIM answer shows a built-in group: the group import lists none, so Okta \
                cannot offer one for Link Group",
        sources: &[
            "docs/1password.md#3-groups (built-in groups; Team Members holds everyone)",
            "docs/1password.md#outcome-19",
            "docs/okta-wire.md#7-importing-groups, §8.3 (the import fills the Link Group picker)",
        ],
        needs: Needs::Backend,
        hint: "leave the account's built-in groups out of GET /Groups, lookups and \
               GET /Groups/{id} (404)",
    },
    scenarios: &[IMPORT_GROUPS, LINK_BUILTIN_GROUP],
    requires: Some(Capability::Groups),
    judge: not_listed,
};

pub(super) const UNTOUCHED: Check = Check {
    def: CheckDef {
        id: "1password.groups.builtin-untouched",
        level: Level::Must,
        title: "no write is attempted on a built-in group (no change, no refusal), and every \
                built-in group keeps its name and (Team Members aside) its members",
        sources: &[
            "docs/1password.md#3-groups (built-in groups cannot be deleted; at least one owner)",
            "docs/1password.md#outcome-19 (refused or ignored; Team Members never changes)",
            "backend/API.md (built-in groups: 403 builtin_group)",
        ],
        needs: Needs::Backend,
        hint: "never rename, delete or change the members of a built-in group; do not offer \
               them over SCIM at all",
    },
    scenarios: &[
        PUSH_GROUP_NEW,
        GROUP_MEMBERSHIP,
        GROUP_RENAME,
        GROUP_UNLINK_DELETE,
        PUSH_GROUP_AGAIN,
        PUSH_GROUP_AGAIN_NO_LOOKUP,
        PUSH_GROUP_AFTER_UNLINK,
        PUSH_GROUP_NAME_EXISTS,
        PUSH_GROUP_NAME_EXISTS_NO_LOOKUP,
        PUSH_PAUSED,
        PUSH_PAUSED_MEMBER_REMOVED,
        LINK_EXISTING_GROUP,
        GROUP_RELINK_AFTER_LEAVE,
        IMPORT_GROUPS,
        LINK_BUILTIN_GROUP,
    ],
    requires: Some(Capability::Groups),
    judge: untouched,
};

/// The built-in groups of the account, before or after.
fn builtins(o: &Observation) -> Vec<&Group> {
    let mut found: Vec<&Group> = Vec::new();
    for account in [&o.before, &o.after].into_iter().flatten() {
        for group in account.groups.iter().filter(|g| g.builtin.is_some()) {
            if !found.iter().any(|g| g.id == group.id) {
                found.push(group);
            }
        }
    }
    found
}

/// Whether a SCIM group resource is one of `builtins`: by id, or by the
/// name of a built-in group when no other group of the account has it.
fn is_builtin(resource: &Value, builtins: &[&Group], o: &Observation) -> bool {
    let id = resource.get("id").and_then(Value::as_str);
    if builtins.iter().any(|g| Some(g.id.as_str()) == id) {
        return true;
    }
    let Some(name) = resource.get("displayName").and_then(Value::as_str) else {
        return false;
    };
    let custom = [&o.before, &o.after].into_iter().flatten().any(|account| {
        account
            .groups
            .iter()
            .any(|g| g.builtin.is_none() && g.name.eq_ignore_ascii_case(name))
    });
    !custom
        && BuiltinGroup::ALL
            .iter()
            .any(|b| b.name().eq_ignore_ascii_case(name))
}

fn not_listed(o: &Observation) -> Verdict {
    if let Err(verdict) = snapshots(o) {
        return verdict;
    }
    let builtins = builtins(o);
    let mut read = false;
    for exchange in o.exchanges.iter().filter(|e| GroupPath::of(e).is_some()) {
        let Some(answer) = body(exchange) else {
            continue;
        };
        let listed = answer.get("Resources").and_then(Value::as_array);
        read |= listed.is_some();
        let resources: Vec<&Value> = match listed {
            Some(resources) => resources.iter().collect(),
            None => vec![answer],
        };
        if let Some(shown) = resources.iter().find(|r| is_builtin(r, &builtins, o)) {
            let name = shown
                .get("displayName")
                .and_then(Value::as_str)
                .unwrap_or_default();
            return Verdict::failed(
                Evidence::new(
                    at(exchange),
                    "no built-in group in the answer",
                    format!(
                        "built-in group {name:?} ({}) is listed",
                        shown.get("id").and_then(Value::as_str).unwrap_or_default()
                    ),
                )
                .exchange(exchange.number),
            );
        }
    }
    if read {
        return Verdict::Passed;
    }
    Verdict::failed(Evidence::new(
        format!("scenario {}", o.scenario),
        "Okta lists the app's groups",
        "no group list was answered",
    ))
}

fn untouched(o: &Observation) -> Verdict {
    let (before, after) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    let builtins = builtins(o);
    let is_builtin_id = |id: &str| builtins.iter().any(|g| g.id == id);
    let is_builtin_name = |name: &str| {
        BuiltinGroup::ALL
            .iter()
            .any(|b| b.name().eq_ignore_ascii_case(name))
    };
    let touched: Vec<&Effect> = effects(o)
        .iter()
        .filter(|e| match &e.kind {
            EffectKind::GroupRenamed { group_id, .. }
            | EffectKind::GroupDeleted { group_id, .. }
            | EffectKind::MemberAdded { group_id, .. }
            | EffectKind::MemberRemoved { group_id, .. } => is_builtin_id(group_id),
            EffectKind::Refused {
                action,
                target: Some(target),
                ..
            } => is_builtin_id(target) || (action == "create_group" && is_builtin_name(target)),
            _ => false,
        })
        .collect();
    if !touched.is_empty() {
        let evidence = Evidence::new(
            format!("scenario {}", o.scenario),
            "no write aimed at a built-in group",
            describe(&touched),
        );
        return Verdict::failed(with_effects(evidence, &touched));
    }
    for group in before.groups.iter().filter(|g| g.builtin.is_some()) {
        let now = after.groups.iter().find(|g| g.id == group.id);
        // Team Members follows invitations and deletions by design.
        let members_kept = group.builtin == Some(BuiltinGroup::TeamMembers)
            || now.is_some_and(|g| g.members == group.members);
        if now.is_none_or(|g| g.name != group.name) || !members_kept {
            return Verdict::failed(Evidence::new(
                format!("scenario {}", o.scenario),
                format!("built-in group {:?} as it was", group.name),
                match now {
                    Some(g) => format!("now {:?} with members [{}]", g.name, g.members.join(", ")),
                    None => "it is gone".to_string(),
                },
            ));
        }
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::groups::hand_built::Built;

    fn account() -> scimulate_backend::AccountSnapshot {
        Built::account(
            vec![Built::member("M1", "alice@acme.com")],
            vec![
                Built::builtin("b1", BuiltinGroup::Owners, &["M1"]),
                Built::builtin("b2", BuiltinGroup::Administrators, &[]),
                Built::account_group("g1", "Design", &[]),
            ],
        )
    }

    fn imported(groups: Vec<Value>) -> Built {
        let total = groups.len() as u64;
        Built::new(IMPORT_GROUPS)
            .before(account())
            .after(account())
            .groups_imported(Built::list(groups, total, 1))
    }

    #[test]
    fn built_in_groups_are_never_listed() {
        let good = imported(vec![Built::group("g1", "Design", &[])]).done();
        assert_eq!(not_listed(&good), Verdict::Passed);
        let by_id = imported(vec![Built::group("b2", "Admins", &[])]).done();
        assert!(matches!(not_listed(&by_id), Verdict::Failed { .. }));
        let by_name = imported(vec![Built::group("x9", "Owners", &[])]).done();
        let Verdict::Failed { evidence } = not_listed(&by_name) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, [1]);
        assert!(matches!(
            not_listed(&Built::new(IMPORT_GROUPS).done()),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn built_in_groups_are_never_written() {
        let good = imported(Vec::new())
            .effects(vec![EffectKind::MemberAdded {
                group_id: "g1".into(),
                member_id: "M1".into(),
            }])
            .done();
        assert_eq!(untouched(&good), Verdict::Passed);
        let refused = imported(Vec::new())
            .effects(vec![EffectKind::Refused {
                action: "update_group".into(),
                target: Some("b2".into()),
                reason: scimulate_backend::Refusal::BuiltinGroup,
                detail: "built-in".into(),
            }])
            .done();
        let Verdict::Failed { evidence } = untouched(&refused) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.effects, [1]);
        let mut emptied = account();
        emptied.groups[0].members.clear();
        let changed = imported(Vec::new()).after(emptied).done();
        assert!(matches!(untouched(&changed), Verdict::Failed { .. }));
    }
}
