//! JUnit XML (`--junit PATH`), for CI systems that show test results: a
//! testsuite per capability (`okta.users`, `1password.groups`…, the check
//! id's first two segments), a testcase per check and scenario named
//! `<scenario>::<check-id>` with the capability as its classname.
//!
//! A failed check is a `<failure>` whose message is one line (`expected …;
//! seen …`) and whose text is the evidence: step, expected, seen, hint, the
//! exchanges and effects that show it, the sources. A skipped check is
//! `<skipped>` with the reason; a waived one is `<skipped>` with `waived:
//! <reason>` and the evidence, so CI stays green on accepted failures but
//! shows them.
//!
//! ```
//! # fn demo(record: &scimulate_record::Redacted<scimulate_record::RunRecord>) {
//! let xml = scimulate_reports::junit::render(record);
//! assert!(xml.starts_with("<?xml"));
//! # }
//! ```

use std::fmt::Write;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use scimulate_record::{CheckResult, Evidence, Redacted, RunRecord, ScenarioRecord, Verdict};

use crate::evidence::{self, one_line};

/// Renders the report as JUnit XML.
pub fn render(record: &Redacted<RunRecord>) -> String {
    let xml = report(record)
        .to_string()
        .expect("writing XML to a String cannot fail");
    // XML 1.0 allows no C0 control but line breaks and tabs; bidi controls
    // and separators are shown, not obeyed, like everywhere else.
    crate::visible::escape(&xml, &['\n', '\t']).into_owned()
}

/// Builds the report: suites in the order their first check was judged,
/// testcases in the record's order.
pub fn report(record: &Redacted<RunRecord>) -> Report {
    let mut suites: Vec<TestSuite> = Vec::new();
    for result in &record.results {
        let capability = crate::capability(result);
        let index = match suites.iter().position(|s| s.name.as_str() == capability) {
            Some(index) => index,
            None => {
                let mut suite = TestSuite::new(capability);
                suite.set_timestamp(record.started_at.fixed_offset());
                suites.push(suite);
                suites.len() - 1
            }
        };
        suites[index].add_test_case(test_case(record, result, capability));
    }
    let mut report = Report::new(record.tool);
    report
        .set_timestamp(record.started_at.fixed_offset())
        .set_time(Duration::from_millis(record.duration_ms))
        .add_test_suites(suites);
    report
}

fn test_case(record: &RunRecord, result: &CheckResult, capability: &str) -> TestCase {
    let scenario = evidence::scenario_of(record, result);
    let status = match &result.verdict {
        Verdict::Passed => TestCaseStatus::success(),
        Verdict::Failed { evidence } => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(one_line(&format!(
                    "expected {}; seen {}",
                    evidence.expected, evidence.seen
                )))
                .set_type(result.level.as_str())
                .set_description(detail(result, evidence, scenario));
            status
        }
        Verdict::Skipped { reason } => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(one_line(reason));
            status
        }
        Verdict::Waived { reason, evidence } => {
            let mut status = TestCaseStatus::skipped();
            status
                .set_message(one_line(&format!("waived: {reason}")))
                .set_type("waived")
                .set_description(detail(result, evidence, scenario));
            status
        }
    };
    let mut case = TestCase::new(format!("{}::{}", result.scenario, result.id), status);
    case.set_classname(capability);
    case
}

/// The evidence, laid out like the terminal report's (STYLE §4).
fn detail(result: &CheckResult, evidence: &Evidence, scenario: Option<&ScenarioRecord>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  [{}]", result.title, result.level);
    let _ = writeln!(out, "step      {}", evidence.step);
    let _ = writeln!(out, "expected  {}", evidence.expected);
    let _ = writeln!(out, "seen      {}", evidence.seen);
    let _ = writeln!(out, "hint      {}", result.hint);
    for exchange in evidence::exchanges(scenario, evidence) {
        match exchange {
            Ok(exchange) => {
                let _ = writeln!(out, "exchange  {}", evidence::exchange_line(exchange));
                if let Some(sent) = evidence::request_excerpt(exchange) {
                    let _ = writeln!(out, "  sent      {sent}");
                }
                if let Some(answered) = evidence::response_excerpt(exchange) {
                    let _ = writeln!(out, "  answered  {answered}");
                }
            }
            Err(number) => {
                let _ = writeln!(out, "exchange  #{number} (not in the transcript)");
            }
        }
    }
    for effect in evidence::effects(scenario, evidence) {
        let line = match effect {
            Ok(effect) => evidence::effect_line(effect),
            Err(seq) => format!("#{seq} (not in the effect log)"),
        };
        let _ = writeln!(out, "effect    {line}");
    }
    if !result.sources.is_empty() {
        let _ = writeln!(out, "sources   {}", result.sources.join("; "));
    }
    out
}
