//! Probes: requests that are *not* Okta's, sent by checks to verify what a
//! call sequence did (e.g. read a user back after a deactivation, as Okta's
//! own CRUD test does, docs/okta-wire.md#122-crud-test) or to test the target's
//! authentication (§12.1 step 11). They go through the same client, with
//! Okta's headers except `User-Agent` (scimulate's own,
//! [`crate::client::SCIMULATE_USER_AGENT`]: Okta never sends them), into
//! the same transcript, under their own action label so no report mistakes
//! them for Okta traffic. A probe rides out 429s and
//! passing connection failures ([`OktaClient::probe`]): setup, read-backs
//! and cleanup need the answer, not the first refusal.

use reqwest::Method;
use serde_json::Value;

use std::time::Duration;

use crate::client::{OktaClient, TransportError};
use crate::exchange::Exchange;
use crate::request::{ProbeAuth, ScimRequest, Sender};
use crate::retry::{Backoff, server_wait};

/// One probe request.
#[derive(Debug, Clone)]
pub struct Probe {
    request: ScimRequest,
}

impl Probe {
    /// `GET /<resource>[/<id>]`.
    pub fn get(resource: &str, id: Option<&str>) -> Self {
        let mut request = ScimRequest::page(resource, 1, 1);
        request.query.clear();
        request.segments.extend(id.map(str::to_owned));
        Probe { request }
    }

    /// `GET /<resource>?startIndex=<start>&count=<count>`.
    pub fn page(resource: &str, start_index: u64, count: u64) -> Self {
        Probe {
            request: ScimRequest::page(resource, start_index, count),
        }
    }

    /// `GET /<resource>?filter=<attribute> eq "<value>"&startIndex=1&count=100`.
    pub fn lookup(resource: &str, attribute: &str, value: &str) -> Self {
        Probe {
            request: ScimRequest::lookup(resource, attribute, value),
        }
    }

    /// `GET /<resource>?filter=<raw filter>` (any filter text, even invalid).
    pub fn filter(resource: &str, raw_filter: &str) -> Self {
        let mut request = ScimRequest::page(resource, 1, 100);
        request.query = vec![("filter", raw_filter.to_owned())];
        Probe { request }
    }

    /// `GET /<resource>?filter=<raw filter>&startIndex=<start>&count=<count>`:
    /// one page of a filtered listing (cleanup narrows its search so).
    pub fn filtered_page(resource: &str, raw_filter: &str, start_index: u64, count: u64) -> Self {
        let mut request = ScimRequest::page(resource, start_index, count);
        request.query.insert(0, ("filter", raw_filter.to_owned()));
        Probe { request }
    }

    /// `POST /<resource>` with `body`.
    pub fn post(resource: &str, body: Value) -> Self {
        Probe {
            request: ScimRequest::post(resource, body),
        }
    }

    /// `PATCH /<resource>/<id>` with `body`.
    pub fn patch(resource: &str, id: &str, body: Value) -> Self {
        Probe {
            request: ScimRequest::patch(resource, id, body),
        }
    }

    /// `DELETE /<resource>/<id>`.
    pub fn delete(resource: &str, id: &str) -> Self {
        let mut probe = Probe::get(resource, Some(id));
        probe.request.method = Method::DELETE;
        probe
    }

    /// Adds `excludedAttributes=<names>` (RFC 7644 §3.9): a careful
    /// client's read-back asks for a resource without some attributes
    /// (Okta sends none, docs/okta-wire.md#21-requests).
    pub fn excluding(mut self, names: &str) -> Self {
        self.request
            .query
            .push(("excludedAttributes", names.to_owned()));
        self
    }

    /// Sends it with these credentials instead of the target's token.
    pub fn auth(mut self, auth: ProbeAuth) -> Self {
        self.request.auth = auth;
        self
    }
}

impl OktaClient {
    /// Sends a probe and returns the recorded exchange of its last attempt.
    ///
    /// A probe needs the target's answer, so it rides out what a legal or
    /// passing condition puts in the way, each retry recorded as attempt
    /// 2, 3, … of the same step (checks judge the last one and show the
    /// others as evidence):
    /// - a 429, or a 503 carrying `Retry-After` (RFC 9110 §15.6.4): waits
    ///   what the target asks (`Retry-After`, `X-Rate-Limit-Reset`), else
    ///   Okta's back-off (docs/okta-wire.md#10-errors-retries-timeouts);
    ///   a 5xx too when [`crate::RetryPolicy::retry_on_5xx`] is on;
    /// - a connection refused or reset ([`TransportError::Connect`],
    ///   [`TransportError::Other`]): at most [`TRANSIENT_RETRIES`] more
    ///   attempts, 1 s then 2 s apart. A timeout or an oversized body is
    ///   no passing condition and is not sent again.
    ///
    /// Bounded like Okta's own retries: [`crate::RetryPolicy::max_attempts`]
    /// requests in all, and no wait that would take the step past
    /// [`crate::RetryPolicy::max_total_wait`] (`--max-wait`). Waits go
    /// through the injected clock.
    pub async fn probe(&self, action: &str, step: &str, probe: Probe) -> Exchange {
        let mut request = probe.request;
        request.sender = Sender::Scimulate;
        let policy = self.settings().retry;
        let mut backoff = Backoff::new(&policy);
        let mut transient_wait = Duration::from_secs(1);
        let mut transient_retries = 0;
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        loop {
            let reply = self.send(action, step, attempt, &request).await;
            let wait =
                match (&reply.response, &reply.error) {
                    (Some(response), None)
                        if response.status == 429
                            || (response.status == 503
                                && response
                                    .headers
                                    .iter()
                                    .any(|h| h.name.eq_ignore_ascii_case("retry-after")))
                            || (policy.retry_on_5xx && (500..600).contains(&response.status)) =>
                    {
                        Some(backoff.next_wait_honouring(server_wait(
                            &response.headers,
                            self.clock().now(),
                        )))
                    }
                    (_, Some(TransportError::Connect { .. } | TransportError::Other { .. }))
                        if transient_retries < TRANSIENT_RETRIES =>
                    {
                        transient_retries += 1;
                        let wait = transient_wait;
                        transient_wait = transient_wait.saturating_mul(2);
                        Some(wait)
                    }
                    _ => None,
                };
            let last = wait.filter(|wait| {
                attempt < policy.max_attempts
                    && waited.saturating_add(*wait) <= policy.max_total_wait
            });
            let Some(wait) = last else {
                return self
                    .recorded(reply.exchange)
                    .unwrap_or_else(|| Exchange::unrecorded(reply.exchange, action, step));
            };
            tracing::debug!(
                step,
                attempt,
                wait_s = wait.as_secs(),
                "probe waits to retry"
            );
            self.clock().sleep(wait).await;
            waited += wait;
            attempt += 1;
        }
    }
}

/// Retries of a probe whose connection failed (refused, reset): a target
/// restarting or a connection dropped by a proxy, not a dead target, which
/// two retries cannot hide for long.
pub const TRANSIENT_RETRIES: u32 = 2;
