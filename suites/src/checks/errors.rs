//! Errors: every 4xx and 5xx a bridge answers is an RFC 7644 §3.12 SCIM
//! error (schemas with the Error URN, `status` as a JSON string, `scimType`
//! where Table 9 defines one, a `detail` Okta shows the admin), and the
//! error answers Okta's own SPEC test asks for.

use serde_json::Value;

use scimulate_bridge::Fault;
use scimulate_simulator::Exchange;

use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::failure::step_of;
use crate::observation::{Observation, body, seen, status};
use crate::scenarios::core::{ERRORS, INVALID_FILTER, NAME, UNKNOWN_ID};
use crate::scenarios::names::{
    DEACTIVATE_SUSPENDS, DOMAIN_NOT_ALLOWED, EMAIL_CHANGE, EMAIL_CHANGE_NOT_ALLOWED, EMAIL_DIFFERS,
    EXISTING_MEMBER_ANY_CASE, EXISTING_MEMBER_LINKED, GUEST_UNTOUCHED, NEW_USER_INVITED,
    PROFILE_ATTRIBUTE_CLEARED, PROFILE_UPDATE, PROVISIONING_OFF, PUBLIC_DOMAIN, REACTIVATE,
    UNASSIGN_SUSPENDS,
};
use crate::verdict::{Evidence, Verdict};

/// Scenarios whose runs hold error answers: `core`'s probes and the
/// refusals.
const WITH_ERRORS: &[&str] = &[
    NAME,
    PROVISIONING_OFF,
    PUBLIC_DOMAIN,
    DOMAIN_NOT_ALLOWED,
    EMAIL_CHANGE_NOT_ALLOWED,
    GUEST_UNTOUCHED,
];

/// Every user scenario: none of them is a reason for a server error.
const USER_SCENARIOS: &[&str] = &[
    NAME,
    NEW_USER_INVITED,
    EXISTING_MEMBER_LINKED,
    EXISTING_MEMBER_ANY_CASE,
    EMAIL_DIFFERS,
    PROFILE_UPDATE,
    PROFILE_ATTRIBUTE_CLEARED,
    EMAIL_CHANGE,
    EMAIL_CHANGE_NOT_ALLOWED,
    DEACTIVATE_SUSPENDS,
    UNASSIGN_SUSPENDS,
    REACTIVATE,
    PUBLIC_DOMAIN,
    DOMAIN_NOT_ALLOWED,
    GUEST_UNTOUCHED,
    PROVISIONING_OFF,
];

