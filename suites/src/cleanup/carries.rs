//! Which resources a run made: those whose names carry its run id the way
//! the run gives them (`tag_email`, `tag_group`), never a name that merely
//! contains it.

use serde_json::Value;

/// Whether a resource has a name the run gave it: a user whose userName
/// or an e-mail has the local part `….{run}` or `….{run}s{n}`
/// (`tag_email`), a group whose displayName ends in ` {run}` or
/// ` {run}s{n}` (`tag_group`). Nothing else matches, however the run id
/// appears in it: a real `user000001` is not run `r000001`'s.
pub(crate) fn carries(resource: &Value, run_id: &str) -> bool {
    let tagged_with = |text: &str, separator: char| {
        let text = text.to_ascii_lowercase();
        let Some((_, tag)) = text.rsplit_once(separator) else {
            return false;
        };
        match tag.strip_prefix(run_id) {
            Some("") => true,
            Some(rest) => rest
                .strip_prefix('s')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())),
            None => false,
        }
    };
    let user_tagged = |value: Option<&Value>| {
        value
            .and_then(Value::as_str)
            .and_then(|address| address.rsplit_once('@'))
            .is_some_and(|(local, _)| tagged_with(local, '.'))
    };
    match resource.get("userName") {
        Some(_) => {
            user_tagged(resource.get("userName"))
                || resource
                    .get("emails")
                    .and_then(Value::as_array)
                    .is_some_and(|emails| emails.iter().any(|e| user_tagged(e.get("value"))))
        }
        None => resource
            .get("displayName")
            .and_then(Value::as_str)
            .is_some_and(|name| tagged_with(name, ' ')),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn resources_carry_the_run_id_in_their_names() {
        let run = "r5713e4";
        assert!(carries(
            &json!({"userName": "ada.lovelace.r5713e4@example.com"}),
            run
        ));
        assert!(carries(
            &json!({"userName": "Carol.R5713E4S2@Example.com"}),
            run
        ));
        assert!(carries(
            &json!({"userName": "x", "emails": [{"value": "carol.r5713e4s2@example.com"}]}),
            run
        ));
        assert!(carries(&json!({"displayName": "Design r5713e4s24"}), run));
        // A user's displayName is a person's name, not a test tag.
        assert!(!carries(
            &json!({"userName": "bob@acme.com", "displayName": "r5713e4"}),
            run
        ));
        assert!(!carries(
            &json!({"userName": "ada.lovelace.r000001@example.com"}),
            run
        ));
        assert!(!carries(&json!({"id": "r5713e4"}), run));
        assert!(carries(
            &json!({"userName": "load-0000042.r5713e4@example.com"}),
            run
        ));
        assert!(carries(
            &json!({"displayName": "load-group-3 r5713e4"}),
            run
        ));
        // The run id inside a real name is no tag.
        for real in [
            json!({"userName": "user000001@acme.com"}),
            json!({"userName": "r000001@acme.com"}),
            json!({"userName": "ann.r000001x@acme.com"}),
            json!({"userName": "ann.r000001s@acme.com"}),
            json!({"displayName": "Team r0000012"}),
            json!({"displayName": "r000001"}),
        ] {
            assert!(!carries(&real, "r000001"), "{real}");
        }
    }
}
