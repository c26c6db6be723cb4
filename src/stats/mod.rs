//! Streamed statistics: the [`Observer`] the engine tells every state change, and
//! [`IntervalStats`], the standard observer that keeps per-interval metrics in bounded memory.
//!
//! Convention (as contact-center reports do it): a call is counted in the interval in which it
//! was **offered**; its wait and outcome are added to that interval when known. Time-weighted
//! quantities accumulate in the interval in which they **occur**. A small ring holds the open
//! intervals; one closes (becomes rows) once its end has passed and no caller offered in it is
//! still in the IVR or waiting. Memory is bounded by the longest wait, not by the horizon.

pub mod cells;
pub mod classes;
pub mod fold;
mod histogram;
pub mod journeys;
pub mod replications;
mod tally;

use std::collections::VecDeque;

pub use histogram::WaitHistogram;
pub use tally::{IntervalRow, IvrTally, PoolRow, PoolTally, QueueTally, RowInputs, SummaryRow};

use crate::ivr::IvrEnd;
use crate::scenario::{Model, PoolId, QueueId};

/// The interval in which a call was offered (absolute interval number since the start).
pub type Tag = u32;

/// Headcount and activity of one pool at an instant.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PoolState {
    pub scheduled: u32,
    pub present: u32,
    pub busy: u32,
}

/// What the engine reports. Calls arrive in time order and every method is given the current
/// simulation time where it matters; the observer must not assume anything else about the engine.
pub trait Observer {
    /// A call arrived (`redial`: a caller who abandoned earlier calls again); returns the tag
    /// the engine stores with the caller.
    fn arrive(&mut self, t: f64, redial: bool) -> Tag;
    /// The caller's IVR path ended in self-service or a hang-up.
    fn ivr_end(&mut self, tag: Tag, end: IvrEnd);
    /// The caller was offered to queue `q` (answered at once or about to wait).
    fn offer(&mut self, tag: Tag, q: QueueId, redial: bool);
    /// The caller was answered after waiting `wait_s` with a handle time of `handle_s`.
    fn answer(&mut self, tag: Tag, q: QueueId, wait_s: f64, handle_s: f64);
    /// The caller hung up after waiting `wait_s`.
    fn abandon(&mut self, tag: Tag, q: QueueId, wait_s: f64);
    /// Queue `q` now holds `len` waiting callers (from time `t` on).
    fn queue_changed(&mut self, t: f64, q: QueueId, len: u32);
    /// Pool `p` changed state at time `t`.
    fn pool_changed(&mut self, t: f64, p: PoolId, state: PoolState);
    /// Time reached the end of the current interval; a new one starts unless `t` is the horizon.
    fn interval_boundary(&mut self, t: f64, last: bool);
    /// At the horizon: this caller was still in the IVR (`None`) or waiting in `q`.
    fn still_in_system(&mut self, tag: Tag, q: Option<QueueId>);
    /// The call found every line busy (`[center] lines`) and got a busy signal; it never
    /// reached the IVR or a queue.
    fn blocked(&mut self, tag: Tag);

    // Caller classes: told only for queues with `[[queue.class]]`, after the queue-level call
    // of the same name (so an observer without class figures ignores them: no-op defaults).

    /// The caller offered to `q` is of class `class` (index into the queue's classes).
    #[inline]
    fn class_offer(&mut self, _tag: Tag, _q: QueueId, _class: u8) {}
    /// A caller of class `class` was answered after waiting `wait_s`.
    #[inline]
    fn class_answer(&mut self, _tag: Tag, _q: QueueId, _class: u8, _wait_s: f64) {}
    /// A caller of class `class` hung up after waiting `wait_s`.
    #[inline]
    fn class_abandon(&mut self, _tag: Tag, _q: QueueId, _class: u8, _wait_s: f64) {}
    /// At the horizon: a caller of class `class` was still waiting in `q`.
    fn class_still_waiting(&mut self, _tag: Tag, _q: QueueId, _class: u8) {}
    /// A caller offered to queue `q` found it closed (opening hours): after the closed message
    /// they self-serve (`self_served`) or hang up. Their outcome, counted once.
    fn closed(&mut self, tag: Tag, q: QueueId, self_served: bool);

    // Callbacks (virtual hold): told only under a policy with `callback`, for queues with an
    // offer (engine/callbacks.rs); no-op defaults.

