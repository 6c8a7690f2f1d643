//! Deliberate misbehaviours of the reference bridge (`--fault NAME`).
//!
//! Each fault breaks one rule a correct bridge keeps, the way real bridges
//! have been seen to break it, so the suites can prove they notice. The
//! catalogue is one list of uniform entries; `scimulate serve --help` and the
//! docs are generated from it.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// One deliberate misbehaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    InviteExistingMember,
    CaseSensitiveUserName,
    DeleteInsteadOfSuspend,
    IgnoreDeactivate,
    IgnoreReactivate,
    DuplicateGroups,
    ZeroBasedPaging,
    IgnoreCount,
    WrongTotalResults,
    StringTotalResults,
    IgnoreFilter,
    IgnoreMemberRemoval,
    RenameCreatesGroup,
    PatchRequiresPath,
    NoLocationHeader,
    CreateReturns200,
    AcceptAnyToken,
    PlainTextErrors,
    ProvisioningOff500,
    DisplayNameNotSplit,
    IgnoreEmailChange,
    ExposeBuiltinGroups,
    LinkGuests,
    FirstOperationOnly,
    FirstMemberOnly,
    EqMatchesPrefix,
    FilterHidesInactive,
    IgnoreExcludedAttributes,
    DropExternalId,
    MetaInconsistent,
    PageAlignedStartIndex,
    KeepClearedAttributes,
    GroupsIgnoreStartIndex,
}

/// A catalogue entry: what the fault is called and what it breaks.
pub struct FaultInfo {
    pub fault: Fault,
    /// The `--fault` name (kebab-case, stable).
    pub name: &'static str,
    /// What the bridge does wrong.
    pub doc: &'static str,
    /// The rule it breaks and where that rule comes from.
    pub breaks: &'static str,
}

