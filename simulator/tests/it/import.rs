//! *Import Now* of users and groups (docs/okta-wire.md#6-importing-users, §7, §9): paging,
//! matching, and servers that page wrongly.

use scimulate_simulator::{
    ActionResult, AdminAction, App, ClientSettings, Dialect, FailureKind, ImportMatching, OktaOrg,
    PagingAnomaly, PagingStop, UserImport, UserProfile,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::harness::{
    PREFIX, Run, app, app_user, assert_okta_headers, bearer, json_response, lines, scim_error,
};
use crate::script::Script;

/// A SCIM server's user or group list, paged by `startIndex`/`count` — or
/// not, to model broken servers.
struct Directory {
    resources: Vec<Value>,
    /// `totalResults` to claim (default: the real count).
    total: Option<u64>,
    /// Most resources a page holds, whatever `count` says.
    cap: usize,
    /// Always serve the first page.
    ignore_start: bool,
}

impl Directory {
    fn new(resources: Vec<Value>) -> Self {
        Self {
            resources,
            total: None,
            cap: usize::MAX,
            ignore_start: false,
        }
    }
}

impl Respond for Directory {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let param = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<usize>().ok())
        };
        let start = if self.ignore_start {
            1
        } else {
            param("startIndex").unwrap_or(1).max(1)
        };
        let count = param("count").unwrap_or(100).min(self.cap);
        let page: Vec<Value> = self
            .resources
            .iter()
            .skip(start - 1)
            .take(count)
            .cloned()
            .collect();
        json_response(
            200,
            json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                "totalResults": self.total.unwrap_or(self.resources.len() as u64),
                "startIndex": start,
                "itemsPerPage": page.len(),
                "Resources": page
            }),
        )
    }
}

/// App user `n`: `user0007@acme.com`; every tenth is `active:false`.
fn listed_user(n: usize) -> Value {
    app_user(
        &format!("app-{n:04}"),
        &format!("user{n:04}@acme.com"),
        !n.is_multiple_of(10),
    )
}

fn listed_users(count: usize) -> Vec<Value> {
    (1..=count).map(listed_user).collect()
}

/// An org whose users match app users 1, 10 (inactive in the app) and 249.
fn import_org(app: App) -> OktaOrg {
    let mut org = OktaOrg::new(1, app);
    for n in [1, 10, 249] {
        let login = format!("user{n:04}@acme.com");
        org.add_user(UserProfile::new(&login, &login, "User", format!("{n}")))
            .unwrap();
    }
    org
}

async fn serve_users(run: &Run, directory: Directory) {
    Mock::given(method("GET"))
        .and(path(format!("{PREFIX}/Users")))
        .respond_with(directory)
        .mount(&run.server)
        .await;
}

fn results(run: &Run) -> UserImport {
    run.engine
        .org()
        .user_import()
        .cloned()
        .expect("an import ran")
}

fn page_lines(starts: &[u64], resource: &str) -> Vec<String> {
    starts
        .iter()
        .map(|s| format!("GET /scim/v2/{resource}?startIndex={s}&count=100"))
        .collect()
}

#[tokio::test]
async fn an_import_of_250_users_pages_1_101_201_and_stops() {
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        let mut run = Run::with(import_org(app(dialect)), ClientSettings::default()).await;
        serve_users(&run, Directory::new(listed_users(250))).await;
        let outcome = run.succeeds(AdminAction::ImportUsers).await;
        let requests = run.requests().await;
        // §6 [DOC O-SCIM20]: count=100, startIndex+100 while 100·n < 250.
        assert_eq!(lines(&requests), page_lines(&[1, 101, 201], "Users"));
        for request in &requests {
            assert_okta_headers(request, &bearer());
            assert!(request.body.is_empty());
        }
        assert_eq!(outcome.exchanges, [1, 2, 3]);
        let import = results(&run);
        assert!(import.paging.is_clean(), "{:?}", import.paging);
        assert_eq!(import.paging.pages, 3);
        assert_eq!(import.paging.listed, 250);
        assert_eq!(import.paging.total_results, Some(250));
        // §6 [OBS R-ROSTR]: inactive users are not scanned.
        assert_eq!((import.inactive, import.scanned), (25, 225));
        let matched: Vec<_> = import
            .matched
            .iter()
            .map(|m| (m.scim_id.as_str(), m.okta_login.as_deref()))
            .collect();
        assert_eq!(
            matched,
            [
                ("app-0001", Some("user0001@acme.com")),
                ("app-0249", Some("user0249@acme.com"))
            ]
        );
        assert_eq!(import.unmatched.len(), 223);
        // Okta links on confirm: the SCIM id is stored, no write is sent.
        let org = run.engine.org();
        let linked = &org.user("user0249@acme.com").unwrap().app_user;
        assert_eq!(linked.scim_id.as_deref(), Some("app-0249"));
        assert!(linked.assigned);
        assert_eq!(
            org.user("user0010@acme.com").unwrap().app_user.scim_id,
            None
        );
    }
}

