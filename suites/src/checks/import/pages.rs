//! An import's list pages as Okta read them (`GET /<resource>?startIndex=…&
//! count=100`, docs/okta-wire.md#6-importing-users, §7, §9), the paging rules every page
//! keeps (RFC 7644 §3.4.2, §3.4.2.4), and what an import may change: nothing.

use std::collections::HashMap;

use serde_json::Value;
use serde_json::value::RawValue;

use scimulate_simulator::Exchange;

use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::account::{describe, effects, with_effects};
use crate::checks::groups::intended::at;
use crate::checks::groups::sent::outcome_text;
use crate::observation::{Observation, seen};
use crate::scenarios::names::{IMPORT_GROUPS, IMPORT_USERS_PAGED};
use crate::verdict::{Evidence, Verdict};

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

/// One page of an import, read from the transcript's compact text
/// ([`scimulate_simulator::JsonBody`]) without building the page as a
/// [`Value`]: the top-level members and each resource are borrowed slices of
/// that text, and only what a check asks for is parsed. A 100,000-user
/// import is judged one page at a time, in linear time.
pub(super) struct Page<'a> {
    pub exchange: &'a Exchange,
    /// `startIndex` and `count` as Okta asked.
    pub asked_start: Option<u64>,
    pub asked_count: Option<u64>,
    /// The 200 answer's top-level members (a repeated key: the last one, as
    /// a parsed `Value` keeps it); `None` when it is no JSON object.
    fields: Option<HashMap<String, &'a RawValue>>,
    /// `Resources`, when the answer is a ListResponse (absent or `null`: no
    /// resources).
    resources: Option<Vec<&'a RawValue>>,
}

impl<'a> Page<'a> {
    fn new(exchange: &'a Exchange, asked_start: Option<u64>, asked_count: Option<u64>) -> Self {
        let fields = exchange
            .response
            .as_ref()
            .filter(|r| r.status == 200)
            .and_then(|r| r.body.json_body())
            .map(|body| {
                // JSON that is no object has no members: no `Resources`, no
                // paging numbers (as a parsed `Value` reads it).
                serde_json::from_str::<HashMap<String, &'a RawValue>>(body.text())
                    .unwrap_or_default()
            });
        let resources = fields.as_ref().and_then(|f| match f.get("Resources") {
            None => Some(Vec::new()),
            Some(raw) if raw.get() == "null" => Some(Vec::new()),
            Some(raw) => serde_json::from_str::<Vec<&'a RawValue>>(raw.get()).ok(),
        });
        Page {
            exchange,
            asked_start,
            asked_count,
            fields,
            resources,
        }
    }

    /// The page's resources, when it is a 200 ListResponse, unparsed.
    pub fn resources(&self) -> Option<&[&'a RawValue]> {
        self.resources.as_deref()
    }

    /// The number of resources the page returned (0 when it is unreadable).
    pub fn returned(&self) -> u64 {
        self.resources().map_or(0, <[&RawValue]>::len) as u64
    }

    /// Each resource, parsed: for checks that read more than its keys.
    pub fn resource_values(&self) -> impl Iterator<Item = Value> + '_ {
        self.resources()
            .unwrap_or_default()
            .iter()
            .map(|raw| serde_json::from_str(raw.get()).unwrap_or(Value::Null))
    }

    /// A top-level member of the answer, as its (compact) JSON text.
    fn raw(&self, key: &str) -> Option<&'a RawValue> {
        self.fields.as_ref()?.get(key).copied()
    }

    /// A paging number of the answer: `Ok(None)` when absent, `Err` when not
    /// a JSON integer.
    fn number(&self, key: &str) -> Result<Option<u64>, ()> {
        match self.raw(key) {
            None => Ok(None),
            Some(raw) => serde_json::from_str::<Value>(raw.get())
                .ok()
                .and_then(|v| v.as_u64())
                .map(Some)
                .ok_or(()),
        }
    }

    pub fn total_results(&self) -> Option<u64> {
        self.number("totalResults").ok().flatten()
    }

    /// `id` and `userName` of each resource, where they are strings.
    pub fn keys(&self) -> Vec<ResourceKeys> {
        self.resources()
            .unwrap_or_default()
            .iter()
            .map(|raw| ResourceKeys::read(raw))
            .collect()
    }

    /// The `id` of each resource, as listed.
    pub fn ids(&self) -> Vec<String> {
        self.keys().into_iter().filter_map(|k| k.id).collect()
    }

    /// Whether the page holds every remaining result (no paging needed).
    fn partial(&self) -> bool {
        let start = self.asked_start.unwrap_or(1);
        self.total_results()
            .is_none_or(|total| start.saturating_sub(1) + self.returned() < total)
    }

    fn failed(&self, expected: impl Into<String>) -> Verdict {
        Verdict::failed(
            Evidence::new(at(self.exchange), expected, seen(self.exchange))
                .exchange(self.exchange.number),
        )
    }
}

