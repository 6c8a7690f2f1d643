//! What the fuzz sends: [`Call`]s and the strategies that make them, from
//! well-aimed SCIM requests (so state builds up) to anything at all.

use std::fmt;

use axum::http::Method;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value, json};

use crate::support::{GROUP_URN, PATCH_URN, SCIM_JSON, TOKEN, USER_URN, encode};

/// One request, with id placeholders resolved when it is sent, so a
/// sequence can aim at what earlier calls created: `@U3@` is the 4th user
/// id SCIM has shown so far (modulo how many there are), `@G0@` the first
/// group id, `@H1@` the second id SCIM must not reach (the guest, the
/// built-in groups).
#[derive(Clone)]
pub(super) struct Call {
    pub(super) method: Method,
    /// Path and query, URI-safe except for placeholders.
    pub(super) target: String,
    pub(super) auth: Option<Vec<u8>>,
    pub(super) content_type: Option<Vec<u8>>,
    pub(super) host: Option<Vec<u8>>,
    pub(super) body: Vec<u8>,
}

impl Call {
    pub(super) fn get(target: &str) -> Call {
        Call {
            method: Method::GET,
            target: target.to_string(),
            auth: Some(bearer()),
            content_type: None,
            host: None,
            body: Vec::new(),
        }
    }
}

/// Readable in a failure report: bytes as text where they are UTF-8.
impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn text(bytes: &[u8]) -> String {
            match std::str::from_utf8(bytes) {
                Ok(text) => format!("{text:?}"),
                Err(_) => format!("bytes {bytes:?}"),
            }
        }
        let header = |value: &Option<Vec<u8>>| value.as_deref().map(text);
        write!(f, "{} {}", self.method, short(&self.target))?;
        if self.auth.as_deref() != Some(bearer().as_slice()) {
            write!(f, " auth={:?}", header(&self.auth))?;
        }
        if self.content_type.is_some() {
            write!(
                f,
                " content-type={}",
                header(&self.content_type).unwrap_or_default()
            )?;
        }
        if self.host.is_some() {
            write!(f, " host={}", header(&self.host).unwrap_or_default())?;
        }
        if !self.body.is_empty() {
            write!(f, " body={}", short(&text(&self.body)))?;
        }
        Ok(())
    }
}

pub(super) fn bearer() -> Vec<u8> {
    format!("Bearer {TOKEN}").into_bytes()
}

/// Any request: mostly what a SCIM client would send (so state builds up),
/// some of it anything at all.
pub(super) fn call() -> BoxedStrategy<Call> {
    prop_oneof![
        6 => scim_call(),
        2 => patch_call(),
        2 => chaos_call(),
    ]
    .boxed()
}

/// A well-aimed request: the right method, path and body shape, mostly
/// good headers.
fn scim_call() -> BoxedStrategy<Call> {
    let user = prop_oneof![
        3 => (alias(), query(), user_body()).prop_map(|(p, q, b)| (Method::POST, format!("{p}/Users{q}"), b)),
        2 => (alias(), user_ref(), user_body()).prop_map(|(p, id, b)| (Method::PUT, format!("{p}/Users/{id}"), b)),
        1 => (alias(), user_ref()).prop_map(|(p, id)| (Method::DELETE, format!("{p}/Users/{id}"), String::new())),
        2 => (alias(), query()).prop_map(|(p, q)| (Method::GET, format!("{p}/Users{q}"), String::new())),
        1 => (alias(), user_ref(), query()).prop_map(|(p, id, q)| (Method::GET, format!("{p}/Users/{id}{q}"), String::new())),
    ];
    let group = prop_oneof![
        3 => (alias(), group_body()).prop_map(|(p, b)| (Method::POST, format!("{p}/Groups"), b)),
        2 => (alias(), group_ref(), group_body()).prop_map(|(p, id, b)| (Method::PUT, format!("{p}/Groups/{id}"), b)),
        1 => (alias(), group_ref()).prop_map(|(p, id)| (Method::DELETE, format!("{p}/Groups/{id}"), String::new())),
        2 => (alias(), query()).prop_map(|(p, q)| (Method::GET, format!("{p}/Groups{q}"), String::new())),
        1 => (alias(), group_ref(), query()).prop_map(|(p, id, q)| (Method::GET, format!("{p}/Groups/{id}{q}"), String::new())),
    ];
    (prop_oneof![user, group], mostly_good_headers())
        .prop_map(
            |((method, target, body), (auth, content_type, host))| Call {
                method,
                target,
                auth,
                content_type,
                host,
                body: body.into_bytes(),
            },
        )
        .boxed()
}

