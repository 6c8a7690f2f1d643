//! Deactivation and reactivation (docs/okta-wire.md#5-deactivate-unassign-suspend-reactivate): OIN PATCHes
//! `{"active":false|true}`, AIW GETs and PUTs; either way the user must
//! read back with the new `active` and the same id.

use serde_json::Value;

use scimulate_simulator::Exchange;

use crate::checks::failure::{never_sent, step_of, wrong_answer};
use crate::checks::reading::{path_id, read_back};
use crate::observation::{Observation, body, status};
use crate::scenarios::core::{READ_AFTER_DEACTIVATE, VERIFY};
use crate::verdict::{Evidence, Verdict};

/// The first request Okta sent at `step` (`deactivate`, `activate`),
/// whichever action sent it (deactivate, unassign, reactivate).
fn sent_at<'o>(o: &'o Observation, step: &str) -> Option<&'o Exchange> {
    o.exchanges
        .iter()
        .find(|e| e.step == step && e.action != VERIFY && !e.action.starts_with("probe"))
}

pub(super) fn deactivate_accepted(o: &Observation) -> Verdict {
    let Some(exchange) = sent_at(o, "deactivate") else {
        return never_sent(
            format!("deactivate {}: deactivate", o.subject_email),
            "Okta sends its deactivation",
            "none was sent (the user was never created)",
        );
    };
    match status(exchange) {
        Some(200 | 204) => Verdict::Passed,
        _ => wrong_answer(exchange, "200 or 204"),
    }
}

/// The read-back after `exchange` changed `active`: `core`'s own probe
/// after deactivation, else the scenario's read-back of that user.
fn read_after<'o>(
    o: &'o Observation,
    exchange: &Exchange,
    core_step: Option<&str>,
) -> Option<&'o Exchange> {
    core_step
        .and_then(|step| o.find(VERIFY, step))
        .or_else(|| path_id(exchange).and_then(|id| read_back(o, id)))
}

fn reads_back_active(
    o: &Observation,
    step: &str,
    core_step: Option<&str>,
    active: bool,
) -> Verdict {
    let Some(exchange) = sent_at(o, step) else {
        return never_sent(
            format!("{step} {}", o.subject_email),
            "the user can be read back",
            "no read-back was possible (the user was never created)",
        );
    };
    let Some(read) = read_after(o, exchange, core_step) else {
        return never_sent(
            step_of(exchange),
            "the user is read back",
            "no read-back was made",
        );
    };
    let got = body(read).filter(|_| status(read) == Some(200));
    let same_id = path_id(exchange)
        .is_none_or(|id| got.and_then(|b| b.get("id")).and_then(Value::as_str) == Some(id));
    if same_id && got.and_then(|b| b.get("active")) == Some(&Value::Bool(active)) {
        return Verdict::Passed;
    }
    Verdict::failed(
        Evidence::new(
            step_of(read),
            format!("200 with the same id and active: {active}"),
            crate::observation::seen(read),
        )
        .exchange(exchange.number)
        .exchange(read.number),
    )
}

pub(super) fn deactivate_reads_back(o: &Observation) -> Verdict {
    reads_back_active(o, "deactivate", Some(READ_AFTER_DEACTIVATE), false)
}

pub(super) fn reactivate_reads_back(o: &Observation) -> Verdict {
    let Some(exchange) = sent_at(o, "activate") else {
        // Okta looks the user up before reactivating it (docs/okta-wire.md
        // §5.4): a deactivated user the lookup misses is created again.
        let sent: Vec<&Exchange> = o
            .exchanges
            .iter()
            .filter(|e| e.action.starts_with("reactivate "))
            .collect();
        if let Some(last) = sent.last() {
            let evidence = sent.iter().fold(
                Evidence::new(
                    step_of(last),
                    "Okta's userName lookup finds the deactivated user, which it then reactivates",
                    format!(
                        "no reactivation was sent: {}",
                        crate::observation::seen(last)
                    ),
                ),
                |evidence, e| evidence.exchange(e.number),
            );
            return Verdict::failed(evidence);
        }
        return never_sent(
            format!("reactivate {}: activate", o.subject_email),
            "Okta sends its reactivation",
            "none was sent (the user was never created or deactivated)",
        );
    };
    if !matches!(status(exchange), Some(200..=299)) {
        return wrong_answer(exchange, "200 or 204");
    }
    reads_back_active(o, "activate", None, true)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::users::sample::Sample;
    use crate::scenarios::names::{DEACTIVATE_SUSPENDS, REACTIVATE};

    fn run(scenario: &str, action: &str, step: &str, status: u16, active: bool) -> Observation {
        let user = json!({"id": "U1", "userName": "carol@acme.com", "active": active});
        Sample::new(scenario, "carol@acme.com")
            .json(
                (action, step),
                ("PATCH", "/Users/U1"),
                None,
                status,
                user.clone(),
            )
            .json(
                (VERIFY, "read back user"),
                ("GET", "/Users/U1"),
                None,
                200,
                user,
            )
            .build()
    }

    #[test]
    fn deactivation_reads_back_inactive() {
        let good = run(
            DEACTIVATE_SUSPENDS,
            "unassign carol@acme.com",
            "deactivate",
            200,
            false,
        );
        assert_eq!(deactivate_accepted(&good), Verdict::Passed);
        assert_eq!(deactivate_reads_back(&good), Verdict::Passed);
        let ignored = run(
            DEACTIVATE_SUSPENDS,
            "unassign carol@acme.com",
            "deactivate",
            200,
            true,
        );
        assert!(matches!(
            deactivate_reads_back(&ignored),
            Verdict::Failed { .. }
        ));
        let refused = run(
            DEACTIVATE_SUSPENDS,
            "unassign carol@acme.com",
            "deactivate",
            400,
            true,
        );
        assert!(matches!(
            deactivate_accepted(&refused),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn reactivation_reads_back_active() {
        let good = run(
            REACTIVATE,
            "reactivate carol@acme.com",
            "activate",
            200,
            true,
        );
        assert_eq!(reactivate_reads_back(&good), Verdict::Passed);
        let Verdict::Failed { evidence } = reactivate_reads_back(&run(
            REACTIVATE,
            "reactivate carol@acme.com",
            "activate",
            200,
            false,
        )) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, vec![1, 2]);
    }
}
