//! Counters of one interval (or of the whole run) and the ratios derived from them.
//!
//! Outcomes (offered, answered, abandoned, waits, handle times) are attributed to the interval
//! in which the call was **offered**; time-weighted quantities (queue length, agents present,
//! agents busy) to the interval in which they **occurred** (DESIGN.md, "Metrics").

use serde::Serialize;

use super::histogram::WaitHistogram;
use crate::time::Calendar;

/// What happened to the callers who arrived in one interval, before any queue.
#[derive(Debug, Clone, Default)]
pub struct IvrTally {
    pub arrived: u64,
    /// Of `arrived`, calls that were redials.
    pub redials: u64,
    pub self_served: u64,
    pub hung_up: u64,
    /// Still in the IVR when the horizon ended.
    pub in_ivr_at_end: u64,
    /// Found every line busy (busy signal), before the IVR.
    pub blocked: u64,
}

impl IvrTally {
    pub fn add(&mut self, o: &IvrTally) {
        self.arrived += o.arrived;
        self.redials += o.redials;
        self.self_served += o.self_served;
        self.hung_up += o.hung_up;
        self.in_ivr_at_end += o.in_ivr_at_end;
        self.blocked += o.blocked;
    }
}

/// One queue in one interval (or the whole run).
#[derive(Debug, Clone, Default)]
pub struct QueueTally {
    /// Callers who entered the queue.
    pub offered: u64,
    /// Of `offered`, calls that were redials.
    pub redials: u64,
    pub answered: u64,
    pub abandoned: u64,
    /// Answered with a wait ≤ the threshold.
    pub answered_within: u64,
    /// Abandoned with a wait ≤ the threshold.
    pub abandoned_within: u64,
    /// Answered or abandoned after a wait > 0.
    pub waited: u64,
    pub wait_answered_s: f64,
    pub wait_abandoned_s: f64,
    /// Sum of handle times (talk + wrap-up) of answered calls.
    pub handle_s: f64,
    /// Still waiting when the horizon ended.
    pub in_queue_at_end: u64,
    /// Waits of answered and abandoned callers.
    pub waits: WaitHistogram,
    /// ∫ queue length dt over the interval (by occurrence).
    pub queue_area: f64,
    /// Largest queue length seen in the interval (by occurrence).
    pub queue_peak: u32,
    /// Callers routed to the queue while it was closed (opening hours): they heard the closed
    /// message and left. Of `offered`.
    pub closed: u64,
    /// Of `closed`, callers who then used self-service (the rest hung up).
    pub closed_self_served: u64,
    /// Callers offered a callback (virtual hold), of `offered`.
    pub callbacks_offered: u64,
    /// Of `callbacks_offered`, callers who accepted.
    pub callbacks_accepted: u64,
    /// Callback requests whose callback was answered (each also counts in `answered`).
    pub callbacks_completed: u64,
    /// Callback requests dropped after every attempt went unanswered (an outcome).
    pub callbacks_failed: u64,
    /// Sum over completed callbacks of the time from request to callback, seconds.
    pub callback_delay_s: f64,
    /// Legs offered here that were transferred in from another queue (`[[queue.transfer]]`):
    /// of `offered`, counted in the interval of this leg's offer.
    pub transferred_in: u64,
    /// Calls answered here that went on to another queue when the agent completed them: of
    /// `answered`, counted in the interval this leg was offered.
    pub transferred_out: u64,
    /// Journeys of transferred callers whose first leg was offered here (in this interval)
    /// that ended before the horizon (answered on a last leg, abandoned or closed).
    pub journeys: u64,
    /// Of `journeys`, those whose last leg was answered.
    pub journeys_served: u64,
    /// Sum over `journeys` of the wait across all legs, seconds.
    pub journey_wait_s: f64,
    /// Of `closed`, callers who left a callback request for the queue's next opening
    /// (`[queue.closed] callback`); counted in the interval of the closed call.
    pub closed_callback_requests: u64,
    /// Legs offered here that are closed-queue callback requests joining the line at the
    /// opening: of `offered`, counted in the interval of the opening (like `transferred_in`).
    pub closed_callbacks: u64,
    /// Of `closed_callbacks`, those whose callback was answered (each also in `answered`
    /// and `callbacks_completed`).
    pub closed_callbacks_completed: u64,
    /// Sum over `closed_callbacks_completed` of the time from the closed call (the request)
    /// to the answered callback, seconds.
    pub closed_callback_delay_s: f64,
    /// Callers on hold when the queue closed, disconnected then (`[queue.closed] waiting =
    /// "disconnect"`): an outcome, counted in the interval they were offered.
    pub disconnected: u64,
    /// Closed-queue requests released at the opening here as `when_idle` legs: outbound
    /// work, not of `offered` (engine/callbacks.rs).
    pub outbound_callbacks: u64,
    /// Closed-queue legs released here (either release) whose first attempt started within
    /// the queue's `callback_within` of the opening.
    pub callbacks_within_target: u64,
    /// Answered calls whose agent consulted an agent of another queue before ending them
    /// (`[[queue.transfer]] consult`): no leg followed.
    pub consults: u64,
}

