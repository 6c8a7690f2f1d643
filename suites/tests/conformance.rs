//! The conformance suite against the embedded reference bridge (or, with
//! `SCIM_BASE_URL`/`SCIM_TOKEN`, any bridge): `cargo test -p scimulate-suites
//! --test conformance -- okta.groups` filters, `--list` lists.

fn main() {
    scimulate_suites::harness::main();
}
