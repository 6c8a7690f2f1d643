//! The printed table: every probe's verdict on every target, and what each
//! target's failing answers showed.

use super::probes::PROBES;
use super::run::{Outcome, Verdict};

/// Every probe that did not pass, with what was expected and seen.
pub(super) fn render_failures(outcomes: &[Outcome]) -> String {
    let mut text = String::new();
    for outcome in outcomes {
        match &outcome.verdict {
            Verdict::Passed => {}
            Verdict::Failed { problems, seen } => {
                text.push_str(&format!("FAILED {}  [{}]\n", outcome.probe, outcome.source));
                for problem in problems {
                    text.push_str(&format!("  problem   {problem}\n"));
                }
                text.push_str(&format!("  seen      {seen}\n"));
            }
            Verdict::NotSent(why) => {
                text.push_str(&format!("NOT SENT {}: {why}\n", outcome.probe));
            }
        }
    }
    text
}

/// The verdict of every probe on every target, then each peer's failures.
pub(super) fn render_table(runs: &[(&str, &Vec<Outcome>)]) -> String {
    let width = PROBES.iter().map(|p| p.id.len()).max().unwrap_or(0);
    let mut text = format!("{:width$}", "probe");
    for (name, _) in runs {
        text.push_str(&format!("  {name:12}"));
    }
    text.push('\n');
    for (i, probe) in PROBES.iter().enumerate() {
        text.push_str(&format!("{:width$}", probe.id));
        for (_, outcomes) in runs {
            let label = outcomes.get(i).map_or("-", |o| o.verdict.label());
            text.push_str(&format!("  {label:12}"));
        }
        text.push('\n');
    }
    for (name, outcomes) in runs {
        let failures = render_failures(outcomes);
        if !failures.is_empty() {
            text.push_str(&format!("\n{name}: where it deviates\n{failures}"));
        }
    }
    text
}
