//! What the discovery endpoints must answer (RFC 7644 §4; RFC 7643 §5–§7).

use serde_json::Value;

use super::answer::Answer;
use super::calls::{GROUP_URN, USER_URN};
use super::facts::Facts;
use super::judge::{Problems, has_schema, shown, str_at};

const SPC_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

pub(super) fn judge_service_provider_config(answer: &Answer, _: &mut Facts, p: &mut Problems) {
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

pub(super) fn judge_resource_types(answer: &Answer, _: &mut Facts, p: &mut Problems) {
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

pub(super) fn judge_schemas(answer: &Answer, _: &mut Facts, p: &mut Problems) {
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
