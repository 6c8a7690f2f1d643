//! The effect log and the discipline every write follows (backend/API.md,
//! "Rules every write follows"): provisioning first, a refusal logs one
//! `refused` effect, a no-op logs nothing, seqs are 1, 2, 3… without gaps.
//! The log keeps the latest [`EFFECTS_KEPT`] to [`EFFECTS_KEPT`] × 2
//! effects: a fake account served all day (`scimulate serve`, `account`)
//! does not grow with its history, and seqs go on counting.

use chrono::{DateTime, Utc};

use super::Account;
use crate::model::{Effect, EffectKind, ErrorBody, Refusal};

/// What a write answers: the object after the call, and whether the call
/// changed anything (a no-op answers `changed: false` and logs nothing).
#[derive(Clone, Debug, PartialEq)]
pub struct Applied<T> {
    /// The member or group after the call (for a delete: as it was).
    pub value: T,
    /// Whether the call changed the account.
    pub changed: bool,
}

impl<T> Applied<T> {
    pub(super) fn changed(value: T) -> Self {
        Applied {
            value,
            changed: true,
        }
    }

    pub(super) fn unchanged(value: T) -> Self {
        Applied {
            value,
            changed: false,
        }
    }
}

/// The API operations that write; their names are the `action` of
/// `refused` effects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// `POST /v1/invitations`
    Invite,
    /// `POST /v1/members/{id}/link`
    Link,
    /// `PATCH /v1/members/{id}`
    UpdateProfile,
    /// `POST /v1/members/{id}/email-change`
    RequestEmailChange,
    /// `POST /v1/members/{id}/confirm-email`
    ConfirmEmail,
    /// `POST /v1/members/{id}/suspend`
    Suspend,
    /// `POST /v1/members/{id}/reactivate`
    Reactivate,
    /// `POST /v1/members/{id}/accept`
    AcceptInvite,
    /// `DELETE /v1/members/{id}`
    DeleteMember,
    /// `POST /v1/groups`
    CreateGroup,
    /// `PATCH /v1/groups/{id}`
    UpdateGroup,
    /// `DELETE /v1/groups/{id}`
    DeleteGroup,
    /// `PUT /v1/groups/{id}/members/{member_id}`
    AddMember,
    /// `DELETE /v1/groups/{id}/members/{member_id}`
    RemoveMember,
    /// `PATCH /v1/account`
    UpdateSettings,
}

impl Action {
    /// The snake_case name logged in `refused` effects.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Invite => "invite",
            Action::Link => "link",
            Action::UpdateProfile => "update_profile",
            Action::RequestEmailChange => "request_email_change",
            Action::ConfirmEmail => "confirm_email",
            Action::Suspend => "suspend",
            Action::Reactivate => "reactivate",
            Action::AcceptInvite => "accept_invite",
            Action::DeleteMember => "delete_member",
            Action::CreateGroup => "create_group",
            Action::UpdateGroup => "update_group",
            Action::DeleteGroup => "delete_group",
            Action::AddMember => "add_member",
            Action::RemoveMember => "remove_member",
            Action::UpdateSettings => "update_settings",
        }
    }

    /// Whether provisioning must be on (every call under `/v1/invitations`,
    /// `/v1/members` and `/v1/groups`, backend/API.md).
    fn needs_provisioning(self) -> bool {
        self != Action::UpdateSettings
    }
}

/// How many of the latest effects the log always keeps. When twice as many
/// are held, the oldest half is forgotten: far more than any scenario or
/// run reads between two looks at the log (a run reads each scenario's
/// effects as it ends), and a bound on a long-served account's memory.
pub const EFFECTS_KEPT: usize = 100_000;

/// The effect log: the latest effects, and how many older ones were
/// forgotten (their seqs are not reused).
#[derive(Default)]
pub(super) struct EffectLog {
    pub(super) kept: Vec<Effect>,
    forgotten: u64,
}

impl EffectLog {
    /// Appends one effect with the next seq; forgets the oldest
    /// [`EFFECTS_KEPT`] when twice as many are held.
    fn push(&mut self, at: DateTime<Utc>, kind: EffectKind) {
        let seq = self.forgotten + self.kept.len() as u64 + 1;
        self.kept.push(Effect { seq, at, kind });
        if self.kept.len() >= 2 * EFFECTS_KEPT {
            self.kept.drain(..EFFECTS_KEPT);
            self.forgotten += EFFECTS_KEPT as u64;
        }
    }

