//! What Okta's group writes leave: each app group's name and members, replayed
//! from the transcript the way RFC 7644 §3.5 applies them, counting only the
//! writes the target acknowledged (2xx: "if one of the operations fails, the
//! entire request fails", §3.5.2). The read-backs and the account are
//! compared with it.
//!
//! A group enters the replay when Okta creates it (`POST /Groups`) or first
//! reads it (a list, a lookup, an AIW fetch): what the target reported then
//! is its starting point, e.g. the members an existing group already had
//! when Okta links it (docs/okta-wire.md#83-link-group).

use serde_json::Value;

use scimulate_simulator::Exchange;

use crate::observation::{Observation, body, resource_id, status};
use crate::scenarios::core::VERIFY;

/// The step of the read-back probes `play.rs` adds after every scenario.
pub(super) const READ_BACK_GROUP: &str = "read back group";

/// One app group as Okta's acknowledged writes leave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::checks) struct Intended {
    /// Its SCIM id.
    pub id: String,
    pub name: String,
    /// Member ids (`value`s), each once, in the order they joined.
    pub members: Vec<String>,
    /// Okta deleted it (`DELETE /Groups/{id}` answered 2xx).
    pub deleted: bool,
    /// Okta's acknowledged writes to it, by exchange number.
    pub writes: Vec<u64>,
}

/// One write Okta sent to a group, acknowledged or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::checks) struct Write {
    pub exchange: u64,
    /// The group's SCIM id (for a POST: the id answered, if any).
    pub group: Option<String>,
    /// Answered 2xx.
    pub accepted: bool,
    /// Members the write adds that the group did not have.
    pub added: Vec<String>,
    /// Members the write asks to add that the group already had.
    pub readded: Vec<String>,
    /// Members the write takes out (a remove, or left out of a replace/PUT).
    pub removed: Vec<String>,
    /// A `PATCH` `replace` of `members`, or a `PUT`: Okta's full push.
    pub full: bool,
}

/// The replay of a whole transcript (or of its first exchanges).
#[derive(Debug, Clone, Default)]
pub(in crate::checks) struct Replay {
    pub groups: Vec<Intended>,
    pub writes: Vec<Write>,
}

impl Replay {
    /// Replays Okta's exchanges (not the probes) of `o`.
    pub fn of(o: &Observation) -> Self {
        Self::until(o, u64::MAX)
    }

    /// Replays Okta's exchanges numbered below `number`.
    pub fn until(o: &Observation, number: u64) -> Self {
        let mut replay = Replay::default();
        for exchange in o
            .exchanges
            .iter()
            .filter(|e| e.number < number && !e.action.starts_with(VERIFY))
        {
            replay.apply(exchange);
        }
        replay
    }

    /// The group with this id, if the replay knows it.
    pub fn group(&self, id: &str) -> Option<&Intended> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Groups Okta wrote to and did not delete.
    pub fn written(&self) -> impl Iterator<Item = &Intended> {
        self.groups
            .iter()
            .filter(|g| !g.writes.is_empty() && !g.deleted)
    }

    /// A live group with this name (any case: RFC 7643 §4.2 displayName is
    /// caseExact=false… in practice; 1Password compares names so).
    pub fn named(&self, name: &str) -> Option<&Intended> {
        self.groups
            .iter()
            .find(|g| !g.deleted && g.name.eq_ignore_ascii_case(name))
    }

