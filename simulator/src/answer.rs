//! How Okta reads an answer: success or a failure with the cause it shows
//! (docs/okta-wire.md#23-responses-okta-accepts, §10), and what it takes out of SCIM bodies.

use reqwest::StatusCode;
use serde_json::Value;

use crate::admin_message::{invalid_json, remote_error};
use crate::client::{Reply, TransportError};
use crate::exchange::RecordedBody;
use crate::outcome::{Failure, FailureKind};

/// One reply, as Okta judges it.
#[derive(Debug, Clone)]
pub(crate) enum Answer {
    /// 2xx with a JSON body or none (PATCH may answer 204, §2.3).
    Success { body: Option<Value> },
    /// Anything else.
    Failure(Cause),
}

/// Why a reply failed, before the task's context is added.
#[derive(Debug, Clone)]
pub(crate) struct Cause {
    pub(crate) kind: FailureKind,
    pub(crate) status: Option<u16>,
    pub(crate) exchange: Option<u64>,
    /// The text after Okta's step message, e.g. `Conflict. Errors reported
    /// by remote server: <detail>`.
    pub(crate) text: String,
}

impl Cause {
    /// A cause found in a body that Okta accepted at the HTTP level.
    pub(crate) fn in_body(reply: &Reply, kind: FailureKind, text: impl Into<String>) -> Self {
        Self {
            kind,
            status: reply.response.as_ref().map(|r| r.status),
            exchange: Some(reply.exchange),
            text: text.into(),
        }
    }

    /// The failure with Okta's whole message.
    pub(crate) fn into_failure(self, message: String) -> Failure {
        Failure {
            kind: self.kind,
            message,
            status: self.status,
            exchange: self.exchange,
        }
    }
}

/// Reads `reply`: Okta parses every body as JSON whatever its media type
/// (§2.3), so a non-JSON body fails even with a 2xx status.
pub(crate) fn read(reply: &Reply) -> Answer {
    let fail = |kind, status, text: String| {
        Answer::Failure(Cause {
            kind,
            status,
            exchange: Some(reply.exchange),
            text,
        })
    };
    let response = match (&reply.response, &reply.error) {
        (Some(response), None) => response,
        (response, Some(error)) => {
            return fail(
                FailureKind::Transport,
                response.as_ref().map(|r| r.status),
                transport_text(error),
            );
        }
        (None, None) => return fail(FailureKind::Transport, None, "No response".to_owned()),
    };
    let status = response.status;
    if (200..300).contains(&status) {
        return match &response.body {
            RecordedBody::Empty => Answer::Success { body: None },
            // Parsed afresh: an import page is read here once, and the
            // transcript keeps only its text.
            RecordedBody::Json(body) => Answer::Success {
                body: Some(body.parse()),
            },
            RecordedBody::Text { text, .. } => {
                fail(FailureKind::InvalidJson, Some(status), invalid_json(text))
            }
        };
    }
    let kind = match status {
        401 => FailureKind::Unauthorized,
        409 => FailureKind::Conflict,
        429 => FailureKind::RateLimited,
        _ => FailureKind::HttpStatus,
    };
    let text = match &response.body {
        RecordedBody::Text { text, .. } => invalid_json(text),
        RecordedBody::Json(body) => remote_error(reason_phrase(status), scim_detail(&body.parse())),
        RecordedBody::Empty => reason_phrase(status).to_owned(),
    };
    fail(kind, Some(status), text)
}

/// The HTTP reason phrase Okta names a status by (`Unauthorized`, `Conflict`).
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Unknown Status")
}

/// What Okta's admin sees for a request that got no complete answer.
fn transport_text(error: &TransportError) -> String {
    match error {
        // Java's `SocketTimeoutException` text.
        TransportError::Timeout { .. } => "Read timed out".to_owned(),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            chars.next().map_or(text.clone(), |first| {
                first.to_uppercase().chain(chars).collect()
            })
        }
    }
}

/// The SCIM error's `detail` (RFC 7644 §3.12), the remote part of Okta's
/// message (§10 OBS R-SENTRY).
pub(crate) fn scim_detail(body: &Value) -> Option<&str> {
    body.get("detail")
        .and_then(Value::as_str)
        .filter(|d| !d.trim().is_empty())
}

/// A ListResponse member, tolerating Okta-accepted lower-case keys
/// (`resources`, `totalresults`… §2.3 DOC-old O-LCM2018).
fn member<'a>(body: &'a Value, name: &str) -> Option<&'a Value> {
    let object = body.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// One ListResponse page, as Okta reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ListPage<'a> {
    /// `totalResults`, when present.
    pub(crate) total_results: Option<u64>,
    /// `startIndex`, when present.
    pub(crate) start_index: Option<u64>,
    /// `Resources`; none when absent or `null`.
    pub(crate) resources: &'a [Value],
}

