//! `attributes` and `excludedAttributes` (RFC 7644 §3.9, §3.4.2.5): which
//! attributes of a resource a response carries.
//!
//! Names are comma-separated, case-insensitive, in standard attribute
//! notation (§3.10): `userName`, `name.givenName`, `emails.value`, or
//! URN-qualified with the resource's core schema. `returned: always`
//! attributes (`id`, `schemas`) are always kept and `returned: never` ones
//! never (RFC 7643 §2.2).

use scim_v2::models::errors::ScimType;
use serde_json::{Map, Value};

use crate::schema::{self, AttrDef, AttrType, ResourceKind, Returned};
use crate::scim_error::ScimError;

/// Applies the `attributes` / `excludedAttributes` query parameters to
/// `resource`.
///
/// An empty parameter counts as absent. Both at once are refused (400
/// `invalidValue`): §3.9 calls them "mutually exclusive", as `scim_v2`'s
/// `ListQuery::validate` also reads it. A name that is not an attribute of
/// `kind` is refused too (400 `invalidValue`): §3.4.2.5 says "Attribute
/// names MUST be in standard attribute notation (Section 3.10) form", so an
/// unresolvable name is a client error, not something to ignore.
///
/// Keys of `resource` that the schema does not define are passed through
/// unless `attributes` selects, which keeps only what it names.
pub fn project(
    kind: ResourceKind,
    resource: &Value,
    attributes: Option<&str>,
    excluded: Option<&str>,
) -> Result<Value, ScimError> {
    let attributes = attributes.filter(|s| !s.trim().is_empty());
    let excluded = excluded.filter(|s| !s.trim().is_empty());
    let selection = match (attributes, excluded) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "attributes and excludedAttributes may not be combined: RFC 7644 §3.9 makes them mutually \
                 exclusive; send one of them"
                    .to_string(),
            ));
        }
        (Some(list), None) => Selection::Only(names(kind, "attributes", list)?),
        (None, Some(list)) => Selection::Except(names(kind, "excludedAttributes", list)?),
        (None, None) => Selection::Default,
    };
    let Value::Object(object) = resource else {
        return Err(ScimError::internal(
            "the stored resource is not a JSON object",
        ));
    };
    Ok(Value::Object(project_object(
        schema::attributes(kind),
        object,
        &selection,
    )))
}

/// What the client asked for.
#[derive(Debug)]
enum Selection {
    /// Neither parameter: `returned` always and default (RFC 7644 §3.4).
    Default,
    /// `attributes`: these, plus `returned: always`.
    Only(Vec<Name>),
    /// `excludedAttributes`: the default set without these.
    Except(Vec<Name>),
}

/// One resolved name: an attribute, or one of its sub-attributes.
#[derive(Debug, Clone, Copy)]
struct Name {
    attr: &'static AttrDef,
    sub: Option<&'static AttrDef>,
}

fn names(kind: ResourceKind, param: &str, list: &str) -> Result<Vec<Name>, ScimError> {
    list.split(',')
        .map(|raw| name(kind, param, raw.trim()))
        .collect()
}

/// Parses `[URN ":"] attr ["." sub]` (§3.10). `$ref` is allowed as a
/// sub-attribute (RFC 7643 §2.1 names it specially), which is why this is
/// not the filter grammar's `attrPath`.
fn name(kind: ResourceKind, param: &str, raw: &str) -> Result<Name, ScimError> {
    if raw.is_empty() {
        return Err(invalid(format!(
            "{param} has an empty name: separate attribute names with single commas, e.g. userName,emails"
        )));
    }
    let (uri, rest) = match raw.rfind(':') {
        Some(colon) => (raw.get(..colon), raw.get(colon + 1..).unwrap_or("")),
        None => (None, raw),
    };
    let mut parts = rest.split('.');
    let attr = parts.next().unwrap_or("");
    let sub = parts.next();
    let well_formed =
        !attr.is_empty() && sub.is_none_or(|s| !s.is_empty()) && parts.next().is_none();
    let resolved = well_formed
        .then(|| schema::lookup_names(kind, uri, attr, sub))
        .flatten();
    let Some(resolved) = resolved else {
        return Err(invalid(format!(
            "{param}: {raw:?} is not an attribute of {}: use {} (names MUST be in standard attribute \
             notation, RFC 7644 §3.4.2.5, §3.10)",
            kind.name(),
            schema::attribute_list(kind)
        )));
    };
    Ok(Name {
        attr: resolved.attr,
        sub: resolved.sub,
    })
}

