//! The fake 1Password account's effect log: what happened in the account,
//! one append-only entry at a time (the backend writes it; checks judge it;
//! reports show it).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A member id: 26 upper-case base32 characters, like 1Password's user ids
/// (docs/1password.md#7-recorded-wire-details).
pub type MemberId = String;
/// A group id: 26 lower-case base32 characters, like 1Password's group ids.
pub type GroupId = String;

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
