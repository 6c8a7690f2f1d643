//! Observations built by hand for the checks' unit tests: a transcript, Okta's
//! outcomes, the effect log and the account before and after, each as short
//! as the test needs. A check that no fault of the reference bridge can turn
//! red proves here that it can fail.

use chrono::DateTime;
use serde_json::{Value, json};

use scimulate_backend::{
    AccountSettings, AccountSnapshot, BuiltinGroup, Effect, EffectKind, Group, Member, MemberKind,
    MemberState,
};
use scimulate_simulator::{
    ActionOutcome, ActionResult, Dialect, Exchange, RecordedBody, RecordedRequest, RecordedResponse,
};

use crate::observation::Observation;

/// An observation under construction.
pub(in crate::checks) struct Built(Observation);

impl Built {
    /// An empty run of `scenario` in the OIN dialect, the account observable
    /// and empty.
    pub fn new(scenario: &str) -> Self {
        Built(Observation {
            scenario: scenario.to_string(),
            dialect: Dialect::Oin,
            exchanges: Vec::new(),
            outcomes: Vec::new(),
            effects: Some(Vec::new()),
            subject_email: String::new(),
            org: None,
            before: Some(Built::account(Vec::new(), Vec::new())),
            after: Some(Built::account(Vec::new(), Vec::new())),
            setup: None,
        })
    }

