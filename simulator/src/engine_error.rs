//! What stops an admin action before Okta sends anything: the scenario asked
//! for something the org cannot do.

use crate::user::OrgError;

/// A scenario asked for something the org cannot do (not an Okta failure:
/// those are [`crate::ActionResult::Failed`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The action names a login the org does not have.
    #[error("no Okta user with login {login:?} in the org")]
    UnknownUser { login: String },
    /// The action names a group the org does not have.
    #[error("no Okta group named {name:?} in the org")]
    UnknownGroup { name: String },
    /// *Link Group* names an app group the last group import did not list
    /// (docs/okta-wire.md#83-link-group: the picker shows imported groups).
    #[error(
        "no imported app group with displayName {display_name:?} (run import_groups first: \
         Link Group picks from the imported app groups)"
    )]
    UnknownAppGroup { display_name: String },
    /// The profile change is not possible.
    #[error(transparent)]
    Org(#[from] OrgError),
}

impl EngineError {
    pub(crate) fn unknown(login: &str) -> Self {
        Self::UnknownUser {
            login: login.to_owned(),
        }
    }

    pub(crate) fn unknown_group(name: &str) -> Self {
        Self::UnknownGroup {
            name: name.to_owned(),
        }
    }
}
