//! The redacted view renderers take: [`Redacted`] holds a value whose
//! every string went through a [`Redactor`]; [`Redact`] says how each type
//! is redacted (record types in `redact_record.rs`).

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::redact::Redactor;

/// A value whose every string went through a [`Redactor`]: what renderers
/// take, so no output can be made of an unredacted record.
#[derive(Debug, Clone)]
pub struct Redacted<T>(T);

impl<T: Redact> Redacted<T> {
    /// Redacts `value` in place (it is consumed: nothing is copied).
    pub fn new(mut value: T, redactor: &Redactor) -> Self {
        if redactor.is_active() {
            value.redact(redactor);
        }
        Redacted(value)
    }
}

impl<T> Redacted<T> {
    /// The redacted value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Redacted<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Serialize> Serialize for Redacted<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// A value that can redact every string it holds. Implementations
/// destructure every field, so a new field must say how it is redacted.
pub trait Redact {
    fn redact(&mut self, redactor: &Redactor);
}

impl Redact for String {
    fn redact(&mut self, redactor: &Redactor) {
        redactor.redact_string(self);
    }
}

impl Redact for Value {
    fn redact(&mut self, redactor: &Redactor) {
        redactor.redact_value(self);
    }
}

impl<T: Redact> Redact for Vec<T> {
    fn redact(&mut self, redactor: &Redactor) {
        self.iter_mut().for_each(|item| item.redact(redactor));
    }
}

impl<T: Redact> Redact for Option<T> {
    fn redact(&mut self, redactor: &Redactor) {
        if let Some(value) = self {
            value.redact(redactor);
        }
    }
}

impl<T: Redact> Redact for Box<T> {
    fn redact(&mut self, redactor: &Redactor) {
        self.as_mut().redact(redactor);
    }
}
