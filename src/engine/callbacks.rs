//! Callbacks (virtual hold), under a policy with `callback`, for queues with a
//! `[queue.callback]` offer.
//!
//! # The offer
//! A caller who would wait (no idle agent when they enter the queue) is offered a callback when
//! the **expected wait** exceeds `offer_above`. The estimator, computed at that instant:
//!
//! expected wait = (callers in the line ahead + 1) × mean handle time ÷ agents present
//!
//! where the callers ahead include callback requests holding a place, the mean handle time is
//! the queue's talk mean plus its wrap-up mean (times the caller's forecast AHT factor, 1
//! without a forecast), and the agents are those present in the pools serving the queue
//! (primary pools under `overflow`; with none present the wait is infinite and the offer is
//! made). It is the plain "work ahead ÷ servers" rule callback systems announce; it ignores
//! abandonment ahead (so it overstates the wait a little) and staffing changes to come.
//! Acceptance is drawn from the caller's `Callback` stream (its first draw).
//!
//! # The request
//! An accepting caller keeps their place (state `WaitingCallback`: the router sees them as
//! waiting) but has no patience deadline: they never abandon. With `[center] lines` the
//! request keeps its line until the callback ends (it stands for the outbound call). When an
//! agent takes the request, the agent calls: the caller answers with probability `answer`
//! (draw 1 + attempt of the `Callback` stream) and the call is answered as any other
//! (`answered`, handle time drawn as today), with a wait from the request to the callback.
//! Otherwise the agent is busy for [`RING_S`] and the request returns to the back of the line
//! `retry_after` after that ring ends (event kind 7), up to `retries` times; then it is
//! dropped and counted `callbacks_failed`.
//!
//! # Requests left at a closed queue (`[queue.closed] callback`)
//! A closed caller who leaves a request (engine/hours.rs) is counted `closed` (and
//! `closed_callback_requests`) in the interval of the call: that call ends with the closed
//! message. The request waits, outside the floor, in its queue's list in order of request; the
//! queue's next opening (the first open interval after the current one, skipping closed days)
//! is one calendar event (kind 6) per queue, pushed with the first request. At the opening
//! every request becomes a **callback leg**, offered on the queue in the opening's interval
//! (`closed_callbacks`, like a transferred-in leg): in order of request, an idle agent calls at
//! once, else the leg joins the back of the line as a callback request, as above (no
//! deadline, a line held with `[center] lines`). Its wait, and `callback_delay`, run from the
//! opening; `closed_callback_delay` runs from the request. This holds under every policy (it is
//! part of the closed message, like self-service), with the class-less caller of the closed
//! call. The callback goes as above with the queue's `[queue.callback]` terms (`answer`,
//! `retries`, `retry_after`), or without that table with [`CLOSED_TERMS`] — the table's own
//! defaults: the caller always answers, 2 retries 10 minutes apart. Requests whose opening falls
//! after the horizon are never called back (their calls are counted `closed`).
//!
//! The opening's event and the opening's interval boundary share a time: if the request event
//! pops first, it is pushed again at the same time, so the legs are offered after the boundary
//! (in the opening's interval, with the opening's agents present).
//!
//! # Released when idle (`[queue.closed] callbacks = "when_idle"`)
//! The requests are outbound work, not inbound legs. At the opening each becomes a leg in its
//! queue's **outbound list** (in order of request), outside the floor's lines, so no router
//! and no caller class sees it. The rule: an agent dials a leg only when the router gives it
//! no inbound caller — at the opening when an idle agent of a pool serving the queue is
//! there (the agent an arriving caller of the queue would get), and whenever an agent of such
//! a pool is freed or starts its shift and [`Router::queue_for_agent`] returns no caller
//! (under any policy: priorities, classes and overflow rules choose among inbound callers
//! first; a leg comes after all of them). Such an agent takes the oldest request (the
//! earliest closed call) among the outbound lists of the queues its pool serves (its primary
//! queues under overflow rules), ties to the queue listed first. Calls are not pre-empted: a
//! caller arriving while every agent is on a leg waits for the first agent to finish. With
//! `callback_reserve = r` a leg is dialled only if at least r other agents of the agent's pool
//! stay idle (at the opening: r + 1 idle before the dial), the threshold rule of call blending
//! (Bhulai & Koole, "A queueing model for call blending in call centers", IEEE Trans. Autom.
//! Control 48(8), 2003: keep a few agents free for inbound work, give outbound the rest); r
//! agents are then free for the callers who arrive while the others dial.
//! The call goes as above (`answer`, `retries`, `retry_after`); an unanswered leg returns to
//! the back of its outbound list. A leg is not `offered`, `answered`, `abandoned` or in the
//! queue's waits: the service level, ASA and abandonment are the inbound callers' alone, and
//! the conservation of calls is unchanged (the closed call is the caller's outcome, counted
//! `closed`). The leg is counted by its own observer calls ([`Observer::outbound_leg`],
//! [`Observer::outbound_dialled`], [`Observer::closed_callback_completed`],
//! [`Observer::outbound_done`]); its agent is busy (occupancy) for the talk and wrap-up
//! drawn as for an answered call (no transfer follows it). With `[center] lines` it holds a
//! line from the opening to the end of its callback, as under `at_opening`.
//!
//! # The promise (`callback_within`)
//! A closed-queue leg (either release) is **dialled within the promise** when its first
//! attempt starts no later than `callback_within` after the queue's opening (the leg's
//! release), told by [`Observer::outbound_dialled`] for every closed-queue leg's first attempt.