/// Reads a ListResponse. `Err` carries the cause when the list breaks a rule
/// Okta relies on: `Resources` must be an array and paging values JSON
/// integers (§2.3).
pub(crate) fn list_page(body: &Value) -> Result<ListPage<'_>, String> {
    let mut paging = [None; 3];
    for (slot, key) in paging
        .iter_mut()
        .zip(["totalResults", "startIndex", "itemsPerPage"])
    {
        if let Some(value) = member(body, key) {
            *slot = Some(value.as_u64().ok_or_else(|| {
                format!("Invalid list response: {key} must be a JSON integer, got {value}")
            })?);
        }
    }
    let resources = match member(body, "Resources") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(resources)) => resources.as_slice(),
        Some(other) => {
            return Err(format!(
                "Invalid list response: Resources must be an array, got {}",
                json_kind(other)
            ));
        }
    };
    Ok(ListPage {
        total_results: paging[0],
        start_index: paging[1],
        resources,
    })
}

/// The first resource of a ListResponse, `None` when it lists none; `Err`
/// as for [`list_page`].
pub(crate) fn first_resource(body: &Value) -> Result<Option<&Value>, String> {
    list_page(body).map(|page| page.resources.first())
}

/// A resource's SCIM `id`, when it is a non-empty string.
pub(crate) fn resource_id(resource: &Value) -> Option<&str> {
    resource
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::RecordedResponse;
    use serde_json::json;

    fn reply(status: u16, body: RecordedBody) -> Reply {
        Reply {
            exchange: 3,
            response: Some(RecordedResponse {
                status,
                headers: vec![],
                body,
            }),
            error: None,
        }
    }

    fn cause(answer: Answer) -> Cause {
        match answer {
            Answer::Failure(cause) => cause,
            Answer::Success { .. } => panic!("expected a failure"),
        }
    }

    #[test]
    fn patch_answers_200_and_204_both_succeed() {
        assert!(matches!(
            read(&reply(204, RecordedBody::Empty)),
            Answer::Success { body: None }
        ));
        assert!(matches!(
            read(&reply(
                200,
                RecordedBody::Json(json!({"active": false}).into())
            )),
            Answer::Success { body: Some(_) }
        ));
    }

    #[test]
    fn conflict_carries_the_scim_detail() {
        let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "detail": "userName taken"});
        let cause = cause(read(&reply(409, RecordedBody::Json(body.into()))));
        assert_eq!(cause.kind, FailureKind::Conflict);
        assert_eq!(
            cause.text,
            "Conflict. Errors reported by remote server: userName taken"
        );
        assert_eq!(cause.exchange, Some(3));
    }

    #[test]
    fn a_text_body_is_invalid_json_even_on_200() {
        let body = RecordedBody::from_bytes(b"OK", false);
        let cause = cause(read(&reply(200, body)));
        assert_eq!(cause.kind, FailureKind::InvalidJson);
        assert!(
            cause
                .text
                .starts_with("Invalid JSON: Unrecognized token 'OK'")
        );
    }

    #[test]
    fn a_timeout_reads_like_java() {
        let reply = Reply {
            exchange: 1,
            response: None,
            error: Some(TransportError::Timeout {
                after: std::time::Duration::from_millis(200),
            }),
        };
        let cause = cause(read(&reply));
        assert_eq!(
            (cause.kind, cause.text.as_str()),
            (FailureKind::Transport, "Read timed out")
        );
    }

    #[test]
    fn lists_tolerate_lower_case_keys_and_reject_string_paging() {
        let upper = json!({"totalResults": 1, "Resources": [{"id": "a"}]});
        let lower = json!({"totalresults": 1, "resources": [{"id": "b"}]});
        assert_eq!(
            first_resource(&upper).unwrap().and_then(resource_id),
            Some("a")
        );
        assert_eq!(
            first_resource(&lower).unwrap().and_then(resource_id),
            Some("b")
        );
        assert_eq!(first_resource(&json!({"totalResults": 0})).unwrap(), None);
        assert!(first_resource(&json!({"totalResults": "1", "Resources": []})).is_err());
        assert!(first_resource(&json!({"Resources": {}})).is_err());
    }

    #[test]
    fn list_pages_carry_their_paging_values() {
        let body = json!({"totalResults": 250, "startIndex": 101, "itemsPerPage": 1, "Resources": [{"id": "a"}]});
        let page = list_page(&body).unwrap();
        assert_eq!(
            (page.total_results, page.start_index, page.resources.len()),
            (Some(250), Some(101), 1)
        );
        let null = json!({"Resources": null});
        let page = list_page(&null).unwrap();
        assert_eq!((page.total_results, page.resources.len()), (None, 0));
        assert!(list_page(&json!({"startIndex": -1})).is_err());
    }
}
