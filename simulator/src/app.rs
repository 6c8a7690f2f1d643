//! The app integration under test: its dialect, provisioning toggles, To-App
//! mappings and the behaviours the reference leaves open.

use serde::{Deserialize, Serialize};

use crate::mapping::ToAppMappings;

/// The SCIM app integration in the Okta org.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct App {
    /// The app's label, quoted in Okta's admin messages ("…to app `AppName`
    /// failed", okta-scim-wire.md §3.2).
    pub name: String,
    /// How the app was created; decides PATCH vs GET+PUT (§0).
    pub dialect: Dialect,
    /// The *To App* and group toggles.
    pub provisioning: Provisioning,
    /// Which SCIM attributes Okta fills from the Okta profile.
    pub mappings: ToAppMappings,
    /// Choices where the reference is **UNCONFIRMED**.
    pub behaviour: Behaviour,
}

/// Okta's two SCIM client dialects (§0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// Catalogue (OIN) app, e.g. 1Password Business: PATCH for
    /// (de)activation. The default for the 1Password scenarios (§0).
    #[default]
    Oin,
    /// App Integration Wizard app: GET then PUT for everything.
    Aiw,
}

/// Provisioning → To App toggles, and the group features (§1, §3.4, §4, §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "snake_case")]
pub struct Provisioning {
    /// *Create Users*: off → a missing user ends in "Matching user not found"
    /// (§3.4).
    pub create_users: bool,
    /// *Update User Attributes*: off → profile changes are not pushed (§4).
    pub update_user_attributes: bool,
    /// *Deactivate Users*: off → unassign/deactivate send nothing (§5.2).
    pub deactivate_users: bool,
    /// *Push Groups*: with *Import Groups*, makes the connection test also
    /// list `/Groups` (§1).
    pub push_groups: bool,
    /// *Import Groups* (§1, §7).
    pub import_groups: bool,
}

/// Okta behaviours no source pins down, each with the reference's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "snake_case")]
pub struct Behaviour {
    /// What a profile push does with a mapped attribute cleared in Okta (§4,
    /// **UNCONFIRMED**; default: drop the key).
    pub cleared: Cleared,
    /// When an assignment links an app user that is `active:false`: whether
    /// OIN sends `PATCH {active:true}` before or after the profile PUT (§3.3,
    /// **UNCONFIRMED**; default: PATCH first).
    pub relink_order: RelinkOrder,
}

/// How a cleared attribute appears in the PUT (§4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cleared {
    /// The key is removed from the merged resource.
    #[default]
    Omit,
    /// The key is sent as `""`.
    Empty,
    /// The key is sent as `null`.
    Null,
}

/// Order of the reactivation PATCH and the profile PUT when linking an
/// inactive app user (OIN, §3.3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelinkOrder {
    /// `PATCH {active:true}` → `GET` → `PUT` (§13 default).
    #[default]
    PatchFirst,
    /// `GET` → `PUT` → `PATCH {active:true}`.
    PutFirst,
}

impl Default for App {
    /// The 1Password OIN app with its default mappings (§3.2).
    fn default() -> Self {
        Self {
            name: "1Password Business".to_owned(),
            dialect: Dialect::Oin,
            provisioning: Provisioning::default(),
            mappings: ToAppMappings::default(),
            behaviour: Behaviour::default(),
        }
    }
}

impl Default for Provisioning {
    /// The three user toggles on (as 1Password's setup guide asks), group
    /// features off.
    fn default() -> Self {
        Self {
            create_users: true,
            update_user_attributes: true,
            deactivate_users: true,
            push_groups: false,
            import_groups: false,
        }
    }
}

impl Provisioning {
    /// Whether a group feature is on, so the connection test lists `/Groups`
    /// too (§1: [DOC O-SCIM11] always; [OBS R-ROSTR] never without *Import
    /// Groups*).
    pub fn any_group_feature(&self) -> bool {
        self.push_groups || self.import_groups
    }
}