use std::collections::VecDeque;

use super::{CALLBACK_RETRY, CLOSED_CALLBACKS, COMPLETE, Engine, KIND_SHIFT, RICH};
use crate::arrivals::ArrivalSource;
use crate::ivr::IvrEnd;
use crate::random::Purpose;
use crate::routing::{CallInfo, Caller, CallerState, Journey, Retrial, Router};
use crate::scenario::{CallbackOffer, CallbackRelease, Model, PoolId, QueueId};
use crate::stats::Observer;
use crate::time::DAY;

/// How long an agent lets an unanswered callback ring before giving up, seconds (the agent
/// is busy meanwhile; it is not handle time).
pub const RING_S: f64 = 30.0;

/// How a closed-queue request is called back on a queue without `[queue.callback]`: the
/// table's defaults (the caller answers, 2 retries 10 minutes apart). The offer fields do not
/// apply to these requests.
pub const CLOSED_TERMS: CallbackOffer = CallbackOffer {
    offer_above_s: 0.0,
    accept: 1.0,
    answer: 1.0,
    retries: 2,
    retry_after_s: 600.0,
};

/// The callback terms of queue `q`: its `[queue.callback]`, else [`CLOSED_TERMS`].
fn terms(model: &Model, q: QueueId) -> &CallbackOffer {
    model.queues[q.0 as usize]
        .callback
        .as_ref()
        .unwrap_or(&CLOSED_TERMS)
}

/// A callback request held in a caller slot.
#[derive(Debug, Clone, Copy, Default)]
struct Request {
    /// When the request took its place in the line (a closed-queue request: the opening).
    at: f64,
    /// Attempts that went unanswered so far.
    failed: u32,
    /// When a closed-queue request was left (the closed call); NaN for a virtual-hold request.
    closed_at: f64,
    /// A `when_idle` leg: outbound work, in an outbound list, not an inbound leg.
    outbound: bool,
}

/// Callback requests. `by_slot` is indexed by caller slot (an entry is meaningful while the
/// slot holds a request), so nothing is searched; it grows only when callbacks are taken.
/// `closed` holds, per queue, the closed-queue requests waiting for the next opening (empty,
/// and unallocated, unless a queue has a `callback` share); its memory is bounded by the
/// requests of one closure and reused.
#[derive(Debug, Default)]
pub(super) struct Requests {
    by_slot: Vec<Request>,
    closed: Vec<VecDeque<(CallInfo, f64)>>,
    /// Most closed-queue requests pending at once, over all queues (a memory statistic).
    closed_peak: usize,
    closed_pending: usize,
    /// Per queue, the `when_idle` legs waiting to be dialled (caller slots, in order of
    /// request); empty, and unallocated, unless a queue releases its requests when idle.
    outbound: Vec<VecDeque<u32>>,
    /// Legs in `outbound`, all queues (0 keeps a freed agent's test to one compare).
    pub(super) outbound_waiting: u32,
}

