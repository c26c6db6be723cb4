//! Every call that arrives is counted exactly once: self-served, hung up in the IVR, blocked
//! (all lines busy), answered, abandoned, closed (routed to a queue outside its opening hours),
//! or still in the system at the end — in every interval and overall. A transferred call is
//! answered on its first queue and offered again (`transferred_in`) on the next: on `all`,
//! `offered` counts calls and the outcomes count legs, so offered + transferred_in balances.
//! A closed caller who leaves a callback request is `closed` at night and offered again, as a
//! callback leg (`closed_callbacks`), at the opening: on `all` it joins the left-hand side too.
//! Caller classes conserve too, each on its own and summed against their queue's callers who
//! entered its line (closed callers and closed-queue callback legs have no class).

use crate::support::*;
use hotline::engine::simulate;
use hotline::scenario::{OpenHours, QueueId};
use hotline::stats::classes::{ClassIntervalRow, ClassRow};
use hotline::stats::{IntervalRow, PoolRow, SummaryRow};

/// Conservation in one interval, and the `all` row against its queue rows and the pool rows
/// wherever it is more than a plain sum of counters (so a wrong merge can fail).
fn check_interval(rows: &[IntervalRow], pools: &[PoolRow], pools_of_queue: &[Vec<usize>]) {
    let all = rows
        .iter()
        .find(|r| r.queue == "all")
        .expect("an all row per interval");
    let queues: Vec<&IntervalRow> = rows.iter().filter(|r| r.queue != "all").collect();
    assert_eq!(
        all.offered + all.transferred_in + all.closed_callbacks,
        all.self_served
            + all.hung_up_ivr
            + all.blocked
            + all.answered
            + all.abandoned
            + all.closed
            + all.callbacks_failed
            + all.disconnected
            + all.in_system_at_end,
        "all row of {} does not conserve calls",
        all.interval_start
    );
    for q in &queues {
        assert_eq!(
            q.offered,
            q.answered
                + q.abandoned
                + q.closed
                + q.callbacks_failed
                + q.disconnected
                + q.in_system_at_end,
            "{} {}",
            q.interval_start,
            q.queue
        );
        assert!(q.closed_self_served <= q.closed);
        assert!(q.callbacks_accepted <= q.callbacks_offered);
        assert!(
            q.callbacks_completed + q.callbacks_failed <= q.callbacks_accepted + q.closed_callbacks
        );
        assert!(q.closed_callback_requests <= q.closed);
        assert!(q.closed_callbacks <= q.offered);
        // Closed-queue callbacks: of the legs joining the line (`at_opening`, also answered
        // callbacks) or of the legs released as outbound work (`when_idle`).
        assert!(
            q.closed_callbacks_completed
                <= q.closed_callbacks.min(q.callbacks_completed)
                    + q.outbound_callbacks.unwrap_or(0)
        );
        assert!(q.callbacks_completed <= q.answered);
        assert!(q.transferred_out <= q.answered, "{}", q.queue);
        assert!(q.transferred_in <= q.offered, "{}", q.queue);
    }
    let legs: u64 = queues.iter().map(|q| q.closed_callbacks).sum();
    assert_eq!(
        all.closed_callbacks, legs,
        "{}: closed_callbacks",
        all.interval_start
    );
    let moved_in: u64 = queues.iter().map(|q| q.transferred_in).sum();
    let moved_out: u64 = queues.iter().map(|q| q.transferred_out).sum();
    assert_eq!(
        all.transferred_in, moved_in,
        "{}: transferred_in",
        all.interval_start
    );
    assert_eq!(
        all.transferred_out, moved_out,
        "{}: transferred_out",
        all.interval_start
    );
    let closed: u64 = queues.iter().map(|q| q.closed).sum();
    assert_eq!(all.closed, closed, "{}: closed", all.interval_start);
    let disconnected: u64 = queues.iter().map(|q| q.disconnected).sum();
    assert_eq!(
        all.disconnected, disconnected,
        "{}: disconnected",
        all.interval_start
    );
    let failed: u64 = queues.iter().map(|q| q.callbacks_failed).sum();
    assert_eq!(
        all.callbacks_failed, failed,
        "{}: callbacks failed",
        all.interval_start
    );
    let entered: u64 = queues.iter().map(|q| q.offered).sum();
    let waiting_at_end: u64 = queues.iter().map(|q| q.in_system_at_end).sum();
    let in_ivr_at_end = all.in_system_at_end - waiting_at_end;
    assert_eq!(
        all.offered + all.transferred_in + all.closed_callbacks,
        entered + all.self_served + all.hung_up_ivr + all.blocked + in_ivr_at_end
    );
    assert!(
        queues.iter().all(|q| q.blocked == 0),
        "{}: blocking happens before any queue",
        all.interval_start
    );
    let at = &all.interval_start;
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    // Wait sums merge: the center's ASA is the answered-weighted mean of the queues' ASAs.
    let waited: f64 = queues
        .iter()
        .map(|q| q.asa_s.unwrap_or(0.0) * q.answered as f64)
        .sum();
    assert!(
        close(all.asa_s.unwrap_or(0.0) * all.answered as f64, waited),
        "{at}: ASA"
    );
    // A mixture's quantile lies between its components' quantiles.
    let p90: Vec<f64> = queues.iter().filter_map(|q| q.wait_p90_s).collect();
    if let Some(all_p90) = all.wait_p90_s {
        let (lo, hi) = p90
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
        assert!(
            lo - 1e-9 <= all_p90 && all_p90 <= hi + 1e-9,
            "{at}: p90 {all_p90} vs {p90:?}"
        );
    }
    // The center's peak queue is tracked on its own: at least any queue's, at most their sum.
    let peaks: Vec<u32> = queues.iter().map(|q| q.queue_length_peak).collect();
    assert!(
        *peaks.iter().max().unwrap() <= all.queue_length_peak
            && all.queue_length_peak <= peaks.iter().sum(),
        "{at}: peak {} vs queues {peaks:?}",
        all.queue_length_peak
    );
    // Agents and occupancy against pools.csv: the center has every pool, a queue its own.
    assert_eq!(
        pools.len(),
        pools_of_queue.iter().flatten().max().unwrap() + 1
    );
    let of = |ps: &[usize]| {
        let agents: f64 = ps.iter().map(|&p| pools[p].agents).sum();
        let busy: f64 = ps.iter().map(|&p| pools[p].agents_busy).sum();
        let present: f64 = ps.iter().map(|&p| pools[p].agents_present).sum();
        (agents, (present > 0.0).then(|| busy / present))
    };
    let every: Vec<usize> = (0..pools.len()).collect();
    for (row, ps) in std::iter::once((all, every.as_slice())).chain(
        queues
            .iter()
            .copied()
            .zip(pools_of_queue.iter().map(Vec::as_slice)),
    ) {
        let (agents, occupancy) = of(ps);
        assert!(
            close(row.agents, agents),
            "{at} {}: agents {} vs pools {agents}",
            row.queue,
            row.agents
        );
        match (row.occupancy, occupancy) {
            (Some(a), Some(b)) => assert!(close(a, b), "{at} {}: occupancy {a} vs {b}", row.queue),
            (a, b) => assert_eq!(a, b, "{at} {}: occupancy", row.queue),
        }
    }
}

