use scim_v2::models::errors::ScimType;
use scim_v2::models::others::PatchOp;
use serde_json::{Value, json};

use super::*;

const ALICE: &str = "6WZWHGSOSZHAVIM3TU4PSJRJ2I";
const BOB: &str = "Q2ZV3ZDXUJGQFBW5T4GG6VW3KE";
const CAROL: &str = "89bb1940-b905-4575-9e7f-6f887cfb368e";
const NEW_USER: &str = "23a35c27-23d3-4c03-b4c5-6443c09e7173";

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": ALICE,
        "externalId": "00ujl29u0le5T6Aj10h7",
        "userName": "alice@acme.com",
        "name": {"formatted": "Alice Smith", "givenName": "Alice", "familyName": "Smith"},
        "displayName": "Alice Smith",
        "emails": [{"value": "alice@acme.com", "type": "work", "primary": true}],
        "active": true,
        "groups": [{"value": "g1", "$ref": "http://x/Groups/g1", "display": "Engineering", "type": "direct"}],
        "meta": {"resourceType": "User", "created": "2024-01-10T08:00:00Z", "version": "W/\"3\""}
    })
}

fn group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "g1",
        "displayName": "Engineering",
        "members": [
            {"value": ALICE, "$ref": format!("http://x/Users/{ALICE}"), "type": "User"},
            {"value": CAROL, "$ref": format!("http://x/Users/{CAROL}"), "type": "User"}
        ],
        "meta": {"resourceType": "Group", "version": "W/\"1\""}
    })
}

fn body(operations: Value) -> PatchOp {
    let body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    });
    serde_json::from_value(body).unwrap_or_else(|e| panic!("not a PatchOp: {e}"))
}

fn patch_user(operations: Value) -> Result<Value, ScimError> {
    apply(ResourceKind::User, &user(), &body(operations))
}

fn patch_group(operations: Value) -> Result<Value, ScimError> {
    apply(ResourceKind::Group, &group(), &body(operations))
}

fn ok(result: Result<Value, ScimError>) -> Value {
    result.unwrap_or_else(|e| panic!("unexpected error: {e}"))
}

fn fails(result: Result<Value, ScimError>, scim_type: ScimType, needle: &str) -> ScimError {
    let error = match result {
        Ok(value) => panic!("expected {scim_type}, got {value}"),
        Err(error) => error,
    };
    assert_eq!(error.status, 400, "{error}");
    assert_eq!(error.scim_type.as_ref(), Some(&scim_type), "{error}");
    assert!(
        error.detail.contains(needle),
        "{needle:?} not in {:?}",
        error.detail
    );
    error
}

fn member_ids(group: &Value) -> Vec<&str> {
    group["members"]
        .as_array()
        .map(|members| members.iter().filter_map(|m| m["value"].as_str()).collect())
        .unwrap_or_default()
}

// Okta (docs/okta-wire.md).

#[test]
fn okta_deactivate_and_reactivate() {
    // §5.1, exact body.
    let deactivate: PatchOp = serde_json::from_str(
        r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations":[{"op":"replace","value":{"active":false}}]}"#,
    )
    .expect("Okta's body parses");
    let inactive = ok(apply(ResourceKind::User, &user(), &deactivate));
    assert_eq!(inactive["active"], false);
    let mut expected = user();
    expected["active"] = json!(false);
    assert_eq!(inactive, expected, "nothing else changes");
    // §5.4.
    let active = ok(apply(
        ResourceKind::User,
        &inactive,
        &body(json!([{"op": "replace", "value": {"active": true}}])),
    ));
    assert_eq!(active, user());
}

#[test]
fn okta_group_rename_restates_its_own_id() {
    // §8.1 step 3 / §8.5.
    let renamed = ok(patch_group(json!([
        {"op": "replace", "value": {"id": "g1", "displayName": "Engineering (all)"}}
    ])));
    assert_eq!(renamed["displayName"], "Engineering (all)");
    assert_eq!(renamed["id"], "g1");
    assert_eq!(renamed["members"], group()["members"]);
}

