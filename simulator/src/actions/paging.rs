//! Okta's list paging for imports (docs/okta-wire.md#6-importing-users, §7, §9):
//! `GET /<resource>?startIndex=1&count=100`, then 101, 201… Page size fixed
//! at 100; Okta advances by 100 whatever a page held [DOC O-SCIM20].
//!
//! Stop rule (**UNCONFIRMED**, §6): stop when `startIndex-1+100 >=
//! totalResults`, or on an empty page; and after
//! [`crate::ImportSettings::max_pages`] pages, so no server can hold the
//! import forever.

use std::collections::HashSet;

use serde_json::Value;

use crate::admin_message::invalid_json;
use crate::answer::{Answer, Cause, list_page, read, resource_id};
use crate::call_sequence::CallSequence;
use crate::import_results::{Paging, PagingAnomaly, PagingStop};
use crate::outcome::FailureKind;
use crate::request::ScimRequest;

/// `count` of every import page (§6 DOC O-SCIM20).
pub(crate) const PAGE_SIZE: u64 = 100;

/// Walks the pages of one resource type.
#[derive(Debug)]
pub(crate) struct Pager {
    resource: &'static str,
    max_pages: u32,
    /// The next page's `startIndex`; `None` once paging stopped.
    next_start: Option<u64>,
    /// The `startIndex` of the page read last.
    last_start: u64,
    seen: HashSet<String>,
    paging: Paging,
}

impl Pager {
    /// A pager over `resource` (`Users`, `Groups`).
    pub(crate) fn new(resource: &'static str, max_pages: u32) -> Self {
        Self {
            resource,
            max_pages,
            next_start: Some(1),
            last_start: 1,
            seen: HashSet::new(),
            paging: Paging::default(),
        }
    }

    /// The next page's resources that have an `id` not seen before; `None`
    /// once paging has stopped. A failed page ends paging with
    /// [`PagingStop::Failed`].
    pub(crate) async fn next(
        &mut self,
        seq: &mut CallSequence<'_>,
    ) -> Result<Option<Vec<Value>>, Cause> {
        let Some(start) = self.next_start.take() else {
            return Ok(None);
        };
        if self.paging.pages >= self.max_pages {
            self.paging.stop = PagingStop::PageLimit;
            return Ok(None);
        }
        let step = format!("import page {}", self.paging.pages + 1);
        let reply = seq
            .send(&step, ScimRequest::page(self.resource, start, PAGE_SIZE))
            .await;
        self.paging.pages += 1;
        self.last_start = start;
        self.paging.stop = PagingStop::Failed;
        let body = match read(&reply) {
            Answer::Success { body: Some(body) } => body,
            Answer::Success { body: None } => {
                let text = invalid_json("");
                return Err(Cause::in_body(&reply, FailureKind::InvalidJson, text));
            }
            Answer::Failure(cause) => return Err(cause),
        };
        let page = list_page(&body)
            .map_err(|text| Cause::in_body(&reply, FailureKind::InvalidJson, text))?;
        let anomalies = &mut self.paging.anomalies;
        if let Some(answered) = page.start_index.filter(|&answered| answered != start) {
            anomalies.push(PagingAnomaly::StartIndexIgnored {
                requested: start,
                answered,
            });
        }
        let total = page.total_results.unwrap_or_else(|| {
            anomalies.push(PagingAnomaly::MissingTotalResults { start_index: start });
            0
        });
        self.paging.total_results = Some(total);
        let returned = page.resources.len() as u64;
        self.paging.listed += returned;
        let (mut fresh, mut repeated, mut without_id) = (Vec::new(), 0, 0);
        for resource in page.resources {
            match resource_id(resource) {
                None => without_id += 1,
                Some(id) if !self.seen.insert(id.to_owned()) => repeated += 1,
                Some(_) => fresh.push(resource.clone()),
            }
        }
        if repeated > 0 {
            anomalies.push(PagingAnomaly::RepeatedResources {
                start_index: start,
                count: repeated,
            });
        }
        if without_id > 0 {
            anomalies.push(PagingAnomaly::InvalidResources {
                start_index: start,
                count: without_id,
                reason: "no id".to_owned(),
            });
        }
        let reached_total = (start - 1).saturating_add(PAGE_SIZE) >= total;
        if returned == 0 {
            self.paging.stop = if start > total {
                PagingStop::Complete
            } else {
                PagingStop::EmptyPage
            };
        } else if reached_total {
            self.paging.stop = PagingStop::Complete;
        } else {
            if returned < PAGE_SIZE {
                anomalies.push(PagingAnomaly::ShortPage {
                    start_index: start,
                    returned,
                });
            }
            self.next_start = Some(start.saturating_add(PAGE_SIZE));
        }
        Ok(Some(fresh))
    }

    /// Notes resources the caller skipped on the page just read.
    pub(crate) fn skipped(&mut self, count: u64, reason: &str) {
        if count == 0 {
            return;
        }
        self.paging.anomalies.push(PagingAnomaly::InvalidResources {
            start_index: self.last_start,
            count,
            reason: reason.to_owned(),
        });
    }

    /// How the paging went.
    pub(crate) fn into_paging(self) -> Paging {
        self.paging
    }
}
