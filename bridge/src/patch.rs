//! PATCH (RFC 7644 §3.5.2) applied to a resource's JSON: every shape Okta
//! sends (docs/okta-wire.md#51-deactivate, §8.1, §8.4) and Entra ID's variants
//! (§15), with RFC 7644 §3.12 errors for everything else.
//!
//! RFC 7644 §3.5.2: "Each operation against an attribute MUST be compatible
//! with the attribute's mutability and schema as defined in Sections 2.2
//! and 2.3 of [RFC7643]. For example, a client MUST NOT modify an attribute
//! that has mutability "readOnly" or "immutable". However, a client MAY
//! "add" a value to an "immutable" attribute if the attribute had no
//! previous value. An operation that is not compatible with an attribute's
//! mutability or schema SHALL return the appropriate HTTP response status
//! code and a JSON detail error response as defined in Section 3.12."
//!
//! Operations apply in order, all or nothing (§3.5.2: "If one of the
//! operations fails, the entire request fails"). The caller compares the
//! old and new JSON to decide what to change in the account.

mod record;
mod target;
mod value;

use scim_v2::filter::{PatchPath, ValFilter};
use scim_v2::models::errors::ScimType;
use scim_v2::models::others::{OperationTarget, PatchOp, PatchOperation};
use serde_json::{Map, Value};

use crate::filter::{Condition, get_ci};
use crate::schema::{self, AttrType, Mutability, ResourceKind};
use crate::scim_error::ScimError;
use target::{Op, Selection};

/// The most operations one PATCH may carry. RFC 7644 sets no limit; this
/// bounds the work a hostile request can cause (Okta sends one operation
/// per departed member plus one `add`, so a real request is far smaller).
pub const MAX_OPERATIONS: usize = 1000;

/// The most value-filter comparisons (`members[value eq "…"]` counts one)
/// across all paths of one PATCH: each is evaluated against every value of
/// the attribute, so this bounds filter work the way [`MAX_OPERATIONS`]
/// bounds operations.
pub const MAX_PATH_FILTER_TERMS: usize = 10_000;

/// Applies `patch` to `resource` and returns the patched resource.
///
/// Attribute names match case-insensitively and are written back under
/// their canonical names. Path-less `add`/`replace` values may use
/// attribute paths as keys (`"name.givenName"`, as Entra ID sends them);
/// `schemas` there is ignored. Errors are 400s naming the operation:
/// `invalidPath` (unknown attribute), `invalidFilter` (bad value filter),
/// `noTarget` (a `replace` filter that selects nothing), `invalidValue`
/// (wrong JSON type, a required attribute removed, too many operations)
/// and `mutability` (a readOnly attribute changed, an immutable value
/// altered).
pub fn apply(kind: ResourceKind, resource: &Value, patch: &PatchOp) -> Result<Value, ScimError> {
    let operations = &patch.operations;
    if operations.is_empty() {
        return Err(invalid_value(
            "Operations is empty: a PATCH needs one or more operations (RFC 7644 §3.5.2)"
                .to_string(),
        ));
    }
    if operations.len() > MAX_OPERATIONS {
        return Err(invalid_value(format!(
            "{} operations in one PATCH; this bridge applies at most {MAX_OPERATIONS}: split the request",
            operations.len()
        )));
    }
    let Value::Object(original) = resource else {
        return Err(ScimError::internal(
            "the stored resource is not a JSON object",
        ));
    };
    let mut doc = original.clone();
    let mut budget = MAX_PATH_FILTER_TERMS;
    for (i, operation) in operations.iter().enumerate() {
        apply_operation(kind, &mut doc, operation, &mut budget)
            .and_then(|()| check_fixed_attributes(kind, original, &doc))
            .map_err(|error| error.at(format_args!("Operations[{i}] ({})", summary(operation))))?;
    }
    Ok(Value::Object(doc))
}

