//! Integration tests of the suites (one binary).

mod blocked;
mod cleanup;
mod determinism;
mod discovery_lists;
mod load;
mod profile;
mod rate_limit;
mod scale;
mod scenarios;
mod scim_setup;
mod secrets;
mod self_check;
mod served;
mod sources;
mod wire_gaps;
mod wrapped;
