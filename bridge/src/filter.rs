//! SCIM filters (RFC 7644 §3.4.2.2) on the bridge's resources: parsing with
//! readable errors, checking against the schema, and matching resources.
//!
//! `scim_v2` parses the grammar; this module decides what a filter means
//! here: names are case-insensitive, strings honour `caseExact`, a
//! multi-valued attribute matches if any value does, dates compare by
//! instant. An attribute the schema does not define is refused with 400
//! `invalidFilter` naming the attributes that exist: §3.12 defines
//! invalidFilter for "the specified attribute and filter comparison
//! combination is not supported", and silently matching nothing would
//! hide a client's typo.
//!
//! ```text
//! let filter = filter::parse(r#"userName eq "Alice@Acme.com""#)?;
//! let keep = filter::matches(ResourceKind::User, &filter, &resource)?;
//! ```

mod compare;
mod condition;

use scim_v2::filter::{
    AttrExp, CompValue, CompareOp, Filter, FilterActionError, MAX_FILTER_DEPTH, MAX_FILTER_TERMS,
    ParseError,
};
use scim_v2::models::errors::ScimType;
use serde_json::Value;

use crate::schema::{self, ResourceKind};
use crate::scim_error::ScimError;

pub(crate) use compare::{fold, get_ci};
pub(crate) use condition::Condition;

/// Parses a `filter` query parameter, or explains in words why it is not
/// one (400 `invalidFilter`, RFC 7644 §3.4.2.2, §3.12), with the column
/// where the problem starts.
pub fn parse(raw: &str) -> Result<Filter, ScimError> {
    raw.parse::<Filter>().map_err(|error| {
        ScimError::bad_request(
            ScimType::InvalidFilter,
            format!(
                "invalid filter {}: {}",
                quote_short(raw),
                explain(raw, &error)
            ),
        )
    })
}

/// Whether `resource` matches `filter` (RFC 7644 §3.4.2.2).
///
/// The filter is checked against `kind`'s schema first, so an unknown
/// attribute or an undefined comparison (`active gt true`, comparing the
/// complex `name` as a whole) is a 400 `invalidFilter` whatever the
/// resource holds. To refuse a bad filter even when there is nothing to
/// match it against (an empty collection), or to match many resources,
/// call [`compile`] once up front and use [`CompiledFilter::matches`].
#[cfg(test)]
pub fn matches(kind: ResourceKind, filter: &Filter, resource: &Value) -> Result<bool, ScimError> {
    Ok(compile(kind, filter)?.matches(resource))
}

/// Checks `filter` once, for matching many resources.
pub fn compile(kind: ResourceKind, filter: &Filter) -> Result<CompiledFilter, ScimError> {
    Condition::from_filter(kind, filter, 1).map(CompiledFilter)
}

/// A filter checked against a schema ([`compile`]); matching cannot fail.
#[derive(Debug)]
pub struct CompiledFilter(Condition);

impl CompiledFilter {
    /// Whether `resource` matches. A non-object never does.
    pub fn matches(&self, resource: &Value) -> bool {
        resource
            .as_object()
            .is_some_and(|object| self.0.eval(object))
    }
}

/// Recognises a filter that is one `attr eq "value"` comparison on a text
/// attribute, so the bridge can answer it from an index (Okta's
/// `userName eq "…"` and `displayName eq "…"` lookups, §9 of
/// docs/okta-wire.md).
///
/// Returns the canonical attribute path (`userName`, `externalId`,
/// `displayName`, `emails.value`, `id`, …; `emails eq "x"` gives
/// `emails.value`) and the value as sent, not case-folded: an index must
/// honour the attribute's `caseExact` itself. The attribute is resolved in
/// the User schema, then the Group one; run [`matches`] on the candidates
/// to apply the full rules.
pub fn simple_eq(filter: &Filter) -> Option<(String, String)> {
    let Filter::Attr(AttrExp::Comparison(path, CompareOp::Eq, CompValue::Str(value))) = filter
    else {
        return None;
    };
    let resolved = [ResourceKind::User, ResourceKind::Group]
        .into_iter()
        .find_map(|kind| schema::lookup(kind, path))?;
    let target = condition::comparable(resolved)?;
    target
        .leaf()
        .kind
        .is_textual()
        .then(|| (target.path(), value.clone()))
}