    /// A caller about to wait in `q` was offered a callback.
    #[inline]
    fn callback_offered(&mut self, _tag: Tag, _q: QueueId) {}
    /// The offered caller accepted: they hold a place in the line and never abandon.
    #[inline]
    fn callback_accepted(&mut self, _tag: Tag, _q: QueueId) {}
    /// The agent's callback was answered `delay_s` after the request; `answer` follows for the
    /// same caller (a completed callback is an answered call).
    #[inline]
    fn callback_completed(&mut self, _tag: Tag, _q: QueueId, _delay_s: f64) {}
    /// Every attempt went unanswered: the request is dropped. Their outcome, counted once.
    #[inline]
    fn callback_failed(&mut self, _tag: Tag, _q: QueueId) {}
    /// A failed callback request's caller was of class `class` (after `callback_failed`).
    #[inline]
    fn class_callback_failed(&mut self, _tag: Tag, _q: QueueId, _class: u8) {}

    // Closed-queue callback requests (`[queue.closed] callback`, engine/callbacks.rs): told
    // only for queues with a callback share; no-op defaults.

    /// The closed caller just counted by [`Self::closed`] left a callback request.
    #[inline]
    fn closed_callback_request(&mut self, _tag: Tag, _q: QueueId) {}
    /// A closed caller's request (tag `tag` of the closed call) joins `q`'s line at the opening
    /// as a new leg (offered on `q` next); returns the leg's tag.
    #[inline]
    fn closed_callback_due(&mut self, tag: Tag, _q: QueueId) -> Tag {
        tag
    }
    /// The callback of a closed-queue request was answered `delay_s` after the request
    /// (after `callback_completed` for the same leg).
    #[inline]
    fn closed_callback_completed(&mut self, _tag: Tag, _q: QueueId, _delay_s: f64) {}
    /// A closed-queue request of `q` (tag `tag` of the closed call) is released at the
    /// opening as a `when_idle` leg: outbound work, not an inbound leg (never `offer`ed or
    /// `answer`ed); returns the leg's tag. [`Self::outbound_done`] follows once.
    #[inline]
    fn outbound_leg(&mut self, tag: Tag, _q: QueueId) -> Tag {
        tag
    }
    /// The first attempt at closed-queue leg `tag` of `q` (either release) starts
    /// `since_opening_s` after its release at the opening (the `callback_within` promise).
    #[inline]
    fn outbound_dialled(&mut self, _tag: Tag, _q: QueueId, _since_opening_s: f64) {}
    /// `when_idle` leg `tag` of `q` is done: called back (after `closed_callback_completed`),
    /// dropped after its last unanswered attempt, or still to call at the horizon.
    #[inline]
    fn outbound_done(&mut self, _tag: Tag, _q: QueueId) {}
    // Transfers (`engine/transfers.rs`): told only for queues with `[[queue.transfer]]`.

    /// The call just answered (tag `tag`) will be transferred when its agent completes it:
    /// the caller is still in the system.
    #[inline]
    fn transfer_hold(&mut self, _tag: Tag) {}
    /// The held call `tag`, answered on `from`, goes on to `to` now as a new leg (offered on
    /// `to` next); returns the new leg's tag. `first`: the caller's first transfer — their
    /// journey starts, and the hold carries over to the journey until [`Self::journey_end`].
    #[inline]
    fn transfer(&mut self, tag: Tag, _from: QueueId, _to: QueueId, _first: bool) -> Tag {
        tag
    }
    /// The held call `tag`, answered on `from`, was consulted on with an agent of another
    /// queue at its talk end and then ended with its first agent (`[[queue.transfer]]
    /// consult`): the hold is released, no leg follows.
    #[inline]
    fn consulted(&mut self, _tag: Tag, _from: QueueId) {}
    /// The held call `tag`, answered on `from`, is in a conference with an agent of another
    /// queue (`[[queue.transfer]] conference`); [`Self::transfer`] follows for its leg.
    #[inline]
    fn conferenced(&mut self, _tag: Tag, _from: QueueId) {}
    /// A caller on hold in `q` after `wait_s` was disconnected: the queue closed
    /// (`[queue.closed] waiting = "disconnect"`), or the caller was transferred to `q` with
    /// no agent free under `[[queue.transfer]] when_busy = "disconnect"` (`wait_s` 0). Their
    /// outcome, counted once.
    #[inline]
    fn disconnected(&mut self, _tag: Tag, _q: QueueId, _wait_s: f64) {}
    /// The disconnected caller just reported was of class `class` (after `disconnected`).
    #[inline]
    fn class_disconnected(&mut self, _tag: Tag, _q: QueueId, _class: u8) {}
    /// A transferred caller's journey ended (last leg answered: `served`; or abandoned or
    /// closed) after `wait_s` of waiting across legs; `origin_tag`/`origin`: its first leg.
    #[inline]
    fn journey_end(&mut self, _origin_tag: Tag, _origin: QueueId, _wait_s: f64, _served: bool) {}

