//! The user import (docs/okta-wire.md#6-importing-users): 250 members over three pages,
//! each exactly once, with the right totalResults (docs/1password.md
//! outcome 21).

use super::made::{NO_STARTING_STATE, total_at_least};
use super::page::readable_pages;
use super::pages::every_once;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::account::snapshots;
use crate::checks::groups::intended::{at, list};
use crate::observation::Observation;
use crate::scenarios::names::{IMPORT_USERS, IMPORT_USERS_PAGED};
use crate::verdict::{Evidence, Verdict};
use scimulate_backend::{AccountSnapshot, Member, MemberKind};

pub(super) const EVERY_USER_ONCE: Check = Check {
    def: CheckDef {
        id: "okta.import.users.every-user-once",
        level: Level::Must,
        title: "Okta's user import, paging 100 at a time, sees every user exactly once: no \
                repeats, and as many users as totalResults says",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4 (pagination: startIndex, count)",
            "docs/okta-wire.md#6-importing-users (startIndex+100 until totalResults; order stable across pages)",
            "docs/1password.md#outcome-21 (every user exactly once)",
        ],
        needs: Needs::Scim,
        hint: "page a stable order: offset startIndex-1, at most count resources, and \
               totalResults counting every match",
    },
    scenarios: &[IMPORT_USERS_PAGED],
    requires: None,
    judge: every_user_once,
};

pub(super) const TOTAL_RESULTS: Check = Check {
    def: CheckDef {
        id: "okta.import.users.total-results",
        level: Level::Must,
        title: "every page of the user import gives totalResults = every user the account holds \
                (guests aside), not the size of the page; on a target whose account is not \
                observable, the same on every page and at least the users made before the \
                import",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2 (totalResults: \"the total number of results returned by the list \
             or query operation\")",
            "docs/okta-wire.md#6-importing-users (Okta pages on while 100·n < totalResults)",
        ],
        needs: Needs::Scim,
        hint: "count every matching user in totalResults; Okta stops paging at totalResults, so \
               a page-sized value loses everyone after the first page",
    },
    scenarios: &[IMPORT_USERS_PAGED],
    requires: None,
    judge: total_results,
};

pub(super) const EVERY_MEMBER_LISTED: Check = Check {
    def: CheckDef {
        id: "1password.import.users.every-member-listed",
        level: Level::Must,
        title: "the user import lists every member of the account except guests",
        sources: &[
            "docs/1password.md#outcome-21 (every user once, totalResults matches the backend)",
            "docs/1password.md#3-groups (guests are not managed by provisioning)",
            "docs/okta-wire.md#6-importing-users (Okta matches imported users to its own)",
        ],
        needs: Needs::Backend,
        hint: "list every member (invited, active, suspended) except guests, paged over the \
               whole account",
    },
    scenarios: &[IMPORT_USERS_PAGED],
    requires: None,
    judge: every_member_listed,
};

fn every_user_once(o: &Observation) -> Verdict {
    every_once(o, IMPORT_USERS, "user")
}

/// The members SCIM shows when the scenario starts (its import runs first):
/// everyone but guests.
fn listable(account: &AccountSnapshot) -> Vec<&Member> {
    account
        .members
        .iter()
        .filter(|m| m.kind != MemberKind::Guest)
        .collect()
}

fn total_results(o: &Observation) -> Verdict {
    if o.effects.is_none() {
        return match (&o.setup, readable_pages(o, IMPORT_USERS)) {
            (None, _) => Verdict::Skipped {
                reason: NO_STARTING_STATE.to_string(),
            },
            (Some(_), Err(verdict)) => verdict,
            (Some(setup), Ok(pages)) => total_at_least(&pages, setup.users.len(), "user"),
        };
    }
    let (before, _) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    let pages = match readable_pages(o, IMPORT_USERS) {
        Ok(pages) => pages,
        Err(verdict) => return verdict,
    };
    let expected = listable(before).len() as u64;
    for page in pages.iter() {
        if page.total_results() != Some(expected) {
            return Verdict::failed(
                Evidence::new(
                    at(page.exchange),
                    format!("totalResults {expected} (the account's members, guests aside)"),
                    crate::observation::seen(page.exchange),
                )
                .exchange(page.exchange.number),
            );
        }
    }
    Verdict::Passed
}

fn every_member_listed(o: &Observation) -> Verdict {
    let (before, _) = match snapshots(o) {
        Ok(pair) => pair,
        Err(verdict) => return verdict,
    };
    let pages = match readable_pages(o, IMPORT_USERS) {
        Ok(pages) => pages,
        Err(verdict) => return verdict,
    };
    // Sets: a 100,000-user import is judged in linear time.
    let mut ids: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut emails: std::collections::HashSet<String> = std::collections::HashSet::new();
    for page in pages.iter() {
        for keys in page.keys() {
            ids.extend(keys.id);
            emails.extend(keys.user_name.map(|name| name.to_ascii_lowercase()));
        }
    }
    let missing: Vec<String> = listable(before)
        .into_iter()
        .filter(|m| !ids.contains(&m.id) && !emails.contains(&m.email.to_ascii_lowercase()))
        .map(|m| m.email.clone())
        .collect();
    if missing.is_empty() {
        return Verdict::Passed;
    }
    let shown: Vec<String> = missing.iter().take(5).cloned().collect();
    let mut evidence = Evidence::new(
        IMPORT_USERS,
        format!("all {} members listed", listable(before).len()),
        format!("{} never listed, e.g. {}", missing.len(), list(&shown)),
    );
    for exchange in pages.exchanges() {
        evidence = evidence.exchange(exchange.number);
    }
    Verdict::failed(evidence)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;
    use crate::checks::import::pages::tests::import;

    fn account(total: u64) -> AccountSnapshot {
        let mut members: Vec<Member> = (1..=total)
            .map(|n| Built::member(&format!("u{n}"), &format!("member-{n:04}@acme.com")))
            .collect();
        let mut guest = Built::member("guest", "gina@acme.com");
        guest.kind = MemberKind::Guest;
        members.push(guest);
        Built::account(members, Vec::new())
    }

    #[test]
    fn total_results_counts_the_account() {
        let good = import(250, |_, _| {}).before(account(250)).done();
        assert_eq!(total_results(&good), Verdict::Passed);
        assert_eq!(every_member_listed(&good), Verdict::Passed);
        let page_sized = import(250, |_, page| {
            let n = page["Resources"].as_array().map_or(0, Vec::len);
            page["totalResults"] = json!(n);
        })
        .before(account(250))
        .done();
        let Verdict::Failed { evidence } = total_results(&page_sized) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, [1]);
    }

    #[test]
    fn a_member_never_listed_fails() {
        let short = import(100, |_, _| {}).before(account(101)).done();
        let Verdict::Failed { evidence } = every_member_listed(&short) else {
            panic!("expected a failure");
        };
        assert!(evidence.seen.contains("member-0101@acme.com"));
    }
}
