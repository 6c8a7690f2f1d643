//! The renderers on real run records: the reference bridge played with a
//! fault, a waiver and a target whose account is not observable, so every
//! kind of verdict is in it. They live here, not in `reports/tests`, so
//! `scimulate-reports` needs no run (no HTTP) even to be tested (#17).

mod formats;
mod html;
mod support;
