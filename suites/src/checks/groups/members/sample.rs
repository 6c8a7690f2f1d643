//! Observations the membership checks' unit tests share: a group pushed
//! with two members, one of them then removed.

use serde_json::{Value, json};

use crate::checks::groups::hand_built::Built;
use crate::scenarios::names::GROUP_MEMBERSHIP;

pub(super) fn add(values: &[&str]) -> Value {
    let value: Vec<Value> = values.iter().map(|v| json!({"value": v})).collect();
    Built::patch(vec![
        json!({"op": "add", "path": "members", "value": value}),
    ])
}

/// Push Eng with u1 and u2, remove u2 (answered `status`), read back
/// `read` members.
pub(super) fn membership(status: u16, read: &[&str]) -> Built {
    Built::new(GROUP_MEMBERSHIP)
        .send(
            "push group Eng",
            "create group",
            "POST",
            "/Groups",
            Some(json!({"displayName": "Eng", "members": []})),
            201,
            Some(Built::group("g1", "Eng", &[])),
        )
        .send(
            "push group Eng",
            "update group members",
            "PATCH",
            "/Groups/g1",
            Some(add(&["u1", "u2"])),
            200,
            None,
        )
        .send(
            "remove u2 from group Eng",
            "update group members",
            "PATCH",
            "/Groups/g1",
            Some(Built::patch(vec![
                json!({"op": "remove", "path": "members[value eq \"u2\"]"}),
            ])),
            status,
            None,
        )
        .read_back_eng(read)
}
