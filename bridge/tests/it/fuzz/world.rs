//! Running calls against a fresh account and bridge, and judging every
//! answer and the state a sequence leaves.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, header};
use chrono::{TimeDelta, TimeZone, Utc};
use proptest::test_runner::TestCaseError;
use scimulate_backend::{Backend, BackendOptions, BuiltinGroup, MemberKind, SteppingClock};
use scimulate_bridge::{BridgeConfig, FaultSet};
use serde_json::{Value, json};
use tower::ServiceExt;

use super::requests::{Call, short};
use crate::support::{ERROR_URN, LIST_URN, SCIM_JSON, TOKEN, acme};

/// Longest a single answer may take: a hang is a failure, not a stuck run.
pub(super) const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// Page size of the consistency pass: small, so paging is exercised.
const PAGE: usize = 7;

/// A fresh `acme` account, a correct bridge over it, and the ids seen so
/// far (placeholders resolve against them).
pub(super) struct World {
    backend: Backend,
    app: Router,
    users: Vec<String>,
    groups: Vec<String>,
    /// The guest's and the built-in groups' ids.
    hidden: Vec<String>,
}

/// One answer of the bridge.
pub(super) struct Answer {
    /// The path and query sent, placeholders resolved.
    pub(super) target: String,
    pub(super) status: u16,
    content_type: String,
    body: Vec<u8>,
    /// The body as JSON, or `Null`.
    pub(super) json: Value,
}

impl Answer {
    pub(super) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body)
            .chars()
            .take(600)
            .collect()
    }
}

impl World {
    pub(super) async fn start() -> World {
        let backend = Backend::start(acme(), BackendOptions::deterministic()).await;
        let mut config = BridgeConfig::new(&backend.url(), TOKEN, FaultSet::none());
        let start = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        config.clock = Arc::new(SteppingClock::new(start, TimeDelta::seconds(1)));
        let app = scimulate_bridge::app(config).unwrap_or_else(|e| panic!("{e}"));
        let snapshot = backend.snapshot();
        let (guests, users): (Vec<_>, Vec<_>) = snapshot
            .members
            .iter()
            .cloned()
            .partition(|m| m.kind == MemberKind::Guest);
        let (builtin, groups): (Vec<_>, Vec<_>) = snapshot
            .groups
            .into_iter()
            .partition(|g| g.builtin.is_some());
        let hidden = guests
            .into_iter()
            .map(|m| m.id)
            .chain(builtin.into_iter().map(|g| g.id))
            .collect();
        World {
            backend,
            app,
            users: users.into_iter().map(|m| m.id).collect(),
            groups: groups.into_iter().map(|g| g.id).collect(),
            hidden,
        }
    }

    /// `text` with every `@U3@`/`@G0@`/`@H1@` replaced by a known id.
    fn resolve(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('@') {
            out.push_str(&rest[..at]);
            let tail = &rest[at + 1..];
            let pool = match tail.as_bytes().first() {
                Some(b'U') => Some(&self.users),
                Some(b'G') => Some(&self.groups),
                Some(b'H') => Some(&self.hidden),
                _ => None,
            };
            let digits = tail
                .get(1..)
                .map_or(0, |s| s.bytes().take_while(u8::is_ascii_digit).count());
            let closed = tail.as_bytes().get(1 + digits) == Some(&b'@');
            match pool {
                Some(pool) if digits > 0 && closed && !pool.is_empty() => {
                    let n: usize = tail[1..1 + digits].parse().unwrap_or(0);
                    out.push_str(&pool[n % pool.len()]);
                    rest = &tail[digits + 2..];
                }
                _ => {
                    out.push('@');
                    rest = tail;
                }
            }
        }
        out.push_str(rest);
        out
    }

    pub(super) async fn send(&self, call: &Call) -> Result<Answer, TestCaseError> {
        let (target, request) = self.request(call)?;
        exchange(self.app.clone(), call.clone(), target, request).await
    }

    /// Sends every call at once and answers in the calls' order.
    pub(super) async fn send_all(&self, calls: &[Call]) -> Result<Vec<Answer>, TestCaseError> {
        let mut tasks = Vec::with_capacity(calls.len());
        for call in calls {
            let (target, request) = self.request(call)?;
            let app = self.app.clone();
            tasks.push(tokio::spawn(exchange(app, call.clone(), target, request)));
        }
        let mut answers = Vec::with_capacity(tasks.len());
        for task in tasks {
            // A panic in the bridge ends its task: report it as one.
            let answer = task
                .await
                .map_err(|e| fail(format!("a concurrent call panicked: {e}")))??;
            answers.push(answer);
        }
        Ok(answers)
    }

