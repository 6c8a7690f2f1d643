//! List queries (`GET /Users`, `GET /Groups`): the query parameters, the
//! page they select, and the ListResponse that carries it.

use scim_v2::filter::Filter;

use crate::filter::CompiledFilter;
use crate::response::Scim;
use crate::schema::ResourceKind;
use scim_v2::models::errors::ScimType;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::faults::{Fault, FaultSet};
use crate::response::LIST_URN;
use crate::scim_error::ScimError;

/// Page size when the client gives no `count`.
pub const DEFAULT_COUNT: usize = 100;
/// Largest page served, advertised as `filter.maxResults`.
pub const MAX_COUNT: usize = 1000;

/// The raw query string parameters of a list request, as sent.
#[derive(Debug, Default, Deserialize)]
pub struct RawListQuery {
    pub filter: Option<String>,
    #[serde(rename = "startIndex")]
    pub start_index: Option<String>,
    pub count: Option<String>,
    pub attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    pub excluded_attributes: Option<String>,
}

/// A validated list request.
#[derive(Debug)]
pub struct ListQuery {
    pub kind: ResourceKind,
    /// As parsed, for answering simple lookups from an index.
    pub filter: Option<Filter>,
    /// Checked against the resource's schema, for matching.
    pub compiled: Option<CompiledFilter>,
    /// 1-based (RFC 7644 §3.4.2.4).
    pub start_index: usize,
    pub count: usize,
    pub attributes: Option<String>,
    pub excluded_attributes: Option<String>,
}

impl ListQuery {
    /// Validates the raw parameters.
    ///
    /// RFC 7644 §3.4.2.4: "A value less than 1 SHALL be interpreted as 1"
    /// (startIndex); "A negative value SHALL be interpreted as 0" (count).
    /// Non-integers are a client error (400 invalidValue). `sortBy` is
    /// ignored: the bridge advertises `sort.supported: false`, and §3.4.2.3
    /// lets such a provider return results unsorted.
    /// The filter is checked against `kind`'s schema here, before anything
    /// is fetched: a bad filter is a 400 even when nothing would be tested
    /// against it.
    pub fn parse(
        kind: ResourceKind,
        raw: RawListQuery,
        faults: &FaultSet,
    ) -> Result<Self, ScimError> {
        let filter = match raw.filter.as_deref() {
            Some(text) if !text.trim().is_empty() && !faults.has(Fault::IgnoreFilter) => {
                Some(crate::filter::parse(text)?)
            }
            _ => None,
        };
        let compiled = filter
            .as_ref()
            .map(|f| crate::filter::compile(kind, f))
            .transpose()?;
        let start_index = match raw.start_index.as_deref() {
            None | Some("") => 1,
            Some(text) => {
                let n = parse_integer("startIndex", text)?;
                let n = if faults.has(Fault::ZeroBasedPaging) {
                    n.saturating_add(1)
                } else {
                    n
                };
                n.max(1) as usize
            }
        };
        let count = match raw.count.as_deref() {
            None | Some("") => DEFAULT_COUNT,
            Some(text) => (parse_integer("count", text)?.max(0) as usize).min(MAX_COUNT),
        };
        let count = if faults.has(Fault::IgnoreCount) {
            usize::MAX
        } else {
            count
        };
        let start_index = if faults.has(Fault::PageAlignedStartIndex) && count > 0 {
            (start_index - 1) / count * count + 1
        } else if faults.has(Fault::GroupsIgnoreStartIndex) && kind == ResourceKind::Group {
            1
        } else {
            start_index
        };
        Ok(ListQuery {
            kind,
            filter,
            compiled,
            start_index,
            count,
            attributes: raw.attributes,
            excluded_attributes: raw.excluded_attributes,
        })
    }

    /// The 0-based offset of the first resource on the page.
    pub fn offset(&self) -> usize {
        self.start_index - 1
    }
}

fn parse_integer(name: &str, text: &str) -> Result<i64, ScimError> {
    text.trim().parse::<i64>().map_err(|_| {
        ScimError::bad_request(
            ScimType::InvalidValue,
            format!("{name} must be an integer, got {text:?} (RFC 7644 §3.4.2.4)"),
        )
    })
}

