//! Skills with overflow: a pool's `secondary` queues under the `overflow` policy (taken only
//! after `overflow_after`) and under `fifo` (at once, like primary queues).

use crate::support::*;
use hotline::engine::{Engine, simulate};
use hotline::routing::{Floor, LongestIdleOldestCall, Policy, Router};
use hotline::scenario::{Model, Pool, PoolId, QueueId};
use hotline::stats::IntervalRow;

/// Cards (busy, 4 agents of its own) and loans (no calls; 2 agents who may help cards after
/// `delay_s`). Without an IVR every call goes to cards.
fn cards_and_helpers(delay_s: f64, policy: &str) -> Model {
    let mut m = one_queue(50.0, 300.0, Some(300.0), 4, 14);
    let mut loans = m.queues[0].clone();
    loans.name = "loans".into();
    m.queues.push(loans);
    m.pools.push(Pool {
        name: "helpers".into(),
        serves: vec![QueueId(1)],
        secondary: vec![QueueId(0)],
        overflow_after_s: delay_s,
        headcount: vec![2; 7 * 24],
        handle_time_factor: Vec::new(),
        takes: Vec::new(),
    });
    m.policy = Policy::parse(policy).unwrap();
    m
}

/// Queue, offered, answered, abandoned, ASA and wait p90 of one row.
type Outcome = (String, u64, u64, u64, Option<f64>, Option<f64>);

/// What happened to the callers, row by row (no pool columns).
fn outcomes(rows: &[IntervalRow]) -> Vec<Outcome> {
    rows.iter()
        .map(|r| {
            (
                r.queue.clone(),
                r.offered,
                r.answered,
                r.abandoned,
                r.asa_s,
                r.wait_p90_s,
            )
        })
        .collect()
}

fn rows(model: &Model) -> Vec<IntervalRow> {
    let mut stats = simulate(model, 0);
    let (rows, _) = stats.drain_rows();
    rows.collect()
}

/// (ASA, answered, abandoned) of queue `q` over the run.
fn queue_figures(rows: &[IntervalRow], q: &str) -> (f64, u64, u64) {
    let r: Vec<&IntervalRow> = rows.iter().filter(|r| r.queue == q).collect();
    let answered: u64 = r.iter().map(|r| r.answered).sum();
    let waited: f64 = sum(&r, |r| r.asa_s.unwrap_or(0.0) * r.answered as f64);
    (
        waited / answered as f64,
        answered,
        r.iter().map(|r| r.abandoned).sum(),
    )
}

#[test]
fn overflow_lowers_the_primary_queues_waits() {
    let mut alone = cards_and_helpers(60.0, "overflow");
    alone.pools[1].secondary.clear();
    let (asa_alone, ans_alone, ab_alone) = queue_figures(&rows(&alone), "general");
    let (asa, ans, ab) = queue_figures(&rows(&cards_and_helpers(60.0, "overflow")), "general");
    eprintln!("alone: ASA {asa_alone:.1} s, {ab_alone} abandoned; overflow: ASA {asa:.1} s, {ab}");
    assert!(
        asa < 0.5 * asa_alone,
        "ASA {asa} vs {asa_alone} without helpers"
    );
    assert!(ab < ab_alone && ans > ans_alone);
}

/// The default router, recording every call a helper (pool 1) takes from the cards queue
/// through the router, with its wait.
struct Recording {
    inner: LongestIdleOldestCall,
    helper_waits: Vec<f64>,
    helper_at_arrival: u32,
}

impl Router for Recording {
    fn pool_for_caller(&mut self, floor: &Floor, q: QueueId) -> Option<PoolId> {
        let p = self.inner.pool_for_caller(floor, q);
        if p == Some(PoolId(1)) && q == QueueId(0) {
            self.helper_at_arrival += 1;
        }
        p
    }

    fn queue_for_agent(&mut self, floor: &mut Floor, p: PoolId) -> Option<QueueId> {
        let q = self.inner.queue_for_agent(floor, p);
        if p == PoolId(1) && q == Some(QueueId(0)) {
            assert!(floor.takes.is_some(), "the routing tables have a delay");
            let now = floor.now;
            let at = floor.head_entered_at(QueueId(0)).unwrap();
            self.helper_waits.push(now - at);
        }
        q
    }
}

#[test]
fn a_secondary_pool_takes_no_call_before_the_delay() {
    let model = cards_and_helpers(90.0, "overflow");
    let key = hotline::random::StreamKey::new(model.seed, 0);
    let arrivals = hotline::arrivals::ScenarioArrivals::new(&model, key).unwrap();
    let router = Recording {
        inner: LongestIdleOldestCall,
        helper_waits: Vec::new(),
        helper_at_arrival: 0,
    };
    let mut engine = Engine::new(&model, arrivals, router, hotline::stats::NullObserver, key);
    engine.run();
    let r = engine.router();
    assert_eq!(
        r.helper_at_arrival, 0,
        "a helper answered a cards call at once"
    );
    assert!(
        r.helper_waits.len() > 100,
        "helpers took {} calls",
        r.helper_waits.len()
    );
    let shortest = r.helper_waits.iter().copied().fold(f64::MAX, f64::min);
    assert!(shortest >= 90.0, "a helper took a call after {shortest} s");
}