pub const CHECKS: &[Check] = &[
    Check {
        def: CheckDef {
            id: "scim.errors.envelope",
            level: Level::Must,
            title: "every error answer is a JSON SCIM error: the Error URN in schemas, and a detail",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.12 (\"implementers MUST return the errors in the body of the \
                 response in a JSON format\")",
                "docs/okta-wire.md#121-spec-test (Okta SCIM 2.0 SPEC test steps 4, 11, 12: detail not empty, Error URN)",
            ],
            needs: Needs::Scim,
            hint: "answer every 4xx/5xx with {\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"], \
                   \"status\":\"<code>\", \"detail\":\"<what to fix>\"}, also from proxies and \
                   framework rejections",
        },
        scenarios: WITH_ERRORS,
        requires: None,
        judge: envelope,
    },
    Check {
        def: CheckDef {
            id: "scim.errors.status-string",
            level: Level::Must,
            title: "an error's status is the HTTP status code as a JSON string",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.12 (status: \"expressed as a JSON string. REQUIRED\")",
            ],
            needs: Needs::Scim,
            hint: "send \"status\": \"404\" (a string equal to the HTTP status), not 404",
        },
        scenarios: WITH_ERRORS,
        requires: None,
        judge: status_string,
    },
    Check {
        def: CheckDef {
            id: "scim.errors.scim-type",
            level: Level::Should,
            title: "400 and 409 errors carry a scimType keyword of RFC 7644 Table 9",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.12 Table 9 (scimType keywords for 400 and 409)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.3 (409 with scimType uniqueness)",
            ],
            needs: Needs::Scim,
            hint: "add scimType: invalidFilter, invalidValue, invalidSyntax, mutability, \
                   uniqueness… so a client can tell what kind of mistake it made",
        },
        scenarios: WITH_ERRORS,
        requires: None,
        judge: scim_type_keyword,
    },
    Check {
        def: CheckDef {
            id: "okta.errors.unknown-id-404",
            level: Level::Must,
            title: "GET /Users/{id} for an id nobody has answers 404 with a SCIM error",
            sources: &[
                "docs/okta-wire.md#121-spec-test (Okta SCIM 2.0 SPEC test steps 4 and 12)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.12 (404: resource does not exist)",
            ],
            needs: Needs::Scim,
            hint: "answer unknown ids with 404 and the SCIM Error body (schemas, status \
                   \"404\", detail)",
        },
        scenarios: &[NAME],
        requires: None,
        judge: unknown_id,
    },
    Check {
        def: CheckDef {
            id: "scim.errors.invalid-filter-400",
            level: Level::Must,
            title: "a filter that does not parse answers 400 with scimType invalidFilter, not a list",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (only resources matching the filter SHALL be returned; \
                 Figure 1 grammar)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.12 Table 9 (invalidFilter)",
            ],
            needs: Needs::Scim,
            hint: "parse the filter and refuse what does not parse with 400 invalidFilter; \
                   never ignore it and list everyone",
        },
        scenarios: &[NAME],
        requires: None,
        judge: invalid_filter,
    },
    Check {
        def: CheckDef {
            id: "scim.errors.no-server-errors",
            level: Level::Should,
            title: "no user action answers 5xx: refusals are the client's or the account's, so 4xx",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.12 (500: service provider internal error)",
                "docs/okta-wire.md#10-errors-retries-timeouts (a 5xx is a failed task with no retry)",
                "docs/1password.md#13-authentication-and-the-connection-test (a 500 with provisioning off hid the cause, \
                 scim-examples #247)",
            ],
            needs: Needs::Scim,
            hint: "map the account's refusals to 4xx with a detail (provisioning off → 401, \
                   domain → 400, taken → 409); keep 5xx for the bridge's own failures",
        },
        scenarios: USER_SCENARIOS,
        requires: None,
        judge: no_server_errors,
    },
];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[
    (
        Fault::PlainTextErrors,
        &[
            "scim.errors.envelope",
            "okta.errors.unknown-id-404",
            "scim.errors.invalid-filter-400",
        ],
    ),
    (Fault::IgnoreFilter, &["scim.errors.invalid-filter-400"]),
    (Fault::ProvisioningOff500, &["scim.errors.no-server-errors"]),
];

/// Checks here no fault of the reference bridge can turn red, and why.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[
    (
        "scim.errors.status-string",
        "it judges JSON error bodies only (a plain-text one is scim.errors.envelope's failure) and \
         no fault sends a JSON error with a numeric or wrong status; unit-tested",
    ),
    (
        "scim.errors.scim-type",
        "it judges JSON error bodies only (a plain-text one is scim.errors.envelope's failure) and \
         no fault drops scimType from a JSON error; unit-tested",
    ),
];

/// The Error message URN (RFC 7644 §3.12).
pub(super) const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The scimType keywords of RFC 7644 §3.12 Table 9.
const SCIM_TYPES: &[&str] = &[
    "invalidFilter",
    "tooMany",
    "uniqueness",
    "mutability",
    "invalidSyntax",
    "invalidPath",
    "noTarget",
    "invalidValue",
    "invalidVers",
    "sensitive",
];

