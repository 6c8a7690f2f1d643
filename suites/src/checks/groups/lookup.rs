//! Okta's group lookup before a create, `GET /Groups?filter=displayName eq
//! "…"&startIndex=1&count=100` (docs/okta-wire.md#81-pushing-a-new-group step 1, §9): it must
//! list only that name, and find a group that exists — a lookup that misses
//! makes Okta POST a second group (§8.2).

use serde_json::Value;

use super::intended::{Replay, at, display_name};
use crate::capabilities::Capability;
use crate::check::{CheckDef, Level, Needs};
use crate::checks::Check;
use crate::checks::groups::sent::{nothing_sent, okta_exchanges};
use crate::observation::{Observation, body, seen, status};
use crate::scenarios::names::{
    GROUP_MEMBERSHIP, PUSH_GROUP, PUSH_GROUP_AFTER_UNLINK, PUSH_GROUP_NAME_EXISTS, PUSH_GROUP_NEW,
};
use crate::verdict::{Evidence, Verdict};

pub(super) const MATCHES_NAME: Check = Check {
    def: CheckDef {
        id: "okta.groups.lookup.matches-name",
        level: Level::Must,
        title: "Okta's group lookup answers 200 with a ListResponse of at most one group, whose \
                displayName is the name looked up",
        sources: &[
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (filter: only matching resources)",
            "docs/okta-wire.md#81-pushing-a-new-group step 1 (expected: 0 or 1 group)",
            "docs/okta-wire.md#9-filters-paging-encoding (displayName eq, the only group filter Okta sends)",
        ],
        needs: Needs::Scim,
        hint: "support filter=displayName eq \"…\" on /Groups (case-insensitive match) and list \
               only the groups it matches",
    },
    scenarios: &[
        PUSH_GROUP_NEW,
        GROUP_MEMBERSHIP,
        PUSH_GROUP_NAME_EXISTS,
        PUSH_GROUP_AFTER_UNLINK,
    ],
    requires: Some(Capability::Groups),
    judge: matches_name,
};

pub(super) const FINDS_EXISTING: Check = Check {
    def: CheckDef {
        id: "okta.groups.lookup.finds-existing",
        level: Level::Must,
        title: "a group lookup for a name the target already has (here: a group Okta pushed and \
                left in the app) lists that group",
        sources: &[
            "docs/okta-wire.md#81-pushing-a-new-group step 1, §8.2 (a lookup that misses makes Okta POST)",
            "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (filter), §3.4.2.4 (startIndex=1 is the first result)",
        ],
        needs: Needs::Scim,
        hint: "answer displayName eq \"…\" with the existing group, starting at the first \
               result when startIndex=1",
    },
    scenarios: &[PUSH_GROUP_AFTER_UNLINK],
    requires: Some(Capability::Groups),
    judge: finds_existing,
};

const LOOKUP_STEP: &str = "group lookup";

fn lookups(o: &Observation) -> impl Iterator<Item = &scimulate_simulator::Exchange> {
    okta_exchanges(o).filter(|e| e.step == LOOKUP_STEP)
}

fn matches_name(o: &Observation) -> Verdict {
    let mut any = false;
    for exchange in lookups(o) {
        any = true;
        let name = looked_up(&exchange.request.path).unwrap_or_default();
        let listed = body(exchange).and_then(|b| match b.get("Resources") {
            None | Some(Value::Null) => Some(&[][..]),
            Some(Value::Array(groups)) => Some(groups.as_slice()),
            Some(_) => None,
        });
        let fits = status(exchange) == Some(200)
            && listed.as_ref().is_some_and(|groups| {
                groups.len() <= 1
                    && groups
                        .iter()
                        .all(|g| display_name(g).is_some_and(|n| n.eq_ignore_ascii_case(&name)))
            });
        if !fits {
            return Verdict::failed(
                Evidence::new(
                    at(exchange),
                    format!("200 with a ListResponse of at most one group named {name:?}"),
                    seen(exchange),
                )
                .exchange(exchange.number),
            );
        }
    }
    if any {
        Verdict::Passed
    } else {
        nothing_sent(o, PUSH_GROUP, LOOKUP_STEP, "Okta looks the group's name up")
    }
}

