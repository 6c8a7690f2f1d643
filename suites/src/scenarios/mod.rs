//! Scenarios: sequences of Okta admin actions (plus probes) whose runs the
//! checks judge.

mod context;
pub mod core;
pub mod names;

pub use context::{ScenarioContext, ScenarioError};
