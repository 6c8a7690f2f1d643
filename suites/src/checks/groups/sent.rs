//! What Okta sent for a group action, and what it made of the answer.

use scimulate_simulator::{ActionOutcome, ActionResult, Exchange};

use crate::observation::Observation;
use crate::scenarios::core::VERIFY;
use crate::verdict::{Evidence, Verdict};

/// Okta's own exchanges, not the read-back probes.
pub(super) fn okta_exchanges(o: &Observation) -> impl Iterator<Item = &Exchange> {
    o.exchanges.iter().filter(|e| !e.action.starts_with(VERIFY))
}

/// The verdict when Okta never sent what a check judges: it says what
/// Okta's outcome of the action was instead.
pub(super) fn nothing_sent(o: &Observation, action: &str, step: &str, expected: &str) -> Verdict {
    let seen = match o.outcome(action) {
        Some(outcome) => format!("nothing was sent at this step; {}", outcome_text(outcome)),
        None => format!("no \"{action}\" action ran"),
    };
    Verdict::failed(Evidence::new(format!("{action}: {step}"), expected, seen))
}

/// Okta's outcome in a sentence.
pub(in crate::checks) fn outcome_text(outcome: &ActionOutcome) -> String {
    match &outcome.result {
        ActionResult::Succeeded => format!("Okta's {}: succeeded", outcome.action),
        ActionResult::NotSent { reason } => {
            format!("Okta's {}: nothing sent ({reason})", outcome.action)
        }
        ActionResult::Failed(failure) => {
            format!("Okta's {} failed: {}", outcome.action, failure.message)
        }
    }
}