impl QueueTally {
    pub fn add(&mut self, o: &QueueTally) {
        self.add_counts(o);
        self.waits.merge(&o.waits);
    }

    /// Adds everything but the wait histogram.
    pub fn add_counts(&mut self, o: &QueueTally) {
        self.offered += o.offered;
        self.redials += o.redials;
        self.answered += o.answered;
        self.abandoned += o.abandoned;
        self.answered_within += o.answered_within;
        self.abandoned_within += o.abandoned_within;
        self.waited += o.waited;
        self.wait_answered_s += o.wait_answered_s;
        self.wait_abandoned_s += o.wait_abandoned_s;
        self.handle_s += o.handle_s;
        self.in_queue_at_end += o.in_queue_at_end;
        self.queue_area += o.queue_area;
        self.queue_peak = self.queue_peak.max(o.queue_peak);
        self.closed += o.closed;
        self.closed_self_served += o.closed_self_served;
        self.callbacks_offered += o.callbacks_offered;
        self.callbacks_accepted += o.callbacks_accepted;
        self.callbacks_completed += o.callbacks_completed;
        self.callbacks_failed += o.callbacks_failed;
        self.callback_delay_s += o.callback_delay_s;
        self.transferred_in += o.transferred_in;
        self.transferred_out += o.transferred_out;
        self.journeys += o.journeys;
        self.journeys_served += o.journeys_served;
        self.journey_wait_s += o.journey_wait_s;
        self.closed_callback_requests += o.closed_callback_requests;
        self.closed_callbacks += o.closed_callbacks;
        self.closed_callbacks_completed += o.closed_callbacks_completed;
        self.closed_callback_delay_s += o.closed_callback_delay_s;
        self.disconnected += o.disconnected;
        self.outbound_callbacks += o.outbound_callbacks;
        self.callbacks_within_target += o.callbacks_within_target;
        self.consults += o.consults;
    }

    /// A caller answered after waiting `wait_s` (handle time `handle_s`), against the SL
    /// threshold `threshold_s`.
    #[inline]
    pub fn record_answer(&mut self, wait_s: f64, handle_s: f64, threshold_s: f64) {
        self.answered += 1;
        self.wait_answered_s += wait_s;
        self.handle_s += handle_s;
        self.waited += u64::from(wait_s > 0.0);
        self.waits.record(wait_s);
        self.answered_within += u64::from(wait_s <= threshold_s);
    }

    /// A caller hung up after waiting `wait_s`.
    #[inline]
    pub fn record_abandon(&mut self, wait_s: f64, threshold_s: f64) {
        self.abandoned += 1;
        self.wait_abandoned_s += wait_s;
        self.waited += u64::from(wait_s > 0.0);
        self.waits.record(wait_s);
        self.abandoned_within += u64::from(wait_s <= threshold_s);
    }