    // Journeys across attempts (`[redial] same_caller`, engine/redial.rs): told only then.

    /// Caller `tag` is offered to `q` for the first time: their journey across attempts
    /// starts (in the interval of this offer).
    #[inline]
    fn retrial_start(&mut self, _tag: Tag, _q: QueueId) {}
    /// The journey that started with offer `first_tag` on `q` ended after `attempts` calls
    /// and `hold_s` of waiting summed over them: answered (`answered`), or the caller gave up
    /// (their last attempt abandoned, or got a busy signal, and they did not call again).
    #[inline]
    fn retrial_end(
        &mut self,
        _first_tag: Tag,
        _q: QueueId,
        _hold_s: f64,
        _attempts: u32,
        _answered: bool,
    ) {
    }
}

/// An observer that keeps nothing: the engine's own cost, for benches.
#[derive(Debug, Default)]
pub struct NullObserver;

impl Observer for NullObserver {
    #[inline]
    fn arrive(&mut self, _: f64, _: bool) -> Tag {
        0
    }
    #[inline]
    fn ivr_end(&mut self, _: Tag, _: IvrEnd) {}
    #[inline]
    fn offer(&mut self, _: Tag, _: QueueId, _: bool) {}
    #[inline]
    fn answer(&mut self, _: Tag, _: QueueId, _: f64, _: f64) {}
    #[inline]
    fn abandon(&mut self, _: Tag, _: QueueId, _: f64) {}
    #[inline]
    fn queue_changed(&mut self, _: f64, _: QueueId, _: u32) {}
    #[inline]
    fn pool_changed(&mut self, _: f64, _: PoolId, _: PoolState) {}
    fn interval_boundary(&mut self, _: f64, _: bool) {}
    fn still_in_system(&mut self, _: Tag, _: Option<QueueId>) {}
    fn blocked(&mut self, _: Tag) {}
    fn closed(&mut self, _: Tag, _: QueueId, _: bool) {}
}

/// One interval that is still open: outcomes of its callers may still come in.
#[derive(Debug, Clone)]
struct OpenInterval {
    index: u64,
    ivr: IvrTally,
    queues: Vec<QueueTally>,
    pools: Vec<PoolTally>,
    /// Callers offered in this interval still in the IVR or waiting.
    pending: u64,
    /// Most callers waiting at once, all queues together (by occurrence).
    total_peak: u32,
    /// Per queue × class ([`classes::ClassLayout`]); empty without classes.
    classes: Vec<QueueTally>,
}

/// The fillers of a row's optional columns: `consults`, then the closed-queue callback
/// columns (given whether the row's queue states a promise).
type Fillers<R> = (fn(R, &QueueTally) -> R, fn(R, &QueueTally, bool) -> R);

/// Per-interval metrics in bounded memory. Closed intervals become rows, drained by the caller
/// between runs of the engine ([`IntervalStats::drain_rows`]); totals are kept for the summary.
#[derive(Debug)]
pub struct IntervalStats {
    interval_s: f64,
    queue_names: Vec<String>,
    pool_names: Vec<String>,
    /// Service-level threshold per queue, seconds.
    thresholds: Vec<f64>,
    /// Per queue, the closed-queue callback promise (`callback_within`), seconds.
    within: Vec<Option<f64>>,
    /// Rows carry the closed-queue callback columns (a queue releases `when_idle` or states
    /// `callback_within`).
    callback_columns: bool,
    /// A transfer of the scenario has a consult: rows carry the `consults` column.
    consult_column: bool,
    /// For each queue, the pools serving it.
    pools_of_queue: Vec<Vec<usize>>,
    ring: VecDeque<OpenInterval>,
    spare: Vec<OpenInterval>,
    /// Index of the interval in which time now is (the ring's back).
    current: u64,
    // Time-weighted state, by occurrence, for the current interval. Index nq is the total.
    q_len: Vec<u32>,
    q_last: Vec<f64>,
    q_area: Vec<f64>,
    q_peak: Vec<u32>,
    p_state: Vec<PoolState>,
    /// Per pool, since when each of (scheduled, present, busy) has held its value.
    p_since: Vec<[f64; 3]>,
    p_tally: Vec<PoolTally>,
    // Totals over closed intervals.
    total_ivr: IvrTally,
    total_queues: Vec<QueueTally>,
    total_pools: Vec<PoolTally>,
    closed_time_s: f64,
    /// Reused for the `all` tally of each closing interval (an `Option` so that taking it
    /// does not allocate a replacement histogram).
    scratch: Option<QueueTally>,
    interval_rows: Vec<IntervalRow>,
    pool_rows: Vec<PoolRow>,
    /// Labels the rows' instants.
    calendar: crate::time::Calendar,
    /// Intervals starting before this (seconds) are dropped: no rows, not in the totals.
    warmup_s: f64,
    /// Caller classes: layout, whole-run tallies and closed rows (`None` without classes).
    classes: Option<ClassBook>,
    /// Journeys across attempts, whole run (`None` unless `[redial] same_caller`).
    journeys: Option<journeys::Journeys>,
}