fn finds_existing(o: &Observation) -> Verdict {
    let mut judged = 0;
    for exchange in lookups(o) {
        let Some(name) = looked_up(&exchange.request.path) else {
            continue;
        };
        let replay = Replay::until(o, exchange.number);
        let Some(known) = replay.named(&name) else {
            continue;
        };
        judged += 1;
        let listed = body(exchange)
            .and_then(|b| b.get("Resources"))
            .and_then(Value::as_array)
            .is_some_and(|groups| {
                groups
                    .iter()
                    .any(|g| g.get("id").and_then(Value::as_str) == Some(known.id.as_str()))
            });
        if status(exchange) != Some(200) || !listed {
            return Verdict::failed(
                Evidence::new(
                    at(exchange),
                    format!(
                        "200 listing group {} ({:?}), which exchanges #{} show exists",
                        known.id,
                        known.name,
                        known
                            .writes
                            .iter()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                            .join(", #")
                    ),
                    seen(exchange),
                )
                .exchange(exchange.number),
            );
        }
    }
    if judged > 0 {
        return Verdict::Passed;
    }
    Verdict::failed(Evidence::new(
        format!("{PUSH_GROUP}: {LOOKUP_STEP}"),
        "Okta looks up a group name the target already has (pushed earlier in the scenario)",
        "no lookup asked for a group the transcript shows exists (did the first push fail?)",
    ))
}

/// The value of `filter=displayName eq "…"` in a request path.
fn looked_up(path: &str) -> Option<String> {
    let query = path.split_once('?')?.1;
    let filter = url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "filter")?
        .1
        .into_owned();
    let (attribute, rest) = filter.trim().split_once(' ')?;
    let (operator, value) = rest.trim().split_once(' ')?;
    if !attribute.eq_ignore_ascii_case("displayName") || !operator.eq_ignore_ascii_case("eq") {
        return None;
    }
    let value = value.trim().strip_prefix('"')?.strip_suffix('"')?;
    Some(value.replace("\\\"", "\"").replace("\\\\", "\\"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::groups::hand_built::Built;

    const PATH: &str = "/Groups?filter=displayName%20eq%20%22Design%22&startIndex=1&count=100";

    #[test]
    fn reads_the_looked_up_name() {
        assert_eq!(looked_up(PATH).as_deref(), Some("Design"));
        assert_eq!(
            looked_up("/Groups?filter=displayName+eq+%22A+%5C%22B%5C%22%22").as_deref(),
            Some("A \"B\"")
        );
        assert_eq!(looked_up("/Groups?startIndex=1"), None);
    }

    fn lookup(resources: Vec<Value>) -> Built {
        Built::new(PUSH_GROUP_NAME_EXISTS).send(
            "push group Design",
            LOOKUP_STEP,
            "GET",
            PATH,
            None,
            200,
            Some(Built::list(resources.clone(), resources.len() as u64, 1)),
        )
    }

    #[test]
    fn lists_only_the_name() {
        let good = lookup(vec![Built::group("g1", "design", &[])]).done();
        assert_eq!(matches_name(&good), Verdict::Passed);
        assert_eq!(matches_name(&lookup(Vec::new()).done()), Verdict::Passed);
        let everything = lookup(vec![
            Built::group("g1", "Design", &[]),
            Built::group("g2", "Engineering", &[]),
        ])
        .done();
        assert!(matches!(matches_name(&everything), Verdict::Failed { .. }));
        assert!(matches!(
            matches_name(&Built::new(PUSH_GROUP_NEW).done()),
            Verdict::Failed { .. }
        ));
    }

    fn pushed_then_looked_up(listed: Vec<Value>) -> Observation {
        Built::new(PUSH_GROUP_AFTER_UNLINK)
            .send(
                "push group Design",
                "create group",
                "POST",
                "/Groups",
                Some(json!({"displayName": "Design"})),
                201,
                Some(Built::group("g1", "Design", &[])),
            )
            .send(
                "push group Design",
                LOOKUP_STEP,
                "GET",
                PATH,
                None,
                200,
                Some(Built::list(listed.clone(), listed.len() as u64, 1)),
            )
            .done()
    }

    #[test]
    fn finds_what_was_pushed() {
        let good = pushed_then_looked_up(vec![Built::group("g1", "Design", &[])]);
        assert_eq!(finds_existing(&good), Verdict::Passed);
        let missed = pushed_then_looked_up(Vec::new());
        let Verdict::Failed { evidence } = finds_existing(&missed) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, [2]);
        assert!(matches!(
            finds_existing(&lookup(Vec::new()).done()),
            Verdict::Failed { .. }
        ));
    }
}