    /// Resets every counter, keeping the histogram's memory.
    pub fn clear(&mut self) {
        // Field by field: building a default would allocate a new histogram.
        self.waits.clear();
        self.offered = 0;
        self.redials = 0;
        self.answered = 0;
        self.abandoned = 0;
        self.answered_within = 0;
        self.abandoned_within = 0;
        self.waited = 0;
        self.wait_answered_s = 0.0;
        self.wait_abandoned_s = 0.0;
        self.handle_s = 0.0;
        self.in_queue_at_end = 0;
        self.queue_area = 0.0;
        self.queue_peak = 0;
        self.closed = 0;
        self.closed_self_served = 0;
        self.callbacks_offered = 0;
        self.callbacks_accepted = 0;
        self.callbacks_completed = 0;
        self.callbacks_failed = 0;
        self.callback_delay_s = 0.0;
        self.transferred_in = 0;
        self.transferred_out = 0;
        self.journeys = 0;
        self.journeys_served = 0;
        self.journey_wait_s = 0.0;
        self.closed_callback_requests = 0;
        self.closed_callbacks = 0;
        self.closed_callbacks_completed = 0;
        self.closed_callback_delay_s = 0.0;
        self.disconnected = 0;
        self.outbound_callbacks = 0;
        self.callbacks_within_target = 0;
        self.consults = 0;
    }
}

/// One pool in one interval (or the whole run); time-weighted, by occurrence.
#[derive(Debug, Clone, Default)]
pub struct PoolTally {
    /// ∫ scheduled headcount dt.
    pub scheduled_area: f64,
    /// ∫ agents present dt (scheduled, plus leaving agents finishing a call).
    pub present_area: f64,
    /// ∫ busy agents dt (talking or in wrap-up).
    pub busy_area: f64,
}

impl PoolTally {
    pub fn add(&mut self, o: &PoolTally) {
        self.scheduled_area += o.scheduled_area;
        self.present_area += o.present_area;
        self.busy_area += o.busy_area;
    }
}

pub(super) fn ratio(num: f64, den: f64) -> Option<f64> {
    if den > 0.0 { Some(num / den) } else { None }
}

