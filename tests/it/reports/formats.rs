//! Every machine format and the terminal summary on fixed runs: snapshots
//! of the small record, and properties every record's renderings keep
//! (the JSON report validates against its schema, JUnit parses back with
//! the same counts, HAR has an entry per exchange, no token anywhere).

use scimulate_reports::{har, json, junit, terminal};
use scimulate_suites::Verdict;
use serde_json::Value;

use super::support::{EMBEDDED_TOKEN, SECRET, every_record, small_record};

/// Ephemeral ports and the HTTP server's own `Date` header differ between
/// runs; nothing else in a deterministic record does.
fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        filters => vec![
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
            (r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT", "[HTTP-DATE]"),
        ],
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn terminal_summary() {
    let record = small_record();
    let normal = terminal::render(record, terminal::Options::default());
    snapshot("terminal__normal", &normal);
    let verbose = terminal::render(
        record,
        terminal::Options {
            color: false,
            verbosity: terminal::Verbosity::Verbose,
        },
    );
    snapshot("terminal__verbose", &verbose);
    let quiet = terminal::render(
        record,
        terminal::Options {
            color: false,
            verbosity: terminal::Verbosity::Quiet,
        },
    );
    snapshot("terminal__quiet", &quiet);
    for text in [&normal, &verbose, &quiet] {
        assert!(!text.contains('\x1b'), "colour off means no escape codes");
        assert!(text.contains("passed, "), "{text}");
    }
}

#[test]
fn terminal_colours_only_when_asked() {
    let text = terminal::render(
        small_record(),
        terminal::Options {
            color: true,
            verbosity: terminal::Verbosity::Normal,
        },
    );
    assert!(text.contains("\x1b[31m"), "failures are red");
}

#[test]
fn json_report() {
    snapshot("json", &json::render(small_record()));
}

#[test]
fn junit_report() {
    snapshot("junit", &junit::render(small_record()));
}

#[test]
fn har_document() {
    snapshot("har", &har::render(small_record()));
}

/// The compiled report schema.
fn schema() -> (boon::Schemas, boon::SchemaIndex) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let value: Value = serde_json::from_str(json::SCHEMA).expect("the schema is JSON");
    compiler
        .add_resource("urn:scimulate:report.schema.json", value)
        .expect("the schema loads");
    let index = compiler
        .compile("urn:scimulate:report.schema.json", &mut schemas)
        .unwrap_or_else(|e| panic!("the schema compiles: {e:#}"));
    (schemas, index)
}

#[test]
fn every_json_report_validates_against_the_schema() {
    let (schemas, index) = schema();
    for (name, record) in every_record() {
        let report: Value = serde_json::from_str(&json::render(record)).expect("JSON");
        if let Err(error) = schemas.validate(&report, index) {
            panic!("the {name} report does not match the schema: {error:#}");
        }
        // It also reads back as the documented type (what `diff` reads).
        let back: json::Report = serde_json::from_value(report).expect("reads back");
        assert_eq!(back.results.len(), record.results.len(), "{name}");
    }
}

#[test]
fn the_schema_rejects_what_is_not_a_report() {
    let (schemas, index) = schema();
    let mut report: Value = serde_json::from_str(&json::render(small_record())).expect("JSON");
    report["results"][0]["status"] = "great".into();
    assert!(
        schemas.validate(&report, index).is_err(),
        "an unknown status"
    );
    let mut report: Value = serde_json::from_str(&json::render(small_record())).expect("JSON");
    report.as_object_mut().expect("an object").remove("summary");
    assert!(schemas.validate(&report, index).is_err(), "no summary");
}

/// Counts of testcases, failures and skips in JUnit XML, read with
/// quick-xml (not quick-junit, which wrote it).
fn junit_counts(xml: &str) -> (Vec<String>, usize, usize, usize) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut suites, mut cases, mut failures, mut skipped) = (Vec::new(), 0, 0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => {
                    let name = e
                        .try_get_attribute("name")
                        .expect("attributes parse")
                        .expect("a suite has a name");
                    suites.push(String::from_utf8_lossy(&name.value).into_owned());
                }
                b"testcase" => cases += 1,
                b"failure" => failures += 1,
                b"skipped" => skipped += 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (suites, cases, failures, skipped)
}