/// A PATCH of a user or a group, with random operations.
pub(super) fn patch_call() -> BoxedStrategy<Call> {
    let target = prop_oneof![
        (alias(), user_ref()).prop_map(|(p, id)| format!("{p}/Users/{id}")),
        (alias(), group_ref()).prop_map(|(p, id)| format!("{p}/Groups/{id}")),
    ];
    (target, patch_body(), mostly_good_headers())
        .prop_map(|(target, body, (auth, content_type, host))| Call {
            method: Method::PATCH,
            target,
            auth,
            content_type,
            host,
            body: body.into_bytes(),
        })
        .boxed()
}

/// Anything: any method, path, query, headers and payload together.
fn chaos_call() -> BoxedStrategy<Call> {
    (method(), path(), query(), headers(), payload())
        .prop_map(
            |(method, path, query, (auth, content_type, host), body)| Call {
                method,
                target: format!("{path}{query}"),
                auth,
                content_type,
                host,
                body,
            },
        )
        .boxed()
}

fn method() -> impl Strategy<Value = Method> {
    let extension = |name: &'static str| Method::from_bytes(name.as_bytes()).unwrap_or_default();
    prop_oneof![
        4 => Just(Method::GET),
        3 => Just(Method::POST),
        2 => Just(Method::PUT),
        3 => Just(Method::PATCH),
        2 => Just(Method::DELETE),
        1 => Just(Method::HEAD),
        1 => Just(Method::OPTIONS),
        1 => Just(extension("PROPFIND")),
        1 => Just(extension("get")),
    ]
}

/// A SCIM base path the bridge serves: mostly hosted provisioning's.
fn alias() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        8 => Just("/scim/v2"),
        1 => Just(""),
        1 => Just("/scim"),
    ]
}

/// A SCIM base path, or one the bridge does not serve.
fn prefix() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        10 => alias(),
        1 => Just("/scim/v1"),
        1 => Just("/SCIM/v2"),
        1 => Just("/scim/v2/scim/v2"),
    ]
}

fn path() -> BoxedStrategy<String> {
    let resource = prop_oneof![
        3 => Just("/Users".to_string()),
        3 => any_id().prop_map(|id| format!("/Users/{id}")),
        3 => Just("/Groups".to_string()),
        3 => any_id().prop_map(|id| format!("/Groups/{id}")),
        2 => prop_oneof![
            Just("/ServiceProviderConfig"),
            Just("/ResourceTypes"),
            Just("/ResourceTypes/User"),
            Just("/ResourceTypes/group"),
            Just("/Schemas"),
            Just("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"),
            Just("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Nope"),
            Just("/health"),
            Just("/ping"),
        ]
        .prop_map(str::to_string),
        2 => prop_oneof![
            any_id().prop_map(|id| format!("/Users/{id}/groups")),
            any_id().prop_map(|id| format!("/ResourceTypes/{id}")),
            any_id().prop_map(|id| format!("/Schemas/{id}")),
            any_id().prop_map(|id| format!("/{id}")),
            Just("/Users/".to_string()),
            Just("/Groups//".to_string()),
            Just("/Me".to_string()),
            Just("/Bulk".to_string()),
            Just("/.search".to_string()),
        ],
    ];
    (prefix(), resource)
        .prop_map(|(prefix, resource)| format!("{prefix}{resource}"))
        .boxed()
}

/// A path segment aimed at a user: mostly a user id SCIM knows (`@U3@`).
fn user_ref() -> BoxedStrategy<String> {
    prop_oneof![
        8 => (0..12usize).prop_map(|n| format!("@U{n}@")),
        1 => (0..12usize).prop_map(|n| format!("@G{n}@")),
        1 => odd_id(),
    ]
    .boxed()
}

