//! Push a profile change (docs/okta-wire.md#4-profile-updates; §13 row "Update profile").

use std::collections::BTreeMap;

use super::user_calls::{ActionUser, patch_profile, push_profile, record};
use crate::admin_message::Task;
use crate::app::UserUpdate;
use crate::call_sequence::CallSequence;
use crate::engine_error::EngineError;
use crate::org::OktaOrg;
use crate::outcome::ActionResult;
use crate::user::ProfileAttribute;

/// | app | requests |
/// |---|---|
/// | OIN (`user_update = put`, the default) and AIW | `GET /Users/{id}` → `PUT /Users/{id}` (mapped values merged in) |
/// | OIN with `user_update = patch` | `PATCH /Users/{id}`: one path-less `replace` of what changed (§0, §4; form **UNCONFIRMED**) |
///
/// The Okta profile changes in any case; Okta pushes it only when *Update
/// User Attributes* is on and the user has a provisioned app user.
pub(crate) async fn update_profile(
    org: &mut OktaOrg,
    seq: &mut CallSequence<'_>,
    login: &str,
    changes: &BTreeMap<ProfileAttribute, String>,
) -> Result<ActionResult, EngineError> {
    let user = org
        .user_mut(login)
        .ok_or_else(|| EngineError::unknown(login))?;
    let before = user.profile.clone();
    for (attribute, value) in changes {
        user.profile.set(*attribute, value)?;
    }
    let user = user.clone();
    if user.profile.login != before.login {
        // Groups list members by login.
        org.rename_member(&before.login, &user.profile.login);
    }
    if user.profile == before {
        return Ok(ActionResult::NotSent {
            reason: "the profile did not change".to_owned(),
        });
    }
    let Some(id) = user
        .app_user
        .scim_id
        .clone()
        .filter(|_| user.app_user.assigned)
    else {
        return Ok(ActionResult::NotSent {
            reason: format!("{login} has no provisioned app user to update"),
        });
    };
    let app = org.app().clone();
    if !app.provisioning.update_user_attributes {
        return Ok(ActionResult::NotSent {
            reason: "Update User Attributes is off (docs/okta-wire.md#4-profile-updates)"
                .to_owned(),
        });
    }
    let who = ActionUser::new(&user, &app);
    let result = match app.user_update() {
        UserUpdate::Put => push_profile(seq, &app, &who, Task::ProfileUpdate, &id, None).await,
        UserUpdate::Patch => {
            let mut old = user.clone();
            old.profile = before;
            let body = app.mappings.patch_body(&old, &user, app.behaviour.cleared);
            let Some(body) = body else {
                return Ok(ActionResult::NotSent {
                    reason: "no mapped attribute changed".to_owned(),
                });
            };
            patch_profile(seq, &who, &id, body).await
        }
    };
    record(org, &user.profile.login, result, |_| {})
}
