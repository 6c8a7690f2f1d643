//! Import judged black-box against the starting state the scenario made
//! through the target's SCIM API ([`crate::scim_setup`]), when the account
//! is not observable: every page's totalResults counts at least what was
//! made (a shared target holds other resources too, so "at least") and
//! stays the same from page to page (nothing changes during an import);
//! that every made resource is listed is [`super::pages::every_once`]'s.

use super::page::Pages;
use crate::checks::groups::intended::at;
use crate::observation::seen;
use crate::verdict::{Evidence, Verdict};

/// Why an import check that needs the starting state cannot judge a run
/// that has neither an observable account nor a starting state made
/// through SCIM.
pub(super) const NO_STARTING_STATE: &str = "needs the starting state: the fake 1Password \
     account (embedded, or --backend-url), or the scenario's users and groups made through SCIM \
     (its [scim_setup])";

/// Every page's totalResults is the same and at least `made` (`noun`s the
/// setup made before the import).
pub(super) fn total_at_least(pages: &Pages<'_>, made: usize, noun: &str) -> Verdict {
    let mut first: Option<(u64, u64)> = None;
    for page in pages.iter() {
        let total = page.total_results();
        let expected = match first {
            None => format!(
                "totalResults of at least {made} (the {noun}s made before the import), as a \
                 JSON integer"
            ),
            Some((total, number)) => format!(
                "totalResults {total}, as on the import's first page (exchange #{number}): \
                 nothing changed in between"
            ),
        };
        let fits = match (total, first) {
            (Some(total), None) => total >= made as u64,
            (Some(total), Some((first_total, _))) => total == first_total,
            (None, _) => false,
        };
        if !fits {
            return Verdict::failed(
                Evidence::new(at(page.exchange), expected, seen(page.exchange))
                    .exchange(page.exchange.number),
            );
        }
        if first.is_none() {
            first = total.map(|t| (t, page.exchange.number));
        }
    }
    Verdict::Passed
}
