//! A fake 1Password account for testing SCIM bridges: members, groups,
//! settings and an append-only effect log, served over HTTP on 127.0.0.1 by a
//! stateful wiremock server.
//!
//! A bridge calls the account through the small API of `backend/API.md`
//! (with [`BackendClient`]); scimulate seeds the account from
//! `fixtures/accounts/*.toml` ([`AccountSeed`]) and judges what the bridge
//! did from the effects it logged ([`Backend::effects`]).
//!
//! ```
//! use scimulate_backend::{AccountSeed, Backend, BackendOptions, EffectKind, InviteRequest};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), scimulate_backend::BackendError> {
//! let backend = Backend::start(AccountSeed::default(), BackendOptions::deterministic()).await;
//! let client = backend.client()?;
//! let invite = InviteRequest {
//!     email: "carol@acme.com".into(),
//!     given_name: "Carol".into(),
//!     family_name: "Chen".into(),
//!     ..InviteRequest::default()
//! };
//! let carol = client.invite(&invite).await?;
//! assert!(matches!(
//!     &backend.effects()[0].kind,
//!     EffectKind::InviteSent { member_id, .. } if *member_id == carol.id
//! ));
//! # Ok(())
//! # }
//! ```

mod client;
mod clock;
mod domains;
mod ids;
mod model;
mod routes;
mod seed;
mod server;
mod state;

pub use client::{BackendClient, BackendError};
pub use clock::{Clock, SteppingClock, SystemClock};
pub use domains::PUBLIC_DOMAINS;
pub use ids::{IdGenerator, is_group_id, is_member_id};
pub use model::*;
pub use seed::{AccountSeed, SeedError, SeedGroup, SeedMember};
pub use server::{Backend, BackendOptions};
pub use state::Account;
pub use state::log::{Action, Applied};