#[test]
fn rename_with_a_different_id_is_a_mutability_error() {
    let error = fails(
        patch_group(json!([{"op": "replace", "value": {"id": "g2", "displayName": "x"}}])),
        ScimType::Mutability,
        "id is readOnly",
    );
    assert!(
        error
            .detail
            .starts_with("Operations[0] (replace without path)"),
        "{}",
        error.detail
    );
}

#[test]
fn okta_membership_patch_removes_and_adds() {
    // §8.4, exact body.
    let patch: PatchOp = serde_json::from_str(
        r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 "Operations":[
  {"op":"remove","path":"members[value eq \"89bb1940-b905-4575-9e7f-6f887cfb368e\"]"},
  {"op":"add","path":"members","value":[{"value":"23a35c27-23d3-4c03-b4c5-6443c09e7173","display":"test.user@okta.local"}]}]}"#,
    )
    .expect("Okta's body parses");
    let patched = ok(apply(ResourceKind::Group, &group(), &patch));
    assert_eq!(member_ids(&patched), [ALICE, NEW_USER]);
    assert_eq!(
        patched["members"][1],
        json!({"value": NEW_USER, "display": "test.user@okta.local"})
    );
}

#[test]
fn adding_a_present_member_is_a_no_op() {
    let patched = ok(patch_group(json!([
        {"op": "add", "path": "members", "value": [{"value": ALICE, "display": "alice@acme.com"}, {"value": BOB}]}
    ])));
    assert_eq!(
        member_ids(&patched),
        [ALICE, CAROL, BOB],
        "order kept, new member last, no duplicate"
    );
    assert_eq!(
        patched["members"][0],
        group()["members"][0],
        "existing value untouched"
    );
}

#[test]
fn removing_an_absent_member_is_a_no_op() {
    // §3.5.2.2 has no noTarget for a filter that selects nothing.
    let patched = ok(patch_group(json!([
        {"op": "remove", "path": format!("members[value eq \"{BOB}\"]")}
    ])));
    assert_eq!(patched, group());
}

#[test]
fn okta_push_now_replaces_all_members() {
    // §8.4 "Full push".
    let patched = ok(patch_group(json!([
        {"op": "replace", "path": "members", "value": [{"value": BOB, "display": "bob@acme.com"}, {"value": NEW_USER}]}
    ])));
    assert_eq!(member_ids(&patched), [BOB, NEW_USER]);
}

#[test]
fn okta_push_now_of_an_empty_group_clears_members() {
    let patched = ok(patch_group(
        json!([{"op": "replace", "path": "members", "value": []}]),
    ));
    assert!(member_ids(&patched).is_empty());
    assert_eq!(patched["displayName"], "Engineering");
}

// Entra ID (docs/okta-wire.md#15-microsoft-entra-id-for-comparison).

#[test]
fn entra_disable_with_string_booleans() {
    let disabled = ok(patch_user(
        json!([{"op": "Replace", "path": "active", "value": "False"}]),
    ));
    assert_eq!(disabled["active"], false);
    let enabled = ok(apply(
        ResourceKind::User,
        &disabled,
        &body(json!([{"op": "Replace", "path": "active", "value": "True"}])),
    ));
    assert_eq!(enabled["active"], true);
    let flagged = ok(patch_user(
        json!([{"op": "replace", "path": "active", "value": false}]),
    ));
    assert_eq!(flagged["active"], false);
}

#[test]
fn entra_remove_members_by_value_list() {
    let patched = ok(patch_group(json!([
        {"op": "Remove", "path": "members", "value": [{"value": CAROL}, {"value": BOB}]}
    ])));
    assert_eq!(member_ids(&patched), [ALICE]);
}

#[test]
fn entra_add_member_with_null_ref() {
    let patched = ok(patch_group(json!([
        {"op": "Add", "path": "members", "value": [{"$ref": null, "value": BOB}]}
    ])));
    assert_eq!(patched["members"][2], json!({"value": BOB}));
}

