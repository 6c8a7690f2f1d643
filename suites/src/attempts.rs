//! Retries and the attempt Okta acted on. When a target answers 429 (or a
//! request of scimulate's own fails in transit), the same request is sent
//! again (docs/okta-wire.md#10-errors-retries-timeouts): the transcript
//! holds every attempt, numbered `attempt` 1, 2, … under the same action
//! and step. Okta acts on the last one, so checks judge the last one:
//! [`final_attempts`] is the run as the checks see it, without the
//! attempts a retry superseded, and [`Retries::annotate`] shows those
//! attempts as evidence in a failure, never as the answer judged.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use scimulate_simulator::Exchange;

use crate::observation::{Observation, seen};
use crate::verdict::Verdict;

/// The attempts a retry superseded, by the exchange that superseded them
/// last.
#[derive(Debug, Default, Clone)]
pub struct Retries {
    /// Final attempt's number → the earlier attempts' exchanges, in order.
    earlier: HashMap<u64, Vec<Exchange>>,
}

impl Retries {
    /// The retries in `exchanges`: each exchange with `attempt` n > 1
    /// supersedes the latest earlier exchange of the same action, step and
    /// request with attempt n − 1.
    pub fn of(exchanges: &[Exchange]) -> Self {
        let mut earlier: HashMap<u64, Vec<Exchange>> = HashMap::new();
        let mut superseded = HashSet::new();
        for (index, exchange) in exchanges.iter().enumerate() {
            if exchange.attempt <= 1 {
                continue;
            }
            let previous = exchanges[..index].iter().rev().find(|e| {
                e.attempt + 1 == exchange.attempt
                    && e.action == exchange.action
                    && e.step == exchange.step
                    && e.request.method == exchange.request.method
                    && e.request.path == exchange.request.path
                    && !superseded.contains(&e.number)
            });
            let Some(previous) = previous else { continue };
            superseded.insert(previous.number);
            let mut chain = earlier.remove(&previous.number).unwrap_or_default();
            chain.push(previous.clone());
            earlier.insert(exchange.number, chain);
        }
        Retries { earlier }
    }

    /// Whether no exchange was retried.
    pub fn is_empty(&self) -> bool {
        self.earlier.is_empty()
    }

    /// The numbers of every superseded attempt.
    fn superseded(&self) -> HashSet<u64> {
        self.earlier.values().flatten().map(|e| e.number).collect()
    }

    /// The attempts exchange `number` superseded, in order.
    pub fn before(&self, number: u64) -> &[Exchange] {
        self.earlier.get(&number).map_or(&[], Vec::as_slice)
    }

    /// A failure judged on a final attempt that was retried shows its
    /// earlier attempts as evidence: their numbers join the exchanges, and
    /// what they answered is told after what was seen.
    pub fn annotate(&self, verdict: Verdict) -> Verdict {
        let Verdict::Failed { mut evidence } = verdict else {
            return verdict;
        };
        let mut notes = Vec::new();
        let mut numbers = Vec::new();
        for number in &evidence.exchanges {
            let before = self.before(*number);
            if before.is_empty() {
                continue;
            }
            let answers: Vec<String> = before.iter().map(seen).collect();
            notes.push(format!(
                "judged on attempt {} (#{number}); earlier attempt(s) retried: {}",
                before.len() + 1,
                answers.join("; ")
            ));
            numbers.extend(before.iter().map(|e| e.number));
        }
        if !notes.is_empty() {
            evidence.seen = format!("{} [{}]", evidence.seen, notes.join(" | "));
            for number in numbers {
                if !evidence.exchanges.contains(&number) {
                    evidence.exchanges.push(number);
                }
            }
            evidence.exchanges.sort_unstable();
        }
        Verdict::Failed { evidence }
    }
}

