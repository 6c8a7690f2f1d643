//! Long because it is the report's whole shape, field by field, beside the one
//! conversion that fills it: the two change together.
//!
//! The JSON report (`--report-json PATH`): one document per run, for CI
//! dashboards, scripts and other tools. Its shape is [`Report`], described
//! field by field in the JSON Schema [`SCHEMA`] (`reports/report.schema.json`,
//! draft 2020-12) and in the README's "The JSON report".
//!
//! It is not a dump of the run record: names and nesting are chosen for
//! readers, every field is always present (`null` when it does not apply),
//! and fields keep their order. [`SCHEMA_VERSION`] is bumped when a field
//! changes meaning or goes away; fields may be added within a version, so
//! readers should ignore fields they do not know.
//!
//! ```
//! # fn demo(record: &scimulate_record::Redacted<scimulate_record::RunRecord>) {
//! let text = scimulate_reports::json::render(record);
//! let value: serde_json::Value = serde_json::from_str(&text).unwrap();
//! assert_eq!(value["schema_version"], 1);
//! # }
//! ```

use chrono::{DateTime, SecondsFormat, Utc};
use scimulate_record as suites;
use scimulate_record::{ActionResult, JsonBody, RecordedBody, Redacted};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::evidence::one_line;

/// The version of the report's shape: bumped when a field changes meaning or
/// goes away (added fields do not bump it).
pub const SCHEMA_VERSION: u32 = 1;

/// The JSON Schema (draft 2020-12) every report validates against.
pub const SCHEMA: &str = include_str!("../report.schema.json");

/// One run, as the JSON report shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What wrote the report.
    pub tool: Tool,
    /// The run's id; test users' e-mails carry it.
    pub run_id: String,
    /// When the run started, RFC 3339 in UTC with milliseconds.
    pub started_at: String,
    /// How long the run took.
    pub duration_ms: u64,
    /// What was tested.
    pub target: Target,
    /// `failed` when a MUST check failed (exit code 1), else `passed`.
    pub verdict: RunVerdict,
    /// Counts of `results` by status.
    pub summary: Summary,
    /// Things a person should know: expired or unused waivers.
    pub notes: Vec<String>,
    /// Why the run stopped before it played every scenario (its deadline
    /// passed, it was interrupted); `null` for a whole run. An incomplete
    /// run exits 2 and certifies nothing.
    #[serde(default)]
    pub incomplete: Option<String>,
    /// How `--only`/`--skip` narrowed the run; `null` when every check was
    /// judged.
    #[serde(default)]
    pub selection: Option<String>,
    /// One per check and scenario, in the order they were judged.
    pub results: Vec<CheckResult>,
    /// What each scenario did, in the order played.
    pub scenarios: Vec<Scenario>,
}

/// The tool that wrote a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `scimulate`.
    pub name: String,
    /// Its version, e.g. `0.1.0`.
    pub version: String,
}

/// What a run was pointed at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The SCIM base URL, e.g. `https://scim.example.com/scim/v2`.
    pub base_url: String,
    /// How it was reached.
    pub kind: TargetKind,
    /// The embedded bridge's `--fault`s (empty otherwise).
    pub faults: Vec<String>,
    /// Whether the fake 1Password account's effects could be judged; when
    /// not, the checks that need them are skipped.
    pub backend_observed: bool,
    /// Capabilities the target said it does not have (`patch`, `filter`,
    /// `groups`); checks that need one are skipped.
    pub missing_capabilities: Vec<String>,
}

/// How a target was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// The reference bridge scimulate started itself.
    Embedded,
    /// A base URL given by the user.
    External,
}

/// The run's conclusion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunVerdict {
    /// Every MUST check passed (or was skipped or waived).
    Passed,
    /// At least one MUST check failed.
    Failed,
}

/// Counts of results by status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub waived: usize,
}

/// One check's verdict on one scenario's run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    /// The check's id, stable once released
    /// (`okta.users.deactivate.reads-back-inactive`).
    pub id: String,
    /// The scenario whose run it judged; `exchanges` and `effects` number
    /// into that scenario's transcript and effect log.
    pub scenario: String,
    /// `MUST`, `SHOULD` or `MAY`.
    pub level: String,
    /// The verdict.
    pub status: Status,
    /// One line: for `failed`, what was expected and what was seen; for
    /// `skipped` and `waived`, the reason. `null` for `passed`.
    pub message: Option<String>,
    /// Where the failure was seen (admin action and step); `null` unless
    /// `failed` or `waived`.
    pub step: Option<String>,
    /// What a correct target does there; `null` unless `failed` or `waived`.
    pub expected: Option<String>,
    /// What this target did; `null` unless `failed` or `waived`.
    pub seen: Option<String>,
    /// Numbers of the exchanges that show it, in the scenario's transcript.
    pub exchanges: Vec<u64>,
    /// Sequence numbers of the effects that show it, in the scenario's
    /// effect log.
    pub effects: Vec<u64>,
    /// Time spent judging. Always 0 in schema version 1: checks are judged
    /// from the recorded run, after it; the time on the wire is in the
    /// scenario's exchanges.
    pub duration_ms: u64,
    /// One line: what a passing target does.
    pub title: String,
    /// The capability group: the id's first two segments (`okta.users`).
    pub capability: String,
    /// What the check needs: `scim` (any SCIM target) or `backend` (the
    /// fake 1Password account's effect log).
    pub needs: String,
    /// What to change when it fails.
    pub hint: String,
    /// RFC sections, Okta or 1Password documents the rule rests on.
    pub sources: Vec<String>,
}

