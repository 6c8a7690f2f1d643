//! One attribute definition and its characteristics (RFC 7643 §2.2), with
//! `const` builders for the schema tables and the §7 JSON representation.

use serde_json::{Map, Value, json};

/// RFC 7643 §2.3 data types: those the bridge's attributes use
/// (`decimal`, `integer` and `binary` would join here with an attribute
/// of that type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    String,
    Boolean,
    DateTime,
    Reference,
    Complex,
}

impl AttrType {
    /// The §7 `type` keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            AttrType::String => "string",
            AttrType::Boolean => "boolean",
            AttrType::DateTime => "dateTime",
            AttrType::Reference => "reference",
            AttrType::Complex => "complex",
        }
    }

    /// Whether values are JSON strings compared as text (caseExact applies).
    pub fn is_textual(self) -> bool {
        matches!(self, AttrType::String | AttrType::Reference)
    }
}

/// RFC 7643 §2.2 `mutability` (no attribute here is `writeOnly`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutability {
    ReadOnly,
    ReadWrite,
    Immutable,
}

impl Mutability {
    pub fn as_str(self) -> &'static str {
        match self {
            Mutability::ReadOnly => "readOnly",
            Mutability::ReadWrite => "readWrite",
            Mutability::Immutable => "immutable",
        }
    }
}

/// RFC 7643 §2.2 `returned`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    Always,
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "no bridge attribute is returned never; projection honours it (tested)"
        )
    )]
    Never,
    Default,
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "no bridge attribute is returned on request; projection honours it (tested)"
        )
    )]
    Request,
}

impl Returned {
    pub fn as_str(self) -> &'static str {
        match self {
            Returned::Always => "always",
            Returned::Never => "never",
            Returned::Default => "default",
            Returned::Request => "request",
        }
    }
}

/// RFC 7643 §2.2 `uniqueness` (no attribute here is `global`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uniqueness {
    None,
    Server,
}

impl Uniqueness {
    pub fn as_str(self) -> &'static str {
        match self {
            Uniqueness::None => "none",
            Uniqueness::Server => "server",
        }
    }
}

/// One attribute or sub-attribute definition (RFC 7643 §2.2, §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttrDef {
    pub name: &'static str,
    pub kind: AttrType,
    pub multi_valued: bool,
    pub description: &'static str,
    pub required: bool,
    pub case_exact: bool,
    pub mutability: Mutability,
    pub returned: Returned,
    pub uniqueness: Uniqueness,
    pub sub_attributes: &'static [AttrDef],
    pub canonical_values: &'static [&'static str],
    pub reference_types: &'static [&'static str],
    /// A common attribute (RFC 7643 §3, §3.1: `schemas`, `id`, `externalId`,
    /// `meta`): defined for every resource, so not listed in `/Schemas`
    /// (the §8.7.1 representations leave them out).
    pub common: bool,
}

impl AttrDef {
    /// A single-valued, optional, readWrite, case-insensitive attribute
    /// returned by default: the RFC 7643 §2.2 defaults.
    pub(crate) const fn new(name: &'static str, kind: AttrType, description: &'static str) -> Self {
        AttrDef {
            name,
            kind,
            multi_valued: false,
            description,
            required: false,
            case_exact: false,
            mutability: Mutability::ReadWrite,
            returned: Returned::Default,
            uniqueness: Uniqueness::None,
            sub_attributes: &[],
            canonical_values: &[],
            reference_types: &[],
            common: false,
        }
    }
    pub(crate) const fn string(name: &'static str, description: &'static str) -> Self {
        Self::new(name, AttrType::String, description)
    }
    pub(crate) const fn complex(
        name: &'static str,
        subs: &'static [AttrDef],
        description: &'static str,
    ) -> Self {
        AttrDef {
            sub_attributes: subs,
            ..Self::new(name, AttrType::Complex, description)
        }
    }
    pub(crate) const fn reference(
        name: &'static str,
        types: &'static [&'static str],
        description: &'static str,
    ) -> Self {
        AttrDef {
            reference_types: types,
            case_exact: true,
            ..Self::new(name, AttrType::Reference, description)
        }
    }
    pub(crate) const fn multi(self) -> Self {
        AttrDef {
            multi_valued: true,
            ..self
        }
    }
    pub(crate) const fn required(self) -> Self {
        AttrDef {
            required: true,
            ..self
        }
    }
    pub(crate) const fn case_exact(self) -> Self {
        AttrDef {
            case_exact: true,
            ..self
        }
    }
    pub(crate) const fn mutability(self, mutability: Mutability) -> Self {
        AttrDef { mutability, ..self }
    }
    pub(crate) const fn returned(self, returned: Returned) -> Self {
        AttrDef { returned, ..self }
    }
    pub(crate) const fn unique(self) -> Self {
        AttrDef {
            uniqueness: Uniqueness::Server,
            ..self
        }
    }
    pub(crate) const fn canonical(self, values: &'static [&'static str]) -> Self {
        AttrDef {
            canonical_values: values,
            ..self
        }
    }
    pub(crate) const fn common(self) -> Self {
        AttrDef {
            common: true,
            ..self
        }
    }

    /// The sub-attribute called `name`, matched case-insensitively
    /// (RFC 7643 §2.1: attribute names are case insensitive).
    pub fn sub_attribute(&self, name: &str) -> Option<&'static AttrDef> {
        self.sub_attributes
            .iter()
            .find(|sub| sub.name.eq_ignore_ascii_case(name))
    }

    /// The §7 JSON representation of this attribute.
    pub fn representation(&self) -> Value {
        let mut out = Map::new();
        out.insert("name".into(), json!(self.name));
        out.insert("type".into(), json!(self.kind.as_str()));
        out.insert("multiValued".into(), json!(self.multi_valued));
        out.insert("description".into(), json!(self.description));
        out.insert("required".into(), json!(self.required));
        if self.kind.is_textual() {
            out.insert("caseExact".into(), json!(self.case_exact));
        }
        if !self.canonical_values.is_empty() {
            out.insert("canonicalValues".into(), json!(self.canonical_values));
        }
        if self.kind == AttrType::Reference {
            out.insert("referenceTypes".into(), json!(self.reference_types));
        }
        if self.kind == AttrType::Complex {
            let subs: Vec<Value> = self
                .sub_attributes
                .iter()
                .map(AttrDef::representation)
                .collect();
            out.insert("subAttributes".into(), Value::Array(subs));
        }
        out.insert("mutability".into(), json!(self.mutability.as_str()));
        out.insert("returned".into(), json!(self.returned.as_str()));
        out.insert("uniqueness".into(), json!(self.uniqueness.as_str()));
        Value::Object(out)
    }
}
