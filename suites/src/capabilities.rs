//! What the target says it supports (ServiceProviderConfig, ResourceTypes),
//! read from the `core` scenario's discovery probes. A check that needs a
//! capability the target does not advertise is skipped, not failed.

use serde::Serialize;
use serde_json::Value;

use crate::attempts::{Retries, final_attempts};
use crate::check::Profile;
use crate::observation::{Observation, body};
use crate::scenarios::core::{DISCOVERY, RESOURCE_TYPES, SERVICE_PROVIDER_CONFIG};

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
    /// Reads the discovery probes of the `core` scenario.
    pub fn from_core(core: &Observation) -> Self {
        // What the target said on the attempt that was answered.
        let retries = Retries::of(&core.exchanges);
        let core = final_attempts(core, &retries);
        let mut missing = Vec::new();
        if let Some(spc) = core.find(DISCOVERY, SERVICE_PROVIDER_CONFIG).and_then(body) {
            for (key, capability) in [("patch", Capability::Patch), ("filter", Capability::Filter)]
            {
                if spc.pointer(&format!("/{key}/supported")) == Some(&Value::Bool(false)) {
                    missing.push(capability);
                }
            }
        }
        if let Some(types) = core
            .find(DISCOVERY, RESOURCE_TYPES)
            .and_then(body)
            .and_then(|b| b.get("Resources"))
            .and_then(Value::as_array)
        {
            let has_group = types.iter().any(|t| {
                t.get("name").and_then(Value::as_str) == Some("Group")
                    || t.get("endpoint").and_then(Value::as_str) == Some("/Groups")
            });
            if !types.is_empty() && !has_group {
                missing.push(Capability::Groups);
            }
        }
        Capabilities {
            missing,
            profile: Profile::default(),
        }
    }

    pub fn has(&self, capability: Capability) -> bool {
        !self.missing.contains(&capability)
    }
}
