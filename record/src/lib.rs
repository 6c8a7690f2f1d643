//! The record of a scimulate run, as plain data: the exchanges the
//! simulator sent and read ([`Exchange`], [`Header`], [`RecordedBody`],
//! [`JsonBody`]), Okta's outcome of each admin action ([`ActionOutcome`]),
//! the fake account's effect log ([`Effect`]), the check catalogue's terms
//! ([`CheckDef`], [`Level`], [`Needs`]), verdicts ([`CheckResult`],
//! [`Evidence`]) and the whole run ([`RunRecord`], [`LoadReport`]).
//!
//! It has no HTTP dependency (issue #17, in the manner of nextest's small
//! record-types crate): `scimulate-reports` renders records without
//! linking reqwest, wiremock or axum. The simulator, the backend and the
//! suites build these types and re-export them where they always were.
//!
//! Records hold what the target answered, as received: checks judge the
//! evidence itself. The token is redacted where output is made, through
//! one choke point: renderers take a [`Redacted`] view ([`redact`] says
//! how), and a [`RunRecord`] serializes only as one (it carries the
//! [`Redactor`] of its run's token, so no caller supplies or forgets it). This supersedes the house rule "headers are redacted when an
//! exchange is recorded" (STYLE §5) by issue #13, "redact where output is
//! made"; only the `Authorization` header scimulate itself sends is still
//! recorded as `Bearer [REDACTED]` (it is not evidence of anything).
//!
//! ```
//! use scimulate_record::{Header, RecordedBody, Redacted, Redactor};
//!
//! // A target echoed the token in a header name and in its body.
//! let token = "tok-3f9a1c7e";
//! let mut header = Header::new("x-tok-3f9a1c7e", "1");
//! let body = RecordedBody::from_bytes(br#"{"scimType":"invalidValue","detail":"tok-3f9a1c7e"}"#, false);
//! // The record keeps the answer as received: a check reads `scimType`.
//! assert_eq!(body.json().unwrap()["scimType"], "invalidValue");
//! // Output goes through the redactor.
//! let redactor = Redactor::for_secret(token);
//! let shown = Redacted::new(vec![header], &redactor);
//! assert_eq!(shown[0].name, "x-[REDACTED]");
//! let shown = Redacted::new(body, &redactor);
//! assert_eq!(shown.json().unwrap()["detail"], "[REDACTED]");
//! assert_eq!(shown.json().unwrap()["scimType"], "invalidValue");
//! ```

pub mod capabilities;
pub mod check;
pub mod effect;
pub mod exchange;
pub mod load;
pub mod outcome;
pub mod redact;
mod redact_forms;
mod redact_record;
pub mod redacted;
pub mod run_record;
pub mod verdict;

pub use capabilities::{Capabilities, Capability};
pub use check::{CheckDef, Level, Needs, Profile};
pub use effect::{Change, Effect, EffectKind, GroupId, MemberId, Refusal};
pub use exchange::{
    Exchange, Header, JsonBody, RecordedBody, RecordedRequest, RecordedResponse, TEXT_CAP,
};
pub use load::{KindFigures, LoadReport};
pub use outcome::{ActionOutcome, ActionResult, Failure, FailureKind};
pub use redact::{REDACTED, Redactor};
pub use redacted::{Redact, Redacted};
pub use run_record::{RunRecord, SCHEMA_VERSION, ScenarioRecord, Summary, TargetInfo, TargetKind};
pub use verdict::{CheckResult, Evidence, Verdict};
