//! The reference bridge measured against SCIM servers nobody on this project
//! wrote (`../shared/targets`): the same conformance probes — discovery,
//! Okta's user and group lifecycles, filters, paging, errors — go to
//! `scimulate`'s reference bridge, to scim2-server and to SCIMMY. Each probe
//! expects only what RFC 7643/7644 or Okta's client require, and accepts
//! everything they allow (a PATCH may answer 200 with the resource or 204).
//! The bridge must pass every probe, and so every probe a peer passes: it
//! behaves at least as well as they do on the same requests.
//!
//! The peers are third-party processes installed by
//! `.ci/install-peer-targets`, so their comparison is opt-in:
//! `SCIMULATE_PEER_TARGETS=1 cargo test --test it peer -- --nocapture`
//! prints the verdict table on stderr.

#![cfg(unix)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::{ACCEPT, ACCEPT_CHARSET, CONTENT_TYPE, LOCATION, USER_AGENT};
use scimulate_backend::AccountSeed;
use scimulate_suites::{Embedded, EmbeddedOptions};
use serde_json::{Value, json};

/// Set by CI once `.ci/install-peer-targets` succeeded.
const OPT_IN: &str = "SCIMULATE_PEER_TARGETS";
const SCIM2_SERVER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/targets/start-scim2-server.sh"
);
const SCIMMY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/targets/start-scimmy.sh"
);
/// Per request; a probe that gets no answer in time fails.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// A peer that does not accept connections by then is reported broken.
const READY_WITHIN: Duration = Duration::from_secs(15);
/// The whole comparison, peers' start-up included.
const WHOLE_RUN: Duration = Duration::from_secs(50);
/// After this many requests in a row without an answer the target is taken
/// for dead and its remaining probes are not sent (keeps a hung peer from
/// costing 10 s per probe).
const GIVE_UP_AFTER: usize = 2;

const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const SPC_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const PATCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Okta's test user (okta-scim-wire.md §3.2, on a domain the reference
/// account allows).
const USER_NAME: &str = "test.user@acme.com";
/// The same user name in another case (Okta's SPEC test probes this, §12.1).
const USER_NAME_OTHER_CASE: &str = "Test.User@ACME.com";
const GROUP_NAME: &str = "Test SCIMv2";
const GROUP_RENAMED: &str = "Test SCIMv2 Renamed";
/// Okta's SPEC test asks for this id and expects 404 (§12.1 step 4).
const UNKNOWN_ID: &str = "010101001010101011001010101011";

#[tokio::test]
async fn reference_bridge_answers_every_probe() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let embedded = start_reference().await;
    let outcomes = run_probes(&reference_target(&embedded)).await;
    let failed = render_failures(&outcomes);
    assert!(
        failed.is_empty(),
        "the reference bridge answered probes wrongly:\n{failed}"
    );
}

