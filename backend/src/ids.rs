//! Member and group ids shaped like 1Password's.
//!
//! 1Password's user ids are 26 upper-case base32 characters and its group ids
//! 26 lower-case ones (docs/1password.md#7-recorded-wire-details). Ids come
//! from a splitmix64 stream so that a seeded run hands out the same ids every
//! time (STYLE.md §6: inject an id generator).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::model::{GroupId, MemberId};

/// RFC 4648 base32 alphabet, upper case.
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Length of every id.
pub const ID_LEN: usize = 26;

/// Hands out ids; the same seed gives the same sequence.
#[derive(Clone, Debug)]
pub struct IdGenerator {
    state: u64,
}

impl IdGenerator {
    /// A generator whose ids follow from `seed` (for deterministic runs).
    pub fn from_seed(seed: u64) -> Self {
        IdGenerator { state: seed }
    }

    /// A generator seeded from the time, the process id and the standard
    /// library's per-process random hash keys (for production runs).
    pub fn random() -> Self {
        let mut hasher = RandomState::new().build_hasher();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        hasher.write_u128(nanos);
        hasher.write_u32(std::process::id());
        IdGenerator::from_seed(hasher.finish())
    }

    /// A new member id: 26 characters of `A-Z2-7`.
    pub fn member_id(&mut self) -> MemberId {
        self.base32()
    }

    /// A new group id: 26 characters of `a-z2-7`.
    pub fn group_id(&mut self) -> GroupId {
        self.base32().to_ascii_lowercase()
    }

    fn base32(&mut self) -> String {
        let mut id = String::with_capacity(ID_LEN);
        let mut bits = 0u64;
        let mut left = 0u32;
        while id.len() < ID_LEN {
            if left < 5 {
                bits = self.next_u64();
                left = 64;
            }
            // `bits & 31` is below 32, so the index is always in range.
            id.push(char::from(ALPHABET[(bits & 31) as usize]));
            bits >>= 5;
            left -= 5;
        }
        id
    }

    /// splitmix64 (Steele, Lea, Flood 2014), as in `java.util.SplittableRandom`.
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Whether `id` has the shape of a member id: 26 characters of `A-Z2-7`.
pub fn is_member_id(id: &str) -> bool {
    id.len() == ID_LEN && id.bytes().all(|b| ALPHABET.contains(&b))
}

/// Whether `id` has the shape of a group id: 26 characters of `a-z2-7`.
pub fn is_group_id(id: &str) -> bool {
    id.len() == ID_LEN
        && id
            .bytes()
            .all(|b| !b.is_ascii_uppercase() && ALPHABET.contains(&b.to_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn same_seed_gives_same_ids() {
        let mut a = IdGenerator::from_seed(1);
        let mut b = IdGenerator::from_seed(1);
        for _ in 0..10 {
            assert_eq!(a.member_id(), b.member_id());
            assert_eq!(a.group_id(), b.group_id());
        }
        assert_ne!(
            IdGenerator::from_seed(1).member_id(),
            IdGenerator::from_seed(2).member_id()
        );
    }

    #[test]
    fn member_ids_are_upper_case_base32() {
        let mut ids = IdGenerator::from_seed(7);
        for _ in 0..100 {
            let id = ids.member_id();
            assert!(is_member_id(&id), "{id}");
        }
    }

    #[test]
    fn group_ids_are_lower_case_base32() {
        let mut ids = IdGenerator::from_seed(7);
        for _ in 0..100 {
            let id = ids.group_id();
            assert!(is_group_id(&id), "{id}");
            assert!(!is_member_id(&id), "{id}");
        }
    }

    #[test]
    fn ids_do_not_repeat() {
        let mut ids = IdGenerator::from_seed(0);
        let seen: HashSet<_> = (0..10_000).map(|_| ids.member_id()).collect();
        assert_eq!(seen.len(), 10_000);
    }

    #[test]
    fn random_generators_differ() {
        assert_ne!(
            IdGenerator::random().member_id(),
            IdGenerator::random().member_id()
        );
    }
}
