//! The HTTP face of the account: one [`Route`] per row of backend/API.md,
//! each a method, a path pattern and a handler that parses the request,
//! calls [`Account`] and turns the outcome into an answer.

use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::model::{
    EmailChangeRequest, ErrorBody, GroupCreate, GroupUpdate, InviteRequest, LinkRequest,
    MemberKind, ProfileUpdate, Refusal, SettingsUpdate,
};
use crate::state::log::{Action, Applied};
use crate::state::{Account, page_of};

/// What a handler answers; an `Err` becomes the API's error body.
type Answer = Result<ResponseTemplate, ErrorBody>;

/// Handles one route: the account (locked), the request and its path
/// segments (`["v1", "members", "{id}", "link"]`).
type Handler = fn(&mut Account, &Request, &[&str]) -> Answer;

/// One row of backend/API.md.
pub(crate) struct Route {
    pub method: &'static str,
    /// An anchored regex over the URL path.
    pub path: &'static str,
    pub handler: Handler,
}

/// Every route of backend/API.md, in the order of the document.
pub(crate) const ROUTES: &[Route] = &[
    route("GET", r"^/v1/members$", list_members),
    route("GET", r"^/v1/members/[^/]+$", get_member),
    route("POST", r"^/v1/invitations$", invite),
    route("POST", r"^/v1/members/[^/]+/link$", link),
    route("PATCH", r"^/v1/members/[^/]+$", update_profile),
    route("POST", r"^/v1/members/[^/]+/email-change$", email_change),
    route("POST", r"^/v1/members/[^/]+/confirm-email$", confirm_email),
    route("POST", r"^/v1/members/[^/]+/suspend$", suspend),
    route("POST", r"^/v1/members/[^/]+/reactivate$", reactivate),
    route("POST", r"^/v1/members/[^/]+/accept$", accept_invite),
    route("DELETE", r"^/v1/members/[^/]+$", delete_member),
    route("GET", r"^/v1/groups$", list_groups),
    route("GET", r"^/v1/groups/[^/]+$", get_group),
    route("POST", r"^/v1/groups$", create_group),
    route("PATCH", r"^/v1/groups/[^/]+$", update_group),
    route("DELETE", r"^/v1/groups/[^/]+$", delete_group),
    route("PUT", r"^/v1/groups/[^/]+/members/[^/]+$", add_member),
    route("DELETE", r"^/v1/groups/[^/]+/members/[^/]+$", remove_member),
    route("GET", r"^/v1/account$", get_settings),
    route("PATCH", r"^/v1/account$", update_settings),
    route("GET", r"^/v1/snapshot$", snapshot),
    route("GET", r"^/v1/effects$", effects),
    route("GET", r"^/v1/health$", health),
];

const fn route(method: &'static str, path: &'static str, handler: Handler) -> Route {
    Route {
        method,
        path,
        handler,
    }
}

/// The wiremock responder of one route: locks the account for the whole
/// call, so changes and their effects are ordered (backend/API.md: "under
/// one lock").
pub(crate) struct Endpoint {
    pub account: Arc<Mutex<Account>>,
    pub handler: Handler,
}

impl Respond for Endpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let segments: Vec<&str> = request
            .url
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default();
        let mut account = lock(&self.account);
        (self.handler)(&mut account, request, &segments)
            .unwrap_or_else(|error| error_answer(&error))
    }
}

/// The lowest-priority responder: every request no route matched.
pub(crate) struct NoRoute;

impl Respond for NoRoute {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let error = ErrorBody::new(
            Refusal::InvalidRequest,
            format!(
                "no route for {} {}; see backend/API.md",
                request.method,
                request.url.path()
            ),
        );
        // 404, not invalid_request's usual 400 (backend/API.md: "An unknown
        // route answers 404").
        json(404, &error).unwrap_or_else(|_| ResponseTemplate::new(404))
    }
}

/// Locks the account; a panic elsewhere does not make it unusable (the
/// account is only changed after every check passed).
pub(crate) fn lock(account: &Mutex<Account>) -> MutexGuard<'_, Account> {
    account.lock().unwrap_or_else(PoisonError::into_inner)
}

fn list_members(account: &mut Account, request: &Request, _: &[&str]) -> Answer {
    account.ensure_provisioning()?;
    let params = Params::parse(
        request,
        &["email", "external_id", "kind", "offset", "limit"],
    )?;
    let (offset, limit) = (
        params.number("offset")?.unwrap_or(0),
        params.number("limit")?,
    );
    let kind = match params.get("kind") {
        None => None,
        Some("member") => Some(MemberKind::Member),
        Some("guest") => Some(MemberKind::Guest),
        Some(other) => {
            return Err(invalid(format!("kind={other:?}: expected member or guest")));
        }
    };
    let page = match (params.get("email"), params.get("external_id"), kind) {
        (None, None, Some(kind)) => account.list_members_of_kind(kind, offset, limit),
        (_, _, Some(_)) => return Err(invalid("kind goes with offset and limit only")),
        (Some(_), Some(_), None) => return Err(invalid("give email or external_id, not both")),
        (Some(email), None, None) => {
            let found = account.member_by_email(email).into_iter().collect();
            page_of(found, offset, limit)
        }
        (None, Some(external_id), None) => {
            page_of(account.members_by_external_id(external_id), offset, limit)
        }
        (None, None, None) => account.list_members(offset, limit),
    };
    json(200, &page)
}