#[tokio::test]
async fn reference_bridge_behaves_at_least_as_well_as_peers() {
    if std::env::var(OPT_IN).as_deref() != Ok("1") {
        eprintln!(
            "skipped peer::reference_bridge_behaves_at_least_as_well_as_peers: \
             run .ci/install-peer-targets, then set {OPT_IN}=1"
        );
        return;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Dropping the comparison on timeout drops its `PeerServer`s: no peer
    // outlives the test.
    if tokio::time::timeout(WHOLE_RUN, compare_with_peers())
        .await
        .is_err()
    {
        panic!("the peer comparison did not finish within {WHOLE_RUN:?}");
    }
}

#[test]
fn probes_have_unique_ids_and_sources() {
    let mut seen = BTreeSet::new();
    for probe in PROBES {
        assert!(seen.insert(probe.id), "probe id {} twice", probe.id);
        assert!(!probe.source.is_empty(), "probe {} has no source", probe.id);
    }
}

async fn compare_with_peers() {
    // Both peers start at once (each takes a second or two).
    let scim2 = tokio::task::spawn_blocking(|| PeerServer::start("scim2-server", SCIM2_SERVER));
    let scimmy = tokio::task::spawn_blocking(|| PeerServer::start("SCIMMY", SCIMMY));
    let scim2 = scim2
        .await
        .unwrap_or_else(|e| panic!("starting scim2-server panicked: {e}"))
        .unwrap_or_else(|e| panic!("{e}"));
    // SCIMMY is compared when it runs; scim2-server is the peer the issue
    // names, so it must.
    let scimmy = match scimmy.await {
        Ok(Ok(server)) => Some(server),
        Ok(Err(e)) => {
            eprintln!("note: SCIMMY not compared: {e}");
            None
        }
        Err(e) => {
            eprintln!("note: SCIMMY not compared: starting it panicked: {e}");
            None
        }
    };
    let embedded = start_reference().await;

    let reference = reference_target(&embedded);
    let scim2_target = scim2.target();
    let scimmy_target = scimmy.as_ref().map(PeerServer::target);
    let (reference_outcomes, scim2_outcomes, scimmy_outcomes) =
        tokio::join!(run_probes(&reference), run_probes(&scim2_target), async {
            match &scimmy_target {
                Some(target) => Some(run_probes(target).await),
                None => None,
            }
        });

    let mut runs = vec![
        (reference.name, &reference_outcomes),
        (scim2_target.name, &scim2_outcomes),
    ];
    if let (Some(target), Some(outcomes)) = (&scimmy_target, &scimmy_outcomes) {
        runs.push((target.name, outcomes));
    }
    eprintln!("{}", render_table(&runs));

    let failed = render_failures(&reference_outcomes);
    assert!(
        failed.is_empty(),
        "the reference bridge answered probes wrongly:\n{failed}"
    );
    for (name, outcomes) in &runs[1..] {
        let better = passed_only_by(outcomes, &reference_outcomes);
        assert!(
            better.is_empty(),
            "{name} passes probes the reference bridge fails: {better:?}"
        );
        // Fairness: an answer the RFC allows is never counted against a
        // peer (scim2-server answers every PATCH with 204, RFC 7644 §3.5.2).
        for outcome in outcomes.iter() {
            if outcome.method == Method::PATCH && outcome.status == Some(204) {
                assert!(
                    outcome.verdict.passed(),
                    "{name}: {} answered 204, which RFC 7644 §3.5.2 allows, yet failed: {:?}",
                    outcome.probe,
                    outcome.verdict
                );
            }
        }
    }
    // The probes are not blind: SCIMMY's documented deviations
    // (../shared/targets/README.md) show up as its failures.
    if let Some(outcomes) = &scimmy_outcomes {
        for (probe, mentions) in [
            ("okta.create.post-user", "Location header"),
            ("filter.user-name-any-case", "totalResults"),
        ] {
            let shown = outcomes.iter().any(|o| {
                o.probe == probe
                    && matches!(&o.verdict, Verdict::Failed { problems, .. }
                        if problems.iter().any(|p| p.contains(mentions)))
            });
            assert!(
                shown,
                "SCIMMY's documented deviation no longer shows in {probe} (a problem mentioning {mentions:?})"
            );
        }
    }
}

/// The reference bridge over an empty, deterministic fake account that
/// allows acme.com.
async fn start_reference() -> Embedded {
    let options = EmbeddedOptions {
        deterministic: true,
        ..Default::default()
    };
    Embedded::start(AccountSeed::default(), options)
        .await
        .unwrap_or_else(|e| panic!("the reference bridge did not start: {e}"))
}

fn reference_target(embedded: &Embedded) -> Target {
    Target {
        name: "reference",
        base_url: embedded.base_url(),
        token: embedded.token().to_string(),
    }
}

// ---------------------------------------------------------------------------
// The probes
// ---------------------------------------------------------------------------

/// One SCIM request and what the RFCs or Okta's client require of its
/// answer. Probes run in order on one target; ids learnt by earlier probes
/// feed later ones.
struct Probe {
    id: &'static str,
    /// What the expectation rests on.
    source: &'static str,
    /// The request, or why it cannot be sent (an earlier probe failed).
    request: fn(&Facts) -> Result<Call, Blocked>,
    /// Records every way the answer falls short; learns ids.
    judge: fn(&Answer, &mut Facts, &mut Problems),
}

/// Why a probe was not sent.
type Blocked = &'static str;

/// What earlier answers taught.
#[derive(Default)]
struct Facts {
    /// Okta's test user.
    user: Option<String>,
    /// Its representation as read back, which Okta's update PUTs (§4).
    fetched: Option<Value>,
    /// The four other users of the paging probes.
    crowd: Vec<String>,
    /// Ids listed by the paging probes so far, in order.
    paged: Vec<String>,
    group: Option<String>,
}

impl Facts {
    /// The group's members after Okta's add: the test user and user 2.
    fn members_added(&self) -> BTreeSet<String> {
        self.user
            .iter()
            .chain(self.crowd.first())
            .cloned()
            .collect()
    }

    /// The group's members after user 2 is removed.
    fn members_kept(&self) -> BTreeSet<String> {
        self.user.iter().cloned().collect()
    }
}

static PROBES: &[Probe] = &[
    // --- discovery (RFC 7644 §4) ---
    Probe {
        id: "discovery.service-provider-config",
        source: "RFC 7644 §4; RFC 7643 §5",
        request: |_| Ok(Call::get("/ServiceProviderConfig")),
        judge: judge_service_provider_config,
    },
    Probe {
        id: "discovery.resource-types",
        source: "RFC 7644 §4; RFC 7643 §6",
        request: |_| Ok(Call::get("/ResourceTypes")),
        judge: judge_resource_types,
    },
    Probe {
        id: "discovery.schemas",
        source: "RFC 7644 §4; RFC 7643 §7, §4.1.1",
        request: |_| Ok(Call::get("/Schemas")),
        judge: judge_schemas,
    },
    // --- a user's lifecycle as Okta (OIN) sends it ---
    Probe {
        id: "okta.connection-test",
        source: "okta-scim-wire §1; RFC 7644 §3.4.2, §3.4.2.4",
        request: |_| Ok(Call::get("/Users?startIndex=1&count=2")),
        judge: |a, _, p| {
            p.list(a, Some(Page::new(1, 2)));
        },
    },
    Probe {
        id: "okta.create.lookup-misses",
        source: "okta-scim-wire §3.1; RFC 7644 §3.4.2 (no match: 200, totalResults 0)",
        request: |_| Ok(Call::get(&user_lookup(USER_NAME))),
        judge: |a, _, p| {
            p.total(a, Page::new(1, 100), 0);
        },
    },
    Probe {
        id: "okta.create.post-user",
        source: "okta-scim-wire §3.2; RFC 7644 §3.3, §3.1; RFC 7643 §3.1, §4.1.1",
        request: |_| {
            Ok(Call::post(
                "/Users",
                okta_user(USER_NAME, "Test", "User", 0),
            ))
        },
        judge: |a, f, p| {
            f.user = p.created_user(a, USER_NAME, "Test", "User");
            if let Some(id) = &f.user {
                // Judged here and on the group create, not on every POST.
                p.location(a, id);
            }
        },
    },
    Probe {
        id: "okta.create.duplicate-is-409",
        source: "RFC 7644 §3.3 (409 uniqueness); Okta SPEC test §12.1 step 8",
        request: |_| {
            Ok(Call::post(
                "/Users",
                okta_user(USER_NAME, "Test", "User", 0),
            ))
        },
        judge: |a, _, p| p.error(a, 409, Some("uniqueness"), false),
    },
    Probe {
        id: "okta.create.lookup-finds-user",
        source: "okta-scim-wire §3.3; RFC 7644 §3.4.2.2",
        request: |f| {
            f.user.as_ref().ok_or(NEEDS_USER)?;
            Ok(Call::get(&user_lookup(USER_NAME)))
        },
        judge: |a, f, p| p.finds(a, f.user.as_deref()),
    },
    Probe {
        id: "okta.create.lookup-plus-encoded",
        source: "okta-scim-wire §3.1 (Okta's 2019 form: space as `+`; servers must accept both)",
        request: |f| {
            f.user.as_ref().ok_or(NEEDS_USER)?;
            Ok(Call::get(&user_lookup(USER_NAME).replace("%20", "+")))
        },
        judge: |a, f, p| p.finds(a, f.user.as_deref()),
    },
    Probe {
        id: "filter.user-name-any-case",
        source: "RFC 7643 §4.1.1 (userName case insensitive); RFC 7644 §3.4.2.2 (caseExact decides)",
        request: |f| {
            f.user.as_ref().ok_or(NEEDS_USER)?;
            Ok(Call::get(&user_lookup(USER_NAME_OTHER_CASE)))
        },
        judge: |a, f, p| p.finds(a, f.user.as_deref()),
    },
    Probe {
        id: "user.get-by-id",
        source: "RFC 7644 §3.4.1; Okta SPEC test §12.1 step 7",
        request: |f| Ok(Call::get(&user_path(f)?)),
        judge: |a, f, p| {
            let Some(body) = p.resource(a, &[200], f.user.as_deref()) else {
                return;
            };
            p.user_fields(body, USER_NAME, "Test", "User");
            p.active(body, true);
            f.fetched = Some(body.clone());
        },
    },
    Probe {
        id: "okta.update.put",
        source: "okta-scim-wire §4 (GET, then PUT the whole user); RFC 7644 §3.5.1",
        request: |f| {
            let mut user = f
                .fetched
                .clone()
                .ok_or("needs the user read by user.get-by-id")?;
            user["name"]["givenName"] = json!("Another");
            Ok(Call::put(&user_path(f)?, user))
        },
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.user.as_deref()) {
                p.user_fields(body, USER_NAME, "Another", "User");
            }
        },
    },
    Probe {
        id: "okta.update.persisted",
        source: "RFC 7644 §3.5.1; Okta CRUD test §12.2 step 5",
        request: |f| Ok(Call::get(&user_path(f)?)),
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.user.as_deref()) {
                p.user_fields(body, USER_NAME, "Another", "User");
            }
        },
    },
    Probe {
        id: "okta.deactivate.patch",
        source: "okta-scim-wire §5.1; RFC 7644 §3.5.2 (200 with the resource, or 204)",
        request: |f| Ok(Call::patch(&user_path(f)?, okta_set_active(false))),
        judge: |a, f, p| {
            if let Some(body) = p.patched(a, f.user.as_deref()) {
                p.active(body, false);
            }
        },
    },
    Probe {
        id: "okta.deactivate.shows-inactive",
        source: "okta-scim-wire §5.1; Okta CRUD test §12.2 step 6",
        request: |f| Ok(Call::get(&user_path(f)?)),
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.user.as_deref()) {
                p.active(body, false);
            }
        },
    },
    Probe {
        id: "okta.reactivate.patch",
        source: "okta-scim-wire §5.4; RFC 7644 §3.5.2 (200 with the resource, or 204)",
        request: |f| Ok(Call::patch(&user_path(f)?, okta_set_active(true))),
        judge: |a, f, p| {
            if let Some(body) = p.patched(a, f.user.as_deref()) {
                p.active(body, true);
            }
        },
    },
    Probe {
        id: "okta.reactivate.shows-active",
        source: "okta-scim-wire §5.4 (same id, active); Okta CRUD test §12.2 step 7",
        request: |f| Ok(Call::get(&user_path(f)?)),
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.user.as_deref()) {
                p.active(body, true);
            }
        },
    },
    // --- errors ---
    Probe {
        id: "error.unknown-user-is-404",
        source: "RFC 7644 §3.4.1, §3.12; Okta SPEC test §12.1 step 4 (detail)",
        request: |_| Ok(Call::get(&format!("/Users/{UNKNOWN_ID}"))),
        judge: |a, _, p| p.error(a, 404, None, true),
    },
    Probe {
        id: "auth.wrong-token-is-401",
        source: "RFC 7644 §3.12 (401); Okta SPEC test §12.1 step 11",
        request: |_| {
            let mut call = Call::get(&user_lookup(USER_NAME));
            call.wrong_token = true;
            Ok(call)
        },
        judge: |a, _, p| p.error(a, 401, None, true),
    },
    // --- paging over five users ---
    Probe {
        id: "paging.create-user-2",
        source: "okta-scim-wire §3.2; RFC 7644 §3.3",
        request: |_| Ok(crowd_post(2)),
        judge: |a, f, p| f.crowd.extend(p.created_crowd_user(a, 2)),
    },
    Probe {
        id: "paging.create-user-3",
        source: "okta-scim-wire §3.2; RFC 7644 §3.3",
        request: |_| Ok(crowd_post(3)),
        judge: |a, f, p| f.crowd.extend(p.created_crowd_user(a, 3)),
    },
    Probe {
        id: "paging.create-user-4",
        source: "okta-scim-wire §3.2; RFC 7644 §3.3",
        request: |_| Ok(crowd_post(4)),
        judge: |a, f, p| f.crowd.extend(p.created_crowd_user(a, 4)),
    },
    Probe {
        id: "paging.create-user-5",
        source: "okta-scim-wire §3.2; RFC 7644 §3.3",
        request: |_| Ok(crowd_post(5)),
        judge: |a, f, p| f.crowd.extend(p.created_crowd_user(a, 5)),
    },
    Probe {
        id: "paging.page-1",
        source: "RFC 7644 §3.4.2, §3.4.2.4; okta-scim-wire §6 (integers, stable order)",
        request: |f| page_call(f, 1),
        judge: |a, f, p| p.page(a, f, 1),
    },
    Probe {
        id: "paging.page-3",
        source: "RFC 7644 §3.4.2, §3.4.2.4; okta-scim-wire §6 (integers, stable order)",
        request: |f| page_call(f, 3),
        judge: |a, f, p| p.page(a, f, 3),
    },
    Probe {
        id: "paging.page-5",
        source: "RFC 7644 §3.4.2, §3.4.2.4; okta-scim-wire §6 (every user exactly once)",
        request: |f| page_call(f, 5),
        judge: |a, f, p| {
            p.page(a, f, 5);
            p.every_user_once(f);
        },
    },
    // --- a pushed group's lifecycle as Okta (OIN) sends it ---
    Probe {
        id: "okta.push-group.lookup-misses",
        source: "okta-scim-wire §8.1 step 1; RFC 7644 §3.4.2 (no match: 200, totalResults 0)",
        request: |_| Ok(Call::get(&group_lookup(GROUP_NAME))),
        judge: |a, _, p| {
            p.total(a, Page::new(1, 100), 0);
        },
    },
    Probe {
        id: "okta.push-group.create",
        source: "okta-scim-wire §8.1 step 2; RFC 7644 §3.3, §3.1",
        request: |_| {
            let group = json!({"schemas": [GROUP_URN], "displayName": GROUP_NAME, "members": []});
            Ok(Call::post("/Groups", group))
        },
        judge: |a, f, p| {
            let Some(body) = p.resource(a, &[201], None) else {
                return;
            };
            p.display_name(body, GROUP_NAME);
            f.group = p.id(body).map(str::to_owned);
            if let Some(id) = &f.group {
                p.location(a, id);
            }
        },
    },
    Probe {
        id: "okta.push-group.lookup-finds-group",
        source: "okta-scim-wire §8.1 step 1; RFC 7644 §3.4.2.2",
        request: |f| {
            f.group.as_ref().ok_or(NEEDS_GROUP)?;
            Ok(Call::get(&group_lookup(GROUP_NAME)))
        },
        judge: |a, f, p| p.finds(a, f.group.as_deref()),
    },
    Probe {
        id: "okta.push-group.rename",
        source: "okta-scim-wire §8.1 step 3, §8.5 (path-less replace); RFC 7644 §3.5.2.3",
        request: |f| {
            let id = f.group.as_ref().ok_or(NEEDS_GROUP)?;
            let body = patch(
                json!([{"op": "replace", "value": {"id": id, "displayName": GROUP_RENAMED}}]),
            );
            Ok(Call::patch(&group_path(f)?, body))
        },
        judge: |a, f, p| {
            if let Some(body) = p.patched(a, f.group.as_deref()) {
                p.display_name(body, GROUP_RENAMED);
            }
        },
    },
    Probe {
        id: "okta.push-group.add-members",
        source: "okta-scim-wire §8.4; RFC 7644 §3.5.2.1",
        request: |f| {
            let (user, other) = two_members(f)?;
            let body = patch(json!([{"op": "add", "path": "members", "value": [
                {"value": user, "display": USER_NAME},
                {"value": other, "display": crowd_name(2)},
            ]}]));
            Ok(Call::patch(&group_path(f)?, body))
        },
        judge: |a, f, p| {
            if let Some(body) = p.patched(a, f.group.as_deref()) {
                p.members_if_listed(body, &f.members_added());
            }
        },
    },
    Probe {
        id: "group.shows-members",
        source: "RFC 7644 §3.4.1; RFC 7643 §4.2",
        request: |f| {
            two_members(f)?;
            Ok(Call::get(&group_path(f)?))
        },
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.group.as_deref()) {
                p.display_name(body, GROUP_RENAMED);
                p.members(body, &f.members_added());
            }
        },
    },
    Probe {
        id: "okta.push-group.remove-member",
        source: "okta-scim-wire §8.4 (members[value eq \"…\"]); RFC 7644 §3.5.2.2",
        request: |f| {
            let (_, other) = two_members(f)?;
            let path = format!("members[value eq \"{other}\"]");
            let body = patch(json!([{"op": "remove", "path": path}]));
            Ok(Call::patch(&group_path(f)?, body))
        },
        judge: |a, f, p| {
            if let Some(body) = p.patched(a, f.group.as_deref()) {
                p.members_if_listed(body, &f.members_kept());
            }
        },
    },
    Probe {
        id: "group.shows-member-removed",
        source: "RFC 7644 §3.5.2.2",
        request: |f| {
            two_members(f)?;
            Ok(Call::get(&group_path(f)?))
        },
        judge: |a, f, p| {
            if let Some(body) = p.resource(a, &[200], f.group.as_deref()) {
                p.members(body, &f.members_kept());
            }
        },
    },
    Probe {
        id: "group.delete",
        source: "RFC 7644 §3.6 (204); okta-scim-wire §13 (unlink, delete in app)",
        request: |f| Ok(Call::delete(&group_path(f)?)),
        judge: |a, _, p| {
            p.status(a, &[204]);
        },
    },
    Probe {
        id: "group.deleted-is-404",
        source: "RFC 7644 §3.6 (MUST return 404), §3.12",
        request: |f| Ok(Call::get(&group_path(f)?)),
        judge: |a, _, p| p.error(a, 404, None, false),
    },
    // --- invalid filters ---
    Probe {
        id: "filter.unknown-operator-is-400",
        source: "RFC 7644 §3.4.2.2 (unrecognized operation: 400 invalidFilter, e.g. 'regex')",
        request: |_| Ok(Call::get("/Users?filter=userName%20regex%20%22x%22")),
        judge: |a, _, p| p.error(a, 400, Some("invalidFilter"), false),
    },
    Probe {
        id: "filter.missing-value-is-400",
        source: "RFC 7644 §3.4.2.2 (Figure 1 ABNF: attrPath SP compareOp SP compValue), §3.12 Table 9",
        request: |_| Ok(Call::get("/Users?filter=userName%20eq")),
        judge: |a, _, p| p.error(a, 400, Some("invalidFilter"), false),
    },
];