/// The parse error in words: what was found where, and what would fit.
fn explain(raw: &str, error: &ParseError) -> String {
    let trimmed = raw.trim_start();
    let lead = raw.len() - trimmed.len();
    let body_len = raw.trim().len();
    let column = |offset: usize| {
        let offset = offset + lead;
        raw.get(..offset).map_or(offset, |s| s.chars().count()) + 1
    };
    match error {
        ParseError::InvalidToken { location } => {
            let found = trimmed.get(*location..).and_then(|s| s.chars().next());
            match found {
                Some('\'') => format!(
                    "single quote at column {}: SCIM strings use double quotes, e.g. userName eq \"bjensen\"",
                    column(*location)
                ),
                Some(c) => format!("unexpected character {c:?} at column {}", column(*location)),
                None => format!("unexpected input at column {}", column(*location)),
            }
        }
        ParseError::UnrecognizedEof { location, expected } => {
            if body_len == 0 {
                "the filter is empty: expected an expression such as userName eq \"bjensen\""
                    .to_string()
            } else {
                format!(
                    "the filter ends too early (column {}): expected {}",
                    column(*location),
                    expected_list(expected)
                )
            }
        }
        ParseError::UnrecognizedToken {
            token: (start, token, end),
            expected,
        } => {
            let word = token.trim();
            let lower = word.to_ascii_lowercase();
            let expects_operator = expected.iter().any(|e| e == "\"eq\"");
            if *end >= body_len && is_operator(&lower) {
                let needs = if matches!(lower.as_str(), "and" | "or" | "not") {
                    "another expression"
                } else {
                    "a value, e.g. userName eq \"bjensen\""
                };
                format!(
                    "the filter ends after \"{word}\" (column {}): it needs {needs}",
                    column(*start)
                )
            } else if expects_operator {
                format!(
                    "expected a comparison operator at column {}, found {word:?}: use one of eq, ne, co, sw, \
                     ew, gt, lt, ge, le, pr (RFC 7644 §3.4.2.2 Table 3)",
                    column(*start)
                )
            } else {
                format!(
                    "unexpected {word:?} at column {}: expected {}",
                    column(*start),
                    expected_list(expected)
                )
            }
        }
        ParseError::ExtraToken {
            token: (start, token, _),
        } => format!(
            "unexpected {:?} at column {} after a complete expression: join expressions with and / or",
            token.trim(),
            column(*start)
        ),
        ParseError::User { error } => match error {
            FilterActionError::DepthExceeded(_) => {
                format!("the filter nests deeper than {MAX_FILTER_DEPTH} levels")
            }
            FilterActionError::TooManyTerms(_) => {
                format!("the filter has more than {MAX_FILTER_TERMS} comparisons")
            }
            other => other.to_string(),
        },
    }
}

fn is_operator(word: &str) -> bool {
    matches!(
        word,
        "and" | "or" | "not" | "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "lt" | "ge" | "le"
    )
}

/// LALRPOP's terminal names as a person would say them.
fn expected_list(expected: &[String]) -> String {
    let mut words: Vec<String> = Vec::new();
    for terminal in expected {
        let word = match terminal.as_str() {
            "AttrNameTok" | "AttrPathTok" => "an attribute name".to_string(),
            "StringLit" => "a quoted string".to_string(),
            "NumberLit" => "a number".to_string(),
            other => other.to_string(),
        };
        if !words.contains(&word) {
            words.push(word);
        }
    }
    match words.split_last() {
        None => "something else".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// `raw` quoted, cut to 80 characters so a hostile filter does not flood
/// the error body.
fn quote_short(raw: &str) -> String {
    const MAX: usize = 80;
    if raw.chars().count() <= MAX {
        format!("{raw:?}")
    } else {
        let head: String = raw.chars().take(MAX).collect();
        format!("{head:?}…")
    }
}

#[cfg(test)]
mod tests;
