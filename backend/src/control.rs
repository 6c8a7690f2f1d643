//! The test-control call of backend/API.md ("Test control"): scimulate
//! replaces the whole account with a scenario's seed before it plays the
//! scenario against a bridge it does not run, and puts the account back as
//! it started afterwards.
//!
//! A bridge must never reach it by accident, so it lives under its own
//! prefix (`/_scimulate/`, never `/v1/`) and answers only a request that
//! says what it is for in a header ([`CONTROL_HEADER`]). It has no
//! credentials, like the rest of the API: the account is a loopback test
//! double (backend/API.md, first paragraph).

use std::sync::{Arc, Mutex};

use crate::ids::IdGenerator;
use crate::model::{ErrorBody, Refusal};
use crate::routes::lock;
use crate::seed::AccountSeed;
use crate::state::Account;
use crate::wire::{ApiRequest, Reply};

/// The path of the call.
pub const CONTROL_PATH: &str = "/_scimulate/account";
/// The header a control call must carry, with [`CONTROL_VALUE`].
pub const CONTROL_HEADER: &str = "x-scimulate-control";
/// The only value [`CONTROL_HEADER`] may have.
pub const CONTROL_VALUE: &str = "replace-account";

/// What answers [`CONTROL_PATH`].
pub(crate) struct Control {
    pub account: Arc<Mutex<Account>>,
    /// What `DELETE` puts back: the seed the account was started with.
    pub start: AccountSeed,
    /// `Some`: every replaced account hands out the ids of a new account
    /// started with this seed (same scenario, same bytes).
    pub id_seed: Option<u64>,
}

impl Control {
    /// Answers a request to [`CONTROL_PATH`].
    pub(crate) fn answer(&self, request: &ApiRequest) -> Reply {
        let answer = |status: u16, detail: String| {
            Reply::json(status, &ErrorBody::new(Refusal::InvalidRequest, detail))
        };
        if request.control.as_deref() != Some(CONTROL_VALUE) {
            // Checked before the method: whatever reached this path without
            // the header was not meant for it.
            return answer(
                403,
                format!(
                    "{CONTROL_PATH} replaces the whole account; a call must carry the header \
                     `{CONTROL_HEADER}: {CONTROL_VALUE}` (a bridge never calls it)"
                ),
            );
        }
        let seed = match request.method.as_str() {
            "PUT" => match AccountSeed::from_json_slice(&request.body) {
                Ok(seed) => seed,
                Err(error) => return answer(400, error.to_string()),
            },
            "DELETE" => self.start.clone(),
            other => {
                return answer(
                    405,
                    format!(
                        "{other} {CONTROL_PATH}: expected PUT (a seed) or DELETE (the start seed)"
                    ),
                );
            }
        };
        let ids = match self.id_seed {
            Some(seed) => IdGenerator::from_seed(seed),
            None => IdGenerator::random(),
        };
        let mut account = lock(&self.account);
        account.replace(&seed, ids);
        Reply::json(200, &account.snapshot_ref())
    }
}