const NEEDS_USER: Blocked = "needs the user created by okta.create.post-user";
const NEEDS_GROUP: Blocked = "needs the group created by okta.push-group.create";

fn user_path(facts: &Facts) -> Result<String, Blocked> {
    let id = facts.user.as_ref().ok_or(NEEDS_USER)?;
    Ok(format!("/Users/{}", encode(id)))
}

fn group_path(facts: &Facts) -> Result<String, Blocked> {
    let id = facts.group.as_ref().ok_or(NEEDS_GROUP)?;
    Ok(format!("/Groups/{}", encode(id)))
}

/// Okta's test user and the first crowd user, both needed as members.
fn two_members(facts: &Facts) -> Result<(&str, &str), Blocked> {
    let user = facts.user.as_deref().ok_or(NEEDS_USER)?;
    let other = facts
        .crowd
        .first()
        .ok_or("needs the user created by paging.create-user-2")?;
    Ok((user, other))
}

/// Okta's existence check (okta-scim-wire §3.1), encoded as Okta does.
fn user_lookup(user_name: &str) -> String {
    let filter = encode(&format!("userName eq \"{user_name}\""));
    format!("/Users?filter={filter}&startIndex=1&count=100")
}

/// Okta's group lookup (okta-scim-wire §8.1 step 1).
fn group_lookup(name: &str) -> String {
    let filter = encode(&format!("displayName eq \"{name}\""));
    format!("/Groups?filter={filter}&startIndex=1&count=100")
}

