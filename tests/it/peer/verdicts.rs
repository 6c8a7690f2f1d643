//! The check catalogue judged on the peers, with `--profile scim` (RFC and
//! Okta rules; 1Password's are skipped, and so are scenarios whose premise
//! is one): each peer must fail exactly the checks its real deviations
//! explain, and nothing the RFCs allow. The tables are in the README
//! ("Verdicts on third-party SCIM servers").

use std::collections::BTreeSet;

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
                "okta.users.create.location-header",
                "no Location header on 201 (RFC 7644 §3.3: SHALL)",
            ),
            (
                "okta.users.existence-check.any-case",
                "userName eq compares case-sensitively (RFC 7643 §4.1: caseExact false)",
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
    options.client.timeout = std::time::Duration::from_secs(10);
    run(options).await.expect("the run can be made on the peer")
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
