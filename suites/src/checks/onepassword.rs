//! 1Password's rules: judged on the account's effect log and snapshots
//! where the account is observable, and on 1Password-specific SCIM
//! behaviour (the display-name split, guests refused) everywhere.
//!
//! The catalogue is below; the judgements live by concept in
//! `onepassword/`: `provision` (invite, link, never twice), `lifecycle`
//! (suspend, reactivate), `profile` (names and e-mail changes),
//! `protected` (guests, built-in groups, provisioning off).

mod lifecycle;
mod log;
mod profile;
mod protected;
mod provision;

use scimulate_bridge::Fault;

use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::scenarios::core::NAME;
use crate::scenarios::names::{
    DEACTIVATE_SUSPENDS, DOMAIN_NOT_ALLOWED, EMAIL_CHANGE, EMAIL_CHANGE_NOT_ALLOWED, EMAIL_DIFFERS,
    EXISTING_MEMBER_ANY_CASE, EXISTING_MEMBER_LINKED, GUEST_UNTOUCHED, NEW_USER_INVITED,
    PROFILE_UPDATE, PROVISIONING_OFF, PUBLIC_DOMAIN, REACTIVATE, UNASSIGN_SUSPENDS,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: CheckDef {
            id: "1password.users.create.invites-once",
            level: Level::Must,
            title: "assigning a new person sends exactly one provisioning invitation, and nothing is refused",
            sources: &[
                "docs/1password.md#21-create-user--invitation (create user → invitation)",
                "docs/1password.md#outcome-1",
            ],
            needs: Needs::Backend,
            hint: "on POST /Users for an e-mail the account does not know, invite once; \
                   never retry an invitation the account refused",
        },
        scenarios: &[NAME, NEW_USER_INVITED, EMAIL_DIFFERS],
        requires: None,
        judge: provision::invites_once,
    },
    Check {
        def: CheckDef {
            id: "1password.users.create.never-invites-existing",
            level: Level::Must,
            title: "the account is never asked to invite an e-mail it already holds, and no two members share one",
            sources: &[
                "docs/1password.md#22-existing-people-are-linked-by-e-mail (existing users are linked by e-mail), outcomes 2-3",
                "docs/okta-wire.md#123-oin-test-plan (Okta OIN test plan C9335: already in app → linked, not duplicated)",
            ],
            needs: Needs::Backend,
            hint: "before inviting, look the e-mail up in the account (any case): link a member \
                   not yet provisioned, answer 409 uniqueness for one already provisioned",
        },
        scenarios: &[
            NAME,
            NEW_USER_INVITED,
            EXISTING_MEMBER_LINKED,
            EXISTING_MEMBER_ANY_CASE,
            EMAIL_DIFFERS,
        ],
        requires: None,
        judge: provision::never_invites_existing,
    },
    Check {
        def: CheckDef {
            id: "1password.users.link.links-existing-member",
            level: Level::Must,
            title: "assigning a person who is already a member links that member: no invitation, nobody else touched",
            sources: &[
                "docs/1password.md#22-existing-people-are-linked-by-e-mail (linking by e-mail), outcome 2",
                "docs/okta-wire.md#33-linking-an-existing-user (existence check finds the user → link)",
            ],
            needs: Needs::Backend,
            hint: "answer Okta's existence check with the existing member (any case) and take \
                   that member under management; never invite them again",
        },
        scenarios: &[EXISTING_MEMBER_LINKED, EXISTING_MEMBER_ANY_CASE],
        requires: None,
        judge: provision::links_existing,
    },
    Check {
        def: CheckDef {
            id: "1password.users.link.memberships-kept",
            level: Level::Must,
            title: "user actions leave every existing member's group memberships as they were",
            sources: &[
                "docs/1password.md#22-existing-people-are-linked-by-e-mail (an existing member keeps their other group access), \
                 outcome 2",
                "https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 (User.groups is readOnly: Okta's \"groups\": [] changes nothing)",
            ],
            needs: Needs::Backend,
            hint: "ignore User.groups in POST and PUT bodies; change memberships only through \
                   /Groups",
        },
        scenarios: &[
            EXISTING_MEMBER_LINKED,
            EXISTING_MEMBER_ANY_CASE,
            EMAIL_DIFFERS,
            EMAIL_CHANGE,
        ],
        requires: None,
        judge: provision::memberships_kept,
    },
    Check {
        def: CheckDef {
            id: "1password.users.email-differs.new-member",
            level: Level::Must,
            title: "an Okta e-mail that differs from an existing member's gets its own invitation; the existing member is untouched",
            sources: &[
                "docs/1password.md#22-existing-people-are-linked-by-e-mail (make e-mails identical first), outcome 4",
            ],
            needs: Needs::Backend,
            hint: "match members by e-mail only (any case); never link, rename or suspend a \
                   member whose e-mail differs",
        },
        scenarios: &[EMAIL_DIFFERS],
        requires: None,
        judge: provision::email_differs_new_member,
    },
    Check {
        def: CheckDef {
            id: "1password.users.domain.refused-no-invite",
            level: Level::Must,
            title: "a public or not allowed e-mail domain is refused: no invitation, no new member",
            sources: &[
                "docs/1password.md#4-limits-and-troubleshooting (allowed domains; public domains unsupported), outcome 5",
            ],
            needs: Needs::Backend,
            hint: "pass the account's refusal on as a 4xx SCIM error; never retry with another \
                   address or create a member some other way",
        },
        scenarios: &[PUBLIC_DOMAIN, DOMAIN_NOT_ALLOWED],
        requires: None,
        judge: provision::domain_refused_no_invite,
    },
    Check {
        def: CheckDef {
            id: "1password.users.deactivate.suspends-not-deletes",
            level: Level::Must,
            title: "deactivating a user suspends the member and never deletes them",
            sources: &[
                "docs/1password.md#24-deactivate-suspends-reactivate (deactivate → suspend)",
                "docs/1password.md#25-delete (deprovisioning is suspension)",
            ],
            needs: Needs::Backend,
            hint: "map active=false to suspend; never delete the member",
        },
        scenarios: &[NAME, DEACTIVATE_SUSPENDS, UNASSIGN_SUSPENDS],
        requires: None,
        judge: lifecycle::suspends_not_deletes,
    },
    Check {
        def: CheckDef {
            id: "1password.users.reactivate.restores-member",
            level: Level::Must,
            title: "reactivating a user reactivates the same suspended member, with no new invitation",
            sources: &[
                "docs/1password.md#24-deactivate-suspends-reactivate (reactivation comes from the IdP), outcome 10",
                "docs/okta-wire.md#123-oin-test-plan (Okta OIN test plan C9293)",
            ],
            needs: Needs::Backend,
            hint: "map active=true on a suspended member to the account's reactivate call",
        },
        scenarios: &[REACTIVATE],
        requires: None,
        judge: lifecycle::reactivate_restores,
    },
    Check {
        def: CheckDef {
            id: "1password.users.update.changes-exactly-mapped",
            level: Level::Must,
            title: "a profile push changes the member's names to the pushed values and nothing else",
            sources: &[
                "docs/1password.md#23-attribute-updates (mapped attributes changed in the IdP change in \
                 1Password)",
                "docs/okta-wire.md#4-profile-updates (the PUT carries the whole resource)",
            ],
            needs: Needs::Backend,
            hint: "compare the PUT with the member and update only what differs: no e-mail \
                   change, suspension or membership change from an unchanged value",
        },
        scenarios: &[PROFILE_UPDATE],
        requires: None,
        judge: profile::update_changes_exactly_mapped,
    },
    Check {
        def: CheckDef {
            id: "1password.users.email-change.requested",
            level: Level::Must,
            title: "a new userName starts 1Password's e-mail change for the same member, once; nobody is invited",
            sources: &[
                "docs/1password.md#23-attribute-updates (IdP e-mail change, bridge 1.6.0+), outcome 13",
            ],
            needs: Needs::Backend,
            hint: "when userName changes, ask the account for an e-mail change of that member \
                   (a confirmation mail to the new address); never invite the new address",
        },
        scenarios: &[EMAIL_CHANGE],
        requires: None,
        judge: profile::email_change_requested,
    },
    Check {
        def: CheckDef {
            id: "1password.users.email-change.disallowed-keeps-old",
            level: Level::Must,
            title: "an e-mail change to a domain the account does not allow leaves the member's e-mail as it was",
            sources: &[
                "docs/1password.md#23-attribute-updates (a new domain must be allowed first), outcome 13",
            ],
            needs: Needs::Backend,
            hint: "pass the account's refusal on; do not invite the new address or change the \
                   member another way",
        },
        scenarios: &[EMAIL_CHANGE_NOT_ALLOWED],
        requires: None,
        judge: profile::email_change_disallowed_keeps_old,
    },
    Check {
        def: CheckDef {
            id: "1password.users.display-name.splits-names",
            level: Level::Must,
            title: "a displayName change alone rewrites name: givenName the first word, familyName the rest",
            sources: &[
                "docs/1password.md#23-attribute-updates (observed: PATCH displayName rewrote name), outcome 12",
            ],
            needs: Needs::Scim,
            hint: "when displayName changes and no name part is sent, split it: \"Ada King \
                   Lovelace\" → givenName \"Ada\", familyName \"King Lovelace\"",
        },
        scenarios: &[NAME],
        requires: None,
        judge: profile::display_name_splits,
    },
    Check {
        def: CheckDef {
            id: "1password.users.display-name.updates-member",
            level: Level::Should,
            title: "the display-name split reaches the account: one profile update with the split names",
            sources: &["docs/1password.md#23-attribute-updates, outcome 12"],
            needs: Needs::Backend,
            hint: "send the split given and family names to the account with the display name",
        },
        scenarios: &[NAME],
        requires: None,
        judge: profile::display_name_updates_member,
    },
    Check {
        def: CheckDef {
            id: "1password.users.guest.untouched",
            level: Level::Must,
            title: "guests are never linked, edited, suspended or deleted, not even attempted",
            sources: &[
                "docs/1password.md#3-groups (all users except guests can be managed), outcome 20",
            ],
            needs: Needs::Backend,
            hint: "hide guests from SCIM and refuse a create for a guest's e-mail before \
                   calling the account",
        },
        scenarios: &[
            GUEST_UNTOUCHED,
            EXISTING_MEMBER_LINKED,
            EXISTING_MEMBER_ANY_CASE,
            EMAIL_DIFFERS,
        ],
        requires: None,
        judge: protected::guest_untouched,
    },
    Check {
        def: CheckDef {
            id: "1password.users.guest.refused",
            level: Level::Must,
            title: "assigning a guest's e-mail is refused with a SCIM error: the guest is not listed or provisioned",
            sources: &[
                "docs/1password.md#3-groups (guests are outside provisioning), outcome 20",
                "https://www.rfc-editor.org/rfc/rfc7644#section-3.12 (error response)",
            ],
            needs: Needs::Scim,
            hint: "keep guests out of list answers and answer a create for a guest's e-mail \
                   with a 4xx SCIM error saying it belongs to a guest",
        },
        scenarios: &[GUEST_UNTOUCHED],
        requires: None,
        judge: protected::guest_refused,
    },
    Check {
        def: CheckDef {
            id: "1password.users.builtin-groups-untouched",
            level: Level::Must,
            title: "user actions never change built-in groups (Owners, Administrators, Team Members…)",
            sources: &[
                "docs/1password.md#3-groups (built-in groups; Team Members holds everyone but \
                 guests), outcome 19",
            ],
            needs: Needs::Backend,
            hint: "never add to, remove from, rename or delete a built-in group; the account \
                   adds invited members to Team Members itself",
        },
        scenarios: &[
            NEW_USER_INVITED,
            EXISTING_MEMBER_LINKED,
            EXISTING_MEMBER_ANY_CASE,
            EMAIL_DIFFERS,
            PROFILE_UPDATE,
            EMAIL_CHANGE,
            DEACTIVATE_SUSPENDS,
            UNASSIGN_SUSPENDS,
            REACTIVATE,
            GUEST_UNTOUCHED,
        ],
        requires: None,
        judge: protected::builtin_groups_untouched,
    },
    Check {
        def: CheckDef {
            id: "1password.connection.provisioning-off-changes-nothing",
            level: Level::Must,
            title: "with provisioning off, nothing in the account changes",
            sources: &[
                "docs/okta-wire.md#123-oin-test-plan (Okta OIN test plan C9339: provisioning off → nothing changes)",
                "docs/1password.md#13-authentication-and-the-connection-test, outcome 7",
            ],
            needs: Needs::Backend,
            hint: "stop at the account's provisioning_disabled refusal; do not retry or work \
                   around it",
        },
        scenarios: &[PROVISIONING_OFF],
        requires: None,
        judge: protected::provisioning_off_changes_nothing,
    },
];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[
    (
        Fault::DeleteInsteadOfSuspend,
        &["1password.users.deactivate.suspends-not-deletes"],
    ),
    (
        Fault::IgnoreDeactivate,
        &["1password.users.deactivate.suspends-not-deletes"],
    ),
    (
        Fault::InviteExistingMember,
        &[
            "1password.users.create.invites-once",
            "1password.users.create.never-invites-existing",
        ],
    ),
    (
        Fault::CaseSensitiveUserName,
        &[
            "1password.users.link.links-existing-member",
            "1password.users.create.never-invites-existing",
        ],
    ),
    (
        Fault::IgnoreFilter,
        &[
            "1password.users.link.links-existing-member",
            "1password.users.email-differs.new-member",
        ],
    ),
    (
        Fault::IgnoreReactivate,
        &["1password.users.reactivate.restores-member"],
    ),
    (
        Fault::IgnoreEmailChange,
        &["1password.users.email-change.requested"],
    ),
    (
        Fault::DisplayNameNotSplit,
        &[
            "1password.users.display-name.splits-names",
            "1password.users.display-name.updates-member",
        ],
    ),
    (Fault::LinkGuests, &["1password.users.guest.untouched"]),
];