/// A path segment aimed at a group: mostly a group id SCIM knows (`@G3@`).
fn group_ref() -> BoxedStrategy<String> {
    prop_oneof![
        8 => (0..12usize).prop_map(|n| format!("@G{n}@")),
        1 => (0..12usize).prop_map(|n| format!("@U{n}@")),
        1 => odd_id(),
    ]
    .boxed()
}

fn any_id() -> BoxedStrategy<String> {
    prop_oneof![user_ref(), group_ref(), odd_id()].boxed()
}

/// Path segments SCIM must not reach: ids of the guest and the built-in
/// groups (`@H3@`), dot segments (raw and encoded), encoded slashes, bad
/// percent escapes, well-shaped unknown ids, text.
fn odd_id() -> BoxedStrategy<String> {
    prop_oneof![
        2 => (0..12usize).prop_map(|n| format!("@H{n}@")),
        1 => (0..12usize, prop_oneof![Just("%09"), Just("%0A"), Just("%20"), Just("x")])
            .prop_map(|(n, junk)| format!("@U{n}@{junk}")),
        3 => prop_oneof![
            Just(".."),
            Just("."),
            Just("%2e%2e"),
            Just("%2E"),
            Just("%2F"),
            Just("a%2Fb"),
            Just("%00"),
            Just("%FF"),
            Just("%"),
            Just("%zz"),
            Just("@"),
            Just(";"),
            Just("%20"),
            Just("%2e%2e%2fv1%2fmembers"),
            Just("%09"),
            Just(".%09."),
            Just("%0D%0A"),
        ]
        .prop_map(str::to_string),
        2 => "[A-Z2-7]{26}",
        1 => "[a-z2-7]{26}",
        2 => text().prop_map(|s| encode(&s)),
        1 => (1..12_000usize).prop_map(|n| "A".repeat(n)),
    ]
    .boxed()
}

/// A query string (with its `?`), or none.
fn query() -> BoxedStrategy<String> {
    vec(param(), 0..4)
        .prop_map(|params| {
            if params.is_empty() {
                String::new()
            } else {
                format!("?{}", params.join("&"))
            }
        })
        .boxed()
}

fn param() -> BoxedStrategy<String> {
    prop_oneof![
        4 => filter().prop_map(|f| format!("filter={}", encode(&f))),
        2 => integerish().prop_map(|n| format!("startIndex={}", encode(&n))),
        2 => integerish().prop_map(|n| format!("count={}", encode(&n))),
        1 => attribute_list().prop_map(|a| format!("attributes={}", encode(&a))),
        1 => attribute_list().prop_map(|a| format!("excludedAttributes={}", encode(&a))),
        1 => prop_oneof![
            Just("filter"),
            Just("="),
            Just("filter=%ZZ"),
            Just("filter=%FF%FE"),
            Just("filter=userName+eq+%22bob%40acme.com%22"),
            Just("startIndex=1&startIndex=2"),
            Just("count="),
            Just("sortBy=userName&sortOrder=descending"),
            Just("x=y"),
            Just("&&&"),
        ]
        .prop_map(str::to_string),
    ]
    .boxed()
}

