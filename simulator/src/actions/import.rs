//! *Import Now* and *Refresh App Groups* (docs/okta-wire.md#6-importing-users, §7; §13 rows
//! "Import users", "Import groups / Refresh App Groups"). Imports issue no
//! SCIM writes [OBS R-ROSTR].

use std::collections::HashMap;

use serde_json::Value;

use super::paging::Pager;
use crate::admin_message::import_message;
use crate::answer::{Cause, resource_id};
use crate::app::{App, ImportMatching};
use crate::call_sequence::CallSequence;
use crate::group::AppGroup;
use crate::import_results::{GroupImport, ImportedUser, UserImport};
use crate::org::OktaOrg;
use crate::outcome::ActionResult;
use crate::user::{OktaUser, UserStatus};

/// | requests |
/// |---|
/// | `GET /Users?startIndex=1&count=100`, `…=101…`, … while `startIndex-1+100 < totalResults` |
///
/// `active:false` app users are not imported (§6 DOC O-CONCEPT). Each
/// scanned one is matched to an Okta user by the app's [`ImportMatching`]
/// rule, case-sensitively [DOC H-MATCH]; the match is confirmed: Okta stores
/// the app user's `id` and the assignment. Whether Okta pushes a profile
/// right after is **UNCONFIRMED** (§6): nothing is sent. A failed page fails
/// the whole import and nothing is linked (**UNCONFIRMED**: Okta shows no
/// partial results).
pub(crate) async fn import_users(org: &mut OktaOrg, seq: &mut CallSequence<'_>) -> ActionResult {
    let app = org.app().clone();
    let index = MatchIndex::new(org.users());
    let mut pager = Pager::new("Users", app.import.max_pages);
    let mut import = UserImport::default();
    let mut links: HashMap<usize, String> = HashMap::new();
    let end = loop {
        match pager.next(seq).await {
            Ok(Some(resources)) => {
                for resource in &resources {
                    scan(&app, &index, resource, &mut import, &mut links);
                }
            }
            Ok(None) => break Ok(()),
            Err(cause) => break Err(cause),
        }
    };
    import.paging = pager.into_paging();
    let result = match end {
        Ok(()) => {
            let users = org.users_mut();
            for (index, id) in links {
                if let Some(user) = users.get_mut(index) {
                    user.app_user.scim_id = Some(id);
                    // Confirming a match assigns the app to the user; one
                    // assigned through a group keeps that as its source.
                    if !user.app_user.assigned {
                        user.app_user.assigned_directly = true;
                    }
                    user.app_user.assigned = true;
                    user.app_user.active = Some(true);
                    user.app_user.error = None;
                }
            }
            ActionResult::Succeeded
        }
        Err(cause) => failed(&app, "users", cause),
    };
    org.user_import = Some(import);
    result
}

/// | requests |
/// |---|
/// | `GET /Groups?startIndex=1&count=100`, … (same paging, no `excludedAttributes`) |
///
/// Members are read from each listed group's `members` (§7 DOC-old
/// O-PROTO2019). The groups become the *Link Group* picker (§8.3 DOC
/// H-LINK); a failed import leaves the picker as it was.
pub(crate) async fn import_groups(org: &mut OktaOrg, seq: &mut CallSequence<'_>) -> ActionResult {
    let app = org.app().clone();
    if !app.provisioning.any_group_feature() {
        return ActionResult::NotSent {
            reason: "Import Groups and Push Groups are off: Okta lists no app groups (docs/okta-wire.md#7-importing-groups)"
                .to_owned(),
        };
    }
    let mut pager = Pager::new("Groups", app.import.max_pages);
    let mut groups = Vec::new();
    let end = loop {
        match pager.next(seq).await {
            Ok(Some(resources)) => {
                let before = groups.len();
                groups.extend(resources.iter().filter_map(app_group));
                pager.skipped(
                    (resources.len() - (groups.len() - before)) as u64,
                    "no displayName",
                );
            }
            Ok(None) => break Ok(()),
            Err(cause) => break Err(cause),
        }
    };
    let paging = pager.into_paging();
    let import = GroupImport {
        scanned: groups.len() as u64,
        memberships: groups.iter().map(|g| g.members.len() as u64).sum(),
        paging,
    };
    let result = match end {
        Ok(()) => {
            org.app_groups = groups;
            ActionResult::Succeeded
        }
        Err(cause) => failed(&app, "groups", cause),
    };
    org.group_import = Some(import);
    result
}

