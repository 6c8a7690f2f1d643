//! The paging rules every page of an import keeps (RFC 7644 §3.4.2,
//! §3.4.2.4; docs/okta-wire.md#6-importing-users, §7, §9), every resource listed once, and
//! what an import may change: nothing. The pages are read in `page.rs`.

use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::account::{describe, effects, with_effects};
use crate::checks::groups::intended::at;
use crate::observation::Observation;
use crate::scenarios::names::{IMPORT_GROUPS, IMPORT_USERS_PAGED};
use crate::verdict::{Evidence, Verdict};

use super::page::{pages, readable_pages, seen_page};

pub(super) const START_INDEX: Check = Check {
    def: CheckDef {
        id: "okta.import.paging.start-index-1-based",
        level: Level::Must,
        title: "every import page answers with the startIndex Okta asked for: startIndex is \
                1-based, so startIndex=1 is the first resource",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4 (\"The 1-based index of the first query result\")",
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2 (startIndex in the ListResponse)",
            "docs/okta-wire.md#6-importing-users (startIndex 1, 101, 201…)",
        ],
        needs: Needs::Scim,
        hint: "read startIndex as 1-based (offset = startIndex - 1) and echo it in the answer",
    },
    scenarios: &[IMPORT_USERS_PAGED, IMPORT_GROUPS],
    requires: None,
    judge: start_index,
};

pub(super) const COUNT: Check = Check {
    def: CheckDef {
        id: "okta.import.paging.count-honoured",
        level: Level::Must,
        title: "no import page holds more resources than the count Okta asked for (100)",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4 (count: \"the service provider MUST NOT return more results \
             than specified\")",
            "docs/okta-wire.md#6-importing-users (count=100; the next page starts 100 further on)",
        ],
        needs: Needs::Scim,
        hint: "cap each page at count resources; Okta pages on by 100, so a longer page repeats \
               resources on the next one",
    },
    scenarios: &[IMPORT_USERS_PAGED, IMPORT_GROUPS],
    requires: None,
    judge: count,
};

pub(super) const ITEMS_PER_PAGE: Check = Check {
    def: CheckDef {
        id: "okta.import.paging.items-per-page",
        level: Level::Must,
        title: "every import page's itemsPerPage is the number of resources it returns (and \
                totalResults, startIndex, itemsPerPage are JSON integers)",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2 (itemsPerPage: \"The number of resources returned in a list \
             response page\")",
            "docs/okta-wire.md#6-importing-users (Okta's QA required itemsPerPage = count returned, OBS \
             R-POLIS)",
            "docs/okta-wire.md#23-responses-okta-accepts (paging values are JSON integers)",
        ],
        needs: Needs::Scim,
        hint: "set itemsPerPage to the length of Resources, not to the count requested",
    },
    scenarios: &[IMPORT_USERS_PAGED, IMPORT_GROUPS],
    requires: None,
    judge: items_per_page,
};

pub(super) const CHANGES_NOTHING: Check = Check {
    def: CheckDef {
        id: "1password.import.changes-nothing",
        level: Level::Should,
        title: "an import changes nothing in the account: no effect, not even a refused one",
        sources: &[
            "docs/okta-wire.md#6-importing-users (import issues no SCIM writes, OBS R-ROSTR)",
            "https://www.rfc-editor.org/rfc/rfc7231#section-4.2.1 (GET is safe)",
            "docs/1password.md#outcome-2 (an Okta import match: no invite, no second account)",
        ],
        needs: Needs::Backend,
        hint: "answer list requests from the account without writing to it (no linking, \
               inviting or tidying up on GET)",
    },
    scenarios: &[IMPORT_USERS_PAGED, IMPORT_GROUPS],
    requires: None,
    judge: changes_nothing,
};

fn start_index(o: &Observation) -> Verdict {
    let pages = match readable_pages(o, "import ") {
        Ok(pages) => pages,
        Err(verdict) => return verdict,
    };
    for page in pages.iter() {
        let asked = page.asked_start.unwrap_or(1);
        match page.number("startIndex") {
            Ok(Some(answered)) if answered == asked => {}
            Ok(None) if !page.partial() => {}
            _ => return page.failed(format!("startIndex {asked} (as asked)")),
        }
    }
    Verdict::Passed
}

