//! A fake 1Password account and a reference bridge over it, both on
//! 127.0.0.1, and a small SCIM client that answers (status, headers, JSON).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{TimeDelta, TimeZone, Utc};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use scimulate_backend::{
    AccountSeed, Backend, BackendOptions, Effect, Member, SeedMember, SteppingClock,
};
use scimulate_bridge::{BridgeConfig, Fault, FaultSet, RunningBridge};
use serde_json::{Value, json};

/// The bearer token every harness bridge takes.
pub const TOKEN: &str = "it-bridge-token";
/// RFC 7644 §3.12.
pub const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// RFC 7644 §3.4.2.
pub const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// RFC 7644 §3.5.2.
pub const PATCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// RFC 7644 §8.1.
pub const SCIM_JSON: &str = "application/scim+json";
/// The base path SCIM calls go to unless a test says otherwise (hosted
/// provisioning's, docs/okta-wire.md#31-existence-check).
pub const BASE_PATH: &str = "/scim/v2";

/// `fixtures/accounts/acme.toml`: alice (the only owner), bob (active, not
/// provisioned, in Engineering), gina (guest), ivan (invited), sam
/// (suspended); groups Engineering and Design.
pub fn acme() -> AccountSeed {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/accounts/acme.toml");
    AccountSeed::from_path(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// An account with nobody in it, acme.com allowed.
pub fn empty() -> AccountSeed {
    AccountSeed::default()
}

/// An empty account with `n` active, unprovisioned members
/// `user001@acme.com`, `user002@acme.com`, …
pub fn crowd(n: usize) -> AccountSeed {
    let mut seed = AccountSeed::default();
    for i in 1..=n {
        let member = SeedMember::new(&format!("user{i:03}@acme.com"), "User", &format!("{i:03}"));
        seed.add_member(member).unwrap_or_else(|e| panic!("{e}"));
    }
    seed
}

/// A backend seeded with an account and a bridge in front of it.
pub struct Harness {
    pub backend: Backend,
    bridge: RunningBridge,
    http: reqwest::Client,
}

impl Harness {
    /// A correct bridge over `seed`.
    pub async fn start(seed: AccountSeed) -> Harness {
        Harness::with_faults(seed, &[]).await
    }

    /// A bridge playing `faults` over `seed`.
    pub async fn with_faults(seed: AccountSeed, faults: &[Fault]) -> Harness {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let backend = Backend::start(seed, BackendOptions::deterministic()).await;
        let mut config = BridgeConfig::new(
            &backend.url(),
            TOKEN,
            faults.iter().copied().collect::<FaultSet>(),
        );
        let start = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        config.clock = Arc::new(SteppingClock::new(start, TimeDelta::seconds(1)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let bridge = scimulate_bridge::spawn(listener, config).unwrap_or_else(|e| panic!("{e}"));
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        Harness {
            backend,
            bridge,
            http,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn root(&self) -> String {
        format!("http://{}", self.bridge.addr())
    }

    /// A request to `path` (from the root: `/scim/v2/Users`, `/ping`), no
    /// token.
    pub fn anonymous(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.root()))
    }

    /// A request to `path` (from the root) with the bridge's token.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.anonymous(method, path).bearer_auth(TOKEN)
    }

    /// Sends `method` `BASE_PATH + path` with the token and, if given, a
    /// SCIM JSON body.
    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Answer {
        let mut request = self.request(method, &format!("{BASE_PATH}{path}"));
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/scim+json; charset=utf-8")
                .body(body.to_string());
        }
        send(request).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Answer {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Answer {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.call(Method::DELETE, path, None).await
    }

    /// Okta's existence check (docs/okta-wire.md#31-existence-check), percent-encoded
    /// the way Okta sends it today.
    pub async fn lookup(&self, user_name: &str) -> Answer {
        self.get(&format!(
            "/Users?filter={}&startIndex=1&count=100",
            encode(&format!("userName eq \"{user_name}\""))
        ))
        .await
    }

    /// `GET /Users?filter=…`, percent-encoded.
    pub async fn users_where(&self, filter: &str) -> Answer {
        self.get(&format!("/Users?filter={}", encode(filter))).await
    }

    /// `GET /Groups?filter=…`, percent-encoded.
    pub async fn groups_where(&self, filter: &str) -> Answer {
        self.get(&format!("/Groups?filter={}", encode(filter)))
            .await
    }

    /// `POST /Users` with Okta's body for `email`; panics unless 201.
    pub async fn provision(&self, email: &str, given: &str, family: &str) -> String {
        let answer = self
            .post("/Users", &okta_user(email, given, family, None))
            .await;
        assert_eq!(answer.status, 201, "provision {email}: {}", answer.text);
        answer.id()
    }

    /// `POST /Groups` with Okta's push body; panics unless 201.
    pub async fn push_group(&self, name: &str) -> String {
        let answer = self.post("/Groups", &okta_group(name)).await;
        assert_eq!(answer.status, 201, "push {name}: {}", answer.text);
        answer.id()
    }

    /// The member with this e-mail (any case), straight from the account.
    pub fn member(&self, email: &str) -> Member {
        self.backend
            .member_by_email(email)
            .unwrap_or_else(|| panic!("no member {email}"))
    }

    /// The `kind` tags of the whole effect log.
    pub fn kinds(&self) -> Vec<String> {
        kinds(&self.backend.effects())
    }

    /// The `kind` tags of the effects after `seq`.
    pub fn kinds_after(&self, seq: usize) -> Vec<String> {
        kinds(&self.backend.effects_after(seq as u64))
    }

    /// How many effects the log holds.
    pub fn effect_count(&self) -> usize {
        self.backend.effects().len()
    }

    /// How many groups the account has with this name, in any case.
    pub fn groups_named(&self, name: &str) -> usize {
        self.backend
            .snapshot()
            .groups
            .iter()
            .filter(|g| g.name.eq_ignore_ascii_case(name))
            .count()
    }
}

/// One answer of the bridge.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    /// The body as JSON, or `Null` when it is empty or not JSON.
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    /// The body's `id`.
    #[track_caller]
    pub fn id(&self) -> String {
        match self.body["id"].as_str() {
            Some(id) => id.to_string(),
            None => panic!("no id in {}", self.text),
        }
    }

    /// A ListResponse's `Resources`.
    #[track_caller]
    pub fn resources(&self) -> &Vec<Value> {
        match self.body["Resources"].as_array() {
            Some(resources) => resources,
            None => panic!("no Resources in {} {}", self.status, self.text),
        }
    }

    /// The `id`s of a ListResponse's resources.
    #[track_caller]
    pub fn ids(&self) -> Vec<String> {
        self.resources()
            .iter()
            .map(|r| r["id"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// The `field` of every resource of a ListResponse, as strings.
    #[track_caller]
    pub fn column(&self, field: &str) -> Vec<String> {
        self.resources()
            .iter()
            .map(|r| r[field].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// Asserts a SCIM error answer (RFC 7644 §3.12): the status, the SCIM
    /// media type, the Error schema, `status` as a string, a non-empty
    /// `detail` and exactly this `scimType`.
    #[track_caller]
    pub fn assert_error(&self, status: u16, scim_type: Option<&str>) {
        assert_eq!(self.status, status, "status of {}", self.text);
        assert!(
            self.content_type().starts_with(SCIM_JSON),
            "content type {:?} of {}",
            self.content_type(),
            self.text
        );
        assert_eq!(self.body["schemas"], json!([ERROR_URN]), "{}", self.text);
        assert_eq!(
            self.body["status"],
            json!(status.to_string()),
            "{}",
            self.text
        );
        assert!(
            self.body["detail"]
                .as_str()
                .is_some_and(|d| !d.trim().is_empty()),
            "detail of {}",
            self.text
        );
        assert_eq!(
            self.body.get("scimType").and_then(Value::as_str),
            scim_type,
            "scimType of {}",
            self.text
        );
    }

    /// The error's `detail`.
    pub fn detail(&self) -> &str {
        self.body["detail"].as_str().unwrap_or_default()
    }
}

/// Sends a request and reads the whole answer.
pub async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("request failed: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response
        .text()
        .await
        .unwrap_or_else(|e| panic!("reading the body: {e}"));
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
        text,
    }
}

/// Percent-encodes a query value the way Okta does today: every byte but
/// RFC 3986's unreserved ones, so space is `%20`, `"` is `%22`, `@` is `%40`
/// (docs/okta-wire.md#31-existence-check).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The `kind` tags of effects, in order.
pub fn kinds(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .map(|e| {
            serde_json::to_value(&e.kind).unwrap_or_default()["kind"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// Okta's create body (docs/okta-wire.md#32-create) for another person.
pub fn okta_user(email: &str, given: &str, family: &str, external_id: Option<&str>) -> Value {
    json!({"schemas":[USER_URN],
     "userName":email,
     "name":{"givenName":given,"familyName":family},
     "emails":[{"primary":true,"value":email,"type":"work"}],
     "displayName":format!("{given} {family}"),
     "locale":"en-US",
     "externalId":external_id.unwrap_or("00ujl29u0le5T6Aj10h7"),
     "groups":[],
     "password":"1mz050nq",
     "active":true})
}

/// Okta's group push body (docs/okta-wire.md#81-pushing-a-new-group step 2).
pub fn okta_group(name: &str) -> Value {
    json!({"schemas":[GROUP_URN],"displayName":name,"members":[]})
}

/// A PatchOp body with these operations.
pub fn patch_op(operations: Value) -> Value {
    json!({"schemas":[PATCH_URN],"Operations":operations})
}

/// Okta's deactivate (docs/okta-wire.md#51-deactivate), or reactivate (§5.4).
pub fn set_active(active: bool) -> Value {
    patch_op(json!([{"op":"replace","value":{"active":active}}]))
}