fn get_member(account: &mut Account, _: &Request, path: &[&str]) -> Answer {
    account.ensure_provisioning()?;
    let id = segment(path, 2);
    let member = account.member(id).ok_or_else(|| {
        ErrorBody::new(Refusal::UnknownMember, format!("no member with id {id:?}"))
    })?;
    json(200, member)
}

fn invite(account: &mut Account, request: &Request, _: &[&str]) -> Answer {
    let body: InviteRequest = body(account, request, Action::Invite, None)?;
    json(201, &account.invite(&body)?.value)
}

fn link(account: &mut Account, request: &Request, path: &[&str]) -> Answer {
    let id = segment(path, 2);
    let body: LinkRequest = body(account, request, Action::Link, Some(id))?;
    ok(account.link(id, &body)?)
}

fn update_profile(account: &mut Account, request: &Request, path: &[&str]) -> Answer {
    let id = segment(path, 2);
    let body: ProfileUpdate = body(account, request, Action::UpdateProfile, Some(id))?;
    ok(account.update_profile(id, &body)?)
}

fn email_change(account: &mut Account, request: &Request, path: &[&str]) -> Answer {
    let id = segment(path, 2);
    let action = Action::RequestEmailChange;
    let body: EmailChangeRequest = body(account, request, action, Some(id))?;
    let applied = account.request_email_change(id, &body.email)?;
    // 202: the change waits for the person's confirmation. A no-op answers
    // 200 like every other no-op (backend/API.md, "No-ops log nothing").
    json(if applied.changed { 202 } else { 200 }, &applied.value)
}

fn confirm_email(account: &mut Account, _: &Request, path: &[&str]) -> Answer {
    ok(account.confirm_email(segment(path, 2))?)
}

fn suspend(account: &mut Account, _: &Request, path: &[&str]) -> Answer {
    ok(account.suspend(segment(path, 2))?)
}

fn reactivate(account: &mut Account, _: &Request, path: &[&str]) -> Answer {
    ok(account.reactivate(segment(path, 2))?)
}

fn accept_invite(account: &mut Account, _: &Request, path: &[&str]) -> Answer {
    ok(account.accept_invite(segment(path, 2))?)
}

fn delete_member(account: &mut Account, _: &Request, path: &[&str]) -> Answer {
    account.delete_member(segment(path, 2))?;
    Ok(ResponseTemplate::new(204))
}

fn list_groups(account: &mut Account, request: &Request, _: &[&str]) -> Answer {
    account.ensure_provisioning()?;
    let params = Params::parse(request, &["name", "builtin", "offset", "limit"])?;
    let (offset, limit) = (
        params.number("offset")?.unwrap_or(0),
        params.number("limit")?,
    );
    let page = match (params.get("name"), params.get("builtin")) {
        (Some(_), Some(_)) => return Err(invalid("give name or builtin, not both")),
        (Some(name), None) => page_of(account.groups_by_name(name), offset, limit),
        (None, Some("false")) => account.list_own_groups(offset, limit),
        (None, Some(other)) => {
            return Err(invalid(format!(
                "builtin={other:?}: only builtin=false (the account's own groups) is served"
            )));
        }
        (None, None) => account.list_groups(offset, limit),
    };
    json(200, &page)
}

fn get_group(account: &mut Account, _: &Request, path: &[&str]) -> Answer {
    account.ensure_provisioning()?;
    let id = segment(path, 2);
    let group = account
        .group(id)
        .ok_or_else(|| ErrorBody::new(Refusal::UnknownGroup, format!("no group with id {id:?}")))?;
    json(200, group)
}

fn create_group(account: &mut Account, request: &Request, _: &[&str]) -> Answer {
    let body: GroupCreate = body(account, request, Action::CreateGroup, None)?;
    json(201, &account.create_group(&body)?.value)
}

fn update_group(account: &mut Account, request: &Request, path: &[&str]) -> Answer {
    let id = segment(path, 2);
    let body: GroupUpdate = body(account, request, Action::UpdateGroup, Some(id))?;
    ok(account.update_group(id, &body)?)
}

fn delete_group(account: &mut Account, _: &Request, path: &[&str]) -> Answer {
    account.delete_group(segment(path, 2))?;
    Ok(ResponseTemplate::new(204))
}

