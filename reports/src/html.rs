//! The HTML certificate (`--html PATH`): one self-contained page a vendor
//! can hand to a customer or print to PDF. It names the target, the date,
//! the tool and its version and the verdict (certified when every MUST check
//! passed), then a table per capability, then each failure with the
//! exchanges and effects that show it, the waivers, the skipped checks and
//! the notes.
//!
//! Self-contained: the CSS is inline and the page loads nothing (no fonts,
//! scripts or images); its Content-Security-Policy forbids any fetch, as a
//! second line of defence. Every string of the run (a hostile server's
//! bodies included) goes through askama's HTML escaping; the template marks
//! no data `|safe`.
//!
//! ```
//! # fn demo(record: &scimulate_record::Redacted<scimulate_record::RunRecord>) {
//! let html = scimulate_reports::html::render(record);
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! # }
//! ```

use askama::Template;
use chrono::SecondsFormat;
use scimulate_record::{CheckResult, Evidence, Level, Redacted, RunRecord, TargetKind, Verdict};
use scimulate_record::{Exchange, Header, RecordedBody};

use crate::evidence;

mod blocked;
mod skips;
use serde_json::Value;

/// A request or response body is shown up to this many lines…
const BODY_LINES: usize = 60;
/// …and this many characters; the JSON report has it whole.
const BODY_CHARS: usize = 4000;

/// Renders the certificate: one HTML document.
pub fn render(record: &Redacted<RunRecord>) -> String {
    let html = certificate(record)
        .render()
        .expect("the certificate renders: its values are strings and numbers");
    // The template itself holds no control character but line breaks: any
    // other (a server's ESC, NUL, U+202E…) is data, shown as an escape so
    // the page parses without error.
    crate::visible::escape(&html, &['\n']).into_owned()
}

/// The template's values: everything already worded, so the template only
/// lays out (and escapes) strings.
#[derive(Template)]
#[template(path = "certificate.html")]
struct Certificate<'a> {
    tool: &'a str,
    version: &'a str,
    run_id: &'a str,
    /// `2026-01-01 00:00:00 UTC`.
    date: String,
    /// `2026-01-01T00:00:00Z`, for the page title.
    date_iso: String,
    duration: String,
    certified: bool,
    /// The heading: `Certified: …` or `Not certified: …`.
    verdict: String,
    /// Under the heading: waived MUST failures and failed SHOULD checks.
    verdict_notes: Vec<String>,
    target: TargetView<'a>,
    total: usize,
    passed: usize,
    failed: usize,
    skipped: usize,
    waived: usize,
    blocked: usize,
    capabilities: Vec<CapabilityTable<'a>>,
    /// MUST first, then SHOULD, then MAY; in judged order within a level.
    failures: Vec<Finding<'a>>,
    waivers: Vec<Finding<'a>>,
    /// Results that wait on a failure, in judged order.
    blocked_list: Vec<blocked::BlockedView<'a>>,
    /// Skipped checks grouped by reason, reasons in first-seen order.
    skips: Vec<skips::SkipGroup<'a>>,
    notes: &'a [String],
}

struct TargetView<'a> {
    base_url: &'a str,
    kind: &'static str,
    faults: String,
    backend_observed: bool,
    observed: &'static str,
    missing: Vec<&'static str>,
}

struct CapabilityTable<'a> {
    name: &'static str,
    passed: usize,
    failed: usize,
    skipped: usize,
    waived: usize,
    blocked: usize,
    rows: Vec<Row<'a>>,
}

struct Row<'a> {
    id: &'static str,
    scenario: &'a str,
    level: &'static str,
    /// `passed`, `failed`, `skipped` or `waived`: the cell's text and class.
    verdict: &'static str,
    title: &'static str,
    /// The anchor of the result's detail (`#failure-2`), when it has one.
    anchor: Option<String>,
}

