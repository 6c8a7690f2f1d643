//! Redaction of the bearer token where output is made (issue #13: never
//! where evidence is recorded).
//!
//! Records hold what the target answered, byte for byte as far as the
//! record keeps it: checks judge answers as received, so a token `T` never
//! turns `scimType` into `scim[REDACTED]ype`. Every output instead goes
//! through a [`Redactor`] built from the token:
//!
//! - reports: a renderer takes a [`Redacted`] view, and the only way to
//!   get one is [`Redacted::new`], which redacts every string of the value
//!   (each record type implements [`Redact`] by destructuring all of its
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

use serde::{Serialize, Serializer};
use serde_json::Value;

/// The text every redacted secret is replaced by.
pub const REDACTED: &str = "[REDACTED]";

/// Markers a cut text ends in: the excerpts' ellipsis and the record's
/// `[truncated: …]`.
const CUT_MARKERS: &[&str] = &["…", "[truncated"];

/// The fewest characters of the token before a cut marker that are taken
/// for a cut token (fewer say nothing about it).
const MIN_PARTIAL: usize = 3;

/// The shortest base64 core searched for: shorter ones would match
/// ordinary text.
const MIN_BASE64_CORE: usize = 4;

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

/// Bytes at which an encoded form may start whatever the secret is.
fn could_start(byte: u8) -> bool {
    matches!(byte, b'%' | b'\\' | b'+')
}

/// ASCII letters in any case; everything else exactly.
fn same_char(secret: char, seen: char) -> bool {
    secret == seen || secret.eq_ignore_ascii_case(&seen)
}

/// Matches `secret` from byte `at` of `text`, each character in any of its
/// forms, backtracking where forms overlap. Returns the end of the match.
/// With `partial: Some(min)`, a match that runs out of text after `min`
/// characters or more (and only then) counts, ending at the text's end.
fn walk(text: &str, mut at: usize, secret: &[char], partial: Option<usize>) -> Option<usize> {
    let mut k = 0;
    loop {
        if k == secret.len() {
            return partial.is_none().then_some(at);
        }
        if at == text.len() {
            return partial.filter(|min| k >= *min).map(|_| at);
        }
        let (next, count) = forms_at(text, at, secret[k]);
        match count {
            // A cut in the middle of an encoded character (`Tok%2`…).
            0 if partial.is_some_and(|min| k >= min)
                && encodings(secret[k])
                    .iter()
                    .any(|e| e.starts_with(&text[at..])) =>
            {
                return Some(text.len());
            }
            0 => return None,
            1 => {
                at = next[0];
                k += 1;
            }
            _ => {
                return next[..count]
                    .iter()
                    .find_map(|n| walk_from(text, *n, secret, k + 1, partial));
            }
        }
    }
}

/// [`walk`] from the `k`th character of `secret`.
fn walk_from(
    text: &str,
    at: usize,
    secret: &[char],
    k: usize,
    partial: Option<usize>,
) -> Option<usize> {
    let rest = &secret[k..];
    let partial = partial.map(|min| min.saturating_sub(k));
    if rest.is_empty() {
        return partial.is_none().then_some(at);
    }
    walk(text, at, rest, partial)
}

/// The ends of each form of `c` found at byte `at`: itself (any ASCII
/// case), percent-encoded, `+` for a space, JSON-escaped.
fn forms_at(text: &str, at: usize, c: char) -> ([usize; 4], usize) {
    let mut ends = [0; 4];
    let mut count = 0;
    let mut push = |end: usize| {
        if count < ends.len() && !ends[..count].contains(&end) {
            ends[count] = end;
            count += 1;
        }
    };
    let rest = &text[at..];
    if let Some(seen) = rest.chars().next()
        && same_char(c, seen)
    {
        push(at + seen.len_utf8());
    }
    if c == ' ' && rest.starts_with('+') {
        push(at + 1);
    }
    if rest.starts_with('%')
        && let Some(len) = percent_encoded(rest, c)
    {
        push(at + len);
    }
    if rest.starts_with('\\')
        && let Some(len) = json_escaped(rest, c)
    {
        push(at + len);
    }
    (ends, count)
}

