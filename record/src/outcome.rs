//! What an admin action came to, as the Okta admin would see it.

use serde::{Deserialize, Serialize};

/// The result of one admin action and the exchanges it made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionOutcome {
    /// The action's label, e.g. `assign alice@acme.com`.
    pub action: String,
    /// Succeeded, not sent, or failed with Okta's message.
    pub result: ActionResult,
    /// Numbers of the exchanges the action made, in order (retries included).
    pub exchanges: Vec<u64>,
}

/// Okta's verdict on its own task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ActionResult {
    /// Every request of the call sequence was answered as Okta expects.
    Succeeded,
    /// Okta sends nothing for this action in this state (a toggle is off, the
    /// user is suspended or was never provisioned, the group push is
    /// paused…).
    NotSent {
        /// Why, citing the reference.
        reason: String,
    },
    /// The task failed; Okta stops the call sequence there.
    Failed(Failure),
}

/// A failed task, as shown under Dashboard → Tasks and on the assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// What went wrong, for checks to match on.
    pub kind: FailureKind,
    /// Okta's admin-visible text, `<Okta message>: <remote message>`
    /// (docs/okta-wire.md#10-errors-retries-timeouts).
    pub message: String,
    /// The HTTP status of the answer that failed it, when there was one.
    pub status: Option<u16>,
    /// The exchange that failed it, when a request was sent.
    pub exchange: Option<u64>,
}

/// The cause of a failed task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// 401 (§1, §10).
    Unauthorized,
    /// 409, e.g. on `POST /Users` (§3.2: the job stops).
    Conflict,
    /// Still 429 after the last attempt (§10: permanent failure).
    RateLimited,
    /// Any other non-2xx status (5xx, 3xx, 404 where a resource was needed…).
    HttpStatus,
    /// No complete answer: timeout, refused connection, body too large.
    Transport,
    /// A body Okta cannot parse as JSON, or a list whose paging values are
    /// not what SCIM requires (§2.3).
    InvalidJson,
    /// A create answered without a user (`id`) (§3.2).
    EmptyUser,
    /// No user matched and *Create Users* is off (§3.4).
    MatchingUserNotFound,
    /// A group create answered without a group (`id`) (§8.1).
    EmptyGroup,
    /// The group lookup found the name and the push does not link (§8.2,
    /// `OnLookupHit::Fail` of the simulator).
    GroupExists,
}

impl ActionOutcome {
    /// Whether the action succeeded.
    pub fn succeeded(&self) -> bool {
        matches!(self.result, ActionResult::Succeeded)
    }

    /// The failure, when the action failed.
    pub fn failure(&self) -> Option<&Failure> {
        match &self.result {
            ActionResult::Failed(failure) => Some(failure),
            _ => None,
        }
    }
}
