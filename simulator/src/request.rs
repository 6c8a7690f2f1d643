//! A SCIM request as the engine describes it, and Okta's exact query
//! encoding (docs/okta-wire.md#31-existence-check, §9).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde_json::Value;

/// Characters percent-encoded in a query value: all but RFC 3986 §2.3
/// *unreserved* (`ALPHA / DIGIT / "-" / "." / "_" / "~"`).
///
/// Okta's current docs show `filter=userName%20eq%20%22test.user%40okta.local%22`
/// (space `%20`, quote `%22`, `@` `%40`) [§3.1 DOC O-SCIM20]; form encoding
/// would turn the space into `+`, as Okta's 2019 page did, so `url`'s
/// `query_pairs_mut` and reqwest's `.query()` (both form encoders) are not used.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One request of a call sequence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScimRequest {
    pub(crate) method: Method,
    /// Path segments after the base URL: `["Users"]`, `["Users", id]`.
    pub(crate) segments: Vec<String>,
    /// Query parameters in the order sent.
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Value>,
    /// Which credentials go with it: Okta always sends the token; probes
    /// may send a wrong one or none.
    pub(crate) auth: ProbeAuth,
    /// Who sends it: Okta's own calls carry Okta's `User-Agent`; discovery,
    /// probes and cleanup carry scimulate's, since Okta never sends them.
    pub(crate) sender: Sender,
}

/// Whose request it is, which decides its `User-Agent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Sender {
    /// A request Okta itself sends (docs/okta-wire.md#21-requests).
    #[default]
    Okta,
    /// A request only scimulate sends: discovery, probes, cleanup.
    Scimulate,
}

/// The credentials a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProbeAuth {
    /// The target's token, as Okta sends it.
    #[default]
    Token,
    /// No `Authorization` header at all.
    Missing,
    /// A token the target cannot know ([`WRONG_TOKEN`]).
    Wrong,
}

/// The token a [`ProbeAuth::Wrong`] request sends: not a secret.
pub const WRONG_TOKEN: &str = "scimulate-deliberately-wrong-token";

impl ScimRequest {
    /// `GET /<resource>?startIndex=<start>&count=<count>`: the connection test
    /// (`startIndex=1&count=2`, §1) and import pages (`count=100`, §6, §7; no
    /// `excludedAttributes`, §2.1).
    pub(crate) fn page(resource: &str, start_index: u64, count: u64) -> Self {
        Self {
            method: Method::GET,
            segments: vec![resource.to_owned()],
            query: vec![
                ("startIndex", start_index.to_string()),
                ("count", count.to_string()),
            ],
            body: None,
            auth: ProbeAuth::Token,
            sender: Sender::Okta,
        }
    }

    /// `GET /<resource>?filter=<attribute> eq "<value>"&startIndex=1&count=100`:
    /// the existence check (§3.1) and group lookup (§8.1). Parameter order
    /// `filter`, `startIndex`, `count` as in §9.
    pub(crate) fn lookup(resource: &str, attribute: &str, value: &str) -> Self {
        let filter = format!("{attribute} eq \"{}\"", escape_filter_value(value));
        let mut request = Self::page(resource, 1, 100);
        request.query.insert(0, ("filter", filter));
        request
    }

    /// `GET /<resource>/<id>`.
    pub(crate) fn get(resource: &str, id: &str) -> Self {
        Self::with_body(Method::GET, resource, Some(id), None)
    }

    /// `POST /<resource>` with `body`.
    pub(crate) fn post(resource: &str, body: Value) -> Self {
        Self::with_body(Method::POST, resource, None, Some(body))
    }

    /// `PUT /<resource>/<id>` with `body`.
    pub(crate) fn put(resource: &str, id: &str, body: Value) -> Self {
        Self::with_body(Method::PUT, resource, Some(id), Some(body))
    }

    /// `PATCH /<resource>/<id>` with `body`.
    pub(crate) fn patch(resource: &str, id: &str, body: Value) -> Self {
        Self::with_body(Method::PATCH, resource, Some(id), Some(body))
    }

    /// `DELETE /<resource>/<id>`, no body (§8.6).
    pub(crate) fn delete(resource: &str, id: &str) -> Self {
        Self::with_body(Method::DELETE, resource, Some(id), None)
    }

    fn with_body(method: Method, resource: &str, id: Option<&str>, body: Option<Value>) -> Self {
        let mut segments = vec![resource.to_owned()];
        segments.extend(id.map(str::to_owned));
        Self {
            method,
            segments,
            query: Vec::new(),
            body,
            auth: ProbeAuth::Token,
            sender: Sender::Okta,
        }
    }

    /// The query string exactly as it goes on the wire, without the `?`.
    pub(crate) fn encoded_query(&self) -> Option<String> {
        if self.query.is_empty() {
            return None;
        }
        let pairs: Vec<String> = self
            .query
            .iter()
            .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, QUERY_VALUE)))
            .collect();
        Some(pairs.join("&"))
    }
}

/// Escapes a value for a quoted SCIM filter string: `\` → `\\`, `"` → `\"`.
///
/// How Okta escapes these is **UNCONFIRMED** (§3.1); this is the JSON
/// string escaping RFC 7644 §3.4.2.2 prescribes for filter literals.
pub(crate) fn escape_filter_value(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_query_matches_okta_byte_for_byte() {
        // §3.1 / §9, DOC O-SCIM20.
        let request = ScimRequest::lookup("Users", "userName", "test.user@okta.local");
        assert_eq!(
            request.encoded_query().as_deref(),
            Some("filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100")
        );
    }

    #[test]
    fn connection_test_query_is_constant() {
        // §1: `startIndex` first.
        assert_eq!(
            ScimRequest::page("Users", 1, 2).encoded_query().as_deref(),
            Some("startIndex=1&count=2")
        );
    }

    #[test]
    fn reserved_and_non_ascii_characters_are_percent_encoded() {
        let request = ScimRequest::lookup("Users", "userName", "a+b&c=d/é~x_y-z.w");
        assert_eq!(
            request.encoded_query().as_deref(),
            Some(
                "filter=userName%20eq%20%22a%2Bb%26c%3Dd%2F%C3%A9~x_y-z.w%22&startIndex=1&count=100"
            )
        );
    }

    #[test]
    fn quotes_and_backslashes_are_escaped_inside_the_filter() {
        assert_eq!(escape_filter_value(r#"o"brien\x"#), r#"o\"brien\\x"#);
        let request = ScimRequest::lookup("Users", "userName", r#"a"b"#);
        assert_eq!(
            request.encoded_query().as_deref(),
            Some("filter=userName%20eq%20%22a%5C%22b%22&startIndex=1&count=100")
        );
    }

    #[test]
    fn group_lookup_query_matches_okta_byte_for_byte() {
        // §8.1 step 1 / §9 [DOC O-SCIM20].
        let request = ScimRequest::lookup("Groups", "displayName", "Test SCIMv2");
        assert_eq!(
            request.encoded_query().as_deref(),
            Some("filter=displayName%20eq%20%22Test%20SCIMv2%22&startIndex=1&count=100")
        );
        assert_eq!(
            ScimRequest::page("Groups", 101, 100)
                .encoded_query()
                .as_deref(),
            Some("startIndex=101&count=100")
        );
    }

    #[test]
    fn get_put_patch_have_no_query() {
        assert_eq!(ScimRequest::get("Users", "42").segments, ["Users", "42"]);
        assert!(ScimRequest::get("Users", "42").encoded_query().is_none());
    }
}