fn project_object(
    defs: &'static [AttrDef],
    object: &Map<String, Value>,
    selection: &Selection,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in object {
        let Some(def) = defs.iter().find(|d| d.name.eq_ignore_ascii_case(key)) else {
            if !matches!(selection, Selection::Only(_)) {
                out.insert(key.clone(), value.clone());
            }
            continue;
        };
        if let Some(projected) = project_attribute(def, value, selection) {
            out.insert(key.clone(), projected);
        }
    }
    out
}

/// `value` of `def` as the selection wants it, or `None` to leave it out.
fn project_attribute(def: &AttrDef, value: &Value, selection: &Selection) -> Option<Value> {
    let named = |names: &[Name]| {
        names
            .iter()
            .any(|n| n.attr.name == def.name && n.sub.is_none())
    };
    let named_subs = |names: &[Name]| -> Vec<&'static str> {
        names
            .iter()
            .filter(|n| n.attr.name == def.name)
            .filter_map(|n| n.sub.map(|s| s.name))
            .collect()
    };
    let by_default = |sub: &AttrDef| matches!(sub.returned, Returned::Always | Returned::Default);
    match (def.returned, selection) {
        (Returned::Never, _) => None,
        (Returned::Always, Selection::Only(names)) => {
            let subs = named_subs(names);
            filter_subs(
                def,
                value,
                &|sub| by_default(sub) || subs.contains(&sub.name),
                true,
            )
        }
        (Returned::Always, _) => filter_subs(def, value, &by_default, true),
        (_, Selection::Default) => (def.returned == Returned::Default)
            .then(|| filter_subs(def, value, &by_default, true))
            .flatten(),
        (_, Selection::Only(names)) => {
            let subs = named_subs(names);
            if named(names) {
                filter_subs(
                    def,
                    value,
                    &|sub| by_default(sub) || subs.contains(&sub.name),
                    false,
                )
            } else if subs.is_empty() {
                None
            } else {
                filter_subs(
                    def,
                    value,
                    &|sub| sub.returned == Returned::Always || subs.contains(&sub.name),
                    false,
                )
            }
        }
        (Returned::Request, Selection::Except(_)) => None,
        (_, Selection::Except(names)) => {
            if named(names) {
                return None;
            }
            let subs = named_subs(names);
            filter_subs(
                def,
                value,
                &|sub| {
                    sub.returned == Returned::Always
                        || (by_default(sub) && !subs.contains(&sub.name))
                },
                true,
            )
        }
    }
}

/// Keeps the sub-attributes of a complex `value` that `keep` accepts (and
/// unknown ones if `keep_unknown`), in every element of a multi-valued one.
/// A value emptied by this is left out (`None`); one that was empty stays.
fn filter_subs(
    def: &AttrDef,
    value: &Value,
    keep: &dyn Fn(&AttrDef) -> bool,
    keep_unknown: bool,
) -> Option<Value> {
    if def.kind != AttrType::Complex {
        return Some(value.clone());
    }
    let one = |item: &Value| -> Option<Value> {
        let Value::Object(map) = item else {
            return Some(item.clone());
        };
        let kept: Map<String, Value> = map
            .iter()
            .filter(|(key, _)| def.sub_attribute(key).map_or(keep_unknown, keep))
            .map(|(key, v)| (key.clone(), v.clone()))
            .collect();
        (map.is_empty() || !kept.is_empty()).then_some(Value::Object(kept))
    };
    match value {
        Value::Array(items) => {
            let kept: Vec<Value> = items.iter().filter_map(one).collect();
            (items.is_empty() || !kept.is_empty()).then_some(Value::Array(kept))
        }
        other => one(other),
    }
}