/// Percent-encodes all but RFC 3986 unreserved characters: space as `%20`,
/// quote as `%22`, `@` as `%40`, as Okta sends them (okta-scim-wire §3.1).
fn encode(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The paging probes' user `n` (2 to 5): `peer.user{n}@acme.com`, Peer
/// User{n}.
fn crowd_name(n: u8) -> String {
    format!("peer.user{n}@acme.com")
}

fn crowd_post(n: u8) -> Call {
    let family = format!("User{n}");
    Call::post("/Users", okta_user(&crowd_name(n), "Peer", &family, n))
}

/// Okta's create body, field for field (okta-scim-wire §3.2); `n` makes
/// the `externalId` (Okta's user id) unique.
fn okta_user(user_name: &str, given: &str, family: &str, n: u8) -> Value {
    json!({
        "schemas": [USER_URN],
        "userName": user_name,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"primary": true, "value": user_name, "type": "work"}],
        "displayName": format!("{given} {family}"),
        "locale": "en-US",
        "externalId": format!("00ujl29u0le5T6Aj10h{n}"),
        "groups": [],
        "password": "1mz050nq",
        "active": true,
    })
}

/// Okta's deactivate/reactivate PATCH: one path-less replace
/// (okta-scim-wire §5.1, §5.4).
fn okta_set_active(active: bool) -> Value {
    patch(json!([{"op": "replace", "value": {"active": active}}]))
}