impl<A: ArrivalSource, R: Router, O: Observer> Engine<'_, A, R, O> {
    /// A caller of `q` is about to wait: offers a callback when the queue has an offer and the
    /// expected wait exceeds its threshold. True when the caller accepted (they now hold a
    /// place in the line as a callback request).
    #[cold]
    pub(super) fn offer_callback(&mut self, call: CallInfo, q: QueueId) -> bool {
        let queue = &self.model.queues[q.0 as usize];
        let Some(offer) = &queue.callback else {
            return false;
        };
        if self.expected_wait(q, call.handle_scale) <= offer.offer_above_s {
            return false;
        }
        self.observer.callback_offered(call.tag, q);
        if call.streams.stream(Purpose::Callback).open01() >= offer.accept {
            return false;
        }
        self.observer.callback_accepted(call.tag, q);
        let slot = self.new_request(call, q, f64::NAN);
        self.join_line(q, slot);
        true
    }

    /// A callback request of `q` from now, in a new caller slot (not yet in the line):
    /// its slot. `closed_at`: see [`Request`].
    fn new_request(&mut self, call: CallInfo, q: QueueId, closed_at: f64) -> u32 {
        let slot = self.floor.new_caller(Caller {
            state: CallerState::WaitingCallback,
            call,
            queue: q,
            ivr_end: IvrEnd::Queue(q),
            entered_at: self.now,
            deadline: f64::INFINITY,
        });
        let by_slot = &mut self.callbacks.by_slot;
        if by_slot.len() <= slot as usize {
            by_slot.resize(slot as usize + 1, Request::default());
        }
        by_slot[slot as usize] = Request {
            at: self.now,
            failed: 0,
            closed_at,
            outbound: false,
        };
        slot
    }

    /// A caller of closed queue `q` left a callback request (engine/hours.rs): it waits for
    /// the queue's next opening. The first request of a closure schedules the opening.
    #[cold]
    pub(super) fn request_callback(&mut self, call: CallInfo, q: QueueId) {
        let closed = &mut self.callbacks.closed;
        if closed.is_empty() {
            closed.resize_with(self.model.queues.len(), VecDeque::new);
        }
        let pending = &mut closed[q.0 as usize];
        let first = pending.is_empty();
        // The closed call ended the caller's journey, if any (engine/transfers.rs).
        let call = CallInfo {
            journey: Journey::NONE,
            retrial: Retrial::Outside,
            ..call
        };
        pending.push_back((call, self.now));
        self.callbacks.closed_pending += 1;
        self.callbacks.closed_peak = self
            .callbacks
            .closed_peak
            .max(self.callbacks.closed_pending);
        if first {
            if let Some(t) = self.next_opening(q) {
                self.calendar
                    .push(t, (CLOSED_CALLBACKS << KIND_SHIFT) | q.0);
            }
        }
    }

    /// The start of queue `q`'s first open interval after the current one, seconds; `None`
    /// when it does not open again before the horizon.
    fn next_opening(&self, q: QueueId) -> Option<f64> {
        let h = self.model.queues[q.0 as usize].hours.as_ref()?;
        let per_day = (DAY / self.model.interval_s).round() as u64;
        let current = self.next_boundary.saturating_sub(1);
        (current + 1..self.boundaries)
            .find(|&k| h.is_open(k, per_day))
            .map(|k| k as f64 * self.model.interval_s)
    }

    /// Queue `q` opens with closed-queue requests pending: each becomes a callback leg, in
    /// order of request (module docs).
    #[cold]
    pub(super) fn closed_callbacks_due(&mut self, q: u32) {
        if self.next_boundary as f64 * self.model.interval_s <= self.now {
            // The opening's boundary is still to pop at this time: go after it.
            self.calendar
                .push(self.now, (CLOSED_CALLBACKS << KIND_SHIFT) | q);
            return;
        }
        let q = QueueId(q);
        let mut pending = std::mem::take(&mut self.callbacks.closed[q.0 as usize]);
        self.callbacks.closed_pending -= pending.len();
        if self.model.queues[q.0 as usize].closed_release.release == CallbackRelease::WhenIdle {
            while let Some((call, requested_at)) = pending.pop_front() {
                let tag = self.observer.outbound_leg(call.tag, q);
                self.hold_line();
                let slot = self.new_request(CallInfo { tag, ..call }, q, requested_at);
                self.callbacks.by_slot[slot as usize].outbound = true;
                self.dial_or_list(slot, q);
            }
            self.callbacks.closed[q.0 as usize] = pending;
            return;
        }
        while let Some((call, requested_at)) = pending.pop_front() {
            let tag = self.observer.closed_callback_due(call.tag, q);
            let call = CallInfo { tag, ..call };
            self.observer.offer(tag, q, false);
            self.hold_line();
            let slot = self.new_request(call, q, requested_at);
            self.call_or_join(slot, q);
        }
        // Keep the list's memory for the next closure.
        self.callbacks.closed[q.0 as usize] = pending;
    }

    /// Entries of the callback-request table.
    pub(super) fn callback_entries(&self) -> usize {
        self.callbacks.by_slot.len()
    }

    /// Most closed-queue callback requests pending at once so far (all queues).
    pub(super) fn closed_requests_peak(&self) -> usize {
        self.callbacks.closed_peak
    }

    /// The estimator (module docs): seconds, +∞ when no agent serving `q` is present.
    fn expected_wait(&self, q: QueueId, handle_scale: f64) -> f64 {
        let queue = &self.model.queues[q.0 as usize];
        let handle = queue.handle_time.mean() * handle_scale
            + queue.wrap_up.as_ref().map_or(0.0, |w| w.mean());
        let agents: u32 = self.floor.pools_of_queue[q.0 as usize]
            .iter()
            .map(|p| {
                let b = &self.books[p.0 as usize];
                b.state.present - b.leaving
            })
            .sum();
        if agents == 0 {
            return f64::INFINITY;
        }
        let ahead = f64::from(self.floor.lines[q.0 as usize].waiting);
        (ahead + 1.0) * handle / f64::from(agents)
    }

    /// Callback request `slot` joins the back of `q`'s line.
    fn join_line(&mut self, q: QueueId, slot: u32) {
        self.floor.enqueue(q, slot);
        let len = self.floor.lines[q.0 as usize].waiting;
        self.observer.queue_changed(self.now, q, len);
        self.schedule_overflow(q, slot);
    }

    /// Busy agent `agent` calls back request `slot` (already out of the line).
    pub(super) fn call_back(&mut self, slot: u32, agent: u32) {
        let c = self.floor.callers[slot as usize];
        let q = c.queue;
        let model = self.model;
        let offer = terms(model, q);
        let Request {
            at: requested_at,
            failed,
            closed_at,
            outbound,
        } = self.callbacks.by_slot[slot as usize];
        if failed == 0 && !closed_at.is_nan() {
            self.observer
                .outbound_dialled(c.call.tag, q, self.now - requested_at);
        }
        let mut rng = c.call.streams.stream(Purpose::Callback);
        for _ in 0..=failed {
            rng.next_word();
        }
        if rng.open01() < offer.answer {
            self.floor.release_caller(slot);
            if outbound {
                self.observer
                    .closed_callback_completed(c.call.tag, q, self.now - closed_at);
                self.observer.outbound_done(c.call.tag, q);
                return self.start_outbound(c.call, q, agent);
            }
            let delay = self.now - requested_at;
            self.observer.callback_completed(c.call.tag, q, delay);
            if !closed_at.is_nan() {
                self.observer
                    .closed_callback_completed(c.call.tag, q, self.now - closed_at);
            }
            self.start_call::<RICH>(c.call, q, agent, delay);
            return;
        }
        // Unanswered: the agent lets it ring, then is free (a completion event).
        self.calendar
            .push(self.now + RING_S, (COMPLETE << KIND_SHIFT) | agent);
        if failed >= offer.retries {
            self.floor.release_caller(slot);
            if outbound {
                self.observer.outbound_done(c.call.tag, q);
                self.free_line();
                return;
            }
            self.observer.callback_failed(c.call.tag, q);
            if let Some(k) = c.call.class {
                self.observer.class_callback_failed(c.call.tag, q, k);
            }
            // A transferred caller's journey ends here too, unserved (as at an abandonment);
            // without this its first leg's interval never closed (memory grew with the horizon).
            if c.call.journey.legs > 0 {
                self.end_journey(c.call, self.now - requested_at, false);
            }
            self.free_line();
            return;
        }
        self.callbacks.by_slot[slot as usize].failed = failed + 1;
        self.floor.callers[slot as usize].state = CallerState::CallbackRetry;
        self.calendar.push(
            self.now + RING_S + offer.retry_after_s,
            (CALLBACK_RETRY << KIND_SHIFT) | slot,
        );
    }

    /// An unanswered request's retry is due: an idle agent calls at once, else it rejoins the
    /// back of its line.
    pub(super) fn callback_retry(&mut self, slot: u32) {
        let q = self.floor.callers[slot as usize].queue;
        if self.callbacks.by_slot[slot as usize].outbound {
            return self.dial_or_list(slot, q);
        }
        self.call_or_join(slot, q);
    }

    /// `when_idle` leg `slot` of `q` (in no list): the idle agent an arriving caller of `q`
    /// would get dials it at once (an idle agent means the router had no inbound caller for
    /// it), else it goes to the back of `q`'s outbound list.
    fn dial_or_list(&mut self, slot: u32, q: QueueId) {
        self.sync_routing_clock();
        self.floor.callers[slot as usize].state = CallerState::WaitingCallback;
        let streams = self.floor.callers[slot as usize].call.streams;
        let draw = || streams.stream(Purpose::AgentChoice).open01();
        let reserve = self.model.queues[q.0 as usize].closed_release.reserve as usize;
        if let Some((p, i)) = self.router.agent_for_caller(&self.floor, q, draw) {
            // Dial only if `reserve` idle agents stay for inbound callers.
            if self.floor.idle[p.0 as usize].len() > reserve {
                let agent = self.floor.take_idle(p, i);
                self.book_agent(p, agent);
                return self.call_back(slot, agent);
            }
        }
        let outbound = &mut self.callbacks.outbound;
        if outbound.is_empty() {
            outbound.resize_with(self.model.queues.len(), VecDeque::new);
        }
        outbound[q.0 as usize].push_back(slot);
        self.callbacks.outbound_waiting += 1;
    }

    /// Agent `agent` of pool `p` got no inbound caller from the router and some `when_idle`
    /// leg waits: it dials the oldest request among its pool's queues' outbound lists (ties:
    /// the queue listed first), booked first unless `was_busy`. False when none of its
    /// queues has a leg.
    #[cold]
    pub(super) fn dial_outbound(&mut self, agent: u32, p: PoolId, was_busy: bool) -> bool {
        let mut best: Option<(f64, QueueId)> = None;
        let idle = self.floor.idle[p.0 as usize].len();
        for &q in &self.floor.serves[p.0 as usize] {
            let Some(&slot) = self.callbacks.outbound[q.0 as usize].front() else {
                continue;
            };
            // `reserve` other agents of the pool must stay idle for inbound callers.
            if idle < self.model.queues[q.0 as usize].closed_release.reserve as usize {
                continue;
            }
            let at = self.callbacks.by_slot[slot as usize].closed_at;
            if best.is_none_or(|(b, _)| at < b) {
                best = Some((at, q));
            }
        }
        let Some((_, q)) = best else {
            return false;
        };
        let slot = self.callbacks.outbound[q.0 as usize]
            .pop_front()
            .expect("seen above");
        self.callbacks.outbound_waiting -= 1;
        if !was_busy {
            self.book_agent(p, agent);
        }
        self.call_back(slot, agent);
        true
    }

    /// Busy agent `agent` reached the caller of `when_idle` leg `call` of `q`: talk and
    /// wrap-up drawn as for an answered call; the line frees at the talk's end. No inbound
    /// outcome is told (module docs).
    fn start_outbound(&mut self, call: CallInfo, q: QueueId, agent: u32) {
        let talk = self.talk_time(call, q, agent);
        self.schedule_line_free(talk);
        let mut handle = talk;
        if let Some(w) = &self.model.queues[q.0 as usize].wrap_up {
            handle += w.sample(&mut call.streams.stream(Purpose::WrapUp)) * self.factor(q, agent);
        }
        self.calendar
            .push(self.now + handle, (COMPLETE << KIND_SHIFT) | agent);
    }

    /// Whether caller slot `slot` holds a `when_idle` leg (not an inbound caller).
    pub(super) fn is_outbound(&self, slot: usize) -> bool {
        self.callbacks.by_slot.get(slot).is_some_and(|r| r.outbound)
    }

    /// Callback request `slot` of `q` (out of the line): an idle agent calls at once, else it
    /// joins the back of the line.
    fn call_or_join(&mut self, slot: u32, q: QueueId) {
        self.sync_routing_clock();
        let streams = self.floor.callers[slot as usize].call.streams;
        let draw = || streams.stream(Purpose::AgentChoice).open01();
        if let Some((p, i)) = self.router.agent_for_caller(&self.floor, q, draw) {
            let agent = self.floor.take_idle(p, i);
            self.book_agent(p, agent);
            self.floor.callers[slot as usize].state = CallerState::WaitingCallback;
            return self.call_back(slot, agent);
        }
        let c = &mut self.floor.callers[slot as usize];
        c.state = CallerState::WaitingCallback;
        c.entered_at = self.now;
        self.join_line(q, slot);
    }
}
