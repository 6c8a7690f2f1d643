//! One function per admin action, each laid out like its row in
//! docs/okta-wire.md#13-call-sequences.

mod assign;
mod connection;
mod group_assignment;
mod group_calls;
mod group_updates;
mod import;
mod lifecycle;
mod membership;
mod paging;
mod profile;
mod push;
mod user_calls;

pub(crate) use assign::assign;
pub(crate) use connection::test_connection;
pub(crate) use group_assignment::{assign_group, unassign_group};
pub(crate) use import::{import_groups, import_users};
pub(crate) use lifecycle::{deprovision, reactivate, set_status};
pub(crate) use membership::{Change, change_members, change_membership, rename_group};
pub(crate) use profile::update_profile;
pub(crate) use push::{activate_push, link_group, pause_push, push_group, push_now, unlink_group};
