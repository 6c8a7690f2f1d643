//! The TOML form of a seed (`fixtures/accounts/*.toml`): raw serde types
//! that keep spans, so every error names its line.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{AccountSeed, SeedError, SeedGroup, SeedMember};
use crate::model::{MemberKind, MemberState};

impl AccountSeed {
    /// Reads a seed file; errors name the path as given.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, SeedError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SeedError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        AccountSeed::from_toml_str(&text, &path.display().to_string())
    }

    /// Parses seed TOML; `origin` names the text in errors (usually its path).
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Self, SeedError> {
        parse(text, origin)
    }
}

/// Parses seed TOML; `origin` names the text in errors.
fn parse(text: &str, origin: &str) -> Result<AccountSeed, SeedError> {
    let invalid = |line: Option<usize>, reason: String| SeedError::Invalid {
        origin: origin.to_string(),
        line,
        reason,
    };
    let raw: RawSeed = toml::from_str(text).map_err(|error| {
        let line = error.span().map(|span| line_of(text, span.start));
        invalid(line, error.message().to_string())
    })?;
    let mut seed = AccountSeed::empty(&raw.name)
        .with_provisioning(raw.provisioning)
        .with_allowed_domains(raw.allowed_domains);
    for group in raw.groups {
        let line = line_of(text, group.name.span().start);
        let group = SeedGroup {
            name: group.name.into_inner(),
            managed: group.managed,
        };
        seed.check_group(&group)
            .map_err(|r| invalid(Some(line), r))?;
        seed.groups.push(group);
    }
    for member in raw.members {
        let line = line_of(text, member.email.span().start);
        let member = member
            .into_seed()
            .map_err(|(offset, reason)| invalid(Some(line_of(text, offset)), reason))?;
        seed.check_member(&member)
            .map_err(|r| invalid(Some(line), r))?;
        seed.insert_member(member);
    }
    Ok(seed)
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeed {
    name: String,
    #[serde(default = "default_true")]
    provisioning: bool,
    #[serde(default)]
    allowed_domains: Vec<String>,
    #[serde(default)]
    members: Vec<RawMember>,
    #[serde(default)]
    groups: Vec<RawGroup>,
}

fn default_true() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: Spanned<String>,
    #[serde(default)]
    managed: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    email: Spanned<String>,
    given_name: String,
    family_name: String,
    display_name: Option<String>,
    // State and kind are read as text so that a typo gets our message with
    // the expected values, not serde's.
    state: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    #[serde(default)]
    provisioned: bool,
    external_id: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
}

impl RawMember {
    /// The seed member, or the byte offset and reason of a bad value.
    fn into_seed(self) -> Result<SeedMember, (usize, String)> {
        let state = match &self.state {
            None => MemberState::Active,
            Some(state) => match state.get_ref().as_str() {
                "invited" => MemberState::Invited,
                "active" => MemberState::Active,
                "suspended" => MemberState::Suspended,
                "invite_suspended" => MemberState::InviteSuspended,
                other => {
                    return Err((
                        state.span().start,
                        format!(
                            "unknown member state {other:?} (expected invited, active, suspended, invite_suspended)"
                        ),
                    ));
                }
            },
        };
        let kind = match &self.kind {
            None => MemberKind::Member,
            Some(kind) => match kind.get_ref().as_str() {
                "member" => MemberKind::Member,
                "guest" => MemberKind::Guest,
                other => {
                    return Err((
                        kind.span().start,
                        format!("unknown member kind {other:?} (expected member, guest)"),
                    ));
                }
            },
        };
        Ok(SeedMember {
            email: self.email.into_inner(),
            given_name: self.given_name,
            family_name: self.family_name,
            display_name: self.display_name,
            state,
            kind,
            provisioned: self.provisioned,
            external_id: self.external_id,
            groups: self.groups,
        })
    }
}
