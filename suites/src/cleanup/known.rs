//! What a run knows it created: the `id` the target answered for each user
//! and group its own writes made. Cleanup deletes these first, without
//! listing the target (whose listing may be huge, slow or broken).

use scimulate_simulator::Exchange;

use super::carries::carries;

/// The ids a run's writes got back (a `POST /Users` or `POST /Groups`
/// answered 201 whose resource carries the run id), and whether that is
/// all it may have created.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub users: Vec<String>,
    pub groups: Vec<String>,
    /// Whether that is all of it: every create the run sent was answered
    /// with the created resource (or refused). When not (a create failed,
    /// timed out or was cut short, and may have made something whose `id`
    /// never came back), the target is listed for the rest too.
    pub complete: bool,
}

impl Known {
    /// Nothing known yet, and nothing unaccounted for: [`Known::record`]
    /// adds what exchanges created and clears `complete` when a create's
    /// outcome is unknown.
    pub fn accounting() -> Self {
        Known {
            complete: true,
            ..Known::default()
        }
    }

    /// Adds the ids of what `exchanges` created: a `POST /Users` or
    /// `POST /Groups` answered 201 whose resource carries `run_id`. A user
    /// Okta linked (its existence check found one) is not added: only what
    /// the run made is deleted without a search. A create whose answer
    /// says nothing sure (none, broken, 5xx, a 2xx without a resource of
    /// the run) makes the record incomplete.
    pub fn record(&mut self, exchanges: &[Exchange], run_id: &str) {
        for exchange in exchanges {
            if exchange.request.method != "POST" {
                continue;
            }
            let path = exchange.request.path.as_str();
            if path != "/Users" && path != "/Groups" {
                continue;
            }
            let response = exchange
                .response
                .as_ref()
                .filter(|_| exchange.error.is_none());
            let status = response.map_or(0, |r| r.status);
            if (400..500).contains(&status) {
                // Refused (409 duplicate, 400…): nothing was made.
                continue;
            }
            let created = response
                .filter(|r| r.status == 201)
                .and_then(|r| r.body.json_body())
                .map(|b| b.parse())
                .filter(|body| carries(body, run_id))
                .and_then(|body| {
                    body.get("id")
                        .and_then(serde_json::Value::as_str)
                        .filter(|id| !id.is_empty())
                        .map(str::to_string)
                });
            match (created, path) {
                (Some(id), "/Users") => self.users.push(id),
                (Some(id), _) => self.groups.push(id),
                (None, _) => self.complete = false,
            }
        }
    }

    /// Adds another record's ids; complete only when both are.
    pub fn merge(&mut self, other: Known) {
        self.users.extend(other.users);
        self.groups.extend(other.groups);
        self.complete &= other.complete;
    }
}

#[cfg(test)]
mod tests {
    use scimulate_simulator::{Exchange, RecordedBody, RecordedRequest, RecordedResponse};
    use serde_json::json;

    use super::*;

    fn post(path: &str, status: Option<u16>, body: serde_json::Value) -> Exchange {
        Exchange {
            number: 1,
            action: "assign".into(),
            step: "create".into(),
            attempt: 1,
            started_at: Default::default(),
            duration_ms: 0,
            duration_us: 0,
            request: RecordedRequest {
                method: "POST".into(),
                path: path.into(),
                headers: vec![],
                body: None,
            },
            response: status.map(|status| RecordedResponse {
                status,
                headers: vec![],
                body: RecordedBody::from_bytes(body.to_string().as_bytes(), false),
            }),
            error: status.is_none().then(|| "timed out".into()),
        }
    }

    #[test]
    fn creates_of_the_run_are_known_and_unsure_ones_make_it_incomplete() {
        let run = "r5713e4";
        let mut known = Known::accounting();
        known.record(
            &[
                post(
                    "/Users",
                    Some(201),
                    json!({"id": "u1", "userName": "ada.r5713e4@x.com"}),
                ),
                post(
                    "/Groups",
                    Some(201),
                    json!({"id": "g1", "displayName": "Design r5713e4s2"}),
                ),
                post("/Users", Some(409), json!({"detail": "exists"})),
            ],
            run,
        );
        assert_eq!(
            (known.users.as_slice(), known.groups.as_slice()),
            (&["u1".to_string()][..], &["g1".to_string()][..])
        );
        assert!(known.complete);
        // Someone else's resource is never known, and leaves it unsure.
        let mut other = Known::accounting();
        other.record(
            &[post(
                "/Users",
                Some(201),
                json!({"id": "u9", "userName": "bob@acme.com"}),
            )],
            run,
        );
        assert!(other.users.is_empty() && !other.complete);
        for unsure in [
            post("/Users", None, json!(null)),
            post("/Users", Some(500), json!({})),
            post(
                "/Users",
                Some(200),
                json!({"id": "u2", "userName": "x.r5713e4@x.com"}),
            ),
        ] {
            let mut known = Known::accounting();
            known.record(&[unsure], run);
            assert!(!known.complete && known.users.is_empty());
        }
        known.merge(other);
        assert!(!known.complete);
    }
}
