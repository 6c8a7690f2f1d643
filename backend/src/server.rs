//! The running fake account: an HTTP server on 127.0.0.1 serving the
//! routes of backend/API.md from a thread of its own, and in-process
//! handle methods for the harness.
//!
//! Memory is bounded over any number of requests: a request lives until it
//! is answered, and nothing of it is kept (what grows is the account and
//! its effect log, by what the requests did). The account used to be
//! served by wiremock 0.6.5, which keeps a copy of every request a mock
//! matched (`mounted_mock.rs`: `matched_requests.push(request.clone())`,
//! about 10 KB each, since the copy's headers pin hyper's read buffer),
//! with no switch to turn it off (`disable_request_recording` covers only
//! the server-wide record) and no way to free it but `MockServer::reset`,
//! which empties the mock set: a request arriving before the routes are
//! mounted again gets an empty 404. A `scimulate serve` or `account`
//! running all day grew without bound. So the routes (`routes.rs`, plain
//! functions of a request) are served by axum, the bridge's server, on the
//! terms wiremock offered: a thread and runtime of their own (the account
//! answers whatever the caller's runtime is doing), synchronous handlers,
//! the account behind one `std::sync::Mutex`.

use std::fmt;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{TimeDelta, TimeZone, Utc};
use url::Url;

use crate::client::{BackendClient, BackendError};
use crate::clock::{Clock, SteppingClock, SystemClock};
use crate::control::{CONTROL_HEADER, CONTROL_PATH, Control};
use crate::ids::IdGenerator;
use crate::model::{
    AccountSettings, AccountSnapshot, Effect, ErrorBody, Group, Member, Refusal, SettingsUpdate,
};
use crate::routes::lock;
use crate::seed::AccountSeed;
use crate::state::Account;
use crate::wire::{ApiRequest, Reply};

/// The largest request body the account reads: a seed of the largest
/// generated scenario (100,000 members) is about 15 MiB.
const MAX_BODY: usize = 64 << 20;

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
    address: SocketAddr,
    account: Arc<Mutex<Account>>,
    /// Dropped with the backend: the server stops (idle connections are
    /// closed, requests being answered are finished). Dropping never waits.
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// What the server's handler reads.
struct Served {
    account: Arc<Mutex<Account>>,
    control: Control,
}

impl Backend {
    /// Builds the account from `seed` and serves it; it is listening when
    /// this returns. Panics only when no loopback port can be bound or no
    /// thread started (as wiremock's `MockServer::start` did); use
    /// [`Backend::try_start`] to handle that.
    pub async fn start(seed: AccountSeed, options: BackendOptions) -> Backend {
        match Backend::try_start(seed, options) {
            Ok(backend) => backend,
            Err(error) => panic!("the fake account could not be served: {error}"),
        }
    }

    /// [`Backend::start`], with the reason when it cannot be served.
    pub fn try_start(seed: AccountSeed, options: BackendOptions) -> std::io::Result<Backend> {
        let ids = match options.id_seed {
            Some(seed) => IdGenerator::from_seed(seed),
            None => IdGenerator::random(),
        };
        let account = Arc::new(Mutex::new(Account::new(&seed, options.clock, ids)));
        // Bound (and so listening: connections queue) before this returns.
        let listener = match options.listener {
            Some(listener) => listener,
            None => TcpListener::bind(("127.0.0.1", 0))?,
        };
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let served = Arc::new(Served {
            account: Arc::clone(&account),
            control: Control {
                account: Arc::clone(&account),
                start: seed,
                id_seed: options.id_seed,
            },
        });
        let app = axum::Router::new().fallback(handle).with_state(served);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("backend".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async {
                            let _ = stopped.await;
                        })
                        .await;
                });
            })?;
        Ok(Backend {
            address,
            account,
            _stop: stop,
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
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

/// Every request: read whole (bounded), answered by the control call or a
/// route, forgotten.
async fn handle(State(served): State<Arc<Served>>, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    let refuse = |status: u16, detail: String| {
        reply(Reply::json(
            status,
            &ErrorBody::new(Refusal::InvalidRequest, detail),
        ))
    };
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(error) => {
            return refuse(
                413,
                format!("the body could not be read whole (at most {MAX_BODY} bytes): {error}"),
            );
        }
    };
    let url = match parts.uri.authority() {
        Some(_) => parts.uri.to_string(),
        None => format!("http://localhost{}", parts.uri),
    };
    let url = match Url::parse(&url) {
        Ok(url) => url,
        Err(error) => return refuse(400, format!("unreadable request target: {error}")),
    };
    let request = ApiRequest {
        method: parts.method.as_str().to_string(),
        url,
        control: parts
            .headers
            .get(CONTROL_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: body.into(),
    };
    if request.url.path() == CONTROL_PATH {
        reply(served.control.answer(&request))
    } else {
        reply(crate::routes::answer(&served.account, &request))
    }
}

fn reply(reply: Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match reply.json {
        Some(json) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            Body::from(json),
        )
            .into_response(),
        None => status.into_response(),
    }
}
