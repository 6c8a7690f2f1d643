//! Reading a run's exchanges: Okta's read-backs, the ids and filters in its
//! requests, and the parts of a SCIM answer the checks look at.

use serde_json::Value;

use scimulate_simulator::Exchange;

use crate::checks::failure::{never_sent, wrong_answer};
use crate::observation::{Observation, body, status};
use crate::verdict::Verdict;

/// The last read-back (a `verify` GET) of user `id`.
pub(super) fn read_back<'o>(o: &'o Observation, id: &str) -> Option<&'o Exchange> {
    let path = format!("/Users/{id}");
    o.exchanges.iter().rev().find(|e| {
        e.action == crate::scenarios::core::VERIFY
            && e.request.method == "GET"
            && e.request.path.split('?').next() == Some(path.as_str())
    })
}

/// The last read-back of user `id` by id and its 200 body, or the failure
/// that it was never made or not answered with the user.
pub(super) fn read_user<'o>(
    o: &'o Observation,
    id: &str,
) -> Result<(&'o Exchange, &'o Value), Verdict> {
    let Some(read) = read_back(o, id) else {
        return Err(never_sent(
            format!("verify: read back user {id}"),
            "the user is read back",
            "no read-back was made",
        ));
    };
    match body(read).filter(|_| status(read) == Some(200)) {
        Some(got) => Ok((read, got)),
        None => Err(wrong_answer(read, "200 with the user")),
    }
}

/// The id in a `/Users/{id}` request path.
pub(super) fn path_id(exchange: &Exchange) -> Option<&str> {
    exchange
        .request
        .path
        .split('?')
        .next()?
        .strip_prefix("/Users/")
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

/// The value of a `userName eq "…"` filter in a request path, decoded.
pub(super) fn username_filter(path: &str) -> Option<String> {
    let (_, query) = path.split_once('?')?;
    let filter = url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "filter")?
        .1
        .into_owned();
    let rest = filter.trim();
    let (attribute, rest) = rest.split_once(char::is_whitespace)?;
    let (operator, value) = rest.trim_start().split_once(char::is_whitespace)?;
    if !attribute.eq_ignore_ascii_case("userName") || !operator.eq_ignore_ascii_case("eq") {
        return None;
    }
    let value = value.trim().strip_prefix('"')?.strip_suffix('"')?;
    Some(value.replace("\\\"", "\"").replace("\\\\", "\\"))
}

/// A string at a JSON pointer (`/name/givenName`).
pub(super) fn text<'v>(value: &'v Value, pointer: &str) -> Option<&'v str> {
    value.pointer(pointer).and_then(Value::as_str)
}

/// Whether `user` lists `email` among its `emails` values (ignoring case:
/// e-mail addresses are compared so by Okta and 1Password alike).
pub(super) fn lists_email(user: &Value, email: &str) -> bool {
    user.get("emails")
        .and_then(Value::as_array)
        .is_some_and(|emails| {
            emails.iter().any(|e| {
                e.get("value")
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.eq_ignore_ascii_case(email))
            })
        })
}

/// A User resource's primary e-mail (else its first).
pub(super) fn primary_email(user: &Value) -> Option<&str> {
    let emails = user.get("emails")?.as_array()?;
    emails
        .iter()
        .find(|e| e.get("primary") == Some(&Value::Bool(true)))
        .or_else(|| emails.first())
        .and_then(|e| e.get("value"))
        .and_then(Value::as_str)
}

/// A ListResponse's resources (also Okta's tolerated lower-case key).
pub(super) fn resources(body: &Value) -> Option<&Vec<Value>> {
    body.get("Resources")
        .or_else(|| body.get("resources"))
        .and_then(Value::as_array)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_filter_reads_okta_encoding_and_plus_signs() {
        assert_eq!(
            username_filter("/Users?filter=userName%20eq%20%22Ivan%40ACME.com%22&startIndex=1")
                .as_deref(),
            Some("Ivan@ACME.com")
        );
        assert_eq!(
            username_filter("/Users?filter=userName+eq+%22a%40b.c%22").as_deref(),
            Some("a@b.c")
        );
        assert_eq!(username_filter("/Users?filter=userName%20eq"), None);
        assert_eq!(username_filter("/Users?startIndex=1&count=2"), None);
        assert_eq!(
            username_filter("/Groups?filter=displayName%20eq%20%22x%22"),
            None
        );
    }
}
