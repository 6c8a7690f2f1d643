//! The group import (docs/okta-wire.md#7-importing-groups): the account's groups, each once,
//! with id, displayName and members (Okta reads memberships from the list and
//! fills the Link Group picker from it, §8.3).

use serde_json::Value;

use super::made::{NO_STARTING_STATE, total_at_least};
use super::page::readable_pages;
use super::pages::every_once;
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::account::{account_group, member_id, snapshots};
use crate::checks::groups::intended::{at, display_name, list, member_values};
use crate::observation::{Observation, seen};
use crate::scenarios::names::{
    GROUP_RELINK_AFTER_LEAVE, IMPORT_GROUPS, IMPORT_GROUPS_ACTION, LINK_BUILTIN_GROUP,
    LINK_EXISTING_GROUP,
};
use crate::verdict::{Evidence, Verdict};

pub(super) const EVERY_GROUP_ONCE: Check = Check {
    def: CheckDef {
        id: "okta.import.groups.every-group-once",
        level: Level::Must,
        title: "Okta's group import sees every group exactly once, as many as totalResults says",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4 (pagination)",
            "docs/okta-wire.md#7-importing-groups (same paging rule as users)",
            "docs/okta-wire.md#123-oin-test-plan (Okta OIN test plan C9338 (group import counts))",
        ],
        needs: Needs::Scim,
        hint: "page /Groups like /Users: offset startIndex-1, at most count, totalResults \
               counting every group",
    },
    scenarios: &[
        IMPORT_GROUPS,
        LINK_EXISTING_GROUP,
        GROUP_RELINK_AFTER_LEAVE,
        LINK_BUILTIN_GROUP,
    ],
    requires: Some(Capability::Groups),
    judge: every_group_once,
};

pub(super) const TOTAL_RESULTS: Check = Check {
    def: CheckDef {
        id: "okta.import.groups.total-results",
        level: Level::Must,
        title: "the group import's totalResults is the number of groups provisioning may see: \
                every group of the account but the built-in ones; on a target whose account is \
                not observable, the same on every page and at least the groups made before the \
                import",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2 (totalResults)",
            "docs/1password.md#3-groups (built-in groups are not managed by provisioning)",
            "docs/okta-wire.md#7-importing-groups",
        ],
        needs: Needs::Scim,
        hint: "count the account's groups, built-in groups left out, in totalResults",
    },
    scenarios: &[IMPORT_GROUPS, LINK_BUILTIN_GROUP],
    requires: Some(Capability::Groups),
    judge: total_results,
};

pub(super) const USABLE_RESOURCES: Check = Check {
    def: CheckDef {
        id: "okta.import.groups.usable-resources",
        level: Level::Must,
        title: "every imported group has a non-empty id and displayName and a members array of \
                {value} (left out for a group without members, RFC 7643 §2.5)",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7643#section-4.2 (Group: displayName, members with value)",
            "https://www.rfc-editor.org/rfc/rfc7643#section-2.5 (an unassigned attribute and an empty array are the same state)",
            "docs/okta-wire.md#7-importing-groups (memberships read from the listed groups' members)",
            "docs/okta-wire.md#83-link-group (the Link Group picker shows displayName)",
        ],
        needs: Needs::Scim,
        hint: "list each group with id, displayName and members [{\"value\": <user id>}]; send \
               members unless excludedAttributes asks otherwise",
    },
    scenarios: &[IMPORT_GROUPS],
    requires: Some(Capability::Groups),
    judge: usable_resources,
};

pub(super) const LISTS_MEMBERS: Check = Check {
    def: CheckDef {
        id: "okta.import.groups.lists-members",
        level: Level::Must,
        title: "each imported group lists exactly the members it has in the account (guests \
                aside); on a target whose account is not observable, each group made before the \
                import lists exactly the members it was made with",
        sources: &[
            "docs/okta-wire.md#7-importing-groups (no excludedAttributes: memberships come from the list)",
            "docs/okta-wire.md#123-oin-test-plan (Okta OIN test plan C9338)",
        ],
        needs: Needs::Scim,
        hint: "include every member of the group in members, by the user's SCIM id",
    },
    scenarios: &[IMPORT_GROUPS, LINK_EXISTING_GROUP],
    requires: Some(Capability::Groups),
    judge: lists_members,
};

