//! Long because it is one short method per route of backend/API.md (some 30 of
//! them), each read best beside the others.
//!
//! The HTTP client a bridge uses to drive the account: one async method per
//! route of backend/API.md.
//!
//! Error answers become [`BackendError::Refused`]. The only exception: the
//! single-object reads [`BackendClient::member`] and [`BackendClient::group`]
//! answer `Ok(None)` for an unknown id, since "not there" is an ordinary
//! outcome of a lookup.

use std::time::Duration;

use reqwest::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::model::{
    AccountSettings, AccountSnapshot, Effect, EmailChangeRequest, ErrorBody, Group, GroupCreate,
    GroupUpdate, InviteRequest, LinkRequest, Member, MemberKind, Page, ProfileUpdate, Refusal,
    SettingsUpdate,
};

/// How long one call may take, connection and body included.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How much of an unexpected answer's body an error quotes.
const QUOTE_LIMIT: usize = 200;

/// A client of one backend; cheap to clone (one shared connection pool).
#[derive(Clone, Debug)]
pub struct BackendClient {
    http: reqwest::Client,
    base: Url,
}

/// Why a call to the backend failed.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The base URL is not an http(s) URL.
    #[error("backend url {url:?} is not an http(s) base url")]
    InvalidUrl {
        url: String,
        #[source]
        source: Option<url::ParseError>,
    },
    /// The HTTP client could not be built.
    #[error("could not build the http client for the backend")]
    Client {
        #[source]
        source: reqwest::Error,
    },
    /// No answer: connection refused, timeout, broken body…
    #[error("{method} {url}: no answer from the backend")]
    Transport {
        method: String,
        url: String,
        #[source]
        source: reqwest::Error,
    },
    /// The API refused the call with its error body.
    #[error("backend refused the call ({status} {refusal}): {detail}")]
    Refused {
        status: u16,
        refusal: Refusal,
        detail: String,
    },
    /// A success answer whose body is not what the API promises.
    #[error("{method} {url}: undecodable answer (status {status})")]
    Decode {
        method: String,
        url: String,
        status: u16,
        #[source]
        source: serde_json::Error,
    },
    /// An error status without the API's error body.
    #[error("{method} {url}: unexpected status {status}: {body}")]
    UnexpectedStatus {
        method: String,
        url: String,
        status: u16,
        /// The start of the body, as text.
        body: String,
    },
    /// An id that cannot be a URL path segment, so no call was sent: URLs
    /// drop tabs and line breaks (WHATWG URL: "remove all ASCII tab or
    /// newline") and resolve `.` and `..` (RFC 3986 §5.2.4), and an empty
    /// segment names another route. Sent anyway, `member("..")` would read
    /// `GET /v1/members`, the list, and `member("AB\tC")` member `ABC`.
    /// No member or group has such an id.
    #[error(
        "id {id:?} cannot be sent as a URL path segment (empty, \".\", \"..\" or with a tab or line break); no call was made"
    )]
    UnaddressableId { id: String },
}

/// A success answer.
struct Answer {
    method: Method,
    url: Url,
    status: u16,
    body: Vec<u8>,
}