/// [`check_interval`] on every interval of a run, pools attributed to queues by `serves`.
pub(crate) fn check_every_interval(
    model: &hotline::scenario::Model,
    rows: &[IntervalRow],
    pools: &[PoolRow],
) {
    let per_interval = model.queues.len() + 1;
    let pools_of_queue: Vec<Vec<usize>> = (0..model.queues.len())
        .map(|q| {
            (0..model.pools.len())
                .filter(|&p| model.pools[p].serves.contains(&QueueId(q as u32)))
                .collect()
        })
        .collect();
    for (chunk, p) in rows
        .chunks(per_interval)
        .zip(pools.chunks(model.pools.len()))
    {
        assert_eq!(chunk[0].interval_start, p[0].interval_start);
        check_interval(chunk, p, &pools_of_queue);
    }
}

/// The same with opening hours on both queues (a closed message, self-service after it) and a
/// special day closing `loans`: `closed` joins the outcomes in every interval.
#[test]
fn every_call_is_counted_once_with_opening_hours() {
    let mut model = busy_center(9);
    // Half-hour intervals; general opens 07:00-20:00 every day, loans weekdays 09:00-17:00 and
    // not on day 3.
    assert_eq!(model.interval_s, 1800.0);
    let week = |from: usize, to: usize, days: usize| -> Vec<bool> {
        (0..7 * 48)
            .map(|k| k / 48 < days && (2 * from..2 * to).contains(&(k % 48)))
            .collect()
    };
    model.queues[0].hours = Some(OpenHours {
        open: week(7, 20, 7),
        closed_days: vec![],
        message_s: 20.0,
        self_service: 0.25,
        callback: 0.0,
        disconnect_waiting: false,
    });
    // The same model with `general`'s callers on hold at 20:00 disconnected: a new outcome.
    let mut cut = model.clone();
    if let Some(h) = &mut cut.queues[0].hours {
        h.disconnect_waiting = true;
    }
    model.queues[1].hours = Some(OpenHours {
        open: week(9, 17, 5),
        closed_days: vec![2],
        message_s: 0.0,
        self_service: 0.0,
        callback: 0.0,
        disconnect_waiting: false,
    });
    let summary = every_call_counted_once(model);
    let (general, loans) = (&summary[0], &summary[1]);
    assert!(general.closed > 0 && loans.closed > 0);
    assert!(general.closed_self_served > 0 && loans.closed_self_served == 0);
    assert_eq!(
        general.disconnected + loans.disconnected,
        0,
        "finish by default"
    );
    let summary = every_call_counted_once(cut);
    assert!(
        summary[0].disconnected > 0,
        "general's agents leave at 19:00"
    );
    assert_eq!(summary[1].disconnected, 0, "loans finishes its line");
}