    fn apply(&mut self, exchange: &Exchange) {
        let Some(target) = GroupPath::of(exchange) else {
            return;
        };
        let accepted = status(exchange).is_some_and(|s| (200..300).contains(&s));
        let method = exchange.request.method.as_str();
        match (method, target) {
            ("GET", GroupPath::Collection) if accepted => {
                let listed = body(exchange)
                    .and_then(|b| b.get("Resources"))
                    .and_then(Value::as_array);
                for resource in listed.into_iter().flatten() {
                    self.learn(resource);
                }
            }
            ("GET", GroupPath::One(_)) if accepted => {
                if let Some(resource) = body(exchange) {
                    self.learn(resource);
                }
            }
            ("POST", GroupPath::Collection) => {
                let id = resource_id(exchange).map(str::to_string);
                let request = exchange.request.body.as_ref();
                let mut write = Write::new(exchange.number, id.clone(), accepted);
                if let (true, Some(id)) = (accepted, id) {
                    let name = request.and_then(display_name).unwrap_or_default();
                    let members = unique(request.map(member_values).unwrap_or_default());
                    let group = self.entry(&id);
                    group.name = name;
                    group.deleted = false;
                    (write.readded, write.added) = members
                        .iter()
                        .cloned()
                        .partition(|m| group.members.contains(m));
                    add_all(&mut group.members, &members);
                    group.writes.push(exchange.number);
                }
                self.writes.push(write);
            }
            ("PUT", GroupPath::One(id)) => {
                let mut write = Write::new(exchange.number, Some(id.clone()), accepted);
                write.full = true;
                let request = exchange.request.body.as_ref();
                let wanted = unique(request.map(member_values).unwrap_or_default());
                let group = self.entry(&id);
                (write.readded, write.added) = wanted
                    .iter()
                    .cloned()
                    .partition(|m| group.members.contains(m));
                write.removed = group
                    .members
                    .iter()
                    .filter(|m| !wanted.contains(m))
                    .cloned()
                    .collect();
                if accepted {
                    if let Some(name) = request.and_then(display_name) {
                        group.name = name;
                    }
                    group.members.clear();
                    add_all(&mut group.members, &wanted);
                    group.writes.push(exchange.number);
                }
                self.writes.push(write);
            }
            ("PATCH", GroupPath::One(id)) => {
                let mut write = Write::new(exchange.number, Some(id.clone()), accepted);
                let group = self.entry(&id);
                let mut patched = group.clone();
                let operations = exchange
                    .request
                    .body
                    .as_ref()
                    .and_then(|b| b.get("Operations"))
                    .and_then(Value::as_array);
                for operation in operations.into_iter().flatten() {
                    patch(&mut patched, operation, &mut write);
                }
                if accepted {
                    patched.writes.push(exchange.number);
                    *group = patched;
                }
                self.writes.push(write);
            }
            ("DELETE", GroupPath::One(id)) => {
                let write = Write::new(exchange.number, Some(id.clone()), accepted);
                if accepted {
                    let group = self.entry(&id);
                    group.deleted = true;
                    group.writes.push(exchange.number);
                }
                self.writes.push(write);
            }
            _ => {}
        }
    }

    /// Takes what the target reported about a group Okta has not seen yet.
    fn learn(&mut self, resource: &Value) {
        let Some(id) = resource.get("id").and_then(Value::as_str) else {
            return;
        };
        if self.group(id).is_some() {
            return;
        }
        let group = self.entry(id);
        group.name = display_name(resource).unwrap_or_default();
        add_all(&mut group.members, &member_values(resource));
    }

    fn entry(&mut self, id: &str) -> &mut Intended {
        let index = match self.groups.iter().position(|g| g.id == id) {
            Some(index) => index,
            None => {
                self.groups.push(Intended {
                    id: id.to_string(),
                    name: String::new(),
                    members: Vec::new(),
                    deleted: false,
                    writes: Vec::new(),
                });
                self.groups.len() - 1
            }
        };
        &mut self.groups[index]
    }
}

impl Write {
    fn new(exchange: u64, group: Option<String>, accepted: bool) -> Self {
        Write {
            exchange,
            group,
            accepted,
            added: Vec::new(),
            readded: Vec::new(),
            removed: Vec::new(),
            full: false,
        }
    }
}

