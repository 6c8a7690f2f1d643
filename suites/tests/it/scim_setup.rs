//! Starting state through SCIM (issue 12): on a target whose account
//! scimulate cannot see, a scenario's pre-existing people and groups are
//! made through the target's own SCIM API first, recorded as setup (their
//! own action and `User-Agent`), never judged as Okta's traffic, and
//! removed by cleanup; a state SCIM cannot express is skipped with that
//! reason.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use scimulate_simulator::{ClientSettings, Dialect, OktaClient, SystemClock, Target, Token};
use scimulate_suites::scim_setup::{self, ScimSetup, SetupGroup, SetupUser};
use scimulate_suites::{
    Embedded, EmbeddedOptions, ExternalTarget, Library, PlayOptions, RunOptions, Selection,
    TargetSpec, Verdict, play_external, run,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn user_agent(exchange: &scimulate_simulator::Exchange) -> &str {
    exchange
        .request
        .headers
        .iter()
        .find(|h| h.name == "user-agent")
        .map_or("", |h| h.value.as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_person_is_made_first_shown_as_setup_and_linked_by_okta() {
    let bridge = Embedded::start(Default::default(), EmbeddedOptions::default())
        .await
        .expect("the bridge starts");
    let scenario = Library::builtin()
        .scenario("existing-member-linked")
        .expect("a built-in scenario");
    let target = ExternalTarget {
        target: bridge.target(),
        observer: None,
    };
    let played = play_external(
        &scenario,
        Dialect::Oin,
        &target,
        "r0000a1s4",
        &PlayOptions::default(),
    )
    .await
    .expect("the scenario is played");
    let o = played.observation;
    let setup = o.setup.as_ref().expect("the starting state was made");
    let sent: Vec<String> = setup
        .exchanges
        .iter()
        .map(|e| format!("{} {} {}", e.action, e.request.method, e.request.path))
        .collect();
    assert_eq!(sent, ["setup POST /Users", "setup POST /Groups"]);
    for exchange in &setup.exchanges {
        // A probe: scimulate's own request, with scimulate's User-Agent.
        assert_eq!(
            user_agent(exchange),
            scimulate_simulator::SCIMULATE_USER_AGENT
        );
        assert!(user_agent(exchange).starts_with("scimulate/"));
    }
    assert_eq!(setup.users[0].user_name, "bob.r0000a1s4@acme.com");
    assert_eq!(setup.groups[0].display_name, "Engineering r0000a1s4");
    assert_eq!(setup.groups[0].members, [setup.users[0].id.clone()]);
    // Okta's part comes after, numbered after, and holds none of setup's.
    let first_okta = o.exchanges.first().expect("Okta sent requests");
    assert_eq!(first_okta.number, 3);
    assert!(
        o.exchanges.iter().all(|e| e.action != scim_setup::SETUP),
        "setup is not Okta's traffic"
    );
    // Okta's own requests say so; the read-backs after them are scimulate's.
    for e in &o.exchanges {
        let okta = e.action.starts_with("assign");
        let expected = if okta {
            scimulate_simulator::USER_AGENT
        } else {
            scimulate_simulator::SCIMULATE_USER_AGENT
        };
        assert_eq!(user_agent(e), expected, "{} {}", e.action, e.step);
    }
    // Okta's existence check found the person made first: linked, no POST.
    assert!(
        !o.exchanges
            .iter()
            .any(|e| e.request.method == "POST" && e.action.starts_with("assign")),
        "Okta created a second user"
    );
    let record = scimulate_suites::ScenarioRecord::from(&o);
    assert_eq!(record.transcript.len(), o.exchanges.len() + 2);
    assert_eq!(record.transcript[0].action, scim_setup::SETUP);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_judges_existing_people_black_box_and_cleans_up_what_setup_made() {
    let bridge = Embedded::start(Default::default(), EmbeddedOptions::default())
        .await
        .expect("the bridge starts");
    let mut options = RunOptions::new(TargetSpec::External {
        target: bridge.target().clone(),
        backend_url: None,
    });
    options.run_id = Some("r0000b2".into());
    options.email_domain = Some("acme.com".into());
    options.selection = Selection::new(
        &[
            "existing-member-linked::*".into(),
            "import-groups::*".into(),
            "guest-untouched::*".into(),
            "provisioning-off::*".into(),
        ],
        &[],
    )
    .expect("valid patterns");
    let record = run(options).await.expect("the run can be made");
    let verdict = |scenario: &str, id: &str| {
        record
            .results
            .iter()
            .find(|r| r.scenario == scenario && r.id == id)
            .map(|r| r.verdict.clone())
            .unwrap_or_else(|| panic!("no {scenario}::{id}"))
    };
    for (scenario, id) in [
        (
            "existing-member-linked",
            "okta.users.assign.links-existing-user",
        ),
        ("import-groups", "okta.import.groups.total-results"),
        ("import-groups", "okta.import.groups.lists-members"),
        ("import-groups", "okta.import.groups.every-group-once"),
    ] {
        assert_eq!(verdict(scenario, id), Verdict::Passed, "{scenario}::{id}");
    }
    for (scenario, state) in [
        ("guest-untouched", "needs a guest (gina@acme.com)"),
        (
            "provisioning-off",
            "needs an account with provisioning turned off",
        ),
    ] {
        let reasons: Vec<_> = record
            .results
            .iter()
            .filter(|r| r.scenario == scenario)
            .map(|r| match &r.verdict {
                Verdict::Skipped { reason } => reason.clone(),
                other => panic!("{scenario}::{} judged: {other:?}", r.id),
            })
            .collect();
        assert!(!reasons.is_empty());
        assert!(
            reasons
                .iter()
                .all(|r| r.contains(state) && r.contains("a state SCIM cannot express")),
            "{reasons:?}"
        );
    }
    // Everything setup made carries the run id: cleanup found it.
    let note = record.notes.join("\n");
    let made = record
        .scenarios
        .iter()
        .flat_map(|s| &s.transcript)
        .filter(|e| e.action == scim_setup::SETUP)
        .count();
    assert_eq!(made, 2 + 3, "bob + Engineering; bob + Design + Engineering");
    // Cleanup keeps counters, not exchanges: its line says how many of the
    // run's resources it found and that it removed every one of them.
    let line = record
        .notes
        .iter()
        .find(|n| n.starts_with("cleanup of run r0000b2:"))
        .unwrap_or_else(|| panic!("cleanup ran: {note}"));
    let (found, removed) = line
        .split_once(": ")
        .and_then(|(_, rest)| rest.split_once(" resource(s) found, "))
        .map(|(found, rest)| (found, rest.split(' ').next().unwrap_or_default()))
        .unwrap_or_else(|| panic!("{line}"));
    let (found, removed): (usize, usize) = (
        found.parse().expect("a count"),
        removed.parse().expect("a count"),
    );
    assert!(!line.contains("left"), "{line}");
    assert!(found >= made, "setup's {made} resources found: {line}");
    assert_eq!(found, removed, "{line}");
}

/// A raw loopback server: the first `POST /Users` answers 429 with
/// `Retry-After: 0`, every other POST 201 with a new id.
async fn rate_limited_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let posts = Arc::new(AtomicUsize::new(0));
    let counter = posts.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                // Headers, then as many body bytes as Content-Length says.
                loop {
                    let Ok(n) = socket.read(&mut buffer).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&buffer[..n]);
                    let text = String::from_utf8_lossy(&request).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let text = String::from_utf8_lossy(&request);
                let groups = text.starts_with("POST /Groups");
                let answer = if n == 0 {
                    "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 0\r\n\
                     Connection: close\r\n\r\n"
                        .to_string()
                } else {
                    let body = format!("{{\"id\":\"{}{n}\"}}", if groups { "G" } else { "U" });
                    format!(
                        "HTTP/1.1 201 Created\r\nContent-Type: application/scim+json\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    )
                };
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    (format!("http://{address}"), posts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_rides_out_a_429() {
    let (base_url, posts) = rate_limited_server().await;
    let client = OktaClient::new(
        Target::new(&base_url, Token::new("t")).expect("a target"),
        ClientSettings::default(),
        Arc::new(SystemClock),
    )
    .expect("a client");
    let plan = ScimSetup {
        users: vec![SetupUser {
            email: "ada@acme.com".into(),
            given_name: "Ada".into(),
            family_name: "L".into(),
            display_name: "Ada L".into(),
            active: false,
        }],
        groups: vec![SetupGroup {
            name: "Design".into(),
            members: vec!["ada@acme.com".into()],
        }],
        allowed_domains: Vec::new(),
    };
    let made = scim_setup::make(&client, &plan, "r1s0")
        .await
        .expect("made after the 429");
    assert_eq!(posts.load(Ordering::SeqCst), 3);
    assert_eq!(made.exchanges.len(), 3, "the 429 is kept as evidence");
    assert_eq!(made.users[0].id, "U1");
    assert!(!made.users[0].active);
    assert_eq!(made.groups[0].members, ["U1"]);
    let sent = made.exchanges[1].request.body.as_ref().expect("a body");
    assert_eq!(sent["active"], false, "a suspended person: active false");
    assert_eq!(sent["userName"], "ada.r1s0@acme.com");
}
