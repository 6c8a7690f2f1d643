//! Scenarios as data: a file in `fixtures/scenarios/` names the Okta org,
//! the 1Password account as it is before, and the admin actions to play. A
//! vendor adds a scenario by adding a file (`--scenarios DIR`).
//!
//! ```toml
//! # What the scenario shows, in a sentence (the file's first comment).
//! description = "An existing member is assigned in Okta: linked, not invited."
//! org = "acme"            # fixtures/orgs/acme.toml
//! account = "acme"        # fixtures/accounts/acme.toml
//! dialects = ["oin"]      # default: both, "oin" and "aiw"
//!
//! [scim_setup]            # how the account's members and groups are made
//! "bob@acme.com" = "user" # through SCIM on a target scimulate cannot see
//!                         # (crate::scim_setup::plan)
//!
//! [[users]]               # Okta users added to the org for this scenario
//! login = "Bob@ACME.com"
//! email = "Bob@ACME.com"
//! firstName = "Bob"
//! lastName = "Baker"
//!
//! [[actions]]
//! action = "assign"
//! user = "Bob@ACME.com"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::scim_setup::StartingState;
use crate::scim_setup::plan::{SetupAs, resolve};
use scimulate_backend::{AccountSeed, SeedMember};
use scimulate_simulator::{AdminAction, Dialect, OktaOrg, UserProfile};
use serde::Deserialize;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
}

/// A scenario file that cannot be used: where, and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("{origin}: line {line}: {reason}")]
    Parse {
        origin: String,
        line: usize,
        reason: String,
    },
    #[error("{origin}: {reason}")]
    Invalid { origin: String, reason: String },
    #[error("could not read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// How many members to add to the account, for scenarios about size
/// (import paging): `member-0001@<domain>`, … in order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct GeneratedMembers {
    count: usize,
    domain: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    description: String,
    org: String,
    account: String,
    #[serde(default = "both_dialects")]
    dialects: Vec<Dialect>,
    #[serde(default)]
    one_password_rule: Option<String>,
    #[serde(default)]
    users: Vec<UserProfile>,
    #[serde(default)]
    generated_members: Option<GeneratedMembers>,
    /// How the account's starting state is made through SCIM on a target
    /// scimulate cannot see ([`crate::scim_setup::plan`]).
    #[serde(default)]
    scim_setup: Option<BTreeMap<String, SetupAs>>,
    actions: Vec<AdminAction>,
}

fn both_dialects() -> Vec<Dialect> {
    vec![Dialect::Oin, Dialect::Aiw]
}

/// Most members a scenario may generate: enough for the 100,000-user import
/// benchmark (`bench/figures`), bounded so a typo cannot fill the memory.
const MAX_GENERATED: usize = 100_000;

/// A scenario, resolved: its org and account loaded.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file's stem, e.g. `existing-member-linked`.
    pub name: String,
    /// Where it came from, for errors.
    pub origin: String,
    pub description: String,
    pub org: OktaOrg,
    pub account: AccountSeed,
    pub dialects: Vec<Dialect>,
    /// The 1Password rule the scenario's premise rests on (e.g. "public
    /// mail domains are refused"), when RFC 7643/7644 and Okta allow the
    /// opposite: under `--profile scim` its checks are skipped with it, so a
    /// plain SCIM server is not failed for a behaviour the RFCs allow.
    pub one_password_rule: Option<String>,
    pub actions: Vec<AdminAction>,
    /// The starting state on a target whose account scimulate cannot see:
    /// what is made through its SCIM API first, or why it cannot be
    /// (the file's `[scim_setup]`, checked against `account` on load).
    pub starting_state: StartingState,
}

impl Scenario {
    /// Why this scenario can only be played on the embedded bridge (whose
    /// account is seeded from the scenario), if it can: a bridge someone
    /// else runs starts from whatever its account holds.
    pub fn needs_seeded_account(&self) -> Option<String> {
        let settings = self.account.settings();
        if !settings.provisioning {
            return Some("needs an account with provisioning turned off".into());
        }
        if !self.account.members().is_empty() {
            return Some(format!(
                "needs {} pre-existing 1Password member(s) in the account",
                self.account.members().len()
            ));
        }
        if !self.account.groups().is_empty() {
            return Some(format!(
                "needs {} pre-existing 1Password group(s) in the account",
                self.account.groups().len()
            ));
        }
        None
    }
}

/// Every fixture scimulate knows: the built-in ones, and any directory
/// added with [`Library::with_dir`] (same layout: `accounts/`, `orgs/`,
/// `scenarios/`, or scenario files directly in it).
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// kind → name → (origin, text)
    files: BTreeMap<&'static str, BTreeMap<String, (String, String)>>,
}

