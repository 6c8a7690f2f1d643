//! Waivers: known, accepted failures. A waivers file lists check ids (and
//! optionally the scenario and an expiry date) with the reason; a failure it
//! covers becomes "waived", with the reason shown. An expired waiver waives
//! nothing and is reported, so an accepted failure cannot be forgotten. A
//! waiver naming a renamed check's old id ([`crate::aliases`]) waives the
//! check under its new id, with a note to write the new one.
//!
//! ```toml
//! [[waiver]]
//! id = "scim.users.create.location-header"
//! scenario = "core"           # optional: every scenario when left out
//! reason = "Location lands in release 4.2 (TICKET-123)"
//! expires = "2027-03-31"      # optional
//! ```

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::scenario::FixtureError;
use crate::verdict::{CheckResult, Verdict};

/// One accepted failure.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    pub id: String,
    #[serde(default)]
    pub scenario: Option<String>,
    pub reason: String,
    #[serde(default)]
    pub expires: Option<NaiveDate>,
    /// The old id the file named, when the check was renamed since.
    #[serde(skip)]
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiversFile {
    #[serde(default)]
    waiver: Vec<Waiver>,
}

/// Every waiver of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Waivers(pub Vec<Waiver>);

impl Waivers {
    /// Reads a waivers file; errors name the file and line.
    pub fn from_path(path: &Path) -> Result<Self, FixtureError> {
        let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// Parses waivers; `origin` names the text in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, FixtureError> {
        let file: WaiversFile = toml::from_str(text).map_err(|e| FixtureError::Parse {
            origin: origin.to_string(),
            line: e
                .span()
                .and_then(|span| text.get(..span.start))
                .map_or(1, |before| before.matches('\n').count() + 1),
            reason: e.message().trim().to_string(),
        })?;
        let mut file = file;
        for waiver in &mut file.waiver {
            let current = crate::aliases::current(&waiver.id).to_string();
            if current != waiver.id {
                waiver.renamed_from = Some(std::mem::replace(&mut waiver.id, current));
            }
        }
        let known: Vec<&str> = crate::checks::catalogue()
            .iter()
            .map(|c| c.def.id)
            .collect();
        if let Some(unknown) = file.waiver.iter().find(|w| !known.contains(&w.id.as_str())) {
            return Err(FixtureError::Invalid {
                origin: origin.to_string(),
                reason: format!(
                    "waiver for unknown check {:?} (see `scimulate checks`)",
                    unknown.id
                ),
            });
        }
        Ok(Waivers(file.waiver))
    }