/// What keeps an answer's body from being a SCIM error with a detail, if
/// anything.
pub(super) fn envelope_problem(exchange: &Exchange) -> Option<String> {
    let Some(body) = body(exchange) else {
        return Some(format!("not a JSON body: {}", seen(exchange)));
    };
    let urn = body
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(ERROR_URN)));
    if !urn {
        return Some(format!("no {ERROR_URN} in schemas: {}", seen(exchange)));
    }
    if detail(exchange).is_none_or(|d| d.trim().is_empty()) {
        return Some(format!("no detail: {}", seen(exchange)));
    }
    None
}

/// A SCIM error's `detail`.
pub(super) fn detail(exchange: &Exchange) -> Option<&str> {
    body(exchange)?.get("detail")?.as_str()
}

/// A SCIM error's `scimType`.
pub(super) fn scim_type(exchange: &Exchange) -> Option<&str> {
    body(exchange)?.get("scimType")?.as_str()
}

fn error_answers(o: &Observation) -> impl Iterator<Item = &Exchange> {
    o.exchanges
        .iter()
        .filter(|e| status(e).is_some_and(|s| s >= 400))
}

fn envelope(o: &Observation) -> Verdict {
    for exchange in error_answers(o) {
        if let Some(problem) = envelope_problem(exchange) {
            return Verdict::failed(
                Evidence::new(
                    step_of(exchange),
                    "a SCIM error body: schemas with the Error URN and a detail",
                    problem,
                )
                .exchange(exchange.number),
            );
        }
    }
    Verdict::Passed
}

/// Only error answers with a JSON object body have a `status` member to
/// judge: a bodiless or non-JSON answer is `scim.errors.envelope`'s.
fn status_string(o: &Observation) -> Verdict {
    for exchange in error_answers(o) {
        let Some(body) = body(exchange).filter(|b| b.is_object()) else {
            continue;
        };
        let code = status(exchange).map(|s| s.to_string()).unwrap_or_default();
        let got = body.get("status");
        if got.and_then(Value::as_str) == Some(code.as_str()) {
            continue;
        }
        let hint = match got {
            None => format!("add \"status\": \"{code}\" to the error body"),
            Some(Value::Number(n)) if n.to_string() == code => {
                format!("send \"status\": \"{code}\" as a JSON string, not the number {n}")
            }
            Some(other) => format!(
                "make \"status\" the answer's own HTTP status as a string (\"{code}\"), not {other}"
            ),
        };
        return Verdict::failed(
            Evidence::new(
                step_of(exchange),
                format!("\"status\": \"{code}\" (a JSON string)"),
                seen(exchange),
            )
            .exchange(exchange.number)
            .hint(hint),
        );
    }
    Verdict::Passed
}

fn scim_type_keyword(o: &Observation) -> Verdict {
    // A body that is no JSON object is `scim.errors.envelope`'s failure.
    for exchange in error_answers(o)
        .filter(|e| matches!(status(e), Some(400 | 409)))
        .filter(|e| body(e).is_some_and(Value::is_object))
    {
        if !scim_type(exchange).is_some_and(|t| SCIM_TYPES.contains(&t)) {
            let evidence = Evidence::new(
                step_of(exchange),
                "a scimType keyword of RFC 7644 Table 9",
                seen(exchange),
            )
            .exchange(exchange.number);
            let evidence = match (status(exchange), scim_type(exchange)) {
                (Some(409), None) => evidence.hint(
                    "add \"scimType\": \"uniqueness\" to a 409 (RFC 7644 §3.3), or \
                     \"mutability\" when a read-only value was to change",
                ),
                (_, Some(other)) => evidence.hint(format!(
                    "{other:?} is no keyword of RFC 7644 Table 9: use one of {}",
                    SCIM_TYPES.join(", ")
                )),
                _ => evidence,
            };
            return Verdict::failed(evidence);
        }
    }
    Verdict::Passed
}

