//! Common random numbers: a caller's attributes come from its own stream, keyed by (seed,
//! replication, caller), so two runs of one seed with different staffing see the same callers —
//! the same arrivals, the same IVR paths, the same handle times — and differ only by what the
//! staffing changes. A comparison of two staffing tables is then paired, not blurred by noise.

use crate::support::*;
use hotline::engine::simulate;
use hotline::scenario::Model;
use hotline::stats::IntervalRow;

fn rows(model: &Model) -> Vec<IntervalRow> {
    let mut stats = simulate(model, 0);
    let (rows, _) = stats.drain_rows();
    rows.collect()
}

/// `model` with each pool's headcount replaced by `f(pool, headcount)`, interval by interval.
fn staffed(model: &Model, f: impl Fn(usize, u32) -> u32) -> Model {
    let mut m = model.clone();
    for (p, pool) in m.pools.iter_mut().enumerate() {
        for n in &mut pool.headcount {
            *n = f(p, *n);
        }
    }
    m
}

#[test]
fn more_agents_change_the_waits_but_not_the_callers() {
    let base = busy_center(4);
    let more = staffed(&base, |_, n| n + n / 2);
    let (a, b) = (rows(&base), rows(&more));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.interval_start, &x.queue), (&y.interval_start, &y.queue));
        // Arrivals and IVR outcomes are the callers' own: identical in every interval.
        assert_eq!(
            (x.offered, x.first_attempts, x.self_served, x.hung_up_ivr),
            (y.offered, y.first_attempts, y.self_served, y.hung_up_ivr),
            "{} {}: the callers differ between staffings",
            x.interval_start,
            x.queue
        );
    }
    // Not vacuous: the staffing does change what callers experience.
    let waits = |r: &[IntervalRow]| -> u64 { r.iter().map(|r| r.abandoned).sum() };
    assert!(
        waits(&a) > waits(&b) + 100,
        "abandoned: {} with the base staffing, {} with 50 % more agents",
        waits(&a),
        waits(&b)
    );
}

#[test]
fn callers_answered_at_once_in_both_runs_have_the_same_handle_times() {
    // Ample staffing twice over (no caller waits in either run), with different headcounts:
    // every caller is answered at once in both, so each interval's handle times must be the
    // very same draws.
    let base = busy_center(4);
    let a = staffed(&base, |p, _| [60, 20][p]);
    let b = staffed(&base, |p, _| [90, 35][p]);
    let (ra, rb) = (rows(&a), rows(&b));
    let mut compared = 0;
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!((&x.interval_start, &x.queue), (&y.interval_start, &y.queue));
        for r in [x, y] {
            assert!(
                r.p_wait.is_none_or(|p| p == 0.0),
                "{} {}: a caller waited; the staffing is not ample",
                r.interval_start,
                r.queue
            );
        }
        assert_eq!(x.answered, y.answered);
        assert_eq!(
            x.handle_time_mean_s, y.handle_time_mean_s,
            "{} {}: handle times differ between staffings",
            x.interval_start, x.queue
        );
        compared += usize::from(x.answered > 0);
        // Not vacuous: the runs differ in headcount and hence occupancy.
        if x.answered > 0 {
            assert_ne!(x.agents, y.agents);
        }
    }
    assert!(
        compared > 300,
        "only {compared} intervals with answered calls"
    );
}
