//! The account's data and the wire types of the backend's HTTP API.
//!
//! Everything here is plain data: serde types shared by the server (this
//! crate), its HTTP client (used by the reference bridge) and the suites that
//! read the effect log. Field names are the JSON names (snake_case).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

// The effect log's types (and the ids they carry) are record types: a
// report reads them without linking this crate's HTTP server.
pub use scimulate_record::effect::{Change, Effect, EffectKind, GroupId, MemberId, Refusal};

/// Where a member is in 1Password's provisioning life cycle.
///
/// The names of 1Password's CLI are given for each state
/// (developer.1password.com/docs/cli/user-states).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum MemberState {
    /// Provisioned, invitation sent, not set up yet (`TRANSFER_STARTED`).
    Invited,
    /// Set up and confirmed (`ACTIVE`).
    Active,
    /// Suspended after set-up (`SUSPENDED`).
    Suspended,
    /// Deprovisioned before ever setting up (`TRANSFER_SUSPENDED`).
    InviteSuspended,
}

impl MemberState {
    /// Whether SCIM shows this member as `active: true`.
    pub fn is_active(self) -> bool {
        matches!(self, MemberState::Invited | MemberState::Active)
    }
}

/// Guests are outside provisioning: "all users except guests can be managed
/// by automated provisioning" (support.1password.com/scim-best-practices).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    #[default]
    Member,
    Guest,
}

/// One person in the account.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Member {
    pub id: MemberId,
    /// The e-mail address, the member's identity. Compared case-insensitively,
    /// stored as given.
    pub email: String,
    /// An e-mail change the member has not confirmed yet (bridge 1.6.0+ flow).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pending_email: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    pub state: MemberState,
    #[serde(default)]
    pub kind: MemberKind,
    /// Whether the provisioning integration manages this member (it invited
    /// or linked them).
    pub provisioned: bool,
    /// The identity provider's id for this member, set by the integration.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Bumped on every change; a bridge can use it as an ETag.
    pub version: u64,
}

/// Built-in groups exist in every account and cannot be deleted, renamed or
/// have their membership changed by provisioning
/// (support.1password.com/groups).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum BuiltinGroup {
    Owners,
    Administrators,
    TeamMembers,
    Security,
    ProvisionManagers,
}

impl BuiltinGroup {
    pub const ALL: [BuiltinGroup; 5] = [
        BuiltinGroup::Owners,
        BuiltinGroup::Administrators,
        BuiltinGroup::TeamMembers,
        BuiltinGroup::Security,
        BuiltinGroup::ProvisionManagers,
    ];

    /// The group's name as 1Password shows it.
    pub fn name(self) -> &'static str {
        match self {
            BuiltinGroup::Owners => "Owners",
            BuiltinGroup::Administrators => "Administrators",
            BuiltinGroup::TeamMembers => "Team Members",
            BuiltinGroup::Security => "Security",
            BuiltinGroup::ProvisionManagers => "Provision Managers",
        }
    }
}

/// A group of members.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    /// In the account's "Managed Groups" list: the integration may change it.
    pub managed: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub builtin: Option<BuiltinGroup>,
    /// Member ids in the order they joined. For Team Members this is every
    /// member who is not a guest.
    pub members: Vec<MemberId>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

/// Account-wide settings.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AccountSettings {
    pub name: String,
    /// "Provisioning users & groups" on 1Password.com. Off: every call of the
    /// integration is refused (`provisioning_disabled`).
    pub provisioning: bool,
    /// Domains new e-mail addresses may use. Empty: any domain that is not a
    /// public one.
    pub allowed_domains: Vec<String>,
}

/// Everything in the account at one moment.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AccountSnapshot {
    pub settings: AccountSettings,
    /// Shared with the account until it next writes a member: a snapshot
    /// before and after a scenario that changes no member (an import of
    /// 100,000) costs no copy (BENCHMARKS.md).
    pub members: Arc<Vec<Member>>,
    pub groups: Vec<Group>,
}

/// The body of every error answer of the API.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ErrorBody {
    pub error: Refusal,
    pub detail: String,
}

impl ErrorBody {
    /// An error answer with this code and sentence.
    pub fn new(error: Refusal, detail: impl Into<String>) -> Self {
        ErrorBody {
            error,
            detail: detail.into(),
        }
    }

    /// The HTTP status this error is answered with.
    pub fn http_status(&self) -> u16 {
        self.error.http_status()
    }
}

/// `POST /v1/invitations`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct InviteRequest {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    /// Defaults to "given family".
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_id: Option<String>,
}

/// `POST /v1/members/{id}/link`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct LinkRequest {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_id: Option<String>,
}

/// `PATCH /v1/members/{id}`: fields left out are kept.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ProfileUpdate {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_id: Option<String>,
}

/// `POST /v1/members/{id}/email-change`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct EmailChangeRequest {
    pub email: String,
}

/// `POST /v1/groups`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct GroupCreate {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_id: Option<String>,
}

/// `PATCH /v1/groups/{id}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct GroupUpdate {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_id: Option<String>,
}

/// `PATCH /v1/account` (a test control, not called by bridges).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct SettingsUpdate {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub provisioning: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub allowed_domains: Option<Vec<String>>,
}

/// One page of a listing: `GET /v1/members` and `GET /v1/groups`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// How many items match in all.
    pub total: usize,
    pub items: Vec<T>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_codes_match_their_serde_names() {
        for refusal in [
            Refusal::ProvisioningDisabled,
            Refusal::PublicDomain,
            Refusal::DomainNotAllowed,
            Refusal::InvalidEmail,
            Refusal::EmailTaken,
            Refusal::Guest,
            Refusal::BuiltinGroup,
            Refusal::LastOwner,
            Refusal::UnknownMember,
            Refusal::UnknownGroup,
            Refusal::InvalidRequest,
        ] {
            let json = serde_json::to_value(refusal).unwrap();
            assert_eq!(json, serde_json::json!(refusal.as_str()));
            assert_eq!(refusal.to_string(), refusal.as_str());
        }
    }

    #[test]
    fn effects_serialize_flat_with_a_kind_tag() {
        let effect = Effect {
            seq: 1,
            at: DateTime::UNIX_EPOCH,
            kind: EffectKind::Suspended {
                member_id: "M".into(),
            },
        };
        let json = serde_json::to_value(&effect).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"seq": 1, "at": "1970-01-01T00:00:00Z", "kind": "suspended", "member_id": "M"})
        );
        let back: Effect = serde_json::from_value(json).unwrap();
        assert_eq!(back, effect);
    }
}