fn patch(operations: Value) -> Value {
    json!({"schemas": [PATCH_URN], "Operations": operations})
}

/// Pages advance by `count` as Okta's import does (okta-scim-wire §6).
const PAGE_SIZE: u64 = 2;

fn page_call(facts: &Facts, start_index: u64) -> Result<Call, Blocked> {
    if facts.user.is_none() || facts.crowd.len() < 4 {
        return Err("needs the five users of okta.create.post-user and paging.create-user-*");
    }
    Ok(Call::get(&format!(
        "/Users?startIndex={start_index}&count={PAGE_SIZE}"
    )))
}

fn judge_service_provider_config(answer: &Answer, _: &mut Facts, p: &mut Problems) {
    let Some(body) = p.json(answer, &[200]) else {
        return;
    };
    p.expect(has_schema(body, SPC_URN), || {
        format!("schemas lacks {SPC_URN} (RFC 7644 §4: SHALL)")
    });
    for feature in ["patch", "bulk", "filter", "changePassword", "sort", "etag"] {
        let supported = body.pointer(&format!("/{feature}/supported"));
        p.expect(supported.is_some_and(Value::is_boolean), || {
            format!(
                "{feature}.supported is {} (RFC 7643 §5: a REQUIRED boolean)",
                shown(supported)
            )
        });
    }
    for pointer in [
        "/bulk/maxOperations",
        "/bulk/maxPayloadSize",
        "/filter/maxResults",
    ] {
        let value = body.pointer(pointer);
        p.expect(value.is_some_and(Value::is_u64), || {
            format!(
                "{pointer} is {} (RFC 7643 §5: a REQUIRED integer)",
                shown(value)
            )
        });
    }
    p.expect(
        body.get("authenticationSchemes")
            .is_some_and(Value::is_array),
        || "no authenticationSchemes list (RFC 7643 §5: REQUIRED)".to_string(),
    );
}

fn judge_resource_types(answer: &Answer, _: &mut Facts, p: &mut Problems) {
    let Some(resources) = p.list(answer, None) else {
        return;
    };
    for (endpoint, urn) in [("/Users", USER_URN), ("/Groups", GROUP_URN)] {
        let found = resources.iter().any(|r| {
            str_at(r, "/endpoint").is_some_and(|e| e.ends_with(endpoint))
                && str_at(r, "/schema") == Some(urn)
        });
        p.expect(found, || {
            format!("no resource type with endpoint {endpoint} and schema {urn} (RFC 7643 §6)")
        });
    }
}

fn judge_schemas(answer: &Answer, _: &mut Facts, p: &mut Problems) {
    let Some(resources) = p.list(answer, None) else {
        return;
    };
    let schema = |urn: &str| resources.iter().find(|r| str_at(r, "/id") == Some(urn));
    p.expect(schema(GROUP_URN).is_some(), || {
        format!("no schema {GROUP_URN} (RFC 7644 §4: all supported schemas)")
    });
    let Some(user) = schema(USER_URN) else {
        p.push(format!(
            "no schema {USER_URN} (RFC 7644 §4: all supported schemas)"
        ));
        return;
    };
    let user_name = user["attributes"].as_array().and_then(|attributes| {
        attributes
            .iter()
            .find(|a| str_at(a, "/name").is_some_and(|n| n.eq_ignore_ascii_case("userName")))
    });
    match user_name {
        None => p.push("the User schema has no userName attribute (RFC 7643 §4.1.1)"),
        Some(attribute) => p.expect(attribute["caseExact"].as_bool() != Some(true), || {
            "userName is declared caseExact true (RFC 7643 §4.1.1: case insensitive)".into()
        }),
    }
}

// ---------------------------------------------------------------------------
// Judging answers
// ---------------------------------------------------------------------------

/// Every way an answer falls short of its probe's expectation.
#[derive(Default)]
struct Problems(Vec<String>);

/// The page a list request asked for.
#[derive(Clone, Copy)]
struct Page {
    start_index: u64,
    count: u64,
}

impl Page {
    fn new(start_index: u64, count: u64) -> Self {
        Page { start_index, count }
    }
}

impl Problems {
    fn push(&mut self, problem: impl Into<String>) {
        self.0.push(problem.into());
    }

    fn expect(&mut self, ok: bool, problem: impl FnOnce() -> String) {
        if !ok {
            self.0.push(problem());
        }
    }

    /// Whether the status is one of `allowed`; a problem when not.
    fn status(&mut self, answer: &Answer, allowed: &[u16]) -> bool {
        let ok = allowed.contains(&answer.status);
        self.expect(ok, || {
            let allowed: Vec<String> = allowed.iter().map(u16::to_string).collect();
            format!(
                "status {}, expected {}",
                answer.status,
                allowed.join(" or ")
            )
        });
        ok
    }

