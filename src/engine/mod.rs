//! The one event loop. It knows events and time; the [`Router`] decides who serves whom, the
//! [`Observer`] sees every state change, and nothing here knows CSV or charts.
//!
//! # The path of a call
//! arrival (pulled from the [`ArrivalSource`], never stored in the calendar) → IVR walk drawn at
//! once → IVR exit event → queue: answered at once by an idle agent, or waits with a patience
//! deadline event → answered by a freed agent, or abandons at its deadline. An answered call
//! books its agent until one completion event (talk + wrap-up).
//! Under a policy with `callback`, a caller who would wait may take a callback instead: they
//! keep their place without a deadline and the agent who reaches them calls back
//! (engine/callbacks.rs).
//!
//! # Events
//! Pending events are few: IVR exits, busy agents' completions, patience deadlines of waiting
//! callers and the next interval boundary. Abandonment is lazy: a deadline event whose caller is
//! no longer waiting (or whose slot now holds another caller with another deadline) is ignored
//! when it pops, so answering a caller costs no search in the calendar.
//!
//! At equal times, calendar events (in insertion order) come before an arrival, so an agent
//! freed or starting a shift at time t is there for a call arriving at t.
//!
//! # Randomness
//! Each caller's IVR path, patience, handle time and wrap-up come from the caller's own streams
//! (keyed by seed, replication and caller number), drawn only when needed; arrival times from
//! the arrival source's stream. Same inputs, same bits.

pub mod calendar;
mod callbacks;
mod footprint;
mod hours;
mod lines;
mod overflow;
mod redial;
pub mod reference;
mod transfers;

use crate::arrivals::{Arrival, ArrivalSource, Entry};
use crate::ivr::{self, IvrEnd};
use crate::random::{Purpose, StreamKey};
use crate::routing::{CallInfo, Caller, CallerState, Floor, Journey, Retrial, Router, classes};
use crate::scenario::{Model, PoolId, QueueId, StaffingDrop};
use crate::stats::{Observer, PoolState};
use calendar::Calendar;
pub use footprint::Footprint;

/// An event's payload: its kind in the top 4 bits, a caller slot or agent id below (up to
/// 2^28, far above [`MAX_IN_SYSTEM`]). Kinds 5–8 are for opening hours (5), closed-queue
/// callback requests (6), callbacks (7) and transfers at talk end (8); 9–10 for lines and
/// overflow; 11–12 reserved for caller classes; 13–15 free.
const KIND_SHIFT: u32 = 28;
const INDEX_MASK: u32 = (1 << KIND_SHIFT) - 1;
const IVR_EXIT: u32 = 0;
const COMPLETE: u32 = 1;
const ABANDON: u32 = 2;
const BOUNDARY: u32 = 3;
const REDIAL: u32 = 4;
/// The closed message of a closed queue ends (engine/hours.rs).
const CLOSED_END: u32 = 5;
/// A queue opens with closed callers' callback requests pending (engine/callbacks.rs); the
/// index is the queue.
const CLOSED_CALLBACKS: u32 = 6;
/// An unanswered callback request returns to its line (engine/callbacks.rs).
const CALLBACK_RETRY: u32 = 7;
/// The talk of a call to transfer at end of talk (blind, or after a consult or conference)
/// ended; the index is the agent (`transfers.rs`).
const TRANSFER: u32 = 8;
/// A call's talk ended and lines are limited: its line is free (`lines.rs`).
const LINE_FREE: u32 = 9;
/// A waiting call reached a pool's `after` in its routing table (`overflow.rs`).
const OVERFLOW: u32 = 10;

/// The `PLAIN` argument of the event handlers for calls from the policies' own files and from
/// rare events: every behaviour is tested for at run time.
const RICH: bool = false;

/// Most callers in the IVR, waiting or about to redial at once (checked at every interval
/// boundary). A scenario that piles up more has no capacity for its callers — say, a queue
/// nobody staffs whose callers never give up — and would need memory growing with the horizon.
pub const MAX_IN_SYSTEM: usize = 2_000_000;

/// Per-pool headcount bookkeeping.
#[derive(Debug, Clone, Default)]
struct PoolBook {
    /// Every agent id ever created for this pool.
    members: Vec<u32>,
    /// Agents not on the floor, ready to be reused.
    off: Vec<u32>,
    state: PoolState,
    /// Busy agents to leave after their call: marked ones (`staffing_drop = "designated"`),
    /// or the next ones to finish (`"first_free"`, no agent is marked).
    leaving: u32,
}

