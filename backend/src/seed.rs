//! What the account holds before a run starts, read from a TOML file in
//! `fixtures/accounts/` or built in code.
//!
//! ```toml
//! name = "Acme Corp"
//! provisioning = true              # default true
//! allowed_domains = ["acme.com"]   # default []
//! [[members]]
//! email = "bob@acme.com"
//! given_name = "Bob"
//! family_name = "Builder"
//! display_name = "Bob Builder"     # default "given family"
//! state = "active"                 # invited | active | suspended | invite_suspended
//! kind = "member"                  # member | guest
//! provisioned = false              # default false
//! external_id = "00u1"             # optional
//! groups = ["Engineering"]         # groups of this file or built-in ones
//! [[groups]]
//! name = "Engineering"
//! managed = false                  # default false
//! ```
//!
//! A seed is valid by construction: every way to build one checks the rules
//! below, so the account can be built from it without further errors.

mod file;

use std::collections::HashSet;

use crate::domains;
use crate::model::{AccountSettings, BuiltinGroup, MemberKind, MemberState};

/// The account's starting content: settings, groups and members. Seeding
/// logs no effects: the effect log of a new account is empty.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountSeed {
    settings: AccountSettings,
    groups: Vec<SeedGroup>,
    members: Vec<SeedMember>,
    /// Lower-cased e-mails of `members`, for the duplicate check.
    emails: HashSet<String>,
}

/// A group the account starts with (besides the built-in ones).
#[derive(Clone, Debug, PartialEq)]
pub struct SeedGroup {
    pub name: String,
    /// In the account's "Managed Groups" list.
    pub managed: bool,
}

/// A member the account starts with.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedMember {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    /// Defaults to "given family".
    pub display_name: Option<String>,
    pub state: MemberState,
    pub kind: MemberKind,
    /// Already managed by the provisioning integration.
    pub provisioned: bool,
    pub external_id: Option<String>,
    /// Names (any case) of seed groups or built-in groups.
    pub groups: Vec<String>,
}

impl SeedMember {
    /// An active, unprovisioned member in no group but Team Members.
    pub fn new(email: &str, given_name: &str, family_name: &str) -> Self {
        SeedMember {
            email: email.to_string(),
            given_name: given_name.to_string(),
            family_name: family_name.to_string(),
            display_name: None,
            state: MemberState::Active,
            kind: MemberKind::Member,
            provisioned: false,
            external_id: None,
            groups: Vec::new(),
        }
    }

    /// The display name, defaulting to "given family".
    pub fn display_name(&self) -> String {
        match &self.display_name {
            Some(name) => name.clone(),
            None => default_display_name(&self.given_name, &self.family_name),
        }
    }
}

/// "given family", without stray spaces when one of them is empty.
pub(crate) fn default_display_name(given: &str, family: &str) -> String {
    format!("{given} {family}").trim().to_string()
}

/// Why a seed could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The file could not be read.
    #[error("{}: could not read the account seed", path.display())]
    Read {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The text is not a valid seed; `origin` is the file (or "account seed"
    /// for seeds built in code) and `line` is 1-based.
    #[error("{origin}: {}{reason}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Invalid {
        origin: String,
        line: Option<usize>,
        reason: String,
    },
}

/// The origin named by errors of seeds built in code.
const IN_CODE: &str = "account seed";

impl Default for AccountSeed {
    /// The same account as `fixtures/accounts/empty.toml`: "Acme", no members,
    /// provisioning on, allowed domain acme.com.
    fn default() -> Self {
        AccountSeed::empty("Acme").with_allowed_domains(["acme.com"])
    }
}

impl AccountSeed {
    /// An account with this name, only the built-in groups, provisioning on
    /// and no allowed-domain restriction (any company domain may be invited).
    pub fn empty(name: &str) -> Self {
        AccountSeed {
            settings: AccountSettings {
                name: name.to_string(),
                provisioning: true,
                allowed_domains: Vec::new(),
            },
            groups: Vec::new(),
            members: Vec::new(),
            emails: HashSet::new(),
        }
    }

    /// Turns provisioning on or off.
    pub fn with_provisioning(mut self, on: bool) -> Self {
        self.settings.provisioning = on;
        self
    }

