//! Redaction of the bearer token where output is made (issue #13: never
//! where evidence is recorded).
//!
//! Records hold what the target answered, byte for byte as far as the
//! record keeps it: checks judge answers as received, so a token `T` never
//! turns `scimType` into `scim[REDACTED]ype`. Every output instead goes
//! through a [`Redactor`] built from the token:
//!
//! - reports: a renderer takes a [`Redacted`](crate::Redacted) view, and the only way to
//!   get one is [`Redacted::new`](crate::Redacted::new), which redacts every string of the value
//!   (each record type implements [`Redact`](crate::Redact) by destructuring all of its
//!   fields, so a field added later does not compile until it is
//!   redacted too);
//! - logs, the terminal's error line and panic messages: the binary's
//!   writers pass every line through the run's redactor;
//! - baselines: the normalized transcript is redacted before it is
//!   compared or written.
//!
//! A redactor finds the token (as given and trimmed) in every form a server
//! can echo it: as is, in any ASCII case (HTTP lower-cases header names),
//! percent-encoded (either hex case, `+` for a space), JSON-escaped
//! (`\/`, `\uXXXX`, mixed freely with plain characters), and base64
//! (standard and URL-safe alphabet, padded or not, at any alignment, so
//! also inside `Basic base64(user:token)`: the whole base64 run that holds
//! it is replaced). A text cut short for a record or an excerpt ends in a
//! marker (`…`, `[truncated`); a part of the token (3 characters or more)
//! just before such a marker is redacted too, so a token straddling a cut
//! never leaves its first half.
//!
//! ```
//! use scimulate_record::{REDACTED, Redactor};
//!
//! let redactor = Redactor::for_secret("s3cret/Token+x");
//! // As given, lower-cased (a header name), percent- and JSON-encoded:
//! assert_eq!(redactor.redact("x-s3cret/token+x: 1"), "x-[REDACTED]: 1");
//! assert_eq!(redactor.redact("next=s3cret%2FToken%2bx&a=1"), "next=[REDACTED]&a=1");
//! assert_eq!(redactor.redact(r#""s3cret\/Tok\u0065n+x""#), r#""[REDACTED]""#);
//! // In base64, also as the password of `Basic` credentials:
//! assert_eq!(redactor.redact("Basic YWRhOnMzY3JldC9Ub2tlbit4"), "Basic [REDACTED]");
//! // The first half of a token cut by an excerpt:
//! assert_eq!(redactor.redact("detail: s3cret/To…"), "detail: [REDACTED]…");
//! // Text without the token is borrowed, not copied.
//! assert!(matches!(redactor.redact("scimType"), std::borrow::Cow::Borrowed(_)));
//! assert_eq!(REDACTED, "[REDACTED]");
//! ```

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use crate::redact_forms::{
    MIN_BASE64_CORE, base64_cores_of, base64_run, could_start, merge, same_char, walk,
};

/// The text every redacted secret is replaced by.
pub const REDACTED: &str = "[REDACTED]";

/// Markers a cut text ends in: the excerpts' ellipsis and the record's
/// `[truncated: …]`.
const CUT_MARKERS: &[&str] = &["…", "[truncated"];

/// The fewest characters of the token before a cut marker that are taken
/// for a cut token (fewer say nothing about it).
const MIN_PARTIAL: usize = 3;

/// Finds and replaces the token in every form a server can echo it (see
/// the module docs). Cheap to clone; `Debug` never shows the secret.
#[derive(Clone, Default)]
pub struct Redactor {
    forms: Option<Arc<Forms>>,
}

struct Forms {
    /// The token as given and trimmed (one entry when they are the same),
    /// as characters.
    secrets: Vec<Vec<char>>,
    /// The base64 characters that depend on the token's bytes alone, for
    /// each variant, alphabet and alignment.
    base64_cores: Vec<String>,
}

impl Redactor {
    /// A redactor that changes nothing (a record with no secret, tests).
    pub fn none() -> Self {
        Self::default()
    }