#[tokio::test]
async fn a_total_that_fills_the_last_page_sends_no_extra_request() {
    // §6: continue only while startIndex-1+100 < totalResults.
    for (count, starts) in [
        (0, &[1][..]),
        (100, &[1]),
        (200, &[1, 101]),
        (201, &[1, 101, 201]),
    ] {
        let mut run = Run::with(import_org(app(Dialect::Oin)), ClientSettings::default()).await;
        serve_users(&run, Directory::new(listed_users(count))).await;
        run.succeeds(AdminAction::ImportUsers).await;
        assert_eq!(
            lines(&run.requests().await),
            page_lines(starts, "Users"),
            "{count}"
        );
        assert_eq!(results(&run).paging.stop, PagingStop::Complete, "{count}");
    }
}

#[tokio::test]
async fn a_total_larger_than_served_stops_at_the_empty_page() {
    let mut run = Run::with(import_org(app(Dialect::Oin)), ClientSettings::default()).await;
    let mut directory = Directory::new(listed_users(150));
    directory.total = Some(1000);
    serve_users(&run, directory).await;
    run.succeeds(AdminAction::ImportUsers).await;
    assert_eq!(
        lines(&run.requests().await),
        page_lines(&[1, 101, 201], "Users")
    );
    let import = results(&run);
    assert_eq!(import.paging.stop, PagingStop::EmptyPage);
    assert_eq!(import.paging.listed, 150);
}

#[tokio::test]
async fn a_server_ignoring_start_index_is_bounded_and_reported() {
    let mut run = Run::with(import_org(app(Dialect::Oin)), ClientSettings::default()).await;
    let mut directory = Directory::new(listed_users(250));
    directory.ignore_start = true;
    serve_users(&run, directory).await;
    run.succeeds(AdminAction::ImportUsers).await;
    assert_eq!(run.requests().await.len(), 3);
    let import = results(&run);
    assert!(import.paging.start_index_ignored());
    assert_eq!(
        import.paging.anomalies,
        [
            PagingAnomaly::StartIndexIgnored {
                requested: 101,
                answered: 1
            },
            PagingAnomaly::RepeatedResources {
                start_index: 101,
                count: 100
            },
            PagingAnomaly::StartIndexIgnored {
                requested: 201,
                answered: 1
            },
            PagingAnomaly::RepeatedResources {
                start_index: 201,
                count: 100
            },
        ]
    );
    // Repeats are scanned once; user 249 was never served.
    assert_eq!(import.scanned, 90);
    assert_eq!(import.matched.len(), 1);

    // With a huge totalResults only the page bound ends it.
    let mut app = app(Dialect::Oin);
    app.import.max_pages = 5;
    let mut run = Run::with(import_org(app), ClientSettings::default()).await;
    let mut directory = Directory::new(listed_users(100));
    directory.ignore_start = true;
    directory.total = Some(1_000_000_000);
    serve_users(&run, directory).await;
    run.succeeds(AdminAction::ImportUsers).await;
    assert_eq!(
        lines(&run.requests().await),
        page_lines(&[1, 101, 201, 301, 401], "Users")
    );
    let import = results(&run);
    assert_eq!(import.paging.stop, PagingStop::PageLimit);
    assert_eq!(import.paging.pages, 5);
    assert!(import.paging.start_index_ignored());
}

#[tokio::test]
async fn short_pages_lose_users_and_are_reported() {
    // §6: Okta advances by 100 whatever a page held.
    let mut run = Run::with(import_org(app(Dialect::Oin)), ClientSettings::default()).await;
    let mut directory = Directory::new(listed_users(250));
    directory.cap = 50;
    serve_users(&run, directory).await;
    run.succeeds(AdminAction::ImportUsers).await;
    let import = results(&run);
    assert_eq!(import.paging.pages, 3);
    assert_eq!(import.paging.listed, 150);
    assert_eq!(
        import.paging.anomalies,
        [
            PagingAnomaly::ShortPage {
                start_index: 1,
                returned: 50
            },
            PagingAnomaly::ShortPage {
                start_index: 101,
                returned: 50
            },
        ]
    );
}

