//! The running fake account: a wiremock server on 127.0.0.1 serving the
//! routes of backend/API.md, and in-process handle methods for the harness.
//!
//! Memory: request recording is off, but wiremock 0.6.5 still keeps a copy of
//! every request a mock matched (`mounted_mock.rs`, `matched_requests`), so a
//! backend grows by roughly the size of each request (well under 1 KiB for
//! this API) for as long as it lives.

use std::fmt;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use chrono::{TimeDelta, TimeZone, Utc};
use wiremock::matchers::{any, method, path, path_regex};
use wiremock::{Mock, MockServer};

use crate::client::{BackendClient, BackendError};
use crate::clock::{Clock, SteppingClock, SystemClock};
use crate::control::{CONTROL_PATH, Control};
use crate::ids::IdGenerator;
use crate::model::{AccountSettings, AccountSnapshot, Effect, Group, Member, SettingsUpdate};
use crate::routes::{Endpoint, NoRoute, ROUTES, lock};
use crate::seed::AccountSeed;
use crate::state::Account;

/// How a [`Backend`] reads the time, makes ids and listens.
pub struct BackendOptions {
    /// Where timestamps come from.
    pub clock: Arc<dyn Clock>,
    /// `Some(seed)`: ids follow from the seed; `None`: random ids.
    pub id_seed: Option<u64>,
    /// A listener to serve on (e.g. for a fixed port); `None` binds
    /// 127.0.0.1 on a free port.
    pub listener: Option<TcpListener>,
}

impl Default for BackendOptions {
    /// The system clock and random ids, on a free port.
    fn default() -> Self {
        BackendOptions {
            clock: Arc::new(SystemClock),
            id_seed: None,
            listener: None,
        }
    }
}

impl BackendOptions {
    /// Same run, same bytes: a clock starting at 2026-01-01T00:00:00Z that
    /// steps one second per reading, and ids from seed 1.
    pub fn deterministic() -> Self {
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single();
        BackendOptions {
            clock: Arc::new(SteppingClock::new(
                start.unwrap_or_default(),
                TimeDelta::seconds(1),
            )),
            id_seed: Some(1),
            listener: None,
        }
    }
}

impl fmt::Debug for BackendOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackendOptions")
            .field("id_seed", &self.id_seed)
            .field("listener", &self.listener)
            .finish_non_exhaustive()
    }
}

/// The fake 1Password account, served over HTTP until it is dropped.
pub struct Backend {
    /// `None` only once dropped (see `Drop`).
    server: Option<MockServer>,
    account: Arc<Mutex<Account>>,
}

/// wiremock's `MockServer` blocks in its `Drop` (`futures::executor::
/// block_on` over a tokio `RwLock`, to verify expectations). Dropped inside
/// a tokio task whose cooperative budget is spent, that lock never grants
/// and the task spins for ever: seen as a run that hung once in a few
/// hundred when several scenarios were played at once. A thread of its own
/// has no budget, so the server is dropped there.
impl Drop for Backend {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            // Should the thread not start, the closure (and the server)
            // is dropped here, as before.
            let _ = std::thread::Builder::new()
                .name("backend-drop".into())
                .spawn(move || drop(server));
        }
    }
}

impl Backend {
    /// Builds the account from `seed` and serves it; it is listening when
    /// this returns. Call it inside a tokio runtime (wiremock serves on its
    /// own thread, but waits for the port with tokio's timer).
    pub async fn start(seed: AccountSeed, options: BackendOptions) -> Backend {
        let ids = match options.id_seed {
            Some(seed) => IdGenerator::from_seed(seed),
            None => IdGenerator::random(),
        };
        let id_seed = options.id_seed;
        let account = Arc::new(Mutex::new(Account::new(&seed, options.clock, ids)));
        // Request recording would keep every request for the server's life.
        let mut builder = MockServer::builder().disable_request_recording();
        if let Some(listener) = options.listener {
            builder = builder.listener(listener);
        }
        let server = builder.start().await;
        for route in ROUTES {
            let endpoint = Endpoint {
                account: Arc::clone(&account),
                handler: route.handler,
            };
            Mock::given(method(route.method))
                .and(path_regex(route.path))
                .respond_with(endpoint)
                .named(format!("{} {}", route.method, route.path))
                .mount(&server)
                .await;
        }
        let control = Control {
            account: Arc::clone(&account),
            start: seed,
            id_seed,
        };
        Mock::given(path(CONTROL_PATH))
            .respond_with(control)
            .named(format!("test control {CONTROL_PATH}"))
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(NoRoute)
            .with_priority(u8::MAX)
            .named("no route")
            .mount(&server)
            .await;
        Backend {
            server: Some(server),
            account,
        }
    }

    /// The base URL, e.g. `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        self.server
            .as_ref()
            .map(MockServer::uri)
            .unwrap_or_default()
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.server
            .as_ref()
            .map_or(SocketAddr::from(([127, 0, 0, 1], 0)), |s| *s.address())
    }

    /// A client for this backend's HTTP API.
    pub fn client(&self) -> Result<BackendClient, BackendError> {
        BackendClient::new(&self.url())
    }

    /// The whole effect log.
    pub fn effects(&self) -> Vec<Effect> {
        lock(&self.account).effects().to_vec()
    }

    /// Effects with `seq > after`.
    pub fn effects_after(&self, after: u64) -> Vec<Effect> {
        lock(&self.account).effects_after(after).to_vec()
    }

    /// Settings, members and groups now.
    pub fn snapshot(&self) -> AccountSnapshot {
        lock(&self.account).snapshot()
    }

    /// The settings now.
    pub fn settings(&self) -> AccountSettings {
        lock(&self.account).settings().clone()
    }

    /// Turns "Provisioning users & groups" on or off; logs nothing.
    pub fn set_provisioning(&self, on: bool) {
        lock(&self.account).update_settings(&SettingsUpdate {
            provisioning: Some(on),
            allowed_domains: None,
        });
    }

    /// Replaces the allowed domains; logs nothing.
    pub fn set_allowed_domains(&self, domains: Vec<String>) {
        lock(&self.account).update_settings(&SettingsUpdate {
            provisioning: None,
            allowed_domains: Some(domains),
        });
    }

    /// The member with this id, whether or not provisioning is on.
    pub fn member(&self, id: &str) -> Option<Member> {
        lock(&self.account).member(id).cloned()
    }

    /// The member whose e-mail or pending e-mail is this address (any case).
    pub fn member_by_email(&self, email: &str) -> Option<Member> {
        lock(&self.account).member_by_email(email).cloned()
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<Group> {
        lock(&self.account).group(id).cloned()
    }

    /// Groups with this name (any case), in creation order.
    pub fn groups_by_name(&self, name: &str) -> Vec<Group> {
        lock(&self.account)
            .groups_by_name(name)
            .into_iter()
            .cloned()
            .collect()
    }

    /// Runs `f` on the account under its lock, e.g. to drive a test control
    /// (`accept_invite`, `confirm_email`) without HTTP. Writes follow the
    /// same rules and log the same effects as over HTTP.
    pub fn with_account<R>(&self, f: impl FnOnce(&mut Account) -> R) -> R {
        f(&mut lock(&self.account))
    }
}

impl fmt::Debug for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Backend")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}