/// The answer to a list request: the `candidates` (SCIM resources, in a
/// stable order) the filter matches, paged, each projected.
pub fn answer(
    query: &ListQuery,
    candidates: impl IntoIterator<Item = Value>,
    faults: &FaultSet,
) -> Result<Scim, ScimError> {
    let matched: Vec<Value> = candidates
        .into_iter()
        .filter(|resource| query.compiled.as_ref().is_none_or(|f| f.matches(resource)))
        .collect();
    let total = matched.len();
    answer_page(query, page(matched, query), total, faults)
}

/// The answer to an unfiltered list whose page the account already cut:
/// `resources` are the page, `total` counts every resource.
pub fn answer_page(
    query: &ListQuery,
    resources: Vec<Value>,
    total: usize,
    faults: &FaultSet,
) -> Result<Scim, ScimError> {
    let resources = resources
        .iter()
        .map(|resource| {
            crate::projection::project(
                query.kind,
                resource,
                query.attributes.as_deref(),
                query.excluded_attributes.as_deref(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Scim::ok(list_response(
        resources,
        total,
        query.start_index,
        faults,
    )))
}

/// Builds the ListResponse (RFC 7644 §3.4.2): `totalResults` counts every
/// match, `itemsPerPage` the resources actually returned.
pub fn list_response(
    resources: Vec<Value>,
    total: usize,
    start_index: usize,
    faults: &FaultSet,
) -> Value {
    let items = resources.len();
    let total = if faults.has(Fault::WrongTotalResults) {
        items
    } else {
        total
    };
    if faults.has(Fault::StringTotalResults) {
        return json!({
            "schemas": [LIST_URN],
            "totalResults": total.to_string(),
            "startIndex": start_index.to_string(),
            "itemsPerPage": items.to_string(),
            "Resources": resources,
        });
    }
    json!({
        "schemas": [LIST_URN],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": items,
        "Resources": resources,
    })
}

/// The slice of `all` a page selects.
pub fn page<T>(all: Vec<T>, query: &ListQuery) -> Vec<T> {
    all.into_iter()
        .skip(query.offset())
        .take(query.count)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(start: Option<&str>, count: Option<&str>) -> RawListQuery {
        RawListQuery {
            start_index: start.map(str::to_string),
            count: count.map(str::to_string),
            ..RawListQuery::default()
        }
    }

    #[test]
    fn defaults_and_rfc_clamping() {
        let q = ListQuery::parse(ResourceKind::User, raw(None, None), &FaultSet::none()).unwrap();
        assert_eq!((q.start_index, q.count), (1, DEFAULT_COUNT));
        let q = ListQuery::parse(
            ResourceKind::User,
            raw(Some("0"), Some("-5")),
            &FaultSet::none(),
        )
        .unwrap();
        assert_eq!((q.start_index, q.count), (1, 0));
        let q = ListQuery::parse(
            ResourceKind::User,
            raw(Some("101"), Some("100000")),
            &FaultSet::none(),
        )
        .unwrap();
        assert_eq!((q.offset(), q.count), (100, MAX_COUNT));
    }

    #[test]
    fn non_integer_paging_is_invalid_value() {
        let error = ListQuery::parse(
            ResourceKind::User,
            raw(Some("one"), None),
            &FaultSet::none(),
        )
        .unwrap_err();
        assert_eq!(error.status, 400);
        assert_eq!(error.scim_type, Some(ScimType::InvalidValue));
        assert!(error.detail.contains("startIndex"));
    }

    #[test]
    fn page_selects_the_window() {
        let q = ListQuery::parse(
            ResourceKind::User,
            raw(Some("2"), Some("2")),
            &FaultSet::none(),
        )
        .unwrap();
        assert_eq!(page(vec![1, 2, 3, 4], &q), vec![2, 3]);
    }

    #[test]
    fn zero_based_fault_skips_the_first() {
        let faults: FaultSet = [Fault::ZeroBasedPaging].into_iter().collect();
        let q = ListQuery::parse(ResourceKind::User, raw(Some("1"), Some("2")), &faults).unwrap();
        assert_eq!(page(vec![1, 2, 3], &q), vec![2, 3]);
    }

    #[test]
    fn list_response_counts() {
        let body = list_response(vec![json!({}), json!({})], 5, 3, &FaultSet::none());
        assert_eq!(body["totalResults"], json!(5));
        assert_eq!(body["itemsPerPage"], json!(2));
        assert_eq!(body["startIndex"], json!(3));
    }
}