fn unknown_id(o: &Observation) -> Verdict {
    let Some(exchange) = o.find(ERRORS, UNKNOWN_ID) else {
        return Verdict::failed(Evidence::new(
            format!("{ERRORS}: {UNKNOWN_ID}"),
            "the probe was sent",
            "it was not",
        ));
    };
    let problem = if status(exchange) != Some(404) {
        Some(seen(exchange))
    } else {
        envelope_problem(exchange)
    };
    match problem {
        None => Verdict::Passed,
        Some(problem) => Verdict::failed(
            Evidence::new(
                step_of(exchange),
                "404 with a SCIM error body (Error URN, status \"404\", detail)",
                problem,
            )
            .exchange(exchange.number),
        ),
    }
}

fn invalid_filter(o: &Observation) -> Verdict {
    let Some(exchange) = o.find(ERRORS, INVALID_FILTER) else {
        return Verdict::failed(Evidence::new(
            format!("{ERRORS}: {INVALID_FILTER}"),
            "the probe was sent",
            "it was not",
        ));
    };
    if status(exchange) == Some(400) && scim_type(exchange) == Some("invalidFilter") {
        return Verdict::Passed;
    }
    let evidence = Evidence::new(
        step_of(exchange),
        "400 with scimType \"invalidFilter\" (the filter userName eq has no value)",
        seen(exchange),
    )
    .exchange(exchange.number);
    // The check's own hint (never list everyone) fits a filter ignored;
    // the other answers are fixed otherwise.
    let listed = body(exchange)
        .and_then(crate::checks::reading::resources)
        .map(Vec::len);
    let evidence = match (status(exchange), listed) {
        (Some(200..=299), Some(0)) => evidence.hint(
            "a filter without a value does not parse (RFC 7644 §3.4.2.2): refuse it with 400 \
             invalidFilter instead of answering that nothing matched",
        ),
        (Some(200..=299), _) => evidence,
        (Some(400), _) => evidence.hint(
            "the 400 is right: add \"scimType\": \"invalidFilter\" so a client can tell a bad \
             filter from other mistakes",
        ),
        _ => {
            evidence.hint("answer a filter that does not parse with 400 and scimType invalidFilter")
        }
    };
    Verdict::failed(evidence)
}