/// The per-class part of [`IntervalStats`].
#[derive(Debug)]
struct ClassBook {
    layout: classes::ClassLayout,
    totals: Vec<QueueTally>,
    rows: Vec<classes::ClassIntervalRow>,
}

impl IntervalStats {
    pub fn new(model: &Model) -> Self {
        let nq = model.queues.len();
        let np = model.pools.len();
        let mut pools_of_queue = vec![Vec::new(); nq];
        for (p, pool) in model.pools.iter().enumerate() {
            for q in &pool.serves {
                pools_of_queue[q.0 as usize].push(p);
            }
        }
        let mut s = IntervalStats {
            interval_s: model.interval_s,
            queue_names: model.queues.iter().map(|q| q.name.clone()).collect(),
            pool_names: model.pools.iter().map(|p| p.name.clone()).collect(),
            thresholds: model.queues.iter().map(|q| q.sl_threshold_s).collect(),
            within: model
                .queues
                .iter()
                .map(|q| q.closed_release.within_s)
                .collect(),
            callback_columns: model
                .queues
                .iter()
                .any(|q| q.closed_release != crate::scenario::ClosedRelease::default()),
            consult_column: model
                .extras
                .transfers
                .iter()
                .flatten()
                .any(|t| matches!(t.handoff, crate::scenario::Handoff::Consult(_))),
            pools_of_queue,
            ring: VecDeque::new(),
            spare: Vec::new(),
            current: 0,
            q_len: vec![0; nq + 1],
            q_last: vec![0.0; nq + 1],
            q_area: vec![0.0; nq + 1],
            q_peak: vec![0; nq + 1],
            p_state: vec![PoolState::default(); np],
            p_since: vec![[0.0; 3]; np],
            p_tally: vec![PoolTally::default(); np],
            total_ivr: IvrTally::default(),
            total_queues: vec![QueueTally::default(); nq + 1],
            total_pools: vec![PoolTally::default(); np],
            closed_time_s: 0.0,
            scratch: None,
            interval_rows: Vec::new(),
            pool_rows: Vec::new(),
            calendar: model.calendar,
            warmup_s: 0.0,
            classes: classes::ClassLayout::of(model).map(|layout| ClassBook {
                totals: vec![QueueTally::default(); layout.len()],
                layout,
                rows: Vec::new(),
            }),
            journeys: journeys::Journeys::of(model),
        };
        let first = s.fresh(0);
        s.ring.push_back(first);
        s
    }

    fn fresh(&mut self, index: u64) -> OpenInterval {
        match self.spare.pop() {
            Some(mut o) => {
                o.index = index;
                o.ivr = IvrTally::default();
                o.queues.iter_mut().for_each(QueueTally::clear);
                o.pools.iter_mut().for_each(|p| *p = PoolTally::default());
                o.pending = 0;
                o.total_peak = 0;
                o.classes.iter_mut().for_each(QueueTally::clear);
                o
            }
            None => OpenInterval {
                index,
                ivr: IvrTally::default(),
                queues: vec![QueueTally::default(); self.queue_names.len()],
                pools: vec![PoolTally::default(); self.pool_names.len()],
                pending: 0,
                total_peak: 0,
                classes: vec![
                    QueueTally::default();
                    self.classes.as_ref().map_or(0, |c| c.layout.len())
                ],
            },
        }
    }

    #[inline]
    fn slot(&mut self, tag: Tag) -> &mut OpenInterval {
        let base = self.ring.front().map_or(0, |o| o.index);
        let i = (u64::from(tag) - base) as usize;
        &mut self.ring[i]
    }

    /// Rows of intervals closed since the last drain, in time order (queues, then `all`).
    pub fn drain_rows(
        &mut self,
    ) -> (
        std::vec::Drain<'_, IntervalRow>,
        std::vec::Drain<'_, PoolRow>,
    ) {
        (self.interval_rows.drain(..), self.pool_rows.drain(..))
    }

