//! `first-user`: Okta's connection test, one new user assigned, then
//! deactivated; with read-back and authentication probes. The smallest run
//! that says whether a bridge provisions and deprovisions correctly.
//!
//! Calls (OIN dialect, `okta-scim-wire.md` §13): `GET /Users?startIndex=1&count=2`;
//! `GET /Users?filter=userName eq "…"` → `POST /Users`; `PATCH` `{"active":false}`.

use scimulate_simulator::{AdminAction, App, Engine, OktaOrg, Probe, ProbeAuth, UserProfile};

use super::{ScenarioContext, ScenarioError};
use crate::observation::Observation;

pub const NAME: &str = "first-user";

/// Action label prefixes and step names the checks look for.
pub const TEST_CONNECTION: &str = "test API credentials";
pub const ASSIGN: &str = "assign";
pub const DEACTIVATE: &str = "deactivate";
pub const VERIFY: &str = "verify";
pub const READ_AFTER_CREATE: &str = "read back after create";
pub const READ_AFTER_DEACTIVATE: &str = "read back after deactivate";
pub const AUTH: &str = "probe authentication";
pub const NO_TOKEN: &str = "no token";
pub const WRONG_TOKEN: &str = "wrong token";

/// Plays the scenario.
pub async fn run(ctx: &ScenarioContext<'_>) -> Result<Observation, ScenarioError> {
    let login = format!("ada.lovelace.{}@{}", ctx.run_id, ctx.email_domain);
    let mut org = OktaOrg::new(ctx.seed, App::default());
    let mut profile = UserProfile::new(&login, &login, "Ada", "Lovelace");
    profile.display_name = Some("Ada Lovelace".into());
    profile.locale = Some("en-US".into());
    org.add_user(profile).map_err(|source| ScenarioError::Org {
        scenario: NAME,
        source,
    })?;
    let mark = ctx.effects_mark(NAME).await?;
    let first = ctx.client.transcript().len();
    let mut engine = Engine::new(org, ctx.client.clone());
    let engine_error = |source| ScenarioError::Engine {
        scenario: NAME,
        source,
    };

    engine
        .run(&AdminAction::TestConnection)
        .await
        .map_err(engine_error)?;
    let page = || Probe::page("Users", 1, 1);
    ctx.client
        .probe(AUTH, NO_TOKEN, page().auth(ProbeAuth::Missing))
        .await;
    ctx.client
        .probe(AUTH, WRONG_TOKEN, page().auth(ProbeAuth::Wrong))
        .await;

    engine
        .run(&AdminAction::Assign {
            user: login.clone(),
        })
        .await
        .map_err(engine_error)?;
    let scim_id = engine
        .org()
        .user(&login)
        .and_then(|u| u.app_user.scim_id.clone());
    if let Some(id) = &scim_id {
        ctx.client
            .probe(VERIFY, READ_AFTER_CREATE, Probe::get("Users", Some(id)))
            .await;
    }

    engine
        .run(&AdminAction::Deactivate {
            user: login.clone(),
        })
        .await
        .map_err(engine_error)?;
    if let Some(id) = &scim_id {
        ctx.client
            .probe(VERIFY, READ_AFTER_DEACTIVATE, Probe::get("Users", Some(id)))
            .await;
    }

    let exchanges = ctx
        .client
        .transcript()
        .as_slice()
        .get(first..)
        .map(<[_]>::to_vec)
        .unwrap_or_default();
    Ok(Observation {
        scenario: NAME.to_string(),
        dialect: engine.org().app().dialect,
        exchanges,
        outcomes: engine.outcomes().to_vec(),
        effects: ctx.effects_since(NAME, mark).await?,
        subject_email: login,
        org: Some(engine.org().clone()),
        before: None,
        after: None,
    })
}
