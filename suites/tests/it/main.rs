//! Integration tests of the suites (one binary).

mod blocked;
mod cleanup;
mod determinism;
mod load;
mod profile;
mod scale;
mod scenarios;
mod scim_setup;
mod secrets;
mod self_check;
mod served;