/// A simulation run of one model with one arrival source, router and observer.
pub struct Engine<'m, A: ArrivalSource, R: Router, O: Observer> {
    model: &'m Model,
    arrivals: A,
    router: R,
    observer: O,
    key: StreamKey,
    calendar: Calendar,
    floor: Floor,
    books: Vec<PoolBook>,
    next_arrival: Option<Arrival>,
    callers_seen: u64,
    now: f64,
    horizon: f64,
    /// Next interval boundary number (1 = end of the first interval).
    next_boundary: u64,
    boundaries: u64,
    finished: bool,
    /// The run stopped early because more than [`MAX_IN_SYSTEM`] callers were in the system.
    overflowed: bool,
    /// Line capacity, if limited (`[center] lines`).
    lines: Option<lines::Lines>,
    /// Callback requests by caller slot (empty unless callbacks run).
    callbacks: callbacks::Requests,
    /// Calls in agents' hands to transfer at completion, if any queue has transfers.
    transfers: Option<transfers::Transfers>,
    /// Handle-time factor per pool × queue (`pool * queues + queue`); empty when every pool's
    /// factors are 1.
    factors: Vec<f64>,
    /// Queues with `[queue.closed] waiting = "disconnect"` (usually none).
    disconnecting: Vec<QueueId>,
    /// Slots of callers being disconnected at a closing (reused; empty between boundaries).
    disconnected: Vec<u32>,
    /// `[center] staffing_drop = "first_free"`: a headcount drop marks no agent; the pool's
    /// next agents to finish a call leave.
    first_free: bool,
    /// `[redial] same_caller`: redials are the same caller, whose journey is followed
    /// (engine/redial.rs).
    same_caller: bool,
    /// None of the queue policies' behaviours is configured (no line limit, opening hours,
    /// caller classes, routing tables with priorities or delays, callbacks, transfers or `first_free` drops): the loop runs
    /// its `PLAIN` copy.
    plain: bool,
}

impl<'m, A: ArrivalSource, R: Router, O: Observer> Engine<'m, A, R, O> {
    /// A run of `model` (replication `replication` of seed `seed`).
    pub fn new(model: &'m Model, arrivals: A, router: R, observer: O, key: StreamKey) -> Self {
        let floor = Floor::new(model);
        let lines = lines::Lines::new(model);
        let transfers = transfers::Transfers::new(model);
        let factors: Vec<f64> = if model.pools.iter().all(|p| p.handle_time_factor.is_empty()) {
            Vec::new()
        } else {
            model
                .pools
                .iter()
                .flat_map(|p| (0..model.queues.len()).map(|q| p.handle_factor(QueueId(q as u32))))
                .collect()
        };
        let same_caller = model.extras.redial.as_ref().is_some_and(|r| r.same_caller);
        let plain = factors.is_empty()
            && !same_caller
            && lines.is_none()
            && transfers.is_none()
            && floor.takes.is_none()
            && !model.policy.callbacks
            && model.center.staffing_drop == StaffingDrop::Designated
            && !model.center.agent_choice.picks_agent()
            && model
                .queues
                .iter()
                .all(|q| q.hours.is_none() && q.classes.is_empty());
        let mut e = Engine {
            model,
            arrivals,
            router,
            observer,
            key,
            calendar: Calendar::with_capacity(1024),
            floor,
            books: vec![PoolBook::default(); model.pools.len()],
            next_arrival: None,
            callers_seen: 0,
            now: 0.0,
            horizon: model.horizon_s(),
            next_boundary: 1,
            boundaries: model.interval_count(),
            finished: false,
            overflowed: false,
            lines,
            callbacks: callbacks::Requests::default(),
            transfers,
            first_free: model.center.staffing_drop == StaffingDrop::FirstFree,
            same_caller,
            disconnecting: (0..model.queues.len())
                .filter(|&q| {
                    model.queues[q]
                        .hours
                        .as_ref()
                        .is_some_and(|h| h.disconnect_waiting)
                })
                .map(|q| QueueId(q as u32))
                .collect(),
            disconnected: Vec::new(),
            factors,
            plain,
        };
        e.next_arrival = e.arrivals.next_arrival();
        e.apply_headcount(0);
        e.schedule_boundary();
        e
    }

