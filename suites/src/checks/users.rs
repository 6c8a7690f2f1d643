//! Users: what Okta's create and deactivate calls get back (black-box).

use serde_json::Value;

use scimulate_bridge::Fault;

use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::observation::{Observation, body, resource_id, seen, status};
use crate::scenarios::core::{ASSIGN, DEACTIVATE, NAME, READ_AFTER_DEACTIVATE, VERIFY};
use crate::verdict::{Evidence, Verdict};

pub const CHECKS: &[Check] = &[
    Check {
        def: CheckDef {
            id: "okta.users.create.returns-201",
            level: Level::Must,
            title: "POST /Users for a new person answers 201 Created",
            sources: &["RFC 7644 §3.3", "okta-scim-wire.md §3.2 (expected 201)"],
            needs: Needs::Scim,
            hint: "answer a successful create with 201, not 200",
        },
        scenarios: &[NAME],
        requires: None,
        judge: create_201,
    },
    Check {
        def: CheckDef {
            id: "okta.users.create.returns-id",
            level: Level::Must,
            title: "the created user comes back with a non-empty id Okta can store",
            sources: &[
                "RFC 7643 §3.1 (id)",
                "okta-scim-wire.md §3.2 (\"Create new user returned empty user\")",
            ],
            needs: Needs::Scim,
            hint: "return the created resource, including its id, in the 201 body",
        },
        scenarios: &[NAME],
        requires: None,
        judge: create_id,
    },
    Check {
        def: CheckDef {
            id: "okta.users.create.echoes-username",
            level: Level::Must,
            title: "the created user's userName is the one Okta sent",
            sources: &[
                "RFC 7644 §3.3",
                "Okta SCIM 2.0 SPEC test step 6 (okta-scim-wire.md §12.1)",
            ],
            needs: Needs::Scim,
            hint: "store userName as sent and return it in the 201 body",
        },
        scenarios: &[NAME],
        requires: None,
        judge: create_echoes_username,
    },
    Check {
        def: CheckDef {
            id: "okta.users.create.location-header",
            level: Level::Must,
            title: "the 201 carries a Location header with the user's URL",
            sources: &["RFC 7644 §3.3 (\"SHALL include, in the HTTP Location header\")"],
            needs: Needs::Scim,
            hint: "set Location to the new user's URL (the same as meta.location)",
        },
        scenarios: &[NAME],
        requires: None,
        judge: create_location,
    },
    Check {
        def: CheckDef {
            id: "okta.users.deactivate.accepted",
            level: Level::Must,
            title: "Okta's deactivation PATCH (replace, no path, {\"active\":false}) answers 200 or 204",
            sources: &[
                "okta-scim-wire.md §5.1",
                "RFC 7644 §3.5.2.3 (replace without path)",
                "okta-scim-wire.md §2.3 (204 allowed)",
            ],
            needs: Needs::Scim,
            hint: "accept a path-less replace whose value is an object of attributes",
        },
        scenarios: &[NAME],
        requires: None,
        judge: deactivate_accepted,
    },
    Check {
        def: CheckDef {
            id: "okta.users.deactivate.reads-back-inactive",
            level: Level::Must,
            title: "after deactivation the user still exists and reads back active=false",
            sources: &[
                "Okta SCIM 2.0 CRUD test step 6 (okta-scim-wire.md §12.2)",
                "okta-scim-wire.md §5.3 (Okta never deletes users)",
            ],
            needs: Needs::Scim,
            hint: "keep deactivated users and return them with active=false",
        },
        scenarios: &[NAME],
        requires: None,
        judge: deactivate_reads_back,
    },
];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[
    (Fault::CreateReturns200, &["okta.users.create.returns-201"]),
    (
        Fault::NoLocationHeader,
        &["okta.users.create.location-header"],
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
];

fn created(o: &Observation) -> Option<&scimulate_simulator::Exchange> {
    o.find(ASSIGN, "create")
}

/// The verdict when Okta never POSTed the user.
fn not_created(o: &Observation) -> Verdict {
    let seen = match o.outcome(ASSIGN) {
        Some(outcome) => format!(
            "no POST /Users was sent; Okta's outcome: {:?}",
            outcome.result
        ),
        None => "no assignment ran".to_string(),
    };
    Verdict::failed(Evidence::new(
        format!("assign {}: create", o.subject_email),
        "Okta's existence check finds nobody and POSTs the user",
        seen,
    ))
}

fn step(o: &Observation, step: &str) -> String {
    format!("assign {}: {step}", o.subject_email)
}

fn create_201(o: &Observation) -> Verdict {
    let Some(exchange) = created(o) else {
        return not_created(o);
    };
    if status(exchange) == Some(201) {
        Verdict::Passed
    } else {
        Verdict::failed(
            Evidence::new(step(o, "create"), "201 Created", seen(exchange))
                .exchange(exchange.number),
        )
    }
}

fn create_id(o: &Observation) -> Verdict {
    let Some(exchange) = created(o) else {
        return not_created(o);
    };
    match resource_id(exchange) {
        Some(_) if matches!(status(exchange), Some(200..=299)) => Verdict::Passed,
        _ => Verdict::failed(
            Evidence::new(
                step(o, "create"),
                "a 2xx body with a non-empty string id",
                seen(exchange),
            )
            .exchange(exchange.number),
        ),
    }
}

fn create_echoes_username(o: &Observation) -> Verdict {
    let Some(exchange) = created(o) else {
        return not_created(o);
    };
    let sent = exchange
        .request
        .body
        .as_ref()
        .and_then(|b| b.get("userName"))
        .and_then(Value::as_str);
    let got = body(exchange)
        .and_then(|b| b.get("userName"))
        .and_then(Value::as_str);
    match (sent, got) {
        (Some(sent), Some(got)) if sent == got => Verdict::Passed,
        (sent, _) => Verdict::failed(
            Evidence::new(
                step(o, "create"),
                format!("userName {:?} in the answer", sent.unwrap_or("")),
                seen(exchange),
            )
            .exchange(exchange.number),
        ),
    }
}

fn create_location(o: &Observation) -> Verdict {
    let Some(exchange) = created(o) else {
        return not_created(o);
    };
    let location = exchange.response.as_ref().and_then(|r| {
        r.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("location"))
            .map(|h| h.value.clone())
    });
    let id = resource_id(exchange);
    match (location, id) {
        (Some(location), Some(id)) if location.trim_end_matches('/').ends_with(id) => {
            Verdict::Passed
        }
        (location, _) => Verdict::failed(
            Evidence::new(
                step(o, "create"),
                "a Location header ending in the new user's id",
                match location {
                    Some(l) => format!("Location: {l} ({})", exchange.headline()),
                    None => format!("no Location header ({})", exchange.headline()),
                },
            )
            .exchange(exchange.number),
        ),
    }
}