/// What the import checks read of a listed resource.
#[derive(Debug, Default, PartialEq)]
pub(super) struct ResourceKeys {
    pub id: Option<String>,
    pub user_name: Option<String>,
}

impl ResourceKeys {
    /// Reads the two keys without parsing the rest; a resource serde cannot
    /// read that way (a repeated key) is parsed whole, as a `Value` would
    /// read it (the last one wins).
    fn read(raw: &RawValue) -> Self {
        // Serde reads a struct from an array too: only an object has keys.
        if !raw.get().starts_with('{') {
            return Self::default();
        }
        #[derive(serde::Deserialize)]
        struct Keys {
            id: Option<Value>,
            #[serde(rename = "userName")]
            user_name: Option<Value>,
        }
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        match serde_json::from_str::<Keys>(raw.get()) {
            Ok(keys) => Self {
                id: text(keys.id.as_ref()),
                user_name: text(keys.user_name.as_ref()),
            },
            Err(_) => {
                let value: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
                Self {
                    id: text(value.get("id")),
                    user_name: text(value.get("userName")),
                }
            }
        }
    }
}

/// The pages of an import, in order, each read only while it is looked at
/// ([`Pages::iter`]).
pub(super) struct Pages<'a> {
    pages: Vec<(&'a Exchange, Option<u64>, Option<u64>)>,
}

impl<'a> Pages<'a> {
    /// Each page in order, read as it comes and dropped after.
    pub fn iter(&self) -> impl Iterator<Item = Page<'a>> + '_ {
        self.pages
            .iter()
            .map(|&(exchange, start, count)| Page::new(exchange, start, count))
    }

    /// The exchanges the pages were read on, without reading them.
    pub fn exchanges(&self) -> impl Iterator<Item = &'a Exchange> + '_ {
        self.pages.iter().map(|&(exchange, _, _)| exchange)
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The last page.
    pub fn last(&self) -> Option<Page<'a>> {
        self.pages
            .last()
            .map(|&(exchange, start, count)| Page::new(exchange, start, count))
    }
}

/// The pages of every import whose action label starts with `action`, in
/// order; all imports when `action` is `"import "`.
pub(super) fn pages<'a>(o: &'a Observation, action: &str) -> Pages<'a> {
    let pages = o
        .exchanges
        .iter()
        .filter(|e| e.action.starts_with(action) && e.step.starts_with("import page"))
        .map(|exchange| {
            let query = exchange.request.path.split_once('?').map(|(_, q)| q);
            let asked = |key: &str| {
                url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                    .find(|(k, _)| k == key)
                    .and_then(|(_, v)| v.parse().ok())
            };
            (exchange, asked("startIndex"), asked("count"))
        })
        .collect();
    Pages { pages }
}

/// The pages of `action`, each a readable 200 ListResponse, or the verdict
/// saying which is not.
pub(super) fn readable_pages<'a>(o: &'a Observation, action: &str) -> Result<Pages<'a>, Verdict> {
    let pages = pages(o, action);
    if pages.is_empty() {
        let seen = match o.outcome(action.trim()) {
            Some(outcome) => format!("no page was requested; {}", outcome_text(outcome)),
            None => "no import ran".to_string(),
        };
        return Err(Verdict::failed(Evidence::new(
            action.trim(),
            "Okta reads the list page by page",
            seen,
        )));
    }
    if let Some(page) = pages.iter().find(|p| p.resources().is_none()) {
        return Err(page.failed("200 with a ListResponse"));
    }
    Ok(pages)
}

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

/// A page in a line: what was asked and what came back.
fn seen_page(page: &Page<'_>) -> String {
    let number = |key: &str| {
        page.raw(key)
            .map_or("none".to_string(), |r| r.get().to_owned())
    };
    format!(
        "{} {} → totalResults {}, startIndex {}, itemsPerPage {}, {} resources",
        page.exchange.request.method,
        page.exchange.request.path,
        number("totalResults"),
        number("startIndex"),
        number("itemsPerPage"),
        page.returned()
    )
}

#[cfg(test)]
pub(super) mod tests {
    use serde_json::json;

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