    /// The kept effects with `seq > after`, in order.
    fn after(&self, after: u64) -> &[Effect] {
        // The kept effect with seq n sits at index n - 1 - forgotten.
        let start = usize::try_from(after.saturating_sub(self.forgotten))
            .map_or(self.kept.len(), |a| a.min(self.kept.len()));
        &self.kept[start..]
    }
}

impl Account {
    /// The effect log, in order: every effect, or the latest ones past
    /// [`EFFECTS_KEPT`] × 2.
    pub fn effects(&self) -> &[Effect] {
        &self.effects.kept
    }

    /// Effects with `seq > after`, in order (of those still kept).
    pub fn effects_after(&self, after: u64) -> &[Effect] {
        self.effects.after(after)
    }

    /// Refuses a write whose request was malformed: logs one `refused`
    /// effect (or `provisioning_disabled` when that comes first) and returns
    /// the error to answer.
    pub fn reject_request(
        &mut self,
        action: Action,
        target: Option<&str>,
        detail: String,
    ) -> ErrorBody {
        let error = self
            .ensure_provisioning()
            .err()
            .filter(|_| action.needs_provisioning())
            .unwrap_or_else(|| ErrorBody::new(Refusal::InvalidRequest, detail));
        self.log_refusal(action, target, &error);
        error
    }

    /// Runs one write: provisioning first, then `op`; a refusal is logged.
    pub(super) fn write<T>(
        &mut self,
        action: Action,
        target: Option<&str>,
        op: impl FnOnce(&mut Self) -> Result<Applied<T>, ErrorBody>,
    ) -> Result<Applied<T>, ErrorBody> {
        let result = self.ensure_provisioning().and_then(|()| op(self));
        if let Err(error) = &result {
            self.log_refusal(action, target, error);
        }
        result
    }

    fn log_refusal(&mut self, action: Action, target: Option<&str>, error: &ErrorBody) {
        let at = self.clock.now();
        self.log(
            at,
            EffectKind::Refused {
                action: action.as_str().to_string(),
                target: target.map(str::to_string),
                reason: error.error,
                detail: error.detail.clone(),
            },
        );
    }

