//! `[queue.closed] waiting = "disconnect"`: callers on hold when a queue closes are cut off
//! then and counted `disconnected`; under `"finish"` (the default) they stay in line.
//!
//! The check: a queue open 00:00–01:00 that nobody staffs, Poisson arrivals at λ, exponential
//! patience of mean 1/θ. A caller arriving at t < T = 1 h is still waiting at T with
//! probability e^(−θ(T − t)), so the callers disconnected at 01:00 are Poisson with mean
//! λ ∫₀ᵀ e^(−θ(T − t)) dt = (λ/θ)(1 − e^(−θT)) — 20 × (1 − e^(−6)) = 19.950 for λ = 120/h and
//! 10-minute patience (the number of an M/M/∞ queue's customers at T, started empty).

use crate::support::*;
use hotline::engine::simulate;
use hotline::scenario::{Model, OpenHours};
use hotline::stats::IntervalRow;

const PER_HOUR: f64 = 120.0;
const PATIENCE_S: f64 = 600.0;

/// The queue opens 00:00–01:00 every day; nobody staffs it.
fn closing_model(patience_s: Option<f64>, disconnect: bool) -> Model {
    let mut m = one_queue(PER_HOUR, 180.0, patience_s, 0, 1);
    m.queues[0].hours = Some(OpenHours {
        open: (0..7 * 24).map(|k| k % 24 == 0).collect(),
        closed_days: vec![],
        message_s: 0.0,
        self_service: 0.0,
        callback: 0.0,
        disconnect_waiting: disconnect,
    });
    m
}

fn first_hour(model: &Model, replication: u64) -> (IntervalRow, IntervalRow) {
    let mut stats = simulate(model, replication);
    let (rows, _) = stats.drain_rows();
    let rows: Vec<IntervalRow> = rows.collect();
    let pick = |name: &str| {
        rows.iter()
            .find(|r| r.queue == name && r.interval_start_s == 0.0)
            .expect("the first hour's rows")
            .clone()
    };
    (pick("general"), pick("all"))
}

#[test]
fn without_patience_every_caller_of_the_open_hour_is_disconnected_at_the_closing() {
    for r in 0..5 {
        let (q, all) = first_hour(&closing_model(None, true), r);
        assert!(q.offered > 80, "{}", q.offered);
        assert_eq!(q.disconnected, q.offered);
        assert_eq!((q.answered, q.abandoned, q.in_system_at_end), (0, 0, 0));
        assert_eq!(all.disconnected, q.disconnected);
        // Under "finish" the same callers are still waiting at the horizon.
        let (kept, _) = first_hour(&closing_model(None, false), r);
        assert_eq!(kept.offered, q.offered, "same callers");
        assert_eq!((kept.disconnected, kept.in_system_at_end), (0, q.offered));
    }
}

#[test]
fn callers_disconnected_at_the_closing_match_the_exact_mean() {
    let model = closing_model(Some(PATIENCE_S), true);
    let theta_per_h = 3600.0 / PATIENCE_S;
    let exact = PER_HOUR / theta_per_h * (1.0 - (-theta_per_h).exp());
    assert!((exact - 19.950).abs() < 1e-3, "{exact}");
    let values: Vec<f64> = (0..400)
        .map(|r| {
            let (q, _) = first_hour(&model, r);
            assert_eq!(q.offered, q.abandoned + q.disconnected);
            q.disconnected as f64
        })
        .collect();
    let (mean, se) = batch_mean(&values);
    eprintln!("disconnected at 01:00: {mean:.3} ± {se:.3}, exact {exact:.3}");
    // Power: a closing a minute late would add the minute's callers, about λ·1 min = 2; the
    // standard error is far below that.
    assert!(se < 0.3, "{se}");
    assert!(
        (mean - exact).abs() < Z * se,
        "{mean} ± {se}, exact {exact}"
    );
}