    /// `class_intervals.csv` rows of intervals closed since the last drain (none without
    /// caller classes).
    pub fn drain_class_rows(&mut self) -> Vec<classes::ClassIntervalRow> {
        self.classes
            .as_mut()
            .map(|c| std::mem::take(&mut c.rows))
            .unwrap_or_default()
    }

    /// `classes.csv` rows: whole-run figures per queue × class (`None` without classes).
    pub fn class_summary(&self) -> Option<Vec<classes::ClassRow>> {
        self.classes
            .as_ref()
            .map(|c| c.layout.summary_rows(&c.totals))
    }

    /// `journeys.csv` rows: whole-run journeys across attempts per queue and `all` (`None`
    /// unless `[redial] same_caller`).
    pub fn journey_summary(&self) -> Option<Vec<journeys::JourneyRow>> {
        self.journeys.as_ref().map(journeys::Journeys::rows)
    }

    /// Drops the statistics of every interval starting before `warmup_s` (a steady-state
    /// study's warm-up): they give no rows and stay out of the summary and wait histograms.
    pub fn set_warmup(&mut self, warmup_s: f64) {
        self.warmup_s = warmup_s;
    }

    /// Number of intervals still open (for tests of bounded memory).
    pub fn open_intervals(&self) -> usize {
        self.ring.len()
    }

    /// Closes every open interval (call after the horizon has been reported).
    pub fn finish(&mut self) {
        while let Some(o) = self.ring.pop_front() {
            self.close(o);
        }
    }

    fn close(&mut self, mut o: OpenInterval) {
        let start = o.index as f64 * self.interval_s;
        if start < self.warmup_s {
            o.ivr = IvrTally::default();
            self.spare.push(o);
            return;
        }
        let period = self.interval_s;
        let mut all = self.scratch.take().unwrap_or_default();
        all.clear();
        for (q, t) in o.queues.iter().enumerate() {
            let pools = sum_pools(&o.pools, &self.pools_of_queue[q]);
            let row = IntervalRow::new(
                &self.calendar,
                start,
                &RowInputs {
                    queue: &self.queue_names[q],
                    tally: t,
                    ivr: None,
                    pools,
                    period_s: period,
                },
            );
            self.interval_rows.push(self.callback_columns(
                row,
                t,
                Some(q),
                (
                    IntervalRow::with_consults,
                    IntervalRow::with_callback_columns,
                ),
            ));
            all.add(t);
            self.total_queues[q].add(t);
        }
        // The `all` row: areas add up; the peak of the sum is tracked on its own.
        let nq = self.queue_names.len();
        all.queue_peak = o.total_peak;
        let every: Vec<usize> = (0..self.pool_names.len()).collect();
        let pools = sum_pools(&o.pools, &every);
        let row = IntervalRow::new(
            &self.calendar,
            start,
            &RowInputs {
                queue: "all",
                tally: &all,
                ivr: Some(&o.ivr),
                pools,
                period_s: period,
            },
        );
        self.interval_rows.push(self.callback_columns(
            row,
            &all,
            None,
            (
                IntervalRow::with_consults,
                IntervalRow::with_callback_columns,
            ),
        ));
        // The whole run's `all` histogram is merged once, in `summary`, not per interval.
        self.total_queues[nq].add_counts(&all);
        self.scratch = Some(all);
        self.total_ivr.add(&o.ivr);
        for (p, t) in o.pools.iter().enumerate() {
            self.pool_rows.push(PoolRow::new(
                &self.calendar,
                start,
                &self.pool_names[p],
                t,
                period,
            ));
            self.total_pools[p].add(t);
        }
        if let Some(c) = &mut self.classes {
            c.rows
                .extend(c.layout.interval_rows(&self.calendar, start, &o.classes));
            for (total, t) in c.totals.iter_mut().zip(&o.classes) {
                total.add(t);
            }
        }
        self.closed_time_s += period;
        o.ivr = IvrTally::default();
        self.spare.push(o);
    }

    /// `row` of queue `q` (`None`: `all`) with the optional columns filled when the scenario
    /// has them: `consults` (a transfer with a consult) and the closed-queue callback columns
    /// by `fill` (a queue releasing `when_idle` or stating `callback_within`); otherwise the
    /// row, and the file, stay without them.
    fn callback_columns<R>(
        &self,
        row: R,
        t: &QueueTally,
        q: Option<usize>,
        (consults, fill): Fillers<R>,
    ) -> R {
        let row = if self.consult_column {
            consults(row, t)
        } else {
            row
        };
        if !self.callback_columns {
            return row;
        }
        let promised = match q {
            Some(q) => self.within[q].is_some(),
            None => self.within.iter().any(Option::is_some),
        };
        fill(row, t, promised)
    }