/// Every fault, in the order `--help` lists them.
pub const CATALOGUE: &[FaultInfo] = &[
    FaultInfo {
        fault: Fault::InviteExistingMember,
        name: "invite-existing-member",
        doc: "POST /Users always invites, never looks for an existing member with that e-mail",
        breaks: "link an existing member by e-mail instead of inviting twice (1Password: existing users are linked)",
    },
    FaultInfo {
        fault: Fault::CaseSensitiveUserName,
        name: "case-sensitive-username",
        doc: "userName filters and the create-time lookup compare e-mail case-sensitively",
        breaks: "userName is caseExact=false (RFC 7643 §4.1); Okta sends the case it has",
    },
    FaultInfo {
        fault: Fault::DeleteInsteadOfSuspend,
        name: "delete-instead-of-suspend",
        doc: "active=false and DELETE erase the member instead of suspending",
        breaks: "deprovisioning suspends, never deletes (1Password: scim-okta)",
    },
    FaultInfo {
        fault: Fault::IgnoreDeactivate,
        name: "ignore-deactivate",
        doc: "active=false answers 200 but changes nothing",
        breaks: "deactivate suspends the member (RFC 7644 §3.5.2; 1Password: scim-okta)",
    },
    FaultInfo {
        fault: Fault::IgnoreReactivate,
        name: "ignore-reactivate",
        doc: "active=true answers 200 but the member stays suspended",
        breaks: "reactivation restores access (Okta OIN plan C9293)",
    },
    FaultInfo {
        fault: Fault::DuplicateGroups,
        name: "duplicate-groups",
        doc: "POST /Groups creates a new group even when one with that name exists",
        breaks: "never create a second group with the same name (1Password: managed groups)",
    },
    FaultInfo {
        fault: Fault::ZeroBasedPaging,
        name: "zero-based-paging",
        doc: "startIndex is read as 0-based, so startIndex=1 skips the first resource",
        breaks: "startIndex is 1-based (RFC 7644 §3.4.2.4)",
    },
    FaultInfo {
        fault: Fault::IgnoreCount,
        name: "ignore-count",
        doc: "list answers return every resource whatever count asks for",
        breaks: "count caps the page (RFC 7644 §3.4.2.4)",
    },
    FaultInfo {
        fault: Fault::WrongTotalResults,
        name: "wrong-total-results",
        doc: "totalResults counts the resources on the page, not all matches",
        breaks: "totalResults is the number of all results (RFC 7644 §3.4.2)",
    },
    FaultInfo {
        fault: Fault::StringTotalResults,
        name: "string-total-results",
        doc: "totalResults, startIndex and itemsPerPage are JSON strings",
        breaks: "paging numbers are JSON integers (Okta SCIM 2.0 guide)",
    },
    FaultInfo {
        fault: Fault::IgnoreFilter,
        name: "ignore-filter",
        doc: "the filter parameter is ignored: every list answer returns all resources",
        breaks: "filter selects resources (RFC 7644 §3.4.2.2); Okta links the first result",
    },
    FaultInfo {
        fault: Fault::IgnoreMemberRemoval,
        name: "ignore-member-removal",
        doc: "PATCH remove on members answers 200 but nobody leaves the group",
        breaks: "remove members[value eq \"id\"] removes the member (RFC 7644 §3.5.2.2)",
    },
    FaultInfo {
        fault: Fault::RenameCreatesGroup,
        name: "rename-creates-group",
        doc: "a group rename creates a new group with the new name and leaves the old one",
        breaks: "rename keeps the group's id and members (RFC 7644 §3.5.2.3)",
    },
    FaultInfo {
        fault: Fault::PatchRequiresPath,
        name: "patch-requires-path",
        doc: "PATCH operations without a path are refused with 400",
        breaks: "path-less replace with a value object is valid (RFC 7644 §3.5.2.3) and what Okta sends",
    },
    FaultInfo {
        fault: Fault::NoLocationHeader,
        name: "no-location-header",
        doc: "201 Created answers carry no Location header",
        breaks: "a created resource's URI goes in Location (RFC 7644 §3.3)",
    },
    FaultInfo {
        fault: Fault::CreateReturns200,
        name: "create-returns-200",
        doc: "POST /Users and POST /Groups answer 200 instead of 201",
        breaks: "creation answers 201 Created (RFC 7644 §3.3; Okta SCIM 2.0 guide)",
    },
    FaultInfo {
        fault: Fault::AcceptAnyToken,
        name: "accept-any-token",
        doc: "requests without a token or with a wrong one are served",
        breaks: "a missing or wrong bearer token gets 401 (RFC 7644 §2; RFC 6750 §3.1)",
    },
    FaultInfo {
        fault: Fault::PlainTextErrors,
        name: "plain-text-errors",
        doc: "error answers are plain text instead of the SCIM error envelope",
        breaks: "errors use the Error schema with status and detail (RFC 7644 §3.12)",
    },
    FaultInfo {
        fault: Fault::ProvisioningOff500,
        name: "provisioning-off-500",
        doc: "with provisioning off in the account, every SCIM call answers 500",
        breaks: "an account with provisioning off is an authentication error to Okta (1Password scim-examples #247)",
    },
    FaultInfo {
        fault: Fault::DisplayNameNotSplit,
        name: "display-name-not-split",
        doc: "a displayName change leaves given and family name as they were",
        breaks: "1Password derives given/family name from a new displayName (hosted provisioning)",
    },
    FaultInfo {
        fault: Fault::IgnoreEmailChange,
        name: "ignore-email-change",
        doc: "a new userName answers 200 but no e-mail change is started",
        breaks: "an IdP e-mail change starts 1Password's confirmation flow (bridge 1.6.0+)",
    },
    FaultInfo {
        fault: Fault::ExposeBuiltinGroups,
        name: "expose-builtin-groups",
        doc: "built-in groups (Owners, Administrators, …) are listed and writable over SCIM",
        breaks: "built-in groups are not managed by provisioning (1Password: groups)",
    },
    FaultInfo {
        fault: Fault::LinkGuests,
        name: "link-guests",
        doc: "a POST /Users for a guest's e-mail tries to take the guest over",
        breaks: "guests are never managed by provisioning (1Password: scim-best-practices)",
    },
    FaultInfo {
        fault: Fault::FirstOperationOnly,
        name: "first-operation-only",
        doc: "a group PATCH applies only its first operation (Operations[0]) and answers 200",
        breaks: "every operation of a PATCH is applied (RFC 7644 §3.5.2); Okta batches removes and adds in one PATCH (docs/okta-wire.md#84-membership-changes)",
    },
    FaultInfo {
        fault: Fault::FirstMemberOnly,
        name: "first-member-only",
        doc: "a group PATCH that adds members adds only the first of its value list",
        breaks: "an add of several values adds each (RFC 7644 §3.5.2.1); Okta adds every joiner in one operation (docs/okta-wire.md#84-membership-changes)",
    },
    FaultInfo {
        fault: Fault::EqMatchesPrefix,
        name: "eq-matches-prefix",
        doc: "`userName eq \"…\"` matches every user whose userName starts with the value",
        breaks: "eq matches only identical values, so a lookup finds one person (RFC 7644 §3.4.2.2)",
    },
    FaultInfo {
        fault: Fault::FilterHidesInactive,
        name: "filter-hides-inactive",
        doc: "filtered user lists leave deactivated users out",
        breaks: "a deactivated user is still found by Okta's userName lookup, with active false (Okta: no DELETE of users)",
    },
    FaultInfo {
        fault: Fault::IgnoreExcludedAttributes,
        name: "ignore-excluded-attributes",
        doc: "GET /Groups/{id} ignores `excludedAttributes=members` and returns the members",
        breaks: "excludedAttributes removes the named attributes from the answer (RFC 7644 §3.9)",
    },
    FaultInfo {
        fault: Fault::DropExternalId,
        name: "drop-external-id",
        doc: "GET /Users/{id} leaves out the externalId Okta sent",
        breaks: "a user reads back with what Okta sent (RFC 7643 §3.1 externalId; Okta CRUD test)",
    },
    FaultInfo {
        fault: Fault::MetaInconsistent,
        name: "meta-inconsistent",
        doc: "GET /Users/{id} answers meta without created, with lastModified in 1970 and a location without the id",
        breaks: "meta says when the resource was created, and its location is the resource's URI (RFC 7643 §3.1)",
    },
    FaultInfo {
        fault: Fault::PageAlignedStartIndex,
        name: "page-aligned-start-index",
        doc: "startIndex is rounded down to a multiple of count: pages always start on a page boundary",
        breaks: "startIndex is the 1-based index of the first result, whatever count is (RFC 7644 §3.4.2.4)",
    },
    FaultInfo {
        fault: Fault::KeepClearedAttributes,
        name: "keep-cleared-attributes",
        doc: "a PUT or PATCH that leaves displayName out keeps the old one",
        breaks: "an attribute Okta cleared (left out of its PUT) does not read back with its old value (RFC 7644 §3.5.1; Okta PUTs the whole user)",
    },
    FaultInfo {
        fault: Fault::GroupsIgnoreStartIndex,
        name: "groups-ignore-start-index",
        doc: "GET /Groups answers every page from the first group, whatever startIndex says (users page correctly)",
        breaks: "startIndex is the 1-based index of the first result, for groups as for users (RFC 7644 §3.4.2.4)",
    },
];

