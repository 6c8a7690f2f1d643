//! The user list read in other pagings than Okta's import
//! ([`crate::read_back::PAGINGS`]): at count 37 from the first, and at
//! count 150 from the second. Every paging lists each user once; on a
//! target only this scenario writes to (observable, so played alone),
//! every paging's totals agree with Okta's import, the pagings list the
//! same users, and starting at 2 leaves out exactly one.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use scimulate_simulator::Exchange;

use crate::checks::failure::{never_sent, step_of};
use crate::checks::reading::resources;
use crate::observation::{Observation, seen};
use crate::read_back::{LIST_AT_OTHER_COUNT, LIST_FROM_SECOND, VERIFY};
use crate::scenarios::names::IMPORT_USERS;
use crate::verdict::{Evidence, Verdict};

/// One paging: its pages, and the ids in the order listed.
struct Paging<'o> {
    pages: Vec<(&'o Exchange, Option<u64>)>,
    ids: Vec<String>,
}

fn failed(exchange: &Exchange, expected: String, seen: String, hint: &str) -> Verdict {
    Verdict::failed(
        Evidence::new(step_of(exchange), expected, seen)
            .exchange(exchange.number)
            .hint(hint),
    )
}

/// The pages of `pick`ed exchanges, each a 200 ListResponse.
fn paging<'o>(o: &'o Observation, pick: impl Fn(&Exchange) -> bool) -> Result<Paging<'o>, Verdict> {
    let mut paging = Paging {
        pages: Vec::new(),
        ids: Vec::new(),
    };
    for exchange in o.exchanges.iter().filter(|e| pick(e)) {
        // Parsed afresh and dropped: a big import's pages are never all
        // held parsed (record's JsonBody::parse).
        let answer = exchange
            .response
            .as_ref()
            .filter(|r| r.status == 200)
            .and_then(|r| r.body.json_body())
            .map(|b| b.parse());
        let Some(listed) = answer.as_ref().and_then(|a| resources(a).map(|r| (a, r))) else {
            return Err(failed(
                exchange,
                "200 with a ListResponse".into(),
                seen(exchange),
                "answer every page of a list with 200 and a ListResponse",
            ));
        };
        let (answer, listed) = listed;
        let total = answer.get("totalResults").and_then(Value::as_u64);
        paging.pages.push((exchange, total));
        paging.ids.extend(
            listed
                .iter()
                .filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_string)),
        );
    }
    Ok(paging)
}

fn twice(ids: &[String]) -> Vec<&str> {
    let mut once = HashSet::new();
    ids.iter()
        .filter(|id| !once.insert(id.as_str()))
        .map(String::as_str)
        .collect()
}

fn cut(ids: impl IntoIterator<Item = String>) -> String {
    let ids: Vec<String> = ids.into_iter().take(5).collect();
    format!("{ids:?}")
}