/// A check's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
    /// Could not be judged here; `message` says why.
    Skipped,
    /// Failed, but accepted in a waivers file; `message` is the waiver's
    /// reason.
    Waived,
}

/// What one scenario did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Its label: the name, with `@aiw` for the AIW dialect.
    pub name: String,
    /// Okta's conclusion on each admin action, in order.
    pub outcomes: Vec<Outcome>,
    /// Every exchange, numbered from 1.
    pub transcript: Vec<Exchange>,
    /// The fake account's effect log (empty when not observable): each
    /// entry has `seq`, `at` and `kind`, then the fields of that kind.
    pub effects: Vec<Map<String, Value>>,
}

/// Okta's conclusion on one admin action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The action, e.g. `deactivate ada@acme.com`.
    pub action: String,
    /// `succeeded`, `not_sent` or `failed`.
    pub result: String,
    /// Why Okta sent nothing; `null` unless `not_sent`.
    pub reason: Option<String>,
    /// The failed task; `null` unless `failed`.
    pub failure: Option<OutcomeFailure>,
    /// Numbers of the exchanges the action made (retries included).
    pub exchanges: Vec<u64>,
}

/// A failed Okta task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeFailure {
    /// The cause, e.g. `conflict`, `http_status`, `transport`.
    pub kind: String,
    /// Okta's admin-visible text.
    pub message: String,
    /// The HTTP status of the answer that failed it, when there was one.
    pub status: Option<u16>,
    /// The exchange that failed it, when a request was sent.
    pub exchange: Option<u64>,
}

/// One request and its answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// 1, 2, 3… within the scenario, in the order sent.
    pub number: u64,
    /// The admin action (or probe) that sent it.
    pub action: String,
    /// Its step within that action.
    pub step: String,
    /// 1 for the first try; retries after a 429 count up.
    pub attempt: u32,
    /// When it was sent, RFC 3339 in UTC with milliseconds.
    pub started_at: String,
    /// Until the answer was read (or the request failed).
    pub duration_ms: u64,
    pub request: Request,
    /// `null` when no answer came (see `error`).
    pub response: Option<Response>,
    /// Why the exchange did not complete (timeout, refused connection, body
    /// too large…); `null` when the answer was read in full.
    pub error: Option<String>,
}

/// A request as sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub method: String,
    /// Path and query relative to the base URL, exactly as sent.
    pub path: String,
    /// In the order set; `authorization` reads `Bearer [REDACTED]`.
    pub headers: Vec<Header>,
    /// The JSON body, `null` when none was sent.
    pub body: Option<Value>,
}

/// An answer as read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// In the order received (a gzip answer is shown decoded).
    pub headers: Vec<Header>,
    pub body: Body,
}

/// One header line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Lower case.
    pub name: String,
    pub value: String,
}

/// A response body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// No bytes at all.
    Empty,
    /// A body that parsed as JSON (kept as compact text until written, so a
    /// large import's report is not held parsed all at once).
    Json { value: JsonBody },
    /// Any other body, as text, cut at 64 KiB.
    Text { text: String, truncated: bool },
}

/// Renders the report, pretty-printed, with a trailing newline.
pub fn render(record: &Redacted<suites::RunRecord>) -> String {
    let mut text = serde_json::to_string_pretty(&report(record))
        .expect("a report serializes: every map has string keys");
    text.push('\n');
    text
}

/// Builds the report of a run.
pub fn report(record: &Redacted<suites::RunRecord>) -> Report {
    let summary = record.summary();
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: record.tool.to_string(),
            version: record.version.to_string(),
        },
        run_id: record.run_id.clone(),
        started_at: timestamp(&record.started_at),
        duration_ms: record.duration_ms,
        target: Target {
            base_url: record.target.base_url.clone(),
            kind: match record.target.kind {
                suites::TargetKind::Embedded => TargetKind::Embedded,
                suites::TargetKind::External => TargetKind::External,
            },
            faults: record.target.faults.clone(),
            backend_observed: record.target.backend_observed,
            missing_capabilities: record.capabilities.missing.iter().map(name_of).collect(),
        },
        verdict: if record.passed() {
            RunVerdict::Passed
        } else {
            RunVerdict::Failed
        },
        summary: Summary {
            passed: summary.passed,
            failed: summary.failed,
            skipped: summary.skipped,
            waived: summary.waived,
        },
        notes: record.notes.clone(),
        incomplete: record.incomplete.clone(),
        selection: record.selection.clone(),
        results: record.results.iter().map(check_result).collect(),
        scenarios: record.scenarios.iter().map(scenario).collect(),
    }
}

