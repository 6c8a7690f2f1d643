//! scimulate plays Okta's SCIM 2.0 provisioning client, wire-exact, against
//! any SCIM base URL, watches a fake 1Password account that records every
//! effect, and judges what happened. This facade is what a bridge's own tests
//! use; the `scimulate` binary is a thin layer over it.
//!
//! ```no_run
//! # #[tokio::main] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use scimulate::simulator::{Target, Token};
//! use scimulate::{RunOptions, TargetSpec};
//! // Parsed once: the token trimmed and held to the length policy.
//! let token = Token::parse(&std::env::var("SCIM_TOKEN")?)?;
//! let options = RunOptions::new(TargetSpec::External {
//!     target: Target::new("http://127.0.0.1:8080/scim/v2", token)?,
//!     backend_url: None,
//! });
//! let record = scimulate::run(options).await?;
//! print!("{}", scimulate::reports::terminal::render(&record, Default::default()));
//! assert!(record.passed());
//! # Ok(()) }
//! ```

pub use scimulate_backend as backend;
pub use scimulate_bridge as bridge;
pub use scimulate_reports as reports;
pub use scimulate_simulator as simulator;
pub use scimulate_suites as suites;
pub use scimulate_suites::harness;
pub use scimulate_suites::{RunError, RunOptions, RunRecord, TargetSpec, run};
