//! What every renderer shows of a failure's evidence: the exchanges and
//! effects it points at, found in the record, and short one-line excerpts
//! of bodies a person can read in a terminal or a test report.

use scimulate_record::Effect;
use scimulate_record::{CheckResult, Evidence, RunRecord, ScenarioRecord};
use scimulate_record::{Exchange, RecordedBody};
use serde_json::Value;

/// Excerpts are cut at this many characters.
pub const EXCERPT_CHARS: usize = 240;

/// The scenario run a result judged.
pub fn scenario_of<'r>(record: &'r RunRecord, result: &CheckResult) -> Option<&'r ScenarioRecord> {
    record.scenarios.iter().find(|s| s.name == result.scenario)
}

/// The exchanges the evidence points at, in its order; `Err(number)` for a
/// number the transcript does not hold.
pub fn exchanges<'r>(
    scenario: Option<&'r ScenarioRecord>,
    evidence: &Evidence,
) -> Vec<Result<&'r Exchange, u64>> {
    evidence
        .exchanges
        .iter()
        .map(|number| {
            scenario
                .and_then(|s| s.transcript.iter().find(|e| e.number == *number))
                .ok_or(*number)
        })
        .collect()
}

/// The effects the evidence points at; `Err(seq)` for one the log lacks.
pub fn effects<'r>(
    scenario: Option<&'r ScenarioRecord>,
    evidence: &Evidence,
) -> Vec<Result<&'r Effect, u64>> {
    evidence
        .effects
        .iter()
        .map(|seq| {
            scenario
                .and_then(|s| s.effects.iter().find(|e| e.seq == *seq))
                .ok_or(*seq)
        })
        .collect()
}

/// `#4 PATCH /Users/abc -> 404`, or `-> error: …` when no answer came.
pub fn exchange_line(exchange: &Exchange) -> String {
    match (&exchange.response, &exchange.error) {
        (_, Some(error)) => format!("{} -> error: {}", exchange.headline(), clean(error)),
        (Some(response), None) => format!("{} -> {}", exchange.headline(), response.status),
        (None, None) => exchange.headline(),
    }
}

/// `#2 member_deleted {"member_id":"…","email":"…"}`.
pub fn effect_line(effect: &Effect) -> String {
    let Ok(Value::Object(mut fields)) = serde_json::to_value(effect) else {
        return format!("#{}", effect.seq);
    };
    fields.shift_remove("seq");
    fields.shift_remove("at");
    let kind = fields
        .shift_remove("kind")
        .and_then(|k| k.as_str().map(str::to_string))
        .unwrap_or_default();
    format!("#{} {kind} {}", effect.seq, Value::Object(fields))
}

/// The request body, compact and cut; `None` when none was sent.
pub fn request_excerpt(exchange: &Exchange) -> Option<String> {
    exchange.request.body.as_ref().map(|b| cut(&b.to_string()))
}

/// The response body, compact and cut; `None` when there was none.
pub fn response_excerpt(exchange: &Exchange) -> Option<String> {
    match &exchange.response.as_ref()?.body {
        RecordedBody::Empty => None,
        RecordedBody::Json(value) => Some(cut(&value.to_string())),
        RecordedBody::Text { text, .. } => Some(cut(text)),
    }
}

/// At most [`EXCERPT_CHARS`] characters, on one line, control characters
/// escaped (a hostile server's body cannot move a terminal's cursor).
pub fn cut(text: &str) -> String {
    let text = clean(text);
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((at, _)) => format!("{}… ({} more bytes)", &text[..at], text.len() - at),
        None => text,
    }
}

/// Control characters (ESC, CR, BEL…) as visible escapes, line breaks
/// folded to a space: server text is shown, never obeyed.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if crate::visible::is_hidden(c) => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out
}

/// Messages are one line: the lines of a multi-line text are joined with a
/// space.
pub fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(clean("a\x1b[2Jb\r\nc\x07"), "a\\u{1b}[2Jb  c\\u{7}");
    }

    #[test]
    fn excerpts_are_cut_on_a_char_boundary() {
        let long = "é".repeat(EXCERPT_CHARS + 10);
        let excerpt = cut(&long);
        assert!(excerpt.starts_with(&"é".repeat(EXCERPT_CHARS)));
        assert!(excerpt.ends_with("… (20 more bytes)"), "{excerpt}");
        assert_eq!(cut("short"), "short");
    }

    #[test]
    fn messages_are_one_line() {
        assert_eq!(one_line("a  b\n  c\r\n\nd "), "a  b c d");
    }
}