fn count(o: &Observation) -> Verdict {
    let pages = match readable_pages(o, "import ") {
        Ok(pages) => pages,
        Err(verdict) => return verdict,
    };
    for page in pages.iter() {
        let returned = page.returned();
        if let Some(asked) = page.asked_count
            && returned > asked
        {
            return page.failed(format!("at most {asked} resources (count={asked})"));
        }
    }
    Verdict::Passed
}

fn items_per_page(o: &Observation) -> Verdict {
    let pages = match readable_pages(o, "import ") {
        Ok(pages) => pages,
        Err(verdict) => return verdict,
    };
    for page in pages.iter() {
        let returned = page.returned();
        for key in ["totalResults", "startIndex"] {
            if page.number(key).is_err() {
                return page.failed(format!("{key} as a JSON integer"));
            }
        }
        match page.number("itemsPerPage") {
            Ok(Some(items)) if items == returned => {}
            Ok(None) if !page.partial() => {}
            _ => return page.failed(format!("itemsPerPage {returned} (the resources returned)")),
        }
    }
    Verdict::Passed
}

fn changes_nothing(o: &Observation) -> Verdict {
    if pages(o, "import ").is_empty() {
        return Verdict::failed(Evidence::new(
            format!("scenario {}", o.scenario),
            "Okta imports",
            "no import page was requested",
        ));
    }
    let logged: Vec<_> = effects(o).iter().collect();
    if logged.is_empty() {
        return Verdict::Passed;
    }
    let evidence = Evidence::new(
        format!("scenario {}", o.scenario),
        "no effect: the scenario only reads",
        describe(&logged),
    );
    Verdict::failed(with_effects(evidence, &logged))
}

/// Every resource listed exactly once, as many as `totalResults` says: the
/// rule the users and the groups import share (docs/okta-wire.md#6-importing-users: stable
/// order, pages 100 apart).
pub(super) fn every_once(o: &Observation, action: &str, noun: &str) -> Verdict {
    let pages = match readable_pages(o, action) {
        Ok(pages) => pages,
        Err(verdict) => return verdict,
    };
    // id → the exchange it was first listed on: a map, so a 100,000-user
    // import is judged in linear time.
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for page in pages.iter() {
        for id in page.ids() {
            if let Some(first) = seen.get(&id) {
                return Verdict::failed(
                    Evidence::new(
                        at(page.exchange),
                        format!("every {noun} once across the pages"),
                        format!(
                            "{noun} {id} again (first on exchange #{first}); this page: {}",
                            seen_page(&page)
                        ),
                    )
                    .exchange(*first)
                    .exchange(page.exchange.number),
                );
            }
            seen.insert(id, page.exchange.number);
        }
    }
    let Some(last) = pages.last() else {
        return Verdict::Passed;
    };
    let missing = never_listed(o, &seen, noun == "user");
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(5).cloned().collect();
        let mut evidence = Evidence::new(
            action.trim(),
            format!("every {noun} made before the import listed"),
            format!(
                "{} never listed over {} page(s), e.g. {}",
                missing.len(),
                pages.len(),
                shown.join(", ")
            ),
        );
        for page in pages.iter() {
            evidence = evidence.exchange(page.exchange.number);
        }
        return Verdict::failed(evidence);
    }
    let total = last.total_results();
    if total == Some(seen.len() as u64) {
        return Verdict::Passed;
    }
    let mut evidence = Evidence::new(
        action.trim(),
        format!(
            "{} distinct {noun}s over the pages, as totalResults says",
            total.map_or("as many".to_string(), |t| t.to_string())
        ),
        format!(
            "{} distinct {noun}s over {} page(s); last page: {}",
            seen.len(),
            pages.len(),
            seen_page(&last)
        ),
    );
    for page in pages.iter() {
        evidence = evidence.exchange(page.exchange.number);
    }
    Verdict::failed(evidence)
}