#[test]
fn under_fifo_a_secondary_pool_serves_at_once_like_a_primary_one() {
    let fifo = rows(&cards_and_helpers(90.0, "fifo"));
    let mut merged = cards_and_helpers(90.0, "fifo");
    merged.pools[1].serves = vec![QueueId(1), QueueId(0)];
    merged.pools[1].secondary.clear();
    // The same calls answered at the same times; only the pool columns of the queue rows
    // differ (a queue's `agents` count the pools serving it as primary).
    assert!(
        outcomes(&fifo) == outcomes(&rows(&merged)),
        "outcomes differ"
    );
}

#[test]
fn overflow_after_zero_equals_serving_the_queue_at_once() {
    let zero = rows(&cards_and_helpers(0.0, "overflow"));
    assert!(
        zero == rows(&cards_and_helpers(0.0, "fifo")),
        "0 s overflow differs from fifo"
    );
    assert!(
        zero == rows(&cards_and_helpers(90.0, "fifo")),
        "fifo ignores the delay"
    );
    // And the delay matters under the policy.
    assert!(
        zero != rows(&cards_and_helpers(90.0, "overflow")),
        "the delay changes nothing"
    );
}

#[test]
fn primary_first_sends_callers_to_their_own_pool_before_a_helper() {
    // Light load: an idle own agent is nearly always there; with longest_idle the helpers
    // (idle longer, they have no calls of their own) answer most calls.
    let mut m = cards_and_helpers(0.0, "fifo");
    m.arrivals
        .rate_per_s
        .iter_mut()
        .for_each(|r| *r = 20.0 / 3600.0);
    let busy_helpers = |m: &Model| {
        let mut stats = simulate(m, 0);
        let (_, pools) = stats.drain_rows();
        pools
            .filter(|p| p.pool == "helpers")
            .map(|p| p.agents_busy)
            .sum::<f64>()
    };
    let longest = busy_helpers(&m);
    m.center.agent_choice = hotline::scenario::AgentChoice::PrimaryFirst;
    let primary = busy_helpers(&m);
    eprintln!("helpers busy: longest idle {longest:.1}, primary first {primary:.1}");
    assert!(primary < 0.2 * longest, "{primary} vs {longest}");
}

/// Records the waits of answered calls; nothing else.
#[derive(Default)]
struct AnswerWaits(Vec<f64>);

impl hotline::stats::Observer for AnswerWaits {
    fn arrive(&mut self, _: f64, _: bool) -> hotline::stats::Tag {
        0
    }
    fn ivr_end(&mut self, _: hotline::stats::Tag, _: hotline::ivr::IvrEnd) {}
    fn offer(&mut self, _: hotline::stats::Tag, _: QueueId, _: bool) {}
    fn answer(&mut self, _: hotline::stats::Tag, _: QueueId, wait_s: f64, _: f64) {
        self.0.push(wait_s);
    }
    fn abandon(&mut self, _: hotline::stats::Tag, _: QueueId, _: f64) {}
    fn queue_changed(&mut self, _: f64, _: QueueId, _: u32) {}
    fn pool_changed(&mut self, _: f64, _: PoolId, _: hotline::stats::PoolState) {}
    fn interval_boundary(&mut self, _: f64, _: bool) {}
    fn still_in_system(&mut self, _: hotline::stats::Tag, _: Option<QueueId>) {}
    fn blocked(&mut self, _: hotline::stats::Tag) {}
    fn closed(&mut self, _: hotline::stats::Tag, _: QueueId, _: bool) {}
}

fn answer_waits(model: &Model) -> Vec<f64> {
    let key = hotline::random::StreamKey::new(model.seed, 0);
    let arrivals = hotline::arrivals::ScenarioArrivals::new(model, key).unwrap();
    let mut engine = Engine::new(
        model,
        arrivals,
        LongestIdleOldestCall,
        AnswerWaits::default(),
        key,
    );
    engine.run();
    engine.into_observer().0
}

#[test]
fn a_call_reaching_the_delay_is_answered_then_by_an_idle_helper() {
    // Helpers are mostly idle (loans has no calls): a cards call still waiting after 90 s is
    // answered at that instant, by the overflow timer. Continuous arrivals and handle times
    // make a wait of exactly 90 s otherwise impossible.
    let at_delay = |m: &Model| answer_waits(m).iter().filter(|&&w| w == 90.0).count();
    let n = at_delay(&cards_and_helpers(90.0, "overflow"));
    assert!(n > 100, "{n} calls answered at the delay");
    let longest = answer_waits(&cards_and_helpers(90.0, "overflow"))
        .into_iter()
        .fold(0.0, f64::max);
    assert!(
        longest > 90.0,
        "helpers busy at times: some wait longer ({longest})"
    );
    assert_eq!(at_delay(&cards_and_helpers(90.0, "fifo")), 0);
}
