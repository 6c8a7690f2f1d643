//! The renderers on real run records: the reference bridge played with a
//! fault, a waiver and a target whose account is not observable, so every
//! kind of verdict is in it.

mod formats;
mod html;
mod support;
