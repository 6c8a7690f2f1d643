//! The check catalogue judged on the peers, with `--profile scim` (RFC and
//! Okta rules; 1Password's are skipped, and so are scenarios whose premise
//! is one): each peer must fail exactly the checks its real deviations
//! explain, and nothing the RFCs allow. The tables are in the README
//! ("Verdicts on third-party SCIM servers").

use std::collections::BTreeSet;

use scimulate_simulator::Dialect;
use scimulate_suites::{Profile, RunOptions, RunRecord, TargetSpec, Verdict, run};

use super::server::PeerServer;

/// What each peer fails, and why (every line a deviation the RFCs do not
/// allow; shared/targets/README.md names most of them).
pub(super) const EXPECTED: &[(&str, &[(&str, &str)])] = &[
    ("scim2-server", &[]),
    (
        "SCIMMY",
        &[
            (
                "scim.users.create.location-header",
                "no Location header on 201 (RFC 7644 §3.3: SHALL)",
            ),
            (
                "okta.users.existence-check.any-case",
                "userName eq compares case-sensitively (RFC 7643 §4.1: caseExact false)",
            ),
            (
                "scim.users.filter.eq-matches-exactly",
                "the same: a created user is not found by its userName in another case \
                 (RFC 7643 §4.1.1: caseExact false; RFC 7644 §3.4.2.2); blocked by the \
                 existence check's failure, which owns that deviation",
            ),
            (
                "okta.users.assign.succeeds",
                "the same: Okta's lookup of Ivan@ACME.com misses ivan@acme.com, its create is \
                 refused 409 (RFC 7643 §4.1: caseExact false)",
            ),
            (
                "okta.users.assign.links-existing-user",
                "the same: the existing person is not found, so Okta cannot link it (RFC 7643 \
                 §4.1)",
            ),
            (
                "okta.import.paging.items-per-page",
                "itemsPerPage echoes the requested count, not the resources returned (RFC 7644 \
                 §3.4.2: \"The number of resources returned in a list response page\")",
            ),
            (
                "scim.discovery.username-as-advertised",
                "the same: /Schemas says caseExact false, filters behave as true",
            ),
            (
                "scim.auth.www-authenticate",
                "401 without WWW-Authenticate (RFC 6750 §3, RFC 9110 §11.6.1: MUST)",
            ),
            (
                "scim.errors.invalid-filter-400",
                "filter=userName eq (no value) answers 200, not 400 invalidFilter (RFC 7644 §3.4.2.2)",
            ),
            (
                "scim.discovery.filter-as-advertised",
                "the same: filter.supported true, a bad filter not refused",
            ),
            (
                "scim.groups.members.listed-once",
                "adding a member the group has lists it twice (RFC 7644 §3.5.2.1: SHOULD make no change)",
            ),
        ],
    ),
];

/// Runs the catalogue against `server` with the scim profile.
pub(super) async fn judge(server: &PeerServer) -> RunRecord {
    let target = server.target();
    let mut options = RunOptions::new(TargetSpec::External {
        target: target.parsed(),
        backend_url: None,
    });
    options.profile = Profile::Scim;
    // Both of Okta's dialects, each with its own tags (`--dialect all`).
    options.dialects = vec![Dialect::Oin, Dialect::Aiw];
    options.client.timeout = std::time::Duration::from_secs(10);
    run(options).await.expect("the run can be made on the peer")
}

/// The ids of every check turned red: failed, or blocked by the failure
/// that owns its cause (a deviation is caught either way; one cause is
/// one failure).
pub(super) fn red(record: &RunRecord) -> BTreeSet<&'static str> {
    record
        .results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Failed { .. } | Verdict::Blocked { .. }))
        .map(|r| r.id)
        .collect()
}

/// The ids of every failed check.
pub(super) fn failed(record: &RunRecord) -> BTreeSet<&'static str> {
    record
        .results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Failed { .. }))
        .map(|r| r.id)
        .collect()
}

/// The results skipped for anything but the profile's 1Password rules,
/// and how many results that leaves (the issue 12 bound: at most 6% of
/// them, each naming the state SCIM cannot express).
pub(super) fn other_skips(record: &RunRecord) -> (Vec<String>, usize) {
    let profile = |reason: &str| reason.contains("1Password rule");
    let mut others = Vec::new();
    let mut rest = 0;
    for result in &record.results {
        match &result.verdict {
            Verdict::Skipped { reason } if profile(reason) => {}
            Verdict::Skipped { reason } => {
                rest += 1;
                others.push(format!("{}::{}: {reason}", result.scenario, result.id));
            }
            _ => rest += 1,
        }
    }
    (others, rest)
}

/// A line for the README table: passed, failed, skipped.
pub(super) fn summary_line(name: &str, record: &RunRecord) -> String {
    let summary = record.summary();
    format!(
        "{name}: {} passed, {} failed, {} skipped; failed: {:?}",
        summary.passed,
        summary.failed,
        summary.skipped,
        failed(record)
    )
}
