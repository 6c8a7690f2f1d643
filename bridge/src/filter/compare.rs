//! Comparison semantics (RFC 7644 §3.4.2.2): which operator fits which
//! attribute type, and how values compare: caseExact strings, booleans,
//! and dateTimes by instant.

use std::borrow::Cow;
use std::cmp::Ordering;

use scim_v2::ScimDateTime;
use scim_v2::filter::{CompValue, CompareOp};
use scim_v2::models::errors::ScimType;
use serde_json::{Map, Value};

use crate::schema::{AttrDef, AttrType, ResolvedAttr};
use crate::scim_error::ScimError;

/// A comparison value in the attribute's own type. Text is already folded
/// to lower case when the attribute is not caseExact.
#[derive(Debug)]
pub(super) enum Operand {
    Text(String),
    Bool(bool),
    Date(ScimDateTime),
}

/// Converts the comparison value to `target`'s type, refusing operator and
/// type pairs RFC 7644 §3.4.2.2 does not define.
pub(super) fn operand(
    target: ResolvedAttr,
    op: &CompareOp,
    value: &CompValue,
) -> Result<Operand, ScimError> {
    let leaf = target.leaf();
    let name = target.path();
    let ordering = matches!(
        op,
        CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le
    );
    let substring = matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew);
    match (leaf.kind, value) {
        (kind, CompValue::Str(text)) if kind.is_textual() => {
            Ok(Operand::Text(fold(text, leaf.case_exact).into_owned()))
        }
        (AttrType::Boolean, CompValue::True | CompValue::False) if !ordering && !substring => {
            Ok(Operand::Bool(matches!(value, CompValue::True)))
        }
        (AttrType::Boolean, _) => Err(invalid(format!(
            "{name} is a boolean: compare it with eq true, eq false, ne true or ne false \
             (RFC 7644 §3.4.2.2: \"gt\", \"ge\", \"lt\", \"le\" on booleans SHALL fail; got {op} {value})"
        ))),
        (AttrType::DateTime, _) if substring => Err(invalid(format!(
            "{name} is a dateTime: use eq, ne, gt, ge, lt or le, not \"{op}\""
        ))),
        (AttrType::DateTime, CompValue::Str(text)) => text
            .parse::<ScimDateTime>()
            .map(Operand::Date)
            .map_err(|_| {
                invalid(format!(
                    "{name} is a dateTime and {text:?} is not one: use an xsd:dateTime such as \
                 \"2024-01-31T12:00:00Z\" (RFC 7643 §2.3.5)"
                ))
            }),
        (kind, _) => Err(invalid(format!(
            "{name} is a {} attribute and cannot be compared with {op} {value}{}",
            kind.as_str(),
            if kind.is_textual() {
                "; quote the value: \"…\""
            } else {
                ""
            }
        ))),
    }
}

pub(super) fn compare(leaf: &AttrDef, op: &CompareOp, operand: &Operand, value: &Value) -> bool {
    let ordering = match (operand, value) {
        (Operand::Text(wanted), Value::String(text)) => {
            let text = fold(text, leaf.case_exact);
            match op {
                CompareOp::Co => return text.contains(wanted.as_str()),
                CompareOp::Sw => return text.starts_with(wanted.as_str()),
                CompareOp::Ew => return text.ends_with(wanted.as_str()),
                // "For string attribute types, this is a lexicographical
                // comparison" (RFC 7644 §3.4.2.2).
                _ => Some(text.as_ref().cmp(wanted.as_str())),
            }
        }
        (Operand::Bool(wanted), Value::Bool(b)) => Some(b.cmp(wanted)),
        // "for DateTime types, it is a chronological comparison": by
        // instant, whatever the offsets (XSD §3.3.7 order).
        (Operand::Date(wanted), Value::String(text)) => text
            .parse::<ScimDateTime>()
            .ok()
            .and_then(|date| date.xsd_partial_cmp(wanted)),
        _ => None,
    };
    let Some(ordering) = ordering else {
        return false;
    };
    match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

/// "pr": "If the attribute has a non-empty value, or if it contains a
/// non-empty node for complex attributes, there is a match" (RFC 7644
/// §3.4.2.2). Looks two levels deep at most: SCIM values nest no further.
pub(crate) fn is_present(value: &Value) -> bool {
    fn shallow(value: &Value) -> bool {
        match value {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(items) => !items.is_empty(),
            Value::Object(map) => !map.is_empty(),
            _ => true,
        }
    }
    match value {
        Value::Array(items) => items.iter().any(|item| match item {
            Value::Object(map) => map.values().any(shallow),
            other => shallow(other),
        }),
        Value::Object(map) => map.values().any(shallow),
        other => shallow(other),
    }
}

/// Case folding for attributes that are not caseExact (RFC 7643 §2.2).
pub(crate) fn fold(text: &str, case_exact: bool) -> Cow<'_, str> {
    if case_exact {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// The value of attribute `name` in `object`, matching the key
/// case-insensitively (RFC 7643 §2.1) when there is no exact key.
pub(crate) fn get_ci<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

fn invalid(detail: String) -> ScimError {
    ScimError::bad_request(ScimType::InvalidFilter, detail)
}