#[tokio::test]
async fn matching_is_case_sensitive_and_follows_the_rule() {
    let app_users = vec![
        // Same e-mail but for case: no e-mail match [DOC H-MATCH].
        json!({"id": "a1", "userName": "alice", "emails": [{"value": "Alice@acme.com"}]}),
        // userName equals the Okta login; e-mail differs.
        json!({"id": "b1", "userName": "bob@acme.com", "emails": [
            {"value": "other@acme.com"}, {"value": "bob@elsewhere.com", "primary": true}
        ]}),
        // Primary e-mail equals the Okta e-mail.
        json!({"id": "c1", "userName": "carol", "emails": [{"value": "carol@acme.com", "primary": true}]}),
    ];
    let cases = [
        (ImportMatching::Email, vec!["c1"]),
        (ImportMatching::Username, vec!["b1"]),
        (ImportMatching::EmailOrUsername, vec!["b1", "c1"]),
    ];
    for (rule, expected) in cases {
        let mut app = app(Dialect::Oin);
        app.import.matching = rule;
        let mut org = OktaOrg::new(1, app);
        for login in ["alice@acme.com", "bob@acme.com", "carol@acme.com"] {
            org.add_user(UserProfile::new(login, login, "A", "B"))
                .unwrap();
        }
        let mut run = Run::with(org, ClientSettings::default()).await;
        Script::new()
            .users_listed(app_users.clone())
            .mount(&run)
            .await;
        run.succeeds(AdminAction::ImportUsers).await;
        let matched: Vec<_> = results(&run)
            .matched
            .iter()
            .map(|m| m.scim_id.clone())
            .collect();
        assert_eq!(matched, expected, "{rule:?}");
    }
}

#[tokio::test]
async fn a_failed_page_fails_the_import_and_links_nothing() {
    let mut run = Run::with(import_org(app(Dialect::Oin)), ClientSettings::default()).await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::query_param("startIndex", "101"))
        .respond_with(json_response(500, scim_error(500, "database down")))
        .mount(&run.server)
        .await;
    serve_users(&run, Directory::new(listed_users(250))).await;
    let outcome = run.run(AdminAction::ImportUsers).await;
    assert_eq!(run.requests().await.len(), 2);
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.status, Some(500));
    // [UNCONFIRMED] wording, Okta's `<Okta message>: <remote message>` format.
    assert_eq!(
        failure.message,
        "Import of users from app 1Password Business failed: Error while listing users: \
         Internal Server Error. Errors reported by remote server: database down"
    );
    let import = results(&run);
    assert_eq!(import.paging.stop, PagingStop::Failed);
    let user = run.engine.org().user("user0001@acme.com").unwrap();
    assert_eq!(user.app_user.scim_id, None);
}

#[tokio::test]
async fn string_paging_values_fail_the_import() {
    // §2.3 [DOC O-SCIM20]: paging values must be JSON integers.
    let mut run = Run::with(import_org(app(Dialect::Oin)), ClientSettings::default()).await;
    let body = json!({"totalResults": "1", "startIndex": 1, "Resources": [listed_user(1)]});
    Script::new()
        .users("GET", json_response(200, body))
        .mount(&run)
        .await;
    let outcome = run.run(AdminAction::ImportUsers).await;
    let failure = outcome.failure().expect("failed");
    assert_eq!(failure.kind, FailureKind::InvalidJson);
    assert!(
        failure
            .message
            .ends_with("Invalid list response: totalResults must be a JSON integer, got \"1\""),
        "{}",
        failure.message
    );
}

#[tokio::test]
async fn a_group_import_records_app_groups_and_their_members() {
    for dialect in [Dialect::Oin, Dialect::Aiw] {
        let mut app = app(dialect);
        app.provisioning.import_groups = true;
        let mut run = Run::with(import_org(app), ClientSettings::default()).await;
        let mut groups: Vec<Value> = (1..=120)
            .map(|n| {
                json!({
                    "id": format!("g-{n:03}"),
                    "displayName": format!("Group {n}"),
                    "members": [{"value": "app-0001"}, {"value": format!("app-{n:04}")}]
                })
            })
            .collect();
        groups[4] = json!({"id": "g-005"});
        Mock::given(method("GET"))
            .and(path(format!("{PREFIX}/Groups")))
            .respond_with(Directory::new(groups))
            .mount(&run.server)
            .await;
        run.succeeds(AdminAction::ImportGroups).await;
        let requests = run.requests().await;
        // §7: `/Groups` with the same paging, no excludedAttributes.
        assert_eq!(lines(&requests), page_lines(&[1, 101], "Groups"));
        for request in &requests {
            assert_okta_headers(request, &bearer());
            assert!(request.body.is_empty());
        }
        let org = run.engine.org();
        assert_eq!(org.app_groups().len(), 119);
        let group = org.app_group("Group 120").expect("imported");
        assert_eq!(group.members, ["app-0001", "app-0120"]);
        let import = org.group_import().expect("ran");
        assert_eq!((import.scanned, import.memberships), (119, 238));
        assert_eq!(
            import.paging.anomalies,
            [PagingAnomaly::InvalidResources {
                start_index: 1,
                count: 1,
                reason: "no displayName".into()
            }]
        );
    }
}

#[tokio::test]
async fn a_group_import_needs_a_group_feature() {
    let mut run = Run::with(import_org(app(Dialect::Oin)), ClientSettings::default()).await;
    let outcome = run.run(AdminAction::ImportGroups).await;
    assert!(matches!(outcome.result, ActionResult::NotSent { .. }));
    assert!(run.requests().await.is_empty());
}
