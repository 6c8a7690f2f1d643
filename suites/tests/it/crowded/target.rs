//! A crowded target: a loopback SCIM server holding `people` users of
//! whom `of_run` (the last ones, far beyond page 200) carry a run id.
//! Nothing is stored per user: each page is made from indexes as it is
//! asked for, and only the indexes DELETEd are remembered, so a target of
//! 60,000 users costs the test a few kilobytes. Shared by the cleanup
//! tests and `examples/crowded_target.rs` (bench/figures).
//!
//! Knobs: whether it advertises and evaluates `filter` (`co` on
//! `userName`, `pr`), and every how many DELETEs one is answered 429
//! first (`Retry-After: 0`).

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

/// How the target is made.
#[derive(Clone, Debug)]
pub struct Crowd {
    /// Users in all.
    pub people: u64,
    /// The last `of_run` of them carry `run_id`.
    pub of_run: u64,
    pub run_id: String,
    /// Advertise and evaluate `filter` (`userName co`, `pr`).
    pub filters: bool,
    /// Every n-th DELETE is first answered 429 (0: never).
    pub limit_every: u64,
    /// The bearer token this fake target accepts (its own, not a run's).
    pub bearer: String,
}

/// What the target saw.
#[derive(Default)]
pub struct Seen {
    pub pages: AtomicU64,
    pub deletes: AtomicU64,
    pub rate_limited: AtomicU64,
    /// Deleted user indexes.
    pub deleted: Mutex<HashSet<u64>>,
}

struct Shared {
    crowd: Crowd,
    seen: Arc<Seen>,
}

/// Serves `crowd` on `listener` until the runtime ends; what it sees is
/// counted in the returned [`Seen`].
pub fn serve(listener: tokio::net::TcpListener, crowd: Crowd) -> Arc<Seen> {
    let seen = Arc::new(Seen::default());
    let shared = Arc::new(Shared {
        crowd,
        seen: seen.clone(),
    });
    let app = Router::new()
        .route("/scim/v2/ServiceProviderConfig", get(config))
        .route("/scim/v2/Users", get(users))
        .route("/scim/v2/Groups", get(groups))
        .route("/scim/v2/Users/{id}", get(user).delete(delete_user))
        .with_state(shared);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    seen
}

/// Binds 127.0.0.1:0 and serves; the base URL and what it sees.
pub async fn start(crowd: Crowd) -> (String, Arc<Seen>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr: SocketAddr = listener.local_addr().expect("an address");
    let seen = serve(listener, crowd);
    (format!("http://{addr}/scim/v2"), seen)
}

impl Crowd {
    fn user_name(&self, n: u64) -> String {
        if n >= self.people - self.of_run {
            format!("load-{n:07}.{}@example.com", self.run_id)
        } else {
            format!("person{n:07}@acme.com")
        }
    }

    fn user(&self, n: u64) -> Value {
        let name = self.user_name(n);
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": format!("u{n:07}"),
            "userName": name,
            "name": {"givenName": "Person", "familyName": format!("N{n}")},
            "emails": [{"value": name, "primary": true, "type": "work"}],
            "active": true,
            "meta": {"resourceType": "User", "location": format!("/Users/u{n:07}")}
        })
    }
}

fn authorized(shared: &Shared, headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {}", shared.crowd.bearer))
}

async fn config(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": true},
        "filter": {"supported": shared.crowd.filters, "maxResults": 100},
    }))
    .into_response()
}

async fn groups() -> Response {
    list(Vec::new(), 0, 1)
}

fn list(resources: Vec<Value>, total: u64, start: u64) -> Response {
    axum::Json(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    }))
    .into_response()
}

async fn users(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    if !authorized(&shared, &headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    shared.seen.pages.fetch_add(1, Ordering::Relaxed);
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let start = param("startIndex")
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(1)
        .max(1);
    let count = param("count")
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(100)
        .min(100);
    let crowd = &shared.crowd;
    // What the filter keeps: a range of indexes, made lazily.
    let (from, to) = match param("filter") {
        None => (0, crowd.people),
        Some(_) if !crowd.filters => {
            return (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                    "status": "400", "scimType": "invalidFilter", "detail": "no filters here"
                })),
            )
                .into_response();
        }
        Some(filter) if filter == "userName pr" => (0, crowd.people),
        Some(filter) if filter == format!("userName co \"{}\"", crowd.run_id) => {
            (crowd.people - crowd.of_run, crowd.people)
        }
        Some(_) => (0, 0),
    };
    let total = to - from;
    let first = from + start - 1;
    let last = (first + count).min(to);
    let resources = (first..last).map(|n| crowd.user(n)).collect();
    list(resources, total, start)
}

async fn user(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match index(&shared, &id) {
        Some(n) => axum::Json(shared.crowd.user(n)).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn delete_user(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !authorized(&shared, &headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let n = shared.seen.deletes.fetch_add(1, Ordering::Relaxed) + 1;
    let every = shared.crowd.limit_every;
    if every > 0 && n % every == 0 {
        shared.seen.rate_limited.fetch_add(1, Ordering::Relaxed);
        return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0")]).into_response();
    }
    let Some(n) = index(&shared, &id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // The listing keeps showing a deleted user (a 1Password bridge
    // suspends on DELETE): only the count of deletes matters here.
    shared
        .seen
        .deleted
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(n);
    StatusCode::NO_CONTENT.into_response()
}

fn index(shared: &Shared, id: &str) -> Option<u64> {
    id.strip_prefix('u')
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|n| *n < shared.crowd.people)
}
