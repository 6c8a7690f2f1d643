//! One cause, one failure. When a step is refused, the checks that judge
//! what it should have produced cannot say anything about the target: they
//! are `blocked` by the check that failed for the refusal, which alone
//! fails, with the hint that fits. Applied to a run's results after
//! judging, before waivers.
//!
//! The rules, in order:
//!
//! 1. **A refused request** is an exchange answered with an error status
//!    (or not at all) that a failed check cites, outside the probes whose
//!    point is an error answer (`probe errors`, `probe authentication`),
//!    or one whose answer failed Okta's task (a 200 Okta could not use).
//!    Of the failed results in a scenario whose first cited refused
//!    exchange is the same, the root is the one whose step is that
//!    exchange's, else the first MUST, else the first in judged order; the
//!    others are blocked by it.
//! 2. **A step never sent.** A failed result that cites no exchange (the
//!    step it judges was never sent, or only the account's effects show
//!    it), in a scenario where an Okta task failed or was not sent and a
//!    root exists, is blocked by the root of that action's refused request,
//!    else by the scenario's first root. Effects it cites are evidence of
//!    its own (a member deleted) when that refusal was about state (404,
//!    409); after a request refused for itself (400, 5xx, no answer), or
//!    when they are only the account's refusals, they show nothing of
//!    their own.
//!
//!    When no check failed on the answer that stopped Okta (a 200 it could
//!    not use), the first failure quoting nothing of its own becomes the
//!    one failure: it quotes that answer and Okta's message, and its hint
//!    says to fix that answer.
//!
//! A 5xx (or no answer) is owned by `scim.errors.no-server-errors` when
//! it failed on it (after the rule that a MUST failure comes first).
//! 3. **The same refusal in another scenario.** A root whose refused
//!    request is a write of the same kind (method, path with ids as `{id}`,
//!    PATCH operations' shape, status) as an earlier root's is blocked by
//!    it. Only writes refused for their form count (4xx but 401, 404, 409
//!    and 429, which speak of the state, the token or the rate, not of
//!    the request): a read answered 404 in two scenarios is two findings.
//!    An answer Okta could not use (its task failed on a 200) counts by
//!    request and Okta's failure kind.
//! 4. **Test data refused.** A root whose refused request is the create of
//!    a user scimulate named (it carries the run id), refused for its form
//!    (a 4xx but 401, 404, 409 and 429, as in rule 3) with a reason about
//!    its domain or userName, gets the hint that fixes it: `--email-domain`.
//!    A 409 ("userName already in use") is about what the target holds.
//!
//! 5. **A refusal that never came.** A check about how a refusal reaches
//!    Okta, failed because nothing was refused, is blocked by a check that
//!    failed on that same accepted write in the scenario (the rule that
//!    demands the refusal owns the failure).
//!
//! 6. **A deviation another check owns.** A read-back that meets a
//!    deviation an earlier check is about (a `userName eq` in another case
//!    that finds nobody: `okta.users.existence-check.any-case`) waits on
//!    that check's first failure when it failed in the run.
//!
//! A MUST result is only ever blocked by a MUST failure, so the run's exit
//! code never hides a MUST check behind a SHOULD one.

use std::collections::BTreeMap;

use scimulate_backend::{Effect, EffectKind};
use scimulate_simulator::{ActionOutcome, ActionResult, Exchange};

use crate::check::Level;
use crate::observation::Observation;
use crate::record::ScenarioRecord;
use crate::verdict::{BlockedBy, CheckResult, Verdict};

mod refusal;
mod same_deviation;
pub use refusal::NOTHING_REFUSED;
use refusal::{answer, kind, request_shape, test_data_refused};

/// The check a 5xx answer is about: it owns the failure when it failed on
/// the same answer.
const SERVER_ERRORS: &str = "scim.errors.no-server-errors";

/// Probes whose point is an error answer: an error there is no refusal.
const ERROR_PROBES: &[&str] = &["probe errors", "probe authentication"];

