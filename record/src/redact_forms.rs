//! How a [`crate::redact::Redactor`] matches: each character of the token
//! in any of its forms (as is in any ASCII case, percent-encoded, `+` for a
//! space, JSON-escaped), base64 cores at every alignment, and the spans
//! found merged. Pure functions of text; nothing here knows the token.

/// The shortest base64 core searched for: shorter ones would match
/// ordinary text.
pub(crate) const MIN_BASE64_CORE: usize = 4;

/// Bytes at which an encoded form may start whatever the secret is.
pub(crate) fn could_start(byte: u8) -> bool {
    matches!(byte, b'%' | b'\\' | b'+')
}

/// ASCII letters in any case; everything else exactly.
pub(crate) fn same_char(secret: char, seen: char) -> bool {
    secret == seen || secret.eq_ignore_ascii_case(&seen)
}

/// Matches `secret` from byte `at` of `text`, each character in any of its
/// forms, backtracking where forms overlap. Returns the end of the match.
/// With `partial: Some(min)`, a match that runs out of text after `min`
/// characters or more (and only then) counts, ending at the text's end.
pub(crate) fn walk(
    text: &str,
    mut at: usize,
    secret: &[char],
    partial: Option<usize>,
) -> Option<usize> {
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
pub(crate) fn walk_from(
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
pub(crate) fn forms_at(text: &str, at: usize, c: char) -> ([usize; 4], usize) {
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
pub(crate) fn encodings(c: char) -> Vec<String> {
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
pub(crate) fn percent_encoded(text: &str, c: char) -> Option<usize> {
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
pub(crate) fn json_escaped(text: &str, c: char) -> Option<usize> {
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
pub(crate) fn base64_cores_of(secret: &[u8]) -> Vec<String> {
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
pub(crate) fn base64(input: &[u8], alphabet: &[u8; 64]) -> String {
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
pub(crate) fn base64_run(text: &str, start: usize, end: usize) -> (usize, usize) {
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
pub(crate) fn merge(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
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
