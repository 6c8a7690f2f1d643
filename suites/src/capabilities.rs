//! What the target says it supports (ServiceProviderConfig, ResourceTypes),
//! read from the `core` scenario's discovery probes. A check that needs a
//! capability the target does not advertise is skipped, not failed. The
//! types are record types (`scimulate-record`).

use serde_json::Value;

pub use scimulate_record::capabilities::{Capabilities, Capability};

use crate::attempts::{Retries, final_attempts};
use crate::check::Profile;
use crate::observation::{Observation, body};
use crate::scenarios::core::{DISCOVERY, RESOURCE_TYPES, SERVICE_PROVIDER_CONFIG};

/// Reads the discovery probes of the `core` scenario.
pub fn from_core(core: &Observation) -> Capabilities {
    // What the target said on the attempt that was answered.
    let retries = Retries::of(&core.exchanges);
    let core = final_attempts(core, &retries);
    let mut missing = Vec::new();
    if let Some(spc) = core.find(DISCOVERY, SERVICE_PROVIDER_CONFIG).and_then(body) {
        for (key, capability) in [("patch", Capability::Patch), ("filter", Capability::Filter)] {
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
