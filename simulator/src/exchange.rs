//! One exchange: a request Okta sent and the answer it got (or why it got
//! none), numbered in the order sent, with the token already redacted.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Bodies that are not JSON are kept as text up to this many bytes.
pub const TEXT_CAP: usize = 64 * 1024;

/// One request + response of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// 1, 2, 3… over the whole run, in the order the requests were sent.
    pub number: u64,
    /// The admin action that sent it, e.g. `assign alice@acme.com`.
    pub action: String,
    /// Its step within that action's call sequence, e.g. `existence check`.
    pub step: String,
    /// 1 for the first try; retries after a 429 count up (okta-scim-wire.md §10).
    pub attempt: u32,
    /// When the request was sent, from the injected clock.
    pub started_at: DateTime<Utc>,
    /// How long until the answer was read (or the request failed), by the
    /// injected clock: 0 under a virtual clock.
    pub duration_ms: u64,
    /// The same in microseconds, for latency figures (`scimulate load`).
    /// Not serialized: reports and baselines show milliseconds.
    #[serde(skip)]
    pub duration_us: u64,
    /// What was sent.
    pub request: RecordedRequest,
    /// What came back, when anything did.
    pub response: Option<RecordedResponse>,
    /// Why the exchange did not complete: timeout, connection refused, body
    /// too large… `None` when the answer was read in full.
    pub error: Option<String>,
}

/// A request as it went on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`.
    pub method: String,
    /// Path and query relative to the base URL, exactly as sent:
    /// `/Users?filter=userName%20eq%20%22a%40b.c%22&startIndex=1&count=100`.
    pub path: String,
    /// Headers in the order they were set; `Authorization` reads
    /// `Bearer [REDACTED]` (STYLE §5: redacted when recorded).
    pub headers: Vec<Header>,
    /// The JSON body, when there was one.
    pub body: Option<Value>,
}

/// An answer as it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Headers in the order received (a gzip/deflate answer is recorded
    /// decoded, without `Content-Encoding` and `Content-Length`).
    pub headers: Vec<Header>,
    /// The body.
    pub body: RecordedBody,
}

/// One header line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Lower-case name, as HTTP/1.1 libraries normalise it.
    pub name: String,
    /// The value (lossy UTF-8).
    pub value: String,
}

/// A response body: JSON when it parses (Okta parses every body as JSON
/// whatever its media type, §2.3), else text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordedBody {
    /// No bytes at all (e.g. 204 to a PATCH, §2.3).
    Empty,
    /// A body that parsed as JSON.
    Json(Value),
    /// Any other body, as lossy UTF-8, cut at [`TEXT_CAP`] bytes.
    Text {
        /// The text, ending in a `[truncated …]` marker when cut.
        text: String,
        /// Whether the text (or the read itself) was cut short.
        truncated: bool,
    },
}

impl Header {
    /// A header line.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

impl RecordedBody {
    /// Classifies raw bytes; `cut_short` says the read stopped at the size cap.
    pub fn from_bytes(bytes: &[u8], cut_short: bool) -> Self {
        if bytes.is_empty() {
            return Self::Empty;
        }
        if !cut_short && let Ok(value) = serde_json::from_slice::<Value>(bytes) {
            return Self::Json(value);
        }
        let text = String::from_utf8_lossy(bytes);
        if text.len() <= TEXT_CAP && !cut_short {
            return Self::Text {
                text: text.into_owned(),
                truncated: false,
            };
        }
        let mut end = text.len().min(TEXT_CAP);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let total = if cut_short {
            format!("more than {} bytes", bytes.len())
        } else {
            format!("{} bytes", bytes.len())
        };
        Self::Text {
            text: format!("{}[truncated: {end} of {total} shown]", &text[..end]),
            truncated: true,
        }
    }

    /// The JSON value, when the body was JSON.
    pub fn json(&self) -> Option<&Value> {
        match self {
            Self::Json(value) => Some(value),
            _ => None,
        }
    }
}

impl Exchange {
    /// A placeholder for an exchange the transcript does not hold (it
    /// always does; this keeps callers free of `unwrap`).
    pub(crate) fn unrecorded(number: u64, action: &str, step: &str) -> Self {
        Exchange {
            number,
            action: action.to_owned(),
            step: step.to_owned(),
            attempt: 1,
            started_at: DateTime::<Utc>::default(),
            duration_ms: 0,
            duration_us: 0,
            request: RecordedRequest {
                method: String::new(),
                path: String::new(),
                headers: Vec::new(),
                body: None,
            },
            response: None,
            error: Some("exchange missing from the transcript".to_owned()),
        }
    }

    /// `#14 PATCH /Users/{id}`: how a verdict points at this exchange.
    pub fn headline(&self) -> String {
        format!(
            "#{} {} {}",
            self.number, self.request.method, self.request.path
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_text_and_empty_bodies_are_told_apart() {
        assert_eq!(RecordedBody::from_bytes(b"", false), RecordedBody::Empty);
        assert_eq!(
            RecordedBody::from_bytes(br#"{"id":"1"}"#, false),
            RecordedBody::Json(json!({"id": "1"}))
        );
        assert_eq!(
            RecordedBody::from_bytes(b"error code: 502", false),
            RecordedBody::Text {
                text: "error code: 502".into(),
                truncated: false
            }
        );
    }

    #[test]
    fn long_text_is_cut_on_a_char_boundary_with_a_marker() {
        let mut body = "é".repeat(TEXT_CAP);
        body.insert(0, 'x');
        let RecordedBody::Text { text, truncated } =
            RecordedBody::from_bytes(body.as_bytes(), false)
        else {
            panic!("expected text");
        };
        assert!(truncated);
        assert!(text.ends_with(&format!(
            "[truncated: {} of {} bytes shown]",
            TEXT_CAP - 1,
            body.len()
        )));
    }

    #[test]
    fn a_body_cut_by_the_size_cap_is_never_taken_for_json() {
        let body = RecordedBody::from_bytes(br#"{"a":1}"#, true);
        assert_eq!(
            body,
            RecordedBody::Text {
                text: r#"{"a":1}[truncated: 7 of more than 7 bytes shown]"#.into(),
                truncated: true
            }
        );
    }
}