/// The hint of a root whose refused request is scimulate's own test data.
pub const TEST_DATA_HINT: &str = "the target refused scimulate's test user itself (its e-mail \
     domain or userName), not a step of Okta's: run again with --email-domain set to a domain \
     the target accepts (SCIMULATE_EMAIL_DOMAIN under cargo test)";

/// Applies the rules above to `results`, whose scenarios' transcripts are
/// in `scenarios` (results of a scenario not there are left alone).
pub fn resolve(results: &mut [CheckResult], scenarios: &[ScenarioRecord]) {
    let mut roots: Vec<Root> = Vec::new();
    for scenario in scenarios {
        within(
            results,
            Scenario {
                name: &scenario.name,
                transcript: &scenario.transcript,
                outcomes: &scenario.outcomes,
                effects: &scenario.effects,
            },
            &mut roots,
        );
    }
    across(results, &roots);
    for (i, root, reason) in same_deviation::already_owned(results, scenarios) {
        block(results, i, root, reason);
    }
}

/// Rules 1, 2 and 4 on the results of one scenario, labelled `label`
/// (`cargo test`'s trials judge a scenario at a time: rule 3 needs the
/// whole run).
pub fn resolve_scenario(results: &mut [CheckResult], label: &str, observation: &Observation) {
    within(
        results,
        Scenario {
            name: label,
            transcript: &observation.exchanges,
            outcomes: &observation.outcomes,
            effects: observation.effects.as_deref().unwrap_or_default(),
        },
        &mut Vec::new(),
    );
}

/// What the rules read of a scenario's run.
struct Scenario<'a> {
    name: &'a str,
    transcript: &'a [Exchange],
    outcomes: &'a [ActionOutcome],
    effects: &'a [Effect],
}

/// A failed result that stays failed: the one failure of its cause.
struct Root {
    index: usize,
    level: Level,
    /// The kind of request refused, for rule 3.
    kind: String,
    /// `PATCH /Groups/{id} (replace without path) → 400`, for the reason.
    described: String,
    /// `#9 PATCH /Groups/…`: the refused exchange itself.
    headline: String,
    scenario: String,
}

