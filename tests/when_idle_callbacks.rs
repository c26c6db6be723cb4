//! Closed-queue callback requests released `when_idle` (`[queue.closed] callbacks =
//! "when_idle"`): the legs are outbound work an agent dials only when no inbound caller
//! waits, judged by `callback_within`, and never counted as inbound calls.

use crate::closed_callbacks::night_requests;
use crate::support::refused;
use hotline::arrivals::ScenarioArrivals;
use hotline::engine::Engine;
use hotline::ivr::IvrEnd;
use hotline::random::StreamKey;
use hotline::routing::LongestIdleOldestCall;
use hotline::scenario::{CallbackRelease, ClosedRelease, Model, PoolId, QueueId};
use hotline::stats::{IntervalRow, IntervalStats, Observer, PoolRow, PoolState, Tag};

fn when_idle(m: &mut Model, within_s: Option<f64>) {
    m.queues[0].closed_release = ClosedRelease {
        release: CallbackRelease::WhenIdle,
        within_s,
        ..ClosedRelease::default()
    };
}

/// Every row of one replication of `model` (queue rows and `all`).
fn rows(model: &Model, replication: u64) -> Vec<IntervalRow> {
    rows_and_pools(model, replication).0
}

/// Every interval row (queues and `all`) and pool row of one replication of `model`.
fn rows_and_pools(model: &Model, replication: u64) -> (Vec<IntervalRow>, Vec<PoolRow>) {
    let key = StreamKey::new(model.seed, replication);
    let arrivals = ScenarioArrivals::new(model, key).unwrap();
    let mut e = Engine::new(
        model,
        arrivals,
        LongestIdleOldestCall,
        IntervalStats::new(model),
        key,
    );
    e.run();
    let mut s = e.into_observer();
    s.finish();
    let (rows, pools) = s.drain_rows();
    (rows.collect(), pools.collect())
}

/// P(N = j) for N ~ Poisson(λ), j = 0..len.
fn poisson_pmf(lambda: f64, len: usize) -> Vec<f64> {
    let mut p = vec![(-lambda).exp()];
    for j in 1..len {
        p.push(p[j - 1] * lambda / j as f64);
    }
    p
}

/// Mean and variance of min(b, n + N), N ~ Poisson(λ): the legs of a backlog of `b` dialled
/// within the promise W by `n` agents with exponential handle time h and no inbound caller,
/// λ = n·W ÷ h. Why: `n` legs are dialled at the opening; while legs wait all `n` agents are
/// busy, so completions form a Poisson process of rate n ÷ h and leg n + j starts at the
/// j-th completion; by W, N(W) ~ Poisson(nW/h) of them have occurred.
fn within_moments(b: u64, n: u64, lambda: f64) -> (f64, f64) {
    let pmf = poisson_pmf(lambda, (b + 1) as usize);
    let (mut m1, mut m2, mut mass) = (0.0, 0.0, 0.0);
    for (j, p) in pmf.iter().enumerate() {
        let x = (n + j as u64).min(b) as f64;
        m1 += p * x;
        m2 += p * x * x;
        mass += p;
    }
    // N ≥ b: all b within.
    let rest = 1.0 - mass;
    m1 += rest * b as f64;
    m2 += rest * (b * b) as f64;
    (m1, m2 - m1 * m1)
}

