//! Callback requests left at a closed queue (`[queue.closed] callback`): each is called back
//! after the queue's next opening (a closed day skipped), in the opening's interval, never
//! abandons, and every interval still conserves calls; shares change only the hang-ups; the
//! bundled night-traffic scenario uses them. (Memory over long horizons: tests/memory.rs.)

use crate::support::*;
use hotline::arrivals::ScenarioArrivals;
use hotline::engine::Engine;
use hotline::ivr::IvrEnd;
use hotline::random::StreamKey;
use hotline::routing::LongestIdleOldestCall;
use hotline::scenario::{Model, OpenHours, PoolId, QueueId};
use hotline::stats::{IntervalRow, IntervalStats, Observer, PoolState, Tag};

/// One queue (hourly intervals) open weekdays 08:00-18:00 and closed on day 3 (a Wednesday),
/// agents only while it is open; every closed caller leaves a callback request after a 20 s
/// message. No `[queue.callback]`: the closed-request defaults apply (always answered).
pub fn night_requests(days: u32, callback: f64) -> Model {
    let mut m = one_queue(20.0, 180.0, Some(300.0), 10, days);
    let open: Vec<bool> = (0..7 * 24)
        .map(|k| k / 24 < 5 && (8..18).contains(&(k % 24)))
        .collect();
    m.pools[0].headcount = open.iter().map(|&o| if o { 10 } else { 0 }).collect();
    m.queues[0].hours = Some(OpenHours {
        open,
        closed_days: vec![2],
        message_s: 20.0,
        self_service: 0.0,
        callback,
        disconnect_waiting: false,
    });
    m
}

/// The first open interval after interval `k`, computed from the table here (not the engine).
fn next_opening(m: &Model, k: u64) -> Option<u64> {
    let h = m.queues[0].hours.as_ref().unwrap();
    let n = u64::from(m.days) * 24;
    (k + 1..n)
        .find(|&j| h.open[(j % (7 * 24)) as usize] && !h.closed_days.contains(&((j / 24) as u32)))
}

/// What happened to each request, seen from the observer calls (delegated to the interval
/// statistics so the rows stay whole).
#[derive(Default)]
struct Seen {
    /// (interval of the closed call, interval of its callback leg).
    legs: Vec<(Tag, Tag)>,
    /// Interval of each request.
    requests: Vec<Tag>,
    /// (leg interval, wait from the opening, time from the request) of answered callbacks.
    answered: Vec<(Tag, f64, f64)>,
    last_completed: f64,
}

struct Recording {
    stats: IntervalStats,
    seen: Seen,
}

impl Observer for Recording {
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
        self.stats.queue_changed(t, q, len)
    }
    fn pool_changed(&mut self, t: f64, p: PoolId, state: PoolState) {
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
    fn callback_completed(&mut self, tag: Tag, q: QueueId, delay_s: f64) {
        self.seen.last_completed = delay_s;
        self.stats.callback_completed(tag, q, delay_s)
    }
    fn callback_failed(&mut self, tag: Tag, q: QueueId) {
        self.stats.callback_failed(tag, q)
    }
    fn closed_callback_request(&mut self, tag: Tag, q: QueueId) {
        self.seen.requests.push(tag);
        self.stats.closed_callback_request(tag, q)
    }
    fn closed_callback_due(&mut self, tag: Tag, q: QueueId) -> Tag {
        let leg = self.stats.closed_callback_due(tag, q);
        self.seen.legs.push((tag, leg));
        leg
    }
    fn closed_callback_completed(&mut self, tag: Tag, q: QueueId, delay_s: f64) {
        self.seen
            .answered
            .push((tag, self.seen.last_completed, delay_s));
        self.stats.closed_callback_completed(tag, q, delay_s)
    }
}

fn run(model: &Model) -> (Seen, Vec<IntervalRow>) {
    let key = StreamKey::new(model.seed, 0);
    let arrivals = ScenarioArrivals::new(model, key).unwrap();
    let rec = Recording {
        stats: IntervalStats::new(model),
        seen: Seen::default(),
    };
    let mut e = Engine::new(model, arrivals, LongestIdleOldestCall, rec, key);
    e.run();
    let mut rec = e.into_observer();
    rec.stats.finish();
    let rows = rec
        .stats
        .drain_rows()
        .0
        .filter(|r| r.queue == "general")
        .collect();
    (rec.seen, rows)
}