/// Every encoded form of `c` (for a text cut inside one).
fn encodings(c: char) -> Vec<String> {
    let mut buf = [0; 4];
    let bytes = c.encode_utf8(&mut buf).as_bytes();
    let mut forms = vec![
        bytes
            .iter()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>(),
        bytes
            .iter()
            .map(|b| format!("%{b:02x}"))
            .collect::<String>(),
    ];
    let mut units = [0u16; 2];
    let units = c.encode_utf16(&mut units);
    forms.push(units.iter().map(|u| format!("\\u{u:04X}")).collect());
    forms.push(units.iter().map(|u| format!("\\u{u:04x}")).collect());
    forms
}

/// The length of `c` percent-encoded (`%XX` per UTF-8 byte, either hex
/// case) at the start of `text`.
fn percent_encoded(text: &str, c: char) -> Option<usize> {
    let mut buf = [0; 4];
    let bytes = c.encode_utf8(&mut buf).as_bytes();
    let wire = text.as_bytes();
    for (i, byte) in bytes.iter().enumerate() {
        let at = i * 3;
        if wire.get(at) != Some(&b'%') {
            return None;
        }
        let hex = std::str::from_utf8(wire.get(at + 1..at + 3)?).ok()?;
        if u8::from_str_radix(hex, 16).ok()? != *byte {
            return None;
        }
    }
    Some(bytes.len() * 3)
}

/// The length of `c` JSON-escaped (`\uXXXX`, a surrogate pair, or a short
/// escape such as `\/`) at the start of `text`.
fn json_escaped(text: &str, c: char) -> Option<usize> {
    let short = match c {
        '/' => Some('/'),
        '\\' => Some('\\'),
        '"' => Some('"'),
        '\n' => Some('n'),
        '\r' => Some('r'),
        '\t' => Some('t'),
        '\u{8}' => Some('b'),
        '\u{c}' => Some('f'),
        _ => None,
    };
    let bytes = text.as_bytes();
    if let Some(short) = short
        && bytes.get(1) == Some(&(short as u8))
    {
        return Some(2);
    }
    let mut units = [0u16; 2];
    let units = c.encode_utf16(&mut units);
    for (i, unit) in units.iter().enumerate() {
        let at = i * 6;
        if bytes.get(at..at + 2) != Some(b"\\u") {
            return None;
        }
        let hex = std::str::from_utf8(bytes.get(at + 2..at + 6)?).ok()?;
        if u16::from_str_radix(hex, 16).ok()? != *unit {
            return None;
        }
    }
    Some(units.len() * 6)
}

/// The base64 characters that encode nothing but `secret`'s bits, for each
/// alphabet and each of the three alignments the secret can have in a
/// longer encoded text (`user:token`).
fn base64_cores_of(secret: &[u8]) -> Vec<String> {
    const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut cores = Vec::new();
    for alphabet in [STANDARD, URL_SAFE] {
        for offset in 0..3 {
            let mut input = vec![0; offset];
            input.extend_from_slice(secret);
            let encoded = base64(&input, alphabet);
            // Character j holds bits [6j, 6j+6); the secret's are
            // [8·offset, 8·(offset+len)).
            let first = (8 * offset).div_ceil(6);
            let end = (8 * (offset + secret.len())) / 6;
            if end >= first + MIN_BASE64_CORE
                && let Some(core) = encoded.get(first..end)
                && !cores.iter().any(|c: &String| c == core)
            {
                cores.push(core.to_owned());
            }
        }
    }
    cores
}

/// Unpadded base64 of `input` in `alphabet`.
fn base64(input: &[u8], alphabet: &[u8; 64]) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(alphabet[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// The whole run of base64 characters (either alphabet, padding included)
/// around `start..end`.
fn base64_run(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let is_base64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_');
    let mut s = start;
    while s > 0 && is_base64(bytes[s - 1]) {
        s -= 1;
    }
    let mut e = end;
    while e < bytes.len() && is_base64(bytes[e]) {
        e += 1;
    }
    while e < bytes.len() && bytes[e] == b'=' {
        e += 1;
    }
    (s, e)
}

/// Sorted, overlapping and touching spans joined.
fn merge(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.forms {
            Some(_) => f.write_str("Redactor([REDACTED])"),
            None => f.write_str("Redactor(none)"),
        }
    }
}

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

#[cfg(test)]
#[path = "redact_tests.rs"]
mod tests;
