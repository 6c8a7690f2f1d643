//! The account's data and the wire types of the backend's HTTP API.
//!
//! Everything here is plain data: serde types shared by the server (this
//! crate), its HTTP client (used by the reference bridge) and the suites that
//! read the effect log. Field names are the JSON names (snake_case).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A member id: 26 upper-case base32 characters, like 1Password's user ids
/// (docs/1password.md#7-recorded-wire-details).
pub type MemberId = String;
/// A group id: 26 lower-case base32 characters, like 1Password's group ids.
pub type GroupId = String;

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

/// One entry of the append-only effect log.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Effect {
    /// 1, 2, 3, … with no gaps.
    pub seq: u64,
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub kind: EffectKind,
}

/// A before/after pair of one changed field.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub from: String,
    pub to: String,
}

/// What happened in the account.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EffectKind {
    /// A new person was provisioned and a provisioning invitation sent.
    InviteSent {
        member_id: MemberId,
        email: String,
    },
    /// An existing member was taken under the integration's management.
    MemberLinked {
        member_id: MemberId,
        email: String,
    },
    /// The person accepted the invitation and was confirmed.
    InviteAccepted {
        member_id: MemberId,
    },
    /// Names changed; `changes` is keyed by field (`given_name`, …).
    ProfileUpdated {
        member_id: MemberId,
        changes: BTreeMap<String, Change>,
    },
    /// A confirmation mail was sent to the new address.
    EmailChangeRequested {
        member_id: MemberId,
        from: String,
        to: String,
    },
    Suspended {
        member_id: MemberId,
    },
    Reactivated {
        member_id: MemberId,
    },
    /// The member was erased. A correct bridge never does this.
    MemberDeleted {
        member_id: MemberId,
        email: String,
    },
    GroupCreated {
        group_id: GroupId,
        name: String,
    },
    GroupRenamed {
        group_id: GroupId,
        from: String,
        to: String,
    },
    GroupDeleted {
        group_id: GroupId,
        name: String,
    },
    MemberAdded {
        group_id: GroupId,
        member_id: MemberId,
    },
    MemberRemoved {
        group_id: GroupId,
        member_id: MemberId,
    },
    /// A write was refused; nothing changed.
    Refused {
        /// The API operation, e.g. `invite`, `suspend`, `add_member`.
        action: String,
        /// The member id, group id or e-mail it was aimed at.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        target: Option<String>,
        reason: Refusal,
        detail: String,
    },
}

/// Why the account refused a call. Also the `error` code of the API's error
/// body.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Provisioning is turned off for the account (HTTP 403).
    ProvisioningDisabled,
    /// A public mail provider such as gmail.com (HTTP 422).
    PublicDomain,
    /// Not in the account's allowed domains (HTTP 422).
    DomainNotAllowed,
    /// Not an e-mail address (HTTP 422).
    InvalidEmail,
    /// Another member already has this e-mail, in any case (HTTP 409).
    EmailTaken,
    /// Guests are not managed by provisioning (HTTP 403).
    Guest,
    /// Built-in groups are not managed by provisioning (HTTP 403).
    BuiltinGroup,
    /// The account must keep at least one active owner (HTTP 409).
    LastOwner,
    /// No member with this id (HTTP 404).
    UnknownMember,
    /// No group with this id (HTTP 404).
    UnknownGroup,
    /// The request body is not what the API takes (HTTP 400).
    InvalidRequest,
}

impl Refusal {
    /// The HTTP status the API answers with.
    pub fn http_status(self) -> u16 {
        match self {
            Refusal::ProvisioningDisabled | Refusal::Guest | Refusal::BuiltinGroup => 403,
            Refusal::PublicDomain | Refusal::DomainNotAllowed | Refusal::InvalidEmail => 422,
            Refusal::EmailTaken | Refusal::LastOwner => 409,
            Refusal::UnknownMember | Refusal::UnknownGroup => 404,
            Refusal::InvalidRequest => 400,
        }
    }

    /// The code as it appears on the wire (`email_taken`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::ProvisioningDisabled => "provisioning_disabled",
            Refusal::PublicDomain => "public_domain",
            Refusal::DomainNotAllowed => "domain_not_allowed",
            Refusal::InvalidEmail => "invalid_email",
            Refusal::EmailTaken => "email_taken",
            Refusal::Guest => "guest",
            Refusal::BuiltinGroup => "builtin_group",
            Refusal::LastOwner => "last_owner",
            Refusal::UnknownMember => "unknown_member",
            Refusal::UnknownGroup => "unknown_group",
            Refusal::InvalidRequest => "invalid_request",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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
