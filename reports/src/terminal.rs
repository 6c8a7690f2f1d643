//! The terminal summary: failures first (MUST before SHOULD), each with its
//! evidence and hint; then a line per capability; then the totals.

use std::collections::BTreeMap;
use std::fmt::Write;

use scimulate_suites::{CheckResult, Level, RunRecord, TargetKind, Verdict};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Renders the summary; `color` adds ANSI colours (the caller decides from
/// the TTY, `--color` and `NO_COLOR`).
pub fn render(record: &RunRecord, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let target = match record.target.kind {
        TargetKind::Embedded if record.target.faults.is_empty() => {
            "the embedded reference bridge".to_string()
        }
        TargetKind::Embedded => format!(
            "the embedded reference bridge with --fault {}",
            record.target.faults.join(", --fault ")
        ),
        TargetKind::External => record.target.base_url.clone(),
    };
    let _ = writeln!(
        out,
        "{} {} · run {} · {}",
        record.tool, record.version, record.run_id, target
    );
    if !record.target.backend_observed {
        let _ = writeln!(
            out,
            "{}",
            paint(
                YELLOW,
                "note: the account behind the bridge is not observable; checks that judge its effects are skipped"
            )
        );
    }

    let mut failures: Vec<&CheckResult> = record
        .results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Failed { .. }))
        .collect();
    failures.sort_by_key(|r| r.level);
    for result in failures {
        let Verdict::Failed { evidence } = &result.verdict else {
            continue;
        };
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} {}  [{}]",
            paint(&format!("{BOLD}{RED}"), "FAILED"),
            result.id,
            result.level
        );
        let mut step = evidence.step.clone();
        if !evidence.exchanges.is_empty() {
            let numbers: Vec<String> = evidence.exchanges.iter().map(|n| format!("#{n}")).collect();
            let _ = write!(step, " (exchange {})", numbers.join(", "));
        }
        let _ = writeln!(out, "  step      {step}");
        let _ = writeln!(out, "  expected  {}", evidence.expected);
        let _ = writeln!(out, "  seen      {}", evidence.seen);
        let _ = writeln!(out, "  hint      {}", result.hint);
    }
    for result in &record.results {
        if let Verdict::Waived { reason, .. } = &result.verdict {
            let _ = writeln!(
                out,
                "\n{} {}  waived: {reason}",
                paint(YELLOW, "WAIVED"),
                result.id
            );
        }
    }

    for note in &record.notes {
        let _ = writeln!(out, "\n{} {note}", paint(YELLOW, "note:"));
    }

    let _ = writeln!(out);
    let mut groups: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for result in &record.results {
        let capability = capability(result.id);
        let counts = groups.entry(capability).or_default();
        counts[index(&result.verdict)] += 1;
    }
    let width = groups.keys().map(|k| k.len()).max().unwrap_or(0);
    for (capability, counts) in &groups {
        let _ = writeln!(out, "{capability:width$}  {}", counts_text(counts, &paint));
    }
    let summary = record.summary();
    let totals = [
        summary.passed,
        summary.failed,
        summary.skipped,
        summary.waived,
    ];
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} checks: {}",
        record.results.len(),
        counts_text(&totals, &paint)
    );
    let must_failed = record
        .results
        .iter()
        .filter(|r| r.level == Level::Must && matches!(r.verdict, Verdict::Failed { .. }))
        .count();
    if must_failed == 0 {
        let _ = writeln!(out, "verdict: {}", paint(GREEN, "every MUST check passed"));
    } else {
        let _ = writeln!(
            out,
            "verdict: {}",
            paint(RED, &format!("{must_failed} MUST check(s) failed"))
        );
    }
    out
}

fn capability(id: &str) -> &str {
    let mut dots = id.match_indices('.').map(|(i, _)| i);
    match (dots.next(), dots.next()) {
        (Some(_), Some(second)) => &id[..second],
        _ => id,
    }
}

fn index(verdict: &Verdict) -> usize {
    match verdict {
        Verdict::Passed => 0,
        Verdict::Failed { .. } => 1,
        Verdict::Skipped { .. } => 2,
        Verdict::Waived { .. } => 3,
    }
}

fn counts_text(counts: &[usize; 4], paint: &dyn Fn(&str, &str) -> String) -> String {
    let mut parts = vec![
        paint(GREEN, &format!("{} passed", counts[0])),
        if counts[1] > 0 {
            paint(RED, &format!("{} failed", counts[1]))
        } else {
            format!("{} failed", counts[1])
        },
        format!("{} skipped", counts[2]),
    ];
    if counts[3] > 0 {
        parts.push(paint(YELLOW, &format!("{} waived", counts[3])));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_is_two_segments() {
        assert_eq!(capability("okta.users.create.returns-201"), "okta.users");
        assert_eq!(capability("plain"), "plain");
    }
}
