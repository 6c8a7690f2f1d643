//! The 1Password account seen through SCIM ids: which member a SCIM user id
//! stands for, which account group a SCIM group is, and effects as one
//! readable line. The reference bridge uses the account's ids as SCIM ids; a
//! bridge of your own may not, so users are also matched by e-mail (their
//! identity, docs/1password.md#22-existing-people-are-linked-by-e-mail) and groups by name.

use serde_json::Value;

use scimulate_backend::{AccountSnapshot, Effect, Group};

use crate::observation::{Observation, body};
use crate::verdict::{Evidence, Verdict};

/// The effect log, empty when the account is not observable (the checks
/// that read it need it, so they are skipped then).
pub(in crate::checks) fn effects(o: &Observation) -> &[Effect] {
    o.effects.as_deref().unwrap_or_default()
}

/// The account before and after the scenario, or the verdict that says
/// they are missing.
pub(in crate::checks) fn snapshots(
    o: &Observation,
) -> Result<(&AccountSnapshot, &AccountSnapshot), Verdict> {
    match (&o.before, &o.after) {
        (Some(before), Some(after)) => Ok((before, after)),
        _ => Err(Verdict::failed(Evidence::new(
            format!("scenario {}", o.scenario),
            "the account's state before and after the scenario",
            "the account could not be read",
        ))),
    }
}

/// The member a SCIM user id stands for: the member with that id, else the
/// member whose e-mail (any case) is the userName or e-mail of the user
/// resource the transcript showed with that id.
pub(in crate::checks) fn member_id(
    o: &Observation,
    account: &AccountSnapshot,
    scim_id: &str,
) -> Option<String> {
    if account.members.iter().any(|m| m.id == scim_id) {
        return Some(scim_id.to_string());
    }
    let emails = user_emails(o, scim_id);
    account
        .members
        .iter()
        .find(|m| emails.iter().any(|e| e.eq_ignore_ascii_case(&m.email)))
        .map(|m| m.id.clone())
}

/// The account group a SCIM group is: the one with that id, else the only
/// one with that name (any case).
pub(in crate::checks) fn account_group<'a>(
    account: &'a AccountSnapshot,
    scim_id: &str,
    name: &str,
) -> Option<&'a Group> {
    if let Some(group) = account.groups.iter().find(|g| g.id == scim_id) {
        return Some(group);
    }
    let mut named = account
        .groups
        .iter()
        .filter(|g| g.name.eq_ignore_ascii_case(name));
    match (named.next(), named.next()) {
        (Some(group), None) => Some(group),
        _ => None,
    }
}

/// `effect #3: {"kind":"group_created",…}; effect #4: …`, or `no effect`.
pub(in crate::checks) fn describe(effects: &[&Effect]) -> String {
    if effects.is_empty() {
        return "no effect".into();
    }
    effects
        .iter()
        .map(|e| match serde_json::to_value(&e.kind) {
            Ok(v) => format!("effect #{}: {v}", e.seq),
            Err(_) => format!("effect #{}", e.seq),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Evidence carrying these effects' sequence numbers.
pub(in crate::checks) fn with_effects(mut evidence: Evidence, effects: &[&Effect]) -> Evidence {
    for effect in effects {
        evidence = evidence.effect(effect.seq);
    }
    evidence
}

/// The userName and e-mails of every user resource with this id the
/// transcript shows (a create answer, a read-back, a list).
fn user_emails(o: &Observation, scim_id: &str) -> Vec<String> {
    let mut emails = Vec::new();
    for answer in o.exchanges.iter().filter_map(body) {
        let listed = answer.get("Resources").and_then(Value::as_array);
        let candidates = listed
            .map(|r| r.iter().collect::<Vec<_>>())
            .unwrap_or_else(|| vec![answer]);
        for user in candidates {
            if user.get("id").and_then(Value::as_str) != Some(scim_id) {
                continue;
            }
            if let Some(name) = user.get("userName").and_then(Value::as_str) {
                emails.push(name.to_string());
            }
            let values = user.get("emails").and_then(Value::as_array);
            for email in values.into_iter().flatten() {
                if let Some(value) = email.get("value").and_then(Value::as_str) {
                    emails.push(value.to_string());
                }
            }
        }
    }
    emails
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::groups::hand_built::Built;

    #[test]
    fn users_are_matched_by_id_then_by_email() {
        let account = Built::account(
            vec![
                Built::member("M1", "alice@acme.com"),
                Built::member("M2", "bob@acme.com"),
            ],
            Vec::new(),
        );
        let o = Built::new("x")
            .send(
                "assign Bob@acme.com",
                "create",
                "POST",
                "/Users",
                None,
                201,
                Some(Built::user("scim-b", "Bob@ACME.com")),
            )
            .done();
        assert_eq!(member_id(&o, &account, "M1").as_deref(), Some("M1"));
        assert_eq!(member_id(&o, &account, "scim-b").as_deref(), Some("M2"));
        assert_eq!(member_id(&o, &account, "nobody"), None);
    }

    #[test]
    fn groups_are_matched_by_id_then_by_a_unique_name() {
        let account = Built::account(
            Vec::new(),
            vec![
                Built::account_group("g1", "Eng", &[]),
                Built::account_group("g2", "Ops", &[]),
                Built::account_group("g3", "ops", &[]),
            ],
        );
        assert_eq!(
            account_group(&account, "g1", "x").map(|g| &*g.id),
            Some("g1")
        );
        assert_eq!(
            account_group(&account, "s1", "ENG").map(|g| &*g.id),
            Some("g1")
        );
        assert!(account_group(&account, "s2", "Ops").is_none());
    }
}
