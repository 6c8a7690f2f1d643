//! Characters a reader must see rather than have obeyed: C0 and C1
//! control characters (ESC, BEL, NUL, DEL…), the bidirectional controls
//! (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C: a U+202E can
//! make `txt.exe` read `exe.txt`), the line and paragraph separators
//! (U+2028, U+2029) and noncharacters. Each is shown as `\u{…}`, in every
//! place a person reads a run: the terminal, the HTML certificate (where a
//! raw control character is a parse error) and JUnit XML (where most are
//! not even allowed).

use std::borrow::Cow;

/// Whether `c` is shown as an escape. `keep` lists the controls a format
/// uses itself (line breaks, tabs, the terminal's own colour codes).
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{FDD0}'..='\u{FDEF}'
        )
        || (u32::from(c) & 0xFFFE) == 0xFFFE
}

/// `text` with every hidden character but those in `keep` as `\u{…}`;
/// borrowed when there was none.
pub fn escape<'t>(text: &'t str, keep: &[char]) -> Cow<'t, str> {
    if !text.chars().any(|c| is_hidden(c) && !keep.contains(&c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden(c) && !keep.contains(&c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_separators_are_shown_not_obeyed() {
        assert_eq!(
            escape(
                "a\u{1b}[2J\u{7}\u{0}b\u{202e}txt.exe\u{2028}\u{2029}\u{9f}\u{fffe}",
                &[]
            ),
            "a\\u{1b}[2J\\u{7}\\u{0}b\\u{202e}txt.exe\\u{2028}\\u{2029}\\u{9f}\\u{fffe}"
        );
        assert_eq!(escape("line\n\tnext", &['\n', '\t']), "line\n\tnext");
        assert!(matches!(escape("plain é ✓", &[]), Cow::Borrowed(_)));
    }
}