/// Checks conservation in every interval of `model`'s run, its queues given two caller
/// classes first (so the per-class identity is checked too); returns the summary rows.
fn every_call_counted_once(model: hotline::scenario::Model) -> Vec<SummaryRow> {
    let model = with_classes(model);
    let mut stats = simulate(&model, 0);
    let (rows, pools) = stats.drain_rows();
    let (rows, pools): (Vec<IntervalRow>, Vec<PoolRow>) = (rows.collect(), pools.collect());
    let per_interval = model.queues.len() + 1;
    assert_eq!(rows.len(), model.interval_count() as usize * per_interval);
    assert_eq!(
        pools.len(),
        model.interval_count() as usize * model.pools.len()
    );
    check_every_interval(&model, &rows, &pools);
    let summary = stats.summary();
    let class_rows = stats.drain_class_rows();
    let class_totals = stats.class_summary().expect("every queue has classes");
    check_classes(&model, &rows, &class_rows, &summary, &class_totals);
    let total = summary.last().unwrap();
    let sum_offered: u64 = rows
        .iter()
        .filter(|r| r.queue == "all")
        .map(|r| r.offered)
        .sum();
    assert_eq!(sum_offered, total.offered);
    assert_eq!(
        total.offered + total.transferred_in + total.closed_callbacks,
        total.self_served
            + total.hung_up_ivr
            + total.blocked
            + total.answered
            + total.abandoned
            + total.closed
            + total.callbacks_failed
            + total.disconnected
            + total.in_system_at_end
    );
    summary
}

/// `model` with two caller classes on every queue (30 % / 70 %, the first served first under
/// `priority`): the classes draw from their own stream, so every other draw is unchanged.
fn with_classes(mut model: hotline::scenario::Model) -> hotline::scenario::Model {
    use hotline::scenario::CallerClass;
    let class = |name: &str, share, priority| CallerClass {
        name: name.into(),
        share,
        priority,
        aging_per_s: 0.0,
    };
    for q in &mut model.queues {
        q.classes = vec![class("premium", 0.3, 2), class("standard", 0.7, 1)];
    }
    model
}