    /// Appends one effect with the next seq.
    pub(super) fn log(&mut self, at: DateTime<Utc>, kind: EffectKind) {
        self.effects.push(at, kind);
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::model::{GroupCreate, SettingsUpdate};
    use crate::state::tests::{acme, group_id, id_of, invitation, kinds, last_refusal, start};

    #[test]
    fn provisioning_off_refuses_every_write_and_logs_each() {
        let mut account = acme();
        account.update_settings(&SettingsUpdate {
            provisioning: Some(false),
            allowed_domains: None,
        });
        assert!(account.effects().is_empty(), "settings changes log nothing");
        assert_eq!(
            account.ensure_provisioning().unwrap_err().error,
            Refusal::ProvisioningDisabled
        );
        let bob = id_of(&account, "bob@acme.com");
        let engineering = group_id(&account, "Engineering");
        let before = account.snapshot();
        let results = [
            account.invite(&invitation("c@acme.com")).map(|_| ()),
            account.link(&bob, &Default::default()).map(|_| ()),
            account
                .update_profile(&bob, &Default::default())
                .map(|_| ()),
            account
                .request_email_change(&bob, "b2@acme.com")
                .map(|_| ()),
            account.confirm_email(&bob).map(|_| ()),
            account.suspend(&bob).map(|_| ()),
            account.reactivate(&bob).map(|_| ()),
            account.accept_invite(&bob).map(|_| ()),
            account.delete_member(&bob).map(|_| ()),
            account
                .create_group(&GroupCreate {
                    name: "X".into(),
                    external_id: None,
                })
                .map(|_| ()),
            account
                .update_group(&engineering, &Default::default())
                .map(|_| ()),
            account.delete_group(&engineering).map(|_| ()),
            account.add_member(&engineering, &bob).map(|_| ()),
            account.remove_member(&engineering, &bob).map(|_| ()),
        ];
        for result in results {
            assert_eq!(result.unwrap_err().error, Refusal::ProvisioningDisabled);
        }
        assert_eq!(account.snapshot(), before, "refusals change nothing");
        let actions: Vec<_> = account
            .effects()
            .iter()
            .map(|e| match &e.kind {
                EffectKind::Refused { action, reason, .. } => {
                    assert_eq!(*reason, Refusal::ProvisioningDisabled);
                    action.clone()
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            actions,
            [
                "invite",
                "link",
                "update_profile",
                "request_email_change",
                "confirm_email",
                "suspend",
                "reactivate",
                "accept_invite",
                "delete_member",
                "create_group",
                "update_group",
                "delete_group",
                "add_member",
                "remove_member"
            ]
        );
    }

    #[test]
    fn malformed_requests_log_one_refusal() {
        let mut account = acme();
        let error = account.reject_request(Action::Invite, None, "missing field `email`".into());
        assert_eq!(error.error, Refusal::InvalidRequest);
        assert_eq!(
            last_refusal(&account),
            ("invite".into(), None, Refusal::InvalidRequest)
        );
        account.update_settings(&SettingsUpdate {
            provisioning: Some(false),
            allowed_domains: None,
        });
        let error = account.reject_request(Action::Link, Some("X"), "bad".into());
        assert_eq!(error.error, Refusal::ProvisioningDisabled);
        let error = account.reject_request(Action::UpdateSettings, None, "bad".into());
        assert_eq!(
            error.error,
            Refusal::InvalidRequest,
            "settings work with provisioning off"
        );
        assert_eq!(account.effects().len(), 3);
    }

    #[test]
    fn effect_seqs_are_gap_free_through_changes_refusals_and_no_ops() {
        let mut account = acme();
        let bob = id_of(&account, "bob@acme.com");
        let _ = account.suspend(&bob); // change
        let _ = account.suspend(&bob); // no-op
        let _ = account.invite(&invitation("bob@acme.com")); // refusal
        let _ = account.reactivate(&bob); // change
        let _ = account.create_group(&GroupCreate {
            name: "Ops".into(),
            external_id: None,
        });
        let seqs: Vec<_> = account.effects().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [1, 2, 3, 4]);
        assert_eq!(
            kinds(&account),
            ["suspended", "refused", "reactivated", "group_created"]
        );
        // Each change read the clock once, after seeding's one reading.
        let ats: Vec<_> = account.effects().iter().map(|e| e.at).collect();
        let expected: Vec<_> = (1..=4).map(|n| start() + TimeDelta::seconds(n)).collect();
        assert_eq!(ats, expected);
        let after: Vec<_> = account.effects_after(2).iter().map(|e| e.seq).collect();
        assert_eq!(after, [3, 4]);
        assert!(account.effects_after(4).is_empty());
        assert!(account.effects_after(u64::MAX).is_empty());
        assert_eq!(account.effects_after(0).len(), 4);
    }

    #[test]
    fn a_long_log_forgets_its_oldest_half_and_seqs_go_on() {
        let mut log = EffectLog::default();
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let kind = || EffectKind::Refused {
            action: "invite".into(),
            target: None,
            reason: Refusal::InvalidRequest,
            detail: String::new(),
        };
        for _ in 0..2 * EFFECTS_KEPT - 1 {
            log.push(at, kind());
        }
        assert_eq!(
            log.kept.len(),
            2 * EFFECTS_KEPT - 1,
            "nothing forgotten yet"
        );
        log.push(at, kind());
        assert_eq!(log.kept.len(), EFFECTS_KEPT, "the oldest half is forgotten");
        assert_eq!(log.kept[0].seq, EFFECTS_KEPT as u64 + 1);
        log.push(at, kind());
        let last = 2 * EFFECTS_KEPT as u64 + 1;
        assert_eq!(log.kept.last().map(|e| e.seq), Some(last));
        // Reading after a seq still kept, and after one forgotten.
        assert_eq!(log.after(last - 1).len(), 1);
        assert_eq!(log.after(last).len(), 0);
        assert_eq!(log.after(3).len(), EFFECTS_KEPT + 1, "all that is kept");
    }
}
