//! A model of the target's state: what each user Okta wrote should hold
//! after the scenario, replayed from what Okta sent and the target accepted,
//! under RFC 7644's semantics: a `POST` makes the resource as sent (§3.3), a
//! `PUT` replaces it with the body (§3.5.1), a `PATCH` applies its
//! operations in order (§3.5.2). The read-backs (`play`) ask the target for
//! each modelled user the ways Okta and a careful client do, and the state
//! checks compare.
//!
//! Only Okta's accepted writes count: a refused one (non-2xx) changes
//! nothing, and scimulate's own requests (`verify`, `setup`) are not Okta's.
//! A PATCH path the model cannot follow (a value filter such as
//! `emails[type eq "work"].value`) marks the user `uncertain`: attribute
//! comparisons then skip it rather than guess.
//!
//! The model also remembers what Okta's writes cleared: an attribute a
//! `PUT` left out (or sent as `null` or `""`), or a `PATCH` removed, with
//! the value it held before, until a later write sets it again. Okta's
//! profile `PUT` carries the whole user as the target last showed it, so
//! what it leaves out is what Okta's admin cleared
//! (docs/okta-wire.md#4-profile-updates).

use serde_json::{Map, Value};

use scimulate_simulator::Exchange;

/// What one user should now hold.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelUser {
    /// The id the target gave it (from the create's answer or the path).
    pub id: String,
    /// The attributes Okta sent, as the writes leave them.
    pub sent: Map<String, Value>,
    /// A PATCH the model could not apply touched it.
    pub uncertain: bool,
    /// What Okta's writes cleared, each with the value it held before.
    pub cleared: Vec<Cleared>,
}

/// An attribute (`displayName`) or sub-attribute (`name.middleName`) an
/// accepted write cleared.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleared {
    pub attribute: String,
    pub sub: Option<String>,
    /// What it held before the write cleared it.
    pub was: Value,
}

impl Cleared {
    /// Its JSON pointer (`/name/middleName`).
    pub fn pointer(&self) -> String {
        let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
        match &self.sub {
            Some(sub) => format!("/{}/{}", escape(&self.attribute), escape(sub)),
            None => format!("/{}", escape(&self.attribute)),
        }
    }
}

/// Attributes no admin clears, so a write that leaves them out asserts
/// nothing: `password` is writeOnly and never re-sent, `groups` readOnly
/// (RFC 7643 §4.1.2), and Okta's PUT passes `active` through as the target
/// showed it (docs/okta-wire.md#4-profile-updates).
const NEVER_CLEARED: [&str; 3] = ["password", "groups", "active"];

impl ModelUser {
    /// Its userName, when Okta sent one.
    pub fn user_name(&self) -> Option<&str> {
        self.sent.get("userName").and_then(Value::as_str)
    }

    /// Whether it should be active: the last JSON boolean Okta sent for
    /// `active`, `None` when Okta sent none.
    pub fn active(&self) -> Option<bool> {
        self.sent.get("active").and_then(Value::as_bool)
    }
}

/// The users Okta wrote, in the order it first wrote them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StateModel {
    pub users: Vec<ModelUser>,
}

/// Actions whose requests are scimulate's own, not Okta's.
const OWN_ACTIONS: [&str; 2] = [crate::scenarios::core::VERIFY, "setup"];

impl StateModel {
    /// Replays Okta's accepted user writes among `exchanges`.
    pub fn of<'e>(exchanges: impl IntoIterator<Item = &'e Exchange>) -> Self {
        let mut model = StateModel::default();
        for exchange in exchanges {
            if OWN_ACTIONS.contains(&exchange.action.as_str()) {
                continue;
            }
            let Some(response) = exchange
                .response
                .as_ref()
                .filter(|r| (200..300).contains(&r.status))
            else {
                continue;
            };
            let Some(sent) = exchange.request.body.as_ref().and_then(Value::as_object) else {
                continue;
            };
            let path = exchange.request.path.split('?').next().unwrap_or_default();
            match (exchange.request.method.as_str(), path) {
                ("POST", "/Users") => {
                    let id = response
                        .body
                        .json()
                        .and_then(|b| b.get("id"))
                        .and_then(Value::as_str);
                    if let Some(id) = id {
                        model.user_mut(id).sent = resource(sent);
                    }
                }
                ("PUT", _) => {
                    if let Some(id) = user_id(path) {
                        let user = model.user_mut(id);
                        let before = std::mem::replace(&mut user.sent, resource(sent));
                        note_cleared(&mut user.cleared, &before, &user.sent);
                    }
                }
                ("PATCH", _) => {
                    if let Some(id) = user_id(path) {
                        let user = model.user_mut(id);
                        let before = user.sent.clone();
                        let operations = sent.get("Operations").and_then(Value::as_array);
                        for operation in operations.into_iter().flatten() {
                            if !apply(&mut user.sent, operation) {
                                user.uncertain = true;
                            }
                        }
                        note_cleared(&mut user.cleared, &before, &user.sent);
                    }
                }
                _ => {}
            }
        }
        model
    }

    /// The modelled user with `id`.
    pub fn user(&self, id: &str) -> Option<&ModelUser> {
        self.users.iter().find(|u| u.id == id)
    }

    fn user_mut(&mut self, id: &str) -> &mut ModelUser {
        let index = match self.users.iter().position(|u| u.id == id) {
            Some(index) => index,
            None => {
                self.users.push(ModelUser {
                    id: id.to_string(),
                    sent: Map::new(),
                    uncertain: false,
                    cleared: Vec::new(),
                });
                self.users.len() - 1
            }
        };
        &mut self.users[index]
    }
}