fn apply_operation(
    kind: ResourceKind,
    doc: &mut Map<String, Value>,
    operation: &PatchOperation,
    budget: &mut usize,
) -> Result<(), ScimError> {
    match operation {
        PatchOperation::Add(OperationTarget::WithPath { path, value }) => {
            at_path(kind, doc, Op::Add, path, value.as_ref(), budget)
        }
        PatchOperation::Replace(OperationTarget::WithPath { path, value }) => {
            at_path(kind, doc, Op::Replace, path, value.as_ref(), budget)
        }
        PatchOperation::Remove { path, value } => {
            at_path(kind, doc, Op::Remove, path, value.as_ref(), budget)
        }
        PatchOperation::Add(OperationTarget::WithoutPath { value }) => {
            pathless(kind, doc, Op::Add, value, budget)
        }
        PatchOperation::Replace(OperationTarget::WithoutPath { value }) => {
            pathless(kind, doc, Op::Replace, value, budget)
        }
    }
}

/// §3.5.2.1/§3.5.2.3 without `path`: "the target location is assumed to be
/// the resource itself", and `value` holds the attributes. Each key is
/// applied as if it were the path (so `{"id": …, "displayName": …}` from
/// Okta's group rename works key by key). A key equal to the resource's
/// schema URN holds more attributes of that schema.
fn pathless(
    kind: ResourceKind,
    doc: &mut Map<String, Value>,
    op: Op,
    value: &Map<String, Value>,
    budget: &mut usize,
) -> Result<(), ScimError> {
    if value.is_empty() {
        return Err(invalid_value(format!(
            "a {op} without a path needs a value naming one or more attributes, e.g. {{\"active\": false}} \
             (RFC 7644 §3.5.2)"
        )));
    }
    for (key, item) in value {
        if key.eq_ignore_ascii_case("schemas") {
            continue;
        }
        if key.eq_ignore_ascii_case(kind.schema_urn()) {
            let Value::Object(inner) = item else {
                return Err(invalid_value(format!(
                    "{key} must hold an object of {} attributes",
                    kind.name()
                )));
            };
            for (inner_key, inner_item) in inner
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("schemas"))
            {
                at_key(kind, doc, op, inner_key, inner_item, budget)?;
            }
            continue;
        }
        at_key(kind, doc, op, key, item, budget)?;
    }
    Ok(())
}

fn at_key(
    kind: ResourceKind,
    doc: &mut Map<String, Value>,
    op: Op,
    key: &str,
    item: &Value,
    budget: &mut usize,
) -> Result<(), ScimError> {
    let path: PatchPath = key.parse().map_err(|_| unknown_attribute(kind, key))?;
    at_path(kind, doc, op, &path, Some(item), budget)
}

fn at_path(
    kind: ResourceKind,
    doc: &mut Map<String, Value>,
    op: Op,
    path: &PatchPath,
    given: Option<&Value>,
    budget: &mut usize,
) -> Result<(), ScimError> {
    match path {
        PatchPath::Attr(attr_path) => {
            let resolved = schema::lookup(kind, attr_path)
                .ok_or_else(|| unknown_attribute(kind, &attr_path.to_string()))?;
            match resolved.sub {
                None => target::attribute(doc, resolved.attr, op, given),
                Some(sub) => target::sub_attribute(doc, resolved.attr, sub, op, given),
            }
        }
        PatchPath::Value(value_path) => {
            let text = path.to_string();
            let resolved = schema::lookup(kind, &value_path.attr)
                .ok_or_else(|| unknown_attribute(kind, &value_path.attr.to_string()))?;
            let attr = resolved.attr;
            if resolved.sub.is_some() || !attr.multi_valued || attr.kind != AttrType::Complex {
                return Err(ScimError::bad_request(
                    ScimType::InvalidPath,
                    format!(
                        "{text}: a value filter selects values of a multi-valued complex attribute such as \
                         emails or members"
                    ),
                ));
            }
            spend(budget, &value_path.filter)?;
            // §3.12: invalidFilter applies to PATCH path filters too.
            let filter = Condition::from_val_filter(attr, &value_path.filter, 1)?;
            let sub = match &value_path.sub_attr {
                Some(name) => Some(attr.sub_attribute(name).ok_or_else(|| {
                    let names: Vec<&str> = attr.sub_attributes.iter().map(|s| s.name).collect();
                    ScimError::bad_request(
                        ScimType::InvalidPath,
                        format!(
                            "{text}: {name:?} is not a sub-attribute of {} (it has {})",
                            attr.name,
                            names.join(", ")
                        ),
                    )
                })?),
                None => None,
            };
            let selection = Selection {
                attr,
                filter: &filter,
                raw_filter: &value_path.filter,
                sub,
                path: &text,
            };
            target::filtered(doc, &selection, op, given)
        }
    }
}

