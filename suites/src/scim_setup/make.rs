//! Making a scenario's starting state through the target's own SCIM API,
//! before Okta's part begins (as if it was there before Okta was
//! connected): `POST /Users` for each person (`active: false` for a
//! suspended one), a few at a time, then `POST /Groups` with their
//! members. Every name carries the scenario's tag, so cleanup removes it
//! with the rest of the run. Each request goes with scimulate's own
//! `User-Agent` and the action label [`SETUP`]: never Okta's traffic.

use std::time::Duration;

use futures_util::StreamExt;
use scimulate_simulator::{Exchange, OktaClient, Probe, tag_email, tag_group};
use serde_json::{Value, json};

use super::made::{MadeGroup, MadeUser, SETUP, Setup};
use super::plan::{ScimSetup, SetupUser};
use crate::observation::{resource_id, seen};

/// Users made at once: enough to make 250 in a fraction of a second on a
/// one-connection-per-request server, few enough not to look like a load
/// test to a rate limiter.
pub const CONCURRENCY: usize = 4;

/// The first wait after a 429 without an integer `Retry-After`.
const DEFAULT_WAIT: Duration = Duration::from_secs(1);

/// The starting state could not be made: the answer that stopped it.
#[derive(Debug)]
pub struct SetupFailed {
    pub reason: String,
    /// What setup sent until then.
    pub exchanges: Vec<Exchange>,
}

/// Makes `plan` on the target `client` talks to, every name tagged with
/// `tag`, and hands back what was made with setup's exchanges (taken out of
/// the client's transcript: Okta's exchanges are numbered after them).
pub async fn make(client: &OktaClient, plan: &ScimSetup, tag: &str) -> Result<Setup, SetupFailed> {
    let made = make_all(client, plan, tag).await;
    let exchanges = client.take_exchanges();
    match made {
        Ok((users, groups)) => Ok(Setup {
            exchanges,
            users,
            groups,
        }),
        Err(reason) => Err(SetupFailed { reason, exchanges }),
    }
}

async fn make_all(
    client: &OktaClient,
    plan: &ScimSetup,
    tag: &str,
) -> Result<(Vec<MadeUser>, Vec<MadeGroup>), String> {
    let made: Vec<Result<MadeUser, String>> = futures_util::stream::iter(&plan.users)
        .map(|user| make_user(client, user, tag))
        .buffered(CONCURRENCY)
        .collect()
        .await;
    let users = made.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut groups = Vec::with_capacity(plan.groups.len());
    for group in &plan.groups {
        let display_name = tag_group(&group.name, tag);
        let members: Vec<String> = group
            .members
            .iter()
            .filter_map(|email| {
                let user_name = tag_email(email, tag);
                users
                    .iter()
                    .find(|u| u.user_name == user_name)
                    .map(|u| u.id.clone())
            })
            .collect();
        let body = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": display_name,
            "members": members.iter().map(|id| json!({"value": id})).collect::<Vec<_>>(),
        });
        let step = format!("create group {display_name}");
        let id = create(client, "Groups", &step, body).await?;
        groups.push(MadeGroup {
            display_name,
            id,
            members,
        });
    }
    Ok((users, groups))
}

async fn make_user(client: &OktaClient, user: &SetupUser, tag: &str) -> Result<MadeUser, String> {
    let user_name = tag_email(&user.email, tag);
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "name": {"givenName": user.given_name, "familyName": user.family_name},
        "displayName": user.display_name,
        "emails": [{"value": user_name, "type": "work", "primary": true}],
        "active": user.active,
    });
    let step = format!("create user {user_name}");
    let id = create(client, "Users", &step, body).await?;
    Ok(MadeUser {
        user_name,
        id,
        active: user.active,
    })
}

/// `POST /<resource>`, riding out 429s (`Retry-After` seconds, else
/// [`DEFAULT_WAIT`], doubling; within the client's retry bounds); the id
/// the target answered, or why there is none.
async fn create(
    client: &OktaClient,
    resource: &str,
    step: &str,
    body: Value,
) -> Result<String, String> {
    let policy = client.settings().retry;
    let mut waited = Duration::ZERO;
    let mut previous: Option<Duration> = None;
    for attempt in 1..=policy.max_attempts.max(1) {
        let exchange = client
            .probe(SETUP, step, Probe::post(resource, body.clone()))
            .await;
        let status = exchange.response.as_ref().map(|r| r.status);
        if status == Some(429) && attempt < policy.max_attempts {
            let wait = match previous {
                Some(previous) => previous.saturating_mul(2),
                None => retry_after(&exchange).unwrap_or(DEFAULT_WAIT),
            };
            if waited + wait <= policy.max_total_wait {
                previous = Some(wait);
                waited += wait;
                tokio::time::sleep(wait).await;
                continue;
            }
        }
        return match (status, resource_id(&exchange)) {
            (Some(200 | 201), Some(id)) => Ok(id.to_string()),
            _ => Err(format!(
                "the scenario's starting state could not be made through SCIM: {step} answered \
                 {}",
                seen(&exchange)
            )),
        };
    }
    Err(format!("{step}: no attempt was made"))
}

fn retry_after(exchange: &Exchange) -> Option<Duration> {
    exchange
        .response
        .as_ref()?
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("retry-after"))
        .and_then(|h| h.value.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}