/// Brings `cleared` up to a write that turned `before` into `after`: what
/// `after` holds again is no longer cleared; what held a value before and
/// holds none after is.
fn note_cleared(
    cleared: &mut Vec<Cleared>,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) {
    let held = |map: &Map<String, Value>, attribute: &str, sub: Option<&str>| {
        let value = map.get(attribute);
        let value = match sub {
            Some(sub) => value.and_then(|v| v.get(sub)),
            None => value,
        };
        has_value(value)
    };
    cleared.retain(|c| !held(after, &c.attribute, c.sub.as_deref()));
    let mut clear = |attribute: &str, sub: Option<&str>, was: &Value| {
        if !has_value(Some(was)) {
            return;
        }
        cleared.retain(|c| !(c.attribute == attribute && c.sub.as_deref() == sub));
        cleared.push(Cleared {
            attribute: attribute.to_string(),
            sub: sub.map(str::to_string),
            was: was.clone(),
        });
    };
    for (attribute, was) in before {
        if NEVER_CLEARED.contains(&attribute.as_str()) {
            continue;
        }
        match was {
            Value::Object(subs) => {
                for (sub, was) in subs {
                    if !held(after, attribute, Some(sub)) {
                        clear(attribute, Some(sub), was);
                    }
                }
            }
            _ => {
                if !held(after, attribute, None) {
                    clear(attribute, None, was);
                }
            }
        }
    }
}

/// Whether a value is there: not missing, `null`, `""`, `[]` or `{}`
/// (RFC 7643 §2.5: unassigned and null are the same).
fn has_value(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::String(text)) => !text.is_empty(),
        Some(Value::Array(values)) => !values.is_empty(),
        Some(Value::Object(subs)) => !subs.is_empty(),
        Some(_) => true,
    }
}

