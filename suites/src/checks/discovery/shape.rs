//! The discovery answers as RFC 7643 §5-7 shape them, read from `core`'s
//! probes.

use serde_json::Value;

use scimulate_simulator::Exchange;

use crate::checks::failure::{step_of, wrong_answer, wrong_at};
use crate::checks::list_response;
use crate::checks::reading::resources;
use crate::observation::{Observation, body, status};
use crate::scenarios::core::{DISCOVERY, RESOURCE_TYPES, SCHEMAS, SERVICE_PROVIDER_CONFIG};
use crate::verdict::{Evidence, Verdict};

pub(super) const SPC_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
pub(super) const RESOURCE_TYPE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
pub(super) const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

/// A discovery probe and its 200 JSON body, or the verdict saying why not.
pub(super) fn answered<'o>(
    o: &'o Observation,
    step: &str,
) -> Result<(&'o Exchange, &'o Value), Verdict> {
    let Some(exchange) = o.find(DISCOVERY, step) else {
        return Err(Verdict::failed(Evidence::new(
            format!("{DISCOVERY}: {step}"),
            "the probe was sent",
            "it was not",
        )));
    };
    match body(exchange).filter(|_| status(exchange) == Some(200)) {
        Some(value) => Ok((exchange, value)),
        None => Err(wrong_answer(exchange, "200 with a JSON body")),
    }
}

fn has_urn(value: &Value, urn: &str) -> bool {
    value
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(urn)))
}

/// What an SPC lacks of RFC 7643 §5's REQUIRED attributes.
fn spc_gaps(spc: &Value) -> Vec<String> {
    let mut gaps = Vec::new();
    if !has_urn(spc, SPC_URN) {
        gaps.push(format!("schemas with {SPC_URN}"));
    }
    for feature in ["patch", "bulk", "filter", "changePassword", "sort", "etag"] {
        if !spc
            .pointer(&format!("/{feature}/supported"))
            .is_some_and(Value::is_boolean)
        {
            gaps.push(format!("{feature}.supported (boolean)"));
        }
    }
    for pointer in [
        "/bulk/maxOperations",
        "/bulk/maxPayloadSize",
        "/filter/maxResults",
    ] {
        if !spc.pointer(pointer).is_some_and(Value::is_u64) {
            gaps.push(format!("{} (integer)", &pointer[1..].replace('/', ".")));
        }
    }
    let schemes = spc.get("authenticationSchemes").and_then(Value::as_array);
    let complete = schemes.is_some_and(|s| {
        !s.is_empty()
            && s.iter().all(|scheme| {
                ["type", "name", "description"]
                    .iter()
                    .all(|k| scheme.get(k).is_some_and(Value::is_string))
            })
    });
    if !complete {
        gaps.push("authenticationSchemes, each with type, name and description".into());
    }
    gaps
}

pub(super) fn service_provider_config(o: &Observation) -> Verdict {
    let (exchange, spc) = match answered(o, SERVICE_PROVIDER_CONFIG) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    let gaps = spc_gaps(spc);
    if gaps.is_empty() {
        Verdict::Passed
    } else {
        wrong_answer(
            exchange,
            format!("the REQUIRED attributes: {}", gaps.join(", ")),
        )
    }
}

/// The listed resources of a discovery ListResponse, judged like every
/// ListResponse ([`list_response::gaps`]), and not empty: a target lists
/// at least the User type and its schema.
fn listed<'v>(exchange: &Exchange, list: &'v Value) -> Result<&'v Vec<Value>, Verdict> {
    let gaps = list_response::gaps(list);
    if !gaps.is_empty() {
        return Err(wrong_answer(
            exchange,
            format!("a ListResponse (RFC 7644 §3.4.2) with {}", gaps.join(", ")),
        ));
    }
    match resources(list) {
        Some(items) if !items.is_empty() => Ok(items),
        _ => Err(wrong_answer(
            exchange,
            "a ListResponse whose Resources are not empty",
        )),
    }
}