/// A failed or waived check with its evidence.
struct Finding<'a> {
    anchor: String,
    id: &'static str,
    scenario: &'a str,
    level: &'static str,
    title: &'static str,
    /// The waiver's reason; `None` for a failure.
    waiver: Option<&'a str>,
    step: &'a str,
    expected: &'a str,
    seen: &'a str,
    /// `None` when there is nothing of its own to fix.
    hint: Option<&'a str>,
    sources: &'static [&'static str],
    exchanges: Vec<ExchangeView<'a>>,
    effects: Vec<String>,
}

struct ExchangeView<'a> {
    /// `#14 PATCH /Users/{id}`, or `#14 (not in the transcript)`.
    headline: String,
    /// `deactivate bob@acme.com · update (attempt 2)`.
    context: String,
    request_type: Option<&'a str>,
    request_body: Option<String>,
    /// `204`, or `no answer`.
    status: String,
    response_type: Option<&'a str>,
    response_body: Option<String>,
    error: Option<&'a str>,
}

fn certificate(record: &RunRecord) -> Certificate<'_> {
    let summary = record.summary();
    let must_failed = record.results.iter().filter(|r| r.fails_run()).count();
    let must_waived = count(record, Level::Must, |v| matches!(v, Verdict::Waived { .. }));
    let should_failed = record
        .results
        .iter()
        .filter(|r| r.level != Level::Must && matches!(r.verdict, Verdict::Failed { .. }))
        .count();
    let verdict = if let Some(reason) = &record.incomplete {
        format!("Not certified: the run is incomplete ({reason})")
    } else if let Some(selection) = &record.selection {
        format!("Not certified: only a selection of checks was run ({selection})")
    } else if record.passed() {
        "Certified: every MUST check passed".to_string()
    } else {
        format!(
            "Not certified: {must_failed} MUST {} failed",
            plural(must_failed, "check", "checks")
        )
    };
    let mut verdict_notes = Vec::new();
    if must_waived > 0 {
        verdict_notes.push(format!(
            "{must_waived} failed MUST {} waived (see Waived).",
            plural(must_waived, "check is", "checks are")
        ));
    }
    if should_failed > 0 {
        verdict_notes.push(format!(
            "{should_failed} SHOULD or MAY {} failed; {} not decide the verdict.",
            plural(should_failed, "check", "checks"),
            plural(should_failed, "it does", "they do")
        ));
    }

    // The anchor of each result's detail, by its index in `record.results`.
    let mut anchors: Vec<Option<String>> = vec![None; record.results.len()];
    let mut failed: Vec<(usize, &CheckResult)> = record
        .results
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.verdict, Verdict::Failed { .. }))
        .collect();
    failed.sort_by_key(|(_, r)| r.level);
    let mut failures = Vec::new();
    for (index, result) in failed {
        if let Verdict::Failed { evidence } = &result.verdict {
            let anchor = format!("failure-{}", failures.len() + 1);
            anchors[index] = Some(anchor.clone());
            failures.push(finding(record, result, evidence, None, anchor));
        }
    }
    let mut waivers = Vec::new();
    for (index, result) in record.results.iter().enumerate() {
        if let Verdict::Waived { reason, evidence } = &result.verdict {
            let anchor = format!("waived-{}", waivers.len() + 1);
            anchors[index] = Some(anchor.clone());
            waivers.push(finding(record, result, evidence, Some(reason), anchor));
        }
    }

    let blocked_list = blocked::views(record, &mut anchors);

    let skips = skips::groups(record);

    let mut capabilities: Vec<CapabilityTable> = Vec::new();
    for (result, anchor) in record.results.iter().zip(anchors) {
        let name = crate::capability(result);
        let index = match capabilities.iter().position(|c| c.name == name) {
            Some(index) => index,
            None => {
                capabilities.push(CapabilityTable {
                    name,
                    passed: 0,
                    failed: 0,
                    skipped: 0,
                    waived: 0,
                    blocked: 0,
                    rows: Vec::new(),
                });
                capabilities.len() - 1
            }
        };
        let table = &mut capabilities[index];
        match result.verdict {
            Verdict::Passed => table.passed += 1,
            Verdict::Failed { .. } => table.failed += 1,
            Verdict::Skipped { .. } => table.skipped += 1,
            Verdict::Waived { .. } => table.waived += 1,
            Verdict::Blocked { .. } => table.blocked += 1,
        }
        table.rows.push(Row {
            id: result.id,
            scenario: &result.scenario,
            level: result.level.as_str(),
            verdict: result.verdict.name(),
            title: result.title,
            anchor,
        });
    }

    // Alphabetical, as the terminal summary lists them: `1password.*`,
    // `okta.*` and `scim.*` each stay together.
    capabilities.sort_by_key(|c| c.name);

    Certificate {
        tool: record.tool,
        version: record.version,
        run_id: &record.run_id,
        date: record
            .started_at
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string(),
        date_iso: record.started_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        duration: duration(record.duration_ms),
        certified: record.passed() && record.selection.is_none(),
        verdict,
        verdict_notes,
        target: TargetView {
            base_url: &record.target.base_url,
            kind: match record.target.kind {
                TargetKind::Embedded => "the embedded reference bridge (scimulate's own)",
                TargetKind::External => "an external SCIM bridge",
            },
            faults: record.target.faults.join(", "),
            backend_observed: record.target.backend_observed,
            observed: if record.target.backend_observed {
                "yes: the 1Password account's effects were judged"
            } else {
                "no: checks that judge the account's effects were skipped"
            },
            missing: record
                .capabilities
                .missing
                .iter()
                .map(|c| c.describe())
                .collect(),
        },
        total: record.results.len(),
        passed: summary.passed,
        failed: summary.failed,
        skipped: summary.skipped,
        waived: summary.waived,
        blocked: summary.blocked,
        capabilities,
        failures,
        waivers,
        blocked_list,
        skips,
        notes: &record.notes,
    }
}

