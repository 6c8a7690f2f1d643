//! What a ListResponse must show (RFC 7644 §3.4.2): its fields, the page
//! asked for, and paging through every user as Okta's import does.

use serde_json::Value;

use super::answer::Answer;
use super::calls::PAGE_SIZE;
use super::facts::Facts;
use super::judge::{Problems, has_schema, shown, str_at};

const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// The page a list request asked for.
#[derive(Clone, Copy)]
pub(super) struct Page {
    start_index: u64,
    count: u64,
}

impl Page {
    pub(super) fn new(start_index: u64, count: u64) -> Self {
        Page { start_index, count }
    }
}

impl Problems {
    /// A ListResponse (RFC 7644 §3.4.2); its `Resources`. With a `page`,
    /// also the pagination rules of §3.4.2.4.
    pub(super) fn list<'a>(
        &mut self,
        answer: &'a Answer,
        page: Option<Page>,
    ) -> Option<Vec<&'a Value>> {
        let body = self.json(answer, &[200])?;
        self.expect(has_schema(body, LIST_URN), || {
            format!("schemas lacks {LIST_URN} (RFC 7644 §3.4.2: MUST)")
        });
        let total = body.get("totalResults").and_then(Value::as_u64);
        self.expect(total.is_some(), || {
            format!(
                "totalResults is {} (RFC 7644 §3.4.2: a REQUIRED non-negative integer)",
                shown(body.get("totalResults"))
            )
        });
        let resources: Vec<&Value> = match body.get("Resources") {
            Some(Value::Array(resources)) => resources.iter().collect(),
            None | Some(Value::Null) => {
                self.expect(total.unwrap_or(0) == 0, || {
                    "no Resources although totalResults is non-zero (RFC 7644 §3.4.2: REQUIRED)"
                        .into()
                });
                Vec::new()
            }
            Some(other) => {
                self.push(format!("Resources is {}, not a list", shown(Some(other))));
                Vec::new()
            }
        };
        let returned = resources.len() as u64;
        let partial = total.is_some_and(|t| t > returned);
        // That itemsPerPage counts what was returned is judged by the paging
        // probes alone (`Problems::page`), so one deviation shows once.
        match body.get("itemsPerPage") {
            None if partial => self.push(
                "no itemsPerPage although the results are partial (RFC 7644 §3.4.2: REQUIRED)",
            ),
            None => {}
            Some(value) => self.expect(value.is_u64(), || {
                format!(
                    "itemsPerPage is {} (RFC 7644 §3.4.2.4: a non-negative integer)",
                    shown(Some(value))
                )
            }),
        }
        let start_index = body.get("startIndex");
        match (start_index, page) {
            (None, _) if partial => self
                .push("no startIndex although the results are partial (RFC 7644 §3.4.2: REQUIRED)"),
            (Some(value), Some(page)) => {
                self.expect(value.as_u64() == Some(page.start_index), || {
                    format!(
                        "startIndex is {}, expected {} (RFC 7644 §3.4.2.4)",
                        shown(Some(value)),
                        page.start_index
                    )
                })
            }
            (Some(value), None) => self.expect(value.as_u64().is_some_and(|i| i >= 1), || {
                format!(
                    "startIndex is {} (RFC 7644 §3.4.2: 1-based)",
                    shown(Some(value))
                )
            }),
            (None, _) => {}
        }
        if let Some(page) = page {
            self.expect(returned <= page.count, || {
                format!(
                    "{returned} resources for count={} (RFC 7644 §3.4.2.4: MUST NOT return more)",
                    page.count
                )
            });
        }
        Some(resources)
    }

    /// A ListResponse with `total` results; its `Resources`.
    pub(super) fn total<'a>(
        &mut self,
        answer: &'a Answer,
        page: Page,
        total: u64,
    ) -> Option<Vec<&'a Value>> {
        let resources = self.list(answer, Some(page))?;
        let body = answer.json.as_ref()?;
        let seen = body.get("totalResults").and_then(Value::as_u64);
        if seen.is_some() {
            self.expect(seen == Some(total), || {
                format!(
                    "totalResults is {}, expected {total}",
                    shown(body.get("totalResults"))
                )
            });
        }
        Some(resources)
    }

    /// A filter that must find exactly the resource `id`.
    pub(super) fn finds(&mut self, answer: &Answer, id: Option<&str>) {
        let Some(resources) = self.total(answer, Page::new(1, 100), 1) else {
            return;
        };
        let ids: Vec<Option<&str>> = resources.iter().map(|r| str_at(r, "/id")).collect();
        self.expect(ids == [id], || {
            format!("Resources hold ids {ids:?}, expected [{id:?}]")
        });
    }

    /// One page of the five users; remembers their ids.
    pub(super) fn page(&mut self, answer: &Answer, facts: &mut Facts, start_index: u64) {
        let Some(resources) = self.total(answer, Page::new(start_index, PAGE_SIZE), 5) else {
            return;
        };
        let returned = resources.len() as u64;
        let items_per_page = answer.json.as_ref().and_then(|b| b.get("itemsPerPage"));
        self.expect(
            items_per_page.and_then(Value::as_u64) == Some(returned),
            || {
                format!(
                    "itemsPerPage is {} but Resources holds {returned} (RFC 7644 §3.4.2: \
                     \"the number of resources returned\")",
                    shown(items_per_page)
                )
            },
        );
        for resource in resources {
            match str_at(resource, "/id") {
                Some(id) => facts.paged.push(id.to_owned()),
                None => self.push("a listed user has no id (RFC 7643 §3.1: MUST)"),
            }
        }
    }

    /// Pages 1, 3 and 5 listed every user exactly once (Okta advances by
    /// `count` and needs a stable order, docs/okta-wire.md#6-importing-users).
    pub(super) fn every_user_once(&mut self, facts: &Facts) {
        let mut expected: Vec<&String> = facts.user.iter().chain(&facts.crowd).collect();
        expected.sort();
        let mut seen: Vec<&String> = facts.paged.iter().collect();
        seen.sort();
        self.expect(seen == *expected, || {
            format!("pages 1, 3, 5 listed {seen:?}, expected each of {expected:?} once")
        });
    }
}
