//! A call sequence: the requests Okta sends for one admin action, sent one
//! after the other (docs/okta-wire.md#11-rate-and-concurrency), each retried per Okta's 429
//! back-off (§10).

use crate::client::{OktaClient, Reply};
use crate::request::ScimRequest;
use crate::retry::Backoff;

/// Sends the requests of one admin action and remembers their exchanges.
#[derive(Debug)]
pub struct CallSequence<'a> {
    client: &'a OktaClient,
    action: String,
    exchanges: Vec<u64>,
}

impl<'a> CallSequence<'a> {
    /// A sequence for the action labelled `action`.
    pub(crate) fn new(client: &'a OktaClient, action: String) -> Self {
        Self {
            client,
            action,
            exchanges: Vec::new(),
        }
    }

    /// Sends `request` as step `step`. A 429 (and, with `retry_on_5xx`, a
    /// 5xx) is retried after Okta's wait, on the injected clock, until
    /// `max_attempts` requests were sent; the last reply is returned.
    pub(crate) async fn send(&mut self, step: &str, request: ScimRequest) -> Reply {
        let policy = self.client.settings().retry;
        let mut backoff = Backoff::new(&policy);
        let mut attempt = 1;
        let mut waited = std::time::Duration::ZERO;
        loop {
            let reply = self
                .client
                .send(&self.action, step, attempt, &request)
                .await;
            self.exchanges.push(reply.exchange);
            let retry_after = match (&reply.response, &reply.error) {
                (Some(response), None)
                    if response.status == 429
                        || (policy.retry_on_5xx && (500..600).contains(&response.status)) =>
                {
                    response
                        .headers
                        .iter()
                        .find(|h| h.name.eq_ignore_ascii_case("retry-after"))
                        .map(|h| h.value.clone())
                }
                _ => return reply,
            };
            if attempt >= policy.max_attempts {
                return reply;
            }
            let wait = backoff.next_wait(retry_after.as_deref());
            if waited.saturating_add(wait) > policy.max_total_wait {
                tracing::warn!(
                    step,
                    attempt,
                    wait_s = wait.as_secs(),
                    max_total_wait_s = policy.max_total_wait.as_secs(),
                    "okta gives up: the next wait would pass max_total_wait"
                );
                return reply;
            }
            tracing::debug!(step, attempt, wait_s = wait.as_secs(), "okta backs off");
            self.client.clock().sleep(wait).await;
            waited += wait;
            attempt += 1;
        }
    }

    /// The action's label.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// Numbers of the exchanges sent so far, in order.
    pub fn exchanges(&self) -> &[u64] {
        &self.exchanges
    }

    pub(crate) fn into_exchanges(self) -> Vec<u64> {
        self.exchanges
    }
}
