//! Users, black-box: what Okta's create, lookups, profile pushes and
//! (de)activations get back, read back the way Okta's CRUD test does.
//!
//! The catalogue is below; the judgements live by concept in `users/`:
//! `create` (POST /Users), `lookup` (the existence check), `link` (an
//! existing person found and linked, not created twice), `update` (the
//! profile push and e-mail changes), `lifecycle` (deactivate, reactivate),
//! `refusal` (what Okta shows when the bridge says no).

mod create;
mod lifecycle;
mod link;
mod lookup;
mod refusal;
#[cfg(test)]
pub(super) mod sample;
mod update;

use scimulate_bridge::Fault;

use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::scenarios::core::NAME;
use crate::scenarios::names::{
    DEACTIVATE_SUSPENDS, DOMAIN_NOT_ALLOWED, EMAIL_CHANGE, EMAIL_CHANGE_NOT_ALLOWED, EMAIL_DIFFERS,
    EXISTING_MEMBER_ANY_CASE, EXISTING_MEMBER_LINKED, GUEST_UNTOUCHED, NEW_USER_INVITED,
    PROFILE_UPDATE, PUBLIC_DOMAIN, REACTIVATE, UNASSIGN_SUSPENDS,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: CheckDef {
            id: "okta.users.create.returns-201",
            level: Level::Must,
            title: "POST /Users for a new person answers 201 Created",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.3",
                "docs/okta-wire.md#32-create (expected 201)",
            ],
            needs: Needs::Scim,
            hint: "answer a successful create with 201, not 200",
        },
        scenarios: &[NAME],
        requires: None,
        judge: create::returns_201,
    },
    Check {
        def: CheckDef {
            id: "okta.users.create.returns-id",
            level: Level::Must,
            title: "the created user comes back with a non-empty id Okta can store",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7643#section-3.1 (id)",
                "docs/okta-wire.md#32-create (\"Create new user returned empty user\")",
            ],
            needs: Needs::Scim,
            hint: "return the created resource, including its id, in the 201 body",
        },
        scenarios: &[NAME],
        requires: None,
        judge: create::returns_id,
    },
    Check {
        def: CheckDef {
            id: "okta.users.create.echoes-username",
            level: Level::Must,
            title: "the created user's userName is the one Okta sent",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.3",
                "docs/okta-wire.md#121-spec-test (Okta SCIM 2.0 SPEC test step 6)",
            ],
            needs: Needs::Scim,
            hint: "store userName as sent and return it in the 201 body",
        },
        scenarios: &[NAME],
        requires: None,
        judge: create::echoes_username,
    },
    Check {
        def: CheckDef {
            id: "scim.users.create.location-header",
            level: Level::Must,
            title: "the 201 carries a Location header with the user's URL",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.3 (\"SHALL include, in the HTTP Location header\")",
            ],
            needs: Needs::Scim,
            hint: "set Location to the new user's URL (the same as meta.location)",
        },
        scenarios: &[NAME],
        requires: None,
        judge: create::location_header,
    },
    Check {
        def: CheckDef {
            id: "okta.users.create.echoes-profile",
            level: Level::Must,
            title: "the created user comes back with the name, e-mail and active: true Okta sent",
            sources: &[
                "docs/okta-wire.md#121-spec-test (Okta SCIM 2.0 SPEC test step 6: names echoed, active true)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.3 (the response body contains the created resource)",
            ],
            needs: Needs::Scim,
            hint: "return the stored resource in the 201 body: name.givenName, name.familyName, \
                   the e-mail in emails, and active: true for an invited person",
        },
        scenarios: &[NAME, NEW_USER_INVITED],
        requires: None,
        judge: create::echoes_profile,
    },
    Check {
        def: CheckDef {
            id: "okta.users.create.reads-back",
            level: Level::Must,
            title: "GET /Users/{id} of the created user answers 200 with the same id, userName and names",
            sources: &[
                "docs/okta-wire.md#121-spec-test (Okta SCIM 2.0 SPEC test step 7)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.1",
            ],
            needs: Needs::Scim,
            hint: "serve GET /Users/{id} for the id the create returned, with the stored userName \
                   and name",
        },
        scenarios: &[NAME, NEW_USER_INVITED],
        requires: None,
        judge: create::reads_back,
    },
    Check {
        def: CheckDef {
            id: "okta.users.recreate.conflict",
            level: Level::Must,
            title: "POSTing an existing user again answers 409 uniqueness (or links: 2xx with the same id)",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.3 (\"MUST return HTTP status code 409 (Conflict) with a scimType \
                 error code of uniqueness\")",
                "docs/okta-wire.md#121-spec-test (Okta SCIM 2.0 SPEC test step 8)",
                "docs/1password.md#outcome-3",
            ],
            needs: Needs::Scim,
            hint: "look the userName up (any case) before creating; when it is taken answer 409 \
                   with scimType \"uniqueness\"",
        },
        scenarios: &[NAME],
        requires: None,
        judge: create::recreate_conflict,
    },
    Check {
        def: CheckDef {
            id: "okta.users.existence-check.any-case",
            level: Level::Must,
            title: "a userName filter finds the user whatever the case of the value",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7643#section-4.1 and §8.7.1 (userName caseExact false)",
                "https://www.rfc-editor.org/rfc/rfc7643#section-7 (\"The server SHALL use case sensitivity when evaluating filters\")",
                "docs/okta-wire.md#31-existence-check (Okta sends the case it has; SPEC test step 9)",
            ],
            needs: Needs::Scim,
            hint: "compare userName case-insensitively in filters, so Okta's existence check \
                   finds Ivan@ACME.com as ivan@acme.com",
        },
        scenarios: &[NAME, EXISTING_MEMBER_ANY_CASE],
        requires: None,
        judge: lookup::any_case,
    },
    Check {
        def: CheckDef {
            id: "okta.users.existence-check.only-matches",
            level: Level::Must,
            title: "a userName eq filter returns only users with that userName",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (\"only those resources matching the filter expression SHALL \
                 be returned\")",
                "docs/okta-wire.md#33-linking-an-existing-user (Okta links the first resource the filter returns)",
            ],
            needs: Needs::Scim,
            hint: "apply the filter: Okta links the first result of its existence check, so an \
                   unfiltered list makes it link (and overwrite) the wrong person",
        },
        scenarios: &[NAME, EXISTING_MEMBER_LINKED, EMAIL_DIFFERS],
        requires: None,
        judge: lookup::only_matches,
    },
    Check {
        def: CheckDef {
            id: "okta.users.assign.succeeds",
            level: Level::Must,
            title: "assigning a new or an existing person succeeds in Okta, without an error badge",
            sources: &[
                "docs/okta-wire.md#3-assigning-a-user (create or link) and §13",
                "docs/okta-wire.md#123-oin-test-plan (Okta OIN test plan C9290, C9335)",
            ],
            needs: Needs::Scim,
            hint: "answer Okta's existence check, create and link calls as docs/okta-wire.md#3-assigning-a-user \
                   describes; the evidence quotes the message Okta shows the admin",
        },
        scenarios: &[
            NEW_USER_INVITED,
            EXISTING_MEMBER_LINKED,
            EXISTING_MEMBER_ANY_CASE,
            EMAIL_DIFFERS,
        ],
        requires: None,
        judge: lookup::assign_succeeds,
    },
    Check {
        def: CheckDef {
            id: "okta.users.assign.links-existing-user",
            level: Level::Must,
            title: "assigning a person the target already holds links that user: Okta's existence \
                    check finds it first, so no second user is created",
            sources: &[
                "docs/okta-wire.md#31-existence-check (existence check) and §3.3 (Okta links the first result, \
                 no POST)",
                "https://www.rfc-editor.org/rfc/rfc7643#section-4.1 (userName: unique, caseExact false)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (eq filter)",
            ],
            needs: Needs::Scim,
            hint: "answer `userName eq` with the user who has that userName (any case), first: \
                   Okta then links it instead of creating a duplicate",
        },
        scenarios: &[EXISTING_MEMBER_LINKED, EXISTING_MEMBER_ANY_CASE],
        requires: None,
        judge: link::links_existing_user,
    },
    Check {
        def: CheckDef {
            id: "okta.users.update.reads-back",
            level: Level::Must,
            title: "Okta's profile push (GET then PUT) answers 200 and the user reads back with the pushed values",
            sources: &[
                "docs/okta-wire.md#4-profile-updates (GET → PUT, expected 200 with the updated user)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.1 (readWrite values \"SHALL replace the existing attribute values\")",
                "docs/okta-wire.md#122-crud-test (Okta SCIM 2.0 CRUD test step 5)",
            ],
            needs: Needs::Scim,
            hint: "apply the mapped attributes of the PUT (name, displayName, userName) and keep \
                   the id and active state",
        },
        scenarios: &[PROFILE_UPDATE],
        requires: None,
        judge: update::reads_back,
    },
    Check {
        def: CheckDef {
            id: "okta.users.email-change.reads-back",
            level: Level::Must,
            title: "after Okta pushes a new userName, the same user reads back with the new userName and e-mail",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.1 (readWrite values \"SHALL replace the existing attribute values\")",
                "docs/1password.md#23-attribute-updates (e-mail change from the IdP, bridge 1.6.0+), outcome 13",
            ],
            needs: Needs::Scim,
            hint: "treat a new userName as an e-mail change of the same user: start it and show \
                   the new address in userName and emails",
        },
        scenarios: &[EMAIL_CHANGE],
        requires: None,
        judge: update::email_change_reads_back,
    },
    Check {
        def: CheckDef {
            id: "1password.users.email-change.disallowed-refused",
            level: Level::Must,
            title: "a userName on a domain the account does not allow is refused with a SCIM error, and the old one stays",
            sources: &[
                "docs/1password.md#23-attribute-updates (a new domain must be allowed first), outcome 13",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.12 (error response)",
            ],
            needs: Needs::Scim,
            hint: "answer 400 (scimType invalidValue) with a detail naming the domain; never 200 \
                   while keeping the old address",
        },
        scenarios: &[EMAIL_CHANGE_NOT_ALLOWED],
        requires: None,
        judge: update::email_change_disallowed_refused,
    },
    Check {
        def: CheckDef {
            id: "okta.users.deactivate.accepted",
            level: Level::Must,
            title: "Okta's deactivation (OIN: PATCH replace {\"active\":false}; AIW: PUT) answers 200 or 204",
            sources: &[
                "docs/okta-wire.md#51-deactivate",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.3 (replace without path)",
                "docs/okta-wire.md#23-responses-okta-accepts (204 allowed)",
            ],
            needs: Needs::Scim,
            hint: "accept a path-less replace whose value is an object of attributes",
        },
        scenarios: &[NAME, DEACTIVATE_SUSPENDS, UNASSIGN_SUSPENDS],
        requires: None,
        judge: lifecycle::deactivate_accepted,
    },
    Check {
        def: CheckDef {
            id: "okta.users.deactivate.reads-back-inactive",
            level: Level::Must,
            title: "after deactivation the user still exists and reads back active=false",
            sources: &[
                "docs/okta-wire.md#122-crud-test (Okta SCIM 2.0 CRUD test steps 6 and 8)",
                "docs/okta-wire.md#53-no-delete-of-users (Okta never deletes users)",
            ],
            needs: Needs::Scim,
            hint: "keep deactivated users and return them with active=false",
        },
        scenarios: &[NAME, DEACTIVATE_SUSPENDS, UNASSIGN_SUSPENDS],
        requires: None,
        judge: lifecycle::deactivate_reads_back,
    },
    Check {
        def: CheckDef {
            id: "okta.users.reactivate.reads-back-active",
            level: Level::Must,
            title: "after reactivation the same user reads back active=true",
            sources: &[
                "docs/okta-wire.md#54-reactivate (same id, active:true)",
                "docs/okta-wire.md#122-crud-test (Okta OIN test plan C9293; CRUD test step 7)",
            ],
            needs: Needs::Scim,
            hint: "map active=true to reactivating the suspended person and return active: true",
        },
        scenarios: &[REACTIVATE],
        requires: None,
        judge: lifecycle::reactivate_reads_back,
    },
    Check {
        def: CheckDef {
            id: "okta.users.refusal.reason-reaches-okta",
            level: Level::Should,
            title: "when the bridge refuses a user, Okta's task error carries the bridge's reason",
            sources: &[
                "docs/okta-wire.md#10-errors-retries-timeouts (\"Errors reported by remote server: <detail>\")",
                "docs/okta-wire.md#23-responses-okta-accepts (a non-JSON body shows as \"Invalid JSON\")",
            ],
            needs: Needs::Scim,
            hint: "refuse with a SCIM error whose detail says what is wrong and how to fix it \
                   (public domain, domain not allowed, guest)",
        },
        scenarios: &[
            PUBLIC_DOMAIN,
            DOMAIN_NOT_ALLOWED,
            EMAIL_CHANGE_NOT_ALLOWED,
            GUEST_UNTOUCHED,
        ],
        requires: None,
        judge: refusal::reason_reaches_okta,
    },
];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[
    (Fault::CreateReturns200, &["okta.users.create.returns-201"]),
    (
        Fault::NoLocationHeader,
        &["scim.users.create.location-header"],
    ),
    (
        Fault::PatchRequiresPath,
        &["okta.users.deactivate.accepted"],
    ),
    (
        Fault::DeleteInsteadOfSuspend,
        &["okta.users.deactivate.reads-back-inactive"],
    ),
    (
        Fault::IgnoreDeactivate,
        &["okta.users.deactivate.reads-back-inactive"],
    ),
    (
        Fault::CaseSensitiveUserName,
        &[
            "okta.users.existence-check.any-case",
            "okta.users.assign.succeeds",
            "okta.users.assign.links-existing-user",
        ],
    ),
    (
        Fault::IgnoreFilter,
        &[
            "okta.users.existence-check.only-matches",
            "okta.users.assign.succeeds",
        ],
    ),
    (
        Fault::IgnoreReactivate,
        &["okta.users.reactivate.reads-back-active"],
    ),
    (
        Fault::IgnoreEmailChange,
        &[
            "okta.users.email-change.reads-back",
            "1password.users.email-change.disallowed-refused",
        ],
    ),
    (
        Fault::PlainTextErrors,
        &[
            "okta.users.recreate.conflict",
            "okta.users.refusal.reason-reaches-okta",
        ],
    ),
];

/// Checks here no fault of the reference bridge can turn red, and why.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[
    (
        "okta.users.create.returns-id",
        "no fault drops the id from a create answer; the check's unit tests prove it can fail",
    ),
    (
        "okta.users.create.echoes-username",
        "no fault alters userName in the answer; the check's unit tests prove it can fail",
    ),
    (
        "okta.users.create.echoes-profile",
        "no fault alters the created resource's names, e-mail or active; unit-tested",
    ),
    (
        "okta.users.create.reads-back",
        "no fault breaks GET /Users/{id} right after a create; unit-tested",
    ),
    (
        "okta.users.update.reads-back",
        "no fault drops name or displayName changes of a PUT (display-name-not-split only \
         bites when no name is sent); unit-tested",
    ),
];
