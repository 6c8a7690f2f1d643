//! Okta's admin-visible messages: `<Okta message>: <remote message>`, the
//! remote part taken from the SCIM error's `detail` (docs/okta-wire.md#10-errors-retries-timeouts).
//!
//! Quoted from sources: the provisioning prefix and "Error while verifying if
//! user U exists" [KB-VERIFY], "Error while creating user" and "Create new
//! user returned empty user." [DOC O-SCIM20], "Matching user not found"
//! [DOC H-TROUBLE], "Error authenticating: …" [DOC KB-AUTH], "Invalid JSON:
//! Unrecognized token" [OBS R-ROSTR]. The wording for fetch, update,
//! deactivate and reactivate failures follows the same pattern but is
//! **UNCONFIRMED**.
//!
//! Group push: "Unable to update Group Push mapping target App group G: Error
//! while creating user group G: Conflict. Errors reported by remote server:
//! <detail>" [OBS R-SENTRY, §8.2] and "…Error while updating user group
//! membership for group G Not Implemented. Errors reported by remote server:
//! …" (no colon after G) [OBS R-KC144, §8.4]. The lookup, fetch, update and
//! delete steps, the empty-group and name-taken causes and the import
//! failures follow the same pattern but are **UNCONFIRMED**.

/// The task an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Task {
    /// Assign, re-assign, reactivate.
    Provisioning,
    /// A profile push after an Okta profile change.
    ProfileUpdate,
    /// Unassign or deactivate.
    Deprovisioning,
}

/// The step within the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Verify,
    Create,
    Fetch,
    Update,
    Deactivate,
    Activate,
}

/// Who and where, for the message.
#[derive(Debug, Clone)]
pub(crate) struct Subject {
    /// The `userName` Okta sends.
    pub(crate) user_name: String,
    /// The Okta display name (or "First Last").
    pub(crate) display_name: String,
    /// The app's label.
    pub(crate) app: String,
}

impl Subject {
    /// The whole message for a failed `step` of `task`.
    pub(crate) fn message(&self, task: Task, step: Step, cause: &str) -> String {
        let step = match step {
            Step::Verify => format!("Error while verifying if user {} exists", self.user_name),
            Step::Create => format!("Error while creating user {}", self.display_name),
            Step::Fetch => format!("Error while fetching user {}", self.display_name),
            Step::Update => format!("Error while updating user {}", self.display_name),
            Step::Deactivate => format!("Error while deactivating user {}", self.display_name),
            Step::Activate => format!("Error while activating user {}", self.display_name),
        };
        format!("{}: {step}: {cause}", self.task(task))
    }

    /// A failure that belongs to the task but no step (e.g. no match found).
    pub(crate) fn task_message(&self, task: Task, cause: &str) -> String {
        format!("{}: {cause}", self.task(task))
    }

    fn task(&self, task: Task) -> String {
        let (user, app) = (&self.user_name, &self.app);
        match task {
            Task::Provisioning => {
                format!("Automatic provisioning of user {user} to app {app} failed")
            }
            Task::ProfileUpdate => {
                format!("Automatic profile update of user {user} in app {app} failed")
            }
            Task::Deprovisioning => {
                format!("Automatic deprovisioning of user {user} from app {app} failed")
            }
        }
    }
}

/// A step of a group push task (§8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupStep {
    /// The `displayName` lookup (§8.1 step 1).
    Verify,
    /// `POST /Groups` (§8.1 step 2, §8.2).
    Create,
    /// AIW `GET /Groups/{id}` (§8.1 step 4).
    Fetch,
    /// The name PATCH or the AIW rename PUT (§8.1 step 3, §8.5).
    Update,
    /// A member PATCH or PUT (§8.4).
    Membership,
    /// `DELETE /Groups/{id}` (§8.6).
    Delete,
}

/// The whole message for a failed `step` of the push of group `group`.
pub(crate) fn group_push_message(group: &str, step: GroupStep, cause: &str) -> String {
    let task = format!("Unable to update Group Push mapping target App group {group}");
    let step = match step {
        GroupStep::Verify => format!("Error while verifying if user group {group} exists: "),
        GroupStep::Create => format!("Error while creating user group {group}: "),
        GroupStep::Fetch => format!("Error while fetching user group {group}: "),
        GroupStep::Update => format!("Error while updating user group {group}: "),
        // R-KC144: a space, not a colon, before the cause.
        GroupStep::Membership => {
            format!("Error while updating user group membership for group {group} ")
        }
        GroupStep::Delete => format!("Error while deleting user group {group}: "),
    };
    format!("{task}: {step}{cause}")
}

/// A create answered without a group `id`, by analogy with users (§3.2).
pub(crate) const EMPTY_GROUP: &str = "Create new group returned empty group.";

/// The cause when the lookup finds the name and Okta does not link (§8.2
/// DOC H-PUSHEN wording).
pub(crate) fn group_exists(id: &str) -> String {
    format!(
        "Cannot push groups or group names that already exist in the target app \
         (app group {id}); link it with Link Group instead"
    )
}

