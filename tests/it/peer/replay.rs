//! Every built-in scenario replayed on the peers: the simulator must play
//! Okta against servers nobody here wrote, deviations and all, without
//! failing itself — every exchange answered or its error recorded, every
//! admin action ending in an outcome. Each scenario carries its own tag in
//! every login, e-mail and group name, so scenarios never meet on the
//! shared server.

use std::time::Duration;

use scimulate_simulator::{ActionResult, ClientSettings};
use scimulate_suites::{ExternalTarget, Library, PlayOptions, play_external};

use super::server::PeerServer;

/// One exchange may take this long on a peer.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(10);

/// Plays every scenario, in each of its dialects, on the peer `script`
/// starts. Returns one line per scenario and dialect for the report, or the
/// problems found.
pub(super) async fn replay_on(name: &'static str, script: &str) -> Result<Vec<String>, String> {
    let server = PeerServer::start(name, script)?;
    let target = server.target();
    let scenarios = Library::builtin()
        .scenarios()
        .map_err(|e| format!("built-in scenarios: {e}"))?;
    let options = PlayOptions {
        client: ClientSettings {
            timeout: EXCHANGE_TIMEOUT,
            ..ClientSettings::default()
        },
        ..PlayOptions::default()
    };
    let parsed = target.parsed();
    let external = ExternalTarget {
        target: &parsed,
        observer: None,
    };
    let mut report = Vec::new();
    let mut problems = Vec::new();
    for (n, scenario) in scenarios.iter().enumerate() {
        if let Some(reason) = scenario.needs_seeded_account() {
            report.push(format!("{name}: {}: not replayed: {reason}", scenario.name));
            continue;
        }
        for dialect in &scenario.dialects {
            let label = format!("{name}: {} ({dialect:?})", scenario.name);
            let tag = format!("s{n}{}", format!("{dialect:?}").to_lowercase());
            let played = match play_external(scenario, *dialect, &external, &tag, &options).await {
                Ok(played) => played,
                Err(e) => {
                    problems.push(format!("{label}: the simulator failed: {e}"));
                    continue;
                }
            };
            let observation = played.observation;
            for exchange in &observation.exchanges {
                if exchange.response.is_none() && exchange.error.is_none() {
                    problems.push(format!(
                        "{label}: {} has neither an answer nor an error",
                        exchange.headline()
                    ));
                }
            }
            let ran = scenario
                .actions
                .iter()
                .filter(|a| !matches!(a, scimulate_simulator::AdminAction::Suspend { .. }))
                .count();
            if observation.outcomes.len() < ran.min(1) {
                problems.push(format!("{label}: no admin action ended in an outcome"));
            }
            let failed: Vec<String> = observation
                .outcomes
                .iter()
                .filter_map(|o| match &o.result {
                    ActionResult::Failed(failure) => {
                        Some(format!("{}: {:?}", o.action, failure.kind))
                    }
                    _ => None,
                })
                .collect();
            report.push(format!(
                "{label}: {} exchanges, {} actions, failed: {}",
                observation.exchanges.len(),
                observation.outcomes.len(),
                if failed.is_empty() {
                    "none".to_string()
                } else {
                    failed.join("; ")
                }
            ));
        }
    }
    drop(server);
    if problems.is_empty() {
        Ok(report)
    } else {
        Err(problems.join("\n"))
    }
}
