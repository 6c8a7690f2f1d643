//! What a check is: a stable id, a level, the sources it rests on, what it
//! needs from the target, and a hint for whoever must fix a failure.

use serde::Serialize;

/// How binding a check is (RFC 2119 words, as the sources use them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    Must,
    Should,
    May,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::May => "MAY",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a check needs to give a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Needs {
    /// Only SCIM answers: works against any base URL.
    Scim,
    /// The account's effect log: the target must use scimulate's fake
    /// 1Password account (the embedded bridge, or `--backend-url`).
    Backend,
}

/// Which rules a run judges.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// RFC 7643/7644, Okta's client, and 1Password's semantics: for bridges
    /// in front of a 1Password account.
    #[default]
    OnePassword,
    /// RFC 7643/7644 and Okta's client only: for any SCIM server. The
    /// `1password.*` checks are skipped.
    Scim,
}

impl Profile {
    /// Why `def` is not judged under this profile, if it is not.
    pub fn excludes(self, def: &CheckDef) -> Option<String> {
        (self == Profile::Scim && def.id.starts_with("1password."))
            .then(|| "a 1Password rule, not judged with the scim profile".to_string())
    }
}

/// One entry of the catalogue. Ids never change once released.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct CheckDef {
    /// e.g. `okta.users.create.returns-201`.
    pub id: &'static str,
    pub level: Level,
    /// One line: what a passing target does.
    pub title: &'static str,
    /// RFC sections, Okta or 1Password documents the rule rests on.
    pub sources: &'static [&'static str],
    pub needs: Needs,
    /// What to change when it fails.
    pub hint: &'static str,
}

impl CheckDef {
    /// The capability group, for reports: the id's first two segments
    /// (`okta.users`, `1password.groups`, …).
    pub fn capability(&self) -> &'static str {
        let mut dots = self.id.match_indices('.').map(|(i, _)| i);
        match (dots.next(), dots.next()) {
            (Some(_), Some(second)) => &self.id[..second],
            _ => self.id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scim_profile_skips_only_1password_rules() {
        let mut def = CheckDef {
            id: "1password.users.create.invites-once",
            level: Level::Must,
            title: "",
            sources: &[],
            needs: Needs::Backend,
            hint: "",
        };
        assert!(Profile::Scim.excludes(&def).is_some());
        assert!(Profile::OnePassword.excludes(&def).is_none());
        def.id = "okta.users.create.returns-201";
        assert!(Profile::Scim.excludes(&def).is_none());
    }

    #[test]
    fn capability_is_first_two_segments() {
        let def = CheckDef {
            id: "okta.users.create.returns-201",
            level: Level::Must,
            title: "",
            sources: &[],
            needs: Needs::Scim,
            hint: "",
        };
        assert_eq!(def.capability(), "okta.users");
    }
}
