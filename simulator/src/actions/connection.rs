//! *Test API Credentials* (docs/okta-wire.md#1-connection-test, §13 row 1).

use crate::admin_message::error_authenticating;
use crate::answer::{Answer, Cause, read, reason_phrase};
use crate::call_sequence::CallSequence;
use crate::org::OktaOrg;
use crate::outcome::{ActionResult, FailureKind};
use crate::request::ScimRequest;

/// `GET /Users?startIndex=1&count=2`, then `GET /Groups?startIndex=1&count=100`
/// when a group feature is on (§1). Any failure shows `Error authenticating:
/// <reason>. The connector configuration could not be tested…` [DOC KB-AUTH];
/// a bridge with provisioning off answered 500 and
/// got the same message (§1 SEED-1P). Okta stores nothing.
pub(crate) async fn test_connection(org: &OktaOrg, seq: &mut CallSequence<'_>) -> ActionResult {
    let mut probes = vec![("list users", ScimRequest::page("Users", 1, 2))];
    if org.app().provisioning.any_group_feature() {
        probes.push(("list groups", ScimRequest::page("Groups", 1, 100)));
    }
    for (step, request) in probes {
        let reply = seq.send(step, request).await;
        let cause = match read(&reply) {
            // Okta parses the body as JSON (§2.3); whether it checks more of
            // the ListResponse is [UNCONFIRMED] (§1).
            Answer::Success { body: Some(_) } => continue,
            Answer::Success { body: None } => Cause::in_body(
                &reply,
                FailureKind::InvalidJson,
                crate::admin_message::invalid_json(""),
            ),
            Answer::Failure(cause) => cause,
        };
        // KB-AUTH shows the bare reason phrase (`Unauthorized`), no remote part.
        let reason = match (cause.kind, cause.status) {
            (FailureKind::Transport | FailureKind::InvalidJson, _) | (_, None) => {
                cause.text.clone()
            }
            (_, Some(status)) => reason_phrase(status).to_owned(),
        };
        return ActionResult::Failed(cause.into_failure(error_authenticating(&reason)));
    }
    ActionResult::Succeeded
}
