//! PATCH values checked against the schema: the JSON type each attribute
//! needs (RFC 7643 §2.3), sub-attribute names made canonical, unknown names
//! refused.

use scim_v2::ScimDateTime;
use scim_v2::models::errors::ScimType;
use serde_json::{Map, Value};

use crate::schema::{AttrDef, AttrType};
use crate::scim_error::ScimError;

/// One value of `def` (the attribute itself if single-valued, one element
/// if multi-valued). `path` names it in errors.
///
/// A complex value keeps `null` sub-attributes, which mean "unassign"
/// (RFC 7643 §2.5: null is the same state as unassigned) when merged.
/// Booleans also accept the strings "true"/"false" in any case: Entra ID
/// sends `"value": "False"` to disable a user (docs/okta-wire.md#15-microsoft-entra-id-for-comparison).
pub(super) fn one(def: &AttrDef, value: &Value, path: &str) -> Result<Value, ScimError> {
    match (def.kind, value) {
        (AttrType::Complex, Value::Object(given)) => {
            let mut out = Map::new();
            for (key, sub_value) in given {
                let sub = def
                    .sub_attribute(key)
                    .ok_or_else(|| unknown_sub(def, key, path))?;
                let sub_path = format!("{path}.{}", sub.name);
                let converted = if sub_value.is_null() {
                    Value::Null
                } else {
                    one(sub, sub_value, &sub_path)?
                };
                out.insert(sub.name.to_string(), converted);
            }
            Ok(Value::Object(out))
        }
        (AttrType::Complex, other) => {
            let names: Vec<&str> = def.sub_attributes.iter().map(|s| s.name).collect();
            Err(invalid(format!(
                "{path} is complex: expected an object with {}, got {}",
                names.join(", "),
                describe(other)
            )))
        }
        (kind, Value::String(_)) if kind.is_textual() => Ok(value.clone()),
        (AttrType::Boolean, Value::Bool(_)) => Ok(value.clone()),
        (AttrType::Boolean, Value::String(text)) if text.eq_ignore_ascii_case("true") => {
            Ok(Value::Bool(true))
        }
        (AttrType::Boolean, Value::String(text)) if text.eq_ignore_ascii_case("false") => {
            Ok(Value::Bool(false))
        }
        (AttrType::DateTime, Value::String(text)) if text.parse::<ScimDateTime>().is_ok() => {
            Ok(value.clone())
        }
        (kind, other) => Err(invalid(format!(
            "{path} must be {}, got {}",
            expected(kind),
            describe(other)
        ))),
    }
}

/// The values for a multi-valued `def`: an array, or one bare value (taken
/// as a one-element array). Elements are records, so their null
/// sub-attributes are dropped, and each must carry its `value`.
pub(super) fn many(def: &AttrDef, value: &Value, path: &str) -> Result<Vec<Value>, ScimError> {
    let items = match value {
        Value::Array(items) => items.as_slice(),
        other => std::slice::from_ref(other),
    };
    let keyed = def.kind == AttrType::Complex && def.sub_attribute("value").is_some();
    items
        .iter()
        .map(|item| {
            if item.is_null() {
                return Err(invalid(format!("{path} values cannot be null")));
            }
            let record = without_nulls(one(def, item, path)?);
            // RFC 7643 §2.4: "value" is what a multi-valued attribute's
            // value is; without it (`{"display": "…"}`) it names nothing.
            if keyed && record.get("value").is_none() {
                return Err(invalid(format!(
                    "each {path} value needs a \"value\", e.g. {{\"value\": \"…\"}}"
                )));
            }
            Ok(record)
        })
        .collect()
}

/// `value` without null members (an object) or unchanged.
pub(super) fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect())
        }
        other => other,
    }
}

fn unknown_sub(def: &AttrDef, key: &str, path: &str) -> ScimError {
    let names: Vec<&str> = def.sub_attributes.iter().map(|s| s.name).collect();
    ScimError::bad_request(
        ScimType::InvalidPath,
        format!(
            "{path}.{key} is not an attribute: {path} has {}",
            names.join(", ")
        ),
    )
}

fn expected(kind: AttrType) -> &'static str {
    match kind {
        AttrType::String | AttrType::Reference => "a string",
        AttrType::Boolean => "a boolean (true or false)",
        AttrType::DateTime => "an xsd:dateTime string such as \"2024-01-31T12:00:00Z\"",
        AttrType::Complex => "an object",
    }
}

/// A JSON value in a few words, for "got …" in errors.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 60 => "a long string".to_string(),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

fn invalid(detail: String) -> ScimError {
    ScimError::bad_request(ScimType::InvalidValue, detail)
}
