//! Integration tests of the `scimulate` binary and facade (one binary: fewer
//! links on 2 cores).

mod architecture;
mod cli;
mod hostile;
mod peer;
mod target;