fn integerish() -> BoxedStrategy<String> {
    prop_oneof![
        3 => (-3i64..30).prop_map(|n| n.to_string()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => prop_oneof![
            Just("9223372036854775807"),
            Just("-9223372036854775808"),
            Just("99999999999999999999"),
            Just(""),
            Just(" 5 "),
            Just("1.5"),
            Just("1e3"),
            Just("+3"),
            Just("0x10"),
            Just("abc"),
            Just("١٢"),
        ]
        .prop_map(str::to_string),
    ]
    .boxed()
}

fn attribute_list() -> BoxedStrategy<String> {
    let name = prop_oneof![
        Just("userName"),
        Just("displayName"),
        Just("name.givenName"),
        Just("emails.value"),
        Just("members"),
        Just("members.value"),
        Just("id"),
        Just("meta"),
        Just("groups"),
        Just("urn:ietf:params:scim:schemas:core:2.0:User:userName"),
        Just("nope"),
        Just(""),
        Just(" , "),
    ];
    vec(name, 0..4).prop_map(|names| names.join(",")).boxed()
}

/// A `filter=` value: valid filters over real and unknown attributes,
/// truncated ones, deep nesting, huge ones, and arbitrary text.
pub(super) fn filter() -> BoxedStrategy<String> {
    let comparison = (attribute_path(), operator(), literal()).prop_map(|(attr, op, value)| {
        if op == "pr" {
            format!("{attr} pr")
        } else {
            format!("{attr} {op} {value}")
        }
    });
    let tree = comparison.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop_oneof![Just("and"), Just("or"), Just("AND"), Just("Or")],
                inner.clone()
            )
                .prop_map(|(a, join, b)| format!("{a} {join} {b}")),
            inner.clone().prop_map(|f| format!("({f})")),
            inner.clone().prop_map(|f| format!("not ({f})")),
            (
                prop_oneof![
                    Just("emails"),
                    Just("members"),
                    Just("groups"),
                    Just("name")
                ],
                inner
            )
                .prop_map(|(attr, f)| format!("{attr}[{f}]")),
        ]
    });
    prop_oneof![
        6 => tree.clone(),
        2 => (tree.clone(), any::<Index>()).prop_map(|(f, cut)| truncate(&f, cut)),
        1 => (1..400usize, tree.clone()).prop_map(|(n, f)| format!("{}{f}{}", "(".repeat(n), ")".repeat(n))),
        1 => (1..400usize).prop_map(|n| format!("{}userName pr{}", "not (".repeat(n), ")".repeat(n))),
        1 => (1..400usize).prop_map(|n| format!("emails[{}type eq \"work\"{}]", "(".repeat(n), ")".repeat(n))),
        1 => (1..250usize).prop_map(|n| vec!["userName eq \"a@acme.com\""; n].join(" or ")),
        1 => (1..11_000usize).prop_map(|n| format!("userName eq \"{}\"", "x".repeat(n))),
        2 => text(),
    ]
    .boxed()
}

fn attribute_path() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("userName"),
        Just("USERNAME"),
        Just("displayName"),
        Just("externalId"),
        Just("id"),
        Just("active"),
        Just("emails"),
        Just("emails.value"),
        Just("emails.type"),
        Just("emails.primary"),
        Just("name"),
        Just("name.givenName"),
        Just("name.familyName"),
        Just("members"),
        Just("members.value"),
        Just("groups.display"),
        Just("meta.created"),
        Just("meta.lastModified"),
        Just("meta.resourceType"),
        Just("urn:ietf:params:scim:schemas:core:2.0:User:userName"),
        Just("urn:ietf:params:scim:schemas:core:2.0:Group:displayName"),
        Just("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"),
        Just("title"),
        Just("nope.deeper"),
        Just("value"),
        Just("type"),
    ]
}

fn operator() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        4 => Just("eq"),
        1 => Just("EQ"),
        1 => Just("ne"),
        1 => Just("co"),
        1 => Just("sw"),
        1 => Just("ew"),
        1 => Just("gt"),
        1 => Just("ge"),
        1 => Just("lt"),
        1 => Just("le"),
        1 => Just("pr"),
        1 => Just("like"),
    ]
}

/// A comparison value: quoted text (sometimes with raw quotes and
/// backslashes inside), e-mails, ids, dates, booleans, null, numbers.
fn literal() -> BoxedStrategy<String> {
    prop_oneof![
        3 => email().prop_map(|e| format!("\"{e}\"")),
        2 => text().prop_map(|t| format!("\"{t}\"")),
        1 => text().prop_map(|t| Value::String(t).to_string()),
        1 => (0..12usize).prop_map(|n| format!("\"@U{n}@\"")),
        1 => (0..12usize).prop_map(|n| format!("\"@G{n}@\"")),
        1 => prop_oneof![
            Just("\"2026-01-01T00:00:00Z\""),
            Just("\"2026-01-01T00:00:00+14:00\""),
            Just("\"yesterday\""),
            Just("true"),
            Just("False"),
            Just("null"),
            Just("42"),
            Just("-1.5e300"),
            Just("1e999999"),
            Just("\"\""),
            Just("'single'"),
            Just("\"unterminated"),
        ]
        .prop_map(str::to_string),
    ]
    .boxed()
}