/// The ids the setup made that no page listed, when there was a setup.
fn never_listed(
    o: &Observation,
    listed: &std::collections::HashMap<String, u64>,
    users: bool,
) -> Vec<String> {
    let Some(setup) = &o.setup else {
        return Vec::new();
    };
    if users {
        setup
            .users
            .iter()
            .filter(|u| !listed.contains_key(&u.id))
            .map(|u| format!("{} ({})", u.user_name, u.id))
            .collect()
    } else {
        setup
            .groups
            .iter()
            .filter(|g| !listed.contains_key(&g.id))
            .map(|g| format!("{} ({})", g.display_name, g.id))
            .collect()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::checks::groups::hand_built::Built;

    /// A user resource numbered `n`.
    pub fn user(n: u64) -> Value {
        Built::user(&format!("u{n}"), &format!("member-{n:04}@acme.com"))
    }

    /// An import of users `1..=total` as a correct bridge pages it, with
    /// `bend` applied to each (start, page) before it is recorded.
    pub fn import(total: u64, bend: impl Fn(u64, &mut Value)) -> Built {
        let mut built = Built::new(IMPORT_USERS_PAGED);
        let mut start = 1;
        let mut n = 1;
        loop {
            let resources: Vec<Value> = (start..=total.min(start + 99)).map(user).collect();
            let mut page = Built::list(resources, total, start);
            bend(start, &mut page);
            built = built.send(
                "import users",
                &format!("import page {n}"),
                "GET",
                &format!("/Users?startIndex={start}&count=100"),
                None,
                200,
                Some(page),
            );
            if start - 1 + 100 >= total {
                return built;
            }
            start += 100;
            n += 1;
        }
    }

    #[test]
    fn bodies_that_are_no_objects_are_read_as_a_value_reads_them() {
        // A 200 `[]` has no Resources: no page over count.
        let o = import(50, |_, page| *page = json!([])).done();
        assert_eq!(count(&o), Verdict::Passed);
        // A resource that is an array has no id, whatever it holds.
        let o = import(2, |_, page| {
            page["Resources"] = json!([["u1", "a@acme.com"], ["u2", "b@acme.com"]]);
        })
        .done();
        assert!(pages(&o, "import ").iter().all(|p| p.ids().is_empty()));
    }

    #[test]
    fn a_correct_import_passes() {
        let o = import(250, |_, _| {}).done();
        assert_eq!(pages(&o, "import ").len(), 3);
        for judge in [start_index, count, items_per_page] {
            assert_eq!(judge(&o), Verdict::Passed);
        }
        assert_eq!(every_once(&o, "import users", "user"), Verdict::Passed);
        assert_eq!(changes_nothing(&o), Verdict::Passed);
    }

    #[test]
    fn start_index_must_be_echoed() {
        let o = import(250, |start, page| page["startIndex"] = json!(start + 1)).done();
        let Verdict::Failed { evidence } = start_index(&o) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, [1]);
    }

    #[test]
    fn count_caps_the_page() {
        let o = import(250, |start, page| {
            if start == 1 {
                let all: Vec<Value> = (1..=250).map(user).collect();
                page["Resources"] = json!(all);
                page["itemsPerPage"] = json!(250);
            }
        })
        .done();
        assert!(matches!(count(&o), Verdict::Failed { .. }));
        assert!(matches!(
            every_once(&o, "import users", "user"),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn items_per_page_is_what_was_returned() {
        let wrong = import(250, |_, page| page["itemsPerPage"] = json!(100)).done();
        let Verdict::Failed { evidence } = items_per_page(&wrong) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, [3], "the last page holds 50");
        let strings = import(250, |_, page| page["totalResults"] = json!("250")).done();
        assert!(matches!(items_per_page(&strings), Verdict::Failed { .. }));
        let missing = import(250, |_, page| {
            page.as_object_mut().map(|p| p.remove("itemsPerPage"));
        })
        .done();
        assert!(matches!(items_per_page(&missing), Verdict::Failed { .. }));
    }

    #[test]
    fn a_lost_user_fails() {
        let skipped = import(250, |start, page| {
            if start == 1 {
                page["Resources"].as_array_mut().map(|r| r.remove(0));
            }
        })
        .done();
        assert!(matches!(
            every_once(&skipped, "import users", "user"),
            Verdict::Failed { .. }
        ));
        let nothing = Built::new(IMPORT_USERS_PAGED).done();
        assert!(matches!(
            every_once(&nothing, "import users", "user"),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn an_import_that_writes_fails() {
        let o = import(3, |_, _| {})
            .effects(vec![scimulate_backend::EffectKind::MemberLinked {
                member_id: "u1".into(),
                email: "member-0001@acme.com".into(),
            }])
            .done();
        let Verdict::Failed { evidence } = changes_nothing(&o) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.effects, [1]);
    }
}
