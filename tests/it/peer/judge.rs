//! Judging answers: every expectation of RFC 7643/7644 or Okta's client an
//! answer can fall short of, each problem worded with its citation.

use std::collections::BTreeSet;

use serde_json::Value;

use super::answer::Answer;
use super::calls::crowd_name;

const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// Every way an answer falls short of its probe's expectation.
#[derive(Default)]
pub(super) struct Problems(pub(super) Vec<String>);

impl Problems {
    pub(super) fn push(&mut self, problem: impl Into<String>) {
        self.0.push(problem.into());
    }

    pub(super) fn expect(&mut self, ok: bool, problem: impl FnOnce() -> String) {
        if !ok {
            self.0.push(problem());
        }
    }

    /// Whether the status is one of `allowed`; a problem when not.
    pub(super) fn status(&mut self, answer: &Answer, allowed: &[u16]) -> bool {
        let ok = allowed.contains(&answer.status);
        self.expect(ok, || {
            let allowed: Vec<String> = allowed.iter().map(u16::to_string).collect();
            format!(
                "status {}, expected {}",
                answer.status,
                allowed.join(" or ")
            )
        });
        ok
    }

    /// The JSON body of an answer with an allowed status.
    pub(super) fn json<'a>(&mut self, answer: &'a Answer, allowed: &[u16]) -> Option<&'a Value> {
        if !self.status(answer, allowed) {
            return None;
        }
        let body = answer.json.as_ref().filter(|b| b.is_object());
        self.expect(body.is_some(), || {
            "the body is not a JSON object (RFC 7644 §3.1, §3.4.1: the resource; Okta \
             fails a create answered with an empty body, docs/okta-wire.md#32-create)"
                .into()
        });
        body
    }

    /// A resource with a non-empty `id` (equal to `id` when given).
    pub(super) fn resource<'a>(
        &mut self,
        answer: &'a Answer,
        allowed: &[u16],
        id: Option<&str>,
    ) -> Option<&'a Value> {
        let body = self.json(answer, allowed)?;
        if let (Some(seen), Some(expected)) = (self.id(body), id) {
            self.expect(seen == expected, || {
                format!("id is {seen:?}, expected {expected:?} (RFC 7643 §3.1: stable)")
            });
        }
        Some(body)
    }

    pub(super) fn id<'a>(&mut self, body: &'a Value) -> Option<&'a str> {
        let id = str_at(body, "/id").filter(|id| !id.is_empty());
        self.expect(id.is_some(), || {
            "no non-empty id (RFC 7643 §3.1: MUST)".into()
        });
        id
    }

    /// A PATCH answer: 200 with the whole resource, or 204 with none
    /// (RFC 7644 §3.5.2). The resource when there is one.
    pub(super) fn patched<'a>(
        &mut self,
        answer: &'a Answer,
        id: Option<&str>,
    ) -> Option<&'a Value> {
        if answer.status == 204 {
            return None;
        }
        self.resource(answer, &[200, 204], id)
    }

    /// A user created from Okta's body (201, the user echoed as Okta's SPEC
    /// test asserts, §12.1 step 6); its id.
    pub(super) fn created_user(
        &mut self,
        answer: &Answer,
        user_name: &str,
        given: &str,
        family: &str,
    ) -> Option<String> {
        let body = self.json(answer, &[201])?;
        let id = self.id(body)?.to_owned();
        self.user_fields(body, user_name, given, family);
        self.active(body, true);
        self.expect(!has_key(body, "password"), || {
            "the password is returned (RFC 7643 §4.1.1: SHALL NOT be returnable)".into()
        });
        Some(id)
    }

    pub(super) fn created_crowd_user(&mut self, answer: &Answer, n: u8) -> Option<String> {
        self.created_user(answer, &crowd_name(n), "Peer", &format!("User{n}"))
    }

    fn user_name(&mut self, body: &Value, user_name: &str) {
        let seen = str_at(body, "/userName");
        // caseExact false: the server MAY alter its case (RFC 7643 §7).
        self.expect(
            seen.is_some_and(|s| s.eq_ignore_ascii_case(user_name)),
            || {
                format!(
                    "userName is {}, expected {user_name:?}",
                    shown(body.get("userName"))
                )
            },
        );
    }

    pub(super) fn user_fields(&mut self, body: &Value, user_name: &str, given: &str, family: &str) {
        self.user_name(body, user_name);
        for (pointer, expected) in [("/name/givenName", given), ("/name/familyName", family)] {
            self.expect(str_at(body, pointer) == Some(expected), || {
                format!(
                    "{} is {}, expected {expected:?}",
                    &pointer[1..].replace('/', "."),
                    shown(body.pointer(pointer))
                )
            });
        }
    }

    pub(super) fn active(&mut self, body: &Value, expected: bool) {
        self.expect(body.get("active") == Some(&Value::Bool(expected)), || {
            format!(
                "active is {}, expected {expected} (a JSON boolean)",
                shown(body.get("active"))
            )
        });
    }

    pub(super) fn display_name(&mut self, body: &Value, expected: &str) {
        self.expect(str_at(body, "/displayName") == Some(expected), || {
            format!(
                "displayName is {}, expected {expected:?}",
                shown(body.get("displayName"))
            )
        });
    }

    /// The created resource's URI in the `Location` header and in
    /// `meta.location` (RFC 7644 §3.1: SHALL), absolute (RFC 7643 §3.1: "the
    /// URI of the resource").
    pub(super) fn location(&mut self, answer: &Answer, id: &str) {
        let meta = answer
            .json
            .as_ref()
            .and_then(|b| str_at(b, "/meta/location"));
        match (&answer.location, meta) {
            (None, _) => self.push("no Location header (RFC 7644 §3.1: SHALL)"),
            (Some(header), Some(meta)) if header != meta => self.push(format!(
                "Location header {header:?} differs from meta.location {meta:?} (RFC 7644 §3.1)"
            )),
            _ => {}
        }
        match meta {
            None => self.push("no meta.location (RFC 7644 §3.1: SHALL)"),
            Some(meta) => {
                self.expect(
                    meta.starts_with("http://") || meta.starts_with("https://"),
                    || format!("meta.location {meta:?} is not an absolute URI (RFC 7643 §3.1)"),
                );
                self.expect(meta.trim_end_matches('/').ends_with(id), || {
                    format!(
                        "meta.location {meta:?} does not end with the id {id:?} (RFC 7644 §3.4.1)"
                    )
                });
            }
        }
    }

    /// The group's members are exactly `expected` (no `members` = none,
    /// RFC 7643 §2.5).
    pub(super) fn members(&mut self, body: &Value, expected: &BTreeSet<String>) {
        let seen = member_values(body);
        self.expect(seen == *expected, || {
            format!("members are {seen:?}, expected {expected:?}")
        });
    }

    /// As [`Problems::members`] when the answer lists members at all: Okta
    /// accepts `"members": null` in a group PATCH answer (docs/okta-wire.md#23-responses-okta-accepts); the following GET judges them.
    pub(super) fn members_if_listed(&mut self, body: &Value, expected: &BTreeSet<String>) {
        if body.get("members").is_some_and(Value::is_array) {
            self.members(body, expected);
        }
    }

    /// A SCIM error answer (RFC 7644 §3.12): the status, the Error URN, the
    /// status again as a JSON string, the `scimType` when one is required,
    /// and a `detail` where Okta's SPEC test asserts one.
    pub(super) fn error(
        &mut self,
        answer: &Answer,
        code: u16,
        scim_type: Option<&str>,
        detail: bool,
    ) {
        if !self.status(answer, &[code]) {
            return;
        }
        let Some(body) = answer.json.as_ref().filter(|b| b.is_object()) else {
            self.push("no JSON error body (RFC 7644 §3.12: MUST)");
            return;
        };
        self.expect(has_schema(body, ERROR_URN), || {
            format!("schemas lacks {ERROR_URN} (RFC 7644 §3.12)")
        });
        self.expect(str_at(body, "/status") == Some(&code.to_string()), || {
            format!(
                "status is {}, expected the string \"{code}\" (RFC 7644 §3.12: a JSON string)",
                shown(body.get("status"))
            )
        });
        if let Some(scim_type) = scim_type {
            self.expect(str_at(body, "/scimType") == Some(scim_type), || {
                format!(
                    "scimType is {}, expected {scim_type:?} (RFC 7644 §3.12 Table 9)",
                    shown(body.get("scimType"))
                )
            });
        }
        if detail {
            self.expect(
                str_at(body, "/detail").is_some_and(|d| !d.trim().is_empty()),
                || {
                    "no detail (Okta's SPEC test asserts one, docs/okta-wire.md#121-spec-test)"
                        .into()
                },
            );
        }
    }
}

pub(super) fn str_at<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

pub(super) fn has_schema(body: &Value, urn: &str) -> bool {
    body["schemas"]
        .as_array()
        .is_some_and(|schemas| schemas.iter().any(|s| s.as_str() == Some(urn)))
}

/// Whether `key` appears anywhere in `value` (at any depth).
fn has_key(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| k == key || has_key(v, key)),
        Value::Array(items) => items.iter().any(|v| has_key(v, key)),
        _ => false,
    }
}

fn member_values(body: &Value) -> BTreeSet<String> {
    body["members"]
        .as_array()
        .map(|members| {
            members
                .iter()
                .filter_map(|m| str_at(m, "/value").map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A value for a message: its JSON, or `absent`.
pub(super) fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "absent".to_string(), Value::to_string)
}