/// Short adversarial text: ASCII, any printable Unicode, or a mix of the
/// characters parsers trip on.
fn text() -> BoxedStrategy<String> {
    let tricky = prop_oneof![
        Just('"'),
        Just('\\'),
        Just('\''),
        Just('('),
        Just(')'),
        Just('['),
        Just(']'),
        Just(' '),
        Just('\t'),
        Just('\n'),
        Just('\0'),
        Just('@'),
        Just('.'),
        Just('é'),
        Just('É'),
        Just('ß'),
        Just('İ'),
        Just('😀'),
        Just('\u{202e}'),
        Just('\u{feff}'),
        Just('a'),
        Just('Z'),
    ];
    prop_oneof![
        "[a-zA-Z0-9 ._@-]{0,12}",
        "\\PC{0,16}",
        vec(tricky, 0..12).prop_map(String::from_iter),
    ]
    .boxed()
}

/// Addresses: existing members in any case (alice the owner, bob not
/// provisioned, gina the guest, ivan invited, sam suspended), a small pool
/// of new ones (so sequences collide), public and foreign domains, bad
/// shapes and non-ASCII.
fn email() -> BoxedStrategy<String> {
    prop_oneof![
        3 => (
            prop_oneof![Just("alice"), Just("bob"), Just("gina"), Just("ivan"), Just("sam")],
            any::<bool>()
        )
            .prop_map(|(name, upper)| {
                let email = format!("{name}@acme.com");
                if upper { email.to_uppercase() } else { email }
            }),
        4 => "[a-cA-C]{1,2}@acme\\.(com|io|COM)",
        1 => prop_oneof![
            Just("x@gmail.com"),
            Just("y@other.org"),
            Just("no-at-sign"),
            Just("a@b"),
            Just("a b@acme.com"),
            Just("@acme.com"),
            Just("a@acme.com."),
            Just("a@@acme.com"),
            Just("a@-acme.com"),
            Just("émile@acme.com"),
            Just("ÉMILE@acme.com"),
            Just("a@xn--80ak6aa92e.com"),
            Just(" c@acme.com "),
        ]
        .prop_map(str::to_string),
        1 => (1..300usize).prop_map(|n| format!("{}@acme.com", "l".repeat(n))),
    ]
    .boxed()
}

/// A JSON value: mostly the given one, sometimes null or a wrong type.
fn field(right: impl Strategy<Value = Value>) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        12 => right.prop_map(Some),
        1 => Just(Some(Value::Null)),
        1 => json_value().prop_map(Some),
    ]
}

