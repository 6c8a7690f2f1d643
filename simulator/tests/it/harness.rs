//! A wiremock SCIM server at `/scim/v2`, an engine pointed at it on a
//! virtual clock, and assertions on what reached the server.

use std::sync::Arc;
use std::time::Duration;

use scimulate_simulator::{
    ActionOutcome, AdminAction, App, ClientSettings, Dialect, Engine, OktaClient, OktaOrg, Target,
    Token, UserProfile, VirtualClock,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The token the tests give Okta; it must never appear in a transcript.
pub const TOKEN: &str = "tok-9f8e7d6c5b4a-SECRET";
/// The path prefix of the SCIM base URL.
pub const PREFIX: &str = "/scim/v2";
/// The reference's example user (§3.2).
pub const LOGIN: &str = "test.user@okta.local";
/// The reference's example SCIM id (§4).
pub const SCIM_ID: &str = "23a35c27-23d3-4c03-b4c5-6443c09e7173";
/// What seed 1 gives the example user as Okta id (deterministic).
pub const OKTA_ID: &str = "00upNofNWNXMcRke26Bp";
/// What seed 1 gives as the first password placeholder (deterministic).
pub const PASSWORD: &str = "3cakm761";

/// A running server and an engine aimed at it.
pub struct Run {
    pub server: MockServer,
    pub engine: Engine,
    pub clock: VirtualClock,
}

/// The org of the reference examples: one user, Test User (§3.2).
pub fn org(app: App) -> OktaOrg {
    let mut org = OktaOrg::new(1, app);
    let mut profile = UserProfile::new(LOGIN, LOGIN, "Test", "User");
    profile.display_name = Some("Test User".into());
    profile.locale = Some("en-US".into());
    org.add_user(profile).expect("one user");
    org
}

/// The default 1Password OIN app in `dialect`.
pub fn app(dialect: Dialect) -> App {
    App {
        dialect,
        ..App::default()
    }
}

impl Run {
    /// The example org with the default app in `dialect`.
    pub async fn new(dialect: Dialect) -> Self {
        Self::with(org(app(dialect)), ClientSettings::default()).await
    }

    /// Any org and client settings.
    pub async fn with(org: OktaOrg, settings: ClientSettings) -> Self {
        let server = MockServer::start().await;
        let clock = VirtualClock::at_epoch();
        let target = Target::new(&format!("{}{PREFIX}/", server.uri()), Token::new(TOKEN))
            .expect("valid target");
        let client =
            OktaClient::new(target, settings, Arc::new(clock.clone())).expect("client builds");
        Self {
            server,
            engine: Engine::new(org, client),
            clock,
        }
    }

    /// Runs `action`; panics only on a scenario error.
    pub async fn run(&mut self, action: AdminAction) -> ActionOutcome {
        self.engine.run(&action).await.expect("valid scenario")
    }

    /// Every request the server received, in order.
    pub async fn requests(&self) -> Vec<Request> {
        self.server
            .received_requests()
            .await
            .expect("recording is on")
    }

    /// Answers `verb` on `/Users/{id}` (or `/Users` when `id` is `None`).
    pub async fn answer(&self, verb: &str, id: Option<&str>, response: ResponseTemplate) {
        let route = match id {
            Some(id) => format!("{PREFIX}/Users/{id}"),
            None => format!("{PREFIX}/Users"),
        };
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(response)
            .mount(&self.server)
            .await;
    }

    /// Answers the existence check for the example user with `resources`.
    pub async fn lookup_finds(&self, resources: Vec<Value>) {
        Mock::given(method("GET"))
            .and(path(format!("{PREFIX}/Users")))
            .and(query_param("filter", format!("userName eq \"{LOGIN}\"")))
            .respond_with(json_response(200, list(resources)))
            .mount(&self.server)
            .await;
    }

    /// The example user's stored SCIM id.
    pub fn stored_id(&self) -> Option<String> {
        let user = self.engine.org().user(LOGIN).expect("example user");
        user.app_user.scim_id.clone()
    }
}

/// A ListResponse of `resources` (§3.1).
pub fn list(resources: Vec<Value>) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources
    })
}

/// A SCIM error body (RFC 7644 §3.12).
pub fn scim_error(status: u16, detail: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": status.to_string(),
        "detail": detail
    })
}

/// `status` with `body` as `application/scim+json`.
pub fn json_response(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/scim+json")
}

/// `"<method> <path>?<query>"` exactly as the server saw it.
pub fn line(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
        None => format!("{} {}", request.method, request.url.path()),
    }
}

/// The request lines, in order.
pub fn lines(requests: &[Request]) -> Vec<String> {
    requests.iter().map(line).collect()
}

/// The headers Okta sends (§2.1), in order and with these values; anything
/// the HTTP stack adds (`host`, `content-length`) is left out.
pub fn assert_okta_headers(request: &Request, authorization: &str) {
    let ours = [
        "user-agent",
        "accept",
        "accept-charset",
        "accept-encoding",
        "content-type",
        "authorization",
    ];
    let seen: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(name, _)| ours.contains(&name.as_str()))
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().expect("ascii").to_owned(),
            )
        })
        .collect();
    let mut expected = vec![
        ("user-agent", "Okta SCIM Client 1.0.0"),
        ("accept", "application/scim+json"),
        ("accept-charset", "utf-8"),
        ("accept-encoding", "gzip,deflate"),
    ];
    let method = request.method.as_str();
    if matches!(method, "POST" | "PUT" | "PATCH") {
        expected.push(("content-type", "application/scim+json; charset=utf-8"));
    }
    expected.push(("authorization", authorization));
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(seen, expected, "headers of {}", line(request));
}

/// The body is exactly `expected` serialised: same keys, same order, same
/// bytes.
pub fn assert_body(request: &Request, expected: &Value) {
    let body = String::from_utf8(request.body.clone()).expect("utf-8 body");
    assert_eq!(body, expected.to_string(), "body of {}", line(request));
}

/// The bearer header value for [`TOKEN`].
pub fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// A user resource as a server returns it.
pub fn user_resource(active: bool) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": SCIM_ID,
        "userName": LOGIN,
        "name": {"givenName": "Test", "familyName": "User", "formatted": "Test User"},
        "emails": [{"value": LOGIN, "primary": true}],
        "active": active,
        "meta": {"resourceType": "User", "created": "2026-01-01T00:00:00Z"}
    })
}

/// A 60 s default is far too long for a test of the timeout itself.
pub fn short_timeout() -> ClientSettings {
    ClientSettings {
        timeout: Duration::from_millis(200),
        ..ClientSettings::default()
    }
}
