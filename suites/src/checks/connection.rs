//! Okta's connection test ("Test API Credentials").

use scimulate_bridge::Fault;

use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::observation::{Observation, body, seen, status};
use crate::scenarios::core::{NAME, TEST_CONNECTION};
use crate::verdict::{Evidence, Verdict};

pub const CHECKS: &[Check] = &[Check {
    def: CheckDef {
        id: "okta.connection.test-passes",
        level: Level::Must,
        title: "Okta's connection test gets 200 and a ListResponse with integer paging numbers",
        sources: &[
            "okta-scim-wire.md §1 (GET /Users?startIndex=1&count=2)",
            "okta-scim-wire.md §2.3 (paging values are JSON integers)",
            "RFC 7644 §3.4.2",
        ],
        needs: Needs::Scim,
        hint: "answer GET /Users?startIndex=1&count=2 with 200 and a ListResponse; \
               totalResults, startIndex and itemsPerPage must be JSON numbers",
    },
    scenarios: &[NAME],
    requires: None,
    judge: test_passes,
}];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] =
    &[(Fault::StringTotalResults, &["okta.connection.test-passes"])];

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
