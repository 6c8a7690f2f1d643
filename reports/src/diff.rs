//! `scimulate diff OLD.json NEW.json`: what changed between two JSON
//! reports of the same target, the CI gate on regressions.
//!
//! Results are paired by `<scenario>::<check-id>`. A **regression** is a
//! result that is `failed` in NEW and was not in OLD (it passed, was
//! skipped, waived, or did not exist); **fixed** is the reverse; every other
//! change of status is **changed** (e.g. passed → skipped: the check no
//! longer says anything); results only in one report are **added** or
//! **removed**. `diff` exits 1 when there is a regression.
//!
//! ```
//! # fn demo(old: &scimulate_reports::json::Report, new: &scimulate_reports::json::Report) {
//! let diff = scimulate_reports::diff::compare(old, new);
//! if diff.regressed() {
//!     print!("{}", scimulate_reports::diff::render(&diff));
//! }
//! # }
//! ```

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::json::{CheckResult, Report, Status};

/// One result whose status differs between the reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// `<scenario>::<check-id>`.
    pub name: String,
    pub level: String,
    /// `None` when the result is only in NEW.
    pub old: Option<Status>,
    /// `None` when the result is only in OLD.
    pub new: Option<Status>,
    /// NEW's message (expected/seen, or the reason), else OLD's.
    pub message: Option<String>,
}

/// What changed, each list in NEW's order (then OLD's for removed ones).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    pub regressions: Vec<Change>,
    pub fixed: Vec<Change>,
    pub changed: Vec<Change>,
    pub added: Vec<Change>,
    pub removed: Vec<Change>,
    /// Results with the same status in both.
    pub unchanged: usize,
    /// Things to know: different targets, a different tool version.
    pub notes: Vec<String>,
    /// NEW stopped before it judged everything (its deadline, Ctrl-C):
    /// what it did not judge cannot be called unchanged, so it gates like
    /// a regression.
    pub incomplete: Option<String>,
}

impl Diff {
    /// Whether NEW fails something OLD did not.
    pub fn regressed(&self) -> bool {
        !self.regressions.is_empty() || self.incomplete.is_some()
    }
}

fn name(result: &CheckResult) -> String {
    format!("{}::{}", result.scenario, result.id)
}

/// Compares two reports.
pub fn compare(old: &Report, new: &Report) -> Diff {
    let mut diff = Diff {
        incomplete: new.incomplete.clone(),
        ..Diff::default()
    };
    if new.selection != old.selection {
        diff.notes.push(format!(
            "the reports judged different selections ({} and {}): added and removed results \
             may be the selection's",
            old.selection.as_deref().unwrap_or("every check"),
            new.selection.as_deref().unwrap_or("every check")
        ));
    }
    if old.target.base_url != new.target.base_url || old.target.faults != new.target.faults {
        diff.notes.push(format!(
            "the reports are of different targets ({} and {}): changes may be the target's, not \
             the bridge's",
            describe(old),
            describe(new)
        ));
    }
    if old.tool.version != new.tool.version {
        diff.notes.push(format!(
            "the reports were written by {} {} and {} {}: checks may have been added or changed",
            old.tool.name, old.tool.version, new.tool.name, new.tool.version
        ));
    }
    let olds: BTreeMap<String, &CheckResult> = old.results.iter().map(|r| (name(r), r)).collect();
    let mut seen = std::collections::BTreeSet::new();
    for result in &new.results {
        let key = name(result);
        seen.insert(key.clone());
        let before = olds.get(&key).map(|r| r.status);
        let change = Change {
            name: key,
            level: result.level.clone(),
            old: before,
            new: Some(result.status),
            message: result
                .message
                .clone()
                .or_else(|| olds.get(&name(result)).and_then(|r| r.message.clone())),
        };
        match before {
            _ if result.status == Status::Failed && before != Some(Status::Failed) => {
                diff.regressions.push(change)
            }
            Some(Status::Failed) if result.status == Status::Passed => diff.fixed.push(change),
            None => diff.added.push(change),
            Some(status) if status != result.status => diff.changed.push(change),
            Some(_) => diff.unchanged += 1,
        }
    }
    for result in &old.results {
        let key = name(result);
        if !seen.contains(&key) {
            diff.removed.push(Change {
                name: key,
                level: result.level.clone(),
                old: Some(result.status),
                new: None,
                message: result.message.clone(),
            });
        }
    }
    diff
}

fn describe(report: &Report) -> String {
    if report.target.faults.is_empty() {
        report.target.base_url.clone()
    } else {
        format!(
            "{} with --fault {}",
            report.target.base_url,
            report.target.faults.join(", --fault ")
        )
    }
}

fn status(status: Option<Status>) -> &'static str {
    match status {
        None => "absent",
        Some(Status::Passed) => "passed",
        Some(Status::Failed) => "failed",
        Some(Status::Skipped) => "skipped",
        Some(Status::Waived) => "waived",
    }
}