#[test]
fn every_night_caller_is_called_back_after_the_next_opening() {
    // Two weeks from a Monday: the last Friday's evening and the weekend have no opening
    // left in the horizon.
    let model = night_requests(14, 1.0);
    let (seen, rows) = run(&model);
    let h = model.queues[0].hours.clone().unwrap();
    // Every closed caller left a request (share 1), in closed intervals only.
    let closed: u64 = rows.iter().map(|r| r.closed).sum();
    assert!(closed > 1000, "{closed}");
    assert_eq!(seen.requests.len() as u64, closed);
    for r in &rows {
        assert_eq!(r.closed_callback_requests, r.closed, "{}", r.interval_start);
    }
    // Each request with an opening left in the horizon became one leg, in exactly the
    // opening's interval; the others none.
    let with_opening = seen
        .requests
        .iter()
        .filter(|&&t| next_opening(&model, u64::from(t)).is_some())
        .count();
    assert!(
        with_opening < seen.requests.len(),
        "some requests fall after the last opening"
    );
    assert_eq!(seen.legs.len(), with_opening);
    for &(night, leg) in &seen.legs {
        assert!(
            !h.is_open(u64::from(night), 24),
            "request at {night} while open"
        );
        assert_eq!(
            Some(u64::from(leg)),
            next_opening(&model, u64::from(night)),
            "request in interval {night}"
        );
    }
    // Requests left on Tuesday evening wait through the closed Wednesday for Thursday 08:00.
    let tuesday_evening = seen
        .legs
        .iter()
        .filter(|(n, _)| (24 + 18..48).contains(n))
        .collect::<Vec<_>>();
    assert!(!tuesday_evening.is_empty());
    assert!(tuesday_evening.iter().all(|&&(_, l)| l == 3 * 24 + 8));
    // Every leg is called back (no `[queue.callback]`: the caller answers), after the opening:
    // the wait runs from the opening, the delay from the request, which lies in a closed
    // interval whose next opening is the leg's.
    assert_eq!(seen.answered.len(), seen.legs.len());
    for &(leg, from_opening, from_request) in &seen.answered {
        assert!(from_opening >= 0.0);
        let opening = f64::from(leg) * 3600.0;
        let requested = opening - (from_request - from_opening);
        assert!(
            requested < opening,
            "request at {requested}, opening at {opening}"
        );
        let k = (requested / 3600.0).floor() as u64;
        assert_eq!(
            next_opening(&model, k),
            Some(u64::from(leg)),
            "request at {requested}"
        );
    }
    // The rows say the same: legs offered at the opening, all completed, none abandoned.
    let legs: u64 = rows.iter().map(|r| r.closed_callbacks).sum();
    let done: u64 = rows.iter().map(|r| r.closed_callbacks_completed).sum();
    let failed: u64 = rows.iter().map(|r| r.callbacks_failed).sum();
    assert_eq!((legs, done, failed), (seen.legs.len() as u64, legs, 0));
    for (k, r) in rows.iter().enumerate() {
        assert_eq!(
            r.offered,
            r.answered + r.abandoned + r.closed + r.callbacks_failed + r.in_system_at_end,
            "{}",
            r.interval_start
        );
        if r.closed_callbacks > 0 {
            assert!(h.is_open(k as u64, 24) && !h.is_open(k as u64 - 1, 24));
            assert!(r.callbacks_completed >= r.closed_callbacks_completed);
            let delay = r.closed_callback_delay_mean_s.unwrap();
            assert!(delay > 0.0, "{}", r.interval_start);
        }
    }
}

#[test]
fn callback_legs_never_abandon_even_with_impatient_callers() {
    // Two agents for a morning of requests: ordinary callers abandon, legs may not.
    let mut model = night_requests(7, 1.0);
    model.pools[0].headcount = model.pools[0].headcount.iter().map(|&n| n.min(2)).collect();
    let (seen, rows) = run(&model);
    assert!(!seen.legs.is_empty());
    // Legs still waiting at the end are in the system; all others were answered.
    let legs: u64 = rows.iter().map(|r| r.closed_callbacks).sum();
    let done: u64 = rows.iter().map(|r| r.closed_callbacks_completed).sum();
    let failed: u64 = rows.iter().map(|r| r.callbacks_failed).sum();
    let abandoned: u64 = rows.iter().map(|r| r.abandoned).sum();
    assert!(abandoned > 0, "the day's callers do abandon here");
    assert_eq!(failed, 0);
    assert!(done <= legs);
    let in_system: u64 = rows.iter().map(|r| r.in_system_at_end).sum();
    assert!(
        legs - done <= in_system,
        "{legs} legs, {done} done, {in_system} in system"
    );
    // Every interval with legs: answered covers its completed legs.
    for r in &rows {
        assert!(r.answered >= r.closed_callbacks_completed);
    }
}