    /// Replaces the allowed domains.
    pub fn with_allowed_domains<S: Into<String>>(
        mut self,
        domains: impl IntoIterator<Item = S>,
    ) -> Self {
        self.settings.allowed_domains = domains.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a group; refused when the name is empty, a built-in group's, or
    /// already a seed group's (in any case).
    pub fn add_group(&mut self, group: SeedGroup) -> Result<(), SeedError> {
        self.check_group(&group).map_err(in_code)?;
        self.groups.push(group);
        Ok(())
    }

    /// Adds a member; refused when the e-mail is not an address or is taken
    /// (in any case), a group is unknown, or a guest is put in a group.
    /// Groups must be added first.
    pub fn add_member(&mut self, member: SeedMember) -> Result<(), SeedError> {
        self.check_member(&member).map_err(in_code)?;
        self.insert_member(member);
        Ok(())
    }

    /// Name, provisioning and allowed domains.
    pub fn settings(&self) -> &AccountSettings {
        &self.settings
    }

    /// The seed's own groups, in order.
    pub fn groups(&self) -> &[SeedGroup] {
        &self.groups
    }

    /// The members, in order.
    pub fn members(&self) -> &[SeedMember] {
        &self.members
    }

    fn check_group(&self, group: &SeedGroup) -> Result<(), String> {
        if group.name.trim().is_empty() {
            return Err("group name must not be empty".to_string());
        }
        if let Some(builtin) = builtin_named(&group.name) {
            return Err(format!(
                "group {:?} is the built-in group {:?}; built-in groups exist in every account",
                group.name,
                builtin.name()
            ));
        }
        if self.seed_group_named(&group.name).is_some() {
            return Err(format!(
                "duplicate group name {:?} (names are compared in any case)",
                group.name
            ));
        }
        Ok(())
    }

    fn check_member(&self, member: &SeedMember) -> Result<(), String> {
        if !domains::is_email(&member.email) {
            return Err(format!(
                "{:?} is not an e-mail address (expected local@domain.tld)",
                member.email
            ));
        }
        if self.emails.contains(&domains::email_key(&member.email)) {
            return Err(format!(
                "duplicate member e-mail {:?} (e-mails are compared in any case)",
                member.email
            ));
        }
        for name in &member.groups {
            if builtin_named(name).is_none() && self.seed_group_named(name).is_none() {
                return Err(format!(
                    "{}: unknown group {name:?} (expected a [[groups]] name or a built-in group: {})",
                    member.email,
                    builtin_names()
                ));
            }
        }
        if member.kind == MemberKind::Guest && !member.groups.is_empty() {
            return Err(format!(
                "{}: a guest cannot be in groups (guests are not in Team Members or any group)",
                member.email
            ));
        }
        Ok(())
    }

    fn insert_member(&mut self, member: SeedMember) {
        self.emails.insert(domains::email_key(&member.email));
        self.members.push(member);
    }

    fn seed_group_named(&self, name: &str) -> Option<&SeedGroup> {
        self.groups
            .iter()
            .find(|g| g.name.eq_ignore_ascii_case(name))
    }
}

/// The built-in group with this name, in any case.
pub(crate) fn builtin_named(name: &str) -> Option<BuiltinGroup> {
    BuiltinGroup::ALL
        .into_iter()
        .find(|b| b.name().eq_ignore_ascii_case(name))
}

fn builtin_names() -> String {
    BuiltinGroup::ALL.map(BuiltinGroup::name).join(", ")
}

fn in_code(reason: String) -> SeedError {
    SeedError::Invalid {
        origin: IN_CODE.to_string(),
        line: None,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        AccountSeed::from_toml_str(text, "acme.toml")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn defaults_fill_missing_keys() {
        let seed = AccountSeed::from_toml_str(
            "name = \"Acme\"\n[[members]]\nemail = \"bob@acme.com\"\ngiven_name = \"Bob\"\nfamily_name = \"Builder\"\n",
            "t",
        )
        .unwrap();
        assert!(seed.settings().provisioning);
        assert!(seed.settings().allowed_domains.is_empty());
        let bob = &seed.members()[0];
        assert_eq!(bob.state, MemberState::Active);
        assert_eq!(bob.kind, MemberKind::Member);
        assert!(!bob.provisioned);
        assert_eq!(bob.display_name(), "Bob Builder");
    }

    #[test]
    fn default_seed_is_acme_with_acme_com_allowed() {
        let seed = AccountSeed::default();
        assert_eq!(seed.settings().name, "Acme");
        assert!(seed.settings().provisioning);
        assert_eq!(seed.settings().allowed_domains, vec!["acme.com"]);
        assert!(seed.members().is_empty() && seed.groups().is_empty());
    }

    #[test]
    fn unknown_state_names_line_and_expected_values() {
        let text = "name = \"Acme\"\n\n[[members]]\nemail = \"bob@acme.com\"\ngiven_name = \"Bob\"\nfamily_name = \"B\"\nstate = \"activ\"\n";
        assert_eq!(
            err(text),
            "acme.toml: line 7: unknown member state \"activ\" (expected invited, active, suspended, invite_suspended)"
        );
    }

    #[test]
    fn unknown_kind_is_an_error() {
        let text = "name = \"Acme\"\n[[members]]\nemail = \"g@acme.com\"\ngiven_name = \"G\"\nfamily_name = \"G\"\nkind = \"visitor\"\n";
        assert_eq!(
            err(text),
            "acme.toml: line 6: unknown member kind \"visitor\" (expected member, guest)"
        );
    }

    #[test]
    fn unknown_keys_are_errors() {
        let text = "name = \"Acme\"\n[[members]]\nemail = \"bob@acme.com\"\ngiven_name = \"Bob\"\nfamily_name = \"B\"\nrole = \"owner\"\n";
        let message = err(text);
        assert!(
            message.starts_with("acme.toml: line 6: unknown field `role`"),
            "{message}"
        );
        let message = err("name = \"Acme\"\nprovision = false\n");
        assert!(
            message.starts_with("acme.toml: line 2: unknown field `provision`"),
            "{message}"
        );
    }

    #[test]
    fn missing_name_is_an_error() {
        let message = err("provisioning = true\n");
        assert!(message.contains("missing field `name`"), "{message}");
    }

    #[test]
    fn duplicate_emails_in_any_case_are_errors() {
        let text = "name = \"Acme\"\n[[members]]\nemail = \"bob@acme.com\"\ngiven_name = \"Bob\"\nfamily_name = \"B\"\n[[members]]\nemail = \"BOB@acme.com\"\ngiven_name = \"Bob\"\nfamily_name = \"B\"\n";
        assert_eq!(
            err(text),
            "acme.toml: line 7: duplicate member e-mail \"BOB@acme.com\" (e-mails are compared in any case)"
        );
    }

    #[test]
    fn unknown_group_names_are_errors() {
        let text = "name = \"Acme\"\n[[members]]\nemail = \"bob@acme.com\"\ngiven_name = \"Bob\"\nfamily_name = \"B\"\ngroups = [\"Enginering\"]\n[[groups]]\nname = \"Engineering\"\n";
        let message = err(text);
        assert!(
            message.starts_with(
                "acme.toml: line 3: bob@acme.com: unknown group \"Enginering\" (expected a [[groups]] name or a built-in group: Owners,"
            ),
            "{message}"
        );
    }

    #[test]
    fn groups_resolve_in_any_case_whatever_their_place_in_the_file() {
        let text = "name = \"Acme\"\n[[members]]\nemail = \"bob@acme.com\"\ngiven_name = \"Bob\"\nfamily_name = \"B\"\ngroups = [\"engineering\", \"OWNERS\"]\n[[groups]]\nname = \"Engineering\"\n";
        let seed = AccountSeed::from_toml_str(text, "t").unwrap();
        assert_eq!(seed.members()[0].groups, vec!["engineering", "OWNERS"]);
    }

    #[test]
    fn guests_cannot_be_in_groups() {
        let text = "name = \"Acme\"\n[[members]]\nemail = \"gina@acme.com\"\ngiven_name = \"Gina\"\nfamily_name = \"G\"\nkind = \"guest\"\ngroups = [\"Owners\"]\n";
        assert_eq!(
            err(text),
            "acme.toml: line 3: gina@acme.com: a guest cannot be in groups (guests are not in Team Members or any group)"
        );
    }

    #[test]
    fn group_names_must_be_new() {
        let message = err("name = \"Acme\"\n[[groups]]\nname = \"team members\"\n");
        assert_eq!(
            message,
            "acme.toml: line 3: group \"team members\" is the built-in group \"Team Members\"; built-in groups exist in every account"
        );
        let message =
            err("name = \"Acme\"\n[[groups]]\nname = \"Design\"\n[[groups]]\nname = \"design\"\n");
        assert_eq!(
            message,
            "acme.toml: line 5: duplicate group name \"design\" (names are compared in any case)"
        );
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let message = err("name = \"Acme\"\nallowed_domains = [\"acme.com\"\n");
        assert!(message.starts_with("acme.toml: line "), "{message}");
    }

    #[test]
    fn bad_addresses_are_errors() {
        let text = "name = \"Acme\"\n[[members]]\nemail = \"bob\"\ngiven_name = \"Bob\"\nfamily_name = \"B\"\n";
        assert_eq!(
            err(text),
            "acme.toml: line 3: \"bob\" is not an e-mail address (expected local@domain.tld)"
        );
    }

    #[test]
    fn seeds_built_in_code_are_checked_too() {
        let mut seed = AccountSeed::empty("Acme");
        seed.add_group(SeedGroup {
            name: "Engineering".into(),
            managed: false,
        })
        .unwrap();
        let mut bob = SeedMember::new("bob@acme.com", "Bob", "B");
        bob.groups.push("Engineering".into());
        seed.add_member(bob).unwrap();
        let again = seed
            .add_member(SeedMember::new("Bob@Acme.com", "Bob", "B"))
            .unwrap_err();
        assert_eq!(
            again.to_string(),
            "account seed: duplicate member e-mail \"Bob@Acme.com\" (e-mails are compared in any case)"
        );
        let builtin = seed
            .add_group(SeedGroup {
                name: "owners".into(),
                managed: true,
            })
            .unwrap_err();
        assert!(builtin.to_string().contains("built-in group"), "{builtin}");
    }

    #[test]
    fn unreadable_files_name_the_path() {
        let error = AccountSeed::from_path("no/such/seed.toml").unwrap_err();
        assert_eq!(
            error.to_string(),
            "no/such/seed.toml: could not read the account seed"
        );
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn default_display_name_has_no_stray_spaces() {
        assert_eq!(default_display_name("Cher", ""), "Cher");
        assert_eq!(default_display_name("Jane", "Doe"), "Jane Doe");
    }
}