/// An import's failure: `resource` is `users` or `groups`.
pub(crate) fn import_message(app: &str, resource: &str, cause: &str) -> String {
    format!("Import of {resource} from app {app} failed: Error while listing {resource}: {cause}")
}

/// `Create new user returned empty user.` (§3.2 DOC O-SCIM20).
pub(crate) const EMPTY_USER: &str = "Create new user returned empty user.";

/// `Matching user not found` (§3.4 DOC H-TROUBLE).
pub(crate) const MATCHING_USER_NOT_FOUND: &str = "Matching user not found";

/// The connection test's failure (§1 DOC KB-AUTH); `reason` is e.g.
/// `Unauthorized`.
pub(crate) fn error_authenticating(reason: &str) -> String {
    format!(
        "Error authenticating: {reason}. The connector configuration could not be tested. \
         Make sure that the URL, Authentication Parameters are correct and that there is an \
         implementation available at the URL provided."
    )
}

/// `<Reason>. Errors reported by remote server: <detail>` (§10 DOC
/// KB-VERIFY, OBS R-SENTRY); without a `detail`, the reason alone.
pub(crate) fn remote_error(reason: &str, detail: Option<&str>) -> String {
    match detail {
        Some(detail) => format!("{reason}. Errors reported by remote server: {detail}"),
        None => reason.to_owned(),
    }
}

/// What Okta's JSON parser (Jackson) says about a body that is not JSON
/// (§2.3 OBS R-ROSTR: `Invalid JSON: Unrecognized token 'error' …`).
pub(crate) fn invalid_json(text: &str) -> String {
    let text = text.trim_start();
    if text.is_empty() {
        return "Invalid JSON: No content to map due to end-of-input".to_owned();
    }
    let token: String = text
        .chars()
        .take_while(|c| !c.is_whitespace() && !"{}[],:\"".contains(*c))
        .take(256)
        .collect();
    let token = if token.is_empty() {
        text.chars().take(1).collect()
    } else {
        token
    };
    format!(
        "Invalid JSON: Unrecognized token '{token}': was expecting (JSON String, Number, Array, \
         Object or token 'null', 'true' or 'false')"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject() -> Subject {
        Subject {
            user_name: "alice@acme.com".into(),
            display_name: "Alice Archer".into(),
            app: "1Password Business".into(),
        }
    }

    #[test]
    fn verify_failure_reads_like_the_knowledge_base_example() {
        // §10 [DOC KB-VERIFY].
        let cause = remote_error("Unauthorized", Some("Unauthorized"));
        assert_eq!(
            subject().message(Task::Provisioning, Step::Verify, &cause),
            "Automatic provisioning of user alice@acme.com to app 1Password Business failed: \
             Error while verifying if user alice@acme.com exists: Unauthorized. Errors reported \
             by remote server: Unauthorized"
        );
    }

    #[test]
    fn empty_create_reads_like_the_reference() {
        // §3.2 [DOC O-SCIM20].
        assert_eq!(
            subject().message(Task::Provisioning, Step::Create, EMPTY_USER),
            "Automatic provisioning of user alice@acme.com to app 1Password Business failed: \
             Error while creating user Alice Archer: Create new user returned empty user."
        );
    }

    #[test]
    fn invalid_json_names_the_first_token() {
        assert!(
            invalid_json("error code: 502").starts_with("Invalid JSON: Unrecognized token 'error'")
        );
        assert!(
            invalid_json("User not found").starts_with("Invalid JSON: Unrecognized token 'User'")
        );
        assert!(invalid_json("<html>").starts_with("Invalid JSON: Unrecognized token '<html>'"));
        assert_eq!(
            invalid_json("  "),
            "Invalid JSON: No content to map due to end-of-input"
        );
    }

    #[test]
    fn group_messages_read_like_the_recorded_ones() {
        // §8.2 [OBS R-SENTRY].
        assert_eq!(
            group_push_message(
                "Engineering",
                GroupStep::Create,
                &remote_error("Conflict", Some("group exists"))
            ),
            "Unable to update Group Push mapping target App group Engineering: Error while \
             creating user group Engineering: Conflict. Errors reported by remote server: group \
             exists"
        );
        // §8.4 [OBS R-KC144]: no colon before the cause.
        assert!(
            group_push_message("G", GroupStep::Membership, "Not Implemented").ends_with(
                "Error while updating user group membership for group G Not Implemented"
            )
        );
    }

    #[test]
    fn error_authenticating_matches_the_knowledge_base() {
        // §1 [DOC KB-AUTH].
        assert_eq!(
            error_authenticating("Unauthorized"),
            "Error authenticating: Unauthorized. The connector configuration could not be tested. \
             Make sure that the URL, Authentication Parameters are correct and that there is an \
             implementation available at the URL provided."
        );
    }
}
