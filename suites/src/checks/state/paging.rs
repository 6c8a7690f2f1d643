//! A list read in other pagings than Okta's import
//! ([`crate::read_back::PAGINGS`], [`crate::read_back::GROUP_PAGINGS`]):
//! users at count 37 from the first and at count 150 from the second;
//! groups one a page from the first and from the second. Every paging
//! lists each resource once; on a target only this scenario writes to
//! (observable, so played alone), every paging's totals agree with Okta's
//! import, the pagings list the same resources, and starting at 2 leaves
//! out exactly one.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use scimulate_simulator::Exchange;

use crate::checks::failure::{never_sent, step_of};
use crate::checks::reading::resources;
use crate::observation::{Observation, seen};
use crate::read_back::{
    LIST_AT_OTHER_COUNT, LIST_FROM_SECOND, LIST_GROUPS_AT_OTHER_COUNT, LIST_GROUPS_FROM_SECOND,
    VERIFY,
};
use crate::scenarios::names::{IMPORT_GROUPS_ACTION, IMPORT_USERS};
use crate::verdict::{Evidence, Verdict};

/// One paging: its pages, the ids in the order listed, and for each id
/// the index of the page that listed it.
struct Paging<'o> {
    pages: Vec<(&'o Exchange, Option<u64>)>,
    ids: Vec<String>,
    page_of: Vec<usize>,
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
        page_of: Vec::new(),
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
        let page = paging.pages.len() - 1;
        paging.page_of.resize(paging.ids.len(), page);
    }
    Ok(paging)
}

/// The ids listed again, and the page that first repeated one.
fn twice<'p>(paging: &'p Paging) -> Option<(Vec<&'p str>, usize)> {
    let mut once = HashSet::new();
    let again: Vec<usize> = (0..paging.ids.len())
        .filter(|&i| !once.insert(paging.ids[i].as_str()))
        .collect();
    let first = *again.first()?;
    let ids = again.iter().map(|&i| paging.ids[i].as_str()).collect();
    Some((ids, paging.page_of[first]))
}

fn cut(ids: impl IntoIterator<Item = String>) -> String {
    let ids: Vec<String> = ids.into_iter().take(5).collect();
    format!("{ids:?}")
}

/// One list read in other pagings after Okta's import of it.
struct Listing {
    /// "users" or "groups", for the messages.
    nouns: &'static str,
    /// The list's path (`/Users`).
    path: &'static str,
    /// The label of Okta's import action.
    import: &'static str,
    /// The read-back steps: at another count, from the second.
    other_count: &'static str,
    from_second: &'static str,
}

const USERS: Listing = Listing {
    nouns: "users",
    path: "/Users",
    import: IMPORT_USERS,
    other_count: LIST_AT_OTHER_COUNT,
    from_second: LIST_FROM_SECOND,
};

const GROUPS: Listing = Listing {
    nouns: "groups",
    path: "/Groups",
    import: IMPORT_GROUPS_ACTION,
    other_count: LIST_GROUPS_AT_OTHER_COUNT,
    from_second: LIST_GROUPS_FROM_SECOND,
};

pub(super) fn pages_agree(o: &Observation) -> Verdict {
    agree(o, &USERS)
}

pub(super) fn group_pages_agree(o: &Observation) -> Verdict {
    agree(o, &GROUPS)
}

fn agree(o: &Observation, listing: &Listing) -> Verdict {
    let nouns = listing.nouns;
    let verify_step = |step: &'static str| move |e: &Exchange| e.action == VERIFY && e.step == step;
    let list = format!("{}?", listing.path);
    let okta = match paging(o, |e| {
        e.action.starts_with(listing.import)
            && e.request.method == "GET"
            && e.request.path.starts_with(&list)
    }) {
        Ok(p) => p,
        Err(verdict) => return verdict,
    };
    let (other_count, from_second) = match (
        paging(o, verify_step(listing.other_count)),
        paging(o, verify_step(listing.from_second)),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(verdict), _) | (_, Err(verdict)) => return verdict,
    };
    let (Some(first_a), Some(first_b)) = (other_count.pages.first(), from_second.pages.first())
    else {
        return never_sent(
            format!("{VERIFY}: {}", listing.other_count),
            format!("the {nouns} list read at other counts after Okta's import"),
            "it was not read (no import ran)",
        );
    };
    for paging in [&other_count, &from_second] {
        if let Some((twice, page)) = twice(paging) {
            return failed(
                paging.pages[page].0,
                format!("each of the {nouns} listed once across the pages"),
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
            format!("the {nouns} Okta's import listed, no more, no fewer"),
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
            format!("{expected} {nouns}: all but the first"),
            format!("{} {nouns} listed from startIndex 2", from_second.ids.len()),
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

    #[test]
    fn groups_page_like_users() {
        let group_page = |ids: &[u32]| {
            let resources: Vec<Value> =
                ids.iter().map(|i| json!({"id": format!("g{i}")})).collect();
            json!({"totalResults": 2, "Resources": resources})
        };
        let groups = |second_page: &[u32]| {
            let mut built = Built::new("import-groups").groups_imported(group_page(&[1, 2]));
            for (step, ids) in [
                (LIST_GROUPS_AT_OTHER_COUNT, &[1][..]),
                (LIST_GROUPS_AT_OTHER_COUNT, second_page),
                (LIST_GROUPS_FROM_SECOND, &[2][..]),
            ] {
                built = built.send(
                    VERIFY,
                    step,
                    "GET",
                    "/Groups",
                    None,
                    200,
                    Some(group_page(ids)),
                );
            }
            built.done()
        };
        assert_eq!(group_pages_agree(&groups(&[2])), Verdict::Passed);
        let Verdict::Failed { evidence, .. } = group_pages_agree(&groups(&[1])) else {
            panic!("page 2 repeated page 1");
        };
        assert!(
            evidence.expected.contains("groups"),
            "{}",
            evidence.expected
        );
        assert_eq!(evidence.exchanges, [3], "quoted on the page that repeated");
        assert!(
            failed(&pages_agree(&groups(&[2]))),
            "no user import to compare"
        );
    }
}