/// A queue's figures the per-class identity needs, from an interval or a summary row.
macro_rules! queue_counts {
    ($r:expr) => {
        [
            $r.offered - $r.closed - $r.closed_callbacks,
            $r.answered - $r.closed_callbacks_completed,
            $r.abandoned,
            $r.disconnected,
        ]
    };
}

/// The class figures that add up to [`queue_counts`], and the class's own conservation.
macro_rules! class_counts {
    ($at:expr, $c:expr) => {{
        let c = $c;
        assert_eq!(
            c.offered,
            c.answered + c.abandoned + c.callbacks_failed + c.disconnected + c.in_queue_at_end,
            "{} {} {}: class does not conserve callers",
            $at,
            c.queue,
            c.class
        );
        [c.offered, c.answered, c.abandoned, c.disconnected]
    }};
}

/// Per-class conservation, and Σ classes = the queue's callers who entered its line (offered
/// − closed − closed-queue callback legs; answered less those legs answered; abandoned), in
/// every interval of `class_rows` and over the run (`classes.csv` against `summary.csv`).
fn check_classes(
    model: &hotline::scenario::Model,
    rows: &[IntervalRow],
    class_rows: &[ClassIntervalRow],
    summary: &[SummaryRow],
    class_totals: &[ClassRow],
) {
    let nq = model.queues.len();
    let per_queue: Vec<usize> = model.queues.iter().map(|q| q.classes.len()).collect();
    let per_interval: usize = per_queue.iter().sum();
    assert_eq!(
        class_rows.len(),
        model.interval_count() as usize * per_interval
    );
    fn sums(counts: impl Iterator<Item = [u64; 4]>) -> [u64; 4] {
        counts.fold([0; 4], |a, c| {
            [a[0] + c[0], a[1] + c[1], a[2] + c[2], a[3] + c[3]]
        })
    }
    for (queue_rows, classes) in rows.chunks(nq + 1).zip(class_rows.chunks(per_interval)) {
        let mut classes = classes;
        for (q, &n) in queue_rows[..nq].iter().zip(&per_queue) {
            let (of_q, rest) = classes.split_at(n);
            classes = rest;
            let at = &q.interval_start;
            assert!(
                of_q.iter()
                    .all(|c| &c.interval_start == at && c.queue == q.queue)
            );
            assert_eq!(
                sums(of_q.iter().map(|c| class_counts!(at, c))),
                queue_counts!(q),
                "{at} {}: Σ classes [offered, answered, abandoned, disconnected] against the queue",
                q.queue
            );
        }
    }
    let mut totals = class_totals;
    for (q, &n) in summary[..nq].iter().zip(&per_queue) {
        let (of_q, rest) = totals.split_at(n);
        totals = rest;
        assert_eq!(
            sums(of_q.iter().map(|c| class_counts!("run", c))),
            queue_counts!(q),
            "{}: classes.csv against summary.csv",
            q.queue
        );
    }
}

/// The same with callbacks on (half the waiting callers of both queues accept, a third of
/// callbacks go unanswered, one retry) and opening hours on `loans`: `callbacks_failed` joins
/// the outcomes in every interval, and pending requests at the horizon are in the system.
#[test]
fn every_call_is_counted_once_with_callbacks() {
    let mut model = busy_center(9);
    model.policy = hotline::routing::Policy::parse("callback").unwrap();
    for q in &mut model.queues {
        q.callback = Some(hotline::scenario::CallbackOffer {
            offer_above_s: 30.0,
            accept: 0.5,
            answer: 0.67,
            retries: 1,
            retry_after_s: 300.0,
        });
    }
    model.queues[1].hours = Some(OpenHours {
        open: (0..7 * 48).map(|k| (18..34).contains(&(k % 48))).collect(),
        closed_days: vec![],
        message_s: 0.0,
        self_service: 0.0,
        callback: 0.0,
        disconnect_waiting: false,
    });
    let summary = every_call_counted_once(model);
    let total = summary.last().unwrap();
    assert!(total.callbacks_completed > 0 && total.callbacks_failed > 0);
    assert!(total.closed > 0);
}