#[test]
fn a_callback_share_turns_hang_ups_into_requests_and_leaves_self_service_alone() {
    let mut without = night_requests(14, 0.0);
    without.queues[0].hours.as_mut().unwrap().self_service = 0.3;
    let mut with = without.clone();
    with.queues[0].hours.as_mut().unwrap().callback = 0.4;
    let (_, a) = run(&without);
    let (_, b) = run(&with);
    let requests: u64 = b.iter().map(|r| r.closed_callback_requests).sum();
    let closed: u64 = b.iter().map(|r| r.closed).sum();
    for (x, y) in a.iter().zip(&b) {
        // Same callers met the closed message; the same ones self-served.
        assert_eq!(
            (x.closed, x.closed_self_served),
            (y.closed, y.closed_self_served),
            "{}",
            x.interval_start
        );
        assert_eq!(x.closed_callback_requests, 0);
    }
    // Requests among the closed callers: Binomial(closed, 0.4), within 4 standard errors.
    let (n, p) = (closed as f64, 0.4);
    let sd = (n * p * (1.0 - p)).sqrt();
    assert!(
        (requests as f64 - n * p).abs() < 4.0 * sd,
        "{requests} of {closed} requests"
    );
}

#[test]
fn a_queue_callback_table_sets_how_closed_requests_are_called_back() {
    // Nobody answers: every leg fails after its retries, in the opening's interval.
    let mut model = night_requests(7, 1.0);
    model.queues[0].callback = Some(hotline::scenario::CallbackOffer {
        offer_above_s: 60.0,
        accept: 0.5,
        answer: 0.0,
        retries: 1,
        retry_after_s: 120.0,
    });
    let (seen, rows) = run(&model);
    assert!(!seen.legs.is_empty());
    assert!(seen.answered.is_empty());
    let legs: u64 = rows.iter().map(|r| r.closed_callbacks).sum();
    let failed: u64 = rows.iter().map(|r| r.callbacks_failed).sum();
    // The week's last legs (Friday morning) fail long before the horizon.
    assert_eq!(legs, failed);
    // The fifo policy offers no virtual hold: the table applies only to the requests.
    assert_eq!(rows.iter().map(|r| r.callbacks_offered).sum::<u64>(), 0);
}

#[test]
fn night_traffic_callers_meet_the_closed_message_and_are_called_back_in_the_morning() {
    let model =
        hotline::scenario::load(std::path::Path::new("scenarios/night-traffic.toml")).unwrap();
    let general = model
        .queues
        .iter()
        .position(|q| q.name == "general")
        .unwrap();
    let h = model.queues[general].hours.clone().unwrap();
    assert!(h.self_service > 0.0 && h.callback > 0.0);
    let mut stats = hotline::engine::simulate(&model, 0);
    let rows: Vec<IntervalRow> = stats.drain_rows().0.collect();
    let per_day = 48;
    let of = |name: &'static str| rows.iter().filter(move |r| r.queue == name);
    for (k, r) in of("general").enumerate() {
        let k = k as u64;
        if r.closed_callbacks > 0 {
            // Legs only at an opening: open now, closed the interval before.
            assert!(
                h.is_open(k, per_day) && !h.is_open(k - 1, per_day),
                "{}",
                r.interval_start
            );
        }
    }
    let sum = |f: fn(&IntervalRow) -> u64| of("general").map(f).sum::<u64>();
    assert!(sum(|r| r.closed_self_served) > 0);
    assert!(sum(|r| r.closed_callback_requests) > sum(|r| r.closed_callbacks));
    assert!(sum(|r| r.closed_callbacks_completed) > 0);
    assert_eq!(of("lost_card").map(|r| r.closed).sum::<u64>(), 0);
}

#[test]
fn check_states_the_callback_share_of_closed_callers() {
    let scenario =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/night-traffic.toml");
    let out = hotline()
        .args(["check".as_ref(), scenario.as_os_str()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "then 45% self-service, 25% leave a callback request for the next opening, the rest hang up"
        ),
        "{text}"
    );
}
