//! Renderers of a run record: each is a pure function of a redacted
//! [`scimulate_record::RunRecord`] (no HTTP, no clock), so the same run
//! always renders the same bytes. This crate depends on the record types
//! alone (`scimulate-record`): no reqwest, wiremock or axum.
//!
//! - [`terminal`]: the summary a person reads (failures with evidence and
//!   hint, a line per capability, the totals).
//! - [`json`] (`--report-json`): the versioned JSON report, for tools; its
//!   JSON Schema is [`json::SCHEMA`].
//! - [`junit`] (`--junit`): JUnit XML for CI, a testsuite per capability and
//!   a testcase per `<scenario>::<check-id>`.
//! - [`html`] (`--html`): the certificate a vendor hands over, one
//!   self-contained page: verdict, target, a table per capability, failures
//!   with their exchanges.
//! - [`diff`] (`scimulate diff`): regressions, fixes and changes between
//!   two JSON reports.
//! - [`har`] (`--har`): every exchange as HAR 1.2, to open in a browser's
//!   devtools.
//!
//! The token never reaches them: each takes a
//! [`Redacted`](scimulate_record::Redacted) record, made by
//! [`RunRecord::redacted`](scimulate_record::RunRecord::redacted) with the
//! redactor of the run's own token (every form a target may echo it in;
//! see `scimulate_record::redact`). Records themselves keep answers as
//! received, for the checks.
//!
//! ```
//! # fn demo(record: scimulate_record::RunRecord) {
//! let record = record.redacted();
//! let record = &record;
//! let text = scimulate_reports::terminal::render(record, Default::default());
//! assert!(text.contains("passed"));
//! let json = scimulate_reports::json::render(record);
//! let junit = scimulate_reports::junit::render(record);
//! let har = scimulate_reports::har::render(record);
//! # }
//! ```

pub mod diff;
pub mod evidence;
pub mod har;
pub mod html;
pub mod json;
pub mod junit;
pub mod load;
pub mod terminal;
pub mod visible;

use scimulate_record::{CheckDef, CheckResult};

/// The capability group of a result (`okta.users`), as the catalogue
/// defines it.
fn capability(result: &CheckResult) -> &'static str {
    CheckDef {
        id: result.id,
        level: result.level,
        title: result.title,
        sources: result.sources,
        needs: result.needs,
        hint: result.hint,
    }
    .capability()
}

#[cfg(test)]
mod tests {
    /// The names under `[dependencies]` of a manifest.
    fn dependencies(manifest: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut inside = false;
        for line in manifest.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                inside = line == "[dependencies]";
            } else if inside && !line.is_empty() && !line.starts_with('#') {
                names.extend(line.split(['.', '=', ' ']).next().map(str::to_owned));
            }
        }
        names
    }

    /// Issue #17: a renderer links no HTTP client, server or mock. The
    /// crates it and the record crate depend on are these, none of which
    /// pulls reqwest, wiremock, axum or hyper (`cargo tree -p
    /// scimulate-reports`); a new one must be added here on purpose.
    #[test]
    fn reports_and_records_depend_on_no_http_crate() {
        let reports = dependencies(include_str!("../Cargo.toml"));
        let record = dependencies(include_str!("../../record/Cargo.toml"));
        let allowed = [
            "scimulate-record",
            "serde",
            "serde_json",
            "serde-transcode",
            "chrono",
            "quick-junit",
            "askama",
            "url",
            "http",
        ];
        for name in reports.iter().chain(&record) {
            assert!(allowed.contains(&name.as_str()), "new dependency {name}");
        }
        assert!(reports.contains(&"scimulate-record".to_string()));
        assert!(!record.iter().any(|n| n.starts_with("scimulate")));
    }
}
