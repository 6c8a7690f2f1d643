//! The terminal summary a person reads: failures first (MUST, then SHOULD,
//! then MAY; by capability within a level), each with its scenario, step,
//! what was expected and seen, excerpts of the exchanges and effects that
//! show it, and the hint; then waivers and notes; then a line per
//! capability and the totals (`N passed, N failed, N skipped`, plus
//! waived); last the verdict.
//!
//! `--quiet` keeps a line per failure, the totals and the verdict;
//! `--verbose` adds every check's verdict, capability by capability, and
//! each skip's reason. Server text is shown with its control characters
//! escaped, so a hostile answer cannot drive the terminal.

use std::collections::BTreeMap;
use std::fmt::Write;

use scimulate_record::{CheckResult, Evidence, Redacted, RunRecord, TargetKind, Verdict};

use crate::evidence;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// How much to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Verbosity {
    /// A line per failure, the totals, the verdict.
    Quiet,
    /// Failures with their evidence, waivers, notes, skip reasons in short,
    /// a line per capability, the totals, the verdict.
    #[default]
    Normal,
    /// Everything of `Normal`, and every check's verdict.
    Verbose,
}

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// ANSI colours: the caller decides from the TTY, `--color` and
    /// `NO_COLOR`.
    pub color: bool,
    pub verbosity: Verbosity,
}

/// Renders the summary.
pub fn render(record: &Redacted<RunRecord>, options: Options) -> String {
    let mut out = Out {
        text: String::new(),
        color: options.color,
    };
    let quiet = options.verbosity == Verbosity::Quiet;
    out.line(&format!(
        "{} {} · run {} · {}",
        record.tool,
        record.version,
        record.run_id,
        target(record)
    ));
    if !record.target.backend_observed && !quiet {
        out.paint_line(
            YELLOW,
            "note: the account behind the bridge is not observable; checks that judge its effects are skipped",
        );
    }

    let mut failures: Vec<&CheckResult> = record
        .results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Failed { .. }))
        .collect();
    // Stable: within a level and capability, the order the run judged them.
    failures.sort_by_key(|r| (r.level, crate::capability(r)));
    if quiet && !failures.is_empty() {
        out.line("");
    }
    for result in failures {
        let Verdict::Failed { evidence } = &result.verdict else {
            continue;
        };
        if quiet {
            out.line(&format!(
                "{} {}  [{}]  {}",
                out.paint(&format!("{BOLD}{RED}"), "FAILED"),
                result.id,
                result.level,
                result.scenario
            ));
        } else {
            failure(&mut out, record, result, evidence);
        }
    }

    if !quiet {
        for result in &record.results {
            if let Verdict::Waived { reason, .. } = &result.verdict {
                out.line("");
                out.line(&format!(
                    "{} {}  [{}]  {}  waived: {}",
                    out.paint(YELLOW, "WAIVED"),
                    result.id,
                    result.level,
                    result.scenario,
                    evidence::clean(reason)
                ));
            }
        }
        for note in &record.notes {
            out.line("");
            out.line(&format!(
                "{} {}",
                out.paint(YELLOW, "note:"),
                evidence::clean(note)
            ));
        }
        skips(&mut out, record, options.verbosity);
    }
    if options.verbosity == Verbosity::Verbose {
        every_check(&mut out, record);
    }
    if !quiet {
        capabilities(&mut out, record);
    }

    let summary = record.summary();
    out.line("");
    out.line(&format!(
        "{} checks: {}",
        record.results.len(),
        counts_text(
            &[
                summary.passed,
                summary.failed,
                summary.skipped,
                summary.waived
            ],
            &out
        )
    ));
    let must_failed = record.results.iter().filter(|r| r.fails_run()).count();
    let verdict = if let Some(reason) = &record.incomplete {
        out.paint(RED, &format!("incomplete: {}", evidence::clean(reason)))
    } else if must_failed == 0 {
        out.paint(GREEN, "every MUST check passed")
    } else {
        out.paint(RED, &format!("{must_failed} MUST check(s) failed"))
    };
    out.line(&format!("verdict: {verdict}"));
    // Server strings were cleaned where they are shown; this pass keeps
    // every other hidden character (U+202E, U+2028…) from a terminal too.
    // ESC stays: the colours are ours (`clean` escaped the server's).
    crate::visible::escape(&out.text, &['\n', '\u{1b}']).into_owned()
}

fn target(record: &RunRecord) -> String {
    match record.target.kind {
        TargetKind::Embedded if record.target.faults.is_empty() => {
            "the embedded reference bridge".to_string()
        }
        TargetKind::Embedded => format!(
            "the embedded reference bridge with --fault {}",
            record.target.faults.join(", --fault ")
        ),
        TargetKind::External => record.target.base_url.clone(),
    }
}

