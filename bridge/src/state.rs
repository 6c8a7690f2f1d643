//! What every handler shares: the account, the token, the faults, the clock;
//! and the lookups that decide what SCIM may see (no guests, no built-in
//! groups).

use std::sync::Arc;

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::{header, request::Parts};
use scimulate_backend::{BackendClient, Clock, Group, Member, MemberKind};
use serde_json::Value;

use crate::account::Account;
use crate::faults::{Fault, FaultSet};
use crate::response::Scim;
use crate::scim_error::ScimError;

/// The state behind every route.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    account: Account,
    token: String,
    clock: Arc<dyn Clock>,
    group_names: tokio::sync::Mutex<()>,
}

impl AppState {
    pub fn new(
        client: BackendClient,
        token: String,
        faults: FaultSet,
        clock: Arc<dyn Clock>,
    ) -> Self {
        AppState(Arc::new(Inner {
            account: Account { client, faults },
            token,
            clock,
            group_names: tokio::sync::Mutex::new(()),
        }))
    }

    pub fn account(&self) -> &Account {
        &self.0.account
    }

    pub fn client(&self) -> &BackendClient {
        &self.0.account.client
    }

    pub fn faults(&self) -> &FaultSet {
        &self.0.account.faults
    }

    pub fn has(&self, fault: Fault) -> bool {
        self.0.account.faults.has(fault)
    }

    pub fn token(&self) -> &str {
        &self.0.token
    }

    pub fn clock(&self) -> &dyn Clock {
        self.0.clock.as_ref()
    }

    /// Held from the check that a group name is free until the name is
    /// taken (create, rename): the account allows duplicate names, so two
    /// overlapping pushes of one name (an IdP retry) would otherwise both
    /// pass the check and both create.
    pub fn group_names(&self) -> &tokio::sync::Mutex<()> {
        &self.0.group_names
    }

    /// Refuses with the authentication error when the account has
    /// provisioning off: discovery answers from the bridge alone, but a
    /// bridge in that state fails every SCIM call (issue 3; 1Password
    /// scim-examples #247).
    pub async fn require_provisioning(&self) -> Result<(), ScimError> {
        let settings = self.account().check(self.client().settings().await)?;
        if settings.provisioning {
            Ok(())
        } else {
            Err(crate::account::provisioning_off(self.faults()))
        }
    }

    /// Members with this e-mail (any case; exact case with the
    /// `case-sensitive-username` fault), guests included: callers decide.
    pub async fn members_by_email(&self, email: &str) -> Result<Vec<Member>, ScimError> {
        let page = self
            .account()
            .check(self.client().members_by_email(email).await)?;
        let case_sensitive = self.has(Fault::CaseSensitiveUserName);
        Ok(page
            .items
            .into_iter()
            .filter(|m| {
                !case_sensitive || m.email == email || m.pending_email.as_deref() == Some(email)
            })
            .collect())
    }

    /// Every member SCIM may see, in creation order.
    pub async fn all_members(&self) -> Result<Vec<Member>, ScimError> {
        let page = self
            .account()
            .check(self.client().list_members(0, None).await)?;
        Ok(page
            .items
            .into_iter()
            .filter(|m| m.kind != MemberKind::Guest)
            .collect())
    }

    /// One page of the members SCIM may see (guests left out, creation
    /// order), and how many there are: an unfiltered list (Okta's import,
    /// its connection test) asks the account for that page only, so a page
    /// costs the same in an account of a hundred or a hundred thousand.
    pub async fn member_page(
        &self,
        offset: usize,
        count: usize,
    ) -> Result<(usize, Vec<Member>), ScimError> {
        let page = self.account().check(
            self.client()
                .list_members_of_kind(MemberKind::Member, offset, count)
                .await,
        )?;
        Ok((page.total, page.items))
    }

    /// The member with this id, if SCIM may see it.
    pub async fn visible_member(&self, id: &str) -> Result<Option<Member>, ScimError> {
        let member = self.account().check(self.client().member(id).await)?;
        Ok(member.filter(|m| m.kind != MemberKind::Guest))
    }

    /// The member with this id, or SCIM's 404.
    pub async fn require_member(&self, id: &str) -> Result<Member, ScimError> {
        self.visible_member(id)
            .await?
            .ok_or_else(|| ScimError::not_found(format!("no User with id {id:?}")))
    }

    /// Every group SCIM may see (built-in groups are hidden: provisioning
    /// does not manage them), in creation order.
    pub async fn visible_groups(&self) -> Result<Vec<Group>, ScimError> {
        let expose = self.has(Fault::ExposeBuiltinGroups);
        // Built-in groups are asked for only when they are shown: Team
        // Members lists every member, and would be sent on every request.
        let page = self.account().check(if expose {
            self.client().list_groups(0, None).await
        } else {
            self.client().list_own_groups().await
        })?;
        Ok(page
            .items
            .into_iter()
            .filter(|g| expose || g.builtin.is_none())
            .collect())
    }

    /// The group with this id, if SCIM may see it.
    pub async fn visible_group(&self, id: &str) -> Result<Option<Group>, ScimError> {
        let group = self.account().check(self.client().group(id).await)?;
        let expose = self.has(Fault::ExposeBuiltinGroups);
        Ok(group.filter(|g| expose || g.builtin.is_none()))
    }

    /// The group with this id, or SCIM's 404.
    pub async fn require_group(&self, id: &str) -> Result<Group, ScimError> {
        self.visible_group(id)
            .await?
            .ok_or_else(|| ScimError::not_found(format!("no Group with id {id:?}")))
    }

    /// A 201 Created answer with its Location (RFC 7644 §3.3), bent by the
    /// `create-returns-200` and `no-location-header` faults.
    pub fn created(&self, resource: Value, location: &str) -> Scim {
        let location = (!self.has(Fault::NoLocationHeader)).then_some(location);
        let mut answer = Scim::created(resource, location);
        if self.has(Fault::CreateReturns200) {
            answer.status = axum::http::StatusCode::OK;
        }
        answer
    }
}

/// The URL prefix of the SCIM service the request came in on, e.g.
/// `http://127.0.0.1:4000/scim/v2`: resource locations are built on it so
/// each alias (`/`, `/scim`, `/scim/v2`) answers with its own URLs.
pub struct ScimBase(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ScimBase {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| !h.is_empty() && !h.contains(['/', ' ', '"']))
            .unwrap_or("localhost")
            .to_string();
        let full = parts
            .extensions
            .get::<OriginalUri>()
            .map(|u| u.0.path().to_string())
            .unwrap_or_else(|| parts.uri.path().to_string());
        let inner = parts.uri.path();
        let prefix = full.strip_suffix(inner).unwrap_or("");
        Ok(ScimBase(format!("http://{host}{prefix}")))
    }
}
