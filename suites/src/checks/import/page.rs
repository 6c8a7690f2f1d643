//! An import's list pages as Okta read them (`GET /<resource>?startIndex=…&
//! count=100`, docs/okta-wire.md#6-importing-users, §7, §9): each page's envelope and
//! resources, read from the transcript without building the page.

use std::collections::HashMap;

use serde_json::Value;
use serde_json::value::RawValue;

use scimulate_simulator::Exchange;

use crate::checks::groups::intended::at;
use crate::checks::groups::sent::outcome_text;
use crate::observation::{Observation, seen};
use crate::verdict::{Evidence, Verdict};

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
    pub(super) fn raw(&self, key: &str) -> Option<&'a RawValue> {
        self.fields.as_ref()?.get(key).copied()
    }

    /// A paging number of the answer: `Ok(None)` when absent, `Err` when not
    /// a JSON integer.
    pub(super) fn number(&self, key: &str) -> Result<Option<u64>, ()> {
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
    pub(super) fn partial(&self) -> bool {
        let start = self.asked_start.unwrap_or(1);
        self.total_results()
            .is_none_or(|total| start.saturating_sub(1) + self.returned() < total)
    }

    pub(super) fn failed(&self, expected: impl Into<String>) -> Verdict {
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

/// A page in a line: what was asked and what came back.
pub(super) fn seen_page(page: &Page<'_>) -> String {
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
