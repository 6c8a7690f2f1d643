//! A wiremock SCIM server at `/scim/v2`, an engine pointed at it on a
//! virtual clock, an org for group pushes, and assertions on what reached
//! the server.

use std::sync::Arc;
use std::time::Duration;

use scimulate_simulator::{
    ActionOutcome, AdminAction, App, ClientSettings, Dialect, Engine, OktaClient, OktaOrg, Target,
    Token, UserProfile, VirtualClock,
};
use serde_json::{Value, json};
use wiremock::{MockServer, Request, ResponseTemplate};

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

/// The reference's second user id (§8.4 remove example).
pub const OTHER_ID: &str = "89bb1940-b905-4575-9e7f-6f887cfb368e";
/// Its Okta login.
pub const OTHER_LOGIN: &str = "other.user@okta.local";
/// An Okta user with no app user: never pushed.
pub const NEW_LOGIN: &str = "new.user@okta.local";
/// An Okta user provisioned, then deactivated: never pushed (§8).
pub const GONE_LOGIN: &str = "gone.user@okta.local";
/// Its SCIM id.
pub const GONE_ID: &str = "0d6e6f1a-6f2e-4b8e-9a53-2a1d5e0c9f11";
/// The reference's group name (§8.1).
pub const GROUP: &str = "Test SCIMv2";
/// The app group's SCIM id.
pub const GROUP_ID: &str = "abf4dd94-a4c0-4f67-89c9-76b03340cb9b";
/// The group lookup's exact request line (§8.1 step 1 [DOC O-SCIM20]).
pub const GROUP_LOOKUP: &str =
    "GET /scim/v2/Groups?filter=displayName%20eq%20%22Test%20SCIMv2%22&startIndex=1&count=100";
/// `/scim/v2/Groups/{GROUP_ID}`.
pub const GROUP_PATH: &str = "/scim/v2/Groups/abf4dd94-a4c0-4f67-89c9-76b03340cb9b";

impl Run {
    /// Runs `action` and asserts Okta's verdict was success.
    pub async fn succeeds(&mut self, action: AdminAction) -> ActionOutcome {
        let outcome = self.run(action).await;
        assert!(outcome.succeeded(), "{outcome:?}");
        outcome
    }

    /// The push link of [`GROUP`].
    pub fn push_link(&self) -> Option<scimulate_simulator::PushLink> {
        self.push_link_of(GROUP)
    }

    /// The push link of the group named `name`.
    pub fn push_link_of(&self, name: &str) -> Option<scimulate_simulator::PushLink> {
        let group = self.engine.org().group(name).expect("a group of the org");
        group.push.clone()
    }
}

/// An app user as a server lists it.
pub fn app_user(id: &str, user_name: &str, active: bool) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": id,
        "userName": user_name,
        "emails": [{"value": user_name, "primary": true}],
        "active": active
    })
}

/// A group resource as a server returns it.
pub fn group_resource(members: Vec<Value>) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": GROUP_ID,
        "displayName": GROUP,
        "members": members,
        "meta": {"resourceType": "Group"}
    })
}
