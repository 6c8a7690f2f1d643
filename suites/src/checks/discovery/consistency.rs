//! What discovery promises against what the same run saw the target do.
//! A target that advertises nothing (no 200 answer) promises nothing here;
//! the shape checks report the missing answer.

use serde_json::Value;

use scimulate_simulator::Exchange;

use super::shape::{schema_attributes, user_type};
use crate::checks::errors::scim_type;
use crate::checks::failure::{step_of, wrong_at};
use crate::checks::reading::{resources, text, username_filter};
use crate::observation::{Observation, body, resource_id, seen, status};
use crate::scenarios::core::{
    ASSIGN, AUTH, DISCOVERY, DUPLICATE_CREATE, ERRORS, INVALID_FILTER, LOOKUP_OTHER_CASE, NO_TOKEN,
    RESOURCE_TYPES, SCHEMAS, SERVICE_PROVIDER_CONFIG, VERIFY,
};
use crate::verdict::{Evidence, Verdict};

/// A discovery probe answered 200 with JSON, if it was.
fn advertised<'o>(o: &'o Observation, step: &str) -> Option<(&'o Exchange, &'o Value)> {
    let exchange = o.find(DISCOVERY, step)?;
    body(exchange)
        .filter(|_| status(exchange) == Some(200))
        .map(|value| (exchange, value))
}

/// A promise and the exchange that broke it.
fn broken(promise: &Exchange, expected: String, breach: &Exchange) -> Verdict {
    Verdict::failed(
        Evidence::new(step_of(breach), expected, seen(breach))
            .exchange(promise.number)
            .exchange(breach.number),
    )
}

pub(super) fn bearer_scheme(o: &Observation) -> Verdict {
    let Some((exchange, spc)) = advertised(o, SERVICE_PROVIDER_CONFIG) else {
        return Verdict::failed(Evidence::new(
            format!("{DISCOVERY}: {SERVICE_PROVIDER_CONFIG}"),
            "a ServiceProviderConfig naming the oauthbearertoken scheme",
            "no ServiceProviderConfig was served",
        ));
    };
    let bearer = spc
        .get("authenticationSchemes")
        .and_then(Value::as_array)
        .is_some_and(|s| {
            s.iter().any(|scheme| {
                text(scheme, "/type").is_some_and(|t| t.eq_ignore_ascii_case("oauthbearertoken"))
            })
        });
    if !bearer {
        return wrong_at(
            exchange,
            "authenticationSchemes with type \"oauthbearertoken\"",
            format!(
                "{} ({})",
                spc.get("authenticationSchemes").unwrap_or(&Value::Null),
                exchange.headline()
            ),
        );
    }
    match o.find(AUTH, NO_TOKEN) {
        Some(probe) if status(probe) != Some(401) => broken(
            exchange,
            "401 without a token: the advertised bearer scheme is enforced".into(),
            probe,
        ),
        _ => Verdict::Passed,
    }
}

pub(super) fn patch_as_advertised(o: &Observation) -> Verdict {
    let Some((exchange, spc)) = advertised(o, SERVICE_PROVIDER_CONFIG) else {
        return Verdict::Passed;
    };
    let Some(supported) = spc.pointer("/patch/supported").and_then(Value::as_bool) else {
        return Verdict::Passed;
    };
    let patches = o.exchanges.iter().filter(|e| e.request.method == "PATCH");
    for patch in patches {
        let answered = status(patch);
        if supported && matches!(answered, Some(400 | 405 | 501)) {
            return broken(
                exchange,
                "PATCH accepted (patch.supported is true)".into(),
                patch,
            );
        }
        if !supported && matches!(answered, Some(200..=299)) {
            return broken(
                exchange,
                "PATCH refused, or patch.supported true (it is false)".into(),
                patch,
            );
        }
    }
    Verdict::Passed
}

