//! How each record type is redacted: every field is named (destructured),
//! so a field added to a record type does not compile until it says how it
//! is redacted. Numbers, times and the catalogue's static texts hold
//! nothing a server sent.

use crate::capabilities::Capabilities;
use crate::effect::Effect;
use crate::exchange::{
    Exchange, Header, JsonBody, RecordedBody, RecordedRequest, RecordedResponse,
};
use crate::load::{KindFigures, LoadReport};
use crate::outcome::{ActionOutcome, ActionResult, Failure};
use crate::redact::Redactor;
use crate::redacted::{Redact, Redacted};
use crate::run_record::{RunRecord, ScenarioRecord, TargetInfo};
use crate::verdict::{CheckResult, Evidence, Verdict};

impl RunRecord {
    /// The record with the token redacted by its own redactor (the one the
    /// run built from the token it was given): what every renderer takes.
    pub fn redacted(self) -> Redacted<RunRecord> {
        let redactor = self.redactor.clone();
        Redacted::new(self, &redactor)
    }
}

impl LoadReport {
    /// The figures with the token redacted by their own redactor.
    pub fn redacted(self) -> Redacted<LoadReport> {
        let redactor = self.redactor.clone();
        Redacted::new(self, &redactor)
    }
}

impl Redact for RunRecord {
    fn redact(&mut self, r: &Redactor) {
        let RunRecord {
            schema_version: _,
            tool: _,
            version: _,
            run_id,
            target,
            started_at: _,
            duration_ms: _,
            capabilities,
            results,
            notes,
            incomplete,
            selection,
            scenarios,
            redactor: _,
        } = self;
        run_id.redact(r);
        target.redact(r);
        let Capabilities {
            missing: _,
            profile: _,
        } = capabilities;
        results.redact(r);
        notes.redact(r);
        incomplete.redact(r);
        selection.redact(r);
        scenarios.redact(r);
    }
}

impl Redact for TargetInfo {
    fn redact(&mut self, r: &Redactor) {
        let TargetInfo {
            base_url,
            kind: _,
            faults,
            backend_observed: _,
        } = self;
        base_url.redact(r);
        faults.redact(r);
    }
}

impl Redact for ScenarioRecord {
    fn redact(&mut self, r: &Redactor) {
        let ScenarioRecord {
            name,
            outcomes,
            transcript,
            effects,
        } = self;
        name.redact(r);
        outcomes.redact(r);
        transcript.redact(r);
        effects.redact(r);
    }
}

impl Redact for CheckResult {
    fn redact(&mut self, r: &Redactor) {
        let CheckResult {
            id: _,
            level: _,
            title: _,
            sources: _,
            needs: _,
            hint: _,
            scenario,
            verdict,
        } = self;
        scenario.redact(r);
        verdict.redact(r);
    }
}

impl Redact for Verdict {
    fn redact(&mut self, r: &Redactor) {
        match self {
            Verdict::Passed => {}
            Verdict::Failed { evidence } => evidence.redact(r),
            Verdict::Skipped { reason } => reason.redact(r),
            Verdict::Waived { reason, evidence } => {
                reason.redact(r);
                evidence.redact(r);
            }
        }
    }
}

impl Redact for Evidence {
    fn redact(&mut self, r: &Redactor) {
        let Evidence {
            step,
            expected,
            seen,
            exchanges: _,
            effects: _,
        } = self;
        step.redact(r);
        expected.redact(r);
        seen.redact(r);
    }
}

impl Redact for ActionOutcome {
    fn redact(&mut self, r: &Redactor) {
        let ActionOutcome {
            action,
            result,
            exchanges: _,
        } = self;
        action.redact(r);
        match result {
            ActionResult::Succeeded => {}
            ActionResult::NotSent { reason } => reason.redact(r),
            ActionResult::Failed(Failure {
                kind: _,
                message,
                status: _,
                exchange: _,
            }) => message.redact(r),
        }
    }
}

impl Redact for Exchange {
    fn redact(&mut self, r: &Redactor) {
        let Exchange {
            number: _,
            action,
            step,
            attempt: _,
            started_at: _,
            duration_ms: _,
            duration_us: _,
            request,
            response,
            error,
        } = self;
        action.redact(r);
        step.redact(r);
        request.redact(r);
        response.redact(r);
        error.redact(r);
    }
}

impl Redact for RecordedRequest {
    fn redact(&mut self, r: &Redactor) {
        let RecordedRequest {
            method,
            path,
            headers,
            body,
        } = self;
        method.redact(r);
        path.redact(r);
        headers.redact(r);
        body.redact(r);
    }
}

impl Redact for RecordedResponse {
    fn redact(&mut self, r: &Redactor) {
        let RecordedResponse {
            status: _,
            headers,
            body,
        } = self;
        headers.redact(r);
        body.redact(r);
    }
}

impl Redact for Header {
    fn redact(&mut self, r: &Redactor) {
        let Header { name, value } = self;
        name.redact(r);
        value.redact(r);
    }
}

impl Redact for RecordedBody {
    fn redact(&mut self, r: &Redactor) {
        match self {
            RecordedBody::Empty => {}
            RecordedBody::Json(body) => body.redact(r),
            RecordedBody::Text { text, truncated: _ } => text.redact(r),
        }
    }
}

impl Redact for JsonBody {
    /// Only a body whose text holds the token is parsed and rewritten.
    fn redact(&mut self, r: &Redactor) {
        if r.finds(self.text()) {
            let mut value = self.parse();
            r.redact_value(&mut value);
            *self = value.into();
        }
    }
}

impl Redact for Effect {
    /// An effect's strings are the bridge's writes (names, e-mails, a
    /// refusal's detail): redacted through their JSON form, only when it
    /// holds the token.
    fn redact(&mut self, r: &Redactor) {
        let Ok(text) = serde_json::to_string(&*self) else {
            return;
        };
        if !r.finds(&text) {
            return;
        }
        let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&text) else {
            return;
        };
        r.redact_value(&mut value);
        if let Ok(effect) = serde_json::from_value(value) {
            *self = effect;
        }
    }
}

impl Redact for LoadReport {
    fn redact(&mut self, r: &Redactor) {
        let LoadReport {
            run_id,
            target,
            users: _,
            concurrency: _,
            groups: _,
            elapsed: _,
            requests: _,
            failed_actions: _,
            assigned: _,
            kinds,
            incomplete,
            notes,
            redactor: _,
        } = self;
        run_id.redact(r);
        target.redact(r);
        for KindFigures { kind, .. } in kinds {
            kind.redact(r);
        }
        incomplete.redact(r);
        notes.redact(r);
    }
}