fn failed(app: &App, resource: &str, cause: Cause) -> ActionResult {
    let message = import_message(&app.name, resource, &cause.text);
    ActionResult::Failed(cause.into_failure(message))
}

/// Okta users by the attributes the matching rules read, first user first.
/// Deactivated Okta users are not matched (**UNCONFIRMED**).
struct MatchIndex {
    by_email: HashMap<String, usize>,
    by_login: HashMap<String, usize>,
    /// Every user's login, by index.
    logins: Vec<String>,
}

impl MatchIndex {
    fn new(users: &[OktaUser]) -> Self {
        let (mut by_email, mut by_login) = (HashMap::new(), HashMap::new());
        for (index, user) in users.iter().enumerate() {
            if user.status == UserStatus::Deprovisioned {
                continue;
            }
            by_email.entry(user.profile.email.clone()).or_insert(index);
            by_login.entry(user.profile.login.clone()).or_insert(index);
        }
        let logins = users.iter().map(|u| u.profile.login.clone()).collect();
        Self {
            by_email,
            by_login,
            logins,
        }
    }

    /// The matching Okta user: exact, case-sensitive comparison [DOC H-MATCH].
    fn find(&self, rule: ImportMatching, user_name: &str, email: Option<&str>) -> Option<usize> {
        let by_email = || email.and_then(|email| self.by_email.get(email).copied());
        let by_login = || self.by_login.get(user_name).copied();
        match rule {
            ImportMatching::Email => by_email(),
            ImportMatching::Username => by_login(),
            ImportMatching::EmailOrUsername => by_email().or_else(by_login),
        }
    }
}

/// Scans one listed app user into `import`. An Okta user already matched by
/// an earlier app user of this import stays with that one; the later app
/// user is listed as unmatched (**UNCONFIRMED**: Okta shows a conflict).
fn scan(
    app: &App,
    index: &MatchIndex,
    resource: &Value,
    import: &mut UserImport,
    links: &mut HashMap<usize, String>,
) {
    let Some(id) = resource_id(resource) else {
        return;
    };
    // §6: only an explicit `active:false` keeps a user out.
    if resource.get("active") == Some(&Value::Bool(false)) {
        import.inactive += 1;
        return;
    }
    import.scanned += 1;
    let user_name = resource
        .get("userName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let email = primary_email(resource);
    let found = index
        .find(app.import.matching, user_name, email)
        .filter(|found| !links.contains_key(found));
    let mut imported = ImportedUser {
        scim_id: id.to_owned(),
        user_name: user_name.to_owned(),
        email: email.map(str::to_owned),
        okta_login: None,
    };
    match found {
        Some(found) => {
            links.insert(found, id.to_owned());
            imported.okta_login = index.logins.get(found).cloned();
            import.matched.push(imported);
        }
        None => import.unmatched.push(imported),
    }
}

/// The primary e-mail's value, else the first one's.
fn primary_email(resource: &Value) -> Option<&str> {
    let emails = resource.get("emails")?.as_array()?;
    emails
        .iter()
        .find(|e| e.get("primary") == Some(&Value::Bool(true)))
        .or_else(|| emails.first())?
        .get("value")?
        .as_str()
}

/// An imported group: needs `id` (checked by the pager) and `displayName`.
fn app_group(resource: &Value) -> Option<AppGroup> {
    let id = resource_id(resource)?;
    let display_name = resource.get("displayName")?.as_str()?;
    let members = resource
        .get("members")
        .and_then(Value::as_array)
        .map(|members| {
            members
                .iter()
                .filter_map(|m| m.get("value").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some(AppGroup {
        id: id.to_owned(),
        display_name: display_name.to_owned(),
        members,
    })
}
