//! A filter checked against the schema and ready to run: every attribute
//! resolved, every comparison value converted to the attribute's type.
//!
//! Checking happens once, up front, so a bad filter fails the same way
//! whatever the data (RFC 7644 §3.4.2.2 "Providers MUST decline to filter
//! results if the specified filter operation is not recognized"), and
//! running a checked filter cannot fail.

use scim_v2::filter::{
    AttrExp, AttrPath, CompValue, CompareOp, Filter, MAX_FILTER_DEPTH, ValFilter,
};
use scim_v2::models::errors::ScimType;
use serde_json::{Map, Value};

use super::compare::{Operand, compare, get_ci, is_present, operand};
use crate::schema::{self, AttrDef, AttrType, ResolvedAttr, ResourceKind};
use crate::scim_error::ScimError;

/// A checked filter node. Its depth is bounded by [`MAX_FILTER_DEPTH`]
/// (checked while building), so evaluating and dropping it cannot overflow
/// the stack.
#[derive(Debug)]
pub(crate) enum Condition {
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
    Test(Test),
    /// `attr[inner]`: some value of the complex attribute `attr` satisfies
    /// `inner`, whose tests are relative to that value.
    Any {
        attr: &'static AttrDef,
        inner: Box<Condition>,
    },
}

/// One attribute expression (`attrExp`).
#[derive(Debug)]
pub(crate) struct Test {
    attr: &'static AttrDef,
    sub: Option<&'static AttrDef>,
    op: TestOp,
}

#[derive(Debug)]
enum TestOp {
    Present,
    Compare(CompareOp, Operand),
}

/// Where attribute names in a filter are looked up.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope {
    /// The resource's schema (a top-level filter).
    Resource(ResourceKind),
    /// The sub-attributes of one complex attribute (inside `attr[…]`).
    Element(&'static AttrDef),
}

