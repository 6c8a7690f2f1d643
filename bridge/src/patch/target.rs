//! One PATCH operation on one target location (RFC 7644 §3.5.2): an
//! attribute, a sub-attribute, or the values of a multi-valued attribute a
//! value filter selects.

use std::fmt;

use scim_v2::filter::{AttrExp, CompValue, CompareOp, ValFilter};
use scim_v2::models::errors::ScimType;
use serde_json::{Map, Value};

use super::record::{
    ValueSet, not_blank, object_of, put, removable, store_array, store_object, take, take_array,
    values_of,
};
use super::value;
use crate::filter::{Condition, get_ci};
use crate::schema::{AttrDef, AttrType, Mutability};
use crate::scim_error::ScimError;

/// The three PATCH operations (RFC 7644 §3.5.2.1–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Add,
    Remove,
    Replace,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Add => "add",
            Op::Remove => "remove",
            Op::Replace => "replace",
        })
    }
}

/// `op` on a whole attribute (`path: "active"`, `"members"`, `"name"`, or
/// a key of a path-less value).
pub(super) fn attribute(
    doc: &mut Map<String, Value>,
    attr: &'static AttrDef,
    op: Op,
    given: Option<&Value>,
) -> Result<(), ScimError> {
    let path = attr.name;
    if attr.multi_valued {
        let new = match (op, given) {
            (Op::Add, Some(Value::Null)) => return Ok(()),
            // Entra ID: {"op":"Remove","path":"members","value":[{"value":"id"}]}
            // removes those values (docs/okta-wire.md#15-microsoft-entra-id-for-comparison); RFC 7644
            // §3.5.2.2 defines remove without a value: everything goes.
            (Op::Remove, Some(wanted)) if !wanted.is_null() => {
                Some(value::many(attr, wanted, path)?)
            }
            (Op::Remove, _) | (Op::Replace, Some(Value::Null)) => None,
            (_, given) => Some(value::many(attr, required_value(given, op)?, path)?),
        };
        let (mut items, old) = take_array(doc, attr);
        match (op, new) {
            (Op::Remove, Some(wanted)) => {
                let wanted = ValueSet::new(attr, &wanted);
                items.retain(|item| !wanted.contains(item));
            }
            (_, None) => items.clear(),
            (op, Some(new)) => {
                // §3.5.2.3: "the attribute and all values are replaced";
                // §3.5.2.1: "a new value is added", and "If the target
                // location already contains the value specified, no changes
                // SHOULD be made".
                if op == Op::Replace {
                    items.clear();
                }
                let mut present = ValueSet::new(attr, &items);
                items.extend(new.into_iter().filter(|item| present.insert(item)));
            }
        }
        return store_array(doc, attr, &old, items);
    }
    let new = match (op, given) {
        (Op::Remove, _) | (Op::Replace, Some(Value::Null)) => None,
        (Op::Add, Some(Value::Null)) => return Ok(()),
        (_, given) => Some(value::one(attr, required_value(given, op)?, path)?),
    };
    match new {
        None => {
            removable(attr, path)?;
            take(doc, attr.name);
        }
        // §3.5.2.1/3: for a complex attribute "Sub-attributes that are not
        // specified in the value parameter are left unchanged".
        Some(Value::Object(given)) if attr.kind == AttrType::Complex => {
            let mut object = object_of(doc, attr);
            merge(attr, &mut object, given, path)?;
            store_object(doc, attr, object);
        }
        Some(new) => {
            not_blank(attr, &new, path)?;
            put(doc, attr.name, new);
        }
    }
    Ok(())
}

