//! Integration tests of the suites (one binary).

mod profile;
mod scenarios;
mod self_check;
