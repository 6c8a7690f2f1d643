//! The Okta side of scimulate: an Okta org model ([`OktaOrg`]: users,
//! groups, app assignments (direct and through a group) and push links, the
//! app's To-App mappings, toggles, Group Push and import settings, what Okta
//! stores per user, import results) and the provisioning engine that turns
//! [`AdminAction`]s into the requests Okta's SCIM 2.0 client really sends —
//! headers, query bytes, bodies, order, back-off — against any SCIM base URL
//! ([`Target`]).
//!
//! Every request and answer is recorded as received in the [`Transcript`]
//! (only the `Authorization` header it sends reads `Bearer [REDACTED]`; a
//! token the target echoes is redacted where output is made, by the
//! [`Redactor`] of [`Token::redactor`]); each action ends in an [`ActionOutcome`] carrying Okta's
//! admin-visible message. Wire facts cite docs/okta-wire.md by section.
//!
//! ```no_run
//! use std::sync::Arc;
//! use scimulate_simulator::{
//!     AdminAction, App, ClientSettings, Engine, OktaClient, OktaOrg, SystemClock, Target, Token,
//!     UserProfile,
//! };
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mut org = OktaOrg::new(1, App::default());
//! org.add_user(UserProfile::new("alice@acme.com", "alice@acme.com", "Alice", "Archer"))?;
//! let target = Target::new("https://scim.example.com/scim/v2", Token::new("…"))?;
//! let client = OktaClient::new(target, ClientSettings::default(), Arc::new(SystemClock))?;
//! let mut engine = Engine::new(org, client);
//!
//! let outcome = engine.run(&AdminAction::Assign { user: "alice@acme.com".into() }).await?;
//! println!("{:?}", outcome.result);
//! for exchange in &engine.transcript() {
//!     println!("{}", exchange.headline());
//! }
//! # Ok(()) }
//! ```

mod action;
mod actions;
mod admin_message;
mod answer;
mod app;
mod assignment;
mod call_sequence;
mod client;
mod clock;
mod engine;
mod engine_error;
mod fixture;
mod group;
mod import_results;
mod liveness;
mod mapping;
mod okta_id;
mod org;
use scimulate_record::{exchange, outcome};
mod probe;
mod proxies;
mod request;
mod retry;
mod tag;
mod target;
mod token;
mod transcript;
mod user;

pub use action::AdminAction;
pub use app::{
    App, Behaviour, Dialect, ImportMatching, ImportSettings, NameUpdate, OnLookupHit, Provisioning,
    PushSettings, RelinkOrder, UserUpdate,
};
pub use call_sequence::CallSequence;
pub use client::{
    ClientError, ClientSettings, NOT_SENT, OKTA_SILENCE, OUTER_BOUND_FACTOR, OktaClient,
    SCIMULATE_USER_AGENT, TransportError, USER_AGENT, outer_bound,
};
pub use clock::{BoxFuture, Clock, SystemClock, VirtualClock};
pub use engine::Engine;
pub use engine_error::EngineError;
pub use fixture::FixtureError;
pub use group::{AppGroup, OktaGroup, PushLink, PushState};
pub use import_results::{
    GroupImport, ImportedUser, Paging, PagingAnomaly, PagingStop, UserImport,
};
pub use liveness::{DEFAULT_MAX_DEAD_EXCHANGES, Liveness, describe as describe_exchange};
pub use mapping::{AppAttribute, Cleared, ToAppMappings, USER_SCHEMA};
pub use okta_id::{OktaGroupId, OktaUserId};
pub use org::OktaOrg;
pub use probe::Probe;
pub use proxies::{Proxies, Proxy};
pub use request::{ProbeAuth, WRONG_TOKEN};
pub use retry::RetryPolicy;
// Record types (`scimulate-record`), re-exported where they always were.
pub use scimulate_record::exchange::{
    Exchange, Header, JsonBody, RecordedBody, RecordedRequest, RecordedResponse, TEXT_CAP,
};
pub use scimulate_record::outcome::{ActionOutcome, ActionResult, Failure, FailureKind};
pub use scimulate_record::{Redacted, Redactor};
pub use tag::{tag_email, tag_group};
pub use target::{AuthScheme, Target, TargetError, mask_credentials};
pub use token::{MIN_TOKEN_LEN, REDACTED, Token, TokenError};
pub use transcript::Transcript;
pub use user::{AppUser, OktaUser, OrgError, ProfileAttribute, UserProfile, UserStatus};
