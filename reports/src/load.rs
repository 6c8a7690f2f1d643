//! The figures of `scimulate load`: a line per request kind with its count,
//! errors, 429s and latency percentiles, then throughput and totals.
//!
//! ```
//! # fn demo(report: &scimulate_record::Redacted<scimulate_record::LoadReport>) {
//! let text = scimulate_reports::load::render(report);
//! assert!(text.contains("requests/s"));
//! # }
//! ```

use std::fmt::Write;
use std::time::Duration;

use scimulate_record::{LoadReport, Redacted, TargetKind};

/// Renders the figures as a table for a terminal.
pub fn render(report: &Redacted<LoadReport>) -> String {
    let mut out = String::new();
    let target = match report.target.kind {
        TargetKind::Embedded => "the embedded reference bridge".to_string(),
        TargetKind::External => report.target.base_url.clone(),
    };
    let _ = writeln!(
        out,
        "scimulate load · run {} · {target}\n{} users assigned ({} asked), {} at a time, {} group(s) pushed",
        report.run_id, report.assigned, report.users, report.concurrency, report.groups
    );
    let _ = writeln!(out);
    let width = report
        .kinds
        .iter()
        .map(|k| k.kind.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "{:width$}  {:>8}  {:>6}  {:>5}  {:>9}  {:>9}  {:>9}  {:>9}",
        "kind", "count", "errors", "429s", "p50", "p95", "p99", "max"
    );
    for kind in &report.kinds {
        let _ = writeln!(
            out,
            "{:width$}  {:>8}  {:>6}  {:>5}  {:>9}  {:>9}  {:>9}  {:>9}",
            kind.kind,
            kind.count,
            kind.errors,
            kind.rate_limited,
            ms(kind.p50),
            ms(kind.p95),
            ms(kind.p99),
            ms(kind.max)
        );
    }
    let _ = writeln!(out);
    let errors: u64 = report.kinds.iter().map(|k| k.errors).sum();
    let limited: u64 = report.kinds.iter().map(|k| k.rate_limited).sum();
    let _ = writeln!(
        out,
        "{} requests in {:.2} s: {:.0} requests/s; {errors} errors, {limited} 429s, {} failed admin actions",
        report.requests,
        report.elapsed.as_secs_f64(),
        report.throughput(),
        report.failed_actions
    );
    if let Some(reason) = &report.incomplete {
        let _ = writeln!(out, "incomplete: {reason}");
    }
    for note in &report.notes {
        let _ = writeln!(out, "note: {}", crate::evidence::clean(note));
    }
    // Text a target or a report file supplied (notes, names) is shown,
    // never obeyed: control and bidi characters as escapes.
    crate::visible::escape(&out, &['\n']).into_owned()
}

/// `0.42 ms`, `12.3 ms`, `1530 ms`.
fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_read_as_milliseconds() {
        assert_eq!(ms(Duration::from_micros(420)), "0.42 ms");
        assert_eq!(ms(Duration::from_micros(12_340)), "12.3 ms");
        assert_eq!(ms(Duration::from_micros(1_530_000)), "1530 ms");
    }
}
