//! Renderers of a run record: each is a pure function of
//! [`scimulate_suites::RunRecord`] (no HTTP, no clock), so the same run
//! always renders the same bytes.
//!
//! ```
//! # fn demo(record: &scimulate_suites::RunRecord) {
//! let text = scimulate_reports::terminal::render(record, false);
//! assert!(text.contains("passed"));
//! # }
//! ```

pub mod terminal;