/// One PATCH operation on a group (RFC 7644 §3.5.2.1-3): `displayName`,
/// `members` (add, replace, remove) and `members[value eq "…"]` (remove).
/// Other paths do not change what the checks compare.
fn patch(group: &mut Intended, operation: &Value, write: &mut Write) {
    let op = operation
        .get("op")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let value = operation.get("value");
    let path = operation.get("path").and_then(Value::as_str);
    match path.map(str::trim) {
        None => {
            // §3.5.2.1/3 without a path: the value is an object of attributes.
            let Some(object) = value.filter(|v| v.is_object()) else {
                return;
            };
            if let Some(name) = display_name(object) {
                group.name = name;
            }
            if object.get("members").is_some() {
                members_op(group, &op, &unique(member_values(object)), write);
            }
        }
        Some(p) if p.eq_ignore_ascii_case("displayName") => {
            if let Some(name) = value.and_then(Value::as_str)
                && op != "remove"
            {
                group.name = name.to_string();
            }
        }
        Some(p) if p.eq_ignore_ascii_case("members") => {
            let values = unique(value.map(values_of).unwrap_or_default());
            if op == "remove" && value.is_none() {
                write.removed.append(&mut group.members);
            } else {
                members_op(group, &op, &values, write);
            }
        }
        Some(p) => {
            if op == "remove"
                && let Some(id) = member_filter_value(p)
                && let Some(at) = group.members.iter().position(|m| *m == id)
            {
                write.removed.push(group.members.remove(at));
            }
        }
    }
}

fn members_op(group: &mut Intended, op: &str, values: &[String], write: &mut Write) {
    let (readded, added): (Vec<String>, Vec<String>) = values
        .iter()
        .cloned()
        .partition(|v| group.members.contains(v));
    match op {
        "add" => {
            write.readded.extend(readded);
            write.added.extend(added);
            add_all(&mut group.members, values);
        }
        "replace" => {
            write.full = true;
            write.readded.extend(readded);
            write.added.extend(added);
            write.removed.extend(
                group
                    .members
                    .iter()
                    .filter(|m| !values.contains(m))
                    .cloned(),
            );
            group.members.clear();
            add_all(&mut group.members, values);
        }
        "remove" => {
            for value in values {
                if let Some(at) = group.members.iter().position(|m| m == value) {
                    write.removed.push(group.members.remove(at));
                }
            }
        }
        _ => {}
    }
}

/// `values` without repeats, first occurrence kept.
fn unique(values: Vec<String>) -> Vec<String> {
    let mut kept = Vec::with_capacity(values.len());
    add_all(&mut kept, &values);
    kept
}

fn add_all(members: &mut Vec<String>, values: &[String]) {
    for value in values {
        if !members.contains(value) {
            members.push(value.clone());
        }
    }
}

/// `members[value eq "abc"]` → `abc` (Okta's removal path, docs/okta-wire.md
/// §8.4).
pub(super) fn member_filter_value(path: &str) -> Option<String> {
    let inner = path
        .get(..8)
        .filter(|head| head.eq_ignore_ascii_case("members["))
        .and(path.get(8..))?
        .strip_suffix(']')?;
    let mut words = inner.trim().splitn(3, ' ');
    let attribute = words.next()?;
    let operator = words.next()?;
    let value = words.next()?.trim();
    if !attribute.eq_ignore_ascii_case("value") || !operator.eq_ignore_ascii_case("eq") {
        return None;
    }
    let unquoted = value.strip_prefix('"')?.strip_suffix('"')?;
    Some(unquoted.replace("\\\"", "\"").replace("\\\\", "\\"))
}

/// The `value` of each entry of a resource's `members`.
pub(in crate::checks) fn member_values(resource: &Value) -> Vec<String> {
    resource.get("members").map(values_of).unwrap_or_default()
}

