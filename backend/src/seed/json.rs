//! The JSON form of a seed: the fields of the TOML file (`fixtures/
//! accounts/*.toml`), same names, same defaults, for the test-control call
//! `PUT /_scimulate/account` (backend/API.md, "Test control").

use serde::{Deserialize, Serialize};

use super::{AccountSeed, SeedError, SeedGroup, SeedMember};
use crate::model::{MemberKind, MemberState};

/// Names a JSON seed in errors.
const ORIGIN: &str = "account seed (JSON)";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSeed {
    name: String,
    #[serde(default = "default_true")]
    provisioning: bool,
    #[serde(default)]
    allowed_domains: Vec<String>,
    #[serde(default)]
    groups: Vec<JsonGroup>,
    #[serde(default)]
    members: Vec<JsonMember>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonGroup {
    name: String,
    #[serde(default)]
    managed: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonMember {
    email: String,
    given_name: String,
    family_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(default = "default_state")]
    state: MemberState,
    #[serde(default)]
    kind: MemberKind,
    #[serde(default)]
    provisioned: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
}

fn default_true() -> bool {
    true
}

fn default_state() -> MemberState {
    MemberState::Active
}

impl AccountSeed {
    /// The seed as JSON, in the form [`AccountSeed::from_json_slice`] reads.
    pub fn to_json(&self) -> Vec<u8> {
        let seed = JsonSeed {
            name: self.settings.name.clone(),
            provisioning: self.settings.provisioning,
            allowed_domains: self.settings.allowed_domains.clone(),
            groups: self
                .groups
                .iter()
                .map(|g| JsonGroup {
                    name: g.name.clone(),
                    managed: g.managed,
                })
                .collect(),
            members: self
                .members
                .iter()
                .map(|m| JsonMember {
                    email: m.email.clone(),
                    given_name: m.given_name.clone(),
                    family_name: m.family_name.clone(),
                    display_name: m.display_name.clone(),
                    state: m.state,
                    kind: m.kind,
                    provisioned: m.provisioned,
                    external_id: m.external_id.clone(),
                    groups: m.groups.clone(),
                })
                .collect(),
        };
        // Strings, booleans and unit enums always serialize.
        serde_json::to_vec(&seed).unwrap_or_default()
    }

    /// Reads a JSON seed and checks it like a seed file: errors name the
    /// JSON path (`members[2].state: unknown variant …`) or the member or
    /// group at fault (`members[2]: duplicate member e-mail …`).
    pub fn from_json_slice(bytes: &[u8]) -> Result<Self, SeedError> {
        let invalid = |reason: String| SeedError::Invalid {
            origin: ORIGIN.to_string(),
            line: None,
            reason,
        };
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        let raw: JsonSeed = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| match error.path().to_string().as_str() {
                "." => error.inner().to_string(),
                path => format!("{path}: {}", error.inner()),
            })
            .and_then(|raw| {
                deserializer
                    .end()
                    .map(|()| raw)
                    .map_err(|error| error.to_string())
            })
            .map_err(invalid)?;
        let mut seed = AccountSeed::empty(&raw.name)
            .with_provisioning(raw.provisioning)
            .with_allowed_domains(raw.allowed_domains);
        for (i, group) in raw.groups.into_iter().enumerate() {
            let group = SeedGroup {
                name: group.name,
                managed: group.managed,
            };
            seed.check_group(&group)
                .map_err(|reason| invalid(format!("groups[{i}]: {reason}")))?;
            seed.groups.push(group);
        }
        for (i, member) in raw.members.into_iter().enumerate() {
            let member = SeedMember {
                email: member.email,
                given_name: member.given_name,
                family_name: member.family_name,
                display_name: member.display_name,
                state: member.state,
                kind: member.kind,
                provisioned: member.provisioned,
                external_id: member.external_id,
                groups: member.groups,
            };
            seed.check_member(&member)
                .map_err(|reason| invalid(format!("members[{i}]: {reason}")))?;
            seed.insert_member(member);
        }
        Ok(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_state() -> AccountSeed {
        let text = r#"
name = "Acme"
provisioning = false
allowed_domains = ["acme.com", "example.com"]
[[groups]]
name = "Engineering"
managed = true
[[groups]]
name = "Design"
[[members]]
email = "olive@acme.com"
given_name = "Olive"
family_name = "Owner"
groups = ["Owners", "Engineering"]
[[members]]
email = "gina@acme.com"
given_name = "Gina"
family_name = "Guest"
kind = "guest"
[[members]]
email = "ivan@acme.com"
given_name = "Ivan"
family_name = "Invited"
display_name = "Ivan I."
state = "invited"
provisioned = true
external_id = "00u1"
[[members]]
email = "sam@acme.com"
given_name = "Sam"
family_name = "Suspended"
state = "suspended"
[[members]]
email = "ian@acme.com"
given_name = "Ian"
family_name = "Gone"
state = "invite_suspended"
"#;
        AccountSeed::from_toml_str(text, "t").unwrap()
    }

    #[test]
    fn every_state_survives_the_round_trip() {
        let seed = every_state();
        let back = AccountSeed::from_json_slice(&seed.to_json()).unwrap();
        assert_eq!(back, seed);
    }

    #[test]
    fn missing_keys_take_the_toml_defaults() {
        let seed = AccountSeed::from_json_slice(
            br#"{"name":"Acme","members":[{"email":"bob@acme.com","given_name":"Bob","family_name":"B"}]}"#,
        )
        .unwrap();
        assert!(seed.settings().provisioning);
        let bob = &seed.members()[0];
        assert_eq!(
            (bob.state, bob.kind, bob.provisioned),
            (MemberState::Active, MemberKind::Member, false)
        );
    }

    #[test]
    fn errors_name_the_json_path_or_the_entry() {
        let error = |json: &str| {
            AccountSeed::from_json_slice(json.as_bytes())
                .unwrap_err()
                .to_string()
        };
        let message = error(
            r#"{"name":"Acme","members":[{"email":"b@acme.com","given_name":"B","family_name":"B","state":"activ"}]}"#,
        );
        assert!(
            message.starts_with("account seed (JSON): members[0].state: unknown variant `activ`"),
            "{message}"
        );
        assert_eq!(
            error(
                r#"{"name":"Acme","members":[{"email":"b@acme.com","given_name":"B","family_name":"B"},{"email":"B@ACME.com","given_name":"B","family_name":"B"}]}"#
            ),
            "account seed (JSON): members[1]: duplicate member e-mail \"B@ACME.com\" (e-mails are compared in any case)"
        );
        assert_eq!(
            error(r#"{"name":"Acme","groups":[{"name":"owners"}]}"#),
            "account seed (JSON): groups[0]: group \"owners\" is the built-in group \"Owners\"; built-in groups exist in every account"
        );
        let message = error(r#"{"name":"Acme","role":"x"}"#);
        assert!(message.contains("unknown field `role`"), "{message}");
        let message = error(r#"{"name":"Acme"} trailing"#);
        assert!(message.contains("trailing characters"), "{message}");
    }
}
