//! Discovery (RFC 7644 §4): `/ServiceProviderConfig`, `/ResourceTypes`,
//! `/Schemas`. What they say is what the bridge does: the suites hold it to
//! that.

use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use crate::listing::MAX_COUNT;
use crate::response::{LIST_URN, Scim};
use crate::schema::{self, ResourceKind};
use crate::scim_error::ScimError;
use crate::state::{AppState, ScimBase};

const SPC_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";

/// The query of a discovery request: only `filter` matters (to refuse it).
#[derive(Debug, Default, serde::Deserialize)]
pub struct DiscoveryQuery {
    pub filter: Option<String>,
}

/// RFC 7644 §4: "If a "filter" is provided, the service provider SHOULD
/// respond with HTTP status code 403 (Forbidden)".
fn refuse_filter(query: &DiscoveryQuery) -> Result<(), ScimError> {
    match &query.filter {
        Some(_) => Err(ScimError {
            status: 403,
            scim_type: None,
            detail: "discovery endpoints do not take a filter (RFC 7644 §4)".into(),
        }),
        None => Ok(()),
    }
}

/// `GET /ServiceProviderConfig` (RFC 7643 §5). Matches what 1Password's
/// hosted provisioning advertises (docs/1password.md#4-limits-and-troubleshooting): PATCH and
/// filter yes; bulk, sort, ETags, password change no; one bearer scheme.
pub async fn service_provider_config(
    State(state): State<AppState>,
    base: ScimBase,
    Query(query): Query<DiscoveryQuery>,
) -> Result<Scim, ScimError> {
    state.require_provisioning().await?;
    refuse_filter(&query)?;
    Ok(Scim::ok(json!({
        "schemas": [SPC_URN],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_COUNT},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": false},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "The bridge's bearer token in an Authorization header (RFC 6750)",
            "specUri": "https://www.rfc-editor.org/info/rfc6750",
            "primary": true
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{}/ServiceProviderConfig", base.0),
        }
    })))
}

fn resource_type(kind: ResourceKind, base: &str) -> Value {
    json!({
        "schemas": [RESOURCE_TYPE_URN],
        "id": kind.name(),
        "name": kind.name(),
        "endpoint": kind.endpoint(),
        "description": match kind {
            ResourceKind::User => "A person in the 1Password account",
            ResourceKind::Group => "A group in the 1Password account",
        },
        "schema": kind.schema_urn(),
        "meta": {
            "resourceType": "ResourceType",
            "location": format!("{base}/ResourceTypes/{}", kind.name()),
        }
    })
}

fn schema_resource(kind: ResourceKind, base: &str) -> Value {
    let mut schema = schema::schema_json(kind);
    schema["meta"] = json!({
        "resourceType": "Schema",
        "location": format!("{base}/Schemas/{}", kind.schema_urn()),
    });
    schema
}

fn list(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_URN],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

const KINDS: [ResourceKind; 2] = [ResourceKind::User, ResourceKind::Group];

/// `GET /ResourceTypes` (RFC 7644 §4, RFC 7643 §6).
pub async fn resource_types(
    State(state): State<AppState>,
    base: ScimBase,
    Query(query): Query<DiscoveryQuery>,
) -> Result<Scim, ScimError> {
    state.require_provisioning().await?;
    refuse_filter(&query)?;
    Ok(Scim::ok(list(
        KINDS.iter().map(|k| resource_type(*k, &base.0)).collect(),
    )))
}

/// `GET /ResourceTypes/{name}`.
pub async fn resource_type_by_name(
    State(state): State<AppState>,
    base: ScimBase,
    Path(name): Path<String>,
) -> Result<Scim, ScimError> {
    state.require_provisioning().await?;
    KINDS
        .iter()
        .find(|k| k.name().eq_ignore_ascii_case(&name))
        .map(|k| Scim::ok(resource_type(*k, &base.0)))
        .ok_or_else(|| {
            ScimError::not_found(format!("no ResourceType {name:?} (known: User, Group)"))
        })
}

/// `GET /Schemas` (RFC 7644 §4, RFC 7643 §7).
pub async fn schemas(
    State(state): State<AppState>,
    base: ScimBase,
    Query(query): Query<DiscoveryQuery>,
) -> Result<Scim, ScimError> {
    state.require_provisioning().await?;
    refuse_filter(&query)?;
    Ok(Scim::ok(list(
        KINDS.iter().map(|k| schema_resource(*k, &base.0)).collect(),
    )))
}

/// `GET /Schemas/{urn}`.
pub async fn schema_by_urn(
    State(state): State<AppState>,
    base: ScimBase,
    Path(urn): Path<String>,
) -> Result<Scim, ScimError> {
    state.require_provisioning().await?;
    KINDS
        .iter()
        .find(|k| k.schema_urn().eq_ignore_ascii_case(&urn))
        .map(|k| Scim::ok(schema_resource(*k, &base.0)))
        .ok_or_else(|| ScimError::not_found(format!("no Schema {urn:?}")))
}
