//! What a scenario run leaves for the checks to judge: the transcript, Okta's
//! outcome of each admin action, and (when observable) the account's effects.

use scimulate_backend::{AccountSnapshot, Effect, EffectKind};
use scimulate_simulator::{ActionOutcome, Dialect, Exchange, OktaOrg};

use crate::scim_setup::Setup;

/// One scenario's run, as the checks see it.
#[derive(Debug, Clone)]
pub struct Observation {
    pub scenario: String,
    /// The Okta client dialect it was played in.
    pub dialect: Dialect,
    /// Every exchange the scenario made, Okta's and the probes', in order.
    pub exchanges: Vec<Exchange>,
    /// Okta's outcome of each admin action, in order.
    pub outcomes: Vec<ActionOutcome>,
    /// The effects the account logged during the scenario; `None` when the
    /// account is not observable (a bare SCIM URL).
    pub effects: Option<Vec<Effect>>,
    /// The e-mail (= Okta login, = userName) of the user the scenario is
    /// about, when it is about one.
    pub subject_email: String,
    /// The Okta org as the run left it (stored app user ids, push links).
    pub org: Option<OktaOrg>,
    /// The account before and after, when it is observable.
    pub before: Option<AccountSnapshot>,
    pub after: Option<AccountSnapshot>,
    /// The starting state made through the target's SCIM API before Okta's
    /// part, when its account is not observable ([`crate::scim_setup`]):
    /// its exchanges are kept apart from [`Observation::exchanges`], so no
    /// check judges them as Okta's traffic.
    pub setup: Option<Setup>,
}

impl Observation {
    /// The first exchange an action whose label starts with `action` made
    /// at `step`.
    pub fn find(&self, action: &str, step: &str) -> Option<&Exchange> {
        self.exchanges
            .iter()
            .find(|e| e.action.starts_with(action) && e.step == step)
    }

    /// Okta's outcome of the first action whose label starts with `action`.
    pub fn outcome(&self, action: &str) -> Option<&ActionOutcome> {
        self.outcomes.iter().find(|o| o.action.starts_with(action))
    }

    /// Effects matching `pick`, when the account is observable.
    pub fn effects_where(&self, pick: impl Fn(&EffectKind) -> bool) -> Option<Vec<&Effect>> {
        self.effects
            .as_ref()
            .map(|effects| effects.iter().filter(|e| pick(&e.kind)).collect())
    }
}

/// `POST /Users` → the id in its answer's body, if any.
pub fn resource_id(exchange: &Exchange) -> Option<&str> {
    body(exchange)?
        .get("id")?
        .as_str()
        .filter(|id| !id.is_empty())
}

/// The JSON body of an exchange's answer.
pub fn body(exchange: &Exchange) -> Option<&serde_json::Value> {
    exchange.response.as_ref()?.body.json()
}

/// The status of an exchange's answer.
pub fn status(exchange: &Exchange) -> Option<u16> {
    exchange.response.as_ref().map(|r| r.status)
}

/// One line saying what came back: `401 with {"detail":…}` or the transport
/// error. Bodies are cut so a verdict stays readable.
pub fn seen(exchange: &Exchange) -> String {
    match (&exchange.response, &exchange.error) {
        (Some(response), _) => {
            let body = match &response.body {
                scimulate_simulator::RecordedBody::Empty => "no body".to_string(),
                scimulate_simulator::RecordedBody::Json(v) => cut(&v.to_string()),
                scimulate_simulator::RecordedBody::Text { text, .. } => {
                    format!("text {}", cut(text))
                }
            };
            format!("{} with {body} ({})", response.status, exchange.headline())
        }
        (None, Some(error)) => format!("no answer: {error} ({})", exchange.headline()),
        (None, None) => format!("no answer ({})", exchange.headline()),
    }
}

fn cut(text: &str) -> String {
    const MAX: usize = 200;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}…")
    }
}

impl From<&Observation> for crate::record::ScenarioRecord {
    fn from(observation: &Observation) -> Self {
        crate::record::ScenarioRecord {
            name: observation.scenario.clone(),
            outcomes: observation.outcomes.clone(),
            transcript: with_setup(
                observation.setup.as_ref().map(|s| s.exchanges.clone()),
                observation.exchanges.clone(),
            ),
            effects: observation.effects.clone().unwrap_or_default(),
        }
    }
}

impl From<Observation> for crate::record::ScenarioRecord {
    /// Moves the exchanges and effects: a big import's pages are held once.
    fn from(observation: Observation) -> Self {
        crate::record::ScenarioRecord {
            name: observation.scenario,
            outcomes: observation.outcomes,
            transcript: with_setup(
                observation.setup.map(|s| s.exchanges),
                observation.exchanges,
            ),
            effects: observation.effects.unwrap_or_default(),
        }
    }
}

/// The transcript of a scenario whose starting state was made through SCIM:
/// setup's exchanges (numbered first, action `setup`), then Okta's.
fn with_setup(setup: Option<Vec<Exchange>>, okta: Vec<Exchange>) -> Vec<Exchange> {
    match setup {
        Some(mut exchanges) if !exchanges.is_empty() => {
            exchanges.extend(okta);
            exchanges
        }
        _ => okta,
    }
}