#[test]
fn every_call_is_counted_once_in_every_interval() {
    let model = busy_center(9);
    let summary = every_call_counted_once(model);
    let total = summary.last().unwrap();
    // The scenario exercises what it should: every outcome occurs.
    assert!(
        total.self_served > 0 && total.hung_up_ivr > 0 && total.abandoned > 0 && total.answered > 0
    );
    // Nights have no frontline agents and loans callers never abandon: some are still waiting
    // when the horizon ends (it ends at midnight).
    assert!(
        total.in_system_at_end > 0,
        "expected callers still waiting at the end"
    );
    // Where the IVR sent the callers who left it, against the menu's probabilities
    // (general 0.4 + 0.3 × 0.3, loans 0.2, self-service 0.3 × 0.7, hang-up 0.1): each count is
    // binomial, within 4 standard errors.
    let queue = |name: &str| summary.iter().find(|r| r.queue == name).unwrap();
    let waiting_at_end: u64 = summary[..2].iter().map(|r| r.in_system_at_end).sum();
    let left_ivr = (total.offered - (total.in_system_at_end - waiting_at_end)) as f64;
    for (what, count, p) in [
        ("general", queue("general").offered, 0.49),
        ("loans", queue("loans").offered, 0.2),
        ("self-served", total.self_served, 0.21),
        ("hung up", total.hung_up_ivr, 0.1),
    ] {
        let (mean, sd) = (left_ivr * p, (left_ivr * p * (1.0 - p)).sqrt());
        assert!(
            (count as f64 - mean).abs() < 4.0 * sd,
            "{what}: {count} of {left_ivr} callers, expected {mean:.0} ± {sd:.0}"
        );
    }
}

#[test]
fn every_call_is_counted_once_with_lines_redials_and_overflow() {
    // Limited lines (blocked calls, lines freed at talk end before wrap-up), redials of
    // blocked and abandoning callers, and the loans pool helping general after a minute.
    let mut model = busy_center(7);
    model.center.lines = Some(14);
    model.extras.redial = Some(hotline::scenario::Redial {
        probability: 0.5,
        delay: hotline::dist::Dist::exponential(300.0).unwrap(),
        max_attempts: 3,
        same_caller: false,
    });
    model.pools[1].secondary = vec![QueueId(0)];
    model.pools[1].overflow_after_s = 60.0;
    model.policy = hotline::routing::Policy::parse("overflow").unwrap();
    let model = with_classes(model);
    let mut stats = simulate(&model, 0);
    let (rows, pools) = stats.drain_rows();
    let (rows, pools): (Vec<IntervalRow>, Vec<PoolRow>) = (rows.collect(), pools.collect());
    check_every_interval(&model, &rows, &pools);
    let summary = stats.summary();
    let class_rows = stats.drain_class_rows();
    let class_totals = stats.class_summary().expect("every queue has classes");
    check_classes(&model, &rows, &class_rows, &summary, &class_totals);
    let total = summary.last().unwrap();
    assert!(total.blocked > 0 && total.redials > 0 && total.abandoned > 0);
    let blocked: u64 = rows
        .iter()
        .filter(|r| r.queue == "all")
        .map(|r| r.blocked)
        .sum();
    assert_eq!(blocked, total.blocked);
}

#[test]
fn empty_intervals_have_empty_ratios_not_zeros() {
    let model = busy_center(2);
    let mut stats = simulate(&model, 0);
    let (rows, pools) = stats.drain_rows();
    let rows: Vec<IntervalRow> = rows.collect();
    let pools: Vec<_> = pools.collect();
    // 03:00 on day 1: nobody staffed in frontline → occupancy of that pool is empty.
    let night = pools
        .iter()
        .find(|p| p.pool == "frontline" && p.interval_start == "d1 Mon 03:00")
        .unwrap();
    assert_eq!(night.agents, 0.0);
    assert_eq!(night.occupancy, None);
    // A queue row with nobody answered or abandoned has no ASA and no service level.
    for r in rows.iter().filter(|r| r.answered + r.abandoned == 0) {
        assert_eq!(r.asa_s, None);
        assert_eq!(r.service_level, None);
        assert_eq!(r.wait_p90_s, None);
    }
}