/// After each operation: readOnly attributes are exactly as they were, and
/// an immutable attribute that had a value still has it (RFC 7643 §2.2).
/// Comparing values rather than refusing the paths lets a request restate
/// a readOnly value unchanged, which Okta does: its group rename carries
/// the group's own `id` (docs/okta-wire.md#81-pushing-a-new-group step 3).
fn check_fixed_attributes(
    kind: ResourceKind,
    original: &Map<String, Value>,
    doc: &Map<String, Value>,
) -> Result<(), ScimError> {
    for attr in schema::attributes(kind) {
        let before = assigned(get_ci(original, attr.name));
        let after = assigned(get_ci(doc, attr.name));
        let fixed = match attr.mutability {
            Mutability::ReadOnly => true,
            Mutability::Immutable => before.is_some(),
            Mutability::ReadWrite => false,
        };
        if fixed && before != after {
            return Err(ScimError::bad_request(
                ScimType::Mutability,
                format!(
                    "{} is {} (RFC 7643 §2.2) and cannot be changed by PATCH: it is {}, the request would make it {}",
                    attr.name,
                    attr.mutability.as_str(),
                    short(before),
                    short(after)
                ),
            ));
        }
    }
    Ok(())
}

/// `value` unless it is null or an empty array: RFC 7643 §2.5 "Unassigned
/// attributes, the null value, or empty array (in the case of a
/// multi-valued attribute) SHALL be considered to be equivalent in
/// "state"".
fn assigned(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null() && v.as_array().is_none_or(|items| !items.is_empty()))
}

/// Charges the comparisons of `filter` against `budget`.
fn spend(budget: &mut usize, filter: &ValFilter) -> Result<(), ScimError> {
    let mut stack = vec![filter];
    let mut terms = 0usize;
    while let Some(node) = stack.pop() {
        match node {
            ValFilter::Attr(_) => terms += 1,
            ValFilter::Not(inner) => stack.push(inner),
            ValFilter::And(items) | ValFilter::Or(items) => stack.extend(items.iter()),
        }
    }
    *budget = budget.checked_sub(terms).ok_or_else(|| {
        invalid_value(format!(
            "the paths of this PATCH hold more than {MAX_PATH_FILTER_TERMS} filter comparisons: split the request"
        ))
    })?;
    Ok(())
}

/// `replace members[value eq "…"]`, cut short for error messages.
fn summary(operation: &PatchOperation) -> String {
    let text = match operation {
        PatchOperation::Add(OperationTarget::WithPath { path, .. }) => format!("add {path}"),
        PatchOperation::Replace(OperationTarget::WithPath { path, .. }) => {
            format!("replace {path}")
        }
        PatchOperation::Remove { path, .. } => format!("remove {path}"),
        PatchOperation::Add(OperationTarget::WithoutPath { .. }) => "add without path".to_string(),
        PatchOperation::Replace(OperationTarget::WithoutPath { .. }) => {
            "replace without path".to_string()
        }
    };
    cut(&text, 100)
}

fn short(value: Option<&Value>) -> String {
    value.map_or_else(|| "unassigned".to_string(), |v| cut(&v.to_string(), 100))
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

fn unknown_attribute(kind: ResourceKind, name: &str) -> ScimError {
    ScimError::bad_request(
        ScimType::InvalidPath,
        format!(
            "{:?} is not an attribute of {} here: use {}",
            cut(name, 100),
            kind.name(),
            schema::attribute_list(kind)
        ),
    )
}

fn invalid_value(detail: String) -> ScimError {
    ScimError::bad_request(ScimType::InvalidValue, detail)
}

#[cfg(test)]
mod tests;
