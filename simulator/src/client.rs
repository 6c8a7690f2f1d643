//! Long because it is the one place Okta's HTTP behaviour is made: headers,
//! time and size bounds, recording.
//!
//! The HTTP side of the simulated Okta: one pooled client per run, Okta's
//! headers in Okta's order, bounded time and size, every exchange recorded.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, redirect};
use serde::{Deserialize, Serialize};
use tokio::time::{Instant, timeout_at};
use url::Url;

use crate::clock::Clock;
use crate::exchange::{Exchange, Header, RecordedBody, RecordedRequest, RecordedResponse};
use crate::liveness::Liveness;
use crate::request::{ProbeAuth, ScimRequest, Sender, WRONG_TOKEN};
use crate::retry::RetryPolicy;
use crate::target::{AuthScheme, Target};
use crate::token::REDACTED;
use crate::transcript::Transcript;

/// `User-Agent` on every request (§2.1 DOC O-SCIM20; OBS R-FZ, R-ROSTR).
pub const USER_AGENT: &str = "Okta SCIM Client 1.0.0";
/// `User-Agent` of the requests only scimulate sends (discovery, probes,
/// cleanup, setup): Okta never sends them, so they do not claim to be Okta.
pub const SCIMULATE_USER_AGENT: &str = concat!("scimulate/", env!("CARGO_PKG_VERSION"));
/// `Accept` for SCIM 2.0 (§2.1 DOC-old O-PROTO2019; OBS R-FZ).
pub const ACCEPT: &str = "application/scim+json";
/// `Accept-Charset` (§2.1 DOC-old O-PROTO2019; OBS R-FZ).
pub const ACCEPT_CHARSET: &str = "utf-8";
/// `Accept-Encoding` (§2.1 DOC-old O-PROTO2019; OBS R-FZ). reqwest's `gzip`
/// and `deflate` features decode such answers.
pub const ACCEPT_ENCODING: &str = "gzip,deflate";
/// `Content-Type` on POST/PUT/PATCH (§2.1 DOC-old O-PROTO2019; OBS R-FZ).
pub const CONTENT_TYPE: &str = "application/scim+json; charset=utf-8";

/// Limits and optional headers of the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientSettings {
    /// Outer bound on one exchange, from sending to the last body byte
    /// (default 72 s, [`OUTER_BOUND_FACTOR`] × `read_timeout`):
    /// scimulate's own cap, not Okta's (Okta documents none,
    /// docs/okta-wire.md#10-errors-retries-timeouts), so a server
    /// trickling a byte a second, never silent for long, still ends.
    pub timeout: Duration,
    /// Longest silence allowed while waiting for or reading an answer
    /// (reqwest's `read_timeout`, restarted by every byte): Okta's timeout,
    /// 60 s without data on the socket (docs/okta-wire.md#10-errors-retries-timeouts,
    /// Okta's SCIM FAQ <https://developer.okta.com/docs/concepts/scim/faqs/>).
    pub read_timeout: Duration,
    /// Bodies larger than this end the exchange with an error (default 8 MiB):
    /// a hostile server must not exhaust memory.
    pub max_body_bytes: usize,
    /// Send `Content-Type` on DELETE, as Okta's 2019 example does (§2.1: the
    /// row is **UNCONFIRMED** by recordings; default off).
    pub content_type_on_delete: bool,
    /// Okta's 429 back-off and the 5xx retry switch (§10).
    pub retry: RetryPolicy,
    /// Told of every exchange as it starts and ends, shared by every client
    /// built from these settings: a run stops when its target is dead
    /// (see [`Liveness`]). Default: nothing watches.
    #[serde(skip)]
    pub liveness: Liveness,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self {
            timeout: outer_bound(OKTA_SILENCE),
            read_timeout: OKTA_SILENCE,
            max_body_bytes: 8 * 1024 * 1024,
            content_type_on_delete: false,
            retry: RetryPolicy::default(),
            liveness: Liveness::default(),
        }
    }
}