impl BackendClient {
    /// A client for the backend at `base_url` (e.g. `http://127.0.0.1:PORT`).
    pub fn new(base_url: &str) -> Result<Self, BackendError> {
        // reqwest is built without a default crypto provider (Cargo.toml).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let invalid = |source| BackendError::InvalidUrl {
            url: base_url.to_string(),
            source,
        };
        let base = Url::parse(base_url).map_err(|e| invalid(Some(e)))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(invalid(None));
        }
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            // The backend is a loopback test double: never through a proxy.
            .no_proxy();
        if base.scheme() == "http" {
            // No TLS to verify: skip loading the system's root certificates
            // (each embedded bridge builds a client).
            builder = builder.tls_certs_only([]);
        }
        let http = builder
            .build()
            .map_err(|source| BackendError::Client { source })?;
        Ok(BackendClient { http, base })
    }

    /// The base URL the client calls.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// `GET /v1/members?email=E`: members whose e-mail or pending e-mail is E.
    pub async fn members_by_email(&self, email: &str) -> Result<Page<Member>, BackendError> {
        let query = [("email", email)];
        self.decode(self.call(Method::GET, &["members"], |r| r.query(&query)))
            .await
    }

    /// `GET /v1/members?external_id=X`.
    pub async fn members_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Page<Member>, BackendError> {
        let query = [("external_id", external_id)];
        self.decode(self.call(Method::GET, &["members"], |r| r.query(&query)))
            .await
    }

    /// `GET /v1/members?offset=O&limit=L`; `limit: None` lists all.
    pub async fn list_members(
        &self,
        offset: usize,
        limit: Option<usize>,
    ) -> Result<Page<Member>, BackendError> {
        let query = paging(offset, limit);
        self.decode(self.call(Method::GET, &["members"], |r| r.query(&query)))
            .await
    }

    /// `GET /v1/members?kind=K&offset=O&limit=L`: members of one kind, in
    /// creation order; `total` counts that kind only.
    pub async fn list_members_of_kind(
        &self,
        kind: MemberKind,
        offset: usize,
        limit: usize,
    ) -> Result<Page<Member>, BackendError> {
        let kind = match kind {
            MemberKind::Member => "member",
            MemberKind::Guest => "guest",
        };
        let mut query: Vec<(&str, String)> = vec![("kind", kind.to_string())];
        query.extend(
            paging(offset, Some(limit))
                .into_iter()
                .map(|(k, v)| (k, v.to_string())),
        );
        self.decode(self.call(Method::GET, &["members"], |r| r.query(&query)))
            .await
    }

    /// `GET /v1/members/{id}`; `None` when the account has no such member.
    pub async fn member(&self, id: &str) -> Result<Option<Member>, BackendError> {
        let found = self.get(&["members", id]).await;
        absent_as_none(found, Refusal::UnknownMember)
    }

    /// `POST /v1/invitations`.
    pub async fn invite(&self, request: &InviteRequest) -> Result<Member, BackendError> {
        self.send(Method::POST, &["invitations"], request).await
    }

    /// `POST /v1/members/{id}/link`.
    pub async fn link(&self, id: &str, request: &LinkRequest) -> Result<Member, BackendError> {
        self.send(Method::POST, &["members", id, "link"], request)
            .await
    }

    /// `PATCH /v1/members/{id}`.
    pub async fn update_profile(
        &self,
        id: &str,
        update: &ProfileUpdate,
    ) -> Result<Member, BackendError> {
        self.send(Method::PATCH, &["members", id], update).await
    }

    /// `POST /v1/members/{id}/email-change`.
    pub async fn request_email_change(
        &self,
        id: &str,
        email: &str,
    ) -> Result<Member, BackendError> {
        let request = EmailChangeRequest {
            email: email.to_string(),
        };
        self.send(Method::POST, &["members", id, "email-change"], &request)
            .await
    }

    /// `POST /v1/members/{id}/confirm-email` (test control).
    pub async fn confirm_email(&self, id: &str) -> Result<Member, BackendError> {
        self.post_empty(&["members", id, "confirm-email"]).await
    }

    /// `POST /v1/members/{id}/suspend`.
    pub async fn suspend(&self, id: &str) -> Result<Member, BackendError> {
        self.post_empty(&["members", id, "suspend"]).await
    }

    /// `POST /v1/members/{id}/reactivate`.
    pub async fn reactivate(&self, id: &str) -> Result<Member, BackendError> {
        self.post_empty(&["members", id, "reactivate"]).await
    }

    /// `POST /v1/members/{id}/accept` (test control).
    pub async fn accept_invite(&self, id: &str) -> Result<Member, BackendError> {
        self.post_empty(&["members", id, "accept"]).await
    }

    /// `DELETE /v1/members/{id}`. A correct bridge never calls this.
    pub async fn delete_member(&self, id: &str) -> Result<(), BackendError> {
        self.call(Method::DELETE, &["members", id], |r| r)
            .await
            .map(drop)
    }

    /// `GET /v1/groups?name=N`: groups with this name in any case.
    pub async fn groups_by_name(&self, name: &str) -> Result<Page<Group>, BackendError> {
        let query = [("name", name)];
        self.decode(self.call(Method::GET, &["groups"], |r| r.query(&query)))
            .await
    }

    /// `GET /v1/groups?offset=O&limit=L`; `limit: None` lists all.
    pub async fn list_groups(
        &self,
        offset: usize,
        limit: Option<usize>,
    ) -> Result<Page<Group>, BackendError> {
        let query = paging(offset, limit);
        self.decode(self.call(Method::GET, &["groups"], |r| r.query(&query)))
            .await
    }

    /// `GET /v1/groups?builtin=false`: the account's own groups, all of
    /// them (built-in ones left out).
    pub async fn list_own_groups(&self) -> Result<Page<Group>, BackendError> {
        self.decode(self.call(Method::GET, &["groups"], |r| {
            r.query(&[("builtin", "false")])
        }))
        .await
    }

    /// `GET /v1/groups/{id}`; `None` when the account has no such group.
    pub async fn group(&self, id: &str) -> Result<Option<Group>, BackendError> {
        let found = self.get(&["groups", id]).await;
        absent_as_none(found, Refusal::UnknownGroup)
    }

    /// `POST /v1/groups`.
    pub async fn create_group(&self, request: &GroupCreate) -> Result<Group, BackendError> {
        self.send(Method::POST, &["groups"], request).await
    }

    /// `PATCH /v1/groups/{id}`.
    pub async fn update_group(
        &self,
        id: &str,
        update: &GroupUpdate,
    ) -> Result<Group, BackendError> {
        self.send(Method::PATCH, &["groups", id], update).await
    }

    /// `DELETE /v1/groups/{id}`.
    pub async fn delete_group(&self, id: &str) -> Result<(), BackendError> {
        self.call(Method::DELETE, &["groups", id], |r| r)
            .await
            .map(drop)
    }

    /// `PUT /v1/groups/{id}/members/{member_id}`.
    pub async fn add_member(&self, group_id: &str, member_id: &str) -> Result<Group, BackendError> {
        let path = ["groups", group_id, "members", member_id];
        self.decode(self.call(Method::PUT, &path, |r| r)).await
    }

    /// `DELETE /v1/groups/{id}/members/{member_id}`.
    pub async fn remove_member(
        &self,
        group_id: &str,
        member_id: &str,
    ) -> Result<Group, BackendError> {
        let path = ["groups", group_id, "members", member_id];
        self.decode(self.call(Method::DELETE, &path, |r| r)).await
    }

    /// `GET /v1/account`.
    pub async fn settings(&self) -> Result<AccountSettings, BackendError> {
        self.get(&["account"]).await
    }

    /// `PATCH /v1/account` (test control).
    pub async fn update_settings(
        &self,
        update: &SettingsUpdate,
    ) -> Result<AccountSettings, BackendError> {
        self.send(Method::PATCH, &["account"], update).await
    }

    /// `GET /v1/snapshot`.
    pub async fn snapshot(&self) -> Result<AccountSnapshot, BackendError> {
        self.get(&["snapshot"]).await
    }

    /// `GET /v1/effects?after=N`: effects with `seq > after`, in order.
    pub async fn effects_after(&self, after: u64) -> Result<Vec<Effect>, BackendError> {
        let query = [("after", after)];
        self.decode(self.call(Method::GET, &["effects"], |r| r.query(&query)))
            .await
    }

    /// `GET /v1/health`: `Ok` when the backend answers `{"ok": true}`.
    pub async fn health(&self) -> Result<(), BackendError> {
        #[derive(serde::Deserialize)]
        struct Health {
            #[expect(dead_code, reason = "decoding checks the field is there")]
            ok: bool,
        }
        self.get::<Health>(&["health"]).await.map(drop)
    }

    async fn get<T: DeserializeOwned>(&self, path: &[&str]) -> Result<T, BackendError> {
        self.decode(self.call(Method::GET, path, |r| r)).await
    }

    async fn send<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &[&str],
        body: &B,
    ) -> Result<T, BackendError> {
        self.decode(self.call(method, path, |r| r.json(body))).await
    }

    async fn post_empty<T: DeserializeOwned>(&self, path: &[&str]) -> Result<T, BackendError> {
        self.decode(self.call(Method::POST, path, |r| r)).await
    }

    async fn decode<T: DeserializeOwned>(
        &self,
        answer: impl Future<Output = Result<Answer, BackendError>>,
    ) -> Result<T, BackendError> {
        let answer = answer.await?;
        serde_json::from_slice(&answer.body).map_err(|source| BackendError::Decode {
            method: answer.method.to_string(),
            url: answer.url.to_string(),
            status: answer.status,
            source,
        })
    }

    /// Sends `METHOD /v1/{path…}`; error statuses become errors.
    async fn call(
        &self,
        method: Method,
        path: &[&str],
        prepare: impl FnOnce(RequestBuilder) -> RequestBuilder,
    ) -> Result<Answer, BackendError> {
        let url = self.endpoint(path)?;
        let transport = |source| BackendError::Transport {
            method: method.to_string(),
            url: url.to_string(),
            source,
        };
        let request = prepare(self.http.request(method.clone(), url.clone()));
        let response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(transport)?.to_vec();
        if (200..300).contains(&status) {
            return Ok(Answer {
                method,
                url,
                status,
                body,
            });
        }
        Err(match serde_json::from_slice::<ErrorBody>(&body) {
            Ok(error) => BackendError::Refused {
                status,
                refusal: error.error,
                detail: error.detail,
            },
            Err(_) => BackendError::UnexpectedStatus {
                method: method.to_string(),
                url: url.to_string(),
                status,
                body: String::from_utf8_lossy(&body)
                    .chars()
                    .take(QUOTE_LIMIT)
                    .collect(),
            },
        })
    }
}

