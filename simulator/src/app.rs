//! The app integration under test: its dialect, provisioning toggles, To-App
//! mappings, Group Push and import settings, and the behaviours the
//! reference leaves open.

use serde::{Deserialize, Serialize};

use crate::mapping::{Cleared, ToAppMappings};

/// The SCIM app integration in the Okta org.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct App {
    /// The app's label, quoted in Okta's admin messages ("…to app `AppName`
    /// failed", docs/okta-wire.md#32-create).
    pub name: String,
    /// How the app was created; decides PATCH vs GET+PUT (§0).
    pub dialect: Dialect,
    /// How an OIN app sends profile updates (§0, §4): `put` (GET then PUT,
    /// the default) or `patch` (the OIN "Support PATCH for User" setting).
    /// AIW apps always PUT.
    pub user_update: UserUpdate,
    /// The *To App* and group toggles.
    pub provisioning: Provisioning,
    /// Which SCIM attributes Okta fills from the Okta profile.
    pub mappings: ToAppMappings,
    /// Choices where the reference is **UNCONFIRMED**.
    pub behaviour: Behaviour,
    /// *Push Groups* tab settings and how the push reacts (§8).
    pub push: PushSettings,
    /// *Import* settings: matching rules and the page bound (§6, §7).
    pub import: ImportSettings,
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

/// How profile updates travel (docs/okta-wire.md#0-two-client-dialects, §4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserUpdate {
    /// `GET /Users/{id}` → `PUT /Users/{id}`: what Okta's SCIM 2.0 reference
    /// describes for OIN and AIW apps alike [Okta O-SCIM20], the only form
    /// anyone recorded [R-ROSTR, R-FZ].
    #[default]
    Put,
    /// `PATCH /Users/{id}` with what changed: OIN apps with "Support PATCH
    /// for User" [Okta O-OINW], on by default for OIN templates per Okta's
    /// FAQ [Okta O-FAQ]; the body's form is **UNCONFIRMED**.
    Patch,
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

/// Group Push settings (docs/okta-wire.md#8-group-push).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "snake_case")]
pub struct PushSettings {
    /// Group Push Settings → *Rename app groups to match group name in
    /// Okta* (default on): off, Okta never renames the app group — no name
    /// PATCH on link, rename or membership change, no AIW rename PUT
    /// (§8.3, §8.5 DOC O-PLAN C9313–C9315, C9330).
    pub rename_app_groups: bool,
    /// Look the name up (`GET /Groups?filter=displayName eq "…"`) before
    /// `POST /Groups` (§8.1 step 1; default on).
    pub group_lookup_before_create: bool,
    /// Put the members in `POST /Groups` (§8.1 step 2). `None`: the
    /// dialect's default, off for OIN, on for AIW ([OBS R-ROSTR]: the AIW
    /// POST carried 7 members).
    pub members_in_post: Option<bool>,
    /// What *Create Group* does when the lookup finds the name (§8.2,
    /// **UNCONFIRMED**; default: fail).
    pub on_lookup_hit: OnLookupHit,
    /// OIN: whether the name PATCH Okta sends "each time there's a group
    /// membership update" goes before or after the member PATCH (§8.4,
    /// **UNCONFIRMED**; default: before).
    pub name_update: NameUpdate,
    /// The most membership changes (a member removed, or one added) one
    /// OIN member PATCH carries; more go in further PATCHes (§8.4). Okta's
    /// OIN submission form asks the vendor for it, "between 100 and 1000",
    /// default 100 [Okta O-OINSUBMIT]; 1Password's value is unknown, so the
    /// default is Okta's.
    pub members_per_patch: u32,
}

/// Okta's reaction to a lookup that finds an app group with the pushed
/// group's name (§8.2 **UNCONFIRMED**).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnLookupHit {
    /// An admin error on the push, no `POST` (§8.2 default; DOC H-PUSHEN:
    /// without Group Linking you "cannot push groups or group names that
    /// already exist in the target app").
    #[default]
    Fail,
    /// Link to the found group, as *Link Group* does (§8.3).
    Link,
}

/// Where the OIN name PATCH goes in a membership update (§8.4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameUpdate {
    /// `PATCH replace {id, displayName}` → member `PATCH` (§13 default).
    #[default]
    BeforeMembers,
    /// Member `PATCH` → `PATCH replace {id, displayName}`.
    AfterMembers,
}

/// Import settings (Provisioning → To Okta, §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "snake_case")]
pub struct ImportSettings {
    /// *User Creation & Matching*: which attributes make an imported user an
    /// exact match of an Okta user (§6; default: email).
    pub matching: ImportMatching,
    /// Most list pages one import requests (default 10,000 = a million
    /// resources). Okta documents no bound; this one keeps a server that
    /// ignores `startIndex` or inflates `totalResults` from holding the
    /// simulator forever (§6: "bound the loop").
    pub max_pages: u32,
}

/// The exact-match rule of an import (§6 DOC O-CONNECT, H-EDITPROV).
/// Attribute matches are **case-sensitive** [DOC H-MATCH].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMatching {
    /// The app user's primary (else first) `emails[].value` equals the Okta
    /// `email`.
    #[default]
    Email,
    /// The app user's `userName` equals the Okta username (`login`).
    Username,
    /// Either of the two.
    EmailOrUsername,
}

impl Default for App {
    /// The 1Password OIN app with its default mappings (§3.2).
    fn default() -> Self {
        Self {
            name: "1Password Business".to_owned(),
            dialect: Dialect::Oin,
            user_update: UserUpdate::Put,
            provisioning: Provisioning::default(),
            mappings: ToAppMappings::default(),
            behaviour: Behaviour::default(),
            push: PushSettings::default(),
            import: ImportSettings::default(),
        }
    }
}

impl App {
    /// How this app sends a profile update: the setting for OIN; AIW apps
    /// "always" PUT [Okta O-SCIM20].
    pub fn user_update(&self) -> UserUpdate {
        match self.dialect {
            Dialect::Oin => self.user_update,
            Dialect::Aiw => UserUpdate::Put,
        }
    }

    /// Whether `POST /Groups` carries the members: the setting, else the
    /// dialect's default (§8.1).
    pub fn members_in_post(&self) -> bool {
        self.push
            .members_in_post
            .unwrap_or(self.dialect == Dialect::Aiw)
    }
}

impl Default for PushSettings {
    fn default() -> Self {
        Self {
            rename_app_groups: true,
            group_lookup_before_create: true,
            members_in_post: None,
            on_lookup_hit: OnLookupHit::Fail,
            name_update: NameUpdate::BeforeMembers,
            members_per_patch: 100,
        }
    }
}

impl Default for ImportSettings {
    fn default() -> Self {
        Self {
            matching: ImportMatching::Email,
            max_pages: 10_000,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_in_post_defaults_to_the_dialect() {
        let mut app = App::default();
        assert!(!app.members_in_post());
        app.dialect = Dialect::Aiw;
        assert!(app.members_in_post());
        app.push.members_in_post = Some(false);
        assert!(!app.members_in_post());
    }

    #[test]
    fn push_and_import_defaults_follow_the_reference() {
        let app = App::default();
        assert!(app.push.rename_app_groups);
        assert!(app.push.group_lookup_before_create);
        assert_eq!(app.push.on_lookup_hit, OnLookupHit::Fail);
        assert_eq!(app.import.matching, ImportMatching::Email);
        assert_eq!(app.import.max_pages, 10_000);
    }
}
