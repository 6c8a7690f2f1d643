//! Running probes against a target: sending each probe's request as Okta's
//! client does, and recording its verdict.

use std::time::Duration;

use reqwest::Method;
use reqwest::header::{ACCEPT, ACCEPT_CHARSET, CONTENT_TYPE, LOCATION, USER_AGENT};
use serde_json::Value;

use super::calls::Call;
use super::facts::Facts;
use super::judge::Problems;
use super::probes::PROBES;

/// Per request; a probe that gets no answer in time fails.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// After this many requests in a row without an answer the target is taken
/// for dead and its remaining probes are not sent (keeps a hung peer from
/// costing 10 s per probe).
const GIVE_UP_AFTER: usize = 2;

/// A SCIM base URL and its bearer token.
pub(super) struct Target {
    pub(super) name: &'static str,
    pub(super) base_url: String,
    pub(super) token: String,
}

impl Target {
    /// The base URL and token as scimulate's own clients take them: parsed
    /// once, as the command line does.
    pub(super) fn parsed(&self) -> scimulate_simulator::Target {
        let token = scimulate_simulator::Token::parse(&self.token)
            .unwrap_or_else(|e| panic!("{}: {e}", self.name));
        scimulate_simulator::Target::new(&self.base_url, token)
            .unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }
}

/// What a target answered.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) location: Option<String>,
    text: String,
    /// `None` when the body is empty or not JSON.
    pub(super) json: Option<Value>,
}

impl Answer {
    /// `HTTP 200 {"schemas":…` cut short, for the table.
    fn excerpt(&self) -> String {
        let text: String = self
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(160)
            .collect();
        if text.is_empty() {
            format!("HTTP {}", self.status)
        } else {
            format!("HTTP {} {text}", self.status)
        }
    }
}

/// One probe's result on one target.
pub(super) struct Outcome {
    pub(super) probe: &'static str,
    pub(super) source: &'static str,
    pub(super) method: Method,
    pub(super) status: Option<u16>,
    pub(super) verdict: Verdict,
}

#[derive(Debug)]
pub(super) enum Verdict {
    Passed,
    Failed {
        problems: Vec<String>,
        seen: String,
    },
    /// Not sent: an earlier probe it depends on failed.
    NotSent(String),
}

impl Verdict {
    pub(super) fn passed(&self) -> bool {
        matches!(self, Verdict::Passed)
    }

    pub(super) fn label(&self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed { .. } => "FAILED",
            Verdict::NotSent(_) => "not sent",
        }
    }
}

/// Every probe, in order, against `target`.
pub(super) async fn run_probes(target: &Target) -> Vec<Outcome> {
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        // scim2-server speaks HTTP/1.0, one connection per request: never
        // reuse a connection (the README of ../shared/targets).
        .pool_max_idle_per_host(0)
        .build()
        .unwrap_or_else(|e| panic!("reqwest client: {e}"));
    let mut facts = Facts::default();
    let mut unanswered = 0;
    let mut outcomes = Vec::new();
    for probe in PROBES {
        let mut outcome = Outcome {
            probe: probe.id,
            source: probe.source,
            method: Method::GET,
            status: None,
            verdict: Verdict::Passed,
        };
        if unanswered >= GIVE_UP_AFTER {
            outcome.verdict = Verdict::NotSent(format!("{} stopped answering", target.name));
            outcomes.push(outcome);
            continue;
        }
        let call = match (probe.request)(&facts) {
            Ok(call) => call,
            Err(blocked) => {
                outcome.verdict = Verdict::NotSent(blocked.to_string());
                outcomes.push(outcome);
                continue;
            }
        };
        outcome.method = call.method.clone();
        outcome.verdict = match send(&http, target, &call).await {
            Err(error) => {
                unanswered += 1;
                Verdict::Failed {
                    problems: vec![format!("no answer: {error}")],
                    seen: "-".into(),
                }
            }
            Ok(answer) => {
                unanswered = 0;
                outcome.status = Some(answer.status);
                let mut problems = Problems::default();
                (probe.judge)(&answer, &mut facts, &mut problems);
                if problems.0.is_empty() {
                    Verdict::Passed
                } else {
                    Verdict::Failed {
                        problems: problems.0,
                        seen: answer.excerpt(),
                    }
                }
            }
        };
        outcomes.push(outcome);
    }
    outcomes
}

async fn send(http: &reqwest::Client, target: &Target, call: &Call) -> Result<Answer, String> {
    let token = if call.wrong_token {
        "not-the-token"
    } else {
        &target.token
    };
    let url = format!("{}{}", target.base_url.trim_end_matches('/'), call.path);
    let mut request = http
        .request(call.method.clone(), url)
        .header(USER_AGENT, "Okta SCIM Client 1.0.0")
        .header(ACCEPT, "application/scim+json")
        .header(ACCEPT_CHARSET, "utf-8")
        .bearer_auth(token);
    if let Some(body) = &call.body {
        request = request
            .header(CONTENT_TYPE, "application/scim+json; charset=utf-8")
            .body(body.to_string());
    }
    let response = request.send().await.map_err(|e| error_chain(&e))?;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.map_err(|e| error_chain(&e))?;
    let json = serde_json::from_str(&text).ok();
    Ok(Answer {
        status,
        location,
        text,
        json,
    })
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}
