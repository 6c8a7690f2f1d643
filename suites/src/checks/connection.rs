//! Okta's connection test ("Test API Credentials"), what it shows when the
//! account has provisioning off, and the media type of every answer.

use scimulate_bridge::Fault;
use scimulate_simulator::{FailureKind, RecordedBody};

use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::errors::detail;
use crate::checks::failure::step_of;
use crate::observation::{Observation, body, seen, status};
use crate::scenarios::core::{NAME, TEST_CONNECTION};
use crate::scenarios::names::PROVISIONING_OFF;
use crate::verdict::{Evidence, Verdict};

pub const CHECKS: &[Check] = &[
    Check {
        def: CheckDef {
            id: "okta.connection.test-passes",
            level: Level::Must,
            title: "Okta's connection test gets 200 and a ListResponse with integer paging numbers",
            sources: &[
                "docs/okta-wire.md#1-connection-test (GET /Users?startIndex=1&count=2)",
                "docs/okta-wire.md#23-responses-okta-accepts (paging values are JSON integers)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2",
            ],
            needs: Needs::Scim,
            hint: "answer GET /Users?startIndex=1&count=2 with 200 and a ListResponse; \
               totalResults, startIndex and itemsPerPage must be JSON numbers",
        },
        scenarios: &[NAME],
        requires: None,
        judge: test_passes,
    },
    Check {
        def: CheckDef {
            id: "1password.connection.provisioning-off-is-auth-error",
            level: Level::Must,
            title: "with provisioning off in the account, Okta's connection test fails as \"Error authenticating: Unauthorized\" (401)",
            sources: &[
                "docs/1password.md#13-authentication-and-the-connection-test (1Password: a failing IdP connection test → turn on \
                 \"Provisioning users & groups\"; a 500 hid it, scim-examples #247)",
                "docs/okta-wire.md#1-connection-test (401 → \"Error authenticating: Unauthorized\")",
            ],
            needs: Needs::Scim,
            hint: "when the account refuses because provisioning is off, answer every SCIM call \
                   401 with a SCIM error, never 500: 1Password's troubleshooting starts from \
                   Okta's \"Error authenticating\"",
        },
        scenarios: &[PROVISIONING_OFF],
        requires: None,
        judge: provisioning_off_is_auth_error,
    },
    Check {
        def: CheckDef {
            id: "1password.connection.provisioning-off-says-why",
            level: Level::Should,
            title: "with provisioning off, the error's detail says provisioning is off",
            sources: &[
                "docs/okta-wire.md#10-errors-retries-timeouts (Okta shows the remote detail on task errors)",
                "docs/1password.md#13-authentication-and-the-connection-test, §4 (troubleshooting: check the provisioning toggle)",
            ],
            needs: Needs::Scim,
            hint: "put the cause and the fix in detail, e.g. \"provisioning is turned off for \
                   this 1Password account: turn on Provisioning users & groups\"",
        },
        scenarios: &[PROVISIONING_OFF],
        requires: None,
        judge: provisioning_off_says_why,
    },
    Check {
        def: CheckDef {
            id: "scim.connection.content-type",
            level: Level::Should,
            title: "every answer with a body is JSON served as application/scim+json",
            sources: &[
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.1 and §8.1 (media type application/scim+json)",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.8 (JSON responses; Okta sends Accept: application/scim+json)",
                "docs/okta-wire.md#23-responses-okta-accepts (bridges should send application/scim+json)",
            ],
            needs: Needs::Scim,
            hint: "serve every body, errors included, as JSON with Content-Type: \
                   application/scim+json (application/json is tolerated)",
        },
        scenarios: &[NAME],
        requires: None,
        judge: content_type,
    },
];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[
    (Fault::StringTotalResults, &["okta.connection.test-passes"]),
    (
        Fault::ProvisioningOff500,
        &[
            "1password.connection.provisioning-off-is-auth-error",
            "1password.connection.provisioning-off-says-why",
        ],
    ),
    (Fault::PlainTextErrors, &["scim.connection.content-type"]),
];

/// Checks here no fault of the reference bridge can turn red, and why.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[];

const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

fn test_passes(o: &Observation) -> Verdict {
    let step = "test API credentials: connection test";
    let Some(exchange) = o.find(TEST_CONNECTION, "list users") else {
        return Verdict::failed(Evidence::new(
            step,
            "a connection test was sent",
            "none was sent",
        ));
    };
    let failed = |expected: &str| {
        Verdict::failed(Evidence::new(step, expected, seen(exchange)).exchange(exchange.number))
    };
    if status(exchange) != Some(200) {
        return failed("200 with a ListResponse");
    }
    let Some(body) = body(exchange) else {
        return failed("a JSON ListResponse body");
    };
    let has_urn = body
        .get("schemas")
        .and_then(|s| s.as_array())
        .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(LIST_URN)));
    if !has_urn {
        return failed("schemas containing the ListResponse URN");
    }
    for key in ["totalResults", "startIndex", "itemsPerPage"] {
        if !body.get(key).is_some_and(|v| v.is_u64()) {
            return failed(&format!("{key} as a JSON integer"));
        }
    }
    Verdict::Passed
}