fn schemas(urn: &'static str) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        16 => Just(Some(json!([urn]))),
        1 => Just(Some(json!([urn.to_uppercase(), "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]))),
        1 => Just(None),
        1 => Just(Some(json!(urn))),
        1 => Just(Some(json!(["urn:nope"]))),
    ]
}

fn user_body() -> BoxedStrategy<String> {
    let name = (
        field(text().prop_map(Value::String)),
        field(text().prop_map(Value::String)),
    )
        .prop_map(|(given, family)| object([("givenName", given), ("familyName", family)]));
    let fields = (
        schemas(USER_URN),
        prop_oneof![
            9 => email().prop_map(|e| Some(Value::String(e))),
            1 => field(json_value()),
        ],
        field(name),
        field(text().prop_map(Value::String)),
        field(any::<bool>().prop_map(Value::Bool)),
        field("[0-9a-zA-Z]{0,8}".prop_map(Value::String)),
        field(email().prop_map(|e| json!([{"value": e, "primary": true, "type": "work"}]))),
        field(any::<bool>().prop_map(|b| json!({"manager": {"value": b}}))),
    );
    let body = fields.prop_map(
        |(schemas, user_name, name, display, active, external_id, emails, extra)| {
            object([
                ("schemas", schemas),
                ("userName", user_name),
                ("name", name),
                ("displayName", display),
                ("active", active),
                ("externalId", external_id),
                ("emails", emails),
                (
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                    extra,
                ),
            ])
        },
    );
    json_text(body.boxed()).boxed()
}

fn group_name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => prop_oneof![
            Just("Engineering"),
            Just("engineering"),
            Just("Design"),
            Just("Ops"),
            Just("OPS"),
            Just(" Ops "),
            Just("Sales"),
            Just("Owners"),
            Just("team members"),
            Just("Équipe"),
            Just("équipe"),
            Just(""),
            Just("   "),
        ]
        .prop_map(str::to_string),
        1 => text(),
    ]
    .boxed()
}

fn member_item() -> BoxedStrategy<Value> {
    prop_oneof![
        12 => (0..12usize).prop_map(|n| json!({"value": format!("@U{n}@")})),
        1 => (0..12usize).prop_map(|n| json!({"value": format!("@G{n}@"), "type": "Group"})),
        1 => odd_id().prop_map(|id| json!({"value": id})),
        1 => json_value(),
    ]
    .boxed()
}

fn group_body() -> BoxedStrategy<String> {
    let fields = (
        schemas(GROUP_URN),
        field(group_name().prop_map(Value::String)),
        field(vec(member_item(), 0..5).prop_map(Value::Array)),
        field("[0-9a-z]{0,6}".prop_map(Value::String)),
        (0..12usize).prop_map(|n| Some(json!(format!("@G{n}@")))),
    );
    let body = fields.prop_map(|(schemas, name, members, external_id, id)| {
        object([
            ("schemas", schemas),
            ("displayName", name),
            ("members", members),
            ("externalId", external_id),
            ("id", id),
        ])
    });
    json_text(body.boxed()).boxed()
}

/// A PatchOp with random operations: every `op`, paths good and bad
/// (value filters on members included), values of every type.
fn patch_body() -> BoxedStrategy<String> {
    let operations = prop_oneof![
        8 => vec(prop_oneof![3 => coherent_operation(), 1 => operation()], 1..4).prop_map(Value::Array),
        1 => vec(operation(), 0..6).prop_map(Value::Array),
        1 => (1000..1003usize).prop_map(|n| Value::Array(vec![json!({"op": "add", "path": "externalId", "value": "x"}); n])),
        1 => json_value(),
    ];
    let operations = prop_oneof![
        14 => operations.prop_map(Some),
        1 => Just(None),
        1 => Just(Some(Value::Null)),
    ];
    let body = (schemas(PATCH_URN), operations).prop_map(|(schemas, operations)| {
        object([("schemas", schemas), ("Operations", operations)])
    });
    json_text(body.boxed()).boxed()
}

/// An operation whose path and value fit together, as IdPs send them
/// (docs/okta-wire.md#5-deactivate-unassign-suspend-reactivate, §8, §15), on a user or a group attribute.
fn coherent_operation() -> BoxedStrategy<Value> {
    let op = |op: &str, path: Option<&str>, value: Option<Value>| {
        object([
            ("op", Some(json!(op))),
            ("path", path.map(|p| json!(p))),
            ("value", value),
        ])
    };
    let text = || text().prop_map(Value::String);
    prop_oneof![
        any::<bool>().prop_map(move |b| op("replace", None, Some(json!({"active": b})))),
        any::<bool>().prop_map(move |b| op("replace", Some("active"), Some(json!(b)))),
        email().prop_map(move |e| op("replace", Some("userName"), Some(json!(e)))),
        text().prop_map(move |t| op("replace", Some("displayName"), Some(t))),
        (
            prop_oneof![
                Just("name.givenName"),
                Just("name.familyName"),
                Just("externalId")
            ],
            text()
        )
            .prop_map(move |(path, t)| op("add", Some(path), Some(t))),
        email().prop_map(move |e| op(
            "replace",
            Some("emails[type eq \"work\"].value"),
            Some(json!(e))
        )),
        (0..12usize, group_name()).prop_map(move |(n, name)| op(
            "replace",
            None,
            Some(json!({"id": format!("@G{n}@"), "displayName": name}))
        )),
        vec(member_item(), 0..4).prop_map(move |items| op(
            "add",
            Some("members"),
            Some(Value::Array(items))
        )),
        (0..12usize).prop_map(move |n| op(
            "remove",
            Some(&format!("members[value eq \"@U{n}@\"]")),
            None
        )),
        (
            prop_oneof![Just("remove"), Just("replace")],
            vec(member_item(), 0..3)
        )
            .prop_map(move |(o, items)| op(o, Some("members"), Some(Value::Array(items)))),
    ]
    .boxed()
}

/// Any operation: every `op`, paths good and bad, values of every type.
fn operation() -> BoxedStrategy<Value> {
    let op = prop_oneof![
        3 => Just(json!("replace")),
        2 => Just(json!("add")),
        2 => Just(json!("remove")),
        1 => prop_oneof![
            Just(json!("Replace")),
            Just(json!("ADD")),
            Just(json!("move")),
            Just(json!("")),
            Just(json!(5)),
            Just(Value::Null),
        ],
    ];
    let path = prop_oneof![
        3 => Just(None),
        6 => patch_path().prop_map(|p| Some(Value::String(p))),
        1 => json_value().prop_map(Some),
    ];
    (op, path, field(patch_value()))
        .prop_map(|(op, path, value)| object([("op", Some(op)), ("path", path), ("value", value)]))
        .boxed()
}

fn patch_path() -> BoxedStrategy<String> {
    prop_oneof![
        6 => prop_oneof![
            Just("active"),
            Just("userName"),
            Just("displayName"),
            Just("name"),
            Just("name.givenName"),
            Just("name.familyName"),
            Just("externalId"),
            Just("emails"),
            Just("emails[type eq \"work\"].value"),
            Just("emails[primary eq true]"),
            Just("members"),
            Just("members[value"),
            Just("members[value eq \"x\"].display"),
            Just("id"),
            Just("meta"),
            Just("meta.version"),
            Just("groups"),
            Just("schemas"),
            Just("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName"),
            Just("urn:ietf:params:scim:schemas:core:2.0:Group:displayName"),
            Just("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"),
            Just("title"),
            Just("x.y.z"),
            Just(""),
        ]
        .prop_map(str::to_string),
        4 => (0..12usize).prop_map(|n| format!("members[value eq \"@U{n}@\"]")),
        1 => (0..12usize).prop_map(|n| format!("members[value eq \"@G{n}@\"]")),
        1 => filter().prop_map(|f| format!("members[{f}]")),
        1 => filter().prop_map(|f| format!("emails[{f}].value")),
        1 => text(),
    ]
    .boxed()
}

fn patch_value() -> BoxedStrategy<Value> {
    let scalar = prop_oneof![
        2 => any::<bool>().prop_map(Value::Bool),
        1 => prop_oneof![Just(json!("True")), Just(json!("false")), Just(json!("yes"))],
        2 => email().prop_map(Value::String),
        2 => text().prop_map(Value::String),
    ];
    let attributes = prop_oneof![
        1 => any::<bool>().prop_map(|active| json!({"active": active})),
        2 => (0..12usize, group_name()).prop_map(|(n, name)| json!({"id": format!("@G{n}@"), "displayName": name})),
        1 => (text(), text()).prop_map(|(given, family)| json!({"name": {"givenName": given, "familyName": family}})),
        1 => email().prop_map(|e| json!({"userName": e, "name.familyName": "X"})),
        1 => any::<bool>().prop_map(|b| json!({"urn:ietf:params:scim:schemas:core:2.0:User": {"active": b}})),
    ];
    prop_oneof![
        7 => scalar,
        6 => attributes,
        3 => vec(member_item(), 0..4).prop_map(Value::Array),
        1 => json_value(),
    ]
    .boxed()
}

/// Arbitrary JSON, small.
fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec(("[a-zA-Z]{0,8}", inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
    .boxed()
}

/// An object of the fields that are `Some`.
fn object<const N: usize>(fields: [(&str, Option<Value>); N]) -> Value {
    let map: Map<String, Value> = fields
        .into_iter()
        .filter_map(|(key, value)| value.map(|v| (key.to_string(), v)))
        .collect();
    Value::Object(map)
}

/// A body as JSON text, sometimes cut short.
fn json_text(body: BoxedStrategy<Value>) -> impl Strategy<Value = String> {
    prop_oneof![
        9 => body.clone().prop_map(|b| b.to_string()),
        1 => (body, any::<Index>()).prop_map(|(b, cut)| truncate(&b.to_string(), cut)),
    ]
}

/// Any request body: SCIM-shaped JSON, truncated JSON, JSON that is not an
/// object, raw bytes, deep nesting.
fn payload() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        2 => Just(Vec::new()),
        2 => user_body().prop_map(String::into_bytes),
        2 => group_body().prop_map(String::into_bytes),
        2 => patch_body().prop_map(String::into_bytes),
        1 => json_value().prop_map(|v| v.to_string().into_bytes()),
        1 => vec(any::<u8>(), 0..64),
        1 => prop_oneof![
            Just("null"),
            Just("[]"),
            Just("{}"),
            Just("{} {}"),
            Just("\u{feff}{}"),
            Just("{\"schemas\":"),
            Just("{\"a\":1,\"a\":2}"),
        ]
        .prop_map(|s| s.as_bytes().to_vec()),
        1 => (1..20_000usize).prop_map(|n| format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes()),
    ]
    .boxed()
}

