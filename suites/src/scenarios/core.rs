//! `core`: what every bridge is asked, black-box, with a user of its own —
//! discovery, Okta's connection test, authentication, one new user created
//! (read back, looked up in two cases), the error answers Okta depends on,
//! 1Password's display-name rule, and the user deactivated.
//!
//! Okta's own calls (OIN dialect, docs/okta-wire.md#13-call-sequences):
//! `GET /Users?startIndex=1&count=2` (and `GET /Groups?startIndex=1&count=100`
//! for 1Password's app, which pushes groups); `GET /Users?filter=userName eq "…"` →
//! `POST /Users`; `PATCH` `{"active":false}`. Everything else is a probe
//! under its own action label, never mistaken for Okta's traffic.

use scimulate_backend::AccountSnapshot;
use scimulate_simulator::{AdminAction, App, Engine, OktaOrg, Probe, ProbeAuth, UserProfile};
use serde_json::json;

use super::{ScenarioContext, ScenarioError};
use crate::observation::Observation;

pub const NAME: &str = "core";

/// Action labels (prefixes) and step names the checks look for.
pub const TEST_CONNECTION: &str = "test API credentials";
pub const ASSIGN: &str = "assign";
pub const DEACTIVATE: &str = "deactivate";
pub const DISCOVERY: &str = "probe discovery";
pub const SERVICE_PROVIDER_CONFIG: &str = "service provider config";
pub const RESOURCE_TYPES: &str = "resource types";
pub const SCHEMAS: &str = "schemas";
pub const AUTH: &str = "probe authentication";
pub const NO_TOKEN: &str = "no token";
pub const WRONG_TOKEN: &str = "wrong token";
pub const VERIFY: &str = "verify";
pub const READ_AFTER_CREATE: &str = "read back after create";
pub const LOOKUP_AFTER_CREATE: &str = "lookup after create";
pub const LOOKUP_OTHER_CASE: &str = "lookup in other case";
pub const READ_AFTER_DISPLAY_NAME: &str = "read back after display name";
pub const READ_AFTER_DEACTIVATE: &str = "read back after deactivate";
pub const ERRORS: &str = "probe errors";
pub const UNKNOWN_ID: &str = "unknown id";
pub const DUPLICATE_CREATE: &str = "duplicate create";
pub const INVALID_FILTER: &str = "invalid filter";
pub const RULES: &str = "probe 1Password rules";
pub const DISPLAY_NAME_ONLY: &str = "display name only";

/// The display name the 1Password probe sets, and how it must split
/// (docs/1password.md#23-attribute-updates, outcome 12).
pub const NEW_DISPLAY_NAME: &str = "Ada King Lovelace";
pub const SPLIT_GIVEN: &str = "Ada";
pub const SPLIT_FAMILY: &str = "King Lovelace";

/// An id no bridge has: Okta's SPEC test uses the same shape (§12.1 step 4).
pub const UNKNOWN_USER_ID: &str = "010101001010101011001010101011";

