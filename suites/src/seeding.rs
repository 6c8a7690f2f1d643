//! Every scenario on a bridge someone else runs, played exactly as on the
//! embedded bridge: when the bridge works over scimulate's fake account
//! and that account is reachable (`--backend-url`), each scenario's
//! account seed replaces the whole account before the scenario is played
//! (the test-control call of backend/API.md), scenarios one at a time.
//! After the run the account is put back as it was started.
//!
//! An account that does not take the control call (another fake, an older
//! scimulate) leaves the scenarios that need a seeded account skipped, as
//! before, with the reason.

use scimulate_backend::{BackendClient, BackendError};
use scimulate_simulator::Dialect;
use tokio::sync::Mutex;

use crate::play::{ExternalTarget, PlayError, PlayOptions, Played, play_seeded};
use crate::scenario::Scenario;

/// The fake account of an external bridge, seeded before each scenario.
pub(crate) struct Seeding {
    client: BackendClient,
    /// Held from seeding to the last read of the effect log: scenarios
    /// share the one account, so they are played one after another
    /// (trials of the test harness run on several threads).
    turn: Mutex<()>,
}

impl Seeding {
    /// Puts the account back as it was started (so a run killed half-way
    /// leaves no scenario's account behind for the next one). `Ok(None)`
    /// when the account does not take the control call.
    pub(crate) async fn start(client: &BackendClient) -> Result<Option<Seeding>, BackendError> {
        match client.restore_account().await {
            Ok(_) => Ok(Some(Seeding {
                client: client.clone(),
                turn: Mutex::new(()),
            })),
            Err(BackendError::Refused { status: 404, .. })
            | Err(BackendError::UnexpectedStatus { status: 404, .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Seeds the account with the scenario's and plays it, untagged, as
    /// on the embedded bridge.
    pub(crate) async fn play(
        &self,
        scenario: &Scenario,
        dialect: Dialect,
        target: &ExternalTarget<'_>,
        options: &PlayOptions,
    ) -> Result<Played, PlayError> {
        let _turn = self.turn.lock().await;
        self.client
            .replace_account(&scenario.account)
            .await
            .map_err(|source| PlayError::Seed {
                scenario: scenario.name.clone(),
                source,
            })?;
        play_seeded(scenario, dialect, target, options).await
    }

    /// Puts the account back as it was started; what the scenarios left in
    /// it goes with it.
    pub(crate) async fn restore(&self) -> Result<(), BackendError> {
        let _turn = self.turn.lock().await;
        self.client.restore_account().await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// A loopback server that answers one request with `status` and an
    /// error body of the account's API.
    async fn answering(status: u16) -> BackendClient {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer).await;
            let body = r#"{"error":"invalid_request","detail":"no route"}"#;
            let answer = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
        });
        BackendClient::new(&url).unwrap()
    }

    #[tokio::test]
    async fn an_account_without_the_control_call_is_not_seeded() {
        let client = answering(404).await;
        assert!(Seeding::start(&client).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn an_account_that_fails_the_control_call_is_an_error() {
        let client = answering(500).await;
        assert!(Seeding::start(&client).await.is_err());
    }
}
