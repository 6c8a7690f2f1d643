//! The transcript: every exchange of a run, in order.

use serde::{Deserialize, Serialize};

use crate::exchange::Exchange;

/// All exchanges of a run, numbered from 1 in the order they were sent.
///
/// [`crate::OktaClient`] keeps it behind an `Arc<Mutex<…>>` and appends each
/// exchange as it completes; [`crate::OktaClient::transcript`] hands out a copy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Transcript {
    exchanges: Vec<Exchange>,
    /// How many exchanges [`Transcript::take`] handed out: numbering goes
    /// on after them.
    #[serde(skip)]
    taken: u64,
}

impl Transcript {
    /// An empty transcript.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `exchange`, giving it the next number, and returns that number.
    ///
    /// Calls within one action are sequential (docs/okta-wire.md#11-rate-and-concurrency), so the
    /// order of completion is the order sent.
    pub fn append(&mut self, mut exchange: Exchange) -> u64 {
        let number = self.taken + self.exchanges.len() as u64 + 1;
        exchange.number = number;
        self.exchanges.push(exchange);
        number
    }

    /// The exchanges, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Exchange> {
        self.exchanges.iter()
    }

    /// The exchange numbered `number` (1-based).
    pub fn get(&self, number: u64) -> Option<&Exchange> {
        let index = usize::try_from(number.checked_sub(self.taken + 1)?).ok()?;
        self.exchanges.get(index)
    }

    /// Hands out every exchange held so far and forgets them; numbering
    /// goes on. For long runs that keep figures, not exchanges
    /// (`scimulate load`): memory stays flat.
    pub fn take(&mut self) -> Vec<Exchange> {
        self.taken += self.exchanges.len() as u64;
        std::mem::take(&mut self.exchanges)
    }

    /// How many exchanges it holds.
    pub fn len(&self) -> usize {
        self.exchanges.len()
    }

    /// Whether no request was sent yet.
    pub fn is_empty(&self) -> bool {
        self.exchanges.is_empty()
    }

    /// The exchanges as a slice.
    pub fn as_slice(&self) -> &[Exchange] {
        &self.exchanges
    }
}

impl<'a> IntoIterator for &'a Transcript {
    type Item = &'a Exchange;
    type IntoIter = std::slice::Iter<'a, Exchange>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl IntoIterator for Transcript {
    type Item = Exchange;
    type IntoIter = std::vec::IntoIter<Exchange>;

    fn into_iter(self) -> Self::IntoIter {
        self.exchanges.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::{RecordedRequest, RecordedResponse};
    use chrono::DateTime;

    fn exchange(step: &str) -> Exchange {
        Exchange {
            number: 0,
            action: "test API credentials".into(),
            step: step.into(),
            attempt: 1,
            started_at: DateTime::UNIX_EPOCH,
            duration_ms: 0,
            duration_us: 0,
            request: RecordedRequest {
                method: "GET".into(),
                path: "/Users?startIndex=1&count=2".into(),
                headers: vec![],
                body: None,
            },
            response: None::<RecordedResponse>,
            error: None,
        }
    }

    #[test]
    fn append_numbers_from_one_in_order() {
        let mut transcript = Transcript::new();
        assert_eq!(transcript.append(exchange("a")), 1);
        assert_eq!(transcript.append(exchange("b")), 2);
        let steps: Vec<_> = transcript
            .iter()
            .map(|e| (e.number, e.step.as_str()))
            .collect();
        assert_eq!(steps, [(1, "a"), (2, "b")]);
        assert_eq!(transcript.get(2).map(|e| e.step.as_str()), Some("b"));
        assert!(transcript.get(0).is_none());
    }

    #[test]
    fn taking_exchanges_keeps_the_numbering() {
        let mut transcript = Transcript::new();
        transcript.append(exchange("a"));
        transcript.append(exchange("b"));
        let taken = transcript.take();
        assert_eq!(taken.iter().map(|e| e.number).collect::<Vec<_>>(), [1, 2]);
        assert!(transcript.is_empty());
        assert_eq!(transcript.append(exchange("c")), 3);
        assert_eq!(transcript.get(3).map(|e| e.step.as_str()), Some("c"));
        assert!(transcript.get(1).is_none(), "taken exchanges are gone");
    }
}
