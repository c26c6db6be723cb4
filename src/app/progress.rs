//! The progress bar of long runs (indicatif): simulated days done, replications, ETA. Drawn on
//! stderr only when it is a terminal and `--quiet` is not given; otherwise every call is a
//! no-op. It is updated once per simulated day, never from inside the event loop.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar that may be hidden.
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    /// A bar on stderr, unless `quiet` or stderr is not a terminal.
    pub fn new(quiet: bool) -> Bar {
        let show = !quiet && std::io::stderr().is_terminal();
        Bar {
            bar: show.then(ProgressBar::hidden),
        }
    }

    /// Starts a run of `replications` replications (the bar counts simulated days).
    pub fn start(&self, replications: u64) {
        if let Some(b) = &self.bar {
            b.reset();
            b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{msg} [{bar:30}] day {pos}/{len} · {elapsed_precise} elapsed, ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            b.set_style(style);
            b.set_message(if replications == 1 {
                "simulating".to_string()
            } else {
                format!("{replications} replications")
            });
        }
    }

    /// `done` of `total` simulated days.
    pub fn days(&self, done: u64, total: u64) {
        if let Some(b) = &self.bar {
            b.set_length(total);
            b.set_position(done);
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
