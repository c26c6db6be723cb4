//! Expected calls per interval and queue: the integral of each source's rate, routed through
//! the IVR by its option probabilities. The yardstick for `arrivals.csv` and for the Poisson
//! checks of the tests.

use super::Entry;
use super::surge::surge_expected_parts;
use crate::ivr::reach_shares;
use crate::scenario::{ArrivalProfile, Model};

/// ∫ rate over [a, b) of a piecewise-constant profile (repeating or not).
fn profile_integral(p: &ArrivalProfile, a: f64, b: f64, repeat: bool) -> f64 {
    if p.rate_per_s.is_empty() || b <= a {
        return 0.0;
    }
    let mut sum = 0.0;
    let mut t = a;
    while t < b {
        let seg = (t / p.segment_s).floor();
        let e = ((seg + 1.0) * p.segment_s).min(b);
        let i = seg as usize;
        let rate = if repeat {
            p.rate_per_s[i % p.rate_per_s.len()]
        } else {
            p.rate_per_s.get(i).copied().unwrap_or(0.0)
        };
        sum += rate * (e - t);
        t = e;
    }
    sum
}

/// Expected calls offered in [a, b): per queue (callers reaching it) and in total (every
/// arriving call), from the base profile, forecasts and surges. Day-to-day factors have mean 1
/// and are left out; a replayed log is not a rate and is left out too.
pub fn expected_calls(model: &Model, a: f64, b: f64) -> (Vec<f64>, f64) {
    let nq = model.queues.len();
    let mut per_queue = vec![0.0; nq];
    let mut total = 0.0;
    let mut add = |entry: Entry, calls: f64| {
        total += calls;
        for (q, share) in reach_shares(model, entry).iter().enumerate() {
            per_queue[q] += calls * share;
        }
    };
    let replace = model
        .extras
        .replay
        .as_ref()
        .is_some_and(|r| r.replace_generated);
    if !replace {
        add(
            Entry::Default,
            profile_integral(&model.arrivals, a, b, true),
        );
        for f in &model.extras.forecasts {
            add(
                Entry::Queue(f.queue),
                profile_integral(&f.profile, a, b, false),
            );
        }
        for s in &model.extras.surges {
            let inflow = model.normal_inflow(&model.extras.forecasts, s.entry);
            for (entry, calls) in surge_expected_parts(s, &inflow, a, b) {
                add(entry, calls);
            }
        }
    }
    (per_queue, total)
}
