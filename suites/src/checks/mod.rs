//! The check catalogue: uniform entries, split by area, each with its id,
//! level, sources, needs, hint and the function that judges it.

mod auth;
mod catalogue;
mod connection;
mod discovery;
mod entry;
mod errors;
mod failure;
mod groups;
mod import;
mod list_response;
mod onepassword;
mod reading;
mod state;
mod users;

pub use catalogue::{
    NEEDS_WRITES, READ_ONLY, SHOULD_ONLY_FAULTS, catalogue, fault_fails_the_run, fault_map, judge,
    judge_one, judged_scenarios, not_fault_testable, only_read_only, skip_all,
};
pub use entry::Check;