#[test]
fn a_backlog_alone_is_dialled_at_the_rate_the_agents_free_up() {
    // Callers only while the queue is closed (weekday nights, the closed Wednesday, the
    // weekend); 5 agents, exponential handle time 10 min, no inbound while open: each
    // opening's backlog of B legs is dialled min(B, 5 + Poisson(5 · 1h ÷ 10 min)) within 1 h.
    let (n, h, w) = (5u64, 600.0, 3600.0);
    let mut m = night_requests(56, 1.0);
    m.queues[0].handle_time = hotline::dist::Dist::exponential(h).unwrap();
    m.queues[0].patience = None;
    let open = m.queues[0].hours.clone().unwrap().open;
    m.pools[0].headcount = open.iter().map(|&o| if o { n as u32 } else { 0 }).collect();
    m.arrivals.rate_per_s = open
        .iter()
        .map(|&o| if o { 0.0 } else { 3.0 / 3600.0 })
        .collect();
    when_idle(&mut m, Some(w));
    let lambda = n as f64 * w / h;
    let (mut seen, mut mean, mut var, mut openings) = (0u64, 0.0, 0.0, 0);
    for rep in 0..4 {
        for r in rows(&m, rep).iter().filter(|r| r.queue == "general") {
            let legs = r
                .outbound_callbacks
                .expect("columns written under when_idle");
            if legs == 0 {
                continue;
            }
            // Outbound work, not an inbound leg.
            assert_eq!(r.offered, 0, "{}", r.interval_start);
            assert_eq!(r.closed_callbacks, 0);
            // Each opening's backlog is done before the closing (at most ~190 legs at 10 min
            // over 5 agents: 6.3 h), so every leg is called back, in its opening's row.
            assert_eq!(r.closed_callbacks_completed, legs, "{}", r.interval_start);
            let (m1, v) = within_moments(legs, n, lambda);
            seen += r.callbacks_within_target.unwrap();
            mean += m1;
            var += v;
            openings += 1;
        }
    }
    assert!(openings > 100, "{openings}");
    // Openings are independent (each backlog is done, and the agents idle, before the next).
    let z = (seen as f64 - mean) / var.sqrt();
    assert!(
        z.abs() < 4.0,
        "dialled within 1 h: {seen}, expected {mean:.1} ± {:.1} (z = {z:.2})",
        var.sqrt()
    );
}

#[test]
fn legs_released_when_idle_stay_out_of_the_inbound_counts_and_every_call_is_conserved() {
    let mut m = night_requests(28, 0.6);
    when_idle(&mut m, Some(4.0 * 3600.0));
    let (all, pools) = rows_and_pools(&m, 0);
    let (mut requests, mut legs, mut completed) = (0, 0, 0);
    // Every call counted once, in every interval, by the one statement of conservation:
    // the legs are not inbound legs, so it holds without them.
    crate::conservation::check_every_interval(&m, &all, &pools);
    for r in all.iter().filter(|r| r.queue == "general") {
        assert_eq!(r.closed_callbacks, 0);
        assert_eq!(
            r.callbacks_completed, 0,
            "no inbound callback: none completed"
        );
        assert_eq!(r.first_attempts, r.offered - r.redials);
        requests += r.closed_callback_requests;
        legs += r.outbound_callbacks.unwrap();
        completed += r.closed_callbacks_completed;
        assert!(r.callbacks_within_target.unwrap() <= r.outbound_callbacks.unwrap());
    }
    assert!(legs > 500, "{legs}");
    // Requests after the last opening are never released; every released leg is called
    // back (the caller answers) before the horizon.
    assert!(legs < requests);
    assert_eq!(completed, legs);
}

/// Counts, at every first dial of a leg, the inbound callers then waiting in the queue.
struct Watch {
    stats: IntervalStats,
    waiting: u32,
    /// Agents present and not busy (one pool).
    idle: u32,
    dialled: u64,
    dialled_over_a_waiting_caller: u64,
    /// Fewest agents left idle at a dial.
    fewest_idle_at_a_dial: u32,
}

impl Observer for Watch {
    fn arrive(&mut self, t: f64, redial: bool) -> Tag {
        self.stats.arrive(t, redial)
    }
    fn ivr_end(&mut self, tag: Tag, end: IvrEnd) {
        self.stats.ivr_end(tag, end)
    }
    fn offer(&mut self, tag: Tag, q: QueueId, redial: bool) {
        self.stats.offer(tag, q, redial)
    }
    fn answer(&mut self, tag: Tag, q: QueueId, wait_s: f64, handle_s: f64) {
        self.stats.answer(tag, q, wait_s, handle_s)
    }
    fn abandon(&mut self, tag: Tag, q: QueueId, wait_s: f64) {
        self.stats.abandon(tag, q, wait_s)
    }
    fn queue_changed(&mut self, t: f64, q: QueueId, len: u32) {
        self.waiting = len;
        self.stats.queue_changed(t, q, len)
    }
    fn pool_changed(&mut self, t: f64, p: PoolId, state: PoolState) {
        self.idle = state.present - state.busy;
        self.stats.pool_changed(t, p, state)
    }
    fn interval_boundary(&mut self, t: f64, last: bool) {
        self.stats.interval_boundary(t, last)
    }
    fn still_in_system(&mut self, tag: Tag, q: Option<QueueId>) {
        self.stats.still_in_system(tag, q)
    }
    fn blocked(&mut self, tag: Tag) {
        self.stats.blocked(tag)
    }
    fn closed(&mut self, tag: Tag, q: QueueId, self_served: bool) {
        self.stats.closed(tag, q, self_served)
    }
    fn closed_callback_request(&mut self, tag: Tag, q: QueueId) {
        self.stats.closed_callback_request(tag, q)
    }
    fn closed_callback_completed(&mut self, tag: Tag, q: QueueId, delay_s: f64) {
        self.stats.closed_callback_completed(tag, q, delay_s)
    }
    fn outbound_leg(&mut self, tag: Tag, q: QueueId) -> Tag {
        self.stats.outbound_leg(tag, q)
    }
    fn outbound_dialled(&mut self, tag: Tag, q: QueueId, since_opening_s: f64) {
        self.dialled += 1;
        self.dialled_over_a_waiting_caller += u64::from(self.waiting > 0);
        self.fewest_idle_at_a_dial = self.fewest_idle_at_a_dial.min(self.idle);
        self.stats.outbound_dialled(tag, q, since_opening_s)
    }
    fn outbound_done(&mut self, tag: Tag, q: QueueId) {
        self.stats.outbound_done(tag, q)
    }
}

