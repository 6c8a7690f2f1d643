use scim_v2::filter::Filter;
use scim_v2::models::errors::ScimType;
use serde_json::{Value, json};

use super::*;

fn alice() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": "6WZWHGSOSZHAVIM3TU4PSJRJ2I",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "userName": "alice@acme.com",
        "name": {"formatted": "Alice Smith", "givenName": "Alice", "familyName": "Smith"},
        "displayName": "Alice Smith",
        "emails": [
            {"value": "alice@acme.com", "type": "work", "primary": true},
            {"value": "alice@home.example", "type": "home"}
        ],
        "active": true,
        "groups": [{"value": "g1", "display": "Engineering", "type": "direct"}],
        "meta": {
            "resourceType": "User",
            "created": "2024-01-10T08:00:00Z",
            "lastModified": "2024-03-01T12:30:00Z",
            "version": "W/\"3\""
        }
    })
}

fn engineering() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "g1",
        "displayName": "Engineering",
        "members": [
            {"value": "6WZWHGSOSZHAVIM3TU4PSJRJ2I", "type": "User"},
            {"value": "Q2ZV3ZDXUJGQFBW5T4GG6VW3KE", "type": "User"}
        ]
    })
}

fn user_matches(text: &str) -> bool {
    let filter = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    matches(ResourceKind::User, &filter, &alice()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn group_matches(text: &str) -> bool {
    let filter = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    matches(ResourceKind::Group, &filter, &engineering()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn user_error(text: &str) -> ScimError {
    match parse(text).and_then(|filter| matches(ResourceKind::User, &filter, &alice())) {
        Ok(result) => panic!("{text}: expected an error, matched = {result}"),
        Err(error) => error,
    }
}

fn assert_invalid_filter(error: &ScimError, needle: &str) {
    assert_eq!(error.status, 400, "{error}");
    assert_eq!(error.scim_type, Some(ScimType::InvalidFilter), "{error}");
    assert!(
        error.detail.contains(needle),
        "{needle:?} not in {:?}",
        error.detail
    );
}

// Okta's lookups (docs/okta-wire.md#31-existence-check, §8.1, §12.1 step 9).

#[test]
fn okta_user_lookup_matches_user_name() {
    assert!(user_matches(r#"userName eq "alice@acme.com""#));
    assert!(!user_matches(r#"userName eq "bob@acme.com""#));
}

#[test]
fn user_name_is_case_insensitive_both_ways() {
    // RFC 7643 §4.1.1 userName caseExact false; Okta's SPEC test step 9.
    assert!(user_matches(r#"userName eq "ALICE@ACME.COM""#));
    assert!(user_matches(r#"USERNAME EQ "Alice@Acme.com""#));
}

#[test]
fn okta_group_lookup_matches_display_name_case_insensitively() {
    assert!(group_matches(r#"displayName eq "Engineering""#));
    assert!(group_matches(r#"displayName eq "engineering""#));
    assert!(!group_matches(r#"displayName eq "Sales""#));
}

#[test]
fn id_and_external_id_are_case_exact() {
    assert!(user_matches(r#"externalId eq "00ujl29u0le5T6Aj10h7""#));
    assert!(!user_matches(r#"externalId eq "00UJL29U0LE5T6AJ10H7""#));
    assert!(user_matches(r#"id eq "6WZWHGSOSZHAVIM3TU4PSJRJ2I""#));
    assert!(!user_matches(r#"id eq "6wzwhgsoszhavim3tu4psjrj2i""#));
}

#[test]
fn operators_co_sw_ew_honour_case_exactness() {
    assert!(user_matches(r#"userName co "ACME""#));
    assert!(user_matches(r#"userName sw "Alice""#));
    assert!(user_matches(r#"userName ew ".COM""#));
    assert!(!user_matches(r#"userName sw "bob""#));
    assert!(!user_matches(r#"externalId sw "00UJ""#));
    assert!(user_matches(r#"externalId sw "00uj""#));
}

#[test]
fn string_ordering_is_lexicographic() {
    assert!(user_matches(r#"userName gt "aaa""#));
    assert!(user_matches(r#"userName lt "B""#));
    assert!(user_matches(r#"userName ge "alice@acme.com""#));
    assert!(user_matches(r#"userName le "ALICE@ACME.COM""#));
    assert!(!user_matches(r#"userName gt "b""#));
}

#[test]
fn ne_is_the_negation_of_eq_on_single_values() {
    assert!(user_matches(r#"userName ne "bob@acme.com""#));
    assert!(!user_matches(r#"userName ne "ALICE@acme.com""#));
    // Unassigned: not equal to anything.
    let filter = parse(r#"displayName ne "x""#).expect("parses");
    assert!(matches(ResourceKind::User, &filter, &json!({"userName": "a@b.c"})).expect("valid"));
}

#[test]
fn logical_operators_and_grouping() {
    assert!(user_matches(
        r#"userName eq "alice@acme.com" and active eq true"#
    ));
    assert!(!user_matches(
        r#"userName eq "alice@acme.com" and active eq false"#
    ));
    assert!(user_matches(
        r#"userName eq "x" or displayName eq "alice smith""#
    ));
    assert!(user_matches(r#"not (userName eq "x")"#));
    assert!(!user_matches(r#"not (userName pr)"#));
    assert!(user_matches(
        r#"(userName eq "x" or userName eq "alice@acme.com") and (active eq true)"#
    ));
    assert!(!user_matches(
        r#"userName eq "x" and (active eq true or active eq false)"#
    ));
}

#[test]
fn sub_attributes_match() {
    assert!(user_matches(r#"name.givenName eq "alice""#));
    assert!(user_matches(r#"name.familyName sw "Sm""#));
    assert!(!user_matches(r#"name.givenName eq "Bob""#));
    assert!(user_matches(r#"meta.resourceType eq "User""#));
}

#[test]
fn multi_valued_attributes_match_if_any_value_matches() {
    assert!(user_matches(r#"emails.value eq "alice@home.example""#));
    assert!(user_matches(r#"emails.value eq "ALICE@ACME.COM""#));
    assert!(user_matches(r#"emails.type eq "home""#));
    assert!(!user_matches(r#"emails.value eq "bob@acme.com""#));
    assert!(group_matches(
        r#"members.value eq "Q2ZV3ZDXUJGQFBW5T4GG6VW3KE""#
    ));
    assert!(!group_matches(
        r#"members.value eq "q2zv3zdxujgqfbw5t4gg6vw3ke""#
    ));
    assert!(user_matches(r#"groups.display eq "engineering""#));
}

#[test]
fn multi_valued_complex_compared_as_a_whole_uses_value() {
    // RFC 7643 §2.4: "value" is the primary sub-attribute.
    assert!(user_matches(r#"emails eq "alice@home.example""#));
    assert!(user_matches(r#"emails co "@home""#));
    assert!(group_matches(r#"members eq "6WZWHGSOSZHAVIM3TU4PSJRJ2I""#));
}

#[test]
fn value_paths_filter_within_one_value() {
    assert!(user_matches(
        r#"emails[type eq "work" and value co "@acme.com"]"#
    ));
    assert!(!user_matches(
        r#"emails[type eq "home" and value co "@acme.com"]"#
    ));
    assert!(user_matches(r#"emails[type eq "home" or primary eq true]"#));
    assert!(user_matches(r#"EMAILS[TYPE eq "WORK"]"#));
    assert!(user_matches(r#"emails[not (type eq "work")]"#));
    assert!(group_matches(
        r#"members[value eq "6WZWHGSOSZHAVIM3TU4PSJRJ2I"]"#
    ));
    assert!(user_matches(r#"userName pr and emails[primary eq true]"#));
}

#[test]
fn value_path_on_single_complex_attribute() {
    assert!(user_matches(
        r#"name[givenName eq "Alice" and familyName eq "Smith"]"#
    ));
    assert!(!user_matches(r#"name[givenName eq "Bob"]"#));
}

#[test]
fn present_means_non_null_non_empty() {
    assert!(user_matches("userName pr"));
    assert!(user_matches("name pr"));
    assert!(user_matches("emails pr"));
    assert!(user_matches("emails.primary pr"));
    let sparse =
        json!({"userName": "", "name": {}, "emails": [], "displayName": null, "groups": [{}]});
    for text in [
        "userName pr",
        "name pr",
        "emails pr",
        "displayName pr",
        "groups pr",
    ] {
        let filter = parse(text).expect("parses");
        assert!(
            !matches(ResourceKind::User, &filter, &sparse).expect("valid"),
            "{text}"
        );
    }
}

#[test]
fn null_comparisons_mean_absent_and_present() {
    assert!(user_matches("userName ne null"));
    assert!(!user_matches("userName eq null"));
    let filter = parse("displayName eq null").expect("parses");
    assert!(matches(ResourceKind::User, &filter, &json!({"userName": "a"})).expect("valid"));
}

#[test]
fn booleans_compare_with_eq_and_ne_only() {
    assert!(user_matches("active eq true"));
    assert!(user_matches("active ne false"));
    assert!(!user_matches("active eq false"));
    for text in [
        "active gt true",
        "active le false",
        "active co true",
        r#"active eq "true""#,
    ] {
        assert_invalid_filter(&user_error(text), "boolean");
    }
}

#[test]
fn date_times_compare_by_instant() {
    assert!(user_matches(
        r#"meta.lastModified gt "2024-01-01T00:00:00Z""#
    ));
    assert!(user_matches(
        r#"meta.created lt "2024-01-10T09:00:00+00:30""#
    ));
    // Same instant, different offset: equal.
    assert!(user_matches(
        r#"meta.created eq "2024-01-10T10:00:00+02:00""#
    ));
    assert!(user_matches(r#"meta.created ge "2024-01-10T08:00:00Z""#));
    assert!(!user_matches(
        r#"meta.lastModified lt "2024-03-01T12:30:00Z""#
    ));
    assert!(user_matches(
        r#"meta.lastModified le "2024-03-01T12:30:00Z""#
    ));
}

#[test]
fn bad_date_time_operands_are_invalid_filters() {
    assert_invalid_filter(
        &user_error(r#"meta.created gt "yesterday""#),
        "xsd:dateTime",
    );
    assert_invalid_filter(&user_error(r#"meta.created co "2024""#), "dateTime");
    assert_invalid_filter(&user_error("meta.created gt 5"), "cannot be compared");
}

#[test]
fn unknown_attributes_are_invalid_filters_naming_what_exists() {
    let error = user_error(r#"title eq "CEO""#);
    assert_invalid_filter(&error, "unknown attribute \"title\"");
    assert!(error.detail.contains("userName"), "{}", error.detail);
    assert_invalid_filter(&user_error(r#"name.middleName eq "Q""#), "name.middleName");
    let group = parse(r#"userName eq "x""#).expect("parses");
    let error =
        matches(ResourceKind::Group, &group, &engineering()).expect_err("unknown on groups");
    assert_invalid_filter(&error, "displayName");
}

#[test]
fn unknown_attribute_fails_even_when_the_other_branch_decides() {
    // Checked before matching: short-circuits cannot hide it.
    assert_invalid_filter(&user_error(r#"userName pr or title eq "x""#), "title");
    let filter = parse(r#"bogus pr"#).expect("parses");
    assert!(compile(ResourceKind::User, &filter).map(|_| ()).is_err());
}

#[test]
fn urn_qualified_names_of_the_core_schema_work() {
    assert!(user_matches(
        r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "alice@acme.com""#
    ));
    assert!(user_matches(
        r#"urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "Alice""#
    ));
    assert_invalid_filter(
        &user_error(
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "x""#,
        ),
        "unknown attribute",
    );
    assert_invalid_filter(
        &user_error(r#"urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x""#),
        "unknown attribute",
    );
}

#[test]
fn comparing_a_complex_attribute_whole_is_invalid() {
    assert_invalid_filter(&user_error(r#"name eq "Alice Smith""#), "name.formatted");
    assert_invalid_filter(&user_error(r#"meta gt "x""#), "complex");
}

#[test]
fn wrong_operand_types_are_invalid() {
    assert_invalid_filter(&user_error("userName eq 5"), "quote the value");
    assert_invalid_filter(&user_error("userName eq true"), "string");
    assert_invalid_filter(&user_error("userName gt null"), "cannot be compared");
}

#[test]
fn value_filters_only_name_sub_attributes() {
    assert_invalid_filter(
        &user_error(r#"emails[kind eq "work"]"#),
        "value, display, type, primary",
    );
    assert_invalid_filter(
        &user_error(r#"emails[emails.type eq "work"]"#),
        "not a sub-attribute",
    );
    assert_invalid_filter(
        &user_error(r#"userName[value eq "x"]"#),
        "complex attribute",
    );
    assert_invalid_filter(
        &user_error(r#"name.givenName[value eq "x"]"#),
        "complex attribute",
    );
}

#[test]
fn non_object_resources_and_odd_json_types_never_match_or_panic() {
    let filter = parse(r#"userName eq "a""#).expect("parses");
    for resource in [json!(null), json!(3), json!("userName"), json!([1, 2])] {
        assert!(!matches(ResourceKind::User, &filter, &resource).expect("valid"));
    }
    let odd = json!({
        "userName": 7,
        "emails": {"value": "a"},
        "name": "Alice",
        "active": "yes",
        "meta": {"created": "not a date"},
        "groups": "g1"
    });
    for text in [
        r#"userName eq "a""#,
        r#"emails.value eq "a""#,
        r#"name.givenName eq "Alice""#,
        "active eq true",
        r#"meta.created gt "2020-01-01T00:00:00Z""#,
        r#"emails[value eq "a"]"#,
        r#"groups eq "g1""#,
    ] {
        let filter = parse(text).expect("parses");
        let _ = matches(ResourceKind::User, &filter, &odd).expect("valid filter");
    }
}

#[test]
fn keys_in_the_resource_are_found_case_insensitively() {
    let filter = parse(r#"userName eq "a@b.c""#).expect("parses");
    assert!(matches(ResourceKind::User, &filter, &json!({"USERNAME": "A@B.C"})).expect("valid"));
}

#[test]
fn compiled_filters_match_many_resources() {
    let filter = parse(r#"emails[type eq "work"]"#).expect("parses");
    let compiled = compile(ResourceKind::User, &filter).expect("valid");
    assert!(compiled.matches(&alice()));
    assert!(!compiled.matches(&json!({"emails": [{"type": "home"}]})));
}

// Parse errors, reworded.

fn parse_error(text: &str) -> ScimError {
    match parse(text) {
        Ok(filter) => panic!("{text}: parsed as {filter:?}"),
        Err(error) => error,
    }
}

#[test]
fn missing_value_is_explained() {
    let error = parse_error("userName eq");
    assert_invalid_filter(&error, "ends after \"eq\"");
    assert!(error.detail.contains("column 10"), "{}", error.detail);
    assert!(!error.detail.contains("Unrecognized"), "{}", error.detail);
}

#[test]
fn single_quotes_are_explained() {
    assert_invalid_filter(&parse_error("userName eq 'alice'"), "double quotes");
    assert_invalid_filter(&parse_error("userName eq 'alice'"), "column 13");
}

#[test]
fn unknown_operator_lists_the_real_ones() {
    let error = parse_error(r#"userName regex "a.*""#);
    assert_invalid_filter(&error, "\"regex\"");
    assert!(error.detail.contains("eq, ne, co"), "{}", error.detail);
}

#[test]
fn trailing_and_unclosed_paren_and_empty_are_explained() {
    assert_invalid_filter(
        &parse_error(r#"userName eq "a" and"#),
        "needs another expression",
    );
    assert_invalid_filter(&parse_error(r#"(userName eq "a""#), "ends too early");
    assert_invalid_filter(&parse_error(r#"(userName eq "a""#), ")");
    assert_invalid_filter(&parse_error("   "), "empty");
    assert_invalid_filter(&parse_error(r#"emails[type eq "work""#), "]");
}

#[test]
fn columns_count_leading_whitespace() {
    assert_invalid_filter(&parse_error("   userName eq 'a'"), "column 16");
}

#[test]
fn extra_tokens_and_bad_escapes_are_explained() {
    assert_invalid_filter(&parse_error(r#"userName eq "a" "b""#), "\"\\\"b\\\"\"");
    assert_invalid_filter(
        &parse_error(r#"userName eq "\q""#),
        "invalid comparison value",
    );
    assert_invalid_filter(&parse_error("a.b.c pr"), "more than one sub-attribute");
}

#[test]
fn deep_filters_are_rejected_cleanly() {
    let deep = format!("{}userName pr{}", "(".repeat(200), ")".repeat(200));
    assert_invalid_filter(&parse_error(&deep), "nests deeper than 64");
    let nots = format!("{}userName pr{}", "not (".repeat(100), ")".repeat(100));
    assert_invalid_filter(&parse_error(&nots), "nests deeper");
}

#[test]
fn huge_filters_are_rejected_cleanly() {
    let terms: Vec<String> = (0..2000).map(|i| format!("userName eq \"u{i}\"")).collect();
    let error = parse_error(&terms.join(" or "));
    assert_invalid_filter(&error, "more than 1024");
    assert!(
        error.detail.len() < 400,
        "detail is bounded: {}",
        error.detail.len()
    );
}

#[test]
fn a_hundred_term_batch_lookup_still_works() {
    let mut terms: Vec<String> = (0..99)
        .map(|i| format!("userName eq \"u{i}@x.com\""))
        .collect();
    terms.push(r#"userName eq "alice@acme.com""#.to_string());
    assert!(user_matches(&terms.join(" or ")));
}

#[test]
fn hand_built_deep_filters_are_refused_not_overflowed() {
    let mut filter: Filter = parse("userName pr").expect("parses");
    for _ in 0..100 {
        filter = Filter::Not(Box::new(filter));
    }
    assert_invalid_filter(
        &compile(ResourceKind::User, &filter)
            .map(|_| ())
            .expect_err("too deep"),
        "deeper than 64",
    );
    // Dismantle iteratively: the derived Drop recurses.
    while let Filter::Not(inner) = filter {
        filter = *inner;
    }
}

// simple_eq.

#[test]
fn simple_eq_recognises_index_lookups() {
    let eq = |text: &str| simple_eq(&parse(text).expect("parses"));
    assert_eq!(
        eq(r#"userName eq "Alice@Acme.com""#),
        Some(("userName".into(), "Alice@Acme.com".into()))
    );
    assert_eq!(
        eq(r#"USERNAME eq "a""#),
        Some(("userName".into(), "a".into()))
    );
    assert_eq!(
        eq(r#"displayName eq "Eng""#),
        Some(("displayName".into(), "Eng".into()))
    );
    assert_eq!(
        eq(r#"externalId eq "00u1""#),
        Some(("externalId".into(), "00u1".into()))
    );
    assert_eq!(eq(r#"id eq "X""#), Some(("id".into(), "X".into())));
    assert_eq!(
        eq(r#"emails.value eq "a@b.c""#),
        Some(("emails.value".into(), "a@b.c".into()))
    );
    assert_eq!(
        eq(r#"emails eq "a@b.c""#),
        Some(("emails.value".into(), "a@b.c".into()))
    );
    assert_eq!(
        eq(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a""#),
        Some(("userName".into(), "a".into()))
    );
}

#[test]
fn simple_eq_declines_everything_else() {
    let eq = |text: &str| simple_eq(&parse(text).expect("parses"));
    assert_eq!(eq(r#"userName ne "a""#), None);
    assert_eq!(eq(r#"userName co "a""#), None);
    assert_eq!(eq(r#"userName eq "a" and active eq true"#), None);
    assert_eq!(eq("active eq true"), None);
    assert_eq!(eq(r#"title eq "a""#), None);
    assert_eq!(eq(r#"name eq "a""#), None);
    assert_eq!(eq(r#"emails[type eq "work"]"#), None);
    assert_eq!(eq(r#"not (userName eq "a")"#), None);
}