    /// Runs the whole horizon.
    pub fn run(&mut self) {
        self.run_until(f64::INFINITY);
    }

    /// Processes every arrival and event at or before `limit` (or to the horizon).
    pub fn run_until(&mut self, limit: f64) {
        if self.plain {
            self.run_loop::<true>(limit)
        } else {
            self.run_loop::<false>(limit)
        }
    }

    /// The loop, compiled twice: `PLAIN` (no behaviour of the queue policies configured, see
    /// [`Engine::plain`]) drops their tests from every event at compile time, so the
    /// single-queue `fifo` path pays nothing for them.
    #[inline(always)]
    fn run_loop<const PLAIN: bool>(&mut self, limit: f64) {
        while !self.finished {
            let ev = self.calendar.peek_time();
            let arr = self.next_arrival.map_or(f64::INFINITY, |a| a.at);
            if arr < ev {
                if arr > limit {
                    return;
                }
                let a = self.next_arrival.take().expect("arrival time is finite");
                self.now = a.at;
                self.arrive::<PLAIN>(a);
                self.next_arrival = self.arrivals.next_arrival();
            } else {
                if ev > limit {
                    return;
                }
                let Some((t, payload)) = self.calendar.pop() else {
                    return;
                };
                self.now = t;
                let index = payload & INDEX_MASK;
                match payload >> KIND_SHIFT {
                    IVR_EXIT => self.ivr_exit::<PLAIN>(index),
                    COMPLETE => self.complete::<PLAIN>(index),
                    ABANDON => self.abandon::<PLAIN>(index),
                    REDIAL => self.redial::<PLAIN>(index),
                    CLOSED_END => self.closed_end(index),
                    CLOSED_CALLBACKS => self.closed_callbacks_due(index),
                    CALLBACK_RETRY => self.callback_retry(index),
                    TRANSFER => self.talk_end_transfer(index),
                    LINE_FREE => self.free_line(),
                    OVERFLOW => self.overflow_due(index),
                    _ => self.boundary(),
                }
            }
        }
    }

    /// True when the run stopped early with more than [`MAX_IN_SYSTEM`] callers in the system.
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// True once the horizon has been reached (or the run stopped early, see `overflowed`).
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// The router (a recording router in tests).
    pub fn router(&self) -> &R {
        &self.router
    }

    /// The observer (to drain rows between runs).
    pub fn observer_mut(&mut self) -> &mut O {
        &mut self.observer
    }

    /// Ends the run and returns the observer.
    pub fn into_observer(self) -> O {
        self.observer
    }

    /// Calls drawn so far.
    pub fn callers_seen(&self) -> u64 {
        self.callers_seen
    }

    #[inline]
    fn arrive<const PLAIN: bool>(&mut self, a: Arrival) {
        let streams = self.key.caller_streams(self.callers_seen);
        self.callers_seen += 1;
        let call = CallInfo {
            tag: self.observer.arrive(a.at, false),
            streams,
            caller: streams,
            attempt: 0,
            handle_scale: a.handle_scale,
            handle_s: a.handle_s.unwrap_or(f64::NAN),
            patience_s: a.patience_s.unwrap_or(f64::NAN),
            class: None,
            journey: Journey::NONE,
            retrial: if !PLAIN && self.same_caller {
                Retrial::Fresh
            } else {
                Retrial::Outside
            },
        };
        if !PLAIN && self.lines.is_some() && !self.take_line(call, a.entry) {
            return;
        }
        self.enter::<PLAIN>(call, a.entry, a.ivr);
    }

