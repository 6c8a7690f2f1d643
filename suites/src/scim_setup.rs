//! Starting state through SCIM: on a target whose account scimulate
//! cannot see (no `--backend-url`, not embedded), a scenario's pre-existing
//! people and groups are made through the target's own SCIM API before
//! Okta's part begins, as its `[scim_setup]` table says ([`plan`]); what was
//! made ([`made`]) lets black-box checks judge "linked, not duplicated" and
//! import paging on any target. [`make`] sends the requests.

pub mod made;
pub mod make;
pub mod plan;

pub use made::{MadeGroup, MadeUser, SETUP, Setup};
pub use make::{SetupFailed, make};
pub use plan::{ScimSetup, SetupGroup, SetupUser, StartingState};