impl Fault {
    pub fn info(self) -> &'static FaultInfo {
        // Every variant has exactly one entry; a test below proves it.
        CATALOGUE
            .iter()
            .find(|info| info.fault == self)
            .unwrap_or(&CATALOGUE[0])
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Every fault, in catalogue order.
    pub fn all() -> impl Iterator<Item = Fault> {
        CATALOGUE.iter().map(|info| info.fault)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown `--fault` name.
#[derive(Debug, thiserror::Error)]
#[error("unknown fault {given:?} (expected one of: {expected})")]
pub struct UnknownFault {
    pub given: String,
    pub expected: String,
}

impl FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CATALOGUE
            .iter()
            .find(|info| info.name == s)
            .map(|info| info.fault)
            .ok_or_else(|| UnknownFault {
                given: s.to_string(),
                expected: CATALOGUE
                    .iter()
                    .map(|info| info.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

/// The faults a bridge runs with; empty means a correct bridge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultSet(BTreeSet<Fault>);

impl FaultSet {
    pub fn none() -> Self {
        FaultSet::default()
    }

    pub fn has(&self, fault: Fault) -> bool {
        self.0.contains(&fault)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Fault> + '_ {
        self.0.iter().copied()
    }
}

impl FromIterator<Fault> for FaultSet {
    fn from_iter<I: IntoIterator<Item = Fault>>(iter: I) -> Self {
        FaultSet(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_and_is_unique() {
        let mut seen = BTreeSet::new();
        for info in CATALOGUE {
            assert!(seen.insert(info.name), "duplicate fault name {}", info.name);
            assert_eq!(info.name.parse::<Fault>().ok(), Some(info.fault));
            assert_eq!(info.fault.info().name, info.name);
            assert!(!info.doc.is_empty() && !info.breaks.is_empty());
        }
        assert!(CATALOGUE.len() >= 15, "issue 3 asks for at least 15 faults");
    }

    #[test]
    fn every_variant_has_an_entry() {
        let count = CATALOGUE
            .iter()
            .map(|info| info.fault)
            .collect::<BTreeSet<_>>()
            .len();
        assert_eq!(count, CATALOGUE.len());
    }

    #[test]
    fn unknown_name_lists_the_known_ones() {
        let error = "asign".parse::<Fault>().unwrap_err();
        let message = error.to_string();
        assert!(message.contains("\"asign\""));
        assert!(message.contains("invite-existing-member"));
    }
}