impl BackendClient {
    /// `{base}/v1/{path…}`, each segment percent-encoded (`/` included).
    /// A segment that is empty, `.`, `..` or holds a tab or line break is
    /// refused ([`BackendError::UnaddressableId`]): `url` would drop or
    /// resolve it and the call would reach another endpoint or object.
    fn endpoint(&self, path: &[&str]) -> Result<Url, BackendError> {
        let unaddressable =
            |s: &str| matches!(s, "" | "." | "..") || s.contains(['\t', '\n', '\r']);
        if let Some(id) = path.iter().find(|s| unaddressable(s)) {
            return Err(BackendError::UnaddressableId { id: id.to_string() });
        }
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push("v1").extend(path);
        }
        Ok(url)
    }
}

fn paging(offset: usize, limit: Option<usize>) -> Vec<(&'static str, usize)> {
    let mut query = vec![("offset", offset)];
    query.extend(limit.map(|limit| ("limit", limit)));
    query
}

/// `Ok(None)` for the 404 `refusal` of a single-object read, and for an id
/// no object can have.
fn absent_as_none<T>(
    found: Result<T, BackendError>,
    refusal: Refusal,
) -> Result<Option<T>, BackendError> {
    match found {
        Ok(value) => Ok(Some(value)),
        Err(BackendError::Refused { refusal: r, .. }) if r == refusal => Ok(None),
        Err(BackendError::UnaddressableId { .. }) => Ok(None),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_must_be_http() {
        for bad in ["", "not a url", "ftp://host", "mailto:x@y.z"] {
            let error = BackendClient::new(bad).unwrap_err();
            assert!(
                matches!(error, BackendError::InvalidUrl { .. }),
                "{bad}: {error}"
            );
        }
        assert!(BackendClient::new("http://127.0.0.1:1").is_ok());
    }

    #[test]
    fn paths_are_appended_to_the_base_and_encoded() {
        let client = BackendClient::new("http://127.0.0.1:9/prefix/").unwrap();
        assert_eq!(
            client.endpoint(&["members", "a/b c"]).unwrap().as_str(),
            "http://127.0.0.1:9/prefix/v1/members/a%2Fb%20c"
        );
        let client = BackendClient::new("http://127.0.0.1:9").unwrap();
        assert_eq!(
            client.endpoint(&["health"]).unwrap().as_str(),
            "http://127.0.0.1:9/v1/health"
        );
    }

    /// Found by the bridge's fuzz (`bridge/tests/it/fuzz.rs`): `GET
    /// /Users/..` read `GET /v1/members` (the list) as one member and the
    /// bridge answered 502; `filter=id eq ""` and `/Users/%09` hit no route
    /// and it answered 500; a tab inside a real id reached that member.
    #[tokio::test]
    async fn dot_empty_and_tabbed_ids_are_absent_not_misrouted() {
        let backend = crate::server::Backend::start(
            crate::seed::AccountSeed::default(),
            crate::server::BackendOptions::deterministic(),
        )
        .await;
        let client = backend.client().unwrap();
        for id in ["", ".", "..", "\t", ".\t.", "\r\n"] {
            assert!(client.member(id).await.unwrap().is_none(), "{id:?}");
            assert!(client.group(id).await.unwrap().is_none(), "{id:?}");
            let error = client.suspend(id).await.unwrap_err();
            assert!(
                matches!(&error, BackendError::UnaddressableId { id: seen } if seen == id),
                "{id:?}: {error}"
            );
        }
        let group = client
            .create_group(&crate::model::GroupCreate {
                name: "Ops".into(),
                external_id: None,
            })
            .await
            .unwrap();
        let error = client.add_member(&group.id, "..").await.unwrap_err();
        assert!(
            matches!(error, BackendError::UnaddressableId { .. }),
            "{error}"
        );
        // Percent-encoded dots are ordinary ids: looked up, not found.
        assert!(client.member("%2e%2e").await.unwrap().is_none());
        let carol = client
            .invite(&crate::model::InviteRequest {
                email: "carol@acme.com".into(),
                ..crate::model::InviteRequest::default()
            })
            .await
            .unwrap();
        let (head, tail) = carol.id.split_at(5);
        let tabbed = format!("{head}\t{tail}");
        assert!(client.member(&tabbed).await.unwrap().is_none());
        let error = client.suspend(&tabbed).await.unwrap_err();
        assert!(
            matches!(error, BackendError::UnaddressableId { .. }),
            "{error}"
        );
        assert_eq!(backend.effects().len(), 2, "only the group and carol");
    }

    #[test]
    fn error_messages_are_lower_case_and_name_the_refusal() {
        let error = BackendError::Refused {
            status: 409,
            refusal: Refusal::EmailTaken,
            detail: "bob@acme.com is taken".into(),
        };
        assert_eq!(
            error.to_string(),
            "backend refused the call (409 email_taken): bob@acme.com is taken"
        );
    }

    #[tokio::test]
    async fn an_unreachable_backend_is_a_transport_error() {
        // Nothing can listen on port 0: connecting is refused at once.
        let url = "http://127.0.0.1:0";
        let client = BackendClient::new(url).unwrap();
        let error = client.health().await.unwrap_err();
        assert!(matches!(error, BackendError::Transport { .. }), "{error}");
        assert!(std::error::Error::source(&error).is_some());
    }
}