pub(super) fn pages_agree(o: &Observation) -> Verdict {
    let verify_step = |step: &'static str| move |e: &Exchange| e.action == VERIFY && e.step == step;
    let okta = match paging(o, |e| e.action.starts_with(IMPORT_USERS)) {
        Ok(p) => p,
        Err(verdict) => return verdict,
    };
    let (other_count, from_second) = match (
        paging(o, verify_step(LIST_AT_OTHER_COUNT)),
        paging(o, verify_step(LIST_FROM_SECOND)),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(verdict), _) | (_, Err(verdict)) => return verdict,
    };
    let (Some(first_a), Some(first_b)) = (other_count.pages.first(), from_second.pages.first())
    else {
        return never_sent(
            format!("{VERIFY}: {LIST_AT_OTHER_COUNT}"),
            "the user list read at other counts after Okta's import",
            "it was not read (no import ran)",
        );
    };
    for (paging, first) in [(&other_count, first_a), (&from_second, first_b)] {
        let twice = twice(&paging.ids);
        if !twice.is_empty() {
            return failed(
                first.0,
                "each user listed once across the pages".into(),
                format!(
                    "listed twice: {}",
                    cut(twice.into_iter().map(str::to_string))
                ),
                "cut pages from one stable order: offset = startIndex - 1, at most count",
            );
        }
    }
    // Only a target no other scenario writes to keeps still between pages.
    if o.effects.is_none() {
        return Verdict::Passed;
    }
    let all_pages = okta
        .pages
        .iter()
        .chain(&other_count.pages)
        .chain(&from_second.pages);
    let expected_total = okta.pages.first().and_then(|p| p.1);
    for (exchange, total) in all_pages {
        if *total != expected_total {
            return failed(
                exchange,
                format!("totalResults {expected_total:?}, as on every other page"),
                seen(exchange),
                "totalResults counts every result of the query, whatever the page",
            );
        }
    }
    let okta_set: BTreeSet<&String> = okta.ids.iter().collect();
    let a_set: BTreeSet<&String> = other_count.ids.iter().collect();
    if okta_set != a_set {
        let missing = okta_set.difference(&a_set).map(|s| s.to_string());
        return failed(
            first_a.0,
            "the users Okta's import listed, no more, no fewer".into(),
            format!(
                "{} listed against {} in Okta's import; missing {}",
                a_set.len(),
                okta_set.len(),
                cut(missing)
            ),
            "cut pages from one stable order: offset = startIndex - 1, at most count",
        );
    }
    let expected = other_count.ids.len().saturating_sub(1);
    if from_second.ids.len() != expected {
        return failed(
            first_b.0,
            format!("{expected} users: all but the first"),
            format!("{} users listed from startIndex 2", from_second.ids.len()),
            "startIndex is the 1-based index of the first result: startIndex 2 skips exactly one",
        );
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    /// A page listing users `ids` of `total`.
    fn page(total: u64, ids: &[u32]) -> Value {
        let resources: Vec<Value> = ids.iter().map(|i| json!({"id": format!("u{i}")})).collect();
        json!({"totalResults": total, "Resources": resources})
    }

    /// Five users: Okta's import in one page, then the two other pagings
    /// as `other` and `second` list them.
    fn listed(other: &[&[u32]], second: &[&[u32]], observable: bool) -> Observation {
        let mut built = Built::new("import-users-paged").send(
            "import users",
            "page 1",
            "GET",
            "/Users?startIndex=1&count=100",
            None,
            200,
            Some(page(5, &[1, 2, 3, 4, 5])),
        );
        for ids in other {
            built = built.send(
                VERIFY,
                LIST_AT_OTHER_COUNT,
                "GET",
                "/Users",
                None,
                200,
                Some(page(5, ids)),
            );
        }
        for ids in second {
            built = built.send(
                VERIFY,
                LIST_FROM_SECOND,
                "GET",
                "/Users",
                None,
                200,
                Some(page(5, ids)),
            );
        }
        let mut observation = built.done();
        if !observable {
            observation.effects = None;
        }
        observation
    }

    fn failed(verdict: &Verdict) -> bool {
        matches!(verdict, Verdict::Failed { .. })
    }

    #[test]
    fn pagings_list_everyone_once_and_agree() {
        let right = listed(&[&[1, 2, 3], &[4, 5]], &[&[2, 3, 4, 5]], true);
        assert_eq!(pages_agree(&right), Verdict::Passed);
        let twice = listed(&[&[1, 2, 3], &[3, 4, 5]], &[&[2, 3, 4, 5]], false);
        assert!(failed(&pages_agree(&twice)));
        let missing = listed(&[&[1, 2, 3], &[4]], &[&[2, 3, 4, 5]], true);
        assert!(failed(&pages_agree(&missing)));
        // Not observable: another scenario may write between pages, so
        // only "each user once" is judged.
        assert_eq!(
            pages_agree(&listed(&[&[1, 2, 3], &[4]], &[&[2, 3, 4, 5]], false)),
            Verdict::Passed
        );
        let aligned = listed(&[&[1, 2, 3], &[4, 5]], &[&[1, 2, 3, 4, 5]], true);
        assert!(failed(&pages_agree(&aligned)));
        assert!(failed(&pages_agree(&listed(&[], &[], true))));
    }
}
