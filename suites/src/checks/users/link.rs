//! An existing person assigned in Okta: Okta's existence check must find
//! the user the target already holds, so Okta links it and creates no
//! second one (docs/okta-wire.md#31-existence-check, §3.3). Judged black-box from what
//! the scenario made through SCIM before Okta's part ([`crate::scim_setup`]),
//! or from the account before the run where it is observable.

use crate::checks::failure::{never_sent, step_of, wrong_at};
use crate::checks::reading::{resources, text, username_filter};
use crate::observation::{Observation, body, status};
use crate::verdict::{Evidence, Verdict};

/// Why it cannot be judged: nothing says who existed before.
const NO_STARTING_STATE: &str = "needs the starting state: the fake 1Password account \
     (embedded, or --backend-url), or the existing person made through SCIM (the scenario's \
     [scim_setup])";

pub(super) fn links_existing_user(o: &Observation) -> Verdict {
    let subject = &o.subject_email;
    // Who the target held before Okta's part: the id setup was answered,
    // or the member the account had.
    let (existing_id, existing_name) = match (&o.setup, &o.before) {
        (Some(setup), _) => match setup.user(subject) {
            Some(user) => (Some(user.id.clone()), user.user_name.clone()),
            None => {
                return Verdict::Skipped {
                    reason: format!("{subject} was not made before Okta's part"),
                };
            }
        },
        (None, Some(before)) => match before
            .members
            .iter()
            .find(|m| m.email.eq_ignore_ascii_case(subject))
        {
            Some(member) => (None, member.email.clone()),
            None => {
                return Verdict::Skipped {
                    reason: format!("the account held no member {subject} before the run"),
                };
            }
        },
        (None, None) => {
            return Verdict::Skipped {
                reason: NO_STARTING_STATE.to_string(),
            };
        }
    };
    let assign = format!("assign {subject}");
    let Some(lookup) = o
        .exchanges
        .iter()
        .find(|e| e.action == assign && username_filter(&e.request.path).is_some())
    else {
        return never_sent(
            format!("{assign}: existence check"),
            "Okta's existence check",
            "none was sent",
        );
    };
    let found = body(lookup)
        .filter(|_| status(lookup) == Some(200))
        .and_then(resources)
        .and_then(|r| r.first());
    let is_existing = found.is_some_and(|user| match &existing_id {
        Some(id) => text(user, "/id") == Some(id.as_str()),
        None => text(user, "/userName").is_some_and(|u| u.eq_ignore_ascii_case(&existing_name)),
    });
    let existing = match &existing_id {
        Some(id) => format!("{existing_name} (id {id}, made before Okta's part)"),
        None => format!("{existing_name} (a member before the run)"),
    };
    if !is_existing {
        return wrong_at(
            lookup,
            format!("the existing user {existing} first in the answer: Okta links it"),
            crate::observation::seen(lookup),
        );
    }
    if let Some(create) = o
        .exchanges
        .iter()
        .find(|e| e.action == assign && e.request.method == "POST")
    {
        let mut evidence = Evidence::new(
            step_of(create),
            format!("no POST /Users: Okta links {existing}"),
            crate::observation::seen(create),
        );
        evidence = evidence.exchange(lookup.number).exchange(create.number);
        return Verdict::failed(evidence);
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::users::EXISTING_MEMBER_LINKED;
    use crate::checks::users::sample::Sample;
    use crate::scim_setup::{MadeUser, Setup};

    const LOOKUP: &str =
        "/Users?filter=userName%20eq%20%22bob.r1s2%40acme.com%22&startIndex=1&count=100";

    fn made() -> Setup {
        Setup {
            exchanges: Vec::new(),
            users: vec![MadeUser {
                user_name: "bob.r1s2@acme.com".into(),
                id: "U1".into(),
                active: true,
            }],
            groups: Vec::new(),
        }
    }

    fn assigned(found: &[(&str, &str)], created: bool) -> Observation {
        let resources: Vec<_> = found
            .iter()
            .map(|(id, name)| json!({"id": id, "userName": name}))
            .collect();
        let mut sample = Sample::new(EXISTING_MEMBER_LINKED, "bob.r1s2@acme.com").json(
            ("assign bob.r1s2@acme.com", "existence check"),
            ("GET", LOOKUP),
            None,
            200,
            json!({"totalResults": resources.len(), "Resources": resources}),
        );
        if created {
            sample = sample.json(
                ("assign bob.r1s2@acme.com", "create"),
                ("POST", "/Users"),
                Some(json!({"userName": "bob.r1s2@acme.com"})),
                201,
                json!({"id": "U2", "userName": "bob.r1s2@acme.com"}),
            );
        }
        let mut o = sample.build();
        o.setup = Some(made());
        o
    }

    #[test]
    fn the_existing_user_found_and_linked_passes() {
        assert_eq!(
            links_existing_user(&assigned(&[("U1", "bob.r1s2@acme.com")], false)),
            Verdict::Passed
        );
    }

    #[test]
    fn a_lookup_that_misses_or_a_second_user_fails() {
        let Verdict::Failed { evidence } = links_existing_user(&assigned(&[], true)) else {
            panic!("a missed lookup fails");
        };
        assert!(evidence.expected.contains("id U1"), "{}", evidence.expected);
        let Verdict::Failed { evidence } = links_existing_user(&assigned(
            &[("U9", "bob.r1s2@acme.com"), ("U1", "bob.r1s2@acme.com")],
            false,
        )) else {
            panic!("another user first fails");
        };
        assert_eq!(evidence.exchanges, [1]);
        let Verdict::Failed { evidence } =
            links_existing_user(&assigned(&[("U1", "bob.r1s2@acme.com")], true))
        else {
            panic!("a create after a hit fails");
        };
        assert_eq!(evidence.exchanges, [1, 2]);
    }

    #[test]
    fn without_a_starting_state_it_is_skipped() {
        let mut o = assigned(&[("U1", "bob.r1s2@acme.com")], false);
        o.setup = None;
        assert!(matches!(links_existing_user(&o), Verdict::Skipped { .. }));
    }
}