#[test]
fn entra_replace_multiple_attributes_one_op_each() {
    let patched = ok(patch_user(json!([
        {"op": "Replace", "path": "displayName", "value": "Pvlo"},
        {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "TestBcwqnm@test.microsoft.com"},
        {"op": "Replace", "path": "name.givenName", "value": "Gtfd"},
        {"op": "Replace", "path": "name.familyName", "value": "Pkqf"},
        {"op": "Replace", "path": "externalId", "value": "Eqpj"}
    ])));
    assert_eq!(patched["displayName"], "Pvlo");
    assert_eq!(
        patched["emails"],
        json!([{"value": "TestBcwqnm@test.microsoft.com", "type": "work", "primary": true}])
    );
    assert_eq!(
        patched["name"],
        json!({"formatted": "Alice Smith", "givenName": "Gtfd", "familyName": "Pkqf"})
    );
    assert_eq!(patched["externalId"], "Eqpj");
}

#[test]
fn entra_path_less_value_with_attribute_paths_as_keys() {
    let patched = ok(patch_user(json!([
        {"op": "replace", "value": {
            "displayName": "Bjfe",
            "name.givenName": "Kkom",
            "name.familyName": "Unua",
            "emails[type eq \"work\"].value": "b@acme.com"
        }}
    ])));
    assert_eq!(patched["displayName"], "Bjfe");
    assert_eq!(patched["name"]["givenName"], "Kkom");
    assert_eq!(patched["name"]["familyName"], "Unua");
    assert_eq!(patched["emails"][0]["value"], "b@acme.com");
}

#[test]
fn extension_attributes_are_unknown_paths() {
    fails(
        patch_user(json!([{
            "op": "Replace",
            "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
            "value": "Eqpj"
        }])),
        ScimType::InvalidPath,
        "employeeNumber",
    );
}

#[test]
fn add_and_replace_sub_attributes() {
    let patched = ok(patch_user(json!([
        {"op": "add", "path": "name.givenName", "value": "Ally"},
        {"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName", "value": "Smythe"}
    ])));
    assert_eq!(
        patched["name"],
        json!({"formatted": "Alice Smith", "givenName": "Ally", "familyName": "Smythe"})
    );
    let bare = json!({"schemas": [], "id": "u", "userName": "u@x.com"});
    let named = ok(apply(
        ResourceKind::User,
        &bare,
        &body(json!([{"op": "add", "path": "name.givenName", "value": "U"}])),
    ));
    assert_eq!(named["name"], json!({"givenName": "U"}));
}

#[test]
fn add_to_a_missing_work_email_creates_it() {
    let bare = json!({"id": "u", "userName": "u@x.com"});
    let patched = ok(apply(
        ResourceKind::User,
        &bare,
        &body(json!([{"op": "Add", "path": "emails[type eq \"work\"].value", "value": "u@x.com"}])),
    ));
    assert_eq!(
        patched["emails"],
        json!([{"type": "work", "value": "u@x.com"}])
    );
}

#[test]
fn replace_through_a_filter_that_matches_nothing_is_no_target() {
    let error = fails(
        patch_user(
            json!([{"op": "replace", "path": "emails[type eq \"home\"].value", "value": "a@home.example"}]),
        ),
        ScimType::NoTarget,
        "use add",
    );
    assert!(
        error.detail.contains("emails[type eq \"home\"].value"),
        "{}",
        error.detail
    );
    fails(
        patch_group(
            json!([{"op": "replace", "path": format!("members[value eq \"{BOB}\"]"), "value": {"display": "b"}}]),
        ),
        ScimType::NoTarget,
        "members",
    );
}

#[test]
fn add_through_a_filter_it_cannot_build_is_no_target() {
    fails(
        patch_user(
            json!([{"op": "add", "path": "emails[type eq \"home\" or type eq \"other\"].value", "value": "x@y.z"}]),
        ),
        ScimType::NoTarget,
        "emails",
    );
}

