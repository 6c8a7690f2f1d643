//! What a target answered a probe, as the judges read it.

use serde_json::Value;

/// What a target answered.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) location: Option<String>,
    pub(super) text: String,
    /// `None` when the body is empty or not JSON.
    pub(super) json: Option<Value>,
}

impl Answer {
    /// `HTTP 200 {"schemas":…` cut short, for the table.
    pub(super) fn excerpt(&self) -> String {
        let text: String = self
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(160)
            .collect();
        if text.is_empty() {
            format!("HTTP {}", self.status)
        } else {
            format!("HTTP {} {text}", self.status)
        }
    }
}
