//! Integration tests of the suites (one binary).

mod scenarios;
mod self_check;
