//! Failed verdicts built from what a run shows: where an exchange sits, what
//! its answer was, or that a step never happened.

use scimulate_simulator::Exchange;

use crate::observation::seen;
use crate::verdict::{Evidence, Verdict};

/// `assign carol@acme.com: create`: where an exchange sits in the run.
pub(super) fn step_of(exchange: &Exchange) -> String {
    format!("{}: {}", exchange.action, exchange.step)
}

/// A failure shown by one exchange's answer.
pub(super) fn wrong_answer(exchange: &Exchange, expected: impl Into<String>) -> Verdict {
    Verdict::failed(
        Evidence::new(step_of(exchange), expected, seen(exchange)).exchange(exchange.number),
    )
}

/// A failure about one exchange, with what was seen said in words.
pub(super) fn wrong_at(
    exchange: &Exchange,
    expected: impl Into<String>,
    seen: impl Into<String>,
) -> Verdict {
    Verdict::failed(Evidence::new(step_of(exchange), expected, seen).exchange(exchange.number))
}

/// A failure because a step the check judges never happened.
pub(super) fn never_sent(
    step: impl Into<String>,
    expected: impl Into<String>,
    why: impl Into<String>,
) -> Verdict {
    Verdict::failed(Evidence::new(step, expected, why))
}