    /// The request a call makes, placeholders resolved, and its target.
    fn request(&self, call: &Call) -> Result<(String, Request<Body>), TestCaseError> {
        let target = self.resolve(&call.target);
        let body = match std::str::from_utf8(&call.body) {
            Ok(text) => self.resolve(text).into_bytes(),
            Err(_) => call.body.clone(),
        };
        let mut request = Request::builder().method(call.method.clone()).uri(&target);
        for (name, value) in [
            (header::AUTHORIZATION, &call.auth),
            (header::CONTENT_TYPE, &call.content_type),
            (header::HOST, &call.host),
        ] {
            if let Some(value) = value {
                let value = HeaderValue::from_bytes(value)
                    .map_err(|e| fail(format!("generator made a bad {name} header: {e}")))?;
                request = request.header(name, value);
            }
        }
        let request = request.body(Body::from(body)).map_err(|e| {
            fail(format!(
                "generator made a bad request {}: {e}",
                short(&target)
            ))
        })?;
        Ok((target, request))
    }

    /// Remembers the ids of the resources an answer carries.
    pub(super) fn harvest(&mut self, body: &Value) {
        let resources = match body["Resources"].as_array() {
            Some(resources) => resources.iter().collect(),
            None => vec![body],
        };
        for resource in resources {
            let Some(id) = resource["id"].as_str() else {
                continue;
            };
            let pool = match resource["meta"]["resourceType"].as_str() {
                Some("User") => &mut self.users,
                Some("Group") => &mut self.groups,
                _ => continue,
            };
            if !pool.iter().any(|known| known == id) {
                pool.push(id.to_string());
            }
        }
    }

    /// `GET` with the token, SCIM base path.
    async fn get(&self, path: &str) -> Result<Answer, String> {
        let call = Call::get(&format!("/scim/v2{path}"));
        let answer = self.send(&call).await.map_err(|e| e.to_string())?;
        judge(&call, &answer)?;
        Ok(answer)
    }

    /// Every resource of `/Users` or `/Groups`, paged through.
    async fn list_all(&self, endpoint: &str) -> Result<Vec<Value>, String> {
        let mut resources: Vec<Value> = Vec::new();
        let mut total = None;
        // Bounded: a page never comes back empty before the end.
        for _ in 0..1000 {
            let path = format!("{endpoint}?startIndex={}&count={PAGE}", resources.len() + 1);
            let answer = self.get(&path).await?;
            let body = &answer.json;
            if answer.status != 200 || body["schemas"] != json!([LIST_URN]) {
                return Err(format!("GET {path}: {} {}", answer.status, answer.text()));
            }
            let page = body["Resources"]
                .as_array()
                .ok_or_else(|| format!("GET {path}: no Resources: {}", answer.text()))?;
            let page_total = body["totalResults"].as_u64();
            if total.is_some_and(|t| Some(t) != page_total) || page_total.is_none() {
                return Err(format!(
                    "GET {path}: totalResults {page_total:?}, earlier pages said {total:?}"
                ));
            }
            total = page_total;
            if page.len() > PAGE || body["itemsPerPage"].as_u64() != Some(page.len() as u64) {
                return Err(format!(
                    "GET {path}: {} resources, itemsPerPage {}, count {PAGE}",
                    page.len(),
                    body["itemsPerPage"]
                ));
            }
            resources.extend(page.iter().cloned());
            if page.is_empty() || Some(resources.len() as u64) >= total {
                break;
            }
        }
        if Some(resources.len() as u64) != total {
            return Err(format!(
                "GET {endpoint}: totalResults {total:?}, but {} resources listed",
                resources.len()
            ));
        }
        Ok(resources)
    }

    pub(super) async fn check_consistency(&self) -> Result<(), String> {
        let users = self.list_all("/Users").await?;
        let groups = self.list_all("/Groups").await?;
        let user_ids = ids(&users, "/Users")?;
        let group_ids = ids(&groups, "/Groups")?;
        for (endpoint, listed) in [("/Users", &users), ("/Groups", &groups)] {
            for resource in listed.iter() {
                let id = resource["id"].as_str().unwrap_or_default();
                let answer = self.get(&format!("{endpoint}/{id}")).await?;
                if answer.status != 200 || answer.json != *resource {
                    return Err(format!(
                        "GET {endpoint}/{id} answered {} {}, listed as {resource}",
                        answer.status,
                        answer.text()
                    ));
                }
            }
        }
        for group in &groups {
            for member in group["members"].as_array().into_iter().flatten() {
                let value = member["value"].as_str().unwrap_or_default();
                if !user_ids.contains(value) {
                    return Err(format!(
                        "group {} has member {value:?}, which is not a listed user",
                        group["id"]
                    ));
                }
            }
        }
        unique(&users, "userName")?;
        unique(&groups, "displayName")?;
        self.check_account(&user_ids, &group_ids)
    }

