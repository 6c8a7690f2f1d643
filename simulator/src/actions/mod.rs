//! One function per admin action, each laid out like its row in
//! okta-scim-wire.md §13.

mod assign;
mod connection;
mod lifecycle;
mod profile;
mod user_calls;

pub(crate) use assign::assign;
pub(crate) use connection::test_connection;
pub(crate) use lifecycle::{deprovision, reactivate, set_status};
pub(crate) use profile::update_profile;