/// One failure, as STYLE §4 lays it out, with excerpts of the exchanges.
fn failure(out: &mut Out, record: &RunRecord, result: &CheckResult, evidence: &Evidence) {
    out.line("");
    out.line(&format!(
        "{} {}  [{}]",
        out.paint(&format!("{BOLD}{RED}"), "FAILED"),
        result.id,
        result.level
    ));
    let scenario = evidence::scenario_of(record, result);
    out.line(&format!("  scenario  {}", result.scenario));
    out.line(&format!("  step      {}", evidence::clean(&evidence.step)));
    out.line(&format!(
        "  expected  {}",
        evidence::clean(&evidence.expected)
    ));
    out.line(&format!("  seen      {}", evidence::clean(&evidence.seen)));
    for exchange in evidence::exchanges(scenario, evidence) {
        match exchange {
            Ok(exchange) => {
                out.line(&format!(
                    "  exchange  {}",
                    evidence::clean(&evidence::exchange_line(exchange))
                ));
                if let Some(sent) = evidence::request_excerpt(exchange) {
                    out.line(&format!("    {}  {sent}", out.paint(DIM, "sent    ")));
                }
                if let Some(answered) = evidence::response_excerpt(exchange) {
                    out.line(&format!("    {}  {answered}", out.paint(DIM, "answered")));
                }
            }
            Err(number) => out.line(&format!("  exchange  #{number} (not in the transcript)")),
        }
    }
    for effect in evidence::effects(scenario, evidence) {
        let line = match effect {
            Ok(effect) => evidence::cut(&evidence::effect_line(effect)),
            Err(seq) => format!("#{seq} (not in the effect log)"),
        };
        out.line(&format!("  effect    {line}"));
    }
    out.line(&format!("  hint      {}", result.hint));
}

/// Why checks were skipped: each reason once, with how many it skipped
/// (verbose: every skipped check with its reason, in `every_check`).
fn skips(out: &mut Out, record: &RunRecord, verbosity: Verbosity) {
    if verbosity == Verbosity::Verbose {
        return;
    }
    let mut reasons: Vec<(&str, usize)> = Vec::new();
    for result in &record.results {
        if let Verdict::Skipped { reason } = &result.verdict {
            match reasons.iter_mut().find(|(r, _)| *r == reason.as_str()) {
                Some((_, count)) => *count += 1,
                None => reasons.push((reason, 1)),
            }
        }
    }
    if reasons.is_empty() {
        return;
    }
    out.line("");
    for (reason, count) in reasons {
        out.line(&format!(
            "{} {count} check(s): {}",
            out.paint(YELLOW, "skipped"),
            evidence::clean(reason)
        ));
    }
}

/// Every check's verdict, capability by capability, in the order judged.
fn every_check(out: &mut Out, record: &RunRecord) {
    let mut groups: BTreeMap<&str, Vec<&CheckResult>> = BTreeMap::new();
    for result in &record.results {
        groups
            .entry(crate::capability(result))
            .or_default()
            .push(result);
    }
    for (capability, results) in groups {
        out.line("");
        out.line(&out.paint(BOLD, capability));
        for result in results {
            let (word, color) = match &result.verdict {
                Verdict::Passed => ("passed ", GREEN),
                Verdict::Failed { .. } => ("FAILED ", RED),
                Verdict::Skipped { .. } => ("skipped", YELLOW),
                Verdict::Waived { .. } => ("waived ", YELLOW),
            };
            let mut line = format!(
                "  {}  {}  [{}]  {}",
                out.paint(color, word),
                result.id,
                result.level,
                result.scenario
            );
            if let Verdict::Skipped { reason } = &result.verdict {
                let _ = write!(line, ": {}", evidence::clean(reason));
            }
            out.line(&line);
        }
    }
}

/// A line per capability: its counts.
fn capabilities(out: &mut Out, record: &RunRecord) {
    let mut groups: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for result in &record.results {
        groups.entry(crate::capability(result)).or_default()[index(&result.verdict)] += 1;
    }
    out.line("");
    let width = groups.keys().map(|k| k.len()).max().unwrap_or(0);
    for (capability, counts) in &groups {
        out.line(&format!(
            "{capability:width$}  {}",
            counts_text(counts, out)
        ));
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

/// `3 passed, 1 failed, 0 skipped` (`, 2 waived` when any were).
fn counts_text(counts: &[usize; 4], out: &Out) -> String {
    let mut parts = vec![
        out.paint(GREEN, &format!("{} passed", counts[0])),
        if counts[1] > 0 {
            out.paint(RED, &format!("{} failed", counts[1]))
        } else {
            format!("{} failed", counts[1])
        },
        format!("{} skipped", counts[2]),
    ];
    if counts[3] > 0 {
        parts.push(out.paint(YELLOW, &format!("{} waived", counts[3])));
    }
    parts.join(", ")
}

/// The text being written, and whether it is coloured.
struct Out {
    text: String,
    color: bool,
}

impl Out {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    fn paint_line(&mut self, code: &str, text: &str) {
        let painted = self.paint(code, text);
        self.line(&painted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_name_waived_only_when_there_are_some() {
        let out = Out {
            text: String::new(),
            color: false,
        };
        assert_eq!(
            counts_text(&[3, 1, 0, 0], &out),
            "3 passed, 1 failed, 0 skipped"
        );
        assert_eq!(
            counts_text(&[3, 1, 0, 2], &out),
            "3 passed, 1 failed, 0 skipped, 2 waived"
        );
    }

    #[test]
    fn colour_is_only_added_when_asked() {
        let plain = Out {
            text: String::new(),
            color: false,
        };
        assert_eq!(plain.paint(RED, "x"), "x");
        let coloured = Out {
            text: String::new(),
            color: true,
        };
        assert_eq!(coloured.paint(RED, "x"), "\x1b[31mx\x1b[0m");
    }
}