/// Rules 1, 2 and 4 on one scenario's results.
fn within(results: &mut [CheckResult], scenario: Scenario<'_>, roots: &mut Vec<Root>) {
    let transcript: BTreeMap<u64, &Exchange> =
        scenario.transcript.iter().map(|e| (e.number, e)).collect();
    // Okta's own verdict counts too: a 200 it could not use (a string
    // totalResults) failed its task as surely as a 400.
    let okta_failed: Vec<u64> = scenario
        .outcomes
        .iter()
        .filter_map(|o| o.failure()?.exchange)
        .collect();
    let refused = |number: &u64| {
        transcript
            .get(number)
            .filter(|e| is_refused(e) || okta_failed.contains(number))
            .copied()
    };
    let indices: Vec<usize> = (0..results.len())
        .filter(|&i| results[i].scenario == scenario.name)
        .collect();

    // Rule 1: group the failures by their first refused exchange.
    let mut groups: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for &i in &indices {
        if let Verdict::Failed { evidence } = &results[i].verdict
            && let Some(exchange) = evidence.exchanges.iter().find_map(refused)
        {
            groups.entry(exchange.number).or_default().push(i);
        }
    }
    // (exchange, root index) of this scenario, by exchange number.
    let mut local: Vec<(&Exchange, usize)> = Vec::new();
    for (number, members) in &groups {
        let exchange = transcript[number];
        // The check about that very step, else the first MUST, else the
        // first.
        let step = format!("{}: {}", exchange.action, exchange.step);
        let server_error = exchange.response.as_ref().is_none_or(|r| r.status >= 500);
        let Some(&root) = members.iter().min_by_key(|&&i| {
            let owner = server_error && results[i].id == SERVER_ERRORS;
            let about = matches!(&results[i].verdict, Verdict::Failed { evidence } if evidence.step == step);
            (results[i].level, !owner, !about, i)
        }) else {
            continue;
        };
        for &i in members.iter().filter(|&&i| i != root) {
            block(
                results,
                i,
                root,
                format!(
                    "it judges the answer {} → {} that {} failed on",
                    exchange.headline(),
                    answer(exchange),
                    results[root].id
                ),
            );
        }
        if test_data_refused(exchange)
            && let Verdict::Failed { evidence } = &mut results[root].verdict
        {
            evidence.hint = Some(TEST_DATA_HINT.to_string());
        }
        local.push((exchange, root));
        roots.push(Root {
            index: root,
            level: results[root].level,
            kind: root_kind(exchange, scenario.outcomes),
            described: format!("{} → {}", request_shape(exchange), answer(exchange)),
            headline: exchange.headline(),
            scenario: scenario.name.to_string(),
        });
    }

    for (i, root, reason) in refusal::never_came(results, &indices) {
        block(results, i, root, reason);
    }

    // Rule 2: what was never sent waits on the refusal that stopped Okta.
    let okta_stopped = scenario
        .outcomes
        .iter()
        .any(|o| !matches!(o.result, ActionResult::Succeeded));
    if !okta_stopped {
        return;
    }
    // The answer that stopped Okta, and Okta's message, when one did.
    let okta_failure: Option<(&Exchange, String)> = scenario.outcomes.iter().find_map(|o| {
        let failure = o.failure()?;
        Some((
            *transcript.get(&failure.exchange?)?,
            failure.message.clone(),
        ))
    });
    if local.is_empty() && okta_failure.is_none() {
        // Okta sent nothing for a reason no answer shows (the admin
        // cannot pick a group an import missed): the scenario's first
        // failure that quotes an exchange explains it.
        let explains = indices.iter().copied().find(|&i| {
            matches!(&results[i].verdict, Verdict::Failed { evidence } if !evidence.exchanges.is_empty())
        });
        if let Some(root) = explains {
            for &i in &indices {
                let quotes_nothing = matches!(&results[i].verdict, Verdict::Failed { evidence }
                    if evidence.exchanges.is_empty() && evidence.effects.is_empty());
                if quotes_nothing && results[root].level <= results[i].level {
                    let at = match &results[root].verdict {
                        Verdict::Failed { evidence } => evidence
                            .exchanges
                            .first()
                            .map_or(String::new(), |n| format!(" (#{n})")),
                        _ => String::new(),
                    };
                    block(
                        results,
                        i,
                        root,
                        format!(
                            "what it judges was never sent: Okta stopped, as {}{at} explains",
                            results[root].id
                        ),
                    );
                }
            }
        }
        return;
    }
    for &i in &indices {
        let Verdict::Failed { evidence } = &results[i].verdict else {
            continue;
        };
        if !evidence.exchanges.is_empty() {
            continue;
        }
        let quotes_nothing = evidence.effects.is_empty();
        let refusals_only = evidence.effects.iter().all(|seq| {
            scenario
                .effects
                .iter()
                .any(|e| e.seq == *seq && matches!(e.kind, EffectKind::Refused { .. }))
        });
        let level = results[i].level;
        let eligible = local
            .iter()
            .filter(|(_, root)| results[*root].level <= level)
            .collect::<Vec<_>>();
        if eligible.is_empty() {
            // No failure of its level quotes the answer that stopped Okta
            // (a 200 it could not use, say): the first that quotes nothing
            // of its own becomes the one failure, quoting that answer and
            // Okta's message.
            if let Some((exchange, message)) = &okta_failure
                && quotes_nothing
            {
                promote(results, i, exchange, message);
                local.push((exchange, i));
                roots.push(Root {
                    index: i,
                    level,
                    kind: root_kind(exchange, scenario.outcomes),
                    described: format!("{} → {}", request_shape(exchange), answer(exchange)),
                    headline: exchange.headline(),
                    scenario: scenario.name.to_string(),
                });
            }
            continue;
        }
        let Verdict::Failed { evidence } = &results[i].verdict else {
            continue;
        };
        let same_action = eligible.iter().find(|(exchange, _)| {
            evidence.step.starts_with(&exchange.action)
                || exchange.action.starts_with(&evidence.step)
        });
        let Some((exchange, root)) = same_action.or(eligible.first()).copied() else {
            continue;
        };
        // Effects it quotes are evidence of its own (a member deleted)
        // when the refusal speaks of the state they made (404, 409): only
        // a request refused for itself, or the account's own refusals,
        // leave them nothing to show.
        if !refusals_only && state_refusal(exchange) {
            continue;
        }
        block(
            results,
            i,
            *root,
            format!(
                "what it judges comes after {}, which was refused ({}): Okta stopped there",
                exchange.headline(),
                answer(exchange)
            ),
        );
    }
}

