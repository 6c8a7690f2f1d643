//! The simulator against a wiremock SCIM server: every admin action in both
//! dialects, byte for byte against okta-scim-wire.md, and the faults Okta
//! must survive (429, timeouts, huge or non-JSON bodies, redirects).

mod assign;
mod connection;
mod faults;
mod harness;
mod lifecycle;
mod profile;
mod transcript;
mod wire;