fn invalid(detail: String) -> ScimError {
    ScimError::bad_request(ScimType::InvalidValue, detail)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn alice() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "U1",
            "externalId": "00u1",
            "userName": "alice@acme.com",
            "name": {"formatted": "Alice Smith", "givenName": "Alice", "familyName": "Smith"},
            "displayName": "Alice Smith",
            "emails": [{"value": "alice@acme.com", "type": "work", "primary": true}],
            "active": true,
            "groups": [],
            "meta": {"resourceType": "User", "lastModified": "2024-03-01T12:30:00Z"}
        })
    }

    fn group() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": "g1",
            "displayName": "Engineering",
            "members": [{"value": "U1", "$ref": "http://x/Users/U1", "type": "User"}],
            "meta": {"resourceType": "Group"}
        })
    }

    fn user(attributes: Option<&str>, excluded: Option<&str>) -> Value {
        project(ResourceKind::User, &alice(), attributes, excluded)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn keys(value: &Value) -> Vec<&str> {
        value
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn refused(attributes: Option<&str>, excluded: Option<&str>, needle: &str) {
        let error =
            project(ResourceKind::User, &alice(), attributes, excluded).expect_err("refused");
        assert_eq!(error.status, 400);
        assert_eq!(error.scim_type, Some(ScimType::InvalidValue));
        assert!(
            error.detail.contains(needle),
            "{needle:?} not in {:?}",
            error.detail
        );
    }

    #[test]
    fn no_parameters_return_the_default_set() {
        assert_eq!(user(None, None), alice());
        assert_eq!(
            user(Some(""), Some("  ")),
            alice(),
            "empty parameters count as absent"
        );
    }

    #[test]
    fn attributes_selects_plus_always_returned() {
        let projected = user(Some("userName"), None);
        assert_eq!(
            projected,
            json!({"schemas": alice()["schemas"], "id": "U1", "userName": "alice@acme.com"})
        );
    }

    #[test]
    fn attributes_are_case_insensitive_and_keep_resource_order() {
        let projected = user(Some("ACTIVE, displayname ,UserName"), None);
        assert_eq!(
            keys(&projected),
            ["schemas", "id", "userName", "displayName", "active"]
        );
    }

    #[test]
    fn attributes_select_sub_attributes() {
        let projected = user(Some("name.givenName,emails.value"), None);
        assert_eq!(projected["name"], json!({"givenName": "Alice"}));
        assert_eq!(projected["emails"], json!([{"value": "alice@acme.com"}]));
        assert!(projected.get("userName").is_none());
    }

    #[test]
    fn urn_qualified_names_work() {
        let projected = user(
            Some(
                "urn:ietf:params:scim:schemas:core:2.0:User:userName,urn:ietf:params:scim:schemas:core:2.0:User:name.familyName",
            ),
            None,
        );
        assert_eq!(projected["userName"], "alice@acme.com");
        assert_eq!(projected["name"], json!({"familyName": "Smith"}));
    }

    #[test]
    fn excluded_attributes_drop_from_the_default_set() {
        // Entra ID: GET /Groups?excludedAttributes=members (docs/okta-wire.md#15-microsoft-entra-id-for-comparison).
        let projected =
            project(ResourceKind::Group, &group(), None, Some("members")).expect("valid");
        assert_eq!(keys(&projected), ["schemas", "id", "displayName", "meta"]);
        let projected = user(None, Some("name.formatted,emails.primary,meta"));
        assert_eq!(
            projected["name"],
            json!({"givenName": "Alice", "familyName": "Smith"})
        );
        assert_eq!(
            projected["emails"],
            json!([{"value": "alice@acme.com", "type": "work"}])
        );
        assert!(projected.get("meta").is_none());
    }

    #[test]
    fn always_returned_attributes_cannot_be_excluded() {
        let projected = user(None, Some("id,schemas,userName"));
        assert_eq!(projected["id"], "U1");
        assert!(projected.get("schemas").is_some());
        assert!(projected.get("userName").is_none());
    }

    #[test]
    fn both_parameters_are_refused() {
        refused(Some("userName"), Some("emails"), "mutually exclusive");
    }

    #[test]
    fn unknown_and_malformed_names_are_refused() {
        refused(Some("title"), None, "\"title\" is not an attribute of User");
        refused(None, Some("name.middleName"), "name.middleName");
        refused(Some("userName,,emails"), None, "empty name");
        refused(Some("a.b.c"), None, "\"a.b.c\"");
        refused(Some("emails[type eq \"work\"]"), None, "standard attribute");
        refused(Some("name."), None, "\"name.\"");
        refused(
            Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"),
            None,
            "department",
        );
        refused(
            Some("urn:ietf:params:scim:schemas:core:2.0:Group:displayName"),
            None,
            "Group:displayName",
        );
    }

    #[test]
    fn dollar_ref_is_a_sub_attribute_name() {
        let projected =
            project(ResourceKind::Group, &group(), Some("members.$ref"), None).expect("valid");
        assert_eq!(projected["members"], json!([{"$ref": "http://x/Users/U1"}]));
    }

    #[test]
    fn empty_arrays_stay_and_emptied_values_go() {
        assert_eq!(user(Some("groups"), None)["groups"], json!([]));
        let sparse = json!({"id": "U1", "emails": [{"type": "work"}], "name": {"formatted": "A"}});
        let projected = project(
            ResourceKind::User,
            &sparse,
            Some("emails.value,name.givenName"),
            None,
        )
        .expect("valid");
        assert_eq!(projected, json!({"id": "U1"}));
    }

    #[test]
    fn keys_outside_the_schema_pass_unless_attributes_selects() {
        let mut resource = alice();
        resource["urn:example:extra"] = json!({"x": 1});
        let all = project(ResourceKind::User, &resource, None, Some("emails")).expect("valid");
        assert_eq!(all["urn:example:extra"], json!({"x": 1}));
        let only = project(ResourceKind::User, &resource, Some("userName"), None).expect("valid");
        assert!(only.get("urn:example:extra").is_none());
    }

    #[test]
    fn odd_values_never_panic() {
        let odd = json!({"id": 1, "name": "A", "emails": {"value": 3}, "meta": [1, {"x": null}], "groups": "g"});
        for (attributes, excluded) in [
            (Some("name.givenName,emails.value,meta.created"), None),
            (None, Some("emails.type,groups.value")),
        ] {
            let _ = project(ResourceKind::User, &odd, attributes, excluded).expect("valid names");
        }
        assert_eq!(
            project(ResourceKind::User, &json!(null), None, None).map_err(|e| e.status),
            Err(500)
        );
    }

    // `returned: never` and `request` do not occur in the bridge's schema;
    // a test schema exercises them.
    static SECRET_SUBS: &[AttrDef] = &[
        AttrDef::string("id", "shown by default"),
        AttrDef::string("hint", "shown on request").returned(Returned::Request),
    ];
    static TEST_SCHEMA: &[AttrDef] = &[
        AttrDef::string("id", "always").returned(Returned::Always),
        AttrDef::string("password", "never").returned(Returned::Never),
        AttrDef::string("nickName", "on request").returned(Returned::Request),
        AttrDef::string("title", "by default"),
        AttrDef::complex("secret", SECRET_SUBS, "complex"),
    ];

    fn test_project(selection: &Selection) -> Value {
        let resource = json!({
            "id": "1", "password": "p", "nickName": "Babs", "title": "CEO",
            "secret": {"id": "s", "hint": "h"}
        });
        let Value::Object(object) = resource else {
            unreachable!()
        };
        Value::Object(project_object(TEST_SCHEMA, &object, selection))
    }

    fn test_name(attr: usize, sub: Option<usize>) -> Name {
        Name {
            attr: &TEST_SCHEMA[attr],
            sub: sub.map(|s| &SECRET_SUBS[s]),
        }
    }

    #[test]
    fn never_is_never_returned_and_request_only_when_named() {
        assert_eq!(
            test_project(&Selection::Default),
            json!({"id": "1", "title": "CEO", "secret": {"id": "s"}})
        );
        assert_eq!(
            test_project(&Selection::Only(vec![
                test_name(1, None),
                test_name(2, None),
                test_name(4, Some(1))
            ])),
            json!({"id": "1", "nickName": "Babs", "secret": {"hint": "h"}})
        );
        assert_eq!(
            test_project(&Selection::Except(vec![test_name(3, None)])),
            json!({"id": "1", "secret": {"id": "s"}})
        );
    }
}
