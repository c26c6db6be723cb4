//! Memory stays flat in the horizon (issue 10): with callbacks, transfers, overflow, classes,
//! lines and closed-queue callback requests on, a run ten times as long ends with the same
//! engine tables (caller slots, event calendar, callback requests, agents) and the same number
//! of open statistics intervals, within the noise of a longer run's busiest moment. A leak —
//! a slot, request or event never released — grows ten-fold and fails.

use hotline::engine::{Engine, Footprint};
use hotline::routing::{LongestIdleOldestCall, Policy};
use hotline::scenario::Model;
use hotline::stats::IntervalStats;

/// Runs `model` in weekly chunks (draining rows as a long `simulate` does) and returns the
/// engine's table sizes at the end and the most statistics intervals open at once.
fn peaks(model: &Model) -> (Footprint, usize) {
    let key = hotline::random::StreamKey::new(model.seed, 0);
    let arrivals = hotline::arrivals::ScenarioArrivals::new(model, key).unwrap();
    let stats = IntervalStats::new(model);
    let mut e = Engine::new(model, arrivals, LongestIdleOldestCall, stats, key);
    let (mut t, mut open) = (0.0, 0);
    while !e.finished() {
        t += 7.0 * 86_400.0;
        e.run_until(t);
        let stats = e.observer_mut();
        open = open.max(stats.open_intervals());
        let _ = stats.drain_rows();
    }
    assert!(!e.overflowed());
    (e.footprint(), open)
}

/// `model` over `days` days.
fn over(model: &Model, days: u32) -> Model {
    Model {
        days,
        ..model.clone()
    }
}

/// The long run's tables are at most twice the short run's (a ten-fold horizon).
fn assert_flat(short: (Footprint, usize), long: (Footprint, usize)) {
    let ((a, open_a), (b, open_b)) = (short, long);
    let within = |x: usize, y: usize| y <= 2 * x.max(1);
    assert!(within(a.caller_slots, b.caller_slots), "{a:?} → {b:?}");
    assert!(
        within(a.calendar_capacity, b.calendar_capacity),
        "{a:?} → {b:?}"
    );
    assert!(
        within(a.callback_entries, b.callback_entries),
        "{a:?} → {b:?}"
    );
    assert!(
        within(a.closed_requests_peak, b.closed_requests_peak),
        "{a:?} → {b:?}"
    );
    assert_eq!(
        a.agents, b.agents,
        "agents are reused, never added per shift"
    );
    assert!(within(open_a, open_b), "open intervals {open_a} → {open_b}");
}

#[test]
fn memory_stays_flat_in_the_horizon_on_multi_skill_with_callbacks_and_transfers() {
    let mut model =
        hotline::scenario::load(std::path::Path::new("scenarios/multi-skill.toml")).unwrap();
    model.policy = Policy::parse("aging+overflow+callback").unwrap();
    assert!(model.extras.transfers.iter().any(|t| !t.is_empty()));
    // Closed queues' callers leave callback requests too (half of those who would hang up).
    let mut with_requests = 0;
    for q in &mut model.queues {
        if let Some(h) = &mut q.hours {
            h.callback = (1.0 - h.self_service) / 2.0;
            with_requests += 1;
        }
    }
    assert!(with_requests > 0);
    let short = peaks(&over(&model, 28));
    let long = peaks(&over(&model, 280));
    // The features ran (the comparison below could fail).
    assert!(short.0.callback_entries > 0 && short.0.closed_requests_peak > 0);
    assert_flat(short, long);
}

#[test]
fn memory_stays_flat_in_the_horizon_with_closed_callbacks() {
    let short = peaks(&crate::closed_callbacks::night_requests(28, 0.5));
    let long = peaks(&crate::closed_callbacks::night_requests(280, 0.5));
    assert!(short.0.closed_requests_peak > 0 && short.0.callback_entries > 0);
    assert_flat(short, long);
}