type Headers = (Option<Vec<u8>>, Option<Vec<u8>>, Option<Vec<u8>>);

/// Mostly the token and SCIM's media type; sometimes any headers.
fn mostly_good_headers() -> BoxedStrategy<Headers> {
    prop_oneof![
        9 => Just((Some(bearer()), Some(SCIM_JSON.as_bytes().to_vec()), None)),
        1 => headers(),
    ]
    .boxed()
}

/// `Authorization`, `Content-Type` and `Host`, each good, odd or missing.
fn headers() -> BoxedStrategy<Headers> {
    let auth = prop_oneof![
        4 => Just(Some(bearer())),
        1 => Just(None),
        1 => prop_oneof![
            Just(format!("bearer {TOKEN}")),
            Just(format!("  Bearer   {TOKEN}  ")),
            Just(format!("Bearer {TOKEN}x")),
            Just(format!("Basic {TOKEN}")),
            Just("Bearer".to_string()),
            Just("Bearer ".to_string()),
            Just(TOKEN.to_string()),
            Just(format!("Bearer {}", "t".repeat(10_000))),
        ]
        .prop_map(|s| Some(s.into_bytes())),
        1 => header_bytes().prop_map(Some),
    ];
    let content_type = prop_oneof![
        4 => Just(Some(SCIM_JSON.to_string())),
        2 => Just(None),
        1 => prop_oneof![
            Just("application/json"),
            Just("application/scim+json; charset=utf-8"),
            Just("APPLICATION/JSON"),
            Just("application/scim+json;charset=latin1"),
            Just("text/plain"),
            Just("multipart/form-data; boundary=x"),
            Just(""),
            Just(";"),
        ]
        .prop_map(|s| Some(s.to_string())),
    ];
    let content_type = prop_oneof![
        6 => content_type.prop_map(|c| c.map(String::into_bytes)),
        1 => header_bytes().prop_map(Some),
    ];
    let host = prop_oneof![
        4 => Just(None),
        1 => prop_oneof![
            Just("example.com"),
            Just("evil/host"),
            Just("a b"),
            Just("[::1]:80"),
            Just("\"quoted\""),
            Just(""),
        ]
        .prop_map(|s| Some(s.as_bytes().to_vec())),
        1 => header_bytes().prop_map(Some),
    ];
    (auth, content_type, host).boxed()
}

/// Bytes a header value may hold (no controls but tab), obs-text included.
fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..40).prop_map(|bytes| {
        bytes
            .into_iter()
            .map(|b| {
                if (b < 0x20 && b != b'\t') || b == 0x7f {
                    b'x'
                } else {
                    b
                }
            })
            .collect()
    })
}

/// At most 2000 characters of `text`, for reports.
pub(super) fn short(text: &str) -> String {
    const MAX: usize = 2000;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}… ({} bytes)", &text[..end], text.len()),
        None => text.to_string(),
    }
}

/// `text` cut at a char boundary chosen by `cut`.
fn truncate(text: &str, cut: Index) -> String {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    text[..*cut.get(&boundaries)].to_string()
}
