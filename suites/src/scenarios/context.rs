//! What every scenario runs with.

use scimulate_simulator::{EngineError, OktaClient, OrgError};

use crate::target::{Observer, TargetError};

/// The run's shared client (one transcript), the account observer, and the
/// names that keep a run's test users apart from everyone else's.
pub struct ScenarioContext<'a> {
    pub client: OktaClient,
    pub observer: Option<&'a Observer<'a>>,
    /// Short, lower-case, carried in every test user's e-mail.
    pub run_id: &'a str,
    /// Domain of the test users' e-mail addresses.
    pub email_domain: &'a str,
    /// Fixes generated Okta ids.
    pub seed: u64,
    /// Send nothing that writes (`--read-only`): no user is created,
    /// changed or deactivated.
    pub read_only: bool,
    /// Send the probes only a 1Password bridge must accept (the default
    /// profile); `false` under `--profile scim`, so a generic server is
    /// asked nothing outside RFC 7643/7644 and Okta's client.
    pub one_password_rules: bool,
}

/// A scenario that could not be played (not a failed check).
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("scenario {scenario}: the Okta org is inconsistent")]
    Org {
        scenario: &'static str,
        #[source]
        source: OrgError,
    },
    #[error("scenario {scenario}: an admin action names something the org lacks")]
    Engine {
        scenario: &'static str,
        #[source]
        source: EngineError,
    },
    #[error("scenario {scenario}: could not read the account's effects")]
    Observer {
        scenario: &'static str,
        #[source]
        source: TargetError,
    },
}

impl ScenarioContext<'_> {
    /// The last effect's sequence number before the scenario starts.
    pub async fn effects_mark(&self, scenario: &'static str) -> Result<u64, ScenarioError> {
        match self.observer {
            Some(observer) => observer
                .last_seq()
                .await
                .map_err(|source| ScenarioError::Observer { scenario, source }),
            None => Ok(0),
        }
    }

    /// The account as it is now, if it is observable.
    pub async fn snapshot(
        &self,
        scenario: &'static str,
    ) -> Result<Option<scimulate_backend::AccountSnapshot>, ScenarioError> {
        match self.observer {
            Some(observer) => observer
                .snapshot()
                .await
                .map_err(|source| ScenarioError::Observer { scenario, source }),
            None => Ok(None),
        }
    }

    /// The effects logged since `mark`, if the account is observable.
    pub async fn effects_since(
        &self,
        scenario: &'static str,
        mark: u64,
    ) -> Result<Option<Vec<scimulate_backend::Effect>>, ScenarioError> {
        match self.observer {
            Some(observer) => observer
                .effects_after(mark)
                .await
                .map(Some)
                .map_err(|source| ScenarioError::Observer { scenario, source }),
            None => Ok(None),
        }
    }
}