    /// Waives the failures the waivers cover, as of `today`; returns notes
    /// about expired and unused waivers.
    pub fn apply(&self, results: &mut [CheckResult], today: NaiveDate) -> Vec<String> {
        let mut notes = Vec::new();
        for waiver in &self.0 {
            if let Some(old) = &waiver.renamed_from {
                notes.push(format!(
                    "a waiver names {old}, which is now {}: it still applies; write the new id \
                     (the old one is deprecated)",
                    waiver.id
                ));
            }
            let expired = waiver.expires.is_some_and(|date| date < today);
            let mut used = false;
            // A check the run did not judge (`--only`, `--skip`) says
            // nothing about its waiver.
            let mut judged = false;
            for result in results.iter_mut().filter(|r| {
                r.id == waiver.id && waiver.scenario.as_deref().is_none_or(|s| s == r.scenario)
            }) {
                // A skipped check says nothing about whether its waiver is
                // still needed.
                judged |= matches!(result.verdict, Verdict::Passed | Verdict::Failed { .. });
                let Verdict::Failed { evidence } = &result.verdict else {
                    continue;
                };
                used = true;
                if !expired {
                    result.verdict = Verdict::Waived {
                        reason: waiver.reason.clone(),
                        evidence: evidence.clone(),
                    };
                }
            }
            if expired && used {
                notes.push(format!(
                    "the waiver for {} expired on {}: its failure counts again",
                    waiver.id,
                    waiver.expires.map(|d| d.to_string()).unwrap_or_default()
                ));
            } else if judged && !used {
                notes.push(format!(
                    "the waiver for {} waived nothing: the check did not fail (remove it?)",
                    waiver.id
                ));
            }
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckDef, Level, Needs};
    use crate::verdict::Evidence;

    const DEF: CheckDef = CheckDef {
        id: "okta.users.create.returns-201",
        level: Level::Must,
        title: "",
        sources: &[],
        needs: Needs::Scim,
        hint: "",
    };

    fn failed(scenario: &str) -> CheckResult {
        CheckResult::new(
            &DEF,
            scenario,
            Verdict::failed(Evidence::new("step", "201", "200")),
        )
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn waivers(text: &str) -> Waivers {
        Waivers::from_toml(text, "waivers.toml").unwrap()
    }

    #[test]
    fn a_waiver_turns_the_failure_into_waived_and_the_run_passes() {
        let mut results = vec![failed("core")];
        let notes = waivers(
            "[[waiver]]\nid = \"okta.users.create.returns-201\"\nreason = \"known, TICKET-1\"\n",
        )
        .apply(&mut results, day("2026-11-24"));
        assert!(notes.is_empty(), "{notes:?}");
        assert!(
            matches!(&results[0].verdict, Verdict::Waived { reason, .. } if reason == "known, TICKET-1")
        );
        assert!(!results[0].fails_run());
    }

    #[test]
    fn an_expired_waiver_waives_nothing_and_says_so() {
        let mut results = vec![failed("core")];
        let notes = waivers(
            "[[waiver]]\nid = \"okta.users.create.returns-201\"\nreason = \"r\"\nexpires = \"2026-01-01\"\n",
        )
        .apply(&mut results, day("2026-11-24"));
        assert!(results[0].fails_run());
        assert!(notes[0].contains("expired on 2026-01-01"), "{notes:?}");
    }

    #[test]
    fn a_scenario_waiver_covers_only_that_scenario() {
        let mut results = vec![failed("core"), failed("new-user-invited")];
        waivers(
            "[[waiver]]\nid = \"okta.users.create.returns-201\"\nscenario = \"core\"\nreason = \"r\"\n",
        )
        .apply(&mut results, day("2026-11-24"));
        assert!(!results[0].fails_run());
        assert!(results[1].fails_run());
    }

    #[test]
    fn an_unused_waiver_is_reported() {
        let mut results = vec![CheckResult::new(&DEF, "core", Verdict::Passed)];
        let notes = waivers("[[waiver]]\nid = \"okta.users.create.returns-201\"\nreason = \"r\"\n")
            .apply(&mut results, day("2026-11-24"));
        assert!(notes[0].contains("waived nothing"), "{notes:?}");
    }

    #[test]
    fn a_waiver_naming_a_renamed_check_still_waives_it_with_a_note() {
        let renamed = CheckDef {
            id: "scim.users.create.location-header",
            ..DEF
        };
        let mut results = vec![CheckResult::new(
            &renamed,
            "core",
            Verdict::failed(Evidence::new("step", "Location", "none")),
        )];
        let notes =
            waivers("[[waiver]]\nid = \"okta.users.create.location-header\"\nreason = \"r\"\n")
                .apply(&mut results, day("2026-11-24"));
        assert!(matches!(results[0].verdict, Verdict::Waived { .. }));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("okta.users.create.location-header")
                && notes[0].contains("now scim.users.create.location-header")
                && notes[0].contains("deprecated"),
            "{notes:?}"
        );
    }

    #[test]
    fn bad_files_name_the_line_or_the_check() {
        let error = Waivers::from_toml("[[waiver]]\nid = 3\n", "w.toml")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("w.toml: line 2:"), "{error}");
        let error = Waivers::from_toml("[[waiver]]\nid = \"nope\"\nreason = \"r\"\n", "w.toml")
            .unwrap_err()
            .to_string();
        assert!(error.contains("unknown check \"nope\""), "{error}");
    }
}
