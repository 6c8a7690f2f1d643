//! Okta object ids and the seeded generator behind them: the same seed gives
//! the same ids, so the same scenario gives the same transcript (STYLE §6).

use std::fmt;

use serde::{Deserialize, Serialize};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// An Okta user id: `00u` + 17 base62 characters, 20 in all, e.g.
/// `00ujl29u0le5T6Aj10h7`. Sent as `externalId` (docs/okta-wire.md#32-create).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OktaUserId(String);

impl OktaUserId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OktaUserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An Okta group id: `00g` + 17 base62 characters, 20 in all, like
/// [`OktaUserId`]. Okta keeps it to itself: group pushes send the group's
/// name, never its id (docs/okta-wire.md#81-pushing-a-new-group).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OktaGroupId(String);

impl OktaGroupId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OktaGroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// SplitMix64: tiny, seedable, good enough for ids and placeholders.
#[derive(Debug, Clone)]
pub(crate) struct IdGenerator {
    state: u64,
}

impl IdGenerator {
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn chars(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| {
                let index = self.next_u64() % alphabet.len() as u64;
                char::from(alphabet[index as usize])
            })
            .collect()
    }

    /// The next user id.
    pub(crate) fn user_id(&mut self) -> OktaUserId {
        OktaUserId(format!("00u{}", self.chars(BASE62, 17)))
    }

    /// The next group id.
    pub(crate) fn group_id(&mut self) -> OktaGroupId {
        OktaGroupId(format!("00g{}", self.chars(BASE62, 17)))
    }

    /// A random 8-character password placeholder like `1mz050nq`: Okta
    /// sends one on create even when password sync is off (§3.2 DOC O-SCIM20).
    pub(crate) fn password(&mut self) -> String {
        self.chars(b"abcdefghijklmnopqrstuvwxyz0123456789", 8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_look_like_okta_ids() {
        let mut ids = IdGenerator::new(7);
        let id = ids.user_id();
        assert_eq!(id.as_str().len(), 20);
        assert!(id.as_str().starts_with("00u"));
        assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(ids.user_id(), id);
    }

    #[test]
    fn group_ids_look_like_okta_ids() {
        let id = IdGenerator::new(7).group_id();
        assert_eq!(id.as_str().len(), 20);
        assert!(id.as_str().starts_with("00g"));
        assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
    }

    #[test]
    fn the_same_seed_gives_the_same_ids() {
        let (mut a, mut b) = (IdGenerator::new(42), IdGenerator::new(42));
        assert_eq!(a.user_id(), b.user_id());
        assert_eq!(a.password(), b.password());
        assert_ne!(
            IdGenerator::new(43).user_id(),
            IdGenerator::new(42).user_id()
        );
    }
}