/// The id in a `/Users/{id}` path.
fn user_id(path: &str) -> Option<&str> {
    path.strip_prefix("/Users/")
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

/// The resource a POST or PUT body asserts: its attributes without `id`
/// and `meta`, which the server assigns (RFC 7643 §3.1).
fn resource(body: &Map<String, Value>) -> Map<String, Value> {
    body.iter()
        .filter(|(key, _)| !matches!(key.as_str(), "id" | "meta" | "schemas"))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

/// Applies one PATCH operation (RFC 7644 §3.5.2): `add` and `replace`
/// with no path merge the value's attributes; with a path of `attr` or
/// `attr.sub` they set it; `remove` clears it. `false` when the model
/// cannot follow the operation.
fn apply(user: &mut Map<String, Value>, operation: &Value) -> bool {
    let op = operation
        .get("op")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    let path = operation.get("path").and_then(Value::as_str);
    let value = operation.get("value");
    match (op.as_deref(), path, value) {
        (Some("add" | "replace"), None, Some(Value::Object(attributes))) => {
            for (name, value) in attributes {
                match (name.split_once('.'), value) {
                    (Some((parent, sub)), _) => set(user, parent, Some(sub), value.clone()),
                    (None, Value::Object(subs))
                        if matches!(user.get(name), Some(Value::Object(_))) =>
                    {
                        for (sub, value) in subs {
                            set(user, name, Some(sub), value.clone());
                        }
                    }
                    (None, _) => {
                        user.insert(name.clone(), value.clone());
                    }
                }
            }
            true
        }
        (Some("add" | "replace"), Some(path), Some(value)) if simple(path) => {
            let (parent, sub) = split(path);
            set(user, parent, sub, value.clone());
            true
        }
        (Some("remove"), Some(path), _) if simple(path) => {
            match split(path) {
                (parent, None) => {
                    user.remove(parent);
                }
                (parent, Some(sub)) => {
                    if let Some(Value::Object(complex)) = user.get_mut(parent) {
                        complex.remove(sub);
                    }
                }
            }
            true
        }
        _ => false,
    }
}

/// A path the model follows: `attr` or `attr.sub`, no value filter, no
/// schema URN.
fn simple(path: &str) -> bool {
    !path.contains('[') && !path.contains(':') && path.split('.').count() <= 2
}

fn split(path: &str) -> (&str, Option<&str>) {
    match path.split_once('.') {
        Some((parent, sub)) => (parent, Some(sub)),
        None => (path, None),
    }
}

fn set(user: &mut Map<String, Value>, parent: &str, sub: Option<&str>, value: Value) {
    match sub {
        None => {
            user.insert(parent.to_string(), value);
        }
        Some(sub) => {
            let entry = user
                .entry(parent.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(complex) = entry {
                complex.insert(sub.to_string(), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use scimulate_simulator::{RecordedBody, RecordedRequest, RecordedResponse};
    use serde_json::json;

    use super::*;

    fn exchange(method: &str, path: &str, body: Value, status: u16, answer: Value) -> Exchange {
        Exchange {
            number: 1,
            action: "assign ada@acme.com".into(),
            step: "write".into(),
            attempt: 1,
            started_at: chrono::DateTime::UNIX_EPOCH,
            duration_ms: 0,
            duration_us: 0,
            request: RecordedRequest {
                method: method.into(),
                path: path.into(),
                headers: vec![],
                body: Some(body),
            },
            response: Some(RecordedResponse {
                status,
                headers: vec![],
                body: RecordedBody::Json(answer.into()),
            }),
            error: None,
        }
    }

    fn create() -> Exchange {
        exchange(
            "POST",
            "/Users",
            json!({"schemas": ["x"], "userName": "ada@acme.com", "active": true,
                   "name": {"givenName": "Ada", "familyName": "Lovelace"}, "title": "Countess"}),
            201,
            json!({"id": "u1"}),
        )
    }

    #[test]
    fn post_then_patch_deactivates() {
        let deactivate = exchange(
            "PATCH",
            "/Users/u1",
            json!({"Operations": [{"op": "replace", "value": {"active": false}}]}),
            204,
            Value::Null,
        );
        let model = StateModel::of(&[create(), deactivate]);
        let user = model.user("u1").expect("modelled");
        assert_eq!(user.user_name(), Some("ada@acme.com"));
        assert_eq!(user.active(), Some(false));
        assert!(!user.uncertain);
        assert!(user.sent.get("schemas").is_none());
    }

    #[test]
    fn put_replaces_and_refusals_change_nothing() {
        let put = exchange(
            "PUT",
            "/Users/u1",
            json!({"userName": "ada@acme.com", "active": true, "name": {"givenName": "Ada"}}),
            200,
            json!({}),
        );
        let refused = exchange(
            "PATCH",
            "/Users/u1",
            json!({"Operations": [{"op": "replace", "value": {"active": false}}]}),
            400,
            json!({}),
        );
        let model = StateModel::of(&[create(), put, refused]);
        let user = model.user("u1").expect("modelled");
        assert!(
            user.sent.get("title").is_none(),
            "a PUT drops what it leaves out"
        );
        assert_eq!(user.sent["name"], json!({"givenName": "Ada"}));
        assert_eq!(user.active(), Some(true));
    }

    #[test]
    fn patch_paths_and_value_filters() {
        let patch = exchange(
            "PATCH",
            "/Users/u1",
            json!({"Operations": [
                {"op": "replace", "path": "name.familyName", "value": "King"},
                {"op": "Remove", "path": "title"},
                {"op": "replace", "value": {"name": {"givenName": "Augusta"}}},
                {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "a@b.c"}
            ]}),
            200,
            json!({}),
        );
        let model = StateModel::of(&[create(), patch]);
        let user = model.user("u1").expect("modelled");
        assert_eq!(
            user.sent["name"],
            json!({"givenName": "Augusta", "familyName": "King"})
        );
        assert!(user.sent.get("title").is_none());
        assert!(user.uncertain);
    }

    #[test]
    fn what_a_put_leaves_out_is_cleared_until_set_again() {
        let put = |body: Value| exchange("PUT", "/Users/u1", body, 200, json!({}));
        let left_out = put(json!({"userName": "ada@acme.com",
                                  "name": {"givenName": "Ada", "familyName": ""},
                                  "groups": [], "title": null}));
        let model = StateModel::of(&[create(), left_out.clone()]);
        let cleared = &model.user("u1").expect("modelled").cleared;
        let pointers: Vec<String> = cleared.iter().map(Cleared::pointer).collect();
        assert_eq!(
            pointers,
            ["/name/familyName", "/title"],
            "not active or password"
        );
        assert_eq!(cleared[1].was, json!("Countess"));
        let set_again = put(json!({"userName": "ada@acme.com", "title": "Queen",
                                   "name": {"givenName": "Ada"}}));
        let model = StateModel::of(&[create(), left_out, set_again]);
        let pointers: Vec<String> = model.users[0]
            .cleared
            .iter()
            .map(Cleared::pointer)
            .collect();
        assert_eq!(pointers, ["/name/familyName"]);
    }

    #[test]
    fn a_patch_remove_clears() {
        let remove = exchange(
            "PATCH",
            "/Users/u1",
            json!({"Operations": [{"op": "remove", "path": "title"}]}),
            204,
            Value::Null,
        );
        let model = StateModel::of(&[create(), remove]);
        assert_eq!(model.users[0].cleared[0].pointer(), "/title");
    }

    #[test]
    fn own_requests_are_not_okta_writes() {
        let mut own = create();
        own.action = "setup".into();
        assert!(StateModel::of(&[own]).users.is_empty());
    }
}
