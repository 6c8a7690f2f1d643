//! The progress bar of `scimulate run`: on stderr, only on a terminal,
//! never in CI (`CI` set) or with `--quiet`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar counting scenario runs; clones share it.
#[derive(Clone)]
pub struct Bar(ProgressBar);

impl Bar {
    /// `None` off a terminal and in CI: nothing is drawn there.
    pub fn new() -> Option<Self> {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        if ci || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos}/{len} scenarios [{bar:30}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Some(Bar(bar))
    }

    /// Clears the bar so the results print on a clean screen.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl scimulate_suites::Progress for Bar {
    fn planned(&self, runs: usize) {
        self.0.set_length(runs as u64);
    }

    fn playing(&self, label: &str) {
        if self.0.message().is_empty() {
            self.0.set_message(label.to_string());
        } else {
            self.0.inc(1);
            self.0.set_message(label.to_string());
        }
    }
}
