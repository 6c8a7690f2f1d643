//! The whole of what a bridge repository needs (with `harness = false`):
//! start your bridge, hand its URL and token to scimulate's suites. Every
//! check becomes a trial: `cargo test --test okta -- okta.groups` filters.

fn main() {
    let bridge = example_bridge_tests::start().expect("the bridge starts");
    scimulate::harness::main_against(&bridge.base_url, &bridge.token, Some(&bridge.backend_url));
}