    /// A redactor of `secret` (as given and trimmed). A secret of nothing
    /// but whitespace redacts nothing.
    pub fn for_secret(secret: &str) -> Self {
        if secret.trim().is_empty() {
            return Self::none();
        }
        let mut secrets: Vec<&str> = vec![secret, secret.trim()];
        secrets.dedup();
        let mut base64_cores = Vec::new();
        for secret in &secrets {
            for core in base64_cores_of(secret.as_bytes()) {
                if !base64_cores.contains(&core) {
                    base64_cores.push(core);
                }
            }
        }
        Redactor {
            forms: Some(Arc::new(Forms {
                secrets: secrets.iter().map(|s| s.chars().collect()).collect(),
                base64_cores,
            })),
        }
    }

    /// Whether this redactor has a secret to look for.
    pub fn is_active(&self) -> bool {
        self.forms.is_some()
    }

    /// Whether `text` holds the secret in any form.
    pub fn finds(&self, text: &str) -> bool {
        !self.spans(text).is_empty()
    }

    /// `text` with every form of the secret replaced by [`REDACTED`];
    /// borrowed when there was nothing to replace.
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let spans = self.spans(text);
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in spans {
            out.push_str(&text[at..start]);
            out.push_str(REDACTED);
            at = end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }

    /// Redacts `text` where it is, leaving it untouched when clean.
    pub fn redact_string(&self, text: &mut String) {
        if let Cow::Owned(redacted) = self.redact(text) {
            *text = redacted;
        }
    }

    /// Redacts every string and object key in `value`.
    pub fn redact_value(&self, value: &mut Value) {
        if !self.is_active() {
            return;
        }
        match value {
            Value::String(text) => self.redact_string(text),
            Value::Array(items) => items.iter_mut().for_each(|v| self.redact_value(v)),
            Value::Object(map) => {
                let keys: Vec<String> = map.keys().filter(|k| self.finds(k)).cloned().collect();
                for key in keys {
                    if let Some(v) = map.shift_remove(&key) {
                        map.insert(self.redact(&key).into_owned(), v);
                    }
                }
                map.values_mut().for_each(|v| self.redact_value(v));
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// The byte ranges to replace, sorted and merged.
    fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        let Some(forms) = &self.forms else {
            return Vec::new();
        };
        let mut spans = Vec::new();
        for (start, _) in text.char_indices() {
            if !could_start(text.as_bytes()[start]) && !forms.starts_any(text, start) {
                continue;
            }
            for secret in &forms.secrets {
                if let Some(end) = walk(text, start, secret, None) {
                    spans.push((start, end));
                    break;
                }
            }
        }
        for core in &forms.base64_cores {
            for (at, _) in text.match_indices(core.as_str()) {
                spans.push(base64_run(text, at, at + core.len()));
            }
        }
        for marker in CUT_MARKERS {
            for (at, _) in text.match_indices(marker) {
                if let Some(start) = forms.partial_before(text, at) {
                    spans.push((start, at));
                }
            }
        }
        merge(spans)
    }
}

impl Forms {
    /// Whether a secret's first character (in any ASCII case) is at `at`.
    fn starts_any(&self, text: &str, at: usize) -> bool {
        let Some(c) = text[at..].chars().next() else {
            return false;
        };
        self.secrets
            .iter()
            .any(|s| s.first().is_some_and(|first| same_char(*first, c)))
    }

    /// The start of the longest part of a secret (or of its base64 form)
    /// that ends at `end`, a cut marker.
    fn partial_before(&self, text: &str, end: usize) -> Option<usize> {
        let longest = self.secrets.iter().map(Vec::len).max().unwrap_or(0);
        // `\uD83D\uDE00`: twelve bytes per character at most.
        let mut window = end.saturating_sub(longest * 12);
        while !text.is_char_boundary(window) {
            window += 1;
        }
        for (start, _) in text[window..end].char_indices() {
            let start = window + start;
            for secret in &self.secrets {
                let min = MIN_PARTIAL.min(secret.len().saturating_sub(1)).max(1);
                if walk(&text[..end], start, secret, Some(min)).is_some() {
                    return Some(start);
                }
            }
        }
        let (run_start, _) = base64_run(text, end, end);
        let run = &text[run_start..end];
        for core in &self.base64_cores {
            let most = core.len().min(run.len());
            if (MIN_BASE64_CORE..=most).any(|n| run.ends_with(&core[..n])) {
                return Some(run_start);
            }
        }
        None
    }
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.forms {
            Some(_) => f.write_str("Redactor([REDACTED])"),
            None => f.write_str("Redactor(none)"),
        }
    }
}

#[cfg(test)]
#[path = "redact_tests.rs"]
mod tests;