fn add_member(account: &mut Account, _: &Request, path: &[&str]) -> Answer {
    ok(account.add_member(segment(path, 2), segment(path, 4))?)
}

fn remove_member(account: &mut Account, _: &Request, path: &[&str]) -> Answer {
    ok(account.remove_member(segment(path, 2), segment(path, 4))?)
}

fn get_settings(account: &mut Account, _: &Request, _: &[&str]) -> Answer {
    json(200, account.settings())
}

fn update_settings(account: &mut Account, request: &Request, _: &[&str]) -> Answer {
    let body: SettingsUpdate = body(account, request, Action::UpdateSettings, None)?;
    json(200, &account.update_settings(&body))
}

fn snapshot(account: &mut Account, _: &Request, _: &[&str]) -> Answer {
    json(200, &account.snapshot_ref())
}

fn effects(account: &mut Account, request: &Request, _: &[&str]) -> Answer {
    let params = Params::parse(request, &["after"])?;
    let after = params.number("after")?.unwrap_or(0);
    json(200, account.effects_after(after))
}

fn health(_: &mut Account, _: &Request, _: &[&str]) -> Answer {
    json(200, &serde_json::json!({ "ok": true }))
}

/// The `index`-th path segment; the route's regex guarantees it exists.
fn segment<'a>(path: &[&'a str], index: usize) -> &'a str {
    path.get(index).copied().unwrap_or_default()
}

/// 200 with the object a write answered.
fn ok<T: Serialize>(applied: Applied<T>) -> Answer {
    json(200, &applied.value)
}

fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Answer {
    match serde_json::to_vec(value) {
        Ok(bytes) => Ok(ResponseTemplate::new(status).set_body_raw(bytes, "application/json")),
        // Our types always serialize; answer rather than panic if one did not.
        Err(error) => Ok(ResponseTemplate::new(500)
            .set_body_string(format!("backend could not serialize its answer: {error}"))),
    }
}

fn error_answer(error: &ErrorBody) -> ResponseTemplate {
    let status = error.http_status();
    json(status, error).unwrap_or_else(|_| ResponseTemplate::new(status))
}

fn invalid(detail: impl Into<String>) -> ErrorBody {
    ErrorBody::new(Refusal::InvalidRequest, detail)
}

/// The JSON body as `T`; a malformed one is refused (and logged) with the
/// path of the bad field. An empty body reads as `{}`.
fn body<T: DeserializeOwned>(
    account: &mut Account,
    request: &Request,
    action: Action,
    target: Option<&str>,
) -> Result<T, ErrorBody> {
    let bytes: &[u8] = if request.body.is_empty() {
        b"{}"
    } else {
        &request.body
    };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => deserializer
            .end()
            .map(|()| value)
            .map_err(|error| error.to_string()),
        Err(error) => Err(match error.path().to_string().as_str() {
            "." => error.inner().to_string(),
            path => format!("{path}: {}", error.inner()),
        }),
    };
    parsed.map_err(|reason| {
        let name = std::any::type_name::<T>()
            .rsplit("::")
            .next()
            .unwrap_or("request");
        let detail = format!("malformed {name} body: {reason}");
        account.reject_request(action, target, detail)
    })
}

/// The query parameters of a read, checked against the ones it takes.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(request: &Request, allowed: &[&str]) -> Result<Params, ErrorBody> {
        let mut params: Vec<(String, String)> = Vec::new();
        for (key, value) in request.url.query_pairs() {
            if !allowed.contains(&key.as_ref()) {
                return Err(invalid(format!(
                    "unknown query parameter {key:?} (expected {})",
                    allowed.join(", ")
                )));
            }
            if params.iter().any(|(k, _)| *k == key) {
                return Err(invalid(format!("query parameter {key:?} given twice")));
            }
            params.push((key.into_owned(), value.into_owned()));
        }
        Ok(Params(params))
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn number<N: FromStr>(&self, key: &str) -> Result<Option<N>, ErrorBody> {
        self.get(key)
            .map(|value| {
                value.parse().map_err(|_| {
                    invalid(format!(
                        "query parameter {key:?} must be a non-negative integer, not {value:?}"
                    ))
                })
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_pattern_is_a_valid_anchored_regex() {
        for route in ROUTES {
            // wiremock's `path_regex` panics on a bad pattern: check them here.
            let _ = wiremock::matchers::path_regex(route.path);
            assert!(
                route.path.starts_with("^/v1/") && route.path.ends_with('$'),
                "{}",
                route.path
            );
        }
    }

    #[test]
    fn no_two_routes_share_method_and_pattern() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(
                    (a.method, a.path) != (b.method, b.path),
                    "{} {}",
                    a.method,
                    a.path
                );
            }
        }
    }
}
