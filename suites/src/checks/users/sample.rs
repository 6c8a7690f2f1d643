//! Hand-built observations for the checks' unit tests: a transcript, Okta's
//! outcomes and the account's effects and snapshots, written out the way a
//! run records them, so each check can be shown to pass on a good run and
//! fail on a bad one without starting a bridge.

use chrono::{DateTime, Utc};
use scimulate_backend::{
    AccountSettings, AccountSnapshot, BuiltinGroup, Effect, EffectKind, Group, Member, MemberKind,
    MemberState,
};
use scimulate_simulator::{
    ActionOutcome, ActionResult, Dialect, Exchange, Failure, FailureKind, Header, RecordedBody,
    RecordedRequest, RecordedResponse,
};
use serde_json::Value;

use crate::observation::Observation;

/// An observation under construction.
pub struct Sample(Observation);

impl Sample {
    /// A run of `scenario` about `subject`, with an observable, empty
    /// effect log and no exchange yet.
    pub fn new(scenario: &str, subject: &str) -> Self {
        Sample(Observation {
            scenario: scenario.to_string(),
            dialect: Dialect::Oin,
            exchanges: Vec::new(),
            outcomes: Vec::new(),
            effects: Some(Vec::new()),
            subject_email: subject.to_string(),
            org: None,
            before: None,
            after: None,
            setup: None,
        })
    }

    /// An exchange answered with a JSON body (`Value::Null`: no body).
    pub fn json(
        self,
        (action, step): (&str, &str),
        (method, path): (&str, &str),
        request: Option<Value>,
        status: u16,
        body: Value,
    ) -> Self {
        let body = if body.is_null() {
            RecordedBody::Empty
        } else {
            RecordedBody::Json(body.into())
        };
        self.answered(action, step, method, path, request, status, body)
    }

    /// An exchange answered with a plain-text body.
    pub fn text(
        self,
        (action, step): (&str, &str),
        (method, path): (&str, &str),
        status: u16,
        text: &str,
    ) -> Self {
        let body = RecordedBody::Text {
            text: text.to_string(),
            truncated: false,
        };
        let mut sample = self.answered(action, step, method, path, None, status, body);
        sample.last_headers(vec![Header::new("content-type", "text/plain")]);
        sample
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one recorded exchange, field by field"
    )]
    fn answered(
        mut self,
        action: &str,
        step: &str,
        method: &str,
        path: &str,
        request: Option<Value>,
        status: u16,
        body: RecordedBody,
    ) -> Self {
        let number = self.0.exchanges.len() as u64 + 1;
        let headers = match body {
            RecordedBody::Empty => Vec::new(),
            _ => vec![Header::new("content-type", "application/scim+json")],
        };
        self.0.exchanges.push(Exchange {
            number,
            action: action.to_string(),
            step: step.to_string(),
            attempt: 1,
            started_at: DateTime::<Utc>::default(),
            duration_ms: 0,
            duration_us: 0,
            request: RecordedRequest {
                method: method.to_string(),
                path: path.to_string(),
                headers: Vec::new(),
                body: request,
            },
            response: Some(RecordedResponse {
                status,
                headers,
                body,
            }),
            error: None,
        });
        self
    }

    /// Adds a response header to the last exchange.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Some(response) = self
            .0
            .exchanges
            .last_mut()
            .and_then(|e| e.response.as_mut())
        {
            response.headers.push(Header::new(name, value));
        }
        self
    }

    fn last_headers(&mut self, headers: Vec<Header>) {
        if let Some(response) = self
            .0
            .exchanges
            .last_mut()
            .and_then(|e| e.response.as_mut())
        {
            response.headers = headers;
        }
    }

    /// Okta's outcome of an action: succeeded.
    pub fn succeeded(mut self, action: &str) -> Self {
        self.0.outcomes.push(ActionOutcome {
            action: action.to_string(),
            result: ActionResult::Succeeded,
            exchanges: Vec::new(),
        });
        self
    }

    /// Okta's outcome of an action: failed with `message` on `status`.
    pub fn failed(mut self, action: &str, kind: FailureKind, status: u16, message: &str) -> Self {
        let exchange = self.0.exchanges.last().map(|e| e.number);
        self.0.outcomes.push(ActionOutcome {
            action: action.to_string(),
            result: ActionResult::Failed(Failure {
                kind,
                message: message.to_string(),
                status: Some(status),
                exchange,
            }),
            exchanges: exchange.into_iter().collect(),
        });
        self
    }

    /// Appends an effect to the log.
    pub fn effect(mut self, kind: EffectKind) -> Self {
        let effects = self.0.effects.get_or_insert_with(Vec::new);
        effects.push(Effect {
            seq: effects.len() as u64 + 1,
            at: DateTime::<Utc>::default(),
            kind,
        });
        self
    }

    /// The account before and after.
    pub fn accounts(mut self, before: AccountSnapshot, after: AccountSnapshot) -> Self {
        self.0.before = Some(before);
        self.0.after = Some(after);
        self
    }

    pub fn build(self) -> Observation {
        self.0
    }
}

/// A member of a hand-built account.
pub fn member(id: &str, email: &str, state: MemberState, kind: MemberKind) -> Member {
    Member {
        id: id.to_string(),
        email: email.to_string(),
        pending_email: None,
        given_name: "Given".into(),
        family_name: "Family".into(),
        display_name: "Given Family".into(),
        state,
        kind,
        provisioned: false,
        external_id: None,
        created_at: DateTime::<Utc>::default(),
        updated_at: DateTime::<Utc>::default(),
        version: 1,
    }
}

/// A group of a hand-built account.
pub fn group(id: &str, name: &str, builtin: Option<BuiltinGroup>, members: &[&str]) -> Group {
    Group {
        id: id.to_string(),
        name: name.to_string(),
        managed: builtin.is_none(),
        builtin,
        members: members.iter().map(|m| m.to_string()).collect(),
        external_id: None,
        created_at: DateTime::<Utc>::default(),
        updated_at: DateTime::<Utc>::default(),
        version: 1,
    }
}

/// A hand-built account allowing acme.com.
pub fn account(members: Vec<Member>, groups: Vec<Group>) -> AccountSnapshot {
    AccountSnapshot {
        settings: AccountSettings {
            name: "Acme".into(),
            provisioning: true,
            allowed_domains: vec!["acme.com".into()],
        },
        members: members.into(),
        groups,
    }
}