/// `op` on `attr.sub` (`name.givenName`; `emails.type` sets it on every
/// email).
pub(super) fn sub_attribute(
    doc: &mut Map<String, Value>,
    attr: &'static AttrDef,
    sub: &'static AttrDef,
    op: Op,
    given: Option<&Value>,
) -> Result<(), ScimError> {
    let path = format!("{}.{}", attr.name, sub.name);
    let Some(new) = new_value(sub, op, given, &path)? else {
        return Ok(());
    };
    if !attr.multi_valued {
        let mut object = object_of(doc, attr);
        set_sub(sub, &mut object, new, &path)?;
        store_object(doc, attr, object);
        return Ok(());
    }
    if values_of(doc, attr).is_empty() {
        if op == Op::Remove {
            return Ok(());
        }
        return Err(ScimError::bad_request(
            ScimType::NoTarget,
            format!(
                "there are no {} values to set {} on: add {} values first",
                attr.name, sub.name, attr.name
            ),
        ));
    }
    let (mut items, old) = take_array(doc, attr);
    for item in items.iter_mut() {
        if let Value::Object(object) = item {
            set_sub(sub, object, new.clone(), &path)?;
        }
    }
    store_array(doc, attr, &old, items)
}

/// The values a value path selects: `members[value eq "…"]` or, with
/// `sub`, `emails[type eq "work"].value`.
pub(super) struct Selection<'a> {
    pub attr: &'static AttrDef,
    /// The checked filter.
    pub filter: &'a Condition,
    /// The filter as sent, for building a value it describes.
    pub raw_filter: &'a ValFilter,
    pub sub: Option<&'static AttrDef>,
    /// The path as sent, for messages.
    pub path: &'a str,
}

/// `op` on the values `selection` selects, or on their sub-attribute.
pub(super) fn filtered(
    doc: &mut Map<String, Value>,
    selection: &Selection<'_>,
    op: Op,
    given: Option<&Value>,
) -> Result<(), ScimError> {
    let Selection {
        attr,
        filter,
        raw_filter,
        sub,
        path,
    } = *selection;
    let hits: Vec<usize> = values_of(doc, attr)
        .iter()
        .enumerate()
        .filter(|(_, item)| item.as_object().is_some_and(|object| filter.eval(object)))
        .map(|(i, _)| i)
        .collect();
    // Remove: §3.5.2.2 names noTarget only for a missing path; removing
    // values that are already gone leaves the resource as asked, so it
    // succeeds (Okta removes each departed member with its own op).
    if hits.is_empty() && op == Op::Remove {
        return Ok(());
    }
    let new = match sub {
        Some(sub) => new_value(sub, op, given, path)?,
        None if op == Op::Remove => Some(None),
        None => Some(Some(value::one(attr, required_value(given, op)?, path)?)),
    };
    let Some(new) = new else {
        return Ok(());
    };
    let created = if hits.is_empty() {
        // §3.5.2.3: "no record match was made ... "noTarget"". For add,
        // Entra ID expects the value to be created (`emails[type eq
        // "work"].value` on a user without one): build it from the
        // filter's eq terms when that is all the filter says.
        let record = (op == Op::Add).then(|| seed(attr, raw_filter)).flatten();
        let Some(mut record) = record else {
            return Err(ScimError::bad_request(
                ScimType::NoTarget,
                format!(
                    "no {} value matches {path}: {op} needs an existing value (RFC 7644 §3.5.2.3){}",
                    attr.name,
                    if op == Op::Replace {
                        "; use add to create one"
                    } else {
                        ""
                    }
                ),
            ));
        };
        match (sub, &new) {
            (Some(sub), Some(new)) => set_sub(sub, &mut record, Some(new.clone()), path)?,
            (None, Some(Value::Object(given))) => merge(attr, &mut record, given.clone(), path)?,
            _ => {}
        }
        Some(value::without_nulls(Value::Object(record)))
    } else {
        None
    };
    let (mut items, old) = take_array(doc, attr);
    items.extend(created);
    let mut removed = vec![false; items.len()];
    for &i in &hits {
        let Some(Value::Object(object)) = items.get_mut(i) else {
            continue;
        };
        match (sub, &new) {
            (Some(sub), new) => set_sub(sub, object, new.clone(), path)?,
            (None, Some(Value::Object(given))) => merge(attr, object, given.clone(), path)?,
            (None, _) => {
                if let Some(flag) = removed.get_mut(i) {
                    *flag = true;
                }
            }
        }
    }
    let mut flags = removed.into_iter();
    items.retain(|_| !flags.next().unwrap_or(false));
    store_array(doc, attr, &old, items)
}