fn every_group_once(o: &Observation) -> Verdict {
    every_once(o, IMPORT_GROUPS_ACTION, "group")
}

fn total_results(o: &Observation) -> Verdict {
    if o.effects.is_none() {
        return match (&o.setup, readable_pages(o, IMPORT_GROUPS_ACTION)) {
            (None, _) => Verdict::Skipped {
                reason: NO_STARTING_STATE.to_string(),
            },
            (Some(_), Err(verdict)) => verdict,
            (Some(setup), Ok(pages)) => total_at_least(&pages, setup.groups.len(), "group"),
        };
    }
    let (before, _) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    let pages = match readable_pages(o, IMPORT_GROUPS_ACTION) {
        Ok(pages) => pages,
        Err(verdict) => return verdict,
    };
    // The scenarios' groups do not change before their import.
    let expected = before.groups.iter().filter(|g| g.builtin.is_none()).count() as u64;
    for page in pages.iter() {
        if page.total_results() != Some(expected) {
            return Verdict::failed(
                Evidence::new(
                    at(page.exchange),
                    format!("totalResults {expected} (the account's groups, built-in ones aside)"),
                    seen(page.exchange),
                )
                .exchange(page.exchange.number),
            );
        }
    }
    Verdict::Passed
}

fn usable_resources(o: &Observation) -> Verdict {
    let pages = match readable_pages(o, IMPORT_GROUPS_ACTION) {
        Ok(pages) => pages,
        Err(verdict) => return verdict,
    };
    let text = |group: &Value, key: &str| {
        group
            .get(key)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
    };
    for page in pages.iter() {
        for group in page.resource_values() {
            let group = &group;
            // RFC 7643 §2.5: an unassigned attribute and an empty array
            // are the same state, and a server may leave it out: a group
            // without members may have no `members`.
            let members_ok = match group.get("members") {
                Some(Value::Array(members)) => members
                    .iter()
                    .all(|m| m.get("value").and_then(Value::as_str).is_some()),
                None | Some(Value::Null) => true,
                _ => false,
            };
            if !(text(group, "id") && text(group, "displayName") && members_ok) {
                return Verdict::failed(
                    Evidence::new(
                        at(page.exchange),
                        "each group with id, displayName and members [{value}]",
                        format!("{group}"),
                    )
                    .exchange(page.exchange.number),
                );
            }
        }
    }
    Verdict::Passed
}

fn lists_members(o: &Observation) -> Verdict {
    if o.effects.is_none() {
        return match &o.setup {
            None => Verdict::Skipped {
                reason: NO_STARTING_STATE.to_string(),
            },
            Some(setup) => lists_made_members(o, setup),
        };
    }
    let (before, _) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    let pages = match readable_pages(o, IMPORT_GROUPS_ACTION) {
        Ok(pages) => pages,
        Err(verdict) => return verdict,
    };
    for page in pages.iter() {
        for group in page.resource_values() {
            let group = &group;
            let id = group.get("id").and_then(Value::as_str).unwrap_or_default();
            let name = display_name(group).unwrap_or_default();
            let Some(held) = account_group(before, id, &name) else {
                continue;
            };
            let listed: Vec<String> = member_values(group)
                .iter()
                .map(|m| member_id(o, before, m).unwrap_or_else(|| m.clone()))
                .collect();
            let guests: Vec<&str> = before
                .members
                .iter()
                .filter(|m| m.kind == scimulate_backend::MemberKind::Guest)
                .map(|m| m.id.as_str())
                .collect();
            let expected: Vec<String> = held
                .members
                .iter()
                .filter(|m| !guests.contains(&m.as_str()))
                .cloned()
                .collect();
            let same =
                listed.len() == expected.len() && expected.iter().all(|m| listed.contains(m));
            if !same {
                return Verdict::failed(
                    Evidence::new(
                        at(page.exchange),
                        format!("group {name:?} with members {}", list(&expected)),
                        format!("it lists {}", list(&listed)),
                    )
                    .exchange(page.exchange.number),
                );
            }
        }
    }
    Verdict::Passed
}