    /// A call that has a line enters at `entry`, walking the IVR (or replaying `recorded`).
    #[inline(always)]
    pub(super) fn enter<const PLAIN: bool>(
        &mut self,
        call: CallInfo,
        entry: Entry,
        recorded: Option<(f64, IvrEnd)>,
    ) {
        let streams = call.streams;
        let start = match (entry, &self.model.ivr) {
            (Entry::Queue(q), _) => return self.enter_queue::<PLAIN>(call, q),
            (Entry::Node(n), Some(_)) => n,
            (_, Some(ivr)) => ivr.start,
            (_, None) => return self.enter_queue::<PLAIN>(call, QueueId(0)),
        };
        let ivr = self.model.ivr.as_ref().expect("matched Some above");
        let (spent, end) = match recorded {
            Some(recorded) => recorded,
            None => ivr::walk(ivr, start, &mut streams.stream(Purpose::Ivr)),
        };
        if spent > 0.0 {
            let slot = self.floor.new_caller(Caller {
                state: CallerState::InIvr,
                call,
                queue: match end {
                    IvrEnd::Queue(q) => q,
                    _ => QueueId(0),
                },
                ivr_end: end,
                entered_at: self.now,
                deadline: f64::INFINITY,
            });
            self.calendar
                .push(self.now + spent, (IVR_EXIT << KIND_SHIFT) | slot);
        } else {
            self.leave_ivr::<PLAIN>(call, end);
        }
    }

    fn ivr_exit<const PLAIN: bool>(&mut self, slot: u32) {
        let c = self.floor.callers[slot as usize];
        self.floor.release_caller(slot);
        self.leave_ivr::<PLAIN>(c.call, c.ivr_end);
    }

    #[inline(always)]
    fn leave_ivr<const PLAIN: bool>(&mut self, call: CallInfo, end: IvrEnd) {
        match end {
            IvrEnd::Queue(q) => self.enter_queue::<PLAIN>(call, q),
            other => {
                self.observer.ivr_end(call.tag, other);
                if !PLAIN {
                    self.free_line();
                }
            }
        }
    }

    #[inline(always)]
    pub(super) fn enter_queue<const PLAIN: bool>(&mut self, mut call: CallInfo, q: QueueId) {
        self.observer.offer(call.tag, q, call.attempt > 0);
        if !PLAIN {
            if self.same_caller {
                self.retrial_offer(&mut call, q);
            }
            if self.closed_now(q) {
                // A class is drawn on entering a line, and a closed queue has none to enter:
                // a redial keeps its first attempt's class, which its closed-queue callback leg
                // must not carry (it was counted answered in a class it was never offered to).
                return self.closed(
                    CallInfo {
                        class: None,
                        ..call
                    },
                    q,
                );
            }
            call.class = classes::draw(&self.model.queues[q.0 as usize], call.caller);
            if let Some(k) = call.class {
                self.observer.class_offer(call.tag, q, k);
            }
        }
        let pick = if PLAIN {
            self.router.pool_for_caller(&self.floor, q).map(|p| (p, 0))
        } else {
            let streams = call.streams;
            self.router.agent_for_caller(&self.floor, q, || {
                streams.stream(Purpose::AgentChoice).open01()
            })
        };
        if let Some((p, i)) = pick {
            let agent = self.floor.take_idle(p, i);
            self.book_agent(p, agent);
            self.start_call::<PLAIN>(call, q, agent, 0.0);
            return;
        }
        if !PLAIN && self.model.policy.callbacks && self.offer_callback(call, q) {
            return;
        }
        let deadline = if call.patience_s.is_nan() {
            match &self.model.queues[q.0 as usize].patience {
                Some(d) => self.now + d.sample(&mut call.streams.stream(Purpose::Patience)),
                None => f64::INFINITY,
            }
        } else {
            self.now + call.patience_s
        };
        let slot = self.floor.new_caller(Caller {
            state: CallerState::Waiting,
            call,
            queue: q,
            ivr_end: IvrEnd::Queue(q),
            entered_at: self.now,
            deadline,
        });
        self.floor.enqueue(q, slot);
        let len = self.floor.lines[q.0 as usize].waiting;
        self.observer.queue_changed(self.now, q, len);
        if deadline.is_finite() {
            self.calendar.push(deadline, (ABANDON << KIND_SHIFT) | slot);
        }
        if !PLAIN {
            self.schedule_overflow(q, slot);
        }
    }

    /// An idle agent of pool `p` becomes busy.
    #[inline(always)]
    fn book_agent(&mut self, p: PoolId, agent: u32) {
        self.floor.agents[agent as usize].busy = true;
        let book = &mut self.books[p.0 as usize];
        book.state.busy += 1;
        self.observer.pool_changed(self.now, p, book.state);
    }

