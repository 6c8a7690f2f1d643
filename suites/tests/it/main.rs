//! Integration tests of the suites (one binary).

mod determinism;
mod discovery_lists;
mod load;
mod profile;
mod rate_limit;
mod scale;
mod scenarios;
mod secrets;
mod self_check;
mod sources;
mod wrapped;
