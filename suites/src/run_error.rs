//! Why a run could not be made (exit 2), as opposed to a failed check.

use std::time::Duration;

use scimulate_simulator::ClientError;

use crate::play::PlayError;
use crate::scenario::FixtureError;
use crate::scenarios::ScenarioError;
use crate::target::TargetError;

/// Why a run could not be made (exit 2), as opposed to a failed check.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Target(#[from] TargetError),
    /// The token breaks the policy of [`scimulate_simulator::Token::parse`]
    /// (a library caller wrapped it with `Token::new`).
    #[error(transparent)]
    Token(#[from] scimulate_simulator::TokenError),
    /// `url` names the proxy too when the bytes go through one
    /// ([`crate::consent::Route::describe`]).
    #[error(
        "{url} is not on this machine: a run creates and deactivates test users, so writing to it \
         needs --allow-remote-writes (point it at a staging bridge, not production), or give \
         --read-only to judge only what GET requests show"
    )]
    RemoteWrites { url: String },
    #[error(
        "the fake account's API at {url:?} could not be used (is --backend-url the BACKEND_URL \
         the bridge was given?)"
    )]
    BackendUrl {
        url: String,
        #[source]
        source: scimulate_backend::BackendError,
    },
    #[error("could not build the HTTP client")]
    Client(#[source] ClientError),
    #[error(
        "the target did not answer at {url}: {reason} (is the bridge running, and is the URL right?)"
    )]
    Unreachable { url: String, reason: String },
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Fixture(#[from] FixtureError),
    #[error(transparent)]
    Play(#[from] PlayError),
    #[error(
        "no check is left to judge: --only and --skip together select none of the checks the \
         played scenarios have (see `scimulate checks`; scenario names are the file names in \
         fixtures/scenarios)"
    )]
    EmptySelection,
    #[error(
        "the run's deadline of {} s passed while {what} (raise --deadline, or find what makes \
         the target slow: see --verbose and RUST_LOG=scimulate=debug)",
        .deadline.as_secs()
    )]
    Deadline {
        deadline: Duration,
        what: &'static str,
    },
}