fn deactivate_accepted(o: &Observation) -> Verdict {
    let label = format!("deactivate {}: deactivate", o.subject_email);
    let Some(exchange) = o.find(DEACTIVATE, "deactivate") else {
        return Verdict::failed(Evidence::new(
            label,
            "Okta sends its deactivation PATCH",
            "none was sent (the user was never created)",
        ));
    };
    match status(exchange) {
        Some(200 | 204) => Verdict::Passed,
        _ => Verdict::failed(
            Evidence::new(label, "200 or 204", seen(exchange)).exchange(exchange.number),
        ),
    }
}

fn deactivate_reads_back(o: &Observation) -> Verdict {
    let label = format!("{VERIFY}: {READ_AFTER_DEACTIVATE}");
    let Some(exchange) = o.find(VERIFY, READ_AFTER_DEACTIVATE) else {
        return Verdict::failed(Evidence::new(
            label,
            "the user can be read back",
            "no read-back was possible (the user was never created)",
        ));
    };
    let active = body(exchange).and_then(|b| b.get("active"));
    if status(exchange) == Some(200) && active == Some(&Value::Bool(false)) {
        Verdict::Passed
    } else {
        Verdict::failed(
            Evidence::new(label, "200 with active: false", seen(exchange))
                .exchange(exchange.number),
        )
    }
}