/// The diff for a person: each list with a line per result, then the
/// counts and the conclusion.
pub fn render(diff: &Diff) -> String {
    let mut out = String::new();
    for note in &diff.notes {
        let _ = writeln!(out, "note: {note}");
    }
    if let Some(reason) = &diff.incomplete {
        let _ = writeln!(out, "INCOMPLETE the new run stopped early: {reason}");
    }
    for (title, list) in [
        ("REGRESSED", &diff.regressions),
        ("FIXED", &diff.fixed),
        ("CHANGED", &diff.changed),
        ("ADDED", &diff.added),
        ("REMOVED", &diff.removed),
    ] {
        for change in list {
            let _ = write!(
                out,
                "{title:9} {}  [{}]  {} -> {}",
                change.name,
                change.level,
                status(change.old),
                status(change.new)
            );
            match &change.message {
                Some(message) if title != "FIXED" => {
                    let _ = writeln!(out, "\n          {}", crate::evidence::cut(message));
                }
                _ => out.push('\n'),
            }
        }
    }
    let _ = writeln!(
        out,
        "{} regressed, {} fixed, {} changed, {} added, {} removed, {} unchanged",
        diff.regressions.len(),
        diff.fixed.len(),
        diff.changed.len(),
        diff.added.len(),
        diff.removed.len(),
        diff.unchanged
    );
    let _ = writeln!(
        out,
        "verdict: {}",
        if diff.incomplete.is_some() {
            "regressed (the new run is incomplete)"
        } else if diff.regressed() {
            "regressed"
        } else {
            "no regression"
        }
    );
    // Text a target or a report file supplied (notes, names) is shown,
    // never obeyed: control and bidi characters as escapes.
    crate::visible::escape(&out, &['\n']).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{RunVerdict, Summary, Target, TargetKind, Tool};

    #[test]
    fn a_report_file_s_text_is_shown_not_obeyed() {
        let diff = Diff {
            notes: vec!["target \u{202e}lmth.exe\u{1b}[2J\u{2028}".into()],
            incomplete: Some("stopped\u{7}".into()),
            ..Diff::default()
        };
        let text = render(&diff);
        for c in ['\u{202e}', '\u{1b}', '\u{2028}', '\u{7}'] {
            assert!(!text.contains(c), "{c:?} in {text:?}");
        }
        assert!(text.contains("\\u{202e}lmth.exe"), "{text}");
    }

    fn result(scenario: &str, id: &str, status: Status) -> CheckResult {
        CheckResult {
            id: id.into(),
            scenario: scenario.into(),
            level: "MUST".into(),
            status,
            message: (status != Status::Passed).then(|| format!("{id} message")),
            step: None,
            expected: None,
            seen: None,
            exchanges: vec![],
            effects: vec![],
            duration_ms: 0,
            title: String::new(),
            capability: String::new(),
            needs: "scim".into(),
            hint: String::new(),
            sources: vec![],
        }
    }

    fn report(results: Vec<CheckResult>) -> Report {
        Report {
            schema_version: crate::json::SCHEMA_VERSION,
            tool: Tool {
                name: "scimulate".into(),
                version: "0.1.0".into(),
            },
            run_id: "r1".into(),
            started_at: "2026-01-01T00:00:00.000Z".into(),
            duration_ms: 1,
            target: Target {
                base_url: "http://127.0.0.1:1".into(),
                kind: TargetKind::External,
                faults: vec![],
                backend_observed: false,
                missing_capabilities: vec![],
            },
            verdict: RunVerdict::Passed,
            summary: Summary {
                passed: 0,
                failed: 0,
                skipped: 0,
                waived: 0,
            },
            notes: vec![],
            incomplete: None,
            selection: None,
            results,
            scenarios: vec![],
        }
    }

    #[test]
    fn every_kind_of_change_is_sorted_out() {
        let old = report(vec![
            result("core", "a.b.stays", Status::Passed),
            result("core", "a.b.breaks", Status::Passed),
            result("core", "a.b.mends", Status::Failed),
            result("core", "a.b.skips", Status::Passed),
            result("core", "a.b.gone", Status::Passed),
            result("core", "a.b.waived-then-failed", Status::Waived),
        ]);
        let new = report(vec![
            result("core", "a.b.stays", Status::Passed),
            result("core", "a.b.breaks", Status::Failed),
            result("core", "a.b.mends", Status::Passed),
            result("core", "a.b.skips", Status::Skipped),
            result("core", "a.b.new-pass", Status::Passed),
            result("core", "a.b.new-fail", Status::Failed),
            result("core", "a.b.waived-then-failed", Status::Failed),
        ]);
        let diff = compare(&old, &new);
        let names = |list: &[Change]| list.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&diff.regressions),
            [
                "core::a.b.breaks",
                "core::a.b.new-fail",
                "core::a.b.waived-then-failed"
            ]
        );
        assert_eq!(names(&diff.fixed), ["core::a.b.mends"]);
        assert_eq!(names(&diff.changed), ["core::a.b.skips"]);
        assert_eq!(names(&diff.added), ["core::a.b.new-pass"]);
        assert_eq!(names(&diff.removed), ["core::a.b.gone"]);
        assert_eq!(diff.unchanged, 1);
        assert!(diff.regressed());
        let text = render(&diff);
        assert!(
            text.contains("REGRESSED core::a.b.breaks  [MUST]  passed -> failed"),
            "{text}"
        );
        assert!(text.ends_with("verdict: regressed\n"), "{text}");
    }

    #[test]
    fn the_same_report_has_no_regression() {
        let one = report(vec![result("core", "a.b.c", Status::Failed)]);
        let diff = compare(&one, &one);
        assert!(!diff.regressed());
        assert_eq!(diff.unchanged, 1);
        assert!(render(&diff).ends_with("verdict: no regression\n"));
    }

    #[test]
    fn an_incomplete_new_report_gates_like_a_regression() {
        let old = report(vec![result("core", "a.b.c", Status::Passed)]);
        let mut new = report(vec![result("core", "a.b.c", Status::Passed)]);
        new.incomplete = Some("the deadline passed".into());
        let diff = compare(&old, &new);
        assert!(diff.regressed());
        assert!(render(&diff).contains("INCOMPLETE the new run stopped early"));
    }

    #[test]
    fn different_targets_are_noted() {
        let old = report(vec![]);
        let mut new = report(vec![]);
        new.target.base_url = "http://127.0.0.1:2".into();
        assert_eq!(compare(&old, &new).notes.len(), 1);
    }
}
