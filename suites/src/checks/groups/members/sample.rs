//! Observations the membership checks' unit tests share: a group pushed
//! with two members, one of them then removed.

use crate::checks::groups::hand_built::Built;
use crate::scenarios::names::GROUP_MEMBERSHIP;

/// Push Eng with u1 and u2, remove u2 (answered `status`), read back
/// `read` members.
pub(super) fn membership(status: u16, read: &[&str]) -> Built {
    Built::new(GROUP_MEMBERSHIP)
        .push_eng_with(&["u1", "u2"])
        .remove_from_eng("u2", status)
        .read_back_eng(read)
}
