//! Probes: requests that are *not* Okta's, sent by checks to verify what a
//! call sequence did (e.g. read a user back after a deactivation, as Okta's
//! own CRUD test does, okta-scim-wire.md §12.2) or to test the target's
//! authentication (§12.1 step 11). They go through the same client, with
//! Okta's headers, into the same transcript, under their own action label
//! so no report mistakes them for Okta traffic.

use reqwest::Method;
use serde_json::Value;

use crate::client::OktaClient;
use crate::exchange::Exchange;
use crate::request::{ProbeAuth, ScimRequest};

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

    /// Sends it with this `User-Agent` instead of Okta's: for requests
    /// scimulate sends for its own purposes (`scimulate/<version>`).
    pub fn user_agent(mut self, agent: &'static str) -> Self {
        self.request.user_agent = Some(agent);
        self
    }

    /// Sends it with these credentials instead of the target's token.
    pub fn auth(mut self, auth: ProbeAuth) -> Self {
        self.request.auth = auth;
        self
    }
}

impl OktaClient {
    /// Sends a probe once (no retries) and returns its recorded exchange.
    pub async fn probe(&self, action: &str, step: &str, probe: Probe) -> Exchange {
        let reply = self.send(action, step, 1, &probe.request).await;
        self.recorded(reply.exchange)
            .unwrap_or_else(|| Exchange::unrecorded(reply.exchange, action, step))
    }
}
