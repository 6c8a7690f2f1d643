//! Renamed check ids, old → new, in one place. Ids are stable, but some
//! sat in the wrong namespace: `okta.*` is for what Okta's client relies
//! on, `scim.*` for RFC 7643/7644 requirements Okta does not enforce
//! (levels per the RFC's own MUST/SHOULD), `1password.*` for 1Password's
//! rules. A renamed check is the same check: `scimulate diff` pairs an old
//! report's result under its new id, a waiver naming the old id keeps
//! working (with a note to write the new one), and `scimulate checks`
//! lists each rename. (The catalogue lives in `scimulate-suites`, whose
//! tests check that every new id is a check and no old one still is.)

/// `(old id, new id, why)`, in the order renamed.
pub const RENAMED: &[(&str, &str, &str)] = &[
    (
        "okta.users.create.location-header",
        "scim.users.create.location-header",
        "an RFC 7644 §3.3 requirement (\"SHALL include … Location\"); Okta's client reads the id \
         from the body, not the header",
    ),
    (
        "okta.users.email-change.disallowed-refused",
        "1password.users.email-change.disallowed-refused",
        "a 1Password rule (a new e-mail domain must be allowed first, docs/1password.md#23-attribute-updates)",
    ),
    (
        "okta.connection.provisioning-off-is-auth-error",
        "1password.connection.provisioning-off-is-auth-error",
        "a 1Password rule (provisioning turned off in the account, 1Password scim-examples #247)",
    ),
    (
        "okta.connection.provisioning-off-says-why",
        "1password.connection.provisioning-off-says-why",
        "a 1Password rule (provisioning turned off in the account, 1Password scim-examples #247)",
    ),
];

/// The current id of `id`: its new name when it was renamed, else itself.
pub fn current(id: &str) -> &str {
    RENAMED
        .iter()
        .find(|(old, _, _)| *old == id)
        .map_or(id, |(_, new, _)| new)
}

/// The old ids `id` was known by.
pub fn old_ids(id: &str) -> impl Iterator<Item = &'static str> + '_ {
    RENAMED
        .iter()
        .filter(move |(_, new, _)| *new == id)
        .map(|(old, _, _)| *old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_do_not_chain_and_change_namespace() {
        for (old, new, why) in RENAMED {
            assert_eq!(current(old), *new);
            assert_eq!(current(new), *new, "renames do not chain");
            assert!(!why.is_empty());
            let namespace = new.split('.').next().unwrap_or_default();
            assert!(["okta", "scim", "1password"].contains(&namespace), "{new}");
            assert_ne!(old.split('.').next(), Some(namespace), "{old} → {new}");
            assert_eq!(old_ids(new).collect::<Vec<_>>(), [*old]);
        }
    }
}
