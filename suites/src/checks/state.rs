//! What the target holds after Okta's actions, compared with the state
//! model ([`crate::model`]): each user Okta wrote is looked up the ways
//! Okta and a careful client look ([`crate::read_back`]), and each group
//! is read without its members.
//!
//! The catalogue is below; the judgements live by concept in `state/`:
//! `attributes` (what Okta sent comes back by id), `cleared` (what Okta
//! cleared does not come back), `lookups` (`userName
//! eq` finds exactly the person, deactivated ones too), `meta` (complete
//! and consistent), `paging` (other counts and startIndex values agree),
//! `partial` (`excludedAttributes`).

mod attributes;
mod cleared;
mod lookups;
mod meta;
mod paging;
mod partial;

use scimulate_bridge::Fault;

use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::scenarios::names::{
    DEACTIVATE_SUSPENDS, EMAIL_CHANGE, EXISTING_MEMBER_LINKED, GROUP_MEMBERSHIP, IMPORT_GROUPS,
    IMPORT_USERS_PAGED, NEW_USER_INVITED, PROFILE_ATTRIBUTE_CLEARED, PROFILE_UPDATE,
    PUSH_GROUP_NEW, REACTIVATE, UNASSIGN_SUSPENDS,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: CheckDef {
            id: "okta.users.read-back.holds-what-okta-sent",
            level: Level::Must,
            title: "GET /Users/{id} shows every attribute Okta's accepted writes leave: userName, \
                    name parts, e-mail, externalId and active as a JSON boolean",
            sources: &[
                "docs/okta-wire.md#122-crud-test (userName, first e-mail and names equal; active)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.1 (PUT replaces), §3.5.2 (PATCH), §3.3 (POST)",
                "https://www.rfc-editor.org/rfc/rfc7643#section-3.1 (externalId), §4.1.1 (active: Boolean)",
            ],
            needs: Needs::Scim,
            hint: "store every attribute Okta sends and return it on GET /Users/{id}",
        },
        scenarios: &[
            NEW_USER_INVITED,
            PROFILE_UPDATE,
            PROFILE_ATTRIBUTE_CLEARED,
            EMAIL_CHANGE,
            DEACTIVATE_SUSPENDS,
            REACTIVATE,
            EXISTING_MEMBER_LINKED,
        ],
        requires: None,
        judge: attributes::holds_what_okta_sent,
    },
    Check {
        def: CheckDef {
            id: "okta.users.update.cleared-gone",
            level: Level::Should,
            title: "an attribute Okta cleared (left out of its PUT, or removed by its PATCH) no \
                    longer reads back with the value it held",
            sources: &[
                "docs/okta-wire.md#4-profile-updates (Okta PUTs the whole user; a cleared attribute is left out)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.1 (an omitted attribute: existing values cleared, or a default assigned)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.2 (remove)",
            ],
            needs: Needs::Scim,
            hint: "treat a PUT as the whole user: clear what it leaves out, and what a PATCH \
                   removes",
        },
        scenarios: &[PROFILE_ATTRIBUTE_CLEARED],
        requires: None,
        judge: cleared::cleared_gone,
    },
    Check {
        def: CheckDef {
            id: "scim.meta.complete",
            level: Level::Should,
            title: "each resource read back carries meta with resourceType, created, lastModified \
                    and location",
            sources: &["https://www.rfc-editor.org/rfc/rfc7643#section-3.1 (meta)"],
            needs: Needs::Scim,
            hint: "return meta with resourceType, created, lastModified and location",
        },
        scenarios: &[NEW_USER_INVITED, PROFILE_UPDATE, PUSH_GROUP_NEW],
        requires: None,
        judge: meta::complete,
    },
    Check {
        def: CheckDef {
            id: "scim.meta.consistent",
            level: Level::Must,
            title: "meta agrees with the resource: its type, DateTimes with created not after \
                    lastModified, a location ending in its id, version equal to the ETag",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7643#section-3.1 (meta: created and lastModified MUST be DateTimes; location the resource's URI; version the ETag)",
            ],
            needs: Needs::Scim,
            hint: "derive meta from the resource itself: its type, its times, its own URI",
        },
        scenarios: &[NEW_USER_INVITED, PROFILE_UPDATE, PUSH_GROUP_NEW],
        requires: None,
        judge: meta::consistent,
    },
    Check {
        def: CheckDef {
            id: "scim.users.filter.eq-matches-exactly",
            level: Level::Must,
            title: "`userName eq` finds the user in its own case and in another, and a prefix of \
                    the name finds nobody",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (eq: \"identical for a match\"; caseExact false compares without case)",
                "https://www.rfc-editor.org/rfc/rfc7643#section-4.1.1 (userName: caseExact false)",
                "docs/okta-wire.md#31-existence-check",
            ],
            needs: Needs::Scim,
            hint: "match `eq` on the whole value, without case for userName: exactly one user",
        },
        scenarios: &[
            NEW_USER_INVITED,
            PROFILE_UPDATE,
            REACTIVATE,
            EXISTING_MEMBER_LINKED,
        ],
        requires: None,
        judge: lookups::eq_matches_exactly,
    },
    Check {
        def: CheckDef {
            id: "okta.users.deactivate.still-found",
            level: Level::Must,
            title: "a deactivated user is still found by Okta's `userName eq` lookup, with \
                    active false",
            sources: &[
                "docs/okta-wire.md#53-no-delete-of-users (Okta never deletes users)",
                "docs/okta-wire.md#31-existence-check (the lookup before assigning again)",
                "docs/okta-wire.md#54-reactivate (the same id comes back)",
                "https://www.rfc-editor.org/rfc/rfc7643#section-4.1.1 (active: Boolean)",
            ],
            needs: Needs::Scim,
            hint: "keep deactivated users in filtered lists, with active: false",
        },
        scenarios: &[DEACTIVATE_SUSPENDS, UNASSIGN_SUSPENDS],
        requires: None,
        judge: lookups::deactivated_still_found,
    },
    Check {
        def: CheckDef {
            id: "scim.groups.read.excluded-members",
            level: Level::Must,
            title: "GET /Groups/{id}?excludedAttributes=members leaves the members out",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.9 (excludedAttributes: the default set minus those listed)",
                "docs/okta-wire.md#15-microsoft-entra-id-for-comparison (group lookups with excludedAttributes=members)",
            ],
            needs: Needs::Scim,
            hint: "honour excludedAttributes=members: a big group is read without its members",
        },
        scenarios: &[PUSH_GROUP_NEW, GROUP_MEMBERSHIP],
        requires: Some(Capability::Groups),
        judge: partial::excluded_members,
    },
    Check {
        def: CheckDef {
            id: "scim.users.list.pagings-agree",
            level: Level::Must,
            title: "the user list read at other counts and from startIndex 2 lists each user \
                    once, with the same totalResults and the same users as Okta's import",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4 (startIndex: \"the 1-based index of the first query result\"; count)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2 (totalResults: the total number of results)",
                "docs/okta-wire.md#6-importing-users",
            ],
            needs: Needs::Scim,
            hint: "cut every page from one stable order: offset = startIndex - 1, at most count",
        },
        scenarios: &[IMPORT_USERS_PAGED],
        requires: None,
        judge: paging::pages_agree,
    },
    Check {
        def: CheckDef {
            id: "scim.groups.list.pagings-agree",
            level: Level::Must,
            title: "the group list read one a page and from startIndex 2 lists each group once, \
                    with the same totalResults and the same groups as Okta's group import",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4 (startIndex: \"the 1-based index of the first query result\"; count)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2 (totalResults: the total number of results)",
                "docs/okta-wire.md#7-importing-groups",
            ],
            needs: Needs::Scim,
            hint: "page groups as users: offset = startIndex - 1, at most count, from one stable \
                   order",
        },
        scenarios: &[IMPORT_GROUPS],
        requires: Some(Capability::Groups),
        judge: paging::group_pages_agree,
    },
];

/// Faults paired with the checks they turn red.
pub const FAULTS: &[(Fault, &[&str])] = &[
    (
        Fault::PageAlignedStartIndex,
        &["scim.users.list.pagings-agree"],
    ),
    (
        Fault::GroupsIgnoreStartIndex,
        &["scim.groups.list.pagings-agree"],
    ),
    (
        Fault::KeepClearedAttributes,
        &["okta.users.update.cleared-gone"],
    ),
    (
        Fault::DropExternalId,
        &["okta.users.read-back.holds-what-okta-sent"],
    ),
    (
        Fault::MetaInconsistent,
        &["scim.meta.complete", "scim.meta.consistent"],
    ),
    (
        Fault::EqMatchesPrefix,
        &["scim.users.filter.eq-matches-exactly"],
    ),
    (
        Fault::FilterHidesInactive,
        &["okta.users.deactivate.still-found"],
    ),
    (
        Fault::IgnoreExcludedAttributes,
        &["scim.groups.read.excluded-members"],
    ),
];

/// Checks here no fault turns red: none.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[];
