//! Group membership as Okta pushes it (docs/okta-wire.md#84-membership-changes): member adds,
//! removals by `members[value eq "…"]`, full pushes (Push Now, activating a
//! paused push), adds of members already there — judged on the read-backs
//! and, where observable, on the account (docs/1password.md#outcome-17).

mod in_account;
mod read_back;
mod readds;
#[cfg(test)]
mod sample;
mod writes;

pub(super) use in_account::{CHANGES_EXACTLY, MATCH_OKTA};
pub(super) use read_back::{READ_BACK_MATCHES, compare_read_back};
pub(super) use readds::{ADD_EXISTING_IS_NOOP, LISTED_ONCE};
pub(super) use writes::{PUSH_NOW_REPLACES, REMOVE_BY_VALUE_FILTER};
