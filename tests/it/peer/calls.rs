//! The requests as Okta's client sends them: paths, filters and bodies, with
//! Okta's test data, built from what earlier answers taught.

use reqwest::Method;
use serde_json::{Value, json};

use super::facts::Facts;

pub(super) const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub(super) const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Okta's test user (docs/okta-wire.md#32-create, on a domain the reference
/// account allows).
pub(super) const USER_NAME: &str = "test.user@acme.com";
/// The same user name in another case (Okta's SPEC test probes this, §12.1).
pub(super) const USER_NAME_OTHER_CASE: &str = "Test.User@ACME.com";
pub(super) const GROUP_NAME: &str = "Test SCIMv2";
pub(super) const GROUP_RENAMED: &str = "Test SCIMv2 Renamed";
/// Okta's SPEC test asks for this id and expects 404 (§12.1 step 4).
pub(super) const UNKNOWN_ID: &str = "010101001010101011001010101011";

/// A request as Okta's client sends it (docs/okta-wire.md#21-requests).
pub(super) struct Call {
    pub(super) method: Method,
    /// From the base URL, query included, already encoded.
    pub(super) path: String,
    pub(super) body: Option<Value>,
    /// Send a token the target does not accept.
    pub(super) wrong_token: bool,
}

impl Call {
    fn new(method: Method, path: &str, body: Option<Value>) -> Self {
        Call {
            method,
            path: path.to_string(),
            body,
            wrong_token: false,
        }
    }

    pub(super) fn get(path: &str) -> Self {
        Call::new(Method::GET, path, None)
    }

    pub(super) fn post(path: &str, body: Value) -> Self {
        Call::new(Method::POST, path, Some(body))
    }

    pub(super) fn put(path: &str, body: Value) -> Self {
        Call::new(Method::PUT, path, Some(body))
    }

    pub(super) fn patch(path: &str, body: Value) -> Self {
        Call::new(Method::PATCH, path, Some(body))
    }

    pub(super) fn delete(path: &str) -> Self {
        Call::new(Method::DELETE, path, None)
    }
}

/// Why a probe was not sent.
pub(super) type Blocked = &'static str;

pub(super) const NEEDS_USER: Blocked = "needs the user created by okta.create.post-user";
pub(super) const NEEDS_GROUP: Blocked = "needs the group created by okta.push-group.create";

pub(super) fn user_path(facts: &Facts) -> Result<String, Blocked> {
    let id = facts.user.as_ref().ok_or(NEEDS_USER)?;
    Ok(format!("/Users/{}", encode(id)))
}

pub(super) fn group_path(facts: &Facts) -> Result<String, Blocked> {
    let id = facts.group.as_ref().ok_or(NEEDS_GROUP)?;
    Ok(format!("/Groups/{}", encode(id)))
}

/// Okta's test user and the first crowd user, both needed as members.
pub(super) fn two_members(facts: &Facts) -> Result<(&str, &str), Blocked> {
    let user = facts.user.as_deref().ok_or(NEEDS_USER)?;
    let other = facts
        .crowd
        .first()
        .ok_or("needs the user created by paging.create-user-2")?;
    Ok((user, other))
}

/// Okta's existence check (docs/okta-wire.md#31-existence-check), encoded as Okta does.
pub(super) fn user_lookup(user_name: &str) -> String {
    let filter = encode(&format!("userName eq \"{user_name}\""));
    format!("/Users?filter={filter}&startIndex=1&count=100")
}

/// Okta's group lookup (docs/okta-wire.md#81-pushing-a-new-group step 1).
pub(super) fn group_lookup(name: &str) -> String {
    let filter = encode(&format!("displayName eq \"{name}\""));
    format!("/Groups?filter={filter}&startIndex=1&count=100")
}

/// Percent-encodes all but RFC 3986 unreserved characters: space as `%20`,
/// quote as `%22`, `@` as `%40`, as Okta sends them (docs/okta-wire.md#31-existence-check).
fn encode(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The paging probes' user `n` (2 to 5): `peer.user{n}@acme.com`, Peer
/// User{n}.
pub(super) fn crowd_name(n: u8) -> String {
    format!("peer.user{n}@acme.com")
}

pub(super) fn crowd_post(n: u8) -> Call {
    let family = format!("User{n}");
    Call::post("/Users", okta_user(&crowd_name(n), "Peer", &family, n))
}

/// Okta's create body, field for field (docs/okta-wire.md#32-create); `n` makes
/// the `externalId` (Okta's user id) unique.
pub(super) fn okta_user(user_name: &str, given: &str, family: &str, n: u8) -> Value {
    json!({
        "schemas": [USER_URN],
        "userName": user_name,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"primary": true, "value": user_name, "type": "work"}],
        "displayName": format!("{given} {family}"),
        "locale": "en-US",
        "externalId": format!("00ujl29u0le5T6Aj10h{n}"),
        "groups": [],
        "password": "1mz050nq",
        "active": true,
    })
}

/// Okta's deactivate/reactivate PATCH: one path-less replace
/// (docs/okta-wire.md#51-deactivate, §5.4).
pub(super) fn okta_set_active(active: bool) -> Value {
    patch(json!([{"op": "replace", "value": {"active": active}}]))
}

pub(super) fn patch(operations: Value) -> Value {
    json!({"schemas": [PATCH_URN], "Operations": operations})
}

/// Pages advance by `count` as Okta's import does (docs/okta-wire.md#6-importing-users).
pub(super) const PAGE_SIZE: u64 = 2;

pub(super) fn page_call(facts: &Facts, start_index: u64) -> Result<Call, Blocked> {
    if facts.user.is_none() || facts.crowd.len() < 4 {
        return Err("needs the five users of okta.create.post-user and paging.create-user-*");
    }
    Ok(Call::get(&format!(
        "/Users?startIndex={start_index}&count={PAGE_SIZE}"
    )))
}