fn provisioning_off_is_auth_error(o: &Observation) -> Verdict {
    let label = format!("{TEST_CONNECTION}: list users");
    let Some(exchange) = o.find(TEST_CONNECTION, "list users") else {
        return Verdict::failed(Evidence::new(
            label,
            "a connection test was sent",
            "none was sent",
        ));
    };
    if status(exchange) != Some(401) {
        return Verdict::failed(
            Evidence::new(
                label,
                "401: Okta shows \"Error authenticating: Unauthorized\"",
                seen(exchange),
            )
            .exchange(exchange.number),
        );
    }
    let outcome = o.outcome(TEST_CONNECTION);
    match outcome.and_then(|outcome| outcome.failure()) {
        Some(failure) if failure.kind == FailureKind::Unauthorized => Verdict::Passed,
        _ => Verdict::failed(
            Evidence::new(
                label,
                "Okta's connection test fails as unauthorized",
                format!("Okta's outcome: {:?}", outcome.map(|o| &o.result)),
            )
            .exchange(exchange.number),
        ),
    }
}

fn provisioning_off_says_why(o: &Observation) -> Verdict {
    let refused: Vec<_> = o
        .exchanges
        .iter()
        .filter(|e| status(e).is_some_and(|s| s >= 400))
        .collect();
    if refused.is_empty() {
        return Verdict::failed(Evidence::new(
            format!("{TEST_CONNECTION}: list users"),
            "the calls are refused, saying provisioning is off",
            "nothing was refused",
        ));
    }
    for exchange in refused {
        let says =
            detail(exchange).is_some_and(|d| d.to_ascii_lowercase().contains("provisioning"));
        if !says {
            return Verdict::failed(
                Evidence::new(
                    step_of(exchange),
                    "a SCIM error whose detail says provisioning is turned off",
                    seen(exchange),
                )
                .exchange(exchange.number),
            );
        }
    }
    Verdict::Passed
}

fn is_json_media_type(value: &str) -> bool {
    let media = value.split(';').next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case("application/scim+json")
        || media.eq_ignore_ascii_case("application/json")
}

fn content_type(o: &Observation) -> Verdict {
    for exchange in &o.exchanges {
        let Some(response) = &exchange.response else {
            continue;
        };
        if matches!(response.body, RecordedBody::Empty) {
            continue;
        }
        let media = response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
            .map(|h| h.value.as_str());
        let json = matches!(response.body, RecordedBody::Json(_));
        if !(json && media.is_some_and(is_json_media_type)) {
            return Verdict::failed(
                Evidence::new(
                    step_of(exchange),
                    "a JSON body with Content-Type: application/scim+json",
                    format!(
                        "Content-Type: {} ({})",
                        media.unwrap_or("none"),
                        seen(exchange)
                    ),
                )
                .exchange(exchange.number),
            );
        }
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use scimulate_simulator::FailureKind;
    use serde_json::json;

    use super::*;
    use crate::checks::users::sample::Sample;

    fn provisioning_off(status: u16, detail: &str, kind: FailureKind) -> Observation {
        let error = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": status.to_string(), "detail": detail});
        Sample::new(PROVISIONING_OFF, "carol@acme.com")
            .json(
                (TEST_CONNECTION, "list users"),
                ("GET", "/Users?startIndex=1&count=2"),
                None,
                status,
                error,
            )
            .failed(TEST_CONNECTION, kind, status, "Error authenticating: …")
            .build()
    }

    #[test]
    fn provisioning_off_must_be_an_explained_401() {
        let good = provisioning_off(401, "provisioning is turned off", FailureKind::Unauthorized);
        assert_eq!(provisioning_off_is_auth_error(&good), Verdict::Passed);
        assert_eq!(provisioning_off_says_why(&good), Verdict::Passed);
        let bad = provisioning_off(500, "internal server error", FailureKind::HttpStatus);
        assert!(matches!(
            provisioning_off_is_auth_error(&bad),
            Verdict::Failed { .. }
        ));
        assert!(matches!(
            provisioning_off_says_why(&bad),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn plain_text_fails_the_media_type() {
        let good = Sample::new(NAME, "ada@acme.com")
            .json(
                ("probe errors", "unknown id"),
                ("GET", "/Users/x"),
                None,
                404,
                json!({"detail": "no"}),
            )
            .build();
        assert_eq!(content_type(&good), Verdict::Passed);
        let bad = Sample::new(NAME, "ada@acme.com")
            .text(
                ("probe errors", "unknown id"),
                ("GET", "/Users/x"),
                404,
                "Error: no",
            )
            .build();
        let Verdict::Failed { evidence } = content_type(&bad) else {
            panic!("expected a failure");
        };
        assert!(evidence.seen.contains("text/plain"), "{}", evidence.seen);
    }
}