#[test]
fn path_less_add_merges_complex_and_appends_multi_valued() {
    let patched = ok(patch_user(json!([
        {"op": "add", "value": {
            "name": {"givenName": "Ally"},
            "emails": [{"value": "alice@home.example", "type": "home"}],
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"]
        }}
    ])));
    assert_eq!(
        patched["name"],
        json!({"formatted": "Alice Smith", "givenName": "Ally", "familyName": "Smith"})
    );
    assert_eq!(patched["emails"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        patched["schemas"],
        user()["schemas"],
        "schemas in a value is ignored"
    );
}

#[test]
fn core_urn_key_holds_more_attributes() {
    let patched = ok(patch_user(json!([
        {"op": "replace", "value": {"urn:ietf:params:scim:schemas:core:2.0:User": {"displayName": "A. Smith"}}}
    ])));
    assert_eq!(patched["displayName"], "A. Smith");
}

#[test]
fn names_match_case_insensitively_and_are_written_canonically() {
    let patched = ok(patch_user(json!([
        {"op": "replace", "value": {"ACTIVE": false, "DisplayName": "A"}},
        {"op": "replace", "path": "NAME.GIVENNAME", "value": "Al"},
        {"op": "replace", "path": "EMAILS[TYPE eq \"work\"].VALUE", "value": "al@acme.com"}
    ])));
    assert_eq!(patched["active"], false);
    assert_eq!(patched["displayName"], "A");
    assert_eq!(patched["name"]["givenName"], "Al");
    assert_eq!(patched["emails"][0]["value"], "al@acme.com");
    assert!(patched.get("ACTIVE").is_none() && patched.get("DisplayName").is_none());
    let odd = json!({"id": "u", "USERNAME": "u@x.com", "Active": true});
    let fixed = ok(apply(
        ResourceKind::User,
        &odd,
        &body(json!([{"op": "replace", "path": "active", "value": false}])),
    ));
    assert_eq!(
        fixed,
        json!({"id": "u", "USERNAME": "u@x.com", "active": false})
    );
}

#[test]
fn value_filters_honour_case_exactness() {
    // emails.type is not caseExact; members.value is.
    let patched = ok(patch_user(
        json!([{"op": "replace", "path": "emails[type eq \"WORK\"].display", "value": "Work"}]),
    ));
    assert_eq!(patched["emails"][0]["display"], "Work");
    let untouched = ok(patch_group(
        json!([{"op": "remove", "path": format!("members[value eq \"{}\"]", ALICE.to_lowercase())}]),
    ));
    assert_eq!(member_ids(&untouched), [ALICE, CAROL]);
}

#[test]
fn remove_attribute_and_sub_attribute() {
    let patched = ok(patch_user(json!([
        {"op": "remove", "path": "displayName"},
        {"op": "remove", "path": "name.formatted"},
        {"op": "remove", "path": "emails[type eq \"work\"].primary"}
    ])));
    assert!(patched.get("displayName").is_none());
    assert_eq!(
        patched["name"],
        json!({"givenName": "Alice", "familyName": "Smith"})
    );
    assert_eq!(
        patched["emails"],
        json!([{"value": "alice@acme.com", "type": "work"}])
    );
    let emptied = ok(patch_user(json!([
        {"op": "remove", "path": "name.formatted"},
        {"op": "remove", "path": "name.givenName"},
        {"op": "remove", "path": "name.familyName"}
    ])));
    assert!(
        emptied.get("name").is_none(),
        "an empty complex attribute is unassigned"
    );
}

#[test]
fn remove_all_members_and_last_member_unassigns() {
    let patched = ok(patch_group(json!([{"op": "remove", "path": "members"}])));
    assert!(patched.get("members").is_none());
    let patched = ok(patch_group(json!([
        {"op": "remove", "path": format!("members[value eq \"{ALICE}\"]")},
        {"op": "remove", "path": format!("members[value eq \"{CAROL}\"]")}
    ])));
    assert!(patched.get("members").is_none());
}

#[test]
fn replace_with_null_unassigns_and_add_null_does_nothing() {
    let patched = ok(patch_user(
        json!([{"op": "replace", "path": "displayName", "value": null}]),
    ));
    assert!(patched.get("displayName").is_none());
    let same = ok(patch_user(
        json!([{"op": "add", "path": "displayName", "value": null}]),
    ));
    assert_eq!(same, user());
    let patched = ok(patch_user(
        json!([{"op": "replace", "value": {"name": {"formatted": null}}}]),
    ));
    assert_eq!(
        patched["name"],
        json!({"givenName": "Alice", "familyName": "Smith"})
    );
}

#[test]
fn member_display_can_change_through_a_filter() {
    let patched = ok(patch_group(json!([
        {"op": "replace", "path": format!("members[value eq \"{ALICE}\"]"), "value": {"display": "Alice"}},
        {"op": "add", "path": format!("members[value eq \"{CAROL}\"].display"), "value": "Carol"}
    ])));
    assert_eq!(patched["members"][0]["display"], "Alice");
    assert_eq!(patched["members"][0]["value"], ALICE);
    assert_eq!(patched["members"][1]["display"], "Carol");
}

// Primary (RFC 7643 §2.4).

#[test]
fn a_new_primary_email_demotes_the_old_one() {
    let patched = ok(patch_user(json!([
        {"op": "add", "path": "emails", "value": [{"value": "a@home.example", "type": "home", "primary": true}]}
    ])));
    assert_eq!(patched["emails"][0]["primary"], false);
    assert_eq!(patched["emails"][1]["primary"], true);
    let switched = ok(apply(
        ResourceKind::User,
        &patched,
        &body(
            json!([{"op": "replace", "path": "emails[type eq \"work\"].primary", "value": true}]),
        ),
    ));
    assert_eq!(switched["emails"][0]["primary"], true);
    assert_eq!(switched["emails"][1]["primary"], false);
}

#[test]
fn two_new_primaries_at_once_are_invalid() {
    fails(
        patch_user(json!([{"op": "replace", "path": "emails", "value": [
            {"value": "a@x.com", "primary": true}, {"value": "b@x.com", "primary": "True"}
        ]}])),
        ScimType::InvalidValue,
        "at most one",
    );
}

// Mutability.

#[test]
fn read_only_attributes_cannot_change() {
    fails(
        patch_user(json!([{"op": "replace", "path": "id", "value": "other"}])),
        ScimType::Mutability,
        "id is readOnly",
    );
    fails(
        patch_user(json!([{"op": "replace", "path": "meta.version", "value": "W/\"9\""}])),
        ScimType::Mutability,
        "meta is readOnly",
    );
    fails(
        patch_user(json!([{"op": "add", "path": "groups", "value": [{"value": "g2"}]}])),
        ScimType::Mutability,
        "groups is readOnly",
    );
    fails(
        patch_user(json!([{"op": "remove", "path": "groups"}])),
        ScimType::Mutability,
        "groups",
    );
    fails(
        patch_user(json!([{"op": "remove", "path": "id"}])),
        ScimType::Mutability,
        "unassigned",
    );
    fails(
        patch_user(json!([{"op": "add", "path": "schemas", "value": ["urn:x"]}])),
        ScimType::Mutability,
        "schemas",
    );
}

#[test]
fn empty_read_only_lists_count_as_unassigned() {
    // RFC 7643 §2.5: [] and unassigned are the same state.
    let mut alice = user();
    alice["groups"] = json!([]);
    let same = ok(apply(
        ResourceKind::User,
        &alice,
        &body(json!([{"op": "remove", "path": "groups"}])),
    ));
    assert!(same.get("groups").is_none());
}

#[test]
fn read_only_values_restated_unchanged_are_accepted() {
    let same = ok(patch_user(json!([
        {"op": "replace", "path": "id", "value": ALICE},
        {"op": "replace", "value": {"meta": {"resourceType": "User"}}}
    ])));
    assert_eq!(same, user());
}

#[test]
fn immutable_member_values_cannot_change() {
    fails(
        patch_group(
            json!([{"op": "replace", "path": format!("members[value eq \"{ALICE}\"].value"), "value": BOB}]),
        ),
        ScimType::Mutability,
        "members[value eq",
    );
    fails(
        patch_group(
            json!([{"op": "replace", "path": format!("members[value eq \"{ALICE}\"]"), "value": {"value": BOB}}]),
        ),
        ScimType::Mutability,
        "immutable",
    );
    fails(
        patch_group(json!([{"op": "remove", "path": "members.type"}])),
        ScimType::Mutability,
        "members.type is immutable",
    );
}

// Errors.

#[test]
fn unknown_attributes_are_invalid_paths() {
    let error = fails(
        patch_user(json!([{"op": "add", "path": "title", "value": "CEO"}])),
        ScimType::InvalidPath,
        "\"title\"",
    );
    assert!(
        error.detail.contains("userName"),
        "lists what exists: {}",
        error.detail
    );
    fails(
        patch_user(json!([{"op": "replace", "value": {"nickName": "Babs"}}])),
        ScimType::InvalidPath,
        "nickName",
    );
    fails(
        patch_user(json!([{"op": "replace", "path": "name.middleName", "value": "Q"}])),
        ScimType::InvalidPath,
        "middleName",
    );
    fails(
        patch_user(json!([{"op": "replace", "value": {"name": {"middleName": "Q"}}}])),
        ScimType::InvalidPath,
        "name.middleName",
    );
    fails(
        patch_group(
            json!([{"op": "add", "path": "members", "value": [{"value": BOB, "role": "admin"}]}]),
        ),
        ScimType::InvalidPath,
        "members.role",
    );
    fails(
        patch_user(
            json!([{"op": "replace", "path": "emails[type eq \"work\"].address", "value": "x"}]),
        ),
        ScimType::InvalidPath,
        "\"address\"",
    );
    fails(
        patch_group(json!([{"op": "replace", "path": "userName", "value": "x"}])),
        ScimType::InvalidPath,
        "Group",
    );
    fails(
        patch_user(json!([{"op": "replace", "value": {"emails[": "x"}}])),
        ScimType::InvalidPath,
        "emails[",
    );
}

#[test]
fn value_filters_need_a_multi_valued_complex_attribute() {
    fails(
        patch_user(
            json!([{"op": "replace", "path": "name[givenName eq \"Alice\"].familyName", "value": "x"}]),
        ),
        ScimType::InvalidPath,
        "multi-valued complex",
    );
    fails(
        patch_user(json!([{"op": "remove", "path": "emails[kind eq \"work\"]"}])),
        ScimType::InvalidFilter,
        "kind",
    );
}

#[test]
fn wrong_json_types_are_invalid_values() {
    fails(
        patch_user(json!([{"op": "replace", "value": {"active": "yes"}}])),
        ScimType::InvalidValue,
        "active must be a boolean",
    );
    fails(
        patch_group(json!([{"op": "replace", "value": {"displayName": 3}}])),
        ScimType::InvalidValue,
        "the number 3",
    );
    fails(
        patch_user(json!([{"op": "replace", "path": "name", "value": "Alice"}])),
        ScimType::InvalidValue,
        "name is complex",
    );
    fails(
        patch_group(json!([{"op": "add", "path": "members", "value": [BOB]}])),
        ScimType::InvalidValue,
        "members is complex",
    );
    fails(
        patch_group(json!([{"op": "add", "path": "members", "value": [null]}])),
        ScimType::InvalidValue,
        "null",
    );
    fails(
        patch_group(
            json!([{"op": "add", "path": "members", "value": [{"display": "bob@acme.com"}]}]),
        ),
        ScimType::InvalidValue,
        "needs a \"value\"",
    );
    fails(
        patch_user(
            json!([{"op": "replace", "path": "emails[type eq \"work\"].primary", "value": 1}]),
        ),
        ScimType::InvalidValue,
        "boolean",
    );
    fails(
        patch_user(
            json!([{"op": "replace", "value": {"urn:ietf:params:scim:schemas:core:2.0:User": 5}}]),
        ),
        ScimType::InvalidValue,
        "object",
    );
}

#[test]
fn required_attributes_cannot_be_removed_or_emptied() {
    fails(
        patch_user(json!([{"op": "remove", "path": "userName"}])),
        ScimType::InvalidValue,
        "userName is required",
    );
    fails(
        patch_group(json!([{"op": "remove", "path": "displayName"}])),
        ScimType::InvalidValue,
        "displayName is required",
    );
    fails(
        patch_group(json!([{"op": "replace", "value": {"displayName": "  "}}])),
        ScimType::InvalidValue,
        "cannot be empty",
    );
    fails(
        patch_user(json!([{"op": "replace", "path": "userName", "value": null}])),
        ScimType::InvalidValue,
        "required",
    );
}

#[test]
fn add_and_replace_need_a_value() {
    fails(
        patch_user(json!([{"op": "add", "path": "displayName"}])),
        ScimType::InvalidValue,
        "needs a \"value\"",
    );
    fails(
        patch_user(json!([{"op": "replace", "path": "emails[type eq \"work\"].value"}])),
        ScimType::InvalidValue,
        "value",
    );
    fails(
        patch_user(json!([{"op": "replace", "value": {}}])),
        ScimType::InvalidValue,
        "one or more attributes",
    );
}

#[test]
fn errors_name_the_failing_operation_and_nothing_is_applied() {
    let error = fails(
        patch_user(json!([
            {"op": "replace", "path": "displayName", "value": "ok"},
            {"op": "remove", "path": "userName"}
        ])),
        ScimType::InvalidValue,
        "Operations[1] (remove userName)",
    );
    assert!(error.detail.contains("required"), "{}", error.detail);
}

#[test]
fn empty_and_oversized_patches_are_refused() {
    fails(
        patch_user(json!([])),
        ScimType::InvalidValue,
        "one or more operations",
    );
    let many: Vec<Value> = (0..10_000)
        .map(|_| json!({"op": "replace", "value": {"active": true}}))
        .collect();
    fails(
        patch_user(Value::Array(many)),
        ScimType::InvalidValue,
        "at most 1000",
    );
    let limit: Vec<Value> = (0..MAX_OPERATIONS)
        .map(|_| json!({"op": "replace", "value": {"active": false}}))
        .collect();
    assert_eq!(ok(patch_user(Value::Array(limit)))["active"], false);
}

#[test]
fn path_filter_work_is_bounded() {
    let terms: Vec<String> = (0..1000).map(|i| format!("value eq \"u{i}\"")).collect();
    let path = format!("members[{}]", terms.join(" or "));
    let ops: Vec<Value> = (0..11)
        .map(|_| json!({"op": "remove", "path": path}))
        .collect();
    fails(
        patch_group(Value::Array(ops)),
        ScimType::InvalidValue,
        "more than 10000",
    );
}

#[test]
fn odd_resources_and_values_never_panic() {
    let odd = json!({"id": 1, "members": "x", "displayName": ["a"], "meta": 5, "name": 3, "emails": {"value": 1}});
    let operations = [
        json!({"op": "add", "path": "members", "value": [{"value": BOB}]}),
        json!({"op": "remove", "path": "members[value eq \"x\"]"}),
        json!({"op": "replace", "path": "members[value eq \"x\"].display", "value": "d"}),
        json!({"op": "replace", "path": "displayName", "value": "G"}),
        json!({"op": "remove", "path": "members.display"}),
        json!({"op": "replace", "value": {"members": {"value": BOB}}}),
        json!({"op": "replace", "value": {"displayName": {"a": [1, {"b": null}]}}}),
    ];
    for operation in operations {
        let _ = apply(ResourceKind::Group, &odd, &body(json!([operation])));
    }
    for kind in [ResourceKind::User, ResourceKind::Group] {
        for resource in [json!(null), json!([]), json!("x")] {
            let error = apply(
                kind,
                &resource,
                &body(json!([{"op": "replace", "value": {"active": true}}])),
            );
            assert_eq!(error.map_err(|e| e.status), Err(500));
        }
    }
    let user_odd =
        json!({"userName": "u@x.com", "name": "Alice", "emails": [1, null, "e", {"value": 2}]});
    for operation in [
        json!({"op": "add", "path": "name.givenName", "value": "A"}),
        json!({"op": "replace", "path": "emails[type eq \"work\"].value", "value": "v"}),
        json!({"op": "add", "path": "emails", "value": {"value": "v", "primary": true}}),
        json!({"op": "remove", "path": "emails.type"}),
    ] {
        let _ = apply(ResourceKind::User, &user_odd, &body(json!([operation])));
    }
}
