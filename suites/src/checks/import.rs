//! Import: Okta's *Import Now* of users (docs/okta-wire.md#6-importing-users) and its group
//! import (§7), pages of `startIndex=1,101,…&count=100`. Judged black-box
//! from the pages, and against the account where it is observable
//! (docs/1password.md#outcome-21). Each concern has its file; this one
//! lists them.

mod groups;
mod made;
mod page;
mod pages;
mod users;

use scimulate_bridge::Fault;

use crate::checks::Check;

pub const CHECKS: &[Check] = &[
    users::EVERY_USER_ONCE,
    users::TOTAL_RESULTS,
    users::EVERY_MEMBER_LISTED,
    groups::EVERY_GROUP_ONCE,
    groups::TOTAL_RESULTS,
    groups::USABLE_RESOURCES,
    groups::LISTS_MEMBERS,
    pages::START_INDEX,
    pages::COUNT,
    pages::ITEMS_PER_PAGE,
    pages::CHANGES_NOTHING,
];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[
    (
        Fault::ZeroBasedPaging,
        &[
            users::EVERY_USER_ONCE.def.id,
            users::EVERY_MEMBER_LISTED.def.id,
            groups::EVERY_GROUP_ONCE.def.id,
            pages::START_INDEX.def.id,
        ],
    ),
    (
        Fault::IgnoreCount,
        &[pages::COUNT.def.id, users::EVERY_USER_ONCE.def.id],
    ),
    (
        Fault::WrongTotalResults,
        &[
            users::TOTAL_RESULTS.def.id,
            users::EVERY_MEMBER_LISTED.def.id,
        ],
    ),
    (Fault::ExposeBuiltinGroups, &[groups::TOTAL_RESULTS.def.id]),
];

/// Checks here no fault of the reference bridge can turn red, and why.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[
    (
        pages::ITEMS_PER_PAGE.def.id,
        "every fault keeps itemsPerPage equal to the resources returned; the check's unit tests \
         prove it can fail",
    ),
    (
        pages::CHANGES_NOTHING.def.id,
        "no fault writes on a list request; the check's unit tests prove it can fail",
    ),
    (
        groups::USABLE_RESOURCES.def.id,
        "no fault drops a listed group's id or displayName; the check's unit tests prove it can \
         fail",
    ),
    (
        groups::LISTS_MEMBERS.def.id,
        "no fault leaves members out of a listed group; the check's unit tests prove it can fail",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Library;

    #[test]
    fn every_judged_scenario_exists() {
        let library = Library::builtin();
        for check in CHECKS {
            for scenario in check.scenarios {
                assert!(
                    library.scenario(scenario).is_ok(),
                    "{} judges {scenario}, which is no built-in scenario",
                    check.def.id
                );
            }
        }
    }
}