fn finding<'a>(
    record: &'a RunRecord,
    result: &'a CheckResult,
    evidence: &'a Evidence,
    waiver: Option<&'a str>,
    anchor: String,
) -> Finding<'a> {
    let scenario = evidence::scenario_of(record, result);
    Finding {
        anchor,
        id: result.id,
        scenario: &result.scenario,
        level: result.level.as_str(),
        title: result.title,
        waiver,
        step: &evidence.step,
        expected: &evidence.expected,
        seen: &evidence.seen,
        hint: result.hint(),
        sources: result.sources,
        exchanges: evidence::exchanges(scenario, evidence)
            .into_iter()
            .map(exchange)
            .collect(),
        effects: evidence::effects(scenario, evidence)
            .into_iter()
            .map(|effect| match effect {
                Ok(effect) => cut(&evidence::effect_line(effect)),
                Err(seq) => format!("#{seq} (not in the effect log)"),
            })
            .collect(),
    }
}

fn exchange(found: Result<&Exchange, u64>) -> ExchangeView<'_> {
    let exchange = match found {
        Ok(exchange) => exchange,
        Err(number) => {
            return ExchangeView {
                headline: format!("#{number} (not in the transcript)"),
                context: String::new(),
                request_type: None,
                request_body: None,
                status: String::new(),
                response_type: None,
                response_body: None,
                error: None,
            };
        }
    };
    let response = exchange.response.as_ref();
    ExchangeView {
        headline: exchange.headline(),
        context: context(exchange),
        request_type: content_type(&exchange.request.headers),
        request_body: exchange.request.body.as_ref().map(pretty),
        status: match response {
            Some(response) => response.status.to_string(),
            None => "no answer".to_string(),
        },
        response_type: response.and_then(|r| content_type(&r.headers)),
        response_body: response.and_then(|r| match &r.body {
            RecordedBody::Empty => None,
            RecordedBody::Json(body) => Some(pretty(&body.parse())),
            RecordedBody::Text { text, .. } => Some(cut(text)),
        }),
        error: exchange.error.as_deref(),
    }
}

/// `deactivate bob@acme.com · update`, with the attempt when retried.
fn context(exchange: &Exchange) -> String {
    let mut text = format!("{} · {}", exchange.action, exchange.step);
    if exchange.attempt > 1 {
        text.push_str(&format!(" (attempt {})", exchange.attempt));
    }
    text
}