    /// The JSON body of an answer with an allowed status.
    fn json<'a>(&mut self, answer: &'a Answer, allowed: &[u16]) -> Option<&'a Value> {
        if !self.status(answer, allowed) {
            return None;
        }
        let body = answer.json.as_ref().filter(|b| b.is_object());
        self.expect(body.is_some(), || {
            "the body is not a JSON object (RFC 7644 §3.1, §3.4.1: the resource; Okta \
             fails a create answered with an empty body, okta-scim-wire §3.2)"
                .into()
        });
        body
    }

    /// A resource with a non-empty `id` (equal to `id` when given).
    fn resource<'a>(
        &mut self,
        answer: &'a Answer,
        allowed: &[u16],
        id: Option<&str>,
    ) -> Option<&'a Value> {
        let body = self.json(answer, allowed)?;
        if let (Some(seen), Some(expected)) = (self.id(body), id) {
            self.expect(seen == expected, || {
                format!("id is {seen:?}, expected {expected:?} (RFC 7643 §3.1: stable)")
            });
        }
        Some(body)
    }

    fn id<'a>(&mut self, body: &'a Value) -> Option<&'a str> {
        let id = str_at(body, "/id").filter(|id| !id.is_empty());
        self.expect(id.is_some(), || {
            "no non-empty id (RFC 7643 §3.1: MUST)".into()
        });
        id
    }

    /// A PATCH answer: 200 with the whole resource, or 204 with none
    /// (RFC 7644 §3.5.2). The resource when there is one.
    fn patched<'a>(&mut self, answer: &'a Answer, id: Option<&str>) -> Option<&'a Value> {
        if answer.status == 204 {
            return None;
        }
        self.resource(answer, &[200, 204], id)
    }

    /// A user created from Okta's body (201, the user echoed as Okta's SPEC
    /// test asserts, §12.1 step 6); its id.
    fn created_user(
        &mut self,
        answer: &Answer,
        user_name: &str,
        given: &str,
        family: &str,
    ) -> Option<String> {
        let body = self.json(answer, &[201])?;
        let id = self.id(body)?.to_owned();
        self.user_fields(body, user_name, given, family);
        self.active(body, true);
        self.expect(!has_key(body, "password"), || {
            "the password is returned (RFC 7643 §4.1.1: SHALL NOT be returnable)".into()
        });
        Some(id)
    }

    fn created_crowd_user(&mut self, answer: &Answer, n: u8) -> Option<String> {
        self.created_user(answer, &crowd_name(n), "Peer", &format!("User{n}"))
    }

    fn user_name(&mut self, body: &Value, user_name: &str) {
        let seen = str_at(body, "/userName");
        // caseExact false: the server MAY alter its case (RFC 7643 §7).
        self.expect(
            seen.is_some_and(|s| s.eq_ignore_ascii_case(user_name)),
            || {
                format!(
                    "userName is {}, expected {user_name:?}",
                    shown(body.get("userName"))
                )
            },
        );
    }

    fn user_fields(&mut self, body: &Value, user_name: &str, given: &str, family: &str) {
        self.user_name(body, user_name);
        for (pointer, expected) in [("/name/givenName", given), ("/name/familyName", family)] {
            self.expect(str_at(body, pointer) == Some(expected), || {
                format!(
                    "{} is {}, expected {expected:?}",
                    &pointer[1..].replace('/', "."),
                    shown(body.pointer(pointer))
                )
            });
        }
    }

    fn active(&mut self, body: &Value, expected: bool) {
        self.expect(body.get("active") == Some(&Value::Bool(expected)), || {
            format!(
                "active is {}, expected {expected} (a JSON boolean)",
                shown(body.get("active"))
            )
        });
    }

    fn display_name(&mut self, body: &Value, expected: &str) {
        self.expect(str_at(body, "/displayName") == Some(expected), || {
            format!(
                "displayName is {}, expected {expected:?}",
                shown(body.get("displayName"))
            )
        });
    }

    /// The created resource's URI in the `Location` header and in
    /// `meta.location` (RFC 7644 §3.1: SHALL), absolute (RFC 7643 §3.1: "the
    /// URI of the resource").
    fn location(&mut self, answer: &Answer, id: &str) {
        let meta = answer
            .json
            .as_ref()
            .and_then(|b| str_at(b, "/meta/location"));
        match (&answer.location, meta) {
            (None, _) => self.push("no Location header (RFC 7644 §3.1: SHALL)"),
            (Some(header), Some(meta)) if header != meta => self.push(format!(
                "Location header {header:?} differs from meta.location {meta:?} (RFC 7644 §3.1)"
            )),
            _ => {}
        }
        match meta {
            None => self.push("no meta.location (RFC 7644 §3.1: SHALL)"),
            Some(meta) => {
                self.expect(
                    meta.starts_with("http://") || meta.starts_with("https://"),
                    || format!("meta.location {meta:?} is not an absolute URI (RFC 7643 §3.1)"),
                );
                self.expect(meta.trim_end_matches('/').ends_with(id), || {
                    format!(
                        "meta.location {meta:?} does not end with the id {id:?} (RFC 7644 §3.4.1)"
                    )
                });
            }
        }
    }

    /// The group's members are exactly `expected` (no `members` = none,
    /// RFC 7643 §2.5).
    fn members(&mut self, body: &Value, expected: &BTreeSet<String>) {
        let seen = member_values(body);
        self.expect(seen == *expected, || {
            format!("members are {seen:?}, expected {expected:?}")
        });
    }

    /// As [`Problems::members`] when the answer lists members at all: Okta
    /// accepts `"members": null` in a group PATCH answer (okta-scim-wire
    /// §2.3); the following GET judges them.
    fn members_if_listed(&mut self, body: &Value, expected: &BTreeSet<String>) {
        if body.get("members").is_some_and(Value::is_array) {
            self.members(body, expected);
        }
    }

    /// A SCIM error answer (RFC 7644 §3.12): the status, the Error URN, the
    /// status again as a JSON string, the `scimType` when one is required,
    /// and a `detail` where Okta's SPEC test asserts one.
    fn error(&mut self, answer: &Answer, code: u16, scim_type: Option<&str>, detail: bool) {
        if !self.status(answer, &[code]) {
            return;
        }
        let Some(body) = answer.json.as_ref().filter(|b| b.is_object()) else {
            self.push("no JSON error body (RFC 7644 §3.12: MUST)");
            return;
        };
        self.expect(has_schema(body, ERROR_URN), || {
            format!("schemas lacks {ERROR_URN} (RFC 7644 §3.12)")
        });
        self.expect(str_at(body, "/status") == Some(&code.to_string()), || {
            format!(
                "status is {}, expected the string \"{code}\" (RFC 7644 §3.12: a JSON string)",
                shown(body.get("status"))
            )
        });
        if let Some(scim_type) = scim_type {
            self.expect(str_at(body, "/scimType") == Some(scim_type), || {
                format!(
                    "scimType is {}, expected {scim_type:?} (RFC 7644 §3.12 Table 9)",
                    shown(body.get("scimType"))
                )
            });
        }
        if detail {
            self.expect(
                str_at(body, "/detail").is_some_and(|d| !d.trim().is_empty()),
                || "no detail (Okta's SPEC test asserts one, okta-scim-wire §12.1)".into(),
            );
        }
    }

    /// A ListResponse (RFC 7644 §3.4.2); its `Resources`. With a `page`,
    /// also the pagination rules of §3.4.2.4.
    fn list<'a>(&mut self, answer: &'a Answer, page: Option<Page>) -> Option<Vec<&'a Value>> {
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
    fn total<'a>(&mut self, answer: &'a Answer, page: Page, total: u64) -> Option<Vec<&'a Value>> {
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
    fn finds(&mut self, answer: &Answer, id: Option<&str>) {
        let Some(resources) = self.total(answer, Page::new(1, 100), 1) else {
            return;
        };
        let ids: Vec<Option<&str>> = resources.iter().map(|r| str_at(r, "/id")).collect();
        self.expect(ids == [id], || {
            format!("Resources hold ids {ids:?}, expected [{id:?}]")
        });
    }

    /// One page of the five users; remembers their ids.
    fn page(&mut self, answer: &Answer, facts: &mut Facts, start_index: u64) {
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
    /// `count` and needs a stable order, okta-scim-wire §6).
    fn every_user_once(&mut self, facts: &Facts) {
        let mut expected: Vec<&String> = facts.user.iter().chain(&facts.crowd).collect();
        expected.sort();
        let mut seen: Vec<&String> = facts.paged.iter().collect();
        seen.sort();
        self.expect(seen == *expected, || {
            format!("pages 1, 3, 5 listed {seen:?}, expected each of {expected:?} once")
        });
    }
}