    /// Agent `agent` answers a caller of queue `q` who waited `wait`.
    #[inline(always)]
    pub(super) fn start_call<const PLAIN: bool>(
        &mut self,
        mut call: CallInfo,
        q: QueueId,
        agent: u32,
        wait: f64,
    ) {
        let queue = &self.model.queues[q.0 as usize];
        // Who serves: the pool's factor on this queue (`handle_time_factor`), 1 on the fast path.
        let factor = if PLAIN { 1.0 } else { self.factor(q, agent) };
        let talk = self.talk_drawn(call, q, factor);
        if !PLAIN && self.same_caller {
            self.retrial_answered(&mut call, q, wait);
        }
        // A transferred caller keeps their line for the next leg (`transfers.rs`).
        let moves = if !PLAIN && self.transfers.is_some() {
            self.transfer_at_answer(call, q, agent, wait)
        } else {
            transfers::Moves::Stays
        };
        if !PLAIN && moves == transfers::Moves::Stays {
            self.schedule_line_free(talk);
        }
        let mut handle = talk;
        if let Some(w) = &queue.wrap_up {
            handle += w.sample(&mut call.streams.stream(Purpose::WrapUp)) * factor;
        }
        self.observer.answer(call.tag, q, wait, handle);
        if let (false, Some(k)) = (PLAIN, call.class) {
            self.observer.class_answer(call.tag, q, k, wait);
        }
        if !PLAIN && moves != transfers::Moves::AtCompletion && moves != transfers::Moves::Stays {
            return self.push_moves(moves, agent, talk, handle - talk);
        }
        self.calendar
            .push(self.now + handle, (COMPLETE << KIND_SHIFT) | agent);
    }

    /// The handle-time factor of `agent`'s pool on queue `q` (`handle_time_factor`; 1 when
    /// no pool has factors).
    #[inline(always)]
    fn factor(&self, q: QueueId, agent: u32) -> f64 {
        if self.factors.is_empty() {
            return 1.0;
        }
        let p = self.floor.agents[agent as usize].pool;
        self.factors[p.0 as usize * self.model.queues.len() + q.0 as usize]
    }

    /// The talk time of `call` on `q`: its recorded one, else drawn from its handle-time
    /// stream, times its forecast's scale and the serving pool's `factor`.
    #[inline(always)]
    fn talk_drawn(&self, call: CallInfo, q: QueueId, factor: f64) -> f64 {
        if call.handle_s.is_nan() {
            self.model.queues[q.0 as usize]
                .handle_time
                .sample(&mut call.streams.stream(Purpose::HandleTime))
                * call.handle_scale
                * factor
        } else {
            call.handle_s
        }
    }

    /// [`Self::talk_drawn`] with `agent`'s factor.
    fn talk_time(&self, call: CallInfo, q: QueueId, agent: u32) -> f64 {
        self.talk_drawn(call, q, self.factor(q, agent))
    }

    #[inline]
    fn abandon<const PLAIN: bool>(&mut self, slot: u32) {
        let c = &mut self.floor.callers[slot as usize];
        // Lazy cancellation: only a caller still waiting with exactly this deadline abandons.
        if c.state != CallerState::Waiting || c.deadline != self.now {
            return;
        }
        c.state = CallerState::Gone;
        let (call, q, wait) = (c.call, c.queue, self.now - c.entered_at);
        let line = &mut self.floor.lines[q.0 as usize];
        line.waiting -= 1;
        let len = line.waiting;
        self.observer.abandon(call.tag, q, wait);
        self.observer.queue_changed(self.now, q, len);
        if !PLAIN {
            if let Some(k) = call.class {
                self.observer.class_abandon(call.tag, q, k, wait);
            }
            if call.journey.legs > 0 {
                self.end_journey(call, wait, false);
            }
            self.free_line();
        }
        self.maybe_redial(call, Some(q), wait);
    }

    /// Agent `agent` finished a call (talk and wrap-up).
    #[inline]
    fn complete<const PLAIN: bool>(&mut self, agent: u32) {
        if !PLAIN && self.transfers.is_some() {
            return self.complete_with_transfer(agent);
        }
        self.agent_done::<PLAIN>(agent);
    }

