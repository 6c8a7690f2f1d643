//! Integration tests of the suites (one binary).

mod determinism;
mod profile;
mod scenarios;
mod self_check;