fn str_at<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

fn has_schema(body: &Value, urn: &str) -> bool {
    body["schemas"]
        .as_array()
        .is_some_and(|schemas| schemas.iter().any(|s| s.as_str() == Some(urn)))
}

/// Whether `key` appears anywhere in `value` (at any depth).
fn has_key(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| k == key || has_key(v, key)),
        Value::Array(items) => items.iter().any(|v| has_key(v, key)),
        _ => false,
    }
}

fn member_values(body: &Value) -> BTreeSet<String> {
    body["members"]
        .as_array()
        .map(|members| {
            members
                .iter()
                .filter_map(|m| str_at(m, "/value").map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A value for a message: its JSON, or `absent`.
fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "absent".to_string(), Value::to_string)
}

// ---------------------------------------------------------------------------
// Running probes against a target
// ---------------------------------------------------------------------------

/// A SCIM base URL and its bearer token.
struct Target {
    name: &'static str,
    base_url: String,
    token: String,
}

/// A request as Okta's client sends it (okta-scim-wire §2.1).
struct Call {
    method: Method,
    /// From the base URL, query included, already encoded.
    path: String,
    body: Option<Value>,
    /// Send a token the target does not accept.
    wrong_token: bool,
}

impl Call {
    fn new(method: Method, path: &str, body: Option<Value>) -> Self {
        Call {
            method,
            path: path.to_string(),
            body,
            wrong_token: false,
        }
    }

    fn get(path: &str) -> Self {
        Call::new(Method::GET, path, None)
    }

    fn post(path: &str, body: Value) -> Self {
        Call::new(Method::POST, path, Some(body))
    }

    fn put(path: &str, body: Value) -> Self {
        Call::new(Method::PUT, path, Some(body))
    }

    fn patch(path: &str, body: Value) -> Self {
        Call::new(Method::PATCH, path, Some(body))
    }

    fn delete(path: &str) -> Self {
        Call::new(Method::DELETE, path, None)
    }
}

/// What a target answered.
struct Answer {
    status: u16,
    location: Option<String>,
    text: String,
    /// `None` when the body is empty or not JSON.
    json: Option<Value>,
}

impl Answer {
    /// `HTTP 200 {"schemas":…` cut short, for the table.
    fn excerpt(&self) -> String {
        let text: String = self
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(160)
            .collect();
        if text.is_empty() {
            format!("HTTP {}", self.status)
        } else {
            format!("HTTP {} {text}", self.status)
        }
    }
}

/// One probe's result on one target.
struct Outcome {
    probe: &'static str,
    source: &'static str,
    method: Method,
    status: Option<u16>,
    verdict: Verdict,
}

#[derive(Debug)]
enum Verdict {
    Passed,
    Failed {
        problems: Vec<String>,
        seen: String,
    },
    /// Not sent: an earlier probe it depends on failed.
    NotSent(String),
}

impl Verdict {
    fn passed(&self) -> bool {
        matches!(self, Verdict::Passed)
    }

    fn label(&self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed { .. } => "FAILED",
            Verdict::NotSent(_) => "not sent",
        }
    }
}

/// Every probe, in order, against `target`.
async fn run_probes(target: &Target) -> Vec<Outcome> {
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        // scim2-server speaks HTTP/1.0, one connection per request: never
        // reuse a connection (the README of ../shared/targets).
        .pool_max_idle_per_host(0)
        .build()
        .unwrap_or_else(|e| panic!("reqwest client: {e}"));
    let mut facts = Facts::default();
    let mut unanswered = 0;
    let mut outcomes = Vec::new();
    for probe in PROBES {
        let mut outcome = Outcome {
            probe: probe.id,
            source: probe.source,
            method: Method::GET,
            status: None,
            verdict: Verdict::Passed,
        };
        if unanswered >= GIVE_UP_AFTER {
            outcome.verdict = Verdict::NotSent(format!("{} stopped answering", target.name));
            outcomes.push(outcome);
            continue;
        }
        let call = match (probe.request)(&facts) {
            Ok(call) => call,
            Err(blocked) => {
                outcome.verdict = Verdict::NotSent(blocked.to_string());
                outcomes.push(outcome);
                continue;
            }
        };
        outcome.method = call.method.clone();
        outcome.verdict = match send(&http, target, &call).await {
            Err(error) => {
                unanswered += 1;
                Verdict::Failed {
                    problems: vec![format!("no answer: {error}")],
                    seen: "-".into(),
                }
            }
            Ok(answer) => {
                unanswered = 0;
                outcome.status = Some(answer.status);
                let mut problems = Problems::default();
                (probe.judge)(&answer, &mut facts, &mut problems);
                if problems.0.is_empty() {
                    Verdict::Passed
                } else {
                    Verdict::Failed {
                        problems: problems.0,
                        seen: answer.excerpt(),
                    }
                }
            }
        };
        outcomes.push(outcome);
    }
    outcomes
}

async fn send(http: &reqwest::Client, target: &Target, call: &Call) -> Result<Answer, String> {
    let token = if call.wrong_token {
        "not-the-token"
    } else {
        &target.token
    };
    let url = format!("{}{}", target.base_url.trim_end_matches('/'), call.path);
    let mut request = http
        .request(call.method.clone(), url)
        .header(USER_AGENT, "Okta SCIM Client 1.0.0")
        .header(ACCEPT, "application/scim+json")
        .header(ACCEPT_CHARSET, "utf-8")
        .bearer_auth(token);
    if let Some(body) = &call.body {
        request = request
            .header(CONTENT_TYPE, "application/scim+json; charset=utf-8")
            .body(body.to_string());
    }
    let response = request.send().await.map_err(|e| error_chain(&e))?;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.map_err(|e| error_chain(&e))?;
    let json = serde_json::from_str(&text).ok();
    Ok(Answer {
        status,
        location,
        text,
        json,
    })
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// Probes `peer` passed that `reference` did not.
fn passed_only_by(peer: &[Outcome], reference: &[Outcome]) -> Vec<&'static str> {
    peer.iter()
        .filter(|o| o.verdict.passed())
        .filter(|o| {
            !reference
                .iter()
                .any(|r| r.probe == o.probe && r.verdict.passed())
        })
        .map(|o| o.probe)
        .collect()
}

/// Every probe that did not pass, with what was expected and seen.
fn render_failures(outcomes: &[Outcome]) -> String {
    let mut text = String::new();
    for outcome in outcomes {
        match &outcome.verdict {
            Verdict::Passed => {}
            Verdict::Failed { problems, seen } => {
                text.push_str(&format!("FAILED {}  [{}]\n", outcome.probe, outcome.source));
                for problem in problems {
                    text.push_str(&format!("  problem   {problem}\n"));
                }
                text.push_str(&format!("  seen      {seen}\n"));
            }
            Verdict::NotSent(why) => {
                text.push_str(&format!("NOT SENT {}: {why}\n", outcome.probe));
            }
        }
    }
    text
}

/// The verdict of every probe on every target, then each peer's failures.
fn render_table(runs: &[(&str, &Vec<Outcome>)]) -> String {
    let width = PROBES.iter().map(|p| p.id.len()).max().unwrap_or(0);
    let mut text = format!("{:width$}", "probe");
    for (name, _) in runs {
        text.push_str(&format!("  {name:12}"));
    }
    text.push('\n');
    for (i, probe) in PROBES.iter().enumerate() {
        text.push_str(&format!("{:width$}", probe.id));
        for (_, outcomes) in runs {
            let label = outcomes.get(i).map_or("-", |o| o.verdict.label());
            text.push_str(&format!("  {label:12}"));
        }
        text.push('\n');
    }
    for (name, outcomes) in runs {
        let failures = render_failures(outcomes);
        if !failures.is_empty() {
            text.push_str(&format!("\n{name}: where it deviates\n{failures}"));
        }
    }
    text
}

// ---------------------------------------------------------------------------
// Peer servers
// ---------------------------------------------------------------------------

/// A third-party SCIM server started by one of `../shared/targets`' scripts,
/// killed (with its process group) when dropped, also when a test panics.
struct PeerServer {
    name: &'static str,
    child: Child,
    base_url: String,
    token: String,
}

impl PeerServer {
    /// Starts `script` on a free loopback port and waits until it accepts
    /// connections.
    fn start(name: &'static str, script: &str) -> Result<PeerServer, String> {
        let port = free_port().map_err(|e| format!("{name}: no free port: {e}"))?;
        let mut child = Command::new(script)
            .arg(port.to_string())
            .env_remove("SCIM_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so Drop can end the script and anything
            // it started at once.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("{name}: cannot run {script}: {e}"))?;
        let stderr = drain(child.stderr.take());
        let lines = lines_of(child.stdout.take());
        let mut server = PeerServer {
            name,
            child,
            base_url: String::new(),
            token: String::new(),
        };
        let deadline = Instant::now() + READY_WITHIN;
        let ready = server
            .read_announcement(&lines, deadline)
            .and_then(|()| server.wait_until_accepting(deadline));
        match ready {
            Ok(()) => Ok(server),
            Err(e) => {
                // Killed first, so its stderr is closed and read to the end.
                drop(server);
                let tail = stderr.join().unwrap_or_default().join("\n");
                Err(format!("{name} ({script}): {e}\n--- its stderr\n{tail}"))
            }
        }
    }

    fn target(&self) -> Target {
        Target {
            name: self.name,
            base_url: self.base_url.clone(),
            token: self.token.clone(),
        }
    }

    /// `BASE_URL=` and `TOKEN=` from its stdout (scim2-server prints them
    /// first; SCIMMY after a banner line).
    fn read_announcement(
        &mut self,
        lines: &mpsc::Receiver<String>,
        deadline: Instant,
    ) -> Result<(), String> {
        while self.base_url.is_empty() || self.token.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = lines.recv_timeout(left).map_err(|e| match e {
                mpsc::RecvTimeoutError::Timeout => {
                    format!("printed no BASE_URL= and TOKEN= within {READY_WITHIN:?}")
                }
                mpsc::RecvTimeoutError::Disconnected => {
                    "exited before printing BASE_URL= and TOKEN=".to_string()
                }
            })?;
            if let Some(url) = line.strip_prefix("BASE_URL=") {
                self.base_url = url.trim().to_string();
            } else if let Some(token) = line.strip_prefix("TOKEN=") {
                self.token = token.trim().to_string();
            }
        }
        Ok(())
    }

    /// Connect attempts with a short backoff until the deadline. The scripts
    /// print BASE_URL before the server listens (scim2-server's is printed by
    /// the shell before it `exec`s Python), and a third-party process cannot
    /// be handed a pre-bound socket, so a bounded probe is the only way to
    /// know it is ready.
    fn wait_until_accepting(&mut self, deadline: Instant) -> Result<(), String> {
        let address = socket_address(&self.base_url)?;
        let mut pause = Duration::from_millis(20);
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(250)).is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("exited ({status}) before accepting connections"));
            }
            if Instant::now() + pause >= deadline {
                return Err(format!(
                    "accepted no connection on {address} within {READY_WITHIN:?}"
                ));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(250));
        }
    }
}

