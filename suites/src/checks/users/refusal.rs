//! What the admin sees when the bridge refuses a user: Okta puts the SCIM
//! error's `detail` after "Errors reported by remote server:"
//! (docs/okta-wire.md#10-errors-retries-timeouts); a body it cannot parse becomes "Invalid JSON".

use crate::blocking::NOTHING_REFUSED;
use crate::checks::errors::detail;
use crate::checks::failure::{never_sent, step_of};
use crate::observation::Observation;
use crate::verdict::{Evidence, Verdict};

pub(super) fn reason_reaches_okta(o: &Observation) -> Verdict {
    let failures: Vec<_> = o
        .outcomes
        .iter()
        .filter_map(|outcome| outcome.failure())
        .collect();
    if failures.is_empty() {
        // Quote the last write the bridge accepted: the one it should
        // have refused.
        let accepted = o.exchanges.iter().rev().find(|e| {
            e.request.method != "GET" && e.response.as_ref().is_some_and(|r| r.status < 300)
        });
        return match accepted {
            Some(exchange) => Verdict::failed(
                Evidence::new(
                    step_of(exchange),
                    "the bridge refuses the write the scenario is about, and Okta shows why",
                    format!("{NOTHING_REFUSED}: {}", crate::observation::seen(exchange)),
                )
                .exchange(exchange.number),
            ),
            None => never_sent(
                format!("assign {}", o.subject_email),
                "the bridge refuses the write the scenario is about, and Okta shows why",
                NOTHING_REFUSED,
            ),
        };
    }
    for failure in failures {
        let exchange = failure
            .exchange
            .and_then(|n| o.exchanges.iter().find(|e| e.number == n));
        let Some(exchange) = exchange else {
            return never_sent(
                "Okta's task",
                "a refusal answered by the bridge",
                format!("Okta shows: {}", failure.message),
            );
        };
        let reason = detail(exchange).map(str::trim).filter(|d| !d.is_empty());
        let shown = reason.is_some_and(|r| failure.message.contains(r));
        if !shown {
            return Verdict::failed(
                Evidence::new(
                    step_of(exchange),
                    "Okta's error ends with the bridge's reason (the SCIM error's detail)",
                    format!(
                        "Okta shows: {} ({})",
                        failure.message,
                        crate::observation::seen(exchange)
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
    use crate::scenarios::names::PUBLIC_DOMAIN;

    #[test]
    fn the_detail_must_reach_okta() {
        let error = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "400", "detail": "gmail.com is public"});
        let good = Sample::new(PUBLIC_DOMAIN, "dana@gmail.com")
            .json(
                ("assign dana@gmail.com", "create"),
                ("POST", "/Users"),
                None,
                400,
                error,
            )
            .failed(
                "assign dana@gmail.com",
                FailureKind::HttpStatus,
                400,
                "… Errors reported by remote server: gmail.com is public",
            )
            .build();
        assert_eq!(reason_reaches_okta(&good), Verdict::Passed);
        let plain = Sample::new(PUBLIC_DOMAIN, "dana@gmail.com")
            .text(
                ("assign dana@gmail.com", "create"),
                ("POST", "/Users"),
                400,
                "Error: gmail.com is public",
            )
            .failed(
                "assign dana@gmail.com",
                FailureKind::InvalidJson,
                400,
                "Invalid JSON: Unrecognized token 'Error'",
            )
            .build();
        assert!(matches!(
            reason_reaches_okta(&plain),
            Verdict::Failed { .. }
        ));
        let accepted = Sample::new(PUBLIC_DOMAIN, "dana@gmail.com")
            .succeeded("assign dana@gmail.com")
            .build();
        assert!(matches!(
            reason_reaches_okta(&accepted),
            Verdict::Failed { .. }
        ));
    }
}