#[test]
fn open_intervals_stay_few_while_callers_wait_overnight() {
    // Loans callers wait all night for the morning shift; the ring holds the open intervals
    // since the oldest waiting caller, never the whole horizon.
    let model = busy_center(14);
    let mut engine = engine_of(&model);
    let mut max_open = 0;
    let mut t = 0.0;
    while !engine.finished() {
        t += 1800.0;
        engine.run_until(t);
        max_open = max_open.max(engine.observer_mut().open_intervals());
        let _ = engine.observer_mut().drain_rows();
    }
    // At most a night (11 h off ≈ 22 intervals of 30 min) plus a little.
    assert!(max_open <= 30, "{max_open} intervals open at once");
    assert!(max_open >= 2);
}

#[test]
fn same_seed_gives_byte_identical_csv_files() {
    let model = busy_center(3);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    hotline::app::simulate::simulate_to(&model, a.path()).unwrap();
    hotline::app::simulate::simulate_to(&model, b.path()).unwrap();
    for f in ["intervals.csv", "pools.csv", "summary.csv"] {
        let x = std::fs::read(a.path().join(f)).unwrap();
        let y = std::fs::read(b.path().join(f)).unwrap();
        let rows = x.iter().filter(|&&b| b == b'\n').count() - 1;
        assert!(rows >= 3, "{f} has only {rows} rows");
        assert!(x == y, "{f} differs between two runs with the same seed");
    }
    // A different seed changes the results (the check above is not vacuous).
    let mut other = model.clone();
    other.seed += 1;
    let c = tempfile::tempdir().unwrap();
    hotline::app::simulate::simulate_to(&other, c.path()).unwrap();
    assert_ne!(
        std::fs::read(a.path().join("summary.csv")).unwrap(),
        std::fs::read(c.path().join("summary.csv")).unwrap()
    );
}

#[test]
fn running_in_chunks_gives_the_same_rows_as_one_run() {
    // The app drains rows day by day; the result must not depend on where the run pauses.
    let model = busy_center(4);
    let whole: Vec<IntervalRow> = simulate(&model, 0).drain_rows().0.collect();
    let mut engine = engine_of(&model);
    let mut chunked = Vec::new();
    let mut t = 0.0;
    while !engine.finished() {
        t += 777.0; // pauses that fall anywhere, not on interval boundaries
        engine.run_until(t);
        chunked.extend(engine.observer_mut().drain_rows().0);
    }
    let mut stats = engine.into_observer();
    stats.finish();
    chunked.extend(stats.drain_rows().0);
    assert_eq!(whole.len(), chunked.len());
    assert!(whole == chunked, "rows differ when the run pauses");
}

#[test]
fn a_leaving_agent_finishes_the_call_in_hand() {
    // One agent works 08:00–09:00 only. A call arrives at 08:50 and takes exactly 20 minutes:
    // the agent stays until 09:10, so in the 09:00 interval the pool has 0 agents scheduled but
    // one agent present (and busy) for 10 of its 30 minutes.
    let dir = tempfile::tempdir().unwrap();
    let model = one_shift_replay(
        dir.path(),
        "arrived_at,queue\n31800,general\n",
        "20m",
        1,
        "08:00-09:00",
    );
    let mut stats = simulate(&model, 0);
    let (rows, pools) = stats.drain_rows();
    let total: Vec<IntervalRow> = rows.filter(|r| r.queue == "all" && r.offered > 0).collect();
    assert_eq!(total.len(), 1);
    assert_eq!((total[0].answered, total[0].abandoned), (1, 0));
    assert_eq!(total[0].asa_s, Some(0.0));
    let nine = pools
        .into_iter()
        .find(|p| p.interval_start == "d1 Mon 09:00")
        .unwrap();
    assert_eq!(nine.agents, 0.0);
    assert!(
        (nine.agents_present - 1.0 / 3.0).abs() < 1e-9,
        "present {}",
        nine.agents_present
    );
    assert!((nine.agents_busy - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(nine.occupancy, Some(1.0));
}

#[test]
fn agents_starting_a_shift_take_the_callers_already_waiting() {
    // Nobody works before 08:00; two callers wait from 07:50 and 07:55. The agents starting at
    // 08:00 answer them at once: waits of exactly 600 s and 300 s, counted in the interval of
    // offer (07:30).
    let dir = tempfile::tempdir().unwrap();
    let model = one_shift_replay(
        dir.path(),
        "arrived_at,queue\n28200,general\n28500,general\n",
        "5m",
        2,
        "08:00-17:00",
    );
    let mut stats = simulate(&model, 0);
    let rows: Vec<IntervalRow> = stats
        .drain_rows()
        .0
        .filter(|r| r.queue == "all" && r.offered > 0)
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].interval_start, "d1 Mon 07:30");
    assert_eq!(rows[0].answered, 2);
    assert_eq!(rows[0].asa_s, Some(450.0));
    assert_eq!(rows[0].answered_within_threshold, 0);
}

