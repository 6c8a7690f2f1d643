//! Org fixtures: `fixtures/orgs/*.toml` describes an Okta org (seed, app
//! settings, users, groups). The reader lives with the type it builds
//! (STYLE §1).
//!
//! ```toml
//! seed = 1
//! [app]
//! dialect = "oin"
//! [app.push]
//! rename_app_groups = true
//! [app.import]
//! matching = "email"
//! [[users]]
//! login = "alice@acme.com"
//! email = "alice@acme.com"
//! firstName = "Alice"
//! lastName = "Archer"
//! [[groups]]
//! name = "Engineering"
//! members = ["alice@acme.com"]
//! assigned = false
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::app::App;
use crate::org::OktaOrg;
use crate::user::{OrgError, UserProfile};

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
    /// A `[[groups]]` entry breaks an org rule (a duplicate name, a member
    /// that is no user).
    #[error("{}: line {line}: {source}", path.display())]
    Group {
        path: PathBuf,
        line: usize,
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
    #[serde(default)]
    groups: Vec<Spanned<GroupFixture>>,
}

/// One `[[groups]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFixture {
    name: String,
    /// Okta logins of users listed in `[[users]]`.
    #[serde(default)]
    members: Vec<String>,
    /// The group is assigned to the app: its members start assigned but not
    /// provisioned, as users assigned before provisioning was enabled
    /// (docs/okta-wire.md#34-create-users-off); an import links them (§6).
    #[serde(default)]
    assigned: bool,
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
        let line_of = |start: usize| {
            text.get(..start)
                .map_or(1, |before| before.matches('\n').count() + 1)
        };
        let fixture: OrgFixture = toml::from_str(text).map_err(|e| FixtureError::Parse {
            path: path.to_owned(),
            line: e.span().map_or(1, |span| line_of(span.start)),
            reason: e.message().trim().to_owned(),
        })?;
        let mut org = OktaOrg::new(fixture.seed, fixture.app);
        for profile in fixture.users {
            org.add_user(profile).map_err(|source| FixtureError::Org {
                path: path.to_owned(),
                source,
            })?;
        }
        for group in fixture.groups {
            let line = line_of(group.span().start);
            let group = group.into_inner();
            let name = group.name.clone();
            org.add_group(group.name, group.members)
                .map_err(|source| FixtureError::Group {
                    path: path.to_owned(),
                    line,
                    source,
                })?;
            if group.assigned {
                org.set_group_assigned(&name, true);
            }
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
        // 1Password's app pushes groups: the connection test lists /Groups.
        assert!(org.app().provisioning.push_groups);
        let alice = org.user("alice@acme.com").unwrap();
        assert_eq!(alice.profile.display_name.as_deref(), Some("Alice Archer"));
        let groups: Vec<_> = org
            .groups()
            .iter()
            .map(|g| (g.name.as_str(), g.members.clone()))
            .collect();
        assert_eq!(
            groups,
            [
                (
                    "Engineering",
                    vec!["alice@acme.com".to_owned(), "bob@acme.com".to_owned()]
                ),
                ("Design", vec!["carol@acme.com".to_owned()]),
            ]
        );
        assert_eq!(org.app().push, crate::PushSettings::default());
        assert_eq!(org.app().import, crate::ImportSettings::default());
    }

    #[test]
    fn acme_groups_has_the_group_features_on() {
        let org = OktaOrg::load(fixtures_dir().join("acme-groups.toml")).unwrap();
        let app = org.app();
        assert!(app.provisioning.push_groups && app.provisioning.import_groups);
        assert_eq!(org.groups().len(), 3);
        assert!(org.group("Contractors").unwrap().members.is_empty());
        assert!(org.groups().iter().all(|g| !g.assigned));
        assert!(org.users().iter().all(|u| !u.app_user.assigned));
        assert_eq!(
            org.user("dave@acme.com").unwrap().profile.email,
            "Dave@Acme.com"
        );
    }

    #[test]
    fn push_and_import_settings_are_data() {
        let org = OktaOrg::from_toml(
            r#"
            [app.push]
            rename_app_groups = false
            group_lookup_before_create = false
            members_in_post = true
            on_lookup_hit = "link"
            name_update = "after_members"
            [app.import]
            matching = "email_or_username"
            max_pages = 3
            "#,
            "inline.toml",
        )
        .unwrap();
        let app = org.app();
        assert!(!app.push.rename_app_groups);
        assert!(!app.push.group_lookup_before_create);
        assert_eq!(app.push.members_in_post, Some(true));
        assert_eq!(app.push.on_lookup_hit, crate::OnLookupHit::Link);
        assert_eq!(app.push.name_update, crate::NameUpdate::AfterMembers);
        assert_eq!(app.import.matching, crate::ImportMatching::EmailOrUsername);
        assert_eq!(app.import.max_pages, 3);
    }

    #[test]
    fn an_assigned_group_assigns_its_members_unprovisioned() {
        let users = "[[users]]\nlogin='a@b.c'\nemail='a@b.c'\nfirstName='A'\nlastName='B'\n\
                     [[users]]\nlogin='z@b.c'\nemail='z@b.c'\nfirstName='Z'\nlastName='B'\n";
        let text = format!(
            "{users}[[groups]]\nname = 'G'\nmembers = ['A@b.c']\nassigned = true\n\
             [[groups]]\nname = 'H'\nmembers = ['z@b.c']\n"
        );
        let org = OktaOrg::from_toml(&text, "orgs/g.toml").unwrap();
        assert!(org.group("G").unwrap().assigned);
        assert!(!org.group("H").unwrap().assigned);
        let a = &org.user("a@b.c").unwrap().app_user;
        assert!(a.assigned && !a.assigned_directly);
        assert_eq!((a.scim_id.as_deref(), a.active), (None, None));
        assert!(!org.user("z@b.c").unwrap().app_user.assigned);
    }

    #[test]
    fn group_errors_name_the_file_and_line() {
        let users = "[[users]]\nlogin='a@b.c'\nemail='a@b.c'\nfirstName='A'\nlastName='B'\n";
        let text = format!("{users}\n[[groups]]\nname = 'G'\nmembers = ['zed@b.c']\n");
        let err = OktaOrg::from_toml(&text, "orgs/g.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "orgs/g.toml: line 7: group \"G\" lists \"zed@b.c\", which is no Okta user of the \
             org (add it to [[users]])"
        );
        let text = "[[groups]]\nname = 'G'\n\n[[groups]]\nname = 'g'\n";
        let err = OktaOrg::from_toml(text, "orgs/g.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("orgs/g.toml: line 4: an Okta group"),
            "{err}"
        );
        let err = OktaOrg::from_toml("[[groups]]\nname = 'G'\nmembrs = []\n", "g.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("g.toml: line 3: unknown field `membrs`"),
            "{err}"
        );
        let err = OktaOrg::from_toml("[app.push]\nrename = true\n", "p.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("p.toml: line 2: unknown field `rename`"),
            "{err}"
        );
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
