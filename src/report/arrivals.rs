//! `arrivals.csv`: per interval and queue, the expected volume (the integral of the rate)
//! beside the realised calls, first attempts and redials apart.

use serde::Serialize;

use crate::arrivals::expected_calls;
use crate::scenario::Model;
use crate::stats::IntervalRow;

/// One row of `arrivals.csv`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ArrivalRow {
    /// Start of the interval: `2026-11-30T08:00`, or `d1 Mon 08:00` without a `start`.
    pub interval_start: String,
    /// Start of the interval in seconds since the horizon began.
    pub interval_start_s: f64,
    /// Queue name, or `all` (every arriving call, before the IVR).
    pub queue: String,
    /// Expected calls: the integral of the arrival rate (base profile, forecasts and surges,
    /// routed through the IVR by its probabilities; day-to-day factors at their mean of 1;
    /// redials and replayed calls not included).
    pub expected_calls: f64,
    /// Realised calls offered (first attempts + redials).
    pub offered: u64,
    pub first_attempts: u64,
    pub redials: u64,
    /// Weekday of the interval's start: `Mon` … `Sun`.
    pub weekday: &'static str,
}

/// The arrival rows of one interval's rows (queues then `all`, as `intervals.csv` has them).
pub fn arrival_row(model: &Model, r: &IntervalRow) -> ArrivalRow {
    let (per_queue, total) = expected_calls(
        model,
        r.interval_start_s,
        r.interval_start_s + model.interval_s,
    );
    let expected = match model.queues.iter().position(|q| q.name == r.queue) {
        Some(q) if r.queue != "all" => per_queue[q],
        _ => total,
    };
    ArrivalRow {
        interval_start: r.interval_start.clone(),
        interval_start_s: r.interval_start_s,
        queue: r.queue.clone(),
        expected_calls: expected,
        offered: r.offered,
        first_attempts: r.first_attempts,
        redials: r.redials,
        weekday: r.weekday,
    }
}

/// Share of calls offered in the night window (start, end seconds since midnight; end < start
/// crosses midnight), from `all` rows; `None` when no call was offered.
pub fn night_share(window: (f64, f64), rows: &[(f64, u64)]) -> Option<f64> {
    let (start, end) = window;
    let in_window = |t: f64| {
        let tod = t.rem_euclid(crate::time::DAY);
        if start <= end {
            tod >= start && tod < end
        } else {
            tod >= start || tod < end
        }
    };
    let total: u64 = rows.iter().map(|r| r.1).sum();
    let night: u64 = rows.iter().filter(|r| in_window(r.0)).map(|r| r.1).sum();
    if total > 0 {
        Some(night as f64 / total as f64)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn night_share_handles_windows_across_midnight() {
        let rows: Vec<(f64, u64)> = (0..24).map(|h| (f64::from(h) * 3600.0, 10)).collect();
        let share = night_share((22.0 * 3600.0, 7.0 * 3600.0), &rows).unwrap();
        assert!((share - 9.0 / 24.0).abs() < 1e-12);
        let share = night_share((1.0 * 3600.0, 3.0 * 3600.0), &rows).unwrap();
        assert!((share - 2.0 / 24.0).abs() < 1e-12);
        assert_eq!(night_share((0.0, 3600.0), &[]), None);
    }
}