    /// Whole-horizon rows, per queue and `all`, from the closed intervals.
    pub fn summary(&self) -> Vec<SummaryRow> {
        let nq = self.queue_names.len();
        let mut rows = Vec::with_capacity(nq + 1);
        let mut all = self.total_queues[nq].clone();
        all.waits = self.waits(None);
        for q in 0..nq {
            let row = SummaryRow::new(&RowInputs {
                queue: &self.queue_names[q],
                tally: &self.total_queues[q],
                ivr: None,
                pools: sum_pools(&self.total_pools, &self.pools_of_queue[q]),
                period_s: self.closed_time_s,
            });
            let t = &self.total_queues[q];
            rows.push(self.callback_columns(
                row,
                t,
                Some(q),
                (SummaryRow::with_consults, SummaryRow::with_callback_columns),
            ));
        }
        let every: Vec<usize> = (0..self.pool_names.len()).collect();
        let row = SummaryRow::new(&RowInputs {
            queue: "all",
            tally: &all,
            ivr: Some(&self.total_ivr),
            pools: sum_pools(&self.total_pools, &every),
            period_s: self.closed_time_s,
        });
        rows.push(self.callback_columns(
            row,
            &all,
            None,
            (SummaryRow::with_consults, SummaryRow::with_callback_columns),
        ));
        rows
    }

    /// The merged wait histogram of the whole horizon for queue `q` (or all queues for `None`).
    pub fn waits(&self, q: Option<QueueId>) -> WaitHistogram {
        match q {
            Some(q) => self.total_queues[q.0 as usize].waits.clone(),
            None => {
                let mut all = WaitHistogram::default();
                for t in &self.total_queues[..self.queue_names.len()] {
                    all.merge(&t.waits);
                }
                all
            }
        }
    }

    #[inline]
    /// A new leg (transferred in, or a closed-queue callback) is offered on `q` now: pending
    /// in the current interval; the queue's tally there to count it.
    fn new_leg(&mut self, q: QueueId) -> &mut QueueTally {
        let back = self
            .ring
            .back_mut()
            .expect("the current interval is always open");
        back.pending += 1;
        &mut back.queues[q.0 as usize]
    }

    fn flush_queue(&mut self, i: usize, t: f64) {
        self.q_area[i] += f64::from(self.q_len[i]) * (t - self.q_last[i]);
        self.q_last[i] = t;
    }

    /// Adds pool `p`'s areas up to `t`: the headcounts (scheduled, present) only when they
    /// change to `next` or at an interval boundary (`boundary`), so a headcount constant over
    /// an interval adds n × (boundary − start) in one product and its time average is n
    /// exactly, in every replication (summed event by event, it differed in its last bits and
    /// gave a spread of 1e-7 instead of 0); the busy agents, which change at almost every
    /// event, at every call (two compares and one product fewer on the hot path).
    #[inline]
    fn flush_pool(&mut self, p: usize, t: f64, next: PoolState, boundary: bool) {
        let s = self.p_state[p];
        let since = &mut self.p_since[p];
        let acc = &mut self.p_tally[p];
        // Busy agents change at almost every event: flushed every time (hot path).
        acc.busy_area += f64::from(s.busy) * (t - since[2]);
        since[2] = t;
        if boundary || s.scheduled != next.scheduled {
            acc.scheduled_area += f64::from(s.scheduled) * (t - since[0]);
            since[0] = t;
        }
        if boundary || s.present != next.present {
            acc.present_area += f64::from(s.present) * (t - since[1]);
            since[1] = t;
        }
    }
}

impl IntervalStats {
    #[inline]
    fn class_index(&self, q: QueueId, class: u8) -> Option<usize> {
        self.classes.as_ref().map(|c| c.layout.index(q, class))
    }
}

fn sum_pools(pools: &[PoolTally], which: &[usize]) -> PoolTally {
    let mut s = PoolTally::default();
    for &p in which {
        s.add(&pools[p]);
    }
    s
}

impl Observer for IntervalStats {
    #[inline]
    fn arrive(&mut self, _t: f64, redial: bool) -> Tag {
        let back = self
            .ring
            .back_mut()
            .expect("the current interval is always open");
        back.ivr.arrived += 1;
        back.ivr.redials += u64::from(redial);
        back.pending += 1;
        self.current as Tag
    }

    #[inline]
    fn ivr_end(&mut self, tag: Tag, end: IvrEnd) {
        let o = self.slot(tag);
        match end {
            IvrEnd::SelfService => o.ivr.self_served += 1,
            IvrEnd::HangUp => o.ivr.hung_up += 1,
            IvrEnd::Queue(_) => return,
        }
        o.pending -= 1;
    }