fn check_result(result: &suites::CheckResult) -> CheckResult {
    let (status, message, evidence) = match &result.verdict {
        suites::Verdict::Passed => (Status::Passed, None, None),
        suites::Verdict::Failed { evidence } => (
            Status::Failed,
            Some(one_line(&format!(
                "expected {}; seen {}",
                evidence.expected, evidence.seen
            ))),
            Some(evidence),
        ),
        suites::Verdict::Skipped { reason } => (Status::Skipped, Some(one_line(reason)), None),
        suites::Verdict::Waived { reason, evidence } => {
            (Status::Waived, Some(one_line(reason)), Some(evidence))
        }
    };
    CheckResult {
        id: result.id.to_string(),
        scenario: result.scenario.clone(),
        level: result.level.as_str().to_string(),
        status,
        message,
        step: evidence.map(|e| e.step.clone()),
        expected: evidence.map(|e| e.expected.clone()),
        seen: evidence.map(|e| e.seen.clone()),
        exchanges: evidence.map(|e| e.exchanges.clone()).unwrap_or_default(),
        effects: evidence.map(|e| e.effects.clone()).unwrap_or_default(),
        duration_ms: 0,
        title: result.title.to_string(),
        capability: crate::capability(result).to_string(),
        needs: name_of(&result.needs),
        hint: result.hint.to_string(),
        sources: result.sources.iter().map(|s| s.to_string()).collect(),
    }
}

fn scenario(scenario: &suites::ScenarioRecord) -> Scenario {
    Scenario {
        name: scenario.name.clone(),
        outcomes: scenario
            .outcomes
            .iter()
            .map(|outcome| {
                let (result, reason, failure) = match &outcome.result {
                    ActionResult::Succeeded => ("succeeded", None, None),
                    ActionResult::NotSent { reason } => ("not_sent", Some(reason.clone()), None),
                    ActionResult::Failed(failure) => (
                        "failed",
                        None,
                        Some(OutcomeFailure {
                            kind: name_of(&failure.kind),
                            message: failure.message.clone(),
                            status: failure.status,
                            exchange: failure.exchange,
                        }),
                    ),
                };
                Outcome {
                    action: outcome.action.clone(),
                    result: result.to_string(),
                    reason,
                    failure,
                    exchanges: outcome.exchanges.clone(),
                }
            })
            .collect(),
        transcript: scenario.transcript.iter().map(exchange).collect(),
        effects: scenario.effects.iter().map(effect).collect(),
    }
}

fn exchange(exchange: &scimulate_record::Exchange) -> Exchange {
    let headers = |headers: &[scimulate_record::Header]| {
        headers
            .iter()
            .map(|h| Header {
                name: h.name.clone(),
                value: h.value.clone(),
            })
            .collect()
    };
    Exchange {
        number: exchange.number,
        action: exchange.action.clone(),
        step: exchange.step.clone(),
        attempt: exchange.attempt,
        started_at: timestamp(&exchange.started_at),
        duration_ms: exchange.duration_ms,
        request: Request {
            method: exchange.request.method.clone(),
            path: exchange.request.path.clone(),
            headers: headers(&exchange.request.headers),
            body: exchange.request.body.clone(),
        },
        response: exchange.response.as_ref().map(|response| Response {
            status: response.status,
            headers: headers(&response.headers),
            body: match &response.body {
                RecordedBody::Empty => Body::Empty,
                RecordedBody::Json(value) => Body::Json {
                    value: value.clone(),
                },
                RecordedBody::Text { text, truncated } => Body::Text {
                    text: text.clone(),
                    truncated: *truncated,
                },
            },
        }),
        error: exchange.error.clone(),
    }
}

/// `seq`, `at` (in the report's timestamp format), `kind`, then the kind's
/// own fields as the account's log names them.
fn effect(effect: &scimulate_record::Effect) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("seq".into(), effect.seq.into());
    map.insert("at".into(), timestamp(&effect.at).into());
    if let Ok(Value::Object(fields)) = serde_json::to_value(&effect.kind) {
        // `kind` first: the account's log tags each entry with it.
        if let Some(kind) = fields.get("kind") {
            map.insert("kind".into(), kind.clone());
        }
        map.extend(fields.into_iter().filter(|(key, _)| key != "kind"));
    }
    map
}

/// RFC 3339, UTC, milliseconds: `2026-01-01T00:00:00.000Z`.
fn timestamp(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The name serde gives a unit variant (`patch`, `backend`, `conflict`…),
/// so the report uses the same words as the record.
fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(name)) => name,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_json_and_names_its_version() {
        let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(
            schema["properties"]["schema_version"]["const"],
            SCHEMA_VERSION
        );
    }
}
