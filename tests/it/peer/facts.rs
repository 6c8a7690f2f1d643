//! What the probes learn from earlier answers and feed to later ones.

use std::collections::BTreeSet;

use serde_json::Value;

/// What earlier answers taught.
#[derive(Default)]
pub(super) struct Facts {
    /// Okta's test user.
    pub(super) user: Option<String>,
    /// Its representation as read back, which Okta's update PUTs (§4).
    pub(super) fetched: Option<Value>,
    /// The four other users of the paging probes.
    pub(super) crowd: Vec<String>,
    /// Ids listed by the paging probes so far, in order.
    pub(super) paged: Vec<String>,
    pub(super) group: Option<String>,
}

impl Facts {
    /// The group's members after Okta's add: the test user and user 2.
    pub(super) fn members_added(&self) -> BTreeSet<String> {
        self.user
            .iter()
            .chain(self.crowd.first())
            .cloned()
            .collect()
    }

    /// The group's members after user 2 is removed.
    pub(super) fn members_kept(&self) -> BTreeSet<String> {
        self.user.iter().cloned().collect()
    }
}
