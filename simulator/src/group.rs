//! Okta groups, each group's push link to its app group, and the app groups
//! Okta listed in its last group import (docs/okta-wire.md#7-importing-groups, §8).

use serde::{Deserialize, Serialize};

use crate::okta_id::OktaGroupId;

/// An Okta group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OktaGroup {
    /// `00g…`, 20 characters, fixed by the org's seed. Never sent: Okta
    /// pushes a group by name (§8.1).
    pub id: OktaGroupId,
    /// The group's name in Okta, pushed as the app group's `displayName`.
    pub name: String,
    /// Members by Okta login, in the order they joined.
    pub members: Vec<String>,
    /// The group's push to the app, once pushed or linked (§8).
    pub push: Option<PushLink>,
    /// Whether the group is assigned to the app: each member is assigned
    /// through it (docs/okta-wire.md#52-what-triggers-a-deactivation; see `assignment.rs`).
    pub assigned: bool,
}

/// What Okta stores about a pushed group (*Push Groups* tab, §8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushLink {
    /// The app group's SCIM `id`, from the `POST /Groups` answer (§8.1), the
    /// lookup hit (§8.2) or the imported group picked by *Link Group* (§8.3).
    /// `None` when the push failed before any group existed, or after unlink.
    pub app_group_id: Option<String>,
    /// The push's state as the *Push Groups* tab shows it.
    pub state: PushState,
}

/// The state of a group push (§8.1, §8.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PushState {
    /// Membership changes are pushed.
    Active,
    /// *Deactivate group push*: nothing is sent until activated (§8.6).
    Paused,
    /// Unlinked (the app group deleted or left in the app, §8.6).
    Unlinked,
    /// The push failed; Okta stops pushing memberships until the admin
    /// retries (§8.1 step 3 OBS R-MTV113, §8.2 OBS R-SENTRY).
    Error {
        /// Okta's admin-visible message.
        message: String,
    },
}

/// An app group as Okta's group import listed it (§7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppGroup {
    /// Its SCIM `id`.
    pub id: String,
    /// Its `displayName`: what the *Link Group* picker shows (§8.3).
    pub display_name: String,
    /// The `value` (SCIM user id) of each of its `members`.
    pub members: Vec<String>,
}

impl PushLink {
    /// The app group id while the group is linked (any state but unlinked).
    pub fn linked_id(&self) -> Option<&str> {
        match self.state {
            PushState::Unlinked => None,
            _ => self.app_group_id.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlinked_pushes_have_no_linked_id() {
        let mut link = PushLink {
            app_group_id: Some("g1".into()),
            state: PushState::Paused,
        };
        assert_eq!(link.linked_id(), Some("g1"));
        link.state = PushState::Unlinked;
        assert_eq!(link.linked_id(), None);
    }
}
