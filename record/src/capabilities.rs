//! What the target says it supports (ServiceProviderConfig, ResourceTypes).
//! A check that needs a capability the target does not advertise is
//! skipped, not failed. Read from the target by the suites
//! (`scimulate_suites::capabilities::from_core`).

use serde::Serialize;

use crate::check::Profile;

/// A feature a check may need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// `patch.supported` (RFC 7643 §5): Okta's OIN dialect PATCHes.
    Patch,
    /// `filter.supported`: Okta's existence check filters.
    Filter,
    /// A `Group` resource type: Okta's group push and import.
    Groups,
}

impl Capability {
    pub fn describe(self) -> &'static str {
        match self {
            Capability::Patch => "PATCH (ServiceProviderConfig patch.supported)",
            Capability::Filter => "filtering (ServiceProviderConfig filter.supported)",
            Capability::Groups => "groups (a Group resource type)",
        }
    }
}

/// What the target advertised. Anything it did not say is taken as
/// supported: a bridge that answers no discovery is judged on what it does.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// Capabilities the target said it does *not* have.
    pub missing: Vec<Capability>,
    /// The rules the run judges (set by the run, not read from the target).
    #[serde(skip)]
    pub profile: Profile,
}

impl Capabilities {
    pub fn has(&self, capability: Capability) -> bool {
        !self.missing.contains(&capability)
    }
}