/// The User resource type of a `/ResourceTypes` answer.
pub(super) fn user_type(types: &[Value]) -> Option<&Value> {
    types.iter().find(|t| {
        t.get("name").and_then(Value::as_str) == Some("User")
            || t.get("schema").and_then(Value::as_str) == Some(USER_URN)
    })
}

pub(super) fn resource_types(o: &Observation) -> Verdict {
    let (exchange, list) = match answered(o, RESOURCE_TYPES) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    let types = match listed(exchange, list) {
        Ok(types) => types,
        Err(verdict) => return verdict,
    };
    for resource_type in types {
        let complete = has_urn(resource_type, RESOURCE_TYPE_URN)
            && ["name", "endpoint", "schema"]
                .iter()
                .all(|k| resource_type.get(k).is_some_and(Value::is_string));
        if !complete {
            return wrong_at(
                exchange,
                format!("every ResourceType with {RESOURCE_TYPE_URN}, name, endpoint and schema"),
                format!("{resource_type} ({})", exchange.headline()),
            );
        }
    }
    let user = user_type(types);
    let endpoint = user.and_then(|u| u.get("endpoint")).and_then(Value::as_str);
    let schema = user.and_then(|u| u.get("schema")).and_then(Value::as_str);
    if endpoint.is_some_and(|e| e.trim_start_matches('/') == "Users") && schema == Some(USER_URN) {
        Verdict::Passed
    } else {
        wrong_answer(
            exchange,
            format!("a User type with endpoint \"/Users\" and schema {USER_URN}"),
        )
    }
}

/// The attributes of a schema, by id, from a `/Schemas` answer.
pub(super) fn schema_attributes<'v>(schemas: &'v [Value], id: &str) -> Option<&'v Vec<Value>> {
    schemas
        .iter()
        .find(|s| s.get("id").and_then(Value::as_str) == Some(id))?
        .get("attributes")?
        .as_array()
}

const TYPES: &[&str] = &[
    "string",
    "boolean",
    "decimal",
    "integer",
    "dateTime",
    "reference",
    "complex",
    "binary",
];

pub(super) fn schemas(o: &Observation) -> Verdict {
    let (exchange, list) = match answered(o, SCHEMAS) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    let served = match listed(exchange, list) {
        Ok(served) => served,
        Err(verdict) => return verdict,
    };
    let Some(attributes) = schema_attributes(served, USER_URN) else {
        return wrong_answer(
            exchange,
            format!("the {USER_URN} schema with its attributes"),
        );
    };
    for attribute in attributes {
        let complete = attribute.get("name").is_some_and(Value::is_string)
            && attribute
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| TYPES.contains(&t))
            && attribute.get("multiValued").is_some_and(Value::is_boolean)
            && attribute.get("required").is_some_and(Value::is_boolean);
        if !complete {
            return Verdict::failed(
                Evidence::new(
                    step_of(exchange),
                    "every attribute with name, a §2.3 type, multiValued and required",
                    format!("{attribute}"),
                )
                .exchange(exchange.number),
            );
        }
    }
    if attributes
        .iter()
        .any(|a| a.get("name").and_then(Value::as_str) == Some("userName"))
    {
        Verdict::Passed
    } else {
        wrong_answer(exchange, "a userName attribute in the User schema")
    }
}

#[cfg(test)]
pub(super) mod samples {
    //! The discovery answers of a correct target, for the unit tests.

    use serde_json::{Value, json};

    use super::*;
    use crate::checks::list_response::LIST_URN;