/// The run as the checks see it: every exchange a retry superseded is
/// left out (of the exchanges and of each outcome's list), so a check that
/// looks for a step's exchange finds the attempt Okta acted on. Borrowed
/// when nothing was retried.
pub fn final_attempts<'a>(observation: &'a Observation, retries: &Retries) -> Cow<'a, Observation> {
    if retries.is_empty() {
        return Cow::Borrowed(observation);
    }
    let superseded = retries.superseded();
    let mut judged = observation.clone();
    judged.exchanges.retain(|e| !superseded.contains(&e.number));
    for outcome in &mut judged.outcomes {
        outcome.exchanges.retain(|n| !superseded.contains(n));
    }
    Cow::Owned(judged)
}

/// `judge`'s verdict on the attempts Okta acted on, a failure showing the
/// retries that came before.
pub fn judge_final(judge: fn(&Observation) -> Verdict, observation: &Observation) -> Verdict {
    let retries = Retries::of(&observation.exchanges);
    retries.annotate(judge(&final_attempts(observation, &retries)))
}

#[cfg(test)]
mod tests {
    use scimulate_simulator::{Dialect, Header, RecordedBody, RecordedRequest, RecordedResponse};
    use serde_json::json;

    use super::*;
    use crate::verdict::Evidence;

    fn exchange(number: u64, step: &str, attempt: u32, status: u16) -> Exchange {
        Exchange {
            number,
            action: "assign ada@acme.com".into(),
            step: step.into(),
            attempt,
            started_at: chrono::DateTime::UNIX_EPOCH,
            duration_ms: 0,
            duration_us: 0,
            request: RecordedRequest {
                method: "POST".into(),
                path: "/Users".into(),
                headers: vec![],
                body: None,
            },
            response: Some(RecordedResponse {
                status,
                headers: vec![Header::new("retry-after", "1")],
                body: RecordedBody::Json(json!({"status": status.to_string()}).into()),
            }),
            error: None,
        }
    }

    fn observation(exchanges: Vec<Exchange>) -> Observation {
        Observation {
            scenario: "core".into(),
            dialect: Dialect::Oin,
            exchanges,
            outcomes: vec![],
            effects: None,
            subject_email: String::new(),
            setup: None,
            org: None,
            before: None,
            after: None,
        }
    }

    #[test]
    fn a_chain_of_retries_is_superseded_by_its_last_attempt() {
        let o = observation(vec![
            exchange(1, "create", 1, 429),
            exchange(2, "create", 2, 429),
            exchange(3, "create", 3, 201),
            exchange(4, "create", 1, 201),
        ]);
        let retries = Retries::of(&o.exchanges);
        let numbers: Vec<u64> = retries.before(3).iter().map(|e| e.number).collect();
        assert_eq!(numbers, [1, 2]);
        assert!(retries.before(4).is_empty());
        let judged = final_attempts(&o, &retries);
        let left: Vec<u64> = judged.exchanges.iter().map(|e| e.number).collect();
        assert_eq!(left, [3, 4]);
        assert_eq!(judged.find("assign", "create").map(|e| e.number), Some(3));
    }

    #[test]
    fn a_run_without_retries_is_judged_as_it_is() {
        let o = observation(vec![exchange(1, "create", 1, 201)]);
        let retries = Retries::of(&o.exchanges);
        assert!(matches!(final_attempts(&o, &retries), Cow::Borrowed(_)));
    }

    #[test]
    fn a_failure_shows_the_retries_as_evidence() {
        let o = observation(vec![
            exchange(1, "create", 1, 429),
            exchange(2, "create", 2, 400),
        ]);
        let retries = Retries::of(&o.exchanges);
        let failed = Verdict::failed(Evidence::new("create", "201", "400").exchange(2));
        let Verdict::Failed { evidence } = retries.annotate(failed) else {
            panic!("still failed");
        };
        assert_eq!(evidence.exchanges, [1, 2]);
        assert!(
            evidence.seen.starts_with("400 [judged on attempt 2 (#2)")
                && evidence.seen.contains("429 with {\"status\":\"429\"}"),
            "{}",
            evidence.seen
        );
        assert_eq!(retries.annotate(Verdict::Passed), Verdict::Passed);
    }
}
