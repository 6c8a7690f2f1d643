//! Which checks a run judges: `--only GLOB` and `--skip GLOB`, matched
//! against a check's id (`okta.users.create.returns-201`) and against its
//! trial name (`core::okta.users.create.returns-201`), so a pattern can pick
//! an area, a check, or one scenario's checks.
//!
//! A pattern without wildcards names an id or an id prefix ending at a dot:
//! `okta.groups` selects every `okta.groups.*` check, as the harness's
//! `cargo test -- okta.groups` does. Wildcards are glob's: `*`, `?`, `[…]`.
//!
//! ```
//! use scimulate_suites::Selection;
//! let selection = Selection::new(&["okta.groups".into()], &["*.rename.*".into()]).unwrap();
//! assert!(selection.includes("push-group-new", "okta.groups.push.create-returns-201"));
//! assert!(!selection.includes("group-rename", "okta.groups.rename.keeps-id"));
//! assert!(!selection.includes("core", "okta.users.create.returns-201"));
//! ```

use glob::Pattern;

use crate::checks::catalogue;

/// The `--only` and `--skip` patterns of a run; the default selects every
/// check.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    only: Vec<Matcher>,
    skip: Vec<Matcher>,
}

/// A pattern that matches nothing, or that is not a glob.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SelectionError {
    #[error("{flag} {pattern:?} is not a valid pattern: {reason}")]
    Invalid {
        flag: &'static str,
        pattern: String,
        reason: String,
    },
    #[error(
        "{flag} {pattern:?} matches no check (ids look like okta.users.create.returns-201; \
         `scimulate checks` lists them)"
    )]
    NoMatch { flag: &'static str, pattern: String },
}

#[derive(Clone, Debug)]
struct Matcher {
    text: String,
    glob: Option<Pattern>,
}

impl Matcher {
    fn new(flag: &'static str, text: &str) -> Result<Self, SelectionError> {
        let wild = text.contains(['*', '?', '[']);
        let glob = if wild {
            Some(Pattern::new(text).map_err(|e| SelectionError::Invalid {
                flag,
                pattern: text.to_string(),
                reason: e.msg.to_string(),
            })?)
        } else {
            None
        };
        let matcher = Matcher {
            text: text.to_string(),
            glob,
        };
        // A pattern that can match no check is a typo, not a selection: say
        // so rather than run nothing (or everything) in silence.
        let any = catalogue().iter().any(|check| {
            matcher.matches_id(check.def.id)
                || check
                    .scenarios
                    .iter()
                    .any(|scenario| matcher.matches_trial(scenario, check.def.id))
        });
        if !any && !text.contains("::") && !text.contains('@') {
            return Err(SelectionError::NoMatch {
                flag,
                pattern: text.to_string(),
            });
        }
        Ok(matcher)
    }

    fn matches_id(&self, id: &str) -> bool {
        match &self.glob {
            Some(glob) => glob.matches(id),
            None => {
                id == self.text
                    || id
                        .strip_prefix(self.text.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            }
        }
    }

    fn matches_trial(&self, scenario: &str, id: &str) -> bool {
        let trial = format!("{scenario}::{id}");
        match &self.glob {
            Some(glob) => glob.matches(&trial),
            None => trial == self.text,
        }
    }

    fn matches(&self, scenario: &str, id: &str) -> bool {
        self.matches_id(id) || self.matches_trial(scenario, id)
    }
}

impl Selection {
    /// Parses the patterns; one that is not a glob, or that matches no check
    /// id, is an error (a pattern with `::` or `@` names scenarios, which a
    /// vendor's own scenario directory may add, so it is only parsed).
    pub fn new(only: &[String], skip: &[String]) -> Result<Self, SelectionError> {
        Ok(Selection {
            only: only
                .iter()
                .map(|p| Matcher::new("--only", p))
                .collect::<Result<_, _>>()?,
            skip: skip
                .iter()
                .map(|p| Matcher::new("--skip", p))
                .collect::<Result<_, _>>()?,
        })
    }

