//! The conformance suites: scenarios of Okta admin actions played against a
//! target, and the checks that judge each run — black-box from SCIM answers,
//! and, when the fake 1Password account is observable, from its effects.
//!
//! ```no_run
//! # async fn demo() -> Result<(), scimulate_suites::RunError> {
//! use scimulate_suites::{RunOptions, TargetSpec, run};
//! let record = run(RunOptions::new(TargetSpec::Embedded {
//!     account: Default::default(),
//!     faults: Default::default(),
//! }))
//! .await?;
//! assert!(record.passed());
//! # Ok(()) }
//! ```

mod attempts;
pub mod capabilities;
pub mod check;
pub mod checks;
pub mod cleanup;
pub mod consent;
pub mod harness;
pub mod load;
pub mod observation;
mod play;
pub mod record;
mod run;
mod run_error;
mod run_options;
pub mod scenario;
pub mod scenarios;
pub mod selection;
mod session;
pub mod snapshot;
pub mod target;
pub mod verdict;
pub mod waivers;

pub use check::{CheckDef, Level, Needs, Profile};
pub use cleanup::{Cleanup, CleanupError, Known, cleanup, cleanup_known, is_run_id, new_run_id};
pub use consent::{Route, needs_consent};
pub use load::{KindFigures, LoadError, LoadOptions, LoadReport, load};
pub use play::{ExternalTarget, PlayError, PlayOptions, Played, play_embedded, play_external};
pub use record::{RunRecord, SCHEMA_VERSION, ScenarioRecord, Summary, TargetInfo};
pub use run::{CLEANUP_BOUND, run, scenario_label};
pub use run_error::RunError;
pub use run_options::{DEFAULT_DEADLINE, MAX_JOBS, Progress, RunOptions, TargetSpec, default_jobs};
pub use scenario::{FixtureError, Library, Scenario};
pub use selection::{Selection, SelectionError};
pub use session::{ScenarioRun, Session};
pub use target::{Embedded, EmbeddedOptions, Observer, TargetError, TargetKind};
pub use verdict::{CheckResult, Evidence, Verdict};
pub use waivers::{Waiver, Waivers};
