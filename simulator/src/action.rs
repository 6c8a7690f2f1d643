//! Admin actions: what an Okta admin (or Okta itself) does that makes Okta
//! talk to the app (okta-scim-wire.md §13).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::org::ProfileAttribute;

/// One admin action. Users are named by their Okta login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AdminAction {
    /// *Test API Credentials* / *Test Connector Configuration* (§1).
    TestConnection,
    /// Assign the user to the app (§3).
    Assign {
        /// Okta login.
        user: String,
    },
    /// Edit the user's Okta profile; pushed when *Update User Attributes* is
    /// on (§4). An empty value clears an optional attribute.
    UpdateProfile {
        /// Okta login (before the change).
        user: String,
        /// New values by Okta attribute name (`firstName = "Alicia"`).
        changes: BTreeMap<ProfileAttribute, String>,
    },
    /// Deactivate the Okta user: Okta removes the assignment, then
    /// deprovisions it like an unassignment (§5.1, §5.2).
    Deactivate {
        /// Okta login.
        user: String,
    },
    /// Remove the user's assignment (§5.1, §5.2).
    Unassign {
        /// Okta login.
        user: String,
    },
    /// Reactivate the Okta user and restore its assignment (re-assigned by the
    /// admin or by its group): Okta reactivates the stored app user (§5.4).
    Reactivate {
        /// Okta login.
        user: String,
    },
    /// Suspend the Okta user: nothing is sent (§5.2).
    Suspend {
        /// Okta login.
        user: String,
    },
    /// Unsuspend the Okta user: nothing is sent (§5.2, DOC O-PLAN C9300).
    Unsuspend {
        /// Okta login.
        user: String,
    },
}

impl AdminAction {
    /// The user the action is about, if any.
    pub fn user(&self) -> Option<&str> {
        match self {
            Self::TestConnection => None,
            Self::Assign { user }
            | Self::UpdateProfile { user, .. }
            | Self::Deactivate { user }
            | Self::Unassign { user }
            | Self::Reactivate { user }
            | Self::Suspend { user }
            | Self::Unsuspend { user } => Some(user),
        }
    }
}

/// The label exchanges and outcomes carry: `assign alice@acme.com`.
impl fmt::Display for AdminAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = match self {
            Self::TestConnection => return f.write_str("test API credentials"),
            Self::Assign { .. } => "assign",
            Self::UpdateProfile { .. } => "update profile of",
            Self::Deactivate { .. } => "deactivate",
            Self::Unassign { .. } => "unassign",
            Self::Reactivate { .. } => "reactivate",
            Self::Suspend { .. } => "suspend",
            Self::Unsuspend { .. } => "unsuspend",
        };
        write!(f, "{verb} {}", self.user().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_verb_and_user() {
        let assign = AdminAction::Assign {
            user: "alice@acme.com".into(),
        };
        assert_eq!(assign.to_string(), "assign alice@acme.com");
        assert_eq!(
            AdminAction::TestConnection.to_string(),
            "test API credentials"
        );
    }

    #[test]
    fn actions_read_from_toml_scenario_data() {
        #[derive(Deserialize)]
        struct Steps {
            step: Vec<AdminAction>,
        }
        let steps: Steps = toml::from_str(
            r#"
            [[step]]
            action = "update_profile"
            user = "alice@acme.com"
            changes = { firstName = "Alicia", locale = "" }

            [[step]]
            action = "test_connection"
            "#,
        )
        .unwrap();
        let AdminAction::UpdateProfile { changes, .. } = &steps.step[0] else {
            panic!("expected update_profile");
        };
        assert_eq!(changes[&ProfileAttribute::FirstName], "Alicia");
        assert_eq!(changes[&ProfileAttribute::Locale], "");
        assert_eq!(steps.step[1], AdminAction::TestConnection);
    }
}