    #[inline]
    fn offer(&mut self, tag: Tag, q: QueueId, redial: bool) {
        let t = &mut self.slot(tag).queues[q.0 as usize];
        t.offered += 1;
        t.redials += u64::from(redial);
    }

    #[inline]
    fn answer(&mut self, tag: Tag, q: QueueId, wait_s: f64, handle_s: f64) {
        let threshold = self.thresholds[q.0 as usize];
        let o = self.slot(tag);
        o.pending -= 1;
        o.queues[q.0 as usize].record_answer(wait_s, handle_s, threshold);
    }

    #[inline]
    fn abandon(&mut self, tag: Tag, q: QueueId, wait_s: f64) {
        let threshold = self.thresholds[q.0 as usize];
        let o = self.slot(tag);
        o.pending -= 1;
        o.queues[q.0 as usize].record_abandon(wait_s, threshold);
    }

    #[inline]
    fn queue_changed(&mut self, t: f64, q: QueueId, len: u32) {
        let i = q.0 as usize;
        let total = self.q_len.len() - 1;
        self.flush_queue(i, t);
        self.flush_queue(total, t);
        let old = self.q_len[i];
        self.q_len[i] = len;
        self.q_len[total] = self.q_len[total] + len - old;
        self.q_peak[i] = self.q_peak[i].max(len);
        self.q_peak[total] = self.q_peak[total].max(self.q_len[total]);
    }

    #[inline]
    fn pool_changed(&mut self, t: f64, p: PoolId, state: PoolState) {
        let i = p.0 as usize;
        self.flush_pool(i, t, state, false);
        self.p_state[i] = state;
    }

    fn interval_boundary(&mut self, t: f64, last: bool) {
        let nq = self.queue_names.len();
        for i in 0..=nq {
            self.flush_queue(i, t);
        }
        for p in 0..self.p_state.len() {
            self.flush_pool(p, t, self.p_state[p], true);
        }
        let back = self
            .ring
            .back_mut()
            .expect("the current interval is always open");
        for i in 0..nq {
            back.queues[i].queue_area = std::mem::take(&mut self.q_area[i]);
            back.queues[i].queue_peak = std::mem::replace(&mut self.q_peak[i], self.q_len[i]);
        }
        self.q_area[nq] = 0.0;
        back.total_peak = std::mem::replace(&mut self.q_peak[nq], self.q_len[nq]);
        for (p, acc) in self.p_tally.iter_mut().enumerate() {
            back.pools[p] = std::mem::take(acc);
        }
        if last {
            return;
        }
        self.current += 1;
        let next = self.fresh(self.current);
        self.ring.push_back(next);
        while self
            .ring
            .front()
            .is_some_and(|o| o.index < self.current && o.pending == 0)
        {
            let o = self.ring.pop_front().expect("checked above");
            self.close(o);
        }
    }

    #[inline]
    fn class_offer(&mut self, tag: Tag, q: QueueId, class: u8) {
        if let Some(i) = self.class_index(q, class) {
            self.slot(tag).classes[i].offered += 1;
        }
    }

    #[inline]
    fn class_answer(&mut self, tag: Tag, q: QueueId, class: u8, wait_s: f64) {
        if let Some(i) = self.class_index(q, class) {
            let threshold = self.thresholds[q.0 as usize];
            // Handle times are a queue figure; the class rows carry waits and outcomes.
            self.slot(tag).classes[i].record_answer(wait_s, 0.0, threshold);
        }
    }

    #[inline]
    fn class_abandon(&mut self, tag: Tag, q: QueueId, class: u8, wait_s: f64) {
        if let Some(i) = self.class_index(q, class) {
            let threshold = self.thresholds[q.0 as usize];
            self.slot(tag).classes[i].record_abandon(wait_s, threshold);
        }
    }

    fn class_still_waiting(&mut self, tag: Tag, q: QueueId, class: u8) {
        if let Some(i) = self.class_index(q, class) {
            self.slot(tag).classes[i].in_queue_at_end += 1;
        }
    }

    fn still_in_system(&mut self, tag: Tag, q: Option<QueueId>) {
        let o = self.slot(tag);
        o.pending -= 1;
        match q {
            None => o.ivr.in_ivr_at_end += 1,
            Some(q) => o.queues[q.0 as usize].in_queue_at_end += 1,
        }
    }

    fn blocked(&mut self, tag: Tag) {
        let o = self.slot(tag);
        o.pending -= 1;
        o.ivr.blocked += 1;
    }