fn no_server_errors(o: &Observation) -> Verdict {
    match o
        .exchanges
        .iter()
        .find(|e| status(e).is_some_and(|s| s >= 500))
    {
        None => Verdict::Passed,
        Some(exchange) => Verdict::failed(
            Evidence::new(
                step_of(exchange),
                "a 2xx, or a 4xx saying what the client or the account refused",
                seen(exchange),
            )
            .exchange(exchange.number),
        ),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::users::sample::Sample;
    use crate::scenarios::core::{AUTH, DUPLICATE_CREATE};

    fn error(status: &str, scim_type: Option<&str>) -> Value {
        let mut body = json!({"schemas": [ERROR_URN], "status": status, "detail": "why"});
        if let Some(t) = scim_type {
            body["scimType"] = json!(t);
        }
        body
    }

    fn probes(filter_status: u16, filter_body: Value) -> Observation {
        Sample::new(NAME, "ada@acme.com")
            .json(
                (ERRORS, UNKNOWN_ID),
                ("GET", "/Users/0101"),
                None,
                404,
                error("404", None),
            )
            .json(
                (ERRORS, INVALID_FILTER),
                ("GET", "/Users?filter=userName%20eq"),
                None,
                filter_status,
                filter_body,
            )
            .build()
    }

    #[test]
    fn scim_errors_pass() {
        let o = probes(400, error("400", Some("invalidFilter")));
        for judge in [
            envelope,
            status_string,
            scim_type_keyword,
            unknown_id,
            invalid_filter,
            no_server_errors,
        ] {
            assert_eq!(judge(&o), Verdict::Passed);
        }
    }

    #[test]
    fn numbers_and_missing_keywords_fail() {
        let o = probes(
            400,
            json!({"schemas": [ERROR_URN], "status": 400, "detail": "bad"}),
        );
        assert!(matches!(status_string(&o), Verdict::Failed { .. }));
        assert!(matches!(scim_type_keyword(&o), Verdict::Failed { .. }));
        assert!(matches!(invalid_filter(&o), Verdict::Failed { .. }));
    }

    #[test]
    fn plain_text_and_ignored_filters_fail() {
        let o = Sample::new(NAME, "ada@acme.com")
            .text(
                (ERRORS, UNKNOWN_ID),
                ("GET", "/Users/0101"),
                404,
                "Error: no user",
            )
            .json(
                (ERRORS, INVALID_FILTER),
                ("GET", "/Users?filter=userName%20eq"),
                None,
                200,
                json!({"Resources": []}),
            )
            .build();
        let Verdict::Failed { evidence } = envelope(&o) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, vec![1]);
        assert!(matches!(unknown_id(&o), Verdict::Failed { .. }));
        assert!(matches!(invalid_filter(&o), Verdict::Failed { .. }));
    }

    /// The hint of the failure mode seen (issue 13.4), the message quoting
    /// the exchange judged.
    fn failure(verdict: Verdict) -> Evidence {
        match verdict {
            Verdict::Failed { evidence } => *evidence,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn an_empty_list_for_a_valueless_filter_is_not_told_it_listed_everyone() {
        let empty = failure(invalid_filter(&probes(
            200,
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                   "totalResults": 0, "Resources": []}),
        )));
        let hint = empty.hint.expect("a hint of its own");
        assert!(
            !hint.contains("everyone") && hint.contains("nothing matched"),
            "{hint}"
        );
        assert!(
            empty.seen.contains("#2 GET /Users?filter=userName%20eq"),
            "{}",
            empty.seen
        );
        let everyone = failure(invalid_filter(&probes(
            200,
            json!({"Resources": [{"id": "1", "userName": "a@b.c"}]}),
        )));
        assert_eq!(
            everyone.hint, None,
            "the check's own hint: never list everyone"
        );
        let keyword = failure(invalid_filter(&probes(400, error("400", None))));
        assert!(keyword.hint.is_some_and(|h| h.contains("the 400 is right")));
    }

    #[test]
    fn a_bodiless_error_is_the_envelope_s_not_the_status_string_s() {
        let o = Sample::new(NAME, "ada@acme.com")
            .text((AUTH, "no token"), ("GET", "/Users"), 401, "")
            .json(
                (ERRORS, UNKNOWN_ID),
                ("GET", "/Users/0101"),
                None,
                404,
                json!({"schemas": [ERROR_URN], "status": 404, "detail": "gone"}),
            )
            .build();
        let evidence = failure(status_string(&o));
        assert_eq!(
            evidence.exchanges,
            vec![2],
            "the 404 it judged, not the 401"
        );
        assert!(
            evidence.seen.contains("#2 GET /Users/0101"),
            "{}",
            evidence.seen
        );
        assert!(
            evidence
                .hint
                .is_some_and(|h| h.contains("as a JSON string, not the number 404")),
        );
    }

    #[test]
    fn a_409_without_scim_type_is_told_to_add_it() {
        let o = Sample::new(NAME, "ada@acme.com")
            .json(
                (ERRORS, DUPLICATE_CREATE),
                ("POST", "/Users"),
                None,
                409,
                error("409", None),
            )
            .build();
        let evidence = failure(scim_type_keyword(&o));
        assert!(
            evidence.seen.contains("#1 POST /Users"),
            "{}",
            evidence.seen
        );
        let hint = evidence.hint.expect("a hint of its own");
        assert!(hint.contains("\"uniqueness\" to a 409"), "{hint}");
    }

    #[test]
    fn a_server_error_fails() {
        let o = Sample::new(PROVISIONING_OFF, "carol@acme.com")
            .json(
                ("test API credentials", "list users"),
                ("GET", "/Users?startIndex=1&count=2"),
                None,
                500,
                error("500", None),
            )
            .build();
        assert!(matches!(no_server_errors(&o), Verdict::Failed { .. }));
    }
}