    /// Whether the check `id` is judged on the scenario labelled `scenario`
    /// (`push-group-new`, `push-group-new@aiw`).
    pub fn includes(&self, scenario: &str, id: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|m| m.matches(scenario, id)))
            && !self.skip.iter().any(|m| m.matches(scenario, id))
    }

    /// Whether any check of the catalogue that judges `scenario` (its name)
    /// is selected for its run labelled `label`: a scenario none of whose
    /// checks are selected need not be played.
    /// With no selection every scenario is played, a vendor's own ones
    /// (`--scenarios DIR`) with names no check judges included.
    pub fn plays(&self, scenario: &str, label: &str) -> bool {
        self.is_everything()
            || catalogue()
                .iter()
                .any(|c| c.scenarios.contains(&scenario) && self.includes(label, c.def.id))
    }

    /// `--only a, --skip b`: how the run was narrowed; `None` for all.
    pub fn describe(&self) -> Option<String> {
        let flags: Vec<String> = self
            .only
            .iter()
            .map(|m| format!("--only {}", m.text))
            .chain(self.skip.iter().map(|m| format!("--skip {}", m.text)))
            .collect();
        (!flags.is_empty()).then(|| flags.join(", "))
    }

    /// Whether every check is selected.
    pub fn is_everything(&self) -> bool {
        self.only.is_empty() && self.skip.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(only: &[&str], skip: &[&str]) -> Selection {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Selection::new(&owned(only), &owned(skip)).expect("valid patterns")
    }

    #[test]
    fn the_default_selects_everything() {
        let all = Selection::default();
        assert!(all.is_everything());
        assert!(all.includes("core", "okta.users.create.returns-201"));
    }

    #[test]
    fn a_plain_pattern_is_an_id_or_a_dotted_prefix() {
        let groups = sel(&["okta.groups"], &[]);
        assert!(groups.includes("x", "okta.groups.push.create-returns-201"));
        assert!(!groups.includes("x", "okta.groupsx.push"));
        assert!(!groups.includes("x", "okta.users.create.returns-201"));
        let one = sel(&["okta.users.create.returns-201"], &[]);
        assert!(one.includes("core", "okta.users.create.returns-201"));
        assert!(!one.includes("core", "okta.users.create.returns-201x"));
    }

    #[test]
    fn globs_match_ids_and_trial_names() {
        let musts = sel(&["1password.*"], &[]);
        assert!(musts.includes("core", "1password.users.deactivate.suspends-not-deletes"));
        assert!(!musts.includes("core", "okta.users.create.returns-201"));
        let aiw = sel(&["*@aiw::*"], &[]);
        assert!(aiw.includes("push-group-new@aiw", "okta.groups.push.create-returns-201"));
        assert!(!aiw.includes("push-group-new", "okta.groups.push.create-returns-201"));
    }

    #[test]
    fn skip_wins_over_only() {
        let s = sel(&["okta.users"], &["okta.users.create.*"]);
        assert!(!s.includes("core", "okta.users.create.returns-201"));
        assert!(s.includes("core", "okta.users.deactivate.reads-back-inactive"));
    }

    #[test]
    fn a_pattern_that_matches_no_check_is_an_error() {
        let error = Selection::new(&["okta.user".into()], &[]).unwrap_err();
        assert_eq!(
            error,
            SelectionError::NoMatch {
                flag: "--only",
                pattern: "okta.user".into()
            }
        );
        assert!(error.to_string().contains("scimulate checks"), "{error}");
        let error = Selection::new(&[], &["okta.[users".into()]).unwrap_err();
        assert!(
            matches!(error, SelectionError::Invalid { flag: "--skip", .. }),
            "{error}"
        );
    }

    #[test]
    fn scenarios_without_a_selected_check_are_not_played() {
        let s = sel(&["okta.groups"], &[]);
        assert!(s.plays("push-group-new", "push-group-new"));
        assert!(!s.plays("deactivate-suspends", "deactivate-suspends"));
    }
}
