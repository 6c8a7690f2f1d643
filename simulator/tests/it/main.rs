//! The simulator against a wiremock SCIM server: every admin action in both
//! dialects, byte for byte against docs/okta-wire.md, and the faults Okta
//! must survive (429, timeouts, huge or non-JSON bodies, redirects).

mod assign;
mod connection;
mod faults;
mod group_assignment;
mod group_org;
mod groups;
mod harness;
mod import;
mod lifecycle;
mod probe_retries;
mod profile;
mod push;
mod script;
mod silence;
mod transcript;
mod wire;