impl Drop for PeerServer {
    fn drop(&mut self) {
        // The script `exec`s the server, so the child's pid is the server's
        // and, with `process_group(0)`, also its group's id. The child is not
        // reaped yet, so the pid cannot have been reused.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now. The peer binds it a moment later;
/// another process could take it in between, which then shows as a peer that
/// does not start.
fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// `http://127.0.0.1:8091/v2` → `127.0.0.1:8091`.
fn socket_address(base_url: &str) -> Result<SocketAddr, String> {
    let authority = base_url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .ok_or_else(|| format!("BASE_URL {base_url:?} is not http://host:port/…"))?;
    authority
        .to_socket_addrs()
        .ok()
        .and_then(|mut addresses| addresses.next())
        .ok_or_else(|| format!("BASE_URL {base_url:?} names no reachable address"))
}

/// Each line of `stdout`, as it comes; the pipe keeps being drained after
/// the receiver is gone, so the server never blocks on a full pipe.
fn lines_of(stdout: Option<impl Read + Send + 'static>) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    if let Some(stdout) = stdout {
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
    }
    rx
}

/// Drains `stderr` to its end (so the server never blocks on a full pipe);
/// the thread answers its last lines, for start-up errors.
fn drain(stderr: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<String>> {
    std::thread::spawn(move || {
        let mut tail = Vec::new();
        if let Some(stderr) = stderr {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tail.len() == 20 {
                    tail.remove(0);
                }
                tail.push(line);
            }
        }
        tail
    })
}