pub(super) fn filter_as_advertised(o: &Observation) -> Verdict {
    let Some((exchange, spc)) = advertised(o, SERVICE_PROVIDER_CONFIG) else {
        return Verdict::Passed;
    };
    if spc.pointer("/filter/supported") != Some(&Value::Bool(true)) {
        return Verdict::Passed;
    }
    if let Some(probe) = o.find(ERRORS, INVALID_FILTER)
        && matches!(status(probe), Some(200..=299))
    {
        return broken(
            exchange,
            "the unparsable filter refused (filter.supported is true, so filters are read)".into(),
            probe,
        );
    }
    for lookup in &o.exchanges {
        let Some(value) = username_filter(&lookup.request.path) else {
            continue;
        };
        let strangers = body(lookup)
            .filter(|_| status(lookup) == Some(200))
            .and_then(resources)
            .is_some_and(|found| {
                found
                    .iter()
                    .any(|r| !text(r, "/userName").is_some_and(|u| u.eq_ignore_ascii_case(&value)))
            });
        if strangers {
            return broken(
                exchange,
                format!("only users whose userName is {value:?} (filter.supported is true)"),
                lookup,
            );
        }
    }
    Verdict::Passed
}

pub(super) fn user_type_as_served(o: &Observation) -> Verdict {
    let Some((types_exchange, types)) = advertised(o, RESOURCE_TYPES) else {
        return Verdict::Passed;
    };
    let Some(user) = resources(types).and_then(|t| user_type(t)) else {
        return Verdict::Passed;
    };
    let schema = text(user, "/schema").unwrap_or_default();
    let name = text(user, "/name").unwrap_or("User");
    let served = advertised(o, SCHEMAS).and_then(|(_, list)| resources(list));
    if served.is_none_or(|s| schema_attributes(s, schema).is_none()) {
        let seen = match o.find(DISCOVERY, SCHEMAS) {
            Some(schemas) => seen(schemas),
            None => "no /Schemas probe".into(),
        };
        let mut evidence = Evidence::new(
            format!("{DISCOVERY}: {SCHEMAS}"),
            format!("/Schemas serves {schema:?}, the User type's schema"),
            seen,
        )
        .exchange(types_exchange.number);
        if let Some(schemas) = o.find(DISCOVERY, SCHEMAS) {
            evidence = evidence.exchange(schemas.number);
        }
        return Verdict::failed(evidence);
    }
    let Some(created) = o.find(ASSIGN, "create") else {
        return Verdict::Passed;
    };
    let Some(user_body) = body(created).filter(|_| resource_id(created).is_some()) else {
        return Verdict::Passed;
    };
    let carries = user_body
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(schema)));
    let resource_type = text(user_body, "/meta/resourceType");
    if carries && resource_type.is_none_or(|t| t == name) {
        Verdict::Passed
    } else {
        broken(
            types_exchange,
            format!("the created user with schemas [{schema:?}] and meta.resourceType {name:?}"),
            created,
        )
    }
}