/// Checks here no fault of the reference bridge can turn red, and why.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[
    (
        "1password.users.link.memberships-kept",
        "no fault applies User.groups or touches memberships in user scenarios; unit-tested \
         (onepassword/provision.rs)",
    ),
    (
        "1password.users.domain.refused-no-invite",
        "the account itself refuses public and not allowed domains, whatever the bridge does; \
         unit-tested (onepassword/provision.rs)",
    ),
    (
        "1password.users.update.changes-exactly-mapped",
        "no fault adds or drops a change in a profile push that sends every name; unit-tested \
         (onepassword/profile.rs)",
    ),
    (
        "1password.users.email-change.disallowed-keeps-old",
        "the account itself refuses the disallowed address; unit-tested (onepassword/profile.rs)",
    ),
    (
        "1password.users.guest.refused",
        "with link-guests the account still refuses the guest, so the answer stays a 4xx (the \
         attempt shows in 1password.users.guest.untouched); unit-tested (onepassword/protected.rs)",
    ),
    (
        "1password.users.builtin-groups-untouched",
        "no fault touches built-in groups in user scenarios (expose-builtin-groups shows in the \
         group scenarios); unit-tested (onepassword/protected.rs)",
    ),
    (
        "1password.connection.provisioning-off-changes-nothing",
        "the account refuses every write while provisioning is off, whatever the bridge does; \
         unit-tested (onepassword/protected.rs)",
    ),
];