    /// What SCIM lists is what the account holds, and the log is gap-free.
    fn check_account(
        &self,
        user_ids: &HashSet<String>,
        group_ids: &HashSet<String>,
    ) -> Result<(), String> {
        let snapshot = self.backend.snapshot();
        let members: HashSet<String> = snapshot
            .members
            .iter()
            .filter(|m| m.kind != MemberKind::Guest)
            .map(|m| m.id.clone())
            .collect();
        let account_groups: HashSet<String> = snapshot
            .groups
            .iter()
            .filter(|g| g.builtin.is_none())
            .map(|g| g.id.clone())
            .collect();
        if members != *user_ids {
            return Err(format!(
                "/Users lists {user_ids:?}, the account's members are {members:?}"
            ));
        }
        if account_groups != *group_ids {
            return Err(format!(
                "/Groups lists {group_ids:?}, the account's groups are {account_groups:?}"
            ));
        }
        let team = BuiltinGroup::TeamMembers.name();
        if snapshot.groups.iter().filter(|g| g.name == team).count() != 1 {
            return Err(format!("the account does not have exactly one {team:?}"));
        }
        let seqs: Vec<u64> = self.backend.effects().iter().map(|e| e.seq).collect();
        if seqs != (1..=seqs.len() as u64).collect::<Vec<_>>() {
            return Err(format!("effect seqs are not 1..=n: {seqs:?}"));
        }
        Ok(())
    }
}

/// Sends one request through the bridge, in process, bounded by
/// [`REQUEST_TIMEOUT`].
async fn exchange(
    app: Router,
    call: Call,
    target: String,
    request: Request<Body>,
) -> Result<Answer, TestCaseError> {
    let response = tokio::time::timeout(REQUEST_TIMEOUT, app.oneshot(request))
        .await
        .map_err(|_| fail(format!("{call:?} took over {REQUEST_TIMEOUT:?}")))?
        .unwrap_or_else(|never| match never {});
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = tokio::time::timeout(
        REQUEST_TIMEOUT,
        axum::body::to_bytes(response.into_body(), usize::MAX),
    )
    .await
    .map_err(|_| fail(format!("{call:?}: the body took too long")))?
    .map_err(|e| fail(format!("{call:?}: unreadable body: {e}")))?
    .to_vec();
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Ok(Answer {
        target,
        status,
        content_type,
        body,
        json,
    })
}

/// The properties of every single answer: no 5xx, a 4xx is a SCIM error
/// with its status as a string (RFC 7644 §3.12), and what is answered for
/// `/Users/{id}` or `/Groups/{id}` has that id.
pub(super) fn judge(call: &Call, answer: &Answer) -> Result<(), String> {
    let what = || {
        format!(
            "{} {} answered {} {:?} {}",
            call.method,
            short(&answer.target),
            answer.status,
            answer.content_type,
            answer.text()
        )
    };
    if answer.status >= 500 {
        return Err(format!("5xx: {}", what()));
    }
    if let (Some(asked), Some(id)) = (resource_id(&answer.target), answer.json["id"].as_str())
        && answer.status < 300
        && asked != id
    {
        return Err(format!("answered for another id ({id:?}): {}", what()));
    }
    // HEAD answers carry no body.
    if !(400..500).contains(&answer.status) || call.method == Method::HEAD {
        return Ok(());
    }
    let schemas = answer.json["schemas"].as_array();
    let is_error = schemas.is_some_and(|s| s.iter().any(|u| u == ERROR_URN));
    if !answer.content_type.starts_with(SCIM_JSON)
        || !is_error
        || answer.json["status"] != json!(answer.status.to_string())
    {
        return Err(format!("4xx without the SCIM error envelope: {}", what()));
    }
    Ok(())
}

/// The id a `…/Users/{id}` or `…/Groups/{id}` target names, decoded.
fn resource_id(target: &str) -> Option<String> {
    let path = target.split('?').next()?;
    let (_, segment) = ["/Users/", "/Groups/"]
        .iter()
        .filter_map(|endpoint| path.rsplit_once(endpoint))
        .next()?;
    if segment.contains('/') {
        return None;
    }
    let mut bytes = Vec::with_capacity(segment.len());
    let mut rest = segment.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        let hex = tail.get(..2).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(decoded) if byte == b'%' => {
                bytes.push(decoded);
                rest = &tail[2..];
            }
            _ => {
                bytes.push(byte);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes).ok()
}

/// The ids of listed resources, each once.
fn ids(resources: &[Value], endpoint: &str) -> Result<HashSet<String>, String> {
    let mut seen = HashSet::new();
    for resource in resources {
        let id = resource["id"]
            .as_str()
            .ok_or_else(|| format!("{endpoint} lists a resource without an id: {resource}"))?;
        if !seen.insert(id.to_string()) {
            return Err(format!("{endpoint} lists {id} twice"));
        }
    }
    Ok(seen)
}

/// No two resources share `attribute`, ASCII case-insensitively: how the
/// account compares e-mails and group names (backend/API.md).
fn unique(resources: &[Value], attribute: &str) -> Result<(), String> {
    let mut seen: HashMap<String, &Value> = HashMap::new();
    for resource in resources {
        let value = resource[attribute]
            .as_str()
            .ok_or_else(|| format!("a resource without {attribute}: {resource}"))?;
        if let Some(other) = seen.insert(value.to_ascii_lowercase(), resource) {
            return Err(format!(
                "{} and {} share {attribute} {value:?}",
                other["id"], resource["id"]
            ));
        }
    }
    Ok(())
}

/// A failed case, with what went wrong.
pub(super) fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}