/// The kind of refusal a root stands for, for rule 3: a write refused for
/// its form, or an answer Okta could not use (by request and Okta's
/// failure kind); empty when neither.
fn root_kind(exchange: &Exchange, outcomes: &[ActionOutcome]) -> String {
    kind(exchange)
        .or_else(|| {
            let failure = outcomes
                .iter()
                .filter_map(|o| o.failure())
                .find(|f| f.exchange == Some(exchange.number))?;
            Some(format!(
                "{} → Okta: {:?}",
                request_shape(exchange),
                failure.kind
            ))
        })
        .unwrap_or_default()
}

/// Makes result `i` the one failure of a stop no check quoted: it quotes
/// the answer Okta failed on and Okta's message, and says to fix that.
fn promote(results: &mut [CheckResult], i: usize, exchange: &Exchange, message: &str) {
    if let Verdict::Failed { evidence } = &mut results[i].verdict {
        evidence.exchanges.push(exchange.number);
        evidence.seen = format!(
            "{}; Okta stopped at {}: {message}",
            evidence.seen,
            exchange.headline()
        );
        evidence.hint = Some(format!(
            "nothing of this step was sent: Okta's task failed earlier, on {} (\"{message}\"); \
             fix that answer and this step is judged",
            exchange.headline()
        ));
    }
}

/// Rule 3: a root refused like an earlier one waits on it, and so do the
/// results that waited on it.
fn across(results: &mut [CheckResult], roots: &[Root]) {
    for (n, root) in roots.iter().enumerate() {
        if root.kind.is_empty() {
            continue;
        }
        let Some(earlier) = roots[..n]
            .iter()
            .find(|r| r.kind == root.kind && r.level <= root.level && r.index != root.index)
        else {
            continue;
        };
        if !matches!(results[earlier.index].verdict, Verdict::Failed { .. }) {
            continue;
        }
        let reason = format!(
            "{} is the request refused in scenario {} ({})",
            root.headline, earlier.scenario, root.described
        );
        let (old, new) = (by_of(&results[root.index]), by_of(&results[earlier.index]));
        block(results, root.index, earlier.index, reason);
        for result in results.iter_mut() {
            if let Verdict::Blocked { by, .. } = &mut result.verdict
                && *by == old
            {
                *by = new.clone();
            }
        }
    }
}

fn by_of(result: &CheckResult) -> BlockedBy {
    BlockedBy {
        id: result.id.to_string(),
        scenario: result.scenario.clone(),
    }
}

/// Blocks result `i` by result `root`.
fn block(results: &mut [CheckResult], i: usize, root: usize, reason: String) {
    let by = by_of(&results[root]);
    results[i].verdict = Verdict::Blocked { by, reason };
}

/// Answered with an error status (or not at all), outside the error probes.
fn is_refused(exchange: &Exchange) -> bool {
    let error = match &exchange.response {
        Some(response) => response.status >= 400,
        None => true,
    };
    error && !ERROR_PROBES.iter().any(|p| exchange.action.starts_with(p))
}

/// Refused because of what the target holds (404 gone, 409 taken), not
/// because of the request.
fn state_refusal(exchange: &Exchange) -> bool {
    exchange
        .response
        .as_ref()
        .is_some_and(|r| [404, 409].contains(&r.status))
}
