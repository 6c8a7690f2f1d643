//! Authentication: what a bridge answers without the right token.

use serde_json::Value;

use scimulate_bridge::Fault;

use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::observation::{Observation, body, seen, status};
use crate::scenarios::core::{AUTH, NAME, NO_TOKEN, WRONG_TOKEN};
use crate::verdict::{Evidence, Verdict};

pub const CHECKS: &[Check] = &[
    Check {
        def: CheckDef {
            id: "okta.auth.missing-token-401",
            level: Level::Must,
            title: "a request without a bearer token gets 401 and a SCIM error",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-2 (authentication required)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.12 (error response)",
                "docs/okta-wire.md#121-spec-test (Okta SCIM 2.0 SPEC test step 11)",
            ],
            needs: Needs::Scim,
            hint: "refuse requests without Authorization with 401 and the SCIM Error body \
                   (schemas, status \"401\", detail)",
        },
        scenarios: &[NAME],
        requires: None,
        judge: missing_token,
    },
    Check {
        def: CheckDef {
            id: "okta.auth.wrong-token-401",
            level: Level::Must,
            title: "a request with a wrong bearer token gets 401 and a SCIM error",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc6750#section-3.1 (invalid_token → 401)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.12 (error response)",
                "docs/okta-wire.md#121-spec-test (Okta SCIM 2.0 SPEC test step 11)",
            ],
            needs: Needs::Scim,
            hint: "compare the bearer token exactly and answer 401 with the SCIM Error body \
                   (schemas, status \"401\", detail) when it differs",
        },
        scenarios: &[NAME],
        requires: None,
        judge: wrong_token,
    },
    Check {
        def: CheckDef {
            id: "scim.auth.www-authenticate",
            level: Level::Must,
            title: "a 401 for a missing or wrong token carries WWW-Authenticate: Bearer",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc6750#section-3 (the resource server \"MUST include the HTTP WWW-Authenticate \
                 response header field\")",
                "https://www.rfc-editor.org/rfc/rfc7644#section-2 (SCIM relies on HTTP authentication)",
            ],
            needs: Needs::Scim,
            hint: "refuse with 401 and WWW-Authenticate: Bearer realm=\"…\" (add \
                   error=\"invalid_token\" for a wrong token)",
        },
        scenarios: &[NAME],
        requires: None,
        judge: www_authenticate,
    },
];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[
    (
        Fault::AcceptAnyToken,
        &[
            "okta.auth.missing-token-401",
            "okta.auth.wrong-token-401",
            "scim.auth.www-authenticate",
        ],
    ),
    (
        Fault::PlainTextErrors,
        &["okta.auth.missing-token-401", "okta.auth.wrong-token-401"],
    ),
];

/// Checks here no fault of the reference bridge can turn red, and why.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[];

const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

fn missing_token(o: &Observation) -> Verdict {
    unauthorized(o, NO_TOKEN)
}

fn wrong_token(o: &Observation) -> Verdict {
    unauthorized(o, WRONG_TOKEN)
}

fn unauthorized(o: &Observation, step: &str) -> Verdict {
    let label = format!("{AUTH}: {step}");
    let Some(exchange) = o.find(AUTH, step) else {
        return Verdict::failed(Evidence::new(label, "the probe was sent", "it was not"));
    };
    let failed = |expected: &str| {
        Verdict::failed(Evidence::new(&label, expected, seen(exchange)).exchange(exchange.number))
    };
    if status(exchange) != Some(401) {
        return failed("401 Unauthorized");
    }
    let Some(body) = body(exchange) else {
        return failed("a SCIM Error body (JSON)");
    };
    let urn_ok = body
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(ERROR_URN)));
    let status_ok = body.get("status").and_then(Value::as_str) == Some("401");
    let detail_ok = body
        .get("detail")
        .and_then(Value::as_str)
        .is_some_and(|d| !d.trim().is_empty());
    if urn_ok && status_ok && detail_ok {
        Verdict::Passed
    } else {
        failed("a SCIM Error body: schemas with the Error URN, status \"401\" (a string), a detail")
    }
}

fn www_authenticate(o: &Observation) -> Verdict {
    for step in [NO_TOKEN, WRONG_TOKEN] {
        let label = format!("{AUTH}: {step}");
        let Some(exchange) = o.find(AUTH, step) else {
            return Verdict::failed(Evidence::new(label, "the probe was sent", "it was not"));
        };
        let challenge = exchange.response.as_ref().and_then(|r| {
            r.headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("www-authenticate"))
                .map(|h| h.value.clone())
        });
        let bearer = challenge.as_deref().is_some_and(|c| {
            c.trim_start()
                .get(..6)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer"))
        });
        if status(exchange) != Some(401) || !bearer {
            return Verdict::failed(
                Evidence::new(
                    label,
                    "401 with WWW-Authenticate: Bearer …",
                    match challenge {
                        Some(c) => format!("WWW-Authenticate: {c} ({})", seen(exchange)),
                        None => format!("no WWW-Authenticate ({})", seen(exchange)),
                    },
                )
                .exchange(exchange.number),
            );
        }
    }
    Verdict::Passed
}
