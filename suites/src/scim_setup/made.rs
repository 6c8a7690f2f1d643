//! What setup made on the target before Okta's part: the exchanges (shown
//! as setup in every report, never judged as Okta's traffic) and the ids
//! the target answered, so black-box checks know the starting state.

use scimulate_simulator::Exchange;

/// The action label of setup's exchanges.
pub const SETUP: &str = "setup";

/// A user setup made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeUser {
    /// Its userName (= e-mail), tagged as Okta's org knows it.
    pub user_name: String,
    /// The id the target answered.
    pub id: String,
    pub active: bool,
}

/// A group setup made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeGroup {
    /// Its displayName, tagged as Okta's org knows it.
    pub display_name: String,
    /// The id the target answered.
    pub id: String,
    /// The ids of the users it was made with.
    pub members: Vec<String>,
}

/// A scenario's starting state as made through the target's SCIM API.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    /// Every exchange setup made, numbered before Okta's.
    pub exchanges: Vec<Exchange>,
    pub users: Vec<MadeUser>,
    pub groups: Vec<MadeGroup>,
}

impl Setup {
    /// The user setup made with this userName (any case, as RFC 7643 §4.1
    /// compares userName).
    pub fn user(&self, user_name: &str) -> Option<&MadeUser> {
        self.users
            .iter()
            .find(|u| u.user_name.eq_ignore_ascii_case(user_name))
    }

    /// The group setup made with this id.
    pub fn group(&self, id: &str) -> Option<&MadeGroup> {
        self.groups.iter().find(|g| g.id == id)
    }
}
