//! Progress on stderr, only on a terminal, never in CI (`CI` set) or with
//! `--quiet`: the scenarios of `scimulate run` as a bar, and — for `run`,
//! `load` and `cleanup` alike — the exchange a slow target is being waited
//! for and for how long, so a slow target never looks like a hung tool.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use scimulate_simulator::Liveness;

/// An exchange is shown once it has waited this long.
const SHOW_AFTER: Duration = Duration::from_secs(1);
/// How often the wait is redrawn.
const TICK: Duration = Duration::from_millis(250);

/// A bar (counting scenario runs) or a spinner; clones share it.
#[derive(Clone)]
pub struct Bar {
    bar: ProgressBar,
    /// What is being played (a scenario's label, `load`, `cleanup`).
    label: Arc<Mutex<String>>,
}

/// Whether progress may be drawn: stderr is a terminal and this is not CI.
fn drawable() -> bool {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    !ci && std::io::stderr().is_terminal()
}

impl Bar {
    /// A bar counting scenario runs; `None` off a terminal and in CI.
    pub fn new() -> Option<Self> {
        Self::styled(
            "{spinner} {pos}/{len} scenarios [{bar:30}] {msg}",
            Some(0),
            "",
        )
    }

    /// A spinner for `label` (`load`, `cleanup`); `None` off a terminal
    /// and in CI.
    pub fn spinner(label: &str) -> Option<Self> {
        Self::styled("{spinner} {msg}", None, label)
    }

    fn styled(template: &str, length: Option<u64>, label: &str) -> Option<Self> {
        if !drawable() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(label.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        Some(Bar {
            bar,
            label: Arc::new(Mutex::new(label.to_string())),
        })
    }

    /// Shows, beside the label, the exchange `liveness` sees waiting the
    /// longest once it has waited [`SHOW_AFTER`]; until the bar finishes.
    pub fn watch(&self, liveness: Liveness) {
        let bar = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(TICK);
            while !bar.bar.is_finished() {
                tick.tick().await;
                let label = bar.label();
                bar.bar
                    .set_message(waiting_line(&label, liveness.waiting()));
            }
        });
    }

    /// Clears the bar so the results print on a clean screen.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn label(&self) -> String {
        self.label
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set_label(&self, label: &str) {
        *self.label.lock().unwrap_or_else(PoisonError::into_inner) = label.to_string();
        self.bar.set_message(label.to_string());
    }
}

/// `push-group-new · waiting 12 s for GET /Users?… (assign ada: existence
/// check)`, or the label alone while nothing has waited long.
fn waiting_line(label: &str, waiting: Option<(String, Duration)>) -> String {
    match waiting {
        Some((what, waited)) if waited >= SHOW_AFTER => {
            let what: String = what.chars().take(120).collect();
            format!("{label} · waiting {} s for {what}", waited.as_secs())
        }
        _ => label.to_string(),
    }
}

impl scimulate_suites::Progress for Bar {
    fn planned(&self, runs: usize) {
        self.bar.set_length(runs as u64);
    }

    fn playing(&self, label: &str) {
        if !self.label().is_empty() {
            self.bar.inc(1);
        }
        self.set_label(label);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slow_exchange_is_shown_with_its_wait() {
        let what = "GET /Users (assign ada: existence check)".to_string();
        assert_eq!(
            waiting_line("core", Some((what.clone(), Duration::from_millis(12_400)))),
            "core · waiting 12 s for GET /Users (assign ada: existence check)"
        );
        assert_eq!(
            waiting_line("core", Some((what, Duration::from_millis(300)))),
            "core"
        );
        assert_eq!(waiting_line("load", None), "load");
    }
}