impl Library {
    /// The fixtures built into scimulate.
    pub fn builtin() -> Self {
        let mut library = Library::default();
        for (kind, name, text) in builtin::FIXTURES {
            library.insert(
                kind,
                name,
                format!("fixtures/{kind}/{name}.toml"),
                text.to_string(),
            );
        }
        library
    }

    fn insert(&mut self, kind: &'static str, name: &str, origin: String, text: String) {
        self.files
            .entry(kind)
            .or_default()
            .insert(name.to_string(), (origin, text));
    }

    /// Adds the fixtures in `dir`; a file with a built-in's name replaces it.
    pub fn with_dir(mut self, dir: &Path) -> Result<Self, FixtureError> {
        let read_dir = |path: &Path| {
            std::fs::read_dir(path).map_err(|source| FixtureError::Read {
                path: path.to_path_buf(),
                source,
            })
        };
        let mut found_layout = false;
        for kind in ["accounts", "orgs", "scenarios"] {
            let sub = dir.join(kind);
            if sub.is_dir() {
                found_layout = true;
                self.add_files(kind, &sub, read_dir(&sub)?)?;
            }
        }
        if !found_layout {
            self.add_files("scenarios", dir, read_dir(dir)?)?;
        }
        Ok(self)
    }

    fn add_files(
        &mut self,
        kind: &'static str,
        dir: &Path,
        entries: std::fs::ReadDir,
    ) -> Result<(), FixtureError> {
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|source| FixtureError::Read {
                path: path.clone(),
                source,
            })?;
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or_else(|| FixtureError::Invalid {
                    origin: dir.display().to_string(),
                    reason: format!("{} has no usable file name", path.display()),
                })?
                .to_string();
            self.insert(kind, &name, path.display().to_string(), text);
        }
        Ok(())
    }

    /// The names of every scenario, in order.
    pub fn scenario_names(&self) -> Vec<String> {
        self.files
            .get("scenarios")
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Loads every scenario.
    pub fn scenarios(&self) -> Result<Vec<Scenario>, FixtureError> {
        self.scenario_names()
            .iter()
            .map(|name| self.scenario(name))
            .collect()
    }

    /// Loads one scenario by name, with its org and account.
    pub fn scenario(&self, name: &str) -> Result<Scenario, FixtureError> {
        let (origin, text) = self.file("scenarios", name, "scenario")?;
        let file: ScenarioFile = toml::from_str(text).map_err(|e| parse_error(origin, text, &e))?;
        if file.actions.is_empty() {
            return Err(FixtureError::Invalid {
                origin: origin.clone(),
                reason: "actions is empty: a scenario needs at least one admin action".into(),
            });
        }
        if file.dialects.is_empty() {
            return Err(FixtureError::Invalid {
                origin: origin.clone(),
                reason: "dialects is empty: give \"oin\", \"aiw\" or both (or leave it out)".into(),
            });
        }
        let (org_origin, org_text) =
            self.file("orgs", &file.org, &format!("org (named in {origin})"))?;
        let mut org =
            OktaOrg::from_toml(org_text, org_origin).map_err(|e| FixtureError::Invalid {
                origin: org_origin.clone(),
                reason: e.to_string(),
            })?;
        for user in file.users {
            let login = user.login.clone();
            org.add_user(user).map_err(|e| FixtureError::Invalid {
                origin: origin.clone(),
                reason: format!("user {login:?}: {e}"),
            })?;
        }
        let (account_origin, account_text) = self.file(
            "accounts",
            &file.account,
            &format!("account (named in {origin})"),
        )?;
        let mut account =
            AccountSeed::from_toml_str(account_text, account_origin).map_err(|e| {
                FixtureError::Invalid {
                    origin: account_origin.clone(),
                    reason: e.to_string(),
                }
            })?;
        if let Some(generated) = &file.generated_members {
            if generated.count > MAX_GENERATED {
                return Err(FixtureError::Invalid {
                    origin: origin.clone(),
                    reason: format!(
                        "generated_members.count is {}; at most {MAX_GENERATED}",
                        generated.count
                    ),
                });
            }
            for n in 1..=generated.count {
                let email = format!("member-{n:05}@{}", generated.domain);
                let member = SeedMember::new(&email, "Member", &format!("{n:05}"));
                account
                    .add_member(member)
                    .map_err(|e| FixtureError::Invalid {
                        origin: origin.clone(),
                        reason: format!("generated member {email}: {e}"),
                    })?;
            }
        }
        let generated = file.generated_members.as_ref().map_or(0, |g| g.count);
        let starting_state =
            resolve(file.scim_setup.as_ref(), &account, generated).map_err(|reason| {
                FixtureError::Invalid {
                    origin: origin.clone(),
                    reason,
                }
            })?;
        Ok(Scenario {
            starting_state,
            name: name.to_string(),
            origin: origin.clone(),
            description: file.description,
            org,
            account,
            dialects: file.dialects,
            one_password_rule: file.one_password_rule,
            actions: file.actions,
        })
    }

    fn file(&self, kind: &str, name: &str, what: &str) -> Result<(&String, &String), FixtureError> {
        self.files
            .get(kind)
            .and_then(|m| m.get(name))
            .map(|(origin, text)| (origin, text))
            .ok_or_else(|| {
                let known: Vec<&String> = self
                    .files
                    .get(kind)
                    .map(|m| m.keys().collect())
                    .unwrap_or_default();
                FixtureError::Invalid {
                    origin: format!("fixtures/{kind}"),
                    reason: format!(
                        "no {what} named {name:?} (known: {})",
                        known
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            })
    }
}

fn parse_error(origin: &str, text: &str, error: &toml::de::Error) -> FixtureError {
    let line = error
        .span()
        .and_then(|span| text.get(..span.start))
        .map_or(1, |before| before.matches('\n').count() + 1);
    FixtureError::Parse {
        origin: origin.to_string(),
        line,
        reason: error.message().trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library_with(name: &str, text: &str) -> Library {
        let mut library = Library::builtin();
        library.insert(
            "scenarios",
            name,
            format!("fixtures/scenarios/{name}.toml"),
            text.to_string(),
        );
        library
    }

    #[test]
    fn every_builtin_scenario_loads() {
        let library = Library::builtin();
        assert!(!library.scenario_names().is_empty());
        for scenario in library.scenarios().unwrap() {
            assert!(!scenario.description.is_empty(), "{}", scenario.name);
        }
    }

    #[test]
    fn every_builtin_scenario_says_how_its_starting_state_is_made_through_scim() {
        for scenario in Library::builtin().scenarios().unwrap() {
            assert!(
                !matches!(scenario.starting_state, StartingState::Undeclared(_)),
                "{} has an account with members or groups and no [scim_setup]",
                scenario.name
            );
        }
        let paged = Library::builtin().scenario("import-users-paged").unwrap();
        let StartingState::Made(made) = paged.starting_state else {
            panic!("the import's users are made through SCIM");
        };
        // Three pages of Okta's 100, the last one partial.
        assert!(made.users.len() > 200 && made.users.len() % 100 != 0);
    }

    #[test]
    fn a_scim_setup_that_does_not_fit_the_account_names_the_file() {
        let library = library_with(
            "bad",
            "description = \"x\"\norg = \"acme\"\naccount = \"acme\"\n[scim_setup]\n\"nobody@acme.com\" = \"user\"\n[[actions]]\naction = \"test_connection\"\n",
        );
        let error = library.scenario("bad").unwrap_err().to_string();
        assert!(
            error.starts_with("fixtures/scenarios/bad.toml:") && error.contains("nobody@acme.com"),
            "{error}"
        );
        let library = library_with(
            "bad",
            "description = \"x\"\norg = \"acme\"\naccount = \"acme\"\n[scim_setup]\n\"bob@acme.com\" = \"usr\"\n[[actions]]\naction = \"test_connection\"\n",
        );
        let error = library.scenario("bad").unwrap_err().to_string();
        assert!(error.contains("line 5") && error.contains("usr"), "{error}");
    }

    #[test]
    fn unknown_action_names_file_line_and_choices() {
        let library = library_with(
            "bad",
            "description = \"x\"\norg = \"acme\"\naccount = \"empty\"\n\n[[actions]]\naction = \"asign\"\nuser = \"a@acme.com\"\n",
        );
        let error = library.scenario("bad").unwrap_err().to_string();
        assert!(
            error.starts_with("fixtures/scenarios/bad.toml: line 6:"),
            "{error}"
        );
        assert!(
            error.contains("asign") && error.contains("assign"),
            "{error}"
        );
    }

    #[test]
    fn unknown_key_is_refused() {
        let library = library_with(
            "bad",
            "description = \"x\"\norg = \"acme\"\naccount = \"empty\"\nacount = 1\n[[actions]]\naction = \"test_connection\"\n",
        );
        let error = library.scenario("bad").unwrap_err().to_string();
        assert!(
            error.contains("line 4") && error.contains("acount"),
            "{error}"
        );
    }

    #[test]
    fn unknown_org_lists_the_known_ones() {
        let library = library_with(
            "bad",
            "description = \"x\"\norg = \"acne\"\naccount = \"empty\"\n[[actions]]\naction = \"test_connection\"\n",
        );
        let error = library.scenario("bad").unwrap_err().to_string();
        assert!(
            error.contains("\"acne\"") && error.contains("acme"),
            "{error}"
        );
    }

    #[test]
    fn empty_actions_are_refused() {
        let library = library_with(
            "bad",
            "description = \"x\"\norg = \"acme\"\naccount = \"empty\"\nactions = []\n",
        );
        assert!(
            library
                .scenario("bad")
                .unwrap_err()
                .to_string()
                .contains("actions is empty")
        );
    }
}