    fn closed(&mut self, tag: Tag, q: QueueId, self_served: bool) {
        let o = self.slot(tag);
        o.pending -= 1;
        let t = &mut o.queues[q.0 as usize];
        t.closed += 1;
        t.closed_self_served += u64::from(self_served);
    }

    fn callback_offered(&mut self, tag: Tag, q: QueueId) {
        self.slot(tag).queues[q.0 as usize].callbacks_offered += 1;
    }

    fn callback_accepted(&mut self, tag: Tag, q: QueueId) {
        self.slot(tag).queues[q.0 as usize].callbacks_accepted += 1;
    }

    fn callback_completed(&mut self, tag: Tag, q: QueueId, delay_s: f64) {
        let t = &mut self.slot(tag).queues[q.0 as usize];
        t.callbacks_completed += 1;
        t.callback_delay_s += delay_s;
    }

    fn callback_failed(&mut self, tag: Tag, q: QueueId) {
        let o = self.slot(tag);
        o.pending -= 1;
        o.queues[q.0 as usize].callbacks_failed += 1;
    }

    fn class_callback_failed(&mut self, tag: Tag, q: QueueId, class: u8) {
        if let Some(i) = self.class_index(q, class) {
            self.slot(tag).classes[i].callbacks_failed += 1;
        }
    }

    fn transfer_hold(&mut self, tag: Tag) {
        self.slot(tag).pending += 1;
    }

    fn closed_callback_request(&mut self, tag: Tag, q: QueueId) {
        self.slot(tag).queues[q.0 as usize].closed_callback_requests += 1;
    }

    fn closed_callback_due(&mut self, _tag: Tag, q: QueueId) -> Tag {
        self.new_leg(q).closed_callbacks += 1;
        self.current as Tag
    }

    fn closed_callback_completed(&mut self, tag: Tag, q: QueueId, delay_s: f64) {
        let t = &mut self.slot(tag).queues[q.0 as usize];
        t.closed_callbacks_completed += 1;
        t.closed_callback_delay_s += delay_s;
    }

    fn outbound_leg(&mut self, _tag: Tag, q: QueueId) -> Tag {
        self.new_leg(q).outbound_callbacks += 1;
        self.current as Tag
    }

    fn outbound_dialled(&mut self, tag: Tag, q: QueueId, since_opening_s: f64) {
        if let Some(w) = self.within[q.0 as usize] {
            self.slot(tag).queues[q.0 as usize].callbacks_within_target +=
                u64::from(since_opening_s <= w);
        }
    }

    fn outbound_done(&mut self, tag: Tag, _q: QueueId) {
        self.slot(tag).pending -= 1;
    }

    fn transfer(&mut self, tag: Tag, from: QueueId, to: QueueId, first: bool) -> Tag {
        let o = self.slot(tag);
        o.queues[from.0 as usize].transferred_out += 1;
        if !first {
            o.pending -= 1;
        }
        self.new_leg(to).transferred_in += 1;
        self.current as Tag
    }

    fn consulted(&mut self, tag: Tag, from: QueueId) {
        let o = self.slot(tag);
        o.pending -= 1;
        o.queues[from.0 as usize].consults += 1;
    }

    fn disconnected(&mut self, tag: Tag, q: QueueId, _wait_s: f64) {
        let o = self.slot(tag);
        o.pending -= 1;
        o.queues[q.0 as usize].disconnected += 1;
    }

    fn class_disconnected(&mut self, tag: Tag, q: QueueId, class: u8) {
        if let Some(i) = self.class_index(q, class) {
            self.slot(tag).classes[i].disconnected += 1;
        }
    }

    fn retrial_start(&mut self, tag: Tag, q: QueueId) {
        let start = f64::from(tag) * self.interval_s;
        if let (Some(j), false) = (&mut self.journeys, start < self.warmup_s) {
            j.start(q);
        }
    }

    fn retrial_end(
        &mut self,
        first_tag: Tag,
        q: QueueId,
        hold_s: f64,
        attempts: u32,
        answered: bool,
    ) {
        let start = f64::from(first_tag) * self.interval_s;
        if let (Some(j), false) = (&mut self.journeys, start < self.warmup_s) {
            j.end(q, hold_s, attempts, answered);
        }
    }

    fn journey_end(&mut self, origin_tag: Tag, origin: QueueId, wait_s: f64, served: bool) {
        let o = self.slot(origin_tag);
        o.pending -= 1;
        let t = &mut o.queues[origin.0 as usize];
        t.journeys += 1;
        t.journeys_served += u64::from(served);
        t.journey_wait_s += wait_s;
    }
}
