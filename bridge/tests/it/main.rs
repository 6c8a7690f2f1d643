//! Integration tests of the reference bridge: a real fake account and a real
//! bridge on 127.0.0.1, driven over HTTP with the requests Okta sends
//! (docs/okta-wire.md), judged on the answers and on the
//! account's effect log (one binary, STYLE.md §6).

mod auth;
mod discovery;
mod errors;
mod faults;
mod fuzz;
mod groups;
mod listing;
mod support;
mod users;
