//! Checks: errors (being written).

use scimulate_bridge::Fault;

use crate::checks::Check;

pub const CHECKS: &[Check] = &[];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[];

/// Checks here no fault of the reference bridge can turn red, and why.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[];
