//! One entry of the check catalogue: what every area's list is made of.

use crate::capabilities::Capability;
use crate::check::CheckDef;
use crate::observation::Observation;
use crate::verdict::Verdict;

/// One check: its definition, the scenarios whose runs it judges (one
/// verdict each), what it needs the target to advertise, and the judgement.
pub struct Check {
    pub def: CheckDef,
    pub scenarios: &'static [&'static str],
    pub requires: Option<Capability>,
    pub judge: fn(&Observation) -> Verdict,
}