macro_rules! metric_row {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }
     $(then { $($(#[$tmeta:meta])* $tfield:ident : $tty:ty),* $(,)? })?) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// Queue name, or `all` for the whole center.
            pub queue: String,
            /// Calls offered: for a queue, callers who entered it; for `all`, every arriving call.
            pub offered: u64,
            /// Callers whose need was met in IVR self-service (`all` rows only; 0 for queues).
            pub self_served: u64,
            /// Callers who hung up in the IVR (`all` rows only; 0 for queues).
            pub hung_up_ivr: u64,
            pub answered: u64,
            /// Callers who hung up while waiting in queue.
            pub abandoned: u64,
            /// Callers still in the IVR or waiting when the horizon ended. Conservation (the
            /// one statement of it; tests/conservation.rs checks it in every interval):
            /// offered + transferred_in + closed_callbacks = self_served + hung_up_ivr +
            /// blocked + answered + abandoned + closed + callbacks_failed + disconnected +
            /// in_system_at_end,
            /// for `all` (`offered` counts calls, the outcomes count legs: a transferred call
            /// is answered on its first queue and offered again, as a new leg, on the next; a
            /// closed caller who leaves a callback request is `closed` at night and offered
            /// again, as a callback leg, at the opening); for a queue, offered = answered +
            /// abandoned + closed + callbacks_failed + disconnected + in_system_at_end.
            pub in_system_at_end: u64,
            pub answered_within_threshold: u64,
            pub abandoned_within_threshold: u64,
            /// Answered within T ÷ (answered + abandoned after T): the usual contact-center SL.
            pub service_level: Option<f64>,
            /// Answered within T ÷ answered.
            pub sl_of_answered: Option<f64>,
            /// Answered within T ÷ (answered + abandoned): abandoned callers all count as misses.
            pub sl_of_offered: Option<f64>,
            /// Average speed of answer: mean wait of answered calls, seconds.
            pub asa_s: Option<f64>,
            /// Mean wait of all callers who left the queue (answered or abandoned), seconds.
            pub wait_mean_s: Option<f64>,
            /// Share of callers leaving the queue who waited at all.
            pub p_wait: Option<f64>,
            /// Abandoned ÷ (answered + abandoned).
            pub abandon_rate: Option<f64>,
            /// Wait percentiles of callers leaving the queue (answered and abandoned), seconds.
            pub wait_p50_s: Option<f64>,
            pub wait_p80_s: Option<f64>,
            pub wait_p90_s: Option<f64>,
            pub wait_p95_s: Option<f64>,
            pub wait_p99_s: Option<f64>,
            /// Mean realised handle time (talk + wrap-up) of answered calls, seconds.
            pub handle_time_mean_s: Option<f64>,
            /// Mean agents scheduled in the pools serving this queue (all pools for `all`).
            pub agents: f64,
            /// Mean agents present (scheduled plus leaving agents finishing a call).
            pub agents_present: f64,
            /// Busy agent time ÷ present agent time of those pools.
            pub occupancy: Option<f64>,
            /// Time-average number of callers waiting.
            pub queue_length_mean: f64,
            /// Most callers waiting at once.
            pub queue_length_peak: u32,
            /// Of `offered`, first attempts: each is one unique caller (a queue's callback
            /// legs of closed-queue requests, `closed_callbacks`, are not first attempts).
            pub first_attempts: u64,
            /// Of `offered`, calls by callers who abandoned earlier and called again.
            pub redials: u64,
            $($($(#[$tmeta])* pub $tfield: $tty,)*)?
            /// Calls that found every line busy (`[center] lines`) and got a busy signal
            /// (`all` rows only, 0 for queues: blocking happens before the IVR). Each counts
            /// in `offered`; a blocked caller who redials is offered again.
            pub blocked: u64,
            /// Callers routed to the queue while it was closed (opening hours); they heard the
            /// closed message and left (self-service or hang-up). Of `offered`; on `all`, the
            /// sum over queues.
            pub closed: u64,
            /// Of `closed`, callers who used self-service after the closed message.
            pub closed_self_served: u64,
            /// Callers offered a callback (expected wait above the queue's `offer_above`,
            /// under a policy with `callback`). Of `offered`; counted in the interval offered.
            pub callbacks_offered: u64,
            /// Of `callbacks_offered`, callers who accepted (they never abandon).
            pub callbacks_accepted: u64,
            /// Accepted callbacks answered by the caller; each is also in `answered`, with the
            /// time from request to callback as its wait.
            pub callbacks_completed: u64,
            /// Accepted callbacks dropped after every attempt went unanswered (an outcome,
            /// in the conservation sum).
            pub callbacks_failed: u64,
            /// Mean time from callback request to the answered callback, seconds.
            pub callback_delay_mean_s: Option<f64>,
            /// Of `offered`, legs transferred in from another queue (`[[queue.transfer]]`);
            /// on `all`, the sum over queues.
            pub transferred_in: u64,
            /// Of `answered`, calls transferred to another queue when the agent completed
            /// them (counted in the interval the leg was offered); on `all`, the sum.
            pub transferred_out: u64,
            /// Journeys of transferred callers whose first leg was offered on this queue (in
            /// this interval) and that ended before the horizon.
            pub journeys: u64,
            /// Mean wait across all legs of those journeys, seconds.
            pub journey_wait_mean_s: Option<f64>,
            /// Share of those journeys whose last leg was answered.
            pub journeys_served_share: Option<f64>,
            /// Of `closed`, callers who left a callback request for the queue's next opening
            /// (`[queue.closed] callback`); counted in the interval of the closed call.
            pub closed_callback_requests: u64,
            /// Of `offered`, callback legs of closed-queue requests: they join the line at the
            /// queue's opening and are counted in the opening's interval (their outcome:
            /// answered, callbacks_failed or in_system_at_end there).
            pub closed_callbacks: u64,
            /// Of `closed_callbacks`, callbacks answered by the caller (also in `answered` and
            /// `callbacks_completed`, with the wait from the opening).
            pub closed_callbacks_completed: u64,
            /// Mean time from the closed call (the request) to its answered callback, seconds:
            /// what the caller experienced overnight.
            pub closed_callback_delay_mean_s: Option<f64>,
            /// Callers on hold when the queue closed, disconnected then (`[queue.closed]
            /// waiting = "disconnect"`): an outcome, counted in the interval of their offer;
            /// not in the service level or the waits (they were neither answered nor
            /// abandoned). On `all`, the sum over queues.
            pub disconnected: u64,
            /// Closed-queue requests released here at the opening as `when_idle` legs
            /// (`[queue.closed] callbacks = "when_idle"`): outbound work, not of `offered`,
            /// never answered or abandoned (their callbacks are `closed_callbacks_completed`).
            /// This column and the next two are written only when a queue of the scenario
            /// releases its requests `when_idle` or states `callback_within`.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub outbound_callbacks: Option<u64>,
            /// Of `closed_callbacks + outbound_callbacks`, legs whose first attempt started
            /// within the queue's `callback_within` of the opening (0 without a promise).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub callbacks_within_target: Option<u64>,
            /// `callbacks_within_target ÷ (closed_callbacks + outbound_callbacks)`; empty
            /// where no leg was released or the queue states no promise.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub callbacks_within_target_share: Option<Option<f64>>,
            /// Of `answered`, calls whose agent consulted an agent of another queue at the end
            /// of talk and then ended them (`[[queue.transfer]] consult`; no leg follows, the
            /// second agent's time is in its pool's occupancy). Written only when a transfer
            /// of the scenario has a consult.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub consults: Option<u64>,
        }

        impl $name {
            /// Fills the three closed-queue callback columns from `t` (`promised`: the
            /// queue, or one of `all`'s, states `callback_within`), so they are written.
            pub fn with_callback_columns(mut self, t: &QueueTally, promised: bool) -> Self {
                let legs = t.closed_callbacks + t.outbound_callbacks;
                self.outbound_callbacks = Some(t.outbound_callbacks);
                self.callbacks_within_target = Some(t.callbacks_within_target);
                self.callbacks_within_target_share = Some(if promised {
                    ratio(t.callbacks_within_target as f64, legs as f64)
                } else {
                    None
                });
                self
            }

            /// Fills the `consults` column from `t`, so it is written.
            pub fn with_consults(mut self, t: &QueueTally) -> Self {
                self.consults = Some(t.consults);
                self
            }
        }
    };
}

metric_row! {
    /// One row of `intervals.csv`: one interval × queue (and `all`).
    IntervalRow {
        /// Start of the interval as the planner reads it ([`crate::time::Calendar::label`]):
        /// `2026-11-30T08:00` with `[scenario] start`, `d1 Mon 08:00` without.
        interval_start: String,
        /// Start of the interval in seconds since the horizon began.
        interval_start_s: f64,
    } then {
        /// Weekday of the interval's start: `Mon` … `Sun`.
        weekday: &'static str,
    }
}

metric_row! {
    /// One row of `summary.csv`: the whole horizon, per queue and `all`.
    SummaryRow {}
}

/// The inputs of one row: a queue's tally (or the sum of all) plus the IVR and pool context.
pub struct RowInputs<'a> {
    pub queue: &'a str,
    pub tally: &'a QueueTally,
    /// IVR outcomes; only for the `all` row.
    pub ivr: Option<&'a IvrTally>,
    /// Pools serving this queue, summed.
    pub pools: PoolTally,
    /// Length of the period in seconds (for time averages).
    pub period_s: f64,
}

/// The metric values of a row, computed once for both row types.
struct Derived {
    offered: u64,
    self_served: u64,
    hung_up_ivr: u64,
    in_system_at_end: u64,
    redials: u64,
    /// Callback legs of closed-queue requests (queue rows: of `offered`, not first attempts).
    callback_legs: u64,
    blocked: u64,
    w: WaitFigures,
    handle_time_mean_s: Option<f64>,
    occupancy: Option<f64>,
}

/// The service-level and wait figures of a tally (queue rows and class rows alike).
pub struct WaitFigures {
    pub service_level: Option<f64>,
    pub sl_of_answered: Option<f64>,
    pub sl_of_offered: Option<f64>,
    pub asa_s: Option<f64>,
    pub wait_mean_s: Option<f64>,
    pub p_wait: Option<f64>,
    pub abandon_rate: Option<f64>,
    /// Wait percentiles 50, 80, 90, 95, 99.
    pub p: [Option<f64>; 5],
}

pub fn derive_wait_figures(t: &QueueTally) -> WaitFigures {
    let (ans, ab) = (t.answered as f64, t.abandoned as f64);
    let left = ans + ab;
    WaitFigures {
        service_level: ratio(
            t.answered_within as f64,
            ans + (t.abandoned - t.abandoned_within) as f64,
        ),
        sl_of_answered: ratio(t.answered_within as f64, ans),
        sl_of_offered: ratio(t.answered_within as f64, left),
        asa_s: ratio(t.wait_answered_s, ans),
        wait_mean_s: ratio(t.wait_answered_s + t.wait_abandoned_s, left),
        p_wait: ratio(t.waited as f64, left),
        abandon_rate: ratio(ab, left),
        p: t.waits.quantiles([0.5, 0.8, 0.9, 0.95, 0.99]),
    }
}

fn derive(i: &RowInputs) -> Derived {
    let t = i.tally;
    let ans = t.answered as f64;
    let (offered, self_served, hung_up_ivr, in_ivr, redials, blocked) = match i.ivr {
        Some(v) => (
            v.arrived,
            v.self_served,
            v.hung_up,
            v.in_ivr_at_end,
            v.redials,
            v.blocked,
        ),
        None => (t.offered, 0, 0, 0, t.redials, 0),
    };
    // `all` counts calls (arrivals), so a callback leg is not in its `offered`.
    let callback_legs = if i.ivr.is_some() {
        0
    } else {
        t.closed_callbacks
    };
    Derived {
        offered,
        self_served,
        hung_up_ivr,
        in_system_at_end: in_ivr + t.in_queue_at_end,
        redials,
        callback_legs,
        blocked,
        w: derive_wait_figures(t),
        handle_time_mean_s: ratio(t.handle_s, ans),
        occupancy: ratio(i.pools.busy_area, i.pools.present_area),
    }
}

macro_rules! fill_row {
    ($name:ident, $i:expr, $d:expr, { $($extra:tt)* }) => {
        $name {
            $($extra)*
            queue: $i.queue.to_string(),
            offered: $d.offered,
            self_served: $d.self_served,
            hung_up_ivr: $d.hung_up_ivr,
            answered: $i.tally.answered,
            abandoned: $i.tally.abandoned,
            in_system_at_end: $d.in_system_at_end,
            answered_within_threshold: $i.tally.answered_within,
            abandoned_within_threshold: $i.tally.abandoned_within,
            service_level: $d.w.service_level,
            sl_of_answered: $d.w.sl_of_answered,
            sl_of_offered: $d.w.sl_of_offered,
            asa_s: $d.w.asa_s,
            wait_mean_s: $d.w.wait_mean_s,
            p_wait: $d.w.p_wait,
            abandon_rate: $d.w.abandon_rate,
            wait_p50_s: $d.w.p[0],
            wait_p80_s: $d.w.p[1],
            wait_p90_s: $d.w.p[2],
            wait_p95_s: $d.w.p[3],
            wait_p99_s: $d.w.p[4],
            handle_time_mean_s: $d.handle_time_mean_s,
            agents: avg($i.pools.scheduled_area, $i.period_s),
            agents_present: avg($i.pools.present_area, $i.period_s),
            occupancy: $d.occupancy,
            queue_length_mean: avg($i.tally.queue_area, $i.period_s),
            queue_length_peak: $i.tally.queue_peak,
            first_attempts: $d.offered - $d.redials - $d.callback_legs,
            redials: $d.redials,
            blocked: $d.blocked,
            closed: $i.tally.closed,
            closed_self_served: $i.tally.closed_self_served,
            callbacks_offered: $i.tally.callbacks_offered,
            callbacks_accepted: $i.tally.callbacks_accepted,
            callbacks_completed: $i.tally.callbacks_completed,
            callbacks_failed: $i.tally.callbacks_failed,
            callback_delay_mean_s: ratio(
                $i.tally.callback_delay_s,
                $i.tally.callbacks_completed as f64,
            ),
            transferred_in: $i.tally.transferred_in,
            transferred_out: $i.tally.transferred_out,
            journeys: $i.tally.journeys,
            journey_wait_mean_s: ratio($i.tally.journey_wait_s, $i.tally.journeys as f64),
            journeys_served_share: ratio(
                $i.tally.journeys_served as f64,
                $i.tally.journeys as f64
            ),
            closed_callback_requests: $i.tally.closed_callback_requests,
            closed_callbacks: $i.tally.closed_callbacks,
            closed_callbacks_completed: $i.tally.closed_callbacks_completed,
            closed_callback_delay_mean_s: ratio(
                $i.tally.closed_callback_delay_s,
                $i.tally.closed_callbacks_completed as f64
            ),
            disconnected: $i.tally.disconnected,
            outbound_callbacks: None,
            callbacks_within_target: None,
            callbacks_within_target_share: None,
            consults: None,
        }
    };
}

fn avg(area: f64, period: f64) -> f64 {
    if period > 0.0 { area / period } else { 0.0 }
}

impl IntervalRow {
    pub fn new(calendar: &Calendar, start_s: f64, i: &RowInputs) -> Self {
        let d = derive(i);
        fill_row!(IntervalRow, i, d, {
            interval_start: calendar.label(start_s),
            interval_start_s: start_s,
            weekday: calendar.weekday_label(start_s),
        })
    }
}

impl SummaryRow {
    pub fn new(i: &RowInputs) -> Self {
        let d = derive(i);
        fill_row!(SummaryRow, i, d, {})
    }
}

/// One row of `pools.csv`: one interval × pool, time-weighted.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PoolRow {
    /// Start of the interval: `2026-11-30T08:00`, or `d1 Mon 08:00` without a `start`.
    pub interval_start: String,
    /// Start of the interval in seconds since the horizon began.
    pub interval_start_s: f64,
    pub pool: String,
    /// Mean agents scheduled.
    pub agents: f64,
    /// Mean agents present (scheduled plus leaving agents finishing a call).
    pub agents_present: f64,
    /// Mean agents busy (talking or in wrap-up).
    pub agents_busy: f64,
    /// Busy ÷ present agent time; empty when no agent was present.
    pub occupancy: Option<f64>,
    /// Weekday of the interval's start: `Mon` … `Sun`.
    pub weekday: &'static str,
}

impl PoolRow {
    pub fn new(
        calendar: &Calendar,
        start_s: f64,
        pool: &str,
        t: &PoolTally,
        period_s: f64,
    ) -> Self {
        PoolRow {
            interval_start: calendar.label(start_s),
            interval_start_s: start_s,
            pool: pool.to_string(),
            agents: avg(t.scheduled_area, period_s),
            agents_present: avg(t.present_area, period_s),
            agents_busy: avg(t.busy_area, period_s),
            occupancy: ratio(t.busy_area, t.present_area),
            weekday: calendar.weekday_label(start_s),
        }
    }
}
