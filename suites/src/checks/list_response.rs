//! The shape every ListResponse must have (RFC 7644 §3.4.2), whatever list
//! it answers: Okta's connection test and imports, discovery's
//! `/ResourceTypes` and `/Schemas` (RFC 7644 §4 answers them as
//! ListResponses). Clients read `totalResults` before `Resources`; a list
//! without it makes some abort (docs/okta-wire.md#23-responses-okta-accepts:
//! paging numbers are JSON integers).

use serde_json::Value;

/// `urn:ietf:params:scim:api:messages:2.0:ListResponse`.
pub(super) const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// What `body` lacks of a ListResponse, each a short phrase; empty when it
/// is one: `schemas` containing [`LIST_URN`], an integer `totalResults`
/// (REQUIRED), a `Resources` array (the lower-case key Okta tolerates
/// too), no fewer results in total than listed, and integer `startIndex`
/// and `itemsPerPage` where present (REQUIRED only when paged).
pub(super) fn gaps(body: &Value) -> Vec<String> {
    let mut gaps = Vec::new();
    let has_urn = body
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(LIST_URN)));
    if !has_urn {
        gaps.push(format!("schemas containing {LIST_URN}"));
    }
    let total = body.get("totalResults");
    if !total.is_some_and(Value::is_u64) {
        gaps.push(match total {
            None => "totalResults (REQUIRED)".to_string(),
            Some(other) => format!("totalResults as a JSON integer, not {other}"),
        });
    }
    let listed = body
        .get("Resources")
        .or_else(|| body.get("resources"))
        .and_then(Value::as_array);
    match listed {
        None => gaps.push("a Resources array".to_string()),
        Some(items) => {
            if let Some(total) = total.and_then(Value::as_u64)
                && total < items.len() as u64
            {
                gaps.push(format!(
                    "totalResults of at least the {} resources listed, not {total}",
                    items.len()
                ));
            }
        }
    }
    for key in ["startIndex", "itemsPerPage"] {
        if let Some(value) = body.get(key)
            && !value.is_u64()
        {
            gaps.push(format!("{key} as a JSON integer, not {value}"));
        }
    }
    gaps
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_complete_list_has_no_gaps() {
        let list = json!({"schemas": [LIST_URN], "totalResults": 2, "Resources": [{}, {}]});
        assert!(gaps(&list).is_empty());
        // Paged, with Okta's tolerated lower-case key.
        let paged = json!({"schemas": [LIST_URN], "totalResults": 9, "startIndex": 1,
            "itemsPerPage": 2, "resources": [{}, {}]});
        assert!(gaps(&paged).is_empty());
        let empty = json!({"schemas": [LIST_URN], "totalResults": 0, "Resources": []});
        assert!(gaps(&empty).is_empty());
    }

    #[test]
    fn each_gap_is_named() {
        let cases = [
            (
                json!({"totalResults": 1, "Resources": [{}]}),
                "schemas containing",
            ),
            (
                json!({"schemas": [LIST_URN], "Resources": [{}]}),
                "totalResults (REQUIRED)",
            ),
            (
                json!({"schemas": [LIST_URN], "totalResults": "1", "Resources": [{}]}),
                "totalResults as a JSON integer, not \"1\"",
            ),
            (
                json!({"schemas": [LIST_URN], "totalResults": 1}),
                "a Resources array",
            ),
            (
                json!({"schemas": [LIST_URN], "totalResults": 1, "Resources": {}}),
                "a Resources array",
            ),
            (
                json!({"schemas": [LIST_URN], "totalResults": 0, "Resources": [{}]}),
                "at least the 1 resources listed, not 0",
            ),
            (
                json!({"schemas": [LIST_URN], "totalResults": 1, "itemsPerPage": "1",
                    "Resources": [{}]}),
                "itemsPerPage as a JSON integer",
            ),
        ];
        for (list, gap) in cases {
            let found = gaps(&list);
            assert_eq!(found.len(), 1, "{list}: {found:?}");
            assert!(found[0].contains(gap), "{list}: {found:?}");
        }
    }
}