    /// Agent `agent` is done with its call: leaves if marked to (or, under `staffing_drop =
    /// "first_free"`, if its pool still has departures pending), else looks for work.
    #[inline(always)]
    pub(super) fn agent_done<const PLAIN: bool>(&mut self, agent: u32) {
        let a = self.floor.agents[agent as usize];
        let p = a.pool;
        if a.leaving || (!PLAIN && self.first_free && self.books[p.0 as usize].leaving > 0) {
            let book = &mut self.books[p.0 as usize];
            book.state.busy -= 1;
            book.state.present -= 1;
            book.leaving -= 1;
            book.off.push(agent);
            let ag = &mut self.floor.agents[agent as usize];
            ag.busy = false;
            ag.leaving = false;
            ag.present = false;
            self.observer.pool_changed(self.now, p, book.state);
            return;
        }
        self.agent_free::<PLAIN>(agent, p, true);
    }

    /// A present, non-leaving agent looks for work; `was_busy` says it just finished a call.
    #[inline(always)]
    fn agent_free<const PLAIN: bool>(&mut self, agent: u32, p: PoolId, was_busy: bool) {
        if !PLAIN {
            self.sync_routing_clock();
        }
        if let Some(q) = self.router.queue_for_agent(&mut self.floor, p) {
            let slot = self.take_head(q);
            if !was_busy {
                self.book_agent(p, agent);
            }
            self.serve::<PLAIN>(slot, q, agent);
            return;
        }
        // No inbound caller for it: a `when_idle` callback leg, if one waits (callbacks.rs).
        if !PLAIN && self.callbacks.outbound_waiting > 0 && self.dial_outbound(agent, p, was_busy) {
            return;
        }
        let ag = &mut self.floor.agents[agent as usize];
        ag.busy = false;
        ag.idle_since = self.now;
        self.floor.idle[p.0 as usize].push_back(agent);
        if was_busy {
            let book = &mut self.books[p.0 as usize];
            book.state.busy -= 1;
            self.observer.pool_changed(self.now, p, book.state);
        }
    }

    /// Removes the head caller of `q` (a live one: the router or the overflow rules looked
    /// at it) from the line, to be served now by [`Self::serve`]: its slot.
    #[inline(always)]
    fn take_head(&mut self, q: QueueId) -> u32 {
        let slot = self.floor.dequeue(q);
        let len = self.floor.lines[q.0 as usize].waiting;
        self.observer.queue_changed(self.now, q, len);
        slot
    }

    /// Busy agent `agent` serves caller `slot` taken from `q`'s line: answers them, or calls
    /// them back when they hold a callback request.
    #[inline(always)]
    pub(super) fn serve<const PLAIN: bool>(&mut self, slot: u32, q: QueueId, agent: u32) {
        let c = self.floor.callers[slot as usize];
        if !PLAIN && c.state == CallerState::WaitingCallback {
            return self.call_back(slot, agent);
        }
        self.floor.release_caller(slot);
        self.start_call::<PLAIN>(c.call, q, agent, self.now - c.entered_at);
    }

    fn schedule_boundary(&mut self) {
        if self.next_boundary <= self.boundaries {
            let t = (self.next_boundary as f64 * self.model.interval_s).min(self.horizon);
            self.calendar.push(t, BOUNDARY << KIND_SHIFT);
        }
    }

    fn boundary(&mut self) {
        let k = self.next_boundary;
        self.next_boundary += 1;
        if self.floor.callers.len() > MAX_IN_SYSTEM {
            // No capacity for the callers: memory would grow with the horizon. Stop here.
            self.overflowed = true;
            self.finished = true;
            return;
        }
        let last = k >= self.boundaries;
        self.observer.interval_boundary(self.now, last);
        if last {
            self.finish();
            return;
        }
        if !self.disconnecting.is_empty() {
            self.disconnect_at_closing(k);
        }
        self.apply_headcount(k);
        self.schedule_boundary();
    }

