//! `LANTERN_TIMINGS=1`: how long each step of a build took, printed to stderr as the step ends.
//!
//! For profiling and for the notes in BENCHMARKS.md; silent unless the variable is set. Steps
//! may overlap (several run side by side), so each prints its own wall time.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("LANTERN_TIMINGS").is_some())
}

/// One timed step: `let step = Step::start("render pages"); ...; step.end();`
#[must_use = "a step prints its time when `end` is called"]
pub(crate) struct Step {
    name: &'static str,
    start: Instant,
}

impl Step {
    pub(crate) fn start(name: &'static str) -> Self {
        Self {
            name,
            start: Instant::now(),
        }
    }

    /// Prints the step's time (when timings are on) and returns it.
    pub(crate) fn end(self) -> Duration {
        let took = self.start.elapsed();
        if enabled() {
            eprintln!("{:>20}: {:>6} ms", self.name, took.as_millis());
        }
        took
    }
}

/// Runs `f` as one timed step.
pub(crate) fn time<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    let step = Step::start(name);
    let value = f();
    step.end();
    value
}