/// A one-day scenario replaying `log` (CSV text) into one queue with a deterministic handle
/// time, served by `agents` agents working `hours` only.
fn one_shift_replay(
    dir: &std::path::Path,
    log: &str,
    handle: &str,
    agents: u32,
    hours: &str,
) -> hotline::scenario::Model {
    write(dir, "calls.csv", log);
    let scenario = write(
        dir,
        "shift.toml",
        &format!(
            "[scenario]\nname = \"shift\"\ndays = 1\ninterval = \"30m\"\n\n[arrivals]\nreplay = \"calls.csv\"\n\n\
             [[queue]]\nname = \"general\"\nhandle_time = \"{handle}\"\n\n\
             [[pool]]\nname = \"agents\"\nserves = [\"general\"]\nagents = {agents}\nhours = \"{hours}\"\n"
        ),
    );
    hotline::scenario::load(&scenario).unwrap()
}

/// [`every_call_counted_once`] on the busy center with `transfers`, loans open weekdays
/// 09:00–17:00 and 40 lines.
fn counted_once_with_transfers(
    transfers: Vec<Vec<hotline::scenario::Transfer>>,
) -> Vec<SummaryRow> {
    let mut model = busy_center(9);
    model.extras.transfers = transfers;
    model.queues[1].hours = Some(OpenHours {
        open: (0..7 * 48)
            .map(|k| k / 48 < 5 && (18..34).contains(&(k % 48)))
            .collect(),
        closed_days: vec![],
        message_s: 10.0,
        self_service: 0.0,
        callback: 0.0,
        disconnect_waiting: false,
    });
    model.center.lines = Some(40);
    every_call_counted_once(model)
}

/// The same with transfers both ways (general → loans 30 %, loans → general 10 %), opening
/// hours on loans and line capacity: legs, journeys and lines all balance in every interval.
#[test]
fn every_call_is_counted_once_with_transfers() {
    use hotline::scenario::Transfer;
    let summary = counted_once_with_transfers(vec![
        vec![Transfer::blind(QueueId(1), 0.3)],
        vec![Transfer::blind(QueueId(0), 0.1)],
    ]);
    let (general, loans, all) = (&summary[0], &summary[1], &summary[2]);
    assert!(general.transferred_out > 0 && loans.transferred_out > 0);
    // Out and in are counted at the same moment (the agent's completion): equal overall.
    assert_eq!(
        general.transferred_out + loans.transferred_out,
        general.transferred_in + loans.transferred_in
    );
    assert_eq!(
        all.transferred_in,
        general.transferred_in + loans.transferred_in
    );
    assert!(general.journeys > 0 && loans.journeys > 0);
    assert!(
        all.blocked > 0,
        "lines must bind for the test to mean something"
    );
}