/// Plays the scenario.
pub async fn run(ctx: &ScenarioContext<'_>) -> Result<Observation, ScenarioError> {
    let login = format!("ada.lovelace.{}@{}", ctx.run_id, ctx.email_domain);
    // 1Password's app pushes groups (docs/1password.md#3-groups): its
    // connection test lists /Groups as well as /Users
    // (docs/okta-wire.md#1-connection-test). A plain SCIM server owes
    // Okta's group features nothing.
    let mut app = App::default();
    app.provisioning.push_groups = ctx.one_password_rules;
    let mut org = OktaOrg::new(ctx.seed, app);
    let mut profile = UserProfile::new(&login, &login, "Ada", "Lovelace");
    profile.display_name = Some("Ada Lovelace".into());
    profile.locale = Some("en-US".into());
    org.add_user(profile).map_err(|source| ScenarioError::Org {
        scenario: NAME,
        source,
    })?;
    let mark = ctx.effects_mark(NAME).await?;
    let before = ctx.snapshot(NAME).await?;
    let first = ctx.client.transcript().len();
    let mut engine = Engine::new(org, ctx.client.clone());
    let engine_error = |source| ScenarioError::Engine {
        scenario: NAME,
        source,
    };
    let probe = |action: &'static str, step: &'static str, probe: Probe| {
        let client = ctx.client.clone();
        async move { client.probe(action, step, probe).await }
    };

    let first_answer = probe(
        DISCOVERY,
        SERVICE_PROVIDER_CONFIG,
        Probe::get("ServiceProviderConfig", None),
    )
    .await;
    if first_answer.response.is_none() {
        // Nothing answered at all (refused, timed out, TLS failed): the
        // run cannot be made, and every further request would wait for
        // its own timeout to say the same (`Session::core` reports it).
        return finish(ctx, &engine, first, login, before, mark).await;
    }
    probe(DISCOVERY, RESOURCE_TYPES, Probe::get("ResourceTypes", None)).await;
    probe(DISCOVERY, SCHEMAS, Probe::get("Schemas", None)).await;

    engine
        .run(&AdminAction::TestConnection)
        .await
        .map_err(engine_error)?;
    let page = || Probe::page("Users", 1, 1);
    probe(AUTH, NO_TOKEN, page().auth(ProbeAuth::Missing)).await;
    probe(AUTH, WRONG_TOKEN, page().auth(ProbeAuth::Wrong)).await;
    if ctx.read_only {
        // Only what reads (`--read-only`): the error answers of GETs.
        probe(
            ERRORS,
            UNKNOWN_ID,
            Probe::get("Users", Some(UNKNOWN_USER_ID)),
        )
        .await;
        probe(
            ERRORS,
            INVALID_FILTER,
            Probe::filter("Users", "userName eq"),
        )
        .await;
        return finish(ctx, &engine, first, login, before, mark).await;
    }

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
    let create_body = ctx
        .client
        .transcript()
        .iter()
        .skip(first)
        .find(|e| e.action.starts_with(ASSIGN) && e.step == "create")
        .and_then(|e| e.request.body.clone());

    if let Some(id) = &scim_id {
        probe(VERIFY, READ_AFTER_CREATE, Probe::get("Users", Some(id))).await;
        probe(
            VERIFY,
            LOOKUP_AFTER_CREATE,
            Probe::lookup("Users", "userName", &login),
        )
        .await;
        let other_case = login.to_uppercase();
        probe(
            VERIFY,
            LOOKUP_OTHER_CASE,
            Probe::lookup("Users", "userName", &other_case),
        )
        .await;
    }

    probe(
        ERRORS,
        UNKNOWN_ID,
        Probe::get("Users", Some(UNKNOWN_USER_ID)),
    )
    .await;
    if let Some(body) = create_body {
        probe(ERRORS, DUPLICATE_CREATE, Probe::post("Users", body)).await;
    }
    // `eq` with no value: RFC 7644 §3.4.2.2's grammar needs a compValue.
    probe(
        ERRORS,
        INVALID_FILTER,
        Probe::filter("Users", "userName eq"),
    )
    .await;

    // A 1Password rule (a displayName alone updates the name parts): not
    // sent under `--profile scim`, whose targets owe it nothing.
    if ctx.one_password_rules
        && let Some(id) = &scim_id
    {
        let display_only = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "displayName", "value": NEW_DISPLAY_NAME}]
        });
        probe(
            RULES,
            DISPLAY_NAME_ONLY,
            Probe::patch("Users", id, display_only),
        )
        .await;
        probe(
            VERIFY,
            READ_AFTER_DISPLAY_NAME,
            Probe::get("Users", Some(id)),
        )
        .await;
    }

    engine
        .run(&AdminAction::Deactivate {
            user: login.clone(),
        })
        .await
        .map_err(engine_error)?;
    if let Some(id) = &scim_id {
        probe(VERIFY, READ_AFTER_DEACTIVATE, Probe::get("Users", Some(id))).await;
    }
    finish(ctx, &engine, first, login, before, mark).await
}

/// The observation of what was played since exchange `first`.
async fn finish(
    ctx: &ScenarioContext<'_>,
    engine: &Engine,
    first: usize,
    login: String,
    before: Option<AccountSnapshot>,
    mark: u64,
) -> Result<Observation, ScenarioError> {
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
        before,
        after: ctx.snapshot(NAME).await?,
        setup: None,
    })
}