/// Only `Content-Type` is shown: the certificate is no place for headers
/// (and every string was redacted before rendering, `RunRecord::redacted`).
fn content_type(headers: &[Header]) -> Option<&str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-type"))
        .map(|h| h.value.as_str())
}

fn pretty(value: &Value) -> String {
    cut(&serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()))
}

/// Keeps the first [`BODY_LINES`] lines and [`BODY_CHARS`] characters,
/// saying what was left out.
fn cut(text: &str) -> String {
    let lines = text.lines().count();
    let chars = text.chars().count();
    if lines <= BODY_LINES && chars <= BODY_CHARS {
        return text.to_string();
    }
    let mut kept = String::new();
    for (i, line) in text.lines().take(BODY_LINES).enumerate() {
        if i > 0 {
            kept.push('\n');
        }
        kept.push_str(line);
    }
    if let Some((end, _)) = kept.char_indices().nth(BODY_CHARS) {
        kept.truncate(end);
    }
    kept.push_str(&format!(
        "\n… [cut: {} of {chars} characters shown; the JSON report has it whole]",
        kept.chars().count()
    ));
    kept
}

/// `850 ms`, `12.3 s`, `2 min 5 s`.
fn duration(ms: u64) -> String {
    match ms {
        0..1_000 => format!("{ms} ms"),
        1_000..60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        _ => format!("{} min {} s", ms / 60_000, ms % 60_000 / 1000),
    }
}

