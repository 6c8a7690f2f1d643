//! The provisioning engine: runs admin actions against the org and the
//! target, one call sequence each, and keeps their outcomes.

use crate::action::AdminAction;
use crate::actions::{self, Change};
use crate::call_sequence::CallSequence;
use crate::client::OktaClient;
use crate::engine_error::EngineError;
use crate::org::OktaOrg;
use crate::outcome::ActionOutcome;
use crate::transcript::Transcript;
use crate::user::UserStatus;

/// An Okta org wired to a target.
#[derive(Debug)]
pub struct Engine {
    org: OktaOrg,
    client: OktaClient,
    outcomes: Vec<ActionOutcome>,
}

impl Engine {
    /// An engine for `org`, sending through `client`.
    pub fn new(org: OktaOrg, client: OktaClient) -> Self {
        Self {
            org,
            client,
            outcomes: Vec::new(),
        }
    }

    /// Runs one admin action to its end: Okta's call sequence, its reaction
    /// to each answer, and what it stores in the org.
    pub async fn run(&mut self, action: &AdminAction) -> Result<ActionOutcome, EngineError> {
        let label = action.to_string();
        let mut seq = CallSequence::new(&self.client, label.clone());
        let org = &mut self.org;
        let result = match action {
            AdminAction::TestConnection => actions::test_connection(org, &mut seq).await,
            AdminAction::Assign { user } => actions::assign(org, &mut seq, user).await?,
            AdminAction::UpdateProfile { user, changes } => {
                actions::update_profile(org, &mut seq, user, changes).await?
            }
            AdminAction::Deactivate { user } => {
                actions::deprovision(org, &mut seq, user, Some(UserStatus::Deprovisioned)).await?
            }
            AdminAction::Unassign { user } => {
                actions::deprovision(org, &mut seq, user, None).await?
            }
            AdminAction::AssignGroup { group } => {
                actions::assign_group(org, &mut seq, group).await?
            }
            AdminAction::UnassignGroup { group } => {
                actions::unassign_group(org, &mut seq, group).await?
            }
            AdminAction::Reactivate { user } => actions::reactivate(org, &mut seq, user).await?,
            AdminAction::Suspend { user } => actions::set_status(org, user, UserStatus::Suspended)?,
            AdminAction::Unsuspend { user } => actions::set_status(org, user, UserStatus::Active)?,
            AdminAction::ImportUsers => actions::import_users(org, &mut seq).await,
            AdminAction::ImportGroups => actions::import_groups(org, &mut seq).await,
            AdminAction::PushGroup { group } => actions::push_group(org, &mut seq, group).await?,
            AdminAction::LinkGroup { group, app_group } => {
                actions::link_group(org, &mut seq, group, app_group).await?
            }
            AdminAction::RenameGroup { group, name } => {
                actions::rename_group(org, &mut seq, group, name).await?
            }
            AdminAction::AddToGroup { group, user } => {
                actions::change_membership(org, &mut seq, group, user, Change::Add).await?
            }
            AdminAction::RemoveFromGroup { group, user } => {
                actions::change_membership(org, &mut seq, group, user, Change::Remove).await?
            }
            AdminAction::ChangeMembers { group, add, remove } => {
                actions::change_members(org, &mut seq, group, add, remove).await?
            }
            AdminAction::PushNow { group } => actions::push_now(org, &mut seq, group).await?,
            AdminAction::UnlinkGroup {
                group,
                delete_in_app,
            } => actions::unlink_group(org, &mut seq, group, *delete_in_app).await?,
            AdminAction::PausePush { group } => actions::pause_push(org, group)?,
            AdminAction::ActivatePush { group } => {
                actions::activate_push(org, &mut seq, group).await?
            }
        };
        let outcome = ActionOutcome {
            action: label,
            result,
            exchanges: seq.into_exchanges(),
        };
        tracing::info!(action = %outcome.action, succeeded = outcome.succeeded(), "admin action");
        self.outcomes.push(outcome.clone());
        Ok(outcome)
    }

    /// The org, with what Okta stored so far.
    pub fn org(&self) -> &OktaOrg {
        &self.org
    }

    /// The org, to change settings or add users between actions.
    pub fn org_mut(&mut self) -> &mut OktaOrg {
        &mut self.org
    }

    /// The client (target, settings, clock).
    pub fn client(&self) -> &OktaClient {
        &self.client
    }

    /// A copy of the transcript so far.
    pub fn transcript(&self) -> Transcript {
        self.client.transcript()
    }

    /// The outcome of every action run so far, in order.
    pub fn outcomes(&self) -> &[ActionOutcome] {
        &self.outcomes
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::{App, ClientSettings, Target, Token, VirtualClock};

    fn engine() -> Engine {
        let target = Target::new("http://127.0.0.1:9/scim/v2", Token::new("t")).unwrap();
        let client = OktaClient::new(
            target,
            ClientSettings::default(),
            Arc::new(VirtualClock::at_epoch()),
        )
        .unwrap();
        Engine::new(OktaOrg::new(1, App::default()), client)
    }

    #[test]
    fn run_is_send_so_suites_can_spawn_it() {
        fn assert_send<T: Send>(_: &T) {}
        let mut engine = engine();
        let action = AdminAction::TestConnection;
        let future = engine.run(&action);
        assert_send(&future);
    }

    #[tokio::test]
    async fn an_unknown_login_is_a_scenario_error_and_sends_nothing() {
        let mut engine = engine();
        let err = engine
            .run(&AdminAction::Assign {
                user: "nobody@acme.com".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "no Okta user with login \"nobody@acme.com\" in the org"
        );
        assert!(engine.transcript().is_empty());
        assert!(engine.outcomes().is_empty());
    }
}
