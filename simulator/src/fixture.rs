//! Org fixtures: `fixtures/orgs/*.toml` describes an Okta org (seed, app
//! settings, users). The reader lives with the type it builds (STYLE §1).
//!
//! ```toml
//! seed = 1
//! [app]
//! dialect = "oin"
//! [[users]]
//! login = "alice@acme.com"
//! email = "alice@acme.com"
//! firstName = "Alice"
//! lastName = "Archer"
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::app::App;
use crate::org::{OktaOrg, OrgError, UserProfile};

/// Why an org fixture cannot be used; each names the file first.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// The file cannot be read.
    #[error("{}: cannot read the org fixture", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The TOML is malformed or has unknown keys.
    #[error("{}: line {line}: {reason}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    /// The users break an org rule (e.g. a duplicate login).
    #[error("{}: {source}", path.display())]
    Org {
        path: PathBuf,
        #[source]
        source: OrgError,
    },
}

/// The file's shape.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgFixture {
    /// Fixes every generated Okta id and password placeholder.
    #[serde(default)]
    seed: u64,
    #[serde(default)]
    app: App,
    #[serde(default)]
    users: Vec<UserProfile>,
}

impl OktaOrg {
    /// Reads an org fixture file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, FixtureError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml(&text, path)
    }

    /// Builds an org from fixture text; `path` only names it in errors.
    pub fn from_toml(text: &str, path: impl AsRef<Path>) -> Result<Self, FixtureError> {
        let path = path.as_ref();
        let fixture: OrgFixture = toml::from_str(text).map_err(|e| FixtureError::Parse {
            path: path.to_owned(),
            line: e
                .span()
                .and_then(|span| text.get(..span.start))
                .map_or(1, |before| before.matches('\n').count() + 1),
            reason: e.message().trim().to_owned(),
        })?;
        let mut org = OktaOrg::new(fixture.seed, fixture.app);
        for profile in fixture.users {
            org.add_user(profile).map_err(|source| FixtureError::Org {
                path: path.to_owned(),
                source,
            })?;
        }
        Ok(org)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Dialect;
    use crate::mapping::AppAttribute;

    fn fixtures_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/orgs")
    }

    #[test]
    fn every_org_fixture_loads() {
        let mut seen = 0;
        for entry in std::fs::read_dir(fixtures_dir()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let org = OktaOrg::load(&path).unwrap_or_else(|e| panic!("{e}"));
                assert!(!org.users().is_empty(), "{}", path.display());
                seen += 1;
            }
        }
        assert!(seen > 0);
    }

    #[test]
    fn acme_is_the_1password_oin_org() {
        let org = OktaOrg::load(fixtures_dir().join("acme.toml")).unwrap();
        assert_eq!(org.app().dialect, Dialect::Oin);
        assert!(org.app().mappings.maps(AppAttribute::DisplayName));
        let alice = org.user("alice@acme.com").unwrap();
        assert_eq!(alice.profile.display_name.as_deref(), Some("Alice Archer"));
    }

    #[test]
    fn settings_and_trimmed_mappings_are_data() {
        let org = OktaOrg::from_toml(
            r#"
            seed = 9
            [app]
            dialect = "aiw"
            [app.provisioning]
            create_users = false
            [app.mappings]
            attributes = ["userName", "name.givenName", "name.familyName", "emails"]
            email_type = "home"
            [[users]]
            login = "x@y.z"
            email = "x@y.z"
            firstName = "X"
            lastName = "Y"
            "#,
            "inline.toml",
        )
        .unwrap();
        let app = org.app();
        assert_eq!(app.dialect, Dialect::Aiw);
        assert!(!app.provisioning.create_users);
        assert!(app.provisioning.deactivate_users);
        assert!(!app.mappings.maps(AppAttribute::Password));
        assert_eq!(app.mappings.email_type.as_deref(), Some("home"));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = OktaOrg::from_toml("seed = 1\n[app]\ndialekt = \"oin\"\n", "orgs/bad.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("orgs/bad.toml: line 3: unknown field `dialekt`"),
            "{err}"
        );
        let twice = "[[users]]\nlogin='a@b.c'\nemail='a@b.c'\nfirstName='A'\nlastName='B'\n";
        let err = OktaOrg::from_toml(&format!("{twice}{twice}"), "dup.toml").unwrap_err();
        assert!(matches!(err, FixtureError::Org { .. }), "{err}");
    }
}