fn count(record: &RunRecord, level: Level, verdict: impl Fn(&Verdict) -> bool) -> usize {
    record
        .results
        .iter()
        .filter(|r| r.level == level && verdict(&r.verdict))
        .count()
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use scimulate_record::capabilities::{Capabilities, Capability};
    use scimulate_record::{Effect, EffectKind};
    use scimulate_record::{Needs, ScenarioRecord, TargetInfo};
    use scimulate_record::{RecordedRequest, RecordedResponse};
    use serde_json::json;

    use super::*;

    const SCRIPT: &str = "<script>alert(1)</script>";
    const IMG: &str = "\"><img src=x onerror=alert(1)>";
    const BASE_URL: &str = "https://scim.example.com/scim/v2";

    /// A run against a hostile server: its strings are in every place the
    /// certificate shows (bodies, content type, path, evidence, reasons,
    /// notes, effects).
    fn hostile_record() -> RunRecord {
        let hostile = format!("{SCRIPT} {IMG}");
        let exchange = |number: u64, body: RecordedBody| Exchange {
            number,
            action: format!("assign {IMG}"),
            step: "create".into(),
            attempt: number as u32,
            started_at: DateTime::default(),
            duration_ms: 0,
            duration_us: 0,
            request: RecordedRequest {
                method: "POST".into(),
                path: format!("/Users?filter={IMG}"),
                headers: vec![
                    Header::new("authorization", "Bearer [REDACTED]"),
                    Header::new("content-type", "application/scim+json"),
                ],
                body: Some(json!({ "userName": SCRIPT })),
            },
            response: Some(RecordedResponse {
                status: 500,
                headers: vec![
                    Header::new("content-type", IMG),
                    Header::new("link", "<https://evil.example/x.css>; rel=stylesheet"),
                ],
                body,
            }),
            error: Some(hostile.clone()),
        };
        let evidence = Evidence::new(format!("assign {SCRIPT}"), IMG, hostile.clone())
            .exchange(1)
            .exchange(2)
            .exchange(99)
            .effect(1);
        let result = |id: &'static str, level: Level, verdict: Verdict| CheckResult {
            id,
            level,
            title: "a title",
            sources: &["https://www.rfc-editor.org/rfc/rfc7644#section-3.3"],
            needs: Needs::Scim,
            hint: "a hint",
            scenario: format!("core{IMG}"),
            verdict,
        };
        RunRecord {
            schema_version: 1,
            tool: "scimulate",
            version: "0.1.0",
            run_id: "run-1".into(),
            target: TargetInfo {
                base_url: BASE_URL.into(),
                kind: TargetKind::External,
                faults: Vec::new(),
                backend_observed: true,
            },
            started_at: DateTime::default(),
            duration_ms: 1234,
            capabilities: Capabilities {
                missing: vec![Capability::Groups],
                ..Capabilities::default()
            },
            results: vec![
                result("okta.users.passes", Level::Must, Verdict::Passed),
                result(
                    "okta.users.fails",
                    Level::Must,
                    Verdict::failed(evidence.clone()),
                ),
                result(
                    "okta.users.is-waived",
                    Level::Must,
                    Verdict::Waived {
                        reason: hostile.clone(),
                        evidence: Box::new(evidence),
                    },
                ),
                result(
                    "okta.groups.is-skipped",
                    Level::Should,
                    Verdict::Skipped {
                        reason: hostile.clone(),
                    },
                ),
            ],
            notes: vec![hostile.clone()],
            incomplete: None,
            selection: None,
            scenarios: vec![ScenarioRecord {
                name: format!("core{IMG}"),
                outcomes: Vec::new(),
                transcript: vec![
                    exchange(
                        1,
                        RecordedBody::Json(
                            json!({
                                "detail": SCRIPT,
                                "scimType": IMG,
                                "meta": { "location": format!("{BASE_URL}/Users/1") },
                            })
                            .into(),
                        ),
                    ),
                    exchange(
                        2,
                        RecordedBody::Text {
                            text: hostile.clone(),
                            truncated: false,
                        },
                    ),
                ],
                effects: vec![Effect {
                    seq: 1,
                    at: DateTime::default(),
                    kind: EffectKind::MemberDeleted {
                        member_id: SCRIPT.into(),
                        email: IMG.into(),
                    },
                }],
            }],
            redactor: Default::default(),
        }
    }

    #[test]
    fn a_hostile_servers_strings_are_escaped() {
        let html = render(&hostile_record().redacted());
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
        assert!(html.contains("&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"));
        assert!(!html.contains(SCRIPT));
        assert!(!html.contains("<img"));
        assert!(!html.to_ascii_lowercase().contains("<script"));
    }

    /// Every tag and attribute comes from the template: nothing a server
    /// sent can add an element, an event handler or a fetch.
    #[test]
    fn only_the_templates_markup_is_in_the_page() {
        const TAGS: &[&str] = &[
            "html", "head", "meta", "title", "style", "body", "header", "main", "section",
            "footer", "article", "div", "h1", "h2", "h3", "p", "span", "a", "dl", "dt", "dd", "ul",
            "li", "pre", "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "b",
        ];
        const ATTRIBUTES: &[&str] = &[
            "lang",
            "charset",
            "http-equiv",
            "content",
            "name",
            "class",
            "id",
            "href",
        ];
        let html = render(&hostile_record().redacted());
        for tag in tags(&html) {
            assert!(
                TAGS.contains(&tag.name),
                "unexpected element <{}>",
                tag.name
            );
            for (name, value) in tag.attributes {
                assert!(ATTRIBUTES.contains(&name), "unexpected attribute {name}");
                if name == "href" {
                    assert!(value.starts_with('#'), "a link out of the page: {value}");
                }
            }
        }
    }

    #[test]
    fn nothing_is_fetched_and_no_url_but_the_targets_is_shown() {
        let record = hostile_record();
        // Besides the target's, only the catalogue's own sources (public
        // URLs, never the server's) may appear, as text.
        let sources: Vec<&str> = record
            .results
            .iter()
            .flat_map(|r| r.sources.iter().copied())
            .collect();
        let html = render(&record.redacted());
        // Elements and attributes are `only_the_templates_markup_is_in_the_page`;
        // the CSS fetches nothing either.
        assert!(!html.contains("url("));
        assert!(!html.contains("@import"));
        assert!(html.contains("default-src 'none'"));
        for scheme in ["http://", "https://"] {
            for (at, _) in html.match_indices(scheme) {
                assert!(
                    html[at..].starts_with(BASE_URL)
                        || sources
                            .iter()
                            .any(|s| html[at..].starts_with(s.split(' ').next().unwrap_or(s))),
                    "a URL that is not the target's: {}",
                    &html[at..(at + 60).min(html.len())]
                );
            }
        }
        assert!(
            !html.contains("Bearer"),
            "request headers other than Content-Type are not shown"
        );
    }

    #[test]
    fn control_and_bidi_characters_are_escaped_in_every_view() {
        const HIDDEN: &[char] = &[
            '\u{1b}', '\u{7}', '\u{0}', '\u{202e}', '\u{2028}', '\u{2029}',
        ];
        let sneaky = "a\u{1b}[2J\u{7}\u{0}b\u{202e}txt.exe\u{2028}c\u{2029}d";
        let mut record = hostile_record();
        record.notes.push(sneaky.into());
        for result in &mut record.results {
            if let Verdict::Failed { evidence } = &mut result.verdict {
                evidence.seen = sneaky.into();
            }
        }
        let record = record.redacted();
        let views = [
            ("html", render(&record)),
            ("junit", crate::junit::render(&record)),
            (
                "terminal",
                crate::terminal::render(&record, crate::terminal::Options::default()),
            ),
        ];
        for (name, text) in views {
            for c in HIDDEN {
                assert!(!text.contains(*c), "{name} shows {c:?} raw");
            }
            assert!(text.contains("\\u{202e}"), "{name} shows the escape");
        }
    }

    #[test]
    fn the_verdict_counts_failed_must_checks() {
        let mut record = hostile_record();
        let html = render(&record.clone().redacted());
        assert!(html.contains("Not certified: 1 MUST check failed"));
        record.results.retain(|r| !r.fails_run());
        let html = render(&record.redacted());
        assert!(html.contains("Certified: every MUST check passed"));
        assert!(html.contains("1 failed MUST check is waived"));
    }

    #[test]
    fn long_bodies_are_cut_with_a_marker() {
        let long = (0..200)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let shown = cut(&long);
        assert_eq!(shown.lines().count(), BODY_LINES + 1);
        assert!(shown.ends_with("the JSON report has it whole]"));
        let wide = "é".repeat(BODY_CHARS * 2);
        assert_eq!(
            cut(&wide).lines().next().map(|l| l.chars().count()),
            Some(BODY_CHARS)
        );
        assert_eq!(cut("short"), "short");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(850), "850 ms");
        assert_eq!(duration(12_345), "12.3 s");
        assert_eq!(duration(125_000), "2 min 5 s");
    }

    struct Tag<'a> {
        name: &'a str,
        attributes: Vec<(&'a str, &'a str)>,
    }

    /// The opening tags of a page (enough HTML parsing for our template:
    /// no comments, attribute values double-quoted or bare).
    fn tags(html: &str) -> Vec<Tag<'_>> {
        let mut tags = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            rest = &rest[start + 1..];
            let end = rest.find('>').expect("every tag closes");
            let inner = &rest[..end];
            rest = &rest[end + 1..];
            if inner.starts_with(['/', '!']) {
                continue;
            }
            let (name, mut attrs) = inner.split_once(' ').unwrap_or((inner, ""));
            let mut attributes = Vec::new();
            loop {
                attrs = attrs.trim_start();
                if attrs.is_empty() {
                    break;
                }
                let name_end = attrs.find(['=', ' ']).unwrap_or(attrs.len());
                let attribute = &attrs[..name_end];
                attrs = &attrs[name_end..];
                let value = match attrs.strip_prefix("=\"") {
                    Some(quoted) => {
                        let close = quoted.find('"').expect("quoted values close");
                        attrs = &quoted[close + 1..];
                        &quoted[..close]
                    }
                    None => match attrs.strip_prefix('=') {
                        Some(bare) => {
                            let close = bare.find(' ').unwrap_or(bare.len());
                            attrs = &bare[close..];
                            &bare[..close]
                        }
                        None => "",
                    },
                };
                attributes.push((attribute, value));
            }
            tags.push(Tag { name, attributes });
        }
        tags
    }
}
