//! The 1Password account as the handlers see it: the backend's HTTP client,
//! with every refusal turned into the SCIM error Okta should see.

use scim_v2::models::errors::ScimType;
use scimulate_backend::{BackendClient, BackendError, Refusal};

use crate::faults::{Fault, FaultSet};
use crate::scim_error::ScimError;

/// What Okta shows the admin when the account refuses every call: its
/// "Error authenticating" path (docs/okta-wire.md#1-connection-test), and
/// 1Password's advice for it (support.1password.com/scim-troubleshooting).
pub const PROVISIONING_OFF_DETAIL: &str = "provisioning is turned off for this 1Password account: \
     turn on \"Provisioning users & groups\" on 1Password.com (Integrations), then test the connection again";

/// The answer to every SCIM call while the account has provisioning off.
pub fn provisioning_off(faults: &FaultSet) -> ScimError {
    if faults.has(Fault::ProvisioningOff500) {
        return ScimError {
            status: 500,
            scim_type: None,
            detail: "internal server error".into(),
        };
    }
    ScimError {
        status: 401,
        scim_type: None,
        detail: PROVISIONING_OFF_DETAIL.into(),
    }
}

/// Turns a backend failure into the SCIM answer.
///
/// `provisioning_disabled` becomes 401 (the "authentication error",
/// so Okta reports "Error authenticating"); domain and e-mail refusals become
/// 400 invalidValue with the account's reason; a taken e-mail 409
/// uniqueness; an id no object can have (empty, `.`, `..`, with a tab or
/// line break) 404; anything the bridge could not reach 502.
pub fn to_scim(error: BackendError, faults: &FaultSet) -> ScimError {
    match error {
        BackendError::Refused {
            refusal, detail, ..
        } => match refusal {
            Refusal::ProvisioningDisabled => provisioning_off(faults),
            Refusal::PublicDomain | Refusal::DomainNotAllowed | Refusal::InvalidEmail => {
                ScimError::bad_request(
                    ScimType::InvalidValue,
                    format!("1Password refused: {detail}"),
                )
            }
            Refusal::EmailTaken => ScimError::conflict(format!("1Password refused: {detail}")),
            Refusal::Guest | Refusal::BuiltinGroup => {
                ScimError::bad_request(ScimType::Mutability, format!("1Password refused: {detail}"))
            }
            Refusal::LastOwner => {
                ScimError::bad_request(ScimType::Mutability, format!("1Password refused: {detail}"))
            }
            Refusal::UnknownMember | Refusal::UnknownGroup => {
                ScimError::not_found(format!("1Password refused: {detail}"))
            }
            Refusal::InvalidRequest => ScimError {
                status: 500,
                scim_type: None,
                detail: format!("the bridge sent the account a request it rejected: {detail}"),
            },
        },
        // An id no object has (empty, ".", "..", a tab…): not found.
        BackendError::UnaddressableId { id } => {
            ScimError::not_found(format!("no resource with id {id:?}"))
        }
        other => ScimError {
            status: 502,
            scim_type: None,
            detail: format!("the 1Password account could not be reached: {other}"),
        },
    }
}

/// The handlers' view of the account.
#[derive(Clone)]
pub struct Account {
    pub client: BackendClient,
    pub faults: FaultSet,
}

impl Account {
    /// Maps a backend result into a SCIM one.
    pub fn check<T>(&self, result: Result<T, BackendError>) -> Result<T, ScimError> {
        result.map_err(|e| to_scim(e, &self.faults))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the fuzz (`tests/it/fuzz.rs`): such ids answered 500/502.
    #[test]
    fn unaddressable_ids_are_404_not_5xx() {
        for id in ["", ".", "..", "\t"] {
            let error = BackendError::UnaddressableId { id: id.into() };
            let scim = to_scim(error, &FaultSet::none());
            assert_eq!(scim.status, 404, "{id:?}: {scim}");
        }
    }
}