/// `Some(new)` to write (`None` inside = unassign), or `None` when there is
/// nothing to do (`add` of null).
fn new_value(
    def: &AttrDef,
    op: Op,
    given: Option<&Value>,
    path: &str,
) -> Result<Option<Option<Value>>, ScimError> {
    Ok(match (op, given) {
        (Op::Remove, _) | (Op::Replace, Some(Value::Null)) => Some(None),
        (Op::Add, Some(Value::Null)) => None,
        (_, given) => Some(Some(value::one(def, required_value(given, op)?, path)?)),
    })
}

fn required_value(given: Option<&Value>, op: Op) -> Result<&Value, ScimError> {
    given.ok_or_else(|| {
        ScimError::bad_request(
            ScimType::InvalidValue,
            format!("{op} needs a \"value\" (RFC 7644 §3.5.2.1, §3.5.2.3)"),
        )
    })
}

/// Writes the sub-attributes of `given` into `object`; null unassigns.
fn merge(
    attr: &AttrDef,
    object: &mut Map<String, Value>,
    given: Map<String, Value>,
    path: &str,
) -> Result<(), ScimError> {
    for (key, new) in given {
        if let Some(sub) = attr.sub_attribute(&key) {
            let new = if new.is_null() { None } else { Some(new) };
            set_sub(sub, object, new, &format!("{path}.{}", sub.name))?;
        }
    }
    Ok(())
}

/// Sets (`Some`) or unassigns (`None`) one sub-attribute, refusing to
/// change an immutable value that is already set: RFC 7643 §2.2 immutable
/// "MUST NOT be updated" once defined.
fn set_sub(
    sub: &AttrDef,
    object: &mut Map<String, Value>,
    new: Option<Value>,
    path: &str,
) -> Result<(), ScimError> {
    let old = get_ci(object, sub.name).filter(|v| !v.is_null());
    if sub.mutability == Mutability::Immutable
        && let Some(old) = old.filter(|old| new.as_ref() != Some(*old))
    {
        return Err(ScimError::bad_request(
            ScimType::Mutability,
            format!(
                "{path} is immutable (RFC 7643 §2.2): it is {old} and cannot {}; remove the value and add a new one",
                match &new {
                    Some(new) => format!("become {new}"),
                    None => "be removed".to_string(),
                }
            ),
        ));
    }
    match new {
        Some(new) => {
            not_blank(sub, &new, path)?;
            put(object, sub.name, new);
        }
        None => {
            removable(sub, path)?;
            take(object, sub.name);
        }
    }
    Ok(())
}

/// A new value record from a filter made only of `eq` terms, e.g.
/// `type eq "work"` → `{"type": "work"}`.
fn seed(attr: &AttrDef, filter: &ValFilter) -> Option<Map<String, Value>> {
    let terms: Vec<&ValFilter> = match filter {
        ValFilter::And(items) => items.iter().collect(),
        single => vec![single],
    };
    let mut record = Map::new();
    for term in terms {
        let ValFilter::Attr(AttrExp::Comparison(path, CompareOp::Eq, literal)) = term else {
            return None;
        };
        let sub = attr
            .sub_attribute(&path.name)
            .filter(|_| path.sub_attr.is_none())?;
        let json = match literal {
            CompValue::Str(s) => Value::String(s.clone()),
            CompValue::True => Value::Bool(true),
            CompValue::False => Value::Bool(false),
            CompValue::Number(n) => Value::Number(n.clone()),
            CompValue::Null => return None,
        };
        record.insert(sub.name.to_string(), value::one(sub, &json, sub.name).ok()?);
    }
    Some(record)
}
