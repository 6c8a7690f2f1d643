//! How attribute values sit in a resource: reading and writing them under
//! canonical names, telling two values apart, keeping one `primary`, and
//! what may never be removed or emptied.

use std::collections::HashSet;

use scim_v2::models::errors::ScimType;
use serde_json::{Map, Value};

use crate::filter::{fold, get_ci};
use crate::schema::{AttrDef, AttrType, Mutability};
use crate::scim_error::ScimError;

/// The values of one multi-valued attribute, by identity: two values are
/// the same value when their `value` sub-attributes are equal (with that
/// sub-attribute's caseExact), or, without one, when their JSON is. Hashed,
/// so adding many members to a large group stays linear.
pub(super) struct ValueSet<'a> {
    attr: &'a AttrDef,
    keys: HashSet<String>,
    others: Vec<Value>,
}

impl<'a> ValueSet<'a> {
    pub(super) fn new(attr: &'a AttrDef, values: &[Value]) -> Self {
        let mut set = ValueSet {
            attr,
            keys: HashSet::new(),
            others: Vec::new(),
        };
        for value in values {
            set.insert(value);
        }
        set
    }

    /// Adds `value`; `false` if it was already there.
    pub(super) fn insert(&mut self, value: &Value) -> bool {
        match self.key(value) {
            Some(key) => self.keys.insert(key),
            None if self.others.contains(value) => false,
            None => {
                self.others.push(value.clone());
                true
            }
        }
    }

    pub(super) fn contains(&self, value: &Value) -> bool {
        match self.key(value) {
            Some(key) => self.keys.contains(&key),
            None => self.others.contains(value),
        }
    }

    fn key(&self, value: &Value) -> Option<String> {
        let def = self
            .attr
            .sub_attribute("value")
            .filter(|_| self.attr.kind == AttrType::Complex)?;
        let text = value
            .as_object()
            .and_then(|object| get_ci(object, "value"))
            .and_then(Value::as_str)?;
        Some(fold(text, def.case_exact).into_owned())
    }
}

/// Stores `items` (an empty list unassigns, RFC 7643 §2.5), after making
/// sure at most one is `primary` (RFC 7643 §2.4: "The primary attribute
/// value "true" MUST appear no more than once"): a value this operation
/// made primary wins and the others stop being primary.
pub(super) fn store_array(
    doc: &mut Map<String, Value>,
    attr: &AttrDef,
    old: &[Value],
    mut items: Vec<Value>,
) -> Result<(), ScimError> {
    items.retain(|item| !matches!(item, Value::Object(o) if o.is_empty()));
    if attr.sub_attribute("primary").is_some() {
        let is_primary = |v: &Value| {
            v.as_object().and_then(|o| get_ci(o, "primary")) == Some(&Value::Bool(true))
        };
        let fresh: Vec<usize> = (0..items.len())
            .filter(|&i| {
                is_primary(&items[i]) && !old.iter().any(|o| is_primary(o) && *o == items[i])
            })
            .collect();
        if fresh.len() > 1 {
            return Err(ScimError::bad_request(
                ScimType::InvalidValue,
                format!(
                    "{} values would be primary in {}: at most one may be (RFC 7643 §2.4)",
                    fresh.len(),
                    attr.name
                ),
            ));
        }
        if let [winner] = fresh.as_slice() {
            for (i, item) in items.iter_mut().enumerate() {
                if i != *winner
                    && is_primary(item)
                    && let Value::Object(object) = item
                {
                    put(object, "primary", Value::Bool(false));
                }
            }
        }
    }
    if items.is_empty() {
        removable(attr, attr.name)?;
        take(doc, attr.name);
    } else {
        put(doc, attr.name, Value::Array(items));
    }
    Ok(())
}

pub(super) fn store_object(
    doc: &mut Map<String, Value>,
    attr: &AttrDef,
    object: Map<String, Value>,
) {
    if object.is_empty() {
        take(doc, attr.name);
    } else {
        put(doc, attr.name, Value::Object(object));
    }
}

/// RFC 7643 §2.2 "required"; §3.12 invalidValue: "A required value was
/// missing". A readOnly attribute is left to the mutability check.
pub(super) fn removable(def: &AttrDef, path: &str) -> Result<(), ScimError> {
    if def.required && def.mutability != Mutability::ReadOnly {
        return Err(ScimError::bad_request(
            ScimType::InvalidValue,
            format!("{path} is required and cannot be removed; replace it instead"),
        ));
    }
    Ok(())
}

/// RFC 7643 §4.1.1: "Each User MUST include a non-empty userName value";
/// the same for every required text attribute.
pub(super) fn not_blank(def: &AttrDef, value: &Value, path: &str) -> Result<(), ScimError> {
    if def.required && value.as_str().is_some_and(|s| s.trim().is_empty()) {
        return Err(ScimError::bad_request(
            ScimType::InvalidValue,
            format!("{path} is required and cannot be empty"),
        ));
    }
    Ok(())
}

/// The values of `attr` in `doc`, borrowed (a stray single value counts as
/// one).
pub(super) fn values_of<'a>(doc: &'a Map<String, Value>, attr: &AttrDef) -> &'a [Value] {
    match get_ci(doc, attr.name) {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => &[],
        Some(other) => std::slice::from_ref(other),
    }
}

/// Moves the values of `attr` out of `doc` for an operation to change
/// (without copying a large `members` list), to be stored back with
/// [`store_array`]; the second list is the before state that `primary`
/// bookkeeping compares with (empty when `attr` has no `primary`).
pub(super) fn take_array(doc: &mut Map<String, Value>, attr: &AttrDef) -> (Vec<Value>, Vec<Value>) {
    let key = if doc.contains_key(attr.name) {
        Some(attr.name.to_string())
    } else {
        doc.keys()
            .find(|key| key.eq_ignore_ascii_case(attr.name))
            .cloned()
    };
    let items = match key.and_then(|key| doc.get_mut(&key)) {
        Some(Value::Array(items)) => std::mem::take(items),
        None | Some(Value::Null) => Vec::new(),
        Some(other) => vec![other.take()],
    };
    let old = if attr.sub_attribute("primary").is_some() {
        items.clone()
    } else {
        Vec::new()
    };
    (items, old)
}

pub(super) fn object_of(doc: &Map<String, Value>, attr: &AttrDef) -> Map<String, Value> {
    match get_ci(doc, attr.name) {
        Some(Value::Object(object)) => object.clone(),
        _ => Map::new(),
    }
}

/// Writes `name` under its canonical spelling, dropping any other-case
/// spelling; an existing canonical key keeps its position.
pub(super) fn put(object: &mut Map<String, Value>, name: &str, value: Value) {
    let others: Vec<String> = object
        .keys()
        .filter(|key| key.as_str() != name && key.eq_ignore_ascii_case(name))
        .cloned()
        .collect();
    for key in others {
        object.shift_remove(&key);
    }
    object.insert(name.to_string(), value);
}

/// Removes `name` in any spelling.
pub(super) fn take(object: &mut Map<String, Value>, name: &str) {
    let keys: Vec<String> = object
        .keys()
        .filter(|key| key.eq_ignore_ascii_case(name))
        .cloned()
        .collect();
    for key in keys {
        object.shift_remove(&key);
    }
}
