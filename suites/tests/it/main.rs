//! Integration tests of the suites (one binary).

mod determinism;
mod profile;
mod scenarios;
mod secrets;
mod self_check;