/// Member `value`s of an array of `{value, …}` (or of one such object).
fn values_of(members: &Value) -> Vec<String> {
    let one = |m: &Value| m.get("value").and_then(Value::as_str).map(str::to_string);
    match members {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        Value::Object(_) => one(members).into_iter().collect(),
        _ => Vec::new(),
    }
}

pub(in crate::checks) fn display_name(resource: &Value) -> Option<String> {
    resource
        .get("displayName")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// What a request addresses under `/Groups`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::checks) enum GroupPath {
    /// `/Groups` (list, lookup, create).
    Collection,
    /// `/Groups/{id}`.
    One(String),
}

impl GroupPath {
    pub fn of(exchange: &Exchange) -> Option<Self> {
        let path = exchange.request.path.split('?').next().unwrap_or_default();
        let rest = path.strip_prefix("/Groups")?;
        if rest.is_empty() || rest == "/" {
            return Some(GroupPath::Collection);
        }
        let id = rest.strip_prefix('/')?;
        (!id.is_empty() && !id.contains('/')).then(|| GroupPath::One(id.to_string()))
    }
}

/// The read-back probe of the group with this id.
pub(in crate::checks) fn read_back<'a>(o: &'a Observation, id: &str) -> Option<&'a Exchange> {
    o.exchanges.iter().find(|e| {
        e.action.starts_with(VERIFY)
            && e.step == READ_BACK_GROUP
            && GroupPath::of(e) == Some(GroupPath::One(id.to_string()))
    })
}

/// `action: step`, as evidence names where something was seen.
pub(in crate::checks) fn at(exchange: &Exchange) -> String {
    format!("{}: {}", exchange.action, exchange.step)
}

/// Members in a readable list: `[a, b]`.
pub(in crate::checks) fn list(members: &[String]) -> String {
    format!("[{}]", members.join(", "))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    #[test]
    fn removal_paths_give_their_value() {
        assert_eq!(
            member_filter_value(r#"members[value eq "u-1"]"#).as_deref(),
            Some("u-1")
        );
        assert_eq!(
            member_filter_value(r#"Members[Value EQ "a\"b"]"#).as_deref(),
            Some("a\"b")
        );
        assert_eq!(member_filter_value(r#"members[display eq "x"]"#), None);
        assert_eq!(member_filter_value("members"), None);
    }

    #[test]
    fn replays_okta_writes_that_were_acknowledged() {
        let o = Built::new("x")
            .push_eng_with(&["u1", "u2"])
            .remove_from_eng("u2", 200)
            .send(
                "rename group Eng to Platform",
                "update group name",
                "PATCH",
                "/Groups/g1",
                Some(Built::patch(vec![
                    json!({"op": "replace", "value": {"id": "g1", "displayName": "Platform"}}),
                ])),
                400,
                None,
            )
            .done();
        let replay = Replay::of(&o);
        let group = replay.group("g1").unwrap();
        assert_eq!(group.name, "Eng", "the refused rename changes nothing");
        assert_eq!(group.members, ["u1"]);
        assert_eq!(group.writes, [1, 2, 3]);
        assert_eq!(replay.writes[2].removed, ["u2"]);
        assert!(!replay.writes[3].accepted);
    }

    #[test]
    fn existing_groups_start_from_what_the_target_listed() {
        let o = Built::new("x")
            .groups_imported(Built::list(vec![Built::group("g1", "Eng", &["u0"])], 1, 1))
            .send(
                "link group Eng to app group Eng",
                "update group members",
                "PATCH",
                "/Groups/g1",
                Some(Built::patch(vec![json!({"op": "add", "path": "members",
                    "value": [{"value": "u0"}, {"value": "u1"}]})])),
                204,
                None,
            )
            .done();
        let replay = Replay::of(&o);
        assert_eq!(replay.group("g1").unwrap().members, ["u0", "u1"]);
        assert_eq!(replay.writes[0].readded, ["u0"]);
        assert_eq!(Replay::until(&o, 2).group("g1").unwrap().writes.len(), 0);
    }
}