/// The same with every way of moving on (`[[queue.transfer]]`): general → loans by consult
/// (12 %), by conference (15 %, disconnected when no loans agent is free) and blind at end of
/// talk (8 %); loans → general blind at end of talk, disconnected when busy (10 %); opening
/// hours on loans and line capacity: consults end the call once, conference legs and
/// disconnections balance in every interval.
#[test]
fn every_call_is_counted_once_with_consults_and_conferences() {
    use hotline::dist::Dist;
    use hotline::scenario::{Handoff, Transfer, WhenBusy};
    let summary = counted_once_with_transfers(vec![
        vec![
            Transfer {
                handoff: Handoff::Consult(Dist::exponential(90.0).unwrap()),
                ..Transfer::blind(QueueId(1), 0.12)
            },
            Transfer {
                handoff: Handoff::Conference(Dist::exponential(60.0).unwrap()),
                when_busy: WhenBusy::Disconnect,
                ..Transfer::blind(QueueId(1), 0.15)
            },
            Transfer {
                handoff: Handoff::EndOfTalk,
                ..Transfer::blind(QueueId(1), 0.08)
            },
        ],
        vec![Transfer {
            handoff: Handoff::EndOfTalk,
            when_busy: WhenBusy::Disconnect,
            ..Transfer::blind(QueueId(0), 0.1)
        }],
    ]);
    let (general, loans, all) = (&summary[0], &summary[1], &summary[2]);
    assert!(general.consults.is_some_and(|c| c > 0));
    assert!(general.transferred_out > 0 && loans.transferred_out > 0);
    assert!(general.disconnected > 0 && loans.disconnected > 0);
    assert_eq!(
        general.transferred_out + loans.transferred_out,
        general.transferred_in + loans.transferred_in
    );
    assert!(
        all.blocked > 0,
        "lines must bind for the test to mean something"
    );
}

/// The same with closed-queue callback requests on both queues (general closes at night with
/// 40 % requests, loans opens weekdays only with all of them, one in five callbacks
/// unanswered), virtual hold, transfers, redials and line capacity: the night's `closed` calls and the
/// morning's callback legs balance in every interval, and requests pending at the horizon are
/// counted once (as `closed`).
#[test]
fn every_call_is_counted_once_with_closed_callbacks() {
    use hotline::scenario::{CallbackOffer, Transfer};
    let mut model = busy_center(9);
    model.policy = hotline::routing::Policy::parse("callback").unwrap();
    model.queues[1].callback = Some(CallbackOffer {
        offer_above_s: 30.0,
        accept: 0.5,
        answer: 0.8,
        retries: 1,
        retry_after_s: 300.0,
    });
    model.extras.transfers = vec![vec![Transfer::blind(QueueId(1), 0.2)], vec![]];
    model.queues[0].hours = Some(OpenHours {
        open: (0..7 * 48).map(|k| (14..40).contains(&(k % 48))).collect(),
        closed_days: vec![],
        message_s: 15.0,
        self_service: 0.3,
        callback: 0.4,
        disconnect_waiting: false,
    });
    model.queues[1].hours = Some(OpenHours {
        open: (0..7 * 48)
            .map(|k| k / 48 < 5 && (18..34).contains(&(k % 48)))
            .collect(),
        closed_days: vec![3],
        message_s: 0.0,
        self_service: 0.0,
        callback: 1.0,
        disconnect_waiting: false,
    });
    model.center.lines = Some(60);
    // Abandoning callers redial: some of them reach a queue that closed meanwhile.
    model.extras.redial = Some(hotline::scenario::Redial {
        probability: 0.5,
        delay: hotline::dist::Dist::exponential(600.0).unwrap(),
        max_attempts: 3,
        same_caller: false,
    });
    let summary = every_call_counted_once(model);
    let (general, loans, all) = (&summary[0], &summary[1], &summary[2]);
    assert!(all.redials > 0);
    assert!(general.closed_callback_requests > 0 && loans.closed_callback_requests > 0);
    assert!(general.closed_callbacks > 0 && loans.closed_callbacks > 0);
    assert!(loans.callbacks_failed > 0 && loans.closed_callbacks_completed > 0);
    // The horizon ends on a Wednesday night: the last night's requests are still pending.
    assert!(
        general.closed_callbacks + loans.closed_callbacks
            < general.closed_callback_requests + loans.closed_callback_requests
    );
    assert_eq!(
        all.closed_callbacks,
        general.closed_callbacks + loans.closed_callbacks
    );
    assert!(
        all.blocked > 0,
        "lines must bind for the test to mean something"
    );
}