    /// Appends an exchange (numbered 1, 2, …); `answer` `None` is an empty
    /// body.
    #[expect(clippy::too_many_arguments, reason = "one exchange, field by field")]
    pub fn send(
        mut self,
        action: &str,
        step: &str,
        method: &str,
        path: &str,
        request: Option<Value>,
        status: u16,
        answer: Option<Value>,
    ) -> Self {
        let number = self.0.exchanges.len() as u64 + 1;
        self.0.exchanges.push(Exchange {
            number,
            action: action.to_string(),
            step: step.to_string(),
            attempt: 1,
            started_at: DateTime::UNIX_EPOCH,
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
                headers: Vec::new(),
                body: answer.map_or(RecordedBody::Empty, |a| RecordedBody::Json(a.into())),
            }),
            error: None,
        });
        self
    }

    /// Appends an exchange whose answer is plain text.
    pub fn send_text(
        mut self,
        action: &str,
        step: &str,
        method: &str,
        path: &str,
        status: u16,
        text: &str,
    ) -> Self {
        self = self.send(action, step, method, path, None, status, None);
        if let Some(response) = self
            .0
            .exchanges
            .last_mut()
            .and_then(|e| e.response.as_mut())
        {
            response.body = RecordedBody::Text {
                text: text.to_string(),
                truncated: false,
            };
        }
        self
    }

    /// Appends Okta's outcome of an action, with the exchanges so far that
    /// carry its label.
    pub fn outcome(mut self, action: &str, result: ActionResult) -> Self {
        let exchanges = self
            .0
            .exchanges
            .iter()
            .filter(|e| e.action == action)
            .map(|e| e.number)
            .collect();
        self.0.outcomes.push(ActionOutcome {
            action: action.to_string(),
            result,
            exchanges,
        });
        self
    }

    /// Appends effects (numbered on from the last).
    pub fn effects(mut self, kinds: Vec<EffectKind>) -> Self {
        let log = self.0.effects.get_or_insert_with(Vec::new);
        for kind in kinds {
            let seq = log.len() as u64 + 1;
            log.push(Effect {
                seq,
                at: DateTime::UNIX_EPOCH,
                kind,
            });
        }
        self
    }

    pub fn before(mut self, account: AccountSnapshot) -> Self {
        self.0.before = Some(account);
        self
    }

    pub fn after(mut self, account: AccountSnapshot) -> Self {
        self.0.after = Some(account);
        self
    }

    pub fn dialect(mut self, dialect: Dialect) -> Self {
        self.0.dialect = dialect;
        self
    }

    pub fn done(self) -> Observation {
        self.0
    }

    /// Okta's group import reading its one page, answered 200 with `page`.
    pub fn groups_imported(self, page: Value) -> Self {
        self.send(
            "import groups",
            "import page 1",
            "GET",
            "/Groups?startIndex=1&count=100",
            None,
            200,
            Some(page),
        )
    }

    /// OIN's push of group `g1` ("Eng"): created empty, then these members
    /// added, both accepted.
    pub fn push_eng_with(self, members: &[&str]) -> Self {
        self.send(
            "push group Eng",
            "create group",
            "POST",
            "/Groups",
            Some(json!({"displayName": "Eng", "members": []})),
            201,
            Some(Built::group("g1", "Eng", &[])),
        )
        .send(
            "push group Eng",
            "update group members",
            "PATCH",
            "/Groups/g1",
            Some(Built::add_members(members)),
            200,
            None,
        )
    }

    /// `member` removed from `g1` ("Eng") by a value filter, answered `status`.
    pub fn remove_from_eng(self, member: &str, status: u16) -> Self {
        let path = format!("members[value eq \"{member}\"]");
        self.send(
            &format!("remove {member} from group Eng"),
            "update group members",
            "PATCH",
            "/Groups/g1",
            Some(Built::patch(vec![json!({"op": "remove", "path": path})])),
            status,
            None,
        )
    }

    /// The probe that reads group `g1` ("Eng") back with these members.
    pub fn read_back_eng(self, members: &[&str]) -> Self {
        self.send(
            "verify",
            "read back group",
            "GET",
            "/Groups/g1",
            None,
            200,
            Some(Built::group("g1", "Eng", members)),
        )
    }

    /// The probe that reads user `id` back, answered 200 with `user`.
    pub fn read_back_user(self, id: &str, user: Value) -> Self {
        self.send(
            "verify",
            "read back user",
            "GET",
            &format!("/Users/{id}"),
            None,
            200,
            Some(user),
        )
    }

    /// A PATCH adding these members (`{"op": "add", "path": "members"}`).
    pub fn add_members(values: &[&str]) -> Value {
        let value: Vec<Value> = values.iter().map(|v| json!({"value": v})).collect();
        Built::patch(vec![
            json!({"op": "add", "path": "members", "value": value}),
        ])
    }

    /// A SCIM Group resource.
    pub fn group(id: &str, name: &str, members: &[&str]) -> Value {
        let members: Vec<Value> = members.iter().map(|m| json!({"value": m})).collect();
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": id,
            "displayName": name,
            "members": members,
        })
    }

    /// A SCIM User resource.
    pub fn user(id: &str, email: &str) -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": id,
            "userName": email,
            "emails": [{"value": email, "primary": true}],
            "active": true,
        })
    }

    /// A ListResponse page.
    pub fn list(resources: Vec<Value>, total: u64, start: u64) -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        })
    }

    /// A PatchOp body.
    pub fn patch(operations: Vec<Value>) -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": operations,
        })
    }

    /// A SCIM error body.
    pub fn error(status: u16, scim_type: Option<&str>, detail: &str) -> Value {
        let mut body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": status.to_string(),
            "detail": detail,
        });
        if let Some(scim_type) = scim_type {
            body["scimType"] = json!(scim_type);
        }
        body
    }

    /// An account holding these members and groups.
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

    /// An active member.
    pub fn member(id: &str, email: &str) -> Member {
        Member {
            id: id.to_string(),
            email: email.to_string(),
            pending_email: None,
            given_name: "Given".into(),
            family_name: "Family".into(),
            display_name: "Given Family".into(),
            state: MemberState::Active,
            kind: MemberKind::Member,
            provisioned: true,
            external_id: None,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
            version: 1,
        }
    }

    /// A managed group.
    pub fn account_group(id: &str, name: &str, members: &[&str]) -> Group {
        Group {
            id: id.to_string(),
            name: name.to_string(),
            managed: true,
            builtin: None,
            members: members.iter().map(|m| m.to_string()).collect(),
            external_id: None,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
            version: 1,
        }
    }

    /// A built-in group.
    pub fn builtin(id: &str, builtin: BuiltinGroup, members: &[&str]) -> Group {
        Group {
            builtin: Some(builtin),
            managed: false,
            ..Built::account_group(id, builtin.name(), members)
        }
    }
}