#[test]
fn junit_parses_back_with_the_record_s_counts() {
    for (name, record) in every_record() {
        let (suites, cases, failures, skipped) = junit_counts(&junit::render(record));
        let summary = record.summary();
        assert_eq!(cases, record.results.len(), "{name}: a testcase per result");
        assert_eq!(failures, summary.failed, "{name}: failures");
        assert_eq!(
            skipped,
            summary.skipped + summary.waived,
            "{name}: skipped and waived are <skipped>"
        );
        let mut capabilities: Vec<String> = record
            .results
            .iter()
            .map(|r| r.id.split('.').take(2).collect::<Vec<_>>().join("."))
            .collect();
        capabilities.dedup();
        capabilities.sort();
        capabilities.dedup();
        let mut sorted = suites.clone();
        sorted.sort();
        assert_eq!(sorted, capabilities, "{name}: a testsuite per capability");
    }
}

#[test]
fn har_has_an_entry_per_exchange_on_its_scenario_s_page() {
    for (name, record) in every_record() {
        let har: Value = serde_json::from_str(&har::render(record)).expect("JSON");
        let log = &har["log"];
        assert_eq!(log["version"], "1.2");
        assert_eq!(log["creator"]["name"], "scimulate");
        let exchanges: usize = record.scenarios.iter().map(|s| s.transcript.len()).sum();
        let entries = log["entries"].as_array().expect("entries");
        assert_eq!(entries.len(), exchanges, "{name}");
        let pages: Vec<&str> = log["pages"]
            .as_array()
            .expect("pages")
            .iter()
            .filter_map(|p| p["id"].as_str())
            .collect();
        for entry in entries {
            for key in [
                "startedDateTime",
                "time",
                "request",
                "response",
                "cache",
                "timings",
            ] {
                assert!(entry.get(key).is_some(), "{name}: an entry without {key}");
            }
            let page = entry["pageref"].as_str().expect("pageref");
            assert!(pages.contains(&page), "{name}: {page} is no page");
            let url = entry["request"]["url"].as_str().expect("url");
            assert!(url.starts_with(&record.target.base_url), "{name}: {url}");
            let status = entry["response"]["status"].as_u64().expect("status");
            assert!(
                status == 0 || (100..600).contains(&status),
                "{name}: {status}"
            );
        }
        let authorized = entries.iter().any(|e| {
            e["request"]["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|h| h["name"] == "authorization" && h["value"] == "Bearer [REDACTED]")
        });
        assert!(
            authorized,
            "{name}: the Authorization header is shown redacted"
        );
    }
}

#[test]
fn no_rendering_holds_a_token() {
    for (name, record) in every_record() {
        let renderings = [
            (
                "terminal",
                terminal::render(record, terminal::Options::default()),
            ),
            (
                "terminal verbose",
                terminal::render(
                    record,
                    terminal::Options {
                        color: true,
                        verbosity: terminal::Verbosity::Verbose,
                    },
                ),
            ),
            ("json", json::render(record)),
            ("junit", junit::render(record)),
            ("har", har::render(record)),
            ("html", scimulate_reports::html::render(record)),
        ];
        for (format, text) in renderings {
            for token in [EMBEDDED_TOKEN, SECRET] {
                assert!(!text.contains(token), "{name} {format} holds the token");
            }
        }
    }
}

#[test]
fn the_black_box_record_skips_with_reasons() {
    let record = super::support::blackbox_record();
    assert!(!record.target.backend_observed);
    let reasons: Vec<&str> = record
        .results
        .iter()
        .filter_map(|r| match &r.verdict {
            Verdict::Skipped { reason } => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    assert!(!reasons.is_empty(), "backend checks are skipped");
    let text = terminal::render(record, terminal::Options::default());
    assert!(text.contains("skipped"), "{text}");
    assert!(text.contains(reasons[0]), "the reason is shown: {text}");
}