/// Okta's timeout: 60 s without data on the socket (§10, Okta's SCIM FAQ).
pub const OKTA_SILENCE: Duration = Duration::from_secs(60);

/// The outer bound of one exchange is this many times its silence bound
/// (72 s for Okta's 60 s). Chosen for issue 16: a target whose bodies
/// trickle is taken for dead after [`crate::DEFAULT_MAX_DEAD_EXCHANGES`]
/// (3) exchanges in a row, and cleanup then tries one more, so with the
/// defaults a run against it ends after at most 4 × 72 s = 288 s, within
/// five minutes; with `--timeout 5s`, 4 × 6 s = 24 s, within 30 s. A server
/// merely slow (complete answers in a few seconds) never comes near it,
/// and one that keeps a body flowing gets 20 % more time than Okta's
/// silence bound before scimulate gives up on it.
pub const OUTER_BOUND_FACTOR: f64 = 1.2;

/// The outer bound for a silence bound ([`OUTER_BOUND_FACTOR`] × it).
pub fn outer_bound(silence: Duration) -> Duration {
    silence.mul_f64(OUTER_BOUND_FACTOR)
}

impl ClientSettings {
    /// What `--timeout` sets: the longest silence in one exchange (Okta's
    /// 60 s, §10), and the outer bound with it ([`outer_bound`]).
    pub fn bound_silence(&mut self, silence: Duration) {
        self.read_timeout = silence;
        self.timeout = outer_bound(silence);
    }
}

/// Why the client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// reqwest refused the configuration (e.g. no TLS backend).
    #[error("cannot build the HTTP client")]
    Build(#[source] reqwest::Error),
}

/// The error of a request not sent because the target was taken for dead
/// (see [`Liveness`]): no such request reached the wire.
pub const NOT_SENT: &str = "not sent: the target stopped answering";

/// Why an exchange ended without a complete answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No complete answer within [`ClientSettings::timeout`], or no data
    /// for [`ClientSettings::read_timeout`] (`after` says which bound).
    #[error("timed out after {} ms without a complete answer", .after.as_millis())]
    Timeout { after: Duration },
    /// The connection could not be made (refused, DNS, TLS…).
    #[error("could not connect: {reason}")]
    Connect { reason: String },
    /// The body was larger than [`ClientSettings::max_body_bytes`].
    #[error("response body larger than {limit} bytes; reading stopped there")]
    BodyTooLarge { limit: usize },
    /// Anything else: a reset connection, an undecodable gzip body…
    #[error("request failed: {reason}")]
    Other { reason: String },
}

/// The simulated Okta's HTTP client. Cheap to clone: clones share the
/// connection pool and the transcript.
#[derive(Clone)]
pub struct OktaClient {
    http: reqwest::Client,
    target: Target,
    settings: ClientSettings,
    clock: Arc<dyn Clock>,
    transcript: Arc<Mutex<Transcript>>,
    /// What its own log lines go through (a path or an error may quote
    /// what the target sent, the token included), whoever collects them.
    redactor: scimulate_record::Redactor,
}

/// The result of one exchange, as the engine reads it.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    /// The exchange's number in the transcript.
    pub(crate) exchange: u64,
    /// What came back, when anything did.
    pub(crate) response: Option<RecordedResponse>,
    /// Why the exchange did not complete.
    pub(crate) error: Option<TransportError>,
}

