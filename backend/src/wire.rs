//! What a route sees of a request and what it answers, apart from the
//! server that carries them (`server.rs`): plain data, so the routes are
//! tested without a socket and nothing of a request outlives its answer.

use serde::Serialize;
use url::Url;

/// One request to the account's API.
pub(crate) struct ApiRequest {
    pub method: String,
    /// The whole URL as received (`http://localhost/v1/members?email=…`):
    /// routes read its percent-encoded path segments and its query.
    pub url: Url,
    /// The value of the test-control header ([`crate::CONTROL_HEADER`]),
    /// when sent as text.
    pub control: Option<String>,
    pub body: Vec<u8>,
}

impl ApiRequest {
    /// The path segments, percent-encoded as sent (`["v1", "members",
    /// "{id}", "link"]`).
    pub fn segments(&self) -> Vec<&str> {
        self.url
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default()
    }
}

/// An answer: a status and, unless empty, a JSON body.
#[derive(Debug, PartialEq)]
pub(crate) struct Reply {
    pub status: u16,
    pub json: Option<Vec<u8>>,
}

impl Reply {
    /// An answer without a body (204 of a delete).
    pub fn empty(status: u16) -> Reply {
        Reply { status, json: None }
    }

    /// `value` as JSON with `status`.
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Reply {
        match serde_json::to_vec(value) {
            Ok(bytes) => Reply {
                status,
                json: Some(bytes),
            },
            // Our types always serialize; answer rather than panic if one
            // did not.
            Err(error) => Reply {
                status: 500,
                json: serde_json::to_vec(&serde_json::json!({
                    "error": "invalid_request",
                    "detail": format!("the account could not serialize its answer: {error}"),
                }))
                .ok(),
            },
        }
    }
}