/// Each group the scenario made through SCIM is listed with exactly the
/// members it was made with (a target whose account is not observable).
fn lists_made_members(o: &Observation, setup: &crate::scim_setup::Setup) -> Verdict {
    let pages = match readable_pages(o, IMPORT_GROUPS_ACTION) {
        Ok(pages) => pages,
        Err(verdict) => return verdict,
    };
    for page in pages.iter() {
        for group in page.resource_values() {
            let id = group.get("id").and_then(Value::as_str).unwrap_or_default();
            let Some(made) = setup.group(id) else {
                continue;
            };
            let listed = member_values(&group);
            let same = listed.len() == made.members.len()
                && made.members.iter().all(|m| listed.contains(m));
            if !same {
                return Verdict::failed(
                    Evidence::new(
                        at(page.exchange),
                        format!(
                            "group {:?} with the members it was made with: {}",
                            made.display_name,
                            list(&made.members)
                        ),
                        format!("it lists {}", list(&listed)),
                    )
                    .exchange(page.exchange.number),
                );
            }
        }
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    fn account() -> scimulate_backend::AccountSnapshot {
        Built::account(
            vec![Built::member("M1", "bob@acme.com")],
            vec![
                Built::builtin("b1", scimulate_backend::BuiltinGroup::Owners, &[]),
                Built::account_group("g1", "Engineering", &["M1"]),
                Built::account_group("g2", "Design", &[]),
            ],
        )
    }

    fn imported(page: Value) -> Observation {
        Built::new(IMPORT_GROUPS)
            .before(account())
            .after(account())
            .groups_imported(page)
            .done()
    }

    fn good_page() -> Value {
        Built::list(
            vec![
                Built::group("g1", "Engineering", &["M1"]),
                Built::group("g2", "Design", &[]),
            ],
            2,
            1,
        )
    }

    #[test]
    fn a_correct_group_import_passes() {
        let o = imported(good_page());
        for judge in [
            every_group_once,
            total_results,
            usable_resources,
            lists_members,
        ] {
            assert_eq!(judge(&o), Verdict::Passed);
        }
    }

    #[test]
    fn a_skipped_group_or_a_wrong_total_fails() {
        let skipped = imported(Built::list(vec![Built::group("g2", "Design", &[])], 2, 2));
        assert!(matches!(every_group_once(&skipped), Verdict::Failed { .. }));
        let builtins = imported(Built::list(
            vec![
                Built::group("b1", "Owners", &[]),
                Built::group("g1", "Engineering", &["M1"]),
                Built::group("g2", "Design", &[]),
            ],
            3,
            1,
        ));
        assert!(matches!(total_results(&builtins), Verdict::Failed { .. }));
    }

    #[test]
    fn groups_need_id_name_and_members() {
        let mut page = good_page();
        page["Resources"][1]["displayName"] = json!("");
        assert!(matches!(
            usable_resources(&imported(page)),
            Verdict::Failed { .. }
        ));
        let mut page = good_page();
        page["Resources"][0]["members"] = json!("M1");
        assert!(matches!(
            usable_resources(&imported(page)),
            Verdict::Failed { .. }
        ));
        // RFC 7643 §2.5: no members and members left out are one state
        // (whether the group really has none is lists-members' concern).
        let mut page = good_page();
        page["Resources"][0]
            .as_object_mut()
            .map(|g| g.remove("members"));
        assert_eq!(usable_resources(&imported(page)), Verdict::Passed);
    }

    #[test]
    fn members_must_be_the_account_s() {
        let mut page = good_page();
        page["Resources"][0]["members"] = json!([]);
        let Verdict::Failed { evidence } = lists_members(&imported(page)) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, [1]);
    }
}
