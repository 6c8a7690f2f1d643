//! Reading a PATCH request body (RFC 7644 §3.5.2) into `scim_v2`'s
//! `PatchOp`, with SCIM errors for every way it can be wrong.

use scim_v2::filter::PatchPath;
use scim_v2::models::errors::ScimType;
use scim_v2::models::others::{OperationTarget, PatchOp, PatchOperation};
use serde_json::Value;

use crate::faults::{Fault, FaultSet};
use crate::scim_error::ScimError;

/// RFC 7644 §3.5.2: the PatchOp message schema.
pub const PATCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Parses and checks a PATCH body.
pub fn parse_patch(body: &Value, faults: &FaultSet) -> Result<PatchOp, ScimError> {
    let schemas_ok = body
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| {
            s.iter().any(|u| {
                u.as_str()
                    .is_some_and(|u| u.eq_ignore_ascii_case(PATCH_URN))
            })
        });
    if !schemas_ok {
        return Err(ScimError::bad_request(
            ScimType::InvalidSyntax,
            format!("a PATCH body's schemas must contain {PATCH_URN:?} (RFC 7644 §3.5.2)"),
        ));
    }
    let operations = match body.get("Operations").or_else(|| body.get("operations")) {
        Some(Value::Array(ops)) => ops,
        _ => {
            return Err(ScimError::bad_request(
                ScimType::InvalidSyntax,
                "a PATCH body needs an \"Operations\" array (RFC 7644 §3.5.2)",
            ));
        }
    };
    let mut parsed = Vec::with_capacity(operations.len());
    for (i, operation) in operations.iter().enumerate() {
        // Parse the path first: scim_v2 words a bad `remove` path as a raw
        // grammar error, and RFC 7644 §3.12 wants invalidPath for it.
        if let Some(path) = operation.get("path").and_then(Value::as_str)
            && let Err(e) = path.parse::<PatchPath>()
        {
            return Err(ScimError::bad_request(
                ScimType::InvalidPath,
                format!("Operations[{i}]: {path:?} is not a valid SCIM path: {e}"),
            ));
        }
        let op: PatchOperation = serde_json::from_value(operation.clone()).map_err(|e| {
            let text = e.to_string();
            let scim_type = if text.contains("invalid SCIM path") {
                ScimType::InvalidPath
            } else if text.contains("missing field `path`") {
                ScimType::NoTarget
            } else {
                ScimType::InvalidSyntax
            };
            ScimError::bad_request(scim_type, format!("Operations[{i}]: {text}"))
        })?;
        if faults.has(Fault::PatchRequiresPath) && is_pathless(&op) {
            return Err(ScimError::bad_request(
                ScimType::InvalidPath,
                format!("Operations[{i}]: path is required"),
            ));
        }
        parsed.push(op);
    }
    Ok(PatchOp {
        schemas: vec![PATCH_URN.to_string()],
        operations: parsed,
    })
}

fn is_pathless(op: &PatchOperation) -> bool {
    matches!(
        op,
        PatchOperation::Add(OperationTarget::WithoutPath { .. })
            | PatchOperation::Replace(OperationTarget::WithoutPath { .. })
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn okta_deactivate_parses() {
        // docs/okta-wire.md#51-deactivate
        let body = json!({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations":[{"op":"replace","value":{"active":false}}]});
        let op = parse_patch(&body, &FaultSet::none()).unwrap();
        assert_eq!(op.operations.len(), 1);
    }

    #[test]
    fn wrong_schema_is_invalid_syntax() {
        let body = json!({"schemas":["x"], "Operations":[]});
        let error = parse_patch(&body, &FaultSet::none()).unwrap_err();
        assert_eq!(error.scim_type, Some(ScimType::InvalidSyntax));
    }

    #[test]
    fn bad_path_is_invalid_path() {
        let body = json!({"schemas":[PATCH_URN],
            "Operations":[{"op":"remove","path":"members[value eq"}]});
        let error = parse_patch(&body, &FaultSet::none()).unwrap_err();
        assert_eq!(error.scim_type, Some(ScimType::InvalidPath));
        assert!(error.detail.starts_with("Operations[0]"));
    }

    #[test]
    fn unknown_op_is_invalid_syntax() {
        let body = json!({"schemas":[PATCH_URN], "Operations":[{"op":"move","path":"x"}]});
        let error = parse_patch(&body, &FaultSet::none()).unwrap_err();
        assert_eq!(error.scim_type, Some(ScimType::InvalidSyntax));
    }

    #[test]
    fn fault_refuses_pathless() {
        let faults: FaultSet = [Fault::PatchRequiresPath].into_iter().collect();
        let body = json!({"schemas":[PATCH_URN],
            "Operations":[{"op":"replace","value":{"active":false}}]});
        assert_eq!(parse_patch(&body, &faults).unwrap_err().status, 400);
    }
}
