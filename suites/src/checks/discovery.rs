//! Discovery (RFC 7644 §4): `/ServiceProviderConfig`, `/ResourceTypes` and
//! `/Schemas` as RFC 7643 §5-7 shape them, and consistent with what the
//! target really does in the same run.
//!
//! Okta never reads discovery (docs/okta-wire.md#1-connection-test), so a missing or
//! incomplete answer is a SHOULD; saying one thing and doing another is
//! judged where the RFC makes the promise binding.

mod consistency;
mod shape;

use scimulate_bridge::Fault;

use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::scenarios::core::NAME;

pub const CHECKS: &[Check] = &[
    Check {
        def: CheckDef {
            id: "scim.discovery.service-provider-config",
            level: Level::Should,
            title: "GET /ServiceProviderConfig answers with every attribute RFC 7643 §5 marks REQUIRED",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7643#section-5 (patch, bulk, filter, changePassword, sort, etag, \
                 authenticationSchemes: REQUIRED)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-4",
                "docs/1password.md#outcome-22",
            ],
            needs: Needs::Scim,
            hint: "serve the SPC URN with patch/bulk/filter/changePassword/sort/etag objects \
                   (each with a boolean supported), bulk.maxOperations, bulk.maxPayloadSize, \
                   filter.maxResults and a non-empty authenticationSchemes",
        },
        scenarios: &[NAME],
        requires: None,
        judge: shape::service_provider_config,
    },
    Check {
        def: CheckDef {
            id: "scim.discovery.resource-types",
            level: Level::Should,
            title: "GET /ResourceTypes lists the User type (name, endpoint /Users, core User schema)",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7643#section-6 (name, endpoint, schema: REQUIRED)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-4",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2 (ListResponse: totalResults REQUIRED, Resources)",
            ],
            needs: Needs::Scim,
            hint: "answer a ListResponse (the ListResponse URN, an integer totalResults, a \
                   Resources array) of ResourceType resources; User: endpoint \"/Users\", \
                   schema urn:ietf:params:scim:schemas:core:2.0:User",
        },
        scenarios: &[NAME],
        requires: None,
        judge: shape::resource_types,
    },
    Check {
        def: CheckDef {
            id: "scim.discovery.schemas",
            level: Level::Should,
            title: "GET /Schemas describes the core User schema, userName included",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7643#section-7 (id, attributes with name, type, multiValued, required)",
                "https://www.rfc-editor.org/rfc/rfc7643#section-8.7.1 (the User schema representation)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-4",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2 (ListResponse: totalResults REQUIRED, Resources)",
            ],
            needs: Needs::Scim,
            hint: "answer a ListResponse (the ListResponse URN, an integer totalResults, a \
                   Resources array) holding urn:ietf:params:scim:schemas:core:2.0:User with its \
                   attributes (name, type, multiValued, required, caseExact, …)",
        },
        scenarios: &[NAME],
        requires: None,
        judge: shape::schemas,
    },
    Check {
        def: CheckDef {
            id: "scim.discovery.bearer-scheme",
            level: Level::Should,
            title: "authenticationSchemes names the bearer token Okta sends, and the target enforces it",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7643#section-5 (authenticationSchemes, type \"oauthbearertoken\")",
                "docs/1password.md#13-authentication-and-the-connection-test (1Password advertises one oauthbearertoken scheme)",
                "docs/okta-wire.md#22-authorization (Authorization: Bearer <token>)",
            ],
            needs: Needs::Scim,
            hint: "advertise {\"type\":\"oauthbearertoken\",…} and refuse requests without the \
                   token",
        },
        scenarios: &[NAME],
        requires: None,
        judge: consistency::bearer_scheme,
    },
    Check {
        def: CheckDef {
            id: "scim.discovery.patch-as-advertised",
            level: Level::Should,
            title: "patch.supported matches what the target does with Okta's PATCH requests",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7643#section-5 (patch.supported)",
                "docs/okta-wire.md#51-deactivate (OIN deactivates by PATCH)",
            ],
            needs: Needs::Scim,
            hint: "advertise patch.supported: true only when PATCH works (including Okta's \
                   path-less replace); otherwise advertise false",
        },
        scenarios: &[NAME],
        requires: None,
        judge: consistency::patch_as_advertised,
    },
    Check {
        def: CheckDef {
            id: "scim.discovery.filter-as-advertised",
            level: Level::Should,
            title: "with filter.supported true, filters are applied and a bad one is refused",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7643#section-5 (filter.supported)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (only matching resources SHALL be returned)",
            ],
            needs: Needs::Scim,
            hint: "apply the filters you advertise; refuse one that does not parse with 400 \
                   invalidFilter instead of listing everyone",
        },
        scenarios: &[NAME],
        requires: None,
        judge: consistency::filter_as_advertised,
    },
    Check {
        def: CheckDef {
            id: "scim.discovery.user-type-as-served",
            level: Level::Should,
            title: "the User resource type's schema is served by /Schemas and is what created users carry",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7643#section-6 (schema \"MUST be equal to the id attribute of the associated \
                 Schema resource\")",
                "https://www.rfc-editor.org/rfc/rfc7643#section-3.1 (meta.resourceType), §7",
            ],
            needs: Needs::Scim,
            hint: "keep ResourceTypes, Schemas and the resources in step: the User type's \
                   schema URN in /Schemas, in each user's schemas, and meta.resourceType \"User\"",
        },
        scenarios: &[NAME],
        requires: None,
        judge: consistency::user_type_as_served,
    },
    Check {
        def: CheckDef {
            id: "scim.discovery.username-as-advertised",
            level: Level::Must,
            title: "userName behaves as /Schemas says: caseExact false → found in any case; uniqueness server → no duplicate",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7643#section-7 (caseExact: \"The server SHALL use case sensitivity when evaluating \
                 filters\"; uniqueness)",
                "https://www.rfc-editor.org/rfc/rfc7643#section-4.1, §8.7.1 (userName: caseExact false, uniqueness server)",
            ],
            needs: Needs::Scim,
            hint: "match userName filters case-insensitively when the schema says caseExact \
                   false, and refuse a second user with the same userName when it says \
                   uniqueness server",
        },
        scenarios: &[NAME],
        requires: None,
        judge: consistency::username_as_advertised,
    },
];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[
    (Fault::AcceptAnyToken, &["scim.discovery.bearer-scheme"]),
    (
        Fault::PatchRequiresPath,
        &["scim.discovery.patch-as-advertised"],
    ),
    (
        Fault::IgnoreFilter,
        &["scim.discovery.filter-as-advertised"],
    ),
    (
        Fault::CaseSensitiveUserName,
        &["scim.discovery.username-as-advertised"],
    ),
];

/// Checks here no fault of the reference bridge can turn red, and why.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[
    (
        "scim.discovery.service-provider-config",
        "no fault changes the ServiceProviderConfig; unit-tested (discovery/shape.rs)",
    ),
    (
        "scim.discovery.resource-types",
        "no fault changes /ResourceTypes; unit-tested (discovery/shape.rs)",
    ),
    (
        "scim.discovery.schemas",
        "no fault changes /Schemas; unit-tested (discovery/shape.rs)",
    ),
    (
        "scim.discovery.user-type-as-served",
        "no fault makes ResourceTypes, Schemas and the users disagree; unit-tested \
         (discovery/consistency.rs)",
    ),
];
