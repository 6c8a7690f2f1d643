//! One exchange: a request Okta sent and the answer it got (or why it got
//! none), numbered in the order sent. The answer is kept as received (a
//! token the target echoes included): outputs redact it (`crate::redact`).

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
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
    /// 1 for the first try; retries after a 429 count up (docs/okta-wire.md#10-errors-retries-timeouts).
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
    /// `Bearer [REDACTED]`: scimulate's own header is not evidence, so it
    /// is never recorded with the secret.
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
    Json(JsonBody),
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
        if !cut_short && let Some(body) = JsonBody::compact(bytes) {
            return Self::Json(body);
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

    /// The JSON value, when the body was JSON: parsed once and kept (see
    /// [`JsonBody::value`]).
    pub fn json(&self) -> Option<&Value> {
        match self {
            Self::Json(body) => Some(body.value()),
            _ => None,
        }
    }

    /// The JSON body, when the body was JSON.
    pub fn json_body(&self) -> Option<&JsonBody> {
        match self {
            Self::Json(body) => Some(body),
            _ => None,
        }
    }
}

/// A JSON body as compact text: what it costs on the wire, not the four to
/// five times more a parsed [`Value`] costs (an object is a hash map, each
/// key a string of its own). A 100,000-user import records 1,000 pages of
/// 100 users; held as values they alone outgrew the 300 MB budget
/// (BENCHMARKS.md).
///
/// Two ways to read it: [`JsonBody::value`] parses once and keeps the
/// result, for the small answers checks read again and again;
/// [`JsonBody::parse`] parses afresh and keeps nothing, for bodies read once
/// in bulk (import pages), so judging them never holds them all parsed.
#[derive(Clone)]
pub struct JsonBody {
    /// `Value::to_string` of the body: compact, keys in the order received.
    text: Box<str>,
    parsed: OnceLock<Value>,
}

impl JsonBody {
    /// `bytes` as compact JSON text, when they are one JSON value: written
    /// token by token as they are read (serde-transcode), so no `Value` is
    /// built. The text is what `Value::to_string` would write (the same
    /// reader and writer), except that a key given twice stays twice (a
    /// parsed value keeps the last, as [`JsonBody::parse`] does).
    pub fn compact(bytes: &[u8]) -> Option<Self> {
        let mut reader = serde_json::Deserializer::from_slice(bytes);
        let mut text = Vec::with_capacity(bytes.len());
        serde_transcode::transcode(&mut reader, &mut serde_json::Serializer::new(&mut text))
            .ok()?;
        reader.end().ok()?;
        let text = String::from_utf8(text).ok()?;
        Some(Self {
            text: text.into_boxed_str(),
            parsed: OnceLock::new(),
        })
    }

    /// The body as compact JSON text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The value, parsed on the first call and kept.
    pub fn value(&self) -> &Value {
        self.parsed.get_or_init(|| self.parse())
    }

    /// The value, parsed afresh; nothing is kept.
    pub fn parse(&self) -> Value {
        if let Some(value) = self.parsed.get() {
            return value.clone();
        }
        // The text was written by `Value::to_string`: it parses back.
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    /// Whether [`JsonBody::value`] has parsed and kept the value.
    pub fn is_kept(&self) -> bool {
        self.parsed.get().is_some()
    }
}

impl From<Value> for JsonBody {
    fn from(value: Value) -> Self {
        Self {
            text: value.to_string().into_boxed_str(),
            parsed: OnceLock::new(),
        }
    }
}

impl PartialEq for JsonBody {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl std::fmt::Debug for JsonBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The compact text, as `Value`'s `Display` writes it.
impl std::fmt::Display for JsonBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for JsonBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.parse().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for JsonBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Self::from)
    }
}

impl Exchange {
    /// A placeholder for an exchange the transcript does not hold (it
    /// always does; this keeps callers free of `unwrap`).
    pub fn unrecorded(number: u64, action: &str, step: &str) -> Self {
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
            RecordedBody::Json(json!({"id": "1"}).into())
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
    fn a_json_body_is_kept_as_compact_text_and_parsed_where_read() {
        let wire = b"{ \"b\": 1,\n  \"a\": [true, null, \"\\u00e9\"], \"n\": 2.5 }";
        let RecordedBody::Json(body) = RecordedBody::from_bytes(wire, false) else {
            panic!("JSON");
        };
        // Compact, keys in the order received, strings as `Value` writes them.
        assert_eq!(body.text(), r#"{"b":1,"a":[true,null,"é"],"n":2.5}"#);
        assert_eq!(body.to_string(), body.text());
        let value = json!({"b": 1, "a": [true, null, "é"], "n": 2.5});
        assert_eq!(body.parse(), value);
        assert!(!body.is_kept(), "parse keeps nothing");
        assert_eq!(body.value(), &value);
        assert!(body.is_kept(), "value keeps what it parsed");
        // Serialized as the JSON it holds, in any format, and read back.
        let text = serde_json::to_string(&RecordedBody::Json(body.clone())).unwrap();
        assert_eq!(text, r#"{"json":{"b":1,"a":[true,null,"é"],"n":2.5}}"#);
        let back: RecordedBody = serde_json::from_str(&text).unwrap();
        assert_eq!(back, RecordedBody::Json(body));
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
