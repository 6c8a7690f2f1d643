//! The binary's own outputs that are not reports: logs (every level),
//! the final error line and panic messages. Each goes through the
//! redactor of the token the command was given, installed once it is
//! known ([`protect`]); reports go through `RunRecord::redacted` instead.
//! Records keep what targets answered as received (issue #13), so any
//! line may quote an answer that echoed the token: none is written
//! unredacted.

use std::io::Write;
use std::sync::OnceLock;

use scimulate_suites::Redactor;

static REDACTOR: OnceLock<Redactor> = OnceLock::new();

/// From now on, every log line, error line and panic message redacts
/// `token` (in every form a target may echo it). The first token given
/// wins: a command has one.
pub fn protect(redactor: Redactor) {
    let _ = REDACTOR.set(redactor);
}

/// `text` with the token redacted, once one is known.
pub fn redact(text: &str) -> String {
    match REDACTOR.get() {
        Some(redactor) => redactor.redact(text).into_owned(),
        None => text.to_owned(),
    }
}

/// `tracing_subscriber`'s writer: one event per writer, redacted as a
/// whole and written to stderr when the event is done.
pub struct LogWriter;

/// The text of one event.
pub struct EventText(Vec<u8>);

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = EventText;
    fn make_writer(&'a self) -> EventText {
        EventText(Vec::with_capacity(256))
    }
}

impl Write for EventText {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for EventText {
    fn drop(&mut self) {
        let text = redact(&String::from_utf8_lossy(&self.0));
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// Panic messages (which may quote a value a target sent) are redacted
/// like every other line.
pub fn redact_panics() {
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("<unnamed>");
        let _ = writeln!(
            std::io::stderr(),
            "thread '{name}' {}",
            redact(&info.to_string())
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_redacted_as_a_whole() {
        let redactor = Redactor::for_secret("tok-logline-1234");
        let text = "DEBUG exchange path=\"/Users?next=tok-logline-1234\"";
        assert_eq!(
            redactor.redact(text),
            "DEBUG exchange path=\"/Users?next=[REDACTED]\""
        );
    }
}
