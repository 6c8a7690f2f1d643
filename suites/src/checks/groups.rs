//! Groups: Okta's Push Groups (docs/okta-wire.md#8-group-push) judged black-box from the
//! SCIM answers and the read-backs, and, where the account is observable,
//! 1Password's group rules judged on its effects (docs/1password.md#3-groups,
//! outcomes 15-19). Each concern has its file; this one lists them.

pub(in crate::checks) mod account;
mod builtin;
mod duplicates;
#[cfg(test)]
pub(in crate::checks) mod hand_built;
pub(in crate::checks) mod intended;
mod link;
mod lookup;
mod members;
mod push;
mod rename;
pub(in crate::checks) mod sent;
mod unlink;

use scimulate_bridge::Fault;

use crate::checks::Check;

pub const CHECKS: &[Check] = &[
    push::CREATE_201,
    push::NAME_UPDATE,
    push::TASKS_SUCCEED,
    push::CREATES_ONE_GROUP,
    lookup::MATCHES_NAME,
    lookup::FINDS_EXISTING,
    duplicates::NOT_DUPLICATED,
    duplicates::CONFLICT_IS_UNIQUENESS,
    duplicates::NO_DUPLICATE_NAMES,
    members::READ_BACK_MATCHES,
    members::REMOVE_BY_VALUE_FILTER,
    members::ADD_EXISTING_IS_NOOP,
    members::LISTED_ONCE,
    members::PUSH_NOW_REPLACES,
    members::MATCH_OKTA,
    members::CHANGES_EXACTLY,
    rename::KEEPS_ID,
    rename::KEEPS_MEMBERS,
    rename::IN_PLACE,
    unlink::DELETE_204,
    unlink::THEN_404,
    unlink::MEMBERS_STAY,
    link::KEEPS_APP_MEMBERS,
    link::NO_NEW_GROUP,
    builtin::NOT_LISTED,
    builtin::UNTOUCHED,
];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[
    (
        Fault::DuplicateGroups,
        &[
            duplicates::NOT_DUPLICATED.def.id,
            duplicates::NO_DUPLICATE_NAMES.def.id,
            push::CREATES_ONE_GROUP.def.id,
        ],
    ),
    (Fault::ZeroBasedPaging, &[lookup::FINDS_EXISTING.def.id]),
    // Okta batches membership changes (docs/okta-wire.md#84-membership-changes):
    // a bridge reading only the first operation, or the first member, of
    // its PATCH leaves the group other than Okta's writes say.
    (
        Fault::FirstOperationOnly,
        &[
            members::READ_BACK_MATCHES.def.id,
            members::MATCH_OKTA.def.id,
        ],
    ),
    (
        Fault::FirstMemberOnly,
        &[
            members::READ_BACK_MATCHES.def.id,
            members::MATCH_OKTA.def.id,
        ],
    ),
    (
        Fault::IgnoreMemberRemoval,
        &[
            members::REMOVE_BY_VALUE_FILTER.def.id,
            members::READ_BACK_MATCHES.def.id,
            members::PUSH_NOW_REPLACES.def.id,
            members::MATCH_OKTA.def.id,
            members::CHANGES_EXACTLY.def.id,
        ],
    ),
    (
        Fault::RenameCreatesGroup,
        &[
            rename::KEEPS_ID.def.id,
            rename::KEEPS_MEMBERS.def.id,
            rename::IN_PLACE.def.id,
            members::READ_BACK_MATCHES.def.id,
        ],
    ),
    (
        Fault::ExposeBuiltinGroups,
        &[builtin::NOT_LISTED.def.id, builtin::UNTOUCHED.def.id],
    ),
    (Fault::CreateReturns200, &[push::CREATE_201.def.id]),
    (
        Fault::PatchRequiresPath,
        &[
            push::NAME_UPDATE.def.id,
            push::TASKS_SUCCEED.def.id,
            link::KEEPS_APP_MEMBERS.def.id,
        ],
    ),
    (Fault::IgnoreFilter, &[lookup::MATCHES_NAME.def.id]),
    (
        Fault::PlainTextErrors,
        &[duplicates::CONFLICT_IS_UNIQUENESS.def.id],
    ),
];

/// Checks here no fault of the reference bridge can turn red, and why.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[
    (
        members::ADD_EXISTING_IS_NOOP.def.id,
        "no fault makes adding a present member fail; the check's unit tests prove it can fail",
    ),
    (
        members::LISTED_ONCE.def.id,
        "no fault lists a member twice; the check's unit tests prove it can fail (SCIMMY does)",
    ),
    (
        unlink::DELETE_204.def.id,
        "no fault changes DELETE /Groups' status; the check's unit tests prove it can fail",
    ),
    (
        unlink::THEN_404.def.id,
        "no fault keeps a deleted group readable; the check's unit tests prove it can fail",
    ),
    (
        unlink::MEMBERS_STAY.def.id,
        "no fault touches members when a group is deleted; the check's unit tests prove it can \
         fail",
    ),
    (
        link::NO_NEW_GROUP.def.id,
        "no fault creates a group on Link Group; the check's unit tests prove it can fail",
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
