//! The process exit codes, in one place (documented in `--help` and the
//! README).

/// Every MUST check passed (or, for `serve`, a clean shutdown).
pub const OK: i32 = 0;
/// At least one MUST check failed.
pub const CHECK_FAILED: i32 = 1;
/// The run could not be made: bad arguments, unreadable files, an
/// unreachable target.
pub const RUN_FAILED: i32 = 2;