impl Condition {
    /// Checks `filter` against `kind`'s schema.
    pub(crate) fn from_filter(
        kind: ResourceKind,
        filter: &Filter,
        depth: usize,
    ) -> Result<Self, ScimError> {
        check_depth(depth)?;
        Ok(match filter {
            Filter::Attr(exp) => Condition::from_exp(Scope::Resource(kind), exp)?,
            Filter::ValuePath(value_path) => {
                let resolved = resolve(Scope::Resource(kind), &value_path.attr)?;
                let attr = complex_parent(resolved, &value_path.attr)?;
                let inner = Condition::from_val_filter(attr, &value_path.filter, depth + 1)?;
                Condition::Any {
                    attr,
                    inner: Box::new(inner),
                }
            }
            Filter::Not(inner) => {
                Condition::Not(Box::new(Condition::from_filter(kind, inner, depth + 1)?))
            }
            Filter::And(items) => Condition::And(
                items
                    .iter()
                    .map(|item| Condition::from_filter(kind, item, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Filter::Or(items) => Condition::Or(
                items
                    .iter()
                    .map(|item| Condition::from_filter(kind, item, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
        })
    }

    /// Checks a value filter (`emails[type eq "work"]`, a PATCH
    /// `members[value eq "…"]`) against the sub-attributes of `parent`.
    pub(crate) fn from_val_filter(
        parent: &'static AttrDef,
        filter: &ValFilter,
        depth: usize,
    ) -> Result<Self, ScimError> {
        check_depth(depth)?;
        let each = |items: &[ValFilter]| -> Result<Vec<Condition>, ScimError> {
            items
                .iter()
                .map(|item| Condition::from_val_filter(parent, item, depth + 1))
                .collect()
        };
        Ok(match filter {
            ValFilter::Attr(exp) => Condition::from_exp(Scope::Element(parent), exp)?,
            ValFilter::Not(inner) => Condition::Not(Box::new(Condition::from_val_filter(
                parent,
                inner,
                depth + 1,
            )?)),
            ValFilter::And(items) => Condition::And(each(items)?),
            ValFilter::Or(items) => Condition::Or(each(items)?),
        })
    }

    fn from_exp(scope: Scope, exp: &AttrExp) -> Result<Self, ScimError> {
        match exp {
            AttrExp::Present(path) => {
                let resolved = resolve(scope, path)?;
                Ok(Condition::Test(Test {
                    attr: resolved.attr,
                    sub: resolved.sub,
                    op: TestOp::Present,
                }))
            }
            AttrExp::Comparison(path, op, value) => {
                let resolved = resolve(scope, path)?;
                let Some(target) = comparable(resolved) else {
                    let example = resolved.attr.sub_attributes.first().map_or("", |s| s.name);
                    return Err(invalid(format!(
                        "{} is a complex attribute and cannot be compared as a whole: compare one of its \
                         sub-attributes, e.g. {}.{example} (RFC 7644 §3.4.2.2)",
                        resolved.path(),
                        resolved.attr.name,
                    )));
                };
                let present = |negate: bool| {
                    let test = Condition::Test(Test {
                        attr: target.attr,
                        sub: target.sub,
                        op: TestOp::Present,
                    });
                    if negate {
                        Condition::Not(Box::new(test))
                    } else {
                        test
                    }
                };
                // RFC 7643 §2.5: null is the same state as unassigned, so
                // `eq null` asks "not present" and `ne null` "present".
                match (op, value) {
                    (CompareOp::Eq, CompValue::Null) => return Ok(present(true)),
                    (CompareOp::Ne, CompValue::Null) => return Ok(present(false)),
                    _ => {}
                }
                let operand = operand(target, op, value)?;
                Ok(Condition::Test(Test {
                    attr: target.attr,
                    sub: target.sub,
                    op: TestOp::Compare(op.clone(), operand),
                }))
            }
        }
    }

    /// Whether `scope` (a resource, or one value of a complex attribute)
    /// satisfies this condition. Never fails: anything of the wrong JSON
    /// type simply does not match.
    pub(crate) fn eval(&self, scope: &Map<String, Value>) -> bool {
        match self {
            Condition::And(items) => items.iter().all(|item| item.eval(scope)),
            Condition::Or(items) => items.iter().any(|item| item.eval(scope)),
            Condition::Not(inner) => !inner.eval(scope),
            Condition::Test(test) => test.eval(scope),
            Condition::Any { attr, inner } => match get_ci(scope, attr.name) {
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(Value::as_object)
                    .any(|item| inner.eval(item)),
                Some(Value::Object(item)) => inner.eval(item),
                _ => false,
            },
        }
    }
}

impl Test {
    fn eval(&self, scope: &Map<String, Value>) -> bool {
        let leaf = self.sub.unwrap_or(self.attr);
        let mut values = self.values(scope);
        match &self.op {
            TestOp::Present => values.any(is_present),
            // "ne": not identical. An unassigned attribute is not equal to
            // anything, so it matches (RFC 7644 §3.4.2.2 leaves this open).
            TestOp::Compare(CompareOp::Ne, operand) => {
                let mut values = values.peekable();
                values.peek().is_none()
                    || values.any(|v| !compare(leaf, &CompareOp::Eq, operand, v))
            }
            // "If the specified attribute in a filter expression is a
            // multi-valued attribute, the filter matches if any of the values
            // of the specified attribute match the specified criterion"
            // (RFC 7644 §3.4.2.2).
            TestOp::Compare(op, operand) => values.any(|v| compare(leaf, op, operand, v)),
        }
    }

    /// Every non-null value the path reaches in `scope`.
    fn values<'a>(&self, scope: &'a Map<String, Value>) -> impl Iterator<Item = &'a Value> {
        let items: &[Value] = match get_ci(scope, self.attr.name) {
            None => &[],
            Some(Value::Array(items)) if self.attr.multi_valued => items,
            Some(other) => std::slice::from_ref(other),
        };
        let sub = self.sub;
        items
            .iter()
            .filter_map(move |item| match sub {
                Some(sub) => item.as_object().and_then(|object| get_ci(object, sub.name)),
                None => Some(item),
            })
            .filter(|v| !v.is_null())
    }
}

/// The definition a comparison on `resolved` compares against, if any: the
/// attribute itself, or, for a multi-valued complex attribute with a
/// `value` sub-attribute (RFC 7643 §2.4: its primary value), that
/// sub-attribute (`emails eq "x"` compares `emails.value`). `None` for a
/// complex attribute that cannot be compared as a whole.
pub(crate) fn comparable(resolved: ResolvedAttr) -> Option<ResolvedAttr> {
    if resolved.sub.is_some() || resolved.attr.kind != AttrType::Complex {
        return Some(resolved);
    }
    let value = resolved
        .attr
        .sub_attribute("value")
        .filter(|_| resolved.attr.multi_valued)?;
    Some(ResolvedAttr {
        attr: resolved.attr,
        sub: Some(value),
    })
}

/// Looks `path` up in `scope`, or says what exists instead.
fn resolve(scope: Scope, path: &AttrPath) -> Result<ResolvedAttr, ScimError> {
    match scope {
        Scope::Resource(kind) => schema::lookup(kind, path).ok_or_else(|| {
            invalid(format!(
                "unknown attribute \"{path}\": {} filters can use {}",
                kind.name(),
                schema::attribute_list(kind)
            ))
        }),
        Scope::Element(parent) => {
            let sub = match (&path.uri, &path.sub_attr) {
                (None, None) => parent.sub_attribute(&path.name),
                _ => None,
            };
            let names: Vec<&str> = parent.sub_attributes.iter().map(|s| s.name).collect();
            let attr = sub.ok_or_else(|| {
                invalid(format!(
                    "\"{path}\" is not a sub-attribute of {}: inside {}[…] use {}",
                    parent.name,
                    parent.name,
                    names.join(", ")
                ))
            })?;
            Ok(ResolvedAttr { attr, sub: None })
        }
    }
}

/// The attribute a value path (`emails[…]`) filters, which must be complex.
fn complex_parent(resolved: ResolvedAttr, path: &AttrPath) -> Result<&'static AttrDef, ScimError> {
    if resolved.sub.is_some() || resolved.attr.kind != AttrType::Complex {
        return Err(invalid(format!(
            "\"{path}[…]\": a value filter needs a complex attribute such as emails or members \
             (RFC 7644 §3.4.2.2 valuePath)"
        )));
    }
    Ok(resolved.attr)
}

fn check_depth(depth: usize) -> Result<(), ScimError> {
    if depth > MAX_FILTER_DEPTH {
        return Err(invalid(format!(
            "the filter nests deeper than {MAX_FILTER_DEPTH} levels"
        )));
    }
    Ok(())
}

fn invalid(detail: String) -> ScimError {
    ScimError::bad_request(ScimType::InvalidFilter, detail)
}
