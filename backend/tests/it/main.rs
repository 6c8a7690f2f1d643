//! Integration tests: a real `Backend` on 127.0.0.1 driven over HTTP through
//! `BackendClient` (one binary, STYLE.md §6).

mod account;
mod concurrency;
mod control;
mod fixtures;
mod groups;
mod members;
mod routing;
mod teardown;

use std::path::PathBuf;

use scimulate_backend::{
    AccountSeed, Backend, BackendClient, BackendError, BackendOptions, Effect, EffectKind,
    InviteRequest, Refusal,
};

/// `fixtures/accounts/` of this workspace.
pub fn accounts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/accounts")
}

/// A seed file of `fixtures/accounts/`.
pub fn fixture(name: &str) -> AccountSeed {
    AccountSeed::from_path(accounts_dir().join(name)).unwrap()
}

/// A deterministic backend of a fixture, and a client for it.
pub async fn start(name: &str) -> (Backend, BackendClient) {
    let backend = Backend::start(fixture(name), BackendOptions::deterministic()).await;
    let client = backend.client().unwrap();
    (backend, client)
}

pub fn invitation(email: &str) -> InviteRequest {
    InviteRequest {
        email: email.into(),
        given_name: "Carol".into(),
        family_name: "Chen".into(),
        ..InviteRequest::default()
    }
}

/// The refusal code of a refused call.
pub fn refusal<T: std::fmt::Debug>(result: Result<T, BackendError>) -> Refusal {
    match result {
        Err(BackendError::Refused { refusal, .. }) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The `kind` tags of effects.
pub fn kinds(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .map(|e| {
            serde_json::to_value(&e.kind).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// (action, reason) of a `refused` effect.
pub fn refused(effect: &Effect) -> (&str, Refusal) {
    match &effect.kind {
        EffectKind::Refused { action, reason, .. } => (action.as_str(), *reason),
        other => panic!("not a refusal: {other:?}"),
    }
}
