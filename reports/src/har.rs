//! HAR 1.2 (`--har PATH`): every exchange of the run, to open in a
//! browser's devtools (Network panel → Import HAR) or any HAR viewer.
//!
//! Each scenario run is a page (`pages[].id` is its label, `core`,
//! `push-group-new@aiw`…) and each exchange an entry of that page, in the
//! order sent, with Okta's admin action and step in `comment`. Headers are
//! as recorded, so `Authorization` reads `Bearer [REDACTED]`. An exchange
//! that got no answer (timeout, refused connection) has status 0 and the
//! cause in the entry's `_error` (HAR 1.2 allows custom fields that start
//! with an underscore). Format: <http://www.softwareishard.com/blog/har-12-spec/>.
//!
//! ```
//! # fn demo(record: &scimulate_record::Redacted<scimulate_record::RunRecord>) {
//! let har: serde_json::Value =
//!     serde_json::from_str(&scimulate_reports::har::render(record)).unwrap();
//! assert_eq!(har["log"]["version"], "1.2");
//! # }
//! ```

use chrono::{DateTime, SecondsFormat, Utc};
use scimulate_record::{Exchange, RecordedBody};
use scimulate_record::{Redacted, RunRecord};
use serde::Serialize;

/// Renders the HAR document, pretty-printed, with a trailing newline.
pub fn render(record: &Redacted<RunRecord>) -> String {
    let mut text = serde_json::to_string_pretty(&har(record))
        .expect("a HAR document serializes: every map has string keys");
    text.push('\n');
    text
}

/// Builds the HAR document of a run.
pub fn har(record: &RunRecord) -> Har {
    let base = record.target.base_url.trim_end_matches('/');
    let mut pages = Vec::new();
    let mut entries = Vec::new();
    for scenario in &record.scenarios {
        let started = scenario
            .transcript
            .first()
            .map_or(record.started_at, |e| e.started_at);
        pages.push(Page {
            started_date_time: timestamp(&started),
            id: scenario.name.clone(),
            title: format!("scenario {}", scenario.name),
            page_timings: PageTimings {},
        });
        entries.extend(
            scenario
                .transcript
                .iter()
                .map(|exchange| entry(base, &scenario.name, exchange)),
        );
    }
    Har {
        log: Log {
            version: "1.2",
            creator: Creator {
                name: record.tool.to_string(),
                version: record.version.to_string(),
                comment: format!("run {}", record.run_id),
            },
            pages,
            entries,
        },
    }
}

fn entry(base: &str, page: &str, exchange: &Exchange) -> Entry {
    let url = format!("{base}{}", exchange.request.path);
    let query_string = match url.split_once('?') {
        Some((_, query)) => url::form_urlencoded::parse(query.as_bytes())
            .map(|(name, value)| NameValue {
                name: name.into_owned(),
                value: value.into_owned(),
            })
            .collect(),
        None => Vec::new(),
    };
    let request_headers = name_values(&exchange.request.headers);
    let post_data = exchange.request.body.as_ref().map(|body| PostData {
        mime_type: header(&request_headers, "content-type")
            .unwrap_or("application/scim+json")
            .to_string(),
        text: body.to_string(),
    });
    let body_size = post_data.as_ref().map_or(0, |p| p.text.len() as i64);
    let response = match &exchange.response {
        Some(response) => {
            let headers = name_values(&response.headers);
            let text = match &response.body {
                RecordedBody::Empty => None,
                RecordedBody::Json(value) => Some(value.to_string()),
                RecordedBody::Text { text, .. } => Some(text.clone()),
            };
            Response {
                status: response.status,
                status_text: http::StatusCode::from_u16(response.status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("")
                    .to_string(),
                http_version: "HTTP/1.1",
                cookies: Vec::new(),
                content: Content {
                    size: text.as_ref().map_or(0, |t| t.len() as i64),
                    mime_type: header(&headers, "content-type").unwrap_or("").to_string(),
                    text,
                },
                headers,
                redirect_url: String::new(),
                headers_size: -1,
                body_size: -1,
            }
        }
        None => Response {
            status: 0,
            status_text: String::new(),
            http_version: "",
            cookies: Vec::new(),
            headers: Vec::new(),
            content: Content {
                size: 0,
                mime_type: String::new(),
                text: None,
            },
            redirect_url: String::new(),
            headers_size: -1,
            body_size: -1,
        },
    };
    Entry {
        pageref: page.to_string(),
        started_date_time: timestamp(&exchange.started_at),
        time: exchange.duration_ms as f64,
        request: Request {
            method: exchange.request.method.clone(),
            url,
            http_version: "HTTP/1.1",
            cookies: Vec::new(),
            headers: request_headers,
            query_string,
            post_data,
            headers_size: -1,
            body_size,
        },
        response,
        cache: Cache {},
        // The simulator times the whole exchange; HAR wants it split, so
        // all of it is `wait` (send and receive are not measured apart).
        timings: Timings {
            send: 0.0,
            wait: exchange.duration_ms as f64,
            receive: 0.0,
        },
        comment: format!(
            "#{} {}: {} (attempt {})",
            exchange.number, exchange.action, exchange.step, exchange.attempt
        ),
        error: exchange.error.clone(),
    }
}

fn name_values(headers: &[scimulate_record::Header]) -> Vec<NameValue> {
    headers
        .iter()
        .map(|h| NameValue {
            name: h.name.clone(),
            value: h.value.clone(),
        })
        .collect()
}

fn header<'h>(headers: &'h [NameValue], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// ISO 8601 with milliseconds, as HAR's `startedDateTime` wants.
fn timestamp(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The document: `{"log": …}`.
#[derive(Debug, Serialize)]
pub struct Har {
    pub log: Log,
}

#[derive(Debug, Serialize)]
pub struct Log {
    pub version: &'static str,
    pub creator: Creator,
    pub pages: Vec<Page>,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Serialize)]
pub struct Creator {
    pub name: String,
    pub version: String,
    pub comment: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub started_date_time: String,
    pub id: String,
    pub title: String,
    pub page_timings: PageTimings,
}

/// No page load happens: the timings are left out (HAR: -1 or absent).
#[derive(Debug, Serialize)]
pub struct PageTimings {}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub pageref: String,
    pub started_date_time: String,
    pub time: f64,
    pub request: Request,
    pub response: Response,
    pub cache: Cache,
    pub timings: Timings,
    pub comment: String,
    #[serde(rename = "_error", skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub method: String,
    pub url: String,
    pub http_version: &'static str,
    pub cookies: Vec<NameValue>,
    pub headers: Vec<NameValue>,
    pub query_string: Vec<NameValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_data: Option<PostData>,
    pub headers_size: i64,
    pub body_size: i64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    pub status: u16,
    pub status_text: String,
    pub http_version: &'static str,
    pub cookies: Vec<NameValue>,
    pub headers: Vec<NameValue>,
    pub content: Content,
    #[serde(rename = "redirectURL")]
    pub redirect_url: String,
    pub headers_size: i64,
    pub body_size: i64,
}

#[derive(Debug, Serialize)]
pub struct NameValue {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostData {
    pub mime_type: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    pub size: i64,
    pub mime_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Nothing was cached.
#[derive(Debug, Serialize)]
pub struct Cache {}

#[derive(Debug, Serialize)]
pub struct Timings {
    pub send: f64,
    pub wait: f64,
    pub receive: f64,
}