impl std::fmt::Debug for OktaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OktaClient")
            .field("target", &self.target)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl OktaClient {
    /// Builds the run's one HTTP client. Redirects are not followed: Okta
    /// does not follow them either, so a 3xx is recorded as the answer.
    pub fn new(
        target: Target,
        settings: ClientSettings,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, ClientError> {
        // reqwest is built with `rustls-no-provider`: without a provider it
        // panics (shared/reference/crates.md §3). Installing twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .redirect(redirect::Policy::none())
            .read_timeout(settings.read_timeout);
        let proxied = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
            .iter()
            .any(|name| std::env::var_os(name).is_some());
        // Through a proxy (which may speak TLS) the system's roots stay.
        if target.base_url().scheme() == "http" && !proxied {
            // A plain-HTTP target (the embedded bridge, a bridge on
            // loopback) needs no root certificates, and redirects are not
            // followed to an https one: loading the system's (what the
            // platform verifier does) cost a third of a default run.
            builder = builder.tls_certs_only([]);
        }
        let http = builder.build().map_err(ClientError::Build)?;
        Ok(Self {
            http,
            redactor: target.token().redactor(),
            target,
            settings,
            clock,
            transcript: Arc::new(Mutex::new(Transcript::new())),
        })
    }

    /// The target requests go to.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The client's limits.
    pub fn settings(&self) -> &ClientSettings {
        &self.settings
    }

    /// The injected clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// A copy of the transcript so far.
    pub fn transcript(&self) -> Transcript {
        self.lock_transcript().clone()
    }

    /// Reads the transcript in place, without copying it.
    pub fn with_transcript<R>(&self, read: impl FnOnce(&Transcript) -> R) -> R {
        read(&self.lock_transcript())
    }

    /// Moves the exchanges recorded so far out of the transcript (see
    /// [`Transcript::take`]).
    pub fn take_exchanges(&self) -> Vec<Exchange> {
        self.lock_transcript().take()
    }

    /// A copy of one exchange.
    pub fn recorded(&self, number: u64) -> Option<Exchange> {
        self.lock_transcript().get(number).cloned()
    }

    /// Sends one request, once, and records the exchange.
    pub(crate) async fn send(
        &self,
        action: &str,
        step: &str,
        attempt: u32,
        request: &ScimRequest,
    ) -> Reply {
        let url = self.url_for(request);
        let (headers, recorded_headers) =
            self.headers_for(&request.method, request.auth, request.sender);
        let body = request
            .body
            .as_ref()
            .map(|body| body.to_string().into_bytes());
        let started_at = self.clock.now();
        let path = self.relative_path(&url);
        let under_way = self
            .settings
            .liveness
            .begin(|| format!("{} {path} ({action}: {step})", request.method));
        // Once the target is taken for dead nothing more is sent to it: a
        // caller still under way learns it at once instead of after its
        // own timeout.
        let dead = self.settings.liveness.is_dead();
        let (response, error) = if dead {
            (
                None,
                Some(TransportError::Other {
                    reason: NOT_SENT.to_owned(),
                }),
            )
        } else {
            self.exchange(&request.method, url.clone(), headers, body)
                .await
        };
        drop(under_way);
        // The answer is recorded as received: checks judge it as the
        // target sent it, and every output redacts what it shows (a token
        // the target echoes included) where it is made (issue #13).
        let elapsed = self.clock.now() - started_at;
        let duration_ms = u64::try_from(elapsed.num_milliseconds()).unwrap_or(0);
        let duration_us = elapsed
            .num_microseconds()
            .and_then(|us| u64::try_from(us).ok())
            .unwrap_or(0);
        tracing::debug!(
            method = %request.method,
            path = %self.redactor.redact(&path),
            status = response.as_ref().map(|r| r.status),
            error = error
                .as_ref()
                .map(|e| self.redactor.redact(&e.to_string()).into_owned()),
            "exchange"
        );
        let exchange = Exchange {
            number: 0,
            action: action.to_owned(),
            step: step.to_owned(),
            attempt,
            started_at,
            duration_ms,
            duration_us,
            request: RecordedRequest {
                method: request.method.to_string(),
                path,
                headers: recorded_headers,
                body: request.body.clone(),
            },
            response: response.clone(),
            error: error.as_ref().map(ToString::to_string),
        };
        if !dead {
            self.settings.liveness.end(
                answered_in_full(error.as_ref()),
                response.is_some(),
                || exchange.clone(),
            );
        }
        let number = self.lock_transcript().append(exchange);
        Reply {
            exchange: number,
            response,
            error,
        }
    }

    /// Sends and reads within one deadline, stopping at the size cap.
    async fn exchange(
        &self,
        method: &Method,
        url: Url,
        headers: HeaderMap,
        body: Option<Vec<u8>>,
    ) -> (Option<RecordedResponse>, Option<TransportError>) {
        let deadline = Instant::now() + self.settings.timeout;
        let timed_out = TransportError::Timeout {
            after: self.settings.timeout,
        };
        let mut builder = self.http.request(method.clone(), url).headers(headers);
        if let Some(body) = body {
            builder = builder.body(body);
        }
        let mut response = match timeout_at(deadline, builder.send()).await {
            Err(_) => return (None, Some(timed_out)),
            Ok(Err(error)) => return (None, Some(self.transport_error(&error))),
            Ok(Ok(response)) => response,
        };
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                Header::new(name.as_str(), String::from_utf8_lossy(value.as_bytes()))
            })
            .collect();
        let limit = self.settings.max_body_bytes;
        let mut bytes = Vec::new();
        let mut error = None;
        loop {
            match timeout_at(deadline, response.chunk()).await {
                Err(_) => {
                    error = Some(timed_out);
                    break;
                }
                Ok(Err(e)) => {
                    error = Some(self.transport_error(&e));
                    break;
                }
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => {
                    let room = limit.saturating_sub(bytes.len());
                    if chunk.len() > room {
                        bytes.extend_from_slice(&chunk[..room]);
                        error = Some(TransportError::BodyTooLarge { limit });
                        break;
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
        }
        let body = RecordedBody::from_bytes(&bytes, error.is_some());
        (
            Some(RecordedResponse {
                status,
                headers,
                body,
            }),
            error,
        )
    }

    /// Okta's headers in Okta's order (§2.1), and their recorded form with
    /// `Authorization` redacted.
    fn headers_for(
        &self,
        method: &Method,
        auth: ProbeAuth,
        sender: Sender,
    ) -> (HeaderMap, Vec<Header>) {
        let user_agent = match sender {
            Sender::Okta => USER_AGENT,
            Sender::Scimulate => SCIMULATE_USER_AGENT,
        };
        let content_type = matches!(*method, Method::POST | Method::PUT | Method::PATCH)
            || (*method == Method::DELETE && self.settings.content_type_on_delete);
        let mut lines: Vec<(HeaderName, HeaderValue)> = vec![
            (header::USER_AGENT, HeaderValue::from_static(user_agent)),
            (header::ACCEPT, HeaderValue::from_static(ACCEPT)),
            (
                header::ACCEPT_CHARSET,
                HeaderValue::from_static(ACCEPT_CHARSET),
            ),
            (
                header::ACCEPT_ENCODING,
                HeaderValue::from_static(ACCEPT_ENCODING),
            ),
        ];
        if content_type {
            lines.push((header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)));
        }
        let mut recorded: Vec<Header> = lines
            .iter()
            .map(|(name, value)| Header::new(name.as_str(), value.to_str().unwrap_or_default()))
            .collect();
        let (token, shown_token) = match auth {
            ProbeAuth::Token => (self.target.token().expose(), REDACTED),
            ProbeAuth::Wrong => (WRONG_TOKEN, WRONG_TOKEN),
            ProbeAuth::Missing => ("", ""),
        };
        let (secret, shown) = match self.target.auth() {
            AuthScheme::Bearer => (format!("Bearer {token}"), format!("Bearer {shown_token}")),
            AuthScheme::Header => (token.to_owned(), shown_token.to_owned()),
        };
        // `Target::new` refused tokens a header cannot carry.
        if auth == ProbeAuth::Missing {
            // A probe of the target's authentication: no header at all.
        } else if let Ok(mut value) = HeaderValue::from_str(&secret) {
            value.set_sensitive(true);
            lines.push((header::AUTHORIZATION, value));
            recorded.push(Header::new(header::AUTHORIZATION.as_str(), shown));
        }
        let mut map = HeaderMap::with_capacity(lines.len());
        for (name, value) in lines {
            map.insert(name, value);
        }
        (map, recorded)
    }

    /// The base URL plus the request's segments (each percent-encoded as a
    /// path segment) and Okta's query bytes.
    fn url_for(&self, request: &ScimRequest) -> Url {
        let mut url = self.target.base_url().clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().extend(&request.segments);
        }
        // Only unreserved characters, `%XX`, `=` and `&`: `set_query` keeps
        // these bytes as they are.
        url.set_query(request.encoded_query().as_deref());
        url
    }

    /// `/Users?…` relative to the base URL's path prefix.
    fn relative_path(&self, url: &Url) -> String {
        let prefix = self.target.path_prefix();
        let path = url.path().strip_prefix(prefix).unwrap_or(url.path());
        match url.query() {
            Some(query) => format!("{path}?{query}"),
            None => path.to_owned(),
        }
    }

    fn lock_transcript(&self) -> std::sync::MutexGuard<'_, Transcript> {
        self.transcript
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether an exchange got a complete answer as far as the target's
/// liveness goes: timed out, refused or broken off is no answer; one cut
/// at the size cap is (the target did answer, hugely).
fn answered_in_full(error: Option<&TransportError>) -> bool {
    matches!(error, None | Some(TransportError::BodyTooLarge { .. }))
}

/// Classifies a reqwest error by its causes (the top-level message only
/// repeats the URL).
impl OktaClient {
    /// The transport error for a reqwest error: reqwest's read timeout (no
    /// data for [`ClientSettings::read_timeout`]) is a [`TransportError::Timeout`].
    fn transport_error(&self, error: &reqwest::Error) -> TransportError {
        if error.is_timeout() {
            return TransportError::Timeout {
                after: self.settings.read_timeout,
            };
        }
        transport_error(error)
    }
}

fn transport_error(error: &reqwest::Error) -> TransportError {
    let reason = causes(error);
    if error.is_connect() {
        TransportError::Connect { reason }
    } else {
        TransportError::Other { reason }
    }
}

/// The error's sources joined by `: `, or the error itself when it has none.
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        error.to_string()
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::VirtualClock;
    use crate::token::Token;

    fn client(base: &str, auth: AuthScheme) -> OktaClient {
        let target = Target::new(base, Token::new("tok-123"))
            .unwrap()
            .with_auth(auth);
        OktaClient::new(
            target,
            ClientSettings::default(),
            Arc::new(VirtualClock::at_epoch()),
        )
        .unwrap()
    }

    #[test]
    fn only_timeouts_and_broken_answers_count_against_liveness() {
        let after = Duration::from_millis(300);
        assert!(answered_in_full(None));
        assert!(answered_in_full(Some(&TransportError::BodyTooLarge {
            limit: 1
        })));
        for broken in [
            TransportError::Timeout { after },
            TransportError::Connect {
                reason: "refused".into(),
            },
            TransportError::Other {
                reason: "reset".into(),
            },
        ] {
            assert!(!answered_in_full(Some(&broken)), "{broken}");
        }
    }

    #[test]
    fn url_keeps_the_prefix_and_encodes_segments() {
        let c = client("https://x.example/scim/v2/", AuthScheme::Bearer);
        let url = c.url_for(&ScimRequest::get("Users", "a/b c"));
        assert_eq!(url.as_str(), "https://x.example/scim/v2/Users/a%2Fb%20c");
        assert_eq!(c.relative_path(&url), "/Users/a%2Fb%20c");
        let url = c.url_for(&ScimRequest::lookup("Users", "userName", "a@b.c"));
        assert_eq!(
            c.relative_path(&url),
            "/Users?filter=userName%20eq%20%22a%40b.c%22&startIndex=1&count=100"
        );
    }

    #[test]
    fn url_on_a_root_base_has_a_single_slash() {
        let c = client("http://127.0.0.1:9", AuthScheme::Bearer);
        let url = c.url_for(&ScimRequest::page("Users", 1, 2));
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/Users?startIndex=1&count=2"
        );
        assert_eq!(c.relative_path(&url), "/Users?startIndex=1&count=2");
    }

    #[test]
    fn a_token_the_target_echoes_is_recorded_as_received_and_redacted_where_shown() {
        let secret = "tok-echo-9f8e";
        let response = RecordedResponse {
            status: 401,
            headers: vec![
                Header::new("x-debug", format!("got Bearer {secret}")),
                Header::new(format!("x-{secret}"), "1"),
            ],
            body: RecordedBody::Json(
                serde_json::json!({
                    "detail": format!("bad token {secret}"),
                    "seen": [secret],
                    secret: 1,
                    "scimType": "invalidValue",
                })
                .into(),
            ),
        };
        let shown = crate::Redacted::new(response.clone(), &Token::new(secret).redactor());
        let text = serde_json::to_string(&*shown).unwrap();
        assert!(!text.contains(secret), "{text}");
        assert!(text.contains("got Bearer [REDACTED]"), "{text}");
        assert!(text.contains("x-[REDACTED]"), "{text}");
        assert!(text.contains(r#""scimType":"invalidValue""#), "{text}");
        // The record itself keeps the evidence as received.
        assert_eq!(response.body.json().unwrap()["seen"][0], secret);
        // A token with a quote is JSON-escaped in the body's text.
        let quoted = "tok\"9f8e";
        let escaped = RecordedResponse {
            status: 400,
            headers: vec![],
            body: RecordedBody::from_bytes(br#"{"detail":"bad \u0074ok\"9f8e"}"#, false),
        };
        let shown = crate::Redacted::new(escaped, &Token::new(quoted).redactor());
        assert_eq!(
            shown.body.json(),
            Some(&serde_json::json!({"detail": "bad [REDACTED]"}))
        );
    }

    #[test]
    fn headers_follow_okta_order_and_redact_the_token() {
        let c = client("https://x.example", AuthScheme::Bearer);
        let (map, recorded) = c.headers_for(&Method::POST, ProbeAuth::Token, Sender::Okta);
        let names: Vec<_> = map.keys().map(HeaderName::as_str).collect();
        assert_eq!(
            names,
            [
                "user-agent",
                "accept",
                "accept-charset",
                "accept-encoding",
                "content-type",
                "authorization"
            ]
        );
        assert_eq!(map[header::AUTHORIZATION], "Bearer tok-123");
        assert_eq!(recorded.last().unwrap().value, "Bearer [REDACTED]");
        let (map, _) = c.headers_for(&Method::GET, ProbeAuth::Token, Sender::Okta);
        assert!(!map.contains_key(header::CONTENT_TYPE));
        let (map, _) = c.headers_for(&Method::DELETE, ProbeAuth::Token, Sender::Okta);
        assert!(!map.contains_key(header::CONTENT_TYPE));
    }

    #[test]
    fn content_type_on_delete_is_a_setting() {
        // §2.1: Okta's 2019 example sent it on DELETE; unconfirmed since.
        let mut c = client("https://x.example", AuthScheme::Bearer);
        c.settings.content_type_on_delete = true;
        let (map, _) = c.headers_for(&Method::DELETE, ProbeAuth::Token, Sender::Okta);
        assert_eq!(map[header::CONTENT_TYPE], CONTENT_TYPE);
    }

    #[test]
    fn header_mode_sends_the_raw_token() {
        let c = client("https://x.example", AuthScheme::Header);
        let (map, recorded) = c.headers_for(&Method::GET, ProbeAuth::Token, Sender::Okta);
        assert_eq!(map[header::AUTHORIZATION], "tok-123");
        assert_eq!(recorded.last().unwrap().value, "[REDACTED]");
    }
}
