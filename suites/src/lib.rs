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

pub use scimulate_record::aliases;
mod attempts;
pub mod blocking;
pub mod capabilities;
pub mod checks;
pub mod cleanup;
pub mod consent;
mod cutoff;
pub mod harness;
pub mod load;
pub mod model;
pub mod observation;
mod play;
pub mod read_back;
mod run;
mod run_error;
mod run_options;
pub mod scenario;
pub mod scenarios;
pub mod scim_setup;
mod seeding;
pub mod selection;
mod session;
pub mod snapshot;
pub mod target;
pub mod waivers;

// The record types (`scimulate-record`, no HTTP), where they always were.
pub use scimulate_record::run_record as record;
pub use scimulate_record::{Redacted, Redactor, check, verdict};

pub use check::{CheckDef, Level, Needs, Profile};
pub use cleanup::{
    CLEANUP_BOUND, Cleanup, CleanupError, Known, cleanup, cleanup_known, is_run_id, new_run_id,
};
pub use consent::{Route, needs_consent};
pub use load::{KindFigures, LoadError, LoadOptions, LoadReport, load};
pub use play::{ExternalTarget, PlayError, PlayOptions, Played, play_embedded, play_external};
pub use record::{RunRecord, SCHEMA_VERSION, ScenarioRecord, Summary, TargetInfo};
pub use run::{run, scenario_label};
pub use run_error::RunError;
pub use run_options::{DEFAULT_DEADLINE, MAX_JOBS, Progress, RunOptions, TargetSpec, default_jobs};
pub use scenario::{FixtureError, Library, Scenario};
pub use selection::{Selection, SelectionError};
pub use session::{ScenarioRun, Session};
pub use target::{Embedded, EmbeddedOptions, Observer, TargetError, TargetKind};
pub use verdict::{BlockedBy, CheckResult, Evidence, Verdict};
pub use waivers::{Waiver, Waivers};