    pub fn spc() -> Value {
        json!({
            "schemas": [SPC_URN],
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": 1000},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": false},
            "authenticationSchemes": [{"type": "oauthbearertoken", "name": "OAuth Bearer Token", "description": "bearer"}]
        })
    }

    pub fn resource_types() -> Value {
        json!({
            "schemas": [LIST_URN],
            "totalResults": 1,
            "Resources": [{"schemas": [RESOURCE_TYPE_URN], "id": "User", "name": "User", "endpoint": "/Users", "schema": USER_URN}]
        })
    }

    pub fn schemas() -> Value {
        json!({
            "schemas": [LIST_URN],
            "totalResults": 1,
            "Resources": [{"id": USER_URN, "name": "User", "attributes": [
                {"name": "userName", "type": "string", "multiValued": false, "required": true, "caseExact": false, "uniqueness": "server"},
                {"name": "active", "type": "boolean", "multiValued": false, "required": false}
            ]}]
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::samples;
    use super::*;
    use crate::checks::users::sample::Sample;
    use crate::scenarios::core::NAME;

    fn discovery(spc: Value, types: Value, schemas: Value) -> Observation {
        Sample::new(NAME, "ada@acme.com")
            .json(
                (DISCOVERY, SERVICE_PROVIDER_CONFIG),
                ("GET", "/ServiceProviderConfig"),
                None,
                200,
                spc,
            )
            .json(
                (DISCOVERY, RESOURCE_TYPES),
                ("GET", "/ResourceTypes"),
                None,
                200,
                types,
            )
            .json(
                (DISCOVERY, SCHEMAS),
                ("GET", "/Schemas"),
                None,
                200,
                schemas,
            )
            .build()
    }

    fn good() -> Observation {
        discovery(
            samples::spc(),
            samples::resource_types(),
            samples::schemas(),
        )
    }

    #[test]
    fn complete_discovery_passes() {
        let o = good();
        assert_eq!(service_provider_config(&o), Verdict::Passed);
        assert_eq!(resource_types(&o), Verdict::Passed);
        assert_eq!(schemas(&o), Verdict::Passed);
    }

    #[test]
    fn an_spc_without_etag_or_schemes_fails() {
        let mut spc = samples::spc();
        spc.as_object_mut().map(|m| m.remove("etag"));
        spc["authenticationSchemes"] = json!([]);
        spc["filter"]["maxResults"] = json!("1000");
        let o = discovery(spc, samples::resource_types(), samples::schemas());
        let Verdict::Failed { evidence } = service_provider_config(&o) else {
            panic!("expected a failure");
        };
        for gap in [
            "etag.supported",
            "filter.maxResults",
            "authenticationSchemes",
        ] {
            assert!(evidence.expected.contains(gap), "{}", evidence.expected);
        }
        assert_eq!(evidence.exchanges, vec![1]);
    }

    #[test]
    fn a_missing_user_type_or_schema_fails() {
        let mut types = samples::resource_types();
        types["Resources"][0]["endpoint"] = json!("/People");
        assert!(matches!(
            resource_types(&discovery(samples::spc(), types, samples::schemas())),
            Verdict::Failed { .. }
        ));
        let mut served = samples::schemas();
        served["Resources"][0]["attributes"][1] = json!({"name": "active"});
        assert!(matches!(
            schemas(&discovery(
                samples::spc(),
                samples::resource_types(),
                served
            )),
            Verdict::Failed { .. }
        ));
        // A list without totalResults is no ListResponse: clients abort on it.
        for list in [samples::resource_types(), samples::schemas()] {
            let mut bare = list.clone();
            bare.as_object_mut().map(|m| m.remove("totalResults"));
            let (types, served) = if list == samples::schemas() {
                (samples::resource_types(), bare)
            } else {
                (bare, samples::schemas())
            };
            let o = discovery(samples::spc(), types, served);
            let verdict = if list == samples::schemas() {
                schemas(&o)
            } else {
                resource_types(&o)
            };
            let Verdict::Failed { evidence } = verdict else {
                panic!("a list without totalResults passed: {list}");
            };
            assert!(
                evidence.expected.contains("totalResults (REQUIRED)"),
                "{}",
                evidence.expected
            );
        }
        let mut no_urn = samples::schemas();
        no_urn["schemas"] = json!([]);
        assert!(matches!(
            schemas(&discovery(
                samples::spc(),
                samples::resource_types(),
                no_urn
            )),
            Verdict::Failed { .. }
        ));
        let not_found = Sample::new(NAME, "ada@acme.com")
            .json(
                (DISCOVERY, SCHEMAS),
                ("GET", "/Schemas"),
                None,
                404,
                json!({"detail": "no"}),
            )
            .build();
        assert!(matches!(schemas(&not_found), Verdict::Failed { .. }));
    }
}