/// One replication of a busy week (load 9 on 10 agents in the day) releasing `when_idle`
/// with `reserve`: the watch's counts.
fn watched(reserve: u32) -> Watch {
    let mut m = night_requests(14, 0.5);
    m.arrivals.rate_per_s = vec![180.0 / 3600.0; 7 * 24];
    when_idle(&mut m, None);
    m.queues[0].closed_release.reserve = reserve;
    let key = StreamKey::new(m.seed, 0);
    let arrivals = ScenarioArrivals::new(&m, key).unwrap();
    let watch = Watch {
        stats: IntervalStats::new(&m),
        waiting: 0,
        idle: 0,
        dialled: 0,
        dialled_over_a_waiting_caller: 0,
        fewest_idle_at_a_dial: u32::MAX,
    };
    let mut e = Engine::new(&m, arrivals, LongestIdleOldestCall, watch, key);
    e.run();
    e.into_observer()
}

#[test]
fn no_leg_is_dialled_while_an_inbound_caller_waits() {
    // Callers wait often; legs are dialled in the gaps, never while someone is on hold.
    let w = watched(0);
    assert!(w.dialled > 1000, "{}", w.dialled);
    assert_eq!(w.dialled_over_a_waiting_caller, 0);
}

#[test]
fn a_reserve_leaves_that_many_agents_idle_at_every_dial() {
    let free = watched(0);
    assert_eq!(
        free.fewest_idle_at_a_dial, 0,
        "without a reserve the last idle agent dials"
    );
    let w = watched(2);
    assert!(w.dialled > 1000, "{}", w.dialled);
    assert_eq!(w.dialled_over_a_waiting_caller, 0);
    assert!(w.fewest_idle_at_a_dial >= 2, "{}", w.fewest_idle_at_a_dial);
}

/// A weekday line with a closed-queue callback and `extra` under `[queue.closed]` (line 13
/// onwards).
fn promise(extra: &str) -> String {
    format!(
        "[scenario]\nname = \"p\"\ndays = 1\n\n[arrivals]\ncalls_per_hour = 10\n\n\
         [[queue]]\nname = \"a\"\nhandle_time = \"3m\"\nhours = \"08:00-16:00\"\n\n\
         [queue.closed]\ncallback = 0.5\n{extra}\n\
         [[pool]]\nname = \"a\"\nserves = [\"a\"]\nagents = 2\n"
    )
}

#[test]
fn a_promise_share_needs_a_promise_and_a_share_in_0_to_1() {
    refused(
        &promise("callback_within_share = 0.9"),
        &[
            "bad.toml:15:25",
            "queue[0].closed.callback_within_share",
            "callback_within = \"4h\"",
        ],
    );
    refused(
        &promise("callback_within = \"4h\"\ncallback_within_share = 95"),
        &[
            "bad.toml:16:25",
            "callback_within_share",
            "at most 1",
            "got 95",
        ],
    );
    refused(
        &promise("callback_within = \"4h\"\ncallback_within_share = 0"),
        &["bad.toml:16:25", "above 0"],
    );
}