pub(super) fn username_as_advertised(o: &Observation) -> Verdict {
    let Some((exchange, list)) = advertised(o, SCHEMAS) else {
        return Verdict::Passed;
    };
    let Some(user_name) = resources(list)
        .and_then(|s| schema_attributes(s, super::shape::USER_URN))
        .and_then(|attributes| {
            attributes
                .iter()
                .find(|a| text(a, "/name").is_some_and(|n| n.eq_ignore_ascii_case("userName")))
        })
    else {
        return Verdict::Passed;
    };
    // RFC 7643 §2.4: caseExact defaults to false.
    let case_exact = user_name
        .get("caseExact")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if !case_exact
        && let Some(lookup) = o.find(VERIFY, LOOKUP_OTHER_CASE)
        && let Some(value) = username_filter(&lookup.request.path)
    {
        let found = body(lookup)
            .and_then(resources)
            .and_then(|r| r.first())
            .and_then(|r| text(r, "/userName"))
            .is_some_and(|u| u.eq_ignore_ascii_case(&value));
        if !found {
            return broken(
                exchange,
                format!("the user found by userName {value:?} (the schema says caseExact false)"),
                lookup,
            );
        }
    }
    let unique = matches!(text(user_name, "/uniqueness"), Some("server" | "global"));
    if unique
        && let (Some(first), Some(again)) =
            (o.find(ASSIGN, "create"), o.find(ERRORS, DUPLICATE_CREATE))
    {
        let refused = status(again) == Some(409) && scim_type(again) == Some("uniqueness");
        let same = matches!(status(again), Some(200..=299))
            && resource_id(again).is_some()
            && resource_id(again) == resource_id(first);
        if !(refused || same) {
            return broken(
                exchange,
                "409 uniqueness, or the same user (the schema says uniqueness server)".into(),
                again,
            );
        }
    }
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::shape::samples;
    use super::*;
    use crate::checks::users::sample::Sample;
    use crate::scenarios::core::{NAME, WRONG_TOKEN};

    const OTHER_CASE: &str = "/Users?filter=userName%20eq%20%22ADA%40ACME.COM%22";

    fn user() -> Value {
        json!({"schemas": [super::super::shape::USER_URN], "id": "U1", "userName": "ada@acme.com", "meta": {"resourceType": "User"}})
    }

    struct Run {
        schemas: Value,
        no_token: u16,
        deactivate: u16,
        filter: (u16, Value),
        other_case: Value,
        created: Value,
    }

    impl Default for Run {
        fn default() -> Self {
            Run {
                schemas: samples::schemas(),
                no_token: 401,
                deactivate: 200,
                filter: (400, json!({"scimType": "invalidFilter", "detail": "bad"})),
                other_case: json!({"Resources": [user()]}),
                created: user(),
            }
        }
    }

    fn observe(run: Run) -> Observation {
        let error = json!({"detail": "no"});
        Sample::new(NAME, "ada@acme.com")
            .json(
                (DISCOVERY, SERVICE_PROVIDER_CONFIG),
                ("GET", "/ServiceProviderConfig"),
                None,
                200,
                samples::spc(),
            )
            .json(
                (DISCOVERY, RESOURCE_TYPES),
                ("GET", "/ResourceTypes"),
                None,
                200,
                samples::resource_types(),
            )
            .json(
                (DISCOVERY, SCHEMAS),
                ("GET", "/Schemas"),
                None,
                200,
                run.schemas,
            )
            .json(
                (AUTH, NO_TOKEN),
                ("GET", "/Users"),
                None,
                run.no_token,
                error.clone(),
            )
            .json((AUTH, WRONG_TOKEN), ("GET", "/Users"), None, 401, error)
            .json(
                ("assign ada@acme.com", "create"),
                ("POST", "/Users"),
                None,
                201,
                run.created,
            )
            .json(
                (VERIFY, LOOKUP_OTHER_CASE),
                ("GET", OTHER_CASE),
                None,
                200,
                run.other_case,
            )
            .json(
                (ERRORS, DUPLICATE_CREATE),
                ("POST", "/Users"),
                None,
                409,
                json!({"scimType": "uniqueness", "detail": "taken"}),
            )
            .json(
                (ERRORS, INVALID_FILTER),
                ("GET", "/Users?filter=userName%20eq"),
                None,
                run.filter.0,
                run.filter.1,
            )
            .json(
                ("deactivate ada@acme.com", "deactivate"),
                ("PATCH", "/Users/U1"),
                None,
                run.deactivate,
                user(),
            )
            .build()
    }

    #[test]
    fn a_consistent_target_passes() {
        let o = observe(Run::default());
        for judge in [
            bearer_scheme,
            patch_as_advertised,
            filter_as_advertised,
            user_type_as_served,
            username_as_advertised,
        ] {
            assert_eq!(judge(&o), Verdict::Passed);
        }
    }

    #[test]
    fn broken_promises_fail() {
        assert!(matches!(
            bearer_scheme(&observe(Run {
                no_token: 200,
                ..Run::default()
            })),
            Verdict::Failed { .. }
        ));
        let Verdict::Failed { evidence } = patch_as_advertised(&observe(Run {
            deactivate: 400,
            ..Run::default()
        })) else {
            panic!("expected a failure");
        };
        assert_eq!(evidence.exchanges, vec![1, 10]);
        let ignored = Run {
            filter: (200, json!({"Resources": []})),
            ..Run::default()
        };
        assert!(matches!(
            filter_as_advertised(&observe(ignored)),
            Verdict::Failed { .. }
        ));
        let missed = Run {
            other_case: json!({"Resources": []}),
            ..Run::default()
        };
        assert!(matches!(
            username_as_advertised(&observe(missed)),
            Verdict::Failed { .. }
        ));
    }

    #[test]
    fn types_schemas_and_users_must_agree() {
        let mut schemas = samples::schemas();
        schemas["Resources"][0]["id"] = json!("urn:example:Person");
        assert!(matches!(
            user_type_as_served(&observe(Run {
                schemas,
                ..Run::default()
            })),
            Verdict::Failed { .. }
        ));
        let mut created = user();
        created["meta"]["resourceType"] = json!("Person");
        assert!(matches!(
            user_type_as_served(&observe(Run {
                created,
                ..Run::default()
            })),
            Verdict::Failed { .. }
        ));
    }
}