    /// Sets every pool's headcount for interval `k`. Agents beyond the new headcount leave:
    /// idle ones at once (longest idle first), busy ones after a call — the marked ones after
    /// their own (`staffing_drop = "designated"`), or the first to finish (`"first_free"`). A
    /// rise first cancels departures still pending.
    fn apply_headcount(&mut self, k: u64) {
        for p in 0..self.model.pools.len() {
            let pid = PoolId(p as u32);
            // A weekly table repeats; a table as long as the horizon (a staffing plan) does not.
            let table = &self.model.pools[p].headcount;
            let target = if table.is_empty() {
                0
            } else {
                table[(k % table.len() as u64) as usize]
            };
            let book = &mut self.books[p];
            book.state.scheduled = target;
            let staying = book.state.present - book.leaving;
            if target > staying {
                let mut need = target - staying;
                // Busy agents about to leave stay instead.
                if self.first_free {
                    let stay = need.min(book.leaving);
                    book.leaving -= stay;
                    need -= stay;
                } else if book.leaving > 0 {
                    for &a in &book.members {
                        let ag = &mut self.floor.agents[a as usize];
                        if need == 0 {
                            break;
                        }
                        if ag.leaving {
                            ag.leaving = false;
                            book.leaving -= 1;
                            need -= 1;
                        }
                    }
                }
                let mut fresh = Vec::with_capacity(need as usize);
                for _ in 0..need {
                    let a = match book.off.pop() {
                        Some(a) => a,
                        None => {
                            self.floor.agents.push(crate::routing::Agent {
                                pool: pid,
                                busy: false,
                                leaving: false,
                                present: false,
                                idle_since: 0.0,
                            });
                            let a = (self.floor.agents.len() - 1) as u32;
                            book.members.push(a);
                            a
                        }
                    };
                    let ag = &mut self.floor.agents[a as usize];
                    ag.present = true;
                    ag.busy = false;
                    ag.idle_since = self.now;
                    book.state.present += 1;
                    fresh.push(a);
                }
                let state = book.state;
                self.observer.pool_changed(self.now, pid, state);
                // New agents look for waiting callers, one by one.
                for a in fresh {
                    self.agent_free::<RICH>(a, pid, false);
                }
            } else if target < staying {
                let mut surplus = staying - target;
                while surplus > 0 {
                    let Some(a) = self.floor.idle[p].pop_front() else {
                        break;
                    };
                    let ag = &mut self.floor.agents[a as usize];
                    ag.present = false;
                    book.off.push(a);
                    book.state.present -= 1;
                    surplus -= 1;
                }
                if surplus > 0 && self.first_free {
                    book.leaving += surplus;
                } else if surplus > 0 {
                    for &a in &book.members {
                        if surplus == 0 {
                            break;
                        }
                        let ag = &mut self.floor.agents[a as usize];
                        if ag.present && ag.busy && !ag.leaving {
                            ag.leaving = true;
                            book.leaving += 1;
                            surplus -= 1;
                        }
                    }
                }
                let state = book.state;
                self.observer.pool_changed(self.now, pid, state);
            } else {
                let state = book.state;
                self.observer.pool_changed(self.now, pid, state);
            }
        }
    }

    /// At the horizon: report callers still in the IVR or waiting, then stop.
    fn finish(&mut self) {
        for (slot, c) in self.floor.callers.iter().enumerate() {
            match c.state {
                CallerState::InIvr => self.observer.still_in_system(c.call.tag, None),
                // A `when_idle` leg not yet called back: outbound work, not an inbound leg.
                CallerState::WaitingCallback | CallerState::CallbackRetry
                    if self.is_outbound(slot) =>
                {
                    self.observer.outbound_done(c.call.tag, c.queue);
                }
                CallerState::Waiting
                | CallerState::WaitingCallback
                | CallerState::CallbackRetry => {
                    self.observer.still_in_system(c.call.tag, Some(c.queue));
                    if let Some(k) = c.call.class {
                        self.observer.class_still_waiting(c.call.tag, c.queue, k);
                    }
                }
                _ => {}
            }
        }
        self.finished = true;
    }
}

/// Simulates replication `replication` of `model` to the horizon with the default policy and
/// the standard interval statistics, closing every interval. Rows stay in the returned
/// observer (drain them); for long horizons drive an [`Engine`] with `run_until` instead.
pub fn simulate(model: &Model, replication: u64) -> crate::stats::IntervalStats {
    let key = StreamKey::new(model.seed, replication);
    let arrivals = crate::arrivals::ScenarioArrivals::new(model, key)
        .expect("replay files are validated when the scenario is loaded");
    let stats = crate::stats::IntervalStats::new(model);
    let mut engine = Engine::new(
        model,
        arrivals,
        crate::routing::LongestIdleOldestCall,
        stats,
        key,
    );
    engine.run();
    let mut stats = engine.into_observer();
    stats.finish();
    stats
}
