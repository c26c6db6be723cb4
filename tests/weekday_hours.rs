//! Opening hours per weekday and special days' dated hours, as the engine and `staff` honour
//! them: a bank's lines open Mon–Fri 08:00–20:00 and Sat 09:00–14:00, an inventory Wednesday
//! 10:00–14:00.

use hotline::engine::simulate;
use hotline::plan::{Planner, StaffingSettings};
use hotline::scenario::StaffingTargets;
use hotline::stats::IntervalRow;

use crate::support::write;

/// Two weeks from a Monday, 30-minute intervals, 120 calls/h around the clock; the queue and
/// its pool keep the bank's hours; day 3 (a Wednesday) opens 10:00–14:00 only.
const BANK: &str = r#"[scenario]
name = "bank-hours"
days = 14
interval = "30m"
seed = 3

[arrivals]
calls_per_hour = 120

[[arrivals.special_day]]
name = "inventory"
day = 3
hours = { loans = "10:00-14:00" }

[[queue]]
name = "loans"
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "5m" }
hours = { "mon-fri" = "08:00-20:00", sat = "09:00-14:00" }

[queue.closed]
message = "20s"
self_service = 0.4

[[pool]]
name = "loan_team"
serves = ["loans"]
agents = 14
hours = { "mon-fri" = "08:00-20:00", sat = "09:00-14:00" }
"#;

/// Interval number of day `day` (1-based, day 1 a Monday) at `hh:mm`.
fn at(day: usize, hh: usize, mm: usize) -> usize {
    (day - 1) * 48 + hh * 2 + mm / 30
}

fn model() -> hotline::Model {
    let dir = tempfile::tempdir().unwrap();
    hotline::scenario::load(&write(dir.path(), "bank.toml", BANK)).unwrap()
}

fn rows(model: &hotline::Model) -> Vec<IntervalRow> {
    let mut stats = simulate(model, 0);
    let (rows, _) = stats.drain_rows();
    rows.filter(|r| r.queue == "loans").collect()
}

#[test]
fn saturday_callers_are_offered_at_10_and_meet_the_queue_closed_at_15() {
    let m = model();
    let rows = rows(&m);
    assert_eq!(rows.len(), 14 * 48);
    for sat in [6, 13] {
        let (ten, three) = (&rows[at(sat, 10, 0)], &rows[at(sat, 15, 0)]);
        assert_eq!(ten.closed, 0, "{}", ten.interval_start);
        assert!(ten.answered > 0, "{}", ten.interval_start);
        assert!(three.offered > 0, "{}", three.interval_start);
        assert_eq!(three.closed, three.offered, "{}", three.interval_start);
        assert_eq!(three.answered, 0);
    }
    // A weekday evening is open until 20:00; Sunday is closed all day.
    assert_eq!(rows[at(2, 19, 30)].closed, 0);
    assert_eq!(rows[at(2, 20, 0)].closed, rows[at(2, 20, 0)].offered);
    assert!(
        rows[at(7, 0, 0)..at(8, 0, 0)]
            .iter()
            .all(|r| r.answered == 0)
    );
}

#[test]
fn the_special_day_opens_the_queue_in_its_own_hours() {
    let rows = rows(&model());
    let wed = |hh, mm| &rows[at(3, hh, mm)];
    for (hh, mm) in [(8, 0), (9, 30), (14, 0), (19, 30)] {
        let r = wed(hh, mm);
        assert!(
            r.offered > 0 && r.closed == r.offered,
            "{}",
            r.interval_start
        );
    }
    assert_eq!(wed(10, 0).closed, 0);
    assert!(wed(13, 30).answered > 0);
    // The next Wednesday keeps the weekly hours.
    assert_eq!(rows[at(10, 8, 0)].closed, 0);
}

#[test]
fn staff_requires_agents_exactly_where_the_queue_is_open() {
    let m = model();
    let h = m.queues[0].hours.clone().unwrap();
    let settings = StaffingSettings::resolve(&StaffingTargets::default(), &m.staffing);
    let mut planner = Planner::new(&m, settings);
    let mut reqs = Vec::new();
    for k in 0..m.interval_count() {
        planner.interval(k, &mut reqs).unwrap();
        let open = h.is_open(k, 48);
        assert_eq!(
            reqs[0].agents_required > 0,
            open,
            "interval {k}: open {open}, {} agents",
            reqs[0].agents_required
        );
    }
    planner.interval(at(6, 15, 0) as u64, &mut reqs).unwrap();
    assert_eq!(reqs[0].agents_required, 0, "Saturday 15:00 is closed");
}
